/*  =========================================================================
    sv_chouse - suppliers found in Companies House's free bulk file

    Companies House publishes every live company each month as one CSV
    (BasicCompanyDataAsOneFile, 2.5 GB, 5 million rows) or the same rows in
    parts: name, number, registered office, category, status, dissolution
    date, up to four SIC 2007 codes. Spend files rarely carry a supplier's
    postcode; this file gives the registered office's.

    A resolver is told the suppliers socval knows (sv_chouse_want: their
    key, and their Companies House number and/or name), then reads any
    number of files (or parts) through sv_csv, in chunks of any size, and
    keeps only what concerns those suppliers: memory is bounded by the
    suppliers wanted, never by the file. Then, for each supplier:

    - known by number: the row with that number ("by number");
    - known only by name: the one company whose name matches ("by unique
      name"); two or more companies of that name are an ambiguity, never
      a guess, and the candidates are named ("! LIMITED (12778855), ! LTD
      (08209948)"); none is "not found".

    Names match by key: sv_name_key (case, spacing and punctuation aside,
    "&" as "and"), then the company type at the end dropped: "Ltd",
    "Limited", "PLC", "Public Limited Company", "LLP", "Limited Liability
    Partnership", "CIC", "Community Interest Company", "LP", "Cyf",
    "Cyfyngedig", "CCC" (so "Acme Cleaning Ltd." matches "ACME CLEANING
    LIMITED"). A name that is nothing but a type keeps it, spelt one way
    ("! LTD" and "! LIMITED" both "limited").

    The file's header is read as it is published: the leading spaces of
    " CompanyNumber" are no matter (sv_csv folds headers). Numbers are read
    by sv_company (padded to 8, a trailing ".0" dropped); a number that is
    not one is its row's error. Of the rows kept, a dissolution date that is
    not a date, or a SIC cell that is not "NNNNN - description" (nor "None
    Supplied"), is its row's error too, and that row is not used. Errors go
    to the error callback with the file name, row, column as written, value
    and reason. A file missing a column it needs (CompanyName,
    CompanyNumber, RegAddress.PostCode, CompanyStatus) is refused whole.

    SIC codes suggest a Real Living Wage category (sv_chouse_rlw_category):
    a suggestion shown beside a contract's own category, never replacing it.
    No SQL, no sockets.
    =========================================================================
*/

#ifndef SV_CHOUSE_H_INCLUDED
#define SV_CHOUSE_H_INCLUDED

#include "sv_csv.h"
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _sv_chouse_t sv_chouse_t;

//  What the file says of one supplier wanted. Borrowed: valid during the
//  callback (sv_chouse_each).
typedef struct {
    const char *supplier_key;   //  as given to sv_chouse_want
    const char *supplier_name;  //  as given, "" when none
    const char *outcome;        //  "by number", "by unique name", "ambiguous",
                                //  "not found"
    //  For "by number" and "by unique name" ("" otherwise):
    const char *number;         //  "05857258"
    const char *name;           //  the company's registered name
    const char *postcode;       //  registered office, normalised; "" when
                                //  none or not a UK postcode
    const char *status;         //  "Active", "Liquidation", ...
    const char *dissolved;      //  ISO date, "" when not dissolved
    const char *sic_codes;      //  "56210,56290", "" when none
    const char *rlw_category;   //  suggestion from the SIC codes, "" when none
    //  For "ambiguous": the candidates, "NAME (number), NAME (number)"
    //  (at most 5 named, then "and N more")
    const char *candidates;
} sv_chouse_result_t;

typedef void (sv_chouse_result_fn) (const sv_chouse_result_t *result, void *arg);

//  A rejected row of a file: the file's name (as given to
//  sv_chouse_begin) and sv_csv's row, column, value and reason.
typedef void (sv_chouse_error_fn) (const char *file, const sv_csv_error_t *error, void *arg);

//  Creates a resolver; error_fn (may be NULL) hears each bad row.
sv_chouse_t *
    sv_chouse_new (sv_chouse_error_fn *error_fn, void *arg);

void
    sv_chouse_destroy (sv_chouse_t **self_p);

//  Adds a supplier to look for: its socval key ("CH:05857258",
//  "NAME:ACME", "ID:S-17"), its Companies House number ("" when unknown;
//  read as sv_company reads it) and its name ("" when unknown). A
//  supplier with a number is looked for by number only. Returns 0, or -1
//  when it has neither a number nor a name that can be matched (then it
//  is reported "not found"). Must come before the first file.
int
    sv_chouse_want (sv_chouse_t *self, const char *supplier_key, const char *number,
                    const char *name);

//  Reads one file: begin (its name, for errors), feed its bytes in chunks
//  of any size, end. Returns 0, or -1 when the file is refused whole
//  (sv_chouse_refusal says why; what its rows gave is kept).
int
    sv_chouse_begin (sv_chouse_t *self, const char *file);
int
    sv_chouse_feed (sv_chouse_t *self, const void *data, size_t size);
int
    sv_chouse_end (sv_chouse_t *self);

//  Reads a file from disk (begin, feed, end). Returns as sv_chouse_end,
//  or -1 when it cannot be read (the refusal says so).
int
    sv_chouse_read_file (sv_chouse_t *self, const char *path);

//  Why the last file was refused whole, or NULL. Borrowed.
const char *
    sv_chouse_refusal (sv_chouse_t *self);

//  Rows read and rows rejected, over every file so far.
size_t
    sv_chouse_rows (sv_chouse_t *self);
size_t
    sv_chouse_errors (sv_chouse_t *self);

//  Calls fn once for each supplier wanted, in the order given.
void
    sv_chouse_each (sv_chouse_t *self, sv_chouse_result_fn *fn, void *arg);

//  Writes the key a company name is matched by (see above) into out
//  (size bytes). Returns 0, or -1 when it does not fit (out "").
int
    sv_chouse_name_key (const char *name, char *out, size_t size);

//  The Real Living Wage category SIC 2007 codes suggest, from a list such
//  as "81210,68209": "cleaning" (81210, 81220-81229, 81291, 81299),
//  "security" (80100-80300), "catering" (56210, 56290), "care" (87xxx,
//  88xxx), "facilities" (81100); the first code that names one decides.
//  "" when none does. Static.
const char *
    sv_chouse_rlw_category (const char *sic_codes);

void
    sv_chouse_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
