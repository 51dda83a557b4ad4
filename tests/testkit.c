/*  testkit: what the process tests share. See testkit.h. */

#include "testkit.h"
#include <sys/wait.h>

static int s_passed, s_failed;

int
testkit_status (const char *endpoint, int timeout_ms, sv_proto_t *reply)
{
    zsock_t *control = zsock_new_dealer (endpoint);
    zsock_set_rcvtimeo (control, timeout_ms);
    sv_proto_t request = { .id = SV_PROTO_STATUS };
    zframe_t *frame = sv_proto_encode_frame (&request);
    zframe_send (&frame, control, 0);
    frame = zframe_recv (control);
    int rc = frame && sv_proto_decode (reply, zframe_data (frame), zframe_size (frame)) == 0
          && reply->id == SV_PROTO_STATUS_REPLY? 0: -1;
    zframe_destroy (&frame);
    zsock_destroy (&control);
    return rc;
}

int64_t
testkit_count (const char *endpoint, int timeout_ms, const char *name)
{
    sv_proto_t reply = { .id = 0 };
    int64_t rows = -1;
    if (testkit_status (endpoint, timeout_ms, &reply) == 0)
        for (size_t index = 0; index < reply.status_reply.counts_count; index++)
            if (streq (reply.status_reply.counts [index].name, name))
                rows = (int64_t) reply.status_reply.counts [index].rows;
    sv_proto_reset (&reply);
    return rows;
}

int64_t
testkit_read_stream (const char *endpoint, const char *stream, int timeout_ms,
                     void (*fn) (const sv_proto_event_t *event, void *arg), void *arg)
{
    zsock_t *dealer = zsock_new_dealer (endpoint);
    zsock_set_rcvtimeo (dealer, timeout_ms);
    int64_t count = 0;
    uint64_t after = 0;
    bool more = true;
    while (more) {
        sv_proto_t fetch = { .id = SV_PROTO_FETCH };
        fetch.fetch.stream = (char *) stream;
        fetch.fetch.after_seq = after;
        fetch.fetch.max = 5000;
        zframe_t *frame = sv_proto_encode_frame (&fetch);
        zframe_send (&frame, dealer, 0);
        frame = zframe_recv (dealer);
        sv_proto_t reply = { .id = 0 };
        more = frame && sv_proto_decode (&reply, zframe_data (frame), zframe_size (frame)) == 0
            && reply.id == SV_PROTO_EVENTS && reply.events.events_count > 0;
        for (size_t index = 0; more && index < reply.events.events_count; index++) {
            fn (&reply.events.events [index], arg);
            after = reply.events.events [index].seq;
            count++;
        }
        sv_proto_reset (&reply);
        zframe_destroy (&frame);
    }
    zsock_destroy (&dealer);
    return count;
}

void
testkit_check (bool ok, const char *what)
{
    printf ("%-4s %s\n", ok? "ok": "FAIL", what);
    if (ok)
        s_passed++;
    else
        s_failed++;
}

int
testkit_summary (void)
{
    printf ("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed? 1: 0;
}

int
testkit_run (char **output, const char *format, ...)
{
    va_list argptr;
    va_start (argptr, format);
    char *command = zsys_vprintf (format, argptr);
    va_end (argptr);
    FILE *pipe = popen (command, "r");
    assert (pipe);
    zchunk_t *text = zchunk_read (pipe, 1 << 20);
    int status = pclose (pipe);
    if (output)
        *output = strndup ((const char *) zchunk_data (text), zchunk_size (text));
    zchunk_destroy (&text);
    zstr_free (&command);
    return WIFEXITED (status)? WEXITSTATUS (status): -1;
}

int
testkit_socval (const char *dir, int timeout_s, char **output, const char *format, ...)
{
    va_list argptr;
    va_start (argptr, format);
    char *args = zsys_vprintf (format, argptr);
    va_end (argptr);
    int rc = testkit_run (output, "build/socval --data %s --timeout %d %s 2>/dev/null",
                          dir, timeout_s, args);
    zstr_free (&args);
    return rc;
}

void
testkit_write (const char *dir, const char *name, const char *text)
{
    char *path = zsys_sprintf ("%s/%s", dir, name);
    FILE *file = fopen (path, "w");
    assert (file && fputs (text, file) >= 0);
    fclose (file);
    zstr_free (&path);
}

pid_t
testkit_start (const char *program, const char *config_path)
{
    pid_t pid = fork ();
    if (pid == 0) {
        int null = open ("/dev/null", O_WRONLY);
        dup2 (null, STDOUT_FILENO);
        dup2 (null, STDERR_FILENO);
        execl (program, program, "--config", config_path, (char *) NULL);
        _exit (127);
    }
    return pid;
}

int64_t
testkit_now_us (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

long
testkit_peak_kb (pid_t pid)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *file = fopen (path, "r");
    long peak = -1;
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, "VmHWM:", 6) == 0)
            peak = atol (line + 6);
    if (file)
        fclose (file);
    return peak;
}

double
testkit_cpu_seconds (pid_t pid)
{
    char path [64];
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *file = fopen (path, "r");
    unsigned long user = 0, system = 0;
    //  Fields 14 and 15, in clock ticks; the name in field 2 has no spaces here
    bool read = file && fscanf (file, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
                                      " %lu %lu", &user, &system) == 2;
    if (file)
        fclose (file);
    return read? (double) (user + system) / (double) sysconf (_SC_CLK_TCK): -1;
}
