/*  sv_stream: durable streams between services. See sv_stream.h for the
    design; this file is divided into the outbox, the producer, the
    consumer, and the self-test.
*/

#include "sv_stream.h"
#include "sv_security.h"
#include "sv_service.h"

//  Socket options every stream socket gets (DESIGN.md, socket hygiene):
//  explicit HWMs, ZMTP heartbeats so a dead peer is noticed, a handshake
//  deadline, a bound on what a peer may send, and no linger: nothing here
//  relies on messages surviving a close.
static void
s_set_peer_options (zsock_t *socket, sv_config_t *config)
{
    int hwm = (int) sv_config_int (config, "stream/hwm");
    int heartbeat = (int) sv_config_int (config, "stream/heartbeat_ms");
    zsock_set_sndhwm (socket, hwm);
    zsock_set_rcvhwm (socket, hwm);
    zsock_set_maxmsgsize (socket, (int) sv_config_int (config, "stream/max_message_bytes"));
    zsock_set_heartbeat_ivl (socket, heartbeat);
    zsock_set_heartbeat_ttl (socket, heartbeat * 4);
    zsock_set_heartbeat_timeout (socket, heartbeat * 4);
    zsock_set_handshake_ivl (socket, (int) sv_config_int (config, "stream/timeout_ms"));
    zsock_set_linger (socket, 0);
    zsock_set_sndtimeo (socket, 0);     //  never block a service on a peer
}

//  ==========================================================================
//  The outbox

int64_t
sv_stream_append (sv_db_t *db, const char *type, const char *key,
                  const uint8_t *body, size_t size)
{
    assert (db && type && key && (body || size == 0));
    assert (sv_db_in_transaction (db));
    sqlite3_stmt *stmt = sv_db_stmt (db,
        "INSERT INTO outbox (type, key, body) VALUES (?1, ?2, ?3)");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 3, body? (const void *) body: "", (int) size, SQLITE_STATIC);
    if (sv_db_run (db, stmt))
        return -1;
    return sqlite3_last_insert_rowid (sv_db_handle (db));
}

//  The INSERT of SV_STREAM_MANY events: made once, kept for the process
//  (sv_db_stmt finds a statement by its text's address)
static char s_append_many_sql [64 + SV_STREAM_MANY * 24];

static void
s_make_append_many_sql (void)
{
    size_t size = sizeof s_append_many_sql;
    size_t used = (size_t) snprintf (s_append_many_sql, size,
                                     "INSERT OR IGNORE INTO outbox (type, key, body) VALUES ");
    for (int row = 0; row < SV_STREAM_MANY; row++)
        used += (size_t) snprintf (s_append_many_sql + used, size - used, "%s(?1, ?%d, ?%d)",
                                   row? ", ": "", 2 + row * 2, 3 + row * 2);
    assert (used < size);
}

int
sv_stream_append_many (sv_db_t *db, const char *type, const char *const *keys,
                       const uint8_t *const *bodies, const size_t *sizes, size_t count)
{
    assert (db && type && (keys || count == 0));
    assert (sv_db_in_transaction (db));
    static pthread_once_t made = PTHREAD_ONCE_INIT;
    pthread_once (&made, s_make_append_many_sql);
    size_t done = 0;
    for (; count - done >= SV_STREAM_MANY; done += SV_STREAM_MANY) {
        sqlite3_stmt *stmt = sv_db_stmt (db, s_append_many_sql);
        if (!stmt)
            return -1;
        sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
        for (int row = 0; row < SV_STREAM_MANY; row++) {
            sqlite3_bind_text (stmt, 2 + row * 2, keys [done + row], -1, SQLITE_STATIC);
            const void *body = bodies [done + row];
            sqlite3_bind_blob (stmt, 3 + row * 2, body? body: "",
                               (int) sizes [done + row], SQLITE_STATIC);
        }
        //  OR IGNORE spares SQLite a statement journal (nothing here can
        //  conflict: seq is new and every value is bound); the count of
        //  rows added is still checked
        if (sv_db_run (db, stmt)
        ||  sqlite3_changes (sv_db_handle (db)) != SV_STREAM_MANY)
            return -1;
    }
    for (; done < count; done++)
        if (sv_stream_append (db, type, keys [done], bodies [done], sizes [done]) < 0)
            return -1;
    return 0;
}

//  ==========================================================================
//  Held events

int64_t
sv_stream_last (sv_db_t *db)
{
    assert (db);
    return sv_db_int (db, "SELECT coalesce (max (seq), 0) FROM outbox", -1);
}

int
sv_stream_hold (sv_db_t *db, int64_t owner, int64_t first_seq, int64_t last_seq)
{
    assert (db);
    assert (sv_db_in_transaction (db));
    if (last_seq < first_seq)
        return 0;
    sqlite3_stmt *stmt = sv_db_stmt (db,
        "INSERT INTO outbox_holds (owner, first_seq, last_seq) VALUES (?1, ?2, ?3)");
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, owner);
    sqlite3_bind_int64 (stmt, 2, first_seq);
    sqlite3_bind_int64 (stmt, 3, last_seq);
    return sv_db_run (db, stmt);
}

int
sv_stream_release (sv_db_t *db, int64_t owner)
{
    assert (db);
    assert (sv_db_in_transaction (db));
    sqlite3_stmt *stmt = sv_db_stmt (db, "DELETE FROM outbox_holds WHERE owner = ?1");
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, owner);
    return sv_db_run (db, stmt);
}

int
sv_stream_retract (sv_db_t *db, int64_t owner)
{
    assert (db);
    assert (sv_db_in_transaction (db));
    sqlite3_stmt *stmt = sv_db_stmt (db,
        "DELETE FROM outbox WHERE seq IN (SELECT outbox.seq FROM outbox_holds, outbox"
        " WHERE owner = ?1 AND outbox.seq BETWEEN first_seq AND last_seq)");
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, owner);
    if (sv_db_run (db, stmt))
        return -1;
    return sv_stream_release (db, owner);
}

int
sv_stream_held (sv_db_t *db, int64_t owner,
                int (*fn) (const char *type, const char *key, void *arg), void *arg)
{
    assert (db && fn);
    //  Prepared here, not cached: fn may run statements of its own
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (sv_db_handle (db),
            "SELECT outbox.type, outbox.key FROM outbox_holds, outbox WHERE owner = ?1"
            " AND outbox.seq BETWEEN first_seq AND last_seq ORDER BY outbox.seq",
            -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64 (stmt, 1, owner);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (fn ((const char *) sqlite3_column_text (stmt, 0),
                (const char *) sqlite3_column_text (stmt, 1), arg)) {
            rc = SQLITE_ABORT;
            break;
        }
    sqlite3_finalize (stmt);
    return rc == SQLITE_DONE? 0: -1;
}

//  ==========================================================================
//  Producer

//  A consumer that is caught up and waits for news (a long poll)
typedef struct {
    zframe_t *identity;
    uint64_t after_seq;
    uint64_t max;
    char *types;                //  ",CONTRACT,SUPPLIER," or "" for all
    int64_t deadline;           //  zclock_mono ms: answer empty by then
} s_waiter_t;

static void
s_waiter_destroy (void **item_p)
{
    s_waiter_t *waiter = (s_waiter_t *) *item_p;
    zframe_destroy (&waiter->identity);
    free (waiter->types);
    free (waiter);
    *item_p = NULL;
}

struct _sv_stream_producer_t {
    sv_db_t *db;                //  our own read connection
    char *stream;
    char *endpoint;
    zsock_t *router;
    zlistx_t *waiters;          //  s_waiter_t, oldest first
    uint64_t head;              //  the highest seq served: see s_producer_read_head
    bool holds;                 //  the store holds events (SV_STREAM_HOLDS_SQL)
    int heartbeat_ms;
    uint64_t batch_max;
    size_t batch_bytes;
    zloop_t *loop;
    int timer_id;
    msgpack_sbuffer texts;      //  an answer's events, kept for the next
};

//  The head is the highest committed seq, or, while events are held, the
//  one before the first held: read in one statement, so from one snapshot
static void
s_producer_read_head (sv_stream_producer_t *self)
{
    self->head = (uint64_t) sv_db_int (self->db, self->holds
        ? "SELECT coalesce ((SELECT min (first_seq) - 1 FROM outbox_holds),"
          " (SELECT max (seq) FROM outbox), 0)"
        : "SELECT coalesce (max (seq), 0) FROM outbox", 0);
}

static void
s_producer_refuse (sv_stream_producer_t *self, zframe_t *identity, const char *reason)
{
    sv_proto_t reply = { .id = SV_PROTO_ERROR };
    reply.error.code = 400;
    reply.error.reason = (char *) reason;
    sv_service_reply (self->router, identity, &reply);
}

//  The filter of a FETCH's types, as ",A,B," (so a type matches as
//  ",TYPE,"), or "" for all. Caller frees.
static char *
s_types_filter (const char *types)
{
    if (!types || !*types)
        return strdup ("");
    char *filter = zsys_sprintf (",%s,", types);
    //  Spaces are not part of a type name: "A, B" means "A,B"
    char *to = filter;
    for (const char *from = filter; *from; from++)
        if (*from != ' ')
            *to++ = *from;
    *to = 0;
    return filter;
}

//  Whether type is one of filter's (",A,B,"; "" for every type)
static bool
s_type_wanted (const char *filter, const char *type)
{
    if (!*filter)
        return true;
    size_t size = strlen (type);
    //  filter starts with a comma, so a match is never at its first byte
    for (const char *at = filter; size && (at = strstr (at, type)); at++)
        if (at [-1] == ',' && at [size] == ',')
            return true;
    return false;
}

//  Sends the events after after_seq, at most max of them and about
//  batch_bytes of body, to identity; with a types filter (",A,B,") only
//  events of those types, looking at most max rows, and saying how far it
//  looked. An empty batch is a heartbeat.
static void
s_producer_answer (sv_stream_producer_t *self, zframe_t *identity,
                   uint64_t after_seq, uint64_t max, const char *types)
{
    if (max == 0 || max > self->batch_max)
        max = self->batch_max;
    sv_proto_event_t *events = (sv_proto_event_t *) zmalloc (max * sizeof (sv_proto_event_t));
    size_t count = 0, bytes = 0;
    uint64_t scanned = after_seq;
    //  The events' type, key and body, one after the other in one buffer
    //  (offsets while it grows, pointers once it is whole)
    msgpack_sbuffer *texts = &self->texts;
    texts->size = 0;
    //  SQLite reads a column only when asked, so an unwanted event's body
    //  is never read
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "SELECT seq, type, key, body FROM outbox WHERE seq > ?1 AND seq <= ?3"
        " ORDER BY seq LIMIT ?2");
    //  Nothing past the head as last read: beyond it events may be held
    if (stmt) {
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) after_seq);
        sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) max);
        sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) self->head);
        while (count < max && bytes < self->batch_bytes && sqlite3_step (stmt) == SQLITE_ROW) {
            uint64_t seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
            const char *type = (const char *) sqlite3_column_text (stmt, 1);
            if (!s_type_wanted (types, type)) {
                scanned = seq;
                continue;
            }
            const char *key = (const char *) sqlite3_column_text (stmt, 2);
            const void *body = sqlite3_column_blob (stmt, 3);
            sv_proto_event_t *event = &events [count];
            event->seq = seq;
            event->body_size = (size_t) sqlite3_column_bytes (stmt, 3);
            event->type = (char *) (uintptr_t) texts->size;
            bool stored = msgpack_sbuffer_write (texts, type, strlen (type) + 1) == 0;
            event->key = (char *) (uintptr_t) texts->size;
            stored = stored && msgpack_sbuffer_write (texts, key, strlen (key) + 1) == 0;
            event->body = (uint8_t *) (uintptr_t) texts->size;
            stored = stored && (event->body_size == 0
                                || msgpack_sbuffer_write (texts, body, event->body_size) == 0);
            if (!stored)
                break;          //  out of memory: send what we have, the rest next time
            scanned = seq;
            count++;
            bytes += event->body_size;
        }
        sqlite3_reset (stmt);
    }
    for (size_t index = 0; index < count; index++) {
        events [index].type = texts->data + (uintptr_t) events [index].type;
        events [index].key = texts->data + (uintptr_t) events [index].key;
        events [index].body = (uint8_t *) texts->data + (uintptr_t) events [index].body;
    }
    sv_proto_t reply = { .id = SV_PROTO_EVENTS };
    reply.events.stream = self->stream;
    reply.events.after_seq = after_seq;
    reply.events.head_seq = self->head;
    reply.events.events = events;
    reply.events.events_count = count;
    reply.events.scanned_seq = scanned;
    sv_service_reply (self->router, identity, &reply);
    free (events);
}

//  Answers every waiter that now has news, and those whose heartbeat is due
static void
s_producer_serve_waiters (sv_stream_producer_t *self, bool heartbeat_only)
{
    int64_t now = zclock_mono ();
    s_waiter_t *waiter = (s_waiter_t *) zlistx_first (self->waiters);
    while (waiter) {
        void *cursor = zlistx_cursor (self->waiters);
        bool news = !heartbeat_only && waiter->after_seq < self->head;
        if (news || now >= waiter->deadline) {
            s_producer_answer (self, waiter->identity, waiter->after_seq, waiter->max,
                               waiter->types);
            zlistx_delete (self->waiters, cursor);
        }
        waiter = (s_waiter_t *) zlistx_next (self->waiters);
    }
}

static void
s_producer_handle_fetch (sv_stream_producer_t *self, zframe_t *identity,
                         const sv_proto_fetch_t *fetch)
{
    if (strneq (fetch->stream, self->stream)) {
        char reason [256];
        snprintf (reason, sizeof reason, "no stream named '%.100s' here (this is '%.100s')",
                  fetch->stream, self->stream);
        s_producer_refuse (self, identity, reason);
        return;
    }
    //  A consumer has at most one FETCH outstanding; a new one from the same
    //  peer replaces whatever it was waiting on.
    s_waiter_t *waiter = (s_waiter_t *) zlistx_first (self->waiters);
    while (waiter) {
        if (zframe_eq (waiter->identity, identity)) {
            zlistx_delete (self->waiters, zlistx_cursor (self->waiters));
            break;
        }
        waiter = (s_waiter_t *) zlistx_next (self->waiters);
    }
    char *types = s_types_filter (fetch->types);
    if (fetch->after_seq < self->head) {
        s_producer_answer (self, identity, fetch->after_seq, fetch->max, types);
        free (types);
    }
    else {
        waiter = (s_waiter_t *) zmalloc (sizeof (s_waiter_t));
        waiter->identity = zframe_dup (identity);
        waiter->after_seq = fetch->after_seq;
        waiter->max = fetch->max;
        waiter->types = types;
        waiter->deadline = zclock_mono () + self->heartbeat_ms;
        zlistx_add_end (self->waiters, waiter);
    }
}

//  One message from a consumer. Whatever arrives, the producer keeps serving:
//  a malformed message is logged and refused, never trusted.
static int
s_producer_recv (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    (void) reader;
    sv_stream_producer_t *self = (sv_stream_producer_t *) arg;
    zmsg_t *msg = zmsg_recv (self->router);
    if (!msg)
        return 0;
    zframe_t *identity = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    if (identity && body && zmsg_size (msg) == 0) {
        sv_proto_t request = { .id = 0 };
        if (!sv_security_allowed (body))
            s_producer_refuse (self, identity, "this key may not read the stream");
        else
        if (sv_proto_decode (&request, zframe_data (body), zframe_size (body)))
            s_producer_refuse (self, identity, request.reason);
        else
        if (request.id == SV_PROTO_FETCH)
            s_producer_handle_fetch (self, identity, &request.fetch);
        else
            s_producer_refuse (self, identity, "a stream endpoint answers FETCH only");
        sv_proto_reset (&request);
    }
    else
        zsys_warning ("stream %s: dropped a message of %zu frames", self->stream,
                      zmsg_size (msg) + (identity? 1: 0) + (body? 1: 0));
    zframe_destroy (&identity);
    zframe_destroy (&body);
    zmsg_destroy (&msg);
    return 0;
}

static int
s_producer_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    sv_stream_producer_t *self = (sv_stream_producer_t *) arg;
    //  Re-reading the head also covers a commit whose notify never came
    s_producer_read_head (self);
    s_producer_serve_waiters (self, false);
    return 0;
}

sv_stream_producer_t *
sv_stream_producer_new (const char *db_path, const char *stream,
                        const char *endpoint, sv_config_t *config)
{
    assert (db_path && stream && endpoint && config);
    const char *reason;
    sv_db_t *db = sv_db_new (db_path, NULL, &reason);
    if (!db) {
        zsys_error ("stream %s: %s", stream, reason);
        return NULL;
    }
    //  It reads only the newest pages, just written: a small cache will do
    sv_db_exec (db, "PRAGMA cache_size = -4096");
    sv_stream_producer_t *self = (sv_stream_producer_t *) zmalloc (sizeof (sv_stream_producer_t));
    msgpack_sbuffer_init (&self->texts);
    self->db = db;
    self->stream = strdup (stream);
    self->waiters = zlistx_new ();
    zlistx_set_destructor (self->waiters, s_waiter_destroy);
    self->heartbeat_ms = (int) sv_config_int (config, "stream/heartbeat_ms");
    self->batch_max = (uint64_t) sv_config_int (config, "stream/batch_max");
    self->batch_bytes = (size_t) sv_config_int (config, "stream/batch_bytes");
    self->router = zsock_new (ZMQ_ROUTER);
    s_set_peer_options (self->router, config);
    zsock_set_router_mandatory (self->router, 1);
    if (!sv_db_stmt (db, "SELECT seq FROM outbox LIMIT 0")) {
        zsys_error ("stream %s: %s has no outbox table", stream, db_path);
        sv_stream_producer_destroy (&self);
    }
    else
    if (sv_security_bind (self->router, endpoint) == -1) {
        zsys_error ("stream %s: cannot bind %s", stream, endpoint);
        sv_stream_producer_destroy (&self);
    }
    else {
        self->endpoint = zsock_last_endpoint (self->router);
        self->holds = sv_db_stmt (db, "SELECT owner FROM outbox_holds LIMIT 0") != NULL;
        s_producer_read_head (self);
    }
    return self;
}

void
sv_stream_producer_destroy (sv_stream_producer_t **self_p)
{
    assert (self_p);
    sv_stream_producer_t *self = *self_p;
    if (self) {
        if (self->loop) {
            zloop_reader_end (self->loop, self->router);
            zloop_timer_end (self->loop, self->timer_id);
        }
        zlistx_destroy (&self->waiters);
        msgpack_sbuffer_destroy (&self->texts);
        zsock_destroy (&self->router);
        sv_db_destroy (&self->db);
        zstr_free (&self->stream);
        zstr_free (&self->endpoint);
        free (self);
        *self_p = NULL;
    }
}

int
sv_stream_producer_attach (sv_stream_producer_t *self, zloop_t *loop)
{
    assert (self && loop && !self->loop);
    self->loop = loop;
    int interval = self->heartbeat_ms / 4 > 10? self->heartbeat_ms / 4: 10;
    self->timer_id = zloop_timer (loop, (size_t) interval, 0, s_producer_tick, self);
    return zloop_reader (loop, self->router, s_producer_recv, self) || self->timer_id < 0? -1: 0;
}

void
sv_stream_producer_notify (sv_stream_producer_t *self)
{
    assert (self);
    s_producer_read_head (self);
    if (zlistx_size (self->waiters))
        s_producer_serve_waiters (self, false);
}

uint64_t
sv_stream_producer_head (sv_stream_producer_t *self)
{
    assert (self);
    return self->head;
}

const char *
sv_stream_producer_endpoint (sv_stream_producer_t *self)
{
    assert (self);
    return self->endpoint;
}

//  ==========================================================================
//  Consumer

struct _sv_stream_consumer_t {
    sv_db_t *db;                //  the service's store, borrowed
    char *stream;
    char *endpoint;
    sv_config_t *config;        //  borrowed, for socket options
    sv_stream_apply_fn *apply;
    void *arg;
    zsock_t *dealer;
    zloop_t *loop;
    int timer_id;
    uint64_t offset;            //  last seq committed
    //  Last seq applied: the offset, or past it while the transaction that
    //  applied the batches since is held (sv_db_hold) for more
    uint64_t applied;
    size_t group_events;        //  hold while fewer than these are held ...
    int group_ms;               //  ... and for no longer than this (0: never hold)
    size_t held_events;         //  events applied in the transaction held
    int64_t held_since;         //  zclock_mono when its first batch began
    bool holding;               //  the store's held transaction is ours
    uint64_t head;              //  producer's head as last heard
    bool in_flight;             //  one FETCH outstanding
    uint64_t requested_after;   //  ... asking for events after this seq
    //  zclock_mono when we last heard the producer, sent it a FETCH or
    //  finished applying a batch: the producer's silence counts from the
    //  latest of these, never across time we spent writing
    int64_t listening_since;
    int64_t retry_at;           //  after a failed apply: wait until then
    //  A stall: the stream applies nothing until it clears. stalled is the
    //  reason as STATUS gives it (NULL while the stream flows); for an
    //  event we cannot read, its seq, type and body, so that the same
    //  bytes are not tried again (they would fail the same way) and a
    //  changed event is; stalled_seq 0 for a producer behind our offset,
    //  which only a restart after an operator's repair clears.
    char *stalled;
    uint64_t stalled_seq;
    char *stalled_type;
    zchunk_t *stalled_body;
    int timeout_ms;
    uint64_t batch_max;
    uint64_t reconnects;
    void (*committed_fn) (void *arg);
    void *committed_arg;
    int (*applied_fn) (sv_db_t *db, void *arg);
    void *applied_arg;
    void (*batch_fn) (const sv_proto_event_t *events, size_t count, void *arg);
    void *batch_arg;
    char *types;                //  event types wanted, "" for all
    bool full;                  //  the store found the disk full, and has not committed since
};

static int s_consumer_recv (zloop_t *loop, zsock_t *reader, void *arg);

static void
s_consumer_connect (sv_stream_consumer_t *self)
{
    self->dealer = zsock_new (ZMQ_DEALER);
    s_set_peer_options (self->dealer, self->config);
    //  Queue nothing to a peer that is not connected: a FETCH sent into the
    //  void would wait there instead of failing fast.
    zsock_set_immediate (self->dealer, 1);
    zsock_set_reconnect_ivl (self->dealer, 100);
    zsock_set_reconnect_ivl_max (self->dealer, 2000);
    sv_security_client (self->dealer, self->stream);
    if (zsock_connect (self->dealer, "%s", self->endpoint))
        zsys_error ("stream %s: cannot connect to %s", self->stream, self->endpoint);
    if (self->loop)
        zloop_reader (self->loop, self->dealer, s_consumer_recv, self);
}

static void
s_consumer_reconnect (sv_stream_consumer_t *self)
{
    if (self->loop)
        zloop_reader_end (self->loop, self->dealer);
    zsock_destroy (&self->dealer);
    self->reconnects++;
    self->in_flight = false;
    s_consumer_connect (self);
}

static void
s_consumer_fetch (sv_stream_consumer_t *self, uint64_t after_seq)
{
    sv_proto_t request = { .id = SV_PROTO_FETCH };
    request.fetch.stream = self->stream;
    request.fetch.after_seq = after_seq;
    request.fetch.max = self->batch_max;
    request.fetch.types = self->types;
    zframe_t *frame = sv_proto_encode_frame (&request);
    self->listening_since = zclock_mono ();
    //  With IMMEDIATE and no connection yet this fails; the timer retries.
    if (frame && zframe_send (&frame, self->dealer, ZFRAME_DONTWAIT) == 0) {
        self->in_flight = true;
        self->requested_after = after_seq;
    }
    else
        zframe_destroy (&frame);
}

static int
s_consumer_store_offset (sv_stream_consumer_t *self, uint64_t seq)
{
    sqlite3_stmt *stmt = sv_db_stmt (self->db,
        "INSERT INTO offsets (stream, seq) VALUES (?1, ?2)"
        " ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq");
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, self->stream, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    return sv_db_run (self->db, stmt);
}

//  Stalls the stream with reason (formatted), saying so in the log once
static void
    s_consumer_stall (sv_stream_consumer_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));
static void
s_consumer_stall (sv_stream_consumer_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *reason = zsys_vprintf (format, args);
    va_end (args);
    if (!self->stalled || strneq (self->stalled, reason))
        zsys_error ("stream %s: %s (nothing more is applied from it until that changes)",
                    self->stream, reason);
    zstr_free (&self->stalled);
    self->stalled = reason;
}

//  The stream stalls at event, which apply could not read. Why, for a
//  person: the decoder's reason when its body does not decode.
static void
s_consumer_stall_at (sv_stream_consumer_t *self, const sv_proto_event_t *event)
{
    sv_proto_t message = { .id = 0 };
    char reason [sizeof message.reason];
    if (sv_proto_decode (&message, event->body, event->body_size) == 0)
        snprintf (reason, sizeof reason, "a %s that this consumer cannot apply", event->type);
    else
        snprintf (reason, sizeof reason, "%s", message.reason);
    sv_proto_reset (&message);
    s_consumer_stall (self, "stalled at seq %" PRIu64 ": %s", event->seq, reason);
    self->stalled_seq = event->seq;
    zstr_free (&self->stalled_type);
    self->stalled_type = strdup (event->type);
    zchunk_destroy (&self->stalled_body);
    self->stalled_body = zchunk_new (event->body, event->body_size);
}

//  Whether event is the one the stream stalled at, unchanged
static bool
s_consumer_stalled_on (sv_stream_consumer_t *self, const sv_proto_event_t *event)
{
    return self->stalled_seq && event->seq == self->stalled_seq
        && streq (event->type, self->stalled_type)
        && event->body_size == zchunk_size (self->stalled_body)
        && (event->body_size == 0
            || memcmp (event->body, zchunk_data (self->stalled_body), event->body_size) == 0);
}

static void
s_consumer_unstall (sv_stream_consumer_t *self)
{
    if (self->stalled && self->stalled_seq)
        zsys_info ("stream %s: seq %" PRIu64 " applied; the stream flows again",
                   self->stream, self->stalled_seq);
    zstr_free (&self->stalled);
    zstr_free (&self->stalled_type);
    zchunk_destroy (&self->stalled_body);
    self->stalled_seq = 0;
}

//  The transaction we held has ended: committed by whoever released it,
//  or rolled back
static void
s_consumer_held_end (void *arg, bool committed)
{
    sv_stream_consumer_t *self = (sv_stream_consumer_t *) arg;
    self->holding = false;
    if (committed) {
        self->offset = self->applied;
        if (self->committed_fn)
            self->committed_fn (self->committed_arg);
    }
    else {
        zsys_warning ("stream %s: the %zu events after %" PRIu64 " held for one commit were"
                      " not stored; will fetch them again", self->stream, self->held_events,
                      self->offset);
        self->applied = self->offset;
        self->retry_at = zclock_mono () + 1000;
    }
}

//  Applies a batch and its new offset in the transaction begun, and commits
//  it, or holds it for the next batch when hold. 0, -1, or
//  SV_STREAM_UNREADABLE when an event cannot be read: what came before it
//  is committed, and the stream stalls at it.
static int
s_consumer_apply_begun (sv_stream_consumer_t *self, const sv_proto_events_t *batch,
                        uint64_t end, bool hold)
{
    uint64_t offset = self->applied;
    bool unreadable = false;
    for (size_t index = 0; index < batch->events_count && !unreadable; index++) {
        const sv_proto_event_t *event = &batch->events [index];
        if (event->seq <= offset)
            continue;           //  already applied; never twice
        int rc = self->apply (self->db, event, self->arg);
        if (rc == SV_STREAM_UNREADABLE) {
            //  Skipping it would lose it for good; retrying the same
            //  bytes cannot help
            s_consumer_stall_at (self, event);
            unreadable = true;
        }
        else
        if (rc) {
            sv_db_rollback (self->db);
            if (!sv_db_full (self->db))     //  said once, by s_consumer_apply
                zsys_warning ("stream %s: event %" PRIu64 " (%s %s) was not applied; will retry",
                              self->stream, event->seq, event->type, event->key);
            return -1;
        }
        else
            offset = event->seq;
    }
    //  An unreadable event with nothing applied since the last commit
    //  leaves nothing to commit; what came before it, batches held
    //  included, is committed below
    if (unreadable && offset == self->offset) {
        sv_db_rollback (self->db);
        return SV_STREAM_UNREADABLE;
    }
    hold = hold && !unreadable;
    //  Events the producer left out for us count as applied
    if (end > offset && !unreadable)
        offset = end;
    if (self->applied_fn && self->applied_fn (self->db, self->applied_arg)) {
        sv_db_rollback (self->db);
        if (!sv_db_full (self->db))
            zsys_warning ("stream %s: the batch after %" PRIu64 " was not completed; will retry",
                          self->stream, self->offset);
        return -1;
    }
    if (s_consumer_store_offset (self, offset) || (!hold && sv_db_commit (self->db))) {
        if (!sv_db_full (self->db))
            zsys_error ("stream %s: cannot commit: %s", self->stream, sv_db_error (self->db));
        sv_db_rollback (self->db);
        return -1;
    }
    self->applied = offset;
    if (hold) {
        sv_db_hold (self->db, s_consumer_held_end, self);
        self->holding = true;
    }
    else
        self->offset = offset;
    return unreadable? SV_STREAM_UNREADABLE: 0;
}

//  Applies a batch and its new offset in one transaction. 0, -1 or
//  SV_STREAM_UNREADABLE, as s_consumer_apply_begun.
static int
s_consumer_apply (sv_stream_consumer_t *self, const sv_proto_events_t *batch, uint64_t end)
{
    int rc = -1;
    bool resumed = self->holding && sv_db_resume (self->db, self);
    self->holding = false;
    if (!resumed) {
        self->held_events = 0;
        self->held_since = zclock_mono ();
    }
    //  Hold the transaction open when the producer has more for us at once
    //  and the group is still small and young
    bool hold = self->group_ms > 0 && batch->head_seq > end
             && self->held_events + batch->events_count < self->group_events
             && zclock_mono () - self->held_since < self->group_ms;
    if (resumed || sv_db_begin (self->db) == 0) {
        if (self->batch_fn)
            self->batch_fn (batch->events, batch->events_count, self->batch_arg);
        rc = s_consumer_apply_begun (self, batch, end, hold);
        if (self->batch_fn)
            self->batch_fn (NULL, 0, self->batch_arg);
        if (rc == -1)
            self->applied = self->offset;   //  the batches held went with it
        else
        if (self->holding)
            self->held_events += batch->events_count;
        else
        if (self->committed_fn)
            self->committed_fn (self->committed_arg);
    }
    self->listening_since = zclock_mono ();
    //  A full disk is said once, with its folder, not at every retry
    if (rc == -1 && sv_db_full (self->db) && !self->full)
        zsys_error ("stream %s: %s; its events wait until the store can write",
                    self->stream, sv_db_error (self->db));
    else
    if (rc != -1 && self->full)
        zsys_info ("stream %s: the store writes again", self->stream);
    if (rc != -1 || sv_db_full (self->db))
        self->full = rc == -1;
    return rc;
}

static bool
s_batch_is_ordered (const sv_proto_events_t *batch)
{
    uint64_t previous = batch->after_seq;
    for (size_t index = 0; index < batch->events_count; index++) {
        if (batch->events [index].seq <= previous)
            return false;
        previous = batch->events [index].seq;
    }
    //  A producer that says how far it looked has looked at least this far
    return batch->scanned_seq == 0 || batch->scanned_seq >= previous;
}

static void
s_consumer_handle_events (sv_stream_consumer_t *self, const sv_proto_events_t *batch)
{
    if (!self->in_flight || batch->after_seq != self->requested_after)
        return;                 //  an answer to a request we gave up on
    self->in_flight = false;
    self->head = batch->head_seq;
    if (self->head < self->offset || (self->stalled && !self->stalled_seq)) {
        //  The producer was restored from a backup older than our store:
        //  the seqs it will reuse are not the events we applied, and no
        //  later head makes them so. Only an operator can mend this.
        if (!self->stalled || self->stalled_seq) {
            s_consumer_unstall (self);
            s_consumer_stall (self, "stalled: the producer's head %" PRIu64
                              " is below our offset %"
                              PRIu64 " (restored from an older backup?); restore this store"
                              " from the same backup", self->head, self->offset);
        }
        self->retry_at = zclock_mono () + self->timeout_ms;
        return;
    }
    if (batch->after_seq != self->applied || self->retry_at) {
        //  The previous batch failed to apply after we had asked for the next
        if (zclock_mono () >= self->retry_at) {
            self->retry_at = 0;
            s_consumer_fetch (self, self->applied);
        }
        return;
    }
    if (!s_batch_is_ordered (batch)) {
        zsys_error ("stream %s: producer sent events out of order; refetching", self->stream);
        self->retry_at = zclock_mono () + self->timeout_ms;
        return;
    }
    //  The batch ends at its last event, or further when the producer
    //  looked past events of types we did not ask for
    uint64_t end = batch->events_count? batch->events [batch->events_count - 1].seq
                                      : batch->after_seq;
    if (*self->types && batch->scanned_seq > end)
        end = batch->scanned_seq;
    if (end == batch->after_seq) {
        if (self->holding)
            sv_db_release (self->db);               //  nothing more at once
        s_consumer_fetch (self, self->applied);    //  heartbeat: ask again
        return;
    }
    if (self->stalled && batch->events_count
    &&  s_consumer_stalled_on (self, &batch->events [0])) {
        //  Still the event we cannot read: ask again later
        if (self->holding)
            sv_db_release (self->db);
        self->retry_at = zclock_mono () + self->timeout_ms;
        return;
    }
    //  Ask for the next batch first so the producer reads while we write
    s_consumer_fetch (self, end);
    int rc = s_consumer_apply (self, batch, end);
    if (rc == SV_STREAM_UNREADABLE)
        self->retry_at = zclock_mono () + self->timeout_ms;
    else
    if (rc)
        self->retry_at = zclock_mono () + 1000;
    else
        s_consumer_unstall (self);
}

static int
s_consumer_recv (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    (void) reader;
    sv_stream_consumer_t *self = (sv_stream_consumer_t *) arg;
    zframe_t *frame = zframe_recv (self->dealer);
    if (!frame)
        return 0;
    self->listening_since = zclock_mono ();
    sv_proto_t reply = { .id = 0 };
    if (zframe_more (frame))
        zsys_warning ("stream %s: dropped a multipart reply", self->stream);
    else
    //  Packed: the events' bodies stay in the frame, kept until they are applied
    if (sv_proto_decode_packed (&reply, zframe_data (frame), zframe_size (frame)) == 0) {
        if (reply.id == SV_PROTO_EVENTS)
            s_consumer_handle_events (self, &reply.events);
        else
        if (reply.id == SV_PROTO_ERROR) {
            zsys_error ("stream %s: %s refused our FETCH: %s", self->stream,
                        self->endpoint, reply.error.reason);
            self->in_flight = false;
            self->retry_at = zclock_mono () + self->timeout_ms;
        }
    }
    sv_proto_reset (&reply);
    zframe_destroy (&frame);
    return 0;
}

static int
s_consumer_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    sv_stream_consumer_t *self = (sv_stream_consumer_t *) arg;
    int64_t now = zclock_mono ();
    if (self->in_flight && now - self->listening_since > self->timeout_ms
    &&  !(zsock_events (self->dealer) & ZMQ_POLLIN)) {
        //  Lazy pirate: a producer silent past a heartbeat and more is gone
        //  or restarted; a fresh socket drops whatever the old one queued,
        //  so never while an answer waits there to be read.
        zsys_info ("stream %s: no answer from %s in %d ms; reconnecting",
                   self->stream, self->endpoint, self->timeout_ms);
        s_consumer_reconnect (self);
    }
    if (self->holding && now - self->held_since >= self->group_ms)
        sv_db_release (self->db);   //  the next batch is late: commit what we have
    if (!self->in_flight && now >= self->retry_at) {
        self->retry_at = 0;
        s_consumer_fetch (self, self->applied);
    }
    return 0;
}

sv_stream_consumer_t *
sv_stream_consumer_new (sv_db_t *db, const char *stream, const char *endpoint,
                        sv_config_t *config, sv_stream_apply_fn *apply, void *arg)
{
    assert (db && stream && endpoint && config && apply);
    sqlite3_stmt *stmt = sv_db_stmt (db, "SELECT seq FROM offsets WHERE stream = ?1");
    if (!stmt)
        return NULL;
    sv_stream_consumer_t *self = (sv_stream_consumer_t *) zmalloc (sizeof (sv_stream_consumer_t));
    sqlite3_bind_text (stmt, 1, stream, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) == SQLITE_ROW)
        self->offset = (uint64_t) sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    self->applied = self->offset;
    self->db = db;
    self->stream = strdup (stream);
    self->endpoint = strdup (endpoint);
    self->types = strdup ("");
    self->config = config;
    self->apply = apply;
    self->arg = arg;
    self->timeout_ms = (int) sv_config_int (config, "stream/timeout_ms");
    self->batch_max = (uint64_t) sv_config_int (config, "stream/batch_max");
    s_consumer_connect (self);
    return self;
}

void
sv_stream_consumer_destroy (sv_stream_consumer_t **self_p)
{
    assert (self_p);
    sv_stream_consumer_t *self = *self_p;
    if (self) {
        if (self->holding)
            sv_db_release (self->db);
        if (self->loop) {
            zloop_reader_end (self->loop, self->dealer);
            zloop_timer_end (self->loop, self->timer_id);
        }
        zsock_destroy (&self->dealer);
        zstr_free (&self->stream);
        zstr_free (&self->endpoint);
        zstr_free (&self->types);
        zstr_free (&self->stalled);
        zstr_free (&self->stalled_type);
        zchunk_destroy (&self->stalled_body);
        free (self);
        *self_p = NULL;
    }
}

int
sv_stream_consumer_attach (sv_stream_consumer_t *self, zloop_t *loop)
{
    assert (self && loop && !self->loop);
    self->loop = loop;
    self->timer_id = zloop_timer (loop, 50, 0, s_consumer_tick, self);
    if (zloop_reader (loop, self->dealer, s_consumer_recv, self) || self->timer_id < 0)
        return -1;
    s_consumer_fetch (self, self->offset);
    return 0;
}

void
sv_stream_consumer_set_committed (sv_stream_consumer_t *self, void (*fn) (void *arg), void *arg)
{
    assert (self);
    self->committed_fn = fn;
    self->committed_arg = arg;
}

void
sv_stream_consumer_set_types (sv_stream_consumer_t *self, const char *types)
{
    assert (self && types);
    zstr_free (&self->types);
    self->types = strdup (types);
}

void
sv_stream_consumer_set_group (sv_stream_consumer_t *self, size_t events, int ms)
{
    assert (self);
    self->group_events = events;
    self->group_ms = ms;
}

void
sv_stream_consumer_set_applied (sv_stream_consumer_t *self,
                                int (*fn) (sv_db_t *db, void *arg), void *arg)
{
    assert (self);
    self->applied_fn = fn;
    self->applied_arg = arg;
}

void
sv_stream_consumer_set_batch (sv_stream_consumer_t *self,
                              void (*fn) (const sv_proto_event_t *events, size_t count,
                                          void *arg),
                              void *arg)
{
    assert (self);
    self->batch_fn = fn;
    self->batch_arg = arg;
}

sv_proto_consumer_offset_t
sv_stream_consumer_status (sv_stream_consumer_t *self)
{
    assert (self);
    return (sv_proto_consumer_offset_t) {
        .stream = self->stream, .endpoint = self->endpoint, .offset = self->offset,
        .head_seq = self->head, .lag = self->head > self->offset? self->head - self->offset: 0,
        .stalled = self->stalled? self->stalled: ""
    };
}

uint64_t
sv_stream_consumer_offset (sv_stream_consumer_t *self)
{
    assert (self);
    return self->offset;
}

uint64_t
sv_stream_consumer_head (sv_stream_consumer_t *self)
{
    assert (self);
    return self->head;
}

const char *
sv_stream_consumer_stalled (sv_stream_consumer_t *self)
{
    assert (self);
    return self->stalled;
}

uint64_t
sv_stream_consumer_reconnects (sv_stream_consumer_t *self)
{
    assert (self);
    return self->reconnects;
}

//  ==========================================================================
//  Self-test: a producer and a consumer in one loop, over loopback tcp

typedef struct {
    sv_db_t *producer_db;
    sv_stream_producer_t *producer;
    sv_stream_consumer_t *consumer;
    uint64_t appended;
    uint64_t target;
    int64_t deadline;
    zsock_t *prober;            //  a raw peer sending the producer nonsense
    int refusals;
    bool prober_served;
} s_test_t;

static const char *s_test_consumer_schema [] = {
    SV_STREAM_OFFSETS_SQL
    "CREATE TABLE received (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL);",
    NULL
};

static int
s_test_apply (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) arg;
    sqlite3_stmt *stmt = sv_db_stmt (db, "INSERT INTO received (seq, key, body) VALUES (?1, ?2, ?3)");
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) event->seq);
    sqlite3_bind_text (stmt, 2, event->key, -1, SQLITE_STATIC);
    sqlite3_bind_blob (stmt, 3, event->body, (int) event->body_size, SQLITE_STATIC);
    return sv_db_run (db, stmt);
}

static void
s_test_append (s_test_t *test, int count)
{
    assert (sv_db_begin (test->producer_db) == 0);
    for (int i = 0; i < count; i++) {
        char key [32];
        snprintf (key, sizeof key, "event-%" PRIu64, ++test->appended);
        int64_t seq = sv_stream_append (test->producer_db, "TEST", key,
                                        (const uint8_t *) key, strlen (key));
        assert (seq == (int64_t) test->appended);
    }
    assert (sv_db_commit (test->producer_db) == 0);
    if (test->producer)
        sv_stream_producer_notify (test->producer);
}

static int
s_test_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_test_t *test = (s_test_t *) arg;
    if (test->appended < test->target)
        s_test_append (test, 50);
    if (sv_stream_consumer_offset (test->consumer) == test->target && test->prober_served)
        return -1;
    return zclock_mono () > test->deadline? -1: 0;
}

static int
s_test_prober_recv (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    s_test_t *test = (s_test_t *) arg;
    zframe_t *frame = zframe_recv (reader);
    sv_proto_t reply = { .id = 0 };
    if (frame && sv_proto_decode (&reply, zframe_data (frame), zframe_size (frame)) == 0) {
        if (reply.id == SV_PROTO_ERROR)
            test->refusals++;
        if (reply.id == SV_PROTO_EVENTS && reply.events.events_count > 0)
            test->prober_served = true;
    }
    sv_proto_reset (&reply);
    zframe_destroy (&frame);
    return 0;
}

static int
s_test_count_held (const char *type, const char *key, void *arg)
{
    assert (streq (type, "HELD") && strneq (key, ""));
    (*(int *) arg)++;
    return 0;
}

//  Appends count events of type in one transaction, held for owner when
//  owner is not 0
static void
s_test_append_unit (sv_db_t *db, const char *type, int count, int64_t owner)
{
    assert (sv_db_begin (db) == 0);
    int64_t first = sv_stream_last (db) + 1;
    for (int index = 0; index < count; index++)
        assert (sv_stream_append (db, type, "k", (const uint8_t *) "b", 1) > 0);
    if (owner)
        assert (sv_stream_hold (db, owner, first, sv_stream_last (db)) == 0);
    assert (sv_db_commit (db) == 0);
}

//  Held events are not served, and nothing after them, until released; a
//  unit retracted leaves the outbox as if it had never appended
static void
s_test_holds (const char *dir, sv_config_t *config)
{
    static const char *schema [] = { SV_STREAM_OUTBOX_SQL SV_STREAM_HOLDS_SQL, NULL };
    char *path = zsys_sprintf ("%s/held.db", dir);
    sv_db_t *db = sv_db_new (path, schema, NULL);
    assert (db);
    s_test_append_unit (db, "PLAIN", 3, 0);
    s_test_append_unit (db, "HELD", 2, 7);
    s_test_append_unit (db, "PLAIN", 1, 0);
    sv_stream_producer_t *producer = sv_stream_producer_new (path, "held", "tcp://127.0.0.1:*",
                                                             config);
    assert (producer);
    assert (sv_stream_producer_head (producer) == 3);
    assert (sv_db_int (db, "SELECT DISTINCT owner FROM outbox_holds", -1) == 7);
    int held = 0;
    assert (sv_stream_held (db, 7, s_test_count_held, &held) == 0 && held == 2);

    //  Released: every event is served
    assert (sv_db_begin (db) == 0);
    assert (sv_stream_release (db, 7) == 0);
    assert (sv_db_commit (db) == 0);
    sv_stream_producer_notify (producer);
    assert (sv_stream_producer_head (producer) == 6);

    //  Two transactions of a unit, another's events between: retracted,
    //  only the unit's own go, and the head passes the gap
    s_test_append_unit (db, "HELD", 2, 8);
    s_test_append_unit (db, "PLAIN", 1, 0);
    s_test_append_unit (db, "HELD", 3, 8);
    sv_stream_producer_notify (producer);
    assert (sv_stream_producer_head (producer) == 6);
    assert (sv_db_begin (db) == 0);
    assert (sv_stream_retract (db, 8) == 0);
    assert (sv_db_commit (db) == 0);
    sv_stream_producer_notify (producer);
    assert (sv_stream_producer_head (producer) == 9);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox", -1) == 7);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox WHERE type = 'HELD'", -1) == 2);
    assert (sv_db_int (db, "SELECT count(*) FROM outbox_holds", -1) == 0);

    sv_stream_producer_destroy (&producer);
    sv_db_destroy (&db);
    assert (sv_db_remove_files (path) == 0);
    zstr_free (&path);
}

//  Runs loop until done (arg) holds, checked every 5 ms, or 10 s pass.
//  Returns whether done holds.
typedef struct {
    bool (*done) (void *arg);
    void *arg;
    int64_t deadline;
} s_test_until_t;

static int
s_test_until_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_test_until_t *until = (s_test_until_t *) arg;
    return until->done (until->arg) || zclock_mono () > until->deadline? -1: 0;
}

static bool
s_test_until (zloop_t *loop, bool (*done) (void *arg), void *arg)
{
    s_test_until_t until = { done, arg, zclock_mono () + 10000 };
    int timer_id = zloop_timer (loop, 5, 0, s_test_until_tick, &until);
    zloop_start (loop);
    zloop_timer_end (loop, timer_id);
    return done (arg);
}

//  The event bodies of the stall tests, as a producer writes them: an
//  ALERT_ACK naming alert_id, with the "v" given, and with a key no
//  decoder of this version knows when extra; none when alert_id is NULL
//  (a required field missing: no version reads it)
static zframe_t *
s_test_ack (uint64_t version, const char *alert_id, bool extra)
{
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer pk;
    msgpack_packer_init (&pk, &buffer, msgpack_sbuffer_write);
    msgpack_pack_map (&pk, 2 + (alert_id? 1: 0) + (extra? 1: 0));
    const char *keys [] = { "v", "id", "alert_id", "escalated_to" };
    msgpack_pack_str_with_body (&pk, keys [0], 1);
    msgpack_pack_uint64 (&pk, version);
    msgpack_pack_str_with_body (&pk, keys [1], 2);
    msgpack_pack_str_with_body (&pk, "ALERT_ACK", 9);
    if (alert_id) {
        msgpack_pack_str_with_body (&pk, keys [2], 8);
        msgpack_pack_str_with_body (&pk, alert_id, strlen (alert_id));
    }
    if (extra) {
        msgpack_pack_str_with_body (&pk, keys [3], 12);
        msgpack_pack_str_with_body (&pk, "board", 5);
    }
    zframe_t *frame = zframe_new (buffer.data, buffer.size);
    msgpack_sbuffer_destroy (&buffer);
    return frame;
}

static void
s_test_append_ack (sv_db_t *db, zframe_t *body)
{
    assert (sv_db_begin (db) == 0);
    assert (sv_stream_append (db, "ALERT_ACK", "ack", zframe_data (body), zframe_size (body)) > 0);
    assert (sv_db_commit (db) == 0);
}

//  A consumer's apply as the services' are: a body that does not decode
//  is unreadable, never skipped
static int
s_test_apply_ack (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    sv_proto_t message = { .id = 0 };
    if (sv_proto_decode (&message, event->body, event->body_size)) {
        (*(int *) arg)++;
        return SV_STREAM_UNREADABLE;
    }
    sqlite3_stmt *stmt = sv_db_stmt (db, "INSERT INTO received (seq, key, body) VALUES (?1, ?2, ?3)");
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) event->seq);
    sqlite3_bind_text (stmt, 2, message.alert_ack.alert_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob (stmt, 3, event->body, (int) event->body_size, SQLITE_STATIC);
    sv_proto_reset (&message);
    return sv_db_run (db, stmt);
}

static bool
s_test_is_stalled (void *arg)
{
    return sv_stream_consumer_stalled ((sv_stream_consumer_t *) arg) != NULL;
}

static bool
s_test_reached_5 (void *arg)
{
    return sv_stream_consumer_offset ((sv_stream_consumer_t *) arg) == 5;
}

static bool
s_test_heard_7 (void *arg)
{
    return sv_stream_consumer_head ((sv_stream_consumer_t *) arg) == 7;
}

//  A producer and a consumer of the stream name, each with a store of its
//  own in dir, in one loop
typedef struct {
    char *producer_path;
    char *consumer_path;
    sv_db_t *producer_db;
    sv_db_t *consumer_db;
    sv_stream_producer_t *producer;
    sv_stream_consumer_t *consumer;
    zloop_t *loop;
} s_test_pair_t;

//  Creates the two stores, so that the producer's can be filled first
static void
s_test_pair_open (s_test_pair_t *pair, const char *dir, const char *name)
{
    static const char *schema [] = { SV_STREAM_OUTBOX_SQL, NULL };
    pair->producer_path = zsys_sprintf ("%s/%s-producer.db", dir, name);
    pair->consumer_path = zsys_sprintf ("%s/%s-consumer.db", dir, name);
    pair->producer_db = sv_db_new (pair->producer_path, schema, NULL);
    pair->consumer_db = sv_db_new (pair->consumer_path, s_test_consumer_schema, NULL);
    assert (pair->producer_db && pair->consumer_db);
    pair->loop = zloop_new ();
}

//  Starts the producer and the consumer of stream name, applying with apply
static void
s_test_pair_start (s_test_pair_t *pair, const char *name, sv_config_t *config,
                   sv_stream_apply_fn *apply, void *arg)
{
    pair->producer = sv_stream_producer_new (pair->producer_path, name, "tcp://127.0.0.1:*",
                                             config);
    assert (pair->producer);
    pair->consumer = sv_stream_consumer_new (pair->consumer_db, name,
        sv_stream_producer_endpoint (pair->producer), config, apply, arg);
    assert (pair->consumer);
    assert (sv_stream_producer_attach (pair->producer, pair->loop) == 0);
    assert (sv_stream_consumer_attach (pair->consumer, pair->loop) == 0);
}

static void
s_test_pair_stop (s_test_pair_t *pair)
{
    sv_stream_consumer_destroy (&pair->consumer);
    sv_stream_producer_destroy (&pair->producer);
}

//  Stops the pair and removes its stores
static void
s_test_pair_close (s_test_pair_t *pair)
{
    s_test_pair_stop (pair);
    zloop_destroy (&pair->loop);
    sv_db_destroy (&pair->consumer_db);
    sv_db_destroy (&pair->producer_db);
    assert (sv_db_remove_files (pair->producer_path) == 0);
    assert (sv_db_remove_files (pair->consumer_path) == 0);
    zstr_free (&pair->producer_path);
    zstr_free (&pair->consumer_path);
}

//  Events of the previous version and of a newer one apply; an event the
//  consumer cannot read stalls the stream there, visibly, with nothing
//  after it applied, until the producer mends it; a producer restored
//  behind the consumer stalls it for good, even once its head passes the
//  consumer's offset again
static void
s_test_stall (const char *dir, sv_config_t *config)
{
    s_test_pair_t pair = { 0 };
    s_test_pair_open (&pair, dir, "stall");
    zframe_t *bodies [5] = {
        s_test_ack (SV_PROTO_OLDEST, "A-1", false),     //  the oldest version we read
        s_test_ack (SV_PROTO_OLDEST, "A-2", true),      //  a newer producer's field
        s_test_ack (SV_PROTO_VERSION, NULL, false),     //  unreadable
        s_test_ack (SV_PROTO_VERSION, "A-4", false),
        s_test_ack (SV_PROTO_VERSION, "A-5", true)
    };
    for (int index = 0; index < 5; index++)
        s_test_append_ack (pair.producer_db, bodies [index]);
    int unreadable = 0;
    s_test_pair_start (&pair, "stall", config, s_test_apply_ack, &unreadable);
    sv_stream_consumer_t *consumer = pair.consumer;
    sv_db_t *consumer_db = pair.consumer_db;

    //  Stalled at 3: 1 and 2 committed, 4 and 5 not applied
    assert (s_test_until (pair.loop, s_test_is_stalled, consumer));
    const char *stalled = sv_stream_consumer_stalled (consumer);
    assert (strstr (stalled, "stalled at seq 3: ") == stalled);
    assert (strstr (stalled, "ALERT_ACK.alert_id: required field missing"));
    assert (sv_stream_consumer_offset (consumer) == 2);
    assert (sv_db_int (consumer_db, "SELECT seq FROM offsets WHERE stream = 'stall'", -1) == 2);
    assert (sv_db_int (consumer_db, "SELECT count(*) FROM received", -1) == 2);
    assert (sv_db_int (consumer_db, "SELECT count(*) FROM received"
                                    " WHERE key = 'A-' || seq", -1) == 2);
    assert (streq (sv_stream_consumer_status (consumer).stalled, stalled));
    assert (unreadable == 1);

    //  The producer's row mended, as a fixed producer would write it: the
    //  stream flows again, 3 first
    zframe_destroy (&bodies [2]);
    bodies [2] = s_test_ack (SV_PROTO_VERSION, "A-3", false);
    sqlite3_stmt *stmt = sv_db_stmt (pair.producer_db, "UPDATE outbox SET body = ?1 WHERE seq = 3");
    sqlite3_bind_blob (stmt, 1, zframe_data (bodies [2]), (int) zframe_size (bodies [2]),
                       SQLITE_STATIC);
    assert (sv_db_run (pair.producer_db, stmt) == 0);
    assert (s_test_until (pair.loop, s_test_reached_5, consumer));
    assert (sv_stream_consumer_stalled (consumer) == NULL);
    assert (streq (sv_stream_consumer_status (consumer).stalled, ""));
    assert (sv_db_int (consumer_db, "SELECT count(*) FROM received"
                                    " WHERE key = 'A-' || seq", -1) == 5);
    //  The same unreadable bytes were tried once, not at every retry
    assert (unreadable == 1);
    s_test_pair_stop (&pair);

    //  The producer restored from a backup holding 2 events
    assert (sv_db_exec (pair.producer_db, "DELETE FROM outbox WHERE seq > 2") == 0);
    s_test_pair_start (&pair, "stall", config, s_test_apply_ack, &unreadable);
    consumer = pair.consumer;
    assert (s_test_until (pair.loop, s_test_is_stalled, consumer));
    assert (strstr (sv_stream_consumer_stalled (consumer),
                    "the producer's head 2 is below our offset 5"));
    //  Its head passes our offset with other events under seqs 3 to 7:
    //  still stalled, none of them applied
    for (int index = 0; index < 5; index++)
        s_test_append_ack (pair.producer_db, bodies [index == 2? 0: index]);
    sv_stream_producer_notify (pair.producer);
    assert (s_test_until (pair.loop, s_test_heard_7, consumer));
    assert (strstr (sv_stream_consumer_stalled (consumer), "below our offset 5"));
    assert (sv_stream_consumer_offset (consumer) == 5);
    assert (sv_db_int (consumer_db, "SELECT count(*) FROM received", -1) == 5);

    for (int index = 0; index < 5; index++)
        zframe_destroy (&bodies [index]);
    s_test_pair_close (&pair);
}

//  An apply slower than stream/timeout_ms: the answer the producer sent
//  meanwhile waits queued, and is read, never dropped with a reconnect
static int
s_test_apply_slowly (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) arg;
    if (event->seq % 2)
        zclock_sleep (300);         //  the disk, slow: what is being tested
    return s_test_apply (db, event, NULL);
}

static bool
s_test_reached_6 (void *arg)
{
    return sv_stream_consumer_offset ((sv_stream_consumer_t *) arg) == 6;
}

//  A stream's settings for a test: a heartbeat of 100 ms, and these
static sv_config_t *
s_test_config (const char *timeout_ms, const char *batch_max)
{
    sv_config_t *config = sv_config_new ();
    sv_config_set (config, "stream/heartbeat_ms", "100");
    sv_config_set (config, "stream/timeout_ms", timeout_ms);
    sv_config_set (config, "stream/batch_max", batch_max);
    return config;
}

static void
s_test_slow_apply (const char *dir)
{
    sv_config_t *config = s_test_config ("200", "2");
    s_test_pair_t pair = { 0 };
    s_test_pair_open (&pair, dir, "slow");
    s_test_append_unit (pair.producer_db, "SLOW", 6, 0);
    s_test_pair_start (&pair, "slow", config, s_test_apply_slowly, NULL);
    assert (s_test_until (pair.loop, s_test_reached_6, pair.consumer));
    assert (sv_stream_consumer_reconnects (pair.consumer) == 0);
    s_test_pair_close (&pair);
    sv_config_destroy (&config);
}

//  A consumer that commits several batches at once: how it went
typedef struct {
    sv_stream_consumer_t *consumer;
    sv_db_t *reader;            //  a second connection: what is committed
    uint64_t fail_at;           //  apply fails once at this seq
    int commits;
    int neighbours;             //  transactions of someone else's, between
    uint64_t target;
} s_test_group_t;

static int
s_test_apply_group (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    s_test_group_t *group = (s_test_group_t *) arg;
    if (event->seq == group->fail_at) {
        group->fail_at = 0;
        return -1;
    }
    return s_test_apply (db, event, NULL);
}

//  After each commit: the offset the consumer shows is the one committed
static void
s_test_group_committed (void *arg)
{
    s_test_group_t *group = (s_test_group_t *) arg;
    group->commits++;
    assert ((int64_t) sv_stream_consumer_offset (group->consumer)
            == sv_db_int (group->reader, "SELECT seq FROM offsets WHERE stream = 'group'", -1));
}

static bool
s_test_group_done (void *arg)
{
    s_test_group_t *group = (s_test_group_t *) arg;
    return sv_stream_consumer_offset (group->consumer) == group->target;
}

//  Someone else's transaction on the consumer's store, every few ms
static int
s_test_neighbour (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_test_t *neighbour = (s_test_t *) arg;
    assert (sv_db_begin (neighbour->producer_db) == 0);
    assert (sv_db_exec (neighbour->producer_db, "INSERT INTO neighbours DEFAULT VALUES") == 0);
    assert (sv_db_commit (neighbour->producer_db) == 0);
    neighbour->appended++;
    return 0;
}

//  A consumer catching up commits several batches at once, and its offset
//  moves only when they are committed; a failure in a group refetches the
//  whole group, each event still applied once; someone else's transaction
//  on the store commits the group held first
static void
s_test_groups (const char *dir)
{
    sv_config_t *config = s_test_config ("300", "50");
    s_test_pair_t pair = { 0 };
    s_test_pair_open (&pair, dir, "group");
    s_test_append_unit (pair.producer_db, "GROUP", 1000, 0);
    s_test_group_t group = { .fail_at = 230, .target = 1000 };
    group.reader = sv_db_new (pair.consumer_path, NULL, NULL);
    assert (group.reader);
    s_test_pair_start (&pair, "group", config, s_test_apply_group, &group);
    group.consumer = pair.consumer;
    sv_stream_consumer_set_group (pair.consumer, 400, 10000);
    sv_stream_consumer_set_committed (pair.consumer, s_test_group_committed, &group);
    assert (s_test_until (pair.loop, s_test_group_done, &group));
    assert (group.fail_at == 0);
    assert (sv_db_int (group.reader, "SELECT count(*) FROM received", -1) == 1000);
    //  20 batches of 50 in groups of at most 400 events: three commits (the
    //  first group fetched again whole after its failure), not 20
    assert (group.commits <= 4);

    //  Someone else's transactions between the batches: every event and
    //  every one of theirs is stored, once
    assert (sv_db_exec (pair.consumer_db, "CREATE TABLE neighbours (id INTEGER PRIMARY KEY)") == 0);
    s_test_append_unit (pair.producer_db, "GROUP", 1000, 0);
    group.target = 2000;
    s_test_t neighbour = { .producer_db = pair.consumer_db };
    int timer_id = zloop_timer (pair.loop, 2, 0, s_test_neighbour, &neighbour);
    assert (s_test_until (pair.loop, s_test_group_done, &group));
    zloop_timer_end (pair.loop, timer_id);
    assert (sv_db_int (group.reader, "SELECT count(*) FROM received", -1) == 2000);
    assert (sv_db_int (group.reader, "SELECT count(*) FROM neighbours", -1)
            == (int64_t) neighbour.appended);
    sv_db_destroy (&group.reader);
    s_test_pair_close (&pair);
    sv_config_destroy (&config);
}

void
sv_stream_test (bool verbose)
{
    if (verbose)
        printf (" * sv_stream: ");
    char *dir = zsys_sprintf ("/tmp/sv_stream_test_%d", getpid ());
    zsys_dir_create ("%s", dir);
    char *producer_path = zsys_sprintf ("%s/producer.db", dir);
    char *consumer_path = zsys_sprintf ("%s/consumer.db", dir);
    static const char *producer_schema [] = { SV_STREAM_OUTBOX_SQL, NULL };

    sv_config_t *config = sv_config_new ();
    sv_config_set (config, "stream/heartbeat_ms", "100");
    sv_config_set (config, "stream/batch_max", "64");

    s_test_t test = { .target = 1000, .deadline = zclock_mono () + 20000 };
    test.producer_db = sv_db_new (producer_path, producer_schema, NULL);
    assert (test.producer_db);
    s_test_append (&test, 300);         //  a backlog before anyone listens

    test.producer = sv_stream_producer_new (producer_path, "test", "tcp://127.0.0.1:*", config);
    assert (test.producer);
    assert (sv_stream_producer_head (test.producer) == 300);
    sv_db_t *consumer_db = sv_db_new (consumer_path, s_test_consumer_schema, NULL);
    assert (consumer_db);
    char *endpoint = strdup (sv_stream_producer_endpoint (test.producer));
    test.consumer = sv_stream_consumer_new (consumer_db, "test", endpoint, config, s_test_apply, NULL);
    assert (test.consumer);

    //  The prober sends what a broken or hostile peer might, then a real FETCH
    test.prober = zsock_new_dealer (endpoint);
    const byte huge_array [] = { 0xdd, 0x10, 0x00, 0x00, 0x00 };
    zsock_send (test.prober, "b", huge_array, sizeof huge_array);
    zsock_send (test.prober, "s", "not msgpack at all");
    zsock_send (test.prober, "ss", "two", "frames");
    sv_proto_t fetch = { .id = SV_PROTO_FETCH };
    fetch.fetch.stream = "elsewhere";
    zframe_t *frame = sv_proto_encode_frame (&fetch);
    zframe_send (&frame, test.prober, 0);
    fetch.fetch.stream = "test";
    fetch.fetch.max = 10;
    frame = sv_proto_encode_frame (&fetch);
    zframe_send (&frame, test.prober, 0);

    zloop_t *loop = zloop_new ();
    assert (sv_stream_producer_attach (test.producer, loop) == 0);
    assert (sv_stream_consumer_attach (test.consumer, loop) == 0);
    zloop_reader (loop, test.prober, s_test_prober_recv, &test);
    zloop_timer (loop, 5, 0, s_test_tick, &test);
    zloop_start (loop);

    //  Every event arrived once, in order, with its body
    assert (sv_stream_consumer_offset (test.consumer) == 1000);
    assert (sv_db_int (consumer_db, "SELECT count(*) FROM received", -1) == 1000);
    assert (sv_db_int (consumer_db, "SELECT count(*) FROM received"
                       " WHERE body = CAST(key AS BLOB) AND key = 'event-' || seq", -1) == 1000);
    assert (sv_db_int (consumer_db, "SELECT seq FROM offsets WHERE stream = 'test'", -1) == 1000);
    //  The nonsense was refused (the two-frame message silently), and the
    //  producer went on serving the prober and the consumer alike
    assert (test.refusals == 3);
    assert (test.prober_served);

    //  A consumer made again resumes from its stored offset
    sv_stream_consumer_destroy (&test.consumer);
    sv_stream_producer_destroy (&test.producer);
    zloop_destroy (&loop);
    test.consumer = sv_stream_consumer_new (consumer_db, "test", endpoint, config, s_test_apply, NULL);
    assert (sv_stream_consumer_offset (test.consumer) == 1000);

    zsock_destroy (&test.prober);
    sv_stream_consumer_destroy (&test.consumer);

    //  A type is wanted when the filter names it whole
    assert (s_type_wanted ("", "ANY"));
    assert (s_type_wanted (",SPEND,PAYEE,", "SPEND") && s_type_wanted (",SPEND,PAYEE,", "PAYEE"));
    assert (!s_type_wanted (",SPEND,PAYEE,", "PAY") && !s_type_wanted (",SPEND,PAYEE,", "SPENDS"));
    assert (!s_type_wanted (",SPEND,PAYEE,", "END") && !s_type_wanted (",SPEND,", ""));
    assert (!s_type_wanted (",SPEND,", "SPEND,"));

    //  A consumer that asks for some types gets only those, and its
    //  offset still reaches the head past the others
    assert (sv_db_begin (test.producer_db) == 0);
    for (int index = 0; index < 200; index++)
        assert (sv_stream_append (test.producer_db, index % 2? "OTHER": "WANTED", "typed",
                                  (const uint8_t *) "typed", 5) == 1001 + index);
    assert (sv_db_commit (test.producer_db) == 0);
    test.appended = test.target = 1200;
    test.producer = sv_stream_producer_new (producer_path, "test", "tcp://127.0.0.1:*", config);
    char *filtered_path = zsys_sprintf ("%s/filtered.db", dir);
    sv_db_t *filtered_db = sv_db_new (filtered_path, s_test_consumer_schema, NULL);
    test.consumer = sv_stream_consumer_new (filtered_db, "test",
        sv_stream_producer_endpoint (test.producer), config, s_test_apply, NULL);
    sv_stream_consumer_set_types (test.consumer, "TEST, WANTED");
    test.prober_served = true;
    test.deadline = zclock_mono () + 20000;
    loop = zloop_new ();
    assert (sv_stream_producer_attach (test.producer, loop) == 0);
    assert (sv_stream_consumer_attach (test.consumer, loop) == 0);
    zloop_timer (loop, 5, 0, s_test_tick, &test);
    zloop_start (loop);
    assert (sv_stream_consumer_offset (test.consumer) == 1200);
    assert (sv_db_int (filtered_db, "SELECT count(*) FROM received", -1) == 1100);
    assert (sv_db_int (filtered_db, "SELECT count(*) FROM received WHERE seq > 1000", -1) == 100);
    assert (sv_db_int (filtered_db, "SELECT seq FROM offsets WHERE stream = 'test'", -1) == 1200);
    sv_stream_consumer_destroy (&test.consumer);
    sv_stream_producer_destroy (&test.producer);
    zloop_destroy (&loop);
    sv_db_destroy (&filtered_db);
    assert (sv_db_remove_files (filtered_path) == 0);
    zstr_free (&filtered_path);

    //  Events appended many at once take the next seqs in order, the last
    //  few past a whole statement's worth one by one
    char many_keys [SV_STREAM_MANY + 5][16];
    const char *keys [SV_STREAM_MANY + 5];
    const uint8_t *bodies [SV_STREAM_MANY + 5];
    size_t sizes [SV_STREAM_MANY + 5];
    for (int index = 0; index < SV_STREAM_MANY + 5; index++) {
        snprintf (many_keys [index], sizeof many_keys [index], "many-%d", 1201 + index);
        keys [index] = many_keys [index];
        bodies [index] = (const uint8_t *) many_keys [index];
        sizes [index] = strlen (many_keys [index]);
    }
    assert (sv_db_begin (test.producer_db) == 0);
    assert (sv_stream_append_many (test.producer_db, "MANY", keys,
                                   bodies, sizes, SV_STREAM_MANY + 5) == 0);
    assert (sv_db_commit (test.producer_db) == 0);
    assert (sv_db_int (test.producer_db, "SELECT count(*) FROM outbox WHERE type = 'MANY'"
                       " AND key = 'many-' || seq AND body = CAST(key AS BLOB)", -1)
            == SV_STREAM_MANY + 5);
    assert (sv_db_int (test.producer_db, "SELECT max(seq) FROM outbox", -1)
            == 1200 + SV_STREAM_MANY + 5);

    s_test_holds (dir, config);
    sv_config_set (config, "stream/timeout_ms", "300");
    s_test_stall (dir, config);
    s_test_slow_apply (dir);
    s_test_groups (dir);

    zstr_free (&endpoint);
    sv_db_destroy (&consumer_db);
    sv_db_destroy (&test.producer_db);
    sv_config_destroy (&config);
    assert (sv_db_remove_files (producer_path) == 0);
    assert (sv_db_remove_files (consumer_path) == 0);
    assert (zsys_dir_delete ("%s", dir) == 0);
    zstr_free (&producer_path);
    zstr_free (&consumer_path);
    zstr_free (&dir);
    if (verbose)
        printf ("OK\n");
}
