/*  =========================================================================
    fuzz_proto - libFuzzer target for sv_proto_decode

    Feeds arbitrary bytes to sv_proto_decode and sv_proto_decode_packed.
    Both must agree: a refusal by each, as -1 with id 0, a reason and (packed)
    no block left; or the same message, encoding to the same bytes. An accepted message must have passed
    sv_msgpack_check, and must survive a round trip: encoded again it
    decodes, to a message that encodes to the same bytes (encoding is
    deterministic and writes every field, so equal bytes mean equal
    messages). The body of every event in an EVENTS is itself a message and
    is decoded the same way, and every decoded message is printed.

    Build and run (from the repository root):
        clang -g -O1 -fsanitize=fuzzer,address -Icommon tests/fuzz/fuzz_proto.c
            common/sv_proto.c common/sv_msgpack.c -lczmq -lzmq -lmsgpackc
            -o /tmp/fuzz_proto
        /tmp/fuzz_proto -max_total_time=60 CORPUS_DIR
    =========================================================================
*/

#include "sv_proto.h"
#include "sv_msgpack.h"

#include <stdlib.h>
#include <string.h>

static FILE *s_sink;            //  sv_proto_print writes here

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    zsys_init ();
    zsys_set_logstream (NULL);  //  every refusal logs a warning
    s_sink = fopen ("/dev/null", "w");
    return s_sink? 0: -1;
}

//  Decodes data packed too: refused alike, or read to the same bytes
static void
s_packed_agrees (const sv_proto_t *message, int rc, const uint8_t *data, size_t size)
{
    sv_proto_t packed = { 0 };
    int packed_rc = sv_proto_decode_packed (&packed, data, size);
    if (packed_rc != rc)
        abort ();
    if (packed_rc) {
        if (packed.id != 0 || packed.reason [0] == 0 || packed.arena)
            abort ();
        return;
    }
    msgpack_sbuffer owned, borrowed;
    msgpack_sbuffer_init (&owned);
    msgpack_sbuffer_init (&borrowed);
    if (sv_proto_encode (message, &owned) || sv_proto_encode (&packed, &borrowed)
    ||  owned.size != borrowed.size || memcmp (owned.data, borrowed.data, owned.size) != 0)
        abort ();
    msgpack_sbuffer_destroy (&owned);
    msgpack_sbuffer_destroy (&borrowed);
    sv_proto_reset (&packed);
}

//  Decodes data; on success checks the round trip and returns true with
//  message filled, which the caller resets
static bool
s_decode_and_round_trip (sv_proto_t *message, const uint8_t *data, size_t size)
{
    int rc = sv_proto_decode (message, data, size);
    s_packed_agrees (message, rc, data, size);
    if (rc) {
        if (message->id != 0 || message->reason [0] == 0)
            abort ();
        return false;
    }
    if (message->reason [0] != 0
    ||  sv_msgpack_check (data, size, SV_MSGPACK_MAX_DEPTH, NULL) != 0)
        abort ();
    sv_proto_print (message, s_sink);

    msgpack_sbuffer first, second;
    msgpack_sbuffer_init (&first);
    msgpack_sbuffer_init (&second);
    sv_proto_t copy = { 0 };
    if (sv_proto_encode (message, &first)
    ||  sv_proto_decode (&copy, (const uint8_t *) first.data, first.size)
    ||  copy.id != message->id
    ||  sv_proto_encode (&copy, &second)
    ||  first.size != second.size
    ||  memcmp (first.data, second.data, first.size) != 0)
        abort ();
    sv_proto_reset (&copy);
    msgpack_sbuffer_destroy (&first);
    msgpack_sbuffer_destroy (&second);
    return true;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    sv_proto_t message = { 0 };
    if (!s_decode_and_round_trip (&message, data, size))
        return 0;
    if (message.id == SV_PROTO_EVENTS) {
        for (size_t index = 0; index < message.events.events_count; index++) {
            const sv_proto_event_t *event = &message.events.events [index];
            sv_proto_t body = { 0 };
            if (s_decode_and_round_trip (&body, event->body, event->body_size))
                sv_proto_reset (&body);
        }
    }
    sv_proto_reset (&message);
    return 0;
}
