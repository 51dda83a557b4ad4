/*  =========================================================================
    reporting_crosswalk - which common outcome each framework's measures
    serve. See the header for the file format.

    Data: a hash from "framework\x1Fmeasure" to the row that mapped it
    (its outcome, owned by the list of outcomes, and its line), and the
    outcomes in the order the file first names them.
    =========================================================================
*/

#include "reporting_crosswalk.h"
#include <czmq.h>

struct _reporting_crosswalk_t {
    zhashx_t *pairs;            //  "framework\x1Fmeasure" -> s_pair_t *
    zlistx_t *outcomes;         //  char *, first-named order
};

typedef struct {
    const char *outcome;        //  borrowed from the outcomes list
    size_t line;                //  row that mapped the pair
} s_pair_t;

enum { C_FRAMEWORK, C_MEASURE, C_OUTCOME, C_FIELDS };

#define S_NAMES(...) (const char *const []) { __VA_ARGS__, NULL }
static const sv_csv_field_t s_fields [C_FIELDS] = {
    { "framework", S_NAMES ("Framework ID", "Framework Name"), true },
    { "measure", S_NAMES ("Measure Code", "Measure Ref", "Metric Code", "Metric ID"), true },
    { "outcome", S_NAMES ("Common Outcome", "Shared Outcome", "Outcome Name"), true },
};

typedef struct {
    reporting_crosswalk_t *crosswalk;
    sv_csv_t *reader;
    sv_csv_error_fn *error_fn;
    void *arg;
    size_t errors;
    char reason [512];
} s_loader_t;

static void
s_report (s_loader_t *self, size_t line, int field, const char *value, const char *reason)
{
    self->errors++;
    if (!self->error_fn)
        return;
    sv_csv_error_t error = {
        line, field >= 0 && self->reader? sv_csv_column (self->reader, (size_t) field): NULL,
        value, reason
    };
    self->error_fn (&error, self->arg);
}

//  The outcome as held in the list, added when new; NULL when memory runs out
static const char *
s_outcome (reporting_crosswalk_t *self, const char *outcome)
{
    for (const char *held = (const char *) zlistx_first (self->outcomes); held;
         held = (const char *) zlistx_next (self->outcomes))
        if (streq (held, outcome))
            return held;
    char *copy = strdup (outcome);
    if (copy)
        zlistx_add_end (self->outcomes, copy);
    return copy;
}

static int
s_row (const sv_csv_row_t *row, void *arg)
{
    s_loader_t *self = (s_loader_t *) arg;
    if (row->shape_error) {
        s_report (self, row->line, -1, NULL, row->shape_error);
        return 0;
    }
    static const char *const names [] = { "framework id", "measure code", "outcome" };
    for (int field = 0; field < C_FIELDS; field++)
        if (!row->values [field] || !*row->values [field]) {
            snprintf (self->reason, sizeof self->reason, "empty %s", names [field]);
            s_report (self, row->line, field, "", self->reason);
            return 0;
        }
    char key [1024];
    snprintf (key, sizeof key, "%s\x1F%s", row->values [C_FRAMEWORK], row->values [C_MEASURE]);
    s_pair_t *pair = (s_pair_t *) zhashx_lookup (self->crosswalk->pairs, key);
    if (pair) {
        if (!streq (pair->outcome, row->values [C_OUTCOME])) {
            snprintf (self->reason, sizeof self->reason,
                      "%s of %s is mapped to '%s' on row %zu: one outcome per measure",
                      row->values [C_MEASURE], row->values [C_FRAMEWORK], pair->outcome,
                      pair->line);
            s_report (self, row->line, C_OUTCOME, row->values [C_OUTCOME], self->reason);
        }
        return 0;
    }
    pair = (s_pair_t *) zmalloc (sizeof (s_pair_t));
    pair->outcome = s_outcome (self->crosswalk, row->values [C_OUTCOME]);
    pair->line = row->line;
    if (!pair->outcome || zhashx_insert (self->crosswalk->pairs, key, pair)) {
        free (pair);
        return -1;
    }
    return 0;
}

static void
s_pair_destroy (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

reporting_crosswalk_t *
reporting_crosswalk_load (const void *data, size_t size, sv_csv_error_fn *error_fn, void *arg)
{
    assert (data || size == 0);
    reporting_crosswalk_t *self = (reporting_crosswalk_t *) zmalloc (sizeof *self);
    self->pairs = zhashx_new ();
    zhashx_set_destructor (self->pairs, s_pair_destroy);
    self->outcomes = zlistx_new ();
    zlistx_set_destructor (self->outcomes, (zlistx_destructor_fn *) zstr_free);
    s_loader_t loader = { .crosswalk = self, .error_fn = error_fn, .arg = arg };
    loader.reader = sv_csv_new (s_fields, C_FIELDS, s_row, &loader);
    int rc = loader.reader? sv_csv_feed (loader.reader, data, size): -1;
    if (rc == 0)
        rc = sv_csv_finish (loader.reader);
    if (rc) {
        const char *refusal = loader.reader? sv_csv_refusal (loader.reader): NULL;
        s_report (&loader, loader.reader? sv_csv_header_line (loader.reader): 0, -1, NULL,
                  refusal && !strstr (refusal, "stopped by the row handler")
                  ? refusal: "out of memory");
    }
    else
    if (loader.errors == 0 && zhashx_size (self->pairs) == 0)
        s_report (&loader, sv_csv_header_line (loader.reader), -1, NULL,
                  "no measures: the file has a header and no rows");
    sv_csv_destroy (&loader.reader);
    if (loader.errors)
        reporting_crosswalk_destroy (&self);
    return self;
}

reporting_crosswalk_t *
reporting_crosswalk_load_file (const char *path, sv_csv_error_fn *error_fn, void *arg)
{
    zchunk_t *file = (zchunk_t *) sv_csv_slurp (path, error_fn, arg);
    if (!file)
        return NULL;
    reporting_crosswalk_t *self = reporting_crosswalk_load (zchunk_data (file),
                                                            zchunk_size (file), error_fn, arg);
    zchunk_destroy (&file);
    return self;
}

void
reporting_crosswalk_destroy (reporting_crosswalk_t **self_p)
{
    assert (self_p);
    reporting_crosswalk_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->pairs);
        zlistx_destroy (&self->outcomes);
        free (self);
        *self_p = NULL;
    }
}

const char *
reporting_crosswalk_outcome (const reporting_crosswalk_t *self, const char *framework,
                             const char *measure)
{
    assert (self && framework && measure);
    char key [1024];
    snprintf (key, sizeof key, "%s\x1F%s", framework, measure);
    const s_pair_t *pair = (const s_pair_t *) zhashx_lookup (self->pairs, key);
    return pair? pair->outcome: NULL;
}

size_t
reporting_crosswalk_outcomes (const reporting_crosswalk_t *self)
{
    assert (self);
    return zlistx_size (self->outcomes);
}

const char *
reporting_crosswalk_outcome_at (const reporting_crosswalk_t *self, size_t index)
{
    assert (self);
    const char *outcome = (const char *) zlistx_first (self->outcomes);
    while (outcome && index-- > 0)
        outcome = (const char *) zlistx_next (self->outcomes);
    return outcome;
}


//  --------------------------------------------------------------------------
//  Self test

typedef struct {
    size_t count;
    char text [4][300];
} s_test_errors_t;

static void
s_test_error (const sv_csv_error_t *error, void *arg)
{
    s_test_errors_t *errors = (s_test_errors_t *) arg;
    if (errors->count < 4)
        sv_csv_error_format (error, errors->text [errors->count], sizeof errors->text [0]);
    errors->count++;
}

void
reporting_crosswalk_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_crosswalk: ");
    s_test_errors_t errors = { 0 };
    reporting_crosswalk_t *crosswalk = reporting_crosswalk_load_file (
        "deploy/frameworks/crosswalk-illustrative.csv", s_test_error, &errors);
    assert (crosswalk && errors.count == 0);
    assert (reporting_crosswalk_outcomes (crosswalk) == 6);
    assert (streq (reporting_crosswalk_outcome_at (crosswalk, 0), "Fair work and good jobs"));
    assert (reporting_crosswalk_outcome_at (crosswalk, 6) == NULL);
    //  A council's TOMs measure and a trust's SVM metric meet in one outcome
    assert (streq (reporting_crosswalk_outcome (crosswalk, "illustrative-rationalised",
                                                "ILR-SOC-03"), "Fair work and good jobs"));
    assert (streq (reporting_crosswalk_outcome (crosswalk, "illustrative-svm", "SVM-1C-01"),
                   "Fair work and good jobs"));
    //  Innovation is mapped to none; a code of one framework is not another's
    assert (!reporting_crosswalk_outcome (crosswalk, "illustrative-rationalised", "ILR-INN-01"));
    assert (!reporting_crosswalk_outcome (crosswalk, "illustrative-svm", "ILR-SOC-03"));
    reporting_crosswalk_destroy (&crosswalk);
    reporting_crosswalk_destroy (&crosswalk);

    //  Refused whole: a measure given two outcomes, an empty cell; every
    //  bad row named
    const char *bad = "Framework,Measure Code,Common Outcome\n"
                      "f,M-1,Jobs\n"
                      "f,M-1,Jobs\n"
                      "f,M-1,Skills\n"
                      "f,,Skills\n";
    memset (&errors, 0, sizeof errors);
    crosswalk = reporting_crosswalk_load (bad, strlen (bad), s_test_error, &errors);
    assert (crosswalk == NULL && errors.count == 2);
    assert (streq (errors.text [0], "row 4, column 'Common Outcome', value 'Skills': M-1 of f"
                                    " is mapped to 'Jobs' on row 2: one outcome per measure"));
    assert (streq (errors.text [1], "row 5, column 'Measure Code', value '': empty measure code"));
    memset (&errors, 0, sizeof errors);
    crosswalk = reporting_crosswalk_load ("framework,measure\nf,M\n", 20, s_test_error, &errors);
    assert (crosswalk == NULL && errors.count == 1 && strstr (errors.text [0], "outcome"));
    memset (&errors, 0, sizeof errors);
    crosswalk = reporting_crosswalk_load_file ("tests/fixtures/no-such-crosswalk.csv",
                                               s_test_error, &errors);
    assert (crosswalk == NULL && errors.count == 1 && strstr (errors.text [0], "cannot read"));
    if (verbose)
        printf ("OK\n");
}
