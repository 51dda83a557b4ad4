/*  =========================================================================
    reporting_html - a report document written out as one html page: the
    page around the sections, and what every kind's sections draw with

    Figures for people (pounds, counts, quantities with their units,
    shares, dates), escaping, the page's head, style and footer, headline
    cards, the generic table of a reporting_doc table, and the charts.
    Each kind's sections are in a file of their own
    (reporting_html_annual.c, ...), named in reporting_doc's kinds.
    Internal to reporting_render.

    Pence are never added up as floating point: the few sums the page
    shows (a month's total, the year's row) are int64. Floating point is
    used only for drawing coordinates and for showing shares.

    The page is XHTML (every element closed, &, <, > and " escaped,
    control characters made spaces), so an XML parser accepts it as well
    as a browser; charts are inline SVG drawn here, each with role="img"
    and a <title>. A null in a row marked "suppressed" says "fewer than
    N" rather than leave a blank that reads as zero.
    =========================================================================
*/

#include "reporting_html.h"
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>


//  --------------------------------------------------------------------------
//  Figures for people

//  Writes magnitude with thousands separators into buf (at least 32 bytes)
static void
s_group (uint64_t magnitude, char *buf)
{
    char digits [24];
    int length = snprintf (digits, sizeof digits, "%" PRIu64, magnitude);
    char *out = buf;
    for (int index = 0; index < length; index++) {
        if (index > 0 && (length - index) % 3 == 0)
            *out++ = ',';
        *out++ = digits [index];
    }
    *out = 0;
}

static uint64_t
s_magnitude (int64_t value)
{
    return value < 0? (uint64_t) 0 - (uint64_t) value: (uint64_t) value;
}

//  "12,345", "−12" (U+2212)
reporting_html_text_t
reporting_html_count (int64_t value)
{
    reporting_html_text_t result;
    char grouped [32];
    s_group (s_magnitude (value), grouped);
    snprintf (result.text, sizeof result.text, "%s%s", value < 0? "−": "", grouped);
    return result;
}

//  Pence as whole pounds, half away from zero: "£48,957,376", "−£1,200"
reporting_html_text_t
reporting_html_pounds (int64_t pence)
{
    reporting_html_text_t result;
    char grouped [32];
    s_group ((s_magnitude (pence) + 50) / 100, grouped);
    snprintf (result.text, sizeof result.text, "%s£%s", pence < 0? "−": "", grouped);
    return result;
}

//  Pence for a headline: "£49.0m", "£512k", "£850"; sign when signed is set
//  ("+£2.8m"). Rounded half up on the magnitude.
reporting_html_text_t
reporting_html_pounds_short (int64_t pence, bool signed_)
{
    reporting_html_text_t result;
    uint64_t magnitude = s_magnitude (pence);
    const char *sign = pence < 0? "−": signed_ && pence > 0? "+": "";
    uint64_t thousands = (magnitude + 50000) / 100000;
    if (magnitude >= 99950000) {
        uint64_t tenths = (magnitude + 5000000) / 10000000;
        char grouped [32];
        s_group (tenths / 10, grouped);
        snprintf (result.text, sizeof result.text, "%s£%s.%" PRIu64 "m", sign, grouped,
                  tenths % 10);
    }
    else
    if (magnitude >= 100000)
        snprintf (result.text, sizeof result.text, "%s£%" PRIu64 "k", sign, thousands);
    else
        snprintf (result.text, sizeof result.text, "%s£%" PRIu64, sign, (magnitude + 50) / 100);
    return result;
}

//  Whole pounds for a chart axis, exact: "£0", "£750", "£2.5k", "£1.25m"
static reporting_html_text_t
s_axis_pounds (uint64_t pounds)
{
    reporting_html_text_t result;
    uint64_t scale = pounds >= 1000000? 1000000: pounds >= 1000? 1000: 1;
    const char *suffix = scale == 1000000? "m": scale == 1000? "k": "";
    char fraction [16] = "";
    if (pounds % scale) {
        snprintf (fraction, sizeof fraction, ".%0*" PRIu64, scale == 1000000? 6: 3,
                  pounds % scale);
        size_t length = strlen (fraction);
        while (fraction [length - 1] == '0')
            fraction [--length] = 0;
    }
    snprintf (result.text, sizeof result.text, "£%" PRIu64 "%s%s", pounds / scale,
              fraction, suffix);
    return result;
}

//  Thousandths with separators and the decimals needed: "1,040", "12.5"
static reporting_html_text_t
s_milli_text (int64_t milli, bool grouped)
{
    reporting_html_text_t result;
    uint64_t magnitude = s_magnitude (milli);
    char whole [32];
    if (grouped)
        s_group (magnitude / 1000, whole);
    else
        snprintf (whole, sizeof whole, "%" PRIu64, magnitude / 1000);
    char fraction [8] = "";
    if (magnitude % 1000) {
        snprintf (fraction, sizeof fraction, ".%03" PRIu64, magnitude % 1000);
        size_t length = strlen (fraction);
        while (fraction [length - 1] == '0')
            fraction [--length] = 0;
    }
    snprintf (result.text, sizeof result.text, "%s%s%s",
              milli < 0? (grouped? "−": "-"): "", whole, fraction);
    return result;
}

//  A quantity with its unit: "1,040 weeks", "£9,650 donated"; "–" when
//  not a number
reporting_html_text_t
reporting_html_quantity (const json_t *value, const char *unit)
{
    reporting_html_text_t result;
    int64_t milli;
    if (!reporting_doc_milli (value, &milli))
        snprintf (result.text, sizeof result.text, "–");
    else
    if (unit && strncmp (unit, "£ ", 3) == 0)
        //  A unit in pounds reads as money: "£9,650 donated"
        snprintf (result.text, sizeof result.text, "£%.40s %.100s",
                  s_milli_text (milli, true).text, unit + 3);
    else
        snprintf (result.text, sizeof result.text, "%.40s%s%.100s",
                  s_milli_text (milli, true).text, unit && *unit? " ": "", unit? unit: "");
    return result;
}

//  A share (0 to 1) as "45.6%"; "–" when null or not a number
reporting_html_text_t
reporting_html_share (const json_t *value)
{
    reporting_html_text_t result;
    if (json_is_number (value))
        snprintf (result.text, sizeof result.text, "%.1f%%", json_number_value (value) * 100);
    else
        snprintf (result.text, sizeof result.text, "–");
    return result;
}

//  part / whole as "45.6%"; "–" when whole is not positive
reporting_html_text_t
reporting_html_ratio (int64_t part, int64_t whole)
{
    reporting_html_text_t result;
    if (whole > 0)
        snprintf (result.text, sizeof result.text, "%.1f%%", (double) part * 100 / (double) whole);
    else
        snprintf (result.text, sizeof result.text, "–");
    return result;
}

const char *reporting_html_month_names [] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"
};

//  "2024-04-01" (or the date part of a timestamp) as "1 Apr 2024", or in
//  full ("1 April 2024"); other text is returned as it is.
reporting_html_text_t
reporting_html_date (const char *iso, bool full)
{
    reporting_html_text_t result;
    int year, month, day;
    if (iso && sscanf (iso, "%4d-%2d-%2d", &year, &month, &day) == 3
    &&  month >= 1 && month <= 12 && day >= 1 && day <= 31)
        snprintf (result.text, sizeof result.text, "%d %.*s %d", day, full? 9: 3,
                  reporting_html_month_names [month - 1], year);
    else
        snprintf (result.text, sizeof result.text, "%.150s", iso? iso: "");
    return result;
}

//  "2025-06-02T09:00:00Z" as "2 June 2025, 09:00 UTC"
static reporting_html_text_t
s_timestamp (const char *iso)
{
    reporting_html_text_t result;
    int hour, minute;
    const char *time = iso? strchr (iso, 'T'): NULL;
    if (time && sscanf (time, "T%2d:%2d", &hour, &minute) == 2)
        snprintf (result.text, sizeof result.text, "%.120s, %02d:%02d UTC",
                  reporting_html_date (iso, true).text, hour, minute);
    else
        result = reporting_html_date (iso, true);
    return result;
}


//  --------------------------------------------------------------------------
//  html: escaping and the page around the sections

//  Writes text escaped for XML text and attributes. Characters XML 1.0
//  forbids are replaced: C0 controls other than tab, LF and CR by a space
//  (Excel exports carry a vertical tab for a line break within a cell),
//  U+FFFE and U+FFFF dropped. A stray control byte in a supplier's name
//  must not make the whole report unreadable to an XML parser.
void
reporting_html_esc (FILE *out, const char *text)
{
    for (const unsigned char *scan = (const unsigned char *) text; scan && *scan; scan++) {
        unsigned char c = *scan;
        if (c == '&')
            fputs ("&amp;", out);
        else
        if (c == '<')
            fputs ("&lt;", out);
        else
        if (c == '>')
            fputs ("&gt;", out);
        else
        if (c == '"')
            fputs ("&quot;", out);
        else
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            fputc (' ', out);
        else
        if (c == 0xEF && scan [1] == 0xBF && (scan [2] == 0xBE || scan [2] == 0xBF))
            scan += 2;
        else
            fputc (c, out);
    }
}

//  Writes printf's output escaped: for sentences that take text from the
//  document ("suppliers in 2024-25")
void
reporting_html_escf (FILE *out, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *text = NULL;
    if (vasprintf (&text, format, args) != -1) {
        reporting_html_esc (out, text);
        free (text);
    }
    va_end (args);
}

//  Markup, the escaped text, markup: the common shape <td>TEXT</td>
void
reporting_html_tag (FILE *out, const char *open, const char *text, const char *close)
{
    fputs (open, out);
    reporting_html_esc (out, text);
    fputs (close, out);
}

//  Copies at most max_chars characters of UTF-8 text into buf, ending in
//  "…" when cut
static const char *
s_clip (const char *text, size_t max_chars, char *buf, size_t size)
{
    size_t chars = 0, used = 0;
    const char *scan = text;
    while (*scan) {
        size_t length = 1;
        while ((scan [length] & 0xC0) == 0x80)
            length++;
        if (chars == max_chars || used + length + 4 > size) {
            //  Back off one character to make room for the ellipsis
            while (used > 0 && (buf [used - 1] & 0xC0) == 0x80)
                used--;
            if (used > 0)
                used--;
            while (used > 0 && buf [used - 1] == ' ')
                used--;
            memcpy (buf + used, "…", 3);
            used += 3;
            break;
        }
        memcpy (buf + used, scan, length);
        used += length;
        scan += length;
        chars++;
    }
    buf [used] = 0;
    return buf;
}

static const char s_style [] =
    "@page { size: A4; margin: 16mm 15mm 18mm 15mm; }\n"
    ":root { --ink: #1c2630; --muted: #596573; --rule: #d5dbe1; --faint: #f1f4f7;\n"
    "  --accent: #1d4f7a; --alert: #a1262a; --alert-bg: #fbeceb; --ok: #2f6b3a; }\n"
    "* { box-sizing: border-box; }\n"
    "html { background: #e9ecef; }\n"
    "body { margin: 0 auto; max-width: 1060px; background: #fff; color: var(--ink);\n"
    "  font: 15px/1.5 \"Source Sans 3\", \"Segoe UI\", \"Helvetica Neue\", Arial, \"Liberation Sans\", sans-serif;\n"
    "  padding: 0 56px 48px; }\n"
    "header.masthead { padding: 44px 0 22px; border-bottom: 4px solid var(--accent); margin-bottom: 28px; }\n"
    ".kicker { margin: 0 0 6px; color: var(--accent); font-size: 13px; font-weight: 700;\n"
    "  letter-spacing: .08em; text-transform: uppercase; }\n"
    "h1 { margin: 0 0 10px; font-size: 34px; line-height: 1.15; letter-spacing: -.01em; }\n"
    ".meta { margin: 0; color: var(--muted); }\n"
    "h2 { margin: 44px 0 6px; padding-top: 14px; border-top: 1px solid var(--rule); font-size: 23px; line-height: 1.25; }\n"
    "h2 .number { color: var(--accent); margin-right: .4em; }\n"
    "h3 { margin: 26px 0 6px; font-size: 16px; }\n"
    "p { margin: 0 0 12px; }\n"
    ".lede { max-width: 48em; font-size: 16px; }\n"
    ".note { max-width: 52em; color: var(--muted); font-size: 13px; }\n"
    ".cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; margin: 0 0 8px; }\n"
    ".cards.four { grid-template-columns: repeat(4, 1fr); }\n"
    ".card { background: var(--faint); border-top: 3px solid var(--accent); padding: 12px 16px 14px; }\n"
    ".card .label { color: var(--muted); font-size: 13px; font-weight: 600; }\n"
    ".card .value { margin: 2px 0 2px; color: var(--accent); font-size: 30px; font-weight: 700;\n"
    "  line-height: 1.2; font-variant-numeric: tabular-nums; }\n"
    ".card .sub { color: var(--muted); font-size: 13px; line-height: 1.4; }\n"
    ".card.warn { border-top-color: var(--alert); }\n"
    ".card.warn .value { color: var(--alert); }\n"
    "figure { margin: 18px 0 26px; }\n"
    "figure svg { display: block; width: 100%; height: auto; }\n"
    "figcaption { margin: 0 0 8px; font-weight: 700; }\n"
    "svg text { font-family: inherit; }\n"
    ".scroll { overflow-x: auto; margin: 6px 0 22px; }\n"
    "table { width: 100%; margin: 0; border-collapse: collapse; font-size: 14px; }\n"
    "caption { padding: 0 0 6px; text-align: left; font-weight: 700; font-size: 15px; }\n"
    "th { padding: 6px 10px 6px 0; border-bottom: 2px solid var(--ink); text-align: left;\n"
    "  vertical-align: bottom; font-weight: 600; }\n"
    "td { padding: 6px 10px 6px 0; border-bottom: 1px solid var(--rule); vertical-align: top; }\n"
    "th:last-child, td:last-child { padding-right: 0; }\n"
    ".num { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "td.num { white-space: nowrap; }\n"
    "table.fixed { table-layout: fixed; }\n"
    "table.contracts tr.group th { padding-top: 16px; border-bottom: 1px solid var(--ink);\n"
    "  font-weight: 600; }\n"
    "table.contracts td:first-child { min-width: 12em; }\n"
    "table.outcomes tbody th { border-bottom: 1px solid var(--rule); vertical-align: top;\n"
    "  padding: 6px 10px 6px 0; }\n"
    "table.fixed td { overflow-wrap: break-word; }\n"
    "table.sidebyside td:last-child, table.sidebyside th:last-child { font-weight: 700; }\n"
    "header.masthead + section > h2:first-child { margin-top: 0; padding-top: 0; border-top: 0; }\n"
    "table.narrow { width: auto; min-width: 50%; }\n"
    "table.narrow th:first-child { padding-right: 48px; }\n"
    ".code { white-space: nowrap; font-variant-numeric: tabular-nums; }\n"
    ".rule .code, .aside { color: var(--muted); font-size: 12.5px; }\n"
    ".aside { display: block; }\n"
    ".nowrap { white-space: nowrap; }\n"
    "td.message { min-width: 16em; }\n"
    "table.alerts col.severity { width: 11%; } table.alerts col.alert { width: 25%; }\n"
    "table.alerts col.contract { width: 17%; } table.alerts col.supplier { width: 15%; }\n"
    "table.alerts col.message { width: 32%; }\n"
    "table.alerts td.message { min-width: 0; }\n"
    "table.alerts th, table.alerts .code { overflow-wrap: anywhere; white-space: normal; }\n"
    ".alertid { display: block; color: var(--muted); font-size: 12.5px; line-height: 1.35;\n"
    "  overflow-wrap: anywhere; word-break: break-all; }\n"
    "td.withheld { color: var(--muted); font-style: italic; }\n"
    "tfoot td { border-top: 2px solid var(--ink); border-bottom: 0; font-weight: 700; }\n"
    "tr.missing td { background: var(--alert-bg); }\n"
    "tr.missing td:first-child { border-left: 4px solid var(--alert); padding-left: 8px; }\n"
    "tr.subtotal td { border-top: 1px solid var(--ink); font-weight: 700; }\n"
    ".badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;\n"
    "  font-weight: 700; white-space: nowrap; background: var(--faint); color: var(--ink); }\n"
    ".badge.missing, .badge.high { background: var(--alert); color: #fff; }\n"
    ".badge.medium { background: #f3dfb6; color: #5c3d00; }\n"
    ".badge.low { background: #e3e8ee; }\n"
    ".badge.committed, .badge.accredited { background: #dcebdf; color: var(--ok); }\n"
    ".badge.red { background: var(--alert); color: #fff; }\n"
    ".badge.amber { background: #f3dfb6; color: #5c3d00; }\n"
    ".badge.green { background: #dcebdf; color: var(--ok); }\n"
    ".pair { display: grid; grid-template-columns: 1fr 1fr; gap: 36px; }\n"
    ".stats { display: flex; flex-wrap: wrap; gap: 10px 36px; margin: 10px 0 14px; padding: 0; list-style: none; }\n"
    ".stats li { font-size: 14px; color: var(--muted); }\n"
    ".stats strong { display: block; color: var(--ink); font-size: 24px; font-variant-numeric: tabular-nums; }\n"
    ".stats .bad strong { color: var(--alert); }\n"
    "footer.about { margin-top: 48px; padding-top: 14px; border-top: 4px solid var(--accent);\n"
    "  color: var(--muted); font-size: 13px; }\n"
    "footer.about h2 { margin: 0 0 8px; padding: 0; border: 0; color: var(--ink); font-size: 16px; }\n"
    "footer.about dl { display: grid; grid-template-columns: 11em 1fr; gap: 4px 16px; margin: 0 0 10px; }\n"
    "footer.about dt { font-weight: 600; color: var(--ink); }\n"
    "footer.about dd { margin: 0; }\n"
    "@media screen and (max-width: 760px) { body { padding: 0 18px 32px; } .cards, .cards.four, .pair { grid-template-columns: 1fr; }\n"
    "  table.sidebyside { table-layout: auto; } }\n"    "@media screen and (max-width: 560px) {\n"
    "  table.alerts thead, table.alerts colgroup { display: none; }\n"
    "  table.alerts, table.alerts tbody, table.alerts tr, table.alerts td { display: block; width: auto; }\n"
    "  table.alerts tr { padding: 8px 0; border-bottom: 1px solid var(--rule); }\n"
    "  table.alerts td { padding: 2px 0; border: 0; }\n"
    "  table.alerts caption { display: block; } }\n"
    "@media print {\n"
    "  html { background: none; }\n"
    "  body { max-width: none; padding: 0; font-size: 10pt; }\n"
    "  header.masthead { padding-top: 0; }\n"
    "  h2 { margin-top: 22pt; }\n"
    "  h2, h3, figcaption, caption { break-after: avoid; }\n"
    "  .card { background: none; border: 1px solid var(--rule); border-top: 3px solid var(--accent); }\n"
    "  .cards, .card, figure, table.keep, .pair, footer.about { break-inside: avoid; }\n"
    "  thead { display: table-header-group; }\n"
    "  tr { break-inside: avoid; }\n"
    "  tr.missing td { background: none; }\n"
    "  table { font-size: 8.5pt; }\n"
    "  th, td { padding: 3pt 6pt 3pt 0; }\n"
    "  .aside, .rule .code, .alertid { font-size: 7.5pt; }\n"
    "  .badge { padding: 0 5pt; border: 1px solid currentColor; background: none;\n"
    "    color: var(--ink); font-size: 7.5pt; }\n"
    "  .badge.missing, .badge.high { background: none; color: var(--alert); }\n"
    "  .badge.committed, .badge.accredited { background: none; color: var(--ok); }\n"
    "  .badge.red { background: none; color: var(--alert); }\n"
    "  .badge.green { background: none; color: var(--ok); }\n"
    "  .card .value { font-size: 20pt; }\n"
    "  .lede { font-size: 11pt; }\n"
    "  .scroll { overflow: visible; }\n"
    "}\n";

//  "A, B and C" from a list of strings
void
reporting_html_prose_list (FILE *out, const json_t *list)
{
    size_t count = json_array_size (list);
    for (size_t index = 0; index < count; index++) {
        if (index > 0)
            fputs (index + 1 == count? " and ": ", ", out);
        reporting_html_esc (out, json_string_value (json_array_get (list, index)));
    }
}

//  A partner's name for people: the row's partner_name, else its partner
const char *
reporting_html_partner_of (const json_t *row)
{
    const char *name = reporting_doc_str (row, "partner_name");
    return *name? name: reporting_doc_str (row, "partner");
}

//  The document's display name of the partner called id (partner_names),
//  else id itself
const char *
reporting_html_partner_named (const json_t *doc, const char *id)
{
    const char *name =
        json_string_value (json_object_get (reporting_doc_get (doc, "partner_names"), id));
    return name && *name? name: id;
}

//  The document's partners, by display name, as prose
static void
s_partner_list (FILE *out, const json_t *doc)
{
    json_t *names = json_array ();
    size_t index;
    json_t *partner;
    json_array_foreach (reporting_doc_get (doc, "partners"), index, partner)
        json_array_append_new (names, json_string (
            reporting_html_partner_named (doc, json_string_value (partner))));
    reporting_html_prose_list (out, names);
    json_decref (names);
}

//  What the pounds of a section rest on: the frameworks at path, their
//  versions and proxy years, and, when any is one of the bundled made-up
//  sets, a warning no reader can miss
void
reporting_html_framework_note (reporting_html_t *self, const char *path)
{
    FILE *out = self->out;
    json_t *frameworks = reporting_doc_get (self->doc, path);
    if (!json_is_array (frameworks))
        return;
    bool illustrative = false;
    fputs ("<p class=\"note framework\">", out);
    if (json_array_size (frameworks) == 0)
        fputs ("No line of the year was valued with a framework.", out);
    else
        fputs ("Social value in pounds is valued with ", out);
    size_t index, count = json_array_size (frameworks);
    json_t *framework;
    json_array_foreach (frameworks, index, framework) {
        if (index > 0)
            fputs (index + 1 == count? " and ": ", ", out);
        char *years = reporting_doc_joined (json_object_get (framework, "proxy_years"));
        //  Lines a store kept before it recorded frameworks carry none
        if (*reporting_doc_str (framework, "id")
        &&  json_is_true (json_object_get (framework, "record_only")))
            reporting_html_escf (out, "%s version %s (record only: quantities, no £ value)",
                                 reporting_doc_str (framework, "id"),
                                 reporting_doc_str (framework, "version"));
        else
        if (*reporting_doc_str (framework, "id"))
            reporting_html_escf (out, "%s version %s (proxy values of %s)",
                                 reporting_doc_str (framework, "id"),
                                 reporting_doc_str (framework, "version"),
                                 years && *years? years: "years not recorded");
        else
            reporting_html_escf (out, "a framework not recorded for lines of %s valued before "
                                 "reporting kept frameworks", years? years: "");
        free (years);
        illustrative |= json_is_true (json_object_get (framework, "illustrative"));
    }
    if (count)
        fputs (".", out);
    if (illustrative)
        fputs (" <strong class=\"illustrative\">Illustrative proxy values, not the licensed "
               "National TOMs:</strong> the bundled frameworks' values were invented to "
               "demonstrate socval and must not be reported as real social value.", out);
    fputs ("</p>\n", out);
}

void
reporting_html_page_open (reporting_html_t *self, const char *kicker)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    fputs ("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en-GB\" "
           "xml:lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\"/>\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n", out);
    reporting_html_tag (out, "<title>", reporting_doc_str (doc, "title"), "</title>\n");
    reporting_html_tag (out, "<meta name=\"generator\" content=\"socval\"/>\n"
                             "<meta name=\"dcterms.created\" content=\"",
                        reporting_doc_str (doc, "created"), "\"/>\n");
    fprintf (out, "<style>\n%s</style>\n</head>\n<body>\n<header class=\"masthead\">\n", s_style);
    reporting_html_tag (out, "<p class=\"kicker\">", kicker, "</p>\n");
    reporting_html_tag (out, "<h1>", reporting_doc_str (doc, "title"), "</h1>\n");
    fputs ("<p class=\"meta\">", out);
    const char *year = reporting_doc_str (doc, "year");
    int first;
    if (sscanf (year, "%4d", &first) == 1) {
        reporting_html_escf (out, "Financial year %s: 1 April %d to 31 March %d", year, first,
                             first + 1);
        fputs ("<br/>", out);
    }
    const char *partner = reporting_doc_str (doc, "partner");
    json_t *partners = reporting_doc_get (doc, "partners");
    if (streq (partner, "all") || streq (partner, "")) {
        fputs (json_array_size (partners) == 1? "Partner: ": "All partners: ", out);
        s_partner_list (out, doc);
    }
    else
        reporting_html_tag (out, "Partner: ", reporting_html_partner_named (doc, partner), "");
    fputs ("</p>\n</header>\n", out);
}

void
reporting_html_page_close (reporting_html_t *self, const char *how)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    fputs ("<footer class=\"about\">\n<h2>About this report</h2>\n<dl>\n", out);
    reporting_html_tag (out, "<dt>Created</dt><dd>",
                        s_timestamp (reporting_doc_str (doc, "created")).text, "</dd>\n");
    int64_t ingest, valuation, compliance;
    reporting_doc_int_at (doc, "offsets.ingest", &ingest);
    reporting_doc_int_at (doc, "offsets.valuation", &valuation);
    reporting_doc_int_at (doc, "offsets.compliance", &compliance);
    fprintf (out, "<dt>Data</dt><dd>Events up to ingest %s, valuation %s and compliance %s: "
             "the report can be assembled again from the same point.</dd>\n",
             reporting_html_count (ingest).text, reporting_html_count (valuation).text,
             reporting_html_count (compliance).text);
    fputs ("<dt>Partners</dt><dd>", out);
    s_partner_list (out, doc);
    fputs ("</dd>\n", out);
    if (how)
        fputs (how, out);
    fputs ("</dl>\n<p>Produced by socval. Amounts are shown in pounds, rounded to the nearest "
           "pound; the CSV and JSON editions of this report give them exactly, in pence.</p>\n"
           "</footer>\n</body>\n</html>\n", out);
}

//  A headline card: label and value, then a line printed from format
//  (escaped after formatting, so arguments may come from the document)
void
reporting_html_card (FILE *out, const char *label, const char *value, bool warn,
                     const char *format, ...)
{
    fprintf (out, "<div class=\"card%s\">", warn? " warn": "");
    reporting_html_tag (out, "<div class=\"label\">", label, "</div>");
    reporting_html_tag (out, "<div class=\"value\">", value, "</div>");
    va_list args;
    va_start (args, format);
    char *sub = NULL;
    if (vasprintf (&sub, format, args) != -1) {
        reporting_html_tag (out, "<div class=\"sub\">", sub, "</div>");
        free (sub);
    }
    va_end (args);
    fputs ("</div>\n", out);
}

reporting_html_text_t
reporting_html_count_at (const json_t *doc, const char *path)
{
    int64_t value;
    reporting_html_text_t result = { "–" };
    if (reporting_doc_int_at (doc, path, &value))
        result = reporting_html_count (value);
    return result;
}


//  --------------------------------------------------------------------------
//  html: tables

//  One cell of a generic table
void
reporting_html_cell (reporting_html_t *self, const reporting_doc_column_t *column,
                     const json_t *row, bool suppressed)
{
    FILE *out = self->out;
    const json_t *value = json_object_get (row, column->key);
    bool numeric = column->type == REPORTING_DOC_INT || column->type == REPORTING_DOC_PENCE
                || column->type == REPORTING_DOC_QTY || column->type == REPORTING_DOC_SHARE;
    if (suppressed && json_is_null (value)) {
        if (column->type == REPORTING_DOC_INT)
            fprintf (out, "<td class=\"num withheld\">fewer than %" PRId64 "</td>",
                     self->threshold);
        else
            fputs ("<td class=\"num withheld\">–</td>", out);
        return;
    }
    //  A measure its framework never prices has no £ figure to show
    if (column->type == REPORTING_DOC_PENCE && json_is_null (value)
    &&  json_is_true (json_object_get (row, "record_only"))) {
        fputs ("<td class=\"num withheld\">record only</td>", out);
        return;
    }
    fputs (numeric? "<td class=\"num\">":
           column->flags & REPORTING_DOC_CODE? "<td class=\"code\">": "<td>", out);
    if (column->type == REPORTING_DOC_PENCE && json_is_integer (value))
        fputs (reporting_html_pounds ((int64_t) json_integer_value (value)).text, out);
    else
    if (column->type == REPORTING_DOC_INT && json_is_integer (value))
        fputs (reporting_html_count ((int64_t) json_integer_value (value)).text, out);
    else
    if (column->type == REPORTING_DOC_QTY)
        reporting_html_esc (out, reporting_html_quantity (value, json_string_value (
                                     json_object_get (row, "unit"))).text);
    else
    if (column->type == REPORTING_DOC_SHARE)
        fputs (reporting_html_share (value).text, out);
    else
    if (column->type == REPORTING_DOC_DATE)
        reporting_html_esc (out, reporting_doc_date_at (row, column->key)?
                            reporting_html_date (reporting_doc_date_at (row, column->key),
                                                 false).text: "not known");
    else
    if (json_is_boolean (value))
        fputs (json_is_true (value)? "Yes": "No", out);
    else
    if (json_is_string (value) && column->flags & REPORTING_DOC_BADGE)
        reporting_html_badge (out, json_string_value (value));
    else
    if (json_is_string (value))
        reporting_html_esc (out, json_string_value (value));
    else
    if (json_is_array (value)) {
        char *joined = reporting_doc_joined (value);
        reporting_html_esc (out, joined? joined: "");
        free (joined);
    }
    else
    if (json_is_integer (value))
        fputs (reporting_html_count ((int64_t) json_integer_value (value)).text, out);
    else
    if (json_is_real (value))
        fprintf (out, "%.15g", json_real_value (value));
    else
        fputs ("–", out);
    fputs ("</td>", out);
}

//  Opens a table in a box of its own that scrolls sideways on a narrow
//  screen, so that a table wider than a phone moves within its box and
//  never pushes the page past the screen's edge (print shows it whole).
//  class_ (may be NULL) is the table's class.
void
reporting_html_table_open (FILE *out, const char *class_)
{
    fputs ("<div class=\"scroll\">\n", out);
    if (class_)
        fprintf (out, "<table class=\"%s\">\n", class_);
    else
        fputs ("<table>\n", out);
}

void
reporting_html_table_close (FILE *out)
{
    fputs ("</table>\n</div>\n", out);
}

//  The table at its path in the document, with the columns html shows.
//  class_ (may be NULL) is the table's class: "keep" asks print not to
//  break a short table across pages, "narrow" not to stretch it.
void
reporting_html_table (reporting_html_t *self, const reporting_doc_table_t *table,
                      const char *caption, const char *class_)
{
    FILE *out = self->out;
    json_t *rows = reporting_doc_table_rows (self->doc, table);
    if (!rows)
        return;
    reporting_html_table_open (out, class_);
    if (caption)
        reporting_html_tag (out, "<caption>", caption, "</caption>\n");
    fputs ("<thead><tr>", out);
    size_t columns = 0;
    for (const reporting_doc_column_t *column = table->columns; column->key; column++) {
        if (column->flags & REPORTING_DOC_NOT_HTML)
            continue;
        bool numeric = column->type == REPORTING_DOC_INT || column->type == REPORTING_DOC_PENCE
                    || column->type == REPORTING_DOC_QTY || column->type == REPORTING_DOC_SHARE;
        reporting_html_tag (out, numeric? "<th class=\"num\">": "<th>", column->heading, "</th>");
        columns++;
    }
    fputs ("</tr></thead>\n<tbody>\n", out);
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        bool suppressed = json_is_true (json_object_get (row, "suppressed"));
        fputs ("<tr>", out);
        for (const reporting_doc_column_t *column = table->columns; column->key; column++)
            if (!(column->flags & REPORTING_DOC_NOT_HTML))
                reporting_html_cell (self, column, row, suppressed);
        fputs ("</tr>\n", out);
    }
    if (json_array_size (rows) == 0)
        fprintf (out, "<tr><td colspan=\"%zu\" class=\"withheld\">None.</td></tr>\n", columns);
    fputs ("</tbody>\n", out);
    reporting_html_table_close (out);
    json_decref (rows);
}

//  A tag whose class is the value reduced to lower-case letters
void
reporting_html_badge (FILE *out, const char *value)
{
    char class_ [24];
    size_t length = 0;
    for (const char *scan = value; *scan && length < sizeof class_ - 1; scan++)
        if (isalpha ((unsigned char) *scan))
            class_ [length++] = (char) tolower ((unsigned char) *scan);
    class_ [length] = 0;
    fprintf (out, "<span class=\"badge %s\">", class_);
    reporting_html_esc (out, value);
    fputs ("</span>", out);
}


//  --------------------------------------------------------------------------
//  html: charts (inline SVG)

#define S_CHART_WIDTH 760
#define S_COLOUR_UNKNOWN "#d9a43a"
#define S_COLOUR_GRID "#dde2e7"
#define S_COLOUR_TEXT "#596573"

//  The axis for values up to most (pence): a round step in whole pounds
//  (1, 2, 2.5 or 5 times a power of ten) giving at most about five
//  intervals, and the axis top, a multiple of the step, in pounds.
static void
s_axis (int64_t most, uint64_t *step_p, uint64_t *top_p)
{
    uint64_t pounds = most > 0? ((uint64_t) most + 99) / 100: 0;
    if (pounds == 0)
        pounds = 1;
    uint64_t rough = (pounds + 4) / 5;
    uint64_t power = 1;
    while (power <= rough / 10)
        power *= 10;
    uint64_t step = power;
    uint64_t tenfold [] = { 10, 20, 25, 50, 100 };
    for (size_t index = 0; index < 5; index++) {
        if (tenfold [index] == 25 && power < 10)
            continue;       //  2.5 of a pound is no round step
        step = tenfold [index] * power / 10;
        if (step >= rough)
            break;
    }
    *step_p = step;
    *top_p = (pounds + step - 1) / step * step;
}

//  Opens an svg element of height, with its title and description
static void
s_svg_open (reporting_html_t *self, int height, const char *title, const char *desc)
{
    FILE *out = self->out;
    self->figures++;
    fprintf (out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
             "height=\"%d\" role=\"img\" aria-labelledby=\"chart%d-title chart%d-desc\">\n",
             S_CHART_WIDTH, height, S_CHART_WIDTH, height, self->figures, self->figures);
    fprintf (out, "<title id=\"chart%d-title\">", self->figures);
    reporting_html_esc (out, title);
    fprintf (out, "</title>\n<desc id=\"chart%d-desc\">", self->figures);
    reporting_html_esc (out, desc);
    fputs ("</desc>\n", out);
}

//  A legend of count swatches at (x, y)
static void
s_legend (FILE *out, double x, double y, const char *const *names, const char *const *colours,
          size_t count)
{
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#1c2630\">",
                 x, y - 10, colours [index], x + 17, y);
        reporting_html_esc (out, names [index]);
        fputs ("</text>\n", out);
        x += 17 + 7.0 * (double) strlen (names [index]) + 22;
    }
}

//  Spend by month: a stacked bar per month, local at the foot, then
//  non-local, then unknown locality.
void
reporting_html_chart_months (reporting_html_t *self, const json_t *months)
{
    FILE *out = self->out;
    static const char *keys [] = { "local_pence", "non_local_pence", "unknown_pence" };
    static const char *names [] = { "Local", "Non-local", "Locality unknown" };
    static const char *colours [] = { REPORTING_HTML_COLOUR_LOCAL, REPORTING_HTML_COLOUR_OTHER,
                                      S_COLOUR_UNKNOWN };
    static const char *short_months [] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    size_t count = json_array_size (months);
    int64_t most = 0;
    for (size_t index = 0; index < count; index++) {
        int64_t total = 0, pence;
        for (size_t series = 0; series < 3; series++)
            if (reporting_doc_int_at (json_array_get (months, index), keys [series], &pence)
            &&  pence > 0)
                total += pence;
        most = total > most? total: most;
    }
    uint64_t step, top;
    s_axis (most, &step, &top);
    const int height = 330;
    const double left = 64, right = S_CHART_WIDTH - 8, upper = 46, lower = height - 46;
    s_svg_open (self, height, "Spend by month: local, non-local and locality unknown",
                "Stacked bars, one for each month of the financial year, of spend with local "
                "suppliers, with non-local suppliers and with suppliers whose locality is "
                "not known. The table below gives the figures.");
    s_legend (out, left, 18, names, colours, 3);
    for (uint64_t tick = 0; tick <= top; tick += step) {
        double y = lower - (lower - upper) * (double) tick / (double) top;
        fprintf (out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                 "stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                 "fill=\"%s\" text-anchor=\"end\">%s</text>\n",
                 left, right, y, y, tick? S_COLOUR_GRID: "#1c2630", left - 8, y + 4,
                 S_COLOUR_TEXT, s_axis_pounds (tick).text);
    }
    double band = (right - left) / (double) (count? count: 1);
    double width = band * 0.64;
    for (size_t index = 0; index < count; index++) {
        const json_t *month = json_array_get (months, index);
        const char *name = reporting_doc_str (month, "month");
        int year = 0, number = 0;
        sscanf (name, "%4d-%2d", &year, &number);
        const char *label = number >= 1 && number <= 12? short_months [number - 1]: name;
        double x = left + band * (double) index + (band - width) / 2;
        double base = lower;
        for (size_t series = 0; series < 3; series++) {
            int64_t pence;
            if (!reporting_doc_int_at (month, keys [series], &pence) || pence <= 0)
                continue;
            double h = (lower - upper) * ((double) pence / 100.0) / (double) top;
            fprintf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                     "fill=\"%s\"><title>", x, base - h, width, h, colours [series]);
            reporting_html_esc (out, label);
            fprintf (out, " %d, %s: %s</title></rect>\n", year, names [series],
                     reporting_html_pounds (pence).text);
            base -= h;
        }
        fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\" "
                 "text-anchor=\"middle\">", x + width / 2, lower + 17, S_COLOUR_TEXT);
        reporting_html_esc (out, label);
        fputs ("</text>\n", out);
        if (index == 0 || number == 1)
            fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\" "
                     "text-anchor=\"middle\">%d</text>\n", x + width / 2, lower + 33,
                     S_COLOUR_TEXT, year);
    }
    fputs ("</svg>\n", out);
}

//  Horizontal bars, one or two series (grouped) per category, each with
//  its value written at its end
void
reporting_html_chart_bars (reporting_html_t *self, const char *title, const char *desc,
                           size_t series, const char *const *names, const char *const *colours,
                           const reporting_html_bar_t *bars, size_t count)
{
    FILE *out = self->out;
    bool sublabels = false;
    size_t longest = 0;
    int64_t most = 0;
    for (size_t index = 0; index < count; index++) {
        sublabels |= bars [index].sublabel != NULL;
        size_t length = strlen (bars [index].label);
        longest = length > longest? length: longest;
        for (size_t which = 0; which < series; which++)
            most = bars [index].values [which] > most? bars [index].values [which]: most;
    }
    //  Room for the labels: about 6.6 units a character at 12.5 px
    double left = 16 + 6.6 * (double) (longest < 14? 14: longest > 40? 40: longest);
    size_t clip = (size_t) ((left - 16) / 6.6);
    double right = S_CHART_WIDTH - 130;
    double bar = series > 1? 14: 16;
    double row = series * bar + (series > 1? 3: 0) + (sublabels? 24: 16);
    double upper = series > 1? 36: 10;
    int height = (int) (upper + row * (double) count + 30);
    uint64_t step, top;
    s_axis (most, &step, &top);
    s_svg_open (self, height, title, desc);
    if (series > 1)
        s_legend (out, left, 16, names, colours, series);
    double lower = upper + row * (double) count;
    for (uint64_t tick = 0; tick <= top; tick += step) {
        double x = left + (right - left) * (double) tick / (double) top;
        fprintf (out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                 "stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                 "fill=\"%s\" text-anchor=\"middle\">%s</text>\n",
                 x, x, upper - 4, lower, tick? S_COLOUR_GRID: "#1c2630", x, lower + 17,
                 S_COLOUR_TEXT, s_axis_pounds (tick).text);
    }
    char clipped [256];
    for (size_t index = 0; index < count; index++) {
        const reporting_html_bar_t *item = &bars [index];
        double y = upper + row * (double) index + (row - series * bar - (series - 1) * 3) / 2;
        double text_y = y + series * bar / 2 + (item->sublabel? -2: 4.5);
        fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\" fill=\"#1c2630\" "
                 "text-anchor=\"end\">", left - 10, text_y);
        reporting_html_esc (out, s_clip (item->label, clip, clipped, sizeof clipped));
        fputs ("</text>\n", out);
        if (item->sublabel) {
            fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" "
                     "text-anchor=\"end\">", left - 10, text_y + 14, S_COLOUR_TEXT);
            reporting_html_esc (out, s_clip (item->sublabel, clip + 3, clipped, sizeof clipped));
            fputs ("</text>\n", out);
        }
        for (size_t which = 0; which < series; which++) {
            int64_t pence = item->values [which];
            double width = pence > 0?
                (right - left) * ((double) pence / 100.0) / (double) top: 0;
            double bar_y = y + (double) which * (bar + 3);
            fprintf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                     "fill=\"%s\"><title>", left, bar_y, width, bar, colours [which]);
            reporting_html_esc (out, item->label);
            fprintf (out, "%s%s: %s</title></rect>\n", series > 1? ", ": "",
                     series > 1? names [which]: "", reporting_html_pounds (pence).text);
            fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1c2630\">%s",
                     left + width + 6, bar_y + bar / 2 + 4,
                     reporting_html_pounds_short (pence, false).text);
            if (item->note && which + 1 == series) {
                fputs (" · ", out);
                reporting_html_esc (out, item->note);
            }
            fputs ("</text>\n", out);
        }
    }
    fputs ("</svg>\n", out);
}

//  Opens a <figure> whose caption is a heading for the chart
void
reporting_html_figure_open (FILE *out, const char *caption)
{
    reporting_html_tag (out, "<figure>\n<figcaption>", caption, "</figcaption>\n");
}


//  --------------------------------------------------------------------------
//  The page

int
reporting_html_render (const json_t *doc, const reporting_doc_kind_t *kind, const char *base,
                       zlistx_t *files)
{
    reporting_doc_stream_t stream;
    if (reporting_doc_stream_open (&stream))
        return -1;
    //  5 is REPORT_JSON.md's threshold, for a document that leaves it out
    reporting_html_t html = { stream.out, doc, 5, 0 };
    int64_t threshold;
    if (reporting_doc_int_at (doc, "small_number_threshold", &threshold))
        html.threshold = threshold;
    kind->body (&html);
    return reporting_doc_stream_close (&stream, files, base, ".html");
}
