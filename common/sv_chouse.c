/*  =========================================================================
    sv_chouse - suppliers found in Companies House's bulk file

    Each supplier wanted is one s_want_t, kept in the order given. Two hashes find them from a row: by number (8 characters) and
    by name key; suppliers sharing a number or a name key are chained
    through next_same. A row that neither hash knows costs a number check
    and a name key, nothing kept: 5 million rows in the memory of the
    suppliers wanted.
    =========================================================================
*/

#include "sv_chouse.h"
#include "sv_company.h"
#include "sv_date.h"
#include "sv_name.h"
#include "sv_postcode.h"
#include <czmq.h>

//  Candidates named in an ambiguity; more are counted
#define S_CANDIDATES_NAMED 5
//  Bytes of a SIC list: four codes and their commas
#define S_SIC_BUF 24

typedef struct _s_want_t s_want_t;
struct _s_want_t {
    char *supplier_key;
    char *supplier_name;
    char number [SV_COMPANY_BUF];       //  "" when looked for by name
    char *name_key;                     //  "" when looked for by number
    s_want_t *next_same;                //  the next wanted by the same number or name
    //  What the file said: the company found (the first, for a name)
    size_t found;                       //  distinct companies matched
    zlistx_t *numbers;                  //  of a name: the numbers matched, distinct
    char *company_number;
    char *company_name;
    char postcode [SV_POSTCODE_BUF];
    char *status;
    char dissolved [SV_DATE_BUF];
    char sic_codes [S_SIC_BUF];
    zchunk_t *candidates;               //  "NAME (number), ..."
};

enum { F_NAME, F_NUMBER, F_POSTCODE, F_STATUS, F_DISSOLVED, F_SIC1, F_SIC2, F_SIC3, F_SIC4,
       F_FIELDS };

#define S_NAMES(...) (const char *const []) { __VA_ARGS__, NULL }
static const sv_csv_field_t s_fields [F_FIELDS] = {
    { "company_name", S_NAMES ("CompanyName"), true },
    { "company_number", S_NAMES ("CompanyNumber"), true },
    { "postcode", S_NAMES ("RegAddress.PostCode"), true },
    { "status", S_NAMES ("CompanyStatus"), true },
    { "dissolved", S_NAMES ("DissolutionDate"), false },
    { "sic_1", S_NAMES ("SICCode.SicText_1"), false },
    { "sic_2", S_NAMES ("SICCode.SicText_2"), false },
    { "sic_3", S_NAMES ("SICCode.SicText_3"), false },
    { "sic_4", S_NAMES ("SICCode.SicText_4"), false },
};

struct _sv_chouse_t {
    s_want_t **wants;                   //  in the order given
    size_t count;
    size_t slots;
    zhashx_t *by_number;                //  number -> first s_want_t (not owned)
    zhashx_t *by_name;                  //  name key -> first s_want_t (not owned)
    sv_chouse_error_fn *error_fn;
    void *arg;
    sv_csv_t *reader;                   //  of the file being read
    char *file;
    char *refusal;
    size_t rows;
    size_t errors;
};

sv_chouse_t *
sv_chouse_new (sv_chouse_error_fn *error_fn, void *arg)
{
    sv_chouse_t *self = (sv_chouse_t *) zmalloc (sizeof (sv_chouse_t));
    self->by_number = zhashx_new ();
    self->by_name = zhashx_new ();
    self->error_fn = error_fn;
    self->arg = arg;
    return self;
}

static void
s_want_free (s_want_t *want)
{
    free (want->supplier_key);
    free (want->supplier_name);
    free (want->name_key);
    zlistx_destroy (&want->numbers);
    free (want->company_number);
    free (want->company_name);
    free (want->status);
    zchunk_destroy (&want->candidates);
    free (want);
}

void
sv_chouse_destroy (sv_chouse_t **self_p)
{
    assert (self_p);
    sv_chouse_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++)
        s_want_free (self->wants [index]);
    free (self->wants);
    zhashx_destroy (&self->by_number);
    zhashx_destroy (&self->by_name);
    sv_csv_destroy (&self->reader);
    free (self->file);
    free (self->refusal);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Names

//  Company types, as sv_name_key writes them, longest first within each
//  family; each is dropped from the end of a name
static const char *const s_types [] = {
    "public limited company", "limited liability partnership",
    "community interest company", "cwmni buddiant cymunedol",
    "cyfyngedig", "limited", "ltd", "plc", "llp", "cic", "ccc", "cyf", "lp", NULL
};

int
sv_chouse_name_key (const char *name, char *out, size_t size)
{
    assert (name && out);
    if (sv_name_key (name, out, size))
        return -1;
    size_t length = strlen (out);
    bool dropped = true;
    //  "Acme Holdings Ltd Ltd" loses both; a name that is nothing but a
    //  type keeps one, spelt one way
    while (dropped) {
        dropped = false;
        for (const char *const *type = s_types; *type; type++) {
            size_t type_length = strlen (*type);
            if (length > type_length && out [length - type_length - 1] == ' '
            &&  memcmp (out + length - type_length, *type, type_length) == 0) {
                length -= type_length + 1;
                out [length] = '\0';
                dropped = true;
                break;
            }
            if (length == type_length && memcmp (out, *type, type_length) == 0) {
                snprintf (out, size, "limited");
                return 0;
            }
        }
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Suppliers wanted

int
sv_chouse_want (sv_chouse_t *self, const char *supplier_key, const char *number,
                const char *name)
{
    assert (self && supplier_key && number && name);
    assert (!self->reader && self->rows == 0);
    if (self->count == self->slots) {
        size_t slots = self->slots? self->slots * 2: 64;
        s_want_t **grown = (s_want_t **) realloc (self->wants, slots * sizeof (s_want_t *));
        assert (grown);
        self->wants = grown;
        self->slots = slots;
    }
    s_want_t *want = (s_want_t *) zmalloc (sizeof (s_want_t));
    self->wants [self->count++] = want;
    want->supplier_key = strdup (supplier_key);
    want->supplier_name = strdup (name);
    char key [SV_NAME_BUF] = "";
    if (sv_company_number (number, want->number, sizeof want->number, NULL))
        want->number [0] = '\0';
    if (!*want->number && sv_chouse_name_key (name, key, sizeof key))
        key [0] = '\0';
    want->name_key = strdup (key);
    zhashx_t *hash = *want->number? self->by_number: self->by_name;
    const char *lookup = *want->number? want->number: want->name_key;
    if (!*lookup)
        return -1;
    s_want_t *first = (s_want_t *) zhashx_lookup (hash, lookup);
    if (first) {
        while (first->next_same)
            first = first->next_same;
        first->next_same = want;
    }
    else
        zhashx_insert (hash, lookup, want);
    return 0;
}

//  --------------------------------------------------------------------------
//  Rows

static void
s_error (sv_chouse_t *self, size_t line, int field, const char *value, const char *reason)
{
    self->errors++;
    if (!self->error_fn)
        return;
    sv_csv_error_t error = {
        .line = line,
        .column = field >= 0? sv_csv_column (self->reader, (size_t) field): NULL,
        .value = value, .reason = reason
    };
    self->error_fn (self->file, &error, self->arg);
}

//  Reads the SIC cells into codes ("56210,56290"); -1 having reported
//  the row when one is neither "NNNNN - text" nor "None Supplied"
static int
s_sic_codes (sv_chouse_t *self, const sv_csv_row_t *row, char *codes)
{
    codes [0] = '\0';
    for (int field = F_SIC1; field <= F_SIC4; field++) {
        const char *cell = row->values [field];
        if (!cell || !*cell || strcasecmp (cell, "None Supplied") == 0)
            continue;
        if (strspn (cell, "0123456789") != 5 || (cell [5] && cell [5] != ' ')) {
            s_error (self, row->line, field, cell,
                     "expected a SIC 2007 code and its description, such as"
                     " '81210 - General cleaning of buildings'");
            return -1;
        }
        size_t length = strlen (codes);
        snprintf (codes + length, S_SIC_BUF - length, "%s%.5s", length? ",": "", cell);
    }
    return 0;
}

static void
s_fill (s_want_t *want, const sv_csv_row_t *row, const char *number, const char *postcode,
        const char *dissolved, const char *codes)
{
    want->company_number = strdup (number);
    want->company_name = strdup (row->values [F_NAME]);
    snprintf (want->postcode, sizeof want->postcode, "%s", postcode);
    want->status = strdup (row->values [F_STATUS]);
    snprintf (want->dissolved, sizeof want->dissolved, "%s", dissolved);
    snprintf (want->sic_codes, sizeof want->sic_codes, "%s", codes);
}

static void
s_name_match (s_want_t *want, const sv_csv_row_t *row, const char *number,
              const char *postcode, const char *dissolved, const char *codes)
{
    if (!want->numbers) {
        want->numbers = zlistx_new ();
        zlistx_set_duplicator (want->numbers, (zlistx_duplicator_fn *) strdup);
        zlistx_set_destructor (want->numbers, (zlistx_destructor_fn *) zstr_free);
        zlistx_set_comparator (want->numbers, (zlistx_comparator_fn *) strcmp);
        want->candidates = zchunk_new (NULL, 0);
    }
    if (zlistx_find (want->numbers, (void *) number))
        return;                         //  the same company in another part
    zlistx_add_end (want->numbers, (void *) number);
    if (++want->found == 1)
        s_fill (want, row, number, postcode, dissolved, codes);
    if (want->found <= S_CANDIDATES_NAMED) {
        char *text = zsys_sprintf ("%s%s (%s)", want->found > 1? ", ": "",
                                   row->values [F_NAME], number);
        zchunk_extend (want->candidates, text, strlen (text));
        zstr_free (&text);
    }
}

static int
s_row (const sv_csv_row_t *row, void *arg)
{
    sv_chouse_t *self = (sv_chouse_t *) arg;
    self->rows++;
    if (row->shape_error) {
        s_error (self, row->line, -1, NULL, row->shape_error);
        return 0;
    }
    const char *cell = row->values [F_NUMBER];
    char number [SV_COMPANY_BUF];
    const char *why = NULL;
    if (sv_company_number (cell, number, sizeof number, &why) || !*number) {
        s_error (self, row->line, F_NUMBER, cell, why? why: "not a company number");
        return 0;
    }
    s_want_t *by_number = (s_want_t *) zhashx_lookup (self->by_number, number);
    s_want_t *by_name = NULL;
    char key [SV_NAME_BUF];
    if (zhashx_size (self->by_name) && sv_chouse_name_key (row->values [F_NAME], key,
                                                           sizeof key) == 0 && *key)
        by_name = (s_want_t *) zhashx_lookup (self->by_name, key);
    if (!by_number && !by_name)
        return 0;
    //  A row kept: its other cells must read
    char postcode [SV_POSTCODE_BUF] = "", dissolved [SV_DATE_BUF] = "", codes [S_SIC_BUF];
    if (sv_postcode_normalise (row->values [F_POSTCODE], postcode, sizeof postcode, NULL))
        postcode [0] = '\0';            //  abroad, or none: the place stays unknown
    const char *date = row->values [F_DISSOLVED];
    if (date && *date) {
        int32_t day;
        const char *reason = NULL;
        if (sv_date_parse (date, &day, &reason)) {
            char text [200];
            snprintf (text, sizeof text, "expected a dissolution date such as 29/06/2011: %s",
                      reason? reason: "not a date");
            s_error (self, row->line, F_DISSOLVED, date, text);
            return 0;
        }
        sv_date_format (day, dissolved, sizeof dissolved);
    }
    if (s_sic_codes (self, row, codes))
        return 0;
    for (s_want_t *want = by_number; want; want = want->next_same)
        if (!want->found++)
            s_fill (want, row, number, postcode, dissolved, codes);
    for (s_want_t *want = by_name; want; want = want->next_same)
        s_name_match (want, row, number, postcode, dissolved, codes);
    return 0;
}

//  --------------------------------------------------------------------------
//  Files

int
sv_chouse_begin (sv_chouse_t *self, const char *file)
{
    assert (self && file);
    sv_csv_destroy (&self->reader);
    free (self->file);
    free (self->refusal);
    self->refusal = NULL;
    self->file = strdup (file);
    self->reader = sv_csv_new (s_fields, F_FIELDS, s_row, self);
    if (!self->reader) {
        self->refusal = strdup ("out of memory");
        return -1;
    }
    return 0;
}

static int
s_refused (sv_chouse_t *self)
{
    if (!self->refusal) {
        const char *why = self->reader? sv_csv_refusal (self->reader): NULL;
        self->refusal = strdup (why? why: "the file cannot be read");
    }
    return -1;
}

int
sv_chouse_feed (sv_chouse_t *self, const void *data, size_t size)
{
    assert (self);
    if (!self->reader || self->refusal)
        return -1;
    return sv_csv_feed (self->reader, data, size)? s_refused (self): 0;
}

int
sv_chouse_end (sv_chouse_t *self)
{
    assert (self);
    if (!self->reader || self->refusal)
        return -1;
    return sv_csv_finish (self->reader)? s_refused (self): 0;
}

int
sv_chouse_read_file (sv_chouse_t *self, const char *path)
{
    assert (self && path);
    if (sv_chouse_begin (self, path))
        return -1;
    FILE *file = fopen (path, "rb");
    if (!file) {
        self->refusal = zsys_sprintf ("cannot read %s: %s", path, strerror (errno));
        return -1;
    }
    char buffer [65536];
    size_t size;
    int rc = 0;
    while (rc == 0 && (size = fread (buffer, 1, sizeof buffer, file)) > 0)
        rc = sv_chouse_feed (self, buffer, size);
    if (rc == 0 && ferror (file)) {
        self->refusal = zsys_sprintf ("cannot read %s: %s", path, strerror (errno));
        rc = -1;
    }
    fclose (file);
    return rc? -1: sv_chouse_end (self);
}

const char *
sv_chouse_refusal (sv_chouse_t *self)
{
    assert (self);
    return self->refusal;
}

size_t
sv_chouse_rows (sv_chouse_t *self)
{
    assert (self);
    return self->rows;
}

size_t
sv_chouse_errors (sv_chouse_t *self)
{
    assert (self);
    return self->errors;
}

void
sv_chouse_each (sv_chouse_t *self, sv_chouse_result_fn *fn, void *arg)
{
    assert (self && fn);
    for (size_t index = 0; index < self->count; index++) {
        s_want_t *want = self->wants [index];
        bool by_number = *want->number != '\0';
        sv_chouse_result_t result = {
            .supplier_key = want->supplier_key, .supplier_name = want->supplier_name,
            .outcome = want->found == 0? "not found"
                     : by_number? "by number"
                     : want->found == 1? "by unique name": "ambiguous",
            .number = "", .name = "", .postcode = "", .status = "", .dissolved = "",
            .sic_codes = "", .rlw_category = "", .candidates = ""
        };
        char *candidates = NULL;
        if (want->found == 1 || (by_number && want->found)) {
            result.number = want->company_number;
            result.name = want->company_name;
            result.postcode = want->postcode;
            result.status = want->status;
            result.dissolved = want->dissolved;
            result.sic_codes = want->sic_codes;
            result.rlw_category = sv_chouse_rlw_category (want->sic_codes);
        }
        else
        if (want->found > 1) {
            if (want->found > S_CANDIDATES_NAMED)
                candidates = zsys_sprintf ("%.*s and %zu more",
                                           (int) zchunk_size (want->candidates),
                                           (char *) zchunk_data (want->candidates),
                                           want->found - S_CANDIDATES_NAMED);
            else
                candidates = zsys_sprintf ("%.*s", (int) zchunk_size (want->candidates),
                                           (char *) zchunk_data (want->candidates));
            result.candidates = candidates;
        }
        fn (&result, arg);
        zstr_free (&candidates);
    }
}

const char *
sv_chouse_rlw_category (const char *sic_codes)
{
    assert (sic_codes);
    for (const char *code = sic_codes; strlen (code) >= 5; code += 5 + (code [5] == ',')) {
        if (strncmp (code, "81210", 5) == 0 || strncmp (code, "8122", 4) == 0
        ||  strncmp (code, "81291", 5) == 0 || strncmp (code, "81299", 5) == 0)
            return "cleaning";
        if (strncmp (code, "801", 3) == 0 || strncmp (code, "802", 3) == 0
        ||  strncmp (code, "803", 3) == 0)
            return "security";
        if (strncmp (code, "56210", 5) == 0 || strncmp (code, "56290", 5) == 0)
            return "catering";
        if (strncmp (code, "87", 2) == 0 || strncmp (code, "88", 2) == 0)
            return "care";
        if (strncmp (code, "81100", 5) == 0)
            return "facilities";
        if (code [5] != ',')
            break;
    }
    return "";
}

//  --------------------------------------------------------------------------
//  Self test

typedef struct {
    size_t count;
    char text [8][400];
    char results [16][400];
    size_t results_count;
} s_test_t;

static void
s_test_error (const char *file, const sv_csv_error_t *error, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    if (test->count < 8) {
        char line [300];
        sv_csv_error_format (error, line, sizeof line);
        snprintf (test->text [test->count], sizeof test->text [0], "%s: %s", file, line);
    }
    test->count++;
}

static void
s_test_result (const sv_chouse_result_t *result, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    if (test->results_count < 16)
        snprintf (test->results [test->results_count++], sizeof test->results [0],
                  "%s %s: %s %s %s %s %s %s %s%s", result->supplier_key, result->outcome,
                  result->number, result->name, result->postcode, result->status,
                  result->sic_codes, result->rlw_category, result->dissolved,
                  result->candidates);
}

void
sv_chouse_test (bool verbose)
{
    printf (" * sv_chouse: ");

    //  Names: case, punctuation, '&', the company type at the end
    char key [SV_NAME_BUF];
    assert (sv_chouse_name_key ("Acme Cleaning Ltd.", key, sizeof key) == 0);
    assert (streq (key, "acme cleaning"));
    sv_chouse_name_key ("ACME CLEANING LIMITED", key, sizeof key);
    assert (streq (key, "acme cleaning"));
    sv_chouse_name_key ("Smith & Sons (Catering) Public Limited Company", key, sizeof key);
    assert (streq (key, "smith and sons catering"));
    sv_chouse_name_key ("Unbeaten  Events LTD", key, sizeof key);
    assert (streq (key, "unbeaten events"));
    sv_chouse_name_key ("Care Co CIC", key, sizeof key);
    assert (streq (key, "care co"));
    sv_chouse_name_key ("! LTD", key, sizeof key);
    assert (streq (key, "limited"));
    sv_chouse_name_key ("Limited Edition Prints", key, sizeof key);
    assert (streq (key, "limited edition prints"));

    //  SIC codes suggest a category, first code that names one
    assert (streq (sv_chouse_rlw_category ("81210"), "cleaning"));
    assert (streq (sv_chouse_rlw_category ("68209,81229"), "cleaning"));
    assert (streq (sv_chouse_rlw_category ("80100"), "security"));
    assert (streq (sv_chouse_rlw_category ("56210,56290"), "catering"));
    assert (streq (sv_chouse_rlw_category ("87300"), "care"));
    assert (streq (sv_chouse_rlw_category ("88100"), "care"));
    assert (streq (sv_chouse_rlw_category ("81100"), "facilities"));
    assert (streq (sv_chouse_rlw_category ("62020"), ""));
    assert (streq (sv_chouse_rlw_category (""), ""));

    //  The real excerpt, in its two parts: by number (written as a
    //  spreadsheet would), by unique name, an ambiguous name refused with
    //  its candidates, and one not there
    s_test_t test = { 0 };
    sv_chouse_t *self = sv_chouse_new (s_test_error, &test);
    assert (sv_chouse_want (self, "CH:05857258", "5857258.0", "01 Digital") == 0);
    assert (sv_chouse_want (self, "CH:SC606050", "sc606050", "") == 0);
    assert (sv_chouse_want (self, "NAME:UNBEATEN EVENTS", "", "Unbeaten Events Limited") == 0);
    assert (sv_chouse_want (self, "ID:S-9", "", "Azra Property Ltd") == 0);
    assert (sv_chouse_want (self, "NAME:! LIMITED", "", "! Limited") == 0);
    assert (sv_chouse_want (self, "NAME:ACME", "", "Acme Cleaning Ltd") == 0);
    assert (sv_chouse_want (self, "ID:S-10", "", "") == -1);
    assert (sv_chouse_read_file (self, "tests/fixtures/companies_house/BasicCompanyData-part1_2.csv") == 0);
    assert (sv_chouse_read_file (self, "tests/fixtures/companies_house/BasicCompanyData-part2_2.csv") == 0);
    //  The first part read again (a part sent twice) adds no candidate
    assert (sv_chouse_read_file (self, "tests/fixtures/companies_house/BasicCompanyData-part1_2.csv") == 0);
    assert (sv_chouse_rows (self) == 12 && sv_chouse_errors (self) == 0 && test.count == 0);
    sv_chouse_each (self, s_test_result, &test);
    if (verbose)
        for (size_t index = 0; index < test.results_count; index++)
            printf ("\n   %s", test.results [index]);
    assert (test.results_count == 7);
    assert (streq (test.results [0], "CH:05857258 by number: 05857258 01 DIGITAL LIMITED TS22 5HW"
                   " Active 62020  "));
    assert (streq (test.results [1], "CH:SC606050 by number: SC606050 !NSPIRED INVESTMENTS LTD"
                   " AB11 7SY Active 41100  "));
    assert (streq (test.results [2], "NAME:UNBEATEN EVENTS by unique name: 11079469 UNBEATEN"
                   " EVENTS LTD SO41 0HD Active 56210 catering "));
    assert (streq (test.results [3], "ID:S-9 by unique name: 11642808 AZRA PROPERTY LIMITED"
                   " CR0 2LX Active 68100  "));
    assert (streq (test.results [4], "NAME:! LIMITED ambiguous:       ! LIMITED (12778855),"
                   " ! LTD (08209948), !? LTD (11399177)"));
    assert (streq (test.results [5], "NAME:ACME not found:       "));
    assert (streq (test.results [6], "ID:S-10 not found:       "));
    sv_chouse_destroy (&self);
    sv_chouse_destroy (&self);

    //  Bad input: a malformed number, a bad dissolution date and SIC cell
    //  on a row kept, a short row; each named by file, row and column
    memset (&test, 0, sizeof test);
    self = sv_chouse_new (s_test_error, &test);
    sv_chouse_want (self, "CH:05857258", "05857258", "");
    sv_chouse_want (self, "NAME:UNBEATEN EVENTS", "", "Unbeaten Events");
    assert (sv_chouse_begin (self, "part1.csv") == 0);
    const char *text =
        "CompanyName, CompanyNumber,RegAddress.PostCode,CompanyStatus,DissolutionDate,"
        "SICCode.SicText_1\r\n"
        "\"A LTD\",\"12345\",\"S1 1AA\",\"Active\",\"\",\"\"\r\n"
        "\"01 DIGITAL LIMITED\",\"05857258\",\"TS22 5HW\",\"Dissolved\",\"31/02/2020\",\"\"\r\n"
        "\"UNBEATEN EVENTS LTD\",\"11079469\",\"SO41 0HD\",\"Active\",\"\",\"Catering\"\r\n"
        "\"B LTD\",\"1234567X\"\r\n"
        "\"UNBEATEN EVENTS LIMITED\",\"11079469.0\",\"SO41 0HD\",\"Active\",\"\","
        "\"56210 - Event catering activities\"\r\n";
    for (const char *at = text; *at; at += 7)
        assert (sv_chouse_feed (self, at, strlen (at) < 7? strlen (at): 7) == 0);
    assert (sv_chouse_end (self) == 0);
    for (size_t index = 0; verbose && index < test.count; index++)
        fprintf (stderr, "   %s\n", test.text [index]);
    assert (test.count == 4 && sv_chouse_errors (self) == 4);
    assert (strstr (test.text [0], "part1.csv: row 2, column 'CompanyNumber', value '12345': not a Companies House number"));
    assert (strstr (test.text [1], "part1.csv: row 3, column 'DissolutionDate', value"
                    " '31/02/2020': expected a dissolution date"));
    assert (strstr (test.text [2], "part1.csv: row 4, column 'SICCode.SicText_1', value"
                    " 'Catering': expected a SIC 2007 code"));
    assert (streq (test.text [3], "part1.csv: row 5: 2 cells where the header has 6"));
    //  The good row of the same company, later, is used
    test.results_count = 0;
    sv_chouse_each (self, s_test_result, &test);
    assert (streq (test.results [0], "CH:05857258 not found:       "));
    assert (strstr (test.results [1], "by unique name: 11079469"));
    //  A file without the columns it needs is refused whole, naming them
    assert (sv_chouse_begin (self, "part2.csv") == 0);
    text = "CompanyName,RegAddress.PostCode,CompanyStatus\r\n\"A LTD\",\"S1 1AA\",\"Active\"\r\n";
    assert (sv_chouse_feed (self, text, strlen (text)) == -1 || sv_chouse_end (self) == -1);
    assert (strstr (sv_chouse_refusal (self), "company_number"));
    assert (sv_chouse_read_file (self, "tests/fixtures/companies_house/no-such.csv") == -1);
    assert (strstr (sv_chouse_refusal (self), "cannot read"));
    sv_chouse_destroy (&self);
    printf ("OK\n");
}
