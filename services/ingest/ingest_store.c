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
    NULL
};

struct _ingest_store_t {
    sv_db_t *db;
    msgpack_sbuffer buffer;     //  reused for encoding
};

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
    if (sv_db_checkpoint_behind (db))
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

ingest_put_t
ingest_store_put (ingest_store_t *self, const char *partner,
                  const char *natural_key, const char *batch_id,
                  const sv_proto_t *event)
{
    assert (self && event);
    self->buffer.size = 0;
    if (sv_proto_encode (event, &self->buffer))
        return INGEST_PUT_FAILED;
    byte digest [SV_DIGEST_SIZE];
    sv_digest (self->buffer.data, self->buffer.size, digest);
    return ingest_store_put_encoded (self, partner, natural_key, batch_id, event->id,
                                     (const byte *) self->buffer.data, self->buffer.size,
                                     digest);
}

ingest_put_t
ingest_store_put_encoded (ingest_store_t *self, const char *partner,
                          const char *natural_key, const char *batch_id,
                          sv_proto_id_t id, const byte *body, size_t body_size,
                          const byte *digest)
{
    assert (self && partner && natural_key && batch_id && body && digest);
    assert (sv_db_in_transaction (self->db));
    const char *kind = sv_proto_name (id);

    //  One statement stores a new row or a changed one and leaves an
    //  unchanged one alone; sqlite3_changes tells which happened. A
    //  digest that differs may be an older kind's (BLAKE2b-128): only then
    //  is that one worked out, from the body, to compare.
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT INTO records (kind, partner, natural_key, digest, batch_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (kind, partner, natural_key) DO UPDATE"
        " SET digest = excluded.digest, batch_id = excluded.batch_id"
        " WHERE digest != excluded.digest AND digest != blake2b_128 (?6)");
    if (!stmt)
        return INGEST_PUT_FAILED;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 4, digest, SV_DIGEST_SIZE, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, batch_id, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 6, body, (int) body_size, SQLITE_STATIC);
    if (sv_db_run (self->db, stmt))
        return INGEST_PUT_FAILED;

    if (sqlite3_changes (sv_db_handle (self->db)) == 0) {
        //  Held unchanged: this batch's own row from an interrupted first
        //  attempt counts as accepted again (not streamed twice); another
        //  batch's is a duplicate
        stmt = sv_db_stmt (self->db,
            "SELECT batch_id = ?4 FROM records"
            " WHERE kind = ?1 AND partner = ?2 AND natural_key = ?3");
        if (!stmt)
            return INGEST_PUT_FAILED;
        sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, natural_key, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, batch_id, -1, SQLITE_STATIC);
        bool same_batch = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0);
        sqlite3_reset (stmt);
        return same_batch? INGEST_PUT_ACCEPTED: INGEST_PUT_DUPLICATE;
    }
    //  The stream's key is partner/natural_key
    char key [512];
    size_t partner_size = strlen (partner), key_size = strlen (natural_key);
    if (partner_size + key_size + 2 > sizeof key)
        return INGEST_PUT_FAILED;
    memcpy (key, partner, partner_size);
    key [partner_size] = '/';
    memcpy (key + partner_size + 1, natural_key, key_size + 1);
    return sv_stream_append (self->db, kind, key, body, body_size) < 0
           ? INGEST_PUT_FAILED: INGEST_PUT_ACCEPTED;
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
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT count(*) FROM records WHERE kind = ?1 AND (?2 IS NULL OR partner = ?2)");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
    if (partner)
        sqlite3_bind_text (stmt, 2, partner, -1, SQLITE_STATIC);
    int64_t count = sqlite3_step (stmt) == SQLITE_ROW? sqlite3_column_int64 (stmt, 0): -1;
    sqlite3_reset (stmt);
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
    assert (ingest_store_put (store, "council", "2864997/1", "b1", &a) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_put (store, "council", "2897262/1", "b1", &b) == INGEST_PUT_ACCEPTED);
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
    assert (ingest_store_put (store, "council", "2864997/1", "b2", &a2) == INGEST_PUT_DUPLICATE);
    assert (ingest_store_put (store, "council", "2897262/1", "b2", &b2) == INGEST_PUT_ACCEPTED);
    assert (ingest_store_put (store, "council", "2900001/1", "b2", &c2) == INGEST_PUT_ACCEPTED);
    //  ...and is killed before finishing: nothing of it survives
    assert (sv_db_rollback (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 2);

    //  Batch b3 commits a row, then dies; its resend counts that row as
    //  accepted again without streaming it twice
    assert (sv_db_begin (db) == 0);
    sv_proto_t c3 = s_spend ("2900001/1", 12345);
    assert (ingest_store_put (store, "council", "2900001/1", "b3", &c3) == INGEST_PUT_ACCEPTED);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_begin (db) == 0);
    assert (ingest_store_put (store, "council", "2900001/1", "b3", &c3) == INGEST_PUT_ACCEPTED);
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
    assert (ingest_store_put (store, "council", "2900002/1", "b4", &d4) == INGEST_PUT_DUPLICATE);
    sv_proto_t d4_changed = s_spend ("2900002/1", 778);
    assert (ingest_store_put (store, "council", "2900002/1", "b4", &d4_changed)
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

    //  Reopening keeps everything (migrations do not run twice)
    ingest_store_destroy (&store);
    store = ingest_store_new (path, &reason);
    assert (store);
    assert (ingest_store_count (store, "SPEND", NULL) == 4);
    ingest_store_destroy (&store);
    ingest_store_destroy (&store);
    assert (sv_db_remove_files (path) == 0);
    if (verbose)
        printf ("OK\n");
}
