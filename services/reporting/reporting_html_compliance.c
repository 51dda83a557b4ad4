/*  =========================================================================
    reporting_html_compliance - what compliance found, as html: the
    rlw-scope and alerts reports, and their sections in the annual and
    partnership reports

    The contracts in Real Living Wage scope (those with neither a
    commitment nor an accredited supplier highlighted), the partners' own
    renewals and the pending rate's deadline; the alerts by rule, and by
    state with the most severe first. Internal to reporting_render.
    =========================================================================
*/

#include "reporting_html.h"
#include <inttypes.h>


//  --------------------------------------------------------------------------
//  html: rules, alerts and the contracts in scope

//  What each compliance rule means, for people
static const char *s_rules [][2] = {
    { "rlw.missing_commitment", "Real Living Wage commitment missing" },
    { "rlw.accreditation_lapsed", "Real Living Wage accreditation lapsed" },
    { "rlw.renewal_due", "Real Living Wage renewal due" },
    { "delivery.shortfall", "Delivery below commitment" },
    { "delivery.overdue", "Delivery return overdue" },
};

//  A rule's label for people, then a line break; nothing when unknown
static void
s_rule_label (FILE *out, const char *rule)
{
    for (size_t index = 0; index < sizeof s_rules / sizeof s_rules [0]; index++)
        if (streq (s_rules [index][0], rule))
            fprintf (out, "%s<br/>", s_rules [index][1]);
}

//  A rule's label with its name beneath (the name alone when unknown)
static void
s_rule (FILE *out, const char *rule)
{
    s_rule_label (out, rule);
    reporting_html_tag (out, "<span class=\"code\">", rule, "</span>");
}

//  Contract code, title and partner in one cell
static void
s_contract_cell (FILE *out, const json_t *row)
{
    reporting_html_tag (out, "<td><span class=\"code\">", reporting_doc_str (row, "contract"),
                        "</span>");
    if (*reporting_doc_str (row, "title"))
        reporting_html_tag (out, "<br/>", reporting_doc_str (row, "title"), "");
    reporting_html_tag (out, "<span class=\"aside\">", reporting_html_partner_of (row),
                        "</span></td>");
}

//  The contracts in Real Living Wage scope, those missing highlighted.
//  Fewer columns than the csv: a contract's dates, and an accreditation
//  with its expiry, share a cell, so the table fits an A4 page.
static void
s_rlw_table (reporting_html_t *self)
{
    FILE *out = self->out;
    json_t *contracts = reporting_doc_get (self->doc, "rlw.contracts");
    reporting_html_table_open (out, NULL);
    fputs ("<caption>Contracts in Real Living Wage scope</caption>\n<thead><tr>"
           "<th>Contract</th><th>Supplier</th><th>Category</th><th class=\"num\">Value</th>"
           "<th>Runs</th><th>Why in scope</th><th>Commitment</th><th>Accredited</th>"
           "<th>State</th></tr></thead>\n<tbody>\n", out);
    size_t index;
    json_t *row;
    json_array_foreach (contracts, index, row) {
        const char *state = reporting_doc_str (row, "state");
        fputs (streq (state, "missing")? "<tr class=\"missing\">": "<tr>", out);
        s_contract_cell (out, row);
        reporting_html_tag (out, "<td>", reporting_doc_str (row, "supplier"), "</td>");
        reporting_html_tag (out, "<td>", reporting_doc_str (row, "category"), "</td>");
        int64_t value;
        fprintf (out, "<td class=\"num\">%s</td><td>",
                 reporting_doc_int_at (row, "value_pence", &value)?
                 reporting_html_pounds (value).text: "–");
        const char *start = reporting_doc_date_at (row, "start_date");
        const char *end = reporting_doc_date_at (row, "end_date");
        if (start && end) {
            reporting_html_tag (out, "<span class=\"nowrap\">",
                                reporting_html_date (start, false).text, "</span> to ");
            reporting_html_tag (out, "<span class=\"nowrap\">",
                                reporting_html_date (end, false).text, "</span>");
        }
        else
        if (start || end) {
            fputs (start? "from ": "to ", out);
            reporting_html_tag (out, "<span class=\"nowrap\">",
                                reporting_html_date (start? start: end, false).text, "</span>");
            fputs (start? ", end not known": ", start not known", out);
        }
        else
            fputs ("dates not known", out);
        reporting_html_tag (out, "</td><td>", reporting_doc_str (row, "reason"), "</td>");
        fprintf (out, "<td>%s</td><td>",
                 json_is_true (json_object_get (row, "rlw_commitment"))? "Yes": "No");
        const char *expiry = reporting_doc_date_at (row, "accreditation_expiry");
        if (json_is_true (json_object_get (row, "accredited")) && expiry)
            reporting_html_tag (out, "Yes, to <span class=\"nowrap\">",
                                reporting_html_date (expiry, false).text, "</span>");
        else
            fputs (json_is_true (json_object_get (row, "accredited"))? "Yes": "No", out);
        fputs ("</td><td>", out);
        reporting_html_badge (out, state);
        fputs ("</td></tr>\n", out);
    }
    if (json_array_size (contracts) == 0)
        fputs ("<tr><td colspan=\"9\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}

//  0 for high, 1 medium, 2 low, 3 anything else (so an unknown severity
//  comes last, never first)
static int
s_severity_rank (const char *severity)
{
    static const char *severities [] = { "high", "medium", "low" };
    int rank = 0;
    while (rank < 3 && !streq (severity, severities [rank]))
        rank++;
    return rank;
}

//  The alerts in one state, most severe first, then in the document's
//  order (rule, then id). An alert id runs to "rule/partner/subject" with
//  no spaces, so it is shown under the rule's label in a smaller line that
//  may break anywhere (class alertid), its full text also in the title:
//  it must never run over the next cell, on screen, narrow, or on A4.
static void
s_alert_table (reporting_html_t *self, const char *state, const char *caption)
{
    FILE *out = self->out;
    json_t *alerts = reporting_doc_get (self->doc, "alerts.list");
    size_t index, shown = 0;
    json_t *row;
    json_array_foreach (alerts, index, row)
        shown += streq (reporting_doc_str (row, "state"), state);
    //  Fixed widths, so the tables of each state line up
    reporting_html_table_open (out, "fixed alerts");
    fprintf (out, "<caption>%s (%zu)</caption>\n<colgroup>"
             "<col class=\"severity\"/><col class=\"alert\"/><col class=\"contract\"/>"
             "<col class=\"supplier\"/><col class=\"message\"/>"
             "</colgroup>\n<thead><tr><th>Severity</th><th>Alert</th>"
             "<th>Contract</th><th>Supplier</th><th>Message</th>"
             "</tr></thead>\n<tbody>\n", caption, shown);
    for (int rank = 0; rank <= 3; rank++)
        json_array_foreach (alerts, index, row) {
            if (!streq (reporting_doc_str (row, "state"), state)
            ||  s_severity_rank (reporting_doc_str (row, "severity")) != rank)
                continue;
            fputs ("<tr><td>", out);
            reporting_html_badge (out, reporting_doc_str (row, "severity"));
            fputs ("</td><td class=\"rule\">", out);
            s_rule_label (out, reporting_doc_str (row, "rule"));
            reporting_html_tag (out, "<span class=\"alertid\" title=\"",
                                reporting_doc_str (row, "alert_id"), "\">");
            reporting_html_tag (out, "", reporting_doc_str (row, "alert_id"), "</span>");
            reporting_html_tag (out, "<span class=\"aside\">raised ",
                                reporting_html_date (reporting_doc_str (row, "at"), false).text,
                                "</span></td>");
            s_contract_cell (out, row);
            reporting_html_tag (out, "<td>", reporting_doc_str (row, "supplier"), "</td>");
            reporting_html_tag (out, "<td class=\"message\">", reporting_doc_str (row, "message"),
                                "");
            if (*reporting_doc_str (row, "measure_name"))
                reporting_html_tag (out, "<span class=\"aside\">Measure: ",
                                    reporting_doc_str (row, "measure_name"), "</span>");
            fputs ("</td></tr>\n", out);
        }
    if (shown == 0)
        fputs ("<tr><td colspan=\"5\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}

//  Open and acknowledged alerts by rule, as the document counts them
static void
s_rule_table (reporting_html_t *self)
{
    FILE *out = self->out;
    json_t *by_rule = reporting_doc_get (self->doc, "alerts.by_rule");
    reporting_html_table_open (out, "keep narrow");
    fputs ("<caption>Open and acknowledged alerts by rule"
           "</caption>\n<thead><tr><th>Rule</th><th class=\"num\">Alerts</th></tr></thead>\n"
           "<tbody>\n", out);
    const char *rule;
    json_t *count;
    json_object_foreach (by_rule, rule, count) {
        fputs ("<tr><td class=\"rule\">", out);
        s_rule (out, rule);
        fprintf (out, "</td><td class=\"num\">%s</td></tr>\n",
                 json_is_integer (count)?
                 reporting_html_count ((int64_t) json_integer_value (count)).text: "–");
    }
    if (json_object_size (by_rule) == 0)
        fputs ("<tr><td colspan=\"2\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
}


//  --------------------------------------------------------------------------
//  html: the sections, and the rlw-scope and alerts reports

//  The partners' own accreditation renewals and the pending rate's uplift
//  deadline, days counted from rlw.as_of; nothing for a document without
//  them (the rlw-scope report)
void
reporting_html_compliance_rlw_dates (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    if (!reporting_doc_get (doc, "rlw.renewals"))
        return;
    reporting_html_table (self, &reporting_doc_rlw_renewals,
                          "The partners' own Real Living Wage accreditation", "keep narrow");
    fputs ("<p class=\"note\">", out);
    int64_t year, uk, london, days;
    const char *deadline = reporting_doc_date_at (reporting_doc_get (doc, "rlw.rate"), "deadline");
    if (reporting_doc_int_at (doc, "rlw.rate.year", &year)
    &&  reporting_doc_int_at (doc, "rlw.rate.uk_pence", &uk)
    &&  reporting_doc_int_at (doc, "rlw.rate.london_pence", &london)
    &&  reporting_doc_int_at (doc, "rlw.rate.days_left", &days) && deadline)
        reporting_html_escf (out, "The Real Living Wage rate for %" PRId64 " (UK £%" PRId64
                             ".%02" PRId64 ", London £%" PRId64 ".%02" PRId64 " an hour) must "
                             "be paid by %s: %" PRId64 " days from %s.", year, uk / 100,
                             uk % 100, london / 100, london % 100,
                             reporting_html_date (deadline, true).text, days,
                             reporting_html_date (reporting_doc_str (doc, "rlw.as_of"), true).text);
    else
        reporting_html_escf (out, "No Real Living Wage rise is pending on %s.",
                             reporting_html_date (reporting_doc_str (doc, "rlw.as_of"), true).text);
    fputs (" Days left are counted from the report's date.</p>\n", out);
}

//  The Real Living Wage counts as a row of figures, then the contracts
void
reporting_html_compliance_rlw_section (reporting_html_t *self, int number)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    int64_t missing;
    reporting_doc_int_at (doc, "rlw.missing_commitment", &missing);
    if (number)
        fprintf (out, "<section id=\"rlw\">\n<h2><span class=\"number\">%d</span>Real Living "
                 "Wage</h2>\n", number);
    else
        fputs ("<section id=\"rlw\">\n<h2>Contracts in scope</h2>\n", out);
    fputs ("<p class=\"lede\">Contracts whose workers regularly work on a partner's premises "
           "are in scope: the supplier should commit to paying the Real Living Wage on the "
           "contract, or hold a current accreditation.</p>\n<ul class=\"stats\">\n", out);
    fprintf (out, "<li><strong>%s</strong>contracts in scope</li>\n"
             "<li><strong>%s</strong>with a commitment</li>\n"
             "<li><strong>%s</strong>with an accredited supplier</li>\n"
             "<li class=\"%s\"><strong>%s</strong>with neither</li>\n</ul>\n",
             reporting_html_count_at (doc, "rlw.in_scope_contracts").text,
             reporting_html_count_at (doc, "rlw.with_commitment").text,
             reporting_html_count_at (doc, "rlw.accredited_supplier").text,
             missing > 0? "bad": "ok",
             reporting_html_count_at (doc, "rlw.missing_commitment").text);
    s_rlw_table (self);
    if (missing > 0)
        fputs ("<p class=\"note\">Highlighted rows are contracts with neither a commitment "
               "nor an accredited supplier.</p>\n", out);
    reporting_html_compliance_rlw_dates (self);
    fputs ("</section>\n", out);
}

static const char *s_states [][2] = {
    { "open", "Open" },
    { "acknowledged", "Acknowledged" },
    { "resolved", "Resolved in the last 90 days" }
};

void
reporting_html_compliance_alerts_section (reporting_html_t *self, int number, bool resolved)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    if (number)
        fprintf (out, "<section id=\"alerts\">\n<h2><span class=\"number\">%d</span>Compliance "
                 "alerts</h2>\n", number);
    else
        fputs ("<section id=\"alerts\">\n", out);
    int64_t open;
    reporting_doc_int_at (doc, "alerts.open", &open);
    fprintf (out, "<ul class=\"stats\">\n<li class=\"%s\"><strong>%s</strong>open</li>\n"
             "<li><strong>%s</strong>acknowledged</li>\n",
             open > 0? "bad": "ok", reporting_html_count_at (doc, "alerts.open").text,
             reporting_html_count_at (doc, "alerts.acknowledged").text);
    if (resolved)
        fprintf (out, "<li><strong>%s</strong>resolved in the last 90 days</li>\n",
                 reporting_html_count_at (doc, "alerts.resolved_recently").text);
    fputs ("</ul>\n", out);
    s_rule_table (self);
    for (size_t state = 0; state < (resolved? 3u: 2u); state++)
        s_alert_table (self, s_states [state][0], s_states [state][1]);
    fputs ("</section>\n", out);
}

void
reporting_html_compliance_rlw_body (reporting_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    reporting_html_page_open (self, "Real Living Wage scope");
    int64_t weeks;
    fputs ("<section id=\"criteria\">\n<h2>How contracts come into scope</h2>\n"
           "<p class=\"lede\">A contract is in scope when the feed flags it so, or when its "
           "category is one of ", out);
    json_t *categories = reporting_doc_get (doc, "criteria.categories");
    if (json_array_size (categories))
        reporting_html_prose_list (out, categories);
    else
        fputs ("(none configured)", out);
    if (reporting_doc_int_at (doc, "criteria.min_weeks", &weeks))
        fprintf (out, " and it runs for %s weeks or more (a contract whose dates are not known "
                 "is counted in, so that it is checked rather than assumed out of scope)",
                 reporting_html_count (weeks).text);
    fputs (". Only contracts active during the year are listed.</p>\n</section>\n", out);
    reporting_html_compliance_rlw_section (self, 0);
    if (json_array_size (reporting_doc_get (doc, "rlw.suggested_by_sic"))) {
        fputs ("<section id=\"suggested\">\n<h2>Suggested by the supplier's SIC codes</h2>\n"
               "<p class=\"lede\">These contracts are not in scope by the category their "
               "feed gives, but Companies House lists their supplier under an activity that "
               "usually is (SIC 2007: cleaning, security, catering, care, facilities). A "
               "suggestion to check, not counted above.</p>\n", out);
        reporting_html_table (self, &reporting_doc_rlw_suggested, "Suggested by SIC code", "keep");
        fputs ("</section>\n", out);
    }
    reporting_html_page_close (self, NULL);
}

void
reporting_html_compliance_alerts_body (reporting_html_t *self)
{
    reporting_html_page_open (self, "Compliance alerts");
    reporting_html_compliance_alerts_section (self, 0, true);
    reporting_html_page_close (self, NULL);
}
