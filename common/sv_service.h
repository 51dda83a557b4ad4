/*  sv_service: what every socval service process does the same way.

    A service is a CZMQ actor (<svc>_server) started by a short main.c.
    This class holds the parts they share: the main itself (arguments,
    config, actor, wait for an interrupt), the control socket, sending a
    reply to a ROUTER peer, and the actor pipe's $TERM handler.

    The actor contract: zactor_new (actor, config) with the config borrowed;
    once started the actor sends the string "READY", or "FAILED" (having
    logged why) and ends.
*/
#ifndef SV_SERVICE_H_INCLUDED
#define SV_SERVICE_H_INCLUDED

#include <czmq.h>
#include "sv_config.h"
#include "sv_proto.h"

//  The whole of a service's main: reads --config FILE (else
//  $SOCVAL_CONFIG, else the defaults) and --data DIR, sets the log level
//  (log/level), takes the lock <store's folder>/<name>.lock (sv_lock) so
//  that one process at a time runs on the store, starts actor, waits for
//  SIGINT or SIGTERM, stops it. name is the program's ("ingest").
//  Returns the process exit code: 0, 1 when the service cannot start, 2 on
//  a usage or config error or when another process holds the store's lock
//  (the message names its pid).
int
    sv_service_main (int argc, char *argv [], const char *name, zactor_fn *actor);

//  From now on, memory blocks of 256 kB or more are mapped on their own
//  and given back to the system as soon as they are freed. glibc's own
//  threshold rises to the largest block freed (up to 32 MB), after which
//  a stream's batches (a few MB each: the events fetched, the reply
//  encoded) come from the heap, where what is freed stays resident. For a
//  service that consumes a stream of payments (reporting's peak is about a
//  fifth higher without it, for about 4% less CPU); each such block is
//  then mapped and touched afresh, which cost ingest, whose peak it does
//  not lower, 15% more CPU. Call first thing in main.
void
    sv_service_return_large_blocks (void);

//  A ROUTER for a service's control endpoint, bound to endpoint, with the
//  socket options every peer-facing socket gets. NULL (logged) when the
//  endpoint cannot be bound.
zsock_t *
    sv_service_control_new (sv_config_t *config, const char *endpoint);

//  Sends message to peer (a ROUTER identity frame, borrowed) on router.
//  A peer that has gone is dropped silently (ROUTER_MANDATORY).
void
    sv_service_reply (zsock_t *router, zframe_t *peer, const sv_proto_t *message);

//  Sends ERROR {code, reason} to peer on router.
void
    sv_service_refuse (zsock_t *router, zframe_t *peer, uint32_t code, const char *reason);

//  Handles one request of a control endpoint: called with the decoded
//  request and the peer to answer (both borrowed for the call). Returns 0
//  when it answered, -1 when the endpoint does not take that message.
typedef int (sv_service_handler_fn) (const sv_proto_t *request, zframe_t *peer, void *arg);

//  What a control endpoint answers: handler with arg for what it takes,
//  and accepts (e.g. "valuation's control endpoint answers STATUS and
//  FRAMEWORK_IMPORT") as the reason for refusing anything else.
typedef struct {
    sv_service_handler_fn *handler;
    void *arg;
    const char *accepts;
} sv_service_control_t;

//  A zloop reader for a control ROUTER, with arg an sv_service_control_t
//  that outlives the reader: reads one request [peer, body] and gives it
//  to the handler; answers ERROR 400 itself to a peer whose key may not use
//  the endpoint (sv_security), to a body that does not decode, and to a
//  message the handler does not take. Returns 0.
int
    sv_service_control_recv (zloop_t *loop, zsock_t *control, void *arg);

//  What one service tells STATUS: its streams, the streams it follows, its
//  row counts and the problems it runs with (arrays borrowed for the call;
//  problems may be NULL with count 0). STATUS lists, after those problems,
//  one for each consumer with a stalled stream: subject "stream NAME",
//  reason its stalled.
typedef struct {
    const char *service;
    const char *version;
    int64_t started;                        //  zclock_mono at start
    sv_proto_stream_head_t *streams;
    size_t streams_count;
    sv_proto_consumer_offset_t *consumers;
    size_t consumers_count;
    sv_proto_row_count_t *counts;
    size_t counts_count;
    sv_proto_problem_t *problems;
    size_t problems_count;
} sv_service_status_t;

//  Sends the STATUS_REPLY status describes to peer on router.
void
    sv_service_reply_status (zsock_t *router, zframe_t *peer, const sv_service_status_t *status);

//  A zloop reader for the actor pipe: ends the loop on $TERM.
int
    sv_service_pipe (zloop_t *loop, zsock_t *pipe, void *arg);

void
    sv_service_test (bool verbose);

#endif
