/*  reporting_payments: payments written many to a statement. See
    reporting_payments.h.

    A payment held is its numbers and five strings; the strings are copied
    one after another into one buffer (kept between batches), and a row
    names each by its offset, since the buffer moves as it grows.
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
    int64_t amount_pence;
    uint64_t seq;
    bool redacted;
} s_payment_t;

struct _reporting_payments_t {
    sv_db_t *db;
    s_payment_t held [REPORTING_PAYMENTS_MANY];
    size_t count;
    char *buffer;                   //  the held payments' strings
    size_t used;
    size_t size;
};

//  The statements for one row and for REPORTING_PAYMENTS_MANY, made once
//  for the process (sv_db_stmt finds a statement by its text's address)
static char s_one_sql [1024];
static char s_many_sql [1024 + REPORTING_PAYMENTS_MANY * 64];

static void
s_make_sql (char *sql, size_t size, size_t rows)
{
    size_t used = (size_t) snprintf (sql, size,
        "INSERT INTO payments (key, partner, supplier_key, given_postcode, payment_date,"
        " fy, month, amount_pence, source_seq, redacted) VALUES ");
    for (size_t row = 0; row < rows; row++) {
        size_t first = row * S_COLUMNS + 1;
        used += (size_t) snprintf (sql + used, size - used,
                                   "%s(?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu)",
                                   row? ", ": "", first, first + 1, first + 2, first + 3,
                                   first + 4, first + 5, first + 6, first + 7, first + 8,
                                   first + 9);
    }
    used += (size_t) snprintf (sql + used, size - used,
        " ON CONFLICT (key) DO UPDATE SET partner = excluded.partner,"
        " supplier_key = excluded.supplier_key, given_postcode = excluded.given_postcode,"
        " payment_date = excluded.payment_date, fy = excluded.fy, month = excluded.month,"
        " amount_pence = excluded.amount_pence, source_seq = excluded.source_seq,"
        " redacted = excluded.redacted");
    assert (used < size);
}

static void
s_make_statements (void)
{
    s_make_sql (s_one_sql, sizeof s_one_sql, 1);
    s_make_sql (s_many_sql, sizeof s_many_sql, REPORTING_PAYMENTS_MANY);
}

static int
s_before_commit (void *arg)
{
    return reporting_payments_flush ((reporting_payments_t *) arg);
}

//  A transaction never commits with payments held, which would lose them:
//  sv_db_commit writes them first (s_before_commit)
static int
s_commit_hook (void *arg)
{
    reporting_payments_t *self = (reporting_payments_t *) arg;
    assert (self->count == 0);
    return 0;
}

//  What a rolled-back transaction held is gone with it
static void
s_rollback_hook (void *arg)
{
    reporting_payments_t *self = (reporting_payments_t *) arg;
    self->count = 0;
    self->used = 0;
}

reporting_payments_t *
reporting_payments_new (sv_db_t *db)
{
    assert (db);
    static pthread_once_t made = PTHREAD_ONCE_INIT;
    pthread_once (&made, s_make_statements);
    reporting_payments_t *self = (reporting_payments_t *) zmalloc (sizeof *self);
    self->db = db;
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

//  Binds payment as the row whose first parameter is first
static void
s_bind (reporting_payments_t *self, sqlite3_stmt *stmt, int first, const s_payment_t *payment)
{
    for (int text = 0; text < S_STRINGS; text++)
        sqlite3_bind_text (stmt, first + text, self->buffer + payment->text [text], -1,
                           SQLITE_STATIC);
    //  The financial year and month of the date paid (2024, 202405); NULL
    //  when it does not read as a date
    int32_t day;
    if (sv_date_parse (self->buffer + payment->text [S_DATE], &day, NULL) == 0) {
        int year, month, mday;
        sv_date_to_ymd (day, &year, &month, &mday);
        sqlite3_bind_int (stmt, first + 5, sv_date_fy (day));
        sqlite3_bind_int (stmt, first + 6, year * 100 + month);
    }
    else {
        sqlite3_bind_null (stmt, first + 5);
        sqlite3_bind_null (stmt, first + 6);
    }
    sqlite3_bind_int64 (stmt, first + 7, payment->amount_pence);
    sqlite3_bind_int64 (stmt, first + 8, (sqlite3_int64) payment->seq);
    sqlite3_bind_int (stmt, first + 9, payment->redacted);
}

int
reporting_payments_flush (reporting_payments_t *self)
{
    assert (self);
    assert (self->count == 0 || sv_db_in_transaction (self->db));
    int rc = 0;
    if (self->count == REPORTING_PAYMENTS_MANY) {
        sqlite3_stmt *stmt = sv_db_stmt (self->db, s_many_sql);
        if (stmt) {
            for (size_t row = 0; row < self->count; row++)
                s_bind (self, stmt, (int) row * S_COLUMNS + 1, &self->held [row]);
            rc = sv_db_run (self->db, stmt);
        }
        else
            rc = -1;
    }
    else
    for (size_t row = 0; row < self->count && rc == 0; row++) {
        sqlite3_stmt *stmt = sv_db_stmt (self->db, s_one_sql);
        if (stmt) {
            s_bind (self, stmt, 1, &self->held [row]);
            rc = sv_db_run (self->db, stmt);
        }
        else
            rc = -1;
    }
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
    " source_seq INTEGER NOT NULL, redacted INTEGER NOT NULL);",
    NULL
};

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
