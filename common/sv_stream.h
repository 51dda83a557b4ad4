/*  sv_stream: durable streams between services.

    ZeroMQ alone delivers nothing end to end, so every flow between two
    services is a durable stream built from three parts:

    - The producer appends events to its `outbox` table inside the same
      transaction that writes its domain rows (sv_stream_append). An event
      exists exactly when the rows it describes do.
    - The producer's ROUTER answers FETCH {stream, after_seq, max} with
      EVENTS {after_seq, head_seq, events[]}. When the consumer is caught up
      the request is held (long poll) until new events are committed or a
      heartbeat interval passes, which answers it with an empty batch.
    - The consumer's DEALER fetches after its stored offset and applies each
      batch in one transaction that also stores the new offset, so a crash
      anywhere repeats at most a batch that never committed. It keeps one
      request in flight, sends the next FETCH before applying the current
      batch so network and disk overlap, and reconnects when the producer
      has been silent longer than the timeout (lazy pirate).

    Both sides attach to a zloop, so one service thread can serve its own
    stream and follow several upstream ones.

    Timing: heartbeat_ms (default 1 s) bounds how long a long poll is held;
    timeout_ms (default 4 s) is how long a consumer waits for any answer,
    counted from the last thing it heard or did (never across the time it
    spent applying a batch), and never while an answer waits to be read.
    Both come from sv_config ("stream/...").
*/
#ifndef SV_STREAM_H_INCLUDED
#define SV_STREAM_H_INCLUDED

#include <czmq.h>
#include "sv_db.h"
#include "sv_config.h"
#include "sv_proto.h"

//  The outbox and offsets tables. A service puts these in its migration 1
//  (producers need the outbox, consumers the offsets table).
#define SV_STREAM_OUTBOX_SQL \
    "CREATE TABLE outbox (" \
    " seq INTEGER PRIMARY KEY," \
    " type TEXT NOT NULL," \
    " key TEXT NOT NULL," \
    " body BLOB NOT NULL);"
#define SV_STREAM_OFFSETS_SQL \
    "CREATE TABLE offsets (" \
    " stream TEXT PRIMARY KEY," \
    " seq INTEGER NOT NULL);"

//  Appends one event to db's outbox. Must be called inside the caller's
//  transaction (asserts); the event becomes visible to consumers when that
//  transaction commits, and the caller then calls sv_stream_producer_notify.
//  type is the event's message name ("SPEND"), key the subject it is about;
//  body is an encoded sv_proto message, copied. Returns the new event's seq,
//  or -1 on a database error.
int64_t
    sv_stream_append (sv_db_t *db, const char *type, const char *key,
                      const uint8_t *body, size_t size);

//  Rows appended with one statement by sv_stream_append_many
#define SV_STREAM_MANY 64

//  Appends count events of one type in order, as count calls of
//  sv_stream_append would, with one statement for each SV_STREAM_MANY of
//  them: the per-statement cost is most of a small event's. keys, bodies
//  and sizes hold count items each. 0, or -1 on a database error.
int
    sv_stream_append_many (sv_db_t *db, const char *type, const char *const *keys,
                           const uint8_t *const *bodies, const size_t *sizes, size_t count);

//  --------------------------------------------------------------------------
//  Held events: a unit of work that spans several transactions

//  A producer whose unit of work (a submitted batch) commits in several
//  transactions, and must add nothing unless the whole unit ends well,
//  holds the events each of its transactions appends: held events, and
//  every event after the first of them, are not served until the unit is
//  released; a unit retracted takes its events out of the outbox, so no
//  consumer ever sees them. Consumers take a stream in seq order, so a
//  hold delays every later event, of any unit, until it ends: units
//  should be short, and are ended for good when abandoned. A store that
//  holds events puts this table in a migration; the producer finds it.
#define SV_STREAM_HOLDS_SQL \
    "CREATE TABLE outbox_holds (" \
    " owner INTEGER NOT NULL," \
    " first_seq INTEGER NOT NULL," \
    " last_seq INTEGER NOT NULL," \
    " PRIMARY KEY (owner, first_seq)) WITHOUT ROWID;"

//  The highest seq in db's outbox, as the caller's connection sees it (0
//  when empty), or -1 on a database error.
int64_t
    sv_stream_last (sv_db_t *db);

//  Holds the events owner appended, seqs first_seq to last_seq, in the
//  caller's transaction; nothing when last_seq < first_seq. owner is the
//  unit's number, the producer's to choose. 0, or -1 on a database error.
int
    sv_stream_hold (sv_db_t *db, int64_t owner, int64_t first_seq, int64_t last_seq);

//  Ends owner's holds in the caller's transaction: its events are served
//  once it commits. 0 or -1.
int
    sv_stream_release (sv_db_t *db, int64_t owner);

//  Deletes owner's held events and its holds, in the caller's
//  transaction: the stream is as if they had never been appended. 0 or -1.
int
    sv_stream_retract (sv_db_t *db, int64_t owner);

//  Calls fn (type, key, arg) for each of owner's held events, in seq
//  order, so a producer can undo what it wrote beside them. fn returns 0,
//  or -1 to stop. 0, or -1 on a database error or when fn stopped.
int
    sv_stream_held (sv_db_t *db, int64_t owner,
                    int (*fn) (const char *type, const char *key, void *arg), void *arg);


//  --------------------------------------------------------------------------
//  Producer

typedef struct _sv_stream_producer_t sv_stream_producer_t;

//  Serves the outbox of the store at db_path as the stream named stream,
//  on a ROUTER bound to endpoint. The producer reads through a connection
//  of its own, so it only ever sees committed events. NULL when the store
//  cannot be opened or the endpoint cannot be bound.
sv_stream_producer_t *
    sv_stream_producer_new (const char *db_path, const char *stream,
                            const char *endpoint, sv_config_t *config);

void
    sv_stream_producer_destroy (sv_stream_producer_t **self_p);

//  Registers the producer's socket and heartbeat timer with loop. 0 or -1.
//  Destroy the producer before the loop.
int
    sv_stream_producer_attach (sv_stream_producer_t *self, zloop_t *loop);

//  Tells the producer that events were committed: answers every consumer
//  waiting on a long poll.
void
    sv_stream_producer_notify (sv_stream_producer_t *self);

//  The highest seq served, as last read: the highest committed seq, or
//  when events are held (above) the one before the first held.
uint64_t
    sv_stream_producer_head (sv_stream_producer_t *self);

//  The endpoint actually bound (with the port resolved when it was *).
const char *
    sv_stream_producer_endpoint (sv_stream_producer_t *self);

//  --------------------------------------------------------------------------
//  Consumer

//  What apply returns for an event it cannot read (its body does not
//  decode, or is not the type it claims)
#define SV_STREAM_UNREADABLE 1

//  Applies one event inside the consumer's transaction, writing to db.
//  Returns 0; -1 on a passing failure (a database error) to roll the whole
//  batch back, which is fetched again a second later; or
//  SV_STREAM_UNREADABLE, having written nothing for the event. A stream
//  never skips an event: an unreadable one stalls it. The events before it
//  are committed, its offset stays before it, the log says why once,
//  STATUS shows it (consumer_offset.stalled, and a problem "stream NAME"),
//  and every timeout the consumer fetches it again and applies it once
//  its bytes have changed (a fixed producer); a consumer restarted (an
//  upgraded one) tries it at once.
typedef int (sv_stream_apply_fn) (sv_db_t *db, const sv_proto_event_t *event, void *arg);

typedef struct _sv_stream_consumer_t sv_stream_consumer_t;

//  Follows the stream named stream at endpoint, applying its events to db
//  (borrowed; it needs the offsets table) through apply with arg. Starts
//  after the offset stored in db. NULL on a database error.
sv_stream_consumer_t *
    sv_stream_consumer_new (sv_db_t *db, const char *stream, const char *endpoint,
                            sv_config_t *config, sv_stream_apply_fn *apply, void *arg);

void
    sv_stream_consumer_destroy (sv_stream_consumer_t **self_p);

//  Registers the consumer's socket and timer with loop and sends the first
//  FETCH. 0 or -1. Destroy the consumer before the loop.
int
    sv_stream_consumer_attach (sv_stream_consumer_t *self, zloop_t *loop);

//  Calls fn (arg) after each batch is committed, e.g. to notify the
//  service's own producer of the events the batch appended.
void
    sv_stream_consumer_set_committed (sv_stream_consumer_t *self,
                                      void (*fn) (void *arg), void *arg);

//  Asks the producer for events of these types only (comma-separated,
//  "CONTRACT,SUPPLIER"; "" for all, the default): the others never cross
//  the network, and the consumer's offset still moves past them. Call
//  before attaching.
void
    sv_stream_consumer_set_types (sv_stream_consumer_t *self, const char *types);

//  Commits several batches at once while the consumer catches up: when
//  the producer says it has more after a batch, the batch's transaction is
//  held open (sv_db_hold) for the next, until events events or ms
//  milliseconds are held, or the producer has no more, or anything else
//  begins a transaction on the store or releases it. The offset (and
//  STATUS) moves when the group commits; a group that fails is fetched
//  again whole. By default (0 ms) each batch commits on its own. A service
//  that holds must release (sv_db_release) before it reads the store for
//  others.
void
    sv_stream_consumer_set_group (sv_stream_consumer_t *self, size_t events, int ms);

//  Calls fn (db, arg) once a batch's events are applied, inside the same
//  transaction, before its offset is stored: for work that is cheaper once
//  per batch than once per event (re-evaluating what the batch touched).
//  fn returns 0, or -1 to roll the whole batch back, as apply does.
void
    sv_stream_consumer_set_applied (sv_stream_consumer_t *self,
                                    int (*fn) (sv_db_t *db, void *arg), void *arg);

//  Calls fn (events, count, arg) with a batch's events once its
//  transaction has begun, before the first is applied, and fn (NULL, 0,
//  arg) when the batch is over, committed or rolled back: until then the
//  events stay where they are, so a consumer may work on them ahead of
//  apply (valuation decodes them in a thread of its own).
void
    sv_stream_consumer_set_batch (sv_stream_consumer_t *self,
                                  void (*fn) (const sv_proto_event_t *events, size_t count,
                                              void *arg),
                                  void *arg);

//  The last seq applied and committed.
uint64_t
    sv_stream_consumer_offset (sv_stream_consumer_t *self);

//  The producer's head as last heard (0 before the first answer).
uint64_t
    sv_stream_consumer_head (sv_stream_consumer_t *self);

//  The consumer as STATUS reports it: stream, endpoint, offset, the head
//  as last heard and the lag between them (strings borrowed from the
//  consumer).
sv_proto_consumer_offset_t
    sv_stream_consumer_status (sv_stream_consumer_t *self);

//  Why the consumer applies nothing more, as STATUS says it, or NULL while
//  it flows: an event it cannot read (see sv_stream_apply_fn), or a
//  producer whose head is below the consumer's offset, a producer restored
//  from a backup older than the consumer's store. That stall lasts until
//  the consumer is restarted: the producer's seqs from the offset on will
//  be reused for other events, so the operator restores the consumer's
//  store from the same backup (deploy/README.md) before restarting it.
const char *
    sv_stream_consumer_stalled (sv_stream_consumer_t *self);

//  How many times the consumer gave up on a silent producer and reconnected.
uint64_t
    sv_stream_consumer_reconnects (sv_stream_consumer_t *self);

//  Self-test.
void
    sv_stream_test (bool verbose);

#endif
