/*  sv_service: what every socval service process does the same way. */

#include "sv_service.h"
#include "sv_lock.h"
#include "sv_log.h"
#include "sv_security.h"
#include <malloc.h>

//  Takes <store's folder>/<name>.lock, so that one process at a time runs
//  on a store. The lock, or NULL with *rc_p the exit code (2 when another
//  process holds it, 1 when it cannot be taken at all), having said why.
static sv_lock_t *
s_lock_store (sv_config_t *config, const char *name, int *rc_p)
{
    char key [64], file [64];
    snprintf (key, sizeof key, "%s/store", name);
    snprintf (file, sizeof file, "%s.db", name);
    char *store = sv_config_data_path (config, key, file);
    char *slash = strrchr (store, '/');
    char *path = slash? zsys_sprintf ("%.*s/%s.lock", (int) (slash - store), store, name)
                      : zsys_sprintf ("%s.lock", name);
    pid_t holder = 0;
    sv_lock_t *lock = sv_lock_new (path, &holder);
    if (!lock && holder) {
        fprintf (stderr, "socval-%s: %s is held by process %d, another socval-%s on the store"
                 " %s; stop it first, or give this one another store\n",
                 name, path, (int) holder, name, store);
        *rc_p = 2;
    }
    else
    if (!lock) {
        fprintf (stderr, "socval-%s: cannot lock %s: %s\n", name, path, strerror (errno));
        *rc_p = 1;
    }
    zstr_free (&path);
    zstr_free (&store);
    return lock;
}

static void
s_print_problem (const char *problem, void *arg)
{
    fprintf (stderr, "%s: %s\n", (const char *) arg, problem);
}

void
sv_service_return_large_blocks (void)
{
    mallopt (M_MMAP_THRESHOLD, 256 * 1024);
}

int
sv_service_main (int argc, char *argv [], const char *name, zactor_fn *actor)
{
    const char *config_path = getenv ("SOCVAL_CONFIG");
    const char *data_dir = NULL;
    for (int arg = 1; arg < argc; arg++) {
        if (streq (argv [arg], "--config") && arg + 1 < argc)
            config_path = argv [++arg];
        else
        if (streq (argv [arg], "--data") && arg + 1 < argc)
            data_dir = argv [++arg];
        else {
            fprintf (stderr, "usage: socval-%s [--config FILE] [--data DIR]\n", name);
            return 2;
        }
    }
    sv_config_t *config = config_path? sv_config_load (config_path, NULL): sv_config_new ();
    if (!config) {
        //  Every problem, each on its line, as socval config check says them
        char *prefix = zsys_sprintf ("socval-%s: %s", name, config_path);
        sv_config_verify (config_path, s_print_problem, prefix);
        zstr_free (&prefix);
        return 2;
    }
    if (data_dir)
        sv_config_set (config, "data/dir", data_dir);
    zsys_set_logident (name);
    //  The level is one of the four: loading checked it
    sv_log_start (sv_config_get (config, "log/level"), stdout);
    zsys_debug ("%s: config %s, data in %s", name, config_path? config_path: "(the defaults)",
                sv_config_get (config, "data/dir"));
    int rc = 0;
    sv_lock_t *lock = s_lock_store (config, name, &rc);
    if (!lock) {
        sv_config_destroy (&config);
        sv_log_stop ();
        return rc;
    }
    zactor_t *server = zactor_new (actor, config);
    char *status = zstr_recv (server);
    rc = status && streq (status, "READY")? 0: 1;
    zstr_free (&status);
    if (rc == 0) {
        zsys_info ("%s: ready", name);
        //  Wait for an interrupt (or the actor ending on its own)
        zpoller_t *poller = zpoller_new (server, NULL);
        zpoller_wait (poller, -1);
        zpoller_destroy (&poller);
    }
    zactor_destroy (&server);
    sv_config_destroy (&config);
    sv_lock_destroy (&lock);
    sv_log_stop ();
    return rc;
}

zsock_t *
sv_service_control_new (sv_config_t *config, const char *endpoint)
{
    zsock_t *control = zsock_new (ZMQ_ROUTER);
    zsock_set_router_mandatory (control, 1);
    zsock_set_maxmsgsize (control, (int) sv_config_int (config, "stream/max_message_bytes"));
    zsock_set_sndhwm (control, (int) sv_config_int (config, "stream/hwm"));
    zsock_set_rcvhwm (control, (int) sv_config_int (config, "stream/hwm"));
    zsock_set_sndtimeo (control, 0);
    zsock_set_linger (control, 0);
    if (sv_security_bind (control, endpoint) == -1)
        zsock_destroy (&control);     //  logged
    return control;
}

void
sv_service_reply (zsock_t *router, zframe_t *peer, const sv_proto_t *message)
{
    zframe_t *frame = sv_proto_encode_frame (message);
    if (!frame)
        return;
    zmsg_t *msg = zmsg_new ();
    zmsg_addmem (msg, zframe_data (peer), zframe_size (peer));
    zmsg_append (msg, &frame);
    if (zmsg_send (&msg, router))
        zmsg_destroy (&msg);
}

void
sv_service_refuse (zsock_t *router, zframe_t *peer, uint32_t code, const char *reason)
{
    sv_proto_t refusal = { .id = SV_PROTO_ERROR };
    refusal.error.code = code;
    refusal.error.reason = (char *) reason;
    sv_service_reply (router, peer, &refusal);
}

int
sv_service_control_recv (zloop_t *loop, zsock_t *control, void *arg)
{
    (void) loop;
    const sv_service_control_t *endpoint = (const sv_service_control_t *) arg;
    zmsg_t *msg = zmsg_recv (control);
    if (!msg)
        return 0;
    zframe_t *peer = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    sv_proto_t request = { .id = 0 };
    const char *reason = request.reason;
    if (!peer || !body)
        ;                       //  nobody to answer, or nothing asked
    else
    if (!sv_security_allowed (body))
        reason = "this key may not use the control endpoint";
    else
    if (sv_proto_decode (&request, zframe_data (body), zframe_size (body)) == 0) {
        if (endpoint->handler (&request, peer, endpoint->arg) == 0)
            reason = NULL;
        else
            reason = endpoint->accepts;
    }
    if (peer && body && reason)
        sv_service_refuse (control, peer, 400, reason);
    sv_proto_reset (&request);
    zframe_destroy (&peer);
    zframe_destroy (&body);
    zmsg_destroy (&msg);
    return 0;
}

void
sv_service_reply_status (zsock_t *router, zframe_t *peer, const sv_service_status_t *status)
{
    //  A stream that stalled is a problem of its service, whichever it is:
    //  the caller's problems, then one per stalled consumer
    size_t problems_count = status->problems_count;
    for (size_t index = 0; index < status->consumers_count; index++)
        if (status->consumers [index].stalled && *status->consumers [index].stalled)
            problems_count++;
    sv_proto_problem_t *problems = problems_count?
        (sv_proto_problem_t *) zmalloc (problems_count * sizeof (sv_proto_problem_t)): NULL;
    if (status->problems_count)
        memcpy (problems, status->problems, status->problems_count * sizeof (sv_proto_problem_t));
    size_t added = status->problems_count;
    for (size_t index = 0; index < status->consumers_count; index++) {
        const sv_proto_consumer_offset_t *consumer = &status->consumers [index];
        if (consumer->stalled && *consumer->stalled)
            problems [added++] = (sv_proto_problem_t) {
                .subject = zsys_sprintf ("stream %s", consumer->stream),
                .reason = consumer->stalled
            };
    }
    sv_proto_t reply = { .id = SV_PROTO_STATUS_REPLY };
    reply.status_reply = (sv_proto_status_reply_t) {
        .service = (char *) status->service, .version = (char *) status->version,
        .uptime_ms = (uint64_t) (zclock_mono () - status->started),
        .streams = status->streams, .streams_count = status->streams_count,
        .consumers = status->consumers, .consumers_count = status->consumers_count,
        .counts = status->counts, .counts_count = status->counts_count,
        .problems = problems, .problems_count = problems_count
    };
    sv_service_reply (router, peer, &reply);
    for (size_t index = status->problems_count; index < problems_count; index++)
        zstr_free (&problems [index].subject);
    free (problems);
}

int
sv_service_pipe (zloop_t *loop, zsock_t *pipe, void *arg)
{
    (void) loop;
    (void) arg;
    char *command = zstr_recv (pipe);
    bool terminate = !command || streq (command, "$TERM");
    zstr_free (&command);
    return terminate? -1: 0;
}

//  --------------------------------------------------------------------------
//  Self-test: a control socket answers a peer; a taken endpoint is refused

void
sv_service_test (bool verbose)
{
    if (verbose)
        printf (" * sv_service: ");
    sv_config_t *config = sv_config_new ();
    zsock_t *control = sv_service_control_new (config, "tcp://127.0.0.1:*");
    assert (control);
    char *endpoint = zsock_last_endpoint (control);
    assert (sv_service_control_new (config, endpoint) == NULL);

    zsock_t *client = zsock_new_dealer (endpoint);
    sv_proto_t request = { .id = SV_PROTO_STATUS };
    zframe_t *frame = sv_proto_encode_frame (&request);
    zframe_send (&frame, client, 0);
    zframe_t *peer = zframe_recv (control);
    zframe_t *body = zframe_recv (control);
    assert (peer && body);
    sv_proto_t reply = { .id = SV_PROTO_ERROR };
    reply.error.code = 400;
    reply.error.reason = "only a test";
    sv_service_reply (control, peer, &reply);
    zframe_t *answer = zframe_recv (client);
    sv_proto_t decoded = { .id = 0 };
    assert (answer && sv_proto_decode (&decoded, zframe_data (answer), zframe_size (answer)) == 0);
    assert (decoded.id == SV_PROTO_ERROR && streq (decoded.error.reason, "only a test"));
    sv_proto_reset (&decoded);

    //  A stalled stream is among the problems STATUS lists, after the
    //  service's own
    sv_proto_consumer_offset_t consumers [2] = {
        { .stream = "ingest", .endpoint = "tcp://x:1", .offset = 41, .head_seq = 50, .lag = 9,
          .stalled = "stalled at seq 42: SPEND.amount_pence: required field missing" },
        { .stream = "valuation", .endpoint = "tcp://x:2", .stalled = "" }
    };
    sv_proto_problem_t own = { .subject = "valuation/postcode_lookup", .reason = "none given" };
    sv_service_status_t status = {
        .service = "test", .version = "0", .started = zclock_mono (),
        .consumers = consumers, .consumers_count = 2, .problems = &own, .problems_count = 1
    };
    sv_service_reply_status (control, peer, &status);
    zframe_destroy (&answer);
    answer = zframe_recv (client);
    assert (answer && sv_proto_decode (&decoded, zframe_data (answer), zframe_size (answer)) == 0);
    assert (decoded.id == SV_PROTO_STATUS_REPLY);
    sv_proto_status_reply_t *got = &decoded.status_reply;
    assert (got->problems_count == 2);
    assert (streq (got->problems [0].subject, "valuation/postcode_lookup"));
    assert (streq (got->problems [1].subject, "stream ingest"));
    assert (streq (got->problems [1].reason, consumers [0].stalled));
    assert (streq (got->consumers [0].stalled, consumers [0].stalled));
    assert (streq (got->consumers [1].stalled, ""));
    sv_proto_reset (&decoded);

    //  A peer that has gone costs nothing
    zsock_destroy (&client);
    zclock_sleep (50);
    sv_service_reply (control, peer, &reply);

    zframe_destroy (&answer);
    zframe_destroy (&peer);
    zframe_destroy (&body);
    zstr_free (&endpoint);
    zsock_destroy (&control);
    sv_config_destroy (&config);
    if (verbose)
        printf ("OK\n");
}
