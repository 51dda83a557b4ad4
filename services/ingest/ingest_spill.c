/*  =========================================================================
    ingest_spill - records kept in order, in bounded memory

    Data. Each record is its length (a size_t) and its bytes, one after
    another: in one growing buffer while the total stays within the
    bound, then, from the record that would pass it, in a temporary file
    to which the buffer's records are first written, so that the order is
    one sequence wherever it lives. Draining reads them back through one
    buffer as long as the longest record.
    =========================================================================
*/

#include "ingest_spill.h"

#include <assert.h>
#include <czmq.h>

struct _ingest_spill_t {
    size_t memory;              //  bytes the buffer may hold
    char *data;                 //  the records, while in memory
    size_t used;
    size_t size;
    FILE *file;                 //  the records, once past memory; or NULL
    size_t count;
    char *record;               //  one record read back from the file
    size_t record_size;
};

//  Makes *buffer_p at least size bytes. 0 or -1.
static int
s_reserve (char **buffer_p, size_t *size_p, size_t size)
{
    if (size <= *size_p)
        return 0;
    size_t grown = *size_p? *size_p: 256;
    while (grown < size)
        grown *= 2;
    char *buffer = (char *) realloc (*buffer_p, grown);
    if (!buffer)
        return -1;
    *buffer_p = buffer;
    *size_p = grown;
    return 0;
}

ingest_spill_t *
ingest_spill_new (size_t memory)
{
    ingest_spill_t *self = (ingest_spill_t *) zmalloc (sizeof (ingest_spill_t));
    if (self)
        self->memory = memory;
    return self;
}

//  Empties the spill, keeping its buffers for the next records
static void
s_clear (ingest_spill_t *self)
{
    if (self->file)
        fclose (self->file);
    self->file = NULL;
    self->used = self->count = 0;
}

void
ingest_spill_destroy (ingest_spill_t **self_p)
{
    assert (self_p);
    ingest_spill_t *self = *self_p;
    if (!self)
        return;
    s_clear (self);
    free (self->data);
    free (self->record);
    free (self);
    *self_p = NULL;
}

int
ingest_spill_put (ingest_spill_t *self, const void *record, size_t size)
{
    assert (self);
    assert (record || size == 0);
    size_t total = sizeof size + size;
    if (!self->file && self->used + total > self->memory) {
        //  From now on, every record goes to the file, after those held
        FILE *file = tmpfile ();
        if (!file)
            return -1;
        if (fwrite (self->data, 1, self->used, file) != self->used) {
            fclose (file);
            return -1;
        }
        self->file = file;
        free (self->data);
        self->data = NULL;
        self->used = self->size = 0;
    }
    if (self->file) {
        if (fwrite (&size, sizeof size, 1, self->file) != 1
        ||  fwrite (record, 1, size, self->file) != size)
            return -1;
    }
    else {
        if (s_reserve (&self->data, &self->size, self->used + total))
            return -1;
        memcpy (self->data + self->used, &size, sizeof size);
        memcpy (self->data + self->used + sizeof size, record, size);
        self->used += total;
    }
    self->count++;
    return 0;
}

size_t
ingest_spill_count (ingest_spill_t *self)
{
    assert (self);
    return self->count;
}

bool
ingest_spill_spilled (ingest_spill_t *self)
{
    assert (self);
    return self->file != NULL;
}

int
ingest_spill_drain (ingest_spill_t *self, ingest_spill_fn *fn, void *arg)
{
    assert (self && fn);
    int rc = 0;
    if (self->file) {
        if (fflush (self->file) || fseek (self->file, 0, SEEK_SET))
            rc = -2;
        for (size_t index = 0; index < self->count && rc == 0; index++) {
            size_t size;
            if (fread (&size, sizeof size, 1, self->file) != 1
            ||  s_reserve (&self->record, &self->record_size, size? size: 1)
            ||  fread (self->record, 1, size, self->file) != size)
                rc = -2;
            else
            if (fn (self->record, size, arg))
                rc = -1;
        }
    }
    else
        for (size_t at = 0; at < self->used && rc == 0; ) {
            size_t size;
            memcpy (&size, self->data + at, sizeof size);
            if (fn (self->data + at + sizeof size, size, arg))
                rc = -1;
            at += sizeof size + size;
        }
    s_clear (self);
    return rc;
}


//  --------------------------------------------------------------------------
//  Self test

//  Appends each record, as text, and a space to a zchunk; stops after
//  the record "stop"
static int
s_test_take (const void *record, size_t size, void *arg)
{
    zchunk_t *taken = (zchunk_t *) arg;
    zchunk_extend (taken, record, size);
    zchunk_extend (taken, " ", 1);
    return size == 4 && memcmp (record, "stop", 4) == 0? -1: 0;
}

//  Puts the words of text, drains them, and returns what came back
static char *
s_test_round (ingest_spill_t *spill, const char *text, int *rc_p)
{
    char *words = strdup (text);
    assert (words);
    for (char *word = strtok (words, " "); word; word = strtok (NULL, " "))
        assert (ingest_spill_put (spill, word, strlen (word)) == 0);
    free (words);
    zchunk_t *taken = zchunk_new (NULL, 0);
    *rc_p = ingest_spill_drain (spill, s_test_take, taken);
    char *back = zchunk_strdup (taken);
    zchunk_destroy (&taken);
    return back;
}

void
ingest_spill_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_spill: ");
    const char *text = "one two three four five six seven eight nine ten";
    int rc;

    //  In memory: the same records come back, in order, and the spill is
    //  empty after
    ingest_spill_t *spill = ingest_spill_new (1 << 20);
    assert (spill);
    char *back = s_test_round (spill, text, &rc);
    assert (rc == 0 && streq (back, "one two three four five six seven eight nine ten "));
    assert (ingest_spill_count (spill) == 0 && !ingest_spill_spilled (spill));
    free (back);
    ingest_spill_destroy (&spill);
    ingest_spill_destroy (&spill);
    assert (spill == NULL);

    //  Past 40 bytes, every record goes to the file, those held first: the
    //  order is the same; an empty record and a large one come back too
    spill = ingest_spill_new (40);
    assert (spill);
    assert (ingest_spill_put (spill, "a", 1) == 0);
    assert (ingest_spill_put (spill, "", 0) == 0);
    assert (!ingest_spill_spilled (spill));
    char large [5000];
    memset (large, 'x', sizeof large);
    assert (ingest_spill_put (spill, large, sizeof large) == 0);
    assert (ingest_spill_spilled (spill) && ingest_spill_count (spill) == 3);
    zchunk_t *taken = zchunk_new (NULL, 0);
    assert (ingest_spill_drain (spill, s_test_take, taken) == 0);
    assert (zchunk_size (taken) == 1 + 1 + 1 + sizeof large + 1);
    assert (memcmp (zchunk_data (taken), "a  x", 4) == 0);
    zchunk_destroy (&taken);
    assert (!ingest_spill_spilled (spill) && ingest_spill_count (spill) == 0);
    back = s_test_round (spill, text, &rc);
    assert (rc == 0 && streq (back, "one two three four five six seven eight nine ten "));
    free (back);

    //  fn stops it: the rest are dropped, the spill empty, from memory or
    //  from the file
    back = s_test_round (spill, "before stop after", &rc);
    assert (rc == -1 && streq (back, "before stop "));
    assert (ingest_spill_count (spill) == 0);
    free (back);
    back = s_test_round (spill, "one two three four five six seven stop eight", &rc);
    assert (rc == -1 && streq (back, "one two three four five six seven stop "));
    assert (ingest_spill_count (spill) == 0 && !ingest_spill_spilled (spill));
    free (back);
    //  A spill destroyed while holding records in its file drops them
    assert (ingest_spill_put (spill, large, sizeof large) == 0);
    ingest_spill_destroy (&spill);

    if (verbose)
        printf ("OK\n");
}
