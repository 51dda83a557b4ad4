/*  reporting_pack: the open-data pack. See reporting_pack.h.

    The tables are described once, in s_columns: the CSV header, the
    SQLite table and the data dictionary all come from it, so they cannot
    disagree. The SQLite file is an output format, as xlsx is for the
    reports: it is written to a temporary file with its own connection and
    read back, never touching reporting's store.
*/

#include "reporting_pack.h"
#include "reporting_explain.h"
#include "reporting_method.h"
#include "reporting_render.h"
#include "sv_csv.h"
#include <sqlite3.h>

typedef enum { S_TEXT, S_INT, S_REAL } s_type_t;

typedef struct {
    const char *table;
    const char *column;
    s_type_t type;
    const char *meaning;
} s_column_t;

static const s_column_t s_columns [] = {
    { "payments", "partner", S_TEXT, "The partner that made the payment (its config name)" },
    { "payments", "line", S_TEXT, "The payment's key in the partner's records: SPEND/ then"
      " its transaction number and line, or its content when it has no number" },
    { "payments", "source_seq", S_INT, "The ingest stream event the payment was read from"
      " (empty when not held)" },
    { "payments", "payment_date", S_TEXT, "Date paid, yyyy-mm-dd" },
    { "payments", "year", S_TEXT, "Financial year of the payment date, 2024-25" },
    { "payments", "supplier_key", S_TEXT, "socval's key for the supplier (Companies House"
      " number, else the partner's supplier id, else its name); empty when redacted" },
    { "payments", "supplier", S_TEXT, "The supplier's name from the suppliers feed, else its"
      " key; \"(redacted)\" when the partner withheld it" },
    { "payments", "redacted", S_INT, "1 when the partner withheld the supplier's identity" },
    { "payments", "postcode", S_TEXT, "The postcode the payment was placed by: the payment's"
      " own, else the supplier's; empty when none, or redacted" },
    { "payments", "locality", S_TEXT, "local, non_local or unknown (see methodology.md)" },
    { "payments", "ward_code", S_TEXT, "ONS code of the supplier's ward, when the postcode"
      " directory gives it" },
    { "payments", "ward_name", S_TEXT, "The directory's name of that ward" },
    { "payments", "locality_reason", S_TEXT, "Which rule of the partner's local area placed"
      " the postcode; empty when valued before socval recorded it" },
    { "payments", "directory", S_TEXT, "The postcode directory used, as configured" },
    { "payments", "sme", S_INT, "1 when the supplier is a small or medium-sized enterprise" },
    { "payments", "vcse", S_INT, "1 when the supplier is a voluntary, community or social"
      " enterprise" },
    { "payments", "employee_owned", S_INT, "1 when the supplier is employee-owned" },
    { "payments", "amount_pence", S_INT, "Amount paid in pence; negative for a credit" },

    { "contracts", "partner", S_TEXT, "The partner that let the contract" },
    { "contracts", "contract_id", S_TEXT, "The partner's contract reference" },
    { "contracts", "title", S_TEXT, "Contract title" },
    { "contracts", "supplier_key", S_TEXT, "socval's key for the supplier" },
    { "contracts", "supplier", S_TEXT, "The supplier's name, else its key" },
    { "contracts", "category", S_TEXT, "Procurement category" },
    { "contracts", "value_pence", S_INT, "Total contract value in pence" },
    { "contracts", "start_date", S_TEXT, "Contract start, as given" },
    { "contracts", "end_date", S_TEXT, "Contract end, as given" },
    { "contracts", "rlw_in_scope", S_TEXT, "yes, no, or derive (decided from the category"
      " and duration)" },
    { "contracts", "rlw_commitment", S_INT, "1 when the contract commits the supplier to the"
      " Real Living Wage" },
    { "contracts", "incomplete", S_INT, "1 when some of the contract's data were missing" },

    { "suppliers", "partner", S_TEXT, "The partner whose records these are" },
    { "suppliers", "supplier_key", S_TEXT, "socval's key for the supplier" },
    { "suppliers", "name", S_TEXT, "Name as given; \"(redacted)\" when withheld" },
    { "suppliers", "postcode", S_TEXT, "Postcode of the trading address; empty when redacted" },
    { "suppliers", "locality", S_TEXT, "How its payments of the year were placed: local,"
      " non_local, unknown, mixed (placed differently), or empty when not paid" },
    { "suppliers", "payments", S_INT, "Payments to it in the year" },
    { "suppliers", "paid_pence", S_INT, "Their sum in pence" },
    { "suppliers", "sme", S_INT, "1 when a small or medium-sized enterprise" },
    { "suppliers", "vcse", S_INT, "1 when a voluntary, community or social enterprise" },
    { "suppliers", "employee_owned", S_INT, "1 when employee-owned" },
    { "suppliers", "rlw_accredited", S_INT, "1 when accredited as a Real Living Wage"
      " employer" },
    { "suppliers", "rlw_expiry", S_TEXT, "When that accreditation lapses" },
    { "suppliers", "redacted", S_INT, "1 when the partner withheld the supplier's identity" },

#define S_VALUED(TABLE) \
    { TABLE, "partner", S_TEXT, "The partner that let the contract" }, \
    { TABLE, "line", S_TEXT, "The line's key: COMMITMENT or DELIVERY, then its contract," \
      " measure and year or period (a return's spells out its ward and group: empty when" \
      " they are suppressed)" }, \
    { TABLE, "source_seq", S_INT, "The ingest stream event it was read from" }, \
    { TABLE, "contract", S_TEXT, "The contract" }, \
    { TABLE, "supplier_key", S_TEXT, "The contract's supplier" }, \
    { TABLE, "measure", S_TEXT, "Framework measure" }, \
    { TABLE, "year", S_TEXT, "Financial year counted in, and of the proxy applied" }
    S_VALUED ("commitments"),
    { "commitments", "quantity", S_REAL, "Quantity committed, in the measure's unit" },
    { "commitments", "proxy_pence", S_INT, "Proxy value of one unit in pence" },
    { "commitments", "value_pence", S_INT, "quantity x proxy, rounded half to even" },
    { "commitments", "framework", S_TEXT, "Framework id" },
    { "commitments", "framework_version", S_TEXT, "Framework version" },
    { "commitments", "flagged", S_INT, "1 when valuation could not value it: counted in no"
      " figure" },
    S_VALUED ("deliveries"),
    { "deliveries", "evidence", S_TEXT, "claimed, evidenced or validated" },
    { "deliveries", "counted", S_INT, "1 when its state is counted (methodology.md) and it"
      " is not flagged: it is in the delivered figures" },
    { "deliveries", "flagged", S_INT, "1 when valuation could not value it" },
    { "deliveries", "quantity", S_REAL, "Quantity delivered, in the measure's unit" },
    { "deliveries", "proxy_pence", S_INT, "Proxy value of one unit in pence" },
    { "deliveries", "value_pence", S_INT, "quantity x proxy, rounded half to even" },
    { "deliveries", "framework", S_TEXT, "Framework id" },
    { "deliveries", "framework_version", S_TEXT, "Framework version" },
    { "deliveries", "ward", S_TEXT, "Ward of delivery: its ONS code, else the name given;"
      " empty when suppressed" },
    { "deliveries", "ward_name", S_TEXT, "The directory's name of the ward" },
    { "deliveries", "beneficiary_group", S_TEXT, "Group that benefited; empty when"
      " suppressed" },
    { "deliveries", "suppressed", S_INT, "1 when ward or group are withheld as small"
      " numbers" },
#undef S_VALUED

    { "framework", "framework", S_TEXT, "Framework id" },
    { "framework", "version", S_TEXT, "Framework version" },
    { "framework", "measure", S_TEXT, "Measure" },
    { "framework", "theme", S_TEXT, "Theme" },
    { "framework", "unit", S_TEXT, "Unit" },
    { "framework", "description", S_TEXT, "Description" },
    { "framework", "proxy_year", S_TEXT, "Financial year whose proxy valued the lines: a"
      " commitment's contract's start year, a delivery's own; empty for a record-only"
      " measure" },
    { "framework", "proxy_pence", S_INT, "Proxy value of one unit in pence; empty for a"
      " record-only measure, which has no £ value" },
    { "framework", "record_only", S_INT, "1 when the framework gives the measure no £ value"
      " (a Social Value Model metric): counted in its unit only" },
    { "framework", "lines", S_INT, "Lines of the year valued with it" },

    { "data_dictionary", "table_name", S_TEXT, "A table of the pack" },
    { "data_dictionary", "column_name", S_TEXT, "One of its columns" },
    { "data_dictionary", "type", S_TEXT, "text, integer or real" },
    { "data_dictionary", "meaning", S_TEXT, "What it holds" },
    { NULL, NULL, S_TEXT, NULL }
};

static const char *const s_type_names [] = { "text", "integer", "real" };

//  One table being written: its CSV and its SQLite insert
typedef struct {
    const char *table;
    const s_column_t *columns;      //  the table's first column in s_columns
    size_t count;
    FILE *csv;
    char *data;                     //  open_memstream's buffer
    size_t size;
    sqlite3 *db;
    sqlite3_stmt *insert;
    //  deliveries only: wards and groups withheld (name -> non-NULL)
    zhashx_t *suppressed;
    int failed;
} s_table_t;

//  Starts table in the pack's SQLite db; its header goes to its CSV
static int
s_table_open (s_table_t *self, const char *table, sqlite3 *db)
{
    memset (self, 0, sizeof *self);
    self->table = table;
    self->db = db;
    for (const s_column_t *column = s_columns; column->table; column++)
        if (streq (column->table, table)) {
            if (!self->columns)
                self->columns = column;
            self->count++;
        }
    assert (self->columns);
    self->csv = open_memstream (&self->data, &self->size);
    char *create = zsys_sprintf ("CREATE TABLE %s (", table);
    char *insert = zsys_sprintf ("INSERT INTO %s VALUES (", table);
    for (size_t index = 0; index < self->count; index++) {
        const s_column_t *column = &self->columns [index];
        if (index)
            fputc (',', self->csv);
        sv_csv_write_field (self->csv, column->column);
        char *more = zsys_sprintf ("%s%s%s %s", create, index? ", ": "", column->column,
                                   column->type == S_INT? "INTEGER"
                                 : column->type == S_REAL? "REAL": "TEXT");
        zstr_free (&create);
        create = more;
        more = zsys_sprintf ("%s%s?", insert, index? ", ": "");
        zstr_free (&insert);
        insert = more;
    }
    fputs ("\r\n", self->csv);
    char *sql = zsys_sprintf ("%s)", create);
    self->failed = sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK;
    zstr_free (&sql);
    sql = zsys_sprintf ("%s)", insert);
    if (!self->failed)
        self->failed = sqlite3_prepare_v2 (db, sql, -1, &self->insert, NULL) != SQLITE_OK;
    zstr_free (&sql);
    zstr_free (&create);
    zstr_free (&insert);
    return self->failed? -1: 0;
}

//  Writes row (its members named by the table's columns) to both
static int
s_table_row (json_t *row, void *arg)
{
    s_table_t *self = (s_table_t *) arg;
    for (size_t index = 0; index < self->count; index++) {
        const s_column_t *column = &self->columns [index];
        json_t *value = json_object_get (row, column->column);
        int place = (int) index + 1;
        if (index)
            fputc (',', self->csv);
        if (json_is_string (value)) {
            sv_csv_write_field (self->csv, json_string_value (value));
            sqlite3_bind_text (self->insert, place, json_string_value (value), -1,
                               SQLITE_TRANSIENT);
        }
        else
        if (json_is_boolean (value) || json_is_integer (value)) {
            int64_t number = json_is_boolean (value)? json_is_true (value)
                                                    : json_integer_value (value);
            fprintf (self->csv, "%" PRId64, number);
            sqlite3_bind_int64 (self->insert, place, number);
        }
        else
        if (json_is_real (value)) {
            //  Quantities are thousandths: three decimals print them exactly
            fprintf (self->csv, "%.3f", json_real_value (value));
            sqlite3_bind_double (self->insert, place, json_real_value (value));
        }
        else
            sqlite3_bind_null (self->insert, place);
    }
    fputs ("\r\n", self->csv);
    if (sqlite3_step (self->insert) != SQLITE_DONE)
        self->failed = -1;
    sqlite3_reset (self->insert);
    return self->failed;
}

//  Ends table, adding its CSV to files; 0 or -1
static int
s_table_close (s_table_t *self, zlistx_t *files)
{
    sqlite3_finalize (self->insert);
    fclose (self->csv);
    reporting_render_file_t *file = (reporting_render_file_t *) zmalloc (sizeof *file);
    file->name = zsys_sprintf ("%s.csv", self->table);
    file->payload = zchunk_new (self->data, self->size);
    free (self->data);
    zlistx_add_end (files, file);
    return self->failed? -1: 0;
}

static void
s_add_text (zlistx_t *files, const char *name, const char *text)
{
    reporting_render_file_t *file = (reporting_render_file_t *) zmalloc (sizeof *file);
    file->name = strdup (name);
    file->payload = zchunk_new (text, strlen (text));
    zlistx_add_end (files, file);
}

static void
s_file_destructor (void **item)
{
    reporting_render_file_destroy ((reporting_render_file_t **) item);
}

//  --------------------------------------------------------------------------
//  Small numbers in deliveries

typedef struct {
    zhashx_t *counts;               //  "w:ward" / "g:group" -> count (as pointer)
} s_counts_t;

static int
s_count_delivery (json_t *row, void *arg)
{
    s_counts_t *self = (s_counts_t *) arg;
    const char *keys [] = { "ward", "beneficiary_group" };
    for (int index = 0; index < 2; index++) {
        const char *value = json_string_value (json_object_get (row, keys [index]));
        if (!value || !*value)
            continue;
        char *key = zsys_sprintf ("%c:%s", index? 'g': 'w', value);
        size_t count = (size_t) zhashx_lookup (self->counts, key);
        zhashx_update (self->counts, key, (void *) (count + 1));
        zstr_free (&key);
    }
    return 0;
}

//  A delivery, its ward and group left out when either is withheld
static int
s_delivery_row (json_t *row, void *arg)
{
    s_table_t *self = (s_table_t *) arg;
    reporting_explain_withhold (row, self->suppressed);
    return s_table_row (row, arg);
}

//  The wards and groups withheld: those the report suppresses, and those
//  with fewer returns than the threshold among all the pack's deliveries
static zhashx_t *
s_withheld (reporting_store_t *store, const reporting_store_params_t *params,
            const json_t *report, const reporting_store_figure_t *figure, const char **reason_p)
{
    s_counts_t counts = { zhashx_new () };
    if (reporting_store_lines (store, params, figure, s_count_delivery, &counts, reason_p)) {
        zhashx_destroy (&counts.counts);
        return NULL;
    }
    zhashx_t *withheld = reporting_explain_withheld (report);
    int64_t threshold = params->small_number_threshold;
    for (void *count = zhashx_first (counts.counts); count;
         count = zhashx_next (counts.counts))
        if ((int64_t) (size_t) count < threshold)
            zhashx_update (withheld, zhashx_cursor (counts.counts), (void *) 1);
    zhashx_destroy (&counts.counts);
    return withheld;
}

//  --------------------------------------------------------------------------
//  The pack

//  The SQLite file's bytes, read back from path; NULL when it cannot be
static zchunk_t *
s_slurp (const char *path)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    zchunk_t *chunk = NULL;
    long size = fseek (file, 0, SEEK_END) == 0? ftell (file): -1;
    if (size >= 0 && fseek (file, 0, SEEK_SET) == 0) {
        byte *data = (byte *) malloc ((size_t) size + 1);
        if (data && fread (data, 1, (size_t) size, file) == (size_t) size)
            chunk = zchunk_new (data, (size_t) size);
        free (data);
    }
    fclose (file);
    return chunk;
}

zlistx_t *
reporting_pack (reporting_store_t *store, const reporting_store_params_t *params,
                const json_t *report, const char *licence, json_t *local_area,
                const char **reason_p)
{
    assert (store && params && report && licence);
    reporting_store_params_t scope = *params;
    scope.year = json_string_value (json_object_get (report, "year"));
    zlistx_t *files = zlistx_new ();
    zlistx_set_destructor (files, s_file_destructor);
    char path [] = "/tmp/socval-pack-XXXXXX";
    int fd = mkstemp (path);
    sqlite3 *db = NULL;
    if (fd < 0 || sqlite3_open (path, &db) != SQLITE_OK
    ||  sqlite3_exec (db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN",
                      NULL, NULL, NULL) != SQLITE_OK) {
        *reason_p = "cannot make the pack's SQLite file in /tmp";
        if (fd >= 0)
            close (fd);
        sqlite3_close (db);
        remove (path);
        zlistx_destroy (&files);
        return NULL;
    }
    close (fd);
    int rc = 0;
    s_table_t table;
    //  payments, commitments and deliveries are lines, largest first
    reporting_store_figure_t payments = { .locality = -1, .kind = -1 };
    reporting_store_figure_t commitments = { .valued = true, .kind = 0, .locality = -1,
                                             .every_state = true };
    reporting_store_figure_t deliveries = { .valued = true, .kind = 1, .locality = -1,
                                            .every_state = true };
    rc = s_table_open (&table, "payments", db)
      || reporting_store_lines (store, &scope, &payments, s_table_row, &table, reason_p);
    rc = s_table_close (&table, files) || rc;
    const char *tables [] = { "contracts", "suppliers" };
    for (int index = 0; index < 2 && rc == 0; index++) {
        rc = s_table_open (&table, tables [index], db)
          || reporting_store_table (store, &scope, tables [index], s_table_row, &table,
                                    reason_p);
        rc = s_table_close (&table, files) || rc;
    }
    if (rc == 0) {
        rc = s_table_open (&table, "commitments", db)
          || reporting_store_lines (store, &scope, &commitments, s_table_row, &table,
                                    reason_p);
        rc = s_table_close (&table, files) || rc;
    }
    zhashx_t *withheld = rc? NULL: s_withheld (store, &scope, report, &deliveries, reason_p);
    if (rc == 0 && withheld) {
        rc = s_table_open (&table, "deliveries", db);
        table.suppressed = withheld;
        rc = rc || reporting_store_lines (store, &scope, &deliveries, s_delivery_row, &table,
                                          reason_p);
        rc = s_table_close (&table, files) || rc;
    }
    else
        rc = -1;
    zhashx_destroy (&withheld);
    if (rc == 0) {
        rc = s_table_open (&table, "framework", db)
          || reporting_store_table (store, &scope, "framework", s_table_row, &table, reason_p);
        rc = s_table_close (&table, files) || rc;
    }
    if (rc == 0) {
        rc = s_table_open (&table, "data_dictionary", db);
        for (const s_column_t *column = s_columns; column->table && rc == 0; column++) {
            json_t *row = json_pack ("{s:s, s:s, s:s, s:s}", "table_name", column->table,
                                     "column_name", column->column,
                                     "type", s_type_names [column->type],
                                     "meaning", column->meaning);
            rc = s_table_row (row, &table);
            json_decref (row);
        }
        rc = s_table_close (&table, files) || rc;
    }
    if (rc == 0 && sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = -1;
    sqlite3_close (db);
    if (rc == 0) {
        char *method = reporting_method_markdown (report);
        s_add_text (files, "methodology.md", method);
        zstr_free (&method);
        json_t *about = json_pack ("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:s}",
            "pack", "open-data",
            "year", json_object_get (report, "year"),
            "partner", json_object_get (report, "partner"),
            "partners", json_object_get (report, "partners"),
            "offsets", json_object_get (report, "offsets"),
            "evidence_counted", json_object_get (report, "evidence_counted"),
            "small_number_threshold", json_object_get (report, "small_number_threshold"),
            "licence", licence);
        json_object_set (about, "local_area", local_area? local_area: json_null ());
        char *text = json_dumps (about, JSON_INDENT (2));
        char *line = zsys_sprintf ("%s\n", text);
        s_add_text (files, "offsets.json", line);
        zstr_free (&line);
        free (text);
        json_decref (about);
        char *statement = zsys_sprintf ("%s\n\nThe data in this pack (%s, %s) are published"
                                        " under the %s.\n", licence,
                                        json_string_value (json_object_get (report, "title")),
                                        json_string_value (json_object_get (report, "year")),
                                        licence);
        s_add_text (files, "LICENCE.txt", statement);
        zstr_free (&statement);
        zchunk_t *sqlite = s_slurp (path);
        if (sqlite) {
            reporting_render_file_t *file = (reporting_render_file_t *) zmalloc (sizeof *file);
            file->name = strdup ("open-data.sqlite");
            file->payload = sqlite;
            zlistx_add_end (files, file);
        }
        else {
            rc = -1;
            *reason_p = "cannot read the pack's SQLite file back";
        }
    }
    else
    if (!*reason_p)
        *reason_p = "cannot write the pack's SQLite file";
    remove (path);
    if (rc)
        zlistx_destroy (&files);
    return files;
}

//  --------------------------------------------------------------------------
//  Self-test

//  The file called name in files, NULL when none
static reporting_render_file_t *
s_file (zlistx_t *files, const char *name)
{
    for (reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files); file;
         file = (reporting_render_file_t *) zlistx_next (files))
        if (streq (file->name, name))
            return file;
    return NULL;
}

//  The sum of column (by number, from 0) over a CSV's rows whose column
//  where equals value (where -1: every row); a simple reader: the test's
//  fields hold no quoted commas before the columns summed
static int64_t
s_csv_sum (reporting_render_file_t *file, int column, int where, const char *value)
{
    char *text = strndup ((const char *) zchunk_data (file->payload),
                          zchunk_size (file->payload));
    int64_t sum = 0;
    char *save = NULL;
    strtok_r (text, "\r\n", &save);     //  the header
    for (char *line = strtok_r (NULL, "\r\n", &save); line;
         line = strtok_r (NULL, "\r\n", &save)) {
        char *fields [64];
        int count = 0;
        for (char *field = line; field && count < 64; ) {
            fields [count++] = field;
            char *comma = strchr (field, ',');
            if (comma)
                *comma++ = 0;
            field = comma;
        }
        if (column < count && (where < 0 || (where < count && streq (fields [where], value))))
            sum += strtoll (fields [column], NULL, 10);
    }
    free (text);
    return sum;
}

void
reporting_pack_test (bool verbose)
{
    printf (" * reporting_pack: ");
    if (verbose)
        printf ("\n");
    char path [] = "/tmp/reporting_pack_test_XXXXXX";
    reporting_store_t *store = reporting_store_fixture (path);
    reporting_store_params_t params = {
        .kind = "annual", .year = "2024-25", .partner = "", .created = "2025-04-30T09:00:00Z",
        .evidence_counted = "evidenced,validated", .small_number_threshold = 2
    };
    json_t *report = reporting_store_report (store, &params, NULL);
    assert (report);
    const char *reason = NULL;
    zlistx_t *files = reporting_pack (store, &params, report, "Open Government Licence v3.0",
                                      NULL, &reason);
    if (!files)
        printf ("%s\n", reason);
    assert (files);
    const char *names [] = { "payments.csv", "contracts.csv", "suppliers.csv",
                             "commitments.csv", "deliveries.csv", "framework.csv",
                             "data_dictionary.csv", "methodology.md", "offsets.json",
                             "LICENCE.txt", "open-data.sqlite" };
    for (size_t index = 0; index < sizeof names / sizeof names [0]; index++)
        assert (s_file (files, names [index]));
    assert (zlistx_size (files) == sizeof names / sizeof names [0]);

    //  Totals in pence, as the report: amount_pence is column 17, locality
    //  9; value_pence 12 of deliveries, counted 8; commitments 9, flagged 12
    reporting_render_file_t *payments = s_file (files, "payments.csv");
    assert (s_csv_sum (payments, 17, -1, NULL) == 540000);
    assert (s_csv_sum (payments, 17, 9, "local") == 235000);
    json_t *spend = json_object_get (report, "spend");
    assert (s_csv_sum (payments, 17, -1, NULL)
            == json_integer_value (json_object_get (spend, "total_pence")));
    json_t *value = json_object_get (report, "social_value");
    reporting_render_file_t *deliveries = s_file (files, "deliveries.csv");
    assert (s_csv_sum (deliveries, 12, 8, "1")
            == json_integer_value (json_object_get (value, "delivered_pence")));
    reporting_render_file_t *commitments = s_file (files, "commitments.csv");
    assert (s_csv_sum (commitments, 9, 12, "0")
            == json_integer_value (json_object_get (value, "committed_pence")));

    //  The redacted payment stays redacted
    char *text = strndup ((const char *) zchunk_data (payments->payload),
                          zchunk_size (payments->payload));
    assert (strstr (text, "council,SPEND/T4/1,104,2025-02-15,2024-25,,(redacted),1,,unknown,"));
    free (text);
    //  The header and the dictionary agree
    assert (strncmp ((const char *) zchunk_data (payments->payload),
                     "partner,line,source_seq,payment_date,", 37) == 0);
    text = strndup ((const char *) zchunk_data (s_file (files, "data_dictionary.csv")->payload),
                    zchunk_size (s_file (files, "data_dictionary.csv")->payload));
    assert (strstr (text, "payments,amount_pence,integer,"));
    free (text);

    //  Small numbers: with a threshold of 2, the wards of one return in
    //  the pack are blank; Boston Castle (7 returns) is not
    text = strndup ((const char *) zchunk_data (deliveries->payload),
                    zchunk_size (deliveries->payload));
    if (verbose)
        printf ("%s", text);
    assert (strstr (text, "Boston Castle"));
    assert (strstr (text, ",Older people,") == NULL);   //  one return: withheld
    free (text);

    //  Twice: the same bytes, every file
    zlistx_t *again = reporting_pack (store, &params, report, "Open Government Licence v3.0",
                                      NULL, &reason);
    assert (again && zlistx_size (again) == zlistx_size (files));
    for (reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files);
         file; file = (reporting_render_file_t *) zlistx_next (files)) {
        reporting_render_file_t *other = s_file (again, file->name);
        assert (other && zchunk_size (other->payload) == zchunk_size (file->payload));
        assert (memcmp (zchunk_data (other->payload), zchunk_data (file->payload),
                        zchunk_size (file->payload)) == 0);
    }
    zlistx_destroy (&again);
    zlistx_destroy (&files);
    json_decref (report);
    reporting_store_fixture_end (&store, path);
    printf ("OK\n");
}
