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
    as a browser; charts are inline SVG drawn here, each with role="img"
    and a <title>. csv text is written as the document has it: a supplier
    named "=SUM(..)" stays so, for scripts; people open the xlsx, where
    text is never taken for a formula.
    =========================================================================
*/

#include "reporting_render.h"
#include "reporting_method.h"
#include "sv_csv.h"
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>


//  --------------------------------------------------------------------------
//  What each kind of report holds

typedef enum {
    S_TEXT,                     //  a string, as is
    S_INT,                      //  a count
    S_PENCE,                    //  integer pence
    S_QTY,                      //  a quantity in the row's "unit"
    S_SHARE,                    //  0 to 1, or null
    S_BOOL,
    S_DATE,                     //  yyyy-mm-dd, or null when not known
    S_LIST                      //  an array of strings (figures only)
} s_type_t;

//  Column flags
#define S_NOT_HTML  1           //  csv and xlsx only: html shows it another way
#define S_CODE      2           //  an identifier: html never breaks it
#define S_BADGE     4           //  a state: html shows it as a badge, coloured by
                                //  its value (s_badge)

typedef struct {
    const char *key;            //  key in each row
    const char *heading;        //  for people (xlsx, html)
    s_type_t type;
    int width;                  //  xlsx column width, in characters
    int flags;
} s_column_t;

typedef struct {
    const char *name;           //  csv file name less ".csv"
    const char *sheet;          //  xlsx sheet name, at most 31 characters
    const char *path;           //  dotted path of the array of rows
    bool pairs;                 //  path is an object instead: one row per
                                //  member, its name in the first column and
                                //  its value in the second
    const s_column_t *columns;  //  ends at a NULL key
} s_table_t;

//  One headline figure: a scalar (or list of strings) in the document
typedef struct {
    const char *path;
    const char *label;
    s_type_t type;
} s_figure_t;

static const s_figure_t s_head_figures [] = {
    { "report", "Report", S_TEXT },
    { "title", "Title", S_TEXT },
    { "year", "Financial year", S_TEXT },
    { "partner", "Partner", S_TEXT },
    { "partners", "Partners included", S_LIST },
    { "created", "Created", S_TEXT },
    { "offsets.ingest", "Ingest stream position reflected", S_INT },
    { "offsets.valuation", "Valuation stream position reflected", S_INT },
    { "offsets.compliance", "Compliance stream position reflected", S_INT },
    { NULL, NULL, S_TEXT }
};

static const s_figure_t s_annual_figures [] = {
    { "evidence_counted", "Delivery states counted", S_LIST },
    { "small_number_threshold", "Fewest deliveries shown in a row", S_INT },
    { "spend.rows", "Payments", S_INT },
    { "spend.total_pence", "Total spend", S_PENCE },
    { "spend.local_pence", "Local spend", S_PENCE },
    { "spend.non_local_pence", "Non-local spend", S_PENCE },
    { "spend.unknown_locality_pence", "Spend, supplier locality unknown", S_PENCE },
    { "spend.local_share", "Local share of spend", S_SHARE },
    { "spend.previous_year", "Previous year", S_TEXT },
    { "spend.previous_year_local_pence", "Local spend, previous year", S_PENCE },
    { "spend.additional_local_pence", "Additional local spend on previous year", S_PENCE },
    { "spend.sme_pence", "Spend with SMEs", S_PENCE },
    { "spend.vcse_pence", "Spend with VCSEs", S_PENCE },
    { "spend.employee_owned_pence", "Spend with employee-owned businesses", S_PENCE },
    { "social_value.committed_pence", "Social value committed", S_PENCE },
    { "social_value.delivered_pence", "Social value delivered", S_PENCE },
    { "social_value.flagged_lines", "Lines flagged by valuation, not counted", S_INT },
    { "rlw.in_scope_contracts", "Contracts in Real Living Wage scope", S_INT },
    { "rlw.with_commitment", "In scope, with a Real Living Wage commitment", S_INT },
    { "rlw.accredited_supplier", "In scope, supplier accredited", S_INT },
    { "rlw.missing_commitment", "In scope, commitment missing", S_INT },
    { "alerts.open", "Open alerts", S_INT },
    { "alerts.acknowledged", "Acknowledged alerts", S_INT },
    { "rlw.as_of", "RLW dates counted from", S_TEXT },
    { "rlw.rate.year", "RLW rate pending, year", S_INT },
    { "rlw.rate.uk_pence", "RLW rate pending, UK, pence an hour", S_INT },
    { "rlw.rate.london_pence", "RLW rate pending, London, pence an hour", S_INT },
    { "rlw.rate.deadline", "RLW rate pending, uplift deadline", S_TEXT },
    { "rlw.rate.days_left", "RLW rate pending, days to the deadline", S_INT },
    { NULL, NULL, S_TEXT }
};

static const s_figure_t s_partnership_figures [] = {
    { "network.spend_total_pence", "Total spend, all partners", S_PENCE },
    { "network.local_pence", "Local spend, all partners", S_PENCE },
    { "network.unknown_locality_pence", "Spend, supplier locality unknown", S_PENCE },
    { "network.local_share", "Local share of spend", S_SHARE },
    { "network.committed_pence", "Social value committed", S_PENCE },
    { "network.delivered_pence", "Social value delivered", S_PENCE },
    { "network.in_scope_contracts", "Contracts in Real Living Wage scope", S_INT },
    { "network.missing_commitment", "In scope, commitment missing", S_INT },
    { "network.open_alerts", "Open alerts", S_INT },
    { "network.additional_local_pence", "Additional local spend on previous year", S_PENCE },
    { "rlw.as_of", "RLW dates counted from", S_TEXT },
    { "rlw.rate.year", "RLW rate pending, year", S_INT },
    { "rlw.rate.uk_pence", "RLW rate pending, UK, pence an hour", S_INT },
    { "rlw.rate.london_pence", "RLW rate pending, London, pence an hour", S_INT },
    { "rlw.rate.deadline", "RLW rate pending, uplift deadline", S_TEXT },
    { "rlw.rate.days_left", "RLW rate pending, days to the deadline", S_INT },
    { NULL, NULL, S_TEXT }
};

static const s_figure_t s_rlw_figures [] = {
    { "criteria.categories", "Eligible categories", S_LIST },
    { "criteria.min_weeks", "Shortest eligible contract, weeks", S_INT },
    { "rlw.in_scope_contracts", "Contracts in Real Living Wage scope", S_INT },
    { "rlw.with_commitment", "In scope, with a Real Living Wage commitment", S_INT },
    { "rlw.accredited_supplier", "In scope, supplier accredited", S_INT },
    { "rlw.missing_commitment", "In scope, commitment missing", S_INT },
    { NULL, NULL, S_TEXT }
};

static const s_figure_t s_alerts_figures [] = {
    { "alerts.open", "Open alerts", S_INT },
    { "alerts.acknowledged", "Acknowledged alerts", S_INT },
    { "alerts.resolved_recently", "Alerts resolved in the last 90 days", S_INT },
    { NULL, NULL, S_TEXT }
};

static const s_figure_t s_contracts_figures [] = {
    { "rules.as_of", "Status as of", S_DATE },
    { "rules.shortfall_tolerance_pct", "Shortfall tolerance, percent", S_INT },
    { "rules.return_period_months", "Return period, months", S_INT },
    { "rules.overdue_grace_days", "Grace for a return, days", S_INT },
    { "evidence_counted", "Evidence counted", S_LIST },
    { NULL, NULL, S_TEXT }
};

static const s_figure_t s_kpi_figures [] = {
    { "rating_rule.as_of", "Performance as of", S_DATE },
    { "evidence_counted", "Evidence counted", S_LIST },
    { NULL, NULL, S_TEXT }
};

static const s_column_t s_month_columns [] = {
    { "month", "Month", S_TEXT, 10, 0 },
    { "local_pence", "Local", S_PENCE, 16, 0 },
    { "non_local_pence", "Non-local", S_PENCE, 16, 0 },
    { "unknown_pence", "Locality unknown", S_PENCE, 18, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_spend_by_month = {
    "spend_by_month", "Spend by month", "spend.by_month", false, s_month_columns
};

static const s_column_t s_spend_ward_columns [] = {
    { "ward_code", "Ward code", S_TEXT, 12, S_NOT_HTML },
    { "ward_name", "Ward", S_TEXT, 28, 0 },
    { "local_pence", "Local spend", S_PENCE, 16, 0 },
    { "payments", "Payments", S_INT, 11, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_spend_by_ward = {
    "spend_by_ward", "Local spend by ward", "spend.by_ward", false, s_spend_ward_columns
};

static const s_column_t s_theme_columns [] = {
    { "theme", "Theme", S_TEXT, 28, 0 },
    { "committed_pence", "Committed", S_PENCE, 16, 0 },
    { "delivered_pence", "Delivered", S_PENCE, 16, 0 },
    { "record_only", "Record only (no £ value)", S_TEXT, 10, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_by_theme = {
    "by_theme", "By theme", "social_value.by_theme", false, s_theme_columns
};

static const s_column_t s_measure_columns [] = {
    { "measure", "Measure", S_TEXT, 10, S_CODE },
    { "description", "Description", S_TEXT, 50, 0 },
    { "unit", "Unit", S_TEXT, 12, S_NOT_HTML },
    { "theme", "Theme", S_TEXT, 14, 0 },
    { "committed_qty", "Committed", S_QTY, 14, 0 },
    { "delivered_qty", "Delivered", S_QTY, 14, 0 },
    { "committed_pence", "Committed value", S_PENCE, 16, 0 },
    { "delivered_pence", "Delivered value", S_PENCE, 16, 0 },
    { "outcome", "Outcome", S_TEXT, 30, S_NOT_HTML },
    { "record_only", "Record only (no £ value)", S_TEXT, 10, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_by_measure = {
    "by_measure", "By measure", "social_value.by_measure", false, s_measure_columns
};

static const s_column_t s_top_columns [] = {
    { "contract", "Contract", S_TEXT, 16, S_CODE },
    { "title", "Title", S_TEXT, 40, 0 },
    { "supplier", "Supplier", S_TEXT, 32, 0 },
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 30, 0 },
    { "delivered_pence", "Delivered", S_PENCE, 16, 0 },
    { "share", "Share of all delivered", S_SHARE, 12, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_top_contracts = {
    "top_contracts", "Top contracts", "social_value.top_contracts", false, s_top_columns
};

static const s_column_t s_delivered_ward_columns [] = {
    { "ward_code", "Ward code", S_TEXT, 12, S_NOT_HTML },
    { "ward", "Ward", S_TEXT, 28, 0 },
    { "deliveries", "Deliveries", S_INT, 13, 0 },
    { "delivered_pence", "Delivered", S_PENCE, 16, 0 },
    { "suppressed", "Suppressed", S_BOOL, 11, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_delivered_by_ward = {
    "delivered_by_ward", "Delivered by ward", "social_value.by_ward", false,
    s_delivered_ward_columns
};

static const s_column_t s_group_columns [] = {
    { "group", "Beneficiary group", S_TEXT, 36, 0 },
    { "deliveries", "Deliveries", S_INT, 13, 0 },
    { "delivered_pence", "Delivered", S_PENCE, 16, 0 },
    { "suppressed", "Suppressed", S_BOOL, 11, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_by_group = {
    "by_beneficiary_group", "By beneficiary group", "social_value.by_beneficiary_group",
    false, s_group_columns
};

static const s_column_t s_rlw_columns [] = {
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 30, 0 },
    { "contract", "Contract", S_TEXT, 16, 0 },
    { "title", "Title", S_TEXT, 36, 0 },
    { "supplier", "Supplier", S_TEXT, 30, 0 },
    { "category", "Category", S_TEXT, 16, 0 },
    { "value_pence", "Contract value", S_PENCE, 17, 0 },
    { "start_date", "Starts", S_DATE, 12, 0 },
    { "end_date", "Ends", S_DATE, 12, 0 },
    { "reason", "Why in scope", S_TEXT, 34, 0 },
    { "rlw_commitment", "RLW commitment", S_BOOL, 11, 0 },
    { "accredited", "Supplier accredited", S_BOOL, 11, 0 },
    { "accreditation_expiry", "Accreditation expires", S_DATE, 13, 0 },
    { "state", "State", S_TEXT, 12, 0 },
    { "suggested_category", "SIC suggests", S_TEXT, 14, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_rlw_contracts = {
    "rlw_contracts", "RLW contracts", "rlw.contracts", false, s_rlw_columns
};

//  Contracts out of scope by their own category whose supplier's SIC codes
//  (Companies House) suggest an in-scope one: a suggestion, never counted
static const s_column_t s_rlw_suggested_columns [] = {
    { "partner_name", "Partner", S_TEXT, 30, 0 },
    { "contract", "Contract", S_TEXT, 16, 0 },
    { "supplier", "Supplier", S_TEXT, 30, 0 },
    { "category", "Category given", S_TEXT, 16, 0 },
    { "suggested_category", "SIC suggests", S_TEXT, 14, 0 },
    { "sic_codes", "SIC codes", S_TEXT, 14, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_rlw_suggested = {
    "rlw_suggested", "RLW suggested by SIC", "rlw.suggested_by_sic", false,
    s_rlw_suggested_columns
};

//  html keeps to the columns an officer reads across an A4 page, in a
//  table per partner captioned with its name; csv and xlsx have them all
static const s_column_t s_contract_columns [] = {
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 30, S_NOT_HTML },
    { "contract", "Contract", S_TEXT, 16, S_CODE },
    { "title", "Title", S_TEXT, 36, S_NOT_HTML },
    { "supplier", "Supplier", S_TEXT, 30, 0 },
    { "start_date", "Starts", S_DATE, 12, S_NOT_HTML },
    { "end_date", "Ends", S_DATE, 12, S_NOT_HTML },
    { "measure", "Measure", S_TEXT, 12, S_CODE },
    { "description", "Description", S_TEXT, 40, S_NOT_HTML },
    { "unit", "Unit", S_TEXT, 12, S_NOT_HTML },
    { "committed_qty", "Committed", S_QTY, 12, 0 },
    { "delivered_qty", "Delivered", S_QTY, 12, 0 },
    { "committed_pence", "Committed value", S_PENCE, 16, 0 },
    { "delivered_pence", "Delivered value", S_PENCE, 16, 0 },
    { "claimed", "Claimed", S_INT, 9, 0 },
    { "evidenced", "Evidenced", S_INT, 9, 0 },
    { "validated", "Validated", S_INT, 9, 0 },
    { "last_return_end", "Last return to", S_DATE, 13, 0 },
    { "next_return_due", "Next return due", S_DATE, 13, 0 },
    { "status", "Status", S_TEXT, 8, S_BADGE },
    { "status_reason", "Why", S_TEXT, 16, 0 },
    { "previous_delivered_pence", "Delivered last year", S_PENCE, 16, S_NOT_HTML },
    { "delivered_change_pence", "Change in delivered", S_PENCE, 16, S_NOT_HTML },
    { "delivered_change", "Change on last year", S_SHARE, 12, 0 },
    { "committed_unvalued", "Committed lines not valued", S_INT, 12, S_NOT_HTML },
    { "delivered_unvalued", "Delivered lines not valued", S_INT, 12, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_contract_rows = {
    "contracts", "Contracts", "contracts", false, s_contract_columns
};

//  The kpi report's flat table (reporting_kpi.h); its OCDS releases are
//  in the json only
static const s_column_t s_kpi_columns [] = {
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 30, 0 },
    { "contract", "Contract", S_TEXT, 16, S_CODE },
    { "title", "Title", S_TEXT, 30, 0 },
    { "supplier", "Supplier", S_TEXT, 30, S_NOT_HTML },
    { "ocid", "OCID", S_TEXT, 24, S_NOT_HTML },
    { "kpi", "KPI", S_TEXT, 14, S_CODE },
    { "name", "KPI name", S_TEXT, 36, 0 },
    { "source", "Source", S_TEXT, 24, S_NOT_HTML },
    { "measure", "Measure", S_TEXT, 12, S_NOT_HTML },
    { "unit", "Unit", S_TEXT, 12, S_NOT_HTML },
    { "direction", "Better", S_TEXT, 8, S_NOT_HTML },
    { "target_qty", "Target", S_QTY, 12, 0 },
    { "period_target_qty", "Target to date", S_QTY, 12, 0 },
    { "actual_qty", "Actual", S_QTY, 12, 0 },
    { "performance_pct", "Performance %", S_INT, 12, 0 },
    { "rating", "Rating", S_TEXT, 22, 0 },
    { "rating_note", "How rated", S_TEXT, 60, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_kpi_rows = {
    "kpis", "KPIs", "kpis", false, s_kpi_columns
};

static const s_column_t s_alert_columns [] = {
    { "alert_id", "Alert", S_TEXT, 11, 0 },
    { "rule", "Rule", S_TEXT, 24, 0 },
    { "severity", "Severity", S_TEXT, 9, 0 },
    { "state", "State", S_TEXT, 13, 0 },
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 30, 0 },
    { "supplier", "Supplier", S_TEXT, 30, 0 },
    { "contract", "Contract", S_TEXT, 16, 0 },
    { "message", "Message", S_TEXT, 70, 0 },
    { "at", "Raised", S_TEXT, 21, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_alerts = {
    "alerts", "Alerts", "alerts.list", false, s_alert_columns
};

static const s_column_t s_rule_columns [] = {
    { "rule", "Rule", S_TEXT, 28, 0 },
    { "alerts", "Open or acknowledged", S_INT, 12, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_alerts_by_rule = {
    "alerts_by_rule", "Alerts by rule", "alerts.by_rule", true, s_rule_columns
};

//  html shows the partners as the side-by-side table's columns, by
//  partner_name, and its rows as the columns not marked S_NOT_HTML
static const s_column_t s_partner_columns [] = {
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 36, S_NOT_HTML },
    { "spend_total_pence", "Total spend", S_PENCE, 17, 0 },
    { "local_pence", "Local spend", S_PENCE, 17, 0 },
    { "unknown_locality_pence", "Locality unknown", S_PENCE, 17, 0 },
    { "local_share", "Local share", S_SHARE, 10, 0 },
    { "additional_local_pence", "Additional local spend", S_PENCE, 17, 0 },
    { "committed_pence", "Social value committed", S_PENCE, 17, 0 },
    { "delivered_pence", "Social value delivered", S_PENCE, 17, 0 },
    { "in_scope_contracts", "RLW contracts in scope", S_INT, 12, 0 },
    { "missing_commitment", "RLW commitment missing", S_INT, 12, 0 },
    { "open_alerts", "Open alerts", S_INT, 10, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_by_partner = {
    "by_partner", "By partner", "by_partner", false, s_partner_columns
};

static const s_column_t s_partner_theme_columns [] = {
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 36, 0 },
    { "theme", "Theme", S_TEXT, 28, 0 },
    { "committed_pence", "Committed", S_PENCE, 16, 0 },
    { "delivered_pence", "Delivered", S_PENCE, 16, 0 },
    { "record_only", "Record only (no £ value)", S_TEXT, 10, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_by_partner_theme = {
    "by_partner_theme", "By partner and theme", "by_partner_theme", false,
    s_partner_theme_columns
};

static const s_column_t s_outcome_columns [] = {
    { "outcome", "Common outcome", S_TEXT, 30, 0 },
    { "partner", "Partner id", S_TEXT, 16, 0 },
    { "partner_name", "Partner", S_TEXT, 36, 0 },
    { "framework", "Framework", S_TEXT, 24, 0 },
    { "measure", "Measure", S_TEXT, 12, S_CODE },
    { "description", "Description", S_TEXT, 50, 0 },
    { "unit", "Unit", S_TEXT, 12, 0 },
    { "committed_qty", "Committed", S_QTY, 14, 0 },
    { "delivered_qty", "Delivered", S_QTY, 14, 0 },
    { "committed_pence", "Committed value", S_PENCE, 16, 0 },
    { "delivered_pence", "Delivered value", S_PENCE, 16, 0 },
    { "record_only", "Record only (no £ value)", S_TEXT, 10, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_by_outcome = {
    "by_outcome", "By common outcome", "by_outcome", false, s_outcome_columns
};

//  The frameworks behind the pounds: in the annual report under
//  social_value, in the partnership report at the top
static const s_column_t s_framework_columns [] = {
    { "id", "Framework", S_TEXT, 28, S_CODE },
    { "version", "Version", S_TEXT, 10, 0 },
    { "proxy_years", "Proxy years", S_TEXT, 12, 0 },
    { "record_only", "Record only (no £ value)", S_BOOL, 12, 0 },
    { "illustrative", "Illustrative", S_BOOL, 12, 0 },
    { "partners", "Partners using it", S_TEXT, 30, S_NOT_HTML },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_annual_frameworks = {
    "frameworks", "Frameworks", "social_value.frameworks", false, s_framework_columns
};
static const s_table_t s_network_frameworks = {
    "frameworks", "Frameworks", "frameworks", false, s_framework_columns
};

static const s_column_t s_renewal_columns [] = {
    { "partner", "Partner id", S_TEXT, 16, S_NOT_HTML },
    { "partner_name", "Partner", S_TEXT, 36, 0 },
    { "renewal_date", "Accreditation renewal", S_DATE, 14, 0 },
    { "days_left", "Days left", S_INT, 10, 0 },
    { NULL, NULL, S_TEXT, 0, 0 }
};
static const s_table_t s_rlw_renewals = {
    "rlw_renewals", "RLW renewals", "rlw.renewals", false, s_renewal_columns
};

typedef struct _s_html_t s_html_t;

typedef struct {
    const char *kind;                   //  "report" value
    const s_figure_t *figures;          //  after s_head_figures
    const s_table_t *tables [16];       //  NULL-terminated
    void (*body) (s_html_t *html);      //  html sections
} s_kind_t;

static void s_annual_body (s_html_t *self);
static void s_partnership_body (s_html_t *self);
static void s_rlw_body (s_html_t *self);
static void s_alerts_body (s_html_t *self);
static void s_contracts_body (s_html_t *self);
static void s_kpi_body (s_html_t *self);

static const s_kind_t s_kinds [] = {
    { "annual", s_annual_figures,
      { &s_spend_by_month, &s_spend_by_ward, &s_by_theme, &s_by_measure, &s_top_contracts,
        &s_delivered_by_ward, &s_by_group, &s_rlw_contracts, &s_alerts, &s_alerts_by_rule,
        &s_annual_frameworks, &s_rlw_renewals, NULL },
      s_annual_body },
    { "partnership", s_partnership_figures,
      { &s_by_partner, &s_by_partner_theme, &s_by_outcome, &s_network_frameworks,
        &s_rlw_renewals, NULL },
      s_partnership_body },
    { "rlw-scope", s_rlw_figures, { &s_rlw_contracts, NULL }, s_rlw_body },
    { "alerts", s_alerts_figures, { &s_alerts, &s_alerts_by_rule, NULL }, s_alerts_body },
    { "contracts", s_contracts_figures, { &s_contract_rows, NULL }, s_contracts_body },
    { "kpi", s_kpi_figures, { &s_kpi_rows, NULL }, s_kpi_body },
};
#define S_KIND_COUNT (sizeof s_kinds / sizeof s_kinds [0])

//  Prefix of this class's temporary files, under $TMPDIR or /tmp
#define S_TEMP_PREFIX "socval-render-"


//  --------------------------------------------------------------------------
//  Reading the document

//  The value at a dotted path ("spend.total_pence"), borrowed; NULL when
//  any step is missing or not an object.
static json_t *
s_get (const json_t *doc, const char *path)
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
static const char *
s_str (const json_t *doc, const char *path)
{
    const char *text = json_string_value (s_get (doc, path));
    return text? text: "";
}

//  Integer at path into *value_p; false (and 0) when missing or not an
//  integer, so a caller can show "–" instead of a false zero.
static bool
s_int_at (const json_t *doc, const char *path, int64_t *value_p)
{
    json_t *value = s_get (doc, path);
    *value_p = json_is_integer (value)? (int64_t) json_integer_value (value): 0;
    return json_is_integer (value);
}

//  A date at key of row, or NULL when it is not known (null, missing or
//  "", as the store writes an unknown date)
static const char *
s_date_at (const json_t *row, const char *key)
{
    const char *date = json_string_value (json_object_get (row, key));
    return date && *date? date: NULL;
}

static const s_kind_t *
s_kind_of (const json_t *doc)
{
    const char *kind = s_str (doc, "report");
    for (size_t index = 0; index < S_KIND_COUNT; index++)
        if (streq (s_kinds [index].kind, kind))
            return &s_kinds [index];
    return NULL;
}

//  The rows of table as a new reference to an array of objects (empty
//  when the document lacks it). A pairs table's rows are made here.
static json_t *
s_table_rows (const json_t *doc, const s_table_t *table)
{
    json_t *found = s_get (doc, table->path);
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
static bool
s_milli (const json_t *value, int64_t *milli_p)
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


//  --------------------------------------------------------------------------
//  Figures for people

//  Short formatted text, returned by value: s_pounds (x).text is valid to
//  the end of the full expression that calls it.
typedef struct {
    char text [160];
} s_text_t;

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
static s_text_t
s_count (int64_t value)
{
    s_text_t result;
    char grouped [32];
    s_group (s_magnitude (value), grouped);
    snprintf (result.text, sizeof result.text, "%s%s", value < 0? "−": "", grouped);
    return result;
}

//  Pence as whole pounds, half away from zero: "£48,957,376", "−£1,200"
static s_text_t
s_pounds (int64_t pence)
{
    s_text_t result;
    char grouped [32];
    s_group ((s_magnitude (pence) + 50) / 100, grouped);
    snprintf (result.text, sizeof result.text, "%s£%s", pence < 0? "−": "", grouped);
    return result;
}

//  Pence for a headline: "£49.0m", "£512k", "£850"; sign when signed is set
//  ("+£2.8m"). Rounded half up on the magnitude.
static s_text_t
s_pounds_short (int64_t pence, bool signed_)
{
    s_text_t result;
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
static s_text_t
s_axis_pounds (uint64_t pounds)
{
    s_text_t result;
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
static s_text_t
s_milli_text (int64_t milli, bool grouped)
{
    s_text_t result;
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
static s_text_t
s_quantity (const json_t *value, const char *unit)
{
    s_text_t result;
    int64_t milli;
    if (!s_milli (value, &milli))
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
static s_text_t
s_share (const json_t *value)
{
    s_text_t result;
    if (json_is_number (value))
        snprintf (result.text, sizeof result.text, "%.1f%%", json_number_value (value) * 100);
    else
        snprintf (result.text, sizeof result.text, "–");
    return result;
}

//  part / whole as "45.6%"; "–" when whole is not positive
static s_text_t
s_ratio (int64_t part, int64_t whole)
{
    s_text_t result;
    if (whole > 0)
        snprintf (result.text, sizeof result.text, "%.1f%%", (double) part * 100 / (double) whole);
    else
        snprintf (result.text, sizeof result.text, "–");
    return result;
}

static const char *s_month_names [] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"
};

//  "2024-04-01" (or the date part of a timestamp) as "1 Apr 2024", or in
//  full ("1 April 2024"); other text is returned as it is.
static s_text_t
s_date (const char *iso, bool full)
{
    s_text_t result;
    int year, month, day;
    if (iso && sscanf (iso, "%4d-%2d-%2d", &year, &month, &day) == 3
    &&  month >= 1 && month <= 12 && day >= 1 && day <= 31)
        snprintf (result.text, sizeof result.text, "%d %.*s %d", day, full? 9: 3,
                  s_month_names [month - 1], year);
    else
        snprintf (result.text, sizeof result.text, "%.150s", iso? iso: "");
    return result;
}

//  "2025-06-02T09:00:00Z" as "2 June 2025, 09:00 UTC"
static s_text_t
s_timestamp (const char *iso)
{
    s_text_t result;
    int hour, minute;
    const char *time = iso? strchr (iso, 'T'): NULL;
    if (time && sscanf (time, "T%2d:%2d", &hour, &minute) == 2)
        snprintf (result.text, sizeof result.text, "%.120s, %02d:%02d UTC",
                  s_date (iso, true).text, hour, minute);
    else
        result = s_date (iso, true);
    return result;
}

//  The document's "created" as a time_t; 0 (libxlsxwriter's "now") when
//  it cannot be read.
static time_t
s_created (const json_t *doc)
{
    struct tm when = { 0 };
    if (sscanf (s_str (doc, "created"), "%4d-%2d-%2dT%2d:%2d:%2d", &when.tm_year,
                &when.tm_mon, &when.tm_mday, &when.tm_hour, &when.tm_min,
                &when.tm_sec) != 6)
        return 0;
    when.tm_year -= 1900;
    when.tm_mon -= 1;
    return timegm (&when);
}


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

//  Adds a file of data (size bytes, copied) to files; -1 when memory runs out
static int
s_add_file (zlistx_t *files, const char *name, const char *suffix, const void *data,
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

//  A memory stream for building one file
typedef struct {
    FILE *out;
    char *data;
    size_t size;
} s_stream_t;

static int
s_stream_open (s_stream_t *self)
{
    self->data = NULL;
    self->size = 0;
    self->out = open_memstream (&self->data, &self->size);
    return self->out? 0: -1;
}

//  Closes the stream and adds its bytes as a file; -1 on any write error
static int
s_stream_close (s_stream_t *self, zlistx_t *files, const char *name, const char *suffix)
{
    bool failed = ferror (self->out) != 0;
    failed |= fclose (self->out) != 0;
    if (!failed)
        failed = s_add_file (files, name, suffix, self->data, self->size) != 0;
    free (self->data);
    return failed? -1: 0;
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
    int rc = s_add_file (files, base, ".json", text, length + 1);
    free (text);
    return rc;
}


//  --------------------------------------------------------------------------
//  csv

//  One field, quoted when it holds a comma, quote, CR or LF (RFC 4180)
static void
s_csv_field (FILE *out, const char *text)
{
    sv_csv_write_field (out, text);
}

//  A list of strings joined by "; " (other members skipped)
static char *
s_joined (const json_t *list)
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

//  One value for a machine: as the document has it, null and missing empty
static void
s_csv_value (FILE *out, const json_t *value)
{
    if (json_is_string (value))
        s_csv_field (out, json_string_value (value));
    else
    if (json_is_integer (value))
        fprintf (out, "%" JSON_INTEGER_FORMAT, json_integer_value (value));
    else
    if (json_is_real (value))
        fprintf (out, "%.15g", json_real_value (value));
    else
    if (json_is_boolean (value))
        fputs (json_is_true (value)? "true": "false", out);
    else
    if (json_is_array (value)) {
        char *joined = s_joined (value);
        if (joined)
            s_csv_field (out, joined);
        free (joined);
    }
}

static int
s_render_csv (const json_t *doc, const s_kind_t *kind, zlistx_t *files)
{
    s_stream_t stream;
    if (s_stream_open (&stream))
        return -1;
    fputs ("key,value\r\n", stream.out);
    const s_figure_t *lists [] = { s_head_figures, kind->figures };
    for (size_t list = 0; list < 2; list++)
        for (const s_figure_t *figure = lists [list]; figure->path; figure++) {
            s_csv_field (stream.out, figure->path);
            fputc (',', stream.out);
            s_csv_value (stream.out, s_get (doc, figure->path));
            fputs ("\r\n", stream.out);
        }
    if (s_stream_close (&stream, files, "summary", ".csv"))
        return -1;

    for (const s_table_t *const *table = kind->tables; *table; table++) {
        json_t *rows = s_table_rows (doc, *table);
        if (!rows || s_stream_open (&stream)) {
            json_decref (rows);
            return -1;
        }
        for (const s_column_t *column = (*table)->columns; column->key; column++)
            fprintf (stream.out, "%s%s", column == (*table)->columns? "": ",", column->key);
        fputs ("\r\n", stream.out);
        size_t index;
        json_t *row;
        json_array_foreach (rows, index, row) {
            for (const s_column_t *column = (*table)->columns; column->key; column++) {
                if (column != (*table)->columns)
                    fputc (',', stream.out);
                s_csv_value (stream.out, json_object_get (row, column->key));
            }
            fputs ("\r\n", stream.out);
        }
        json_decref (rows);
        if (s_stream_close (&stream, files, (*table)->name, ".csv"))
            return -1;
    }
    return 0;
}


//  --------------------------------------------------------------------------
//  xlsx

typedef struct {
    lxw_format *header;
    lxw_format *money;
    lxw_format *share;
    lxw_format *count;
    lxw_format *whole;          //  a quantity in whole units
    lxw_format *decimal;        //  a quantity with decimals
    lxw_format *date;
    lxw_format *text;           //  wrapped, top-aligned
    lxw_format *muted;          //  "fewer than 5"
} s_formats_t;

static lxw_format *
s_format (lxw_workbook *workbook, const char *number_format)
{
    lxw_format *format = workbook_add_format (workbook);
    if (number_format)
        format_set_num_format (format, number_format);
    format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
    return format;
}

static void
s_formats (lxw_workbook *workbook, s_formats_t *formats)
{
    formats->header = workbook_add_format (workbook);
    format_set_bold (formats->header);
    format_set_bottom (formats->header, LXW_BORDER_THIN);
    format_set_bg_color (formats->header, 0xE7ECF1);
    format_set_text_wrap (formats->header);
    format_set_align (formats->header, LXW_ALIGN_VERTICAL_BOTTOM);
    formats->money = s_format (workbook, "£#,##0.00");
    formats->share = s_format (workbook, "0.0%");
    formats->count = s_format (workbook, "#,##0");
    formats->whole = s_format (workbook, "#,##0");
    formats->decimal = s_format (workbook, "#,##0.0##");
    formats->date = s_format (workbook, "d mmm yyyy");
    formats->text = s_format (workbook, NULL);
    formats->muted = s_format (workbook, NULL);
    format_set_italic (formats->muted);
    format_set_font_color (formats->muted, 0x5B6774);
    format_set_align (formats->muted, LXW_ALIGN_RIGHT);
}

//  One cell. fewer names the withheld figure when the row is suppressed
//  and value is null.
static void
s_xlsx_value (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t col, const json_t *value,
              s_type_t type, const s_formats_t *formats, const char *fewer)
{
    if (json_is_null (value) || !value) {
        if (fewer && type == S_INT)
            worksheet_write_string (sheet, row, col, fewer, formats->muted);
        return;
    }
    if (json_is_boolean (value)) {
        worksheet_write_boolean (sheet, row, col, json_is_true (value), formats->text);
        return;
    }
    if (json_is_array (value)) {
        char *joined = s_joined (value);
        if (joined)
            worksheet_write_string (sheet, row, col, joined, formats->text);
        free (joined);
        return;
    }
    if (json_is_string (value)) {
        const char *text = json_string_value (value);
        int year, month, day;
        char more;
        if (type == S_DATE && sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &more) == 3) {
            lxw_datetime date = { year, month, day, 0, 0, 0 };
            worksheet_write_datetime (sheet, row, col, &date, formats->date);
        }
        else
            worksheet_write_string (sheet, row, col, text, formats->text);
        return;
    }
    if (!json_is_number (value))
        return;
    double number = json_number_value (value);
    lxw_format *format = formats->count;
    if (type == S_PENCE) {
        number /= 100.0;
        format = formats->money;
    }
    else
    if (type == S_SHARE)
        format = formats->share;
    else
    if (type == S_QTY) {
        int64_t milli;
        format = s_milli (value, &milli) && milli % 1000 == 0? formats->whole: formats->decimal;
    }
    worksheet_write_number (sheet, row, col, number, format);
}

//  Writes the workbook into file at path; -1 when libxlsxwriter fails
static int
s_write_workbook (const json_t *doc, const s_kind_t *kind, const char *path,
                  const char *tmpdir)
{
    lxw_workbook_options options = { .constant_memory = LXW_FALSE,
                                     .tmpdir = (char *) tmpdir, .use_zip64 = LXW_FALSE };
    lxw_workbook *workbook = workbook_new_opt (path, &options);
    if (!workbook)
        return -1;
    lxw_doc_properties properties = {
        .title = (char *) s_str (doc, "title"),
        .subject = "Social value",
        .author = "socval",
        .company = (char *) s_str (doc, "partner"),
        .created = s_created (doc)
    };
    workbook_set_properties (workbook, &properties);
    s_formats_t formats;
    s_formats (workbook, &formats);
    bool failed = false;

    lxw_worksheet *sheet = workbook_add_worksheet (workbook, "Summary");
    failed |= sheet == NULL;
    if (sheet) {
        worksheet_write_string (sheet, 0, 0, "Figure", formats.header);
        worksheet_write_string (sheet, 0, 1, "Value", formats.header);
        worksheet_write_string (sheet, 0, 2, "Key", formats.header);
        worksheet_set_column (sheet, 0, 0, 46, NULL);
        worksheet_set_column (sheet, 1, 1, 44, NULL);
        worksheet_set_column (sheet, 2, 2, 36, NULL);
        worksheet_freeze_panes (sheet, 1, 0);
        lxw_row_t row = 1;
        const s_figure_t *lists [] = { s_head_figures, kind->figures };
        for (size_t list = 0; list < 2; list++)
            for (const s_figure_t *figure = lists [list]; figure->path; figure++, row++) {
                worksheet_write_string (sheet, row, 0, figure->label, formats.text);
                s_xlsx_value (sheet, row, 1, s_get (doc, figure->path), figure->type,
                              &formats, NULL);
                worksheet_write_string (sheet, row, 2, figure->path, formats.text);
            }
    }
    int64_t threshold;
    if (!s_int_at (doc, "small_number_threshold", &threshold))
        threshold = 5;
    char fewer [48];
    snprintf (fewer, sizeof fewer, "fewer than %" PRId64, threshold);

    for (const s_table_t *const *table = kind->tables; *table && !failed; table++) {
        sheet = workbook_add_worksheet (workbook, (*table)->sheet);
        json_t *rows = s_table_rows (doc, *table);
        if (!sheet || !rows) {
            json_decref (rows);
            failed = true;
            break;
        }
        lxw_col_t col = 0;
        for (const s_column_t *column = (*table)->columns; column->key; column++, col++) {
            worksheet_write_string (sheet, 0, col, column->heading, formats.header);
            worksheet_set_column (sheet, col, col, column->width, NULL);
        }
        worksheet_set_row (sheet, 0, 30, NULL);
        worksheet_freeze_panes (sheet, 1, 0);
        size_t index;
        json_t *row;
        json_array_foreach (rows, index, row) {
            bool suppressed = json_is_true (json_object_get (row, "suppressed"));
            col = 0;
            for (const s_column_t *column = (*table)->columns; column->key; column++, col++)
                s_xlsx_value (sheet, (lxw_row_t) index + 1, col,
                              json_object_get (row, column->key), column->type, &formats,
                              suppressed? fewer: NULL);
        }
        if (json_array_size (rows) > 0)
            worksheet_autofilter (sheet, 0, 0, (lxw_row_t) json_array_size (rows), col - 1);
        json_decref (rows);
    }
    //  Closing writes the file and frees the workbook, failed or not
    failed |= workbook_close (workbook) != LXW_NO_ERROR;
    return failed? -1: 0;
}

static int
s_render_xlsx (const json_t *doc, const s_kind_t *kind, const char *base, zlistx_t *files)
{
    const char *tmpdir = getenv ("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    char *path = zsys_sprintf ("%s/" S_TEMP_PREFIX "XXXXXX", tmpdir);
    if (!path)
        return -1;
    int handle = mkstemp (path);
    if (handle == -1) {
        free (path);
        return -1;
    }
    close (handle);
    int rc = s_write_workbook (doc, kind, path, tmpdir);
    if (rc == 0) {
        zchunk_t *chunk = zchunk_slurp (path, 0);
        rc = chunk? s_add_file (files, base, ".xlsx", zchunk_data (chunk),
                                zchunk_size (chunk)): -1;
        zchunk_destroy (&chunk);
    }
    unlink (path);
    free (path);
    return rc;
}


//  --------------------------------------------------------------------------
//  html: escaping and the page around the sections

struct _s_html_t {
    FILE *out;
    const json_t *doc;
    int64_t threshold;          //  small number threshold
    int figures;                //  charts drawn so far, for unique ids
};

//  Writes text escaped for XML text and attributes. Characters XML 1.0
//  forbids are replaced: C0 controls other than tab, LF and CR by a space
//  (Excel exports carry a vertical tab for a line break within a cell),
//  U+FFFE and U+FFFF dropped. A stray control byte in a supplier's name
//  must not make the whole report unreadable to an XML parser.
static void
s_esc (FILE *out, const char *text)
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
static void
s_escf (FILE *out, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *text = NULL;
    if (vasprintf (&text, format, args) != -1) {
        s_esc (out, text);
        free (text);
    }
    va_end (args);
}

//  Markup, the escaped text, markup: the common shape <td>TEXT</td>
static void
s_tag (FILE *out, const char *open, const char *text, const char *close)
{
    fputs (open, out);
    s_esc (out, text);
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
static void
s_prose_list (FILE *out, const json_t *list)
{
    size_t count = json_array_size (list);
    for (size_t index = 0; index < count; index++) {
        if (index > 0)
            fputs (index + 1 == count? " and ": ", ", out);
        s_esc (out, json_string_value (json_array_get (list, index)));
    }
}

//  A partner's name for people: the row's partner_name, else its partner
static const char *
s_partner_of (const json_t *row)
{
    const char *name = s_str (row, "partner_name");
    return *name? name: s_str (row, "partner");
}

//  The document's display name of the partner called id (partner_names),
//  else id itself
static const char *
s_partner_named (const json_t *doc, const char *id)
{
    const char *name = json_string_value (json_object_get (s_get (doc, "partner_names"), id));
    return name && *name? name: id;
}

//  The document's partners, by display name, as prose
static void
s_partner_list (FILE *out, const json_t *doc)
{
    json_t *names = json_array ();
    size_t index;
    json_t *partner;
    json_array_foreach (s_get (doc, "partners"), index, partner)
        json_array_append_new (names, json_string (
            s_partner_named (doc, json_string_value (partner))));
    s_prose_list (out, names);
    json_decref (names);
}

//  What the pounds of a section rest on: the frameworks at path, their
//  versions and proxy years, and, when any is one of the bundled made-up
//  sets, a warning no reader can miss
static void
s_framework_note (s_html_t *self, const char *path)
{
    FILE *out = self->out;
    json_t *frameworks = s_get (self->doc, path);
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
        char *years = s_joined (json_object_get (framework, "proxy_years"));
        //  Lines a store kept before it recorded frameworks carry none
        if (*s_str (framework, "id") && json_is_true (json_object_get (framework, "record_only")))
            s_escf (out, "%s version %s (record only: quantities, no £ value)",
                    s_str (framework, "id"), s_str (framework, "version"));
        else
        if (*s_str (framework, "id"))
            s_escf (out, "%s version %s (proxy values of %s)", s_str (framework, "id"),
                    s_str (framework, "version"), years && *years? years: "years not recorded");
        else
            s_escf (out, "a framework not recorded for lines of %s valued before reporting "
                    "kept frameworks", years? years: "");
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

static void
s_page_open (s_html_t *self, const char *kicker)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    fputs ("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en-GB\" "
           "xml:lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\"/>\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n", out);
    s_tag (out, "<title>", s_str (doc, "title"), "</title>\n");
    s_tag (out, "<meta name=\"generator\" content=\"socval\"/>\n<meta name=\"dcterms.created\" "
                "content=\"", s_str (doc, "created"), "\"/>\n");
    fprintf (out, "<style>\n%s</style>\n</head>\n<body>\n<header class=\"masthead\">\n", s_style);
    s_tag (out, "<p class=\"kicker\">", kicker, "</p>\n");
    s_tag (out, "<h1>", s_str (doc, "title"), "</h1>\n");
    fputs ("<p class=\"meta\">", out);
    const char *year = s_str (doc, "year");
    int first;
    if (sscanf (year, "%4d", &first) == 1) {
        s_escf (out, "Financial year %s: 1 April %d to 31 March %d", year, first, first + 1);
        fputs ("<br/>", out);
    }
    const char *partner = s_str (doc, "partner");
    json_t *partners = s_get (doc, "partners");
    if (streq (partner, "all") || streq (partner, "")) {
        fputs (json_array_size (partners) == 1? "Partner: ": "All partners: ", out);
        s_partner_list (out, doc);
    }
    else
        s_tag (out, "Partner: ", s_partner_named (doc, partner), "");
    fputs ("</p>\n</header>\n", out);
}

static void
s_page_close (s_html_t *self, const char *how)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    fputs ("<footer class=\"about\">\n<h2>About this report</h2>\n<dl>\n", out);
    s_tag (out, "<dt>Created</dt><dd>", s_timestamp (s_str (doc, "created")).text, "</dd>\n");
    int64_t ingest, valuation, compliance;
    s_int_at (doc, "offsets.ingest", &ingest);
    s_int_at (doc, "offsets.valuation", &valuation);
    s_int_at (doc, "offsets.compliance", &compliance);
    fprintf (out, "<dt>Data</dt><dd>Events up to ingest %s, valuation %s and compliance %s: "
             "the report can be assembled again from the same point.</dd>\n",
             s_count (ingest).text, s_count (valuation).text, s_count (compliance).text);
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
static void
s_card (FILE *out, const char *label, const char *value, bool warn, const char *format, ...)
{
    fprintf (out, "<div class=\"card%s\">", warn? " warn": "");
    s_tag (out, "<div class=\"label\">", label, "</div>");
    s_tag (out, "<div class=\"value\">", value, "</div>");
    va_list args;
    va_start (args, format);
    char *sub = NULL;
    if (vasprintf (&sub, format, args) != -1) {
        s_tag (out, "<div class=\"sub\">", sub, "</div>");
        free (sub);
    }
    va_end (args);
    fputs ("</div>\n", out);
}

static s_text_t
s_count_at (const json_t *doc, const char *path)
{
    int64_t value;
    s_text_t result = { "–" };
    if (s_int_at (doc, path, &value))
        result = s_count (value);
    return result;
}


//  --------------------------------------------------------------------------
//  html: tables

static void s_badge (FILE *out, const char *value);

//  One cell of a generic table
static void
s_html_cell (s_html_t *self, const s_column_t *column, const json_t *row, bool suppressed)
{
    FILE *out = self->out;
    const json_t *value = json_object_get (row, column->key);
    bool numeric = column->type == S_INT || column->type == S_PENCE
                || column->type == S_QTY || column->type == S_SHARE;
    if (suppressed && json_is_null (value)) {
        if (column->type == S_INT)
            fprintf (out, "<td class=\"num withheld\">fewer than %" PRId64 "</td>",
                     self->threshold);
        else
            fputs ("<td class=\"num withheld\">–</td>", out);
        return;
    }
    //  A measure its framework never prices has no £ figure to show
    if (column->type == S_PENCE && json_is_null (value)
    &&  json_is_true (json_object_get (row, "record_only"))) {
        fputs ("<td class=\"num withheld\">record only</td>", out);
        return;
    }
    fputs (numeric? "<td class=\"num\">": column->flags & S_CODE? "<td class=\"code\">": "<td>",
           out);
    if (column->type == S_PENCE && json_is_integer (value))
        fputs (s_pounds ((int64_t) json_integer_value (value)).text, out);
    else
    if (column->type == S_INT && json_is_integer (value))
        fputs (s_count ((int64_t) json_integer_value (value)).text, out);
    else
    if (column->type == S_QTY)
        s_esc (out, s_quantity (value, json_string_value (json_object_get (row, "unit"))).text);
    else
    if (column->type == S_SHARE)
        fputs (s_share (value).text, out);
    else
    if (column->type == S_DATE)
        s_esc (out, s_date_at (row, column->key)? s_date (s_date_at (row, column->key), false).text:
                                                  "not known");
    else
    if (json_is_boolean (value))
        fputs (json_is_true (value)? "Yes": "No", out);
    else
    if (json_is_string (value) && column->flags & S_BADGE)
        s_badge (out, json_string_value (value));
    else
    if (json_is_string (value))
        s_esc (out, json_string_value (value));
    else
    if (json_is_array (value)) {
        char *joined = s_joined (value);
        s_esc (out, joined? joined: "");
        free (joined);
    }
    else
    if (json_is_integer (value))
        fputs (s_count ((int64_t) json_integer_value (value)).text, out);
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
static void
s_table_open (FILE *out, const char *class_)
{
    fputs ("<div class=\"scroll\">\n", out);
    if (class_)
        fprintf (out, "<table class=\"%s\">\n", class_);
    else
        fputs ("<table>\n", out);
}

static void
s_table_close (FILE *out)
{
    fputs ("</table>\n</div>\n", out);
}

//  The table at its path in the document, with the columns html shows.
//  class_ (may be NULL) is the table's class: "keep" asks print not to
//  break a short table across pages, "narrow" not to stretch it.
static void
s_html_table (s_html_t *self, const s_table_t *table, const char *caption, const char *class_)
{
    FILE *out = self->out;
    json_t *rows = s_table_rows (self->doc, table);
    if (!rows)
        return;
    s_table_open (out, class_);
    if (caption)
        s_tag (out, "<caption>", caption, "</caption>\n");
    fputs ("<thead><tr>", out);
    size_t columns = 0;
    for (const s_column_t *column = table->columns; column->key; column++) {
        if (column->flags & S_NOT_HTML)
            continue;
        bool numeric = column->type == S_INT || column->type == S_PENCE
                    || column->type == S_QTY || column->type == S_SHARE;
        s_tag (out, numeric? "<th class=\"num\">": "<th>", column->heading, "</th>");
        columns++;
    }
    fputs ("</tr></thead>\n<tbody>\n", out);
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        bool suppressed = json_is_true (json_object_get (row, "suppressed"));
        fputs ("<tr>", out);
        for (const s_column_t *column = table->columns; column->key; column++)
            if (!(column->flags & S_NOT_HTML))
                s_html_cell (self, column, row, suppressed);
        fputs ("</tr>\n", out);
    }
    if (json_array_size (rows) == 0)
        fprintf (out, "<tr><td colspan=\"%zu\" class=\"withheld\">None.</td></tr>\n", columns);
    fputs ("</tbody>\n", out);
    s_table_close (out);
    json_decref (rows);
}

//  What each compliance rule means, for people
static const char *s_rules [][2] = {
    { "rlw.missing_commitment", "Real Living Wage commitment missing" },
    { "rlw.accreditation_lapsed", "Real Living Wage accreditation lapsed" },
    { "rlw.renewal_due", "Real Living Wage renewal due" },
    { "delivery.shortfall", "Delivery below commitment" },
    { "delivery.overdue", "Delivery return overdue" },
};

//  A rule's label for people, then a line break; nothing when unknown
static void
s_rule_label (FILE *out, const char *rule)
{
    for (size_t index = 0; index < sizeof s_rules / sizeof s_rules [0]; index++)
        if (streq (s_rules [index][0], rule))
            fprintf (out, "%s<br/>", s_rules [index][1]);
}

//  A rule's label with its name beneath (the name alone when unknown)
static void
s_rule (FILE *out, const char *rule)
{
    s_rule_label (out, rule);
    s_tag (out, "<span class=\"code\">", rule, "</span>");
}

//  A tag whose class is the value reduced to lower-case letters
static void
s_badge (FILE *out, const char *value)
{
    char class_ [24];
    size_t length = 0;
    for (const char *scan = value; *scan && length < sizeof class_ - 1; scan++)
        if (isalpha ((unsigned char) *scan))
            class_ [length++] = (char) tolower ((unsigned char) *scan);
    class_ [length] = 0;
    fprintf (out, "<span class=\"badge %s\">", class_);
    s_esc (out, value);
    fputs ("</span>", out);
}

//  Contract code, title and partner in one cell
static void
s_contract_cell (FILE *out, const json_t *row)
{
    s_tag (out, "<td><span class=\"code\">", s_str (row, "contract"), "</span>");
    if (*s_str (row, "title"))
        s_tag (out, "<br/>", s_str (row, "title"), "");
    s_tag (out, "<span class=\"aside\">", s_partner_of (row), "</span></td>");
}

//  The contracts in Real Living Wage scope, those missing highlighted.
//  Fewer columns than the csv: a contract's dates, and an accreditation
//  with its expiry, share a cell, so the table fits an A4 page.
static void
s_rlw_table (s_html_t *self)
{
    FILE *out = self->out;
    json_t *contracts = s_get (self->doc, "rlw.contracts");
    s_table_open (out, NULL);
    fputs ("<caption>Contracts in Real Living Wage scope</caption>\n<thead><tr>"
           "<th>Contract</th><th>Supplier</th><th>Category</th><th class=\"num\">Value</th>"
           "<th>Runs</th><th>Why in scope</th><th>Commitment</th><th>Accredited</th>"
           "<th>State</th></tr></thead>\n<tbody>\n", out);
    size_t index;
    json_t *row;
    json_array_foreach (contracts, index, row) {
        const char *state = s_str (row, "state");
        fputs (streq (state, "missing")? "<tr class=\"missing\">": "<tr>", out);
        s_contract_cell (out, row);
        s_tag (out, "<td>", s_str (row, "supplier"), "</td>");
        s_tag (out, "<td>", s_str (row, "category"), "</td>");
        int64_t value;
        fprintf (out, "<td class=\"num\">%s</td><td>",
                 s_int_at (row, "value_pence", &value)? s_pounds (value).text: "–");
        const char *start = s_date_at (row, "start_date");
        const char *end = s_date_at (row, "end_date");
        if (start && end) {
            s_tag (out, "<span class=\"nowrap\">", s_date (start, false).text, "</span> to ");
            s_tag (out, "<span class=\"nowrap\">", s_date (end, false).text, "</span>");
        }
        else
        if (start || end) {
            fputs (start? "from ": "to ", out);
            s_tag (out, "<span class=\"nowrap\">", s_date (start? start: end, false).text,
                   "</span>");
            fputs (start? ", end not known": ", start not known", out);
        }
        else
            fputs ("dates not known", out);
        s_tag (out, "</td><td>", s_str (row, "reason"), "</td>");
        fprintf (out, "<td>%s</td><td>",
                 json_is_true (json_object_get (row, "rlw_commitment"))? "Yes": "No");
        const char *expiry = s_date_at (row, "accreditation_expiry");
        if (json_is_true (json_object_get (row, "accredited")) && expiry)
            s_tag (out, "Yes, to <span class=\"nowrap\">", s_date (expiry, false).text,
                   "</span>");
        else
            fputs (json_is_true (json_object_get (row, "accredited"))? "Yes": "No", out);
        fputs ("</td><td>", out);
        s_badge (out, state);
        fputs ("</td></tr>\n", out);
    }
    if (json_array_size (contracts) == 0)
        fputs ("<tr><td colspan=\"9\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    s_table_close (out);
}

//  0 for high, 1 medium, 2 low, 3 anything else (so an unknown severity
//  comes last, never first)
static int
s_severity_rank (const char *severity)
{
    static const char *severities [] = { "high", "medium", "low" };
    int rank = 0;
    while (rank < 3 && !streq (severity, severities [rank]))
        rank++;
    return rank;
}

//  The alerts in one state, most severe first, then in the document's
//  order (rule, then id). An alert id runs to "rule/partner/subject" with
//  no spaces, so it is shown under the rule's label in a smaller line that
//  may break anywhere (class alertid), its full text also in the title:
//  it must never run over the next cell, on screen, narrow, or on A4.
static void
s_alert_table (s_html_t *self, const char *state, const char *caption)
{
    FILE *out = self->out;
    json_t *alerts = s_get (self->doc, "alerts.list");
    size_t index, shown = 0;
    json_t *row;
    json_array_foreach (alerts, index, row)
        shown += streq (s_str (row, "state"), state);
    //  Fixed widths, so the tables of each state line up
    s_table_open (out, "fixed alerts");
    fprintf (out, "<caption>%s (%zu)</caption>\n<colgroup>"
             "<col class=\"severity\"/><col class=\"alert\"/><col class=\"contract\"/>"
             "<col class=\"supplier\"/><col class=\"message\"/>"
             "</colgroup>\n<thead><tr><th>Severity</th><th>Alert</th>"
             "<th>Contract</th><th>Supplier</th><th>Message</th>"
             "</tr></thead>\n<tbody>\n", caption, shown);
    for (int rank = 0; rank <= 3; rank++)
        json_array_foreach (alerts, index, row) {
            if (!streq (s_str (row, "state"), state)
            ||  s_severity_rank (s_str (row, "severity")) != rank)
                continue;
            fputs ("<tr><td>", out);
            s_badge (out, s_str (row, "severity"));
            fputs ("</td><td class=\"rule\">", out);
            s_rule_label (out, s_str (row, "rule"));
            s_tag (out, "<span class=\"alertid\" title=\"", s_str (row, "alert_id"), "\">");
            s_tag (out, "", s_str (row, "alert_id"), "</span>");
            s_tag (out, "<span class=\"aside\">raised ", s_date (s_str (row, "at"), false).text,
                   "</span></td>");
            s_contract_cell (out, row);
            s_tag (out, "<td>", s_str (row, "supplier"), "</td>");
            s_tag (out, "<td class=\"message\">", s_str (row, "message"), "");
            if (*s_str (row, "measure_name"))
                s_tag (out, "<span class=\"aside\">Measure: ", s_str (row, "measure_name"),
                       "</span>");
            fputs ("</td></tr>\n", out);
        }
    if (shown == 0)
        fputs ("<tr><td colspan=\"5\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    s_table_close (out);
}

//  Open and acknowledged alerts by rule, as the document counts them
static void
s_rule_table (s_html_t *self)
{
    FILE *out = self->out;
    json_t *by_rule = s_get (self->doc, "alerts.by_rule");
    s_table_open (out, "keep narrow");
    fputs ("<caption>Open and acknowledged alerts by rule"
           "</caption>\n<thead><tr><th>Rule</th><th class=\"num\">Alerts</th></tr></thead>\n"
           "<tbody>\n", out);
    const char *rule;
    json_t *count;
    json_object_foreach (by_rule, rule, count) {
        fputs ("<tr><td class=\"rule\">", out);
        s_rule (out, rule);
        fprintf (out, "</td><td class=\"num\">%s</td></tr>\n",
                 json_is_integer (count)? s_count ((int64_t) json_integer_value (count)).text:
                                          "–");
    }
    if (json_object_size (by_rule) == 0)
        fputs ("<tr><td colspan=\"2\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    s_table_close (out);
}


//  --------------------------------------------------------------------------
//  html: charts (inline SVG)

#define S_CHART_WIDTH 760
#define S_COLOUR_LOCAL "#1d4f7a"
#define S_COLOUR_OTHER "#9fb6cc"
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
s_svg_open (s_html_t *self, int height, const char *title, const char *desc)
{
    FILE *out = self->out;
    self->figures++;
    fprintf (out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
             "height=\"%d\" role=\"img\" aria-labelledby=\"chart%d-title chart%d-desc\">\n",
             S_CHART_WIDTH, height, S_CHART_WIDTH, height, self->figures, self->figures);
    fprintf (out, "<title id=\"chart%d-title\">", self->figures);
    s_esc (out, title);
    fprintf (out, "</title>\n<desc id=\"chart%d-desc\">", self->figures);
    s_esc (out, desc);
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
        s_esc (out, names [index]);
        fputs ("</text>\n", out);
        x += 17 + 7.0 * (double) strlen (names [index]) + 22;
    }
}

//  Spend by month: a stacked bar per month, local at the foot, then
//  non-local, then unknown locality.
static void
s_chart_months (s_html_t *self, const json_t *months)
{
    FILE *out = self->out;
    static const char *keys [] = { "local_pence", "non_local_pence", "unknown_pence" };
    static const char *names [] = { "Local", "Non-local", "Locality unknown" };
    static const char *colours [] = { S_COLOUR_LOCAL, S_COLOUR_OTHER, S_COLOUR_UNKNOWN };
    static const char *short_months [] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    size_t count = json_array_size (months);
    int64_t most = 0;
    for (size_t index = 0; index < count; index++) {
        int64_t total = 0, pence;
        for (size_t series = 0; series < 3; series++)
            if (s_int_at (json_array_get (months, index), keys [series], &pence) && pence > 0)
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
        const char *name = s_str (month, "month");
        int year = 0, number = 0;
        sscanf (name, "%4d-%2d", &year, &number);
        const char *label = number >= 1 && number <= 12? short_months [number - 1]: name;
        double x = left + band * (double) index + (band - width) / 2;
        double base = lower;
        for (size_t series = 0; series < 3; series++) {
            int64_t pence;
            if (!s_int_at (month, keys [series], &pence) || pence <= 0)
                continue;
            double h = (lower - upper) * ((double) pence / 100.0) / (double) top;
            fprintf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                     "fill=\"%s\"><title>", x, base - h, width, h, colours [series]);
            s_esc (out, label);
            fprintf (out, " %d, %s: %s</title></rect>\n", year, names [series],
                     s_pounds (pence).text);
            base -= h;
        }
        fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\" "
                 "text-anchor=\"middle\">", x + width / 2, lower + 17, S_COLOUR_TEXT);
        s_esc (out, label);
        fputs ("</text>\n", out);
        if (index == 0 || number == 1)
            fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\" "
                     "text-anchor=\"middle\">%d</text>\n", x + width / 2, lower + 33,
                     S_COLOUR_TEXT, year);
    }
    fputs ("</svg>\n", out);
}

//  One category of a horizontal bar chart
typedef struct {
    const char *label;
    const char *sublabel;       //  second, smaller line; may be NULL
    int64_t values [2];         //  pence, one per series
    const char *note;           //  after the last series' value ("17.1%"), or NULL
} s_bar_t;

//  Horizontal bars, one or two series (grouped) per category, each with
//  its value written at its end
static void
s_chart_bars (s_html_t *self, const char *title, const char *desc, size_t series,
              const char *const *names, const char *const *colours, const s_bar_t *bars,
              size_t count)
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
        const s_bar_t *item = &bars [index];
        double y = upper + row * (double) index + (row - series * bar - (series - 1) * 3) / 2;
        double text_y = y + series * bar / 2 + (item->sublabel? -2: 4.5);
        fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12.5\" fill=\"#1c2630\" "
                 "text-anchor=\"end\">", left - 10, text_y);
        s_esc (out, s_clip (item->label, clip, clipped, sizeof clipped));
        fputs ("</text>\n", out);
        if (item->sublabel) {
            fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" "
                     "text-anchor=\"end\">", left - 10, text_y + 14, S_COLOUR_TEXT);
            s_esc (out, s_clip (item->sublabel, clip + 3, clipped, sizeof clipped));
            fputs ("</text>\n", out);
        }
        for (size_t which = 0; which < series; which++) {
            int64_t pence = item->values [which];
            double width = pence > 0?
                (right - left) * ((double) pence / 100.0) / (double) top: 0;
            double bar_y = y + (double) which * (bar + 3);
            fprintf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                     "fill=\"%s\"><title>", left, bar_y, width, bar, colours [which]);
            s_esc (out, item->label);
            fprintf (out, "%s%s: %s</title></rect>\n", series > 1? ", ": "",
                     series > 1? names [which]: "", s_pounds (pence).text);
            fprintf (out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1c2630\">%s",
                     left + width + 6, bar_y + bar / 2 + 4, s_pounds_short (pence, false).text);
            if (item->note && which + 1 == series) {
                fputs (" · ", out);
                s_esc (out, item->note);
            }
            fputs ("</text>\n", out);
        }
    }
    fputs ("</svg>\n", out);
}

//  Opens a <figure> whose caption is a heading for the chart
static void
s_figure_open (FILE *out, const char *caption)
{
    s_tag (out, "<figure>\n<figcaption>", caption, "</figcaption>\n");
}


//  --------------------------------------------------------------------------
//  html: the annual report

//  Spend by month with a total column and a totals row (int64 sums)
static void
s_months_table (s_html_t *self, const json_t *months)
{
    FILE *out = self->out;
    static const char *keys [] = { "local_pence", "non_local_pence", "unknown_pence" };
    int64_t totals [4] = { 0 };
    s_table_open (out, "keep");
    fputs ("<caption>Spend by month</caption>\n<thead><tr><th>Month</th>"
           "<th class=\"num\">Local</th><th class=\"num\">Non-local</th>"
           "<th class=\"num\">Locality unknown</th><th class=\"num\">Total</th>"
           "<th class=\"num\">Local share</th></tr></thead>\n<tbody>\n", out);
    size_t index;
    json_t *month;
    json_array_foreach (months, index, month) {
        int year = 0, number = 0;
        const char *name = s_str (month, "month");
        sscanf (name, "%4d-%2d", &year, &number);
        if (number >= 1 && number <= 12)
            fprintf (out, "<tr><td>%s %d</td>", s_month_names [number - 1], year);
        else
            s_tag (out, "<tr><td>", name, "</td>");
        int64_t total = 0, local = 0;
        for (size_t series = 0; series < 3; series++) {
            int64_t pence;
            if (s_int_at (month, keys [series], &pence)) {
                total += pence;
                totals [series] += pence;
                if (series == 0)
                    local = pence;
                fprintf (out, "<td class=\"num\">%s</td>", s_pounds (pence).text);
            }
            else
                fputs ("<td class=\"num\">–</td>", out);
        }
        totals [3] += total;
        fprintf (out, "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                 s_pounds (total).text, s_ratio (local, total).text);
    }
    fputs ("</tbody>\n<tfoot><tr><td>Year</td>", out);
    for (size_t series = 0; series < 4; series++)
        fprintf (out, "<td class=\"num\">%s</td>", s_pounds (totals [series]).text);
    fprintf (out, "<td class=\"num\">%s</td></tr></tfoot>\n",
             s_ratio (totals [0], totals [3]).text);
    s_table_close (out);
}

//  Spend by kind of supplier: the document's totals, with shares
static void
s_spend_table (s_html_t *self)
{
    FILE *out = self->out;
    static const struct {
        const char *path;
        const char *label;
    } rows [] = {
        { "spend.local_pence", "Local suppliers" },
        { "spend.non_local_pence", "Non-local suppliers" },
        { "spend.unknown_locality_pence", "Suppliers whose locality is not known" },
        { "spend.total_pence", "All suppliers" },
        { "spend.sme_pence", "Small and medium-sized enterprises (SMEs)" },
        { "spend.vcse_pence", "Voluntary, community and social enterprises (VCSEs)" },
        { "spend.employee_owned_pence", "Employee-owned businesses" },
    };
    int64_t total;
    s_int_at (self->doc, "spend.total_pence", &total);
    s_table_open (out, "keep");
    fputs ("<caption>Spend by kind of supplier</caption>\n<thead><tr>"
           "<th>Suppliers</th><th class=\"num\">Spend</th><th class=\"num\">Share of all "
           "spend</th></tr></thead>\n<tbody>\n", out);
    for (size_t index = 0; index < sizeof rows / sizeof rows [0]; index++) {
        int64_t pence;
        bool known = s_int_at (self->doc, rows [index].path, &pence);
        fprintf (out, "<tr%s><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                 "</tr>\n", index == 3? " class=\"subtotal\"": "", rows [index].label,
                 known? s_pounds (pence).text: "–", known? s_ratio (pence, total).text: "–");
    }
    fputs ("</tbody>\n", out);
    s_table_close (out);
}

//  How each payment's supplier was placed (spend.by_place_source): a
//  registered office from Companies House is not always where the work is
//  done, so a reader can tell what the local figure rests on
static void
s_place_table (s_html_t *self)
{
    const json_t *rows = s_get (self->doc, "spend.by_place_source");
    if (!json_is_array (rows) || json_array_size (rows) == 0)
        return;
    static const struct {
        const char *source;
        const char *label;
    } labels [] = {
        { "payment", "The payment's own postcode" },
        { "supplier", "The partner's supplier record" },
        { "registered_office", "Registered office (Companies House)" },
        { "none", "No postcode: locality unknown" },
        { "not_recorded", "Placed before sources were recorded" },
    };
    FILE *out = self->out;
    s_table_open (out, "keep");
    fputs ("<caption>How each supplier's place was found</caption>\n"
           "<thead><tr><th>Place from</th><th class=\"num\">Payments</th><th class=\"num\">"
           "Local</th><th class=\"num\">Non-local</th><th class=\"num\">Unknown</th></tr>"
           "</thead>\n<tbody>\n", out);
    size_t index;
    const json_t *row;
    json_array_foreach (rows, index, row) {
        const char *source = json_string_value (json_object_get (row, "source"));
        const char *label = source? source: "";
        for (size_t at = 0; at < sizeof labels / sizeof labels [0]; at++)
            if (source && streq (source, labels [at].source))
                label = labels [at].label;
        fputs ("<tr><td>", out);
        s_esc (out, label);
        fprintf (out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                 "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                 s_count (json_integer_value (json_object_get (row, "payments"))).text,
                 s_pounds (json_integer_value (json_object_get (row, "local_pence"))).text,
                 s_pounds (json_integer_value (json_object_get (row, "non_local_pence"))).text,
                 s_pounds (json_integer_value (json_object_get (row, "unknown_pence"))).text);
    }
    fputs ("</tbody>\n", out);
    s_table_close (out);
}

static void
s_annual_spend (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    int64_t total, local, unknown, additional;
    s_int_at (doc, "spend.total_pence", &total);
    s_int_at (doc, "spend.local_pence", &local);
    s_int_at (doc, "spend.unknown_locality_pence", &unknown);
    bool compared = s_int_at (doc, "spend.additional_local_pence", &additional);
    fputs ("<section id=\"spend\">\n<h2><span class=\"number\">1</span>Spending with local "
           "suppliers</h2>\n<p class=\"lede\">", out);
    s_escf (out, "Of the %s the partners spent with suppliers in %s, %s (%s) went to "
             "suppliers based in the local area.", s_pounds_short (total, false).text,
             s_str (doc, "year"), s_pounds_short (local, false).text,
             s_share (s_get (doc, "spend.local_share")).text);
    if (compared) {
        fprintf (out, " That is %s %s than in ", s_pounds_short (additional < 0? -additional:
                                                                additional, false).text,
                 additional < 0? "less": "more");
        s_esc (out, s_str (doc, "spend.previous_year"));
        fputs (".", out);
    }
    fprintf (out, " A further %s was spent with suppliers whose location is not known; it is "
             "counted neither as local nor as non-local.</p>\n",
             s_pounds_short (unknown, false).text);
    s_figure_open (out, "Spend by month");
    s_chart_months (self, s_get (doc, "spend.by_month"));
    fputs ("</figure>\n", out);
    s_months_table (self, s_get (doc, "spend.by_month"));
    fputs ("<div class=\"pair\">\n<div>\n", out);
    s_spend_table (self);
    fputs ("</div>\n<div>\n", out);
    s_html_table (self, &s_spend_by_ward, "Local spend by the supplier's ward", "keep");
    fputs ("</div>\n</div>\n", out);
    s_place_table (self);
    fputs ("</section>\n", out);
}

static void
s_annual_social_value (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    int64_t committed, delivered;
    s_int_at (doc, "social_value.committed_pence", &committed);
    s_int_at (doc, "social_value.delivered_pence", &delivered);
    fputs ("<section id=\"social-value\">\n<h2><span class=\"number\">2</span>Social value "
           "committed and delivered</h2>\n<p class=\"lede\">", out);
    s_escf (out, "Suppliers committed to %s of social value for %s and delivered %s, %s of "
             "the value committed. Deliveries count when they are ",
             s_pounds_short (committed, false).text, s_str (doc, "year"),
             s_pounds_short (delivered, false).text, s_ratio (delivered, committed).text);
    s_prose_list (out, s_get (doc, "evidence_counted"));
    fputs (".</p>\n", out);
    s_framework_note (self, "social_value.frameworks");
    s_html_table (self, &s_annual_frameworks, "Frameworks behind the pounds", "keep narrow");

    json_t *themes = s_get (doc, "social_value.by_theme");
    size_t count = json_array_size (themes);
    s_bar_t *bars = (s_bar_t *) calloc (count + 1, sizeof *bars);
    size_t valued = 0;
    if (bars) {
        //  Themes with a £ value only: a record-only theme has no bar
        for (size_t index = 0; index < count; index++) {
            json_t *theme = json_array_get (themes, index);
            if (json_is_true (json_object_get (theme, "record_only")))
                continue;
            bars [valued].label = s_str (theme, "theme");
            s_int_at (theme, "committed_pence", &bars [valued].values [0]);
            s_int_at (theme, "delivered_pence", &bars [valued].values [1]);
            valued++;
        }
        static const char *names [] = { "Committed", "Delivered" };
        static const char *colours [] = { S_COLOUR_OTHER, S_COLOUR_LOCAL };
        s_figure_open (out, "Social value by theme");
        s_chart_bars (self, "Social value committed and delivered, by theme",
                      "Pairs of horizontal bars, one pair for each theme, of the social value "
                      "committed and delivered. The table below gives the figures.",
                      2, names, colours, bars, valued);
        fputs ("</figure>\n", out);
        free (bars);
    }
    //  By theme, with delivered as a share of committed and a total row
    s_table_open (out, "keep");
    fputs ("<caption>By theme</caption>\n<thead><tr><th>Theme</th>"
           "<th class=\"num\">Committed</th><th class=\"num\">Delivered</th>"
           "<th class=\"num\">Delivered of committed</th></tr></thead>\n<tbody>\n", out);
    for (size_t index = 0; index < count; index++) {
        json_t *theme = json_array_get (themes, index);
        int64_t theme_committed = 0, theme_delivered = 0;
        s_int_at (theme, "committed_pence", &theme_committed);
        s_int_at (theme, "delivered_pence", &theme_delivered);
        s_tag (out, "<tr><td>", s_str (theme, "theme"), "</td>");
        if (json_is_true (json_object_get (theme, "record_only")))
            fputs ("<td colspan=\"3\" class=\"withheld\">record only: counted in its"
                   " measures' units below, no £ value</td></tr>\n", out);
        else
            fprintf (out, "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                     "<td class=\"num\">%s</td></tr>\n", s_pounds (theme_committed).text,
                     s_pounds (theme_delivered).text,
                     s_ratio (theme_delivered, theme_committed).text);
    }
    fprintf (out, "</tbody>\n<tfoot><tr><td>All themes</td><td class=\"num\">%s</td>"
             "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr></tfoot>\n",
             s_pounds (committed).text, s_pounds (delivered).text,
             s_ratio (delivered, committed).text);
    s_table_close (out);
    s_html_table (self, &s_by_measure, "By measure", NULL);

    fprintf (out, "<div class=\"pair\">\n<div>\n");
    s_html_table (self, &s_delivered_by_ward, "Delivered by ward", "keep");
    fputs ("</div>\n<div>\n", out);
    s_html_table (self, &s_by_group, "Delivered by beneficiary group", "keep");
    fprintf (out, "</div>\n</div>\n<p class=\"note\">Where fewer than %" PRId64 " deliveries "
             "fall in a ward or group, its figures are not shown, so that no person can be "
             "identified.", self->threshold);
    int64_t flagged;
    if (s_int_at (doc, "social_value.flagged_lines", &flagged) && flagged > 0)
        fprintf (out, " %s %s could not be valued (a measure the framework does not know, "
                 "or no proxy value for the year) and %s not counted in any figure.",
                 s_count (flagged).text, flagged == 1? "line": "lines",
                 flagged == 1? "is": "are");
    fputs ("</p>\n</section>\n", out);
}

static void
s_annual_contracts (s_html_t *self)
{
    FILE *out = self->out;
    json_t *top = s_get (self->doc, "social_value.top_contracts");
    size_t count = json_array_size (top);
    fputs ("<section id=\"contracts\">\n<h2><span class=\"number\">3</span>Contracts "
           "delivering the most social value</h2>\n", out);
    if (count > 0) {
        json_t *first = json_array_get (top, 0);
        int64_t pence;
        s_int_at (first, "delivered_pence", &pence);
        fputs ("<p class=\"lede\">The largest contribution came from ", out);
        s_esc (out, s_str (first, "supplier"));
        fputs ("'s contract ", out);
        s_esc (out, s_str (first, "contract"));
        fputs (" (", out);
        s_esc (out, s_str (first, "title"));
        s_escf (out, ") for %s, which delivered %s: %s of all social value delivered.",
                s_partner_of (first), s_pounds_short (pence, false).text,
                s_share (json_object_get (first, "share")).text);
        fputs ("</p>\n", out);
    }
    s_bar_t *bars = (s_bar_t *) calloc (count + 1, sizeof *bars);
    s_text_t *notes = (s_text_t *) calloc (count + 1, sizeof *notes);
    if (bars && notes) {
        for (size_t index = 0; index < count; index++) {
            json_t *contract = json_array_get (top, index);
            bars [index].label = s_str (contract, "title");
            bars [index].sublabel = s_str (contract, "supplier");
            s_int_at (contract, "delivered_pence", &bars [index].values [0]);
            notes [index] = s_share (json_object_get (contract, "share"));
            bars [index].note = notes [index].text;
        }
        static const char *names [] = { "Delivered" };
        static const char *colours [] = { S_COLOUR_LOCAL };
        s_figure_open (out, "Social value delivered by contract, with its share of the total");
        s_chart_bars (self, "The contracts that delivered the most social value",
                      "Horizontal bars, largest first, of the social value each contract "
                      "delivered, labelled with its share of all social value delivered. The "
                      "table below gives the figures.", 1, names, colours, bars, count);
        fputs ("</figure>\n", out);
    }
    free (bars);
    free (notes);
    s_html_table (self, &s_top_contracts, "Top contracts by social value delivered", "keep");
    s_framework_note (self, "social_value.frameworks");
    fputs ("</section>\n", out);
}

//  The partners' own accreditation renewals and the pending rate's uplift
//  deadline, days counted from rlw.as_of; nothing for a document without
//  them (the rlw-scope report)
static void
s_rlw_dates (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    if (!s_get (doc, "rlw.renewals"))
        return;
    s_html_table (self, &s_rlw_renewals, "The partners' own Real Living Wage accreditation",
                  "keep narrow");
    fputs ("<p class=\"note\">", out);
    int64_t year, uk, london, days;
    const char *deadline = s_date_at (s_get (doc, "rlw.rate"), "deadline");
    if (s_int_at (doc, "rlw.rate.year", &year) && s_int_at (doc, "rlw.rate.uk_pence", &uk)
    &&  s_int_at (doc, "rlw.rate.london_pence", &london)
    &&  s_int_at (doc, "rlw.rate.days_left", &days) && deadline)
        s_escf (out, "The Real Living Wage rate for %" PRId64 " (UK £%" PRId64 ".%02" PRId64
                ", London £%" PRId64 ".%02" PRId64 " an hour) must be paid by %s: %" PRId64
                " days from %s.", year, uk / 100, uk % 100, london / 100, london % 100,
                s_date (deadline, true).text, days,
                s_date (s_str (doc, "rlw.as_of"), true).text);
    else
        s_escf (out, "No Real Living Wage rise is pending on %s.",
                s_date (s_str (doc, "rlw.as_of"), true).text);
    fputs (" Days left are counted from the report's date.</p>\n", out);
}

//  The Real Living Wage counts as a row of figures, then the contracts
static void
s_rlw_section (s_html_t *self, int number)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    int64_t missing;
    s_int_at (doc, "rlw.missing_commitment", &missing);
    if (number)
        fprintf (out, "<section id=\"rlw\">\n<h2><span class=\"number\">%d</span>Real Living "
                 "Wage</h2>\n", number);
    else
        fputs ("<section id=\"rlw\">\n<h2>Contracts in scope</h2>\n", out);
    fputs ("<p class=\"lede\">Contracts whose workers regularly work on a partner's premises "
           "are in scope: the supplier should commit to paying the Real Living Wage on the "
           "contract, or hold a current accreditation.</p>\n<ul class=\"stats\">\n", out);
    fprintf (out, "<li><strong>%s</strong>contracts in scope</li>\n"
             "<li><strong>%s</strong>with a commitment</li>\n"
             "<li><strong>%s</strong>with an accredited supplier</li>\n"
             "<li class=\"%s\"><strong>%s</strong>with neither</li>\n</ul>\n",
             s_count_at (doc, "rlw.in_scope_contracts").text,
             s_count_at (doc, "rlw.with_commitment").text,
             s_count_at (doc, "rlw.accredited_supplier").text,
             missing > 0? "bad": "ok", s_count_at (doc, "rlw.missing_commitment").text);
    s_rlw_table (self);
    if (missing > 0)
        fputs ("<p class=\"note\">Highlighted rows are contracts with neither a commitment "
               "nor an accredited supplier.</p>\n", out);
    s_rlw_dates (self);
    fputs ("</section>\n", out);
}

static const char *s_states [][2] = {
    { "open", "Open" },
    { "acknowledged", "Acknowledged" },
    { "resolved", "Resolved in the last 90 days" }
};

static void
s_alerts_section (s_html_t *self, int number, bool resolved)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    if (number)
        fprintf (out, "<section id=\"alerts\">\n<h2><span class=\"number\">%d</span>Compliance "
                 "alerts</h2>\n", number);
    else
        fputs ("<section id=\"alerts\">\n", out);
    int64_t open;
    s_int_at (doc, "alerts.open", &open);
    fprintf (out, "<ul class=\"stats\">\n<li class=\"%s\"><strong>%s</strong>open</li>\n"
             "<li><strong>%s</strong>acknowledged</li>\n", open > 0? "bad": "ok",
             s_count_at (doc, "alerts.open").text, s_count_at (doc, "alerts.acknowledged").text);
    if (resolved)
        fprintf (out, "<li><strong>%s</strong>resolved in the last 90 days</li>\n",
                 s_count_at (doc, "alerts.resolved_recently").text);
    fputs ("</ul>\n", out);
    s_rule_table (self);
    for (size_t state = 0; state < (resolved? 3u: 2u); state++)
        s_alert_table (self, s_states [state][0], s_states [state][1]);
    fputs ("</section>\n", out);
}

static void
s_annual_body (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    s_page_open (self, "Social value report");
    int64_t total, local, unknown, additional, delivered, committed, previous;
    s_int_at (doc, "spend.total_pence", &total);
    s_int_at (doc, "spend.local_pence", &local);
    s_int_at (doc, "spend.unknown_locality_pence", &unknown);
    bool compared = s_int_at (doc, "spend.additional_local_pence", &additional);
    s_int_at (doc, "spend.previous_year_local_pence", &previous);
    s_int_at (doc, "social_value.committed_pence", &committed);
    s_int_at (doc, "social_value.delivered_pence", &delivered);
    fputs ("<section class=\"cards\" aria-label=\"Headline figures\">\n", out);
    s_card (out, "Total spend", s_pounds_short (total, false).text, false, "%s in %s payments",
            s_pounds (total).text, s_count_at (doc, "spend.rows").text);
    s_card (out, "Spent with local suppliers", s_pounds_short (local, false).text, false,
            "%s of all spend: %s", s_share (s_get (doc, "spend.local_share")).text,
            s_pounds (local).text);
    s_card (out, additional < 0? "Change in local spend": "Additional local spend",
            compared? s_pounds_short (additional, true).text: "–", additional < 0,
            "%s locally in %s against %s in %s", s_pounds_short (local, false).text,
            s_str (doc, "year"), compared? s_pounds_short (previous, false).text: "–",
            s_str (doc, "spend.previous_year"));
    s_card (out, "Supplier's locality unknown", s_pounds_short (unknown, false).text, false,
            "%s of all spend: %s, counted neither local nor non-local",
            s_ratio (unknown, total).text, s_pounds (unknown).text);
    s_card (out, "Social value committed", s_pounds_short (committed, false).text, false,
            "%s committed by suppliers for %s", s_pounds (committed).text, s_str (doc, "year"));
    s_card (out, "Social value delivered", s_pounds_short (delivered, false).text, false,
            "%s: %s of the value committed", s_pounds (delivered).text,
            s_ratio (delivered, committed).text);
    fputs ("</section>\n", out);
    s_framework_note (self, "social_value.frameworks");

    s_annual_spend (self);
    s_annual_social_value (self);
    s_annual_contracts (self);
    s_rlw_section (self, 4);
    s_alerts_section (self, 5, false);
    reporting_method_html (out, doc, 6);

    char how [1024];
    snprintf (how, sizeof how,
              "<dt>What counts</dt><dd>Spend counts in the financial year of its payment date; "
              "a commitment in the year it names; a delivery in the year its period ends. "
              "Local spend is spend with suppliers whose postcode is in a partner's local area; "
              "a supplier whose postcode is not known is counted neither as local nor as "
              "non-local.</dd>\n<dt>Small numbers</dt><dd>Rows for fewer than %" PRId64
              " deliveries are withheld.</dd>\n", self->threshold);
    s_page_close (self, how);
}


//  --------------------------------------------------------------------------
//  html: partnership, rlw-scope, alerts

//  The partners side by side: one row per figure, one column per partner,
//  then the network
static void
s_partner_table (s_html_t *self, const json_t *partners)
{
    FILE *out = self->out;
    const json_t *network = s_get (self->doc, "network");
    size_t count = json_array_size (partners);
    s_table_open (out, "keep fixed sidebyside");
    fprintf (out, "<caption>The partners side by side</caption>\n<colgroup><col style=\"width: %d%%\"/></colgroup>\n<thead><tr><th></th>",
             count > 4? 16: 22);
    for (size_t index = 0; index < count; index++)
        s_tag (out, "<th class=\"num\">", s_partner_of (json_array_get (partners, index)),
               "</th>");
    fputs ("<th class=\"num\">All partners</th></tr></thead>\n<tbody>\n", out);
    for (const s_column_t *column = s_partner_columns; column->key; column++) {
        if (column->flags & S_NOT_HTML)
            continue;
        s_tag (out, "<tr><td>", column->heading, "</td>");
        for (size_t index = 0; index <= count; index++) {
            const json_t *row = index < count? json_array_get (partners, index): network;
            if (index == count && !json_object_get (network, column->key))
                fputs ("<td class=\"num\"></td>", out);
            else
                s_html_cell (self, column, row, false);
        }
        fputs ("</tr>\n", out);
    }
    fputs ("</tbody>\n", out);
    s_table_close (out);
}

//  One cell of the side-by-side table: what partner delivered towards
//  outcome ("" for the measures the crosswalk maps to none), quantity by
//  unit (units in first-seen order), then the £ delivered where its
//  measures have a value, or that they have none
static void
s_outcome_cell (FILE *out, const json_t *rows, const char *outcome, const char *partner)
{
    const char *units [16];
    int64_t delivered [16], pence = 0;
    size_t count = 0, index;
    bool valued = false, any = false;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!streq (s_str (row, "outcome"), outcome) || !streq (s_str (row, "partner"), partner))
            continue;
        any = true;
        int64_t milli = 0, value = 0;
        s_milli (json_object_get (row, "delivered_qty"), &milli);
        size_t unit = 0;
        while (unit < count && !streq (units [unit], s_str (row, "unit")))
            unit++;
        if (unit == count && count < 16) {
            units [count] = s_str (row, "unit");
            delivered [count++] = 0;
        }
        if (unit < count)
            delivered [unit] += milli;
        if (s_int_at (row, "delivered_pence", &value)) {
            pence += value;
            valued = true;
        }
    }
    if (!any) {
        fputs ("<td class=\"withheld\">–</td>", out);
        return;
    }
    fputs ("<td>", out);
    for (size_t unit = 0; unit < count; unit++) {
        json_t *quantity = json_real ((double) delivered [unit] / 1000.0);
        s_tag (out, "<span class=\"aside nowrap\">", s_quantity (quantity, units [unit]).text,
               "</span>");
        json_decref (quantity);
    }
    if (valued)
        s_tag (out, "<strong class=\"nowrap\">", s_pounds (pence).text, "</strong>");
    else
        fputs ("<span class=\"aside\">no £ value (record only)</span>", out);
    fputs ("</td>", out);
}

//  The partners side by side by common outcome, when the report has a
//  crosswalk: a row per outcome (and one for measures it maps to none), a
//  column per partner naming its framework, each cell what was delivered
//  in the measures' own units and the £ where a framework prices them
static void
s_outcome_section (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    json_t *crosswalk = s_get (doc, "crosswalk");
    if (!json_is_object (crosswalk))
        return;
    fputs ("<section id=\"outcomes\">\n<h2>Delivery by common outcome</h2>\n"
           "<p class=\"lede\">Partners on different frameworks cannot add their pounds: a "
           "framework that publishes metrics and no proxy values (the Social Value Model) "
           "records quantities only. Here each partner's deliveries are set side by side by "
           "the outcome they serve, in their own units, with the pounds only where the "
           "partner's framework gives a value.</p>\n", out);
    if (*s_str (crosswalk, "problem")) {
        s_tag (out, "<p class=\"note\">The crosswalk ", s_str (crosswalk, "file"), "");
        s_tag (out, " could not be read, so no outcome is shown: ", s_str (crosswalk, "problem"),
               ".</p>\n</section>\n");
        return;
    }
    json_t *rows = s_get (doc, "by_outcome");
    json_t *partners = s_get (doc, "by_partner");
    size_t index, at;
    json_t *row, *partner;
    s_table_open (out, "outcomes");
    fputs ("<caption>Delivered in the year, by common outcome and partner</caption>\n"
           "<thead><tr><th>Outcome</th>", out);
    json_array_foreach (partners, index, partner) {
        s_tag (out, "<th>", s_partner_of (partner), "");
        //  The frameworks this partner's lines were valued with
        const char *shown = NULL;
        json_array_foreach (rows, at, row)
            if (streq (s_str (row, "partner"), s_str (partner, "partner"))
            &&  (!shown || !streq (shown, s_str (row, "framework")))) {
                shown = s_str (row, "framework");
                s_tag (out, "<span class=\"aside\">", shown, "</span>");
            }
        fputs ("</th>", out);
    }
    fputs ("</tr></thead>\n<tbody>\n", out);
    json_t *outcomes = json_deep_copy (json_object_get (crosswalk, "outcomes"));
    json_array_foreach (rows, index, row)
        if (!*s_str (row, "outcome")) {
            json_array_append_new (outcomes, json_string (""));
            break;
        }
    json_t *outcome;
    json_array_foreach (outcomes, index, outcome) {
        const char *name = json_string_value (outcome);
        s_tag (out, "<tr><th scope=\"row\">", *name? name: "Not mapped to a common outcome",
               "</th>");
        json_array_foreach (partners, at, partner)
            s_outcome_cell (out, rows, name, s_str (partner, "partner"));
        fputs ("</tr>\n", out);
    }
    json_decref (outcomes);
    fputs ("</tbody>\n", out);
    s_table_close (out);
    s_tag (out, "<p class=\"note\">Outcomes from the crosswalk ", s_str (crosswalk, "file"),
           "; each measure behind a cell is listed in the by_outcome table of the CSV, XLSX"
           " and JSON forms of this report.</p>\n</section>\n");
}

static void
s_partnership_body (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    s_page_open (self, "Social value partnership report");
    int64_t total, local, delivered, committed, missing;
    s_int_at (doc, "network.spend_total_pence", &total);
    s_int_at (doc, "network.local_pence", &local);
    s_int_at (doc, "network.committed_pence", &committed);
    s_int_at (doc, "network.delivered_pence", &delivered);
    s_int_at (doc, "network.missing_commitment", &missing);
    fputs ("<section class=\"cards four\" aria-label=\"Headline figures\">\n", out);
    s_card (out, "Total spend", s_pounds_short (total, false).text, false, "%s by all partners",
            s_pounds (total).text);
    s_card (out, "Spent with local suppliers", s_pounds_short (local, false).text, false,
            "%s of all spend: %s", s_share (s_get (doc, "network.local_share")).text,
            s_pounds (local).text);
    s_card (out, "Social value delivered", s_pounds_short (delivered, false).text, false,
            "%s of the %s committed", s_ratio (delivered, committed).text,
            s_pounds_short (committed, false).text);
    s_card (out, "Real Living Wage commitment missing", s_count (missing).text, missing > 0,
            "of %s contracts in scope; %s open alerts",
            s_count_at (doc, "network.in_scope_contracts").text,
            s_count_at (doc, "network.open_alerts").text);
    fputs ("</section>\n<section id=\"partners\">\n<h2>The partners compared</h2>\n", out);

    json_t *partners = s_get (doc, "by_partner");
    size_t count = json_array_size (partners);
    s_bar_t *bars = (s_bar_t *) calloc (count + 1, sizeof *bars);
    s_text_t *notes = (s_text_t *) calloc (count + 1, sizeof *notes);
    if (bars && notes) {
        for (size_t index = 0; index < count; index++) {
            json_t *partner = json_array_get (partners, index);
            bars [index].label = s_partner_of (partner);
            s_int_at (partner, "spend_total_pence", &bars [index].values [0]);
            s_int_at (partner, "local_pence", &bars [index].values [1]);
            notes [index] = s_share (json_object_get (partner, "local_share"));
            bars [index].note = notes [index].text;
        }
        static const char *names [] = { "Total spend", "Local spend" };
        static const char *colours [] = { S_COLOUR_OTHER, S_COLOUR_LOCAL };
        s_figure_open (out, "Spend and local spend by partner");
        s_chart_bars (self, "Total spend and local spend by partner",
                      "Pairs of horizontal bars, one pair for each partner, of its total spend "
                      "and its spend with local suppliers, labelled with the local share. The "
                      "table below gives the figures.", 2, names, colours, bars, count);
        fputs ("</figure>\n", out);
    }
    free (bars);
    free (notes);
    s_partner_table (self, partners);
    s_framework_note (self, "frameworks");
    fputs ("</section>\n<section id=\"themes\">\n<h2>Social value by theme, partner by "
           "partner</h2>\n<p class=\"lede\">What each partner's suppliers committed and "
           "delivered under each theme, so that each partner's priorities can be followed."
           "</p>\n", out);
    s_html_table (self, &s_by_partner_theme, "Social value by partner and theme", NULL);
    s_framework_note (self, "frameworks");
    s_html_table (self, &s_network_frameworks, "Frameworks behind the pounds", "keep narrow");
    fputs ("</section>\n", out);
    s_outcome_section (self);
    fputs ("<section id=\"rlw\">\n<h2>Real Living Wage dates</h2>\n", out);
    s_rlw_dates (self);
    fputs ("</section>\n", out);
    s_page_close (self, NULL);
}

static void
s_rlw_body (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    s_page_open (self, "Real Living Wage scope");
    int64_t weeks;
    fputs ("<section id=\"criteria\">\n<h2>How contracts come into scope</h2>\n"
           "<p class=\"lede\">A contract is in scope when the feed flags it so, or when its "
           "category is one of ", out);
    json_t *categories = s_get (doc, "criteria.categories");
    if (json_array_size (categories))
        s_prose_list (out, categories);
    else
        fputs ("(none configured)", out);
    if (s_int_at (doc, "criteria.min_weeks", &weeks))
        fprintf (out, " and it runs for %s weeks or more (a contract whose dates are not known "
                 "is counted in, so that it is checked rather than assumed out of scope)",
                 s_count (weeks).text);
    fputs (". Only contracts active during the year are listed.</p>\n</section>\n", out);
    s_rlw_section (self, 0);
    if (json_array_size (s_get (doc, "rlw.suggested_by_sic"))) {
        fputs ("<section id=\"suggested\">\n<h2>Suggested by the supplier's SIC codes</h2>\n"
               "<p class=\"lede\">These contracts are not in scope by the category their "
               "feed gives, but Companies House lists their supplier under an activity that "
               "usually is (SIC 2007: cleaning, security, catering, care, facilities). A "
               "suggestion to check, not counted above.</p>\n", out);
        s_html_table (self, &s_rlw_suggested, "Suggested by SIC code", "keep");
        fputs ("</section>\n", out);
    }
    s_page_close (self, NULL);
}

static void
s_alerts_body (s_html_t *self)
{
    s_page_open (self, "Compliance alerts");
    s_alerts_section (self, 0, true);
    s_page_close (self, NULL);
}

//  Opens a table of rows grouped under heading rows (a contract's), with
//  its caption and the column headings (th cells, as html)
static void
s_grouped_open (FILE *out, const char *caption, const char *headings)
{
    s_table_open (out, "contracts");
    s_tag (out, "<caption>", caption, "</caption>\n");
    fprintf (out, "<thead><tr>%s</tr></thead>\n", headings);
}

//  Draws rows (each with "partner") as one table per partner, in the
//  document's order of partners, each captioned with the partner's name;
//  one table captioned caption when there is no row at all
typedef void (s_rows_table_fn) (s_html_t *self, const json_t *rows, const char *caption);

static void
s_per_partner (s_html_t *self, const json_t *rows, s_rows_table_fn *table, const char *caption)
{
    size_t index, tables = 0;
    json_t *partner;
    json_array_foreach (s_get (self->doc, "partners"), index, partner) {
        json_t *own = json_array ();
        size_t at;
        json_t *row;
        json_array_foreach (rows, at, row)
            if (json_equal (json_object_get (row, "partner"), partner))
                json_array_append (own, row);
        if (json_array_size (own)) {
            table (self, own, s_partner_named (self->doc, json_string_value (partner)));
            tables++;
        }
        json_decref (own);
    }
    if (!tables)
        table (self, rows, caption);
}

//  A value cell of the contracts table: the pence, or "not valued" when
//  valuation could not value some of the row's lines (unvalued_key counts
//  them), since £0 would read as nothing committed
static void
s_contract_value (FILE *out, const json_t *row, const char *pence_key, const char *unvalued_key)
{
    int64_t unvalued = json_integer_value (json_object_get (row, unvalued_key));
    int64_t pence = json_integer_value (json_object_get (row, pence_key));
    if (unvalued > 0 && pence == 0)
        fputs ("<td class=\"num withheld\">not valued</td>", out);
    else
    if (unvalued > 0)
        fprintf (out, "<td class=\"num\">%s<span class=\"aside\">%s not valued</span></td>",
                 s_pounds (pence).text, unvalued == 1? "a line": "lines");
    else
        fprintf (out, "<td class=\"num\">%s</td>", s_pounds (pence).text);
}

//  One partner's rows of the contracts report: a heading row for each
//  contract (id, title, supplier, dates), then a row for each measure,
//  named as the framework words it, with what was committed and delivered,
//  the evidence, the returns, the status and the change on last year
static void
s_contracts_table (s_html_t *self, const json_t *rows, const char *caption)
{
    FILE *out = self->out;
    s_grouped_open (out, caption, "<th>Measure</th><th class=\"num\">Committed</th>"
        "<th class=\"num\">Delivered</th><th class=\"num\">Value committed</th>"
        "<th class=\"num\">Value delivered</th><th>Evidence</th><th>Latest return</th>"
        "<th>Status</th><th class=\"num\">Change on last year</th>");
    const char *contract = NULL;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!contract || !streq (contract, s_str (row, "contract"))) {
            if (contract)
                fputs ("</tbody>\n", out);
            contract = s_str (row, "contract");
            s_tag (out, "<tbody>\n<tr class=\"group\"><th colspan=\"9\" scope=\"rowgroup\">"
                   "<span class=\"code\">", contract, "</span> ");
            s_esc (out, s_str (row, "title"));
            s_tag (out, "<span class=\"aside\">", s_str (row, "supplier"), "");
            const char *start = s_date_at (row, "start_date"), *end = s_date_at (row, "end_date");
            if (start && end) {
                fputs (", ", out);
                s_tag (out, "<span class=\"nowrap\">", s_date (start, false).text, "</span> to ");
                s_tag (out, "<span class=\"nowrap\">", s_date (end, false).text, "</span>");
            }
            fputs ("</span></th></tr>\n", out);
        }
        const char *unit = s_str (row, "unit");
        s_tag (out, "<tr><td><span class=\"code\">", s_str (row, "measure"), "</span>");
        s_tag (out, "<span class=\"aside\">", s_str (row, "description"), "</span></td>");
        s_tag (out, "<td class=\"num\">",
               s_quantity (json_object_get (row, "committed_qty"), unit).text, "</td>");
        s_tag (out, "<td class=\"num\">",
               s_quantity (json_object_get (row, "delivered_qty"), unit).text, "</td>");
        s_contract_value (out, row, "committed_pence", "committed_unvalued");
        s_contract_value (out, row, "delivered_pence", "delivered_unvalued");
        //  The returns counted in each evidence state, strongest first
        fputs ("<td>", out);
        const char *states [] = { "validated", "evidenced", "claimed" };
        bool any = false;
        for (size_t state = 0; state < 3; state++) {
            int64_t count = json_integer_value (json_object_get (row, states [state]));
            if (count > 0)
                fprintf (out, "%s<span class=\"nowrap\">%s %s</span>", any? ", ": "",
                         s_count (count).text, states [state]);
            any = any || count > 0;
        }
        fputs (any? "</td>": "none counted</td>", out);
        const char *last = s_date_at (row, "last_return_end");
        const char *due = s_date_at (row, "next_return_due");
        fputs ("<td>", out);
        s_tag (out, last? "<span class=\"nowrap\">to ": "", last? s_date (last, false).text:
               "none yet", last? "</span>": "");
        if (due)
            s_tag (out, "<span class=\"aside\">next due ", s_date (due, false).text, "</span>");
        fputs ("</td><td>", out);
        s_badge (out, s_str (row, "status"));
        if (*s_str (row, "status_reason"))
            s_tag (out, "<span class=\"aside\">", s_str (row, "status_reason"), "</span>");
        s_tag (out, "</td><td class=\"num\">",
               s_share (json_object_get (row, "delivered_change")).text, "</td></tr>\n");
    }
    if (!contract)
        fputs ("<tbody>\n<tr><td colspan=\"9\" class=\"withheld\">None.</td></tr>\n", out);
    fputs ("</tbody>\n", out);
    s_table_close (out);
}

//  The status rule in the words REPORT_JSON.md uses, with the document's
//  own parameters, then a table a partner
static void
s_contracts_body (s_html_t *self)
{
    FILE *out = self->out;
    const json_t *doc = self->doc;
    s_page_open (self, "Contract management");
    int64_t tolerance = 0, months = 0, grace = 0;
    s_int_at (doc, "rules.shortfall_tolerance_pct", &tolerance);
    s_int_at (doc, "rules.return_period_months", &months);
    s_int_at (doc, "rules.overdue_grace_days", &grace);
    fputs ("<section id=\"status\">\n<h2>How the status is set</h2>\n<p class=\"lede\">", out);
    s_escf (out, "As of %s, by compliance's rules. Red: an open delivery shortfall or "
            "overdue alert on the contract, delivery more than %" PRId64 "%% below the "
            "commitment pro rata to the time the contract has run, or a %" PRId64 "-monthly "
            "return more than %" PRId64 " days late. Amber: delivery below the commitment pro "
            "rata but within that tolerance, or a return period ended whose return is not in "
            "but still within its %" PRId64 " days. Green otherwise. Quantities and values "
            "are the year's; the change is delivered value against the previous year's.",
            s_str (doc, "rules.as_of"), tolerance, months, grace, grace);
    fputs ("</p>\n</section>\n<section id=\"contracts\">\n<h2>Contracts</h2>\n", out);
    s_per_partner (self, s_get (doc, "contracts"), s_contracts_table, "Contracts");
    fputs ("</section>\n", out);
    s_page_close (self, NULL);
}

//  One partner's KPIs: a heading row for each contract (id, title,
//  supplier), then a row for each KPI with its target, the target to
//  date, the actual, the performance and its rating, coloured as the
//  contracts report colours its status
static void
s_kpi_table (s_html_t *self, const json_t *rows, const char *caption)
{
    static const struct {
        const char *rating, *colour;
    } colours [] = {
        { "Good", "green" }, { "Approaching target", "amber" },
        { "Requires improvement", "amber" }, { "Inadequate", "red" }
    };
    FILE *out = self->out;
    s_grouped_open (out, caption, "<th>KPI</th><th class=\"num\">Target</th>"
        "<th class=\"num\">Target to date</th><th class=\"num\">Actual</th>"
        "<th class=\"num\">Performance</th><th>Rating</th>");
    const char *contract = NULL;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!contract || !streq (contract, s_str (row, "contract"))) {
            fputs (contract? "</tbody>\n": "", out);
            contract = s_str (row, "contract");
            s_tag (out, "<tbody>\n<tr class=\"group\"><th colspan=\"6\" scope=\"rowgroup\">"
                   "<span class=\"code\">", contract, "</span> ");
            s_esc (out, s_str (row, "title"));
            s_tag (out, "<span class=\"aside\">", s_str (row, "supplier"), "</span></th></tr>\n");
        }
        const char *unit = s_str (row, "unit");
        s_tag (out, "<tr><td><span class=\"code\">", s_str (row, "kpi"), "</span>");
        s_tag (out, "<span class=\"aside\">", s_str (row, "name"), "</span></td>");
        const char *quantities [] = { "target_qty", "period_target_qty", "actual_qty" };
        for (size_t at = 0; at < 3; at++)
            s_tag (out, "<td class=\"num\">",
                   s_quantity (json_object_get (row, quantities [at]), unit).text, "</td>");
        int64_t pct;
        if (s_int_at (row, "performance_pct", &pct))
            fprintf (out, "<td class=\"num\">%" PRId64 "%%</td>", pct);
        else
            fputs ("<td class=\"num withheld\">–</td>", out);
        const char *rating = s_str (row, "rating"), *colour = "low";
        for (size_t at = 0; at < sizeof colours / sizeof colours [0]; at++)
            if (streq (rating, colours [at].rating))
                colour = colours [at].colour;
        fprintf (out, "<td><span class=\"badge %s\">", colour);
        s_esc (out, rating);
        fputs ("</span></td></tr>\n", out);
    }
    fputs (contract? "</tbody>\n": "<tbody>\n<tr><td colspan=\"6\" class=\"withheld\">None."
                                    "</td></tr>\n</tbody>\n", out);
    s_table_close (out);
}

//  The kpi report: the rule, then each partner's KPIs with their ratings
static void
s_kpi_body (s_html_t *self)
{
    FILE *out = self->out;
    s_page_open (self, "Contract performance (Procurement Act KPIs)");
    fputs ("<section id=\"rule\">\n<h2>How KPIs are rated</h2>\n<p class=\"lede\">", out);
    int64_t good = 0, approaching = 0, improvement = 0;
    s_int_at (self->doc, "rating_rule.good_pct", &good);
    s_int_at (self->doc, "rating_rule.approaching_pct", &approaching);
    s_int_at (self->doc, "rating_rule.improvement_pct", &improvement);
    s_escf (out, "As of %s: performance is %s; the target is %s. Good at %" PRId64 "%% or"
            " more, Approaching target at %" PRId64 "%% or more, Requires improvement at"
            " %" PRId64 "%% or more, Inadequate below; Other with no actual or no target."
            " The OCDS release package for publication is the json of this report.",
            s_str (self->doc, "rating_rule.as_of"),
            s_str (self->doc, "rating_rule.performance"),
            s_str (self->doc, "rating_rule.target_for_period"), good, approaching, improvement);
    fputs ("</p>\n</section>\n<section id=\"kpis\">\n<h2>KPIs</h2>\n", out);
    s_per_partner (self, s_get (self->doc, "kpis"), s_kpi_table, "KPIs");
    fputs ("</section>\n", out);
    s_page_close (self, NULL);
}

static int
s_render_html (const json_t *doc, const s_kind_t *kind, const char *base, zlistx_t *files)
{
    s_stream_t stream;
    if (s_stream_open (&stream))
        return -1;
    //  5 is REPORT_JSON.md's threshold, for a document that leaves it out
    s_html_t html = { stream.out, doc, 5, 0 };
    int64_t threshold;
    if (s_int_at (doc, "small_number_threshold", &threshold))
        html.threshold = threshold;
    kind->body (&html);
    return s_stream_close (&stream, files, base, ".html");
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
    const s_kind_t *kind = s_kind_of (report);
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
        rc = s_render_csv (report, kind, files);
    else
    if (streq (format, "xlsx"))
        rc = s_render_xlsx (report, kind, base, files);
    else
        rc = s_render_html (report, kind, base, files);
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
        count += strncmp (entry->d_name, S_TEMP_PREFIX, strlen (S_TEMP_PREFIX)) == 0;
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
    char *path = zsys_sprintf ("%s/" S_TEMP_PREFIX "test-XXXXXX", s_test_tmpdir ());
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
    assert (strstr (csv, "\r\nJOB-02,Apprenticeship weeks on the contract,weeks,Jobs,1300,1040,"
                         "31590000,25272000,,\r\n"));
    //  A record-only measure: its quantities, and no £ at all
    assert (strstr (csv, "\r\nSVM-5A-01,Staff volunteering hours in local communities,hours,"
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
    json_t *top = json_array_get (s_get (hostile, "social_value.top_contracts"), 0);
    json_object_set_new (top, "partner", json_string ("<i>P</i>"));
    json_object_set_new (top, "title", json_string ("\x01\x1f]]>"));
    json_t *contract = json_array_get (s_get (hostile, "rlw.contracts"), 0);
    json_object_set_new (contract, "start_date", json_string ("soon<"));
    json_object_set_new (contract, "accreditation_expiry", json_string ("&never"));
    json_object_set_new (contract, "accredited", json_true ());
    json_object_set_new (s_get (hostile, "alerts.by_rule"), "<rule>", json_integer (1));
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
        json_t *alerts = s_get (doc, "alerts.list");
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
