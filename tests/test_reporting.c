/*  test_reporting: the reporting service at the end of the whole stack.

    Starts all four services with clocks read from files, submits a small
    hand-checked set of feeds, and checks the annual report's headline
    figures in pence, shares and counts as `socval report` returns them;
    that the xlsx is a workbook with numeric cells and the html is
    well-formed with its charts; that two reports at the same offsets
    differ only in their created time; that a schedule fires when its time
    comes, and that a run missed while reporting was down is made up once;
    that a report with no year named takes the latest year with spend, and
    that a year with no data is refused (exit 1, the years with data on
    stderr); and, last, in a stack of its own with a postcode directory,
    that a ward given by name, code and postcode, and a group in several
    spellings, are each one row of the report. The last line is
    "N passed, N failed".

    Usage: test_reporting [--short]     (run from the repository root)
*/

#include <czmq.h>
#include <jansson.h>
#include <sys/wait.h>
#include "sv_proto.h"
#include "testkit.h"

#define S_PORTS "180"           //  tcp://127.0.0.1:180xx
static const char *const s_services [] = { "ingest", "valuation", "compliance", "reporting" };

static char *s_dir;
static int s_timeout = 10;
//  The framework s_config gives the council (its file is test-fw.csv)
static const char *s_framework = "test-fw";
static pid_t s_pids [4];

#define s_socval(output, ...) testkit_socval (s_dir, s_timeout, output, __VA_ARGS__)

static void
s_write (const char *name, const char *text)
{
    testkit_write (s_dir, name, text);
}

static pid_t
s_start (int service)
{
    char *config = zsys_sprintf ("%s/socval.cfg", s_dir);
    char *program = zsys_sprintf ("build/socval-%s", s_services [service]);
    pid_t pid = testkit_start (program, config);
    zstr_free (&program);
    zstr_free (&config);
    return pid;
}

//  Starts the four services on s_dir's config
static void
s_start_all (void)
{
    for (int service = 0; service < 4; service++)
        s_pids [service] = s_start (service);
}

//  Stops the four services and waits for them to end
static void
s_stop_all (void)
{
    for (int service = 0; service < 4; service++)
        kill (s_pids [service], SIGTERM);
    for (int service = 0; service < 4; service++)
        waitpid (s_pids [service], NULL, 0);
}

static int
s_submit (const char *kind, const char *file)
{
    return s_socval (NULL, "submit --kind %s --key %s/keys/council.cert %s/%s >/dev/null",
                     kind, s_dir, s_dir, file);
}

//  The report as JSON, parsed; NULL when it cannot be had
static json_t *
s_report_json (const char *args)
{
    char *output = NULL;
    json_t *report = NULL;
    if (s_socval (&output, "report %s --format json", args) == 0)
        report = json_loads (output, 0, NULL);
    zstr_free (&output);
    return report;
}

//  socval explain ARGS --json, parsed; NULL when it exits non-zero or
//  prints no JSON
static json_t *
s_explain_json (const char *args)
{
    char *output = NULL;
    json_t *explanation = NULL;
    if (s_socval (&output, "explain %s --json", args) == 0)
        explanation = json_loads (output, 0, NULL);
    zstr_free (&output);
    return explanation;
}

//  Whether explanation's figure is value, its lines summing to it, rows
//  of them in all
static bool
s_explained (json_t *explanation, int64_t value, int64_t rows)
{
    return explanation
        && json_integer_value (json_object_get (explanation, "value")) == value
        && json_integer_value (json_object_get (explanation, "sum")) == value
        && json_integer_value (json_object_get (explanation, "rows_total")) == rows
        && json_is_true (json_object_get (explanation, "sum_equals_value"));
}

//  socval explain ARGS's exit code, its stderr in *error_p (caller frees)
static int
s_explain_refused (const char *args, char **error_p)
{
    int rc = testkit_run (NULL, "build/socval --data %s --timeout %d explain %s 2>%s/explain.err"
                          " >/dev/null", s_dir, s_timeout, args, s_dir);
    testkit_run (error_p, "cat %s/explain.err", s_dir);
    return rc;
}

static int64_t
s_int (json_t *object, const char *path)
{
    //  A dotted path: "spend.total_pence"
    char *copy = strdup (path);
    json_t *node = object;
    for (char *key = strtok (copy, "."); key && node; key = strtok (NULL, "."))
        node = json_object_get (node, key);
    free (copy);
    return node? (int64_t) json_integer_value (node): -1;
}

static double
s_real (json_t *object, const char *path)
{
    char *copy = strdup (path);
    json_t *node = object;
    for (char *key = strtok (copy, "."); key && node; key = strtok (NULL, "."))
        node = json_object_get (node, key);
    free (copy);
    return node? json_number_value (node): -1;
}

static bool
s_text_is (json_t *row, const char *key, const char *value)
{
    return streq (json_string_value (json_object_get (row, key)) ?: "(none)", value);
}

//  Files in the output folder, and the reporting stream's events
static int
s_outputs (void)
{
    char *command = zsys_sprintf ("ls %s/reports | wc -l", s_dir);
    char *output = NULL;
    testkit_run (&output, "%s", command);
    int count = output? atoi (output): -1;
    zstr_free (&output);
    zstr_free (&command);
    return count;
}

static void
s_count (const sv_proto_event_t *event, void *arg)
{
    (void) event;
    (*(int *) arg)++;
}

static int
s_ready_events (void)
{
    int count = 0;
    testkit_read_stream ("tcp://127.0.0.1:" S_PORTS "41", "reporting", s_timeout * 1000,
                         s_count, &count);
    return count;
}

//  Waits until count outputs exist (or a deadline), then a little more so
//  that a second, wrongful run would show
static int
s_await_outputs (int count)
{
    int64_t deadline = zclock_mono () + 20000;
    while (s_outputs () < count && zclock_mono () < deadline)
        zclock_sleep (100);
    zclock_sleep (800);
    return s_outputs ();
}

//  Makes the stack's keys under s_dir: ingest's and the council's, whose
//  public certificate ingest accepts. Returns the council's certificate;
//  *cert_path_p is its path (the caller frees both).
static zcert_t *
s_keys (char **cert_path_p)
{
    zsys_dir_create ("%s/keys/partners", s_dir);
    assert (s_socval (NULL, "keys new ingest >/dev/null") == 0);
    assert (s_socval (NULL, "keys new council >/dev/null") == 0);
    *cert_path_p = zsys_sprintf ("%s/keys/council.cert", s_dir);
    char *public_path = zsys_sprintf ("%s/keys/partners/council.cert", s_dir);
    zcert_t *cert = zcert_load (*cert_path_p);
    assert (cert && zcert_save_public (cert, public_path) == 0);
    zstr_free (&public_path);
    return cert;
}

//  Writes s_dir/socval.cfg for a stack whose data is s_dir: the council
//  (cert's public key) on the test framework, with partner's lines added
//  to its section; the framework, clocks and rates in files under files;
//  valuation's and reporting's sections with their lines added; then tail
static void
s_config (zcert_t *cert, const char *files, const char *partner, const char *valuation,
          const char *reporting, const char *tail)
{
    char *config = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "partners\n    council\n        public_key = \"%s\"\n        framework = \"%s\"\n"
        "%s"
        "ingest\n    feed_endpoint = \"tcp://127.0.0.1:" S_PORTS "10\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "11\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:" S_PORTS "12\"\n"
        "valuation\n    frameworks = \"%s/test-fw.csv\"\n%s"
        "    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "21\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:" S_PORTS "22\"\n"
        "compliance\n    clock_file = \"%s/today\"\n    rlw_rates = \"%s/rates.csv\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "31\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:" S_PORTS "32\"\n"
        "reporting\n    clock_file = \"%s/now\"\n%s"
        "    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "41\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:" S_PORTS "42\"\n"
        "%s",
        s_dir, zcert_public_txt (cert), s_framework, partner, files, valuation, files, files, files,
        reporting, tail);
    s_write ("socval.cfg", config);
    zstr_free (&config);
}

//  Points s_dir at a folder named name under it, for a test's stack of
//  its own, with the council's keys there (*cert_p and *cert_path_p, the
//  caller's); returns the outer s_dir, for s_own_stack_end
static char *
s_own_stack (const char *name, zcert_t **cert_p, char **cert_path_p)
{
    char *outer = s_dir;
    s_dir = zsys_sprintf ("%s/%s", outer, name);
    *cert_p = s_keys (cert_path_p);
    return outer;
}

//  Stops a test's own stack, frees its keys and points s_dir at outer again
static void
s_own_stack_end (char *outer, zcert_t **cert_p, char **cert_path_p)
{
    s_stop_all ();
    zcert_destroy (cert_p);
    zstr_free (cert_path_p);
    zstr_free (&s_dir);
    s_dir = outer;
}

//  The row of a report's breakdown (social_value.<list>) whose key is
//  value, and how many rows have it
static json_t *
s_row (json_t *report, const char *list, const char *key, const char *value, int *count)
{
    json_t *rows = json_object_get (json_object_get (report, "social_value"), list);
    json_t *found = NULL, *row;
    size_t index;
    *count = 0;
    json_array_foreach (rows, index, row) {
        const char *text = json_string_value (json_object_get (row, key));
        if (text && streq (text, value)) {
            found = row;
            (*count)++;
        }
    }
    return found;
}

//  A ward counted once under every name: Trafford's partner with the
//  Trafford directory excerpt (tests/fixtures/postcodes); returns for
//  Altrincham (E05015239) by name in two spellings, by code in lower case
//  and by two of its postcodes, for one group in five spellings. Run in
//  a fresh stack of its own, so the figures above are not touched.
static void
s_test_wards_counted_once (void)
{
    char *cert_path;
    zcert_t *cert;
    char *outer = s_own_stack ("wards", &cert, &cert_path);
    char *lookup = realpath ("tests/fixtures/postcodes/trafford_postcodes_excerpt.csv", NULL);
    assert (lookup);
    char *valuation = zsys_sprintf ("    postcode_lookup = \"%s\"\n", lookup);
    //  The smallest message allowed, so that the open-data pack comes in parts
    s_config (cert, outer, "        local_authorities = \"E08000009\"\n", valuation, "",
              "stream\n    max_message_bytes = 65536\n    batch_bytes = 32768\n");
    zstr_free (&valuation);
    free (lookup);
    s_start_all ();

    s_write ("contracts.csv",
        "Contract ID,Title,Supplier Name,Category,Contract Value,Start Date,End Date\n"
        "T-001,Town centre works,Altrincham Builders Ltd,Construction,90000.00,"
        "01/04/2025,31/03/2027\n");
    //  JOB-03 in 2025-26: 25,000p a week. Altrincham: 1+2+3+4+5 = 15 weeks,
    //  375,000p over 5 returns, none of its five spellings 5 alone. Dunham
    //  Massey is no Trafford ward (Dunham is in Bowdon): 2 returns, kept
    //  as one ward without a code, and suppressed. E05099999 has a ward
    //  code's form but is not in the directory: a ward with no name
    s_write ("wards.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Ward,Postcode,"
        "Beneficiary Group\n"
        "T-001,JOB-03,01/04/2025,30/06/2025,1,evidenced,Altrincham,,Care Leavers\n"
        "T-001,JOB-03,01/04/2025,30/06/2025,2,evidenced,ALTRINCHAM,,CARE LEAVERS\n"
        "T-001,JOB-03,01/04/2025,30/06/2025,3,evidenced,e05015239,,care-leavers\n"
        "T-001,JOB-03,01/04/2025,30/06/2025,4,evidenced,,WA14 1ET,care leavers \n"
        "T-001,JOB-03,01/04/2025,30/06/2025,5,evidenced,,wa142bj,Care leavers\n"
        "T-001,JOB-03,01/07/2025,30/09/2025,1,evidenced,dunham massey,,Lone parents\n"
        "T-001,JOB-03,01/07/2025,30/09/2025,1,evidenced,DUNHAM-MASSEY,,\n"
        "T-001,JOB-03,01/10/2025,31/12/2025,1,evidenced,E05099999,,\n");
    //  A payment to a supplier in Altrincham, and one the council redacted
    s_write ("spend.csv",
        "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID,Postcode\n"
        "15/05/2025,W1,\"£1,200.00\",Altrincham Builders Ltd,B1,WA14 1ET\n"
        "16/05/2025,W2,80.00,REDACTED PERSONAL DATA,,\n");
    char *receipt = NULL;
    int rc = s_socval (NULL, "submit --kind spend --key %s %s/spend.csv >/dev/null",
                       cert_path, s_dir)
           + s_socval (NULL, "submit --kind contracts --key %s %s/contracts.csv >/dev/null",
                       cert_path, s_dir)
           + s_socval (&receipt, "submit --kind deliveries --key %s --json %s/wards.csv",
                       cert_path, s_dir);
    testkit_check (rc == 0 && receipt && strstr (receipt, "\"accepted\": 8")
                   && strstr (receipt, "not one of the partner's declared beneficiary groups")
                   && strstr (receipt, "Lone parents") && strstr (receipt, "\"warned\": 1")
                   && s_socval (NULL, "wait --timeout 60") == 0,
                   "wards: 8 returns taken; the receipt warns of the undeclared group"
                   " 'Lone parents' only");
    zstr_free (&receipt);

    json_t *report = s_report_json ("annual --year 2025-26");
    int rows = 0, named = 0;
    json_t *altrincham = s_row (report, "by_ward", "ward_code", "E05015239", &rows);
    s_row (report, "by_ward", "ward", "Altrincham", &named);
    testkit_check (altrincham && rows == 1 && named == 1
                   && streq (json_string_value (json_object_get (altrincham, "ward")),
                             "Altrincham")
                   && s_int (altrincham, "deliveries") == 5
                   && s_int (altrincham, "delivered_pence") == 375000
                   && json_is_false (json_object_get (altrincham, "suppressed")),
                   "Altrincham given as two names, its code and two postcodes is one by_ward"
                   " row, E05015239 'Altrincham': 5 returns, £3,750.00, not suppressed");
    json_t *dunham = s_row (report, "by_ward", "ward", "Dunham Massey", &rows);
    json_t *wards = json_object_get (json_object_get (report, "social_value"), "by_ward");
    json_t *unnamed = s_row (report, "by_ward", "ward_code", "E05099999", &named);
    testkit_check (unnamed && named == 1
                   && streq (json_string_value (json_object_get (unnamed, "ward")), "E05099999"),
                   "a ward code the directory does not name is its own row, shown by its code");
    testkit_check (dunham && rows == 1 && json_array_size (wards) == 3
                   && streq (json_string_value (json_object_get (dunham, "ward_code")), "")
                   && json_is_true (json_object_get (dunham, "suppressed"))
                   && json_is_null (json_object_get (dunham, "deliveries")),
                   "a ward name matching no Trafford ward, in two spellings, is one row"
                   " 'Dunham Massey' with no code, its 2 returns suppressed; 3 rows in all");
    json_t *leavers = s_row (report, "by_beneficiary_group", "group", "Care leavers", &rows);
    json_t *groups = json_object_get (json_object_get (report, "social_value"),
                                      "by_beneficiary_group");
    testkit_check (leavers && rows == 1 && json_array_size (groups) == 2
                   && s_int (leavers, "deliveries") == 5
                   && s_int (leavers, "delivered_pence") == 375000
                   && json_is_false (json_object_get (leavers, "suppressed")),
                   "'Care leavers' in five spellings is one by_beneficiary_group row:"
                   " 5 returns, £3,750.00, not suppressed");
    json_decref (report);

    //  socval explain: the ward figures, placed by the Trafford directory
    json_t *explained = s_explain_json ("annual --year 2025-26"
                                        " 'social_value.by_ward[Altrincham].delivered_pence'");
    json_t *line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (s_explained (explained, 375000, 5)
                   && s_text_is (line, "ward", "E05015239")
                   && s_text_is (line, "ward_name", "Altrincham")
                   && s_text_is (line, "measure", "JOB-03")
                   && s_int (line, "value_pence") == 125000
                   && s_int (line, "proxy_pence") == 25000
                   && s_text_is (line, "framework", "test-fw")
                   && s_text_is (line, "proxy_year", "2025-26")
                   && s_text_is (line, "evidence", "evidenced")
                   && s_int (line, "source_seq") > 0,
                   "explain social_value.by_ward[Altrincham].delivered_pence: 5 returns sum to"
                   " the report's 375,000p, the largest 5 weeks x 25,000p on test-fw 1, proxy"
                   " year 2025-26, with the ingest event each was read from");
    json_decref (explained);
    explained = s_explain_json ("annual --year 2025-26 'spend.by_ward[Altrincham].local_pence'");
    line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (s_explained (explained, 120000, 1)
                   && s_text_is (line, "postcode", "WA14 1ET")
                   && s_text_is (line, "ward_code", "E05015239")
                   && *(json_string_value (json_object_get (line, "supplier_key")) ?: "")
                   && s_text_is (line, "locality_reason",
                                 "in the postcode directory, in a local authority of the partner")
                   && strstr (json_string_value (json_object_get (line, "directory")) ?: "",
                              "trafford_postcodes_excerpt.csv"),
                   "explain spend.by_ward[Altrincham].local_pence: the one payment, £1,200.00,"
                   " local because WA14 1ET is in the directory in one of the partner's"
                   " authorities");
    json_decref (explained);
    char *text = NULL;
    rc = s_socval (&text, "explain annual --year 2025-26 spend.unknown_locality_pence --json");
    explained = text? json_loads (text, 0, NULL): NULL;
    line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (rc == 0 && s_explained (explained, 8000, 1)
                   && json_is_true (json_object_get (line, "redacted"))
                   && s_text_is (line, "supplier", "(redacted)")
                   && s_text_is (line, "supplier_key", "")
                   && !strstr (text, "REDACTED PERSONAL DATA"),
                   "explain spend.unknown_locality_pence: the redacted payment of £80.00 stays"
                   " redacted, naming no supplier");
    json_decref (explained);
    zstr_free (&text);
    rc = s_socval (&text, "explain annual --year 2025-26"
                   " 'social_value.by_ward[E05015239].delivered_pence' --csv");
    char *lines = NULL;
    testkit_run (&lines, "printf '%%s' '%s' | grep -c JOB-03", text? text: "");
    testkit_check (rc == 0 && text && strncmp (text, "partner,line,source_seq", 23) == 0
                   && lines && atoi (lines) == 5,
                   "explain --csv, the ward by its code: a header and the 5 returns");
    zstr_free (&lines);
    zstr_free (&text);
    char *error = NULL;
    rc = s_explain_refused ("annual --year 2025-26"
                            " 'social_value.by_ward[Dunham Massey].delivered_pence'", &error);
    testkit_check (rc == 1 && error && strstr (error, "not traceable")
                   && strstr (error, "suppressed"),
                   "explain of a suppressed ward exits 1: not traceable, its lines would show"
                   " what suppression hides");
    zstr_free (&error);
    rc = s_socval (&text, "explain annual --year 2025-26 social_value.delivered_pence --all"
                   " --json");
    explained = text? json_loads (text, 0, NULL): NULL;
    size_t withheld_lines = 0, index;
    json_array_foreach (json_object_get (explained, "rows"), index, line)
        withheld_lines += json_is_true (json_object_get (line, "suppressed"))
                       && s_text_is (line, "ward", "") && s_text_is (line, "line", "");
    testkit_check (rc == 0 && s_explained (explained, 450000, 8) && withheld_lines == 3
                   && !strstr (text, "Dunham") && !strstr (text, "DUNHAM")
                   && !strstr (text, "Lone parents"),
                   "explain of all delivered value lists its 8 returns, the 3 in suppressed"
                   " wards and groups without their ward, group or key");
    json_decref (explained);
    zstr_free (&text);
    rc = s_socval (NULL, "report open-data --year 2025-26 -o %s/pack", s_dir);
    char *found = NULL;
    testkit_run (&found, "grep -c -e 'Dunham Massey' -e 'Lone parents' -e 'REDACTED PERSONAL'"
                 " %s/pack/deliveries.csv %s/pack/payments.csv %s/pack/open-data.sqlite"
                 " | awk -F: '{s+=$2} END {print s}'", s_dir, s_dir, s_dir);
    char *withheld = NULL;
    testkit_run (&withheld, "sqlite3 %s/pack/open-data.sqlite \"SELECT count(*) FROM deliveries"
                 " WHERE suppressed = 1 AND ward = '' AND beneficiary_group = ''\"", s_dir);
    char *redacted = NULL;
    testkit_run (&redacted, "sqlite3 %s/pack/open-data.sqlite \"SELECT supplier, supplier_key,"
                 " postcode, amount_pence FROM payments WHERE redacted = 1\"", s_dir);
    char *pack_bytes = NULL, *listing = NULL, *integrity = NULL;
    testkit_run (&pack_bytes, "cat %s/pack/* | wc -c", s_dir);
    testkit_run (&listing, "ls %s/pack", s_dir);
    testkit_run (&integrity, "sqlite3 %s/pack/open-data.sqlite 'PRAGMA integrity_check'",
                 s_dir);
    testkit_check (rc == 0 && pack_bytes && atoi (pack_bytes) > 65536 / 2
                   && listing && !strstr (listing, ".tmp")
                   && integrity && streq (integrity, "ok\n"),
                   "with stream/max_message_bytes at 65536 the pack, larger than one reply"
                   " carries, comes in parts and is whole: its SQLite file checks ok");
    zstr_free (&pack_bytes);
    zstr_free (&listing);
    zstr_free (&integrity);
    testkit_check (rc == 0 && found && atoi (found) == 0 && withheld && atoi (withheld) == 3
                   && redacted && streq (redacted, "(redacted)|||8000\n"),
                   "the pack withholds the ward and group of the 3 returns the report"
                   " suppresses (Dunham Massey, E05099999 and Lone parents), and keeps the"
                   " redacted payment redacted: no name, key or postcode");
    zstr_free (&found);
    zstr_free (&withheld);
    zstr_free (&redacted);
    testkit_check (testkit_count ("tcp://127.0.0.1:" S_PORTS "22", s_timeout * 1000,
                                  "unmatched_ward_lines") == 2,
                   "valuation's STATUS counts the 2 lines whose ward name matched no ward");

    s_own_stack_end (outer, &cert, &cert_path);
}

//  The contract row of a contracts report for contract and measure, NULL
//  when none
static json_t *
s_contract_row (json_t *report, const char *contract, const char *measure)
{
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (report, "contracts"), index, row)
        if (streq (json_string_value (json_object_get (row, "contract")) ?: "", contract)
        &&  streq (json_string_value (json_object_get (row, "measure")) ?: "", measure))
            return row;
    return NULL;
}

//  What a contract manager checks (issue 15), in a stack of its own at
//  30 September 2024, halfway through one-year contracts from 1 April 2024
//  to 31 March 2025 (182 of 364 days), with compliance's defaults: 10%
//  tolerance, quarterly returns, 30 days' grace. On the illustrative
//  framework a tonne of CO2e is 27,000p in 2024-25, an hour 1,800p in
//  2024-25 and 1,700p in 2023-24.
//  The kpi of one contract in the kpi report's flat table, or NULL
static json_t *
s_kpi_row (json_t *report, const char *contract, const char *kpi)
{
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (report, "kpis"), index, row)
        if (s_text_is (row, "contract", contract) && s_text_is (row, "kpi", kpi))
            return row;
    return NULL;
}

//  The Procurement Act KPI report, on the contracts report's stack (its
//  clock at 30 September 2024, half-way through 2024-25): the council's
//  KPIs fed as CSV, a bad row rejected naming row, column and value; the
//  social value KPIs rated from the same commitments and returns; and the
//  OCDS releases valid against the release schema with the metrics
//  extension (tests/validate_ocds.py)
static void
s_test_kpi_report (const char *cert_path)
{
    s_write ("kpis.csv",
        "Contract Ref,KPI Ref,KPI Name,Financial Year,Target,Units,Actual,Direction\n"
        "C-1,K-AUDIT,Cleaning audits passed,2024-25,95%,,97%,\n"
        "C-2,K-COMPLAINTS,Complaints upheld,2024-25,10,complaints,14,lower\n"
        "C-3,K-BAD,A target that is not a number,2024-25,ten,,,\n");
    char *output = NULL;
    int rc = s_socval (&output, "submit --kind kpis --json --key %s %s/kpis.csv",
                       cert_path, s_dir);
    json_t *receipt = output? json_loads (output, 0, NULL): NULL;
    json_t *error = json_array_get (json_object_get (receipt, "errors"), 0);
    const char *reason = json_string_value (json_object_get (error, "reason"));
    testkit_check (rc == 0 && json_integer_value (json_object_get (receipt, "accepted")) == 2
                   && json_integer_value (json_object_get (receipt, "rejected")) == 1
                   && json_integer_value (json_object_get (error, "row")) == 4
                   && s_text_is (error, "column", "Target")
                   && reason && strstr (reason, "value 'ten'"),
                   "kpis: 2 KPIs taken, the row with target 'ten' rejected as row 4, column"
                   " Target, naming the value");
    json_decref (receipt);
    zstr_free (&output);
    testkit_check (s_socval (NULL, "wait --timeout 60") == 0, "kpis: the stack settles");

    json_t *report = s_report_json ("kpi --year 2024-25");
    //  Half-way (183 of 365 days): 10 t committed is 5.013 t to date
    json_t *short_one = s_kpi_row (report, "C-1", "SV-ILR-ENV-01");
    testkit_check (short_one && s_text_is (short_one, "rating", "Requires improvement")
                   && s_int (short_one, "performance_pct") == 79
                   && s_real (short_one, "period_target_qty") == 5.013
                   && s_real (short_one, "actual_qty") == 4,
                   "kpi: C-1, 4 t delivered against 5.013 t to date (the contracts report's"
                   " red shortfall), is rated Requires improvement at 79%");
    json_t *two = s_kpi_row (report, "C-2", "SV-ILR-ENV-01");
    json_t *three = s_kpi_row (report, "C-3", "SV-ILR-SOC-01");
    testkit_check (two && s_text_is (two, "rating", "Approaching target")
                   && three && s_text_is (three, "rating", "Good"),
                   "kpi: C-2's 4.8 t (95%) is Approaching target, C-3's 60 of 50.136 Good");
    json_t *audit = s_kpi_row (report, "C-1", "K-AUDIT");
    json_t *complaints = s_kpi_row (report, "C-2", "K-COMPLAINTS");
    testkit_check (audit && s_text_is (audit, "rating", "Good")
                   && s_int (audit, "performance_pct") == 102
                   && complaints && s_text_is (complaints, "rating", "Inadequate")
                   && !s_kpi_row (report, "C-3", "K-BAD"),
                   "kpi: the fed KPIs are rated too: audits 97% against 95% Good, 14 complaints"
                   " against 5.013 to date Inadequate; the rejected KPI is not there");
    json_t *releases = json_object_get (report, "releases");
    json_t *first = json_array_get (releases, 0);
    json_t *contract = json_array_get (json_object_get (first, "contracts"), 0);
    testkit_check (json_array_size (releases) == 3
                   && s_text_is (contract, "id", "C-1")
                   && json_array_size (json_object_get (contract, "agreedMetrics")) == 2
                   && json_array_size (json_object_get (json_object_get (contract,
                                       "implementation"), "metrics")) == 2,
                   "kpi: one OCDS release per contract with KPIs (3), C-1's with 2 agreed"
                   " metrics and 2 implementation metrics");
    //  socval explain kpi: a social value KPI's actual is its returns; a
    //  fed KPI's actual is not made of lines
    json_t *explained = s_explain_json ("kpi --year 2024-25"
                                        " 'kpis[C-1/SV-ILR-ENV-01].actual_qty'");
    testkit_check (explained && short_one
                   && s_real (explained, "sum") == s_real (short_one, "actual_qty")
                   && s_real (explained, "sum") == 4
                   && json_integer_value (json_object_get (explained, "rows_total")) == 1
                   && json_is_true (json_object_get (explained, "sum_equals_value")),
                   "explain kpi: C-1's social value actual, 4 t, is its one return");
    json_decref (explained);
    char *refusal = NULL;
    rc = s_explain_refused ("kpi --year 2024-25 'kpis[C-1/K-AUDIT].actual_qty'", &refusal);
    testkit_check (rc == 1 && refusal && strstr (refusal, "KPI feed"),
                   "explain kpi: the audits' fed actual exits 1, not made of lines");
    zstr_free (&refusal);
    json_decref (report);

    //  Debian's interpreter, so Debian's python3-jsonschema validates
    rc = s_socval (NULL, "report kpi --year 2024-25 --format json -o %s/kpi.json", s_dir);
    char *validated = NULL;
    int invalid = testkit_run (&validated, "/usr/bin/python3 tests/validate_ocds.py %s/kpi.json",
                               s_dir);
    testkit_check (rc == 0 && invalid == 0 && validated
                   && strstr (validated, "3 releases, 0 errors"),
                   "kpi: its 3 releases validate against the OCDS 1.1 release schema merged"
                   " with the metrics extension's");
    if (invalid && validated)
        printf ("%s", validated);
    zstr_free (&validated);
    rc = s_socval (NULL, "report kpi --year 2024-25 --format csv -o %s/kpi-csv", s_dir)
       + s_socval (NULL, "report kpi --year 2024-25 -o %s/kpi.html", s_dir);
    char *rows = NULL;
    testkit_run (&rows, "tail -n +2 %s/kpi-csv/kpis.csv | wc -l", s_dir);
    testkit_check (rc == 0 && rows && atoi (rows) == 5
                   && testkit_run (NULL, "xmllint --noout %s/kpi.html", s_dir) == 0,
                   "kpi: the csv has a row per KPI (5) and the html is well-formed");
    zstr_free (&rows);
}

//  A contracts row's figure in thousandths (a quantity) or as it is
static int64_t
s_units (json_t *value)
{
    return json_is_real (value)? llround (json_real_value (value) * 1000)
                               : (int64_t) json_integer_value (value);
}

//  socval explain contracts, on the contracts report's stack: every summed
//  figure of C-3's row (returns in two years) made of lines that sum to
//  the report's JSON figure; a bad path, a key picking two rows, a status
//  and a row --contract leaves out each exit 1 saying why
static void
s_test_explain_contracts (json_t *report)
{
    json_t *three = s_contract_row (report, "C-3", "ILR-SOC-01");
    char *key = zsys_sprintf ("%s/C-3/%s/ILR-SOC-01", json_string_value (
                              json_object_get (three, "partner")) ?: "",
                              json_string_value (json_object_get (three, "framework")) ?: "");
    const char *figures [] = { "committed_qty", "delivered_qty", "committed_pence",
                               "delivered_pence", "claimed", "evidenced", "validated",
                               "previous_delivered_pence", "committed_unvalued",
                               "delivered_unvalued" };
    int equal = 0;
    for (size_t index = 0; index < sizeof figures / sizeof figures [0]; index++) {
        char *args = zsys_sprintf ("contracts --year 2024-25 'contracts[%s].%s'", key,
                                   figures [index]);
        json_t *explained = s_explain_json (args);
        int64_t figure = s_units (json_object_get (three, figures [index]));
        if (explained && s_units (json_object_get (explained, "sum")) == figure
        &&  s_units (json_object_get (explained, "value")) == figure
        &&  json_is_true (json_object_get (explained, "sum_equals_value")))
            equal++;
        else
            printf ("    explain %s: %s\n", args, explained? "not the report's figure"
                                                           : "refused");
        json_decref (explained);
        zstr_free (&args);
    }
    testkit_check (equal == 10, "explain contracts: all 10 summed figures of C-3's row sum"
                   " from their lines to the contracts report's JSON figures");
    //  Last year's delivered pence: the 40 hours validated in 2023-24
    char *args = zsys_sprintf ("contracts --year 2024-25"
                               " 'contracts[%s].previous_delivered_pence'", key);
    json_t *explained = s_explain_json (args);
    json_t *line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (s_explained (explained, 68000, 1) && s_text_is (line, "year", "2023-24")
                   && s_text_is (line, "evidence", "validated")
                   && s_real (line, "quantity") == 40,
                   "explain contracts[C-3].previous_delivered_pence: the one 2023-24 return,"
                   " 40 hours validated, £680.00");
    json_decref (explained);
    zstr_free (&args);
    char *text = NULL;
    int rc = s_socval (&text, "explain contracts --year 2024-25"
                       " 'contracts[C-1/ILR-ENV-01].delivered_pence'");
    testkit_check (rc == 0 && text && strstr (text, "1 lines, summing to £1,080.00, the"
                                              " report's figure to the penny"),
                   "socval explain contracts prints C-1's 108,000p delivered as its one"
                   " return's, the report's figure to the penny");
    zstr_free (&text);
    const struct {
        const char *args;
        const char *says;
        const char *what;
    } refused [] = {
        { "contracts --year 2024-25 'contracts[C-1/ILR-ENV-01].delivered_pense'",
          "nearest: contracts[", "a figure the row does not have, naming the nearest" },
        { "contracts --year 2024-25 'contracts[ILR-ENV-01].delivered_pence'",
          "PARTNER/CONTRACT/FRAMEWORK/MEASURE", "a key picking C-1's and C-2's rows" },
        { "contracts --year 2024-25 'contracts[C-1/ILR-ENV-01].status'",
          "not traceable: a status", "a status" },
        { "contracts --year 2024-25 --contract C-2 'contracts[C-1/ILR-ENV-01].delivered_qty'",
          "leaves out of the report", "C-1's row under --contract C-2" },
    };
    for (size_t index = 0; index < sizeof refused / sizeof refused [0]; index++) {
        char *error = NULL;
        rc = s_explain_refused (refused [index].args, &error);
        char *what = zsys_sprintf ("explain contracts exits 1 on %s, saying '%s'",
                                   refused [index].what, refused [index].says);
        testkit_check (rc == 1 && error && strstr (error, refused [index].says), what);
        zstr_free (&what);
        zstr_free (&error);
    }
    zstr_free (&key);
}

static void
s_test_contracts_report (void)
{
    char *cert_path;
    zcert_t *cert;
    char *outer = s_own_stack ("contracts", &cert, &cert_path);
    testkit_run (NULL, "cp deploy/frameworks/illustrative-rationalised-2024.csv %s/test-fw.csv",
                 s_dir);
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2024,1200,1315,2023-10-24,2024-05-01\n");
    s_write ("today", "2024-09-30");
    s_write ("now", "2024-09-30T09:00:00Z");
    s_framework = "illustrative-rationalised";
    s_config (cert, s_dir, "", "", "", "");
    s_framework = "test-fw";
    s_start_all ();

    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode\n"
        "Green Acre Ltd,S1,S60 2TD\n"
        "Acme Motors Ltd,S2,S60 2TD\n"
        "Northdale Youth CIC,S3,S60 2TD\n");
    s_write ("contracts.csv",
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date\n"
        "C-1,Grounds maintenance,S1,Grounds,100000.00,01/04/2024,31/03/2025\n"
        "C-2,Fleet servicing,S2,Vehicles,100000.00,01/04/2024,31/03/2025\n"
        "C-3,Youth work,S3,Youth,100000.00,01/04/2023,31/03/2026\n");
    s_write ("commitments.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-1,ILR-ENV-01,2024-25,10\n"        //  270,000p
        "C-2,ILR-ENV-01,2024-25,10\n"
        "C-3,ILR-SOC-01,2023-24,100\n"
        "C-3,ILR-SOC-01,2024-25,100\n");
    s_write ("deliveries.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-1,ILR-ENV-01,01/04/2024,30/06/2024,4,evidenced\n"      //  108,000p
        "C-2,ILR-ENV-01,01/04/2024,30/06/2024,4.8,claimed\n"      //  129,600p
        "C-3,ILR-SOC-01,01/01/2024,31/03/2024,40,validated\n"     //  68,000p in 2023-24
        "C-3,ILR-SOC-01,01/04/2024,30/06/2024,60,validated\n");   //  108,000p
    int rc = 0;
    const char *feeds [] = { "suppliers", "contracts", "commitments", "deliveries" };
    for (int index = 0; index < 4; index++)
        rc += s_socval (NULL, "submit --kind %s --key %s %s/%s.csv >/dev/null",
                        feeds [index], cert_path, s_dir, feeds [index]);
    testkit_check (rc == 0 && s_socval (NULL, "wait --timeout 60") == 0,
                   "contracts: the suppliers, contracts, commitments and returns are taken");

    json_t *report = s_report_json ("contracts --year 2024-25");
    json_t *one = s_contract_row (report, "C-1", "ILR-ENV-01");
    //  Expected pro rata: 10 × 182 / 364 = 5; less 10%: 4.5. 4 < 4.5.
    testkit_check (one && s_int (one, "committed_pence") == 270000
                   && s_int (one, "delivered_pence") == 108000
                   && s_real (one, "committed_qty") == 10 && s_real (one, "delivered_qty") == 4
                   && s_int (one, "evidenced") == 1 && s_int (one, "claimed") == 0
                   && s_text_is (one, "status", "red")
                   && s_text_is (one, "last_return_end", "2024-06-30")
                   && s_text_is (one, "next_return_due", "2024-10-30"),
                   "C-1, 10 t committed and 4 delivered halfway through the year (4.5 expected"
                   " at 10% tolerance) is red: 270,000p committed, 108,000p delivered, one"
                   " evidenced return to 30 June, the next due 30 October");
    json_t *two = s_contract_row (report, "C-2", "ILR-ENV-01");
    testkit_check (two && s_int (two, "delivered_pence") == 129600
                   && s_int (two, "claimed") == 1
                   && s_text_is (two, "status", "amber")
                   && s_text_is (two, "status_reason", "below pro rata"),
                   "C-2, 4.8 t delivered against 5 pro rata, within the 10% tolerance, is amber");
    json_t *three = s_contract_row (report, "C-3", "ILR-SOC-01");
    testkit_check (three && s_int (three, "delivered_pence") == 108000
                   && s_int (three, "previous_delivered_pence") == 68000
                   && s_int (three, "delivered_change_pence") == 40000
                   && s_real (three, "delivered_change") == 0.5882
                   && s_text_is (three, "status", "green"),
                   "C-3 is green, and its 108,000p delivered is 40,000p (58.82%) up on 2023-24's"
                   " 68,000p");
    size_t rows = json_array_size (json_object_get (report, "contracts"));
    testkit_check (rows == 3, "the contracts report has one row per contract and measure: 3");
    json_t *fallback = s_report_json ("contracts");
    testkit_check (fallback && s_text_is (fallback, "year", "2024-25"),
                   "with no --year the contracts report is 2024-25, as the others default");
    json_decref (fallback);

    json_t *only = s_report_json ("contracts --year 2024-25 --contract C-2");
    testkit_check (only && json_array_size (json_object_get (only, "contracts")) == 1
                   && s_contract_row (only, "C-2", "ILR-ENV-01"),
                   "--contract C-2 gives C-2's row only");
    json_decref (only);
    only = s_report_json ("contracts --year 2024-25 --supplier 'Green Acre Ltd'");
    testkit_check (only && json_array_size (json_object_get (only, "contracts")) == 1
                   && s_contract_row (only, "C-1", "ILR-ENV-01"),
                   "--supplier 'Green Acre Ltd' gives C-1's row only");
    json_decref (only);

    char *output = NULL;
    rc = testkit_run (&output, "build/socval --data %s --timeout %d report contracts"
                      " --year 2019-20 2>/dev/null", s_dir, s_timeout);
    testkit_check (rc == 1 && output && !*output,
                   "the contracts report of 2019-20, a year with no data, exits 1");
    zstr_free (&output);

    rc = s_socval (NULL, "report contracts --year 2024-25 --format csv -o %s/csv", s_dir)
       + s_socval (NULL, "report contracts --year 2024-25 --format xlsx -o %s/c.xlsx", s_dir);
    char *csv_rows = NULL, *xlsx_rows = NULL;
    testkit_run (&csv_rows, "tail -n +2 %s/csv/contracts.csv | wc -l", s_dir);
    //  The first sheet is the summary; the second the contracts, a header
    //  row then a row each
    testkit_run (&xlsx_rows, "unzip -p %s/c.xlsx xl/worksheets/sheet2.xml"
                 " | grep -o '<row ' | tail -n +2 | wc -l", s_dir);
    testkit_check (rc == 0 && csv_rows && xlsx_rows && (size_t) atoi (csv_rows) == rows
                   && (size_t) atoi (xlsx_rows) == rows,
                   "the contracts csv and xlsx have as many rows as the json: 3");
    zstr_free (&csv_rows);
    zstr_free (&xlsx_rows);
    rc = s_socval (NULL, "report contracts --year 2024-25 -o %s/c.html", s_dir);
    char *red = NULL;
    testkit_run (&red, "grep -c 'badge red\">red<' %s/c.html", s_dir);
    testkit_check (rc == 0 && testkit_run (NULL, "xmllint --noout %s/c.html", s_dir) == 0
                   && red && atoi (red) == 1,
                   "the contracts html is well-formed, with C-1's status red in its table");
    zstr_free (&red);
    s_test_explain_contracts (report);
    json_decref (report);

    s_test_kpi_report (cert_path);
    s_own_stack_end (outer, &cert, &cert_path);
}

//  What the committee asked (issue 15), in a stack of its own: the council
//  and the police, on the bundled illustrative-rationalised framework, with
//  display names and the council's own RLW renewal date, reported on with
//  reporting's clock at 15 November 2024.
//  The partner's local area moves: valuation places its payees again when
//  it restarts, and the annual report's local spend moves with them, while
//  no payment is sent again (ingest's stream ends where it did, reporting
//  holds the same payments) and valuation's stream grows by the places
//  that changed, not by the payments
static int64_t
s_stream_head (const char *control)
{
    sv_proto_t reply = { .id = 0 };
    int64_t head = -1;
    if (testkit_status (control, s_timeout * 1000, &reply) == 0
    &&  reply.status_reply.streams_count)
        head = (int64_t) reply.status_reply.streams [0].head_seq;
    sv_proto_reset (&reply);
    return head;
}

static void
s_test_local_area_moves (void)
{
    char *cert_path;
    zcert_t *cert;
    char *outer = s_own_stack ("moves", &cert, &cert_path);
    testkit_run (NULL, "cp deploy/frameworks/illustrative-rationalised-2024.csv %s/test-fw.csv",
                 s_dir);
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2024,1200,1315,2023-10-24,2024-05-01\n");
    s_write ("today", "2024-11-15");
    s_write ("now", "2024-11-15T09:00:00Z");
    s_framework = "illustrative-rationalised";
    s_config (cert, s_dir, "        local_districts = \"S60-S66\"\n", "", "", "");
    s_start_all ();
    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode\n"
        "Rotherham Cleaning Co-operative,S1,S60 2TD\n"
        "Far Away Ltd,S2,M1 1AA\n");
    //  400 payments: S1 100 x £10.00, S2 200 x £5.00; 100 x £2.50 to S2
    //  delivered at its own postcode in S61, which places them
    zchunk_t *csv = zchunk_new (NULL, 0);
    const char *header = "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID,"
                         "Supplier Postcode\n";
    zchunk_extend (csv, header, strlen (header));
    for (int row = 0; row < 400; row++) {
        char line [160];
        int size = snprintf (line, sizeof line, "01/07/2024,M%d,%s,%s,%s,%s\n", row,
                             row < 100? "10.00": row < 300? "5.00": "2.50",
                             row < 100? "Rotherham Cleaning Co-operative": "Far Away Ltd",
                             row < 100? "S1": "S2", row < 300? "": "S61 1AA");
        zchunk_extend (csv, line, (size_t) size);
    }
    char *path = zsys_sprintf ("%s/spend.csv", s_dir);
    FILE *file = fopen (path, "w");
    assert (file && fwrite (zchunk_data (csv), 1, zchunk_size (csv), file) == zchunk_size (csv));
    fclose (file);
    zstr_free (&path);
    zchunk_destroy (&csv);
    int rc = s_submit ("suppliers", "suppliers.csv") + s_submit ("spend", "spend.csv");
    bool settled = rc == 0 && s_socval (NULL, "wait --timeout 60") == 0;
    json_t *report = s_report_json ("annual --year 2024-25");
    testkit_check (settled && s_int (report, "spend.local_pence") == 100000 + 25000
                   && s_int (report, "spend.non_local_pence") == 100000
                   && s_int (report, "spend.total_pence") == 225000,
                   "moves: S60-S66 local: S1's £1,000.00 and the £250.00 paid at S61 local,"
                   " S2's £1,000.00 at M1 not");
    json_decref (report);
    int64_t ingest_head = s_stream_head ("tcp://127.0.0.1:" S_PORTS "12");
    int64_t valuation_head = s_stream_head ("tcp://127.0.0.1:" S_PORTS "22");

    //  The council's local area becomes M1 alone
    kill (s_pids [1], SIGTERM);
    waitpid (s_pids [1], NULL, 0);
    s_config (cert, s_dir, "        local_districts = \"M1\"\n", "", "", "");
    s_pids [1] = s_start (1);
    settled = s_socval (NULL, "wait --timeout 60") == 0;
    //  wait sees valuation's stream only once valuation has started
    int64_t moved_head = -1, deadline = zclock_mono () + 20000;
    while ((moved_head = s_stream_head ("tcp://127.0.0.1:" S_PORTS "22")) <= valuation_head
           && zclock_mono () < deadline)
        zclock_sleep (100);
    settled = settled && s_socval (NULL, "wait --timeout 60") == 0;
    report = s_report_json ("annual --year 2024-25");
    testkit_check (settled && s_int (report, "spend.local_pence") == 100000
                   && s_int (report, "spend.non_local_pence") == 125000
                   && s_int (report, "spend.total_pence") == 225000,
                   "moves: with M1 local, S2's £1,000.00 is local and S1's £1,000.00 and"
                   " the £250.00 at S61 are not, from the places valuation sent again");
    printf ("     (ingest's stream %" PRId64 " before, %" PRId64 " after; valuation's %"
            PRId64 " then %" PRId64 ")\n", ingest_head, s_stream_head ("tcp://127.0.0.1:"
            S_PORTS "12"), valuation_head, moved_head);
    testkit_check (ingest_head > 400
                   && s_stream_head ("tcp://127.0.0.1:" S_PORTS "12") == ingest_head
                   && moved_head > valuation_head && moved_head - valuation_head <= 3,
                   "moves: no payment was sent again, and valuation sent one place for each"
                   " of the 3 payees, not one for each of the 400 payments");
    json_decref (report);

    //  A real file (Devon County Council, January 2021: 51 payments, no
    //  postcodes; its Amount column summed here with Python's Decimal,
    //  each to the penny: 41,435,412p) through the whole stack: its two
    //  halves sent the later first, then the whole file again, give the
    //  same year as the file once; and every payment is of unknown place
    char *devon = realpath ("tests/fixtures/spend/devon_2021-01.csv", NULL);
    assert (devon);
    testkit_run (NULL, "head -1 %s > %s/devon-a.csv && sed -n 2,26p %s >> %s/devon-a.csv"
                 " && head -1 %s > %s/devon-b.csv && sed -n '27,$p' %s >> %s/devon-b.csv"
                 " && cp %s %s/devon.csv", devon, s_dir, devon, s_dir, devon, s_dir, devon,
                 s_dir, devon, s_dir);
    free (devon);
    rc = s_submit ("spend", "devon-b.csv") + s_submit ("spend", "devon-a.csv");
    settled = rc == 0 && s_socval (NULL, "wait --timeout 60") == 0;
    report = s_report_json ("annual --year 2020-21");
    bool halves = settled && s_int (report, "spend.rows") == 51
               && s_int (report, "spend.total_pence") == 41435412
               && s_int (report, "spend.unknown_locality_pence") == 41435412;
    json_decref (report);
    rc = s_submit ("spend", "devon.csv");
    settled = rc == 0 && s_socval (NULL, "wait --timeout 60") == 0;
    report = s_report_json ("annual --year 2020-21");
    testkit_check (halves && settled && s_int (report, "spend.rows") == 51
                   && s_int (report, "spend.total_pence") == 41435412
                   && s_int (report, "spend.unknown_locality_pence") == 41435412,
                   "moves: Devon's real January 2021 file, in two halves sent later first and"
                   " then whole again, is 51 payments and 41,435,412p once, all of unknown"
                   " place (no postcodes)");
    json_decref (report);
    s_framework = "test-fw";
    s_own_stack_end (outer, &cert, &cert_path);
}

//  Makes the keys of another partner under s_dir, its public certificate
//  where ingest accepts it; returns the partner's public key text (the
//  caller frees it)
static char *
s_partner_keys (const char *name)
{
    assert (s_socval (NULL, "keys new %s >/dev/null", name) == 0);
    char *path = zsys_sprintf ("%s/keys/%s.cert", s_dir, name);
    char *public_path = zsys_sprintf ("%s/keys/partners/%s.cert", s_dir, name);
    zcert_t *cert = zcert_load (path);
    assert (cert && zcert_save_public (cert, public_path) == 0);
    char *key = strdup (zcert_public_txt (cert));
    zcert_destroy (&cert);
    zstr_free (&public_path);
    zstr_free (&path);
    return key;
}

//  Submits each feed (kind, file under s_dir, partner whose key signs it);
//  the sum of socval's exit codes
static int
s_submit_feeds (const char *const feeds [][3], size_t count)
{
    int rc = 0;
    for (size_t index = 0; index < count; index++)
        rc += s_socval (NULL, "submit --kind %s --key %s/keys/%s.cert %s/%s >/dev/null",
                        feeds [index][0], s_dir, feeds [index][2], s_dir, feeds [index][1]);
    return rc;
}

static void
s_test_committee_questions (void)
{
    char *cert_path;
    zcert_t *cert;
    char *outer = s_own_stack ("committee", &cert, &cert_path);
    char *police = s_partner_keys ("police");
    testkit_run (NULL, "cp deploy/frameworks/illustrative-rationalised-2024.csv %s/test-fw.csv",
                 s_dir);
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2024,1200,1315,2023-10-24,2024-05-01\n"
                          "2025,1260,1385,2024-10-23,2025-05-01\n");
    s_write ("today", "2024-11-15");
    s_write ("now", "2024-11-15T09:00:00Z");
    char *partners = zsys_sprintf (
        "        local_districts = \"S60-S66\"\n"
        "        display_name = \"Northdale Borough Council\"\n"
        "        rlw_renewal = \"2025-09-30\"\n"
        "    police\n        public_key = \"%s\"\n"
        "        framework = \"illustrative-rationalised\"\n"
        "        local_districts = \"S60-S66\"\n"
        "        display_name = \"Northdale Police\"\n", police);
    s_framework = "illustrative-rationalised";
    s_config (cert, s_dir, partners, "", "", "");
    s_framework = "test-fw";
    zstr_free (&partners);
    s_start_all ();

    //  S1 is local and employee-owned; S2 neither
    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode,SME,Employee Owned\n"
        "Rotherham Cleaning Co-operative,S1,s602td,yes,yes\n"
        "Far Away Ltd,S2,M1 1AA,no,no\n");
    s_write ("contracts.csv",
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date\n"
        "C-1,Office cleaning,S1,Cleaning,250000.00,01/04/2024,31/03/2026\n");
    //  Council: 10 t CO2e at 27,000p and 100 hours at 1,800p committed;
    //  5 t delivered. Police: 50 hours committed, 20 delivered.
    s_write ("commitments-council.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-1,ILR-ENV-01,2024-25,10\n"       //  270,000p
        "C-1,ILR-SOC-01,2024-25,100\n");    //  180,000p
    s_write ("deliveries-council.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-1,ILR-ENV-01,01/04/2024,30/09/2024,5,evidenced\n");   //  135,000p
    s_write ("commitments-police.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-1,ILR-SOC-01,2024-25,50\n");     //  90,000p
    s_write ("deliveries-police.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-1,ILR-SOC-01,01/04/2024,30/09/2024,20,evidenced\n");  //  36,000p
    //  Council 2024-25: 1,000.00 + 234.56 with S1 (employee-owned, local),
    //  500.00 with S2; 2023-24: 300.00 local. Police 2024-25: 2,000.00
    //  local; 2023-24: 500.00 local.
    s_write ("spend-council.csv",
        "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID\n"
        "15/05/2023,T0,300.00,Rotherham Cleaning Co-operative,S1\n"
        "15/05/2024,T1,\"£1,000.00\",Rotherham Cleaning Co-operative,S1\n"
        "16/05/2024,T2,234.56,Rotherham Cleaning Co-operative,S1\n"
        "17/05/2024,T3,500.00,Far Away Ltd,S2\n");
    s_write ("spend-police.csv",
        "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID\n"
        "15/05/2023,P0,500.00,Rotherham Cleaning Co-operative,S1\n"
        "15/05/2024,P1,\"£2,000.00\",Rotherham Cleaning Co-operative,S1\n");
    const char *const feeds [][3] = {
        { "suppliers", "suppliers.csv", "council" }, { "suppliers", "suppliers.csv", "police" },
        { "contracts", "contracts.csv", "council" }, { "contracts", "contracts.csv", "police" },
        { "commitments", "commitments-council.csv", "council" },
        { "deliveries", "deliveries-council.csv", "council" },
        { "commitments", "commitments-police.csv", "police" },
        { "deliveries", "deliveries-police.csv", "police" },
        { "spend", "spend-council.csv", "council" }, { "spend", "spend-police.csv", "police" },
    };
    int rc = s_submit_feeds (feeds, sizeof feeds / sizeof feeds [0]);
    testkit_check (rc == 0 && s_socval (NULL, "wait --timeout 60") == 0,
                   "committee: the council's and the police's feeds are taken");

    json_t *annual = s_report_json ("annual --year 2024-25 --partner council");
    json_t *frameworks = json_object_get (json_object_get (annual, "social_value"),
                                          "frameworks");
    json_t *framework = json_array_get (frameworks, 0);
    json_t *years = json_object_get (framework, "proxy_years");
    testkit_check (json_array_size (frameworks) == 1
                   && streq (json_string_value (json_object_get (framework, "id")) ?: "",
                             "illustrative-rationalised")
                   && streq (json_string_value (json_object_get (framework, "version")) ?: "",
                             "2024")
                   && json_array_size (years) == 1
                   && streq (json_string_value (json_array_get (years, 0)) ?: "", "2024-25")
                   && json_is_true (json_object_get (framework, "illustrative")),
                   "the annual report's JSON names its framework, illustrative-rationalised"
                   " version 2024, proxy year 2024-25, illustrative: true");
    testkit_check (s_int (annual, "spend.employee_owned_pence") == 123456
                   && s_int (annual, "spend.sme_pence") == 123456,
                   "the council's spend with employee-owned suppliers is £1,234.56"
                   " (£1,000.00 + £234.56 with S1), beside SME spend");
    json_t *renewal = json_array_get (json_object_get (json_object_get (annual, "rlw"),
                                                       "renewals"), 0);
    testkit_check (renewal
                   && streq (json_string_value (json_object_get (renewal, "partner")) ?: "",
                             "council")
                   && streq (json_string_value (json_object_get (renewal, "partner_name")) ?: "",
                             "Northdale Borough Council")
                   && streq (json_string_value (json_object_get (renewal, "renewal_date")) ?: "",
                             "2025-09-30")
                   && s_int (renewal, "days_left") == 319
                   && streq (json_string_value (json_object_get (annual, "partner")) ?: "",
                             "council"),
                   "the RLW section gives the council's renewal, 30 September 2025, 319 days"
                   " from the report's date, 15 November 2024, under its display name");
    testkit_check (s_int (annual, "rlw.rate.year") == 2025
                   && streq (json_string_value (json_object_get (json_object_get (
                                 json_object_get (annual, "rlw"), "rate"), "deadline")) ?: "",
                             "2025-05-01")
                   && s_int (annual, "rlw.rate.days_left") == 167,
                   "the pending 2025 rate's uplift deadline, 1 May 2025, is 167 days away");
    json_decref (annual);

    json_t *network = s_report_json ("partnership --year 2024-25");
    json_t *by_partner = json_object_get (network, "by_partner");
    int64_t additional = 0;
    size_t index;
    json_t *row;
    json_array_foreach (by_partner, index, row)
        additional += s_int (row, "additional_local_pence");
    testkit_check (json_array_size (by_partner) == 2
                   && s_int (network, "network.additional_local_pence") == additional
                   && additional == (123456 - 30000) + (200000 - 50000),
                   "the network's additional local spend, £2,434.56, is the sum of the"
                   " partners' (£934.56 council, £1,500.00 police)");
    //  Themes by partner add up to each partner's totals and the network's
    bool sums = json_array_size (by_partner) == 2;
    int64_t all_committed = 0, all_delivered = 0;
    json_array_foreach (by_partner, index, row) {
        int64_t committed = 0, delivered = 0;
        size_t theme_index;
        json_t *theme;
        json_array_foreach (json_object_get (row, "by_theme"), theme_index, theme) {
            committed += s_int (theme, "committed_pence");
            delivered += s_int (theme, "delivered_pence");
        }
        sums = sums && committed == s_int (row, "committed_pence")
                    && delivered == s_int (row, "delivered_pence");
        all_committed += committed;
        all_delivered += delivered;
    }
    json_t *council = json_array_get (by_partner, 0);
    json_t *environment = json_array_get (json_object_get (council, "by_theme"), 0);
    testkit_check (sums && all_committed == s_int (network, "network.committed_pence")
                   && all_delivered == s_int (network, "network.delivered_pence")
                   && all_committed == 270000 + 180000 + 90000
                   && all_delivered == 135000 + 36000
                   && streq (json_string_value (json_object_get (environment, "theme")) ?: "",
                             "Environment")
                   && s_int (environment, "delivered_pence") == 135000
                   && json_array_size (json_object_get (network, "by_partner_theme")) == 3,
                   "each partner's themes sum to its committed and delivered pence, and the"
                   " partners' to the network's (£5,400.00 committed, £1,710.00 delivered)");
    json_decref (network);
    json_t *explained = s_explain_json ("partnership --year 2024-25"
                                        " 'by_partner[police].local_pence'");
    json_t *line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (s_explained (explained, 200000, 1) && s_text_is (line, "partner", "police")
                   && s_text_is (line, "payment_date", "2024-05-15"),
                   "explain partnership by_partner[police].local_pence: P1's £2,000.00");
    json_decref (explained);
    explained = s_explain_json ("partnership --year 2024-25"
                                " 'by_partner[council].by_theme[Environment].delivered_pence'");
    testkit_check (s_explained (explained, 135000, 1),
                   "explain partnership by_partner[council].by_theme[Environment]"
                   ".delivered_pence: the council's one return, £1,350.00");
    json_decref (explained);
    explained = s_explain_json ("partnership --year 2024-25 network.additional_local_pence");
    testkit_check (s_explained (explained, (123456 - 30000) + (200000 - 50000), 5),
                   "explain network.additional_local_pence: this year's 3 local payments"
                   " less last year's 2");
    json_decref (explained);

    char *html = NULL;
    char *annual_html = NULL;
    rc = s_socval (&html, "report partnership --year 2024-25 --format html")
       + s_socval (&annual_html, "report annual --year 2024-25 --format html");
    testkit_check (rc == 0 && html && annual_html
                   && strstr (html, "Northdale Borough Council") && strstr (html, "Northdale Police")
                   && strstr (annual_html, "Northdale Borough Council")
                   && strstr (annual_html, "Northdale Police")
                   && strstr (html, "Illustrative proxy values, not the licensed National TOMs")
                   && strstr (annual_html,
                              "Illustrative proxy values, not the licensed National TOMs"),
                   "the html reports name the partners by display name and say the proxy"
                   " values are illustrative, not the licensed National TOMs");
    zstr_free (&html);
    zstr_free (&annual_html);

    zstr_free (&police);
    s_own_stack_end (outer, &cert, &cert_path);
}

//  Two frameworks, one code: the council values JOB-01 under test-fw
//  (local people employed, FTE, £25,750.00) and the trust under trust-fw
//  (staff volunteering hours, £15.00 an hour), in a stack of its own. The
//  annual report has a JOB-01 row for each, in its own words, unit and
//  quantities, and the partnership's totals are the partners' pence.
static void
s_test_frameworks_share_code (void)
{
    char *cert_path;
    zcert_t *cert;
    char *outer = s_own_stack ("codes", &cert, &cert_path);
    char *trust = s_partner_keys ("trust");
    s_write ("test-fw.csv",
        "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
        "test-fw,1,JOB-01,Jobs,Local employment,Local people employed (FTE),FTE,2024-25,"
        "\"£25,750.00\"\n");
    s_write ("trust-fw.csv",
        "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
        "trust-fw,1,JOB-01,Communities,Stronger communities,Staff volunteering hours,hours,"
        "2024-25,£15.00\n");
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2024,1200,1315,2023-10-24,2024-05-01\n");
    s_write ("today", "2024-11-15");
    s_write ("now", "2024-11-15T09:00:00Z");
    char *partners = zsys_sprintf ("    trust\n        public_key = \"%s\"\n"
                                   "        framework = \"trust-fw\"\n",
                                   trust);
    s_config (cert, s_dir, partners, "", "", "");
    zstr_free (&partners);
    s_start_all ();
    char *framework_path = zsys_sprintf ("%s/trust-fw.csv", s_dir);
    int rc = s_socval (NULL, "framework import %s >/dev/null", framework_path);
    zstr_free (&framework_path);
    s_write ("contracts.csv",
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date\n"
        "C-1,Office cleaning,S1,Cleaning,250000.00,01/04/2024,31/03/2026\n");
    s_write ("commitments-council.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-1,JOB-01,2024-25,2\n");          //  5,150,000p
    s_write ("deliveries-council.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-1,JOB-01,01/04/2024,30/09/2024,1.5,evidenced\n");   //  3,862,500p
    s_write ("commitments-trust.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-1,JOB-01,2024-25,100\n");        //  150,000p
    s_write ("deliveries-trust.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-1,JOB-01,01/04/2024,30/09/2024,80,evidenced\n");    //  120,000p
    const char *const feeds [][3] = {
        { "contracts", "contracts.csv", "council" }, { "contracts", "contracts.csv", "trust" },
        { "commitments", "commitments-council.csv", "council" },
        { "deliveries", "deliveries-council.csv", "council" },
        { "commitments", "commitments-trust.csv", "trust" },
        { "deliveries", "deliveries-trust.csv", "trust" },
    };
    rc += s_submit_feeds (feeds, sizeof feeds / sizeof feeds [0]);
    testkit_check (rc == 0 && s_socval (NULL, "wait --timeout 60") == 0,
                   "codes: trust-fw is imported, and the council's and the trust's feeds taken");

    json_t *annual = s_report_json ("annual --year 2024-25");
    json_t *rows = json_object_get (json_object_get (annual, "social_value"), "by_measure");
    json_t *council = json_array_get (rows, 0), *trusts = json_array_get (rows, 1);
    testkit_check (json_array_size (rows) == 2
                   && s_text_is (council, "framework", "test-fw")
                   && s_text_is (council, "measure", "JOB-01")
                   && s_text_is (council, "description", "Local people employed (FTE)")
                   && s_text_is (council, "unit", "FTE")
                   && s_real (council, "committed_qty") == 2.0
                   && s_real (council, "delivered_qty") == 1.5
                   && s_int (council, "delivered_pence") == 3862500
                   && s_text_is (trusts, "framework", "trust-fw")
                   && s_text_is (trusts, "measure", "JOB-01")
                   && s_text_is (trusts, "description", "Staff volunteering hours")
                   && s_text_is (trusts, "unit", "hours")
                   && s_real (trusts, "committed_qty") == 100.0
                   && s_real (trusts, "delivered_qty") == 80.0
                   && s_int (trusts, "delivered_pence") == 120000,
                   "codes: by_measure has two JOB-01 rows, test-fw's 2 FTE committed and 1.5"
                   " delivered, trust-fw's 100 hours and 80, each in its own words");
    json_decref (annual);
    json_t *network = s_report_json ("partnership --year 2024-25");
    testkit_check (s_int (network, "network.committed_pence") == 5150000 + 150000
                   && s_int (network, "network.delivered_pence") == 3862500 + 120000,
                   "codes: the partnership's totals are the partners' pence, £53,000.00"
                   " committed and £39,825.00 delivered");
    json_decref (network);
    char *csv = NULL;
    rc = s_socval (NULL, "report annual --year 2024-25 --format csv -o %s/csv", s_dir);
    testkit_run (&csv, "cat %s/csv/by_measure.csv", s_dir);
    testkit_check (rc == 0 && csv && strstr (csv, "\ntest-fw,JOB-01,Local people employed")
                   && strstr (csv, "\ntrust-fw,JOB-01,Staff volunteering hours,hours,"),
                   "codes: the by_measure csv names each row's framework");
    zstr_free (&csv);

    zstr_free (&trust);
    s_own_stack_end (outer, &cert, &cert_path);
}

int
main (int argc, char *argv [])
{
    if (argc > 1 && streq (argv [1], "--short"))
        s_timeout = 60;
    s_dir = zsys_sprintf ("/tmp/sv_test_reporting_%d", getpid ());
    char *cert_path;
    zcert_t *cert = s_keys (&cert_path);
    s_write ("test-fw.csv",
        "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
        "test-fw,1,JOB-01,Jobs,Local employment,Local people employed (FTE),FTE,2024-25,\"£25,750.00\"\n"
        "test-fw,1,JOB-01,Jobs,Local employment,Local people employed (FTE),FTE,2025-26,\"£26,500.00\"\n"
        "test-fw,1,JOB-03,Jobs,Skills,Apprenticeship weeks,weeks,2024-25,£245.00\n"
        "test-fw,1,JOB-03,Jobs,Skills,Apprenticeship weeks,weeks,2025-26,£250.00\n");
    //  No rate pending in the test's year: the alerts are the contract's
    s_write ("rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                          "2025,1260,1385,2024-10-23,2025-05-01\n");
    s_write ("today", "2026-04-15");
    s_write ("now", "2026-04-30T23:00:00Z");
    s_config (cert, s_dir, "        local_districts = \"S60-S66\"\n", "",
              "    tick_ms = 100\n",
              "schedules\n    annual\n        cron = \"0 6 1 5 *\"\n        kind = \"annual\"\n"
              "        year = \"previous\"\n        formats = \"html,json,xlsx,csv\"\n");
    s_start_all ();

    //  A cleaning contract from June 2024 (so its commitments are priced
    //  at 2024-25 proxies), with no RLW commitment
    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode,SME\n"
        "Rotherham Cleaning Co-operative,S1,s602td,yes\n"
        "Far Away Ltd,S2,M1 1AA,no\n");
    s_write ("contracts.csv",
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date,RLW Commitment\n"
        "C-001,Office cleaning,S1,Cleaning,250000.00,01/06/2024,31/03/2027,no\n"
        "C-002,Strategy advice,S2,Consultancy,40000.00,01/06/2024,31/03/2027,no\n");
    s_write ("commitments.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-001,JOB-01,2025-26,2.5\n"           //  2.5 x 2,575,000p = 6,437,500p
        "C-001,JOB-03,2025-26,104\n");         //  104 x 24,500p = 2,548,000p
    s_write ("deliveries.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-001,JOB-01,01/04/2025,31/03/2026,2,evidenced\n"     //  2 x 2,650,000p = 5,300,000p
        "C-001,JOB-03,01/07/2025,30/09/2025,12.5,claimed\n");  //  12.5 x 25,000p = 312,500p
    s_write ("spend.csv",
        "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID\n"
        "20/03/2025,T0,400.00,Rotherham Cleaning Co-operative,S1\n"          //  2024-25, local
        "15/05/2025,T1,\"£1,000.00\",Rotherham Cleaning Co-operative,S1\n"   //  local
        "16/05/2025,T2,500.00,Far Away Ltd,S2\n"                            //  non-local
        "17/06/2025,T3,250.00,Nobody Known,S3\n");                          //  unknown
    int rc = s_submit ("suppliers", "suppliers.csv") + s_submit ("contracts", "contracts.csv")
           + s_submit ("commitments", "commitments.csv")
           + s_submit ("deliveries", "deliveries.csv") + s_submit ("spend", "spend.csv");
    testkit_check (rc == 0 && s_socval (NULL, "wait --timeout 60") == 0,
                   "the feeds are taken and every service catches up (socval wait)");

    json_t *report = s_report_json ("annual --year 2025-26");
    testkit_check (report && s_int (report, "spend.rows") == 3
                   && s_int (report, "spend.total_pence") == 175000
                   && s_int (report, "spend.local_pence") == 100000
                   && s_int (report, "spend.non_local_pence") == 50000
                   && s_int (report, "spend.unknown_locality_pence") == 25000
                   && s_real (report, "spend.local_share") == 0.5714,
                   "annual 2025-26: 3 payments, £1,750.00 spent, £1,000.00 local (57.14%),"
                   " £500.00 non-local, £250.00 unknown");
    testkit_check (s_int (report, "spend.previous_year_local_pence") == 40000
                   && s_int (report, "spend.additional_local_pence") == 60000,
                   "£400.00 local the year before: £600.00 additional local spend");
    json_t *theme = json_array_get (json_object_get (json_object_get (report, "social_value"),
                                                     "by_theme"), 0);
    json_t *top = json_array_get (json_object_get (json_object_get (report, "social_value"),
                                                   "top_contracts"), 0);
    testkit_check (s_int (report, "social_value.committed_pence") == 8985500
                   && s_int (report, "social_value.delivered_pence") == 5612500
                   && streq (json_string_value (json_object_get (theme, "theme")), "Jobs")
                   && s_int (theme, "delivered_pence") == 5612500
                   && streq (json_string_value (json_object_get (top, "contract")), "C-001")
                   && s_real (top, "share") == 1.0,
                   "social value £89,855.00 committed and £56,125.00 delivered, all Jobs,"
                   " all from C-001");
    testkit_check (s_int (report, "rlw.in_scope_contracts") == 1
                   && s_int (report, "rlw.missing_commitment") == 1
                   && s_int (report, "alerts.open") == 2
                   && json_integer_value (json_object_get (json_object_get (
                          json_object_get (report, "alerts"), "by_rule"),
                          "rlw.missing_commitment")) == 1,
                   "one in-scope contract, missing its commitment; two open alerts, one of"
                   " them rlw.missing_commitment");
    json_decref (report);

    //  The report as it stands now, to be rebuilt at its offsets later
    json_t *earlier = s_report_json ("annual --year 2025-26");

    //  socval explain: local spend and delivered value, to the penny
    json_t *explained = s_explain_json ("annual --year 2025-26 spend.local_pence");
    json_t *line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (s_explained (explained, 100000, 1)
                   && s_text_is (line, "supplier", "Rotherham Cleaning Co-operative")
                   && s_text_is (line, "postcode", "S60 2TD")
                   && s_text_is (line, "locality_reason", "in a local postcode district")
                   && s_text_is (line, "payment_date", "2025-05-15")
                   && s_int (line, "amount_pence") == 100000 && s_int (line, "source_seq") > 0,
                   "explain spend.local_pence: T1's £1,000.00 to Rotherham Cleaning, local as"
                   " S60 2TD is in a local postcode district, is the report's figure");
    json_decref (explained);
    explained = s_explain_json ("annual --year 2025-26"
                                " 'social_value.by_measure[JOB-01].delivered_pence'");
    line = json_array_get (json_object_get (explained, "rows"), 0);
    testkit_check (s_explained (explained, 5300000, 1)
                   && s_text_is (line, "contract", "C-001")
                   && s_int (line, "proxy_pence") == 2650000
                   && s_real (line, "quantity") == 2
                   && s_text_is (line, "framework", "test-fw")
                   && s_text_is (line, "framework_version", "1")
                   && s_text_is (line, "proxy_year", "2025-26"),
                   "explain by_measure[JOB-01].delivered_pence: 2 FTE x £26,500.00, test-fw"
                   " version 1's 2025-26 proxy, on C-001: £53,000.00");
    json_decref (explained);
    explained = s_explain_json ("annual --year 2025-26 social_value.delivered_pence");
    testkit_check (s_explained (explained, 5612500, 2),
                   "explain social_value.delivered_pence: 2 returns sum to £56,125.00");
    json_decref (explained);
    explained = s_explain_json ("annual --year 2025-26 spend.total_pence --all");
    testkit_check (s_explained (explained, 175000, 3)
                   && json_array_size (json_object_get (explained, "rows")) == 3,
                   "explain --all --json streams every line: 3 payments, £1,750.00");
    json_decref (explained);
    char *text = NULL;
    rc = s_socval (&text, "explain annual --year 2025-26 spend.local_pence");
    testkit_check (rc == 0 && text && strstr (text, "the report's figure to the penny")
                   && strstr (text, "Rotherham Cleaning Co-operative"),
                   "explain's human output names the supplier and says the sum is the figure");
    zstr_free (&text);
    char *error = NULL;
    rc = s_explain_refused ("annual --year 2025-26 spend.locl_pence", &error);
    testkit_check (rc == 1 && error && strstr (error, "spend.local_pence"),
                   "explain of an unknown figure exits 1, naming the nearest: spend.local_pence");
    zstr_free (&error);
    rc = s_explain_refused ("annual --year 2025-26 spend.local_share", &error);
    testkit_check (rc == 1 && error && strstr (error, "not traceable") && strstr (error, "ratio"),
                   "explain of a share exits 1: not traceable, a ratio of two figures");
    zstr_free (&error);

    //  The open-data pack: its CSVs alone give the report's figures, and
    //  asking again, with the clock moved on, gives the same bytes
    rc = s_socval (NULL, "report open-data --year 2025-26 -o %s/pack", s_dir)
       + s_socval (NULL, "report annual --year 2025-26 --format json -o %s/annual.json", s_dir);
    char *recomputed = NULL;
    int checked = testkit_run (&recomputed, "python3 tools/open_data_check.py %s/pack"
                               " %s/annual.json", s_dir, s_dir);
    testkit_check (rc == 0 && checked == 0 && recomputed
                   && strstr (recomputed, "spend.total_pence = 175000  (as the report)")
                   && strstr (recomputed, "spend.local_pence = 100000  (as the report)")
                   && strstr (recomputed, "social_value.delivered_pence = 5612500  (as the"
                                          " report)"),
                   "open-data --year 2025-26: the pack's CSVs alone give the report's spend,"
                   " local spend, committed and delivered pence (tools/open_data_check.py)");
    zstr_free (&recomputed);
    char *listing = NULL;
    testkit_run (&listing, "ls %s/pack | tr '\\n' ' '", s_dir);
    testkit_check (listing && streq (listing, "LICENCE.txt commitments.csv contracts.csv"
                   " data_dictionary.csv deliveries.csv framework.csv methodology.md"
                   " offsets.json open-data.sqlite payments.csv suppliers.csv "),
                   "the pack holds the 7 tables as CSV, one SQLite file, the methodology,"
                   " the offsets and the licence");
    zstr_free (&listing);
    char *sqlite_total = NULL;
    testkit_run (&sqlite_total, "sqlite3 %s/pack/open-data.sqlite"
                 " 'SELECT sum(amount_pence) FROM payments'", s_dir);
    char *licence = NULL;
    testkit_run (&licence, "cat %s/pack/LICENCE.txt", s_dir);
    testkit_check (sqlite_total && atoi (sqlite_total) == 175000
                   && licence && strstr (licence, "Open Government Licence v3.0"),
                   "the SQLite file's payments sum to £1,750.00 too; the licence is the"
                   " Open Government Licence v3.0 by default");
    zstr_free (&sqlite_total);
    zstr_free (&licence);
    s_write ("now", "2026-04-30T23:10:00Z");
    rc = s_socval (NULL, "report open-data --year 2025-26 -o %s/pack-again", s_dir);
    testkit_check (rc == 0 && testkit_run (NULL, "diff -r %s/pack %s/pack-again >/dev/null",
                                           s_dir, s_dir) == 0,
                   "asked again ten minutes later at the same offsets, the pack is"
                   " byte-identical, its SQLite file included");
    s_write ("now", "2026-04-30T23:00:00Z");

    //  Same offsets, another clock: the same report, byte for byte, its
    //  created time (and every date counted from it) that of the first
    //  report made at these offsets
    char *first = NULL, *second = NULL;
    s_socval (&first, "report annual --year 2025-26 --format json");
    s_write ("now", "2026-04-30T23:30:00Z");
    s_socval (&second, "report annual --year 2025-26 --format json");
    testkit_check (first && second && streq (first, second) && strstr (first, "\"created\"")
                   && !strstr (first, "2026-04-30T23:30"),
                   "two reports at the same offsets, asked half an hour apart, are"
                   " byte-identical: created is the time the first was made");
    zstr_free (&first);
    zstr_free (&second);

    //  The workbook and the page
    char *xlsx = zsys_sprintf ("%s/annual.xlsx", s_dir);
    char *html = zsys_sprintf ("%s/annual.html", s_dir);
    char *output = NULL;
    rc = s_socval (NULL, "report annual --year 2025-26 --format xlsx -o %s", xlsx);
    testkit_run (&output, "unzip -p %s xl/worksheets/sheet1.xml", xlsx);
    testkit_check (rc == 0 && output && strstr (output, "<v>1750</v>"),
                   "the xlsx is a workbook whose summary holds total spend as the number 1750");
    zstr_free (&output);
    rc = s_socval (NULL, "report annual --year 2025-26 -o %s", html);
    int valid = testkit_run (NULL, "xmllint --noout %s 2>/dev/null", html);
    testkit_run (&output, "grep -o '<svg' %s | wc -l", html);
    testkit_check (rc == 0 && valid == 0 && output && atoi (output) >= 3,
                   "the html is well-formed and draws its charts as inline svg");
    char *appendix = NULL;
    testkit_run (&appendix, "grep -c -e 'Appendix: methodology' -e 'in these states: claimed,"
                 " evidenced and validated;' %s", html);
    char *method = NULL;
    testkit_run (&method, "cat %s/pack/methodology.md", s_dir);
    testkit_check (appendix && atoi (appendix) == 2 && method
                   && strstr (method, "in these states: claimed, evidenced and validated;"),
                   "the annual html ends with the methodology appendix, the text of the"
                   " open-data pack's methodology.md");
    zstr_free (&appendix);
    zstr_free (&method);
    zstr_free (&output);
    rc = s_socval (NULL, "report annual --year 2024-26");
    testkit_check (rc == 1, "a malformed year is refused (exit 1)");
    rc = s_socval (NULL, "report nonsense");
    testkit_check (rc == 2, "an unknown report kind is a usage error (exit 2)");

    //  ------------------------------------------------------------------
    //  Schedules: the annual report fires at 06:00 on 1 May, in 4 formats
    int before = s_outputs ();
    s_write ("now", "2026-05-01T06:00:30Z");
    int after = s_await_outputs (before + 4);
    int events = s_ready_events ();
    testkit_check (before == 0 && after == 4 && events == 4,
                   "at 06:00 on 1 May the annual schedule writes html, json, xlsx and a csv"
                   " folder, each announced on reporting's stream");
    char *scheduled = NULL;
    testkit_run (&scheduled, "cat %s/reports/annual-all-2025-26-*.json", s_dir);
    report = scheduled? json_loads (scheduled, 0, NULL): NULL;
    testkit_check (report && s_int (report, "spend.total_pence") == 175000
                   && streq (json_string_value (json_object_get (report, "year")), "2025-26"),
                   "the scheduled report covers the previous financial year, 2025-26");
    json_decref (report);
    zstr_free (&scheduled);
    testkit_run (&output, "ls %s/reports/annual-all-2025-26-*/ | wc -l", s_dir);
    testkit_check (output && atoi (output) >= 5, "the csv report is a folder of tables");
    zstr_free (&output);

    //  Down over the next 1 May: the missed run is made up once on start.
    //  2026-27 has a return by then, but no spend yet
    s_write ("deliveries-2026.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-001,JOB-01,01/04/2026,30/06/2026,1,evidenced\n");
    testkit_check (s_submit ("deliveries", "deliveries-2026.csv") == 0
                   && s_socval (NULL, "wait --timeout 60") == 0,
                   "a return for 2026-27 is taken, with no spend in 2026-27");
    kill (s_pids [3], SIGTERM);
    waitpid (s_pids [3], NULL, 0);
    s_write ("now", "2027-06-02T09:00:00Z");
    s_pids [3] = s_start (3);
    after = s_await_outputs (8);
    zclock_sleep (500);
    testkit_check (after == 8 && s_outputs () == 8 && s_ready_events () == 8,
                   "a run missed while reporting was down is made up once on start, not twice");

    //  ------------------------------------------------------------------
    //  A past report rebuilt at the offsets it stated, after the 2026-27
    //  return arrived: the same figures; 2026-27 had no data then
    json_t *offsets = json_object_get (earlier, "offsets");
    char *at = zsys_sprintf ("--at ingest=%" JSON_INTEGER_FORMAT ",valuation=%"
                             JSON_INTEGER_FORMAT ",compliance=%" JSON_INTEGER_FORMAT,
                             json_integer_value (json_object_get (offsets, "ingest")),
                             json_integer_value (json_object_get (offsets, "valuation")),
                             json_integer_value (json_object_get (offsets, "compliance")));
    char *args = zsys_sprintf ("annual --year 2025-26 %s", at);
    json_t *rebuilt = s_report_json (args);
    json_t *now_report = s_report_json ("annual --year 2025-26");
    testkit_check (earlier && rebuilt && now_report
                   && json_equal (json_object_get (rebuilt, "offsets"), offsets)
                   && !json_equal (json_object_get (now_report, "offsets"), offsets)
                   && json_equal (rebuilt, earlier),
                   "report --at the offsets an earlier report stated, after more data came and"
                   " a year later by reporting's clock, gives that report again, whole: its"
                   " created, offsets, spend, social value, RLW dates and alerts");
    json_decref (rebuilt);
    json_decref (now_report);
    zstr_free (&args);
    args = zsys_sprintf ("annual --year 2026-27 %s", at);
    error = NULL;
    rc = testkit_run (NULL, "build/socval --data %s --timeout %d report %s 2>%s/at.err"
                      " >/dev/null", s_dir, s_timeout, args, s_dir);
    testkit_run (&error, "cat %s/at.err", s_dir);
    testkit_check (rc == 1 && error && strstr (error, "no data for 2026-27"),
                   "2026-27 --at those offsets is refused: it had no data then");
    zstr_free (&error);
    zstr_free (&args);
    rc = testkit_run (NULL, "build/socval --data %s --timeout %d report annual --at"
                      " ingest=1,valuation=999999,compliance=0 2>%s/at.err >/dev/null",
                      s_dir, s_timeout, s_dir);
    testkit_run (&error, "cat %s/at.err", s_dir);
    testkit_check (rc == 1 && error && strstr (error, "valuation=999999 is ahead of reporting"),
                   "--at an offset reporting has not reached exits 1, naming it");
    zstr_free (&error);
    zstr_free (&at);
    json_decref (earlier);

    //  ------------------------------------------------------------------
    //  The year a report takes when none is named, with reporting's clock
    //  at 2 June 2027: the data's, never the clock's
    report = s_report_json ("annual");
    json_t *named = s_report_json ("annual --year 2025-26");
    testkit_check (report && named
                   && streq (json_string_value (json_object_get (report, "year")), "2025-26")
                   && s_int (report, "spend.total_pence") == 175000
                   && s_int (named, "spend.total_pence") == 175000
                   && s_int (report, "spend.local_pence") == s_int (named, "spend.local_pence"),
                   "with no --year the annual report is 2025-26, the latest year with spend"
                   " (£1,750.00, as --year 2025-26), not 2026-27, which has returns only");
    json_decref (report);
    json_decref (named);
    report = s_report_json ("annual --year 2026-27");
    testkit_check (report && s_int (report, "spend.total_pence") == 0
                   && json_is_null (json_object_get (json_object_get (report, "spend"),
                                                     "local_share"))
                   && s_int (report, "social_value.delivered_pence") > 0,
                   "asked for, 2026-27 is reported: its returns, no spend and no share rather"
                   " than a false one");
    json_decref (report);
    char *refused = NULL;
    rc = testkit_run (&output, "build/socval --data %s --timeout %d report annual"
                      " --year 2019-20 2>%s/refused", s_dir, s_timeout, s_dir);
    testkit_run (&refused, "cat %s/refused", s_dir);
    testkit_check (rc == 1 && output && !*output && refused
                   && strstr (refused, "no data for 2019-20; years with data: 2024-25, 2025-26,"
                                       " 2026-27"),
                   "--year 2019-20, a year with no data, exits 1 with nothing on stdout, and"
                   " stderr names the years with data");
    zstr_free (&output);
    zstr_free (&refused);
    rc = s_socval (&output, "report annual --partner council --year 2019-20 --format json"
                   " -o %s/refused.json", s_dir);
    testkit_check (rc == 1 && output && !*output
                   && testkit_run (NULL, "test -e %s/refused.json", s_dir) != 0,
                   "a refused report writes no file");
    zstr_free (&output);

    s_stop_all ();

    //  A schedule an operator mistyped stops reporting from starting, and
    //  the log names the key and what was wrong
    s_write ("bad.cfg", "data\n    dir = \"/tmp\"\n"
                        "schedules\n    monthly\n        cron = \"0 25 * * *\"\n");
    char *log = NULL;
    rc = testkit_run (&log, "build/socval-reporting --config %s/bad.cfg 2>&1", s_dir);
    testkit_check (rc == 1 && log && strstr (log, "schedules/monthly/cron")
                   && strstr (log, "'25' is outside 0-23"),
                   "a mistyped schedule is refused at start, naming the key and the value");
    zstr_free (&log);

    s_test_wards_counted_once ();
    s_test_local_area_moves ();
    s_test_committee_questions ();
    s_test_frameworks_share_code ();
    s_test_contracts_report ();

    char *remove = zsys_sprintf ("rm -rf '%s'", s_dir);
    assert (system (remove) == 0);
    zstr_free (&remove);
    zstr_free (&xlsx);
    zstr_free (&html);
    zstr_free (&cert_path);
    zcert_destroy (&cert);
    zstr_free (&s_dir);
    return testkit_summary ();
}
