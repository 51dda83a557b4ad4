/*  =========================================================================
    reporting_schedule - cron schedules for reports, and their year rule.
    See the header for the expression syntax and the day rule.

    Data. Each field is kept as a bit set of the values it allows (minute
    0-59 in 64 bits, hour, day of month 1-31, month 1-12, day of week 0-6
    with 7 folded onto 0), plus whether day-of-month and day-of-week began
    with "*", which decides between "both days" and "either day".

    Searching. Times are split into a day number (sv_date: days since
    1970-01-01), an hour and a minute. next and prev walk day by day, a
    day costing one calendar split and two bit tests; on a matching day
    they take the first (or last) allowed hour with an allowed minute. So a
    search costs at most REPORTING_SCHEDULE_HORIZON_DAYS small steps, and
    an expression that never fires ends there with -1.
    =========================================================================
*/

#include "reporting_schedule.h"
#include "sv_date.h"
#include <czmq.h>

#define S_FIELDS 5

struct _reporting_schedule_t {
    char *expression;
    uint64_t mask [S_FIELDS];   //  bit n set: value n allowed
    bool dom_star;              //  day-of-month began with "*"
    bool dow_star;              //  day-of-week began with "*"
};

enum { F_MINUTE, F_HOUR, F_DOM, F_MONTH, F_DOW };

static const char *const s_month_names [] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
};
static const char *const s_day_names [] = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

//  What each field allows
static const struct {
    const char *name;           //  as reasons name it
    int low;
    int high;
    const char *const *names;   //  NULL-terminated, or NULL
    int first_name;             //  the value of names [0]
    const char *not_a_value;    //  reason for a value that is neither
} s_field [S_FIELDS] = {
    { "minute", 0, 59, NULL, 0, "is not a number" },
    { "hour", 0, 23, NULL, 0, "is not a number" },
    { "day-of-month", 1, 31, NULL, 0, "is not a number" },
    { "month", 1, 12, s_month_names, 1, "is not a number or a month name (jan-dec)" },
    { "day-of-week", 0, 7, s_day_names, 0, "is not a number or a day name (sun-sat)" },
};

//  Longest field or value quoted in a reason, in bytes
#define S_QUOTE_MAX 40


//  --------------------------------------------------------------------------
//  Time arithmetic: whole days since 1970 and the minute of the day

static int64_t
s_floor_div (int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

//  The first second after the year 9990, the last a search starts from
static int64_t
s_time_limit (void)
{
    return (int64_t) sv_date_from_ymd (9991, 1, 1) * 86400;
}

//  Day of week of a day number, 0 Sunday; 1970-01-01 was a Thursday
static int
s_weekday (int32_t day)
{
    return (int) (((int64_t) day % 7 + 7 + 4) % 7);
}


//  --------------------------------------------------------------------------
//  Parsing

//  Writes a reason "field N (name): ..." into reason, if not NULL
static void
s_refuse (char *reason, size_t size, int field, const char *format, ...)
{
    if (!reason || size == 0)
        return;
    int used = field >= 0
             ? snprintf (reason, size, "field %d (%s): ", field + 1, s_field [field].name)
             : 0;
    if (used < 0 || (size_t) used >= size)
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (reason + used, size - (size_t) used, format, args);
    va_end (args);
}

//  Reads one value (a number or a name) of text [0..length) for field.
//  Returns 0 and sets *value_p, or -1 having written the reason.
static int
s_value (int field, const char *text, size_t length, int *value_p,
         char *reason, size_t size)
{
    int quoted = (int) (length < S_QUOTE_MAX? length: S_QUOTE_MAX);
    assert (length > 0);
    if (isdigit ((unsigned char) text [0])) {
        int value = 0;
        for (size_t at = 0; at < length; at++) {
            if (!isdigit ((unsigned char) text [at])) {
                s_refuse (reason, size, field, "'%.*s' %s", quoted, text,
                          s_field [field].not_a_value);
                return -1;
            }
            //  Past 9999 it is out of range whatever it is
            if (value < 10000)
                value = value * 10 + (text [at] - '0');
        }
        if (value < s_field [field].low || value > s_field [field].high) {
            s_refuse (reason, size, field, "'%.*s' is outside %d-%d", quoted, text,
                      s_field [field].low, s_field [field].high);
            return -1;
        }
        *value_p = value;
        return 0;
    }
    const char *const *names = s_field [field].names;
    if (names && length == 3)
        for (int index = 0; names [index]; index++)
            if (strncasecmp (text, names [index], 3) == 0) {
                *value_p = index + s_field [field].first_name;
                return 0;
            }
    s_refuse (reason, size, field, "'%.*s' %s", quoted, text, s_field [field].not_a_value);
    return -1;
}

//  Reads one list item of field: "*", "a", "a-b", each optionally "/n".
//  Adds its values to *mask_p. Returns 0, or -1 having written the reason.
static int
s_item (int field, const char *text, size_t length, uint64_t *mask_p,
        char *reason, size_t size)
{
    int quoted = (int) (length < S_QUOTE_MAX? length: S_QUOTE_MAX);
    const char *slash = memchr (text, '/', length);
    size_t base_length = slash? (size_t) (slash - text): length;
    int low = s_field [field].low, high = s_field [field].high, step = 1;
    if (slash) {
        const char *step_text = slash + 1;
        size_t step_length = length - base_length - 1;
        if (step_length == 0 || step_length > 4
        ||  strspn (step_text, "0123456789") < step_length) {
            s_refuse (reason, size, field, "'%.*s': a step is a number after '/'",
                      quoted, text);
            return -1;
        }
        step = atoi (step_text);
        if (step < 1) {
            s_refuse (reason, size, field, "'%.*s': a step must be 1 or more", quoted, text);
            return -1;
        }
    }
    //  To the field's end, day-of-week's is 6: 7 is Sunday again
    if (field == F_DOW)
        high = 6;
    if (base_length != 1 || text [0] != '*') {
        const char *dash = memchr (text, '-', base_length);
        size_t first_length = dash? (size_t) (dash - text): base_length;
        if (first_length == 0 || (dash && first_length + 1 == base_length)) {
            s_refuse (reason, size, field, "'%.*s' has a value missing", quoted, text);
            return -1;
        }
        if (s_value (field, text, first_length, &low, reason, size))
            return -1;
        if (dash) {
            if (s_value (field, dash + 1, base_length - first_length - 1, &high,
                         reason, size))
                return -1;
            if (high < low) {
                s_refuse (reason, size, field, "'%.*s' runs backwards", quoted, text);
                return -1;
            }
        }
        else
        if (!slash)
            high = low;
    }
    for (int value = low; value <= high; value += step)
        *mask_p |= (uint64_t) 1 << value;
    return 0;
}

//  Reads one field, a comma-separated list of items, into *mask_p
static int
s_field_parse (int field, const char *text, size_t length, uint64_t *mask_p,
               char *reason, size_t size)
{
    *mask_p = 0;
    size_t start = 0;
    while (true) {
        const char *comma = memchr (text + start, ',', length - start);
        size_t end = comma? (size_t) (comma - text): length;
        if (end == start) {
            int quoted = (int) (length < S_QUOTE_MAX? length: S_QUOTE_MAX);
            s_refuse (reason, size, field, "'%.*s' has an empty list item", quoted, text);
            return -1;
        }
        if (s_item (field, text + start, end - start, mask_p, reason, size))
            return -1;
        if (!comma)
            break;
        start = end + 1;
    }
    if (field == F_DOW && (*mask_p & ((uint64_t) 1 << 7)))
        *mask_p = (*mask_p & ~((uint64_t) 1 << 7)) | 1;
    return 0;
}


//  --------------------------------------------------------------------------
//  Reads a cron expression

reporting_schedule_t *
reporting_schedule_new (const char *expression, char *reason, size_t size)
{
    assert (expression);
    const char *blanks = " \t\r\n";
    const char *start = expression + strspn (expression, blanks);
    size_t length = strlen (start);
    while (length > 0 && strchr (blanks, start [length - 1]))
        length--;

    //  Fields: runs of non-blanks
    const char *field_text [S_FIELDS];
    size_t field_length [S_FIELDS];
    int count = 0;
    for (size_t at = 0; at < length;) {
        size_t run = strcspn (start + at, blanks);
        if (run > length - at)
            run = length - at;
        if (count < S_FIELDS) {
            field_text [count] = start + at;
            field_length [count] = run;
        }
        count++;
        at += run;
        at += strspn (start + at, blanks);
    }
    if (count != S_FIELDS) {
        s_refuse (reason, size, -1,
                  "expected 5 fields (minute hour day-of-month month day-of-week), found %d",
                  count);
        return NULL;
    }
    reporting_schedule_t *self = (reporting_schedule_t *) zmalloc (sizeof *self);
    if (self)
        self->expression = (char *) malloc (length + 1);
    if (!self || !self->expression) {
        s_refuse (reason, size, -1, "out of memory");
        reporting_schedule_destroy (&self);
        return NULL;
    }
    memcpy (self->expression, start, length);
    self->expression [length] = 0;
    for (int field = 0; field < S_FIELDS; field++)
        if (s_field_parse (field, field_text [field], field_length [field],
                           &self->mask [field], reason, size)) {
            reporting_schedule_destroy (&self);
            return NULL;
        }
    self->dom_star = field_text [F_DOM][0] == '*';
    self->dow_star = field_text [F_DOW][0] == '*';
    return self;
}

void
reporting_schedule_destroy (reporting_schedule_t **self_p)
{
    assert (self_p);
    reporting_schedule_t *self = *self_p;
    if (!self)
        return;
    free (self->expression);
    free (self);
    *self_p = NULL;
}

const char *
reporting_schedule_expression (const reporting_schedule_t *self)
{
    assert (self);
    return self->expression;
}


//  --------------------------------------------------------------------------
//  Matching and searching

static bool
s_allows (const reporting_schedule_t *self, int field, int value)
{
    return (self->mask [field] >> value) & 1;
}

//  Whether day (a day number) is a day the schedule fires on
static bool
s_day_matches (const reporting_schedule_t *self, int32_t day)
{
    int year, month, mday;
    sv_date_to_ymd (day, &year, &month, &mday);
    if (!s_allows (self, F_MONTH, month))
        return false;
    bool by_date = s_allows (self, F_DOM, mday);
    bool by_weekday = s_allows (self, F_DOW, s_weekday (day));
    if (self->dom_star || self->dow_star)
        return by_date && by_weekday;
    return by_date || by_weekday;
}

bool
reporting_schedule_matches (const reporting_schedule_t *self, time_t when)
{
    assert (self);
    int64_t minute = s_floor_div ((int64_t) when, 60);
    int64_t day = s_floor_div (minute, 1440);
    if (day < INT32_MIN || day > INT32_MAX)
        return false;
    int of_day = (int) (minute - day * 1440);
    return s_allows (self, F_HOUR, of_day / 60)
        && s_allows (self, F_MINUTE, of_day % 60)
        && s_day_matches (self, (int32_t) day);
}

time_t
reporting_schedule_next (const reporting_schedule_t *self, time_t after)
{
    assert (self);
    if (after < 0 || (int64_t) after >= s_time_limit ())
        return -1;
    //  The first whole minute after after
    int64_t first = ((int64_t) after / 60 + 1) * 60;
    int32_t day = (int32_t) (first / 86400);
    int of_day = (int) (first % 86400 / 60);
    int32_t last_day = day + REPORTING_SCHEDULE_HORIZON_DAYS;
    for (bool first_day = true; day <= last_day; day++, first_day = false) {
        if (!s_day_matches (self, day))
            continue;
        for (int hour = first_day? of_day / 60: 0; hour < 24; hour++) {
            if (!s_allows (self, F_HOUR, hour))
                continue;
            int from = first_day && hour == of_day / 60? of_day % 60: 0;
            for (int minute = from; minute < 60; minute++)
                if (s_allows (self, F_MINUTE, minute))
                    return (time_t) ((int64_t) day * 86400 + hour * 3600 + minute * 60);
        }
    }
    return -1;
}

time_t
reporting_schedule_prev (const reporting_schedule_t *self, time_t at_or_before)
{
    assert (self);
    if (at_or_before < 0 || (int64_t) at_or_before >= s_time_limit ())
        return -1;
    int64_t last = (int64_t) at_or_before / 60 * 60;
    int32_t day = (int32_t) (last / 86400);
    int of_day = (int) (last % 86400 / 60);
    int32_t first_day_searched = day - REPORTING_SCHEDULE_HORIZON_DAYS;
    if (first_day_searched < 0)
        first_day_searched = 0;
    for (bool last_day = true; day >= first_day_searched; day--, last_day = false) {
        if (!s_day_matches (self, day))
            continue;
        for (int hour = last_day? of_day / 60: 23; hour >= 0; hour--) {
            if (!s_allows (self, F_HOUR, hour))
                continue;
            int upto = last_day && hour == of_day / 60? of_day % 60: 59;
            for (int minute = upto; minute >= 0; minute--)
                if (s_allows (self, F_MINUTE, minute))
                    return (time_t) ((int64_t) day * 86400 + hour * 3600 + minute * 60);
        }
    }
    return -1;
}


//  --------------------------------------------------------------------------
//  The financial year a run reports on

int
reporting_schedule_year (const char *rule, time_t fire_time, char *out)
{
    assert (rule);
    assert (out);
    out [0] = 0;
    const char *blanks = " \t\r\n";
    const char *start = rule + strspn (rule, blanks);
    size_t length = strlen (start);
    while (length > 0 && strchr (blanks, start [length - 1]))
        length--;
    int64_t day = s_floor_div ((int64_t) fire_time, 86400);
    int fy;
    if ((length == 8 && strncasecmp (start, "previous", 8) == 0)
    ||  (length == 7 && strncasecmp (start, "current", 7) == 0)) {
        if (day < sv_date_from_ymd (2, 1, 1) || day > sv_date_from_ymd (9998, 12, 31))
            return -1;
        fy = sv_date_fy ((int32_t) day) - (length == 8? 1: 0);
    }
    else
    if (sv_date_fy_parse (rule, &fy))
        return -1;
    sv_date_fy_format (fy, out, REPORTING_SCHEDULE_YEAR_BUF);
    return 0;
}


//  --------------------------------------------------------------------------
//  UTC times for people and clock files

const char *
reporting_schedule_time_format (time_t when, char *buf, size_t size)
{
    assert (buf);
    assert (size >= REPORTING_SCHEDULE_TIME_BUF);
    int64_t day = s_floor_div ((int64_t) when, 86400);
    int of_day = (int) ((int64_t) when - day * 86400);
    char date [SV_DATE_BUF];
    if (day < INT32_MIN || day > INT32_MAX)
        snprintf (buf, size, "out of range");
    else
        snprintf (buf, size, "%.10sT%02d:%02d:%02dZ",
                  sv_date_format ((int32_t) day, date, sizeof date),
                  of_day / 3600, of_day / 60 % 60, of_day % 60);
    return buf;
}

//  Reads exactly width digits at *text_p, moving it past them
static bool
s_digits (const char **text_p, int width, int *value_p)
{
    int value = 0;
    for (int at = 0; at < width; at++) {
        char digit = (*text_p) [at];
        if (digit < '0' || digit > '9')
            return false;
        value = value * 10 + (digit - '0');
    }
    *text_p += width;
    *value_p = value;
    return true;
}

int
reporting_schedule_time_parse (const char *text, time_t *when_p)
{
    assert (text);
    assert (when_p);
    const char *scan = text + strspn (text, " \t\r\n");
    int year, month, mday, hour, minute, second = 0;
    if (!s_digits (&scan, 4, &year) || *scan++ != '-'
    ||  !s_digits (&scan, 2, &month) || *scan++ != '-'
    ||  !s_digits (&scan, 2, &mday))
        return -1;
    if (*scan != 'T' && *scan != ' ')
        return -1;
    scan++;
    if (!s_digits (&scan, 2, &hour) || *scan++ != ':' || !s_digits (&scan, 2, &minute))
        return -1;
    if (*scan == ':') {
        scan++;
        if (!s_digits (&scan, 2, &second))
            return -1;
    }
    if (*scan == 'Z')
        scan++;
    scan += strspn (scan, " \t\r\n");
    if (*scan || year < 1970 || year > 9990 || !sv_date_valid_ymd (year, month, mday)
    ||  hour > 23 || minute > 59 || second > 59)
        return -1;
    *when_p = (time_t) ((int64_t) sv_date_from_ymd (year, month, mday) * 86400
                        + hour * 3600 + minute * 60 + second);
    return 0;
}


//  --------------------------------------------------------------------------
//  Self test

//  A time from its text, for hand-checked cases
static time_t
s_test_time (const char *text)
{
    time_t when = 0;
    int rc = reporting_schedule_time_parse (text, &when);
    assert (rc == 0);
    return when;
}

//  Asserts next (after) and prints it when verbose
static void
s_test_next (const char *expression, const char *after, const char *expected, bool verbose)
{
    reporting_schedule_t *schedule = reporting_schedule_new (expression, NULL, 0);
    assert (schedule);
    char got [REPORTING_SCHEDULE_TIME_BUF];
    time_t next = reporting_schedule_next (schedule, s_test_time (after));
    reporting_schedule_time_format (next, got, sizeof got);
    if (verbose)
        printf ("   next '%s' after %s: %s\n", expression, after, got);
    assert (next == s_test_time (expected));
    assert (streq (got, expected));
    assert (reporting_schedule_matches (schedule, next));
    reporting_schedule_destroy (&schedule);
}

static void
s_test_prev (const char *expression, const char *at, const char *expected, bool verbose)
{
    reporting_schedule_t *schedule = reporting_schedule_new (expression, NULL, 0);
    assert (schedule);
    char got [REPORTING_SCHEDULE_TIME_BUF];
    time_t prev = reporting_schedule_prev (schedule, s_test_time (at));
    reporting_schedule_time_format (prev, got, sizeof got);
    if (verbose)
        printf ("   prev '%s' at or before %s: %s\n", expression, at, got);
    assert (prev == s_test_time (expected));
    reporting_schedule_destroy (&schedule);
}

//  Asserts that expression is refused with reason
static void
s_test_refused (const char *expression, const char *expected, bool verbose)
{
    char reason [REPORTING_SCHEDULE_REASON_MAX];
    reporting_schedule_t *schedule = reporting_schedule_new (expression, reason, sizeof reason);
    if (verbose)
        printf ("   '%s': %s\n", expression, schedule? "accepted": reason);
    assert (schedule == NULL);
    assert (streq (reason, expected));
}

//  Whether the scan checks minute index: every minute next to a fire time,
//  and every 37th (a search over years for each minute would be slow)
static bool
s_test_sampled (const bool *fires, size_t minutes, size_t index)
{
    return index % 37 == 0 || fires [index]
        || (index > 0 && fires [index - 1]) || (index + 1 < minutes && fires [index + 1]);
}

//  Checks next and prev against matches over days days from start: for
//  the minutes sampled, next from any second of the minute is the first
//  matching minute after it, and prev the last matching minute up to it.
static void
s_test_against_scan (const char *expression, const char *start, int days)
{
    reporting_schedule_t *schedule = reporting_schedule_new (expression, NULL, 0);
    assert (schedule);
    time_t origin = s_test_time (start);
    size_t minutes = (size_t) days * 1440;
    bool *fires = (bool *) calloc (minutes, sizeof (bool));
    assert (fires);
    for (size_t index = 0; index < minutes; index++)
        fires [index] = reporting_schedule_matches (schedule, origin + (time_t) index * 60);
    //  Forwards for prev, backwards for next; seconds vary with the minute
    time_t seen = -1;
    for (size_t index = 0; index < minutes; index++) {
        if (fires [index])
            seen = origin + (time_t) index * 60;
        time_t at = origin + (time_t) index * 60 + (time_t) (index % 60);
        if (!s_test_sampled (fires, minutes, index))
            continue;
        if (seen >= 0)
            assert (reporting_schedule_prev (schedule, at) == seen);
        else
            assert (reporting_schedule_prev (schedule, at) < origin);
    }
    time_t coming = -1;
    for (size_t index = minutes; index-- > 0;) {
        time_t at = origin + (time_t) index * 60 + (time_t) (index * 7 % 60);
        if (!s_test_sampled (fires, minutes, index))
            ;
        else
        if (coming >= 0)
            assert (reporting_schedule_next (schedule, at) == coming);
        else {
            time_t next = reporting_schedule_next (schedule, at);
            assert (next == -1 || next >= origin + (time_t) minutes * 60);
        }
        if (fires [index])
            coming = origin + (time_t) index * 60;
    }
    free (fires);
    reporting_schedule_destroy (&schedule);
}

void
reporting_schedule_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_schedule:\n");

    //  Times in and out
    char text [REPORTING_SCHEDULE_TIME_BUF];
    time_t when = 0;
    assert (reporting_schedule_time_parse ("2025-05-01T06:00:00Z", &when) == 0);
    assert (when == 1746079200);
    assert (streq (reporting_schedule_time_format (when, text, sizeof text),
                   "2025-05-01T06:00:00Z"));
    assert (reporting_schedule_time_parse (" 2025-05-01 06:00 ", &when) == 0);
    assert (when == 1746079200);
    assert (reporting_schedule_time_parse ("1970-01-01T00:00Z", &when) == 0 && when == 0);
    when = 42;
    assert (reporting_schedule_time_parse ("2025-05-01", &when) == -1);
    assert (reporting_schedule_time_parse ("2025-02-29T06:00Z", &when) == -1);
    assert (reporting_schedule_time_parse ("2025-05-01T24:00Z", &when) == -1);
    assert (reporting_schedule_time_parse ("2025-05-01T06:00+01:00", &when) == -1);
    assert (reporting_schedule_time_parse ("1969-12-31T23:59Z", &when) == -1);
    assert (when == 42);

    //  The annual report: 06:00 on 1 May, this year's and then next year's
    s_test_next ("0 6 1 5 *", "2025-01-01T00:00:00Z", "2025-05-01T06:00:00Z", verbose);
    s_test_next ("0 6 1 5 *", "2025-05-01T05:59:59Z", "2025-05-01T06:00:00Z", verbose);
    s_test_next ("0 6 1 5 *", "2025-05-01T06:00:00Z", "2026-05-01T06:00:00Z", verbose);
    s_test_next ("0 6 1 5 *", "2025-05-01T06:00:30Z", "2026-05-01T06:00:00Z", verbose);
    s_test_next ("0 6 1 may *", "2025-01-01T00:00:00Z", "2025-05-01T06:00:00Z", verbose);
    //  Monthly, across a month end and a year end
    s_test_next ("0 7 1 * *", "2025-01-31T12:00:00Z", "2025-02-01T07:00:00Z", verbose);
    s_test_next ("0 7 1 * *", "2025-02-01T07:00:00Z", "2025-03-01T07:00:00Z", verbose);
    s_test_next ("0 7 1 * *", "2025-12-01T07:00:00Z", "2026-01-01T07:00:00Z", verbose);
    //  Every quarter hour on weekdays: 2025-05-02 is a Friday
    s_test_next ("*/15 * * * mon-fri", "2025-05-02T23:44:59Z", "2025-05-02T23:45:00Z", verbose);
    s_test_next ("*/15 * * * mon-fri", "2025-05-02T23:45:00Z", "2025-05-05T00:00:00Z", verbose);
    s_test_next ("*/15 * * * MON-FRI", "2025-05-06T10:07:00Z", "2025-05-06T10:15:00Z", verbose);
    s_test_next ("*/15 * * * 1-5", "2025-05-03T12:00:00Z", "2025-05-05T00:00:00Z", verbose);
    //  29 February: 2028 next; from 2096 the next is 2104, as 2100 is no leap year
    s_test_next ("0 0 29 2 *", "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z", verbose);
    s_test_next ("0 0 29 feb *", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", verbose);
    s_test_next ("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z", verbose);
    //  Both day fields restricted: the 13th OR a Friday (2025-06-06 and -13 are Fridays)
    s_test_next ("0 12 13 * fri", "2025-06-01T00:00:00Z", "2025-06-06T12:00:00Z", verbose);
    s_test_next ("0 12 13 * fri", "2025-06-06T12:00:00Z", "2025-06-13T12:00:00Z", verbose);
    s_test_next ("0 12 13 * fri", "2025-07-11T12:00:00Z", "2025-07-13T12:00:00Z", verbose);
    s_test_next ("0 12 13 * *", "2025-06-01T00:00:00Z", "2025-06-13T12:00:00Z", verbose);
    s_test_next ("0 12 * * fri", "2025-06-07T00:00:00Z", "2025-06-13T12:00:00Z", verbose);
    //  "*/2" counts as unrestricted: odd days that are Mondays (9 and 23 June)
    s_test_next ("0 0 */2 * mon", "2025-06-01T00:00:00Z", "2025-06-09T00:00:00Z", verbose);
    s_test_next ("0 0 */2 * mon", "2025-06-09T00:00:00Z", "2025-06-23T00:00:00Z", verbose);
    //  Sunday is 0, 7 and sun; 2025-06-01 is a Sunday
    s_test_next ("30 8 * * 0", "2025-05-27T00:00:00Z", "2025-06-01T08:30:00Z", verbose);
    s_test_next ("30 8 * * 7", "2025-05-27T00:00:00Z", "2025-06-01T08:30:00Z", verbose);
    s_test_next ("30 8 * * Sun", "2025-05-27T00:00:00Z", "2025-06-01T08:30:00Z", verbose);
    s_test_next ("30 8 * * 5-7", "2025-06-02T00:00:00Z", "2025-06-06T08:30:00Z", verbose);
    //  Lists, ranges with steps, "a/n", month names in a list
    s_test_next ("0-30/10 9-17/4 * * *", "2025-06-02T09:30:00Z", "2025-06-02T13:00:00Z", verbose);
    s_test_next ("0-30/10 9-17/4 * * *", "2025-06-02T17:30:00Z", "2025-06-03T09:00:00Z", verbose);
    s_test_next ("45/5 * * * *", "2025-06-02T09:55:00Z", "2025-06-02T10:45:00Z", verbose);
    s_test_next ("0 9 1 jan,JUL *", "2025-01-01T09:00:00Z", "2025-07-01T09:00:00Z", verbose);
    s_test_next ("59 23 31 * *", "2025-01-31T23:59:00Z", "2025-03-31T23:59:00Z", verbose);

    //  prev: the latest fire time at or before, as a restarted service asks
    s_test_prev ("0 6 1 5 *", "2025-06-10T12:00:00Z", "2025-05-01T06:00:00Z", verbose);
    s_test_prev ("0 6 1 5 *", "2025-05-01T06:00:00Z", "2025-05-01T06:00:00Z", verbose);
    s_test_prev ("0 6 1 5 *", "2025-05-01T06:00:59Z", "2025-05-01T06:00:00Z", verbose);
    s_test_prev ("0 6 1 5 *", "2025-05-01T05:59:59Z", "2024-05-01T06:00:00Z", verbose);
    s_test_prev ("*/15 * * * mon-fri", "2025-05-04T12:00:00Z", "2025-05-02T23:45:00Z", verbose);
    s_test_prev ("0 7 1 * *", "2025-03-01T06:59:00Z", "2025-02-01T07:00:00Z", verbose);
    s_test_prev ("0 0 29 2 *", "2104-02-28T00:00:00Z", "2096-02-29T00:00:00Z", verbose);

    //  A missed run: last ran 2024-05-01, down from April to 3 May 2025
    reporting_schedule_t *schedule = reporting_schedule_new ("0 6 1 5 *", NULL, 0);
    assert (schedule);
    assert (streq (reporting_schedule_expression (schedule), "0 6 1 5 *"));
    time_t last_run = s_test_time ("2024-05-01T06:00:00Z");
    time_t now = s_test_time ("2025-05-03T09:12:00Z");
    time_t missed = reporting_schedule_prev (schedule, now);
    assert (missed > last_run);
    assert (missed == s_test_time ("2025-05-01T06:00:00Z"));
    char year [REPORTING_SCHEDULE_YEAR_BUF];
    assert (reporting_schedule_year ("previous", missed, year) == 0);
    assert (streq (year, "2024-25"));
    //  Once made up, it is not run again; the next run is next May
    last_run = missed;
    assert (!(reporting_schedule_prev (schedule, now) > last_run));
    assert (reporting_schedule_next (schedule, now) == s_test_time ("2026-05-01T06:00:00Z"));
    //  A service never run before (last_run 0) makes up the latest run
    assert (reporting_schedule_prev (schedule, now) > 0);
    //  Nothing before 1970 is ever returned
    assert (reporting_schedule_prev (schedule, s_test_time ("1970-04-30T00:00:00Z")) == -1);
    assert (reporting_schedule_prev (schedule, -1) == -1);
    assert (reporting_schedule_next (schedule, -1) == -1);
    assert (reporting_schedule_matches (schedule, s_test_time ("2025-05-01T06:00:59Z")));
    assert (!reporting_schedule_matches (schedule, s_test_time ("2025-05-01T06:01:00Z")));
    assert (!reporting_schedule_matches (schedule, s_test_time ("2025-05-02T06:00:00Z")));
    reporting_schedule_destroy (&schedule);
    reporting_schedule_destroy (&schedule);
    assert (schedule == NULL);

    //  Days that never exist: accepted, never fire, and the search ends
    const char *never [] = { "0 0 31 2 *", "0 0 30 feb *", "0 0 31 4,6,9,11 *" };
    for (size_t index = 0; index < 3; index++) {
        schedule = reporting_schedule_new (never [index], NULL, 0);
        assert (schedule);
        int64_t started = zclock_mono ();
        for (int round = 0; round < 100; round++) {
            assert (reporting_schedule_next (schedule, s_test_time ("2025-01-01T00:00Z")) == -1);
            assert (reporting_schedule_prev (schedule, s_test_time ("2025-01-01T00:00Z")) == -1);
        }
        if (verbose)
            printf ("   '%s' never fires: 200 searches in %" PRId64 " ms\n", never [index],
                    zclock_mono () - started);
        reporting_schedule_destroy (&schedule);
    }
    //  Out of range times
    schedule = reporting_schedule_new ("* * * * *", NULL, 0);
    assert (reporting_schedule_next (schedule, s_test_time ("9990-12-31T23:58:00Z"))
            == s_test_time ("9990-12-31T23:59:00Z"));
    assert (reporting_schedule_next (schedule, s_test_time ("9990-12-31T23:59:59Z")) != -1);
    assert (reporting_schedule_next (schedule, s_test_time ("9990-12-31T23:59:59Z") + 1) == -1);
    reporting_schedule_destroy (&schedule);

    //  next and prev agree with a minute-by-minute scan, around 29 February
    const char *scanned [] = {
        "*/15 * * * mon-fri", "0 7 1 * *", "0 12 13 * fri", "5-10/2 */6 1,15 * *",
        "30 23 * * 0", "0 0 */2 * mon", "59 23 31 * *", "0 0 29 2 *", "0 0 31 2 *",
        "* 0 * * *"
    };
    for (size_t index = 0; index < sizeof scanned / sizeof scanned [0]; index++)
        s_test_against_scan (scanned [index], "2028-01-20T00:00:00Z", 45);

    //  Year rules: April to March, named by the year they start in
    time_t may_day = s_test_time ("2025-05-01T06:00:00Z");
    assert (reporting_schedule_year ("previous", may_day, year) == 0 && streq (year, "2024-25"));
    assert (reporting_schedule_year ("current", may_day, year) == 0 && streq (year, "2025-26"));
    assert (reporting_schedule_year (" Previous ", may_day, year) == 0
            && streq (year, "2024-25"));
    time_t march_end = s_test_time ("2025-03-31T23:59:59Z");
    assert (reporting_schedule_year ("previous", march_end, year) == 0
            && streq (year, "2023-24"));
    assert (reporting_schedule_year ("current", march_end, year) == 0
            && streq (year, "2024-25"));
    time_t april = s_test_time ("2025-04-01T00:00:00Z");
    assert (reporting_schedule_year ("current", april, year) == 0 && streq (year, "2025-26"));
    assert (reporting_schedule_year ("previous", s_test_time ("2000-01-15T00:00Z"), year) == 0
            && streq (year, "1998-99"));
    assert (reporting_schedule_year ("2024-25", may_day, year) == 0 && streq (year, "2024-25"));
    assert (reporting_schedule_year ("2019/20", may_day, year) == 0 && streq (year, "2019-20"));
    assert (reporting_schedule_year ("2099-00", may_day, year) == 0 && streq (year, "2099-00"));
    const char *bad_years [] = { "", "last", "previous year", "2024-26", "2024", "24-25",
                                 "1899-00", "2024-25x" };
    for (size_t index = 0; index < sizeof bad_years / sizeof bad_years [0]; index++) {
        strcpy (year, "x");
        assert (reporting_schedule_year (bad_years [index], may_day, year) == -1);
        assert (streq (year, ""));
    }

    //  Bad expressions name the field and the value
    s_test_refused ("0 25 * * *", "field 2 (hour): '25' is outside 0-23", verbose);
    s_test_refused ("60 * * * *", "field 1 (minute): '60' is outside 0-59", verbose);
    s_test_refused ("0 0 0 * *", "field 3 (day-of-month): '0' is outside 1-31", verbose);
    s_test_refused ("0 0 1 13 *", "field 4 (month): '13' is outside 1-12", verbose);
    s_test_refused ("0 0 * * 8", "field 5 (day-of-week): '8' is outside 0-7", verbose);
    s_test_refused ("0 0 * * 1-99999999999",
                    "field 5 (day-of-week): '99999999999' is outside 0-7", verbose);
    s_test_refused ("0 0 1 foo *",
                    "field 4 (month): 'foo' is not a number or a month name (jan-dec)", verbose);
    s_test_refused ("0 0 * * monday",
                    "field 5 (day-of-week): 'monday' is not a number or a day name (sun-sat)",
                    verbose);
    s_test_refused ("0 mon * * *", "field 2 (hour): 'mon' is not a number", verbose);
    s_test_refused ("1x * * * *", "field 1 (minute): '1x' is not a number", verbose);
    s_test_refused ("0 0 L * *", "field 3 (day-of-month): 'L' is not a number", verbose);
    s_test_refused ("*/0 * * * *", "field 1 (minute): '*/0': a step must be 1 or more",
                    verbose);
    s_test_refused ("*/ * * * *", "field 1 (minute): '*/': a step is a number after '/'",
                    verbose);
    s_test_refused ("0 0 * * fri-mon", "field 5 (day-of-week): 'fri-mon' runs backwards",
                    verbose);
    s_test_refused ("0 0 * * mon-", "field 5 (day-of-week): 'mon-' has a value missing",
                    verbose);
    s_test_refused ("-5 * * * *", "field 1 (minute): '-5' has a value missing", verbose);
    s_test_refused ("1,,2 * * * *", "field 1 (minute): '1,,2' has an empty list item", verbose);
    s_test_refused ("0 6 1 5", "expected 5 fields (minute hour day-of-month month "
                    "day-of-week), found 4", verbose);
    s_test_refused ("0 6 1 5 * 2025", "expected 5 fields (minute hour day-of-month month "
                    "day-of-week), found 6", verbose);
    s_test_refused ("   ", "expected 5 fields (minute hour day-of-month month "
                    "day-of-week), found 0", verbose);
    //  A reason is cut to fit a small buffer, and no buffer is fine
    char small [12];
    assert (reporting_schedule_new ("0 25 * * *", small, sizeof small) == NULL);
    assert (streq (small, "field 2 (ho"));
    assert (reporting_schedule_new ("0 25 * * *", NULL, 0) == NULL);
    //  Blanks around and between fields
    schedule = reporting_schedule_new ("\t0  6\t1 5 *  \n", NULL, 0);
    assert (schedule);
    assert (streq (reporting_schedule_expression (schedule), "0  6\t1 5 *"));
    reporting_schedule_destroy (&schedule);

    if (verbose)
        printf ("   OK\n");
}
