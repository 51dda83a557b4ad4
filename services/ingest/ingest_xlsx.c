/*  =========================================================================
    ingest_xlsx - one worksheet of an Excel workbook. See ingest_xlsx.h.

    The parts are read in the order the package links them: _rels/.rels
    names the workbook; the workbook names its sheets in tab order (and
    its date system), its own .rels where each sheet, the shared strings
    and the styles are; the styles say which cell formats are dates. The
    shared strings are held (one buffer of NUL-terminated texts and their
    offsets, bounded); the sheet is streamed, one row held at a time.

    Every part goes through one expat parser made for it, names read
    without their prefix so that a producer's (x:row) does not matter, and a
    DOCTYPE stops it: an xlsx never needs one, and without a DTD no entity
    can be declared, so none can expand. Each part is inflated through a
    count that refuses it past the bounds, whatever its zip header said.
    =========================================================================
*/

#include "ingest_xlsx.h"
#include "sv_date.h"

#include <assert.h>
#include <czmq.h>
#include <expat.h>
#include <zip.h>

#define S_CHUNK 65536
#define S_SHEETS_MAX 4096       //  sheets, relationships and formats, each
#define S_XFS_MAX 65536         //  cell formats (Excel's own limit is 64,000)
#define S_COLUMNS_MAX 16384     //  A to XFD
#define S_ROWS_MAX 1048576
#define S_ENTRIES_MAX 100000    //  zip entries
#define S_RATIO_FLOOR (1024 * 1024)
#define S_NO_VALUE "a formula with no value saved: open the workbook in Excel and save it again"

typedef struct {
    char *name;
    char *rel_id;
    bool hidden;
} s_sheet_t;

typedef struct {
    char *id;
    char *type;                 //  the last segment of the Type URI: "worksheet"
    char *target;               //  resolved to a path in the zip
} s_rel_t;

typedef enum { S_PACKAGE, S_WORKBOOK, S_RELS, S_STYLES, S_STRINGS, S_SHEET } s_part_t;

struct _ingest_xlsx_t {
    FILE *file;                 //  the spool, until read hands it to libzip
    size_t size;
    unsigned char head [8];     //  the first bytes, to name what a non-zip is
    zip_t *zip;
    char reason [512];
    char sheet_name [256];
    char *sheet_list;           //  "\"A\", \"B\""
    size_t sheet_count;
    //  Read from the parts
    char *workbook_path;
    bool date1904;
    s_sheet_t sheets [S_SHEETS_MAX];
    size_t sheets_count;
    s_rel_t rels [S_SHEETS_MAX];
    size_t rels_count;
    int custom_ids [S_SHEETS_MAX];      //  numFmt ids...
    bool custom_dates [S_SHEETS_MAX];   //  ...and whether each is a date
    size_t custom_count;
    bool *xf_dates;             //  per cell format: a date
    size_t xf_count;
    char *strings;              //  shared strings, each NUL-terminated
    size_t strings_max;         //  INGEST_XLSX_STRINGS_MAX (less in the self-test)
    size_t strings_used;
    size_t strings_size;
    uint32_t *string_at;
    size_t string_count;
    size_t string_slots;
};

//  The state of one part's parse
typedef struct {
    ingest_xlsx_t *self;
    XML_Parser parser;
    s_part_t part;
    const char *part_name;
    bool failed;
    //  Text being collected, bounded by text_max
    bool collecting;
    char *text;
    size_t text_used;
    size_t text_size;
    size_t text_max;
    int in_phonetic;            //  inside rPh: its text is not the cell's
    bool in_cell_xfs;
    bool in_si;
    //  The sheet
    ingest_xlsx_row_fn *row_fn;
    void *arg;
    uint64_t row;               //  the open row's number, or of the last
    bool in_row;
    size_t column;              //  the open cell's
    size_t next_column;
    char type [16];             //  its t attribute
    size_t style;
    bool has_formula;
    bool has_value;
    bool in_inline;
    size_t *cell_column;        //  the row's cells: column and offset in row_text
    size_t *cell_at;
    size_t cell_count;
    char *row_text;
    size_t row_used;
    size_t row_size;
    const char **cells;         //  [S_COLUMNS_MAX]
    char problem [160];
} s_parse_t;

//  Makes *buffer_p (of *size_p bytes) hold at least need bytes, doubling.
//  Every bound on what it holds is checked before: running out of memory
//  within them is not input's fault.
static void
s_grow (char **buffer_p, size_t *size_p, size_t need)
{
    if (need <= *size_p)
        return;
    size_t size = *size_p? *size_p: 256;
    while (size < need)
        size *= 2;
    *buffer_p = (char *) realloc (*buffer_p, size);
    assert (*buffer_p);
    *size_p = size;
}

static void
s_refuse (ingest_xlsx_t *self, const char *format, ...)
{
    if (*self->reason)
        return;                 //  the first reason stands
    va_list args;
    va_start (args, format);
    vsnprintf (self->reason, sizeof self->reason, format, args);
    va_end (args);
}

//  Stops a parse with a reason
static void
s_stop (s_parse_t *parse, const char *format, ...)
{
    if (!*parse->self->reason) {
        va_list args;
        va_start (args, format);
        vsnprintf (parse->self->reason, sizeof parse->self->reason, format, args);
        va_end (args);
    }
    parse->failed = true;
    XML_StopParser (parse->parser, XML_FALSE);
}

//  ==========================================================================
//  Values: numbers, dates, cell references, escapes

const char *
ingest_xlsx_cell_name (size_t column, uint64_t row, char *buf)
{
    char letters [4];
    size_t count = 0;
    size_t value = column + 1;
    while (value > 0 && count < sizeof letters) {
        letters [count++] = (char) ('A' + (value - 1) % 26);
        value = (value - 1) / 26;
    }
    size_t at = 0;
    while (count > 0)
        buf [at++] = letters [--count];
    snprintf (buf + at, INGEST_XLSX_CELL_BUF - at, "%" PRIu64, row);
    return buf;
}

//  Reads a reference's column ("D7": 3). -1 when it is not one.
static long
s_reference_column (const char *reference)
{
    long column = 0;
    size_t letters = 0;
    while (isalpha ((unsigned char) reference [letters]) && letters < 3) {
        column = column * 26 + (toupper ((unsigned char) reference [letters]) - 'A' + 1);
        letters++;
    }
    if (letters == 0 || !isdigit ((unsigned char) reference [letters]) || column > S_COLUMNS_MAX)
        return -1;
    for (const char *digit = reference + letters; *digit; digit++)
        if (!isdigit ((unsigned char) *digit))
            return -1;
    return column - 1;
}

//  Writes a number's text (as an xlsx holds it: 4952.17, 1.5E-3,
//  4.9999999999999998E-2) into out (size bytes) as plain decimal text of
//  at most 15 significant digits, rounded half away from zero as Excel
//  shows it. 0, or -1 when text is not a number or too far out of range.
static int
s_number (const char *text, char *out, size_t size)
{
    const char *scan = text;
    bool negative = *scan == '-';
    if (*scan == '-' || *scan == '+')
        scan++;
    char digits [64];
    size_t count = 0;
    long point = 0;             //  value = 0.digits x 10^point
    bool seen_digit = false, seen_point = false;
    for (; *scan; scan++) {
        if (isdigit ((unsigned char) *scan)) {
            seen_digit = true;
            if (count == 0 && *scan == '0') {
                if (seen_point)
                    point--;
                continue;       //  leading zeros are not significant
            }
            if (count < sizeof digits)
                digits [count++] = *scan;
            if (!seen_point)
                point++;
        }
        else
        if (*scan == '.' && !seen_point)
            seen_point = true;
        else
            break;
    }
    if (!seen_digit)
        return -1;
    if (*scan == 'e' || *scan == 'E') {
        scan++;
        bool down = *scan == '-';
        if (*scan == '-' || *scan == '+')
            scan++;
        if (!isdigit ((unsigned char) *scan))
            return -1;
        long exponent = 0;
        for (; isdigit ((unsigned char) *scan); scan++)
            if (exponent < 10000)
                exponent = exponent * 10 + (*scan - '0');
        point += down? -exponent: exponent;
    }
    if (*scan)
        return -1;
    if (count > 15) {
        bool up = digits [15] >= '5';
        count = 15;
        for (size_t at = count; up && at > 0; at--) {
            if (digits [at - 1] == '9')
                digits [at - 1] = '0';
            else {
                digits [at - 1]++;
                up = false;
            }
        }
        if (up) {               //  999... became 1000...
            memmove (digits + 1, digits, count - 1);
            digits [0] = '1';
            point++;
        }
    }
    while (count > 0 && digits [count - 1] == '0')
        count--;
    if (count == 0) {
        snprintf (out, size, "0");
        return 0;
    }
    if (point > 300 || point < -300)
        return -1;
    size_t need = count + (size_t) labs (point) + 4;
    if (need > size)
        return -1;
    size_t at = 0;
    if (negative)
        out [at++] = '-';
    if (point <= 0) {
        out [at++] = '0';
        out [at++] = '.';
        for (long zero = 0; zero < -point; zero++)
            out [at++] = '0';
        memcpy (out + at, digits, count);
        at += count;
    }
    else
    if ((size_t) point >= count) {
        memcpy (out + at, digits, count);
        at += count;
        for (size_t zero = count; zero < (size_t) point; zero++)
            out [at++] = '0';
    }
    else {
        memcpy (out + at, digits, (size_t) point);
        at += (size_t) point;
        out [at++] = '.';
        memcpy (out + at, digits + point, count - (size_t) point);
        at += count - (size_t) point;
    }
    out [at] = 0;
    return 0;
}

//  Writes the date (and time, when not midnight) a serial number is in
//  the workbook's date system into out (size bytes). 0, or -1 with
//  *reason_p when it is no date.
static int
s_serial_date (const char *text, bool date1904, char *out, size_t size, const char **reason_p)
{
    char plain [400];
    if (s_number (text, plain, sizeof plain)) {
        *reason_p = "is not a number";
        return -1;
    }
    if (*plain == '-') {
        *reason_p = "is a negative date serial number: no date";
        return -1;
    }
    const char *dot = strchr (plain, '.');
    size_t whole_length = dot? (size_t) (dot - plain): strlen (plain);
    if (whole_length > 7) {
        *reason_p = "is a date serial number past 9999-12-31";
        return -1;
    }
    long serial = strtol (plain, NULL, 10);
    //  The fraction of the day in seconds, rounded (at most 18 digits of it)
    int64_t seconds = 0;
    if (dot) {
        __int128 numerator = 0, denominator = 1;
        for (const char *digit = dot + 1; *digit && denominator < (__int128) 1000000000000000000LL;
             digit++) {
            numerator = numerator * 10 + (*digit - '0');
            denominator *= 10;
        }
        seconds = (int64_t) ((numerator * 86400 * 2 + denominator) / (denominator * 2));
    }
    if (seconds == 86400) {
        serial++;
        seconds = 0;
    }
    int32_t day;
    if (date1904)
        day = sv_date_from_ymd (1904, 1, 1) + (int32_t) serial;
    else
    if (serial == 0) {
        *reason_p = "is date serial 0, which Excel shows as 1900-01-00: no date";
        return -1;
    }
    else
    if (serial == 60) {
        *reason_p = "is date serial 60, which Excel shows as 1900-02-29, a day that never "
                    "was (its 1900 leap-year bug)";
        return -1;
    }
    else
        //  Serials before the day that never was count from 1899-12-31
        day = sv_date_from_ymd (1899, 12, serial < 60? 31: 30) + (int32_t) serial;
    char date [SV_DATE_BUF];
    sv_date_format (day, date, sizeof date);
    if (seconds)
        snprintf (out, size, "%s %02d:%02d:%02d", date, (int) (seconds / 3600),
                  (int) (seconds / 60 % 60), (int) (seconds % 60));
    else
        snprintf (out, size, "%s", date);
    return 0;
}

//  True if a number format code shows a date: a d or y, or an m with no
//  h or s (mm:ss is minutes), outside quoted text, escapes, fills and
//  brackets ([Red], [$-809]); elapsed times ([h]:mm) are times.
static bool
s_format_is_date (const char *code)
{
    bool day_or_year = false, month_or_minute = false, time = false;
    for (const char *scan = code; *scan; scan++) {
        char c = (char) tolower ((unsigned char) *scan);
        if (c == '"') {
            const char *close = strchr (scan + 1, '"');
            if (!close)
                break;
            scan = close;
        }
        else
        if (c == '\\' || c == '_' || c == '*') {
            if (!scan [1])
                break;
            scan++;
        }
        else
        if (c == '[') {
            char inside = (char) tolower ((unsigned char) scan [1]);
            if (inside == 'h' || inside == 'm' || inside == 's')
                time = true;
            const char *close = strchr (scan, ']');
            if (!close)
                break;
            scan = close;
        }
        else
        if (strncasecmp (scan, "am/pm", 5) == 0)
            scan += 4;
        else
        if (strncasecmp (scan, "a/p", 3) == 0)
            scan += 2;
        else
        if (c == 'd' || c == 'y')
            day_or_year = true;
        else
        if (c == 'm')
            month_or_minute = true;
        else
        if (c == 'h' || c == 's')
            time = true;
    }
    return day_or_year || (month_or_minute && !time);
}

//  True if a built-in number format id is a date (ECMA-376 18.8.30: 14-17
//  and 22; 27-36 and 50-58 are the East Asian dates). 18-21 and 45-47
//  are times.
static bool
s_builtin_is_date (long id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36)
        || (id >= 50 && id <= 58);
}

//  Decodes OOXML's _xHHHH_ escapes (a character XML cannot hold, or a
//  literal "_x" as _x005F_) in place: the result is never longer.
static void
s_unescape (char *text)
{
    char *in = text, *out = text;
    while (*in) {
        unsigned int code;
        if (in [0] == '_' && in [1] == 'x' && isxdigit ((unsigned char) in [2])
        &&  isxdigit ((unsigned char) in [3]) && isxdigit ((unsigned char) in [4])
        &&  isxdigit ((unsigned char) in [5]) && in [6] == '_'
        &&  sscanf (in + 2, "%4x", &code) == 1 && code != 0
        &&  (code < 0xD800 || code > 0xDFFF)) {
            if (code < 0x80)
                *out++ = (char) code;
            else
            if (code < 0x800) {
                *out++ = (char) (0xC0 | (code >> 6));
                *out++ = (char) (0x80 | (code & 0x3F));
            }
            else {
                *out++ = (char) (0xE0 | (code >> 12));
                *out++ = (char) (0x80 | ((code >> 6) & 0x3F));
                *out++ = (char) (0x80 | (code & 0x3F));
            }
            in += 7;
        }
        else
            *out++ = *in++;
    }
    *out = 0;
}

//  ==========================================================================
//  Parts: paths, inflating with bounds, expat

//  The local part of a name ("x:row": "row"). Prefixes are not resolved
//  to namespaces: every part has its own elements, whatever a producer
//  calls their namespace, and short names keep the sheet's hot path cheap
static const char *
s_local (const XML_Char *name)
{
    const char *colon = strchr (name, ':');
    return colon? colon + 1: name;
}

static const char *
s_attribute (const XML_Char **attributes, const char *local)
{
    for (size_t index = 0; attributes [index]; index += 2)
        if (streq (s_local (attributes [index]), local))
            return attributes [index + 1];
    return NULL;
}

//  Resolves a relationship's target against the folder of the part that
//  holds it ("xl/" for the workbook): a path in the zip, "../" and "./"
//  worked out; "/x" is from the root. Caller frees; NULL if it leaves it.
static char *
s_resolve (const char *folder, const char *target)
{
    char *joined = *target == '/'? strdup (target + 1): zsys_sprintf ("%s%s", folder, target);
    if (!joined)
        return NULL;
    //  Segments, with ".." taking the one before
    char *out = (char *) zmalloc (strlen (joined) + 1);
    size_t used = 0;
    char *save = NULL;
    bool ok = true;
    for (char *segment = strtok_r (joined, "/", &save); segment && ok;
         segment = strtok_r (NULL, "/", &save)) {
        if (streq (segment, "."))
            continue;
        if (streq (segment, "..")) {
            if (used == 0)
                ok = false;
            while (used > 0 && out [used - 1] != '/')
                used--;
            if (used > 0)
                used--;         //  the slash before it
            continue;
        }
        if (used > 0)
            out [used++] = '/';
        size_t length = strlen (segment);
        memcpy (out + used, segment, length);
        used += length;
    }
    out [used] = 0;
    free (joined);
    if (!ok || used == 0) {
        free (out);
        return NULL;
    }
    return out;
}

static void XMLCALL s_start (void *data, const XML_Char *name, const XML_Char **attributes);
static void XMLCALL s_end (void *data, const XML_Char *name);
static void XMLCALL s_text (void *data, const XML_Char *text, int length);

static void XMLCALL
s_doctype (void *data, const XML_Char *name, const XML_Char *system_id,
           const XML_Char *public_id, int has_internal_subset)
{
    (void) name;
    (void) system_id;
    (void) public_id;
    (void) has_internal_subset;
    s_parse_t *parse = (s_parse_t *) data;
    s_stop (parse, "%s has a DTD (<!DOCTYPE>): an xlsx never needs one, and entity "
            "declarations (which can expand without end) are not accepted", parse->part_name);
}

static void XMLCALL
s_entity (void *data, const XML_Char *name, int is_parameter, const XML_Char *value,
          int length, const XML_Char *base, const XML_Char *system_id,
          const XML_Char *public_id, const XML_Char *notation)
{
    (void) name; (void) is_parameter; (void) value; (void) length; (void) base;
    (void) system_id; (void) public_id; (void) notation;
    s_parse_t *parse = (s_parse_t *) data;
    s_stop (parse, "%s declares an XML entity: not accepted", parse->part_name);
}

//  Streams the zip entry name through a parser set up for part. 0; 1 when
//  there is no such entry; -1 when refused (see reason).
static int
s_part_read (s_parse_t *parse, const char *name)
{
    ingest_xlsx_t *self = parse->self;
    zip_int64_t index = zip_name_locate (self->zip, name, 0);
    if (index < 0)
        index = zip_name_locate (self->zip, name, ZIP_FL_NOCASE);
    if (index < 0)
        return 1;
    zip_stat_t stat;
    zip_stat_init (&stat);
    if (zip_stat_index (self->zip, (zip_uint64_t) index, 0, &stat)) {
        s_refuse (self, "not an xlsx workbook: its part %s cannot be read", name);
        return -1;
    }
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
        s_refuse (self, "the workbook's part %s is encrypted: save the workbook without a "
                  "password", name);
        return -1;
    }
    uint64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE)? stat.comp_size: 0;
    uint64_t declared = (stat.valid & ZIP_STAT_SIZE)? stat.size: 0;
    const char *bomb = "the workbook's part %s inflates to %" PRIu64 " bytes from %" PRIu64
                       ": past the limit of %d bytes, or %d times its compressed size "
                       "(a zip bomb?)";
    if (declared > INGEST_XLSX_PART_MAX
    ||  (declared > S_RATIO_FLOOR && declared / (compressed? compressed: 1) > INGEST_XLSX_RATIO_MAX)) {
        s_refuse (self, bomb, name, declared, compressed, INGEST_XLSX_PART_MAX,
                  INGEST_XLSX_RATIO_MAX);
        return -1;
    }
    zip_file_t *entry = zip_fopen_index (self->zip, (zip_uint64_t) index, 0);
    if (!entry) {
        s_refuse (self, "not an xlsx workbook: its part %s cannot be opened: %s", name,
                  zip_strerror (self->zip));
        return -1;
    }
    parse->part_name = name;
    parse->parser = XML_ParserCreate (NULL);
    assert (parse->parser);
    XML_SetUserData (parse->parser, parse);
    XML_SetElementHandler (parse->parser, s_start, s_end);
    XML_SetCharacterDataHandler (parse->parser, s_text);
    XML_SetStartDoctypeDeclHandler (parse->parser, s_doctype);
    XML_SetEntityDeclHandler (parse->parser, s_entity);
    XML_SetParamEntityParsing (parse->parser, XML_PARAM_ENTITY_PARSING_NEVER);
    char *buffer = (char *) malloc (S_CHUNK);
    assert (buffer);
    uint64_t inflated = 0;
    int rc = 0;
    while (rc == 0) {
        zip_int64_t got = zip_fread (entry, buffer, S_CHUNK);
        if (got < 0) {
            s_refuse (self, "the workbook's part %s is damaged: %s", name,
                      zip_file_strerror (entry));
            rc = -1;
            break;
        }
        inflated += (uint64_t) got;
        if (inflated > INGEST_XLSX_PART_MAX
        ||  (inflated > S_RATIO_FLOOR
             && inflated / (compressed? compressed: 1) > INGEST_XLSX_RATIO_MAX)) {
            s_refuse (self, bomb, name, inflated, compressed, INGEST_XLSX_PART_MAX,
                      INGEST_XLSX_RATIO_MAX);
            rc = -1;
            break;
        }
        if (XML_Parse (parse->parser, buffer, (int) got, got == 0) != XML_STATUS_OK) {
            if (!parse->failed)
                s_refuse (self, "the workbook's part %s is not well-formed XML: %s at line "
                          "%lu", name, XML_ErrorString (XML_GetErrorCode (parse->parser)),
                          (unsigned long) XML_GetCurrentLineNumber (parse->parser));
            rc = -1;
        }
        if (got == 0)
            break;
    }
    if (rc == 0 && parse->failed)
        rc = -1;
    free (buffer);
    zip_fclose (entry);
    XML_ParserFree (parse->parser);
    parse->parser = NULL;
    return rc;
}

//  Empties the text collected; it is collected only while collecting
//  (inside a v, or a t of a shared or inline string)
static void
s_collect (s_parse_t *parse)
{
    parse->text_used = 0;
    if (parse->text)
        *parse->text = 0;
}

static void XMLCALL
s_text (void *data, const XML_Char *text, int length)
{
    s_parse_t *parse = (s_parse_t *) data;
    if (!parse->collecting || parse->in_phonetic || parse->failed)
        return;
    size_t need = parse->text_used + (size_t) length + 1;
    if (need > parse->text_max) {
        s_stop (parse, "%s holds a text longer than %zu bytes", parse->part_name,
                parse->text_max);
        return;
    }
    s_grow (&parse->text, &parse->text_size, need);
    memcpy (parse->text + parse->text_used, text, (size_t) length);
    parse->text_used += (size_t) length;
    parse->text [parse->text_used] = 0;
}

//  The text collected, NUL-terminated, the parse's to change in place
static char *
s_collected (s_parse_t *parse)
{
    parse->collecting = false;
    s_grow (&parse->text, &parse->text_size, parse->text_used + 1);
    parse->text [parse->text_used] = 0;
    return parse->text;
}

//  ==========================================================================
//  Package, workbook, relationships, styles, shared strings

static void
s_package_start (s_parse_t *parse, const char *local, const XML_Char **attributes)
{
    ingest_xlsx_t *self = parse->self;
    if (!streq (local, "Relationship"))
        return;
    const char *type = s_attribute (attributes, "Type");
    const char *target = s_attribute (attributes, "Target");
    const char *id = s_attribute (attributes, "Id");
    if (!type || !target)
        return;
    const char *last = strrchr (type, '/');
    last = last? last + 1: type;
    if (parse->part == S_PACKAGE) {
        if (streq (last, "officeDocument") && !self->workbook_path)
            self->workbook_path = s_resolve ("", target);
        return;
    }
    if (!id || self->rels_count == S_SHEETS_MAX)
        return;
    //  The workbook's folder is where its relationships' targets start
    char folder [512] = "";
    const char *slash = strrchr (self->workbook_path, '/');
    if (slash && (size_t) (slash - self->workbook_path) + 2 < sizeof folder)
        snprintf (folder, sizeof folder, "%.*s/", (int) (slash - self->workbook_path),
                  self->workbook_path);
    char *path = s_resolve (folder, target);
    if (!path)
        return;
    s_rel_t *rel = &self->rels [self->rels_count++];
    rel->id = strdup (id);
    rel->type = strdup (last);
    rel->target = path;
}

static void
s_workbook_start (s_parse_t *parse, const char *local, const XML_Char **attributes)
{
    ingest_xlsx_t *self = parse->self;
    if (streq (local, "workbookPr")) {
        const char *value = s_attribute (attributes, "date1904");
        self->date1904 = value && (streq (value, "1") || streq (value, "true"));
    }
    else
    if (streq (local, "sheet")) {
        const char *name = s_attribute (attributes, "name");
        const char *id = s_attribute (attributes, "id");
        const char *state = s_attribute (attributes, "state");
        if (!name || !id)
            return;
        if (self->sheets_count == S_SHEETS_MAX) {
            s_stop (parse, "the workbook has more than %d sheets", S_SHEETS_MAX);
            return;
        }
        s_sheet_t *sheet = &self->sheets [self->sheets_count++];
        sheet->name = strdup (name);
        sheet->rel_id = strdup (id);
        sheet->hidden = state && !streq (state, "visible");
    }
}

static void
s_styles_start (s_parse_t *parse, const char *local, const XML_Char **attributes)
{
    ingest_xlsx_t *self = parse->self;
    if (streq (local, "numFmt")) {
        const char *id = s_attribute (attributes, "numFmtId");
        const char *code = s_attribute (attributes, "formatCode");
        if (id && code && self->custom_count < S_SHEETS_MAX) {
            self->custom_ids [self->custom_count] = atoi (id);
            self->custom_dates [self->custom_count++] = s_format_is_date (code);
        }
    }
    else
    if (streq (local, "cellXfs"))
        parse->in_cell_xfs = true;
    else
    if (streq (local, "xf") && parse->in_cell_xfs) {
        if (self->xf_count == S_XFS_MAX) {
            s_stop (parse, "the workbook has more than %d cell formats", S_XFS_MAX);
            return;
        }
        const char *id_text = s_attribute (attributes, "numFmtId");
        long id = id_text? atol (id_text): 0;
        bool date = s_builtin_is_date (id);
        for (size_t index = 0; index < self->custom_count; index++)
            if (self->custom_ids [index] == id)
                date = self->custom_dates [index];
        if (self->xf_count % 256 == 0) {
            self->xf_dates = (bool *) realloc (self->xf_dates,
                                               (self->xf_count + 256) * sizeof (bool));
            assert (self->xf_dates);
        }
        self->xf_dates [self->xf_count++] = date;
    }
}

//  Ends a shared string: its text, unescaped, joins the table
static void
s_string_end (s_parse_t *parse)
{
    ingest_xlsx_t *self = parse->self;
    char *text = s_collected (parse);
    s_unescape (text);
    size_t length = strlen (text);
    if (self->strings_used + length + 1 > self->strings_max) {
        s_stop (parse, "the workbook's shared strings hold more than %zu bytes of text",
                self->strings_max);
        return;
    }
    s_grow (&self->strings, &self->strings_size, self->strings_used + length + 1);
    if (self->string_count == self->string_slots) {
        self->string_slots = self->string_slots? self->string_slots * 2: 1024;
        self->string_at = (uint32_t *) realloc (self->string_at,
                                                self->string_slots * sizeof (uint32_t));
        assert (self->string_at);
    }
    self->string_at [self->string_count++] = (uint32_t) self->strings_used;
    memcpy (self->strings + self->strings_used, text, length + 1);
    self->strings_used += length + 1;
}

//  ==========================================================================
//  The sheet

//  Adds the open cell's value (text) to the row
static void
s_cell_add (s_parse_t *parse, const char *text)
{
    size_t length = strlen (text);
    if (parse->row_used + length + 1 > INGEST_XLSX_ROW_MAX) {
        s_stop (parse, "row %" PRIu64 " of the sheet holds more than %d bytes",
                parse->row, INGEST_XLSX_ROW_MAX);
        return;
    }
    s_grow (&parse->row_text, &parse->row_size, parse->row_used + length + 1);
    if (parse->cell_count == S_COLUMNS_MAX) {
        s_stop (parse, "row %" PRIu64 " of the sheet has more than %d cells", parse->row,
                S_COLUMNS_MAX);
        return;
    }
    parse->cell_column [parse->cell_count] = parse->column;
    parse->cell_at [parse->cell_count++] = parse->row_used;
    memcpy (parse->row_text + parse->row_used, text, length + 1);
    parse->row_used += length + 1;
}

//  Notes the open cell as the row's problem, if it has none yet
static void
s_cell_problem (s_parse_t *parse, const char *value, const char *reason)
{
    if (*parse->problem)
        return;
    char cell [INGEST_XLSX_CELL_BUF];
    ingest_xlsx_cell_name (parse->column, parse->row, cell);
    if (value)
        snprintf (parse->problem, sizeof parse->problem, "cell %s, value '%.40s': %s",
                  cell, value, reason);
    else
        snprintf (parse->problem, sizeof parse->problem, "cell %s: %s", cell, reason);
}

//  A cell ends: its value as text, by its type
static void
s_cell_end (s_parse_t *parse)
{
    ingest_xlsx_t *self = parse->self;
    char *value = s_collected (parse);
    const char *type = *parse->type? parse->type: "n";
    char out [512];
    if (streq (type, "inlineStr") || streq (type, "str") || streq (type, "e")
    ||  streq (type, "d")) {
        if (!parse->has_value && streq (type, "str") && parse->has_formula) {
            s_cell_problem (parse, NULL, S_NO_VALUE);
            s_cell_add (parse, "");
            return;
        }
        s_unescape (value);
        s_cell_add (parse, value);
    }
    else
    if (streq (type, "s")) {
        char *end = NULL;
        unsigned long index = strtoul (value, &end, 10);
        if (!*value || *end || index >= self->string_count) {
            s_stop (parse, "the sheet's cell %s names shared string '%.20s' of %zu",
                    ingest_xlsx_cell_name (parse->column, parse->row, out), value,
                    self->string_count);
            return;
        }
        s_cell_add (parse, self->strings + self->string_at [index]);
    }
    else
    if (streq (type, "b")) {
        if (!streq (value, "0") && !streq (value, "1")) {
            s_cell_problem (parse, value, "is not a boolean (0 or 1)");
            s_cell_add (parse, value);
        }
        else
            s_cell_add (parse, *value == '1'? "TRUE": "FALSE");
    }
    else
    if (!parse->has_value || !*value) {
        if (parse->has_formula) {
            s_cell_problem (parse, NULL, S_NO_VALUE);
            s_cell_add (parse, "");
        }
        //  else a cell with a format and nothing in it
    }
    else {
        //  A number: a date when its format shows one
        bool date = parse->style < self->xf_count && self->xf_dates [parse->style];
        const char *reason = "is not a number";
        if (date? s_serial_date (value, self->date1904, out, sizeof out, &reason)
                : s_number (value, out, sizeof out)) {
            s_cell_problem (parse, value, reason);
            s_cell_add (parse, value);
        }
        else
            s_cell_add (parse, out);
    }
}

static void
s_cell_start (s_parse_t *parse, const XML_Char **attributes)
{
    const char *reference = s_attribute (attributes, "r");
    const char *type = s_attribute (attributes, "t");
    const char *style = s_attribute (attributes, "s");
    long column = reference? s_reference_column (reference): (long) parse->next_column;
    if (column < 0 || column >= S_COLUMNS_MAX) {
        s_stop (parse, "row %" PRIu64 " of the sheet has a cell '%.20s' that is no cell "
                "reference", parse->row, reference? reference: "");
        return;
    }
    for (size_t index = 0; index < parse->cell_count; index++)
        if (parse->cell_column [index] == (size_t) column) {
            char cell [INGEST_XLSX_CELL_BUF];
            s_stop (parse, "the sheet has cell %s twice",
                    ingest_xlsx_cell_name ((size_t) column, parse->row, cell));
            return;
        }
    parse->column = (size_t) column;
    parse->next_column = (size_t) column + 1;
    size_t length = type? strnlen (type, sizeof parse->type - 1): 0;
    memcpy (parse->type, type? type: "", length);
    parse->type [length] = 0;
    parse->style = style? (size_t) strtoul (style, NULL, 10): 0;
    parse->has_formula = parse->has_value = false;
    s_collect (parse);
}

static void
s_row_start (s_parse_t *parse, const XML_Char **attributes)
{
    const char *number = s_attribute (attributes, "r");
    uint64_t row = parse->row + 1;
    if (number) {
        char *end = NULL;
        row = strtoull (number, &end, 10);
        if (!*number || *end || row == 0 || row > S_ROWS_MAX) {
            s_stop (parse, "the sheet has a row numbered '%.20s'", number);
            return;
        }
        if (row <= parse->row) {
            s_stop (parse, "the sheet's row %" PRIu64 " comes after row %" PRIu64
                    ": rows out of order", row, parse->row);
            return;
        }
    }
    parse->row = row;
    parse->in_row = true;
    parse->next_column = 0;
    parse->cell_count = 0;
    parse->row_used = 0;
    *parse->problem = 0;
}

//  A row ends: its cells, by column, to the row callback
static void
s_row_end (s_parse_t *parse)
{
    parse->in_row = false;
    size_t count = 0;
    for (size_t index = 0; index < parse->cell_count; index++)
        if (parse->cell_column [index] + 1 > count)
            count = parse->cell_column [index] + 1;
    if (count == 0 && !*parse->problem)
        return;
    for (size_t column = 0; column < count; column++)
        parse->cells [column] = NULL;
    for (size_t index = 0; index < parse->cell_count; index++)
        parse->cells [parse->cell_column [index]] = parse->row_text + parse->cell_at [index];
    if (parse->row_fn (parse->arg, parse->row, parse->cells, count,
                       *parse->problem? parse->problem: NULL))
        s_stop (parse, "stopped by the row handler at row %" PRIu64, parse->row);
}

//  ==========================================================================
//  expat's handlers, by part

static void XMLCALL
s_start (void *data, const XML_Char *name, const XML_Char **attributes)
{
    s_parse_t *parse = (s_parse_t *) data;
    if (parse->failed)
        return;
    const char *local = s_local (name);
    if (streq (local, "rPh"))
        parse->in_phonetic++;
    switch (parse->part) {
        case S_PACKAGE:
        case S_RELS:
            s_package_start (parse, local, attributes);
            break;
        case S_WORKBOOK:
            s_workbook_start (parse, local, attributes);
            break;
        case S_STYLES:
            s_styles_start (parse, local, attributes);
            break;
        case S_STRINGS:
            if (streq (local, "si")) {
                parse->in_si = true;
                s_collect (parse);
            }
            else
            if (streq (local, "t") && parse->in_si)
                parse->collecting = true;
            break;
        case S_SHEET:
            if (streq (local, "row"))
                s_row_start (parse, attributes);
            else
            if (streq (local, "c") && parse->in_row)
                s_cell_start (parse, attributes);
            else
            if (streq (local, "f"))
                parse->has_formula = true;
            else
            if (streq (local, "v")) {
                parse->has_value = true;
                s_collect (parse);
                parse->collecting = true;
            }
            else
            if (streq (local, "is")) {
                parse->in_inline = true;
                parse->has_value = true;
                s_collect (parse);
            }
            else
            if (streq (local, "t") && parse->in_inline)
                parse->collecting = true;
            break;
    }
}

static void XMLCALL
s_end (void *data, const XML_Char *name)
{
    s_parse_t *parse = (s_parse_t *) data;
    if (parse->failed)
        return;
    const char *local = s_local (name);
    if (streq (local, "rPh") && parse->in_phonetic)
        parse->in_phonetic--;
    if (streq (local, "t") || streq (local, "v"))
        parse->collecting = false;      //  the text stays for its string or cell
    if (parse->part == S_STYLES && streq (local, "cellXfs"))
        parse->in_cell_xfs = false;
    else
    if (parse->part == S_STRINGS && streq (local, "si") && parse->in_si) {
        parse->in_si = false;
        s_string_end (parse);
    }
    else
    if (parse->part == S_SHEET) {
        if (streq (local, "is"))
            parse->in_inline = false;
        else
        if (streq (local, "c") && parse->in_row)
            s_cell_end (parse);
        else
        if (streq (local, "row") && parse->in_row)
            s_row_end (parse);
    }
}

//  ==========================================================================
//  The class

ingest_xlsx_t *
ingest_xlsx_new (void)
{
    ingest_xlsx_t *self = (ingest_xlsx_t *) zmalloc (sizeof (ingest_xlsx_t));
    self->file = tmpfile ();
    if (!self->file) {
        free (self);
        return NULL;
    }
    self->sheet_list = strdup ("");
    self->strings_max = INGEST_XLSX_STRINGS_MAX;
    return self;
}

void
ingest_xlsx_destroy (ingest_xlsx_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_xlsx_t *self = *self_p;
        if (self->zip)
            zip_discard (self->zip);        //  closes the spool
        else
        if (self->file)
            fclose (self->file);
        for (size_t index = 0; index < self->sheets_count; index++) {
            free (self->sheets [index].name);
            free (self->sheets [index].rel_id);
        }
        for (size_t index = 0; index < self->rels_count; index++) {
            free (self->rels [index].id);
            free (self->rels [index].type);
            free (self->rels [index].target);
        }
        free (self->workbook_path);
        free (self->sheet_list);
        free (self->xf_dates);
        free (self->strings);
        free (self->string_at);
        free (self);
        *self_p = NULL;
    }
}

int
ingest_xlsx_write (ingest_xlsx_t *self, const void *data, size_t size)
{
    assert (self);
    if (*self->reason || !self->file)
        return -1;
    if (self->size + size > INGEST_XLSX_FILE_MAX) {
        s_refuse (self, "the workbook is over the limit of %d bytes", INGEST_XLSX_FILE_MAX);
        return -1;
    }
    for (size_t index = 0; self->size + index < sizeof self->head && index < size; index++)
        self->head [self->size + index] = ((const unsigned char *) data) [index];
    if (size && fwrite (data, 1, size, self->file) != size) {
        s_refuse (self, "cannot spool the workbook to a temporary file: %s", strerror (errno));
        return -1;
    }
    self->size += size;
    return 0;
}

//  Opens the spool as a zip. 0 or -1.
static int
s_open (ingest_xlsx_t *self)
{
    static const unsigned char ole [] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    if (self->size >= sizeof ole && memcmp (self->head, ole, sizeof ole) == 0) {
        s_refuse (self, "not an xlsx workbook: an Excel 97-2003 .xls, or a workbook with a "
                  "password (both are OLE files); save it as .xlsx without a password");
        return -1;
    }
    if (self->size < 4 || memcmp (self->head, "PK\x03\x04", 4) != 0) {
        s_refuse (self, "not an xlsx workbook: not a zip archive (a CSV file? send it as csv)");
        return -1;
    }
    if (fflush (self->file) || fseek (self->file, 0, SEEK_SET)) {
        s_refuse (self, "cannot read the spooled workbook: %s", strerror (errno));
        return -1;
    }
    zip_error_t error;
    zip_error_init (&error);
    zip_source_t *source = zip_source_filep_create (self->file, 0, -1, &error);
    if (!source) {
        s_refuse (self, "cannot read the spooled workbook: %s", zip_error_strerror (&error));
        zip_error_fini (&error);
        return -1;
    }
    self->file = NULL;          //  the source's now, closed with it
    self->zip = zip_open_from_source (source, ZIP_RDONLY, &error);
    if (!self->zip) {
        s_refuse (self, "not an xlsx workbook: the zip archive cannot be read: %s",
                  zip_error_strerror (&error));
        zip_source_free (source);
        zip_error_fini (&error);
        return -1;
    }
    zip_error_fini (&error);
    if (zip_get_num_entries (self->zip, 0) > S_ENTRIES_MAX) {
        s_refuse (self, "not an xlsx workbook: a zip of more than %d entries", S_ENTRIES_MAX);
        return -1;
    }
    return 0;
}

//  The relationship of the workbook with id, or of type (the first); NULL
static const s_rel_t *
s_rel (ingest_xlsx_t *self, const char *id, const char *type)
{
    for (size_t index = 0; index < self->rels_count; index++)
        if ((id && streq (self->rels [index].id, id))
        ||  (type && streq (self->rels [index].type, type)))
            return &self->rels [index];
    return NULL;
}

//  Reads one of the package parts into self (a missing optional part is
//  no part). 0 or -1.
static int
s_read_part (ingest_xlsx_t *self, s_part_t part, const char *name, bool required)
{
    s_parse_t parse = { .self = self, .part = part, .text_max = INGEST_XLSX_STRINGS_MAX };
    int rc = s_part_read (&parse, name);
    free (parse.text);
    if (rc == 1 && required) {
        s_refuse (self, "not an xlsx workbook: it has no %s", name);
        return -1;
    }
    return rc < 0? -1: 0;
}

//  Works out which sheet to read: its part, or NULL (refused)
static const char *
s_choose (ingest_xlsx_t *self, const char *wanted)
{
    zchunk_t *list = zchunk_new (NULL, 0);
    const s_sheet_t *chosen = NULL;
    for (size_t index = 0; index < self->sheets_count; index++) {
        const s_sheet_t *sheet = &self->sheets [index];
        const s_rel_t *rel = s_rel (self, sheet->rel_id, NULL);
        if (!rel || !streq (rel->type, "worksheet"))
            continue;           //  a chart sheet, or a dialog: no rows
        char *item = zsys_sprintf ("%s\"%s\"", self->sheet_count? ", ": "", sheet->name);
        zchunk_extend (list, item, strlen (item));
        zstr_free (&item);
        self->sheet_count++;
        if (wanted && *wanted? streq (sheet->name, wanted): !chosen && !sheet->hidden)
            chosen = sheet;
    }
    zchunk_extend (list, "", 1);
    free (self->sheet_list);
    self->sheet_list = strdup ((char *) zchunk_data (list));
    zchunk_destroy (&list);
    if (!chosen) {
        if (wanted && *wanted)
            s_refuse (self, "the workbook has no sheet \"%s\"; its sheets are %s", wanted,
                      self->sheet_count? self->sheet_list: "none");
        else
            s_refuse (self, "the workbook has no visible worksheet%s%s",
                      self->sheet_count? "; its sheets are ": "", self->sheet_list);
        return NULL;
    }
    snprintf (self->sheet_name, sizeof self->sheet_name, "%s", chosen->name);
    return s_rel (self, chosen->rel_id, NULL)->target;
}

int
ingest_xlsx_read (ingest_xlsx_t *self, const char *sheet, ingest_xlsx_row_fn *row_fn,
                  void *arg)
{
    assert (self && row_fn);
    if (*self->reason || self->zip || s_open (self))
        return -1;
    if (s_read_part (self, S_PACKAGE, "_rels/.rels", true))
        return -1;
    if (!self->workbook_path) {
        s_refuse (self, "not an xlsx workbook: its package names no workbook");
        return -1;
    }
    char *rels = NULL;
    const char *slash = strrchr (self->workbook_path, '/');
    if (slash)
        rels = zsys_sprintf ("%.*s/_rels/%s.rels", (int) (slash - self->workbook_path),
                             self->workbook_path, slash + 1);
    else
        rels = zsys_sprintf ("_rels/%s.rels", self->workbook_path);
    int rc = s_read_part (self, S_WORKBOOK, self->workbook_path, true);
    if (rc == 0)
        rc = s_read_part (self, S_RELS, rels, true);
    zstr_free (&rels);
    const s_rel_t *styles = s_rel (self, NULL, "styles");
    const s_rel_t *strings = s_rel (self, NULL, "sharedStrings");
    if (rc == 0 && styles)
        rc = s_read_part (self, S_STYLES, styles->target, false);
    const char *target = rc == 0? s_choose (self, sheet): NULL;
    if (!target)
        return -1;
    if (strings && s_read_part (self, S_STRINGS, strings->target, false))
        return -1;
    s_parse_t parse = {
        .self = self, .part = S_SHEET, .text_max = INGEST_XLSX_ROW_MAX,
        .row_fn = row_fn, .arg = arg
    };
    parse.cell_column = (size_t *) malloc (S_COLUMNS_MAX * sizeof (size_t));
    parse.cell_at = (size_t *) malloc (S_COLUMNS_MAX * sizeof (size_t));
    parse.cells = (const char **) malloc (S_COLUMNS_MAX * sizeof (char *));
    assert (parse.cell_column && parse.cell_at && parse.cells);
    rc = s_part_read (&parse, target);
    if (rc == 1) {
        s_refuse (self, "not an xlsx workbook: sheet \"%s\" has no part %s", self->sheet_name,
                  target);
        rc = -1;
    }
    free (parse.text);
    free (parse.row_text);
    free (parse.cell_column);
    free (parse.cell_at);
    free ((void *) parse.cells);
    return rc;
}

const char *
ingest_xlsx_reason (ingest_xlsx_t *self)
{
    assert (self);
    return self->reason;
}

const char *
ingest_xlsx_sheet (ingest_xlsx_t *self)
{
    assert (self);
    return self->sheet_name;
}

size_t
ingest_xlsx_sheets (ingest_xlsx_t *self, const char **names_p)
{
    assert (self && names_p);
    *names_p = self->sheet_list;
    return self->sheet_count;
}

//  ==========================================================================
//  Self-test

//  The parts of a test workbook, name then XML, NULL-terminated
#define S_TEST_TYPES "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats" \
    ".org/package/2006/content-types\"/>"
#define S_TEST_PACKAGE "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas." \
    "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http" \
    "://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" " \
    "Target=\"xl/workbook.xml\"/></Relationships>"
#define S_TEST_RELS "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas." \
    "openxmlformats.org/package/2006/relationships\">" \
    "<Relationship Id=\"rId1\" Type=\"http://x/relationships/worksheet\" " \
    "Target=\"worksheets/sheet1.xml\"/>" \
    "<Relationship Id=\"rId2\" Type=\"http://x/relationships/worksheet\" " \
    "Target=\"/xl/worksheets/sheet2.xml\"/>" \
    "<Relationship Id=\"rId3\" Type=\"http://x/relationships/styles\" Target=\"styles.xml\"/>" \
    "<Relationship Id=\"rId4\" Type=\"http://x/relationships/sharedStrings\" " \
    "Target=\"./sharedStrings.xml\"/></Relationships>"
#define S_TEST_WORKBOOK(pr) "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas." \
    "openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats" \
    ".org/officeDocument/2006/relationships\">" pr "<sheets>" \
    "<sheet name=\"Returns\" sheetId=\"1\" r:id=\"rId1\"/>" \
    "<sheet name=\"Lists\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"
//  Formats: 0 General, 1 built-in date 14, 2 custom dd/mm/yyyy, 3 custom
//  mm:ss (a time), 4 custom "£"#,##0.00
#define S_TEST_STYLES "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas." \
    "openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"3\">" \
    "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>" \
    "<numFmt numFmtId=\"165\" formatCode=\"mm:ss\"/>" \
    "<numFmt numFmtId=\"166\" formatCode=\"&quot;£&quot;#,##0.00\"/></numFmts>" \
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>" \
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>" \
    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>"
#define S_TEST_STRINGS "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats" \
    ".org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\">" \
    "<si><t>Contract ID</t></si>\n  <si><r><rPr><b/></rPr><t>Quan</t></r>\n" \
    "<r><t xml:space=\"preserve\">tity</t></r><rPh sb=\"0\" eb=\"1\"><t>KANA</t></rPh></si>" \
    "<si><t>line one_x000D_\nline two _x005F_x</t></si></sst>"

//  Writes a zip of parts (name, text, ..., NULL) and returns its bytes
static zchunk_t *
s_test_zip (const char *const *parts)
{
    char path [] = "/tmp/ingest_xlsx_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    int error = 0;
    zip_t *zip = zip_open (path, ZIP_TRUNCATE, &error);
    assert (zip);
    for (size_t index = 0; parts [index]; index += 2) {
        zip_source_t *source = zip_source_buffer (zip, parts [index + 1],
                                                  strlen (parts [index + 1]), 0);
        assert (source);
        assert (zip_file_add (zip, parts [index], source, ZIP_FL_OVERWRITE) >= 0);
    }
    assert (zip_close (zip) == 0);
    zfile_t *file = zfile_new (NULL, path);
    assert (zfile_input (file) == 0);
    zchunk_t *bytes = zfile_read (file, zfile_cursize (file), 0);
    zfile_destroy (&file);
    unlink (path);
    return bytes;
}

//  What the rows of a read came to
typedef struct {
    int rows;
    uint64_t last_row;
    char seen [2048];           //  "row:cell|cell|...;" for every row
    char problem [200];
} s_test_read_t;

static int
s_test_row (void *arg, uint64_t row, const char *const *cells, size_t count,
            const char *problem)
{
    s_test_read_t *read = (s_test_read_t *) arg;
    read->rows++;
    assert (row > read->last_row);
    read->last_row = row;
    size_t used = strlen (read->seen);
    used += (size_t) snprintf (read->seen + used, sizeof read->seen - used, "%" PRIu64 ":", row);
    for (size_t column = 0; column < count && used < sizeof read->seen; column++)
        used += (size_t) snprintf (read->seen + used, sizeof read->seen - used, "%s%s",
                                   column? "|": "", cells [column]? cells [column]: "-");
    if (used < sizeof read->seen)
        snprintf (read->seen + used, sizeof read->seen - used, ";");
    if (problem && !*read->problem)
        snprintf (read->problem, sizeof read->problem, "%s", problem);
    return 0;
}

//  The shared strings' bound of the next test reads, 0 for the default
static size_t s_test_strings_max;

//  Reads a workbook of bytes, sheet wanted; returns 0 or -1, reason kept
static int
s_test_read (zchunk_t *bytes, const char *sheet, s_test_read_t *read, char *reason)
{
    ingest_xlsx_t *xlsx = ingest_xlsx_new ();
    assert (xlsx);
    if (s_test_strings_max)
        xlsx->strings_max = s_test_strings_max;
    //  Written in uneven pieces, as chunks of a batch arrive
    size_t size = zchunk_size (bytes), step = 1000;
    for (size_t at = 0; at < size; at += step)
        assert (ingest_xlsx_write (xlsx, zchunk_data (bytes) + at,
                                   at + step > size? size - at: step) == 0);
    int rc = ingest_xlsx_read (xlsx, sheet, s_test_row, read);
    snprintf (reason, 512, "%s", ingest_xlsx_reason (xlsx));
    if (rc == 0)
        assert (streq (ingest_xlsx_sheet (xlsx), sheet && *sheet? sheet: "Returns"));
    const char *names;
    if (rc == 0)
        assert (ingest_xlsx_sheets (xlsx, &names) == 2 && streq (names, "\"Returns\", \"Lists\""));
    ingest_xlsx_destroy (&xlsx);
    ingest_xlsx_destroy (&xlsx);
    return rc;
}

//  A workbook of the test parts with sheet1 (and a small sheet2), read
static int
s_test_sheet (const char *workbook_pr, const char *sheet1, const char *wanted,
              s_test_read_t *read, char *reason)
{
    char *workbook = zsys_sprintf ("<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas."
        "openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats"
        ".org/officeDocument/2006/relationships\">%s<sheets>"
        "<sheet name=\"Returns\" sheetId=\"1\" r:id=\"rId1\"/>"
        "<sheet name=\"Lists\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>", workbook_pr);
    const char *parts [] = {
        "[Content_Types].xml", S_TEST_TYPES, "_rels/.rels", S_TEST_PACKAGE,
        "xl/workbook.xml", workbook, "xl/_rels/workbook.xml.rels", S_TEST_RELS,
        "xl/styles.xml", S_TEST_STYLES, "xl/sharedStrings.xml", S_TEST_STRINGS,
        "xl/worksheets/sheet1.xml", sheet1,
        "xl/worksheets/sheet2.xml", "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
            "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
            "<is><t>Evidenced</t></is></c></row></sheetData></worksheet>",
        NULL
    };
    zchunk_t *bytes = s_test_zip (parts);
    int rc = s_test_read (bytes, wanted, read, reason);
    zchunk_destroy (&bytes);
    zstr_free (&workbook);
    return rc;
}

#define S_TEST_SHEET(rows) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
    "<x:sheetData>" rows "</x:sheetData></x:worksheet>"

void
ingest_xlsx_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_xlsx: ");
    //  Numbers as Excel shows them: plain decimals, 15 significant digits
    const char *numbers [][2] = {
        { "4952.17", "4952.17" }, { "1.5E-3", "0.0015" }, { "4.9999999999999998E-2", "0.05" },
        { "-0.5", "-0.5" }, { "12", "12" }, { "1234.5600000000001", "1234.56" },
        { "1E+20", "100000000000000000000" }, { "0", "0" }, { "-0", "0" },
        { "0.1000000000000000055511151231257827", "0.1" }, { "99999999999999999", "100000000000000000" },
        { "007", "7" }, { ".5", "0.5" }
    };
    char out [512];
    for (size_t index = 0; index < sizeof numbers / sizeof numbers [0]; index++) {
        assert (s_number (numbers [index][0], out, sizeof out) == 0);
        assert (streq (out, numbers [index][1]));
    }
    assert (s_number ("12a", out, sizeof out) == -1);
    assert (s_number ("", out, sizeof out) == -1);
    assert (s_number ("1E", out, sizeof out) == -1);
    assert (s_number ("1E999", out, sizeof out) == -1);

    //  Serials in each date system, the 1900 leap-year bug, times
    const char *reason = NULL;
    assert (s_serial_date ("45383", false, out, sizeof out, &reason) == 0 && streq (out, "2024-04-01"));
    assert (s_serial_date ("45383.5625", false, out, sizeof out, &reason) == 0
            && streq (out, "2024-04-01 13:30:00"));
    assert (s_serial_date ("45383.99999999", false, out, sizeof out, &reason) == 0
            && streq (out, "2024-04-02"));
    assert (s_serial_date ("43921", true, out, sizeof out, &reason) == 0 && streq (out, "2024-04-01"));
    assert (s_serial_date ("0", true, out, sizeof out, &reason) == 0 && streq (out, "1904-01-01"));
    assert (s_serial_date ("1", false, out, sizeof out, &reason) == 0 && streq (out, "1900-01-01"));
    assert (s_serial_date ("59", false, out, sizeof out, &reason) == 0 && streq (out, "1900-02-28"));
    assert (s_serial_date ("61", false, out, sizeof out, &reason) == 0 && streq (out, "1900-03-01"));
    assert (s_serial_date ("60", false, out, sizeof out, &reason) == -1 && strstr (reason, "never"));
    assert (s_serial_date ("0", false, out, sizeof out, &reason) == -1 && strstr (reason, "1900-01-00"));
    assert (s_serial_date ("-3", false, out, sizeof out, &reason) == -1);
    assert (s_serial_date ("123456789", false, out, sizeof out, &reason) == -1);

    //  Which number formats are dates
    const char *dates [] = { "dd/mm/yyyy", "mmm-yy", "[$-809]dd mmmm yyyy", "yyyy-mm-dd hh:mm",
                             "d-mmm", "mmmm", NULL };
    const char *not_dates [] = { "mm:ss", "h:mm AM/PM", "[h]:mm", "[mm]", "0.00", "General",
                                 "\"day \"0", "#,##0.00_);[Red](#,##0.00)", "0\\d", "@", NULL };
    for (size_t index = 0; dates [index]; index++)
        assert (s_format_is_date (dates [index]));
    for (size_t index = 0; not_dates [index]; index++)
        assert (!s_format_is_date (not_dates [index]));
    assert (s_builtin_is_date (14) && s_builtin_is_date (22) && !s_builtin_is_date (20)
            && !s_builtin_is_date (0) && !s_builtin_is_date (46));
    assert (streq (ingest_xlsx_cell_name (0, 1, out), "A1"));
    assert (streq (ingest_xlsx_cell_name (25, 7, out), "Z7"));
    assert (streq (ingest_xlsx_cell_name (26, 7, out), "AA7"));
    assert (streq (ingest_xlsx_cell_name (16383, 1048576, out), "XFD1048576"));
    assert (s_reference_column ("XFD3") == 16383 && s_reference_column ("D7") == 3);
    assert (s_reference_column ("7") == -1 && s_reference_column ("XFE1") == -1);

    //  A sheet: cells placed by reference, skipped rows and cells, shared
    //  strings (rich runs, phonetic text dropped, escapes decoded), inline
    //  strings, dates by format only, a time, booleans, errors, formulas'
    //  cached values, namespace prefixes
    char why [512];
    s_test_read_t read = { .rows = 0 };
    const char *sheet = S_TEST_SHEET (
        "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"C2\" t=\"s\">"
        "<x:v>1</x:v></x:c></x:row>"
        "<x:row r=\"5\"><x:c r=\"C5\"><x:v>12.5</x:v></x:c><x:c r=\"A5\" t=\"inlineStr\">"
        "<x:is><x:r><x:t>C-</x:t></x:r><x:r><x:t>001</x:t></x:r></x:is></x:c>"
        "<x:c r=\"B5\" s=\"1\"><x:v>45383</x:v></x:c><x:c r=\"D5\" s=\"2\"><x:v>45291</x:v></x:c>"
        "<x:c r=\"E5\" s=\"3\"><x:v>0.5</x:v></x:c><x:c r=\"F5\" s=\"4\"><x:v>45383</x:v></x:c>"
        "<x:c r=\"G5\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"H5\" t=\"e\"><x:v>#N/A</x:v></x:c>"
        "<x:c r=\"I5\"><x:f>SUM(C5:C5)</x:f><x:v>12.5</x:v></x:c><x:c r=\"J5\" t=\"s\">"
        "<x:v>2</x:v></x:c><x:c r=\"K5\" s=\"2\"/></x:row>"
        "<x:row r=\"6\"><x:c r=\"B6\"><x:f>NOW()</x:f></x:c></x:row>"
        "<x:row r=\"7\"></x:row>"
        "<x:row><x:c t=\"str\"><x:f>A5</x:f><x:v>C-001</x:v></x:c><x:c s=\"1\"><x:v>60</x:v>"
        "</x:c></x:row>");
    assert (s_test_sheet ("", sheet, NULL, &read, why) == 0);
    assert (read.rows == 4);
    assert (streq (read.seen, "2:Contract ID|-|Quantity;"
                   "5:C-001|2024-04-01|12.5|2023-12-31|0.5|45383|TRUE|#N/A|12.5|"
                   "line one\r\nline two _x;"
                   "6:-|;"
                   "8:C-001|60;"));
    assert (streq (read.problem, "cell B6: a formula with no value saved: open the workbook "
                   "in Excel and save it again"));
    //  The 1904 date system; the day that never was is only 1900's
    read = (s_test_read_t) { .rows = 0 };
    assert (s_test_sheet ("<workbookPr date1904=\"1\"/>", S_TEST_SHEET (
        "<x:row r=\"1\"><x:c r=\"A1\" s=\"2\"><x:v>43921</x:v></x:c><x:c r=\"B1\" s=\"1\">"
        "<x:v>60</x:v></x:c></x:row>"), NULL, &read, why) == 0);
    assert (streq (read.seen, "1:2024-04-01|1904-03-01;") && !*read.problem);
    read = (s_test_read_t) { .rows = 0 };
    assert (s_test_sheet ("", S_TEST_SHEET ("<x:row r=\"1\"><x:c r=\"A1\" s=\"1\"><x:v>60</x:v>"
                          "</x:c></x:row>"), NULL, &read, why) == 0);
    assert (strstr (read.problem, "cell A1, value '60': is date serial 60"));

    //  --sheet picks a sheet; one the workbook lacks is refused naming those it has
    read = (s_test_read_t) { .rows = 0 };
    assert (s_test_sheet ("", sheet, "Lists", &read, why) == 0);
    assert (streq (read.seen, "1:Evidenced;"));
    assert (s_test_sheet ("", sheet, "Q3", &read, why) == -1);
    assert (streq (why, "the workbook has no sheet \"Q3\"; its sheets are \"Returns\", \"Lists\""));

    //  A shared-string table past its bound (here 40 bytes, the test's
    //  three strings taking 43) is refused, whatever the sheet
    s_test_strings_max = 40;
    assert (s_test_sheet ("", sheet, NULL, &read, why) == -1);
    assert (streq (why, "the workbook's shared strings hold more than 40 bytes of text"));
    s_test_strings_max = 0;

    //  An entity bomb is refused at its DTD, before any expansion
    assert (s_test_sheet ("", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol2;</t></is>"
        "</c></row></sheetData></worksheet>", NULL, &read, why) == -1);
    assert (strstr (why, "xl/worksheets/sheet1.xml has a DTD"));
    //  Rows out of order, a cell twice, a bad reference, broken XML
    assert (s_test_sheet ("", S_TEST_SHEET ("<x:row r=\"3\"/><x:row r=\"2\"/>"), NULL, &read,
                          why) == -1 && strstr (why, "rows out of order"));
    assert (s_test_sheet ("", S_TEST_SHEET ("<x:row r=\"3\"><x:c r=\"A3\"><x:v>1</x:v></x:c>"
                          "<x:c r=\"A3\"><x:v>1</x:v></x:c></x:row>"), NULL, &read, why) == -1
            && strstr (why, "cell A3 twice"));
    assert (s_test_sheet ("", S_TEST_SHEET ("<x:row r=\"3\"><x:c r=\"3A\"/></x:row>"), NULL,
                          &read, why) == -1 && strstr (why, "no cell reference"));
    assert (s_test_sheet ("", "<worksheet><sheetData>", NULL, &read, why) == -1
            && strstr (why, "not well-formed XML"));

    //  A zip bomb: a sheet of 20 MB of blanks, deflated about 1000 to 1
    size_t blank_size = 20 * 1024 * 1024;
    char *blanks = (char *) malloc (blank_size + 1);
    assert (blanks);
    memset (blanks, ' ', blank_size);
    blanks [blank_size] = 0;
    memcpy (blanks, "<worksheet>", 11);
    assert (s_test_sheet ("", blanks, NULL, &read, why) == -1);
    assert (strstr (why, "xl/worksheets/sheet1.xml inflates to 20971520 bytes"));
    free (blanks);

    //  Not a workbook at all
    zchunk_t *csv = zchunk_new ("Contract ID,Measure\nC-001,NT3\n", 30);
    assert (s_test_read (csv, NULL, &read, why) == -1 && strstr (why, "not a zip archive"));
    zchunk_destroy (&csv);
    zchunk_t *ole = zchunk_new ("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", 12);
    assert (s_test_read (ole, NULL, &read, why) == -1 && strstr (why, "97-2003"));
    zchunk_destroy (&ole);
    const char *no_workbook [] = { "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                                   NULL };
    zchunk_t *ods = s_test_zip (no_workbook);
    assert (s_test_read (ods, NULL, &read, why) == -1 && strstr (why, "it has no _rels/.rels"));
    zchunk_destroy (&ods);
    //  Too big to spool
    ingest_xlsx_t *xlsx = ingest_xlsx_new ();
    xlsx->size = INGEST_XLSX_FILE_MAX;
    assert (ingest_xlsx_write (xlsx, "PK", 2) == -1);
    assert (strstr (ingest_xlsx_reason (xlsx), "over the limit"));
    ingest_xlsx_destroy (&xlsx);

    //  The committed edge case (tests/fixtures/xlsx/README.md): the 1904
    //  date system, inline strings only, cells and rows left out
    zfile_t *file = zfile_new ("tests/fixtures/xlsx", "edge-1904-inline.xlsx");
    assert (file && zfile_input (file) == 0);
    zchunk_t *edge = zfile_read (file, zfile_cursize (file), 0);
    zfile_destroy (&file);
    read = (s_test_read_t) { .rows = 0 };
    xlsx = ingest_xlsx_new ();
    assert (ingest_xlsx_write (xlsx, zchunk_data (edge), zchunk_size (edge)) == 0);
    assert (ingest_xlsx_read (xlsx, NULL, s_test_row, &read) == 0);
    assert (streq (ingest_xlsx_sheet (xlsx), "Q1 return"));
    assert (streq (read.seen,
                   "1:Social value delivery return, Q1 2024-25;"
                   "3:Contract ID|Measure|Period Start|Period End|Quantity|Evidence|-|Postcode;"
                   "4:C-001|NT3|2024-04-01|2024-06-30|5|Evidenced|-|S60 1AE;"
                   "6:C-001|NT4|2024-04-01|2024-06-30|2.5|-|-|S65 1AB;"));
    ingest_xlsx_destroy (&xlsx);
    zchunk_destroy (&edge);
    if (verbose)
        printf ("OK\n");
}
