/*  =========================================================================
    reporting_render - a report document (JSON) written out as html, csv,
    json or xlsx files

    A report is assembled once, as one JSON document whose keys and orders
    are set out in services/reporting/REPORT_JSON.md; this class turns that
    document, and nothing else, into the files of one output format. It
    reads no store, no clock and no configuration, so the same document
    always gives the same bytes (the xlsx's timestamps come from the
    document's "created").

      json   the document itself, keys in the order built, indented by 2,
             reals written with 15 significant digits (0.1 is "0.1"),
             ending in a newline: one file, BASE.json.
      csv    one file per table of the report (summary.csv with the
             headline figures as key,value rows, then spend_by_month.csv,
             by_theme.csv, ...): header row of the document's keys, pence
             and counts as integers, nulls empty, RFC 4180 quoting, CR LF.
      xlsx   one workbook, BASE.xlsx: a "Summary" sheet, then one sheet per
             table; money as numbers of pounds shown "£#,##0.00", shares
             as "0.0%", header row bold and frozen.
      html   one self-contained file, BASE.html (inline style and SVG
             charts, no external asset), well-formed XML (XHTML), laid out
             for screen and for printing on A4.

    Pure: no sockets, no SQL. The xlsx passes through a temporary file
    ($TMPDIR, else /tmp), because libxlsxwriter writes only to files; it
    is removed before this returns.
    =========================================================================
*/

#ifndef REPORTING_RENDER_H_INCLUDED
#define REPORTING_RENDER_H_INCLUDED

#include <czmq.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

//  One output file of a rendered report
typedef struct {
    char *name;             //  file name, e.g. "annual-all-2024-25.html" or
                            //  "by_theme.csv"; no directory
    zchunk_t *payload;      //  the file's bytes
} reporting_render_file_t;

//  Renders report (borrowed, not changed), a document as specified in
//  REPORT_JSON.md, in format "html", "json", "csv" or "xlsx". base (not
//  NULL) names the single file of html, json and xlsx: "annual-all-2024-25"
//  gives "annual-all-2024-25.html"; csv ignores it and names one file per
//  table ("summary.csv", "by_theme.csv", ...), in the order of the
//  document. Keys missing from the document show as empty or "–", never
//  as an error. Returns a new list of reporting_render_file_t * that owns
//  them (its destructor is set: zlistx_destroy frees everything), or NULL
//  with *reason (when reason is not NULL) pointing at a static English
//  sentence: an unknown format, a document that is not an object or
//  (except for json) not of a known kind, or a file that could not be
//  written.
zlistx_t *
    reporting_render (const json_t *report, const char *format, const char *base,
                      const char **reason);

//  True when format is one reporting_render writes. format may be NULL.
bool
    reporting_render_format_known (const char *format);

//  Destroys one file and nulls the caller's pointer; safe on NULL and
//  twice. For a file taken out of the list with zlistx_detach.
void
    reporting_render_file_destroy (reporting_render_file_t **self_p);

//  Self test of this class; asserts (aborts) on failure. Reads
//  tests/fixtures/reports/ relative to the current directory (the
//  repository root); runs xmllint and unzip; leaves no file behind.
void
    reporting_render_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
