/*  =========================================================================
    reporting_doc - what each kind of report holds, and reading it; the
    ground every writer of reporting_render shares

    Internal to reporting_render: its writers (reporting_tables, the
    reporting_html files) include this; nothing outside them does.

    Each report kind lists its headline figures (dotted paths into the
    document, with a label and a type) and its tables (the path of an
    array of row objects, and the columns shown). csv and xlsx are written
    from those lists alone; html uses the same tables and adds what a
    reader needs around them. The readers here never fail: a missing key
    reads as NULL, "" or false, so a writer shows "–" instead of a false
    zero.
    =========================================================================
*/

#ifndef REPORTING_DOC_H_INCLUDED
#define REPORTING_DOC_H_INCLUDED

#include <czmq.h>
#include <jansson.h>


//  --------------------------------------------------------------------------
//  What each kind of report holds

typedef enum {
    REPORTING_DOC_TEXT,             //  a string, as is
    REPORTING_DOC_INT,              //  a count
    REPORTING_DOC_PENCE,            //  integer pence
    REPORTING_DOC_QTY,              //  a quantity in the row's "unit"
    REPORTING_DOC_SHARE,            //  0 to 1, or null
    REPORTING_DOC_BOOL,
    REPORTING_DOC_DATE,             //  yyyy-mm-dd, or null when not known
    REPORTING_DOC_LIST              //  an array of strings (figures only)
} reporting_doc_type_t;

//  Column flags
#define REPORTING_DOC_NOT_HTML  1   //  csv and xlsx only: html shows it another way
#define REPORTING_DOC_CODE      2   //  an identifier: html never breaks it
#define REPORTING_DOC_BADGE     4   //  a state: html shows it as a badge, coloured by
                                    //  its value (reporting_html_badge)

typedef struct {
    const char *key;            //  key in each row
    const char *heading;        //  for people (xlsx, html)
    reporting_doc_type_t type;
    int width;                  //  xlsx column width, in characters
    int flags;
} reporting_doc_column_t;

typedef struct {
    const char *name;           //  csv file name less ".csv"
    const char *sheet;          //  xlsx sheet name, at most 31 characters
    const char *path;           //  dotted path of the array of rows
    bool pairs;                 //  path is an object instead: one row per
                                //  member, its name in the first column and
                                //  its value in the second
    const reporting_doc_column_t *columns;      //  ends at a NULL key
} reporting_doc_table_t;

//  One headline figure: a scalar (or list of strings) in the document
typedef struct {
    const char *path;
    const char *label;
    reporting_doc_type_t type;
} reporting_doc_figure_t;

//  A page being written (reporting_html.h)
typedef struct _reporting_html_t reporting_html_t;

typedef struct {
    const char *kind;                           //  "report" value
    const reporting_doc_figure_t *figures;      //  after reporting_doc_head_figures
    const reporting_doc_table_t *tables [16];   //  NULL-terminated
    void (*body) (reporting_html_t *html);      //  html sections
} reporting_doc_kind_t;

//  The figures at the head of every report's summary, ending at a NULL path
extern const reporting_doc_figure_t reporting_doc_head_figures [];

//  The tables the html pages draw as reporting_html_table draws them
extern const reporting_doc_table_t reporting_doc_spend_by_ward;
extern const reporting_doc_table_t reporting_doc_by_measure;
extern const reporting_doc_table_t reporting_doc_top_contracts;
extern const reporting_doc_table_t reporting_doc_delivered_by_ward;
extern const reporting_doc_table_t reporting_doc_by_group;
extern const reporting_doc_table_t reporting_doc_rlw_suggested;
extern const reporting_doc_table_t reporting_doc_by_partner_theme;
extern const reporting_doc_table_t reporting_doc_annual_frameworks;
extern const reporting_doc_table_t reporting_doc_network_frameworks;
extern const reporting_doc_table_t reporting_doc_rlw_renewals;
//  by_partner's columns, which the partnership page turns into rows
extern const reporting_doc_column_t reporting_doc_partner_columns [];


//  --------------------------------------------------------------------------
//  Reading the document

//  The value at a dotted path, borrowed; NULL when any step is missing
json_t *
    reporting_doc_get (const json_t *doc, const char *path);

//  A string at path, or "" when missing or not a string
const char *
    reporting_doc_str (const json_t *doc, const char *path);

//  Integer at path into *value_p; false (and 0) when missing or not one
bool
    reporting_doc_int_at (const json_t *doc, const char *path, int64_t *value_p);

//  A date at key of row, or NULL when it is not known
const char *
    reporting_doc_date_at (const json_t *row, const char *key);

//  The description of the document's kind ("report"), or NULL when unknown
const reporting_doc_kind_t *
    reporting_doc_kind_of (const json_t *doc);

//  The rows of table as a new reference to an array of objects
json_t *
    reporting_doc_table_rows (const json_t *doc, const reporting_doc_table_t *table);

//  A quantity (a JSON number in units) as thousandths; false when it is
//  not a number or is too large to hold
bool
    reporting_doc_milli (const json_t *value, int64_t *milli_p);

//  A list of strings joined by "; ", for the caller to free; NULL when
//  memory runs out
char *
    reporting_doc_joined (const json_t *list);


//  --------------------------------------------------------------------------
//  The files of a rendering (a list of reporting_render_file_t *)

//  Adds a file of data (size bytes, copied) to files; -1 when memory runs out
int
    reporting_doc_add_file (zlistx_t *files, const char *name, const char *suffix,
                            const void *data, size_t size);

//  A memory stream for building one file
typedef struct {
    FILE *out;
    char *data;
    size_t size;
} reporting_doc_stream_t;

//  Opens the stream; -1 when memory runs out
int
    reporting_doc_stream_open (reporting_doc_stream_t *self);

//  Closes the stream and adds its bytes to files as the file name + suffix;
//  -1 on any write error
int
    reporting_doc_stream_close (reporting_doc_stream_t *self, zlistx_t *files,
                                const char *name, const char *suffix);

#endif
