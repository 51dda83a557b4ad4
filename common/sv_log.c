/*  sv_log: how much a process logs. See sv_log.h.

    The filter is a stdio stream of its own (glibc's fopencookie) handed to
    zsys_set_logstream. CZMQ writes each line whole and flushes it under
    its own lock, but the filter keeps its place across writes anyway, so a
    line split between two writes is still kept or dropped whole.
*/

#include "sv_log.h"
#include <czmq.h>

static const char *const s_levels [] = { "error", "warning", "info", "debug" };

static struct {
    FILE *filter;               //  the stream CZMQ writes to
    FILE *out;                  //  where kept lines go
    int level;                  //  index in s_levels: lines ranked above it go
    bool at_start;              //  the next byte starts a line
    bool keep;                  //  the line being written is kept
} s_self;

//  A line's rank, from its first letter; anything else is kept
static int
s_rank (char letter)
{
    switch (letter) {
        case 'W': return 1;
        case 'N':
        case 'I': return 2;
        case 'D': return 3;
        default:  return 0;
    }
}

static ssize_t
s_write (void *cookie, const char *data, size_t size)
{
    (void) cookie;
    for (size_t index = 0; index < size; index++) {
        if (s_self.at_start)
            s_self.keep = s_rank (data [index]) <= s_self.level;
        s_self.at_start = data [index] == '\n';
        if (s_self.keep)
            fputc (data [index], s_self.out);
    }
    fflush (s_self.out);
    return (ssize_t) size;
}

int
sv_log_start (const char *level, FILE *stream)
{
    assert (level && stream);
    int found = -1;
    for (int index = 0; index < 4; index++)
        if (streq (level, s_levels [index]))
            found = index;
    if (found < 0)
        return -1;
    if (!s_self.filter) {
        cookie_io_functions_t functions = { .write = s_write };
        s_self.filter = fopencookie (NULL, "w", functions);
        if (!s_self.filter)
            return -1;
        setvbuf (s_self.filter, NULL, _IOLBF, 0);
        s_self.at_start = true;
    }
    s_self.out = stream;
    s_self.level = found;
    zsys_set_logstream (s_self.filter);
    return 0;
}

void
sv_log_stop (void)
{
    if (!s_self.filter)
        return;
    zsys_set_logstream (s_self.out);
    fclose (s_self.filter);
    s_self.filter = NULL;
}

//  --------------------------------------------------------------------------
//  Self-test: each level keeps what it should

void
sv_log_test (bool verbose)
{
    if (verbose)
        printf (" * sv_log: ");
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    assert (sv_log_start ("loud", out) == -1);
    assert (sv_log_start ("warning", out) == 0);
    zsys_error ("sv_log_test one");
    zsys_warning ("sv_log_test two");
    zsys_info ("sv_log_test three");
    zsys_debug ("sv_log_test four");
    assert (sv_log_start ("debug", out) == 0);
    zsys_debug ("sv_log_test five");
    assert (sv_log_start ("error", out) == 0);
    zsys_warning ("sv_log_test six");
    zsys_notice ("sv_log_test seven");
    sv_log_stop ();
    sv_log_stop ();
    zsys_set_logstream (stdout);
    fclose (out);
    assert (strstr (text, "E: ") && strstr (text, "sv_log_test one\n"));
    assert (strstr (text, "sv_log_test two\n"));
    assert (!strstr (text, "three") && !strstr (text, "four"));
    assert (strstr (text, "D: ") && strstr (text, "sv_log_test five\n"));
    assert (!strstr (text, "six") && !strstr (text, "seven"));
    free (text);
    if (verbose)
        printf ("OK\n");
}
