/*  fuzz_feed: ingest_feed, the entry every submitted batch goes through,
    on arbitrary bytes, for every kind and format.

    The first input byte chooses the kind and format and where the rest is
    cut into two chunks. Whatever comes in, every good row must be an event
    that encodes and decodes again, with the authenticated partner on it,
    and every rejected row must carry a reason. */

#include <assert.h>
#include <czmq.h>
#include "ingest_feed.h"

static int
s_row (void *arg, const char *natural_key, const sv_proto_t *event)
{
    (void) arg;
    assert (natural_key);
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (event, &buffer) == 0);
    sv_proto_t again = { .id = 0 };
    assert (sv_proto_decode (&again, (const uint8_t *) buffer.data, buffer.size) == 0);
    const char *partner = again.id == SV_PROTO_SPEND? again.spend.partner
                        : again.id == SV_PROTO_SUPPLIER? again.supplier.partner
                        : again.id == SV_PROTO_CONTRACT? again.contract.partner
                        : again.id == SV_PROTO_COMMITMENT? again.commitment.partner
                        : again.id == SV_PROTO_KPI? again.kpi.partner
                        : again.delivery.partner;
    assert (streq (partner, "council"));
    sv_proto_reset (&again);
    msgpack_sbuffer_destroy (&buffer);
    return 0;
}

static void
s_error (void *arg, uint64_t row, const char *column, const char *reason)
{
    (void) arg;
    (void) row;
    assert (column);
    assert (reason && *reason);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *kinds [] = {
        "spend", "suppliers", "contracts", "commitments", "deliveries", "kpis"
    };
    static const char *formats [] = { "csv", "msgpack", "ocds" };
    //  The top selector bytes are the companies kind, so that the seeds
    //  of the others keep their kind
    const char *kind = data [0] >= 250? "companies": kinds [data [0] % 6];
    const char *format = formats [(data [0] / 6) % 3];
    data++, size--;
    const char *reason = NULL;
    ingest_feed_t *feed = ingest_feed_new ("council", "batch", kind, format, NULL, 1 << 20,
                                           s_row, s_error, NULL, &reason);
    if (!feed) {
        assert (reason && *reason);
        return 0;
    }
    size_t cut = size? (size_t) (data [0] * 7919u) % (size + 1): 0;
    int rc = ingest_feed_push (feed, data, cut);
    if (rc == 0)
        rc = ingest_feed_push (feed, data + cut, size - cut);
    if (rc == 0)
        rc = ingest_feed_finish (feed);
    if (rc)
        assert (*ingest_feed_reason (feed));
    ingest_feed_destroy (&feed);
    return 0;
}
