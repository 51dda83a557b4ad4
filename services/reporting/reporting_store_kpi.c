/*  reporting_store_kpi: the kpi report's SQL. See reporting_store_kpi.h. */

#include "reporting_store_kpi.h"
#include "sv_date.h"

int
reporting_store_kpi_apply (sv_db_t *db, const sv_proto_kpi_t *kpi)
{
    int fy;
    if (sv_date_fy_parse (kpi->year, &fy))
        return 0;               //  ingest checks it: never a year it cannot read
    sqlite3_stmt *stmt = sv_db_stmt (db,
        "INSERT OR REPLACE INTO kpis (fy, partner, contract_id, kpi_id, name, unit,"
        " target_milli, actual_milli, lower_is_better, measure, ocid)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!stmt)
        return -1;
    const char *texts [] = { kpi->partner, kpi->contract_id, kpi->kpi_id, kpi->name, kpi->unit };
    for (int index = 0; index < 5; index++)
        sqlite3_bind_text (stmt, index + 2, texts [index]? texts [index]: "", -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 1, fy);
    sqlite3_bind_int64 (stmt, 7, kpi->target_milli);
    if (kpi->has_actual)
        sqlite3_bind_int64 (stmt, 8, kpi->actual_milli);
    sqlite3_bind_int (stmt, 9, kpi->lower_is_better);
    sqlite3_bind_text (stmt, 10, kpi->measure? kpi->measure: "", -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 11, kpi->ocid? kpi->ocid: "", -1, SQLITE_STATIC);
    return sv_db_run (db, stmt);
}

//  Delivered quantity counted, of contract C's measure M, in the year
#define S_DELIVERED_OF(P, C, M) \
    "(SELECT coalesce(sum(v.quantity_milli), 0) FROM value_lines v WHERE v.fy = ?1" \
    " AND v.partner = " P " AND v.contract_id = " C " AND v.measure = " M \
    " AND v.kind = 1 AND (?3 >> v.evidence) & 1)"

//  The year's KPIs: partner, contract, kpi, name, description, unit,
//  target, actual (NULL: none), lower_is_better, measure, ocid, source,
//  then the contract's title, supplier key and name, start, end and value
//  (NULL when not known); ?2 is the partner, or NULL for all. A social
//  value KPI is a contract's measure of one framework, named as that
//  framework words it
#define S_KPI_ROWS \
    "SELECT u.partner, u.contract_id, u.kpi, u.name, u.description, u.unit, u.target," \
    " u.actual, u.lower, u.measure, u.ocid, u.source, coalesce(c.title, '')," \
    " coalesce(c.supplier_key, '')," \
    " coalesce((SELECT n.name FROM suppliers n WHERE n.partner = u.partner" \
    " AND n.supplier_key = c.supplier_key AND n.name != '')," \
    " (SELECT n.name FROM suppliers n WHERE n.supplier_key = c.supplier_key" \
    " AND n.name != '' ORDER BY n.partner LIMIT 1), c.supplier_key, '')," \
    " coalesce(c.start_date, ''), coalesce(c.end_date, ''), nullif(c.value_pence, 0) FROM" \
    " (SELECT g.partner, g.contract_id, 'SV-' || g.measure AS kpi," \
    " coalesce(nullif(m.description, ''), g.measure) AS name," \
    " coalesce(m.description, '') AS description, coalesce(m.unit, '') AS unit," \
    " g.cq AS target, g.dq AS actual, 0 AS lower, g.measure, '' AS ocid," \
    " 'social value commitment' AS source, 0 AS ord FROM" \
    " (SELECT partner, contract_id, framework, measure," \
    " sum(CASE WHEN kind = 0 THEN quantity_milli ELSE 0 END) AS cq," \
    " sum(CASE WHEN kind = 1 THEN quantity_milli ELSE 0 END) AS dq" \
    " FROM value_lines WHERE fy = ?1 AND (kind = 0 OR (?3 >> evidence) & 1)" \
    " AND (?2 IS NULL OR partner = ?2)" \
    " GROUP BY partner, contract_id, framework, measure HAVING cq > 0) AS g" \
    " LEFT JOIN measures m ON m.framework = g.framework AND m.measure = g.measure" \
    " WHERE NOT EXISTS (SELECT 1 FROM kpis f WHERE f.fy = ?1 AND f.partner = g.partner" \
    " AND f.contract_id = g.contract_id AND f.measure = g.measure)" \
    " UNION ALL" \
    " SELECT k.partner, k.contract_id, k.kpi_id, k.name, '', k.unit, k.target_milli," \
    " CASE WHEN k.actual_milli IS NOT NULL THEN k.actual_milli" \
    " WHEN k.measure != '' THEN " S_DELIVERED_OF ("k.partner", "k.contract_id", "k.measure") \
    " END, k.lower_is_better, k.measure, k.ocid," \
    " CASE WHEN k.ocid != '' THEN 'OCDS agreedMetrics'" \
    " WHEN k.actual_milli IS NULL AND k.measure != '' THEN 'KPI feed, actual from returns'" \
    " ELSE 'KPI feed' END, 1" \
    " FROM kpis k WHERE k.fy = ?1 AND (?2 IS NULL OR k.partner = ?2)) AS u" \
    " LEFT JOIN contracts c ON c.partner = u.partner AND c.contract_id = u.contract_id" \
    " ORDER BY u.partner, u.contract_id, u.ord, u.kpi"

int
reporting_store_kpi_rows (sv_db_t *db, int fy, const char *partner, int mask, json_t *rows)
{
    sqlite3_stmt *stmt = sv_db_stmt (db, S_KPI_ROWS);
    if (!stmt)
        return -1;
    sqlite3_bind_int (stmt, 1, fy);
    if (partner)
        sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 3, mask);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        json_t *actual = sqlite3_column_type (stmt, 7) == SQLITE_NULL? json_null ()
                       : json_integer ((json_int_t) sqlite3_column_int64 (stmt, 7));
        json_t *value = sqlite3_column_type (stmt, 17) == SQLITE_NULL? json_null ()
                      : json_integer ((json_int_t) sqlite3_column_int64 (stmt, 17));
        json_array_append_new (rows, json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:b, s:s, s:s, s:s,"
            " s:s, s:s, s:s, s:s, s:s, s:o}",
            "partner", sv_db_text (stmt, 0),
            "contract", sv_db_text (stmt, 1),
            "kpi", sv_db_text (stmt, 2),
            "name", sv_db_text (stmt, 3),
            "description", sv_db_text (stmt, 4),
            "unit", sv_db_text (stmt, 5),
            "target_milli", (json_int_t) sqlite3_column_int64 (stmt, 6),
            "actual_milli", actual,
            "lower_is_better", sqlite3_column_int (stmt, 8),
            "measure", sv_db_text (stmt, 9),
            "ocid", sv_db_text (stmt, 10),
            "source", sv_db_text (stmt, 11),
            "title", sv_db_text (stmt, 12),
            "supplier_key", sv_db_text (stmt, 13),
            "supplier", sv_db_text (stmt, 14),
            "start_date", sv_db_text (stmt, 15),
            "end_date", sv_db_text (stmt, 16),
            "value_pence", value));
    }
    sqlite3_reset (stmt);
    return step == SQLITE_DONE? 0: -1;
}


//  ==========================================================================
//  Self-test

#include "reporting_store.h"

static void
s_test_apply (reporting_store_t *store, const char *stream, const char *key,
              const sv_proto_t *message, uint64_t seq)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (message, &buffer) == 0);
    sv_proto_event_t event = {
        .seq = seq, .type = (char *) sv_proto_name (message->id), .key = (char *) key,
        .body = (uint8_t *) buffer.data, .body_size = buffer.size
    };
    assert (reporting_store_apply (store, stream, &event) == 0);
    msgpack_sbuffer_destroy (&buffer);
}

#define S_TEST_LINE(KEY, ...) s_test_apply (store, "valuation", KEY, &(sv_proto_t) { \
    .id = SV_PROTO_VALUATION_LINE, .valuation_line = { .partner = "council", \
    .contract_id = "C-1", .year = "2024-25", .framework = "test", .framework_version = "1", \
    .evidence = "validated", __VA_ARGS__ } }, ++seq)
#define S_TEST_KPI(KEY, ...) s_test_apply (store, "ingest", KEY, &(sv_proto_t) { \
    .id = SV_PROTO_KPI, .kpi = { .partner = "council", .contract_id = "C-1", \
    .year = "2024-25", __VA_ARGS__ } }, ++seq)

static const char *
s_test_text (json_t *row, const char *key)
{
    return json_string_value (json_object_get (row, key));
}

void
reporting_store_kpi_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_store_kpi: ");
    char path [] = "/tmp/reporting_store_kpi_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    reporting_store_t *store = reporting_store_new (path, NULL);
    assert (store);
    sv_db_t *db = reporting_store_db (store);
    uint64_t seq = 0;
    assert (sv_db_begin (db) == 0);
    s_test_apply (store, "ingest", "council/C-1", &(sv_proto_t) { .id = SV_PROTO_CONTRACT,
        .contract = { .partner = "council", .contract_id = "C-1", .title = "Cleaning",
                      .start_date = "2024-04-01", .end_date = "2027-03-31",
                      .value_pence = 125000000 } }, ++seq);
    //  52 apprenticeship weeks committed, 20 delivered; 40 volunteering
    //  hours committed, 30 delivered, which a fed KPI names
    S_TEST_LINE ("c1", .measure = "NT10", .kind = "committed", .quantity_milli = 52000);
    S_TEST_LINE ("d1", .measure = "NT10", .kind = "delivered", .quantity_milli = 20000);
    S_TEST_LINE ("c2", .measure = "NT20", .kind = "committed", .quantity_milli = 40000);
    S_TEST_LINE ("d2", .measure = "NT20", .kind = "delivered", .quantity_milli = 30000);
    S_TEST_KPI ("council/C-1/K1/2024-25", .kpi_id = "K1", .name = "Audits passed",
                .unit = "%", .target_milli = 95000, .has_actual = true, .actual_milli = 97000);
    S_TEST_KPI ("council/C-1/K2/2024-25", .kpi_id = "K2", .name = "Volunteering",
                .unit = "hours", .target_milli = 40000, .measure = "NT20");
    //  Sent again with another target: replaces, never adds
    S_TEST_KPI ("council/C-1/K1/2024-25", .kpi_id = "K1", .name = "Audits passed",
                .unit = "%", .target_milli = 96000, .has_actual = true, .actual_milli = 97000);
    assert (sv_db_commit (db) == 0);

    json_t *rows = json_array ();
    assert (reporting_store_kpi_rows (db, 2024, NULL, (1 << 1) | (1 << 2) | (1 << 3), rows) == 0);
    assert (json_array_size (rows) == 3);
    json_t *row = json_array_get (rows, 0);
    assert (streq (s_test_text (row, "kpi"), "SV-NT10"));
    assert (json_integer_value (json_object_get (row, "target_milli")) == 52000);
    assert (json_integer_value (json_object_get (row, "actual_milli")) == 20000);
    assert (json_integer_value (json_object_get (row, "value_pence")) == 125000000);
    row = json_array_get (rows, 1);
    assert (streq (s_test_text (row, "kpi"), "K1"));
    assert (json_integer_value (json_object_get (row, "target_milli")) == 96000);
    row = json_array_get (rows, 2);
    assert (streq (s_test_text (row, "kpi"), "K2"));
    assert (json_integer_value (json_object_get (row, "actual_milli")) == 30000);
    assert (streq (s_test_text (row, "source"), "KPI feed, actual from returns"));
    json_decref (rows);
    //  Claimed returns only: nothing counted, so no actual of 20
    rows = json_array ();
    assert (reporting_store_kpi_rows (db, 2024, "council", 1 << 1, rows) == 0);
    assert (json_integer_value (json_object_get (json_array_get (rows, 0), "actual_milli")) == 0);
    json_decref (rows);

    //  The report: one release, the 20 weeks of 52 Inadequate
    reporting_store_params_t params = {
        .kind = "kpi", .year = "2024-25", .created = "2025-06-30T09:00:00Z",
        .shortfall_tolerance_pct = 10
    };
    const char *reason = NULL;
    json_t *report = reporting_store_report (store, &params, &reason);
    assert (report);
    assert (json_array_size (json_object_get (report, "releases")) == 1);
    row = json_array_get (json_object_get (report, "kpis"), 0);
    assert (streq (s_test_text (row, "rating"), "Inadequate"));
    assert (streq (s_test_text (row, "ocid"), "unregistered-council-C-1"));
    json_decref (report);

    reporting_store_destroy (&store);
    char *wal = zsys_sprintf ("%s-wal", path), *shm = zsys_sprintf ("%s-shm", path);
    unlink (path);
    unlink (wal);
    unlink (shm);
    zstr_free (&wal);
    zstr_free (&shm);
    if (verbose)
        printf ("OK\n");
}
