/*  sv_reader: a batch's events decoded in a worker thread. See
    sv_reader.h.

    The decoded events live in a ring of S_AHEAD slots: event i in slot
    i % S_AHEAD. Two counts, under one lock, say who may touch which slot:

    - decoded: the worker has decoded the events before it, which the
      caller may now read;
    - released: the caller is done with the events before it, whose slots
      the worker may decode into again (sv_proto_decode_packed frees what
      a slot held first, so the worker frees what it allocated; each
      message is one block for its strings, and borrows its bytes from the
      batch's events).

    So the worker decodes event i only when i < released + S_AHEAD, and the
    caller reads it only when i < decoded. Each side looks at the other's
    count, under the lock, only every S_HANDOVER events or when it must
    wait, and wakes the other when it moved its own.
*/

#include "sv_reader.h"
#include <pthread.h>

#define S_AHEAD 1024            //  slots: events decoded and not yet used
#define S_HANDOVER 256          //  events between two looks at the other side
#define S_THREADED 256          //  the smallest batch given a worker

struct _sv_reader_t {
    //  Set by start, then read by both
    const sv_proto_event_t *events;
    size_t count;
    sv_proto_t *slots;          //  S_AHEAD of them
    pthread_t thread;
    bool threaded;              //  a worker decodes this batch
    //  The caller's alone
    size_t next;                //  the first event not asked for yet
    size_t known_decoded;       //  decoded, when the caller last looked
    size_t known_released;      //  released, when the caller last moved it
    //  Shared, under lock
    pthread_mutex_t lock;
    pthread_cond_t to_caller;
    pthread_cond_t to_worker;
    size_t decoded;
    size_t released;
    bool stopping;
};

//  ==========================================================================
//  The worker

static void
s_decode (sv_reader_t *self, size_t index)
{
    const sv_proto_event_t *event = &self->events [index];
    sv_proto_decode_packed (&self->slots [index % S_AHEAD], event->body, event->body_size);
}

static void *
s_worker (void *arg)
{
    sv_reader_t *self = (sv_reader_t *) arg;
    size_t index = 0;
    pthread_mutex_lock (&self->lock);
    while (index < self->count && !self->stopping) {
        self->decoded = index;
        pthread_cond_signal (&self->to_caller);
        while (index == self->released + S_AHEAD && !self->stopping)
            pthread_cond_wait (&self->to_worker, &self->lock);
        size_t limit = self->released + S_AHEAD;
        if (limit > index + S_HANDOVER)
            limit = index + S_HANDOVER;
        if (limit > self->count)
            limit = self->count;
        pthread_mutex_unlock (&self->lock);
        for (; index < limit; index++)
            s_decode (self, index);
        pthread_mutex_lock (&self->lock);
    }
    self->decoded = index;
    pthread_cond_signal (&self->to_caller);
    pthread_mutex_unlock (&self->lock);
    return NULL;
}

//  ==========================================================================
//  The caller

sv_reader_t *
sv_reader_new (void)
{
    sv_reader_t *self = (sv_reader_t *) zmalloc (sizeof (sv_reader_t));
    self->slots = (sv_proto_t *) zmalloc (S_AHEAD * sizeof (sv_proto_t));
    pthread_mutex_init (&self->lock, NULL);
    pthread_cond_init (&self->to_caller, NULL);
    pthread_cond_init (&self->to_worker, NULL);
    return self;
}

void
sv_reader_destroy (sv_reader_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        sv_reader_t *self = *self_p;
        sv_reader_end (self);
        pthread_cond_destroy (&self->to_worker);
        pthread_cond_destroy (&self->to_caller);
        pthread_mutex_destroy (&self->lock);
        free (self->slots);
        free (self);
        *self_p = NULL;
    }
}

int
sv_reader_start (sv_reader_t *self, const sv_proto_event_t *events, size_t count)
{
    assert (self && (events || count == 0));
    assert (!self->events);             //  the batch before was ended
    self->events = events;
    self->count = count;
    self->next = self->known_decoded = self->known_released = 0;
    self->decoded = self->released = 0;
    self->stopping = false;
    if (count < S_THREADED)
        return 0;
    self->threaded = pthread_create (&self->thread, NULL, s_worker, self) == 0;
    return self->threaded? 0: -1;
}

const sv_proto_t *
sv_reader_next (sv_reader_t *self, const sv_proto_event_t *event)
{
    assert (self && event);
    assert (event >= self->events + self->next && event < self->events + self->count);
    size_t index = (size_t) (event - self->events);
    self->next = index + 1;
    if (!self->threaded) {
        s_decode (self, index);
        return &self->slots [index % S_AHEAD];
    }
    if (index >= self->known_decoded || index >= self->known_released + S_HANDOVER) {
        pthread_mutex_lock (&self->lock);
        self->released = index;         //  the events before are done with
        pthread_cond_signal (&self->to_worker);
        while (self->decoded <= index)
            pthread_cond_wait (&self->to_caller, &self->lock);
        self->known_decoded = self->decoded;
        pthread_mutex_unlock (&self->lock);
        self->known_released = index;
    }
    return &self->slots [index % S_AHEAD];
}

void
sv_reader_end (sv_reader_t *self)
{
    assert (self);
    if (self->threaded) {
        pthread_mutex_lock (&self->lock);
        self->stopping = true;
        pthread_cond_signal (&self->to_worker);
        pthread_mutex_unlock (&self->lock);
        pthread_join (self->thread, NULL);
        self->threaded = false;
    }
    for (size_t slot = 0; slot < S_AHEAD; slot++)
        sv_proto_reset (&self->slots [slot]);
    self->events = NULL;
    self->count = 0;
}

void
sv_reader_batch (const sv_proto_event_t *events, size_t count, void *reader)
{
    sv_reader_t *self = (sv_reader_t *) reader;
    assert (self);
    if (!events)
        sv_reader_end (self);
    else
    if (sv_reader_start (self, events, count))
        zsys_warning ("cannot start a thread to decode a stream's events; decoding them in"
                      " the thread that applies them");
}

//  ==========================================================================
//  Self-test

//  A batch of count events: payments but every 7th a delivery, every 100th
//  a body that does not decode; seqs from 1 with gaps
static sv_proto_event_t *
s_test_batch (size_t count)
{
    sv_proto_event_t *events = (sv_proto_event_t *) zmalloc (count * sizeof (sv_proto_event_t));
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    for (size_t index = 0; index < count; index++) {
        char number [32];
        snprintf (number, sizeof number, "T%zu", index);
        sv_proto_t message = { .id = index % 7? SV_PROTO_SPEND: SV_PROTO_DELIVERY };
        if (message.id == SV_PROTO_SPEND) {
            message.spend.partner = "council";
            message.spend.transaction_no = number;
            message.spend.amount_pence = (int64_t) index;
        }
        else {
            message.delivery.partner = "council";
            message.delivery.contract_id = number;
            message.delivery.quantity_milli = (int64_t) index;
        }
        buffer.size = 0;
        assert (sv_proto_encode (&message, &buffer) == 0);
        if (index % 100 == 99)
            buffer.size /= 2;           //  cut short
        events [index].seq = 2 * index + 1;
        events [index].body = (uint8_t *) zmalloc (buffer.size);
        memcpy (events [index].body, buffer.data, buffer.size);
        events [index].body_size = buffer.size;
    }
    msgpack_sbuffer_destroy (&buffer);
    return events;
}

static void
s_test_batch_destroy (sv_proto_event_t *events, size_t count)
{
    for (size_t index = 0; index < count; index++)
        free (events [index].body);
    free (events);
}

//  Asks for every step-th event from first, checking each is the one sent
static void
s_test_read (sv_reader_t *reader, const sv_proto_event_t *events, size_t count,
             size_t first, size_t step)
{
    for (size_t index = first; index < count; index += step) {
        const sv_proto_t *message = sv_reader_next (reader, &events [index]);
        char number [32];
        snprintf (number, sizeof number, "T%zu", index);
        if (index % 100 == 99)
            assert (message->id == 0 && *message->reason);
        else
        if (index % 7) {
            assert (message->id == SV_PROTO_SPEND);
            assert (streq (message->spend.transaction_no, number));
            assert (message->spend.amount_pence == (int64_t) index);
        }
        else {
            assert (message->id == SV_PROTO_DELIVERY);
            assert (streq (message->delivery.contract_id, number));
            assert (message->delivery.quantity_milli == (int64_t) index);
        }
    }
}

void
sv_reader_test (bool verbose)
{
    if (verbose)
        printf (" * sv_reader: ");
    size_t count = 5 * S_AHEAD + 17;
    sv_proto_event_t *events = s_test_batch (count);
    sv_reader_t *reader = sv_reader_new ();

    //  A large batch is decoded ahead, in order, whatever the caller asks
    //  for: every event, every third (the others passed over), then a
    //  batch left half read
    assert (sv_reader_start (reader, events, count) == 0);
    s_test_read (reader, events, count, 0, 1);
    sv_reader_end (reader);
    assert (sv_reader_start (reader, events, count) == 0);
    s_test_read (reader, events, count, 2, 3);
    sv_reader_end (reader);
    assert (sv_reader_start (reader, events, count) == 0);
    s_test_read (reader, events, count / 2, 0, 1);
    sv_reader_end (reader);

    //  A small batch is decoded in the caller's thread, as asked for
    assert (sv_reader_start (reader, events, S_THREADED - 1) == 0);
    s_test_read (reader, events, S_THREADED - 1, 0, 1);
    sv_reader_end (reader);

    //  A reader destroyed in the middle of a batch stops its worker
    assert (sv_reader_start (reader, events, count) == 0);
    s_test_read (reader, events, 10, 0, 1);
    sv_reader_destroy (&reader);
    sv_reader_destroy (&reader);
    s_test_batch_destroy (events, count);
    if (verbose)
        printf ("OK\n");
}
