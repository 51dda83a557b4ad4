/*  socval up, demo and wait: the whole stack on one machine.

    up runs the four services as child processes of one supervisor with one
    config: their output is printed line by line prefixed with the
    service's name, a child that dies is started again after a backoff
    (0.5 s, doubling to 30 s, back to 0.5 s once it has run for a minute),
    and Ctrl-C or SIGTERM stops them all (SIGTERM, then SIGKILL after 10 s).
    On first start it writes DIR/socval.cfg, the stack's CURVE keys and the
    example partners' keys; unless told --no-examples it then submits the
    bundled example feeds once, waits for every service to catch up, and
    prints the alerts raised and where the annual report was written.

    wait asks every service for its STATUS until each consumer's offset
    equals the head its producer reports.

    up and demo hold DIR/socval.lock (sv_lock) while they run, and each
    service its store's lock: a second up on the same folder stops before
    it touches anything, naming the process that runs the stack there, and
    exits 2. A config with a problem (socval config check) stops up before
    any service starts.

    demo runs up in a fresh folder with ipc endpoints (so it never meets a
    stack already running), checks that the example alerts and the annual
    report came out, stops it and exits 0 when they did.

    Bundled data (frameworks, rates, the postcode directory, examples) is
    found in $SOCVAL_SHARE, else the deploy/ folder beside the build folder
    that holds this program, else ../share/socval beside it (make install).
*/

#include "socval.h"
#include "sv_lock.h"
#include "sv_security.h"
#include <sys/wait.h>
#include <poll.h>


//  ==========================================================================
//  Where things are

//  The folder holding this program, from /proc/self/exe. Caller frees.
static char *
s_program_dir (void)
{
    char path [4096];
    ssize_t size = readlink ("/proc/self/exe", path, sizeof path - 1);
    if (size <= 0)
        return strdup (".");
    path [size] = 0;
    char *slash = strrchr (path, '/');
    if (slash)
        *slash = 0;
    return strdup (path);
}

//  The folder of bundled data, or NULL (with a message). Caller frees.
static char *
s_share_dir (void)
{
    const char *given = getenv ("SOCVAL_SHARE");
    if (given)
        return strdup (given);
    char *program = s_program_dir ();
    const char *candidates [] = { "%s/../deploy", "%s/../share/socval" };
    for (size_t index = 0; index < 2; index++) {
        char *dir = zsys_sprintf (candidates [index], program);
        char *probe = zsys_sprintf ("%s/frameworks", dir);
        bool found = zsys_file_exists (probe);
        zstr_free (&probe);
        if (found) {
            char *real = realpath (dir, NULL);
            zstr_free (&dir);
            zstr_free (&program);
            return real;
        }
        zstr_free (&dir);
    }
    fprintf (stderr, "socval: cannot find the bundled data (frameworks, examples) near %s;"
             " set SOCVAL_SHARE\n", program);
    zstr_free (&program);
    return NULL;
}

//  ==========================================================================
//  First start: keys and config

//  Makes the certificate DIR/keys/NAME.cert unless it exists. 0 or -1.
static int
s_ensure_cert (const char *keys, const char *name, zcert_t **cert_p)
{
    char *path = zsys_sprintf ("%s/%s.cert", keys, name);
    zcert_t *cert = zsys_file_exists (path)? zcert_load (path): NULL;
    int rc = 0;
    if (!cert) {
        cert = zcert_new ();
        zcert_set_meta (cert, "name", "%s", name);
        rc = zcert_save (cert, path);
        if (rc == 0)
            printf ("socval: made the CURVE certificate %s\n", path);
    }
    if (cert_p)
        *cert_p = cert;
    else
        zcert_destroy (&cert);
    zstr_free (&path);
    return rc;
}

//  The example partners, as listed in the examples' config fragment
static zconfig_t *
s_example_partners (const char *share)
{
    char *path = zsys_sprintf ("%s/examples/socval.cfg.fragment", share);
    zconfig_t *fragment = zconfig_load (path);
    if (!fragment)
        fprintf (stderr, "socval: cannot read %s\n", path);
    zstr_free (&path);
    return fragment;
}

//  Writes DIR/socval.cfg for a stack on this machine, with the example
//  partners (their keys made here), ipc endpoints when ipc is true.
//  0 or -1 (with a message).
static int
s_write_config (const char *dir, const char *share, bool ipc, const char *path)
{
    char *keys = zsys_sprintf ("%s/keys", dir);
    char *partner_keys = zsys_sprintf ("%s/keys/partners", dir);
    int rc = zsys_dir_create ("%s", partner_keys) || s_ensure_cert (keys, "ingest", NULL)? -1: 0;
    sv_config_t *config = sv_config_new ();
    sv_config_set (config, "data/dir", dir);
    char *value = zsys_sprintf ("%s/frameworks/illustrative-rationalised-2024.csv,"
                                "%s/frameworks/illustrative-national-2019.csv,"
                                "%s/frameworks/illustrative-svm-2025.csv", share, share, share);
    sv_config_set (config, "valuation/frameworks", value);
    zstr_free (&value);
    value = zsys_sprintf ("%s/frameworks/crosswalk-illustrative.csv", share);
    sv_config_set (config, "reporting/crosswalk", value);
    zstr_free (&value);
    value = zsys_sprintf ("%s/data/trafford-postcodes-onspd-2023-11.csv", share);
    sv_config_set (config, "valuation/postcode_lookup", value);
    zstr_free (&value);
    value = zsys_sprintf ("%s/data/rlw-rates.csv", share);
    sv_config_set (config, "compliance/rlw_rates", value);
    zstr_free (&value);
    if (ipc) {
        const char *endpoints [] = {
            "ingest/feed_endpoint", "ingest/stream_endpoint", "ingest/control_endpoint",
            "valuation/stream_endpoint", "valuation/control_endpoint",
            "compliance/stream_endpoint", "compliance/control_endpoint",
            "reporting/stream_endpoint", "reporting/control_endpoint"
        };
        for (size_t index = 0; index < sizeof endpoints / sizeof endpoints [0]; index++) {
            char name [64];
            snprintf (name, sizeof name, "%s", endpoints [index]);
            *strchr (name, '/') = '-';
            value = zsys_sprintf ("ipc://%s/%s.ipc", dir, name);
            sv_config_set (config, endpoints [index], value);
            zstr_free (&value);
        }
    }
    //  The scheduled reports a council would want from the start
    sv_config_set (config, "schedules/annual/cron", "0 6 1 5 *");
    sv_config_set (config, "schedules/annual/kind", "annual");
    sv_config_set (config, "schedules/annual/year", "previous");
    sv_config_set (config, "schedules/annual/formats", "html,json,xlsx");
    sv_config_set (config, "schedules/rlw-scope/cron", "0 7 1 * *");
    sv_config_set (config, "schedules/rlw-scope/kind", "rlw-scope");
    sv_config_set (config, "schedules/rlw-scope/year", "current");
    sv_config_set (config, "schedules/rlw-scope/formats", "html,csv");
    zconfig_t *fragment = s_example_partners (share);
    zconfig_t *partners = fragment? zconfig_locate (fragment, "partners"): NULL;
    for (zconfig_t *partner = partners? zconfig_child (partners): NULL; partner && rc == 0;
         partner = zconfig_next (partner)) {
        const char *name = zconfig_name (partner);
        zcert_t *cert = NULL;
        rc = s_ensure_cert (keys, name, &cert);
        if (rc == 0) {
            char *public_path = zsys_sprintf ("%s/%s.cert", partner_keys, name);
            rc = zcert_save_public (cert, public_path);
            zstr_free (&public_path);
            char key [256];
            snprintf (key, sizeof key, "partners/%s/public_key", name);
            sv_config_set (config, key, zcert_public_txt (cert));
        }
        zcert_destroy (&cert);
        for (zconfig_t *setting = zconfig_child (partner); setting && rc == 0;
             setting = zconfig_next (setting)) {
            char key [256];
            snprintf (key, sizeof key, "partners/%s/%s", name, zconfig_name (setting));
            if (zconfig_child (setting))
                continue;           //  nested (headers): kept out of the example
            sv_config_set (config, key, zconfig_value (setting));
        }
    }
    if (rc == 0 && sv_config_save (config, path)) {
        fprintf (stderr, "socval: cannot write %s\n", path);
        rc = -1;
    }
    if (rc == 0)
        printf ("socval: wrote the stack's config to %s\n", path);
    zconfig_destroy (&fragment);
    sv_config_destroy (&config);
    zstr_free (&keys);
    zstr_free (&partner_keys);
    return rc;
}

//  ==========================================================================
//  Children

typedef struct {
    const char *name;
    pid_t pid;
    int output;                 //  read end of the child's stdout and stderr
    char line [4096];           //  a partial line read so far
    size_t length;
    int64_t started;            //  zclock_mono when last started
    int64_t restart_at;         //  when to start it again; 0 when running
    int backoff_ms;
} s_child_t;

static void
s_child_start (s_child_t *child, const char *program_dir, const char *config_path)
{
    int pipes [2];
    if (pipe (pipes)) {
        child->restart_at = zclock_mono () + 1000;
        return;
    }
    char *program = zsys_sprintf ("%s/socval-%s", program_dir, child->name);
    pid_t pid = fork ();
    if (pid == 0) {
        dup2 (pipes [1], STDOUT_FILENO);
        dup2 (pipes [1], STDERR_FILENO);
        close (pipes [0]);
        close (pipes [1]);
        execl (program, program, "--config", config_path, (char *) NULL);
        fprintf (stderr, "cannot run %s: %s\n", program, strerror (errno));
        _exit (127);
    }
    close (pipes [1]);
    zstr_free (&program);
    child->pid = pid;
    child->output = pipes [0];
    child->length = 0;
    child->started = zclock_mono ();
    child->restart_at = 0;
}

//  Prints what the child wrote, a line at a time with its name in front.
//  Returns false at end of file.
static bool
s_child_read (s_child_t *child)
{
    char buffer [4096];
    ssize_t size = read (child->output, buffer, sizeof buffer);
    if (size <= 0)
        return false;
    for (ssize_t index = 0; index < size; index++) {
        char c = buffer [index];
        if (c != '\n' && child->length < sizeof child->line - 1) {
            child->line [child->length++] = c;
            continue;
        }
        child->line [child->length] = 0;
        printf ("%-10s | %s\n", child->name, child->line);
        child->length = 0;
    }
    fflush (stdout);
    return true;
}

//  Reaps services that ended and schedules their restart. Only their own
//  pids: the examples' thread waits for the commands it runs itself.
static void
s_children_reap (s_child_t *children, int restart_max_ms)
{
    for (int index = 0; index < SOCVAL_SERVICES; index++) {
        s_child_t *child = &children [index];
        int status;
        if (!child->pid || waitpid (child->pid, &status, WNOHANG) != child->pid)
            continue;
        child->pid = 0;
        //  A child that ran a minute starts again at once; one that keeps
        //  failing waits longer each time
        if (zclock_mono () - child->started > 60000)
            child->backoff_ms = 500;
        child->restart_at = zclock_mono () + child->backoff_ms;
        char how [64];
        if (WIFSIGNALED (status))
            snprintf (how, sizeof how, "was killed by signal %d", WTERMSIG (status));
        else
            snprintf (how, sizeof how, "exited with status %d", WEXITSTATUS (status));
        printf ("socval     | %s %s; starting it again in %.1f s\n", child->name, how,
                child->backoff_ms / 1000.0);
        fflush (stdout);
        child->backoff_ms = child->backoff_ms * 2 > restart_max_ms? restart_max_ms
                                                                  : child->backoff_ms * 2;
    }
}

//  ==========================================================================
//  socval wait

//  Asks every service for its status: 1 when every consumer has caught up
//  with its producer's head, 0 when some lag or are stalled, -1 when a
//  service does not answer. lagging (may be NULL) gets a line naming what lags.
static int
s_caught_up (sv_config_t *config, int timeout_ms, char *lagging, size_t size)
{
    uint64_t heads [SOCVAL_SERVICES] = { 0 };
    sv_proto_t replies [SOCVAL_SERVICES];
    memset (replies, 0, sizeof replies);
    int rc = socval_status_all (config, timeout_ms, replies) == SOCVAL_SERVICES? 1: -1;
    for (int index = 0; index < SOCVAL_SERVICES; index++) {
        if (replies [index].id != SV_PROTO_STATUS_REPLY) {
            if (lagging)
                snprintf (lagging, size, "%s does not answer", socval_services [index]);
        }
        else
        if (replies [index].status_reply.streams_count)
            heads [index] = replies [index].status_reply.streams [0].head_seq;
    }
    for (int index = 0; index < SOCVAL_SERVICES && rc == 1; index++) {
        const sv_proto_status_reply_t *status = &replies [index].status_reply;
        for (size_t consumer = 0; consumer < status->consumers_count; consumer++) {
            //  A stalled stream has not caught up, whatever its offset says
            //  (above a restored producer's head, it is past it)
            const char *stalled = status->consumers [consumer].stalled;
            if (stalled && *stalled) {
                if (lagging)
                    snprintf (lagging, size, "%s's stream %s is stalled: %s",
                              socval_services [index], status->consumers [consumer].stream,
                              stalled);
                rc = 0;
            }
            for (int producer = 0; producer < SOCVAL_SERVICES; producer++)
                if (streq (status->consumers [consumer].stream, socval_services [producer])
                &&  status->consumers [consumer].offset < heads [producer]) {
                    if (lagging && !(stalled && *stalled))
                        snprintf (lagging, size, "%s is at %" PRIu64 " of %s's %" PRIu64,
                                  socval_services [index], status->consumers [consumer].offset,
                                  socval_services [producer], heads [producer]);
                    rc = 0;
                }
        }
        //  Compliance judges new facts once its stream has been quiet a
        //  while: until then the alerts are not those of the data
        for (size_t count = 0; count < status->counts_count && rc == 1; count++)
            if (streq (status->counts [count].name, "pending evaluation")
            &&  status->counts [count].rows > 0) {
                if (lagging)
                    snprintf (lagging, size, "%s has facts still to evaluate",
                              socval_services [index]);
                rc = 0;
            }
    }
    for (int index = 0; index < SOCVAL_SERVICES; index++)
        sv_proto_reset (&replies [index]);
    return rc;
}

//  Blocks until every consumer has caught up twice in a row (an event
//  caught between two STATUS calls shows on the second). 0, or 1 on
//  timeout (with what lags).
static int
s_wait (sv_config_t *config, int timeout_s, bool quiet)
{
    int64_t deadline = zclock_mono () + (int64_t) timeout_s * 1000;
    char lagging [256] = "";
    int in_a_row = 0;
    while (!zsys_interrupted) {
        int caught_up = s_caught_up (config, 2000, lagging, sizeof lagging);
        in_a_row = caught_up == 1? in_a_row + 1: 0;
        if (in_a_row == 2)
            return 0;
        if (zclock_mono () > deadline)
            break;
        //  Every service answers STATUS from what it holds, without a scan:
        //  ask often, so that the wait ends soon after the stack settles
        zclock_sleep (caught_up == 1? 100: 50);
    }
    if (!quiet)
        fprintf (stderr, "socval: not caught up within %d s: %s\n", timeout_s, lagging);
    return 1;
}

int
socval_wait (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval wait [--timeout SECONDS]\n"
        "  Blocks until every service has applied every event of every stream it\n"
        "  follows and compliance has judged what it read (default: wait up to\n"
        "  600 s). Exit 0 when caught up, 1 on timeout.\n";
    int answered = socval_no_arguments (argc, argv, usage);
    if (answered >= 0)
        return answered;
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    int rc = s_wait (config, options->timeout_given? options->timeout_s: 600, false);
    sv_config_destroy (&config);
    return rc;
}

//  ==========================================================================
//  Examples

//  Runs this program with args, its output prefixed "examples |". Returns
//  its exit code.
static int
s_run_self (const char *config_path, const char *args)
{
    char *program = s_program_dir ();
    char *command = zsys_sprintf ("'%s/socval' --config '%s' %s 2>&1", program, config_path, args);
    FILE *pipe = popen (command, "r");
    int rc = 2;
    if (pipe) {
        char line [4096];
        while (fgets (line, sizeof line, pipe))
            printf ("examples   | %s", line);
        fflush (stdout);
        int status = pclose (pipe);
        rc = WIFEXITED (status)? WEXITSTATUS (status): 2;
    }
    zstr_free (&command);
    zstr_free (&program);
    return rc;
}

typedef struct {
    char *config_path;
    char *share;
    char *data_dir;
} s_examples_t;

//  The examples' thread: submits every feed of the manifest once, waits for
//  the stack to settle, shows the alerts and writes the annual report.
//  Sends "OK" or "FAILED" when done.
static void
s_examples_actor (zsock_t *pipe, void *arg)
{
    s_examples_t *examples = (s_examples_t *) arg;
    zsock_signal (pipe, 0);
    char *marker = zsys_sprintf ("%s/examples.submitted", examples->data_dir);
    char *manifest = zsys_sprintf ("%s/examples/MANIFEST", examples->share);
    sv_config_t *config = sv_config_load (examples->config_path, NULL);
    int rc = config? 0: 1;
    //  The services first: a submission to nobody would only time out
    int64_t deadline = zclock_mono () + 30000;
    while (rc == 0 && s_caught_up (config, 1000, NULL, 0) < 0 && zclock_mono () < deadline
        && !zsys_interrupted)
        zclock_sleep (200);
    if (rc == 0 && !zsys_file_exists (marker)) {
        FILE *file = fopen (manifest, "r");
        char line [1024];
        rc = file? 0: 1;
        while (file && rc == 0 && fgets (line, sizeof line, file) && !zsys_interrupted) {
            char partner [128], kind [64], path [768];
            if (*line == '#' || sscanf (line, "%127s %63s %767s", partner, kind, path) != 3)
                continue;
            char *args = zsys_sprintf ("submit --kind %s --key '%s/keys/%s.cert' --timeout 300"
                                       " '%s/examples/%s'", kind, examples->data_dir, partner,
                                       examples->share, path);
            printf ("examples   | %s %s: %s\n", partner, kind, path);
            rc = s_run_self (examples->config_path, args);
            zstr_free (&args);
        }
        if (file)
            fclose (file);
        if (rc == 0) {
            FILE *done = fopen (marker, "w");
            if (done)
                fclose (done);
        }
    }
    if (rc == 0 && !zsys_interrupted) {
        printf ("examples   | waiting for every service to catch up...\n");
        fflush (stdout);
        rc = s_wait (config, 600, false);
    }
    if (rc == 0 && !zsys_interrupted) {
        s_run_self (examples->config_path, "alerts");
        //  No --year: reporting's default, a year the examples hold spend
        //  for whatever the date, so that the demo in CI never goes stale.
        //  Every kind in HTML, for a first look (and make check's browser
        //  test), and the annual report's JSON, which demo checks
        const char *kinds [] = { "annual", "partnership", "contracts", "rlw-scope", "alerts",
                                "kpi" };
        for (size_t kind = 0; kind < sizeof kinds / sizeof *kinds && rc == 0; kind++) {
            char *args = zsys_sprintf ("report %s -o '%s/reports/%s-example.html'", kinds [kind],
                                       examples->data_dir, kinds [kind]);
            rc = s_run_self (examples->config_path, args);
            zstr_free (&args);
        }
        char *args = zsys_sprintf ("report annual --format json -o '%s/reports/annual-example.json'",
                                   examples->data_dir);
        rc = rc || s_run_self (examples->config_path, args);
        zstr_free (&args);
        if (rc == 0)
            printf ("examples   | the annual report is %s/reports/annual-example.html\n",
                    examples->data_dir);
    }
    fflush (stdout);
    zstr_send (pipe, rc == 0? "OK": "FAILED");
    sv_config_destroy (&config);
    zstr_free (&marker);
    zstr_free (&manifest);
    //  Wait for $TERM, as an actor must
    char *command = zstr_recv (pipe);
    zstr_free (&command);
}

//  ==========================================================================
//  socval up

//  Runs the stack until interrupted (or, for demo, until the examples are
//  done). Returns the exit code; *examples_ok tells how the examples went.
static int
s_supervise (const char *data_dir, const char *config_path, const char *share,
             bool examples, bool stop_after_examples, bool *examples_ok)
{
    zsys_init ();               //  its handler sets zsys_interrupted on SIGINT, SIGTERM
    char *program_dir = s_program_dir ();
    sv_config_t *config = sv_config_load (config_path, NULL);
    int restart_max_ms = config? (int) sv_config_int (config, "socval/restart_max_ms"): 30000;
    sv_config_destroy (&config);
    s_child_t children [SOCVAL_SERVICES];
    memset (children, 0, sizeof children);
    for (int index = 0; index < SOCVAL_SERVICES; index++) {
        children [index].name = socval_services [index];
        children [index].output = -1;
        children [index].backoff_ms = 500;
        s_child_start (&children [index], program_dir, config_path);
        printf ("socval     | started %s (pid %d)\n", socval_services [index], children [index].pid);
    }
    s_examples_t context = {
        .config_path = (char *) config_path, .share = (char *) share, .data_dir = (char *) data_dir
    };
    zactor_t *worker = examples? zactor_new (s_examples_actor, &context): NULL;
    bool done = false;
    while (!zsys_interrupted && !(stop_after_examples && done)) {
        struct pollfd fds [SOCVAL_SERVICES + 1];
        for (int index = 0; index < SOCVAL_SERVICES; index++)
            fds [index] = (struct pollfd) { .fd = children [index].output, .events = POLLIN };
        //  The examples' actor signals through its socket's file descriptor
        fds [SOCVAL_SERVICES] = (struct pollfd) {
            .fd = worker && !done? zsock_fd (zactor_sock (worker)): -1, .events = POLLIN
        };
        poll (fds, SOCVAL_SERVICES + 1, 200);
        for (int index = 0; index < SOCVAL_SERVICES; index++)
            if (fds [index].revents && !s_child_read (&children [index])) {
                close (children [index].output);
                children [index].output = -1;
            }
        if (worker && !done && (zsock_events (zactor_sock (worker)) & ZMQ_POLLIN)) {
            char *result = zstr_recv (worker);
            *examples_ok = result && streq (result, "OK");
            zstr_free (&result);
            done = true;
            if (!*examples_ok)
                printf ("socval     | the examples did not all go through (above)\n");
            else
            if (!stop_after_examples)
                printf ("socval     | running; Ctrl-C stops every service\n");
            fflush (stdout);
        }
        s_children_reap (children, restart_max_ms);
        for (int index = 0; index < SOCVAL_SERVICES; index++)
            if (!children [index].pid && children [index].restart_at
            &&  zclock_mono () >= children [index].restart_at && !zsys_interrupted) {
                if (children [index].output >= 0)
                    close (children [index].output);
                s_child_start (&children [index], program_dir, config_path);
            }
    }
    printf ("socval     | stopping\n");
    fflush (stdout);
    zactor_destroy (&worker);
    for (int index = 0; index < SOCVAL_SERVICES; index++)
        if (children [index].pid)
            kill (children [index].pid, SIGTERM);
    int64_t deadline = zclock_mono () + 10000;
    for (int index = 0; index < SOCVAL_SERVICES; index++) {
        s_child_t *child = &children [index];
        while (child->pid && waitpid (child->pid, NULL, WNOHANG) == 0) {
            if (zclock_mono () > deadline) {
                kill (child->pid, SIGKILL);
                waitpid (child->pid, NULL, 0);
                break;
            }
            zclock_sleep (20);
        }
        //  What it said last
        while (child->output >= 0 && s_child_read (child))
            ;
        if (child->output >= 0)
            close (child->output);
    }
    zstr_free (&program_dir);
    return 0;
}

//  Takes data_dir/socval.lock for this run. NULL (having said who holds it,
//  or why it cannot be taken) when another process has it.
static sv_lock_t *
s_lock_folder (const char *data_dir)
{
    char *path = zsys_sprintf ("%s/socval.lock", data_dir);
    pid_t holder = 0;
    sv_lock_t *lock = sv_lock_new (path, &holder);
    if (!lock && holder)
        fprintf (stderr, "socval: %s is in use: process %d (socval up) runs a stack there and"
                 " holds %s; stop it first, or give another --data\n", data_dir, (int) holder,
                 path);
    else
    if (!lock)
        fprintf (stderr, "socval: cannot lock %s: %s\n", path, strerror (errno));
    zstr_free (&path);
    return lock;
}

static void
s_print_problem (const char *problem, void *arg)
{
    fprintf (stderr, "socval: %s: %s\n", (const char *) arg, problem);
}

//  Makes data_dir ready: config (written on first start) and keys.
//  Returns the config path (caller frees) or NULL.
static char *
s_prepare (const char *data_dir, const char *config_given, const char *share, bool ipc)
{
    if (zsys_dir_create ("%s", data_dir)) {
        fprintf (stderr, "socval: cannot create %s\n", data_dir);
        return NULL;
    }
    char *path = config_given? strdup (config_given): zsys_sprintf ("%s/socval.cfg", data_dir);
    if (!config_given && !zsys_file_exists (path) && s_write_config (data_dir, share, ipc, path))
        zstr_free (&path);
    //  Every service would refuse a config with a problem, over and over
    int problems = path? sv_config_verify (path, s_print_problem, path): 0;
    sv_config_t *config = path && !problems? sv_config_load (path, NULL): NULL;
    if (config)
        problems += sv_security_verify (config, s_print_problem, path);
    sv_config_destroy (&config);
    if (problems) {
        fprintf (stderr, "socval: not starting: the config has problems (above)\n");
        zstr_free (&path);
    }
    return path;
}

int
socval_up (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval up [--data DIR] [--config FILE] [--no-examples]\n"
        "  Starts ingest, valuation, compliance and reporting in the foreground\n"
        "  with stores under DIR (default ./var), restarting any that dies, until\n"
        "  Ctrl-C. First start writes DIR/socval.cfg and the CURVE keys; then the\n"
        "  example feeds are submitted (once) and the alerts and the annual report\n"
        "  they produce are shown. A config with problems (socval config check)\n"
        "  starts nothing. It holds DIR/socval.lock while it runs: a second up on\n"
        "  the same DIR exits 2, naming the process that runs the stack there.\n";
    bool examples = true;
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (streq (argv [arg], "--no-examples"))
            examples = false;
        else
            return socval_usage (usage);
    }
    char *share = s_share_dir ();
    if (!share)
        return 2;
    //  A given config names its own data folder
    const char *reason = NULL;
    sv_config_t *given = options->config_path? sv_config_load (options->config_path, &reason)
                                             : NULL;
    if (options->config_path && !given) {
        fprintf (stderr, "socval: %s\n", reason);
        zstr_free (&share);
        return 2;
    }
    const char *folder = given? sv_config_get (given, "data/dir"): options->data_dir;
    char *data_dir = zsys_dir_create ("%s", folder) == 0? realpath (folder, NULL): NULL;
    sv_config_destroy (&given);
    //  Before anything in the folder is touched: a second up there would
    //  fight the first for its ports and overwrite its example report
    sv_lock_t *lock = data_dir? s_lock_folder (data_dir): NULL;
    char *config_path = lock? s_prepare (data_dir, options->config_path, share, false): NULL;
    int rc = 2;
    if (config_path) {
        bool examples_ok = false;
        printf ("socval     | data in %s, config %s\n", data_dir, config_path);
        rc = s_supervise (data_dir, config_path, share, examples, false, &examples_ok);
    }
    zstr_free (&config_path);
    zstr_free (&share);
    free (data_dir);
    sv_lock_destroy (&lock);
    return rc;
}

//  ==========================================================================
//  socval demo

int
socval_demo (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval demo [--data DIR]\n"
        "  Runs the whole stack once in DIR (default: a new folder under /tmp),\n"
        "  over ipc so it never meets a stack already running: submits the\n"
        "  example feeds, waits for every service to catch up, prints the alerts\n"
        "  and the report paths, and stops. Exit 0 when the example alerts and\n"
        "  the annual report came out.\n";
    int answered = socval_no_arguments (argc, argv, usage);
    if (answered >= 0)
        return answered;
    char *share = s_share_dir ();
    if (!share)
        return 2;
    char *data_dir = NULL;
    if (strcmp (options->data_dir, "./var") != 0) {
        zsys_dir_create ("%s", options->data_dir);
        data_dir = realpath (options->data_dir, NULL);
    }
    else {
        char template [] = "/tmp/socval-demo-XXXXXX";
        data_dir = mkdtemp (template)? strdup (template): NULL;
    }
    sv_lock_t *lock = data_dir? s_lock_folder (data_dir): NULL;
    char *config_path = lock? s_prepare (data_dir, NULL, share, true): NULL;
    int rc = 2;
    if (config_path) {
        bool examples_ok = false;
        s_supervise (data_dir, config_path, share, true, true, &examples_ok);
        char *report = zsys_sprintf ("%s/reports/annual-example.json", data_dir);
        json_t *document = json_load_file (report, 0, NULL);
        json_t *spend = json_object_get (document, "spend");
        json_t *alerts = json_object_get (document, "alerts");
        bool report_ok = json_integer_value (json_object_get (spend, "total_pence")) > 0;
        bool alerts_ok = json_integer_value (json_object_get (alerts, "open")) > 0;
        const char *year = json_string_value (json_object_get (document, "year"));
        printf ("socval demo: examples %s, annual report %s%s %s, open alerts %s\n",
                examples_ok? "submitted": "FAILED", year? "for ": "", year? year: "",
                report_ok? "written": "MISSING", alerts_ok? "raised": "NONE");
        json_decref (document);
        zstr_free (&report);
        printf ("socval demo: everything is in %s (remove it when done)\n", data_dir);
        rc = examples_ok && report_ok && alerts_ok? 0: 1;
    }
    zstr_free (&config_path);
    zstr_free (&share);
    free (data_dir);
    sv_lock_destroy (&lock);
    return rc;
}
