/*  =========================================================================
    reporting_doc - what each kind of report holds, and reading it

    The figures and tables of each kind of report, as reporting_doc.h
    describes them, in the order csv and xlsx write them; the kinds, each
    with the function that writes its html sections; the readers every
    writer uses on the document; and the file list a writer adds to.
    =========================================================================
*/

#include "reporting_doc.h"
#include "reporting_html.h"
#include "reporting_render.h"
#include <math.h>


//  --------------------------------------------------------------------------
//  What each kind of report holds

const reporting_doc_figure_t reporting_doc_head_figures [] = {
    { "report", "Report", REPORTING_DOC_TEXT },
    { "title", "Title", REPORTING_DOC_TEXT },
    { "year", "Financial year", REPORTING_DOC_TEXT },
    { "partner", "Partner", REPORTING_DOC_TEXT },
    { "partners", "Partners included", REPORTING_DOC_LIST },
    { "created", "Created", REPORTING_DOC_TEXT },
    { "offsets.ingest", "Ingest stream position reflected", REPORTING_DOC_INT },
    { "offsets.valuation", "Valuation stream position reflected", REPORTING_DOC_INT },
    { "offsets.compliance", "Compliance stream position reflected", REPORTING_DOC_INT },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_figure_t s_annual_figures [] = {
    { "evidence_counted", "Delivery states counted", REPORTING_DOC_LIST },
    { "small_number_threshold", "Fewest deliveries shown in a row", REPORTING_DOC_INT },
    { "spend.rows", "Payments", REPORTING_DOC_INT },
    { "spend.total_pence", "Total spend", REPORTING_DOC_PENCE },
    { "spend.local_pence", "Local spend", REPORTING_DOC_PENCE },
    { "spend.non_local_pence", "Non-local spend", REPORTING_DOC_PENCE },
    { "spend.unknown_locality_pence", "Spend, supplier locality unknown", REPORTING_DOC_PENCE },
    { "spend.local_share", "Local share of spend", REPORTING_DOC_SHARE },
    { "spend.previous_year", "Previous year", REPORTING_DOC_TEXT },
    { "spend.previous_year_local_pence", "Local spend, previous year", REPORTING_DOC_PENCE },
    { "spend.additional_local_pence", "Additional local spend on previous year",
      REPORTING_DOC_PENCE },
    { "spend.sme_pence", "Spend with SMEs", REPORTING_DOC_PENCE },
    { "spend.vcse_pence", "Spend with VCSEs", REPORTING_DOC_PENCE },
    { "spend.employee_owned_pence", "Spend with employee-owned businesses", REPORTING_DOC_PENCE },
    { "social_value.committed_pence", "Social value committed", REPORTING_DOC_PENCE },
    { "social_value.delivered_pence", "Social value delivered", REPORTING_DOC_PENCE },
    { "social_value.flagged_lines", "Lines flagged by valuation, not counted", REPORTING_DOC_INT },
    { "rlw.in_scope_contracts", "Contracts in Real Living Wage scope", REPORTING_DOC_INT },
    { "rlw.with_commitment", "In scope, with a Real Living Wage commitment", REPORTING_DOC_INT },
    { "rlw.accredited_supplier", "In scope, supplier accredited", REPORTING_DOC_INT },
    { "rlw.missing_commitment", "In scope, commitment missing", REPORTING_DOC_INT },
    { "alerts.open", "Open alerts", REPORTING_DOC_INT },
    { "alerts.acknowledged", "Acknowledged alerts", REPORTING_DOC_INT },
    { "rlw.as_of", "RLW dates counted from", REPORTING_DOC_TEXT },
    { "rlw.rate.year", "RLW rate pending, year", REPORTING_DOC_INT },
    { "rlw.rate.uk_pence", "RLW rate pending, UK, pence an hour", REPORTING_DOC_INT },
    { "rlw.rate.london_pence", "RLW rate pending, London, pence an hour", REPORTING_DOC_INT },
    { "rlw.rate.deadline", "RLW rate pending, uplift deadline", REPORTING_DOC_TEXT },
    { "rlw.rate.days_left", "RLW rate pending, days to the deadline", REPORTING_DOC_INT },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_figure_t s_partnership_figures [] = {
    { "network.spend_total_pence", "Total spend, all partners", REPORTING_DOC_PENCE },
    { "network.local_pence", "Local spend, all partners", REPORTING_DOC_PENCE },
    { "network.unknown_locality_pence", "Spend, supplier locality unknown", REPORTING_DOC_PENCE },
    { "network.local_share", "Local share of spend", REPORTING_DOC_SHARE },
    { "network.committed_pence", "Social value committed", REPORTING_DOC_PENCE },
    { "network.delivered_pence", "Social value delivered", REPORTING_DOC_PENCE },
    { "network.in_scope_contracts", "Contracts in Real Living Wage scope", REPORTING_DOC_INT },
    { "network.missing_commitment", "In scope, commitment missing", REPORTING_DOC_INT },
    { "network.open_alerts", "Open alerts", REPORTING_DOC_INT },
    { "network.additional_local_pence", "Additional local spend on previous year",
      REPORTING_DOC_PENCE },
    { "rlw.as_of", "RLW dates counted from", REPORTING_DOC_TEXT },
    { "rlw.rate.year", "RLW rate pending, year", REPORTING_DOC_INT },
    { "rlw.rate.uk_pence", "RLW rate pending, UK, pence an hour", REPORTING_DOC_INT },
    { "rlw.rate.london_pence", "RLW rate pending, London, pence an hour", REPORTING_DOC_INT },
    { "rlw.rate.deadline", "RLW rate pending, uplift deadline", REPORTING_DOC_TEXT },
    { "rlw.rate.days_left", "RLW rate pending, days to the deadline", REPORTING_DOC_INT },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_figure_t s_rlw_figures [] = {
    { "criteria.categories", "Eligible categories", REPORTING_DOC_LIST },
    { "criteria.min_weeks", "Shortest eligible contract, weeks", REPORTING_DOC_INT },
    { "rlw.in_scope_contracts", "Contracts in Real Living Wage scope", REPORTING_DOC_INT },
    { "rlw.with_commitment", "In scope, with a Real Living Wage commitment", REPORTING_DOC_INT },
    { "rlw.accredited_supplier", "In scope, supplier accredited", REPORTING_DOC_INT },
    { "rlw.missing_commitment", "In scope, commitment missing", REPORTING_DOC_INT },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_figure_t s_alerts_figures [] = {
    { "alerts.open", "Open alerts", REPORTING_DOC_INT },
    { "alerts.acknowledged", "Acknowledged alerts", REPORTING_DOC_INT },
    { "alerts.resolved_recently", "Alerts resolved in the last 90 days", REPORTING_DOC_INT },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_figure_t s_contracts_figures [] = {
    { "rules.as_of", "Status as of", REPORTING_DOC_DATE },
    { "rules.shortfall_tolerance_pct", "Shortfall tolerance, percent", REPORTING_DOC_INT },
    { "rules.return_period_months", "Return period, months", REPORTING_DOC_INT },
    { "rules.overdue_grace_days", "Grace for a return, days", REPORTING_DOC_INT },
    { "evidence_counted", "Evidence counted", REPORTING_DOC_LIST },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_figure_t s_kpi_figures [] = {
    { "rating_rule.as_of", "Performance as of", REPORTING_DOC_DATE },
    { "evidence_counted", "Evidence counted", REPORTING_DOC_LIST },
    { NULL, NULL, REPORTING_DOC_TEXT }
};

static const reporting_doc_column_t s_month_columns [] = {
    { "month", "Month", REPORTING_DOC_TEXT, 10, 0 },
    { "local_pence", "Local", REPORTING_DOC_PENCE, 16, 0 },
    { "non_local_pence", "Non-local", REPORTING_DOC_PENCE, 16, 0 },
    { "unknown_pence", "Locality unknown", REPORTING_DOC_PENCE, 18, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_spend_by_month = {
    "spend_by_month", "Spend by month", "spend.by_month", false, s_month_columns
};

static const reporting_doc_column_t s_spend_ward_columns [] = {
    { "ward_code", "Ward code", REPORTING_DOC_TEXT, 12, REPORTING_DOC_NOT_HTML },
    { "ward_name", "Ward", REPORTING_DOC_TEXT, 28, 0 },
    { "local_pence", "Local spend", REPORTING_DOC_PENCE, 16, 0 },
    { "payments", "Payments", REPORTING_DOC_INT, 11, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_spend_by_ward = {
    "spend_by_ward", "Local spend by ward", "spend.by_ward", false, s_spend_ward_columns
};

static const reporting_doc_column_t s_theme_columns [] = {
    { "theme", "Theme", REPORTING_DOC_TEXT, 28, 0 },
    { "committed_pence", "Committed", REPORTING_DOC_PENCE, 16, 0 },
    { "delivered_pence", "Delivered", REPORTING_DOC_PENCE, 16, 0 },
    { "record_only", "Record only (no £ value)", REPORTING_DOC_TEXT, 10, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_by_theme = {
    "by_theme", "By theme", "social_value.by_theme", false, s_theme_columns
};

//  A measure is a framework's code: two frameworks may use one code
static const reporting_doc_column_t s_measure_columns [] = {
    { "framework", "Framework", REPORTING_DOC_TEXT, 20, REPORTING_DOC_CODE },
    { "measure", "Measure", REPORTING_DOC_TEXT, 10, REPORTING_DOC_CODE },
    { "description", "Description", REPORTING_DOC_TEXT, 50, 0 },
    { "unit", "Unit", REPORTING_DOC_TEXT, 12, REPORTING_DOC_NOT_HTML },
    { "theme", "Theme", REPORTING_DOC_TEXT, 14, 0 },
    { "committed_qty", "Committed", REPORTING_DOC_QTY, 14, 0 },
    { "delivered_qty", "Delivered", REPORTING_DOC_QTY, 14, 0 },
    { "committed_pence", "Committed value", REPORTING_DOC_PENCE, 16, 0 },
    { "delivered_pence", "Delivered value", REPORTING_DOC_PENCE, 16, 0 },
    { "outcome", "Outcome", REPORTING_DOC_TEXT, 30, REPORTING_DOC_NOT_HTML },
    { "record_only", "Record only (no £ value)", REPORTING_DOC_TEXT, 10, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_by_measure = {
    "by_measure", "By measure", "social_value.by_measure", false, s_measure_columns
};

static const reporting_doc_column_t s_top_columns [] = {
    { "contract", "Contract", REPORTING_DOC_TEXT, 16, REPORTING_DOC_CODE },
    { "title", "Title", REPORTING_DOC_TEXT, 40, 0 },
    { "supplier", "Supplier", REPORTING_DOC_TEXT, 32, 0 },
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 30, 0 },
    { "delivered_pence", "Delivered", REPORTING_DOC_PENCE, 16, 0 },
    { "share", "Share of all delivered", REPORTING_DOC_SHARE, 12, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_top_contracts = {
    "top_contracts", "Top contracts", "social_value.top_contracts", false, s_top_columns
};

static const reporting_doc_column_t s_delivered_ward_columns [] = {
    { "ward_code", "Ward code", REPORTING_DOC_TEXT, 12, REPORTING_DOC_NOT_HTML },
    { "ward", "Ward", REPORTING_DOC_TEXT, 28, 0 },
    { "deliveries", "Deliveries", REPORTING_DOC_INT, 13, 0 },
    { "delivered_pence", "Delivered", REPORTING_DOC_PENCE, 16, 0 },
    { "suppressed", "Suppressed", REPORTING_DOC_BOOL, 11, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_delivered_by_ward = {
    "delivered_by_ward", "Delivered by ward", "social_value.by_ward", false,
    s_delivered_ward_columns
};

static const reporting_doc_column_t s_group_columns [] = {
    { "group", "Beneficiary group", REPORTING_DOC_TEXT, 36, 0 },
    { "deliveries", "Deliveries", REPORTING_DOC_INT, 13, 0 },
    { "delivered_pence", "Delivered", REPORTING_DOC_PENCE, 16, 0 },
    { "suppressed", "Suppressed", REPORTING_DOC_BOOL, 11, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_by_group = {
    "by_beneficiary_group", "By beneficiary group", "social_value.by_beneficiary_group",
    false, s_group_columns
};

static const reporting_doc_column_t s_rlw_columns [] = {
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 30, 0 },
    { "contract", "Contract", REPORTING_DOC_TEXT, 16, 0 },
    { "title", "Title", REPORTING_DOC_TEXT, 36, 0 },
    { "supplier", "Supplier", REPORTING_DOC_TEXT, 30, 0 },
    { "category", "Category", REPORTING_DOC_TEXT, 16, 0 },
    { "value_pence", "Contract value", REPORTING_DOC_PENCE, 17, 0 },
    { "start_date", "Starts", REPORTING_DOC_DATE, 12, 0 },
    { "end_date", "Ends", REPORTING_DOC_DATE, 12, 0 },
    { "reason", "Why in scope", REPORTING_DOC_TEXT, 34, 0 },
    { "rlw_commitment", "RLW commitment", REPORTING_DOC_BOOL, 11, 0 },
    { "accredited", "Supplier accredited", REPORTING_DOC_BOOL, 11, 0 },
    { "accreditation_expiry", "Accreditation expires", REPORTING_DOC_DATE, 13, 0 },
    { "state", "State", REPORTING_DOC_TEXT, 12, 0 },
    { "suggested_category", "SIC suggests", REPORTING_DOC_TEXT, 14, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_rlw_contracts = {
    "rlw_contracts", "RLW contracts", "rlw.contracts", false, s_rlw_columns
};

//  Contracts out of scope by their own category whose supplier's SIC codes
//  (Companies House) suggest an in-scope one: a suggestion, never counted
static const reporting_doc_column_t s_rlw_suggested_columns [] = {
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 30, 0 },
    { "contract", "Contract", REPORTING_DOC_TEXT, 16, 0 },
    { "supplier", "Supplier", REPORTING_DOC_TEXT, 30, 0 },
    { "category", "Category given", REPORTING_DOC_TEXT, 16, 0 },
    { "suggested_category", "SIC suggests", REPORTING_DOC_TEXT, 14, 0 },
    { "sic_codes", "SIC codes", REPORTING_DOC_TEXT, 14, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_rlw_suggested = {
    "rlw_suggested", "RLW suggested by SIC", "rlw.suggested_by_sic", false,
    s_rlw_suggested_columns
};

//  html keeps to the columns an officer reads across an A4 page, in a
//  table per partner captioned with its name; csv and xlsx have them all
static const reporting_doc_column_t s_contract_columns [] = {
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 30, REPORTING_DOC_NOT_HTML },
    { "contract", "Contract", REPORTING_DOC_TEXT, 16, REPORTING_DOC_CODE },
    { "title", "Title", REPORTING_DOC_TEXT, 36, REPORTING_DOC_NOT_HTML },
    { "supplier", "Supplier", REPORTING_DOC_TEXT, 30, 0 },
    { "start_date", "Starts", REPORTING_DOC_DATE, 12, REPORTING_DOC_NOT_HTML },
    { "end_date", "Ends", REPORTING_DOC_DATE, 12, REPORTING_DOC_NOT_HTML },
    { "framework", "Framework", REPORTING_DOC_TEXT, 20, REPORTING_DOC_NOT_HTML },
    { "measure", "Measure", REPORTING_DOC_TEXT, 12, REPORTING_DOC_CODE },
    { "description", "Description", REPORTING_DOC_TEXT, 40, REPORTING_DOC_NOT_HTML },
    { "unit", "Unit", REPORTING_DOC_TEXT, 12, REPORTING_DOC_NOT_HTML },
    { "committed_qty", "Committed", REPORTING_DOC_QTY, 12, 0 },
    { "delivered_qty", "Delivered", REPORTING_DOC_QTY, 12, 0 },
    { "committed_pence", "Committed value", REPORTING_DOC_PENCE, 16, 0 },
    { "delivered_pence", "Delivered value", REPORTING_DOC_PENCE, 16, 0 },
    { "claimed", "Claimed", REPORTING_DOC_INT, 9, 0 },
    { "evidenced", "Evidenced", REPORTING_DOC_INT, 9, 0 },
    { "validated", "Validated", REPORTING_DOC_INT, 9, 0 },
    { "last_return_end", "Last return to", REPORTING_DOC_DATE, 13, 0 },
    { "next_return_due", "Next return due", REPORTING_DOC_DATE, 13, 0 },
    { "status", "Status", REPORTING_DOC_TEXT, 8, REPORTING_DOC_BADGE },
    { "status_reason", "Why", REPORTING_DOC_TEXT, 16, 0 },
    { "previous_delivered_pence", "Delivered last year", REPORTING_DOC_PENCE, 16,
      REPORTING_DOC_NOT_HTML },
    { "delivered_change_pence", "Change in delivered", REPORTING_DOC_PENCE, 16,
      REPORTING_DOC_NOT_HTML },
    { "delivered_change", "Change on last year", REPORTING_DOC_SHARE, 12, 0 },
    { "committed_unvalued", "Committed lines not valued", REPORTING_DOC_INT, 12,
      REPORTING_DOC_NOT_HTML },
    { "delivered_unvalued", "Delivered lines not valued", REPORTING_DOC_INT, 12,
      REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_contract_rows = {
    "contracts", "Contracts", "contracts", false, s_contract_columns
};

//  The kpi report's flat table (reporting_kpi.h); its OCDS releases are
//  in the json only
static const reporting_doc_column_t s_kpi_columns [] = {
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 30, 0 },
    { "contract", "Contract", REPORTING_DOC_TEXT, 16, REPORTING_DOC_CODE },
    { "title", "Title", REPORTING_DOC_TEXT, 30, 0 },
    { "supplier", "Supplier", REPORTING_DOC_TEXT, 30, REPORTING_DOC_NOT_HTML },
    { "ocid", "OCID", REPORTING_DOC_TEXT, 24, REPORTING_DOC_NOT_HTML },
    { "kpi", "KPI", REPORTING_DOC_TEXT, 14, REPORTING_DOC_CODE },
    { "name", "KPI name", REPORTING_DOC_TEXT, 36, 0 },
    { "source", "Source", REPORTING_DOC_TEXT, 24, REPORTING_DOC_NOT_HTML },
    { "measure", "Measure", REPORTING_DOC_TEXT, 12, REPORTING_DOC_NOT_HTML },
    { "unit", "Unit", REPORTING_DOC_TEXT, 12, REPORTING_DOC_NOT_HTML },
    { "direction", "Better", REPORTING_DOC_TEXT, 8, REPORTING_DOC_NOT_HTML },
    { "target_qty", "Target", REPORTING_DOC_QTY, 12, 0 },
    { "period_target_qty", "Target to date", REPORTING_DOC_QTY, 12, 0 },
    { "actual_qty", "Actual", REPORTING_DOC_QTY, 12, 0 },
    { "performance_pct", "Performance %", REPORTING_DOC_INT, 12, 0 },
    { "rating", "Rating", REPORTING_DOC_TEXT, 22, 0 },
    { "rating_note", "How rated", REPORTING_DOC_TEXT, 60, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_kpi_rows = {
    "kpis", "KPIs", "kpis", false, s_kpi_columns
};

static const reporting_doc_column_t s_alert_columns [] = {
    { "alert_id", "Alert", REPORTING_DOC_TEXT, 11, 0 },
    { "rule", "Rule", REPORTING_DOC_TEXT, 24, 0 },
    { "severity", "Severity", REPORTING_DOC_TEXT, 9, 0 },
    { "state", "State", REPORTING_DOC_TEXT, 13, 0 },
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 30, 0 },
    { "supplier", "Supplier", REPORTING_DOC_TEXT, 30, 0 },
    { "contract", "Contract", REPORTING_DOC_TEXT, 16, 0 },
    { "message", "Message", REPORTING_DOC_TEXT, 70, 0 },
    { "at", "Raised", REPORTING_DOC_TEXT, 21, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_alerts = {
    "alerts", "Alerts", "alerts.list", false, s_alert_columns
};

static const reporting_doc_column_t s_rule_columns [] = {
    { "rule", "Rule", REPORTING_DOC_TEXT, 28, 0 },
    { "alerts", "Open or acknowledged", REPORTING_DOC_INT, 12, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_alerts_by_rule = {
    "alerts_by_rule", "Alerts by rule", "alerts.by_rule", true, s_rule_columns
};

//  html shows the partners as the side-by-side table's columns, by
//  partner_name, and its rows as the columns not marked REPORTING_DOC_NOT_HTML
const reporting_doc_column_t reporting_doc_partner_columns [] = {
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 36, REPORTING_DOC_NOT_HTML },
    { "spend_total_pence", "Total spend", REPORTING_DOC_PENCE, 17, 0 },
    { "local_pence", "Local spend", REPORTING_DOC_PENCE, 17, 0 },
    { "unknown_locality_pence", "Locality unknown", REPORTING_DOC_PENCE, 17, 0 },
    { "local_share", "Local share", REPORTING_DOC_SHARE, 10, 0 },
    { "additional_local_pence", "Additional local spend", REPORTING_DOC_PENCE, 17, 0 },
    { "committed_pence", "Social value committed", REPORTING_DOC_PENCE, 17, 0 },
    { "delivered_pence", "Social value delivered", REPORTING_DOC_PENCE, 17, 0 },
    { "in_scope_contracts", "RLW contracts in scope", REPORTING_DOC_INT, 12, 0 },
    { "missing_commitment", "RLW commitment missing", REPORTING_DOC_INT, 12, 0 },
    { "open_alerts", "Open alerts", REPORTING_DOC_INT, 10, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_by_partner = {
    "by_partner", "By partner", "by_partner", false, reporting_doc_partner_columns
};

static const reporting_doc_column_t s_partner_theme_columns [] = {
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 36, 0 },
    { "theme", "Theme", REPORTING_DOC_TEXT, 28, 0 },
    { "committed_pence", "Committed", REPORTING_DOC_PENCE, 16, 0 },
    { "delivered_pence", "Delivered", REPORTING_DOC_PENCE, 16, 0 },
    { "record_only", "Record only (no £ value)", REPORTING_DOC_TEXT, 10, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_by_partner_theme = {
    "by_partner_theme", "By partner and theme", "by_partner_theme", false,
    s_partner_theme_columns
};

static const reporting_doc_column_t s_outcome_columns [] = {
    { "outcome", "Common outcome", REPORTING_DOC_TEXT, 30, 0 },
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, 0 },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 36, 0 },
    { "framework", "Framework", REPORTING_DOC_TEXT, 24, 0 },
    { "measure", "Measure", REPORTING_DOC_TEXT, 12, REPORTING_DOC_CODE },
    { "description", "Description", REPORTING_DOC_TEXT, 50, 0 },
    { "unit", "Unit", REPORTING_DOC_TEXT, 12, 0 },
    { "committed_qty", "Committed", REPORTING_DOC_QTY, 14, 0 },
    { "delivered_qty", "Delivered", REPORTING_DOC_QTY, 14, 0 },
    { "committed_pence", "Committed value", REPORTING_DOC_PENCE, 16, 0 },
    { "delivered_pence", "Delivered value", REPORTING_DOC_PENCE, 16, 0 },
    { "record_only", "Record only (no £ value)", REPORTING_DOC_TEXT, 10, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
static const reporting_doc_table_t s_by_outcome = {
    "by_outcome", "By common outcome", "by_outcome", false, s_outcome_columns
};

//  The frameworks behind the pounds: in the annual report under
//  social_value, in the partnership report at the top
static const reporting_doc_column_t s_framework_columns [] = {
    { "id", "Framework", REPORTING_DOC_TEXT, 28, REPORTING_DOC_CODE },
    { "version", "Version", REPORTING_DOC_TEXT, 10, 0 },
    { "proxy_years", "Proxy years", REPORTING_DOC_TEXT, 12, 0 },
    { "record_only", "Record only (no £ value)", REPORTING_DOC_BOOL, 12, 0 },
    { "illustrative", "Illustrative", REPORTING_DOC_BOOL, 12, 0 },
    { "partners", "Partners using it", REPORTING_DOC_TEXT, 30, REPORTING_DOC_NOT_HTML },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_annual_frameworks = {
    "frameworks", "Frameworks", "social_value.frameworks", false, s_framework_columns
};
const reporting_doc_table_t reporting_doc_network_frameworks = {
    "frameworks", "Frameworks", "frameworks", false, s_framework_columns
};

static const reporting_doc_column_t s_renewal_columns [] = {
    { "partner", "Partner id", REPORTING_DOC_TEXT, 16, REPORTING_DOC_NOT_HTML },
    { "partner_name", "Partner", REPORTING_DOC_TEXT, 36, 0 },
    { "renewal_date", "Accreditation renewal", REPORTING_DOC_DATE, 14, 0 },
    { "days_left", "Days left", REPORTING_DOC_INT, 10, 0 },
    { NULL, NULL, REPORTING_DOC_TEXT, 0, 0 }
};
const reporting_doc_table_t reporting_doc_rlw_renewals = {
    "rlw_renewals", "RLW renewals", "rlw.renewals", false, s_renewal_columns
};

//  The kinds, by their "report" value
static const reporting_doc_kind_t s_kinds [] = {
    { "annual",
      s_annual_figures,
      { &s_spend_by_month, &reporting_doc_spend_by_ward, &s_by_theme, &reporting_doc_by_measure,
        &reporting_doc_top_contracts, &reporting_doc_delivered_by_ward, &reporting_doc_by_group,
        &s_rlw_contracts, &s_alerts, &s_alerts_by_rule, &reporting_doc_annual_frameworks,
        &reporting_doc_rlw_renewals, NULL },
      reporting_html_annual_body },
    { "partnership",
      s_partnership_figures,
      { &s_by_partner, &reporting_doc_by_partner_theme, &s_by_outcome,
        &reporting_doc_network_frameworks, &reporting_doc_rlw_renewals, NULL },
      reporting_html_partnership_body },
    { "rlw-scope", s_rlw_figures, { &s_rlw_contracts, NULL }, reporting_html_compliance_rlw_body },
    { "alerts",
      s_alerts_figures,
      { &s_alerts, &s_alerts_by_rule, NULL },
      reporting_html_compliance_alerts_body },
    { "contracts", s_contracts_figures, { &s_contract_rows, NULL }, reporting_html_contracts_body },
    { "kpi", s_kpi_figures, { &s_kpi_rows, NULL }, reporting_html_contracts_kpi_body },
};
#define S_KIND_COUNT (sizeof s_kinds / sizeof s_kinds [0])

//  --------------------------------------------------------------------------
//  Reading the document

//  The value at a dotted path ("spend.total_pence"), borrowed; NULL when
//  any step is missing or not an object.
json_t *
reporting_doc_get (const json_t *doc, const char *path)
{
    json_t *value = (json_t *) doc;
    char key [64];
    while (value && *path) {
        const char *dot = strchr (path, '.');
        size_t length = dot? (size_t) (dot - path): strlen (path);
        if (length >= sizeof key)
            return NULL;
        memcpy (key, path, length);
        key [length] = 0;
        value = json_object_get (value, key);
        path += dot? length + 1: length;
    }
    return value;
}

//  A string at path, or "" when missing or not a string
const char *
reporting_doc_str (const json_t *doc, const char *path)
{
    const char *text = json_string_value (reporting_doc_get (doc, path));
    return text? text: "";
}

//  Integer at path into *value_p; false (and 0) when missing or not an
//  integer, so a caller can show "–" instead of a false zero.
bool
reporting_doc_int_at (const json_t *doc, const char *path, int64_t *value_p)
{
    json_t *value = reporting_doc_get (doc, path);
    *value_p = json_is_integer (value)? (int64_t) json_integer_value (value): 0;
    return json_is_integer (value);
}

//  A date at key of row, or NULL when it is not known (null, missing or
//  "", as the store writes an unknown date)
const char *
reporting_doc_date_at (const json_t *row, const char *key)
{
    const char *date = json_string_value (json_object_get (row, key));
    return date && *date? date: NULL;
}

const reporting_doc_kind_t *
reporting_doc_kind_of (const json_t *doc)
{
    const char *kind = reporting_doc_str (doc, "report");
    for (size_t index = 0; index < S_KIND_COUNT; index++)
        if (streq (s_kinds [index].kind, kind))
            return &s_kinds [index];
    return NULL;
}

//  The rows of table as a new reference to an array of objects (empty
//  when the document lacks it). A pairs table's rows are made here.
json_t *
reporting_doc_table_rows (const json_t *doc, const reporting_doc_table_t *table)
{
    json_t *found = reporting_doc_get (doc, table->path);
    if (!table->pairs)
        return json_is_array (found)? json_incref (found): json_array ();
    json_t *rows = json_array ();
    const char *name;
    json_t *value;
    if (rows && json_is_object (found))
        json_object_foreach (found, name, value) {
            json_t *row = json_object ();
            if (row) {
                json_object_set_new (row, table->columns [0].key, json_string (name));
                json_object_set (row, table->columns [1].key, value);
                json_array_append_new (rows, row);
            }
        }
    return rows;
}

//  A quantity (a JSON number in units) as thousandths; false when it is
//  not a number or is too large to hold.
bool
reporting_doc_milli (const json_t *value, int64_t *milli_p)
{
    if (json_is_integer (value)) {
        json_int_t units = json_integer_value (value);
        if (units > INT64_MAX / 1000 || units < INT64_MIN / 1000)
            return false;
        *milli_p = (int64_t) units * 1000;
        return true;
    }
    if (json_is_real (value)) {
        double milli = json_real_value (value) * 1000.0;
        if (!(fabs (milli) < 9.0e18))
            return false;
        *milli_p = llround (milli);
        return true;
    }
    return false;
}

//  A list of strings joined by "; " (other members skipped)
char *
reporting_doc_joined (const json_t *list)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        return NULL;
    size_t index;
    json_t *member;
    bool first = true;
    json_array_foreach (list, index, member)
        if (json_is_string (member)) {
            fprintf (out, "%s%s", first? "": "; ", json_string_value (member));
            first = false;
        }
    fclose (out);
    return text;
}


//  --------------------------------------------------------------------------
//  The files of a rendering

//  Adds a file of data (size bytes, copied) to files; -1 when memory runs out
int
reporting_doc_add_file (zlistx_t *files, const char *name, const char *suffix, const void *data,
                        size_t size)
{
    reporting_render_file_t *file = (reporting_render_file_t *) calloc (1, sizeof *file);
    if (!file)
        return -1;
    file->name = zsys_sprintf ("%s%s", name, suffix);
    file->payload = zchunk_new (data, size);
    if (!file->name || !file->payload || !zlistx_add_end (files, file)) {
        reporting_render_file_destroy (&file);
        return -1;
    }
    return 0;
}

int
reporting_doc_stream_open (reporting_doc_stream_t *self)
{
    self->data = NULL;
    self->size = 0;
    self->out = open_memstream (&self->data, &self->size);
    return self->out? 0: -1;
}

//  Closes the stream and adds its bytes as a file; -1 on any write error
int
reporting_doc_stream_close (reporting_doc_stream_t *self, zlistx_t *files, const char *name,
                            const char *suffix)
{
    bool failed = ferror (self->out) != 0;
    failed |= fclose (self->out) != 0;
    if (!failed)
        failed = reporting_doc_add_file (files, name, suffix, self->data, self->size) != 0;
    free (self->data);
    return failed? -1: 0;
}
