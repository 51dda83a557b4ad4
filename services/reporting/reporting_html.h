/*  =========================================================================
    reporting_html - a report document written out as one html page;
    internal to reporting_render

    reporting_html.c holds the page around the sections and what they draw
    with, declared here; each kind's sections are in a file of their own,
    whose entry (the kind's body in reporting_doc) is declared at the end.
    Every function writes to the page's stream and returns nothing: a
    write error is found when reporting_html_render closes the stream.
    =========================================================================
*/

#ifndef REPORTING_HTML_H_INCLUDED
#define REPORTING_HTML_H_INCLUDED

#include "reporting_doc.h"

//  A page being written
struct _reporting_html_t {
    FILE *out;
    const json_t *doc;
    int64_t threshold;          //  small number threshold
    int figures;                //  charts drawn so far, for unique ids
};

//  Writes doc's page, BASE.html, by kind's body, and adds it to files.
//  0, or -1 when memory runs out or a write fails.
int
    reporting_html_render (const json_t *doc, const reporting_doc_kind_t *kind,
                           const char *base, zlistx_t *files);


//  --------------------------------------------------------------------------
//  Figures for people

//  Short formatted text, returned by value: reporting_html_pounds (x).text
//  is valid to the end of the full expression that calls it.
typedef struct {
    char text [160];
} reporting_html_text_t;

//  "12,345", "−12" (U+2212)
reporting_html_text_t
    reporting_html_count (int64_t value);

//  Pence as whole pounds, half away from zero: "£48,957,376", "−£1,200"
reporting_html_text_t
    reporting_html_pounds (int64_t pence);

//  Pence for a headline: "£49.0m", "£512k", "£850"; "+£2.8m" when signed_
reporting_html_text_t
    reporting_html_pounds_short (int64_t pence, bool signed_);

//  A quantity with its unit: "1,040 weeks", "£9,650 donated"; "–" when
//  not a number
reporting_html_text_t
    reporting_html_quantity (const json_t *value, const char *unit);

//  A share (0 to 1) as "45.6%"; "–" when null or not a number
reporting_html_text_t
    reporting_html_share (const json_t *value);

//  part / whole as "45.6%"; "–" when whole is not positive
reporting_html_text_t
    reporting_html_ratio (int64_t part, int64_t whole);

//  "January" to "December"
extern const char *reporting_html_month_names [];

//  "2024-04-01" as "1 Apr 2024", or in full ("1 April 2024"); other text
//  as it is
reporting_html_text_t
    reporting_html_date (const char *iso, bool full);

//  The count at path in doc, or "–" when there is none
reporting_html_text_t
    reporting_html_count_at (const json_t *doc, const char *path);


//  --------------------------------------------------------------------------
//  Escaping, and the page around the sections

//  Writes text escaped for XML text and attributes
void
    reporting_html_esc (FILE *out, const char *text);

//  Writes printf's output escaped
void
    reporting_html_escf (FILE *out, const char *format, ...);

//  Markup, the escaped text, markup: the common shape <td>TEXT</td>
void
    reporting_html_tag (FILE *out, const char *open, const char *text, const char *close);

//  "A, B and C" from a list of strings
void
    reporting_html_prose_list (FILE *out, const json_t *list);

//  A partner's name for people: the row's partner_name, else its partner
const char *
    reporting_html_partner_of (const json_t *row);

//  The document's display name of the partner called id, else id itself
const char *
    reporting_html_partner_named (const json_t *doc, const char *id);

//  What the pounds of a section rest on: the frameworks at path
void
    reporting_html_framework_note (reporting_html_t *self, const char *path);

//  The page's head, style and masthead under kicker
void
    reporting_html_page_open (reporting_html_t *self, const char *kicker);

//  The page's footer; how (may be NULL) is more of its dl, as html
void
    reporting_html_page_close (reporting_html_t *self, const char *how);

//  A headline card: label and value, then a line printed from format
void
    reporting_html_card (FILE *out, const char *label, const char *value, bool warn,
                         const char *format, ...);


//  --------------------------------------------------------------------------
//  Tables

//  One cell of a generic table
void
    reporting_html_cell (reporting_html_t *self, const reporting_doc_column_t *column,
                         const json_t *row, bool suppressed);

//  Opens a table (class_ may be NULL) in a box that scrolls sideways
void
    reporting_html_table_open (FILE *out, const char *class_);

void
    reporting_html_table_close (FILE *out);

//  The table at its path in the document, with the columns html shows
void
    reporting_html_table (reporting_html_t *self, const reporting_doc_table_t *table,
                          const char *caption, const char *class_);

//  A tag whose class is the value reduced to lower-case letters
void
    reporting_html_badge (FILE *out, const char *value);


//  --------------------------------------------------------------------------
//  Charts (inline SVG)

//  The colours of the series a chart compares
#define REPORTING_HTML_COLOUR_LOCAL "#1d4f7a"
#define REPORTING_HTML_COLOUR_OTHER "#9fb6cc"

//  One category of a horizontal bar chart
typedef struct {
    const char *label;
    const char *sublabel;       //  second, smaller line; may be NULL
    int64_t values [2];         //  pence, one per series
    const char *note;           //  after the last series' value ("17.1%"), or NULL
} reporting_html_bar_t;

//  Spend by month: a stacked bar per month
void
    reporting_html_chart_months (reporting_html_t *self, const json_t *months);

//  Horizontal bars, one or two series (grouped) per category
void
    reporting_html_chart_bars (reporting_html_t *self, const char *title, const char *desc,
                               size_t series, const char *const *names,
                               const char *const *colours, const reporting_html_bar_t *bars,
                               size_t count);

//  Opens a <figure> whose caption is a heading for the chart
void
    reporting_html_figure_open (FILE *out, const char *caption);


//  --------------------------------------------------------------------------
//  Each kind's sections: the bodies reporting_doc's kinds name

//  reporting_html_annual.c
void
    reporting_html_annual_body (reporting_html_t *self);

//  reporting_html_partnership.c
void
    reporting_html_partnership_body (reporting_html_t *self);

//  reporting_html_compliance.c: the rlw-scope and alerts reports, and the
//  sections of them that the annual and partnership reports show
void
    reporting_html_compliance_rlw_body (reporting_html_t *self);
void
    reporting_html_compliance_alerts_body (reporting_html_t *self);
//  The Real Living Wage counts and contracts; number is the section's
//  (0 for none)
void
    reporting_html_compliance_rlw_section (reporting_html_t *self, int number);
//  The alerts by rule and by state, resolved ones too when resolved
void
    reporting_html_compliance_alerts_section (reporting_html_t *self, int number,
                                              bool resolved);
//  The partners' accreditation renewals and the pending rate's deadline
void
    reporting_html_compliance_rlw_dates (reporting_html_t *self);

//  reporting_html_contracts.c: the contracts and kpi reports
void
    reporting_html_contracts_body (reporting_html_t *self);
void
    reporting_html_contracts_kpi_body (reporting_html_t *self);

#endif
