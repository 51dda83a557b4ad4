/*  test_fault: the whole stack under `socval up`, its services SIGKILLed at
    random moments during a 200,000-row spend ingest (issue 7).

    The same feeds go twice through `socval up --no-examples`, each run in
    a folder of its own with ipc endpoints and its clocks read from files.
    The first run is left alone. In the second, the spend file with a last
    line that opens a quote it never closes is sent first, ingest SIGKILLed
    under it, and it is sent again whole and refused: it must add nothing.
    Then, while the spend file is
    submitted and streams through valuation, compliance and reporting, a
    killer SIGKILLs the services at random moments until each of the four
    has been killed at least 5 times, and `socval up` starts each again
    after its backoff (0.5 s doubling to 8 s by the fifth kill). Ingest is
    killed part way through attempts to send the file, the others while a
    stream they follow holds events they have not applied (read from their
    stores, never asked, so the kill can land inside a transaction).
    Whenever ingest dies under the spend file, the file is sent again under
    the same batch id until a receipt comes back. The annual report of the
    second run must then be byte-identical to the first's, stream offsets
    included (DESIGN: a SIGKILL at any moment ends in exactly the state of
    a run without one), and both must hold the figures the feeds imply, so
    that two empty reports cannot pass. The last line is "N passed, N
    failed".

    Usage: test_fault      (run from the repository root)
    SOCVAL_TEST_SEED=N repeats a run's kill schedule.
*/

#include <czmq.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include "sv_date.h"
#include "sv_money.h"
#include "testkit.h"

//  The spend file's rows and the kills each service gets, by default; a
//  soak (make soak) asks for more on the command line
#define S_SPEND_ROWS 200000
#define S_KILLS_EACH 5
#define S_BUSY_KILLS 3          //  of reporting's, with work in hand
static int64_t s_spend_rows = S_SPEND_ROWS;
static int s_kills_each = S_KILLS_EACH;
#define S_SERVICES 4
static const char *const s_services [S_SERVICES] = {
    "ingest", "valuation", "compliance", "reporting"
};

//  The sums of the generated spend file, all in 2025-26, in pence
typedef struct {
    int64_t total;
    int64_t local;              //  supplier S1, postcode S60 2TD: local and an SME
    int64_t non_local;          //  supplier S2, M1 1AA
    int64_t unknown;            //  supplier S3, of whom nothing is known
} s_spend_t;

//  One run of the stack
typedef struct {
    const char *name;
    char *dir;                  //  absolute: the config names files inside it
    pid_t up;                   //  `socval up`
    int kills [S_SERVICES];
    int busy_kills [S_SERVICES];    //  of those, kills that struck it with work in hand
    int attempts;               //  times the spend file was sent
    json_t *receipt;            //  the spend file's last receipt, or NULL
} s_run_t;

static char *s_root;            //  holds the spend file and the runs' folders
static char *s_repo;            //  the repository root, absolute

//  ==========================================================================
//  Files and commands

static void
s_write (s_run_t *run, const char *name, const char *text)
{
    char *path = zsys_sprintf ("%s/%s", run->dir, name);
    FILE *file = fopen (path, "w");
    assert (file && fputs (text, file) >= 0);
    fclose (file);
    zstr_free (&path);
}

//  Runs `socval` against the run's config; its errors go to the run's log
static int
s_socval (s_run_t *run, char **output, const char *format, ...)
{
    va_list argptr;
    va_start (argptr, format);
    char *args = zsys_vprintf (format, argptr);
    va_end (argptr);
    int rc = testkit_run (output, "build/socval --config %s/socval.cfg %s 2>>%s/socval.log",
                          run->dir, args, run->dir);
    zstr_free (&args);
    return rc;
}

static int
s_submit (s_run_t *run, const char *kind, const char *file)
{
    return s_socval (run, NULL, "submit --kind %s --key %s/keys/council.cert %s/%s >/dev/null",
                     kind, run->dir, run->dir, file);
}

//  Prints the end of the run's logs, for a check that failed
static void
s_show_logs (s_run_t *run)
{
    char *tail = NULL;
    testkit_run (&tail, "tail -n 25 %s/up.log %s/socval.log 2>&1", run->dir, run->dir);
    printf ("     (the end of the %s run's logs:\n%s)\n", run->name, tail? tail: "");
    zstr_free (&tail);
}

static int64_t
s_int (json_t *object, const char *path)
{
    //  A dotted path: "spend.total_pence"
    char *copy = strdup (path);
    json_t *node = object;
    for (char *key = strtok (copy, "."); key && node; key = strtok (NULL, "."))
        node = json_object_get (node, key);
    free (copy);
    return json_is_integer (node)? (int64_t) json_integer_value (node): -1;
}

//  ==========================================================================
//  The feeds

//  The spend file: s_spend_rows payments over 2025-26 in a council's
//  "spend over £500" layout, the same bytes on every run (its generator
//  has a fixed seed). Every eighth row is a second line of the transaction
//  before it, so lines are numbered by occurrence; amounts come plain,
//  as "£1,234.56", and as credit notes "-£1,234.56".
static s_spend_t
s_write_spend (const char *path)
{
    s_spend_t sums = { 0 };
    FILE *file = fopen (path, "w");
    assert (file);
    fprintf (file, "Body Name,Payment Date,Transaction Number,Amount,Supplier Name,"
                   "Supplier ID,Expense Type\n");
    const char *suppliers [3][2] = {
        { "Rotherham Cleaning Co-operative", "S1" },
        { "Far Away Ltd", "S2" },
        { "Nobody Known", "S3" }
    };
    int32_t first_day = sv_date_from_ymd (2025, 4, 1);
    uint64_t state = 0x9e3779b97f4a7c15;
    int transaction = 0;
    for (int row = 0; row < s_spend_rows; row++) {
        //  xorshift64: deterministic, and no floating point near money
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        int64_t pence = 50000 + (int64_t) (state % 5000000);
        if (row % 101 == 100)
            pence = -pence;
        if (row % 8 != 7)
            transaction++;
        int year, month, day;
        sv_date_to_ymd (first_day + (int32_t) ((row * 7919L) % 365), &year, &month, &day);
        int which = row % 10 < 5? 0: row % 10 < 8? 1: 2;
        char amount [SV_MONEY_BUF + 2];
        if (row % 3 == 1 || pence < 0) {
            char money [SV_MONEY_BUF];
            sv_money_format (pence, money, sizeof money);
            snprintf (amount, sizeof amount, "\"%s\"", money);
        }
        else
            sv_money_format_plain (pence, amount, sizeof amount);
        fprintf (file, "Rotherham MBC,%02d/%02d/%04d,FT%07d,%s,%s,%s,Cleaning services\n",
                 day, month, year, transaction, amount, suppliers [which][0],
                 suppliers [which][1]);
        sums.total += pence;
        if (which == 0)
            sums.local += pence;
        else
        if (which == 1)
            sums.non_local += pence;
        else
            sums.unknown += pence;
    }
    assert (fclose (file) == 0);
    return sums;
}

//  The run's folder: keys, config, clocks and the small feeds
static void
s_prepare (s_run_t *run)
{
    run->dir = zsys_sprintf ("%s/%s", s_root, run->name);
    zsys_dir_create ("%s/keys/partners", run->dir);
    assert (testkit_run (NULL, "build/socval keys new ingest --dir %s/keys >/dev/null",
                         run->dir) == 0);
    assert (testkit_run (NULL, "build/socval keys new council --dir %s/keys >/dev/null",
                         run->dir) == 0);
    char *cert_path = zsys_sprintf ("%s/keys/council.cert", run->dir);
    char *public_path = zsys_sprintf ("%s/keys/partners/council.cert", run->dir);
    zcert_t *cert = zcert_load (cert_path);
    assert (cert && zcert_save_public (cert, public_path) == 0);

    //  Clocks that stand still, so alert times and the report's created
    //  time are the same in both runs; no RLW rate pending on that day
    s_write (run, "today", "2026-04-15");
    s_write (run, "now", "2026-04-30T23:00:00Z");
    s_write (run, "rates.csv", "year,uk_pence,london_pence,announced,deadline\n"
                               "2025,1260,1385,2024-10-23,2025-05-01\n");
    char *config = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "partners\n    council\n        public_key = \"%s\"\n"
        "        local_districts = \"S60-S66\"\n"
        "socval\n    restart_max_ms = 2000\n"
        "ingest\n    feed_endpoint = \"ipc://%s/ingest-feed.ipc\"\n"
        "    stream_endpoint = \"ipc://%s/ingest-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/ingest-control.ipc\"\n"
        "valuation\n"
        "    frameworks = \"%s/deploy/frameworks/illustrative-rationalised-2024.csv\"\n"
        "    stream_endpoint = \"ipc://%s/valuation-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/valuation-control.ipc\"\n"
        "compliance\n    clock_file = \"%s/today\"\n    rlw_rates = \"%s/rates.csv\"\n"
        "    stream_endpoint = \"ipc://%s/compliance-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/compliance-control.ipc\"\n"
        "reporting\n    clock_file = \"%s/now\"\n"
        "    stream_endpoint = \"ipc://%s/reporting-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/reporting-control.ipc\"\n",
        run->dir, zcert_public_txt (cert), run->dir, run->dir, run->dir, s_repo,
        run->dir, run->dir, run->dir, run->dir, run->dir, run->dir, run->dir, run->dir,
        run->dir);
    s_write (run, "socval.cfg", config);
    zstr_free (&config);
    zcert_destroy (&cert);
    zstr_free (&cert_path);
    zstr_free (&public_path);

    //  A cleaning contract in RLW scope with no RLW commitment (one alert),
    //  and what it committed and delivered: valued at the 2025-26 proxies
    //  of illustrative-rationalised 2024. Returns go in before commitments
    //  and cover every quarter owed by 15 April 2026, so no shortfall or
    //  overdue alert ever opens, whatever batches compliance sees them in.
    s_write (run, "suppliers.csv",
        "Supplier Name,Supplier ID,Postcode,SME\n"
        "Rotherham Cleaning Co-operative,S1,s602td,yes\n"
        "Far Away Ltd,S2,M1 1AA,no\n");
    s_write (run, "contracts.csv",
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date,RLW Commitment\n"
        "C-001,Office cleaning,S1,Cleaning,250000.00,01/04/2025,31/03/2027,no\n"
        "C-002,Strategy advice,S2,Consultancy,40000.00,01/04/2025,31/03/2027,no\n");
    s_write (run, "deliveries.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-001,ILR-JOB-01,01/04/2025,31/03/2026,2,evidenced\n"      //  2 x 2,650,000p
        "C-001,ILR-JOB-03,01/07/2025,30/09/2025,12.5,claimed\n");   //  12.5 x 25,000p
    s_write (run, "commitments.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-001,ILR-JOB-01,2025-26,2.5\n"        //  2.5 x 2,650,000p = 6,625,000p
        "C-001,ILR-JOB-03,2025-26,20\n");       //  20 x 25,000p = 500,000p
    s_write (run, "spend.csv",
        "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID\n"
        "20/03/2025,T0,400.00,Rotherham Cleaning Co-operative,S1\n"         //  2024-25, local
        "15/05/2025,T1,\"£1,000.00\",Rotherham Cleaning Co-operative,S1\n"  //  local
        "16/05/2025,T2,500.00,Far Away Ltd,S2\n"                           //  non-local
        "17/06/2025,T3,250.00,Nobody Known,S3\n");                         //  unknown
}

//  ==========================================================================
//  The stack

static void
s_up_start (s_run_t *run)
{
    run->up = fork ();
    if (run->up == 0) {
        char *log = zsys_sprintf ("%s/up.log", run->dir);
        char *config = zsys_sprintf ("%s/socval.cfg", run->dir);
        int output = open (log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2 (output, STDOUT_FILENO);
        dup2 (output, STDERR_FILENO);
        //  --data too: up makes its data folder, ./var without it
        execl ("build/socval", "build/socval", "--data", run->dir, "--config", config,
               "up", "--no-examples", (char *) NULL);
        _exit (127);
    }
}

//  SIGTERM, as Ctrl-C would; up stops its services within 10 s
static void
s_up_stop (s_run_t *run)
{
    kill (run->up, SIGTERM);
    int64_t deadline = zclock_mono () + 20000;
    while (waitpid (run->up, NULL, WNOHANG) == 0) {
        if (zclock_mono () > deadline) {
            printf ("     (socval up did not stop within 20 s)\n");
            kill (run->up, SIGKILL);
            waitpid (run->up, NULL, 0);
            break;
        }
        zclock_sleep (50);
    }
}

//  The pids of the services up runs now, 0 for one that is down or waiting
//  out its backoff: up's children, named by the program they run (one
//  between fork and exec still runs socval, and is not counted)
static void
s_service_pids (s_run_t *run, pid_t *pids)
{
    for (int service = 0; service < S_SERVICES; service++)
        pids [service] = 0;
    char path [64];
    snprintf (path, sizeof path, "/proc/%d/task/%d/children", (int) run->up, (int) run->up);
    FILE *file = fopen (path, "r");
    int child;
    while (file && fscanf (file, "%d", &child) == 1) {
        snprintf (path, sizeof path, "/proc/%d/cmdline", child);
        FILE *cmdline = fopen (path, "r");
        char program [256] = "";
        if (cmdline && fgets (program, sizeof program, cmdline)) {
            //  argv [0] up to its nul
            const char *name = strrchr (program, '/');
            name = name? name + 1: program;
            for (int service = 0; service < S_SERVICES; service++)
                if (strncmp (name, "socval-", 7) == 0 && streq (name + 7, s_services [service]))
                    pids [service] = (pid_t) child;
        }
        if (cmdline)
            fclose (cmdline);
    }
    if (file)
        fclose (file);
}

//  Times up reported a service killed by SIGKILL, and ended otherwise
static int
s_log_count (s_run_t *run, const char *what)
{
    char *output = NULL;
    testkit_run (&output, "grep -c '%s' %s/up.log", what, run->dir);
    int count = output? atoi (output): -1;
    zstr_free (&output);
    return count;
}

//  Sends the spend file until a receipt comes back that took it, sending
//  it again under the same batch id whenever ingest did not answer (it
//  died under it) or refused it (a chunk of an attempt it lost arrived).
//  Gives up after 150 s. Sets run->receipt and run->attempts, and stores
//  when each attempt began in attempt_started (may be NULL).
static void
s_submit_spend (s_run_t *run, atomic_llong *attempt_started)
{
    int64_t deadline = zclock_mono () + 150000 + s_kills_each * 20000;
    while (!run->receipt && zclock_mono () < deadline) {
        run->attempts++;
        if (attempt_started)
            atomic_store (attempt_started, zclock_mono ());
        char *output = NULL;
        int rc = s_socval (run, &output, "--json --timeout 3 submit --kind spend"
                           " --batch spend-2025-26 --key %s/keys/council.cert %s/spend-2025-26.csv",
                           run->dir, s_root);
        json_t *receipt = rc == 0 && output? json_loads (output, 0, NULL): NULL;
        if (receipt && streq (json_string_value (json_object_get (receipt, "state")), "accepted"))
            run->receipt = receipt;
        else
            json_decref (receipt);
        zstr_free (&output);
    }
}

//  ==========================================================================
//  The killer

//  The streams each service follows, by index in s_services
static const bool s_follows [S_SERVICES][3] = {
    { false, false, false }, { true, false, false }, { true, false, false }, { true, true, true }
};

typedef struct {
    s_run_t *run;
    atomic_bool sending;        //  the spend file has no receipt yet
    atomic_llong attempt_started;   //  when the current attempt to send it began
    int64_t elapsed_ms;
} s_killer_t;

//  The first column of the first row sql gives in service's store, or -1.
//  Read from the file, not asked of the service: a STATUS before each kill
//  would place every kill just after the service answered, between two of
//  its transactions, never inside one.
static int64_t
s_store_int (s_run_t *run, int service, const char *sql)
{
    char *path = zsys_sprintf ("%s/%s.db", run->dir, s_services [service]);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int64_t value = -1;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
    &&  sqlite3_busy_timeout (db, 1000) == SQLITE_OK
    &&  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    zstr_free (&path);
    return value;
}

//  Whether a service other than ingest has work in hand, running or not:
//  a stream it follows holds events past what it has committed
static bool
s_busy (s_killer_t *self, int service)
{
    bool busy = false;
    for (int stream = 0; stream < 3 && !busy; stream++) {
        if (!s_follows [service][stream])
            continue;
        char *sql = zsys_sprintf ("SELECT coalesce (max (seq), 0) FROM offsets"
                                  " WHERE stream = '%s'", s_services [stream]);
        int64_t offset = s_store_int (self->run, service, sql);
        int64_t head = s_store_int (self->run, stream,
                                    "SELECT coalesce (max (seq), 0) FROM outbox");
        busy = offset >= 0 && head > offset;
        zstr_free (&sql);
    }
    return busy;
}

//  Kills at random moments until each service has had s_kills_each, or
//  100 s pass. Ingest is killed while an attempt to send the spend file is
//  under way, a random 50-300 ms into it (50-250 ms the first time, so
//  that the file is certainly sent again: it takes over half a second). The
//  others, 100-600 ms after the kill before: a random one of the running
//  services that have work in hand and the most kills left; when the whole
//  stack is idle, any running one with kills left. Reporting, until it has
//  been killed S_BUSY_KILLS times with work in hand, 50-150 ms after the
//  kill before whenever it has work.
static void *
s_killer (void *arg)
{
    s_killer_t *self = (s_killer_t *) arg;
    s_run_t *run = self->run;
    int64_t now = zclock_mono ();
    int64_t deadline = now + 100000 + s_kills_each * 20000, started = now;
    int64_t next_kill = now + 100 + randof (500);
    int64_t ingest_up = now;            //  when the running ingest was first seen
    int64_t ingest_killed = 0, last_kill = 0;
    int64_t ingest_delay = 50 + randof (200);
    pid_t ingest_pid = 0;
    //  A process killed may still be seen for a moment while it dies: it
    //  is never killed twice, so every kill counted is one up reports
    pid_t killed_pid [S_SERVICES] = { 0 };
    while (now < deadline) {
        bool done = true;
        for (int service = 0; service < S_SERVICES; service++)
            done = done && run->kills [service] >= s_kills_each;
        if (done)
            break;
        zclock_sleep (20);
        now = zclock_mono ();
        pid_t pids [S_SERVICES];
        s_service_pids (run, pids);
        for (int service = 0; service < S_SERVICES; service++)
            if (pids [service] == killed_pid [service])
                pids [service] = 0;
        if (pids [0] && pids [0] != ingest_pid) {
            ingest_pid = pids [0];
            ingest_up = now;
        }
        int64_t attempt = atomic_load (&self->attempt_started);
        bool sending = atomic_load (&self->sending);
        int victim = -1;
        bool busy = true;
        //  Reporting stores every payment, and catches up with 200,000 of
        //  them in well under a second: while it has work and fewer than
        //  S_BUSY_KILLS of its kills landed so, it is killed 50-150 ms on,
        //  not after the usual pause
        bool reporting_due = pids [3] && run->kills [3] < s_kills_each
                          && run->busy_kills [3] < S_BUSY_KILLS
                          && now - last_kill >= 50 + randof (100) && s_busy (self, 3);
        if (sending && pids [0] && run->kills [0] < s_kills_each && attempt > ingest_killed
        &&  now - (attempt > ingest_up? attempt: ingest_up) >= ingest_delay
        &&  now - last_kill >= 100)
            victim = 0;
        else
        if (reporting_due)
            victim = 3;
        else
        if (now < next_kill)
            continue;
        else {
            int busy_list [S_SERVICES], idle_list [S_SERVICES], busy_count = 0, idle_count = 0;
            bool stack_idle = !sending;
            for (int service = 1; service < S_SERVICES; service++) {
                bool has_work = s_busy (self, service);
                stack_idle = stack_idle && !has_work;
                if (!pids [service] || run->kills [service] >= s_kills_each)
                    continue;
                //  Of those with work, the ones with most kills left: a
                //  service that catches up quickly (compliance) has work
                //  only now and then
                if (has_work && busy_count
                &&  run->kills [service] < run->kills [busy_list [0]])
                    busy_count = 0;
                if (has_work && (!busy_count
                             ||  run->kills [service] == run->kills [busy_list [0]]))
                    busy_list [busy_count++] = service;
                else
                    idle_list [idle_count++] = service;
            }
            //  Ingest's kills left once the file is in are made while idle
            if (!sending && pids [0] && run->kills [0] < s_kills_each)
                idle_list [idle_count++] = 0;
            if (busy_count)
                victim = busy_list [randof (busy_count)];
            else
            if (stack_idle && idle_count) {
                victim = idle_list [randof (idle_count)];
                busy = false;
            }
        }
        if (victim >= 0 && kill (pids [victim], SIGKILL) == 0) {
            killed_pid [victim] = pids [victim];
            run->kills [victim]++;
            run->busy_kills [victim] += busy;
            last_kill = now;
            next_kill = now + 100 + randof (500);
            if (victim == 0) {
                ingest_killed = now;
                ingest_delay = 50 + randof (250);
            }
        }
    }
    self->elapsed_ms = zclock_mono () - started;
    return NULL;
}

//  ==========================================================================
//  A batch that will be refused, SIGKILLed under

//  Sends spend-broken.csv, the spend file with a last line that opens a
//  quote it never closes, SIGKILLs ingest once some of its rows are
//  committed, then sends it again whole: it is refused, and ingest's store
//  holds no more payments than before it. Counts the kill in run->kills.
//  On a busy machine the file can go in and be refused between two looks
//  at the store: it is then sent again, up to three times, until a kill
//  lands under it. Returns true when all that happened.
static bool
s_refused_under_kill (s_run_t *run)
{
    const char *rows_sql = "SELECT count(*) FROM records WHERE kind = 'SPEND'";
    int64_t before = s_store_int (run, 0, rows_sql);
    bool killed = false;
    int sends = 0;
    for (; sends < 3 && !killed; sends++) {
        char *command = zsys_sprintf ("%s/build/socval --config %s/socval.cfg --timeout 3 submit"
                                      " --kind spend --batch spend-broken --key %s/keys/council.cert"
                                      " %s/spend-broken.csv >/dev/null 2>>%s/socval.log",
                                      s_repo, run->dir, run->dir, s_root, run->dir);
        pid_t submitter = fork ();
        if (submitter == 0) {
            execl ("/bin/sh", "sh", "-c", command, (char *) NULL);
            _exit (127);
        }
        zstr_free (&command);
        //  Until some of its rows are in, or the submit has ended
        int64_t deadline = zclock_mono () + 30000;
        bool ended = false;
        while (zclock_mono () < deadline && !ended && s_store_int (run, 0, rows_sql) <= before) {
            ended = waitpid (submitter, NULL, WNOHANG) == submitter;
            if (!ended)
                zclock_sleep (2);
        }
        pid_t pids [S_SERVICES];
        s_service_pids (run, pids);
        killed = pids [0] > 0 && s_store_int (run, 0, rows_sql) > before
              && kill (pids [0], SIGKILL) == 0;
        if (killed)
            run->kills [0]++;
        if (!ended)
            waitpid (submitter, NULL, 0);
    }
    //  Sent again once ingest is back: refused whole, exit 1
    int rc = -1;
    for (int attempt = 0; attempt < 20 && rc != 1; attempt++)
        rc = s_socval (run, NULL, "--timeout 3 submit --kind spend --batch spend-broken"
                       " --key %s/keys/council.cert %s/spend-broken.csv >/dev/null",
                       run->dir, s_root);
    int64_t after = s_store_int (run, 0, rows_sql);
    printf ("     (ingest held %" PRId64 " payments before the broken file, %" PRId64
            " after it was killed under it and refused; sent %d time%s before a kill %s,"
            " and again: exit %d)\n", before, after, sends, sends == 1? "": "s",
            killed? "landed": "did not land", rc);
    return killed && rc == 1 && after == before;
}

//  ==========================================================================
//  A run: the stack up, the feeds in, caught up, its annual report. Returns
//  the report as socval printed it (caller frees), or NULL.

static char *
s_run (s_run_t *run, bool with_kills)
{
    s_prepare (run);
    s_up_start (run);
    int rc = s_socval (run, NULL, "wait --timeout 30");
    rc = rc || s_submit (run, "suppliers", "suppliers.csv")
            || s_submit (run, "contracts", "contracts.csv")
            || s_submit (run, "deliveries", "deliveries.csv")
            || s_submit (run, "commitments", "commitments.csv")
            || s_submit (run, "spend", "spend.csv")
            || s_socval (run, NULL, "wait --timeout 60");
    char *what = zsys_sprintf ("%s: the stack comes up under socval up and takes the small"
                               " feeds", run->name);
    testkit_check (rc == 0, what);
    zstr_free (&what);
    if (rc) {
        s_show_logs (run);
        s_up_stop (run);
        return NULL;
    }

    int64_t started = zclock_mono ();
    s_killer_t killer = { .run = run };
    if (with_kills)
        testkit_check (s_refused_under_kill (run),
                       "killed: ingest SIGKILLed under a spend file that is then refused at its"
                       " last line: the file adds nothing");
    if (with_kills) {
        atomic_store (&killer.sending, true);
        pthread_t thread;
        assert (pthread_create (&thread, NULL, s_killer, &killer) == 0);
        s_submit_spend (run, &killer.attempt_started);
        atomic_store (&killer.sending, false);
        pthread_join (thread, NULL);
        printf ("     (killed ingest %d times, valuation %d, compliance %d, reporting %d"
                " in %.1f s; with work in hand %d, %d, %d, %d; the spend file was sent %d"
                " times)\n", run->kills [0], run->kills [1], run->kills [2], run->kills [3],
                killer.elapsed_ms / 1000.0, run->busy_kills [0], run->busy_kills [1],
                run->busy_kills [2], run->busy_kills [3], run->attempts);
    }
    else
        s_submit_spend (run, NULL);
    rc = s_socval (run, NULL, "wait --timeout %d", 120 + (int) (s_spend_rows / 5000));
    printf ("     (%s: the spend file was in and every service caught up %.1f s after it"
            " was first sent)\n", run->name, (zclock_mono () - started) / 1000.0);
    json_t *receipt = run->receipt;
    what = zsys_sprintf ("%s: the spend file's receipt counts %" PRId64 " rows accepted, none rejected"
                         " or duplicate, and every service catches up", run->name, s_spend_rows);
    testkit_check (rc == 0 && receipt && s_int (receipt, "accepted") == s_spend_rows
                   && s_int (receipt, "rejected") == 0 && s_int (receipt, "duplicates") == 0,
                   what);
    zstr_free (&what);
    if (rc || !receipt) {
        if (receipt)
            printf ("     (receipt: accepted %" PRId64 ", rejected %" PRId64 ", duplicates %"
                    PRId64 ")\n", s_int (receipt, "accepted"), s_int (receipt, "rejected"),
                    s_int (receipt, "duplicates"));
        s_show_logs (run);
    }
    char *report = NULL;
    if (s_socval (run, &report, "report annual --year 2025-26 --format json"))
        zstr_free (&report);
    s_up_stop (run);
    return report;
}

//  Checks that each store holds every payment once: ingest's records and
//  the events it streamed, and reporting's payments; and that valuation
//  holds payees, not payments: each that ingest sent, placed, and each
//  place in reporting
static void
s_check_held_once (s_run_t *run)
{
    int64_t expected = s_spend_rows + 4;
    int64_t records = s_store_int (run, 0, "SELECT count(*) FROM records WHERE kind = 'SPEND'");
    int64_t events = s_store_int (run, 0, "SELECT count(*) FROM outbox WHERE type = 'SPEND'");
    int64_t keys = s_store_int (run, 0, "SELECT count(DISTINCT key) FROM outbox"
                                        " WHERE type = 'SPEND'");
    int64_t lines = s_store_int (run, 3, "SELECT count(*) FROM payments");
    char *what = zsys_sprintf ("%s: every store holds each of the %" PRId64 " payments once"
                               " (ingest's records and stream, reporting's payments)",
                               run->name, expected);
    testkit_check (records == expected && events == expected && keys == expected
                   && lines == expected, what);
    if (records != expected || events != expected || keys != expected || lines != expected)
        printf ("     (records %" PRId64 ", events %" PRId64 " of %" PRId64 " keys, reporting"
                " %" PRId64 ")\n", records, events, keys, lines);
    zstr_free (&what);
    int64_t sent = s_store_int (run, 0, "SELECT count(DISTINCT key) FROM outbox"
                                        " WHERE type = 'PAYEE'");
    int64_t payees = s_store_int (run, 1, "SELECT count(*) FROM payees");
    int64_t placed = s_store_int (run, 1, "SELECT count(*) FROM payees"
                                          " WHERE place_digest IS NOT NULL");
    int64_t places = s_store_int (run, 3, "SELECT count(*) FROM places");
    what = zsys_sprintf ("%s: valuation holds the %" PRId64 " payees ingest sent, not the"
                         " payments, each placed once in reporting", run->name, sent);
    testkit_check (sent > 0 && sent < expected / 100 && payees == sent && placed == sent
                   && places == sent, what);
    if (payees != sent || placed != sent || places != sent)
        printf ("     (ingest sent %" PRId64 ", valuation holds %" PRId64 ", placed %" PRId64
                ", reporting %" PRId64 ")\n", sent, payees, placed, places);
    zstr_free (&what);
}

//  Usage: test_fault [ROWS KILLS_EACH] (make soak: 1000000 25)
int
main (int argc, char *argv [])
{
    if (argc == 3) {
        s_spend_rows = atoll (argv [1]);
        s_kills_each = atoi (argv [2]);
        assert (s_spend_rows > 0 && s_kills_each > 0);
    }
    unsigned seed = getenv ("SOCVAL_TEST_SEED")? (unsigned) atoi (getenv ("SOCVAL_TEST_SEED"))
                                              : (unsigned) getpid ();
    srandom (seed);
    printf ("fault test: %" PRId64 " spend rows, each service killed %d times at least, seed %u\n",
            s_spend_rows, s_kills_each, seed);
    s_repo = realpath (".", NULL);
    assert (s_repo);
    s_root = zsys_sprintf ("/tmp/sv_test_fault_%d", getpid ());
    zsys_dir_create ("%s", s_root);
    char *spend_path = zsys_sprintf ("%s/spend-2025-26.csv", s_root);
    s_spend_t spend = s_write_spend (spend_path);
    //  The same file broken at its last line: refused whole
    char *broken_path = zsys_sprintf ("%s/spend-broken.csv", s_root);
    assert (testkit_run (NULL, "cp %s %s && printf 'Rotherham MBC,01/05/2025,FT9999999,"
                         "\"12.00,Nobody Known,S3,Cleaning services\\n' >> %s",
                         spend_path, broken_path, broken_path) == 0);
    zstr_free (&broken_path);
    zstr_free (&spend_path);

    s_run_t calm = { .name = "calm" }, killed = { .name = "killed" };
    char *calm_report = s_run (&calm, false);
    json_t *report = calm_report? json_loads (calm_report, 0, NULL): NULL;
    int64_t local = spend.local + 100000;
    testkit_check (report && s_int (report, "spend.rows") == s_spend_rows + 3
                   && s_int (report, "spend.total_pence") == spend.total + 175000
                   && s_int (report, "spend.local_pence") == local
                   && s_int (report, "spend.non_local_pence") == spend.non_local + 50000
                   && s_int (report, "spend.unknown_locality_pence") == spend.unknown + 25000
                   && s_int (report, "spend.sme_pence") == local
                   && s_int (report, "spend.additional_local_pence") == local - 40000,
                   "calm: the annual report counts every payment in 2025-26, each pence of"
                   " them local, non-local or unknown as the feeds say");
    s_check_held_once (&calm);
    testkit_check (s_int (report, "social_value.committed_pence") == 7125000
                   && s_int (report, "social_value.delivered_pence") == 5612500
                   && s_int (report, "rlw.missing_commitment") == 1
                   && s_int (report, "alerts.open") == 1
                   && json_integer_value (json_object_get (json_object_get (
                          json_object_get (report, "alerts"), "by_rule"),
                          "rlw.missing_commitment")) == 1,
                   "calm: £71,250.00 committed, £56,125.00 delivered, and one open alert:"
                   " C-001's missing RLW commitment");
    json_decref (report);

    char *killed_report = s_run (&killed, true);
    //  Compliance reads only contracts, suppliers, commitments and returns
    //  from ingest's stream, and valuation only those and the payees, so
    //  they seldom have work in hand while payments stream (test_compliance
    //  and test_valuation kill them mid-feed). Three such kills are asked
    //  of reporting, which stores every payment. Ingest has work in hand only while
    //  the file is being sent, and is killed once in each attempt: the
    //  first attempt's kill and the second's are certain (each a fraction
    //  of a second into seconds of sending), but a kill of the second may
    //  land as its receipt leaves, so that there is no third attempt: two
    //  are asked of it
    bool each = true;
    for (int service = 0; service < S_SERVICES; service++)
        each = each && killed.kills [service] >= s_kills_each
            && (streq (s_services [service], "compliance")
                || streq (s_services [service], "valuation")
                || killed.busy_kills [service] >= (service == 0? 2: S_BUSY_KILLS));
    char *what = zsys_sprintf ("killed: each of the four services was SIGKILLed at least %d"
                               " times, reporting at least 3 times with work in hand, ingest"
                               " twice under the spend file", s_kills_each);
    testkit_check (each, what);
    zstr_free (&what);
    s_check_held_once (&killed);
    bool restarted = true;
    for (int service = 0; service < S_SERVICES; service++) {
        char *line = zsys_sprintf ("| %s was killed by signal 9", s_services [service]);
        restarted = restarted && s_log_count (&killed, line) == killed.kills [service];
        zstr_free (&line);
    }
    int other_ends = s_log_count (&killed, "exited with status");
    if (other_ends)
        printf ("     (services also exited by themselves %d times)\n", other_ends);
    testkit_check (restarted && other_ends == 0,
                   "killed: socval up saw every kill and started the service again, and no"
                   " service failed otherwise");
    testkit_check (killed.attempts > 1,
                   "killed: ingest died under the spend file and the file was sent again");
    bool identical = calm_report && killed_report && streq (calm_report, killed_report);
    if (!identical && calm_report && killed_report) {
        size_t at = 0;
        while (calm_report [at] && calm_report [at] == killed_report [at])
            at++;
        size_t from = at > 80? at - 80: 0;
        printf ("     (the reports differ at byte %zu:\n      calm:   %.160s\n"
                "      killed: %.160s)\n", at, calm_report + from, killed_report + from);
    }
    testkit_check (identical,
                   "the annual report after every kill is byte-identical to the calm run's,"
                   " stream offsets included: no row lost, none counted twice");

    zstr_free (&calm_report);
    zstr_free (&killed_report);
    s_run_t *runs [2] = { &calm, &killed };
    for (int index = 0; index < 2; index++) {
        json_decref (runs [index]->receipt);
        zstr_free (&runs [index]->dir);
    }
    char *remove = zsys_sprintf ("rm -rf '%s'", s_root);
    assert (system (remove) == 0);
    zstr_free (&remove);
    zstr_free (&s_root);
    free (s_repo);
    return testkit_summary ();
}
