/*  ingest_seen: the natural keys one file has used so far, so that a row
    never silently replaces another row of its own file.

    The store keeps the latest content of every key and lets a later row
    replace an earlier one: right across files (a corrected return sent
    next quarter), wrong inside one file, where two rows with one key and
    different content both counted accepted would leave only the second
    stored. So the reader of a file asks here, row by row, whether the key
    was used before in this file and with what content.

    Memory is bounded: each key is held as a 64-bit fingerprint with a
    64-bit fingerprint of its row's content and the row's number (24 bytes
    a slot, at most half the slots used), up to max_keys keys; the table
    grows as a file does, so a small file costs little. Past max_keys a
    new key is not remembered and is answered INGEST_SEEN_UNCHECKED: a
    conflict between two rows both past the bound is left to the store
    (ingest_records.h, "Rows of one file"). Two different keys
    share a fingerprint with odds of about 2^-29 over a whole file of
    2^18 keys; the content fingerprint errs at 2^-64 a comparison.

    No SQL, no sockets; one file's reader owns one of these.
*/
#ifndef INGEST_SEEN_H_INCLUDED
#define INGEST_SEEN_H_INCLUDED

#include <czmq.h>

typedef struct _ingest_seen_t ingest_seen_t;

typedef enum {
    INGEST_SEEN_NEW,            //  first use of the key in this file: remembered
    INGEST_SEEN_SAME,           //  used before with the same content
    INGEST_SEEN_OTHER,          //  used before with other content
    INGEST_SEEN_UNCHECKED       //  not known, and the table is full: not remembered
} ingest_seen_result_t;

//  A set for one file remembering up to max_keys keys (at least 1).
ingest_seen_t *
    ingest_seen_new (size_t max_keys);

void
    ingest_seen_destroy (ingest_seen_t **self_p);

//  Looks natural_key up and, when new and there is room, remembers it with
//  content (content_size bytes: the row as it will be stored) and row (its
//  line or record number). For SAME and OTHER, *earlier_p receives the row
//  number the key was first used on; the first row's content stays the
//  one remembered whatever later rows hold.
ingest_seen_result_t
    ingest_seen_check (ingest_seen_t *self, const char *natural_key, const void *content,
                       size_t content_size, uint64_t row, uint64_t *earlier_p);

//  Keys remembered.
size_t
    ingest_seen_size (ingest_seen_t *self);

void
    ingest_seen_test (bool verbose);

#endif
