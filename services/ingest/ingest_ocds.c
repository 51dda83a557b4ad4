/*  =========================================================================
    ingest_ocds - contracts and suppliers read from an OCDS JSON document

    Data. One parse reads the whole document with jansson (so the caller's
    size limit bounds memory: the tree takes a few times the text), walks
    it, and copies everything it yields into an arena of string chunks
    owned by this object; the tree is freed before parse returns. Records
    live in growable arrays of plain structs pointing into the arena.
    Read as it arrives (push), a package is split at its array's items by
    a byte scan, and each item is loaded and walked the same way on its
    own; see "Reading a package as it arrives".

    Exact numbers. Before jansson sees the document, one byte scan checks
    the nesting depth (jansson's own limit is 2048, far too deep for a
    recursive walk on a service's stack) and notes the offset and length of
    every number token, outside strings, in document order. After parsing,
    a walk of the tree in document order (arrays by index, objects in
    insertion order, which jansson keeps) meets the numbers in the same
    order, so the n-th number value is the n-th token. Objects with a
    repeated key are refused (JSON_REJECT_DUPLICATES), otherwise the tree
    would hold fewer numbers than the text. Every pair is then checked,
    the token read by strtod in the C locale against the parsed value, so
    a mismatch can never attach one amount's text to another; the pairs are
    sorted by node address for lookup. JSON_DECODE_INT_AS_REAL makes every
    number a double, so an integer too big for int64 is not a parse error
    that refuses the document but an amount that fails on its text.

    Rows are rolled back, not patched: a release's contracts, suppliers
    and warnings are appended as it is read, and if it raised an error the
    arrays are cut back to where they stood before it (the arena keeps the
    orphaned strings until the next parse, bounded by the document).
    =========================================================================
*/

#include "ingest_ocds.h"
#include "ingest_records.h"
#include "sv_company.h"
#include "sv_date.h"
#include "sv_money.h"
#include "sv_postcode.h"

#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

//  Arena chunk size; a longer string gets a chunk of its own
#define S_CHUNK_SIZE 65536

//  Longest value quoted in an issue, in bytes, before it is cut with "..."
#define S_VALUE_MAX 120

//  Items looked at for a classification, per contract, award or tender:
//  enough for real data, and no contract costs more than a few lookups
#define S_ITEMS_SCAN 8

//  Longest JSON path kept in an issue's column
#define S_COLUMN_MAX 256

//  Longest supplier key, as ingest's CSV readers make them
#define S_KEY_MAX 256

//  Contracting processes (ocids with awards or contracts) one document may
//  hold, each costing about 300 bytes while the document is read (20 MB
//  at most): see "Releases in date order"
#define S_ORDER_MAX 65536

//  Bytes of a release's id and date kept to name it in a message
#define S_NAME_MAX 96
#define S_WHEN_MAX 40

//  Digits an amount may have either side of the point once its exponent
//  is applied; int64 pence hold 17 digits of pounds.
#define S_AMOUNT_DIGITS 24

typedef struct _s_chunk_t {
    struct _s_chunk_t *next;
    size_t size;
    size_t used;
} s_chunk_t;

//  Where a number token sits in the document
typedef struct {
    size_t offset;
    size_t length;
} s_token_t;

//  A parsed number and the token it came from
typedef struct {
    const json_t *value;
    size_t token;
} s_number_t;

//  A growable array of records of one type
typedef struct {
    void *items;
    size_t count;
    size_t alloc;
} s_array_t;

//  Where reading a document as it arrives has got to
typedef enum {
    S_TOP,                      //  Before the package's array: all held
    S_ITEMS,                    //  In it: each item read as it completes
    S_REST,                     //  After it, in the package
    S_END,                      //  After the package: blanks only
    S_WHOLE                     //  Not a package: held, read whole at the end
} s_phase_t;

typedef struct {
    s_phase_t phase;
    char *held;                 //  Bytes not yet read or let go
    size_t held_size;
    size_t held_alloc;
    size_t scanned;             //  Bytes of held scanned
    size_t dropped;             //  Bytes let go before held [0]
    int depth;                  //  Of the byte scanned next: 1 in the package
    bool in_string;
    bool escaped;
    bool expect_key;            //  At depth 1, the next string is a key
    size_t key_start;           //  In held, of the depth-1 string being scanned
    size_t key_line;            //  Where that string starts in the document
    size_t key_column;
    char member [S_NAME_MAX];   //  The last depth-1 key, cut short, to name its value
    bool value_open;            //  A depth-1 value other than the array is being scanned
    size_t value_start;         //  Where it starts: absolute offset, line, column
    size_t value_line;
    size_t value_column;
    bool key_is_package;        //  The last depth-1 key was releases or records
    bool records;               //  The array is "records"
    bool item_open;             //  An item of the array is being scanned
    bool item_due;              //  After '[' or ',': an item comes next
    bool item_ended;            //  After an item: ',' or ']' comes next
    bool item_skipped;          //  The item is over the limit: let go as scanned
    size_t item_start;          //  In held
    size_t item_line;           //  Where the item starts in the document
    size_t item_column;
    size_t items;               //  Items read so far: the next one's index
    size_t line;                //  Of the byte scanned next, from 1
    size_t line_start;          //  Absolute offset of that line's first byte
} s_split_t;

struct _ingest_ocds_t {
    size_t max_size;            //  Documents over this many bytes are refused
    char reason [512];          //  Why the last document was refused, or ""
    const char *package;        //  What it was (static), or ""
    bool oom;                   //  An allocation failed during this parse
    s_chunk_t *chunks;          //  String arena, newest chunk first
    s_array_t contracts;        //  ingest_ocds_contract_t
    s_array_t metrics;          //  ingest_ocds_metric_t
    s_array_t suppliers;        //  ingest_ocds_supplier_t
    s_array_t errors;           //  ingest_ocds_issue_t
    s_array_t skips;            //  ingest_ocds_issue_t
    s_array_t warnings;         //  ingest_ocds_issue_t
    size_t releases;
    size_t accepted;
    size_t rejected;
    //  Reading as the document arrives (ingest_ocds_push): see there
    s_split_t split;
    //  The release applied last for each ocid of this document: see
    //  "Releases in date order"
    json_t *applied;            //  ocid -> index in order, or NULL
    json_t *taken;              //  Each contract yielded, and its award, by
                                //  ocid, kind and id: see "Withdrawn awards"
    char withdrawn [512];       //  Why the document is refused, once a release
                                //  withdrew a contract it yielded; or ""
    s_array_t order;            //  s_applied_t
    sv_csv_error_fn *warning_fn;
    void *warning_arg;
    //  Valid during a parse only
    const char *text;           //  The document
    s_token_t *tokens;          //  Its number tokens, document order
    size_t token_count;
    s_number_t *numbers;        //  Parsed numbers, sorted by address
    size_t number_count;
};

//  The supplier keys of one award, worked out once however many
//  contracts name the award
typedef struct {
    bool done;
    const char **keys;
    size_t count;
} s_keys_t;

//  One release being read
typedef struct {
    ingest_ocds_t *self;
    json_t *release;
    size_t row;                 //  1-based
    const char *prefix;         //  Path of the release: "releases[3]", or ""
    size_t errors_at;           //  Errors before this release
    size_t suppliers_at;        //  Suppliers before this release
    json_t *parties;            //  Party id -> party object
    json_t *supplier_ids;       //  Supplier party id -> index in suppliers
    json_t *supplier_names;     //  Supplier name -> index, when it has no id
    json_t *award_ids;          //  Award id -> index in awards
    s_keys_t *award_keys;       //  Supplier keys of each award, once known
    size_t *award_contracts;    //  Contracts of this release naming each award
    size_t award_count;
    size_t contract_count;
    const char *ocid;
    const char *release_id;
    const char *release_date;
    bool has_release_day;
    int32_t release_day;
    const char *buyer;
    const char *skip_column;    //  Why no contract, when none was yielded
    const char *skip_value;
    const char *skip_reason;
} s_release_t;


//  --------------------------------------------------------------------------
//  Arena and arrays

static void *
s_alloc (ingest_ocds_t *self, size_t size)
{
    size = (size + 15) & ~(size_t) 15;
    s_chunk_t *chunk = self->chunks;
    if (!chunk || chunk->size - chunk->used < size) {
        size_t chunk_size = size > S_CHUNK_SIZE? size: S_CHUNK_SIZE;
        //  The header is padded to 32 bytes so that data stays aligned
        chunk = (s_chunk_t *) malloc (32 + chunk_size);
        if (!chunk) {
            self->oom = true;
            return NULL;
        }
        chunk->next = self->chunks;
        chunk->size = chunk_size;
        chunk->used = 0;
        self->chunks = chunk;
    }
    void *data = (char *) chunk + 32 + chunk->used;
    chunk->used += size;
    return data;
}

//  Copies length bytes of text into the arena; "" when out of memory
static const char *
s_copy (ingest_ocds_t *self, const char *text, size_t length)
{
    if (length == 0)
        return "";
    char *copy = (char *) s_alloc (self, length + 1);
    if (!copy)
        return "";
    memcpy (copy, text, length);
    copy [length] = 0;
    return copy;
}

static bool
s_blank (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

//  Copies text (may be NULL) into the arena without surrounding whitespace
static const char *
s_keep (ingest_ocds_t *self, const char *text)
{
    if (!text)
        return "";
    while (s_blank (*text))
        text++;
    size_t length = strlen (text);
    while (length > 0 && s_blank (text [length - 1]))
        length--;
    return s_copy (self, text, length);
}

//  Appends a zeroed item to array; NULL when out of memory
static void *
s_push (ingest_ocds_t *self, s_array_t *array, size_t item_size)
{
    if (array->count == array->alloc) {
        size_t alloc = array->alloc? array->alloc * 2: 16;
        void *items = realloc (array->items, alloc * item_size);
        if (!items) {
            self->oom = true;
            return NULL;
        }
        array->items = items;
        array->alloc = alloc;
    }
    void *item = (char *) array->items + array->count * item_size;
    memset (item, 0, item_size);
    array->count++;
    return item;
}

//  Forgets what was yielded, keeping the reason and where reading got to
static void
s_forget (ingest_ocds_t *self)
{
    while (self->chunks) {
        s_chunk_t *next = self->chunks->next;
        free (self->chunks);
        self->chunks = next;
    }
    self->contracts.count = 0;
    self->metrics.count = 0;
    self->suppliers.count = 0;
    self->errors.count = 0;
    self->skips.count = 0;
    self->warnings.count = 0;
    self->releases = self->accepted = self->rejected = 0;
    self->oom = false;
}

static void
    s_order_clear (ingest_ocds_t *self);

//  Forgets what was yielded and why a document was refused
static void
s_reset (ingest_ocds_t *self)
{
    s_forget (self);
    s_order_clear (self);
    self->reason [0] = 0;
    self->package = "";
}


//  --------------------------------------------------------------------------
//  Issues: errors, skips and warnings

//  Quotes a value for an issue, cut at S_VALUE_MAX bytes on a character
//  boundary.
static const char *
s_quote (ingest_ocds_t *self, const char *value)
{
    if (!value)
        return "";
    size_t length = strlen (value);
    if (length <= S_VALUE_MAX)
        return s_copy (self, value, length);
    length = S_VALUE_MAX;
    while (length > 0 && ((unsigned char) value [length] & 0xC0) == 0x80)
        length--;
    char *cut = (char *) s_alloc (self, length + 4);
    if (!cut)
        return "";
    memcpy (cut, value, length);
    memcpy (cut + length, "...", 4);
    return cut;
}

//  Records an issue in array for release r; the column is the release's
//  path followed by the path formatted from column_format (relative to the
//  release; "" names the release itself). reason must be static, or in
//  the arena.
static void
s_issue (s_release_t *r, s_array_t *array, const char *value, const char *reason,
         const char *column_format, ...)
    __attribute__ ((format (printf, 5, 6)));

static void
s_issue (s_release_t *r, s_array_t *array, const char *value, const char *reason,
         const char *column_format, ...)
{
    ingest_ocds_t *self = r->self;
    char relative [S_COLUMN_MAX];
    va_list args;
    va_start (args, column_format);
    vsnprintf (relative, sizeof relative, column_format, args);
    va_end (args);
    char column [S_COLUMN_MAX + 64];     //  The prefix is under 64 bytes
    snprintf (column, sizeof column, "%s%s%s", r->prefix,
              *r->prefix && *relative? ".": "", relative);

    ingest_ocds_issue_t *issue = (ingest_ocds_issue_t *)
        s_push (self, array, sizeof (ingest_ocds_issue_t));
    if (!issue)
        return;
    issue->row = r->row;
    issue->column = s_copy (self, column, strlen (column));
    issue->value = s_quote (self, value);
    issue->reason = reason;
}

#define s_error(r, ...) s_issue ((r), &(r)->self->errors, __VA_ARGS__)
#define s_warning(r, ...) s_issue ((r), &(r)->self->warnings, __VA_ARGS__)


//  --------------------------------------------------------------------------
//  Scanning the text: depth and number tokens

//  Scans size bytes of text. Returns 0, or -1 when nesting goes deeper
//  than INGEST_OCDS_MAX_DEPTH, with the offending byte's offset in
//  *where_p. Tokens are only meaningful if jansson then accepts the text.
static int
s_scan (ingest_ocds_t *self, const char *text, size_t size, size_t *where_p)
{
    s_array_t tokens = { NULL, 0, 0 };
    int depth = 0;
    size_t pos = 0;
    while (pos < size) {
        char c = text [pos];
        if (c == '"') {
            for (pos++; pos < size && text [pos] != '"'; pos++)
                if (text [pos] == '\\')
                    pos++;
            pos++;
        }
        else
        if (c == '[' || c == '{') {
            if (++depth > INGEST_OCDS_MAX_DEPTH) {
                free (tokens.items);
                *where_p = pos;
                return -1;
            }
            pos++;
        }
        else
        if (c == ']' || c == '}') {
            depth--;
            pos++;
        }
        else
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = pos;
            while (pos < size && ((text [pos] >= '0' && text [pos] <= '9')
                   || text [pos] == '.' || text [pos] == 'e' || text [pos] == 'E'
                   || text [pos] == '+' || text [pos] == '-'))
                pos++;
            s_token_t *token = (s_token_t *) s_push (self, &tokens, sizeof (s_token_t));
            if (token) {
                token->offset = start;
                token->length = pos - start;
            }
        }
        else
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            //  true, false, null: their "e" does not start a number
            while (pos < size && ((text [pos] >= 'a' && text [pos] <= 'z')
                   || (text [pos] >= 'A' && text [pos] <= 'Z')))
                pos++;
        }
        else
            pos++;
    }
    self->tokens = (s_token_t *) tokens.items;
    self->token_count = tokens.count;
    return 0;
}

//  Collects the numbers under value in document order
static void
s_collect (ingest_ocds_t *self, const json_t *value, s_array_t *numbers)
{
    if (json_is_number (value)) {
        s_number_t *number = (s_number_t *) s_push (self, numbers, sizeof (s_number_t));
        if (number) {
            number->value = value;
            number->token = numbers->count - 1;
        }
    }
    else
    if (json_is_array (value)) {
        for (size_t index = 0; index < json_array_size (value); index++)
            s_collect (self, json_array_get (value, index), numbers);
    }
    else
    if (json_is_object (value)) {
        const char *key;
        json_t *member;
        //  json_object_foreach wants a non-const object; we only read
        json_object_foreach ((json_t *) value, key, member)
            s_collect (self, member, numbers);
    }
}

static int
s_compare_numbers (const void *a, const void *b)
{
    uintptr_t left = (uintptr_t) ((const s_number_t *) a)->value;
    uintptr_t right = (uintptr_t) ((const s_number_t *) b)->value;
    return left < right? -1: left > right? 1: 0;
}

//  Pairs the tree's numbers with the tokens. Returns 0, or -1 if they do
//  not pair up exactly (never expected: it would be a bug, or a jansson
//  that reorders keys).
static int
s_pair_numbers (ingest_ocds_t *self, const json_t *root)
{
    s_array_t numbers = { NULL, 0, 0 };
    s_collect (self, root, &numbers);
    self->numbers = (s_number_t *) numbers.items;
    self->number_count = numbers.count;
    if (self->oom || numbers.count != self->token_count)
        return -1;

    locale_t c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
    if (c_locale == (locale_t) 0) {
        self->oom = true;
        return -1;
    }
    int rc = 0;
    char small [64];
    for (size_t index = 0; index < numbers.count && rc == 0; index++) {
        const s_token_t *token = &self->tokens [index];
        char *copy = token->length < sizeof small? small: (char *) malloc (token->length + 1);
        if (!copy) {
            self->oom = true;
            rc = -1;
            break;
        }
        memcpy (copy, self->text + token->offset, token->length);
        copy [token->length] = 0;
        char *end;
        double parsed = strtod_l (copy, &end, c_locale);
        double value = json_number_value (self->numbers [index].value);
        //  Exact comparison is the point: same text, same double
        #pragma GCC diagnostic push
        #pragma GCC diagnostic ignored "-Wfloat-equal"
        if (*end || parsed != value)
            rc = -1;
        #pragma GCC diagnostic pop
        if (copy != small)
            free (copy);
    }
    freelocale (c_locale);
    if (rc == 0 && self->number_count > 0)
        qsort (self->numbers, self->number_count, sizeof (s_number_t), s_compare_numbers);
    return rc;
}

//  The text of a number node, and its length; NULL if not found
static const char *
s_number_text (ingest_ocds_t *self, const json_t *value, size_t *length_p)
{
    if (self->number_count == 0)
        return NULL;
    s_number_t key = { value, 0 };
    const s_number_t *found = (const s_number_t *) bsearch (&key, self->numbers,
        self->number_count, sizeof (s_number_t), s_compare_numbers);
    if (!found)
        return NULL;
    const s_token_t *token = &self->tokens [found->token];
    *length_p = token->length;
    return self->text + token->offset;
}


//  --------------------------------------------------------------------------
//  Reading members

static json_t *
s_member (const json_t *object, const char *key)
{
    return json_is_object (object)? json_object_get (object, key): NULL;
}

static bool
s_present (const json_t *value)
{
    return value && !json_is_null (value);
}

//  A string's value, or a number's text (copied into the arena), or NULL
//  for anything else. Ids may be either in OCDS.
static const char *
s_text (ingest_ocds_t *self, const json_t *value)
{
    if (json_is_string (value))
        return json_string_value (value);
    if (json_is_number (value)) {
        size_t length;
        const char *text = s_number_text (self, value, &length);
        return text? s_copy (self, text, length): NULL;
    }
    return NULL;
}

//  A member's text, kept in the arena without surrounding whitespace; ""
//  when missing or neither string nor number.
static const char *
s_member_text (ingest_ocds_t *self, const json_t *object, const char *key)
{
    return s_keep (self, s_text (self, s_member (object, key)));
}

//  True if the array value has a string element equal to text
static bool
s_has_string (const json_t *array, const char *text)
{
    for (size_t index = 0; index < json_array_size (array); index++) {
        const char *item = json_string_value (json_array_get (array, index));
        if (item && strcmp (item, text) == 0)
            return true;
    }
    return false;
}


//  --------------------------------------------------------------------------
//  Amounts and dates

//  Writes a JSON number's text (length bytes) as a plain decimal, its
//  exponent applied and its insignificant zeros dropped, into out (at
//  least 2 * S_AMOUNT_DIGITS bytes). "1.5e6" is "1500000", "2E-2" is
//  "0.02". Returns NULL, or a static reason when the number has more than
//  two decimals or too many digits to be an amount.
static const char *
s_plain_decimal (const char *text, size_t length, char *out, size_t size)
{
    assert (size >= 2 * S_AMOUNT_DIGITS);
    const char *p = text, *end = text + length;
    bool negative = p < end && *p == '-';
    if (negative)
        p++;
    const char *int_digits = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    size_t int_length = (size_t) (p - int_digits);
    const char *frac_digits = p;
    size_t frac_length = 0;
    if (p < end && *p == '.') {
        frac_digits = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        frac_length = (size_t) (p - frac_digits);
        if (frac_length == 0)
            return "not a number";
    }
    long long exponent = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool exponent_negative = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        if (p == end)
            return "not a number";
        while (p < end && *p >= '0' && *p <= '9') {
            if (exponent < 1000000)
                exponent = exponent * 10 + (*p - '0');
            p++;
        }
        if (exponent_negative)
            exponent = -exponent;
    }
    if (p != end || int_length == 0)
        return "not a number";

    //  The digits, int then frac, as one string D; the point sits after
    //  point digits of D (may be negative or past its end).
    size_t digit_count = int_length + frac_length;
    #define S_DIGIT(i) ((i) < int_length? int_digits [i]: frac_digits [(i) - int_length])
    size_t first = 0;
    while (first < digit_count && S_DIGIT (first) == '0')
        first++;
    if (first == digit_count) {
        snprintf (out, size, "0");
        return NULL;
    }
    size_t last = digit_count - 1;
    while (S_DIGIT (last) == '0')
        last--;
    long long point = (long long) int_length + exponent - (long long) first;
    long long significant = (long long) (last - first + 1);
    if (point > S_AMOUNT_DIGITS)
        return "amount too large";
    if (significant - point > 2)
        return "more than two decimal places";

    //  Now at most S_AMOUNT_DIGITS digits before the point and 2 after
    char *o = out;
    if (negative)
        *o++ = '-';
    if (point <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (long long zero = point; zero < 0; zero++)
            *o++ = '0';
        for (size_t i = first; i <= last; i++)
            *o++ = S_DIGIT (i);
    }
    else {
        for (long long i = 0; i < point || i < significant; i++) {
            if (i == point)
                *o++ = '.';
            *o++ = i < significant? S_DIGIT (first + (size_t) i): '0';
        }
    }
    *o = 0;
    #undef S_DIGIT
    return NULL;
}

//  Reads the amount member key of an OCDS Value object found at where:
//  a JSON number (exponent allowed), read from its own text, or a string
//  as sv_money_parse reads it. Returns 1 with *pence_p set, 0 when it is
//  missing or null, -1 after recording an error.
static int
s_read_amount (s_release_t *r, const json_t *value, const char *key, const char *where,
               int64_t *pence_p)
{
    ingest_ocds_t *self = r->self;
    const json_t *amount = s_member (value, key);
    if (!s_present (amount))
        return 0;
    const char *reason = NULL;
    const char *text = s_text (self, amount);
    int64_t pence = 0;
    if (json_is_number (amount)) {
        char plain [2 * S_AMOUNT_DIGITS];
        reason = text? s_plain_decimal (text, strlen (text), plain, sizeof plain): "not a number";
        if (!reason)
            sv_money_parse (plain, &pence, &reason);
    }
    else
    if (json_is_string (amount))
        sv_money_parse (text, &pence, &reason);
    else
        reason = "not a number";
    if (!reason && pence < 0)
        reason = "a contract value cannot be negative";
    if (reason) {
        s_error (r, text, reason, "%s.%s", where, key);
        return -1;
    }
    *pence_p = pence;
    return 1;
}

//  Reads an OCDS Value object {amount, currency} found at where. Returns 1
//  with *pence_p set, 0 when it gives no amount, -1 after recording an
//  error. A contract's value is net of VAT: amount, or amountNet where a
//  publisher gives that; the two must agree. amountGross (the UK
//  extension's amount with VAT) is never taken for it: alone it leaves
//  the contract without a value, with a warning, and below the net amount
//  it is an error, as one of the two is mislabelled.
static int
s_read_value (s_release_t *r, const json_t *value, const char *where, int64_t *pence_p)
{
    ingest_ocds_t *self = r->self;
    if (!json_is_object (value)) {
        s_error (r, s_text (self, value), "a value must be an object with an amount and a currency",
                 "%s", where);
        return -1;
    }
    int64_t net = 0, stated_net = 0, gross = 0;
    int has_net = s_read_amount (r, value, "amount", where, &net);
    int has_stated_net = s_read_amount (r, value, "amountNet", where, &stated_net);
    int has_gross = s_read_amount (r, value, "amountGross", where, &gross);
    if (has_net < 0 || has_stated_net < 0 || has_gross < 0)
        return -1;
    if (has_net && has_stated_net && net != stated_net) {
        s_error (r, s_text (self, s_member (value, "amountNet")),
                 "amountNet differs from amount: which is the value net of VAT cannot be told",
                 "%s.amountNet", where);
        return -1;
    }
    if (!has_net && has_stated_net) {
        has_net = 1;
        net = stated_net;
    }
    if (!has_net) {
        if (has_gross)
            s_warning (r, s_text (self, s_member (value, "amountGross")),
                       "only the amount with VAT (amountGross) is given: a contract's value is"
                       " net of VAT, so the contract is kept without a value (incomplete)",
                       "%s.amountGross", where);
        return 0;
    }
    if (has_gross && gross < net) {
        s_error (r, s_text (self, s_member (value, "amountGross")),
                 "amountGross (with VAT) is below the amount net of VAT: one of them is"
                 " mislabelled", "%s.amountGross", where);
        return -1;
    }

    const char *currency = s_keep (self, json_string_value (s_member (value, "currency")));
    if (!*currency) {
        s_error (r, s_text (self, s_member (value, "currency")),
                 "an amount needs its currency, and none was given", "%s.currency", where);
        return -1;
    }
    if (strcasecmp (currency, "GBP") != 0) {
        s_error (r, currency, "only amounts in GBP (pounds sterling) are taken",
                 "%s.currency", where);
        return -1;
    }
    *pence_p = net;
    return 1;
}

//  Reads the date member key of object, found at where. Returns 1 with
//  *day_p set, 0 when it is missing, null or blank, -1 after recording an
//  error. The date is taken as written, whatever its time zone.
static int
s_read_date (s_release_t *r, const json_t *object, const char *key, const char *where,
             int32_t *day_p)
{
    ingest_ocds_t *self = r->self;
    const json_t *value = s_member (object, key);
    if (!s_present (value))
        return 0;
    const char *text = json_string_value (value);
    if (!text) {
        s_error (r, s_text (self, value), "a date must be a string", "%s%s%s",
                 where, *where? ".": "", key);
        return -1;
    }
    const char *kept = s_keep (self, text);
    if (!*kept)
        return 0;
    //  OCDS writes dates as ISO 8601; a numeric date written otherwise has
    //  no convention to read it by, so one that reads as two days (03/01/2025:
    //  3 January or 1 March) is refused, not read day first
    int32_t dmy = 0, mdy = 0;
    const char *reason = NULL;
    if (sv_date_readings (kept, &dmy, &mdy) == (SV_DATE_DMY | SV_DATE_MDY) && dmy != mdy)
        reason = "a date that reads as two days, day or month first: OCDS dates are written"
                 " yyyy-mm-dd";
    else
        sv_date_parse (kept, day_p, &reason);
    if (reason) {
        s_error (r, kept, reason, "%s%s%s", where, *where? ".": "", key);
        return -1;
    }
    return 1;
}


//  --------------------------------------------------------------------------
//  Suppliers

//  Tries one candidate Companies House number; keeps the first failure,
//  and the first candidate that names another company than the first
typedef struct {
    char number [SV_COMPANY_BUF];
    char column [S_COLUMN_MAX];         //  Where number was found
    const char *bad_value;
    const char *bad_reason;
    char bad_column [S_COLUMN_MAX];
    char other [SV_COMPANY_BUF];        //  Another number, or ""
    char other_column [S_COLUMN_MAX];
} s_company_t;

static void
s_company_try (s_company_t *company, const char *candidate, const char *column)
{
    if (!candidate || !*candidate)
        return;
    char number [SV_COMPANY_BUF];
    const char *reason = NULL;
    if (sv_company_number (candidate, number, sizeof number, &reason) != 0) {
        if (!company->bad_value && !company->number [0]) {
            company->bad_value = candidate;
            company->bad_reason = reason;
            snprintf (company->bad_column, sizeof company->bad_column, "%s", column);
        }
    }
    else
    if (!company->number [0]) {
        snprintf (company->number, sizeof company->number, "%s", number);
        snprintf (company->column, sizeof company->column, "%s", column);
    }
    else
    if (strcmp (number, company->number) != 0 && !company->other [0]) {
        snprintf (company->other, sizeof company->other, "%s", number);
        snprintf (company->other_column, sizeof company->other_column, "%s", column);
    }
}

static bool
s_is_coh (ingest_ocds_t *self, const json_t *identifier)
{
    return strcasecmp (s_member_text (self, identifier, "scheme"), "GB-COH") == 0;
}

//  Yields a supplier from an organization (a party, or an award's
//  reference to one) found at where. Returns its index in suppliers, or
//  SIZE_MAX when it has neither a Companies House number nor a name.
static size_t
s_supplier_add (s_release_t *r, const json_t *party, const char *where)
{
    ingest_ocds_t *self = r->self;
    const char *party_id = s_member_text (self, party, "id");
    const char *name = s_member_text (self, party, "name");
    const json_t *identifier = s_member (party, "identifier");
    if (!*name)
        name = s_member_text (self, identifier, "legalName");

    //  Companies House number: the identifier, then additional
    //  identifiers, then an id written GB-COH-<number>
    s_company_t company;
    memset (&company, 0, sizeof company);
    char column [S_COLUMN_MAX];
    if (s_is_coh (self, identifier)) {
        snprintf (column, sizeof column, "%s.identifier.id", where);
        s_company_try (&company, s_member_text (self, identifier, "id"), column);
    }
    const json_t *additional = s_member (party, "additionalIdentifiers");
    for (size_t index = 0; index < json_array_size (additional); index++) {
        const json_t *other = json_array_get (additional, index);
        if (s_is_coh (self, other)) {
            snprintf (column, sizeof column, "%s.additionalIdentifiers[%zu].id", where, index);
            s_company_try (&company, s_member_text (self, other, "id"), column);
        }
    }
    if (strncasecmp (party_id, "GB-COH-", 7) == 0) {
        snprintf (column, sizeof column, "%s.id", where);
        s_company_try (&company, party_id + 7, column);
    }
    if (!company.number [0] && company.bad_value)
        s_warning (r, company.bad_value, company.bad_reason, "%s", company.bad_column);
    if (company.other [0]) {
        //  Two companies: which one is the supplier cannot be told
        char both [2 * SV_COMPANY_BUF + 8], reason [S_COLUMN_MAX + 160];
        snprintf (both, sizeof both, "%s, %s", company.number, company.other);
        snprintf (reason, sizeof reason, "the party gives two different Companies House"
                  " numbers (the second at %s): the supplier is known by its name, not by"
                  " either", company.other_column);
        s_warning (r, both, s_copy (self, reason, strlen (reason)), "%s", company.column);
        company.number [0] = 0;
    }

    //  The party id is unique only within this release ("1" names another
    //  supplier in the next), so it never identifies the supplier
    char key [S_KEY_MAX];
    ingest_records_supplier_key (company.number, NULL, name, key, sizeof key);
    json_t *map = *party_id? r->supplier_ids: r->supplier_names;
    if (!*key) {
        s_warning (r, party_id, *party_id
                   ? "a supplier with neither a Companies House number nor a name is known"
                     " only by its party id, which names it within its release alone; left out"
                   : "a supplier with neither a Companies House number nor a name was left out",
                   "%s", where);
        //  Noted as left out, so that an award naming it again is not told twice
        if (*party_id)
            json_object_set_new_nocheck (map, party_id, json_integer (-1));
        return SIZE_MAX;
    }

    //  Postcode: postalCode, else one found in streetAddress
    const json_t *address = s_member (party, "address");
    char postcode [16] = "";
    const char *postal_code = s_member_text (self, address, "postalCode");
    if (*postal_code) {
        const char *reason = NULL;
        if (sv_postcode_normalise (postal_code, postcode, sizeof postcode, &reason) != 0) {
            postcode [0] = 0;
            s_warning (r, postal_code, reason? reason: "not a UK postcode",
                       "%s.address.postalCode", where);
        }
    }
    const char *street = s_member_text (self, address, "streetAddress");
    if (!postcode [0] && *street) {
        char found [16] = "";
        sv_postcode_find (street, found, sizeof found);
        if (!found [0] || sv_postcode_normalise (found, postcode, sizeof postcode, NULL) != 0)
            postcode [0] = 0;
    }

    //  Scale and VCSE, from details
    const json_t *details = s_member (party, "details");
    const char *scale = s_member_text (self, details, "scale");
    bool sme_known = false, sme = false;
    if (!*scale)
        ;
    else
    if (strcasecmp (scale, "sme") == 0 || strcasecmp (scale, "micro") == 0
    ||  strcasecmp (scale, "selfEmployed") == 0)
        sme_known = sme = true;
    else
    if (strcasecmp (scale, "large") == 0)
        sme_known = true;
    else
        s_warning (r, scale, "scale is not micro, sme, large or selfEmployed",
                   "%s.details.scale", where);
    const json_t *vcse = s_member (details, "vcse");

    ingest_ocds_supplier_t *supplier = (ingest_ocds_supplier_t *)
        s_push (self, &self->suppliers, sizeof (ingest_ocds_supplier_t));
    if (!supplier)
        return SIZE_MAX;
    size_t index = self->suppliers.count - 1;
    supplier->row = r->row;
    supplier->party_id = party_id;
    supplier->name = name;
    supplier->companies_house = s_copy (self, company.number, strlen (company.number));
    supplier->postcode = s_copy (self, postcode, strlen (postcode));
    supplier->scale = scale;
    supplier->sme_known = sme_known;
    supplier->sme = sme;
    supplier->vcse_known = json_is_boolean (vcse);
    supplier->vcse = json_is_true (vcse);
    supplier->key = s_copy (self, key, strlen (key));

    json_t *position = json_integer ((json_int_t) index);
    if (!position || json_object_set_new_nocheck (map, *party_id? party_id: name, position))
        self->oom = true;
    return index;
}

//  Finds or yields the supplier an award names (an organization reference
//  {id, name}) at where: the party with that id when there is one.
static size_t
s_supplier_ref (s_release_t *r, const json_t *reference, const char *where)
{
    ingest_ocds_t *self = r->self;
    const char *id = s_member_text (self, reference, "id");
    const char *name = s_member_text (self, reference, "name");
    const json_t *known = *id? json_object_get (r->supplier_ids, id)
                             : json_object_get (r->supplier_names, name);
    if (known)
        return (size_t) json_integer_value (known);
    const json_t *party = *id? json_object_get (r->parties, id): NULL;
    if (party) {
        char column [S_COLUMN_MAX];
        snprintf (column, sizeof column, "parties[%zu]", (size_t) json_integer_value (party));
        return s_supplier_add (r, json_array_get (s_member (r->release, "parties"),
                                                  (size_t) json_integer_value (party)), column);
    }
    return s_supplier_add (r, reference, where);
}


//  --------------------------------------------------------------------------
//  Contracts

//  The procurement category: the tender's classification, else the first
//  classified item (of the first S_ITEMS_SCAN) of the contract, award or
//  tender, else the tender's mainProcurementCategory.
static void
s_category (s_release_t *r, const json_t *contract, const json_t *award,
            const char **category_p, const char **code_p)
{
    ingest_ocds_t *self = r->self;
    const json_t *tender = s_member (r->release, "tender");
    const json_t *classification = s_member (tender, "classification");
    const char *description = s_member_text (self, classification, "description");
    const json_t *sources [3] = { contract, award, tender };
    for (size_t source = 0; source < 3 && !*description; source++) {
        const json_t *items = s_member (sources [source], "items");
        for (size_t index = 0; index < json_array_size (items) && index < S_ITEMS_SCAN
                               && !*description; index++) {
            classification = s_member (json_array_get (items, index), "classification");
            description = s_member_text (self, classification, "description");
        }
    }
    if (*description) {
        *category_p = description;
        *code_p = s_member_text (self, classification, "id");
    }
    else {
        *category_p = s_member_text (self, tender, "mainProcurementCategory");
        *code_p = "";
    }
}

//  The keys of a contract's suppliers (found or yielded, each key once):
//  those the contract names itself (contracts[ci].suppliers, the contract
//  suppliers extension: a framework's call-off names the one supplier it
//  is with, of the several its award names), else those its award names,
//  or, in a release with one contract and no awards, every supplier among
//  its parties; else none. An award's keys are worked out once and shared
//  by every contract that takes them. *own_p is set when the contract
//  named its suppliers itself.
static void
s_supplier_keys (s_release_t *r, const json_t *contract, size_t ci, const json_t *award,
                 size_t ai, const char ***keys_p, size_t *count_p, bool *own_p)
{
    ingest_ocds_t *self = r->self;
    const json_t *own = contract? s_member (contract, "suppliers"): NULL;
    *own_p = json_array_size (own) > 0;
    if (s_present (own) && !json_is_array (own))
        s_error (r, s_text (self, own), "a contract's suppliers must be an array",
                 "contracts[%zu].suppliers", ci);
    s_keys_t *cached = !*own_p && award && ai < r->award_count && r->award_keys
                     ? &r->award_keys [ai]: NULL;
    if (cached && cached->done) {
        *keys_p = cached->keys;
        *count_p = cached->count;
        return;
    }
    const json_t *references = *own_p? own: award? s_member (award, "suppliers"): NULL;
    size_t limit = json_array_size (references);
    if (!references && r->award_count == 0 && r->contract_count == 1)
        limit = self->suppliers.count - r->suppliers_at;
    const char **keys = limit? (const char **) s_alloc (self, limit * sizeof (char *)): NULL;
    size_t count = 0;
    json_t *seen = json_object ();
    if (!seen)
        self->oom = true;
    for (size_t index = 0; keys && seen && index < limit; index++) {
        size_t supplier = r->suppliers_at + index;
        if (references) {
            const json_t *reference = json_array_get (references, index);
            char column [S_COLUMN_MAX];
            if (*own_p)
                snprintf (column, sizeof column, "contracts[%zu].suppliers[%zu]", ci, index);
            else
                snprintf (column, sizeof column, "awards[%zu].suppliers[%zu]", ai, index);
            if (!json_is_object (reference)) {
                s_error (r, s_text (self, reference), "a supplier must be an object", "%s", column);
                continue;
            }
            supplier = s_supplier_ref (r, reference, column);
        }
        if (supplier >= self->suppliers.count)
            continue;
        const char *key = ((ingest_ocds_supplier_t *) self->suppliers.items) [supplier].key;
        if (*key && !json_object_get (seen, key)) {
            json_object_set_new_nocheck (seen, key, json_true ());
            keys [count++] = key;
        }
    }
    json_decref (seen);
    if (cached) {
        cached->done = true;
        cached->keys = keys;
        cached->count = count;
    }
    *keys_p = keys;
    *count_p = count;
}

//  --------------------------------------------------------------------------
//  KPIs: agreedMetrics (the metrics extension)

//  The target of an observation's measure, a number or a string, into
//  *milli_p, "%" into *unit_p for a percentage written "95%" when the unit
//  is "" or "%". NULL, or a static reason.
static const char *
s_measure_milli (ingest_ocds_t *self, const json_t *measure, const char **unit_p,
                 int64_t *milli_p)
{
    if (!s_present (measure))
        return "no measure: a KPI target is a measure (a financial value is not taken)";
    if (!json_is_number (measure) && !json_is_string (measure))
        return "a measure must be a number or a string";
    char text [64];
    const char *found = s_text (self, measure);
    if (!found || strlen (found) >= sizeof text)
        return "not a number";
    snprintf (text, sizeof text, "%s", found);
    size_t length = strlen (text);
    while (length && s_blank (text [length - 1]))
        text [--length] = 0;
    if (json_is_string (measure) && length && text [length - 1] == '%') {
        text [--length] = 0;
        if (**unit_p && strcmp (*unit_p, "%") != 0)
            return "a percentage, but the observation's unit is not %";
        *unit_p = "%";
    }
    const char *reason = NULL;
    if (sv_money_parse_quantity (text, milli_p, &reason))
        return reason;
    return NULL;
}

//  Yields the KPI targets of holder's agreedMetrics (holder is
//  array[index] of the release), for the contract contract_id just
//  yielded; what cannot be read is set aside with a warning
static void
s_metrics (s_release_t *r, const json_t *holder, const char *array, size_t index,
           const char *contract_id)
{
    ingest_ocds_t *self = r->self;
    const json_t *metrics = s_member (holder, "agreedMetrics");
    size_t first = self->metrics.count;
    for (size_t mi = 0; mi < json_array_size (metrics); mi++) {
        const json_t *metric = json_array_get (metrics, mi);
        const char *metric_id = s_member_text (self, metric, "id");
        if (!*metric_id) {
            s_warning (r, "", "an agreed metric without an id: set aside",
                       "%s[%zu].agreedMetrics[%zu].id", array, index, mi);
            continue;
        }
        const json_t *observations = s_member (metric, "observations");
        for (size_t oi = 0; oi < json_array_size (observations); oi++) {
            const json_t *observation = json_array_get (observations, oi);
            char where [S_COLUMN_MAX];
            snprintf (where, sizeof where, "%s[%zu].agreedMetrics[%zu].observations[%zu]",
                      array, index, mi, oi);
            const char *unit = s_member_text (self, s_member (observation, "unit"), "name");
            int64_t milli = 0;
            const char *reason = s_measure_milli (self, s_member (observation, "measure"),
                                                  &unit, &milli);
            if (reason) {
                s_warning (r, s_text (self, s_member (observation, "measure")), reason,
                           "%s.measure", where);
                continue;
            }
            const json_t *period = s_member (observation, "period");
            int32_t start = 0, end = 0;
            const char *start_text = s_member_text (self, period, "startDate");
            const char *end_text = s_member_text (self, period, "endDate");
            if (sv_date_parse (start_text, &start, NULL) || sv_date_parse (end_text, &end, NULL)
            ||  end < start || sv_date_fy (start) != sv_date_fy (end)) {
                s_warning (r, *start_text? start_text: end_text,
                           "a KPI target is for one financial year: the observation needs a"
                           " period with a start and an end within one year; set aside",
                           "%s.period", where);
                continue;
            }
            int fy = sv_date_fy (start);
            bool twice = false;
            for (size_t at = first; at < self->metrics.count && !twice; at++) {
                const ingest_ocds_metric_t *held =
                    (const ingest_ocds_metric_t *) self->metrics.items + at;
                twice = held->fy == fy && strcmp (held->metric_id, metric_id) == 0;
            }
            if (twice) {
                s_warning (r, metric_id, "a second target for this metric in the same"
                           " financial year: set aside, the first kept", "%s", where);
                continue;
            }
            ingest_ocds_metric_t *record = (ingest_ocds_metric_t *)
                s_push (self, &self->metrics, sizeof (ingest_ocds_metric_t));
            if (!record)
                return;
            record->row = r->row;
            record->contract_id = contract_id;
            record->ocid = r->ocid;
            record->release_date = r->release_date;
            record->metric_id = metric_id;
            record->title = s_member_text (self, metric, "title");
            record->unit = unit;
            record->target_milli = milli;
            record->fy = fy;
        }
    }
}

//  The name of the organization reference {id, name} names: its name, else
//  that of the party of this release with its id; "" when neither is given
static const char *
s_organization_name (s_release_t *r, const json_t *reference)
{
    const char *name = s_member_text (r->self, reference, "name");
    const char *id = s_member_text (r->self, reference, "id");
    const json_t *party = !*name && *id? json_object_get (r->parties, id): NULL;
    if (party)
        name = s_member_text (r->self, json_array_get (s_member (r->release, "parties"),
                                                       (size_t) json_integer_value (party)),
                              "name");
    return name;
}

//  The key in taken of ocid's award or contract (what) id, in out (size
//  bytes): an award and a contract may have the same id. "award" keys a
//  contract yielded under its award's id, "award-of" the award of one
//  under its own id, "signed" the award id a contract took (see "Contract
//  ids"), "supplier" the supplier a contract was yielded with
static const char *
s_taken_key (const char *ocid, const char *what, const char *id, char *out, size_t size)
{
    snprintf (out, size, "%s\n%s\n%s", ocid, what, id);
    return out;
}

//  Yields one contract: from contracts[ci] (with its award, or NULL) when
//  contract is not NULL, else from awards[ai]. A contract's own buyer (the
//  multiple buyers extension: each call-off of a framework names the
//  council that buys) stands before the release's.
static void
s_contract (s_release_t *r, const json_t *contract, size_t ci, const json_t *award, size_t ai)
{
    ingest_ocds_t *self = r->self;
    const json_t *tender = s_member (r->release, "tender");
    size_t errors_at = self->errors.count;

    //  Id: a contract signed for an award of this release, the only one
    //  for it, keeps the award's id when this document made that award a
    //  contract already (see "Contract ids")
    const char *contract_id = contract? s_member_text (self, contract, "id"): "";
    const char *award_id = award? s_member_text (self, award, "id"): "";
    char key [2 * S_KEY_MAX];
    const char *signed_id = NULL;
    if (contract && *award_id && r->award_contracts && ai < r->award_count
    &&  r->award_contracts [ai] == 1 && self->taken
    &&  json_object_get (self->taken, s_taken_key (r->ocid, "award", award_id, key, sizeof key))) {
        signed_id = contract_id;
        contract_id = award_id;
    }
    else
    if (contract && !award && *contract_id && self->taken) {
        //  Its award not in this release (an amendment naming the contract
        //  alone): the award's id it took earlier in this document
        const char *taken = json_string_value (json_object_get (self->taken,
                            s_taken_key (r->ocid, "signed", contract_id, key, sizeof key)));
        if (taken)
            contract_id = s_keep (self, taken);
    }
    if (!*contract_id)
        contract_id = award_id;
    if (!*contract_id)
        contract_id = r->ocid;
    const char *title = contract? s_member_text (self, contract, "title"): "";
    if (!*title && award)
        title = s_member_text (self, award, "title");
    if (!*title)
        title = s_member_text (self, tender, "title");
    const char *status = contract? s_member_text (self, contract, "status"): "";
    if (!*status && award)
        status = s_member_text (self, award, "status");
    const char *buyer = contract? s_organization_name (r, s_member (contract, "buyer")): "";
    if (!*buyer)
        buyer = r->buyer;

    //  Value: the contract's, else its award's
    char where [S_COLUMN_MAX];
    const json_t *value = contract? s_member (contract, "value"): NULL;
    if (s_present (value))
        snprintf (where, sizeof where, "contracts[%zu].value", ci);
    else {
        value = award? s_member (award, "value"): NULL;
        snprintf (where, sizeof where, "awards[%zu].value", ai);
    }
    int64_t pence = 0;
    bool has_value = s_present (value) && s_read_value (r, value, where, &pence) == 1;

    //  Period: the first of these that gives a start or an end
    const json_t *periods [3] = {
        contract? s_member (contract, "period"): NULL,
        award? s_member (award, "contractPeriod"): NULL,
        s_member (tender, "contractPeriod")
    };
    const json_t *period = NULL;
    for (size_t index = 0; index < 3 && !period; index++) {
        if (!s_present (periods [index]))
            continue;
        if (index == 0)
            snprintf (where, sizeof where, "contracts[%zu].period", ci);
        else
        if (index == 1)
            snprintf (where, sizeof where, "awards[%zu].contractPeriod", ai);
        else
            snprintf (where, sizeof where, "tender.contractPeriod");
        if (!json_is_object (periods [index]))
            s_error (r, s_text (self, periods [index]), "a period must be an object", "%s", where);
        else
        if (s_present (s_member (periods [index], "startDate"))
        ||  s_present (s_member (periods [index], "endDate")))
            period = periods [index];
    }
    int32_t start = 0, end = 0;
    bool has_start = false, has_end = false;
    if (period) {
        has_start = s_read_date (r, period, "startDate", where, &start) == 1;
        has_end = s_read_date (r, period, "endDate", where, &end) == 1;
        if (has_start && has_end && end < start) {
            char text [2 * SV_DATE_BUF + 16], first [SV_DATE_BUF], last [SV_DATE_BUF];
            snprintf (text, sizeof text, "%s to %s", sv_date_format (start, first, sizeof first),
                      sv_date_format (end, last, sizeof last));
            s_error (r, text, "the contract ends before it starts", "%s.endDate", where);
        }
    }

    const char **keys = NULL;
    size_t key_count = 0;
    bool own_suppliers = false;
    s_supplier_keys (r, contract, ci, award, ai, &keys, &key_count, &own_suppliers);
    if (key_count > 1) {
        //  A framework's award names every supplier on it beside one value
        //  for them all: no one of them holds that value
        char count [32];
        snprintf (count, sizeof count, "%zu suppliers", key_count);
        if (own_suppliers)
            s_warning (r, count, "the contract names several suppliers beside one value, which"
                       " it does not split between them: the contract is kept without a"
                       " supplier (incomplete), not given to any one of them",
                       "contracts[%zu].suppliers", ci);
        else
        if (award)
            s_warning (r, count, "the award names several suppliers beside one value, which it"
                       " does not split between them: the contract is kept without a supplier"
                       " (incomplete), not given to any one of them", "awards[%zu].suppliers", ai);
        else
            s_warning (r, count, "the release's one contract has several supplier parties and"
                       " no award to say which holds it: the contract is kept without a"
                       " supplier (incomplete)", "parties");
    }

    if (self->errors.count > errors_at)
        return;
    ingest_ocds_contract_t *record = (ingest_ocds_contract_t *)
        s_push (self, &self->contracts, sizeof (ingest_ocds_contract_t));
    if (!record)
        return;
    record->row = r->row;
    record->contract_id = contract_id;
    record->award_id = award_id;
    if (!self->taken && !(self->taken = json_object ()))
        self->oom = true;
    if (signed_id && *signed_id && self->taken) {
        if (json_object_set_new (self->taken, s_taken_key (r->ocid, "signed", signed_id, key,
                                                          sizeof key), json_string (award_id)))
            self->oom = true;
    }
    record->ocid = r->ocid;
    record->release_id = r->release_id;
    record->release_date = r->release_date;
    record->has_release_day = r->has_release_day;
    record->release_day = r->release_day;
    record->title = title;
    record->buyer = buyer;
    s_category (r, contract, award, &record->category, &record->category_code);
    record->status = status;
    record->has_value = has_value;
    record->value_pence = has_value? pence: 0;
    record->currency = has_value? "GBP": "";
    record->has_start = has_start;
    record->start_date = has_start? start: 0;
    record->has_end = has_end;
    record->end_date = has_end? end: 0;
    //  A release naming the contract alone (no award, no supplier of its
    //  own) changes what it gives, not its supplier: the supplier it had
    //  from this document's earlier release, as a compiled release keeps
    const json_t *held = NULL;
    if (contract && !award && key_count == 0 && !s_present (s_member (contract, "suppliers"))
    &&  self->taken)
        held = json_object_get (self->taken, s_taken_key (r->ocid, "supplier", contract_id,
                                                           key, sizeof key));
    if (held) {
        const char **kept = (const char **) s_alloc (self, sizeof (char *));
        if (kept) {
            kept [0] = s_keep (self, json_string_value (held));
            keys = kept;
            key_count = 1;
        }
    }
    record->supplier_count = key_count;
    record->supplier_keys = keys;
    record->supplier_key = key_count == 1? keys [0]: "";
    if (key_count == 1 && self->taken
    &&  json_object_set_new (self->taken, s_taken_key (r->ocid, "supplier", contract_id, key,
                                                      sizeof key), json_string (keys [0])))
        self->oom = true;
    if (contract)
        s_metrics (r, contract, "contracts", ci, contract_id);
    else
        s_metrics (r, award, "awards", ai, contract_id);
}

//  The award a contract belongs to: the one its awardID names, else the
//  only award. Returns NULL when there is none, with *index_p untouched.
static const json_t *
s_award_of (s_release_t *r, const json_t *contract, size_t *index_p)
{
    const json_t *awards = s_member (r->release, "awards");
    const char *award_id = s_member_text (r->self, contract, "awardID");
    const json_t *found = *award_id? json_object_get (r->award_ids, award_id): NULL;
    if (found) {
        *index_p = (size_t) json_integer_value (found);
        return json_array_get (awards, *index_p);
    }
    if (!*award_id && r->award_count == 1 && json_is_object (json_array_get (awards, 0))) {
        *index_p = 0;
        return json_array_get (awards, 0);
    }
    return NULL;
}

//  The release's tags, joined with commas, for a skip's value
static const char *
s_tags (s_release_t *r)
{
    char text [S_VALUE_MAX] = "";
    const json_t *tags = s_member (r->release, "tag");
    for (size_t index = 0; index < json_array_size (tags); index++) {
        const char *tag = json_string_value (json_array_get (tags, index));
        if (tag) {
            size_t used = strlen (text);
            snprintf (text + used, sizeof text - used, "%s%s", used? ",": "", tag);
        }
    }
    return s_copy (r->self, text, strlen (text));
}


//  --------------------------------------------------------------------------
//  Releases in date order
//
//  A publisher lists a process's releases in any order (Contracts Finder
//  puts the newest first), but an award's latest release is what holds,
//  as in a compiled release. So, within one document, the releases of an
//  ocid that carry awards or contracts are applied in date order and the
//  latest wins: a release older than the one already applied for its
//  ocid is set aside (a skip, and a warning), yielding nothing. Releases
//  in date order are each applied in turn, the last one winning; releases
//  newest first yield only the newest. Releases with neither awards nor
//  contracts (tenders, planning) change no contract and take no part.
//
//  Nothing is guessed. A date is the span of instants it may name: one
//  instant for a date-time with its zone, the 26 hours of zones around a
//  date-time without one, that day in every zone for a date alone. A
//  release is later only when its span starts after the other's ends;
//  two releases whose spans overlap (the same release listed twice, or
//  two on the same date) cannot be put in order, so the first applied
//  stands and the other is set aside. A release with no date cannot be
//  put in order either: it is applied only when no release of its ocid
//  has been applied, and a dated release of the ocid, before or after it
//  in the document, wins over it. A date that cannot be read rejects its
//  release, as any unreadable value does.
//
//  Memory: one entry per ocid with awards or contracts, for the document
//  only, however many releases it holds: about 300 bytes (the ocid as the
//  index's key, the applied release's id and date cut for messages, its
//  span). A release of an ocid past S_ORDER_MAX of them is rejected: the
//  document is too large to keep in order, and should be sent in parts.

#define S_US_PER_MINUTE 60000000LL
#define S_US_PER_HOUR (60 * S_US_PER_MINUTE)
#define S_US_PER_DAY (24 * S_US_PER_HOUR)

//  The span of instants a release's date may name, in microseconds since
//  1970-01-01 UTC
typedef struct {
    bool dated;
    int64_t first;
    int64_t last;
} s_stamp_t;

//  The release applied for one ocid
typedef struct {
    s_stamp_t stamp;
    char name [S_NAME_MAX];     //  Its id, else its path
    char when [S_WHEN_MAX];     //  Its date as published, or ""
} s_applied_t;

static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

//  Reads up to width digits at *p_p, moving past them
static int64_t
s_digits (const char **p_p, int width)
{
    int64_t value = 0;
    for (int count = 0; count < width && s_digit (**p_p); count++, (*p_p)++)
        value = value * 10 + (**p_p - '0');
    return value;
}

//  The span of a release's date: text, which sv_date_parse has read as
//  day (and so checked: a time after it is HH:MM[:SS[.f]] and a zone Z,
//  +hh:mm or +hhmm, if any)
static s_stamp_t
s_stamp_text (bool dated, int32_t day, const char *text)
{
    s_stamp_t stamp = { .dated = dated };
    if (!stamp.dated)
        return stamp;
    int64_t midnight = (int64_t) day * S_US_PER_DAY;
    const char *colon = strchr (text, ':');
    if (!colon) {
        stamp.first = midnight - 14 * S_US_PER_HOUR;
        stamp.last = midnight + S_US_PER_DAY - 1 + 12 * S_US_PER_HOUR;
        return stamp;
    }
    const char *p = colon;
    while (p > text && s_digit (p [-1]))
        p--;
    int64_t local = midnight + s_digits (&p, 2) * S_US_PER_HOUR;
    p++;
    local += s_digits (&p, 2) * S_US_PER_MINUTE;
    if (*p == ':') {
        p++;
        local += s_digits (&p, 2) * 1000000;
    }
    if (*p == '.' || *p == ',') {
        //  Microseconds; finer digits are dropped, so two dates that
        //  differ only there overlap
        p++;
        int64_t scale = 100000;
        for (; s_digit (*p); p++, scale /= 10)
            local += (*p - '0') * scale;
    }
    while (*p == ' ')
        p++;
    if (*p == 'Z' || *p == 'z') {
        stamp.first = stamp.last = local;
        return stamp;
    }
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-'? -1: 1;
        int64_t offset = s_digits (&p, 2) * S_US_PER_HOUR;
        if (*p == ':')
            p++;
        offset += s_digits (&p, 2) * S_US_PER_MINUTE;
        stamp.first = stamp.last = local - sign * offset;
        return stamp;
    }
    //  No zone: UTC-12 to UTC+14
    stamp.first = local - 14 * S_US_PER_HOUR;
    stamp.last = local + 12 * S_US_PER_HOUR;
    return stamp;
}

static s_stamp_t
s_stamp (const s_release_t *r)
{
    return s_stamp_text (r->has_release_day, r->release_day, r->release_date);
}

int
ingest_ocds_date_span (const char *text, int64_t *first_p, int64_t *last_p)
{
    assert (text && first_p && last_p);
    int32_t day;
    if (!*text || sv_date_parse (text, &day, NULL) != 0)
        return -1;
    s_stamp_t stamp = s_stamp_text (true, day, text);
    *first_p = stamp.first;
    *last_p = stamp.last;
    return 0;
}

//  1 when one is certainly later than other, -1 certainly earlier, 0 when
//  they may name the same instant
static int
s_stamp_order (const s_stamp_t *one, const s_stamp_t *other)
{
    return one->first > other->last? 1: one->last < other->first? -1: 0;
}

//  Copies text into out (size bytes), cut on a character boundary
static void
s_cut (char *out, size_t size, const char *text)
{
    size_t length = strlen (text);
    if (length >= size) {
        length = size - 1;
        while (length > 0 && ((unsigned char) text [length] & 0xC0) == 0x80)
            length--;
    }
    memcpy (out, text, length);
    out [length] = 0;
}

//  How release r is named in a message: its id, else its path
static void
s_release_name (const s_release_t *r, char *out, size_t size)
{
    s_cut (out, size, *r->release_id? r->release_id: *r->prefix? r->prefix: "the release");
}

//  Records why release r is set aside (a skip), formatted in the arena
static void
s_set_aside (s_release_t *r, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

static void
s_set_aside (s_release_t *r, const char *format, ...)
{
    char reason [512];
    va_list args;
    va_start (args, format);
    vsnprintf (reason, sizeof reason, format, args);
    va_end (args);
    s_issue (r, &r->self->skips, r->release_date,
             s_copy (r->self, reason, strlen (reason)), "%s", "date");
}

//  The release applied for r's ocid in this document, or NULL
static s_applied_t *
s_applied (s_release_t *r)
{
    ingest_ocds_t *self = r->self;
    const json_t *found = self->applied? json_object_get (self->applied, r->ocid): NULL;
    return found? (s_applied_t *) self->order.items + json_integer_value (found): NULL;
}

typedef enum { S_APPLY, S_SET_ASIDE, S_TOO_MANY } s_verdict_t;

//  Whether release r (stamped stamp) is applied, against the release
//  applied for its ocid so far; records the skip or warning that says why
static s_verdict_t
s_verdict (s_release_t *r, const s_stamp_t *stamp)
{
    ingest_ocds_t *self = r->self;
    const s_applied_t *applied = s_applied (r);
    char name [S_NAME_MAX];
    s_release_name (r, name, sizeof name);
    if (!applied) {
        if (self->order.count >= S_ORDER_MAX) {
            s_error (r, r->ocid, "the document has more contracting processes than can be"
                     " kept in date order (65536 ocids); send it in smaller packages", "ocid");
            return S_TOO_MANY;
        }
        if (!stamp->dated)
            s_warning (r, "", "the release has no date: applied, as no other release of its"
                       " ocid came before it, but a dated release of the ocid would win over it",
                       "date");
        return S_APPLY;
    }
    if (stamp->dated && !applied->stamp.dated)
        return S_APPLY;
    if (!stamp->dated)
        s_set_aside (r, "release '%s' has no date, so it cannot be put in order with release"
                     " '%s'%s%s of the same ocid, applied already; not applied", name,
                     applied->name, *applied->when? " of ": ", also without a date",
                     applied->when);
    else
    if (s_stamp_order (stamp, &applied->stamp) > 0)
        return S_APPLY;
    else
    if (s_stamp_order (stamp, &applied->stamp) < 0)
        s_set_aside (r, "release '%s' of %s is older than release '%s' of %s of the same"
                     " ocid; not applied", name, r->release_date, applied->name, applied->when);
    else
    if (streq (name, applied->name) && streq (r->release_date, applied->when))
        s_set_aside (r, "release '%s' of %s appears again in this document; read once",
                     name, r->release_date);
    else
        s_set_aside (r, "release '%s' of %s cannot be put in order with release '%s' of %s of"
                     " the same ocid, applied already: their dates may name the same moment;"
                     " not applied", name, r->release_date, applied->name, applied->when);
    return S_SET_ASIDE;
}

//  Notes release r (stamped stamp) as the one applied for its ocid
static void
s_note_applied (s_release_t *r, const s_stamp_t *stamp)
{
    ingest_ocds_t *self = r->self;
    s_applied_t *applied = s_applied (r);
    if (!applied) {
        if (!self->applied)
            self->applied = json_object ();
        applied = (s_applied_t *) s_push (self, &self->order, sizeof (s_applied_t));
        json_t *index = json_integer ((json_int_t) self->order.count - 1);
        if (!self->applied || !applied || !index
        ||  json_object_set_new_nocheck (self->applied, r->ocid, index)) {
            self->oom = true;
            return;
        }
    }
    applied->stamp = *stamp;
    s_release_name (r, applied->name, sizeof applied->name);
    s_cut (applied->when, sizeof applied->when, r->release_date);
}

//  Forgets the releases applied: the next document starts afresh
static void
s_order_clear (ingest_ocds_t *self)
{
    json_decref (self->applied);
    self->applied = NULL;
    json_decref (self->taken);
    self->taken = NULL;
    self->withdrawn [0] = 0;
    self->order.count = 0;
}

//  Tells the warning callback, if any, about the skips and warnings
//  recorded since skips_at and warnings_at
static void
s_tell (ingest_ocds_t *self, size_t skips_at, size_t warnings_at)
{
    const s_array_t *arrays [2] = { &self->skips, &self->warnings };
    size_t starts [2] = { skips_at, warnings_at };
    for (size_t kind = 0; kind < 2 && self->warning_fn; kind++)
        for (size_t index = starts [kind]; index < arrays [kind]->count; index++) {
            const ingest_ocds_issue_t *issue = (const ingest_ocds_issue_t *) arrays [kind]->items + index;
            sv_csv_error_t warning = {
                .line = issue->row, .column = issue->column,
                .value = issue->value, .reason = issue->reason
            };
            self->warning_fn (&warning, self->warning_arg);
        }
}


//  --------------------------------------------------------------------------
//  Contract ids
//
//  A process's contract is published first as an award (an award notice:
//  awards[], no contracts[]; Contracts Finder publishes only these) and
//  later, once signed, as a contracts[] entry naming that award by its
//  awardID, in a release that carries the award again (the OCDS sample's
//  contract release). Read by their own ids, the two are two contracts of
//  the same value, counted twice. So, within a document, a contract whose
//  award is in its release, the only contract of that award there, and
//  whose award an earlier release of the document made a contract,
//  keeps the award's id: the later release replaces the award's contract.
//  A later release naming that contract alone, without its award (an
//  amendment of value or period), is that contract too. Otherwise a
//  contract keeps its own id, as a partner's other feeds and socval's own
//  OCDS export know it. Across documents the award's contract cannot be
//  told from the signed one without the award's id in the store's
//  contract record, so an award notice and its contract release with
//  different ids, sent apart, are still two contracts (Find a Tender
//  gives the two one id; Contracts Finder publishes awards only).

//  --------------------------------------------------------------------------
//  Withdrawn awards
//
//  An award whose status (or OCDS 1.2 finalStatus) is cancelled or
//  unsuccessful, and a contract cancelled before it was signed, are no
//  contract. A publisher withdraws an award in a later release of its
//  ocid (tag awardCancellation, or an awardUpdate), often naming only the
//  award's id and its new status. socval has no way to take a contract
//  back once it is yielded, so: when the releases of an ocid come newest
//  first, the withdrawal is applied first and the older release that made
//  the award is set aside, and nothing is yielded; when the award was
//  yielded from an older release earlier in the same document, the
//  document is refused, naming both (a contract that does not exist is
//  never counted); when it came in an earlier document, the withdrawal is
//  a skip that says the contract is not taken back.

//  True when an award's or contract's status or finalStatus is one of
//  the two words given (the second may be NULL)
static bool
s_status_is (ingest_ocds_t *self, const json_t *object, const char *word, const char *other)
{
    const char *keys [2] = { "status", "finalStatus" };
    for (size_t index = 0; index < 2; index++) {
        const char *status = s_member_text (self, object, keys [index]);
        if (strcmp (status, word) == 0 || (other && strcmp (status, other) == 0))
            return true;
    }
    return false;
}

//  Notes the contracts yielded from index at on, and their awards, as
//  taken in this document
static void
s_note_taken (s_release_t *r, size_t at)
{
    ingest_ocds_t *self = r->self;
    if (!self->taken && !(self->taken = json_object ())) {
        self->oom = true;
        return;
    }
    for (size_t index = at; index < self->contracts.count; index++) {
        const ingest_ocds_contract_t *contract =
            (const ingest_ocds_contract_t *) self->contracts.items + index;
        char key [2 * S_KEY_MAX];
        s_taken_key (contract->ocid, *contract->award_id && streq (contract->award_id,
                     contract->contract_id)? "award": "contract", contract->contract_id, key,
                     sizeof key);
        if (json_object_set_new (self->taken, key, json_string (r->release_date)))
            self->oom = true;
        //  The award of a contract under its own id: withdrawn with it, but
        //  not one whose id a later contract takes
        if (*contract->award_id && !streq (contract->award_id, contract->contract_id)) {
            s_taken_key (contract->ocid, "award-of", contract->award_id, key, sizeof key);
            if (json_object_set_new (self->taken, key, json_string (r->release_date)))
                self->oom = true;
        }
    }
}

//  Release r withdraws the award or contract what (its id): the document
//  is to be refused when a contract was yielded for it earlier in the
//  document
static void
s_withdraw (s_release_t *r, const char *what, const char *id)
{
    ingest_ocds_t *self = r->self;
    char key [2 * S_KEY_MAX], name [S_NAME_MAX];
    const json_t *taken = *id && self->taken
                        ? json_object_get (self->taken, s_taken_key (r->ocid, what, id, key, sizeof key))
                        : NULL;
    if (!taken && *id && self->taken && streq (what, "award"))
        taken = json_object_get (self->taken, s_taken_key (r->ocid, "award-of", id, key,
                                                           sizeof key));
    s_release_name (r, name, sizeof name);
    if (taken && !*self->withdrawn)
        snprintf (self->withdrawn, sizeof self->withdrawn,
                  "release '%s' of %s (%s) withdraws %s '%s' of ocid %s, which a release of %s"
                  " earlier in this document made a contract; socval cannot take a contract"
                  " back, so the document is refused: send the releases newest first, as"
                  " Contracts Finder lists them, or without the older one",
                  name, r->release_date, r->prefix, what, id, r->ocid,
                  json_string_value (taken));
}


//  --------------------------------------------------------------------------
//  Releases and records

//  Reads one release (a row) at prefix
static void
s_release (ingest_ocds_t *self, const json_t *release, size_t row, const char *prefix)
{
    s_release_t r;
    memset (&r, 0, sizeof r);
    r.self = self;
    r.release = (json_t *) release;
    r.row = row;
    r.prefix = prefix;
    r.errors_at = self->errors.count;
    size_t contracts_at = self->contracts.count;
    size_t metrics_at = self->metrics.count;
    r.suppliers_at = self->suppliers.count;
    size_t warnings_at = self->warnings.count;
    self->releases++;
    if (!json_is_object (release)) {
        s_error (&r, s_text (self, release), "not a release: a JSON object was expected", "%s", "");
        self->rejected++;
        return;
    }

    r.ocid = s_member_text (self, release, "ocid");
    if (!*r.ocid)
        s_error (&r, "", "a release must have an ocid", "ocid");
    r.release_id = s_member_text (self, release, "id");
    r.release_date = s_member_text (self, release, "date");
    r.has_release_day = s_read_date (&r, release, "date", "", &r.release_day) == 1;

    //  Releases with awards or contracts are applied in date order
    size_t skips_at = self->skips.count;
    bool ordered = *r.ocid && self->errors.count == r.errors_at
                && (json_array_size (s_member (release, "awards")) > 0
                 || json_array_size (s_member (release, "contracts")) > 0);
    s_stamp_t stamp = s_stamp (&r);
    s_verdict_t verdict = ordered? s_verdict (&r, &stamp): S_APPLY;
    if (verdict == S_TOO_MANY) {
        self->rejected++;
        return;
    }
    if (verdict == S_SET_ASIDE) {
        s_tell (self, skips_at, warnings_at);
        return;
    }

    //  Buyer: buyer.name, else the party buyer.id names, else the first
    //  party with the role buyer
    const json_t *parties = s_member (release, "parties");
    const json_t *buyer = s_member (release, "buyer");
    r.buyer = s_member_text (self, buyer, "name");
    const char *buyer_id = s_member_text (self, buyer, "id");
    for (size_t index = 0; !*r.buyer && index < json_array_size (parties); index++) {
        const json_t *party = json_array_get (parties, index);
        if ((*buyer_id && strcmp (s_member_text (self, party, "id"), buyer_id) == 0)
        ||  (!*buyer_id && s_has_string (s_member (party, "roles"), "buyer")))
            r.buyer = s_member_text (self, party, "name");
    }

    //  Parties: index them by id, and yield those with the supplier role
    r.parties = json_object ();
    r.supplier_ids = json_object ();
    r.supplier_names = json_object ();
    if (!r.parties || !r.supplier_ids || !r.supplier_names)
        self->oom = true;
    for (size_t index = 0; !self->oom && index < json_array_size (parties); index++) {
        const json_t *party = json_array_get (parties, index);
        const char *id = s_member_text (self, party, "id");
        if (*id && !json_object_get (r.parties, id))
            json_object_set_new_nocheck (r.parties, id, json_integer ((json_int_t) index));
        if (!s_has_string (s_member (party, "roles"), "supplier"))
            continue;
        if (*id && json_object_get (r.supplier_ids, id))
            continue;           //  The same party listed twice
        char where [S_COLUMN_MAX];
        snprintf (where, sizeof where, "parties[%zu]", index);
        s_supplier_add (&r, party, where);
    }

    //  Contracts: one per contracts[] entry, else one per live award
    const json_t *contracts = s_member (release, "contracts");
    const json_t *awards = s_member (release, "awards");
    size_t contract_count = r.contract_count = json_array_size (contracts);
    size_t award_count = r.award_count = json_array_size (awards);
    size_t live_awards = 0, live_contracts = 0;
    r.award_ids = json_object ();
    r.award_keys = award_count? (s_keys_t *) calloc (award_count, sizeof (s_keys_t)): NULL;
    r.award_contracts = award_count? (size_t *) calloc (award_count, sizeof (size_t)): NULL;
    if (!r.award_ids || (award_count && (!r.award_keys || !r.award_contracts)))
        self->oom = true;
    for (size_t index = 0; !self->oom && contract_count && index < award_count; index++) {
        const char *id = s_member_text (self, json_array_get (awards, index), "id");
        if (*id && !json_object_get (r.award_ids, id))
            json_object_set_new_nocheck (r.award_ids, id, json_integer ((json_int_t) index));
    }
    size_t linked = 0;          //  Contracts whose award is in the release
    for (size_t index = 0; !self->oom && index < contract_count; index++) {
        size_t award_index = 0;
        if (s_award_of (&r, json_array_get (contracts, index), &award_index)) {
            r.award_contracts [award_index]++;
            linked++;
        }
    }
    for (size_t index = 0; !self->oom && index < contract_count; index++) {
        const json_t *contract = json_array_get (contracts, index);
        if (!json_is_object (contract)) {
            s_error (&r, s_text (self, contract), "a contract must be an object",
                     "contracts[%zu]", index);
            continue;
        }
        size_t award_index = 0;
        const json_t *award = s_award_of (&r, contract, &award_index);
        if (s_status_is (self, contract, "cancelled", NULL)
        ||  (award && s_status_is (self, award, "unsuccessful", "cancelled"))) {
            const char *id = s_member_text (self, contract, "id");
            s_withdraw (&r, "contract", id);
            //  Yielded under its award's id, from this or an earlier release
            char key [2 * S_KEY_MAX];
            const char *signed_award = !award && *id && self->taken
                ? json_string_value (json_object_get (self->taken,
                      s_taken_key (r.ocid, "signed", id, key, sizeof key)))
                : NULL;
            if (award || signed_award)
                s_withdraw (&r, "award", award? s_member_text (self, award, "id"): signed_award);
            continue;
        }
        live_contracts++;
        s_contract (&r, contract, index, award, award_index);
    }
    //  Awards: each one, when there are no contracts; beside contracts that
    //  each name their award, each award no contract names yet (a lot
    //  awarded and not yet signed), as it would be without them
    for (size_t index = 0; !self->oom && index < award_count
                           && (contract_count == 0 || linked == contract_count); index++) {
        if (contract_count && r.award_contracts [index])
            continue;
        const json_t *award = json_array_get (awards, index);
        if (!json_is_object (award)) {
            s_error (&r, s_text (self, award), "an award must be an object", "awards[%zu]", index);
            continue;
        }
        if (s_status_is (self, award, "unsuccessful", "cancelled")) {
            s_withdraw (&r, "award", s_member_text (self, award, "id"));
            continue;
        }
        live_awards++;
        s_contract (&r, NULL, 0, award, index);
    }
    if (contract_count == 0 && award_count == 0) {
        r.skip_column = "tag";
        r.skip_value = s_tags (&r);
        r.skip_reason = "no award or contract in this release (a tender, planning or amendment notice)";
    }
    else
    if (contract_count == 0 && live_awards == 0) {
        r.skip_column = "awards";
        r.skip_value = "";
        r.skip_reason = "every award in this release is unsuccessful or cancelled: no contract"
                        " (a contract socval took for one of them from an earlier document is"
                        " not taken back by this one)";
    }
    else
    if (contract_count > 0 && live_contracts == 0) {
        r.skip_column = "contracts";
        r.skip_value = "";
        r.skip_reason = "every contract in this release is cancelled, or its award is: no"
                        " contract (a contract socval took for one of them from an earlier"
                        " document is not taken back by this one)";
    }
    json_decref (r.parties);
    json_decref (r.supplier_ids);
    json_decref (r.supplier_names);
    json_decref (r.award_ids);
    free (r.award_keys);
    free (r.award_contracts);

    if (self->errors.count > r.errors_at) {
        self->contracts.count = contracts_at;
        self->metrics.count = metrics_at;
        self->suppliers.count = r.suppliers_at;
        self->warnings.count = warnings_at;
        self->rejected++;
        return;
    }
    if (ordered)
        s_note_applied (&r, &stamp);
    if (self->contracts.count > contracts_at)
        s_note_taken (&r, contracts_at);
    if (self->contracts.count > contracts_at)
        self->accepted++;
    else
        s_issue (&r, &self->skips, r.skip_value, r.skip_reason? r.skip_reason: "no contract",
                 "%s", r.skip_column? r.skip_column: "");
    s_tell (self, skips_at, warnings_at);
}

//  Reads records[index]: its compiledRelease, else its embedded releases
static void
s_record (ingest_ocds_t *self, const json_t *record, size_t index)
{
    char prefix [64];
    size_t row = index + 1;
    const json_t *compiled = s_member (record, "compiledRelease");
    if (json_is_object (compiled)) {
        snprintf (prefix, sizeof prefix, "records[%zu].compiledRelease", index);
        s_release (self, compiled, row, prefix);
        return;
    }
    const json_t *releases = s_member (record, "releases");
    size_t embedded = 0;
    for (size_t inner = 0; inner < json_array_size (releases); inner++) {
        const json_t *release = json_array_get (releases, inner);
        if (s_member (release, "ocid")) {
            snprintf (prefix, sizeof prefix, "records[%zu].releases[%zu]", index, inner);
            s_release (self, release, row, prefix);
            embedded++;
        }
    }
    if (embedded)
        return;

    //  Nothing to read: a row that is an error or a skip
    snprintf (prefix, sizeof prefix, "records[%zu]", index);
    s_release_t r;
    memset (&r, 0, sizeof r);
    r.self = self;
    r.row = row;
    r.prefix = prefix;
    self->releases++;
    if (!json_is_object (record)) {
        s_error (&r, s_text (self, record), "not a record: a JSON object was expected", "%s", "");
        self->rejected++;
    }
    else {
        s_issue (&r, &self->skips, "",
                 "the record has no compiledRelease and no embedded release, only links",
                 "%s", "");
        s_tell (self, self->skips.count - 1, self->warnings.count);
    }
}


//  --------------------------------------------------------------------------
//  Public API

ingest_ocds_t *
ingest_ocds_new (size_t max_size)
{
    assert (max_size > 0);
    ingest_ocds_t *self = (ingest_ocds_t *) calloc (1, sizeof (ingest_ocds_t));
    if (self) {
        self->max_size = max_size;
        self->package = "";
        self->split.line = 1;
    }
    return self;
}

void
ingest_ocds_destroy (ingest_ocds_t **self_p)
{
    assert (self_p);
    ingest_ocds_t *self = *self_p;
    if (self) {
        s_reset (self);
        free (self->split.held);
        free (self->contracts.items);
        free (self->metrics.items);
        free (self->suppliers.items);
        free (self->errors.items);
        free (self->skips.items);
        free (self->warnings.items);
        free (self->order.items);
        free (self);
        *self_p = NULL;
    }
}

//  Makes text printable UTF-8 in place, each byte that is not replaced by
//  '?': jansson quotes the input near an error, and a reason quotes the
//  byte it stopped at, which may be any bytes, while a reason must be
//  printable wherever it is sent
static void
s_printable (char *text)
{
    unsigned char *bytes = (unsigned char *) text;
    for (size_t pos = 0; bytes [pos]; ) {
        size_t length = bytes [pos] < 0x80? 1: (bytes [pos] & 0xE0) == 0xC0? 2:
                        (bytes [pos] & 0xF0) == 0xE0? 3: (bytes [pos] & 0xF8) == 0xF0? 4: 0;
        bool valid = length > 0 && (length > 1 || (bytes [pos] >= 0x20 && bytes [pos] != 0x7F));
        for (size_t next = 1; valid && next < length; next++)
            valid = (bytes [pos + next] & 0xC0) == 0x80;
        if (!valid) {
            bytes [pos++] = '?';
            continue;
        }
        pos += length;
    }
}

//  Sets the reason the document is refused, printable; returns -1
static int
s_say (ingest_ocds_t *self, const char *format, va_list args)
{
    vsnprintf (self->reason, sizeof self->reason, format, args);
    s_printable (self->reason);
    return -1;
}

//  Refuses the document: forgets anything yielded and says why
static int
s_refuse (ingest_ocds_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

static int
s_refuse (ingest_ocds_t *self, const char *format, ...)
{
    s_reset (self);
    va_list args;
    va_start (args, format);
    s_say (self, format, args);
    va_end (args);
    return -1;
}

static const char *
s_type_name (const json_t *value)
{
    return json_is_object (value)? "an object": json_is_array (value)? "an array":
           json_is_string (value)? "a string":
           json_is_number (value)? "a number": json_is_boolean (value)? "a boolean": "null";
}

//  Loads size bytes of text with jansson and pairs its numbers with their
//  tokens, for the walk that follows; line and column are where text
//  starts in the document. Returns the tree, or NULL with why in problem.
static json_t *
s_load (ingest_ocds_t *self, const char *text, size_t size, size_t line, size_t column,
        char *problem, size_t problem_size)
{
    size_t where;
    if (s_scan (self, text, size, &where) != 0) {
        size_t line_start = 0;
        for (size_t pos = 0; pos < where; pos++)
            if (text [pos] == '\n') {
                line++;
                line_start = pos + 1;
                column = 1;
            }
        snprintf (problem, problem_size, "the document nests deeper than %d levels"
                  " at line %zu, column %zu", INGEST_OCDS_MAX_DEPTH, line,
                  column + where - line_start);
        return NULL;
    }
    json_t *root = NULL;
    json_error_t error;
    if (!self->oom)
        root = json_loadb (text, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES
                                     | JSON_DECODE_INT_AS_REAL, &error);
    if (self->oom)
        snprintf (problem, problem_size, "out of memory reading the document");
    else
    if (!root)
        snprintf (problem, problem_size, "not JSON: %s at line %zu, column %zu", error.text,
                  line + (size_t) (error.line > 1? error.line - 1: 0),
                  (error.line > 1? 0: column - 1) + (size_t) (error.column > 0? error.column: 0));
    else {
        self->text = text;
        if (s_pair_numbers (self, root) != 0) {
            snprintf (problem, problem_size, "%s", self->oom
                      ? "out of memory reading the document"
                      : "the numbers in the document could not be read exactly");
            json_decref (root);
            root = NULL;
        }
    }
    return root;
}

//  Frees the tree s_load made and what it kept for reading numbers
static void
s_unload (ingest_ocds_t *self, json_t **root_p)
{
    json_decref (*root_p);
    *root_p = NULL;
    free (self->tokens);
    free (self->numbers);
    self->tokens = NULL;
    self->numbers = NULL;
    self->token_count = self->number_count = 0;
    self->text = NULL;
}

int
ingest_ocds_parse (ingest_ocds_t *self, const void *data, size_t size)
{
    assert (self);
    assert (data || size == 0);
    s_reset (self);
    if (size > self->max_size)
        return s_refuse (self, "the document is %zu bytes, over the limit of %zu bytes",
                         size, self->max_size);
    const char *text = (const char *) data;
    if (size >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        size -= 3;
    }
    size_t first = 0;
    while (first < size && s_blank (text [first]))
        first++;
    if (first == size)
        return s_refuse (self, "the document is empty");

    int rc = 0;
    char problem [sizeof self->reason];
    json_t *root = s_load (self, text, size, 1, 1, problem, sizeof problem);
    if (!root) {
        rc = s_refuse (self, "%s", problem);
        goto done;
    }
    if (!json_is_object (root)) {
        rc = s_refuse (self, "not OCDS: the document is %s, not a release package, "
                       "record package or release object", s_type_name (root));
        goto done;
    }
    const json_t *records = json_object_get (root, "records");
    const json_t *releases = json_object_get (root, "releases");
    if (records) {
        if (!json_is_array (records)) {
            rc = s_refuse (self, "not OCDS: \"records\" is %s, not an array", s_type_name (records));
            goto done;
        }
        self->package = "record package";
        for (size_t index = 0; index < json_array_size (records) && !self->oom; index++)
            s_record (self, json_array_get (records, index), index);
    }
    else
    if (releases) {
        if (!json_is_array (releases)) {
            rc = s_refuse (self, "not OCDS: \"releases\" is %s, not an array", s_type_name (releases));
            goto done;
        }
        self->package = "release package";
        for (size_t index = 0; index < json_array_size (releases) && !self->oom; index++) {
            char prefix [32];
            snprintf (prefix, sizeof prefix, "releases[%zu]", index);
            s_release (self, json_array_get (releases, index), index + 1, prefix);
        }
    }
    else
    if (json_object_get (root, "ocid")) {
        self->package = "release";
        s_release (self, root, 1, "");
    }
    else
        rc = s_refuse (self, "not OCDS: the document has no \"releases\", \"records\" or \"ocid\"");
    if (rc == 0 && self->oom)
        rc = s_refuse (self, "out of memory reading the document");
    if (rc == 0 && *self->withdrawn) {
        char withdrawn [sizeof self->withdrawn];
        snprintf (withdrawn, sizeof withdrawn, "%s", self->withdrawn);
        rc = s_refuse (self, "%s", withdrawn);
    }

done:
    s_unload (self, &root);
    return rc;
}

//  --------------------------------------------------------------------------
//  Reading a package as it arrives. The bytes are scanned once, for
//  strings, nesting and the package's own keys, until the "releases" or
//  "records" array opens; from then on each of its items is loaded and
//  read on its own as soon as its last byte arrives, and let go. So a
//  package of any size costs the memory of its largest item. A document
//  that is not a package with such an array is held and read whole at
//  the end, as ingest_ocds_parse reads it.
//
//  What a partner sends sets no more memory than the size limit allows
//  (a few times it, as bytes arrive in chunks), in any part of the
//  document: before the array all is held, and refused past the limit;
//  an item past it is let go as it is scanned; after the array, a key is
//  held until it ends (to tell a second "releases"), and each member is
//  measured from its value's first byte, so that a key or value past the
//  limit is refused, named, rather than held or read without end.

//  Whitespace between JSON tokens
static bool
s_json_blank (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

//  Stops reading: the document is refused from here on, and what was
//  yielded before stays yielded
static int
s_stop (ingest_ocds_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

static int
s_stop (ingest_ocds_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    s_say (self, format, args);
    va_end (args);
    return -1;
}

//  The name of the array being read: "releases" or "records"
static const char *
s_array_name (s_split_t *split)
{
    return split->records? "records": "releases";
}

//  Rejects item index of the package's array, for reason
static void
s_reject_item (ingest_ocds_t *self, size_t index, const char *reason)
{
    char prefix [32];
    snprintf (prefix, sizeof prefix, "%s[%zu]", s_array_name (&self->split), index);
    s_release_t r;
    memset (&r, 0, sizeof r);
    r.self = self;
    r.row = index + 1;
    r.prefix = prefix;
    self->releases++;
    self->rejected++;
    const char *copy = s_copy (self, reason, strlen (reason));
    s_error (&r, "", *copy? copy: "not JSON", "%s", "");
}

//  Reads one item of the package's array, size bytes at text starting at
//  line and column of the document, as its next row. An item that is not
//  JSON is that row's error, and the rows after it go on.
static void
s_read_item (ingest_ocds_t *self, const char *text, size_t size, size_t line, size_t column)
{
    s_split_t *split = &self->split;
    size_t index = split->items++;
    char problem [400];
    json_t *item = s_load (self, text, size, line, column, problem, sizeof problem);
    if (item && split->records)
        s_record (self, item, index);
    else
    if (item) {
        char prefix [32];
        snprintf (prefix, sizeof prefix, "releases[%zu]", index);
        s_release (self, item, index + 1, prefix);
    }
    else {
        s_printable (problem);
        s_reject_item (self, index, problem);
    }
    s_unload (self, &item);
}

//  The item being scanned ends before end (in held): reads it, or, over
//  the size limit, rejects it unread
static void
s_item_end (ingest_ocds_t *self, size_t end)
{
    s_split_t *split = &self->split;
    split->item_open = false;
    split->item_ended = true;
    if (split->item_skipped || end - split->item_start > self->max_size) {
        char reason [128];
        snprintf (reason, sizeof reason, "over the limit of %zu bytes for one %s"
                  " (ingest/max_document_bytes)", self->max_size,
                  split->records? "record": "release");
        s_reject_item (self, split->items++, reason);
        split->item_skipped = false;
    }
    else
        s_read_item (self, split->held + split->item_start, end - split->item_start,
                     split->item_line, split->item_column);
}

//  A string at depth 1 has ended at pos: was it the package's key?
static int
s_key_end (ingest_ocds_t *self, size_t pos)
{
    s_split_t *split = &self->split;
    const char *key = split->held + split->key_start + 1;
    size_t length = pos - split->key_start - 1;
    bool releases = length == 8 && memcmp (key, "releases", 8) == 0;
    bool records = length == 7 && memcmp (key, "records", 7) == 0;
    split->expect_key = false;
    size_t kept = length < sizeof split->member? length: sizeof split->member - 1;
    memcpy (split->member, key, kept);
    split->member [kept] = 0;
    if (split->phase == S_REST && (releases || records))
        return s_stop (self, "not OCDS: the package has a second \"releases\" or \"records\""
                       " at line %zu", split->line);
    split->key_is_package = releases || records;
    if (split->key_is_package)
        split->records = records;
    return 0;
}

//  Scans the bytes held and not yet scanned, reading every item they
//  complete; then lets go of what is no longer needed. Returns 0, or -1
//  when the document is refused.
static int
s_split (ingest_ocds_t *self)
{
    s_split_t *split = &self->split;
    while (split->scanned < split->held_size && split->phase != S_WHOLE) {
        size_t pos = split->scanned;
        char c = split->held [pos];
        size_t column = split->dropped + pos - split->line_start + 1;
        bool item_scalar = split->item_open && split->depth == 2 && !split->in_string;
        if (item_scalar && (s_json_blank (c) || c == ',' || c == ']')) {
            //  A number, true, false or null ends before this byte
            s_item_end (self, pos);
            item_scalar = false;
        }
        split->scanned++;
        if (c == '\n') {
            split->line++;
            split->line_start = split->dropped + pos + 1;
        }
        if (split->in_string) {
            if (split->escaped)
                split->escaped = false;
            else
            if (c == '\\')
                split->escaped = true;
            else
            if (c == '"') {
                split->in_string = false;
                if (split->depth == 1 && split->expect_key && s_key_end (self, pos))
                    return -1;
                if (split->item_open && split->depth == 2)
                    s_item_end (self, pos + 1);
            }
            continue;
        }
        if (s_json_blank (c) || item_scalar)
            continue;
        if (split->phase == S_END)
            return s_stop (self, "not JSON: '%c' after the end of the package at line %zu,"
                           " column %zu", c, split->line, column);
        if (split->depth == 0) {
            //  The first byte: a package is an object
            if (c != '{') {
                split->phase = S_WHOLE;
                break;
            }
            split->depth = 1;
            split->expect_key = true;
            continue;
        }
        if (split->phase == S_ITEMS && split->depth == 2 && !split->item_open) {
            //  Between the array's items
            if (c == ']' && !(split->item_due && split->items > 0)) {
                split->phase = S_REST;
                split->depth = 1;
            }
            else
            if (c == ',' && split->item_ended) {
                split->item_due = true;
                split->item_ended = false;
            }
            else
            if (c == ',' || c == ']' || !split->item_due)
                return s_stop (self, "not JSON: '%c' where %s[%zu] was expected at line %zu,"
                               " column %zu", c, s_array_name (split), split->items,
                               split->line, column);
            else {
                split->item_open = true;
                split->item_due = false;
                split->item_start = pos;
                split->item_line = split->line;
                split->item_column = column;
                if (c == '"')
                    split->in_string = true;
                else
                if (c == '{' || c == '[')
                    split->depth = 3;
            }
            continue;
        }
        if (split->depth == 1 && !split->expect_key && !split->value_open
        &&  c != ':' && c != ',' && c != '}') {
            //  A member's value starts: measured until its member ends
            split->value_open = true;
            split->value_start = split->dropped + pos;
            split->value_line = split->line;
            split->value_column = column;
        }
        if (c == '"') {
            split->in_string = true;
            if (split->depth == 1 && split->expect_key) {
                split->key_start = pos;
                split->key_line = split->line;
                split->key_column = column;
            }
        }
        else
        if (c == '{' || c == '[') {
            if (c == '[' && split->depth == 1 && split->key_is_package
            &&  split->phase == S_TOP) {
                split->phase = S_ITEMS;
                split->item_due = true;
                split->item_ended = false;
                split->value_open = false;      //  its items are bounded one by one
            }
            if (++split->depth > INGEST_OCDS_MAX_DEPTH)
                return s_stop (self, "the document nests deeper than %d levels at line %zu,"
                               " column %zu", INGEST_OCDS_MAX_DEPTH, split->line, column);
        }
        else
        if (c == '}' || c == ']') {
            split->depth--;
            if (split->item_open && split->depth == 2)
                s_item_end (self, pos + 1);
            else
            if (split->depth == 0 && split->phase == S_REST && c == '}')
                split->phase = S_END;
            else
            if (split->depth == 0 && split->phase == S_REST)
                return s_stop (self, "not JSON: ']' closes the package at line %zu, column %zu",
                               split->line, column);
            else
            if (split->depth <= 0) {
                //  A lone release, or not JSON: jansson says which
                split->phase = S_WHOLE;
                break;
            }
        }
        else
        if (c == ',' && split->depth == 1) {
            split->expect_key = true;
            split->key_is_package = false;
            split->value_open = false;
        }
    }
    if (split->item_open && split->held_size - split->item_start > self->max_size)
        split->item_skipped = true;
    //  Before the array, all is held; after its start, only an item
    //  not yet complete (and not over the limit), or a key being read
    //  after the array. Nothing held grows past the limit: an item over
    //  it is let go as it is scanned (and rejected as its row), and before
    //  or after the array the document is refused, naming the key or the
    //  member's value that took it over
    bool in_key = split->in_string && split->depth == 1 && split->expect_key;
    if (split->phase == S_TOP && split->held_size > self->max_size) {
        char where [sizeof split->member + 80] = "";
        if (in_key)
            snprintf (where, sizeof where, ", in a key that starts at line %zu, column %zu",
                      split->key_line, split->key_column);
        else
        if (split->value_open)
            snprintf (where, sizeof where, ", in the value of \"%s\" that starts at line %zu,"
                      " column %zu", split->member, split->value_line, split->value_column);
        return s_stop (self, "the document is over the limit of %zu bytes before its"
                       " \"releases\" or \"records\" (ingest/max_document_bytes)%s",
                       self->max_size, where);
    }
    if (split->phase == S_REST && in_key && split->held_size - split->key_start > self->max_size)
        return s_stop (self, "a key of the package after its \"%s\" array, starting at line %zu,"
                       " column %zu, is over the limit of %zu bytes (ingest/max_document_bytes)",
                       s_array_name (split), split->key_line, split->key_column, self->max_size);
    if (split->phase == S_REST && split->value_open
    &&  split->dropped + split->scanned - split->value_start > self->max_size)
        return s_stop (self, "the value of \"%s\" after the package's \"%s\" array, starting"
                       " at line %zu, column %zu, is over the limit of %zu bytes"
                       " (ingest/max_document_bytes)", split->member, s_array_name (split),
                       split->value_line, split->value_column, self->max_size);
    if (split->phase == S_WHOLE && split->held_size > self->max_size)
        return s_stop (self, "the document is not a package and is over the limit of %zu"
                       " bytes (ingest/max_document_bytes)", self->max_size);
    if (split->phase == S_TOP || split->phase == S_WHOLE)
        return 0;
    size_t keep = split->item_open && !split->item_skipped? split->item_start: split->scanned;
    if (split->in_string && split->depth == 1 && split->expect_key && split->key_start < keep)
        keep = split->key_start;
    memmove (split->held, split->held + keep, split->held_size - keep);
    split->held_size -= keep;
    split->scanned -= keep;
    split->dropped += keep;
    split->item_start -= split->item_start >= keep? keep: split->item_start;
    split->key_start -= split->key_start >= keep? keep: 0;
    return 0;
}

int
ingest_ocds_push (ingest_ocds_t *self, const void *data, size_t size)
{
    assert (self);
    assert (data || size == 0);
    s_forget (self);
    s_split_t *split = &self->split;
    if (split->held_size == 0 && split->dropped == 0) {
        //  A new document
        self->reason [0] = 0;
        self->package = "";
        s_order_clear (self);
    }
    if (*self->reason)
        return -1;
    if (split->held_size + size > split->held_alloc) {
        size_t alloc = split->held_alloc? split->held_alloc: 65536;
        while (alloc < split->held_size + size)
            alloc *= 2;
        char *held = (char *) realloc (split->held, alloc);
        if (!held)
            return s_stop (self, "out of memory reading the document");
        split->held = held;
        split->held_alloc = alloc;
    }
    if (size)
        memcpy (split->held + split->held_size, data, size);
    split->held_size += size;
    //  A UTF-8 BOM is skipped, once all three bytes are here
    if (split->dropped == 0 && split->scanned == 0 && split->held_size >= 3
    &&  memcmp (split->held, "\xEF\xBB\xBF", 3) == 0) {
        split->scanned = 3;
        split->line_start = 3;
    }
    if (split->dropped == 0 && split->scanned == 0 && split->held_size < 3
    &&  (split->held_size == 0 || memcmp (split->held, "\xEF\xBB\xBF", split->held_size) == 0))
        return 0;
    int rc = s_split (self);
    if (rc == 0 && self->oom)
        rc = s_stop (self, "out of memory reading the document");
    if (rc == 0 && *self->withdrawn)
        rc = s_stop (self, "%s", self->withdrawn);
    return rc;
}

int
ingest_ocds_end (ingest_ocds_t *self)
{
    assert (self);
    s_forget (self);
    s_split_t *split = &self->split;
    int rc = 0;
    if (*self->reason)
        rc = -1;
    else
    if (split->phase == S_TOP || split->phase == S_WHOLE)
        rc = ingest_ocds_parse (self, split->held, split->held_size);
    else
    if (split->phase == S_ITEMS && split->item_open && split->item_skipped)
        rc = s_stop (self, "the document ends inside %s[%zu], which is already over the limit"
                     " of %zu bytes for one %s (ingest/max_document_bytes)", s_array_name (split),
                     split->items, self->max_size, split->records? "record": "release");
    else
    if (split->phase == S_ITEMS && split->item_open)
        rc = s_stop (self, "the document ends inside %s[%zu]", s_array_name (split),
                     split->items);
    else
    if (split->phase == S_ITEMS)
        rc = s_stop (self, "the document ends inside its \"%s\" array, after %zu items",
                     s_array_name (split), split->items);
    else
    if (split->phase == S_REST)
        rc = s_stop (self, "the document ends before the package's closing '}'");
    else
        self->package = split->records? "record package": "release package";
    free (split->held);
    *split = (s_split_t) { .line = 1 };
    s_order_clear (self);
    return rc;
}

void
ingest_ocds_set_warning (ingest_ocds_t *self, sv_csv_error_fn *fn, void *arg)
{
    assert (self);
    self->warning_fn = fn;
    self->warning_arg = arg;
}

const char *
ingest_ocds_reason (ingest_ocds_t *self)
{
    assert (self);
    return self->reason;
}

const char *
ingest_ocds_package (ingest_ocds_t *self)
{
    assert (self);
    return self->package;
}

size_t
ingest_ocds_releases (ingest_ocds_t *self)
{
    assert (self);
    return self->releases;
}

size_t
ingest_ocds_accepted (ingest_ocds_t *self)
{
    assert (self);
    return self->accepted;
}

size_t
ingest_ocds_rejected (ingest_ocds_t *self)
{
    assert (self);
    return self->rejected;
}

size_t
ingest_ocds_contracts (ingest_ocds_t *self)
{
    assert (self);
    return self->contracts.count;
}

const ingest_ocds_contract_t *
ingest_ocds_contract (ingest_ocds_t *self, size_t index)
{
    assert (self);
    return index < self->contracts.count?
           (const ingest_ocds_contract_t *) self->contracts.items + index: NULL;
}

size_t
ingest_ocds_metrics (ingest_ocds_t *self)
{
    assert (self);
    return self->metrics.count;
}

const ingest_ocds_metric_t *
ingest_ocds_metric (ingest_ocds_t *self, size_t index)
{
    assert (self);
    return index < self->metrics.count?
           (const ingest_ocds_metric_t *) self->metrics.items + index: NULL;
}

size_t
ingest_ocds_suppliers (ingest_ocds_t *self)
{
    assert (self);
    return self->suppliers.count;
}

const ingest_ocds_supplier_t *
ingest_ocds_supplier (ingest_ocds_t *self, size_t index)
{
    assert (self);
    return index < self->suppliers.count?
           (const ingest_ocds_supplier_t *) self->suppliers.items + index: NULL;
}

size_t
ingest_ocds_errors (ingest_ocds_t *self)
{
    assert (self);
    return self->errors.count;
}

const ingest_ocds_issue_t *
ingest_ocds_error (ingest_ocds_t *self, size_t index)
{
    assert (self);
    return index < self->errors.count?
           (const ingest_ocds_issue_t *) self->errors.items + index: NULL;
}

size_t
ingest_ocds_skips (ingest_ocds_t *self)
{
    assert (self);
    return self->skips.count;
}

const ingest_ocds_issue_t *
ingest_ocds_skip (ingest_ocds_t *self, size_t index)
{
    assert (self);
    return index < self->skips.count?
           (const ingest_ocds_issue_t *) self->skips.items + index: NULL;
}

size_t
ingest_ocds_warnings (ingest_ocds_t *self)
{
    assert (self);
    return self->warnings.count;
}

const ingest_ocds_issue_t *
ingest_ocds_warning (ingest_ocds_t *self, size_t index)
{
    assert (self);
    return index < self->warnings.count?
           (const ingest_ocds_issue_t *) self->warnings.items + index: NULL;
}


//  --------------------------------------------------------------------------
//  Self test

//  Reads a fixture into a new buffer (not NUL-terminated; *size_p bytes)
static char *
s_fixture (const char *name, size_t *size_p)
{
    char path [256];
    snprintf (path, sizeof path, "tests/fixtures/ocds/%s", name);
    FILE *file = fopen (path, "rb");
    assert (file);
    int rc = fseek (file, 0, SEEK_END);
    assert (rc == 0);
    long size = ftell (file);
    assert (size > 0);
    rewind (file);
    char *data = (char *) malloc ((size_t) size);
    assert (data);
    size_t got = fread (data, 1, (size_t) size, file);
    assert (got == (size_t) size);
    fclose (file);
    *size_p = got;
    return data;
}

//  Returns a new copy of data with the nth (from 1) occurrence of from
//  replaced by to; *size_p is updated.
static char *
s_replaced (const char *data, size_t *size_p, int nth, const char *from, const char *to)
{
    const char *at = data;
    size_t left = *size_p;
    for (int found = 0; found < nth; found++) {
        if (found)
            at++;
        at = (const char *) memmem (at, left - (size_t) (at - data), from, strlen (from));
        assert (at);
    }
    size_t size = *size_p - strlen (from) + strlen (to);
    char *copy = (char *) malloc (size);
    assert (copy);
    size_t head = (size_t) (at - data);
    memcpy (copy, data, head);
    memcpy (copy + head, to, strlen (to));
    memcpy (copy + head + strlen (to), at + strlen (from), *size_p - head - strlen (from));
    *size_p = size;
    return copy;
}

static int
s_parse_text (ingest_ocds_t *ocds, const char *text)
{
    return ingest_ocds_parse (ocds, text, strlen (text));
}

static bool
s_contains (const char *text, const char *part)
{
    return strstr (text, part) != NULL;
}

static int32_t
s_day (const char *iso)
{
    int32_t day;
    int rc = sv_date_parse (iso, &day, NULL);
    assert (rc == 0);
    return day;
}

//  What a reader yielded, kept across calls: one text per kind of record,
//  in the order yielded
typedef struct {
    FILE *files [5];            //  contracts, suppliers, errors, skips, warnings
    char *texts [5];            //  what was written to each, once flushed
    size_t sizes [5];
    size_t releases;
    size_t accepted;
    size_t rejected;
} s_yields_t;

static void
s_yields_init (s_yields_t *yields)
{
    memset (yields, 0, sizeof *yields);
    for (size_t kind = 0; kind < 5; kind++) {
        yields->files [kind] = open_memstream (&yields->texts [kind], &yields->sizes [kind]);
        assert (yields->files [kind]);
    }
}

static void
s_yields_add (s_yields_t *yields, size_t kind, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_yields_add (s_yields_t *yields, size_t kind, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vfprintf (yields->files [kind], format, args);
    va_end (args);
    fflush (yields->files [kind]);
}

//  Adds what ocds yielded in its last call
static void
s_yields_take (s_yields_t *yields, ingest_ocds_t *ocds)
{
    for (size_t index = 0; index < ingest_ocds_contracts (ocds); index++) {
        const ingest_ocds_contract_t *contract = ingest_ocds_contract (ocds, index);
        s_yields_add (yields, 0, "%zu %s %s %" PRId64 " %d-%d %zu %s\n", contract->row,
                      contract->contract_id, contract->title, contract->value_pence,
                      contract->start_date, contract->end_date, contract->supplier_count,
                      contract->supplier_key);
    }
    for (size_t index = 0; index < ingest_ocds_suppliers (ocds); index++) {
        const ingest_ocds_supplier_t *supplier = ingest_ocds_supplier (ocds, index);
        s_yields_add (yields, 1, "%zu %s %s %s %s\n", supplier->row, supplier->key,
                      supplier->name, supplier->companies_house, supplier->postcode);
    }
    const ingest_ocds_issue_t *(*issues [3]) (ingest_ocds_t *, size_t) = {
        ingest_ocds_error, ingest_ocds_skip, ingest_ocds_warning
    };
    size_t (*counts [3]) (ingest_ocds_t *) = {
        ingest_ocds_errors, ingest_ocds_skips, ingest_ocds_warnings
    };
    for (size_t kind = 0; kind < 3; kind++)
        for (size_t index = 0; index < counts [kind] (ocds); index++) {
            const ingest_ocds_issue_t *issue = issues [kind] (ocds, index);
            s_yields_add (yields, kind + 2, "%zu %s '%s' %s\n", issue->row, issue->column,
                          issue->value, issue->reason);
        }
    yields->releases += ingest_ocds_releases (ocds);
    yields->accepted += ingest_ocds_accepted (ocds);
    yields->rejected += ingest_ocds_rejected (ocds);
}

static bool
s_yields_equal (s_yields_t *one, s_yields_t *other)
{
    for (size_t kind = 0; kind < 5; kind++)
        if (one->sizes [kind] != other->sizes [kind]
        ||  memcmp (one->texts [kind], other->texts [kind], one->sizes [kind]) != 0)
            return false;
    return one->releases == other->releases && one->accepted == other->accepted
        && one->rejected == other->rejected;
}

static void
s_yields_destroy (s_yields_t *yields)
{
    for (size_t kind = 0; kind < 5; kind++) {
        fclose (yields->files [kind]);
        free (yields->texts [kind]);
    }
}

//  Pushes size bytes of text step bytes at a time, then ends; returns the
//  end's code and what was yielded, and the most the reader held
static int
s_read_pushed (ingest_ocds_t *ocds, const char *text, size_t size, size_t step,
               s_yields_t *yields, size_t *held_max_p)
{
    s_yields_init (yields);
    int rc = 0;
    size_t held_max = 0;
    for (size_t done = 0; done < size && rc == 0; done += step) {
        rc = ingest_ocds_push (ocds, text + done, done + step > size? size - done: step);
        s_yields_take (yields, ocds);
        if (ocds->split.held_alloc > held_max)
            held_max = ocds->split.held_alloc;
    }
    int end_rc = ingest_ocds_end (ocds);
    s_yields_take (yields, ocds);
    if (rc == 0)
        rc = end_rc;
    if (held_max_p)
        *held_max_p = held_max;
    return rc;
}

//  Pushes prefix, count bytes of fill and suffix, 64 KB at a time, to ocds:
//  returns the code, and in reason_p the reason (borrowed) and in
//  held_max_p the most the reader held
static int
s_read_long (ingest_ocds_t *ocds, const char *prefix, char fill, size_t count,
             const char *suffix, const char **reason_p, size_t *held_max_p)
{
    size_t size = strlen (prefix) + count + strlen (suffix);
    char *text = (char *) malloc (size);
    assert (text);
    memcpy (text, prefix, strlen (prefix));
    memset (text + strlen (prefix), fill, count);
    memcpy (text + strlen (prefix) + count, suffix, strlen (suffix));
    s_yields_t pushed;
    int rc = s_read_pushed (ocds, text, size, 65536, &pushed, held_max_p);
    s_yields_destroy (&pushed);
    free (text);
    *reason_p = ingest_ocds_reason (ocds);
    return rc;
}

//  Reads text whole and in pieces of several sizes: both must yield the
//  same, and the pieces end in the package ingest_ocds_parse found
static void
s_check_pushed (ingest_ocds_t *ocds, const char *text, size_t size)
{
    s_yields_t whole;
    s_yields_init (&whole);
    assert (ingest_ocds_parse (ocds, text, size) == 0);
    s_yields_take (&whole, ocds);
    char package [32];
    snprintf (package, sizeof package, "%s", ingest_ocds_package (ocds));
    size_t steps [] = { 1, 7, 4096, size };
    for (size_t index = 0; index < 4; index++) {
        s_yields_t pushed;
        assert (s_read_pushed (ocds, text, size, steps [index], &pushed, NULL) == 0);
        assert (s_yields_equal (&whole, &pushed));
        assert (streq (ingest_ocds_package (ocds), package));
        s_yields_destroy (&pushed);
    }
    s_yields_destroy (&whole);
}

//  Counts what the warning callback is told, and keeps the last reason
typedef struct {
    size_t count;
    size_t last_row;
    char last_reason [512];
} s_told_t;

static void
s_test_warning (const sv_csv_error_t *warning, void *arg)
{
    s_told_t *told = (s_told_t *) arg;
    told->count++;
    told->last_row = warning->line;
    snprintf (told->last_reason, sizeof told->last_reason, "%s", warning->reason);
}

//  The value in pence of the last contract yielded with contract_id, or -1
static int64_t
s_value_of (ingest_ocds_t *ocds, const char *contract_id)
{
    int64_t pence = -1;
    for (size_t index = 0; index < ingest_ocds_contracts (ocds); index++)
        if (streq (ingest_ocds_contract (ocds, index)->contract_id, contract_id))
            pence = ingest_ocds_contract (ocds, index)->value_pence;
    return pence;
}

void
ingest_ocds_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_ocds: ");

    //  @selftest
    //  A Contracts Finder release package: 10 real releases, 8 of them
    //  awards, 1 tender and 1 planning notice
    size_t size;
    char *package = s_fixture ("contracts_finder_10.json", &size);
    ingest_ocds_t *ocds = ingest_ocds_new (1024 * 1024);
    assert (ocds);
    int rc = ingest_ocds_parse (ocds, package, size);
    assert (rc == 0);
    assert (streq (ingest_ocds_package (ocds), "release package"));
    assert (streq (ingest_ocds_reason (ocds), ""));
    assert (ingest_ocds_releases (ocds) == 10);
    assert (ingest_ocds_accepted (ocds) == 8);
    assert (ingest_ocds_rejected (ocds) == 0);
    assert (ingest_ocds_contracts (ocds) == 8);
    assert (ingest_ocds_suppliers (ocds) == 19);
    assert (ingest_ocds_errors (ocds) == 0);

    //  The tender and the planning notice are skipped, not errors
    assert (ingest_ocds_skips (ocds) == 2);
    const ingest_ocds_issue_t *issue = ingest_ocds_skip (ocds, 0);
    assert (issue->row == 2);
    assert (streq (issue->column, "releases[1].tag"));
    assert (streq (issue->value, "tender"));
    assert (s_contains (issue->reason, "no award or contract"));
    assert (ingest_ocds_skip (ocds, 1)->row == 6);
    assert (streq (ingest_ocds_skip (ocds, 1)->value, "planning"));

    //  The first release: value and period sit on the award
    const ingest_ocds_contract_t *contract = ingest_ocds_contract (ocds, 0);
    assert (contract->row == 1);
    assert (streq (contract->contract_id, "ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1"));
    assert (streq (contract->ocid, "ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30"));
    assert (streq (contract->title, "Parking Pilot - CEO"));
    assert (streq (contract->buyer, "London Borough of Merton"));
    assert (streq (contract->category, "Parking services"));
    assert (streq (contract->category_code, "63712400"));
    assert (streq (contract->status, "active"));
    assert (contract->has_value && contract->value_pence == 9300700);
    assert (streq (contract->currency, "GBP"));
    assert (contract->has_start && contract->start_date == s_day ("2025-01-23"));
    //  "2025-04-23T23:59:59+01:00" ends on the 23rd, as written
    assert (contract->has_end && contract->end_date == s_day ("2025-04-23"));
    assert (streq (contract->release_date, "2025-01-23T22:10:19Z"));
    assert (contract->has_release_day && contract->release_day == s_day ("2025-01-23"));
    assert (contract->supplier_count == 1);
    assert (streq (contract->supplier_keys [0], "NAME:MARSTONS HOLDINGS PLC"));

    //  Its supplier: large, not VCSE, postcode only inside streetAddress
    //  ("Marstons holdings plcnOne America Square, 17 Crosswall, London
    //  EC3N 2LB": the n is a newline that lost its backslash)
    const ingest_ocds_supplier_t *supplier = ingest_ocds_supplier (ocds, 0);
    assert (supplier->row == 1);
    assert (streq (supplier->name, "Marstons holdings plc"));
    assert (streq (supplier->key, "NAME:MARSTONS HOLDINGS PLC"));
    assert (streq (supplier->companies_house, ""));
    assert (streq (supplier->postcode, "EC3N 2LB"));
    assert (streq (supplier->scale, "large"));
    assert (supplier->sme_known && !supplier->sme);
    assert (supplier->vcse_known && !supplier->vcse);

    //  A framework award with 12 SME taxi firms, worth £776,888.48: the
    //  decimal amount is read exactly, from its text
    contract = ingest_ocds_contract (ocds, 3);
    assert (contract->row == 5);
    assert (contract->value_pence == 77688848);
    assert (contract->start_date == s_day ("2024-09-01"));
    assert (contract->end_date == s_day ("2025-08-19"));
    assert (contract->supplier_count == 12);
    //  GB-COH-4142000 is Companies House 04142000, padded to 8
    assert (streq (contract->supplier_keys [0], "CH:04142000"));
    //  ... but the one value is not any one firm's: no supplier holds it
    assert (streq (contract->supplier_key, ""));
    supplier = ingest_ocds_supplier (ocds, 3);
    assert (supplier->row == 5);
    assert (streq (supplier->name, "24x7"));
    assert (streq (supplier->party_id, "GB-COH-4142000"));
    assert (streq (supplier->companies_house, "04142000"));
    assert (streq (supplier->key, "CH:04142000"));
    assert (supplier->sme_known && supplier->sme);
    assert (streq (supplier->postcode, "CM6 2JN"));
    assert (ingest_ocds_contract (ocds, 5)->value_pence == 91823060);     //  918230.6
    assert (ingest_ocds_contract (ocds, 6)->value_pence == 0);            //  0

    //  Which says so, naming the award's suppliers
    assert (ingest_ocds_warnings (ocds) == 2);
    issue = ingest_ocds_warning (ocds, 0);
    assert (issue->row == 5);
    assert (streq (issue->column, "releases[4].awards[0].suppliers"));
    assert (streq (issue->value, "12 suppliers"));
    assert (s_contains (issue->reason, "kept without a supplier"));

    //  A 9-digit "Companies House number" is set aside with a warning; the
    //  supplier stays, keyed by its name (never by its party id)
    issue = ingest_ocds_warning (ocds, 1);
    assert (issue->row == 7);
    assert (streq (issue->column, "releases[6].parties[1].identifier.id"));
    assert (streq (issue->value, "458577871"));
    assert (streq (issue->reason, "not a Companies House number: more than 8 characters"));
    supplier = ingest_ocds_supplier (ocds, 15);
    assert (supplier->row == 7);
    assert (streq (supplier->companies_house, ""));
    assert (streq (supplier->key, "NAME:NOMINET UK"));

    //  A release with an amount of three decimals is a row error; the
    //  other nine go on
    size_t bad_size = size;
    char *bad = s_replaced (package, &bad_size, 2, "\"amount\": 24125.75,",
                            "\"amount\": 24125.755,");
    rc = ingest_ocds_parse (ocds, bad, bad_size);
    assert (rc == 0);
    assert (ingest_ocds_releases (ocds) == 10);
    assert (ingest_ocds_accepted (ocds) == 7);
    assert (ingest_ocds_skips (ocds) == 2);
    assert (ingest_ocds_rejected (ocds) == 1);
    assert (ingest_ocds_contracts (ocds) == 7);
    assert (ingest_ocds_suppliers (ocds) == 18);
    assert (ingest_ocds_errors (ocds) == 1);
    issue = ingest_ocds_error (ocds, 0);
    assert (issue->row == 4);
    assert (streq (issue->column, "releases[3].awards[0].value.amount"));
    assert (streq (issue->value, "24125.755"));
    assert (streq (issue->reason, "more than two decimal places"));
    assert (ingest_ocds_contract (ocds, 2)->row == 5);
    free (bad);

    //  A document cut short is refused whole, with where jansson stopped
    bad_size = 1000;
    rc = ingest_ocds_parse (ocds, package, bad_size);
    assert (rc == -1);
    assert (s_contains (ingest_ocds_reason (ocds), "not JSON: "));
    assert (s_contains (ingest_ocds_reason (ocds), " at line 22, column "));
    assert (streq (ingest_ocds_package (ocds), ""));
    assert (ingest_ocds_releases (ocds) == 0);
    assert (ingest_ocds_contracts (ocds) == 0);
    assert (ingest_ocds_suppliers (ocds) == 0);
    free (package);

    //  A lone tender release: read, nothing to take, skipped
    package = s_fixture ("southyorks_Release24_tender.json", &size);
    rc = ingest_ocds_parse (ocds, package, size);
    assert (rc == 0);
    assert (streq (ingest_ocds_package (ocds), "release"));
    assert (ingest_ocds_releases (ocds) == 1);
    assert (ingest_ocds_contracts (ocds) == 0);
    assert (ingest_ocds_skips (ocds) == 1);
    assert (streq (ingest_ocds_skip (ocds, 0)->column, "tag"));
    free (package);

    //  A lone award release; the supplier's streetAddress runs its lines
    //  together, so no postcode is claimed for it here
    package = s_fixture ("southyorks_Release116_award.json", &size);
    rc = ingest_ocds_parse (ocds, package, size);
    assert (rc == 0);
    assert (ingest_ocds_contracts (ocds) == 1);
    contract = ingest_ocds_contract (ocds, 0);
    assert (contract->value_pence == 140000000);
    assert (contract->start_date == s_day ("2025-04-01"));
    assert (contract->end_date == s_day ("2027-04-30"));
    assert (streq (contract->category, "Surface dressing"));
    assert (ingest_ocds_suppliers (ocds) == 1);
    assert (streq (ingest_ocds_supplier (ocds, 0)->name, "Kiely Bros. Ltd"));
    free (package);

    //  The OCDS sample: value and period on contracts[]; the identifier's
    //  id "11111111.0", a spreadsheet's float, is Companies House 11111111
    package = s_fixture ("ocds-213czf-000-00001-05-contract.json", &size);
    rc = ingest_ocds_parse (ocds, package, size);
    assert (rc == 0);
    assert (ingest_ocds_contracts (ocds) == 1);
    contract = ingest_ocds_contract (ocds, 0);
    assert (streq (contract->contract_id, "ocds-213czf-000-00001-contract-01"));
    assert (streq (contract->award_id, "ocds-213czf-000-00001-award-01"));
    assert (streq (contract->title, "Contract to build new cycle lanes in the centre of town."));
    assert (contract->value_pence == 1100000000);
    assert (contract->start_date == s_day ("2010-07-01"));
    assert (contract->end_date == s_day ("2011-06-30"));
    assert (contract->supplier_count == 1);
    assert (streq (contract->supplier_keys [0], "CH:11111111"));
    assert (ingest_ocds_suppliers (ocds) == 1);
    supplier = ingest_ocds_supplier (ocds, 0);
    assert (streq (supplier->companies_house, "11111111"));
    assert (streq (supplier->postcode, "AA1 1AA"));
    assert (!supplier->sme_known && !supplier->vcse_known);
    assert (ingest_ocds_warnings (ocds) == 0);
    free (package);

    //  The same process as a record package: its compiledRelease, once
    package = s_fixture ("ocds-213czf-000-00001.json", &size);
    rc = ingest_ocds_parse (ocds, package, size);
    assert (rc == 0);
    assert (streq (ingest_ocds_package (ocds), "record package"));
    assert (ingest_ocds_releases (ocds) == 1);
    assert (ingest_ocds_contracts (ocds) == 1);
    assert (ingest_ocds_contract (ocds, 0)->value_pence == 1100000000);
    assert (ingest_ocds_suppliers (ocds) == 1);
    free (package);

    //  Each kind of row error rejects its own release only
    rc = s_parse_text (ocds,
        "{\"releases\": ["
        //  1: exponent amount, numeric award id, Scottish company number
        " {\"ocid\": \"x-1\", \"n\": [1, 2.5],"
        "  \"awards\": [{\"id\": 7, \"value\": {\"currency\": \"GBP\", \"amount\": 1.5e6},"
        "    \"suppliers\": [{\"id\": \"GB-COH-sc53003\", \"name\": \"Scot Ltd\"}]}]},"
        //  2: not in pounds
        " {\"ocid\": \"x-2\", \"awards\": [{\"id\": \"a\","
        "    \"value\": {\"amount\": 10, \"currency\": \"EUR\"}}]},"
        //  3: ends before it starts (the string amount is fine)
        " {\"ocid\": \"x-3\", \"awards\": [{\"id\": \"b\","
        "    \"value\": {\"amount\": \"1,234.56\", \"currency\": \"GBP\"},"
        "    \"contractPeriod\": {\"startDate\": \"2025-04-01\", \"endDate\": \"2025-03-31\"}}]},"
        //  4: a cancelled award is no contract
        " {\"ocid\": \"x-4\", \"awards\": [{\"id\": \"c\", \"status\": \"cancelled\"}]},"
        //  5: too large for int64 pence (not a whole-document error)
        " {\"ocid\": \"x-5\", \"contracts\": [{\"id\": \"k\","
        "    \"value\": {\"amount\": 99999999999999999999, \"currency\": \"GBP\"}}]},"
        //  6: not a release
        " \"release six\","
        //  7: contract linked to its award by awardID; supplier by name only
        " {\"ocid\": \"x-7\", \"contracts\": [{\"id\": \"k7\", \"awardID\": \"w2\","
        "    \"value\": {\"amount\": 0.1, \"currency\": \"gbp\"},"
        "    \"period\": {\"startDate\": \"2025-04-01\"}}],"
        "  \"awards\": [{\"id\": \"w1\"}, {\"id\": \"w2\", \"suppliers\": [{\"name\": \" Jo  bloggs \"}]}]},"
        //  8: no such date
        " {\"ocid\": \"x-8\", \"awards\": [{\"id\": \"d\", \"value\": {\"amount\": 2500, \"currency\": \"GBP\"},"
        "    \"contractPeriod\": {\"startDate\": \"31/02/2025\"}}]}"
        "]}");
    assert (rc == 0);
    assert (ingest_ocds_releases (ocds) == 8);
    assert (ingest_ocds_accepted (ocds) == 2);
    assert (ingest_ocds_skips (ocds) == 1);
    assert (ingest_ocds_rejected (ocds) == 5);
    assert (ingest_ocds_errors (ocds) == 5);
    contract = ingest_ocds_contract (ocds, 0);
    assert (streq (contract->contract_id, "7"));
    assert (contract->value_pence == 150000000);
    assert (!contract->has_start && !contract->has_end);
    assert (streq (contract->supplier_keys [0], "CH:SC053003"));
    issue = ingest_ocds_error (ocds, 0);
    assert (issue->row == 2);
    assert (streq (issue->column, "releases[1].awards[0].value.currency"));
    assert (streq (issue->value, "EUR"));
    issue = ingest_ocds_error (ocds, 1);
    assert (issue->row == 3);
    assert (streq (issue->column, "releases[2].awards[0].contractPeriod.endDate"));
    assert (streq (issue->value, "2025-04-01 to 2025-03-31"));
    assert (streq (issue->reason, "the contract ends before it starts"));
    issue = ingest_ocds_skip (ocds, 0);
    assert (issue->row == 4);
    assert (streq (issue->column, "releases[3].awards"));
    issue = ingest_ocds_error (ocds, 2);
    assert (issue->row == 5);
    assert (streq (issue->column, "releases[4].contracts[0].value.amount"));
    assert (streq (issue->value, "99999999999999999999"));
    assert (streq (issue->reason, "amount too large"));
    issue = ingest_ocds_error (ocds, 3);
    assert (issue->row == 6);
    assert (streq (issue->column, "releases[5]"));
    assert (streq (issue->value, "release six"));
    contract = ingest_ocds_contract (ocds, 1);
    assert (contract->row == 7);
    assert (streq (contract->contract_id, "k7") && streq (contract->award_id, "w2"));
    assert (contract->value_pence == 10);
    assert (contract->has_start && contract->start_date == s_day ("2025-04-01"));
    assert (!contract->has_end);
    assert (contract->supplier_count == 1);
    assert (streq (contract->supplier_keys [0], "NAME:JO BLOGGS"));
    issue = ingest_ocds_error (ocds, 4);
    assert (issue->row == 8);
    assert (streq (issue->column, "releases[7].awards[0].contractPeriod.startDate"));
    assert (streq (issue->value, "31/02/2025"));
    assert (streq (issue->reason, "no such day in that month"));
    assert (ingest_ocds_suppliers (ocds) == 2);

    //  Amounts in every JSON spelling, exact or refused
    const char *amounts [][2] = {
        { "12.50000", "1250" }, { "2E-2", "2" }, { "-0", "0" }, { "0.0e10", "0" },
        { "1.2345e2", "12345" }, { "4e16", "4000000000000000000" },
        { "1.005", "more than two decimal places" }, { "1e-3", "more than two decimal places" },
        { "1e100", "amount too large" }, { "-5", "a contract value cannot be negative" },
        { "\"12.5\"", "1250" }, { "\"1e5\"", "exponent notation not allowed" },
        { "true", "not a number" }
    };
    for (size_t index = 0; index < sizeof amounts / sizeof amounts [0]; index++) {
        char text [256];
        snprintf (text, sizeof text, "{\"ocid\": \"a\", \"awards\": [{\"id\": \"1\", "
                  "\"value\": {\"amount\": %s, \"currency\": \"GBP\"}}]}", amounts [index][0]);
        rc = s_parse_text (ocds, text);
        assert (rc == 0);
        char pence [32] = "";
        if (ingest_ocds_contracts (ocds) == 1)
            snprintf (pence, sizeof pence, "%lld",
                      (long long) ingest_ocds_contract (ocds, 0)->value_pence);
        const char *outcome = ingest_ocds_errors (ocds)? ingest_ocds_error (ocds, 0)->reason: pence;
        assert (streq (outcome, amounts [index][1]));
    }

    //  Values with and without VAT (the UK extension's amountGross, and
    //  amountNet): the value is the amount net of VAT, never the gross; a
    //  gross alone leaves no value, with a warning naming it; amounts that
    //  contradict each other are refused, naming the field
    const char *vat [][3] = {
        { "\"amount\": 100000, \"amountGross\": 120000", "10000000", "" },
        { "\"amountGross\": 120000", "no value", "awards[0].value.amountGross" },
        { "\"amountNet\": 100000", "10000000", "" },
        { "\"amount\": 100000, \"amountNet\": \"100000.00\"", "10000000", "" },
        { "\"amount\": 120000, \"amountNet\": 100000",
          "amountNet differs from amount", "awards[0].value.amountNet" },
        { "\"amount\": 120000, \"amountGross\": 100000",
          "amountGross (with VAT) is below", "awards[0].value.amountGross" },
        { "\"amount\": 1, \"amountGross\": \"1.234\"",
          "more than two decimal places", "awards[0].value.amountGross" }
    };
    for (size_t index = 0; index < sizeof vat / sizeof vat [0]; index++) {
        char text [256];
        snprintf (text, sizeof text, "{\"ocid\": \"a\", \"date\": \"2025-01-01T00:00:00Z\","
                  " \"awards\": [{\"id\": \"1\", \"value\": {%s, \"currency\": \"GBP\"}}]}",
                  vat [index][0]);
        rc = s_parse_text (ocds, text);
        assert (rc == 0);
        char outcome [64] = "";
        const ingest_ocds_issue_t *named = NULL;
        if (ingest_ocds_errors (ocds)) {
            named = ingest_ocds_error (ocds, 0);
            snprintf (outcome, sizeof outcome, "%s", named->reason);
            assert (ingest_ocds_contracts (ocds) == 0);
        }
        else {
            assert (ingest_ocds_contracts (ocds) == 1);
            contract = ingest_ocds_contract (ocds, 0);
            if (contract->has_value)
                snprintf (outcome, sizeof outcome, "%lld", (long long) contract->value_pence);
            else
                snprintf (outcome, sizeof outcome, "no value");
            if (ingest_ocds_warnings (ocds))
                named = ingest_ocds_warning (ocds, 0);
        }
        assert (s_contains (outcome, vat [index][1]));
        assert (streq (named? named->column: "", vat [index][2]));
    }

    //  Documents refused whole
    const char *refused [][2] = {
        { "", "the document is empty" },
        { " \r\n", "the document is empty" },
        { "\x01\x02garbage\xff", "not JSON: " },
        { "{\"releases\": [], \"releases\": []}", "duplicate object key" },
        { "[{\"ocid\": \"x\"}]", "not OCDS: the document is an array" },
        { "{\"name\": \"a spend file\"}", "not OCDS: the document has no" },
        { "{\"releases\": {}}", "\"releases\" is an object" },
        { "{\"records\": 5}", "\"records\" is a number" },
        { "\"ocid\"", "not OCDS: the document is a string" },
        { "{\"ocid\": \"a\\u0000b\"}", "not JSON: " },
        { "{\"ocid\": 1e400}", "not JSON: " }
    };
    for (size_t index = 0; index < sizeof refused / sizeof refused [0]; index++) {
        rc = s_parse_text (ocds, refused [index][0]);
        assert (rc == -1);
        assert (s_contains (ingest_ocds_reason (ocds), refused [index][1]));
        assert (ingest_ocds_releases (ocds) == 0);
    }
    //  Nesting: 64 levels are read (and refused as not OCDS), 65 are not
    char nested [2 * (INGEST_OCDS_MAX_DEPTH + 1) + 1];
    memset (nested, '[', INGEST_OCDS_MAX_DEPTH);
    memset (nested + INGEST_OCDS_MAX_DEPTH, ']', INGEST_OCDS_MAX_DEPTH);
    nested [2 * INGEST_OCDS_MAX_DEPTH] = 0;
    rc = s_parse_text (ocds, nested);
    assert (rc == -1);
    assert (s_contains (ingest_ocds_reason (ocds), "not OCDS"));
    memset (nested, '[', INGEST_OCDS_MAX_DEPTH + 1);
    memset (nested + INGEST_OCDS_MAX_DEPTH + 1, ']', INGEST_OCDS_MAX_DEPTH + 1);
    nested [2 * (INGEST_OCDS_MAX_DEPTH + 1)] = 0;
    rc = s_parse_text (ocds, nested);
    assert (rc == -1);
    assert (streq (ingest_ocds_reason (ocds),
                   "the document nests deeper than 64 levels at line 1, column 65"));
    //  Brackets inside strings are text, not nesting
    rc = s_parse_text (ocds, "{\"ocid\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                             "[[[[[[[[[[[[[[[[[[[[[\\\"\", \"tag\": [\"planning\"]}");
    assert (rc == 0);
    assert (ingest_ocds_skips (ocds) == 1);
    ingest_ocds_destroy (&ocds);
    assert (ocds == NULL);
    ingest_ocds_destroy (&ocds);

    //  The caller's size limit, and a UTF-8 BOM
    ocds = ingest_ocds_new (100);
    assert (ocds);
    const char *small = "\xEF\xBB\xBF{\"ocid\": \"b\", \"awards\": [{\"id\": \"1\"}]}";
    rc = s_parse_text (ocds, small);
    assert (rc == 0);
    assert (ingest_ocds_contracts (ocds) == 1);
    assert (!ingest_ocds_contract (ocds, 0)->has_value);
    assert (ingest_ocds_contract (ocds, 1) == NULL);
    char large [101];
    memset (large, ' ', sizeof large);
    rc = ingest_ocds_parse (ocds, large, sizeof large);
    assert (rc == -1);
    assert (streq (ingest_ocds_reason (ocds),
                   "the document is 101 bytes, over the limit of 100 bytes"));
    ingest_ocds_destroy (&ocds);

    //  Read as they arrive, in pieces of 1, 7 and 4096 bytes and whole,
    //  packages of every kind yield what they yield read whole: the 201
    //  Contracts Finder releases, a record package, lone releases
    const char *documents [] = {
        "contracts_finder_releases_201.json", "contracts_finder_10.json",
        "ocds-213czf-000-00001.json", "ocds-213czf-000-00001-05-contract.json",
        "southyorks_Release116_award.json", "contracts_finder_newest_first.json",
        "party_ids_per_release.json", "frameworks_009_first_direct_calloff.json",
        "frameworks_multi_buyer_004_second_call-off.json",
        "contracts_finder_2022_search_page.json", "ocds-213czf-000-00001-04-award.json",
        "ocds_contract_amendment.json", "ocds_sample_award_contract_amendment.json"
    };
    ocds = ingest_ocds_new (1024 * 1024);
    for (size_t index = 0; index < sizeof documents / sizeof documents [0]; index++) {
        package = s_fixture (documents [index], &size);
        s_check_pushed (ocds, package, size);
        free (package);
    }
    //  and packages whose items are not all releases, with other members
    //  around the array and a BOM
    const char *shapes [] = {
        "\xEF\xBB\xBF{\"uri\": \"x\", \"publisher\": {\"name\": \"[{\\\"\"},"
        " \"releases\": [1, \"two\", null, [], {\"ocid\": \"ocds-1\", \"tag\": [\"award\"],"
        " \"awards\": [{\"id\": \"A1\", \"value\": {\"amount\": 1e3, \"currency\": \"GBP\"}}]}],"
        " \"extensions\": [\"releases\"], \"version\": \"1.1\"}\n",
        "{\"records\": [{\"ocid\": \"ocds-2\", \"compiledRelease\": {\"ocid\": \"ocds-2\","
        " \"contracts\": [{\"id\": \"C\", \"value\": {\"amount\": 12.5, \"currency\": \"GBP\"}}]}},"
        " {\"ocid\": \"ocds-3\"}, 7]}",
        "{\"releases\": []}", "  {\"uri\": 1}  ", "{\"ocid\": \"ocds-4\", \"releases\": {}}",
    };
    for (size_t index = 0; index < 5; index++) {
        if (index < 2)
            s_check_pushed (ocds, shapes [index], strlen (shapes [index]));
        else {
            //  refused whole, read either way, for the same reason
            assert (ingest_ocds_parse (ocds, shapes [index], strlen (shapes [index])) == (index == 2? 0: -1));
            char reason [sizeof ocds->reason];
            snprintf (reason, sizeof reason, "%s", ingest_ocds_reason (ocds));
            s_yields_t pushed;
            assert (s_read_pushed (ocds, shapes [index], strlen (shapes [index]), 3,
                                   &pushed, NULL) == (index == 2? 0: -1));
            assert (streq (ingest_ocds_reason (ocds), reason));
            s_yields_destroy (&pushed);
        }
    }

    //  An item that is not JSON is its row's error, and the rows after it
    //  go on; a document cut short is refused after what it completed
    const char *broken =
        "{\"releases\": [{\"ocid\": \"ocds-5\", \"contracts\": [{\"id\": \"C5\"}]},\n"
        "  {\"ocid\": \"ocds-6\", \"contracts\": [{\"id\": \"C6\", oops}]},\n"
        "  {\"ocid\": \"ocds-7\", \"contracts\": [{\"id\": \"C7\"}]},\n"
        "  {\"ocid\": \"ocds-8\", \"contr";
    s_yields_t pushed;
    assert (s_read_pushed (ocds, broken, strlen (broken), 10, &pushed, NULL) == -1);
    assert (streq (ingest_ocds_reason (ocds), "the document ends inside releases[3]"));
    assert (pushed.releases == 3 && pushed.accepted == 2 && pushed.rejected == 1);
    if (verbose)
        printf ("\n   %s", pushed.texts [2]);
    assert (s_contains (pushed.texts [2],
                        "2 releases[1] '' not JSON: string or '}' expected near 'oops'"
                        " at line 2, column 52"));
    s_yields_destroy (&pushed);
    //  Nor are a missing comma, a trailing one, a second array or more
    //  after the package taken
    const char *malformed [] = {
        "{\"releases\": [{} {}]}", "{\"releases\": [{},]}",
        "{\"releases\": [], \"records\": []}", "{\"releases\": []} x",
        "{\"releases\": []]"
    };
    const char *reasons [] = {
        "not JSON: '{' where releases[1] was expected at line 1, column 18",
        "not JSON: ']' where releases[1] was expected at line 1, column 18",
        "not OCDS: the package has a second \"releases\" or \"records\" at line 1",
        "not JSON: 'x' after the end of the package at line 1, column 18",
        "not JSON: ']' closes the package at line 1, column 16"
    };
    //  Reasons quote the input only as printable UTF-8: a byte that is not
    //  comes out as '?' in a refusal, and is named in a row's error
    const char *unprintable = "{\"releases\": [{\"ocid\": \"a\" \xFF}, {}]} \x01";
    assert (s_read_pushed (ocds, unprintable, strlen (unprintable), 5, &pushed, NULL) == -1);
    assert (streq (ingest_ocds_reason (ocds),
                   "not JSON: '?' after the end of the package at line 1, column 37"));
    assert (s_contains (pushed.texts [2], "1 releases[0] '' not JSON: unable to decode byte 0xff"
                                          " at line 1, column 27"));
    s_yields_destroy (&pushed);
    for (size_t index = 0; index < 5; index++) {
        assert (s_read_pushed (ocds, malformed [index], strlen (malformed [index]), 2,
                               &pushed, NULL) == -1);
        assert (streq (ingest_ocds_reason (ocds), reasons [index]));
        s_yields_destroy (&pushed);
    }

    //  A package many times the size limit is read holding one item at a
    //  time; an item over the limit is its row's error, let go unread
    package = s_fixture ("contracts_finder_10.json", &size);
    ingest_ocds_destroy (&ocds);
    json_t *root = json_loadb (package, size, 0, NULL);
    assert (root);
    char *first = json_dumps (json_array_get (json_object_get (root, "releases"), 0), 0);
    assert (first);
    json_decref (root);
    size_t release_size = strlen (first);
    size_t big_size = 40 + 2000 * (release_size + 2);
    char *big = (char *) malloc (big_size);
    assert (big);
    size_t used = (size_t) snprintf (big, big_size, "{\"releases\": [");
    for (int index = 0; index < 2000; index++) {
        memcpy (big + used, first, release_size);
        used += release_size;
        if (index < 1999)
            big [used++] = ',';
    }
    used += (size_t) snprintf (big + used, big_size - used, "]}");
    ocds = ingest_ocds_new (64 * 1024);
    size_t held_max;
    assert (s_read_pushed (ocds, big, used, 65536, &pushed, &held_max) == 0);
    if (verbose)
        printf ("   %zu releases in %zu bytes read holding at most %zu bytes\n",
                pushed.releases, used, held_max);
    assert (pushed.releases == 2000 && held_max <= 4 * 65536);
    s_yields_destroy (&pushed);
    ingest_ocds_destroy (&ocds);
    ocds = ingest_ocds_new (release_size - 1);
    assert (s_read_pushed (ocds, big, used, 65536, &pushed, &held_max) == 0);
    assert (pushed.releases == 2000 && pushed.rejected == 2000 && held_max <= 4 * 65536);
    assert (s_contains (pushed.texts [2], "2000 releases[1999] '' over the limit of"));
    s_yields_destroy (&pushed);
    ingest_ocds_destroy (&ocds);
    free (big);
    free (first);
    free (package);

    //  No key or value is held past the limit, wherever it is in the
    //  package: 1 MB of one, never ended, pushed to a reader whose limit is
    //  64 KB, is refused naming it, the reader holding at most a few times
    //  the limit. The first is a partner's attack: 200 MB of a key after
    //  the array once grew ingest by 207 MB
    struct {
        const char *prefix;
        char fill;
        const char *suffix;
        const char *reason;
    } longs [] = {
        { "{\"releases\": [], \"", 'A', "",
          "a key of the package after its \"releases\" array, starting at line 1, column 18,"
          " is over the limit of 65536 bytes (ingest/max_document_bytes)" },
        { "{\"records\": [],\n \"uri\": \"", 'A', "\"}",
          "the value of \"uri\" after the package's \"records\" array, starting at line 2,"
          " column 9, is over the limit of 65536 bytes (ingest/max_document_bytes)" },
        { "{\"releases\": [], \"extensions\": [1", '1', "",
          "the value of \"extensions\" after the package's \"releases\" array, starting at"
          " line 1, column 32, is over the limit of 65536 bytes (ingest/max_document_bytes)" },
        { "{\"releases\": [], \"version\": 1", '0', "}",
          "the value of \"version\" after the package's \"releases\" array, starting at"
          " line 1, column 29, is over the limit of 65536 bytes (ingest/max_document_bytes)" },
        { "{\"", 'A', "",
          "the document is over the limit of 65536 bytes before its \"releases\" or"
          " \"records\" (ingest/max_document_bytes), in a key that starts at line 1,"
          " column 2" },
        { "{\"publisher\": {\"name\": \"", 'A', "\"}, \"releases\": []}",
          "the document is over the limit of 65536 bytes before its \"releases\" or"
          " \"records\" (ingest/max_document_bytes), in the value of \"publisher\" that"
          " starts at line 1, column 15" },
        { "{\"releases\": [{\"", 'A', "", "the document ends inside releases[0], which is"
          " already over the limit of 65536 bytes for one release (ingest/max_document_bytes)" },
        { "[\"", 'A', "", "the document is not a package and is over the limit of 65536"
          " bytes (ingest/max_document_bytes)" },
    };
    ocds = ingest_ocds_new (64 * 1024);
    for (size_t index = 0; index < sizeof longs / sizeof longs [0]; index++) {
        const char *reason;
        rc = s_read_long (ocds, longs [index].prefix, longs [index].fill, 1 << 20,
                          longs [index].suffix, &reason, &held_max);
        if (verbose)
            printf ("   held at most %zu bytes: %s\n", held_max, reason);
        assert (rc == -1 && streq (reason, longs [index].reason));
        assert (held_max <= 4 * 65536);
    }
    //  What is under the limit after the array is let go unheld, and read
    const char *after = "{\"releases\": [], \"uri\": \"";
    const char *reason;
    assert (s_read_long (ocds, after, 'A', 65000, "\"}", &reason, &held_max) == 0);
    assert (streq (reason, "") && held_max <= 2 * 65536);
    ingest_ocds_destroy (&ocds);

    //  Releases of one ocid in date order, the latest winning: Contracts
    //  Finder lists the newest first. Four real pairs, each an
    //  awardUpdate before the award or update it replaces; in the last,
    //  PwC's award was first published at £10,932,000 and corrected six
    //  minutes later to £109,320
    ocds = ingest_ocds_new (1024 * 1024);
    s_told_t told = { 0 };
    ingest_ocds_set_warning (ocds, s_test_warning, &told);
    package = s_fixture ("contracts_finder_newest_first.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    assert (ingest_ocds_releases (ocds) == 8);
    assert (ingest_ocds_accepted (ocds) == 4);
    assert (ingest_ocds_skips (ocds) == 4);
    assert (ingest_ocds_contracts (ocds) == 4);
    const char *pwc = "ocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34-1";
    assert (s_value_of (ocds, pwc) == 10932000);
    for (size_t index = 0; index < 4; index++) {
        issue = ingest_ocds_skip (ocds, index);
        assert (issue->row == 2 * index + 2);
        assert (s_contains (issue->reason, "is older than release"));
    }
    if (verbose)
        printf ("\n   %s\n", issue->reason);
    assert (streq (issue->column, "releases[7].date"));
    assert (streq (issue->reason, "release '02d6ce8b-83f0-4993-869c-c177d2efbd52-832939' of"
                   " 2025-03-11T10:01:01Z is older than release"
                   " '02d6ce8b-83f0-4993-869c-c177d2efbd52-832942' of 2025-03-11T10:07:26Z of"
                   " the same ocid; not applied"));
    //  Every skip was told to the warning callback as it was found
    assert (told.count == 4 && told.last_row == 8);
    assert (streq (told.last_reason, issue->reason));
    //  Read again, the document yields the same: the order is per document
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    assert (ingest_ocds_contracts (ocds) == 4 && s_value_of (ocds, pwc) == 10932000);
    free (package);

    //  The same two releases of PwC's award oldest first: each is applied
    //  in turn, and the last one, the latest, wins
    const char *oldest_first =
        "{\"releases\": ["
        " {\"ocid\": \"ocds-p\", \"id\": \"p-832939\", \"date\": \"2025-03-11T10:01:01Z\","
        "  \"awards\": [{\"id\": \"p-1\", \"value\": {\"amount\": 10932000, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"ocds-p\", \"id\": \"p-832942\", \"date\": \"2025-03-11T10:07:26Z\","
        "  \"awards\": [{\"id\": \"p-1\", \"value\": {\"amount\": 109320, \"currency\": \"GBP\"}}]}"
        "]}";
    assert (s_parse_text (ocds, oldest_first) == 0);
    assert (ingest_ocds_contracts (ocds) == 2 && ingest_ocds_skips (ocds) == 0);
    assert (ingest_ocds_contract (ocds, 1)->value_pence == 10932000);

    //  Dates are compared as instants, zones applied; dates that may name
    //  the same moment, and releases without a date, cannot be put in
    //  order, so the release applied first stands
    const char *dates =
        "{\"releases\": ["
        //  1: 10:07:26 in UTC+1 is 09:07:26Z, before 2's 09:30Z: set aside
        " {\"ocid\": \"z\", \"id\": \"z-2\", \"date\": \"2025-03-11T09:30:00Z\","
        "  \"awards\": [{\"id\": \"z\", \"value\": {\"amount\": 2, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"z\", \"id\": \"z-1\", \"date\": \"2025-03-11T10:07:26+01:00\","
        "  \"awards\": [{\"id\": \"z\", \"value\": {\"amount\": 1, \"currency\": \"GBP\"}}]},"
        //  3, 4: the same release twice
        " {\"ocid\": \"s\", \"id\": \"s-1\", \"date\": \"2025-03-11T09:30:00Z\","
        "  \"awards\": [{\"id\": \"s\", \"value\": {\"amount\": 3, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"s\", \"id\": \"s-1\", \"date\": \"2025-03-11T09:30:00Z\","
        "  \"awards\": [{\"id\": \"s\", \"value\": {\"amount\": 3, \"currency\": \"GBP\"}}]},"
        //  5, 6: no zone, so within hours of 5 it cannot be ordered
        " {\"ocid\": \"n\", \"id\": \"n-1\", \"date\": \"2025-03-11T10:01:01Z\","
        "  \"awards\": [{\"id\": \"n\", \"value\": {\"amount\": 5, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"n\", \"id\": \"n-2\", \"date\": \"2025-03-11T10:07:26\","
        "  \"awards\": [{\"id\": \"n\", \"value\": {\"amount\": 6, \"currency\": \"GBP\"}}]},"
        //  7, 8: a dated release wins over an undated one, before or after it
        " {\"ocid\": \"u\", \"id\": \"u-1\","
        "  \"awards\": [{\"id\": \"u\", \"value\": {\"amount\": 7, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"u\", \"id\": \"u-2\", \"date\": \"2025-03-11\","
        "  \"awards\": [{\"id\": \"u\", \"value\": {\"amount\": 8, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"v\", \"id\": \"v-2\", \"date\": \"2025-03-11\","
        "  \"awards\": [{\"id\": \"v\", \"value\": {\"amount\": 9, \"currency\": \"GBP\"}}]},"
        " {\"ocid\": \"v\", \"id\": \"v-1\","
        "  \"awards\": [{\"id\": \"v\", \"value\": {\"amount\": 10, \"currency\": \"GBP\"}}]},"
        //  11: a tender of an ocid takes no part
        " {\"ocid\": \"v\", \"id\": \"v-0\", \"date\": \"2024-01-01\", \"tag\": [\"tender\"]}"
        "]}";
    told.count = 0;
    assert (s_parse_text (ocds, dates) == 0);
    assert (ingest_ocds_releases (ocds) == 11);
    assert (ingest_ocds_accepted (ocds) == 6);
    assert (ingest_ocds_skips (ocds) == 5);
    assert (s_value_of (ocds, "z") == 200 && s_value_of (ocds, "s") == 300);
    assert (s_value_of (ocds, "n") == 500 && s_value_of (ocds, "u") == 800);
    assert (s_value_of (ocds, "v") == 900);
    const char *reasons_of_skips [] = {
        "release 'z-1' of 2025-03-11T10:07:26+01:00 is older than release 'z-2' of"
        " 2025-03-11T09:30:00Z of the same ocid; not applied",
        "release 's-1' of 2025-03-11T09:30:00Z appears again in this document; read once",
        "release 'n-2' of 2025-03-11T10:07:26 cannot be put in order with release 'n-1' of"
        " 2025-03-11T10:01:01Z of the same ocid, applied already: their dates may name the"
        " same moment; not applied",
        "release 'v-1' has no date, so it cannot be put in order with release 'v-2' of"
        " 2025-03-11 of the same ocid, applied already; not applied",
        "no award or contract in this release (a tender, planning or amendment notice)"
    };
    for (size_t index = 0; index < 5; index++)
        assert (streq (ingest_ocds_skip (ocds, index)->reason, reasons_of_skips [index]));
    //  The undated release applied first is a warning
    assert (ingest_ocds_warnings (ocds) == 1);
    issue = ingest_ocds_warning (ocds, 0);
    assert (issue->row == 7 && streq (issue->column, "releases[6].date"));
    assert (s_contains (issue->reason, "has no date: applied"));
    assert (told.count == 6);

    //  Party ids "1" and "2" in two real releases name other organisations
    //  in each: the suppliers are told apart by name, never by the id
    package = s_fixture ("party_ids_per_release.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    assert (ingest_ocds_contracts (ocds) == 2);
    assert (streq (ingest_ocds_contract (ocds, 0)->supplier_keys [0],
                   "NAME:ICT SKILL TRAINING LICENCE"));
    assert (streq (ingest_ocds_contract (ocds, 1)->supplier_keys [0],
                   "NAME:ANTHONY COLLINS SOLICITOR LLP"));
    assert (ingest_ocds_suppliers (ocds) == 2);
    assert (streq (ingest_ocds_supplier (ocds, 0)->party_id, "2"));
    assert (streq (ingest_ocds_supplier (ocds, 1)->party_id, "2"));
    free (package);
    //  A party known only by its id within its release is left out
    assert (s_parse_text (ocds, "{\"ocid\": \"i\", \"parties\": [{\"id\": \"1\", \"roles\":"
                                " [\"supplier\"]}], \"awards\": [{\"id\": \"i\","
                                " \"suppliers\": [{\"id\": \"1\"}]}]}") == 0);
    assert (ingest_ocds_suppliers (ocds) == 0);
    assert (ingest_ocds_contract (ocds, 0)->supplier_count == 0);
    assert (ingest_ocds_warnings (ocds) == 2);
    assert (s_contains (ingest_ocds_warning (ocds, 0)->reason, "has no date"));
    assert (s_contains (ingest_ocds_warning (ocds, 1)->reason, "known only by its party id"));
    //  Companies House numbers read by sv_company, as the CSV feeds read
    //  them: SC53003 is SC053003, 00000000 is no number, so the name keys
    assert (s_parse_text (ocds, "{\"ocid\": \"c\", \"date\": \"2025-01-01T00:00:00Z\","
                                " \"parties\": [{\"id\": \"GB-COH-SC53003\", \"name\": \"Scot\","
                                " \"roles\": [\"supplier\"]}, {\"id\": \"GB-COH-00000000\","
                                " \"name\": \"Zero Ltd\", \"roles\": [\"supplier\"]}],"
                                " \"awards\": [{\"id\": \"c\"}]}") == 0);
    assert (streq (ingest_ocds_supplier (ocds, 0)->key, "CH:SC053003"));
    assert (streq (ingest_ocds_supplier (ocds, 1)->key, "NAME:ZERO LTD"));
    assert (streq (ingest_ocds_supplier (ocds, 1)->companies_house, ""));
    assert (ingest_ocds_warnings (ocds) == 0);

    //  A framework's direct call-off names its own supplier (the contract
    //  suppliers extension) among the three the framework's parties list:
    //  the contract is that supplier's, not left without one
    package = s_fixture ("frameworks_009_first_direct_calloff.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    free (package);
    assert (ingest_ocds_contracts (ocds) == 1 && ingest_ocds_suppliers (ocds) == 3);
    contract = ingest_ocds_contract (ocds, 0);
    assert (streq (contract->contract_id, "ocds-r6ebe6-example_framework-contract-01"));
    assert (contract->value_pence == 100000);
    assert (contract->supplier_count == 1 && streq (contract->supplier_key, "NAME:SUPPLIER 1"));
    assert (streq (contract->buyer, "Glasgow City"));
    for (size_t index = 0; index < ingest_ocds_warnings (ocds); index++)
        assert (!s_contains (ingest_ocds_warning (ocds, index)->reason, "several"));
    //  A multi-buyer framework's call-off: the buyer and the supplier are
    //  named on the contract alone (the supplier is a party as a tenderer)
    package = s_fixture ("frameworks_multi_buyer_004_second_call-off.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    free (package);
    assert (ingest_ocds_contracts (ocds) == 1 && ingest_ocds_suppliers (ocds) == 1);
    contract = ingest_ocds_contract (ocds, 0);
    assert (contract->value_pence == 1000000);
    assert (streq (contract->supplier_key, "CH:22222222"));
    assert (streq (ingest_ocds_supplier (ocds, 0)->name, "Valkyrie Office Supplies"));
    assert (streq (contract->buyer, "Glasgow City"));
    //  Several suppliers on the contract beside its one value: none holds it
    assert (s_parse_text (ocds, "{\"ocid\": \"f\", \"date\": \"2019-03-01T00:00:00Z\","
                                " \"contracts\": [{\"id\": \"f-1\", \"suppliers\":"
                                " [{\"name\": \"A Ltd\"}, {\"name\": \"B Ltd\"}],"
                                " \"value\": {\"amount\": 5, \"currency\": \"GBP\"}}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 1 && ingest_ocds_suppliers (ocds) == 2);
    assert (streq (ingest_ocds_contract (ocds, 0)->supplier_key, ""));
    assert (ingest_ocds_warnings (ocds) == 1);
    assert (streq (ingest_ocds_warning (ocds, 0)->column, "contracts[0].suppliers"));
    //  Contracts Finder in 2022 (a search page of one award, BST release
    //  date): £44,341.25 to Bytes Software Services, 01616977
    package = s_fixture ("contracts_finder_2022_search_page.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    free (package);
    assert (ingest_ocds_contracts (ocds) == 1);
    contract = ingest_ocds_contract (ocds, 0);
    assert (contract->value_pence == 4434125 && streq (contract->supplier_key, "CH:01616977"));
    assert (contract->start_date == s_day ("2022-11-17")
            && contract->end_date == s_day ("2024-03-31"));

    //  The OCDS sample's award release, its contract release and the
    //  contract's amendment, in one package oldest first: the contract,
    //  signed for the award its release carries again, is the award's
    //  contract, under the award's id, as is its amendment: one contract,
    //  not £11m, £11m and £13.5m
    package = s_fixture ("ocds_sample_award_contract_amendment.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    free (package);
    assert (ingest_ocds_contracts (ocds) == 3 && ingest_ocds_accepted (ocds) == 3);
    for (size_t index = 0; index < 3; index++)
        assert (streq (ingest_ocds_contract (ocds, index)->contract_id,
                       "ocds-213czf-000-00001-award-01"));
    assert (ingest_ocds_contract (ocds, 2)->value_pence == 1350000000);
    //  Alone, the contract release keeps its contract's own id
    package = s_fixture ("ocds-213czf-000-00001-05-contract.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    free (package);
    assert (streq (ingest_ocds_contract (ocds, 0)->contract_id,
                   "ocds-213czf-000-00001-contract-01"));
    //  The shape of AusTender's releases in OCDS's amendments example: a
    //  contract release (the award beside its contract), then an amendment
    //  naming the contract alone with its new value: one contract at the
    //  amended value
    assert (s_parse_text (ocds, "{\"releases\": [{\"ocid\": \"au\", \"id\": \"c\","
                                " \"date\": \"2015-05-04T00:00:00Z\", \"awards\": [{\"id\": \"CN-a\","
                                " \"suppliers\": [{\"name\": \"Finance\"}]}], \"contracts\":"
                                " [{\"id\": \"CN\", \"awardID\": \"CN-a\", \"value\":"
                                " {\"amount\": \"623386.00\", \"currency\": \"GBP\"}}]},"
                                " {\"ocid\": \"au\", \"id\": \"a\", \"date\": \"2018-06-21T00:00:00Z\","
                                " \"contracts\": [{\"id\": \"CN\", \"value\": {\"amount\":"
                                " \"755969.71\", \"currency\": \"GBP\"}}]}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 2);
    assert (streq (ingest_ocds_contract (ocds, 0)->contract_id, "CN"));
    assert (streq (ingest_ocds_contract (ocds, 1)->contract_id, "CN"));
    assert (ingest_ocds_contract (ocds, 1)->value_pence == 75596971);
    //  ... still Finance's: the amendment names no supplier, nor changes it
    assert (streq (ingest_ocds_contract (ocds, 1)->supplier_key, "NAME:FINANCE"));
    //  A party whose identifier and id name two companies (as in OCDS's
    //  consortia example: GB-COH-1624297 beside identifier 624297) is known
    //  by its name, with a warning: neither number is taken
    assert (s_parse_text (ocds, "{\"ocid\": \"m\", \"parties\": [{\"id\": \"GB-COH-1624297\","
                                " \"name\": \"MICROSOFT LIMITED\", \"roles\": [\"supplier\"],"
                                " \"identifier\": {\"id\": \"624297\", \"scheme\": \"GB-COH\"}}],"
                                " \"awards\": [{\"id\": \"m\", \"suppliers\":"
                                " [{\"id\": \"GB-COH-1624297\"}]}]}") == 0);
    assert (ingest_ocds_suppliers (ocds) == 1);
    assert (streq (ingest_ocds_supplier (ocds, 0)->key, "NAME:MICROSOFT LIMITED"));
    assert (streq (ingest_ocds_supplier (ocds, 0)->companies_house, ""));
    assert (streq (ingest_ocds_contract (ocds, 0)->supplier_key, "NAME:MICROSOFT LIMITED"));
    assert (s_contains (ingest_ocds_warning (ocds, 1)->reason, "two different Companies House"));
    assert (streq (ingest_ocds_warning (ocds, 1)->value, "00624297, 01624297"));
    //  A numeric date that reads as two days is refused, not read day first
    assert (s_parse_text (ocds, "{\"ocid\": \"d\", \"awards\": [{\"id\": \"d\","
                                " \"contractPeriod\": {\"startDate\": \"03/01/2025\","
                                " \"endDate\": \"31/12/2025\"}}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 0 && ingest_ocds_errors (ocds) == 1);
    assert (streq (ingest_ocds_error (ocds, 0)->column, "awards[0].contractPeriod.startDate"));
    assert (s_contains (ingest_ocds_error (ocds, 0)->reason, "reads as two days"));
    //  A release whose contract names award A1, beside award A2 that no
    //  contract names yet: A1's contract and A2, not A1's contract alone
    assert (s_parse_text (ocds, "{\"ocid\": \"l\", \"awards\": [{\"id\": \"A1\"},"
                                " {\"id\": \"A2\", \"value\": {\"amount\": 7, \"currency\": \"GBP\"}}],"
                                " \"contracts\": [{\"id\": \"C1\", \"awardID\": \"A1\"}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 2);
    assert (streq (ingest_ocds_contract (ocds, 0)->contract_id, "C1"));
    assert (streq (ingest_ocds_contract (ocds, 1)->contract_id, "A2"));
    assert (ingest_ocds_contract (ocds, 1)->value_pence == 700);
    //  ... but beside a contract that names no award, the awards are not
    //  taken: which of them it is cannot be told
    assert (s_parse_text (ocds, "{\"ocid\": \"l\", \"awards\": [{\"id\": \"A1\"},"
                                " {\"id\": \"A2\"}], \"contracts\": [{\"id\": \"C1\"}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 1);
    assert (streq (ingest_ocds_contract (ocds, 0)->contract_id, "C1"));
    //  Two contracts of one award in a release keep their own ids
    assert (s_parse_text (ocds, "{\"ocid\": \"t\", \"awards\": [{\"id\": \"A\"}],"
                                " \"contracts\": [{\"id\": \"C1\", \"awardID\": \"A\"},"
                                " {\"id\": \"C2\", \"awardID\": \"A\"}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 2);
    assert (streq (ingest_ocds_contract (ocds, 0)->contract_id, "C1"));
    assert (streq (ingest_ocds_contract (ocds, 1)->contract_id, "C2"));

    //  OCDS's documented award cancellation: a later release names award
    //  "1" and its finalStatus cancelled alone. After the release that made
    //  the award, in the same document, the contract cannot be taken back:
    //  the document is refused, whole or pushed, naming both
    package = s_fixture ("ocds_award_cancellation.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == -1);
    assert (ingest_ocds_contracts (ocds) == 0);
    assert (s_contains (ingest_ocds_reason (ocds), "release '2' of 2024-01-11T00:00:00Z"
                        " (releases[1]) withdraws award '1' of ocid ocds-213czf-00001"));
    s_yields_t cancelled;
    assert (s_read_pushed (ocds, package, size, 7, &cancelled, NULL) == -1);
    assert (s_contains (ingest_ocds_reason (ocds), "withdraws award '1'"));
    s_yields_destroy (&cancelled);
    free (package);
    //  Newest first, the cancellation is applied and the award set aside
    const char *cancelled_first =
        "{\"releases\": [{\"ocid\": \"x\", \"id\": \"2\", \"date\": \"2024-01-11T00:00:00Z\","
        " \"awards\": [{\"id\": \"1\", \"finalStatus\": \"cancelled\"}]},"
        " {\"ocid\": \"x\", \"id\": \"1\", \"date\": \"2024-01-01T00:00:00Z\","
        " \"awards\": [{\"id\": \"1\", \"suppliers\": [{\"name\": \"360nx Designs\"}]}]}]}";
    assert (s_parse_text (ocds, cancelled_first) == 0);
    assert (ingest_ocds_contracts (ocds) == 0 && ingest_ocds_skips (ocds) == 2);
    assert (s_contains (ingest_ocds_skip (ocds, 0)->reason, "unsuccessful or cancelled"));
    assert (s_contains (ingest_ocds_skip (ocds, 1)->reason, "is older than release '2'"));
    //  An award, its contract under the award's id, then the contract
    //  cancelled by its own id alone: the document is refused
    assert (s_parse_text (ocds, "{\"releases\": [{\"ocid\": \"v\", \"id\": \"1\","
                                " \"date\": \"2024-01-01T00:00:00Z\", \"awards\": [{\"id\": \"A\"}]},"
                                " {\"ocid\": \"v\", \"id\": \"2\", \"date\": \"2024-02-01T00:00:00Z\","
                                " \"awards\": [{\"id\": \"A\"}], \"contracts\": [{\"id\": \"C\","
                                " \"awardID\": \"A\"}]}, {\"ocid\": \"v\", \"id\": \"3\","
                                " \"date\": \"2024-03-01T00:00:00Z\", \"contracts\": [{\"id\": \"C\","
                                " \"status\": \"cancelled\"}]}]}") == -1);
    assert (s_contains (ingest_ocds_reason (ocds), "withdraws award 'A'"));
    //  A contract, then cancelled by a later release naming it alone: the
    //  document is refused
    assert (s_parse_text (ocds, "{\"releases\": [{\"ocid\": \"w\", \"id\": \"1\","
                                " \"date\": \"2024-01-01T00:00:00Z\", \"awards\": [{\"id\": \"A\"}],"
                                " \"contracts\": [{\"id\": \"C\", \"awardID\": \"A\"}]},"
                                " {\"ocid\": \"w\", \"id\": \"2\", \"date\": \"2024-02-01T00:00:00Z\","
                                " \"contracts\": [{\"id\": \"C\", \"status\": \"cancelled\"}]}]}") == -1);
    assert (s_contains (ingest_ocds_reason (ocds), "withdraws contract 'C'"));
    //  A contract cancelled before it was signed is no contract either;
    //  a contract "1" beside a cancelled award "1" of another contract is
    //  not that award
    assert (s_parse_text (ocds, "{\"ocid\": \"y\", \"date\": \"2024-01-01T00:00:00Z\","
                                " \"contracts\": [{\"id\": \"c\", \"status\": \"cancelled\","
                                " \"value\": {\"amount\": 9, \"currency\": \"GBP\"}}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 0 && ingest_ocds_skips (ocds) == 1);
    assert (streq (ingest_ocds_skip (ocds, 0)->column, "contracts"));
    assert (s_parse_text (ocds, "{\"releases\": [{\"ocid\": \"z\", \"id\": \"1\","
                                " \"date\": \"2024-01-01T00:00:00Z\", \"awards\": [{\"id\": \"A\"}],"
                                " \"contracts\": [{\"id\": \"1\", \"awardID\": \"A\"}]},"
                                " {\"ocid\": \"z\", \"id\": \"2\", \"date\": \"2024-02-01T00:00:00Z\","
                                " \"awards\": [{\"id\": \"1\", \"status\": \"unsuccessful\"}]}]}") == 0);
    assert (ingest_ocds_contracts (ocds) == 1);

    //  KPIs from a contract's agreedMetrics: a target per observation and
    //  financial year; a financial value, a period across years and a
    //  metric without an id are set aside with warnings naming their paths
    package = s_fixture ("kpi_agreed_metrics.json", &size);
    assert (ingest_ocds_parse (ocds, package, size) == 0);
    free (package);
    assert (ingest_ocds_contracts (ocds) == 1 && ingest_ocds_errors (ocds) == 0);
    assert (ingest_ocds_metrics (ocds) == 2);
    const ingest_ocds_metric_t *metric = ingest_ocds_metric (ocds, 0);
    assert (streq (metric->contract_id, "C-201") && streq (metric->metric_id, "KPI-1"));
    assert (streq (metric->ocid, "ocds-kpitest-C-201"));
    assert (streq (metric->title, "Cleaning audits passed"));
    assert (streq (metric->unit, "%") && metric->target_milli == 95000 && metric->fy == 2024);
    metric = ingest_ocds_metric (ocds, 1);
    assert (streq (metric->unit, "%") && metric->target_milli == 97000 && metric->fy == 2025);
    assert (!ingest_ocds_metric (ocds, 2));
    size_t set_aside = 0;
    for (size_t index = 0; index < ingest_ocds_warnings (ocds); index++) {
        issue = ingest_ocds_warning (ocds, index);
        if (s_contains (issue->column, "agreedMetrics"))
            set_aside++;
        if (s_contains (issue->column, "agreedMetrics[1]"))
            assert (s_contains (issue->reason, "a financial value is not taken"));
        if (s_contains (issue->column, "agreedMetrics[2]"))
            assert (s_contains (issue->reason, "one financial year")
                    && streq (issue->value, "2024-04-01T00:00:00Z"));
        if (s_contains (issue->column, "agreedMetrics[3]"))
            assert (s_contains (issue->reason, "without an id"));
    }
    assert (set_aside == 3);
    ingest_ocds_destroy (&ocds);
    //  @end

    if (verbose)
        printf ("OK\n");
}
