/*  sv_db: one service's SQLite store.

    Every service owns exactly one SQLite file that no other process opens.
    sv_db opens it the way the reliability contract needs (WAL, synchronous
    FULL, foreign keys, a busy timeout), brings its schema up to date with the
    service's numbered migrations, and caches prepared statements so hot paths
    never re-parse SQL. SQL runs only through prepared statements with bound
    parameters.

    Migrations are forward-only: migration N (1-based) is applied in one
    transaction that also sets PRAGMA user_version = N. A store whose
    user_version is newer than the code's migrations is refused (a downgrade).
*/
#ifndef SV_DB_H_INCLUDED
#define SV_DB_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

typedef struct _sv_db_t sv_db_t;

//  Opens (creating if needed) the store at path, or ":memory:". migrations
//  is a NULL-terminated array of SQL scripts, migration 1 first; it is
//  borrowed for the call only. NULL migrations opens the store as it is,
//  for a second connection to a store the service has already migrated. Returns NULL on failure, with the reason in
//  *reason_p when reason_p is not NULL (a static or sqlite-owned string,
//  valid until the next sv_db_new in this thread).
sv_db_t *
    sv_db_new (const char *path, const char *const *migrations, const char **reason_p);

//  The same, for a store whose tables mostly grow at their end in large
//  batches (ingest's): page_size bytes a page (a power of two from 512 to
//  65536; 0 for SQLite's default), which fewer, larger writes serve better.
//  It applies when the store is created; an existing store keeps its own.
sv_db_t *
    sv_db_new_paged (const char *path, const char *const *migrations, int page_size,
                     const char **reason_p);

//  Finalizes cached statements and closes the store; nulls *self_p. Safe
//  on NULL and twice.
void
    sv_db_destroy (sv_db_t **self_p);

//  Moves checkpoints (copying the write-ahead log into the database) from
//  the writer's commits to a thread of the store's own with a connection
//  of its own, so that a writer busy with a large batch does not stop to
//  do them. A log longer than log_max bytes after a commit is emptied,
//  holding the writer back while the last of it is copied: a writer that
//  never pauses would otherwise see its log grow by every page it writes
//  (0: let it). For a store on a file; the thread ends with destroy. 0 or
//  -1.
int
    sv_db_checkpoint_behind (sv_db_t *self, int64_t log_max);

//  The log_max of the services' stores
#define SV_DB_LOG_MAX (256 << 20)

//  The underlying connection, borrowed.
sqlite3 *
    sv_db_handle (sv_db_t *self);

//  The schema version: the number of migrations applied.
int
    sv_db_version (sv_db_t *self);

//  Transactions. begin is BEGIN IMMEDIATE, so a writer never meets a lock
//  half way through; it commits a transaction held (below) first. Nesting
//  is a programmer error. Each returns 0 or -1.
int
    sv_db_begin (sv_db_t *self);
int
    sv_db_commit (sv_db_t *self);
int
    sv_db_rollback (sv_db_t *self);

//  True between begin and commit/rollback, and while a transaction is held.
bool
    sv_db_in_transaction (sv_db_t *self);

//  A transaction held open. A writer that has more to write at once (a
//  stream consumer catching up) may hold its transaction instead of
//  committing it, and write more in it later: a few large commits cost
//  less than many small ones. It is committed by the holder, or by the
//  first begin or release of anyone else; whoever ends it calls done (arg,
//  committed), false when its commit failed or it was rolled back. Nothing
//  in a held transaction is durable, so a holder says nothing of its work
//  (offsets, notices) before done; and what reads the store for others
//  (reports, STATUS) releases it first, so that what it reads is
//  committed. Hold needs a transaction begun and none held. A holder that
//  goes away releases first: destroy rolls a held transaction back
//  without telling anyone.
void
    sv_db_hold (sv_db_t *self, void (*done) (void *arg, bool committed), void *arg);

//  When arg holds the transaction, makes it arg's own again, to write in
//  and then commit or hold, and returns true (done is not called).
//  Otherwise releases whatever is held and returns false.
bool
    sv_db_resume (sv_db_t *self, void *arg);

//  Commits the transaction held, if any, and tells its holder. 0, or -1
//  when the commit failed (the transaction is then rolled back).
int
    sv_db_release (sv_db_t *self);

//  True while a transaction is held.
bool
    sv_db_held (sv_db_t *self);

//  Calls fn (arg) in sv_db_commit before the transaction commits, for
//  writes a store holds back to make many at once: fn writes them in the
//  transaction and returns 0, or -1 and the commit fails (the caller rolls
//  back). One such fn a connection; NULL removes it.
void
    sv_db_set_before_commit (sv_db_t *self, int (*fn) (void *arg), void *arg);

//  Runs SQL with no parameters and no result rows (DDL, pragmas). 0 or -1.
int
    sv_db_exec (sv_db_t *self, const char *sql);

//  Returns a prepared statement for sql, reset and with bindings cleared,
//  from a cache keyed by the SQL text. The statement stays owned by the
//  store; bind, step, and leave it (the next call resets it). NULL on a
//  syntax error, with sv_db_error telling why.
sqlite3_stmt *
    sv_db_stmt (sv_db_t *self, const char *sql);

//  Binds texts [0..count) to parameters 1..count of stmt, as static text
//  (they must outlive the statement's use). Returns stmt; NULL stays NULL,
//  so a failed sv_db_stmt passes through.
sqlite3_stmt *
    sv_db_bind_texts (sqlite3_stmt *stmt, const char *const *texts, int count);

//  The text of column in the current row of stmt, "" for NULL. Borrowed
//  until the statement steps again.
const char *
    sv_db_text (sqlite3_stmt *stmt, int column);

//  Steps stmt to completion (no rows expected) and resets it. 0 or -1.
int
    sv_db_run (sv_db_t *self, sqlite3_stmt *stmt);

//  Runs a query with no parameters whose first column of the first row is
//  an integer; returns fallback when there is no row or on error.
int64_t
    sv_db_int (sv_db_t *self, const char *sql, int64_t fallback);

//  The last error message from SQLite, borrowed; while sv_db_full, what
//  sv_db_full_reason says instead, so that every log of a failed write
//  names the full disk and its folder.
const char *
    sv_db_error (sv_db_t *self);

//  --------------------------------------------------------------------------
//  A full disk. SQLite says SQLITE_FULL when a write finds no room, and an
//  I/O error when growing its shared-memory file does; the store tells
//  both apart from other failures, so that a service can say "disk full"
//  and where, rather than "could not store".

//  True when the store's last failure was for want of disk space
//  (SQLITE_FULL, or an I/O error whose system error is ENOSPC or EDQUOT),
//  and no transaction has committed since. A failure is seen by the calls
//  here (run, exec, begin, commit), and by rollback for one a caller
//  stepped itself: ask before any other statement runs.
bool
    sv_db_full (sv_db_t *self);

//  "disk full: FOLDER has N.N MB free", FOLDER the store file's folder
//  and the free space what statvfs reports now; caller frees. For a store
//  with no file, "disk full" alone.
char *
    sv_db_full_reason (sv_db_t *self);

//  Copies the whole write-ahead log into the database and truncates it to
//  nothing, giving its space back (SQLITE_CHECKPOINT_TRUNCATE): after a
//  large transaction was rolled back, the log keeps the length it grew
//  to. The database grows first by the pages the log holds that it has
//  not taken yet, so on a disk with no room for them this fails until
//  there is. Call it with no transaction open. Waits only briefly for
//  readers of the log and for the checkpoint thread. 0 when the log is
//  now empty; -1 when a reader still held it or the copy found no room:
//  try again later.
int
    sv_db_truncate_log (sv_db_t *self);

//  Removes the store file at path and its -wal and -shm companions (for
//  tests and tools; never on a store that is open). 0, or -1 when the main
//  file could not be removed.
int
    sv_db_remove_files (const char *path);

//  Self-test.
void
    sv_db_test (bool verbose);

#endif
