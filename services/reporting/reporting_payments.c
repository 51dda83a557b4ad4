/*  reporting_payments: payments written many to a statement, and summed.
    See reporting_payments.h.

    A payment held is its numbers and five strings; the strings are copied
    one after another into one buffer (kept between batches), and a row
    names each by its offset, since the buffer moves as it grows. The sums
    of the transaction are an open-addressing table, by the XXH3 hash of
    year, month, partner, supplier and postcode, of the payments and pence
    each row of spend_sums gained or lost; their strings are copied into a
    second buffer, kept for the transaction. They are written
    REPORTING_PAYMENTS_MANY to a statement too: a council's batch of
    payments touches about half as many rows of spend_sums as it holds
    payments.
*/

#include "reporting_payments.h"
#include "sv_date.h"
#include <pthread.h>
#include <xxhash.h>

//  A payment's strings, in the order they are bound
enum { S_KEY, S_PARTNER, S_SUPPLIER, S_POSTCODE, S_DATE, S_STRINGS };

//  Parameters of one row in a statement
#define S_COLUMNS 11

typedef struct {
    size_t text [S_STRINGS];        //  offsets in the buffer
    int fy;                         //  2024 for 2024-25; 0 when the date does not read
    int month;                      //  202405; 0 likewise
    int64_t payee;                  //  reporting_payments_payee
    int64_t amount_pence;
    uint64_t seq;
    bool redacted;
} s_payment_t;

//  What one row of spend_sums gained or lost in the transaction; a slot of
//  the table is free while payments is 0 and key is 0
typedef struct {
    uint64_t hash;
    size_t key;                     //  offset in sum_text of its three strings
    int64_t payee;
    int fy;
    int month;
    int64_t payments;
    int64_t pence;
    bool used;
} s_sum_t;

struct _reporting_payments_t {
    sv_db_t *db;
    s_payment_t held [REPORTING_PAYMENTS_MANY];
    size_t count;
    msgpack_sbuffer buffer;         //  the held payments' strings
    s_sum_t *sums;                  //  the transaction's sums, a power of two of slots
    size_t sum_slots;
    size_t sum_count;
    msgpack_sbuffer sum_text;       //  their partner, supplier and postcode, each
                                    //  NUL-terminated, one after another
    bool lost;                      //  some sum went down: rows may be empty
};

//  The statements for one row and for REPORTING_PAYMENTS_MANY, made once
//  for the process (sv_db_stmt finds a statement by its text's address):
//  payments, and sums
static char s_one_sql [512];
static char s_many_sql [512 + REPORTING_PAYMENTS_MANY * 80];
static char s_sum_one_sql [640];
static char s_sum_many_sql [640 + REPORTING_PAYMENTS_MANY * 64];
#define S_SUM_COLUMNS 9

//  Writes into sql (size bytes) head, then rows rows of columns numbered
//  parameters each ("(?1, ?2), (?3, ?4)"), then tail
static void
s_make_sql (char *sql, size_t size, const char *head, size_t columns, size_t rows,
            const char *tail)
{
    size_t used = (size_t) snprintf (sql, size, "%s", head);
    for (size_t row = 0; row < rows; row++)
        for (size_t column = 0; column < columns; column++)
            used += (size_t) snprintf (sql + used, size - used, "%s?%zu%s",
                                       column? ", ": row? ", (": "(",
                                       row * columns + column + 1,
                                       column + 1 == columns? ")": "");
    used += (size_t) snprintf (sql + used, size - used, "%s", tail);
    assert (used < size);
}

static void
s_make_statements (void)
{
    //  OR IGNORE: a key held already is found row by row (s_replace)
    const char *payments =
        "INSERT OR IGNORE INTO payments (key, partner, supplier_key, given_postcode,"
        " payment_date, fy, month, amount_pence, source_seq, redacted, payee) VALUES ";
    s_make_sql (s_one_sql, sizeof s_one_sql, payments, S_COLUMNS, 1, "");
    s_make_sql (s_many_sql, sizeof s_many_sql, payments, S_COLUMNS, REPORTING_PAYMENTS_MANY,
                "");
    //  A row of spend_sums is found by its id, the 64-bit hash of its key:
    //  an update that finds another key under the id changes nothing, which
    //  the caller sees in the count of rows changed and refuses
    //  (s_write_sums)
    const char *sums =
        "INSERT INTO spend_sums (partner, supplier_key, given_postcode, fy, month,"
        " payments, pence, id, payee) VALUES ";
    const char *sums_tail =
        " ON CONFLICT (id) DO UPDATE SET payments = payments + excluded.payments,"
        " pence = pence + excluded.pence WHERE partner = excluded.partner"
        " AND supplier_key = excluded.supplier_key"
        " AND given_postcode = excluded.given_postcode AND fy = excluded.fy"
        " AND month = excluded.month";
    s_make_sql (s_sum_one_sql, sizeof s_sum_one_sql, sums, S_SUM_COLUMNS, 1, sums_tail);
    s_make_sql (s_sum_many_sql, sizeof s_sum_many_sql, sums, S_SUM_COLUMNS,
                REPORTING_PAYMENTS_MANY, sums_tail);
}

//  Appends text and its NUL to buffer; returns its offset, since the
//  buffer moves as it grows
static size_t
s_append (msgpack_sbuffer *buffer, const char *text)
{
    size_t offset = buffer->size;
    int rc = msgpack_sbuffer_write (buffer, text, strlen (text) + 1);
    assert (rc == 0);
    (void) rc;
    return offset;
}

//  The three strings of a sum: partner, supplier and postcode
static const char *
s_sum_text (const reporting_payments_t *self, const s_sum_t *sum, int which)
{
    const char *text = self->sum_text.data + sum->key;
    for (int skip = 0; skip < which; skip++)
        text += strlen (text) + 1;
    return text;
}

//  Doubles the table of sums, or makes its first
static void
s_sums_grow (reporting_payments_t *self)
{
    size_t slots = self->sum_slots? self->sum_slots * 2: 1024;
    s_sum_t *sums = (s_sum_t *) zmalloc (slots * sizeof (s_sum_t));
    for (size_t slot = 0; slot < self->sum_slots; slot++)
        if (self->sums [slot].used) {
            size_t at = self->sums [slot].hash & (slots - 1);
            while (sums [at].used)
                at = (at + 1) & (slots - 1);
            sums [at] = self->sums [slot];
        }
    free (self->sums);
    self->sums = sums;
    self->sum_slots = slots;
}

//  Forgets the transaction's sums
static void
s_sums_clear (reporting_payments_t *self)
{
    if (self->sum_count)
        memset (self->sums, 0, self->sum_slots * sizeof (s_sum_t));
    self->sum_count = 0;
    self->sum_text.size = 0;
    self->lost = false;
}

//  Counts payments (1 or -1) of pence in their row of spend_sums
int64_t
reporting_payments_payee (const char *partner, const char *supplier_key, const char *postcode)
{
    assert (partner && supplier_key && postcode);
    //  Each part's hash, its NUL included, seeds the next's
    uint64_t hash = XXH3_64bits (partner, strlen (partner) + 1);
    hash = XXH3_64bits_withSeed (supplier_key, strlen (supplier_key) + 1, hash);
    hash = XXH3_64bits_withSeed (postcode, strlen (postcode) + 1, hash);
    return (int64_t) hash;
}

static void
s_sum_add (reporting_payments_t *self, int fy, int month, const char *partner,
           const char *supplier_key, const char *postcode, int64_t payee, int payments,
           int64_t pence)
{
    if (2 * (self->sum_count + 1) > self->sum_slots)
        s_sums_grow (self);
    //  The row's id: the hash of its payee's, year and month
    int period [2] = { fy, month };
    uint64_t hash = XXH3_64bits_withSeed (period, sizeof period, (uint64_t) payee);
    size_t at = hash & (self->sum_slots - 1);
    s_sum_t *sum;
    while ((sum = &self->sums [at])->used) {
        if (sum->hash == hash && sum->fy == fy && sum->month == month
        &&  streq (s_sum_text (self, sum, 0), partner)
        &&  streq (s_sum_text (self, sum, 1), supplier_key)
        &&  streq (s_sum_text (self, sum, 2), postcode))
            break;
        at = (at + 1) & (self->sum_slots - 1);
    }
    if (!sum->used) {
        *sum = (s_sum_t) { .hash = hash, .payee = payee, .fy = fy, .month = month, .used = true };
        sum->key = s_append (&self->sum_text, partner);
        s_append (&self->sum_text, supplier_key);
        s_append (&self->sum_text, postcode);
        self->sum_count++;
    }
    sum->payments += payments;
    sum->pence += pence;
    if (payments < 0)
        self->lost = true;
}

//  Binds sum as the row whose first parameter is first
static void
s_bind_sum (reporting_payments_t *self, sqlite3_stmt *stmt, int first, const s_sum_t *sum)
{
    for (int text = 0; text < 3; text++)
        sqlite3_bind_text (stmt, first + text, s_sum_text (self, sum, text), -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, first + 3, sum->fy);
    sqlite3_bind_int (stmt, first + 4, sum->month);
    sqlite3_bind_int64 (stmt, first + 5, sum->payments);
    sqlite3_bind_int64 (stmt, first + 6, sum->pence);
    sqlite3_bind_int64 (stmt, first + 7, (sqlite3_int64) sum->hash);
    sqlite3_bind_int64 (stmt, first + 8, sum->payee);
}

//  Writes the transaction's sums that changed, REPORTING_PAYMENTS_MANY to
//  a statement, then forgets them. 0 or -1.
static int
s_write_sums (reporting_payments_t *self)
{
    const s_sum_t *batch [REPORTING_PAYMENTS_MANY];
    size_t batched = 0;
    int rc = 0;
    for (size_t slot = 0; slot <= self->sum_slots && rc == 0; slot++) {
        const s_sum_t *sum = slot < self->sum_slots? &self->sums [slot]: NULL;
        if (sum && sum->used && (sum->payments || sum->pence))
            batch [batched++] = sum;
        bool last = slot == self->sum_slots;
        if (batched == REPORTING_PAYMENTS_MANY || (last && batched)) {
            bool many = batched == REPORTING_PAYMENTS_MANY;
            for (size_t row = 0; row < (many? 1: batched) && rc == 0; row++) {
                sqlite3_stmt *stmt = sv_db_stmt (self->db, many? s_sum_many_sql: s_sum_one_sql);
                if (!stmt)
                    rc = -1;
                else {
                    for (size_t bound = 0; bound < (many? batched: 1); bound++)
                        s_bind_sum (self, stmt, (int) bound * S_SUM_COLUMNS + 1,
                                    batch [many? bound: row]);
                    rc = sv_db_run (self->db, stmt);
                    //  Two keys under one hash: never added to each other
                    int changed = sqlite3_changes (sv_db_handle (self->db));
                    if (rc == 0 && changed != (many? (int) batched: 1)) {
                        zsys_error ("reporting: two rows of spend_sums have one 64-bit hash;"
                                    " the batch is not applied");
                        rc = -1;
                    }
                }
            }
            batched = 0;
        }
    }
    //  A payee's month whose payments all moved elsewhere is no row at all
    if (rc == 0 && self->lost)
        rc = sv_db_exec (self->db, "DELETE FROM spend_sums WHERE payments = 0");
    s_sums_clear (self);
    return rc;
}

static int
s_before_commit (void *arg)
{
    reporting_payments_t *self = (reporting_payments_t *) arg;
    return reporting_payments_flush (self) || s_write_sums (self)? -1: 0;
}

//  A transaction never commits with payments or sums held, which would
//  lose them: sv_db_commit writes them first (s_before_commit)
static int
s_commit_hook (void *arg)
{
    reporting_payments_t *self = (reporting_payments_t *) arg;
    assert (self->count == 0 && self->sum_count == 0);
    return 0;
}

//  What a rolled-back transaction held is gone with it
static void
s_rollback_hook (void *arg)
{
    reporting_payments_t *self = (reporting_payments_t *) arg;
    self->count = 0;
    self->buffer.size = 0;
    s_sums_clear (self);
}

reporting_payments_t *
reporting_payments_new (sv_db_t *db)
{
    assert (db);
    static pthread_once_t made = PTHREAD_ONCE_INIT;
    pthread_once (&made, s_make_statements);
    reporting_payments_t *self = (reporting_payments_t *) zmalloc (sizeof *self);
    self->db = db;
    msgpack_sbuffer_init (&self->buffer);
    msgpack_sbuffer_init (&self->sum_text);
    sv_db_set_before_commit (db, s_before_commit, self);
    sqlite3_commit_hook (sv_db_handle (db), s_commit_hook, self);
    sqlite3_rollback_hook (sv_db_handle (db), s_rollback_hook, self);
    return self;
}

void
reporting_payments_destroy (reporting_payments_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        reporting_payments_t *self = *self_p;
        sv_db_set_before_commit (self->db, NULL, NULL);
        sqlite3_commit_hook (sv_db_handle (self->db), NULL, NULL);
        sqlite3_rollback_hook (sv_db_handle (self->db), NULL, NULL);
        free (self->sums);
        msgpack_sbuffer_destroy (&self->sum_text);
        msgpack_sbuffer_destroy (&self->buffer);
        free (self);
        *self_p = NULL;
    }
}

//  Copies text into the buffer; returns its offset
static size_t
s_copy (reporting_payments_t *self, const char *text)
{
    return s_append (&self->buffer, text);
}

static const char *
s_text (const reporting_payments_t *self, const s_payment_t *payment, int text)
{
    return self->buffer.data + payment->text [text];
}

//  Binds payment as the row whose first parameter is first
static void
s_bind (reporting_payments_t *self, sqlite3_stmt *stmt, int first, const s_payment_t *payment)
{
    for (int text = 0; text < S_STRINGS; text++)
        sqlite3_bind_text (stmt, first + text, s_text (self, payment, text), -1, SQLITE_STATIC);
    if (payment->fy) {
        sqlite3_bind_int (stmt, first + 5, payment->fy);
        sqlite3_bind_int (stmt, first + 6, payment->month);
    }
    else {
        sqlite3_bind_null (stmt, first + 5);
        sqlite3_bind_null (stmt, first + 6);
    }
    sqlite3_bind_int64 (stmt, first + 7, payment->amount_pence);
    sqlite3_bind_int64 (stmt, first + 8, (sqlite3_int64) payment->seq);
    sqlite3_bind_int (stmt, first + 9, payment->redacted);
    sqlite3_bind_int64 (stmt, first + 10, payment->payee);
}

static void
s_sum_payment (reporting_payments_t *self, const s_payment_t *payment)
{
    s_sum_add (self, payment->fy, payment->month, s_text (self, payment, S_PARTNER),
               s_text (self, payment, S_SUPPLIER), s_text (self, payment, S_POSTCODE),
               payment->payee, 1, payment->amount_pence);
}

//  Replaces the row payment's key holds (one held before, or a payment of
//  this flush's with the same key) with payment, moving its sums; when
//  first_new is not 0, a row from first_new on that is payment's own event
//  was just stored by payment itself, and only counts. Sending the same
//  event twice changes nothing: its sums go and come back. 0 or -1.
static int
s_replace (reporting_payments_t *self, const s_payment_t *payment, int64_t first_new)
{
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT rowid, source_seq, partner, coalesce (fy, 0), coalesce (month, 0),"
        " supplier_key, given_postcode, amount_pence, payee FROM payments WHERE key = ?1");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, s_text (self, payment, S_KEY), -1, SQLITE_STATIC);
    int step = sqlite3_step (stmt);
    bool own = step == SQLITE_ROW && first_new && sqlite3_column_int64 (stmt, 0) >= first_new
            && (uint64_t) sqlite3_column_int64 (stmt, 1) == payment->seq;
    if (step == SQLITE_ROW && !own)
        s_sum_add (self, sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4),
                   sv_db_text (stmt, 2), sv_db_text (stmt, 5), sv_db_text (stmt, 6),
                   sqlite3_column_int64 (stmt, 8), -1, -sqlite3_column_int64 (stmt, 7));
    sqlite3_reset (stmt);
    if (step != SQLITE_ROW)
        return -1;              //  the INSERT stored it, or it was held
    s_sum_payment (self, payment);
    if (own)
        return 0;
    stmt = sv_db_stmt (self->db,
        "UPDATE payments SET partner = ?2, supplier_key = ?3, given_postcode = ?4,"
        " payment_date = ?5, fy = ?6, month = ?7, amount_pence = ?8, source_seq = ?9,"
        " redacted = ?10, payee = ?11 WHERE key = ?1");
    if (!stmt)
        return -1;
    s_bind (self, stmt, 1, payment);
    return sv_db_run (self->db, stmt);
}

//  Writes payments one at a time: each new one counts, each whose key is
//  held replaces it. 0 or -1.
static int
s_write_each (reporting_payments_t *self)
{
    int rc = 0;
    for (size_t row = 0; row < self->count && rc == 0; row++) {
        sqlite3_stmt *stmt = sv_db_stmt (self->db, s_one_sql);
        if (!stmt)
            return -1;
        s_bind (self, stmt, 1, &self->held [row]);
        rc = sv_db_run (self->db, stmt);
        if (rc == 0 && sqlite3_changes (sv_db_handle (self->db)) == 1)
            s_sum_payment (self, &self->held [row]);
        else
        if (rc == 0)
            rc = s_replace (self, &self->held [row], 0);
    }
    return rc;
}

//  Writes REPORTING_PAYMENTS_MANY payments in one statement. The rows it
//  stored have rowids from last_insert_rowid - changes + 1 on (SQLite gives
//  a new row the largest rowid plus one), so a row of the statement's whose
//  key was held, or came twice, is told from one it stored. 0 or -1.
static int
s_write_many (reporting_payments_t *self)
{
    sqlite3_stmt *stmt = sv_db_stmt (self->db, s_many_sql);
    if (!stmt)
        return -1;
    for (size_t row = 0; row < self->count; row++)
        s_bind (self, stmt, (int) row * S_COLUMNS + 1, &self->held [row]);
    if (sv_db_run (self->db, stmt))
        return -1;
    sqlite3 *handle = sv_db_handle (self->db);
    int64_t stored = sqlite3_changes (handle);
    int64_t first_new = stored? sqlite3_last_insert_rowid (handle) - stored + 1: 0;
    int rc = 0;
    for (size_t row = 0; row < self->count && rc == 0; row++)
        if (stored == (int64_t) self->count)
            s_sum_payment (self, &self->held [row]);       //  all new: the usual case
        else
            rc = s_replace (self, &self->held [row], first_new);
    return rc;
}

int
reporting_payments_flush (reporting_payments_t *self)
{
    assert (self);
    assert (self->count == 0 || sv_db_in_transaction (self->db));
    int rc = self->count == REPORTING_PAYMENTS_MANY? s_write_many (self): s_write_each (self);
    self->count = 0;
    self->buffer.size = 0;
    return rc;
}

int
reporting_payments_add (reporting_payments_t *self, const char *key, uint64_t seq,
                        const sv_proto_spend_t *spend)
{
    assert (self && key && spend);
    assert (sv_db_in_transaction (self->db));
    s_payment_t *payment = &self->held [self->count++];
    payment->text [S_KEY] = s_copy (self, key);
    payment->text [S_PARTNER] = s_copy (self, spend->partner);
    payment->text [S_SUPPLIER] = s_copy (self, spend->supplier_key);
    payment->text [S_POSTCODE] = s_copy (self, spend->postcode);
    payment->text [S_DATE] = s_copy (self, spend->payment_date);
    //  The financial year and month of the date paid (2024, 202405)
    int32_t day;
    payment->fy = payment->month = 0;
    if (sv_date_parse (spend->payment_date, &day, NULL) == 0) {
        int year, month, mday;
        sv_date_to_ymd (day, &year, &month, &mday);
        payment->fy = sv_date_fy (day);
        payment->month = year * 100 + month;
    }
    payment->payee = reporting_payments_payee (spend->partner, spend->supplier_key,
                                               spend->postcode);
    payment->amount_pence = spend->amount_pence;
    payment->seq = seq;
    payment->redacted = spend->redacted;
    return self->count == REPORTING_PAYMENTS_MANY? reporting_payments_flush (self): 0;
}

//  ==========================================================================
//  Self-test

static const char *s_test_schema [] = {
    "CREATE TABLE payments ("
    " key TEXT NOT NULL UNIQUE, partner TEXT NOT NULL, fy INTEGER, month INTEGER,"
    " amount_pence INTEGER NOT NULL, supplier_key TEXT NOT NULL,"
    " given_postcode TEXT NOT NULL, payee INTEGER NOT NULL, payment_date TEXT NOT NULL,"
    " source_seq INTEGER NOT NULL, redacted INTEGER NOT NULL);"
    "CREATE TABLE spend_sums (id INTEGER PRIMARY KEY, fy INTEGER NOT NULL,"
    " partner TEXT NOT NULL, month INTEGER NOT NULL, supplier_key TEXT NOT NULL,"
    " given_postcode TEXT NOT NULL, payee INTEGER NOT NULL, payments INTEGER NOT NULL,"
    " pence INTEGER NOT NULL);",
    NULL
};

//  The sums agree with the payments, row for row
static bool
s_test_sums_agree (sv_db_t *db)
{
    return sv_db_int (db, "SELECT count(*) FROM (SELECT coalesce (fy, 0) AS fy, partner,"
                          " coalesce (month, 0) AS month, supplier_key, given_postcode,"
                          " count(*) AS payments, sum(amount_pence) AS pence FROM payments"
                          " GROUP BY 1, 2, 3, 4, 5 EXCEPT SELECT fy, partner, month,"
                          " supplier_key, given_postcode, payments, pence FROM spend_sums)", -1)
           == 0
        && sv_db_int (db, "SELECT count(*) FROM spend_sums", -1)
           == sv_db_int (db, "SELECT count(*) FROM (SELECT DISTINCT coalesce (fy, 0), partner,"
                             " coalesce (month, 0), supplier_key, given_postcode"
                             " FROM payments)", -2);
}

//  Takes the test's count payments: a statement's worth and more, one key
//  twice (row 20's is row 3's: the later wins), one date that does not
//  read (row 7's)
static void
s_test_add (reporting_payments_t *payments, size_t count)
{
    for (size_t row = 0; row < count; row++) {
        char key [32], supplier [32];
        snprintf (key, sizeof key, "council/T%zu/1", row == 20? (size_t) 3: row);
        snprintf (supplier, sizeof supplier, "ID:S%zu", row % 4);
        sv_proto_spend_t spend = {
            .partner = "council", .supplier_key = supplier, .postcode = row % 2? "S60 2TD": "",
            .payment_date = row == 7? "someday": row < 10? "2025-03-31": "2025-04-01",
            .amount_pence = 100 + (int64_t) row, .redacted = row == 9
        };
        assert (reporting_payments_add (payments, key, 1000 + row, &spend) == 0);
    }
}

void
reporting_payments_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_payments: ");
    char path [] = "/tmp/reporting_payments_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    sv_db_t *db = sv_db_new (path, s_test_schema, NULL);
    assert (db);
    reporting_payments_t *payments = reporting_payments_new (db);
    assert (strstr (s_one_sql, "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
            && !strstr (s_one_sql, "?12"));
    assert (strstr (s_sum_many_sql, "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9), (?10, ")
            && strstr (s_sum_many_sql, ", ?288) ON CONFLICT (id)"));

    //  A statement's worth and more, one key twice (the later wins), one
    //  date that does not read (no year or month)
    assert (sv_db_begin (db) == 0);
    size_t count = REPORTING_PAYMENTS_MANY + 5;
    s_test_add (payments, count);
    assert (sv_db_commit (db) == 0);        //  writes the 5 held first
    assert (sv_db_int (db, "SELECT count(*) FROM payments", -1) == (int64_t) count - 1);
    assert (sv_db_int (db, "SELECT sum(amount_pence) FROM payments", -1)
            == (int64_t) (100 * count + count * (count - 1) / 2) - 103);
    assert (sv_db_int (db, "SELECT amount_pence FROM payments WHERE key = 'council/T3/1'", -1)
            == 120);
    assert (sv_db_int (db, "SELECT source_seq FROM payments WHERE key = 'council/T3/1'", -1)
            == 1020);
    assert (sv_db_int (db, "SELECT count(*) FROM payments WHERE fy IS NULL AND month IS NULL"
                           " AND payment_date = 'someday'", -1) == 1);
    assert (sv_db_int (db, "SELECT count(*) FROM payments WHERE fy = 2024 AND month = 202503",
                       -1) == 8);
    assert (sv_db_int (db, "SELECT count(*) FROM payments WHERE fy = 2025 AND month = 202504",
                       -1) == (int64_t) count - 10);
    assert (sv_db_int (db, "SELECT redacted FROM payments WHERE key = 'council/T9/1'", -1) == 1);
    assert (sv_db_int (db, "SELECT count(*) FROM payments WHERE given_postcode = 'S60 2TD'",
                       -1) == (int64_t) count / 2 - 1);     //  T3's is the even row 20's
    assert (s_test_sums_agree (db));
    assert (sv_db_int (db, "SELECT sum(pence) FROM spend_sums WHERE fy = 0", -1) == 107);

    //  The same events applied again, a statement's worth and one by one,
    //  change nothing
    assert (sv_db_begin (db) == 0);
    s_test_add (payments, count);
    assert (sv_db_commit (db) == 0);
    assert (s_test_sums_agree (db));
    assert (sv_db_int (db, "SELECT sum(pence) FROM spend_sums", -1)
            == (int64_t) (100 * count + count * (count - 1) / 2) - 103);

    //  Two keys under one 64-bit hash are refused, never added together:
    //  a row's key is changed under its id, and the commit fails
    int64_t id = sv_db_int (db, "SELECT id FROM spend_sums WHERE fy = 2025 AND partner ="
                                " 'council' AND supplier_key = 'ID:S0' LIMIT 1", 0);
    char *swap = zsys_sprintf ("UPDATE spend_sums SET supplier_key = 'ID:other' WHERE id ="
                               " %" PRId64, id);
    assert (id && sv_db_exec (db, swap) == 0);
    zstr_free (&swap);
    assert (sv_db_begin (db) == 0);
    sv_proto_spend_t again = {
        .partner = "council", .supplier_key = "ID:S0", .postcode = "", .payment_date = "2025-04-01",
        .amount_pence = 7
    };
    assert (reporting_payments_add (payments, "council/C1/1", 3000, &again) == 0);
    assert (sv_db_commit (db) == -1);
    sv_db_rollback (db);
    assert (sv_db_int (db, "SELECT count(*) FROM payments WHERE key = 'council/C1/1'", -1) == 0);
    assert (sv_db_exec (db, "UPDATE spend_sums SET supplier_key = 'ID:S0' WHERE supplier_key ="
                            " 'ID:other'") == 0);
    assert (s_test_sums_agree (db));

    //  Sent again changed, one payment at a time: its sums move from the
    //  old row to the new, and a row left with no payment goes
    assert (sv_db_begin (db) == 0);
    sv_proto_spend_t moved = {
        .partner = "council", .supplier_key = "ID:S9", .postcode = "", .payment_date = "someday",
        .amount_pence = 1
    };
    assert (reporting_payments_add (payments, "council/T0/1", 2000, &moved) == 0);
    moved.payment_date = "2026-01-15";
    assert (reporting_payments_add (payments, "council/T7/1", 2001, &moved) == 0);
    assert (sv_db_commit (db) == 0);
    assert (s_test_sums_agree (db));
    assert (sv_db_int (db, "SELECT count(*) FROM spend_sums WHERE fy = 0", -1) == 1);
    assert (sv_db_int (db, "SELECT pence FROM spend_sums WHERE fy = 0", -1) == 1);
    assert (sv_db_int (db, "SELECT payments FROM spend_sums WHERE month = 202601", -1) == 1);

    //  A rolled-back batch leaves nothing held, and nothing written
    assert (sv_db_begin (db) == 0);
    sv_proto_spend_t spend = {
        .partner = "council", .supplier_key = "", .postcode = "", .payment_date = "2025-05-01",
        .amount_pence = 5
    };
    assert (reporting_payments_add (payments, "council/R1/1", 1, &spend) == 0);
    sv_db_rollback (db);
    assert (sv_db_begin (db) == 0);
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM payments", -1) == (int64_t) count - 1);

    reporting_payments_destroy (&payments);
    reporting_payments_destroy (&payments);
    sv_db_destroy (&db);
    assert (sv_db_remove_files (path) == 0);
    if (verbose)
        printf ("OK\n");
}
