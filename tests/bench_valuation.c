/*  bench_valuation: valuation against the bare stream it reads.

    Fills an ingest-shaped outbox as ingest writes it: SPEND events, a PAYEE
    for each supplier the first time its payments come, and DELIVERY events,
    and serves it from a producer process. The reference is a bare consumer
    process applying every event into one table with its offset, batch by
    batch, as every consumer does; then socval-valuation consumes the same
    stream from the start: it asks for the types it applies (payees,
    deliveries, contracts...), places each payee and values each delivery
    against a framework, and never reads a payment. Both are timed from
    start to the offset reaching the head, in the same run; the ratio says
    whether valuation is ever the bottleneck (target: <= 1, the stream's
    rate). Also reports valuation's peak resident memory, the CPU time it
    used (steadier than the wall clock when others share the machine), and
    the size of its store, which does not grow with the payments.

    Usage: bench_valuation [SPEND [DELIVERIES]]   (default 1,000,000 and 100,000)
*/

#include <czmq.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "sv_config.h"
#include "sv_db.h"
#include "sv_stream.h"
#include "testkit.h"

static const char *s_outbox_schema [] = { SV_STREAM_OUTBOX_SQL, NULL };
static const char *s_consumer_schema [] = {
    SV_STREAM_OFFSETS_SQL
    "CREATE TABLE received (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);",
    NULL
};

static void
s_append (sv_db_t *db, const char *key, const sv_proto_t *event)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (event, &buffer) == 0);
    assert (sv_stream_append (db, sv_proto_name (event->id), key,
                              (const uint8_t *) buffer.data, buffer.size) > 0);
    msgpack_sbuffer_destroy (&buffer);
}

//  The stream valuation will read: suppliers, a contract, then payments
//  and delivery returns interleaved
static int64_t
s_fill (const char *path, int64_t spend, int64_t deliveries)
{
    sv_db_t *db = sv_db_new (path, s_outbox_schema, NULL);
    assert (db && sv_db_begin (db) == 0);
    const char *postcodes [] = { "S60 2TD", "M1 1AA", "S63 7BQ", "" };
    for (int supplier = 0; supplier < 100; supplier++) {
        char key [32];
        snprintf (key, sizeof key, "ID:S%d", supplier);
        sv_proto_t event = { .id = SV_PROTO_SUPPLIER };
        event.supplier.partner = "council";
        event.supplier.supplier_key = key;
        event.supplier.postcode = (char *) postcodes [supplier % 4];
        event.supplier.sme = supplier % 3 == 0;
        s_append (db, key, &event);
    }
    sv_proto_t contract = { .id = SV_PROTO_CONTRACT };
    contract.contract.partner = "council";
    contract.contract.contract_id = "C-001";
    contract.contract.supplier_key = "ID:S0";
    contract.contract.start_date = "2024-06-01";
    s_append (db, "council/C-001", &contract);
    int64_t total = spend + deliveries, delivered = 0;
    for (int64_t index = 0; index < total; index++) {
        char key [64], transaction [32], supplier [16], period_start [16], period_end [16];
        bool delivery = delivered < deliveries && index % (total / deliveries) == 0;
        if (delivery) {
            int month = (int) (delivered % 12);
            snprintf (period_start, sizeof period_start, "2024-%02d-01", month + 1);
            snprintf (period_end, sizeof period_end, "2024-%02d-28", month + 1);
            snprintf (key, sizeof key, "council/C-001/JOB-0%d/%" PRId64, 1 + (int) (delivered % 2),
                      delivered);
            sv_proto_t event = { .id = SV_PROTO_DELIVERY };
            event.delivery.partner = "council";
            event.delivery.contract_id = "C-001";
            event.delivery.measure = delivered % 2? "JOB-03": "JOB-01";
            event.delivery.period_start = period_start;
            event.delivery.period_end = period_end;
            event.delivery.quantity_milli = 1000 + delivered % 5000;
            event.delivery.evidence = "claimed";
            s_append (db, key, &event);
            delivered++;
        }
        else {
            snprintf (transaction, sizeof transaction, "T%" PRId64, index);
            snprintf (supplier, sizeof supplier, "ID:S%d", (int) (index % 100));
            if (index < 200) {
                sv_proto_t payee = { .id = SV_PROTO_PAYEE };
                payee.payee.partner = "council";
                payee.payee.supplier_key = supplier;
                payee.payee.postcode = "";
                payee.payee.supplier_name = "Supplier Ltd";
                snprintf (key, sizeof key, "council/%s/", supplier);
                s_append (db, key, &payee);
            }
            snprintf (key, sizeof key, "council/%s/1", transaction);
            sv_proto_t event = { .id = SV_PROTO_SPEND };
            event.spend.partner = "council";
            event.spend.transaction_no = transaction;
            event.spend.line = 1;
            event.spend.payment_date = "2024-07-01";
            event.spend.amount_pence = 50000 + index % 100000;
            event.spend.supplier_key = supplier;
            s_append (db, key, &event);
        }
    }
    assert (sv_db_commit (db) == 0);
    int64_t head = sv_db_int (db, "SELECT max(seq) FROM outbox", -1);
    sv_db_destroy (&db);
    return head;
}

static pid_t
s_serve (const char *path, const char *endpoint)
{
    pid_t pid = fork ();
    if (pid == 0) {
        sv_config_t *config = sv_config_new ();
        sv_stream_producer_t *producer = sv_stream_producer_new (path, "ingest", endpoint, config);
        assert (producer);
        zloop_t *loop = zloop_new ();
        sv_stream_producer_attach (producer, loop);
        zloop_start (loop);
        _exit (0);
    }
    return pid;
}

typedef struct {
    sv_stream_consumer_t *consumer;
    uint64_t head;
} s_bare_t;

static int
s_bare_apply (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) arg;
    sqlite3_stmt *stmt = sv_db_stmt (db, "INSERT INTO received (seq, body) VALUES (?1, ?2)");
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) event->seq);
    sqlite3_bind_blob (stmt, 2, event->body, (int) event->body_size, SQLITE_STATIC);
    return sv_db_run (db, stmt);
}

static int
s_bare_done (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_bare_t *bare = (s_bare_t *) arg;
    return sv_stream_consumer_offset (bare->consumer) >= bare->head? -1: 0;
}

//  The reference: a consumer that only stores what it fetches. Seconds.
static double
s_bare_seconds (const char *dir, const char *endpoint, uint64_t head)
{
    char *path = zsys_sprintf ("%s/bare.db", dir);
    sv_db_t *db = sv_db_new (path, s_consumer_schema, NULL);
    sv_config_t *config = sv_config_new ();
    s_bare_t bare = { .head = head };
    int64_t started = testkit_now_us ();
    bare.consumer = sv_stream_consumer_new (db, "ingest", endpoint, config, s_bare_apply, NULL);
    zloop_t *loop = zloop_new ();
    sv_stream_consumer_attach (bare.consumer, loop);
    zloop_timer (loop, 1, 0, s_bare_done, &bare);
    zloop_start (loop);
    double seconds = (double) (testkit_now_us () - started) / 1e6;
    sv_stream_consumer_destroy (&bare.consumer);
    zloop_destroy (&loop);
    sv_config_destroy (&config);
    sv_db_destroy (&db);
    sv_db_remove_files (path);
    zstr_free (&path);
    return seconds;
}

//  valuation's offset in the ingest stream, or -1
static int64_t
s_valuation_offset (const char *endpoint)
{
    sv_proto_t reply = { .id = 0 };
    int64_t offset = -1;
    if (testkit_status (endpoint, 2000, &reply) == 0 && reply.status_reply.consumers_count)
        offset = (int64_t) reply.status_reply.consumers [0].offset;
    sv_proto_reset (&reply);
    return offset;
}

int
main (int argc, char *argv [])
{
    int64_t spend = argc > 1? atoll (argv [1]): 1000000;
    int64_t deliveries = argc > 2? atoll (argv [2]): 100000;
    char *dir = zsys_sprintf ("/tmp/sv_bench_valuation_%d", getpid ());
    zsys_dir_create ("%s", dir);
    char *ingest_path = zsys_sprintf ("%s/ingest.db", dir);
    int64_t head = s_fill (ingest_path, spend, deliveries);
    const char *endpoint = "tcp://127.0.0.1:19711";
    pid_t producer = s_serve (ingest_path, endpoint);

    double bare = s_bare_seconds (dir, endpoint, (uint64_t) head);

    //  valuation, from a store of its own, with a framework it prices by
    char *framework = zsys_sprintf ("%s/fw.csv", dir);
    FILE *file = fopen (framework, "w");
    fprintf (file, "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
                   "bench-fw,1,JOB-01,Jobs,Jobs,Local FTE,FTE,2024-25,25750.00\n"
                   "bench-fw,1,JOB-03,Jobs,Skills,Apprenticeship weeks,weeks,2024-25,245.00\n");
    fclose (file);
    char *config_path = zsys_sprintf ("%s/socval.cfg", dir);
    file = fopen (config_path, "w");
    fprintf (file, "data\n    dir = \"%s\"\n"
                   "partners\n    council\n        framework = \"bench-fw\"\n"
                   "        local_districts = \"S60-S66\"\n"
                   "ingest\n    stream_endpoint = \"%s\"\n"
                   "valuation\n    frameworks = \"%s\"\n"
                   "    stream_endpoint = \"tcp://127.0.0.1:19721\"\n"
                   "    control_endpoint = \"tcp://127.0.0.1:19722\"\n",
             dir, endpoint, framework);
    fclose (file);
    int64_t started = testkit_now_us ();
    pid_t valuation = fork ();
    if (valuation == 0) {
        int null = open ("/dev/null", O_WRONLY);
        dup2 (null, STDOUT_FILENO);
        execl ("build/socval-valuation", "socval-valuation", "--config", config_path, (char *) NULL);
        _exit (127);
    }
    while (s_valuation_offset ("tcp://127.0.0.1:19722") < head)
        zclock_sleep (20);
    double valued = (double) (testkit_now_us () - started) / 1e6;
    long peak = testkit_peak_kb (valuation);
    double cpu = testkit_cpu_seconds (valuation);
    kill (valuation, SIGTERM);
    waitpid (valuation, NULL, 0);
    kill (producer, SIGKILL);
    waitpid (producer, NULL, 0);

    char *store = zsys_sprintf ("%s/valuation.db", dir);
    struct stat info;
    double store_mb = stat (store, &info) == 0? (double) info.st_size / 1e6: -1;
    zstr_free (&store);
    printf ("%-44s %14s %14s %8s\n", "benchmark", "measured", "reference", "ratio");
    printf ("%-44s %9.0f ev/s %9.0f ev/s %7.2fx\n",
            "valuation: the ingest stream", head / valued, head / bare, valued / bare);
    printf ("  (%" PRId64 " payments, their payees and %" PRId64 " delivery returns; reference ="
            " a bare consumer\n   of the same stream storing each event with its offset; ratio ="
            " valuation time / bare time, target <= 1.00)\n", spend, deliveries);
    printf ("%-44s %10ld kB\n", "valuation: peak resident memory", peak);
    //  Steadier than the wall clock on a shared machine
    printf ("%-44s %10.2f s\n", "valuation: CPU time, user + system", cpu);
    printf ("%-44s %10.1f MB\n", "valuation: its store after the stream", store_mb);
    //  The lines tools/bench_table.sh reads
    printf ("BENCH|valuation: %" PRId64 " payments (and their payees) and %" PRId64 " delivery"
            " returns from the ingest stream vs a bare consumer of the same stream (valuation's"
            " store after it, the returns and their lines: %.1f MB)|%.0f|ev/s|%.0f|ev/s|%.2f"
            "|<= 1|%s\n", spend, deliveries, store_mb,
            head / valued, head / bare, valued / bare, valued / bare <= 1? "yes": "no");
    printf ("PEAK|valuation|%.1f\n", peak / 1024.0);

    char *command = zsys_sprintf ("rm -rf '%s'", dir);
    assert (system (command) == 0);
    zstr_free (&command);
    zstr_free (&config_path);
    zstr_free (&framework);
    zstr_free (&ingest_path);
    zstr_free (&dir);
    return 0;
}
