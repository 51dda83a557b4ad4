/*  =========================================================================
    reporting_render - a report document written out as html, csv, json or
    xlsx files

    One description drives three formats. Each report kind lists its
    headline figures (dotted paths into the document, with a label and a
    type) and its tables (the path of an array of row objects, and the
    columns shown). csv and xlsx are written from those lists alone, so a
    table has the same rows and columns in both; html uses the same
    tables and adds what a reader needs around them: headline cards,
    sentences, charts.

    Column types follow the document's naming (REPORT_JSON.md): _pence is
    integer pence, _qty a quantity in the row's "unit", a share a number
    from 0 to 1 or null. Pence are never added up as floating point: the
    few sums the html shows (a month's total, the year's row) are int64.
    Floating point is used only for drawing coordinates, for the pounds an
    xlsx cell holds (pence / 100, a display value; the exact pence stay in
    the csv and json) and for showing shares.

    A null in a row marked "suppressed" is a figure withheld because fewer
    deliveries than the document's small_number_threshold fall in it: html
    and xlsx say "fewer than N" rather than leave a blank that reads as
    zero.

    html is written as XHTML (every element closed, &, <, > and " escaped,
    control characters made spaces), so an XML parser accepts it as well
    as a browser; charts are inline SVG drawn by reporting_html, each with
    role="img" and a <title>. csv text is written as the document has it:
    a supplier named "=SUM(..)" stays so, for scripts; people open the
    xlsx, where text is never taken for a formula.

    The class is split along its concerns, one a file:

      reporting_render.c     the entry points, which pick the writer;
                             destroying a file; json; the self-test
      reporting_doc.c        what each kind of report holds (figures,
                             tables, columns), reading the document, and
                             adding a file to the list: every writer's
                             shared ground
      reporting_tables.c     csv and xlsx, written from those lists alone
      reporting_html.c       the html page: escaping, figures for people,
                             the page frame, generic tables and charts
      reporting_html_annual.c, reporting_html_partnership.c,
      reporting_html_compliance.c (rlw-scope and alerts, whose sections
      the annual report shows too), reporting_html_contracts.c (contracts
      and kpi): the sections of each kind's page
    =========================================================================
*/

#include "reporting_render.h"
#include "reporting_doc.h"
#include "reporting_tables.h"
#include "reporting_html.h"
#include "sv_csv.h"
#include <dirent.h>
#include <math.h>
#include <unistd.h>


//  --------------------------------------------------------------------------
//  Files and the list that owns them

void
reporting_render_file_destroy (reporting_render_file_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        reporting_render_file_t *self = *self_p;
        free (self->name);
        zchunk_destroy (&self->payload);
        free (self);
        *self_p = NULL;
    }
}

static void
s_file_destructor (void **item)
{
    reporting_render_file_destroy ((reporting_render_file_t **) item);
}

//  --------------------------------------------------------------------------
//  json

static int
s_render_json (const json_t *doc, const char *base, zlistx_t *files)
{
    char *text = json_dumps (doc, JSON_INDENT (2) | JSON_REAL_PRECISION (15));
    if (!text)
        return -1;
    size_t length = strlen (text);
    text [length] = '\n';   //  json_dumps leaves room: its terminator
    int rc = reporting_doc_add_file (files, base, ".json", text, length + 1);
    free (text);
    return rc;
}




//  --------------------------------------------------------------------------
//  Entry

bool
reporting_render_format_known (const char *format)
{
    return format && (streq (format, "html") || streq (format, "json")
                  ||  streq (format, "csv") || streq (format, "xlsx"));
}

zlistx_t *
reporting_render (const json_t *report, const char *format, const char *base,
                  const char **reason)
{
    assert (base);
    const char *unused;
    if (!reason)
        reason = &unused;
    if (!reporting_render_format_known (format)) {
        *reason = "the format is not one of html, csv, json or xlsx";
        return NULL;
    }
    if (!json_is_object (report)) {
        *reason = "the report is not a JSON object";
        return NULL;
    }
    const reporting_doc_kind_t *kind = reporting_doc_kind_of (report);
    if (!kind && !streq (format, "json")) {
        *reason = "the report's kind is not annual, partnership, rlw-scope, alerts, contracts"
                  " or kpi";
        return NULL;
    }
    zlistx_t *files = zlistx_new ();
    if (!files) {
        *reason = "out of memory";
        return NULL;
    }
    zlistx_set_destructor (files, s_file_destructor);
    int rc;
    if (streq (format, "json"))
        rc = s_render_json (report, base, files);
    else
    if (streq (format, "csv"))
        rc = reporting_tables_csv (report, kind, files);
    else
    if (streq (format, "xlsx"))
        rc = reporting_tables_xlsx (report, kind, base, files);
    else
        rc = reporting_html_render (report, kind, base, files);
    if (rc) {
        *reason = streq (format, "xlsx")? "the spreadsheet could not be written":
                                          "the report could not be written (out of memory)";
        zlistx_destroy (&files);
    }
    return files;
}


//  --------------------------------------------------------------------------
//  Self test

#define S_TEST_FIXTURES "tests/fixtures/reports/"

static const char *
s_test_tmpdir (void)
{
    const char *tmpdir = getenv ("TMPDIR");
    return tmpdir && *tmpdir? tmpdir: "/tmp";
}

//  Files of this class (ours and the test's) in the temporary directory
static size_t
s_test_leftovers (void)
{
    size_t count = 0;
    DIR *dir = opendir (s_test_tmpdir ());
    assert (dir);
    struct dirent *entry;
    while ((entry = readdir (dir)))
        count += strncmp (entry->d_name, REPORTING_TABLES_TEMP_PREFIX,
                          strlen (REPORTING_TABLES_TEMP_PREFIX)) == 0;
    closedir (dir);
    return count;
}

static json_t *
s_test_load (const char *name)
{
    json_error_t error;
    json_t *doc = json_load_file (name, 0, &error);
    if (!doc)
        fprintf (stderr, "%s:%d: %s\n", name, error.line, error.text);
    assert (doc);
    return doc;
}

//  The file called name in files, or NULL
static reporting_render_file_t *
s_test_file (zlistx_t *files, const char *name)
{
    reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files);
    while (file && !streq (file->name, name))
        file = (reporting_render_file_t *) zlistx_next (files);
    return file;
}

//  A file's bytes as a string (the caller frees it)
static char *
s_test_text (const reporting_render_file_t *file)
{
    assert (file);
    char *text = (char *) malloc (zchunk_size (file->payload) + 1);
    assert (text);
    memcpy (text, zchunk_data (file->payload), zchunk_size (file->payload));
    text [zchunk_size (file->payload)] = 0;
    return text;
}

static size_t
s_test_occurrences (const char *text, const char *needle)
{
    size_t count = 0;
    for (const char *found = strstr (text, needle); found; found = strstr (found + 1, needle))
        count++;
    return count;
}

//  Saves a file under a temporary name; returns the path, for the caller
//  to unlink and free
static char *
s_test_save (const reporting_render_file_t *file)
{
    char *path = zsys_sprintf ("%s/" REPORTING_TABLES_TEMP_PREFIX "test-XXXXXX", s_test_tmpdir ());
    int handle = mkstemp (path);
    assert (handle != -1);
    assert (write (handle, zchunk_data (file->payload), zchunk_size (file->payload))
            == (ssize_t) zchunk_size (file->payload));
    close (handle);
    return path;
}

//  The standard output of command run on path (freed by the caller)
static char *
s_test_run (const char *command, const char *path, const char *member)
{
    char *line = zsys_sprintf (command, path, member);
    FILE *pipe = popen (line, "r");
    assert (pipe);
    char *output = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&output, &size);
    char buffer [4096];
    size_t got;
    while ((got = fread (buffer, 1, sizeof buffer, pipe)) > 0)
        fwrite (buffer, 1, got, out);
    fclose (out);
    assert (pclose (pipe) == 0);
    free (line);
    return output;
}

//  True when xmllint reads the html file as well-formed XML
static bool
s_test_well_formed (const reporting_render_file_t *file)
{
    char *path = s_test_save (file);
    char *command = zsys_sprintf ("xmllint --noout '%s'", path);
    int rc = system (command);
    unlink (path);
    free (path);
    free (command);
    return rc == 0;
}

//  Records in CSV text, header included, line breaks in quotes not counted
static size_t
s_test_records (const reporting_render_file_t *file)
{
    size_t records = 0;
    bool quoted = false;
    const char *data = (const char *) zchunk_data (file->payload);
    for (size_t index = 0; index < zchunk_size (file->payload); index++) {
        if (data [index] == '"')
            quoted = !quoted;
        else
        if (data [index] == '\n' && !quoted)
            records++;
    }
    return records;
}

//  top_contracts.csv as sv_csv reads it
typedef struct {
    size_t rows;
    char *title;            //  of the first row
    char *supplier;
    char *delivered;
} s_test_contracts_t;

static const sv_csv_field_t s_test_contract_fields [] = {
    { "contract", NULL, true },
    { "title", NULL, true },
    { "supplier", NULL, true },
    { "delivered_pence", NULL, true },
};

static int
s_test_contract_row (const sv_csv_row_t *row, void *arg)
{
    s_test_contracts_t *contracts = (s_test_contracts_t *) arg;
    assert (row->shape_error == NULL);
    if (contracts->rows++ == 0) {
        contracts->title = strdup (row->values [1]);
        contracts->supplier = strdup (row->values [2]);
        contracts->delivered = strdup (row->values [3]);
    }
    return 0;
}

void
reporting_render_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_render:\n");
    size_t leftovers = s_test_leftovers ();
    json_t *annual = s_test_load (S_TEST_FIXTURES "annual.json");
    const char *reason = NULL;

    //  ----------------------------------------------------------------------
    //  html: one self-contained page, well-formed XML, three charts, the
    //  headline total as the fixture has it (4,895,737,636p = £48,957,376)
    zlistx_t *files = reporting_render (annual, "html", "annual-all-2024-25", &reason);
    assert (files && zlistx_size (files) == 1);
    reporting_render_file_t *file = s_test_file (files, "annual-all-2024-25.html");
    assert (file);
    char *html = s_test_text (file);
    assert (strncmp (html, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"", 58) == 0);
    assert (s_test_occurrences (html, "<svg ") == 3);
    assert (s_test_occurrences (html, "role=\"img\"") == 3);
    assert (s_test_occurrences (html, "<title id=\"chart") == 3);
    assert (strstr (html, "£48,957,376 in 17,481 payments"));
    //  The record-only measure shows its hours and "record only" for £, and
    //  its theme draws no bar
    assert (strstr (html, "<td class=\"num\">420 hours</td><td class=\"num withheld\">record"
                          " only</td><td class=\"num withheld\">record only</td>"));
    assert (strstr (html, ">Jobs</text>") && !strstr (html, ">Take back our streets</text>"));
    //  A measure is named with its framework
    assert (strstr (html, "<caption>By measure</caption>\n<thead><tr><th>Framework</th>"
                          "<th>Measure</th>"));
    assert (strstr (html, "<div class=\"value\">£49.0m</div>"));
    //  Additional local spend: 284,621,357p on 2023-24
    assert (strstr (html, "<div class=\"value\">+£2.8m</div>"));
    //  Quantities carry their unit; a suppressed ward says so
    assert (strstr (html, "1,040 weeks") && strstr (html, "388,615.5 miles"));
    assert (strstr (html, "fewer than 5"));
    //  Text from the document is escaped
    assert (strstr (html, "Highways maintenance, &quot;Area North&quot; lot"));
    assert (strstr (html, "Tarmac Roads &amp; Civils Ltd"));
    //  No external asset
    assert (!strstr (html, "href=") && !strstr (html, "src="));
    assert (s_test_well_formed (file));
    free (html);
    zlistx_destroy (&files);

    //  ----------------------------------------------------------------------
    //  xlsx: a zip whose Summary sheet holds the total as a number of
    //  pounds, not text; same bytes every time (timestamps from "created")
    files = reporting_render (annual, "xlsx", "annual-all-2024-25", &reason);
    assert (files && zlistx_size (files) == 1);
    file = s_test_file (files, "annual-all-2024-25.xlsx");
    assert (file && memcmp (zchunk_data (file->payload), "PK", 2) == 0);
    zlistx_t *again = reporting_render (annual, "xlsx", "annual-all-2024-25", &reason);
    assert (again);
    assert (zchunk_size (file->payload)
            == zchunk_size (((reporting_render_file_t *) zlistx_first (again))->payload));
    assert (memcmp (zchunk_data (file->payload),
                    zchunk_data (((reporting_render_file_t *) zlistx_first (again))->payload),
                    zchunk_size (file->payload)) == 0);
    zlistx_destroy (&again);
    char *path = s_test_save (file);
    char *sheet = s_test_run ("unzip -p '%s' %s", path, "xl/worksheets/sheet1.xml");
    assert (strstr (sheet, "<pane ySplit=\"1\""));
    //  Row 14: the header, the 9 figures of every report, evidence_counted,
    //  small_number_threshold, spend.rows, then spend.total_pence
    char *cell = strstr (sheet, "<c r=\"B14\"");
    assert (cell);
    char *end = strstr (cell, "</c>");
    assert (end);
    *end = 0;
    assert (!strstr (cell, " t=\""));
    char *number = strstr (cell, "<v>");
    assert (number);
    assert (llround (strtod (number + 3, NULL) * 100) == 4895737636);
    free (sheet);
    char *workbook = s_test_run ("unzip -p '%s' %s", path, "xl/workbook.xml");
    char *first = strstr (workbook, "<sheet name=\"Summary\"");
    assert (first && first == strstr (workbook, "<sheet "));
    assert (s_test_occurrences (workbook, "<sheet ") == 13);      //  Summary and the 12 tables
    assert (strstr (workbook, "<sheet name=\"Top contracts\""));
    free (workbook);
    char *core = s_test_run ("unzip -p '%s' %s", path, "docProps/core.xml");
    assert (strstr (core, "<dc:title>Social value report 2024-25: all partners</dc:title>"));
    assert (strstr (core, ">2025-06-02T09:00:00Z</dcterms:created>"));
    free (core);
    //  Top contracts, F2 (after partner and partner_name): 76,492,488p as £764,924.88 in a money format
    sheet = s_test_run ("unzip -p '%s' %s", path, "xl/worksheets/sheet6.xml");
    cell = strstr (sheet, "<c r=\"F2\"");
    assert (cell && !strncmp (strstr (cell, "<v>"), "<v>764924.88</v>", 16));
    free (sheet);
    unlink (path);
    free (path);
    zlistx_destroy (&files);

    //  ----------------------------------------------------------------------
    //  csv: one file per table, in the document's order; a header and a
    //  record per row; pence as integers; a title with a comma and quotes
    //  read back intact by sv_csv
    files = reporting_render (annual, "csv", "ignored", &reason);
    assert (files);
    struct {
        const char *name;
        size_t records;
    } tables [] = {
        { "summary.csv", 39 },              //  header + 9 + 29 figures
        { "spend_by_month.csv", 13 },
        { "spend_by_ward.csv", 9 },
        { "by_theme.csv", 7 },
        { "by_measure.csv", 10 },
        { "top_contracts.csv", 11 },
        { "delivered_by_ward.csv", 9 },
        { "by_beneficiary_group.csv", 6 },
        { "rlw_contracts.csv", 9 },
        { "alerts.csv", 5 },
        { "alerts_by_rule.csv", 4 },
        { "frameworks.csv", 1 },            //  the header: the document has none
        { "rlw_renewals.csv", 1 },
    };
    assert (zlistx_size (files) == sizeof tables / sizeof tables [0]);
    file = (reporting_render_file_t *) zlistx_first (files);
    for (size_t index = 0; index < sizeof tables / sizeof tables [0]; index++) {
        assert (streq (file->name, tables [index].name));
        assert (s_test_records (file) == tables [index].records);
        file = (reporting_render_file_t *) zlistx_next (files);
    }
    char *csv = s_test_text (s_test_file (files, "summary.csv"));
    assert (strncmp (csv, "key,value\r\n", 11) == 0);
    assert (strstr (csv, "\r\nspend.total_pence,4895737636\r\n"));
    assert (strstr (csv, "\r\nspend.local_share,0.4564\r\n"));
    assert (strstr (csv, "\r\npartners,Northdale College; Northdale Council; Northdale "
                         "Hospitals NHS Foundation Trust\r\n"));
    free (csv);
    csv = s_test_text (s_test_file (files, "delivered_by_ward.csv"));
    assert (strstr (csv, "\r\nE05013845,Low Fell West,,,true\r\n"));
    free (csv);
    csv = s_test_text (s_test_file (files, "by_measure.csv"));
    //  Each measure under its framework: a code means what its framework says
    assert (strncmp (csv, "framework,measure,description,", 30) == 0);
    assert (strstr (csv, "\r\nnorthdale-toms,JOB-02,Apprenticeship weeks on the contract,weeks,"
                         "Jobs,1300,1040,31590000,25272000,,\r\n"));
    //  A record-only measure: its quantities, and no £ at all
    assert (strstr (csv, "\r\nuk-svm,SVM-5A-01,Staff volunteering hours in local communities,hours,"
                         "Take back our streets,500,420,,,Stronger and safer communities,"
                         "true\r\n"));
    free (csv);
    file = s_test_file (files, "top_contracts.csv");
    csv = s_test_text (file);
    assert (strstr (csv, "\r\nNDC-2022-0147,\"Highways maintenance, \"\"Area North\"\" lot\","));
    free (csv);
    s_test_contracts_t contracts = { 0, NULL, NULL, NULL };
    sv_csv_t *reader = sv_csv_new (s_test_contract_fields, 4, s_test_contract_row,
                                           &contracts);
    assert (reader);
    assert (sv_csv_feed (reader, zchunk_data (file->payload),
                             zchunk_size (file->payload)) == 0);
    assert (sv_csv_finish (reader) == 0);
    sv_csv_destroy (&reader);
    assert (contracts.rows == 10);
    assert (streq (contracts.title, "Highways maintenance, \"Area North\" lot"));
    assert (streq (contracts.supplier, "Tarmac Roads & Civils Ltd"));
    assert (streq (contracts.delivered, "76492488"));
    free (contracts.title);
    free (contracts.supplier);
    free (contracts.delivered);
    zlistx_destroy (&files);

    //  ----------------------------------------------------------------------
    //  json: the document as built, read back equal; the fixture was
    //  written in the same form, so the bytes match it too
    files = reporting_render (annual, "json", "annual-all-2024-25", &reason);
    assert (files && zlistx_size (files) == 1);
    file = s_test_file (files, "annual-all-2024-25.json");
    assert (file);
    json_t *read_back = json_loadb ((const char *) zchunk_data (file->payload),
                                    zchunk_size (file->payload), 0, NULL);
    assert (read_back && json_equal (read_back, annual));
    json_decref (read_back);
    zchunk_t *fixture = zchunk_slurp (S_TEST_FIXTURES "annual.json", 0);
    assert (fixture && zchunk_size (fixture) == zchunk_size (file->payload));
    assert (memcmp (zchunk_data (fixture), zchunk_data (file->payload), zchunk_size (fixture)) == 0);
    zchunk_destroy (&fixture);
    zlistx_destroy (&files);
    //  15 significant digits: 0.1 is written 0.1
    json_t *small = json_pack ("{s:s, s:f}", "report", "annual", "share", 0.1);
    files = reporting_render (small, "json", "small", &reason);
    assert (files);
    char *text = s_test_text ((reporting_render_file_t *) zlistx_first (files));
    assert (streq (text, "{\n  \"report\": \"annual\",\n  \"share\": 0.1\n}\n"));
    free (text);
    zlistx_destroy (&files);

    //  A document with almost nothing in it still renders, with "–"s
    const char *formats [] = { "html", "csv", "json", "xlsx" };
    for (size_t format = 0; format < 4; format++) {
        files = reporting_render (small, formats [format], "small", &reason);
        assert (files);
        if (format == 0)
            assert (s_test_well_formed ((reporting_render_file_t *) zlistx_first (files)));
        zlistx_destroy (&files);
    }
    json_decref (small);

    //  Text from the document cannot break the page, wherever it lands
    json_t *hostile = json_deep_copy (annual);
    json_object_set_new (hostile, "title", json_string ("Q1 <draft> & \"final\""));
    json_object_set_new (hostile, "year", json_string ("2024-25</p>"));
    json_object_set_new (hostile, "partners", json_pack ("[s]", "A<B & C"));
    json_t *top = json_array_get (reporting_doc_get (hostile, "social_value.top_contracts"), 0);
    json_object_set_new (top, "partner", json_string ("<i>P</i>"));
    json_object_set_new (top, "title", json_string ("\x01\x1f]]>"));
    json_t *contract = json_array_get (reporting_doc_get (hostile, "rlw.contracts"), 0);
    json_object_set_new (contract, "start_date", json_string ("soon<"));
    json_object_set_new (contract, "accreditation_expiry", json_string ("&never"));
    json_object_set_new (contract, "accredited", json_true ());
    json_object_set_new (reporting_doc_get (hostile, "alerts.by_rule"), "<rule>", json_integer (1));
    files = reporting_render (hostile, "html", "hostile", &reason);
    assert (files);
    file = (reporting_render_file_t *) zlistx_first (files);
    assert (s_test_well_formed (file));
    html = s_test_text (file);
    assert (strstr (html, "<h1>Q1 &lt;draft&gt; &amp; &quot;final&quot;</h1>"));
    free (html);
    zlistx_destroy (&files);
    json_decref (hostile);

    //  ----------------------------------------------------------------------
    //  The other kinds, in every format
    struct {
        const char *fixture;
        const char *base;
        size_t csv_files;
        size_t charts;
    } kinds [] = {
        { S_TEST_FIXTURES "partnership.json", "partnership-all-2024-25", 6, 1 },  //  summary + 5 tables
        { S_TEST_FIXTURES "rlw-scope.json", "rlw-scope-northdale-2024-25", 2, 0 },
        { S_TEST_FIXTURES "alerts.json", "alerts-all", 3, 0 },
    };
    for (size_t kind = 0; kind < sizeof kinds / sizeof kinds [0]; kind++) {
        json_t *doc = s_test_load (kinds [kind].fixture);
        for (size_t format = 0; format < 4; format++) {
            files = reporting_render (doc, formats [format], kinds [kind].base, &reason);
            assert (files);
            assert (zlistx_size (files) == (format == 1? kinds [kind].csv_files: 1));
            file = (reporting_render_file_t *) zlistx_first (files);
            if (format == 0) {
                assert (s_test_well_formed (file));
                html = s_test_text (file);
                assert (s_test_occurrences (html, "<svg ") == kinds [kind].charts);
                if (kind == 0) {    //  Fire and Rescue has no spend: a null share
                    assert (strstr (html, "<td class=\"num\">–</td>"));
                    //  Side by side: the council's two FTE measures summed with
                    //  their £, the trust's SVM metric in people with no £, and
                    //  the measure mapped to no outcome in a row of its own
                    assert (strstr (html, "<th scope=\"row\">Fair work and good jobs</th>"
                                          "<td class=\"withheld\">–</td><td><span class="
                                          "\"aside nowrap\">32.5 FTE</span><strong class="
                                          "\"nowrap\">£327,625</strong></td>"));
                    assert (strstr (html, "<span class=\"aside nowrap\">152 people</span>"
                                          "<span class=\"aside\">no £ value (record only)"));
                    assert (strstr (html, "<th scope=\"row\">Not mapped to a common outcome"));
                    assert (strstr (html, "<span class=\"aside\">illustrative-svm</span>"));
                }
                if (kind == 1) {    //  two contracts missing a commitment, one undated
                    assert (s_test_occurrences (html, "<tr class=\"missing\">") == 2);
                    assert (s_test_occurrences (html, "dates not known") == 1);
                }
                if (kind == 2) {    //  a vertical tab in a message is a space
                    assert (strstr (html, "Resolved in the last 90 days (2)"));
                    assert (strstr (html, "(Office cleaning, civic centre)"));
                }
                free (html);
            }
            if (format == 1)
                assert (streq (file->name, "summary.csv"));
            if (format == 2) {
                json_t *equal = json_loadb ((const char *) zchunk_data (file->payload),
                                            zchunk_size (file->payload), 0, NULL);
                assert (equal && json_equal (equal, doc));
                json_decref (equal);
            }
            zlistx_destroy (&files);
        }
        json_decref (doc);
    }

    //  ----------------------------------------------------------------------
    //  A long alert id sits in a cell of its own line that may break
    //  anywhere, in a fixed-layout table, so it never runs over the next
    //  column; the most severe alerts come first whatever the document's order
    {
        json_t *doc = s_test_load (S_TEST_FIXTURES "alerts.json");
        json_t *alerts = reporting_doc_get (doc, "alerts.list");
        const char *long_id = "rlw.accreditation_lapsed/police/CH:01234567";
        const char *severities [] = { "low", "medium", "high" };
        for (size_t index = 0; index < json_array_size (alerts); index++) {
            json_t *alert = json_array_get (alerts, index);
            json_object_set_new (alert, "state", json_string ("open"));
            json_object_set_new (alert, "severity", json_string (severities [index % 3]));
        }
        json_object_set_new (json_array_get (alerts, 0), "alert_id", json_string (long_id));
        files = reporting_render (doc, "html", "alerts-long", &reason);
        assert (files);
        file = (reporting_render_file_t *) zlistx_first (files);
        assert (s_test_well_formed (file));
        html = s_test_text (file);
        assert (strstr (html, "<span class=\"alertid\" title=\"rlw.accreditation_lapsed/"
                              "police/CH:01234567\">rlw.accreditation_lapsed/police/"
                              "CH:01234567</span>"));
        const char *rule = strstr (html, "\n.alertid {");
        assert (rule && strstr (rule, "overflow-wrap: anywhere")
                     && strstr (rule, "overflow-wrap: anywhere") < strchr (rule, '}'));
        assert (strstr (html, "<table class=\"fixed alerts\">"));
        assert (strstr (html, "table.alerts col.alert { width: 25%; }"));
        //  The id is never in a cell that refuses to wrap
        assert (!strstr (html, "<span class=\"code\">rlw.accreditation_lapsed/police"));
        const char *high = strstr (html, "badge high"), *medium = strstr (html, "badge medium"),
                   *low = strstr (html, "badge low");
        assert (high && medium && low && high < medium && medium < low);
        free (html);
        zlistx_destroy (&files);
        json_decref (doc);
    }

    //  ----------------------------------------------------------------------
    //  Refusals: an unknown format, a kind only json can write, not an object
    reason = NULL;
    assert (reporting_render (annual, "pdf", "x", &reason) == NULL && reason);
    reason = NULL;
    assert (reporting_render (annual, NULL, "x", &reason) == NULL && reason);
    assert (!reporting_render_format_known ("HTML") && reporting_render_format_known ("xlsx"));
    json_t *quarterly = json_pack ("{s:s}", "report", "quarterly");
    reason = NULL;
    assert (reporting_render (quarterly, "html", "x", &reason) == NULL && reason);
    files = reporting_render (quarterly, "json", "x", NULL);
    assert (files && zlistx_size (files) == 1);
    zlistx_destroy (&files);
    json_decref (quarterly);
    json_t *list = json_array ();
    reason = NULL;
    assert (reporting_render (list, "json", "x", &reason) == NULL && reason);
    json_decref (list);

    //  A file taken from the list is the caller's
    files = reporting_render (annual, "json", "annual", NULL);
    file = (reporting_render_file_t *) zlistx_detach (files, NULL);
    zlistx_destroy (&files);
    assert (file && streq (file->name, "annual.json"));
    reporting_render_file_destroy (&file);
    reporting_render_file_destroy (&file);
    assert (file == NULL);

    json_decref (annual);
    assert (s_test_leftovers () == leftovers);
    if (verbose)
        printf ("OK\n");
}
