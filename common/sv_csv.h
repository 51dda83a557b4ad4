/*  =========================================================================
    sv_csv - a chunked CSV reader that maps any feed's header to
    canonical fields

    Partners send CSV exported by their own finance systems: headers worded
    their own way, report titles above them, cp1252 bytes in the middle of
    UTF-8, a BOM, CR LF or LF. This class takes such a file in chunks of
    any size, finds the header row, maps its cells to a kind's canonical
    fields, and hands every data row to a callback as an array of canonical
    values with the source line it started on. It knows nothing about what
    the values mean: a kind (ingest_spend, ...) describes its fields in a
    table and checks the values.

    Memory stays bounded by the longest record (and at most max_record
    bytes, 1 MiB by default), never by the file. No SQL, no sockets. Ingest
    reads every CSV feed through it; valuation (frameworks, postcode
    directories), compliance (RLW rates) and reporting read their data
    files with it too.
    =========================================================================
*/

#ifndef SV_CSV_H_INCLUDED
#define SV_CSV_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Lines searched for the header: it must start on one of lines 1-30
#define SV_CSV_HEADER_LINES 30

//  Default limit on the bytes of one record (SV_CSV_MAX_RECORD)
#define SV_CSV_MAX_RECORD (1024 * 1024)

//  One canonical field of a feed kind. A kind's table is an array of these
//  that outlives every reader made from it (normally a static const).
typedef struct {
    //  Canonical name, lower case with underscores: "payment_date"
    const char *name;
    //  Header texts that name this field, best first, NULL-terminated.
    //  Written as people write them ("Transaction No."); they are compared
    //  folded (ASCII letters and digits only, any case), so "Trans No",
    //  "TRANS_NO" and "trans no " are one synonym. A '#' in a synonym
    //  stands for any one digit, for names stamped with a year that
    //  changes each release: "lad##cd" names "lad23cd" and "LAD24CD". The
    //  canonical name itself always matches, ahead of every synonym. May
    //  be NULL.
    const char *const *synonyms;
    //  True if a file whose header lacks this field is refused whole
    bool required;
} sv_csv_field_t;

//  One data row, as handed to the row callback. Everything it points to
//  is borrowed: valid only until the callback returns.
typedef struct {
    //  1-based physical line of the source file where the record starts,
    //  counting preamble, header, blank lines and the line breaks inside
    //  quoted cells (LF, CR LF or a lone CR each end one line)
    size_t line;
    //  One entry per field of the kind's table, in table order: the cell's
    //  text in UTF-8, trimmed of spaces and tabs; "" when the cell is
    //  empty; NULL when the file has no column for the field, or the
    //  record is too short to reach its column
    const char *const *values;
    //  Number of cells in the record as written
    size_t cells;
    //  NULL when the record fits the header; otherwise a reason such as
    //  "5 cells where the header has 6". Such a record must be rejected
    //  by the kind (values are still mapped by position, so the kind may
    //  name a cell that explains the misfit, e.g. a date with the next
    //  cell run into it). Trailing empty cells are not a misfit.
    const char *shape_error;
} sv_csv_row_t;

//  A rejected row, as a kind reports it to its caller: everything needed
//  for "row 17, column 'Paid Date', value '00:00:00': time without a
//  date". Borrowed: valid only until the error callback returns.
typedef struct {
    size_t line;            //  source line where the record starts
    const char *column;     //  header text as written in the file, or NULL
    const char *value;      //  the cell as read (UTF-8), or NULL
    const char *reason;     //  English, never NULL
} sv_csv_error_t;

//  Called once per data row, in file order. Returns 0 to go on, or -1 to
//  stop reading: the feed or finish call then returns -1 and the reader
//  refuses everything after ("stopped by the row handler").
typedef int (sv_csv_row_fn) (const sv_csv_row_t *row, void *arg);

//  Called once per rejected row by a kind (not by this class).
typedef void (sv_csv_error_fn) (const sv_csv_error_t *error, void *arg);

typedef struct _sv_csv_t sv_csv_t;

//  Creates a reader for one file of a kind described by fields
//  [0..field_count) (borrowed; must outlive the reader); row_fn (not NULL)
//  gets every data row, with arg. Returns NULL if field_count is 0 or
//  memory or iconv's cp1252 converter cannot be had.
sv_csv_t *
    sv_csv_new (const sv_csv_field_t *fields, size_t field_count,
                    sv_csv_row_fn *row_fn, void *arg);

//  Destroys a reader and nulls the caller's pointer; safe on NULL and
//  twice. Rows not yet delivered (a file never finished) are dropped.
void
    sv_csv_destroy (sv_csv_t **self_p);

//  Adds a per-partner header override, "source header=canonical field"
//  (split at the last '='): a header cell reading "source header" (folded
//  as synonyms are) maps to that field, whatever the synonym table says,
//  and no other cell can take the field from it. An empty field
//  ("Date=") makes the column ignored. Must be called before the first
//  feed. Returns 0, or -1 if the pair is malformed, names no field of the
//  kind, or data has already been fed.
int
    sv_csv_override (sv_csv_t *self, const char *pair);

//  Sets the most bytes one record may span (default SV_CSV_MAX_RECORD,
//  at least 1024). A longer record, usually an unclosed quote, refuses
//  the file whole. Returns 0, or -1 if data has already been fed.
int
    sv_csv_set_max_record (sv_csv_t *self, size_t bytes);

//  Reads the next size bytes of the file (any chunking gives the same
//  rows). Delivers each complete data row to row_fn before returning.
//  Returns 0, or -1 when the file is refused whole (see sv_csv_refusal;
//  rows already delivered must then be discarded by the caller) or was
//  already finished. data may be NULL only when size is 0.
int
    sv_csv_feed (sv_csv_t *self, const void *data, size_t size);

//  Reads the next record of a file that comes already split into cells,
//  a spreadsheet's row, instead of bytes (a file is read one way or the
//  other, never both): cells [0..count) are its cells' UTF-8 text (NULL
//  as "", and empty cells past count up to the header's width, as a
//  sheet leaves them out), line its number, greater than the last one's (rows a sheet
//  leaves out are numbered past). It is found as the header, or mapped and
//  delivered, as a CSV record is; problem, when not NULL, is a reason the
//  row must be rejected (a cell that cannot be read as text), given as the
//  data row's shape_error. Returns 0, or -1 as sv_csv_feed.
int
    sv_csv_feed_cells (sv_csv_t *self, size_t line, const char *const *cells, size_t count,
                       const char *problem);

//  Ends the file: delivers the last row if it had no line break, and
//  refuses the file if it held no header or ended inside a quoted cell.
//  Returns 0, or -1 when the file is refused whole. Feeding after finish
//  is an error (-1).
int
    sv_csv_finish (sv_csv_t *self);

//  Returns why the file was refused whole, naming what was missing and
//  the header cells seen ("no column for payment_date; line 1 has:
//  Supplier Name, Sum of Invoice Nett Amount"), or NULL while it is not
//  refused. Borrowed: valid until the reader is destroyed.
const char *
    sv_csv_refusal (sv_csv_t *self);

//  Returns the header text, as written in the file, of the column mapped
//  to field index field, or NULL when no column maps to it or the header
//  is not yet found. Borrowed: valid until the reader is destroyed.
const char *
    sv_csv_column (sv_csv_t *self, size_t field);

//  One named column of the header: source is its text as written, field
//  the canonical name it was mapped to, or NULL when it is ignored. Both
//  borrowed for the call.
typedef void (sv_csv_column_fn) (const char *source, const char *field, void *arg);

//  Calls fn once for each named column of the header, left to right, so a
//  receipt can say what was read and what was ignored. Calls nothing while
//  the header is not found.
void
    sv_csv_columns (sv_csv_t *self, sv_csv_column_fn *fn, void *arg);

//  Returns the line the header starts on, or 0 while it is not found.
size_t
    sv_csv_header_line (sv_csv_t *self);

//  Returns the number of data rows delivered so far (blank records, whose
//  cells are all empty, are skipped and not counted).
size_t
    sv_csv_rows (sv_csv_t *self);

//  Writes an error for a person into buf (size bytes), cut short to fit:
//  "row 17, column 'Paid Date', value '00:00:00': time without a date",
//  leaving out the column and value parts when they are NULL. Returns buf.
const char *
    sv_csv_error_format (const sv_csv_error_t *error, char *buf, size_t size);

//  The whole of the data file at path (a framework, a crosswalk), the
//  caller's to zchunk_destroy; NULL when it cannot be read, error_fn (may
//  be NULL) then called once, with arg, with line 0 and no column:
//  "cannot read PATH: REASON".
void *
    sv_csv_slurp (const char *path, sv_csv_error_fn *error_fn, void *arg);

//  Self test of this class; asserts (aborts) on failure.
//  Writes text to out as one CSV field (RFC 4180): as it is, or quoted,
//  quotes doubled, when it holds a comma, quote, CR or LF.
void
    sv_csv_write_field (FILE *out, const char *text);

void
    sv_csv_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
