/*  =========================================================================
    sv_proto - the socval wire protocol codec

    ** DO NOT EDIT ** Generated from proto/socval.xml by proto/generate.py.
    Change the schema, run `python3 proto/generate.py`, and commit both.

    Each message is one msgpack map: "v" (the protocol version), "id" (the
    message name) and one key per field; list elements are maps of their
    fields. Decoding never trusts the bytes: sv_msgpack_check first proves
    they are one complete object whose declared lengths and counts fit in
    them, then a first pass over the map finds "v" and "id" wherever they
    are, and a second copies each known field out, checking its type.
    =========================================================================
*/

#include "sv_proto.h"
#include "sv_msgpack.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

//  Message names, indexed by sv_proto_id_t
static const char *s_names [] = {
    "?",
    "SUBMIT",
    "RECEIPT",
    "CREDIT",
    "FETCH",
    "EVENTS",
    "ERROR",
    "STATUS",
    "STATUS_REPLY",
    "REPORT_REQUEST",
    "REPORT_READY",
    "EXPLAIN_REQUEST",
    "EXPLANATION",
    "ALERT_ACK",
    "FRAMEWORK_IMPORT",
    "FRAMEWORK_LIST",
    "FRAMEWORKS",
    "SUPPLIER_LIST",
    "SUPPLIERS",
    "SUPPLIER",
    "COMPANY",
    "CONTRACT",
    "SPEND",
    "COMMITMENT",
    "DELIVERY",
    "VALUATION_LINE",
    "LOCAL_SPEND_LINE",
    "ALERT",
    "KPI",
    "PAYEE",
    "PLACE",
};
#define S_MESSAGES (sizeof (s_names) / sizeof (s_names [0]))


//  ---------------------------------------------------------------------------
//  Encoding helpers: each appends one key and its value, returning 0 or -1

static int
s_put_key (msgpack_packer *pk, const char *key)
{
    size_t size = strlen (key);
    return (msgpack_pack_str (pk, size) || msgpack_pack_str_body (pk, key, size))? -1: 0;
}

static int
s_put_string (msgpack_packer *pk, const char *key, const char *value)
{
    if (!value)
        value = "";
    size_t size = strlen (value);
    if (size > UINT32_MAX
    ||  s_put_key (pk, key)
    ||  msgpack_pack_str (pk, size)
    ||  msgpack_pack_str_body (pk, value, size))
        return -1;
    return 0;
}

static int
s_put_bytes (msgpack_packer *pk, const char *key, const uint8_t *data, size_t size)
{
    if (!data)
        size = 0;
    if (size > UINT32_MAX
    ||  s_put_key (pk, key)
    ||  msgpack_pack_bin (pk, size)
    ||  msgpack_pack_bin_body (pk, data, size))
        return -1;
    return 0;
}

static int
s_put_uint (msgpack_packer *pk, const char *key, uint64_t value)
{
    return (s_put_key (pk, key) || msgpack_pack_uint64 (pk, value))? -1: 0;
}

static int
s_put_int (msgpack_packer *pk, const char *key, int64_t value)
{
    return (s_put_key (pk, key) || msgpack_pack_int64 (pk, value))? -1: 0;
}

static int
s_put_bool (msgpack_packer *pk, const char *key, bool value)
{
    if (s_put_key (pk, key)
    ||  (value? msgpack_pack_true (pk): msgpack_pack_false (pk)))
        return -1;
    return 0;
}

//  The key and header of a list of count elements
static int
s_put_list (msgpack_packer *pk, const char *key, size_t count)
{
    if (count > UINT32_MAX
    ||  s_put_key (pk, key)
    ||  msgpack_pack_array (pk, count))
        return -1;
    return 0;
}

//  The map header of a message of the given number of fields, "v" and "id"
static int
s_encode_header (msgpack_packer *pk, sv_proto_id_t id, size_t fields)
{
    if (msgpack_pack_map (pk, fields + 2)
    ||  s_put_uint (pk, "v", SV_PROTO_OLDEST)
    ||  s_put_string (pk, "id", s_names [id]))
        return -1;
    return 0;
}


//  ---------------------------------------------------------------------------
//  Decoding helpers. Each reads from dec->reader and returns 0, or -1 after
//  writing the reason, which names the message and field, into the message.

typedef struct {
    sv_msgpack_reader_t reader;
    sv_proto_t *message;        //  Being decoded; receives the reason
    const char *name;           //  Message name once known
    const char *field;          //  Field being read, or NULL
    const char *list;           //  List field being read, or NULL
    size_t element;             //  Index of the element in that list
    //  A packed decode: strings are copied here, one after the other, and
    //  bytes point into the frame (NULL: each is an allocation of its own)
    char *arena;
    size_t arena_used;
} s_decoder_t;

typedef struct {
    const char *name;
    size_t size;                //  strlen (name)
    bool required;
} s_field_t;

static int
    s_fail (s_decoder_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static int
s_fail (s_decoder_t *self, const char *format, ...)
{
    //  Where first: FETCH.after_seq, EVENTS.events[3].seq, or nothing
    //  before the message is known. Names come from the schema; text from
    //  the message only ever arrives through s_printable.
    char *reason = self->message->reason;
    size_t size = sizeof (self->message->reason);
    const char *name = self->name? self->name: "message";
    int used = 0;
    if (self->list)
        used = snprintf (reason, size, "%s.%s[%zu]%s%s: ", name, self->list, self->element,
                         self->field? ".": "", self->field? self->field: "");
    else
    if (self->field)
        used = snprintf (reason, size, "%s.%s: ", name, self->field);
    else
    if (self->name)
        used = snprintf (reason, size, "%s: ", name);
    if (used < 0 || (size_t) used >= size)
        return -1;              //  as much as fits
    va_list args;
    va_start (args, format);
    vsnprintf (reason + used, size - (size_t) used, format, args);
    va_end (args);
    return -1;
}

//  Copies up to 32 bytes of untrusted text for a reason, replacing
//  anything but printable ASCII with '?'
static void
s_printable (char *dest, size_t dest_size, const uint8_t *data, size_t size)
{
    size_t length = 0;
    while (length < size && length < 32 && length + 1 < dest_size) {
        dest [length] = data [length] >= 0x20 && data [length] < 0x7f? data [length]: '?';
        length++;
    }
    dest [length] = 0;
}

//  Reads one item, which must be of the given type
static int
s_read_type (s_decoder_t *self, sv_msgpack_type_t type, sv_msgpack_item_t *item)
{
    if (sv_msgpack_read (&self->reader, item))
        return s_fail (self, "%s", self->reader.reason);
    if (item->type != type)
        return s_fail (self, "expected %s, got %s",
                       sv_msgpack_type_name (type), sv_msgpack_type_name (item->type));
    return 0;
}

//  Reads a map key, which must be a string, and looks it up among the
//  fields: *index_p is its position, or -1 for a key this version does not
//  know (the caller skips its value). A field may appear only once. On
//  entry *index_p is the field the last key named (-1 for none): the
//  search starts after it, since an encoder writes fields in order.
static int
s_read_key (s_decoder_t *self, const s_field_t *fields, size_t count, bool *seen, int *index_p)
{
    sv_msgpack_item_t item;
    self->field = NULL;
    size_t start = *index_p < 0? 0: (size_t) *index_p + 1;
    *index_p = -1;
    if (sv_msgpack_read (&self->reader, &item))
        return s_fail (self, "%s", self->reader.reason);
    if (item.type != SV_MSGPACK_STR)
        return s_fail (self, "a key is a %s, expected str", sv_msgpack_type_name (item.type));
    for (size_t tried = 0; tried < count; tried++) {
        size_t index = (start + tried) % count;
        const char *name = fields [index].name;
        if (fields [index].size == item.size && memcmp (name, item.data, item.size) == 0) {
            self->field = name;
            if (seen [index])
                return s_fail (self, "appears twice");
            seen [index] = true;
            *index_p = (int) index;
            break;
        }
    }
    return 0;
}

static int
s_skip (s_decoder_t *self)
{
    if (sv_msgpack_skip (&self->reader))
        return s_fail (self, "%s", self->reader.reason);
    return 0;
}

//  Skips the entries of a map whose keys this version does not know
static int
s_skip_entries (s_decoder_t *self, uint32_t entries)
{
    for (uint32_t entry = 0; entry < entries; entry++) {
        int field = -1;
        if (s_read_key (self, NULL, 0, NULL, &field) || s_skip (self))
            return -1;
    }
    return 0;
}

static int
s_check_required (s_decoder_t *self, const s_field_t *fields, const bool *seen, size_t count)
{
    for (size_t index = 0; index < count; index++) {
        if (fields [index].required && !seen [index]) {
            self->field = fields [index].name;
            return s_fail (self, "required field missing");
        }
    }
    self->field = NULL;
    return 0;
}

//  An owned, NUL-terminated copy of a str
static int
s_get_string (s_decoder_t *self, char **value_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_STR, &item))
        return -1;
    if (item.size > 0 && memchr (item.data, 0, item.size))
        return s_fail (self, "string holds a NUL byte");
    //  In a packed decode every str took at least one byte more than its
    //  text in the frame, so the block (the frame's size) always has room
    char *value = self->arena? self->arena + self->arena_used: malloc ((size_t) item.size + 1);
    if (!value)
        return s_fail (self, "out of memory");
    if (self->arena)
        self->arena_used += (size_t) item.size + 1;
    if (item.size > 0)
        memcpy (value, item.data, item.size);
    value [item.size] = 0;
    *value_p = value;
    return 0;
}

static int
s_default_string (s_decoder_t *self, char **value_p)
{
    static char empty [1];
    if (*value_p)
        return 0;
    *value_p = self->arena? empty: calloc (1, 1);
    return *value_p? 0: s_fail (self, "out of memory");
}

//  An owned copy of a bin; NULL when it is empty
static int
s_get_bytes (s_decoder_t *self, uint8_t **data_p, size_t *size_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_BIN, &item))
        return -1;
    if (item.size == 0)
        return 0;
    if (self->arena) {
        *data_p = (uint8_t *) item.data;
        *size_p = item.size;
        return 0;
    }
    uint8_t *data = malloc (item.size);
    if (!data)
        return s_fail (self, "out of memory");
    memcpy (data, item.data, item.size);
    *data_p = data;
    *size_p = item.size;
    return 0;
}

static int
s_get_uint (s_decoder_t *self, uint64_t *value_p)
{
    sv_msgpack_item_t item;
    if (sv_msgpack_read (&self->reader, &item))
        return s_fail (self, "%s", self->reader.reason);
    if (item.type == SV_MSGPACK_INT)
        return s_fail (self, "%" PRId64 " is negative, expected uint", item.sint);
    if (item.type != SV_MSGPACK_UINT)
        return s_fail (self, "expected uint, got %s", sv_msgpack_type_name (item.type));
    *value_p = item.uint;
    return 0;
}

static int
s_get_int (s_decoder_t *self, int64_t *value_p)
{
    sv_msgpack_item_t item;
    if (sv_msgpack_read (&self->reader, &item))
        return s_fail (self, "%s", self->reader.reason);
    if (item.type == SV_MSGPACK_INT)
        *value_p = item.sint;
    else
    if (item.type == SV_MSGPACK_UINT && item.uint <= INT64_MAX)
        *value_p = (int64_t) item.uint;
    else
    if (item.type == SV_MSGPACK_UINT)
        return s_fail (self, "%" PRIu64 " is out of range for int64", item.uint);
    else
        return s_fail (self, "expected int, got %s", sv_msgpack_type_name (item.type));
    return 0;
}

static int
s_get_bool (s_decoder_t *self, bool *value_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_BOOL, &item))
        return -1;
    *value_p = item.boolean;
    return 0;
}

//  The header of a list: an array of count elements, each of which takes
//  at least smallest bytes when valid. A count the bytes left in the
//  message cannot hold is refused here, before anything is allocated for
//  it, so the caller's allocation is bounded by the bytes received (not
//  just by one byte per element, as an empty map would take).
static int
s_get_list (s_decoder_t *self, size_t smallest, uint32_t *count_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_ARRAY, &item))
        return -1;
    size_t remaining = sv_msgpack_reader_remaining (&self->reader);
    if (item.size > remaining / smallest)
        return s_fail (self, "%" PRIu32 " elements cannot fit in the %zu bytes left;"
                       " a valid one takes at least %zu", item.size, remaining, smallest);
    *count_p = item.size;
    return 0;
}

//  The header of one list element, a map of its fields
static int
s_get_element (s_decoder_t *self, const char *list, uint32_t index, uint32_t *entries_p)
{
    sv_msgpack_item_t item;
    self->list = list;
    self->element = index;
    self->field = NULL;
    if (s_read_type (self, SV_MSGPACK_MAP, &item))
        return -1;
    *entries_p = item.size;
    return 0;
}

//  First pass over the top-level map: the protocol version and the message
//  name, wherever they are among its entries
static int
s_decode_header (s_decoder_t *self, uint32_t entries, sv_proto_id_t *id_p)
{
    static const s_field_t fields [2] = { { "v", 1, true }, { "id", 2, true } };
    bool seen [2] = { false, false };
    uint64_t version = 0;
    sv_msgpack_item_t name = { 0 };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (self, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_uint (self, &version); break;
            case 1: rc = s_read_type (self, SV_MSGPACK_STR, &name); break;
            default: rc = s_skip (self); break;
        }
        if (rc)
            return -1;
    }
    self->field = NULL;
    if (!seen [0])
        return s_fail (self, "no protocol version (key \"v\")");
    if (version < SV_PROTO_OLDEST || version > SV_PROTO_VERSION)
        return s_fail (self, "protocol version %" PRIu64 ", expected %d to %d", version,
                       SV_PROTO_OLDEST, SV_PROTO_VERSION);
    if (!seen [1])
        return s_fail (self, "no message name (key \"id\")");
    for (size_t id = 1; id < S_MESSAGES; id++) {
        if (strlen (s_names [id]) == name.size && memcmp (s_names [id], name.data, name.size) == 0) {
            *id_p = (sv_proto_id_t) id;
            return 0;
        }
    }
    char printable [40];
    s_printable (printable, sizeof (printable), name.data, name.size);
    return s_fail (self, "unknown message \"%s\"", printable);
}


//  ---------------------------------------------------------------------------
//  Printing helpers

//  Prints text with quotes, backslashes and control characters escaped
static void
s_print_text (FILE *out, const char *text)
{
    for (const unsigned char *byte = (const unsigned char *) (text? text: ""); *byte; byte++) {
        if (*byte == '\'' || *byte == '\\')
            fprintf (out, "\\%c", *byte);
        else
        if (*byte < 0x20 || *byte == 0x7f)
            fprintf (out, "\\x%02x", *byte);
        else
            fputc (*byte, out);
    }
}

static void
s_print_string (FILE *out, const char *indent, const char *key, const char *value)
{
    fprintf (out, "%s%s='", indent, key);
    s_print_text (out, value);
    fprintf (out, "'\n");
}

static void
s_print_bytes (FILE *out, const char *indent, const char *key, const uint8_t *data, size_t size)
{
    if (!data)
        size = 0;
    fprintf (out, "%s%s=%zu byte(s)", indent, key, size);
    for (size_t index = 0; index < size && index < 16; index++)
        fprintf (out, "%s%02x", index? "": " ", data [index]);
    fprintf (out, "%s\n", size > 16? "...": "");
}

static void
s_print_uint (FILE *out, const char *indent, const char *key, uint64_t value)
{
    fprintf (out, "%s%s=%" PRIu64 "\n", indent, key, value);
}

static void
s_print_int (FILE *out, const char *indent, const char *key, int64_t value)
{
    fprintf (out, "%s%s=%" PRId64 "\n", indent, key, value);
}

static void
s_print_bool (FILE *out, const char *indent, const char *key, bool value)
{
    fprintf (out, "%s%s=%s\n", indent, key, value? "true": "false");
}


//  ---------------------------------------------------------------------------
//  Per struct and message: encode (fields only; the caller writes the map
//  header), decode (the caller has read the map header), free, print

//  ---------------------------------------------------------------------------
//  row_error: One rejected row of a submitted feed, as a person would need it
//  to fix the row.

//  The entries s_encode_row_error writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_row_error (const sv_proto_row_error_t *self)
{
    (void) self;
    return 3;
}

static int
s_encode_row_error (msgpack_packer *pk, const sv_proto_row_error_t *self)
{
    if (s_put_uint (pk, "row", self->row)
    ||  s_put_string (pk, "column", self->column)
    ||  s_put_string (pk, "reason", self->reason))
        return -1;
    return 0;
}

static int
s_decode_row_error (s_decoder_t *dec, sv_proto_row_error_t *self, uint32_t entries)
{
    static const s_field_t fields [3] = {
        { "row",    3,  true },
        { "column", 6,  true },
        { "reason", 6,  true },
    };
    bool seen [3] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 3, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_uint (dec, &self->row); break;
            case 1: rc = s_get_string (dec, &self->column); break;
            case 2: rc = s_get_string (dec, &self->reason); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 3);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_row_error (sv_proto_row_error_t *self, bool owned)
{
    if (owned)
        free (self->column);
    if (owned)
        free (self->reason);
}

static void
s_print_row_error (const sv_proto_row_error_t *self, FILE *out, const char *indent)
{
    s_print_uint (out, indent, "row", self->row);
    s_print_string (out, indent, "column", self->column);
    s_print_string (out, indent, "reason", self->reason);
}

static int
s_encode_row_error_list (msgpack_packer *pk, const char *key,
                         const sv_proto_row_error_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_row_error (&list [index]))
        ||  s_encode_row_error (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_row_error_list (s_decoder_t *dec, sv_proto_row_error_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 22, &count))     //  bytes of the shortest valid row_error
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_row_error_t) / 22 times those bytes
    sv_proto_row_error_t *list = calloc (count, sizeof (sv_proto_row_error_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_row_error (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_row_error_list (sv_proto_row_error_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_row_error (&list [index], owned);
    free (list);
}

static void
s_print_row_error_list (FILE *out, const char *indent, const char *key,
                        const sv_proto_row_error_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_row_error (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  column_map: What became of one column of a submitted CSV file.

//  The entries s_encode_column_map writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_column_map (const sv_proto_column_map_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_column_map (msgpack_packer *pk, const sv_proto_column_map_t *self)
{
    if (s_put_string (pk, "source", self->source)
    ||  s_put_string (pk, "field", self->field))
        return -1;
    return 0;
}

static int
s_decode_column_map (s_decoder_t *dec, sv_proto_column_map_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "source", 6,  true },
        { "field",  5,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->source); break;
            case 1: rc = s_get_string (dec, &self->field); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_column_map (sv_proto_column_map_t *self, bool owned)
{
    if (owned)
        free (self->source);
    if (owned)
        free (self->field);
}

static void
s_print_column_map (const sv_proto_column_map_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "source", self->source);
    s_print_string (out, indent, "field", self->field);
}

static int
s_encode_column_map_list (msgpack_packer *pk, const char *key,
                          const sv_proto_column_map_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_column_map (&list [index]))
        ||  s_encode_column_map (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_column_map_list (s_decoder_t *dec, sv_proto_column_map_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 16, &count))     //  bytes of the shortest valid column_map
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_column_map_t) / 16 times those bytes
    sv_proto_column_map_t *list = calloc (count, sizeof (sv_proto_column_map_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_column_map (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_column_map_list (sv_proto_column_map_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_column_map (&list [index], owned);
    free (list);
}

static void
s_print_column_map_list (FILE *out, const char *indent, const char *key,
                         const sv_proto_column_map_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_column_map (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  event: One event of a durable stream, as stored in the producer's outbox.

//  The entries s_encode_event writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_event (const sv_proto_event_t *self)
{
    (void) self;
    return 4;
}

static int
s_encode_event (msgpack_packer *pk, const sv_proto_event_t *self)
{
    if (s_put_uint (pk, "seq", self->seq)
    ||  s_put_string (pk, "type", self->type)
    ||  s_put_string (pk, "key", self->key)
    ||  s_put_bytes (pk, "body", self->body, self->body_size))
        return -1;
    return 0;
}

static int
s_decode_event (s_decoder_t *dec, sv_proto_event_t *self, uint32_t entries)
{
    static const s_field_t fields [4] = {
        { "seq",  3,  true },
        { "type", 4,  true },
        { "key",  3,  true },
        { "body", 4,  true },
    };
    bool seen [4] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 4, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_uint (dec, &self->seq); break;
            case 1: rc = s_get_string (dec, &self->type); break;
            case 2: rc = s_get_string (dec, &self->key); break;
            case 3: rc = s_get_bytes (dec, &self->body, &self->body_size); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 4);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_event (sv_proto_event_t *self, bool owned)
{
    if (owned)
        free (self->type);
    if (owned)
        free (self->key);
    if (owned)
        free (self->body);
}

static void
s_print_event (const sv_proto_event_t *self, FILE *out, const char *indent)
{
    s_print_uint (out, indent, "seq", self->seq);
    s_print_string (out, indent, "type", self->type);
    s_print_string (out, indent, "key", self->key);
    s_print_bytes (out, indent, "body", self->body, self->body_size);
}

static int
s_encode_event_list (msgpack_packer *pk, const char *key,
                     const sv_proto_event_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_event (&list [index]))
        ||  s_encode_event (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_event_list (s_decoder_t *dec, sv_proto_event_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 24, &count))     //  bytes of the shortest valid event
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_event_t) / 24 times those bytes
    sv_proto_event_t *list = calloc (count, sizeof (sv_proto_event_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_event (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_event_list (sv_proto_event_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_event (&list [index], owned);
    free (list);
}

static void
s_print_event_list (FILE *out, const char *indent, const char *key,
                    const sv_proto_event_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_event (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  stream_head: The newest sequence number of one stream.

//  The entries s_encode_stream_head writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_stream_head (const sv_proto_stream_head_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_stream_head (msgpack_packer *pk, const sv_proto_stream_head_t *self)
{
    if (s_put_string (pk, "name", self->name)
    ||  s_put_uint (pk, "head_seq", self->head_seq))
        return -1;
    return 0;
}

static int
s_decode_stream_head (s_decoder_t *dec, sv_proto_stream_head_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "name",     4,  true },
        { "head_seq", 8,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->name); break;
            case 1: rc = s_get_uint (dec, &self->head_seq); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_stream_head (sv_proto_stream_head_t *self, bool owned)
{
    if (owned)
        free (self->name);
}

static void
s_print_stream_head (const sv_proto_stream_head_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "name", self->name);
    s_print_uint (out, indent, "head_seq", self->head_seq);
}

static int
s_encode_stream_head_list (msgpack_packer *pk, const char *key,
                           const sv_proto_stream_head_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_stream_head (&list [index]))
        ||  s_encode_stream_head (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_stream_head_list (s_decoder_t *dec, sv_proto_stream_head_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 17, &count))     //  bytes of the shortest valid stream_head
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_stream_head_t) / 17 times those bytes
    sv_proto_stream_head_t *list = calloc (count, sizeof (sv_proto_stream_head_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_stream_head (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_stream_head_list (sv_proto_stream_head_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_stream_head (&list [index], owned);
    free (list);
}

static void
s_print_stream_head_list (FILE *out, const char *indent, const char *key,
                          const sv_proto_stream_head_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_stream_head (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  framework_info: One framework held by valuation.

//  The entries s_encode_framework_info writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_framework_info (const sv_proto_framework_info_t *self)
{
    (void) self;
    return 4;
}

static int
s_encode_framework_info (msgpack_packer *pk, const sv_proto_framework_info_t *self)
{
    if (s_put_string (pk, "framework", self->framework)
    ||  s_put_string (pk, "version", self->version)
    ||  s_put_uint (pk, "measures", self->measures)
    ||  s_put_string (pk, "imported_at", self->imported_at))
        return -1;
    return 0;
}

static int
s_decode_framework_info (s_decoder_t *dec, sv_proto_framework_info_t *self, uint32_t entries)
{
    static const s_field_t fields [4] = {
        { "framework",   9,  true },
        { "version",     7,  true },
        { "measures",    8,  true },
        { "imported_at", 11, true },
    };
    bool seen [4] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 4, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->framework); break;
            case 1: rc = s_get_string (dec, &self->version); break;
            case 2: rc = s_get_uint (dec, &self->measures); break;
            case 3: rc = s_get_string (dec, &self->imported_at); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 4);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_framework_info (sv_proto_framework_info_t *self, bool owned)
{
    if (owned)
        free (self->framework);
    if (owned)
        free (self->version);
    if (owned)
        free (self->imported_at);
}

static void
s_print_framework_info (const sv_proto_framework_info_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "framework", self->framework);
    s_print_string (out, indent, "version", self->version);
    s_print_uint (out, indent, "measures", self->measures);
    s_print_string (out, indent, "imported_at", self->imported_at);
}

static int
s_encode_framework_info_list (msgpack_packer *pk, const char *key,
                              const sv_proto_framework_info_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_framework_info (&list [index]))
        ||  s_encode_framework_info (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_framework_info_list (s_decoder_t *dec, sv_proto_framework_info_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 44, &count))     //  bytes of the shortest valid framework_info
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_framework_info_t) / 44 times those bytes
    sv_proto_framework_info_t *list = calloc (count, sizeof (sv_proto_framework_info_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_framework_info (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_framework_info_list (sv_proto_framework_info_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_framework_info (&list [index], owned);
    free (list);
}

static void
s_print_framework_info_list (FILE *out, const char *indent, const char *key,
                             const sv_proto_framework_info_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_framework_info (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  consumer_offset: How far one consumer has applied one stream.

//  The entries s_encode_consumer_offset writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_consumer_offset (const sv_proto_consumer_offset_t *self)
{
    return 5
         + (self->stalled && *self->stalled);
}

static int
s_encode_consumer_offset (msgpack_packer *pk, const sv_proto_consumer_offset_t *self)
{
    if (s_put_string (pk, "stream", self->stream)
    ||  s_put_string (pk, "endpoint", self->endpoint)
    ||  s_put_uint (pk, "offset", self->offset)
    ||  s_put_uint (pk, "head_seq", self->head_seq)
    ||  s_put_uint (pk, "lag", self->lag)
    ||  (self->stalled && *self->stalled && s_put_string (pk, "stalled", self->stalled)))
        return -1;
    return 0;
}

static int
s_decode_consumer_offset (s_decoder_t *dec, sv_proto_consumer_offset_t *self, uint32_t entries)
{
    static const s_field_t fields [6] = {
        { "stream",   6,  true },
        { "endpoint", 8,  true },
        { "offset",   6,  true },
        { "head_seq", 8,  true },
        { "lag",      3,  true },
        { "stalled",  7,  false },
    };
    bool seen [6] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 6, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->stream); break;
            case 1: rc = s_get_string (dec, &self->endpoint); break;
            case 2: rc = s_get_uint (dec, &self->offset); break;
            case 3: rc = s_get_uint (dec, &self->head_seq); break;
            case 4: rc = s_get_uint (dec, &self->lag); break;
            case 5: rc = s_get_string (dec, &self->stalled); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 6))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->stalled))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_consumer_offset (sv_proto_consumer_offset_t *self, bool owned)
{
    if (owned)
        free (self->stream);
    if (owned)
        free (self->endpoint);
    if (owned)
        free (self->stalled);
}

static void
s_print_consumer_offset (const sv_proto_consumer_offset_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "stream", self->stream);
    s_print_string (out, indent, "endpoint", self->endpoint);
    s_print_uint (out, indent, "offset", self->offset);
    s_print_uint (out, indent, "head_seq", self->head_seq);
    s_print_uint (out, indent, "lag", self->lag);
    s_print_string (out, indent, "stalled", self->stalled);
}

static int
s_encode_consumer_offset_list (msgpack_packer *pk, const char *key,
                               const sv_proto_consumer_offset_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_consumer_offset (&list [index]))
        ||  s_encode_consumer_offset (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_consumer_offset_list (s_decoder_t *dec, sv_proto_consumer_offset_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 42, &count))     //  bytes of the shortest valid consumer_offset
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_consumer_offset_t) / 42 times those bytes
    sv_proto_consumer_offset_t *list = calloc (count, sizeof (sv_proto_consumer_offset_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_consumer_offset (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_consumer_offset_list (sv_proto_consumer_offset_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_consumer_offset (&list [index], owned);
    free (list);
}

static void
s_print_consumer_offset_list (FILE *out, const char *indent, const char *key,
                              const sv_proto_consumer_offset_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_consumer_offset (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  report_file: One file of an assembled report: a single file for html, json
//  and xlsx, one per table for csv.

//  The entries s_encode_report_file writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_report_file (const sv_proto_report_file_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_report_file (msgpack_packer *pk, const sv_proto_report_file_t *self)
{
    if (s_put_string (pk, "name", self->name)
    ||  s_put_bytes (pk, "payload", self->payload, self->payload_size))
        return -1;
    return 0;
}

static int
s_decode_report_file (s_decoder_t *dec, sv_proto_report_file_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "name",    4,  true },
        { "payload", 7,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->name); break;
            case 1: rc = s_get_bytes (dec, &self->payload, &self->payload_size); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_report_file (sv_proto_report_file_t *self, bool owned)
{
    if (owned)
        free (self->name);
    if (owned)
        free (self->payload);
}

static void
s_print_report_file (const sv_proto_report_file_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "name", self->name);
    s_print_bytes (out, indent, "payload", self->payload, self->payload_size);
}

static int
s_encode_report_file_list (msgpack_packer *pk, const char *key,
                           const sv_proto_report_file_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_report_file (&list [index]))
        ||  s_encode_report_file (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_report_file_list (s_decoder_t *dec, sv_proto_report_file_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 17, &count))     //  bytes of the shortest valid report_file
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_report_file_t) / 17 times those bytes
    sv_proto_report_file_t *list = calloc (count, sizeof (sv_proto_report_file_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_report_file (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_report_file_list (sv_proto_report_file_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_report_file (&list [index], owned);
    free (list);
}

static void
s_print_report_file_list (FILE *out, const char *indent, const char *key,
                          const sv_proto_report_file_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_report_file (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  problem: Something a service could not use and runs without, for an
//  operator to fix, such as a data file it refused. Said once in the log and
//  on every STATUS until the service is restarted with it fixed.

//  The entries s_encode_problem writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_problem (const sv_proto_problem_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_problem (msgpack_packer *pk, const sv_proto_problem_t *self)
{
    if (s_put_string (pk, "subject", self->subject)
    ||  s_put_string (pk, "reason", self->reason))
        return -1;
    return 0;
}

static int
s_decode_problem (s_decoder_t *dec, sv_proto_problem_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "subject", 7,  true },
        { "reason",  6,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->subject); break;
            case 1: rc = s_get_string (dec, &self->reason); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_problem (sv_proto_problem_t *self, bool owned)
{
    if (owned)
        free (self->subject);
    if (owned)
        free (self->reason);
}

static void
s_print_problem (const sv_proto_problem_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "subject", self->subject);
    s_print_string (out, indent, "reason", self->reason);
}

static int
s_encode_problem_list (msgpack_packer *pk, const char *key,
                       const sv_proto_problem_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_problem (&list [index]))
        ||  s_encode_problem (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_problem_list (s_decoder_t *dec, sv_proto_problem_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 18, &count))     //  bytes of the shortest valid problem
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_problem_t) / 18 times those bytes
    sv_proto_problem_t *list = calloc (count, sizeof (sv_proto_problem_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_problem (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_problem_list (sv_proto_problem_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_problem (&list [index], owned);
    free (list);
}

static void
s_print_problem_list (FILE *out, const char *indent, const char *key,
                      const sv_proto_problem_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_problem (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  supplier_ref: A supplier some partner's feeds named, as valuation holds it:
//  what a register can be searched by.

//  The entries s_encode_supplier_ref writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_supplier_ref (const sv_proto_supplier_ref_t *self)
{
    return 1
         + (self->name && *self->name)
         + (self->partner && *self->partner);
}

static int
s_encode_supplier_ref (msgpack_packer *pk, const sv_proto_supplier_ref_t *self)
{
    if (s_put_string (pk, "supplier_key", self->supplier_key)
    ||  (self->name && *self->name && s_put_string (pk, "name", self->name))
    ||  (self->partner && *self->partner && s_put_string (pk, "partner", self->partner)))
        return -1;
    return 0;
}

static int
s_decode_supplier_ref (s_decoder_t *dec, sv_proto_supplier_ref_t *self, uint32_t entries)
{
    static const s_field_t fields [3] = {
        { "supplier_key", 12, true },
        { "name",         4,  false },
        { "partner",      7,  false },
    };
    bool seen [3] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 3, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->supplier_key); break;
            case 1: rc = s_get_string (dec, &self->name); break;
            case 2: rc = s_get_string (dec, &self->partner); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 3))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->name)
    ||  s_default_string (dec, &self->partner))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_supplier_ref (sv_proto_supplier_ref_t *self, bool owned)
{
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->name);
    if (owned)
        free (self->partner);
}

static void
s_print_supplier_ref (const sv_proto_supplier_ref_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "name", self->name);
    s_print_string (out, indent, "partner", self->partner);
}

static int
s_encode_supplier_ref_list (msgpack_packer *pk, const char *key,
                            const sv_proto_supplier_ref_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_supplier_ref (&list [index]))
        ||  s_encode_supplier_ref (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_supplier_ref_list (s_decoder_t *dec, sv_proto_supplier_ref_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 15, &count))     //  bytes of the shortest valid supplier_ref
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_supplier_ref_t) / 15 times those bytes
    sv_proto_supplier_ref_t *list = calloc (count, sizeof (sv_proto_supplier_ref_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_supplier_ref (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_supplier_ref_list (sv_proto_supplier_ref_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_supplier_ref (&list [index], owned);
    free (list);
}

static void
s_print_supplier_ref_list (FILE *out, const char *indent, const char *key,
                           const sv_proto_supplier_ref_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_supplier_ref (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  row_count: The number of rows in one table of a service's store.

//  The entries s_encode_row_count writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_row_count (const sv_proto_row_count_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_row_count (msgpack_packer *pk, const sv_proto_row_count_t *self)
{
    if (s_put_string (pk, "name", self->name)
    ||  s_put_uint (pk, "rows", self->rows))
        return -1;
    return 0;
}

static int
s_decode_row_count (s_decoder_t *dec, sv_proto_row_count_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "name", 4,  true },
        { "rows", 4,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->name); break;
            case 1: rc = s_get_uint (dec, &self->rows); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_row_count (sv_proto_row_count_t *self, bool owned)
{
    if (owned)
        free (self->name);
}

static void
s_print_row_count (const sv_proto_row_count_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "name", self->name);
    s_print_uint (out, indent, "rows", self->rows);
}

static int
s_encode_row_count_list (msgpack_packer *pk, const char *key,
                         const sv_proto_row_count_t *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_row_count (&list [index]))
        ||  s_encode_row_count (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_row_count_list (s_decoder_t *dec, sv_proto_row_count_t **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, 13, &count))     //  bytes of the shortest valid row_count
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof (sv_proto_row_count_t) / 13 times those bytes
    sv_proto_row_count_t *list = calloc (count, sizeof (sv_proto_row_count_t));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_row_count (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_row_count_list (sv_proto_row_count_t *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_row_count (&list [index], owned);
    free (list);
}

static void
s_print_row_count_list (FILE *out, const char *indent, const char *key,
                        const sv_proto_row_count_t *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_row_count (&list [index], out, deeper);
    }
}

//  ---------------------------------------------------------------------------
//  SUBMIT: partner to ingest: one chunk of a feed. A feed is sent as chunks
//  numbered from 0, the last one flagged, each sent only while the partner
//  holds credit. The partner is taken from the authenticated CURVE key, never
//  from the message, and (partner, batch_id) makes the submission idempotent:
//  a resent batch gets the same receipt and adds nothing.

//  The entries s_encode_submit writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_submit (const sv_proto_submit_t *self)
{
    return 6
         + (self->sheet && *self->sheet);
}

static int
s_encode_submit (msgpack_packer *pk, const sv_proto_submit_t *self)
{
    if (s_put_string (pk, "batch_id", self->batch_id)
    ||  s_put_string (pk, "kind", self->kind)
    ||  s_put_string (pk, "format", self->format)
    ||  s_put_uint (pk, "chunk_no", self->chunk_no)
    ||  s_put_bool (pk, "last", self->last)
    ||  s_put_bytes (pk, "payload", self->payload, self->payload_size)
    ||  (self->sheet && *self->sheet && s_put_string (pk, "sheet", self->sheet)))
        return -1;
    return 0;
}

static int
s_decode_submit (s_decoder_t *dec, sv_proto_submit_t *self, uint32_t entries)
{
    static const s_field_t fields [7] = {
        { "batch_id", 8,  true },
        { "kind",     4,  true },
        { "format",   6,  true },
        { "chunk_no", 8,  true },
        { "last",     4,  true },
        { "payload",  7,  true },
        { "sheet",    5,  false },
    };
    bool seen [7] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 7, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->batch_id); break;
            case 1: rc = s_get_string (dec, &self->kind); break;
            case 2: rc = s_get_string (dec, &self->format); break;
            case 3: rc = s_get_uint (dec, &self->chunk_no); break;
            case 4: rc = s_get_bool (dec, &self->last); break;
            case 5: rc = s_get_bytes (dec, &self->payload, &self->payload_size); break;
            case 6: rc = s_get_string (dec, &self->sheet); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 7))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->sheet))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_submit (sv_proto_submit_t *self, bool owned)
{
    if (owned)
        free (self->batch_id);
    if (owned)
        free (self->kind);
    if (owned)
        free (self->format);
    if (owned)
        free (self->payload);
    if (owned)
        free (self->sheet);
}

static void
s_print_submit (const sv_proto_submit_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "batch_id", self->batch_id);
    s_print_string (out, indent, "kind", self->kind);
    s_print_string (out, indent, "format", self->format);
    s_print_uint (out, indent, "chunk_no", self->chunk_no);
    s_print_bool (out, indent, "last", self->last);
    s_print_bytes (out, indent, "payload", self->payload, self->payload_size);
    s_print_string (out, indent, "sheet", self->sheet);
}

//  ---------------------------------------------------------------------------
//  RECEIPT: ingest to partner: the outcome of a batch, sent only after the
//  rows it counts are committed. A resent batch gets the same receipt again.

//  The entries s_encode_receipt writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_receipt (const sv_proto_receipt_t *self)
{
    return 6
         + (self->warnings_count > 0)
         + (self->warned != 0)
         + (self->columns_count > 0);
}

static int
s_encode_receipt (msgpack_packer *pk, const sv_proto_receipt_t *self)
{
    if (s_put_string (pk, "batch_id", self->batch_id)
    ||  s_put_string (pk, "state", self->state)
    ||  s_put_uint (pk, "accepted", self->accepted)
    ||  s_put_uint (pk, "rejected", self->rejected)
    ||  s_put_uint (pk, "duplicates", self->duplicates)
    ||  s_encode_row_error_list (pk, "errors", self->errors, self->errors_count)
    ||  (self->warnings_count > 0 && s_encode_row_error_list (pk, "warnings", self->warnings, self->warnings_count))
    ||  (self->warned != 0 && s_put_uint (pk, "warned", self->warned))
    ||  (self->columns_count > 0 && s_encode_column_map_list (pk, "columns", self->columns, self->columns_count)))
        return -1;
    return 0;
}

static int
s_decode_receipt (s_decoder_t *dec, sv_proto_receipt_t *self, uint32_t entries)
{
    static const s_field_t fields [9] = {
        { "batch_id",   8,  true },
        { "state",      5,  true },
        { "accepted",   8,  true },
        { "rejected",   8,  true },
        { "duplicates", 10, true },
        { "errors",     6,  true },
        { "warnings",   8,  false },
        { "warned",     6,  false },
        { "columns",    7,  false },
    };
    bool seen [9] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 9, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->batch_id); break;
            case 1: rc = s_get_string (dec, &self->state); break;
            case 2: rc = s_get_uint (dec, &self->accepted); break;
            case 3: rc = s_get_uint (dec, &self->rejected); break;
            case 4: rc = s_get_uint (dec, &self->duplicates); break;
            case 5: rc = s_decode_row_error_list (dec, &self->errors, &self->errors_count); break;
            case 6: rc = s_decode_row_error_list (dec, &self->warnings, &self->warnings_count); break;
            case 7: rc = s_get_uint (dec, &self->warned); break;
            case 8: rc = s_decode_column_map_list (dec, &self->columns, &self->columns_count); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 9);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_receipt (sv_proto_receipt_t *self, bool owned)
{
    if (owned)
        free (self->batch_id);
    if (owned)
        free (self->state);
    s_free_row_error_list (self->errors, self->errors_count, owned);
    s_free_row_error_list (self->warnings, self->warnings_count, owned);
    s_free_column_map_list (self->columns, self->columns_count, owned);
}

static void
s_print_receipt (const sv_proto_receipt_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "batch_id", self->batch_id);
    s_print_string (out, indent, "state", self->state);
    s_print_uint (out, indent, "accepted", self->accepted);
    s_print_uint (out, indent, "rejected", self->rejected);
    s_print_uint (out, indent, "duplicates", self->duplicates);
    s_print_row_error_list (out, indent, "errors", self->errors, self->errors_count);
    s_print_row_error_list (out, indent, "warnings", self->warnings, self->warnings_count);
    s_print_uint (out, indent, "warned", self->warned);
    s_print_column_map_list (out, indent, "columns", self->columns, self->columns_count);
}

//  ---------------------------------------------------------------------------
//  CREDIT: ingest to partner: permission to send more chunks of a batch.
//  Credit adds up; a partner with none left waits for the next CREDIT.

//  The entries s_encode_credit writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_credit (const sv_proto_credit_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_credit (msgpack_packer *pk, const sv_proto_credit_t *self)
{
    if (s_put_string (pk, "batch_id", self->batch_id)
    ||  s_put_uint (pk, "credit", self->credit))
        return -1;
    return 0;
}

static int
s_decode_credit (s_decoder_t *dec, sv_proto_credit_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "batch_id", 8,  true },
        { "credit",   6,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->batch_id); break;
            case 1: rc = s_get_uint (dec, &self->credit); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_credit (sv_proto_credit_t *self, bool owned)
{
    if (owned)
        free (self->batch_id);
}

static void
s_print_credit (const sv_proto_credit_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "batch_id", self->batch_id);
    s_print_uint (out, indent, "credit", self->credit);
}

//  ---------------------------------------------------------------------------
//  FETCH: consumer to producer: ask for the events of a stream after the last
//  one the consumer committed. The producer answers with EVENTS, holding the
//  request until something newer exists or a heartbeat interval ends.

//  The entries s_encode_fetch writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_fetch (const sv_proto_fetch_t *self)
{
    return 3
         + (self->types && *self->types);
}

static int
s_encode_fetch (msgpack_packer *pk, const sv_proto_fetch_t *self)
{
    if (s_put_string (pk, "stream", self->stream)
    ||  s_put_uint (pk, "after_seq", self->after_seq)
    ||  s_put_uint (pk, "max", self->max)
    ||  (self->types && *self->types && s_put_string (pk, "types", self->types)))
        return -1;
    return 0;
}

static int
s_decode_fetch (s_decoder_t *dec, sv_proto_fetch_t *self, uint32_t entries)
{
    static const s_field_t fields [4] = {
        { "stream",    6,  true },
        { "after_seq", 9,  true },
        { "max",       3,  true },
        { "types",     5,  false },
    };
    bool seen [4] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 4, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->stream); break;
            case 1: rc = s_get_uint (dec, &self->after_seq); break;
            case 2: rc = s_get_uint (dec, &self->max); break;
            case 3: rc = s_get_string (dec, &self->types); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 4))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->types))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_fetch (sv_proto_fetch_t *self, bool owned)
{
    if (owned)
        free (self->stream);
    if (owned)
        free (self->types);
}

static void
s_print_fetch (const sv_proto_fetch_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "stream", self->stream);
    s_print_uint (out, indent, "after_seq", self->after_seq);
    s_print_uint (out, indent, "max", self->max);
    s_print_string (out, indent, "types", self->types);
}

//  ---------------------------------------------------------------------------
//  EVENTS: producer to consumer: the answer to FETCH, in seq order; empty when
//  the heartbeat interval passed with nothing new.

//  The entries s_encode_events writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_events (const sv_proto_events_t *self)
{
    return 4
         + (self->scanned_seq != 0);
}

static int
s_encode_events (msgpack_packer *pk, const sv_proto_events_t *self)
{
    if (s_put_string (pk, "stream", self->stream)
    ||  s_put_uint (pk, "after_seq", self->after_seq)
    ||  s_put_uint (pk, "head_seq", self->head_seq)
    ||  s_encode_event_list (pk, "events", self->events, self->events_count)
    ||  (self->scanned_seq != 0 && s_put_uint (pk, "scanned_seq", self->scanned_seq)))
        return -1;
    return 0;
}

static int
s_decode_events (s_decoder_t *dec, sv_proto_events_t *self, uint32_t entries)
{
    static const s_field_t fields [5] = {
        { "stream",      6,  true },
        { "after_seq",   9,  true },
        { "head_seq",    8,  true },
        { "events",      6,  true },
        { "scanned_seq", 11, false },
    };
    bool seen [5] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 5, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->stream); break;
            case 1: rc = s_get_uint (dec, &self->after_seq); break;
            case 2: rc = s_get_uint (dec, &self->head_seq); break;
            case 3: rc = s_decode_event_list (dec, &self->events, &self->events_count); break;
            case 4: rc = s_get_uint (dec, &self->scanned_seq); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 5);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_events (sv_proto_events_t *self, bool owned)
{
    if (owned)
        free (self->stream);
    s_free_event_list (self->events, self->events_count, owned);
}

static void
s_print_events (const sv_proto_events_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "stream", self->stream);
    s_print_uint (out, indent, "after_seq", self->after_seq);
    s_print_uint (out, indent, "head_seq", self->head_seq);
    s_print_event_list (out, indent, "events", self->events, self->events_count);
    s_print_uint (out, indent, "scanned_seq", self->scanned_seq);
}

//  ---------------------------------------------------------------------------
//  ERROR: any service to a requester: the request was refused.

//  The entries s_encode_error writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_error (const sv_proto_error_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_error (msgpack_packer *pk, const sv_proto_error_t *self)
{
    if (s_put_uint (pk, "code", self->code)
    ||  s_put_string (pk, "reason", self->reason))
        return -1;
    return 0;
}

static int
s_decode_error (s_decoder_t *dec, sv_proto_error_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "code",   4,  true },
        { "reason", 6,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_uint (dec, &self->code); break;
            case 1: rc = s_get_string (dec, &self->reason); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_error (sv_proto_error_t *self, bool owned)
{
    if (owned)
        free (self->reason);
}

static void
s_print_error (const sv_proto_error_t *self, FILE *out, const char *indent)
{
    s_print_uint (out, indent, "code", self->code);
    s_print_string (out, indent, "reason", self->reason);
}

//  ---------------------------------------------------------------------------
//  STATUS: operator to any service: ask how it is doing. Answered by
//  STATUS_REPLY.

//  The entries s_encode_status writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_status (const sv_proto_status_t *self)
{
    (void) self;
    return 0;
}

static int
s_encode_status (msgpack_packer *pk, const sv_proto_status_t *self)
{
    (void) pk;
    (void) self;
    return 0;
}

static int
s_decode_status (s_decoder_t *dec, sv_proto_status_t *self, uint32_t entries)
{
    (void) self;
    return s_skip_entries (dec, entries);  //  STATUS has no fields
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_status (sv_proto_status_t *self, bool owned)
{
    (void) self;
    (void) owned;
}

static void
s_print_status (const sv_proto_status_t *self, FILE *out, const char *indent)
{
    (void) self;
    (void) out;
    (void) indent;
}

//  ---------------------------------------------------------------------------
//  STATUS_REPLY: any service to operator: its version, uptime, the heads of
//  the streams it produces, how far it has consumed its upstreams, table
//  sizes, and the problems it is running with.

//  The entries s_encode_status_reply writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_status_reply (const sv_proto_status_reply_t *self)
{
    return 6
         + (self->problems_count > 0);
}

static int
s_encode_status_reply (msgpack_packer *pk, const sv_proto_status_reply_t *self)
{
    if (s_put_string (pk, "service", self->service)
    ||  s_put_string (pk, "version", self->version)
    ||  s_put_uint (pk, "uptime_ms", self->uptime_ms)
    ||  s_encode_stream_head_list (pk, "streams", self->streams, self->streams_count)
    ||  s_encode_consumer_offset_list (pk, "consumers", self->consumers, self->consumers_count)
    ||  s_encode_row_count_list (pk, "counts", self->counts, self->counts_count)
    ||  (self->problems_count > 0 && s_encode_problem_list (pk, "problems", self->problems, self->problems_count)))
        return -1;
    return 0;
}

static int
s_decode_status_reply (s_decoder_t *dec, sv_proto_status_reply_t *self, uint32_t entries)
{
    static const s_field_t fields [7] = {
        { "service",   7,  true },
        { "version",   7,  true },
        { "uptime_ms", 9,  true },
        { "streams",   7,  true },
        { "consumers", 9,  true },
        { "counts",    6,  true },
        { "problems",  8,  false },
    };
    bool seen [7] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 7, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->service); break;
            case 1: rc = s_get_string (dec, &self->version); break;
            case 2: rc = s_get_uint (dec, &self->uptime_ms); break;
            case 3: rc = s_decode_stream_head_list (dec, &self->streams, &self->streams_count); break;
            case 4: rc = s_decode_consumer_offset_list (dec, &self->consumers, &self->consumers_count); break;
            case 5: rc = s_decode_row_count_list (dec, &self->counts, &self->counts_count); break;
            case 6: rc = s_decode_problem_list (dec, &self->problems, &self->problems_count); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 7);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_status_reply (sv_proto_status_reply_t *self, bool owned)
{
    if (owned)
        free (self->service);
    if (owned)
        free (self->version);
    s_free_stream_head_list (self->streams, self->streams_count, owned);
    s_free_consumer_offset_list (self->consumers, self->consumers_count, owned);
    s_free_row_count_list (self->counts, self->counts_count, owned);
    s_free_problem_list (self->problems, self->problems_count, owned);
}

static void
s_print_status_reply (const sv_proto_status_reply_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "service", self->service);
    s_print_string (out, indent, "version", self->version);
    s_print_uint (out, indent, "uptime_ms", self->uptime_ms);
    s_print_stream_head_list (out, indent, "streams", self->streams, self->streams_count);
    s_print_consumer_offset_list (out, indent, "consumers", self->consumers, self->consumers_count);
    s_print_row_count_list (out, indent, "counts", self->counts, self->counts_count);
    s_print_problem_list (out, indent, "problems", self->problems, self->problems_count);
}

//  ---------------------------------------------------------------------------
//  REPORT_REQUEST: socval to reporting: assemble a report now. Answered by
//  REPORT_READY or ERROR (404 for a year with no data, the reason naming the
//  years that have some).

//  The entries s_encode_report_request writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_report_request (const sv_proto_report_request_t *self)
{
    return 1
         + (self->year && *self->year)
         + (self->partner && *self->partner)
         + (self->format && *self->format)
         + (self->contract && *self->contract)
         + (self->supplier && *self->supplier)
         + (self->from_byte != 0)
         + (self->at_count > 0);
}

static int
s_encode_report_request (msgpack_packer *pk, const sv_proto_report_request_t *self)
{
    if (s_put_string (pk, "kind", self->kind)
    ||  (self->year && *self->year && s_put_string (pk, "year", self->year))
    ||  (self->partner && *self->partner && s_put_string (pk, "partner", self->partner))
    ||  (self->format && *self->format && s_put_string (pk, "format", self->format))
    ||  (self->contract && *self->contract && s_put_string (pk, "contract", self->contract))
    ||  (self->supplier && *self->supplier && s_put_string (pk, "supplier", self->supplier))
    ||  (self->from_byte != 0 && s_put_uint (pk, "from_byte", self->from_byte))
    ||  (self->at_count > 0 && s_encode_stream_head_list (pk, "at", self->at, self->at_count)))
        return -1;
    return 0;
}

static int
s_decode_report_request (s_decoder_t *dec, sv_proto_report_request_t *self, uint32_t entries)
{
    static const s_field_t fields [8] = {
        { "kind",      4,  true },
        { "year",      4,  false },
        { "partner",   7,  false },
        { "format",    6,  false },
        { "contract",  8,  false },
        { "supplier",  8,  false },
        { "from_byte", 9,  false },
        { "at",        2,  false },
    };
    bool seen [8] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 8, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->kind); break;
            case 1: rc = s_get_string (dec, &self->year); break;
            case 2: rc = s_get_string (dec, &self->partner); break;
            case 3: rc = s_get_string (dec, &self->format); break;
            case 4: rc = s_get_string (dec, &self->contract); break;
            case 5: rc = s_get_string (dec, &self->supplier); break;
            case 6: rc = s_get_uint (dec, &self->from_byte); break;
            case 7: rc = s_decode_stream_head_list (dec, &self->at, &self->at_count); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 8))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->year)
    ||  s_default_string (dec, &self->partner)
    ||  s_default_string (dec, &self->format)
    ||  s_default_string (dec, &self->contract)
    ||  s_default_string (dec, &self->supplier))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_report_request (sv_proto_report_request_t *self, bool owned)
{
    if (owned)
        free (self->kind);
    if (owned)
        free (self->year);
    if (owned)
        free (self->partner);
    if (owned)
        free (self->format);
    if (owned)
        free (self->contract);
    if (owned)
        free (self->supplier);
    s_free_stream_head_list (self->at, self->at_count, owned);
}

static void
s_print_report_request (const sv_proto_report_request_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "kind", self->kind);
    s_print_string (out, indent, "year", self->year);
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "format", self->format);
    s_print_string (out, indent, "contract", self->contract);
    s_print_string (out, indent, "supplier", self->supplier);
    s_print_uint (out, indent, "from_byte", self->from_byte);
    s_print_stream_head_list (out, indent, "at", self->at, self->at_count);
}

//  ---------------------------------------------------------------------------
//  REPORT_READY: reporting to socval and to its stream: a report has been
//  assembled.

//  The entries s_encode_report_ready writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_report_ready (const sv_proto_report_ready_t *self)
{
    return 7
         + (self->files_count > 0)
         + (self->total_bytes != 0);
}

static int
s_encode_report_ready (msgpack_packer *pk, const sv_proto_report_ready_t *self)
{
    if (s_put_string (pk, "kind", self->kind)
    ||  s_put_string (pk, "year", self->year)
    ||  s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "format", self->format)
    ||  s_put_string (pk, "path", self->path)
    ||  s_encode_stream_head_list (pk, "offsets", self->offsets, self->offsets_count)
    ||  s_put_string (pk, "created", self->created)
    ||  (self->files_count > 0 && s_encode_report_file_list (pk, "files", self->files, self->files_count))
    ||  (self->total_bytes != 0 && s_put_uint (pk, "total_bytes", self->total_bytes)))
        return -1;
    return 0;
}

static int
s_decode_report_ready (s_decoder_t *dec, sv_proto_report_ready_t *self, uint32_t entries)
{
    static const s_field_t fields [9] = {
        { "kind",        4,  true },
        { "year",        4,  true },
        { "partner",     7,  true },
        { "format",      6,  true },
        { "path",        4,  true },
        { "offsets",     7,  true },
        { "created",     7,  true },
        { "files",       5,  false },
        { "total_bytes", 11, false },
    };
    bool seen [9] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 9, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->kind); break;
            case 1: rc = s_get_string (dec, &self->year); break;
            case 2: rc = s_get_string (dec, &self->partner); break;
            case 3: rc = s_get_string (dec, &self->format); break;
            case 4: rc = s_get_string (dec, &self->path); break;
            case 5: rc = s_decode_stream_head_list (dec, &self->offsets, &self->offsets_count); break;
            case 6: rc = s_get_string (dec, &self->created); break;
            case 7: rc = s_decode_report_file_list (dec, &self->files, &self->files_count); break;
            case 8: rc = s_get_uint (dec, &self->total_bytes); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 9);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_report_ready (sv_proto_report_ready_t *self, bool owned)
{
    if (owned)
        free (self->kind);
    if (owned)
        free (self->year);
    if (owned)
        free (self->partner);
    if (owned)
        free (self->format);
    if (owned)
        free (self->path);
    s_free_stream_head_list (self->offsets, self->offsets_count, owned);
    if (owned)
        free (self->created);
    s_free_report_file_list (self->files, self->files_count, owned);
}

static void
s_print_report_ready (const sv_proto_report_ready_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "kind", self->kind);
    s_print_string (out, indent, "year", self->year);
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "format", self->format);
    s_print_string (out, indent, "path", self->path);
    s_print_stream_head_list (out, indent, "offsets", self->offsets, self->offsets_count);
    s_print_string (out, indent, "created", self->created);
    s_print_report_file_list (out, indent, "files", self->files, self->files_count);
    s_print_uint (out, indent, "total_bytes", self->total_bytes);
}

//  ---------------------------------------------------------------------------
//  EXPLAIN_REQUEST: socval to reporting: how one figure of a report is made,
//  down to the lines that add up to it. Answered by EXPLANATION, or by ERROR:
//  404 for a figure path the report does not have (the reason naming the
//  nearest paths it has) or a year with no data, 400 for a malformed path. A
//  reporting service older than this message answers ERROR too.

//  The entries s_encode_explain_request writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_explain_request (const sv_proto_explain_request_t *self)
{
    return 2
         + (self->year && *self->year)
         + (self->partner && *self->partner)
         + (self->after != 0)
         + (self->max != 0);
}

static int
s_encode_explain_request (msgpack_packer *pk, const sv_proto_explain_request_t *self)
{
    if (s_put_string (pk, "kind", self->kind)
    ||  (self->year && *self->year && s_put_string (pk, "year", self->year))
    ||  (self->partner && *self->partner && s_put_string (pk, "partner", self->partner))
    ||  s_put_string (pk, "figure", self->figure)
    ||  (self->after != 0 && s_put_uint (pk, "after", self->after))
    ||  (self->max != 0 && s_put_uint (pk, "max", self->max)))
        return -1;
    return 0;
}

static int
s_decode_explain_request (s_decoder_t *dec, sv_proto_explain_request_t *self, uint32_t entries)
{
    static const s_field_t fields [6] = {
        { "kind",    4,  true },
        { "year",    4,  false },
        { "partner", 7,  false },
        { "figure",  6,  true },
        { "after",   5,  false },
        { "max",     3,  false },
    };
    bool seen [6] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 6, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->kind); break;
            case 1: rc = s_get_string (dec, &self->year); break;
            case 2: rc = s_get_string (dec, &self->partner); break;
            case 3: rc = s_get_string (dec, &self->figure); break;
            case 4: rc = s_get_uint (dec, &self->after); break;
            case 5: rc = s_get_uint (dec, &self->max); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 6))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->year)
    ||  s_default_string (dec, &self->partner))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_explain_request (sv_proto_explain_request_t *self, bool owned)
{
    if (owned)
        free (self->kind);
    if (owned)
        free (self->year);
    if (owned)
        free (self->partner);
    if (owned)
        free (self->figure);
}

static void
s_print_explain_request (const sv_proto_explain_request_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "kind", self->kind);
    s_print_string (out, indent, "year", self->year);
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "figure", self->figure);
    s_print_uint (out, indent, "after", self->after);
    s_print_uint (out, indent, "max", self->max);
}

//  ---------------------------------------------------------------------------
//  EXPLANATION: reporting to socval: how the figure asked for is made.

//  The entries s_encode_explanation writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_explanation (const sv_proto_explanation_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_explanation (msgpack_packer *pk, const sv_proto_explanation_t *self)
{
    if (s_put_string (pk, "figure", self->figure)
    ||  s_put_bytes (pk, "document", self->document, self->document_size))
        return -1;
    return 0;
}

static int
s_decode_explanation (s_decoder_t *dec, sv_proto_explanation_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "figure",   6,  true },
        { "document", 8,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->figure); break;
            case 1: rc = s_get_bytes (dec, &self->document, &self->document_size); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_explanation (sv_proto_explanation_t *self, bool owned)
{
    if (owned)
        free (self->figure);
    if (owned)
        free (self->document);
}

static void
s_print_explanation (const sv_proto_explanation_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "figure", self->figure);
    s_print_bytes (out, indent, "document", self->document, self->document_size);
}

//  ---------------------------------------------------------------------------
//  ALERT_ACK: socval to compliance: a person has seen an alert. Compliance
//  appends the acknowledged ALERT to its stream.

//  The entries s_encode_alert_ack writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_alert_ack (const sv_proto_alert_ack_t *self)
{
    return 1
         + (self->by && *self->by);
}

static int
s_encode_alert_ack (msgpack_packer *pk, const sv_proto_alert_ack_t *self)
{
    if (s_put_string (pk, "alert_id", self->alert_id)
    ||  (self->by && *self->by && s_put_string (pk, "by", self->by)))
        return -1;
    return 0;
}

static int
s_decode_alert_ack (s_decoder_t *dec, sv_proto_alert_ack_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "alert_id", 8,  true },
        { "by",       2,  false },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->alert_id); break;
            case 1: rc = s_get_string (dec, &self->by); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 2))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->by))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_alert_ack (sv_proto_alert_ack_t *self, bool owned)
{
    if (owned)
        free (self->alert_id);
    if (owned)
        free (self->by);
}

static void
s_print_alert_ack (const sv_proto_alert_ack_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "alert_id", self->alert_id);
    s_print_string (out, indent, "by", self->by);
}

//  ---------------------------------------------------------------------------
//  FRAMEWORK_IMPORT: socval to valuation: load a TOMs framework (themes,
//  outcomes, measures with their units and proxy values per year).

//  The entries s_encode_framework_import writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_framework_import (const sv_proto_framework_import_t *self)
{
    (void) self;
    return 2;
}

static int
s_encode_framework_import (msgpack_packer *pk, const sv_proto_framework_import_t *self)
{
    if (s_put_string (pk, "name", self->name)
    ||  s_put_bytes (pk, "payload", self->payload, self->payload_size))
        return -1;
    return 0;
}

static int
s_decode_framework_import (s_decoder_t *dec, sv_proto_framework_import_t *self, uint32_t entries)
{
    static const s_field_t fields [2] = {
        { "name",    4,  true },
        { "payload", 7,  true },
    };
    bool seen [2] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->name); break;
            case 1: rc = s_get_bytes (dec, &self->payload, &self->payload_size); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 2);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_framework_import (sv_proto_framework_import_t *self, bool owned)
{
    if (owned)
        free (self->name);
    if (owned)
        free (self->payload);
}

static void
s_print_framework_import (const sv_proto_framework_import_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "name", self->name);
    s_print_bytes (out, indent, "payload", self->payload, self->payload_size);
}

//  ---------------------------------------------------------------------------
//  FRAMEWORK_LIST: socval to valuation: which frameworks are held. Answered by
//  FRAMEWORKS.

//  The entries s_encode_framework_list writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_framework_list (const sv_proto_framework_list_t *self)
{
    (void) self;
    return 0;
}

static int
s_encode_framework_list (msgpack_packer *pk, const sv_proto_framework_list_t *self)
{
    (void) pk;
    (void) self;
    return 0;
}

static int
s_decode_framework_list (s_decoder_t *dec, sv_proto_framework_list_t *self, uint32_t entries)
{
    (void) self;
    return s_skip_entries (dec, entries);  //  FRAMEWORK_LIST has no fields
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_framework_list (sv_proto_framework_list_t *self, bool owned)
{
    (void) self;
    (void) owned;
}

static void
s_print_framework_list (const sv_proto_framework_list_t *self, FILE *out, const char *indent)
{
    (void) self;
    (void) out;
    (void) indent;
}

//  ---------------------------------------------------------------------------
//  FRAMEWORKS: valuation to socval: the answer to FRAMEWORK_IMPORT (what was
//  imported, or why nothing was) and to FRAMEWORK_LIST (every framework held).

//  The entries s_encode_frameworks writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_frameworks (const sv_proto_frameworks_t *self)
{
    return 1
         + (self->reason && *self->reason)
         + (self->errors_count > 0)
         + (self->frameworks_count > 0)
         + (self->recomputed != 0);
}

static int
s_encode_frameworks (msgpack_packer *pk, const sv_proto_frameworks_t *self)
{
    if (s_put_bool (pk, "ok", self->ok)
    ||  (self->reason && *self->reason && s_put_string (pk, "reason", self->reason))
    ||  (self->errors_count > 0 && s_encode_row_error_list (pk, "errors", self->errors, self->errors_count))
    ||  (self->frameworks_count > 0 && s_encode_framework_info_list (pk, "frameworks", self->frameworks, self->frameworks_count))
    ||  (self->recomputed != 0 && s_put_uint (pk, "recomputed", self->recomputed)))
        return -1;
    return 0;
}

static int
s_decode_frameworks (s_decoder_t *dec, sv_proto_frameworks_t *self, uint32_t entries)
{
    static const s_field_t fields [5] = {
        { "ok",         2,  true },
        { "reason",     6,  false },
        { "errors",     6,  false },
        { "frameworks", 10, false },
        { "recomputed", 10, false },
    };
    bool seen [5] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 5, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_bool (dec, &self->ok); break;
            case 1: rc = s_get_string (dec, &self->reason); break;
            case 2: rc = s_decode_row_error_list (dec, &self->errors, &self->errors_count); break;
            case 3: rc = s_decode_framework_info_list (dec, &self->frameworks, &self->frameworks_count); break;
            case 4: rc = s_get_uint (dec, &self->recomputed); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 5))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->reason))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_frameworks (sv_proto_frameworks_t *self, bool owned)
{
    if (owned)
        free (self->reason);
    s_free_row_error_list (self->errors, self->errors_count, owned);
    s_free_framework_info_list (self->frameworks, self->frameworks_count, owned);
}

static void
s_print_frameworks (const sv_proto_frameworks_t *self, FILE *out, const char *indent)
{
    s_print_bool (out, indent, "ok", self->ok);
    s_print_string (out, indent, "reason", self->reason);
    s_print_row_error_list (out, indent, "errors", self->errors, self->errors_count);
    s_print_framework_info_list (out, indent, "frameworks", self->frameworks, self->frameworks_count);
    s_print_uint (out, indent, "recomputed", self->recomputed);
}

//  ---------------------------------------------------------------------------
//  SUPPLIER_LIST: socval to valuation: which suppliers are known, every
//  partner's, for `socval suppliers resolve` to look for in Companies House's
//  file. Answered by SUPPLIERS.

//  The entries s_encode_supplier_list writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_supplier_list (const sv_proto_supplier_list_t *self)
{
    (void) self;
    return 0;
}

static int
s_encode_supplier_list (msgpack_packer *pk, const sv_proto_supplier_list_t *self)
{
    (void) pk;
    (void) self;
    return 0;
}

static int
s_decode_supplier_list (s_decoder_t *dec, sv_proto_supplier_list_t *self, uint32_t entries)
{
    (void) self;
    return s_skip_entries (dec, entries);  //  SUPPLIER_LIST has no fields
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_supplier_list (sv_proto_supplier_list_t *self, bool owned)
{
    (void) self;
    (void) owned;
}

static void
s_print_supplier_list (const sv_proto_supplier_list_t *self, FILE *out, const char *indent)
{
    (void) self;
    (void) out;
    (void) indent;
}

//  ---------------------------------------------------------------------------
//  SUPPLIERS: valuation to socval: the answer to SUPPLIER_LIST.

//  The entries s_encode_suppliers writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_suppliers (const sv_proto_suppliers_t *self)
{
    (void) self;
    return 1;
}

static int
s_encode_suppliers (msgpack_packer *pk, const sv_proto_suppliers_t *self)
{
    if (s_encode_supplier_ref_list (pk, "suppliers", self->suppliers, self->suppliers_count))
        return -1;
    return 0;
}

static int
s_decode_suppliers (s_decoder_t *dec, sv_proto_suppliers_t *self, uint32_t entries)
{
    static const s_field_t fields [1] = {
        { "suppliers", 9,  true },
    };
    bool seen [1] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 1, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_decode_supplier_ref_list (dec, &self->suppliers, &self->suppliers_count); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 1);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_suppliers (sv_proto_suppliers_t *self, bool owned)
{
    s_free_supplier_ref_list (self->suppliers, self->suppliers_count, owned);
}

static void
s_print_suppliers (const sv_proto_suppliers_t *self, FILE *out, const char *indent)
{
    s_print_supplier_ref_list (out, indent, "suppliers", self->suppliers, self->suppliers_count);
}

//  ---------------------------------------------------------------------------
//  SUPPLIER: ingest stream: a supplier as last submitted by a partner.

//  The entries s_encode_supplier writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_supplier (const sv_proto_supplier_t *self)
{
    return 2
         + (self->name && *self->name)
         + (self->companies_house && *self->companies_house)
         + (self->supplier_id && *self->supplier_id)
         + (self->vat && *self->vat)
         + (self->postcode && *self->postcode)
         + (self->sme)
         + (self->vcse)
         + (self->rlw_accredited)
         + (self->employee_owned)
         + (self->redacted)
         + (self->rlw_expiry && *self->rlw_expiry);
}

static int
s_encode_supplier (msgpack_packer *pk, const sv_proto_supplier_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "supplier_key", self->supplier_key)
    ||  (self->name && *self->name && s_put_string (pk, "name", self->name))
    ||  (self->companies_house && *self->companies_house && s_put_string (pk, "companies_house", self->companies_house))
    ||  (self->supplier_id && *self->supplier_id && s_put_string (pk, "supplier_id", self->supplier_id))
    ||  (self->vat && *self->vat && s_put_string (pk, "vat", self->vat))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  (self->sme && s_put_bool (pk, "sme", self->sme))
    ||  (self->vcse && s_put_bool (pk, "vcse", self->vcse))
    ||  (self->rlw_accredited && s_put_bool (pk, "rlw_accredited", self->rlw_accredited))
    ||  (self->employee_owned && s_put_bool (pk, "employee_owned", self->employee_owned))
    ||  (self->redacted && s_put_bool (pk, "redacted", self->redacted))
    ||  (self->rlw_expiry && *self->rlw_expiry && s_put_string (pk, "rlw_expiry", self->rlw_expiry)))
        return -1;
    return 0;
}

static int
s_decode_supplier (s_decoder_t *dec, sv_proto_supplier_t *self, uint32_t entries)
{
    static const s_field_t fields [13] = {
        { "partner",         7,  true },
        { "supplier_key",    12, true },
        { "name",            4,  false },
        { "companies_house", 15, false },
        { "supplier_id",     11, false },
        { "vat",             3,  false },
        { "postcode",        8,  false },
        { "sme",             3,  false },
        { "vcse",            4,  false },
        { "rlw_accredited",  14, false },
        { "employee_owned",  14, false },
        { "redacted",        8,  false },
        { "rlw_expiry",      10, false },
    };
    bool seen [13] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 13, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->supplier_key); break;
            case 2: rc = s_get_string (dec, &self->name); break;
            case 3: rc = s_get_string (dec, &self->companies_house); break;
            case 4: rc = s_get_string (dec, &self->supplier_id); break;
            case 5: rc = s_get_string (dec, &self->vat); break;
            case 6: rc = s_get_string (dec, &self->postcode); break;
            case 7: rc = s_get_bool (dec, &self->sme); break;
            case 8: rc = s_get_bool (dec, &self->vcse); break;
            case 9: rc = s_get_bool (dec, &self->rlw_accredited); break;
            case 10: rc = s_get_bool (dec, &self->employee_owned); break;
            case 11: rc = s_get_bool (dec, &self->redacted); break;
            case 12: rc = s_get_string (dec, &self->rlw_expiry); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 13))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->name)
    ||  s_default_string (dec, &self->companies_house)
    ||  s_default_string (dec, &self->supplier_id)
    ||  s_default_string (dec, &self->vat)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->rlw_expiry))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_supplier (sv_proto_supplier_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->name);
    if (owned)
        free (self->companies_house);
    if (owned)
        free (self->supplier_id);
    if (owned)
        free (self->vat);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->rlw_expiry);
}

static void
s_print_supplier (const sv_proto_supplier_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "name", self->name);
    s_print_string (out, indent, "companies_house", self->companies_house);
    s_print_string (out, indent, "supplier_id", self->supplier_id);
    s_print_string (out, indent, "vat", self->vat);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_bool (out, indent, "sme", self->sme);
    s_print_bool (out, indent, "vcse", self->vcse);
    s_print_bool (out, indent, "rlw_accredited", self->rlw_accredited);
    s_print_bool (out, indent, "employee_owned", self->employee_owned);
    s_print_bool (out, indent, "redacted", self->redacted);
    s_print_string (out, indent, "rlw_expiry", self->rlw_expiry);
}

//  ---------------------------------------------------------------------------
//  COMPANY: ingest stream: what Companies House's register says of a supplier
//  socval knows, as resolved by `socval suppliers resolve` from the free bulk
//  file (BasicCompanyData) and sent as a feed of kind "companies". The
//  register is about the company, not the partner: valuation gives the
//  registered office to every partner's supplier of that key whose own
//  supplier feed gives no postcode (a partner's postcode always wins). Keyed
//  by supplier_key.

//  The entries s_encode_company writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_company (const sv_proto_company_t *self)
{
    return 4
         + (self->name && *self->name)
         + (self->postcode && *self->postcode)
         + (self->status && *self->status)
         + (self->dissolved && *self->dissolved)
         + (self->sic_codes && *self->sic_codes)
         + (self->rlw_category && *self->rlw_category)
         + (self->source && *self->source);
}

static int
s_encode_company (msgpack_packer *pk, const sv_proto_company_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "supplier_key", self->supplier_key)
    ||  s_put_string (pk, "company_number", self->company_number)
    ||  s_put_string (pk, "matched_by", self->matched_by)
    ||  (self->name && *self->name && s_put_string (pk, "name", self->name))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  (self->status && *self->status && s_put_string (pk, "status", self->status))
    ||  (self->dissolved && *self->dissolved && s_put_string (pk, "dissolved", self->dissolved))
    ||  (self->sic_codes && *self->sic_codes && s_put_string (pk, "sic_codes", self->sic_codes))
    ||  (self->rlw_category && *self->rlw_category && s_put_string (pk, "rlw_category", self->rlw_category))
    ||  (self->source && *self->source && s_put_string (pk, "source", self->source)))
        return -1;
    return 0;
}

static int
s_decode_company (s_decoder_t *dec, sv_proto_company_t *self, uint32_t entries)
{
    static const s_field_t fields [11] = {
        { "partner",        7,  true },
        { "supplier_key",   12, true },
        { "company_number", 14, true },
        { "matched_by",     10, true },
        { "name",           4,  false },
        { "postcode",       8,  false },
        { "status",         6,  false },
        { "dissolved",      9,  false },
        { "sic_codes",      9,  false },
        { "rlw_category",   12, false },
        { "source",         6,  false },
    };
    bool seen [11] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 11, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->supplier_key); break;
            case 2: rc = s_get_string (dec, &self->company_number); break;
            case 3: rc = s_get_string (dec, &self->matched_by); break;
            case 4: rc = s_get_string (dec, &self->name); break;
            case 5: rc = s_get_string (dec, &self->postcode); break;
            case 6: rc = s_get_string (dec, &self->status); break;
            case 7: rc = s_get_string (dec, &self->dissolved); break;
            case 8: rc = s_get_string (dec, &self->sic_codes); break;
            case 9: rc = s_get_string (dec, &self->rlw_category); break;
            case 10: rc = s_get_string (dec, &self->source); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 11))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->name)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->status)
    ||  s_default_string (dec, &self->dissolved)
    ||  s_default_string (dec, &self->sic_codes)
    ||  s_default_string (dec, &self->rlw_category)
    ||  s_default_string (dec, &self->source))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_company (sv_proto_company_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->company_number);
    if (owned)
        free (self->matched_by);
    if (owned)
        free (self->name);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->status);
    if (owned)
        free (self->dissolved);
    if (owned)
        free (self->sic_codes);
    if (owned)
        free (self->rlw_category);
    if (owned)
        free (self->source);
}

static void
s_print_company (const sv_proto_company_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "company_number", self->company_number);
    s_print_string (out, indent, "matched_by", self->matched_by);
    s_print_string (out, indent, "name", self->name);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_string (out, indent, "status", self->status);
    s_print_string (out, indent, "dissolved", self->dissolved);
    s_print_string (out, indent, "sic_codes", self->sic_codes);
    s_print_string (out, indent, "rlw_category", self->rlw_category);
    s_print_string (out, indent, "source", self->source);
}

//  ---------------------------------------------------------------------------
//  CONTRACT: ingest stream: a contract as last submitted by a partner.

//  The entries s_encode_contract writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_contract (const sv_proto_contract_t *self)
{
    return 2
         + (self->title && *self->title)
         + (self->supplier_key && *self->supplier_key)
         + (self->category && *self->category)
         + (self->value_pence != 0)
         + (self->start_date && *self->start_date)
         + (self->end_date && *self->end_date)
         + (self->rlw_in_scope && *self->rlw_in_scope)
         + (self->rlw_commitment)
         + (self->incomplete)
         + (self->ocid && *self->ocid)
         + (self->release_date && *self->release_date);
}

static int
s_encode_contract (msgpack_packer *pk, const sv_proto_contract_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "contract_id", self->contract_id)
    ||  (self->title && *self->title && s_put_string (pk, "title", self->title))
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  (self->category && *self->category && s_put_string (pk, "category", self->category))
    ||  (self->value_pence != 0 && s_put_int (pk, "value_pence", self->value_pence))
    ||  (self->start_date && *self->start_date && s_put_string (pk, "start_date", self->start_date))
    ||  (self->end_date && *self->end_date && s_put_string (pk, "end_date", self->end_date))
    ||  (self->rlw_in_scope && *self->rlw_in_scope && s_put_string (pk, "rlw_in_scope", self->rlw_in_scope))
    ||  (self->rlw_commitment && s_put_bool (pk, "rlw_commitment", self->rlw_commitment))
    ||  (self->incomplete && s_put_bool (pk, "incomplete", self->incomplete))
    ||  (self->ocid && *self->ocid && s_put_string (pk, "ocid", self->ocid))
    ||  (self->release_date && *self->release_date && s_put_string (pk, "release_date", self->release_date)))
        return -1;
    return 0;
}

static int
s_decode_contract (s_decoder_t *dec, sv_proto_contract_t *self, uint32_t entries)
{
    static const s_field_t fields [13] = {
        { "partner",        7,  true },
        { "contract_id",    11, true },
        { "title",          5,  false },
        { "supplier_key",   12, false },
        { "category",       8,  false },
        { "value_pence",    11, false },
        { "start_date",     10, false },
        { "end_date",       8,  false },
        { "rlw_in_scope",   12, false },
        { "rlw_commitment", 14, false },
        { "incomplete",     10, false },
        { "ocid",           4,  false },
        { "release_date",   12, false },
    };
    bool seen [13] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 13, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->contract_id); break;
            case 2: rc = s_get_string (dec, &self->title); break;
            case 3: rc = s_get_string (dec, &self->supplier_key); break;
            case 4: rc = s_get_string (dec, &self->category); break;
            case 5: rc = s_get_int (dec, &self->value_pence); break;
            case 6: rc = s_get_string (dec, &self->start_date); break;
            case 7: rc = s_get_string (dec, &self->end_date); break;
            case 8: rc = s_get_string (dec, &self->rlw_in_scope); break;
            case 9: rc = s_get_bool (dec, &self->rlw_commitment); break;
            case 10: rc = s_get_bool (dec, &self->incomplete); break;
            case 11: rc = s_get_string (dec, &self->ocid); break;
            case 12: rc = s_get_string (dec, &self->release_date); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 13))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->title)
    ||  s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->category)
    ||  s_default_string (dec, &self->start_date)
    ||  s_default_string (dec, &self->end_date)
    ||  s_default_string (dec, &self->rlw_in_scope)
    ||  s_default_string (dec, &self->ocid)
    ||  s_default_string (dec, &self->release_date))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_contract (sv_proto_contract_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->contract_id);
    if (owned)
        free (self->title);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->category);
    if (owned)
        free (self->start_date);
    if (owned)
        free (self->end_date);
    if (owned)
        free (self->rlw_in_scope);
    if (owned)
        free (self->ocid);
    if (owned)
        free (self->release_date);
}

static void
s_print_contract (const sv_proto_contract_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "contract_id", self->contract_id);
    s_print_string (out, indent, "title", self->title);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "category", self->category);
    s_print_int (out, indent, "value_pence", self->value_pence);
    s_print_string (out, indent, "start_date", self->start_date);
    s_print_string (out, indent, "end_date", self->end_date);
    s_print_string (out, indent, "rlw_in_scope", self->rlw_in_scope);
    s_print_bool (out, indent, "rlw_commitment", self->rlw_commitment);
    s_print_bool (out, indent, "incomplete", self->incomplete);
    s_print_string (out, indent, "ocid", self->ocid);
    s_print_string (out, indent, "release_date", self->release_date);
}

//  ---------------------------------------------------------------------------
//  SPEND: ingest stream: one line of a partner's payment data.

//  The entries s_encode_spend writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_spend (const sv_proto_spend_t *self)
{
    return 5
         + (self->supplier_key && *self->supplier_key)
         + (self->supplier_name && *self->supplier_name)
         + (self->postcode && *self->postcode)
         + (self->body_name && *self->body_name)
         + (self->expense_area && *self->expense_area)
         + (self->expense_type && *self->expense_type)
         + (self->expense_code && *self->expense_code)
         + (self->capital_revenue && *self->capital_revenue)
         + (self->narrative && *self->narrative)
         + (self->redacted);
}

static int
s_encode_spend (msgpack_packer *pk, const sv_proto_spend_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "transaction_no", self->transaction_no)
    ||  s_put_uint (pk, "line", self->line)
    ||  s_put_string (pk, "payment_date", self->payment_date)
    ||  s_put_int (pk, "amount_pence", self->amount_pence)
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  (self->supplier_name && *self->supplier_name && s_put_string (pk, "supplier_name", self->supplier_name))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  (self->body_name && *self->body_name && s_put_string (pk, "body_name", self->body_name))
    ||  (self->expense_area && *self->expense_area && s_put_string (pk, "expense_area", self->expense_area))
    ||  (self->expense_type && *self->expense_type && s_put_string (pk, "expense_type", self->expense_type))
    ||  (self->expense_code && *self->expense_code && s_put_string (pk, "expense_code", self->expense_code))
    ||  (self->capital_revenue && *self->capital_revenue && s_put_string (pk, "capital_revenue", self->capital_revenue))
    ||  (self->narrative && *self->narrative && s_put_string (pk, "narrative", self->narrative))
    ||  (self->redacted && s_put_bool (pk, "redacted", self->redacted)))
        return -1;
    return 0;
}

static int
s_decode_spend (s_decoder_t *dec, sv_proto_spend_t *self, uint32_t entries)
{
    static const s_field_t fields [15] = {
        { "partner",         7,  true },
        { "transaction_no",  14, true },
        { "line",            4,  true },
        { "payment_date",    12, true },
        { "amount_pence",    12, true },
        { "supplier_key",    12, false },
        { "supplier_name",   13, false },
        { "postcode",        8,  false },
        { "body_name",       9,  false },
        { "expense_area",    12, false },
        { "expense_type",    12, false },
        { "expense_code",    12, false },
        { "capital_revenue", 15, false },
        { "narrative",       9,  false },
        { "redacted",        8,  false },
    };
    bool seen [15] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 15, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->transaction_no); break;
            case 2: rc = s_get_uint (dec, &self->line); break;
            case 3: rc = s_get_string (dec, &self->payment_date); break;
            case 4: rc = s_get_int (dec, &self->amount_pence); break;
            case 5: rc = s_get_string (dec, &self->supplier_key); break;
            case 6: rc = s_get_string (dec, &self->supplier_name); break;
            case 7: rc = s_get_string (dec, &self->postcode); break;
            case 8: rc = s_get_string (dec, &self->body_name); break;
            case 9: rc = s_get_string (dec, &self->expense_area); break;
            case 10: rc = s_get_string (dec, &self->expense_type); break;
            case 11: rc = s_get_string (dec, &self->expense_code); break;
            case 12: rc = s_get_string (dec, &self->capital_revenue); break;
            case 13: rc = s_get_string (dec, &self->narrative); break;
            case 14: rc = s_get_bool (dec, &self->redacted); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 15))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->supplier_name)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->body_name)
    ||  s_default_string (dec, &self->expense_area)
    ||  s_default_string (dec, &self->expense_type)
    ||  s_default_string (dec, &self->expense_code)
    ||  s_default_string (dec, &self->capital_revenue)
    ||  s_default_string (dec, &self->narrative))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_spend (sv_proto_spend_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->transaction_no);
    if (owned)
        free (self->payment_date);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->supplier_name);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->body_name);
    if (owned)
        free (self->expense_area);
    if (owned)
        free (self->expense_type);
    if (owned)
        free (self->expense_code);
    if (owned)
        free (self->capital_revenue);
    if (owned)
        free (self->narrative);
}

static void
s_print_spend (const sv_proto_spend_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "transaction_no", self->transaction_no);
    s_print_uint (out, indent, "line", self->line);
    s_print_string (out, indent, "payment_date", self->payment_date);
    s_print_int (out, indent, "amount_pence", self->amount_pence);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "supplier_name", self->supplier_name);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_string (out, indent, "body_name", self->body_name);
    s_print_string (out, indent, "expense_area", self->expense_area);
    s_print_string (out, indent, "expense_type", self->expense_type);
    s_print_string (out, indent, "expense_code", self->expense_code);
    s_print_string (out, indent, "capital_revenue", self->capital_revenue);
    s_print_string (out, indent, "narrative", self->narrative);
    s_print_bool (out, indent, "redacted", self->redacted);
}

//  ---------------------------------------------------------------------------
//  COMMITMENT: ingest stream: what a supplier committed to deliver against one
//  measure of the framework in one year of a contract.

//  The entries s_encode_commitment writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_commitment (const sv_proto_commitment_t *self)
{
    (void) self;
    return 5;
}

static int
s_encode_commitment (msgpack_packer *pk, const sv_proto_commitment_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "contract_id", self->contract_id)
    ||  s_put_string (pk, "measure", self->measure)
    ||  s_put_string (pk, "year", self->year)
    ||  s_put_int (pk, "quantity_milli", self->quantity_milli))
        return -1;
    return 0;
}

static int
s_decode_commitment (s_decoder_t *dec, sv_proto_commitment_t *self, uint32_t entries)
{
    static const s_field_t fields [5] = {
        { "partner",        7,  true },
        { "contract_id",    11, true },
        { "measure",        7,  true },
        { "year",           4,  true },
        { "quantity_milli", 14, true },
    };
    bool seen [5] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 5, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->contract_id); break;
            case 2: rc = s_get_string (dec, &self->measure); break;
            case 3: rc = s_get_string (dec, &self->year); break;
            case 4: rc = s_get_int (dec, &self->quantity_milli); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    return s_check_required (dec, fields, seen, 5);
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_commitment (sv_proto_commitment_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->contract_id);
    if (owned)
        free (self->measure);
    if (owned)
        free (self->year);
}

static void
s_print_commitment (const sv_proto_commitment_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "contract_id", self->contract_id);
    s_print_string (out, indent, "measure", self->measure);
    s_print_string (out, indent, "year", self->year);
    s_print_int (out, indent, "quantity_milli", self->quantity_milli);
}

//  ---------------------------------------------------------------------------
//  DELIVERY: ingest stream: a supplier's return of what it delivered against
//  one measure over a period.

//  The entries s_encode_delivery writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_delivery (const sv_proto_delivery_t *self)
{
    return 7
         + (self->ward && *self->ward)
         + (self->postcode && *self->postcode)
         + (self->beneficiary_group && *self->beneficiary_group);
}

static int
s_encode_delivery (msgpack_packer *pk, const sv_proto_delivery_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "contract_id", self->contract_id)
    ||  s_put_string (pk, "measure", self->measure)
    ||  s_put_string (pk, "period_start", self->period_start)
    ||  s_put_string (pk, "period_end", self->period_end)
    ||  s_put_int (pk, "quantity_milli", self->quantity_milli)
    ||  s_put_string (pk, "evidence", self->evidence)
    ||  (self->ward && *self->ward && s_put_string (pk, "ward", self->ward))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  (self->beneficiary_group && *self->beneficiary_group && s_put_string (pk, "beneficiary_group", self->beneficiary_group)))
        return -1;
    return 0;
}

static int
s_decode_delivery (s_decoder_t *dec, sv_proto_delivery_t *self, uint32_t entries)
{
    static const s_field_t fields [10] = {
        { "partner",           7,  true },
        { "contract_id",       11, true },
        { "measure",           7,  true },
        { "period_start",      12, true },
        { "period_end",        10, true },
        { "quantity_milli",    14, true },
        { "evidence",          8,  true },
        { "ward",              4,  false },
        { "postcode",          8,  false },
        { "beneficiary_group", 17, false },
    };
    bool seen [10] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 10, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->contract_id); break;
            case 2: rc = s_get_string (dec, &self->measure); break;
            case 3: rc = s_get_string (dec, &self->period_start); break;
            case 4: rc = s_get_string (dec, &self->period_end); break;
            case 5: rc = s_get_int (dec, &self->quantity_milli); break;
            case 6: rc = s_get_string (dec, &self->evidence); break;
            case 7: rc = s_get_string (dec, &self->ward); break;
            case 8: rc = s_get_string (dec, &self->postcode); break;
            case 9: rc = s_get_string (dec, &self->beneficiary_group); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 10))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->ward)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->beneficiary_group))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_delivery (sv_proto_delivery_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->contract_id);
    if (owned)
        free (self->measure);
    if (owned)
        free (self->period_start);
    if (owned)
        free (self->period_end);
    if (owned)
        free (self->evidence);
    if (owned)
        free (self->ward);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->beneficiary_group);
}

static void
s_print_delivery (const sv_proto_delivery_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "contract_id", self->contract_id);
    s_print_string (out, indent, "measure", self->measure);
    s_print_string (out, indent, "period_start", self->period_start);
    s_print_string (out, indent, "period_end", self->period_end);
    s_print_int (out, indent, "quantity_milli", self->quantity_milli);
    s_print_string (out, indent, "evidence", self->evidence);
    s_print_string (out, indent, "ward", self->ward);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_string (out, indent, "beneficiary_group", self->beneficiary_group);
}

//  ---------------------------------------------------------------------------
//  VALUATION_LINE: valuation stream: the social value of one commitment or
//  delivery, valued with the framework's proxy for its year and rounded once,
//  half to even.

//  The entries s_encode_valuation_line writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_valuation_line (const sv_proto_valuation_line_t *self)
{
    return 11
         + (self->supplier_key && *self->supplier_key)
         + (self->theme && *self->theme)
         + (self->ward && *self->ward)
         + (self->beneficiary_group && *self->beneficiary_group)
         + (self->evidence && *self->evidence)
         + (self->unit && *self->unit)
         + (self->description && *self->description)
         + (self->flag && *self->flag)
         + (self->ward_name && *self->ward_name)
         + (self->record_only)
         + (self->outcome && *self->outcome)
         + (self->proxy_year && *self->proxy_year);
}

static int
s_encode_valuation_line (msgpack_packer *pk, const sv_proto_valuation_line_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "contract_id", self->contract_id)
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  s_put_string (pk, "measure", self->measure)
    ||  (self->theme && *self->theme && s_put_string (pk, "theme", self->theme))
    ||  s_put_string (pk, "kind", self->kind)
    ||  s_put_string (pk, "year", self->year)
    ||  (self->ward && *self->ward && s_put_string (pk, "ward", self->ward))
    ||  (self->beneficiary_group && *self->beneficiary_group && s_put_string (pk, "beneficiary_group", self->beneficiary_group))
    ||  s_put_string (pk, "framework", self->framework)
    ||  s_put_string (pk, "framework_version", self->framework_version)
    ||  s_put_int (pk, "quantity_milli", self->quantity_milli)
    ||  s_put_int (pk, "proxy_pence", self->proxy_pence)
    ||  s_put_int (pk, "value_pence", self->value_pence)
    ||  s_put_uint (pk, "source_seq", self->source_seq)
    ||  (self->evidence && *self->evidence && s_put_string (pk, "evidence", self->evidence))
    ||  (self->unit && *self->unit && s_put_string (pk, "unit", self->unit))
    ||  (self->description && *self->description && s_put_string (pk, "description", self->description))
    ||  (self->flag && *self->flag && s_put_string (pk, "flag", self->flag))
    ||  (self->ward_name && *self->ward_name && s_put_string (pk, "ward_name", self->ward_name))
    ||  (self->record_only && s_put_bool (pk, "record_only", self->record_only))
    ||  (self->outcome && *self->outcome && s_put_string (pk, "outcome", self->outcome))
    ||  (self->proxy_year && *self->proxy_year && s_put_string (pk, "proxy_year", self->proxy_year)))
        return -1;
    return 0;
}

static int
s_decode_valuation_line (s_decoder_t *dec, sv_proto_valuation_line_t *self, uint32_t entries)
{
    static const s_field_t fields [23] = {
        { "partner",           7,  true },
        { "contract_id",       11, true },
        { "supplier_key",      12, false },
        { "measure",           7,  true },
        { "theme",             5,  false },
        { "kind",              4,  true },
        { "year",              4,  true },
        { "ward",              4,  false },
        { "beneficiary_group", 17, false },
        { "framework",         9,  true },
        { "framework_version", 17, true },
        { "quantity_milli",    14, true },
        { "proxy_pence",       11, true },
        { "value_pence",       11, true },
        { "source_seq",        10, true },
        { "evidence",          8,  false },
        { "unit",              4,  false },
        { "description",       11, false },
        { "flag",              4,  false },
        { "ward_name",         9,  false },
        { "record_only",       11, false },
        { "outcome",           7,  false },
        { "proxy_year",        10, false },
    };
    bool seen [23] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 23, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->contract_id); break;
            case 2: rc = s_get_string (dec, &self->supplier_key); break;
            case 3: rc = s_get_string (dec, &self->measure); break;
            case 4: rc = s_get_string (dec, &self->theme); break;
            case 5: rc = s_get_string (dec, &self->kind); break;
            case 6: rc = s_get_string (dec, &self->year); break;
            case 7: rc = s_get_string (dec, &self->ward); break;
            case 8: rc = s_get_string (dec, &self->beneficiary_group); break;
            case 9: rc = s_get_string (dec, &self->framework); break;
            case 10: rc = s_get_string (dec, &self->framework_version); break;
            case 11: rc = s_get_int (dec, &self->quantity_milli); break;
            case 12: rc = s_get_int (dec, &self->proxy_pence); break;
            case 13: rc = s_get_int (dec, &self->value_pence); break;
            case 14: rc = s_get_uint (dec, &self->source_seq); break;
            case 15: rc = s_get_string (dec, &self->evidence); break;
            case 16: rc = s_get_string (dec, &self->unit); break;
            case 17: rc = s_get_string (dec, &self->description); break;
            case 18: rc = s_get_string (dec, &self->flag); break;
            case 19: rc = s_get_string (dec, &self->ward_name); break;
            case 20: rc = s_get_bool (dec, &self->record_only); break;
            case 21: rc = s_get_string (dec, &self->outcome); break;
            case 22: rc = s_get_string (dec, &self->proxy_year); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 23))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->theme)
    ||  s_default_string (dec, &self->ward)
    ||  s_default_string (dec, &self->beneficiary_group)
    ||  s_default_string (dec, &self->evidence)
    ||  s_default_string (dec, &self->unit)
    ||  s_default_string (dec, &self->description)
    ||  s_default_string (dec, &self->flag)
    ||  s_default_string (dec, &self->ward_name)
    ||  s_default_string (dec, &self->outcome)
    ||  s_default_string (dec, &self->proxy_year))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_valuation_line (sv_proto_valuation_line_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->contract_id);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->measure);
    if (owned)
        free (self->theme);
    if (owned)
        free (self->kind);
    if (owned)
        free (self->year);
    if (owned)
        free (self->ward);
    if (owned)
        free (self->beneficiary_group);
    if (owned)
        free (self->framework);
    if (owned)
        free (self->framework_version);
    if (owned)
        free (self->evidence);
    if (owned)
        free (self->unit);
    if (owned)
        free (self->description);
    if (owned)
        free (self->flag);
    if (owned)
        free (self->ward_name);
    if (owned)
        free (self->outcome);
    if (owned)
        free (self->proxy_year);
}

static void
s_print_valuation_line (const sv_proto_valuation_line_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "contract_id", self->contract_id);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "measure", self->measure);
    s_print_string (out, indent, "theme", self->theme);
    s_print_string (out, indent, "kind", self->kind);
    s_print_string (out, indent, "year", self->year);
    s_print_string (out, indent, "ward", self->ward);
    s_print_string (out, indent, "beneficiary_group", self->beneficiary_group);
    s_print_string (out, indent, "framework", self->framework);
    s_print_string (out, indent, "framework_version", self->framework_version);
    s_print_int (out, indent, "quantity_milli", self->quantity_milli);
    s_print_int (out, indent, "proxy_pence", self->proxy_pence);
    s_print_int (out, indent, "value_pence", self->value_pence);
    s_print_uint (out, indent, "source_seq", self->source_seq);
    s_print_string (out, indent, "evidence", self->evidence);
    s_print_string (out, indent, "unit", self->unit);
    s_print_string (out, indent, "description", self->description);
    s_print_string (out, indent, "flag", self->flag);
    s_print_string (out, indent, "ward_name", self->ward_name);
    s_print_bool (out, indent, "record_only", self->record_only);
    s_print_string (out, indent, "outcome", self->outcome);
    s_print_string (out, indent, "proxy_year", self->proxy_year);
}

//  ---------------------------------------------------------------------------
//  LOCAL_SPEND_LINE: valuation stream, before version 2: one spend line placed
//  inside or outside the local area by the supplier's postcode. Since version
//  2 valuation publishes a PLACE per payee instead, and reporting joins it
//  with the payments it reads from ingest; a version 2 consumer ignores this
//  event.

//  The entries s_encode_local_spend_line writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_local_spend_line (const sv_proto_local_spend_line_t *self)
{
    return 6
         + (self->supplier_key && *self->supplier_key)
         + (self->ward_code && *self->ward_code)
         + (self->ward_name && *self->ward_name)
         + (self->sme)
         + (self->vcse)
         + (self->employee_owned)
         + (self->place_source && *self->place_source)
         + (self->postcode && *self->postcode)
         + (self->locality_reason && *self->locality_reason)
         + (self->directory && *self->directory)
         + (self->redacted);
}

static int
s_encode_local_spend_line (msgpack_packer *pk, const sv_proto_local_spend_line_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_uint (pk, "source_seq", self->source_seq)
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  s_put_string (pk, "payment_date", self->payment_date)
    ||  s_put_string (pk, "year", self->year)
    ||  s_put_int (pk, "amount_pence", self->amount_pence)
    ||  s_put_string (pk, "locality", self->locality)
    ||  (self->ward_code && *self->ward_code && s_put_string (pk, "ward_code", self->ward_code))
    ||  (self->ward_name && *self->ward_name && s_put_string (pk, "ward_name", self->ward_name))
    ||  (self->sme && s_put_bool (pk, "sme", self->sme))
    ||  (self->vcse && s_put_bool (pk, "vcse", self->vcse))
    ||  (self->employee_owned && s_put_bool (pk, "employee_owned", self->employee_owned))
    ||  (self->place_source && *self->place_source && s_put_string (pk, "place_source", self->place_source))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  (self->locality_reason && *self->locality_reason && s_put_string (pk, "locality_reason", self->locality_reason))
    ||  (self->directory && *self->directory && s_put_string (pk, "directory", self->directory))
    ||  (self->redacted && s_put_bool (pk, "redacted", self->redacted)))
        return -1;
    return 0;
}

static int
s_decode_local_spend_line (s_decoder_t *dec, sv_proto_local_spend_line_t *self, uint32_t entries)
{
    static const s_field_t fields [17] = {
        { "partner",         7,  true },
        { "source_seq",      10, true },
        { "supplier_key",    12, false },
        { "payment_date",    12, true },
        { "year",            4,  true },
        { "amount_pence",    12, true },
        { "locality",        8,  true },
        { "ward_code",       9,  false },
        { "ward_name",       9,  false },
        { "sme",             3,  false },
        { "vcse",            4,  false },
        { "employee_owned",  14, false },
        { "place_source",    12, false },
        { "postcode",        8,  false },
        { "locality_reason", 15, false },
        { "directory",       9,  false },
        { "redacted",        8,  false },
    };
    bool seen [17] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 17, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_uint (dec, &self->source_seq); break;
            case 2: rc = s_get_string (dec, &self->supplier_key); break;
            case 3: rc = s_get_string (dec, &self->payment_date); break;
            case 4: rc = s_get_string (dec, &self->year); break;
            case 5: rc = s_get_int (dec, &self->amount_pence); break;
            case 6: rc = s_get_string (dec, &self->locality); break;
            case 7: rc = s_get_string (dec, &self->ward_code); break;
            case 8: rc = s_get_string (dec, &self->ward_name); break;
            case 9: rc = s_get_bool (dec, &self->sme); break;
            case 10: rc = s_get_bool (dec, &self->vcse); break;
            case 11: rc = s_get_bool (dec, &self->employee_owned); break;
            case 12: rc = s_get_string (dec, &self->place_source); break;
            case 13: rc = s_get_string (dec, &self->postcode); break;
            case 14: rc = s_get_string (dec, &self->locality_reason); break;
            case 15: rc = s_get_string (dec, &self->directory); break;
            case 16: rc = s_get_bool (dec, &self->redacted); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 17))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->ward_code)
    ||  s_default_string (dec, &self->ward_name)
    ||  s_default_string (dec, &self->place_source)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->locality_reason)
    ||  s_default_string (dec, &self->directory))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_local_spend_line (sv_proto_local_spend_line_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->payment_date);
    if (owned)
        free (self->year);
    if (owned)
        free (self->locality);
    if (owned)
        free (self->ward_code);
    if (owned)
        free (self->ward_name);
    if (owned)
        free (self->place_source);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->locality_reason);
    if (owned)
        free (self->directory);
}

static void
s_print_local_spend_line (const sv_proto_local_spend_line_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_uint (out, indent, "source_seq", self->source_seq);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "payment_date", self->payment_date);
    s_print_string (out, indent, "year", self->year);
    s_print_int (out, indent, "amount_pence", self->amount_pence);
    s_print_string (out, indent, "locality", self->locality);
    s_print_string (out, indent, "ward_code", self->ward_code);
    s_print_string (out, indent, "ward_name", self->ward_name);
    s_print_bool (out, indent, "sme", self->sme);
    s_print_bool (out, indent, "vcse", self->vcse);
    s_print_bool (out, indent, "employee_owned", self->employee_owned);
    s_print_string (out, indent, "place_source", self->place_source);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_string (out, indent, "locality_reason", self->locality_reason);
    s_print_string (out, indent, "directory", self->directory);
    s_print_bool (out, indent, "redacted", self->redacted);
}

//  ---------------------------------------------------------------------------
//  ALERT: compliance stream: an alert raised, acknowledged or resolved; the
//  latest event per alert_id is its current state.

//  The entries s_encode_alert writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_alert (const sv_proto_alert_t *self)
{
    return 6
         + (self->partner && *self->partner)
         + (self->supplier_key && *self->supplier_key)
         + (self->contract_id && *self->contract_id)
         + (self->measure && *self->measure);
}

static int
s_encode_alert (msgpack_packer *pk, const sv_proto_alert_t *self)
{
    if (s_put_string (pk, "alert_id", self->alert_id)
    ||  s_put_string (pk, "rule", self->rule)
    ||  s_put_string (pk, "severity", self->severity)
    ||  s_put_string (pk, "state", self->state)
    ||  (self->partner && *self->partner && s_put_string (pk, "partner", self->partner))
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  (self->contract_id && *self->contract_id && s_put_string (pk, "contract_id", self->contract_id))
    ||  s_put_string (pk, "message", self->message)
    ||  s_put_string (pk, "at", self->at)
    ||  (self->measure && *self->measure && s_put_string (pk, "measure", self->measure)))
        return -1;
    return 0;
}

static int
s_decode_alert (s_decoder_t *dec, sv_proto_alert_t *self, uint32_t entries)
{
    static const s_field_t fields [10] = {
        { "alert_id",     8,  true },
        { "rule",         4,  true },
        { "severity",     8,  true },
        { "state",        5,  true },
        { "partner",      7,  false },
        { "supplier_key", 12, false },
        { "contract_id",  11, false },
        { "message",      7,  true },
        { "at",           2,  true },
        { "measure",      7,  false },
    };
    bool seen [10] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 10, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->alert_id); break;
            case 1: rc = s_get_string (dec, &self->rule); break;
            case 2: rc = s_get_string (dec, &self->severity); break;
            case 3: rc = s_get_string (dec, &self->state); break;
            case 4: rc = s_get_string (dec, &self->partner); break;
            case 5: rc = s_get_string (dec, &self->supplier_key); break;
            case 6: rc = s_get_string (dec, &self->contract_id); break;
            case 7: rc = s_get_string (dec, &self->message); break;
            case 8: rc = s_get_string (dec, &self->at); break;
            case 9: rc = s_get_string (dec, &self->measure); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 10))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->partner)
    ||  s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->contract_id)
    ||  s_default_string (dec, &self->measure))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_alert (sv_proto_alert_t *self, bool owned)
{
    if (owned)
        free (self->alert_id);
    if (owned)
        free (self->rule);
    if (owned)
        free (self->severity);
    if (owned)
        free (self->state);
    if (owned)
        free (self->partner);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->contract_id);
    if (owned)
        free (self->message);
    if (owned)
        free (self->at);
    if (owned)
        free (self->measure);
}

static void
s_print_alert (const sv_proto_alert_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "alert_id", self->alert_id);
    s_print_string (out, indent, "rule", self->rule);
    s_print_string (out, indent, "severity", self->severity);
    s_print_string (out, indent, "state", self->state);
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "contract_id", self->contract_id);
    s_print_string (out, indent, "message", self->message);
    s_print_string (out, indent, "at", self->at);
    s_print_string (out, indent, "measure", self->measure);
}

//  ---------------------------------------------------------------------------
//  KPI: ingest stream, since version 2: a key performance indicator agreed for
//  a contract (the Procurement Act 2023's KPIs), with its target for one
//  financial year, from a kpis CSV feed or from the agreedMetrics of an OCDS
//  contract. Keyed by partner, contract, KPI and year; a later event with that
//  key replaces the earlier. A consumer older than version 2 never asks for it
//  (FETCH.types), and one that takes every type skips a type it does not keep.

//  The entries s_encode_kpi writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_kpi (const sv_proto_kpi_t *self)
{
    return 5
         + (self->name && *self->name)
         + (self->unit && *self->unit)
         + (self->lower_is_better)
         + (self->has_actual)
         + (self->actual_milli != 0)
         + (self->measure && *self->measure)
         + (self->ocid && *self->ocid)
         + (self->release_date && *self->release_date);
}

static int
s_encode_kpi (msgpack_packer *pk, const sv_proto_kpi_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  s_put_string (pk, "contract_id", self->contract_id)
    ||  s_put_string (pk, "kpi_id", self->kpi_id)
    ||  (self->name && *self->name && s_put_string (pk, "name", self->name))
    ||  s_put_string (pk, "year", self->year)
    ||  s_put_int (pk, "target_milli", self->target_milli)
    ||  (self->unit && *self->unit && s_put_string (pk, "unit", self->unit))
    ||  (self->lower_is_better && s_put_bool (pk, "lower_is_better", self->lower_is_better))
    ||  (self->has_actual && s_put_bool (pk, "has_actual", self->has_actual))
    ||  (self->actual_milli != 0 && s_put_int (pk, "actual_milli", self->actual_milli))
    ||  (self->measure && *self->measure && s_put_string (pk, "measure", self->measure))
    ||  (self->ocid && *self->ocid && s_put_string (pk, "ocid", self->ocid))
    ||  (self->release_date && *self->release_date && s_put_string (pk, "release_date", self->release_date)))
        return -1;
    return 0;
}

static int
s_decode_kpi (s_decoder_t *dec, sv_proto_kpi_t *self, uint32_t entries)
{
    static const s_field_t fields [13] = {
        { "partner",         7,  true },
        { "contract_id",     11, true },
        { "kpi_id",          6,  true },
        { "name",            4,  false },
        { "year",            4,  true },
        { "target_milli",    12, true },
        { "unit",            4,  false },
        { "lower_is_better", 15, false },
        { "has_actual",      10, false },
        { "actual_milli",    12, false },
        { "measure",         7,  false },
        { "ocid",            4,  false },
        { "release_date",    12, false },
    };
    bool seen [13] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 13, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->contract_id); break;
            case 2: rc = s_get_string (dec, &self->kpi_id); break;
            case 3: rc = s_get_string (dec, &self->name); break;
            case 4: rc = s_get_string (dec, &self->year); break;
            case 5: rc = s_get_int (dec, &self->target_milli); break;
            case 6: rc = s_get_string (dec, &self->unit); break;
            case 7: rc = s_get_bool (dec, &self->lower_is_better); break;
            case 8: rc = s_get_bool (dec, &self->has_actual); break;
            case 9: rc = s_get_int (dec, &self->actual_milli); break;
            case 10: rc = s_get_string (dec, &self->measure); break;
            case 11: rc = s_get_string (dec, &self->ocid); break;
            case 12: rc = s_get_string (dec, &self->release_date); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 13))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->name)
    ||  s_default_string (dec, &self->unit)
    ||  s_default_string (dec, &self->measure)
    ||  s_default_string (dec, &self->ocid)
    ||  s_default_string (dec, &self->release_date))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_kpi (sv_proto_kpi_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->contract_id);
    if (owned)
        free (self->kpi_id);
    if (owned)
        free (self->name);
    if (owned)
        free (self->year);
    if (owned)
        free (self->unit);
    if (owned)
        free (self->measure);
    if (owned)
        free (self->ocid);
    if (owned)
        free (self->release_date);
}

static void
s_print_kpi (const sv_proto_kpi_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "contract_id", self->contract_id);
    s_print_string (out, indent, "kpi_id", self->kpi_id);
    s_print_string (out, indent, "name", self->name);
    s_print_string (out, indent, "year", self->year);
    s_print_int (out, indent, "target_milli", self->target_milli);
    s_print_string (out, indent, "unit", self->unit);
    s_print_bool (out, indent, "lower_is_better", self->lower_is_better);
    s_print_bool (out, indent, "has_actual", self->has_actual);
    s_print_int (out, indent, "actual_milli", self->actual_milli);
    s_print_string (out, indent, "measure", self->measure);
    s_print_string (out, indent, "ocid", self->ocid);
    s_print_string (out, indent, "release_date", self->release_date);
}

//  ---------------------------------------------------------------------------
//  PAYEE: ingest stream, since version 2: a supplier and postcode that a
//  partner's payments name (SPEND.supplier_key and SPEND.postcode, the
//  postcode exactly as given), sent in the same batch as the first payment
//  that names them since ingest started, and again at most once a batch after
//  that. Valuation places each payee once (PLACE) instead of every payment; a
//  payee sent again changes nothing. Keyed by partner, supplier_key and
//  postcode.

//  The entries s_encode_payee writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_payee (const sv_proto_payee_t *self)
{
    return 1
         + (self->supplier_key && *self->supplier_key)
         + (self->postcode && *self->postcode)
         + (self->supplier_name && *self->supplier_name);
}

static int
s_encode_payee (msgpack_packer *pk, const sv_proto_payee_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  (self->supplier_name && *self->supplier_name && s_put_string (pk, "supplier_name", self->supplier_name)))
        return -1;
    return 0;
}

static int
s_decode_payee (s_decoder_t *dec, sv_proto_payee_t *self, uint32_t entries)
{
    static const s_field_t fields [4] = {
        { "partner",       7,  true },
        { "supplier_key",  12, false },
        { "postcode",      8,  false },
        { "supplier_name", 13, false },
    };
    bool seen [4] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 4, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->supplier_key); break;
            case 2: rc = s_get_string (dec, &self->postcode); break;
            case 3: rc = s_get_string (dec, &self->supplier_name); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 4))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->supplier_name))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_payee (sv_proto_payee_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->supplier_name);
}

static void
s_print_payee (const sv_proto_payee_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_string (out, indent, "supplier_name", self->supplier_name);
}

//  ---------------------------------------------------------------------------
//  PLACE: valuation stream, since version 2: where a partner's payments to one
//  payee (PAYEE: supplier_key and the postcode given on the payment) fall, by
//  the partner's local area: sent when valuation first places the payee and
//  again whenever what places it changes (the postcode directory, the
//  partner's local area, the supplier's postcode or flags, its registered
//  office), never once a payment. Reporting joins each payment it reads from
//  ingest with its payee's latest PLACE; a payment whose payee has no PLACE
//  yet counts as unknown. Keyed by partner, supplier_key and postcode.

//  The entries s_encode_place writes: every required field, and each
//  optional one that is not at its default
static size_t
s_entries_place (const sv_proto_place_t *self)
{
    return 2
         + (self->supplier_key && *self->supplier_key)
         + (self->postcode && *self->postcode)
         + (self->ward_code && *self->ward_code)
         + (self->ward_name && *self->ward_name)
         + (self->sme)
         + (self->vcse)
         + (self->employee_owned)
         + (self->place_source && *self->place_source)
         + (self->place_postcode && *self->place_postcode)
         + (self->locality_reason && *self->locality_reason)
         + (self->directory && *self->directory);
}

static int
s_encode_place (msgpack_packer *pk, const sv_proto_place_t *self)
{
    if (s_put_string (pk, "partner", self->partner)
    ||  (self->supplier_key && *self->supplier_key && s_put_string (pk, "supplier_key", self->supplier_key))
    ||  (self->postcode && *self->postcode && s_put_string (pk, "postcode", self->postcode))
    ||  s_put_string (pk, "locality", self->locality)
    ||  (self->ward_code && *self->ward_code && s_put_string (pk, "ward_code", self->ward_code))
    ||  (self->ward_name && *self->ward_name && s_put_string (pk, "ward_name", self->ward_name))
    ||  (self->sme && s_put_bool (pk, "sme", self->sme))
    ||  (self->vcse && s_put_bool (pk, "vcse", self->vcse))
    ||  (self->employee_owned && s_put_bool (pk, "employee_owned", self->employee_owned))
    ||  (self->place_source && *self->place_source && s_put_string (pk, "place_source", self->place_source))
    ||  (self->place_postcode && *self->place_postcode && s_put_string (pk, "place_postcode", self->place_postcode))
    ||  (self->locality_reason && *self->locality_reason && s_put_string (pk, "locality_reason", self->locality_reason))
    ||  (self->directory && *self->directory && s_put_string (pk, "directory", self->directory)))
        return -1;
    return 0;
}

static int
s_decode_place (s_decoder_t *dec, sv_proto_place_t *self, uint32_t entries)
{
    static const s_field_t fields [13] = {
        { "partner",         7,  true },
        { "supplier_key",    12, false },
        { "postcode",        8,  false },
        { "locality",        8,  true },
        { "ward_code",       9,  false },
        { "ward_name",       9,  false },
        { "sme",             3,  false },
        { "vcse",            4,  false },
        { "employee_owned",  14, false },
        { "place_source",    12, false },
        { "place_postcode",  14, false },
        { "locality_reason", 15, false },
        { "directory",       9,  false },
    };
    bool seen [13] = { false };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (dec, fields, 13, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_string (dec, &self->partner); break;
            case 1: rc = s_get_string (dec, &self->supplier_key); break;
            case 2: rc = s_get_string (dec, &self->postcode); break;
            case 3: rc = s_get_string (dec, &self->locality); break;
            case 4: rc = s_get_string (dec, &self->ward_code); break;
            case 5: rc = s_get_string (dec, &self->ward_name); break;
            case 6: rc = s_get_bool (dec, &self->sme); break;
            case 7: rc = s_get_bool (dec, &self->vcse); break;
            case 8: rc = s_get_bool (dec, &self->employee_owned); break;
            case 9: rc = s_get_string (dec, &self->place_source); break;
            case 10: rc = s_get_string (dec, &self->place_postcode); break;
            case 11: rc = s_get_string (dec, &self->locality_reason); break;
            case 12: rc = s_get_string (dec, &self->directory); break;
            default: rc = s_skip (dec); break;     //  not known here
        }
        if (rc)
            return -1;
    }
    if (s_check_required (dec, fields, seen, 13))
        return -1;
    //  An absent optional string reads as ""
    if (s_default_string (dec, &self->supplier_key)
    ||  s_default_string (dec, &self->postcode)
    ||  s_default_string (dec, &self->ward_code)
    ||  s_default_string (dec, &self->ward_name)
    ||  s_default_string (dec, &self->place_source)
    ||  s_default_string (dec, &self->place_postcode)
    ||  s_default_string (dec, &self->locality_reason)
    ||  s_default_string (dec, &self->directory))
        return -1;
    return 0;
}

//  owned: the strings and bytes are each their own allocation, not
//  in a packed decode's block
static void
s_free_place (sv_proto_place_t *self, bool owned)
{
    if (owned)
        free (self->partner);
    if (owned)
        free (self->supplier_key);
    if (owned)
        free (self->postcode);
    if (owned)
        free (self->locality);
    if (owned)
        free (self->ward_code);
    if (owned)
        free (self->ward_name);
    if (owned)
        free (self->place_source);
    if (owned)
        free (self->place_postcode);
    if (owned)
        free (self->locality_reason);
    if (owned)
        free (self->directory);
}

static void
s_print_place (const sv_proto_place_t *self, FILE *out, const char *indent)
{
    s_print_string (out, indent, "partner", self->partner);
    s_print_string (out, indent, "supplier_key", self->supplier_key);
    s_print_string (out, indent, "postcode", self->postcode);
    s_print_string (out, indent, "locality", self->locality);
    s_print_string (out, indent, "ward_code", self->ward_code);
    s_print_string (out, indent, "ward_name", self->ward_name);
    s_print_bool (out, indent, "sme", self->sme);
    s_print_bool (out, indent, "vcse", self->vcse);
    s_print_bool (out, indent, "employee_owned", self->employee_owned);
    s_print_string (out, indent, "place_source", self->place_source);
    s_print_string (out, indent, "place_postcode", self->place_postcode);
    s_print_string (out, indent, "locality_reason", self->locality_reason);
    s_print_string (out, indent, "directory", self->directory);
}


//  ---------------------------------------------------------------------------
//  Public API

int
sv_proto_encode (const sv_proto_t *self, msgpack_sbuffer *buffer)
{
    assert (self);
    assert (buffer);
    msgpack_packer pk;
    msgpack_packer_init (&pk, buffer, msgpack_sbuffer_write);
    size_t start = buffer->size;
    int rc = 1;
    switch (self->id) {
        case SV_PROTO_SUBMIT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_submit (&self->submit))
              || s_encode_submit (&pk, &self->submit);
            break;
        case SV_PROTO_RECEIPT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_receipt (&self->receipt))
              || s_encode_receipt (&pk, &self->receipt);
            break;
        case SV_PROTO_CREDIT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_credit (&self->credit))
              || s_encode_credit (&pk, &self->credit);
            break;
        case SV_PROTO_FETCH:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_fetch (&self->fetch))
              || s_encode_fetch (&pk, &self->fetch);
            break;
        case SV_PROTO_EVENTS:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_events (&self->events))
              || s_encode_events (&pk, &self->events);
            break;
        case SV_PROTO_ERROR:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_error (&self->error))
              || s_encode_error (&pk, &self->error);
            break;
        case SV_PROTO_STATUS:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_status (&self->status))
              || s_encode_status (&pk, &self->status);
            break;
        case SV_PROTO_STATUS_REPLY:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_status_reply (&self->status_reply))
              || s_encode_status_reply (&pk, &self->status_reply);
            break;
        case SV_PROTO_REPORT_REQUEST:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_report_request (&self->report_request))
              || s_encode_report_request (&pk, &self->report_request);
            break;
        case SV_PROTO_REPORT_READY:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_report_ready (&self->report_ready))
              || s_encode_report_ready (&pk, &self->report_ready);
            break;
        case SV_PROTO_EXPLAIN_REQUEST:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_explain_request (&self->explain_request))
              || s_encode_explain_request (&pk, &self->explain_request);
            break;
        case SV_PROTO_EXPLANATION:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_explanation (&self->explanation))
              || s_encode_explanation (&pk, &self->explanation);
            break;
        case SV_PROTO_ALERT_ACK:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_alert_ack (&self->alert_ack))
              || s_encode_alert_ack (&pk, &self->alert_ack);
            break;
        case SV_PROTO_FRAMEWORK_IMPORT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_framework_import (&self->framework_import))
              || s_encode_framework_import (&pk, &self->framework_import);
            break;
        case SV_PROTO_FRAMEWORK_LIST:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_framework_list (&self->framework_list))
              || s_encode_framework_list (&pk, &self->framework_list);
            break;
        case SV_PROTO_FRAMEWORKS:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_frameworks (&self->frameworks))
              || s_encode_frameworks (&pk, &self->frameworks);
            break;
        case SV_PROTO_SUPPLIER_LIST:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_supplier_list (&self->supplier_list))
              || s_encode_supplier_list (&pk, &self->supplier_list);
            break;
        case SV_PROTO_SUPPLIERS:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_suppliers (&self->suppliers))
              || s_encode_suppliers (&pk, &self->suppliers);
            break;
        case SV_PROTO_SUPPLIER:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_supplier (&self->supplier))
              || s_encode_supplier (&pk, &self->supplier);
            break;
        case SV_PROTO_COMPANY:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_company (&self->company))
              || s_encode_company (&pk, &self->company);
            break;
        case SV_PROTO_CONTRACT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_contract (&self->contract))
              || s_encode_contract (&pk, &self->contract);
            break;
        case SV_PROTO_SPEND:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_spend (&self->spend))
              || s_encode_spend (&pk, &self->spend);
            break;
        case SV_PROTO_COMMITMENT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_commitment (&self->commitment))
              || s_encode_commitment (&pk, &self->commitment);
            break;
        case SV_PROTO_DELIVERY:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_delivery (&self->delivery))
              || s_encode_delivery (&pk, &self->delivery);
            break;
        case SV_PROTO_VALUATION_LINE:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_valuation_line (&self->valuation_line))
              || s_encode_valuation_line (&pk, &self->valuation_line);
            break;
        case SV_PROTO_LOCAL_SPEND_LINE:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_local_spend_line (&self->local_spend_line))
              || s_encode_local_spend_line (&pk, &self->local_spend_line);
            break;
        case SV_PROTO_ALERT:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_alert (&self->alert))
              || s_encode_alert (&pk, &self->alert);
            break;
        case SV_PROTO_KPI:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_kpi (&self->kpi))
              || s_encode_kpi (&pk, &self->kpi);
            break;
        case SV_PROTO_PAYEE:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_payee (&self->payee))
              || s_encode_payee (&pk, &self->payee);
            break;
        case SV_PROTO_PLACE:
            rc = s_encode_header (&pk, self->id,
                                  s_entries_place (&self->place))
              || s_encode_place (&pk, &self->place);
            break;
    }
    if (rc)
        buffer->size = start;   //  as it was: no half message
    return rc? -1: 0;
}

zframe_t *
sv_proto_encode_frame (const sv_proto_t *self)
{
    assert (self);
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    zframe_t *frame = NULL;
    if (sv_proto_encode (self, &buffer) == 0)
        frame = zframe_new (buffer.data, buffer.size);
    msgpack_sbuffer_destroy (&buffer);
    return frame;
}

//  Ends a failed decode: frees what was decoded, keeps the reason, logs it
static int
s_refuse (sv_proto_t *self)
{
    char reason [sizeof (self->reason)];
    memcpy (reason, self->reason, sizeof (reason));
    sv_proto_reset (self);
    memcpy (self->reason, reason, sizeof (reason));
    zsys_warning ("sv_proto: refused a message: %s", self->reason);
    return -1;
}

static int
s_decode (sv_proto_t *self, const uint8_t *data, size_t size, bool packed)
{
    assert (self);
    sv_proto_reset (self);
    s_decoder_t dec = { .message = self };

    //  Before anything is allocated: the bytes are one complete object and
    //  nothing in them declares more than they hold
    const char *why = NULL;
    if (sv_msgpack_check (data, size, SV_MSGPACK_MAX_DEPTH, &why)) {
        s_fail (&dec, "malformed msgpack: %s", why);
        return s_refuse (self);
    }
    sv_msgpack_reader_init (&dec.reader, data, size);
    sv_msgpack_item_t map;
    if (s_read_type (&dec, SV_MSGPACK_MAP, &map))
        return s_refuse (self);
    const uint8_t *first_entry = dec.reader.cursor;
    sv_proto_id_t id = 0;
    if (s_decode_header (&dec, map.size, &id))
        return s_refuse (self);

    //  Second pass: the fields. self->id is set first so that a failure
    //  frees whatever was copied out.
    self->id = id;
    dec.name = s_names [id];
    dec.reader.cursor = first_entry;
    uint32_t entries = map.size;
    if (packed && !(self->arena = dec.arena = malloc (size))) {
        s_fail (&dec, "out of memory");
        return s_refuse (self);
    }
    int rc = -1;
    switch (id) {
        case SV_PROTO_SUBMIT:
            rc = s_decode_submit (&dec, &self->submit, entries);
            break;
        case SV_PROTO_RECEIPT:
            rc = s_decode_receipt (&dec, &self->receipt, entries);
            break;
        case SV_PROTO_CREDIT:
            rc = s_decode_credit (&dec, &self->credit, entries);
            break;
        case SV_PROTO_FETCH:
            rc = s_decode_fetch (&dec, &self->fetch, entries);
            break;
        case SV_PROTO_EVENTS:
            rc = s_decode_events (&dec, &self->events, entries);
            break;
        case SV_PROTO_ERROR:
            rc = s_decode_error (&dec, &self->error, entries);
            break;
        case SV_PROTO_STATUS:
            rc = s_decode_status (&dec, &self->status, entries);
            break;
        case SV_PROTO_STATUS_REPLY:
            rc = s_decode_status_reply (&dec, &self->status_reply, entries);
            break;
        case SV_PROTO_REPORT_REQUEST:
            rc = s_decode_report_request (&dec, &self->report_request, entries);
            break;
        case SV_PROTO_REPORT_READY:
            rc = s_decode_report_ready (&dec, &self->report_ready, entries);
            break;
        case SV_PROTO_EXPLAIN_REQUEST:
            rc = s_decode_explain_request (&dec, &self->explain_request, entries);
            break;
        case SV_PROTO_EXPLANATION:
            rc = s_decode_explanation (&dec, &self->explanation, entries);
            break;
        case SV_PROTO_ALERT_ACK:
            rc = s_decode_alert_ack (&dec, &self->alert_ack, entries);
            break;
        case SV_PROTO_FRAMEWORK_IMPORT:
            rc = s_decode_framework_import (&dec, &self->framework_import, entries);
            break;
        case SV_PROTO_FRAMEWORK_LIST:
            rc = s_decode_framework_list (&dec, &self->framework_list, entries);
            break;
        case SV_PROTO_FRAMEWORKS:
            rc = s_decode_frameworks (&dec, &self->frameworks, entries);
            break;
        case SV_PROTO_SUPPLIER_LIST:
            rc = s_decode_supplier_list (&dec, &self->supplier_list, entries);
            break;
        case SV_PROTO_SUPPLIERS:
            rc = s_decode_suppliers (&dec, &self->suppliers, entries);
            break;
        case SV_PROTO_SUPPLIER:
            rc = s_decode_supplier (&dec, &self->supplier, entries);
            break;
        case SV_PROTO_COMPANY:
            rc = s_decode_company (&dec, &self->company, entries);
            break;
        case SV_PROTO_CONTRACT:
            rc = s_decode_contract (&dec, &self->contract, entries);
            break;
        case SV_PROTO_SPEND:
            rc = s_decode_spend (&dec, &self->spend, entries);
            break;
        case SV_PROTO_COMMITMENT:
            rc = s_decode_commitment (&dec, &self->commitment, entries);
            break;
        case SV_PROTO_DELIVERY:
            rc = s_decode_delivery (&dec, &self->delivery, entries);
            break;
        case SV_PROTO_VALUATION_LINE:
            rc = s_decode_valuation_line (&dec, &self->valuation_line, entries);
            break;
        case SV_PROTO_LOCAL_SPEND_LINE:
            rc = s_decode_local_spend_line (&dec, &self->local_spend_line, entries);
            break;
        case SV_PROTO_ALERT:
            rc = s_decode_alert (&dec, &self->alert, entries);
            break;
        case SV_PROTO_KPI:
            rc = s_decode_kpi (&dec, &self->kpi, entries);
            break;
        case SV_PROTO_PAYEE:
            rc = s_decode_payee (&dec, &self->payee, entries);
            break;
        case SV_PROTO_PLACE:
            rc = s_decode_place (&dec, &self->place, entries);
            break;
    }
    return rc? s_refuse (self): 0;
}

int
sv_proto_decode (sv_proto_t *self, const uint8_t *data, size_t size)
{
    return s_decode (self, data, size, false);
}

int
sv_proto_decode_packed (sv_proto_t *self, const uint8_t *data, size_t size)
{
    return s_decode (self, data, size, true);
}

void
sv_proto_reset (sv_proto_t *self)
{
    assert (self);
    bool owned = self->arena == NULL;
    switch (self->id) {
        case SV_PROTO_SUBMIT:
            s_free_submit (&self->submit, owned);
            break;
        case SV_PROTO_RECEIPT:
            s_free_receipt (&self->receipt, owned);
            break;
        case SV_PROTO_CREDIT:
            s_free_credit (&self->credit, owned);
            break;
        case SV_PROTO_FETCH:
            s_free_fetch (&self->fetch, owned);
            break;
        case SV_PROTO_EVENTS:
            s_free_events (&self->events, owned);
            break;
        case SV_PROTO_ERROR:
            s_free_error (&self->error, owned);
            break;
        case SV_PROTO_STATUS:
            s_free_status (&self->status, owned);
            break;
        case SV_PROTO_STATUS_REPLY:
            s_free_status_reply (&self->status_reply, owned);
            break;
        case SV_PROTO_REPORT_REQUEST:
            s_free_report_request (&self->report_request, owned);
            break;
        case SV_PROTO_REPORT_READY:
            s_free_report_ready (&self->report_ready, owned);
            break;
        case SV_PROTO_EXPLAIN_REQUEST:
            s_free_explain_request (&self->explain_request, owned);
            break;
        case SV_PROTO_EXPLANATION:
            s_free_explanation (&self->explanation, owned);
            break;
        case SV_PROTO_ALERT_ACK:
            s_free_alert_ack (&self->alert_ack, owned);
            break;
        case SV_PROTO_FRAMEWORK_IMPORT:
            s_free_framework_import (&self->framework_import, owned);
            break;
        case SV_PROTO_FRAMEWORK_LIST:
            s_free_framework_list (&self->framework_list, owned);
            break;
        case SV_PROTO_FRAMEWORKS:
            s_free_frameworks (&self->frameworks, owned);
            break;
        case SV_PROTO_SUPPLIER_LIST:
            s_free_supplier_list (&self->supplier_list, owned);
            break;
        case SV_PROTO_SUPPLIERS:
            s_free_suppliers (&self->suppliers, owned);
            break;
        case SV_PROTO_SUPPLIER:
            s_free_supplier (&self->supplier, owned);
            break;
        case SV_PROTO_COMPANY:
            s_free_company (&self->company, owned);
            break;
        case SV_PROTO_CONTRACT:
            s_free_contract (&self->contract, owned);
            break;
        case SV_PROTO_SPEND:
            s_free_spend (&self->spend, owned);
            break;
        case SV_PROTO_COMMITMENT:
            s_free_commitment (&self->commitment, owned);
            break;
        case SV_PROTO_DELIVERY:
            s_free_delivery (&self->delivery, owned);
            break;
        case SV_PROTO_VALUATION_LINE:
            s_free_valuation_line (&self->valuation_line, owned);
            break;
        case SV_PROTO_LOCAL_SPEND_LINE:
            s_free_local_spend_line (&self->local_spend_line, owned);
            break;
        case SV_PROTO_ALERT:
            s_free_alert (&self->alert, owned);
            break;
        case SV_PROTO_KPI:
            s_free_kpi (&self->kpi, owned);
            break;
        case SV_PROTO_PAYEE:
            s_free_payee (&self->payee, owned);
            break;
        case SV_PROTO_PLACE:
            s_free_place (&self->place, owned);
            break;
    }
    free (self->arena);
    memset (self, 0, sizeof (*self));
}

void
sv_proto_print (const sv_proto_t *self, FILE *out)
{
    assert (self);
    assert (out);
    fprintf (out, "%s:\n", sv_proto_name (self->id));
    switch (self->id) {
        case SV_PROTO_SUBMIT:
            s_print_submit (&self->submit, out, "    ");
            break;
        case SV_PROTO_RECEIPT:
            s_print_receipt (&self->receipt, out, "    ");
            break;
        case SV_PROTO_CREDIT:
            s_print_credit (&self->credit, out, "    ");
            break;
        case SV_PROTO_FETCH:
            s_print_fetch (&self->fetch, out, "    ");
            break;
        case SV_PROTO_EVENTS:
            s_print_events (&self->events, out, "    ");
            break;
        case SV_PROTO_ERROR:
            s_print_error (&self->error, out, "    ");
            break;
        case SV_PROTO_STATUS:
            s_print_status (&self->status, out, "    ");
            break;
        case SV_PROTO_STATUS_REPLY:
            s_print_status_reply (&self->status_reply, out, "    ");
            break;
        case SV_PROTO_REPORT_REQUEST:
            s_print_report_request (&self->report_request, out, "    ");
            break;
        case SV_PROTO_REPORT_READY:
            s_print_report_ready (&self->report_ready, out, "    ");
            break;
        case SV_PROTO_EXPLAIN_REQUEST:
            s_print_explain_request (&self->explain_request, out, "    ");
            break;
        case SV_PROTO_EXPLANATION:
            s_print_explanation (&self->explanation, out, "    ");
            break;
        case SV_PROTO_ALERT_ACK:
            s_print_alert_ack (&self->alert_ack, out, "    ");
            break;
        case SV_PROTO_FRAMEWORK_IMPORT:
            s_print_framework_import (&self->framework_import, out, "    ");
            break;
        case SV_PROTO_FRAMEWORK_LIST:
            s_print_framework_list (&self->framework_list, out, "    ");
            break;
        case SV_PROTO_FRAMEWORKS:
            s_print_frameworks (&self->frameworks, out, "    ");
            break;
        case SV_PROTO_SUPPLIER_LIST:
            s_print_supplier_list (&self->supplier_list, out, "    ");
            break;
        case SV_PROTO_SUPPLIERS:
            s_print_suppliers (&self->suppliers, out, "    ");
            break;
        case SV_PROTO_SUPPLIER:
            s_print_supplier (&self->supplier, out, "    ");
            break;
        case SV_PROTO_COMPANY:
            s_print_company (&self->company, out, "    ");
            break;
        case SV_PROTO_CONTRACT:
            s_print_contract (&self->contract, out, "    ");
            break;
        case SV_PROTO_SPEND:
            s_print_spend (&self->spend, out, "    ");
            break;
        case SV_PROTO_COMMITMENT:
            s_print_commitment (&self->commitment, out, "    ");
            break;
        case SV_PROTO_DELIVERY:
            s_print_delivery (&self->delivery, out, "    ");
            break;
        case SV_PROTO_VALUATION_LINE:
            s_print_valuation_line (&self->valuation_line, out, "    ");
            break;
        case SV_PROTO_LOCAL_SPEND_LINE:
            s_print_local_spend_line (&self->local_spend_line, out, "    ");
            break;
        case SV_PROTO_ALERT:
            s_print_alert (&self->alert, out, "    ");
            break;
        case SV_PROTO_KPI:
            s_print_kpi (&self->kpi, out, "    ");
            break;
        case SV_PROTO_PAYEE:
            s_print_payee (&self->payee, out, "    ");
            break;
        case SV_PROTO_PLACE:
            s_print_place (&self->place, out, "    ");
            break;
    }
}

const char *
sv_proto_name (sv_proto_id_t id)
{
    return (size_t) id < S_MESSAGES? s_names [id]: "?";
}


//  ---------------------------------------------------------------------------
//  Self test

static sv_proto_row_error_t s_test_row_error [2] = {
    {
        .row = 0,
        .column = "column-1",
        .reason = "reason-1",
    },
    {
        .row = 1,
        .column = "column-2",
        .reason = "reason-2",
    },
};

static sv_proto_column_map_t s_test_column_map [2] = {
    {
        .source = "source-1",
        .field = "field-1",
    },
    {
        .source = "source-2",
        .field = "field-2",
    },
};

static sv_proto_event_t s_test_event [2] = {
    {
        .seq = 127,
        .type = "type-1",
        .key = "key-1",
        .body = (uint8_t *) "\x00\x01\xfe\xff" "body-1",
        .body_size = 10,
    },
    {
        .seq = 128,
        .type = "type-2",
        .key = "key-2",
        .body = (uint8_t *) "\x00\x01\xfe\xff" "body-2",
        .body_size = 10,
    },
};

static sv_proto_stream_head_t s_test_stream_head [2] = {
    {
        .name = "name-1",
        .head_seq = 255,
    },
    {
        .name = "name-2",
        .head_seq = 256,
    },
};

static sv_proto_framework_info_t s_test_framework_info [2] = {
    {
        .framework = "framework-1",
        .version = "version-1",
        .measures = 65535,
        .imported_at = "imported_at-1",
    },
    {
        .framework = "framework-2",
        .version = "version-2",
        .measures = 65536,
        .imported_at = "imported_at-2",
    },
};

static sv_proto_consumer_offset_t s_test_consumer_offset [2] = {
    {
        .stream = "stream-1",
        .endpoint = "endpoint-1",
        .offset = UINT32_MAX,
        .head_seq = (uint64_t) UINT32_MAX + 1,
        .lag = UINT64_MAX,
        .stalled = "stalled-1",
    },
    {
        .stream = "stream-2",
        .endpoint = "endpoint-2",
        .offset = 0,
        .head_seq = 1,
        .lag = 127,
        .stalled = "stalled-2",
    },
};

static sv_proto_report_file_t s_test_report_file [2] = {
    {
        .name = "name-1",
        .payload = (uint8_t *) "\x00\x01\xfe\xff" "payload-1",
        .payload_size = 13,
    },
    {
        .name = "name-2",
        .payload = (uint8_t *) "\x00\x01\xfe\xff" "payload-2",
        .payload_size = 13,
    },
};

static sv_proto_problem_t s_test_problem [2] = {
    {
        .subject = "subject-1",
        .reason = "reason-1",
    },
    {
        .subject = "subject-2",
        .reason = "reason-2",
    },
};

static sv_proto_supplier_ref_t s_test_supplier_ref [2] = {
    {
        .supplier_key = "supplier_key-1",
        .name = "name-1",
        .partner = "partner-1",
    },
    {
        .supplier_key = "supplier_key-2",
        .name = "name-2",
        .partner = "partner-2",
    },
};

static sv_proto_row_count_t s_test_row_count [2] = {
    {
        .name = "name-1",
        .rows = 128,
    },
    {
        .name = "name-2",
        .rows = 255,
    },
};

//  Fills a message with sample values; it borrows them, so is not to be reset
static void
s_test_fill (sv_proto_t *self, sv_proto_id_t id)
{
    memset (self, 0, sizeof (*self));
    self->id = id;
    switch (id) {
        case SV_PROTO_SUBMIT:
            self->submit.batch_id = "batch_id-0";
            self->submit.kind = "kind-0";
            self->submit.format = "format-0";
            self->submit.chunk_no = 256;
            self->submit.last = true;
            self->submit.payload = (uint8_t *) "\x00\x01\xfe\xff" "payload-0";
            self->submit.payload_size = 13;
            self->submit.sheet = "sheet-0";
            break;
        case SV_PROTO_RECEIPT:
            self->receipt.batch_id = "batch_id-0";
            self->receipt.state = "state-0";
            self->receipt.accepted = 65535;
            self->receipt.rejected = 65536;
            self->receipt.duplicates = UINT32_MAX;
            self->receipt.errors = s_test_row_error;
            self->receipt.errors_count = 2;
            self->receipt.warnings = s_test_row_error;
            self->receipt.warnings_count = 2;
            self->receipt.warned = (uint64_t) UINT32_MAX + 1;
            self->receipt.columns = s_test_column_map;
            self->receipt.columns_count = 2;
            break;
        case SV_PROTO_CREDIT:
            self->credit.batch_id = "batch_id-0";
            self->credit.credit = UINT64_MAX;
            break;
        case SV_PROTO_FETCH:
            self->fetch.stream = "stream-0";
            self->fetch.after_seq = 0;
            self->fetch.max = 1;
            self->fetch.types = "types-0";
            break;
        case SV_PROTO_EVENTS:
            self->events.stream = "stream-0";
            self->events.after_seq = 127;
            self->events.head_seq = 128;
            self->events.events = s_test_event;
            self->events.events_count = 2;
            self->events.scanned_seq = 255;
            break;
        case SV_PROTO_ERROR:
            self->error.code = 256;
            self->error.reason = "reason-0";
            break;
        case SV_PROTO_STATUS:
            break;
        case SV_PROTO_STATUS_REPLY:
            self->status_reply.service = "service-0";
            self->status_reply.version = "version-0";
            self->status_reply.uptime_ms = 65535;
            self->status_reply.streams = s_test_stream_head;
            self->status_reply.streams_count = 2;
            self->status_reply.consumers = s_test_consumer_offset;
            self->status_reply.consumers_count = 2;
            self->status_reply.counts = s_test_row_count;
            self->status_reply.counts_count = 2;
            self->status_reply.problems = s_test_problem;
            self->status_reply.problems_count = 2;
            break;
        case SV_PROTO_REPORT_REQUEST:
            self->report_request.kind = "kind-0";
            self->report_request.year = "year-0";
            self->report_request.partner = "partner-0";
            self->report_request.format = "format-0";
            self->report_request.contract = "contract-0";
            self->report_request.supplier = "supplier-0";
            self->report_request.from_byte = 65536;
            self->report_request.at = s_test_stream_head;
            self->report_request.at_count = 2;
            break;
        case SV_PROTO_REPORT_READY:
            self->report_ready.kind = "kind-0";
            self->report_ready.year = "year-0";
            self->report_ready.partner = "partner-0";
            self->report_ready.format = "format-0";
            self->report_ready.path = "path-0";
            self->report_ready.offsets = s_test_stream_head;
            self->report_ready.offsets_count = 2;
            self->report_ready.created = "created-0";
            self->report_ready.files = s_test_report_file;
            self->report_ready.files_count = 2;
            self->report_ready.total_bytes = UINT32_MAX;
            break;
        case SV_PROTO_EXPLAIN_REQUEST:
            self->explain_request.kind = "kind-0";
            self->explain_request.year = "year-0";
            self->explain_request.partner = "partner-0";
            self->explain_request.figure = "figure-0";
            self->explain_request.after = (uint64_t) UINT32_MAX + 1;
            self->explain_request.max = UINT64_MAX;
            break;
        case SV_PROTO_EXPLANATION:
            self->explanation.figure = "figure-0";
            self->explanation.document = (uint8_t *) "\x00\x01\xfe\xff" "document-0";
            self->explanation.document_size = 14;
            break;
        case SV_PROTO_ALERT_ACK:
            self->alert_ack.alert_id = "alert_id-0";
            self->alert_ack.by = "by-0";
            break;
        case SV_PROTO_FRAMEWORK_IMPORT:
            self->framework_import.name = "name-0";
            self->framework_import.payload = (uint8_t *) "\x00\x01\xfe\xff" "payload-0";
            self->framework_import.payload_size = 13;
            break;
        case SV_PROTO_FRAMEWORK_LIST:
            break;
        case SV_PROTO_FRAMEWORKS:
            self->frameworks.ok = false;
            self->frameworks.reason = "reason-0";
            self->frameworks.errors = s_test_row_error;
            self->frameworks.errors_count = 2;
            self->frameworks.frameworks = s_test_framework_info;
            self->frameworks.frameworks_count = 2;
            self->frameworks.recomputed = 0;
            break;
        case SV_PROTO_SUPPLIER_LIST:
            break;
        case SV_PROTO_SUPPLIERS:
            self->suppliers.suppliers = s_test_supplier_ref;
            self->suppliers.suppliers_count = 2;
            break;
        case SV_PROTO_SUPPLIER:
            self->supplier.partner = "partner-0";
            self->supplier.supplier_key = "supplier_key-0";
            self->supplier.name = "name-0";
            self->supplier.companies_house = "companies_house-0";
            self->supplier.supplier_id = "supplier_id-0";
            self->supplier.vat = "vat-0";
            self->supplier.postcode = "postcode-0";
            self->supplier.sme = true;
            self->supplier.vcse = false;
            self->supplier.rlw_accredited = true;
            self->supplier.employee_owned = false;
            self->supplier.redacted = true;
            self->supplier.rlw_expiry = "rlw_expiry-0";
            break;
        case SV_PROTO_COMPANY:
            self->company.partner = "partner-0";
            self->company.supplier_key = "supplier_key-0";
            self->company.company_number = "company_number-0";
            self->company.matched_by = "matched_by-0";
            self->company.name = "name-0";
            self->company.postcode = "postcode-0";
            self->company.status = "status-0";
            self->company.dissolved = "dissolved-0";
            self->company.sic_codes = "sic_codes-0";
            self->company.rlw_category = "rlw_category-0";
            self->company.source = "source-0";
            break;
        case SV_PROTO_CONTRACT:
            self->contract.partner = "partner-0";
            self->contract.contract_id = "contract_id-0";
            self->contract.title = "title-0";
            self->contract.supplier_key = "supplier_key-0";
            self->contract.category = "category-0";
            self->contract.value_pence = 0;
            self->contract.start_date = "start_date-0";
            self->contract.end_date = "end_date-0";
            self->contract.rlw_in_scope = "rlw_in_scope-0";
            self->contract.rlw_commitment = false;
            self->contract.incomplete = true;
            self->contract.ocid = "ocid-0";
            self->contract.release_date = "release_date-0";
            break;
        case SV_PROTO_SPEND:
            self->spend.partner = "partner-0";
            self->spend.transaction_no = "transaction_no-0";
            self->spend.line = 1;
            self->spend.payment_date = "payment_date-0";
            self->spend.amount_pence = -1;
            self->spend.supplier_key = "supplier_key-0";
            self->spend.supplier_name = "supplier_name-0";
            self->spend.postcode = "postcode-0";
            self->spend.body_name = "body_name-0";
            self->spend.expense_area = "expense_area-0";
            self->spend.expense_type = "expense_type-0";
            self->spend.expense_code = "expense_code-0";
            self->spend.capital_revenue = "capital_revenue-0";
            self->spend.narrative = "narrative-0";
            self->spend.redacted = false;
            break;
        case SV_PROTO_COMMITMENT:
            self->commitment.partner = "partner-0";
            self->commitment.contract_id = "contract_id-0";
            self->commitment.measure = "measure-0";
            self->commitment.year = "year-0";
            self->commitment.quantity_milli = -32;
            break;
        case SV_PROTO_DELIVERY:
            self->delivery.partner = "partner-0";
            self->delivery.contract_id = "contract_id-0";
            self->delivery.measure = "measure-0";
            self->delivery.period_start = "period_start-0";
            self->delivery.period_end = "period_end-0";
            self->delivery.quantity_milli = -33;
            self->delivery.evidence = "evidence-0";
            self->delivery.ward = "ward-0";
            self->delivery.postcode = "postcode-0";
            self->delivery.beneficiary_group = "beneficiary_group-0";
            break;
        case SV_PROTO_VALUATION_LINE:
            self->valuation_line.partner = "partner-0";
            self->valuation_line.contract_id = "contract_id-0";
            self->valuation_line.supplier_key = "supplier_key-0";
            self->valuation_line.measure = "measure-0";
            self->valuation_line.theme = "theme-0";
            self->valuation_line.kind = "kind-0";
            self->valuation_line.year = "year-0";
            self->valuation_line.ward = "ward-0";
            self->valuation_line.beneficiary_group = "beneficiary_group-0";
            self->valuation_line.framework = "framework-0";
            self->valuation_line.framework_version = "framework_version-0";
            self->valuation_line.quantity_milli = 127;
            self->valuation_line.proxy_pence = -128;
            self->valuation_line.value_pence = -129;
            self->valuation_line.source_seq = 127;
            self->valuation_line.evidence = "evidence-0";
            self->valuation_line.unit = "unit-0";
            self->valuation_line.description = "description-0";
            self->valuation_line.flag = "flag-0";
            self->valuation_line.ward_name = "ward_name-0";
            self->valuation_line.record_only = true;
            self->valuation_line.outcome = "outcome-0";
            self->valuation_line.proxy_year = "proxy_year-0";
            break;
        case SV_PROTO_LOCAL_SPEND_LINE:
            self->local_spend_line.partner = "partner-0";
            self->local_spend_line.source_seq = 128;
            self->local_spend_line.supplier_key = "supplier_key-0";
            self->local_spend_line.payment_date = "payment_date-0";
            self->local_spend_line.year = "year-0";
            self->local_spend_line.amount_pence = 32767;
            self->local_spend_line.locality = "locality-0";
            self->local_spend_line.ward_code = "ward_code-0";
            self->local_spend_line.ward_name = "ward_name-0";
            self->local_spend_line.sme = false;
            self->local_spend_line.vcse = true;
            self->local_spend_line.employee_owned = false;
            self->local_spend_line.place_source = "place_source-0";
            self->local_spend_line.postcode = "postcode-0";
            self->local_spend_line.locality_reason = "locality_reason-0";
            self->local_spend_line.directory = "directory-0";
            self->local_spend_line.redacted = true;
            break;
        case SV_PROTO_ALERT:
            self->alert.alert_id = "alert_id-0";
            self->alert.rule = "rule-0";
            self->alert.severity = "severity-0";
            self->alert.state = "state-0";
            self->alert.partner = "partner-0";
            self->alert.supplier_key = "supplier_key-0";
            self->alert.contract_id = "contract_id-0";
            self->alert.message = "message-0";
            self->alert.at = "at-0";
            self->alert.measure = "measure-0";
            break;
        case SV_PROTO_KPI:
            self->kpi.partner = "partner-0";
            self->kpi.contract_id = "contract_id-0";
            self->kpi.kpi_id = "kpi_id-0";
            self->kpi.name = "name-0";
            self->kpi.year = "year-0";
            self->kpi.target_milli = -32768;
            self->kpi.unit = "unit-0";
            self->kpi.lower_is_better = false;
            self->kpi.has_actual = true;
            self->kpi.actual_milli = -32769;
            self->kpi.measure = "measure-0";
            self->kpi.ocid = "ocid-0";
            self->kpi.release_date = "release_date-0";
            break;
        case SV_PROTO_PAYEE:
            self->payee.partner = "partner-0";
            self->payee.supplier_key = "supplier_key-0";
            self->payee.postcode = "postcode-0";
            self->payee.supplier_name = "supplier_name-0";
            break;
        case SV_PROTO_PLACE:
            self->place.partner = "partner-0";
            self->place.supplier_key = "supplier_key-0";
            self->place.postcode = "postcode-0";
            self->place.locality = "locality-0";
            self->place.ward_code = "ward_code-0";
            self->place.ward_name = "ward_name-0";
            self->place.sme = false;
            self->place.vcse = true;
            self->place.employee_owned = false;
            self->place.place_source = "place_source-0";
            self->place.place_postcode = "place_postcode-0";
            self->place.locality_reason = "locality_reason-0";
            self->place.directory = "directory-0";
            break;
    }
}

//  Asserts the bytes in buffer are refused for a reason containing expected,
//  then empties the buffer
static void
s_test_refused (msgpack_sbuffer *buffer, const char *expected, bool verbose)
{
    sv_proto_t message = { 0 };
    int rc = sv_proto_decode (&message, (const uint8_t *) buffer->data, buffer->size);
    if (verbose)
        printf ("  refused: %s\n", message.reason);
    assert (rc == -1);
    assert (message.id == 0);
    assert (strstr (message.reason, expected));
    msgpack_sbuffer_clear (buffer);
}

//  Starts a hand-built message: a map of entries, "v" and "id" first
static void
s_test_begin (msgpack_packer *pk, uint32_t entries, uint64_t version, const char *name)
{
    int rc = msgpack_pack_map (pk, entries)
          || s_put_uint (pk, "v", version)
          || s_put_string (pk, "id", name);
    assert (rc == 0);
}

void
sv_proto_test (bool verbose)
{
    if (verbose)
        printf (" * sv_proto: ");

    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer pk;
    msgpack_packer_init (&pk, &buffer, msgpack_sbuffer_write);
    sv_proto_t message = { 0 };
    int rc;

    //  Every message survives a round trip, lists included: the copy encodes
    //  to the same bytes, and still does once the original bytes are gone
    for (size_t id = 1; id < S_MESSAGES; id++) {
        sv_proto_t sample;
        s_test_fill (&sample, (sv_proto_id_t) id);
        rc = sv_proto_encode (&sample, &buffer);
        assert (rc == 0);
        msgpack_sbuffer expected;
        msgpack_sbuffer_init (&expected);
        rc = sv_proto_encode (&sample, &expected);
        assert (rc == 0);

        rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
        assert (rc == 0);
        assert (message.id == id);
        assert (message.reason [0] == 0);
        assert (streq (sv_proto_name (message.id), s_names [id]));
        if (verbose)
            sv_proto_print (&message, stdout);
        memset (buffer.data, 0xff, buffer.size);
        msgpack_sbuffer_clear (&buffer);
        rc = sv_proto_encode (&message, &buffer);
        assert (rc == 0);
        assert (buffer.size == expected.size);
        assert (memcmp (buffer.data, expected.data, expected.size) == 0);

        //  A packed decode reads the same values, and with an optional
        //  field left out (the shorter sample) as well
        sv_proto_t packed = { 0 };
        rc = sv_proto_decode_packed (&packed, (const uint8_t *) expected.data, expected.size);
        assert (rc == 0 && packed.id == id && packed.arena);
        msgpack_sbuffer_clear (&buffer);
        rc = sv_proto_encode (&packed, &buffer);
        assert (rc == 0);
        assert (buffer.size == expected.size);
        assert (memcmp (buffer.data, expected.data, expected.size) == 0);
        sv_proto_reset (&packed);
        assert (packed.id == 0 && packed.arena == NULL);

        //  Every truncation is refused, and so is a trailing byte, packed
        //  or not
        for (size_t size = 0; size < expected.size; size++) {
            rc = sv_proto_decode (&message, (const uint8_t *) expected.data, size);
            assert (rc == -1);
            assert (message.id == 0 && message.reason [0]);
            rc = sv_proto_decode_packed (&packed, (const uint8_t *) expected.data, size);
            assert (rc == -1);
            assert (packed.id == 0 && packed.reason [0] && packed.arena == NULL);
        }
        msgpack_sbuffer_write (&expected, "\xc0", 1);
        rc = sv_proto_decode (&message, (const uint8_t *) expected.data, expected.size);
        assert (rc == -1);
        assert (strstr (message.reason, "trailing bytes"));
        msgpack_sbuffer_destroy (&expected);
        msgpack_sbuffer_clear (&buffer);
    }
    sv_proto_reset (&message);
    sv_proto_reset (&message);              //  safe twice

    //  Decoded values are the values sent
    sv_proto_t sample;
    s_test_fill (&sample, SV_PROTO_EVENTS);
    sample.events.stream = "ingest";
    sample.events.after_seq = 41;
    sample.events.head_seq = 42;
    zframe_t *frame = sv_proto_encode_frame (&sample);
    assert (frame);
    rc = sv_proto_decode (&message, zframe_data (frame), zframe_size (frame));
    zframe_destroy (&frame);
    assert (rc == 0);
    assert (message.id == SV_PROTO_EVENTS);
    assert (streq (message.events.stream, "ingest"));
    assert (message.events.after_seq == 41 && message.events.head_seq == 42);
    assert (message.events.events_count == 2);
    sv_proto_event_t *event = &message.events.events [1];
    assert (event->seq == s_test_event [1].seq);
    assert (streq (event->type, s_test_event [1].type));
    assert (event->body_size == s_test_event [1].body_size);
    assert (memcmp (event->body, s_test_event [1].body, event->body_size) == 0);
    FILE *sink = tmpfile ();
    assert (sink);
    sv_proto_print (&message, sink);
    assert (ftell (sink) > 0);
    fclose (sink);
    sv_proto_reset (&message);
    assert (message.id == 0 && message.events.events == NULL);

    //  Encoding: NULL strings go as "", NULL lists and bytes as empty; an id
    //  that is not a message is refused and leaves the buffer untouched
    sv_proto_t unfilled = { .id = SV_PROTO_EVENTS };
    unfilled.events.events_count = 3;
    rc = sv_proto_encode (&unfilled, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (streq (message.events.stream, "") && message.events.events_count == 0);
    msgpack_sbuffer_clear (&buffer);
    unfilled.id = (sv_proto_id_t) 0;
    rc = sv_proto_encode (&unfilled, &buffer);
    assert (rc == -1 && buffer.size == 0);
    unfilled.id = (sv_proto_id_t) S_MESSAGES;
    rc = sv_proto_encode (&unfilled, &buffer);
    assert (rc == -1 && buffer.size == 0);
    frame = sv_proto_encode_frame (&unfilled);
    assert (frame == NULL);
    assert (streq (sv_proto_name ((sv_proto_id_t) 0), "?"));
    assert (streq (sv_proto_name ((sv_proto_id_t) S_MESSAGES), "?"));
    assert (streq (sv_proto_name (SV_PROTO_FETCH), "FETCH"));

    //  Keys may come in any order, and keys this version does not know are
    //  ignored; a uint may arrive in a signed encoding
    rc = msgpack_pack_map (&pk, 6)
      || s_put_uint (&pk, "max", 100)
      || s_put_string (&pk, "future", "ignored")
      || s_put_string (&pk, "stream", "valuation")
      || s_put_string (&pk, "id", "FETCH")
      || s_put_key (&pk, "after_seq") || msgpack_pack_int8 (&pk, 7)
      || s_put_uint (&pk, "v", SV_PROTO_VERSION);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (message.id == SV_PROTO_FETCH);
    assert (streq (message.fetch.stream, "valuation"));
    assert (message.fetch.after_seq == 7 && message.fetch.max == 100);
    msgpack_sbuffer_clear (&buffer);

    //  An absent optional string reads as "", never NULL
    s_test_begin (&pk, 3, SV_PROTO_VERSION, "ALERT_ACK");
    rc = s_put_string (&pk, "alert_id", "rlw-17");
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (streq (message.alert_ack.alert_id, "rlw-17") && streq (message.alert_ack.by, ""));
    msgpack_sbuffer_clear (&buffer);

    //  int fields take the whole int64 range, and no more
    s_test_begin (&pk, 5, SV_PROTO_VERSION, "CONTRACT");
    rc = s_put_string (&pk, "partner", "council")
      || s_put_string (&pk, "contract_id", "C-1")
      || s_put_uint (&pk, "value_pence", INT64_MAX);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (message.contract.value_pence == INT64_MAX);
    assert (streq (message.contract.title, "") && !message.contract.incomplete);
    msgpack_sbuffer_clear (&buffer);
    s_test_begin (&pk, 5, SV_PROTO_VERSION, "CONTRACT");
    rc = s_put_string (&pk, "partner", "council")
      || s_put_string (&pk, "contract_id", "C-1")
      || s_put_uint (&pk, "value_pence", (uint64_t) INT64_MAX + 1);
    assert (rc == 0);
    s_test_refused (&buffer, "CONTRACT.value_pence: 9223372036854775808 is out of range", verbose);

    //  Refusals, each for its reason
    rc = msgpack_pack_array (&pk, 0);
    assert (rc == 0);
    s_test_refused (&buffer, "expected map, got array", verbose);
    msgpack_sbuffer_write (&buffer, "\xdd\x10\x00\x00\x00", 5);
    s_test_refused (&buffer, "declared count exceeds the message", verbose);
    msgpack_sbuffer_write (&buffer, "\xdb\xff\xff\xff\xff", 5);
    s_test_refused (&buffer, "declared length exceeds the message", verbose);

    //  Every version from the oldest supported to this one reads; a newer
    //  one, or one no longer supported, is refused
    for (uint64_t version = SV_PROTO_OLDEST - 1; version <= SV_PROTO_VERSION + 1; version++) {
        s_test_begin (&pk, 5, version, "FETCH");
        rc = s_put_string (&pk, "stream", "ingest")
          || s_put_uint (&pk, "after_seq", 0)
          || s_put_uint (&pk, "max", 10);
        assert (rc == 0);
        if (version >= SV_PROTO_OLDEST && version <= SV_PROTO_VERSION) {
            rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
            assert (rc == 0 && message.id == SV_PROTO_FETCH);
            sv_proto_reset (&message);
            msgpack_sbuffer_clear (&buffer);
        }
        else
            s_test_refused (&buffer, "protocol version", verbose);
    }

    rc = msgpack_pack_map (&pk, 1) || s_put_string (&pk, "id", "FETCH");
    assert (rc == 0);
    s_test_refused (&buffer, "no protocol version", verbose);

    rc = msgpack_pack_map (&pk, 1) || s_put_uint (&pk, "v", SV_PROTO_VERSION);
    assert (rc == 0);
    s_test_refused (&buffer, "no message name", verbose);

    s_test_begin (&pk, 2, SV_PROTO_VERSION, "NO_SUCH\n");
    s_test_refused (&buffer, "unknown message \"NO_SUCH?\"", verbose);

    s_test_begin (&pk, 5, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_string (&pk, "after_seq", "41")
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.after_seq: expected uint, got str", verbose);

    s_test_begin (&pk, 5, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_int (&pk, "after_seq", -1)
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.after_seq: -1 is negative", verbose);

    s_test_begin (&pk, 4, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.max: required field missing", verbose);

    s_test_begin (&pk, 6, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.stream: appears twice", verbose);

    s_test_begin (&pk, 5, SV_PROTO_VERSION, "FETCH");
    rc = s_put_key (&pk, "stream")
      || msgpack_pack_str (&pk, 3) || msgpack_pack_str_body (&pk, "a\0b", 3)
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.stream: string holds a NUL byte", verbose);

    s_test_begin (&pk, 3, SV_PROTO_VERSION, "FETCH");
    rc = msgpack_pack_uint8 (&pk, 1) || msgpack_pack_nil (&pk);
    assert (rc == 0);
    s_test_refused (&buffer, "a key is a uint", verbose);

    //  A list element of the wrong shape, and one missing a field
    s_test_begin (&pk, 6, SV_PROTO_VERSION, "EVENTS");
    rc = s_put_list (&pk, "events", 1) || msgpack_pack_uint8 (&pk, 1)
      || s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "head_seq", 1);
    assert (rc == 0);
    s_test_refused (&buffer, "EVENTS.events[0]: expected map, got uint", verbose);

    //  More elements than the bytes left can hold valid ones of: two empty
    //  maps where events (24 bytes at least) are due
    s_test_begin (&pk, 6, SV_PROTO_VERSION, "EVENTS");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "head_seq", 1)
      || s_put_list (&pk, "events", 2) || msgpack_pack_map (&pk, 0) || msgpack_pack_map (&pk, 0);
    assert (rc == 0);
    s_test_refused (&buffer, "EVENTS.events: 2 elements cannot fit in the 2 bytes left;"
                    " a valid one takes at least 24", verbose);

    s_test_begin (&pk, 6, SV_PROTO_VERSION, "EVENTS");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "head_seq", 2)
      || s_put_list (&pk, "events", 2)
      || msgpack_pack_map (&pk, 4) || s_encode_event (&pk, &s_test_event [0])
      || msgpack_pack_map (&pk, 3)
      || s_put_uint (&pk, "seq", 2) || s_put_string (&pk, "type", "SPEND")
      || s_put_string (&pk, "key", "k");
    assert (rc == 0);
    s_test_refused (&buffer, "EVENTS.events[1].body: required field missing", verbose);

    //  Decoding after all those refusals still works
    s_test_fill (&sample, SV_PROTO_FETCH);
    rc = sv_proto_encode (&sample, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0 && message.id == SV_PROTO_FETCH);
    sv_proto_reset (&message);

    //  A packed decode gives an absent optional string as "", and borrows
    //  its bytes from the frame
    msgpack_sbuffer_clear (&buffer);
    sample.fetch.types = NULL;
    rc = sv_proto_encode (&sample, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode_packed (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0 && message.id == SV_PROTO_FETCH && streq (message.fetch.types, ""));
    sv_proto_reset (&message);
    msgpack_sbuffer_clear (&buffer);
    s_test_fill (&sample, SV_PROTO_EVENTS);
    rc = sv_proto_encode (&sample, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode_packed (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0 && message.events.events_count == 2);
    const uint8_t *body = message.events.events [1].body;
    assert (body > (const uint8_t *) buffer.data
         && body < (const uint8_t *) buffer.data + buffer.size);
    assert (memcmp (body, s_test_event [1].body, s_test_event [1].body_size) == 0);
    sv_proto_reset (&message);

    msgpack_sbuffer_destroy (&buffer);
    if (verbose)
        printf ("OK\n");
}
