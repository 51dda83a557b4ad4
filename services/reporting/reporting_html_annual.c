/*  =========================================================================
    reporting_html_annual - the annual report's page

    Headline cards, then the sections: spending with local suppliers
    (a chart and table by month, by kind of supplier, by ward, by how each
    supplier was placed), social value committed and delivered (by
    theme, measure, ward and beneficiary group), the contracts delivering
    the most, the Real Living Wage and the alerts (reporting_html_compliance
    draws those two), and the method. Internal to reporting_render.
    =========================================================================
*/

#include "reporting_html.h"
#include "reporting_method.h"
#include <inttypes.h>


//  --------------------------------------------------------------------------
//  html: the annual report

//  Spend by month with a total column and a totals row (int64 sums)
static void
s_months_table (reporting_html_t *self, const json_t *months)
{
    FILE *out = self->out;
    static const char *keys [] = { "local_pence", "non_local_pence", "unknown_pence" };
    int64_t totals [4] = { 0 };
    reporting_html_table_open (out, "keep");
    fputs ("<caption>Spend by month</caption>\n<thead><tr><th>Month</th>"
           "<th class=\"num\">Local</th><th class=\"num\">Non-local</th>"
           "<th class=\"num\">Locality unknown</th><th class=\"num\">Total</th>"
           "<th class=\"num\">Local share</th></tr></thead>\n<tbody>\n", out);
    size_t index;
    json_t *month;
    json_array_foreach (months, index, month) {
        int year = 0, number = 0;
        const char *name = reporting_doc_str (month, "month");
        sscanf (name, "%4d-%2d", &year, &number);
        if (number >= 1 && number <= 12)
            fprintf (out, "<tr><td>%s %d</td>", reporting_html_month_names [number - 1], year);
        else
            reporting_html_tag (out, "<tr><td>", name, "</td>");
        int64_t total = 0, local = 0;
        for (size_t series = 0; series < 3; series++) {
            int64_t pence;
            if (reporting_doc_int_at (month, keys [series], &pence)) {
                total += pence;
                totals [series] += pence;
                if (series == 0)
                    local = pence;
                fprintf (out, "<td class=\"num\">%s</td>", reporting_html_pounds (pence).text);
            }
            else
                fputs ("<td class=\"num\">–</td>", out);
        }
        totals [3] += total;
        fprintf (out, "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                 reporting_html_pounds (total).text, reporting_html_ratio (local, total).text);
    }
    fputs ("</tbody>\n<tfoot><tr><td>Year</td>", out);
    for (size_t series = 0; series < 4; series++)
        fprintf (out, "<td class=\"num\">%s</td>", reporting_html_pounds (totals [series]).text);
    fprintf (out, "<td class=\"num\">%s</td></tr></tfoot>\n",
             reporting_html_ratio (totals [0], totals [3]).text);
    reporting_html_table_close (out);
}

//  Spend by kind of supplier: the document's totals, with shares
static void
s_spend_table (reporting_html_t *self)
{
    FILE *out = self->out;
    static const struct {
        const char *path;
        const char *label;
    } rows [] = {
        { "spend.local_pence", "Local suppliers" },
        { "spend.non_local_pence", "Non-local suppliers" },
        { "spend.unknown_locality_pence", "Suppliers whose locality is not known" },
        { "spend.total_pence", "All suppliers" },
        { "spend.sme_pence", "Small and medium-sized enterprises (SMEs)" },
        { "spend.vcse_pence", "Voluntary, community and social enterprises (VCSEs)" },
        { "spend.employee_owned_pence", "Employee-owned businesses" },
    };
    int64_t total;
    reporting_doc_int_at (self->doc, "spend.total_pence", &total);
    reporting_html_table_open (out, "keep");
    fputs ("<caption>Spend by kind of supplier</caption>\n<thead><tr>"
           "<th>Suppliers</th><th class=\"num\">Spend</th><th class=\"num\">Share of all "
           "spend</th></tr></thead>\n<tbody>\n", out);
    for (size_t index = 0; index < sizeof rows / sizeof rows [0]; index++) {
        int64_t pence;
        bool known = reporting_doc_int_at (self->doc, rows [index].path, &pence);
        fprintf (out, "<tr%s><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                 "</tr>\n",
                 index == 3? " class=\"subtotal\"": "", rows [index].label,
                 known? reporting_html_pounds (pence).text: "–",
                 known? reporting_html_ratio (pence, total).text: "–");
    }
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}

//  How each payment's supplier was placed (spend.by_place_source): a
//  registered office from Companies House is not always where the work is
//  done, so a reader can tell what the local figure rests on
static void
s_place_table (reporting_html_t *self)
{
    const json_t *rows = reporting_doc_get (self->doc, "spend.by_place_source");
    if (!json_is_array (rows) || json_array_size (rows) == 0)
        return;
    static const struct {
        const char *source;
        const char *label;
    } labels [] = {
        { "payment", "The payment's own postcode" },
        { "supplier", "The partner's supplier record" },
        { "registered_office", "Registered office (Companies House)" },
        { "none", "No postcode: locality unknown" },
        { "not_recorded", "Placed before sources were recorded" },
    };
    FILE *out = self->out;
    reporting_html_table_open (out, "keep");
    fputs ("<caption>How each supplier's place was found</caption>\n"
           "<thead><tr><th>Place from</th><th class=\"num\">Payments</th><th class=\"num\">"
           "Local</th><th class=\"num\">Non-local</th><th class=\"num\">Unknown</th></tr>"
           "</thead>\n<tbody>\n", out);
    size_t index;
    const json_t *row;
    json_array_foreach (rows, index, row) {
        const char *source = json_string_value (json_object_get (row, "source"));
        const char *label = source? source: "";
        for (size_t at = 0; at < sizeof labels / sizeof labels [0]; at++)
            if (source && streq (source, labels [at].source))
                label = labels [at].label;
        fputs ("<tr><td>", out);
        reporting_html_esc (out, label);
        fprintf (out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                 "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                 reporting_html_count (json_integer_value (json_object_get (row, "payments"))).text,
                 reporting_html_pounds (json_integer_value (
                     json_object_get (row, "local_pence"))).text,
                 reporting_html_pounds (json_integer_value (
                     json_object_get (row, "non_local_pence"))).text,
                 reporting_html_pounds (json_integer_value (
                     json_object_get (row, "unknown_pence"))).text);
    }
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}

static void
s_annual_spend (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    int64_t total, local, unknown, additional;
    reporting_doc_int_at (doc, "spend.total_pence", &total);
    reporting_doc_int_at (doc, "spend.local_pence", &local);
    reporting_doc_int_at (doc, "spend.unknown_locality_pence", &unknown);
    bool compared = reporting_doc_int_at (doc, "spend.additional_local_pence", &additional);
    fputs ("<section id=\"spend\">\n<h2><span class=\"number\">1</span>Spending with local "
           "suppliers</h2>\n<p class=\"lede\">", out);
    reporting_html_escf (out, "Of the %s the partners spent with suppliers in %s, %s (%s) went "
                         "to suppliers based in the local area.",
                         reporting_html_pounds_short (total, false).text,
                         reporting_doc_str (doc, "year"),
                         reporting_html_pounds_short (local, false).text,
                         reporting_html_share (reporting_doc_get (doc, "spend.local_share")).text);
    if (compared) {
        fprintf (out, " That is %s %s than in ",
                 reporting_html_pounds_short (additional < 0? -additional: additional,
                                              false).text,
                 additional < 0? "less": "more");
        reporting_html_esc (out, reporting_doc_str (doc, "spend.previous_year"));
        fputs (".", out);
    }
    fprintf (out, " A further %s was spent with suppliers whose location is not known; it is "
             "counted neither as local nor as non-local.</p>\n",
             reporting_html_pounds_short (unknown, false).text);
    reporting_html_figure_open (out, "Spend by month");
    reporting_html_chart_months (self, reporting_doc_get (doc, "spend.by_month"));
    fputs ("</figure>\n", out);
    s_months_table (self, reporting_doc_get (doc, "spend.by_month"));
    fputs ("<div class=\"pair\">\n<div>\n", out);
    s_spend_table (self);
    fputs ("</div>\n<div>\n", out);
    reporting_html_table (self, &reporting_doc_spend_by_ward, "Local spend by the supplier's ward",
                          "keep");
    fputs ("</div>\n</div>\n", out);
    s_place_table (self);
    fputs ("</section>\n", out);
}

static void
s_annual_social_value (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    int64_t committed, delivered;
    reporting_doc_int_at (doc, "social_value.committed_pence", &committed);
    reporting_doc_int_at (doc, "social_value.delivered_pence", &delivered);
    fputs ("<section id=\"social-value\">\n<h2><span class=\"number\">2</span>Social value "
           "committed and delivered</h2>\n<p class=\"lede\">", out);
    reporting_html_escf (out,
                         "Suppliers committed to %s of social value for %s and delivered %s, %s of "
                         "the value committed. Deliveries count when they are ",
                         reporting_html_pounds_short (committed, false).text,
                         reporting_doc_str (doc, "year"),
                         reporting_html_pounds_short (delivered, false).text,
                         reporting_html_ratio (delivered, committed).text);
    reporting_html_prose_list (out, reporting_doc_get (doc, "evidence_counted"));
    fputs (".</p>\n", out);
    reporting_html_framework_note (self, "social_value.frameworks");
    reporting_html_table (self, &reporting_doc_annual_frameworks, "Frameworks behind the pounds",
                          "keep narrow");

    json_t *themes = reporting_doc_get (doc, "social_value.by_theme");
    size_t count = json_array_size (themes);
    reporting_html_bar_t *bars = (reporting_html_bar_t *) calloc (count + 1, sizeof *bars);
    size_t valued = 0;
    if (bars) {
        //  Themes with a £ value only: a record-only theme has no bar
        for (size_t index = 0; index < count; index++) {
            json_t *theme = json_array_get (themes, index);
            if (json_is_true (json_object_get (theme, "record_only")))
                continue;
            bars [valued].label = reporting_doc_str (theme, "theme");
            reporting_doc_int_at (theme, "committed_pence", &bars [valued].values [0]);
            reporting_doc_int_at (theme, "delivered_pence", &bars [valued].values [1]);
            valued++;
        }
        static const char *names [] = { "Committed", "Delivered" };
        static const char *colours [] = { REPORTING_HTML_COLOUR_OTHER,
                                          REPORTING_HTML_COLOUR_LOCAL };
        reporting_html_figure_open (out, "Social value by theme");
        reporting_html_chart_bars (self, "Social value committed and delivered, by theme",
                                   "Pairs of horizontal bars, one pair for each theme, of the "
                                   "social value committed and delivered. The table below gives "
                                   "the figures.", 2, names, colours, bars, valued);
        fputs ("</figure>\n", out);
        free (bars);
    }
    //  By theme, with delivered as a share of committed and a total row
    reporting_html_table_open (out, "keep");
    fputs ("<caption>By theme</caption>\n<thead><tr><th>Theme</th>"
           "<th class=\"num\">Committed</th><th class=\"num\">Delivered</th>"
           "<th class=\"num\">Delivered of committed</th></tr></thead>\n<tbody>\n", out);
    for (size_t index = 0; index < count; index++) {
        json_t *theme = json_array_get (themes, index);
        int64_t theme_committed = 0, theme_delivered = 0;
        reporting_doc_int_at (theme, "committed_pence", &theme_committed);
        reporting_doc_int_at (theme, "delivered_pence", &theme_delivered);
        reporting_html_tag (out, "<tr><td>", reporting_doc_str (theme, "theme"), "</td>");
        if (json_is_true (json_object_get (theme, "record_only")))
            fputs ("<td colspan=\"3\" class=\"withheld\">record only: counted in its"
                   " measures' units below, no £ value</td></tr>\n", out);
        else
            fprintf (out, "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                     "<td class=\"num\">%s</td></tr>\n",
                     reporting_html_pounds (theme_committed).text,
                     reporting_html_pounds (theme_delivered).text,
                     reporting_html_ratio (theme_delivered, theme_committed).text);
    }
    fprintf (out, "</tbody>\n<tfoot><tr><td>All themes</td><td class=\"num\">%s</td>"
             "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr></tfoot>\n",
             reporting_html_pounds (committed).text, reporting_html_pounds (delivered).text,
             reporting_html_ratio (delivered, committed).text);
    reporting_html_table_close (out);
    reporting_html_table (self, &reporting_doc_by_measure, "By measure", NULL);

    fprintf (out, "<div class=\"pair\">\n<div>\n");
    reporting_html_table (self, &reporting_doc_delivered_by_ward, "Delivered by ward", "keep");
    fputs ("</div>\n<div>\n", out);
    reporting_html_table (self, &reporting_doc_by_group, "Delivered by beneficiary group", "keep");
    fprintf (out, "</div>\n</div>\n<p class=\"note\">Where fewer than %" PRId64 " deliveries "
             "fall in a ward or group, its figures are not shown, so that no person can be "
             "identified.", self->threshold);
    int64_t flagged;
    if (reporting_doc_int_at (doc, "social_value.flagged_lines", &flagged) && flagged > 0)
        fprintf (out, " %s %s could not be valued (a measure the framework does not know, "
                 "or no proxy value for the year) and %s not counted in any figure.",
                 reporting_html_count (flagged).text, flagged == 1? "line": "lines",
                 flagged == 1? "is": "are");
    fputs ("</p>\n</section>\n", out);
}

static void
s_annual_contracts (reporting_html_t *self)
{
    FILE *out = self->out;
    json_t *top = reporting_doc_get (self->doc, "social_value.top_contracts");
    size_t count = json_array_size (top);
    fputs ("<section id=\"contracts\">\n<h2><span class=\"number\">3</span>Contracts "
           "delivering the most social value</h2>\n", out);
    if (count > 0) {
        json_t *first = json_array_get (top, 0);
        int64_t pence;
        reporting_doc_int_at (first, "delivered_pence", &pence);
        fputs ("<p class=\"lede\">The largest contribution came from ", out);
        reporting_html_esc (out, reporting_doc_str (first, "supplier"));
        fputs ("'s contract ", out);
        reporting_html_esc (out, reporting_doc_str (first, "contract"));
        fputs (" (", out);
        reporting_html_esc (out, reporting_doc_str (first, "title"));
        reporting_html_escf (out, ") for %s, which delivered %s: %s of all social value "
                             "delivered.", reporting_html_partner_of (first),
                             reporting_html_pounds_short (pence, false).text,
                             reporting_html_share (json_object_get (first, "share")).text);
        fputs ("</p>\n", out);
    }
    reporting_html_bar_t *bars = (reporting_html_bar_t *) calloc (count + 1, sizeof *bars);
    reporting_html_text_t *notes = (reporting_html_text_t *) calloc (count + 1, sizeof *notes);
    if (bars && notes) {
        for (size_t index = 0; index < count; index++) {
            json_t *contract = json_array_get (top, index);
            bars [index].label = reporting_doc_str (contract, "title");
            bars [index].sublabel = reporting_doc_str (contract, "supplier");
            reporting_doc_int_at (contract, "delivered_pence", &bars [index].values [0]);
            notes [index] = reporting_html_share (json_object_get (contract, "share"));
            bars [index].note = notes [index].text;
        }
        static const char *names [] = { "Delivered" };
        static const char *colours [] = { REPORTING_HTML_COLOUR_LOCAL };
        reporting_html_figure_open (out, "Social value delivered by contract, with its share "
                                    "of the total");
        reporting_html_chart_bars (self, "The contracts that delivered the most social value",
                                   "Horizontal bars, largest first, of the social value each "
                                   "contract delivered, labelled with its share of all social "
                                   "value delivered. The table below gives the figures.", 1,
                                   names, colours, bars, count);
        fputs ("</figure>\n", out);
    }
    free (bars);
    free (notes);
    reporting_html_table (self, &reporting_doc_top_contracts,
                          "Top contracts by social value delivered", "keep");
    reporting_html_framework_note (self, "social_value.frameworks");
    fputs ("</section>\n", out);
}

void
reporting_html_annual_body (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    reporting_html_page_open (self, "Social value report");
    int64_t total, local, unknown, additional, delivered, committed, previous;
    reporting_doc_int_at (doc, "spend.total_pence", &total);
    reporting_doc_int_at (doc, "spend.local_pence", &local);
    reporting_doc_int_at (doc, "spend.unknown_locality_pence", &unknown);
    bool compared = reporting_doc_int_at (doc, "spend.additional_local_pence", &additional);
    reporting_doc_int_at (doc, "spend.previous_year_local_pence", &previous);
    reporting_doc_int_at (doc, "social_value.committed_pence", &committed);
    reporting_doc_int_at (doc, "social_value.delivered_pence", &delivered);
    fputs ("<section class=\"cards\" aria-label=\"Headline figures\">\n", out);
    reporting_html_card (out, "Total spend", reporting_html_pounds_short (total, false).text, false,
                         "%s in %s payments", reporting_html_pounds (total).text,
                         reporting_html_count_at (doc, "spend.rows").text);
    reporting_html_card (out, "Spent with local suppliers",
                         reporting_html_pounds_short (local, false).text, false,
                         "%s of all spend: %s",
                         reporting_html_share (reporting_doc_get (doc, "spend.local_share")).text,
                         reporting_html_pounds (local).text);
    reporting_html_card (out, additional < 0? "Change in local spend": "Additional local spend",
                         compared? reporting_html_pounds_short (additional, true).text: "–",
                         additional < 0, "%s locally in %s against %s in %s",
                         reporting_html_pounds_short (local, false).text,
                         reporting_doc_str (doc, "year"),
                         compared? reporting_html_pounds_short (previous, false).text: "–",
                         reporting_doc_str (doc, "spend.previous_year"));
    reporting_html_card (out, "Supplier's locality unknown",
                         reporting_html_pounds_short (unknown, false).text, false,
                         "%s of all spend: %s, counted neither local nor non-local",
                         reporting_html_ratio (unknown, total).text,
                         reporting_html_pounds (unknown).text);
    reporting_html_card (out, "Social value committed",
                         reporting_html_pounds_short (committed, false).text, false,
                         "%s committed by suppliers for %s", reporting_html_pounds (committed).text,
                         reporting_doc_str (doc, "year"));
    reporting_html_card (out, "Social value delivered",
                         reporting_html_pounds_short (delivered, false).text, false,
                         "%s: %s of the value committed", reporting_html_pounds (delivered).text,
                         reporting_html_ratio (delivered, committed).text);
    fputs ("</section>\n", out);
    reporting_html_framework_note (self, "social_value.frameworks");

    s_annual_spend (self);
    s_annual_social_value (self);
    s_annual_contracts (self);
    reporting_html_compliance_rlw_section (self, 4);
    reporting_html_compliance_alerts_section (self, 5, false);
    reporting_method_html (out, doc, 6);

    char how [1024];
    snprintf (how, sizeof how,
              "<dt>What counts</dt><dd>Spend counts in the financial year of its payment date; "
              "a commitment in the year it names; a delivery in the year its period ends. "
              "Local spend is spend with suppliers whose postcode is in a partner's local area; "
              "a supplier whose postcode is not known is counted neither as local nor as "
              "non-local.</dd>\n<dt>Small numbers</dt><dd>Rows for fewer than %" PRId64
              " deliveries are withheld.</dd>\n", self->threshold);
    reporting_html_page_close (self, how);
}
