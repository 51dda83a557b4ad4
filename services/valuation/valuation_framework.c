/*  =========================================================================
    valuation_framework - a TOMs framework as data. See the header for the
    file format and the proxy-year rule.

    Data. While a file is read, measures are collected in file order in a
    growing array, found by code through a hash (one entry per measure,
    not per row), each with its proxies in a small growing array. Every
    row is checked on arrival, against itself and against the rows before
    it, so errors come out in row order. When the file ends without a bad
    row, the measures are sorted by code and each measure's proxies by
    year, the hash is dropped, and lookups are binary searches.
    =========================================================================
*/

#include "valuation_framework.h"
#include "sv_date.h"
#include "sv_money.h"
#include <czmq.h>

//  Bytes given to sv_csv at a time
#define S_CHUNK (64 * 1024)

//  One measure while loading and after: pub points at the owned fields
typedef struct {
    valuation_framework_measure_t pub;
    char *code;
    char *theme;
    char *outcome;
    char *description;
    char *unit;
    char *criterion;
    int *fy;
    int64_t *pence;
    size_t *lines;              //  source line of each proxy's row
    size_t years;
    size_t slots;
    size_t line;                //  source line of the measure's first row
} s_measure_t;

struct _valuation_framework_t {
    char *id;
    char *version;
    s_measure_t *measures;      //  ascending by code once loaded
    size_t count;
    size_t slots;
};

struct _valuation_framework_selection_t {
    char **codes;               //  distinct, ascending
    size_t count;
};

//  The columns of a framework file, in this order
enum { F_FRAMEWORK, F_VERSION, F_MEASURE, F_THEME, F_OUTCOME, F_CRITERION, F_DESCRIPTION,
       F_UNIT, F_YEAR, F_PROXY, F_FIELDS };

#define S_NAMES(...) (const char *const []) { __VA_ARGS__, NULL }
static const sv_csv_field_t s_fields [F_FIELDS] = {
    { "framework", S_NAMES ("Framework ID", "Framework Name", "Framework"), true },
    { "version", S_NAMES ("Framework Version", "Version"), true },
    { "measure", S_NAMES ("Measure Code", "Measure Ref", "Measure Reference", "Reference",
                          "Ref", "Code", "NT Code", "Metric Code", "Metric ID",
                          "Reporting Metric Code"), true },
    { "theme", S_NAMES ("Theme", "Mission"), true },
    { "outcome", S_NAMES ("Outcome"), false },
    { "criterion", S_NAMES ("Award Criterion", "Award Criteria", "Model Award Criteria",
                            "Criteria"), false },
    { "description", S_NAMES ("Measure Description", "Description", "Measure Name",
                              "Reporting Metric", "Metric"), false },
    { "unit", S_NAMES ("Units", "Unit of Measure", "Unit of Measurement"), true },
    { "year", S_NAMES ("Financial Year", "FY", "Proxy Year"), false },
    { "proxy", S_NAMES ("Proxy Value", "Proxy Value (£)", "Proxy (£)", "Value"), false },
};

//  The reader's state while one file is loaded
typedef struct {
    valuation_framework_t *framework;
    sv_csv_t *reader;
    zhashx_t *index;            //  code -> measure index + 1
    sv_csv_error_fn *error_fn;
    void *arg;
    size_t id_line;             //  row that set the framework id, 0: none yet
    size_t errors;
    bool out_of_memory;
    char reason [512];
} s_loader_t;


//  --------------------------------------------------------------------------
//  Small helpers

static bool
s_code_valid (const char *text)
{
    size_t length = strlen (text);
    if (length == 0 || length > VALUATION_FRAMEWORK_CODE_MAX)
        return false;
    for (const char *scan = text; *scan; scan++)
        if (!isalnum ((unsigned char) *scan) && *scan != '.' && *scan != '-' && *scan != '_')
            return false;
    return true;
}

static void
s_measure_free (s_measure_t *measure)
{
    free (measure->code);
    free (measure->theme);
    free (measure->outcome);
    free (measure->description);
    free (measure->unit);
    free (measure->criterion);
    free (measure->fy);
    free (measure->pence);
    free (measure->lines);
}

static int
s_measure_compare (const void *left, const void *right)
{
    return strcmp (((const s_measure_t *) left)->code, ((const s_measure_t *) right)->code);
}

static int
s_string_compare (const void *left, const void *right)
{
    return strcmp (*(char *const *) left, *(char *const *) right);
}

//  Reports one bad row (or the file, for line 0 / column NULL)
static void
s_report (s_loader_t *self, size_t line, int field, const char *value, const char *reason)
{
    self->errors++;
    if (!self->error_fn)
        return;
    sv_csv_error_t error = {
        line,
        field >= 0 && self->reader? sv_csv_column (self->reader, (size_t) field): NULL,
        value,
        reason
    };
    self->error_fn (&error, self->arg);
}

//  Reports a row error with a formatted reason
static void
s_reportf (s_loader_t *self, size_t line, int field, const char *value,
           const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (self->reason, sizeof self->reason, format, args);
    va_end (args);
    s_report (self, line, field, value, self->reason);
}


//  --------------------------------------------------------------------------
//  Checks one row and adds its proxy. Returns 0 (always goes on, so that
//  every bad row is reported) or -1 when memory runs out.

static int
s_row (const sv_csv_row_t *row, void *arg)
{
    s_loader_t *self = (s_loader_t *) arg;
    valuation_framework_t *framework = self->framework;
    const char *values [F_FIELDS];
    for (size_t field = 0; field < F_FIELDS; field++)
        values [field] = row->values [field]? row->values [field]: "";
    size_t line = row->line;

    if (row->shape_error) {
        s_report (self, line, -1, NULL, row->shape_error);
        return 0;
    }
    //  Cell by cell, first problem only
    static const int codes [] = { F_FRAMEWORK, F_VERSION, F_MEASURE };
    static const char *const code_names [] = { "framework id", "version", "measure code" };
    for (size_t index = 0; index < 3; index++) {
        int field = codes [index];
        if (!*values [field]) {
            s_reportf (self, line, field, values [field], "empty %s", code_names [index]);
            return 0;
        }
        if (!s_code_valid (values [field])) {
            s_reportf (self, line, field, values [field],
                       "a %s is letters, digits, '.', '-' and '_', at most %d",
                       code_names [index], VALUATION_FRAMEWORK_CODE_MAX);
            return 0;
        }
    }
    static const int texts [] = { F_THEME, F_OUTCOME, F_DESCRIPTION, F_UNIT, F_CRITERION };
    for (size_t index = 0; index < 5; index++) {
        int field = texts [index];
        if (strlen (values [field]) > VALUATION_FRAMEWORK_TEXT_MAX) {
            s_reportf (self, line, field, values [field], "longer than %d bytes",
                       VALUATION_FRAMEWORK_TEXT_MAX);
            return 0;
        }
    }
    if (!*values [F_THEME]) {
        s_report (self, line, F_THEME, values [F_THEME], "empty theme");
        return 0;
    }
    if (!*values [F_UNIT]) {
        s_report (self, line, F_UNIT, values [F_UNIT], "empty unit");
        return 0;
    }
    //  Year and proxy both empty: the row names a record-only measure
    bool record_only = !*values [F_YEAR] && !*values [F_PROXY];
    if (!record_only && (!*values [F_YEAR] || !*values [F_PROXY])) {
        int empty = *values [F_YEAR]? F_PROXY: F_YEAR;
        s_report (self, line, empty, values [empty],
                  "a proxy row has both a year and a proxy; leave both empty for a"
                  " record-only measure (no £ value)");
        return 0;
    }
    int fy = 0;
    if (!record_only && sv_date_fy_parse (values [F_YEAR], &fy)) {
        s_report (self, line, F_YEAR, values [F_YEAR],
                  "expected a financial year such as 2024-25");
        return 0;
    }
    int64_t pence = 0;
    const char *why = NULL;
    if (!record_only && sv_money_parse (values [F_PROXY], &pence, &why)) {
        s_reportf (self, line, F_PROXY, values [F_PROXY],
                   "expected a proxy in pounds such as 14678.00: %s", why? why: "not money");
        return 0;
    }
    if (pence < 0) {
        s_report (self, line, F_PROXY, values [F_PROXY], "a proxy must not be negative");
        return 0;
    }

    //  Against the rows before it
    if (!framework->id) {
        framework->id = strdup (values [F_FRAMEWORK]);
        framework->version = strdup (values [F_VERSION]);
        if (!framework->id || !framework->version)
            return -1;
        self->id_line = line;
    }
    else
    if (strcmp (framework->id, values [F_FRAMEWORK]) != 0) {
        s_reportf (self, line, F_FRAMEWORK, values [F_FRAMEWORK],
                   "one file is one framework: row %zu has '%s'", self->id_line, framework->id);
        return 0;
    }
    else
    if (strcmp (framework->version, values [F_VERSION]) != 0) {
        s_reportf (self, line, F_VERSION, values [F_VERSION],
                   "one file is one framework version: row %zu has '%s'",
                   self->id_line, framework->version);
        return 0;
    }
    size_t found = (size_t) (uintptr_t) zhashx_lookup (self->index, values [F_MEASURE]);
    s_measure_t *measure;
    if (found) {
        measure = &framework->measures [found - 1];
        const char *const kept [] = { measure->theme, measure->outcome,
                                      measure->description, measure->unit,
                                      measure->criterion };
        static const char *const what [] = { "theme", "outcome", "description", "unit",
                                             "award criterion" };
        for (size_t index = 0; index < 5; index++)
            if (strcmp (kept [index], values [texts [index]]) != 0) {
                s_reportf (self, line, texts [index], values [texts [index]],
                           "measure %s has %s '%s' on row %zu: one %s per measure",
                           measure->code, what [index], kept [index], measure->line,
                           what [index]);
                return 0;
            }
        if (record_only || measure->years == 0) {
            s_reportf (self, line, record_only? F_PROXY: F_YEAR, values [F_MEASURE],
                       "measure %s has %s on row %zu: a record-only measure (no year, no"
                       " proxy) has one row, a valued one a proxy on every row",
                       measure->code, measure->years? "proxies": "no proxy", measure->line);
            return 0;
        }
        for (size_t year = 0; year < measure->years; year++)
            if (measure->fy [year] == fy) {
                char name [SV_DATE_FY_BUF];
                s_reportf (self, line, F_YEAR, values [F_YEAR],
                           "a second proxy for %s in %s: row %zu has one", measure->code,
                           sv_date_fy_format (fy, name, sizeof name), measure->lines [year]);
                return 0;
            }
    }
    else {
        if (framework->count == framework->slots) {
            size_t slots = framework->slots? framework->slots * 2: 64;
            s_measure_t *grown = (s_measure_t *) realloc (framework->measures,
                                                          slots * sizeof (s_measure_t));
            if (!grown)
                return -1;
            framework->measures = grown;
            framework->slots = slots;
        }
        measure = &framework->measures [framework->count];
        memset (measure, 0, sizeof *measure);
        framework->count++;
        measure->line = line;
        measure->code = strdup (values [F_MEASURE]);
        measure->theme = strdup (values [F_THEME]);
        measure->outcome = strdup (values [F_OUTCOME]);
        measure->description = strdup (values [F_DESCRIPTION]);
        measure->unit = strdup (values [F_UNIT]);
        measure->criterion = strdup (values [F_CRITERION]);
        if (!measure->code || !measure->theme || !measure->outcome
        ||  !measure->description || !measure->unit || !measure->criterion)
            return -1;
        if (zhashx_insert (self->index, measure->code,
                           (void *) (uintptr_t) framework->count))
            return -1;
    }
    if (record_only)
        return 0;
    if (measure->years == measure->slots) {
        size_t slots = measure->slots? measure->slots * 2: 4;
        int *fys = (int *) realloc (measure->fy, slots * sizeof (int));
        if (fys)
            measure->fy = fys;
        int64_t *pences = (int64_t *) realloc (measure->pence, slots * sizeof (int64_t));
        if (pences)
            measure->pence = pences;
        size_t *lines = (size_t *) realloc (measure->lines, slots * sizeof (size_t));
        if (lines)
            measure->lines = lines;
        if (!fys || !pences || !lines)
            return -1;
        measure->slots = slots;
    }
    measure->fy [measure->years] = fy;
    measure->pence [measure->years] = pence;
    measure->lines [measure->years] = line;
    measure->years++;
    return 0;
}


//  --------------------------------------------------------------------------
//  Sorts a measure's proxies by year (few: insertion sort)

static void
s_sort_years (s_measure_t *measure)
{
    for (size_t at = 1; at < measure->years; at++) {
        int fy = measure->fy [at];
        int64_t pence = measure->pence [at];
        size_t line = measure->lines [at];
        size_t to = at;
        for (; to > 0 && measure->fy [to - 1] > fy; to--) {
            measure->fy [to] = measure->fy [to - 1];
            measure->pence [to] = measure->pence [to - 1];
            measure->lines [to] = measure->lines [to - 1];
        }
        measure->fy [to] = fy;
        measure->pence [to] = pence;
        measure->lines [to] = line;
    }
}


//  --------------------------------------------------------------------------
//  Makes a framework from a framework file's bytes

valuation_framework_t *
valuation_framework_load (const void *data, size_t size,
                          sv_csv_error_fn *error_fn, void *arg)
{
    assert (data || size == 0);
    s_loader_t loader;
    memset (&loader, 0, sizeof loader);
    loader.error_fn = error_fn;
    loader.arg = arg;
    loader.framework = (valuation_framework_t *) zmalloc (sizeof (valuation_framework_t));
    loader.index = zhashx_new ();
    if (loader.framework && loader.index)
        loader.reader = sv_csv_new (s_fields, F_FIELDS, s_row, &loader);
    if (!loader.reader) {
        s_report (&loader, 0, -1, NULL, "out of memory");
        zhashx_destroy (&loader.index);
        valuation_framework_destroy (&loader.framework);
        return NULL;
    }
    //  Chunks of S_CHUNK: sv_csv gives the same rows for any chunking
    int rc = 0;
    const char *bytes = (const char *) data;
    for (size_t at = 0; at < size && rc == 0; at += S_CHUNK)
        rc = sv_csv_feed (loader.reader, bytes + at,
                              size - at < S_CHUNK? size - at: S_CHUNK);
    if (rc == 0)
        rc = sv_csv_finish (loader.reader);
    if (rc) {
        const char *refusal = sv_csv_refusal (loader.reader);
        //  The row handler stops the reader only when memory runs out
        if (!refusal || strstr (refusal, "stopped by the row handler"))
            refusal = "out of memory";
        s_report (&loader, sv_csv_header_line (loader.reader), -1, NULL, refusal);
    }
    else
    if (loader.errors == 0 && loader.framework->count == 0)
        s_report (&loader, sv_csv_header_line (loader.reader), -1, NULL,
                  "no measures: the file has a header and no rows");

    sv_csv_destroy (&loader.reader);
    zhashx_destroy (&loader.index);
    valuation_framework_t *self = loader.framework;
    if (loader.errors) {
        valuation_framework_destroy (&self);
        return NULL;
    }
    qsort (self->measures, self->count, sizeof (s_measure_t), s_measure_compare);
    for (size_t index = 0; index < self->count; index++) {
        s_measure_t *measure = &self->measures [index];
        s_sort_years (measure);
        measure->pub = (valuation_framework_measure_t) {
            measure->code, measure->theme, measure->outcome, measure->criterion,
            measure->description, measure->unit, measure->years, measure->fy, measure->pence
        };
    }
    return self;
}


//  --------------------------------------------------------------------------
//  As valuation_framework_load, from a file

valuation_framework_t *
valuation_framework_load_file (const char *path, sv_csv_error_fn *error_fn, void *arg)
{
    zchunk_t *file = (zchunk_t *) sv_csv_slurp (path, error_fn, arg);
    if (!file)
        return NULL;
    valuation_framework_t *self = valuation_framework_load (zchunk_data (file),
                                                            zchunk_size (file), error_fn, arg);
    zchunk_destroy (&file);
    return self;
}


//  --------------------------------------------------------------------------
//  Destroys a framework

void
valuation_framework_destroy (valuation_framework_t **self_p)
{
    assert (self_p);
    valuation_framework_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++)
        s_measure_free (&self->measures [index]);
    free (self->measures);
    free (self->id);
    free (self->version);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  Accessors

const char *
valuation_framework_id (const valuation_framework_t *self)
{
    assert (self);
    return self->id;
}

const char *
valuation_framework_version (const valuation_framework_t *self)
{
    assert (self);
    return self->version;
}

size_t
valuation_framework_measures (const valuation_framework_t *self)
{
    assert (self);
    return self->count;
}

const valuation_framework_measure_t *
valuation_framework_measure_at (const valuation_framework_t *self, size_t index)
{
    assert (self);
    return index < self->count? &self->measures [index].pub: NULL;
}

const valuation_framework_measure_t *
valuation_framework_measure (const valuation_framework_t *self, const char *code)
{
    assert (self);
    assert (code);
    size_t low = 0, high = self->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int order = strcmp (self->measures [middle].code, code);
        if (order == 0)
            return &self->measures [middle].pub;
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return NULL;
}


//  --------------------------------------------------------------------------
//  Proxy for a year, or the latest earlier year's

int
valuation_framework_proxy (const valuation_framework_t *self, const char *code,
                           int fy, int64_t *pence_p, int *fy_used_p)
{
    assert (pence_p);
    const valuation_framework_measure_t *measure = valuation_framework_measure (self, code);
    if (!measure)
        return -1;
    //  Years ascend: the last one not after fy
    size_t found = measure->years;
    for (size_t index = 0; index < measure->years && measure->proxy_fy [index] <= fy; index++)
        found = index;
    if (found == measure->years)
        return -1;
    *pence_p = measure->proxy_pence [found];
    if (fy_used_p)
        *fy_used_p = measure->proxy_fy [found];
    return 0;
}


//  --------------------------------------------------------------------------
//  A partner's selection

valuation_framework_selection_t *
valuation_framework_select (const valuation_framework_t *self,
                            const char *const *codes, size_t count,
                            const char **unknown_p)
{
    assert (self);
    assert (codes || count == 0);
    if (unknown_p)
        *unknown_p = NULL;
    for (size_t index = 0; index < count; index++)
        if (!codes [index] || !valuation_framework_measure (self, codes [index])) {
            if (unknown_p)
                *unknown_p = codes [index];
            return NULL;
        }
    valuation_framework_selection_t *selection =
        (valuation_framework_selection_t *) zmalloc (sizeof *selection);
    if (!selection)
        return NULL;
    selection->codes = (char **) calloc (count? count: 1, sizeof (char *));
    if (!selection->codes) {
        free (selection);
        return NULL;
    }
    for (size_t index = 0; index < count; index++) {
        selection->codes [index] = strdup (codes [index]);
        if (!selection->codes [index]) {
            selection->count = index;
            valuation_framework_selection_destroy (&selection);
            return NULL;
        }
    }
    qsort (selection->codes, count, sizeof (char *), s_string_compare);
    //  Drop repeats
    size_t kept = 0;
    for (size_t index = 0; index < count; index++)
        if (kept > 0 && strcmp (selection->codes [kept - 1], selection->codes [index]) == 0)
            free (selection->codes [index]);
        else
            selection->codes [kept++] = selection->codes [index];
    selection->count = kept;
    return selection;
}

valuation_framework_selection_t *
valuation_framework_select_text (const valuation_framework_t *self, const char *text,
                                 char **unknown_p)
{
    assert (self);
    assert (text);
    if (unknown_p)
        *unknown_p = NULL;
    char *copy = strdup (text);
    size_t slots = strlen (text) / 2 + 1;
    const char **codes = (const char **) calloc (slots, sizeof (char *));
    if (!copy || !codes) {
        free (copy);
        free (codes);
        return NULL;
    }
    size_t count = 0;
    char *saved = NULL;
    for (char *code = strtok_r (copy, ", \t\r\n", &saved); code;
         code = strtok_r (NULL, ", \t\r\n", &saved))
        codes [count++] = code;
    if (count == 1 && streq (codes [0], "all")) {
        free (codes);
        codes = (const char **) calloc (self->count? self->count: 1, sizeof (char *));
        if (!codes) {
            free (copy);
            return NULL;
        }
        for (count = 0; count < self->count; count++)
            codes [count] = self->measures [count].code;
    }
    const char *unknown = NULL;
    valuation_framework_selection_t *selection =
        valuation_framework_select (self, codes, count, &unknown);
    if (!selection && unknown && unknown_p)
        *unknown_p = strdup (unknown);
    free (codes);
    free (copy);
    return selection;
}

void
valuation_framework_selection_destroy (valuation_framework_selection_t **self_p)
{
    assert (self_p);
    valuation_framework_selection_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++)
        free (self->codes [index]);
    free (self->codes);
    free (self);
    *self_p = NULL;
}

bool
valuation_framework_selection_active (const valuation_framework_selection_t *self,
                                      const char *code)
{
    assert (code);
    if (!self)
        return true;
    return bsearch (&code, self->codes, self->count, sizeof (char *), s_string_compare) != NULL;
}

size_t
valuation_framework_selection_size (const valuation_framework_selection_t *self)
{
    assert (self);
    return self->count;
}


//  --------------------------------------------------------------------------
//  Self test

//  Collects the errors of a load
typedef struct {
    size_t count;
    char text [16][300];
} s_test_errors_t;

static void
s_test_error (const sv_csv_error_t *error, void *arg)
{
    s_test_errors_t *errors = (s_test_errors_t *) arg;
    assert (error->reason && *error->reason);
    if (errors->count < 16)
        sv_csv_error_format (error, errors->text [errors->count],
                                 sizeof errors->text [0]);
    errors->count++;
}

static valuation_framework_t *
s_test_load (const char *text, s_test_errors_t *errors)
{
    memset (errors, 0, sizeof *errors);
    return valuation_framework_load (text, strlen (text), s_test_error, errors);
}

void
valuation_framework_test (bool verbose)
{
    if (verbose)
        printf (" * valuation_framework:\n");
    s_test_errors_t errors;

    //  A small framework: a title line above the header, headers worded
    //  another way, proxies in every money form, rows in any order
    const char *good =
        "Test framework export\n"
        "Framework ID,Framework Version,Measure Code,Theme,Outcome,Measure Description,"
            "Units,Financial Year,Proxy Value\n"
        "test-toms,1,T-JOB-01,Jobs,More local jobs,Local people employed,FTE,2025-26,"
            "\"£24,700.00\"\n"
        "test-toms,1,T-JOB-01,Jobs,More local jobs,Local people employed,FTE,2024/25,24000\n"
        "test-toms,1,T-ENV-01,Environment,,,tonnes CO2e,2024-25,£250.25\n"
        "test-toms,1,T-SOC-01,Social,Stronger communities,Volunteering,hours,2022-23,16.5\n";
    valuation_framework_t *framework = s_test_load (good, &errors);
    assert (framework);
    assert (errors.count == 0);
    assert (streq (valuation_framework_id (framework), "test-toms"));
    assert (streq (valuation_framework_version (framework), "1"));
    assert (valuation_framework_measures (framework) == 3);

    //  Iteration in code order
    const char *order [] = { "T-ENV-01", "T-JOB-01", "T-SOC-01" };
    for (size_t index = 0; index < 3; index++)
        assert (streq (valuation_framework_measure_at (framework, index)->code, order [index]));
    assert (valuation_framework_measure_at (framework, 3) == NULL);

    const valuation_framework_measure_t *measure =
        valuation_framework_measure (framework, "T-JOB-01");
    assert (measure);
    assert (streq (measure->theme, "Jobs"));
    assert (streq (measure->outcome, "More local jobs"));
    assert (streq (measure->description, "Local people employed"));
    assert (streq (measure->unit, "FTE"));
    assert (measure->years == 2);
    assert (measure->proxy_fy [0] == 2024 && measure->proxy_pence [0] == 2400000);
    assert (measure->proxy_fy [1] == 2025 && measure->proxy_pence [1] == 2470000);
    measure = valuation_framework_measure (framework, "T-ENV-01");
    assert (streq (measure->outcome, "") && streq (measure->description, ""));
    assert (valuation_framework_measure (framework, "t-job-01") == NULL);
    assert (valuation_framework_measure (framework, "T-XXX-99") == NULL);

    //  Proxies: the year asked, else the latest earlier year's
    int64_t pence = -1;
    int used = 0;
    assert (valuation_framework_proxy (framework, "T-JOB-01", 2024, &pence, &used) == 0);
    assert (pence == 2400000 && used == 2024);
    assert (valuation_framework_proxy (framework, "T-JOB-01", 2025, &pence, &used) == 0);
    assert (pence == 2470000 && used == 2025);
    assert (valuation_framework_proxy (framework, "T-JOB-01", 2030, &pence, &used) == 0);
    assert (pence == 2470000 && used == 2025);
    assert (valuation_framework_proxy (framework, "T-SOC-01", 2025, &pence, NULL) == 0);
    assert (pence == 1650);
    assert (valuation_framework_proxy (framework, "T-ENV-01", 2024, &pence, &used) == 0);
    assert (pence == 25025 && used == 2024);
    //  No earlier year, or no such measure: -1, nothing changed
    pence = -1;
    used = 0;
    assert (valuation_framework_proxy (framework, "T-JOB-01", 2023, &pence, &used) == -1);
    assert (valuation_framework_proxy (framework, "T-XXX-99", 2024, &pence, &used) == -1);
    assert (pence == -1 && used == 0);

    //  A partner's selection
    const char *codes [] = { "T-JOB-01", "T-ENV-01", "T-JOB-01" };
    const char *unknown = NULL;
    valuation_framework_selection_t *selection =
        valuation_framework_select (framework, codes, 3, &unknown);
    assert (selection && unknown == NULL);
    assert (valuation_framework_selection_size (selection) == 2);
    assert (valuation_framework_selection_active (selection, "T-JOB-01"));
    assert (valuation_framework_selection_active (selection, "T-ENV-01"));
    assert (!valuation_framework_selection_active (selection, "T-SOC-01"));
    assert (!valuation_framework_selection_active (selection, "T-XXX-99"));
    assert (valuation_framework_selection_active (NULL, "T-SOC-01"));
    valuation_framework_selection_destroy (&selection);
    valuation_framework_selection_destroy (&selection);
    assert (selection == NULL);
    const char *typo [] = { "T-JOB-01", "T-JOB-1" };
    assert (valuation_framework_select (framework, typo, 2, &unknown) == NULL);
    assert (streq (unknown, "T-JOB-1"));

    //  From config text
    char *missing = NULL;
    selection = valuation_framework_select_text (framework, " T-SOC-01,T-ENV-01\tT-SOC-01 ",
                                                 &missing);
    assert (selection && missing == NULL);
    assert (valuation_framework_selection_size (selection) == 2);
    assert (valuation_framework_selection_active (selection, "T-SOC-01"));
    assert (!valuation_framework_selection_active (selection, "T-JOB-01"));
    valuation_framework_selection_destroy (&selection);
    selection = valuation_framework_select_text (framework, "all", &missing);
    assert (selection && valuation_framework_selection_size (selection) == 3);
    valuation_framework_selection_destroy (&selection);
    selection = valuation_framework_select_text (framework, "", &missing);
    assert (selection && valuation_framework_selection_size (selection) == 0);
    assert (!valuation_framework_selection_active (selection, "T-JOB-01"));
    valuation_framework_selection_destroy (&selection);
    assert (valuation_framework_select_text (framework, "T-ENV-01, NT99", &missing) == NULL);
    assert (streq (missing, "NT99"));
    free (missing);
    valuation_framework_destroy (&framework);
    valuation_framework_destroy (&framework);
    assert (framework == NULL);

    //  A bad file is refused whole, with every bad row named
    const char *bad =
        "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
        "test-toms,1,T-JOB-01,Jobs,,,FTE,2024-25,24000\n"               //  2 good
        "test-toms,1,T-JOB-02,Jobs,,,weeks,2024-25,twelve\n"            //  3
        "test-toms,1,T-JOB-03,Jobs,,,weeks,2024,220\n"                  //  4
        "test-toms,1,T-JOB-01,Jobs,,,weeks,2025-26,24700\n"             //  5
        "test-toms,1,T-JOB-01,Jobs,,,FTE,2024-25,24500\n"               //  6
        "other-toms,1,T-ENV-01,Environment,,,tonnes,2024-25,250\n"      //  7
        "test-toms,2,T-ENV-01,Environment,,,tonnes,2024-25,250\n"       //  8
        "test-toms,1,,Social,,,hours,2024-25,16\n"                      //  9
        "test-toms,1,T-SOC-01,Social,,,hours,2024-25,-16\n"             //  10
        "test-toms,1,T SOC 02,Social,,,hours,2024-25,16\n"              //  11
        "test-toms,1,T-SOC-03,,,,hours,2024-25,16\n"                    //  12
        "test-toms,1,T-SOC-04,Social,,,hours,2024-25,16.505\n"          //  13
        "test-toms,1,T-SOC-05,Social,,,hours\n"                         //  14
        "test-toms,1,T-SOC-06,Social,,,hours,2024-25,16\n";             //  15 good
    framework = s_test_load (bad, &errors);
    assert (framework == NULL);
    if (verbose)
        for (size_t index = 0; index < errors.count; index++)
            printf ("   %s\n", errors.text [index]);
    assert (errors.count == 12);
    assert (streq (errors.text [0], "row 3, column 'proxy', value 'twelve': "
                   "expected a proxy in pounds such as 14678.00: not a number"));
    assert (streq (errors.text [1], "row 4, column 'year', value '2024': "
                   "expected a financial year such as 2024-25"));
    assert (streq (errors.text [2], "row 5, column 'unit', value 'weeks': "
                   "measure T-JOB-01 has unit 'FTE' on row 2: one unit per measure"));
    assert (streq (errors.text [3], "row 6, column 'year', value '2024-25': "
                   "a second proxy for T-JOB-01 in 2024-25: row 2 has one"));
    assert (streq (errors.text [4], "row 7, column 'framework', value 'other-toms': "
                   "one file is one framework: row 2 has 'test-toms'"));
    assert (streq (errors.text [5], "row 8, column 'version', value '2': "
                   "one file is one framework version: row 2 has '1'"));
    assert (streq (errors.text [6], "row 9, column 'measure', value '': empty measure code"));
    assert (streq (errors.text [7], "row 10, column 'proxy', value '-16': "
                   "a proxy must not be negative"));
    assert (strstr (errors.text [8], "row 11, column 'measure', value 'T SOC 02': "
                    "a measure code is letters, digits"));
    assert (streq (errors.text [9], "row 12, column 'theme', value '': empty theme"));
    assert (strstr (errors.text [10], "row 13, column 'proxy', value '16.505': "
                    "expected a proxy in pounds such as 14678.00: "));
    assert (streq (errors.text [11], "row 14: 7 cells where the header has 9"));

    //  Refused files: not a framework, no rows, unclosed quote, empty
    framework = s_test_load ("measure,theme,proxy\nT-1,Jobs,5\n", &errors);
    assert (framework == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "no column for framework"));
    framework = s_test_load ("framework,version,measure,theme,unit,year,proxy\n", &errors);
    assert (framework == NULL && errors.count == 1);
    assert (streq (errors.text [0], "row 1: no measures: the file has a header and no rows"));
    framework = s_test_load ("framework,version,measure,theme,unit,year,proxy\n"
                             "f,1,M,\"Jobs,FTE,2024-25,5\n", &errors);
    assert (framework == NULL && errors.count == 1);
    framework = s_test_load ("", &errors);
    assert (framework == NULL && errors.count == 1);

    //  Record-only measures: no year and no proxy, one row, never a £;
    //  a measure is record-only or valued on every row, never half
    framework = s_test_load ("framework,version,measure,theme,unit,year,proxy\n"
                             "f,1,R-1,Jobs,people,,\n"
                             "f,1,V-1,Jobs,FTE,2024-25,100\n", &errors);
    assert (framework && errors.count == 0);
    assert (valuation_framework_measure (framework, "R-1")->years == 0);
    assert (valuation_framework_proxy (framework, "R-1", 2024, &pence, &used) == -1);
    assert (valuation_framework_proxy (framework, "V-1", 2024, &pence, &used) == 0);
    valuation_framework_destroy (&framework);
    framework = s_test_load ("framework,version,measure,theme,unit,year,proxy\n"
                             "f,1,R-1,Jobs,people,,\n"
                             "f,1,R-1,Jobs,people,2024-25,5\n"
                             "f,1,V-1,Jobs,FTE,2024-25,100\n"
                             "f,1,V-1,Jobs,FTE,,\n"
                             "f,1,H-1,Jobs,FTE,2024-25,\n", &errors);
    assert (framework == NULL && errors.count == 3);
    assert (strstr (errors.text [0], "row 3, column 'year', value 'R-1': measure R-1 has no"
                    " proxy on row 2"));
    assert (strstr (errors.text [1], "row 5, column 'proxy', value 'V-1': measure V-1 has"
                    " proxies on row 4"));
    assert (strstr (errors.text [2], "row 6, column 'proxy', value '': a proxy row has both"));
    framework = valuation_framework_load_file ("tests/fixtures/no-such-framework.csv",
                                               s_test_error, memset (&errors, 0, sizeof errors));
    assert (framework == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "cannot read tests/fixtures/no-such-framework.csv"));

    //  The illustrative frameworks shipped in deploy/frameworks
    struct {
        const char *path;
        const char *id;
        const char *version;
        size_t measures;
    } shipped [] = {
        { "deploy/frameworks/illustrative-national-2019.csv", "illustrative-national", "2019", 35 },
        { "deploy/frameworks/illustrative-rationalised-2024.csv", "illustrative-rationalised",
          "2024", 20 },
    };
    //  The illustrative Social-Value-Model-shaped set: metrics, no proxies
    memset (&errors, 0, sizeof errors);
    framework = valuation_framework_load_file ("deploy/frameworks/illustrative-svm-2025.csv",
                                               s_test_error, &errors);
    assert (framework && errors.count == 0);
    assert (streq (valuation_framework_id (framework), "illustrative-svm"));
    assert (valuation_framework_measures (framework) == 20);
    for (size_t index = 0; index < valuation_framework_measures (framework); index++)
        assert (valuation_framework_measure_at (framework, index)->years == 0);
    measure = valuation_framework_measure (framework, "SVM-1C-01");
    assert (streq (measure->theme, "Kickstart economic growth"));
    assert (streq (measure->criterion, "Fair pay") && streq (measure->unit, "FTE"));
    valuation_framework_destroy (&framework);
    for (size_t file = 0; file < 2; file++) {
        memset (&errors, 0, sizeof errors);
        framework = valuation_framework_load_file (shipped [file].path, s_test_error, &errors);
        assert (framework && errors.count == 0);
        assert (streq (valuation_framework_id (framework), shipped [file].id));
        assert (streq (valuation_framework_version (framework), shipped [file].version));
        assert (valuation_framework_measures (framework) == shipped [file].measures);
        const char *themes [] = { "Jobs", "Growth", "Social", "Environment", "Innovation" };
        size_t per_theme [5] = { 0 };
        for (size_t index = 0; index < valuation_framework_measures (framework); index++) {
            measure = valuation_framework_measure_at (framework, index);
            assert (measure->years == 3);
            assert (measure->proxy_fy [0] == 2023 && measure->proxy_fy [2] == 2025);
            size_t theme = 0;
            while (theme < 5 && !streq (measure->theme, themes [theme]))
                theme++;
            assert (theme < 5);
            per_theme [theme]++;
        }
        for (size_t theme = 0; theme < 5; theme++)
            assert (per_theme [theme] > 0);
        valuation_framework_destroy (&framework);
    }
    //  Spot checks: a national measure over its three years
    framework = valuation_framework_load_file (shipped [0].path, NULL, NULL);
    assert (framework);
    assert (valuation_framework_proxy (framework, "ILL-JOB-07", 2024, &pence, &used) == 0);
    assert (pence == 22500 && used == 2024);
    assert (streq (valuation_framework_measure (framework, "ILL-JOB-07")->unit, "weeks"));
    assert (valuation_framework_proxy (framework, "ILL-ENV-01", 2026, &pence, &used) == 0);
    assert (pence == 27000 && used == 2025);
    valuation_framework_destroy (&framework);

    if (verbose)
        printf ("   OK\n");
}
