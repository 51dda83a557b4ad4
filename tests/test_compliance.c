/*  test_compliance: the compliance service through the real processes.

    Starts socval-ingest and socval-compliance with compliance's clock read
    from a file, submits feeds through the socval command and moves the
    date, and checks each rule raises, resolves and reopens its alert as a
    council officer would see it in `socval alerts`. Then it follows the
    alerts (a follower that goes away and resumes from its offset file
    misses nothing), runs the alert hook, and SIGKILLs compliance while a
    large contracts feed streams through it: after a restart the alerts are
    exactly those of the feed, each opened once. Last, alerts are listed
    most severe first; an event in ingest's stream that compliance cannot
    read stalls it visibly until the event is mended; and with compliance
    stopped, or interrupted before it answers, socval alerts prints nothing
    and exits 2. Then, in two fresh stacks, two partners load the same
    network (commitments before the deliveries that meet them, one event
    per batch): no shortfall opens, nothing opens that is then resolved, a
    lapsed accreditation raises one alert per partner naming the supplier,
    both runs give the same alert stream and the hook runs once per alert
    opened. Last, in a fresh stack, a follower with a new offset file sees
    an alert raised then resolved as two lines and, restarted from that
    file, misses nothing and repeats nothing; a new follower starts with
    the alerts open now. The last line is "N passed, N failed".

    Usage: test_compliance [--short]     (run from the repository root)
*/

#include <czmq.h>
#include <jansson.h>
#include <sys/wait.h>
#include "sv_proto.h"
#include "sv_stream.h"
#include "testkit.h"

#define S_INGEST_CONTROL "tcp://127.0.0.1:17912"
#define S_COMPLIANCE_CONTROL "tcp://127.0.0.1:17932"

static char *s_dir;
static int s_timeout = 5;
//  The quiet period of the network test: the gap a network's feeds may
//  leave between them and still be judged whole. --short (make memcheck)
//  runs every socval process under valgrind, whose starts alone take
//  longer than the usual second
static int s_network_quiet_ms = 1000;
static pid_t s_ingest, s_compliance;

#define s_socval(output, ...) testkit_socval (s_dir, s_timeout, output, __VA_ARGS__)

static void
s_write (const char *name, const char *text)
{
    testkit_write (s_dir, name, text);
}

static pid_t
s_start (const char *program)
{
    char *config = zsys_sprintf ("%s/socval.cfg", s_dir);
    pid_t pid = testkit_start (program, config);
    zstr_free (&config);
    return pid;
}

//  Waits until compliance has applied everything ingest holds and judged
//  it (its quiet period is 200 ms here). true if so.
static bool
s_settle (void)
{
    int64_t deadline = zclock_mono () + 60000;
    while (zclock_mono () < deadline) {
        sv_proto_t reply = { .id = 0 };
        int64_t head = -1, offset = -2;
        if (testkit_status (S_INGEST_CONTROL, 1000, &reply) == 0)
            head = (int64_t) reply.status_reply.streams [0].head_seq;
        sv_proto_reset (&reply);
        if (testkit_status (S_COMPLIANCE_CONTROL, 1000, &reply) == 0)
            offset = (int64_t) reply.status_reply.consumers [0].offset;
        sv_proto_reset (&reply);
        if (head == offset
        &&  testkit_count (S_COMPLIANCE_CONTROL, 1000, "pending evaluation") == 0)
            return true;
        zclock_sleep (50);
    }
    return false;
}

static int
s_submit (const char *kind, const char *file, const char *batch)
{
    return s_socval (NULL, "submit --kind %s --key %s/keys/council.cert %s%s %s/%s >/dev/null",
                     kind, s_dir, batch? "--batch ": "", batch? batch: "", s_dir, file);
}

//  Moves compliance's clock to date and waits for its daily evaluation
//  (its tick is 100 ms here) to have run
static void
s_today (const char *date)
{
    s_write ("today", date);
    zclock_sleep (600);
}

//  The field of alert id as `socval alerts --state all --json` shows it,
//  into value (32 bytes; "" when absent); returns how many alerts are not
//  resolved
static int
s_alert_field (const char *id, const char *field, char *value)
{
    char *output = NULL;
    *value = 0;
    if (s_socval (&output, "alerts --state all --json") != 0) {
        free (output);
        return -1;
    }
    json_t *root = json_loads (output, 0, NULL);
    free (output);
    json_t *alerts = json_object_get (root, "alerts");
    size_t index;
    json_t *alert;
    int count = 0;
    json_array_foreach (alerts, index, alert) {
        const char *alert_state = json_string_value (json_object_get (alert, "state"));
        if (streq (json_string_value (json_object_get (alert, "alert_id")), id))
            snprintf (value, 32, "%s", json_string_value (json_object_get (alert, field)));
        count += !streq (alert_state, "resolved");
    }
    json_decref (root);
    return count;
}

static bool
s_is (const char *id, const char *expected)
{
    char state [32];
    s_alert_field (id, "state", state);
    if (!streq (state, expected))
        printf ("     (%s is '%s', expected '%s')\n", id, state, expected);
    return streq (state, expected);
}

//  Counts the ALERT events of each id and state in compliance's stream
typedef struct {
    zhashx_t *latest;           //  id -> state of its last event
    int opened;                 //  events that opened an alert
    int duplicates;             //  events repeating the state before them
} s_stream_t;

static void
s_count_event (const sv_proto_event_t *event, void *arg)
{
    s_stream_t *stream = (s_stream_t *) arg;
    sv_proto_t message = { .id = 0 };
    assert (sv_proto_decode (&message, event->body, event->body_size) == 0);
    const char *before = (const char *) zhashx_lookup (stream->latest, message.alert.alert_id);
    if (before && streq (before, message.alert.state))
        stream->duplicates++;
    if (streq (message.alert.state, "open"))
        stream->opened++;
    zhashx_update (stream->latest, message.alert.alert_id, strdup (message.alert.state));
    sv_proto_reset (&message);
}

//  Compliance's offset in ingest's stream, and the problem its STATUS
//  gives for that stream (reason into stalled, "" when none); the offset,
//  or -1 when compliance does not answer
static int64_t
s_compliance_stream (char *stalled, size_t size)
{
    sv_proto_t reply = { .id = 0 };
    int64_t offset = -1;
    *stalled = 0;
    if (testkit_status (S_COMPLIANCE_CONTROL, 1000, &reply) == 0) {
        offset = (int64_t) reply.status_reply.consumers [0].offset;
        for (size_t index = 0; index < reply.status_reply.problems_count; index++)
            if (streq (reply.status_reply.problems [index].subject, "stream ingest"))
                snprintf (stalled, size, "%s", reply.status_reply.problems [index].reason);
    }
    sv_proto_reset (&reply);
    return offset;
}

//  A CONTRACT event's body, as ingest writes one (caller destroys)
static zframe_t *
s_contract_body (const char *contract_id)
{
    sv_proto_t contract = { .id = SV_PROTO_CONTRACT };
    contract.contract = (sv_proto_contract_t) {
        .partner = "council", .contract_id = (char *) contract_id, .title = "Stationery",
        .rlw_in_scope = "no"
    };
    return sv_proto_encode_frame (&contract);
}

//  An event compliance cannot read, written into ingest's outbox as a
//  faulty producer would, with a good one after it: compliance stops
//  before it, says so on STATUS, applies nothing after it, and goes on
//  once the event is mended
static void
s_unreadable_event (void)
{
    char *path = zsys_sprintf ("%s/ingest.db", s_dir);
    sv_db_t *db = sv_db_new (path, NULL, NULL);
    assert (db);
    zframe_t *good = s_contract_body ("C-91");
    assert (sv_db_begin (db) == 0);
    int64_t bad = sv_stream_append (db, "CONTRACT", "council/C-90",
                                    (const uint8_t *) "\x81\xa1v\x01", 4);
    assert (bad > 0);
    assert (sv_stream_append (db, "CONTRACT", "council/C-91", zframe_data (good),
                              zframe_size (good)) == bad + 1);
    assert (sv_db_commit (db) == 0);
    zframe_destroy (&good);

    char stalled [300] = "";
    char *expected = zsys_sprintf ("stalled at seq %" PRId64 ": ", bad);
    int64_t offset = -1;
    int64_t deadline = zclock_mono () + 20000;
    while (zclock_mono () < deadline && !*stalled) {
        offset = s_compliance_stream (stalled, sizeof stalled);
        if (!*stalled)
            zclock_sleep (50);
    }
    testkit_check (strstr (stalled, expected) == stalled && strstr (stalled, "no message name")
                   && offset == bad - 1,
                   "an event compliance cannot read stalls ingest's stream before it, named"
                   " on STATUS with the decoder's reason; nothing after it is applied");
    if (strstr (stalled, expected) != stalled)
        printf ("     (problem '%s', offset %" PRId64 ", bad event %" PRId64 ")\n",
                stalled, offset, bad);

    //  Mended as a fixed producer would write it
    zframe_t *mended = s_contract_body ("C-90");
    sqlite3_stmt *stmt = sv_db_stmt (db, "UPDATE outbox SET body = ?1 WHERE seq = ?2");
    sqlite3_bind_blob (stmt, 1, zframe_data (mended), (int) zframe_size (mended), SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, bad);
    assert (sv_db_run (db, stmt) == 0);
    zframe_destroy (&mended);
    deadline = zclock_mono () + 20000;
    while (zclock_mono () < deadline) {
        offset = s_compliance_stream (stalled, sizeof stalled);
        if (offset == bad + 1 && !*stalled)
            break;
        zclock_sleep (50);
    }
    testkit_check (offset == bad + 1 && !*stalled,
                   "once the event is mended compliance applies it and what came after, and"
                   " STATUS names no problem");
    zstr_free (&expected);
    sv_db_destroy (&db);
    zstr_free (&path);
}

//  ==========================================================================
//  Loading a network: what compliance's stream carries

//  Every ALERT event of compliance's stream, as lines "key|state|severity|
//  partner|supplier|contract|message" (the time left out), and counts
typedef struct {
    zlistx_t *lines;
    int opened;
    int resolved;
    int shortfalls_opened;      //  on C-5 and C-6, whose deliveries meet them
} s_record_t;

static void
s_record_event (const sv_proto_event_t *event, void *arg)
{
    s_record_t *record = (s_record_t *) arg;
    sv_proto_t message = { .id = 0 };
    assert (sv_proto_decode (&message, event->body, event->body_size) == 0);
    const sv_proto_alert_t *alert = &message.alert;
    zlistx_add_end (record->lines, zsys_sprintf ("%s %s|%s|%s|%s|%s|%s|%s", event->type,
                    event->key, alert->state, alert->severity, alert->partner,
                    alert->supplier_key, alert->contract_id, alert->message));
    if (streq (alert->state, "open")) {
        record->opened++;
        record->shortfalls_opened += streq (alert->rule, "delivery.shortfall")
                                  && !streq (alert->contract_id, "C-8");
    }
    record->resolved += streq (alert->state, "resolved");
    sv_proto_reset (&message);
}

//  Lines of a file that are not empty, or -1 when it cannot be read
static int
s_count_lines (const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return -1;
    char line [4096];
    int lines = 0;
    while (fgets (line, sizeof line, file))
        lines += *line != '\n';
    fclose (file);
    return lines;
}

//  Makes DIR/name the test's folder, with the stack's and the council's
//  certificates; returns the folder it was, to restore (and the new one's
//  name to free) when the fresh stack is done
static char *
s_enter (const char *name)
{
    char *parent = s_dir;
    s_dir = zsys_sprintf ("%s/%s", parent, name);
    zsys_dir_create ("%s/keys/partners", s_dir);
    testkit_run (NULL, "cp %s/keys/*.cert* %s/keys/", parent, s_dir);
    testkit_run (NULL, "cp %s/keys/partners/council.cert %s/keys/partners/", parent, s_dir);
    return parent;
}

//  Starts a fresh ingest and compliance in DIR/name, as two partners
//  would load their network: suppliers, contracts, commitments, then the
//  deliveries that meet them, each in batches of one event; waits until
//  compliance has judged it all and records its stream and how many times
//  its hook ran. One partner (council) records Guardwell's accreditation,
//  lapsed on 30 June; both hold a contract with it. What holds at the end:
//  C-7 lacks an RLW commitment, C-8 has delivered nothing (short, and its
//  return overdue), C-5 and C-6 deliver what they committed.
static void
s_load_network (const char *name, s_record_t *record, int *hooked)
{
    char *parent = s_enter (name);
    assert (s_socval (NULL, "keys new police >/dev/null") == 0);
    char *police_path = zsys_sprintf ("%s/keys/police.cert", s_dir);
    char *police_public = zsys_sprintf ("%s/keys/partners/police.cert", s_dir);
    zcert_t *police = zcert_load (police_path);
    char *council_path = zsys_sprintf ("%s/keys/council.cert", s_dir);
    zcert_t *council = zcert_load (council_path);
    assert (police && council && zcert_save_public (police, police_public) == 0);
    char *config = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "stream\n    batch_max = 1\n"
        "partners\n    council\n        public_key = \"%s\"\n"
        "    police\n        public_key = \"%s\"\n"
        "ingest\n    feed_endpoint = \"tcp://127.0.0.1:17910\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17911\"\n"
        "    control_endpoint = \"" S_INGEST_CONTROL "\"\n"
        "compliance\n    clock_file = \"%s/today\"\n    tick_ms = 100\n"
        "    quiet_ms = %d\n"
        "    alert_hook = \"cat >> %s/hook.log; echo >> %s/hook.log\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17931\"\n"
        "    control_endpoint = \"" S_COMPLIANCE_CONTROL "\"\n",
        s_dir, zcert_public_txt (council), zcert_public_txt (police), s_dir,
        s_network_quiet_ms, s_dir, s_dir);
    s_write ("socval.cfg", config);
    zstr_free (&config);
    s_write ("today", "2025-10-01");
    s_write ("suppliers.csv",
        "Supplier Name,Company Number,RLW Accredited,RLW Expiry\n"
        "Guardwell Security Ltd,01234567,yes,30/06/2025\n"
        "Brightclean Ltd,07654321,no,\n");
    s_write ("contracts.csv",
        "Contract ID,Title,Company Number,Category,Start Date,End Date,RLW Commitment\n"
        "C-1,Town hall security,01234567,Security,01/04/2025,31/03/2027,yes\n"
        "C-5,Home care,07654321,Care,01/04/2025,31/03/2026,yes\n"
        "C-6,Meals at home,07654321,Catering,01/04/2025,31/03/2026,yes\n"
        "C-7,Office cleaning,07654321,Cleaning,01/04/2025,31/03/2026,no\n"
        "C-8,Grounds,07654321,Grounds maintenance,01/04/2025,31/03/2026,yes\n");
    s_write ("police-contracts.csv",
        "Contract ID,Title,Company Number,Category,Start Date,End Date,RLW Commitment\n"
        "P-1,Custody suite security,01234567,Security,01/04/2025,31/03/2027,yes\n");
    s_write ("commitments.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-5,ILR-01,2025-26,52\n"
        "C-5,ILR-02,2025-26,8\n"
        "C-6,ILR-01,2025-26,12\n"
        "C-8,ILR-01,2025-26,10\n");
    s_write ("deliveries.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-5,ILR-01,01/04/2025,30/06/2025,13,evidenced\n"
        "C-5,ILR-02,01/04/2025,30/06/2025,2,evidenced\n"
        "C-6,ILR-01,01/04/2025,30/06/2025,3,evidenced\n"
        "C-5,ILR-01,01/07/2025,30/09/2025,13,evidenced\n"
        "C-5,ILR-02,01/07/2025,30/09/2025,2,evidenced\n"
        "C-6,ILR-01,01/07/2025,30/09/2025,3,evidenced\n");
    pid_t ingest = s_start ("build/socval-ingest");
    pid_t compliance = s_start ("build/socval-compliance");
    int rc = s_submit ("suppliers", "suppliers.csv", NULL)
           + s_submit ("contracts", "contracts.csv", NULL)
           + s_socval (NULL, "submit --kind contracts --key %s %s/police-contracts.csv"
                       " >/dev/null", police_path, s_dir)
           + s_submit ("commitments", "commitments.csv", NULL)
           + s_submit ("deliveries", "deliveries.csv", NULL);
    bool settled = rc == 0 && s_settle ();
    testkit_read_stream ("tcp://127.0.0.1:17931", "compliance", s_timeout * 1000,
                         s_record_event, record);
    //  The hook runs on its own thread after the commit: give it a moment
    char *hook_path = zsys_sprintf ("%s/hook.log", s_dir);
    int64_t deadline = zclock_mono () + 5000;
    while ((*hooked = s_count_lines (hook_path)) < record->opened && zclock_mono () < deadline)
        zclock_sleep (50);
    zclock_sleep (200);             //  and for a hook run too many to show
    *hooked = s_count_lines (hook_path);
    if (!settled)
        printf ("     (%s: the feeds were not taken or compliance did not settle)\n", name);
    kill (compliance, SIGTERM);
    waitpid (compliance, NULL, 0);
    kill (ingest, SIGTERM);
    waitpid (ingest, NULL, 0);
    zstr_free (&hook_path);
    zcert_destroy (&police);
    zcert_destroy (&council);
    zstr_free (&police_path);
    zstr_free (&police_public);
    zstr_free (&council_path);
    zstr_free (&s_dir);
    s_dir = parent;
}

//  The network loaded twice into fresh stacks: alerts that mean something
static void
s_network_alerts (void)
{
    s_record_t first = { .lines = zlistx_new () }, second = { .lines = zlistx_new () };
    zlistx_set_destructor (first.lines, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_destructor (second.lines, (zlistx_destructor_fn *) zstr_free);
    int first_hooked = 0, second_hooked = 0;
    s_load_network ("first", &first, &first_hooked);
    s_load_network ("second", &second, &second_hooked);

    printf ("     (%d alerts opened, %d resolved, %d shortfalls opened)\n", first.opened,
            first.resolved, first.shortfalls_opened);
    testkit_check (first.opened == 5 && first.shortfalls_opened == 0 && first.resolved == 0,
                   "commitments loaded before the deliveries that meet them open no shortfall"
                   " alert, and loading opens nothing that it then resolves");

    //  Guardwell's lapse, once for each partner with a contract with it
    int lapses = 0;
    bool named = true;
    for (const char *line = (const char *) zlistx_first (first.lines); line;
         line = (const char *) zlistx_next (first.lines))
        if (strstr (line, "ALERT rlw.accreditation_lapsed/")) {
            lapses++;
            named = named && strstr (line, "Guardwell Security Ltd's Real Living Wage")
                  && !strstr (line, "|open|medium||");
        }
    bool council = false, police = false;
    for (const char *line = (const char *) zlistx_first (first.lines); line;
         line = (const char *) zlistx_next (first.lines)) {
        council = council || strstr (line, "ALERT rlw.accreditation_lapsed/council/CH:01234567|open");
        police = police || strstr (line, "ALERT rlw.accreditation_lapsed/police/CH:01234567|open");
    }
    testkit_check (lapses == 2 && council && police && named,
                   "a lapsed accreditation raises one alert for each partner holding a"
                   " contract with the supplier, naming the supplier as its feed did");

    bool same = zlistx_size (first.lines) == zlistx_size (second.lines);
    const char *one = (const char *) zlistx_first (first.lines);
    const char *two = (const char *) zlistx_first (second.lines);
    while (same && one && two) {
        if (!streq (one, two)) {
            printf ("     (first run: %s\n      second run: %s)\n", one, two);
            same = false;
        }
        one = (const char *) zlistx_next (first.lines);
        two = (const char *) zlistx_next (second.lines);
    }
    printf ("     (%zu and %zu events)\n", zlistx_size (first.lines), zlistx_size (second.lines));
    testkit_check (same && zlistx_size (first.lines) > 0,
                   "the same feeds loaded twice into fresh stacks give the same alert stream,"
                   " event for event");

    printf ("     (%d and %d hooks run)\n", first_hooked, second_hooked);
    testkit_check (first_hooked == first.opened && second_hooked == second.opened,
                   "the alert hook runs once per alert opened");
    zlistx_destroy (&first.lines);
    zlistx_destroy (&second.lines);
}

//  Lines of path into lines (up to max), waiting until there are at least
//  wanted or 20 s have passed; how many there were
static int
s_wait_lines (const char *path, int wanted, char lines [][4096], int max)
{
    int count = 0;
    int64_t deadline = zclock_mono () + 20000;
    while (true) {
        count = 0;
        FILE *file = fopen (path, "r");
        while (file && count < max && fgets (lines [count], 4096, file))
            count++;
        if (file)
            fclose (file);
        if (count >= wanted || zclock_mono () > deadline)
            return count;
        zclock_sleep (50);
    }
}

//  A follower's line as "seq state alert_id", into text
static void
s_change (const char *line, char *text, size_t size)
{
    json_t *change = json_loads (line, 0, NULL);
    snprintf (text, size, "%" JSON_INTEGER_FORMAT " %s %s",
              json_integer_value (json_object_get (change, "seq")),
              json_string_value (json_object_get (change, "state")),
              json_string_value (json_object_get (change, "alert_id")));
    json_decref (change);
}

static pid_t
s_follower (const char *offset, const char *log)
{
    char *command = zsys_sprintf ("exec build/socval --data %s alerts --follow --json"
                                  " --offset-file %s/%s >> %s/%s 2>/dev/null",
                                  s_dir, s_dir, offset, s_dir, log);
    pid_t follower = fork ();
    if (follower == 0) {
        execl ("/bin/sh", "sh", "-c", command, (char *) NULL);
        _exit (127);
    }
    zstr_free (&command);
    return follower;
}

//  A fresh stack and followers whose offset files do not exist yet, as an
//  operator starts one from deploy/README: the first sees an alert raised
//  then resolved as two lines, and, restarted from its offset file, the
//  reopening it missed, once; a second, started while the alert is open,
//  prints it first
static void
s_new_follower (void)
{
    char *parent = s_enter ("fresh");
    char *council_path = zsys_sprintf ("%s/keys/council.cert", s_dir);
    zcert_t *council = zcert_load (council_path);
    assert (council);
    char *config = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "partners\n    council\n        public_key = \"%s\"\n"
        "ingest\n    feed_endpoint = \"tcp://127.0.0.1:17910\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17911\"\n"
        "    control_endpoint = \"" S_INGEST_CONTROL "\"\n"
        "compliance\n    clock_file = \"%s/today\"\n    tick_ms = 100\n    quiet_ms = 200\n"
        "    rlw_rates = \"%s/rates.csv\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17931\"\n"
        "    control_endpoint = \"" S_COMPLIANCE_CONTROL "\"\n",
        s_dir, zcert_public_txt (council), s_dir, s_dir);
    s_write ("socval.cfg", config);
    zstr_free (&config);
    s_write ("today", "2025-05-01");
    //  A rate not yet announced on that date, so that only C-1 raises
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2026,1320,1440,2025-10-20,2026-05-01\n");
    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode,RLW Accredited,RLW Expiry\n"
        "Brightclean Ltd,S1,M32 0JG,no,\n");
    const char *contracts =
        "Contract ID,Title,Supplier ID,Category,Start Date,End Date,RLW Commitment\n"
        "C-1,Office cleaning,S1,Cleaning services,01/04/2025,31/03/2026,%s\n";
    char *text = zsys_sprintf (contracts, "no");
    s_write ("contracts-no.csv", text);
    zstr_free (&text);
    text = zsys_sprintf (contracts, "yes");
    s_write ("contracts-yes.csv", text);
    zstr_free (&text);
    pid_t ingest = s_start ("build/socval-ingest");
    pid_t compliance = s_start ("build/socval-compliance");
    char *log_path = zsys_sprintf ("%s/new.log", s_dir);
    char *offset_path = zsys_sprintf ("%s/new.offset", s_dir);
    char lines [8][4096], changes [8][200];

    //  Started before anything is raised: it stores the head once started
    bool settled = s_submit ("suppliers", "suppliers.csv", NULL) == 0 && s_settle ();
    pid_t follower = s_follower ("new.offset", "new.log");
    int64_t deadline = zclock_mono () + 20000;
    while (!zsys_file_exists (offset_path) && zclock_mono () < deadline)
        zclock_sleep (50);
    settled = settled && s_submit ("contracts", "contracts-no.csv", NULL) == 0 && s_settle ()
           && s_wait_lines (log_path, 1, lines, 8) >= 1
           && s_submit ("contracts", "contracts-yes.csv", NULL) == 0 && s_settle ();
    int count = s_wait_lines (log_path, 2, lines, 8);
    zclock_sleep (300);             //  for a line too many to show
    count = s_wait_lines (log_path, 2, lines, 8);
    for (int index = 0; index < count; index++)
        s_change (lines [index], changes [index], sizeof changes [index]);
    if (count != 2)
        for (int index = 0; index < count; index++)
            printf ("     (line %d: %s)\n", index + 1, changes [index]);
    testkit_check (settled && count == 2
                   && strstr (changes [0], " open rlw.missing_commitment/council/C-1")
                   && strstr (changes [1], " resolved rlw.missing_commitment/council/C-1"),
                   "a follower with a new offset file prints an alert raised then resolved as"
                   " two lines, raised then resolved, and nothing from before it started");

    //  Away while the alert reopens; back from its offset file
    kill (follower, SIGTERM);
    waitpid (follower, NULL, 0);
    settled = s_submit ("contracts", "contracts-no.csv", "contracts-again") == 0 && s_settle ();
    follower = s_follower ("new.offset", "new.log");
    count = s_wait_lines (log_path, 3, lines, 8);
    zclock_sleep (500);
    count = s_wait_lines (log_path, 3, lines, 8);
    kill (follower, SIGTERM);
    waitpid (follower, NULL, 0);
    for (int index = 0; index < count; index++)
        s_change (lines [index], changes [index], sizeof changes [index]);
    bool increasing = true;
    for (int index = 1; index < count; index++)
        increasing = increasing && atoll (changes [index]) > atoll (changes [index - 1]);
    if (count != 3)
        for (int index = 0; index < count; index++)
            printf ("     (line %d: %s)\n", index + 1, changes [index]);
    testkit_check (settled && count == 3 && increasing
                   && strstr (changes [2], " open rlw.missing_commitment/council/C-1"),
                   "the follower restarted from its offset file prints the reopening it"
                   " missed, and repeats nothing it printed before");

    //  Another new follower, while the alert is open: that alert first
    char *second_log = zsys_sprintf ("%s/second.log", s_dir);
    follower = s_follower ("second.offset", "second.log");
    count = s_wait_lines (second_log, 1, lines, 8);
    zclock_sleep (300);
    count = s_wait_lines (second_log, 1, lines, 8);
    kill (follower, SIGTERM);
    waitpid (follower, NULL, 0);
    if (count > 0)
        s_change (lines [0], changes [0], sizeof changes [0]);
    testkit_check (count == 1 && strstr (changes [0], " open rlw.missing_commitment/council/C-1"),
                   "a follower with a new offset file starts with the alerts open now");

    kill (compliance, SIGTERM);
    waitpid (compliance, NULL, 0);
    kill (ingest, SIGTERM);
    waitpid (ingest, NULL, 0);
    zstr_free (&second_log);
    zstr_free (&log_path);
    zstr_free (&offset_path);
    zcert_destroy (&council);
    zstr_free (&council_path);
    zstr_free (&s_dir);
    s_dir = parent;
}

int
main (int argc, char *argv [])
{
    bool short_run = argc > 1 && streq (argv [1], "--short");
    if (short_run) {
        s_timeout = 60;
        s_network_quiet_ms = 10000;
    }
    s_dir = zsys_sprintf ("/tmp/sv_test_compliance_%d", getpid ());
    zsys_dir_create ("%s/keys/partners", s_dir);
    assert (s_socval (NULL, "keys new ingest >/dev/null") == 0);
    assert (s_socval (NULL, "keys new council >/dev/null") == 0);
    char *cert_path = zsys_sprintf ("%s/keys/council.cert", s_dir);
    char *public_path = zsys_sprintf ("%s/keys/partners/council.cert", s_dir);
    zcert_t *cert = zcert_load (cert_path);
    assert (cert && zcert_save_public (cert, public_path) == 0);
    //  A rate announced in October 2025, to be paid from 1 May 2026
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2026,1320,1440,2025-10-20,2026-05-01\n");
    const char *config_text =
        "data\n    dir = \"%s\"\n"
        "stream\n    batch_max = 500\n"
        "partners\n    council\n        public_key = \"%s\"\n"
        "        rlw_renewal = \"%s\"\n"
        "ingest\n    feed_endpoint = \"tcp://127.0.0.1:17910\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17911\"\n"
        "    control_endpoint = \"" S_INGEST_CONTROL "\"\n"
        "compliance\n    clock_file = \"%s/today\"\n    tick_ms = 100\n    quiet_ms = 200\n"
        "    rlw_rates = \"%s/rates.csv\"\n"
        "    alert_hook = \"cat >> %s/hook.log; echo >> %s/hook.log\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17931\"\n"
        "    control_endpoint = \"" S_COMPLIANCE_CONTROL "\"\n";
    char *config = zsys_sprintf (config_text, s_dir, zcert_public_txt (cert), "2025-07-15",
                                 s_dir, s_dir, s_dir, s_dir);
    s_write ("socval.cfg", config);
    zstr_free (&config);
    s_write ("today", "2025-05-01");
    s_ingest = s_start ("build/socval-ingest");
    s_compliance = s_start ("build/socval-compliance");

    //  ------------------------------------------------------------------
    //  rlw.missing_commitment, through the whole stack
    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode,RLW Accredited,RLW Expiry\n"
        "Brightclean Ltd,S1,M32 0JG,no,\n"
        "Guardwell Security Ltd,S2,M1 1AA,yes,30/06/2025\n");
    const char *contracts =
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date,RLW Commitment\n"
        "C-1,Office cleaning,S1,Cleaning services,250000.00,01/04/2025,31/03/2026,%s\n"
        "C-2,Town hall security,S2,Security,90000.00,01/04/2025,31/03/2027,no\n"
        "C-3,Laptops,S1,IT services,40000.00,01/04/2025,31/03/2026,no\n"
        "C-4,Event catering,S1,Catering,9000.00,01/04/2025,25/05/2025,no\n"
        "C-5,Home care,S1,Care,400000.00,01/04/2025,31/03/2026,yes\n"
        "C-6,Grounds,S1,Grounds maintenance,80000.00,01/04/2025,31/03/2026,yes\n";
    char *text = zsys_sprintf (contracts, "no");
    s_write ("contracts-1.csv", text);
    zstr_free (&text);
    s_write ("commitments.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-5,ILR-01,2025-26,52\n"
        "C-6,ILR-02,2025-26,10\n");
    s_write ("deliveries-1.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-5,ILR-01,01/04/2025,30/06/2025,5,evidenced\n"
        "C-6,ILR-02,01/04/2025,30/06/2025,2.5,evidenced\n");
    int rc = s_submit ("suppliers", "suppliers.csv", NULL)
           + s_submit ("contracts", "contracts-1.csv", NULL)
           + s_submit ("commitments", "commitments.csv", NULL)
           + s_submit ("deliveries", "deliveries-1.csv", NULL);
    testkit_check (rc == 0 && s_settle (), "the feeds are taken and compliance catches up");
    char state [32];
    int listed = s_alert_field ("rlw.missing_commitment/council/C-1", "state", state);
    if (listed != 1) {
        char *all = NULL;
        s_socval (&all, "alerts --state all");
        printf ("     (alerts listed:\n%s)\n", all? all: "");
        zstr_free (&all);
    }
    testkit_check (streq (state, "open") && listed == 1,
                   "an in-scope cleaning contract without an RLW commitment raises"
                   " rlw.missing_commitment, and nothing else fires (accredited security,"
                   " IT, 8-week catering, committed care)");
    char *output = NULL;
    s_socval (&output, "alerts");
    testkit_check (output && strstr (output, "rlw.missing_commitment/council/C-1")
                   && strstr (output, "Brightclean Ltd") && strstr (output, "1 open alert"),
                   "socval alerts lists it for a person, naming the supplier");
    zstr_free (&output);

    text = zsys_sprintf (contracts, "yes");
    s_write ("contracts-2.csv", text);
    zstr_free (&text);
    rc = s_submit ("contracts", "contracts-2.csv", NULL);
    testkit_check (rc == 0 && s_settle () && s_is ("rlw.missing_commitment/council/C-1", "resolved"),
                   "a later feed recording the commitment resolves it");
    rc = s_submit ("contracts", "contracts-1.csv", "contracts-again");
    testkit_check (rc == 0 && s_settle () && s_is ("rlw.missing_commitment/council/C-1", "open")
                   && s_alert_field ("", "state", state) == 1,
                   "a feed withdrawing it reopens the same alert, not a new one");
    rc = s_socval (&output, "alerts ack rlw.missing_commitment/council/C-1 --by officer");
    testkit_check (rc == 0 && output && strstr (output, "acknowledged")
                   && s_is ("rlw.missing_commitment/council/C-1", "acknowledged"),
                   "socval alerts ack acknowledges it");
    zstr_free (&output);
    rc = s_socval (NULL, "alerts ack rlw.nothing/council/X");
    testkit_check (rc == 1, "acknowledging an unknown alert is refused (exit 1)");
    testkit_check (s_socval (NULL, "alerts --state nonsense") == 2
                   && s_socval (NULL, "alerts --follow --after 12x") == 2
                   && s_socval (NULL, "alerts --after 3") == 2
                   && s_socval (NULL, "alerts ack") == 2,
                   "a state that is not one, a seq that is not a number, --after without"
                   " --follow and ack without an id are usage errors (exit 2)");

    //  ------------------------------------------------------------------
    //  A follower that goes away and comes back misses nothing
    char *follow = zsys_sprintf ("exec build/socval --data %s alerts --follow --json --state all"
                                 " --offset-file %s/follow.offset >> %s/follow.log 2>/dev/null",
                                 s_dir, s_dir, s_dir);
    s_write ("follow.offset", "0\n");
    pid_t follower = fork ();
    if (follower == 0) {
        execl ("/bin/sh", "sh", "-c", follow, (char *) NULL);
        _exit (127);
    }

    //  ------------------------------------------------------------------
    //  rlw.renewal_due: the council's own renewal, 44 days ahead
    s_today ("2025-06-01");
    testkit_check (s_is ("rlw.renewal_due/council/accreditation", "open"),
                   "rlw.renewal_due opens 44 days before the council's renewal date");
    kill (follower, SIGTERM);
    waitpid (follower, NULL, 0);
    //  Renewed: the config moves the date a year on; compliance restarts
    config = zsys_sprintf (config_text, s_dir, zcert_public_txt (cert), "2026-07-15",
                           s_dir, s_dir, s_dir, s_dir);
    s_write ("socval.cfg", config);
    zstr_free (&config);
    kill (s_compliance, SIGTERM);
    waitpid (s_compliance, NULL, 0);
    s_compliance = s_start ("build/socval-compliance");
    zclock_sleep (500);
    testkit_check (s_is ("rlw.renewal_due/council/accreditation", "resolved"),
                   "a renewal date moved a year on resolves it");

    //  ------------------------------------------------------------------
    //  rlw.accreditation_lapsed: Guardwell's accreditation ends 30 June
    s_today ("2025-07-01");
    testkit_check (s_is ("rlw.accreditation_lapsed/council/ID:S2", "open")
                   && s_is ("rlw.missing_commitment/council/C-2", "open"),
                   "an accreditation past its expiry raises rlw.accreditation_lapsed, and its"
                   " security contract now lacks an RLW commitment");
    s_write ("suppliers-2.csv",
        "Supplier Name,Supplier ID,Postcode,RLW Accredited,RLW Expiry\n"
        "Guardwell Security Ltd,S2,M1 1AA,yes,30/06/2026\n");
    rc = s_submit ("suppliers", "suppliers-2.csv", NULL);
    testkit_check (rc == 0 && s_settle () && s_is ("rlw.accreditation_lapsed/council/ID:S2", "resolved")
                   && s_is ("rlw.missing_commitment/council/C-2", "resolved"),
                   "a renewed accreditation resolves both");

    //  ------------------------------------------------------------------
    //  delivery.shortfall: C-5 committed 52 over the year, delivered 5 by
    //  1 October: expected at least 52 x 183/364 x 0.9 = 23.527
    s_today ("2025-10-01");
    char measure [32];
    s_alert_field ("delivery.shortfall/council/C-5/ILR-01", "measure", measure);
    testkit_check (s_is ("delivery.shortfall/council/C-5/ILR-01", "open")
                   && streq (measure, "ILR-01"),
                   "delivering 5 of 52 half way through raises delivery.shortfall, on ILR-01");
    s_write ("deliveries-2.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-5,ILR-01,01/07/2025,30/09/2025,30,evidenced\n");
    rc = s_submit ("deliveries", "deliveries-2.csv", NULL);
    testkit_check (rc == 0 && s_settle () && s_is ("delivery.shortfall/council/C-5/ILR-01", "resolved"),
                   "a return bringing it to 35 resolves it");

    //  ------------------------------------------------------------------
    //  delivery.overdue: C-6's July-September return, 46 days after
    s_today ("2025-11-15");
    testkit_check (s_is ("delivery.overdue/council/C-6", "open")
                   && s_is ("delivery.overdue/council/C-5", ""),
                   "a quarter ended 46 days ago with no return raises delivery.overdue");
    s_write ("deliveries-3.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-6,ILR-02,01/07/2025,30/09/2025,2.5,claimed\n");
    rc = s_submit ("deliveries", "deliveries-3.csv", NULL);
    testkit_check (rc == 0 && s_settle () && s_is ("delivery.overdue/council/C-6", "resolved"),
                   "the return arriving resolves it");

    //  Time passes: each condition returns and its alert reopens
    s_today ("2026-02-15");
    testkit_check (s_is ("delivery.overdue/council/C-6", "open")
                   && s_is ("delivery.shortfall/council/C-5/ILR-01", "open"),
                   "by 15 February the next quarter is overdue and 35 of 52 falls short again:"
                   " both reopen");
    s_today ("2026-03-15");
    testkit_check (s_is ("rlw.renewal_due//rate-2026", "open"),
                   "47 days before 1 May the new rate's deadline raises rlw.renewal_due");
    s_today ("2026-07-01");
    testkit_check (s_is ("rlw.renewal_due//rate-2026", "resolved")
                   && s_is ("rlw.renewal_due/council/accreditation", "open")
                   && s_is ("rlw.accreditation_lapsed/council/ID:S2", "open"),
                   "after the deadline the rate alert resolves; the council's renewal comes"
                   " round again and Guardwell's accreditation lapses again: both reopen");

    //  ------------------------------------------------------------------
    //  The follower, started again from its offset file, printed every
    //  change once, including those made while it was away
    follower = fork ();
    if (follower == 0) {
        execl ("/bin/sh", "sh", "-c", follow, (char *) NULL);
        _exit (127);
    }
    s_stream_t stream = { .latest = zhashx_new () };
    zhashx_set_destructor (stream.latest, (zhashx_destructor_fn *) zstr_free);
    int64_t events = testkit_read_stream ("tcp://127.0.0.1:17931", "compliance", s_timeout * 1000,
                                          s_count_event, &stream);
    //  Until it has printed as many changes as the stream holds (or a
    //  deadline: then the check below fails)
    char *count_lines = zsys_sprintf ("wc -l < %s/follow.log", s_dir);
    int64_t deadline = zclock_mono () + 30000;
    while (zclock_mono () < deadline) {
        char *output = NULL;
        testkit_run (&output, "%s", count_lines);
        int64_t printed = output? atoll (output): 0;
        zstr_free (&output);
        if (printed >= events)
            break;
        zclock_sleep (100);
    }
    zstr_free (&count_lines);
    kill (follower, SIGTERM);
    waitpid (follower, NULL, 0);
    char *log_path = zsys_sprintf ("%s/follow.log", s_dir);
    int lines = 0;
    uint64_t last_seq = 0;
    bool in_order = true;
    FILE *file = fopen (log_path, "r");
    char line [4096];
    while (file && fgets (line, sizeof line, file)) {
        json_t *change = json_loads (line, 0, NULL);
        uint64_t seq = (uint64_t) json_integer_value (json_object_get (change, "seq"));
        in_order = in_order && seq == last_seq + 1;
        last_seq = seq;
        lines++;
        json_decref (change);
    }
    if (file)
        fclose (file);
    zstr_free (&log_path);
    printf ("     (%d changes followed, %" PRId64 " in the stream)\n", lines, events);
    testkit_check (events > 10 && lines == events && in_order,
                   "a follower resuming from its offset file printed every change once, in order");
    testkit_check (stream.duplicates == 0, "no change of state is sent twice");

    //  The hook ran once per alert opened, with the alert as JSON
    char *hook_path = zsys_sprintf ("%s/hook.log", s_dir);
    int hooked = 0;
    file = fopen (hook_path, "r");
    bool parsed = file != NULL;
    while (file && fgets (line, sizeof line, file)) {
        if (*line == '\n')
            continue;
        json_t *alert = json_loads (line, 0, NULL);
        parsed = parsed && json_string_value (json_object_get (alert, "alert_id"));
        json_decref (alert);
        hooked++;
    }
    if (file)
        fclose (file);
    zstr_free (&hook_path);
    printf ("     (%d hooks run, %d alerts opened)\n", hooked, stream.opened);
    testkit_check (parsed && hooked == stream.opened,
                   "the alert hook ran once for every alert opened, with its JSON on stdin");
    zhashx_destroy (&stream.latest);

    //  ------------------------------------------------------------------
    //  SIGKILL compliance while a large contracts feed streams through it
    int rows = short_run? 3000: 6000;
    zchunk_t *csv = zchunk_new (NULL, 0);
    const char *header = "Contract ID,Title,Supplier ID,Category,Start Date,End Date,RLW Commitment\n";
    zchunk_extend (csv, header, strlen (header));
    int expected = 0;
    for (int row = 0; row < rows; row++) {
        //  Every third a cleaning contract without a commitment
        bool missing = row % 3 == 0;
        expected += missing;
        char entry [160];
        int size = snprintf (entry, sizeof entry, "K-%05d,Contract %d,S1,%s,01/04/2026,31/03/2028,%s\n",
                             row, row, missing? "Cleaning": "Consultancy", row % 3 == 1? "yes": "no");
        zchunk_extend (csv, entry, (size_t) size);
    }
    char *path = zsys_sprintf ("%s/large.csv", s_dir);
    file = fopen (path, "w");
    assert (fwrite (zchunk_data (csv), 1, zchunk_size (csv), file) == zchunk_size (csv));
    fclose (file);
    zchunk_destroy (&csv);
    zstr_free (&path);
    rc = s_submit ("contracts", "large.csv", NULL);
    //  Kill it part way through the feed, and once more
    int64_t head = -1;
    sv_proto_t reply = { .id = 0 };
    if (testkit_status (S_INGEST_CONTROL, 1000, &reply) == 0)
        head = (int64_t) reply.status_reply.streams [0].head_seq;
    sv_proto_reset (&reply);
    bool mid_stream = false;
    for (int kill_no = 0; kill_no < 2; kill_no++) {
        int64_t offset = -1;
        int64_t deadline = zclock_mono () + 5000;
        while (offset <= 0 && zclock_mono () < deadline) {
            zclock_sleep (kill_no? 100: 5);
            if (testkit_status (S_COMPLIANCE_CONTROL, 1000, &reply) == 0)
                offset = (int64_t) reply.status_reply.consumers [0].offset;
            sv_proto_reset (&reply);
        }
        printf ("     (killed at offset %" PRId64 " of %" PRId64 ")\n", offset, head);
        mid_stream = mid_stream || (offset > 0 && offset < head);
        kill (s_compliance, SIGKILL);
        waitpid (s_compliance, NULL, 0);
        s_compliance = s_start ("build/socval-compliance");
    }
    bool settled = s_settle ();
    stream = (s_stream_t) { .latest = zhashx_new () };
    zhashx_set_destructor (stream.latest, (zhashx_destructor_fn *) zstr_free);
    testkit_read_stream ("tcp://127.0.0.1:17931", "compliance", s_timeout * 1000,
                         s_count_event, &stream);
    int open_large = 0;
    for (const char *alert_state = (const char *) zhashx_first (stream.latest); alert_state;
         alert_state = (const char *) zhashx_next (stream.latest))
        if (strncmp ((const char *) zhashx_cursor (stream.latest),
                     "rlw.missing_commitment/council/K-", 33) == 0
        &&  streq (alert_state, "open"))
            open_large++;
    printf ("     (%d of %d expected alerts open)\n", open_large, expected);
    testkit_check (rc == 0 && settled && mid_stream && open_large == expected
                   && stream.duplicates == 0,
                   "compliance SIGKILLed twice mid-feed: exactly the feed's alerts, each once");
    zhashx_destroy (&stream.latest);

    //  ------------------------------------------------------------------
    //  Alerts come most severe first, and with no answer nothing at all
    char *severities = NULL;
    testkit_run (&severities, "build/socval --data %s --timeout %d alerts --state all --json"
                 " | grep -o '\"severity\": \"[a-z]*\"' | uniq | cut -d'\"' -f4 | tr '\\n' ' '",
                 s_dir, s_timeout);
    testkit_check (severities && streq (severities, "high medium low "),
                   "socval alerts --json lists the high alerts first, then medium, then low");
    zstr_free (&severities);

    s_unreadable_event ();
    kill (s_compliance, SIGTERM);
    waitpid (s_compliance, NULL, 0);
    s_compliance = 0;
    rc = s_socval (&output, "alerts --json");
    testkit_check (rc == 2 && output && !*output,
                   "socval alerts with compliance stopped exits 2 and prints nothing, not an"
                   " empty list");
    zstr_free (&output);
    //  Interrupted well within its timeout, so the interrupt is what ends it
    rc = testkit_run (&output, "build/socval --data %s --timeout 60 alerts --json"
                      " >%s/interrupted 2>/dev/null & pid=$!; sleep 0.5; kill -INT $pid;"
                      " wait $pid; code=$?; cat %s/interrupted; exit $code",
                      s_dir, s_dir, s_dir);
    testkit_check (rc == 2 && output && !*output,
                   "socval alerts interrupted before compliance answers exits 2 and prints"
                   " nothing");
    zstr_free (&output);

    kill (s_ingest, SIGTERM);
    waitpid (s_ingest, NULL, 0);

    //  ------------------------------------------------------------------
    //  Processes last: a network loaded into fresh stacks
    s_network_alerts ();
    s_new_follower ();

    char *remove = zsys_sprintf ("rm -rf '%s'", s_dir);
    assert (system (remove) == 0);
    zstr_free (&remove);
    zstr_free (&follow);
    zstr_free (&cert_path);
    zstr_free (&public_path);
    zcert_destroy (&cert);
    zstr_free (&s_dir);
    return testkit_summary ();
}
