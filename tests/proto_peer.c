/*  =========================================================================
    proto_peer - one side of a conversation between two releases

    Built twice from this one file: with today's codec (common/sv_proto.c)
    as proto_peer, and with the codec of the last released schema
    (proto/generate.py --released) as proto_peer_released. Each sends what
    a producer and a service of its release send, and reads what the other
    sends, so tests/test_proto_releases.sh can show that neither loses
    anything across an upgrade, whichever side is upgraded first.

        proto_peer encode   writes its messages to stdout, each as a 4-byte
                            big-endian length and the encoded bytes
        proto_peer decode   reads such messages from stdin and prints each
                            with sv_proto_print (an EVENTS' bodies too), or
                            "refused: REASON"; exits 1 when any is refused

    The messages hold fields of both releases; a field today's schema added
    is filled only where this build has it (SV_PROTO_VERSION >= 2).
    =========================================================================
*/

#include "sv_proto.h"

//  Writes message to out, length first. 0 or -1.
static int
s_put (const sv_proto_t *message, FILE *out)
{
    zframe_t *frame = sv_proto_encode_frame (message);
    if (!frame)
        return -1;
    size_t size = zframe_size (frame);
    byte length [4] = { (byte) (size >> 24), (byte) (size >> 16), (byte) (size >> 8),
                        (byte) size };
    int rc = fwrite (length, 4, 1, out) == 1
          && fwrite (zframe_data (frame), size, 1, out) == 1? 0: -1;
    zframe_destroy (&frame);
    return rc;
}

static int
s_encode (void)
{
    //  An ingest event, with optional fields set and unset
    sv_proto_t spend = { .id = SV_PROTO_SPEND };
    spend.spend = (sv_proto_spend_t) {
        .partner = "council", .transaction_no = "T1", .line = 1, .payment_date = "2024-05-01",
        .amount_pence = 123456, .supplier_key = "CH:01234567", .postcode = "S60 2TD"
    };
    zframe_t *body = sv_proto_encode_frame (&spend);
    assert (body);

    //  The stream's answer carrying it
    sv_proto_event_t event = {
        .seq = 1, .type = "SPEND", .key = "council/T1/1",
        .body = zframe_data (body), .body_size = zframe_size (body)
    };
    sv_proto_t events = { .id = SV_PROTO_EVENTS };
    events.events = (sv_proto_events_t) {
        .stream = "ingest", .after_seq = 0, .head_seq = 1, .events = &event, .events_count = 1
    };

    //  A service's STATUS, with a stream stalled where this release says so
    sv_proto_consumer_offset_t consumer = {
        .stream = "ingest", .endpoint = "tcp://ingest:7001", .offset = 41, .head_seq = 50,
        .lag = 9
    };
#if SV_PROTO_VERSION >= 2
    consumer.stalled = "stalled at seq 42: SPEND.amount_pence: required field missing";
#endif
    sv_proto_t status = { .id = SV_PROTO_STATUS_REPLY };
    status.status_reply = (sv_proto_status_reply_t) {
        .service = "valuation", .version = "test", .uptime_ms = 5,
        .consumers = &consumer, .consumers_count = 1
    };
    int rc = s_put (&spend, stdout) || s_put (&events, stdout) || s_put (&status, stdout);
    zframe_destroy (&body);
    return rc? 1: 0;
}

//  Decodes size bytes at data and prints the message, or why it was refused
static int
s_print (const byte *data, size_t size)
{
    sv_proto_t message = { .id = 0 };
    if (sv_proto_decode (&message, data, size)) {
        printf ("refused: %s\n", message.reason);
        return -1;
    }
    sv_proto_print (&message, stdout);
    int rc = 0;
    if (message.id == SV_PROTO_EVENTS)
        for (size_t index = 0; index < message.events.events_count; index++)
            rc |= s_print (message.events.events [index].body,
                           message.events.events [index].body_size);
    sv_proto_reset (&message);
    return rc;
}

static int
s_decode (void)
{
    int rc = 0;
    int count = 0;
    byte length [4];
    while (fread (length, 4, 1, stdin) == 1) {
        size_t size = (size_t) length [0] << 24 | (size_t) length [1] << 16
                    | (size_t) length [2] << 8 | length [3];
        byte *data = (byte *) malloc (size? size: 1);
        assert (data);
        if (fread (data, 1, size, stdin) != size) {
            printf ("refused: a message cut short\n");
            rc = -1;
        }
        else
            rc |= s_print (data, size);
        free (data);
        count++;
    }
    printf ("%d messages\n", count);
    return rc || count == 0? 1: 0;
}

int
main (int argc, char *argv [])
{
    zsys_set_logstream (NULL);          //  a refusal is printed, not logged
    if (argc == 2 && streq (argv [1], "encode"))
        return s_encode ();
    if (argc == 2 && streq (argv [1], "decode"))
        return s_decode ();
    fprintf (stderr, "usage: proto_peer encode|decode\n");
    return 2;
}
