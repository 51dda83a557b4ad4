/*  bench_e2e: the whole stack as a user runs it, against the sqlite3
    command-line tool's .import of the same file.

    Generates ROWS rows of spend over £500 in ten columns (2,000 suppliers,
    each with a postcode: a third in Trafford's postcode directory, a third
    elsewhere, a third with none), times `sqlite3 .import --csv` of it into
    a database file, then starts `socval up --no-examples` on a data folder
    of its own and times `socval submit` of the same file until its receipt
    and then `socval wait` until every service has settled, both counted
    from the submit's start. For each service: the CPU seconds it used from
    just before the submit to the settle (/proc/PID/stat), its peak resident
    memory (VmHWM, the kernel's own high-water mark, read at the settle) and
    its store on disk at the settle (database and write-ahead log). Checks that ingest held every row
    and reporting a payment for each, so that a fast run that lost
    rows is no result.

    Usage: bench_e2e [ROWS ...]     (default 1,000,000; each size runs in
    a stack of its own); run from the repository root after `make`, under
    tools/isolated.sh (the stack listens on its fixed loopback ports).
*/

#include <czmq.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "testkit.h"

#define S_SERVICES 4
static const char *s_services [S_SERVICES] = { "ingest", "valuation", "compliance", "reporting" };

//  The file submitted: ten columns, suppliers S0 to S1999 each with one
//  postcode taken from the bundled directory, from outside it, or none
static void
s_generate (const char *path, int64_t rows)
{
    //  Every fiftieth postcode of Trafford's directory, for the local third
    FILE *directory = fopen ("deploy/data/trafford-postcodes-onspd-2023-11.csv", "r");
    assert (directory);
    char line [512];
    char local [200][12];
    int locals = 0;
    for (int index = 0; fgets (line, sizeof line, directory) && locals < 200; index++)
        if (index > 0 && index % 50 == 0) {
            char *comma = strchr (line, ',');
            assert (comma && comma - line < 12);
            snprintf (local [locals++], sizeof local [0], "%.*s", (int) (comma - line), line);
        }
    fclose (directory);
    assert (locals > 0);
    static const char *elsewhere [] = { "LS1 4AP", "S60 2TD", "B1 1BB", "EC1A 1BB", "SK4 1AA" };
    static const char *areas [] = { "Adult Social Care", "Highways", "Housing", "Education" };

    FILE *file = fopen (path, "w");
    assert (file);
    fprintf (file, "Body Name,Payment Date,Transaction Number,Net Amount,Supplier Name,"
                   "Supplier ID,Supplier Postcode,Expense Area,Expense Type,Narrative\n");
    for (int64_t row = 1; row <= rows; row++) {
        int64_t supplier = row % 2000;
        const char *postcode = supplier % 3 == 0? local [supplier % locals]:
                               supplier % 3 == 1? elsewhere [supplier % 5]: "";
        fprintf (file, "Example Borough Council,%02d/%02d/2024,%" PRId64 ",%" PRId64 ".%02d,"
                       "Supplier %" PRId64 " Ltd,S%" PRId64 ",%s,%s,Services,"
                       "Payment for services in period %d\n",
                 (int) (row % 28) + 1, (int) (row % 12) + 1, 5000000 + row,
                 500 + row % 90000, (int) (row % 100), supplier, supplier, postcode,
                 areas [row % 4], (int) (row % 12) + 1);
    }
    fclose (file);
}

//  The size of the file at path in bytes, 0 when there is none
static int64_t
s_size (const char *path)
{
    struct stat info;
    return stat (path, &info) == 0? (int64_t) info.st_size: 0;
}

//  A service's store on disk: its database and its write-ahead log, in
//  bytes
static void
s_store_size (const char *dir, const char *service, int64_t *db_size, int64_t *log_size)
{
    char *db = zsys_sprintf ("%s/%s.db", dir, service);
    char *wal = zsys_sprintf ("%s/%s.db-wal", dir, service);
    *db_size = s_size (db);
    *log_size = s_size (wal);
    zstr_free (&db);
    zstr_free (&wal);
}

//  The pid of the child of parent running program socval-NAME, or 0
static pid_t
s_service_pid (pid_t parent, const char *name)
{
    char wanted [32];
    snprintf (wanted, sizeof wanted, "socval-%s", name);
    DIR *proc = opendir ("/proc");
    assert (proc);
    pid_t found = 0;
    struct dirent *entry;
    while (!found && (entry = readdir (proc))) {
        pid_t pid = (pid_t) atoi (entry->d_name);
        if (pid <= 0)
            continue;
        char path [64], comm [64] = "";
        int ppid = 0;
        snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
        FILE *file = fopen (path, "r");
        //  Fields 2 and 4: (comm, the program's name cut to 15 bytes) and
        //  the parent's pid
        if (file && fscanf (file, "%*d (%63[^)]) %*c %d", comm, &ppid) == 2
        && ppid == parent && strncmp (comm, wanted, 15) == 0)
            found = pid;
        if (file)
            fclose (file);
    }
    closedir (proc);
    return found;
}

//  Stops the stack as Ctrl-C would, and waits for it
static void
s_stop (pid_t up)
{
    kill (up, SIGTERM);
    waitpid (up, NULL, 0);
}

//  One run at rows rows. Returns 0, or 1 when rows were lost or doubled or
//  a service was restarted on the way.
static int
s_bench (int64_t rows)
{
    char *dir = zsys_sprintf ("/tmp/sv_bench_e2e_%d", getpid ());
    assert (testkit_run (NULL, "rm -rf '%s'", dir) == 0);
    zsys_dir_create ("%s", dir);
    char *csv = zsys_sprintf ("%s/spend.csv", dir);
    s_generate (csv, rows);

    //  The reference
    int64_t started = testkit_now_us ();
    assert (testkit_run (NULL, "sqlite3 %s/import.db '.import --csv %s spend'", dir, csv) == 0);
    double reference = (double) (testkit_now_us () - started) / 1e6;
    char *import_path = zsys_sprintf ("%s/import.db", dir);
    int64_t import_size = s_size (import_path);
    zstr_free (&import_path);

    //  The stack, as a user starts it
    pid_t up = fork ();
    if (up == 0) {
        char *log = zsys_sprintf ("%s/up.log", dir);
        int output = open (log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2 (output, STDOUT_FILENO);
        dup2 (output, STDERR_FILENO);
        execl ("build/socval", "socval", "--data", dir, "up", "--no-examples", (char *) NULL);
        _exit (127);
    }
    int64_t deadline = zclock_mono () + 60000;
    while (testkit_socval (dir, 2, NULL, "wait") != 0 && zclock_mono () < deadline)
        zclock_sleep (100);
    pid_t pids [S_SERVICES];
    double cpu_before [S_SERVICES];
    for (int index = 0; index < S_SERVICES; index++) {
        pids [index] = s_service_pid (up, s_services [index]);
        cpu_before [index] = testkit_cpu_seconds (pids [index]);
        if (!pids [index]) {
            printf ("e2e: socval up did not start %s (see %s/up.log)\n", s_services [index], dir);
            s_stop (up);
            zstr_free (&csv);
            zstr_free (&dir);
            return 1;
        }
    }

    started = testkit_now_us ();
    int rc = testkit_socval (dir, 600, NULL, "submit --kind spend --key %s/keys/council.cert %s"
                             " > %s/receipt.txt", dir, csv, dir);
    double receipt = (double) (testkit_now_us () - started) / 1e6;
    double cpu_receipt [S_SERVICES];
    for (int index = 0; index < S_SERVICES; index++)
        cpu_receipt [index] = testkit_cpu_seconds (pids [index]) - cpu_before [index];
    rc |= testkit_socval (dir, 1800, NULL, "wait");
    double settled = (double) (testkit_now_us () - started) / 1e6;

    double cpu [S_SERVICES];
    long peak [S_SERVICES];
    int64_t stores [S_SERVICES], logs [S_SERVICES];
    for (int index = 0; index < S_SERVICES; index++) {
        //  A service started again on the way would measure only part
        if (s_service_pid (up, s_services [index]) != pids [index]) {
            printf ("e2e: %s was restarted during the run\n", s_services [index]);
            rc = 1;
        }
        cpu [index] = testkit_cpu_seconds (pids [index]) - cpu_before [index];
        peak [index] = testkit_peak_kb (pids [index]);
        s_store_size (dir, s_services [index], &stores [index], &logs [index]);
    }
    int64_t held = testkit_count ("tcp://127.0.0.1:7712", 5000, "SPEND");
    s_stop (up);
    int64_t lines = -1;
    char *text = NULL;
    if (testkit_run (&text, "sqlite3 %s/reporting.db 'SELECT count(*) FROM payments'",
                     dir) == 0 && text)
        lines = atoll (text);
    free (text);
    if (held != rows || lines != rows) {
        printf ("e2e: %" PRId64 " rows held by ingest and %" PRId64 " payments in reporting"
                " of %" PRId64 "\n", held, lines, rows);
        rc = 1;
    }

    printf ("e2e: %" PRId64 " rows, %.0f MB of CSV; sqlite3 .import --csv %.2f s (%.0f MB)\n",
            rows, (double) s_size (csv) / 1e6, reference, (double) import_size / 1e6);
    printf ("  submit until receipt  %7.2f s  %5.2fx .import  (target <= 1.5)\n",
            receipt, receipt / reference);
    printf ("  until settled         %7.2f s  %5.2fx .import  (target <= 3)\n",
            settled, settled / reference);
    printf ("  %-11s %9s %11s %9s %9s %9s\n", "service", "CPU s", "to receipt",
            "peak MB", "store MB", "log MB");
    for (int index = 0; index < S_SERVICES; index++)
        printf ("  %-11s %9.2f %11.2f %9.1f %9.1f %9.1f\n", s_services [index], cpu [index],
                cpu_receipt [index], peak [index] / 1024.0, (double) stores [index] / 1e6,
                (double) logs [index] / 1e6);
    printf ("  rows held by ingest: %" PRId64 "; payments in reporting: %" PRId64 "\n",
            held, lines);
    //  The lines tools/bench_table.sh reads
    printf ("BENCH|end-to-end: socval up --no-examples, socval submit of a %" PRId64 "-row"
            " 10-column spend CSV until its receipt, the whole stack running vs sqlite3 .import"
            " --csv of the same file|%.2f|s|%.2f|s|%.2f|<= 1.5|%s\n", rows, receipt, reference,
            receipt / reference, rc == 0 && receipt / reference <= 1.5? "yes": "no");
    printf ("BENCH|end-to-end: the same %" PRId64 "-row file until every service has settled"
            " (socval wait)|%.2f|s|%.2f|s|%.2f|<= 3|%s\n", rows, settled, reference,
            settled / reference,
            rc == 0 && settled / reference <= 3? "yes": "no");
    for (int index = 0; index < S_SERVICES; index++) {
        printf ("BENCH|end-to-end, %" PRId64 " rows: %s's CPU time, submit to settled"
                " (store %.0f MB + log %.0f MB)|%.2f|s CPU|%.2f|s|%.2f||\n", rows,
                s_services [index], (double) stores [index] / 1e6, (double) logs [index] / 1e6,
                cpu [index], reference, cpu [index] / reference);
        printf ("PEAK|%s|%.1f|< 64\n", s_services [index], peak [index] / 1024.0);
    }

    assert (testkit_run (NULL, "rm -rf '%s'", dir) == 0);
    zstr_free (&csv);
    zstr_free (&dir);
    return rc == 0? 0: 1;
}

int
main (int argc, char *argv [])
{
    int rc = 0;
    if (argc < 2)
        rc = s_bench (1000000);
    for (int arg = 1; arg < argc; arg++)
        rc |= s_bench (atoll (argv [arg]));
    return rc;
}
