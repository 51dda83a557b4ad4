/*  =========================================================================
    sv_date - calendar dates as days since 1970-01-01, and financial years

    A date is an int32_t count of days since 1970-01-01 in the proleptic
    Gregorian calendar (negative before 1970), so dates compare and subtract
    as integers. This class reads the date forms found in council spend
    files (day before month, or month before day when asked), writes ISO
    dates, and maps dates
    to financial years, which run 1 April - 31 March and are named by the
    year they start in ("2024-25" is fy 2024).

    Parsing never guesses: a date that does not exist, or that has
    anything run into it, is refused with a short, static English reason
    for the row's error. A numeric d/m/y date can be read two ways, day
    first (the UK convention, and sv_date_parse's) or month first (a file
    that went through a US-set spreadsheet: 8/31/2020); a reader settles
    which for a whole column, never for one value, with sv_date_readings
    (which conventions a value allows) and sv_date_parse_order.
    =========================================================================
*/

#ifndef SV_DATE_H_INCLUDED
#define SV_DATE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Buffer sizes, terminating NUL included, for "2024-04-01" and "2024-25"
#define SV_DATE_BUF 11
#define SV_DATE_FY_BUF 8

//  The years sv_date_parse and sv_date_fy_parse accept; anything outside
//  is a typo or a placeholder (01/01/1900, 31/12/9999), not a payment.
#define SV_DATE_YEAR_MIN 1900
#define SV_DATE_YEAR_MAX 2199

//  True if year (any) is a Gregorian leap year: 2000 and 2024, not 1900.
bool
    sv_date_leap_year (int year);

//  Number of days (28-31) in month (1-12) of year.
int
    sv_date_days_in_month (int year, int month);

//  True if year is 1-9999, month 1-12 and day exists in that month.
bool
    sv_date_valid_ymd (int year, int month, int day);

//  Returns the day number of a calendar date, which must satisfy
//  sv_date_valid_ymd (asserted: check or parse untrusted input first).
int32_t
    sv_date_from_ymd (int year, int month, int day);

//  Splits any day number into year, month (1-12) and day of month (1-31).
//  Years before 1 come out as 0, -1, ... (astronomical numbering). The
//  three out pointers must not be NULL.
void
    sv_date_to_ymd (int32_t day, int *year_p, int *month_p, int *day_p);

//  Reads a date. After trimming surrounding whitespace, accepts:
//    yyyy-mm-dd (also yyyy/mm/dd, yyyy.mm.dd; 1-digit month and day too)
//    dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (1-digit day and month too)
//    dd/mm/yy (00-69 is 20xx, 70-99 is 19xx; only with "/")
//    dd-Mon-yy, dd-Mon-yyyy, dd Mon yy, dd Mon yyyy (English month names,
//      3 letters, "Sept" or in full, any case: 01-APR-14, 1 April 2014)
//  optionally followed by a time of day, which is checked and dropped:
//  " HH:MM[:SS[.fff]]" after any form, or "THH:MM:SS[.fff]" after
//  yyyy-mm-dd; either may end with "Z", "±hh:mm" or "±hhmm". The date is
//  taken as written, whatever the zone. Day before month (see
//  sv_date_parse_order for month first).
//  Returns 0 and sets *day_p, or -1 with *day_p untouched and, if reason_p
//  is not NULL, *reason_p pointing at a static English reason: "empty",
//  "time without a date", "a period, not a date", "month must be 1-12",
//  "no such day in that month", "year outside 1900-2199", "digits run on
//  after the date", "unexpected text after the date", and so on.
int
    sv_date_parse (const char *text, int32_t *day_p, const char **reason_p);

//  The conventions of a numeric date, as flags
typedef enum {
    SV_DATE_DMY = 1,        //  day first: 08/12/2020 is 8 December
    SV_DATE_MDY = 2         //  month first: 08/12/2020 is 12 August
} sv_date_order_t;

//  Reads a date as sv_date_parse does, but a numeric day/month/year form
//  (any separator, any year width) under order: SV_DATE_MDY reads
//  "8/31/2020" as 31 August and refuses "31/08/2020" ("month must be
//  1-12"). yyyy-mm-dd and named months read the same either way. Returns
//  and sets as sv_date_parse does.
int
    sv_date_parse_order (const char *text, sv_date_order_t order, int32_t *day_p,
                         const char **reason_p);

//  Says which conventions read text: SV_DATE_DMY, SV_DATE_MDY, both, or 0
//  (not a date either way). Sets *dmy_p to the day-first reading when
//  there is one and *mdy_p to the month-first one likewise; a value that
//  reads both ways is ambiguous only when the two differ (08/12/2020, not
//  08/08/2020, 2020-08-12 or 8 Dec 2020, whose readings are equal). For
//  the reason a reading fails, ask sv_date_parse_order.
int
    sv_date_readings (const char *text, int32_t *dmy_p, int32_t *mdy_p);

//  Writes day as "yyyy-mm-dd" into buf, which must hold SV_DATE_BUF bytes
//  (size says how many); years outside 0-9999 are cut short. Returns buf.
const char *
    sv_date_format (int32_t day, char *buf, size_t size);

//  Returns today's date in UTC.
int32_t
    sv_date_today (void);

//  Returns day moved by months (either sign), keeping the day of month but
//  clamping it to the end of a shorter month: 31 January + 1 is 28 or 29
//  February. The result's year must stay in 1-9999 (asserted).
int32_t
    sv_date_add_months (int32_t day, int months);

//  Returns the financial year day falls in, named by its starting year:
//  31 March 2025 is in 2024, 1 April 2025 in 2025.
int
    sv_date_fy (int32_t day);

//  Returns the first (1 April fy) and last (31 March fy + 1) days of
//  financial year fy, which must be 1-9998.
int32_t
    sv_date_fy_first (int fy);
int32_t
    sv_date_fy_last (int fy);

//  Writes financial year fy as "2024-25" ("1999-00", "2099-00") into buf,
//  which must hold SV_DATE_FY_BUF bytes (size says how many). Returns buf.
const char *
    sv_date_fy_format (int fy, char *buf, size_t size);

//  Reads a financial year written "2024-25" or "2024/25" (surrounding
//  whitespace allowed); the second part must be the following year, and
//  the first within SV_DATE_YEAR_MIN..MAX. Returns 0 and sets *fy_p, or -1
//  with *fy_p untouched.
int
    sv_date_fy_parse (const char *text, int *fy_p);

//  Self test of this class; asserts (aborts) on failure.
void
    sv_date_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
