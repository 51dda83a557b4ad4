/*  socval explain: how one figure of a report is made, down to its lines.

    Reporting answers EXPLAIN_REQUEST with the explanation as JSON
    (services/reporting/EXPLAIN_JSON.md); this file prints it for a person,
    as JSON, or its lines as CSV. Without --all only the largest
    contributors are listed, the rest summarised; with --all the lines are
    fetched page by page and written as they come, so a figure of millions
    of payments never sits in memory whole. Every page must come from the
    same stream offsets: were the store to move on between pages, the
    lines would no longer be one figure's, and the command says so.

    --contract and --supplier narrow the contracts and kpi reports as
    socval report's do. EXPLAIN_REQUEST carries no filters, and a row's
    figures do not depend on them (they only leave rows out), so they are
    applied here: to the row the explanation says its figure is of
    ("element"), a row they leave out being one the report does not have.
*/

#include "socval.h"
#include "sv_csv.h"
#include "sv_money.h"

//  Lines fetched per request with --all
#define S_PAGE 2000

//  Asks reporting for one page of the explanation: the document, parsed,
//  or NULL with the exit code in *rc_p (a message printed)
static json_t *
s_fetch (sv_config_t *config, socval_options_t *options, sv_proto_explain_request_t *request,
         int *rc_p)
{
    sv_proto_t message = { .id = SV_PROTO_EXPLAIN_REQUEST, .explain_request = *request };
    sv_proto_t reply = { .id = 0 };
    json_t *document = NULL;
    *rc_p = socval_control_request (config, "reporting", &message, options->timeout_s, &reply);
    if (*rc_p == 0 && reply.id == SV_PROTO_ERROR) {
        fprintf (stderr, "socval: %s\n", reply.error.reason);
        *rc_p = 1;
    }
    else
    if (*rc_p == 0 && reply.id != SV_PROTO_EXPLANATION) {
        fprintf (stderr, "socval: reporting does not explain figures (an older release?)\n");
        *rc_p = 1;
    }
    else
    if (*rc_p == 0) {
        json_error_t error;
        document = json_loadb ((const char *) reply.explanation.document,
                               reply.explanation.document_size, 0, &error);
        if (!document) {
            fprintf (stderr, "socval: reporting's explanation is not JSON: %s\n", error.text);
            *rc_p = 1;
        }
    }
    sv_proto_reset (&reply);
    return document;
}

//  --------------------------------------------------------------------------
//  Output

static const char *
s_text (json_t *object, const char *key)
{
    const char *text = json_string_value (json_object_get (object, key));
    return text? text: "";
}

//  A value of the figure's unit for a person: pence as pounds, counts and
//  quantities as numbers
static void
s_print_value (FILE *out, const char *figure, json_t *value)
{
    char money [SV_MONEY_BUF];
    bool pence = strstr (figure, "_pence") != NULL;
    if (json_is_integer (value) && pence)
        fprintf (out, "%s", sv_money_format (json_integer_value (value), money, sizeof money));
    else
    if (json_is_integer (value))
        fprintf (out, "%" JSON_INTEGER_FORMAT, json_integer_value (value));
    else
    if (json_is_real (value))
        fprintf (out, "%.3f", json_real_value (value));
    else
        fprintf (out, "null");
}

//  One CSV cell from a JSON value: strings as they are, numbers exactly,
//  true/false, null empty
static void
s_csv_cell (FILE *out, json_t *value)
{
    if (json_is_string (value))
        sv_csv_write_field (out, json_string_value (value));
    else
    if (json_is_integer (value))
        fprintf (out, "%" JSON_INTEGER_FORMAT, json_integer_value (value));
    else
    if (json_is_real (value))
        fprintf (out, "%.3f", json_real_value (value));
    else
    if (json_is_boolean (value))
        fputs (json_is_true (value)? "true": "false", out);
}

//  One CSV line of row: its member names (header true) or its values
static void
s_csv_line (FILE *out, json_t *row, bool header)
{
    const char *key;
    json_t *value;
    bool first = true;
    json_object_foreach (row, key, value) {
        if (!first)
            fputc (',', out);
        if (header)
            sv_csv_write_field (out, key);
        else
            s_csv_cell (out, value);
        first = false;
    }
    fputs ("\r\n", out);
}

//  One line for a person: what it adds, where it was read from, and how
//  it was placed (a payment) or valued (a valued line)
static void
s_print_row (FILE *out, const char *figure, json_t *row)
{
    fprintf (out, "  ");
    s_print_value (out, figure, json_object_get (row, "adds"));
    json_t *seq = json_object_get (row, "source_seq");
    char source [64] = "not held";
    if (json_is_integer (seq))
        snprintf (source, sizeof source, "%" JSON_INTEGER_FORMAT, json_integer_value (seq));
    fprintf (out, "  %s %s (ingest seq %s)\n", s_text (row, "partner"), s_text (row, "line"),
             source);
    if (json_object_get (row, "payment_date")) {
        const char *key = s_text (row, "supplier_key");
        fprintf (out, "      paid %s to %s%s%s%s\n", s_text (row, "payment_date"),
                 s_text (row, "supplier"), *key? " (": "", key, *key? ")": "");
        const char *reason = s_text (row, "locality_reason");
        const char *directory = s_text (row, "directory");
        fprintf (out, "      %s%s%s%s%s: %s%s%s%s\n", s_text (row, "locality"),
                 *s_text (row, "ward_code")? ", ward ": "", s_text (row, "ward_code"),
                 *s_text (row, "ward_name")? " ": "", s_text (row, "ward_name"),
                 *s_text (row, "postcode")? "postcode ": "", s_text (row, "postcode"),
                 *s_text (row, "postcode")? ", ": "",
                 *reason? reason: "why not recorded (valued before valuation said why)");
        //  Said once, until a line was placed with another
        static char said [256] = "";
        if (*directory && strcmp (said, directory) != 0) {
            fprintf (out, "      postcode directory: %s\n", directory);
            snprintf (said, sizeof said, "%s", directory);
        }
    }
    else {
        fprintf (out, "      %s %s on contract %s (%s), %s%s%s\n", s_text (row, "kind"),
                 s_text (row, "measure"), s_text (row, "contract"), s_text (row, "supplier"),
                 s_text (row, "year"), *s_text (row, "evidence")? ", ": "",
                 s_text (row, "evidence"));
        char money [SV_MONEY_BUF];
        json_t *proxy = json_object_get (row, "proxy_pence");
        fprintf (out, "      %.3f x proxy %s (%s %s, proxy year %s) = ",
                 json_number_value (json_object_get (row, "quantity")),
                 json_is_integer (proxy)? sv_money_format (json_integer_value (proxy), money,
                                                           sizeof money): "not held",
                 s_text (row, "framework"), s_text (row, "framework_version"),
                 s_text (row, "proxy_year"));
        fprintf (out, "%s\n", sv_money_format (json_integer_value (
            json_object_get (row, "value_pence")), money, sizeof money));
        if (*s_text (row, "ward") || *s_text (row, "beneficiary_group"))
            fprintf (out, "      ward %s%s%s, group %s\n",
                     *s_text (row, "ward_name")? s_text (row, "ward_name"): s_text (row, "ward"),
                     *s_text (row, "ward_name")? " ": "",
                     *s_text (row, "ward_name")? s_text (row, "ward"): "",
                     *s_text (row, "beneficiary_group")? s_text (row, "beneficiary_group"): "-");
    }
}

//  What the lines rest on, for a person: the evidence states counted and
//  not, the frameworks, the local-area rules
static void
s_print_basis (FILE *out, const char *figure, json_t *document)
{
    size_t index;
    json_t *item;
    json_t *states = json_object_get (document, "evidence");
    if (states) {
        fprintf (out, "Evidence states of the deliveries this figure takes:\n");
        json_array_foreach (states, index, item) {
            char money [SV_MONEY_BUF];
            fprintf (out, "  %-10s %s: %" JSON_INTEGER_FORMAT " lines, %s\n",
                     json_is_true (json_object_get (item, "flagged"))? "flagged"
                                                                    : s_text (item, "evidence"),
                     json_is_true (json_object_get (item, "counted"))? "counted"
                                                                    : "excluded",
                     json_integer_value (json_object_get (item, "lines")),
                     sv_money_format (json_integer_value (json_object_get (item, "value_pence")),
                                      money, sizeof money));
        }
    }
    json_t *frameworks = json_object_get (document, "frameworks");
    json_array_foreach (frameworks, index, item) {
        fprintf (out, "Framework: %s version %s%s, proxy years", s_text (item, "id"),
                 s_text (item, "version"),
                 json_is_true (json_object_get (item, "illustrative"))? " (illustrative)": "");
        size_t year;
        json_t *name;
        json_array_foreach (json_object_get (item, "proxy_years"), year, name)
            fprintf (out, " %s", json_string_value (name));
        fprintf (out, "\n");
    }
    json_t *area = json_object_get (document, "local_area");
    if (area) {
        const char *partner;
        json_t *rules;
        json_object_foreach (area, partner, rules)
            if (json_is_object (rules))
                fprintf (out, "Local area of %s: districts '%s', authorities '%s'\n", partner,
                         s_text (rules, "local_districts"), s_text (rules, "local_authorities"));
        if (*s_text (area, "postcode_lookup"))
            fprintf (out, "Postcode directory configured: %s\n", s_text (area, "postcode_lookup"));
    }
    (void) figure;
}

static void
s_print_head (FILE *out, const char *figure, json_t *document)
{
    json_t *offsets = json_object_get (document, "offsets");
    fprintf (out, "%s = ", figure);
    s_print_value (out, figure, json_object_get (document, "value"));
    fprintf (out, "\n  %s report %s, %s; stream offsets ingest %" JSON_INTEGER_FORMAT
             ", valuation %" JSON_INTEGER_FORMAT ", compliance %" JSON_INTEGER_FORMAT "\n",
             s_text (document, "report"), s_text (document, "year"),
             s_text (document, "partner"),
             json_integer_value (json_object_get (offsets, "ingest")),
             json_integer_value (json_object_get (offsets, "valuation")),
             json_integer_value (json_object_get (offsets, "compliance")));
    if (json_is_false (json_object_get (document, "traceable")))
        return;
    fprintf (out, "Made of: %s\n", s_text (document, "made_of"));
    s_print_basis (out, figure, document);
    fprintf (out, "%" JSON_INTEGER_FORMAT " lines, summing to ",
             json_integer_value (json_object_get (document, "rows_total")));
    s_print_value (out, figure, json_object_get (document, "sum"));
    fprintf (out, "%s\nSource: %s\n\n",
             json_is_true (json_object_get (document, "sum_equals_value"))?
             ", the report's figure to the penny": ": NOT the report's figure",
             s_text (document, "source"));
}

//  Whether the row explanation's figure is of (its "element") passes the
//  --contract and --supplier filters, as the contracts report applies
//  them (a contract id; a supplier's key or name, exactly); if not, says
//  so on stderr
static bool
s_row_wanted (json_t *explanation, const char *figure, const char *contract,
              const char *supplier)
{
    json_t *element = json_object_get (explanation, "element");
    if ((!*contract && !*supplier) || !element)
        return true;
    bool wanted = !*contract || streq (s_text (element, "contract"), contract);
    if (wanted && *supplier && !streq (s_text (element, "supplier"), supplier)) {
        //  The key is on the row's lines, not the row
        wanted = false;
        size_t index;
        json_t *row;
        json_array_foreach (json_object_get (explanation, "rows"), index, row)
            wanted = wanted || streq (s_text (row, "supplier_key"), supplier);
    }
    if (!wanted)
        fprintf (stderr, "socval: %s is of contract %s (supplier %s), which %s%s%s%s%s leaves"
                 " out of the report\n", figure, s_text (element, "contract"),
                 s_text (element, "supplier"), *contract? "--contract ": "", contract,
                 *contract && *supplier? " ": "", *supplier? "--supplier ": "", supplier);
    return wanted;
}

//  --------------------------------------------------------------------------
//  The verb

int
socval_explain (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval explain KIND [--year 2024-25] [--partner NAME] FIGURE\n"
        "                      [--contract ID] [--supplier KEY-OR-NAME]\n"
        "                      [--json | --csv] [--all]\n"
        "  KIND: annual | partnership | contracts | kpi\n"
        "  How one figure of the report is made: the payments or valued lines that\n"
        "  add up to it, what each was read from (partner, its key, the ingest event),\n"
        "  the proxy and framework it was valued with or the postcode and rule that\n"
        "  placed it, the evidence states counted and excluded, and their sum, which\n"
        "  equals the report's figure to the penny.\n"
        "  FIGURE is the figure's path in the report's JSON, a list's element picked\n"
        "  by its key: spend.local_pence, social_value.by_measure[NT10].delivered_pence,\n"
        "  spend.by_ward[Boston Castle].local_pence (see socval report KIND --format json);\n"
        "  a measure also by framework and code, by_measure[FRAMEWORK/NT10], when two\n"
        "  frameworks use one code. A contracts row is picked by\n"
        "  PARTNER/CONTRACT/FRAMEWORK/MEASURE, or as much of it as names one row:\n"
        "  contracts[council/C-1/toms/NT1].delivered_pence, contracts[C-1/NT1].claimed;\n"
        "  a KPI by PARTNER/CONTRACT/KPI: kpis[C-1/SV-NT10].actual_qty.\n"
        "  --contract and --supplier narrow the contracts and kpi reports, as in\n"
        "  socval report.\n"
        "  Lists the 20 largest lines and sums the rest; --all lists every line.\n"
        "  --json prints {\"figure\", \"value\", \"sum\", \"rows_total\", \"rows\": [...], ...};\n"
        "  --csv prints the lines alone, one row each.\n"
        "  Exit 1 for a figure the report does not have (naming the nearest it has),\n"
        "  or one that is not made of lines (a share, a count of contracts, a status,\n"
        "  a rating, a target the KPI feed gave), saying why.\n";
    const char *kind = NULL, *figure = NULL;
    socval_scope_t scope = { "", "", "", "" };
    bool csv = false, all = false;
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (socval_scope_arg (&scope, argc, argv, &arg))
            ;
        else
        if (streq (argv [arg], "--csv"))
            csv = true;
        else
        if (streq (argv [arg], "--all"))
            all = true;
        else
        if (!kind && argv [arg][0] != '-')
            kind = argv [arg];
        else
        if (!figure && argv [arg][0] != '-')
            figure = argv [arg];
        else
            return socval_usage (usage);
    }
    if (!kind || !figure || (csv && options->json))
        return socval_usage (usage);
    if ((*scope.contract || *scope.supplier) && !streq (kind, "contracts")
    &&  !streq (kind, "kpi")) {
        fprintf (stderr, "socval: --contract and --supplier narrow the contracts and kpi"
                 " reports only, not %s\n", kind);
        return 2;
    }
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    sv_proto_explain_request_t request = {
        .kind = (char *) kind, .year = (char *) scope.year,
        .partner = (char *) (streq (scope.partner, "all")? "": scope.partner),
        .figure = (char *) figure,
        .after = 0, .max = all? S_PAGE: 0
    };
    int rc = 0;
    json_t *document = s_fetch (config, options, &request, &rc);
    if (document && !s_row_wanted (document, figure, scope.contract, scope.supplier)) {
        json_decref (document);
        document = NULL;
        rc = 1;
    }
    bool traceable = document && !json_is_false (json_object_get (document, "traceable"));
    if (traceable && !json_is_true (json_object_get (document, "sum_equals_value"))) {
        //  Never shown as an explanation: the lines are not the figure's
        fprintf (stderr, "socval: the lines of %s do not sum to the report's figure: a fault"
                 " in reporting, please report it\n", figure);
        json_decref (document);
        document = NULL;
        rc = 1;
    }
    if (document && json_is_false (json_object_get (document, "traceable"))) {
        if (options->json) {
            json_dumpf (document, stdout, JSON_INDENT (2) | JSON_REAL_PRECISION (15));
            printf ("\n");
        }
        else
            s_print_head (stdout, figure, document);
        fprintf (stderr, "socval: %s is not traceable: %s\n", figure,
                 s_text (document, "why"));
        rc = 1;
    }
    else
    if (document && !all) {
        json_t *rows = json_object_get (document, "rows");
        size_t index;
        json_t *row;
        if (options->json) {
            json_dumpf (document, stdout, JSON_INDENT (2) | JSON_REAL_PRECISION (15));
            printf ("\n");
        }
        else
        if (csv) {
            if (json_array_size (rows))
                s_csv_line (stdout, json_array_get (rows, 0), true);
            json_array_foreach (rows, index, row)
                s_csv_line (stdout, row, false);
        }
        else {
            s_print_head (stdout, figure, document);
            json_array_foreach (rows, index, row)
                s_print_row (stdout, figure, row);
            json_t *rest = json_object_get (document, "rest");
            if (json_integer_value (json_object_get (rest, "lines")) > 0) {
                printf ("  ... %" JSON_INTEGER_FORMAT " more lines adding ",
                        json_integer_value (json_object_get (rest, "lines")));
                s_print_value (stdout, figure, json_object_get (rest, "sum"));
                printf (" (--all lists them)\n");
            }
        }
    }
    else
    if (document) {
        //  Every line, a page at a time, each page from the same offsets
        json_t *head = json_deep_copy (document);
        json_object_del (head, "rows");
        json_object_del (head, "rest");
        json_object_del (head, "rows_listed");
        json_object_del (head, "after");
        json_t *offsets = json_object_get (head, "offsets");
        if (options->json) {
            //  The head's members, then the lines as they come
            char *text = json_dumps (head, JSON_INDENT (2) | JSON_REAL_PRECISION (15));
            text [strlen (text) - 2] = 0;       //  drop "\n}"
            printf ("%s,\n  \"rows\": [", text);
            free (text);
        }
        else
        if (!csv)
            s_print_head (stdout, figure, head);
        uint64_t done = 0;
        while (document && rc == 0) {
            if (!json_equal (offsets, json_object_get (document, "offsets"))) {
                fprintf (stderr, "socval: reporting took in more data while the lines were"
                         " listed; run again for one figure's lines\n");
                rc = 1;
                break;
            }
            json_t *rows = json_object_get (document, "rows");
            size_t index;
            json_t *row;
            json_array_foreach (rows, index, row) {
                if (options->json) {
                    char *text = json_dumps (row, JSON_COMPACT | JSON_REAL_PRECISION (15));
                    printf ("%s\n    %s", done + index? ",": "", text);
                    free (text);
                }
                else
                if (csv) {
                    if (done + index == 0)
                        s_csv_line (stdout, row, true);
                    s_csv_line (stdout, row, false);
                }
                else
                    s_print_row (stdout, figure, row);
            }
            size_t listed = json_array_size (rows);
            done += listed;
            json_decref (document);
            document = NULL;
            if (listed == 0 || done >= (uint64_t) json_integer_value (
                    json_object_get (head, "rows_total")))
                break;
            request.after = done;
            document = s_fetch (config, options, &request, &rc);
        }
        if (options->json && rc == 0)
            printf ("\n  ]\n}\n");
        json_decref (head);
    }
    json_decref (document);
    sv_config_destroy (&config);
    return rc;
}
