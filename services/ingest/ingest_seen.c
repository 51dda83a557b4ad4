/*  ingest_seen: a file's natural keys, by fingerprint. See ingest_seen.h.

    Open addressing with linear probing over a power of two of slots; a
    slot whose key fingerprint is 0 is empty (a fingerprint that comes out
    0 is taken as 1). The table doubles when half full, until it holds
    max_keys keys.
*/

#include "ingest_seen.h"
#include "sv_digest.h"

#define S_FIRST_SLOTS 1024

typedef struct {
    uint64_t key;               //  fingerprint of the natural key, 0: empty
    uint64_t content;           //  fingerprint of the first row's content
    uint64_t row;               //  that row's line or record number
} s_slot_t;

struct _ingest_seen_t {
    s_slot_t *slots;
    size_t slot_count;          //  a power of two
    size_t used;
    size_t max_keys;
};

static uint64_t
s_fingerprint (const void *data, size_t size)
{
    uint8_t digest [SV_DIGEST_SIZE];
    sv_digest (data, size, digest);
    uint64_t value;
    memcpy (&value, digest, sizeof value);
    return value;
}

//  The slot holding key, or the empty one where it would go
static s_slot_t *
s_find (s_slot_t *slots, size_t slot_count, uint64_t key)
{
    size_t at = (size_t) (key & (slot_count - 1));
    while (slots [at].key && slots [at].key != key)
        at = (at + 1) & (slot_count - 1);
    return &slots [at];
}

//  Doubles the table; -1 when memory cannot be had (the table stays)
static int
s_grow (ingest_seen_t *self)
{
    size_t slot_count = self->slot_count * 2;
    s_slot_t *slots = (s_slot_t *) calloc (slot_count, sizeof (s_slot_t));
    if (!slots)
        return -1;
    for (size_t index = 0; index < self->slot_count; index++)
        if (self->slots [index].key)
            *s_find (slots, slot_count, self->slots [index].key) = self->slots [index];
    free (self->slots);
    self->slots = slots;
    self->slot_count = slot_count;
    return 0;
}

ingest_seen_t *
ingest_seen_new (size_t max_keys)
{
    assert (max_keys > 0);
    ingest_seen_t *self = (ingest_seen_t *) zmalloc (sizeof (ingest_seen_t));
    self->slot_count = S_FIRST_SLOTS;
    self->slots = (s_slot_t *) calloc (self->slot_count, sizeof (s_slot_t));
    self->max_keys = max_keys;
    if (!self->slots)
        ingest_seen_destroy (&self);
    return self;
}

void
ingest_seen_destroy (ingest_seen_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_seen_t *self = *self_p;
        free (self->slots);
        free (self);
        *self_p = NULL;
    }
}

ingest_seen_result_t
ingest_seen_check (ingest_seen_t *self, const char *natural_key, const void *content,
                   size_t content_size, uint64_t row, uint64_t *earlier_p)
{
    assert (self && natural_key && (content || content_size == 0));
    uint64_t key = s_fingerprint (natural_key, strlen (natural_key));
    if (key == 0)
        key = 1;
    uint64_t fingerprint = s_fingerprint (content, content_size);
    s_slot_t *slot = s_find (self->slots, self->slot_count, key);
    if (slot->key) {
        if (earlier_p)
            *earlier_p = slot->row;
        return slot->content == fingerprint? INGEST_SEEN_SAME: INGEST_SEEN_OTHER;
    }
    if (self->used >= self->max_keys)
        return INGEST_SEEN_UNCHECKED;
    if ((self->used + 1) * 2 > self->slot_count) {
        if (s_grow (self))
            return INGEST_SEEN_UNCHECKED;
        slot = s_find (self->slots, self->slot_count, key);
    }
    *slot = (s_slot_t) { .key = key, .content = fingerprint, .row = row };
    self->used++;
    return INGEST_SEEN_NEW;
}

size_t
ingest_seen_size (ingest_seen_t *self)
{
    assert (self);
    return self->used;
}

//  ==========================================================================
//  Self-test

void
ingest_seen_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_seen: ");
    ingest_seen_t *seen = ingest_seen_new (5000);
    uint64_t earlier = 0;
    assert (ingest_seen_check (seen, "C-001/NT3/2024-25", "5", 1, 2, &earlier)
            == INGEST_SEEN_NEW);
    assert (ingest_seen_check (seen, "C-001/NT3/2024-26", "5", 1, 3, &earlier)
            == INGEST_SEEN_NEW);
    //  The same row again is the same; other content under the key names
    //  the first row, and a third row is still compared with the first
    assert (ingest_seen_check (seen, "C-001/NT3/2024-25", "5", 1, 7, &earlier)
            == INGEST_SEEN_SAME && earlier == 2);
    assert (ingest_seen_check (seen, "C-001/NT3/2024-25", "6", 1, 8, &earlier)
            == INGEST_SEEN_OTHER && earlier == 2);
    assert (ingest_seen_check (seen, "C-001/NT3/2024-25", "5", 1, 9, &earlier)
            == INGEST_SEEN_SAME && earlier == 2);

    //  Growing past the first table keeps every key
    char key [32];
    for (int index = 0; index < 4000; index++) {
        snprintf (key, sizeof key, "K%d", index);
        assert (ingest_seen_check (seen, key, key, strlen (key), (uint64_t) index + 10, NULL)
                == INGEST_SEEN_NEW);
    }
    assert (ingest_seen_size (seen) == 4002);
    assert (ingest_seen_check (seen, "K17", "K17", 3, 99999, &earlier) == INGEST_SEEN_SAME
            && earlier == 27);
    ingest_seen_destroy (&seen);

    //  Past the bound a new key is not remembered, an old one still is
    seen = ingest_seen_new (2);
    assert (ingest_seen_check (seen, "a", "1", 1, 1, NULL) == INGEST_SEEN_NEW);
    assert (ingest_seen_check (seen, "b", "1", 1, 2, NULL) == INGEST_SEEN_NEW);
    assert (ingest_seen_check (seen, "c", "1", 1, 3, NULL) == INGEST_SEEN_UNCHECKED);
    assert (ingest_seen_check (seen, "c", "2", 1, 4, NULL) == INGEST_SEEN_UNCHECKED);
    assert (ingest_seen_check (seen, "a", "2", 1, 5, &earlier) == INGEST_SEEN_OTHER
            && earlier == 1);
    ingest_seen_destroy (&seen);
    ingest_seen_destroy (&seen);
    if (verbose)
        printf ("OK\n");
}
