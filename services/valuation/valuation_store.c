/*  valuation_store: valuation's SQLite store. See valuation_store.h. */

#include "valuation_store.h"
#include "sv_digest.h"
#include "sv_stream.h"
#include <sodium.h>

#define S_DIGEST_SIZE SV_DIGEST_SIZE

static const char *const s_migrations [] = {
    //  1: frameworks, contracts, suppliers, sources, lines, offsets, outbox
    "CREATE TABLE frameworks ("
    " id TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " csv BLOB NOT NULL,"
    " imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
    " PRIMARY KEY (id, version));"
    "CREATE TABLE contracts ("
    " partner TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " start_date TEXT NOT NULL,"
    " PRIMARY KEY (partner, contract_id)) WITHOUT ROWID;"
    "CREATE TABLE suppliers ("
    " partner TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " postcode TEXT NOT NULL,"
    " sme INTEGER NOT NULL,"
    " vcse INTEGER NOT NULL,"
    " PRIMARY KEY (partner, supplier_key)) WITHOUT ROWID;"
    "CREATE TABLE sources ("
    " kind TEXT NOT NULL,"
    " partner TEXT NOT NULL,"
    " natural_key TEXT NOT NULL,"
    " contract_id TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " seq INTEGER NOT NULL,"
    " body BLOB NOT NULL,"
    " line_digest BLOB,"              //  of the last line sent for it
    " PRIMARY KEY (kind, partner, natural_key));"
    //  Each row is in at most one of these: commitments and deliveries name
    //  a contract, payments a supplier
    "CREATE INDEX sources_contract ON sources (kind, partner, contract_id)"
    " WHERE contract_id != '';"
    "CREATE INDEX sources_supplier ON sources (kind, partner, supplier_key)"
    " WHERE supplier_key != '';"
    SV_STREAM_OFFSETS_SQL
    SV_STREAM_OUTBOX_SQL,
    //  2: the configuration each partner's lines were valued under
    "CREATE TABLE settings ("
    " partner TEXT PRIMARY KEY,"
    " settings TEXT NOT NULL) WITHOUT ROWID;",
    //  3: payments, by far the most numerous source, keep only what their
    //  line is made from, clustered by natural key (one B-tree write, not
    //  a table and its key index); sources keeps commitments and
    //  deliveries. The payments sources held are moved to spends when
    //  the store opens (s_move_spend_sources: their fields are in msgpack)
    "CREATE TABLE spends ("
    " partner TEXT NOT NULL,"
    " natural_key TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " postcode TEXT NOT NULL,"        //  the payment's own, "" when none
    " payment_date TEXT NOT NULL,"
    " amount_pence INTEGER NOT NULL,"
    " seq INTEGER NOT NULL,"
    " line_digest BLOB NOT NULL,"     //  of the last line sent for it
    " PRIMARY KEY (partner, natural_key)) WITHOUT ROWID;"
    "CREATE INDEX spends_supplier ON spends (partner, supplier_key)"
    " WHERE supplier_key != '';"
    "DROP INDEX sources_supplier;"
    "ALTER TABLE sources DROP COLUMN supplier_key;",
    //  4: the employee-owned flag, carried onto payments' lines beside sme
    //  and vcse for reporting's spend figures
    "ALTER TABLE suppliers ADD COLUMN employee_owned INTEGER NOT NULL DEFAULT 0;",
    //  5: suppliers' names (what socval suppliers resolve searches Companies
    //  House's register by: a supplier feed's, else a payment's), and what
    //  the register says of a supplier key (COMPANY): its registered office,
    //  given to a partner's supplier of that key whose own feed gives no
    //  postcode. scope is "" for keys that name a company whoever pays it
    //  (CH:, NAME:), the partner for a partner's own supplier id (ID:)
    "CREATE TABLE names ("
    " scope TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " PRIMARY KEY (scope, supplier_key)) WITHOUT ROWID;"
    "CREATE TABLE companies ("
    " scope TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " company_number TEXT NOT NULL,"
    " postcode TEXT NOT NULL,"
    " matched_by TEXT NOT NULL,"
    " PRIMARY KEY (scope, supplier_key)) WITHOUT ROWID;",
    //  6: payees, not payments. Payments are reporting's, which joins each
    //  with its payee's place (PLACE): valuation keeps only the supplier
    //  and postcode pairs they name, from ingest's PAYEE, with the digest
    //  of the last PLACE sent. The payments held give their payees; their
    //  lines leave the stream; and every partner's settings are forgotten,
    //  so the store's next start places every payee (and values every line
    //  again, sending only those that changed)
    "CREATE TABLE payees ("
    " partner TEXT NOT NULL,"
    " supplier_key TEXT NOT NULL,"
    " postcode TEXT NOT NULL,"
    " place_digest BLOB,"
    " PRIMARY KEY (partner, supplier_key, postcode)) WITHOUT ROWID;"
    "INSERT INTO payees (partner, supplier_key, postcode)"
    " SELECT DISTINCT partner, supplier_key, postcode FROM spends;"
    "DROP TABLE spends;"
    "DELETE FROM outbox WHERE type = 'LOCAL_SPEND_LINE';"
    "DELETE FROM settings;",
    NULL
};

struct _valuation_store_t {
    sv_db_t *db;
};

static int s_payee_store (valuation_store_t *self, const char *partner,
                          const char *supplier_key, const char *postcode);

//  Gives the payments a store of schema 2 held in sources their payees, in
//  one transaction (a crash leaves them to move on the next open). 0, or
//  -1 on a database error or when a payment held does not read as a SPEND
//  (logged, naming it): then nothing moves and nothing is deleted.
static int
s_move_spend_sources (valuation_store_t *self)
{
    if (sv_db_int (self->db, "SELECT count(*) FROM sources WHERE kind = 'SPEND'", 0) == 0)
        return 0;
    if (sv_db_begin (self->db))
        return -1;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2 (sv_db_handle (self->db),
        "SELECT partner, natural_key, seq, body FROM sources"
        " WHERE kind = 'SPEND'", -1, &stmt, NULL) == SQLITE_OK? 0: -1;
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        sv_proto_t event = { .id = 0 };
        if (sv_proto_decode (&event, sqlite3_column_blob (stmt, 3),
                             (size_t) sqlite3_column_bytes (stmt, 3)) == 0
        &&  event.id == SV_PROTO_SPEND)
            rc = s_payee_store (self, sv_db_text (stmt, 0), event.spend.supplier_key,
                                event.spend.postcode) < 0? -1: 0;
        else {
            zsys_error ("valuation: migration 3: the payment held in sources for partner '%s',"
                        " key '%s', seq %" PRId64 " does not read as a SPEND: %s",
                        sv_db_text (stmt, 0), sv_db_text (stmt, 1),
                        (int64_t) sqlite3_column_int64 (stmt, 2),
                        *event.reason? event.reason: "another message");
            rc = -1;
        }
        sv_proto_reset (&event);
    }
    sqlite3_finalize (stmt);
    if (rc == 0
    &&  sv_db_exec (self->db, "DELETE FROM sources WHERE kind = 'SPEND'") == 0
    &&  sv_db_commit (self->db) == 0)
        return 0;
    sv_db_rollback (self->db);
    return -1;
}

valuation_store_t *
valuation_store_new (const char *path, const char **reason_p)
{
    if (sodium_init () < 0) {
        if (reason_p)
            *reason_p = "libsodium cannot start";
        return NULL;
    }
    sv_db_t *db = sv_db_new (path, s_migrations, reason_p);
    if (!db)
        return NULL;
    if (sv_digest_legacy_sql (db)) {
        if (reason_p)
            *reason_p = "cannot register the blake2b_128 SQL function";
        sv_db_destroy (&db);
        return NULL;
    }
    //  A long catch-up's commits should not stop to copy the log
    if (sv_db_checkpoint_behind (db, SV_DB_LOG_MAX))
        zsys_warning ("valuation: checkpoints stay with commits: %s",
                      sqlite3_errmsg (sv_db_handle (db)));
    valuation_store_t *self = (valuation_store_t *) zmalloc (sizeof (valuation_store_t));
    self->db = db;
    if (s_move_spend_sources (self)) {
        if (reason_p)
            *reason_p = "cannot give the payments held their payees (logged: a"
                        " database error, or a payment that does not read, which is kept"
                        " in sources; run the release that wrote it, or mend that row)";
        valuation_store_destroy (&self);
    }
    return self;
}

void
valuation_store_destroy (valuation_store_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        sv_db_destroy (&(*self_p)->db);
        free (*self_p);
        *self_p = NULL;
    }
}

sv_db_t *
valuation_store_db (valuation_store_t *self)
{
    assert (self);
    return self->db;
}

//  ==========================================================================
//  Frameworks

int
valuation_store_framework_put (valuation_store_t *self, const char *id,
                               const char *version, const void *csv, size_t size)
{
    assert (self && id && version && csv);
    assert (sv_db_in_transaction (self->db));
    const char *texts [] = { id, version };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO frameworks (id, version, csv) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (id, version) DO UPDATE SET csv = excluded.csv,"
        " imported_at = excluded.imported_at"), texts, 2);
    if (!stmt)
        return -1;
    sqlite3_bind_blob (stmt, 3, csv, (int) size, SQLITE_STATIC);
    return sv_db_run (self->db, stmt);
}

zchunk_t *
valuation_store_framework_get (valuation_store_t *self, const char *id, const char *version)
{
    assert (self && id);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT csv FROM frameworks WHERE id = ?1 AND (?2 IS NULL OR version = ?2)"
        " ORDER BY imported_at DESC, version DESC LIMIT 1");
    if (!stmt)
        return NULL;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    if (version)
        sqlite3_bind_text (stmt, 2, version, -1, SQLITE_STATIC);
    zchunk_t *csv = NULL;
    if (sqlite3_step (stmt) == SQLITE_ROW)
        csv = zchunk_new (sqlite3_column_blob (stmt, 0), (size_t) sqlite3_column_bytes (stmt, 0));
    sqlite3_reset (stmt);
    return csv;
}

int
valuation_store_framework_each (valuation_store_t *self,
                                void (*fn) (const char *id, const char *version,
                                            const char *imported_at, void *arg),
                                void *arg)
{
    assert (self && fn);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT id, version, imported_at FROM frameworks ORDER BY id, version");
    if (!stmt)
        return -1;
    while (sqlite3_step (stmt) == SQLITE_ROW)
        fn ((const char *) sqlite3_column_text (stmt, 0),
            (const char *) sqlite3_column_text (stmt, 1),
            (const char *) sqlite3_column_text (stmt, 2), arg);
    sqlite3_reset (stmt);
    return 0;
}

//  ==========================================================================
//  Contracts and suppliers

//  Runs an upsert whose DO UPDATE only fires on a change; 1 changed, 0 not
static int
s_changes (valuation_store_t *self, sqlite3_stmt *stmt)
{
    if (sv_db_run (self->db, stmt))
        return -1;
    return sqlite3_changes (sv_db_handle (self->db)) > 0? 1: 0;
}

int
valuation_store_contract_put (valuation_store_t *self, const char *partner,
                              const char *contract_id, const char *supplier_key,
                              const char *start_date)
{
    assert (self && partner && contract_id && supplier_key && start_date);
    const char *texts [] = { partner, contract_id, supplier_key, start_date };
    return s_changes (self, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO contracts (partner, contract_id, supplier_key, start_date)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (partner, contract_id) DO UPDATE"
        " SET supplier_key = excluded.supplier_key, start_date = excluded.start_date"
        " WHERE supplier_key != excluded.supplier_key OR start_date != excluded.start_date"),
        texts, 4));
}

int
valuation_store_contract_get (valuation_store_t *self, const char *partner,
                              const char *contract_id, char *start_date, char *supplier_key)
{
    assert (self && partner && contract_id && start_date && supplier_key);
    const char *texts [] = { partner, contract_id };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT start_date, supplier_key FROM contracts WHERE partner = ?1 AND contract_id = ?2"),
        texts, 2);
    if (!stmt)
        return -1;
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        snprintf (start_date, 11, "%s", (const char *) sqlite3_column_text (stmt, 0));
        snprintf (supplier_key, 256, "%s", (const char *) sqlite3_column_text (stmt, 1));
        rc = 0;
    }
    sqlite3_reset (stmt);
    return rc;
}

int
valuation_store_supplier_put (valuation_store_t *self, const char *partner,
                              const char *supplier_key, const char *postcode,
                              bool sme, bool vcse, bool employee_owned)
{
    assert (self && partner && supplier_key && postcode);
    const char *texts [] = { partner, supplier_key, postcode };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO suppliers (partner, supplier_key, postcode, sme, vcse, employee_owned)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (partner, supplier_key) DO UPDATE"
        " SET postcode = excluded.postcode, sme = excluded.sme, vcse = excluded.vcse,"
        " employee_owned = excluded.employee_owned"
        " WHERE postcode != excluded.postcode OR sme != excluded.sme"
        " OR vcse != excluded.vcse OR employee_owned != excluded.employee_owned"), texts, 3);
    if (!stmt)
        return -1;
    sqlite3_bind_int (stmt, 4, sme);
    sqlite3_bind_int (stmt, 5, vcse);
    sqlite3_bind_int (stmt, 6, employee_owned);
    return s_changes (self, stmt);
}

//  The scope of a supplier key: a partner's own supplier id means
//  something to that partner only
static const char *
s_scope (const char *partner, const char *supplier_key)
{
    return strncmp (supplier_key, "ID:", 3) == 0? partner: "";
}

int
valuation_store_name_put (valuation_store_t *self, const char *partner,
                          const char *supplier_key, const char *name, bool replace)
{
    assert (self && partner && supplier_key && name);
    if (!*name)
        return 0;
    const char *texts [] = { s_scope (partner, supplier_key), supplier_key, name };
    return s_changes (self, sv_db_bind_texts (sv_db_stmt (self->db, replace
      ? "INSERT INTO names (scope, supplier_key, name) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (scope, supplier_key) DO UPDATE SET name = excluded.name"
        " WHERE name != excluded.name"
      : "INSERT OR IGNORE INTO names (scope, supplier_key, name) VALUES (?1, ?2, ?3)"),
        texts, 3));
}

int
valuation_store_company_put (valuation_store_t *self, const char *partner,
                             const char *supplier_key, const char *company_number,
                             const char *postcode, const char *matched_by)
{
    assert (self && partner && supplier_key && company_number && postcode && matched_by);
    const char *texts [] = {
        s_scope (partner, supplier_key), supplier_key, company_number, postcode, matched_by
    };
    return s_changes (self, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO companies (scope, supplier_key, company_number, postcode, matched_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, supplier_key) DO UPDATE"
        " SET company_number = excluded.company_number, postcode = excluded.postcode,"
        " matched_by = excluded.matched_by"
        " WHERE company_number != excluded.company_number OR postcode != excluded.postcode"
        " OR matched_by != excluded.matched_by"), texts, 5));
}

int
valuation_store_company_get (valuation_store_t *self, const char *partner,
                             const char *supplier_key, char *postcode)
{
    assert (self && partner && supplier_key && postcode);
    const char *texts [] = { s_scope (partner, supplier_key), supplier_key };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT postcode FROM companies WHERE scope = ?1 AND supplier_key = ?2"), texts, 2);
    if (!stmt)
        return -1;
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        snprintf (postcode, 16, "%s", sv_db_text (stmt, 0));
        rc = 0;
    }
    sqlite3_reset (stmt);
    return rc;
}

int
valuation_store_supplier_each (valuation_store_t *self, valuation_store_supplier_fn *fn,
                               void *arg)
{
    assert (self && fn);
    //  Each key once in its scope (a supplier id once per partner): a name
    //  a feed gave wins over none
#define S_SCOPE "CASE WHEN substr (supplier_key, 1, 3) = 'ID:' THEN partner ELSE '' END"
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (sv_db_handle (self->db),
            "SELECT supplier_key, max (name), scope FROM ("
            " SELECT scope, supplier_key, name FROM names"
            " UNION ALL SELECT " S_SCOPE ", supplier_key, '' FROM suppliers"
            " UNION ALL SELECT DISTINCT " S_SCOPE ", supplier_key, '' FROM payees"
            " WHERE supplier_key != '')"
            " GROUP BY scope, supplier_key ORDER BY supplier_key, scope", -1, &stmt,
            NULL) != SQLITE_OK)
        return -1;
#undef S_SCOPE
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW)
        rc = fn (sv_db_text (stmt, 0), sv_db_text (stmt, 1), sv_db_text (stmt, 2), arg);
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize (stmt);
    return rc;
}

int
valuation_store_supplier_get (valuation_store_t *self, const char *partner,
                              const char *supplier_key, char *postcode,
                              bool *sme_p, bool *vcse_p, bool *employee_owned_p)
{
    assert (self && partner && supplier_key && postcode && sme_p && vcse_p
            && employee_owned_p);
    const char *texts [] = { partner, supplier_key };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "SELECT postcode, sme, vcse, employee_owned FROM suppliers WHERE partner = ?1 AND supplier_key = ?2"),
        texts, 2);
    if (!stmt)
        return -1;
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        snprintf (postcode, 16, "%s", (const char *) sqlite3_column_text (stmt, 0));
        *sme_p = sqlite3_column_int (stmt, 1) != 0;
        *vcse_p = sqlite3_column_int (stmt, 2) != 0;
        *employee_owned_p = sqlite3_column_int (stmt, 3) != 0;
        rc = 0;
    }
    sqlite3_reset (stmt);
    return rc;
}

//  ==========================================================================
//  Sources and lines

int
valuation_store_source_each (valuation_store_t *self, const char *kind,
                             const char *partner, const char *contract_id,
                             valuation_store_source_fn *fn, void *arg)
{
    assert (self && kind && fn);
    assert (partner || !contract_id);
    //  One query per shape, so each can use its index; a statement of its
    //  own per call, since fn may call back into the store
    const char *sql =
        contract_id? "SELECT natural_key, seq, body FROM sources WHERE kind = ?1"
                     " AND partner = ?2 AND contract_id = ?3 AND contract_id != ''"
      : partner? "SELECT natural_key, seq, body FROM sources WHERE kind = ?1 AND partner = ?2"
      : "SELECT natural_key, seq, body FROM sources WHERE kind = ?1";
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (sv_db_handle (self->db), sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    const char *texts [] = { kind, partner, contract_id };
    sv_db_bind_texts (stmt, texts, contract_id? 3: partner? 2: 1);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW)
        rc = fn ((const char *) sqlite3_column_text (stmt, 0),
                 (uint64_t) sqlite3_column_int64 (stmt, 1),
                 (const uint8_t *) sqlite3_column_blob (stmt, 2),
                 (size_t) sqlite3_column_bytes (stmt, 2), arg);
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize (stmt);
    return rc;
}

//  Appends a line to the outbox, keyed by its source. 1, or -1.
static int
s_append_line (valuation_store_t *self, const char *type, const char *kind,
               const char *partner, const char *natural_key, const void *body, size_t size)
{
    char key [512];
    snprintf (key, sizeof key, "%s/%s/%s", partner, kind, natural_key);
    return sv_stream_append (self->db, type, key, (const uint8_t *) body, size) < 0? -1: 1;
}

//  Stores line_digest in the row stmt (bound but for ?9 and ?10) finds, if
//  it differs, and then appends the line. ?10 is the line itself, for the
//  BLAKE2b-128 digest lines had before. 1 appended, 0 unchanged, -1.
static int
s_line_again (valuation_store_t *self, sqlite3_stmt *stmt, const byte *digest,
              const char *type, const char *kind, const char *partner,
              const char *natural_key, const void *body, size_t size)
{
    if (!stmt)
        return -1;
    sqlite3_bind_blob (stmt, 9, digest, S_DIGEST_SIZE, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 10, body, (int) size, SQLITE_STATIC);
    int changed = s_changes (self, stmt);
    return changed == 1? s_append_line (self, type, kind, partner, natural_key, body, size)
                       : changed;
}

int
valuation_store_line_put (valuation_store_t *self, const char *type, const char *kind,
                          const char *partner, const char *natural_key,
                          const valuation_store_source_t *source, const void *body, size_t size)
{
    assert (self && type && kind && partner && natural_key && body);
    assert (sv_db_in_transaction (self->db));
    byte digest [S_DIGEST_SIZE];
    sv_digest (body, size, digest);
    const char *texts [] = { kind, partner, natural_key, source? source->contract_id: NULL };
    if (!source)
        return s_line_again (self, sv_db_bind_texts (sv_db_stmt (self->db,
            "UPDATE sources SET line_digest = ?9 WHERE kind = ?1 AND partner = ?2"
            " AND natural_key = ?3 AND line_digest IS NOT ?9"
            " AND line_digest IS NOT blake2b_128 (?10)"), texts, 3),
            digest, type, kind, partner, natural_key, body, size);
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO sources (kind, partner, natural_key, contract_id, seq, body, line_digest)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (kind, partner, natural_key)"
        " DO UPDATE SET contract_id = excluded.contract_id, seq = excluded.seq,"
        " body = excluded.body, line_digest = excluded.line_digest"), texts, 4);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) source->seq);
    sqlite3_bind_blob (stmt, 6, source->body, (int) source->size, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 7, digest, sizeof digest, SQLITE_STATIC);
    if (sv_db_run (self->db, stmt))
        return -1;
    return s_append_line (self, type, kind, partner, natural_key, body, size);
}

static int
s_payee_store (valuation_store_t *self, const char *partner, const char *supplier_key,
               const char *postcode)
{
    const char *texts [] = { partner, supplier_key, postcode };
    return s_changes (self, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT OR IGNORE INTO payees (partner, supplier_key, postcode) VALUES (?1, ?2, ?3)"),
        texts, 3));
}

int
valuation_store_payee_put (valuation_store_t *self, const char *partner,
                           const char *supplier_key, const char *postcode)
{
    assert (self && partner && supplier_key && postcode);
    assert (sv_db_in_transaction (self->db));
    return s_payee_store (self, partner, supplier_key, postcode);
}

int
valuation_store_payee_each (valuation_store_t *self, const char *partner,
                            const char *supplier_key, valuation_store_payee_fn *fn, void *arg)
{
    assert (self && fn);
    assert (partner || !supplier_key);
    const char *sql =
        supplier_key? "SELECT partner, supplier_key, postcode FROM payees"
                      " WHERE partner = ?1 AND supplier_key = ?2 AND supplier_key != ''"
      : partner? "SELECT partner, supplier_key, postcode FROM payees WHERE partner = ?1"
      : "SELECT partner, supplier_key, postcode FROM payees";
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (sv_db_handle (self->db), sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    const char *texts [] = { partner, supplier_key };
    sv_db_bind_texts (stmt, texts, supplier_key? 2: partner? 1: 0);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step (stmt)) == SQLITE_ROW)
        rc = fn (sv_db_text (stmt, 0), sv_db_text (stmt, 1), sv_db_text (stmt, 2), arg);
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize (stmt);
    return rc;
}

int
valuation_store_place_put (valuation_store_t *self, const char *partner,
                           const char *supplier_key, const char *postcode,
                           const void *body, size_t size)
{
    assert (self && partner && supplier_key && postcode && body);
    assert (sv_db_in_transaction (self->db));
    byte digest [S_DIGEST_SIZE];
    sv_digest (body, size, digest);
    const char *texts [] = { partner, supplier_key, postcode };
    sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
        "UPDATE payees SET place_digest = ?4 WHERE partner = ?1 AND supplier_key = ?2"
        " AND postcode = ?3 AND place_digest IS NOT ?4"), texts, 3);
    if (!stmt)
        return -1;
    sqlite3_bind_blob (stmt, 4, digest, S_DIGEST_SIZE, SQLITE_STATIC);
    int changed = s_changes (self, stmt);
    if (changed != 1)
        return changed;
    char *key = zsys_sprintf ("%s/%s/%s", partner, supplier_key, postcode);
    int rc = sv_stream_append (self->db, "PLACE", key, (const uint8_t *) body, size) < 0? -1: 1;
    zstr_free (&key);
    return rc;
}

int
valuation_store_settings_put (valuation_store_t *self, const char *partner, const char *settings)
{
    assert (self && partner && settings);
    const char *texts [] = { partner, settings };
    return s_changes (self, sv_db_bind_texts (sv_db_stmt (self->db,
        "INSERT INTO settings (partner, settings) VALUES (?1, ?2)"
        " ON CONFLICT (partner) DO UPDATE SET settings = excluded.settings"
        " WHERE settings != excluded.settings"), texts, 2));
}

int
valuation_store_counts (valuation_store_t *self, valuation_store_counts_t *counts)
{
    assert (self && counts);
    //  A payee is a source whose line is its place
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT (SELECT count(*) FROM frameworks), (SELECT count(*) FROM contracts),"
        " (SELECT count(*) FROM suppliers), held, sent, payees, placed"
        " FROM (SELECT count(*) AS held, count(line_digest) AS sent FROM sources),"
        " (SELECT count(*) AS payees, count(place_digest) AS placed FROM payees)");
    if (!stmt)
        return -1;
    int rc = -1;
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        *counts = (valuation_store_counts_t) {
            .frameworks = sqlite3_column_int64 (stmt, 0),
            .contracts = sqlite3_column_int64 (stmt, 1),
            .suppliers = sqlite3_column_int64 (stmt, 2),
            .sources = sqlite3_column_int64 (stmt, 3) + sqlite3_column_int64 (stmt, 5),
            .lines = sqlite3_column_int64 (stmt, 4) + sqlite3_column_int64 (stmt, 6)
        };
        rc = 0;
    }
    sqlite3_reset (stmt);
    return rc;
}

//  ==========================================================================
//  Self-test

static int
s_test_count_source (const char *natural_key, uint64_t seq, const uint8_t *body,
                     size_t size, void *arg)
{
    assert (natural_key && *natural_key);
    (void) seq;
    (void) body;
    (void) size;
    (*(int *) arg)++;
    return 0;
}

//  Lists the payees held as "partner/supplier/postcode,"
static int
s_test_payee (const char *partner, const char *supplier_key, const char *postcode, void *arg)
{
    char *list = (char *) arg;
    size_t length = strlen (list);
    snprintf (list + length, 256 - length, "%s/%s/%s,", partner, supplier_key, postcode);
    return 0;
}

static void
s_test_framework (const char *id, const char *version, const char *imported_at, void *arg)
{
    (void) imported_at;
    char *list = (char *) arg;
    size_t length = strlen (list);
    snprintf (list + length, 256 - length, "%s%s@%s", length? ",": "", id, version);
}

//  A store of schema 2 whose payment held cannot be read does not open,
//  and keeps the payment; once the row reads, the store opens and moves it
static void
s_test_unreadable_move (void)
{
    char path [] = "/tmp/valuation_store_move_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    const char *schema_2 [] = { s_migrations [0], s_migrations [1], NULL };
    sv_db_t *db = sv_db_new (path, schema_2, NULL);
    assert (db);
    assert (sv_db_exec (db, "INSERT INTO sources (kind, partner, natural_key, contract_id,"
                            " supplier_key, seq, body) VALUES ('SPEND', 'council', 'T1/1', '',"
                            " 'CH:1', 5, x'81a17601')") == 0);
    sv_db_destroy (&db);
    const char *reason = NULL;
    valuation_store_t *store = valuation_store_new (path, &reason);
    assert (store == NULL && reason && strstr (reason, "does not read"));

    //  The producer's bug mended: the row reads as the payment it was
    sv_proto_t spend = { .id = SV_PROTO_SPEND };
    spend.spend = (sv_proto_spend_t) { .partner = "council", .transaction_no = "T1", .line = 1,
                                       .payment_date = "2024-05-01", .amount_pence = 12345,
                                       .supplier_key = "CH:1" };
    zframe_t *body = sv_proto_encode_frame (&spend);
    db = sv_db_new (path, NULL, NULL);
    sqlite3_stmt *stmt = sv_db_stmt (db, "UPDATE sources SET body = ?1 WHERE kind = 'SPEND'");
    sqlite3_bind_blob (stmt, 1, zframe_data (body), (int) zframe_size (body), SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == 0);
    zframe_destroy (&body);
    sv_db_destroy (&db);
    store = valuation_store_new (path, &reason);
    assert (store);
    db = valuation_store_db (store);
    assert (sv_db_int (db, "SELECT count(*) FROM sources", -1) == 0);
    char payees [256] = "";
    assert (valuation_store_payee_each (store, NULL, NULL, s_test_payee, payees) == 0);
    assert (streq (payees, "council/CH:1/,"));
    valuation_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
}

static int
s_test_supplier (const char *supplier_key, const char *name, const char *partner, void *arg)
{
    zlistx_add_end ((zlistx_t *) arg, zsys_sprintf ("%s=%s/%s", supplier_key, name, partner));
    return 0;
}

void
valuation_store_test (bool verbose)
{
    if (verbose)
        printf (" * valuation_store: ");
    char path [] = "/tmp/valuation_store_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    const char *reason;
    valuation_store_t *store = valuation_store_new (path, &reason);
    assert (store);
    sv_db_t *db = valuation_store_db (store);

    //  Frameworks: the latest import of an id wins when no version is named
    assert (sv_db_begin (db) == 0);
    assert (valuation_store_framework_put (store, "illustrative-rationalised", "2024",
                                           "framework,version\n", 18) == 0);
    assert (valuation_store_framework_put (store, "illustrative-rationalised", "2025",
                                           "framework,version,x\n", 20) == 0);
    assert (sv_db_commit (db) == 0);
    zchunk_t *csv = valuation_store_framework_get (store, "illustrative-rationalised", "2024");
    assert (csv && zchunk_size (csv) == 18);
    zchunk_destroy (&csv);
    csv = valuation_store_framework_get (store, "illustrative-rationalised", NULL);
    assert (csv && zchunk_size (csv) == 20);
    zchunk_destroy (&csv);
    assert (valuation_store_framework_get (store, "nowhere", NULL) == NULL);
    char list [256] = "";
    valuation_store_framework_each (store, s_test_framework, list);
    assert (streq (list, "illustrative-rationalised@2024,illustrative-rationalised@2025"));

    //  Contracts and suppliers say when they changed
    assert (sv_db_begin (db) == 0);
    assert (valuation_store_contract_put (store, "council", "C-001", "CH:01234567", "2024-06-01") == 1);
    assert (valuation_store_contract_put (store, "council", "C-001", "CH:01234567", "2024-06-01") == 0);
    assert (valuation_store_contract_put (store, "council", "C-001", "CH:01234567", "2024-07-01") == 1);
    char start [11], supplier [256], postcode [16];
    assert (valuation_store_contract_get (store, "council", "C-001", start, supplier) == 0);
    assert (streq (start, "2024-07-01") && streq (supplier, "CH:01234567"));
    assert (valuation_store_contract_get (store, "police", "C-001", start, supplier) == -1);
    assert (valuation_store_supplier_put (store, "council", "CH:01234567", "S60 2TD", true, false, true) == 1);
    assert (valuation_store_supplier_put (store, "council", "CH:01234567", "S60 2TD", true, false, true) == 0);
    bool sme, vcse, employee_owned;
    assert (valuation_store_supplier_get (store, "council", "CH:01234567", postcode, &sme, &vcse,
                                          &employee_owned) == 0);
    assert (streq (postcode, "S60 2TD") && sme && !vcse && employee_owned);

    //  Names and the register: a feed's name wins over a payment's; a
    //  supplier id's register entry is its partner's only
    assert (valuation_store_name_put (store, "council", "ID:S9", "Acme Cleaning", false) == 1);
    assert (valuation_store_name_put (store, "council", "ID:S9", "ACME", false) == 0);
    assert (valuation_store_name_put (store, "council", "CH:01234567", "Rotherham Co-op",
                                      true) == 1);
    assert (valuation_store_name_put (store, "council", "CH:01234567", "", true) == 0);
    assert (valuation_store_company_put (store, "council", "ID:S9", "05857258", "TS22 5HW",
                                         "name") == 1);
    assert (valuation_store_company_put (store, "council", "ID:S9", "05857258", "TS22 5HW",
                                         "name") == 0);
    assert (valuation_store_company_put (store, "police", "NAME:ACME", "05857258", "TS22 5HW",
                                         "name") == 1);
    char registered [16] = "";
    assert (valuation_store_company_get (store, "council", "ID:S9", registered) == 0
            && streq (registered, "TS22 5HW"));
    assert (valuation_store_company_get (store, "police", "ID:S9", registered) == -1);
    assert (valuation_store_company_get (store, "council", "NAME:ACME", registered) == 0);
    zlistx_t *listed = zlistx_new ();
    zlistx_set_destructor (listed, (zlistx_destructor_fn *) zstr_free);
    assert (valuation_store_supplier_each (store, s_test_supplier, listed) == 0);
    assert (zlistx_size (listed) == 2);
    assert (streq ((char *) zlistx_first (listed), "CH:01234567=Rotherham Co-op/"));
    assert (streq ((char *) zlistx_next (listed), "ID:S9=Acme Cleaning/council"));
    zlistx_destroy (&listed);

    //  Sources are stored with their first line, found by contract, and a
    //  source ingest sends again replaces itself; its line always goes
    //  out, since it names the new seq
    valuation_store_source_t sources [] = {
        { "C-001", 7, "a", 1 }, { "C-001", 8, "b", 1 }, { "C-001", 10, "A", 1 }
    };
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT3/2024-25", &sources [0], "line-1", 6) == 1);
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT4/2024-25", &sources [1], "line-9", 6) == 1);
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT3/2024-25", &sources [2], "line-3", 6) == 1);
    int count = 0;
    valuation_store_source_each (store, "COMMITMENT", "council", "C-001",
                                 s_test_count_source, &count);
    assert (count == 2);

    //  Payees are kept, never payments: each once, found by supplier
    assert (valuation_store_payee_put (store, "council", "CH:01234567", "S60 2TD") == 1);
    assert (valuation_store_payee_put (store, "council", "CH:01234567", "S60 2TD") == 0);
    assert (valuation_store_payee_put (store, "council", "CH:01234567", "") == 1);
    assert (valuation_store_payee_put (store, "council", "", "S60 1AA") == 1);
    assert (valuation_store_payee_put (store, "police", "CH:01234567", "") == 1);
    char payees [256] = "";
    assert (valuation_store_payee_each (store, "council", "CH:01234567", s_test_payee,
                                        payees) == 0);
    assert (streq (payees, "council/CH:01234567/,council/CH:01234567/S60 2TD,"));
    *payees = 0;
    assert (valuation_store_payee_each (store, "police", NULL, s_test_payee, payees) == 0);
    assert (streq (payees, "police/CH:01234567/,"));
    //  A place goes out the first time, and again only when it changed
    assert (valuation_store_place_put (store, "council", "CH:01234567", "S60 2TD",
                                       "place-1", 7) == 1);
    assert (valuation_store_place_put (store, "council", "CH:01234567", "S60 2TD",
                                       "place-1", 7) == 0);
    assert (valuation_store_place_put (store, "council", "", "S60 1AA", "place-2", 7) == 1);

    //  Valued again: a line goes out when changed, never twice the same
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT3/2024-25", NULL, "line-3", 6) == 0);
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT3/2024-25", NULL, "line-2", 6) == 1);
    assert (valuation_store_place_put (store, "council", "CH:01234567", "S60 2TD",
                                       "place-3", 7) == 1);
    //  A line sent with the BLAKE2b-128 digest of before is known again
    byte legacy [S_DIGEST_SIZE];
    crypto_generichash (legacy, sizeof legacy, (const byte *) "line-2", 6, NULL, 0);
    sqlite3_stmt *stmt = sv_db_stmt (db, "UPDATE sources SET line_digest = ?1"
                                         " WHERE natural_key = 'C-001/NT3/2024-25'");
    sqlite3_bind_blob (stmt, 1, legacy, sizeof legacy, SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == 0);
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT3/2024-25", NULL, "line-2", 6) == 0);
    assert (valuation_store_line_put (store, "VALUATION_LINE", "COMMITMENT", "council",
                                      "C-001/NT3/2024-25", NULL, "line-5", 6) == 1);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 8);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox WHERE type = 'PLACE'"
                           " AND key = 'council/CH:01234567/S60 2TD'", -1) == 2);
    valuation_store_counts_t counts;
    assert (valuation_store_counts (store, &counts) == 0);
    assert (counts.sources == 6 && counts.lines == 4 && counts.frameworks == 2);

    //  Settings say when a partner's configuration changed
    assert (sv_db_begin (db) == 0);
    assert (valuation_store_settings_put (store, "council", "test-fw|all|S60-S66") == 1);
    assert (valuation_store_settings_put (store, "council", "test-fw|all|S60-S66") == 0);
    assert (valuation_store_settings_put (store, "council", "test-fw|all|S60-S63") == 1);
    assert (sv_db_commit (db) == 0);

    valuation_store_destroy (&store);
    valuation_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);

    //  A store of schema 2 held its payments as sources: they give their
    //  payees on open
    const char *const schema_2 [] = { s_migrations [0], s_migrations [1], NULL };
    db = sv_db_new (path, schema_2, &reason);
    assert (db);
    sv_proto_t event = { .id = SV_PROTO_SPEND };
    event.spend = (sv_proto_spend_t) {
        .partner = "council", .transaction_no = "T1", .line = 1, .payment_date = "2024-07-01",
        .amount_pence = 123456, .supplier_key = "CH:01234567", .postcode = "S60 2TD"
    };
    msgpack_sbuffer body;
    msgpack_sbuffer_init (&body);
    assert (sv_proto_encode (&event, &body) == 0);
    stmt = sv_db_stmt (db,
        "INSERT INTO sources (kind, partner, natural_key, contract_id, supplier_key, seq,"
        " body) VALUES ('SPEND', 'council', 'T1/1', '', 'CH:01234567', 9, ?1)");
    sqlite3_bind_blob (stmt, 1, body.data, (int) body.size, SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == 0);
    msgpack_sbuffer_destroy (&body);
    sv_db_destroy (&db);
    store = valuation_store_new (path, &reason);
    assert (store);
    db = valuation_store_db (store);
    assert (sv_db_int (db, "SELECT count(*) FROM sources", -1) == 0);
    *payees = 0;
    assert (valuation_store_payee_each (store, NULL, NULL, s_test_payee, payees) == 0);
    assert (streq (payees, "council/CH:01234567/S60 2TD,"));
    valuation_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);

    //  A store of schema 5 held payments in spends, and their lines in its
    //  stream: each payee is kept once, the payments and their lines go,
    //  and the settings are forgotten, so every payee is placed on start
    const char *const schema_5 [] = {
        s_migrations [0], s_migrations [1], s_migrations [2], s_migrations [3],
        s_migrations [4], NULL
    };
    db = sv_db_new (path, schema_5, &reason);
    assert (db);
    assert (sv_db_exec (db,
        "INSERT INTO spends VALUES ('council', 'T1/1', 'CH:1', 'S60 2TD', '2024-07-01', 5, 9,"
        " x'00'), ('council', 'T1/2', 'CH:1', 'S60 2TD', '2024-07-02', 6, 10, x'00'),"
        " ('council', 'T2/1', '', '', '2024-07-02', 7, 11, x'00');"
        "INSERT INTO outbox (type, key, body) VALUES ('LOCAL_SPEND_LINE', 'k', x'00'),"
        " ('VALUATION_LINE', 'v', x'00');"
        "INSERT INTO settings VALUES ('council', 'test-fw|all|S60-S66')") == 0);
    sv_db_destroy (&db);
    store = valuation_store_new (path, &reason);
    assert (store);
    db = valuation_store_db (store);
    *payees = 0;
    assert (valuation_store_payee_each (store, NULL, NULL, s_test_payee, payees) == 0);
    assert (streq (payees, "council//,council/CH:1/S60 2TD,"));
    assert (sv_db_int (db, "SELECT count(*) FROM outbox WHERE type = 'VALUATION_LINE'", -1)
            == 1);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 1);
    assert (sv_db_begin (db) == 0);
    assert (valuation_store_settings_put (store, "council", "test-fw|all|S60-S66") == 1);
    assert (sv_db_commit (db) == 0);
    valuation_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
    s_test_unreadable_move ();
    if (verbose)
        printf ("OK\n");
}
