/*  =========================================================================
    reporting_html_partnership - the partnership report's page

    The network's headline cards, the partners side by side (a chart and
    a table with a column per partner), social value by partner and
    theme, delivery by common outcome when the report has a crosswalk,
    and the Real Living Wage dates. Internal to reporting_render.
    =========================================================================
*/

#include "reporting_html.h"


//  --------------------------------------------------------------------------
//  html: the partnership report

//  The partners side by side: one row per figure, one column per partner,
//  then the network
static void
s_partner_table (reporting_html_t *self, const json_t *partners)
{
    FILE *out = self->out;
    const json_t *network = reporting_doc_get (self->doc, "network");
    size_t count = json_array_size (partners);
    reporting_html_table_open (out, "keep fixed sidebyside");
    fprintf (out, "<caption>The partners side by side</caption>\n<colgroup><col style=\"width: %d%%\"/></colgroup>\n<thead><tr><th></th>",
             count > 4? 16: 22);
    for (size_t index = 0; index < count; index++)
        reporting_html_tag (out, "<th class=\"num\">",
                            reporting_html_partner_of (json_array_get (partners, index)), "</th>");
    fputs ("<th class=\"num\">All partners</th></tr></thead>\n<tbody>\n", out);
    for (const reporting_doc_column_t *column = reporting_doc_partner_columns; column->key;
         column++) {
        if (column->flags & REPORTING_DOC_NOT_HTML)
            continue;
        reporting_html_tag (out, "<tr><td>", column->heading, "</td>");
        for (size_t index = 0; index <= count; index++) {
            const json_t *row = index < count? json_array_get (partners, index): network;
            if (index == count && !json_object_get (network, column->key))
                fputs ("<td class=\"num\"></td>", out);
            else
                reporting_html_cell (self, column, row, false);
        }
        fputs ("</tr>\n", out);
    }
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}

//  One cell of the side-by-side table: what partner delivered towards
//  outcome ("" for the measures the crosswalk maps to none), quantity by
//  unit (units in first-seen order), then the £ delivered where its
//  measures have a value, or that they have none
static void
s_outcome_cell (FILE *out, const json_t *rows, const char *outcome, const char *partner)
{
    const char *units [16];
    int64_t delivered [16], pence = 0;
    size_t count = 0, index;
    bool valued = false, any = false;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!streq (reporting_doc_str (row, "outcome"), outcome)
        ||  !streq (reporting_doc_str (row, "partner"), partner))
            continue;
        any = true;
        int64_t milli = 0, value = 0;
        reporting_doc_milli (json_object_get (row, "delivered_qty"), &milli);
        size_t unit = 0;
        while (unit < count && !streq (units [unit], reporting_doc_str (row, "unit")))
            unit++;
        if (unit == count && count < 16) {
            units [count] = reporting_doc_str (row, "unit");
            delivered [count++] = 0;
        }
        if (unit < count)
            delivered [unit] += milli;
        if (reporting_doc_int_at (row, "delivered_pence", &value)) {
            pence += value;
            valued = true;
        }
    }
    if (!any) {
        fputs ("<td class=\"withheld\">–</td>", out);
        return;
    }
    fputs ("<td>", out);
    for (size_t unit = 0; unit < count; unit++) {
        json_t *quantity = json_real ((double) delivered [unit] / 1000.0);
        reporting_html_tag (out, "<span class=\"aside nowrap\">",
                            reporting_html_quantity (quantity, units [unit]).text, "</span>");
        json_decref (quantity);
    }
    if (valued)
        reporting_html_tag (out, "<strong class=\"nowrap\">", reporting_html_pounds (pence).text,
                            "</strong>");
    else
        fputs ("<span class=\"aside\">no £ value (record only)</span>", out);
    fputs ("</td>", out);
}

//  The partners side by side by common outcome, when the report has a
//  crosswalk: a row per outcome (and one for measures it maps to none), a
//  column per partner naming its framework, each cell what was delivered
//  in the measures' own units and the £ where a framework prices them
static void
s_outcome_section (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    json_t *crosswalk = reporting_doc_get (doc, "crosswalk");
    if (!json_is_object (crosswalk))
        return;
    fputs ("<section id=\"outcomes\">\n<h2>Delivery by common outcome</h2>\n"
           "<p class=\"lede\">Partners on different frameworks cannot add their pounds: a "
           "framework that publishes metrics and no proxy values (the Social Value Model) "
           "records quantities only. Here each partner's deliveries are set side by side by "
           "the outcome they serve, in their own units, with the pounds only where the "
           "partner's framework gives a value.</p>\n", out);
    if (*reporting_doc_str (crosswalk, "problem")) {
        reporting_html_tag (out, "<p class=\"note\">The crosswalk ",
                            reporting_doc_str (crosswalk, "file"), "");
        reporting_html_tag (out, " could not be read, so no outcome is shown: ",
                            reporting_doc_str (crosswalk, "problem"), ".</p>\n</section>\n");
        return;
    }
    json_t *rows = reporting_doc_get (doc, "by_outcome");
    json_t *partners = reporting_doc_get (doc, "by_partner");
    size_t index, at;
    json_t *row, *partner;
    reporting_html_table_open (out, "outcomes");
    fputs ("<caption>Delivered in the year, by common outcome and partner</caption>\n"
           "<thead><tr><th>Outcome</th>", out);
    json_array_foreach (partners, index, partner) {
        reporting_html_tag (out, "<th>", reporting_html_partner_of (partner), "");
        //  The frameworks this partner's lines were valued with
        const char *shown = NULL;
        json_array_foreach (rows, at, row)
            if (streq (reporting_doc_str (row, "partner"), reporting_doc_str (partner, "partner"))
            &&  (!shown || !streq (shown, reporting_doc_str (row, "framework")))) {
                shown = reporting_doc_str (row, "framework");
                reporting_html_tag (out, "<span class=\"aside\">", shown, "</span>");
            }
        fputs ("</th>", out);
    }
    fputs ("</tr></thead>\n<tbody>\n", out);
    json_t *outcomes = json_deep_copy (json_object_get (crosswalk, "outcomes"));
    json_array_foreach (rows, index, row)
        if (!*reporting_doc_str (row, "outcome")) {
            json_array_append_new (outcomes, json_string (""));
            break;
        }
    json_t *outcome;
    json_array_foreach (outcomes, index, outcome) {
        const char *name = json_string_value (outcome);
        reporting_html_tag (out, "<tr><th scope=\"row\">",
                            *name? name: "Not mapped to a common outcome", "</th>");
        json_array_foreach (partners, at, partner)
            s_outcome_cell (out, rows, name, reporting_doc_str (partner, "partner"));
        fputs ("</tr>\n", out);
    }
    json_decref (outcomes);
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
    reporting_html_tag (out, "<p class=\"note\">Outcomes from the crosswalk ",
                        reporting_doc_str (crosswalk, "file"),
                        "; each measure behind a cell is listed in the by_outcome table of the "
                        "CSV, XLSX and JSON forms of this report.</p>\n</section>\n");
}

void
reporting_html_partnership_body (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    reporting_html_page_open (self, "Social value partnership report");
    int64_t total, local, delivered, committed, missing;
    reporting_doc_int_at (doc, "network.spend_total_pence", &total);
    reporting_doc_int_at (doc, "network.local_pence", &local);
    reporting_doc_int_at (doc, "network.committed_pence", &committed);
    reporting_doc_int_at (doc, "network.delivered_pence", &delivered);
    reporting_doc_int_at (doc, "network.missing_commitment", &missing);
    fputs ("<section class=\"cards four\" aria-label=\"Headline figures\">\n", out);
    reporting_html_card (out, "Total spend", reporting_html_pounds_short (total, false).text, false,
                         "%s by all partners", reporting_html_pounds (total).text);
    reporting_html_card (out, "Spent with local suppliers",
                         reporting_html_pounds_short (local, false).text, false,
                         "%s of all spend: %s",
                         reporting_html_share (reporting_doc_get (doc, "network.local_share")).text,
                         reporting_html_pounds (local).text);
    reporting_html_card (out, "Social value delivered",
                         reporting_html_pounds_short (delivered, false).text, false,
                         "%s of the %s committed", reporting_html_ratio (delivered, committed).text,
                         reporting_html_pounds_short (committed, false).text);
    reporting_html_card (out, "Real Living Wage commitment missing",
                         reporting_html_count (missing).text, missing > 0,
                         "of %s contracts in scope; %s open alerts",
                         reporting_html_count_at (doc, "network.in_scope_contracts").text,
                         reporting_html_count_at (doc, "network.open_alerts").text);
    fputs ("</section>\n<section id=\"partners\">\n<h2>The partners compared</h2>\n", out);

    json_t *partners = reporting_doc_get (doc, "by_partner");
    size_t count = json_array_size (partners);
    reporting_html_bar_t *bars = (reporting_html_bar_t *) calloc (count + 1, sizeof *bars);
    reporting_html_text_t *notes = (reporting_html_text_t *) calloc (count + 1, sizeof *notes);
    if (bars && notes) {
        for (size_t index = 0; index < count; index++) {
            json_t *partner = json_array_get (partners, index);
            bars [index].label = reporting_html_partner_of (partner);
            reporting_doc_int_at (partner, "spend_total_pence", &bars [index].values [0]);
            reporting_doc_int_at (partner, "local_pence", &bars [index].values [1]);
            notes [index] = reporting_html_share (json_object_get (partner, "local_share"));
            bars [index].note = notes [index].text;
        }
        static const char *names [] = { "Total spend", "Local spend" };
        static const char *colours [] = { REPORTING_HTML_COLOUR_OTHER,
                                          REPORTING_HTML_COLOUR_LOCAL };
        reporting_html_figure_open (out, "Spend and local spend by partner");
        reporting_html_chart_bars (self, "Total spend and local spend by partner",
                                   "Pairs of horizontal bars, one pair for each partner, of its "
                                   "total spend and its spend with local suppliers, labelled with "
                                   "the local share. The table below gives the figures.", 2,
                                   names, colours, bars, count);
        fputs ("</figure>\n", out);
    }
    free (bars);
    free (notes);
    s_partner_table (self, partners);
    reporting_html_framework_note (self, "frameworks");
    fputs ("</section>\n<section id=\"themes\">\n<h2>Social value by theme, partner by "
           "partner</h2>\n<p class=\"lede\">What each partner's suppliers committed and "
           "delivered under each theme, so that each partner's priorities can be followed."
           "</p>\n", out);
    reporting_html_table (self, &reporting_doc_by_partner_theme,
                          "Social value by partner and theme", NULL);
    reporting_html_framework_note (self, "frameworks");
    reporting_html_table (self, &reporting_doc_network_frameworks, "Frameworks behind the pounds",
                          "keep narrow");
    fputs ("</section>\n", out);
    s_outcome_section (self);
    fputs ("<section id=\"rlw\">\n<h2>Real Living Wage dates</h2>\n", out);
    reporting_html_compliance_rlw_dates (self);
    fputs ("</section>\n", out);
    reporting_html_page_close (self, NULL);
}
