/*  =========================================================================
    valuation_framework - a TOMs framework (Themes, Outcomes, Measures) as
    data: each measure's theme, outcome, description and unit, and its
    proxy value in pence per financial year; and a partner's selection of
    the measures it uses

    Framework file format (CSV, UTF-8 or cp1252, a header row then one row
    per measure per financial year):

        framework,version,measure,theme,outcome,description,unit,year,proxy
        illustrative-national,2019,ILL-JOB-01,Jobs,More local people in employment,"Local people employed on the contract, full-time equivalent for one year",FTE,2024-25,"£24,700.00"

    or, Social-Value-Model-shaped (missions, outcomes, award criteria and
    reporting metrics with units, and no £ proxy), with the year and proxy
    columns left out or empty:

        framework,version,metric code,mission,outcome,award criterion,reporting metric,unit
        illustrative-svm,2025,SVM-1A-01,Kickstart economic growth,Fair work,...,people,

      framework    framework id: letters, digits, '.', '-', '_' (at most
                   64); the same on every row
      version      framework version, same characters and limit; the same
                   on every row: one file is one version of one framework
      measure      measure code, same characters and limit, never empty
      theme        free text, not empty (the illustrative sets use Jobs,
                   Growth, Social, Environment, Innovation)
      outcome      free text, may be empty (column optional)
      criterion    award criterion, free text, may be empty (column
                   optional; "Award Criterion", "Model Award Criteria")
      description  free text, may be empty (column optional; "Reporting
                   Metric" reads as it, "Mission" as theme, "Metric Code"
                   as measure)
      unit         what one unit of the measure is ("FTE", "weeks",
                   "£ spent", "tonnes CO2e"), not empty
      year         financial year the proxy applies to: 2024-25 (or 2024/25)
      proxy        £ value of one unit in pounds and pence: 14678,
                   14678.00, £14,678.00; at most 2 decimals, not negative

    Record-only measures. A row whose year and proxy are both empty (or a
    file without those columns) names a measure that is counted and
    reported in its unit but never valued in pounds: the Social Value
    Model publishes metrics, not proxies, and no report may make one up.
    Such a measure has exactly one row; a measure with proxies has one on
    every row (a year without a proxy, or the reverse, is an error).

    Header cells are matched as sv_csv matches them (any case, spaces
    and punctuation ignored; synonyms such as "Measure Code", "Financial
    Year", "Proxy Value"); a report title above the header is skipped.
    Every row of one measure must repeat the same theme, outcome,
    description and unit; a measure has at most one row per year.

    A file is taken whole or not at all: a bad row (a proxy that is not
    money, a year that is not a financial year, a measure given two units,
    a second row for the same measure and year, a second framework id or
    version, an empty measure code ...) is reported with its row (source
    line), column, value and reason, every bad row is reported, and then
    no framework is made.

    Proxy years. valuation_framework_proxy answers for any financial year:
    when the measure has no proxy for the year asked, the latest earlier
    year's proxy is used (a framework published for 2024-25 goes on valuing
    2025-26 until a newer set is imported), and the caller is told which
    year was used, so that a valuation line can show it. A year before the
    measure's first proxy has no value.

    Pure domain: no SQL, no sockets, no printing.
    =========================================================================
*/

#ifndef VALUATION_FRAMEWORK_H_INCLUDED
#define VALUATION_FRAMEWORK_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sv_csv.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Longest framework id, version or measure code, in bytes
#define VALUATION_FRAMEWORK_CODE_MAX 64

//  Longest theme, outcome, description or unit, in bytes
#define VALUATION_FRAMEWORK_TEXT_MAX 2000

//  One measure of a framework. Everything is owned by the framework and
//  valid until it is destroyed.
typedef struct {
    const char *code;           //  "ILL-JOB-01"
    const char *theme;          //  "Jobs"
    const char *outcome;        //  "" when none was given
    const char *criterion;      //  award criterion, "" when none was given
    const char *description;    //  "" when none was given
    const char *unit;           //  "FTE"
    size_t years;               //  number of proxies; 0 for a record-only
                                //  measure (counted, never valued in £)
    const int *proxy_fy;        //  [years] financial years, ascending
                                //  (named by start year: 2024 is 2024-25)
    const int64_t *proxy_pence; //  [years] pence per unit, >= 0
} valuation_framework_measure_t;

typedef struct _valuation_framework_t valuation_framework_t;
typedef struct _valuation_framework_selection_t valuation_framework_selection_t;

//  Makes a framework from the bytes of a framework file (size bytes, read
//  in chunks through sv_csv). Returns NULL when the file is refused:
//  then error_fn (may be NULL) has been called, with arg, once for every
//  bad row, each error naming its source line, column header as written
//  (NULL for a cross-row problem with no single column), the value, and
//  an English reason; and once with line 0 (or the header line) and no
//  column for a file-level refusal (no header, no measures, unclosed
//  quote). Also NULL when memory runs out (reason "out of memory").
valuation_framework_t *
    valuation_framework_load (const void *data, size_t size,
                              sv_csv_error_fn *error_fn, void *arg);

//  As valuation_framework_load, reading the file at path. A file that
//  cannot be read is one file-level error naming path and errno's text.
valuation_framework_t *
    valuation_framework_load_file (const char *path,
                                   sv_csv_error_fn *error_fn, void *arg);

//  Destroys a framework and nulls the caller's pointer; safe on NULL and
//  twice. Selections made from it stay valid (they copy their codes).
void
    valuation_framework_destroy (valuation_framework_t **self_p);

//  Framework id and version, as in the file. Borrowed.
const char *
    valuation_framework_id (const valuation_framework_t *self);
const char *
    valuation_framework_version (const valuation_framework_t *self);

//  Number of measures (at least 1), and the measure at index (0 ..
//  count - 1, in ascending byte order of code), for iteration. Borrowed;
//  NULL when index is out of range.
size_t
    valuation_framework_measures (const valuation_framework_t *self);
const valuation_framework_measure_t *
    valuation_framework_measure_at (const valuation_framework_t *self, size_t index);

//  Finds a measure by code (exact, case-sensitive). Returns it (borrowed:
//  theme, outcome, unit, description, proxies), or NULL when unknown.
const valuation_framework_measure_t *
    valuation_framework_measure (const valuation_framework_t *self, const char *code);

//  Proxy value in pence per unit of measure code for financial year fy
//  (named by start year). When the measure has no proxy for fy, the
//  latest earlier year's is used. Returns 0, setting *pence_p and, if
//  fy_used_p is not NULL, *fy_used_p to the year whose proxy it is.
//  Returns -1, leaving both untouched, when the measure is unknown or
//  has no proxy for fy or any earlier year. pence_p must not be NULL.
int
    valuation_framework_proxy (const valuation_framework_t *self, const char *code,
                               int fy, int64_t *pence_p, int *fy_used_p);

//  A partner's selection of the measures it uses, from codes [0..count)
//  (copied). Every code must be a measure of self: returns NULL when one
//  is not, with *unknown_p (if not NULL) pointing at that code (borrowed
//  from codes), or when memory runs out (*unknown_p NULL). Codes may
//  repeat. The selection does not refer to self afterwards.
valuation_framework_selection_t *
    valuation_framework_select (const valuation_framework_t *self,
                                const char *const *codes, size_t count,
                                const char **unknown_p);

//  As valuation_framework_select, from config text: codes separated by
//  commas and/or white space ("ILL-JOB-01, ILL-JOB-02 ILL-ENV-01").
//  "all" alone selects every measure of self. On an unknown code returns
//  NULL and, if unknown_p is not NULL, sets *unknown_p to a fresh copy of
//  the code (the caller's to free), else to NULL.
valuation_framework_selection_t *
    valuation_framework_select_text (const valuation_framework_t *self,
                                     const char *text, char **unknown_p);

//  Destroys a selection and nulls the caller's pointer; safe on NULL and
//  twice.
void
    valuation_framework_selection_destroy (valuation_framework_selection_t **self_p);

//  True when code is one of the selection's measures. A NULL selection
//  means "every measure is active" (a partner that selected nothing).
bool
    valuation_framework_selection_active (const valuation_framework_selection_t *self,
                                          const char *code);

//  Number of distinct codes selected.
size_t
    valuation_framework_selection_size (const valuation_framework_selection_t *self);

//  Self test of this class; asserts (aborts) on failure. Reads
//  deploy/frameworks/*.csv relative to the current directory (the
//  repository root).
void
    valuation_framework_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
