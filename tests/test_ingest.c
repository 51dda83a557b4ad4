/*  test_ingest: the ingest service as partners meet it, through the real
    socval-ingest process and the socval command.

    Each check is named after what it proves; the last line is
    "N passed, N failed". Run from the repository root after `make`.
    Usage: test_ingest [--short]    (--short: a 20,000-row batch is killed
    instead of 150,000, for running under valgrind)
*/

#include <czmq.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <xlsxwriter.h>
#include <zip.h>
#include "sv_proto.h"
#include "ingest_spend.h"
#include "testkit.h"

static char *s_dir;
static int s_timeout = 5;       //  seconds socval waits for an answer
static pid_t s_ingest;

//  Runs the socval command with args; returns its exit code and, when
//  output is not NULL, its stdout (caller frees).
static int
s_socval (char **output, const char *format, ...)
{
    va_list argptr;
    va_start (argptr, format);
    char *args = zsys_vprintf (format, argptr);
    va_end (argptr);
    int rc = testkit_run (output, "build/socval --data %s %s 2>/dev/null", s_dir, args);
    zstr_free (&args);
    return rc;
}

//  Submits file (in the test folder, or a path with '/') with key as JSON;
//  returns the exit code and the receipt.
static int
s_submit (const char *key, const char *extra, const char *file, json_t **receipt_p)
{
    char *output = NULL;
    char *path = strchr (file, '/')? strdup (file): zsys_sprintf ("%s/%s", s_dir, file);
    int rc = s_socval (&output, "--json --timeout %d submit --kind spend --key %s/keys/%s.cert %s %s",
                       s_timeout, s_dir, key, extra, path);
    zstr_free (&path);
    *receipt_p = json_loads (output, 0, NULL);
    free (output);
    return rc;
}

static int64_t
s_field (json_t *receipt, const char *name)
{
    return json_integer_value (json_object_get (receipt, name));
}

//  Rows ingest holds of kind ("SPEND"), from its STATUS; -1 when it does
//  not answer
//  The head of ingest's stream: how many events it has appended
static int64_t
s_head (void)
{
    sv_proto_t reply = { .id = 0 };
    int64_t head = -1;
    if (testkit_status ("tcp://127.0.0.1:17712", s_timeout * 1000, &reply) == 0
    &&  reply.status_reply.streams_count > 0)
        head = (int64_t) reply.status_reply.streams [0].head_seq;
    sv_proto_reset (&reply);
    return head;
}

static int64_t
s_rows (const char *kind)
{
    return testkit_count ("tcp://127.0.0.1:17712", s_timeout * 1000, kind);
}

//  Starts ingest on the config file config_path (the test folder's
//  socval.cfg when NULL)
static void
s_start_ingest_on (const char *config_path)
{
    s_ingest = fork ();
    if (s_ingest == 0) {
        char *config = config_path? strdup (config_path): zsys_sprintf ("%s/socval.cfg", s_dir);
        int null = open ("/dev/null", O_WRONLY);
        dup2 (null, STDOUT_FILENO);
        execl ("build/socval-ingest", "socval-ingest", "--config", config, (char *) NULL);
        _exit (127);
    }
    //  Wait until it answers, rather than sleeping a guessed time
    int64_t deadline = zclock_mono () + 10000;
    while (zclock_mono () < deadline && s_rows ("SPEND") < 0)
        zclock_sleep (50);
}

static void
s_start_ingest (void)
{
    s_start_ingest_on (NULL);
}

//  Stops ingest, records partner's batch_id with the BLAKE2b-256 digest
//  batches had before XXH3 (over kind, format and the file), and starts
//  ingest again
static void
s_record_legacy_digest (const char *partner, const char *batch_id, const char *file)
{
    kill (s_ingest, SIGTERM);
    waitpid (s_ingest, NULL, 0);
    char *path = zsys_sprintf ("%s/%s", s_dir, file);
    FILE *input = fopen (path, "rb");
    zchunk_t *content = zchunk_read (input, 1 << 24);
    fclose (input);
    crypto_generichash_state state;
    crypto_generichash_init (&state, NULL, 0, 32);
    crypto_generichash_update (&state, (const byte *) "spend", 6);
    crypto_generichash_update (&state, (const byte *) "msgpack", 8);
    crypto_generichash_update (&state, zchunk_data (content), zchunk_size (content));
    byte hash [32];
    char hex [65];
    crypto_generichash_final (&state, hash, sizeof hash);
    sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
    zchunk_destroy (&content);
    zstr_free (&path);

    path = zsys_sprintf ("%s/ingest.db", s_dir);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    assert (sqlite3_open (path, &db) == SQLITE_OK);
    assert (sqlite3_prepare_v2 (db, "UPDATE batches SET digest = ?1"
                                    " WHERE partner = ?2 AND batch_id = ?3", -1, &stmt, NULL)
            == SQLITE_OK);
    sqlite3_bind_text (stmt, 1, hex, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, batch_id, -1, SQLITE_STATIC);
    assert (sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (db) == 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    zstr_free (&path);
    s_start_ingest ();
}

//  Writes count spend records to file; the records claim to be police's
//  Adds spend records [first, first + count) to buffer, as s_write_spend
//  writes them
static void
s_encode_spend (msgpack_sbuffer *buffer, int first, int count)
{
    for (int index = first; index < first + count; index++) {
        char transaction [32];
        snprintf (transaction, sizeof transaction, "T%d", index);
        sv_proto_t spend = { .id = SV_PROTO_SPEND };
        spend.spend.partner = "police";
        spend.spend.transaction_no = transaction;
        spend.spend.line = 1;
        spend.spend.payment_date = "2024-05-01";
        spend.spend.amount_pence = index * 100;
        assert (sv_proto_encode (&spend, buffer) == 0);
    }
}

static void
s_write_spend (const char *file, int first, int count, bool broken_last)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    s_encode_spend (&buffer, first, count);
    if (broken_last)
        buffer.size -= 3;
    char *path = zsys_sprintf ("%s/%s", s_dir, file);
    FILE *out = fopen (path, "wb");
    assert (out && fwrite (buffer.data, 1, buffer.size, out) == buffer.size);
    fclose (out);
    zstr_free (&path);
    msgpack_sbuffer_destroy (&buffer);
}

//  What ingest_spend makes of a file read directly, as police send it, to
//  compare with what the service made of it
typedef struct {
    int64_t accepted;
    int64_t rejected;
    bool refused;
} s_expected_t;

static int
s_count_row (const ingest_spend_row_t *row, void *arg)
{
    (void) row;
    ((s_expected_t *) arg)->accepted++;
    return 0;
}

static void
s_count_error (const sv_csv_error_t *error, void *arg)
{
    (void) error;
    ((s_expected_t *) arg)->rejected++;
}

static s_expected_t
s_expected (const char *path)
{
    s_expected_t expected = { 0 };
    ingest_spend_t *spend = ingest_spend_new (s_count_row, s_count_error, &expected);
    //  As police, who declare their dates day first, sends it
    assert (ingest_spend_set_date_order (spend, "dmy") == 0);
    FILE *file = fopen (path, "rb");
    zchunk_t *chunk = zchunk_read (file, 1 << 24);
    fclose (file);
    expected.refused = ingest_spend_feed (spend, zchunk_data (chunk), zchunk_size (chunk))
                    || ingest_spend_finish (spend);
    zchunk_destroy (&chunk);
    ingest_spend_destroy (&spend);
    return expected;
}

static void
s_write_file (const char *name, const void *data, size_t size)
{
    char *path = zsys_sprintf ("%s/%s", s_dir, name);
    FILE *out = fopen (path, "wb");
    assert (out && fwrite (data, 1, size, out) == size);
    fclose (out);
    zstr_free (&path);
}

//  The state and first reason of a receipt
static const char *
s_state (json_t *receipt)
{
    return json_string_value (json_object_get (receipt, "state"));
}

static const char *
s_first_reason (json_t *receipt)
{
    return json_string_value (json_object_get (
        json_array_get (json_object_get (receipt, "errors"), 0), "reason"));
}

//  The reason of a receipt's first warning, or NULL; *row_p its row
static const char *
s_first_warning (json_t *receipt, int64_t *row_p)
{
    json_t *warning = json_array_get (json_object_get (receipt, "warnings"), 0);
    *row_p = json_integer_value (json_object_get (warning, "row"));
    return json_string_value (json_object_get (warning, "reason"));
}

static int64_t
s_spend_rows (void)
{
    return s_rows ("SPEND");
}

//  Counts SPEND events, and those of one partner, as the stream is read
typedef struct {
    const char *partner;
    int64_t spend;
    int64_t of_partner;
} s_spend_count_t;

static void
s_count_spend (const sv_proto_event_t *event, void *arg)
{
    s_spend_count_t *count = (s_spend_count_t *) arg;
    sv_proto_t body = { .id = 0 };
    if (sv_proto_decode (&body, event->body, event->body_size) == 0 && body.id == SV_PROTO_SPEND) {
        count->spend++;
        count->of_partner += streq (body.spend.partner, count->partner);
    }
    sv_proto_reset (&body);
}

//  Reads the whole ingest stream; returns how many SPEND events it holds
//  and, in *of_partner, how many of them belong to partner.
static int64_t
s_stream_spend (const char *partner, int64_t *of_partner)
{
    s_spend_count_t count = { .partner = partner };
    testkit_read_stream ("tcp://127.0.0.1:17711", "ingest", s_timeout * 1000,
                         s_count_spend, &count);
    *of_partner = count.of_partner;
    return count.spend;
}

//  Submits the file at path (in s_dir when relative) as council's spend in
//  a process of its own, its output dropped; returns its pid
static pid_t
s_submit_in_background (const char *path)
{
    char *command = zsys_sprintf ("build/socval --data %s --timeout %d submit --kind spend"
                                  " --key %s/keys/council.cert %s%s%s >/dev/null 2>&1",
                                  s_dir, s_timeout, s_dir, *path == '/'? "": s_dir,
                                  *path == '/'? "": "/", path);
    pid_t submitter = fork ();
    if (submitter == 0) {
        execl ("/bin/sh", "sh", "-c", command, (char *) NULL);
        _exit (127);
    }
    zstr_free (&command);
    return submitter;
}

//  A DEALER on ingest's feed with partner's key, for talking SUBMIT by hand
static zsock_t *
s_feed_socket (const char *partner)
{
    char *cert_path = zsys_sprintf ("%s/keys/%s.cert", s_dir, partner);
    char *server_path = zsys_sprintf ("%s/keys/ingest.cert", s_dir);
    zcert_t *client = zcert_load (cert_path), *server = zcert_load (server_path);
    zsock_t *feed = zsock_new (ZMQ_DEALER);
    zcert_apply (client, feed);
    zsock_set_curve_serverkey (feed, zcert_public_txt (server));
    zsock_connect (feed, "tcp://127.0.0.1:17710");
    zcert_destroy (&client);
    zcert_destroy (&server);
    zstr_free (&cert_path);
    zstr_free (&server_path);
    return feed;
}

//  A receipt says which columns of a CSV file were read as what, and which
//  were ignored
static void
s_test_receipt_names_columns (void)
{
    const char *text = "Payment Date,Transaction Number,Amount,Supplier Name,Notes\n"
                       "01/05/2024,COL-1,120.00,Acme Cleaning Ltd,paid late\n";
    s_write_file ("columns.csv", text, strlen (text));
    json_t *receipt;
    int rc = s_submit ("council", "", "columns.csv", &receipt);
    json_t *columns = json_object_get (receipt, "columns");
    json_t *date = json_array_get (columns, 0), *notes = json_array_get (columns, 4);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1 && json_array_size (columns) == 5
                   && streq (json_string_value (json_object_get (date, "source")), "Payment Date")
                   && streq (json_string_value (json_object_get (date, "field")), "payment_date")
                   && streq (json_string_value (json_object_get (notes, "source")), "Notes")
                   && json_is_null (json_object_get (notes, "field")),
                   "a receipt names each column read and each column ignored");
    json_decref (receipt);

    //  A row taken with something to say: the warning reaches the receipt
    const char *returns = "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
                          "W-001,NT3,01/04/2025,30/06/2025,-2,evidenced\n";
    s_write_file ("negative.csv", returns, strlen (returns));
    rc = s_submit ("council", "--kind deliveries", "negative.csv", &receipt);
    bool negative = false;
    json_t *warnings = json_object_get (receipt, "warnings");
    for (size_t index = 0; index < json_array_size (warnings); index++) {
        json_t *warning = json_array_get (warnings, index);
        negative = negative
            || (json_integer_value (json_object_get (warning, "row")) == 2
                && strstr (json_string_value (json_object_get (warning, "reason")), "negative"));
    }
    testkit_check (rc == 0 && s_field (receipt, "accepted") >= 1 && negative,
                   "a delivery return of a negative quantity is taken, its receipt warning of"
                   " it on line 2");
    json_decref (receipt);
}

//  A month-first spend file (Oxford's, its dates rewritten m/d/y) is read
//  month first in full, and the receipt says why; the police, who declare
//  their files day first, have the same file's month-first dates rejected
static void
s_test_month_first (void)
{
    const char *file = "tests/fixtures/spend/mdy_oxford_jan-mar-2017.csv";
    json_t *receipt;
    int rc = s_submit ("council", "--batch mdy-council", file, &receipt);
    const char *warning = json_string_value (json_object_get (
        json_array_get (json_object_get (receipt, "warnings"), 0), "reason"));
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0
                   && s_field (receipt, "accepted") + s_field (receipt, "duplicates") == 30
                   && warning && strstr (warning, "read month first"),
                   "a month-first spend file is read month first in full, the receipt saying"
                   " so");
    json_decref (receipt);
    rc = s_submit ("police", "--batch mdy-police", file, &receipt);
    testkit_check (rc == 0 && s_field (receipt, "rejected") > 0
                   && strstr (s_first_reason (receipt), "day first"),
                   "a partner declaring its dates day first (date_order = dmy) has a"
                   " month-only date rejected, never read the other way");
    json_decref (receipt);
}

//  The SPEND events of one partner and body on the stream: how many, their
//  pence, how many redacted, how many on one date, and one payment's pence
typedef struct {
    const char *partner;
    const char *body_name;
    const char *date;           //  yyyy-mm-dd
    const char *transaction_no; //  the payment to look at
    int64_t rows;
    int64_t pence;
    int64_t redacted;
    int64_t on_date;
    int64_t named_masked;       //  supplier names still masked with '*'
    int64_t transaction_pence;
    int64_t keyed_by_id;        //  supplier keys made from a partner's supplier ID
} s_body_spend_t;

static void
s_count_body_spend (const sv_proto_event_t *event, void *arg)
{
    s_body_spend_t *count = (s_body_spend_t *) arg;
    sv_proto_t body = { .id = 0 };
    if (sv_proto_decode (&body, event->body, event->body_size) == 0 && body.id == SV_PROTO_SPEND
    &&  streq (body.spend.partner, count->partner)
    &&  streq (body.spend.body_name, count->body_name)) {
        count->rows++;
        count->pence += body.spend.amount_pence;
        count->redacted += body.spend.redacted;
        count->on_date += streq (body.spend.payment_date, count->date);
        count->named_masked += strchr (body.spend.supplier_name, '*') != NULL;
        count->keyed_by_id += strncmp (body.spend.supplier_key, "ID:", 3) == 0;
        if (streq (body.spend.transaction_no, count->transaction_no))
            count->transaction_pence = body.spend.amount_pence;
    }
    sv_proto_reset (&body);
}

static s_body_spend_t
s_body_spend (const char *partner, const char *body_name, const char *date,
              const char *transaction_no)
{
    s_body_spend_t count = { partner, body_name, date, transaction_no, 0, 0, 0, 0, 0, 0, 0 };
    testkit_read_stream ("tcp://127.0.0.1:17711", "ingest", s_timeout * 1000,
                         s_count_body_spend, &count);
    return count;
}

//  Real files not seen before, through the service, against their
//  independent reading (Python's csv module and Decimal, the amounts
//  rounded to the penny only where a double's noise is below 1e-9; see
//  tests/fixtures/spend/PROVENANCE.md): Devon's printed doubles read as
//  their pence, Craven's masked suppliers redacted and its foot total
//  rejected, Darlington's title block refused whole
static void
s_test_real_files (void)
{
    json_t *receipt;
    int rc = s_submit ("council", "--batch devon-2021-01",
                       "tests/fixtures/spend/devon_2021-01.csv", &receipt);
    int64_t row;
    const char *why = s_first_warning (receipt, &row);
    s_body_spend_t devon = s_body_spend ("council", "Devon County Council", "2021-01-04",
                                         "CDWM35010820");
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 51
                   && s_field (receipt, "rejected") == 0
                   && row == 7 && why && strstr (why, "floating-point") && strstr (why, "-£700.44")
                   && devon.rows == 51 && devon.on_date == 51 && devon.pence == 41435412
                   && devon.transaction_pence == 272070 && devon.redacted == 2,
                   "Devon January 2021: 51 payments stored, £414,354.12, all on 2021-01-04,"
                   " 2720.7000000000003 stored as 272070 pence, its body named from"
                   " 'Name of Body', one warning for its 16 printed doubles");
    json_decref (receipt);

    //  An extra digit the noise of a double does not explain is refused,
    //  naming the row, column and value
    const char *noisy = "Body,Name of Body,Date,Transaction Number,Amount,Supplier Name\n"
                        "18,Devon County Council,2021-01-04 00:00:00,EXCHEQ1,"
                        "1554.3400000000101,DEVON NORSE LTD (NORWICH)\n";
    s_write_file ("noisy.csv", noisy, strlen (noisy));
    rc = s_submit ("council", "", "noisy.csv", &receipt);
    json_t *error = json_array_get (json_object_get (receipt, "errors"), 0);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0
                   && s_field (receipt, "rejected") == 1
                   && json_integer_value (json_object_get (error, "row")) == 2
                   && streq (json_string_value (json_object_get (error, "column")), "Amount")
                   && strstr (s_first_reason (receipt), "more than two decimal places")
                   && strstr (s_first_reason (receipt), "1554.3400000000101"),
                   "an amount whose extra digits a double does not explain is rejected,"
                   " naming row 2, column 'Amount' and the value");
    json_decref (receipt);

    rc = s_submit ("council", "--batch craven-2017-03",
                   "tests/fixtures/spend/craven_2017-03.csv", &receipt);
    error = json_array_get (json_object_get (receipt, "errors"), 0);
    s_body_spend_t craven = s_body_spend ("council", "Craven District Council", "2017-03-30",
                                          "57011936");
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 42
                   && s_field (receipt, "rejected") == 1
                   && json_integer_value (json_object_get (error, "row")) == 44
                   && strstr (s_first_reason (receipt), "no payment date")
                   && craven.rows == 42 && craven.pence == 30477301 && craven.redacted == 6
                   && craven.named_masked == 0 && craven.on_date == 4,
                   "Craven March 2017: 42 payments, £304,773.01 (4 of them on 30/03), six masked '*****' suppliers"
                   " stored as redacted, the unlabelled foot total (row 44) rejected");
    json_decref (receipt);

    int64_t head = s_head ();
    rc = s_submit ("council", "", "tests/fixtures/spend/darlington_raw_2014-12_a.csv", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (s_first_reason (receipt), "no column for payment_date")
                   && strstr (s_first_reason (receipt), "line 21") && s_head () == head,
                   "Darlington as published (an SQL query and a 'Dec-13' title above a header"
                   " with no date column) is refused whole, naming line 21, and adds nothing");
    json_decref (receipt);

    //  Wakefield as published: every supplier ID is "Redacted", which must
    //  not make its three suppliers one
    rc = s_submit ("council", "--batch wakefield-2017-18-b",
                   "tests/fixtures/spend/wakefield_raw_2017-18_b.csv", &receipt);
    why = s_first_warning (receipt, &row);
    s_body_spend_t wakefield = s_body_spend ("council", "Wakefield MDC", "2017-08-23",
                                             "23382334");
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 8
                   && row == 5 && why && strstr (why, "read as no supplier ID")
                   && wakefield.rows == 8 && wakefield.pence == 669850
                   && wakefield.keyed_by_id == 0 && wakefield.transaction_pence == 63800,
                   "Wakefield's 'Redacted' supplier IDs are read as none: 8 payments,"
                   " £6,698.50, no supplier keyed by an ID, one warning naming row 5");
    json_decref (receipt);

    //  Newcastle's January 2017 excerpt with a "Dr/Cr" column (PROVENANCE.md):
    //  credits written unsigned beside "CR" are read negative, so the file
    //  with its credits already negative is the same payments again
    rc = s_submit ("council", "--batch drcr-unsigned",
                   "tests/fixtures/spend/drcr_unsigned_newcastle_2017-01.csv", &receipt);
    why = s_first_warning (receipt, &row);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 28
                   && s_field (receipt, "rejected") == 0 && row == 25
                   && why && strstr (why, "credits are written as positive amounts"),
                   "credits written unsigned beside 'CR': 28 payments taken, one warning"
                   " naming row 25, the first credit");
    json_decref (receipt);
    rc = s_submit ("council", "--batch drcr-signed",
                   "tests/fixtures/spend/drcr_signed_newcastle_2017-01.csv", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0
                   && s_field (receipt, "duplicates") == 28,
                   "the same file with its credits negative beside 'CR' is 28 duplicates:"
                   " each credit was read as the same negative amount both times");
    json_decref (receipt);
    head = s_head ();
    rc = s_submit ("council", "--batch drcr-mixed",
                   "tests/fixtures/spend/drcr_mixed_newcastle_2017-01.csv", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (s_first_reason (receipt), "credits are written both ways")
                   && strstr (s_first_reason (receipt), "line 31 negative, line 25 positive")
                   && s_head () == head,
                   "a file writing credits both ways beside 'CR' is refused whole, naming"
                   " lines 31 and 25, and adds nothing");
    json_decref (receipt);
}

//  A large spend CSV whose last line opens a quote it never closes is
//  refused whole, after many of its rows were committed as it streamed in:
//  the store's rows, the stream's head and its events are as before
static void
s_test_refused_batch_adds_nothing (int rows)
{
    char *path = zsys_sprintf ("%s/refused.csv", s_dir);
    FILE *file = fopen (path, "w");
    assert (file);
    //  15/05 reads one way only, so no row waits for the column's date
    //  convention to be settled: rows are stored as the file streams in
    fprintf (file, "Body Name,Payment Date,Transaction Number,Net Amount,Supplier Name\n");
    for (int row = 1; row <= rows; row++)
        fprintf (file, "Council,15/05/2024,R%d,%d.00,Supplier %d Ltd\n", row, 500 + row % 900,
                 row % 300);
    fprintf (file, "Council,15/05/2024,R%d,\"100.00,Supplier Ltd\n", rows + 1);
    fclose (file);
    int64_t rows_before = s_spend_rows (), head_before = s_head (), of_council_before;
    int64_t stream_before = s_stream_spend ("council", &of_council_before);
    pid_t submitter = s_submit_in_background (path);
    //  Some of its rows are committed while it streams in
    int64_t deadline = zclock_mono () + 20000, most_seen = rows_before;
    int status = -1;
    while (zclock_mono () < deadline && waitpid (submitter, &status, WNOHANG) == 0) {
        int64_t now = s_spend_rows ();
        if (now > most_seen)
            most_seen = now;
        zclock_sleep (5);
    }
    if (zclock_mono () >= deadline)
        waitpid (submitter, &status, 0);
    int64_t of_council;
    int64_t stream_after = s_stream_spend ("council", &of_council);
    testkit_check (most_seen > rows_before && WIFEXITED (status) && WEXITSTATUS (status) == 1
                   && s_spend_rows () == rows_before && s_head () == head_before
                   && stream_after == stream_before && of_council == of_council_before,
                   "a large batch refused at its last line leaves the store and the stream"
                   " exactly as before");
    zstr_free (&path);
}

//  A partner's second spend file, sent while its first streams in, waits
//  for it: when the first is refused, the second's rows (the first ten of
//  the first's) are its own, accepted, not duplicates of rows taken back
static void
s_test_partner_batches_in_turn (int rows)
{
    char *path = zsys_sprintf ("%s/first.csv", s_dir);
    FILE *file = fopen (path, "w");
    assert (file);
    const char *header = "Body Name,Payment Date,Transaction Number,Net Amount,Supplier Name\n";
    fputs (header, file);
    for (int row = 1; row <= rows; row++)
        fprintf (file, "Council,16/05/2024,Q%d,%d.00,Supplier %d Ltd\n", row, 500 + row % 900,
                 row % 300);
    fprintf (file, "Council,16/05/2024,Q%d,\"100.00,Supplier Ltd\n", rows + 1);
    fclose (file);
    char second [1024];
    size_t used = (size_t) snprintf (second, sizeof second, "%s", header);
    for (int row = 1; row <= 10; row++)
        used += (size_t) snprintf (second + used, sizeof second - used,
                                   "Council,16/05/2024,Q%d,%d.00,Supplier %d Ltd\n", row,
                                   500 + row % 900, row % 300);
    s_write_file ("second.csv", second, used);
    int64_t rows_before = s_spend_rows (), of_council_before, of_council;
    s_stream_spend ("council", &of_council_before);
    pid_t submitter = s_submit_in_background (path);
    int64_t deadline = zclock_mono () + 20000;
    while (zclock_mono () < deadline && s_spend_rows () <= rows_before)
        zclock_sleep (5);
    bool streaming = s_spend_rows () > rows_before;
    json_t *receipt;
    int rc = s_submit ("council", "", "second.csv", &receipt);
    int status = -1;
    waitpid (submitter, &status, 0);
    s_stream_spend ("council", &of_council);
    testkit_check (streaming && WIFEXITED (status) && WEXITSTATUS (status) == 1 && rc == 0
                   && s_field (receipt, "accepted") == 10 && s_field (receipt, "duplicates") == 0
                   && s_spend_rows () == rows_before + 10
                   && of_council == of_council_before + 10,
                   "a partner's second spend file, sent while its first streams in, waits for"
                   " it: the first refused, the second's ten rows are accepted and streamed");
    json_decref (receipt);
    zstr_free (&path);
}

//  Issue 13, every row counted once and never guessed: delivery returns
//  told apart by postcode, a return conflicting with an earlier line of its
//  file, an over-long key field as a row error, and `socval submit` reading
//  a pipe, standard input or a FIFO to its end. The returns and commitments
//  are invented rows in the shape of a council's quarterly returns (public
//  ones are rare); the spend rows are the shape of the test above.
static void
s_check_rows_once_and_piped_input (void)
{
    //  Three returns of 5, 3 and 7 units for one contract, measure and
    //  quarter, at three postcodes
    const char *returns =
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Postcode\n"
        "C-001,NT3,01/04/2024,30/06/2024,5,claimed,S60 1AE\n"
        "C-001,NT3,01/04/2024,30/06/2024,3,claimed,S65 1AB\n"
        "C-001,NT3,01/04/2024,30/06/2024,7,claimed,S66 8RT\n";
    s_write_file ("returns.csv", returns, strlen (returns));
    int64_t deliveries = s_rows ("DELIVERY");
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind deliveries", "returns.csv", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 3
                   && s_field (receipt, "duplicates") == 0
                   && s_rows ("DELIVERY") == deliveries + 3,
                   "three returns differing only by postcode: accepted 3, three stored");
    json_decref (receipt);

    //  A later line with the key of an earlier one and another quantity
    const char *conflict =
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Postcode\n"
        "C-001,NT3,01/07/2024,30/09/2024,5,claimed,S60 1AE\n"
        "C-001,NT3,01/07/2024,30/09/2024,5,claimed,S60 1AE\n"
        "C-001,NT3,01/07/2024,30/09/2024,6,claimed,S60 1AE\n";
    s_write_file ("conflict.csv", conflict, strlen (conflict));
    deliveries = s_rows ("DELIVERY");
    rc = s_submit ("council", "--kind deliveries", "conflict.csv", &receipt);
    const char *reason = s_first_reason (receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1
                   && s_field (receipt, "duplicates") == 1 && s_field (receipt, "rejected") == 1
                   && reason && strstr (reason, "as line 2")
                   && s_rows ("DELIVERY") == deliveries + 1,
                   "a return with an earlier line's key and another quantity is rejected"
                   " naming that line; the same return twice is a duplicate");
    json_decref (receipt);

    //  A contract id of 200 bytes among good commitments
    char long_id [201];
    memset (long_id, 'C', 200);
    long_id [200] = 0;
    char *commitments = zsys_sprintf ("Contract ID,Measure,Financial Year,Quantity\n"
                                      "C-001,NT4,2024-25,10\n%s,NT4,2024-25,3\n"
                                      "C-002,NT4,2024-25,8\n", long_id);
    s_write_file ("long.csv", commitments, strlen (commitments));
    zstr_free (&commitments);
    rc = s_submit ("council", "--kind commitments", "long.csv", &receipt);
    json_t *error = json_array_get (json_object_get (receipt, "errors"), 0);
    reason = s_first_reason (receipt);
    testkit_check (rc == 0 && streq (s_state (receipt), "partial")
                   && s_field (receipt, "accepted") == 2 && s_field (receipt, "rejected") == 1
                   && streq (json_string_value (json_object_get (error, "column")), "Contract ID")
                   && json_integer_value (json_object_get (error, "row")) == 3
                   && reason && strstr (reason, "200 bytes") && strstr (reason, "at most 128"),
                   "an over-long contract id is a row error naming the column, length and"
                   " limit; the other rows are accepted");
    json_decref (receipt);

    //  Over a megabyte of spend rows through a pipe to standard input, then
    //  through a FIFO: every row arrives, and the piped content gets the
    //  batch id the file itself gets
    for (int pass = 0; pass < 2; pass++) {
        int rows = 25000;
        zchunk_t *csv = zchunk_new (NULL, 0);
        const char *header = "Body Name,Payment Date,Transaction Number,Amount,Supplier Name\n";
        zchunk_extend (csv, header, strlen (header));
        for (int row = 1; row <= rows; row++) {
            char line [96];
            int length = snprintf (line, sizeof line, "Example Council,01/05/2026,PIPE%d-%d,"
                                   "600.00,Acme Ltd\n", pass, row);
            zchunk_extend (csv, line, (size_t) length);
        }
        assert (zchunk_size (csv) > 1024 * 1024);
        s_write_file ("piped.csv", zchunk_data (csv), zchunk_size (csv));
        zchunk_destroy (&csv);
        char *output = NULL;
        char *submit = zsys_sprintf ("build/socval --data %s --json --timeout %d submit"
                                     " --kind spend --key %s/keys/council.cert", s_dir,
                                     s_timeout, s_dir);
        if (pass == 0)
            rc = testkit_run (&output, "cat %s/piped.csv | %s - 2>/dev/null", s_dir, submit);
        else
            rc = testkit_run (&output, "rm -f %s/fifo && mkfifo %s/fifo"
                              " && { cat %s/piped.csv > %s/fifo & } && %s %s/fifo 2>/dev/null",
                              s_dir, s_dir, s_dir, s_dir, submit, s_dir);
        zstr_free (&submit);
        receipt = json_loads (output? output: "", 0, NULL);
        free (output);
        json_t *again = NULL;
        int64_t spend = s_spend_rows ();
        int again_rc = s_submit ("council", "", "piped.csv", &again);
        testkit_check (rc == 0 && s_field (receipt, "accepted") == rows
                       && s_field (receipt, "rejected") == 0
                       && again_rc == 0 && s_field (again, "accepted") == rows
                       && streq (json_string_value (json_object_get (receipt, "batch_id")),
                                 json_string_value (json_object_get (again, "batch_id")))
                       && s_spend_rows () == spend,
                       pass == 0? "socval submit - reads a 1.3 MB pipe on standard input to its"
                                  " end: every row accepted, the file's own batch id"
                                : "socval submit reads a 1.3 MB FIFO to its end: every row"
                                  " accepted, the file's own batch id");
        json_decref (receipt);
        json_decref (again);
    }
}

//  --------------------------------------------------------------------------
//  OCDS as a compiled release, and suppliers known the same way by every
//  feed: each test submits as council, which sends no other OCDS

//  The last CONTRACT, SUPPLIER or SPEND event of council's streamed for
//  one natural thing (contract id, supplier key or transaction number)
typedef struct {
    const char *contract_id;
    const char *supplier_key;
    const char *transaction_no;
    int64_t found;              //  events that matched
    int64_t value_pence;        //  the last contract's
    char key [256];             //  the last contract's or spend's supplier key
    char start [16];            //  the last contract's period, as stored
    char end [16];
    char ocid [96];             //  the last contract's ocid and release date
    char release_date [40];
} s_last_t;

static void
s_find_last (const sv_proto_event_t *event, void *arg)
{
    s_last_t *last = (s_last_t *) arg;
    sv_proto_t body = { .id = 0 };
    if (sv_proto_decode (&body, event->body, event->body_size) == 0) {
        if (body.id == SV_PROTO_CONTRACT && last->contract_id
        &&  streq (body.contract.partner, "council")
        &&  streq (body.contract.contract_id, last->contract_id)) {
            last->found++;
            last->value_pence = body.contract.value_pence;
            snprintf (last->key, sizeof last->key, "%s", body.contract.supplier_key);
            snprintf (last->start, sizeof last->start, "%s", body.contract.start_date);
            snprintf (last->end, sizeof last->end, "%s", body.contract.end_date);
            snprintf (last->ocid, sizeof last->ocid, "%s", body.contract.ocid);
            snprintf (last->release_date, sizeof last->release_date, "%s",
                      body.contract.release_date);
        }
        if (body.id == SV_PROTO_SUPPLIER && last->supplier_key
        &&  streq (body.supplier.partner, "council")
        &&  streq (body.supplier.supplier_key, last->supplier_key))
            last->found++;
        if (body.id == SV_PROTO_SPEND && last->transaction_no
        &&  streq (body.spend.partner, "council")
        &&  streq (body.spend.transaction_no, last->transaction_no)) {
            last->found++;
            snprintf (last->key, sizeof last->key, "%s", body.spend.supplier_key);
        }
    }
    sv_proto_reset (&body);
}

static s_last_t
s_last (const char *contract_id, const char *supplier_key, const char *transaction_no)
{
    s_last_t last = { .contract_id = contract_id, .supplier_key = supplier_key,
                      .transaction_no = transaction_no };
    testkit_read_stream ("tcp://127.0.0.1:17711", "ingest", s_timeout * 1000,
                         s_find_last, &last);
    return last;
}

//  The warnings of receipt whose reason or column holds text
static size_t
s_warned (json_t *receipt, const char *text)
{
    json_t *warnings = json_object_get (receipt, "warnings");
    size_t count = 0;
    for (size_t index = 0; index < json_array_size (warnings); index++) {
        json_t *warning = json_array_get (warnings, index);
        const char *reason = json_string_value (json_object_get (warning, "reason"));
        const char *column = json_string_value (json_object_get (warning, "column"));
        count += (reason && strstr (reason, text)) || (column && strstr (column, text));
    }
    return count;
}

//  Contracts Finder lists a process's releases newest first: the value
//  that stands is the latest release's, and the package resent under
//  another batch id adds nothing
static void
s_test_ocds_newest_first (void)
{
    const char *file = "tests/fixtures/ocds/contracts_finder_newest_first.json";
    int64_t contracts_before = s_rows ("CONTRACT");
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds --batch cf-newest-1", file,
                       &receipt);
    int64_t accepted = s_field (receipt, "accepted");
    //  PwC's award: £10,932,000 at 10:01:01, corrected to £109,320 at
    //  10:07:26, listed first
    s_last_t pwc = s_last ("ocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34-1", NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0 && accepted == 4 + 4
                   && s_rows ("CONTRACT") - contracts_before == 4
                   && pwc.found == 1 && pwc.value_pence == 10932000,
                   "OCDS newest first: each contract takes its latest release's value"
                   " (PwC 10932000 pence, not 1093200000)");
    //  Each older release set aside is said in the receipt
    testkit_check (s_warned (receipt, "is older than") == 4 && s_field (receipt, "warned") >= 4,
                   "OCDS newest first: the receipt warns of each of the 4 older releases not"
                   " applied");
    json_decref (receipt);

    int64_t head = s_head ();
    rc = s_submit ("council", "--kind contracts --format ocds --batch cf-newest-2", file,
                   &receipt);
    pwc = s_last ("ocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34-1", NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0
                   && s_field (receipt, "duplicates") == accepted && s_head () == head
                   && pwc.found == 1 && pwc.value_pence == 10932000,
                   "OCDS newest first resent under another batch id: accepted 0, every row"
                   " a duplicate, no event streamed");
    json_decref (receipt);
}

//  KPIs: an OCDS contract's agreedMetrics are KPI rows beside the contract
//  (the contract itself is no stub), what cannot be a target set aside
//  with a warning; a kpis CSV on a contract not held makes it a stub
static void
s_test_kpis (void)
{
    int64_t kpis_before = s_rows ("KPI");
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds",
                       "tests/fixtures/ocds/kpi_agreed_metrics.json", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 4
                   && s_rows ("KPI") - kpis_before == 2
                   && s_warned (receipt, "agreedMetrics") == 3
                   && s_warned (receipt, "stub") == 0,
                   "KPIs from OCDS: 1 contract, 1 supplier and 2 KPI targets taken; 3"
                   " observations set aside with warnings naming their paths");
    json_decref (receipt);
    //  The same process from an older release, with another target: its
    //  KPIs are not applied, as its contract is not
    json_t *package = json_load_file ("tests/fixtures/ocds/kpi_agreed_metrics.json", 0, NULL);
    json_t *release = json_array_get (json_object_get (package, "releases"), 0);
    json_object_set_new (release, "date", json_string ("2025-03-01T09:00:00Z"));
    json_t *metric = json_array_get (json_object_get (json_array_get (json_object_get (release,
                                     "contracts"), 0), "agreedMetrics"), 0);
    json_object_set_new (json_array_get (json_object_get (metric, "observations"), 0),
                         "measure", json_integer (90));
    char *older = zsys_sprintf ("%s/kpi-older.json", s_dir);
    assert (json_dump_file (package, older, 0) == 0);
    json_decref (package);
    rc = s_submit ("council", "--kind contracts --format ocds", older, &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0
                   && s_warned (receipt, "KPI 'C-201/KPI-1/") == 2
                   && s_rows ("KPI") - kpis_before == 2,
                   "KPIs from an older release of a process held: not applied, each warned of");
    zstr_free (&older);
    json_decref (receipt);
    testkit_write (s_dir, "kpis.csv", "Contract ID,KPI ID,KPI Name,Year,Target,Unit\n"
                                      "C-KPI-NEW,K1,Calls answered,2025-26,90%,\n"
                                      "C-KPI-NEW,K2,Calls answered,2025/26,ninety,\n");
    rc = s_submit ("council", "--kind kpis", "kpis.csv", &receipt);
    json_t *error = json_array_get (json_object_get (receipt, "errors"), 0);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1
                   && s_field (receipt, "rejected") == 1
                   && s_field (error, "row") == 3
                   && streq (json_string_value (json_object_get (error, "column")), "Target")
                   && s_warned (receipt, "stub") == 1 && s_rows ("KPI") - kpis_before == 3,
                   "KPIs from CSV: the good row taken, its unknown contract made a stub with a"
                   " warning, the target 'ninety' rejected as row 3, column Target");
    json_decref (receipt);
}

//  Writes a package of the fixture's releases at the given indexes, in the
//  order given, to name in s_dir
static void
s_write_releases (const char *fixture, const int *indexes, size_t count, const char *name)
{
    json_t *package = json_load_file (fixture, 0, NULL);
    assert (package);
    json_t *releases = json_object_get (package, "releases"), *chosen = json_array ();
    for (size_t index = 0; index < count; index++)
        json_array_append (chosen, json_array_get (releases, (size_t) indexes [index]));
    json_object_set_new (package, "releases", chosen);
    char *path = zsys_sprintf ("%s/%s", s_dir, name);
    assert (json_dump_file (package, path, 0) == 0);
    zstr_free (&path);
    json_decref (package);
}

//  Once a contract is held from a release, a release of it older than that
//  one, sent in a later package in any order, changes nothing
static void
s_test_ocds_older_package (void)
{
    const char *fixture = "tests/fixtures/ocds/contracts_finder_newest_first.json";
    const char *pwc_id = "ocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34-1";
    //  PwC's older release alone (£10,932,000 at 10:01:01), then both of
    //  its releases oldest first
    const int older [] = { 7 }, oldest_first [] = { 7, 6 };
    s_write_releases (fixture, older, 1, "pwc-older.json");
    s_write_releases (fixture, oldest_first, 2, "pwc-oldest-first.json");
    int64_t head = s_head ();
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds", "pwc-older.json", &receipt);
    const char *warning = json_string_value (json_object_get (
        json_array_get (json_object_get (receipt, "warnings"), 0), "reason"));
    s_last_t pwc = s_last (pwc_id, NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0 && s_head () == head
                   && warning && strstr (warning, "is older than the release of")
                   && pwc.value_pence == 10932000,
                   "OCDS: a later package holding only an older release of a contract changes"
                   " nothing, and its receipt says why");
    json_decref (receipt);
    rc = s_submit ("council", "--kind contracts --format ocds", "pwc-oldest-first.json",
                   &receipt);
    pwc = s_last (pwc_id, NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0 && s_head () == head
                   && pwc.value_pence == 10932000,
                   "OCDS: the same releases resent oldest first add no event");
    json_decref (receipt);

    //  Seddon's award of £18,848,731 (award -1, 12:21:44) was republished
    //  as award -2 of £188,487 (12:27:50) in the 201 releases police sent:
    //  the older award, sent alone later, does not come back as a contract
    const int seddon_older [] = { 131 };
    s_write_releases ("tests/fixtures/ocds/contracts_finder_releases_201.json", seddon_older, 1,
                      "seddon-older.json");
    head = s_head ();
    rc = s_submit ("police", "--kind contracts --format ocds", "seddon-older.json", &receipt);
    s_last_t seddon = s_last ("ocds-b5fd17-e0d4b2ec-d437-468f-82c7-1d751544e9ea-1", NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0 && s_head () == head
                   && seddon.found == 0,
                   "OCDS: an award its process republished under a new id, sent alone later,"
                   " does not come back as a second contract");
    json_decref (receipt);
}

//  Two releases of one package name one supplier (no Companies House id,
//  so known by name) at two addresses: the later row replaces the first,
//  counted and said in the receipt (invented releases, in Contracts
//  Finder's shape)
static void
s_test_ocds_supplier_replaced (void)
{
    const char *release =
        "{\"ocid\": \"ocds-test-%d\", \"id\": \"r%d\", \"date\": \"2025-0%d-01T09:00:00Z\","
        " \"tag\": [\"award\"], \"parties\": [{\"id\": \"1\", \"name\": \"Acme Repairs\","
        " \"roles\": [\"supplier\"], \"address\": {\"postalCode\": \"%s\"}}],"
        " \"awards\": [{\"id\": \"ocds-test-%d-1\", \"value\": {\"amount\": 1000,"
        " \"currency\": \"GBP\"}, \"suppliers\": [{\"id\": \"1\", \"name\": \"Acme Repairs\"}]}]}";
    char one [1024], two [1024], package [2200];
    snprintf (one, sizeof one, release, 1, 1, 1, "S60 1AA", 1);
    snprintf (two, sizeof two, release, 2, 2, 2, "S61 2BB", 2);
    snprintf (package, sizeof package, "{\"uri\": \"test\", \"releases\": [%s, %s]}", one, two);
    s_write_file ("replaced.json", package, strlen (package));
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds", "replaced.json", &receipt);
    bool said = false;
    json_t *warnings = json_object_get (receipt, "warnings");
    for (size_t index = 0; index < json_array_size (warnings); index++)
        said = said || strstr (json_string_value (json_object_get (json_array_get (warnings,
                               index), "reason")), "NAME:ACME REPAIRS' was already taken");
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0 && said,
                   "OCDS: a supplier named in two releases with other details: the later"
                   " replaces the first, and the receipt says so");
    json_decref (receipt);
}

//  Parties "1" and "2" of one release are other organisations in the
//  next: each contract names its own release's supplier
static void
s_test_ocds_party_ids (void)
{
    int64_t suppliers_before = s_rows ("SUPPLIER");
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds",
                       "tests/fixtures/ocds/party_ids_per_release.json", &receipt);
    s_last_t first = s_last ("ocds-b5fd17-e3b5adb7-f928-49f1-9648-634093dc8489-1", NULL, NULL);
    s_last_t second = s_last ("ocds-b5fd17-9fe68fbb-e54a-493c-b7e8-0de1f569e83f-1", NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 2 + 2
                   && s_rows ("SUPPLIER") - suppliers_before == 2
                   && streq (first.key, "NAME:ICT SKILL TRAINING LICENCE")
                   && streq (second.key, "NAME:ANTHONY COLLINS SOLICITOR LLP"),
                   "OCDS party id \"2\" in two releases: two suppliers, each contract its own");
    json_decref (receipt);
}

//  Real awards Contracts Finder published with several suppliers beside
//  one value (ESPO's £400m vehicles framework names 35): each contract is
//  stored with that value, read exactly, its period's dates as written
//  (BST offsets kept, not moved to UTC), and no supplier, with a warning
//  naming the award's suppliers. Expected figures from tools/ocds_expect.py
//  over the same file. Find a Tender's documented planning package gives
//  no contract: its tender and lot values are not a contract's.
static void
s_test_ocds_shared_awards (void)
{
    const char *prefix = "ocds-b5fd17-";
    struct {
        const char *id;         //  after prefix
        int64_t pence;
        const char *start;
        const char *end;
        const char *release_date;
    } expected [] = {
        { "76485a2b-4074-427a-8782-2a6c3f9a2cb4-1", 338086, "2021-07-19", "2025-08-04",
          "2025-01-23T14:59:07Z" },
        { "8d84c691-fc64-4f64-b240-443a0af1ba82-1", 40000000000, "2024-12-03", "2028-11-30",
          "2025-03-11T11:05:27Z" },
        { "a50749e6-50b9-49b5-9850-5cf0e48f3b02-2", 12500000, "2024-09-20", "2025-06-30",
          "2025-03-11T10:16:49Z" },
        { "3fc3576f-12fc-4c77-a9ca-766be3892fef-1", 7500000, "2025-03-10", "2025-04-05",
          "2025-03-11T10:14:34Z" }
    };
    int64_t contracts_before = s_rows ("CONTRACT");
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds",
                       "tests/fixtures/ocds/contracts_finder_shared_awards.json", &receipt);
    size_t exact = 0;
    for (size_t index = 0; index < sizeof expected / sizeof expected [0]; index++) {
        char id [128];
        snprintf (id, sizeof id, "%s%s", prefix, expected [index].id);
        s_last_t last = s_last (id, NULL, NULL);
        bool same = last.found == 1 && last.value_pence == expected [index].pence
                 && streq (last.start, expected [index].start)
                 && streq (last.end, expected [index].end)
                 && streq (last.key, "") && *last.ocid
                 && strncmp (last.ocid, id, strlen (last.ocid)) == 0
                 && streq (last.release_date, expected [index].release_date);
        if (!same)
            printf ("    %s: %" PRId64 " events, %" PRId64 " pence, %s to %s, supplier '%s',"
                    " ocid %s of %s\n", id, last.found, last.value_pence, last.start, last.end,
                    last.key, last.ocid, last.release_date);
        exact += same;
    }
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0
                   && s_rows ("CONTRACT") - contracts_before == 4 && exact == 4
                   && s_warned (receipt, "names several suppliers beside one value") == 4,
                   "4 real awards shared by 2 to 35 suppliers: 4 contracts, each its exact pence"
                   " and dates as written, under no supplier, each with a warning");
    json_decref (receipt);

    contracts_before = s_rows ("CONTRACT");
    rc = s_submit ("council", "--kind contracts --format ocds",
                   "tests/fixtures/ocds/fts_planning_sample.json", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0
                   && s_field (receipt, "accepted") == 0
                   && s_rows ("CONTRACT") == contracts_before,
                   "Find a Tender's documented planning release package: no contract, nothing"
                   " refused");
    json_decref (receipt);
}

//  A framework's call-off names its own supplier, one of the framework's
//  three: the contract is stored under it. An award, its contract and an
//  amendment in one package are one contract. OCDS's documented award
//  cancellation after the award it withdraws, in one document, is refused
//  whole and adds nothing: the award is not stored as a contract
static void
s_test_ocds_calloffs_and_cancellations (void)
{
    int64_t contracts_before = s_rows ("CONTRACT");
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds",
                       "tests/fixtures/ocds/frameworks_009_first_direct_calloff.json", &receipt);
    s_last_t calloff = s_last ("ocds-r6ebe6-example_framework-contract-01", NULL, NULL);
    if (calloff.value_pence != 100000 || !streq (calloff.key, "NAME:SUPPLIER 1"))
        printf ("    call-off: %" PRId64 " events, %" PRId64 " pence, supplier '%s'\n",
                calloff.found, calloff.value_pence, calloff.key);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1 + 3
                   && s_rows ("CONTRACT") - contracts_before == 1
                   && calloff.value_pence == 100000 && streq (calloff.key, "NAME:SUPPLIER 1"),
                   "a framework's direct call-off naming its supplier (contract suppliers"
                   " extension): 100000p under Supplier 1, not under none of three");
    json_decref (receipt);

    //  The OCDS sample's award release, its contract release and the
    //  contract's amendment, in one package oldest first: one contract,
    //  under the award's id, at the amended £13.5m
    contracts_before = s_rows ("CONTRACT");
    rc = s_submit ("council", "--kind contracts --format ocds",
                   "tests/fixtures/ocds/ocds_sample_award_contract_amendment.json", &receipt);
    s_last_t cycle = s_last ("ocds-213czf-000-00001-award-01", NULL, NULL);
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0
                   && s_rows ("CONTRACT") - contracts_before == 1
                   && cycle.value_pence == 1350000000 && streq (cycle.end, "2011-10-30")
                   && streq (cycle.release_date, "2011-04-05T13:30:00Z"),
                   "an award, its contract and the contract's amendment in one package: one"
                   " contract of 1350000000p to 2011-10-30, not three");
    json_decref (receipt);

    int64_t head = s_head ();
    contracts_before = s_rows ("CONTRACT");
    rc = s_submit ("council", "--kind contracts --format ocds",
                   "tests/fixtures/ocds/ocds_award_cancellation.json", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (s_first_reason (receipt), "withdraws award '1'")
                   && s_rows ("CONTRACT") == contracts_before && s_head () == head,
                   "an award and its later cancellation in one document: refused whole, naming"
                   " both, and nothing added");
    json_decref (receipt);
}

//  One Companies House number rule for every feed: SC53003 is SC053003
//  whether a suppliers CSV, a spend file or an OCDS party carries it, and
//  00000000 is no number, so suppliers written that way stay apart
static void
s_test_company_numbers (void)
{
    int64_t suppliers_before = s_rows ("SUPPLIER");
    const char *suppliers =
        "Supplier Name,Company Number\n"
        "Scot Ltd,SC53003\n"
        "Zero One Ltd,00000000\n"
        "Zero Two Ltd,00000000\n"
        "Spreadsheet Ltd,123456\n";
    s_write_file ("ch-suppliers.csv", suppliers, strlen (suppliers));
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind suppliers", "ch-suppliers.csv", &receipt);
    bool csv_ok = rc == 0 && s_field (receipt, "accepted") == 4
               && s_field (receipt, "rejected") == 0
               && s_rows ("SUPPLIER") - suppliers_before == 4
               && s_last (NULL, "CH:SC053003", NULL).found == 1
               && s_last (NULL, "CH:00123456", NULL).found == 1
               && s_last (NULL, "NAME:ZERO ONE LTD", NULL).found == 1;
    json_decref (receipt);

    const char *spend =
        "Body Name,Payment Date,Transaction Number,Amount,Supplier Name,Company Number\n"
        "Example Council,01/05/2025,CH-1,600.00,Scot Ltd,sc 53003\n";
    s_write_file ("ch-spend.csv", spend, strlen (spend));
    rc = s_submit ("council", "", "ch-spend.csv", &receipt);
    bool spend_ok = rc == 0 && s_field (receipt, "accepted") == 1
                 && streq (s_last (NULL, NULL, "CH-1").key, "CH:SC053003");
    json_decref (receipt);

    const char *ocds =
        "{\"releases\": [{\"ocid\": \"ocds-ch\", \"id\": \"ocds-ch-1\","
        " \"date\": \"2025-05-01T00:00:00Z\", \"parties\": ["
        " {\"id\": \"GB-COH-SC53003\", \"name\": \"Scot Limited\", \"roles\": [\"supplier\"]}],"
        " \"awards\": [{\"id\": \"ocds-ch-award\", \"suppliers\": [{\"id\": \"GB-COH-SC53003\"}]}]}]}";
    s_write_file ("ch.json", ocds, strlen (ocds));
    int64_t suppliers_then = s_rows ("SUPPLIER");
    rc = s_submit ("council", "--kind contracts --format ocds", "ch.json", &receipt);
    s_last_t contract = s_last ("ocds-ch-award", NULL, NULL);
    testkit_check (csv_ok && spend_ok && rc == 0 && s_field (receipt, "rejected") == 0
                   && s_rows ("SUPPLIER") == suppliers_then
                   && streq (contract.key, "CH:SC053003"),
                   "Companies House SC53003 is CH:SC053003 by CSV, spend and OCDS; 123456 is"
                   " 00123456; two suppliers with 00000000 stay two");
    json_decref (receipt);
}

//  Spend identity through the service: rows without transaction numbers
//  are known by their content, never by their line, and over-long values
//  are row errors, never the batch's
static void
s_test_spend_identity (void)
{
    //  A council's card spend of two years, without transaction numbers:
    //  line n of one file is not line n of the other
    char *years [2];
    for (int year = 0; year < 2; year++) {
        size_t size = 0;
        years [year] = (char *) zmalloc (64 * 40 + 64);
        size += (size_t) sprintf (years [year], "Transaction Date,Merchant Name,Amount\n");
        for (int row = 1; row <= 40; row++)
            size += (size_t) sprintf (years [year] + size, "%02d/%02d/%d,Merchant %d,%d.00\n",
                                      row % 28 + 1, row % 12 + 1, 2024 + year, row, 100 + row);
        char *name = zsys_sprintf ("cards-%d.csv", 2024 + year);
        s_write_file (name, years [year], size);
        zstr_free (&name);
        free (years [year]);
    }
    int64_t before = s_spend_rows ();
    json_t *first = NULL, *second = NULL, *again = NULL;
    int first_rc = s_submit ("council", "", "cards-2024.csv", &first);
    int second_rc = s_submit ("council", "", "cards-2025.csv", &second);
    testkit_check (first_rc == 0 && second_rc == 0
             && s_field (first, "accepted") == 40 && s_field (first, "duplicates") == 0
             && s_field (second, "accepted") == 40 && s_field (second, "duplicates") == 0
             && s_spend_rows () == before + 80,
             "two card-spend files without transaction numbers are both counted in full");
    //  The same file published again, as another batch: nothing new
    int again_rc = s_submit ("council", "--batch cards-2024-republished", "cards-2024.csv", &again);
    testkit_check (again_rc == 0 && s_field (again, "accepted") == 0
             && s_field (again, "duplicates") == 40 && s_spend_rows () == before + 80,
             "a republished file without transaction numbers adds nothing");
    json_decref (first);
    json_decref (second);
    json_decref (again);

    //  A number and line given twice with other amounts (£186.00 and
    //  £805.00), a row listed twice, and a 300-byte transaction number
    char *file = (char *) zmalloc (1024);
    int used = sprintf (file, "Payment Date,TransNo,Seq no,Supplier Text,Amount\n"
                              "07/12/2010,43598516,2,FORCE TWO LTD,186.00\n"
                              "07/12/2010,43598516,2,FORCE TWO LTD,805.00\n"
                              "13/12/2010,,,ACME LTD,50.00\n"
                              "13/12/2010,,,ACME LTD,50.00\n"
                              "14/12/2010,");
    memset (file + used, '9', 300);
    used += 300;
    used += sprintf (file + used, ",1,BETA LTD,1.00\n");
    s_write_file ("repeats.csv", file, (size_t) used);
    free (file);
    before = s_spend_rows ();
    json_t *receipt = NULL;
    int rc = s_submit ("council", "", "repeats.csv", &receipt);
    const char *reason = s_first_reason (receipt);
    testkit_check (rc == 0 && streq (s_state (receipt), "partial")
             && s_field (receipt, "accepted") == 4 && s_field (receipt, "rejected") == 1
             && s_spend_rows () == before + 4
             && reason && strstr (reason, "300 bytes, at most 100"),
             "a repeated number and line and a row listed twice are kept; an over-long "
             "number rejects its row only");
    json_decref (receipt);
}

//  A partner's OCDS package whose key after its releases array never ends
//  (64 MB of it, here; 200 MB once grew ingest by 207 MB) is refused once
//  the key passes ingest/max_document_bytes (256 KB here), naming the key,
//  and ingest's peak resident memory grows by less than OCDS_ATTACK_KB
#define OCDS_ATTACK_MB 64
#define OCDS_ATTACK_KB (16 * 1024)

static void
s_test_ocds_long_key_bounded (void)
{
    const char *head = "{\"releases\": [], \"";
    char *path = zsys_sprintf ("%s/long-key.json", s_dir);
    FILE *out = fopen (path, "wb");
    assert (out);
    char *block = (char *) malloc (1 << 20);
    assert (block);
    memset (block, 'A', 1 << 20);
    assert (fwrite (head, 1, strlen (head), out) == strlen (head));
    for (int megabyte = 0; megabyte < OCDS_ATTACK_MB; megabyte++)
        assert (fwrite (block, 1, 1 << 20, out) == 1 << 20);
    fclose (out);
    free (block);

    //  A fresh ingest, so its peak is this test's and not an earlier
    //  batch's; a small package first, so what reading OCDS costs at all
    //  is in the baseline
    kill (s_ingest, SIGTERM);
    waitpid (s_ingest, NULL, 0);
    s_start_ingest ();
    const char *small = "{\"releases\": [], \"uri\": \"https://example.org\"}";
    s_write_file ("small.json", small, strlen (small));
    json_t *receipt = NULL;
    int rc = s_submit ("council", "--kind contracts --format ocds --batch small-ocds",
                       "small.json", &receipt);
    json_decref (receipt);
    long before_kb = testkit_peak_kb (s_ingest);
    int64_t started = zclock_mono ();
    int attack_rc = s_submit ("council", "--kind contracts --format ocds --batch long-key",
                              path, &receipt);
    int64_t took_ms = zclock_mono () - started;
    long after_kb = testkit_peak_kb (s_ingest);
    const char *reason = s_first_reason (receipt);
    printf ("     %d MB key after the array: ingest's peak %ld kB before, %ld kB after,"
            " refused in %" PRId64 " ms: %s\n", OCDS_ATTACK_MB, before_kb, after_kb, took_ms,
            reason? reason: "(no reason)");
    testkit_check (rc == 0 && attack_rc == 1 && streq (s_state (receipt), "refused")
             && reason && strstr (reason, "a key of the package after its \"releases\" array")
             && strstr (reason, "over the limit of 262144 bytes")
             && before_kb > 0 && after_kb - before_kb < OCDS_ATTACK_KB
             && s_rows ("SPEND") >= 0,
             "an OCDS key after the releases array that never ends is refused at the limit,"
             " ingest's peak memory growing by under 16 MB");
    json_decref (receipt);
    unlink (path);
    zstr_free (&path);
}

//  The problems ingest's STATUS lists, as "subject: reason" lines (caller
//  frees), or NULL when it does not answer
static char *
s_problems (void)
{
    sv_proto_t reply = { .id = 0 };
    char *lines = NULL;
    if (testkit_status ("tcp://127.0.0.1:17712", s_timeout * 1000, &reply) == 0) {
        lines = strdup ("");
        for (size_t index = 0; index < reply.status_reply.problems_count; index++) {
            char *more = zsys_sprintf ("%s%s: %s\n", lines,
                                       reply.status_reply.problems [index].subject,
                                       reply.status_reply.problems [index].reason);
            zstr_free (&lines);
            lines = more;
        }
    }
    sv_proto_reset (&reply);
    return lines;
}

//  The size of file path in bytes, -1 when there is none
static int64_t
s_file_size (const char *path)
{
    struct stat info;
    return stat (path, &info) == 0? (int64_t) info.st_size: -1;
}

//  Fills the disk mounted at disk with the file filler, but for 4 MB
static void
s_fill (const char *disk, const char *filler)
{
    struct statvfs room;
    assert (statvfs (disk, &room) == 0);
    int64_t fill = (int64_t) room.f_bavail * (int64_t) room.f_frsize - (4 << 20);
    FILE *file = fopen (filler, "wb");
    assert (file);
    char block [65536];
    memset (block, 'x', sizeof block);
    for (int64_t written = 0; written < fill; written += sizeof block)
        fwrite (block, 1, sizeof block, file);
    fclose (file);
}

//  Sends council's spend records from first on as batch batch_id, chunks of
//  chunk_rows records pause_ms apart, so that ingest commits each in a
//  group of its own, until ingest answers with a receipt or chunks chunks
//  are sent. Returns the receipt's first reason ("" when none; caller
//  frees), or NULL when no receipt came.
static char *
s_submit_slowly (const char *batch_id, int first, int chunk_rows, int chunks, int pause_ms)
{
    zsock_t *feed = s_feed_socket ("council");
    char *reason = NULL;
    for (int chunk = 0; chunk < chunks && !reason; chunk++) {
        msgpack_sbuffer rows;
        msgpack_sbuffer_init (&rows);
        s_encode_spend (&rows, first + chunk * chunk_rows, chunk_rows);
        sv_proto_t submit = { .id = SV_PROTO_SUBMIT };
        submit.submit = (sv_proto_submit_t) {
            .batch_id = (char *) batch_id, .kind = "spend", .format = "msgpack",
            .chunk_no = (uint64_t) chunk, .last = chunk == chunks - 1,
            .payload = (uint8_t *) rows.data, .payload_size = rows.size
        };
        zframe_t *frame = sv_proto_encode_frame (&submit);
        zframe_send (&frame, feed, 0);
        msgpack_sbuffer_destroy (&rows);
        //  Credit comes back meanwhile; a receipt ends the batch
        int64_t until = zclock_mono () + (chunk == chunks - 1? s_timeout * 1000: pause_ms);
        while (!reason && zclock_mono () < until) {
            zsock_set_rcvtimeo (feed, (int) (until - zclock_mono ()) + 1);
            zframe_t *answer = zframe_recv (feed);
            sv_proto_t reply = { .id = 0 };
            if (answer && sv_proto_decode (&reply, zframe_data (answer), zframe_size (answer)) == 0
            &&  reply.id == SV_PROTO_RECEIPT)
                reason = strdup (reply.receipt.errors_count? reply.receipt.errors [0].reason: "");
            sv_proto_reset (&reply);
            zframe_destroy (&answer);
        }
    }
    zsock_destroy (&feed);
    return reason;
}

//  Issue 14: ingest's store on a full disk. The store goes on a 20 MB tmpfs
//  mounted in a mount namespace of this process's own (root only: skipped
//  otherwise), filled but for 4 MB; a spend batch of 60,000 rows does not
//  fit. Its refusal says "disk full" and where, STATUS lists it, the store
//  keeps none of its rows and gives back the log it grew, reads go on,
//  and once the filler is gone a small batch goes in and the problem ends.
static void
s_test_disk_full (void)
{
    char *disk = zsys_sprintf ("%s/disk", s_dir);
    zsys_dir_create ("%s", disk);
    //  Mounts kept from the host's: the source and type of a change of
    //  propagation are ignored, but named (valgrind reads them as strings)
    if (unshare (CLONE_NEWNS) || mount ("none", "/", "none", MS_REC | MS_PRIVATE, NULL)
    ||  mount ("tmpfs", disk, "tmpfs", 0, "size=20m")) {
        printf ("skip a store on a full disk: cannot mount a tmpfs of its own here (%s);"
                " it needs root\n", strerror (errno));
        zstr_free (&disk);
        return;
    }
    //  ingest again, with its store on the small disk
    kill (s_ingest, SIGTERM);
    waitpid (s_ingest, NULL, 0);
    char *config_path = zsys_sprintf ("%s/socval.cfg", s_dir);
    char *disk_config = zsys_sprintf ("%s/disk.cfg", s_dir);
    char *store = zsys_sprintf ("%s/ingest.db", disk);
    zconfig_t *config = zconfig_load (config_path);
    assert (config);
    zconfig_put (config, "ingest/store", store);
    assert (zconfig_save (config, disk_config) == 0);
    zconfig_destroy (&config);
    s_start_ingest_on (disk_config);
    s_write_spend ("small.msgpack", 900000, 10, false);
    json_t *receipt;
    int small_rc = s_submit ("council", "", "small.msgpack", &receipt);
    json_decref (receipt);

    char *filler = zsys_sprintf ("%s/filler", disk);
    s_fill (disk, filler);

    int64_t rows_before = s_rows ("SPEND"), of_council_before;
    int64_t streamed_before = s_stream_spend ("council", &of_council_before);
    s_write_spend ("full.msgpack", 1000000, 60000, false);
    int rc = s_submit ("council", "", "full.msgpack", &receipt);
    const char *reason = s_first_reason (receipt);
    char *problems = s_problems ();
    printf ("     refused: %s\n     STATUS: %s", reason, problems? problems: "(none)\n");
    testkit_check (small_rc == 0 && rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (reason, "disk full") && strstr (reason, disk)
                   && strstr (reason, "not stored")
                   && problems && strstr (problems, "store: disk full") && strstr (problems, disk),
                   "a batch that does not fit on the disk is refused saying \"disk full\" and"
                   " where, and STATUS lists the problem");
    json_decref (receipt);
    zstr_free (&problems);

    //  Its rows are taken back (on the retry timer, should that need room
    //  too); the stream serves what it did. The deadline allows for
    //  valgrind (make memcheck), under which a take-back of many rows on a
    //  full tmpfs takes seconds
    int64_t deadline = zclock_mono () + 30000;
    while (zclock_mono () < deadline && s_rows ("SPEND") != rows_before)
        zclock_sleep (50);
    int64_t of_council;
    int64_t streamed = s_stream_spend ("council", &of_council);
    testkit_check (s_rows ("SPEND") == rows_before && streamed == streamed_before
                   && of_council == of_council_before,
                   "the store keeps no row of it, and its stream still serves what it did");

    //  Room again: the log the batch grew is given back before any batch
    //  comes (the database takes what it holds first, so not while the
    //  disk is full), then a small batch goes in and the problem is gone
    char *log = zsys_sprintf ("%s-wal", store);
    int64_t log_full = s_file_size (log);
    unlink (filler);
    deadline = zclock_mono () + 30000;
    while (zclock_mono () < deadline && s_file_size (log) > (1 << 20))
        zclock_sleep (50);
    int64_t log_after = s_file_size (log);
    printf ("     log: %" PRId64 " bytes on the full disk, %" PRId64 " once there is room\n",
            log_full, log_after);
    s_write_spend ("after.msgpack", 2000000, 10, false);
    rc = s_submit ("council", "", "after.msgpack", &receipt);
    problems = s_problems ();
    testkit_check (log_after <= (1 << 20) && rc == 0 && s_field (receipt, "accepted") == 10
                   && s_rows ("SPEND") == rows_before + 10 && problems && !*problems,
                   "once there is room the log is given back, a small batch is accepted and"
                   " STATUS lists no problem");
    json_decref (receipt);
    zstr_free (&problems);

    //  A batch whose rows were committed in many groups before the disk
    //  filled: taking them back needs room too. They stay held, never
    //  served, STATUS says so, and they are taken back once there is room
    s_fill (disk, filler);
    rows_before = s_rows ("SPEND");
    streamed_before = s_stream_spend ("council", &of_council_before);
    char *held = s_submit_slowly ("slowly", 3000000, 4000, 50, 400);
    problems = s_problems ();
    streamed = s_stream_spend ("council", &of_council);
    printf ("     refused: %s\n     STATUS: %s", held? held: "(no receipt)",
            problems? problems: "(none)\n");
    testkit_check (held && strstr (held, "disk full") && strstr (held, "held back")
                   && problems && strstr (problems, "not taken back yet")
                   && streamed == streamed_before && of_council == of_council_before,
                   "a batch whose rows cannot be taken back on the full disk is refused"
                   " saying they are held back; STATUS says so and the stream serves none");
    zstr_free (&problems);
    unlink (filler);
    deadline = zclock_mono () + 30000;
    while (zclock_mono () < deadline
       &&  (s_rows ("SPEND") != rows_before || s_file_size (log) > (1 << 20)))
        zclock_sleep (50);
    s_write_spend ("later.msgpack", 4000000, 10, false);
    rc = s_submit ("council", "", "later.msgpack", &receipt);
    problems = s_problems ();
    testkit_check (s_file_size (log) <= (1 << 20) && rc == 0
                   && s_field (receipt, "accepted") == 10
                   && s_rows ("SPEND") == rows_before + 10 && problems && !*problems,
                   "once there is room its rows are taken back and the log given back,"
                   " and the next batch goes in");
    json_decref (receipt);
    zstr_free (&problems);
    zstr_free (&held);

    //  Back to the store of the tests before
    kill (s_ingest, SIGTERM);
    waitpid (s_ingest, NULL, 0);
    assert (umount (disk) == 0);
    s_start_ingest_on (config_path);
    zstr_free (&log);
    zstr_free (&filler);
    zstr_free (&store);
    zstr_free (&disk_config);
    zstr_free (&config_path);
    zstr_free (&disk);
}

//  ==========================================================================
//  Workbooks: xlsx made with libxlsxwriter, as Excel writes them

//  Sums a partner's SPEND pence and DELIVERY thousandths whose transaction
//  number or contract id starts with prefix, as the stream holds them
typedef struct {
    const char *partner;
    const char *prefix;
    int64_t rows;
    int64_t pence;
    int64_t milli;
} s_xlsx_sum_t;

static void
s_xlsx_sum_event (const sv_proto_event_t *event, void *arg)
{
    s_xlsx_sum_t *sum = (s_xlsx_sum_t *) arg;
    sv_proto_t body = { .id = 0 };
    if (sv_proto_decode (&body, event->body, event->body_size) == 0) {
        size_t length = strlen (sum->prefix);
        if (body.id == SV_PROTO_SPEND && streq (body.spend.partner, sum->partner)
        &&  strncmp (body.spend.transaction_no, sum->prefix, length) == 0) {
            sum->rows++;
            sum->pence += body.spend.amount_pence;
        }
        if (body.id == SV_PROTO_DELIVERY && streq (body.delivery.partner, sum->partner)
        &&  strncmp (body.delivery.contract_id, sum->prefix, length) == 0) {
            sum->rows++;
            sum->milli += body.delivery.quantity_milli;
        }
    }
    sv_proto_reset (&body);
}

static s_xlsx_sum_t
s_xlsx_sum (const char *partner, const char *prefix)
{
    s_xlsx_sum_t sum = { .partner = partner, .prefix = prefix };
    testkit_read_stream ("tcp://127.0.0.1:17711", "ingest", s_timeout * 1000,
                         s_xlsx_sum_event, &sum);
    return sum;
}

//  True if any of a receipt's errors is on row and has reason in it
static bool
s_has_error (json_t *receipt, int64_t row, const char *reason)
{
    json_t *errors = json_object_get (receipt, "errors");
    for (size_t index = 0; index < json_array_size (errors); index++) {
        json_t *error = json_array_get (errors, index);
        const char *why = json_string_value (json_object_get (error, "reason"));
        if (json_integer_value (json_object_get (error, "row")) == row && why
        &&  strstr (why, reason))
            return true;
    }
    return false;
}

//  Replaces a workbook's sheet1 XML with text (a bomb of one kind or other)
static void
s_xlsx_replace_sheet (const char *path, const char *text, size_t size)
{
    int error = 0;
    zip_t *zip = zip_open (path, 0, &error);
    assert (zip);
    zip_source_t *source = zip_source_buffer (zip, text, size, 0);
    assert (source && zip_file_add (zip, "xl/worksheets/sheet1.xml", source,
                                    ZIP_FL_OVERWRITE) >= 0);
    assert (zip_close (zip) == 0);
}

//  A delivery return and a spend file as Excel workbooks read as the same
//  CSV files do: rows, keys, totals; errors by sheet and cell; --sheet;
//  bombs refused
static void
s_test_xlsx (void)
{
    //  A delivery return: a title row, the header on row 3, four returns
    //  with dates as date-formatted serials, one quantity that is no
    //  number (D7) and one period start that is a number in a cell not
    //  formatted as a date (E8); a second sheet, Q2
    char *path = zsys_sprintf ("%s/return.xlsx", s_dir);
    lxw_workbook *book = workbook_new (path);
    lxw_format *date = workbook_add_format (book);
    format_set_num_format (date, "dd/mm/yyyy");
    lxw_worksheet *sheet = workbook_add_worksheet (book, "Returns");
    worksheet_write_string (sheet, 0, 0, "Social value return, Q1 2024-25", NULL);
    const char *header [] = { "Contract ID", "Measure", "Postcode", "Quantity", "Period Start",
                              "Period End", "Evidence" };
    for (int column = 0; column < 7; column++)
        worksheet_write_string (sheet, 2, (lxw_col_t) column, header [column], NULL);
    const char *postcodes [] = { "S60 1AE", "S65 1AB", "S66 8RT", "S60 2TD", "S61 1AA" };
    const double quantities [] = { 5, 3.25, 7, 0, 2 };
    lxw_datetime start = { 2024, 4, 1, 0, 0, 0 }, end = { 2024, 6, 30, 0, 0, 0 };
    for (int index = 0; index < 5; index++) {
        lxw_row_t row = (lxw_row_t) (3 + index);
        worksheet_write_string (sheet, row, 0, "XR-001", NULL);
        worksheet_write_string (sheet, row, 1, "NT3", NULL);
        worksheet_write_string (sheet, row, 2, postcodes [index], NULL);
        if (index == 3)
            worksheet_write_string (sheet, row, 3, "12a", NULL);
        else
            worksheet_write_number (sheet, row, 3, quantities [index], NULL);
        if (index == 4)
            worksheet_write_number (sheet, row, 4, 45383, NULL);
        else
            worksheet_write_datetime (sheet, row, 4, &start, date);
        worksheet_write_datetime (sheet, row, 5, &end, date);
        worksheet_write_string (sheet, row, 6, "Evidenced", NULL);
    }
    lxw_worksheet *q2 = workbook_add_worksheet (book, "Q2");
    for (int column = 0; column < 7; column++)
        worksheet_write_string (q2, 0, (lxw_col_t) column, header [column], NULL);
    lxw_datetime q2_start = { 2024, 7, 1, 0, 0, 0 }, q2_end = { 2024, 9, 30, 0, 0, 0 };
    worksheet_write_string (q2, 1, 0, "XR-001", NULL);
    worksheet_write_string (q2, 1, 1, "NT3", NULL);
    worksheet_write_number (q2, 1, 3, 4, NULL);
    worksheet_write_datetime (q2, 1, 4, &q2_start, date);
    worksheet_write_datetime (q2, 1, 5, &q2_end, date);
    assert (workbook_close (book) == LXW_NO_ERROR);
    //  The same return as CSV, rows on the same lines
    const char *csv =
        "Social value return, Q1 2024-25\n\n"
        "Contract ID,Measure,Postcode,Quantity,Period Start,Period End,Evidence\n"
        "XR-001,NT3,S60 1AE,5,01/04/2024,30/06/2024,Evidenced\n"
        "XR-001,NT3,S65 1AB,3.25,01/04/2024,30/06/2024,Evidenced\n"
        "XR-001,NT3,S66 8RT,7,01/04/2024,30/06/2024,Evidenced\n"
        "XR-001,NT3,S60 2TD,12a,01/04/2024,30/06/2024,Evidenced\n"
        "XR-001,NT3,S61 1AA,2,45383,30/06/2024,Evidenced\n";
    s_write_file ("return.csv", csv, strlen (csv));

    json_t *csv_receipt, *receipt;
    int csv_rc = s_submit ("council", "--kind deliveries", "return.csv", &csv_receipt);
    int rc = s_submit ("police", "--kind deliveries", "return.xlsx", &receipt);
    s_xlsx_sum_t by_csv = s_xlsx_sum ("council", "XR-");
    s_xlsx_sum_t by_xlsx = s_xlsx_sum ("police", "XR-");
    testkit_check (csv_rc == 0 && rc == 0 && s_field (receipt, "accepted") == 3
                   && s_field (csv_receipt, "accepted") == 3
                   && s_field (receipt, "rejected") == 2 && s_field (csv_receipt, "rejected") == 2
                   && by_xlsx.rows == 3 && by_csv.rows == 3
                   && by_xlsx.milli == 15250 && by_csv.milli == 15250,
                   "a delivery return in xlsx takes the rows its CSV takes: 3 returns, 15.25"
                   " units, 2 rejected");
    const char *columns = json_dumps (json_object_get (receipt, "columns"), JSON_SORT_KEYS);
    testkit_check (columns && strstr (columns, "\"field\": \"quantity\", \"source\": \"Quantity\""),
                   "an xlsx receipt names the sheet's columns and the fields they were read as");
    free ((void *) columns);
    testkit_check (s_has_error (receipt, 7, "sheet \"Returns\" cell D7 (column \"Quantity\"),"
                                " value '12a'"),
                   "a bad cell is rejected naming its sheet and cell: sheet \"Returns\" cell D7");
    testkit_check (s_has_error (receipt, 8, "sheet \"Returns\" cell E8 (column \"Period Start\"),"
                                " value '45383'")
                   && s_has_error (receipt, 8, "not formatted as a date"),
                   "a date column's number in a cell not formatted as a date is rejected, "
                   "never read as a serial");
    json_decref (receipt);
    json_decref (csv_receipt);
    //  Row identity is the CSV's: the workbook after the CSV adds nothing
    rc = s_submit ("council", "--kind deliveries", "return.xlsx", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0
                   && s_field (receipt, "duplicates") == 3,
                   "the same return as xlsx after its CSV: 3 duplicates, nothing added "
                   "(dates as serials read as the same dates)");
    json_decref (receipt);

    //  --sheet picks a sheet; one the workbook lacks is refused naming them
    rc = s_submit ("police", "--kind deliveries --sheet Q2", "return.xlsx", &receipt);
    s_xlsx_sum_t q2_sum = s_xlsx_sum ("police", "XR-");
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1 && q2_sum.rows == 4
                   && q2_sum.milli == 19250,
                   "--sheet Q2 reads that sheet: its one return, 4 units");
    json_decref (receipt);
    rc = s_submit ("police", "--kind deliveries --sheet Q3", "return.xlsx", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (s_first_reason (receipt), "no sheet \"Q3\"; its sheets are "
                              "\"Returns\", \"Q2\""),
                   "a sheet the workbook lacks is refused, naming the sheets it has");
    json_decref (receipt);
    rc = s_socval (NULL, "submit --kind deliveries --sheet Q2 %s/return.csv", s_dir);
    testkit_check (rc == 2, "--sheet for a file that is no workbook is a usage error");

    //  Spend: the same payments as CSV and as a workbook (amounts in a
    //  currency format, transaction numbers as numbers), the same pence
    char *spend_path = zsys_sprintf ("%s/payments.xlsx", s_dir);
    book = workbook_new (spend_path);
    date = workbook_add_format (book);
    format_set_num_format (date, "d mmm yyyy");
    lxw_format *money = workbook_add_format (book);
    format_set_num_format (money, "\"£\"#,##0.00");
    sheet = workbook_add_worksheet (book, "Payments");
    const char *spend_header [] = { "Payment Date", "Transaction Number", "Amount",
                                    "Supplier Name" };
    for (int column = 0; column < 4; column++)
        worksheet_write_string (sheet, 0, (lxw_col_t) column, spend_header [column], NULL);
    const double amounts [] = { 4952.17, -2348.4, 600, 1234.56, 0.1 + 0.2 };
    zchunk_t *spend_csv = zchunk_new (NULL, 0);
    const char *csv_header = "Payment Date,Transaction Number,Amount,Supplier Name\n";
    zchunk_extend (spend_csv, csv_header, strlen (csv_header));
    for (int index = 0; index < 5; index++) {
        lxw_datetime paid = { 2024, 5, 13 + index, 0, 0, 0 };
        char number [16], line [160];
        snprintf (number, sizeof number, "XL-%d", 70001 + index);
        worksheet_write_datetime (sheet, (lxw_row_t) (1 + index), 0, &paid, date);
        worksheet_write_string (sheet, (lxw_row_t) (1 + index), 1, number, NULL);
        worksheet_write_number (sheet, (lxw_row_t) (1 + index), 2, amounts [index], money);
        worksheet_write_string (sheet, (lxw_row_t) (1 + index), 3, "Rotherham Cleaning Co-op",
                                NULL);
        snprintf (line, sizeof line, "%d/05/2024,%s,\"£%s\",Rotherham Cleaning Co-op\n",
                  13 + index, number, (const char *[]) { "4,952.17", "-2,348.40", "600.00",
                  "1,234.56", "0.30" } [index]);
        zchunk_extend (spend_csv, line, strlen (line));
    }
    assert (workbook_close (book) == LXW_NO_ERROR);
    s_write_file ("payments.csv", zchunk_data (spend_csv), zchunk_size (spend_csv));
    zchunk_destroy (&spend_csv);
    csv_rc = s_submit ("council", "", "payments.csv", &csv_receipt);
    rc = s_submit ("police", "", "payments.xlsx", &receipt);
    by_csv = s_xlsx_sum ("council", "XL-");
    by_xlsx = s_xlsx_sum ("police", "XL-");
    testkit_check (csv_rc == 0 && rc == 0 && s_field (receipt, "accepted") == 5
                   && by_xlsx.rows == 5 && by_csv.rows == 5
                   && by_xlsx.pence == 443863 && by_csv.pence == 443863,
                   "a spend file in xlsx totals what its CSV totals: 5 payments, 443,863 pence");
    json_decref (receipt);
    json_decref (csv_receipt);

    //  The committed hand-made workbook: 1904 dates, inline strings only
    rc = s_submit ("police", "--kind deliveries", "tests/fixtures/xlsx/edge-1904-inline.xlsx",
                   &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 2,
                   "a hand-made workbook of the 1904 date system and inline strings: 2 returns");
    json_decref (receipt);

    //  A formula saved without its value (as some tools write them) is its
    //  row's error naming that cell; the other rows go in
    const char *unsaved =
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"1\">"
        "<c r=\"A1\" t=\"inlineStr\"><is><t>Contract ID</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>Measure</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>Year</t></is></c>"
        "<c r=\"D1\" t=\"inlineStr\"><is><t>Quantity</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>XF-001</t></is></c>"
        "<c r=\"B2\" t=\"inlineStr\"><is><t>NT3</t></is></c>"
        "<c r=\"C2\" t=\"inlineStr\"><is><t>2024-25</t></is></c><c r=\"D2\"><v>52</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>XF-001</t></is></c>"
        "<c r=\"B3\" t=\"inlineStr\"><is><t>NT4</t></is></c>"
        "<c r=\"C3\" t=\"inlineStr\"><is><t>2024-25</t></is></c><c r=\"D3\"><f>D2*2</f></c>"
        "</row></sheetData></worksheet>";
    s_xlsx_replace_sheet (path, unsaved, strlen (unsaved));
    rc = s_submit ("police", "--kind commitments --batch unsaved-1", "return.xlsx", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1
                   && s_field (receipt, "rejected") == 1
                   && s_has_error (receipt, 3, "sheet \"Returns\" cell D3: a formula with no "
                                   "value saved"),
                   "a commitment whose quantity is a formula saved without its value is "
                   "rejected naming cell D3; the other is taken");
    json_decref (receipt);

    //  A zip bomb and an entity bomb in place of the sheet, and bytes that
    //  are no workbook: refused whole, with the reason, and ingest serves on
    size_t blank_size = 16 * 1024 * 1024;
    char *blanks = (char *) malloc (blank_size);
    memset (blanks, ' ', blank_size);
    memcpy (blanks, "<worksheet>", 11);
    s_xlsx_replace_sheet (path, blanks, blank_size);
    free (blanks);
    int64_t deliveries = s_rows ("DELIVERY");
    rc = s_submit ("police", "--kind deliveries --batch bomb-1", "return.xlsx", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (s_first_reason (receipt), "a zip bomb?")
                   && s_rows ("DELIVERY") == deliveries,
                   "a zip bomb (16 MB of sheet in 16 KB) is refused, nothing added");
    json_decref (receipt);
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&c;</t></is>"
        "</c></row></sheetData></worksheet>";
    s_xlsx_replace_sheet (path, laughs, strlen (laughs));
    rc = s_submit ("police", "--kind deliveries --batch bomb-2", "return.xlsx", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused")
                   && strstr (s_first_reason (receipt), "has a DTD")
                   && s_rows ("DELIVERY") == deliveries,
                   "an XML entity bomb is refused at its DTD, nothing added");
    json_decref (receipt);
    rc = s_submit ("police", "--kind deliveries --format xlsx", "return.csv", &receipt);
    testkit_check (rc == 1 && strstr (s_first_reason (receipt), "not a zip archive"),
                   "a CSV sent as xlsx is refused: not a zip archive");
    json_decref (receipt);
    zstr_free (&path);
    zstr_free (&spend_path);
}

//  ==========================================================================

int
main (int argc, char *argv [])
{
    bool short_run = argc > 1 && streq (argv [1], "--short");
    int large = short_run? 20000: 150000;
    if (short_run)
        s_timeout = 60;
    s_dir = zsys_sprintf ("/tmp/sv_test_ingest_%d", getpid ());
    char *partners = zsys_sprintf ("%s/keys/partners", s_dir);
    zsys_dir_create ("%s", partners);
    const char *names [] = { "ingest", "council", "police", "stranger" };
    for (int index = 0; index < 4; index++)
        assert (s_socval (NULL, "keys new %s", names [index]) == 0);
    //  council and police may submit; stranger has a key nobody accepted
    char *config_path = zsys_sprintf ("%s/socval.cfg", s_dir);
    FILE *config = fopen (config_path, "w");
    fprintf (config, "data\n    dir = \"%s\"\npartners\n", s_dir);
    for (int index = 1; index < 3; index++) {
        char *cert_path = zsys_sprintf ("%s/keys/%s.cert", s_dir, names [index]);
        zcert_t *cert = zcert_load (cert_path);
        fprintf (config, "    %s\n        public_key = \"%s\"\n", names [index], zcert_public_txt (cert));
        if (streq (names [index], "police"))
            fprintf (config, "        date_order = \"dmy\"\n");
        char *copy = zsys_sprintf ("%s/%s.cert", partners, names [index]);
        assert (zcert_save_public (cert, copy) == 0);
        zstr_free (&copy);
        zcert_destroy (&cert);
        zstr_free (&cert_path);
    }
    //  Ports of our own, so a stack running on the defaults is not disturbed;
    //  OCDS items of at most 256 KB
    fprintf (config, "ingest\n    feed_endpoint = \"tcp://127.0.0.1:17710\"\n"
                     "    stream_endpoint = \"tcp://127.0.0.1:17711\"\n"
                     "    control_endpoint = \"tcp://127.0.0.1:17712\"\n"
                     "    max_document_bytes = 262144\n");
    fclose (config);
    s_start_ingest ();

    //  A batch of 100 rows from council, whose records claim to be police's
    s_write_spend ("spend.msgpack", 1, 100, false);
    json_t *receipt = NULL;
    int rc = s_submit ("council", "", "spend.msgpack", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 100 && s_field (receipt, "rejected") == 0,
             "a batch of 100 spend rows is accepted, 100 rows");
    char *first = json_dumps (receipt, JSON_SORT_KEYS);
    json_decref (receipt);

    rc = s_submit ("council", "", "spend.msgpack", &receipt);
    char *second = json_dumps (receipt, JSON_SORT_KEYS);
    testkit_check (rc == 0 && streq (first, second) && s_spend_rows () == 100,
             "a resent batch gets the same receipt and adds nothing");
    json_decref (receipt);
    zstr_free (&second);

    //  A batch recorded before batch digests were XXH3 is still known when
    //  resent; other content under its id is still refused
    receipt = json_loads (first, 0, NULL);
    char *batch_id = strdup (json_string_value (json_object_get (receipt, "batch_id")));
    json_decref (receipt);
    s_record_legacy_digest ("council", batch_id, "spend.msgpack");
    rc = s_submit ("council", "", "spend.msgpack", &receipt);
    second = json_dumps (receipt, JSON_SORT_KEYS);
    json_decref (receipt);
    s_write_spend ("other.msgpack", 1, 99, false);
    char *same_id = zsys_sprintf ("--batch %s", batch_id);
    int other_rc = s_submit ("council", same_id, "other.msgpack", &receipt);
    testkit_check (rc == 0 && streq (first, second) && s_spend_rows () == 100
             && other_rc == 1 && streq (s_state (receipt), "refused"),
             "a batch recorded with the digest of before is still recognised when resent");
    json_decref (receipt);
    zstr_free (&same_id);
    zstr_free (&batch_id);
    zstr_free (&first);
    zstr_free (&second);

    int64_t of_council = 0;
    testkit_check (s_stream_spend ("council", &of_council) == 100 && of_council == 100,
             "every streamed row is the authenticated partner's, whatever the body says");

    //  The same batch id for different content is refused whole
    s_write_spend ("other.msgpack", 500, 10, false);
    rc = s_submit ("council", "--batch spend-1", "spend.msgpack", &receipt);
    json_decref (receipt);
    rc = s_submit ("council", "--batch spend-1", "other.msgpack", &receipt);
    const char *reason = json_string_value (json_object_get (
        json_array_get (json_object_get (receipt, "errors"), 0), "reason"));
    testkit_check (rc == 1 && streq (json_string_value (json_object_get (receipt, "state")), "refused")
             && reason && strstr (reason, "already used") && s_spend_rows () == 100,
             "a batch id reused for other content is refused, adding nothing");
    json_decref (receipt);

    //  A key nobody accepted gets nothing through
    int timeout = s_timeout;
    s_timeout = 3;              //  it will wait this long for nothing
    rc = s_submit ("stranger", "", "other.msgpack", &receipt);
    s_timeout = timeout;
    testkit_check (rc == 2 && receipt == NULL && s_spend_rows () == 100,
             "an unknown CURVE key gets no answer and nothing accepted");
    json_decref (receipt);

    //  Police's own rows are police's: same transaction numbers, no clash
    rc = s_submit ("police", "", "spend.msgpack", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 100 && s_spend_rows () == 200,
             "the same rows from another partner are that partner's own");
    json_decref (receipt);

    //  A record cut short is rejected with its number; the rest go in
    s_write_spend ("broken.msgpack", 1000, 20, true);
    rc = s_submit ("council", "", "broken.msgpack", &receipt);
    json_t *error = json_array_get (json_object_get (receipt, "errors"), 0);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 19 && s_field (receipt, "rejected") == 1
             && json_integer_value (json_object_get (error, "row")) == 20,
             "a truncated record is rejected as row 20, the other 19 accepted");
    json_decref (receipt);

    //  Every spend fixture (excerpts of the real files) through the service:
    //  every data row is accounted for, as accepted, duplicate or rejected
    //  with a reason, exactly as the reader counts them
    zdir_t *fixtures = zdir_new ("tests/fixtures/spend", NULL);
    zfile_t **files = zdir_flatten (fixtures);
    int checked = 0, agreed = 0;
    for (int index = 0; files [index]; index++) {
        const char *path = zfile_filename (files [index], NULL);
        if (strcmp (path + strlen (path) - 4, ".csv"))
            continue;
        s_expected_t expected = s_expected (path);
        rc = s_submit ("police", "", path, &receipt);
        bool reasons = true;
        json_t *errors = json_object_get (receipt, "errors");
        for (size_t i = 0; i < json_array_size (errors); i++) {
            const char *why = json_string_value (json_object_get (json_array_get (errors, i), "reason"));
            reasons &= why && *why;
        }
        bool ok = expected.refused
            ? rc == 1 && streq (s_state (receipt), "refused") && *s_first_reason (receipt)
            : rc == 0 && reasons
              && s_field (receipt, "rejected") == expected.rejected
              && s_field (receipt, "accepted") + s_field (receipt, "duplicates") == expected.accepted;
        if (!ok)
            printf ("     %s: expected %" PRId64 " accepted, %" PRId64 " rejected%s\n", path,
                    expected.accepted, expected.rejected, expected.refused? ", refused": "");
        checked++;
        agreed += ok;
        json_decref (receipt);
    }
    zdir_flatten_free (&files);
    zdir_destroy (&fixtures);
    testkit_check (checked >= 26 && agreed == checked,
             "every real spend excerpt: accepted + duplicates + rejected = its data rows");

    //  Inputs that are not spend files at all are refused whole, clearly
    s_write_file ("empty.csv", "", 0);
    rc = s_submit ("police", "", "empty.csv", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused") && *s_first_reason (receipt),
             "an empty file is refused with a reason");
    json_decref (receipt);
    const char *header = "Payment Date,Transaction Number,Amount,Supplier Name\n";
    s_write_file ("header.csv", header, strlen (header));
    rc = s_submit ("police", "", "header.csv", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 0 && s_field (receipt, "rejected") == 0,
             "a header with no rows is taken, with nothing in it");
    json_decref (receipt);
    byte noise [4096];
    for (size_t i = 0; i < sizeof noise; i++)
        noise [i] = (byte) ((i * 7919 + 13) % 251);
    s_write_file ("binary.csv", noise, sizeof noise);
    rc = s_submit ("police", "", "binary.csv", &receipt);
    testkit_check (rc == 1 && streq (s_state (receipt), "refused") && *s_first_reason (receipt),
             "a binary file is refused with a reason");
    json_decref (receipt);
    size_t huge_size = 3 * 1024 * 1024;
    char *huge = (char *) malloc (huge_size);
    memcpy (huge, header, strlen (header));
    memset (huge + strlen (header), 'x', huge_size - strlen (header));
    s_write_file ("huge.csv", huge, huge_size);
    free (huge);
    rc = s_submit ("police", "", "huge.csv", &receipt);
    testkit_check (rc != 2 && receipt && s_field (receipt, "accepted") == 0
             && s_rows ("SPEND") >= 0,
             "a 3 MB row is refused, and ingest keeps serving");
    json_decref (receipt);
    //  The command refuses what it cannot do with exit 2 and a usage line
    char *usage = NULL;
    int no_kind = s_socval (NULL, "submit %s/spend.msgpack", s_dir);
    int no_file = s_socval (NULL, "submit --kind spend %s/missing.csv", s_dir);
    int no_verb = s_socval (NULL, "frobnicate");
    int help = s_socval (&usage, "submit --help");
    testkit_check (no_kind == 2 && no_file == 2 && no_verb == 2 && help == 0
                   && strstr (usage, "usage: socval submit"),
                   "socval: a missing kind, a missing file or an unknown verb exit 2");
    free (usage);
    //  Without --key and with no partner.cert, it names the keys it could use
    char *no_key = NULL;
    int no_key_rc = testkit_run (&no_key, "build/socval --data %s submit --kind spend"
                                 " %s/header.csv 2>&1", s_dir, s_dir);
    testkit_check (no_key_rc == 2 && no_key && strstr (no_key, "keys/council.cert")
                   && strstr (no_key, "keys/police.cert") && !strstr (no_key, "stranger"),
                   "socval submit without --key names the partners' keys it could use (exit 2)");
    free (no_key);

    //  The other kinds in CSV: contracts, then commitments, one of them on
    //  a contract never sent, which ingest creates as an incomplete stub
    const char *contracts =
        "Contract ID,Title,Supplier Name,Category,Contract Value,Start Date,End Date\n"
        "C-001,Office cleaning,Rotherham Cleaning Co-operative,Cleaning,250000.00,"
        "01/04/2024,31/03/2027\n"
        "C-002,Security,Acme Security Ltd,Security,not money,01/04/2024,31/03/2026\n";
    s_write_file ("contracts.csv", contracts, strlen (contracts));
    rc = s_submit ("council", "--kind contracts", "contracts.csv", &receipt);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1 && s_field (receipt, "rejected") == 1
             && strstr (s_first_reason (receipt), "not money") && s_rows ("CONTRACT") == 1,
             "a contracts CSV: one contract stored, one rejected quoting its value");
    json_decref (receipt);
    const char *commitments =
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-001,NT3,2024-25,52\n"
        "C-999,NT3,2024-25,10\n";
    s_write_file ("commitments.csv", commitments, strlen (commitments));
    rc = s_submit ("council", "--kind commitments", "commitments.csv", &receipt);
    json_t *warning = json_array_get (json_object_get (receipt, "warnings"), 0);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 2 && s_rows ("COMMITMENT") == 2
             && s_rows ("CONTRACT") == 2 && s_field (receipt, "warned") == 1
             && strstr (json_string_value (json_object_get (warning, "reason")), "'C-999'")
             && strstr (json_string_value (json_object_get (warning, "reason")), "stub"),
             "a commitment on an unknown contract creates it as an incomplete stub, with a"
             " warning naming it");
    json_decref (receipt);

    //  The 201 Contracts Finder releases: 147 awards or contracts, under 143
    //  distinct ids (counted with Python's json module over the file), with
    //  their suppliers; tenders and planning notices are skipped, not
    //  errors. Six releases with awards are older than a release of their
    //  ocid listed before them (Contracts Finder lists the newest first), so
    //  they are set aside: 141 contracts, each once, and 248 suppliers. The
    //  file is 810 KB, over the 256 KB limit: a package is read a release at
    //  a time
    int64_t contracts_before = s_rows ("CONTRACT");
    int64_t head_before = s_head ();
    rc = s_submit ("police", "--kind contracts --format ocds",
                   "tests/fixtures/ocds/contracts_finder_releases_201.json", &receipt);
    int64_t ocds_contracts = s_rows ("CONTRACT") - contracts_before;
    int64_t suppliers = s_rows ("SUPPLIER");
    int64_t streamed = s_head () - head_before;
    testkit_check (rc == 0 && s_field (receipt, "rejected") == 0 && ocds_contracts == 141 && suppliers > 100
             && s_field (receipt, "accepted") + s_field (receipt, "duplicates") == 141 + 248,
             "the 201 Contracts Finder releases (810 KB, a 256 KB limit) ingest as 141 contracts"
             " with their suppliers, the six superseded releases set aside");
    //  A supplier named again unchanged in a later release of the same file
    //  is a duplicate: accepted counts exactly the events streamed
    testkit_check (s_field (receipt, "accepted") == streamed
                   && s_field (receipt, "duplicates") > 0,
                   "its receipt's accepted rows are exactly the events it streamed,"
                   " suppliers named again unchanged counted as duplicates");
    json_decref (receipt);

    int64_t rows_before_csv_kill = s_spend_rows ();

    //  SIGKILL in the middle of a large batch, restart, resend: exact
    s_write_spend ("large.msgpack", 100000, large, false);
    pid_t submitter = s_submit_in_background ("large.msgpack");
    //  Kill ingest once some of the batch has committed
    int64_t deadline = zclock_mono () + 20000;
    while (zclock_mono () < deadline && s_spend_rows () <= rows_before_csv_kill)
        zclock_sleep (20);
    int64_t before_kill = s_spend_rows ();
    kill (s_ingest, SIGKILL);
    waitpid (s_ingest, NULL, 0);
    waitpid (submitter, NULL, 0);
    s_start_ingest ();
    rc = s_submit ("council", "", "large.msgpack", &receipt);
    s_stream_spend ("council", &of_council);
    testkit_check (before_kill > rows_before_csv_kill && before_kill < rows_before_csv_kill + large
             && rc == 0 && s_field (receipt, "accepted") == large
             && s_field (receipt, "duplicates") == 0
             && s_spend_rows () == rows_before_csv_kill + large
             && of_council == 100 + 19 + large,
             "ingest killed mid-batch and the batch resent: every row once, receipt exact");
    json_decref (receipt);

    //  Another partner's one-contract file sent while a large spend file
    //  streams in is stored and answered before the large one is done: the
    //  batches take turns
    int64_t rows_before_large = s_spend_rows ();
    s_write_spend ("larger.msgpack", 400000, 2 * large, false);
    submitter = s_submit_in_background ("larger.msgpack");
    deadline = zclock_mono () + 20000;
    while (zclock_mono () < deadline && s_spend_rows () <= rows_before_large)
        zclock_sleep (5);
    const char *one_contract =
        "Contract ID,Title,Supplier Name,Category,Value,Start Date,End Date\n"
        "P-001,Custody cleaning,Acme Cleaning Ltd,Cleaning,120000.00,01/04/2024,31/03/2027\n";
    s_write_file ("one-contract.csv", one_contract, strlen (one_contract));
    rc = s_submit ("police", "--kind contracts", "one-contract.csv", &receipt);
    int64_t large_rows_then = s_spend_rows () - rows_before_large;
    int large_status = -1;
    bool large_running = waitpid (submitter, &large_status, WNOHANG) == 0;
    waitpid (submitter, &large_status, 0);
    testkit_check (rc == 0 && s_field (receipt, "accepted") == 1 && large_running
             && large_rows_then < 2 * large
             && WIFEXITED (large_status) && WEXITSTATUS (large_status) == 0
             && s_spend_rows () == rows_before_large + 2 * large,
             "a one-contract file sent while a large spend file streams in is answered first");
    json_decref (receipt);

    //  Nonsense on the feed socket does not stop ingest serving
    zsock_t *raw = s_feed_socket ("council");
    const byte hostile [] = { 0xdd, 0x10, 0x00, 0x00, 0x00 };
    zsock_send (raw, "b", hostile, sizeof hostile);
    zsock_send (raw, "ss", "two", "frames");
    zsock_set_rcvtimeo (raw, s_timeout * 1000);
    zframe_t *answer = zframe_recv (raw);
    sv_proto_t refusal = { .id = 0 };
    bool refused = answer && sv_proto_decode (&refusal, zframe_data (answer), zframe_size (answer)) == 0
                && refusal.id == SV_PROTO_RECEIPT && streq (refusal.receipt.state, "refused");
    sv_proto_reset (&refusal);
    zframe_destroy (&answer);
    testkit_check (refused && s_rows ("SPEND") >= 0,
             "a hostile message is refused and ingest keeps serving");

    //  Chunks sent without waiting for credit pile up faster than the
    //  batch's reader takes them: past ingest/credit of them the batch is
    //  refused rather than held in memory
    size_t rows_size = 200 * 1024;
    char *rows = (char *) zmalloc (rows_size + 100);
    size_t length = (size_t) sprintf (rows, "Body Name,Payment Date,Transaction Number,"
                                            "Amount,Supplier Name\n");
    for (int row = 1; length < rows_size; row++)
        length += (size_t) sprintf (rows + length, "Example Council,01/05/2026,%d,600.00,"
                                                   "Acme Ltd\n", row);
    for (uint64_t chunk = 0; chunk < 16; chunk++) {
        sv_proto_t submit = { .id = SV_PROTO_SUBMIT };
        submit.submit = (sv_proto_submit_t) {
            .batch_id = "no-credit", .kind = "spend", .format = "csv", .chunk_no = chunk,
            .payload = (uint8_t *) rows, .payload_size = length
        };
        zframe_t *frame = sv_proto_encode_frame (&submit);
        zframe_send (&frame, raw, 0);
    }
    free (rows);
    sv_proto_t reply = { .id = 0 };
    while ((answer = zframe_recv (raw))
       &&  sv_proto_decode (&reply, zframe_data (answer), zframe_size (answer)) == 0
       &&  reply.id == SV_PROTO_CREDIT)
        zframe_destroy (&answer);
    testkit_check (answer && reply.id == SV_PROTO_RECEIPT
             && streq (reply.receipt.state, "refused")
             && strstr (reply.receipt.errors [0].reason, "credit"),
             "a batch sending more chunks than its credit is refused");
    sv_proto_reset (&reply);
    zframe_destroy (&answer);
    zsock_destroy (&raw);

    s_test_receipt_names_columns ();
    s_test_refused_batch_adds_nothing (short_run? 30000: 300000);
    s_test_partner_batches_in_turn (short_run? 30000: 100000);
    s_check_rows_once_and_piped_input ();
    s_test_ocds_newest_first ();
    s_test_kpis ();
    s_test_ocds_older_package ();
    s_test_ocds_supplier_replaced ();
    s_test_ocds_party_ids ();
    s_test_company_numbers ();
    //  After the Companies House test: ESPO's framework names SC053003
    s_test_ocds_shared_awards ();
    s_test_ocds_calloffs_and_cancellations ();
    s_test_spend_identity ();
    s_test_month_first ();
    s_test_real_files ();
    s_test_ocds_long_key_bounded ();
    s_test_xlsx ();
    s_test_disk_full ();

    kill (s_ingest, SIGTERM);
    waitpid (s_ingest, NULL, 0);
    char *remove = zsys_sprintf ("rm -rf '%s'", s_dir);
    assert (system (remove) == 0);
    zstr_free (&remove);
    zstr_free (&config_path);
    zstr_free (&partners);
    zstr_free (&s_dir);
    return testkit_summary ();
}
