/*  compliance_store: compliance's SQLite store. See compliance_store.h.

    Data: contracts and suppliers as ingest last sent them (per partner),
    commitment and delivery rows keyed by their ingest key, and one row per
    alert holding its latest state. Commitments and deliveries are indexed
    by contract, because every rule reads them per contract.
*/

#include "compliance_store.h"
#include "sv_stream.h"

static const char *const s_migrations [] = {
    //  1: facts, alerts, offsets, outbox
    "CREATE TABLE contracts ("
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " category TEXT NOT NULL,"
    " start_date TEXT NOT NULL,"
    " end_date TEXT NOT NULL,"
    " rlw_flag TEXT NOT NULL,"
    " rlw_commitment INTEGER NOT NULL,"
    " PRIMARY KEY (partner, contract_id)) WITHOUT ROWID;"
    "CREATE INDEX contracts_supplier ON contracts (supplier_key);"
    "CREATE TABLE suppliers ("
    " partner TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " accredited INTEGER NOT NULL,"
    " expiry TEXT NOT NULL,"
    " PRIMARY KEY (supplier_key, partner)) WITHOUT ROWID;"
    "CREATE TABLE commitments ("
    " key TEXT PRIMARY KEY,"
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " measure TEXT NOT NULL,"
    " quantity_milli INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX commitments_contract ON commitments (partner, contract_id, measure);"
    "CREATE TABLE deliveries ("
    " key TEXT PRIMARY KEY,"
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " measure TEXT NOT NULL,"
    " period_end TEXT NOT NULL,"
    " quantity_milli INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX deliveries_contract ON deliveries (partner, contract_id, measure);"
    "CREATE TABLE alerts ("
    " alert_id TEXT PRIMARY KEY,"
    " rule TEXT NOT NULL,"
    " severity TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " partner TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " message TEXT NOT NULL,"
    " at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX alerts_rule ON alerts (rule, state);"
    SV_STREAM_OFFSETS_SQL
    SV_STREAM_OUTBOX_SQL,
    //  2: the measure an alert is about (delivery.shortfall), so that
    //  reports can name it as the framework words it; '' for the others
    "ALTER TABLE alerts ADD COLUMN measure TEXT NOT NULL DEFAULT '';",
    NULL
};

struct _compliance_store_t {
    sv_db_t *db;
    msgpack_sbuffer buffer;     //  reused to encode alert events
};

compliance_store_t *
compliance_store_new (const char *path, const char **reason_p)
{
    sv_db_t *db = sv_db_new (path, s_migrations, reason_p);
    if (!db)
        return NULL;
    compliance_store_t *self = (compliance_store_t *) zmalloc (sizeof (compliance_store_t));
    self->db = db;
    msgpack_sbuffer_init (&self->buffer);
    return self;
}

void
compliance_store_destroy (compliance_store_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        sv_db_destroy (&(*self_p)->db);
        msgpack_sbuffer_destroy (&(*self_p)->buffer);
        free (*self_p);
        *self_p = NULL;
    }
}

sv_db_t *
compliance_store_db (compliance_store_t *self)
{
    assert (self);
    return self->db;
}

//  ==========================================================================
//  Facts from ingest

int
compliance_store_contract_put (compliance_store_t *self, const sv_proto_contract_t *contract)
{
    assert (self && contract);
    assert (sv_db_in_transaction (self->db));
    const char *texts [] = {
        contract->partner, contract->contract_id, contract->title, contract->supplier_key,
        contract->category, contract->start_date, contract->end_date, contract->rlw_in_scope
    };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO contracts (partner, contract_id, title, supplier_key, category,"
        " start_date, end_date, rlw_flag, rlw_commitment)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"), texts, 8);
    if (!stmt)
        return -1;
    sqlite3_bind_int (stmt, 9, contract->rlw_commitment);
    return sv_db_run (self->db, stmt);
}

int
compliance_store_supplier_put (compliance_store_t *self, const sv_proto_supplier_t *supplier)
{
    assert (self && supplier);
    assert (sv_db_in_transaction (self->db));
    const char *texts [] = {
        supplier->partner, supplier->supplier_key, supplier->name, supplier->rlw_expiry
    };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO suppliers (partner, supplier_key, name, expiry, accredited)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"), texts, 4);
    if (!stmt)
        return -1;
    sqlite3_bind_int (stmt, 5, supplier->rlw_accredited);
    return sv_db_run (self->db, stmt);
}

int
compliance_store_commitment_put (compliance_store_t *self, const char *key,
                                 const sv_proto_commitment_t *commitment)
{
    assert (self && key && commitment);
    assert (sv_db_in_transaction (self->db));
    const char *texts [] = {
        key, commitment->partner, commitment->contract_id, commitment->measure
    };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO commitments (key, partner, contract_id, measure, quantity_milli)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"), texts, 4);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 5, commitment->quantity_milli);
    return sv_db_run (self->db, stmt);
}

int
compliance_store_delivery_put (compliance_store_t *self, const char *key,
                               const sv_proto_delivery_t *delivery)
{
    assert (self && key && delivery);
    assert (sv_db_in_transaction (self->db));
    const char *texts [] = {
        key, delivery->partner, delivery->contract_id, delivery->measure, delivery->period_end
    };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO deliveries (key, partner, contract_id, measure, period_end,"
        " quantity_milli) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"), texts, 5);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 6, delivery->quantity_milli);
    return sv_db_run (self->db, stmt);
}

//  ==========================================================================
//  Reading facts for the rules

//  One query for the three ways of choosing contracts; the supplier's name
//  prefers the contract's own partner, accreditation takes any partner's.
#define S_CONTRACT_SELECT \
    "SELECT c.partner, c.contract_id, c.title, c.supplier_key, c.category," \
    " c.start_date, c.end_date, c.rlw_flag, c.rlw_commitment," \
    " COALESCE ((SELECT name FROM suppliers s WHERE s.supplier_key = c.supplier_key" \
    "            AND s.partner = c.partner)," \
    "           (SELECT MIN (name) FROM suppliers s WHERE s.supplier_key = c.supplier_key), '')," \
    " COALESCE ((SELECT MAX (accredited) FROM suppliers s" \
    "            WHERE s.supplier_key = c.supplier_key), 0)," \
    " COALESCE ((SELECT MAX (expiry) FROM suppliers s" \
    "            WHERE s.supplier_key = c.supplier_key AND accredited), '')" \
    " FROM contracts c"

int
compliance_store_contracts_each (compliance_store_t *self, const char *partner,
                                 const char *contract_id, const char *supplier_key,
                                 compliance_store_contract_fn *fn, void *arg)
{
    assert (self && fn);
    sqlite3_stmt *stmt;
    if (contract_id) {
        assert (partner);
        const char *texts [] = { partner, contract_id };
        stmt = sv_db_bind_texts (sv_db_stmt (self->db, S_CONTRACT_SELECT
            " WHERE c.partner = ?1 AND c.contract_id = ?2"), texts, 2);
    }
    else
    if (supplier_key)
        stmt = sv_db_bind_texts (sv_db_stmt (self->db, S_CONTRACT_SELECT
            " WHERE c.supplier_key = ?1 ORDER BY c.partner, c.contract_id"), &supplier_key, 1);
    else
        stmt = sv_db_stmt (self->db, S_CONTRACT_SELECT " ORDER BY c.partner, c.contract_id");
    if (!stmt)
        return -1;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        compliance_rules_contract_t contract = {
            .partner = sv_db_text (stmt, 0), .contract_id = sv_db_text (stmt, 1),
            .title = sv_db_text (stmt, 2), .supplier_key = sv_db_text (stmt, 3),
            .category = sv_db_text (stmt, 4), .start_date = sv_db_text (stmt, 5),
            .end_date = sv_db_text (stmt, 6), .rlw_flag = sv_db_text (stmt, 7),
            .rlw_commitment = sqlite3_column_int (stmt, 8) != 0,
            .supplier_name = sv_db_text (stmt, 9),
            .supplier_accredited = sqlite3_column_int (stmt, 10) != 0,
            .supplier_expiry = sv_db_text (stmt, 11)
        };
        rc = fn (&contract, arg);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_reset (stmt);
    return rc;
}

int
compliance_store_measures_each (compliance_store_t *self, const char *partner,
                                const char *contract_id,
                                compliance_store_measure_fn *fn, void *arg)
{
    assert (self && partner && contract_id && fn);
    const char *texts [] = { partner, contract_id };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT measure, SUM (quantity_milli),"
        " COALESCE ((SELECT SUM (d.quantity_milli) FROM deliveries d"
        "            WHERE d.partner = ?1 AND d.contract_id = ?2 AND d.measure = c.measure), 0)"
        " FROM commitments c WHERE partner = ?1 AND contract_id = ?2"
        " GROUP BY measure ORDER BY measure"), texts, 2);
    if (!stmt)
        return -1;
    //  Copied out first: fn may write to the store
    zlistx_t *rows = zlistx_new ();
    zlistx_set_destructor (rows, (zlistx_destructor_fn *) zstr_free);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW)
        zlistx_add_end (rows, zsys_sprintf ("%" PRId64 " %" PRId64 " %s",
                                            (int64_t) sqlite3_column_int64 (stmt, 1),
                                            (int64_t) sqlite3_column_int64 (stmt, 2),
                                            sv_db_text (stmt, 0)));
    sqlite3_reset (stmt);
    int rc = step == SQLITE_DONE? 0: -1;
    for (char *row = (char *) zlistx_first (rows); row && rc == 0;
         row = (char *) zlistx_next (rows)) {
        int64_t committed, delivered;
        int offset = 0;
        if (sscanf (row, "%" SCNd64 " %" SCNd64 " %n", &committed, &delivered, &offset) == 2)
            rc = fn (row + offset, committed, delivered, arg);
    }
    zlistx_destroy (&rows);
    return rc;
}

int
compliance_store_returns (compliance_store_t *self, const char *partner,
                          const char *contract_id, char *latest)
{
    assert (self && partner && contract_id && latest);
    const char *texts [] = { partner, contract_id };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT EXISTS (SELECT 1 FROM commitments WHERE partner = ?1 AND contract_id = ?2),"
        " COALESCE ((SELECT MAX (period_end) FROM deliveries"
        "            WHERE partner = ?1 AND contract_id = ?2), '')"), texts, 2);
    if (!stmt)
        return -1;
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        rc = sqlite3_column_int (stmt, 0);
        snprintf (latest, 11, "%s", sv_db_text (stmt, 1));
    }
    sqlite3_reset (stmt);
    return rc;
}

int
compliance_store_accredited_each (compliance_store_t *self, const char *supplier_key,
                                  compliance_store_supplier_fn *fn, void *arg)
{
    assert (self && fn);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "WITH accredited AS ("
        "  SELECT supplier_key, MAX (expiry) AS expiry FROM suppliers"
        "  WHERE accredited AND (?1 IS NULL OR supplier_key = ?1) GROUP BY supplier_key),"
        " concerned AS ("
        "  SELECT DISTINCT c.supplier_key, c.partner FROM contracts c"
        "  JOIN accredited a ON a.supplier_key = c.supplier_key"
        "  UNION"
        "  SELECT s.supplier_key, s.partner FROM suppliers s"
        "  JOIN accredited a ON a.supplier_key = s.supplier_key WHERE s.accredited"
        "  AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.supplier_key = s.supplier_key))"
        " SELECT a.supplier_key, p.partner,"
        "  COALESCE ((SELECT name FROM suppliers s WHERE s.supplier_key = a.supplier_key"
        "             AND s.partner = p.partner AND name != ''),"
        "            (SELECT MIN (name) FROM suppliers s WHERE s.supplier_key = a.supplier_key"
        "             AND name != ''), ''),"
        "  a.expiry"
        " FROM accredited a JOIN concerned p ON p.supplier_key = a.supplier_key"
        " ORDER BY a.supplier_key, p.partner");
    if (!stmt)
        return -1;
    if (supplier_key)
        sqlite3_bind_text (stmt, 1, supplier_key, -1, SQLITE_STATIC);
    zlistx_t *rows = zlistx_new ();
    zlistx_set_destructor (rows, (zlistx_destructor_fn *) zstr_free);
    int step;
    //  Unit-separated, copied out first: fn may write to the store
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW)
        zlistx_add_end (rows, zsys_sprintf ("%s\x1f%s\x1f%s\x1f%s", sv_db_text (stmt, 0),
                                            sv_db_text (stmt, 1), sv_db_text (stmt, 2),
                                            sv_db_text (stmt, 3)));
    sqlite3_reset (stmt);
    int rc = step == SQLITE_DONE? 0: -1;
    for (char *row = (char *) zlistx_first (rows); row && rc == 0;
         row = (char *) zlistx_next (rows)) {
        char *fields [4] = { row };
        for (int index = 1; index < 4; index++) {
            fields [index] = strchr (fields [index - 1], '\x1f');
            *fields [index]++ = 0;
        }
        rc = fn (fields [0], fields [1], fields [2], fields [3], arg);
    }
    zlistx_destroy (&rows);
    return rc;
}

//  ==========================================================================
//  Alerts

int
compliance_store_alert_get (compliance_store_t *self, const char *alert_id,
                            sv_proto_alert_t *alert)
{
    assert (self && alert_id && alert);
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT rule, severity, state, partner, supplier_key, contract_id, message, at,"
        " measure FROM alerts WHERE alert_id = ?1"), &alert_id, 1);
    if (!stmt)
        return -1;
    int step = sqlite3_step (stmt);
    if (step == SQLITE_ROW)
        *alert = (sv_proto_alert_t) {
            .alert_id = strdup (alert_id), .rule = strdup (sv_db_text (stmt, 0)),
            .severity = strdup (sv_db_text (stmt, 1)), .state = strdup (sv_db_text (stmt, 2)),
            .partner = strdup (sv_db_text (stmt, 3)), .supplier_key = strdup (sv_db_text (stmt, 4)),
            .contract_id = strdup (sv_db_text (stmt, 5)), .message = strdup (sv_db_text (stmt, 6)),
            .at = strdup (sv_db_text (stmt, 7)), .measure = strdup (sv_db_text (stmt, 8))
        };
    sqlite3_reset (stmt);
    return step == SQLITE_ROW? 1: step == SQLITE_DONE? 0: -1;
}

void
compliance_store_alert_free (sv_proto_alert_t *alert)
{
    assert (alert);
    char **texts [] = {
        &alert->alert_id, &alert->rule, &alert->severity, &alert->state, &alert->partner,
        &alert->supplier_key, &alert->contract_id, &alert->message, &alert->at,
        &alert->measure
    };
    for (size_t index = 0; index < sizeof texts / sizeof texts [0]; index++)
        zstr_free (texts [index]);
}

int
compliance_store_alert_put (compliance_store_t *self, const sv_proto_alert_t *alert, bool event)
{
    assert (self && alert);
    assert (sv_db_in_transaction (self->db));
    const char *texts [] = {
        alert->alert_id, alert->rule, alert->severity, alert->state, alert->partner,
        alert->supplier_key, alert->contract_id, alert->message, alert->at,
        alert->measure? alert->measure: ""
    };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO alerts (alert_id, rule, severity, state, partner, supplier_key,"
        " contract_id, message, at, measure) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        texts, 10);
    if (!stmt || sv_db_run (self->db, stmt))
        return -1;
    if (!event)
        return 0;
    sv_proto_t message = { .id = SV_PROTO_ALERT, .alert = *alert };
    self->buffer.size = 0;
    if (sv_proto_encode (&message, &self->buffer))
        return -1;
    return sv_stream_append (self->db, "ALERT", alert->alert_id,
                             (const uint8_t *) self->buffer.data, self->buffer.size) < 0? -1: 0;
}

int
compliance_store_alerts_unresolved (compliance_store_t *self, const char *rule,
                                    int (*fn) (const char *alert_id, void *arg), void *arg)
{
    assert (self && rule && fn);
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT alert_id FROM alerts WHERE rule = ?1 AND state != 'resolved'"
        " ORDER BY alert_id"), &rule, 1);
    if (!stmt)
        return -1;
    zlistx_t *ids = zlistx_new ();
    zlistx_set_destructor (ids, (zlistx_destructor_fn *) zstr_free);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW)
        zlistx_add_end (ids, strdup (sv_db_text (stmt, 0)));
    sqlite3_reset (stmt);
    int rc = step == SQLITE_DONE? 0: -1;
    for (const char *id = (const char *) zlistx_first (ids); id && rc == 0;
         id = (const char *) zlistx_next (ids))
        rc = fn (id, arg);
    zlistx_destroy (&ids);
    return rc;
}

int64_t
compliance_store_count (compliance_store_t *self, const char *table)
{
    assert (self && table);
    static const char *const tables [] = {
        "contracts", "suppliers", "commitments", "deliveries", "alerts", "outbox"
    };
    for (size_t index = 0; index < sizeof tables / sizeof tables [0]; index++)
        if (streq (table, tables [index])) {
            char sql [64];
            snprintf (sql, sizeof sql, "SELECT COUNT(*) FROM %s", tables [index]);
            return sv_db_int (self->db, sql, -1);
        }
    return -1;
}

int64_t
compliance_store_alert_count (compliance_store_t *self, const char *state)
{
    assert (self && state);
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT COUNT(*) FROM alerts WHERE state = ?1"), &state, 1);
    int64_t count = -1;
    if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
    if (stmt)
        sqlite3_reset (stmt);
    return count;
}

//  ==========================================================================
//  Self-test

static int
s_test_contract (const compliance_rules_contract_t *contract, void *arg)
{
    zlistx_t *seen = (zlistx_t *) arg;
    zlistx_add_end (seen, zsys_sprintf ("%s/%s %s accredited=%d expiry=%s commitment=%d",
        contract->partner, contract->contract_id, contract->supplier_name,
        contract->supplier_accredited, contract->supplier_expiry, contract->rlw_commitment));
    return 0;
}

static int
s_test_measure (const char *measure, int64_t committed, int64_t delivered, void *arg)
{
    zlistx_t *seen = (zlistx_t *) arg;
    zlistx_add_end (seen, zsys_sprintf ("%s %" PRId64 " %" PRId64, measure, committed, delivered));
    return 0;
}

static int
s_test_accredited (const char *supplier_key, const char *partner, const char *name,
                   const char *expiry, void *arg)
{
    zlistx_add_end ((zlistx_t *) arg, zsys_sprintf ("%s %s %s %s", supplier_key, partner,
                                                    name, expiry));
    return 0;
}

static int
s_test_unresolved (const char *alert_id, void *arg)
{
    (*(int *) arg)++;
    (void) alert_id;
    return 0;
}

void
compliance_store_test (bool verbose)
{
    if (verbose)
        printf (" * compliance_store: ");
    const char *path = "/tmp/compliance_store_test.db";
    sv_db_remove_files (path);
    compliance_store_t *store = compliance_store_new (path, NULL);
    assert (store);
    sv_db_t *db = compliance_store_db (store);

    //  Two partners record the same supplier; only the police say accredited
    assert (sv_db_begin (db) == 0);
    sv_proto_supplier_t supplier = {
        .partner = "council", .supplier_key = "CH:01234567", .name = "Brightclean Ltd",
        .rlw_expiry = ""
    };
    assert (compliance_store_supplier_put (store, &supplier) == 0);
    supplier = (sv_proto_supplier_t) {
        .partner = "police", .supplier_key = "CH:01234567", .name = "BRIGHTCLEAN LIMITED",
        .rlw_accredited = true, .rlw_expiry = "2026-03-31"
    };
    assert (compliance_store_supplier_put (store, &supplier) == 0);
    sv_proto_contract_t contract = {
        .partner = "council", .contract_id = "C-1", .title = "Office cleaning",
        .supplier_key = "CH:01234567", .category = "Cleaning", .start_date = "2025-04-01",
        .end_date = "2026-03-31", .rlw_in_scope = "", .rlw_commitment = false
    };
    assert (compliance_store_contract_put (store, &contract) == 0);
    //  A commitment sent twice under one key counts once, as its last value
    sv_proto_commitment_t commitment = {
        .partner = "council", .contract_id = "C-1", .measure = "ILR-01", .year = "2025-26",
        .quantity_milli = 10000
    };
    assert (compliance_store_commitment_put (store, "council|C-1|ILR-01|2025-26", &commitment) == 0);
    commitment.quantity_milli = 52000;
    assert (compliance_store_commitment_put (store, "council|C-1|ILR-01|2025-26", &commitment) == 0);
    sv_proto_delivery_t delivery = {
        .partner = "council", .contract_id = "C-1", .measure = "ILR-01",
        .period_start = "2025-04-01", .period_end = "2025-06-30", .quantity_milli = 9000
    };
    assert (compliance_store_delivery_put (store, "d1", &delivery) == 0);
    delivery.period_start = "2025-07-01";
    delivery.period_end = "2025-09-30";
    delivery.quantity_milli = 4500;
    assert (compliance_store_delivery_put (store, "d2", &delivery) == 0);
    assert (sv_db_commit (db) == 0);

    zlistx_t *seen = zlistx_new ();
    zlistx_set_destructor (seen, (zlistx_destructor_fn *) zstr_free);
    assert (compliance_store_contracts_each (store, NULL, NULL, "CH:01234567",
                                             s_test_contract, seen) == 0);
    assert (zlistx_size (seen) == 1);
    assert (streq ((char *) zlistx_first (seen),
                   "council/C-1 Brightclean Ltd accredited=1 expiry=2026-03-31 commitment=0"));
    //  The police record the accreditation, the council holds the contract:
    //  the lapse concerns the council, under the council's name for it
    zlistx_purge (seen);
    assert (compliance_store_accredited_each (store, NULL, s_test_accredited, seen) == 0);
    assert (zlistx_size (seen) == 1);
    assert (streq ((char *) zlistx_first (seen), "CH:01234567 council Brightclean Ltd 2026-03-31"));
    zlistx_purge (seen);
    assert (compliance_store_measures_each (store, "council", "C-1", s_test_measure, seen) == 0);
    assert (zlistx_size (seen) == 1);
    assert (streq ((char *) zlistx_first (seen), "ILR-01 52000 13500"));
    zlistx_destroy (&seen);
    char latest [11];
    assert (compliance_store_returns (store, "council", "C-1", latest) == 1);
    assert (streq (latest, "2025-09-30"));
    assert (compliance_store_returns (store, "council", "C-2", latest) == 0);
    assert (streq (latest, ""));

    //  An alert written with its event lands in the outbox once
    assert (sv_db_begin (db) == 0);
    sv_proto_alert_t alert = {
        .alert_id = "rlw.missing_commitment/council/C-1", .rule = "rlw.missing_commitment",
        .severity = "high", .state = "open", .partner = "council",
        .supplier_key = "CH:01234567", .contract_id = "C-1", .message = "no commitment",
        .at = "2025-05-01T00:00:00Z"
    };
    assert (compliance_store_alert_put (store, &alert, true) == 0);
    assert (sv_db_commit (db) == 0);
    sv_proto_alert_t read = { 0 };
    assert (compliance_store_alert_get (store, alert.alert_id, &read) == 1);
    assert (streq (read.state, "open") && streq (read.message, "no commitment"));
    assert (streq (read.measure, ""));
    compliance_store_alert_free (&read);
    //  An alert about a measure keeps it
    alert.alert_id = "delivery.shortfall/council/C-1/NT1";
    alert.rule = "delivery.shortfall";
    alert.measure = "NT1";
    alert.state = "resolved";
    assert (sv_db_begin (db) == 0);
    assert (compliance_store_alert_put (store, &alert, false) == 0);
    assert (sv_db_commit (db) == 0);
    assert (compliance_store_alert_get (store, alert.alert_id, &read) == 1);
    assert (streq (read.measure, "NT1"));
    compliance_store_alert_free (&read);
    assert (compliance_store_alert_get (store, "nothing", &read) == 0);
    assert (compliance_store_count (store, "outbox") == 1);
    assert (compliance_store_alert_count (store, "open") == 1);
    int unresolved = 0;
    assert (compliance_store_alerts_unresolved (store, "rlw.missing_commitment",
                                                s_test_unresolved, &unresolved) == 0);
    assert (unresolved == 1);
    assert (compliance_store_count (store, "nonsense") == -1);

    compliance_store_destroy (&store);
    compliance_store_destroy (&store);
    sv_db_remove_files (path);
    if (verbose)
        printf ("OK\n");
}
