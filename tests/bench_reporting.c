/*  bench_reporting: the annual report over a large council's year, against
    the sqlite3 command-line tool computing the same figures from one flat
    table of the same lines, in the same run.

    The data are what reporting holds after following the streams: SPEND
    lines, CONTRACTS contracts with two commitments each, DELIVERIES
    delivery lines and the suppliers, from three partners, applied to a
    reporting_store as encoded stream events (ingest's SPEND, CONTRACT and
    SUPPLIER; valuation's PLACE, one per partner and supplier paid, and
    VALUATION_LINE) in transactions of BATCH events, as its consumers apply
    them. Nine spend lines in ten fall in 2024-25, the
    year reported; the rest in 2023-24, for the previous year's local spend.

    The measured time is reporting_store_report for the annual report, all
    partners, 2024-25, with the parameters the service takes from a default
    config. The reference writes the same lines to a CSV, imports it into
    one table with `sqlite3 .import` (untimed), and times `sqlite3` running
    the GROUP BY queries that give the report's figures: spend totals by
    locality (with SME and VCSE), by month, by ward, the previous year's
    local spend, committed and delivered totals, by theme and by measure,
    deliveries by ward and by beneficiary group, and the top ten contracts.
    Each side runs RUNS times; the medians are compared (target: within 2x).
    The report also walks the Real Living Wage scope of every contract
    active in the year and lists alerts, which the reference does not do.

    Then socval explain spend.local_pence, as reporting answers it once it
    holds the report (it keeps the last report explained, so pages of
    --all and repeated questions do not build it again): reporting_explain
    counting and summing the year's local payments and listing the 20
    largest, against sqlite3 summing the same rows of the flat table and
    listing its 20 largest; medians of RUNS, target within 2x.

    Before timing, the report's headline pence are checked against sqlite3's
    over the same table, so both sides are known to compute the same thing.
    Then socval-reporting is started on the store just built and asked for
    the same report through `socval report`, for its peak resident memory.

    Usage: bench_reporting [SPEND [CONTRACTS [DELIVERIES]]]   (default
    1,000,000, 10,000 and 100,000); run from the repository root after
    `make`.
*/

#include <czmq.h>
#include <jansson.h>
#include <sys/wait.h>
#include "sv_config.h"
#include "sv_proto.h"
#include "reporting_explain.h"
#include "reporting_store.h"
#include "testkit.h"

#define BATCH 10000             //  events per transaction
#define RUNS 3
#define SUPPLIERS 2000
#define WARDS 30
#define MEASURES 20
#define S_PORTS "196"           //  tcp://127.0.0.1:196xx

static const char *const s_partners [] = { "council", "police", "hospital" };
static const char *const s_categories [] = {
    "Cleaning services", "Security", "Catering", "IT services", "Consultancy", "Home care",
    "Construction"
};
static const char *const s_themes [] = { "Jobs", "Growth", "Social", "Environment",
                                         "Innovation" };
static const char *const s_units [] = { "FTE", "weeks", "hours", "pounds", "tonnes" };
static const char *const s_groups [] = { "Young people", "Care leavers", "Older people",
                                         "Veterans", "Disabled people", "Ex-offenders" };
static const char *const s_evidence [] = { "claimed", "evidenced", "validated" };
static const char *const s_localities [] = { "local", "non_local", "unknown" };

//  The store being filled, and the CSV of the same lines
typedef struct {
    reporting_store_t *store;
    sv_db_t *db;
    FILE *csv;
    uint64_t seq;
} s_fill_t;

static int
s_compare (const void *left, const void *right)
{
    double a = *(const double *) left, b = *(const double *) right;
    return a < b? -1: a > b;
}

static double
s_median (double *samples, size_t count)
{
    qsort (samples, count, sizeof (double), s_compare);
    return samples [count / 2];
}

//  Applies message as the next event of stream, in transactions of BATCH
static void
s_event (s_fill_t *fill, const char *stream, const char *key, const sv_proto_t *message)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (message, &buffer) == 0);
    sv_proto_event_t event = {
        .seq = ++fill->seq,
        .type = (char *) sv_proto_name (message->id),
        .key = (char *) key,
        .body = (uint8_t *) buffer.data,
        .body_size = buffer.size
    };
    if (!sv_db_in_transaction (fill->db))
        assert (sv_db_begin (fill->db) == 0);
    assert (reporting_store_apply (fill->store, stream, &event) == 0);
    if (fill->seq % BATCH == 0)
        assert (sv_db_commit (fill->db) == 0);
    msgpack_sbuffer_destroy (&buffer);
}

//  Supplier number's facts: locality by its postcode, and its flags
static int
s_locality (int supplier)
{
    return supplier % 10 < 6? 0: supplier % 10 < 9? 1: 2;
}

//  The flat table's row. Columns: kind, partner, fy, month, amount_pence,
//  locality, ward_code, ward_name, sme, vcse, contract_id, contract_title,
//  supplier_name, measure, theme, unit, evidence, ward, beneficiary_group,
//  quantity_milli, value_pence
#define S_CSV_HEADER "kind,partner,fy,month,amount_pence,locality,ward_code,ward_name,sme," \
                     "vcse,contract_id,contract_title,supplier_name,measure,theme,unit," \
                     "evidence,ward,beneficiary_group,quantity_milli,value_pence\n"

static void
s_fill (s_fill_t *fill, int64_t spend, int contracts, int64_t deliveries)
{
    char key [96], name [64], postcode [16], text [96], text2 [96];
    //  Suppliers, each partner keeping its own record
    for (int partner = 0; partner < 3; partner++)
        for (int supplier = 0; supplier < SUPPLIERS; supplier++) {
            snprintf (key, sizeof key, "CH:%06d", supplier);
            snprintf (name, sizeof name, "Supplier %d Ltd", supplier);
            snprintf (postcode, sizeof postcode, "%s", s_locality (supplier) == 0? "S60 2TD"
                      : s_locality (supplier) == 1? "M1 1AA": "");
            s_event (fill, "ingest", key, &(sv_proto_t) { .id = SV_PROTO_SUPPLIER, .supplier = {
                .partner = (char *) s_partners [partner], .supplier_key = key, .name = name,
                .postcode = postcode, .sme = supplier % 3 == 0, .vcse = supplier % 7 == 0,
                .rlw_accredited = supplier % 5 == 0, .rlw_expiry = "2026-03-31" } });
        }
    //  Contracts: partner by number, running 2023-24 to 2026-27
    for (int contract = 0; contract < contracts; contract++) {
        char id [16], title [64];
        snprintf (id, sizeof id, "C-%05d", contract);
        snprintf (title, sizeof title, "Contract %d", contract);
        snprintf (key, sizeof key, "CH:%06d", contract % SUPPLIERS);
        snprintf (text, sizeof text, "%04d-%02d-01", 2023 + contract % 3, 1 + contract % 12);
        snprintf (text2, sizeof text2, "%04d-%02d-28", 2025 + contract % 2, 1 + contract % 12);
        s_event (fill, "ingest", id, &(sv_proto_t) { .id = SV_PROTO_CONTRACT, .contract = {
            .partner = (char *) s_partners [contract % 3], .contract_id = id, .title = title,
            .supplier_key = key, .category = (char *) s_categories [contract % 7],
            .value_pence = 1000000 + (int64_t) contract * 137, .start_date = text,
            .end_date = text2, .rlw_in_scope = "derive",
            .rlw_commitment = contract % 4 == 0 } });
    }
    //  Where each partner's payments to each supplier fall (valuation's
    //  PLACE): the payments name no postcode of their own
    for (int payee = 0; payee < SUPPLIERS * 3; payee++) {
        int supplier = payee % SUPPLIERS;
        int locality = s_locality (supplier);
        char ward_code [16] = "", ward_name [32] = "";
        if (locality == 0) {
            snprintf (ward_code, sizeof ward_code, "E050%05d", supplier % WARDS);
            snprintf (ward_name, sizeof ward_name, "Ward %d", supplier % WARDS);
        }
        snprintf (text, sizeof text, "CH:%06d", supplier);
        snprintf (key, sizeof key, "%s/CH:%06d/", s_partners [payee / SUPPLIERS], supplier);
        s_event (fill, "valuation", key, &(sv_proto_t) { .id = SV_PROTO_PLACE, .place = {
            .partner = (char *) s_partners [payee / SUPPLIERS], .supplier_key = text,
            .postcode = "", .locality = (char *) s_localities [locality],
            .ward_code = ward_code, .ward_name = ward_name, .sme = supplier % 3 == 0,
            .vcse = supplier % 7 == 0, .place_source = locality == 2? "": "supplier" } });
    }
    //  Payments: nine in ten in 2024-25
    int64_t previous = spend / 10;
    for (int64_t line = 0; line < spend; line++) {
        int partner = (int) (line % 3);
        int supplier = (int) (line % SUPPLIERS);
        int locality = s_locality (supplier);
        int fy = line < previous? 2023: 2024;
        int month = (int) (line / 3 % 12);          //  April is 0
        int year = fy + (month >= 9);
        int calendar_month = (month + 3) % 12 + 1;
        int64_t amount = 50000 + line * 7919 % 1000000;
        char date [16], ward_code [16] = "", ward_name [32] = "";
        snprintf (date, sizeof date, "%04d-%02d-%02d", year, calendar_month,
                  1 + (int) (line % 28));
        if (locality == 0) {
            snprintf (ward_code, sizeof ward_code, "E050%05d", supplier % WARDS);
            snprintf (ward_name, sizeof ward_name, "Ward %d", supplier % WARDS);
        }
        snprintf (key, sizeof key, "%s/T%07" PRId64 "/1", s_partners [partner], line);
        snprintf (text, sizeof text, "CH:%06d", supplier);
        bool sme = supplier % 3 == 0, vcse = supplier % 7 == 0;
        char transaction [24];
        snprintf (transaction, sizeof transaction, "T%07" PRId64, line);
        s_event (fill, "ingest", key, &(sv_proto_t) { .id = SV_PROTO_SPEND, .spend = {
            .partner = (char *) s_partners [partner], .transaction_no = transaction, .line = 1,
            .supplier_key = text, .payment_date = date, .amount_pence = amount } });
        fprintf (fill->csv, "spend,%s,%d,%d,%" PRId64 ",%d,%s,%s,%d,%d,,,,,,,,,,0,0\n",
                 s_partners [partner], fy, year * 100 + calendar_month, amount, locality,
                 ward_code, ward_name, sme, vcse);
    }
    //  Two commitments a contract, then the delivery returns against them,
    //  all valued for 2024-25. Measure m: theme m % 5, proxy 100 + 37 m
    //  pounds a unit.
    for (int64_t line = 0; line < (int64_t) contracts * 2 + deliveries; line++) {
        bool committed = line < (int64_t) contracts * 2;
        int contract = (int) (committed? line / 2: (line - contracts * 2) % contracts);
        int measure = (contract + (int) (committed? line % 2: line / contracts % 2)) % MEASURES;
        int partner = contract % 3;
        int64_t quantity = committed? 10000 + line % 50000: 500 + line * 31 % 5000;
        int64_t proxy = (100 + 37 * measure) * 100;
        int64_t value = quantity * proxy / 1000;
        char id [16], measure_id [16], description [64], title [64], supplier_name [64];
        char ward [32] = "";
        const char *group = "", *evidence = "";
        snprintf (id, sizeof id, "C-%05d", contract);
        snprintf (title, sizeof title, "Contract %d", contract);
        snprintf (supplier_name, sizeof supplier_name, "Supplier %d Ltd", contract % SUPPLIERS);
        snprintf (measure_id, sizeof measure_id, "NT%02d", measure);
        snprintf (description, sizeof description, "Measure %d", measure);
        if (committed)
            snprintf (key, sizeof key, "%s/COMMITMENT/%s/%s/2024-25", s_partners [partner],
                      id, measure_id);
        else {
            snprintf (key, sizeof key, "%s/DELIVERY/%s/%s/%" PRId64, s_partners [partner],
                      id, measure_id, line);
            snprintf (ward, sizeof ward, "Ward %d", (int) (line % WARDS));
            group = s_groups [line % 6];
            evidence = s_evidence [line % 3];
        }
        s_event (fill, "valuation", key, &(sv_proto_t) { .id = SV_PROTO_VALUATION_LINE,
            .valuation_line = {
                .partner = (char *) s_partners [partner], .contract_id = id,
                .measure = measure_id, .theme = (char *) s_themes [measure % 5],
                .kind = committed? "committed": "delivered", .year = "2024-25",
                .ward = ward, .beneficiary_group = (char *) group, .framework = "bench-fw",
                .framework_version = "1", .quantity_milli = quantity, .proxy_pence = proxy,
                .value_pence = value, .source_seq = (uint64_t) line + 1,
                .evidence = (char *) evidence, .unit = (char *) s_units [measure % 5],
                .description = description } });
        fprintf (fill->csv, "%s,%s,2024,,0,,,,,,%s,%s,%s,%s,%s,%s,%s,%s,%s,%" PRId64 ",%"
                 PRId64 "\n", committed? "committed": "delivered", s_partners [partner], id,
                 title, supplier_name, measure_id, s_themes [measure % 5],
                 s_units [measure % 5], evidence, ward, group, quantity, value);
    }
    if (sv_db_in_transaction (fill->db))
        assert (sv_db_commit (fill->db) == 0);
}

//  The figures of the annual report's spend and social value sections,
//  for sqlite3, over the flat table
static const char *s_queries =
    //  Totals by locality, with SME and VCSE spend
    "SELECT locality, count(*), sum(amount_pence),"
    " sum(CASE WHEN sme THEN amount_pence ELSE 0 END),"
    " sum(CASE WHEN vcse THEN amount_pence ELSE 0 END)"
    " FROM lines WHERE kind = 'spend' AND fy = 2024 GROUP BY locality;\n"
    //  By month
    "SELECT month, locality, sum(amount_pence) FROM lines"
    " WHERE kind = 'spend' AND fy = 2024 GROUP BY month, locality;\n"
    //  Local spend by ward
    "SELECT ward_code, ward_name, sum(amount_pence) AS pence, count(*) FROM lines"
    " WHERE kind = 'spend' AND fy = 2024 AND locality = 0 AND ward_code != ''"
    " GROUP BY ward_code ORDER BY pence DESC, ward_code;\n"
    //  The previous year's local spend
    "SELECT sum(amount_pence) FROM lines WHERE kind = 'spend' AND fy = 2023 AND locality = 0;\n"
    //  Committed and delivered
    "SELECT sum(CASE WHEN kind = 'committed' THEN value_pence ELSE 0 END),"
    " sum(CASE WHEN kind = 'delivered' THEN value_pence ELSE 0 END)"
    " FROM lines WHERE kind != 'spend' AND fy = 2024;\n"
    //  By theme
    "SELECT theme, sum(CASE WHEN kind = 'committed' THEN value_pence ELSE 0 END),"
    " sum(CASE WHEN kind = 'delivered' THEN value_pence ELSE 0 END)"
    " FROM lines WHERE kind != 'spend' AND fy = 2024 GROUP BY theme ORDER BY theme;\n"
    //  By measure
    "SELECT measure, unit, theme,"
    " sum(CASE WHEN kind = 'committed' THEN quantity_milli ELSE 0 END),"
    " sum(CASE WHEN kind = 'delivered' THEN quantity_milli ELSE 0 END),"
    " sum(CASE WHEN kind = 'committed' THEN value_pence ELSE 0 END),"
    " sum(CASE WHEN kind = 'delivered' THEN value_pence ELSE 0 END)"
    " FROM lines WHERE kind != 'spend' AND fy = 2024 GROUP BY measure ORDER BY measure;\n"
    //  Deliveries by ward and by beneficiary group
    "SELECT ward, count(*), sum(value_pence) FROM lines"
    " WHERE kind = 'delivered' AND fy = 2024 AND ward != '' GROUP BY ward ORDER BY ward;\n"
    "SELECT beneficiary_group, count(*), sum(value_pence) FROM lines"
    " WHERE kind = 'delivered' AND fy = 2024 AND beneficiary_group != ''"
    " GROUP BY beneficiary_group ORDER BY beneficiary_group;\n"
    //  The top ten contracts by delivered value
    "SELECT partner, contract_id, contract_title, supplier_name, sum(value_pence) AS pence"
    " FROM lines WHERE kind = 'delivered' AND fy = 2024 GROUP BY partner, contract_id"
    " HAVING pence > 0 ORDER BY pence DESC, contract_id, partner LIMIT 10;\n";

//  The headline pence, one line: total, local, previous year's local,
//  committed, delivered, the top contract's delivered
static const char *s_check_query =
    "SELECT (SELECT sum(amount_pence) FROM lines WHERE kind = 'spend' AND fy = 2024),"
    " (SELECT sum(amount_pence) FROM lines WHERE kind = 'spend' AND fy = 2024"
    "  AND locality = 0),"
    " (SELECT sum(amount_pence) FROM lines WHERE kind = 'spend' AND fy = 2023"
    "  AND locality = 0),"
    " (SELECT sum(value_pence) FROM lines WHERE kind = 'committed' AND fy = 2024),"
    " (SELECT sum(value_pence) FROM lines WHERE kind = 'delivered' AND fy = 2024),"
    " (SELECT max(pence) FROM (SELECT sum(value_pence) AS pence FROM lines"
    "  WHERE kind = 'delivered' AND fy = 2024 GROUP BY partner, contract_id));\n";

static int64_t
s_get (json_t *document, const char *section, const char *field)
{
    return (int64_t) json_integer_value (json_object_get (json_object_get (document, section),
                                                          field));
}

//  The same headline figures from the report, formatted as sqlite3 prints
static char *
s_report_headline (json_t *report)
{
    json_t *top = json_array_get (json_object_get (json_object_get (report, "social_value"),
                                                   "top_contracts"), 0);
    return zsys_sprintf ("%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64
                         "\n", s_get (report, "spend", "total_pence"),
                         s_get (report, "spend", "local_pence"),
                         s_get (report, "spend", "previous_year_local_pence"),
                         s_get (report, "social_value", "committed_pence"),
                         s_get (report, "social_value", "delivered_pence"),
                         (int64_t) json_integer_value (json_object_get (top, "delivered_pence")));
}

static void
s_write (const char *path, const char *text)
{
    FILE *file = fopen (path, "w");
    assert (file && fputs (text, file) >= 0);
    fclose (file);
}

int
main (int argc, char *argv [])
{
    int64_t spend = argc > 1? atoll (argv [1]): 1000000;
    int contracts = argc > 2? atoi (argv [2]): 10000;
    int64_t deliveries = argc > 3? atoll (argv [3]): 100000;
    assert (spend >= 10 && contracts >= 3 && deliveries > 0);
    char *dir = zsys_sprintf ("/tmp/sv_bench_reporting_%d", getpid ());
    zsys_dir_create ("%s", dir);

    //  Untimed: the store and the CSV of the same lines
    char *store_path = zsys_sprintf ("%s/reporting.db", dir);
    char *csv_path = zsys_sprintf ("%s/lines.csv", dir);
    const char *reason = NULL;
    s_fill_t fill = { .store = reporting_store_new (store_path, &reason),
                      .csv = fopen (csv_path, "w") };
    assert (fill.store && fill.csv);
    fill.db = reporting_store_db (fill.store);
    fputs (S_CSV_HEADER, fill.csv);
    int64_t started = testkit_now_us ();
    s_fill (&fill, spend, contracts, deliveries);
    double filled = (double) (testkit_now_us () - started) / 1e6;
    fclose (fill.csv);
    int64_t events = (int64_t) fill.seq;

    char *sqlite_path = zsys_sprintf ("%s/flat.db", dir);
    char *schema_path = zsys_sprintf ("%s/schema.sql", dir);
    s_write (schema_path,
             "CREATE TABLE lines (kind TEXT, partner TEXT, fy INTEGER, month INTEGER,"
             " amount_pence INTEGER, locality INTEGER, ward_code TEXT, ward_name TEXT,"
             " sme INTEGER, vcse INTEGER, contract_id TEXT, contract_title TEXT,"
             " supplier_name TEXT, measure TEXT, theme TEXT, unit TEXT, evidence TEXT,"
             " ward TEXT, beneficiary_group TEXT, quantity_milli INTEGER,"
             " value_pence INTEGER);\n");
    assert (testkit_run (NULL, "sqlite3 %s < %s && sqlite3 %s '.import --csv --skip 1 %s lines'",
                         sqlite_path, schema_path, sqlite_path, csv_path) == 0);
    char *queries_path = zsys_sprintf ("%s/queries.sql", dir);
    s_write (queries_path, s_queries);
    char *check_path = zsys_sprintf ("%s/check.sql", dir);
    s_write (check_path, s_check_query);

    //  The parameters the service takes from a default config
    sv_config_t *config = sv_config_new ();
    reporting_store_params_t params = {
        .kind = "annual", .year = "2024-25", .partner = "all",
        .created = "2025-06-01T09:00:00Z",
        .evidence_counted = sv_config_get (config, "reporting/evidence_counted"),
        .small_number_threshold = (int) sv_config_int (config,
                                                       "reporting/small_number_threshold"),
        .rlw = {
            .categories = sv_config_get (config, "compliance/rlw_categories"),
            .min_weeks = (int) sv_config_int (config, "compliance/rlw_min_weeks")
        }
    };

    //  Both compute the same figures
    json_t *report = reporting_store_report (fill.store, &params, &reason);
    if (!report)
        fprintf (stderr, "bench_reporting: the report was refused: %s\n", reason);
    assert (report);
    char *ours = s_report_headline (report);
    char *theirs = NULL;
    testkit_run (&theirs, "sqlite3 %s < %s", sqlite_path, check_path);
    bool same = theirs && streq (ours, theirs);
    int64_t in_scope = s_get (report, "rlw", "in_scope_contracts");
    json_decref (report);

    //  Timed, alternately, RUNS times each
    double measured [RUNS], reference [RUNS];
    for (int run = 0; run < RUNS; run++) {
        started = testkit_now_us ();
        report = reporting_store_report (fill.store, &params, &reason);
        measured [run] = (double) (testkit_now_us () - started) / 1e6;
        assert (report);
        json_decref (report);
        started = testkit_now_us ();
        assert (testkit_run (NULL, "sqlite3 %s < %s > /dev/null", sqlite_path, queries_path) == 0);
        reference [run] = (double) (testkit_now_us () - started) / 1e6;
    }
    double first_measured = measured [0], first_reference = reference [0];
    double report_seconds = s_median (measured, RUNS);
    double sqlite_seconds = s_median (reference, RUNS);

    //  socval explain spend.local_pence, as reporting answers it once it
    //  holds the report (it keeps the last one explained): the year's
    //  local payments counted and summed, the 20 largest listed; against
    //  sqlite3 summing the same rows of the flat table and listing its 20
    //  largest
    char *explain_path = zsys_sprintf ("%s/explain.sql", dir);
    s_write (explain_path,
             "SELECT count(*), sum(amount_pence) FROM lines WHERE kind = 'spend' AND fy = 2024"
             " AND locality = 0;\n"
             "SELECT partner, amount_pence, supplier_name FROM lines WHERE kind = 'spend'"
             " AND fy = 2024 AND locality = 0 ORDER BY amount_pence DESC LIMIT 20;\n");
    report = reporting_store_report (fill.store, &params, &reason);
    assert (report);
    double explained [RUNS], summed [RUNS];
    bool explained_same = true;
    for (int run = 0; run < RUNS; run++) {
        int code = 0;
        char *why = NULL;
        started = testkit_now_us ();
        json_t *explanation = reporting_explain (fill.store, &params, report,
                                                 "spend.local_pence", 0, 0, NULL, &code, &why);
        explained [run] = (double) (testkit_now_us () - started) / 1e6;
        explained_same = explained_same && explanation
            && json_is_true (json_object_get (explanation, "sum_equals_value"))
            && json_array_size (json_object_get (explanation, "rows")) == 20;
        json_decref (explanation);
        zstr_free (&why);
        started = testkit_now_us ();
        assert (testkit_run (NULL, "sqlite3 %s < %s > /dev/null", sqlite_path,
                             explain_path) == 0);
        summed [run] = (double) (testkit_now_us () - started) / 1e6;
    }
    json_decref (report);
    zstr_free (&explain_path);
    double explain_seconds = s_median (explained, RUNS);
    double sum_seconds = s_median (summed, RUNS);
    reporting_store_destroy (&fill.store);

    //  The service on the same store, for its peak memory
    char *config_path = zsys_sprintf ("%s/socval.cfg", dir);
    char *config_text = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "ingest\n    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "11\"\n"
        "valuation\n    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "21\"\n"
        "compliance\n    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "31\"\n"
        "reporting\n    store = \"%s\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:" S_PORTS "41\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:" S_PORTS "42\"\n",
        dir, store_path);
    s_write (config_path, config_text);
    zstr_free (&config_text);
    pid_t reporting = fork ();
    assert (reporting >= 0);
    if (reporting == 0) {
        int null = open ("/dev/null", O_WRONLY);
        dup2 (null, STDOUT_FILENO);
        dup2 (null, STDERR_FILENO);
        execl ("build/socval-reporting", "socval-reporting", "--config", config_path,
               (char *) NULL);
        _exit (127);
    }
    int64_t deadline = zclock_mono () + 10000;
    while (testkit_count ("tcp://127.0.0.1:" S_PORTS "42", 500, "spend_lines") < 0
        && zclock_mono () < deadline)
        zclock_sleep (50);
    started = testkit_now_us ();
    int rc = testkit_run (NULL, "build/socval --config %s --timeout 120 report annual"
                          " --year 2024-25 --format json -o %s/annual.json 2>&1",
                          config_path, dir);
    double service_seconds = (double) (testkit_now_us () - started) / 1e6;
    long peak = testkit_peak_kb (reporting);
    kill (reporting, SIGTERM);
    waitpid (reporting, NULL, 0);

    double ratio = report_seconds / sqlite_seconds;
    printf ("%-44s %14s %14s %8s\n", "benchmark", "measured", "reference", "ratio");
    printf ("%-44s %12.3f s %12.3f s %7.2fx\n", "reporting: annual report, all partners",
            report_seconds, sqlite_seconds, ratio);
    printf ("  (%" PRId64 " spend lines, %" PRId64 " of them in 2024-25; %d contracts with %d"
            " commitment lines; %" PRId64 " delivery lines; %d suppliers x 3 partners:\n"
            "   %" PRId64 " events applied in %.1f s. measured = reporting_store_report,"
            " median of %d (first %.3f s);\n"
            "   reference = sqlite3 running the same figures' GROUP BY queries over one flat"
            " table of the same lines,\n   median of %d (first %.3f s); ratio = measured /"
            " reference, target <= 2.00)\n",
            spend, spend - spend / 10, contracts, contracts * 2, deliveries, SUPPLIERS,
            events, filled, RUNS, first_measured, RUNS, first_reference);
    printf ("  the report also judges the RLW scope of every contract active in the year"
            " (%" PRId64 " in scope), which the reference does not\n", in_scope);
    printf ("  headline pence (total|local|previous local|committed|delivered|top contract):"
            "\n    report  %s    sqlite3 %s  %s\n", ours, theirs? theirs: "(none)\n",
            same? "the same figures": "DIFFERENT: the benchmark is not valid");
    printf ("%-44s %12.3f s   (`socval report annual --format json`%s)\n",
            "reporting: the same report through the service", service_seconds,
            rc == 0? "": ", FAILED");
    printf ("%-44s %10ld kB\n", "reporting: peak resident memory", peak);

    printf ("BENCH|reporting: annual report over %" PRId64 " spend, %" PRId64 " delivery lines,"
            " %d contracts vs sqlite3 GROUP BY on one flat table|%.3f|s|%.3f|s|%.2f|<= 2|%s\n",
            spend, deliveries, contracts, report_seconds, sqlite_seconds, ratio,
            same && ratio <= 2? "yes": "no");
    printf ("%-44s %12.3f s %12.3f s %7.2fx\n", "reporting: explain spend.local_pence",
            explain_seconds, sum_seconds, explain_seconds / sum_seconds);
    printf ("  (measured = reporting_explain on the report built above, as the service answers"
            " once it holds it:\n   the year's local payments counted and summed, the 20"
            " largest listed; reference = sqlite3\n   summing the same rows of the flat table"
            " and listing its 20 largest; medians of %d; sum %s)\n", RUNS,
            explained_same? "equal to the report's figure": "NOT the report's figure");
    printf ("BENCH|reporting: explain spend.local_pence over %" PRId64 " spend lines vs sqlite3"
            " summing the same rows|%.3f|s|%.3f|s|%.2f|<= 2|%s\n", spend, explain_seconds,
            sum_seconds, explain_seconds / sum_seconds,
            explained_same && explain_seconds <= 2 * sum_seconds? "yes": "no");
    printf ("PEAK|reporting|%.1f\n", peak / 1024.0);

    assert (testkit_run (NULL, "rm -rf '%s'", dir) == 0);
    sv_config_destroy (&config);
    zstr_free (&ours);
    zstr_free (&theirs);
    zstr_free (&config_path);
    zstr_free (&check_path);
    zstr_free (&queries_path);
    zstr_free (&schema_path);
    zstr_free (&sqlite_path);
    zstr_free (&csv_path);
    zstr_free (&store_path);
    zstr_free (&dir);
    return same && explained_same && rc == 0? 0: 1;
}
