/*  test_stream_kill: a durable stream survives SIGKILL on either side.

    The harness starts a producer process and a consumer process talking over
    tcp on loopback. The producer commits 100,000 events in transactions of
    random size (1 to 200 events, every 10 ms) at a steady pace; the consumer applies them
    to its own table. Meanwhile the harness SIGKILLs one side or the other at
    random moments, at least ten times each, restarting it every time. When
    the consumer has caught up it exits by itself, and the harness checks its
    table holds exactly the producer's events, each once, in order.

    Usage: test_stream_kill [EVENTS [KILLS_PER_SIDE]]     the harness
           test_stream_kill producer|consumer DIR ENDPOINT EVENTS
    SOCVAL_TEST_SEED=N repeats a run's kill schedule.
*/

#include <czmq.h>
#include <sys/wait.h>
#include "sv_config.h"
#include "sv_db.h"
#include "sv_stream.h"

static const char *s_consumer_schema [] = {
    SV_STREAM_OFFSETS_SQL
    //  n counts applications: with no gaps and n = seq, every event was
    //  applied once and in order
    "CREATE TABLE received (n INTEGER PRIMARY KEY, seq INTEGER NOT NULL UNIQUE,"
    " key TEXT NOT NULL, body BLOB NOT NULL);",
    NULL
};
static const char *s_producer_schema [] = { SV_STREAM_OUTBOX_SQL, NULL };

//  ==========================================================================
//  The two peers

typedef struct {
    sv_db_t *db;
    sv_stream_producer_t *producer;
    sv_stream_consumer_t *consumer;
    int64_t total;
    int64_t head;
} s_peer_t;

static int
s_produce (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_peer_t *peer = (s_peer_t *) arg;
    if (peer->head >= peer->total)
        return 0;
    int64_t count = 1 + randof (200);
    if (count > peer->total - peer->head)
        count = peer->total - peer->head;
    assert (sv_db_begin (peer->db) == 0);
    for (int64_t i = 0; i < count; i++) {
        char key [32];
        snprintf (key, sizeof key, "event-%" PRId64, peer->head + i + 1);
        int64_t seq = sv_stream_append (peer->db, "TEST", key, (const uint8_t *) key, strlen (key));
        assert (seq == peer->head + i + 1);
    }
    assert (sv_db_commit (peer->db) == 0);
    peer->head += count;
    sv_stream_producer_notify (peer->producer);
    return 0;
}

static int
s_apply (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) arg;
    sqlite3_stmt *stmt = sv_db_stmt (db, "INSERT INTO received (seq, key, body) VALUES (?1, ?2, ?3)");
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) event->seq);
    sqlite3_bind_text (stmt, 2, event->key, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 3, event->body, (int) event->body_size, SQLITE_STATIC);
    return sv_db_run (db, stmt);
}

static int
s_check_done (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_peer_t *peer = (s_peer_t *) arg;
    return sv_stream_consumer_offset (peer->consumer) >= (uint64_t) peer->total? -1: 0;
}

static int
s_run_peer (const char *role, const char *dir, const char *endpoint, int64_t total)
{
    char *config_path = zsys_sprintf ("%s/test.cfg", dir);
    sv_config_t *config = sv_config_load (config_path, NULL);
    assert (config);
    s_peer_t peer = { .total = total };
    zloop_t *loop = zloop_new ();
    srandom ((unsigned) getpid ());
    char *db_path = zsys_sprintf ("%s/%s.db", dir, role);
    if (streq (role, "producer")) {
        peer.db = sv_db_new (db_path, s_producer_schema, NULL);
        assert (peer.db);
        peer.head = sv_db_int (peer.db, "SELECT coalesce(max(seq), 0) FROM outbox", -1);
        //  The port may still be held for a moment by the process just killed
        for (int attempt = 0; !peer.producer && attempt < 100; attempt++) {
            peer.producer = sv_stream_producer_new (db_path, "test", endpoint, config);
            if (!peer.producer)
                zclock_sleep (50);
        }
        assert (peer.producer);
        sv_stream_producer_attach (peer.producer, loop);
        zloop_timer (loop, 10, 0, s_produce, &peer);
    }
    else {
        peer.db = sv_db_new (db_path, s_consumer_schema, NULL);
        assert (peer.db);
        peer.consumer = sv_stream_consumer_new (peer.db, "test", endpoint, config, s_apply, NULL);
        assert (peer.consumer);
        sv_stream_consumer_attach (peer.consumer, loop);
        zloop_timer (loop, 20, 0, s_check_done, &peer);
    }
    zloop_start (loop);
    int rc = peer.consumer && sv_stream_consumer_offset (peer.consumer) == (uint64_t) total? 0: 1;
    sv_stream_consumer_destroy (&peer.consumer);
    sv_stream_producer_destroy (&peer.producer);
    zloop_destroy (&loop);
    sv_db_destroy (&peer.db);
    sv_config_destroy (&config);
    zstr_free (&db_path);
    zstr_free (&config_path);
    return rc;
}

//  ==========================================================================
//  The harness

static char s_self [PATH_MAX];  //  this program, to start the peers with

static pid_t
s_spawn (const char *role, const char *dir, const char *endpoint, const char *events)
{
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        execl (s_self, s_self, role, dir, endpoint, events, (char *) NULL);
        _exit (127);
    }
    return pid;
}

//  A free loopback port: bind to an ephemeral one and let it go.
static int
s_free_port (void)
{
    zsock_t *probe = zsock_new (ZMQ_ROUTER);
    int port = zsock_bind (probe, "tcp://127.0.0.1:*");
    zsock_destroy (&probe);
    return port;
}

static int
s_fail (const char *what)
{
    printf ("FAIL durable stream under SIGKILL: %s\n", what);
    printf ("0 passed, 1 failed\n");
    return 1;
}

int
main (int argc, char *argv [])
{
    if (argc == 5)
        return s_run_peer (argv [1], argv [2], argv [3], atoll (argv [4]));

    //  argv [0], not /proc/self/exe, so valgrind can follow the peers too
    assert (realpath (argv [0], s_self));
    int64_t total = argc > 1? atoll (argv [1]): 100000;
    int kills_each = argc > 2? atoi (argv [2]): 10;
    unsigned seed = getenv ("SOCVAL_TEST_SEED")? (unsigned) atoi (getenv ("SOCVAL_TEST_SEED"))
                                              : (unsigned) time (NULL);
    srandom (seed);
    char *dir = zsys_sprintf ("/tmp/sv_stream_kill_%d", getpid ());
    zsys_dir_create ("%s", dir);
    char *endpoint = zsys_sprintf ("tcp://127.0.0.1:%d", s_free_port ());
    char *events = zsys_sprintf ("%" PRId64, total);

    //  Short heartbeats and timeouts so a killed producer is noticed quickly
    sv_config_t *config = sv_config_new ();
    sv_config_set (config, "stream/heartbeat_ms", "100");
    sv_config_set (config, "stream/timeout_ms", "600");
    sv_config_set (config, "stream/batch_max", "1000");
    char *config_path = zsys_sprintf ("%s/test.cfg", dir);
    assert (sv_config_save (config, config_path) == 0);
    sv_config_destroy (&config);
    printf ("stream kill test: %" PRId64 " events, %d kills each side, seed %u\n",
            total, kills_each, seed);

    const char *roles [2] = { "producer", "consumer" };
    pid_t pids [2];
    for (int side = 0; side < 2; side++)
        pids [side] = s_spawn (roles [side], dir, endpoint, events);

    //  Kill one side at random moments, each side kills_each times at least
    int kills [2] = { 0, 0 };
    int status = -1;            //  the consumer's, once it has left by itself
    int64_t started = zclock_mono ();
    while (kills [0] < kills_each || kills [1] < kills_each) {
        zclock_sleep (50 + randof (400));
        if (waitpid (pids [1], &status, WNOHANG) == pids [1])
            break;              //  the consumer finished before we were done
        int side = randof (2);
        if (kills [side] >= kills_each)
            side = 1 - side;
        kill (pids [side], SIGKILL);
        waitpid (pids [side], NULL, 0);
        kills [side]++;
        pids [side] = s_spawn (roles [side], dir, endpoint, events);
    }
    printf ("killed the producer %d times and the consumer %d times in %" PRId64 " ms\n",
            kills [0], kills [1], zclock_mono () - started);

    //  Then wait for the consumer to catch up and leave by itself
    int64_t deadline = zclock_mono () + 120000;
    while (status == -1 && zclock_mono () < deadline) {
        if (waitpid (pids [1], &status, WNOHANG) != pids [1]) {
            status = -1;
            zclock_sleep (50);
        }
    }
    if (status == -1) {
        kill (pids [1], SIGKILL);
        waitpid (pids [1], NULL, 0);
    }
    kill (pids [0], SIGKILL);
    waitpid (pids [0], NULL, 0);
    printf ("consumer caught up %" PRId64 " ms after starting\n", zclock_mono () - started);

    char *producer_path = zsys_sprintf ("%s/producer.db", dir);
    char *consumer_path = zsys_sprintf ("%s/consumer.db", dir);
    sv_db_t *producer = sv_db_new (producer_path, s_producer_schema, NULL);
    sv_db_t *consumer = sv_db_new (consumer_path, s_consumer_schema, NULL);
    assert (producer && consumer);
    int64_t produced = sv_db_int (producer, "SELECT count(*) FROM outbox", -1);
    int64_t received = sv_db_int (consumer, "SELECT count(*) FROM received", -1);
    int64_t in_order = sv_db_int (consumer, "SELECT count(*) FROM received"
                                  " WHERE n = seq AND key = 'event-' || seq"
                                  " AND body = CAST(key AS BLOB)", -1);
    int64_t offset = sv_db_int (consumer, "SELECT seq FROM offsets WHERE stream = 'test'", -1);
    sv_db_destroy (&producer);
    sv_db_destroy (&consumer);
    sv_db_remove_files (producer_path);
    sv_db_remove_files (consumer_path);
    unlink (config_path);
    zsys_dir_delete ("%s", dir);
    printf ("producer committed %" PRId64 ", consumer holds %" PRId64
            " (%" PRId64 " once and in order), offset %" PRId64 "\n",
            produced, received, in_order, offset);

    int rc = 0;
    if (status == -1)
        rc = s_fail ("the consumer did not catch up within two minutes");
    else
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        rc = s_fail ("the consumer ended badly (see its output above)");
    else
    if (kills [0] < kills_each || kills [1] < kills_each)
        rc = s_fail ("the stream finished before every kill was made; slow the producer");
    else
    if (produced != total || received != total || in_order != total || offset != total)
        rc = s_fail ("the consumer's table differs from the producer's events");
    else
        printf ("1 passed, 0 failed\n");
    zstr_free (&producer_path);
    zstr_free (&consumer_path);
    zstr_free (&config_path);
    zstr_free (&events);
    zstr_free (&endpoint);
    zstr_free (&dir);
    return rc;
}
