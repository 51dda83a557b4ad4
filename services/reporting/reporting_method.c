/*  reporting_method: the methodology of a report. See reporting_method.h.
*/

#include "reporting_method.h"

//  "a, b and c" of a list of strings; "none" when empty (fresh string)
static char *
s_listed (const json_t *list)
{
    char *text = strdup ("");
    size_t count = json_array_size (list), index;
    const json_t *item;
    json_array_foreach (list, index, item) {
        const char *value = json_string_value (item);
        char *joined = zsys_sprintf ("%s%s%s", text,
                                     index == 0? "": index + 1 == count? " and ": ", ",
                                     value? value: "");
        zstr_free (&text);
        text = joined;
    }
    if (count == 0) {
        zstr_free (&text);
        text = strdup ("none");
    }
    return text;
}

//  The frameworks a report's pounds rest on, in a sentence (fresh string)
static char *
s_frameworks (const json_t *report)
{
    const json_t *frameworks = json_object_get (json_object_get (report, "social_value"),
                                                "frameworks");
    char *text = strdup ("");
    size_t index;
    const json_t *framework;
    bool illustrative = false;
    json_array_foreach (frameworks, index, framework) {
        char *years = s_listed (json_object_get (framework, "proxy_years"));
        const char *id = json_string_value (json_object_get (framework, "id"));
        const char *version = json_string_value (json_object_get (framework, "version"));
        char *joined = zsys_sprintf ("%s%s%s version %s (proxy years %s)", text,
                                     index? "; ": "", id && *id? id: "(none)",
                                     version? version: "", years);
        zstr_free (&years);
        zstr_free (&text);
        text = joined;
        illustrative |= json_is_true (json_object_get (framework, "illustrative"));
    }
    char *sentence = zsys_sprintf ("%s%s%s",
        index? "This year's values rest on ": "No line of this year was valued with a framework",
        text, illustrative? ". The bundled illustrative frameworks' proxy values were invented"
                            " to demonstrate socval and are not real social value."
                          : ".");
    zstr_free (&text);
    return sentence;
}

json_t *
reporting_method (const json_t *report)
{
    assert (report);
    char *counted = s_listed (json_object_get (report, "evidence_counted"));
    json_int_t threshold = json_integer_value (json_object_get (report,
                                                                "small_number_threshold"));
    const json_t *offsets = json_object_get (report, "offsets");
    char *frameworks = s_frameworks (report);
    json_t *method = json_array ();
#define S_PARAGRAPH(HEADING, ...) do { char *text = zsys_sprintf (__VA_ARGS__); \
        json_array_append_new (method, json_pack ("{s:s, s:s}", "heading", HEADING, \
                                                  "text", text)); \
        zstr_free (&text); } while (0)
    S_PARAGRAPH ("Where the figures come from",
        "Every figure is summed from the rows the partners submitted: payments from their"
        " \"spend over £500\" transparency files, contracts, suppliers, and suppliers'"
        " social value commitments and delivery returns. Each row is kept with the partner"
        " that sent it and its place in socval's streams; these figures were built from"
        " the streams up to ingest %" JSON_INTEGER_FORMAT ", valuation %" JSON_INTEGER_FORMAT
        " and compliance %" JSON_INTEGER_FORMAT ", and the same positions give the same"
        " figures. Any figure can be traced to its rows with socval explain.",
        json_integer_value (json_object_get (offsets, "ingest")),
        json_integer_value (json_object_get (offsets, "valuation")),
        json_integer_value (json_object_get (offsets, "compliance")));
    S_PARAGRAPH ("Which year",
        "The financial year runs from 1 April to 31 March. A payment counts in the year of"
        " its payment date, a commitment in the year it names, and a delivery return in"
        " the year its period ends.");
    S_PARAGRAPH ("How local is defined",
        "Each partner defines its local area as a list of postcode districts (such as"
        " S60-S66) and/or its local authority codes, looked up in an ONS postcode directory."
        " A payment is placed by the postcode on the payment, else the supplier's postcode:"
        " a postcode that is missing or not a UK postcode is of unknown locality; one in"
        " the directory is local when its local authority is one of the partner's, when the"
        " partner names authorities; otherwise it is local when its district is in the"
        " partner's list; otherwise its locality is unknown. Spend of unknown locality is"
        " reported as unknown, never as non-local. Wards are the directory's.");
    S_PARAGRAPH ("Which delivery returns count",
        "A return is claimed, evidenced or validated. The delivered figures count returns"
        " in these states: %s; the others are left out and said to be. Lines valuation"
        " could not value (a measure unknown to the framework, or with no proxy for the"
        " year) count in no figure.", counted);
    S_PARAGRAPH ("Valuation and rounding",
        "Money is counted in whole pence. A commitment is valued as its quantity times the"
        " proxy value of its measure for the year it names; a delivery as its quantity"
        " times the proxy value for the year its period ends. Each line is rounded once, to"
        " the penny, half to even, and totals are exact sums of lines. The html report shows"
        " pounds rounded to the nearest pound; its CSV and JSON editions and the open-data"
        " pack give pence exactly. Shares are rounded to four decimal places. %s",
        frameworks);
    S_PARAGRAPH ("Small numbers",
        "Breakdowns by ward and by beneficiary group withhold any row counting fewer than"
        " %" JSON_INTEGER_FORMAT " delivery returns, as public statistics do, after the"
        " spellings of one ward or group are merged. In the open-data pack a delivery"
        " return whose ward or group is so withheld, or that has fewer than that many"
        " returns in the pack, has its ward or group left blank and marked suppressed.",
        threshold);
    S_PARAGRAPH ("Redacted payments",
        "A payment whose supplier the partner withheld (an individual, for example) counts"
        " in every total, but is shown with the supplier \"(redacted)\": no name, no"
        " supplier key and no postcode, so its locality is unknown.");
#undef S_PARAGRAPH
    zstr_free (&counted);
    zstr_free (&frameworks);
    return method;
}

char *
reporting_method_markdown (const json_t *report)
{
    json_t *method = reporting_method (report);
    char *text = zsys_sprintf ("# Methodology: %s\n",
                               json_string_value (json_object_get (report, "title"))?: "");
    size_t index;
    json_t *part;
    json_array_foreach (method, index, part) {
        char *joined = zsys_sprintf ("%s\n## %s\n\n%s\n", text,
                                     json_string_value (json_object_get (part, "heading")),
                                     json_string_value (json_object_get (part, "text")));
        zstr_free (&text);
        text = joined;
    }
    json_decref (method);
    return text;
}

//  text, with the characters XML reserves escaped
static void
s_escaped (FILE *out, const char *text)
{
    for (; *text; text++)
        switch (*text) {
            case '&': fputs ("&amp;", out); break;
            case '<': fputs ("&lt;", out); break;
            case '>': fputs ("&gt;", out); break;
            case '"': fputs ("&quot;", out); break;
            default: fputc (*text, out);
        }
}

void
reporting_method_html (FILE *out, const json_t *report, int number)
{
    assert (out && report);
    json_t *method = reporting_method (report);
    fprintf (out, "<section id=\"methodology\">\n<h2><span class=\"number\">%d</span>"
             "Appendix: methodology</h2>\n", number);
    size_t index;
    json_t *part;
    json_array_foreach (method, index, part) {
        fputs ("<h3>", out);
        s_escaped (out, json_string_value (json_object_get (part, "heading")));
        fputs ("</h3>\n<p>", out);
        s_escaped (out, json_string_value (json_object_get (part, "text")));
        fputs ("</p>\n", out);
    }
    fputs ("</section>\n", out);
    json_decref (method);
}

void
reporting_method_test (bool verbose)
{
    printf (" * reporting_method: ");
    if (verbose)
        printf ("\n");
    json_t *report = json_pack ("{s:s, s:[s, s], s:i, s:{s:i, s:i, s:i},"
                                " s:{s:[{s:s, s:s, s:[s], s:b}]}}",
        "title", "Social value report 2024-25: all partners",
        "evidence_counted", "evidenced", "validated",
        "small_number_threshold", 5,
        "offsets", "ingest", 12, "valuation", 40, "compliance", 3,
        "social_value", "frameworks", "id", "illustrative-rationalised", "version", "2024",
        "proxy_years", "2024-25", "illustrative", true);
    char *markdown = reporting_method_markdown (report);
    if (verbose)
        printf ("%s", markdown);
    assert (strstr (markdown, "# Methodology: Social value report 2024-25"));
    assert (strstr (markdown, "in these states: evidenced and validated;"));
    assert (strstr (markdown, "fewer than 5 delivery returns"));
    assert (strstr (markdown, "up to ingest 12, valuation 40 and compliance 3"));
    assert (strstr (markdown, "illustrative-rationalised version 2024 (proxy years 2024-25)"));
    assert (strstr (markdown, "are not real social value"));
    //  The html holds the same paragraphs, escaped
    char *html = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&html, &size);
    reporting_method_html (out, report, 6);
    fclose (out);
    assert (strstr (html, "<h2><span class=\"number\">6</span>Appendix: methodology</h2>"));
    assert (strstr (html, "&quot;spend over £500&quot;"));
    assert (strstr (html, "in these states: evidenced and validated;"));
    free (html);
    zstr_free (&markdown);
    json_decref (report);
    printf ("OK\n");
}
