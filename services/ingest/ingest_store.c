/*  ingest_store: ingest's SQLite store. See ingest_store.h. */

#include "ingest_store.h"
#include "sv_stream.h"
#include <sodium.h>

#define S_PAGE_SIZE 65536

static const char *const s_migrations [] = {
    //  1: batches, records, outbox
    "CREATE TABLE batches ("
    " partner TEXT NOT NULL,"
    " batch_id TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " digest TEXT NOT NULL,"
    " receipt BLOB NOT NULL,"
    " finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " PRIMARY KEY (partner, batch_id));"
    "CREATE TABLE records ("
    " kind TEXT NOT NULL,"
    " partner TEXT NOT NULL,"
    " natural_key TEXT NOT NULL,"
    " digest BLOB NOT NULL,"         //  sv_digest of the encoded event
    " batch_id TEXT NOT NULL,"       //  the batch that last changed it
    " PRIMARY KEY (kind, partner, natural_key)) WITHOUT ROWID;"
    SV_STREAM_OUTBOX_SQL,
    //  2: the attempt at its batch that last stored or counted a record,
    //  so that a row sent twice in one attempt is a duplicate
    "ALTER TABLE records ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;",
    //  3: a batch's rows are committed as it streams in but stay its own
    //  until it finishes: its events held from the stream, the records it
    //  changed kept as they were before, and the attempt named, so that a
    //  batch refused, dropped or cut short by a crash is taken back whole.
    //  A contract read from an OCDS release keeps its process (ocid) and
    //  the release's date, so that an older release of the process, sent
    //  later, is not applied; the index holds contracts from OCDS only.
    "ALTER TABLE records ADD COLUMN ocid TEXT;"
    "CREATE INDEX records_ocid ON records (partner, ocid) WHERE ocid IS NOT NULL;"
    "ALTER TABLE records ADD COLUMN release_date TEXT;"
    "ALTER TABLE records ADD COLUMN release_first INTEGER;"
    "ALTER TABLE records ADD COLUMN release_last INTEGER;"
    SV_STREAM_HOLDS_SQL
    "CREATE TABLE undo ("
    " attempt INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " partner TEXT NOT NULL,"
    " natural_key TEXT NOT NULL,"
    " digest BLOB NOT NULL,"
    " batch_id TEXT NOT NULL,"
    " record_attempt INTEGER NOT NULL,"
    " ocid TEXT,"
    " release_date TEXT,"
    " release_first INTEGER,"
    " release_last INTEGER,"
    " PRIMARY KEY (attempt, kind, partner, natural_key)) WITHOUT ROWID;"
    "CREATE TABLE attempts ("
    " attempt INTEGER PRIMARY KEY,"
    " partner TEXT NOT NULL,"
    " batch_id TEXT NOT NULL);",
    //  4: payments' payees are streamed (PAYEE, with the batch that names
    //  them), and valuation places payees, never payments. The payments
    //  streamed before had none: their payees are streamed once, when the
    //  store opens (s_stream_old_payees), so that a consumer built again
    //  from the stream learns every payee. 1 once done.
    "CREATE TABLE payees_streamed (done INTEGER NOT NULL);"
    "INSERT INTO payees_streamed (done) VALUES (0);",
    NULL
};

#define S_KEY_MAX 512                   //  a stream key: partner/natural_key

//  Writes partner/natural_key, the stream's key of a row, to key (S_KEY_MAX
//  bytes). 0, or -1 when it would not fit.
static int
s_stream_key (char *key, const char *partner, const char *natural_key)
{
    size_t partner_size = strlen (partner), key_size = strlen (natural_key);
    if (partner_size + key_size + 2 > S_KEY_MAX)
        return -1;
    memcpy (key, partner, partner_size);
    key [partner_size] = '/';
    memcpy (key + partner_size + 1, natural_key, key_size + 1);
    return 0;
}

//  Kinds whose counts of all partners' rows are kept between changes
#define S_COUNTED 16

struct _ingest_store_t {
    sv_db_t *db;
    msgpack_sbuffer buffer;     //  reused for encoding
    //  The last count of each kind's rows, and the connection's total
    //  changes when it was made: STATUS asks often (socval wait, every
    //  200 ms), and counting a million payments takes tens of ms
    struct {
        char kind [16];
        int64_t rows;
        int64_t changes;
    } counted [S_COUNTED];
};

//  Streams a PAYEE for each distinct payee of the payments the stream
//  holds, once, in one transaction, after any payment streamed before
//  payees were (migration 4). 0, or -1 on a database error or a payment
//  that does not read (logged, naming it; nothing is written, and the
//  store does not open until it reads).
static int
s_stream_old_payees (ingest_store_t *self)
{
    if (sv_db_int (self->db, "SELECT done FROM payees_streamed", 1))
        return 0;
    if (sv_db_begin (self->db))
        return -1;
    zhashx_t *seen = zhashx_new ();
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2 (sv_db_handle (self->db),
        "SELECT seq, body FROM outbox WHERE type = 'SPEND' ORDER BY seq", -1, &stmt,
        NULL) == SQLITE_OK? 0: -1;
    size_t streamed = 0;
    while (rc == 0 && sqlite3_step (stmt) == SQLITE_ROW) {
        sv_proto_t event = { .id = 0 };
        if (sv_proto_decode (&event, sqlite3_column_blob (stmt, 1),
                             (size_t) sqlite3_column_bytes (stmt, 1)) == 0
        &&  event.id == SV_PROTO_SPEND) {
            const sv_proto_spend_t *spend = &event.spend;
            char *payee = zsys_sprintf ("%s\x1f%s\x1f%s", spend->partner,
                                        spend->supplier_key, spend->postcode);
            if (!zhashx_lookup (seen, payee)) {
                zhashx_insert (seen, payee, self);
                rc = ingest_store_put_payee (self, spend->partner, spend->supplier_key,
                                             spend->postcode, spend->supplier_name);
                streamed++;
            }
            zstr_free (&payee);
        }
        else {
            zsys_error ("ingest: the payment at seq %" PRId64 " of the stream does not read"
                        " as a SPEND (%s): its payee cannot be streamed",
                        (int64_t) sqlite3_column_int64 (stmt, 0),
                        *event.reason? event.reason: "another message");
            rc = -1;
        }
        sv_proto_reset (&event);
    }
    sqlite3_finalize (stmt);
    zhashx_destroy (&seen);
    if (rc == 0
    &&  sv_db_exec (self->db, "UPDATE payees_streamed SET done = 1") == 0
    &&  sv_db_commit (self->db) == 0) {
        if (streamed)
            zsys_info ("ingest: streamed the %zu payees of the payments held", streamed);
        return 0;
    }
    sv_db_rollback (self->db);
    return -1;
}

ingest_store_t *
ingest_store_new (const char *path, const char **reason_p)
{
    if (sodium_init () < 0) {
        if (reason_p)
            *reason_p = "libsodium cannot start";
        return NULL;
    }
    //  Rows and events are appended in large batches: large pages mean
    //  fewer writes of the log and the database, and shallower trees
    sv_db_t *db = sv_db_new_paged (path, s_migrations, S_PAGE_SIZE, reason_p);
    if (!db)
        return NULL;
    //  A large batch's commits should not stop to copy the log
    if (sv_db_checkpoint_behind (db, SV_DB_LOG_MAX))
        zsys_warning ("ingest: checkpoints stay with commits: %s", sqlite3_errmsg (sv_db_handle (db)));
    if (sv_digest_legacy_sql (db)) {
        if (reason_p)
            *reason_p = "cannot register the blake2b_128 SQL function";
        sv_db_destroy (&db);
        return NULL;
    }
    ingest_store_t *self = (ingest_store_t *) zmalloc (sizeof (ingest_store_t));
    self->db = db;
    msgpack_sbuffer_init (&self->buffer);
    //  A batch a crash cut short adds nothing: its partner sends it again
    int recovered = ingest_store_recover (self);
    if (recovered < 0) {
        if (reason_p)
            *reason_p = "cannot take back the batches a stop left unfinished";
        ingest_store_destroy (&self);
    }
    else
    if (recovered > 0)
        zsys_info ("ingest: took back %d unfinished batch%s left by a stop", recovered,
                   recovered == 1? "": "es");
    if (self && s_stream_old_payees (self)) {
        if (reason_p)
            *reason_p = "cannot stream the payees of the payments held (logged)";
        ingest_store_destroy (&self);
    }
    return self;
}

void
ingest_store_destroy (ingest_store_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_store_t *self = *self_p;
        sv_db_destroy (&self->db);
        msgpack_sbuffer_destroy (&self->buffer);
        free (self);
        *self_p = NULL;
    }
}

sv_db_t *
ingest_store_db (ingest_store_t *self)
{
    assert (self);
    return self->db;
}

//  ==========================================================================
//  Batches

int
ingest_store_batch_lookup (ingest_store_t *self, const char *partner,
                           const char *batch_id, const char *digest,
                           zchunk_t **receipt_p)
{
    assert (self && partner && batch_id && digest);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT digest, receipt FROM batches WHERE partner = ?1 AND batch_id = ?2");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, batch_id, -1, SQLITE_STATIC);
    int state = INGEST_BATCH_NEW;
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        if (strneq ((const char *) sqlite3_column_text (stmt, 0), digest))
            state = INGEST_BATCH_CONFLICT;
        else {
            state = INGEST_BATCH_DONE;
            if (receipt_p)
                *receipt_p = zchunk_new (sqlite3_column_blob (stmt, 1),
                                         (size_t) sqlite3_column_bytes (stmt, 1));
        }
    }
    else
    if (rc != SQLITE_DONE)
        state = -1;
    sqlite3_reset (stmt);
    return state;
}

int
ingest_store_batch_finish (ingest_store_t *self, const char *partner,
                           const char *batch_id, const char *kind,
                           const char *digest, const sv_proto_t *receipt)
{
    assert (self && partner && batch_id && kind && digest && receipt);
    assert (sv_db_in_transaction (self->db));
    self->buffer.size = 0;
    if (sv_proto_encode (receipt, &self->buffer))
        return -1;
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT INTO batches (partner, batch_id, kind, digest, receipt)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, batch_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, digest, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 5, self->buffer.data, (int) self->buffer.size, SQLITE_STATIC);
    return sv_db_run (self->db, stmt);
}

//  ==========================================================================
//  Rows

//  Keeps the record under (kind, partner, natural_key) as it was before
//  attempt first touched it, if it was held before: what a retracted
//  attempt puts back. Every change to a held record goes through here
//  first (a new record needs nothing: retracting deletes it). 0 or -1.
static int
s_keep_undo (ingest_store_t *self, const char *kind, const char *partner,
             const char *natural_key, uint64_t attempt)
{
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT OR IGNORE INTO undo (attempt, kind, partner, natural_key, digest, batch_id,"
        " record_attempt, ocid, release_date, release_first, release_last)"
        " SELECT ?4, kind, partner, natural_key, digest, batch_id, attempt, ocid, release_date,"
        " release_first, release_last FROM records"
        " WHERE kind = ?1 AND partner = ?2 AND natural_key = ?3 AND attempt != ?4");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) attempt);
    return sv_db_run (self->db, stmt);
}

ingest_put_t
ingest_store_put (ingest_store_t *self, const char *partner,
                  const char *natural_key, const char *batch_id, uint64_t attempt,
                  const sv_proto_t *event)
{
    assert (self && event);
    self->buffer.size = 0;
    if (sv_proto_encode (event, &self->buffer))
        return INGEST_PUT_FAILED;
    byte digest [SV_DIGEST_SIZE];
    sv_digest (self->buffer.data, self->buffer.size, digest);
    return ingest_store_put_encoded (self, partner, natural_key, batch_id, attempt, event->id,
                                     (const byte *) self->buffer.data, self->buffer.size,
                                     digest);
}

ingest_put_t
ingest_store_put_encoded (ingest_store_t *self, const char *partner,
                          const char *natural_key, const char *batch_id, uint64_t attempt,
                          sv_proto_id_t id, const byte *body, size_t body_size,
                          const byte *digest)
{
    assert (self && partner && natural_key && batch_id && body && digest);
    assert (sv_db_in_transaction (self->db));
    const char *kind = sv_proto_name (id);
    if (s_keep_undo (self, kind, partner, natural_key, attempt))
        return INGEST_PUT_FAILED;
    //  Whether this attempt stored the key already: a change then replaces
    //  a row of its own batch, which the caller says
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT 1 FROM records WHERE kind = ?1 AND partner = ?2 AND natural_key = ?3"
        " AND attempt = ?4");
    if (!stmt)
        return INGEST_PUT_FAILED;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) attempt);
    int rc = sqlite3_step (stmt);
    sqlite3_reset (stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return INGEST_PUT_FAILED;
    bool own = rc == SQLITE_ROW;

    //  One statement stores a new row or a changed one and leaves an
    //  unchanged one alone; sqlite3_changes tells which happened. A
    //  digest that differs may be an older kind's (BLAKE2b-128): only then
    //  is that one worked out, from the body, to compare.
    stmt = sv_db_stmt (self->db,
        "INSERT INTO records (kind, partner, natural_key, digest, batch_id, attempt)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?7)"
        " ON CONFLICT (kind, partner, natural_key) DO UPDATE"
        " SET digest = excluded.digest, batch_id = excluded.batch_id,"
        " attempt = excluded.attempt"
        " WHERE digest != excluded.digest AND digest != blake2b_128 (?6)");
    if (!stmt)
        return INGEST_PUT_FAILED;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 4, digest, SV_DIGEST_SIZE, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, batch_id, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 6, body, (int) body_size, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) attempt);
    if (sv_db_run (self->db, stmt))
        return INGEST_PUT_FAILED;

    if (sqlite3_changes (sv_db_handle (self->db)) == 0) {
        //  Held unchanged: this batch's own row from an earlier, interrupted
        //  attempt counts as accepted again (not streamed twice), and is
        //  now this attempt's; another batch's, or this attempt's own sent
        //  twice, is a duplicate
        stmt = sv_db_stmt (self->db,
            "UPDATE records SET attempt = ?5"
            " WHERE kind = ?1 AND partner = ?2 AND natural_key = ?3"
            " AND batch_id = ?4 AND attempt != ?5");
        if (!stmt)
            return INGEST_PUT_FAILED;
        sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, batch_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) attempt);
        if (sv_db_run (self->db, stmt))
            return INGEST_PUT_FAILED;
        return sqlite3_changes (sv_db_handle (self->db))
               ? INGEST_PUT_ACCEPTED: INGEST_PUT_DUPLICATE;
    }
    char key [S_KEY_MAX];
    if (s_stream_key (key, partner, natural_key))
        return INGEST_PUT_FAILED;
    if (sv_stream_append (self->db, kind, key, body, body_size) < 0)
        return INGEST_PUT_FAILED;
    return own? INGEST_PUT_REPLACED: INGEST_PUT_ACCEPTED;
}

int
ingest_store_put_payee (ingest_store_t *self, const char *partner, const char *supplier_key,
                        const char *postcode, const char *supplier_name)
{
    assert (self && partner && supplier_key && postcode && supplier_name);
    assert (sv_db_in_transaction (self->db));
    sv_proto_t event = { .id = SV_PROTO_PAYEE };
    event.payee.partner = (char *) partner;
    event.payee.supplier_key = (char *) supplier_key;
    event.payee.postcode = (char *) postcode;
    event.payee.supplier_name = (char *) supplier_name;
    self->buffer.size = 0;
    char *key = zsys_sprintf ("%s/%s/%s", partner, supplier_key, postcode);
    int rc = key && sv_proto_encode (&event, &self->buffer) == 0
          && sv_stream_append (self->db, "PAYEE", key, (const byte *) self->buffer.data,
                               self->buffer.size) >= 0? 0: -1;
    zstr_free (&key);
    return rc;
}

//  --------------------------------------------------------------------------
//  Rows, many at a time

//  The two statements of a run of INGEST_STORE_MANY rows, made once for the
//  process (sv_db_stmt finds a statement by its text's address)
static char s_held_sql [200 + INGEST_STORE_MANY * 8];
static char s_insert_sql [200 + INGEST_STORE_MANY * 32];
#define S_RUN_ATTEMPT (4 + INGEST_STORE_MANY)
#define S_INSERT_ATTEMPT (4 + INGEST_STORE_MANY * 2)

static void
s_make_run_sql (void)
{
    //  Parameters: kind, partner, batch id, the keys, then the attempt
    size_t used = (size_t) snprintf (s_held_sql, sizeof s_held_sql,
        "SELECT natural_key, digest, batch_id = ?3 AND attempt != ?%d FROM records"
        " WHERE kind = ?1 AND partner = ?2 AND natural_key IN (", S_RUN_ATTEMPT);
    for (int row = 0; row < INGEST_STORE_MANY; row++)
        used += (size_t) snprintf (s_held_sql + used, sizeof s_held_sql - used, "%s?%d",
                                   row? ", ": "", 4 + row);
    used += (size_t) snprintf (s_held_sql + used, sizeof s_held_sql - used, ")");
    assert (used < sizeof s_held_sql);
    //  OR IGNORE spares SQLite a statement journal; the rows are known new
    //  and their count is checked
    //  Parameters: kind, partner, batch id, key and digest of each row,
    //  then the attempt
    used = (size_t) snprintf (s_insert_sql, sizeof s_insert_sql,
        "INSERT OR IGNORE INTO records (kind, partner, natural_key, digest, batch_id, attempt)"
        " VALUES ");
    for (int row = 0; row < INGEST_STORE_MANY; row++)
        used += (size_t) snprintf (s_insert_sql + used, sizeof s_insert_sql - used,
                                   "%s(?1, ?2, ?%d, ?%d, ?3, ?%d)", row? ", ": "",
                                   4 + row * 2, 5 + row * 2, S_INSERT_ATTEMPT);
    assert (used < sizeof s_insert_sql);
}

//  A run's rows by natural key: open addressing over twice as many slots,
//  each 0 or a row's index plus one
#define S_RUN_SLOTS (INGEST_STORE_MANY * 2)

static uint32_t
s_key_hash (const char *key)
{
    uint32_t hash = 2166136261u;
    for (; *key; key++)
        hash = (hash ^ (unsigned char) *key) * 16777619u;
    return hash;
}

//  The slot of key in the run's table: the one holding it, or the empty
//  one where it would go
static size_t
s_run_slot (const uint8_t *slots, const ingest_store_row_t *rows, const char *key)
{
    size_t at = s_key_hash (key) % S_RUN_SLOTS;
    while (slots [at] && strneq (rows [slots [at] - 1].natural_key, key))
        at = (at + 1) % S_RUN_SLOTS;
    return at;
}

//  Stores a run of INGEST_STORE_MANY rows when they are of one kind, with
//  distinct keys, and all new or all held unchanged. 1 when it did, 0 when
//  they are not such a run (nothing written), -1 on a database error.
static int
s_put_run (ingest_store_t *self, const char *partner, const char *batch_id, uint64_t attempt,
           const ingest_store_row_t *rows, ingest_put_t *puts)
{
    uint8_t slots [S_RUN_SLOTS] = { 0 };
    for (size_t row = 0; row < INGEST_STORE_MANY; row++) {
        size_t at = s_run_slot (slots, rows, rows [row].natural_key);
        if (rows [row].id != rows [0].id || slots [at])
            return 0;
        slots [at] = (uint8_t) (row + 1);
    }
    static pthread_once_t made = PTHREAD_ONCE_INIT;
    pthread_once (&made, s_make_run_sql);
    const char *kind = sv_proto_name (rows [0].id);

    //  Which are held, and whether unchanged: their digest, or the one of
    //  before for a record stored then
    sqlite3_stmt *stmt = sv_db_stmt (self->db, s_held_sql);
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, batch_id, -1, SQLITE_STATIC);
    for (int row = 0; row < INGEST_STORE_MANY; row++)
        sqlite3_bind_text (stmt, 4 + row, rows [row].natural_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, S_RUN_ATTEMPT, (sqlite3_int64) attempt);
    size_t held = 0;
    bool changed = false;
    int rc;
    while (!changed && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *key = (const char *) sqlite3_column_text (stmt, 0);
        size_t at = s_run_slot (slots, rows, key);
        assert (slots [at]);        //  IN gives back only the keys asked
        const ingest_store_row_t *row = &rows [slots [at] - 1];
        const void *digest = sqlite3_column_blob (stmt, 1);
        changed = sqlite3_column_bytes (stmt, 1) != SV_DIGEST_SIZE;
        if (!changed && memcmp (digest, row->digest, SV_DIGEST_SIZE) != 0) {
            byte legacy [SV_DIGEST_SIZE];
            sv_digest_legacy (row->body, row->body_size, legacy);
            changed = memcmp (digest, legacy, SV_DIGEST_SIZE) != 0;
        }
        //  This batch's own row from an earlier attempt goes row by row, to
        //  be counted again and made this attempt's (as put_encoded); any
        //  other held unchanged is a duplicate
        changed = changed || sqlite3_column_int (stmt, 2);
        puts [row - rows] = INGEST_PUT_DUPLICATE;
        held++;
    }
    sqlite3_reset (stmt);
    if (changed)
        return 0;
    if (rc != SQLITE_DONE)
        return -1;
    if (held == INGEST_STORE_MANY)
        return 1;
    if (held)
        return 0;

    //  All new: the records, then their events in order
    stmt = sv_db_stmt (self->db, s_insert_sql);
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, batch_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, S_INSERT_ATTEMPT, (sqlite3_int64) attempt);
    char keys [INGEST_STORE_MANY][S_KEY_MAX];
    const char *key_list [INGEST_STORE_MANY];
    const uint8_t *bodies [INGEST_STORE_MANY];
    size_t sizes [INGEST_STORE_MANY];
    for (int row = 0; row < INGEST_STORE_MANY; row++) {
        sqlite3_bind_text (stmt, 4 + row * 2, rows [row].natural_key, -1, SQLITE_STATIC);
        sqlite3_bind_blob (stmt, 5 + row * 2, rows [row].digest, SV_DIGEST_SIZE, SQLITE_STATIC);
        if (s_stream_key (keys [row], partner, rows [row].natural_key))
            return -1;
        key_list [row] = keys [row];
        bodies [row] = rows [row].body;
        sizes [row] = rows [row].body_size;
        puts [row] = INGEST_PUT_ACCEPTED;
    }
    if (sv_db_run (self->db, stmt)
    ||  sqlite3_changes (sv_db_handle (self->db)) != INGEST_STORE_MANY)
        return -1;
    return sv_stream_append_many (self->db, kind, key_list, bodies, sizes,
                                  INGEST_STORE_MANY)? -1: 1;
}

int
ingest_store_put_many (ingest_store_t *self, const char *partner, const char *batch_id,
                       uint64_t attempt, const ingest_store_row_t *rows, size_t count,
                       ingest_put_t *puts)
{
    assert (self && partner && batch_id && (rows || count == 0) && puts);
    assert (sv_db_in_transaction (self->db));
    size_t done = 0;
    while (done < count) {
        //  A run, or else its rows one by one (not trying a run again at
        //  each of them: a mixed stretch would look every key up twice)
        size_t next = done + (count - done >= INGEST_STORE_MANY? INGEST_STORE_MANY: 1);
        int rc = next - done == INGEST_STORE_MANY
               ? s_put_run (self, partner, batch_id, attempt, rows + done, puts + done): 0;
        if (rc < 0)
            return -1;
        for (; rc == 0 && done < next; done++) {
            const ingest_store_row_t *row = &rows [done];
            puts [done] = ingest_store_put_encoded (self, partner, row->natural_key, batch_id,
                                                    attempt, row->id, row->body, row->body_size,
                                                    row->digest);
            if (puts [done] == INGEST_PUT_FAILED)
                return -1;
        }
        done = next;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Attempts: a batch's rows stay its own until it finishes

int
ingest_store_hold (ingest_store_t *self, uint64_t attempt, const char *partner,
                   const char *batch_id, int64_t first_seq)
{
    assert (self && partner && batch_id);
    assert (sv_db_in_transaction (self->db));
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT OR IGNORE INTO attempts (attempt, partner, batch_id) VALUES (?1, ?2, ?3)");
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) attempt);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, batch_id, -1, SQLITE_STATIC);
    if (sv_db_run (self->db, stmt))
        return -1;
    int64_t last_seq = sv_stream_last (self->db);
    return last_seq < 0? -1: sv_stream_hold (self->db, (int64_t) attempt, first_seq, last_seq);
}

//  Runs count statements whose one parameter is attempt, in order. 0 or -1.
static int
s_run_for_attempt (ingest_store_t *self, const char *const *steps, size_t count,
                   uint64_t attempt)
{
    for (size_t step = 0; step < count; step++) {
        sqlite3_stmt *stmt = sv_db_stmt (self->db, steps [step]);
        if (!stmt)
            return -1;
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) attempt);
        if (sv_db_run (self->db, stmt))
            return -1;
    }
    return 0;
}

int
ingest_store_publish (ingest_store_t *self, uint64_t attempt)
{
    assert (self);
    assert (sv_db_in_transaction (self->db));
    static const char *const steps [] = {
        "DELETE FROM undo WHERE attempt = ?1",
        "DELETE FROM attempts WHERE attempt = ?1"
    };
    if (s_run_for_attempt (self, steps, 2, attempt))
        return -1;
    return sv_stream_release (self->db, (int64_t) attempt);
}

typedef struct {
    ingest_store_t *store;
    const char *partner;
    uint64_t attempt;
} s_retract_t;

//  One held event of a retracted attempt: the record it wrote goes (one it
//  changed comes back from undo after)
static int
s_retract_record (const char *type, const char *key, void *arg)
{
    s_retract_t *retract = (s_retract_t *) arg;
    size_t partner_size = strlen (retract->partner);
    if (strncmp (key, retract->partner, partner_size) || key [partner_size] != '/')
        return 0;                   //  not a row of this partner's: none of ours
    sqlite3_stmt *stmt = sv_db_stmt (retract->store->db,
        "DELETE FROM records WHERE kind = ?1 AND partner = ?2 AND natural_key = ?3"
        " AND attempt = ?4");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, retract->partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, key + partner_size + 1, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) retract->attempt);
    return sv_db_run (retract->store->db, stmt);
}

int
ingest_store_retract (ingest_store_t *self, uint64_t attempt, const char *partner)
{
    assert (self && partner);
    assert (sv_db_in_transaction (self->db));
    //  Every record the attempt made or changed has an event it held;
    //  those it changed, or only counted, are put back as they were
    s_retract_t retract = { self, partner, attempt };
    if (sv_stream_held (self->db, (int64_t) attempt, s_retract_record, &retract))
        return -1;
    static const char *const steps [] = {
        "INSERT OR REPLACE INTO records (kind, partner, natural_key, digest, batch_id, attempt,"
        " ocid, release_date, release_first, release_last)"
        " SELECT kind, partner, natural_key, digest, batch_id, record_attempt, ocid,"
        " release_date, release_first, release_last FROM undo WHERE attempt = ?1",
        "DELETE FROM undo WHERE attempt = ?1",
        "DELETE FROM attempts WHERE attempt = ?1"
    };
    if (s_run_for_attempt (self, steps, 3, attempt))
        return -1;
    return sv_stream_retract (self->db, (int64_t) attempt);
}

int
ingest_store_recover (ingest_store_t *self)
{
    assert (self);
    sqlite3_stmt *stmt = sv_db_stmt (self->db, "SELECT attempt, partner FROM attempts");
    if (!stmt)
        return -1;
    zlistx_t *attempts = zlistx_new ();
    zlistx_set_destructor (attempts, (zlistx_destructor_fn *) zstr_free);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        zlistx_add_end (attempts, zsys_sprintf ("%lld %s",
                        (long long) sqlite3_column_int64 (stmt, 0),
                        (const char *) sqlite3_column_text (stmt, 1)));
    sqlite3_reset (stmt);
    int count = rc == SQLITE_DONE? 0: -1;
    for (char *item = (char *) zlistx_first (attempts); item && count >= 0;
         item = (char *) zlistx_next (attempts)) {
        char *partner = strchr (item, ' ') + 1;
        uint64_t attempt = (uint64_t) strtoll (item, NULL, 10);
        if (sv_db_begin (self->db) == 0
        &&  ingest_store_retract (self, attempt, partner) == 0
        &&  sv_db_commit (self->db) == 0)
            count++;
        else {
            if (sv_db_in_transaction (self->db))
                sv_db_rollback (self->db);
            count = -1;
        }
    }
    zlistx_destroy (&attempts);
    return count;
}

//  --------------------------------------------------------------------------
//  Contracts' release dates

int
ingest_store_release (ingest_store_t *self, const char *partner, const char *ocid,
                      ingest_store_release_t *release)
{
    assert (self && partner && ocid && release);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT release_date, release_first, release_last FROM records"
        " WHERE partner = ?1 AND ocid = ?2 AND kind = 'CONTRACT'"
        " AND release_first IS NOT NULL ORDER BY release_first DESC LIMIT 1");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, ocid, -1, SQLITE_STATIC);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        const char *date = (const char *) sqlite3_column_text (stmt, 0);
        snprintf (release->date, sizeof release->date, "%s", date? date: "");
        release->first = sqlite3_column_int64 (stmt, 1);
        release->last = sqlite3_column_int64 (stmt, 2);
    }
    sqlite3_reset (stmt);
    return rc == SQLITE_ROW? 1: rc == SQLITE_DONE? 0: -1;
}

int
ingest_store_set_release (ingest_store_t *self, const char *partner, const char *contract_id,
                          uint64_t attempt, const char *ocid,
                          const ingest_store_release_t *release)
{
    assert (self && partner && contract_id && ocid && release);
    assert (sv_db_in_transaction (self->db));
    if (s_keep_undo (self, "CONTRACT", partner, contract_id, attempt))
        return -1;
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "UPDATE records SET ocid = ?3, release_date = ?4, release_first = ?5,"
        " release_last = ?6 WHERE kind = 'CONTRACT' AND partner = ?1 AND natural_key = ?2");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, contract_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, ocid, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, release->date, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, release->first);
    sqlite3_bind_int64 (stmt, 6, release->last);
    return sv_db_run (self->db, stmt);
}

bool
ingest_store_has (ingest_store_t *self, const char *kind,
                  const char *partner, const char *natural_key)
{
    assert (self && kind && partner && natural_key);
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT 1 FROM records WHERE kind = ?1 AND partner = ?2 AND natural_key = ?3");
    if (!stmt)
        return false;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
    bool held = sqlite3_step (stmt) == SQLITE_ROW;
    sqlite3_reset (stmt);
    return held;
}

int64_t
ingest_store_count (ingest_store_t *self, const char *kind, const char *partner)
{
    assert (self && kind);
    //  All partners' count of a kind, unchanged since it was made, is kept
    int64_t changes = sqlite3_total_changes64 (sv_db_handle (self->db));
    size_t slot = 0;
    while (!partner && slot < S_COUNTED && *self->counted [slot].kind
       &&  strneq (self->counted [slot].kind, kind))
        slot++;
    if (!partner && slot < S_COUNTED && streq (self->counted [slot].kind, kind)
    &&  self->counted [slot].changes == changes)
        return self->counted [slot].rows;
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT count(*) FROM records WHERE kind = ?1 AND (?2 IS NULL OR partner = ?2)");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    if (partner)
        sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    int64_t count = sqlite3_step (stmt) == SQLITE_ROW? sqlite3_column_int64 (stmt, 0): -1;
    sqlite3_reset (stmt);
    if (!partner && count >= 0 && slot < S_COUNTED
    &&  strlen (kind) < sizeof self->counted [0].kind) {
        snprintf (self->counted [slot].kind, sizeof self->counted [slot].kind, "%s", kind);
        self->counted [slot].rows = count;
        self->counted [slot].changes = changes;
    }
    return count;
}

//  ==========================================================================
//  Counters of transaction numbers
//
//  A scratch database of the counter's own ("" opens a private temporary
//  file that SQLite removes on close), in one transaction that is never
//  committed: the counts live only as long as the batch is read.

struct _ingest_store_counter_t {
    sv_db_t *db;
};

ingest_store_counter_t *
ingest_store_counter_new (const char **reason_p)
{
    static const char *const migrations [] = {
        "CREATE TABLE counts (transaction_no TEXT PRIMARY KEY, count INTEGER NOT NULL)"
        " WITHOUT ROWID;",
        NULL
    };
    sv_db_t *db = sv_db_new ("", migrations, reason_p);
    if (!db)
        return NULL;
    //  A small cache: the pages it spills go to the scratch file
    if (sv_db_exec (db, "PRAGMA cache_size = -2048") || sv_db_begin (db)) {
        if (reason_p)
            *reason_p = "cannot start the counter's transaction";
        sv_db_destroy (&db);
        return NULL;
    }
    ingest_store_counter_t *self = (ingest_store_counter_t *) zmalloc (sizeof *self);
    self->db = db;
    return self;
}

void
ingest_store_counter_destroy (ingest_store_counter_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_store_counter_t *self = *self_p;
        sv_db_rollback (self->db);
        sv_db_destroy (&self->db);
        free (self);
        *self_p = NULL;
    }
}

uint32_t
ingest_store_counter_add (ingest_store_counter_t *self, const char *transaction_no)
{
    assert (self && transaction_no);
    //  Most numbers come once: an INSERT that leaves a counted number alone,
    //  then for those an UPDATE and a SELECT (RETURNING would open a
    //  scratch table on every call)
    const char *steps [] = {
        "INSERT OR IGNORE INTO counts (transaction_no, count) VALUES (?1, 1)",
        "UPDATE counts SET count = count + 1 WHERE transaction_no = ?1",
        "SELECT count FROM counts WHERE transaction_no = ?1"
    };
    uint32_t count = 0;
    for (size_t step = 0; step < 3; step++) {
        sqlite3_stmt *stmt = sv_db_stmt (self->db, steps [step]);
        if (!stmt)
            return 0;
        sqlite3_bind_text (stmt, 1, transaction_no, -1, SQLITE_STATIC);
        int rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
            count = (uint32_t) sqlite3_column_int64 (stmt, 0);
        sqlite3_reset (stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return 0;
        if (step == 0 && sqlite3_changes (sv_db_handle (self->db)) > 0)
            return 1;
    }
    return count;
}

//  ==========================================================================
//  Self-test

static sv_proto_t
s_spend (const char *transaction_no, int64_t pence)
{
    sv_proto_t event = { .id = SV_PROTO_SPEND };
    event.spend.partner = "council";
    event.spend.transaction_no = (char *) transaction_no;
    event.spend.line = 1;
    event.spend.payment_date = "2024-04-01";
    event.spend.amount_pence = pence;
    event.spend.supplier_name = "NRC SERVICES LTD";
    return event;
}

//  Rows for put_many: spend rows "M<first + index>/1" of pence, encoded
//  into bodies; with legacy, digested as before XXH3
typedef struct {
    ingest_store_row_t rows [INGEST_STORE_MANY + 6];
    char keys [INGEST_STORE_MANY + 6][16];
    msgpack_sbuffer bodies [INGEST_STORE_MANY + 6];
    byte digests [INGEST_STORE_MANY + 6][SV_DIGEST_SIZE];
} s_test_rows_t;

static void
s_test_rows_make (s_test_rows_t *self, int first, size_t count, int64_t pence)
{
    for (size_t index = 0; index < count; index++) {
        snprintf (self->keys [index], sizeof self->keys [index], "M%d/1", first + (int) index);
        sv_proto_t event = s_spend (self->keys [index], pence);
        msgpack_sbuffer_init (&self->bodies [index]);
        assert (sv_proto_encode (&event, &self->bodies [index]) == 0);
        sv_digest (self->bodies [index].data, self->bodies [index].size, self->digests [index]);
        self->rows [index] = (ingest_store_row_t) {
            SV_PROTO_SPEND, self->keys [index], NULL, (const byte *) self->bodies [index].data,
            self->bodies [index].size, self->digests [index], NULL, NULL, NULL
        };
    }
}

static void
s_test_rows_free (s_test_rows_t *self, size_t count)
{
    for (size_t index = 0; index < count; index++)
        msgpack_sbuffer_destroy (&self->bodies [index]);
}

//  Stores count rows with put_many in batch_id; returns how many were
//  accepted, and in *events how many events that added
static size_t
s_test_put_many (ingest_store_t *store, const char *batch_id, uint64_t attempt,
                 s_test_rows_t *rows, size_t count, int64_t *events)
{
    sv_db_t *db = ingest_store_db (store);
    int64_t before = sv_db_int (db, "SELECT count(*) FROM outbox", -1);
    ingest_put_t puts [INGEST_STORE_MANY + 6];
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put_many (store, "council", batch_id, attempt, rows->rows, count,
                                   puts) == 0);
    assert (sv_db_commit (db) == 0);
    size_t accepted = 0;
    for (size_t index = 0; index < count; index++) {
        assert (puts [index] != INGEST_PUT_FAILED);
        accepted += puts [index] != INGEST_PUT_DUPLICATE;
    }
    *events = sv_db_int (db, "SELECT count(*) FROM outbox", -1) - before;
    return accepted;
}

static void
s_test_many (void)
{
    char path [] = "/tmp/ingest_store_many_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    ingest_store_t *store = ingest_store_new (path, NULL);
    assert (store);
    sv_db_t *db = ingest_store_db (store);
    size_t many = INGEST_STORE_MANY, count = INGEST_STORE_MANY + 6;
    int64_t events;
    s_test_rows_t rows;
    //  New: every row accepted, its events in the rows' order, the last six
    //  past a run stored one by one
    s_test_rows_make (&rows, 1000, count, 100);
    assert (s_test_put_many (store, "m1", 1, &rows, count, &events) == count);
    assert (events == (int64_t) count);
    int64_t last = sv_db_int (db, "SELECT max(seq) FROM outbox", -1);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox a JOIN outbox b ON b.seq = a.seq + 1"
                           " WHERE a.key LIKE 'council/M%' AND b.key LIKE 'council/M%'"
                           " AND substr (b.key, 10) + 0 = substr (a.key, 10) + 1", -1)
            == (int64_t) count - 1);
    assert (sv_db_int (db, "SELECT key = 'council/M1069/1' FROM outbox ORDER BY seq DESC",
                       -1) == 1 && last > 0);
    //  Sent again in another batch: duplicates; in its own, another attempt:
    //  accepted again, once; in the same attempt: duplicates; none streamed
    //  twice
    assert (s_test_put_many (store, "m2", 2, &rows, count, &events) == 0 && events == 0);
    assert (s_test_put_many (store, "m1", 1, &rows, count, &events) == 0 && events == 0);
    assert (s_test_put_many (store, "m1", 3, &rows, count, &events) == count && events == 0);
    assert (s_test_put_many (store, "m1", 3, &rows, count, &events) == 0 && events == 0);
    s_test_rows_free (&rows, count);

    //  One row of a run changed: it alone is accepted and streamed
    s_test_rows_make (&rows, 1000, many, 100);
    sv_proto_t changed = s_spend (rows.keys [10], 101);
    rows.bodies [10].size = 0;
    assert (sv_proto_encode (&changed, &rows.bodies [10]) == 0);
    sv_digest (rows.bodies [10].data, rows.bodies [10].size, rows.digests [10]);
    rows.rows [10].body = (const byte *) rows.bodies [10].data;
    rows.rows [10].body_size = rows.bodies [10].size;
    assert (s_test_put_many (store, "m3", 4, &rows, many, &events) == 1 && events == 1);
    s_test_rows_free (&rows, many);

    //  Half held, half new: the new half accepted and streamed
    s_test_rows_make (&rows, 1038, many, 100);
    assert (s_test_put_many (store, "m4", 5, &rows, many, &events) == 32 && events == 32);
    s_test_rows_free (&rows, many);

    //  A key twice in a run: stored as one by one would, the second a change
    s_test_rows_make (&rows, 2000, many, 100);
    sv_proto_t twice = s_spend ("M2000/1", 555);
    rows.rows [5].natural_key = "M2000/1";
    rows.bodies [5].size = 0;
    assert (sv_proto_encode (&twice, &rows.bodies [5]) == 0);
    sv_digest (rows.bodies [5].data, rows.bodies [5].size, rows.digests [5]);
    rows.rows [5].body = (const byte *) rows.bodies [5].data;
    rows.rows [5].body_size = rows.bodies [5].size;
    assert (s_test_put_many (store, "m5", 6, &rows, many, &events) == many && events == (int64_t) many);
    s_test_rows_free (&rows, many);

    //  A run held with the digests of before is still unchanged
    s_test_rows_make (&rows, 3000, many, 100);
    assert (s_test_put_many (store, "m6", 7, &rows, many, &events) == many);
    for (size_t index = 0; index < many; index++) {
        sqlite3_stmt *stmt = sv_db_stmt (db, "UPDATE records SET digest = blake2b_128 (?2)"
                                             " WHERE kind = 'SPEND' AND natural_key = ?1");
        sqlite3_bind_text (stmt, 1, rows.keys [index], -1, SQLITE_STATIC);
        sqlite3_bind_blob (stmt, 2, rows.bodies [index].data, (int) rows.bodies [index].size,
                           SQLITE_STATIC);
        assert (sv_db_run (db, stmt) == 0);
    }
    assert (s_test_put_many (store, "m7", 8, &rows, many, &events) == 0 && events == 0);
    s_test_rows_free (&rows, many);
    ingest_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
}

//  A store of schema 3 streamed payments before payees were: opened, it
//  streams each distinct payee of them once, after them, and never again
static void
s_test_old_payees (void)
{
    char path [] = "/tmp/ingest_store_payees_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    const char *schema_3 [] = { s_migrations [0], s_migrations [1], s_migrations [2], NULL };
    sv_db_t *db = sv_db_new (path, schema_3, NULL);
    assert (db);
    assert (sv_db_begin (db) == 0);
    const char *payees [][2] = { { "ID:S1", "" }, { "ID:S1", "" }, { "ID:S1", "M1 1AA" },
                                 { "", "" } };
    for (int row = 0; row < 4; row++) {
        char number [8];
        snprintf (number, sizeof number, "T%d", row);
        sv_proto_t spend = { .id = SV_PROTO_SPEND };
        spend.spend = (sv_proto_spend_t) {
            .partner = "council", .transaction_no = number, .line = 1,
            .payment_date = "2024-05-01", .amount_pence = 100,
            .supplier_key = (char *) payees [row][0], .postcode = (char *) payees [row][1],
            .supplier_name = "Some Supplier Ltd"
        };
        msgpack_sbuffer body;
        msgpack_sbuffer_init (&body);
        assert (sv_proto_encode (&spend, &body) == 0);
        assert (sv_stream_append (db, "SPEND", number, (const byte *) body.data, body.size) > 0);
        msgpack_sbuffer_destroy (&body);
    }
    assert (sv_db_commit (db) == 0);
    sv_db_destroy (&db);
    const char *reason = NULL;
    ingest_store_t *store = ingest_store_new (path, &reason);
    assert (store);
    db = ingest_store_db (store);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox WHERE type = 'PAYEE'", -1) == 3);
    assert (sv_db_int (db, "SELECT min(seq) FROM outbox WHERE type = 'PAYEE'", -1) == 5);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox WHERE type = 'PAYEE'"
                           " AND key = 'council/ID:S1/M1 1AA'", -1) == 1);
    ingest_store_destroy (&store);
    store = ingest_store_new (path, &reason);
    assert (store);
    assert (sv_db_int (ingest_store_db (store), "SELECT count(*) FROM outbox", -1) == 7);
    ingest_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);

    //  A payment held that does not read stops the store opening, naming
    //  why, and nothing is streamed or marked done
    db = sv_db_new (path, schema_3, NULL);
    assert (db);
    assert (sv_db_begin (db) == 0);
    assert (sv_stream_append (db, "SPEND", "T9", (const byte *) "\x81\xa1v\x01", 4) > 0);
    assert (sv_db_commit (db) == 0);
    sv_db_destroy (&db);
    reason = NULL;
    assert (ingest_store_new (path, &reason) == NULL);
    assert (reason && strstr (reason, "cannot stream the payees"));
    db = sv_db_new (path, NULL, NULL);
    assert (db);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 1);
    assert (sv_db_int (db, "SELECT done FROM payees_streamed", -1) == 0);
    sv_db_destroy (&db);
    assert (sv_db_remove_files (path) == 0);
}

void
ingest_store_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_store: ");
    char path [] = "/tmp/ingest_store_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    const char *reason;
    ingest_store_t *store = ingest_store_new (path, &reason);
    assert (store);
    sv_db_t *db = ingest_store_db (store);

    //  Batch b1: two spend lines, accepted and streamed
    assert (ingest_store_batch_lookup (store, "council", "b1", "d1", NULL) == INGEST_BATCH_NEW);
    assert (sv_db_begin (db) == 0);
    sv_proto_t a = s_spend ("2864997/1", 495217);
    sv_proto_t b = s_spend ("2897262/1", 60000);
    assert (ingest_store_put (store, "council", "2864997/1", "b1", 1, &a) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_put (store, "council", "2897262/1", "b1", 1, &b) == INGEST_PUT_ACCEPTED);
    sv_proto_t receipt = { .id = SV_PROTO_RECEIPT };
    receipt.receipt.batch_id = "b1";
    receipt.receipt.state = "accepted";
    receipt.receipt.accepted = 2;
    assert (ingest_store_batch_finish (store, "council", "b1", "spend", "d1", &receipt) == 0);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 2);

    //  Resent with the same content: the first receipt, nothing added
    zchunk_t *stored = NULL;
    assert (ingest_store_batch_lookup (store, "council", "b1", "d1", &stored) == INGEST_BATCH_DONE);
    sv_proto_t decoded = { .id = 0 };
    assert (sv_proto_decode (&decoded, zchunk_data (stored), zchunk_size (stored)) == 0);
    assert (decoded.id == SV_PROTO_RECEIPT && decoded.receipt.accepted == 2);
    sv_proto_reset (&decoded);
    zchunk_destroy (&stored);
    //  The same batch id with other content is a conflict
    assert (ingest_store_batch_lookup (store, "council", "b1", "d2", NULL) == INGEST_BATCH_CONFLICT);
    //  Another partner's b1 is its own
    assert (ingest_store_batch_lookup (store, "police", "b1", "d2", NULL) == INGEST_BATCH_NEW);

    //  Batch b2 repeats one line unchanged, corrects the other, adds one
    assert (sv_db_begin (db) == 0);
    sv_proto_t a2 = s_spend ("2864997/1", 495217);
    sv_proto_t b2 = s_spend ("2897262/1", 61000);
    sv_proto_t c2 = s_spend ("2900001/1", 12345);
    assert (ingest_store_put (store, "council", "2864997/1", "b2", 2, &a2) == INGEST_PUT_DUPLICATE);
    assert (ingest_store_put (store, "council", "2897262/1", "b2", 2, &b2) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_put (store, "council", "2900001/1", "b2", 2, &c2) == INGEST_PUT_ACCEPTED);
    //  ...and is killed before finishing: nothing of it survives
    assert (sv_db_rollback (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 2);

    //  Batch b3 commits a row, then dies; its resend counts that row as
    //  accepted again without streaming it twice
    assert (sv_db_begin (db) == 0);
    sv_proto_t c3 = s_spend ("2900001/1", 12345);
    assert (ingest_store_put (store, "council", "2900001/1", "b3", 3, &c3) == INGEST_PUT_ACCEPTED);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "2900001/1", "b3", 4, &c3) == INGEST_PUT_ACCEPTED);
    //  ...once: the same row sent again in the same attempt is a duplicate
    assert (ingest_store_put (store, "council", "2900001/1", "b3", 4, &c3) == INGEST_PUT_DUPLICATE);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 3);

    //  A record stored with the BLAKE2b-128 digest of before: sent again
    //  unchanged, a duplicate; changed, accepted and streamed
    msgpack_sbuffer body;
    msgpack_sbuffer_init (&body);
    sv_proto_t d4 = s_spend ("2900002/1", 777);
    assert (sv_proto_encode (&d4, &body) == 0);
    byte legacy [SV_DIGEST_SIZE], current [SV_DIGEST_SIZE];
    crypto_generichash (legacy, sizeof legacy, (const byte *) body.data, body.size, NULL, 0);
    sv_digest (body.data, body.size, current);
    assert (memcmp (legacy, current, sizeof legacy) != 0);
    sqlite3_stmt *stmt = sv_db_stmt (db, "INSERT INTO records (kind, partner, natural_key, digest,"
                                         " batch_id) VALUES ('SPEND', 'council', ?1, ?2, 'old')");
    sqlite3_bind_text (stmt, 1, "2900002/1", -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 2, legacy, sizeof legacy, SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == 0);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "2900002/1", "b4", 5, &d4) == INGEST_PUT_DUPLICATE);
    sv_proto_t d4_changed = s_spend ("2900002/1", 778);
    assert (ingest_store_put (store, "council", "2900002/1", "b4", 5, &d4_changed)
            == INGEST_PUT_ACCEPTED);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 4);
    msgpack_sbuffer_destroy (&body);

    assert (ingest_store_count (store, "SPEND", "council") == 4);
    assert (ingest_store_count (store, "SPEND", NULL) == 4);
    assert (ingest_store_count (store, "CONTRACT", NULL) == 0);
    assert (ingest_store_has (store, "SPEND", "council", "2900001/1"));
    assert (!ingest_store_has (store, "SPEND", "police", "2900001/1"));

    //  A counter counts each number's occurrences, and a new one starts
    //  from nothing
    for (int round = 0; round < 2; round++) {
        ingest_store_counter_t *counter = ingest_store_counter_new (&reason);
        assert (counter);
        assert (ingest_store_counter_add (counter, "46281108") == 1);
        assert (ingest_store_counter_add (counter, "46281108") == 2);
        assert (ingest_store_counter_add (counter, "46281109") == 1);
        assert (ingest_store_counter_add (counter, "46281108") == 3);
        ingest_store_counter_destroy (&counter);
        ingest_store_counter_destroy (&counter);
    }

    //  Batch b5 commits in two transactions, changing a held row and adding
    //  one, then is refused: everything is as it was before it
    int64_t seqs = sv_db_int (db, "SELECT max(seq) FROM outbox", -1);
    assert (sv_db_begin (db) == 0);
    sv_proto_t a5 = s_spend ("2864997/1", 1);
    assert (ingest_store_put (store, "council", "2864997/1", "b5", 6, &a5) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_hold (store, 6, "council", "b5", seqs + 1) == 0);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_begin (db) == 0);
    sv_proto_t e5 = s_spend ("2900005/1", 5);
    assert (ingest_store_put (store, "council", "2900005/1", "b5", 6, &e5) == INGEST_PUT_ACCEPTED);
    //  ...changed twice in the attempt (said: it replaced its own row): the
    //  first state before it comes back
    sv_proto_t a5_again = s_spend ("2864997/1", 2);
    assert (ingest_store_put (store, "council", "2864997/1", "b5", 6, &a5_again)
            == INGEST_PUT_REPLACED);
    assert (ingest_store_hold (store, 6, "council", "b5", seqs + 2) == 0);
    assert (sv_db_commit (db) == 0);
    assert (ingest_store_count (store, "SPEND", NULL) == 5);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_retract (store, 6, "council") == 0);
    assert (sv_db_commit (db) == 0);
    assert (ingest_store_count (store, "SPEND", NULL) == 4);
    assert (!ingest_store_has (store, "SPEND", "council", "2900005/1"));
    assert (sv_db_int (db, "SELECT max(seq) FROM outbox", -1) == seqs);
    assert (sv_db_int (db, "SELECT count(*) FROM undo WHERE attempt = 6", -1) == 0);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "2864997/1", "b6", 7, &a) == INGEST_PUT_DUPLICATE);
    assert (ingest_store_put (store, "council", "2864997/1", "b6", 7, &a5) == INGEST_PUT_ACCEPTED);
    //  ...and b6, which changed it too, finishes: published, nothing to undo
    assert (ingest_store_publish (store, 7) == 0);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM undo WHERE attempt = 7", -1) == 0);
    assert (sv_db_int (db, "SELECT max(seq) FROM outbox", -1) == seqs + 1);

    seqs = sv_db_int (db, "SELECT max(seq) FROM outbox", -1);
    //  A contract keeps the release it was stored from; an attempt that
    //  stores it from another release and is taken back leaves the first
    sv_proto_t contract = { .id = SV_PROTO_CONTRACT };
    contract.contract.partner = "council";
    contract.contract.contract_id = "C-1";
    contract.contract.value_pence = 100;
    ingest_store_release_t march = { "2025-03-11T10:07:26Z", 10, 10 }, release;
    assert (ingest_store_release (store, "council", "ocds-1", &release) == 0);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "C-1", "c1", 10, &contract) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_set_release (store, "council", "C-1", 10, "ocds-1", &march) == 0);
    assert (ingest_store_publish (store, 10) == 0);
    assert (sv_db_commit (db) == 0);
    assert (ingest_store_release (store, "council", "ocds-1", &release) == 1);
    assert (streq (release.date, march.date) && release.first == 10 && release.last == 10);
    assert (sv_db_begin (db) == 0);
    contract.contract.value_pence = 200;
    ingest_store_release_t april = { "2025-04-01", 20, 30 };
    assert (ingest_store_put (store, "council", "C-1", "c2", 11, &contract) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_set_release (store, "council", "C-1", 11, "ocds-1", &april) == 0);
    assert (ingest_store_release (store, "council", "ocds-1", &release) == 1
            && release.first == 20);
    assert (ingest_store_hold (store, 11, "council", "c2", seqs + 2) == 0);
    assert (ingest_store_retract (store, 11, "council") == 0);
    assert (sv_db_commit (db) == 0);
    assert (ingest_store_release (store, "council", "ocds-1", &release) == 1);
    assert (streq (release.date, march.date) && release.first == 10);
    seqs = sv_db_int (db, "SELECT max(seq) FROM outbox", -1);

    //  Batch b7 commits a row and the process stops: reopening takes it back
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "2864997/1", "b7", 8, &a) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_hold (store, 8, "council", "b7", seqs + 1) == 0);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT max(seq) FROM outbox", -1) == seqs + 1);

    //  Reopening keeps everything finished (migrations do not run twice)
    ingest_store_destroy (&store);
    store = ingest_store_new (path, &reason);
    assert (store);
    db = ingest_store_db (store);
    assert (ingest_store_count (store, "SPEND", NULL) == 4);
    assert (sv_db_int (db, "SELECT max(seq) FROM outbox", -1) == seqs);
    assert (sv_db_int (db, "SELECT count(*) FROM attempts", -1) == 0);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "2864997/1", "b8", 9, &a5) == INGEST_PUT_DUPLICATE);
    assert (sv_db_rollback (db) == 0);
    ingest_store_destroy (&store);
    ingest_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);

    //  Rows many at a time: the same outcomes and events as one by one
    s_test_many ();
    s_test_old_payees ();
    if (verbose)
        printf ("OK\n");
}
