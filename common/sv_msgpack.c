/*  =========================================================================
    sv_msgpack - bounded reading of untrusted msgpack

    Every msgpack item starts with a type byte. Some carry their value in
    that byte (fixint, nil, bool); the rest are followed by a big-endian
    argument of 1, 2, 4 or 8 bytes: the value of a number, the length of a
    str/bin/ext payload, or the count of an array/map. An ext item has one
    more byte, its type, before the payload.

    The danger in untrusted msgpack is the declared lengths and counts: the
    reader refuses any the remaining bytes cannot hold, and the check adds
    up what every open container still expects, so nothing a message
    declares can exceed its own size.
    =========================================================================
*/

#include "sv_msgpack.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static int
s_fail (sv_msgpack_reader_t *self, const char *reason)
{
    self->reason = reason;
    return -1;
}

//  Big-endian unsigned integer of width bytes (0 to 8)
static uint64_t
s_big_endian (const uint8_t *bytes, size_t width)
{
    uint64_t value = 0;
    for (size_t index = 0; index < width; index++)
        value = (value << 8) | bytes [index];
    return value;
}

//  Sign-extends the low width bytes of value
static int64_t
s_signed (uint64_t value, size_t width)
{
    switch (width) {
        case 1:  return (int8_t) value;
        case 2:  return (int16_t) value;
        case 4:  return (int32_t) value;
        default: return (int64_t) value;
    }
}


//  --------------------------------------------------------------------------
//  Reader

void
sv_msgpack_reader_init (sv_msgpack_reader_t *self, const uint8_t *data, size_t size)
{
    assert (self);
    self->cursor = data;
    self->limit = data ? data + size : data;
    self->reason = NULL;
}

size_t
sv_msgpack_reader_remaining (const sv_msgpack_reader_t *self)
{
    return (size_t) (self->limit - self->cursor);
}

//  How the bytes after the type byte are to be read
typedef enum {
    S_NONE,                     //  nothing follows: the type byte is the item
    S_NUMBER,                   //  the argument is the value
    S_PAYLOAD,                  //  the argument is a payload length (str/bin/ext)
    S_CONTAINER                 //  the argument is an element or entry count
} s_shape_t;

int
sv_msgpack_read (sv_msgpack_reader_t *self, sv_msgpack_item_t *item)
{
    assert (self);
    assert (item);
    memset (item, 0, sizeof (*item));
    size_t remaining = sv_msgpack_reader_remaining (self);
    if (remaining == 0)
        return s_fail (self, "truncated");

    const uint8_t *start = self->cursor;
    uint8_t byte = start [0];
    s_shape_t shape = S_NONE;
    size_t width = 0;           //  bytes of argument after the type byte
    uint64_t argument = 0;      //  the value, length or count; fix forms hold it in byte

    if (byte <= 0x7f) {
        item->type = SV_MSGPACK_UINT;
        item->uint = byte;
    }
    else
    if (byte <= 0x9f) {
        item->type = byte <= 0x8f? SV_MSGPACK_MAP: SV_MSGPACK_ARRAY;
        shape = S_CONTAINER;
        argument = byte & 0x0f;
    }
    else
    if (byte <= 0xbf) {
        item->type = SV_MSGPACK_STR;
        shape = S_PAYLOAD;
        argument = byte & 0x1f;
    }
    else
    if (byte >= 0xe0) {
        item->type = SV_MSGPACK_INT;
        item->sint = (int8_t) byte;
    }
    else
    switch (byte) {
        case 0xc0:
            item->type = SV_MSGPACK_NIL;
            break;
        case 0xc1:
            return s_fail (self, "reserved byte 0xc1");
        case 0xc2: case 0xc3:
            item->type = SV_MSGPACK_BOOL;
            item->boolean = byte == 0xc3;
            break;
        case 0xc4: case 0xc5: case 0xc6:
            item->type = SV_MSGPACK_BIN;
            shape = S_PAYLOAD;
            width = (size_t) 1 << (byte - 0xc4);
            break;
        case 0xc7: case 0xc8: case 0xc9:
            item->type = SV_MSGPACK_EXT;
            shape = S_PAYLOAD;
            width = (size_t) 1 << (byte - 0xc7);
            break;
        case 0xca: case 0xcb:
            item->type = SV_MSGPACK_FLOAT;
            shape = S_NUMBER;
            width = byte == 0xca? 4: 8;
            break;
        case 0xcc: case 0xcd: case 0xce: case 0xcf:
            item->type = SV_MSGPACK_UINT;
            shape = S_NUMBER;
            width = (size_t) 1 << (byte - 0xcc);
            break;
        case 0xd0: case 0xd1: case 0xd2: case 0xd3:
            item->type = SV_MSGPACK_INT;
            shape = S_NUMBER;
            width = (size_t) 1 << (byte - 0xd0);
            break;
        case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
            //  fixext: the payload length is in the type byte
            item->type = SV_MSGPACK_EXT;
            shape = S_PAYLOAD;
            argument = (uint64_t) 1 << (byte - 0xd4);
            break;
        case 0xd9: case 0xda: case 0xdb:
            item->type = SV_MSGPACK_STR;
            shape = S_PAYLOAD;
            width = (size_t) 1 << (byte - 0xd9);
            break;
        case 0xdc: case 0xdd:
            item->type = SV_MSGPACK_ARRAY;
            shape = S_CONTAINER;
            width = byte == 0xdc? 2: 4;
            break;
        default:                //  0xde, 0xdf
            item->type = SV_MSGPACK_MAP;
            shape = S_CONTAINER;
            width = byte == 0xde? 2: 4;
            break;
    }
    size_t header = 1 + width + (item->type == SV_MSGPACK_EXT? 1: 0);
    if (remaining < header)
        return s_fail (self, "truncated");
    if (width > 0)
        argument = s_big_endian (start + 1, width);
    remaining -= header;

    if (shape == S_NUMBER) {
        if (item->type == SV_MSGPACK_INT) {
            item->sint = s_signed (argument, width);
            if (item->sint >= 0) {
                item->type = SV_MSGPACK_UINT;
                item->uint = (uint64_t) item->sint;
                item->sint = 0;
            }
        }
        else
        if (item->type == SV_MSGPACK_UINT)
            item->uint = argument;
        else
        if (width == 4) {
            uint32_t bits = (uint32_t) argument;
            float real;
            memcpy (&real, &bits, sizeof (real));
            item->real = real;
        }
        else
            memcpy (&item->real, &argument, sizeof (item->real));
    }
    else
    if (shape == S_PAYLOAD) {
        if (argument > remaining)
            return s_fail (self, "declared length exceeds the message");
        if (item->type == SV_MSGPACK_EXT)
            item->ext_type = (int8_t) start [1 + width];
        item->data = start + header;
        item->size = (uint32_t) argument;
        header += (size_t) argument;
    }
    else
    if (shape == S_CONTAINER) {
        uint64_t needed = item->type == SV_MSGPACK_MAP? 2 * argument: argument;
        if (needed > remaining)
            return s_fail (self, "declared count exceeds the message");
        item->size = (uint32_t) argument;
    }
    self->cursor = start + header;
    return 0;
}

int
sv_msgpack_skip (sv_msgpack_reader_t *self)
{
    assert (self);
    const uint8_t *start = self->cursor;
    uint64_t pending = 1;       //  items still to pass; each read moves at least a byte
    while (pending > 0) {
        sv_msgpack_item_t item;
        if (sv_msgpack_read (self, &item)) {
            self->cursor = start;
            return -1;
        }
        pending--;
        if (item.type == SV_MSGPACK_ARRAY)
            pending += item.size;
        else
        if (item.type == SV_MSGPACK_MAP)
            pending += 2 * (uint64_t) item.size;
    }
    return 0;
}

const char *
sv_msgpack_type_name (sv_msgpack_type_t type)
{
    switch (type) {
        case SV_MSGPACK_NIL:   return "nil";
        case SV_MSGPACK_BOOL:  return "bool";
        case SV_MSGPACK_UINT:  return "uint";
        case SV_MSGPACK_INT:   return "negative int";
        case SV_MSGPACK_FLOAT: return "float";
        case SV_MSGPACK_STR:   return "str";
        case SV_MSGPACK_BIN:   return "bin";
        case SV_MSGPACK_EXT:   return "ext";
        case SV_MSGPACK_ARRAY: return "array";
        case SV_MSGPACK_MAP:   return "map";
    }
    return "?";
}


//  --------------------------------------------------------------------------
//  Check

int
sv_msgpack_check (const uint8_t *data, size_t size, int max_depth, const char **reason_p)
{
    if (max_depth > SV_MSGPACK_MAX_DEPTH)
        max_depth = SV_MSGPACK_MAX_DEPTH;
    if (max_depth < 0)
        max_depth = 0;

    //  left [d] counts the items the container open at depth d + 1 still
    //  expects, and pending their sum over all open containers. Each of
    //  them needs at least one of the bytes that remain.
    uint64_t left [SV_MSGPACK_MAX_DEPTH];
    uint64_t pending = 0;
    int depth = 0;
    const char *reason = NULL;

    sv_msgpack_reader_t reader;
    sv_msgpack_reader_init (&reader, data, data? size: 0);
    if (sv_msgpack_reader_remaining (&reader) == 0)
        reason = "empty message";

    while (!reason) {
        sv_msgpack_item_t item;
        if (sv_msgpack_read (&reader, &item)) {
            reason = reader.reason;
            break;
        }
        if (depth > 0) {
            left [depth - 1]--;
            pending--;
        }
        if (item.type == SV_MSGPACK_ARRAY || item.type == SV_MSGPACK_MAP) {
            uint64_t items = item.type == SV_MSGPACK_MAP? 2 * (uint64_t) item.size: item.size;
            if (depth == max_depth) {
                reason = max_depth == SV_MSGPACK_MAX_DEPTH? "nesting deeper than 32"
                                                           : "nesting deeper than max_depth";
                break;
            }
            if (pending + items > sv_msgpack_reader_remaining (&reader)) {
                reason = "declared count exceeds the message";
                break;
            }
            left [depth++] = items;
            pending += items;
        }
        while (depth > 0 && left [depth - 1] == 0)
            depth--;
        if (depth == 0)
            break;              //  the top-level object is complete
    }
    if (!reason && sv_msgpack_reader_remaining (&reader) > 0)
        reason = "trailing bytes";
    if (reason_p)
        *reason_p = reason;
    return reason? -1: 0;
}


//  --------------------------------------------------------------------------
//  Self test

//  A byte string literal and its length, NULs included
#define S_BYTES(literal) (const uint8_t *) (literal), sizeof (literal) - 1

//  Checks data and asserts it is refused, for the expected reason if given
static void
s_expect_refused (const uint8_t *data, size_t size, const char *expected, bool verbose)
{
    const char *reason = NULL;
    int rc = sv_msgpack_check (data, size, SV_MSGPACK_MAX_DEPTH, &reason);
    if (verbose)
        printf ("  refused (%zu bytes): %s\n", size, reason? reason: "(accepted!)");
    assert (rc == -1);
    assert (reason);
    assert (!expected || strcmp (reason, expected) == 0);
}

//  Checks data is one valid object and reads its first item into *item
static void
s_expect_valid (const uint8_t *data, size_t size, sv_msgpack_item_t *item)
{
    const char *reason = "not set";
    int rc = sv_msgpack_check (data, size, SV_MSGPACK_MAX_DEPTH, &reason);
    assert (rc == 0);
    assert (reason == NULL);
    sv_msgpack_reader_t reader;
    sv_msgpack_reader_init (&reader, data, size);
    rc = sv_msgpack_read (&reader, item);
    assert (rc == 0);
    //  skip passes the whole object, elements included
    sv_msgpack_reader_init (&reader, data, size);
    rc = sv_msgpack_skip (&reader);
    assert (rc == 0);
    assert (sv_msgpack_reader_remaining (&reader) == 0);
}

void
sv_msgpack_test (bool verbose)
{
    if (verbose)
        printf (" * sv_msgpack: ");
    sv_msgpack_reader_t reader;
    sv_msgpack_item_t item;
    int rc;

    //  Every type byte family is accepted as a whole message and read back
    //  with the right type and size
    struct {
        const uint8_t *data;
        size_t size;
        sv_msgpack_type_t type;
        uint32_t item_size;     //  payload bytes or element count
    } valid [] = {
        { S_BYTES ("\x00"), SV_MSGPACK_UINT, 0 },
        { S_BYTES ("\x7f"), SV_MSGPACK_UINT, 0 },
        { S_BYTES ("\x80"), SV_MSGPACK_MAP, 0 },
        { S_BYTES ("\x81\x01\x02"), SV_MSGPACK_MAP, 1 },
        { S_BYTES ("\x90"), SV_MSGPACK_ARRAY, 0 },
        { S_BYTES ("\x92\x01\x02"), SV_MSGPACK_ARRAY, 2 },
        { S_BYTES ("\xa0"), SV_MSGPACK_STR, 0 },
        { S_BYTES ("\xa3" "abc"), SV_MSGPACK_STR, 3 },
        { S_BYTES ("\xc0"), SV_MSGPACK_NIL, 0 },
        { S_BYTES ("\xc2"), SV_MSGPACK_BOOL, 0 },
        { S_BYTES ("\xc3"), SV_MSGPACK_BOOL, 0 },
        { S_BYTES ("\xc4\x02\x00\xff"), SV_MSGPACK_BIN, 2 },
        { S_BYTES ("\xc5\x00\x01" "x"), SV_MSGPACK_BIN, 1 },
        { S_BYTES ("\xc6\x00\x00\x00\x01" "x"), SV_MSGPACK_BIN, 1 },
        { S_BYTES ("\xc7\x01\x05" "x"), SV_MSGPACK_EXT, 1 },
        { S_BYTES ("\xc8\x00\x01\x05" "x"), SV_MSGPACK_EXT, 1 },
        { S_BYTES ("\xc9\x00\x00\x00\x01\x05" "x"), SV_MSGPACK_EXT, 1 },
        { S_BYTES ("\xca\x3f\x80\x00\x00"), SV_MSGPACK_FLOAT, 0 },
        { S_BYTES ("\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00"), SV_MSGPACK_FLOAT, 0 },
        { S_BYTES ("\xcc\xff"), SV_MSGPACK_UINT, 0 },
        { S_BYTES ("\xcd\xff\xff"), SV_MSGPACK_UINT, 0 },
        { S_BYTES ("\xce\xff\xff\xff\xff"), SV_MSGPACK_UINT, 0 },
        { S_BYTES ("\xcf\xff\xff\xff\xff\xff\xff\xff\xff"), SV_MSGPACK_UINT, 0 },
        { S_BYTES ("\xd0\x80"), SV_MSGPACK_INT, 0 },
        { S_BYTES ("\xd1\x80\x00"), SV_MSGPACK_INT, 0 },
        { S_BYTES ("\xd2\x80\x00\x00\x00"), SV_MSGPACK_INT, 0 },
        { S_BYTES ("\xd3\x80\x00\x00\x00\x00\x00\x00\x00"), SV_MSGPACK_INT, 0 },
        { S_BYTES ("\xd4\x01" "a"), SV_MSGPACK_EXT, 1 },
        { S_BYTES ("\xd5\x01" "ab"), SV_MSGPACK_EXT, 2 },
        { S_BYTES ("\xd6\x01" "abcd"), SV_MSGPACK_EXT, 4 },
        { S_BYTES ("\xd7\x01" "abcdefgh"), SV_MSGPACK_EXT, 8 },
        { S_BYTES ("\xd8\x01" "abcdefghijklmnop"), SV_MSGPACK_EXT, 16 },
        { S_BYTES ("\xd9\x01" "x"), SV_MSGPACK_STR, 1 },
        { S_BYTES ("\xda\x00\x01" "x"), SV_MSGPACK_STR, 1 },
        { S_BYTES ("\xdb\x00\x00\x00\x01" "x"), SV_MSGPACK_STR, 1 },
        { S_BYTES ("\xdc\x00\x01\xc0"), SV_MSGPACK_ARRAY, 1 },
        { S_BYTES ("\xdd\x00\x00\x00\x01\xc0"), SV_MSGPACK_ARRAY, 1 },
        { S_BYTES ("\xde\x00\x01\xc0\xc0"), SV_MSGPACK_MAP, 1 },
        { S_BYTES ("\xdf\x00\x00\x00\x01\xc0\xc0"), SV_MSGPACK_MAP, 1 },
        { S_BYTES ("\xe0"), SV_MSGPACK_INT, 0 },
        { S_BYTES ("\xff"), SV_MSGPACK_INT, 0 },
    };
    for (size_t index = 0; index < sizeof (valid) / sizeof (valid [0]); index++) {
        if (verbose)
            printf ("  valid: type byte %02x\n", valid [index].data [0]);
        s_expect_valid (valid [index].data, valid [index].size, &item);
        assert (item.type == valid [index].type);
        assert (item.size == valid [index].item_size);
    }

    //  Values, signs and payloads are decoded whatever width the sender chose
    s_expect_valid (S_BYTES ("\xcf\xff\xff\xff\xff\xff\xff\xff\xff"), &item);
    assert (item.uint == UINT64_MAX);
    s_expect_valid (S_BYTES ("\xd0\x80"), &item);
    assert (item.type == SV_MSGPACK_INT && item.sint == -128);
    s_expect_valid (S_BYTES ("\xd0\x05"), &item);
    assert (item.type == SV_MSGPACK_UINT && item.uint == 5);
    s_expect_valid (S_BYTES ("\xd3\x00\x00\x00\x00\x00\x00\x01\x00"), &item);
    assert (item.type == SV_MSGPACK_UINT && item.uint == 256);
    s_expect_valid (S_BYTES ("\xd3\x80\x00\x00\x00\x00\x00\x00\x00"), &item);
    assert (item.sint == INT64_MIN);
    s_expect_valid (S_BYTES ("\xe0"), &item);
    assert (item.sint == -32);
    s_expect_valid (S_BYTES ("\xca\x3f\x80\x00\x00"), &item);
    assert (item.real == 1.0);
    s_expect_valid (S_BYTES ("\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00"), &item);
    assert (item.real == 1.0);
    s_expect_valid (S_BYTES ("\xd7\xff" "abcdefgh"), &item);
    assert (item.ext_type == -1 && memcmp (item.data, "abcdefgh", 8) == 0);
    s_expect_valid (S_BYTES ("\xa3" "abc"), &item);
    assert (memcmp (item.data, "abc", 3) == 0);
    s_expect_valid (S_BYTES ("\xc3"), &item);
    assert (item.boolean);

    //  A message of several types nested: every truncation of it is
    //  refused, and skip moves past one whole value at a time
    static const uint8_t nested [] =
        "\x83"                                          //  map of 3
        "\xa1" "a" "\x92\x01\xa2" "hi"                  //  "a": [1, "hi"]
        "\xa1" "b" "\xc4\x03\x01\x02\x03"               //  "b": bin 01 02 03
        "\xa1" "c" "\x81\xa1" "d"                       //  "c": {"d": -1 as int64}
            "\xd3\xff\xff\xff\xff\xff\xff\xff\xff";
    size_t nested_size = sizeof (nested) - 1;
    s_expect_valid (nested, nested_size, &item);
    for (size_t size = 0; size < nested_size; size++)
        s_expect_refused (nested, size, NULL, false);
    sv_msgpack_reader_init (&reader, nested, nested_size);
    rc = sv_msgpack_read (&reader, &item);
    assert (rc == 0 && item.type == SV_MSGPACK_MAP && item.size == 3);
    rc = sv_msgpack_skip (&reader);                     //  key "a"
    assert (rc == 0);
    rc = sv_msgpack_skip (&reader);                     //  [1, "hi"]
    assert (rc == 0);
    rc = sv_msgpack_read (&reader, &item);
    assert (rc == 0 && item.type == SV_MSGPACK_STR);
    assert (item.size == 1 && item.data [0] == 'b');
    rc = sv_msgpack_skip (&reader);                     //  bin
    assert (rc == 0);
    rc = sv_msgpack_skip (&reader);                     //  key "c"
    assert (rc == 0);
    rc = sv_msgpack_skip (&reader);                     //  {"d": -1}
    assert (rc == 0);
    assert (sv_msgpack_reader_remaining (&reader) == 0);
    rc = sv_msgpack_skip (&reader);
    assert (rc == -1 && strcmp (reader.reason, "truncated") == 0);

    //  Declared lengths and counts a 5-byte message cannot hold
    s_expect_refused (S_BYTES ("\xdd\x10\x00\x00\x00"),
                      "declared count exceeds the message", verbose);
    s_expect_refused (S_BYTES ("\xdf\xff\xff\xff\xff"),
                      "declared count exceeds the message", verbose);
    s_expect_refused (S_BYTES ("\xdc\xff\xff"), "declared count exceeds the message", verbose);
    s_expect_refused (S_BYTES ("\xdb\xff\xff\xff\xff"),
                      "declared length exceeds the message", verbose);
    s_expect_refused (S_BYTES ("\xc6\xff\xff\xff\xff"),
                      "declared length exceeds the message", verbose);
    s_expect_refused (S_BYTES ("\xc9\xff\xff\xff\xff\x01"),
                      "declared length exceeds the message", verbose);
    //  A map of 2 entries needs 4 bytes, not 3
    s_expect_refused (S_BYTES ("\x82\xc0\xc0\xc0"), "declared count exceeds the message", verbose);
    //  Each count fits alone, but not with what the outer array still expects
    s_expect_refused (S_BYTES ("\x93\x93\xc0\xc0\xc0"),
                      "declared count exceeds the message", verbose);
    //  The reader refuses the same declarations on its own, without moving
    sv_msgpack_reader_init (&reader, S_BYTES ("\xdd\x10\x00\x00\x00"));
    rc = sv_msgpack_read (&reader, &item);
    assert (rc == -1);
    assert (sv_msgpack_reader_remaining (&reader) == 5);

    //  Nesting: 32 levels are accepted, 33 refused, and a million levels
    //  refused without recursion
    static uint8_t deep [1000001];
    memset (deep, 0x91, sizeof (deep) - 1);
    deep [sizeof (deep) - 1] = 0xc0;
    const uint8_t *deep_end = deep + sizeof (deep);
    s_expect_valid (deep_end - 33, 33, &item);
    s_expect_refused (deep_end - 34, 34, "nesting deeper than 32", verbose);
    s_expect_refused (deep, sizeof (deep), "nesting deeper than 32", verbose);
    rc = sv_msgpack_check (deep_end - 3, 3, 2, NULL);
    assert (rc == 0);
    rc = sv_msgpack_check (deep_end - 4, 4, 2, NULL);
    assert (rc == -1);
    sv_msgpack_reader_init (&reader, deep, sizeof (deep));
    rc = sv_msgpack_skip (&reader);
    assert (rc == 0);

    //  Exactly one object, that uses every byte
    s_expect_refused (S_BYTES ("\xc0\xc0"), "trailing bytes", verbose);
    s_expect_refused (S_BYTES ("\x92\x01\x02\x03"), "trailing bytes", verbose);
    s_expect_refused (NULL, 0, "empty message", verbose);
    s_expect_refused (S_BYTES ("\xc1"), "reserved byte 0xc1", verbose);
    s_expect_refused (S_BYTES ("\x92\xc0\xc1"), "reserved byte 0xc1", verbose);
    s_expect_refused (S_BYTES ("\xcf\x01"), "truncated", verbose);

    //  Every byte alone: only the complete one-byte items pass
    for (unsigned byte = 0; byte < 256; byte++) {
        uint8_t data [1] = { (uint8_t) byte };
        bool complete = byte <= 0x80 || byte == 0x90 || byte == 0xa0
                     || byte == 0xc0 || byte == 0xc2 || byte == 0xc3 || byte >= 0xe0;
        rc = sv_msgpack_check (data, 1, SV_MSGPACK_MAX_DEPTH, NULL);
        assert ((rc == 0) == complete);
    }
    assert (strcmp (sv_msgpack_type_name (SV_MSGPACK_MAP), "map") == 0);
    if (verbose)
        printf ("OK\n");
}
