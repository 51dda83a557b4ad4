/*  ingest_records: suppliers, contracts, commitments and deliveries from
    CSV. See ingest_records.h. Each kind is a field table (the canonical
    header and the synonyms people write) and a function that checks one
    row and builds its event.
*/

#include "ingest_records.h"
#include "ingest_seen.h"
#include "ingest_spend.h"
#include "sv_chouse.h"
#include "sv_company.h"
#include "sv_date.h"
#include "sv_money.h"
#include "sv_name.h"
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

//  What Companies House's register says of suppliers socval knows: the
//  file `socval suppliers resolve` writes and sends (kind "companies")
enum { CO_KEY, CO_NUMBER, CO_MATCHED_BY, CO_NAME, CO_POSTCODE, CO_STATUS, CO_DISSOLVED,
       CO_SIC, CO_SOURCE, CO_PARTNER, CO_FIELDS };
static const sv_csv_field_t s_company_fields [CO_FIELDS] = {
    { "supplier_key", S_NAMES ("Supplier Key"), true },
    { "company_number", S_NAMES ("Company Number", "CompanyNumber"), true },
    { "matched_by", S_NAMES ("Matched By"), true },
    { "name", S_NAMES ("Company Name", "CompanyName"), false },
    { "postcode", S_NAMES ("Postcode", "RegAddress.PostCode", "Registered Postcode"), false },
    { "status", S_NAMES ("Status", "CompanyStatus"), false },
    { "dissolved", S_NAMES ("Dissolved", "DissolutionDate"), false },
    { "sic_codes", S_NAMES ("SIC Codes"), false },
    { "source", S_NAMES ("Source", "Register File"), false },
    { "partner", S_NAMES ("Partner"), false },
};

//  A KPI is named by its id, else by its name: one of the two is needed
//  (checked in s_row), and the id is the key when both are given
enum { KPI_CONTRACT, KPI_ID, KPI_NAME, KPI_YEAR, KPI_TARGET, KPI_UNIT, KPI_ACTUAL,
       KPI_DIRECTION, KPI_MEASURE, KPI_FIELDS };
static const sv_csv_field_t s_kpi_fields [KPI_FIELDS] = {
    { "contract_id", S_CONTRACT_ID, true },
    { "kpi_id", S_NAMES ("KPI ID", "KPI Reference", "KPI Ref", "KPI Number", "KPI No",
                         "Indicator ID", "Metric ID"), false },
    { "name", S_NAMES ("KPI Name", "KPI", "KPI Title", "Indicator", "Metric", "Name",
                       "KPI Description"), false },
    { "year", S_NAMES ("Period", "Financial Year", "Year", "FY", "Reporting Period"), true },
    { "target", S_NAMES ("Target", "KPI Target", "Target Value", "Agreed Target"), true },
    { "unit", S_NAMES ("Unit", "Units", "Unit of Measure", "UoM"), false },
    { "actual", S_NAMES ("Actual", "Actual Value", "Achieved", "Performance"), false },
    { "direction", S_NAMES ("Direction", "Better", "Polarity"), false },
    { "measure", S_MEASURE, false },
};

#define S_TABLES 6
static const sv_csv_field_t *const s_tables [S_TABLES] = {
    s_supplier_fields, s_contract_fields, s_commitment_fields, s_delivery_fields,
    s_company_fields, s_kpi_fields
};
static const size_t s_table_sizes [S_TABLES] = {
    SUP_FIELDS, CON_FIELDS, COM_FIELDS, DEL_FIELDS, CO_FIELDS, KPI_FIELDS
};
static const sv_proto_id_t s_table_kinds [S_TABLES] = {
    SV_PROTO_SUPPLIER, SV_PROTO_CONTRACT, SV_PROTO_COMMITMENT, SV_PROTO_DELIVERY,
    SV_PROTO_COMPANY, SV_PROTO_KPI
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
    sv_csv_error_fn *warning_fn;
    void *warning_arg;
    char **groups;              //  declared beneficiary groups, NULL-terminated, or NULL
    ingest_seen_t *seen;        //  the file's keys so far
    msgpack_sbuffer encoded;    //  a row's event, to compare it with an earlier one
    //  The row being checked
    const sv_csv_row_t *row;
    bool rejected;
};

static const char *s_text (ingest_records_t *self, size_t field);

//  Tells fn of the current row, naming field's column and value
static void
s_tell (ingest_records_t *self, sv_csv_error_fn *fn, void *arg, size_t field,
        const char *reason)
{
    if (fn) {
        sv_csv_error_t error = {
            .line = self->row->line,
            .column = sv_csv_column (self->csv, field),
            .value = self->row->values [field],
            .reason = reason
        };
        fn (&error, arg);
    }
}

//  Rejects the current row (once) naming field's column and value
static void
s_reject (ingest_records_t *self, size_t field, const char *reason)
{
    if (!self->rejected)
        s_tell (self, self->error_fn, self->arg, field, reason);
    self->rejected = true;
}

//  Warns of the current row, which is accepted all the same
static void
s_warn (ingest_records_t *self, size_t field, const char *reason)
{
    s_tell (self, self->warning_fn, self->warning_arg, field, reason);
}

//  Why a key field's value is too long, into reason (size bytes), or NULL
static const char *
s_too_long (const char *value, size_t limit, char *reason, size_t size)
{
    size_t length = strlen (value);
    if (length <= limit)
        return NULL;
    snprintf (reason, size, "%zu bytes long; a key field may hold at most %zu", length, limit);
    return reason;
}

//  Rejects the row when field's value is longer than limit bytes
static void
s_limit (ingest_records_t *self, size_t field, size_t limit)
{
    char reason [96];
    if (s_too_long (s_text (self, field), limit, reason, sizeof reason))
        s_reject (self, field, reason);
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

//  A KPI figure (target or actual) in thousandths: a quantity, or a
//  percentage ("95%", "95 %") when the unit is "%" or not given, which
//  then becomes "%" in *unit_p. A percentage with another unit is two
//  units for one figure, refused rather than chosen between.
static int64_t
s_kpi_figure (ingest_records_t *self, size_t field, const char **unit_p)
{
    char text [64];
    snprintf (text, sizeof text, "%s", s_text (self, field));
    size_t length = strlen (text);
    while (length && text [length - 1] == ' ')
        text [--length] = 0;
    if (length && text [length - 1] == '%') {
        text [--length] = 0;
        while (length && text [length - 1] == ' ')
            text [--length] = 0;
        if (**unit_p && !streq (*unit_p, "%")) {
            s_reject (self, field, "a percentage, but the KPI's unit is not %");
            return 0;
        }
        *unit_p = "%";
    }
    int64_t milli = 0;
    const char *reason;
    if (strlen (s_text (self, field)) >= sizeof text)
        s_reject (self, field, "too long to be a number");
    else
    if (sv_money_parse_quantity (text, &milli, &reason))
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

#define S_MEASURE_FORM "a measure code is letters, digits, '.', '-' and '_'"

static bool
s_measure_form (const char *code)
{
    for (const char *c = code; *c; c++)
        if (!isalnum ((unsigned char) *c) && !strchr (".-_", *c))
            return false;
    return true;
}

static const char *
s_measure_of (ingest_records_t *self, size_t field)
{
    const char *code = s_required (self, field);
    if (!s_measure_form (code))
        s_reject (self, field, S_MEASURE_FORM);
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

//  Rejects the row when the supplier it names is known by its id or its
//  name, and that is too long to be a key (a Companies House number has
//  its own form)
static void
s_limit_supplier_key (ingest_records_t *self, const char *supplier_key, size_t id_field,
                      size_t name_field)
{
    if (strncmp (supplier_key, "ID:", 3) == 0)
        s_limit (self, id_field, INGEST_RECORDS_ID_MAX);
    else
    if (strncmp (supplier_key, "NAME:", 5) == 0)
        s_limit (self, name_field, INGEST_RECORDS_NAME_MAX);
}

//  Rejects the row, and returns true, when an earlier row of the file has
//  its key with other content (ingest_records.h, "Rows of one file"). A row
//  identical to an earlier one goes on, for the store to count it a
//  duplicate.
static bool
s_in_file_conflict (ingest_records_t *self, const sv_proto_t *event, const char *key)
{
    self->encoded.size = 0;
    if (sv_proto_encode (event, &self->encoded))
        return false;           //  the store's own encoding will fail and say so
    uint64_t earlier = 0;
    if (ingest_seen_check (self->seen, key, self->encoded.data, self->encoded.size,
                           self->row->line, &earlier) != INGEST_SEEN_OTHER)
        return false;
    char reason [256];
    s_reject (self, 0, ingest_records_conflict (event->id, "line", earlier,
                                                reason, sizeof reason));
    return true;
}

//  Where s_event_warnings sends a warning: field indexes the kind's table
typedef void (s_warn_fn) (void *arg, size_t field, const char *reason);

//  Warns of what an accepted event is taken as, when its sender should
//  look: through warn, naming the field of the kind's table. claimed says
//  a delivery's evidence state was taken as claimed for want of one;
//  groups are the declared beneficiary groups, or NULL.
static void
s_event_warnings (const sv_proto_t *event, bool claimed, char *const *groups,
                  s_warn_fn *warn, void *arg)
{
    if (event->id == SV_PROTO_CONTRACT && event->contract.incomplete)
        warn (arg, !*event->contract.supplier_key? CON_SUPPLIER_NAME:
                   !*event->contract.start_date? CON_START: CON_END,
              "no supplier, start date or end date: the contract is kept as incomplete"
              " until a row with them is sent");
    else
    if (event->id == SV_PROTO_COMMITMENT && event->commitment.quantity_milli < 0)
        warn (arg, COM_QUANTITY, "a negative quantity committed: taken as written");
    else
    if (event->id == SV_PROTO_DELIVERY) {
        const sv_proto_delivery_t *delivery = &event->delivery;
        if (delivery->quantity_milli < 0)
            warn (arg, DEL_QUANTITY, "a negative quantity: taken as a correction,"
                                     " subtracted from what the contract delivered");
        if (claimed)
            warn (arg, DEL_EVIDENCE, "no evidence state: taken as claimed");
        int32_t start, end;
        if (sv_date_parse (delivery->period_start, &start, NULL) == 0
        &&  sv_date_parse (delivery->period_end, &end, NULL) == 0
        &&  sv_date_fy (start) != sv_date_fy (end)) {
            char year [16], reason [160];
            sv_date_fy_format (sv_date_fy (end), year, sizeof year);
            snprintf (reason, sizeof reason, "the period runs across financial years, so"
                      " it cannot be a quarter: it is valued in %s, the year it ends in", year);
            warn (arg, DEL_END, reason);
        }
        if (groups && *delivery->beneficiary_group
        &&  !ingest_records_group (groups, delivery->beneficiary_group))
            warn (arg, DEL_GROUP, "not one of the partner's declared beneficiary groups:"
                                  " taken as written, so counted apart from them");
    }
    else
    if (event->id == SV_PROTO_KPI && event->kpi.has_actual && *event->kpi.measure)
        warn (arg, KPI_ACTUAL, "an actual given and a measure named: the actual is reported,"
                               " the measure's delivery returns are not read for this KPI");
}

static void
s_warn_csv (void *arg, size_t field, const char *reason)
{
    s_warn ((ingest_records_t *) arg, field, reason);
}

static const char *const s_evidence [] = { "claimed", "evidenced", "validated", NULL };
#define S_EVIDENCE_EXPECTED "expected claimed, evidenced or validated"

static const char *const s_lower [] = { "lower", "lower is better", "at most", "down", NULL };
static const char *const s_higher [] = { "higher", "higher is better", "at least", "up", NULL };

//  Whether a KPI is met by staying at or below its target: the Direction
//  cell, higher (the default, when empty) or lower
static bool
s_lower_is_better (ingest_records_t *self, size_t field)
{
    const char *value = s_text (self, field);
    for (int index = 0; s_lower [index]; index++)
        if (strcasecmp (value, s_lower [index]) == 0)
            return true;
    for (int index = 0; s_higher [index]; index++)
        if (strcasecmp (value, s_higher [index]) == 0)
            return false;
    if (*value)
        s_reject (self, field, "expected higher or lower (which way the KPI is met)");
    return false;
}

//  A KPI row into kpi (pointers into year, SV_DATE_BUF bytes, and the row)
static void
s_kpi_row (ingest_records_t *self, sv_proto_kpi_t *kpi, char *year_text)
{
    kpi->partner = self->partner;
    kpi->contract_id = (char *) s_required (self, KPI_CONTRACT);
    s_limit (self, KPI_CONTRACT, INGEST_RECORDS_ID_MAX);
    kpi->name = (char *) s_text (self, KPI_NAME);
    kpi->kpi_id = (char *) s_text (self, KPI_ID);
    if (!*kpi->kpi_id)
        kpi->kpi_id = kpi->name;
    if (!*kpi->kpi_id)
        s_reject (self, KPI_ID, "a KPI needs an id or a name, and the row has neither");
    s_limit (self, *s_text (self, KPI_ID)? KPI_ID: KPI_NAME, INGEST_RECORDS_ID_MAX);
    int year;
    if (sv_date_fy_parse (s_text (self, KPI_YEAR), &year))
        s_reject (self, KPI_YEAR, "expected a financial year such as 2024-25");
    else
        kpi->year = (char *) sv_date_fy_format (year, year_text, SV_DATE_BUF);
    const char *unit = s_text (self, KPI_UNIT);
    if (!*s_text (self, KPI_TARGET))
        s_reject (self, KPI_TARGET, "a target is required");
    kpi->target_milli = s_kpi_figure (self, KPI_TARGET, &unit);
    kpi->has_actual = *s_text (self, KPI_ACTUAL) != 0;
    if (kpi->has_actual)
        kpi->actual_milli = s_kpi_figure (self, KPI_ACTUAL, &unit);
    kpi->unit = (char *) unit;
    kpi->lower_is_better = s_lower_is_better (self, KPI_DIRECTION);
    kpi->measure = (char *) s_text (self, KPI_MEASURE);
    if (!s_measure_form (kpi->measure))
        s_reject (self, KPI_MEASURE, S_MEASURE_FORM);
    s_limit (self, KPI_MEASURE, INGEST_RECORDS_CODE_MAX);
    kpi->ocid = "";
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
    char company [SV_COMPANY_BUF], supplier_key [INGEST_RECORDS_NAME_MAX + 8];
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
        s_limit_supplier_key (self, supplier_key, SUP_ID, SUP_NAME);
        supplier->supplier_key = supplier_key;
    }
    else
    if (event.id == SV_PROTO_CONTRACT) {
        sv_proto_contract_t *contract = &event.contract;
        contract->partner = self->partner;
        contract->contract_id = (char *) s_required (self, CON_ID);
        s_limit (self, CON_ID, INGEST_RECORDS_ID_MAX);
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
        s_limit_supplier_key (self, supplier_key, CON_SUPPLIER_ID, CON_SUPPLIER_NAME);
        contract->supplier_key = supplier_key;
        contract->incomplete = !*supplier_key || !*date_a || !*date_b;
    }
    else
    if (event.id == SV_PROTO_COMMITMENT) {
        sv_proto_commitment_t *commitment = &event.commitment;
        commitment->partner = self->partner;
        commitment->contract_id = (char *) s_required (self, COM_CONTRACT);
        s_limit (self, COM_CONTRACT, INGEST_RECORDS_ID_MAX);
        commitment->measure = (char *) s_measure_of (self, COM_MEASURE);
        s_limit (self, COM_MEASURE, INGEST_RECORDS_CODE_MAX);
        int year;
        if (sv_date_fy_parse (s_text (self, COM_YEAR), &year))
            s_reject (self, COM_YEAR, "expected a financial year such as 2024-25");
        else
            commitment->year = (char *) sv_date_fy_format (year, date_a, sizeof date_a);
        commitment->quantity_milli = s_quantity (self, COM_QUANTITY);
    }
    else
    if (event.id == SV_PROTO_COMPANY) {
        sv_proto_company_t *company_of = &event.company;
        company_of->partner = self->partner;
        company_of->supplier_key = (char *) s_required (self, CO_KEY);
        s_limit (self, CO_KEY, INGEST_RECORDS_NAME_MAX + 5);
        const char *problem = ingest_records_company_problem (company_of->supplier_key,
                                                              s_text (self, CO_SIC));
        if (problem)
            s_reject (self, strncmp (problem, "a supplier key", 14) == 0? CO_KEY: CO_SIC,
                      problem);
        company_of->company_number = (char *) s_company_of (self, CO_NUMBER, company);
        if (!*company && *s_text (self, CO_NUMBER))
            s_reject (self, CO_NUMBER, "a placeholder, not a company number");
        else
        if (!*s_text (self, CO_NUMBER))
            s_reject (self, CO_NUMBER, "required, and empty");
        static const char *matched [] = { "number", "name", NULL };
        company_of->matched_by = (char *) s_choice (self, CO_MATCHED_BY, matched, "",
                                                    "expected number or name");
        company_of->name = (char *) s_text (self, CO_NAME);
        s_limit (self, CO_NAME, INGEST_RECORDS_NAME_MAX);
        company_of->postcode = (char *) s_postcode_of (self, CO_POSTCODE, postcode);
        company_of->status = (char *) s_text (self, CO_STATUS);
        s_limit (self, CO_STATUS, INGEST_RECORDS_PLACE_MAX);
        company_of->dissolved = (char *) s_date (self, CO_DISSOLVED, date_a, false);
        company_of->sic_codes = (char *) s_text (self, CO_SIC);
        company_of->rlw_category = (char *) sv_chouse_rlw_category (company_of->sic_codes);
        company_of->source = (char *) s_text (self, CO_SOURCE);
        s_limit (self, CO_SOURCE, INGEST_RECORDS_NAME_MAX);
        //  A supplier id is its partner's own: another partner's S-17 may
        //  be another company, so only its partner may say what it is
        if (*s_text (self, CO_PARTNER) && !streq (s_text (self, CO_PARTNER), self->partner)) {
            char reason [300];
            snprintf (reason, sizeof reason, "a supplier of partner '%.80s', not of '%.80s'"
                      " whose key sent the file: resolve it with that partner's key",
                      s_text (self, CO_PARTNER), self->partner);
            s_reject (self, CO_PARTNER, reason);
        }
    }
    else
    if (event.id == SV_PROTO_KPI)
        s_kpi_row (self, &event.kpi, date_a);
    else {
        sv_proto_delivery_t *delivery = &event.delivery;
        delivery->partner = self->partner;
        delivery->contract_id = (char *) s_required (self, DEL_CONTRACT);
        s_limit (self, DEL_CONTRACT, INGEST_RECORDS_ID_MAX);
        delivery->measure = (char *) s_measure_of (self, DEL_MEASURE);
        s_limit (self, DEL_MEASURE, INGEST_RECORDS_CODE_MAX);
        delivery->period_start = (char *) s_date (self, DEL_START, date_a, true);
        delivery->period_end = (char *) s_date (self, DEL_END, date_b, true);
        if (*date_a && *date_b && strcmp (date_b, date_a) < 0)
            s_reject (self, DEL_END, "the period ends before it starts");
        delivery->quantity_milli = s_quantity (self, DEL_QUANTITY);
        delivery->evidence = (char *) s_choice (self, DEL_EVIDENCE, s_evidence, "claimed",
                                                S_EVIDENCE_EXPECTED);
        delivery->ward = (char *) s_text (self, DEL_WARD);
        s_limit (self, DEL_WARD, INGEST_RECORDS_PLACE_MAX);
        delivery->postcode = (char *) s_postcode_of (self, DEL_POSTCODE, postcode);
        delivery->beneficiary_group = (char *) s_text (self, DEL_GROUP);
        s_limit (self, DEL_GROUP, INGEST_RECORDS_PLACE_MAX);
    }
    if (self->rejected)
        return 0;
    char key [INGEST_RECORDS_KEY_BUF];
    if (ingest_records_key (&event, key, sizeof key)) {
        //  The fields' own limits keep every key within bounds; this is
        //  the last guard, should a limit ever be raised
        s_reject (self, 0, "the row's natural key is longer than "
                           "INGEST_RECORDS_KEY_MAX bytes");
        return 0;
    }
    if (s_in_file_conflict (self, &event, key))
        return 0;
    if (event.id == SV_PROTO_DELIVERY) {
        const char *declared = ingest_records_group (self->groups,
                                                     event.delivery.beneficiary_group);
        if (declared)
            event.delivery.beneficiary_group = (char *) declared;
    }
    if (self->warning_fn)
        s_event_warnings (&event, event.id == SV_PROTO_DELIVERY && !*s_text (self, DEL_EVIDENCE),
                          self->groups, s_warn_csv, self);
    return self->row_fn (&event, key, self->arg);
}

ingest_records_t *
ingest_records_new (sv_proto_id_t kind, const char *partner,
                    ingest_records_row_fn *row_fn, sv_csv_error_fn *error_fn, void *arg)
{
    assert (partner && row_fn);
    int table = -1;
    for (int index = 0; index < S_TABLES; index++)
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
    self->seen = ingest_seen_new (INGEST_RECORDS_SEEN_MAX);
    msgpack_sbuffer_init (&self->encoded);
    if (!self->csv || !self->seen)
        ingest_records_destroy (&self);
    return self;
}

static void
s_groups_free (ingest_records_t *self)
{
    for (char **group = self->groups; group && *group; group++)
        free (*group);
    free (self->groups);
    self->groups = NULL;
}

void
ingest_records_destroy (ingest_records_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_records_t *self = *self_p;
        sv_csv_destroy (&self->csv);
        ingest_seen_destroy (&self->seen);
        msgpack_sbuffer_destroy (&self->encoded);
        s_groups_free (self);
        zstr_free (&self->partner);
        free (self);
        *self_p = NULL;
    }
}

void
ingest_records_set_warning (ingest_records_t *self, sv_csv_error_fn *fn, void *arg)
{
    assert (self);
    self->warning_fn = fn;
    self->warning_arg = arg;
}

void
ingest_records_set_groups (ingest_records_t *self, const char *const *groups)
{
    assert (self);
    s_groups_free (self);
    if (!groups)
        return;
    size_t count = 0;
    while (groups [count])
        count++;
    self->groups = (char **) zmalloc ((count + 1) * sizeof (char *));
    for (size_t index = 0; index < count; index++)
        self->groups [index] = strdup (groups [index]);
}

const char *
ingest_records_group (char *const *groups, const char *group)
{
    assert (group);
    char key [SV_NAME_BUF], declared [SV_NAME_BUF];
    if (!groups || sv_name_key (group, key, sizeof key) || !*key)
        return NULL;
    for (char *const *entry = groups; *entry; entry++)
        if (sv_name_key (*entry, declared, sizeof declared) == 0 && streq (declared, key))
            return *entry;
    return NULL;
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
ingest_records_feed_cells (ingest_records_t *self, size_t line, const char *const *cells,
                           size_t count, const char *problem)
{
    assert (self);
    return sv_csv_feed_cells (self->csv, line, cells, count, problem);
}

size_t
ingest_records_header_line (ingest_records_t *self)
{
    assert (self);
    return sv_csv_header_line (self->csv);
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
ingest_records_columns (ingest_records_t *self, sv_csv_column_fn *fn, void *arg)
{
    assert (self);
    sv_csv_columns (self->csv, fn, arg);
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

//  ==========================================================================
//  Natural keys

static const char *
s_or_empty (const char *text)
{
    return text? text: "";
}

const char *
ingest_records_company_problem (const char *supplier_key, const char *sic_codes)
{
    if (strncmp (supplier_key, "CH:", 3) && strncmp (supplier_key, "ID:", 3)
    &&  strncmp (supplier_key, "NAME:", 5))
        return "a supplier key is CH:, ID: or NAME: and what follows";
    //  "56210" or "56210,56290": up to four codes of five digits
    size_t length = strlen (sic_codes);
    bool formed = length == 0 || (length % 6 == 5 && length <= 23);
    for (size_t at = 0; formed && at < length; at++)
        formed = at % 6 == 5? sic_codes [at] == ',': isdigit ((unsigned char) sic_codes [at]);
    return formed? NULL: "expected up to four SIC 2007 codes of five digits, comma-separated"
                         " (56210,56290)";
}

int
ingest_records_key (const sv_proto_t *event, char *key, size_t size)
{
    int length = -1;
    if (event->id == SV_PROTO_SUPPLIER)
        length = snprintf (key, size, "%s", s_or_empty (event->supplier.supplier_key));
    else
    if (event->id == SV_PROTO_COMPANY)
        length = snprintf (key, size, "%s", s_or_empty (event->company.supplier_key));
    else
    if (event->id == SV_PROTO_CONTRACT)
        length = snprintf (key, size, "%s", s_or_empty (event->contract.contract_id));
    else
    if (event->id == SV_PROTO_COMMITMENT) {
        const sv_proto_commitment_t *commitment = &event->commitment;
        length = snprintf (key, size, "%s/%s/%s", s_or_empty (commitment->contract_id),
                           s_or_empty (commitment->measure), s_or_empty (commitment->year));
    }
    else
    if (event->id == SV_PROTO_DELIVERY) {
        //  The postcode last, and only when there is one: a return without
        //  one keeps the key it always had
        const sv_proto_delivery_t *delivery = &event->delivery;
        const char *postcode = s_or_empty (delivery->postcode);
        length = snprintf (key, size, "%s/%s/%s/%s/%s/%s%s%s",
                           s_or_empty (delivery->contract_id), s_or_empty (delivery->measure),
                           s_or_empty (delivery->period_start),
                           s_or_empty (delivery->period_end), s_or_empty (delivery->ward),
                           s_or_empty (delivery->beneficiary_group), *postcode? "/": "",
                           postcode);
    }
    else
    if (event->id == SV_PROTO_KPI) {
        const sv_proto_kpi_t *kpi = &event->kpi;
        length = snprintf (key, size, "%s/%s/%s", s_or_empty (kpi->contract_id),
                           s_or_empty (kpi->kpi_id), s_or_empty (kpi->year));
    }
    return length >= 0 && (size_t) length < size? 0: -1;
}

const char *
ingest_records_conflict (sv_proto_id_t kind, const char *unit, uint64_t earlier,
                         char *reason, size_t size)
{
    const char *same = "same natural key", *each = "row";
    switch (kind) {
        case SV_PROTO_SUPPLIER:
            same = "same supplier (Companies House number, else supplier id, else name)";
            each = "row for each supplier";
            break;
        case SV_PROTO_COMPANY:
            same = "same supplier key";
            each = "register entry for each supplier";
            break;
        case SV_PROTO_CONTRACT:
            same = "same contract id";
            each = "row for each contract";
            break;
        case SV_PROTO_SPEND:
            same = "same transaction number and line";
            each = "payment for each";
            break;
        case SV_PROTO_COMMITMENT:
            same = "same contract, measure and financial year";
            each = "commitment for each";
            break;
        case SV_PROTO_DELIVERY:
            same = "same contract, measure, period, ward, group and postcode";
            each = "return for each";
            break;
        case SV_PROTO_KPI:
            same = "same contract, KPI and financial year";
            each = "target for each";
            break;
        default:
            break;
    }
    snprintf (reason, size, "%s as %s %" PRIu64 ", with other content; a file may hold one %s",
              same, unit, earlier, each);
    return reason;
}

//  Replaces an owned string of a decoded record
static void
s_replace (char **field, const char *value)
{
    char *copy = strdup (value);
    free (*field);
    *field = copy;
}

//  Checks a key field of a decoded record: present when required, within
//  limit. Returns reason, or NULL when good.
static const char *
s_check_field (const char *value, bool required, size_t limit, char *reason, size_t size)
{
    if (required && !*s_or_empty (value)) {
        snprintf (reason, size, "required, and empty");
        return reason;
    }
    return s_too_long (s_or_empty (value), limit, reason, size);
}

//  The contract id and measure code a commitment or delivery is on
static const char *
s_check_on (const char *contract_id, const char *measure, const char **column_p,
            char *reason, size_t size)
{
    *column_p = "contract_id";
    if (s_check_field (contract_id, true, INGEST_RECORDS_ID_MAX, reason, size))
        return reason;
    *column_p = "measure";
    if (s_check_field (measure, true, INGEST_RECORDS_CODE_MAX, reason, size))
        return reason;
    if (!s_measure_form (measure))
        return snprintf (reason, size, S_MEASURE_FORM), reason;
    *column_p = "";
    return NULL;
}

//  A date of a decoded record, rewritten as ISO
static const char *
s_check_date (char **date, char *reason, size_t size)
{
    int32_t day;
    const char *why;
    if (!*s_or_empty (*date))
        snprintf (reason, size, "a date is required");
    else
    if (sv_date_parse (*date, &day, &why))
        snprintf (reason, size, "%s", why);
    else {
        char iso [SV_DATE_BUF];
        s_replace (date, sv_date_format (day, iso, sizeof iso));
        return NULL;
    }
    return reason;
}

//  An evidence state of a decoded record, folded to lower case; claimed
//  when there is none, as in CSV
static const char *
s_check_evidence (char **evidence, char *reason, size_t size)
{
    const char *value = s_or_empty (*evidence);
    for (int index = 0; s_evidence [index]; index++)
        if (!*value || strcasecmp (value, s_evidence [index]) == 0) {
            s_replace (evidence, *value? s_evidence [index]: "claimed");
            return NULL;
        }
    snprintf (reason, size, S_EVIDENCE_EXPECTED);
    return reason;
}

typedef struct {
    const sv_csv_field_t *table;
    uint64_t row;
    sv_csv_error_fn *fn;
    void *arg;
} s_record_warning_t;

static void
s_warn_record (void *arg, size_t field, const char *reason)
{
    s_record_warning_t *warning = (s_record_warning_t *) arg;
    sv_csv_error_t error = {
        .line = (size_t) warning->row, .column = warning->table [field].name, .reason = reason
    };
    warning->fn (&error, warning->arg);
}

void
ingest_records_warn_record (const sv_proto_t *record, bool claimed, char *const *groups,
                            uint64_t row, sv_csv_error_fn *fn, void *arg)
{
    assert (record);
    for (int table = 0; fn && table < S_TABLES; table++)
        if (s_table_kinds [table] == record->id) {
            s_record_warning_t warning = { s_tables [table], row, fn, arg };
            s_event_warnings (record, claimed, groups, s_warn_record, &warning);
        }
}

int
ingest_records_normalise (sv_proto_t *record, const char **column_p, char *reason, size_t size)
{
    assert (record && column_p && reason);
    const char *column = "", *problem = NULL;
    if (record->id == SV_PROTO_SUPPLIER) {
        column = "supplier_key";
        problem = s_check_field (record->supplier.supplier_key, true,
                                 INGEST_RECORDS_NAME_MAX + 5, reason, size);
    }
    else
    if (record->id == SV_PROTO_COMPANY) {
        sv_proto_company_t *company = &record->company;
        char number [SV_COMPANY_BUF];
        const char *why = NULL;
        column = "supplier_key";
        problem = s_check_field (company->supplier_key, true, INGEST_RECORDS_NAME_MAX + 5,
                                 reason, size);
        if (!problem)
            problem = ingest_records_company_problem (company->supplier_key,
                                                      s_or_empty (company->sic_codes));
        if (problem && strncmp (problem, "expected up to four SIC", 23) == 0)
            column = "sic_codes";
        if (!problem
        &&  (sv_company_number (s_or_empty (company->company_number), number, sizeof number,
                                &why) || !*number)) {
            column = "company_number";
            problem = why? why: "required, and empty";
        }
        if (!problem)
            s_replace (&company->company_number, number);
        if (!problem && !streq (s_or_empty (company->matched_by), "number")
        &&  !streq (s_or_empty (company->matched_by), "name")) {
            column = "matched_by";
            problem = "expected number or name";
        }
        if (!problem)
            s_replace (&company->rlw_category,
                       sv_chouse_rlw_category (s_or_empty (company->sic_codes)));
    }
    else
    if (record->id == SV_PROTO_CONTRACT) {
        column = "contract_id";
        problem = s_check_field (record->contract.contract_id, true, INGEST_RECORDS_ID_MAX,
                                 reason, size);
    }
    else
    if (record->id == SV_PROTO_COMMITMENT) {
        sv_proto_commitment_t *commitment = &record->commitment;
        int year;
        if ((problem = s_check_on (commitment->contract_id, commitment->measure, &column,
                                   reason, size)))
            ;
        else
        if (sv_date_fy_parse (s_or_empty (commitment->year), &year)) {
            column = "year";
            problem = "expected a financial year such as 2024-25";
        }
        else {
            char text [16];
            s_replace (&commitment->year, sv_date_fy_format (year, text, sizeof text));
        }
    }
    else
    if (record->id == SV_PROTO_DELIVERY) {
        sv_proto_delivery_t *delivery = &record->delivery;
        char postcode [SV_POSTCODE_BUF];
        const char *why;
        if ((problem = s_check_on (delivery->contract_id, delivery->measure, &column,
                                   reason, size)))
            ;
        else
        if ((problem = s_check_date (&delivery->period_start, reason, size)))
            column = "period_start";
        else
        if ((problem = s_check_date (&delivery->period_end, reason, size)))
            column = "period_end";
        else
        if ((problem = s_check_evidence (&delivery->evidence, reason, size)))
            column = "evidence";
        else
        if ((problem = s_check_field (delivery->ward, false, INGEST_RECORDS_PLACE_MAX,
                                      reason, size)))
            column = "ward";
        else
        if ((problem = s_check_field (delivery->beneficiary_group, false,
                                      INGEST_RECORDS_PLACE_MAX, reason, size)))
            column = "beneficiary_group";
        else
        if (*s_or_empty (delivery->postcode)) {
            if (sv_postcode_normalise (delivery->postcode, postcode, sizeof postcode, &why)) {
                column = "postcode";
                problem = why;
            }
            else
                s_replace (&delivery->postcode, postcode);
        }
    }
    else
    if (record->id == SV_PROTO_KPI) {
        sv_proto_kpi_t *kpi = &record->kpi;
        int year;
        column = "contract_id";
        if ((problem = s_check_field (kpi->contract_id, true, INGEST_RECORDS_ID_MAX,
                                      reason, size)))
            ;
        else
        if ((problem = s_check_field (kpi->kpi_id, true, INGEST_RECORDS_ID_MAX, reason, size)))
            column = "kpi_id";
        else
        if (sv_date_fy_parse (s_or_empty (kpi->year), &year)) {
            column = "year";
            problem = "expected a financial year such as 2024-25";
        }
        else
        if (*s_or_empty (kpi->measure) && !s_measure_form (kpi->measure)) {
            column = "measure";
            problem = S_MEASURE_FORM;
        }
        else
        if ((problem = s_check_field (kpi->measure, false, INGEST_RECORDS_CODE_MAX,
                                      reason, size)))
            column = "measure";
        else {
            char text [16];
            column = "";
            s_replace (&kpi->year, sv_date_fy_format (year, text, sizeof text));
        }
    }
    *column_p = column;
    if (problem && problem != reason)
        snprintf (reason, size, "%s", problem);
    return problem? -1: 0;
}

void
ingest_records_print_headers (FILE *out)
{
    static const char *names [S_TABLES] = {
        "suppliers", "contracts", "commitments", "deliveries", "companies", "kpis"
    };
    for (int table = 0; table < S_TABLES; table++) {
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
    char first_error [1024];    //  room for a long value quoted
    char last_key [INGEST_RECORDS_KEY_BUF];
    int warnings;
    char warning [256];         //  the last
    sv_proto_t last;            //  a copy made by decode, owned
} s_test_t;

static int
s_test_row (const sv_proto_t *event, const char *natural_key, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    test->rows++;
    snprintf (test->last_key, sizeof test->last_key, "%s", natural_key);
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

static void
s_test_warning (const sv_csv_error_t *warning, void *arg)
{
    s_test_t *test = (s_test_t *) arg;
    test->warnings++;
    sv_csv_error_format (warning, test->warning, sizeof test->warning);
}

static s_test_t
s_test_read (sv_proto_id_t kind, const char *csv)
{
    s_test_t test = { .rows = 0 };
    ingest_records_t *records = ingest_records_new (kind, "council", s_test_row, s_test_error, &test);
    assert (records);
    ingest_records_set_warning (records, s_test_warning, &test);
    const char *groups [] = { "Young people", "Care leavers", NULL };
    ingest_records_set_groups (records, groups);
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

    //  Companies House's register, as socval suppliers resolve sends it:
    //  the category suggested from the SIC codes, not taken from the file;
    //  a malformed number, SIC list, key and way of matching each rejected
    test = s_test_read (SV_PROTO_COMPANY,
        "Supplier Key,Company Number,Matched By,Company Name,Postcode,Status,Dissolved,"
        "SIC Codes,Source\n"
        "NAME:UNBEATEN EVENTS,11079469,name,UNBEATEN EVENTS LTD,so41 0hd,Active,,56210,"
        "BasicCompanyData-part2_2.csv\n"
        "CH:05857258,5857258,number,01 DIGITAL LIMITED,TS22 5HW,Active,,62020,\n"
        "CH:12345,12345,number,A LTD,S1 1AA,Active,,,\n"
        "CH:01234567,01234567,number,A LTD,S1 1AA,Active,,81210 - cleaning,\n"
        "S-1,01234567,number,A LTD,S1 1AA,Active,,,\n"
        "CH:01234567,01234567,guessed,A LTD,S1 1AA,Active,,,\n");
    assert (test.rows == 2 && test.errors == 4);

    assert (strstr (test.first_error, "row 4, column 'Company Number', value '12345'"));
    assert (streq (test.last.company.supplier_key, "CH:05857258"));
    assert (streq (test.last.company.company_number, "05857258"));
    assert (streq (test.last.company.matched_by, "number"));
    assert (streq (test.last.company.rlw_category, ""));
    sv_proto_reset (&test.last);
    //  A supplier id is its partner's own: another partner's row is refused
    test = s_test_read (SV_PROTO_COMPANY,
        "Supplier Key,Company Number,Matched By,Company Name,Partner\n"
        "ID:S-17,11079469,name,UNBEATEN EVENTS LTD,council\n"
        "ID:S-17,05857258,name,01 DIGITAL LIMITED,police\n");
    assert (test.rows == 1 && test.errors == 1);
    assert (strstr (test.first_error, "row 3, column 'Partner', value 'police': a supplier of"
                    " partner 'police', not of 'council' whose key sent the file"));
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_COMPANY,
        "Supplier Key,Company Number,Matched By,Company Name,Postcode,SIC Codes\n"
        "NAME:UNBEATEN EVENTS,11079469,name,UNBEATEN EVENTS LTD,so41 0hd,\"56210,56290\"\n");
    assert (test.rows == 1 && test.errors == 0);
    assert (streq (test.last_key, "NAME:UNBEATEN EVENTS"));
    assert (streq (test.last.company.postcode, "SO41 0HD"));
    assert (streq (test.last.company.rlw_category, "catering"));
    assert (streq (test.last.company.partner, "council"));
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
    char key [INGEST_RECORDS_KEY_BUF];
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

    //  A group written any way takes its declared spelling on the event,
    //  unwarned; the key keeps it as written. A group not declared is
    //  taken as written, warned about naming its column.
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Ward,Beneficiary Group\n"
        "C-001,NT3,2024-04-01,2024-06-30,1,claimed,Altrincham,Care Leavers\n"
        "C-001,NT3,2024-04-01,2024-06-30,1,claimed,Altrincham,care-leavers\n");
    assert (test.rows == 2 && test.errors == 0 && test.warnings == 0);
    assert (streq (test.last.delivery.beneficiary_group, "Care leavers"));
    assert (streq (test.last_key, "C-001/NT3/2024-04-01/2024-06-30/Altrincham/care-leavers"));
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Beneficiary Group\n"
        "C-001,NT3,2024-04-01,2024-06-30,1,claimed,Refugees\n");
    assert (test.rows == 1 && test.warnings == 1);
    assert (streq (test.last.delivery.beneficiary_group, "Refugees"));
    assert (strstr (test.warning, "column 'Beneficiary Group', value 'Refugees': not one of"
                                  " the partner's declared beneficiary groups"));
    sv_proto_reset (&test.last);
    char *const declared [] = { "Care leavers", "Stretford & Humphrey Park", NULL };
    assert (streq (ingest_records_group (declared, "CARE LEAVERS "), "Care leavers"));
    assert (streq (ingest_records_group (declared, "stretford and humphrey-park"),
                   "Stretford & Humphrey Park"));
    assert (!ingest_records_group (declared, "Care"));
    assert (!ingest_records_group (declared, ""));
    assert (!ingest_records_group (NULL, "Care leavers"));

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

    //  Three returns for one contract, measure and quarter at three
    //  postcodes are three rows with three keys; one without a postcode
    //  keeps the key it had before postcodes counted (invented rows, in the
    //  shape of a council's quarterly return)
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Ward,Postcode\n"
        "C-001,NT3,2024-04-01,2024-06-30,5,claimed,,S60 1AE\n"
        "C-001,NT3,2024-04-01,2024-06-30,3,claimed,,s651ab\n"
        "C-001,NT3,2024-04-01,2024-06-30,7,claimed,,S66 8RT\n"
        "C-001,NT3,2024-04-01,2024-06-30,2,claimed,,\n");
    assert (test.rows == 4 && test.errors == 0 && test.warnings == 0);
    assert (streq (test.last_key, "C-001/NT3/2024-04-01/2024-06-30//"));
    sv_proto_t three = { .id = SV_PROTO_DELIVERY };
    three.delivery = (sv_proto_delivery_t) { .contract_id = "C-001", .measure = "NT3",
        .period_start = "2024-04-01", .period_end = "2024-06-30", .ward = "E05001000",
        .beneficiary_group = "", .postcode = "S65 1AB" };
    assert (ingest_records_key (&three, key, sizeof key) == 0);
    assert (streq (key, "C-001/NT3/2024-04-01/2024-06-30/E05001000//S65 1AB"));
    assert (ingest_records_key (&three, key, 20) == -1);
    sv_proto_reset (&test.last);

    //  A row with the key of an earlier row of its file: the same content
    //  goes on (the store counts it a duplicate), other content is
    //  rejected naming the earlier line
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Postcode\n"
        "C-001,NT3,2024-04-01,2024-06-30,5,claimed,S60 1AE\n"
        "C-001,NT3,2024-04-01,2024-06-30,5,claimed,S60 1AE\n"
        "C-001,NT3,2024-04-01,2024-06-30,6,claimed,S601AE\n");
    assert (test.rows == 2 && test.errors == 1);
    assert (strstr (test.first_error, "row 4, column 'Contract ID'"));
    assert (strstr (test.first_error, "same contract, measure, period, ward, group and postcode"
                                      " as line 2"));
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_SUPPLIER,
        "Supplier Name,Company Number,Postcode\n"
        "Rotherham Cleaning Co-operative,1234567,S60 2TD\n"
        "Rotherham Cleaning Co-operative,1234567,S60 2TD\n"
        "Rotherham Cleaners,01234567,S60 2TD\n");
    assert (test.rows == 2 && test.errors == 1 && strstr (test.first_error, "as line 2"));
    sv_proto_reset (&test.last);

    //  An over-long key field is a row error naming its column, length and
    //  limit; the file's other rows go on
    char *long_id = (char *) zmalloc (INGEST_RECORDS_ID_MAX + 2);
    memset (long_id, 'X', INGEST_RECORDS_ID_MAX + 1);
    char *long_csv = zsys_sprintf ("Contract ID,Measure,Financial Year,Quantity\n"
                                   "%s,NT3,2024-25,5\nC-002,NT3,2024-25,4\n", long_id);
    test = s_test_read (SV_PROTO_COMMITMENT, long_csv);
    assert (test.rows == 1 && test.errors == 1);
    assert (strstr (test.first_error, "row 2, column 'Contract ID'"));
    assert (strstr (test.first_error, "129 bytes long; a key field may hold at most 128"));
    sv_proto_reset (&test.last);
    zstr_free (&long_csv);
    //  A long name is a key field only when nothing better names the supplier
    char long_name [INGEST_RECORDS_NAME_MAX + 2];
    memset (long_name, 'N', sizeof long_name - 1);
    long_name [sizeof long_name - 1] = 0;
    long_csv = zsys_sprintf ("Supplier Name,Company Number\n%s,1234567\n%s,\n",
                             long_name, long_name);
    test = s_test_read (SV_PROTO_SUPPLIER, long_csv);
    assert (test.rows == 1 && test.errors == 1);
    assert (strstr (test.first_error, "row 3, column 'Supplier Name'")
            && strstr (test.first_error, "at most 250"));
    sv_proto_reset (&test.last);
    zstr_free (&long_csv);

    //  Warnings: accepted all the same
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Beneficiary Group\n"
        "C-001,NT3,2024-04-01,2024-06-30,-2,validated,young people\n");
    assert (test.rows == 1 && test.warnings == 1);
    assert (strstr (test.warning, "column 'Quantity'") && strstr (test.warning, "correction"));
    assert (test.last.delivery.quantity_milli == -2000);
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_DELIVERY,
        "Contract ID,Measure,Period Start,Period End,Quantity,Beneficiary Group\n"
        "C-001,NT3,2025-01-01,2025-06-30,2,Veterans\n");
    assert (test.rows == 1 && test.warnings == 3);
    assert (strstr (test.warning, "column 'Beneficiary Group'"));
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_COMMITMENT,
        "Contract ID,Measure,Financial Year,Quantity\nC-001,NT3,2024-25,-1\n");
    assert (test.rows == 1 && test.warnings == 1 && strstr (test.warning, "negative"));
    sv_proto_reset (&test.last);

    //  KPIs: header synonyms, a percentage read with its unit, the key by
    //  contract, KPI and year; a bad target, a percentage in weeks, a
    //  direction that is neither way and a row with no KPI id or name are
    //  each rejected naming row, column and value
    test = s_test_read (SV_PROTO_KPI,
        "Contract Ref,KPI Ref,KPI Name,Financial Year,Target,Units,Actual,Direction,Measure\n"
        "C-001,K1,Calls answered in 20s,2024/25,95%,,91.5%,,\n"
        "C-001,K2,Apprenticeship weeks,2024-25,52,weeks,,higher,NT10\n"
        "C-001,K3,Complaints,2024-25,1O,,,lower,\n"
        "C-001,K4,Local jobs,2024-25,40%,jobs,,,\n"
        "C-001,K5,Late invoices,2024-25,3,,,sideways,\n"
        "C-001,,,2024-25,3,,,,\n"
        "C-001,K6,Complaints,2024-25,12,complaints,4,Lower,\n");
    assert (test.rows == 3 && test.errors == 4);
    assert (strstr (test.first_error, "row 4, column 'Target', value '1O'"));
    assert (streq (test.last_key, "C-001/K6/2024-25"));
    assert (test.last.kpi.lower_is_better && test.last.kpi.has_actual);
    assert (test.last.kpi.target_milli == 12000 && test.last.kpi.actual_milli == 4000);
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_KPI,
        "Contract ID,KPI,Year,Target,Actual\nC-001,Calls answered in 20s,2024-25,95 %,91.5%\n");
    assert (test.rows == 1 && test.errors == 0);
    assert (streq (test.last_key, "C-001/Calls answered in 20s/2024-25"));
    assert (streq (test.last.kpi.unit, "%") && test.last.kpi.target_milli == 95000);
    assert (test.last.kpi.actual_milli == 91500 && !test.last.kpi.lower_is_better);
    sv_proto_reset (&test.last);
    test = s_test_read (SV_PROTO_KPI,
        "Contract ID,KPI ID,Year,Target\nC-001,K1,2024-25,5\nC-001,K1,2024-25,6\n");
    assert (test.rows == 1 && test.errors == 1);
    assert (strstr (test.first_error, "same contract, KPI and financial year as line 2"));
    sv_proto_reset (&test.last);

    //  A record from msgpack is checked and normalised as a CSV row is
    sv_proto_t record = { .id = SV_PROTO_DELIVERY };
    record.delivery = (sv_proto_delivery_t) { .contract_id = strdup ("C-001"),
        .measure = strdup ("NT3"), .period_start = strdup ("01/04/2024"),
        .period_end = strdup ("2024-06-30"), .postcode = strdup ("s601ae") };
    const char *column;
    char reason [128];
    assert (ingest_records_normalise (&record, &column, reason, sizeof reason) == 0);
    assert (streq (record.delivery.period_start, "2024-04-01"));
    assert (streq (record.delivery.postcode, "S60 1AE"));
    free (record.delivery.contract_id);
    record.delivery.contract_id = long_id;
    assert (ingest_records_normalise (&record, &column, reason, sizeof reason) == -1);
    assert (streq (column, "contract_id") && strstr (reason, "at most 128"));
    sv_proto_reset (&record);
    if (verbose)
        printf ("OK\n");
}
