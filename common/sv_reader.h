/*  sv_reader: decodes a batch of a stream's events in a thread of its
    own, ahead of the thread that applies and stores them.

    Applying an event needs state that the events before it may change
    (suppliers, contracts, places), and storing it needs the batch's
    transaction, so both stay in the caller's thread, in stream order.
    Decoding an event's msgpack body needs nothing but the body, and costs
    about a third of what storing a payment costs: the worker does it while
    the caller writes the events before, and hands each decoded event over
    in order. Valuation reads ingest's stream through one, reporting each of
    its three. The worker runs at most 1,024 events ahead, so memory stays
    bounded whatever the batch; a small batch (a consumer that is caught up)
    is decoded in the caller's thread, as each event is asked for, with no
    thread started.
*/
#ifndef SV_READER_H_INCLUDED
#define SV_READER_H_INCLUDED

#include <czmq.h>
#include "sv_proto.h"

typedef struct _sv_reader_t sv_reader_t;

//  A reader with no batch. Never NULL.
sv_reader_t *
    sv_reader_new (void);

//  Ends the batch, if any, and frees the reader.
void
    sv_reader_destroy (sv_reader_t **self_p);

//  Starts reading count events, borrowed until sv_reader_end, which
//  must come before the next start. 0, or -1 when no thread could be
//  started (the events are then decoded in the caller's thread).
int
    sv_reader_start (sv_reader_t *self, const sv_proto_event_t *events,
                            size_t count);

//  The message event's body decodes to, where event is one of the batch's
//  events after the one asked for last (those between are passed over).
//  Borrowed until the next call or the end of the batch; when the body does
//  not decode, its id is 0 and its reason says why.
const sv_proto_t *
    sv_reader_next (sv_reader_t *self, const sv_proto_event_t *event);

//  Ends the batch: stops the worker and frees what it decoded. The events
//  are no longer read once this returns.
void
    sv_reader_end (sv_reader_t *self);

//  A stream consumer's batch function (sv_stream_consumer_set_batch) for
//  the reader given as arg: starts it on a batch's events, and ends it when
//  the batch is over. A batch whose thread cannot start is decoded in the
//  caller's thread, with a warning.
void
    sv_reader_batch (const sv_proto_event_t *events, size_t count, void *reader);

void
    sv_reader_test (bool verbose);

#endif
