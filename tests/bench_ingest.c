/*  bench_ingest: a large spend CSV through socval submit, against the
    sqlite3 command-line tool's .import of the same file.

    Generates ROWS rows of spend over £500 in a transparency-code layout,
    starts socval-ingest on a store of its own, and times `socval submit`
    from start to receipt. Twice: with transaction numbers as most finance
    systems write them (digits), then as Leeds writes them (1012-00001:
    period, dash, sequence). Then an OCDS release package of the 201
    Contracts Finder releases 100 times over (20,100 releases), against
    sqlite3 reading the same file's releases into a table with json_each;
    its peak memory must not grow with the package either. The reference is `sqlite3 DB ".import --csv"` of
    the same file into a database file, timed in the same run. Also reports
    ingest's peak resident memory (VmHWM), which must not grow with the file.
    Last, an Excel workbook of 100,000 spend rows (at most ROWS) made with
    libxlsxwriter, against the same rows as CSV (their transaction numbers
    apart, so neither batch is the other's duplicates) submitted to the
    same ingest just before it.

    Usage: bench_ingest [ROWS]          (default 1,000,000); run from the
    repository root after `make`.
*/

#include <czmq.h>
#include <xlsxwriter.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "testkit.h"

//  The file submitted: spend with transaction numbers written as digits
//  or as Leeds writes them, or an OCDS release package
typedef enum { S_DIGITS, S_LEEDS, S_OCDS, S_XLSX } s_input_t;

//  The 201 Contracts Finder releases, copies times over, as published
//  (their text copied, so amounts keep their decimals); returns the
//  number of releases written
static int64_t
s_generate_ocds (const char *path, int copies)
{
    FILE *fixture = fopen ("tests/fixtures/ocds/contracts_finder_releases_201.json", "r");
    assert (fixture);
    zchunk_t *chunk = zchunk_read (fixture, 16 << 20);
    fclose (fixture);
    char *text = strndup ((const char *) zchunk_data (chunk), zchunk_size (chunk));
    zchunk_destroy (&chunk);
    //  The array's items: from its '[' to the last ']' of the file
    char *first = strstr (text, "\"releases\": [");
    char *last = strrchr (text, ']');
    assert (first && last && last > first);
    first = strchr (first, '[') + 1;
    FILE *file = fopen (path, "w");
    assert (file);
    fprintf (file, "{\"uri\": \"bench\", \"releases\": [");
    for (int copy = 0; copy < copies; copy++)
        fprintf (file, "%s%.*s", copy? ",": "", (int) (last - first), first);
    fprintf (file, "]}\n");
    fclose (file);
    free (text);
    return (int64_t) copies * 201;
}

//  The size of the file at path, in bytes
static int64_t
s_size (const char *path)
{
    struct stat info;
    return stat (path, &info) == 0? (int64_t) info.st_size: -1;
}

static void
s_generate (const char *path, int64_t rows, s_input_t numbers)
{
    FILE *file = fopen (path, "w");
    assert (file);
    fprintf (file, "Body Name,Payment Date,Transaction Number,Net Amount,Supplier Name,"
                   "Supplier ID,Expense Area,Expense Type\n");
    static const char *areas [] = { "Adult Social Care", "Highways", "Housing", "Education" };
    for (int64_t row = 1; row <= rows; row++) {
        char number [48];
        if (numbers == S_DIGITS)
            snprintf (number, sizeof number, "%" PRId64, 5000000 + row);
        else
            snprintf (number, sizeof number, "24%02d-%06" PRId64,
                      (int) ((row - 1) * 12 / rows) + 1, row);
        fprintf (file, "Example Borough Council,%02d/%02d/2024,%s,%" PRId64 ".%02d,"
                       "Supplier %" PRId64 " Ltd,S%" PRId64 ",%s,Services\n",
                 (int) (row % 28) + 1, (int) (row % 12) + 1, number,
                 500 + row % 90000, (int) (row % 100), row % 2000, row % 2000,
                 areas [row % 4]);
    }
    fclose (file);
}

//  The rows s_generate writes with digit numbers, as a workbook: dates in
//  date-formatted cells, amounts and numbers as numbers; transaction
//  numbers from 7000001 so that they are not the CSV's
static void
s_generate_xlsx (const char *path, int64_t rows)
{
    lxw_workbook_options options = { .constant_memory = LXW_TRUE };
    lxw_workbook *book = workbook_new_opt (path, &options);
    assert (book);
    lxw_format *date = workbook_add_format (book);
    format_set_num_format (date, "dd/mm/yyyy");
    lxw_worksheet *sheet = workbook_add_worksheet (book, "Spend");
    const char *header [] = { "Body Name", "Payment Date", "Transaction Number", "Net Amount",
                              "Supplier Name", "Supplier ID", "Expense Area", "Expense Type" };
    for (int column = 0; column < 8; column++)
        worksheet_write_string (sheet, 0, (lxw_col_t) column, header [column], NULL);
    static const char *areas [] = { "Adult Social Care", "Highways", "Housing", "Education" };
    for (int64_t row = 1; row <= rows; row++) {
        lxw_row_t at = (lxw_row_t) row;
        char name [48], id [24];
        snprintf (name, sizeof name, "Supplier %" PRId64 " Ltd", row % 2000);
        snprintf (id, sizeof id, "S%" PRId64, row % 2000);
        lxw_datetime paid = { 2024, (int) (row % 12) + 1, (int) (row % 28) + 1, 0, 0, 0 };
        worksheet_write_string (sheet, at, 0, "Example Borough Council", NULL);
        worksheet_write_datetime (sheet, at, 1, &paid, date);
        worksheet_write_number (sheet, at, 2, (double) (7000000 + row), NULL);
        worksheet_write_number (sheet, at, 3, (double) (500 + row % 90000) + (row % 100) / 100.0,
                                NULL);
        worksheet_write_string (sheet, at, 4, name, NULL);
        worksheet_write_string (sheet, at, 5, id, NULL);
        worksheet_write_string (sheet, at, 6, areas [row % 4], NULL);
        worksheet_write_string (sheet, at, 7, "Services", NULL);
    }
    assert (workbook_close (book) == LXW_NO_ERROR);
}

//  Generates the file, times the reference and socval submit, prints the
//  figures. Returns 0, or 1 when ingest lost or doubled rows.
static int
s_bench (int64_t rows, s_input_t input)
{
    const char *style = input == S_LEEDS? ", Leeds numbers": "";
    char *dir = zsys_sprintf ("/tmp/sv_bench_ingest_%d", getpid ());
    zsys_dir_create ("%s/keys/partners", dir);
    char *csv = zsys_sprintf ("%s/%s", dir, input == S_OCDS? "package.json": "spend.csv");
    //  Rows: spend rows, or releases; every one is held, or for OCDS the
    //  141 contracts they make (143 distinct ids; the releases naming two
    //  of them are each older than another release of its ocid, so not
    //  applied)
    int64_t expected = rows;
    if (input == S_OCDS) {
        rows = s_generate_ocds (csv, 100);
        expected = 141;
    }
    else
        s_generate (csv, rows, input == S_LEEDS? S_LEEDS: S_DIGITS);
    char *xlsx = zsys_sprintf ("%s/spend.xlsx", dir);
    if (input == S_XLSX) {
        s_generate_xlsx (xlsx, rows);
        expected = 2 * rows;
    }
    const char *kind = input == S_OCDS? "contracts": "spend";
    const char *type = input == S_OCDS? "CONTRACT": "SPEND";

    //  The reference: sqlite3 .import of the same file, or its releases
    //  into a table with json_each (for a workbook: the CSV's submit, below)
    int64_t started = testkit_now_us ();
    if (input == S_XLSX)
        ;
    else
    if (input == S_OCDS)
        assert (testkit_run (NULL, "sqlite3 %s/import.db \"CREATE TABLE releases AS SELECT value"
                             " FROM json_each(readfile('%s'), '$.releases')\"", dir, csv) == 0);
    else
        assert (testkit_run (NULL, "sqlite3 %s/import.db '.import --csv %s spend'", dir, csv) == 0);
    double reference = (double) (testkit_now_us () - started) / 1e6;

    //  The stack: keys, config, socval-ingest
    assert (testkit_run (NULL, "build/socval --data %s keys new ingest >/dev/null", dir) == 0);
    assert (testkit_run (NULL, "build/socval --data %s keys new partner >/dev/null", dir) == 0);
    char *cert_path = zsys_sprintf ("%s/keys/partner.cert", dir);
    char *public_path = zsys_sprintf ("%s/keys/partners/partner.cert", dir);
    zcert_t *cert = zcert_load (cert_path);
    assert (cert && zcert_save_public (cert, public_path) == 0);
    char *config_path = zsys_sprintf ("%s/socval.cfg", dir);
    FILE *config = fopen (config_path, "w");
    fprintf (config, "data\n    dir = \"%s\"\npartners\n    council\n        public_key = \"%s\"\n"
                     "ingest\n    feed_endpoint = \"tcp://127.0.0.1:18710\"\n"
                     "    stream_endpoint = \"tcp://127.0.0.1:18711\"\n"
                     "    control_endpoint = \"tcp://127.0.0.1:18712\"\n",
             dir, zcert_public_txt (cert));
    fclose (config);
    zcert_destroy (&cert);
    pid_t ingest = fork ();
    if (ingest == 0) {
        execl ("build/socval-ingest", "socval-ingest", "--config", config_path, (char *) NULL);
        _exit (127);
    }
    while (testkit_count ("tcp://127.0.0.1:18712", 1000, "SPEND") < 0)
        zclock_sleep (50);

    started = testkit_now_us ();
    int rc = testkit_run (NULL, "build/socval --config %s --timeout 120 submit --kind %s %s > %s/receipt.txt",
                    config_path, kind, csv, dir);
    double submit = (double) (testkit_now_us () - started) / 1e6;
    if (input == S_XLSX) {
        reference = submit;
        started = testkit_now_us ();
        rc |= testkit_run (NULL, "build/socval --config %s --timeout 120 submit --kind %s %s"
                           " > %s/receipt.txt", config_path, kind, xlsx, dir);
        submit = (double) (testkit_now_us () - started) / 1e6;
    }
    long peak = testkit_peak_kb (ingest);
    //  A fast run that lost rows would be no result: every row is held,
    //  and streamed once
    int64_t held = testkit_count ("tcp://127.0.0.1:18712", 5000, type);
    kill (ingest, SIGTERM);
    waitpid (ingest, NULL, 0);
    int64_t streamed = -1;
    char *streamed_text = NULL;
    if (testkit_run (&streamed_text, "sqlite3 %s/ingest.db \"SELECT count(DISTINCT key)"
                     " FROM outbox WHERE type = '%s'\"", dir, type) == 0 && streamed_text)
        streamed = atoll (streamed_text);
    free (streamed_text);
    if (held != expected || streamed != expected) {
        printf ("ingest: %" PRId64 " rows held and %" PRId64 " streamed of %" PRId64 "\n",
                held, streamed, expected);
        rc = 1;
    }
    char *receipt_path = zsys_sprintf ("%s/receipt.txt", dir);
    char *receipt = NULL;
    FILE *file = fopen (receipt_path, "r");
    if (file) {
        zchunk_t *chunk = zchunk_read (file, 4096);
        receipt = strndup ((const char *) zchunk_data (chunk), zchunk_size (chunk));
        zchunk_destroy (&chunk);
        fclose (file);
    }

    printf ("%-44s %14s %14s %8s\n", "benchmark", "measured", "reference", "ratio");
    char *name = zsys_sprintf ("ingest: socval submit of a %s%s",
                               input == S_OCDS? "release package":
                               input == S_XLSX? "spend xlsx": "spend CSV", style);
    printf ("%-44s %10.0f rows/s %8.0f rows/s %7.2fx\n",
            name, rows / submit, rows / reference, submit / reference);
    zstr_free (&name);
    if (input == S_OCDS)
        printf ("  (%" PRId64 " releases in %.0f MB; reference = sqlite3 json_each of its releases"
                " into a table in a file; no target)\n", rows, (double) s_size (csv) / 1e6);
    else
    if (input == S_XLSX)
        printf ("  (%" PRId64 " rows in a %.1f MB workbook; reference = socval submit of the same"
                " rows as a %.1f MB CSV; no target)\n", rows, (double) s_size (xlsx) / 1e6,
                (double) s_size (csv) / 1e6);
    else
        printf ("  (%" PRId64 " rows; reference = sqlite3 .import --csv into a file;"
                " ratio = submit time / import time, target <= 1.50)\n", rows);
    printf ("%-44s %10ld kB   (target < 65536 kB)\n", "ingest: peak resident memory", peak);
    printf ("  receipt: %s", receipt? receipt: "(none)\n");
    printf ("  rows held by ingest: %" PRId64 "; %s events in its outbox: %" PRId64 "\n",
            held, type, streamed);
    //  The lines tools/bench_table.sh reads
    if (input == S_OCDS)
        printf ("BENCH|ingest: socval submit of a %.0f MB OCDS release package (%" PRId64
                " releases) until its receipt vs sqlite3 json_each of its releases into a table"
                "|%.0f|releases/s|%.0f|releases/s|%.2f||\n", (double) s_size (csv) / 1e6, rows,
                rows / submit, rows / reference, submit / reference);
    else
    if (input == S_XLSX)
        printf ("BENCH|ingest: socval submit of a %" PRId64 "-row spend xlsx until its receipt"
                " vs the same rows as CSV|%.0f|rows/s|%.0f|rows/s|%.2f||\n", rows, rows / submit,
                rows / reference, submit / reference);
    else
        printf ("BENCH|ingest: socval submit of a %" PRId64 "-row spend CSV%s until its receipt"
                " vs sqlite3 .import --csv of the same file|%.0f|rows/s|%.0f|rows/s|%.2f|<= 1.5|%s\n",
                rows, style, rows / submit, rows / reference, submit / reference,
                rc == 0 && submit / reference <= 1.5? "yes": "no");
    printf ("PEAK|ingest|%.1f|< 64\n", peak / 1024.0);

    assert (testkit_run (NULL, "rm -rf '%s'", dir) == 0);
    free (receipt);
    zstr_free (&receipt_path);
    zstr_free (&config_path);
    zstr_free (&public_path);
    zstr_free (&cert_path);
    zstr_free (&csv);
    zstr_free (&xlsx);
    zstr_free (&dir);
    return rc == 0? 0: 1;
}

int
main (int argc, char *argv [])
{
    int64_t rows = argc > 1? atoll (argv [1]): 1000000;
    int rc = s_bench (rows, S_DIGITS);
    rc |= s_bench (rows, S_LEEDS);
    rc |= s_bench (0, S_OCDS);
    rc |= s_bench (rows < 100000? rows: 100000, S_XLSX);
    return rc;
}
