/*  =========================================================================
    ingest_xlsx - one worksheet of an Excel workbook (.xlsx), row by row

    Suppliers send their commitments and delivery returns, and finance
    teams sometimes their spend, as Excel workbooks. An .xlsx is a zip of
    XML parts whose central directory sits at the end, so a batch's bytes
    are first spooled to a temporary file (tmpfile(3): removed when
    closed, at most INGEST_XLSX_FILE_MAX bytes), then read with libzip;
    the sheet's XML is streamed through expat, so memory is bounded by one
    row and the shared-string table, never by the sheet.

    Each row is handed over as text cells placed by their reference (D7
    is cell 3 of row 7, whatever cells the XML leaves out), numbered by
    the row's r attribute (rows the XML leaves out are not seen at all),
    so a kind's CSV reader can take it as it takes a CSV record:
      shared and inline strings   as written (the _xHHHH_ escapes decoded)
      numbers                     plain decimal text, at most 15
                                  significant digits (Excel's own
                                  precision): 4952.17, -0.5, 12
      dates                       a number in a cell whose number format
                                  is a date (built-in ids 14-17, 22,
                                  27-36, 50-58, or a custom format with a
                                  d, y, or m without h or s outside quotes
                                  and brackets) is read as a serial in the
                                  workbook's date system (1900, with its
                                  1900-02-29 that never was; or 1904):
                                  2024-04-01, or 2024-04-01 13:30:00 with
                                  a time. Never guessed from the number: a
                                  number in a cell not formatted as a date
                                  stays a number.
      booleans                    TRUE or FALSE
      formulas                    their cached value
      errors (#N/A, #DIV/0!)      as written, as Excel's CSV export does
    A cell that cannot be given as text (a formula with no saved value, a
    date serial before the calendar or the 1900-02-29 that never was) is
    the row's problem, naming the cell; the caller rejects the row.

    Refused whole, with the reason: bytes that are not a zip (an old .xls,
    a password-protected workbook, a CSV), a zip that is not a workbook, a
    part that inflates past INGEST_XLSX_PART_MAX bytes or more than
    INGEST_XLSX_RATIO_MAX times its compressed size (a zip bomb), any XML
    with a DTD (entity expansion: none is accepted), a shared-string table
    past INGEST_XLSX_STRINGS_MAX bytes, a row past INGEST_XLSX_ROW_MAX
    bytes, a sheet named that the workbook does not have (naming those it
    has).

    Pure: no SQL, no sockets.
    =========================================================================
*/

#ifndef INGEST_XLSX_H_INCLUDED
#define INGEST_XLSX_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Bounds, in bytes (see above)
#define INGEST_XLSX_FILE_MAX (256 * 1024 * 1024)        //  the workbook as sent
#define INGEST_XLSX_PART_MAX (1024 * 1024 * 1024)       //  one part, inflated
#define INGEST_XLSX_RATIO_MAX 200                       //  inflated / compressed,
                                                        //  for parts over 1 MiB
#define INGEST_XLSX_STRINGS_MAX (64 * 1024 * 1024)      //  the shared strings' text
#define INGEST_XLSX_ROW_MAX (1024 * 1024)               //  one row's text

//  Buffer size for a cell reference ("XFD1048576")
#define INGEST_XLSX_CELL_BUF 16

typedef struct _ingest_xlsx_t ingest_xlsx_t;

//  One row: row is its number (the r attribute, 1-based, increasing);
//  cells [0..count) its cells' text by column (0 is A), NULL where the
//  sheet has no cell; problem NULL, or why the row must be rejected
//  ("cell D7: a formula with no value saved..."). All borrowed for the
//  call. Returns 0 to go on, -1 to stop (read then returns -1).
typedef int (ingest_xlsx_row_fn) (void *arg, uint64_t row, const char *const *cells,
                                  size_t count, const char *problem);

//  An empty workbook spool. NULL when no temporary file can be had.
ingest_xlsx_t *
    ingest_xlsx_new (void);

//  Closes the spool (its file is removed) and nulls the caller's pointer;
//  safe on NULL and twice.
void
    ingest_xlsx_destroy (ingest_xlsx_t **self_p);

//  Appends size bytes of the workbook as sent. 0, or -1 past
//  INGEST_XLSX_FILE_MAX or when the disk fails (see reason).
int
    ingest_xlsx_write (ingest_xlsx_t *self, const void *data, size_t size);

//  Reads the sheet named sheet (exactly as on its tab), or the first
//  worksheet in tab order when sheet is NULL or "", handing each row
//  that has a cell to row_fn with arg, in order. Call once, after the
//  last write. 0, or -1 when the workbook is refused (see reason) or
//  row_fn stopped it.
int
    ingest_xlsx_read (ingest_xlsx_t *self, const char *sheet, ingest_xlsx_row_fn *row_fn,
                      void *arg);

//  Why the workbook was refused, or "". Borrowed.
const char *
    ingest_xlsx_reason (ingest_xlsx_t *self);

//  The name of the sheet read (once read has found it), else "". Borrowed.
const char *
    ingest_xlsx_sheet (ingest_xlsx_t *self);

//  How many worksheets the workbook has, and their names in tab order,
//  comma-separated and quoted ("\"Returns\", \"Lists\""); once read has
//  opened the workbook. Borrowed.
size_t
    ingest_xlsx_sheets (ingest_xlsx_t *self, const char **names_p);

//  Writes the reference of the cell in column (0 is A) of row into buf
//  (at least INGEST_XLSX_CELL_BUF bytes): "D7". Returns buf.
const char *
    ingest_xlsx_cell_name (size_t column, uint64_t row, char *buf);

//  Self test of this class; asserts (aborts) on failure. Reads the
//  fixtures under tests/fixtures/xlsx/, relative to the current
//  directory (the repository root).
void
    ingest_xlsx_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
