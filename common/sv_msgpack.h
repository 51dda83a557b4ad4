/*  =========================================================================
    sv_msgpack - bounded reading of untrusted msgpack

    msgpack-c's unpacker allocates from the counts a message declares, so a
    5-byte message (dd 10 00 00 00: an array of 2^28 elements) can make it
    reserve gigabytes. Everything here reads msgpack straight from the bytes
    and never allocates:

    - sv_msgpack_check proves a buffer is exactly one complete, bounded
      object. Decoders call it before they allocate anything.
    - the reader steps through a buffer one item at a time, refusing any
      declared length or count the remaining bytes cannot hold, so a decoder
      can size its allocations from what it reads.
    =========================================================================
*/

#ifndef SV_MSGPACK_H_INCLUDED
#define SV_MSGPACK_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Deepest nesting of arrays and maps a decoder accepts; the top-level
//  container is depth 1. Our messages need 3 (message, list, element).
#define SV_MSGPACK_MAX_DEPTH 32

//  Checks that data holds exactly one complete msgpack object, that every
//  declared str/bin/ext length fits in the bytes that remain, that every
//  array/map count fits too (an element needs at least 1 byte, a map entry
//  2, summed over all containers still open), that arrays and maps nest at
//  most max_depth deep (clamped to SV_MSGPACK_MAX_DEPTH), and that no byte
//  is left over. The reserved type byte 0xc1 is refused. Never allocates;
//  time is linear in size. Returns 0, or -1 and sets *reason_p (when
//  reason_p is not NULL) to a static string such as "truncated".
int
    sv_msgpack_check (const uint8_t *data, size_t size, int max_depth,
                      const char **reason_p);

//  The msgpack type families. A non-negative integer is always
//  SV_MSGPACK_UINT and a negative one SV_MSGPACK_INT, whatever encoding
//  the sender chose.
typedef enum {
    SV_MSGPACK_NIL,
    SV_MSGPACK_BOOL,
    SV_MSGPACK_UINT,
    SV_MSGPACK_INT,
    SV_MSGPACK_FLOAT,
    SV_MSGPACK_STR,
    SV_MSGPACK_BIN,
    SV_MSGPACK_EXT,
    SV_MSGPACK_ARRAY,
    SV_MSGPACK_MAP
} sv_msgpack_type_t;

//  One item as read: a scalar, the payload of a str/bin/ext, or the header
//  of an array/map (whose elements follow it in the buffer).
typedef struct {
    sv_msgpack_type_t type;
    bool boolean;               //  BOOL
    uint64_t uint;              //  UINT
    int64_t sint;               //  INT, always negative
    double real;                //  FLOAT (float 32 widened)
    const uint8_t *data;        //  STR, BIN, EXT: payload, borrowed from the buffer
    uint32_t size;              //  STR, BIN, EXT: payload bytes; ARRAY: elements;
                                //  MAP: key/value pairs
    int8_t ext_type;            //  EXT
} sv_msgpack_item_t;

//  A cursor over a buffer the caller keeps alive. It is a plain value:
//  initialise it, read from it, let it go out of scope.
typedef struct {
    const uint8_t *cursor;      //  Next byte to read
    const uint8_t *limit;       //  One past the last byte
    const char *reason;         //  Why the last read failed (static string)
} sv_msgpack_reader_t;

//  Starts a reader at the first of size bytes.
void
    sv_msgpack_reader_init (sv_msgpack_reader_t *self, const uint8_t *data, size_t size);

//  Bytes not yet read.
size_t
    sv_msgpack_reader_remaining (const sv_msgpack_reader_t *self);

//  Reads one item into *item and moves past it: past the payload of a
//  str/bin/ext, past only the header of an array or map. Refuses a payload
//  longer than the bytes that remain, and an array of more elements (a map
//  of more than half as many entries) than bytes remain, so item->size is
//  safe to allocate from. Returns 0, or -1 with self->reason set; the
//  cursor does not move on failure.
int
    sv_msgpack_read (sv_msgpack_reader_t *self, sv_msgpack_item_t *item);

//  Moves past one complete object, however nested, without recursion.
//  Returns 0, or -1 with self->reason set.
int
    sv_msgpack_skip (sv_msgpack_reader_t *self);

//  Name of a type family for messages: "uint", "str", "map"...
const char *
    sv_msgpack_type_name (sv_msgpack_type_t type);

//  Self test of this class.
void
    sv_msgpack_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
