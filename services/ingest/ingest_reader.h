/*  ingest_reader: reads one batch in a thread of its own, so that parsing
    a file and storing its rows run side by side, and so that the caller's
    thread, which stores them, never waits for a file.

    It wraps an ingest_feed: the worker thread pushes the batch's chunks
    through the feed, encodes each good row as the event that will go to the
    outbox and digests it; the caller takes the rows and rejected rows back,
    in the order the feed gave them, through rows_fn (up to
    INGEST_STORE_MANY good rows a call, for ingest_store_put_many) and
    error_fn, as many at a time as it likes (its turns), when it likes. So
    the caller's thread does only what must be done there, the SQL of
    storing them.

    Nothing here waits. The worker tells the caller that there is news
    (rows to take, a chunk started on, the end) by writing to wake_fd, an
    eventfd the caller polls, when the caller last found nothing to do. The
    caller bounds the chunks it hands over (ingest's credit); the worker
    stops when about a megabyte of rows waits to be taken. A spend file's
    transaction numbers are counted in memory (ingest_spend: digit strings
    in bitmaps, the rest in a table of in_memory numbers); what that table
    cannot take is counted in a scratch database of the worker's own
    (ingest_store's counter), so it costs neither memory nor the caller's
    transaction.
*/
#ifndef INGEST_READER_H_INCLUDED
#define INGEST_READER_H_INCLUDED

#include <czmq.h>
#include "ingest_store.h"
#include "sv_csv.h"
#include "sv_proto.h"

typedef struct _ingest_reader_t ingest_reader_t;

//  Good rows, in order, borrowed for the call: count of them, at most
//  INGEST_STORE_MANY. Returns 0, or -1 to stop the batch (the caller's
//  store failed); push/finish then return -1.
typedef int (ingest_reader_rows_fn) (void *arg, const ingest_store_row_t *rows, size_t count);

//  A rejected row: its row number (the line of a CSV file, the index of an
//  OCDS release or msgpack record), column and reason.
typedef void (ingest_reader_error_fn) (void *arg, uint64_t row, const char *column,
                                       const char *reason);

typedef enum {
    INGEST_READER_READING,      //  nothing to take now: wait for wake_fd
    INGEST_READER_READY,        //  rows or rejected rows to take
    INGEST_READER_DONE,         //  the batch ended and every row was taken
    INGEST_READER_FAILED        //  refused whole, or stopped: see reason
} ingest_reader_state_t;

//  A reader of partner's batch; the arguments up to max_document are
//  ingest_feed_new's. A spend file's table of transaction numbers holds
//  in_memory of them, the rest are counted on disk (see above). wake_fd
//  is an eventfd the worker writes 1 to (see above), or -1. NULL when kind
//  and format do not go together, with *reason_p saying so.
ingest_reader_t *
    ingest_reader_new (const char *partner, const char *batch_id, const char *kind,
                       const char *format, zconfig_t *settings, size_t max_document,
                       size_t in_memory, ingest_reader_rows_fn *rows_fn,
                       ingest_reader_error_fn *error_fn, void *arg, int wake_fd,
                       const char **reason_p);

//  Stops the worker, if it is still reading, and frees the reader.
void
    ingest_reader_destroy (ingest_reader_t **self_p);

//  Declares the partner's beneficiary groups for the batch
//  (ingest_feed_set_groups: text is the config's comma-separated list).
//  Call before the first push.
void
    ingest_reader_set_groups (ingest_reader_t *self, const char *text);

//  Names the sheet of an xlsx batch (ingest_feed_set_sheet). Call before
//  the first push. 0, or -1 with *reason_p.
int
    ingest_reader_set_sheet (ingest_reader_t *self, const char *sheet, const char **reason_p);

//  Has warning_fn (with the reader's arg) told, in order with the rows, of
//  rows taken with something a person should know, and of the file as a
//  whole (row 0). Without it, warnings are dropped.
void
    ingest_reader_set_warning (ingest_reader_t *self, ingest_reader_error_fn *warning_fn);

//  Calls fn for each named column of a CSV file's header with the field it
//  was read as, or NULL when ignored; only once the batch is DONE, nothing
//  before, nor for other formats.
void
    ingest_reader_columns (ingest_reader_t *self, sv_csv_column_fn *fn, void *arg);

//  Hands over the next chunk (copied) without waiting.
void
    ingest_reader_push (ingest_reader_t *self, const uint8_t *data, size_t size);

//  Says the batch has no more chunks.
void
    ingest_reader_end (ingest_reader_t *self);

//  Delivers at most max rows and rejected rows of those read so far,
//  without waiting, and returns the state after them. A rows_fn that fails
//  stops the batch: the state is then FAILED.
ingest_reader_state_t
    ingest_reader_deliver (ingest_reader_t *self, size_t max);

//  The state, delivering nothing.
ingest_reader_state_t
    ingest_reader_state (ingest_reader_t *self);

//  How many more chunks the worker has started on since the last call.
size_t
    ingest_reader_taken (ingest_reader_t *self);

//  Why the batch was refused or stopped, or "".
const char *
    ingest_reader_reason (ingest_reader_t *self);

void
    ingest_reader_test (bool verbose);

#endif
