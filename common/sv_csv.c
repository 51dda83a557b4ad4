/*  =========================================================================
    sv_csv - a chunked CSV reader that maps any feed's header to
    canonical fields

    Data and timing. Bytes arrive in chunks of any size. After the first
    two or three bytes have been checked for a byte order mark, each chunk
    is cut into segments that end at a line break (or at 64 KiB) and each
    segment is given to libcsv, which calls back per cell and per record
    end. Cutting at line breaks is what lets the reader count physical
    lines: libcsv does not, and a record's first line is the line of the
    first segment that has anything but blanks in it after the previous
    record ended.

    A record's cells are collected, converted to UTF-8 where needed, into
    one buffer that is reused for the next record, so memory is the
    longest record seen (capped at max_record bytes of input; more refuses
    the file, since an unclosed quote would otherwise swallow it all).

    Until the header is found, each non-blank record starting within the
    first SV_CSV_HEADER_LINES lines is scored against the kind's field
    table; the first that names every required field is the header, and
    the best-scoring one explains a refusal when none does. After that,
    each non-blank record goes to the row callback straight away.

    Header mapping. Each header cell is folded (ASCII letters and digits,
    lower case) and compared with the folded canonical names, synonyms and
    overrides; a synonym keeps its '#'s when folded, each matching one
    digit of the cell. Every (cell, field) match has a rank: an override
    0, the canonical name 1, then 2, 3, ... down the field's synonym list.
    The matches are taken best rank first, each cell and each field at
    most once, so "Body" is the body name in a file that has nothing
    better, and the body code beside a "Body Name" column.
    =========================================================================
*/

#include "sv_csv.h"

#include <assert.h>
#include <csv.h>
#include <czmq.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>

//  Segments given to libcsv are at most this long, so that max_record is
//  checked before libcsv's own buffer can grow much past it
#define S_SEGMENT_MAX (64 * 1024)

//  A record with more cells than this is not considered as a header
#define S_HEADER_CELLS_MAX 1024

//  Folded header texts longer than this match nothing
#define S_FOLD_MAX 128

//  A cell index meaning "no column"
#define S_NONE ((size_t) -1)

//  libcsv parser state (struct csv_parser.pstate) while inside a field;
//  with .quoted set, a quoted cell that has not been closed
#define S_LIBCSV_FIELD_BEGUN 2

//  A folded header text that names a field, with its rank
typedef struct {
    char *folded;
    size_t field;               //  S_NONE: an override that ignores the column
    size_t rank;
} s_name_t;

//  A (cell, field) match while mapping a header
typedef struct {
    size_t rank;
    size_t cell;
    size_t field;
} s_match_t;

struct _sv_csv_t {
    const sv_csv_field_t *fields;
    size_t field_count;
    sv_csv_row_fn *row_fn;
    void *arg;

    struct csv_parser parser;
    iconv_t cp1252;
    s_name_t *names;            //  canonical names and synonyms, folded
    size_t name_count;
    s_name_t *overrides;
    size_t override_count;
    size_t max_record;

    //  Input position
    bool fed;                   //  any byte fed yet
    unsigned char prefix [3];   //  first bytes held back to look for a BOM
    size_t prefix_length;
    bool prefix_done;
    size_t line;                //  line of the next byte, 1-based
    bool last_cr;               //  the last byte fed was a CR
    size_t record_line;         //  line the open record started on, 0: none
    size_t record_bytes;        //  input bytes of the open record so far

    //  The record being collected: cells' text, each NUL-terminated
    char *text;
    size_t text_used;
    size_t text_size;
    size_t *cell_at;            //  offset of each cell in text
    size_t cells;
    size_t cell_slots;

    //  The header, once found
    size_t header_line;         //  0 until found
    size_t header_width;        //  cells up to the last named one
    size_t *field_cell;         //  [field_count]: cell index or S_NONE
    char **columns;             //  [field_count]: header text or NULL
    char **header_cells;        //  [header_width]: every header cell's text
    size_t best_score;          //  fields named by the best candidate
    char *best_text;            //  its description, for a refusal
    char *first_text;           //  the first non-blank record, likewise

    //  Rows
    const char **values;        //  [field_count]
    size_t rows;
    char shape [80];
    const char *problem;        //  sv_csv_feed_cells: the row's, or NULL
    char refusal [1024];        //  why the file is refused, once refused
    bool refused;
    bool finished;
};


//  --------------------------------------------------------------------------
//  Small helpers

//  Folds text to ASCII letters and digits in lower case, into out
//  (S_FOLD_MAX + 1 bytes), keeping '#' too when keep_digit_mark (a name
//  of the kind's table, where '#' stands for a digit; never a header
//  cell, where "Trans #" is "trans"). Returns false if it does not fit.
static bool
s_fold_any (const char *text, char *out, bool keep_digit_mark)
{
    size_t length = 0;
    for (; *text; text++) {
        char c = *text;
        if (c >= 'A' && c <= 'Z')
            c = (char) (c - 'A' + 'a');
        else
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
              || (c == '#' && keep_digit_mark)))
            continue;
        if (length == S_FOLD_MAX)
            return false;
        out [length++] = c;
    }
    out [length] = 0;
    return true;
}

//  Folds a header cell. A cell of a pound sign alone (Bexley's amount
//  column before 2022), which has no letter or digit to fold, folds as
//  "gbp", the name a kind's table can give it.
static bool
s_fold (const char *text, char *out)
{
    if (!s_fold_any (text, out, false))
        return false;
    if (!*out) {
        while (*text == ' ' || *text == '\t')
            text++;
        size_t length = strlen (text);
        while (length && (text [length - 1] == ' ' || text [length - 1] == '\t'))
            length--;
        if (length == 2 && memcmp (text, "\xC2\xA3", 2) == 0)
            strcpy (out, "gbp");
    }
    return true;
}

//  True if a folded header cell is the folded name, each '#' of the name
//  matching one digit of the cell
static bool
s_name_matches (const char *name, const char *cell)
{
    for (; *name && *cell; name++, cell++)
        if (*name == '#'? !(*cell >= '0' && *cell <= '9'): *name != *cell)
            return false;
    return *name == *cell;
}

//  True if bytes [0..size) are well-formed UTF-8 (no overlong forms, no
//  surrogates, nothing above U+10FFFF)
static bool
s_valid_utf8 (const unsigned char *bytes, size_t size)
{
    size_t index = 0;
    while (index < size) {
        unsigned int c = bytes [index];
        if (c < 0x80) {
            index++;
            continue;
        }
        size_t length;
        unsigned int point;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            point = c & 0x1F;
        }
        else
        if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            point = c & 0x0F;
        }
        else
        if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            point = c & 0x07;
        }
        else
            return false;
        if (size - index < length)
            return false;
        for (size_t at = 1; at < length; at++) {
            if ((bytes [index + at] & 0xC0) != 0x80)
                return false;
            point = (point << 6) | (bytes [index + at] & 0x3F);
        }
        if (length == 3 && (point < 0x800 || (point >= 0xD800 && point <= 0xDFFF)))
            return false;
        if (length == 4 && (point < 0x10000 || point > 0x10FFFF))
            return false;
        index += length;
    }
    return true;
}

//  Returns the length to cut text (of length bytes) to so that it does not
//  end inside a UTF-8 sequence.
static size_t
s_utf8_cut (const char *text, size_t length)
{
    size_t start = length;
    while (start > 0 && ((unsigned char) text [start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && ((unsigned char) text [start - 1] & 0xC0) == 0xC0) {
        unsigned char lead = (unsigned char) text [start - 1];
        size_t need = lead >= 0xF0? 4: lead >= 0xE0? 3: 2;
        if (length - (start - 1) < need)
            return start - 1;
    }
    return length;
}

//  Sets the refusal (the first one wins), formatted like printf and cut
//  short on a character boundary.
static void
s_refuse (sv_csv_t *self, const char *format, ...)
{
    if (self->refused)
        return;
    va_list args;
    va_start (args, format);
    int length = vsnprintf (self->refusal, sizeof self->refusal, format, args);
    va_end (args);
    if (length < 0)
        snprintf (self->refusal, sizeof self->refusal, "cannot read the file");
    else
    if ((size_t) length >= sizeof self->refusal)
        self->refusal [s_utf8_cut (self->refusal, sizeof self->refusal - 1)] = 0;
    self->refused = true;
}

//  Makes sure text has room for extra more bytes. Returns 0 or -1.
static int
s_text_reserve (sv_csv_t *self, size_t extra)
{
    if (self->text_size - self->text_used >= extra)
        return 0;
    size_t size = self->text_size? self->text_size: 256;
    while (size - self->text_used < extra)
        size *= 2;
    char *text = (char *) realloc (self->text, size);
    if (!text)
        return -1;
    self->text = text;
    self->text_size = size;
    return 0;
}


//  --------------------------------------------------------------------------
//  Describes a record for a refusal message: "line 3 has: A, B, C",
//  control characters shown as '?', cut at about 300 bytes. Returns a
//  fresh string or NULL.

static char *
s_describe (sv_csv_t *self, size_t line)
{
    char *text = zsys_sprintf ("line %zu has: ", line);
    if (!text)
        return NULL;
    size_t length = strlen (text);
    size_t limit = 300;
    char *out = (char *) realloc (text, limit + 8);
    if (!out) {
        free (text);
        return NULL;
    }
    for (size_t cell = 0; cell < self->cells && length < limit; cell++) {
        const char *value = self->text + self->cell_at [cell];
        if (cell > 0) {
            out [length++] = ',';
            out [length++] = ' ';
        }
        for (; *value && length < limit; value++)
            out [length++] = ((unsigned char) *value < 0x20 || *value == 0x7F)? '?': *value;
    }
    //  Never end in the middle of a UTF-8 sequence
    if (length >= limit) {
        length = s_utf8_cut (out, length);
        memcpy (out + length, "...", 3);
        length += 3;
    }
    out [length] = 0;
    return out;
}


//  --------------------------------------------------------------------------
//  Maps the collected record as a header into field_cell. Returns the
//  number of fields mapped; sets *complete_p when every required field is.

//  qsort order of matches: best rank first, then leftmost cell, then field
static int
s_match_compare (const void *left, const void *right)
{
    const s_match_t *a = (const s_match_t *) left, *b = (const s_match_t *) right;
    if (a->rank != b->rank)
        return a->rank < b->rank? -1: 1;
    if (a->cell != b->cell)
        return a->cell < b->cell? -1: 1;
    return a->field < b->field? -1: a->field > b->field;
}

static size_t
s_map_header (sv_csv_t *self, size_t *field_cell, bool *complete_p)
{
    *complete_p = false;
    for (size_t field = 0; field < self->field_count; field++)
        field_cell [field] = S_NONE;
    if (self->cells > S_HEADER_CELLS_MAX)
        return 0;

    //  Every match of a cell with a field, at its best rank
    size_t capacity = self->cells * self->field_count;
    s_match_t *matches = (s_match_t *) malloc ((capacity? capacity: 1) * sizeof (s_match_t));
    if (!matches)
        return 0;
    size_t count = 0;
    for (size_t cell = 0; cell < self->cells; cell++) {
        char folded [S_FOLD_MAX + 1];
        if (!s_fold (self->text + self->cell_at [cell], folded) || !*folded)
            continue;
        bool overridden = false;
        for (size_t index = 0; index < self->override_count; index++) {
            const s_name_t *name = &self->overrides [index];
            if (strcmp (name->folded, folded) == 0) {
                overridden = true;
                if (name->field != S_NONE)
                    matches [count++] = (s_match_t) { 0, cell, name->field };
                break;
            }
        }
        if (overridden)
            continue;
        size_t first = count;
        for (size_t index = 0; index < self->name_count; index++) {
            const s_name_t *name = &self->names [index];
            if (!s_name_matches (name->folded, folded))
                continue;
            //  Keep only the best rank per field (names are in rank order)
            bool seen = false;
            for (size_t at = first; at < count; at++)
                seen |= matches [at].field == name->field;
            if (!seen)
                matches [count++] = (s_match_t) { name->rank, cell, name->field };
        }
    }
    qsort (matches, count, sizeof (s_match_t), s_match_compare);

    bool *cell_taken = (bool *) calloc (self->cells + 1, sizeof (bool));
    size_t mapped = 0;
    if (cell_taken) {
        for (size_t index = 0; index < count; index++) {
            const s_match_t *match = &matches [index];
            if (cell_taken [match->cell] || field_cell [match->field] != S_NONE)
                continue;
            cell_taken [match->cell] = true;
            field_cell [match->field] = match->cell;
            mapped++;
        }
    }
    free (cell_taken);
    free (matches);

    bool complete = true;
    for (size_t field = 0; field < self->field_count; field++)
        if (self->fields [field].required && field_cell [field] == S_NONE)
            complete = false;
    *complete_p = complete;
    return mapped;
}


//  --------------------------------------------------------------------------
//  Writes "a, b or c" naming the required fields that field_cell lacks
//  (all required fields when field_cell is NULL). Returns a fresh string.

static char *
s_missing (sv_csv_t *self, const size_t *field_cell)
{
    size_t total = 0;
    for (size_t field = 0; field < self->field_count; field++)
        if (self->fields [field].required && (!field_cell || field_cell [field] == S_NONE))
            total++;
    char *text = strdup ("");
    size_t done = 0;
    for (size_t field = 0; field < self->field_count && text; field++) {
        if (!self->fields [field].required || (field_cell && field_cell [field] != S_NONE))
            continue;
        done++;
        const char *joint = done == 1? "": done == total? " or ": ", ";
        char *longer = zsys_sprintf ("%s%s%s", text, joint, self->fields [field].name);
        free (text);
        text = longer;
    }
    return text;
}


//  --------------------------------------------------------------------------
//  Considers the collected record (starting on line) as the header.

static void
s_consider_header (sv_csv_t *self, size_t line)
{
    if (!self->first_text)
        self->first_text = s_describe (self, line);

    size_t *field_cell = (size_t *) malloc (self->field_count * sizeof (size_t));
    if (!field_cell) {
        s_refuse (self, "out of memory");
        return;
    }
    bool complete;
    size_t score = s_map_header (self, field_cell, &complete);
    if (complete) {
        for (size_t field = 0; field < self->field_count; field++) {
            size_t cell = field_cell [field];
            self->field_cell [field] = cell;
            if (cell != S_NONE) {
                self->columns [field] = strdup (self->text + self->cell_at [cell]);
                if (!self->columns [field])
                    s_refuse (self, "out of memory");
            }
        }
        self->header_width = 0;
        for (size_t cell = 0; cell < self->cells; cell++)
            if (*(self->text + self->cell_at [cell]))
                self->header_width = cell + 1;
        self->header_cells = (char **) calloc (self->header_width + 1, sizeof (char *));
        for (size_t cell = 0; self->header_cells && cell < self->header_width; cell++)
            self->header_cells [cell] = strdup (self->text + self->cell_at [cell]);
        self->header_line = line;
    }
    else
    if (score > self->best_score) {
        char *missing = s_missing (self, field_cell);
        char *described = s_describe (self, line);
        free (self->best_text);
        self->best_text = zsys_sprintf ("no column for %s; %s",
                                        missing? missing: "a required field",
                                        described? described: "");
        free (missing);
        free (described);
        self->best_score = score;
    }
    free (field_cell);
}

//  Refuses the file for want of a header.
static void
s_refuse_no_header (sv_csv_t *self)
{
    if (self->best_text)
        s_refuse (self, "%s", self->best_text);
    else
    if (self->first_text) {
        char *required = s_missing (self, NULL);
        s_refuse (self, "no header row in the first %d lines: no cell names a field such as %s; %s",
                  SV_CSV_HEADER_LINES, required? required: "", self->first_text);
        free (required);
    }
    else
        s_refuse (self, "empty file: no header row");
}


//  --------------------------------------------------------------------------
//  Hands the collected record (starting on line) to the row callback.

static void
s_deliver (sv_csv_t *self, size_t line)
{
    size_t used = 0;
    for (size_t cell = 0; cell < self->cells; cell++)
        if (*(self->text + self->cell_at [cell]))
            used = cell + 1;
    const char *shape = NULL;
    if (self->cells < self->header_width || used > self->header_width) {
        snprintf (self->shape, sizeof self->shape, "%zu cells where the header has %zu",
                  self->cells < self->header_width? self->cells: used, self->header_width);
        shape = self->shape;
    }
    for (size_t field = 0; field < self->field_count; field++) {
        size_t cell = self->field_cell [field];
        self->values [field] = cell == S_NONE || cell >= self->cells?
                               NULL: self->text + self->cell_at [cell];
    }
    sv_csv_row_t row = { line, self->values, self->cells, self->problem? self->problem: shape };
    self->rows++;
    if (self->row_fn (&row, self->arg))
        s_refuse (self, "stopped by the row handler at line %zu", line);
}


//  --------------------------------------------------------------------------
//  libcsv callbacks: a cell ends, a record ends

//  libcsv: a cell of size bytes has ended. Appends it, as UTF-8, to the
//  record being collected; refuses the file on a NUL byte or no memory.
static void
s_cell_end (void *data, size_t size, void *arg)
{
    sv_csv_t *self = (sv_csv_t *) arg;
    if (self->refused)
        return;
    const unsigned char *bytes = (const unsigned char *) data;
    if (size > 0 && memchr (bytes, 0, size)) {
        s_refuse (self, "a NUL byte in the record on line %zu: not a text file",
                  self->record_line? self->record_line: self->line);
        return;
    }
    if (self->cells == self->cell_slots) {
        size_t slots = self->cell_slots? self->cell_slots * 2: 32;
        size_t *cell_at = (size_t *) realloc (self->cell_at, slots * sizeof (size_t));
        if (!cell_at) {
            s_refuse (self, "out of memory");
            return;
        }
        self->cell_at = cell_at;
        self->cell_slots = slots;
    }
    //  cp1252 takes at most 3 UTF-8 bytes per byte, U+FFFD included
    if (s_text_reserve (self, size * 3 + 1)) {
        s_refuse (self, "out of memory");
        return;
    }
    self->cell_at [self->cells++] = self->text_used;
    char *out = self->text + self->text_used;
    if (s_valid_utf8 (bytes, size)) {
        if (size > 0)
            memcpy (out, bytes, size);
        out += size;
    }
    else {
        //  Not UTF-8: read as cp1252, the usual export of UK finance
        //  systems; its five unassigned bytes become U+FFFD
        iconv (self->cp1252, NULL, NULL, NULL, NULL);
        char *in = (char *) bytes;
        size_t in_left = size, out_left = size * 3;
        while (in_left > 0) {
            if (iconv (self->cp1252, &in, &in_left, &out, &out_left) != (size_t) -1)
                break;
            if (errno != EILSEQ && errno != EINVAL)
                break;          //  E2BIG cannot happen: room was reserved
            memcpy (out, "\xEF\xBF\xBD", 3);
            out += 3;
            out_left -= 3;
            in++;
            in_left--;
        }
    }
    *out++ = 0;
    self->text_used = (size_t) (out - self->text);
}

//  libcsv: a record has ended (terminator is its line break, or -1 at the
//  end of the file). Skips it if blank, else offers it as the header or
//  hands it over as a data row; then empties the record.
static void
s_record_end (int terminator, void *arg)
{
    (void) terminator;
    sv_csv_t *self = (sv_csv_t *) arg;
    size_t line = self->record_line? self->record_line: self->line;
    self->record_line = 0;
    self->record_bytes = 0;
    if (!self->refused) {
        bool blank = true;
        for (size_t cell = 0; cell < self->cells && blank; cell++)
            blank = *(self->text + self->cell_at [cell]) == 0;
        if (blank)
            ;                   //  Spacer lines, "" or ",,,,": not rows
        else
        if (self->header_line)
            s_deliver (self, line);
        else
        if (line > SV_CSV_HEADER_LINES)
            s_refuse_no_header (self);
        else
            s_consider_header (self, line);
    }
    self->cells = 0;
    self->text_used = 0;
}


//  --------------------------------------------------------------------------
//  Constructor and destructor

sv_csv_t *
sv_csv_new (const sv_csv_field_t *fields, size_t field_count,
                sv_csv_row_fn *row_fn, void *arg)
{
    assert (fields);
    assert (row_fn);
    if (field_count == 0)
        return NULL;
    sv_csv_t *self = (sv_csv_t *) zmalloc (sizeof (sv_csv_t));
    if (!self)
        return NULL;
    self->fields = fields;
    self->field_count = field_count;
    self->row_fn = row_fn;
    self->arg = arg;
    self->max_record = SV_CSV_MAX_RECORD;
    self->line = 1;
    self->cp1252 = iconv_open ("UTF-8", "CP1252");
    if (self->cp1252 == (iconv_t) -1 || csv_init (&self->parser, 0) != 0) {
        if (self->cp1252 != (iconv_t) -1)
            iconv_close (self->cp1252);
        free (self);
        return NULL;
    }
    self->field_cell = (size_t *) malloc (field_count * sizeof (size_t));
    self->columns = (char **) calloc (field_count, sizeof (char *));
    self->values = (const char **) calloc (field_count, sizeof (char *));
    size_t name_count = 0;
    for (size_t field = 0; field < field_count; field++) {
        name_count++;
        for (size_t index = 0; fields [field].synonyms && fields [field].synonyms [index]; index++)
            name_count++;
    }
    self->names = (s_name_t *) calloc (name_count, sizeof (s_name_t));
    bool ok = self->field_cell && self->columns && self->values && self->names;
    for (size_t field = 0; ok && field < field_count; field++) {
        self->field_cell [field] = S_NONE;
        const char *const *synonyms = fields [field].synonyms;
        for (size_t index = 0; ok && (index == 0 || (synonyms && synonyms [index - 1])); index++) {
            const char *text = index == 0? fields [field].name: synonyms [index - 1];
            char folded [S_FOLD_MAX + 1];
            s_name_t *name = &self->names [self->name_count];
            bool folds = s_fold_any (text, folded, true) && *folded;
            assert (folds);     //  A name with no letter or digit: a bad table
            (void) folds;
            name->folded = strdup (folded);
            name->field = field;
            name->rank = index + 1;
            ok = name->folded != NULL;
            if (ok)
                self->name_count++;
        }
    }
    if (!ok)
        sv_csv_destroy (&self);
    return self;
}

void
sv_csv_destroy (sv_csv_t **self_p)
{
    assert (self_p);
    sv_csv_t *self = *self_p;
    if (!self)
        return;
    csv_free (&self->parser);
    iconv_close (self->cp1252);
    for (size_t index = 0; index < self->name_count; index++)
        free (self->names [index].folded);
    free (self->names);
    for (size_t index = 0; index < self->override_count; index++)
        free (self->overrides [index].folded);
    free (self->overrides);
    for (size_t field = 0; self->columns && field < self->field_count; field++)
        free (self->columns [field]);
    free (self->columns);
    for (size_t cell = 0; self->header_cells && cell < self->header_width; cell++)
        free (self->header_cells [cell]);
    free (self->header_cells);
    free (self->field_cell);
    free (self->values);
    free (self->text);
    free (self->cell_at);
    free (self->best_text);
    free (self->first_text);
    free (self);
    *self_p = NULL;
}


//  --------------------------------------------------------------------------
//  Settings before the first feed

int
sv_csv_override (sv_csv_t *self, const char *pair)
{
    assert (self);
    assert (pair);
    const char *equals = strrchr (pair, '=');
    if (self->fed || !equals)
        return -1;
    char *header = strndup (pair, (size_t) (equals - pair));
    char folded [S_FOLD_MAX + 1], wanted [S_FOLD_MAX + 1];
    bool ok = header && s_fold (header, folded) && *folded && s_fold (equals + 1, wanted);
    free (header);
    if (!ok)
        return -1;
    size_t target = S_NONE;
    if (*wanted) {
        for (size_t field = 0; field < self->field_count && target == S_NONE; field++) {
            char name [S_FOLD_MAX + 1];
            if (s_fold (self->fields [field].name, name) && strcmp (name, wanted) == 0)
                target = field;
        }
        if (target == S_NONE)
            return -1;
    }
    s_name_t *overrides = (s_name_t *) realloc (self->overrides,
                                                (self->override_count + 1) * sizeof (s_name_t));
    if (!overrides)
        return -1;
    self->overrides = overrides;
    char *copy = strdup (folded);
    if (!copy)
        return -1;
    //  A later override of the same header replaces the earlier one
    for (size_t index = 0; index < self->override_count; index++)
        if (strcmp (self->overrides [index].folded, folded) == 0) {
            free (self->overrides [index].folded);
            self->overrides [index] = (s_name_t) { copy, target, 0 };
            return 0;
        }
    self->overrides [self->override_count++] = (s_name_t) { copy, target, 0 };
    return 0;
}

int
sv_csv_set_max_record (sv_csv_t *self, size_t bytes)
{
    assert (self);
    if (self->fed || bytes < 1024)
        return -1;
    self->max_record = bytes;
    return 0;
}


//  --------------------------------------------------------------------------
//  Feeding

//  Gives bytes [0..size) of the file proper (after any BOM) to libcsv,
//  one segment at a time. Returns 0, or -1 when refused.
static int
s_parse (sv_csv_t *self, const unsigned char *bytes, size_t size)
{
    while (size > 0 && !self->refused) {
        //  A segment runs to the next line break, included
        size_t length = 0;
        while (length < size && length < S_SEGMENT_MAX
        &&     bytes [length] != '\n' && bytes [length] != '\r')
            length++;
        if (length < size && length < S_SEGMENT_MAX)
            length++;

        //  A record's bytes are counted from its first non-blank one, so
        //  that the count does not depend on where chunks were cut
        size_t counted = length;
        if (!self->record_line) {
            counted = 0;
            for (size_t index = 0; index < length; index++) {
                unsigned char c = bytes [index];
                if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
                    self->record_line = self->line;
                    counted = length - index;
                    break;
                }
            }
        }
        if (self->record_line) {
            self->record_bytes += counted;
            if (self->record_bytes > self->max_record) {
                s_refuse (self, "the record starting on line %zu is longer than %zu bytes "
                          "(is a quote left open?)", self->record_line, self->max_record);
                break;
            }
        }
        if (csv_parse (&self->parser, bytes, length, s_cell_end, s_record_end, self) != length) {
            s_refuse (self, "cannot read as CSV: %s", csv_strerror (csv_error (&self->parser)));
            break;
        }
        //  Count the line break, once for a CR LF pair
        unsigned char last = bytes [length - 1];
        if (last == '\r')
            self->line++;
        else
        if (last == '\n' && !(length == 1 && self->last_cr))
            self->line++;
        self->last_cr = last == '\r';
        bytes += length;
        size -= length;
    }
    return self->refused? -1: 0;
}

//  True if the held prefix is, so far, the start of a byte order mark
static bool
s_prefix_may_be_bom (const unsigned char *prefix, size_t length)
{
    static const unsigned char utf8 [] = { 0xEF, 0xBB, 0xBF };
    static const unsigned char utf16le [] = { 0xFF, 0xFE };
    static const unsigned char utf16be [] = { 0xFE, 0xFF };
    return (length <= 3 && memcmp (prefix, utf8, length) == 0)
        || (length <= 2 && memcmp (prefix, utf16le, length) == 0)
        || (length <= 2 && memcmp (prefix, utf16be, length) == 0);
}

//  Decides what the held prefix is, once it is complete or the file ends.
//  Returns 0, or -1 when refused.
static int
s_prefix_decide (sv_csv_t *self)
{
    self->prefix_done = true;
    const unsigned char *prefix = self->prefix;
    size_t length = self->prefix_length;
    if (length == 3 && prefix [0] == 0xEF && prefix [1] == 0xBB && prefix [2] == 0xBF)
        return 0;               //  The UTF-8 BOM: dropped
    if (length == 2 && (prefix [0] == 0xFF || prefix [0] == 0xFE)
    &&  s_prefix_may_be_bom (prefix, 2)) {
        s_refuse (self, "UTF-16 text: save the file as CSV in UTF-8 (or Windows-1252)");
        return -1;
    }
    return s_parse (self, prefix, length);
}

int
sv_csv_feed (sv_csv_t *self, const void *data, size_t size)
{
    assert (self);
    assert (data || size == 0);
    if (self->refused || self->finished)
        return -1;
    self->fed = true;
    const unsigned char *bytes = (const unsigned char *) data;
    while (!self->prefix_done && size > 0) {
        self->prefix [self->prefix_length++] = *bytes++;
        size--;
        bool may_be_bom = s_prefix_may_be_bom (self->prefix, self->prefix_length);
        bool whole = may_be_bom && (self->prefix_length == 3
                  || (self->prefix_length == 2 && self->prefix [0] != 0xEF));
        if ((!may_be_bom || whole) && s_prefix_decide (self))
            return -1;
    }
    return s_parse (self, bytes, size);
}

int
sv_csv_feed_cells (sv_csv_t *self, size_t line, const char *const *cells, size_t count,
                   const char *problem)
{
    assert (self);
    assert (cells || count == 0);
    if (self->refused || self->finished)
        return -1;
    self->fed = true;
    self->prefix_done = true;
    size_t bytes = 0;
    for (size_t cell = 0; cell < count && !self->refused; cell++) {
        //  Trimmed as libcsv trims a CSV cell
        const char *text = cells [cell]? cells [cell]: "";
        size_t length = strlen (text);
        while (length > 0 && (*text == ' ' || *text == '\t')) {
            text++;
            length--;
        }
        while (length > 0 && (text [length - 1] == ' ' || text [length - 1] == '\t'))
            length--;
        bytes += length + 1;
        if (bytes > self->max_record)
            s_refuse (self, "the record on line %zu is longer than %zu bytes", line,
                      self->max_record);
        else
            s_cell_end ((void *) text, length, self);
    }
    //  A sheet leaves a row's empty cells at its end out: never a misfit
    while (!self->refused && self->header_line && self->cells < self->header_width)
        s_cell_end ((void *) "", 0, self);
    if (!self->refused) {
        self->record_line = line;
        self->problem = problem;
        s_record_end (0, self);
        self->problem = NULL;
        self->line = line + 1;
    }
    self->cells = 0;
    self->text_used = 0;
    return self->refused? -1: 0;
}

int
sv_csv_finish (sv_csv_t *self)
{
    assert (self);
    if (self->refused || self->finished)
        return -1;
    self->finished = true;
    if (!self->prefix_done && s_prefix_decide (self))
        return -1;
    if (self->parser.pstate == S_LIBCSV_FIELD_BEGUN && self->parser.quoted) {
        s_refuse (self, "the quoted cell in the record starting on line %zu is never closed",
                  self->record_line? self->record_line: self->line);
        return -1;
    }
    csv_fini (&self->parser, s_cell_end, s_record_end, self);
    if (!self->refused && !self->header_line)
        s_refuse_no_header (self);
    return self->refused? -1: 0;
}


//  --------------------------------------------------------------------------
//  Queries

const char *
sv_csv_refusal (sv_csv_t *self)
{
    assert (self);
    return self->refused? self->refusal: NULL;
}

const char *
sv_csv_column (sv_csv_t *self, size_t field)
{
    assert (self);
    return field < self->field_count? self->columns [field]: NULL;
}

void
sv_csv_columns (sv_csv_t *self, sv_csv_column_fn *fn, void *arg)
{
    assert (self && fn);
    for (size_t cell = 0; self->header_cells && cell < self->header_width; cell++) {
        const char *source = self->header_cells [cell];
        if (!source || !*source)
            continue;               //  an unnamed column, empty in the header
        const char *field = NULL;
        for (size_t index = 0; index < self->field_count && !field; index++)
            if (self->field_cell [index] == cell)
                field = self->fields [index].name;
        fn (source, field, arg);
    }
}

size_t
sv_csv_header_line (sv_csv_t *self)
{
    assert (self);
    return self->header_line;
}

size_t
sv_csv_rows (sv_csv_t *self)
{
    assert (self);
    return self->rows;
}

void
sv_csv_write_field (FILE *out, const char *text)
{
    assert (out && text);
    if (!strpbrk (text, ",\"\r\n")) {
        fputs (text, out);
        return;
    }
    fputc ('"', out);
    for (const char *scan = text; *scan; scan++) {
        if (*scan == '"')
            fputc ('"', out);
        fputc (*scan, out);
    }
    fputc ('"', out);
}


void *
sv_csv_slurp (const char *path, sv_csv_error_fn *error_fn, void *arg)
{
    assert (path);
    zchunk_t *file = zchunk_slurp (path, 0);
    if (!file && error_fn) {
        char reason [600];
        snprintf (reason, sizeof reason, "cannot read %s: %s", path,
                  errno? strerror (errno): "no such file");
        sv_csv_error_t refusal = { 0, NULL, NULL, reason };
        error_fn (&refusal, arg);
    }
    return file;
}

const char *
sv_csv_error_format (const sv_csv_error_t *error, char *buf, size_t size)
{
    assert (error);
    assert (buf);
    if (size == 0)
        return buf;
    int length;
    if (error->column && error->value)
        length = snprintf (buf, size, "row %zu, column '%s', value '%s': %s",
                           error->line, error->column, error->value, error->reason);
    else
    if (error->column)
        length = snprintf (buf, size, "row %zu, column '%s': %s",
                           error->line, error->column, error->reason);
    else
        length = snprintf (buf, size, "row %zu: %s", error->line, error->reason);
    //  Cut short: never leave half a UTF-8 character
    if (length >= 0 && (size_t) length >= size)
        buf [s_utf8_cut (buf, size - 1)] = 0;
    return buf;
}


//  --------------------------------------------------------------------------
//  Self test

#define S_TEST_ROWS_MAX 16

//  A string literal that may hold NULs, and its length
#define S_LITERAL(text) text, sizeof (text) - 1

//  What the test kind's rows looked like, copied out of the callback
typedef struct {
    size_t count;
    size_t line [S_TEST_ROWS_MAX];
    char *values [S_TEST_ROWS_MAX][3];      //  "(null)" when NULL
    bool misfit [S_TEST_ROWS_MAX];
    int stop_after;                         //  return -1 at this row, 0: never
} s_test_rows_t;

//  Test row callback: copies the row's first three values into rows
static int
s_test_row (const sv_csv_row_t *row, void *arg)
{
    s_test_rows_t *rows = (s_test_rows_t *) arg;
    assert (rows->count < S_TEST_ROWS_MAX);
    rows->line [rows->count] = row->line;
    for (size_t field = 0; field < 3; field++)
        rows->values [rows->count][field] = strdup (row->values [field]? row->values [field]: "(null)");
    rows->misfit [rows->count] = row->shape_error != NULL;
    rows->count++;
    return rows->stop_after && (int) rows->count == rows->stop_after? -1: 0;
}

//  Frees what s_test_row copied and empties rows
static void
s_test_rows_free (s_test_rows_t *rows)
{
    for (size_t row = 0; row < rows->count; row++)
        for (size_t field = 0; field < 3; field++)
            free (rows->values [row][field]);
    rows->count = 0;
}

//  A kind of three fields for the tests
static const char *const s_test_when [] = { "Paid Date", "Date", NULL };
static const char *const s_test_what [] = { "Net Amount", "Amount", NULL };
static const char *const s_test_who [] = { "Supplier Name", "Supplier", NULL };
static const sv_csv_field_t s_test_fields [] = {
    { "payment_date", s_test_when, true },
    { "amount", s_test_what, true },
    { "supplier_name", s_test_who, false },
};

//  Reads text (size bytes) in chunks of chunk bytes into rows. Returns the
//  reader, finished, for the caller to inspect and destroy.
static sv_csv_t *
s_test_read (const char *text, size_t size, size_t chunk, s_test_rows_t *rows,
             const char *override)
{
    sv_csv_t *reader = sv_csv_new (s_test_fields, 3, s_test_row, rows);
    assert (reader);
    if (override)
        assert (sv_csv_override (reader, override) == 0);
    int rc = 0;
    for (size_t at = 0; at < size && rc == 0; at += chunk)
        rc = sv_csv_feed (reader, text + at, size - at < chunk? size - at: chunk);
    if (rc == 0)
        sv_csv_finish (reader);
    return reader;
}

//  Collects "source=field" for each column, "source=" when ignored
static void
s_test_column (const char *source, const char *field, void *arg)
{
    char *list = (char *) arg;
    size_t used = strlen (list);
    snprintf (list + used, 256 - used, "%s%s=%s", used? ";": "", source, field? field: "");
}

void
sv_csv_test (bool verbose)
{
    if (verbose)
        printf (" * sv_csv:\n");
    s_test_rows_t rows = { 0 };

    //  Every named column is told, mapped or ignored, in the file's order
    {
        const char *text = "Supplier,Notes,,Net Amount, PAID DATE\nA,x,,1,01/06/2012\n";
        char list [256] = "";
        sv_csv_t *reader = s_test_read (text, strlen (text), 5, &rows, NULL);
        sv_csv_columns (reader, s_test_column, list);
        assert (streq (list, "Supplier=supplier_name;Notes=;Net Amount=amount;"
                             "PAID DATE=payment_date"));
        sv_csv_destroy (&reader);
        s_test_rows_free (&rows);
    }

    //  A preamble, a header with its own words, a quoted cell spanning
    //  two lines, CR LF, a blank spacer line, a cp1252 pound sign, a row
    //  with a cell missing, and a last line with no line break: the same
    //  rows whatever the chunking, each with the line it starts on
    const char *file =
        "\xEF\xBB\xBF" "Lambeth Invoices Over Specified Nett Amount,,\r\n"
        ",,\r\n"
        "Report Date: 02/07/2012,,\r\n"
        "Supplier,Net Amount , PAID DATE\r\n"
        "\"Acme\r\nLtd\",12.50,01/06/2012\r\n"
        ",,\r\n"
        "Caf\xE9 \xA3 Co,3,02/06/2012\r\n"
        "Short,4\r\n"
        "Last,5,03/06/2012";
    size_t size = strlen (file);
    size_t chunks [] = { size, 1, 2, 3, 7 };
    for (size_t index = 0; index < sizeof chunks / sizeof chunks [0]; index++) {
        sv_csv_t *reader = s_test_read (file, size, chunks [index], &rows, NULL);
        assert (sv_csv_refusal (reader) == NULL);
        assert (sv_csv_header_line (reader) == 4);
        assert (streq (sv_csv_column (reader, 0), "PAID DATE"));
        assert (streq (sv_csv_column (reader, 1), "Net Amount"));
        assert (streq (sv_csv_column (reader, 2), "Supplier"));
        assert (sv_csv_rows (reader) == 4);
        assert (rows.count == 4);
        assert (rows.line [0] == 5 && rows.line [1] == 8 && rows.line [2] == 9 && rows.line [3] == 10);
        assert (streq (rows.values [0][2], "Acme\r\nLtd"));
        assert (streq (rows.values [0][1], "12.50"));
        assert (streq (rows.values [1][2], "Caf\xC3\xA9 \xC2\xA3 Co"));
        assert (!rows.misfit [0] && !rows.misfit [1] && rows.misfit [2] && !rows.misfit [3]);
        assert (streq (rows.values [2][0], "(null)"));
        assert (streq (rows.values [3][0], "03/06/2012"));
        assert (sv_csv_feed (reader, "x", 1) == -1);
        sv_csv_destroy (&reader);
        sv_csv_destroy (&reader);
        assert (reader == NULL);
        s_test_rows_free (&rows);
    }

    //  A lone CR ends a line too; a column the file lacks is NULL, an
    //  empty cell ""; trailing empty cells are no misfit, extra text is
    const char *old_mac = "Date,Amount\r01/06/2012,1\r02/06/2012,,,\r03/06/2012,3,x\r";
    sv_csv_t *reader = s_test_read (old_mac, strlen (old_mac), 1, &rows, NULL);
    assert (sv_csv_refusal (reader) == NULL);
    assert (rows.count == 3);
    assert (rows.line [0] == 2 && rows.line [1] == 3 && rows.line [2] == 4);
    assert (streq (rows.values [0][2], "(null)"));
    assert (streq (rows.values [1][1], ""));
    assert (!rows.misfit [1] && rows.misfit [2]);
    assert (sv_csv_column (reader, 2) == NULL);
    sv_csv_destroy (&reader);
    s_test_rows_free (&rows);

    //  '#' in a synonym stands for one digit: ONS stamps its column names
    //  with the year ("lad23cd", "LAD24CD"), and a cell written with '#'
    //  itself matches nothing, since cells fold without it
    static const char *const year_stamped [] = { "lad##cd", NULL };
    static const sv_csv_field_t authority [] = {
        { "authority", year_stamped, true },
        { "b", NULL, false },
        { "c", NULL, false },
    };
    struct {
        const char *header;
        bool found;
    } stamps [] = {
        { "pcds,LAD24CD\nS60 2TD,E08000018\n", true },
        { "pcds,lad23cd\nS60 2TD,E08000018\n", true },
        { "pcds,lad2cd\nS60 2TD,E08000018\n", false },
        { "pcds,lad123cd\nS60 2TD,E08000018\n", false },
        { "pcds,ladxxcd\nS60 2TD,E08000018\n", false },
        { "pcds,lad##cd\nS60 2TD,E08000018\n", false },
    };
    for (size_t index = 0; index < sizeof stamps / sizeof stamps [0]; index++) {
        reader = sv_csv_new (authority, 3, s_test_row, &rows);
        assert (reader);
        assert (sv_csv_feed (reader, stamps [index].header, strlen (stamps [index].header)) == 0);
        assert ((sv_csv_finish (reader) == 0) == stamps [index].found);
        if (stamps [index].found)
            assert (rows.count == 1 && streq (rows.values [0][0], "E08000018"));
        sv_csv_destroy (&reader);
        s_test_rows_free (&rows);
    }

    //  Refused whole, each with a reason naming what was missing and seen
    struct {
        const char *text;
        size_t length;
        const char *reason;
    } refused [] = {
        { S_LITERAL (""), "empty file: no header row" },
        { S_LITERAL ("\n\n,,,\n"), "empty file: no header row" },
        { S_LITERAL ("Supplier Name,Sum of Invoice Nett Amount\nAcme,12\n"),
          "no column for payment_date or amount; line 1 has: Supplier Name, Sum of Invoice Nett Amount" },
        { S_LITERAL ("Title\nDate,Supplier\n01/06/2012,Acme\n"),
          "no column for amount; line 2 has: Date, Supplier" },
        { S_LITERAL ("\x89PNG\r\n\x1A\n"),
          "no header row in the first 30 lines: no cell names a field such as payment_date "
          "or amount; line 1 has: \xE2\x80\xB0PNG" },
        { S_LITERAL ("\xFF\xFE" "D\0a\0t\0e\0"), "UTF-16 text: save the file as CSV in UTF-8 (or Windows-1252)" },
        { S_LITERAL ("Date,Amount\n01/06/2012,\"12\n"), "the quoted cell in the record starting on line 2 is never closed" },
        { S_LITERAL ("Date,Amount\n01/06/2012,1\0 2\n"), "a NUL byte in the record on line 2: not a text file" },
    };
    for (size_t index = 0; index < sizeof refused / sizeof refused [0]; index++) {
        size_t length = refused [index].length;
        for (size_t chunk = 1; chunk <= 64; chunk += 63) {
            reader = s_test_read (refused [index].text, length, chunk, &rows, NULL);
            if (verbose)
                printf ("  refused: %s\n", sv_csv_refusal (reader));
            assert (sv_csv_refusal (reader));
            assert (streq (sv_csv_refusal (reader), refused [index].reason));
            assert (sv_csv_finish (reader) == -1);
            sv_csv_destroy (&reader);
            s_test_rows_free (&rows);
        }
    }

    //  The header must start within the first 30 lines
    char *late = strdup ("");
    for (int line = 0; line < 30; line++) {
        char *longer = zsys_sprintf ("%sReport line %d\n", late, line);
        free (late);
        late = longer;
    }
    char *with_header = zsys_sprintf ("%sDate,Amount\n01/06/2012,1\n", late);
    reader = s_test_read (with_header, strlen (with_header), 4096, &rows, NULL);
    assert (sv_csv_refusal (reader));
    assert (strstr (sv_csv_refusal (reader), "no header row in the first 30 lines"));
    assert (rows.count == 0);
    sv_csv_destroy (&reader);
    free (with_header);
    free (late);

    //  A record longer than max_record refuses the file
    reader = sv_csv_new (s_test_fields, 3, s_test_row, &rows);
    assert (sv_csv_set_max_record (reader, 1000) == -1);
    assert (sv_csv_set_max_record (reader, 2048) == 0);
    assert (sv_csv_feed (reader, "Date,Amount\n01/06/2012,\"", 24) == 0);
    char filler [512];
    memset (filler, 'x', sizeof filler);
    int rc = 0;
    for (int chunk = 0; chunk < 8 && rc == 0; chunk++)
        rc = sv_csv_feed (reader, filler, sizeof filler);
    assert (rc == -1);
    assert (streq (sv_csv_refusal (reader),
                   "the record starting on line 2 is longer than 2048 bytes (is a quote left open?)"));
    assert (sv_csv_set_max_record (reader, 4096) == -1);
    sv_csv_destroy (&reader);

    //  Overrides win over the synonym table: "Updated" becomes the payment
    //  date, and "Date" (a synonym) can be switched off
    const char *updated = "Date,Updated,Amount\n201009,2010-12-07,5\n";
    reader = s_test_read (updated, strlen (updated), 5, &rows, "Updated=payment_date");
    assert (sv_csv_refusal (reader) == NULL);
    assert (streq (sv_csv_column (reader, 0), "Updated"));
    assert (rows.count == 1 && streq (rows.values [0][0], "2010-12-07"));
    sv_csv_destroy (&reader);
    s_test_rows_free (&rows);
    reader = s_test_read (updated, strlen (updated), 5, &rows, "date =");
    assert (sv_csv_refusal (reader));
    assert (streq (sv_csv_refusal (reader), "no column for payment_date; line 1 has: Date, Updated, Amount"));
    sv_csv_destroy (&reader);
    reader = sv_csv_new (s_test_fields, 3, s_test_row, &rows);
    assert (sv_csv_override (reader, "Updated=no_such_field") == -1);
    assert (sv_csv_override (reader, "no equals sign") == -1);
    assert (sv_csv_override (reader, "=amount") == -1);
    assert (sv_csv_override (reader, "Paid On=Payment Date") == 0);
    assert (sv_csv_feed (reader, "Paid On,Amount\n", 15) == 0);
    assert (sv_csv_override (reader, "Value=amount") == -1);
    assert (sv_csv_finish (reader) == 0);
    assert (streq (sv_csv_column (reader, 0), "Paid On"));
    sv_csv_destroy (&reader);

    //  The better synonym wins the field; the loser is ignored
    const char *two_dates = "Date,Paid Date,Amount\n01/01/2001,02/02/2002,1\n";
    reader = s_test_read (two_dates, strlen (two_dates), 64, &rows, NULL);
    assert (streq (sv_csv_column (reader, 0), "Paid Date"));
    assert (streq (rows.values [0][0], "02/02/2002"));
    sv_csv_destroy (&reader);
    s_test_rows_free (&rows);

    //  A row handler can stop the file
    rows.stop_after = 1;
    const char *three = "Date,Amount\n1,1\n2,2\n3,3\n";
    reader = s_test_read (three, strlen (three), 64, &rows, NULL);
    assert (rows.count == 1);
    assert (streq (sv_csv_refusal (reader), "stopped by the row handler at line 2"));
    sv_csv_destroy (&reader);
    s_test_rows_free (&rows);
    rows.stop_after = 0;

    //  A spreadsheet's rows, already in cells: a title row, the header
    //  on row 3 with a column left out, rows numbered as the sheet numbers
    //  them, trimmed, a row with a problem given as its shape error
    reader = sv_csv_new (s_test_fields, 3, s_test_row, &rows);
    const char *title [] = { "Payments over 500" };
    const char *header [] = { "Supplier", NULL, " Amount ", "Paid Date" };
    const char *first [] = { "Acme", NULL, "12.5", "2024-04-01" };
    const char *second [] = { "Bolt Ltd ", "x", "7", "2024-04-02" };
    assert (sv_csv_feed_cells (reader, 1, title, 1, NULL) == 0);
    assert (sv_csv_feed_cells (reader, 3, header, 4, NULL) == 0);
    assert (sv_csv_feed_cells (reader, 4, first, 4, NULL) == 0);
    assert (sv_csv_feed_cells (reader, 9, second, 4, "cell B9: a formula") == 0);
    assert (sv_csv_feed_cells (reader, 10, first, 3, NULL) == 0);   //  D10 left out
    assert (sv_csv_finish (reader) == 0);
    assert (sv_csv_header_line (reader) == 3 && rows.count == 3);
    assert (streq (rows.values [2][0], "") && !rows.misfit [2]);
    assert (rows.line [0] == 4 && streq (rows.values [0][1], "12.5") && !rows.misfit [0]);
    assert (rows.line [1] == 9 && streq (rows.values [1][2], "Bolt Ltd") && rows.misfit [1]);
    sv_csv_destroy (&reader);
    s_test_rows_free (&rows);

    //  Errors for people, cut short on a character boundary
    char buf [80];
    sv_csv_error_t error = { 17, "Paid Date", "00:00:00", "time without a date" };
    assert (streq (sv_csv_error_format (&error, buf, sizeof buf),
                   "row 17, column 'Paid Date', value '00:00:00': time without a date"));
    error = (sv_csv_error_t) { 19, NULL, NULL, "5 cells where the header has 6" };
    assert (streq (sv_csv_error_format (&error, buf, sizeof buf),
                   "row 19: 5 cells where the header has 6"));
    error = (sv_csv_error_t) { 1, "\xC2\xA3", "\xC2\xA3", "x" };
    assert (streq (sv_csv_error_format (&error, buf, 19), "row 1, column '\xC2\xA3'"));
    assert (streq (sv_csv_error_format (&error, buf, 17), "row 1, column '"));

    if (verbose)
        printf (" * sv_csv: OK\n");
}
