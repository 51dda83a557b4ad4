/*  testkit: what the process tests share. See testkit.h. */

#include "testkit.h"

int
testkit_status (const char *endpoint, int timeout_ms, sv_proto_t *reply)
{
    zsock_t *control = zsock_new_dealer (endpoint);
    zsock_set_rcvtimeo (control, timeout_ms);
    sv_proto_t request = { .id = SV_PROTO_STATUS };
    zframe_t *frame = sv_proto_encode_frame (&request);
    zframe_send (&frame, control, 0);
    frame = zframe_recv (control);
    int rc = frame && sv_proto_decode (reply, zframe_data (frame), zframe_size (frame)) == 0
          && reply->id == SV_PROTO_STATUS_REPLY? 0: -1;
    zframe_destroy (&frame);
    zsock_destroy (&control);
    return rc;
}

int64_t
testkit_count (const char *endpoint, int timeout_ms, const char *name)
{
    sv_proto_t reply = { .id = 0 };
    int64_t rows = -1;
    if (testkit_status (endpoint, timeout_ms, &reply) == 0)
        for (size_t index = 0; index < reply.status_reply.counts_count; index++)
            if (streq (reply.status_reply.counts [index].name, name))
                rows = (int64_t) reply.status_reply.counts [index].rows;
    sv_proto_reset (&reply);
    return rows;
}
