/*  =========================================================================
    reporting_schedule - when a scheduled report runs, and which financial
    year it reports on

    A schedule is a five-field cron expression, read in UTC:

        minute  hour  day-of-month  month  day-of-week
        0-59    0-23  1-31          1-12   0-7 (0 and 7 are Sunday)
                                    jan-dec sun-sat

    Each field is "*", a number, a range "a-b", or a comma-separated list
    of these ("0,30", "mon-fri", "1-10,20"). Any of them may take a step,
    "/n" written after it, to keep every nth value: "*" then "/15" in the
    minute field is every quarter hour, "9-17/4" in the hour field is 9,
    13 and 17, and "5/20" is 5, 25, 45 (a single value with a step runs to
    the field's end). Month and day names are the
    English three-letter ones, in any case; they may be used in ranges. A
    range runs forwards: "sat-sun" is refused, write "sat,sun" or "6-7".

    Days follow classic cron (Vixie cron, cronie): when day-of-month and
    day-of-week are both restricted, a day fires if EITHER matches ("0 9
    13 * fri" is every 13th and every Friday). A field counts as
    unrestricted when it begins with "*", so every second day of the month
    ("*" with step "/2") with "mon" is the odd-numbered days that are
    Mondays, as cron has it.

    An expression naming days that never exist ("0 0 31 2 *", 31
    February) is accepted, as cron accepts it, and simply never fires:
    next and prev return -1 for it, which a service should log.

    Fire times are whole minutes (multiples of 60 seconds) at or after
    1970-01-01T00:00Z, so -1 is never one, and the search for one looks at
    most REPORTING_SCHEDULE_HORIZON_DAYS days ahead or back, day by day,
    then hour by hour: the longest gap between two fire times of any
    possible expression is 8 years (29 February 2096 to 29 February 2104).

    The year rule of a schedule says which financial year (April to March,
    written "2024-25") a run reports on: "previous", "current", or a
    year written out.

    Pure domain: no clock of its own (the caller passes the time), no
    sockets, no SQL.
    =========================================================================
*/

#ifndef REPORTING_SCHEDULE_H_INCLUDED
#define REPORTING_SCHEDULE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Size of a buffer that holds any reason reporting_schedule_new writes,
//  terminating nul included
#define REPORTING_SCHEDULE_REASON_MAX 160

//  Size of a buffer for a time written "2025-05-01T06:00:00Z", nul included
#define REPORTING_SCHEDULE_TIME_BUF 21

//  Size of a buffer for a financial year written "2024-25", nul included
#define REPORTING_SCHEDULE_YEAR_BUF 8

//  How far next and prev look for a fire time: 10 years of days
#define REPORTING_SCHEDULE_HORIZON_DAYS 3653

typedef struct _reporting_schedule_t reporting_schedule_t;

//  Reads a cron expression (fields separated by spaces or tabs, surrounding
//  blanks ignored). Returns the schedule, or NULL when the expression is
//  refused (or memory runs out: "out of memory"); then, if reason is not
//  NULL, writes into it (size bytes, REPORTING_SCHEDULE_REASON_MAX is
//  enough) why, naming the field and the value as written:
//    "field 2 (hour): '25' is outside 0-23"
//    "expected 5 fields (minute hour day-of-month month day-of-week), found 3"
//    "field 5 (day-of-week): 'fri-mon' runs backwards"
//    "field 1 (minute): '*/0': a step must be 1 or more"
reporting_schedule_t *
    reporting_schedule_new (const char *expression, char *reason, size_t size);

//  Destroys a schedule and nulls the caller's pointer; safe on NULL and
//  twice.
void
    reporting_schedule_destroy (reporting_schedule_t **self_p);

//  The expression as given, trimmed of surrounding blanks. Borrowed.
const char *
    reporting_schedule_expression (const reporting_schedule_t *self);

//  True when the minute that holds when (any second of it) is a fire time.
bool
    reporting_schedule_matches (const reporting_schedule_t *self, time_t when);

//  The first fire time strictly after after: a schedule that fired at
//  06:00:00 next fires at its following time, never at 06:00:00 again.
//  Returns -1 when there is none within REPORTING_SCHEDULE_HORIZON_DAYS
//  (an expression that never fires), or when after is before 1970 or
//  after the year 9990.
time_t
    reporting_schedule_next (const reporting_schedule_t *self, time_t after);

//  The latest fire time at or before at_or_before. A service starting up
//  runs a missed report once when prev (now) is later than its last run.
//  Returns -1 when there is none within REPORTING_SCHEDULE_HORIZON_DAYS
//  before at_or_before nor at or after 1970-01-01T00:00Z, or when
//  at_or_before is after the year 9990.
time_t
    reporting_schedule_prev (const reporting_schedule_t *self, time_t at_or_before);

//  Writes into out (REPORTING_SCHEDULE_YEAR_BUF bytes) the financial
//  year a run at fire_time reports on, by rule:
//    "previous"  the year before the one holding fire_time's UTC date
//                (a run on 2025-05-01 reports on 2024-25)
//    "current"   the year holding it (2025-26)
//    "2024-25"   that year, whatever the time ("2024/25" is read too;
//                years 1900-2199); out is always written "2024-25"
//  "previous" and "current" are read in any case, with surrounding blanks.
//  Returns 0, or -1 when rule is none of these (out is then ""). Call
//  with any time to check a rule read from config.
int
    reporting_schedule_year (const char *rule, time_t fire_time, char *out);

//  Writes when as "2025-05-01T06:00:00Z" into buf (REPORTING_SCHEDULE_
//  TIME_BUF bytes, size says how many). Returns buf.
const char *
    reporting_schedule_time_format (time_t when, char *buf, size_t size);

//  Reads a UTC time written "2025-05-01T06:00:00Z", "2025-05-01T06:00Z"
//  or with a space for the "T" and the "Z" left off (surrounding blanks
//  allowed), years 1970-9990, as clock files and operators write it.
//  Returns 0 and sets *when_p, or -1 with *when_p untouched.
int
    reporting_schedule_time_parse (const char *text, time_t *when_p);

//  Self test of this class; asserts (aborts) on failure.
void
    reporting_schedule_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
