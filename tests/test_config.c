/*  test_config: what an operator sees when the config or the host is wrong.

    A value outside its key's range, a renewal date that is not a date and
    a date order that is neither dmy nor mdy make `socval config check`
    exit 1 naming the key, the value and what was expected, and the service
    that reads them refuses to start with the same words; `socval config
    keys` lists each key with its default and range, and every config in
    deploy/ passes the check. A plain stream
    endpoint off loopback is refused unless security/allow_plain_remote
    says so, and then the service warns. Ingest with a certificate whose
    secret half is missing does not start, and says which file is missing;
    with it, its feed is CURVE although security/curve is 0.
    log/level = debug shows debug lines. A second service on the same store,
    and a second `socval up` on the same data folder, exit 2 naming the
    process that holds the folder, and the first goes on.

    Every endpoint is ipc inside the test's own folder except the one plain
    tcp endpoint it needs, so it never meets another run. The last line is
    "N passed, N failed".

    Usage: test_config     (run from the repository root)
*/

#include <czmq.h>
#include <sys/wait.h>
#include "sv_proto.h"
#include "testkit.h"

#define S_PLAIN_PORT "18621"    //  the one tcp endpoint, bound off loopback

static char *s_dir;

//  Writes dir/socval.cfg: every endpoint an ipc socket in dir, then extra
//  lines inside the compliance section, then sections of other_sections
static void
s_write_config (const char *dir, const char *compliance, const char *other_sections)
{
    char *text = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "ingest\n    feed_endpoint = \"ipc://%s/feed.ipc\"\n"
        "    stream_endpoint = \"ipc://%s/ingest-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/ingest-control.ipc\"\n"
        "valuation\n    control_endpoint = \"ipc://%s/valuation-control.ipc\"\n"
        "    stream_endpoint = \"ipc://%s/valuation-stream.ipc\"\n"
        "reporting\n    stream_endpoint = \"ipc://%s/reporting-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/reporting-control.ipc\"\n"
        "compliance\n    stream_endpoint = \"ipc://%s/compliance-stream.ipc\"\n"
        "    control_endpoint = \"ipc://%s/compliance-control.ipc\"\n%s%s",
        dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, compliance, other_sections);
    testkit_write (dir, "socval.cfg", text);
    zstr_free (&text);
}

//  Starts program with --config config_path, its output to log.
//  Returns its pid.
static pid_t
s_start_logged (const char *program, const char *config_path, const char *log)
{
    pid_t pid = fork ();
    if (pid == 0) {
        int file = open (log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2 (file, STDOUT_FILENO);
        dup2 (file, STDERR_FILENO);
        execl (program, program, "--config", config_path, (char *) NULL);
        _exit (127);
    }
    return pid;
}

//  Waits up to timeout_ms for pid to end: its exit code, or -1 (killed)
static int
s_wait_exit (pid_t pid, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    int status;
    while (waitpid (pid, &status, WNOHANG) == 0) {
        if (zclock_mono () > deadline) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            return -1;
        }
        zclock_sleep (20);
    }
    return WIFEXITED (status)? WEXITSTATUS (status): -1;
}

//  Waits up to timeout_ms for the file at path to hold text
static bool
s_await_text (const char *path, const char *text, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (true) {
        char *content = NULL;
        zchunk_t *chunk = zchunk_slurp (path, 0);
        if (chunk)
            content = strndup ((const char *) zchunk_data (chunk), zchunk_size (chunk));
        zchunk_destroy (&chunk);
        bool found = content && strstr (content, text);
        free (content);
        if (found || zclock_mono () > deadline)
            return found;
        zclock_sleep (20);
    }
}

//  Waits up to timeout_ms for the service at endpoint to answer STATUS
static bool
s_await_status (const char *endpoint, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        sv_proto_t reply = { .id = 0 };
        int rc = testkit_status (endpoint, 500, &reply);
        sv_proto_reset (&reply);
        if (rc == 0)
            return true;
    }
    return false;
}

static bool
s_has (const char *output, const char *text)
{
    bool found = output && strstr (output, text);
    if (!found)
        printf ("     expected '%s' in:\n%s\n", text, output? output: "(nothing)");
    return found;
}

int
main (void)
{
    s_dir = zsys_sprintf ("/tmp/sv_test_config_%d", getpid ());
    zsys_dir_create ("%s/keys/partners", s_dir);
    char *config = zsys_sprintf ("%s/socval.cfg", s_dir);
    char *output = NULL;
    int rc;

    //  A value out of its range: check names it, compliance will not start
    s_write_config (s_dir, "    return_period_months = 100000\n", "");
    const char *range = "'compliance/return_period_months' is '100000':"
                        " expected an integer from 1 to 120";
    rc = testkit_run (&output, "build/socval --config %s config check 2>&1", config);
    testkit_check (rc == 1 && s_has (output, range),
                   "config check: a return period of 100000 months exits 1 naming key,"
                   " value and range");
    zstr_free (&output);
    rc = testkit_run (&output, "build/socval-compliance --config %s 2>&1", config);
    testkit_check (rc == 2 && s_has (output, range),
                   "compliance refuses to start with the same words");
    zstr_free (&output);

    //  A renewal date that is not one, a date order that is neither
    s_write_config (s_dir, "", "partners\n    council\n        rlw_renewal = \"30/09/2025\"\n"
                               "        date_order = \"ymd\"\n");
    const char *renewal = "'partners/council/rlw_renewal' is '30/09/2025': expected a date"
                          " written yyyy-mm-dd";
    const char *order = "'partners/council/date_order' is 'ymd': expected one of dmy|mdy";
    rc = testkit_run (&output, "build/socval --config %s config check 2>&1", config);
    testkit_check (rc == 1 && s_has (output, renewal) && s_has (output, order),
                   "config check: a bad rlw_renewal and a bad date_order, each on its line");
    zstr_free (&output);
    rc = testkit_run (&output, "build/socval-compliance --config %s 2>&1", config);
    testkit_check (rc == 2 && s_has (output, renewal),
                   "compliance refuses to start naming the bad rlw_renewal");
    zstr_free (&output);
    rc = testkit_run (&output, "build/socval-ingest --config %s 2>&1", config);
    testkit_check (rc == 2 && s_has (output, "'partners/council/date_order' is 'ymd'"),
                   "ingest refuses to start naming the bad date_order");
    zstr_free (&output);

    //  Good values pass, and keys says what every key takes
    s_write_config (s_dir, "    return_period_months = 120\n",
                    "partners\n    council\n        rlw_renewal = \"2025-09-30\"\n"
                    "        date_order = \"mdy\"\n");
    rc = testkit_run (&output, "build/socval --config %s config check 2>&1", config);
    testkit_check (rc == 0 && s_has (output, "no problems"), "config check passes a good config");
    zstr_free (&output);
    rc = testkit_run (&output, "build/socval config keys");
    testkit_check (rc == 0 && s_has (output, "compliance/return_period_months = \"3\"  (an"
                                              " integer from 1 to 120)")
                   && s_has (output, "partners/*/rlw_renewal"),
                   "config keys lists a key with its default and range");
    zstr_free (&output);

    //  The configs the repository ships pass, so an operator starts from
    //  one with no problem
    rc = testkit_run (&output, "for file in deploy/hosts/*.cfg deploy/kubernetes/config/*.cfg; do"
                      " build/socval --config $file config check || echo FAILED; done 2>&1");
    testkit_check (rc == 0 && output && !strstr (output, "FAILED")
                   && s_has (output, "single-host.cfg: no problems"),
                   "every config in deploy/ passes config check");
    zstr_free (&output);

    //  A plain endpoint off loopback: refused, unless the config says so
    char *plain = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "valuation\n    stream_endpoint = \"tcp://0.0.0.0:" S_PLAIN_PORT "\"\n"
        "    control_endpoint = \"ipc://%s/valuation-control.ipc\"\n"
        "ingest\n    stream_endpoint = \"ipc://%s/ingest-stream.ipc\"\n", s_dir, s_dir, s_dir);
    testkit_write (s_dir, "socval.cfg", plain);
    zstr_free (&plain);
    rc = testkit_run (&output, "build/socval --config %s config check 2>&1", config);
    testkit_check (rc == 1 && s_has (output, "'valuation/stream_endpoint' is 'tcp://0.0.0.0:"
                                             S_PLAIN_PORT "': with security/curve = 0"),
                   "config check: a plain stream endpoint off loopback is a problem");
    zstr_free (&output);
    rc = testkit_run (&output, "build/socval-valuation --config %s 2>&1", config);
    testkit_check (rc == 1 && s_has (output, "refusing to bind tcp://0.0.0.0:" S_PLAIN_PORT
                                             " in the clear"),
                   "valuation refuses to bind a plain endpoint off loopback");
    zstr_free (&output);
    {
        FILE *file = fopen (config, "a");
        assert (file);
        fprintf (file, "security\n    allow_plain_remote = 1\n");
        fclose (file);
    }
    char *log = zsys_sprintf ("%s/valuation.log", s_dir);
    pid_t valuation = s_start_logged ("build/socval-valuation", config, log);
    bool warned = s_await_text (log, "bound in the clear off this host", 10000);
    char *control = zsys_sprintf ("ipc://%s/valuation-control.ipc", s_dir);
    bool answers = s_await_status (control, 10000);
    kill (valuation, SIGTERM);
    testkit_check (warned && answers && s_wait_exit (valuation, 10000) == 0,
                   "with security/allow_plain_remote = 1 it starts, and warns");
    zstr_free (&control);
    zstr_free (&log);

    //  A certificate without its secret half
    rc = testkit_run (NULL, "build/socval keys new ingest --dir %s/keys >/dev/null", s_dir);
    assert (rc == 0);
    char *secret = zsys_sprintf ("%s/keys/ingest.cert_secret", s_dir);
    char *hidden = zsys_sprintf ("%s/keys/ingest.secret.away", s_dir);
    assert (rename (secret, hidden) == 0);
    s_write_config (s_dir, "", "");
    rc = testkit_run (&output, "build/socval-ingest --config %s 2>&1", config);
    char *missing = zsys_sprintf ("%s is missing", secret);
    testkit_check (rc == 1 && s_has (output, missing),
                   "ingest with a certificate whose _secret is missing refuses to start,"
                   " naming it");
    zstr_free (&output);
    zstr_free (&missing);
    assert (rename (hidden, secret) == 0);
    zstr_free (&hidden);
    zstr_free (&secret);

    //  With its secret back ingest starts, and its feed is CURVE although
    //  security/curve is 0: a client in the clear gets no answer at all
    //  (ingest answers whatever reaches its feed, a refusal at least, so
    //  silence is the handshake failing)
    log = zsys_sprintf ("%s/ingest.log", s_dir);
    pid_t ingest = s_start_logged ("build/socval-ingest", config, log);
    control = zsys_sprintf ("ipc://%s/ingest-control.ipc", s_dir);
    answers = s_await_status (control, 10000);
    zsock_t *plain_client = zsock_new_dealer (NULL);
    zsock_set_linger (plain_client, 0);
    zsock_connect (plain_client, "ipc://%s/feed.ipc", s_dir);
    sv_proto_t submit = { .id = SV_PROTO_STATUS };
    zframe_t *frame = sv_proto_encode_frame (&submit);
    zframe_send (&frame, plain_client, 0);
    zpoller_t *poller = zpoller_new (plain_client, NULL);
    bool answered = zpoller_wait (poller, 500) != NULL;
    zpoller_destroy (&poller);
    zsock_destroy (&plain_client);
    testkit_check (answers && !answered,
                   "the partners' feed stays CURVE with security/curve = 0: a plain client"
                   " gets nothing");
    kill (ingest, SIGTERM);
    s_wait_exit (ingest, 10000);
    zstr_free (&control);
    zstr_free (&log);

    //  log/level = debug shows debug lines; a second compliance on the
    //  same store is refused, naming the first
    s_write_config (s_dir, "", "log\n    level = debug\n");
    log = zsys_sprintf ("%s/compliance.log", s_dir);
    pid_t compliance = s_start_logged ("build/socval-compliance", config, log);
    control = zsys_sprintf ("ipc://%s/compliance-control.ipc", s_dir);
    answers = s_await_status (control, 10000);
    testkit_check (answers && s_await_text (log, "D: ", 1000),
                   "log/level = debug: the service logs its debug lines");
    rc = testkit_run (&output, "build/socval-compliance --config %s 2>&1", config);
    char *holder = zsys_sprintf ("held by process %d", (int) compliance);
    testkit_check (rc == 2 && s_has (output, holder) && s_has (output, "compliance.lock"),
                   "a second compliance on the same store exits 2 naming the first's pid");
    zstr_free (&output);
    zstr_free (&holder);
    testkit_check (s_await_status (control, 2000), "the first compliance goes on");
    //  A holder killed outright leaves nothing to clear by hand
    kill (compliance, SIGKILL);
    s_wait_exit (compliance, 10000);
    compliance = s_start_logged ("build/socval-compliance", config, log);
    testkit_check (s_await_status (control, 10000),
                   "after the first is SIGKILLed, the next compliance takes the store");
    kill (compliance, SIGTERM);
    s_wait_exit (compliance, 10000);
    zstr_free (&control);
    zstr_free (&log);

    //  socval up starts nothing on a config with a problem
    s_write_config (s_dir, "    return_period_months = 0\n", "");
    rc = testkit_run (&output, "build/socval --data %s up --no-examples 2>&1", s_dir);
    testkit_check (rc == 2 && s_has (output, "'compliance/return_period_months' is '0'")
                   && !strstr (output, "started"),
                   "socval up on a config with a problem exits 2 naming it, starting nothing");
    zstr_free (&output);

    //  Two `socval up` on one data folder: the second stops before it
    //  touches anything, naming the first
    s_write_config (s_dir, "", "");
    log = zsys_sprintf ("%s/up.log", s_dir);
    pid_t up = fork ();
    if (up == 0) {
        int file = open (log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2 (file, STDOUT_FILENO);
        dup2 (file, STDERR_FILENO);
        execl ("build/socval", "build/socval", "--data", s_dir, "up", "--no-examples",
               (char *) NULL);
        _exit (127);
    }
    char *lock = zsys_sprintf ("%s/socval.lock", s_dir);
    char *pid_text = zsys_sprintf ("%d\n", (int) up);
    control = zsys_sprintf ("ipc://%s/compliance-control.ipc", s_dir);
    bool running = s_await_text (lock, pid_text, 10000) && s_await_status (control, 20000);
    rc = testkit_run (&output, "build/socval --data %s up --no-examples 2>&1", s_dir);
    holder = zsys_sprintf ("process %d (socval up)", (int) up);
    testkit_check (running && rc == 2 && s_has (output, holder),
                   "a second socval up on the same folder exits 2 naming the first's pid");
    zstr_free (&output);
    testkit_check (s_await_status (control, 2000) && waitpid (up, NULL, WNOHANG) == 0,
                   "the first stack goes on");
    kill (up, SIGTERM);
    testkit_check (s_wait_exit (up, 15000) == 0, "the first socval up stops on SIGTERM");
    zstr_free (&holder);
    zstr_free (&control);
    zstr_free (&pid_text);
    zstr_free (&lock);
    zstr_free (&log);

    zstr_free (&config);
    testkit_run (NULL, "rm -rf '%s'", s_dir);
    zstr_free (&s_dir);
    return testkit_summary ();
}
