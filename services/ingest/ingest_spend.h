/*  =========================================================================
    ingest_spend - the spend feed: council "spend over £500" CSV files

    Reads a partner's spend file (any of the Local Government Transparency
    Code layouts: see the synonym table in ingest_spend.c) through
    sv_csv and turns each data row into a checked ingest_spend_row_t:
    payment date as a day number, amount in pence, postcode normalised,
    Companies House number validated, redacted supplier names kept as
    redacted. A row that cannot be read unambiguously is rejected through
    the error callback with its line, column, value and reason, and the
    rest of the file goes on; a file that is not a spend file at all is
    refused whole.

    The natural key of a spend row, for deduplication by the store, says
    what the payment is, never where it sits in the file. It is one of
    these shapes, T being the transaction number as written (1 to 100
    bytes, any characters but never starting or ending with a space) and
    every part after the last '/' free of '/', so each key reads back one
    way only and no two shapes can ever give the same key:
      T/L       a file with a line/sequence column (Gateshead "Seq no",
                Wakefield "Seq No"): its value L, as a number;
      T/n       a file without one: the nth row (1, 2, ...) with number T
                in this file, counting every data row, rejected ones
                included, so that fixing a rejected row and resending the
                file numbers every row as before;
      T/L+k     the kth row (k >= 2) of a file with the same T and L as an
                earlier one (a borough file lists T and L twice with
                £186.00 and £805.00): a payment of its own, with a warning;
      T/+n      the nth row of number T whose line cell is empty, in a
                file with a line column (never equal to a T/L key);
      /D+n      a row without a transaction number (no column, or an
                empty cell): D is 32 lowercase hex digits, the XXH3-128
                digest of its content, and n which of the file's rows with
                that very content it is (1, 2, ...; the second and later
                are warned of). The content is the payment date and amount
                as read (so 01/06/2024 and 2024-06-01 are one date) and
                every other field as written: body name and code, line,
                supplier name, id, VAT and company numbers, postcode,
                expense area, type and code, capital or revenue, narrative;
                a missing column and an empty cell are alike. So two files
                never collide, a republished file's rows are duplicates, and
                a file listing one payment twice keeps both.
    T/L and T/n are the keys of before, so stores that hold them still
    deduplicate. Keys of before for rows without a number were "/<source
    line>"; no key made now has that shape. A key is at most
    INGEST_SPEND_KEY_MAX bytes.

    Payment dates. A numeric d/m/y date could be m/d/y (a file that went
    through a US-set spreadsheet: 8/31/2020), so the convention is settled
    for the whole column, never row by row: by the partner's declared
    order when given (ingest_spend_set_date_order), else by the first date
    that can be read one way only (13/01/2020: day first; 8/31/2020: month
    first, with a warning). A date that can then only be read the other
    way is rejected, naming the line that settled the column. While the
    column is open, rows from the first whose date reads two different
    ways are held back, and handed over, in file order, once a date
    settles it; a file whose every date reads both ways is read day first
    (the UK convention) at its end, with a warning. So rows, errors and
    keys are the same as if the convention had been known from the start,
    and reach the callbacks in file order. Held rows take up to 4 MB of
    their record text in memory and go to a temporary file (tmpfile)
    past that. A day-first file whose first dozen rows show a day over 12
    holds almost nothing.

    Credits. A file may mark each row debit or credit in a column of its
    own ("Dr/Cr", "Debit/Credit", "INV/CRN"; or "Transaction Type" with
    "Credit Note" or "Refund"). Its amounts are then written one of two
    ways, and the file says which by its credit rows: credits already
    negative (-250.00 beside "CR": read as written), or every amount
    unsigned (250.00 beside "CR": the credit is -250.00, with one warning
    naming the first such row). A file that writes credits both ways
    cannot be read either way and is refused whole, naming a row of
    each. A row marked debit with a negative amount is rejected (the sign
    and the marker disagree), and so is one whose marker is missing or
    neither a debit nor a credit, except in a "Transaction Type" column,
    which also names other kinds of payment ("BACS"): those rows keep
    their amounts as written. So a credit is never counted as a payment.

    Memory: the longest record, plus, for the occurrence count, each
    distinct transaction number seen. A number of 1 to 18 digits is a bit
    or two in Roaring bitmaps when near-sequential, the bitmaps capped at
    about 16 MB; any other number, a digit number seen again, and a digit
    number past that cap costs its length plus 17-33 bytes. Read in 256
    KB chunks, a million-row file peaks at about 6 MB with a million
    sequential numbers or none, 50 MB with a million distinct numbers
    such as "T5000001".
    Pure domain: no SQL, no sockets.
    =========================================================================
*/

#ifndef INGEST_SPEND_H_INCLUDED
#define INGEST_SPEND_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sv_csv.h"

#ifdef __cplusplus
extern "C" {
#endif

//  Transaction numbers longer than this are refused (row error)
#define INGEST_SPEND_TRANSACTION_MAX 100

//  The longest natural key, in bytes without the NUL: "T/L+k" with T at
//  INGEST_SPEND_TRANSACTION_MAX, L at 9 digits and k at 10. The store's
//  stream key, partner/key, takes 512 bytes.
#define INGEST_SPEND_KEY_MAX 128

//  The canonical fields of a spend file, in the order of the field table
//  (ingest_spend_fields) and of sv_csv_row_t.values
typedef enum {
    INGEST_SPEND_BODY_NAME,
    INGEST_SPEND_BODY_CODE,
    INGEST_SPEND_PAYMENT_DATE,          //  required
    INGEST_SPEND_TRANSACTION_NO,
    INGEST_SPEND_LINE,
    INGEST_SPEND_AMOUNT,                //  required
    INGEST_SPEND_SUPPLIER_NAME,         //  required
    INGEST_SPEND_SUPPLIER_ID,
    INGEST_SPEND_VAT_NUMBER,
    INGEST_SPEND_COMPANY_NUMBER,
    INGEST_SPEND_POSTCODE,
    INGEST_SPEND_EXPENSE_AREA,
    INGEST_SPEND_EXPENSE_TYPE,
    INGEST_SPEND_EXPENSE_CODE,
    INGEST_SPEND_CAPITAL_REVENUE,
    INGEST_SPEND_NARRATIVE,
    //  A debit/credit marker ("Dr/Cr", "INV/CRN"): read with the amount,
    //  never kept (see "Credits" above)
    INGEST_SPEND_CREDIT_DEBIT,
    INGEST_SPEND_FIELDS                 //  the number of fields
} ingest_spend_field_t;

//  One accepted spend row. Every string is borrowed: valid only until the
//  row callback returns (copy what you keep), never NULL, "" when the file
//  has no such column or the cell is empty, UTF-8, trimmed.
typedef struct {
    size_t source_line;         //  1-based line where the record starts
    int32_t payment_date;       //  sv_date day number
    int64_t amount;             //  pence; negative for credits and refunds
    const char *transaction_no; //  as written, or ""
    //  The natural key (see above); what the store deduplicates by
    const char *key;
    //  L, n or k of the key: the line column's value, else the row's
    //  occurrence (of its number, or of its content); >= 0
    int64_t line;
    //  True when the supplier name is a redaction ("REDACTED PERSONAL
    //  DATA", "Name withheld", ...). The row then names no supplier:
    //  supplier_name, supplier_id, vat_number, company_number and
    //  postcode are all "", so no supplier is ever made from it.
    bool redacted;
    const char *supplier_name;
    const char *supplier_id;
    const char *vat_number;
    const char *company_number; //  "" or 8 characters, e.g. "01234567", "SC123456"
    const char *postcode;       //  "" or normalised, e.g. "S60 2TD"
    const char *body_name;
    const char *body_code;
    const char *expense_area;
    const char *expense_type;
    const char *expense_code;
    const char *capital_revenue;
    const char *narrative;
} ingest_spend_row_t;

//  Called once per accepted row, in file order (a row may reach it later
//  than sv_csv read it, while the date convention is open, but never out
//  of order, and errors keep file order with it). Returns 0 to go on, or -1
//  to stop: the file is then refused ("stopped by the row handler").
typedef int (ingest_spend_row_fn) (const ingest_spend_row_t *row, void *arg);

typedef struct _ingest_spend_t ingest_spend_t;

//  Creates a reader for one spend file. row_fn (not NULL) gets each
//  accepted row and error_fn (may be NULL) each rejected row, once per
//  row, naming its first problem; both get arg. Returns NULL if memory or
//  the cp1252 converter cannot be had.
ingest_spend_t *
    ingest_spend_new (ingest_spend_row_fn *row_fn, sv_csv_error_fn *error_fn,
                      void *arg);

//  Destroys a reader and nulls the caller's pointer; safe on NULL and twice.
void
    ingest_spend_destroy (ingest_spend_t **self_p);

//  Counts one more occurrence of transaction_no in the file being read and
//  returns how many times it has now been given that number (1 the first
//  time), or 0 when it cannot.
typedef uint32_t (ingest_spend_count_fn) (const char *transaction_no, void *arg);

//  Counts occurrences (for the keys' n and k) through fn with arg once
//  the reader's own string table (about 40 bytes a text) holds in_memory
//  distinct texts. A counted text is a transaction number; in a file with
//  a line column, "T/L" or "T/" (no line); for a row without a number, a
//  space and its content digest (no trimmed number starts with a space).
//  Past in_memory, new texts go to fn instead of growing the reader's
//  memory with the file; a store can keep those counts on disk so memory
//  stays bounded whatever the file, while files with fewer distinct texts
//  are counted in memory only. The table, and so fn, sees every text but
//  those of 1 to 18 digits (and at most 32 characters) the reader's
//  bitmaps hold: of these it sees only the second and later occurrences,
//  and the reader adds the first to what fn returns. Call before the
//  first feed.
void
    ingest_spend_set_counter (ingest_spend_t *self, ingest_spend_count_fn *fn, void *arg,
                              size_t in_memory);

//  Calls fn with arg for each thing a person should know about a file
//  that was nevertheless read, as errors are given (line, column, value,
//  reason; line 0 or the header's line for the whole file): a date
//  column read day first because every date reads both ways (once, at
//  finish), one settled month first, rows repeating an earlier row's
//  transaction number and line or every field (both kept; one by one up
//  to 20, then one count at finish). fn NULL: none are given.
void
    ingest_spend_set_warning (ingest_spend_t *self, sv_csv_error_fn *fn, void *arg);

//  Declares the partner's date convention, "dmy" or "mdy" (config
//  partners/<name>/date_order), which then settles every payment date
//  column from its first row: a date that can only be read the other way
//  is rejected. Call before the first feed. Returns 0, or -1 if order is
//  neither or data was already fed.
int
    ingest_spend_set_date_order (ingest_spend_t *self, const char *order);

//  Adds a per-partner header override, "source header=canonical field"
//  (e.g. "Updated=payment_date"; canonical names are those of
//  ingest_spend_fields; "Header=" ignores a column). Overrides win over
//  the synonym table. Call before the first feed. Returns 0, or -1 if the
//  pair is malformed or names no spend field, or data was already fed.
int
    ingest_spend_override (ingest_spend_t *self, const char *pair);

//  Reads the next size bytes of the file, in chunks of any size (the rows,
//  errors and figures do not depend on the chunking). Returns 0, or -1
//  when the file is refused whole (see ingest_spend_refusal): the caller
//  must then discard every row it was given for this file.
int
    ingest_spend_feed (ingest_spend_t *self, const void *data, size_t size);

//  Reads the next row of a file that comes in cells (a spreadsheet's row:
//  see sv_csv_feed_cells), instead of ingest_spend_feed. 0 or -1 as that.
int
    ingest_spend_feed_cells (ingest_spend_t *self, size_t line, const char *const *cells,
                             size_t count, const char *problem);

//  The line (or row) the header was found on, or 0 while it is not found.
size_t
    ingest_spend_header_line (ingest_spend_t *self);

//  Ends the file. Returns 0 when it was taken (even if every row was
//  rejected), or -1 when it is refused whole.
int
    ingest_spend_finish (ingest_spend_t *self);

//  Returns why the file was refused whole, or NULL. Borrowed: valid until
//  the reader is destroyed.
const char *
    ingest_spend_refusal (ingest_spend_t *self);

//  Returns the number of rows accepted (given to row_fn) so far.
size_t
    ingest_spend_accepted (ingest_spend_t *self);

//  Returns the number of rows rejected (given to error_fn) so far.
size_t
    ingest_spend_rejected (ingest_spend_t *self);

//  Returns the sum in pence of the amounts of the rows accepted so far.
//  (A row whose amount would take this past int64 is rejected.)
int64_t
    ingest_spend_total (ingest_spend_t *self);

//  Returns the header text, as written in the file, mapped to field, or
//  NULL (no such column, or header not yet found). Borrowed.
const char *
    ingest_spend_column (ingest_spend_t *self, ingest_spend_field_t field);

//  Calls fn for each named column of the file's header, with the field it
//  was read as or NULL when ignored (see sv_csv_columns).
void
    ingest_spend_columns (ingest_spend_t *self, sv_csv_column_fn *fn, void *arg);

//  Returns the spend field table (INGEST_SPEND_FIELDS entries, in
//  ingest_spend_field_t order), static.
const sv_csv_field_t *
    ingest_spend_fields (void);

//  True if a supplier name is a redaction rather than a supplier
//  ("REDACTED PERSONAL DATA", "Personal Information Redacted", "Name
//  withheld", "DETAILS REDACTED", Oxford's typo "Reacted personal data",
//  Craven's "*****" masks; not "REDACTIVE PUBLISHING LTD"). name must not
//  be NULL.
bool
    ingest_spend_redaction (const char *name);

//  Self test of this class; asserts (aborts) on failure. Reads the
//  fixtures under tests/fixtures/spend/, relative to the current
//  directory (the repository root).
void
    ingest_spend_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
