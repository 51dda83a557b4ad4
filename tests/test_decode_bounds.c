/*  =========================================================================
    test_decode_bounds - refusing a hostile message costs almost nothing

    msgpack lets a message declare more than it holds: five bytes can claim
    an array of 2^28 elements or a 4 GB string, and msgpack-c's unpacker
    allocates from those claims. This program proves that sv_proto_decode
    refuses such messages, and malformed messages of every other kind, while
    allocating less than 4096 bytes beyond what was already outstanding, and
    that it still decodes valid messages afterwards, leaking nothing.
    A list is bounded by its elements' shortest valid encoding, not by one
    byte each: a message of empty maps where structs are due is refused
    before anything is allocated for them, and a valid message of the
    shortest elements of every struct decodes in at most SHORTEST_RATIO
    times its own size.

    It measures by replacing malloc, calloc, realloc, free and the aligned
    allocators with wrappers around glibc's own (__libc_malloc...) that add
    up malloc_usable_size of every live block and keep the peak.

    Build (one line):
        gcc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g -O2 -Icommon
            tests/test_decode_bounds.c common/sv_proto.c common/sv_msgpack.c
            -lczmq -lzmq -lmsgpackc -o /tmp/tdb
    Prints one line per check and "N passed, N failed" last; exits 1 on any
    failure.
    =========================================================================
*/

#include "sv_proto.h"
#include "sv_msgpack.h"

#include <errno.h>
#include <malloc.h>

//  Peak extra bytes a refusal may allocate
#define LIMIT 4096

//  Most a valid message may cost to decode, in bytes allocated per byte of
//  message, when every element of its lists is as short as can be: an
//  element's struct and its strings' blocks (24 bytes at least each, for a
//  1-byte "") over its shortest encoding is at most 4 (a column_map: 64
//  bytes for 16)
#define SHORTEST_RATIO 6


//  --------------------------------------------------------------------------
//  Counting allocator

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t count, size_t size);
extern void *__libc_realloc (void *block, size_t size);
extern void *__libc_memalign (size_t alignment, size_t size);
extern void __libc_free (void *block);

//  Bytes in live blocks, and the most there have been since s_peak was
//  last reset. Atomic because libzmq may allocate from its own threads.
static size_t s_current;
static size_t s_peak;

static void
s_count_in (void *block)
{
    if (!block)
        return;
    size_t current = __atomic_add_fetch (&s_current, malloc_usable_size (block),
                                          __ATOMIC_RELAXED);
    size_t peak = __atomic_load_n (&s_peak, __ATOMIC_RELAXED);
    while (current > peak
       && !__atomic_compare_exchange_n (&s_peak, &peak, current, true,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

static void
s_count_out (void *block)
{
    if (block)
        __atomic_sub_fetch (&s_current, malloc_usable_size (block), __ATOMIC_RELAXED);
}

void *
malloc (size_t size)
{
    void *block = __libc_malloc (size);
    s_count_in (block);
    return block;
}

void *
calloc (size_t count, size_t size)
{
    void *block = __libc_calloc (count, size);
    s_count_in (block);
    return block;
}

void *
realloc (void *block, size_t size)
{
    //  Counted as freeing the old block and taking the new one, so a
    //  growing buffer's peak includes both, as it really does
    size_t old_size = block? malloc_usable_size (block): 0;
    void *resized = __libc_realloc (block, size);
    if (resized) {
        __atomic_sub_fetch (&s_current, old_size, __ATOMIC_RELAXED);
        s_count_in (resized);
    }
    else
    if (size == 0)              //  glibc freed the block
        __atomic_sub_fetch (&s_current, old_size, __ATOMIC_RELAXED);
    return resized;
}

void
free (void *block)
{
    s_count_out (block);
    __libc_free (block);
}

void *
memalign (size_t alignment, size_t size)
{
    void *block = __libc_memalign (alignment, size);
    s_count_in (block);
    return block;
}

void *
aligned_alloc (size_t alignment, size_t size)
{
    return memalign (alignment, size);
}

int
posix_memalign (void **block_p, size_t alignment, size_t size)
{
    if (alignment < sizeof (void *) || (alignment & (alignment - 1)))
        return EINVAL;
    void *block = memalign (alignment, size);
    if (!block)
        return ENOMEM;
    *block_p = block;
    return 0;
}

static size_t
s_outstanding (void)
{
    return __atomic_load_n (&s_current, __ATOMIC_RELAXED);
}

//  Starts measuring a peak from what is outstanding now
static size_t
s_measure_from_here (void)
{
    size_t now = s_outstanding ();
    __atomic_store_n (&s_peak, now, __ATOMIC_RELAXED);
    return now;
}

static size_t
s_peak_since (size_t start)
{
    return __atomic_load_n (&s_peak, __ATOMIC_RELAXED) - start;
}


//  --------------------------------------------------------------------------
//  Checks

static int s_passed;
static int s_failed;

static void
s_report (bool ok, const char *what, const char *format, ...) __attribute__ ((format (printf, 3, 4)));

static void
s_report (bool ok, const char *what, const char *format, ...)
{
    printf ("%s  %s: ", ok? "ok  ": "FAIL", what);
    va_list args;
    va_start (args, format);
    vprintf (format, args);
    va_end (args);
    printf ("\n");
    if (ok)
        s_passed++;
    else
        s_failed++;
}

//  Decodes data, which must be refused. Returns true when it was, with id 0,
//  a reason, a peak of extra allocation under LIMIT, and nothing left
//  allocated; fills *extra_p with that peak and reason with the reason.
static bool
s_refused_cheaply (const uint8_t *data, size_t size, size_t *extra_p, char *reason)
{
    sv_proto_t message = { 0 };
    size_t start = s_measure_from_here ();
    int rc = sv_proto_decode (&message, data, size);
    size_t extra = s_peak_since (start);
    size_t left = s_outstanding () - start;
    *extra_p = extra;
    memcpy (reason, message.reason, sizeof (message.reason));
    return rc == -1 && message.id == 0 && message.reason [0] && extra < LIMIT && left == 0;
}

static void
s_expect_refused (const char *what, const uint8_t *data, size_t size)
{
    size_t extra;
    char reason [sizeof (((sv_proto_t *) 0)->reason)];
    bool ok = s_refused_cheaply (data, size, &extra, reason);
    s_report (ok, what, "refused, peak +%zu bytes: %s", extra, reason [0]? reason: "(no reason)");
}

static void
s_expect_refused_buffer (const char *what, msgpack_sbuffer *buffer)
{
    s_expect_refused (what, (const uint8_t *) buffer->data, buffer->size);
    msgpack_sbuffer_clear (buffer);
}

//  Packing helpers for hand-built messages; each returns 0 or -1
static int
s_key (msgpack_packer *pk, const char *key)
{
    return msgpack_pack_str (pk, strlen (key)) || msgpack_pack_str_body (pk, key, strlen (key));
}

static int
s_str (msgpack_packer *pk, const char *key, const char *value)
{
    return s_key (pk, key) || s_key (pk, value);
}

static int
s_uint (msgpack_packer *pk, const char *key, uint64_t value)
{
    return s_key (pk, key) || msgpack_pack_uint64 (pk, value);
}

//  The map header, "v" and "id" of a message with fields more entries
static int
s_begin (msgpack_packer *pk, size_t fields, uint64_t version, const char *name)
{
    return msgpack_pack_map (pk, fields + 2) || s_uint (pk, "v", version) || s_str (pk, "id", name);
}

//  Encodes an EVENTS message of count events, each carrying an encoded
//  SUPPLIER as its body, into buffer
static void
s_events_message (msgpack_sbuffer *buffer, size_t count)
{
    sv_proto_t supplier = { .id = SV_PROTO_SUPPLIER };
    supplier.supplier.partner = "council";
    supplier.supplier.supplier_key = "ch:01234567";
    supplier.supplier.name = "Acme Cleaning Ltd";
    supplier.supplier.postcode = "M1 1AA";
    supplier.supplier.sme = true;
    msgpack_sbuffer body;
    msgpack_sbuffer_init (&body);
    int rc = sv_proto_encode (&supplier, &body);
    assert (rc == 0);

    sv_proto_event_t *events = calloc (count, sizeof (sv_proto_event_t));
    char (*keys) [32] = calloc (count, sizeof (*keys));
    assert (events && keys);
    for (size_t index = 0; index < count; index++) {
        snprintf (keys [index], sizeof (keys [index]), "supplier-%zu", index);
        events [index].seq = 1000 + index;
        events [index].type = "SUPPLIER";
        events [index].key = keys [index];
        events [index].body = (uint8_t *) body.data;
        events [index].body_size = body.size;
    }
    sv_proto_t message = { .id = SV_PROTO_EVENTS };
    message.events.stream = "ingest";
    message.events.after_seq = 999;
    message.events.head_seq = 1000 + count;
    message.events.events = events;
    message.events.events_count = count;
    rc = sv_proto_encode (&message, buffer);
    assert (rc == 0);
    free (events);
    free (keys);
    msgpack_sbuffer_destroy (&body);
}

//  Decodes the message encoded in buffer, which must succeed with every
//  list holding count elements, costing at most SHORTEST_RATIO times its
//  size and leaving nothing allocated after reset
static void
s_expect_decoded_cheaply (const char *what, msgpack_sbuffer *buffer, size_t count)
{
    sv_proto_t message = { 0 };
    size_t start = s_measure_from_here ();
    int rc = sv_proto_decode (&message, (const uint8_t *) buffer->data, buffer->size);
    size_t extra = s_peak_since (start);
    bool counted = false;
    switch (message.id) {
        case SV_PROTO_RECEIPT:
            counted = message.receipt.errors_count == count
                   && message.receipt.warnings_count == count
                   && message.receipt.columns_count == count;
            break;
        case SV_PROTO_EVENTS:
            counted = message.events.events_count == count;
            break;
        case SV_PROTO_STATUS_REPLY:
            counted = message.status_reply.streams_count == count
                   && message.status_reply.consumers_count == count
                   && message.status_reply.counts_count == count
                   && message.status_reply.problems_count == count;
            break;
        case SV_PROTO_REPORT_READY:
            counted = message.report_ready.offsets_count == count
                   && message.report_ready.files_count == count;
            break;
        case SV_PROTO_FRAMEWORKS:
            counted = message.frameworks.errors_count == count
                   && message.frameworks.frameworks_count == count;
            break;
        default:
            break;
    }
    char reason [sizeof (message.reason)];
    memcpy (reason, message.reason, sizeof (reason));
    sv_proto_reset (&message);
    size_t left = s_outstanding () - start;
    s_report (rc == 0 && counted && extra <= SHORTEST_RATIO * buffer->size && left == 0, what,
              "peak +%zu bytes for a %zu-byte message (%.1f per byte), %zu left%s%s",
              extra, buffer->size, (double) extra / (double) buffer->size, left,
              rc? ": ": "", rc? reason: "");
    msgpack_sbuffer_clear (buffer);
}

//  Every struct of the schema, as the elements of a list of count elements
//  each at its shortest (every field at its default, so nothing optional is
//  written and every string is ""): each such message decodes, and cheaply
static void
s_test_shortest_elements (msgpack_sbuffer *buffer, size_t count)
{
    sv_proto_row_error_t *row_errors = calloc (count, sizeof (sv_proto_row_error_t));
    sv_proto_column_map_t *columns = calloc (count, sizeof (sv_proto_column_map_t));
    sv_proto_event_t *events = calloc (count, sizeof (sv_proto_event_t));
    sv_proto_stream_head_t *heads = calloc (count, sizeof (sv_proto_stream_head_t));
    sv_proto_consumer_offset_t *consumers = calloc (count, sizeof (sv_proto_consumer_offset_t));
    sv_proto_row_count_t *counts = calloc (count, sizeof (sv_proto_row_count_t));
    sv_proto_problem_t *problems = calloc (count, sizeof (sv_proto_problem_t));
    sv_proto_report_file_t *files = calloc (count, sizeof (sv_proto_report_file_t));
    sv_proto_framework_info_t *frameworks = calloc (count, sizeof (sv_proto_framework_info_t));
    assert (row_errors && columns && events && heads && consumers && counts && problems
         && files && frameworks);

    sv_proto_t message = { .id = SV_PROTO_RECEIPT };
    message.receipt = (sv_proto_receipt_t) {
        .errors = row_errors, .errors_count = count, .warnings = row_errors,
        .warnings_count = count, .columns = columns, .columns_count = count };
    int rc = sv_proto_encode (&message, buffer);
    assert (rc == 0);
    s_expect_decoded_cheaply ("a RECEIPT of the shortest row_errors and column_maps", buffer,
                              count);

    message = (sv_proto_t) { .id = SV_PROTO_EVENTS };
    message.events = (sv_proto_events_t) { .events = events, .events_count = count };
    rc = sv_proto_encode (&message, buffer);
    assert (rc == 0);
    s_expect_decoded_cheaply ("an EVENTS of the shortest events", buffer, count);

    message = (sv_proto_t) { .id = SV_PROTO_STATUS_REPLY };
    message.status_reply = (sv_proto_status_reply_t) {
        .streams = heads, .streams_count = count, .consumers = consumers,
        .consumers_count = count, .counts = counts, .counts_count = count,
        .problems = problems, .problems_count = count };
    rc = sv_proto_encode (&message, buffer);
    assert (rc == 0);
    s_expect_decoded_cheaply ("a STATUS_REPLY of the shortest stream_heads, consumer_offsets,"
                              " row_counts and problems", buffer, count);

    message = (sv_proto_t) { .id = SV_PROTO_REPORT_READY };
    message.report_ready = (sv_proto_report_ready_t) {
        .offsets = heads, .offsets_count = count, .files = files, .files_count = count };
    rc = sv_proto_encode (&message, buffer);
    assert (rc == 0);
    s_expect_decoded_cheaply ("a REPORT_READY of the shortest stream_heads and report_files",
                              buffer, count);

    message = (sv_proto_t) { .id = SV_PROTO_FRAMEWORKS };
    message.frameworks = (sv_proto_frameworks_t) {
        .errors = row_errors, .errors_count = count, .frameworks = frameworks,
        .frameworks_count = count };
    rc = sv_proto_encode (&message, buffer);
    assert (rc == 0);
    s_expect_decoded_cheaply ("a FRAMEWORKS of the shortest row_errors and framework_infos",
                              buffer, count);

    free (row_errors);
    free (columns);
    free (events);
    free (heads);
    free (consumers);
    free (counts);
    free (problems);
    free (files);
    free (frameworks);
}

//  A STATUS_REPLY whose list named list declares count elements, and holds
//  them as empty maps: valid msgpack, one byte per element, and refused
static void
s_test_empty_maps (msgpack_sbuffer *buffer, const char *list, size_t count)
{
    msgpack_packer pk;
    msgpack_packer_init (&pk, buffer, msgpack_sbuffer_write);
    int rc = s_begin (&pk, 6, SV_PROTO_VERSION, "STATUS_REPLY")
          || s_str (&pk, "service", "ingest")
          || s_str (&pk, "version", "1")
          || s_uint (&pk, "uptime_ms", 1);
    const char *lists [] = { "streams", "consumers", "counts" };
    for (size_t index = 0; index < 3; index++)
        if (!streq (lists [index], list))
            rc = rc || s_key (&pk, lists [index]) || msgpack_pack_array (&pk, 0);
    rc = rc || s_key (&pk, list) || msgpack_pack_array (&pk, (uint32_t) count);
    assert (rc == 0);
    char *empty_maps = malloc (count);
    assert (empty_maps);
    memset (empty_maps, 0x80, count);
    msgpack_sbuffer_write (buffer, empty_maps, count);
    free (empty_maps);
    char what [100];
    snprintf (what, sizeof (what), "a %zu-byte STATUS_REPLY whose %s are %zu empty maps",
              buffer->size, list, count);
    s_expect_refused_buffer (what, buffer);
}

int
main (void)
{
    //  Refusals log warnings; the reasons are printed here instead. Starting
    //  CZMQ now keeps its one-off setup out of the first measurement.
    zsys_init ();
    zsys_set_logstream (NULL);
    sv_proto_t warm_up = { 0 };
    sv_proto_decode (&warm_up, (const uint8_t *) "\xc1", 1);

    //  Five bytes that declare gigabytes
    s_expect_refused ("dd 10 00 00 00, an array of 2^28 elements in 5 bytes",
                      (const uint8_t *) "\xdd\x10\x00\x00\x00", 5);
    s_expect_refused ("df ff ff ff ff, a map of 2^32-1 entries in 5 bytes",
                      (const uint8_t *) "\xdf\xff\xff\xff\xff", 5);
    s_expect_refused ("db ff ff ff ff, a 4 GB string in 5 bytes",
                      (const uint8_t *) "\xdb\xff\xff\xff\xff", 5);
    s_expect_refused ("c6 ff ff ff ff, a 4 GB bin in 5 bytes",
                      (const uint8_t *) "\xc6\xff\xff\xff\xff", 5);
    s_expect_refused ("dd ff ff ff ff c0, an array of 2^32-1 elements holding one",
                      (const uint8_t *) "\xdd\xff\xff\xff\xff\xc0", 6);
    s_expect_refused ("c9 ff ff ff ff 01, a 4 GB ext in 6 bytes",
                      (const uint8_t *) "\xc9\xff\xff\xff\xff\x01", 6);

    //  Every truncation of a valid EVENTS message of 100 events
    msgpack_sbuffer events;
    msgpack_sbuffer_init (&events);
    s_events_message (&events, 100);
    size_t worst = 0;
    size_t failures = 0;
    size_t first_failure = 0;
    for (size_t size = 0; size < events.size; size++) {
        size_t extra;
        char reason [160];
        if (!s_refused_cheaply ((const uint8_t *) events.data, size, &extra, reason)) {
            if (failures++ == 0)
                first_failure = size;
        }
        if (extra > worst)
            worst = extra;
    }
    char what [100];
    snprintf (what, sizeof (what), "every truncation of a %zu-byte EVENTS of 100 events",
              events.size);
    if (failures)
        s_report (false, what, "%zu not refused cheaply, the first at %zu bytes",
                  failures, first_failure);
    else
        s_report (true, what, "all %zu refused, worst peak +%zu bytes", events.size, worst);

    //  Oversized declared maps, at the top and inside a message
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer pk;
    msgpack_packer_init (&pk, &buffer, msgpack_sbuffer_write);
    s_expect_refused ("de ff ff c0 c0, a map of 65535 entries holding one",
                      (const uint8_t *) "\xde\xff\xff\xc0\xc0", 5);
    s_expect_refused ("df 7f ff ff ff + FETCH, a map of 2^31 entries holding five",
                      (const uint8_t *) "\xdf\x7f\xff\xff\xff"
                      "\xa1" "v" "\x01" "\xa2" "id" "\xa5" "FETCH", 16);
    int rc = s_begin (&pk, 3, SV_PROTO_VERSION, "FETCH")
          || s_str (&pk, "stream", "ingest")
          || s_uint (&pk, "after_seq", 0);
    assert (rc == 0);
    s_expect_refused_buffer ("a FETCH map declaring one entry more than it has", &buffer);
    rc = s_begin (&pk, 4, SV_PROTO_VERSION, "EVENTS")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 0)
      || s_uint (&pk, "head_seq", 1)
      || s_key (&pk, "events")
      || msgpack_pack_array (&pk, 1);
    assert (rc == 0);
    msgpack_sbuffer_write (&buffer, "\xde\xff\xff", 3);
    s_expect_refused_buffer ("an EVENTS whose one event declares a map of 65535 entries",
                             &buffer);
    rc = s_begin (&pk, 4, SV_PROTO_VERSION, "EVENTS")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 0)
      || s_uint (&pk, "head_seq", 1)
      || s_key (&pk, "events");
    assert (rc == 0);
    msgpack_sbuffer_write (&buffer, "\xdd\xff\xff\xff\xff\x80", 6);
    s_expect_refused_buffer ("an EVENTS whose events declare 2^32-1 elements holding one",
                             &buffer);

    //  Lists bounded by their elements' shortest valid encoding: 4M empty
    //  maps in 4 MB once made the decoder calloc 160 MB of consumer_offsets
    //  (sizeof 40) before refusing the first of them
    s_test_empty_maps (&buffer, "consumers", 4 << 20);
    s_test_empty_maps (&buffer, "streams", 4 << 20);
    s_test_shortest_elements (&buffer, 20000);

    //  Wrongly typed and otherwise wrong messages
    rc = s_begin (&pk, 3, SV_PROTO_VERSION, "FETCH")
      || s_str (&pk, "stream", "ingest")
      || s_str (&pk, "after_seq", "41")
      || s_uint (&pk, "max", 100);
    assert (rc == 0);
    s_expect_refused_buffer ("FETCH whose after_seq is a string", &buffer);
    rc = s_begin (&pk, 3, SV_PROTO_VERSION, "FETCH")
      || s_str (&pk, "stream", "ingest")
      || s_key (&pk, "after_seq") || msgpack_pack_int64 (&pk, -41)
      || s_uint (&pk, "max", 100);
    assert (rc == 0);
    s_expect_refused_buffer ("FETCH whose after_seq is negative", &buffer);
    rc = s_begin (&pk, 2, SV_PROTO_VERSION, "FETCH")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 41);
    assert (rc == 0);
    s_expect_refused_buffer ("FETCH missing its required max", &buffer);
    rc = s_begin (&pk, 3, SV_PROTO_VERSION, "FETCH_ALL")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 41)
      || s_uint (&pk, "max", 100);
    assert (rc == 0);
    s_expect_refused_buffer ("an unknown message id", &buffer);
    rc = s_begin (&pk, 3, SV_PROTO_VERSION + 1, "FETCH")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 41)
      || s_uint (&pk, "max", 100);
    assert (rc == 0);
    s_expect_refused_buffer ("a FETCH of another protocol version", &buffer);
    rc = s_begin (&pk, 3, SV_PROTO_VERSION, "FETCH")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 41)
      || s_uint (&pk, "max", 100)
      || msgpack_pack_nil (&pk);
    assert (rc == 0);
    s_expect_refused_buffer ("a valid FETCH followed by a trailing byte", &buffer);
    rc = s_begin (&pk, 3, SV_PROTO_VERSION, "CONTRACT")
      || s_str (&pk, "partner", "council")
      || s_str (&pk, "contract_id", "C-1")
      || s_uint (&pk, "value_pence", (uint64_t) INT64_MAX + 1);
    assert (rc == 0);
    s_expect_refused_buffer ("CONTRACT whose value_pence is beyond int64", &buffer);
    rc = msgpack_pack_array (&pk, 2) || msgpack_pack_uint8 (&pk, 1) || s_key (&pk, "FETCH");
    assert (rc == 0);
    s_expect_refused_buffer ("an array instead of a map", &buffer);
    rc = s_begin (&pk, 4, SV_PROTO_VERSION, "EVENTS")
      || s_str (&pk, "stream", "ingest")
      || s_uint (&pk, "after_seq", 0)
      || s_uint (&pk, "head_seq", 1)
      || s_key (&pk, "events")
      || msgpack_pack_array (&pk, 1) || s_key (&pk, "a string where an event map is due");
    assert (rc == 0);
    s_expect_refused_buffer ("an EVENTS whose event is a string", &buffer);

    //  A big message wrong only at its very end is refused too, leaving
    //  nothing allocated; what it costs is bounded by its size
    msgpack_sbuffer_write (&buffer, events.data, events.size);
    char *last_seq = memmem (buffer.data, buffer.size, "\xa3" "seq" "\xcd\x04\x4b", 7);
    assert (last_seq);          //  the last event's seq, 1099 as uint16...
    memcpy (last_seq + 4, "\xa2" "xx", 3);  //  ...becomes a string of the same size
    sv_proto_t message = { 0 };
    size_t start = s_measure_from_here ();
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    size_t extra = s_peak_since (start);
    size_t left = s_outstanding () - start;
    s_report (rc == -1 && left == 0 && extra < 8 * buffer.size,
              "a 100-event EVENTS whose last seq is a string",
              "refused, peak +%zu bytes for a %zu-byte message, %zu left: %s",
              extra, buffer.size, left, message.reason);
    msgpack_sbuffer_clear (&buffer);

    //  Valid messages still decode after all that, and reset frees all
    start = s_measure_from_here ();
    rc = sv_proto_decode (&message, (const uint8_t *) events.data, events.size);
    bool ok = rc == 0
           && message.id == SV_PROTO_EVENTS
           && streq (message.events.stream, "ingest")
           && message.events.after_seq == 999
           && message.events.head_seq == 1100
           && message.events.events_count == 100
           && message.events.events [99].seq == 1099
           && streq (message.events.events [99].key, "supplier-99");
    sv_proto_t supplier = { 0 };
    if (ok) {
        const sv_proto_event_t *event = &message.events.events [42];
        rc = sv_proto_decode (&supplier, event->body, event->body_size);
        ok = rc == 0 && supplier.id == SV_PROTO_SUPPLIER
          && streq (supplier.supplier.name, "Acme Cleaning Ltd")
          && supplier.supplier.sme && streq (supplier.supplier.vat, "");
    }
    size_t peak = s_peak_since (start);
    sv_proto_reset (&supplier);
    sv_proto_reset (&message);
    left = s_outstanding () - start;
    s_report (ok && left == 0, "the 100-event EVENTS itself, and an event's SUPPLIER body",
              "decoded, peak +%zu bytes, %zu left after reset", peak, left);

    rc = s_begin (&pk, 3, SV_PROTO_VERSION, "FETCH")
      || s_str (&pk, "stream", "valuation")
      || s_uint (&pk, "after_seq", 41)
      || s_uint (&pk, "max", 100);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    ok = rc == 0 && message.id == SV_PROTO_FETCH && streq (message.fetch.stream, "valuation")
      && message.fetch.after_seq == 41 && message.fetch.max == 100;
    s_report (ok, "a valid FETCH", "decoded%s%s", ok? "": ": ", ok? "": message.reason);
    sv_proto_reset (&message);

    msgpack_sbuffer_destroy (&buffer);
    msgpack_sbuffer_destroy (&events);
    printf ("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed? 1: 0;
}
