/*  bench_stream: durable stream throughput against a single-store insert.

    The reference is SQLite alone: one store (WAL, synchronous FULL) taking
    EVENTS rows of the stream's shape in one transaction. The stream run
    moves the same rows from a producer process, which commits them to its
    outbox in transactions of PRODUCER_TX events, to a consumer process,
    which applies each batch as the stream forms it and commits it with its
    offset. The time runs from the producer's first commit starting to the
    consumer's last commit ending. Both are measured in the same run; the
    ratio is what matters, not the absolute figures.

    Usage: bench_stream [EVENTS]          (default 200,000)
*/

#include <czmq.h>
#include <sys/wait.h>
#include "sv_config.h"
#include "sv_db.h"
#include "sv_stream.h"
#include "testkit.h"

#define PRODUCER_TX 5000
#define BODY_SIZE 160           //  about a normalised spend event

static const char *s_producer_schema [] = { SV_STREAM_OUTBOX_SQL, NULL };
static const char *s_consumer_schema [] = {
    SV_STREAM_OFFSETS_SQL
    "CREATE TABLE received (seq INTEGER PRIMARY KEY, type TEXT NOT NULL,"
    " key TEXT NOT NULL, body BLOB NOT NULL);",
    NULL
};

static void
s_body (int64_t seq, uint8_t *body)
{
    for (int i = 0; i < BODY_SIZE; i++)
        body [i] = (uint8_t) ('a' + (seq + i) % 26);
}

//  The reference: the same rows into one store, one transaction.
static double
s_reference_seconds (const char *dir, int64_t events)
{
    char *path = zsys_sprintf ("%s/reference.db", dir);
    sv_db_t *db = sv_db_new (path, s_consumer_schema, NULL);
    assert (db);
    uint8_t body [BODY_SIZE];
    int64_t started = testkit_now_us ();
    assert (sv_db_begin (db) == 0);
    for (int64_t seq = 1; seq <= events; seq++) {
        char key [32];
        snprintf (key, sizeof key, "spend-%" PRId64, seq);
        s_body (seq, body);
        sqlite3_stmt *stmt = sv_db_stmt (db,
            "INSERT INTO received (seq, type, key, body) VALUES (?1, ?2, ?3, ?4)");
        sqlite3_bind_int64 (stmt, 1, seq);
        sqlite3_bind_text (stmt, 2, "SPEND", -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob (stmt, 4, body, BODY_SIZE, SQLITE_STATIC);
        assert (sv_db_run (db, stmt) == 0);
    }
    assert (sv_db_commit (db) == 0);
    double seconds = (double) (testkit_now_us () - started) / 1e6;
    sv_db_destroy (&db);
    sv_db_remove_files (path);
    zstr_free (&path);
    return seconds;
}

//  The producer process: commits the events in PRODUCER_TX transactions,
//  one per loop turn so FETCHes are served in between, writes its start
//  time to fd, and serves until killed.
typedef struct {
    sv_db_t *db;
    sv_stream_producer_t *producer;
    int64_t next;
    int64_t events;
    int fd;
} s_producer_t;

static int
s_produce (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_producer_t *state = (s_producer_t *) arg;
    if (state->next > state->events)
        return 0;
    if (state->next == 1) {
        int64_t started = testkit_now_us ();
        assert (write (state->fd, &started, sizeof started) == sizeof started);
    }
    uint8_t body [BODY_SIZE];
    assert (sv_db_begin (state->db) == 0);
    for (int i = 0; i < PRODUCER_TX && state->next <= state->events; i++, state->next++) {
        char key [32];
        snprintf (key, sizeof key, "spend-%" PRId64, state->next);
        s_body (state->next, body);
        assert (sv_stream_append (state->db, "SPEND", key, body, BODY_SIZE) == state->next);
    }
    assert (sv_db_commit (state->db) == 0);
    sv_stream_producer_notify (state->producer);
    return 0;
}

static void
s_producer (const char *dir, const char *endpoint, int64_t events, int fd)
{
    char *path = zsys_sprintf ("%s/producer.db", dir);
    s_producer_t state = { .next = 1, .events = events, .fd = fd };
    state.db = sv_db_new (path, s_producer_schema, NULL);
    sv_config_t *config = sv_config_new ();
    state.producer = sv_stream_producer_new (path, "bench", endpoint, config);
    assert (state.db && state.producer);
    zloop_t *loop = zloop_new ();
    sv_stream_producer_attach (state.producer, loop);
    zclock_sleep (300);                 //  let the consumer connect
    zloop_timer (loop, 1, 0, s_produce, &state);
    zloop_start (loop);
    exit (0);
}

typedef struct {
    uint64_t target;
    uint64_t batches;
    sv_stream_consumer_t *consumer;
} s_consumer_t;

static int
s_apply (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) arg;
    sqlite3_stmt *stmt = sv_db_stmt (db,
        "INSERT INTO received (seq, type, key, body) VALUES (?1, ?2, ?3, ?4)");
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) event->seq);
    sqlite3_bind_text (stmt, 2, event->type, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, event->key, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 4, event->body, (int) event->body_size, SQLITE_STATIC);
    return sv_db_run (db, stmt);
}

static int
s_check_done (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_consumer_t *state = (s_consumer_t *) arg;
    return sv_stream_consumer_offset (state->consumer) >= state->target? -1: 0;
}

int
main (int argc, char *argv [])
{
    int64_t events = argc > 1? atoll (argv [1]): 200000;
    char *dir = zsys_sprintf ("/tmp/sv_bench_stream_%d", getpid ());
    zsys_dir_create ("%s", dir);
    char *endpoint = zsys_sprintf ("ipc://%s/stream.ipc", dir);

    double reference = s_reference_seconds (dir, events);

    int pipe_fds [2];
    assert (pipe (pipe_fds) == 0);
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0)
        s_producer (dir, endpoint, events, pipe_fds [1]);

    char *path = zsys_sprintf ("%s/consumer.db", dir);
    sv_db_t *db = sv_db_new (path, s_consumer_schema, NULL);
    sv_config_t *config = sv_config_new ();
    s_consumer_t state = { .target = (uint64_t) events };
    state.consumer = sv_stream_consumer_new (db, "bench", endpoint, config, s_apply, &state);
    zloop_t *loop = zloop_new ();
    sv_stream_consumer_attach (state.consumer, loop);
    zloop_timer (loop, 1, 0, s_check_done, &state);
    zloop_start (loop);
    int64_t finished = testkit_now_us ();
    int64_t started;
    assert (read (pipe_fds [0], &started, sizeof started) == sizeof started);
    kill (pid, SIGKILL);
    waitpid (pid, NULL, 0);
    double stream = (double) (finished - started) / 1e6;
    assert (sv_db_int (db, "SELECT count(*) FROM received", -1) == events);

    printf ("%-44s %14s %14s %8s\n", "benchmark", "measured", "reference", "ratio");
    printf ("%-44s %10.0f ev/s %10.0f ev/s %7.2fx\n",
            "stream: producer commit -> consumer commit",
            events / stream, events / reference, stream / reference);
    printf ("  (%" PRId64 " events of %d bytes; reference = sqlite3, one store, one transaction;\n"
            "   ratio = stream time / reference time, target <= 2.00)\n",
            events, BODY_SIZE);
    //  The line tools/bench_table.sh reads
    printf ("BENCH|stream: producer commit -> consumer commit, %" PRId64 " events of %d bytes"
            " vs sqlite3, one store, one transaction|%.0f|ev/s|%.0f|rows/s|%.2f|<= 2|%s\n",
            events, BODY_SIZE, events / stream, events / reference, stream / reference,
            stream / reference <= 2? "yes": "no");

    sv_stream_consumer_destroy (&state.consumer);
    zloop_destroy (&loop);
    sv_db_destroy (&db);
    sv_config_destroy (&config);
    sv_db_remove_files (path);
    char *producer_path = zsys_sprintf ("%s/producer.db", dir);
    sv_db_remove_files (producer_path);
    char *socket_path = zsys_sprintf ("%s/stream.ipc", dir);
    unlink (socket_path);
    zsys_dir_delete ("%s", dir);
    zstr_free (&socket_path);
    zstr_free (&producer_path);
    zstr_free (&path);
    zstr_free (&endpoint);
    zstr_free (&dir);
    return 0;
}
