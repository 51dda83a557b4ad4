/*  reporting_replay: the read model at past stream offsets. See
    reporting_replay.h.
*/

#include "reporting_replay.h"
#include "sv_security.h"
#include "sv_stream.h"

const char *const reporting_replay_streams [REPORTING_REPLAY_STREAMS] = {
    "ingest", "valuation", "compliance"
};

//  Events asked for per FETCH
#define S_BATCH 5000

//  Reads stream from its start up to seq at into store, one transaction a
//  batch. Returns NULL, or why at cannot be reached (a fresh string).
static char *
s_replay_stream (sv_config_t *config, reporting_store_t *store, const char *stream,
                 uint64_t at, int timeout_ms)
{
    char key [64];
    snprintf (key, sizeof key, "%s/stream_endpoint", stream);
    const char *endpoint = sv_config_get (config, key);
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (dealer);
    zsock_set_rcvtimeo (dealer, timeout_ms);
    zsock_set_sndtimeo (dealer, timeout_ms);
    zsock_set_linger (dealer, 0);
    zsock_set_maxmsgsize (dealer, (int) sv_config_int (config, "stream/max_message_bytes"));
    char *why = NULL;
    if (sv_security_client (dealer, stream) || zsock_connect (dealer, "%s", endpoint))
        why = zsys_sprintf ("%s=%" PRIu64 ": cannot connect to %s's stream at %s", stream, at,
                            stream, endpoint);
    sv_db_t *db = reporting_store_db (store);
    uint64_t after = 0;
    while (!why && after < at) {
        sv_proto_t fetch = { .id = SV_PROTO_FETCH };
        //  From ingest reporting applies these alone (reporting_server)
        fetch.fetch = (sv_proto_fetch_t) {
            .stream = (char *) stream, .after_seq = after, .max = S_BATCH,
            .types = streq (stream, "ingest")? REPORTING_STORE_INGEST_TYPES: ""
        };
        zframe_t *frame = sv_proto_encode_frame (&fetch);
        if (zframe_send (&frame, dealer, 0)) {
            zframe_destroy (&frame);
            why = zsys_sprintf ("%s=%" PRIu64 ": %s's stream at %s takes no request", stream,
                                at, stream, endpoint);
            break;
        }
        frame = zframe_recv (dealer);
        sv_proto_t reply = { .id = 0 };
        if (!frame || sv_proto_decode_packed (&reply, zframe_data (frame), zframe_size (frame))
        ||  reply.id != SV_PROTO_EVENTS) {
            why = zsys_sprintf ("%s=%" PRIu64 ": %s's stream at %s did not answer within"
                                " %d ms", stream, at, stream, endpoint, timeout_ms);
            sv_proto_reset (&reply);
            zframe_destroy (&frame);
            break;
        }
        const sv_proto_events_t *events = &reply.events;
        uint64_t reached = after;
        int rc = sv_db_begin (db);
        for (size_t index = 0; rc == 0 && index < events->events_count; index++) {
            const sv_proto_event_t *event = &events->events [index];
            if (event->seq > at)
                break;
            rc = reporting_store_apply (store, stream, event);
            reached = event->seq;
        }
        rc = rc || sv_db_commit (db);
        if (rc) {
            sv_db_rollback (db);
            why = zsys_sprintf ("%s=%" PRIu64 ": event %" PRIu64 " of %s cannot be applied"
                                " again", stream, at, reached + 1, stream);
        }
        if (events->scanned_seq > reached)
            reached = events->scanned_seq < at? events->scanned_seq: at;
        if (!why && reached == after && events->head_seq < at)
            why = zsys_sprintf ("%s=%" PRIu64 ": %s's stream now ends at %" PRIu64 ", so it"
                                " can no longer be reached", stream, at, stream,
                                events->head_seq);
        after = reached;
        sv_proto_reset (&reply);
        zframe_destroy (&frame);
    }
    zsock_destroy (&dealer);
    return why;
}

reporting_store_t *
reporting_replay (sv_config_t *config, const char *path, const uint64_t *at, int timeout_ms,
                  char **reason_p)
{
    assert (config && path && at && reason_p);
    *reason_p = NULL;
    const char *reason = NULL;
    reporting_store_t *store = reporting_store_new (path, &reason);
    if (!store) {
        *reason_p = zsys_sprintf ("cannot make a scratch store at %s: %s", path, reason);
        return NULL;
    }
    //  Every stream is tried, so that every offset out of reach is named
    char *why = NULL;
    for (int index = 0; index < REPORTING_REPLAY_STREAMS; index++) {
        char *stream_why = s_replay_stream (config, store, reporting_replay_streams [index],
                                            at [index], timeout_ms);
        if (stream_why) {
            char *joined = zsys_sprintf ("%s%s%s", why? why: "", why? "; ": "", stream_why);
            zstr_free (&why);
            zstr_free (&stream_why);
            why = joined;
        }
    }
    if (why) {
        reporting_store_destroy (&store);
        *reason_p = zsys_sprintf ("cannot rebuild the report at those offsets: %s", why);
        zstr_free (&why);
    }
    return store;
}
