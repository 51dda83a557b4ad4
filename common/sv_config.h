/*  sv_config: the stack's configuration, a CZMQ zconfig (ZPL) file.

    Every key socval reads is declared once, in the table in sv_config.c, with
    its default, what a value must be (an integer within a range, one of a
    few words, a yyyy-mm-dd date, or any text) and a sentence of
    documentation; `socval config keys` prints that table and the README's
    configuration section is made from it. A file naming a key that is not
    declared, or giving a value that does not fit its declaration, is
    refused with the key's path, the value and what was expected, so a typo
    never silently falls back to a default and a bad value never fails
    later. Sections whose children are named by the operator
    (partners/<name>/..., schedules/<name>/...) are declared as open; keys
    inside them may be declared too (partners/<name>/rlw_renewal), and are then
    checked like any other.

    Key paths are slash-separated, as zconfig writes them: "stream/heartbeat_ms".
*/
#ifndef SV_CONFIG_H_INCLUDED
#define SV_CONFIG_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <czmq.h>

typedef struct _sv_config_t sv_config_t;

//  A configuration holding only the defaults.
sv_config_t *
    sv_config_new (void);

//  Loads path over the defaults. Returns NULL when the file cannot be read
//  or names an undeclared key or a bad value; *reason_p then says which
//  (thread-local text valid until the next load in this thread): the
//  first problem, "<path>: 'compliance/return_period_months' is '100000':
//  expected an integer from 1 to 120", and how many more there are.
sv_config_t *
    sv_config_load (const char *path, const char **reason_p);

//  Called with each problem found, one line of text (borrowed for the call).
typedef void (sv_config_problem_fn) (const char *problem, void *arg);

//  Checks the file at path as sv_config_load does, but finds every
//  problem: calls fn (when not NULL) for each. Returns how many there are;
//  0 when sv_config_load would take the file.
int
    sv_config_verify (const char *path, sv_config_problem_fn *fn, void *arg);

void
    sv_config_destroy (sv_config_t **self_p);

//  The value at path: the file's, else the declared default. Borrowed.
//  Asking for an undeclared path is a programmer error (asserts), except
//  inside open sections, where an absent key returns fallback.
const char *
    sv_config_get (sv_config_t *self, const char *path);

//  The value at path as an integer (declared keys of integer type only),
//  always within the key's declared range.
int64_t
    sv_config_int (sv_config_t *self, const char *path);

//  A value inside an open section, or fallback when absent. Borrowed.
const char *
    sv_config_lookup (sv_config_t *self, const char *path, const char *fallback);

//  Sets path to value (copied). 0, or -1 (nothing set) when path is not
//  declared or value does not fit its declaration.
int
    sv_config_set (sv_config_t *self, const char *path, const char *value);

//  A file's path: the value at path when set, else name inside data/dir.
//  Returns a new string (caller frees).
char *
    sv_config_data_path (sv_config_t *self, const char *path, const char *name);

//  The first child of an open section ("partners"), for iteration with
//  zconfig_next; NULL when the section is empty. Borrowed.
zconfig_t *
    sv_config_children (sv_config_t *self, const char *section);

//  Writes the whole configuration, defaults included, to path atomically.
int
    sv_config_save (sv_config_t *self, const char *path);

//  Prints every declared key with its default, what a value must be, and
//  its documentation.
void
    sv_config_print_keys (FILE *out);

void
    sv_config_test (bool verbose);

#endif
