/*  ingest_records: the CSV feeds of suppliers, contracts, commitments and
    deliveries, each with a documented canonical header (README, "Feed
    formats"). sv_csv finds and maps the header; this class checks each
    row's values and turns it into a SUPPLIER, CONTRACT, COMMITMENT or
    DELIVERY event. A bad row is rejected naming its line, column, value and
    reason; nothing is guessed. No SQL and no sockets.

    Measure codes are checked for form only here (letters, digits, '.',
    '-', '_'): which codes a partner uses is valuation's framework, and a
    row on an unknown measure is flagged there, not dropped.
*/
#ifndef INGEST_RECORDS_H_INCLUDED
#define INGEST_RECORDS_H_INCLUDED

#include "sv_csv.h"
#include "sv_proto.h"

typedef struct _ingest_records_t ingest_records_t;

//  One good row: event (borrowed for the call) carries partner. Returns 0,
//  or -1 to stop reading.
typedef int (ingest_records_row_fn) (const sv_proto_t *event, void *arg);

//  A reader for one CSV file of kind SV_PROTO_SUPPLIER, SV_PROTO_CONTRACT,
//  SV_PROTO_COMMITMENT or SV_PROTO_DELIVERY, for partner (copied). NULL on
//  another kind or when memory cannot be had.
ingest_records_t *
    ingest_records_new (sv_proto_id_t kind, const char *partner,
                        ingest_records_row_fn *row_fn, sv_csv_error_fn *error_fn,
                        void *arg);

void
    ingest_records_destroy (ingest_records_t **self_p);

//  A per-partner header override, "source header=canonical field". 0 or -1.
int
    ingest_records_override (ingest_records_t *self, const char *pair);

//  Reads the next chunk; 0, or -1 when the file is refused whole.
int
    ingest_records_feed (ingest_records_t *self, const void *data, size_t size);

//  Ends the file; 0, or -1 when it is refused whole.
int
    ingest_records_finish (ingest_records_t *self);

//  Why the file was refused, or NULL. Borrowed.
const char *
    ingest_records_refusal (ingest_records_t *self);

//  Calls fn for each named column of the file's header, with the field it
//  was read as or NULL when ignored (see sv_csv_columns).
void
    ingest_records_columns (ingest_records_t *self, sv_csv_column_fn *fn, void *arg);

//  The key a supplier is known by: "CH:<Companies House number>" when
//  known, else "ID:<partner's supplier id>", else "NAME:<name>" upper-cased
//  with punctuation dropped; "" when there is nothing to go on.
void
    ingest_records_supplier_key (const char *companies_house, const char *supplier_id,
                                 const char *name, char *key, size_t size);

//  Prints each kind's canonical header, required fields starred
//  (socval-ingest --headers).
void
    ingest_records_print_headers (FILE *out);

void
    ingest_records_test (bool verbose);

#endif
