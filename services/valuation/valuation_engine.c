/*  =========================================================================
    valuation_engine - social value in pence, and the locality of spend.
    See the header for the valuation years and the locality rules.
    =========================================================================
*/

#include "valuation_engine.h"
#include "sv_date.h"
#include "sv_money.h"
#include "sv_name.h"
#include <czmq.h>
#include <ctype.h>
#include <errno.h>

//  A directory row: packed postcode above a place index
#define S_PLACE_BITS 22
#define S_PLACE_MAX ((1u << S_PLACE_BITS) - 1)

//  Longest authority code kept in a partner's list
#define S_AUTHORITY_MAX 16

//  Bytes read from a directory file at a time
#define S_CHUNK (256 * 1024)

//  One (authority, ward) place of the directory
typedef struct {
    char *authority;
    char *ward_code;
    char *ward_name;
    char *name_key;             //  sv_name_key of ward_name, to match names by
} s_place_t;

struct _valuation_engine_lookup_t {
    uint64_t *rows;             //  ascending
    size_t count;
    size_t slots;
    s_place_t *places;
    size_t place_count;
    size_t place_slots;
};

//  One entry of a district list: districts of area numbered low..high,
//  with final letter letter (0: any)
typedef struct {
    char area [3];
    int low;
    int high;
    char letter;
} s_district_t;

struct _valuation_engine_locality_t {
    s_district_t *districts;
    size_t district_count;
    char **authorities;
    size_t authority_count;
    const valuation_engine_lookup_t *lookup;
};


//  --------------------------------------------------------------------------
//  Values

//  Fills *value for measure at a year, both ways of valuing
static int
s_value (const valuation_framework_t *framework,
         const valuation_framework_selection_t *selection, const char *measure,
         int64_t quantity_milli, int fy, int proxy_year, valuation_engine_value_t *value)
{
    assert (framework);
    assert (measure);
    assert (value);
    *value = (valuation_engine_value_t) {
        .fy = fy, .proxy_fy = VALUATION_ENGINE_NO_YEAR,
        .framework = valuation_framework_id (framework),
        .version = valuation_framework_version (framework),
        .theme = "", .unit = "", .description = "", .outcome = "", .flag = ""
    };
    const valuation_framework_measure_t *found = valuation_framework_measure (framework, measure);
    if (!found) {
        value->flag = VALUATION_ENGINE_UNKNOWN_MEASURE;
        return -1;
    }
    value->theme = found->theme;
    value->unit = found->unit;
    value->description = found->description;
    value->outcome = found->outcome;
    if (!valuation_framework_selection_active (selection, measure)) {
        value->flag = VALUATION_ENGINE_INACTIVE_MEASURE;
        return -1;
    }
    //  Counted in its unit, never priced: the framework gives no proxy
    if (found->years == 0) {
        value->record_only = true;
        return 0;
    }
    int64_t proxy;
    int used;
    if (proxy_year == VALUATION_ENGINE_NO_YEAR
    ||  valuation_framework_proxy (framework, measure, proxy_year, &proxy, &used)) {
        value->flag = VALUATION_ENGINE_NO_PROXY;
        return -1;
    }
    value->proxy_pence = proxy;
    value->proxy_fy = used;
    int64_t pence;
    if (sv_money_mul_milli (quantity_milli, proxy, &pence)) {
        value->flag = VALUATION_ENGINE_TOO_LARGE;
        return -1;
    }
    value->value_pence = pence;
    return 0;
}

int
valuation_engine_commitment (const valuation_framework_t *framework,
                             const valuation_framework_selection_t *selection,
                             const char *measure, int64_t quantity_milli,
                             int contract_start_fy, int commitment_fy,
                             valuation_engine_value_t *value)
{
    int proxy_year = contract_start_fy != VALUATION_ENGINE_NO_YEAR
                   ? contract_start_fy: commitment_fy;
    return s_value (framework, selection, measure, quantity_milli, commitment_fy,
                    proxy_year, value);
}

int
valuation_engine_delivery (const valuation_framework_t *framework,
                           const valuation_framework_selection_t *selection,
                           const char *measure, int64_t quantity_milli,
                           int32_t period_end, valuation_engine_value_t *value)
{
    int fy = sv_date_fy (period_end);
    return s_value (framework, selection, measure, quantity_milli, fy, fy, value);
}

int
valuation_engine_add (int64_t *total_p, int64_t pence)
{
    assert (total_p);
    int64_t sum;
    if (__builtin_add_overflow (*total_p, pence, &sum))
        return -1;
    *total_p = sum;
    return 0;
}


//  --------------------------------------------------------------------------
//  Postcode packing: outward code padded to 4, then the inward code, 6
//  bits a character (0 pad, digits 1-10, letters 11-36). Returns false
//  if postcode does not normalise.

static unsigned
s_char_code (char character)
{
    if (character >= '0' && character <= '9')
        return (unsigned) (character - '0') + 1;
    return (unsigned) (character - 'A') + 11;
}

static bool
s_pack (const char *postcode, uint64_t *packed_p, char *normalised, size_t size)
{
    char buffer [SV_POSTCODE_BUF];
    if (!normalised) {
        normalised = buffer;
        size = sizeof buffer;
    }
    if (sv_postcode_normalise (postcode, normalised, size, NULL))
        return false;
    const char *space = strchr (normalised, ' ');
    size_t outward = (size_t) (space - normalised);
    uint64_t packed = 0;
    for (size_t index = 0; index < 4; index++)
        packed = (packed << 6) | (index < outward? s_char_code (normalised [index]): 0);
    for (size_t index = 0; index < 3; index++)
        packed = (packed << 6) | s_char_code (space [1 + index]);
    *packed_p = packed;
    return true;
}


//  --------------------------------------------------------------------------
//  Postcode directory

enum { L_POSTCODE, L_AUTHORITY, L_WARD_CODE, L_WARD_NAME, L_FIELDS };

//  The ONS postcode products name their columns three ways: the ONSPD
//  "oslaua", "osward"; the NSPL "laua", "ward"; and, since 2025 in both and
//  always in the best-fit lookups, the year-stamped code names
//  ("lad25cd", "wd25cd", "LAD24CD"), '#' standing for a digit. pcds is
//  preferred to pcd7/pcd8 only for reading; every form normalises alike.
#define S_NAMES(...) (const char *const []) { __VA_ARGS__, NULL }
static const sv_csv_field_t s_lookup_fields [L_FIELDS] = {
    { "postcode", S_NAMES ("pcds", "pcd", "pcd2", "pcd7", "pcd8", "Post Code"), true },
    //  Required too, but checked here rather than by sv_csv, so that a
    //  refusal can say what was looked for (s_lookup_columns)
    { "la_code", S_NAMES ("oslaua", "laua", "lad##cd", "ladcd", "Local Authority Code",
                          "LAD Code", "LA"), false },
    { "ward_code", S_NAMES ("osward", "ward", "wd##cd", "wdcd"), false },
    { "ward_name", S_NAMES ("wd##nm", "wdnm", "Ward Name"), false },
};

//  What a person calls each field's column, in a refusal
static const char *const s_lookup_labels [L_FIELDS] = {
    "postcode", "local-authority", "ward", "ward name"
};

typedef struct {
    valuation_engine_lookup_t *lookup;
    sv_csv_t *reader;
    zhashx_t *interned;         //  "authority\037ward\037name" -> place index + 1
    sv_csv_error_fn *error_fn;
    void *arg;
    const char *path;           //  the file's, to open a refusal with; NULL: none
    bool columns_checked;
    bool codes_seen;            //  a row has had codes of the kind wanted
    char *refusal;              //  the loader's own reason to refuse, or NULL
    bool out_of_memory;
} s_lookup_loader_t;

static void
s_lookup_reject (s_lookup_loader_t *self, size_t line, int field, const char *value,
                 const char *reason)
{
    if (!self->error_fn)
        return;
    sv_csv_error_t error = {
        line,
        field >= 0 && self->reader? sv_csv_column (self->reader, (size_t) field): NULL,
        value, reason
    };
    self->error_fn (&error, self->arg);
}

//  Returns the index of a place, interning it when new; -1 when memory
//  runs out or the table is full
static int64_t
s_intern (s_lookup_loader_t *self, const char *authority, const char *ward_code,
          const char *ward_name)
{
    char *key = zsys_sprintf ("%s\037%s\037%s", authority, ward_code, ward_name);
    if (!key)
        return -1;
    size_t found = (size_t) (uintptr_t) zhashx_lookup (self->interned, key);
    if (found) {
        zstr_free (&key);
        return (int64_t) found - 1;
    }
    valuation_engine_lookup_t *lookup = self->lookup;
    if (lookup->place_count >= S_PLACE_MAX) {
        zstr_free (&key);
        return -1;
    }
    if (lookup->place_count == lookup->place_slots) {
        size_t slots = lookup->place_slots? lookup->place_slots * 2: 64;
        s_place_t *grown = (s_place_t *) realloc (lookup->places, slots * sizeof (s_place_t));
        if (!grown) {
            zstr_free (&key);
            return -1;
        }
        lookup->places = grown;
        lookup->place_slots = slots;
    }
    s_place_t *place = &lookup->places [lookup->place_count];
    place->authority = strdup (authority);
    place->ward_code = strdup (ward_code);
    place->ward_name = strdup (ward_name);
    char name_key [SV_NAME_BUF];
    place->name_key = sv_name_key (ward_name, name_key, sizeof name_key) == 0
                    ? strdup (name_key): strdup ("");
    lookup->place_count++;
    int rc = place->authority && place->ward_code && place->ward_name && place->name_key
           ? zhashx_insert (self->interned, key, (void *) (uintptr_t) lookup->place_count): -1;
    zstr_free (&key);
    return rc? -1: (int64_t) lookup->place_count - 1;
}

//  Checks, once the header is known, that it has the columns without which
//  a directory places nothing: the local authority (locality) and the ward
//  (DESIGN: a ward is its ONS code, from the postcode directory; a file
//  without wards, such as the best-fit PCD_OA_LSOA_MSOA_LAD lookup, would
//  leave every delivery placed by postcode without one, silently). On a
//  missing column, sets self->refusal to "no ward column (looked for
//  ward_code, osward, ...)" and returns -1; else 0.
//  Writes text folded as a year-stamped name is compared: ASCII letters
//  lower-cased, each digit '#', all else dropped ("LAD23CD" -> "lad##cd")
static void
s_stamp_fold (const char *text, char *out, size_t size)
{
    size_t length = 0;
    for (; *text && length + 1 < size; text++)
        if (isdigit ((unsigned char) *text))
            out [length++] = '#';
        else
        if (isalpha ((unsigned char) *text))
            out [length++] = (char) tolower ((unsigned char) *text);
    out [length] = 0;
}

//  A column the reader left out that names the authority, ward or ward
//  name of another year than the one read ("LAD21CD" beside "LAD23CD")
typedef struct {
    s_lookup_loader_t *loader;
    char *refusal;
} s_stamp_check_t;

static void
s_stamp_column (const char *source, const char *field, void *arg)
{
    s_stamp_check_t *check = (s_stamp_check_t *) arg;
    if (field || check->refusal)
        return;
    char ignored [64], read [64];
    s_stamp_fold (source, ignored, sizeof ignored);
    if (!strchr (ignored, '#'))
        return;
    for (int wanted = L_AUTHORITY; wanted < L_FIELDS && !check->refusal; wanted++) {
        const char *column = sv_csv_column (check->loader->reader, (size_t) wanted);
        if (!column)
            continue;
        s_stamp_fold (column, read, sizeof read);
        if (streq (read, ignored))
            check->refusal = zsys_sprintf ("two %s columns, '%s' and '%s' (of different "
                                           "years): which one places a postcode is not clear",
                                           s_lookup_labels [wanted], column, source);
    }
}

static int
s_lookup_columns (s_lookup_loader_t *self)
{
    self->columns_checked = true;
    //  Two years of the same code: never one of them guessed
    s_stamp_check_t check = { self, NULL };
    sv_csv_columns (self->reader, s_stamp_column, &check);
    if (check.refusal) {
        self->refusal = check.refusal;
        return -1;
    }
    const int needed [] = { L_AUTHORITY, L_WARD_CODE };
    for (size_t index = 0; index < sizeof needed / sizeof needed [0]; index++) {
        int field = needed [index];
        if (sv_csv_column (self->reader, (size_t) field))
            continue;
        const sv_csv_field_t *wanted = &s_lookup_fields [field];
        char names [300];
        size_t used = (size_t) snprintf (names, sizeof names, "%s", wanted->name);
        for (size_t synonym = 0; wanted->synonyms [synonym] && used < sizeof names; synonym++)
            used += (size_t) snprintf (names + used, sizeof names - used, ", %s",
                                       wanted->synonyms [synonym]);
        self->refusal = zsys_sprintf ("no %s column (looked for %s)",
                                      s_lookup_labels [field], names);
        if (!self->refusal)
            self->out_of_memory = true;
        return -1;
    }
    return 0;
}

//  Whether text is an ONS (GSS) area code: a letter and eight digits,
//  "E08000009"; "E99999999" and the like are the ONS's pseudo codes for
//  "none" (the Channel Islands' L99999999, the Isle of Man's M99999999)
static bool
s_ons_code (const char *text)
{
    if (!isalpha ((unsigned char) text [0]))
        return false;
    for (size_t index = 1; index < 9; index++)
        if (!isdigit ((unsigned char) text [index]))
            return false;
    return text [9] == 0;
}

static bool
s_pseudo_code (const char *text)
{
    return s_ons_code (text) && streq (text + 1, "99999999");
}

//  Checks a row's authority and ward codes. Directories from before 2011
//  hold old codes: the NSPD of 2008 gives oslaua "QA" and osward "MJ",
//  parts of "00QAMJ" that name a district and a ward only within their
//  county, so that "MJ" is a ward of many authorities. Such a value in
//  the first row that has one refuses the file (the column does not hold
//  what the directory needs: sets self->refusal, returns -1); in a later
//  row it leaves the row out with its reason. A pseudo authority leaves
//  the row out: the ONS places the postcode in no authority; a pseudo
//  ward is no ward. Returns 0 with *ward_p the ward to keep, 1 when the
//  row is left out (said through error_fn), -1 when the file is refused.
static int
s_lookup_codes (s_lookup_loader_t *self, const sv_csv_row_t *row, const char **values,
                const char **ward_p)
{
    const char *authority = values [L_AUTHORITY], *ward = values [L_WARD_CODE];
    *ward_p = s_pseudo_code (ward)? "": ward;
    int field = !s_ons_code (authority)? L_AUTHORITY
              : *ward && !s_pseudo_code (ward) && !sv_name_ward_code (ward, NULL, 0)
              ? L_WARD_CODE: -1;
    if (field < 0 && s_pseudo_code (authority)) {
        s_lookup_reject (self, row->line, L_AUTHORITY, authority,
                         "a pseudo code: the directory places the postcode in no local "
                         "authority");
        return 1;
    }
    if (field < 0) {
        self->codes_seen = true;
        return 0;
    }
    const char *wanted = field == L_AUTHORITY
                       ? "an ONS local-authority code (a letter and eight digits, "
                         "such as E08000009)"
                       : "an ONS ward code (E05, W05, S13 or N08 and six digits)";
    if (self->codes_seen) {
        char reason [120];
        snprintf (reason, sizeof reason, "not %s", wanted);
        s_lookup_reject (self, row->line, field, values [field], reason);
        return 1;
    }
    self->refusal = zsys_sprintf ("row %zu, column '%s', value '%s': not %s; a directory "
                                  "from before 2011 gives old codes, whose parts name an "
                                  "authority or a ward only within its county: use one of "
                                  "2011 or later",
                                  row->line, sv_csv_column (self->reader, (size_t) field),
                                  values [field], wanted);
    if (!self->refusal)
        self->out_of_memory = true;
    return -1;
}

static int
s_lookup_row (const sv_csv_row_t *row, void *arg)
{
    s_lookup_loader_t *self = (s_lookup_loader_t *) arg;
    if (!self->columns_checked && s_lookup_columns (self))
        return -1;
    const char *values [L_FIELDS];
    for (size_t field = 0; field < L_FIELDS; field++)
        values [field] = row->values [field]? row->values [field]: "";
    if (row->shape_error) {
        s_lookup_reject (self, row->line, -1, NULL, row->shape_error);
        return 0;
    }
    uint64_t packed;
    if (!s_pack (values [L_POSTCODE], &packed, NULL, 0)) {
        s_lookup_reject (self, row->line, L_POSTCODE, values [L_POSTCODE],
                         "not a UK postcode");
        return 0;
    }
    if (!*values [L_AUTHORITY]) {
        s_lookup_reject (self, row->line, L_AUTHORITY, values [L_AUTHORITY],
                         "no local authority code");
        return 0;
    }
    for (int field = L_AUTHORITY; field < L_FIELDS; field++)
        if (strlen (values [field]) > 200) {
            s_lookup_reject (self, row->line, field, values [field], "longer than 200 bytes");
            return 0;
        }
    const char *ward;
    int codes = s_lookup_codes (self, row, values, &ward);
    if (codes)
        return codes < 0? -1: 0;
    int64_t place = s_intern (self, values [L_AUTHORITY], ward, values [L_WARD_NAME]);
    valuation_engine_lookup_t *lookup = self->lookup;
    if (place >= 0 && lookup->count == lookup->slots) {
        size_t slots = lookup->slots? lookup->slots * 2: 1024;
        uint64_t *grown = (uint64_t *) realloc (lookup->rows, slots * sizeof (uint64_t));
        if (grown) {
            lookup->rows = grown;
            lookup->slots = slots;
        }
        else
            place = -1;
    }
    if (place < 0) {
        self->out_of_memory = true;
        return -1;
    }
    lookup->rows [lookup->count++] = (packed << S_PLACE_BITS) | (uint64_t) place;
    return 0;
}

static int
s_uint64_compare (const void *left, const void *right)
{
    uint64_t a = *(const uint64_t *) left, b = *(const uint64_t *) right;
    return a < b? -1: a > b;
}

//  Writes the normalised postcode of a packed row into out (9 bytes)
static void
s_unpack (uint64_t row, char *out)
{
    static const char characters [] = "?0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    uint64_t packed = row >> S_PLACE_BITS;
    size_t length = 0;
    for (int index = 0; index < 7; index++) {
        unsigned code = (unsigned) (packed >> (6 * (6 - index))) & 63;
        if (index == 4)
            out [length++] = ' ';
        if (code && code < sizeof characters - 1)
            out [length++] = characters [code];
    }
    out [length] = 0;
}

static s_lookup_loader_t *
s_lookup_begin (const char *path, sv_csv_error_fn *error_fn, void *arg)
{
    s_lookup_loader_t *self = (s_lookup_loader_t *) zmalloc (sizeof (s_lookup_loader_t));
    if (!self)
        return NULL;
    self->path = path;
    self->error_fn = error_fn;
    self->arg = arg;
    self->lookup = (valuation_engine_lookup_t *) zmalloc (sizeof (valuation_engine_lookup_t));
    self->interned = zhashx_new ();
    if (self->lookup && self->interned)
        self->reader = sv_csv_new (s_lookup_fields, L_FIELDS, s_lookup_row, self);
    if (!self->reader) {
        valuation_engine_lookup_destroy (&self->lookup);
        zhashx_destroy (&self->interned);
        free (self);
        return NULL;
    }
    return self;
}

//  Gives error_fn the reason the whole file is refused, after the file's
//  path when it has one
static void
s_lookup_refuse (s_lookup_loader_t *self, const char *reason)
{
    char *named = self->path? zsys_sprintf ("%s: %s", self->path, reason): NULL;
    s_lookup_reject (self, sv_csv_header_line (self->reader), -1, NULL, named? named: reason);
    zstr_free (&named);
}

//  Ends a load (rc: 0 so far, or -1 when refused); returns the directory
//  or NULL, and frees the loader
static valuation_engine_lookup_t *
s_lookup_end (s_lookup_loader_t *self, int rc)
{
    if (rc == 0)
        rc = sv_csv_finish (self->reader);
    //  A header with no row under it still has its columns checked
    if (rc == 0 && !self->columns_checked)
        rc = s_lookup_columns (self);
    if (rc) {
        const char *refusal = self->refusal? self->refusal: sv_csv_refusal (self->reader);
        if (self->out_of_memory || !refusal)
            refusal = "out of memory";
        s_lookup_refuse (self, refusal);
    }
    valuation_engine_lookup_t *lookup = self->lookup;
    if (rc == 0) {
        //  Sort, then drop repeats: the same place again silently, another
        //  place by dropping the postcode altogether (it is ambiguous)
        if (lookup->count)
            qsort (lookup->rows, lookup->count, sizeof (uint64_t), s_uint64_compare);
        size_t kept = 0;
        for (size_t index = 0; index < lookup->count; ) {
            uint64_t postcode = lookup->rows [index] >> S_PLACE_BITS;
            size_t end = index + 1;
            bool ambiguous = false;
            while (end < lookup->count && lookup->rows [end] >> S_PLACE_BITS == postcode) {
                ambiguous |= lookup->rows [end] != lookup->rows [index];
                end++;
            }
            if (ambiguous) {
                char text [SV_POSTCODE_BUF + 2];
                s_unpack (lookup->rows [index], text);
                s_lookup_reject (self, 0, L_POSTCODE, text,
                                 "the postcode is given two different places: left out");
            }
            else
                lookup->rows [kept++] = lookup->rows [index];
            index = end;
        }
        lookup->count = kept;
        //  Give back the growth slack: a directory lives as long as the
        //  service
        uint64_t *trimmed = kept? (uint64_t *) realloc (lookup->rows, kept * sizeof (uint64_t))
                                : NULL;
        if (trimmed) {
            lookup->rows = trimmed;
            lookup->slots = kept;
        }
        if (kept == 0) {
            s_lookup_refuse (self, "no postcodes: the directory has no usable row");
            rc = -1;
        }
    }
    sv_csv_destroy (&self->reader);
    zhashx_destroy (&self->interned);
    zstr_free (&self->refusal);
    free (self);
    if (rc)
        valuation_engine_lookup_destroy (&lookup);
    return lookup;
}

valuation_engine_lookup_t *
valuation_engine_lookup_load (const void *data, size_t size,
                              sv_csv_error_fn *error_fn, void *arg)
{
    assert (data || size == 0);
    s_lookup_loader_t *loader = s_lookup_begin (NULL, error_fn, arg);
    if (!loader)
        return NULL;
    int rc = 0;
    const char *bytes = (const char *) data;
    for (size_t at = 0; at < size && rc == 0; at += S_CHUNK)
        rc = sv_csv_feed (loader->reader, bytes + at,
                              size - at < S_CHUNK? size - at: S_CHUNK);
    return s_lookup_end (loader, rc);
}

valuation_engine_lookup_t *
valuation_engine_lookup_load_file (const char *path, sv_csv_error_fn *error_fn, void *arg)
{
    assert (path);
    FILE *file = fopen (path, "rb");
    char *chunk = file? (char *) malloc (S_CHUNK): NULL;
    s_lookup_loader_t *loader = chunk? s_lookup_begin (path, error_fn, arg): NULL;
    if (!loader) {
        int error = file? ENOMEM: errno;
        if (file)
            fclose (file);
        free (chunk);
        if (error_fn) {
            char reason [300];
            snprintf (reason, sizeof reason, "%s: %s", path, strerror (error));
            sv_csv_error_t refusal = { 0, NULL, NULL, reason };
            error_fn (&refusal, arg);
        }
        return NULL;
    }
    int rc = 0;
    size_t got;
    while (rc == 0 && (got = fread (chunk, 1, S_CHUNK, file)) > 0)
        rc = sv_csv_feed (loader->reader, chunk, got);
    if (rc == 0 && ferror (file)) {
        char reason [300];
        snprintf (reason, sizeof reason, "%s: %s", path, strerror (EIO));
        s_lookup_reject (loader, 0, -1, NULL, reason);
        rc = -1;
        loader->error_fn = NULL;    //  reported; the refusal would repeat it
    }
    fclose (file);
    free (chunk);
    return s_lookup_end (loader, rc);
}

void
valuation_engine_lookup_destroy (valuation_engine_lookup_t **self_p)
{
    assert (self_p);
    valuation_engine_lookup_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->place_count; index++) {
        free (self->places [index].authority);
        free (self->places [index].ward_code);
        free (self->places [index].ward_name);
        free (self->places [index].name_key);
    }
    free (self->places);
    free (self->rows);
    free (self);
    *self_p = NULL;
}

size_t
valuation_engine_lookup_size (const valuation_engine_lookup_t *self)
{
    assert (self);
    return self->count;
}

size_t
valuation_engine_lookup_places (const valuation_engine_lookup_t *self)
{
    assert (self);
    return self->place_count;
}

//  Returns the place of a packed postcode, or NULL
static const s_place_t *
s_lookup_place (const valuation_engine_lookup_t *self, uint64_t packed)
{
    size_t low = 0, high = self->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        uint64_t postcode = self->rows [middle] >> S_PLACE_BITS;
        if (postcode == packed)
            return &self->places [self->rows [middle] & S_PLACE_MAX];
        if (postcode < packed)
            low = middle + 1;
        else
            high = middle;
    }
    return NULL;
}

int
valuation_engine_lookup_find (const valuation_engine_lookup_t *self, const char *postcode,
                              const char **ward_code_p, const char **ward_name_p,
                              const char **authority_p)
{
    assert (self);
    assert (postcode);
    uint64_t packed;
    const s_place_t *place = s_pack (postcode, &packed, NULL, 0)
                           ? s_lookup_place (self, packed): NULL;
    if (!place)
        return -1;
    if (ward_code_p)
        *ward_code_p = place->ward_code;
    if (ward_name_p)
        *ward_name_p = place->ward_name;
    if (authority_p)
        *authority_p = place->authority;
    return 0;
}


//  --------------------------------------------------------------------------
//  Locality

const char *
valuation_engine_class_name (valuation_engine_class_t locality)
{
    return locality == VALUATION_ENGINE_LOCAL? "local"
         : locality == VALUATION_ENGINE_NON_LOCAL? "non_local": "unknown";
}

valuation_engine_locality_t *
valuation_engine_locality_new (void)
{
    return (valuation_engine_locality_t *) zmalloc (sizeof (valuation_engine_locality_t));
}

static void
s_authorities_free (valuation_engine_locality_t *self)
{
    for (size_t index = 0; index < self->authority_count; index++)
        free (self->authorities [index]);
    free (self->authorities);
    self->authorities = NULL;
    self->authority_count = 0;
}

void
valuation_engine_locality_destroy (valuation_engine_locality_t **self_p)
{
    assert (self_p);
    valuation_engine_locality_t *self = *self_p;
    if (!self)
        return;
    free (self->districts);
    s_authorities_free (self);
    free (self);
    *self_p = NULL;
}

//  Reads a district ("S60", "ec1a", "WA15"): area letters, number, final
//  letter. Returns false when text is not one.
static bool
s_district_parse (const char *text, size_t length, s_district_t *district)
{
    memset (district, 0, sizeof *district);
    size_t at = 0;
    while (at < length && at < 2 && isalpha ((unsigned char) text [at])) {
        district->area [at] = (char) toupper ((unsigned char) text [at]);
        at++;
    }
    if (at == 0)
        return false;
    size_t digits = 0;
    int number = 0;
    while (at < length && digits < 2 && isdigit ((unsigned char) text [at])) {
        number = number * 10 + (text [at] - '0');
        at++;
        digits++;
    }
    if (digits == 0)
        return false;
    if (at < length && isalpha ((unsigned char) text [at]) && digits == 1)
        district->letter = (char) toupper ((unsigned char) text [at++]);
    if (at != length)
        return false;
    district->low = district->high = number;
    return true;
}

int
valuation_engine_locality_set_districts (valuation_engine_locality_t *self,
                                         const char *text, const char **reason_p)
{
    assert (self);
    assert (text);
    const char *reason = NULL;
    size_t slots = strlen (text) / 2 + 1;
    s_district_t *districts = (s_district_t *) calloc (slots, sizeof (s_district_t));
    if (!districts)
        reason = "out of memory";
    size_t count = 0;
    const char *scan = text;
    while (!reason) {
        scan += strspn (scan, ", \t\r\n");
        if (!*scan)
            break;
        size_t length = strcspn (scan, ", \t\r\n");
        const char *dash = (const char *) memchr (scan, '-', length);
        s_district_t low, high;
        if (dash) {
            if (!s_district_parse (scan, (size_t) (dash - scan), &low)
            ||  !s_district_parse (dash + 1, length - (size_t) (dash - scan) - 1, &high))
                reason = "a district range is written S60-S66";
            else
            if (strcmp (low.area, high.area) != 0)
                reason = "a district range must stay within one postcode area (S60-S66)";
            else
            if (low.letter || high.letter)
                reason = "a district range joins districts without a final letter (EC1-EC4)";
            else
            if (low.low > high.low)
                reason = "a district range runs from low to high (S60-S66)";
            else {
                low.high = high.low;
                districts [count++] = low;
            }
        }
        else
        if (!s_district_parse (scan, length, &low))
            reason = "not a postcode district: expected such as S60, EC1A or S60-S66";
        else
            districts [count++] = low;
        scan += length;
    }
    if (reason) {
        free (districts);
        if (reason_p)
            *reason_p = reason;
        return -1;
    }
    free (self->districts);
    self->districts = districts;
    self->district_count = count;
    return 0;
}

int
valuation_engine_locality_set_authorities (valuation_engine_locality_t *self,
                                           const char *text)
{
    assert (self);
    assert (text);
    size_t slots = strlen (text) / 2 + 1;
    char **authorities = (char **) calloc (slots, sizeof (char *));
    if (!authorities)
        return -1;
    size_t count = 0;
    int rc = 0;
    const char *scan = text;
    while (rc == 0) {
        scan += strspn (scan, ", \t\r\n");
        if (!*scan)
            break;
        size_t length = strcspn (scan, ", \t\r\n");
        if (length > S_AUTHORITY_MAX)
            rc = -1;
        else
        if (!(authorities [count] = strndup (scan, length)))
            rc = -1;
        else
            count++;
        scan += length;
    }
    if (rc) {
        for (size_t index = 0; index < count; index++)
            free (authorities [index]);
        free (authorities);
        return -1;
    }
    s_authorities_free (self);
    self->authorities = authorities;
    self->authority_count = count;
    return 0;
}

void
valuation_engine_locality_set_lookup (valuation_engine_locality_t *self,
                                      const valuation_engine_lookup_t *lookup)
{
    assert (self);
    self->lookup = lookup;
}

//  Returns the class of a postcode by the district list
static valuation_engine_class_t
s_by_district (const valuation_engine_locality_t *self, const char *normalised)
{
    char text [SV_POSTCODE_BUF];
    s_district_t district;
    if (sv_postcode_district (normalised, text, sizeof text)
    ||  !s_district_parse (text, strlen (text), &district))
        return VALUATION_ENGINE_NON_LOCAL;      //  GIR 0AA: no numbered district
    for (size_t index = 0; index < self->district_count; index++) {
        const s_district_t *entry = &self->districts [index];
        if (strcmp (entry->area, district.area) == 0
        &&  district.low >= entry->low && district.low <= entry->high
        &&  (!entry->letter || entry->letter == district.letter))
            return VALUATION_ENGINE_LOCAL;
    }
    return VALUATION_ENGINE_NON_LOCAL;
}

valuation_engine_class_t
valuation_engine_locality_classify (const valuation_engine_locality_t *self,
                                    const char *postcode, valuation_engine_place_t *place)
{
    assert (self);
    assert (place);
    memset (place, 0, sizeof *place);
    place->ward_code = place->ward_name = place->authority = "";
    if (!postcode)
        postcode = "";
    uint64_t packed;
    if (!s_pack (postcode, &packed, place->postcode, sizeof place->postcode)) {
        place->postcode [0] = 0;
        place->reason = *postcode? "not a UK postcode": "no postcode";
        return place->locality = VALUATION_ENGINE_UNKNOWN;
    }
    const s_place_t *found = self->lookup? s_lookup_place (self->lookup, packed): NULL;
    if (found) {
        place->ward_code = found->ward_code;
        place->ward_name = found->ward_name;
        place->authority = found->authority;
        if (self->authority_count) {
            for (size_t index = 0; index < self->authority_count; index++)
                if (strcasecmp (self->authorities [index], found->authority) == 0) {
                    place->reason = "in the postcode directory, in a local authority of the partner";
                    return place->locality = VALUATION_ENGINE_LOCAL;
                }
            place->reason = "in the postcode directory, in another local authority";
            return place->locality = VALUATION_ENGINE_NON_LOCAL;
        }
    }
    if (self->district_count) {
        place->locality = s_by_district (self, place->postcode);
        place->reason = place->locality == VALUATION_ENGINE_LOCAL
                      ? "in a local postcode district": "outside the local postcode districts";
        return place->locality;
    }
    place->reason = found? "in the postcode directory; the partner names no local authority"
                  : self->lookup? "not in the postcode directory"
                  : self->authority_count? "the partner's local authorities need a postcode "
                                           "directory, and none is loaded"
                  : "no local area configured";
    return place->locality = VALUATION_ENGINE_UNKNOWN;
}


//  --------------------------------------------------------------------------
//  Wards of delivery returns

//  Whether the partner's area holds authority: one of its authorities, or
//  any when it names none
static bool
s_in_area (const valuation_engine_locality_t *self, const char *authority)
{
    for (size_t index = 0; index < self->authority_count; index++)
        if (strcasecmp (self->authorities [index], authority) == 0)
            return true;
    return self->authority_count == 0;
}

int
valuation_engine_locality_ward (const valuation_engine_locality_t *self,
                                const char *text, valuation_engine_ward_t *ward)
{
    assert (self);
    assert (text);
    assert (ward);
    memset (ward, 0, sizeof *ward);
    const valuation_engine_lookup_t *lookup = self->lookup;
    if (sv_name_ward_code (text, ward->code, sizeof ward->code)) {
        for (size_t index = 0; lookup && index < lookup->place_count; index++) {
            const s_place_t *place = &lookup->places [index];
            if (*place->ward_name && strcasecmp (place->ward_code, ward->code) == 0) {
                snprintf (ward->name, sizeof ward->name, "%s", place->ward_name);
                break;
            }
        }
        return 0;
    }
    char key [SV_NAME_BUF];
    if (sv_name_key (text, key, sizeof key)) {
        //  Longer than any cell ingest takes: kept as written
        snprintf (ward->name, sizeof ward->name, "%s", text);
        ward->unmatched = "too long for a ward name";
        return -1;
    }
    if (!*key) {
        //  Punctuation alone names no ward: no ward, as an empty cell
        ward->unmatched = *text? "not a ward name": NULL;
        return *text? -1: 0;
    }
    const s_place_t *found = NULL;
    bool ambiguous = false;
    for (size_t index = 0; lookup && index < lookup->place_count; index++) {
        const s_place_t *place = &lookup->places [index];
        if (strcmp (place->name_key, key) != 0 || !s_in_area (self, place->authority))
            continue;
        if (!found)
            found = place;
        else
        if (strcasecmp (found->ward_code, place->ward_code) != 0)
            ambiguous = true;
    }
    if (found && !ambiguous && sv_name_ward_code (found->ward_code, ward->code,
                                                  sizeof ward->code)) {
        snprintf (ward->name, sizeof ward->name, "%s", found->ward_name);
        return 0;
    }
    ward->code [0] = 0;
    sv_name_canonical (text, ward->name, sizeof ward->name);
    ward->unmatched = ambiguous? "wards of two codes have that name in the partner's area"
                    : found? "the directory's ward of that name has no ONS ward code"
                    : !lookup? "no postcode directory is loaded to name wards by"
                    : "no ward of that name in the partner's area";
    return -1;
}

//  --------------------------------------------------------------------------
//  Self test

//  Version 1 of a small test framework (pence in comments)
static const char *s_test_framework_v1 =
    "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
    "test-toms,1,T-JOB-01,Jobs,,Local people employed,FTE,2024-25,\"£24,000.00\"\n"  // 2400000
    "test-toms,1,T-JOB-01,Jobs,,Local people employed,FTE,2025-26,\"£24,700.00\"\n"  // 2470000
    "test-toms,1,T-JOB-02,Jobs,,Apprenticeship weeks,weeks,2024-25,220.00\n"          //   22000
    "test-toms,1,T-JOB-02,Jobs,,Apprenticeship weeks,weeks,2025-26,225.00\n"          //   22500
    "test-toms,1,T-ENV-01,Environment,,Carbon saved,tonnes CO2e,2024-25,250.25\n"     //   25025
    "test-toms,1,T-ENV-01,Environment,,Carbon saved,tonnes CO2e,2025-26,260.10\n"     //   26010
    "test-toms,1,T-SOC-01,Social,,Volunteering,hours,2024-25,16.50\n"                 //    1650
    "test-toms,1,T-RND-01,Innovation,,Rounding,units,2024-25,0.05\n"                  //       5
    "test-toms,1,T-RND-01,Innovation,,Rounding,units,2025-26,0.03\n";                 //       3

//  Version 2: new proxies for T-JOB-01 and T-ENV-01 (which has no
//  2025-26 proxy, so 2025-26 takes 2024-25's); T-JOB-02 as before
static const char *s_test_framework_v2 =
    "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
    "test-toms,2,T-JOB-01,Jobs,,Local people employed,FTE,2024-25,25000\n"            // 2500000
    "test-toms,2,T-JOB-01,Jobs,,Local people employed,FTE,2025-26,25500\n"            // 2550000
    "test-toms,2,T-JOB-02,Jobs,,Apprenticeship weeks,weeks,2024-25,220\n"             //   22000
    "test-toms,2,T-JOB-02,Jobs,,Apprenticeship weeks,weeks,2025-26,225\n"             //   22500
    "test-toms,2,T-ENV-01,Environment,,Carbon saved,tonnes CO2e,2024-25,300\n";       //   30000

//  The test contract C-1, starting 1 June 2024 (financial year 2024-25)
typedef struct {
    const char *measure;
    int fy;
    int64_t quantity;           //  thousandths
} s_test_commitment_t;

static const s_test_commitment_t s_test_commitments [] = {
    { "T-JOB-01", 2024, 2500 },         //  2.5 FTE
    { "T-JOB-01", 2025, 3000 },         //  3 FTE
    { "T-JOB-02", 2024, 104000 },       //  104 weeks
    { "T-JOB-02", 2025, 156500 },       //  156.5 weeks
    { "T-ENV-01", 2024, 12345 },        //  12.345 tonnes
    { "T-ENV-01", 2025, 20000 },        //  20 tonnes
};

typedef struct {
    const char *measure;
    const char *start;
    const char *end;
    int64_t quantity;           //  thousandths
} s_test_delivery_t;

static const s_test_delivery_t s_test_deliveries [] = {
    { "T-JOB-01", "2024-04-01", "2025-03-31", 2250 },      //  D1: 2.25 FTE
    { "T-JOB-01", "2025-04-01", "2025-09-30", 1500 },      //  D2: 1.5 FTE
    { "T-JOB-02", "2025-01-01", "2025-06-30", 60500 },     //  D3: 60.5 weeks
    { "T-JOB-02", "2024-06-01", "2024-12-31", 40000 },     //  D4: 40 weeks
    { "T-ENV-01", "2024-04-01", "2025-03-31", 10500 },     //  D5: 10.5 tonnes
    { "T-ENV-01", "2025-04-01", "2026-03-31", 7777 },      //  D6: 7.777 tonnes
    { "T-XXX-99", "2024-04-01", "2025-03-31", 5000 },      //  D7: unknown measure
};

#define S_TEST_MEASURES 3
static const char *const s_test_measures [S_TEST_MEASURES] =
    { "T-JOB-01", "T-JOB-02", "T-ENV-01" };

//  Totals of the test contract under one framework
typedef struct {
    int64_t committed [S_TEST_MEASURES];
    int64_t delivered [S_TEST_MEASURES];
    int64_t committed_jobs, committed_environment, committed_total;
    int64_t delivered_jobs, delivered_environment, delivered_total;
    size_t flagged;
} s_test_totals_t;

static void
s_test_add (int64_t *by_measure, int64_t *jobs, int64_t *environment, int64_t *total,
            const char *measure, const valuation_engine_value_t *value)
{
    for (size_t index = 0; index < S_TEST_MEASURES; index++)
        if (streq (measure, s_test_measures [index]))
            assert (valuation_engine_add (&by_measure [index], value->value_pence) == 0);
    if (streq (value->theme, "Jobs"))
        assert (valuation_engine_add (jobs, value->value_pence) == 0);
    if (streq (value->theme, "Environment"))
        assert (valuation_engine_add (environment, value->value_pence) == 0);
    assert (valuation_engine_add (total, value->value_pence) == 0);
}

static void
s_test_value_contract (const valuation_framework_t *framework, s_test_totals_t *totals)
{
    memset (totals, 0, sizeof *totals);
    int start = sv_date_fy (sv_date_from_ymd (2024, 6, 1));
    assert (start == 2024);
    valuation_engine_value_t value;
    for (size_t index = 0; index < sizeof s_test_commitments / sizeof s_test_commitments [0];
         index++) {
        const s_test_commitment_t *commitment = &s_test_commitments [index];
        int rc = valuation_engine_commitment (framework, NULL, commitment->measure,
                                              commitment->quantity, start, commitment->fy,
                                              &value);
        assert (rc == 0 && streq (value.flag, ""));
        assert (value.fy == commitment->fy);
        s_test_add (totals->committed, &totals->committed_jobs,
                    &totals->committed_environment, &totals->committed_total,
                    commitment->measure, &value);
    }
    for (size_t index = 0; index < sizeof s_test_deliveries / sizeof s_test_deliveries [0];
         index++) {
        const s_test_delivery_t *delivery = &s_test_deliveries [index];
        int32_t end;
        assert (sv_date_parse (delivery->end, &end, NULL) == 0);
        if (valuation_engine_delivery (framework, NULL, delivery->measure,
                                       delivery->quantity, end, &value)) {
            assert (value.value_pence == 0 && *value.flag);
            totals->flagged++;
        }
        s_test_add (totals->delivered, &totals->delivered_jobs,
                    &totals->delivered_environment, &totals->delivered_total,
                    delivery->measure, &value);
    }
}

typedef struct {
    size_t count;
    char text [8][300];
} s_test_errors_t;

static void
s_test_error (const sv_csv_error_t *error, void *arg)
{
    s_test_errors_t *errors = (s_test_errors_t *) arg;
    assert (error->reason && *error->reason);
    if (errors->count < 8)
        sv_csv_error_format (error, errors->text [errors->count], sizeof errors->text [0]);
    errors->count++;
}

//  Classifies postcode and checks class, ward code and ward name
static void
s_test_place (const valuation_engine_locality_t *locality, const char *postcode,
              valuation_engine_class_t expected, const char *ward_code, const char *ward_name)
{
    valuation_engine_place_t place;
    valuation_engine_class_t got = valuation_engine_locality_classify (locality, postcode,
                                                                       &place);
    if (got != expected || !streq (place.ward_code, ward_code)
    ||  !streq (place.ward_name, ward_name)) {
        fprintf (stderr, "classify '%s': %s %s %s (%s)\n", postcode ? postcode: "(null)",
                 valuation_engine_class_name (got), place.ward_code, place.ward_name,
                 place.reason);
        assert (false);
    }
    assert (got == place.locality);
    assert (place.reason && *place.reason);
}

//  Reads a Ward cell and checks the answer
static void
s_test_ward (const valuation_engine_locality_t *locality, const char *text, int rc,
             const char *code, const char *name)
{
    valuation_engine_ward_t ward;
    int got = valuation_engine_locality_ward (locality, text, &ward);
    if (got != rc || !streq (ward.code, code) || !streq (ward.name, name)) {
        fprintf (stderr, "ward '%s': %d '%s' '%s', expected %d '%s' '%s'\n", text, got,
                 ward.code, ward.name, rc, code, name);
        assert (false);
    }
    assert ((rc == 0) == (ward.unmatched == NULL));
}

void
valuation_engine_test (bool verbose)
{
    if (verbose)
        printf (" * valuation_engine:\n");

    //  ----------------------------------------------------------------------
    //  A contract's commitments and deliveries, by hand.
    //
    //  Committed value uses the proxy of the contract's start year, 2024-25,
    //  for both years' commitments:
    //    T-JOB-01 2024-25  2.5 FTE    x 2,400,000p = 6,000,000p
    //    T-JOB-01 2025-26  3 FTE      x 2,400,000p = 7,200,000p   13,200,000p
    //    T-JOB-02 2024-25  104 weeks  x    22,000p = 2,288,000p
    //    T-JOB-02 2025-26  156.5 wks  x    22,000p = 3,443,000p    5,731,000p
    //    T-ENV-01 2024-25  12.345 t   x    25,025p =   308,933.625 -> 308,934p
    //    T-ENV-01 2025-26  20 t       x    25,025p =   500,500p      809,434p
    //    Jobs 18,931,000p; Environment 809,434p; total 19,740,434p
    //
    //  Delivered value uses the proxy of the year the period ends in:
    //    D1 T-JOB-01 to 31/03/2025 (2024-25) 2.25 FTE x 2,400,000p = 5,400,000p
    //    D2 T-JOB-01 to 30/09/2025 (2025-26) 1.5 FTE  x 2,470,000p = 3,705,000p  9,105,000p
    //    D3 T-JOB-02 Jan-Jun 2025  (2025-26) 60.5 wks x    22,500p = 1,361,250p
    //    D4 T-JOB-02 to 31/12/2024 (2024-25) 40 wks   x    22,000p =   880,000p  2,241,250p
    //    D5 T-ENV-01 to 31/03/2025 (2024-25) 10.5 t   x    25,025p =   262,762.5
    //                                               -> half to even 262,762p
    //    D6 T-ENV-01 to 31/03/2026 (2025-26) 7.777 t  x    26,010p =   202,279.77
    //                                               -> 202,280p      465,042p
    //    D7 T-XXX-99: unknown measure, flagged, 0p
    //    Jobs 11,346,250p; Environment 465,042p; total 11,811,292p
    s_test_errors_t errors = { 0 };
    valuation_framework_t *v1 = valuation_framework_load (s_test_framework_v1,
                                                          strlen (s_test_framework_v1),
                                                          s_test_error, &errors);
    assert (v1 && errors.count == 0);
    s_test_totals_t totals;
    s_test_value_contract (v1, &totals);
    assert (totals.committed [0] == 13200000);
    assert (totals.committed [1] == 5731000);
    assert (totals.committed [2] == 809434);
    assert (totals.committed_jobs == 18931000);
    assert (totals.committed_environment == 809434);
    assert (totals.committed_total == 19740434);
    assert (totals.delivered [0] == 9105000);
    assert (totals.delivered [1] == 2241250);
    assert (totals.delivered [2] == 465042);
    assert (totals.delivered_jobs == 11346250);
    assert (totals.delivered_environment == 465042);
    assert (totals.delivered_total == 11811292);
    assert (totals.flagged == 1);

    //  One line in full: D3 straddles 31 March and counts in 2025-26
    valuation_engine_value_t value;
    int32_t day = sv_date_from_ymd (2025, 6, 30);
    assert (valuation_engine_delivery (v1, NULL, "T-JOB-02", 60500, day, &value) == 0);
    assert (value.value_pence == 1361250 && value.proxy_pence == 22500);
    assert (value.fy == 2025 && value.proxy_fy == 2025);
    assert (streq (value.framework, "test-toms") && streq (value.version, "1"));
    assert (streq (value.theme, "Jobs") && streq (value.unit, "weeks"));
    assert (streq (value.flag, ""));

    //  A commitment for 2025-26 is priced at the start year's proxy
    assert (valuation_engine_commitment (v1, NULL, "T-JOB-01", 3000, 2024, 2025, &value) == 0);
    assert (value.value_pence == 7200000 && value.fy == 2025 && value.proxy_fy == 2024);
    //  ... or, while the contract's start is not known, its own year's:
    //  3 FTE x 2,470,000p = 7,410,000p
    assert (valuation_engine_commitment (v1, NULL, "T-JOB-01", 3000,
                                         VALUATION_ENGINE_NO_YEAR, 2025, &value) == 0);
    assert (value.value_pence == 7410000 && value.proxy_fy == 2025);

    //  Unknown measure: flagged, 0p, never dropped
    day = sv_date_from_ymd (2025, 3, 31);
    assert (valuation_engine_delivery (v1, NULL, "T-XXX-99", 5000, day, &value) == -1);
    assert (streq (value.flag, VALUATION_ENGINE_UNKNOWN_MEASURE));
    assert (value.value_pence == 0 && value.proxy_pence == 0);
    assert (value.fy == 2024 && value.proxy_fy == VALUATION_ENGINE_NO_YEAR);
    assert (streq (value.theme, "") && streq (value.framework, "test-toms"));

    //  Inactive for the partner: flagged, 0p, theme still known
    valuation_framework_selection_t *selection =
        valuation_framework_select_text (v1, "T-JOB-01, T-JOB-02", NULL);
    assert (selection);
    assert (valuation_engine_delivery (v1, selection, "T-ENV-01", 10500, day, &value) == -1);
    assert (streq (value.flag, VALUATION_ENGINE_INACTIVE_MEASURE));
    assert (value.value_pence == 0 && streq (value.theme, "Environment"));
    assert (valuation_engine_delivery (v1, selection, "T-JOB-01", 2250, day, &value) == 0);
    assert (value.value_pence == 5400000);
    valuation_framework_selection_destroy (&selection);

    //  No proxy that early; a later year takes the latest earlier proxy:
    //  T-SOC-01 in 2025-26 uses 2024-25's 1,650p: 10.001 h = 16,501.65 -> 16,502p
    day = sv_date_from_ymd (2024, 3, 31);
    assert (valuation_engine_delivery (v1, NULL, "T-SOC-01", 10001, day, &value) == -1);
    assert (streq (value.flag, VALUATION_ENGINE_NO_PROXY) && value.value_pence == 0);
    assert (value.fy == 2023);
    day = sv_date_from_ymd (2026, 1, 31);
    assert (valuation_engine_delivery (v1, NULL, "T-SOC-01", 10001, day, &value) == 0);
    assert (value.value_pence == 16502 && value.fy == 2025 && value.proxy_fy == 2024);
    assert (valuation_engine_commitment (v1, NULL, "T-SOC-01", 1000, VALUATION_ENGINE_NO_YEAR,
                                         VALUATION_ENGINE_NO_YEAR, &value) == -1);
    assert (streq (value.flag, VALUATION_ENGINE_NO_PROXY));

    //  Half to even, once: at 5p (2024-25) and 3p (2025-26) a unit
    struct {
        int64_t quantity;
        int fy;
        int64_t pence;
    } halves [] = {
        { 500, 2024, 2 },       //  0.5 x 5p = 2.5p -> 2p
        { 700, 2024, 4 },       //  0.7 x 5p = 3.5p -> 4p
        { 1500, 2024, 8 },      //  1.5 x 5p = 7.5p -> 8p
        { 2500, 2024, 12 },     //  2.5 x 5p = 12.5p -> 12p
        { -500, 2024, -2 },     //  -0.5 x 5p = -2.5p -> -2p
        { 2500, 2025, 8 },      //  2.5 x 3p = 7.5p -> 8p
        { 500, 2025, 2 },       //  0.5 x 3p = 1.5p -> 2p
        { 100, 2025, 0 },       //  0.1 x 3p = 0.3p -> 0p
    };
    for (size_t index = 0; index < sizeof halves / sizeof halves [0]; index++) {
        day = sv_date_fy_last (halves [index].fy);
        assert (valuation_engine_delivery (v1, NULL, "T-RND-01", halves [index].quantity, day,
                                           &value) == 0);
        assert (value.value_pence == halves [index].pence);
    }
    //  A value past int64 is flagged, not wrapped
    assert (valuation_engine_delivery (v1, NULL, "T-JOB-01", INT64_MAX / 1000, day,
                                       &value) == -1);
    assert (streq (value.flag, VALUATION_ENGINE_TOO_LARGE) && value.value_pence == 0);
    int64_t total = INT64_MAX - 1;
    assert (valuation_engine_add (&total, 1) == 0 && total == INT64_MAX);
    assert (valuation_engine_add (&total, 1) == -1 && total == INT64_MAX);

    //  ----------------------------------------------------------------------
    //  A proxy change (framework version 2) recomputes the figures:
    //    committed (2024-25 proxies)
    //      T-JOB-01 2.5 + 3 FTE x 2,500,000p = 6,250,000 + 7,500,000 = 13,750,000p
    //      T-JOB-02 unchanged                                           5,731,000p
    //      T-ENV-01 12.345 t x 30,000p = 370,350p; 20 t = 600,000p        970,350p
    //      Jobs 19,481,000p; Environment 970,350p; total 20,451,350p
    //    delivered
    //      T-JOB-01 2.25 x 2,500,000p + 1.5 x 2,550,000p = 5,625,000 + 3,825,000
    //                                                               = 9,450,000p
    //      T-JOB-02 unchanged                                         2,241,250p
    //      T-ENV-01 10.5 t x 30,000p = 315,000p; 7.777 t x 30,000p (2025-26 has
    //               no proxy: 2024-25's) = 233,310p                     548,310p
    //      Jobs 11,691,250p; Environment 548,310p; total 12,239,560p
    valuation_framework_t *v2 = valuation_framework_load (s_test_framework_v2,
                                                          strlen (s_test_framework_v2),
                                                          s_test_error, &errors);
    assert (v2 && errors.count == 0);
    s_test_value_contract (v2, &totals);
    assert (totals.committed [0] == 13750000);
    assert (totals.committed [1] == 5731000);
    assert (totals.committed [2] == 970350);
    assert (totals.committed_jobs == 19481000);
    assert (totals.committed_environment == 970350);
    assert (totals.committed_total == 20451350);
    assert (totals.delivered [0] == 9450000);
    assert (totals.delivered [1] == 2241250);
    assert (totals.delivered [2] == 548310);
    assert (totals.delivered_jobs == 11691250);
    assert (totals.delivered_environment == 548310);
    assert (totals.delivered_total == 12239560);
    assert (totals.flagged == 1);
    day = sv_date_from_ymd (2026, 3, 31);
    assert (valuation_engine_delivery (v2, NULL, "T-ENV-01", 7777, day, &value) == 0);
    assert (value.value_pence == 233310 && value.fy == 2025 && value.proxy_fy == 2024);
    assert (streq (value.version, "2"));
    //  T-SOC-01 is not in version 2: now an unknown measure
    assert (valuation_engine_delivery (v2, NULL, "T-SOC-01", 10001, day, &value) == -1);
    assert (streq (value.flag, VALUATION_ENGINE_UNKNOWN_MEASURE));
    valuation_framework_destroy (&v2);
    valuation_framework_destroy (&v1);

    //  ----------------------------------------------------------------------
    //  Local spend by postcode district: S60-S66, S25, S26 (Rotherham)
    valuation_engine_locality_t *locality = valuation_engine_locality_new ();
    assert (locality);
    s_test_place (locality, "S60 2TD", VALUATION_ENGINE_UNKNOWN, "", "");
    const char *reason = NULL;
    assert (valuation_engine_locality_set_districts (locality, "S60-S66, S25, S26",
                                                     &reason) == 0);
    s_test_place (locality, "S60 2TD", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "s602td", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "S66 8AA", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "S25 1AB", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "S70 1AA", VALUATION_ENGINE_NON_LOCAL, "", "");
    s_test_place (locality, "S6 1AA", VALUATION_ENGINE_NON_LOCAL, "", "");
    s_test_place (locality, "S67 1AA", VALUATION_ENGINE_NON_LOCAL, "", "");
    s_test_place (locality, "DN5 0AA", VALUATION_ENGINE_NON_LOCAL, "", "");
    s_test_place (locality, "", VALUATION_ENGINE_UNKNOWN, "", "");
    s_test_place (locality, NULL, VALUATION_ENGINE_UNKNOWN, "", "");
    s_test_place (locality, "NOT A POSTCODE", VALUATION_ENGINE_UNKNOWN, "", "");
    valuation_engine_place_t place;
    valuation_engine_locality_classify (locality, " s60  2td ", &place);
    assert (streq (place.postcode, "S60 2TD"));
    valuation_engine_locality_classify (locality, "NOT A POSTCODE", &place);
    assert (streq (place.postcode, "") && streq (place.reason, "not a UK postcode"));
    assert (streq (valuation_engine_class_name (VALUATION_ENGINE_NON_LOCAL), "non_local"));

    //  Bad district text changes nothing
    const char *bad [] = { "S66-S60", "S60-DN6", "S60-S6x", "EC1A-EC4", "60", "S60,,XX9 9",
                           "S123" };
    for (size_t index = 0; index < sizeof bad / sizeof bad [0]; index++) {
        reason = NULL;
        assert (valuation_engine_locality_set_districts (locality, bad [index], &reason) == -1);
        assert (reason && *reason);
    }
    s_test_place (locality, "S61 1AA", VALUATION_ENGINE_LOCAL, "", "");
    //  Sub-districts: "EC1-EC4" covers EC1A-EC4Y, "W1A" only itself
    assert (valuation_engine_locality_set_districts (locality, "ec1-ec4 W1A", NULL) == 0);
    s_test_place (locality, "EC1A 1BB", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "EC4M 7AA", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "W1A 1AA", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "W1B 1AA", VALUATION_ENGINE_NON_LOCAL, "", "");
    s_test_place (locality, "S60 2TD", VALUATION_ENGINE_NON_LOCAL, "", "");
    valuation_engine_locality_destroy (&locality);
    valuation_engine_locality_destroy (&locality);
    assert (locality == NULL);

    //  ----------------------------------------------------------------------
    //  Local spend by the ONS postcode directory: Trafford's excerpt
    //  (postcode, ward_code, ward_name, ..., la_code, la_name)
    memset (&errors, 0, sizeof errors);
    valuation_engine_lookup_t *trafford = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/trafford_postcodes_excerpt.csv", s_test_error, &errors);
    assert (trafford && errors.count == 0);
    assert (valuation_engine_lookup_size (trafford) == 52);
    assert (valuation_engine_lookup_places (trafford) == 21);
    const char *ward_code, *ward_name, *authority;
    assert (valuation_engine_lookup_find (trafford, "wa139ep", &ward_code, &ward_name,
                                          &authority) == 0);
    assert (streq (ward_code, "E05015241") && streq (ward_name, "Bowdon"));
    assert (streq (authority, "E08000009"));
    assert (valuation_engine_lookup_find (trafford, "M33 7AB", NULL, NULL, NULL) == -1);
    assert (valuation_engine_lookup_find (trafford, "junk", NULL, NULL, NULL) == -1);

    locality = valuation_engine_locality_new ();
    valuation_engine_locality_set_lookup (locality, trafford);
    assert (valuation_engine_locality_set_authorities (locality, "e08000009") == 0);
    s_test_place (locality, "M15 4AB", VALUATION_ENGINE_LOCAL, "E05015247",
                  "Gorse Hill & Cornbrook");
    s_test_place (locality, "m15 4ad", VALUATION_ENGINE_LOCAL, "E05015253", "Old Trafford");
    s_test_place (locality, "M33 6PH", VALUATION_ENGINE_LOCAL, "E05015240",
                  "Ashton upon Mersey");
    s_test_place (locality, "M41 9NB", VALUATION_ENGINE_LOCAL, "E05015256",
                  "Stretford & Humphrey Park");
    s_test_place (locality, "WA13 9EP", VALUATION_ENGINE_LOCAL, "E05015241", "Bowdon");
    s_test_place (locality, "WA15 9DY", VALUATION_ENGINE_LOCAL, "E05015248", "Hale");
    s_test_place (locality, "M21 9TA", VALUATION_ENGINE_LOCAL, "E05015250", "Longford");
    //  Not in the directory, no district list: unknown, never non-local
    s_test_place (locality, "M33 7AB", VALUATION_ENGINE_UNKNOWN, "", "");
    s_test_place (locality, "S60 2TD", VALUATION_ENGINE_UNKNOWN, "", "");
    s_test_place (locality, "", VALUATION_ENGINE_UNKNOWN, "", "");
    s_test_place (locality, "NOT A POSTCODE", VALUATION_ENGINE_UNKNOWN, "", "");
    //  With a district list too, the list decides what the directory lacks
    assert (valuation_engine_locality_set_districts (locality, "M15-M17, M31-M33, M41, "
                                                     "WA13-WA15", NULL) == 0);
    s_test_place (locality, "M33 7AB", VALUATION_ENGINE_LOCAL, "", "");
    s_test_place (locality, "S60 2TD", VALUATION_ENGINE_NON_LOCAL, "", "");
    valuation_engine_locality_destroy (&locality);

    //  Another authority's partner (Manchester) with the same directory:
    //  Trafford postcodes are non-local, and still carry their ward
    locality = valuation_engine_locality_new ();
    valuation_engine_locality_set_lookup (locality, trafford);
    assert (valuation_engine_locality_set_authorities (locality, "E08000003") == 0);
    s_test_place (locality, "M15 4AB", VALUATION_ENGINE_NON_LOCAL, "E05015247",
                  "Gorse Hill & Cornbrook");
    //  The directory gives wards even with no authority named
    assert (valuation_engine_locality_set_authorities (locality, "") == 0);
    s_test_place (locality, "M15 4AB", VALUATION_ENGINE_UNKNOWN, "E05015247",
                  "Gorse Hill & Cornbrook");
    assert (valuation_engine_locality_set_districts (locality, "M15", NULL) == 0);
    s_test_place (locality, "M15 4AB", VALUATION_ENGINE_LOCAL, "E05015247",
                  "Gorse Hill & Cornbrook");
    valuation_engine_locality_destroy (&locality);

    //  ----------------------------------------------------------------------
    //  Wards of returns: Trafford's partner; a ward written as its code in
    //  any case, or as its name in any spelling, is the one code, named by
    //  the directory
    locality = valuation_engine_locality_new ();
    valuation_engine_locality_set_lookup (locality, trafford);
    assert (valuation_engine_locality_set_authorities (locality, "E08000009") == 0);
    s_test_ward (locality, "E05015239", 0, "E05015239", "Altrincham");
    s_test_ward (locality, " e05015239", 0, "E05015239", "Altrincham");
    s_test_ward (locality, "Altrincham", 0, "E05015239", "Altrincham");
    s_test_ward (locality, "ALTRINCHAM ", 0, "E05015239", "Altrincham");
    s_test_ward (locality, "stretford and humphrey park", 0, "E05015256",
                 "Stretford & Humphrey Park");
    s_test_ward (locality, "Gorse Hill and Cornbrook", 0, "E05015247",
                 "Gorse Hill & Cornbrook");
    s_test_ward (locality, "", 0, "", "");
    //  A code the directory does not hold is still that code, unnamed
    s_test_ward (locality, "E05099999", 0, "E05099999", "");
    //  No such ward: kept in its canonical spelling, with no code
    s_test_ward (locality, "ALTRINCHAM TOWN centre", -1, "", "Altrincham Town Centre");
    s_test_ward (locality, "--", -1, "", "");
    valuation_engine_locality_destroy (&locality);

    //  Brooklands is a ward of Trafford and of Manchester (Manchester's
    //  code here is illustrative): Trafford's partner gets Trafford's,
    //  Manchester's partner Manchester's, and a partner naming both
    //  authorities, or none, gets neither: two wards, never guessed
    const char *two =
        "postcode,ward_code,ward_name,la_code\n"
        "M33 3AA,E05015243,Brooklands,E08000009\n"
        "M23 9AA,E05011352,Brooklands,E08000003\n";
    valuation_engine_lookup_t *brooklands = valuation_engine_lookup_load (two, strlen (two),
                                                                         NULL, NULL);
    assert (brooklands && valuation_engine_lookup_places (brooklands) == 2);
    locality = valuation_engine_locality_new ();
    valuation_engine_locality_set_lookup (locality, brooklands);
    assert (valuation_engine_locality_set_authorities (locality, "E08000009") == 0);
    s_test_ward (locality, "brooklands", 0, "E05015243", "Brooklands");
    assert (valuation_engine_locality_set_authorities (locality, "E08000003") == 0);
    s_test_ward (locality, "BROOKLANDS", 0, "E05011352", "Brooklands");
    //  By code, the authority does not matter: a code is one ward
    s_test_ward (locality, "E05015243", 0, "E05015243", "Brooklands");
    assert (valuation_engine_locality_set_authorities (locality, "E08000003 E08000009") == 0);
    s_test_ward (locality, "Brooklands", -1, "", "Brooklands");
    assert (valuation_engine_locality_set_authorities (locality, "") == 0);
    s_test_ward (locality, "Brooklands", -1, "", "Brooklands");
    //  Without a directory nothing is matched
    valuation_engine_locality_set_lookup (locality, NULL);
    s_test_ward (locality, "brooklands", -1, "", "Brooklands");
    valuation_engine_locality_destroy (&locality);
    valuation_engine_lookup_destroy (&brooklands);

    valuation_engine_lookup_destroy (&trafford);
    valuation_engine_lookup_destroy (&trafford);
    assert (trafford == NULL);

    //  ONSPD layout (pcd, pcd2, pcds, ..., oslaua, osward; no ward names)
    memset (&errors, 0, sizeof errors);
    valuation_engine_lookup_t *onspd = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/onspd_header_sample.csv", s_test_error, &errors);
    assert (onspd && errors.count == 0);
    assert (valuation_engine_lookup_size (onspd) == 3);
    locality = valuation_engine_locality_new ();
    valuation_engine_locality_set_lookup (locality, onspd);
    assert (valuation_engine_locality_set_authorities (locality, "S12000033") == 0);
    s_test_place (locality, "AB1 0AD", VALUATION_ENGINE_LOCAL, "S13002843", "");
    s_test_place (locality, "AB1 0AE", VALUATION_ENGINE_UNKNOWN, "", "");
    //  AB1 0AA was terminated in June 1996 (doterm 199606): it still
    //  resolves, since a payment may predate the termination
    valuation_engine_locality_classify (locality, "ab10aa", &place);
    assert (streq (place.authority, "S12000033") && streq (place.ward_code, "S13002843"));
    valuation_engine_locality_destroy (&locality);
    valuation_engine_lookup_destroy (&onspd);

    //  NSPL layout (pcd, pcd2, pcds, ..., laua, ward): Bromley's BR8 7QP
    //  and BR8 7QW in ward E05000114, Northumberland's CA8 7JG
    memset (&errors, 0, sizeof errors);
    valuation_engine_lookup_t *nspl = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/nspl_excerpt.csv", s_test_error, &errors);
    assert (nspl && errors.count == 0);
    assert (valuation_engine_lookup_size (nspl) == 3);
    assert (valuation_engine_lookup_find (nspl, "br87qp", &ward_code, &ward_name,
                                          &authority) == 0);
    assert (streq (authority, "E09000006") && streq (ward_code, "E05000114"));
    assert (streq (ward_name, ""));
    locality = valuation_engine_locality_new ();
    valuation_engine_locality_set_lookup (locality, nspl);
    assert (valuation_engine_locality_set_authorities (locality, "E09000006") == 0);
    s_test_place (locality, "BR8 7QW", VALUATION_ENGINE_LOCAL, "E05000114", "");
    s_test_place (locality, "CA8 7JG", VALUATION_ENGINE_NON_LOCAL, "E05009122", "");
    valuation_engine_locality_destroy (&locality);
    valuation_engine_lookup_destroy (&nspl);

    //  The 2025 layout of the NSPL (pcd7, pcd8, pcds, ..., lad25cd, wd25cd):
    //  the same postcodes in the wards of 2025
    memset (&errors, 0, sizeof errors);
    nspl = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/nspl_2025_excerpt.csv", s_test_error, &errors);
    assert (nspl && errors.count == 0);
    assert (valuation_engine_lookup_size (nspl) == 3);
    assert (valuation_engine_lookup_find (nspl, "BR8 7QP", &ward_code, NULL, &authority) == 0);
    assert (streq (authority, "E09000006") && streq (ward_code, "E05014007"));
    assert (valuation_engine_lookup_find (nspl, "CA8 7JG", &ward_code, NULL, &authority) == 0);
    assert (streq (authority, "E06000057") && streq (ward_code, "E05016114"));
    valuation_engine_lookup_destroy (&nspl);

    //  The NSPL of August 2020: Aberdeen's AB1 0AA (terminated 199606),
    //  Scottish codes, pcd written with one space and pcd2 with two
    memset (&errors, 0, sizeof errors);
    nspl = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/nspl_2020_excerpt.csv", s_test_error, &errors);
    assert (nspl && errors.count == 0 && valuation_engine_lookup_size (nspl) == 1);
    assert (valuation_engine_lookup_find (nspl, "ab1  0aa", &ward_code, NULL, &authority) == 0);
    assert (streq (authority, "S12000033") && streq (ward_code, "S13002843"));
    valuation_engine_lookup_destroy (&nspl);

    //  The NSPD of February 2008 gives old codes in parts: oslaua "QA" and
    //  osward "MJ" are Aberdeen City and its ward only with oscty "00"
    //  ("00QA", "00QAMJ"); "MJ" alone is a ward of many authorities. The
    //  file is refused, saying why, rather than placing AB1 0AB in "QA"
    memset (&errors, 0, sizeof errors);
    nspl = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/nspd_2008_excerpt.csv", s_test_error, &errors);
    assert (nspl == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "nspd_2008_excerpt.csv: row 2, column 'oslaua', value "
                    "'QA': not an ONS local-authority code (a letter and eight digits, such as "
                    "E08000009); a directory from before 2011 gives old codes"));

    //  Code-Point Open (Ordnance Survey) has no header row: its columns are
    //  known only by position, so it is refused rather than read by guess
    memset (&errors, 0, sizeof errors);
    nspl = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/codepoint_open_excerpt.csv", s_test_error, &errors);
    assert (nspl == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "codepoint_open_excerpt.csv: no header row in the first "
                    "30 lines: no cell names a field such as postcode; line 1 has: AB101AA, "));

    //  A lookup of two years' wards (or authorities) does not say which
    //  one to place by: refused, naming both columns
    const char *two_years = "pcds,lad23cd,wd22cd,wd23cd\nM15 4AB,E08000009,E05000829,E05015247\n";
    memset (&errors, 0, sizeof errors);
    valuation_engine_lookup_t *lookup = valuation_engine_lookup_load (
        two_years, strlen (two_years), s_test_error, &errors);
    assert (lookup == NULL && errors.count == 1);
    assert (streq (errors.text [0], "row 1: two ward columns, 'wd22cd' and 'wd23cd' (of "
                   "different years): which one places a postcode is not clear"));

    //  Headers in any case, a year-stamped ward name beside its code
    const char *shouting = "PCDS,LAD24CD,WD24CD,WD24NM\nM15 4AB,E08000009,E05015247,Gorse Hill\n";
    lookup = valuation_engine_lookup_load (shouting, strlen (shouting),
                                                                      s_test_error, NULL);
    assert (lookup);
    assert (valuation_engine_lookup_find (lookup, "M15 4AB", &ward_code, &ward_name,
                                          &authority) == 0);
    assert (streq (authority, "E08000009") && streq (ward_code, "E05015247"));
    assert (streq (ward_name, "Gorse Hill"));
    valuation_engine_lookup_destroy (&lookup);

    //  The ONS best-fit lookup PCD_OA_LSOA_MSOA_LAD has authorities and no
    //  wards: refused, naming the column and the headers looked for
    memset (&errors, 0, sizeof errors);
    lookup = valuation_engine_lookup_load_file (
        "tests/fixtures/postcodes/pcd_oa_lsoa_msoa_lad_excerpt.csv", s_test_error, &errors);
    assert (lookup == NULL && errors.count == 1);
    assert (streq (errors.text [0], "row 1: tests/fixtures/postcodes/"
                   "pcd_oa_lsoa_msoa_lad_excerpt.csv: no ward column "
                   "(looked for ward_code, osward, ward, wd##cd, wdcd)"));
    //  A file without the authority, even with no row, is refused too
    const char *no_authority [] = { "pcds,ward\nBR8 7QP,E05000114\n", "pcds,ward\n" };
    for (size_t index = 0; index < 2; index++) {
        memset (&errors, 0, sizeof errors);
        lookup = valuation_engine_lookup_load (no_authority [index],
                                               strlen (no_authority [index]),
                                               s_test_error, &errors);
        assert (lookup == NULL && errors.count == 1);
        assert (streq (errors.text [0], "row 1: no local-authority column (looked for "
                       "la_code, oslaua, laua, lad##cd, ladcd, Local Authority Code, "
                       "LAD Code, LA)"));
    }
    memset (&errors, 0, sizeof errors);
    lookup = valuation_engine_lookup_load_file ("tests/fixtures/postcodes/no-such.csv",
                                                s_test_error, &errors);
    assert (lookup == NULL && errors.count == 1);
    assert (streq (errors.text [0], "row 0: tests/fixtures/postcodes/no-such.csv: "
                   "No such file or directory"));

    //  Unusable directory rows are skipped and named; a postcode given two
    //  places is left out; a file without the columns is refused
    const char *rough =
        "pcds,oslaua,osward\n"
        "S60 2TD,E08000018,E05012996\n"
        "S60 XX2,E08000018,E05012996\n"
        "S60,E08000018,E05012996\n"
        "S60 1AA,,E05012996\n"
        "S61 1AA,E08000018,E05012999\n"
        "S61 1AA,E08000018,E05013000\n"
        "S60 2TD,E08000018,E05012996\n";
    memset (&errors, 0, sizeof errors);
    lookup = valuation_engine_lookup_load (rough, strlen (rough), s_test_error, &errors);
    assert (lookup);
    if (verbose)
        for (size_t index = 0; index < errors.count; index++)
            printf ("   %s\n", errors.text [index]);
    assert (errors.count == 4);
    assert (streq (errors.text [0], "row 3, column 'pcds', value 'S60 XX2': not a UK postcode"));
    assert (streq (errors.text [1], "row 4, column 'pcds', value 'S60': not a UK postcode"));
    assert (streq (errors.text [2], "row 5, column 'oslaua', value '': "
                   "no local authority code"));
    assert (streq (errors.text [3], "row 0, column 'pcds', value 'S61 1AA': "
                   "the postcode is given two different places: left out"));
    assert (valuation_engine_lookup_size (lookup) == 1);
    assert (valuation_engine_lookup_find (lookup, "S61 1AA", NULL, NULL, NULL) == -1);
    assert (valuation_engine_lookup_find (lookup, "S60 2TD", &ward_code, &ward_name, NULL) == 0);
    assert (streq (ward_code, "E05012996") && streq (ward_name, ""));
    valuation_engine_lookup_destroy (&lookup);
    //  The ONS's pseudo codes: the Channel Islands' and the Isle of Man's
    //  "L99999999" and "M99999999" place a postcode in no authority (the
    //  row is left out), a pseudo ward is no ward; a code of another shape
    //  after the first row leaves its row out, and in the first refuses
    //  the file
    const char *pseudo =
        "pcds,lad23cd,wd23cd\n"
        "S60 2TD,E08000018,E05012996\n"
        "JE2 3AA,L99999999,L99999999\n"
        "IM1 1AA,M99999999,M99999999\n"
        "S60 1AE,E08000018,E99999999\n"
        "S60 1AF,00CF,E05012996\n"
        "S60 1AG,E08000018,00CFMJ\n";
    memset (&errors, 0, sizeof errors);
    lookup = valuation_engine_lookup_load (pseudo, strlen (pseudo), s_test_error, &errors);
    assert (lookup && valuation_engine_lookup_size (lookup) == 2);
    assert (errors.count == 4);
    assert (streq (errors.text [0], "row 3, column 'lad23cd', value 'L99999999': a pseudo "
                   "code: the directory places the postcode in no local authority"));
    assert (streq (errors.text [2], "row 6, column 'lad23cd', value '00CF': not an ONS "
                   "local-authority code (a letter and eight digits, such as E08000009)"));
    assert (streq (errors.text [3], "row 7, column 'wd23cd', value '00CFMJ': not an ONS "
                   "ward code (E05, W05, S13 or N08 and six digits)"));
    assert (valuation_engine_lookup_find (lookup, "JE2 3AA", NULL, NULL, NULL) == -1);
    assert (valuation_engine_lookup_find (lookup, "S60 1AE", &ward_code, NULL, &authority) == 0);
    assert (streq (authority, "E08000018") && streq (ward_code, ""));
    valuation_engine_lookup_destroy (&lookup);
    const char *old_ward = "pcds,oslaua,osward\nAB1 0AB,S12000033,00QAMJ\n";
    memset (&errors, 0, sizeof errors);
    lookup = valuation_engine_lookup_load (old_ward, strlen (old_ward), s_test_error, &errors);
    assert (lookup == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "row 2, column 'osward', value '00QAMJ': not an ONS ward "
                    "code (E05, W05, S13 or N08 and six digits); a directory from before 2011"));

    memset (&errors, 0, sizeof errors);
    lookup = valuation_engine_lookup_load ("ward,la_code\nx,E08000018\n", 24, s_test_error,
                                           &errors);
    assert (lookup == NULL && errors.count == 1);
    assert (strstr (errors.text [0], "no column for postcode; line 1 has: ward, la_code"));

    if (verbose)
        printf ("   OK\n");
}
