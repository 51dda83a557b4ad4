/*  =========================================================================
    ingest_spill - records kept in order, in bounded memory

    A reader that must hold some input back until it knows how to read it
    (the spend reader holds rows while a date column's convention is open)
    puts the records here and takes them back once, in the order they were
    put. Up to a bound, they are kept in memory; past it, all of them go to
    a temporary file (tmpfile(3), gone when closed), so memory never grows
    with the input, however long the wait.

    Records are opaque bytes. Pure: no SQL, no sockets.
    =========================================================================
*/

#ifndef INGEST_SPILL_H_INCLUDED
#define INGEST_SPILL_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _ingest_spill_t ingest_spill_t;

//  Given each record in turn by ingest_spill_drain: size bytes at record,
//  borrowed until it returns. Returns 0 to go on, -1 to stop.
typedef int (ingest_spill_fn) (const void *record, size_t size, void *arg);

//  Creates an empty spill that keeps up to memory bytes of records (and
//  a few bytes of length per record) in memory. Returns NULL when out of
//  memory.
ingest_spill_t *
    ingest_spill_new (size_t memory);

//  Destroys a spill, dropping what it holds and closing its file, and
//  nulls the caller's pointer; safe on NULL and twice.
void
    ingest_spill_destroy (ingest_spill_t **self_p);

//  Adds a copy of size bytes at record after the records held. Returns 0,
//  or -1 when memory or the temporary file fails (the record is then not
//  held; those before it still are).
int
    ingest_spill_put (ingest_spill_t *self, const void *record, size_t size);

//  Returns the number of records held.
size_t
    ingest_spill_count (ingest_spill_t *self);

//  True if the records held went past the memory bound and so are in the
//  temporary file.
bool
    ingest_spill_spilled (ingest_spill_t *self);

//  Gives every record held to fn with arg, in the order put, and empties
//  the spill (closing its file), even when stopped. fn must not put
//  records into this spill. Returns 0, -1 when fn stopped it, or -2 when
//  a record could not be read back from the file.
int
    ingest_spill_drain (ingest_spill_t *self, ingest_spill_fn *fn, void *arg);

//  Self test of this class; asserts (aborts) on failure.
void
    ingest_spill_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
