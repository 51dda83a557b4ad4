/*  ingest_feed: turns the bytes of one submitted batch into normalised
    events, whatever its kind and format.

    The server pushes the batch's chunks in order as they arrive and calls
    finish after the last. Each good row comes out through row_fn as an
    event (SUPPLIER, CONTRACT, SPEND, COMMITMENT or DELIVERY) with its
    natural key; each bad row through error_fn with its row number (the
    line in a CSV file, the release or record index in OCDS and msgpack),
    the column, and a reason that quotes the value. The partner on every
    event is the authenticated partner given here, whatever the file says.

    A batch that cannot be read as its format at all is refused whole:
    push or finish returns -1 and ingest_feed_reason says why. Every format
    is read as it streams, emitting rows during push, so memory stays
    bounded by the longest row: a CSV line, a msgpack record, an OCDS
    package's release or record (up to ingest/max_document_bytes; an OCDS
    document that is a lone release is read whole at finish, up to the
    same limit). A batch refused part way keeps the rows emitted before.

    No sockets and no SQL here.
*/
#ifndef INGEST_FEED_H_INCLUDED
#define INGEST_FEED_H_INCLUDED

#include <czmq.h>
#include "sv_csv.h"
#include "sv_proto.h"

typedef struct _ingest_feed_t ingest_feed_t;

//  A good row: event is borrowed for the call. Returns 0, or -1 to stop
//  the batch (the caller's store failed); push/finish then return -1.
typedef int (ingest_feed_row_fn) (void *arg, const char *natural_key, const sv_proto_t *event);

//  A rejected row.
typedef void (ingest_feed_error_fn) (void *arg, uint64_t row, const char *column,
                                     const char *reason);

//  A feed for partner's batch of kind (suppliers, contracts, spend,
//  commitments, deliveries) in format (csv, ocds, msgpack, xlsx: the
//  workbook is spooled to a temporary file and its sheet read at finish,
//  row by row, as a CSV file of that kind). settings, when
//  not NULL, is the partner's config section (partners/<name>), borrowed:
//  its headers/<Source header> = canonical field are CSV header overrides,
//  its date_order (dmy or mdy) declares how its spend files write dates.
//  NULL when kind and format do not go together, or the partner's
//  date_order is neither, with *reason_p saying so.
ingest_feed_t *
    ingest_feed_new (const char *partner, const char *batch_id, const char *kind,
                     const char *format, zconfig_t *settings, size_t max_document,
                     ingest_feed_row_fn *row_fn, ingest_feed_error_fn *error_fn,
                     void *arg, const char **reason_p);

void
    ingest_feed_destroy (ingest_feed_t **self_p);

//  Names the sheet of an xlsx batch to read (exactly as on its tab;
//  NULL or "": the first worksheet). Call before the first push. 0, or -1
//  with *reason_p when a sheet is named for a batch that is not xlsx.
int
    ingest_feed_set_sheet (ingest_feed_t *self, const char *sheet, const char **reason_p);

//  Declares the partner's beneficiary groups, text being the config's
//  comma-separated list ("Care leavers, Veterans"; white space around a
//  name is not part of it; NULL or "" declares none): a delivery's group
//  is given its declared spelling, or taken as written with a warning
//  (ingest_records_set_groups), in CSV and msgpack alike. Call before the
//  first push.
void
    ingest_feed_set_groups (ingest_feed_t *self, const char *text);

//  Sends warnings to fn, with the feed's arg, shaped as rejected rows are:
//  rows taken with something a person should know (ingest_records.h: a
//  negative quantity, a period across financial years...), and the file
//  as a whole (row 0). None when fn is NULL, the default. Call before the
//  first push.
void
    ingest_feed_set_warning (ingest_feed_t *self, ingest_feed_error_fn *fn);

//  Counts a spend file's transaction numbers past the first in_memory
//  distinct ones through fn (see ingest_spend_set_counter), so memory stays
//  bounded; other kinds do not count. Call before the first push.
void
    ingest_feed_set_counter (ingest_feed_t *self, uint32_t (*fn) (const char *, void *),
                             void *arg, size_t in_memory);

//  Calls fn for each named column of a CSV file's (or xlsx sheet's) header with the field it
//  was read as, or NULL when ignored (see sv_csv_columns); nothing for
//  other formats, or before the header is read.
void
    ingest_feed_columns (ingest_feed_t *self, sv_csv_column_fn *fn, void *arg);

//  Feeds the next chunk, cut anywhere. 0, or -1 when the batch is refused
//  whole or stopped.
int
    ingest_feed_push (ingest_feed_t *self, const uint8_t *data, size_t size);

//  Ends the batch, emitting what remains. 0 or -1 as push.
int
    ingest_feed_finish (ingest_feed_t *self);

//  Why the batch was refused, or "".
const char *
    ingest_feed_reason (ingest_feed_t *self);

void
    ingest_feed_test (bool verbose);

#endif
