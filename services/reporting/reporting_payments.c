/*  reporting_payments: payments written many to a statement, and summed.
    See reporting_payments.h.

    A payment held is its numbers and five strings; the strings are copied
    one after another into one buffer (kept between batches), and a row
    names each by its offset, since the buffer moves as it grows. The sums
    of the transaction are a hash table by partner, year, month, supplier
    and postcode of the payments and pence each gained or lost.
*/

#include "reporting_payments.h"
#include "sv_date.h"
#include <pthread.h>

//  A payment's strings, in the order they are bound
enum { S_KEY, S_PARTNER, S_SUPPLIER, S_POSTCODE, S_DATE, S_STRINGS };

//  Parameters of one row in a statement
#define S_COLUMNS 10

typedef struct {
    size_t text [S_STRINGS];        //  offsets in the buffer
    int fy;                         //  2024 for 2024-25; 0 when the date does not read
    int month;                      //  202405; 0 likewise
    int64_t amount_pence;
    uint64_t seq;
    bool redacted;
} s_payment_t;

//  What one row of spend_sums gained or lost in the transaction
typedef struct {
    int fy;
    int month;
    char *partner;
    char *supplier_key;
    char *postcode;
    int64_t payments;
    int64_t pence;
} s_sum_t;

struct _reporting_payments_t {
    sv_db_t *db;
    s_payment_t held [REPORTING_PAYMENTS_MANY];
    size_t count;
    char *buffer;                   //  the held payments' strings
    size_t used;
    size_t size;
    zhashx_t *sums;                 //  "fy month partner supplier postcode" -> s_sum_t *
    bool lost;                      //  some sum went down: rows may be empty
};

//  The statements for one row and for REPORTING_PAYMENTS_MANY, made once
//  for the process (sv_db_stmt finds a statement by its text's address)
static char s_one_sql [512];
static char s_many_sql [512 + REPORTING_PAYMENTS_MANY * 64];

static void
s_make_sql (char *sql, size_t size, size_t rows)
{
    //  OR IGNORE: a key held already is found row by row (s_replace)
    size_t used = (size_t) snprintf (sql, size,
        "INSERT OR IGNORE INTO payments (key, partner, supplier_key, given_postcode,"
        " payment_date, fy, month, amount_pence, source_seq, redacted) VALUES ");
    for (size_t row = 0; row < rows; row++) {
        size_t first = row * S_COLUMNS + 1;
        used += (size_t) snprintf (sql + used, size - used,
                                   "%s(?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu)",
                                   row? ", ": "", first, first + 1, first + 2, first + 3,
                                   first + 4, first + 5, first + 6, first + 7, first + 8,
                                   first + 9);
    }
    assert (used < size);
}

static void
s_make_statements (void)
{
    s_make_sql (s_one_sql, sizeof s_one_sql, 1);
    s_make_sql (s_many_sql, sizeof s_many_sql, REPORTING_PAYMENTS_MANY);
}

static void
s_sum_destroy (void **item_p)
{
    s_sum_t *self = (s_sum_t *) *item_p;
    if (self) {
        free (self->partner);
        free (self->supplier_key);
        free (self->postcode);
        free (self);
        *item_p = NULL;
    }
}

//  Counts payments (1 or -1) of pence in their row of spend_sums
static void
s_sum_add (reporting_payments_t *self, int fy, int month, const char *partner,
           const char *supplier_key, const char *postcode, int payments, int64_t pence)
{
    char key [1024];
    int length = snprintf (key, sizeof key, "%d\x1f%d\x1f%s\x1f%s\x1f%s", fy, month, partner,
                           supplier_key, postcode);
    char *long_key = (size_t) length < sizeof key? NULL: zsys_sprintf ("%d\x1f%d\x1f%s\x1f%s\x1f%s",
                                                        fy, month, partner, supplier_key, postcode);
    s_sum_t *sum = (s_sum_t *) zhashx_lookup (self->sums, long_key? long_key: key);
    if (!sum) {
        sum = (s_sum_t *) zmalloc (sizeof *sum);
        *sum = (s_sum_t) {
            fy, month, strdup (partner), strdup (supplier_key), strdup (postcode), 0, 0
        };
        zhashx_insert (self->sums, long_key? long_key: key, sum);
    }
    zstr_free (&long_key);
    sum->payments += payments;
    sum->pence += pence;
    if (payments < 0)
        self->lost = true;
}

//  Writes the transaction's sums, then forgets them. 0 or -1.
static int
s_write_sums (reporting_payments_t *self)
{
    int rc = 0;
    for (s_sum_t *sum = (s_sum_t *) zhashx_first (self->sums); sum && rc == 0;
         sum = (s_sum_t *) zhashx_next (self->sums)) {
        if (sum->payments == 0 && sum->pence == 0)
            continue;
        const char *texts [] = { sum->partner, sum->supplier_key, sum->postcode };
        sqlite3_stmt *stmt = sv_db_bind_texts (sv_db_stmt (self->db,
            "INSERT INTO spend_sums (partner, supplier_key, given_postcode, fy, month,"
            " payments, pence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            " ON CONFLICT DO UPDATE SET payments = payments + excluded.payments,"
            " pence = pence + excluded.pence"), texts, 3);
        if (!stmt)
            rc = -1;
        else {
            sqlite3_bind_int (stmt, 4, sum->fy);
            sqlite3_bind_int (stmt, 5, sum->month);
            sqlite3_bind_int64 (stmt, 6, sum->payments);
            sqlite3_bind_int64 (stmt, 7, sum->pence);
            rc = sv_db_run (self->db, stmt);
        }
    }
    //  A payee's month whose payments all moved elsewhere is no row at all
    if (rc == 0 && self->lost)
        rc = sv_db_exec (self->db, "DELETE FROM spend_sums WHERE payments = 0");
    zhashx_purge (self->sums);
    self->lost = false;
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
    assert (self->count == 0 && zhashx_size (self->sums) == 0);
    return 0;
}

//  What a rolled-back transaction held is gone with it
static void
s_rollback_hook (void *arg)
{
    reporting_payments_t *self = (reporting_payments_t *) arg;
    self->count = 0;
    self->used = 0;
    zhashx_purge (self->sums);
    self->lost = false;
}

reporting_payments_t *
reporting_payments_new (sv_db_t *db)
{
    assert (db);
    static pthread_once_t made = PTHREAD_ONCE_INIT;
    pthread_once (&made, s_make_statements);
    reporting_payments_t *self = (reporting_payments_t *) zmalloc (sizeof *self);
    self->db = db;
    self->sums = zhashx_new ();
    zhashx_set_destructor (self->sums, s_sum_destroy);
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
        zhashx_destroy (&self->sums);
        free (self->buffer);
        free (self);
        *self_p = NULL;
    }
}

//  Copies text into the buffer; returns its offset
static size_t
s_copy (reporting_payments_t *self, const char *text)
{
    size_t length = strlen (text) + 1;
    if (self->used + length > self->size) {
        size_t size = self->size? self->size: 4096;
        while (self->used + length > size)
            size *= 2;
        char *buffer = (char *) realloc (self->buffer, size);
        assert (buffer);
        self->buffer = buffer;
        self->size = size;
    }
    size_t offset = self->used;
    memcpy (self->buffer + offset, text, length);
    self->used += length;
    return offset;
}

static const char *
s_text (const reporting_payments_t *self, const s_payment_t *payment, int text)
{
    return self->buffer + payment->text [text];
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
}

static void
s_sum_payment (reporting_payments_t *self, const s_payment_t *payment)
{
    s_sum_add (self, payment->fy, payment->month, s_text (self, payment, S_PARTNER),
               s_text (self, payment, S_SUPPLIER), s_text (self, payment, S_POSTCODE), 1,
               payment->amount_pence);
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
        " supplier_key, given_postcode, amount_pence FROM payments WHERE key = ?1");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, s_text (self, payment, S_KEY), -1, SQLITE_STATIC);
    int step = sqlite3_step (stmt);
    bool own = step == SQLITE_ROW && first_new && sqlite3_column_int64 (stmt, 0) >= first_new
            && (uint64_t) sqlite3_column_int64 (stmt, 1) == payment->seq;
    if (step == SQLITE_ROW && !own)
        s_sum_add (self, sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4),
                   sv_db_text (stmt, 2), sv_db_text (stmt, 5), sv_db_text (stmt, 6), -1,
                   -sqlite3_column_int64 (stmt, 7));
    sqlite3_reset (stmt);
    if (step != SQLITE_ROW)
        return -1;              //  the INSERT stored it, or it was held
    s_sum_payment (self, payment);
    if (own)
        return 0;
    stmt = sv_db_stmt (self->db,
        "UPDATE payments SET partner = ?2, supplier_key = ?3, given_postcode = ?4,"
        " payment_date = ?5, fy = ?6, month = ?7, amount_pence = ?8, source_seq = ?9,"
        " redacted = ?10 WHERE key = ?1");
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
    self->used = 0;
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
    " given_postcode TEXT NOT NULL, payment_date TEXT NOT NULL,"
    " source_seq INTEGER NOT NULL, redacted INTEGER NOT NULL);"
    "CREATE TABLE spend_sums (fy INTEGER NOT NULL, partner TEXT NOT NULL,"
    " month INTEGER NOT NULL, supplier_key TEXT NOT NULL, given_postcode TEXT NOT NULL,"
    " payments INTEGER NOT NULL, pence INTEGER NOT NULL,"
    " PRIMARY KEY (fy, partner, month, supplier_key, given_postcode)) WITHOUT ROWID;",
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

    //  A statement's worth and more, one key twice (the later wins), one
    //  date that does not read (no year or month)
    assert (sv_db_begin (db) == 0);
    size_t count = REPORTING_PAYMENTS_MANY + 5;
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
    assert (sv_db_commit (db) == 0);
    assert (s_test_sums_agree (db));
    assert (sv_db_int (db, "SELECT sum(pence) FROM spend_sums", -1)
            == (int64_t) (100 * count + count * (count - 1) / 2) - 103);

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
