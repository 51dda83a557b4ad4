/*  reporting_store: reporting's SQLite store. See reporting_store.h.

    Footprint. payments is the big table (a row per payment line, a
    million a year for a large council), written by reporting_payments: it
    holds what socval explain and the open-data pack show of a payment (the
    year and month as integers, 2024 and 202405; amount; payee; date; the
    ingest seq; and the event key, the one wide column, which superseding
    needs), with no index but the key's. Reports never read it: they sum
    spend_sums, a row a partner, year, month and payee, joined with the
    payee's place (the spend_totals view); explain and the pack scan it
    joined the same way (spend_lines). value_lines leaves a measure's
    theme, unit and description to the measures table (a row a framework
    and code), and is read through an index on (fy, partner), and one on
    (partner, contract_id, measure) for an alert's measure. Measured at a
    million payments: 105 MB of store, about 105 bytes a payment all told.

    A report runs all its queries inside one savepoint, so it reflects a
    single snapshot even when the store is shared with a writer.
*/

#include "reporting_store.h"
#include "reporting_store_kpi.h"
#include "reporting_payments.h"
#include "reporting_kpi.h"
#include "compliance_alert.h"
#include "sv_date.h"
#include "sv_stream.h"

//  Locality as stored in spend_lines.locality
#define S_LOCAL         0
#define S_NON_LOCAL     1
#define S_UNKNOWN       2

//  Evidence as stored in value_lines.evidence: the bit of a counted-states
//  mask, so "(?3 >> evidence) & 1" says whether a delivery counts. A
//  commitment, or a delivery of unreadable evidence, is 0: never counted
//  as delivered.
#define S_EVIDENCE_NONE 0
#define S_ALL_EVIDENCE  ((1 << 1) | (1 << 2) | (1 << 3))

static const char *const s_evidence_names [] = { "", "claimed", "evidenced", "validated" };

//  Alerts resolved within this many days of a report's created date are
//  listed in the alerts report
#define S_RECENT_DAYS   90

static const char *const s_migrations [] = {
    //  1: the read model, schedules, offsets of the three upstreams, and
    //  the outbox of the reporting stream
    "CREATE TABLE partners ("
    " name TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE TABLE suppliers ("
    " partner TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " postcode TEXT NOT NULL,"
    " sme INTEGER NOT NULL,"
    " vcse INTEGER NOT NULL,"
    " rlw_accredited INTEGER NOT NULL,"
    " rlw_expiry TEXT NOT NULL,"
    " PRIMARY KEY (partner, supplier_key)) WITHOUT ROWID;"
    //  A supplier's other partners' records, for names and accreditation
    "CREATE INDEX suppliers_key ON suppliers (supplier_key);"
    "CREATE TABLE contracts ("
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " category TEXT NOT NULL,"
    " value_pence INTEGER NOT NULL,"
    " start_date TEXT NOT NULL,"
    " end_date TEXT NOT NULL,"
    " rlw_in_scope TEXT NOT NULL,"
    " rlw_commitment INTEGER NOT NULL,"
    " incomplete INTEGER NOT NULL,"
    " PRIMARY KEY (partner, contract_id)) WITHOUT ROWID;"
    //  fy and month are NULL when valuation could not date the payment
    "CREATE TABLE spend_lines ("
    " key TEXT NOT NULL UNIQUE,"
    " partner TEXT NOT NULL,"
    " fy INTEGER,"
    " month INTEGER,"
    " amount_pence INTEGER NOT NULL,"
    " locality INTEGER NOT NULL,"
    " ward_code TEXT NOT NULL,"
    " sme INTEGER NOT NULL,"
    " vcse INTEGER NOT NULL);"
    "CREATE INDEX spend_lines_year ON spend_lines (fy, partner);"
    "CREATE TABLE wards ("
    " code TEXT PRIMARY KEY,"
    " name TEXT NOT NULL) WITHOUT ROWID;"
    //  kind 0 committed, 1 delivered; flagged 1 when valuation flagged it
    "CREATE TABLE value_lines ("
    " key TEXT NOT NULL UNIQUE,"
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " measure TEXT NOT NULL,"
    " kind INTEGER NOT NULL,"
    " fy INTEGER,"
    " ward TEXT NOT NULL,"
    " beneficiary_group TEXT NOT NULL,"
    " evidence INTEGER NOT NULL,"
    " flagged INTEGER NOT NULL,"
    " quantity_milli INTEGER NOT NULL,"
    " value_pence INTEGER NOT NULL);"
    "CREATE INDEX value_lines_year ON value_lines (fy, partner);"
    "CREATE TABLE measures ("
    " measure TEXT PRIMARY KEY,"
    " theme TEXT NOT NULL,"
    " unit TEXT NOT NULL,"
    " description TEXT NOT NULL) WITHOUT ROWID;"
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
    "CREATE TABLE schedules ("
    " name TEXT PRIMARY KEY,"
    " fired INTEGER NOT NULL) WITHOUT ROWID;"
    SV_STREAM_OFFSETS_SQL
    SV_STREAM_OUTBOX_SQL,
    //  2: the framework and version each line was valued with, so that a
    //  report can say what its pounds rest on; and the supplier's
    //  employee-owned flag on each payment, as sme and vcse are kept.
    //  Lines stored before carry '' and 0 until valuation sends them again.
    "ALTER TABLE value_lines ADD COLUMN framework TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE value_lines ADD COLUMN framework_version TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE spend_lines ADD COLUMN employee_owned INTEGER NOT NULL DEFAULT 0;",
    //  3: the latest period_end of any delivery return on each contract,
    //  from ingest's DELIVERY events, for the contracts report's last
    //  return and next return due (compliance's delivery.overdue reads the
    //  same). Only grows: a return, once received, covers its period.
    //  Ingest is read again from its start to fill it: every apply is an
    //  upsert, so suppliers and contracts come out as they were.
    "CREATE TABLE returns ("
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " period_end TEXT NOT NULL,"
    " PRIMARY KEY (partner, contract_id)) WITHOUT ROWID;"
    "DELETE FROM offsets WHERE stream = 'ingest';",
    //  4: the measure an alert is about (compliance's delivery.shortfall),
    //  so that a report names it as the framework words it; '' for the
    //  others, and for alerts kept before until compliance changes them
    "ALTER TABLE alerts ADD COLUMN measure TEXT NOT NULL DEFAULT '';"
    //  and each measure's outcome and whether its framework values it at
    //  all (record_only 1: a metric counted in its unit, never in £)
    "ALTER TABLE measures ADD COLUMN outcome TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE measures ADD COLUMN record_only INTEGER NOT NULL DEFAULT 0;"
    //  and the year whose proxy valued each line (NULL: none, or a line
    //  kept before, until valuation sends it again)
    "ALTER TABLE value_lines ADD COLUMN proxy_fy INTEGER;",
    //  5: where the postcode that placed each payment came from (S_PLACE_*):
    //  the payment's own, the partner's supplier feed, or Companies House's
    //  registered office; NULL for lines valuation sent before it said
    "ALTER TABLE spend_lines ADD COLUMN place_source INTEGER;"
    //  and what Companies House's register says of a supplier key (COMPANY):
    //  the RLW category its SIC codes suggest, shown beside a contract's
    //  own category. scope as valuation's: "" for CH: and NAME: keys, the
    //  partner for its own supplier ids (ID:)
    "CREATE TABLE companies ("
    " scope TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " company_number TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " dissolved TEXT NOT NULL,"
    " sic_codes TEXT NOT NULL,"
    " rlw_category TEXT NOT NULL,"
    " PRIMARY KEY (scope, supplier_key)) WITHOUT ROWID;",
    //  6: what socval explain shows of each line: the ingest event it was
    //  read from (source_seq), the supplier paid or contracted, the date
    //  and, for a payment, the postcode its locality was decided on and
    //  why (the rule and directory, interned once each in localities, as
    //  ward names are in wards); for a valued line, the proxy applied.
    //  About 30 bytes more a payment. And a supplier's employee-owned and
    //  redacted flags, for the open-data pack. Ingest and valuation are
    //  read again from their start to fill them: every apply is an
    //  upsert. Lines valued before valuation said why keep place NULL
    //  until valued again.
    "ALTER TABLE spend_lines ADD COLUMN source_seq INTEGER;"
    "ALTER TABLE spend_lines ADD COLUMN supplier_key TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE spend_lines ADD COLUMN payment_date TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE spend_lines ADD COLUMN postcode TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE spend_lines ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE spend_lines ADD COLUMN place INTEGER;"
    "CREATE TABLE localities ("
    " id INTEGER PRIMARY KEY,"
    " reason TEXT NOT NULL,"
    " directory TEXT NOT NULL,"
    " UNIQUE (reason, directory));"
    "ALTER TABLE value_lines ADD COLUMN source_seq INTEGER;"
    "ALTER TABLE value_lines ADD COLUMN supplier_key TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE value_lines ADD COLUMN proxy_pence INTEGER;"
    "ALTER TABLE suppliers ADD COLUMN employee_owned INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE suppliers ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;"
    "DELETE FROM offsets WHERE stream IN ('ingest', 'valuation');",
    //  7: contracts' KPIs (ingest's KPI events, protocol 2), one target a
    //  year, for the kpi report; actual_milli is NULL when none was given
    "CREATE TABLE kpis ("
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " kpi_id TEXT NOT NULL,"
    " fy INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " unit TEXT NOT NULL,"
    " target_milli INTEGER NOT NULL,"
    " actual_milli INTEGER,"
    " lower_is_better INTEGER NOT NULL,"
    " measure TEXT NOT NULL,"
    " ocid TEXT NOT NULL,"
    " PRIMARY KEY (fy, partner, contract_id, kpi_id)) WITHOUT ROWID;",
    //  8: the time a report was first made at each set of stream offsets,
    //  so that every report and pack made at the same offsets carries the
    //  same created, and its dates, byte for byte (reporting_store_stamp)
    "CREATE TABLE stamps ("
    " ingest INTEGER NOT NULL,"
    " valuation INTEGER NOT NULL,"
    " compliance INTEGER NOT NULL,"
    " created TEXT NOT NULL,"
    " PRIMARY KEY (ingest, valuation, compliance)) WITHOUT ROWID;",
    //  9: payments from ingest, placed by their payee. Valuation no longer
    //  sends a line a payment: it places each payee (a partner's supplier
    //  and the postcode its payments give) and sends a PLACE when that
    //  changes; places holds the latest of each. payments holds what socval
    //  explain and the open-data pack show of each payment (from ingest's
    //  SPEND), one B-tree write and its key's; spend_sums what the reports
    //  sum, a row a partner, year, month and payee (a few thousand, where
    //  payments are a million), kept by reporting_payments as payments come
    //  and go. A payee is found by its id (reporting_payments_payee: the
    //  64-bit hash of partner, supplier and postcode), and always checked
    //  against its key. The views join each with its place: spend_lines a payment
    //  a row, as the table of that name held before, spend_totals a sum a
    //  row; a payment whose payee has no place yet is unknown, and fy and
    //  month are NULL for a date that does not read (0 in spend_sums).
    //  Ingest and valuation are read again from the start.
    "DROP TABLE spend_lines;"
    "CREATE TABLE payments ("
    " key TEXT NOT NULL UNIQUE,"
    " partner TEXT NOT NULL,"
    " fy INTEGER,"
    " month INTEGER,"
    " amount_pence INTEGER NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " given_postcode TEXT NOT NULL,"
    " payee INTEGER NOT NULL,"
    " payment_date TEXT NOT NULL,"
    " source_seq INTEGER NOT NULL,"
    " redacted INTEGER NOT NULL);"
    "CREATE TABLE spend_sums ("
    " id INTEGER PRIMARY KEY,"
    " fy INTEGER NOT NULL,"
    " partner TEXT NOT NULL,"
    " month INTEGER NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " given_postcode TEXT NOT NULL,"
    " payee INTEGER NOT NULL,"
    " payments INTEGER NOT NULL,"
    " pence INTEGER NOT NULL);"
    "CREATE TABLE places ("
    " id INTEGER PRIMARY KEY,"
    " partner TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " postcode TEXT NOT NULL,"
    " locality INTEGER NOT NULL,"
    " ward_code TEXT NOT NULL,"
    " sme INTEGER NOT NULL,"
    " vcse INTEGER NOT NULL,"
    " employee_owned INTEGER NOT NULL,"
    " place_source INTEGER NOT NULL,"
    " place_postcode TEXT NOT NULL,"
    " place INTEGER);"
    "CREATE VIEW spend_lines AS SELECT s.rowid AS rowid, s.key AS key,"
    " s.partner AS partner, s.fy AS fy, s.month AS month,"
    " s.amount_pence AS amount_pence, s.supplier_key AS supplier_key,"
    " s.payment_date AS payment_date, s.source_seq AS source_seq,"
    " s.redacted AS redacted, coalesce (p.locality, 2) AS locality,"
    " coalesce (p.ward_code, '') AS ward_code, coalesce (p.sme, 0) AS sme,"
    " coalesce (p.vcse, 0) AS vcse, coalesce (p.employee_owned, 0) AS employee_owned,"
    " coalesce (p.place_source, 0) AS place_source,"
    " coalesce (p.place_postcode, '') AS postcode, p.place AS place"
    " FROM payments s LEFT JOIN places p ON p.id = s.payee AND p.partner = s.partner"
    " AND p.supplier_key = s.supplier_key AND p.postcode = s.given_postcode;"
    "CREATE VIEW spend_totals AS SELECT nullif (g.fy, 0) AS fy, g.partner AS partner,"
    " nullif (g.month, 0) AS month, g.supplier_key AS supplier_key,"
    " g.payments AS payments, g.pence AS amount_pence,"
    " coalesce (p.locality, 2) AS locality, coalesce (p.ward_code, '') AS ward_code,"
    " coalesce (p.sme, 0) AS sme, coalesce (p.vcse, 0) AS vcse,"
    " coalesce (p.employee_owned, 0) AS employee_owned,"
    " coalesce (p.place_source, 0) AS place_source"
    " FROM spend_sums g LEFT JOIN places p ON p.id = g.payee AND p.partner = g.partner"
    " AND p.supplier_key = g.supplier_key AND p.postcode = g.given_postcode;"
    "DELETE FROM offsets WHERE stream IN ('ingest', 'valuation');",
    //  10: measures keyed by framework and code, not code alone: the
    //  council's TOMs and a trust's Social Value Model (or two TOMs
    //  editions) may use one code for different measures, with their own
    //  units and descriptions. A code's row is kept for every framework
    //  value_lines show using it, and under framework '' when no line
    //  does (an alert may still name it), so an upgraded store keeps its
    //  descriptions; valuation is read again from its start (every apply
    //  is an upsert) so that each framework's rows become its own, where
    //  the one row held the last valued framework's. An alert's measure is
    //  worded as its contract's lines' framework words it, found through
    //  value_lines_contract (without it, a scan of every line an alert)
    "CREATE TABLE framework_measures ("
    " framework TEXT NOT NULL,"
    " measure TEXT NOT NULL,"
    " theme TEXT NOT NULL,"
    " unit TEXT NOT NULL,"
    " description TEXT NOT NULL,"
    " outcome TEXT NOT NULL,"
    " record_only INTEGER NOT NULL,"
    " PRIMARY KEY (framework, measure)) WITHOUT ROWID;"
    "INSERT INTO framework_measures SELECT coalesce(v.framework, ''), m.measure, m.theme,"
    " m.unit, m.description, m.outcome, m.record_only FROM measures m"
    " LEFT JOIN (SELECT DISTINCT framework, measure FROM value_lines) v"
    " ON v.measure = m.measure;"
    "DROP TABLE measures;"
    "ALTER TABLE framework_measures RENAME TO measures;"
    "CREATE INDEX value_lines_contract ON value_lines (partner, contract_id, measure);"
    "DELETE FROM offsets WHERE stream = 'valuation';",
    NULL
};

//  spend_lines.place_source, and its names in reports
#define S_PLACE_NONE        0
#define S_PLACE_PAYMENT     1
#define S_PLACE_SUPPLIER    2
#define S_PLACE_REGISTERED  3
static const char *const s_place_names [] = {
    "none", "payment", "supplier", "registered_office"
};

struct _reporting_store_t {
    sv_db_t *db;
    char *path;                     //  the store's file
    sv_db_t *committed;             //  a reader's connection, opened when first needed
    reporting_payments_t *payments; //  payments taken, not yet written
    char reason [256];              //  why the last report was refused
    char place [512];               //  the last locality rule interned, as
    int64_t place_id;               //  "reason\x1fdirectory", and its id
};

reporting_store_t *
reporting_store_new (const char *path, const char **reason_p)
{
    assert (path);
    sv_db_t *db = sv_db_new (path, s_migrations, reason_p);
    if (!db)
        return NULL;
    //  A long catch-up's commits (a million payments) should not stop to
    //  copy the log
    if (sv_db_checkpoint_behind (db, SV_DB_LOG_MAX))
        zsys_warning ("reporting: checkpoints stay with commits: %s",
                      sqlite3_errmsg (sv_db_handle (db)));
    reporting_store_t *self = (reporting_store_t *) zmalloc (sizeof (reporting_store_t));
    self->db = db;
    self->path = strdup (path);
    self->payments = reporting_payments_new (db);
    return self;
}

void
reporting_store_destroy (reporting_store_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        reporting_payments_destroy (&(*self_p)->payments);
        sv_db_destroy (&(*self_p)->committed);
        sv_db_destroy (&(*self_p)->db);
        zstr_free (&(*self_p)->path);
        free (*self_p);
        *self_p = NULL;
    }
}

sv_db_t *
reporting_store_db (reporting_store_t *self)
{
    assert (self);
    return self->db;
}


//  ==========================================================================
//  Applying events

static int
s_partner_seen (reporting_store_t *self, const char *partner)
{
    if (!*partner)
        return 0;
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT INTO partners (name) VALUES (?1) ON CONFLICT DO NOTHING");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, partner, -1, SQLITE_STATIC);
    return sv_db_run (self->db, stmt);
}

static int
s_apply_supplier (reporting_store_t *self, const sv_proto_supplier_t *supplier)
{
    const char *texts [] = { supplier->partner, supplier->supplier_key, supplier->name,
                             supplier->postcode, supplier->rlw_expiry };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO suppliers (partner, supplier_key, name, postcode, rlw_expiry,"
        " sme, vcse, rlw_accredited, employee_owned, redacted)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"), texts, 5);
    if (!stmt)
        return -1;
    sqlite3_bind_int (stmt, 6, supplier->sme);
    sqlite3_bind_int (stmt, 7, supplier->vcse);
    sqlite3_bind_int (stmt, 8, supplier->rlw_accredited);
    sqlite3_bind_int (stmt, 9, supplier->employee_owned);
    sqlite3_bind_int (stmt, 10, supplier->redacted);
    return sv_db_run (self->db, stmt);
}

static int
s_apply_contract (reporting_store_t *self, const sv_proto_contract_t *contract)
{
    const char *texts [] = { contract->partner, contract->contract_id, contract->title,
                             contract->supplier_key, contract->category, contract->start_date,
                             contract->end_date, contract->rlw_in_scope };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO contracts (partner, contract_id, title, supplier_key, category,"
        " start_date, end_date, rlw_in_scope, value_pence, rlw_commitment, incomplete)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"), texts, 8);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 9, contract->value_pence);
    sqlite3_bind_int (stmt, 10, contract->rlw_commitment);
    sqlite3_bind_int (stmt, 11, contract->incomplete);
    return sv_db_run (self->db, stmt);
}

//  Binds a financial year ("2024-25") as its starting year, or NULL
static void
s_bind_fy (sqlite3_stmt *stmt, int index, const char *year)
{
    int fy;
    if (sv_date_fy_parse (year, &fy) == 0)
        sqlite3_bind_int (stmt, index, fy);
    else
        sqlite3_bind_null (stmt, index);
}

//  Keeps the directory's name of a ward code, the latest given, for every
//  report that shows the ward (spend and delivered alike); nothing when
//  either is "". 0 or -1.
static int
s_ward_name (reporting_store_t *self, const char *code, const char *name)
{
    if (!*code || !*name)
        return 0;
    const char *ward [] = { code, name };
    return sv_db_run (self->db, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO wards (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE"
        " SET name = excluded.name WHERE name != excluded.name"), ward, 2));
}

//  The id of a locality rule (why valuation placed a payment where it
//  did) and the directory it used, interning the pair; 0 when the line
//  says no reason (valued before valuation said why), -1 on error. The
//  last pair is remembered, since a million payments share a few rules;
//  it is inserted again under its id, as a rolled-back batch may have
//  taken it away.
static int64_t
s_place_id (reporting_store_t *self, const char *reason, const char *directory)
{
    if (!*reason)
        return 0;
    char place [sizeof self->place];
    snprintf (place, sizeof place, "%s\x1f%s", reason, directory);
    const char *texts [] = { reason, directory };
    bool known = self->place_id && streq (place, self->place);
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO localities (id, reason, directory) VALUES (?3, ?1, ?2)"
        " ON CONFLICT DO NOTHING"), texts, 2);
    if (!stmt)
        return -1;
    if (known)
        sqlite3_bind_int64 (stmt, 3, self->place_id);
    else
        sqlite3_bind_null (stmt, 3);
    if (sv_db_run (self->db, stmt))
        return -1;
    if (known)
        return self->place_id;
    stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT id FROM localities WHERE reason = ?1 AND directory = ?2"), texts, 2);
    if (!stmt)
        return -1;
    int64_t id = sqlite3_step (stmt) == SQLITE_ROW? sqlite3_column_int64 (stmt, 0): -1;
    sqlite3_reset (stmt);
    if (id > 0) {
        snprintf (self->place, sizeof self->place, "%s", place);
        self->place_id = id;
    }
    return id;
}

//  Where a payee's payments fall, from valuation: the latest replaces the
//  last, and moves every payment of the payee with it
static int
s_apply_place (reporting_store_t *self, const sv_proto_place_t *place)
{
    int64_t rule = s_place_id (self, place->locality_reason, place->directory);
    if (rule < 0)
        return -1;
    const char *texts [] = { place->partner, place->supplier_key, place->postcode,
                             place->ward_code, place->place_postcode };
    //  Found by the payee's id; another payee under the same id is refused,
    //  never overwritten (the update's WHERE leaves it, and nothing changes)
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO places (partner, supplier_key, postcode, ward_code, place_postcode,"
        " locality, sme, vcse, employee_owned, place_source, place, id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        " ON CONFLICT (id) DO UPDATE SET ward_code = excluded.ward_code,"
        " place_postcode = excluded.place_postcode, locality = excluded.locality,"
        " sme = excluded.sme, vcse = excluded.vcse, employee_owned = excluded.employee_owned,"
        " place_source = excluded.place_source, place = excluded.place"
        " WHERE partner = excluded.partner AND supplier_key = excluded.supplier_key"
        " AND postcode = excluded.postcode"), texts, 5);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 12, reporting_payments_payee (place->partner, place->supplier_key,
                                                            place->postcode));
    sqlite3_bind_int (stmt, 6, streq (place->locality, "local")? S_LOCAL
                             : streq (place->locality, "non_local")? S_NON_LOCAL: S_UNKNOWN);
    sqlite3_bind_int (stmt, 7, place->sme);
    sqlite3_bind_int (stmt, 8, place->vcse);
    sqlite3_bind_int (stmt, 9, place->employee_owned);
    const char *source = place->place_source;
    sqlite3_bind_int (stmt, 10, streq (source, "payment")? S_PLACE_PAYMENT
                              : streq (source, "supplier")? S_PLACE_SUPPLIER
                              : streq (source, "registered_office")? S_PLACE_REGISTERED
                              : S_PLACE_NONE);
    if (rule)
        sqlite3_bind_int64 (stmt, 11, rule);
    else
        sqlite3_bind_null (stmt, 11);
    if (sv_db_run (self->db, stmt))
        return -1;
    if (sqlite3_changes (sv_db_handle (self->db)) != 1) {
        zsys_error ("reporting: payee %s/%s/%s has the id of another payee; its place is"
                    " not applied", place->partner, place->supplier_key, place->postcode);
        return -1;
    }
    return s_ward_name (self, place->ward_code, place->ward_name);
}

static int
s_apply_valuation (reporting_store_t *self, const char *key,
                   const sv_proto_valuation_line_t *line)
{
    int kind = streq (line->kind, "committed")? 0: streq (line->kind, "delivered")? 1: -1;
    if (kind < 0) {
        zsys_warning ("reporting: valuation line %s has kind '%s', neither committed"
                      " nor delivered: ignored", key, line->kind);
        return 0;
    }
    int evidence = S_EVIDENCE_NONE;
    for (int index = 1; index < 4; index++)
        if (streq (line->evidence, s_evidence_names [index]))
            evidence = index;
    const char *texts [] = { key, line->partner, line->contract_id, line->measure,
                             line->ward, line->beneficiary_group, line->framework,
                             line->framework_version, line->supplier_key };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO value_lines (key, partner, contract_id, measure, ward, beneficiary_group,"
        " framework, framework_version, supplier_key,"
        " kind, fy, evidence, flagged, quantity_milli, value_pence, source_seq, proxy_pence,"
        " proxy_fy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " ?16, ?17, ?18)"
        " ON CONFLICT (key) DO UPDATE SET partner = excluded.partner,"
        " contract_id = excluded.contract_id, measure = excluded.measure,"
        " ward = excluded.ward, beneficiary_group = excluded.beneficiary_group,"
        " framework = excluded.framework, framework_version = excluded.framework_version,"
        " supplier_key = excluded.supplier_key,"
        " kind = excluded.kind, fy = excluded.fy, evidence = excluded.evidence,"
        " flagged = excluded.flagged, quantity_milli = excluded.quantity_milli,"
        " value_pence = excluded.value_pence, source_seq = excluded.source_seq,"
        " proxy_pence = excluded.proxy_pence, proxy_fy = excluded.proxy_fy"), texts, 9);
    if (!stmt)
        return -1;
    sqlite3_bind_int (stmt, 10, kind);
    s_bind_fy (stmt, 11, line->year);
    sqlite3_bind_int (stmt, 12, evidence);
    sqlite3_bind_int (stmt, 13, *line->flag != 0);
    sqlite3_bind_int64 (stmt, 14, line->quantity_milli);
    sqlite3_bind_int64 (stmt, 15, line->value_pence);
    sqlite3_bind_int64 (stmt, 16, (sqlite3_int64) line->source_seq);
    sqlite3_bind_int64 (stmt, 17, line->proxy_pence);
    s_bind_fy (stmt, 18, line->proxy_year);
    if (sv_db_run (self->db, stmt))
        return -1;
    //  ward_name is set only when ward is a code (socval.xml)
    if (s_ward_name (self, line->ward, line->ward_name))
        return -1;
    //  A line of an unknown measure knows nothing of it: keep what is known
    if (!*line->theme && !*line->unit && !*line->description)
        return 0;
    //  Under the line's own framework: another may use the code for
    //  another measure
    const char *measure [] = { line->framework, line->measure, line->theme, line->unit,
                               line->description, line->outcome,
                               line->record_only? "1": "0" };
    return sv_db_run (self->db, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO measures (framework, measure, theme, unit, description, outcome,"
        " record_only) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (framework, measure) DO UPDATE SET theme = excluded.theme,"
        " unit = excluded.unit, description = excluded.description, outcome = excluded.outcome,"
        " record_only = excluded.record_only WHERE theme != excluded.theme"
        " OR unit != excluded.unit OR description != excluded.description"
        " OR outcome != excluded.outcome OR record_only != excluded.record_only"),
        measure, 7));
}

//  Keeps the latest period end of a contract's delivery returns; a period
//  end that is not an ISO date is not kept, so max() compares dates
static int
s_apply_return (reporting_store_t *self, const sv_proto_delivery_t *delivery)
{
    int32_t day;
    if (sv_date_parse (delivery->period_end, &day, NULL))
        return 0;
    char end [SV_DATE_BUF];
    sv_date_format (day, end, sizeof end);
    const char *texts [] = { delivery->partner, delivery->contract_id, end };
    return sv_db_run (self->db, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO returns (partner, contract_id, period_end) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (partner, contract_id) DO UPDATE SET period_end = excluded.period_end"
        " WHERE excluded.period_end > period_end"), texts, 3));
}

static int
s_apply_company (reporting_store_t *self, const sv_proto_company_t *company)
{
    const char *scope = strncmp (company->supplier_key, "ID:", 3) == 0? company->partner: "";
    const char *texts [] = { scope, company->supplier_key, company->company_number,
                             company->status, company->dissolved, company->sic_codes,
                             company->rlw_category };
    return sv_db_run (self->db, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO companies (scope, supplier_key, company_number, status, dissolved,"
        " sic_codes, rlw_category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (scope, supplier_key) DO UPDATE SET"
        " company_number = excluded.company_number, status = excluded.status,"
        " dissolved = excluded.dissolved, sic_codes = excluded.sic_codes,"
        " rlw_category = excluded.rlw_category"), texts, 7));
}

static int
s_apply_alert (reporting_store_t *self, const sv_proto_alert_t *alert)
{
    const char *texts [] = { alert->alert_id, alert->rule, alert->severity, alert->state,
                             alert->partner, alert->supplier_key, alert->contract_id,
                             alert->message, alert->at, alert->measure? alert->measure: "" };
    return sv_db_run (self->db, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR REPLACE INTO alerts (alert_id, rule, severity, state, partner,"
        " supplier_key, contract_id, message, at, measure)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"), texts, 10));
}

//  The message an event of type on stream is kept as, 0 when reporting
//  does not keep it. Decided on the type alone, so the millions of SPEND
//  events cost a string compare each.
static sv_proto_id_t
s_kept (const char *stream, const char *type)
{
    if (streq (stream, "ingest"))
        return streq (type, "SUPPLIER")? SV_PROTO_SUPPLIER
             : streq (type, "CONTRACT")? SV_PROTO_CONTRACT
             : streq (type, "DELIVERY")? SV_PROTO_DELIVERY
             : streq (type, "COMPANY")? SV_PROTO_COMPANY
             : streq (type, "KPI")? SV_PROTO_KPI
             : streq (type, "SPEND")? SV_PROTO_SPEND: 0;
    if (streq (stream, "valuation"))
        return streq (type, "PLACE")? SV_PROTO_PLACE
             : streq (type, "VALUATION_LINE")? SV_PROTO_VALUATION_LINE: 0;
    assert (streq (stream, "compliance"));
    return streq (type, "ALERT")? SV_PROTO_ALERT: 0;
}

int
reporting_store_apply (reporting_store_t *self, const char *stream,
                       const sv_proto_event_t *event)
{
    assert (self && stream && event);
    if (!s_kept (stream, event->type))
        return 0;
    sv_proto_t message = { .id = 0 };
    (void) sv_proto_decode (&message, event->body, event->body_size);
    int rc = reporting_store_apply_decoded (self, stream, event, &message);
    sv_proto_reset (&message);
    return rc;
}

int
reporting_store_apply_decoded (reporting_store_t *self, const char *stream,
                               const sv_proto_event_t *event, const sv_proto_t *decoded)
{
    assert (self && stream && event && decoded);
    assert (sv_db_in_transaction (self->db));
    sv_proto_id_t kept = s_kept (stream, event->type);
    if (!kept)
        return 0;
    if (decoded->id != kept)
        return SV_STREAM_UNREADABLE;
    //  Payments go many to a statement; whatever else comes is applied
    //  after the payments before it are written
    if (kept == SV_PROTO_SPEND)
        return reporting_payments_add (self->payments, event->key, event->seq,
                                       &decoded->spend)? -1: 0;
    if (reporting_payments_flush (self->payments))
        return -1;
    const sv_proto_t message = *decoded;  //  borrowed: its strings are the caller's
    int rc = 0;
    switch (kept) {
        case SV_PROTO_SUPPLIER:
            rc = s_partner_seen (self, message.supplier.partner)
              || s_apply_supplier (self, &message.supplier);
            break;
        case SV_PROTO_CONTRACT:
            rc = s_partner_seen (self, message.contract.partner)
              || s_apply_contract (self, &message.contract);
            break;
        case SV_PROTO_DELIVERY:
            rc = s_apply_return (self, &message.delivery);
            break;
        case SV_PROTO_COMPANY:
            rc = s_apply_company (self, &message.company);
            break;
        case SV_PROTO_KPI:
            rc = s_partner_seen (self, message.kpi.partner)
              || reporting_store_kpi_apply (self->db, &message.kpi);
            break;
        case SV_PROTO_PLACE:
            //  A million payments name a few partners: each is seen by
            //  its payees' places
            rc = s_partner_seen (self, message.place.partner)
              || s_apply_place (self, &message.place);
            break;
        case SV_PROTO_VALUATION_LINE:
            rc = s_partner_seen (self, message.valuation_line.partner)
              || s_apply_valuation (self, event->key, &message.valuation_line);
            break;
        default:
            rc = s_partner_seen (self, message.alert.partner)
              || s_apply_alert (self, &message.alert);
            break;
    }
    return rc? -1: 0;
}



//  ==========================================================================
//  Report queries
//
//  Each query that can be narrowed to one partner comes in two texts, made
//  by one macro, so each uses the (fy, partner) index as fully as it can.
//  Parameters: ?1 the financial year (its starting year), ?2 the partner,
//  ?3 the mask of evidence states counted, ?4 and ?5 the year's first and
//  last days.

#define S_PARTNER       " AND partner = ?2"

//  A supplier's name (see the header) for the contract's partner P and
//  supplier key K. Two lookups, since SQLite's subqueries cannot order by
//  an outer column: partner P's record by its primary key, then the first
//  other partner's through suppliers_key.
#define S_SUPPLIER_NAME(P, K) \
    "coalesce((SELECT n.name FROM suppliers n WHERE n.partner = " P \
    " AND n.supplier_key = " K " AND n.name != '')," \
    " (SELECT n.name FROM suppliers n WHERE n.supplier_key = " K \
    " AND n.name != '' ORDER BY n.partner LIMIT 1), " K ", '')"
//  Field F of the supplier record that speaks for partner P: its own, else
//  the first partner's; NULL when no partner has one
#define S_SUPPLIER_FIELD(F, P, K) \
    "coalesce((SELECT a." F " FROM suppliers a WHERE a.partner = " P \
    " AND a.supplier_key = " K ")," \
    " (SELECT a." F " FROM suppliers a WHERE a.supplier_key = " K \
    " ORDER BY a.partner LIMIT 1))"

//  Spend figures sum spend_totals, a row a payee and month, never the
//  payments themselves
#define S_SPEND_MONTHS(AND_PARTNER) \
    "SELECT month, locality, sum(payments), sum(amount_pence)," \
    " sum(CASE WHEN sme THEN amount_pence ELSE 0 END)," \
    " sum(CASE WHEN vcse THEN amount_pence ELSE 0 END)," \
    " sum(CASE WHEN employee_owned THEN amount_pence ELSE 0 END)" \
    " FROM spend_totals WHERE fy = ?1" AND_PARTNER " GROUP BY month, locality"

#define S_SPEND_WARDS(AND_PARTNER) \
    "SELECT g.ward_code, coalesce(w.name, ''), g.pence, g.payments FROM" \
    " (SELECT ward_code, sum(amount_pence) AS pence, sum(payments) AS payments" \
    " FROM spend_totals WHERE fy = ?1 AND locality = 0 AND ward_code != ''" AND_PARTNER \
    " GROUP BY ward_code) AS g LEFT JOIN wards w ON w.code = g.ward_code" \
    " ORDER BY g.pence DESC, g.ward_code"

#define S_SPEND_PLACES(AND_PARTNER) \
    "SELECT place_source, locality, sum(payments), sum(amount_pence) FROM spend_totals" \
    " WHERE fy = ?1" AND_PARTNER " GROUP BY place_source, locality ORDER BY place_source"

#define S_SPEND_PARTNERS(AND_PARTNER) \
    "SELECT partner, locality, sum(amount_pence) FROM spend_totals" \
    " WHERE fy = ?1" AND_PARTNER " GROUP BY partner, locality"

//  The lines that count in a year's figures
#define S_COUNTED "fy = ?1 AND flagged = 0 AND (kind = 0 OR (?3 >> evidence) & 1)"
#define S_DELIVERED "fy = ?1 AND flagged = 0 AND kind = 1 AND (?3 >> evidence) & 1"

#define S_VALUE_TOTALS(AND_PARTNER) \
    "SELECT coalesce(sum(CASE WHEN flagged = 0 AND kind = 0 THEN value_pence END), 0)," \
    " coalesce(sum(CASE WHEN flagged = 0 AND kind = 1 AND (?3 >> evidence) & 1" \
    " THEN value_pence END), 0), coalesce(sum(flagged), 0)" \
    " FROM value_lines WHERE fy = ?1" AND_PARTNER

//  The counted lines by framework and measure: a code means what its
//  framework says, so two frameworks' lines of one code are two measures
#define S_VALUE_MEASURES(AND_PARTNER) \
    "SELECT framework, measure, sum(CASE WHEN kind = 0 THEN quantity_milli ELSE 0 END) AS cq," \
    " sum(CASE WHEN kind = 1 THEN quantity_milli ELSE 0 END) AS dq," \
    " sum(CASE WHEN kind = 0 THEN value_pence ELSE 0 END) AS cp," \
    " sum(CASE WHEN kind = 1 THEN value_pence ELSE 0 END) AS dp" \
    " FROM value_lines WHERE " S_COUNTED AND_PARTNER " GROUP BY framework, measure"

//  Joins the measures row of g's framework and measure as m
#define S_JOIN_MEASURE(G) \
    " LEFT JOIN measures m ON m.framework = " G ".framework AND m.measure = " G ".measure"

#define S_VALUE_BY_MEASURE(AND_PARTNER) \
    "SELECT g.measure, coalesce(m.description, ''), coalesce(m.unit, '')," \
    " coalesce(m.theme, ''), g.cq, g.dq, g.cp, g.dp, coalesce(m.record_only, 0)," \
    " coalesce(m.outcome, ''), g.framework" \
    " FROM (" S_VALUE_MEASURES (AND_PARTNER) ") AS g" S_JOIN_MEASURE ("g") \
    " ORDER BY g.framework, g.measure"

#define S_VALUE_BY_THEME(AND_PARTNER) \
    "SELECT coalesce(m.theme, '') AS theme, sum(g.cp), sum(g.dp)," \
    " min(coalesce(m.record_only, 0))" \
    " FROM (" S_VALUE_MEASURES (AND_PARTNER) ") AS g" S_JOIN_MEASURE ("g") \
    " GROUP BY theme ORDER BY theme"

#define S_TOP_CONTRACTS_SQL(AND_PARTNER) \
    "SELECT g.partner, g.contract_id, coalesce(c.title, '')," \
    " " S_SUPPLIER_NAME ("g.partner", "c.supplier_key") ", g.pence FROM" \
    " (SELECT partner, contract_id, sum(value_pence) AS pence FROM value_lines" \
    " WHERE " S_DELIVERED AND_PARTNER " GROUP BY partner, contract_id HAVING pence > 0" \
    " ORDER BY pence DESC, contract_id, partner LIMIT 10) AS g" \
    " LEFT JOIN contracts c ON c.partner = g.partner AND c.contract_id = g.contract_id" \
    " ORDER BY g.pence DESC, g.contract_id, g.partner"

//  Deliveries by beneficiary group: name, deliveries, pence. Groups are
//  counted as stored, in the declared spelling ingest gave them.
#define S_VALUE_BREAKDOWN(COLUMN, AND_PARTNER) \
    "SELECT " COLUMN ", count(*), sum(value_pence) FROM value_lines" \
    " WHERE " S_DELIVERED " AND " COLUMN " != ''" AND_PARTNER \
    " GROUP BY " COLUMN " ORDER BY " COLUMN

//  Whether a value_lines.ward is an ONS ward code (valuation writes one
//  upper-cased, as sv_name_ward_code reads it) rather than a name that
//  matched no ward
#define S_IS_WARD_CODE(W) \
    "(length(" W ") = 9 AND substr(" W ", 1, 3) IN ('E05', 'W05', 'S13', 'N08')" \
    " AND substr(" W ", 4) GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]')"

//  Deliveries by ward: name (the directory's, else the code, else the
//  unmatched name), deliveries, pence, code or "". valuation writes every
//  spelling of a ward as one value (its code, or one canonical spelling),
//  so grouping by it counts each ward once.
#define S_VALUE_WARDS(AND_PARTNER) \
    "SELECT coalesce(w.name, g.ward) AS name, g.deliveries, g.pence," \
    " CASE WHEN " S_IS_WARD_CODE ("g.ward") " THEN g.ward ELSE '' END FROM" \
    " (SELECT ward, count(*) AS deliveries, sum(value_pence) AS pence FROM value_lines" \
    " WHERE " S_DELIVERED " AND ward != ''" AND_PARTNER " GROUP BY ward) AS g" \
    " LEFT JOIN wards w ON w.code = g.ward ORDER BY name, g.ward"

//  Committed and delivered pence by partner and theme: partner, theme,
//  committed, delivered, whether every measure of it is record only
#define S_VALUE_PARTNER_THEMES(AND_PARTNER) \
    "SELECT g.partner, coalesce(m.theme, '') AS theme, sum(g.cp), sum(g.dp)," \
    " min(coalesce(m.record_only, 0)) FROM" \
    " (SELECT partner, framework, measure," \
    " sum(CASE WHEN kind = 0 THEN value_pence ELSE 0 END) AS cp," \
    " sum(CASE WHEN kind = 1 THEN value_pence ELSE 0 END) AS dp" \
    " FROM value_lines WHERE " S_COUNTED AND_PARTNER \
    " GROUP BY partner, framework, measure) AS g" S_JOIN_MEASURE ("g") \
    " GROUP BY g.partner, theme ORDER BY g.partner, theme"

//  The frameworks the counted lines were valued with: framework, version,
//  partner, one row each, in that order
#define S_VALUE_FRAMEWORKS(AND_PARTNER) \
    "SELECT v.framework, v.framework_version, v.partner, v.proxy_fy," \
    " min(coalesce(m.record_only, 0)) FROM value_lines v" S_JOIN_MEASURE ("v") \
    " WHERE " S_COUNTED AND_PARTNER \
    " GROUP BY v.framework, v.framework_version, v.partner, v.proxy_fy" \
    " ORDER BY v.framework, v.framework_version, v.proxy_fy, v.partner"

//  The counted lines by partner, framework and measure, for the crosswalk:
//  partner, framework, measure, description, unit, record_only, committed
//  and delivered quantity (thousandths) and pence
#define S_VALUE_PARTNER_MEASURES(AND_PARTNER) \
    "SELECT v.partner, v.framework, v.measure, coalesce(m.description, '')," \
    " coalesce(m.unit, ''), coalesce(m.record_only, 0)," \
    " sum(CASE WHEN v.kind = 0 THEN v.quantity_milli ELSE 0 END)," \
    " sum(CASE WHEN v.kind = 1 THEN v.quantity_milli ELSE 0 END)," \
    " sum(CASE WHEN v.kind = 0 THEN v.value_pence ELSE 0 END)," \
    " sum(CASE WHEN v.kind = 1 THEN v.value_pence ELSE 0 END)" \
    " FROM value_lines v" S_JOIN_MEASURE ("v") \
    " WHERE " S_COUNTED AND_PARTNER " GROUP BY v.partner, v.framework, v.measure"

#define S_VALUE_PARTNERS(AND_PARTNER) \
    "SELECT partner, sum(CASE WHEN kind = 0 THEN value_pence ELSE 0 END)," \
    " sum(CASE WHEN kind = 1 THEN value_pence ELSE 0 END)" \
    " FROM value_lines WHERE " S_COUNTED AND_PARTNER " GROUP BY partner"

//  Contracts active in the year: starting by its last day and ending on or
//  after its first, a date that is not ISO counting as unknown, so active
#define S_ISO_DATE "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
#define S_RLW_CONTRACTS(AND_PARTNER) \
    "SELECT c.partner, c.contract_id, c.title," \
    " " S_SUPPLIER_NAME ("c.partner", "c.supplier_key") "," \
    " c.category, c.value_pence, c.start_date, c.end_date, c.rlw_in_scope, c.rlw_commitment," \
    " coalesce(" S_SUPPLIER_FIELD ("rlw_accredited", "c.partner", "c.supplier_key") ", 0)," \
    " coalesce(" S_SUPPLIER_FIELD ("rlw_expiry", "c.partner", "c.supplier_key") ", '')," \
    " coalesce((SELECT r.rlw_category FROM companies r WHERE r.supplier_key = c.supplier_key" \
    " AND r.scope IN ('', c.partner) ORDER BY r.scope DESC LIMIT 1), '')," \
    " coalesce((SELECT r.sic_codes FROM companies r WHERE r.supplier_key = c.supplier_key" \
    " AND r.scope IN ('', c.partner) ORDER BY r.scope DESC LIMIT 1), '')" \
    " FROM contracts c" \
    " WHERE (c.start_date NOT GLOB " S_ISO_DATE " OR c.start_date <= ?5)" \
    " AND (c.end_date NOT GLOB " S_ISO_DATE " OR c.end_date >= ?4)" AND_PARTNER \
    " ORDER BY c.partner, c.contract_id"

//  Open and acknowledged alerts, and those resolved since ?4 when it is
//  not NULL, with the measure each is about and its description: as the
//  framework its contract's lines of the measure were valued with words
//  it (the latest year's, when the partner changed framework), else as
//  the one framework that knows the code; '' when none does, when several
//  do and no line says which is meant, or when the alert names no measure
#define S_ALERTS(AND_PARTNER) \
    "SELECT alert_id, rule, severity, state, partner," \
    " CASE WHEN supplier_key = '' THEN '' ELSE " \
    S_SUPPLIER_NAME ("alerts.partner", "alerts.supplier_key") " END," \
    " contract_id, message, at, alerts.measure," \
    " CASE WHEN alerts.measure = '' THEN '' ELSE coalesce(" \
    " (SELECT m.description FROM value_lines v" S_JOIN_MEASURE ("v") \
    " WHERE v.partner = alerts.partner AND v.contract_id = alerts.contract_id" \
    " AND v.measure = alerts.measure AND m.measure IS NOT NULL" \
    " ORDER BY v.fy DESC, v.framework LIMIT 1)," \
    " (SELECT CASE WHEN count(*) = 1 THEN max(m.description) END FROM measures m" \
    " WHERE m.measure = alerts.measure), '') END" \
    " FROM alerts" \
    " WHERE (state IN ('open', 'acknowledged') OR (state = 'resolved' AND at >= ?4))" \
    AND_PARTNER " ORDER BY rule, alert_id"

#define S_ALERTS_OPEN(AND_PARTNER) \
    "SELECT partner, count(*) FROM alerts WHERE state = 'open'" AND_PARTNER \
    " GROUP BY partner"


//  ==========================================================================
//  Report assembly

//  One report being assembled
typedef struct {
    reporting_store_t *store;
    const reporting_store_params_t *params;
    const char *partner;                //  NULL for all partners
    int fy;                             //  the year reported, by its start
    int mask;                           //  evidence states counted
    char year [SV_DATE_FY_BUF];         //  "2024-25"
    char previous [SV_DATE_FY_BUF];     //  "2023-24"
    char first [SV_DATE_BUF];           //  the year's first and last days
    char last [SV_DATE_BUF];
    char today [SV_DATE_BUF];           //  for accreditation, see the header
    char since [SV_DATE_BUF];           //  resolved alerts listed from this day
    char created [SV_DATE_BUF];         //  the report's own date, for days left
    int32_t created_day;
    bool failed;                        //  a query failed
} s_report_t;

//  A partner's figures in the partnership report
typedef struct {
    const char *name;
    int64_t total, local, unknown, previous_local;
    json_t *themes;                     //  by_theme rows, or NULL
    int64_t committed, delivered, in_scope, missing, open_alerts;
} s_totals_t;

//  The statement for one query, in its all-partners or one-partner form,
//  with the partner bound. NULL (and the report failed) on a bad query.
static sqlite3_stmt *
s_query (s_report_t *self, const char *sql_all, const char *sql_partner)
{
    sqlite3_stmt *stmt = sv_db_stmt (self->store->db, self->partner? sql_partner: sql_all);
    if (!stmt)
        self->failed = true;
    else
    if (self->partner)
        sqlite3_bind_text (stmt, 2, self->partner, -1, SQLITE_STATIC);
    return stmt;
}

//  s_query with the year (?1) and the evidence states counted (?3) bound
static sqlite3_stmt *
s_query_counted (s_report_t *self, const char *sql_all, const char *sql_partner)
{
    sqlite3_stmt *stmt = s_query (self, sql_all, sql_partner);
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
    }
    return stmt;
}

//  Ends a query after its rows were read, step being the last step's code
static void
s_query_end (s_report_t *self, sqlite3_stmt *stmt, int step)
{
    if (step != SQLITE_DONE)
        self->failed = true;
    sqlite3_reset (stmt);
}

//  part / whole, rounded half away from zero to 4 decimals from integers;
//  null when whole is 0
static json_t *
s_share (int64_t part, int64_t whole)
{
    if (whole == 0)
        return json_null ();
    bool negative = (part < 0) != (whole < 0);
    uint64_t numerator = (uint64_t) (part < 0? -part: part) * 10000;
    uint64_t denominator = (uint64_t) (whole < 0? -whole: whole);
    int64_t share = (int64_t) ((numerator + denominator / 2) / denominator);
    return json_real ((double) (negative? -share: share) / 10000.0);
}

//  Thousandths as a number of units
static json_t *
s_quantity (int64_t milli)
{
    return json_real ((double) milli / 1000.0);
}

//  --------------------------------------------------------------------------
//  Partners' names, frameworks and RLW dates

//  Member key of partner's config object (params->partner_config), "" when
//  not set. Borrowed from the params.
static const char *
s_partner_config (s_report_t *self, const char *partner, const char *key)
{
    json_t *config = self->params->partner_config;
    const char *value = json_string_value (
        json_object_get (json_object_get (config, partner), key));
    return value? value: "";
}

//  The name a councillor knows partner by: its display_name, else its
//  config name; "" for "" (an alert of no partner). Borrowed.
static const char *
s_partner_name (s_report_t *self, const char *partner)
{
    const char *name = s_partner_config (self, partner, "display_name");
    return *name? name: partner;
}

//  Puts "partner_name" into every row of rows that has a "partner"
static void
s_name_rows (s_report_t *self, json_t *rows)
{
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        const char *partner = json_string_value (json_object_get (row, "partner"));
        if (partner)
            json_object_set_new (row, "partner_name",
                                 json_string (s_partner_name (self, partner)));
    }
}

//  The frameworks behind the year's counted lines (see the header):
//  [{"id", "version", "proxy_years", "illustrative", "partners"}] by id and
//  version. A line valued under no framework (an unknown measure) shows as
//  id "".
static json_t *
s_frameworks (s_report_t *self)
{
    json_t *frameworks = json_array ();
    sqlite3_stmt *stmt = s_query (self, S_VALUE_FRAMEWORKS (""),
                                  S_VALUE_FRAMEWORKS (S_PARTNER));
    if (!stmt)
        return frameworks;
    sqlite3_bind_int (stmt, 1, self->fy);
    sqlite3_bind_int (stmt, 3, self->mask);
    json_t *current = NULL;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *id = sv_db_text (stmt, 0);
        const char *version = sv_db_text (stmt, 1);
        if (!current
        ||  !streq (json_string_value (json_object_get (current, "id")), id)
        ||  !streq (json_string_value (json_object_get (current, "version")), version)) {
            current = json_pack ("{s:s, s:s, s:[], s:b, s:[], s:b}",
                "id", id,
                "version", version,
                "proxy_years",
                "illustrative", strncmp (id, "illustrative-", 13) == 0,
                "partners",
                "record_only", true);
            json_array_append_new (frameworks, current);
        }
        //  Each proxy year and partner once, the years ascending
        json_t *years = json_object_get (current, "proxy_years");
        if (sqlite3_column_type (stmt, 3) != SQLITE_NULL) {
            char year [SV_DATE_FY_BUF];
            sv_date_fy_format (sqlite3_column_int (stmt, 3), year, sizeof year);
            json_t *last = json_array_get (years, json_array_size (years) - 1);
            if (!last || !streq (json_string_value (last), year))
                json_array_append_new (years, json_string (year));
        }
        json_t *partners = json_object_get (current, "partners");
        bool listed = false;
        size_t index;
        json_t *partner;
        json_array_foreach (partners, index, partner)
            listed = listed || streq (json_string_value (partner), sv_db_text (stmt, 2));
        if (!listed)
            json_array_append_new (partners, json_string (sv_db_text (stmt, 2)));
        if (!sqlite3_column_int (stmt, 4))
            json_object_set_new (current, "record_only", json_false ());
    }
    s_query_end (self, stmt, step);
    return frameworks;
}

//  Days from the report's date to date (yyyy-mm-dd), negative when past;
//  json null when date is not a date
static json_t *
s_days_left (s_report_t *self, const char *date)
{
    int32_t day;
    if (!*date || sv_date_parse (date, &day, NULL))
        return json_null ();
    return json_integer (day - self->created_day);
}

//  Each partner's own RLW accreditation renewal (partners/<name>/rlw_renewal,
//  "" and null days when not set) and the pending rate's uplift deadline
//  (compliance_rules_rates_pending as of the report's date; null when none
//  is pending or no rates were given)
static json_t *
s_rlw_dates (s_report_t *self, json_t *partners)
{
    json_t *renewals = json_array ();
    size_t index;
    json_t *partner;
    json_array_foreach (partners, index, partner) {
        const char *name = json_string_value (partner);
        const char *renewal = s_partner_config (self, name, "rlw_renewal");
        json_array_append_new (renewals, json_pack ("{s:s, s:s, s:s, s:o}",
            "partner", name,
            "partner_name", s_partner_name (self, name),
            "renewal_date", renewal,
            "days_left", s_days_left (self, renewal)));
    }
    const compliance_rules_rate_t *rate = self->params->rlw_rates?
        compliance_rules_rates_pending (self->params->rlw_rates, self->created): NULL;
    json_t *uplift = rate? json_pack ("{s:i, s:I, s:I, s:s, s:s, s:o}",
        "year", rate->year,
        "uk_pence", (json_int_t) rate->uk_pence,
        "london_pence", (json_int_t) rate->london_pence,
        "announced", rate->announced,
        "deadline", rate->deadline,
        "days_left", s_days_left (self, rate->deadline)): json_null ();
    return json_pack ("{s:s, s:o, s:o}", "as_of", self->created,
                      "renewals", renewals, "rate", uplift);
}

//  --------------------------------------------------------------------------
//  Spend

static json_t *
s_spend (s_report_t *self)
{
    int64_t rows = 0, pence [3] = { 0 }, sme = 0, vcse = 0, employee_owned = 0;
    int64_t months [12][3] = { { 0 } };
    sqlite3_stmt *stmt = s_query (self, S_SPEND_MONTHS (""), S_SPEND_MONTHS (S_PARTNER));
    if (!stmt)
        return NULL;
    sqlite3_bind_int (stmt, 1, self->fy);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        int locality = sqlite3_column_int (stmt, 1);
        if (locality < 0 || locality > S_UNKNOWN)
            locality = S_UNKNOWN;
        int64_t amount = sqlite3_column_int64 (stmt, 3);
        rows += sqlite3_column_int64 (stmt, 2);
        pence [locality] += amount;
        sme += sqlite3_column_int64 (stmt, 4);
        vcse += sqlite3_column_int64 (stmt, 5);
        employee_owned += sqlite3_column_int64 (stmt, 6);
        //  April of the year is slot 0, March of the next slot 11
        if (sqlite3_column_type (stmt, 0) != SQLITE_NULL) {
            int month = sqlite3_column_int (stmt, 0);
            int slot = (month / 100 - self->fy) * 12 + month % 100 - 4;
            if (slot >= 0 && slot < 12)
                months [slot][locality] += amount;
        }
    }
    s_query_end (self, stmt, step);

    int64_t previous_local = 0;
    stmt = s_query (self, S_SPEND_PARTNERS (""), S_SPEND_PARTNERS (S_PARTNER));
    if (!stmt)
        return NULL;
    sqlite3_bind_int (stmt, 1, self->fy - 1);
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW)
        if (sqlite3_column_int (stmt, 1) == S_LOCAL)
            previous_local += sqlite3_column_int64 (stmt, 2);
    s_query_end (self, stmt, step);

    json_t *by_month = json_array ();
    for (int slot = 0; slot < 12; slot++) {
        char month [8];
        int number = (slot + 3) % 12 + 1;
        snprintf (month, sizeof month, "%04d-%02d", self->fy + (number < 4), number);
        json_array_append_new (by_month, json_pack ("{s:s, s:I, s:I, s:I}",
            "month", month,
            "local_pence", (json_int_t) months [slot][S_LOCAL],
            "non_local_pence", (json_int_t) months [slot][S_NON_LOCAL],
            "unknown_pence", (json_int_t) months [slot][S_UNKNOWN]));
    }
    json_t *by_ward = json_array ();
    stmt = s_query (self, S_SPEND_WARDS (""), S_SPEND_WARDS (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW)
            json_array_append_new (by_ward, json_pack ("{s:s, s:s, s:I, s:I}",
                "ward_code", sv_db_text (stmt, 0),
                "ward_name", sv_db_text (stmt, 1),
                "local_pence", (json_int_t) sqlite3_column_int64 (stmt, 2),
                "payments", (json_int_t) sqlite3_column_int64 (stmt, 3)));
        s_query_end (self, stmt, step);
    }
    //  How each payment's place was found: what the local figures rest on
    int64_t places [5][4] = { { 0 } };        //  [source][locality, 3: payments]
    stmt = s_query (self, S_SPEND_PLACES (""), S_SPEND_PLACES (S_PARTNER));
    if (!stmt)
        return NULL;
    sqlite3_bind_int (stmt, 1, self->fy);
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        int source = sqlite3_column_type (stmt, 0) == SQLITE_NULL? 4
                   : sqlite3_column_int (stmt, 0);
        int locality = sqlite3_column_int (stmt, 1);
        if (source < 0 || source > 4)
            source = S_PLACE_NONE;
        if (locality < 0 || locality > S_UNKNOWN)
            locality = S_UNKNOWN;
        places [source][locality] += sqlite3_column_int64 (stmt, 3);
        places [source][3] += sqlite3_column_int64 (stmt, 2);
    }
    s_query_end (self, stmt, step);
    json_t *by_place_source = json_array ();
    for (int source = 0; source < 5; source++)
        if (places [source][3])
            json_array_append_new (by_place_source, json_pack ("{s:s, s:I, s:I, s:I, s:I}",
                "source", source == 4? "not_recorded": s_place_names [source],
                "payments", (json_int_t) places [source][3],
                "local_pence", (json_int_t) places [source][S_LOCAL],
                "non_local_pence", (json_int_t) places [source][S_NON_LOCAL],
                "unknown_pence", (json_int_t) places [source][S_UNKNOWN]));
    int64_t total = pence [S_LOCAL] + pence [S_NON_LOCAL] + pence [S_UNKNOWN];
    return json_pack ("{s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I,"
                      " s:o}",
        "rows", (json_int_t) rows,
        "total_pence", (json_int_t) total,
        "local_pence", (json_int_t) pence [S_LOCAL],
        "non_local_pence", (json_int_t) pence [S_NON_LOCAL],
        "unknown_locality_pence", (json_int_t) pence [S_UNKNOWN],
        "local_share", s_share (pence [S_LOCAL], total),
        "previous_year", self->previous,
        "previous_year_local_pence", (json_int_t) previous_local,
        "additional_local_pence", (json_int_t) (pence [S_LOCAL] - previous_local),
        "sme_pence", (json_int_t) sme,
        "vcse_pence", (json_int_t) vcse,
        "by_month", by_month,
        "by_ward", by_ward,
        "employee_owned_pence", (json_int_t) employee_owned,
        "by_place_source", by_place_source);
}

//  --------------------------------------------------------------------------
//  Social value

//  Deliveries by ward or beneficiary group (name_key), small numbers
//  suppressed. The rows are already merged (every spelling of a ward or
//  group is one row), so a ward given as name and code is suppressed, or
//  not, on its whole count (DESIGN: "Small numbers"). When code_key is not
//  NULL, the query's fourth column is the row's code, put under code_key
//  before the name.
static json_t *
s_breakdown (s_report_t *self, const char *sql_all, const char *sql_partner,
             const char *code_key, const char *name_key)
{
    json_t *rows = json_array ();
    sqlite3_stmt *stmt = s_query_counted (self, sql_all, sql_partner);
    if (!stmt)
        return rows;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        int64_t deliveries = sqlite3_column_int64 (stmt, 1);
        bool suppressed = deliveries < self->params->small_number_threshold;
        json_t *row = json_object ();
        if (code_key)
            json_object_set_new (row, code_key, json_string (sv_db_text (stmt, 3)));
        json_object_update_new (row, json_pack ("{s:s, s:o, s:o, s:b}",
            name_key, sv_db_text (stmt, 0),
            "deliveries", suppressed? json_null (): json_integer (deliveries),
            "delivered_pence", suppressed? json_null ()
                                         : json_integer (sqlite3_column_int64 (stmt, 2)),
            "suppressed", suppressed));
        json_array_append_new (rows, row);
    }
    s_query_end (self, stmt, step);
    return rows;
}

//  Pence as a JSON integer, or null for a figure that has no £ value (a
//  record-only measure or theme): never a made-up £0
static json_t *
s_pence_unless (int64_t pence, bool no_value)
{
    return no_value? json_null (): json_integer ((json_int_t) pence);
}

static json_t *
s_social_value (s_report_t *self)
{
    int64_t committed = 0, delivered = 0, flagged = 0;
    sqlite3_stmt *stmt = s_query (self, S_VALUE_TOTALS (""), S_VALUE_TOTALS (S_PARTNER));
    if (!stmt)
        return NULL;
    sqlite3_bind_int (stmt, 1, self->fy);
    sqlite3_bind_int (stmt, 3, self->mask);
    int step = sqlite3_step (stmt);
    if (step == SQLITE_ROW) {
        committed = sqlite3_column_int64 (stmt, 0);
        delivered = sqlite3_column_int64 (stmt, 1);
        flagged = sqlite3_column_int64 (stmt, 2);
        step = sqlite3_step (stmt);
    }
    s_query_end (self, stmt, step);

    json_t *by_theme = json_array ();
    stmt = s_query (self, S_VALUE_BY_THEME (""), S_VALUE_BY_THEME (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            bool record_only = sqlite3_column_int (stmt, 3) != 0;
            json_array_append_new (by_theme, json_pack ("{s:s, s:o, s:o, s:b}",
                "theme", sv_db_text (stmt, 0),
                "committed_pence", s_pence_unless (sqlite3_column_int64 (stmt, 1), record_only),
                "delivered_pence", s_pence_unless (sqlite3_column_int64 (stmt, 2), record_only),
                "record_only", record_only));
        }
        s_query_end (self, stmt, step);
    }
    json_t *by_measure = json_array ();
    stmt = s_query (self, S_VALUE_BY_MEASURE (""), S_VALUE_BY_MEASURE (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            bool record_only = sqlite3_column_int (stmt, 8) != 0;
            json_array_append_new (by_measure, json_pack (
                "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b}",
                "framework", sv_db_text (stmt, 10),
                "measure", sv_db_text (stmt, 0),
                "description", sv_db_text (stmt, 1),
                "unit", sv_db_text (stmt, 2),
                "theme", sv_db_text (stmt, 3),
                "outcome", sv_db_text (stmt, 9),
                "committed_qty", s_quantity (sqlite3_column_int64 (stmt, 4)),
                "delivered_qty", s_quantity (sqlite3_column_int64 (stmt, 5)),
                "committed_pence", s_pence_unless (sqlite3_column_int64 (stmt, 6), record_only),
                "delivered_pence", s_pence_unless (sqlite3_column_int64 (stmt, 7), record_only),
                "record_only", record_only));
        }
        s_query_end (self, stmt, step);
    }
    json_t *top = json_array ();
    stmt = s_query (self, S_TOP_CONTRACTS_SQL (""), S_TOP_CONTRACTS_SQL (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            int64_t pence = sqlite3_column_int64 (stmt, 4);
            json_array_append_new (top, json_pack ("{s:s, s:s, s:s, s:s, s:I, s:o}",
                "partner", sv_db_text (stmt, 0),
                "contract", sv_db_text (stmt, 1),
                "title", sv_db_text (stmt, 2),
                "supplier", sv_db_text (stmt, 3),
                "delivered_pence", (json_int_t) pence,
                "share", s_share (pence, delivered)));
        }
        s_query_end (self, stmt, step);
    }
    s_name_rows (self, top);
    return json_pack ("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:o}",
        "committed_pence", (json_int_t) committed,
        "delivered_pence", (json_int_t) delivered,
        "by_theme", by_theme,
        "by_measure", by_measure,
        "top_contracts", top,
        "by_ward", s_breakdown (self, S_VALUE_WARDS (""), S_VALUE_WARDS (S_PARTNER),
                                "ward_code", "ward"),
        "by_beneficiary_group",
            s_breakdown (self, S_VALUE_BREAKDOWN ("beneficiary_group", ""),
                         S_VALUE_BREAKDOWN ("beneficiary_group", S_PARTNER), NULL, "group"),
        "flagged_lines", (json_int_t) flagged,
        "frameworks", s_frameworks (self));
}

//  --------------------------------------------------------------------------
//  Real Living Wage

static s_totals_t *
s_totals_find (s_totals_t *totals, size_t count, const char *name)
{
    for (size_t index = 0; index < count; index++)
        if (streq (totals [index].name, name))
            return &totals [index];
    return NULL;
}

//  The in-scope contracts active in the year, with their counts; adds each
//  partner's counts to totals when it is not NULL
static json_t *
s_rlw (s_report_t *self, s_totals_t *totals, size_t count)
{
    int64_t in_scope = 0, committed = 0, accredited = 0, missing = 0;
    json_t *contracts = json_array ();
    //  Out of scope by their own category, while their supplier's SIC
    //  codes suggest an in-scope one: for a person to look at, never
    //  counted
    json_t *suggested = json_array ();
    sqlite3_stmt *stmt = s_query (self, S_RLW_CONTRACTS (""),
                                  S_RLW_CONTRACTS (" AND c.partner = ?2"));
    if (!stmt)
        return contracts;
    const char *days [] = { self->first, self->last };
    for (int index = 0; index < 2; index++)
        sqlite3_bind_text (stmt, 4 + index, days [index], -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *reason = "";
        if (!compliance_rules_rlw_in_scope (&self->params->rlw, sv_db_text (stmt, 8),
                                            sv_db_text (stmt, 4), sv_db_text (stmt, 6),
                                            sv_db_text (stmt, 7), &reason)) {
            if (*sv_db_text (stmt, 12) && !streq (sv_db_text (stmt, 8), "no"))
                json_array_append_new (suggested, json_pack (
                    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                    "partner", sv_db_text (stmt, 0), "contract", sv_db_text (stmt, 1),
                    "title", sv_db_text (stmt, 2), "supplier", sv_db_text (stmt, 3),
                    "category", sv_db_text (stmt, 4),
                    "suggested_category", sv_db_text (stmt, 12),
                    "sic_codes", sv_db_text (stmt, 13)));
            continue;
        }
        bool commitment = sqlite3_column_int (stmt, 9) != 0;
        bool holds = compliance_rules_accredited (sqlite3_column_int (stmt, 10) != 0,
                                                  sv_db_text (stmt, 11), self->today);
        const char *state = commitment? "committed": holds? "accredited": "missing";
        in_scope++;
        committed += commitment;
        accredited += !commitment && holds;
        missing += !commitment && !holds;
        s_totals_t *partner = totals? s_totals_find (totals, count, sv_db_text (stmt, 0)): NULL;
        if (partner) {
            partner->in_scope++;
            partner->missing += !commitment && !holds;
        }
        json_array_append_new (contracts, json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:b, s:s, s:s}",
            "partner", sv_db_text (stmt, 0),
            "contract", sv_db_text (stmt, 1),
            "title", sv_db_text (stmt, 2),
            "supplier", sv_db_text (stmt, 3),
            "category", sv_db_text (stmt, 4),
            "value_pence", (json_int_t) sqlite3_column_int64 (stmt, 5),
            "start_date", sv_db_text (stmt, 6),
            "end_date", sv_db_text (stmt, 7),
            "reason", reason? reason: "",
            "rlw_commitment", commitment,
            "accredited", holds,
            "accreditation_expiry", sv_db_text (stmt, 11),
            "state", state));
        json_object_set_new (json_array_get (contracts, json_array_size (contracts) - 1),
                             "suggested_category", json_string (sv_db_text (stmt, 12)));
    }
    s_query_end (self, stmt, step);
    s_name_rows (self, contracts);
    s_name_rows (self, suggested);
    return json_pack ("{s:I, s:I, s:I, s:I, s:o, s:o}",
        "in_scope_contracts", (json_int_t) in_scope,
        "with_commitment", (json_int_t) committed,
        "accredited_supplier", (json_int_t) accredited,
        "missing_commitment", (json_int_t) missing,
        "contracts", contracts,
        "suggested_by_sic", suggested);
}

//  --------------------------------------------------------------------------
//  Alerts

//  Two alerts of a report's list, in compliance's order for every list of
//  alerts (qsort's comparator over json_t *)
static int
s_alert_order (const void *item1, const void *item2)
{
    const json_t *one = *(json_t *const *) item1, *two = *(json_t *const *) item2;
    sv_proto_alert_t alert1 = {
        .alert_id = (char *) json_string_value (json_object_get (one, "alert_id")),
        .severity = (char *) json_string_value (json_object_get (one, "severity"))
    };
    sv_proto_alert_t alert2 = {
        .alert_id = (char *) json_string_value (json_object_get (two, "alert_id")),
        .severity = (char *) json_string_value (json_object_get (two, "severity"))
    };
    return compliance_alert_compare (&alert1, &alert2);
}

//  Open and acknowledged alerts, and with recent true those resolved
//  since self->since; listed most severe first
static json_t *
s_alerts (s_report_t *self, bool recent)
{
    int64_t open = 0, acknowledged = 0, resolved = 0;
    json_t *by_rule = json_object ();
    json_t *list = json_array ();
    sqlite3_stmt *stmt = s_query (self, S_ALERTS (""), S_ALERTS (S_PARTNER));
    if (stmt) {
        if (recent)
            sqlite3_bind_text (stmt, 4, self->since, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            const char *rule = sv_db_text (stmt, 1);
            const char *state = sv_db_text (stmt, 3);
            if (streq (state, "resolved"))
                resolved++;
            else {
                if (streq (state, "open"))
                    open++;
                else
                    acknowledged++;
                //  Rows come by rule, so keys go in sorted
                json_t *counted = json_object_get (by_rule, rule);
                json_object_set_new (by_rule, rule, json_integer (
                    counted? json_integer_value (counted) + 1: 1));
            }
            json_array_append_new (list, json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                                                    " s:s, s:s, s:s}",
                "alert_id", sv_db_text (stmt, 0),
                "rule", rule,
                "severity", sv_db_text (stmt, 2),
                "state", state,
                "partner", sv_db_text (stmt, 4),
                "supplier", sv_db_text (stmt, 5),
                "contract", sv_db_text (stmt, 6),
                "message", sv_db_text (stmt, 7),
                "at", sv_db_text (stmt, 8),
                "measure", sv_db_text (stmt, 9),
                "measure_name", sv_db_text (stmt, 10)));
        }
        s_query_end (self, stmt, step);
    }
    size_t count = json_array_size (list);
    json_t **sorted = (json_t **) zmalloc ((count + 1) * sizeof (json_t *));
    for (size_t index = 0; index < count; index++)
        sorted [index] = json_incref (json_array_get (list, index));
    qsort (sorted, count, sizeof (json_t *), s_alert_order);
    json_array_clear (list);
    for (size_t index = 0; index < count; index++)
        json_array_append_new (list, sorted [index]);
    free (sorted);
    s_name_rows (self, list);
    json_t *alerts = json_pack ("{s:I, s:I}", "open", (json_int_t) open,
                                "acknowledged", (json_int_t) acknowledged);
    if (recent)
        json_object_set_new (alerts, "resolved_recently", json_integer (resolved));
    json_object_set_new (alerts, "by_rule", by_rule);
    json_object_set_new (alerts, "list", list);
    return alerts;
}

//  --------------------------------------------------------------------------
//  Contracts

//  The year's and the previous year's lines by partner, contract,
//  framework and measure, for the rows with lines in the year: partner,
//  contract, title, supplier key, supplier name, start, end, measure,
//  unit, description, committed and delivered quantity (thousandths) and
//  pence, the counted deliveries in each evidence state, the previous
//  year's delivered pence, the last return's period end, whether an open
//  delivery.shortfall or delivery.overdue alert names the contract, how
//  many committed and delivered lines valuation could not value (flagged:
//  no proxy for the year, a measure the framework lacks), and the
//  framework. A flagged line's quantity is
//  still what the supplier committed or delivered, so it counts in the
//  quantities (and in the status, which compares them); only its pence
//  are unknown, and the row says so rather than showing £0
#define S_CONTRACT_ROWS(AND_PARTNER) \
    "SELECT g.partner, g.contract_id, coalesce(c.title, ''), coalesce(c.supplier_key, '')," \
    " " S_SUPPLIER_NAME ("g.partner", "c.supplier_key") "," \
    " coalesce(c.start_date, ''), coalesce(c.end_date, ''), g.measure," \
    " coalesce(m.unit, ''), coalesce(m.description, ''), g.cq, g.dq, g.cp, g.dp," \
    " g.claimed, g.evidenced, g.validated, g.previous, coalesce(r.period_end, '')," \
    " EXISTS (SELECT 1 FROM alerts a WHERE a.partner = g.partner" \
    " AND a.contract_id = g.contract_id AND a.state = 'open'" \
    " AND a.rule IN ('delivery.shortfall', 'delivery.overdue'))," \
    " g.committed_unvalued, g.delivered_unvalued, g.framework FROM" \
    " (SELECT partner, contract_id, framework, measure," \
    " sum(CASE WHEN fy = ?1 AND kind = 0 THEN quantity_milli ELSE 0 END) AS cq," \
    " sum(CASE WHEN fy = ?1 AND kind = 1 THEN quantity_milli ELSE 0 END) AS dq," \
    " sum(CASE WHEN fy = ?1 AND kind = 0 THEN value_pence ELSE 0 END) AS cp," \
    " sum(CASE WHEN fy = ?1 AND kind = 1 THEN value_pence ELSE 0 END) AS dp," \
    " sum(fy = ?1 AND kind = 1 AND evidence = 1) AS claimed," \
    " sum(fy = ?1 AND kind = 1 AND evidence = 2) AS evidenced," \
    " sum(fy = ?1 AND kind = 1 AND evidence = 3) AS validated," \
    " sum(CASE WHEN fy = ?1 - 1 AND kind = 1 THEN value_pence ELSE 0 END) AS previous," \
    " sum(fy = ?1 AND kind = 0 AND flagged = 1) AS committed_unvalued," \
    " sum(fy = ?1 AND kind = 1 AND flagged = 1) AS delivered_unvalued" \
    " FROM value_lines WHERE fy IN (?1, ?1 - 1)" \
    " AND (kind = 0 OR (?3 >> evidence) & 1)" AND_PARTNER \
    " GROUP BY partner, contract_id, framework, measure HAVING sum(fy = ?1) > 0) AS g" \
    " LEFT JOIN contracts c ON c.partner = g.partner AND c.contract_id = g.contract_id" \
    S_JOIN_MEASURE ("g") \
    " LEFT JOIN returns r ON r.partner = g.partner AND r.contract_id = g.contract_id" \
    " ORDER BY g.partner, g.contract_id, g.measure, g.framework"


//  The day the next return of contract is due (see the header): the end
//  of the first return period ending after last_return (all periods when
//  "" or not a date), plus grace_days; "" into due when the contract's
//  start is unknown or every period is covered
static void
s_next_due (const compliance_rules_contract_t *contract, const char *last_return,
            int period_months, int grace_days, char *due)
{
    *due = 0;
    int32_t start, end, covered;
    if (period_months < 1 || sv_date_parse (contract->start_date, &start, NULL))
        return;
    bool ends = sv_date_parse (contract->end_date, &end, NULL) == 0;
    bool returned = *last_return && sv_date_parse (last_return, &covered, NULL) == 0;
    if (ends && end < start)
        return;
    for (int period = 0;; period++) {
        //  Each period counted from the start, as compliance counts them
        int32_t from = sv_date_add_months (start, period * period_months);
        if (ends && from > end)
            return;
        int32_t to = sv_date_add_months (start, (period + 1) * period_months) - 1;
        if (ends && to > end)
            to = end;
        if (!returned || to > covered) {
            sv_date_format (to + (grace_days > 0? grace_days: 0), due, SV_DATE_BUF);
            return;
        }
    }
}

//  Whether a row passes the --contract and --supplier filters
static bool
s_contract_wanted (s_report_t *self, const char *contract, const char *key,
                   const char *supplier)
{
    const char *only = self->params->contract;
    if (only && *only && !streq (only, contract))
        return false;
    only = self->params->supplier;
    return !only || !*only || streq (only, key) || streq (only, supplier);
}

//  The rows of the contracts report, each with its status (see the header)
static json_t *
s_contracts (s_report_t *self)
{
    const reporting_store_params_t *params = self->params;
    json_t *rows = json_array ();
    sqlite3_stmt *stmt = s_query_counted (self, S_CONTRACT_ROWS (""),
                                          S_CONTRACT_ROWS (S_PARTNER));
    if (!stmt)
        return rows;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        if (!s_contract_wanted (self, sv_db_text (stmt, 1), sv_db_text (stmt, 3),
                                sv_db_text (stmt, 4)))
            continue;
        compliance_rules_contract_t contract = {
            .partner = sv_db_text (stmt, 0),
            .contract_id = sv_db_text (stmt, 1),
            .title = sv_db_text (stmt, 2),
            .supplier_key = sv_db_text (stmt, 3),
            .supplier_name = sv_db_text (stmt, 4),
            .start_date = sv_db_text (stmt, 5),
            .end_date = sv_db_text (stmt, 6),
        };
        const char *measure = sv_db_text (stmt, 7);
        int64_t committed = sqlite3_column_int64 (stmt, 10);
        int64_t delivered = sqlite3_column_int64 (stmt, 11);
        int64_t delivered_pence = sqlite3_column_int64 (stmt, 13);
        int64_t previous = sqlite3_column_int64 (stmt, 17);
        const char *last_return = sv_db_text (stmt, 18);
        bool alert = sqlite3_column_int (stmt, 19) != 0;
        //  Only a commitment owes returns, as compliance has it
        bool owes = committed > 0;
        char message [COMPLIANCE_RULES_MESSAGE_MAX];
        char due [SV_DATE_BUF] = "";
        if (owes)
            s_next_due (&contract, last_return, params->return_period_months,
                        params->overdue_grace_days, due);
        const char *status = "green", *why = "";
        if (alert)
            status = "red", why = "open alert";
        else
        if (compliance_rules_shortfall (&contract, measure, committed, delivered,
                                        params->shortfall_tolerance_pct, self->today, message))
            status = "red", why = "shortfall";
        else
        if (owes && compliance_rules_overdue (&contract, last_return, params->return_period_months,
                                              params->overdue_grace_days, self->today, message))
            status = "red", why = "overdue";
        else
        if (compliance_rules_shortfall (&contract, measure, committed, delivered, 0,
                                        self->today, message))
            status = "amber", why = "below pro rata";
        else
        if (owes && compliance_rules_overdue (&contract, last_return,
                                              params->return_period_months, 0,
                                              self->today, message))
            status = "amber", why = "return due";
        json_array_append_new (rows, json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I,"
            " s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:I}",
            "partner", contract.partner,
            "contract", contract.contract_id,
            "title", contract.title,
            "supplier", contract.supplier_name,
            "start_date", contract.start_date,
            "end_date", contract.end_date,
            "framework", sv_db_text (stmt, 22),
            "measure", measure,
            "unit", sv_db_text (stmt, 8),
            "description", sv_db_text (stmt, 9),
            "committed_qty", s_quantity (committed),
            "delivered_qty", s_quantity (delivered),
            "committed_pence", (json_int_t) sqlite3_column_int64 (stmt, 12),
            "delivered_pence", (json_int_t) delivered_pence,
            "claimed", (json_int_t) sqlite3_column_int64 (stmt, 14),
            "evidenced", (json_int_t) sqlite3_column_int64 (stmt, 15),
            "validated", (json_int_t) sqlite3_column_int64 (stmt, 16),
            "last_return_end", last_return,
            "next_return_due", due,
            "status", status,
            "status_reason", why,
            "previous_delivered_pence", (json_int_t) previous,
            "delivered_change_pence", (json_int_t) (delivered_pence - previous),
            "delivered_change", s_share (delivered_pence - previous, previous),
            "committed_unvalued", (json_int_t) sqlite3_column_int64 (stmt, 20),
            "delivered_unvalued", (json_int_t) sqlite3_column_int64 (stmt, 21)));
    }
    s_query_end (self, stmt, step);
    s_name_rows (self, rows);
    return rows;
}

//  --------------------------------------------------------------------------
//  KPIs (the rows: reporting_store_kpi; the rule and the OCDS: reporting_kpi)

static json_t *
    s_counted_names (s_report_t *self);

static void
s_kpi (s_report_t *self, json_t *document)
{
    json_t *all = json_array (), *rows = json_array ();
    if (reporting_store_kpi_rows (self->store->db, self->fy, self->partner, self->mask, all))
        self->failed = true;
    size_t index;
    json_t *row;
    json_array_foreach (all, index, row) {
        const char *partner = json_string_value (json_object_get (row, "partner"));
        if (!s_contract_wanted (self, json_string_value (json_object_get (row, "contract")),
                                json_string_value (json_object_get (row, "supplier_key")),
                                json_string_value (json_object_get (row, "supplier"))))
            continue;
        //  A contract not read from OCDS has its ocid made from the
        //  partner's registered prefix (partners/<name>/ocid_prefix)
        if (!*json_string_value (json_object_get (row, "ocid"))) {
            const char *prefix = s_partner_config (self, partner, "ocid_prefix");
            json_object_set_new (row, "ocid", *prefix
                ? json_sprintf ("%s-%s", prefix, json_string_value (json_object_get (row,
                                                                    "contract")))
                : json_sprintf ("unregistered-%s-%s", partner,
                                json_string_value (json_object_get (row, "contract"))));
        }
        json_array_append (rows, row);
    }
    s_name_rows (self, rows);
    reporting_kpi_period_t period = {
        .year = self->year, .first = self->first, .last = self->last, .as_of = self->today,
        .created = self->params->created && *self->params->created
                 ? self->params->created: self->created,
        .shortfall_tolerance_pct = self->params->shortfall_tolerance_pct
    };
    json_object_set_new (document, "evidence_counted", s_counted_names (self));
    if (reporting_kpi_package (document, rows, &period))
        self->failed = true;
    json_decref (rows);
    json_decref (all);
}

//  --------------------------------------------------------------------------
//  Partnership

//  Where a by_outcome row goes: by the crosswalk's order of outcomes (a
//  measure it does not map last), then partner in the report's order,
//  framework and measure (qsort's comparator over json_t *)
static int
s_outcome_order (const void *left, const void *right)
{
    json_t *one = *(json_t *const *) left, *two = *(json_t *const *) right;
    static const char *const keys [] = { "outcome_rank", "partner_rank" };
    for (size_t key = 0; key < 2; key++) {
        json_int_t first = json_integer_value (json_object_get (one, keys [key]));
        json_int_t second = json_integer_value (json_object_get (two, keys [key]));
        if (first != second)
            return first < second? -1: 1;
    }
    int framework = strcmp (json_string_value (json_object_get (one, "framework")),
                            json_string_value (json_object_get (two, "framework")));
    return framework? framework: strcmp (json_string_value (json_object_get (one, "measure")),
                                         json_string_value (json_object_get (two, "measure")));
}

//  The partners' delivery side by side by common outcome (see
//  REPORT_JSON.md): "crosswalk" says which file mapped the measures (or
//  why none could be read), "by_outcome" one row per partner, framework
//  and measure with the outcome it serves ("" when the crosswalk maps it
//  to none). Nothing when no crosswalk is configured.
static void
s_by_outcome (s_report_t *self, json_t *partners, json_t *document)
{
    const reporting_store_params_t *params = self->params;
    if (!params->crosswalk_path || !*params->crosswalk_path)
        return;
    const reporting_crosswalk_t *crosswalk = params->crosswalk;
    json_t *outcomes = json_array ();
    size_t count = crosswalk? reporting_crosswalk_outcomes (crosswalk): 0;
    for (size_t index = 0; index < count; index++)
        json_array_append_new (outcomes,
                               json_string (reporting_crosswalk_outcome_at (crosswalk, index)));
    json_object_set_new (document, "crosswalk", json_pack ("{s:s, s:s, s:o}",
        "file", params->crosswalk_path,
        "problem", crosswalk? "": params->crosswalk_problem? params->crosswalk_problem: "",
        "outcomes", outcomes));
    json_t *rows = json_array ();
    sqlite3_stmt *stmt = crosswalk? s_query (self, S_VALUE_PARTNER_MEASURES (""),
                                             S_VALUE_PARTNER_MEASURES (S_PARTNER)): NULL;
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
    }
    int step = SQLITE_DONE;
    while (stmt && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *partner = sv_db_text (stmt, 0), *framework = sv_db_text (stmt, 1);
        const char *measure = sv_db_text (stmt, 2);
        const char *outcome = reporting_crosswalk_outcome (crosswalk, framework, measure);
        size_t rank = 0, partner_rank = 0;
        while (outcome && rank < count
           &&  !streq (reporting_crosswalk_outcome_at (crosswalk, rank), outcome))
            rank++;
        while (partner_rank < json_array_size (partners)
           &&  !streq (json_string_value (json_array_get (partners, partner_rank)), partner))
            partner_rank++;
        bool record_only = sqlite3_column_int (stmt, 5) != 0;
        json_array_append_new (rows, json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:I, s:I}",
            "outcome", outcome? outcome: "",
            "partner", partner,
            "framework", framework,
            "measure", measure,
            "description", sv_db_text (stmt, 3),
            "unit", sv_db_text (stmt, 4),
            "record_only", record_only,
            "committed_qty", s_quantity (sqlite3_column_int64 (stmt, 6)),
            "delivered_qty", s_quantity (sqlite3_column_int64 (stmt, 7)),
            "committed_pence", s_pence_unless (sqlite3_column_int64 (stmt, 8), record_only),
            "delivered_pence", s_pence_unless (sqlite3_column_int64 (stmt, 9), record_only),
            "outcome_rank", (json_int_t) (outcome? rank: count),
            "partner_rank", (json_int_t) partner_rank));
    }
    if (stmt)
        s_query_end (self, stmt, step);
    //  In the crosswalk's order, then the ranks are dropped
    size_t total = json_array_size (rows);
    json_t **sorted = (json_t **) zmalloc ((total + 1) * sizeof (json_t *));
    for (size_t index = 0; index < total; index++)
        sorted [index] = json_incref (json_array_get (rows, index));
    qsort (sorted, total, sizeof (json_t *), s_outcome_order);
    json_array_clear (rows);
    for (size_t index = 0; index < total; index++) {
        json_object_del (sorted [index], "outcome_rank");
        json_object_del (sorted [index], "partner_rank");
        json_array_append_new (rows, sorted [index]);
    }
    free (sorted);
    s_name_rows (self, rows);
    json_object_set_new (document, "by_outcome", rows);
}

static json_t *
s_partnership (s_report_t *self, json_t *partners, json_t *document)
{
    size_t count = json_array_size (partners);
    s_totals_t *totals = (s_totals_t *) zmalloc ((count + 1) * sizeof (s_totals_t));
    for (size_t index = 0; index < count; index++)
        totals [index].name = json_string_value (json_array_get (partners, index));
    //  The network's own figures, for what belongs to no partner
    s_totals_t network = { .name = "" };
    int step;

    for (int year = 0; year < 2; year++) {
        sqlite3_stmt *stmt = s_query (self, S_SPEND_PARTNERS (""),
                                      S_SPEND_PARTNERS (S_PARTNER));
        if (!stmt)
            break;
        sqlite3_bind_int (stmt, 1, self->fy - year);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            s_totals_t *partner = s_totals_find (totals, count, sv_db_text (stmt, 0));
            if (!partner)
                continue;
            int locality = sqlite3_column_int (stmt, 1);
            int64_t pence = sqlite3_column_int64 (stmt, 2);
            if (year == 1)
                partner->previous_local += locality == S_LOCAL? pence: 0;
            else {
                partner->total += pence;
                partner->local += locality == S_LOCAL? pence: 0;
                partner->unknown += locality == S_LOCAL || locality == S_NON_LOCAL? 0: pence;
            }
        }
        s_query_end (self, stmt, step);
    }
    sqlite3_stmt *stmt = s_query (self, S_VALUE_PARTNERS (""), S_VALUE_PARTNERS (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            s_totals_t *partner = s_totals_find (totals, count, sv_db_text (stmt, 0));
            if (partner) {
                partner->committed += sqlite3_column_int64 (stmt, 1);
                partner->delivered += sqlite3_column_int64 (stmt, 2);
            }
        }
        s_query_end (self, stmt, step);
    }
    //  Themes by partner: the rows of each partner, flat for csv and xlsx
    //  and again under the partner's row
    json_t *themes = json_array ();
    stmt = s_query (self, S_VALUE_PARTNER_THEMES (""), S_VALUE_PARTNER_THEMES (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        sqlite3_bind_int (stmt, 3, self->mask);
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            s_totals_t *partner = s_totals_find (totals, count, sv_db_text (stmt, 0));
            if (!partner)
                continue;
            bool record_only = sqlite3_column_int (stmt, 4) != 0;
            json_t *row = json_pack ("{s:s, s:o, s:o, s:b}",
                "theme", sv_db_text (stmt, 1),
                "committed_pence", s_pence_unless (sqlite3_column_int64 (stmt, 2), record_only),
                "delivered_pence", s_pence_unless (sqlite3_column_int64 (stmt, 3), record_only),
                "record_only", record_only);
            if (!partner->themes)
                partner->themes = json_array ();
            json_array_append (partner->themes, row);
            json_t *flat = json_pack ("{s:s, s:s}", "partner", partner->name,
                                      "partner_name", s_partner_name (self, partner->name));
            json_object_update (flat, row);
            json_decref (row);
            json_array_append_new (themes, flat);
        }
        s_query_end (self, stmt, step);
    }
    json_decref (s_rlw (self, totals, count));
    stmt = s_query (self, S_ALERTS_OPEN (""), S_ALERTS_OPEN (S_PARTNER));
    if (stmt) {
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
            s_totals_t *partner = s_totals_find (totals, count, sv_db_text (stmt, 0));
            (partner? partner: &network)->open_alerts += sqlite3_column_int64 (stmt, 1);
        }
        s_query_end (self, stmt, step);
    }

    json_t *by_partner = json_array ();
    for (size_t index = 0; index <= count; index++) {
        s_totals_t *partner = index < count? &totals [index]: &network;
        if (index < count) {
            network.total += partner->total;
            network.local += partner->local;
            network.unknown += partner->unknown;
            network.previous_local += partner->previous_local;
            network.committed += partner->committed;
            network.delivered += partner->delivered;
            network.in_scope += partner->in_scope;
            network.missing += partner->missing;
            network.open_alerts += partner->open_alerts;
        }
        json_t *row = json_pack ("{s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I}",
            "spend_total_pence", (json_int_t) partner->total,
            "local_pence", (json_int_t) partner->local,
            "unknown_locality_pence", (json_int_t) partner->unknown,
            "local_share", s_share (partner->local, partner->total),
            "committed_pence", (json_int_t) partner->committed,
            "delivered_pence", (json_int_t) partner->delivered,
            "in_scope_contracts", (json_int_t) partner->in_scope,
            "missing_commitment", (json_int_t) partner->missing,
            "open_alerts", (json_int_t) partner->open_alerts);
        //  The network's additional local spend is the sum of its partners'
        json_object_set_new (row, "additional_local_pence",
                             json_integer (partner->local - partner->previous_local));
        if (index < count) {
            //  "partner" leads the row, "additional_local_pence" follows
            //  the older keys, then the keys added since
            json_t *named = json_pack ("{s:s}", "partner", partner->name);
            json_object_update (named, row);
            json_decref (row);
            json_object_set_new (named, "partner_name",
                                 json_string (s_partner_name (self, partner->name)));
            json_object_set_new (named, "by_theme",
                                 partner->themes? partner->themes: json_array ());
            json_array_append_new (by_partner, named);
        }
        else
            json_object_set_new (document, "network", row);
    }
    json_object_set_new (document, "by_partner", by_partner);
    json_object_set_new (document, "by_partner_theme", themes);
    json_object_set_new (document, "frameworks", s_frameworks (self));
    json_object_set_new (document, "rlw", s_rlw_dates (self, partners));
    s_by_outcome (self, partners, document);
    free (totals);
    return document;
}


//  --------------------------------------------------------------------------
//  The document

//  Sets the mask of evidence states counted from a comma-separated list.
//  0, or -1 with the store's reason set.
static int
s_evidence_mask (s_report_t *self, const char *counted)
{
    if (!counted || !*counted) {
        self->mask = S_ALL_EVIDENCE;
        return 0;
    }
    self->mask = 0;
    const char *cursor = counted;
    while (*cursor) {
        while (*cursor == ' ' || *cursor == ',')
            cursor++;
        size_t length = strcspn (cursor, ", ");
        if (length == 0)
            break;
        int state = 0;
        for (int index = 1; index < 4 && !state; index++)
            if (strlen (s_evidence_names [index]) == length
            &&  strncmp (cursor, s_evidence_names [index], length) == 0)
                state = index;
        if (!state) {
            snprintf (self->store->reason, sizeof self->store->reason,
                      "evidence state '%.*s' is not claimed, evidenced or validated",
                      (int) (length > 40? 40: length), cursor);
            return -1;
        }
        self->mask |= 1 << state;
        cursor += length;
    }
    return 0;
}

//  The latest financial year (its starting year) found by query, in its
//  all-partners and one-partner forms; -1 when it finds none or fails
static int
s_latest_in (s_report_t *self, const char *sql_all, const char *sql_partner)
{
    int latest = -1;
    sqlite3_stmt *stmt = s_query (self, sql_all, sql_partner);
    if (!stmt)
        return -1;
    int step = sqlite3_step (stmt);
    if (step == SQLITE_ROW) {
        if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
            latest = sqlite3_column_int (stmt, 0);
        step = sqlite3_step (stmt);
    }
    s_query_end (self, stmt, step);
    return latest;
}

//  The year reported when none is asked for (see the header): the latest
//  with spend, so that a year holding only delivery returns never shows
//  as a year in which nothing was spent; else the latest with lines; -1
//  when there are neither
static int
s_default_year (s_report_t *self)
{
    int latest = s_latest_in (self, "SELECT max(fy) FROM spend_totals",
        "SELECT fy FROM spend_totals WHERE partner = ?2 AND fy IS NOT NULL"
        " ORDER BY fy DESC LIMIT 1");
    if (latest < 0 && !self->failed)
        latest = s_latest_in (self, "SELECT max(fy) FROM value_lines",
            "SELECT fy FROM value_lines WHERE partner = ?2 AND fy IS NOT NULL"
            " ORDER BY fy DESC LIMIT 1");
    return latest;
}

#define S_YEAR_HAS_DATA(AND_PARTNER) \
    "SELECT EXISTS (SELECT 1 FROM spend_totals WHERE fy = ?1" AND_PARTNER ")" \
    " OR EXISTS (SELECT 1 FROM value_lines WHERE fy = ?1" AND_PARTNER ")"

#define S_YEARS_WITH_DATA(AND_PARTNER) \
    "SELECT fy FROM spend_totals WHERE fy IS NOT NULL" AND_PARTNER \
    " UNION SELECT fy FROM value_lines WHERE fy IS NOT NULL" AND_PARTNER " ORDER BY fy"

//  0 when self->fy holds spend or lines (of the partner); else -1 with the
//  store's reason naming the years that do, or the database's error
static int
s_year_has_data (s_report_t *self)
{
    bool found = false;
    sqlite3_stmt *stmt = s_query (self, S_YEAR_HAS_DATA (""), S_YEAR_HAS_DATA (S_PARTNER));
    if (stmt) {
        sqlite3_bind_int (stmt, 1, self->fy);
        int step = sqlite3_step (stmt);
        if (step == SQLITE_ROW) {
            found = sqlite3_column_int (stmt, 0) != 0;
            step = sqlite3_step (stmt);
        }
        s_query_end (self, stmt, step);
    }
    //  "2024-25, 2025-26", cut short (by snprintf) past what a reason holds
    char years [160] = "";
    size_t length = 0;
    if (!found && !self->failed
    &&  (stmt = s_query (self, S_YEARS_WITH_DATA (""), S_YEARS_WITH_DATA (S_PARTNER)))) {
        int step;
        while ((step = sqlite3_step (stmt)) == SQLITE_ROW && length < sizeof years) {
            char year [SV_DATE_FY_BUF];
            sv_date_fy_format (sqlite3_column_int (stmt, 0), year, sizeof year);
            length += (size_t) snprintf (years + length, sizeof years - length, "%s%s",
                                         length? ", ": "", year);
        }
        s_query_end (self, stmt, step == SQLITE_ROW? SQLITE_DONE: step);
    }
    if (self->failed)
        snprintf (self->store->reason, sizeof self->store->reason, "%s",
                  sv_db_error (self->store->db));
    else
    if (!found)
        snprintf (self->store->reason, sizeof self->store->reason, "no data for %s%s%.60s; %s%s",
                  self->year, self->partner? " from ": "", self->partner? self->partner: "",
                  *years? "years with data: ": "no year has data yet", years);
    return found? 0: -1;
}

//  The partners reported, sorted; NULL when a named partner is unknown
static json_t *
s_partners (s_report_t *self)
{
    json_t *partners = json_array ();
    sqlite3_stmt *stmt = s_query (self, "SELECT name FROM partners ORDER BY name",
                                  "SELECT name FROM partners WHERE name = ?2");
    if (!stmt)
        return partners;
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW)
        json_array_append_new (partners, json_string (sv_db_text (stmt, 0)));
    s_query_end (self, stmt, step);
    if (self->partner && json_array_size (partners) == 0 && !self->failed) {
        snprintf (self->store->reason, sizeof self->store->reason,
                  "no data from a partner called '%.80s'", self->partner);
        json_decref (partners);
        return NULL;
    }
    return partners;
}

//  Resolves the year and the days that follow from it and from the
//  created date. 0, or -1 with the store's reason set.
static int
s_dates (s_report_t *self, bool needs_year)
{
    const char *year = self->params->year;
    int32_t created;
    if (!self->params->created || sv_date_parse (self->params->created, &created, NULL))
        created = sv_date_today ();
    self->created_day = created;
    sv_date_format (created, self->created, sizeof self->created);
    sv_date_format (created - S_RECENT_DAYS, self->since, sizeof self->since);
    if (!needs_year)
        return 0;
    if (!year || !*year) {
        self->fy = s_default_year (self);
        if (self->fy < 0) {
            snprintf (self->store->reason, sizeof self->store->reason, "%s",
                      self->failed? sv_db_error (self->store->db)
                                  : "no spend or valuation lines yet: no year to report on");
            return -1;
        }
    }
    else
    if (sv_date_fy_parse (year, &self->fy)) {
        snprintf (self->store->reason, sizeof self->store->reason,
                  "year '%.40s' is not a financial year such as 2024-25", year);
        return -1;
    }
    sv_date_fy_format (self->fy, self->year, sizeof self->year);
    if (s_year_has_data (self))
        return -1;
    sv_date_fy_format (self->fy - 1, self->previous, sizeof self->previous);
    int32_t last = sv_date_fy_last (self->fy);
    sv_date_format (sv_date_fy_first (self->fy), self->first, sizeof self->first);
    sv_date_format (last, self->last, sizeof self->last);
    sv_date_format (last < created? last: created, self->today, sizeof self->today);
    return 0;
}

//  The document's keys every report has
static json_t *
s_document (s_report_t *self, const char *kind, json_t *partners)
{
    const char *who = self->partner? s_partner_name (self, self->partner): "all partners";
    char title [256];
    if (streq (kind, "annual"))
        snprintf (title, sizeof title, "Social value report %s: %s", self->year, who);
    else
    if (streq (kind, "partnership"))
        snprintf (title, sizeof title, "Anchor network report %s: %s", self->year, who);
    else
    if (streq (kind, "rlw-scope"))
        snprintf (title, sizeof title, "Real Living Wage scope %s: %s", self->year, who);
    else
    if (streq (kind, "contracts"))
        snprintf (title, sizeof title, "Contract management %s: %s", self->year, who);
    else
    if (streq (kind, "kpi"))
        snprintf (title, sizeof title, "Contract performance (KPIs) %s: %s", self->year, who);
    else
        snprintf (title, sizeof title, "Compliance alerts: %s", who);
    const reporting_store_params_t *params = self->params;
    return json_pack ("{s:s, s:s, s:s, s:s, s:o, s:s, s:{s:I, s:I, s:I}}",
        "report", kind,
        "title", title,
        "year", self->year,
        "partner", self->partner? self->partner: "all",
        "partners", partners,
        "created", params->created? params->created: "",
        "offsets",
            "ingest", (json_int_t) params->ingest_offset,
            "valuation", (json_int_t) params->valuation_offset,
            "compliance", (json_int_t) params->compliance_offset);
}

//  The display names of the partners reported: {partner: display name}
static json_t *
s_partner_names (s_report_t *self, json_t *partners)
{
    json_t *names = json_object ();
    size_t index;
    json_t *partner;
    json_array_foreach (partners, index, partner)
        json_object_set_new (names, json_string_value (partner),
            json_string (s_partner_name (self, json_string_value (partner))));
    return names;
}

//  The evidence states counted, by name
static json_t *
s_counted_names (s_report_t *self)
{
    json_t *counted = json_array ();
    for (int index = 1; index < 4; index++)
        if (self->mask & (1 << index))
            json_array_append_new (counted, json_string (s_evidence_names [index]));
    return counted;
}

static json_t *
s_report (s_report_t *self)
{
    const char *kind = self->params->kind;
    if (!streq (kind, "annual") && !streq (kind, "partnership")
    &&  !streq (kind, "rlw-scope") && !streq (kind, "alerts") && !streq (kind, "contracts")
    &&  !streq (kind, "kpi")) {
        snprintf (self->store->reason, sizeof self->store->reason,
                  "no report called '%.40s': annual, partnership, rlw-scope, alerts,"
                  " contracts or kpi", kind);
        return NULL;
    }
    if (s_evidence_mask (self, self->params->evidence_counted))
        return NULL;
    json_t *partners = s_partners (self);
    if (!partners || s_dates (self, !streq (kind, "alerts"))) {
        json_decref (partners);
        return NULL;
    }
    json_t *document = s_document (self, kind, partners);
    json_object_set_new (document, "partner_names", s_partner_names (self, partners));
    if (streq (kind, "annual")) {
        json_object_set_new (document, "evidence_counted", s_counted_names (self));
        json_object_set_new (document, "small_number_threshold",
                             json_integer (self->params->small_number_threshold));
        json_object_set_new (document, "spend", s_spend (self));
        json_object_set_new (document, "social_value", s_social_value (self));
        json_t *rlw = s_rlw (self, NULL, 0);
        json_object_update_new (rlw, s_rlw_dates (self, partners));
        json_object_set_new (document, "rlw", rlw);
        json_object_set_new (document, "alerts", s_alerts (self, false));
    }
    else
    if (streq (kind, "partnership"))
        s_partnership (self, partners, document);
    else
    if (streq (kind, "rlw-scope")) {
        json_t *categories = json_array ();
        const char *cursor = self->params->rlw.categories? self->params->rlw.categories: "";
        while (*cursor) {
            cursor += strspn (cursor, ", ");
            size_t length = strcspn (cursor, ",");
            size_t kept = length;
            while (kept && cursor [kept - 1] == ' ')
                kept--;
            if (kept)
                json_array_append_new (categories, json_stringn (cursor, kept));
            cursor += length;
        }
        json_object_set_new (document, "criteria", json_pack ("{s:o, s:i}",
            "categories", categories, "min_weeks", self->params->rlw.min_weeks));
        json_object_set_new (document, "rlw", s_rlw (self, NULL, 0));
    }
    else
    if (streq (kind, "contracts")) {
        const reporting_store_params_t *params = self->params;
        json_object_set_new (document, "rules", json_pack ("{s:i, s:i, s:i, s:s}",
            "shortfall_tolerance_pct", params->shortfall_tolerance_pct,
            "return_period_months", params->return_period_months,
            "overdue_grace_days", params->overdue_grace_days,
            "as_of", self->today));
        json_object_set_new (document, "filters", json_pack ("{s:s, s:s}",
            "contract", params->contract? params->contract: "",
            "supplier", params->supplier? params->supplier: ""));
        json_object_set_new (document, "evidence_counted", s_counted_names (self));
        json_object_set_new (document, "contracts", s_contracts (self));
    }
    else
    if (streq (kind, "kpi"))
        s_kpi (self, document);
    else
        json_object_set_new (document, "alerts", s_alerts (self, true));
    if (self->failed) {
        snprintf (self->store->reason, sizeof self->store->reason, "%s",
                  sv_db_error (self->store->db));
        json_decref (document);
        return NULL;
    }
    return document;
}

json_t *
reporting_store_report (reporting_store_t *self, const reporting_store_params_t *params,
                        const char **reason_p)
{
    assert (self && params && params->kind);
    const char *partner = params->partner;
    s_report_t report = {
        .store = self,
        .params = params,
        .partner = partner && *partner && !streq (partner, "all")? partner: NULL,
    };
    *self->reason = 0;
    //  One snapshot for every query, in or out of the caller's transaction
    json_t *document = NULL;
    if (sv_db_exec (self->db, "SAVEPOINT report") == 0) {
        document = s_report (&report);
        sv_db_exec (self->db, "RELEASE report");
    }
    else
        snprintf (self->reason, sizeof self->reason, "%s", sv_db_error (self->db));
    if (!document && reason_p)
        *reason_p = self->reason;
    return document;
}


//  ==========================================================================
//  Tracing a figure (socval explain)
//
//  A figure's lines are chosen by the same conditions the report's query
//  for that figure uses, with every narrowing optional: one statement
//  text per kind of line, however the figure narrows it. Parameters of
//  payments: ?1 year, ?2 partner, ?3 1 to take the previous year's lines
//  too, negated (additional local spend), ?4 locality or -1, ?5 month or
//  0, ?6 ward code, ?7 ?8 ?9 SME, VCSE, employee-owned only, ?10 what a
//  line adds (0 pence, 1 one), ?11 limit, ?12 offset.

#define S_TRACE_SPEND_ADDS \
    "(CASE WHEN ?10 = 1 THEN 1 ELSE s.amount_pence END" \
    " * CASE WHEN s.fy = ?1 THEN 1 ELSE -1 END)"
#define S_TRACE_SPEND_WHERE(FY) \
    " WHERE " FY " IN (?1, ?1 - ?3) AND (?2 IS NULL OR s.partner = ?2)" \
    " AND (?4 < 0 OR s.locality = ?4) AND (?5 = 0 OR s.month = ?5)" \
    " AND (?6 IS NULL OR (s.locality = 0 AND s.ward_code = ?6))" \
    " AND (NOT ?7 OR s.sme) AND (NOT ?8 OR s.vcse) AND (NOT ?9 OR s.employee_owned)"
//  The same conditions on the payments table itself: those on the place
//  choose the payees first (a few thousand places, not a lookup a
//  payment); a payee with no place yet is unknown, and neither SME, VCSE
//  nor employee-owned
#define S_TRACE_PLACE_ANY " (?4 < 0 AND ?6 IS NULL AND NOT ?7 AND NOT ?8 AND NOT ?9)"
#define S_TRACE_PAYMENTS_WHERE(FY) \
    " WHERE " FY " IN (?1, ?1 - ?3) AND (?2 IS NULL OR s.partner = ?2)" \
    " AND (?5 = 0 OR s.month = ?5) AND (" S_TRACE_PLACE_ANY \
    " OR s.payee IN (SELECT p.id FROM places p WHERE (?4 < 0 OR p.locality = ?4)" \
    " AND (?6 IS NULL OR (p.locality = 0 AND p.ward_code = ?6))" \
    " AND (NOT ?7 OR p.sme) AND (NOT ?8 OR p.vcse) AND (NOT ?9 OR p.employee_owned))" \
    " OR (?4 = 2 AND ?6 IS NULL AND NOT ?7 AND NOT ?8 AND NOT ?9" \
    " AND s.payee NOT IN (SELECT id FROM places)))"

//  Valued lines: ?1 year, ?2 partner, ?3 evidence mask, ?4 1 for the
//  flagged lines (counted nowhere), ?5 kind or -1, ?6 measure, ?7 theme,
//  ?8 contract, ?9 ward as stored, ?10 beneficiary group, ?11 what a line
//  adds (0 pence, 1 one, 2 thousandths), ?12 limit, ?13 offset, ?14 1 to
//  take lines of every evidence state, flagged or not (the breakdown), ?15
//  framework (with ?6, one framework's measure of the code), ?16 1 for the
//  lines as the contracts report takes them (figure->with_unvalued), ?17
//  an evidence state or 0, ?18 1 for lines of a framework with a
//  commitment of the line's contract and measure in the year only (as a
//  social value KPI is made: reporting_store_kpi). A figure in pence takes no line of a
//  record-only measure (it has no £), but a contracts row's does (its
//  pence are 0, as the row's are); the breakdown takes them all
#define S_TRACE_VALUE_ADDS \
    "(CASE ?11 WHEN 0 THEN v.value_pence WHEN 1 THEN 1 ELSE v.quantity_milli END)"
#define S_TRACE_VALUE_WHERE(FY) \
    " WHERE " FY " = ?1 AND (?2 IS NULL OR v.partner = ?2) AND (?5 < 0 OR v.kind = ?5)" \
    " AND (?6 IS NULL OR v.measure = ?6)" \
    " AND (?15 IS NULL OR v.framework = ?15)" \
    " AND (?7 IS NULL OR coalesce((SELECT m.theme FROM measures m" \
    " WHERE m.framework = v.framework AND m.measure = v.measure), '') = ?7)" \
    " AND (?8 IS NULL OR v.contract_id = ?8) AND (?9 IS NULL OR v.ward = ?9)" \
    " AND (?10 IS NULL OR v.beneficiary_group = ?10)" \
    " AND (?17 = 0 OR v.evidence = ?17)" \
    " AND (NOT ?18 OR (SELECT sum(c.quantity_milli) FROM value_lines c WHERE c.fy = ?1" \
    " AND c.partner = v.partner AND c.contract_id = v.contract_id" \
    " AND c.framework = v.framework AND c.measure = v.measure AND c.kind = 0) > 0)" \
    " AND (?14 OR (?16 AND (NOT ?4 OR v.flagged) AND (v.kind = 0 OR (?3 >> v.evidence) & 1))" \
    " OR (NOT ?16 AND v.flagged = ?4 AND (?4 OR v.kind = 0 OR (?3 >> v.evidence) & 1)))" \
    " AND (?14 OR ?16 OR ?11 != 0 OR coalesce((SELECT m.record_only FROM measures m" \
    " WHERE m.framework = v.framework AND m.measure = v.measure), 0) = 0)"

static void
s_bind_optional (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
}

//  Binds a figure's conditions on payments; the year is fy
static void
s_trace_bind_spend (sqlite3_stmt *stmt, const reporting_store_figure_t *figure, int fy,
                    const char *partner)
{
    sqlite3_bind_int (stmt, 1, fy);
    s_bind_optional (stmt, 2, partner);
    sqlite3_bind_int (stmt, 3, figure->less_previous);
    sqlite3_bind_int (stmt, 4, figure->locality);
    sqlite3_bind_int (stmt, 5, figure->month);
    s_bind_optional (stmt, 6, figure->ward);
    sqlite3_bind_int (stmt, 7, figure->flag && streq (figure->flag, "sme"));
    sqlite3_bind_int (stmt, 8, figure->flag && streq (figure->flag, "vcse"));
    sqlite3_bind_int (stmt, 9, figure->flag && streq (figure->flag, "employee_owned"));
    sqlite3_bind_int (stmt, 10, figure->adds == REPORTING_STORE_ADDS_ONE);
}

static void
s_trace_bind_value (sqlite3_stmt *stmt, const reporting_store_figure_t *figure, int fy,
                    const char *partner, int mask, bool every_state)
{
    sqlite3_bind_int (stmt, 1, fy);
    s_bind_optional (stmt, 2, partner);
    sqlite3_bind_int (stmt, 3, mask);
    sqlite3_bind_int (stmt, 4, figure->flagged);
    sqlite3_bind_int (stmt, 5, figure->kind);
    s_bind_optional (stmt, 6, figure->measure);
    s_bind_optional (stmt, 7, figure->theme);
    s_bind_optional (stmt, 8, figure->contract);
    s_bind_optional (stmt, 9, figure->ward);
    s_bind_optional (stmt, 10, figure->group);
    sqlite3_bind_int (stmt, 11, figure->adds == REPORTING_STORE_ADDS_PENCE? 0
                              : figure->adds == REPORTING_STORE_ADDS_ONE? 1: 2);
    sqlite3_bind_int (stmt, 14, every_state || figure->every_state);
    s_bind_optional (stmt, 15, figure->framework);
    sqlite3_bind_int (stmt, 16, figure->with_unvalued);
    sqlite3_bind_int (stmt, 17, figure->evidence);
    sqlite3_bind_int (stmt, 18, figure->committed_framework);
}

//  The key of a line without its partner's prefix ("council/SPEND/T1/1"
//  is "SPEND/T1/1" of council)
static const char *
s_trace_line_key (const char *key, const char *partner)
{
    size_t length = strlen (partner);
    return strncmp (key, partner, length) == 0 && key [length] == '/'? key + length + 1: key;
}

//  A column that may be NULL (a line stored before the store kept it)
static json_t *
s_trace_int (sqlite3_stmt *stmt, int column)
{
    return sqlite3_column_type (stmt, column) == SQLITE_NULL? json_null ()
         : json_integer (sqlite3_column_int64 (stmt, column));
}

static json_t *
s_trace_year (sqlite3_stmt *stmt, int column)
{
    char year [SV_DATE_FY_BUF] = "";
    if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
        sv_date_fy_format (sqlite3_column_int (stmt, column), year, sizeof year);
    return json_string (year);
}

static json_t *
s_trace_spend_row (sqlite3_stmt *stmt)
{
    static const char *const localities [] = { "local", "non_local", "unknown" };
    int locality = sqlite3_column_int (stmt, 9);
    bool redacted = sqlite3_column_int (stmt, 7) != 0;
    const char *partner = sv_db_text (stmt, 1);
    json_t *row = json_pack ("{s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:b, s:s, s:s, s:s, s:s}",
        "partner", partner,
        "line", s_trace_line_key (sv_db_text (stmt, 0), partner),
        "source_seq", s_trace_int (stmt, 2),
        "payment_date", sv_db_text (stmt, 3),
        "year", s_trace_year (stmt, 17),
        //  A payment whose supplier the partner withheld names nobody here
        "supplier_key", redacted? "": sv_db_text (stmt, 5),
        "supplier", redacted? "(redacted)": sv_db_text (stmt, 6),
        "redacted", redacted,
        "postcode", redacted? "": sv_db_text (stmt, 8),
        "locality", localities [locality >= 0 && locality <= S_UNKNOWN? locality: S_UNKNOWN],
        "ward_code", sv_db_text (stmt, 10),
        "ward_name", sv_db_text (stmt, 11));
    json_object_update_new (row, json_pack ("{s:o, s:o, s:b, s:b, s:b, s:I, s:I}",
        "locality_reason", sqlite3_column_type (stmt, 12) == SQLITE_NULL? json_null ()
                                                : json_string (sv_db_text (stmt, 12)),
        "directory", sqlite3_column_type (stmt, 13) == SQLITE_NULL? json_null ()
                                                : json_string (sv_db_text (stmt, 13)),
        "sme", sqlite3_column_int (stmt, 14) != 0,
        "vcse", sqlite3_column_int (stmt, 15) != 0,
        "employee_owned", sqlite3_column_int (stmt, 16) != 0,
        "amount_pence", (json_int_t) sqlite3_column_int64 (stmt, 4),
        "adds", (json_int_t) sqlite3_column_int64 (stmt, 18)));
    return row;
}

//  A valued line of a figure; "counted" whether the figure's report counts
//  it (a flagged line counts in a contracts row's quantities)
static json_t *
s_trace_value_row (sqlite3_stmt *stmt, int mask, bool with_unvalued)
{
    const char *partner = sv_db_text (stmt, 1);
    int evidence = sqlite3_column_int (stmt, 9);
    int kind = sqlite3_column_int (stmt, 7);
    bool flagged = sqlite3_column_int (stmt, 18) != 0;
    json_t *row = json_pack ("{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:b}",
        "partner", partner,
        "line", s_trace_line_key (sv_db_text (stmt, 0), partner),
        "source_seq", s_trace_int (stmt, 2),
        "contract", sv_db_text (stmt, 3),
        "supplier_key", sv_db_text (stmt, 4),
        "supplier", sv_db_text (stmt, 5),
        "measure", sv_db_text (stmt, 6),
        "kind", kind? "delivered": "committed",
        "year", s_trace_year (stmt, 8),
        "evidence", evidence > 0 && evidence < 4? s_evidence_names [evidence]: "",
        "counted", (with_unvalued || !flagged) && (kind == 0 || ((mask >> evidence) & 1)),
        "flagged", flagged);
    json_object_update_new (row, json_pack ("{s:o, s:o, s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:I}",
        "quantity", s_quantity (sqlite3_column_int64 (stmt, 10)),
        "proxy_pence", s_trace_int (stmt, 11),
        "value_pence", (json_int_t) sqlite3_column_int64 (stmt, 12),
        "framework", sv_db_text (stmt, 13),
        "framework_version", sv_db_text (stmt, 14),
        //  The year whose proxy valued the line: a commitment's contract's
        //  start year, a delivery's own ("" when none: flagged, record only)
        "proxy_year", s_trace_year (stmt, 20),
        "ward", sv_db_text (stmt, 15),
        "ward_name", sv_db_text (stmt, 16),
        "beneficiary_group", sv_db_text (stmt, 17),
        "adds", (json_int_t) sqlite3_column_int64 (stmt, 19)));
    return row;
}

//  Lines of the evidence states counted and not, and flagged, among the
//  deliveries the figure would take if every state counted (a flagged
//  line in a state counted is counted by a contracts row's figure):
//  [{"evidence", "counted", "flagged", "lines", "value_pence"}]
static json_t *
s_trace_evidence (reporting_store_t *self, const reporting_store_figure_t *figure, int fy,
                  const char *partner, int mask, bool *failed)
{
    json_t *states = json_array ();
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT v.evidence, v.flagged, count(*), coalesce(sum(v.value_pence), 0)"
        " FROM value_lines v" S_TRACE_VALUE_WHERE ("v.fy") " AND v.kind = 1"
        " GROUP BY v.evidence, v.flagged ORDER BY v.flagged, v.evidence");
    if (!stmt) {
        *failed = true;
        return states;
    }
    s_trace_bind_value (stmt, figure, fy, partner, mask, true);
    int step;
    while ((step = sqlite3_step (stmt)) == SQLITE_ROW) {
        int evidence = sqlite3_column_int (stmt, 0);
        bool flagged = sqlite3_column_int (stmt, 1) != 0;
        json_array_append_new (states, json_pack ("{s:s, s:b, s:b, s:I, s:I}",
            "evidence", evidence > 0 && evidence < 4? s_evidence_names [evidence]: "",
            "counted", (figure->with_unvalued || !flagged) && ((mask >> evidence) & 1),
            "flagged", flagged,
            "lines", (json_int_t) sqlite3_column_int64 (stmt, 2),
            "value_pence", (json_int_t) sqlite3_column_int64 (stmt, 3)));
    }
    if (step != SQLITE_DONE)
        *failed = true;
    sqlite3_reset (stmt);
    return states;
}

//  The statements of a figure's lines and of their count and sum. FY is
//  the year's column as the WHERE reads it: "s.fy" through the (fy,
//  partner) index, "+s.fy" (not through it) to scan the table, which is
//  several times quicker when the year is much of the table (s_trace_scan)
//  The count and sum of payments come from their sums (spend_totals), as
//  the report's figure did: only the page of lines reads the payments
#define S_TRACE_SPEND_SUM(FY) \
    "SELECT coalesce(sum(s.payments), 0), coalesce(sum(" \
    "(CASE WHEN ?10 = 1 THEN s.payments ELSE s.amount_pence END)" \
    " * CASE WHEN s.fy = ?1 THEN 1 ELSE -1 END), 0) FROM spend_totals s" \
    S_TRACE_SPEND_WHERE (FY)
#define S_TRACE_VALUE_SUM(FY) \
    "SELECT count(*), coalesce(sum(" S_TRACE_VALUE_ADDS "), 0) FROM value_lines v" \
    S_TRACE_VALUE_WHERE (FY)
//  The page of lines is chosen first, on the line alone, and only its
//  lines are then joined to names, wards and rules: a figure of a million
//  payments sorts a million narrow rows, not wide ones
#define S_TRACE_VALUE_ROWS(FY) \
    "SELECT v.key, v.partner, v.source_seq, v.contract_id, v.supplier_key," \
    " CASE WHEN v.supplier_key = '' THEN '' ELSE " \
    S_SUPPLIER_NAME ("v.partner", "v.supplier_key") " END," \
    " v.measure, v.kind, v.fy, v.evidence, v.quantity_milli, v.proxy_pence," \
    " v.value_pence, v.framework, v.framework_version, v.ward, coalesce(w.name, '')," \
    " v.beneficiary_group, v.flagged, page.adds, v.proxy_fy FROM" \
    " (SELECT v.rowid AS line, " S_TRACE_VALUE_ADDS " AS adds, v.key AS key" \
    " FROM value_lines v" S_TRACE_VALUE_WHERE (FY) \
    " ORDER BY adds DESC, v.key LIMIT ?12 OFFSET ?13) AS page" \
    " JOIN value_lines v ON v.rowid = page.line LEFT JOIN wards w ON w.code = v.ward" \
    " ORDER BY page.adds DESC, page.key"
#define S_TRACE_SPEND_ROWS(FY) \
    "SELECT s.key, s.partner, s.source_seq, s.payment_date, s.amount_pence," \
    " s.supplier_key, CASE WHEN s.supplier_key = '' THEN '' ELSE " \
    S_SUPPLIER_NAME ("s.partner", "s.supplier_key") " END, s.redacted, s.postcode," \
    " s.locality, s.ward_code, coalesce(w.name, ''), p.reason, p.directory," \
    " s.sme, s.vcse, s.employee_owned, s.fy, page.adds FROM" \
    " (SELECT s.rowid AS line, " S_TRACE_SPEND_ADDS " AS adds, s.key AS key" \
    " FROM payments s" S_TRACE_PAYMENTS_WHERE (FY) \
    " ORDER BY adds DESC, s.key LIMIT ?11 OFFSET ?12) AS page" \
    " JOIN spend_lines s ON s.rowid = page.line" \
    " LEFT JOIN wards w ON w.code = s.ward_code" \
    " LEFT JOIN localities p ON p.id = s.place ORDER BY page.adds DESC, page.key"

static const char *
s_trace_sql (const reporting_store_figure_t *figure, bool sum, bool scan)
{
    if (sum)
        return figure->valued? (scan? S_TRACE_VALUE_SUM ("+v.fy"): S_TRACE_VALUE_SUM ("v.fy"))
                             : (scan? S_TRACE_SPEND_SUM ("+s.fy"): S_TRACE_SPEND_SUM ("s.fy"));
    return figure->valued? (scan? S_TRACE_VALUE_ROWS ("+v.fy"): S_TRACE_VALUE_ROWS ("v.fy"))
                         : (scan? S_TRACE_SPEND_ROWS ("+s.fy"): S_TRACE_SPEND_ROWS ("s.fy"));
}

//  Whether the figure's year holds more than a quarter of its table's
//  lines, so that a scan beats the index (two counts the index answers).
//  Payments have no index by year (the reports read spend_sums): they are
//  always scanned.
static bool
s_trace_scan (reporting_store_t *self, const reporting_store_figure_t *figure, int fy)
{
    if (!figure->valued)
        return true;
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT (SELECT count(*) FROM value_lines WHERE fy = ?1),"
        " (SELECT count(*) FROM value_lines)");
    if (!stmt)
        return false;
    sqlite3_bind_int (stmt, 1, fy);
    bool scan = sqlite3_step (stmt) == SQLITE_ROW
             && sqlite3_column_int64 (stmt, 0) * 4 > sqlite3_column_int64 (stmt, 1);
    sqlite3_reset (stmt);
    return scan;
}

//  What a figure is traced in: its year (fy), partner and evidence mask,
//  from params. -1 with self->reason when params cannot be read.
static int
s_trace_scope (reporting_store_t *self, const reporting_store_params_t *params,
               const reporting_store_figure_t *figure, int *fy, const char **partner,
               int *mask)
{
    *self->reason = 0;
    s_report_t report = { .store = self, .params = params };
    if (!params->year || sv_date_fy_parse (params->year, fy)) {
        snprintf (self->reason, sizeof self->reason, "a figure is traced in a year named"
                  " as 2024-25, not '%.40s'", params->year? params->year: "");
        return -1;
    }
    if (s_evidence_mask (&report, params->evidence_counted))
        return -1;
    *fy += figure->year_offset;
    *mask = report.mask;
    *partner = figure->partner? figure->partner
             : params->partner && *params->partner
               && !streq (params->partner, "all")? params->partner: NULL;
    return 0;
}

//  Passes the figure's lines, the largest first, skipping after and at
//  most max of them (0: all), to fn; 0, or -1 on a database error or when
//  fn stops
static int
s_trace_each (reporting_store_t *self, const reporting_store_figure_t *figure, int fy,
              const char *partner, int mask, uint64_t after, uint64_t max,
              reporting_store_row_fn *fn, void *arg)
{
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
                                     s_trace_sql (figure, false, s_trace_scan (self, figure, fy)));
    if (!stmt)
        return -1;
    if (figure->valued) {
        s_trace_bind_value (stmt, figure, fy, partner, mask, false);
        sqlite3_bind_int64 (stmt, 12, max? (sqlite3_int64) max: -1);
        sqlite3_bind_int64 (stmt, 13, (sqlite3_int64) after);
    }
    else {
        s_trace_bind_spend (stmt, figure, fy, partner);
        sqlite3_bind_int64 (stmt, 11, max? (sqlite3_int64) max: -1);
        sqlite3_bind_int64 (stmt, 12, (sqlite3_int64) after);
    }
    int step, rc = 0;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
        json_t *row = figure->valued? s_trace_value_row (stmt, mask, figure->with_unvalued)
                                    : s_trace_spend_row (stmt);
        rc = fn (row, arg);
        json_decref (row);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_reset (stmt);
    return rc;
}

static int
s_trace_append (json_t *row, void *arg)
{
    return json_array_append ((json_t *) arg, row);
}

json_t *
reporting_store_trace (reporting_store_t *self, const reporting_store_params_t *params,
                       const reporting_store_figure_t *figure, uint64_t after, uint64_t max,
                       const char **reason_p)
{
    assert (self && params && figure);
    int fy, mask;
    const char *partner;
    if (s_trace_scope (self, params, figure, &fy, &partner, &mask)) {
        if (reason_p)
            *reason_p = self->reason;
        return NULL;
    }
    json_t *trace = NULL;
    bool failed = sv_db_exec (self->db, "SAVEPOINT trace") != 0;
    int64_t lines = 0, sum = 0;
    sqlite3_stmt *stmt = failed? NULL: sv_db_stmt (self->db,
        s_trace_sql (figure, true, s_trace_scan (self, figure, fy)));
    if (stmt) {
        if (figure->valued)
            s_trace_bind_value (stmt, figure, fy, partner, mask, false);
        else
            s_trace_bind_spend (stmt, figure, fy, partner);
        if (sqlite3_step (stmt) == SQLITE_ROW) {
            lines = sqlite3_column_int64 (stmt, 0);
            sum = sqlite3_column_int64 (stmt, 1);
        }
        else
            failed = true;
        sqlite3_reset (stmt);
    }
    else
        failed = true;
    json_t *rows = json_array ();
    failed = failed
          || s_trace_each (self, figure, fy, partner, mask, after, max, s_trace_append, rows);
    json_t *evidence = figure->valued && figure->kind == 1 && !figure->flagged && !failed?
        s_trace_evidence (self, figure, fy, partner, mask, &failed): NULL;
    if (failed)
        snprintf (self->reason, sizeof self->reason, "%s", sv_db_error (self->db));
    else {
        trace = json_pack ("{s:I, s:I, s:o}", "rows_total", (json_int_t) lines,
                           "sum", (json_int_t) sum, "rows", rows);
        rows = NULL;
        if (evidence)
            json_object_set_new (trace, "evidence", evidence);
        evidence = NULL;
    }
    json_decref (rows);
    json_decref (evidence);
    sv_db_exec (self->db, "RELEASE trace");
    if (!trace && reason_p)
        *reason_p = self->reason;
    return trace;
}

int
reporting_store_lines (reporting_store_t *self, const reporting_store_params_t *params,
                       const reporting_store_figure_t *figure, reporting_store_row_fn *fn,
                       void *arg, const char **reason_p)
{
    assert (self && params && figure && fn);
    int fy, mask;
    const char *partner;
    int rc = s_trace_scope (self, params, figure, &fy, &partner, &mask);
    if (rc == 0 && (rc = s_trace_each (self, figure, fy, partner, mask, 0, 0, fn, arg)))
        snprintf (self->reason, sizeof self->reason, "%s", sv_db_error (self->db));
    if (rc && reason_p)
        *reason_p = self->reason;
    return rc;
}

//  --------------------------------------------------------------------------
//  The open-data pack's other tables: ?1 the year, ?2 the partner or NULL

static const struct {
    const char *name;
    const char *sql;
} s_pack_tables [] = {
    { "contracts",
      "SELECT c.partner, c.contract_id, c.title, c.supplier_key,"
      " CASE WHEN c.supplier_key = '' THEN '' ELSE "
      S_SUPPLIER_NAME ("c.partner", "c.supplier_key") " END AS supplier,"
      " c.category, c.value_pence, c.start_date, c.end_date, c.rlw_in_scope,"
      " c.rlw_commitment, c.incomplete FROM contracts c"
      " WHERE ?2 IS NULL OR c.partner = ?2 ORDER BY c.partner, c.contract_id" },
    //  A supplier's locality is that of its payments in the year: "mixed"
    //  when they were placed differently (a payment's own postcode is
    //  used before the supplier's), "" when it was paid nothing
    { "suppliers",
      "SELECT s.partner, s.supplier_key,"
      " CASE WHEN s.redacted OR s.name = '' THEN '(redacted)' ELSE s.name END AS name,"
      " CASE WHEN s.redacted THEN '' ELSE s.postcode END AS postcode,"
      " CASE WHEN g.low IS NULL THEN '' WHEN g.low != g.high THEN 'mixed'"
      " WHEN g.low = 0 THEN 'local' WHEN g.low = 1 THEN 'non_local' ELSE 'unknown' END"
      " AS locality, coalesce(g.payments, 0) AS payments, coalesce(g.pence, 0) AS paid_pence,"
      " s.sme, s.vcse, s.employee_owned, s.rlw_accredited, s.rlw_expiry, s.redacted"
      " FROM suppliers s LEFT JOIN (SELECT partner, supplier_key, min(locality) AS low,"
      " max(locality) AS high, sum(payments) AS payments, sum(amount_pence) AS pence"
      " FROM spend_totals WHERE fy = ?1 AND supplier_key != ''"
      " AND (?2 IS NULL OR partner = ?2) GROUP BY partner, supplier_key) g"
      " ON g.partner = s.partner AND g.supplier_key = s.supplier_key"
      " WHERE ?2 IS NULL OR s.partner = ?2 ORDER BY s.partner, s.supplier_key" },
    //  The measures and proxies the year's lines were valued with
    //  (a record-only measure has no proxy: its year and pence are null)
    { "framework",
      "SELECT v.framework, v.framework_version AS version, v.measure,"
      " coalesce(m.theme, '') AS theme, coalesce(m.unit, '') AS unit,"
      " coalesce(m.description, '') AS description, v.proxy_fy AS proxy_year,"
      " CASE WHEN coalesce(m.record_only, 0) THEN NULL ELSE v.proxy_pence END AS proxy_pence,"
      " coalesce(m.record_only, 0) AS record_only, count(*) AS lines FROM value_lines v"
      S_JOIN_MEASURE ("v")
      " WHERE v.fy = ?1 AND v.flagged = 0 AND (?2 IS NULL OR v.partner = ?2)"
      " GROUP BY v.framework, v.framework_version, v.measure, v.proxy_fy, v.proxy_pence"
      " ORDER BY v.framework, v.framework_version, v.measure, v.proxy_fy, v.proxy_pence" },
};

int
reporting_store_table (reporting_store_t *self, const reporting_store_params_t *params,
                       const char *table, reporting_store_row_fn *fn, void *arg,
                       const char **reason_p)
{
    assert (self && params && table && fn);
    const char *sql = NULL;
    for (size_t index = 0; index < sizeof s_pack_tables / sizeof s_pack_tables [0]; index++)
        if (streq (s_pack_tables [index].name, table))
            sql = s_pack_tables [index].sql;
    reporting_store_figure_t none = { .locality = -1, .kind = -1 };
    int fy, mask;
    const char *partner;
    if (!sql) {
        snprintf (self->reason, sizeof self->reason, "no table '%.40s'", table);
        if (reason_p)
            *reason_p = self->reason;
        return -1;
    }
    if (s_trace_scope (self, params, &none, &fy, &partner, &mask)) {
        if (reason_p)
            *reason_p = self->reason;
        return -1;
    }
    sqlite3_stmt *stmt = sv_db_stmt (self->db, sql);
    int rc = stmt? 0: -1, step = SQLITE_DONE;
    if (stmt) {
        sqlite3_bind_int (stmt, 1, fy);
        s_bind_optional (stmt, 2, partner);
        int columns = sqlite3_column_count (stmt);
        while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW) {
            json_t *row = json_object ();
            for (int column = 0; column < columns; column++) {
                const char *name = sqlite3_column_name (stmt, column);
                const char *dot = strchr (name, '.');
                name = dot? dot + 1: name;
                int type = sqlite3_column_type (stmt, column);
                json_object_set_new (row, name,
                    type == SQLITE_INTEGER? json_integer (sqlite3_column_int64 (stmt, column))
                  : type == SQLITE_NULL? json_null ()
                  : streq (name, "proxy_year")? json_null ()
                  : json_string (sv_db_text (stmt, column)));
                if (streq (name, "proxy_year") && type == SQLITE_INTEGER) {
                    char year [SV_DATE_FY_BUF];
                    sv_date_fy_format (sqlite3_column_int (stmt, column), year, sizeof year);
                    json_object_set_new (row, name, json_string (year));
                }
            }
            rc = fn (row, arg);
            json_decref (row);
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = -1;
        sqlite3_reset (stmt);
    }
    if (rc && reason_p) {
        snprintf (self->reason, sizeof self->reason, "%s", sv_db_error (self->db));
        *reason_p = self->reason;
    }
    return rc;
}


//  ==========================================================================
//  Counts and schedules

int
reporting_store_stamp (reporting_store_t *self, const uint64_t offsets [3], const char *now,
                       char *created, size_t size)
{
    assert (self && offsets && now && created && size);
    snprintf (created, size, "%s", now);
    sqlite3_stmt *stmt = sv_db_stmt (self->db, "SELECT created FROM stamps"
                                     " WHERE ingest = ?1 AND valuation = ?2 AND compliance = ?3");
    if (!stmt)
        return -1;
    for (int stream = 0; stream < 3; stream++)
        sqlite3_bind_int64 (stmt, stream + 1, (sqlite3_int64) offsets [stream]);
    int step = sqlite3_step (stmt);
    if (step == SQLITE_ROW)
        snprintf (created, size, "%s", sv_db_text (stmt, 0));
    sqlite3_reset (stmt);
    if (step == SQLITE_ROW)
        return 0;
    if (step != SQLITE_DONE)
        return -1;
    //  A report asked while a batch is open reads what is committed: the
    //  stamp waits for that batch's commit like any other write
    bool own = !sv_db_in_transaction (self->db);
    if (own && sv_db_begin (self->db))
        return -1;
    stmt = sv_db_stmt (self->db, "INSERT INTO stamps (ingest, valuation, compliance, created)"
                                 " VALUES (?1, ?2, ?3, ?4)");
    int rc = stmt? 0: -1;
    if (stmt) {
        for (int stream = 0; stream < 3; stream++)
            sqlite3_bind_int64 (stmt, stream + 1, (sqlite3_int64) offsets [stream]);
        sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
        rc = sv_db_run (self->db, stmt);
    }
    if (own)
        rc = rc? (sv_db_rollback (self->db), -1): sv_db_commit (self->db);
    return rc;
}

int64_t
reporting_store_count (reporting_store_t *self, const char *table)
{
    assert (self && table);
    static const char *const queries [][2] = {
        { "suppliers", "SELECT count(*) FROM suppliers" },
        { "contracts", "SELECT count(*) FROM contracts" },
        //  Every payment counts once in spend_sums, which is small: STATUS
        //  is asked every 200 ms while socval wait waits
        { "spend_lines", "SELECT coalesce (sum (payments), 0) FROM spend_sums" },
        { "value_lines", "SELECT count(*) FROM value_lines" },
        { "alerts", "SELECT count(*) FROM alerts" },
        { "outbox", "SELECT count(*) FROM outbox" },
    };
    //  While ingest's payments are held for one commit, the store's own
    //  connection would count them ahead of the offsets STATUS gives: a
    //  reader's connection sees only what is committed
    sv_db_t *db = self->db;
    if (sv_db_held (self->db) && !streq (self->path, ":memory:")) {
        if (!self->committed)
            self->committed = sv_db_new (self->path, NULL, NULL);
        if (self->committed)
            db = self->committed;
    }
    for (size_t index = 0; index < sizeof queries / sizeof queries [0]; index++)
        if (streq (table, queries [index][0]))
            return sv_db_int (db, queries [index][1], -1);
    return -1;
}

int64_t
reporting_store_schedule_last (reporting_store_t *self, const char *name)
{
    assert (self && name);
    sqlite3_stmt *stmt = sv_db_stmt (self->db, "SELECT fired FROM schedules WHERE name = ?1");
    if (!stmt)
        return 0;
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
    int64_t fired = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW)
        fired = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    return fired;
}

int
reporting_store_schedule_set (reporting_store_t *self, const char *name, int64_t fired)
{
    assert (self && name);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT INTO schedules (name, fired) VALUES (?1, ?2)"
        " ON CONFLICT (name) DO UPDATE SET fired = excluded.fired");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, fired);
    return sv_db_run (self->db, stmt);
}


//  ==========================================================================
//  Self-test

typedef struct {
    reporting_store_t *store;
    uint64_t seq;
} s_test_t;

//  Encodes message and applies it as the next event of stream
static void
s_test_event (s_test_t *test, const char *stream, const char *key, const sv_proto_t *message)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (message, &buffer) == 0);
    sv_proto_event_t event = {
        .seq = ++test->seq,
        .type = (char *) sv_proto_name (message->id),
        .key = (char *) key,
        .body = (uint8_t *) buffer.data,
        .body_size = buffer.size
    };
    assert (reporting_store_apply (test->store, stream, &event) == 0);
    msgpack_sbuffer_destroy (&buffer);
}

#define S_TEST_SUPPLIER(...) s_test_event (test, "ingest", "supplier", \
    &(sv_proto_t) { .id = SV_PROTO_SUPPLIER, .supplier = { __VA_ARGS__ } })
#define S_TEST_CONTRACT(...) s_test_event (test, "ingest", "contract", \
    &(sv_proto_t) { .id = SV_PROTO_CONTRACT, .contract = { __VA_ARGS__ } })
//  A payment as a line placed: the payment from ingest (seq source_seq,
//  when given), and the place of a payee of its own from valuation (its
//  given postcode is the key, so that no two lines share a place)
#define S_OR_EMPTY(TEXT) ((TEXT)? (TEXT): "")
static void
s_test_spend_line (s_test_t *test, const char *key, const sv_proto_local_spend_line_t *line)
{
    sv_proto_t spend = { .id = SV_PROTO_SPEND };
    spend.spend = (sv_proto_spend_t) {
        .partner = line->partner, .payment_date = line->payment_date,
        .amount_pence = line->amount_pence, .supplier_key = S_OR_EMPTY (line->supplier_key),
        .postcode = (char *) key, .redacted = line->redacted
    };
    uint64_t seq = test->seq;
    if (line->source_seq)
        test->seq = line->source_seq - 1;
    s_test_event (test, "ingest", key, &spend);
    test->seq = seq + 1;
    sv_proto_t place = { .id = SV_PROTO_PLACE };
    place.place = (sv_proto_place_t) {
        .partner = line->partner, .supplier_key = S_OR_EMPTY (line->supplier_key),
        .postcode = (char *) key, .locality = line->locality,
        .ward_code = S_OR_EMPTY (line->ward_code), .ward_name = S_OR_EMPTY (line->ward_name),
        .sme = line->sme, .vcse = line->vcse, .employee_owned = line->employee_owned,
        .place_source = S_OR_EMPTY (line->place_source),
        .place_postcode = S_OR_EMPTY (line->postcode),
        .locality_reason = S_OR_EMPTY (line->locality_reason),
        .directory = S_OR_EMPTY (line->directory)
    };
    s_test_event (test, "valuation", key, &place);
}

#define S_TEST_SPEND_LINE(KEY, ...) s_test_spend_line (test, KEY, \
    &(sv_proto_local_spend_line_t) { __VA_ARGS__ })
#define S_TEST_VALUE_LINE(KEY, ...) s_test_event (test, "valuation", KEY, \
    &(sv_proto_t) { .id = SV_PROTO_VALUATION_LINE, .valuation_line = { \
        .framework = "test", .framework_version = "1", __VA_ARGS__ } })
#define S_TEST_ALERT(...) s_test_event (test, "compliance", "alert", \
    &(sv_proto_t) { .id = SV_PROTO_ALERT, .alert = { .message = "see the contract", __VA_ARGS__ } })

//  Two partners' streams, in one transaction. Proxies: NT1 £30,000 a
//  full-time job, NT10 £250 an apprenticeship week, NT20 £15 a volunteering
//  hour.
static void
s_test_load (s_test_t *test)
{
    sv_db_t *db = reporting_store_db (test->store);
    assert (sv_db_begin (db) == 0);

    //  Suppliers: council withholds CH:003's name, which police gives;
    //  CH:002's accreditation is on council's record only
    S_TEST_SUPPLIER (.partner = "council", .supplier_key = "CH:001",
                     .name = "Brightside Cleaning Ltd", .postcode = "S60 1AA", .sme = true);
    S_TEST_SUPPLIER (.partner = "council", .supplier_key = "CH:002",
                     .name = "Keepsafe Security Ltd", .rlw_accredited = true,
                     .rlw_expiry = "2025-06-30");
    S_TEST_SUPPLIER (.partner = "police", .supplier_key = "CH:002", .name = "Keepsafe Security");
    S_TEST_SUPPLIER (.partner = "council", .supplier_key = "CH:003", .name = "", .redacted = true);
    S_TEST_SUPPLIER (.partner = "police", .supplier_key = "CH:003",
                     .name = "Harbour Catering CIC", .vcse = true);

    //  Contracts: cleaning without commitment, security by an accredited
    //  supplier, catering with a commitment, software (not in scope), an
    //  old cleaning contract (not active), police's flagged in scope
    S_TEST_CONTRACT (.partner = "council", .contract_id = "C-1", .title = "Office cleaning",
                     .supplier_key = "CH:001", .category = "Cleaning services",
                     .value_pence = 120000000, .start_date = "2024-04-01",
                     .end_date = "2026-03-31", .rlw_in_scope = "derive");
    S_TEST_CONTRACT (.partner = "council", .contract_id = "C-2", .title = "Building security",
                     .supplier_key = "CH:002", .category = "Security", .value_pence = 48000000,
                     .start_date = "2024-06-01", .end_date = "2025-05-31");
    S_TEST_CONTRACT (.partner = "council", .contract_id = "C-3", .title = "School catering",
                     .supplier_key = "CH:003", .category = "Catering", .value_pence = 30000000,
                     .start_date = "2023-09-01", .end_date = "2025-08-31",
                     .rlw_in_scope = "derive", .rlw_commitment = true);
    S_TEST_CONTRACT (.partner = "council", .contract_id = "C-4", .title = "Case management",
                     .supplier_key = "CH:009", .category = "Software", .value_pence = 9000000,
                     .start_date = "2024-04-01", .end_date = "2027-03-31",
                     .rlw_in_scope = "derive");
    S_TEST_CONTRACT (.partner = "council", .contract_id = "C-5", .title = "Window cleaning",
                     .supplier_key = "CH:001", .category = "Cleaning", .value_pence = 2000000,
                     .start_date = "2022-01-01", .end_date = "2023-12-31",
                     .rlw_in_scope = "derive");
    S_TEST_CONTRACT (.partner = "police", .contract_id = "P-1", .title = "Custody suite cleaning",
                     .supplier_key = "CH:002", .category = "Facilities management",
                     .value_pence = 5000000, .rlw_in_scope = "yes");
    //  What Companies House says of two suppliers: C-4's category
    //  (Software) is out of scope, its supplier's SIC code is cleaning's
    s_test_event (test, "ingest", "company", &(sv_proto_t) { .id = SV_PROTO_COMPANY,
        .company = { .partner = "council", .supplier_key = "CH:009", .company_number = "00000009",
                     .matched_by = "number", .sic_codes = "62020,81210",
                     .rlw_category = "cleaning" } });
    s_test_event (test, "ingest", "company", &(sv_proto_t) { .id = SV_PROTO_COMPANY,
        .company = { .partner = "council", .supplier_key = "CH:001", .company_number = "00000001",
                     .matched_by = "number", .sic_codes = "81210", .rlw_category = "cleaning" } });

    //  Ingest's commitments are valuation's business; a body that does not
    //  decode is unreadable, and stored nowhere
    s_test_event (test, "ingest", "council/C-1/NT1", &(sv_proto_t) { .id = SV_PROTO_COMMITMENT,
        .commitment = { .partner = "council", .contract_id = "C-1", .measure = "NT1",
                        .year = "2024-25", .quantity_milli = 9000 } });
    sv_proto_event_t garbage = { .seq = ++test->seq, .type = "SUPPLIER", .key = "x",
                                 .body = (uint8_t *) "\x81\xa1v\x01", .body_size = 4 };
    assert (reporting_store_apply (test->store, "ingest", &garbage) == SV_STREAM_UNREADABLE);

    //  Spend in 2024-25 and 2023-24; T2's line comes again below, larger
    S_TEST_SPEND_LINE ("council/SPEND/T1/1", .partner = "council", .payment_date = "2024-05-10",
                       .year = "2024-25", .amount_pence = 100000, .locality = "local",
                       .ward_code = "E05001", .ward_name = "Boston Castle", .sme = true,
                       .place_source = "payment", .source_seq = 101,
                       .supplier_key = "CH:001", .postcode = "S60 1AA",
                       .locality_reason = "in a local postcode district");
    S_TEST_SPEND_LINE ("council/SPEND/T2/1", .partner = "council", .payment_date = "2024-05-20",
                       .year = "2024-25", .amount_pence = 50000, .locality = "local",
                       .ward_code = "E05001", .ward_name = "Boston Castle");
    S_TEST_SPEND_LINE ("council/SPEND/T3/1", .partner = "council", .payment_date = "2024-07-01",
                       .year = "2024-25", .amount_pence = 200000, .locality = "non_local",
                       .vcse = true, .employee_owned = true, .place_source = "supplier");
    S_TEST_SPEND_LINE ("council/SPEND/T4/1", .partner = "council", .payment_date = "2025-02-15",
                       .year = "2024-25", .amount_pence = 30000, .locality = "unknown",
                       .redacted = true, .source_seq = 104, .locality_reason = "no postcode");
    S_TEST_SPEND_LINE ("council/SPEND/T5/1", .partner = "council", .payment_date = "2024-10-01",
                       .year = "2024-25", .amount_pence = 40000, .locality = "local",
                       .ward_code = "E05002", .ward_name = "Rotherham West",
                       .place_source = "registered_office");
    S_TEST_SPEND_LINE ("council/SPEND/T6/1", .partner = "council", .payment_date = "2023-06-01",
                       .year = "2023-24", .amount_pence = 60000, .locality = "local",
                       .ward_code = "E05001", .ward_name = "Boston Castle");
    S_TEST_SPEND_LINE ("police/SPEND/P7/1", .partner = "police", .payment_date = "2024-04-15",
                       .year = "2024-25", .amount_pence = 25000, .locality = "local",
                       .ward_code = "E05002", .ward_name = "Rotherham West",
                       .place_source = "supplier");
    S_TEST_SPEND_LINE ("police/SPEND/P8/1", .partner = "police", .payment_date = "2024-12-01",
                       .year = "2024-25", .amount_pence = 75000, .locality = "non_local",
                       .place_source = "registered_office");
    S_TEST_SPEND_LINE ("police/SPEND/P9/1", .partner = "police", .payment_date = "2023-11-11",
                       .year = "2023-24", .amount_pence = 10000, .locality = "local");
    S_TEST_SPEND_LINE ("council/SPEND/T2/1", .partner = "council", .payment_date = "2024-05-20",
                       .year = "2024-25", .amount_pence = 70000, .locality = "local",
                       .ward_code = "E05001", .ward_name = "Boston Castle",
                       .place_source = "registered_office");

    //  Commitments and deliveries over NT1 and NT10 (Jobs) and NT20
    //  (Communities); the first C-1 NT1 delivery is superseded below
#define S_NT1 .measure = "NT1", .theme = "Jobs", .unit = "FTE", \
              .description = "Local people employed", .proxy_pence = 3000000, \
              .proxy_year = "2024-25"
#define S_NT10 .measure = "NT10", .theme = "Jobs", .unit = "weeks", \
               .description = "Apprenticeship weeks", .proxy_pence = 25000, \
               .proxy_year = "2024-25"
#define S_NT20 .measure = "NT20", .theme = "Communities", .unit = "hours", \
               .description = "Volunteering hours", .proxy_pence = 1500, \
               .proxy_year = "2024-25"
    S_TEST_VALUE_LINE ("council/COMMITMENT/C-1/NT1/2024-25", .partner = "council",
                       .contract_id = "C-1", S_NT1, .kind = "committed", .year = "2024-25",
                       .quantity_milli = 2000, .value_pence = 6000000);
    S_TEST_VALUE_LINE ("council/COMMITMENT/C-1/NT10/2024-25", .partner = "council",
                       .contract_id = "C-1", S_NT10, .kind = "committed", .year = "2024-25",
                       .quantity_milli = 52000, .value_pence = 1300000);
    S_TEST_VALUE_LINE ("council/DELIVERY/C-1/NT1/Q1", .partner = "council",
                       .contract_id = "C-1", S_NT1, .kind = "delivered", .year = "2024-25",
                       .ward = "Boston Castle", .beneficiary_group = "Care leavers",
                       .evidence = "validated", .quantity_milli = 1000, .value_pence = 3000000);
    S_TEST_VALUE_LINE ("council/DELIVERY/C-1/NT10/Q1", .partner = "council",
                       .contract_id = "C-1", S_NT10, .kind = "delivered", .year = "2024-25",
                       .ward = "Boston Castle", .beneficiary_group = "Young people",
                       .evidence = "claimed", .quantity_milli = 20000, .value_pence = 500000);
    S_TEST_VALUE_LINE ("council/DELIVERY/C-3/NT20/Q1", .partner = "council",
                       .contract_id = "C-3", S_NT20, .kind = "delivered", .year = "2024-25",
                       .ward = "Rotherham West", .beneficiary_group = "Older people",
                       .evidence = "evidenced", .quantity_milli = 100000, .value_pence = 150000);
    //  C-3 started in 2023-24: its commitment is valued at that year's proxy
    S_TEST_VALUE_LINE ("council/COMMITMENT/C-3/NT20/2024-25", .partner = "council",
                       .contract_id = "C-3", .measure = "NT20", .theme = "Communities",
                       .unit = "hours", .description = "Volunteering hours",
                       .proxy_pence = 1500, .proxy_year = "2023-24", .kind = "committed",
                       .year = "2024-25", .quantity_milli = 200000, .value_pence = 300000);
    S_TEST_VALUE_LINE ("council/DELIVERY/C-2/NT99/Q1", .partner = "council",
                       .contract_id = "C-2", .measure = "NT99", .kind = "delivered",
                       .year = "2024-25", .ward = "Boston Castle", .evidence = "validated",
                       .quantity_milli = 5000, .flag = "unknown measure");
    for (int quarter = 1; quarter <= 5; quarter++) {
        char key [64];
        snprintf (key, sizeof key, "council/DELIVERY/C-2/NT10/P%d", quarter);
        S_TEST_VALUE_LINE (key, .partner = "council", .contract_id = "C-2", S_NT10,
                           .kind = "delivered", .year = "2024-25", .ward = "Boston Castle",
                           .beneficiary_group = "Young people", .evidence = "evidenced",
                           .quantity_milli = 1000, .value_pence = 25000);
    }
    S_TEST_VALUE_LINE ("police/COMMITMENT/P-1/NT20/2024-25", .partner = "police",
                       .contract_id = "P-1", S_NT20, .kind = "committed", .year = "2024-25",
                       .quantity_milli = 50000, .value_pence = 75000);
    S_TEST_VALUE_LINE ("police/DELIVERY/P-1/NT20/Q1", .partner = "police",
                       .contract_id = "P-1", S_NT20, .kind = "delivered", .year = "2024-25",
                       .ward = "Rotherham West", .evidence = "validated",
                       .quantity_milli = 40000, .value_pence = 60000);
    S_TEST_VALUE_LINE ("council/DELIVERY/C-3/NT20/2023Q4", .partner = "council",
                       .contract_id = "C-3", S_NT20, .kind = "delivered", .year = "2023-24",
                       .ward = "Rotherham West", .evidence = "validated",
                       .quantity_milli = 10000, .value_pence = 15000);
    S_TEST_VALUE_LINE ("council/DELIVERY/C-1/NT1/Q1", .partner = "council",
                       .contract_id = "C-1", S_NT1, .kind = "delivered", .year = "2024-25",
                       .ward = "Boston Castle", .beneficiary_group = "Care leavers",
                       .evidence = "validated", .quantity_milli = 1500, .value_pence = 4500000);
#undef S_NT1
#undef S_NT10
#undef S_NT20

    //  Alerts: open, acknowledged, resolved lately and long ago, and one
    //  of the whole network
    S_TEST_ALERT (.alert_id = "rlw.missing_commitment/council/C-1",
                  .rule = "rlw.missing_commitment", .severity = "high", .state = "open",
                  .partner = "council", .supplier_key = "CH:001", .contract_id = "C-1",
                  .at = "2025-01-10T09:00:00Z");
    S_TEST_ALERT (.alert_id = "rlw.missing_commitment/police/P-1",
                  .rule = "rlw.missing_commitment", .severity = "high", .state = "open",
                  .partner = "police", .supplier_key = "CH:002", .contract_id = "P-1",
                  .at = "2025-01-10T09:00:00Z");
    S_TEST_ALERT (.alert_id = "rlw.missing_commitment/police/P-1",
                  .rule = "rlw.missing_commitment", .severity = "high", .state = "acknowledged",
                  .partner = "police", .supplier_key = "CH:002", .contract_id = "P-1",
                  .at = "2025-01-12T10:00:00Z");
    S_TEST_ALERT (.alert_id = "delivery.shortfall/council/C-3/NT20",
                  .rule = "delivery.shortfall", .severity = "medium", .state = "open",
                  .partner = "council", .contract_id = "C-3", .at = "2026-06-01T06:00:00Z");
    S_TEST_ALERT (.alert_id = "delivery.shortfall/council/C-3/NT20",
                  .rule = "delivery.shortfall", .severity = "medium", .state = "resolved",
                  .partner = "council", .contract_id = "C-3", .at = "2026-10-01T06:00:00Z",
                  .measure = "NT20");
    S_TEST_ALERT (.alert_id = "delivery.overdue/council/C-2",
                  .rule = "delivery.overdue", .severity = "low", .state = "resolved",
                  .partner = "council", .contract_id = "C-2", .at = "2026-01-01T06:00:00Z");
    S_TEST_ALERT (.alert_id = "rlw.renewal_due/network", .rule = "rlw.renewal_due",
                  .severity = "medium", .state = "open", .at = "2026-11-01T06:00:00Z");
    assert (sv_db_commit (db) == 0);
}

reporting_store_t *
reporting_store_fixture (char *path)
{
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    reporting_store_t *self = reporting_store_new (path, NULL);
    assert (self);
    s_test_t test = { .store = self };
    s_test_load (&test);
    return self;
}

void
reporting_store_fixture_end (reporting_store_t **self_p, const char *path)
{
    reporting_store_destroy (self_p);
    const char *suffixes [] = { "", "-wal", "-shm" };
    for (int index = 0; index < 3; index++) {
        char *file = zsys_sprintf ("%s%s", path, suffixes [index]);
        remove (file);
        zstr_free (&file);
    }
}

//  The node at path ("spend/by_month/1/local_pence": keys and array
//  indexes separated by '/'), or NULL
static json_t *
s_test_get (json_t *node, const char *path)
{
    char copy [256];
    snprintf (copy, sizeof copy, "%s", path);
    char *save = NULL;
    for (char *part = strtok_r (copy, "/", &save); node && part;
         part = strtok_r (NULL, "/", &save))
        node = json_is_array (node)? json_array_get (node, (size_t) atoi (part))
                                   : json_object_get (node, part);
    return node;
}

static int64_t
s_test_int (json_t *document, const char *path)
{
    json_t *node = s_test_get (document, path);
    if (!json_is_integer (node))
        fprintf (stderr, "%s is not an integer\n", path);
    assert (json_is_integer (node));
    return json_integer_value (node);
}

static double
s_test_real (json_t *document, const char *path)
{
    json_t *node = s_test_get (document, path);
    assert (json_is_real (node));
    return json_real_value (node);
}

static const char *
s_test_str (json_t *document, const char *path)
{
    json_t *node = s_test_get (document, path);
    assert (json_is_string (node));
    return json_string_value (node);
}

static bool
s_test_null (json_t *document, const char *path)
{
    json_t *node = s_test_get (document, path);
    return node && json_is_null (node);
}

static size_t
s_test_size (json_t *document, const char *path)
{
    json_t *node = s_test_get (document, path);
    assert (json_is_array (node) || json_is_object (node));
    return json_is_array (node)? json_array_size (node): json_object_size (node);
}

static json_t *
s_test_report (reporting_store_t *store, const char *kind, const char *year,
               const char *partner, const char *evidence)
{
    reporting_store_params_t params = {
        .kind = kind, .year = year, .partner = partner,
        .created = "2026-11-25T09:00:00Z",
        .ingest_offset = 31, .valuation_offset = 26, .compliance_offset = 7,
        .evidence_counted = evidence,
        .small_number_threshold = 5,
        .rlw = { .categories = "cleaning, security,catering,care", .min_weeks = 8 }
    };
    const char *reason = NULL;
    json_t *document = reporting_store_report (store, &params, &reason);
    if (!document)
        fprintf (stderr, "reporting_store: %s report refused: %s\n", kind, reason);
    assert (document);
    return document;
}

//  A contract of the contracts report's test, in the caller's
//  transaction: a year from 2024-04-01 to 2025-03-31, 10 NT1 committed
//  (valued at £3,000, or flagged and 0p when flag is not ""), delivered
//  (thousandths, £300 a unit) by a return to 2024-06-30. K-1: 6 delivered,
//  valued; K-3: 2 delivered, its commitment not valued (no proxy).
static void
s_test_load_contract (s_test_t *test, const char *contract_id, const char *flag,
                      int64_t delivered_milli)
{
    char committed_key [64], delivered_key [64], return_key [64];
    snprintf (committed_key, sizeof committed_key, "council/COMMITMENT/%s/NT1", contract_id);
    snprintf (delivered_key, sizeof delivered_key, "council/DELIVERY/%s/NT1/Q1", contract_id);
    snprintf (return_key, sizeof return_key, "council/%s/NT1/Q1", contract_id);
    S_TEST_CONTRACT (.partner = "council", .contract_id = (char *) contract_id,
                     .title = "Parks", .supplier_key = "CH:001", .start_date = "2024-04-01",
                     .end_date = "2025-03-31");
    S_TEST_VALUE_LINE (committed_key, .partner = "council", .contract_id = (char *) contract_id,
                       .measure = "NT1", .kind = "committed", .year = "2024-25",
                       .quantity_milli = 10000, .value_pence = *flag? 0: 300000,
                       .flag = (char *) flag);
    S_TEST_VALUE_LINE (delivered_key, .partner = "council", .contract_id = (char *) contract_id,
                       .measure = "NT1", .kind = "delivered", .year = "2024-25",
                       .evidence = "evidenced", .quantity_milli = delivered_milli,
                       .value_pence = delivered_milli * 30);
    s_test_event (test, "ingest", return_key, &(sv_proto_t) {
        .id = SV_PROTO_DELIVERY, .delivery = {
            .partner = "council", .contract_id = (char *) contract_id, .measure = "NT1",
            .period_start = "2024-04-01", .period_end = "2024-06-30",
            .quantity_milli = delivered_milli, .evidence = "evidenced" } });
}

//  K-1's record-only measure SVM-5A-01 (a metric with no £ value): 50
//  hours committed, 42 delivered, in the caller's transaction
static void
s_test_load_record_only (s_test_t *test)
{
    S_TEST_VALUE_LINE ("council/COMMITMENT/K-1/SVM-5A-01", .partner = "council",
                       .contract_id = "K-1", .measure = "SVM-5A-01", .kind = "committed",
                       .year = "2024-25", .quantity_milli = 50000, .record_only = true,
                       .theme = "Take back our streets", .unit = "hours",
                       .description = "Volunteering hours", .outcome = "Safer communities");
    S_TEST_VALUE_LINE ("council/DELIVERY/K-1/SVM-5A-01/Q1", .partner = "council",
                       .contract_id = "K-1", .measure = "SVM-5A-01", .kind = "delivered",
                       .year = "2024-25", .evidence = "validated", .quantity_milli = 42000,
                       .record_only = true, .theme = "Take back our streets", .unit = "hours",
                       .description = "Volunteering hours", .outcome = "Safer communities");
}

//  The contracts report of K-1 as of created (yyyy-mm-dd): its one row's
//  status, status_reason and next_return_due written into buf as
//  "status/reason/due"; "" when the report has no row
static void
s_test_status (reporting_store_t *store, const char *created, const char *contract,
               char *buf, size_t size)
{
    char stamp [32];
    snprintf (stamp, sizeof stamp, "%sT09:00:00Z", created);
    reporting_store_params_t params = {
        .kind = "contracts", .year = "2024-25", .created = stamp, .contract = contract,
        .shortfall_tolerance_pct = 10, .return_period_months = 3, .overdue_grace_days = 30
    };
    json_t *document = reporting_store_report (store, &params, NULL);
    assert (document);
    json_t *row = json_array_get (json_object_get (document, "contracts"), 0);
    if (row)
        snprintf (buf, size, "%s/%s/%s", s_test_str (row, "status"),
                  s_test_str (row, "status_reason"), s_test_str (row, "next_return_due"));
    else
        *buf = 0;
    json_decref (document);
}

//  Every report, dumped: the same offsets must give the same bytes
static char *
s_test_dump_all (reporting_store_t *store)
{
    static const char *const kinds [] = { "annual", "partnership", "rlw-scope", "alerts" };
    char *all = strdup ("");
    for (size_t index = 0; index < 4; index++) {
        json_t *document = s_test_report (store, kinds [index], "", "", NULL);
        char *text = json_dumps (document, JSON_COMPACT);
        json_decref (document);
        char *joined = zsys_sprintf ("%s%s\n", all, text);
        free (all);
        free (text);
        all = joined;
    }
    return all;
}

//  A holder of a transaction, for the test: how it ended
typedef struct {
    bool committed;
} s_test_held_t;

static void
s_test_held_end (void *arg, bool committed)
{
    ((s_test_held_t *) arg)->committed = committed;
}

//  Two partners valued under two frameworks that both use code NT1, for
//  different measures: the council's TOMs (full-time jobs, £30,000 each)
//  and the trust's Social Value Model (volunteering hours, £15 each). The
//  trust's lines come last, so a store keyed by code alone would word and
//  sum the council's NT1 as the trust's.
static void
s_test_frameworks_share_code (void)
{
    char path [] = "/tmp/reporting_store_code_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    reporting_store_t *store = reporting_store_new (path, NULL);
    assert (store);
    s_test_t test_store = { .store = store };
    s_test_t *test = &test_store;
    assert (sv_db_begin (store->db) == 0);
#define S_TOMS_NT1 .framework = "toms", .framework_version = "2024", .measure = "NT1", \
                   .theme = "Jobs", .unit = "FTE", .description = "Local people employed", \
                   .proxy_pence = 3000000, .proxy_year = "2024-25", .year = "2024-25"
#define S_SVM_NT1 .framework = "nhs-svm", .framework_version = "2025", .measure = "NT1", \
                  .theme = "Communities", .unit = "hours", \
                  .description = "Staff volunteering hours", .proxy_pence = 1500, \
                  .proxy_year = "2024-25", .year = "2024-25"
    s_test_event (test, "valuation", "council/COMMITMENT/C-1/NT1", &(sv_proto_t) {
        .id = SV_PROTO_VALUATION_LINE, .valuation_line = { S_TOMS_NT1, .partner = "council",
        .contract_id = "C-1", .kind = "committed", .quantity_milli = 2000,
        .value_pence = 6000000 } });
    s_test_event (test, "valuation", "council/DELIVERY/C-1/NT1/Q1", &(sv_proto_t) {
        .id = SV_PROTO_VALUATION_LINE, .valuation_line = { S_TOMS_NT1, .partner = "council",
        .contract_id = "C-1", .kind = "delivered", .evidence = "validated",
        .quantity_milli = 1500, .value_pence = 4500000 } });
    s_test_event (test, "valuation", "trust/COMMITMENT/T-1/NT1", &(sv_proto_t) {
        .id = SV_PROTO_VALUATION_LINE, .valuation_line = { S_SVM_NT1, .partner = "trust",
        .contract_id = "T-1", .kind = "committed", .quantity_milli = 100000,
        .value_pence = 150000 } });
    s_test_event (test, "valuation", "trust/DELIVERY/T-1/NT1/Q1", &(sv_proto_t) {
        .id = SV_PROTO_VALUATION_LINE, .valuation_line = { S_SVM_NT1, .partner = "trust",
        .contract_id = "T-1", .kind = "delivered", .evidence = "validated",
        .quantity_milli = 80000, .value_pence = 120000 } });
#undef S_TOMS_NT1
#undef S_SVM_NT1
    S_TEST_ALERT (.alert_id = "delivery.shortfall/council/C-1/NT1",
                  .rule = "delivery.shortfall", .severity = "medium", .state = "open",
                  .partner = "council", .contract_id = "C-1", .measure = "NT1",
                  .at = "2025-01-10T09:00:00Z");
    S_TEST_ALERT (.alert_id = "delivery.shortfall/trust/T-1/NT1",
                  .rule = "delivery.shortfall", .severity = "medium", .state = "open",
                  .partner = "trust", .contract_id = "T-1", .measure = "NT1",
                  .at = "2025-01-10T09:00:00Z");
    assert (sv_db_commit (store->db) == 0);

    //  By measure: two NT1s, each in its framework's words and unit, each
    //  with its own quantities (not 101.5 of one "NT1")
    json_t *annual = s_test_report (store, "annual", "2024-25", "all", NULL);
    assert (s_test_size (annual, "social_value/by_measure") == 2);
    assert (streq (s_test_str (annual, "social_value/by_measure/0/framework"), "nhs-svm"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/measure"), "NT1"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/description"),
                   "Staff volunteering hours"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/unit"), "hours"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/theme"), "Communities"));
    assert (s_test_real (annual, "social_value/by_measure/0/committed_qty") == 100.0);
    assert (s_test_real (annual, "social_value/by_measure/0/delivered_qty") == 80.0);
    assert (s_test_int (annual, "social_value/by_measure/0/delivered_pence") == 120000);
    assert (streq (s_test_str (annual, "social_value/by_measure/1/framework"), "toms"));
    assert (streq (s_test_str (annual, "social_value/by_measure/1/measure"), "NT1"));
    assert (streq (s_test_str (annual, "social_value/by_measure/1/description"),
                   "Local people employed"));
    assert (streq (s_test_str (annual, "social_value/by_measure/1/unit"), "FTE"));
    assert (streq (s_test_str (annual, "social_value/by_measure/1/theme"), "Jobs"));
    assert (s_test_real (annual, "social_value/by_measure/1/committed_qty") == 2.0);
    assert (s_test_real (annual, "social_value/by_measure/1/delivered_qty") == 1.5);
    assert (s_test_int (annual, "social_value/by_measure/1/delivered_pence") == 4500000);
    //  Each theme takes its own framework's measure's pence
    assert (s_test_size (annual, "social_value/by_theme") == 2);
    assert (streq (s_test_str (annual, "social_value/by_theme/0/theme"), "Communities"));
    assert (s_test_int (annual, "social_value/by_theme/0/delivered_pence") == 120000);
    assert (streq (s_test_str (annual, "social_value/by_theme/1/theme"), "Jobs"));
    assert (s_test_int (annual, "social_value/by_theme/1/committed_pence") == 6000000);
    //  An alert names its measure as its contract's framework words it
    assert (streq (s_test_str (annual, "alerts/list/0/contract"), "C-1"));
    assert (streq (s_test_str (annual, "alerts/list/0/measure_name"), "Local people employed"));
    assert (streq (s_test_str (annual, "alerts/list/1/contract"), "T-1"));
    assert (streq (s_test_str (annual, "alerts/list/1/measure_name"),
                   "Staff volunteering hours"));
    json_decref (annual);

    //  The partnership's totals are the lines' pence, split or not
    json_t *partnership = s_test_report (store, "partnership", "2024-25", "", NULL);
    assert (s_test_int (partnership, "network/committed_pence") == 6000000 + 150000);
    assert (s_test_int (partnership, "network/delivered_pence") == 4500000 + 120000);
    assert (streq (s_test_str (partnership, "by_partner/0/partner"), "council"));
    assert (s_test_int (partnership, "by_partner/0/delivered_pence") == 4500000);
    assert (s_test_size (partnership, "by_partner/0/by_theme") == 1);
    assert (streq (s_test_str (partnership, "by_partner/0/by_theme/0/theme"), "Jobs"));
    assert (streq (s_test_str (partnership, "by_partner/1/partner"), "trust"));
    assert (s_test_int (partnership, "by_partner/1/delivered_pence") == 120000);
    assert (streq (s_test_str (partnership, "by_partner/1/by_theme/0/theme"), "Communities"));
    json_decref (partnership);

    //  The contracts report: each contract's NT1 in its framework's unit
    reporting_store_params_t params = {
        .kind = "contracts", .year = "2024-25", .created = "2025-04-01T09:00:00Z",
        .return_period_months = 3, .overdue_grace_days = 30
    };
    json_t *contracts = reporting_store_report (store, &params, NULL);
    assert (contracts && s_test_size (contracts, "contracts") == 2);
    assert (streq (s_test_str (contracts, "contracts/0/framework"), "toms"));
    assert (streq (s_test_str (contracts, "contracts/0/unit"), "FTE"));
    assert (streq (s_test_str (contracts, "contracts/1/framework"), "nhs-svm"));
    assert (streq (s_test_str (contracts, "contracts/1/description"),
                   "Staff volunteering hours"));
    json_decref (contracts);

    //  Explained, one framework's NT1 is traced to its own lines only
    reporting_store_params_t traced = { .kind = "annual", .year = "2024-25",
                                        .created = "2025-04-01T09:00:00Z" };
    reporting_store_figure_t figure = { .valued = true, .adds = REPORTING_STORE_ADDS_MILLI,
                                        .kind = 1, .locality = -1, .framework = "toms",
                                        .measure = "NT1" };
    json_t *trace = reporting_store_trace (store, &traced, &figure, 0, 0, NULL);
    assert (trace && s_test_int (trace, "rows_total") == 1 && s_test_int (trace, "sum") == 1500);
    json_decref (trace);
    reporting_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
}

//  A store of schema 9 held one measures row a code: migration 10 keeps
//  it for every framework whose lines use the code, and under '' when
//  none does, and reads valuation again so that each becomes its own
static void
s_test_migration_10 (void)
{
    char path [] = "/tmp/reporting_store_schema_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    const char *const schema_9 [] = {
        s_migrations [0], s_migrations [1], s_migrations [2], s_migrations [3],
        s_migrations [4], s_migrations [5], s_migrations [6], s_migrations [7],
        s_migrations [8], NULL
    };
    sv_db_t *db = sv_db_new (path, schema_9, NULL);
    assert (db && sv_db_version (db) == 9);
    assert (sv_db_exec (db,
        "INSERT INTO measures (measure, theme, unit, description, outcome, record_only)"
        " VALUES ('NT1', 'Jobs', 'FTE', 'Local people employed', 'Fair work', 0),"
        " ('NT5', 'Jobs', 'weeks', 'Placements', '', 0);"
        "INSERT INTO value_lines (key, partner, contract_id, measure, kind, fy, ward,"
        " beneficiary_group, evidence, flagged, quantity_milli, value_pence, framework)"
        " VALUES ('c1', 'council', 'C-1', 'NT1', 1, 2024, '', '', 3, 0, 1500, 4500000, 'toms'),"
        " ('c2', 'council', 'C-1', 'NT1', 0, 2024, '', '', 0, 0, 2000, 6000000, 'toms'),"
        " ('t1', 'trust', 'T-1', 'NT1', 1, 2024, '', '', 3, 0, 80000, 120000, 'nhs-svm');"
        "INSERT INTO offsets VALUES ('ingest', 31), ('valuation', 26)") == 0);
    sv_db_destroy (&db);
    reporting_store_t *store = reporting_store_new (path, NULL);
    assert (store);
    db = store->db;
    assert (sv_db_version (db) == 10);
    assert (sv_db_int (db, "SELECT count(*) FROM measures", -1) == 3);
    assert (sv_db_int (db, "SELECT count(*) FROM measures WHERE measure = 'NT1'"
                           " AND description = 'Local people employed' AND outcome = 'Fair work'"
                           " AND framework IN ('toms', 'nhs-svm')", -1) == 2);
    assert (sv_db_int (db, "SELECT count(*) FROM measures WHERE framework = ''"
                           " AND measure = 'NT5' AND unit = 'weeks'", -1) == 1);
    //  An alert's contract's lines are found by index, not by a scan
    assert (sv_db_int (db, "SELECT count(*) FROM sqlite_master"
                           " WHERE name = 'value_lines_contract'", -1) == 1);
    //  Valuation is read again from its start; ingest is not
    assert (sv_db_int (db, "SELECT count(*) FROM offsets WHERE stream = 'valuation'", -1) == 0);
    assert (sv_db_int (db, "SELECT seq FROM offsets WHERE stream = 'ingest'", -1) == 31);
    //  Until then, the report keeps the descriptions held
    json_t *annual = s_test_report (store, "annual", "2024-25", "all", NULL);
    assert (s_test_size (annual, "social_value/by_measure") == 2);
    assert (streq (s_test_str (annual, "social_value/by_measure/0/framework"), "nhs-svm"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/description"),
                   "Local people employed"));
    assert (streq (s_test_str (annual, "social_value/by_measure/1/framework"), "toms"));
    assert (s_test_real (annual, "social_value/by_measure/1/delivered_qty") == 1.5);
    json_decref (annual);
    reporting_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
}

void
reporting_store_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_store: ");
    char path [] = "/tmp/reporting_store_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    const char *reason = NULL;
    reporting_store_t *store = reporting_store_new (path, &reason);
    assert (store);

    //  An empty store has no year to report on
    reporting_store_params_t params = { .kind = "annual", .year = "", .partner = "",
                                        .created = "2026-11-25T09:00:00Z" };
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (strstr (reason, "no year"));

    s_test_t test = { .store = store };
    s_test_load (&test);
    assert (reporting_store_count (store, "suppliers") == 5);
    assert (reporting_store_count (store, "contracts") == 6);
    assert (reporting_store_count (store, "spend_lines") == 9);
    assert (reporting_store_count (store, "value_lines") == 15);
    assert (reporting_store_count (store, "alerts") == 5);
    assert (reporting_store_count (store, "outbox") == 0);
    assert (reporting_store_count (store, "nothing") == -1);

    //  ------------------------------------------------------------------
    //  Annual, all partners, the latest year (2024-25)
    json_t *annual = s_test_report (store, "annual", "", "all", NULL);
    assert (streq (s_test_str (annual, "report"), "annual"));
    assert (streq (s_test_str (annual, "year"), "2024-25"));
    assert (streq (s_test_str (annual, "partner"), "all"));
    assert (streq (s_test_str (annual, "title"), "Social value report 2024-25: all partners"));
    assert (s_test_size (annual, "partners") == 2);
    assert (streq (s_test_str (annual, "partners/0"), "council"));
    assert (streq (s_test_str (annual, "partners/1"), "police"));
    assert (streq (s_test_str (annual, "created"), "2026-11-25T09:00:00Z"));
    assert (s_test_int (annual, "offsets/ingest") == 31);
    assert (s_test_int (annual, "offsets/valuation") == 26);
    assert (s_test_int (annual, "offsets/compliance") == 7);
    assert (s_test_size (annual, "evidence_counted") == 3);
    assert (streq (s_test_str (annual, "evidence_counted/0"), "claimed"));
    assert (s_test_int (annual, "small_number_threshold") == 5);

    //  Spend: T2 counts at its latest 70,000, not 50,000
    assert (s_test_int (annual, "spend/rows") == 7);
    assert (s_test_int (annual, "spend/total_pence") == 540000);
    assert (s_test_int (annual, "spend/local_pence") == 235000);
    assert (s_test_int (annual, "spend/non_local_pence") == 275000);
    assert (s_test_int (annual, "spend/unknown_locality_pence") == 30000);
    assert (s_test_real (annual, "spend/local_share") == 0.4352);
    assert (streq (s_test_str (annual, "spend/previous_year"), "2023-24"));
    assert (s_test_int (annual, "spend/previous_year_local_pence") == 70000);
    assert (s_test_int (annual, "spend/additional_local_pence") == 165000);
    assert (s_test_int (annual, "spend/sme_pence") == 100000);
    assert (s_test_int (annual, "spend/vcse_pence") == 200000);
    //  How each payment was placed: its own postcode, the partner's
    //  supplier record, a registered office from Companies House, none
    assert (s_test_size (annual, "spend/by_place_source") == 4);
    assert (streq (s_test_str (annual, "spend/by_place_source/0/source"), "none"));
    assert (s_test_int (annual, "spend/by_place_source/0/unknown_pence") == 30000);
    assert (streq (s_test_str (annual, "spend/by_place_source/1/source"), "payment"));
    assert (s_test_int (annual, "spend/by_place_source/1/local_pence") == 100000);
    assert (streq (s_test_str (annual, "spend/by_place_source/2/source"), "supplier"));
    assert (s_test_int (annual, "spend/by_place_source/2/payments") == 2);
    assert (s_test_int (annual, "spend/by_place_source/2/local_pence") == 25000);
    assert (s_test_int (annual, "spend/by_place_source/2/non_local_pence") == 200000);
    assert (streq (s_test_str (annual, "spend/by_place_source/3/source"),
                   "registered_office"));
    assert (s_test_int (annual, "spend/by_place_source/3/payments") == 3);
    assert (s_test_int (annual, "spend/by_place_source/3/local_pence") == 110000);
    assert (s_test_int (annual, "spend/by_place_source/3/non_local_pence") == 75000);
    assert (s_test_int (annual, "spend/employee_owned_pence") == 200000);
    //  Every line of the test is valued with framework "test" version 1,
    //  not one of the illustrative sets
    assert (s_test_size (annual, "social_value/frameworks") == 1);
    assert (streq (s_test_str (annual, "social_value/frameworks/0/id"), "test"));
    assert (streq (s_test_str (annual, "social_value/frameworks/0/version"), "1"));
    //  The proxy years the lines were valued at: C-3's commitment at its
    //  start year's, the rest at 2024-25's
    assert (s_test_size (annual, "social_value/frameworks/0/proxy_years") == 2);
    assert (streq (s_test_str (annual, "social_value/frameworks/0/proxy_years/0"), "2023-24"));
    assert (streq (s_test_str (annual, "social_value/frameworks/0/proxy_years/1"), "2024-25"));
    assert (json_is_false (s_test_get (annual, "social_value/frameworks/0/record_only")));
    assert (json_is_false (s_test_get (annual, "social_value/frameworks/0/illustrative")));
    assert (s_test_size (annual, "spend/by_month") == 12);
    assert (streq (s_test_str (annual, "spend/by_month/0/month"), "2024-04"));
    assert (s_test_int (annual, "spend/by_month/0/local_pence") == 25000);
    assert (streq (s_test_str (annual, "spend/by_month/1/month"), "2024-05"));
    assert (s_test_int (annual, "spend/by_month/1/local_pence") == 170000);
    assert (s_test_int (annual, "spend/by_month/3/non_local_pence") == 200000);
    assert (s_test_int (annual, "spend/by_month/6/local_pence") == 40000);
    assert (s_test_int (annual, "spend/by_month/8/non_local_pence") == 75000);
    assert (streq (s_test_str (annual, "spend/by_month/10/month"), "2025-02"));
    assert (s_test_int (annual, "spend/by_month/10/unknown_pence") == 30000);
    assert (streq (s_test_str (annual, "spend/by_month/11/month"), "2025-03"));
    assert (s_test_int (annual, "spend/by_month/11/local_pence") == 0);
    assert (s_test_size (annual, "spend/by_ward") == 2);
    assert (streq (s_test_str (annual, "spend/by_ward/0/ward_code"), "E05001"));
    assert (streq (s_test_str (annual, "spend/by_ward/0/ward_name"), "Boston Castle"));
    assert (s_test_int (annual, "spend/by_ward/0/local_pence") == 170000);
    assert (s_test_int (annual, "spend/by_ward/0/payments") == 2);
    assert (streq (s_test_str (annual, "spend/by_ward/1/ward_code"), "E05002"));
    assert (s_test_int (annual, "spend/by_ward/1/local_pence") == 65000);

    //  Social value: the flagged NT99 line counts nowhere; C-1's NT1
    //  delivery at its latest 1.5 FTE
    assert (s_test_int (annual, "social_value/committed_pence") == 7675000);
    assert (s_test_int (annual, "social_value/delivered_pence") == 5335000);
    assert (s_test_int (annual, "social_value/flagged_lines") == 1);
    assert (s_test_size (annual, "social_value/by_theme") == 2);
    assert (streq (s_test_str (annual, "social_value/by_theme/0/theme"), "Communities"));
    assert (s_test_int (annual, "social_value/by_theme/0/committed_pence") == 375000);
    assert (s_test_int (annual, "social_value/by_theme/0/delivered_pence") == 210000);
    assert (streq (s_test_str (annual, "social_value/by_theme/1/theme"), "Jobs"));
    assert (s_test_int (annual, "social_value/by_theme/1/committed_pence") == 7300000);
    assert (s_test_int (annual, "social_value/by_theme/1/delivered_pence") == 5125000);
    assert (s_test_size (annual, "social_value/by_measure") == 3);
    assert (streq (s_test_str (annual, "social_value/by_measure/0/measure"), "NT1"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/description"),
                   "Local people employed"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/unit"), "FTE"));
    assert (streq (s_test_str (annual, "social_value/by_measure/0/theme"), "Jobs"));
    assert (s_test_real (annual, "social_value/by_measure/0/committed_qty") == 2.0);
    assert (s_test_real (annual, "social_value/by_measure/0/delivered_qty") == 1.5);
    assert (s_test_int (annual, "social_value/by_measure/0/committed_pence") == 6000000);
    assert (s_test_int (annual, "social_value/by_measure/0/delivered_pence") == 4500000);
    assert (streq (s_test_str (annual, "social_value/by_measure/1/measure"), "NT10"));
    assert (s_test_real (annual, "social_value/by_measure/1/committed_qty") == 52.0);
    assert (s_test_real (annual, "social_value/by_measure/1/delivered_qty") == 25.0);
    assert (s_test_int (annual, "social_value/by_measure/1/delivered_pence") == 625000);
    assert (streq (s_test_str (annual, "social_value/by_measure/2/measure"), "NT20"));
    assert (s_test_real (annual, "social_value/by_measure/2/committed_qty") == 250.0);
    assert (s_test_real (annual, "social_value/by_measure/2/delivered_qty") == 140.0);
    assert (s_test_int (annual, "social_value/by_measure/2/committed_pence") == 375000);
    assert (s_test_int (annual, "social_value/by_measure/2/delivered_pence") == 210000);

    //  Top contracts: C-1 delivered 93.72% of the whole
    assert (s_test_size (annual, "social_value/top_contracts") == 4);
    assert (streq (s_test_str (annual, "social_value/top_contracts/0/partner"), "council"));
    assert (streq (s_test_str (annual, "social_value/top_contracts/0/contract"), "C-1"));
    assert (streq (s_test_str (annual, "social_value/top_contracts/0/title"), "Office cleaning"));
    assert (streq (s_test_str (annual, "social_value/top_contracts/0/supplier"),
                   "Brightside Cleaning Ltd"));
    assert (s_test_int (annual, "social_value/top_contracts/0/delivered_pence") == 5000000);
    assert (s_test_real (annual, "social_value/top_contracts/0/share") == 0.9372);
    //  C-3's supplier is redacted by council: police's name for it stands
    assert (streq (s_test_str (annual, "social_value/top_contracts/1/contract"), "C-3"));
    assert (streq (s_test_str (annual, "social_value/top_contracts/1/supplier"),
                   "Harbour Catering CIC"));
    assert (s_test_real (annual, "social_value/top_contracts/1/share") == 0.0281);
    assert (streq (s_test_str (annual, "social_value/top_contracts/2/contract"), "C-2"));
    assert (s_test_int (annual, "social_value/top_contracts/2/delivered_pence") == 125000);
    assert (s_test_real (annual, "social_value/top_contracts/2/share") == 0.0234);
    assert (streq (s_test_str (annual, "social_value/top_contracts/3/contract"), "P-1"));
    assert (streq (s_test_str (annual, "social_value/top_contracts/3/supplier"),
                   "Keepsafe Security"));
    assert (s_test_real (annual, "social_value/top_contracts/3/share") == 0.0112);

    //  Small numbers: Rotherham West has 2 deliveries, Care leavers and
    //  Older people 1 each: suppressed
    assert (s_test_size (annual, "social_value/by_ward") == 2);
    assert (streq (s_test_str (annual, "social_value/by_ward/0/ward"), "Boston Castle"));
    assert (s_test_int (annual, "social_value/by_ward/0/deliveries") == 7);
    assert (s_test_int (annual, "social_value/by_ward/0/delivered_pence") == 5125000);
    assert (s_test_get (annual, "social_value/by_ward/0/suppressed") == json_false ());
    assert (streq (s_test_str (annual, "social_value/by_ward/1/ward"), "Rotherham West"));
    assert (s_test_null (annual, "social_value/by_ward/1/deliveries"));
    assert (s_test_null (annual, "social_value/by_ward/1/delivered_pence"));
    assert (s_test_get (annual, "social_value/by_ward/1/suppressed") == json_true ());
    assert (s_test_size (annual, "social_value/by_beneficiary_group") == 3);
    assert (streq (s_test_str (annual, "social_value/by_beneficiary_group/0/group"),
                   "Care leavers"));
    assert (s_test_null (annual, "social_value/by_beneficiary_group/0/deliveries"));
    assert (s_test_null (annual, "social_value/by_beneficiary_group/1/delivered_pence"));
    assert (streq (s_test_str (annual, "social_value/by_beneficiary_group/2/group"),
                   "Young people"));
    assert (s_test_int (annual, "social_value/by_beneficiary_group/2/deliveries") == 6);
    assert (s_test_int (annual, "social_value/by_beneficiary_group/2/delivered_pence") == 625000);

    //  RLW: in scope and active are C-1 (missing), C-2 (accredited until
    //  2025-06-30, which holds at the year's end), C-3 (committed), P-1
    //  (flagged; police's record of CH:002 is not accredited)
    assert (s_test_int (annual, "rlw/in_scope_contracts") == 4);
    assert (s_test_int (annual, "rlw/with_commitment") == 1);
    assert (s_test_int (annual, "rlw/accredited_supplier") == 1);
    assert (s_test_int (annual, "rlw/missing_commitment") == 2);
    assert (s_test_size (annual, "rlw/contracts") == 4);
    assert (streq (s_test_str (annual, "rlw/contracts/0/contract"), "C-1"));
    assert (streq (s_test_str (annual, "rlw/contracts/0/supplier"), "Brightside Cleaning Ltd"));
    assert (streq (s_test_str (annual, "rlw/contracts/0/category"), "Cleaning services"));
    assert (s_test_int (annual, "rlw/contracts/0/value_pence") == 120000000);
    assert (streq (s_test_str (annual, "rlw/contracts/0/start_date"), "2024-04-01"));
    //  The reason is compliance's phrase, whatever its wording
    compliance_rules_rlw_t criteria = { .categories = "cleaning", .min_weeks = 8 };
    const char *derived = NULL;
    assert (compliance_rules_rlw_in_scope (&criteria, "derive", "Cleaning services",
                                           "2024-04-01", "2026-03-31", &derived));
    assert (streq (s_test_str (annual, "rlw/contracts/0/reason"), derived));
    assert (streq (s_test_str (annual, "rlw/contracts/0/state"), "missing"));
    assert (streq (s_test_str (annual, "rlw/contracts/0/suggested_category"), "cleaning"));
    assert (streq (s_test_str (annual, "rlw/contracts/1/suggested_category"), ""));
    //  Suggested, never counted: C-4 stays out of the four in scope
    assert (s_test_size (annual, "rlw/suggested_by_sic") == 1);
    assert (streq (s_test_str (annual, "rlw/suggested_by_sic/0/contract"), "C-4"));
    assert (streq (s_test_str (annual, "rlw/suggested_by_sic/0/category"), "Software"));
    assert (streq (s_test_str (annual, "rlw/suggested_by_sic/0/suggested_category"),
                   "cleaning"));
    assert (streq (s_test_str (annual, "rlw/suggested_by_sic/0/sic_codes"), "62020,81210"));
    assert (streq (s_test_str (annual, "rlw/contracts/1/contract"), "C-2"));
    assert (s_test_get (annual, "rlw/contracts/1/accredited") == json_true ());
    assert (streq (s_test_str (annual, "rlw/contracts/1/accreditation_expiry"), "2025-06-30"));
    assert (streq (s_test_str (annual, "rlw/contracts/1/state"), "accredited"));
    assert (streq (s_test_str (annual, "rlw/contracts/2/contract"), "C-3"));
    assert (s_test_get (annual, "rlw/contracts/2/rlw_commitment") == json_true ());
    assert (streq (s_test_str (annual, "rlw/contracts/2/state"), "committed"));
    assert (streq (s_test_str (annual, "rlw/contracts/3/partner"), "police"));
    assert (streq (s_test_str (annual, "rlw/contracts/3/contract"), "P-1"));
    const char *flagged = NULL;
    assert (compliance_rules_rlw_in_scope (&criteria, "yes", "", "", "", &flagged));
    assert (streq (s_test_str (annual, "rlw/contracts/3/reason"), flagged));
    assert (s_test_get (annual, "rlw/contracts/3/accredited") == json_false ());
    assert (streq (s_test_str (annual, "rlw/contracts/3/state"), "missing"));

    //  Alerts: open and acknowledged only, most severe first, then by id
    assert (s_test_int (annual, "alerts/open") == 2);
    assert (s_test_int (annual, "alerts/acknowledged") == 1);
    assert (s_test_size (annual, "alerts/by_rule") == 2);
    assert (s_test_int (annual, "alerts/by_rule/rlw.missing_commitment") == 2);
    assert (s_test_int (annual, "alerts/by_rule/rlw.renewal_due") == 1);
    assert (s_test_size (annual, "alerts/list") == 3);
    assert (streq (s_test_str (annual, "alerts/list/0/alert_id"),
                   "rlw.missing_commitment/council/C-1"));
    assert (streq (s_test_str (annual, "alerts/list/0/supplier"), "Brightside Cleaning Ltd"));
    assert (streq (s_test_str (annual, "alerts/list/1/state"), "acknowledged"));
    assert (streq (s_test_str (annual, "alerts/list/1/at"), "2025-01-12T10:00:00Z"));
    assert (streq (s_test_str (annual, "alerts/list/1/supplier"), "Keepsafe Security"));
    assert (streq (s_test_str (annual, "alerts/list/2/partner"), ""));
    json_decref (annual);

    //  Counting only evidenced and validated deliveries drops C-1's claimed
    //  NT10 weeks; Young people then has exactly the threshold: shown
    annual = s_test_report (store, "annual", "2024-25", "", "evidenced, validated");
    assert (s_test_size (annual, "evidence_counted") == 2);
    assert (streq (s_test_str (annual, "evidence_counted/0"), "evidenced"));
    assert (s_test_int (annual, "social_value/committed_pence") == 7675000);
    assert (s_test_int (annual, "social_value/delivered_pence") == 4835000);
    assert (s_test_real (annual, "social_value/by_measure/1/delivered_qty") == 5.0);
    assert (s_test_int (annual, "social_value/by_ward/0/deliveries") == 6);
    assert (s_test_int (annual, "social_value/by_ward/0/delivered_pence") == 4625000);
    assert (s_test_int (annual, "social_value/by_beneficiary_group/2/deliveries") == 5);
    assert (s_test_int (annual, "social_value/by_beneficiary_group/2/delivered_pence") == 125000);
    assert (s_test_real (annual, "social_value/top_contracts/0/share") == 0.9307);
    json_decref (annual);

    //  One partner
    annual = s_test_report (store, "annual", "", "council", NULL);
    assert (streq (s_test_str (annual, "year"), "2024-25"));
    assert (streq (s_test_str (annual, "partner"), "council"));
    assert (s_test_size (annual, "partners") == 1);
    assert (s_test_int (annual, "spend/rows") == 5);
    assert (s_test_int (annual, "spend/total_pence") == 440000);
    assert (s_test_int (annual, "spend/local_pence") == 210000);
    assert (s_test_real (annual, "spend/local_share") == 0.4773);
    assert (s_test_int (annual, "spend/additional_local_pence") == 150000);
    assert (s_test_int (annual, "social_value/committed_pence") == 7600000);
    assert (s_test_int (annual, "social_value/delivered_pence") == 5275000);
    assert (s_test_int (annual, "rlw/in_scope_contracts") == 3);
    assert (s_test_int (annual, "alerts/open") == 1);
    assert (s_test_int (annual, "alerts/acknowledged") == 0);
    json_decref (annual);

    //  2025-26 gets a commitment and no spend. Left to the store, the year
    //  is still 2024-25, the latest with spend: a year of returns alone is
    //  no year in which nothing was spent. Asked for, 2025-26 is reported.
    assert (sv_db_begin (store->db) == 0);
    s_test_event (&test, "valuation", "council/COMMITMENT/C-1/NT1/2025-26", &(sv_proto_t) {
        .id = SV_PROTO_VALUATION_LINE, .valuation_line = {
            .framework = "test", .framework_version = "1", .partner = "council",
            .contract_id = "C-1", .measure = "NT1", .theme = "Jobs", .unit = "FTE",
            .description = "Local people employed", .proxy_pence = 3000000,
            .kind = "committed", .year = "2025-26", .quantity_milli = 1000,
            .value_pence = 3000000 } });
    assert (sv_db_commit (store->db) == 0);
    annual = s_test_report (store, "annual", "", "", NULL);
    assert (streq (s_test_str (annual, "year"), "2024-25"));
    assert (s_test_int (annual, "spend/total_pence") == 540000);
    json_decref (annual);

    //  A year judged at its end: by 31 March 2026 CH:002's accreditation
    //  has lapsed, so C-2 (still active in April-May 2025) is missing
    annual = s_test_report (store, "annual", "2025-26", "", NULL);
    assert (s_test_int (annual, "spend/rows") == 0);
    assert (s_test_null (annual, "spend/local_share"));
    assert (s_test_int (annual, "spend/previous_year_local_pence") == 235000);
    assert (s_test_int (annual, "spend/additional_local_pence") == -235000);
    assert (s_test_size (annual, "social_value/top_contracts") == 0);
    assert (s_test_int (annual, "rlw/missing_commitment") == 3);
    assert (streq (s_test_str (annual, "rlw/contracts/1/contract"), "C-2"));
    assert (streq (s_test_str (annual, "rlw/contracts/1/state"), "missing"));
    json_decref (annual);

    //  ------------------------------------------------------------------
    //  Partnership
    json_t *partnership = s_test_report (store, "partnership", "", "", NULL);
    assert (streq (s_test_str (partnership, "report"), "partnership"));
    assert (streq (s_test_str (partnership, "year"), "2024-25"));
    assert (s_test_int (partnership, "network/spend_total_pence") == 540000);
    assert (s_test_int (partnership, "network/local_pence") == 235000);
    assert (s_test_int (partnership, "network/unknown_locality_pence") == 30000);
    assert (s_test_real (partnership, "network/local_share") == 0.4352);
    assert (s_test_int (partnership, "network/committed_pence") == 7675000);
    assert (s_test_int (partnership, "network/delivered_pence") == 5335000);
    assert (s_test_int (partnership, "network/in_scope_contracts") == 4);
    assert (s_test_int (partnership, "network/missing_commitment") == 2);
    assert (s_test_int (partnership, "network/open_alerts") == 2);
    assert (s_test_size (partnership, "by_partner") == 2);
    assert (streq (s_test_str (partnership, "by_partner/0/partner"), "council"));
    assert (s_test_int (partnership, "by_partner/0/spend_total_pence") == 440000);
    assert (s_test_int (partnership, "by_partner/0/local_pence") == 210000);
    assert (s_test_int (partnership, "by_partner/0/unknown_locality_pence") == 30000);
    assert (s_test_real (partnership, "by_partner/0/local_share") == 0.4773);
    assert (s_test_int (partnership, "by_partner/0/committed_pence") == 7600000);
    assert (s_test_int (partnership, "by_partner/0/delivered_pence") == 5275000);
    assert (s_test_int (partnership, "by_partner/0/in_scope_contracts") == 3);
    assert (s_test_int (partnership, "by_partner/0/missing_commitment") == 1);
    assert (s_test_int (partnership, "by_partner/0/open_alerts") == 1);
    assert (s_test_int (partnership, "by_partner/0/additional_local_pence") == 150000);
    assert (streq (s_test_str (partnership, "by_partner/1/partner"), "police"));
    assert (s_test_int (partnership, "by_partner/1/spend_total_pence") == 100000);
    assert (s_test_int (partnership, "by_partner/1/local_pence") == 25000);
    assert (s_test_int (partnership, "by_partner/1/unknown_locality_pence") == 0);
    assert (s_test_real (partnership, "by_partner/1/local_share") == 0.25);
    assert (s_test_int (partnership, "by_partner/1/committed_pence") == 75000);
    assert (s_test_int (partnership, "by_partner/1/delivered_pence") == 60000);
    assert (s_test_int (partnership, "by_partner/1/in_scope_contracts") == 1);
    assert (s_test_int (partnership, "by_partner/1/missing_commitment") == 1);
    assert (s_test_int (partnership, "by_partner/1/open_alerts") == 0);
    assert (s_test_int (partnership, "by_partner/1/additional_local_pence") == 15000);
    assert (s_test_int (partnership, "network/additional_local_pence") == 150000 + 15000);
    //  Without display names a partner is shown by its config name
    assert (streq (s_test_str (partnership, "by_partner/1/partner_name"), "police"));
    json_decref (partnership);

    //  ------------------------------------------------------------------
    //  RLW scope
    json_t *scope = s_test_report (store, "rlw-scope", "2024-25", "all", NULL);
    assert (streq (s_test_str (scope, "title"), "Real Living Wage scope 2024-25: all partners"));
    assert (s_test_size (scope, "criteria/categories") == 4);
    assert (streq (s_test_str (scope, "criteria/categories/1"), "security"));
    assert (s_test_int (scope, "criteria/min_weeks") == 8);
    assert (s_test_int (scope, "rlw/in_scope_contracts") == 4);
    assert (s_test_int (scope, "rlw/missing_commitment") == 2);
    assert (s_test_size (scope, "rlw/contracts") == 4);
    assert (streq (s_test_str (scope, "rlw/contracts/2/supplier"), "Harbour Catering CIC"));
    json_decref (scope);

    //  ------------------------------------------------------------------
    //  Alerts: with those resolved in the 90 days before created
    json_t *alerts = s_test_report (store, "alerts", "", "", NULL);
    assert (streq (s_test_str (alerts, "year"), ""));
    assert (streq (s_test_str (alerts, "title"), "Compliance alerts: all partners"));
    assert (s_test_int (alerts, "alerts/open") == 2);
    assert (s_test_int (alerts, "alerts/acknowledged") == 1);
    assert (s_test_int (alerts, "alerts/resolved_recently") == 1);
    assert (s_test_size (alerts, "alerts/by_rule") == 2);
    assert (s_test_size (alerts, "alerts/list") == 4);
    //  Most severe first: the two high, then the medium by id
    assert (streq (s_test_str (alerts, "alerts/list/0/alert_id"),
                   "rlw.missing_commitment/council/C-1"));
    assert (streq (s_test_str (alerts, "alerts/list/1/severity"), "high"));
    assert (streq (s_test_str (alerts, "alerts/list/2/alert_id"),
                   "delivery.shortfall/council/C-3/NT20"));
    assert (streq (s_test_str (alerts, "alerts/list/2/state"), "resolved"));
    assert (streq (s_test_str (alerts, "alerts/list/2/message"), "see the contract"));
    //  Named as the framework words the measure; "" for a rule about none
    assert (streq (s_test_str (alerts, "alerts/list/2/measure"), "NT20"));
    assert (streq (s_test_str (alerts, "alerts/list/2/measure_name"), "Volunteering hours"));
    assert (streq (s_test_str (alerts, "alerts/list/0/measure_name"), ""));
    assert (streq (s_test_str (alerts, "alerts/list/3/rule"), "rlw.renewal_due"));
    json_decref (alerts);
    alerts = s_test_report (store, "alerts", "", "police", NULL);
    assert (s_test_int (alerts, "alerts/open") == 0);
    assert (s_test_int (alerts, "alerts/acknowledged") == 1);
    assert (s_test_int (alerts, "alerts/resolved_recently") == 0);
    json_decref (alerts);

    //  ------------------------------------------------------------------
    //  Refusals, each with its reason
    params = (reporting_store_params_t) { .kind = "annual", .year = "2024-26", .partner = "" };
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (strstr (reason, "'2024-26' is not a financial year"));
    params.year = "last year";
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (strstr (reason, "last year"));
    params.year = "";
    params.partner = "fire service";
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (strstr (reason, "fire service"));
    params.partner = "";
    params.evidence_counted = "validated,signed";
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (strstr (reason, "'signed'"));
    params.evidence_counted = NULL;
    params.kind = "monthly";
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (strstr (reason, "monthly"));
    //  A year with no data at all, naming the years that have some
    params.kind = "annual";
    params.year = "2019-20";
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (streq (reason, "no data for 2019-20; years with data: 2023-24, 2024-25, 2025-26"));
    params.kind = "rlw-scope";
    params.year = "2025-26";
    params.partner = "police";
    assert (reporting_store_report (store, &params, &reason) == NULL);
    assert (streq (reason, "no data for 2025-26 from police; years with data: 2023-24, 2024-25"));
    params.kind = "alerts";
    json_t *alerts_any_year = reporting_store_report (store, &params, &reason);
    assert (alerts_any_year);
    json_decref (alerts_any_year);

    //  ------------------------------------------------------------------
    //  Every event applied a second time changes nothing, to the byte
    char *before = s_test_dump_all (store);
    s_test_load (&test);
    char *after = s_test_dump_all (store);
    assert (streq (before, after));
    free (before);
    free (after);
    assert (reporting_store_count (store, "spend_lines") == 9);
    assert (reporting_store_count (store, "value_lines") == 16);

    //  A payment in a transaction held for one commit is not counted until
    //  it is committed, and is counted then
    s_test_held_t held = { 0 };
    sv_db_t *db = reporting_store_db (store);
    assert (sv_db_begin (db) == 0);
    s_test_spend_line (&test, "held-1", &(sv_proto_local_spend_line_t) {
        .partner = "council", .payment_date = "2024-05-01", .amount_pence = 100 });
    sv_db_hold (db, s_test_held_end, &held);
    assert (reporting_store_count (store, "spend_lines") == 9);
    assert (sv_db_release (db) == 0 && held.committed);
    assert (reporting_store_count (store, "spend_lines") == 10);

    //  Schedules remember when they last fired
    assert (reporting_store_schedule_last (store, "annual") == 0);
    assert (reporting_store_schedule_set (store, "annual", 1750000000) == 0);
    assert (reporting_store_schedule_set (store, "annual", 1760000000) == 0);
    assert (reporting_store_schedule_last (store, "annual") == 1760000000);
    assert (reporting_store_schedule_last (store, "weekly-alerts") == 0);

    //  The store reopens as it was
    reporting_store_destroy (&store);
    reporting_store_destroy (&store);
    store = reporting_store_new (path, &reason);
    assert (store);
    assert (reporting_store_schedule_last (store, "annual") == 1760000000);
    assert (reporting_store_count (store, "alerts") == 5);
    reporting_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);

    //  With no spend at all, the year left to the store is the latest with
    //  lines
    store = reporting_store_new (path, &reason);
    assert (store);
    test = (s_test_t) { .store = store };
    assert (sv_db_begin (store->db) == 0);
    s_test_event (&test, "valuation", "council/DELIVERY/C-1/NT1/2026Q1", &(sv_proto_t) {
        .id = SV_PROTO_VALUATION_LINE, .valuation_line = {
            .framework = "test", .framework_version = "1", .partner = "council",
            .contract_id = "C-1", .measure = "NT1", .kind = "delivered", .year = "2026-27",
            .evidence = "validated", .quantity_milli = 1000, .value_pence = 3000000 } });
    assert (sv_db_commit (store->db) == 0);
    annual = s_test_report (store, "annual", "", "", NULL);
    assert (streq (s_test_str (annual, "year"), "2026-27"));
    assert (s_test_int (annual, "social_value/delivered_pence") == 3000000);
    json_decref (annual);
    reporting_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);

    //  The contracts report's status (see the header) on K-1, a year from
    //  2024-04-01 to 2025-03-31 (364 days), 10 committed, 6 delivered by a
    //  return to 2024-06-30; quarterly returns, 30 days' grace, 10%
    store = reporting_store_new (path, &reason);
    assert (store);
    test = (s_test_t) { .store = store };
    assert (sv_db_begin (store->db) == 0);
    s_test_load_contract (&test, "K-1", "", 6000);
    assert (sv_db_commit (store->db) == 0);
    char status [80];
    //  Day 136: 3.74 expected, the quarter to 30 June returned
    s_test_status (store, "2024-08-15", "", status, sizeof status);
    assert (streq (status, "green//2024-10-30"));
    //  Day 197: 5.41 expected; the quarter to 30 September unreturned, 15
    //  days ago, within the grace
    s_test_status (store, "2024-10-15", "", status, sizeof status);
    assert (streq (status, "amber/return due/2024-10-30"));
    //  Day 228: 6.26 expected, 5.64 at 10%: below pro rata, but the
    //  return is 46 days late
    s_test_status (store, "2024-11-15", "", status, sizeof status);
    assert (streq (status, "red/overdue/2024-10-30"));
    s_test_status (store, "2024-11-15", "K-2", status, sizeof status);
    assert (streq (status, ""));
    //  An open shortfall alert reds it whatever the figures say
    assert (sv_db_begin (store->db) == 0);
    s_test_event (&test, "compliance", "alert", &(sv_proto_t) { .id = SV_PROTO_ALERT, .alert = {
        .message = "see the contract", .alert_id = "A-9", .rule = "delivery.shortfall", .severity = "medium",
        .state = "open", .partner = "council", .contract_id = "K-1",
        .at = "2024-08-01T00:00:00Z" } });
    assert (sv_db_commit (store->db) == 0);
    s_test_status (store, "2024-08-15", "", status, sizeof status);
    assert (streq (status, "red/open alert/2024-10-30"));
    //  K-3's commitment could not be valued (no proxy for its year): its
    //  10 committed still count, so 2 delivered by day 228 is a
    //  shortfall, and the row says its pence leave a line out
    assert (sv_db_begin (store->db) == 0);
    s_test_load_contract (&test, "K-3", "no proxy", 2000);
    assert (sv_db_commit (store->db) == 0);
    s_test_status (store, "2024-11-15", "K-3", status, sizeof status);
    assert (streq (status, "red/shortfall/2024-10-30"));
    reporting_store_params_t unvalued = {
        .kind = "contracts", .year = "2024-25", .created = "2024-11-15T09:00:00Z",
        .contract = "K-3", .return_period_months = 3, .overdue_grace_days = 30
    };
    json_t *document = reporting_store_report (store, &unvalued, NULL);
    assert (s_test_int (document, "contracts/0/committed_unvalued") == 1);
    assert (s_test_int (document, "contracts/0/delivered_unvalued") == 0);
    assert (s_test_int (document, "contracts/0/committed_pence") == 0);
    assert (s_test_real (document, "contracts/0/committed_qty") == 10.0);
    json_decref (document);
    //  A record-only measure (a Social Value Model metric): its hours
    //  count, its pounds are null, never £0, and the totals are unmoved
    document = s_test_report (store, "annual", "2024-25", "", NULL);
    int64_t committed_before = s_test_int (document, "social_value/committed_pence");
    json_decref (document);
    assert (sv_db_begin (store->db) == 0);
    s_test_load_record_only (&test);
    assert (sv_db_commit (store->db) == 0);
    document = s_test_report (store, "annual", "2024-25", "", NULL);
    assert (s_test_int (document, "social_value/committed_pence") == committed_before);
    json_t *rows = s_test_get (document, "social_value/by_measure");
    json_t *row = json_array_get (rows, json_array_size (rows) - 1);
    assert (streq (json_string_value (json_object_get (row, "measure")), "SVM-5A-01"));
    assert (json_is_true (json_object_get (row, "record_only")));
    assert (json_is_null (json_object_get (row, "committed_pence")));
    assert (json_real_value (json_object_get (row, "delivered_qty")) == 42.0);
    assert (streq (json_string_value (json_object_get (row, "outcome")), "Safer communities"));
    rows = s_test_get (document, "social_value/by_theme");
    row = json_array_get (rows, json_array_size (rows) - 1);
    assert (streq (json_string_value (json_object_get (row, "theme")), "Take back our streets"));
    assert (json_is_true (json_object_get (row, "record_only")));
    assert (json_is_null (json_object_get (row, "delivered_pence")));
    json_decref (document);
    //  Explained, the pounds delivered take no record-only line; its hours
    //  are traced as hours
    reporting_store_params_t traced = { .kind = "annual", .year = "2024-25",
                                        .created = "2025-04-01T09:00:00Z" };
    reporting_store_figure_t pounds = { .valued = true, .adds = REPORTING_STORE_ADDS_PENCE,
                                        .kind = 1, .locality = -1 };
    json_t *trace = reporting_store_trace (store, &traced, &pounds, 0, 0, NULL);
    assert (trace && s_test_int (trace, "rows_total") == 2 && s_test_int (trace, "sum") == 240000);
    json_decref (trace);
    reporting_store_figure_t hours = { .valued = true, .adds = REPORTING_STORE_ADDS_MILLI,
                                       .kind = 1, .locality = -1, .measure = "SVM-5A-01" };
    trace = reporting_store_trace (store, &traced, &hours, 0, 0, NULL);
    assert (trace && s_test_int (trace, "rows_total") == 1 && s_test_int (trace, "sum") == 42000);
    json_decref (trace);
    //  The partnership by common outcome: each measure of each framework
    //  where the crosswalk puts it, in the crosswalk's order; pounds only
    //  where the framework prices the measure
    const char *mapping = "framework,measure,outcome\n"
                          "test,SVM-5A-01,Safer communities\n"
                          "test,NT1,Fair work\n";
    reporting_crosswalk_t *crosswalk = reporting_crosswalk_load (mapping, strlen (mapping),
                                                                 NULL, NULL);
    assert (crosswalk);
    reporting_store_params_t sides = {
        .kind = "partnership", .year = "2024-25", .created = "2025-04-01T09:00:00Z",
        .crosswalk_path = "crosswalk.csv", .crosswalk = crosswalk
    };
    document = reporting_store_report (store, &sides, NULL);
    assert (s_test_size (document, "by_outcome") == 2);
    assert (streq (s_test_str (document, "crosswalk/outcomes/0"), "Safer communities"));
    assert (streq (s_test_str (document, "by_outcome/0/measure"), "SVM-5A-01"));
    assert (s_test_null (document, "by_outcome/0/delivered_pence"));
    assert (s_test_real (document, "by_outcome/0/delivered_qty") == 42.0);
    assert (streq (s_test_str (document, "by_outcome/1/outcome"), "Fair work"));
    //  K-1's 6 and K-3's 2 delivered, at £300 a unit
    assert (s_test_int (document, "by_outcome/1/delivered_pence") == 240000);
    json_decref (document);
    //  A crosswalk that could not be read: the report says why, shows none
    sides.crosswalk = NULL;
    sides.crosswalk_problem = "row 3: empty outcome";
    document = reporting_store_report (store, &sides, NULL);
    assert (streq (s_test_str (document, "crosswalk/problem"), "row 3: empty outcome"));
    assert (s_test_size (document, "by_outcome") == 0);
    json_decref (document);
    reporting_crosswalk_destroy (&crosswalk);
    reporting_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
    s_test_frameworks_share_code ();
    s_test_migration_10 ();
    if (verbose)
        printf ("OK\n");
}
