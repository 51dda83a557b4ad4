/*  =========================================================================
    reporting_crosswalk - which common outcome each framework's measures
    serve, so that partners on different frameworks can be shown side by
    side

    An anchor network's council reports on TOMs while its hospital trust
    must use the Social Value Model: their measures differ, their £ cannot
    be added, but both can say what they delivered towards the same
    outcome. A crosswalk file names, for each measure of each framework,
    the common outcome it serves:

        framework,measure,outcome
        illustrative-rationalised,ILR-JOB-01,Fair work and good jobs
        illustrative-svm,SVM-1A-01,Fair work and good jobs

    Header cells match as sv_csv matches them ("Framework ID", "Measure
    Code", "Common Outcome" ...). Every cell is needed; a measure of a
    framework is given one outcome (the same pair twice with the same
    outcome is harmless, with another outcome is an error naming the row
    that gave the first). A file is taken whole or not at all: every bad
    row is reported with its row, column, value and reason. Outcomes keep
    the order in which the file first names them, which is the order
    reports list them in.

    Pure domain: no SQL, no sockets, no printing.
    =========================================================================
*/

#ifndef REPORTING_CROSSWALK_H_INCLUDED
#define REPORTING_CROSSWALK_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include "sv_csv.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _reporting_crosswalk_t reporting_crosswalk_t;

//  Reads the crosswalk file at path. Returns NULL when it is refused:
//  error_fn (may be NULL) has then been called with arg once for every
//  bad row, and once with line 0 and no column for a file-level refusal
//  (unreadable, no header, no rows).
reporting_crosswalk_t *
    reporting_crosswalk_load_file (const char *path, sv_csv_error_fn *error_fn, void *arg);

//  As reporting_crosswalk_load_file, from size bytes of a file's content.
reporting_crosswalk_t *
    reporting_crosswalk_load (const void *data, size_t size, sv_csv_error_fn *error_fn,
                              void *arg);

//  Destroys a crosswalk and nulls the caller's pointer; safe on NULL and
//  twice.
void
    reporting_crosswalk_destroy (reporting_crosswalk_t **self_p);

//  The common outcome of measure in framework, or NULL when the crosswalk
//  does not map it. Borrowed.
const char *
    reporting_crosswalk_outcome (const reporting_crosswalk_t *self, const char *framework,
                                 const char *measure);

//  Number of distinct outcomes, and the outcome at index (0 .. count - 1,
//  in the order the file first names them; NULL past the end). Borrowed.
size_t
    reporting_crosswalk_outcomes (const reporting_crosswalk_t *self);
const char *
    reporting_crosswalk_outcome_at (const reporting_crosswalk_t *self, size_t index);

//  Self test of this class; asserts on failure. Reads
//  deploy/frameworks/crosswalk-illustrative.csv from the repository root.
void
    reporting_crosswalk_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
