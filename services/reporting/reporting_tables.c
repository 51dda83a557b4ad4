/*  =========================================================================
    reporting_tables - a report document written out as csv files or as
    an xlsx workbook

    Both are written from the kind's lists (reporting_doc) alone, so a
    table has the same rows and columns in both: csv one file per table
    and a summary.csv of the headline figures, each value as the document
    has it; xlsx a Summary sheet and a sheet per table, money as pounds,
    shares as percentages. Internal to reporting_render.

    csv text is written as the document has it: a supplier named
    "=SUM(..)" stays so, for scripts; people open the xlsx, where text is
    never taken for a formula. An xlsx cell holds pence / 100 as floating
    point, a display value; the exact pence stay in the csv and json.
    =========================================================================
*/

#include "reporting_tables.h"
#include "sv_csv.h"
#include <inttypes.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>


//  --------------------------------------------------------------------------
//  The document's time of making

//  The document's "created" as a time_t; 0 (libxlsxwriter's "now") when
//  it cannot be read.
static time_t
s_created (const json_t *doc)
{
    struct tm when = { 0 };
    if (sscanf (reporting_doc_str (doc, "created"), "%4d-%2d-%2dT%2d:%2d:%2d", &when.tm_year,
                &when.tm_mon, &when.tm_mday, &when.tm_hour, &when.tm_min,
                &when.tm_sec) != 6)
        return 0;
    when.tm_year -= 1900;
    when.tm_mon -= 1;
    return timegm (&when);
}


//  --------------------------------------------------------------------------
//  csv

//  One field, quoted when it holds a comma, quote, CR or LF (RFC 4180)
static void
s_csv_field (FILE *out, const char *text)
{
    sv_csv_write_field (out, text);
}

//  One value for a machine: as the document has it, null and missing empty
static void
s_csv_value (FILE *out, const json_t *value)
{
    if (json_is_string (value))
        s_csv_field (out, json_string_value (value));
    else
    if (json_is_integer (value))
        fprintf (out, "%" JSON_INTEGER_FORMAT, json_integer_value (value));
    else
    if (json_is_real (value))
        fprintf (out, "%.15g", json_real_value (value));
    else
    if (json_is_boolean (value))
        fputs (json_is_true (value)? "true": "false", out);
    else
    if (json_is_array (value)) {
        char *joined = reporting_doc_joined (value);
        if (joined)
            s_csv_field (out, joined);
        free (joined);
    }
}

int
reporting_tables_csv (const json_t *doc, const reporting_doc_kind_t *kind, zlistx_t *files)
{
    reporting_doc_stream_t stream;
    if (reporting_doc_stream_open (&stream))
        return -1;
    fputs ("key,value\r\n", stream.out);
    const reporting_doc_figure_t *lists [] = { reporting_doc_head_figures, kind->figures };
    for (size_t list = 0; list < 2; list++)
        for (const reporting_doc_figure_t *figure = lists [list]; figure->path; figure++) {
            s_csv_field (stream.out, figure->path);
            fputc (',', stream.out);
            s_csv_value (stream.out, reporting_doc_get (doc, figure->path));
            fputs ("\r\n", stream.out);
        }
    if (reporting_doc_stream_close (&stream, files, "summary", ".csv"))
        return -1;

    for (const reporting_doc_table_t *const *table = kind->tables; *table; table++) {
        json_t *rows = reporting_doc_table_rows (doc, *table);
        if (!rows || reporting_doc_stream_open (&stream)) {
            json_decref (rows);
            return -1;
        }
        for (const reporting_doc_column_t *column = (*table)->columns; column->key; column++)
            fprintf (stream.out, "%s%s", column == (*table)->columns? "": ",", column->key);
        fputs ("\r\n", stream.out);
        size_t index;
        json_t *row;
        json_array_foreach (rows, index, row) {
            for (const reporting_doc_column_t *column = (*table)->columns; column->key; column++) {
                if (column != (*table)->columns)
                    fputc (',', stream.out);
                s_csv_value (stream.out, json_object_get (row, column->key));
            }
            fputs ("\r\n", stream.out);
        }
        json_decref (rows);
        if (reporting_doc_stream_close (&stream, files, (*table)->name, ".csv"))
            return -1;
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  xlsx

typedef struct {
    lxw_format *header;
    lxw_format *money;
    lxw_format *share;
    lxw_format *count;
    lxw_format *whole;          //  a quantity in whole units
    lxw_format *decimal;        //  a quantity with decimals
    lxw_format *date;
    lxw_format *text;           //  wrapped, top-aligned
    lxw_format *muted;          //  "fewer than 5"
} s_formats_t;

static lxw_format *
s_format (lxw_workbook *workbook, const char *number_format)
{
    lxw_format *format = workbook_add_format (workbook);
    if (number_format)
        format_set_num_format (format, number_format);
    format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
    return format;
}

static void
s_formats (lxw_workbook *workbook, s_formats_t *formats)
{
    formats->header = workbook_add_format (workbook);
    format_set_bold (formats->header);
    format_set_bottom (formats->header, LXW_BORDER_THIN);
    format_set_bg_color (formats->header, 0xE7ECF1);
    format_set_text_wrap (formats->header);
    format_set_align (formats->header, LXW_ALIGN_VERTICAL_BOTTOM);
    formats->money = s_format (workbook, "£#,##0.00");
    formats->share = s_format (workbook, "0.0%");
    formats->count = s_format (workbook, "#,##0");
    formats->whole = s_format (workbook, "#,##0");
    formats->decimal = s_format (workbook, "#,##0.0##");
    formats->date = s_format (workbook, "d mmm yyyy");
    formats->text = s_format (workbook, NULL);
    formats->muted = s_format (workbook, NULL);
    format_set_italic (formats->muted);
    format_set_font_color (formats->muted, 0x5B6774);
    format_set_align (formats->muted, LXW_ALIGN_RIGHT);
}

//  One cell. fewer names the withheld figure when the row is suppressed
//  and value is null.
static void
s_xlsx_value (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const json_t *value,
              reporting_doc_type_t type, const s_formats_t *formats, const char *fewer)
{
    if (json_is_null (value) || !value) {
        if (fewer && type == REPORTING_DOC_INT)
            worksheet_write_string (sheet, row, col, fewer, formats->muted);
        return;
    }
    if (json_is_boolean (value)) {
        worksheet_write_boolean (sheet, row, col, json_is_true (value), formats->text);
        return;
    }
    if (json_is_array (value)) {
        char *joined = reporting_doc_joined (value);
        if (joined)
            worksheet_write_string (sheet, row, col, joined, formats->text);
        free (joined);
        return;
    }
    if (json_is_string (value)) {
        const char *text = json_string_value (value);
        int year, month, day;
        char more;
        if (type == REPORTING_DOC_DATE
        &&  sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &more) == 3) {
            lxw_datetime date = { year, month, day, 0, 0, 0 };
            worksheet_write_datetime (sheet, row, col, &date, formats->date);
        }
        else
            worksheet_write_string (sheet, row, col, text, formats->text);
        return;
    }
    if (!json_is_number (value))
        return;
    double number = json_number_value (value);
    lxw_format *format = formats->count;
    if (type == REPORTING_DOC_PENCE) {
        number /= 100.0;
        format = formats->money;
    }
    else
    if (type == REPORTING_DOC_SHARE)
        format = formats->share;
    else
    if (type == REPORTING_DOC_QTY) {
        int64_t milli;
        format = reporting_doc_milli (value, &milli) && milli % 1000 == 0?
                 formats->whole: formats->decimal;
    }
    worksheet_write_number (sheet, row, col, number, format);
}

//  Writes the workbook into file at path; -1 when libxlsxwriter fails
static int
s_write_workbook (const json_t *doc, const reporting_doc_kind_t *kind, const char *path,
                  const char *tmpdir)
{
    lxw_workbook_options options = { .constant_memory = LXW_FALSE,
                                     .tmpdir = (char *) tmpdir, .use_zip64 = LXW_FALSE };
    lxw_workbook *workbook = workbook_new_opt (path, &options);
    if (!workbook)
        return -1;
    lxw_doc_properties properties = {
        .title = (char *) reporting_doc_str (doc, "title"),
        .subject = "Social value",
        .author = "socval",
        .company = (char *) reporting_doc_str (doc, "partner"),
        .created = s_created (doc)
    };
    workbook_set_properties (workbook, &properties);
    s_formats_t formats;
    s_formats (workbook, &formats);
    bool failed = false;

    lxw_worksheet *sheet = workbook_add_worksheet (workbook, "Summary");
    failed |= sheet == NULL;
    if (sheet) {
        worksheet_write_string (sheet, 0, 0, "Figure", formats.header);
        worksheet_write_string (sheet, 0, 1, "Value", formats.header);
        worksheet_write_string (sheet, 0, 2, "Key", formats.header);
        worksheet_set_column (sheet, 0, 0, 46, NULL);
        worksheet_set_column (sheet, 1, 1, 44, NULL);
        worksheet_set_column (sheet, 2, 2, 36, NULL);
        worksheet_freeze_panes (sheet, 1, 0);
        lxw_row_t row = 1;
        const reporting_doc_figure_t *lists [] = { reporting_doc_head_figures, kind->figures };
        for (size_t list = 0; list < 2; list++)
            for (const reporting_doc_figure_t *figure = lists [list]; figure->path;
                 figure++, row++) {
                worksheet_write_string (sheet, row, 0, figure->label, formats.text);
                s_xlsx_value (sheet, row, 1, reporting_doc_get (doc, figure->path), figure->type,
                              &formats, NULL);
                worksheet_write_string (sheet, row, 2, figure->path, formats.text);
            }
    }
    int64_t threshold;
    if (!reporting_doc_int_at (doc, "small_number_threshold", &threshold))
        threshold = 5;
    char fewer [48];
    snprintf (fewer, sizeof fewer, "fewer than %" PRId64, threshold);

    for (const reporting_doc_table_t *const *table = kind->tables; *table && !failed; table++) {
        sheet = workbook_add_worksheet (workbook, (*table)->sheet);
        json_t *rows = reporting_doc_table_rows (doc, *table);
        if (!sheet || !rows) {
            json_decref (rows);
            failed = true;
            break;
        }
        lxw_col_t col = 0;
        for (const reporting_doc_column_t *column = (*table)->columns; column->key;
             column++, col++) {
            worksheet_write_string (sheet, 0, col, column->heading, formats.header);
            worksheet_set_column (sheet, col, col, column->width, NULL);
        }
        worksheet_set_row (sheet, 0, 30, NULL);
        worksheet_freeze_panes (sheet, 1, 0);
        size_t index;
        json_t *row;
        json_array_foreach (rows, index, row) {
            bool suppressed = json_is_true (json_object_get (row, "suppressed"));
            col = 0;
            for (const reporting_doc_column_t *column = (*table)->columns; column->key;
                 column++, col++)
                s_xlsx_value (sheet, (lxw_row_t) index + 1, col,
                              json_object_get (row, column->key), column->type, &formats,
                              suppressed? fewer: NULL);
        }
        if (json_array_size (rows) > 0)
            worksheet_autofilter (sheet, 0, 0, (lxw_row_t) json_array_size (rows), col - 1);
        json_decref (rows);
    }
    //  Closing writes the file and frees the workbook, failed or not
    failed |= workbook_close (workbook) != LXW_NO_ERROR;
    return failed? -1: 0;
}

int
reporting_tables_xlsx (const json_t *doc, const reporting_doc_kind_t *kind, const char *base,
                       zlistx_t *files)
{
    const char *tmpdir = getenv ("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    char *path = zsys_sprintf ("%s/" REPORTING_TABLES_TEMP_PREFIX "XXXXXX", tmpdir);
    if (!path)
        return -1;
    int handle = mkstemp (path);
    if (handle == -1) {
        free (path);
        return -1;
    }
    close (handle);
    int rc = s_write_workbook (doc, kind, path, tmpdir);
    if (rc == 0) {
        zchunk_t *chunk = zchunk_slurp (path, 0);
        rc = chunk? reporting_doc_add_file (files, base, ".xlsx", zchunk_data (chunk),
                                            zchunk_size (chunk)): -1;
        zchunk_destroy (&chunk);
    }
    unlink (path);
    free (path);
    return rc;
}
