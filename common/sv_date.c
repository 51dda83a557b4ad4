/*  =========================================================================
    sv_date - calendar dates as days since 1970-01-01, and financial years

    Day numbers: the days before 1 January of a year are 365 per year
    since 1970 plus the leap days in between, counted with floor division
    so that the same formula holds before 1970 and before year 1. Going
    back from a day number, an estimate of the year from the mean Gregorian
    year (146097 days per 400 years) is at most a year out, and is put
    right by comparing against the start of that year.

    Parsing: the text is cut into tokens (runs of digits, runs of letters,
    runs of blanks, single punctuation marks), and the token sequence is
    matched against the few date forms we accept. Working on tokens rather
    than characters is what lets us say *why* something is not a date: an
    8-digit "year" is an amount run into the date, a leading "00:00" is a
    time without a date, two month names are a period.
    =========================================================================
*/

#include "sv_date.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

//  Longer inputs are not dates; "2024-04-01T10:20:30.123+01:00" is 16
#define S_MAX_TOKENS 24

typedef struct {
    char kind;              //  'n' digits, 'a' letters, ' ' blanks, or the punctuation mark
    int width;              //  Number of characters
    int value;              //  'n': the number (first 9 digits); 'a': month 1-12, or 0
    const char *text;       //  Start of the token in the input
} s_token_t;

static const char *s_month_names [12] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"
};

static int64_t
s_floor_div (int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool
s_blank (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

static bool
s_letter (char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}


//  --------------------------------------------------------------------------
//  Calendar arithmetic

bool
sv_date_leap_year (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
sv_date_days_in_month (int year, int month)
{
    static const int days [12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    assert (month >= 1 && month <= 12);
    return days [month - 1] + (month == 2 && sv_date_leap_year (year));
}

bool
sv_date_valid_ymd (int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12
        && day >= 1 && day <= sv_date_days_in_month (year, month);
}

//  Days from 1970-01-01 to 1 January of year, for any year
static int64_t
s_days_before_year (int64_t year)
{
    //  Leap years in [1, year) less the 477 in [1, 1970)
    int64_t prior = year - 1;
    return 365 * (year - 1970) + s_floor_div (prior, 4) - s_floor_div (prior, 100)
         + s_floor_div (prior, 400) - 477;
}

//  Days from 1 January to the first of month in year
static int
s_days_before_month (int year, int month)
{
    static const int days [12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    return days [month - 1] + (month > 2 && sv_date_leap_year (year));
}

int32_t
sv_date_from_ymd (int year, int month, int day)
{
    assert (sv_date_valid_ymd (year, month, day));
    return (int32_t) (s_days_before_year (year) + s_days_before_month (year, month) + day - 1);
}

void
sv_date_to_ymd (int32_t day, int *year_p, int *month_p, int *day_p)
{
    assert (year_p);
    assert (month_p);
    assert (day_p);
    int64_t year = 1970 + s_floor_div ((int64_t) day * 400, 146097);
    while (s_days_before_year (year) > day)
        year--;
    while (s_days_before_year (year + 1) <= day)
        year++;
    int day_of_year = (int) (day - s_days_before_year (year));
    int month = 12;
    while (s_days_before_month ((int) year, month) > day_of_year)
        month--;
    *year_p = (int) year;
    *month_p = month;
    *day_p = day_of_year - s_days_before_month ((int) year, month) + 1;
}


//  --------------------------------------------------------------------------
//  Parsing: tokens

//  Returns the month (1-12) a word names, or 0: "apr", "April", "SEPT"
static int
s_month (const char *word, int width)
{
    for (int month = 1; month <= 12; month++) {
        const char *name = s_month_names [month - 1];
        int name_width = (int) strlen (name);
        if (width != 3 && width != name_width && !(month == 9 && width == 4))
            continue;
        int i = 0;
        while (i < width && (word [i] | 0x20) == name [i])
            i++;
        if (i == width)
            return month;
    }
    return 0;
}

//  Cuts trimmed text into tokens. Returns NULL, or a static reason.
static const char *
s_tokenize (const char *text, s_token_t *tokens, int *count_p)
{
    const char *p = text;
    const char *end = text + strlen (text);
    while (p < end && s_blank (*p))
        p++;
    while (end > p && s_blank (end [-1]))
        end--;

    int count = 0;
    while (p < end) {
        if (count == S_MAX_TOKENS)
            return "not a recognised date";
        s_token_t *token = &tokens [count++];
        token->text = p;
        token->value = 0;
        if (s_digit (*p)) {
            token->kind = 'n';
            for (; p < end && s_digit (*p); p++)
                if (p - token->text < 9)
                    token->value = token->value * 10 + (*p - '0');
        }
        else
        if (s_letter (*p)) {
            token->kind = 'a';
            while (p < end && s_letter (*p))
                p++;
            token->value = s_month (token->text, (int) (p - token->text));
        }
        else
        if (s_blank (*p)) {
            token->kind = ' ';
            while (p < end && s_blank (*p))
                p++;
        }
        else
        if (*p > ' ' && *p < 127)
            token->kind = *p++;
        else
            return "unexpected character";
        token->width = (int) (p - token->text);
    }
    *count_p = count;
    return NULL;
}

static bool
s_number (const s_token_t *token, int min_width, int max_width)
{
    return token->kind == 'n' && token->width >= min_width && token->width <= max_width;
}

static bool
s_letter_token (const s_token_t *token, char letter)
{
    return token->kind == 'a' && token->width == 1 && (token->text [0] | 0x20) == letter;
}


//  --------------------------------------------------------------------------
//  Parsing: forms

//  Explains why tokens that match no date form are not a date
static const char *
s_why_not (const s_token_t *t, int n)
{
    if (n > 1 && t [0].kind == 'n' && t [1].kind == ':')
        return "time without a date";
    int months = 0, numeric = 0;
    for (int i = 0; i < n; i++) {
        months += t [i].kind == 'a' && t [i].value;
        numeric += t [i].kind == 'n' || t [i].kind == '.' || t [i].kind == ',';
    }
    if (months > 1)
        return "a period, not a date";          //  "July 2010-September 2010"
    if (months == 1 && n <= 3)
        return "a month, not a date";           //  "July 2010", "Apr-14"
    if (numeric == n && t [0].kind == 'n')
        return "a number, not a date";          //  "201009", "41730", "24000.00"
    return "not a recognised date";
}

//  Matches the date at the start of the tokens. Sets year, month, day,
//  the number of tokens used, whether the form was yyyy-mm-dd, and
//  whether it was a numeric d/m/y form, which month_first reads as m/d/y
//  instead. Returns NULL, or a static reason.
static const char *
s_match_date (const s_token_t *t, int n, bool month_first, int *year_p, int *month_p,
              int *day_p, int *used_p, bool *iso_p, bool *ordered_p)
{
    if (n == 0)
        return "empty";
    const s_token_t *year = NULL;
    char sep = n >= 5? t [1].kind: 0;
    bool named = false;
    if (n >= 5 && t [0].kind == 'n' && t [3].kind == sep && t [4].kind == 'n') {
        if (strchr ("-/.", sep) && s_number (&t [2], 1, 2) && t [0].width == 4) {
            if (t [4].width > 2)
                return "digits run on after the date";
            *year_p = t [0].value;
            *month_p = t [2].value;
            *day_p = t [4].value;
            *iso_p = sep == '-';
            *used_p = 5;
            return NULL;
        }
        if (strchr ("-/.", sep) && s_number (&t [2], 1, 2) && t [0].width <= 2)
            year = &t [4];
        else
        if (strchr ("- ", sep) && t [2].kind == 'a' && t [0].width <= 2) {
            if (!t [2].value)
                return "unknown month name";
            year = &t [4];
            named = true;
        }
    }
    if (!year)
        return s_why_not (t, n);

    //  Day before month, unless the caller knows the column is month-first
    *ordered_p = !named;
    *day_p = t [month_first && !named? 2: 0].value;
    *month_p = named? t [2].value: t [month_first? 0: 2].value;
    if (year->width == 4)
        *year_p = year->value;
    else
    if (year->width == 2 && (sep == '/' || named))
        *year_p = year->value + (year->value < 70? 2000: 1900);
    else
    if (year->width > 4)
        return "digits run on after the date";  //  "01/04/20141500"
    else
    if (year->width == 2)
        return "ambiguous two-digit year";      //  "14-04-01" could be yy-mm-dd
    else
        return "year must have four digits";
    *iso_p = false;
    *used_p = 5;
    return NULL;
}

//  Matches HH:MM[:SS[.fff]][Z|±hh:mm|±hhmm] on all of tokens [i, n).
//  Returns NULL, or a static reason.
static const char *
s_match_time (const s_token_t *t, int i, int n)
{
    const char *no_match = "unexpected text after the date";
    if (!(i + 2 < n && s_number (&t [i], 1, 2) && t [i + 1].kind == ':'
          && s_number (&t [i + 2], 2, 2)))
        return no_match;
    bool in_range = t [i].value <= 23 && t [i + 2].value <= 59;
    i += 3;
    if (i + 1 < n && t [i].kind == ':' && s_number (&t [i + 1], 2, 2)) {
        in_range &= t [i + 1].value <= 60;     //  60: a leap second
        i += 2;
        if (i + 1 < n && t [i].kind == '.' && t [i + 1].kind == 'n')
            i += 2;
    }
    if (i < n && s_letter_token (&t [i], 'z'))
        i++;
    else
    if (i + 1 < n && (t [i].kind == '+' || t [i].kind == '-')) {
        const s_token_t *zone = &t [i + 1];
        if (s_number (zone, 4, 4)) {
            in_range &= zone->value / 100 <= 23 && zone->value % 100 <= 59;
            i += 2;
        }
        else
        if (s_number (zone, 2, 2) && i + 3 < n && t [i + 2].kind == ':'
            && s_number (&t [i + 3], 2, 2)) {
            in_range &= zone->value <= 23 && t [i + 3].value <= 59;
            i += 4;
        }
        else
            return no_match;
    }
    if (i != n)
        return no_match;
    return in_range? NULL: "time of day out of range";
}

//  Reads text as sv_date_parse does, with a numeric d/m/y form read
//  month-first when month_first. *ordered_p (not NULL) tells whether the
//  text had such a form, whose reading depends on the convention.
static int
s_parse (const char *text, bool month_first, int32_t *day_p, const char **reason_p,
         bool *ordered_p)
{
    assert (text);
    assert (day_p);
    s_token_t t [S_MAX_TOKENS];
    int n = 0, used = 0;
    int year = 0, month = 0, day = 0;
    bool iso = false;
    *ordered_p = false;
    const char *reason = s_tokenize (text, t, &n);
    if (!reason)
        reason = s_match_date (t, n, month_first, &year, &month, &day, &used, &iso, ordered_p);
    if (!reason && used < n) {
        //  A time of day may follow: after a blank, or after "T" in ISO
        if (t [used].kind == ' ' || (iso && s_letter_token (&t [used], 't')))
            reason = s_match_time (t, used + 1, n);
        else
            reason = "unexpected text after the date";
    }
    if (!reason) {
        if (year < SV_DATE_YEAR_MIN || year > SV_DATE_YEAR_MAX)
            reason = "year outside 1900-2199";
        else
        if (month < 1 || month > 12)
            reason = "month must be 1-12";
        else
        if (day < 1 || day > sv_date_days_in_month (year, month))
            reason = "no such day in that month";
    }
    if (reason) {
        if (reason_p)
            *reason_p = reason;
        return -1;
    }
    *day_p = sv_date_from_ymd (year, month, day);
    return 0;
}

int
sv_date_parse (const char *text, int32_t *day_p, const char **reason_p)
{
    bool ordered;
    return s_parse (text, false, day_p, reason_p, &ordered);
}

int
sv_date_parse_order (const char *text, sv_date_order_t order, int32_t *day_p,
                     const char **reason_p)
{
    assert (order == SV_DATE_DMY || order == SV_DATE_MDY);
    bool ordered;
    return s_parse (text, order == SV_DATE_MDY, day_p, reason_p, &ordered);
}

int
sv_date_readings (const char *text, int32_t *dmy_p, int32_t *mdy_p)
{
    assert (dmy_p && mdy_p);
    bool ordered;
    int32_t dmy = 0, mdy = 0;
    int readings = 0;
    if (s_parse (text, false, &dmy, NULL, &ordered) == 0)
        readings |= SV_DATE_DMY;
    if (!ordered) {
        //  One reading whatever the convention (or not a d/m/y form at all)
        mdy = dmy;
        readings |= readings? SV_DATE_MDY: 0;
    }
    else
    if (s_parse (text, true, &mdy, NULL, &ordered) == 0)
        readings |= SV_DATE_MDY;
    if (readings & SV_DATE_DMY)
        *dmy_p = dmy;
    if (readings & SV_DATE_MDY)
        *mdy_p = mdy;
    return readings;
}


//  --------------------------------------------------------------------------
//  Formatting, today, month arithmetic

const char *
sv_date_format (int32_t day, char *buf, size_t size)
{
    assert (buf);
    assert (size >= SV_DATE_BUF);
    int year, month, mday;
    sv_date_to_ymd (day, &year, &month, &mday);
    if (year < 0 || year > 9999) {
        snprintf (buf, size, "%04d-%02d-%02d", year, month, mday);
        return buf;
    }
    //  By hand, as this runs for every payment ingested
    const int digits [] = { year / 1000, year / 100 % 10, year / 10 % 10, year % 10, -1,
                            month / 10, month % 10, -1, mday / 10, mday % 10 };
    for (size_t index = 0; index < 10; index++)
        buf [index] = digits [index] < 0? '-': (char) ('0' + digits [index]);
    buf [10] = 0;
    return buf;
}

int32_t
sv_date_today (void)
{
    return (int32_t) s_floor_div ((int64_t) time (NULL), 86400);
}

int32_t
sv_date_add_months (int32_t day, int months)
{
    int year, month, mday;
    sv_date_to_ymd (day, &year, &month, &mday);
    int64_t index = (int64_t) year * 12 + (month - 1) + months;
    int new_year = (int) s_floor_div (index, 12);
    int new_month = (int) (index - (int64_t) new_year * 12) + 1;
    assert (new_year >= 1 && new_year <= 9999);
    int last = sv_date_days_in_month (new_year, new_month);
    return sv_date_from_ymd (new_year, new_month, mday < last? mday: last);
}


//  --------------------------------------------------------------------------
//  Financial years, 1 April - 31 March, named by the starting year

int
sv_date_fy (int32_t day)
{
    int year, month, mday;
    sv_date_to_ymd (day, &year, &month, &mday);
    return month >= 4? year: year - 1;
}

int32_t
sv_date_fy_first (int fy)
{
    return sv_date_from_ymd (fy, 4, 1);
}

int32_t
sv_date_fy_last (int fy)
{
    return sv_date_from_ymd (fy + 1, 3, 31);
}

const char *
sv_date_fy_format (int fy, char *buf, size_t size)
{
    assert (buf);
    assert (size >= SV_DATE_FY_BUF);
    snprintf (buf, size, "%04d-%02d", fy, ((fy + 1) % 100 + 100) % 100);
    return buf;
}

int
sv_date_fy_parse (const char *text, int *fy_p)
{
    assert (text);
    assert (fy_p);
    while (s_blank (*text))
        text++;
    size_t length = strlen (text);
    while (length && s_blank (text [length - 1]))
        length--;
    if (length != 7 || (text [4] != '-' && text [4] != '/'))
        return -1;
    int first = 0, second = 0;
    for (int i = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (!s_digit (text [i]))
            return -1;
        if (i < 4)
            first = first * 10 + (text [i] - '0');
        else
            second = second * 10 + (text [i] - '0');
    }
    if (first < SV_DATE_YEAR_MIN || first > SV_DATE_YEAR_MAX
        || second != (first + 1) % 100)
        return -1;
    *fy_p = first;
    return 0;
}


//  --------------------------------------------------------------------------
//  Self test of this class

static bool
s_streq (const char *a, const char *b)
{
    return strcmp (a, b) == 0;
}

static void
s_accepts (const char *text, int year, int month, int day, bool verbose)
{
    int32_t parsed = -1;
    const char *reason = "unset";
    int rc = sv_date_parse (text, &parsed, &reason);
    if (verbose) {
        char buf [SV_DATE_BUF];
        printf (" '%s' -> %s\n", text, rc? reason: sv_date_format (parsed, buf, sizeof buf));
    }
    assert (rc == 0);
    assert (parsed == sv_date_from_ymd (year, month, day));
    assert (strcmp (reason, "unset") == 0);
}

static void
s_rejects (const char *text, const char *expected, bool verbose)
{
    int32_t parsed = -1;
    const char *reason = NULL;
    int rc = sv_date_parse (text, &parsed, &reason);
    if (verbose)
        printf (" '%s' -> %s\n", text, rc? reason: "accepted");
    assert (rc == -1);
    assert (parsed == -1);
    assert (reason && strcmp (reason, expected) == 0);
    assert (sv_date_parse (text, &parsed, NULL) == -1);
}

void
sv_date_test (bool verbose)
{
    if (verbose)
        printf (" * sv_date: ");

    //  @selftest
    //  Fixed points
    assert (sv_date_from_ymd (1970, 1, 1) == 0);
    assert (sv_date_from_ymd (1969, 12, 31) == -1);
    assert (sv_date_from_ymd (2000, 3, 1) == 11017);
    assert (sv_date_from_ymd (1900, 1, 1) == -25567);
    assert (sv_date_from_ymd (2024, 4, 1) == 19814);
    assert (sv_date_from_ymd (2025, 3, 31) == 20178);
    assert (sv_date_from_ymd (1, 1, 1) == -719162);
    assert (sv_date_from_ymd (9999, 12, 31) == 2932896);

    //  Leap years
    assert (sv_date_leap_year (2000));
    assert (!sv_date_leap_year (1900));
    assert (sv_date_leap_year (2024));
    assert (!sv_date_leap_year (2023));
    assert (!sv_date_leap_year (2100));
    assert (sv_date_leap_year (2400));
    assert (sv_date_days_in_month (2024, 2) == 29);
    assert (sv_date_days_in_month (2023, 2) == 28);
    assert (sv_date_days_in_month (1900, 2) == 28);
    assert (sv_date_days_in_month (2000, 2) == 29);
    assert (sv_date_days_in_month (2024, 4) == 30);
    assert (sv_date_days_in_month (2024, 12) == 31);
    assert (sv_date_valid_ymd (2000, 2, 29));
    assert (!sv_date_valid_ymd (1900, 2, 29));
    assert (!sv_date_valid_ymd (2023, 2, 29));
    assert (!sv_date_valid_ymd (2024, 4, 31));
    assert (!sv_date_valid_ymd (2024, 13, 1));
    assert (!sv_date_valid_ymd (2024, 0, 1));
    assert (!sv_date_valid_ymd (2024, 1, 0));
    assert (!sv_date_valid_ymd (0, 1, 1));
    assert (!sv_date_valid_ymd (10000, 1, 1));

    //  Every day from the Gregorian reform to 2500 is the next calendar date
    int year = 1583, month = 1, mday = 1;
    for (int32_t day = sv_date_from_ymd (1583, 1, 1); day <= sv_date_from_ymd (2500, 12, 31); day++) {
        int y, m, d;
        sv_date_to_ymd (day, &y, &m, &d);
        assert (y == year && m == month && d == mday);
        if (++mday > sv_date_days_in_month (year, month)) {
            mday = 1;
            if (++month > 12) {
                month = 1;
                year++;
            }
        }
    }
    assert (year == 2501);
    //  ...and a sample of days across years 1-9999 round-trips
    for (int32_t day = sv_date_from_ymd (1, 1, 1); day <= sv_date_from_ymd (9999, 12, 31); day += 13) {
        int y, m, d;
        sv_date_to_ymd (day, &y, &m, &d);
        assert (sv_date_valid_ymd (y, m, d));
        assert (sv_date_from_ymd (y, m, d) == day);
    }
    assert (sv_date_from_ymd (9999, 12, 31) - sv_date_from_ymd (1, 1, 1) + 1 == 3652059);
    {
        //  Any int32 has a date, even far outside years 1-9999
        int y, m, d;
        sv_date_to_ymd (INT32_MIN, &y, &m, &d);
        assert (y < -5000000 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
        sv_date_to_ymd (INT32_MAX, &y, &m, &d);
        assert (y > 5000000 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
        sv_date_to_ymd (sv_date_from_ymd (1, 1, 1) - 1, &y, &m, &d);
        assert (y == 0 && m == 12 && d == 31);
    }

    //  Formatting
    char buf [SV_DATE_BUF];
    assert (s_streq (sv_date_format (19814, buf, sizeof buf), "2024-04-01"));
    assert (s_streq (sv_date_format (0, buf, sizeof buf), "1970-01-01"));
    assert (s_streq (sv_date_format (-25567, buf, sizeof buf), "1900-01-01"));
    assert (s_streq (sv_date_format (-719162, buf, sizeof buf), "0001-01-01"));
    assert (s_streq (sv_date_format (2932896, buf, sizeof buf), "9999-12-31"));

    //  The forms found in spend files
    s_accepts ("2024-04-01", 2024, 4, 1, verbose);
    s_accepts ("  2024-04-01 \t\r\n", 2024, 4, 1, verbose);
    s_accepts ("2024-4-1", 2024, 4, 1, verbose);
    s_accepts ("2024/04/01", 2024, 4, 1, verbose);
    s_accepts ("01/04/2014", 2014, 4, 1, verbose);
    s_accepts ("1/4/2014", 2014, 4, 1, verbose);
    s_accepts ("07/04/2015", 2015, 4, 7, verbose);
    s_accepts ("01-04-2014", 2014, 4, 1, verbose);
    s_accepts ("01.04.2014", 2014, 4, 1, verbose);
    s_accepts ("01/04/14", 2014, 4, 1, verbose);
    s_accepts ("31/12/69", 2069, 12, 31, verbose);
    s_accepts ("01/01/70", 1970, 1, 1, verbose);
    s_accepts ("15/06/99", 1999, 6, 15, verbose);
    s_accepts ("29/02/00", 2000, 2, 29, verbose);
    s_accepts ("01-Apr-14", 2014, 4, 1, verbose);
    s_accepts ("01-JUN-2012", 2012, 6, 1, verbose);
    s_accepts ("30-JUN-2012", 2012, 6, 30, verbose);
    s_accepts ("1 April 2014", 2014, 4, 1, verbose);
    s_accepts ("01 apr 14", 2014, 4, 1, verbose);
    s_accepts ("30-Sept-2014", 2014, 9, 30, verbose);
    s_accepts ("30 September 2014", 2014, 9, 30, verbose);
    s_accepts ("31 May 2024", 2024, 5, 31, verbose);
    s_accepts ("29 Feb 2024", 2024, 2, 29, verbose);
    s_accepts ("5 december 1999", 1999, 12, 5, verbose);

    //  Date-times: the date is taken as written, whatever the zone
    s_accepts ("2024-04-01T10:20:30", 2024, 4, 1, verbose);
    s_accepts ("2024-04-01T10:20:30Z", 2024, 4, 1, verbose);
    s_accepts ("2024-04-01T10:20:30.123456Z", 2024, 4, 1, verbose);
    s_accepts ("2024-03-31T23:30:00-05:00", 2024, 3, 31, verbose);
    s_accepts ("2024-04-01T00:30:00+01:00", 2024, 4, 1, verbose);
    s_accepts ("2024-04-01T00:30:00+0100", 2024, 4, 1, verbose);
    s_accepts ("2024-04-01t10:20z", 2024, 4, 1, verbose);
    s_accepts ("2024-04-01 13:45:00", 2024, 4, 1, verbose);
    s_accepts ("2024-04-01 13:45:00.000", 2024, 4, 1, verbose);
    s_accepts ("01/04/2014 00:00", 2014, 4, 1, verbose);
    s_accepts ("01/04/2014 00:00:00", 2014, 4, 1, verbose);
    s_accepts ("01/04/2014  9:05:59", 2014, 4, 1, verbose);
    s_accepts ("01-Apr-2014 23:59:60", 2014, 4, 1, verbose);

    //  The edges of the calendar and of the accepted years
    s_accepts ("29/02/2024", 2024, 2, 29, verbose);
    s_accepts ("29/02/2000", 2000, 2, 29, verbose);
    s_accepts ("01/01/1900", 1900, 1, 1, verbose);
    s_accepts ("31/12/2199", 2199, 12, 31, verbose);
    s_rejects ("31/12/1899", "year outside 1900-2199", verbose);
    s_rejects ("01/01/2200", "year outside 1900-2199", verbose);
    s_rejects ("1066-10-14", "year outside 1900-2199", verbose);
    s_rejects ("0000-00-00", "year outside 1900-2199", verbose);
    s_rejects ("31/02/2014", "no such day in that month", verbose);
    s_rejects ("29/02/2023", "no such day in that month", verbose);
    s_rejects ("29/02/1900", "no such day in that month", verbose);
    s_rejects ("2024-04-31", "no such day in that month", verbose);
    s_rejects ("00/04/2014", "no such day in that month", verbose);
    s_rejects ("32/01/2014", "no such day in that month", verbose);
    s_rejects ("01/13/2014", "month must be 1-12", verbose);
    s_rejects ("12/25/2014", "month must be 1-12", verbose);   //  US order
    s_rejects ("2024-13-01", "month must be 1-12", verbose);
    s_rejects ("04/00/2014", "month must be 1-12", verbose);

    //  Not dates, as they appear in real files
    s_rejects ("", "empty", verbose);
    s_rejects (" \t ", "empty", verbose);
    s_rejects ("00:00:00", "time without a date", verbose);
    s_rejects ("10:30", "time without a date", verbose);
    s_rejects ("July 2010-September 2010", "a period, not a date", verbose);
    s_rejects ("Apr-Jun 2014", "a period, not a date", verbose);
    s_rejects ("July 2010", "a month, not a date", verbose);
    s_rejects ("Apr-14", "a month, not a date", verbose);
    s_rejects ("201009", "a number, not a date", verbose);
    s_rejects ("41730", "a number, not a date", verbose);
    s_rejects ("24000.00", "a number, not a date", verbose);
    s_rejects ("PROFESSIONAL FEES AND CHARGES", "not a recognised date", verbose);
    s_rejects ("2014-04", "not a recognised date", verbose);
    s_rejects ("04/2014", "not a recognised date", verbose);
    s_rejects ("01/04-2014", "not a recognised date", verbose);
    s_rejects ("01/Apr/2014", "not a recognised date", verbose);
    s_rejects ("001/04/2014", "not a recognised date", verbose);
    s_rejects ("1-2-3-4-5-6-7-8-9-10-11-12-13", "not a recognised date", verbose);

    //  Anything run into the date: never guess where the date ends
    s_rejects ("01/04/2014 123.45", "unexpected text after the date", verbose);
    s_rejects ("01/04/20141500", "digits run on after the date", verbose);
    s_rejects ("25/06/2012900", "digits run on after the date", verbose);
    s_rejects ("08/06/2012806.36", "digits run on after the date", verbose);
    s_rejects ("2024-04-011500", "digits run on after the date", verbose);
    s_rejects ("01/04/2014x", "unexpected text after the date", verbose);
    s_rejects ("01/04/2014,", "unexpected text after the date", verbose);
    s_rejects ("01/04/2014 00:00:00 extra", "unexpected text after the date", verbose);
    s_rejects ("01/04/2014T10:00:00", "unexpected text after the date", verbose);
    s_rejects ("2024-04-01 +01:00", "unexpected text after the date", verbose);
    s_rejects ("2024-04-01T10:00:00+1", "unexpected text after the date", verbose);
    s_rejects ("2024-04-01T25:00:00", "time of day out of range", verbose);
    s_rejects ("2024-04-01T10:60", "time of day out of range", verbose);
    s_rejects ("2024-04-01T10:00:00+24:00", "time of day out of range", verbose);
    s_rejects ("02/07/2012\xE2\x80\xA0 16:59:18", "unexpected character", verbose);

    //  Two-digit years only where the form makes them unambiguous
    s_rejects ("01-04-14", "ambiguous two-digit year", verbose);
    s_rejects ("14-04-01", "ambiguous two-digit year", verbose);
    s_rejects ("01.04.14", "ambiguous two-digit year", verbose);
    s_rejects ("1/4/214", "year must have four digits", verbose);
    s_rejects ("1/4/4", "year must have four digits", verbose);
    s_rejects ("01-Foo-2014", "unknown month name", verbose);
    s_rejects ("01-Ap-2014", "unknown month name", verbose);
    s_rejects ("01 Aprl 2014", "unknown month name", verbose);

    //  Both conventions: what a reader settles a column with. Month first
    //  reads the NHS trust's round-tripped "8/31/2020" and refuses the UK
    //  "31/08/2020"; 2-digit years and times work either way
    int32_t dmy = -1, mdy = -1;
    const char *why = NULL;
    assert (sv_date_parse_order ("8/31/2020", SV_DATE_MDY, &mdy, NULL) == 0);
    assert (mdy == sv_date_from_ymd (2020, 8, 31));
    assert (sv_date_parse_order ("8/31/2020", SV_DATE_DMY, &dmy, &why) == -1);
    assert (s_streq (why, "month must be 1-12"));
    assert (sv_date_parse_order ("31/08/2020", SV_DATE_MDY, &mdy, &why) == -1);
    assert (s_streq (why, "month must be 1-12"));
    assert (sv_date_parse_order ("12/25/14 0:00", SV_DATE_MDY, &mdy, NULL) == 0);
    assert (mdy == sv_date_from_ymd (2014, 12, 25));
    assert (sv_date_parse_order ("02-29-2023", SV_DATE_MDY, &mdy, &why) == -1);
    assert (s_streq (why, "no such day in that month"));
    assert (sv_date_parse_order ("01-04-14", SV_DATE_MDY, &mdy, &why) == -1);
    assert (s_streq (why, "ambiguous two-digit year"));
    assert (sv_date_readings ("8/31/2020", &dmy, &mdy) == SV_DATE_MDY);
    assert (mdy == sv_date_from_ymd (2020, 8, 31));
    assert (sv_date_readings ("31/08/2020", &dmy, &mdy) == SV_DATE_DMY);
    assert (dmy == sv_date_from_ymd (2020, 8, 31));
    //  Ambiguous: both readings exist and differ
    assert (sv_date_readings ("08/12/2020", &dmy, &mdy) == (SV_DATE_DMY | SV_DATE_MDY));
    assert (dmy == sv_date_from_ymd (2020, 12, 8) && mdy == sv_date_from_ymd (2020, 8, 12));
    assert (sv_date_readings ("3/4/21", &dmy, &mdy) == (SV_DATE_DMY | SV_DATE_MDY));
    assert (dmy == sv_date_from_ymd (2021, 4, 3) && mdy == sv_date_from_ymd (2021, 3, 4));
    //  Not ambiguous: equal readings, ISO, named months
    assert (sv_date_readings ("08/08/2020", &dmy, &mdy) == (SV_DATE_DMY | SV_DATE_MDY));
    assert (dmy == mdy && dmy == sv_date_from_ymd (2020, 8, 8));
    assert (sv_date_readings ("2020-08-12", &dmy, &mdy) == (SV_DATE_DMY | SV_DATE_MDY));
    assert (dmy == mdy && dmy == sv_date_from_ymd (2020, 8, 12));
    assert (sv_date_readings ("12-Aug-20", &dmy, &mdy) == (SV_DATE_DMY | SV_DATE_MDY));
    assert (dmy == mdy && dmy == sv_date_from_ymd (2020, 8, 12));
    //  Neither
    assert (sv_date_readings ("31/31/2020", &dmy, &mdy) == 0);
    assert (sv_date_readings ("2020-31-12", &dmy, &mdy) == 0);
    assert (sv_date_readings ("00:00:00", &dmy, &mdy) == 0);
    assert (sv_date_readings ("", &dmy, &mdy) == 0);

    //  Today, in UTC
    int32_t today = sv_date_today ();
    assert (today >= sv_date_from_ymd (2024, 1, 1));
    assert (today == (int32_t) (time (NULL) / 86400) || today == (int32_t) (time (NULL) / 86400) - 1);

    //  Months, clamped to the end of a shorter month
    assert (sv_date_add_months (sv_date_from_ymd (2024, 1, 31), 1) == sv_date_from_ymd (2024, 2, 29));
    assert (sv_date_add_months (sv_date_from_ymd (2023, 1, 31), 1) == sv_date_from_ymd (2023, 2, 28));
    assert (sv_date_add_months (sv_date_from_ymd (2024, 3, 31), -1) == sv_date_from_ymd (2024, 2, 29));
    assert (sv_date_add_months (sv_date_from_ymd (2024, 11, 15), 3) == sv_date_from_ymd (2025, 2, 15));
    assert (sv_date_add_months (sv_date_from_ymd (2024, 1, 1), -1) == sv_date_from_ymd (2023, 12, 1));
    assert (sv_date_add_months (sv_date_from_ymd (2024, 2, 29), 12) == sv_date_from_ymd (2025, 2, 28));
    assert (sv_date_add_months (sv_date_from_ymd (2024, 5, 31), -25) == sv_date_from_ymd (2022, 4, 30));
    assert (sv_date_add_months (19814, 0) == 19814);

    //  Financial years
    assert (sv_date_fy (sv_date_from_ymd (2025, 3, 31)) == 2024);
    assert (sv_date_fy (sv_date_from_ymd (2025, 4, 1)) == 2025);
    assert (sv_date_fy (sv_date_from_ymd (2025, 1, 1)) == 2024);
    assert (sv_date_fy (sv_date_from_ymd (2024, 12, 31)) == 2024);
    for (int fy = 1900; fy <= 2199; fy++) {
        assert (sv_date_fy_first (fy) == sv_date_from_ymd (fy, 4, 1));
        assert (sv_date_fy_last (fy) == sv_date_from_ymd (fy + 1, 3, 31));
        assert (sv_date_fy_last (fy) + 1 == sv_date_fy_first (fy + 1));
        assert (sv_date_fy (sv_date_fy_first (fy)) == fy);
        assert (sv_date_fy (sv_date_fy_first (fy) - 1) == fy - 1);
        assert (sv_date_fy (sv_date_fy_last (fy)) == fy);
        assert (sv_date_fy (sv_date_fy_last (fy) + 1) == fy + 1);
        char fy_buf [SV_DATE_FY_BUF];
        int parsed = 0;
        assert (sv_date_fy_parse (sv_date_fy_format (fy, fy_buf, sizeof fy_buf), &parsed) == 0);
        assert (parsed == fy);
    }
    //  A leap year's FY has 366 days when it holds 29 February
    assert (sv_date_fy_last (2023) - sv_date_fy_first (2023) + 1 == 366);
    assert (sv_date_fy_last (2024) - sv_date_fy_first (2024) + 1 == 365);
    assert (sv_date_fy_last (1899) - sv_date_fy_first (1899) + 1 == 365);

    char fy_buf [SV_DATE_FY_BUF];
    assert (s_streq (sv_date_fy_format (2024, fy_buf, sizeof fy_buf), "2024-25"));
    assert (s_streq (sv_date_fy_format (1999, fy_buf, sizeof fy_buf), "1999-00"));
    assert (s_streq (sv_date_fy_format (2099, fy_buf, sizeof fy_buf), "2099-00"));
    assert (s_streq (sv_date_fy_format (2009, fy_buf, sizeof fy_buf), "2009-10"));
    int fy = 0;
    assert (sv_date_fy_parse ("2024-25", &fy) == 0 && fy == 2024);
    assert (sv_date_fy_parse ("2024/25", &fy) == 0 && fy == 2024);
    assert (sv_date_fy_parse (" 1999-00 ", &fy) == 0 && fy == 1999);
    assert (sv_date_fy_parse ("2099/00", &fy) == 0 && fy == 2099);
    fy = 0;
    assert (sv_date_fy_parse ("2024-26", &fy) == -1);
    assert (sv_date_fy_parse ("2024-24", &fy) == -1);
    assert (sv_date_fy_parse ("2024-2025", &fy) == -1);
    assert (sv_date_fy_parse ("24-25", &fy) == -1);
    assert (sv_date_fy_parse ("2024 25", &fy) == -1);
    assert (sv_date_fy_parse ("2024-25x", &fy) == -1);
    assert (sv_date_fy_parse ("abcd-ef", &fy) == -1);
    assert (sv_date_fy_parse ("1899-00", &fy) == -1);
    assert (sv_date_fy_parse ("", &fy) == -1);
    assert (fy == 0);
    //  @end

    if (verbose)
        printf ("OK\n");
}
