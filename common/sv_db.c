/*  sv_db: one service's SQLite store. See sv_db.h for the contract. */

#include "sv_db.h"
#include <czmq.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define S_RECENT 64                 //  slots of the recent-statement cache

//  A statement found lately, by the address of the SQL text it was asked
//  for with: most SQL is a literal, asked for again from the same place.
typedef struct {
    const char *sql;            //  the caller's text
    sqlite3_stmt *stmt;         //  sqlite3_sql gives the text it was made of
} s_recent_t;

#define S_CHECKPOINT_PAGES 1000     //  the log's pages that make a checkpoint due
#define S_BUSY_MS 5000              //  how long a connection waits for a lock
#define S_TRUNCATE_WAIT_MS 100      //  how long a commit waits to empty the log

//  A thread that copies the write-ahead log into the database, with a
//  connection of its own, so that the writer's commits need not
typedef struct {
    sqlite3 *handle;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int64_t page_size;
    int64_t log_max;            //  bytes, 0 for no bound
    bool due;
    bool stopping;
} s_checkpointer_t;

struct _sv_db_t {
    sqlite3 *handle;
    s_checkpointer_t *checkpointer;     //  when checkpoints run behind
    zhashx_t *statements;       //  SQL text -> sqlite3_stmt *
    s_recent_t recent [S_RECENT];
    bool in_transaction;
    int (*before_commit) (void *arg);   //  sv_db_set_before_commit
    void *before_commit_arg;
    //  The transaction held open (sv_db_hold), and whom to tell how it ended
    void (*held_done) (void *arg, bool committed);
    void *held_arg;
    bool full;                  //  the last failure was a full disk
    char *full_reason;          //  sv_db_error's text while full
};

static void
s_finalize (void **item_p)
{
    sqlite3_finalize ((sqlite3_stmt *) *item_p);
    *item_p = NULL;
}

//  Applies every migration past the store's user_version, each in its own
//  transaction together with the version bump.
static int
s_migrate (sv_db_t *self, const char *const *migrations, const char **reason_p)
{
    int known = 0;
    while (migrations && migrations [known])
        known++;
    int current = sv_db_version (self);
    if (current > known) {
        *reason_p = "the store was written by a newer socval (schema version ahead of this build)";
        return -1;
    }
    for (int version = current + 1; version <= known; version++) {
        char bump [64];
        snprintf (bump, sizeof bump, "PRAGMA user_version = %d", version);
        if (sv_db_begin (self)
        ||  sv_db_exec (self, migrations [version - 1])
        ||  sv_db_exec (self, bump)
        ||  sv_db_commit (self)) {
            *reason_p = sqlite3_errmsg (self->handle);
            if (self->in_transaction)
                sv_db_rollback (self);
            return -1;
        }
    }
    return 0;
}

//  SQLite counts every allocation under a global mutex unless told not to;
//  nothing here reads those counts. Only possible before SQLite starts.
static void
s_configure (void)
{
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

sv_db_t *
sv_db_new (const char *path, const char *const *migrations, const char **reason_p)
{
    return sv_db_new_paged (path, migrations, 0, reason_p);
}

sv_db_t *
sv_db_new_paged (const char *path, const char *const *migrations, int page_size,
                 const char **reason_p)
{
    assert (path);
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once (&configured, s_configure);
    const char *reason = NULL;
    sv_db_t *self = (sv_db_t *) zmalloc (sizeof (sv_db_t));
    self->statements = zhashx_new ();
    zhashx_set_destructor (self->statements, s_finalize);

    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2 (path, &self->handle, flags, NULL) != SQLITE_OK)
        reason = self->handle? sqlite3_errmsg (self->handle): "out of memory";
    else {
        sqlite3_busy_timeout (self->handle, S_BUSY_MS);
        //  WAL lets readers go on while a writer commits; FULL makes every
        //  commit durable before we acknowledge it to another process.
        //  The page size takes only while the store is empty, before WAL
        char paged [48];
        snprintf (paged, sizeof paged, "PRAGMA page_size = %d", page_size);
        if ((page_size && sv_db_exec (self, paged))
        ||  sv_db_exec (self, "PRAGMA journal_mode = WAL")
        ||  sv_db_exec (self, "PRAGMA synchronous = FULL")
        ||  sv_db_exec (self, "PRAGMA foreign_keys = ON")
        ||  sv_db_exec (self, "PRAGMA cache_size = -16384"))       //  16 MB
            reason = sqlite3_errmsg (self->handle);
        else
        if (migrations)
            s_migrate (self, migrations, &reason);
    }
    if (reason) {
        //  The reason may live in the connection we are about to close
        static _Thread_local char copy [256];
        snprintf (copy, sizeof copy, "%s: %s", path, reason);
        if (reason_p)
            *reason_p = copy;
        sv_db_destroy (&self);
    }
    return self;
}

//  ==========================================================================
//  Checkpoints behind the writer

//  SQLite, after each of the writer's commits: the log holds pages pages
static int
s_wal_hook (void *arg, sqlite3 *handle, const char *name, int pages)
{
    s_checkpointer_t *checkpointer = (s_checkpointer_t *) arg;
    //  The log only starts again from its beginning when a writer finds it
    //  all copied, which a writer that never pauses never does: in a long
    //  batch it would grow by every page written. Past log_max, the writer
    //  copies the rest itself, now, and empties it (the thread has copied
    //  most of it already). It waits for readers of the log only briefly:
    //  past that the checkpoint goes on as PASSIVE and the next commit
    //  tries again, rather than holding the writer for seconds
    if (checkpointer->log_max && pages * checkpointer->page_size >= checkpointer->log_max) {
        sqlite3_busy_timeout (handle, S_TRUNCATE_WAIT_MS);
        sqlite3_wal_checkpoint_v2 (handle, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        sqlite3_busy_timeout (handle, S_BUSY_MS);
    }
    else
    if (pages >= S_CHECKPOINT_PAGES) {
        pthread_mutex_lock (&checkpointer->lock);
        checkpointer->due = true;
        pthread_cond_signal (&checkpointer->wake);
        pthread_mutex_unlock (&checkpointer->lock);
    }
    return SQLITE_OK;
}

static void *
s_checkpoint_loop (void *arg)
{
    s_checkpointer_t *checkpointer = (s_checkpointer_t *) arg;
    pthread_mutex_lock (&checkpointer->lock);
    while (true) {
        while (!checkpointer->due && !checkpointer->stopping)
            pthread_cond_wait (&checkpointer->wake, &checkpointer->lock);
        if (checkpointer->stopping)
            break;
        checkpointer->due = false;
        pthread_mutex_unlock (&checkpointer->lock);
        //  PASSIVE: copies what no reader still needs, never waits for the
        //  writer; what it leaves, the next one takes
        sqlite3_wal_checkpoint_v2 (checkpointer->handle, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                   NULL, NULL);
        pthread_mutex_lock (&checkpointer->lock);
    }
    pthread_mutex_unlock (&checkpointer->lock);
    return NULL;
}

int
sv_db_checkpoint_behind (sv_db_t *self, int64_t log_max)
{
    assert (self && log_max >= 0);
    if (self->checkpointer)
        return 0;
    const char *path = sqlite3_db_filename (self->handle, "main");
    if (!path || !*path)
        return -1;              //  a temporary or in-memory store has no log
    s_checkpointer_t *checkpointer = (s_checkpointer_t *) zmalloc (sizeof *checkpointer);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    //  A connection knows the store is in WAL mode once it has read it
    if (sqlite3_open_v2 (path, &checkpointer->handle, flags, NULL) != SQLITE_OK
    ||  sqlite3_exec (checkpointer->handle, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) {
        sqlite3_close (checkpointer->handle);
        free (checkpointer);
        return -1;
    }
    sqlite3_busy_timeout (checkpointer->handle, S_BUSY_MS);
    checkpointer->page_size = sv_db_int (self, "PRAGMA page_size", 4096);
    checkpointer->log_max = log_max;
    pthread_mutex_init (&checkpointer->lock, NULL);
    pthread_cond_init (&checkpointer->wake, NULL);
    if (pthread_create (&checkpointer->thread, NULL, s_checkpoint_loop, checkpointer)) {
        pthread_cond_destroy (&checkpointer->wake);
        pthread_mutex_destroy (&checkpointer->lock);
        sqlite3_close (checkpointer->handle);
        free (checkpointer);
        return -1;
    }
    //  The hook replaces SQLite's own checkpoints after commits
    sqlite3_wal_hook (self->handle, s_wal_hook, checkpointer);
    self->checkpointer = checkpointer;
    return 0;
}

//  Stops the checkpoint thread, if any, and hands checkpoints back to the
//  writer's commits
static void
s_checkpointer_stop (sv_db_t *self)
{
    s_checkpointer_t *checkpointer = self->checkpointer;
    if (!checkpointer)
        return;
    pthread_mutex_lock (&checkpointer->lock);
    checkpointer->stopping = true;
    pthread_cond_signal (&checkpointer->wake);
    pthread_mutex_unlock (&checkpointer->lock);
    pthread_join (checkpointer->thread, NULL);
    sqlite3_wal_autocheckpoint (self->handle, S_CHECKPOINT_PAGES);
    pthread_cond_destroy (&checkpointer->wake);
    pthread_mutex_destroy (&checkpointer->lock);
    sqlite3_close (checkpointer->handle);
    free (checkpointer);
    self->checkpointer = NULL;
}

//  ==========================================================================

void
sv_db_destroy (sv_db_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        sv_db_t *self = *self_p;
        s_checkpointer_stop (self);
        zhashx_destroy (&self->statements);
        zstr_free (&self->full_reason);
        sqlite3_close (self->handle);
        free (self);
        *self_p = NULL;
    }
}

sqlite3 *
sv_db_handle (sv_db_t *self)
{
    assert (self);
    return self->handle;
}

int
sv_db_version (sv_db_t *self)
{
    return (int) sv_db_int (self, "PRAGMA user_version", 0);
}

//  Whether the last call on handle failed for want of disk space
static bool
s_failed_full (sqlite3 *handle)
{
    int code = sqlite3_extended_errcode (handle);
    if ((code & 0xff) == SQLITE_FULL)
        return true;
    int system = sqlite3_system_errno (handle);
    return (code & 0xff) == SQLITE_IOERR && (system == ENOSPC || system == EDQUOT);
}

//  Notes a failure of the last call: a full disk or something else
static int
s_failed (sv_db_t *self)
{
    self->full = s_failed_full (self->handle);
    return -1;
}

int
sv_db_begin (sv_db_t *self)
{
    assert (self);
    sv_db_release (self);
    assert (!self->in_transaction);
    if (sv_db_run (self, sv_db_stmt (self, "BEGIN IMMEDIATE")))
        return -1;
    self->in_transaction = true;
    return 0;
}

int
sv_db_commit (sv_db_t *self)
{
    assert (self);
    assert (self->in_transaction && !self->held_done);
    if (self->before_commit && self->before_commit (self->before_commit_arg))
        return -1;
    if (sv_db_run (self, sv_db_stmt (self, "COMMIT")))
        return -1;
    self->in_transaction = false;
    self->full = false;         //  a write found room
    return 0;
}

void
sv_db_set_before_commit (sv_db_t *self, int (*fn) (void *arg), void *arg)
{
    assert (self);
    self->before_commit = fn;
    self->before_commit_arg = arg;
}

//  Forgets the transaction held, telling its holder how it ended
static void
s_held_end (sv_db_t *self, bool committed)
{
    void (*done) (void *arg, bool committed) = self->held_done;
    void *arg = self->held_arg;
    self->held_done = NULL;
    self->held_arg = NULL;
    if (done)
        done (arg, committed);
}

void
sv_db_hold (sv_db_t *self, void (*done) (void *arg, bool committed), void *arg)
{
    assert (self && done);
    assert (self->in_transaction && !self->held_done);
    self->held_done = done;
    self->held_arg = arg;
}

bool
sv_db_resume (sv_db_t *self, void *arg)
{
    assert (self);
    if (self->held_done && self->held_arg == arg) {
        self->held_done = NULL;
        self->held_arg = NULL;
        return true;
    }
    sv_db_release (self);
    return false;
}

int
sv_db_release (sv_db_t *self)
{
    assert (self);
    if (!self->held_done)
        return 0;
    void (*done) (void *arg, bool committed) = self->held_done;
    void *arg = self->held_arg;
    self->held_done = NULL;
    self->held_arg = NULL;
    int rc = sv_db_commit (self);
    if (rc)
        sv_db_rollback (self);
    done (arg, rc == 0);
    return rc;
}

bool
sv_db_held (sv_db_t *self)
{
    assert (self);
    return self->held_done != NULL;
}

int
sv_db_rollback (sv_db_t *self)
{
    assert (self);
    s_held_end (self, false);
    self->in_transaction = false;
    //  A statement the caller stepped itself may have found the disk full
    if (s_failed_full (self->handle))
        self->full = true;
    //  SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
    if (sqlite3_get_autocommit (self->handle))
        return 0;
    return sv_db_run (self, sv_db_stmt (self, "ROLLBACK"));
}

bool
sv_db_in_transaction (sv_db_t *self)
{
    assert (self);
    return self->in_transaction;
}

int
sv_db_exec (sv_db_t *self, const char *sql)
{
    assert (self);
    return sqlite3_exec (self->handle, sql, NULL, NULL, NULL) == SQLITE_OK? 0: s_failed (self);
}

sqlite3_stmt *
sv_db_stmt (sv_db_t *self, const char *sql)
{
    assert (self);
    //  Hashing the whole text on every call costs more than the statement
    //  itself for the small ones, so the address picks a recent slot first;
    //  the text is still compared, as an address may be reused for other SQL
    s_recent_t *recent = &self->recent [((uintptr_t) sql >> 3) % S_RECENT];
    if (recent->sql == sql && streq (sqlite3_sql (recent->stmt), sql)) {
        sqlite3_reset (recent->stmt);
        sqlite3_clear_bindings (recent->stmt);
        return recent->stmt;
    }
    sqlite3_stmt *stmt = (sqlite3_stmt *) zhashx_lookup (self->statements, sql);
    if (stmt) {
        sqlite3_reset (stmt);
        sqlite3_clear_bindings (stmt);
    }
    else {
        if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &stmt, NULL) != SQLITE_OK)
            return NULL;
        zhashx_insert (self->statements, sql, stmt);
    }
    *recent = (s_recent_t) { sql, stmt };
    return stmt;
}

sqlite3_stmt *
sv_db_bind_texts (sqlite3_stmt *stmt, const char *const *texts, int count)
{
    for (int index = 0; stmt && index < count; index++)
        sqlite3_bind_text (stmt, index + 1, texts [index], -1, SQLITE_STATIC);
    return stmt;
}

const char *
sv_db_text (sqlite3_stmt *stmt, int column)
{
    const char *text = (const char *) sqlite3_column_text (stmt, column);
    return text? text: "";
}

int
sv_db_run (sv_db_t *self, sqlite3_stmt *stmt)
{
    assert (self);
    if (!stmt)
        return -1;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
    sqlite3_reset (stmt);
    return rc == SQLITE_DONE? 0: s_failed (self);
}

int64_t
sv_db_int (sv_db_t *self, const char *sql, int64_t fallback)
{
    sqlite3_stmt *stmt = sv_db_stmt (self, sql);
    if (!stmt)
        return fallback;
    int64_t value = fallback;
    if (sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    return value;
}

const char *
sv_db_error (sv_db_t *self)
{
    assert (self);
    if (self->full) {
        zstr_free (&self->full_reason);
        self->full_reason = sv_db_full_reason (self);
        return self->full_reason;
    }
    return sqlite3_errmsg (self->handle);
}

//  ==========================================================================
//  A full disk

bool
sv_db_full (sv_db_t *self)
{
    assert (self);
    return self->full;
}

char *
sv_db_full_reason (sv_db_t *self)
{
    assert (self);
    const char *path = sqlite3_db_filename (self->handle, "main");
    if (!path || !*path)
        return strdup ("disk full");
    char *folder = strdup (path);
    char *slash = strrchr (folder, '/');
    if (slash == folder)
        folder [1] = 0;
    else
    if (slash)
        *slash = 0;
    else
        strcpy (folder, ".");
    struct statvfs disk;
    char *reason = statvfs (folder, &disk) == 0
        ? zsys_sprintf ("disk full: %s has %.1f MB free", folder,
                        (double) disk.f_bavail * (double) disk.f_frsize / 1e6)
        : zsys_sprintf ("disk full: %s", folder);
    free (folder);
    return reason;
}

int
sv_db_truncate_log (sv_db_t *self)
{
    assert (self);
    assert (!self->in_transaction);
    int log_frames = -1;
    sqlite3_busy_timeout (self->handle, S_TRUNCATE_WAIT_MS);
    int rc = sqlite3_wal_checkpoint_v2 (self->handle, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                        &log_frames, NULL);
    sqlite3_busy_timeout (self->handle, S_BUSY_MS);
    if (rc != SQLITE_OK)
        return s_failed (self);
    return log_frames == 0? 0: -1;
}

int
sv_db_remove_files (const char *path)
{
    char companion [PATH_MAX];
    snprintf (companion, sizeof companion, "%s-wal", path);
    unlink (companion);
    snprintf (companion, sizeof companion, "%s-shm", path);
    unlink (companion);
    return unlink (path) == 0? 0: -1;
}

//  --------------------------------------------------------------------------
//  Self-test

//  Commits rows suppliers of about 800 bytes each
static void
s_test_commit_rows (sv_db_t *db, int rows)
{
    char sql [256];
    snprintf (sql, sizeof sql, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL"
                               " SELECT i + 1 FROM n WHERE i < %d)"
                               " INSERT INTO supplier (key, name, postcode)"
                               " SELECT hex (randomblob (8)), hex (randomblob (400)), '' FROM n",
              rows);
    assert (sv_db_begin (db) == 0);
    assert (sv_db_exec (db, sql) == 0);
    assert (sv_db_commit (db) == 0);
}

//  A holder of a transaction, for the test: how many ended, and the last how
typedef struct {
    int ends;
    bool committed;
} s_test_held_t;

static void
s_test_held_end (void *arg, bool committed)
{
    s_test_held_t *holder = (s_test_held_t *) arg;
    holder->ends++;
    holder->committed = committed;
}

static int
s_test_refuse (void *arg)
{
    (void) arg;
    return -1;
}

static void
s_test_insert (sv_db_t *db, const char *key)
{
    sqlite3_stmt *stmt = sv_db_stmt (db, "INSERT INTO supplier (key, name) VALUES (?1, 'held')");
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == 0);
}

void
sv_db_test (bool verbose)
{
    if (verbose)
        printf (" * sv_db: ");
    char path [] = "/tmp/sv_db_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);

    static const char *const v1 [] = {
        "CREATE TABLE supplier (key TEXT PRIMARY KEY, name TEXT NOT NULL);",
        NULL
    };
    static const char *const v2 [] = {
        "CREATE TABLE supplier (key TEXT PRIMARY KEY, name TEXT NOT NULL);",
        "ALTER TABLE supplier ADD COLUMN postcode TEXT;"
        "CREATE INDEX supplier_postcode ON supplier (postcode);",
        NULL
    };
    //  A fresh store takes migration 1 and is in WAL mode
    const char *reason = NULL;
    sv_db_t *db = sv_db_new (path, v1, &reason);
    assert (db);
    assert (sv_db_version (db) == 1);
    assert (sv_db_int (db, "PRAGMA synchronous", -1) == 2);       //  FULL
    assert (sv_db_int (db, "PRAGMA foreign_keys", -1) == 1);

    //  Statements are cached and bound, never spliced
    const char *insert = "INSERT INTO supplier (key, name) VALUES (?1, ?2)";
    assert (sv_db_begin (db) == 0);
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *stmt = sv_db_stmt (db, insert);
        char key [16];
        snprintf (key, sizeof key, "S%d", i);
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, "Robert'); DROP TABLE supplier;--", -1, SQLITE_STATIC);
        assert (sv_db_run (db, stmt) == 0);
    }
    assert (sv_db_commit (db) == 0);
    assert (sv_db_stmt (db, insert) == sv_db_stmt (db, insert));
    assert (sv_db_int (db, "SELECT count(*) FROM supplier", -1) == 3);

    //  A constraint failure is an error, and a rollback leaves nothing
    assert (sv_db_begin (db) == 0);
    sqlite3_stmt *stmt = sv_db_stmt (db, insert);
    sqlite3_bind_text (stmt, 1, "S3", -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, "new", -1, SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == 0);
    stmt = sv_db_stmt (db, insert);
    sqlite3_bind_text (stmt, 1, "S0", -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, "duplicate", -1, SQLITE_STATIC);
    assert (sv_db_run (db, stmt) == -1);
    assert (sv_db_rollback (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM supplier", -1) == 3);
    assert (sv_db_stmt (db, "SELEKT nonsense") == NULL);

    //  A transaction held: its holder resumes it and writes more; anyone
    //  else's begin commits it first and tells the holder
    s_test_held_t holder = { 0 };
    assert (sv_db_begin (db) == 0);
    s_test_insert (db, "H1");
    sv_db_hold (db, s_test_held_end, &holder);
    assert (sv_db_held (db) && sv_db_in_transaction (db));
    assert (sv_db_resume (db, &holder));
    assert (!sv_db_held (db) && sv_db_in_transaction (db));
    s_test_insert (db, "H2");
    sv_db_hold (db, s_test_held_end, &holder);
    assert (holder.ends == 0);
    assert (sv_db_begin (db) == 0);         //  someone else
    assert (holder.ends == 1 && holder.committed);
    s_test_insert (db, "H3");
    assert (sv_db_commit (db) == 0);
    assert (sv_db_int (db, "SELECT count(*) FROM supplier", -1) == 6);
    //  Release commits; a resume by another holder releases too
    int other = 0;
    assert (sv_db_begin (db) == 0);
    s_test_insert (db, "H4");
    sv_db_hold (db, s_test_held_end, &holder);
    assert (!sv_db_resume (db, &other));
    assert (holder.ends == 2 && holder.committed && !sv_db_in_transaction (db));
    assert (sv_db_release (db) == 0);       //  nothing held: nothing done
    assert (holder.ends == 2);
    //  A held transaction rolled back is lost whole, and its holder told
    assert (sv_db_begin (db) == 0);
    s_test_insert (db, "H5");
    sv_db_hold (db, s_test_held_end, &holder);
    assert (sv_db_resume (db, &holder));
    s_test_insert (db, "H6");
    sv_db_hold (db, s_test_held_end, &holder);
    assert (sv_db_rollback (db) == 0);
    assert (holder.ends == 3 && !holder.committed && !sv_db_in_transaction (db));
    assert (sv_db_int (db, "SELECT count(*) FROM supplier", -1) == 7);
    //  A held transaction whose commit fails (the before-commit work
    //  refuses) is rolled back, and its holder told
    assert (sv_db_begin (db) == 0);
    s_test_insert (db, "H7");
    sv_db_hold (db, s_test_held_end, &holder);
    sv_db_set_before_commit (db, s_test_refuse, NULL);
    assert (sv_db_release (db) == -1);
    sv_db_set_before_commit (db, NULL, NULL);
    assert (holder.ends == 4 && !holder.committed && !sv_db_in_transaction (db));
    assert (sv_db_int (db, "SELECT count(*) FROM supplier WHERE key = 'H7'", -1) == 0);
    assert (sv_db_exec (db, "DELETE FROM supplier WHERE name = 'held'") == 0);
    sv_db_destroy (&db);
    sv_db_destroy (&db);

    //  Reopening with a second migration applies only that one, keeping rows
    db = sv_db_new (path, v2, &reason);
    assert (db);
    assert (sv_db_version (db) == 2);
    assert (sv_db_int (db, "SELECT count(*) FROM supplier", -1) == 3);
    sv_db_destroy (&db);

    //  Older code refuses a store that is ahead of it
    db = sv_db_new (path, v1, &reason);
    assert (db == NULL);
    assert (strstr (reason, "newer"));

    //  A failing migration changes nothing, not even the version
    const char *const broken [] = {
        v2 [0], v2 [1], "CREATE TABLE t (x); INSERT INTO nowhere VALUES (1);", NULL
    };
    db = sv_db_new (path, broken, &reason);
    assert (db == NULL);
    db = sv_db_new (path, v2, &reason);
    assert (db && sv_db_version (db) == 2);
    assert (sv_db_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 't'", -1) == 0);

    //  With checkpoints behind the writer, the log still reaches the
    //  database file, without a commit waiting for it
    assert (sv_db_checkpoint_behind (db, 0) == 0);
    assert (sv_db_checkpoint_behind (db, 0) == 0);
    struct stat before;
    assert (stat (path, &before) == 0);
    for (int round = 0; round < 4; round++)
        s_test_commit_rows (db, 2000);
    struct stat after = before;
    for (int tries = 0; tries < 500 && after.st_size < before.st_size + 4000000; tries++) {
        zclock_sleep (10);
        assert (stat (path, &after) == 0);
    }
    assert (after.st_size >= before.st_size + 4000000);
    sv_db_destroy (&db);

    //  A store made with large pages keeps them, opened either way
    assert (sv_db_remove_files (path) == 0);
    db = sv_db_new_paged (path, v2, 65536, &reason);
    assert (db && sv_db_int (db, "PRAGMA page_size", -1) == 65536);
    sv_db_destroy (&db);
    db = sv_db_new (path, v2, &reason);
    assert (db && sv_db_int (db, "PRAGMA page_size", -1) == 65536);
    sv_db_destroy (&db);

    //  A writer that never pauses keeps its log near log_max: 16 MB written
    //  in commits of about 160 KB, one after the other, under a bound of 4 MB
    //  (checkpoints are due from 1000 pages)
    assert (sv_db_remove_files (path) == 0);
    db = sv_db_new (path, v2, &reason);
    assert (db && sv_db_checkpoint_behind (db, 4 << 20) == 0);
    char *log_path = zsys_sprintf ("%s-wal", path);
    off_t longest = 0;
    for (int round = 0; round < 100; round++) {
        s_test_commit_rows (db, 200);
        struct stat log;
        if (stat (log_path, &log) == 0 && log.st_size > longest)
            longest = log.st_size;
    }
    assert (longest < 8 << 20);
    zstr_free (&log_path);
    sv_db_destroy (&db);

    //  A store that finds no room says so, and where; a rolled-back
    //  transaction's log is given back whole. A page limit fails writes
    //  as a full disk does (SQLITE_FULL)
    assert (sv_db_remove_files (path) == 0);
    db = sv_db_new (path, v2, &reason);
    assert (db && !sv_db_full (db));
    //  (a small cache, so the transaction spills into the log as it goes)
    assert (sv_db_exec (db, "PRAGMA max_page_count = 200") == 0);
    assert (sv_db_exec (db, "PRAGMA cache_size = 10") == 0);
    assert (sv_db_begin (db) == 0);
    assert (sv_db_exec (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1"
                            " FROM n WHERE i < 5000) INSERT INTO supplier (key, name)"
                            " SELECT hex (randomblob (8)), hex (randomblob (400)) FROM n")
            == -1);
    assert (sv_db_rollback (db) == 0);
    assert (sv_db_full (db));
    assert (strstr (sv_db_error (db), "disk full: /tmp has "));
    char *full = sv_db_full_reason (db);
    assert (streq (full, sv_db_error (db)));
    zstr_free (&full);
    log_path = zsys_sprintf ("%s-wal", path);
    struct stat log;
    assert (stat (log_path, &log) == 0 && log.st_size > 100000);
    assert (sv_db_truncate_log (db) == 0);
    assert (stat (log_path, &log) == 0 && log.st_size == 0);
    //  A write that finds room ends it
    s_test_commit_rows (db, 1);
    assert (!sv_db_full (db));
    zstr_free (&log_path);
    sv_db_destroy (&db);

    //  A temporary store has no log to copy
    db = sv_db_new ("", NULL, &reason);
    assert (db && sv_db_checkpoint_behind (db, 0) == -1);
    sv_db_destroy (&db);

    assert (sv_db_remove_files (path) == 0);
    if (verbose)
        printf ("OK\n");
}
