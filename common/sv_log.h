/*  sv_log: how much a process logs, as log/level says.

    Services log with CZMQ's zsys_error, zsys_warning, zsys_notice,
    zsys_info and zsys_debug, which have no level of their own: each writes
    one line to the log stream, starting with its level's letter ("E: ",
    "W: ", "N: ", "I: ", "D: "). sv_log_start puts a filter in front of the
    stream that drops the lines below the level configured, so no call site
    changes and a line is never cut. A notice counts as info.
*/
#ifndef SV_LOG_H_INCLUDED
#define SV_LOG_H_INCLUDED

#include <stdbool.h>
#include <stdio.h>

//  Sends this process's log lines to stream (borrowed; it must outlive the
//  process's logging, as stdout and stderr do), keeping only those at
//  level or above: "error", "warning", "info" or "debug". May be called
//  again to change either. 0, or -1 (nothing changed) for another level.
int
    sv_log_start (const char *level, FILE *stream);

//  Sends log lines straight to the stream last given again, unfiltered,
//  and frees the filter. Safe when never started.
void
    sv_log_stop (void);

void
    sv_log_test (bool verbose);

#endif
