/*  ingest_records: suppliers, contracts, commitments and deliveries from
    CSV. See ingest_records.h. Each kind is a field table (the canonical
    header and the synonyms people write) and a function that checks one
    row and builds its event.
*/

#include "ingest_records.h"
#include "ingest_spend.h"
#include "sv_company.h"
#include "sv_date.h"
#include "sv_money.h"
#include "sv_postcode.h"
#include <czmq.h>

//  ==========================================================================
//  Field tables. The first name of each field is the canonical header.

#define S_NAMES(...) (const char *const []) { __VA_ARGS__, NULL }

//  Synonyms more than one kind uses
#define S_SUPPLIER_NAME S_NAMES ("Supplier Name", "Name", "Supplier", "Vendor Name")
#define S_SUPPLIER_ID S_NAMES ("Supplier ID", "Supplier Number", "Supplier Ref", "Vendor ID")
#define S_COMPANY S_NAMES ("Company Number", "Companies House Number", \
                           "Company Registration Number", "CRN", "Company No")
#define S_POSTCODE S_NAMES ("Postcode", "Post Code", "Supplier Postcode")
#define S_CONTRACT_ID S_NAMES ("Contract ID", "Contract Reference", "Contract Ref", \
                               "Contract Number", "Reference")
#define S_MEASURE S_NAMES ("Measure", "Measure Code", "TOMs Measure", "NT Code")

enum { SUP_NAME, SUP_ID, SUP_COMPANY, SUP_VAT, SUP_POSTCODE, SUP_SME, SUP_VCSE, SUP_RLW,
       SUP_RLW_EXPIRY, SUP_EMPLOYEE_OWNED, SUP_FIELDS };
static const sv_csv_field_t s_supplier_fields [SUP_FIELDS] = {
    { "name", S_SUPPLIER_NAME, true },
    { "supplier_id", S_SUPPLIER_ID, false },
    { "companies_house", S_COMPANY, false },
    { "vat_number", S_NAMES ("VAT Number", "VAT Registration Number", "VAT No"), false },
    { "postcode", S_POSTCODE, false },
    { "sme", S_NAMES ("SME", "Small or Medium Enterprise"), false },
    { "vcse", S_NAMES ("VCSE", "Voluntary Sector", "Social Enterprise"), false },
    { "rlw_accredited", S_NAMES ("RLW Accredited", "Living Wage Accredited",
                                 "Real Living Wage Employer"), false },
    { "rlw_expiry", S_NAMES ("RLW Expiry", "Accreditation Expiry",
                             "Living Wage Accreditation Expiry"), false },
    { "employee_owned", S_NAMES ("Employee Owned"), false },
};

enum { CON_ID, CON_TITLE, CON_SUPPLIER_NAME, CON_SUPPLIER_ID, CON_COMPANY, CON_CATEGORY,
       CON_VALUE, CON_START, CON_END, CON_IN_SCOPE, CON_COMMITMENT, CON_FIELDS };
static const sv_csv_field_t s_contract_fields [CON_FIELDS] = {
    { "contract_id", S_CONTRACT_ID, true },
    { "title", S_NAMES ("Title", "Contract Title", "Description"), false },
    { "supplier_name", S_SUPPLIER_NAME, false },
    { "supplier_id", S_SUPPLIER_ID, false },
    { "companies_house", S_COMPANY, false },
    { "category", S_NAMES ("Category", "Procurement Category", "Service Category"), false },
    { "value", S_NAMES ("Value", "Contract Value", "Total Value"), false },
    { "start_date", S_NAMES ("Start Date", "Contract Start", "Start"), false },
    { "end_date", S_NAMES ("End Date", "Contract End", "End"), false },
    { "rlw_in_scope", S_NAMES ("RLW In Scope", "Living Wage In Scope", "In Scope"), false },
    { "rlw_commitment", S_NAMES ("RLW Commitment", "Living Wage Commitment", "Pays RLW"), false },
};

enum { COM_CONTRACT, COM_MEASURE, COM_YEAR, COM_QUANTITY, COM_FIELDS };
static const sv_csv_field_t s_commitment_fields [COM_FIELDS] = {
    { "contract_id", S_CONTRACT_ID, true },
    { "measure", S_MEASURE, true },
    { "year", S_NAMES ("Year", "Financial Year", "FY"), true },
    { "quantity", S_NAMES ("Quantity", "Committed Quantity", "Target"), true },
};

enum { DEL_CONTRACT, DEL_MEASURE, DEL_START, DEL_END, DEL_QUANTITY, DEL_EVIDENCE, DEL_WARD,
       DEL_POSTCODE, DEL_GROUP, DEL_FIELDS };
static const sv_csv_field_t s_delivery_fields [DEL_FIELDS] = {
    { "contract_id", S_CONTRACT_ID, true },
    { "measure", S_MEASURE, true },
    { "period_start", S_NAMES ("Period Start", "From"), true },
    { "period_end", S_NAMES ("Period End", "To"), true },
    { "quantity", S_NAMES ("Quantity", "Delivered Quantity", "Actual"), true },
    { "evidence", S_NAMES ("Evidence", "Evidence State"), false },
    { "ward", S_NAMES ("Ward", "Ward Code"), false },
    { "postcode", S_POSTCODE, false },
    { "beneficiary_group", S_NAMES ("Beneficiary Group", "Protected Group", "Group"), false },
};

static const sv_csv_field_t *const s_tables [4] = {
    s_supplier_fields, s_contract_fields, s_commitment_fields, s_delivery_fields
};
static const size_t s_table_sizes [4] = { SUP_FIELDS, CON_FIELDS, COM_FIELDS, DEL_FIELDS };
static const sv_proto_id_t s_table_kinds [4] = {
    SV_PROTO_SUPPLIER, SV_PROTO_CONTRACT, SV_PROTO_COMMITMENT, SV_PROTO_DELIVERY
};

//  ==========================================================================
//  The reader

struct _ingest_records_t {
    int table;                  //  index into s_tables
    char *partner;
    sv_csv_t *csv;
    ingest_records_row_fn *row_fn;
    sv_csv_error_fn *error_fn;
    void *arg;
    //  The row being checked
    const sv_csv_row_t *row;
    bool rejected;
};

//  Rejects the current row (once) naming field's column and value
static void
s_reject (ingest_records_t *self, size_t field, const char *reason)
{
    if (self->rejected)
        return;
    self->rejected = true;
    if (self->error_fn) {
        sv_csv_error_t error = {
            .line = self->row->line,
            .column = sv_csv_column (self->csv, field),
            .value = self->row->values [field],
            .reason = reason
        };
        self->error_fn (&error, self->arg);
    }
}

//  The value of field, "" when the column is absent or the cell empty
static const char *
s_text (ingest_records_t *self, size_t field)
{
    const char *value = self->row->values [field];
    return value? value: "";
}

static bool
s_flag (ingest_records_t *self, size_t field)
{
    const char *value = s_text (self, field);
    if (!*value)
        return false;
    static const char *yes [] = { "yes", "y", "true", "1" };
    static const char *no [] = { "no", "n", "false", "0" };
    for (int index = 0; index < 4; index++) {
        if (strcasecmp (value, yes [index]) == 0)
            return true;
        if (strcasecmp (value, no [index]) == 0)
            return false;
    }
    s_reject (self, field, "expected yes or no");
    return false;
}

//  An ISO date into buffer, or "" when empty and not required
static const char *
s_date (ingest_records_t *self, size_t field, char *buffer, bool required)
{
    const char *value = s_text (self, field);
    *buffer = 0;
    if (!*value) {
        if (required)
            s_reject (self, field, "a date is required");
        return buffer;
    }
    int32_t day;
    const char *reason;
    if (sv_date_parse (value, &day, &reason))
        s_reject (self, field, reason);
    else
        sv_date_format (day, buffer, SV_DATE_BUF);
    return buffer;
}

static int64_t
s_quantity (ingest_records_t *self, size_t field)
{
    int64_t milli = 0;
    const char *reason;
    if (!*s_text (self, field))
        s_reject (self, field, "a quantity is required");
    else
    if (sv_money_parse_quantity (s_text (self, field), &milli, &reason))
        s_reject (self, field, reason);
    return milli;
}

static const char *
s_postcode_of (ingest_records_t *self, size_t field, char *buffer)
{
    const char *reason;
    *buffer = 0;
    if (*s_text (self, field) && sv_postcode_normalise (s_text (self, field), buffer,
                                                        SV_POSTCODE_BUF, &reason))
        s_reject (self, field, reason);
    return buffer;
}

static const char *
s_company_of (ingest_records_t *self, size_t field, char *buffer)
{
    const char *reason;
    *buffer = 0;
    if (*s_text (self, field) && sv_company_number (s_text (self, field), buffer,
                                                    SV_COMPANY_BUF, &reason))
        s_reject (self, field, reason);
    return buffer;
}

static const char *
s_required (ingest_records_t *self, size_t field)
{
    if (!*s_text (self, field))
        s_reject (self, field, "required, and empty");
    return s_text (self, field);
}

static const char *
s_measure_of (ingest_records_t *self, size_t field)
{
    const char *code = s_required (self, field);
    for (const char *c = code; *c; c++)
        if (!isalnum ((unsigned char) *c) && !strchr (".-_", *c)) {
            s_reject (self, field, "a measure code is letters, digits, '.', '-' and '_'");
            break;
        }
    return code;
}

//  One of a fixed set of words (case folded into buffer); fallback when empty
static const char *
s_choice (ingest_records_t *self, size_t field, const char *const *choices,
          const char *fallback, const char *reason)
{
    const char *value = s_text (self, field);
    if (!*value)
        return fallback;
    for (int index = 0; choices [index]; index++)
        if (strcasecmp (value, choices [index]) == 0)
            return choices [index];
    s_reject (self, field, reason);
    return fallback;
}

//  Builds the event of one row into event (pointers into buffers and the
//  row, valid for the callback)
static int
s_row (const sv_csv_row_t *row, void *arg)
{
    ingest_records_t *self = (ingest_records_t *) arg;
    self->row = row;
    self->rejected = false;
    if (row->shape_error) {
        s_reject (self, 0, row->shape_error);
        return 0;
    }
    char date_a [SV_DATE_BUF], date_b [SV_DATE_BUF], postcode [SV_POSTCODE_BUF];
    char company [SV_COMPANY_BUF], supplier_key [256];
    sv_proto_t event = { .id = s_table_kinds [self->table] };
    if (event.id == SV_PROTO_SUPPLIER) {
        sv_proto_supplier_t *supplier = &event.supplier;
        supplier->partner = self->partner;
        supplier->name = (char *) s_required (self, SUP_NAME);
        supplier->supplier_id = (char *) s_text (self, SUP_ID);
        supplier->companies_house = (char *) s_company_of (self, SUP_COMPANY, company);
        supplier->vat = (char *) s_text (self, SUP_VAT);
        supplier->postcode = (char *) s_postcode_of (self, SUP_POSTCODE, postcode);
        supplier->sme = s_flag (self, SUP_SME);
        supplier->vcse = s_flag (self, SUP_VCSE);
        supplier->rlw_accredited = s_flag (self, SUP_RLW);
        supplier->rlw_expiry = (char *) s_date (self, SUP_RLW_EXPIRY, date_a, false);
        supplier->employee_owned = s_flag (self, SUP_EMPLOYEE_OWNED);
        supplier->redacted = ingest_spend_redaction (supplier->name);
        if (supplier->redacted)
            s_reject (self, SUP_NAME, "a redacted name cannot be a supplier record");
        ingest_records_supplier_key (supplier->companies_house, supplier->supplier_id,
                                     supplier->name, supplier_key, sizeof supplier_key);
        supplier->supplier_key = supplier_key;
    }
    else
    if (event.id == SV_PROTO_CONTRACT) {
        sv_proto_contract_t *contract = &event.contract;
        contract->partner = self->partner;
        contract->contract_id = (char *) s_required (self, CON_ID);
        contract->title = (char *) s_text (self, CON_TITLE);
        contract->category = (char *) s_text (self, CON_CATEGORY);
        const char *reason;
        if (*s_text (self, CON_VALUE)
        &&  sv_money_parse (s_text (self, CON_VALUE), &contract->value_pence, &reason))
            s_reject (self, CON_VALUE, reason);
        contract->start_date = (char *) s_date (self, CON_START, date_a, false);
        contract->end_date = (char *) s_date (self, CON_END, date_b, false);
        if (*date_a && *date_b && strcmp (date_b, date_a) < 0)
            s_reject (self, CON_END, "the contract ends before it starts");
        static const char *scope [] = { "yes", "no", "derive", NULL };
        contract->rlw_in_scope = (char *) s_choice (self, CON_IN_SCOPE, scope, "derive",
                                                    "expected yes, no or derive");
        contract->rlw_commitment = s_flag (self, CON_COMMITMENT);
        ingest_records_supplier_key (s_company_of (self, CON_COMPANY, company),
                                     s_text (self, CON_SUPPLIER_ID),
                                     s_text (self, CON_SUPPLIER_NAME),
                                     supplier_key, sizeof supplier_key);
        contract->supplier_key = supplier_key;
        contract->incomplete = !*supplier_key || !*date_a || !*date_b;
    }
    else
    if (event.id == SV_PROTO_COMMITMENT) {
        sv_proto_commitment_t *commitment = &event.commitment;
        commitment->partner = self->partner;
        commitment->contract_id = (char *) s_required (self, COM_CONTRACT);
        commitment->measure = (char *) s_measure_of (self, COM_MEASURE);
        int year;
        if (sv_date_fy_parse (s_text (self, COM_YEAR), &year))
            s_reject (self, COM_YEAR, "expected a financial year such as 2024-25");
        else
            commitment->year = (char *) sv_date_fy_format (year, date_a, sizeof date_a);
        commitment->quantity_milli = s_quantity (self, COM_QUANTITY);
    }
    else {
        sv_proto_delivery_t *delivery = &event.delivery;
        delivery->partner = self->partner;
        delivery->contract_id = (char *) s_required (self, DEL_CONTRACT);
        delivery->measure = (char *) s_measure_of (self, DEL_MEASURE);
        delivery->period_start = (char *) s_date (self, DEL_START, date_a, true);
        delivery->period_end = (char *) s_date (self, DEL_END, date_b, true);
        if (*date_a && *date_b && strcmp (date_b, date_a) < 0)
            s_reject (self, DEL_END, "the period ends before it starts");
        delivery->quantity_milli = s_quantity (self, DEL_QUANTITY);
        static const char *evidence [] = { "claimed", "evidenced", "validated", NULL };
        delivery->evidence = (char *) s_choice (self, DEL_EVIDENCE, evidence, "claimed",
                                                "expected claimed, evidenced or validated");
        delivery->ward = (char *) s_text (self, DEL_WARD);
        delivery->postcode = (char *) s_postcode_of (self, DEL_POSTCODE, postcode);
        delivery->beneficiary_group = (char *) s_text (self, DEL_GROUP);
    }
    if (self->rejected)
        return 0;
    return self->row_fn (&event, self->arg);
}

ingest_records_t *
ingest_records_new (sv_proto_id_t kind, const char *partner,
                    ingest_records_row_fn *row_fn, sv_csv_error_fn *error_fn, void *arg)
{
    assert (partner && row_fn);
    int table = -1;
    for (int index = 0; index < 4; index++)
        if (s_table_kinds [index] == kind)
            table = index;
    if (table < 0)
        return NULL;
    ingest_records_t *self = (ingest_records_t *) zmalloc (sizeof (ingest_records_t));
    self->table = table;
    self->partner = strdup (partner);
    self->row_fn = row_fn;
    self->error_fn = error_fn;
    self->arg = arg;
    self->csv = sv_csv_new (s_tables [table], s_table_sizes [table], s_row, self);
    if (!self->csv)
        ingest_records_destroy (&self);
    return self;
}

void
ingest_records_destroy (ingest_records_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_records_t *self = *self_p;
        sv_csv_destroy (&self->csv);
        zstr_free (&self->partner);
        free (self);
        *self_p = NULL;
    }
}

int
ingest_records_override (ingest_records_t *self, const char *pair)
{
    assert (self);
    return sv_csv_override (self->csv, pair);
}

int
ingest_records_feed (ingest_records_t *self, const void *data, size_t size)
{
    assert (self);
    return sv_csv_feed (self->csv, data, size);
}

int
ingest_records_finish (ingest_records_t *self)
{
    assert (self);
    return sv_csv_finish (self->csv);
}

const char *
ingest_records_refusal (ingest_records_t *self)
{
    assert (self);
    return sv_csv_refusal (self->csv);
}

void
ingest_records_supplier_key (const char *companies_house, const char *supplier_id,
                             const char *name, char *key, size_t size)
{
    if (companies_house && *companies_house)
        snprintf (key, size, "CH:%s", companies_house);
    else
    if (supplier_id && *supplier_id)
        snprintf (key, size, "ID:%s", supplier_id);
    else
    if (name && *name) {
        //  Upper case, letters and digits, single spaces: "A & A Electrical
        //  Ltd." and "A&A ELECTRICAL LTD" are one supplier
        size_t length = (size_t) snprintf (key, size, "NAME:");
        bool space = false;
        for (const char *c = name; *c && length + 2 < size; c++) {
            if (isalnum ((unsigned char) *c) || (unsigned char) *c >= 0x80) {
                if (space && length > 5)
                    key [length++] = ' ';
                key [length++] = (char) toupper ((unsigned char) *c);
                space = false;
            }
            else
            if (*c != '.' && *c != '\'')
                space = true;
        }
        //  A name of punctuation alone ("-", "?") names nobody
        key [length > 5? length: 0] = 0;
    }
    else
        *key = 0;
}

void
ingest_records_print_headers (FILE *out)
{
    static const char *names [4] = { "suppliers", "contracts", "commitments", "deliveries" };
    for (int table = 0; table < 4; table++) {
        fprintf (out, "%s:", names [table]);
        for (size_t field = 0; field < s_table_sizes [table]; field++)
            fprintf (out, "%s%s%s", field? ",": " ", s_tables [table][field].synonyms [0],
                     s_tables [table][field].required? "*": "");
        fprintf (out, "\n");
    }
}

//  ==========================================================================
//  Self-test

typedef struct {
    int rows;
    int errors;
    char first_error [256];
    sv_proto_t last;            //  a copy made by decode, owned
} s_test_t;

static int
s_test_row (const sv_proto_t *event, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    test->rows++;
    //  Keep a copy of the last event by encoding and decoding it
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    assert (sv_proto_encode (event, &buffer) == 0);
    sv_proto_reset (&test->last);
    assert (sv_proto_decode (&test->last, (const uint8_t *) buffer.data, buffer.size) == 0);
    msgpack_sbuffer_destroy (&buffer);
    return 0;
}

static void
s_test_error (const sv_csv_error_t *error, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    if (test->errors++ == 0)
        sv_csv_error_format (error, test->first_error, sizeof test->first_error);
}

static s_test_t
s_test_read (sv_proto_id_t kind, const char *csv)
{
    s_test_t test = { .rows = 0 };
    ingest_records_t *records = ingest_records_new (kind, "council", s_test_row, s_test_error, &test);
    assert (records);
    //  A byte at a time: the chunking changes nothing
    for (const char *c = csv; *c; c++)
        assert (ingest_records_feed (records, c, 1) == 0);
    assert (ingest_records_finish (records) == 0);
    ingest_records_destroy (&records);
    return test;
}

void
ingest_records_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_records: ");

    //  Suppliers: keys, normalised postcodes, flags; a bad postcode rejected
    s_test_t test = s_test_read (SV_PROTO_SUPPLIER,
        "Supplier Name,Supplier ID,Company Number,Postcode,SME,VCSE,RLW Accredited,RLW Expiry\n"
        "Rotherham Cleaning Co-operative,S17,1234567,s602td,yes,Y,true,31/03/2026\n"
        "Acme Security Ltd,S18,,M33 7AB,no,,,\n"
        "Bad Postcode Ltd,S19,,NOT A CODE,no,,,\n");
    assert (test.rows == 2 && test.errors == 1);
    assert (streq (test.first_error, "row 4, column 'Postcode', value 'NOT A CODE': "
                                     "not a UK postcode") || strstr (test.first_error, "row 4"));
    assert (streq (test.last.supplier.supplier_key, "ID:S18"));
    assert (streq (test.last.supplier.postcode, "M33 7AB"));
    assert (!test.last.supplier.sme);
    sv_proto_reset (&test.last);

    test = s_test_read (SV_PROTO_SUPPLIER,
        "Supplier Name,Company Number,Postcode,SME\n"
        "Rotherham Cleaning Co-operative,1234567,s602td,yes\n");
    assert (test.rows == 1);
    assert (streq (test.last.supplier.supplier_key, "CH:01234567"));
    assert (streq (test.last.supplier.postcode, "S60 2TD"));
    assert (test.last.supplier.sme && streq (test.last.supplier.partner, "council"));
    sv_proto_reset (&test.last);

    //  Contracts: value in pence, dates, scope; an end before the start rejected
    test = s_test_read (SV_PROTO_CONTRACT,
        "Contract ID,Title,Supplier Name,Category,Contract Value,Start Date,End Date,RLW In Scope\n"
        "C-001,Office cleaning,Rotherham Cleaning Co-operative,Cleaning,\"£1,234,567.89\","
        "01/04/2024,31/03/2027,\n"
        "C-002,Backwards,Acme,Security,1000,01/04/2025,01/04/2024,yes\n");
    assert (test.rows == 1 && test.errors == 1);
    assert (strstr (test.first_error, "row 3, column 'End Date'"));
    assert (test.last.contract.value_pence == 123456789);
    assert (streq (test.last.contract.start_date, "2024-04-01"));
    assert (streq (test.last.contract.end_date, "2027-03-31"));
    assert (streq (test.last.contract.rlw_in_scope, "derive"));
    assert (streq (test.last.contract.supplier_key, "NAME:ROTHERHAM CLEANING CO OPERATIVE"));
    char key [256];
    ingest_records_supplier_key ("", "", " - ", key, sizeof key);
    assert (streq (key, ""));
    assert (!test.last.contract.incomplete);
    sv_proto_reset (&test.last);

    //  Commitments: quantities in thousandths, financial years checked
    test = s_test_read (SV_PROTO_COMMITMENT,
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-001,NT3,2024/25,52.5\n"
        "C-001,NT3,2024-26,10\n"
        "C-001,NT 3,2024-25,10\n");
    assert (test.rows == 1 && test.errors == 2);
    assert (strstr (test.first_error, "row 3, column 'Financial Year'"));
    assert (test.last.commitment.quantity_milli == 52500);
    assert (streq (test.last.commitment.year, "2024-25"));
    sv_proto_reset (&test.last);

    //  Deliveries: evidence states, periods; a missing quantity rejected
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Ward,Beneficiary Group\n"
        "C-001,NT3,2024-04-01,2024-06-30,12,Evidenced,E05001000,Young people\n"
        "C-001,NT3,2024-07-01,2024-09-30,,claimed,,\n"
        "C-001,NT3,2024-10-01,2024-12-31,3,audited,,\n");
    assert (test.rows == 1 && test.errors == 2);
    assert (strstr (test.first_error, "row 3, column 'Quantity'"));
    assert (test.last.delivery.quantity_milli == 12000);
    assert (streq (test.last.delivery.evidence, "evidenced"));
    sv_proto_reset (&test.last);

    //  A file without a required column is refused whole, naming it
    ingest_records_t *records = ingest_records_new (SV_PROTO_COMMITMENT, "council",
                                                    s_test_row, s_test_error, &test);
    const char *csv = "Contract ID,Measure,Quantity\nC-001,NT3,5\n";
    int rc = ingest_records_feed (records, csv, strlen (csv));
    if (rc == 0)
        rc = ingest_records_finish (records);
    assert (rc == -1 && strstr (ingest_records_refusal (records), "year"));
    ingest_records_destroy (&records);
    assert (!ingest_records_new (SV_PROTO_SPEND, "council", s_test_row, NULL, NULL));
    if (verbose)
        printf ("OK\n");
}
