/*  bench_compliance: how soon a contract's alert reaches a follower while
    a large spend file is being ingested, against the bare stream round
    trip measured in the same run.

    The reference is one hop of a durable stream on an idle machine: a
    producer process commits one event to its outbox and notifies, and a
    consumer holding a long-poll FETCH receives it; the time from before
    the commit to the EVENTS reply arriving, p50 of ROUND_TRIPS events.

    The measured path is the whole stack's: socval-ingest and
    socval-compliance on a store of their own, a 1,000,000-row spend CSV
    submitted by `socval submit` in a child process, and meanwhile
    CONTRACTS single-row contract files, each an in-scope cleaning contract
    without a Real Living Wage commitment, submitted one at a time with
    `socval submit`. A follower thread long-polls compliance's stream as
    `socval alerts --follow` does. A contract's latency runs from the
    moment its `socval submit` is started to the EVENTS reply holding its
    rlw.missing_commitment alert arriving at the follower. Contracts queue
    behind the spend rows ingest streamed before them, so the latency
    includes compliance reading past those.

    Prints p50 and p99 of the latencies, the round trip, p99 / round trip
    (target: under 10), how many contracts were started while the spend
    file was still going in and the p99 of those alone (one `socval submit`
    at a time cannot keep pace with ingest taking the spend file, so the
    later contracts meet an idle stack), where the time goes (the submit up
    to its receipt, then the receipt to the alert), and each service's peak
    resident memory; then the BENCH| and PEAK| lines tools/bench_table.sh
    reads. Exits 1 when an alert did not come, a submit failed or the spend
    file was not taken whole: the figures are then not valid.

    Usage: bench_compliance [SPEND_ROWS [CONTRACTS]]   (default 1,000,000
    and 1,000); run from the repository root after `make`.
*/

#include <czmq.h>
#include <jansson.h>
#include <sys/wait.h>
#include "sv_config.h"
#include "sv_db.h"
#include "sv_proto.h"
#include "sv_stream.h"
#include "testkit.h"

#define ROUND_TRIPS 200
#define ROUND_TRIP_GAP_MS 10    //  between events: the consumer is always waiting

#define S_PORTS "195"           //  tcp://127.0.0.1:195xx
#define S_INGEST_CONTROL "tcp://127.0.0.1:" S_PORTS "12"
#define S_COMPLIANCE_STREAM "tcp://127.0.0.1:" S_PORTS "31"
#define S_COMPLIANCE_CONTROL "tcp://127.0.0.1:" S_PORTS "32"
#define S_ROUND_TRIP_STREAM "tcp://127.0.0.1:" S_PORTS "41"

static char *s_dir;

static int
s_compare (const void *left, const void *right)
{
    int64_t a = *(const int64_t *) left, b = *(const int64_t *) right;
    return a < b? -1: a > b;
}

//  The value below which share (0-1) of the sorted samples lie, nearest rank
static int64_t
s_percentile (const int64_t *sorted, size_t count, double share)
{
    size_t rank = (size_t) (share * (double) count + 0.999999);
    return sorted [rank? rank - 1: 0];
}

static void
s_write (const char *name, const char *text)
{
    char *path = zsys_sprintf ("%s/%s", s_dir, name);
    FILE *file = fopen (path, "w");
    assert (file && fputs (text, file) >= 0);
    fclose (file);
    zstr_free (&path);
}

//  Spend over £500 in a transparency-code layout, as bench_ingest sends
static void
s_generate_spend (const char *path, int64_t rows)
{
    FILE *file = fopen (path, "w");
    assert (file);
    fprintf (file, "Body Name,Payment Date,Transaction Number,Net Amount,Supplier Name,"
                   "Supplier ID,Expense Area,Expense Type\n");
    static const char *areas [] = { "Adult Social Care", "Highways", "Housing", "Education" };
    for (int64_t row = 1; row <= rows; row++)
        fprintf (file, "Example Borough Council,%02d/%02d/2026,%" PRId64 ",%" PRId64 ".%02d,"
                       "Supplier %" PRId64 " Ltd,S%" PRId64 ",%s,Services\n",
                 (int) (row % 28) + 1, (int) (row % 12) + 1, 7000000 + row,
                 500 + row % 90000, (int) (row % 100), row % 2000, row % 2000 + 100,
                 areas [row % 4]);
    fclose (file);
}

//  Starts argv [0] with its standard output to output and its errors
//  appended to errors ("/dev/null" for either to drop it); returns its pid
static pid_t
s_spawn (const char *output, const char *errors, char *const argv [])
{
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        int out = open (output, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open (errors, O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2 (out, STDOUT_FILENO);
        dup2 (err, STDERR_FILENO);
        execv (argv [0], argv);
        _exit (127);
    }
    return pid;
}

static pid_t
s_start_service (const char *program)
{
    char *config = zsys_sprintf ("%s/socval.cfg", s_dir);
    char *argv [] = { (char *) program, "--config", config, NULL };
    pid_t pid = s_spawn ("/dev/null", "/dev/null", argv);
    zstr_free (&config);
    return pid;
}

//  The exit code of a finished child, -1 when it did not exit
static int
s_exit_code (int status)
{
    return WIFEXITED (status)? WEXITSTATUS (status): -1;
}


//  ==========================================================================
//  The reference: one hop of a bare stream

//  The producer process: every ROUND_TRIP_GAP_MS commits one event whose
//  body is the time just before its transaction began, and notifies
typedef struct {
    sv_db_t *db;
    sv_stream_producer_t *producer;
    int64_t sent;
} s_ticker_t;

static int
s_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_ticker_t *ticker = (s_ticker_t *) arg;
    if (ticker->sent++ >= ROUND_TRIPS)
        return 0;
    int64_t now = testkit_now_us ();
    assert (sv_db_begin (ticker->db) == 0);
    assert (sv_stream_append (ticker->db, "TICK", "tick", (const uint8_t *) &now,
                              sizeof now) > 0);
    assert (sv_db_commit (ticker->db) == 0);
    sv_stream_producer_notify (ticker->producer);
    return 0;
}

static void
s_ticker (const char *path)
{
    static const char *schema [] = { SV_STREAM_OUTBOX_SQL, NULL };
    s_ticker_t ticker = { .db = sv_db_new (path, schema, NULL) };
    sv_config_t *config = sv_config_new ();
    ticker.producer = sv_stream_producer_new (path, "ticks", S_ROUND_TRIP_STREAM, config);
    assert (ticker.db && ticker.producer);
    zloop_t *loop = zloop_new ();
    sv_stream_producer_attach (ticker.producer, loop);
    zclock_sleep (300);                 //  let the consumer's first FETCH arrive
    zloop_timer (loop, ROUND_TRIP_GAP_MS, 0, s_tick, &ticker);
    zloop_start (loop);
    _exit (0);
}

//  Fills samples (ROUND_TRIPS of them, sorted) with the microseconds from
//  an event's commit starting to its EVENTS reply reaching a consumer
//  that was waiting for it
static void
s_round_trips (int64_t *samples)
{
    char *path = zsys_sprintf ("%s/ticks.db", s_dir);
    pid_t ticker = fork ();
    assert (ticker >= 0);
    if (ticker == 0)
        s_ticker (path);
    zsock_t *dealer = zsock_new_dealer (S_ROUND_TRIP_STREAM);
    zsock_set_rcvtimeo (dealer, 5000);
    uint64_t after = 0;
    size_t count = 0;
    while (count < ROUND_TRIPS) {
        sv_proto_t fetch = { .id = SV_PROTO_FETCH };
        fetch.fetch.stream = "ticks";
        fetch.fetch.after_seq = after;
        fetch.fetch.max = 100;
        zframe_t *frame = sv_proto_encode_frame (&fetch);
        zframe_send (&frame, dealer, 0);
        frame = zframe_recv (dealer);
        int64_t arrived = testkit_now_us ();
        assert (frame);
        sv_proto_t reply = { .id = 0 };
        assert (sv_proto_decode (&reply, zframe_data (frame), zframe_size (frame)) == 0
                && reply.id == SV_PROTO_EVENTS);
        for (size_t index = 0; index < reply.events.events_count && count < ROUND_TRIPS;
             index++) {
            const sv_proto_event_t *event = &reply.events.events [index];
            int64_t committed;
            assert (event->body_size == sizeof committed);
            memcpy (&committed, event->body, sizeof committed);
            samples [count++] = arrived - committed;
            after = event->seq;
        }
        sv_proto_reset (&reply);
        zframe_destroy (&frame);
    }
    zsock_destroy (&dealer);
    kill (ticker, SIGKILL);
    waitpid (ticker, NULL, 0);
    sv_db_remove_files (path);
    zstr_free (&path);
    qsort (samples, ROUND_TRIPS, sizeof (int64_t), s_compare);
}


//  ==========================================================================
//  The follower: compliance's stream, as `socval alerts --follow` reads it

typedef struct {
    int64_t *arrived;           //  per contract, when its alert arrived (0: not yet)
    int contracts;
} s_follow_t;

//  Records the arrival of every rlw.missing_commitment alert on a B-
//  contract; signals the pipe once all contracts have theirs
static void
s_follower (zsock_t *pipe, void *arg)
{
    s_follow_t *follow = (s_follow_t *) arg;
    zsock_t *dealer = zsock_new_dealer (S_COMPLIANCE_STREAM);
    zpoller_t *poller = zpoller_new (pipe, dealer, NULL);
    zsock_signal (pipe, 0);
    uint64_t after = 0;
    int seen = 0;
    bool fetch = true, done = false;
    while (true) {
        if (fetch) {
            sv_proto_t request = { .id = SV_PROTO_FETCH };
            request.fetch.stream = "compliance";
            request.fetch.after_seq = after;
            request.fetch.max = 5000;
            zframe_t *frame = sv_proto_encode_frame (&request);
            zframe_send (&frame, dealer, 0);
            fetch = false;
        }
        void *which = zpoller_wait (poller, 5000);
        if (which == pipe || zpoller_terminated (poller))
            break;
        if (!which) {
            //  Silent longer than a heartbeat: ask again on a new connection
            zpoller_remove (poller, dealer);
            zsock_destroy (&dealer);
            dealer = zsock_new_dealer (S_COMPLIANCE_STREAM);
            zpoller_add (poller, dealer);
            fetch = true;
            continue;
        }
        zframe_t *frame = zframe_recv (dealer);
        int64_t now = testkit_now_us ();
        sv_proto_t reply = { .id = 0 };
        if (frame && sv_proto_decode (&reply, zframe_data (frame), zframe_size (frame)) == 0
        &&  reply.id == SV_PROTO_EVENTS)
            for (size_t index = 0; index < reply.events.events_count; index++) {
                const sv_proto_event_t *event = &reply.events.events [index];
                sv_proto_t alert = { .id = 0 };
                int contract;
                if (sv_proto_decode (&alert, event->body, event->body_size) == 0
                &&  alert.id == SV_PROTO_ALERT
                &&  streq (alert.alert.rule, "rlw.missing_commitment")
                &&  streq (alert.alert.state, "open")
                &&  sscanf (alert.alert.contract_id, "B-%d", &contract) == 1
                &&  contract >= 0 && contract < follow->contracts
                &&  follow->arrived [contract] == 0) {
                    follow->arrived [contract] = now;
                    seen++;
                }
                sv_proto_reset (&alert);
                after = event->seq;
            }
        sv_proto_reset (&reply);
        zframe_destroy (&frame);
        fetch = true;
        if (seen == follow->contracts && !done) {
            zsock_signal (pipe, 0);
            done = true;
        }
    }
    zpoller_destroy (&poller);
    zsock_destroy (&dealer);
}

//  Waits until compliance has applied everything ingest holds. true if so.
static bool
s_settle (int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        sv_proto_t reply = { .id = 0 };
        int64_t head = -1, offset = -2;
        if (testkit_status (S_INGEST_CONTROL, 1000, &reply) == 0)
            head = (int64_t) reply.status_reply.streams [0].head_seq;
        sv_proto_reset (&reply);
        if (testkit_status (S_COMPLIANCE_CONTROL, 1000, &reply) == 0)
            offset = (int64_t) reply.status_reply.consumers [0].offset;
        sv_proto_reset (&reply);
        if (head > 0 && head == offset)
            return true;
        zclock_sleep (50);
    }
    return false;
}

//  The rows the receipt in file says were accepted, or -1
static int64_t
s_accepted (const char *path)
{
    json_t *receipt = json_load_file (path, 0, NULL);
    int64_t accepted = json_is_integer (json_object_get (receipt, "accepted"))
                     ? (int64_t) json_integer_value (json_object_get (receipt, "accepted")): -1;
    json_decref (receipt);
    return accepted;
}


//  ==========================================================================

int
main (int argc, char *argv [])
{
    int64_t rows = argc > 1? atoll (argv [1]): 1000000;
    int contracts = argc > 2? atoi (argv [2]): 1000;
    assert (rows > 0 && contracts > 0);
    s_dir = zsys_sprintf ("/tmp/sv_bench_compliance_%d", getpid ());
    zsys_dir_create ("%s/keys/partners", s_dir);
    zsys_dir_create ("%s/contracts", s_dir);

    //  Untimed: the files, the keys and the config
    char *spend_path = zsys_sprintf ("%s/spend.csv", s_dir);
    s_generate_spend (spend_path, rows);
    for (int contract = 0; contract < contracts; contract++) {
        char name [64], text [400];
        snprintf (name, sizeof name, "contracts/B-%05d.csv", contract);
        snprintf (text, sizeof text,
                  "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date,"
                  "RLW Commitment\n"
                  "B-%05d,Office cleaning lot %d,S1,Cleaning services,120000.00,01/04/2026,"
                  "31/03/2028,no\n", contract, contract);
        s_write (name, text);
    }
    s_write ("suppliers.csv", "Supplier Name,Supplier ID,Postcode,RLW Accredited\n"
                              "Brightclean Ltd,S1,M32 0JG,no\n");
    s_write ("today", "2026-06-01");
    assert (testkit_run (NULL, "build/socval --data %s keys new ingest >/dev/null", s_dir) == 0);
    assert (testkit_run (NULL, "build/socval --data %s keys new partner >/dev/null", s_dir) == 0);
    char *cert_path = zsys_sprintf ("%s/keys/partner.cert", s_dir);
    char *public_path = zsys_sprintf ("%s/keys/partners/partner.cert", s_dir);
    zcert_t *cert = zcert_load (cert_path);
    assert (cert && zcert_save_public (cert, public_path) == 0);
    //  Compliance judges new facts once its stream has been quiet for
    //  quiet_ms (1 s by default, so that a network loads whole): here the
    //  shortest allowed, so the latency is the stack's, not the wait's
    char *config = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "partners\n    council\n        public_key = \"%s\"\n"
        "ingest\n    feed_endpoint = \"tcp://127.0.0.1:" S_PORTS "10\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "11\"\n"
        "    control_endpoint = \"" S_INGEST_CONTROL "\"\n"
        "compliance\n    clock_file = \"%s/today\"\n    quiet_ms = 10\n"
        "    stream_endpoint = \"" S_COMPLIANCE_STREAM "\"\n"
        "    control_endpoint = \"" S_COMPLIANCE_CONTROL "\"\n",
        s_dir, zcert_public_txt (cert), s_dir);
    s_write ("socval.cfg", config);
    zstr_free (&config);
    zcert_destroy (&cert);
    char *config_path = zsys_sprintf ("%s/socval.cfg", s_dir);

    //  The reference, on an idle machine
    int64_t round_trips [ROUND_TRIPS];
    s_round_trips (round_trips);
    int64_t round_trip = s_percentile (round_trips, ROUND_TRIPS, 0.50);

    //  The stack, with the supplier known and nothing else pending
    pid_t ingest = s_start_service ("build/socval-ingest");
    pid_t compliance = s_start_service ("build/socval-compliance");
    char *suppliers_path = zsys_sprintf ("%s/suppliers.csv", s_dir);
    char *submit_suppliers [] = { "build/socval", "--config", config_path, "--timeout", "20",
                                  "submit", "--kind", "suppliers", suppliers_path, NULL };
    int status = 0;
    int64_t deadline = zclock_mono () + 10000;
    do {
        //  The first tries may come before ingest has bound its endpoint
        waitpid (s_spawn ("/dev/null", "/dev/null", submit_suppliers), &status, 0);
    } while (s_exit_code (status) == 2 && zclock_mono () < deadline);
    assert (s_exit_code (status) == 0);
    assert (s_settle (20000));

    int64_t *started = (int64_t *) zmalloc (contracts * sizeof (int64_t));
    int64_t *receipted = (int64_t *) zmalloc (contracts * sizeof (int64_t));
    bool *loaded = (bool *) zmalloc (contracts * sizeof (bool));
    s_follow_t follow = {
        .arrived = (int64_t *) zmalloc (contracts * sizeof (int64_t)),
        .contracts = contracts
    };
    zactor_t *follower = zactor_new (s_follower, &follow);

    //  The load: the spend file in a child, then the contracts one by one,
    //  each marked loaded when the spend file was still going in as it
    //  started
    char *spend_receipt = zsys_sprintf ("%s/spend-receipt.json", s_dir);
    char *errors_path = zsys_sprintf ("%s/submit-errors.txt", s_dir);
    char *submit_spend [] = { "build/socval", "--config", config_path, "--timeout", "600",
                              "submit", "--kind", "spend", "--json", spend_path, NULL };
    int64_t spend_started = testkit_now_us ();
    pid_t spender = s_spawn (spend_receipt, errors_path, submit_spend);
    int64_t spend_finished = 0;
    //  Until ingest is taking rows, the contracts would not compete with them
    deadline = zclock_mono () + 30000;
    while (testkit_count (S_INGEST_CONTROL, 1000, "SPEND") <= 0 && zclock_mono () < deadline)
        zclock_sleep (5);
    int failed = 0, during = 0;
    for (int contract = 0; contract < contracts; contract++) {
        if (!spend_finished && waitpid (spender, &status, WNOHANG) == spender)
            spend_finished = testkit_now_us ();
        loaded [contract] = !spend_finished;
        during += loaded [contract];
        char *path = zsys_sprintf ("%s/contracts/B-%05d.csv", s_dir, contract);
        char *submit [] = { "build/socval", "--config", config_path, "--timeout", "60",
                            "submit", "--kind", "contracts", path, NULL };
        started [contract] = testkit_now_us ();
        waitpid (s_spawn ("/dev/null", errors_path, submit), &status, 0);
        receipted [contract] = testkit_now_us ();
        failed += s_exit_code (status) != 0;
        zstr_free (&path);
    }
    if (!spend_finished) {
        waitpid (spender, &status, 0);
        spend_finished = testkit_now_us ();
    }
    //  Every alert, or two minutes
    zpoller_t *poller = zpoller_new (follower, NULL);
    bool complete = zpoller_wait (poller, 120000) == follower;
    if (complete)
        zsock_wait (follower);
    zpoller_destroy (&poller);
    zactor_destroy (&follower);
    long ingest_peak = testkit_peak_kb (ingest);
    long compliance_peak = testkit_peak_kb (compliance);
    kill (ingest, SIGTERM);
    kill (compliance, SIGTERM);
    waitpid (ingest, NULL, 0);
    waitpid (compliance, NULL, 0);
    int64_t accepted = s_accepted (spend_receipt);

    //  Percentiles in microseconds: every alert that came, those of the
    //  contracts started under load, the part after the receipt, and the
    //  submits alone
    int64_t *all = (int64_t *) zmalloc (contracts * sizeof (int64_t));
    int64_t *under_load = (int64_t *) zmalloc (contracts * sizeof (int64_t));
    int64_t *after_receipt = (int64_t *) zmalloc (contracts * sizeof (int64_t));
    int64_t *submits = (int64_t *) zmalloc (contracts * sizeof (int64_t));
    size_t alerted = 0, alerted_loaded = 0;
    for (int contract = 0; contract < contracts; contract++) {
        submits [contract] = receipted [contract] - started [contract];
        if (!follow.arrived [contract])
            continue;
        after_receipt [alerted] = follow.arrived [contract] - receipted [contract];
        all [alerted++] = follow.arrived [contract] - started [contract];
        if (loaded [contract])
            under_load [alerted_loaded++] = follow.arrived [contract] - started [contract];
    }
    qsort (all, alerted, sizeof (int64_t), s_compare);
    qsort (under_load, alerted_loaded, sizeof (int64_t), s_compare);
    qsort (after_receipt, alerted, sizeof (int64_t), s_compare);
    qsort (submits, contracts, sizeof (int64_t), s_compare);
    double p50 = alerted? s_percentile (all, alerted, 0.50) / 1000.0: 0;
    double p99 = alerted? s_percentile (all, alerted, 0.99) / 1000.0: 0;
    double p99_loaded = alerted_loaded
                      ? s_percentile (under_load, alerted_loaded, 0.99) / 1000.0: 0;
    double spend_seconds = (double) (spend_finished - spend_started) / 1e6;
    double rt = round_trip / 1000.0;
    bool valid = complete && failed == 0 && accepted == rows;

    printf ("%-44s %14s %14s %8s\n", "benchmark", "measured", "reference", "ratio");
    printf ("%-44s %11.1f ms %11.2f ms %7.1fx\n",
            "compliance: alert latency p99, all contracts", p99, rt, p99 / rt);
    printf ("%-44s %11.1f ms %11.2f ms %7.1fx\n",
            "compliance: alert latency p50, all contracts", p50, rt, p50 / rt);
    printf ("%-44s %11.1f ms %11.2f ms %7.1fx\n",
            "compliance: p99 of those started under load", p99_loaded, rt, p99_loaded / rt);
    printf ("  (latency = from `socval submit` of a one-contract file starting to its\n"
            "   rlw.missing_commitment alert reaching a follower of compliance's stream;\n"
            "   reference = one bare stream hop, commit -> waiting consumer, p50 of %d on\n"
            "   an idle producer (p99 %.2f ms); ratio = p99 / reference, target < 10)\n",
            ROUND_TRIPS, s_percentile (round_trips, ROUND_TRIPS, 0.99) / 1000.0);
    printf ("  %zu of %d alerts arrived; %d submits failed\n", alerted, contracts, failed);
    printf ("  the %" PRId64 "-row spend file took %.1f s (%.0f rows/s, %" PRId64 " accepted);"
            " %d of the %d contracts were started while it was being ingested\n",
            rows, spend_seconds, rows / spend_seconds, accepted, during, contracts);
    if (alerted_loaded)
        printf ("  those %zu alone: p50 %.1f ms, p99 %.1f ms\n", alerted_loaded,
                s_percentile (under_load, alerted_loaded, 0.50) / 1000.0, p99_loaded);
    if (during < contracts)
        printf ("  (the other %d started after it: one `socval submit` at a time takes longer"
                " than ingest takes the whole spend file here)\n", contracts - during);
    printf ("  where the time goes: `socval submit` alone, start to receipt, p50 %.1f ms,"
            " p99 %.1f ms;\n  receipt to alert at the follower p50 %.1f ms, p99 %.1f ms\n",
            s_percentile (submits, contracts, 0.50) / 1000.0,
            s_percentile (submits, contracts, 0.99) / 1000.0,
            alerted? s_percentile (after_receipt, alerted, 0.50) / 1000.0: 0,
            alerted? s_percentile (after_receipt, alerted, 0.99) / 1000.0: 0);
    printf ("%-44s %10ld kB   (target < 65536 kB)\n", "ingest: peak resident memory",
            ingest_peak);
    printf ("%-44s %10ld kB\n", "compliance: peak resident memory", compliance_peak);
    if (!valid) {
        printf ("  NOT VALID: %s\n", !complete? "not every alert arrived within two minutes"
                                   : failed? "some submits failed"
                                   : "the spend file was not accepted whole");
        char *errors = NULL;
        testkit_run (&errors, "sort '%s' | uniq -c | sort -rn | head -5", errors_path);
        printf ("  submit errors:\n%s", errors? errors: "");
        zstr_free (&errors);
    }

    printf ("BENCH|compliance: alert latency p99, socval submit to follower, %d contracts one at"
            " a time from the start of a %" PRId64 "-row spend submit (%d while it went in)"
            " vs one bare stream hop|%.1f|ms|%.2f|ms|%.1f|< 10|%s\n", contracts, rows, during,
            p99, rt, p99 / rt, valid && p99 / rt < 10? "yes": "no");
    printf ("BENCH|compliance: alert latency p50, same contracts|%.1f|ms|%.2f|ms|%.1f||\n",
            p50, rt, p50 / rt);
    printf ("BENCH|compliance: alert latency p99 of the %d started while the spend file went in"
            "|%.1f|ms|%.2f|ms|%.1f||\n", during, p99_loaded, rt, p99_loaded / rt);
    printf ("PEAK|ingest|%.1f|< 64\n", ingest_peak / 1024.0);
    printf ("PEAK|compliance|%.1f\n", compliance_peak / 1024.0);

    assert (testkit_run (NULL, "rm -rf '%s'", s_dir) == 0);
    free (all);
    free (under_load);
    free (after_receipt);
    free (submits);
    free (loaded);
    free (started);
    free (receipted);
    free (follow.arrived);
    zstr_free (&spend_receipt);
    zstr_free (&errors_path);
    zstr_free (&suppliers_path);
    zstr_free (&config_path);
    zstr_free (&public_path);
    zstr_free (&cert_path);
    zstr_free (&spend_path);
    zstr_free (&s_dir);
    return valid? 0: 1;
}
