/*  valuation_reader: decodes a batch of ingest's events in a thread of its
    own, ahead of the thread that values and stores them.

    Valuing an event needs state that the events before it may change
    (suppliers, contracts), and storing it needs the batch's transaction,
    so both stay in the caller's thread, in stream order. Decoding an
    event's msgpack body needs nothing but the body, and costs about as
    much as valuing it: the worker does it while the caller writes the
    events before, and hands each decoded event over in order. The worker
    runs at most 1,024 events ahead, so memory stays bounded whatever the
    batch; a small batch (a consumer that is caught up) is decoded in the
    caller's thread, as each event is asked for, with no thread started.
*/
#ifndef VALUATION_READER_H_INCLUDED
#define VALUATION_READER_H_INCLUDED

#include <czmq.h>
#include "sv_proto.h"

typedef struct _valuation_reader_t valuation_reader_t;

//  A reader with no batch. Never NULL.
valuation_reader_t *
    valuation_reader_new (void);

//  Ends the batch, if any, and frees the reader.
void
    valuation_reader_destroy (valuation_reader_t **self_p);

//  Starts reading count events, borrowed until valuation_reader_end, which
//  must come before the next start. 0, or -1 when no thread could be
//  started (the events are then decoded in the caller's thread).
int
    valuation_reader_start (valuation_reader_t *self, const sv_proto_event_t *events,
                            size_t count);

//  The message event's body decodes to, where event is one of the batch's
//  events after the one asked for last (those between are passed over).
//  Borrowed until the next call or the end of the batch; when the body does
//  not decode, its id is 0 and its reason says why.
const sv_proto_t *
    valuation_reader_next (valuation_reader_t *self, const sv_proto_event_t *event);

//  Ends the batch: stops the worker and frees what it decoded. The events
//  are no longer read once this returns.
void
    valuation_reader_end (valuation_reader_t *self);

void
    valuation_reader_test (bool verbose);

#endif
