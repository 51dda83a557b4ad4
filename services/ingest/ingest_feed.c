/*  ingest_feed: one batch's bytes to normalised events. See ingest_feed.h.

    The kinds and formats go together like this:

        kind          csv                ocds                 msgpack
        spend         ingest_spend       -                    SPEND records
        suppliers     sv_csv table   parties (suppliers)  SUPPLIER records
        contracts     sv_csv table   awards/contracts     CONTRACT records
        commitments   sv_csv table   -                    COMMITMENT records
        deliveries    sv_csv table   -                    DELIVERY records
        kpis          sv_csv table   -                    KPI records

    A contracts batch in OCDS also yields the KPIs of its contracts'
    agreedMetrics (ingest_ocds), after the contracts themselves.

    An xlsx batch of any kind is spooled by ingest_xlsx as it arrives and
    read at finish; each row of its sheet goes to the kind's CSV reader as
    a record already in cells (sv_csv_feed_cells), numbered as the sheet
    numbers it, so header mapping, checks, keys and warnings are the CSV
    path's. Its errors name the sheet and cell: the header row is kept to
    turn an error's column back into the cell's letter.

    Natural keys (what makes a re-sent row a duplicate, per partner): a
    payment's is its transaction number / line (ingest_spend.h); the other
    kinds' are ingest_records_key's, whatever the format (ingest_records.h,
    "What identifies each kind of row"). A key too long for the store is a
    row error, never a batch refused.

    Rows of one file: a spend CSV's keys cannot repeat (the line counts
    occurrences); a CSV of the other kinds is checked by ingest_records; a
    msgpack batch here, the same way (ingest_records.h, "Rows of one
    file"); an OCDS package's releases are resolved by ingest_ocds (the
    latest release of a contract wins), so a contract or supplier named by
    several releases is not a conflict.
*/

#include "ingest_feed.h"
#include "ingest_ocds.h"
#include "ingest_records.h"
#include "ingest_seen.h"
#include "ingest_spend.h"
#include "ingest_xlsx.h"
#include "sv_date.h"
#include "sv_msgpack.h"

#define S_MAX_RECORD (1024 * 1024)     //  one msgpack record, at most
#define S_QUOTE(x) #x
#define S_TEXT(x) S_QUOTE (x)

typedef enum { S_SPEND, S_SUPPLIERS, S_CONTRACTS, S_COMMITMENTS, S_DELIVERIES, S_COMPANIES,
               S_KPIS, S_KINDS } s_kind_t;
typedef enum { S_CSV, S_OCDS, S_MSGPACK, S_XLSX } s_format_t;

struct _ingest_feed_t {
    char *partner;
    char *batch_id;
    s_kind_t kind;
    s_format_t format;
    ingest_feed_row_fn *row_fn;
    ingest_feed_error_fn *error_fn;
    ingest_feed_error_fn *warning_fn;   //  or NULL
    void *arg;
    zchunk_t *pending;          //  msgpack: bytes of a record not yet whole
    ingest_ocds_t *ocds;        //  ocds: reads the document as it arrives
    uint64_t records;           //  msgpack: records read
    ingest_seen_t *seen;        //  msgpack: the batch's keys so far
    msgpack_sbuffer encoded;    //  msgpack: a record as it will be stored
    ingest_spend_t *spend;      //  csv spend
    ingest_records_t *table;    //  csv of the other kinds
    ingest_xlsx_t *xlsx;        //  xlsx: the workbook, spooled
    char *sheet;                //  xlsx: the sheet asked for, or NULL (the first)
    char **header;              //  xlsx: the header row's cells, trimmed, once found
    size_t header_count;
    char **groups;              //  declared beneficiary groups, NULL-terminated, or NULL
    bool stopped;               //  refused whole, or the caller stopped us
    char reason [256];
};

static const char *s_kinds [S_KINDS] = {
    "spend", "suppliers", "contracts", "commitments", "deliveries", "companies", "kpis"
};
static const sv_proto_id_t s_kind_ids [S_KINDS] = {
    SV_PROTO_SPEND, SV_PROTO_SUPPLIER, SV_PROTO_CONTRACT, SV_PROTO_COMMITMENT, SV_PROTO_DELIVERY,
    SV_PROTO_COMPANY, SV_PROTO_KPI
};

static int
s_refuse (ingest_feed_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (self->reason, sizeof self->reason, format, args);
    va_end (args);
    self->stopped = true;
    return -1;
}

//  ==========================================================================
//  Natural keys

//  Writes the natural key of a row's event into key (size bytes, at least
//  INGEST_RECORDS_KEY_BUF). 0, or -1 when it does not fit.
static int
s_natural_key (const sv_proto_t *event, char *key, size_t size)
{
    switch (event->id) {
        case SV_PROTO_SPEND: {
            //  By hand, as this runs for every payment: number/line
            char line [24];
            size_t at = sizeof line;
            uint64_t value = event->spend.line;
            line [--at] = 0;
            do
                line [--at] = (char) ('0' + value % 10);
            while (value /= 10);
            size_t length = strlen (event->spend.transaction_no);
            if (length + 1 + sizeof line - at > size)
                length = size - 1 - (sizeof line - at);
            memcpy (key, event->spend.transaction_no, length);
            key [length] = '/';
            memcpy (key + length + 1, line + at, sizeof line - at);
            return 0;
        }
        default:
            return ingest_records_key (event, key, size);
    }
}

//  Hands one event to the caller with its natural key, made here when key
//  is NULL; row is its number, for the error of a key too long. 0 or -1.
static int
s_emit (ingest_feed_t *self, const sv_proto_t *event, const char *key, uint64_t row)
{
    char made [INGEST_RECORDS_KEY_BUF];
    if (!key && s_natural_key (event, made, sizeof made)) {
        //  Only a format whose fields are not checked one by one gets here
        //  (OCDS): the row goes, the batch stays
        self->error_fn (self->arg, row, "", "the row's natural key is longer than the "
                        S_TEXT (INGEST_RECORDS_KEY_MAX) " bytes a key may hold");
        return 0;
    }
    if (self->row_fn (self->arg, key? key: made, event))
        return s_refuse (self, "the store failed; send the batch again");
    return 0;
}

//  ==========================================================================
//  CSV spend (ingest_spend reads and checks the file)

static int
s_spend_row (const ingest_spend_row_t *row, void *arg)
{
    ingest_feed_t *self = (ingest_feed_t *) arg;
    char date [SV_DATE_BUF], supplier_key [256];
    if (row->redacted)
        *supplier_key = 0;
    else
        ingest_records_supplier_key (row->company_number, row->supplier_id, row->supplier_name,
                                  supplier_key, sizeof supplier_key);
    sv_proto_t event = { .id = SV_PROTO_SPEND };
    sv_proto_spend_t *spend = &event.spend;
    spend->partner = self->partner;
    spend->transaction_no = (char *) row->transaction_no;
    spend->line = (uint64_t) row->line;
    spend->payment_date = (char *) sv_date_format (row->payment_date, date, sizeof date);
    spend->amount_pence = row->amount;
    spend->supplier_key = supplier_key;
    spend->supplier_name = (char *) row->supplier_name;
    spend->postcode = (char *) row->postcode;
    spend->body_name = (char *) row->body_name;
    spend->expense_area = (char *) row->expense_area;
    spend->expense_type = (char *) row->expense_type;
    spend->expense_code = (char *) row->expense_code;
    spend->capital_revenue = (char *) row->capital_revenue;
    spend->narrative = (char *) row->narrative;
    spend->redacted = row->redacted;
    //  The reader's key: a payment without a transaction number is known
    //  by its content, which the event's number and line cannot say
    return s_emit (self, &event, row->key, row->source_line);
}

static int
s_record_row (const sv_proto_t *event, const char *natural_key, void *arg)
{
    return s_emit ((ingest_feed_t *) arg, event, natural_key, 0);
}

//  For s_xlsx_field: the canonical field of the column named source
typedef struct {
    const char *source;
    const char *field;
} s_field_of_t;

static void
s_field_of (const char *source, const char *field, void *arg)
{
    s_field_of_t *lookup = (s_field_of_t *) arg;
    if (field && !lookup->field && streq (source, lookup->source))
        lookup->field = field;
}

//  True if the column named source was read as a date field
static bool
s_xlsx_date_column (ingest_feed_t *self, const char *source)
{
    s_field_of_t lookup = { source, NULL };
    ingest_feed_columns (self, s_field_of, &lookup);
    return lookup.field && (strstr (lookup.field, "date") || strstr (lookup.field, "period_")
                            || strstr (lookup.field, "expiry"));
}

//  An xlsx row's error as a person finds it in the workbook: sheet "Returns"
//  cell D7 (column "Quantity"), value '12a': not a number
static void
s_xlsx_tell (ingest_feed_t *self, ingest_feed_error_fn *fn, const sv_csv_error_t *error)
{
    char where [400], reason [1024];
    const char *sheet = ingest_xlsx_sheet (self->xlsx);
    size_t column = self->header_count;
    for (size_t index = 0; error->column && index < self->header_count; index++)
        if (streq (self->header [index], error->column)) {
            column = index;
            break;
        }
    char cell [INGEST_XLSX_CELL_BUF];
    if (strncmp (error->reason, "cell ", 5) == 0) {
        //  The workbook's own problem with a cell (ingest_xlsx), which the
        //  kind rejects the row for: that cell is the one to name
        snprintf (reason, sizeof reason, "sheet \"%.100s\" %s", sheet, error->reason);
        fn (self->arg, error->line, "", reason);
        return;
    }
    if (error->line == 0)
        snprintf (where, sizeof where, "sheet \"%.100s\"", sheet);
    else
    if (column < self->header_count)
        snprintf (where, sizeof where, "sheet \"%.100s\" cell %s (column \"%.100s\")", sheet,
                  ingest_xlsx_cell_name (column, error->line, cell), error->column);
    else
    if (error->column)
        snprintf (where, sizeof where, "sheet \"%.100s\" row %zu (column \"%.100s\")", sheet,
                  error->line, error->column);
    else
        snprintf (where, sizeof where, "sheet \"%.100s\" row %zu", sheet, error->line);
    //  A number where a date goes is a cell not formatted as a date:
    //  its serial is never taken for one
    const char *hint = "";
    if (error->value && *error->value && error->column
    &&  strspn (error->value, "0123456789.-") == strlen (error->value)
    &&  s_xlsx_date_column (self, error->column))
        hint = " (a number in a cell not formatted as a date: format the cell as a date, "
               "or write the date as text)";
    if (error->value)
        snprintf (reason, sizeof reason, "%s, value '%.200s': %s%s", where, error->value,
                  error->reason, hint);
    else
        snprintf (reason, sizeof reason, "%s: %s", where, error->reason);
    fn (self->arg, error->line, error->column? error->column: "", reason);
}

//  A rejected or warned-of row to fn: the reason quotes the value it is about
static void
s_csv_tell (ingest_feed_t *self, ingest_feed_error_fn *fn, const sv_csv_error_t *error)
{
    if (self->xlsx) {
        s_xlsx_tell (self, fn, error);
        return;
    }
    char reason [512];
    if (error->value)
        snprintf (reason, sizeof reason, "value '%.200s': %s", error->value, error->reason);
    else
        snprintf (reason, sizeof reason, "%s", error->reason);
    fn (self->arg, error->line, error->column? error->column: "", reason);
}

static void
s_csv_error (const sv_csv_error_t *error, void *arg)
{
    ingest_feed_t *self = (ingest_feed_t *) arg;
    s_csv_tell (self, self->error_fn, error);
}

static void
s_csv_warning (const sv_csv_error_t *warning, void *arg)
{
    ingest_feed_t *self = (ingest_feed_t *) arg;
    s_csv_tell (self, self->warning_fn, warning);
}


//  ==========================================================================
//  OCDS: one JSON document, read as it arrives (ingest_ocds)

static void
s_ocds_issue (ingest_feed_t *self, const ingest_ocds_issue_t *issue)
{
    char reason [512];
    if (issue->value && *issue->value)
        snprintf (reason, sizeof reason, "value '%.200s': %s", issue->value, issue->reason);
    else
        snprintf (reason, sizeof reason, "%s", issue->reason);
    self->error_fn (self->arg, issue->row, issue->column, reason);
}

//  Emits the suppliers, then (for a contracts batch) the contracts, each
//  under the supplier ingest_ocds settled on (none when an award names
//  several), then the contracts' KPI targets. ingest_ocds keys suppliers as the
//  CSV readers do; the party id is left out of the event, since it names
//  the supplier only within its release and would make one supplier's
//  row differ from release to release.
static int
s_ocds_emit (ingest_feed_t *self, ingest_ocds_t *ocds)
{
    int rc = 0;
    for (size_t index = 0; rc == 0 && index < ingest_ocds_suppliers (ocds); index++) {
        const ingest_ocds_supplier_t *party = ingest_ocds_supplier (ocds, index);
        sv_proto_t event = { .id = SV_PROTO_SUPPLIER };
        sv_proto_supplier_t *supplier = &event.supplier;
        supplier->partner = self->partner;
        supplier->supplier_key = (char *) party->key;
        supplier->name = (char *) party->name;
        supplier->companies_house = (char *) party->companies_house;
        supplier->supplier_id = "";
        supplier->postcode = (char *) party->postcode;
        supplier->sme = party->sme;
        supplier->vcse = party->vcse;
        rc = s_emit (self, &event, NULL, party->row);
    }
    for (size_t index = 0; rc == 0 && self->kind == S_CONTRACTS
                           && index < ingest_ocds_contracts (ocds); index++) {
        const ingest_ocds_contract_t *award = ingest_ocds_contract (ocds, index);
        char start [SV_DATE_BUF] = "", end [SV_DATE_BUF] = "";
        if (award->has_start)
            sv_date_format (award->start_date, start, sizeof start);
        if (award->has_end)
            sv_date_format (award->end_date, end, sizeof end);
        const char *supplier_key = award->supplier_key;
        sv_proto_t event = { .id = SV_PROTO_CONTRACT };
        sv_proto_contract_t *contract = &event.contract;
        contract->partner = self->partner;
        contract->contract_id = (char *) award->contract_id;
        contract->title = (char *) award->title;
        contract->supplier_key = (char *) supplier_key;
        contract->category = (char *) award->category;
        contract->value_pence = award->has_value? award->value_pence: 0;
        contract->start_date = start;
        contract->end_date = end;
        contract->rlw_in_scope = "derive";
        contract->incomplete = !award->has_value || !*start || !*end || !*supplier_key;
        contract->ocid = (char *) (award->ocid? award->ocid: "");
        contract->release_date = (char *) (award->release_date? award->release_date: "");
        rc = s_emit (self, &event, NULL, award->row);
    }
    for (size_t index = 0; rc == 0 && self->kind == S_CONTRACTS
                           && index < ingest_ocds_metrics (ocds); index++) {
        const ingest_ocds_metric_t *metric = ingest_ocds_metric (ocds, index);
        char year [SV_DATE_FY_BUF];
        sv_proto_t event = { .id = SV_PROTO_KPI };
        sv_proto_kpi_t *kpi = &event.kpi;
        kpi->partner = self->partner;
        kpi->contract_id = (char *) metric->contract_id;
        kpi->kpi_id = (char *) metric->metric_id;
        kpi->name = (char *) metric->title;
        kpi->year = (char *) sv_date_fy_format (metric->fy, year, sizeof year);
        kpi->target_milli = metric->target_milli;
        kpi->unit = (char *) metric->unit;
        kpi->measure = "";
        kpi->ocid = (char *) metric->ocid;
        kpi->release_date = (char *) metric->release_date;
        rc = s_emit (self, &event, NULL, metric->row);
    }
    return rc;
}

//  Emits what the reader's last push or end yielded, then refuses the
//  batch when read_rc says the document was refused from there on
static int
s_ocds_take (ingest_feed_t *self, int read_rc)
{
    for (size_t index = 0; index < ingest_ocds_errors (self->ocds); index++)
        s_ocds_issue (self, ingest_ocds_error (self->ocds, index));
    int rc = s_ocds_emit (self, self->ocds);
    if (rc == 0 && read_rc)
        rc = s_refuse (self, "%s", ingest_ocds_reason (self->ocds));
    return rc;
}

//  ==========================================================================
//  msgpack: a sequence of encoded sv_proto records of the batch's kind

//  Sets the partner to the authenticated one, whatever the record said
static void
s_set_partner (ingest_feed_t *self, sv_proto_t *record)
{
    char **partner = NULL;
    switch (record->id) {
        case SV_PROTO_SUPPLIER:   partner = &record->supplier.partner; break;
        case SV_PROTO_CONTRACT:   partner = &record->contract.partner; break;
        case SV_PROTO_SPEND:      partner = &record->spend.partner; break;
        case SV_PROTO_COMMITMENT: partner = &record->commitment.partner; break;
        case SV_PROTO_DELIVERY:   partner = &record->delivery.partner; break;
        case SV_PROTO_COMPANY:    partner = &record->company.partner; break;
        case SV_PROTO_KPI:        partner = &record->kpi.partner; break;
        default: return;
    }
    free (*partner);
    *partner = strdup (self->partner);
}

//  Checks what decoding cannot: the fields a natural key is made of, as
//  the CSV readers check them, normalising them in place. Returns the
//  problem (in reason, size bytes) with *column_p, or NULL.
static const char *
s_record_problem (sv_proto_t *record, const char **column_p, char *reason, size_t size)
{
    *column_p = "";
    if (record->id != SV_PROTO_SPEND)
        return ingest_records_normalise (record, column_p, reason, size)? reason: NULL;
    size_t length = strlen (record->spend.transaction_no);
    if (!*record->spend.payment_date) {
        *column_p = "payment_date";
        snprintf (reason, size, "empty");
        return reason;
    }
    if (length > INGEST_SPEND_TRANSACTION_MAX) {
        *column_p = "transaction_no";
        snprintf (reason, size, "%zu bytes long; a key field may hold at most %d",
                  length, INGEST_SPEND_TRANSACTION_MAX);
        return reason;
    }
    return NULL;
}

//  Emits a checked record, with its warnings, or rejects it when an
//  earlier record of the batch has its key with other content; claimed
//  says its evidence state was taken as claimed. 0 or -1.
static int
s_msgpack_emit (ingest_feed_t *self, sv_proto_t *record, bool claimed)
{
    char key [INGEST_RECORDS_KEY_BUF], reason [256];
    if (s_natural_key (record, key, sizeof key))
        return s_emit (self, record, NULL, self->records);   //  says why
    self->encoded.size = 0;
    uint64_t earlier = 0;
    if (sv_proto_encode (record, &self->encoded) == 0
    &&  ingest_seen_check (self->seen, key, self->encoded.data, self->encoded.size,
                           self->records, &earlier) == INGEST_SEEN_OTHER) {
        self->error_fn (self->arg, self->records, "", ingest_records_conflict (
                        record->id, "record", earlier, reason, sizeof reason));
        return 0;
    }
    //  A declared group in its declared spelling, as in CSV; the key
    //  keeps the group as written
    const char *declared = record->id == SV_PROTO_DELIVERY
        ? ingest_records_group (self->groups, record->delivery.beneficiary_group): NULL;
    if (declared && strcmp (declared, record->delivery.beneficiary_group) != 0) {
        free (record->delivery.beneficiary_group);
        record->delivery.beneficiary_group = strdup (declared);
    }
    if (self->warning_fn)
        ingest_records_warn_record (record, claimed, self->groups, self->records,
                                    s_csv_warning, self);
    return s_emit (self, record, key, self->records);
}

static int
s_msgpack_record (ingest_feed_t *self, const uint8_t *data, size_t size)
{
    self->records++;
    sv_proto_t record = { .id = 0 };
    const char *column = "";
    if (sv_proto_decode (&record, data, size))
        self->error_fn (self->arg, self->records, "", record.reason);
    else
    if (record.id != s_kind_ids [self->kind]) {
        char reason [128];
        snprintf (reason, sizeof reason, "a %s record in a batch of %s",
                  sv_proto_name (record.id), s_kinds [self->kind]);
        self->error_fn (self->arg, self->records, "id", reason);
    }
    else {
        char reason [256];
        bool claimed = record.id == SV_PROTO_DELIVERY && !*record.delivery.evidence;
        const char *problem = s_record_problem (&record, &column, reason, sizeof reason);
        if (problem)
            self->error_fn (self->arg, self->records, column, problem);
        else {
            s_set_partner (self, &record);
            if (s_msgpack_emit (self, &record, claimed)) {
                sv_proto_reset (&record);
                return -1;
            }
        }
    }
    sv_proto_reset (&record);
    return 0;
}

//  Emits every whole record in pending, keeping the incomplete tail. At
//  the end (finishing) a tail is a truncated record.
static int
s_msgpack_drain (ingest_feed_t *self, bool finishing)
{
    const uint8_t *data = zchunk_data (self->pending);
    size_t size = zchunk_size (self->pending), done = 0;
    while (done < size) {
        sv_msgpack_reader_t reader;
        sv_msgpack_reader_init (&reader, data + done, size - done);
        if (sv_msgpack_skip (&reader))
            break;              //  not whole yet (or broken: decode tells at the end)
        size_t length = (size_t) (reader.cursor - (data + done));
        if (s_msgpack_record (self, data + done, length))
            return -1;
        done += length;
    }
    size_t left = size - done;
    if (left && finishing) {
        //  Decoding the tail names what is wrong with it
        if (s_msgpack_record (self, data + done, left))
            return -1;
        left = 0;
    }
    if (left > S_MAX_RECORD)
        return s_refuse (self, "record %" PRIu64 " is not a whole msgpack object within %d bytes",
                         self->records + 1, S_MAX_RECORD);
    memmove (zchunk_data (self->pending), data + done, left);
    zchunk_set (self->pending, zchunk_data (self->pending), left);
    return 0;
}

//  A CSV reader refused the file whole, or stopped because we did
static int
s_csv_refused (ingest_feed_t *self, const char *refusal)
{
    if (self->stopped)
        return -1;              //  our own reason stands
    return s_refuse (self, "%s", refusal? refusal: "the file cannot be read as CSV");
}

//  ==========================================================================
//  xlsx: a worksheet's rows through the kind's CSV reader

//  Trimmed as sv_csv trims a cell, copied
static char *
s_trimmed (const char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t length = strlen (text);
    while (length > 0 && (text [length - 1] == ' ' || text [length - 1] == '\t'))
        length--;
    return strndup (text, length);
}

static int
s_xlsx_row (void *arg, uint64_t row, const char *const *cells, size_t count,
            const char *problem)
{
    ingest_feed_t *self = (ingest_feed_t *) arg;
    int rc = self->spend? ingest_spend_feed_cells (self->spend, row, cells, count, problem)
                        : ingest_records_feed_cells (self->table, row, cells, count, problem);
    size_t header_line = self->spend? ingest_spend_header_line (self->spend)
                                    : ingest_records_header_line (self->table);
    if (!self->header && header_line == row) {
        //  This row was the header: kept to name cells in errors
        self->header = (char **) zmalloc ((count + 1) * sizeof (char *));
        for (size_t index = 0; index < count; index++)
            self->header [index] = s_trimmed (cells [index]? cells [index]: "");
        self->header_count = count;
    }
    return rc;
}

//  Reads the spooled workbook's sheet at the end of the batch. 0 or -1.
static int
s_xlsx_finish (ingest_feed_t *self)
{
    if (ingest_xlsx_read (self->xlsx, self->sheet, s_xlsx_row, self)) {
        const char *refusal = self->spend? ingest_spend_refusal (self->spend)
                                         : ingest_records_refusal (self->table);
        if (refusal || self->stopped)
            return s_csv_refused (self, refusal);
        return s_refuse (self, "%s", ingest_xlsx_reason (self->xlsx));
    }
    const char *names;
    size_t sheets = ingest_xlsx_sheets (self->xlsx, &names);
    if (sheets > 1 && !self->sheet && self->warning_fn) {
        char reason [512];
        snprintf (reason, sizeof reason, "read the first sheet, \"%.100s\", of the workbook's "
                  "%zu: %.300s; name another with --sheet", ingest_xlsx_sheet (self->xlsx),
                  sheets, names);
        self->warning_fn (self->arg, 0, "", reason);
    }
    return 0;
}

//  ==========================================================================
//  The feed

ingest_feed_t *
ingest_feed_new (const char *partner, const char *batch_id, const char *kind,
                 const char *format, zconfig_t *settings, size_t max_document,
                 ingest_feed_row_fn *row_fn, ingest_feed_error_fn *error_fn,
                 void *arg, const char **reason_p)
{
    assert (partner && batch_id && kind && format && row_fn && error_fn);
    int kind_index = -1;
    for (int index = 0; index < S_KINDS; index++)
        if (streq (kind, s_kinds [index]))
            kind_index = index;
    s_format_t format_id = streq (format, "csv")? S_CSV:
                           streq (format, "ocds")? S_OCDS:
                           streq (format, "msgpack")? S_MSGPACK:
                           streq (format, "xlsx")? S_XLSX: (s_format_t) -1;
    static _Thread_local char reason [160];
    if (kind_index < 0) {
        snprintf (reason, sizeof reason, "unknown kind '%.40s' (spend, suppliers, contracts,"
                  " commitments, deliveries, companies or kpis)", kind);
        *reason_p = reason;
        return NULL;
    }
    bool supported = format_id == S_MSGPACK || format_id == S_CSV || format_id == S_XLSX
                  || (format_id == S_OCDS && (kind_index == S_CONTRACTS || kind_index == S_SUPPLIERS));
    if ((int) format_id < 0 || !supported) {
        snprintf (reason, sizeof reason, "format '%.40s' is not taken for %s"
                  " (csv, xlsx and msgpack: every kind; ocds: contracts and suppliers)", format, kind);
        *reason_p = reason;
        return NULL;
    }
    ingest_feed_t *self = (ingest_feed_t *) zmalloc (sizeof (ingest_feed_t));
    self->partner = strdup (partner);
    self->batch_id = strdup (batch_id);
    self->kind = (s_kind_t) kind_index;
    self->format = format_id;
    self->row_fn = row_fn;
    self->error_fn = error_fn;
    self->arg = arg;
    self->pending = zchunk_new (NULL, 0);
    msgpack_sbuffer_init (&self->encoded);
    if (format_id == S_MSGPACK)
        self->seen = ingest_seen_new (INGEST_RECORDS_SEEN_MAX);
    if (format_id == S_OCDS)
        self->ocds = ingest_ocds_new (max_document);
    bool tabular = format_id == S_CSV || format_id == S_XLSX;
    if (tabular && kind_index == S_SPEND)
        self->spend = ingest_spend_new (s_spend_row, s_csv_error, self);
    else
    if (tabular)
        self->table = ingest_records_new (s_kind_ids [kind_index], partner,
                                            s_record_row, s_csv_error, self);
    const char *order = settings? zconfig_get (settings, "date_order", NULL): NULL;
    if (order && *order && self->spend && ingest_spend_set_date_order (self->spend, order)) {
        static char reason [200];
        snprintf (reason, sizeof reason, "partners/%.40s/date_order is '%.40s': it must be"
                  " dmy (day first) or mdy (month first)", partner, order);
        *reason_p = reason;
        ingest_feed_destroy (&self);
        return NULL;
    }
    zconfig_t *overrides = settings? zconfig_locate (settings, "headers"): NULL;
    for (zconfig_t *item = overrides? zconfig_child (overrides): NULL;
         item && tabular; item = zconfig_next (item)) {
        char *pair = zsys_sprintf ("%s=%s", zconfig_name (item), zconfig_value (item));
        int rc = self->spend? ingest_spend_override (self->spend, pair)
                            : ingest_records_override (self->table, pair);
        if (rc)
            zsys_warning ("ingest: partner %s: ignored header override '%s'", partner, pair);
        zstr_free (&pair);
    }
    if (format_id == S_XLSX && !(self->xlsx = ingest_xlsx_new ())) {
        *reason_p = "ingest cannot make a temporary file to hold the workbook";
        ingest_feed_destroy (&self);
    }
    return self;
}

static void
s_groups_free (ingest_feed_t *self)
{
    for (char **group = self->groups; group && *group; group++)
        free (*group);
    free (self->groups);
    self->groups = NULL;
}

void
ingest_feed_destroy (ingest_feed_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_feed_t *self = *self_p;
        zchunk_destroy (&self->pending);
        ingest_seen_destroy (&self->seen);
        msgpack_sbuffer_destroy (&self->encoded);
        ingest_ocds_destroy (&self->ocds);
        ingest_spend_destroy (&self->spend);
        ingest_records_destroy (&self->table);
        ingest_xlsx_destroy (&self->xlsx);
        for (size_t index = 0; index < self->header_count; index++)
            free (self->header [index]);
        free (self->header);
        zstr_free (&self->sheet);
        s_groups_free (self);
        zstr_free (&self->partner);
        zstr_free (&self->batch_id);
        free (self);
        *self_p = NULL;
    }
}

void
ingest_feed_set_warning (ingest_feed_t *self, ingest_feed_error_fn *fn)
{
    assert (self);
    self->warning_fn = fn;
    if (self->table)
        ingest_records_set_warning (self->table, fn? s_csv_warning: NULL, self);
    if (self->ocds)
        ingest_ocds_set_warning (self->ocds, fn? s_csv_warning: NULL, self);
    if (self->spend)
        ingest_spend_set_warning (self->spend, fn? s_csv_warning: NULL, self);
}

int
ingest_feed_set_sheet (ingest_feed_t *self, const char *sheet, const char **reason_p)
{
    assert (self);
    if (!sheet || !*sheet)
        return 0;
    if (!self->xlsx) {
        *reason_p = "a sheet is named, but the batch is not a workbook (format xlsx)";
        return -1;
    }
    zstr_free (&self->sheet);
    self->sheet = strdup (sheet);
    return 0;
}

void
ingest_feed_set_groups (ingest_feed_t *self, const char *text)
{
    assert (self);
    s_groups_free (self);
    if (!text || !*text) {
        if (self->table)
            ingest_records_set_groups (self->table, NULL);
        return;
    }
    //  At most one group per comma, and the NULL
    size_t slots = 2;
    for (const char *scan = text; *scan; scan++)
        slots += *scan == ',';
    self->groups = (char **) zmalloc (slots * sizeof (char *));
    size_t count = 0;
    for (const char *scan = text; *scan; ) {
        size_t length = strcspn (scan, ",");
        const char *start = scan;
        const char *end = scan + length;
        while (start < end && isspace ((unsigned char) *start))
            start++;
        while (end > start && isspace ((unsigned char) end [-1]))
            end--;
        if (end > start)
            self->groups [count++] = strndup (start, (size_t) (end - start));
        scan += length;
        scan += *scan == ',';
    }
    if (self->table)
        ingest_records_set_groups (self->table, (const char *const *) self->groups);
}

void
ingest_feed_columns (ingest_feed_t *self, sv_csv_column_fn *fn, void *arg)
{
    assert (self && fn);
    if (self->spend)
        ingest_spend_columns (self->spend, fn, arg);
    if (self->table)
        ingest_records_columns (self->table, fn, arg);
}

void
ingest_feed_set_counter (ingest_feed_t *self, uint32_t (*fn) (const char *, void *),
                         void *arg, size_t in_memory)
{
    assert (self);
    if (self->spend)
        ingest_spend_set_counter (self->spend, fn, arg, in_memory);
}

int
ingest_feed_push (ingest_feed_t *self, const uint8_t *data, size_t size)
{
    assert (self);
    if (self->stopped)
        return -1;
    if (self->xlsx)
        return ingest_xlsx_write (self->xlsx, data, size)
            ? s_refuse (self, "%s", ingest_xlsx_reason (self->xlsx)): 0;
    if (self->spend && ingest_spend_feed (self->spend, data, size))
        return s_csv_refused (self, ingest_spend_refusal (self->spend));
    if (self->table && ingest_records_feed (self->table, data, size))
        return s_csv_refused (self, ingest_records_refusal (self->table));
    if (self->format == S_CSV)
        return 0;
    if (self->format == S_OCDS)
        return s_ocds_take (self, ingest_ocds_push (self->ocds, data, size));
    zchunk_extend (self->pending, data, size);
    return s_msgpack_drain (self, false);
}

int
ingest_feed_finish (ingest_feed_t *self)
{
    assert (self);
    if (self->stopped)
        return -1;
    if (self->xlsx && s_xlsx_finish (self))
        return -1;
    if (self->spend && ingest_spend_finish (self->spend))
        return s_csv_refused (self, ingest_spend_refusal (self->spend));
    if (self->table && ingest_records_finish (self->table))
        return s_csv_refused (self, ingest_records_refusal (self->table));
    if (self->format == S_CSV || self->format == S_XLSX)
        return 0;
    if (self->format == S_OCDS)
        return s_ocds_take (self, ingest_ocds_end (self->ocds));
    return s_msgpack_drain (self, true);
}

const char *
ingest_feed_reason (ingest_feed_t *self)
{
    assert (self);
    return self->reason;
}

//  ==========================================================================
//  Self-test

typedef struct {
    int rows;
    int errors;
    int64_t pence;
    char last_key [512];
    char last_reason [256];
    uint64_t last_error_row;
    char last_column [64];
    bool partner_ok;
    int warnings;
    char last_warning [256];
} s_test_t;

static int
s_test_row (void *arg, const char *natural_key, const sv_proto_t *event)
{
    s_test_t *test = (s_test_t *) arg;
    test->rows++;
    test->pence += event->spend.amount_pence;
    test->partner_ok = streq (event->spend.partner, "council");
    snprintf (test->last_key, sizeof test->last_key, "%s", natural_key);
    return 0;
}

static void
s_test_error (void *arg, uint64_t row, const char *column, const char *reason)
{
    (void) column;
    s_test_t *test = (s_test_t *) arg;
    test->errors++;
    test->last_error_row = row;
    snprintf (test->last_column, sizeof test->last_column, "%s", column);
    snprintf (test->last_reason, sizeof test->last_reason, "%s", reason);
}

static void
s_test_warning (void *arg, uint64_t row, const char *column, const char *reason)
{
    s_test_t *test = (s_test_t *) arg;
    test->warnings++;
    snprintf (test->last_warning, sizeof test->last_warning, "%" PRIu64 " %s: %s",
              row, column, reason);
}

//  Appends a delivery record of quantity units at postcode to buffer
static void
s_test_delivery (msgpack_sbuffer *buffer, const char *contract_id, int quantity,
                 const char *postcode)
{
    sv_proto_t record = { .id = SV_PROTO_DELIVERY };
    record.delivery = (sv_proto_delivery_t) {
        .partner = "council", .contract_id = (char *) contract_id, .measure = "NT3",
        .period_start = "2024-04-01", .period_end = "2024-06-30",
        .quantity_milli = quantity * 1000, .evidence = "Evidenced",
        .postcode = (char *) postcode
    };
    assert (sv_proto_encode (&record, buffer) == 0);
}

//  A caller's counter, as the store keeps one on disk
typedef struct {
    int calls;
    zhashx_t *counts;
} s_counted_t;

static uint32_t
s_test_count (const char *transaction_no, void *arg)
{
    s_counted_t *counted = (s_counted_t *) arg;
    counted->calls++;
    uintptr_t count = (uintptr_t) zhashx_lookup (counted->counts, transaction_no) + 1;
    zhashx_update (counted->counts, transaction_no, (void *) count);
    return (uint32_t) count;
}

void
ingest_feed_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_feed: ");
    //  Three spend records (one claiming to be another partner's), then a
    //  supplier in a spend batch, then a record cut short
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    const int64_t amounts [] = { 495217, -2348400, 60000 };
    for (int index = 0; index < 3; index++) {
        sv_proto_t spend = { .id = SV_PROTO_SPEND };
        spend.spend.partner = index == 1? "police": "council";
        spend.spend.transaction_no = "2864997";
        spend.spend.line = (uint64_t) index + 1;
        spend.spend.payment_date = "2011-01-04";
        spend.spend.amount_pence = amounts [index];
        assert (sv_proto_encode (&spend, &buffer) == 0);
    }
    sv_proto_t supplier = { .id = SV_PROTO_SUPPLIER };
    supplier.supplier.partner = "council";
    supplier.supplier.supplier_key = "CH:01234567";
    assert (sv_proto_encode (&supplier, &buffer) == 0);
    size_t whole = buffer.size;
    sv_proto_t last = { .id = SV_PROTO_SPEND };
    last.spend.partner = "council";
    last.spend.transaction_no = "9";
    last.spend.payment_date = "2011-01-05";
    assert (sv_proto_encode (&last, &buffer) == 0);
    size_t cut = whole + (buffer.size - whole) / 2;

    //  Fed a byte at a time, the result is the same as all at once
    for (int pass = 0; pass < 2; pass++) {
        s_test_t test = { .rows = 0 };
        const char *reason = NULL;
        ingest_feed_t *feed = ingest_feed_new ("council", "b1", "spend", "msgpack", NULL, 1 << 20,
                                               s_test_row, s_test_error, &test, &reason);
        assert (feed);
        size_t step = pass == 0? 1: cut;
        for (size_t done = 0; done < cut; done += step)
            assert (ingest_feed_push (feed, (const uint8_t *) buffer.data + done,
                                      done + step > cut? cut - done: step) == 0);
        assert (ingest_feed_finish (feed) == 0);
        assert (test.rows == 3);
        assert (test.pence == 495217 - 2348400 + 60000);
        assert (test.partner_ok);              //  the authenticated partner, always
        assert (streq (test.last_key, "2864997/3"));
        assert (test.errors == 2);             //  the supplier, the cut record
        assert (test.last_error_row == 5);
        assert (*test.last_reason);
        ingest_feed_destroy (&feed);
    }

    //  A spend CSV (an excerpt of Sheffield's January 2011 file): the
    //  partner's rows, keys by transaction number and occurrence, and a
    //  row whose amount cannot be read, rejected with the value quoted
    const char *csv =
        "Business Unit Description,Expense Code,GL Date,Document No.,Invoiced Value,Supplier Name\n"
        "COMMUNITY CENTRES - GENERAL,6030,2011-01-04,2864997,4952.17,NRC SERVICES LTD\n"
        "LD ACTION BUDGET,8010,2011-01-04,2897262,600.00,SHEFFIELD HEALTH & SOCIAL CARE NHS\n"
        "LD ACTION BUDGET,8010,2011-01-04,2897262,1.2.3,SHEFFIELD HEALTH & SOCIAL CARE NHS\n";
    const char *reason = NULL;
    s_test_t test = { .rows = 0 };
    ingest_feed_t *feed = ingest_feed_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                                           s_test_row, s_test_error, &test, &reason);
    assert (feed);
    assert (ingest_feed_push (feed, (const uint8_t *) csv, strlen (csv)) == 0);
    assert (ingest_feed_finish (feed) == 0);
    assert (test.rows == 2 && test.pence == 495217 + 60000 && test.partner_ok);
    assert (streq (test.last_key, "2897262/1"));
    assert (test.errors == 1 && test.last_error_row == 4);
    assert (strstr (test.last_reason, "value '1.2.3'"));
    ingest_feed_destroy (&feed);

    //  Past the numbers counted in memory (2 here), a counter of the
    //  caller's counts the rest, and the lines come out the same (numbers
    //  of letters only, which the bitmaps do not take)
    const char *repeats =
        "Payment Date,Transaction Number,Amount,Supplier Name\n"
        "2024-04-01,TA,1.00,A\n2024-04-01,TB,1.00,A\n2024-04-01,TC,1.00,A\n"
        "2024-04-01,TA,1.00,A\n2024-04-01,TC,1.00,A\n2024-04-01,TC,1.00,A\n";
    test = (s_test_t) { .rows = 0 };
    s_counted_t counted = { .calls = 0, .counts = zhashx_new () };
    feed = ingest_feed_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                            s_test_row, s_test_error, &test, &reason);
    ingest_feed_set_counter (feed, s_test_count, &counted, 2);
    assert (ingest_feed_push (feed, (const uint8_t *) repeats, strlen (repeats)) == 0);
    assert (ingest_feed_finish (feed) == 0);
    assert (test.rows == 6 && streq (test.last_key, "TC/3"));
    assert (counted.calls == 3);            //  every TC, none of TA and TB
    ingest_feed_destroy (&feed);
    zhashx_destroy (&counted.counts);

    //  A CSV with no amount column is refused whole, naming it
    test = (s_test_t) { .rows = 0 };
    feed = ingest_feed_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                            s_test_row, s_test_error, &test, &reason);
    const char *no_amount = "Payment Date,Supplier Name\n2011-01-04,NRC SERVICES LTD\n";
    int rc = ingest_feed_push (feed, (const uint8_t *) no_amount, strlen (no_amount));
    if (rc == 0)
        rc = ingest_feed_finish (feed);
    assert (rc == -1 && strstr (ingest_feed_reason (feed), "amount"));
    assert (test.rows == 0);
    ingest_feed_destroy (&feed);

    //  Suppliers are known by Companies House number, else id, else name
    char key [128];
    ingest_records_supplier_key ("01234567", "S1", "Acme Ltd", key, sizeof key);
    assert (streq (key, "CH:01234567"));
    ingest_records_supplier_key ("", "S1", "Acme Ltd", key, sizeof key);
    assert (streq (key, "ID:S1"));
    ingest_records_supplier_key ("", "", "A & A Electrical Ltd.", key, sizeof key);
    assert (streq (key, "NAME:A A ELECTRICAL LTD"));
    ingest_records_supplier_key ("", "", "", key, sizeof key);
    assert (streq (key, ""));

    //  Delivery records (invented, in the shape of a quarterly return): three
    //  at three postcodes are three rows, the postcode normalised into the
    //  key; one with the key of record 1 and another quantity is rejected
    //  naming it; a negative quantity is taken with a warning; an over-long
    //  contract id is a row error naming the field and the limit
    msgpack_sbuffer returns;
    msgpack_sbuffer_init (&returns);
    s_test_delivery (&returns, "C-001", 5, "s601ae");
    s_test_delivery (&returns, "C-001", 3, "S65 1AB");
    s_test_delivery (&returns, "C-001", 7, "S66 8RT");
    s_test_delivery (&returns, "C-001", 6, "S60 1AE");
    s_test_delivery (&returns, "C-002", -2, "");
    char long_id [INGEST_RECORDS_ID_MAX + 2];
    memset (long_id, 'X', sizeof long_id - 1);
    long_id [sizeof long_id - 1] = 0;
    s_test_delivery (&returns, long_id, 1, "");
    test = (s_test_t) { .rows = 0 };
    feed = ingest_feed_new ("council", "b2", "deliveries", "msgpack", NULL, 1 << 20,
                            s_test_row, s_test_error, &test, &reason);
    ingest_feed_set_warning (feed, s_test_warning);
    assert (ingest_feed_push (feed, (const uint8_t *) returns.data, returns.size) == 0);
    assert (ingest_feed_finish (feed) == 0);
    assert (test.rows == 4 && test.errors == 2);
    assert (streq (test.last_key, "C-002/NT3/2024-04-01/2024-06-30//"));
    assert (test.last_error_row == 6 && streq (test.last_column, "contract_id"));
    assert (strstr (test.last_reason, "129 bytes long; a key field may hold at most 128"));
    assert (test.warnings == 1 && strstr (test.last_warning, "5 quantity: a negative"));
    ingest_feed_destroy (&feed);
    msgpack_sbuffer_destroy (&returns);

    //  A delivery return as a workbook (tests/fixtures/xlsx: the 1904 date
    //  system, inline strings, cells left out) reads as its CSV would,
    //  pushed in chunks; its warnings name the sheet and cell
    zfile_t *file = zfile_new ("tests/fixtures/xlsx", "edge-1904-inline.xlsx");
    assert (file && zfile_input (file) == 0);
    zchunk_t *book = zfile_read (file, zfile_cursize (file), 0);
    zfile_destroy (&file);
    test = (s_test_t) { .rows = 0 };
    feed = ingest_feed_new ("council", "b3", "deliveries", "xlsx", NULL, 1 << 20,
                            s_test_row, s_test_error, &test, &reason);
    assert (feed);
    ingest_feed_set_warning (feed, s_test_warning);
    assert (ingest_feed_set_sheet (feed, "Q1 return", &reason) == 0);
    for (size_t at = 0; at < zchunk_size (book); at += 500)
        assert (ingest_feed_push (feed, zchunk_data (book) + at,
                                  at + 500 > zchunk_size (book)? zchunk_size (book) - at: 500) == 0);
    assert (ingest_feed_finish (feed) == 0);
    assert (test.rows == 2 && test.errors == 0);
    assert (streq (test.last_key, "C-001/NT4/2024-04-01/2024-06-30///S65 1AB"));
    assert (test.warnings == 1);
    assert (strstr (test.last_warning, "6 Evidence: sheet \"Q1 return\" cell F6 (column "
                    "\"Evidence\"), value '': no evidence state"));
    ingest_feed_destroy (&feed);
    zchunk_destroy (&book);
    //  A sheet named for a batch that is no workbook is refused
    feed = ingest_feed_new ("council", "b3", "deliveries", "csv", NULL, 1 << 20,
                            s_test_row, s_test_error, &test, &reason);
    assert (ingest_feed_set_sheet (feed, "Q1", &reason) == -1 && strstr (reason, "xlsx"));
    ingest_feed_destroy (&feed);

    //  Kinds and formats that do not exist are refused with a reason
    test = (s_test_t) { .rows = 0 };
    assert (!ingest_feed_new ("council", "b1", "payments", "csv", NULL, 1 << 20,
                              s_test_row, s_test_error, &test, &reason));
    assert (strstr (reason, "unknown kind 'payments'"));
    assert (!ingest_feed_new ("council", "b1", "spend", "xml", NULL, 1 << 20,
                              s_test_row, s_test_error, &test, &reason));
    assert (strstr (reason, "'xml'"));
    msgpack_sbuffer_destroy (&buffer);
    if (verbose)
        printf ("OK\n");
}
