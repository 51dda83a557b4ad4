/*  testkit: what the process tests share. */
#ifndef TESTKIT_H_INCLUDED
#define TESTKIT_H_INCLUDED

#include <czmq.h>
#include "sv_proto.h"

//  Asks the control endpoint for STATUS straight over ZeroMQ (quicker than
//  the socval command when polling, and about one service only). Fills
//  reply (reset it after); 0, or -1 when nothing answers within timeout_ms.
int
    testkit_status (const char *endpoint, int timeout_ms, sv_proto_t *reply);

//  The rows a service's STATUS counts under name, or -1.
int64_t
    testkit_count (const char *endpoint, int timeout_ms, const char *name);

//  Reads the whole of stream at endpoint from the start, as a consumer
//  would, calling fn with each event (borrowed for the call). Returns the
//  number of events read.
int64_t
    testkit_read_stream (const char *endpoint, const char *stream, int timeout_ms,
                         void (*fn) (const sv_proto_event_t *event, void *arg), void *arg);

//  Prints "ok  what" or "FAIL what" and counts it.
void
    testkit_check (bool ok, const char *what);

//  Prints "N passed, N failed" (the closing line CI reads); returns the
//  exit code: 0 when nothing failed.
int
    testkit_summary (void);

//  Runs a shell command made from format; returns its exit code and, when
//  output is not NULL, its standard output (caller frees).
int
    testkit_run (char **output, const char *format, ...) CHECK_PRINTF (2);

//  Runs the socval command against the stack whose data folder is dir,
//  with --timeout timeout_s, its stderr dropped; args are made from
//  format. Returns its exit code and, when output is not NULL, its
//  standard output (caller frees).
int
    testkit_socval (const char *dir, int timeout_s, char **output, const char *format, ...)
    CHECK_PRINTF (4);

//  Writes text to the file name in folder dir (asserts it can).
void
    testkit_write (const char *dir, const char *name, const char *text);

//  Starts program with --config config_path, its output dropped. Returns
//  its pid.
pid_t
    testkit_start (const char *program, const char *config_path);

//  Microseconds on the monotonic clock, comparable across processes.
int64_t
    testkit_now_us (void);

//  Peak resident memory of process pid in kB (VmHWM), or -1.
long
    testkit_peak_kb (pid_t pid);

//  CPU seconds process pid has used so far, user and system, or -1.
double
    testkit_cpu_seconds (pid_t pid);

#endif
