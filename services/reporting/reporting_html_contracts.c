/*  =========================================================================
    reporting_html_contracts - the contracts and kpi reports' pages

    Both show one table per partner, each contract a group of rows under
    a heading row: the contracts report a row per measure committed, with
    what was delivered, the evidence, the returns and the status; the kpi
    report a row per KPI, with its target, actual and rating. Internal to
    reporting_render.
    =========================================================================
*/

#include "reporting_html.h"
#include <inttypes.h>


//  --------------------------------------------------------------------------
//  html: tables grouped by contract, one a partner

//  Opens a table of rows grouped under heading rows (a contract's), with
//  its caption and the column headings (th cells, as html)
static void
s_grouped_open (FILE *out, const char *caption, const char *headings)
{
    reporting_html_table_open (out, "contracts");
    reporting_html_tag (out, "<caption>", caption, "</caption>\n");
    fprintf (out, "<thead><tr>%s</tr></thead>\n", headings);
}

//  Opens the group of row's contract: its heading row, across columns,
//  up to the supplier in the aside, which the caller closes (</span></th>
//  </tr>) after what else it adds there
static void
s_group_open (FILE *out, const json_t *row, int columns)
{
    fprintf (out, "<tbody>\n<tr class=\"group\"><th colspan=\"%d\" scope=\"rowgroup\">",
             columns);
    reporting_html_tag (out, "<span class=\"code\">", reporting_doc_str (row, "contract"),
                        "</span> ");
    reporting_html_esc (out, reporting_doc_str (row, "title"));
    reporting_html_tag (out, "<span class=\"aside\">", reporting_doc_str (row, "supplier"), "");
}

//  Draws rows (each with "partner") as one table per partner, in the
//  document's order of partners, each captioned with the partner's name;
//  one table captioned caption when there is no row at all
typedef void (s_rows_table_fn) (reporting_html_t *self, const json_t *rows, const char *caption);

static void
s_per_partner (reporting_html_t *self, const json_t *rows, s_rows_table_fn *table,
               const char *caption)
{
    size_t index, tables = 0;
    json_t *partner;
    json_array_foreach (reporting_doc_get (self->doc, "partners"), index, partner) {
        json_t *own = json_array ();
        size_t at;
        json_t *row;
        json_array_foreach (rows, at, row)
            if (json_equal (json_object_get (row, "partner"), partner))
                json_array_append (own, row);
        if (json_array_size (own)) {
            table (self, own,
                   reporting_html_partner_named (self->doc, json_string_value (partner)));
            tables++;
        }
        json_decref (own);
    }
    if (!tables)
        table (self, rows, caption);
}

//  A value cell of the contracts table: the pence, or "not valued" when
//  valuation could not value some of the row's lines (unvalued_key counts
//  them), since £0 would read as nothing committed
static void
s_contract_value (FILE *out, const json_t *row, const char *pence_key, const char *unvalued_key)
{
    int64_t unvalued = json_integer_value (json_object_get (row, unvalued_key));
    int64_t pence = json_integer_value (json_object_get (row, pence_key));
    if (unvalued > 0 && pence == 0)
        fputs ("<td class=\"num withheld\">not valued</td>", out);
    else
    if (unvalued > 0)
        fprintf (out, "<td class=\"num\">%s<span class=\"aside\">%s not valued</span></td>",
                 reporting_html_pounds (pence).text, unvalued == 1? "a line": "lines");
    else
        fprintf (out, "<td class=\"num\">%s</td>", reporting_html_pounds (pence).text);
}

//  One partner's rows of the contracts report: a heading row for each
//  contract (id, title, supplier, dates), then a row for each measure,
//  named as the framework words it, with what was committed and delivered,
//  the evidence, the returns, the status and the change on last year
static void
s_contracts_table (reporting_html_t *self, const json_t *rows, const char *caption)
{
    FILE *out = self->out;
    s_grouped_open (out, caption, "<th>Measure</th><th class=\"num\">Committed</th>"
        "<th class=\"num\">Delivered</th><th class=\"num\">Value committed</th>"
        "<th class=\"num\">Value delivered</th><th>Evidence</th><th>Latest return</th>"
        "<th>Status</th><th class=\"num\">Change on last year</th>");
    const char *contract = NULL;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!contract || !streq (contract, reporting_doc_str (row, "contract"))) {
            if (contract)
                fputs ("</tbody>\n", out);
            contract = reporting_doc_str (row, "contract");
            s_group_open (out, row, 9);
            const char *start = reporting_doc_date_at (row, "start_date"),
                       *end = reporting_doc_date_at (row, "end_date");
            if (start && end) {
                fputs (", ", out);
                reporting_html_tag (out, "<span class=\"nowrap\">",
                                    reporting_html_date (start, false).text, "</span> to ");
                reporting_html_tag (out, "<span class=\"nowrap\">",
                                    reporting_html_date (end, false).text, "</span>");
            }
            fputs ("</span></th></tr>\n", out);
        }
        const char *unit = reporting_doc_str (row, "unit");
        reporting_html_tag (out, "<tr><td><span class=\"code\">",
                            reporting_doc_str (row, "measure"), "</span>");
        reporting_html_tag (out, "<span class=\"aside\">", reporting_doc_str (row, "description"),
                            "</span></td>");
        reporting_html_tag (out, "<td class=\"num\">",
                            reporting_html_quantity (json_object_get (row, "committed_qty"),
                                                     unit).text, "</td>");
        reporting_html_tag (out, "<td class=\"num\">",
                            reporting_html_quantity (json_object_get (row, "delivered_qty"),
                                                     unit).text, "</td>");
        s_contract_value (out, row, "committed_pence", "committed_unvalued");
        s_contract_value (out, row, "delivered_pence", "delivered_unvalued");
        //  The returns counted in each evidence state, strongest first
        fputs ("<td>", out);
        const char *states [] = { "validated", "evidenced", "claimed" };
        bool any = false;
        for (size_t state = 0; state < 3; state++) {
            int64_t count = json_integer_value (json_object_get (row, states [state]));
            if (count > 0)
                fprintf (out, "%s<span class=\"nowrap\">%s %s</span>", any? ", ": "",
                         reporting_html_count (count).text, states [state]);
            any = any || count > 0;
        }
        fputs (any? "</td>": "none counted</td>", out);
        const char *last = reporting_doc_date_at (row, "last_return_end");
        const char *due = reporting_doc_date_at (row, "next_return_due");
        fputs ("<td>", out);
        reporting_html_tag (out, last? "<span class=\"nowrap\">to ": "",
                            last? reporting_html_date (last, false).text: "none yet",
                            last? "</span>": "");
        if (due)
            reporting_html_tag (out, "<span class=\"aside\">next due ",
                                reporting_html_date (due, false).text, "</span>");
        fputs ("</td><td>", out);
        reporting_html_badge (out, reporting_doc_str (row, "status"));
        if (*reporting_doc_str (row, "status_reason"))
            reporting_html_tag (out, "<span class=\"aside\">",
                                reporting_doc_str (row, "status_reason"), "</span>");
        reporting_html_tag (out, "</td><td class=\"num\">",
                            reporting_html_share (json_object_get (row, "delivered_change")).text,
                            "</td></tr>\n");
    }
    if (!contract)
        fputs ("<tbody>\n<tr><td colspan=\"9\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}

//  The status rule in the words REPORT_JSON.md uses, with the document's
//  own parameters, then a table a partner
void
reporting_html_contracts_body (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    reporting_html_page_open (self, "Contract management");
    int64_t tolerance = 0, months = 0, grace = 0;
    reporting_doc_int_at (doc, "rules.shortfall_tolerance_pct", &tolerance);
    reporting_doc_int_at (doc, "rules.return_period_months", &months);
    reporting_doc_int_at (doc, "rules.overdue_grace_days", &grace);
    fputs ("<section id=\"status\">\n<h2>How the status is set</h2>\n<p class=\"lede\">", out);
    reporting_html_escf (out, "As of %s, by compliance's rules. Red: an open delivery shortfall "
                         "or overdue alert on the contract, delivery more than %" PRId64 "%% "
                         "below the commitment pro rata to the time the contract has run, or a "
                         "%" PRId64 "-monthly return more than %" PRId64 " days late. Amber: "
                         "delivery below the commitment pro rata but within that tolerance, or "
                         "a return period ended whose return is not in but still within its "
                         "%" PRId64 " days. Green otherwise. Quantities and values are the "
                         "year's; the change is delivered value against the previous year's.",
                         reporting_doc_str (doc, "rules.as_of"), tolerance, months, grace, grace);
    fputs ("</p>\n</section>\n<section id=\"contracts\">\n<h2>Contracts</h2>\n", out);
    s_per_partner (self, reporting_doc_get (doc, "contracts"), s_contracts_table, "Contracts");
    fputs ("</section>\n", out);
    reporting_html_page_close (self, NULL);
}

//  One partner's KPIs: a heading row for each contract (id, title,
//  supplier), then a row for each KPI with its target, the target to
//  date, the actual, the performance and its rating, coloured as the
//  contracts report colours its status
static void
s_kpi_table (reporting_html_t *self, const json_t *rows, const char *caption)
{
    static const struct {
        const char *rating, *colour;
    } colours [] = {
        { "Good", "green" }, { "Approaching target", "amber" },
        { "Requires improvement", "amber" }, { "Inadequate", "red" }
    };
    FILE *out = self->out;
    s_grouped_open (out, caption, "<th>KPI</th><th class=\"num\">Target</th>"
        "<th class=\"num\">Target to date</th><th class=\"num\">Actual</th>"
        "<th class=\"num\">Performance</th><th>Rating</th>");
    const char *contract = NULL;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!contract || !streq (contract, reporting_doc_str (row, "contract"))) {
            fputs (contract? "</tbody>\n": "", out);
            contract = reporting_doc_str (row, "contract");
            s_group_open (out, row, 6);
            fputs ("</span></th></tr>\n", out);
        }
        const char *unit = reporting_doc_str (row, "unit");
        reporting_html_tag (out, "<tr><td><span class=\"code\">", reporting_doc_str (row, "kpi"),
                            "</span>");
        reporting_html_tag (out, "<span class=\"aside\">", reporting_doc_str (row, "name"),
                            "</span></td>");
        const char *quantities [] = { "target_qty", "period_target_qty", "actual_qty" };
        for (size_t at = 0; at < 3; at++)
            reporting_html_tag (out, "<td class=\"num\">",
                                reporting_html_quantity (json_object_get (row, quantities [at]),
                                                         unit).text, "</td>");
        int64_t pct;
        if (reporting_doc_int_at (row, "performance_pct", &pct))
            fprintf (out, "<td class=\"num\">%" PRId64 "%%</td>", pct);
        else
            fputs ("<td class=\"num withheld\">–</td>", out);
        const char *rating = reporting_doc_str (row, "rating"), *colour = "low";
        for (size_t at = 0; at < sizeof colours / sizeof colours [0]; at++)
            if (streq (rating, colours [at].rating))
                colour = colours [at].colour;
        fprintf (out, "<td><span class=\"badge %s\">", colour);
        reporting_html_esc (out, rating);
        fputs ("</span></td></tr>\n", out);
    }
    fputs (contract? "</tbody>\n": "<tbody>\n<tr><td colspan=\"6\" class=\"withheld\">None."
                                    "</td></tr>\n</tbody>\n", out);
    reporting_html_table_close (out);
}

//  The kpi report: the rule, then each partner's KPIs with their ratings
void
reporting_html_contracts_kpi_body (reporting_html_t *self)
{
    FILE *out = self->out;
    reporting_html_page_open (self, "Contract performance (Procurement Act KPIs)");
    fputs ("<section id=\"rule\">\n<h2>How KPIs are rated</h2>\n<p class=\"lede\">", out);
    int64_t good = 0, approaching = 0, improvement = 0;
    reporting_doc_int_at (self->doc, "rating_rule.good_pct", &good);
    reporting_doc_int_at (self->doc, "rating_rule.approaching_pct", &approaching);
    reporting_doc_int_at (self->doc, "rating_rule.improvement_pct", &improvement);
    reporting_html_escf (out, "As of %s: performance is %s; the target is %s. Good at %" PRId64
                         "%% or more, Approaching target at %" PRId64 "%% or more, Requires "
                         "improvement at %" PRId64 "%% or more, Inadequate below; Other with no "
                         "actual or no target. The OCDS release package for publication is the "
                         "json of this report.",
                         reporting_doc_str (self->doc, "rating_rule.as_of"),
                         reporting_doc_str (self->doc, "rating_rule.performance"),
                         reporting_doc_str (self->doc, "rating_rule.target_for_period"), good,
                         approaching, improvement);
    fputs ("</p>\n</section>\n<section id=\"kpis\">\n<h2>KPIs</h2>\n", out);
    s_per_partner (self, reporting_doc_get (self->doc, "kpis"), s_kpi_table, "KPIs");
    fputs ("</section>\n", out);
    reporting_html_page_close (self, NULL);
}
