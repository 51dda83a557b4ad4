/*  reporting_store: reporting's SQLite store, and the only file of
    reporting with SQL.

    Reporting keeps a read model of three streams and assembles report
    documents from it (the JSON of services/reporting/REPORT_JSON.md):

    - ingest: SPEND, each payment once by its key, with its sums by
      partner, year, month and payee (reporting_payments); SUPPLIER,
      CONTRACT and KPI (reporting_store_kpi), the latest per (partner,
      key), and DELIVERY's period ends. Commitments and deliveries are
      left to valuation, whose lines carry what reports need.
    - valuation: VALUATION_LINE, one row per event key; PLACE, where a
      payee's payments fall, the latest per payee: a payment with no place
      yet counts as unknown. A later event with the same key replaces the
      earlier. (LOCAL_SPEND_LINE, a line a payment before protocol 2, is
      passed over.)
    - compliance: ALERT, the latest event per alert_id.

    Events are applied in the stream consumer's transaction, which also
    stores the stream's offset, and every write is an upsert, so an event
    applied twice leaves the store as applying it once did.

    Reports are aggregated in SQL over the sums and lines of one financial
    year; only the contracts of the
    RLW section are walked in C, because the scope rule is compliance's
    (compliance_rules_rlw_in_scope). Choices a reader of a report should
    know:

    - The year, when none is asked for, is the latest financial year with
      spend, else (no spend at all) the latest with valuation lines, of
      the partner when one is named. Every part of socval that reports
      without a year named (socval report, up, demo) gets it from here, so
      they agree, and none reads a clock for it: a year of delivery
      returns whose spend is not in yet never shows as a year in which
      nothing was spent.
    - A year has data when it holds spend or valuation lines (of the
      partner); a report on a year without (the alerts report excepted,
      which has no year) is refused, naming the years that have data.
    - "today", for whether a supplier's RLW accreditation holds, is the
      last day of the report's financial year or the created date,
      whichever is earlier: a past year is judged as it stood at its end,
      and the current year as it stands now.
    - A supplier's name is the contract's own partner's record of it,
      else another partner's (the first by partner name) when the own
      record is missing or redacted, else the supplier key itself.
    - A line flagged by valuation counts in no figure, pence or quantity,
      only in "flagged_lines". A delivery counts only when its evidence
      state is one of evidence_counted.
    - A measure is a framework's code: lines of one code valued under two
      frameworks are two measures, each with its framework's description,
      unit and theme (those of the latest line of that framework that
      carried them), in by_measure, by theme, the contracts and the
      crosswalk alike.
    - An RLW contract's state is "committed" (the contract commits the
      supplier), else "accredited" (the supplier's accreditation holds),
      else "missing"; with_commitment, accredited_supplier and
      missing_commitment count those states, so they add up to
      in_scope_contracts.
    - Top contracts list only contracts with delivered pence above zero.
    - The partnership report's network "open_alerts" counts every open
      alert of the partners reported, network-wide alerts (no partner)
      included when reporting on all partners.
    - The frameworks behind a report's pounds are those its counted lines
      were valued with (VALUATION_LINE framework and framework_version);
      a line's proxy year is its financial year (a delivery is valued at
      the proxy of its period's year). A framework whose id begins with
      "illustrative-" is one of the bundled, made-up sets
      (deploy/frameworks/README.md) and is reported illustrative.
    - A partner's display name comes from params->partner_config; every
      row that names a partner carries its config name in "partner" and
      its display name in "partner_name".
    - The contracts report has a row per contract, framework and measure
      with lines in the year. Its status is compliance's rules applied as of
      "today" (above), with compliance's parameters, against the year's
      committed and counted delivered quantity: "red" when an open
      delivery.shortfall or delivery.overdue alert names the contract
      (alerts carry no measure, so it reds every measure of it), or
      compliance_rules_shortfall fires at shortfall_tolerance_pct, or (for
      a measure with a commitment, as only those owe returns)
      compliance_rules_overdue fires with overdue_grace_days; else "amber"
      when delivery is below the commitment pro rata with no tolerance
      (compliance_rules_shortfall at 0%), or a return period has ended
      and its return is not in but the grace period has not run out
      (compliance_rules_overdue with no grace); else "green". Next return
      due is the end of the first return period not covered by the last
      return, plus the grace days: the day delivery.overdue would fire
      after. A contract without commitments or a start date has no due
      date (""), as it owes compliance no returns.
    - Days left (RLW renewals, the rate's uplift deadline) are counted
      from the created date, the report's own date, so a report read
      later still says what it said when it was made.
*/
#ifndef REPORTING_STORE_H_INCLUDED
#define REPORTING_STORE_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "sv_db.h"
#include "sv_proto.h"
#include "compliance_rules.h"
#include "reporting_crosswalk.h"

typedef struct _reporting_store_t reporting_store_t;

//  Opens or creates the store at path. NULL on failure, *reason_p (when
//  not NULL) saying why.
reporting_store_t *
    reporting_store_new (const char *path, const char **reason_p);

//  Closes the store; nulls *self_p. Safe on NULL and twice.
void
    reporting_store_destroy (reporting_store_t **self_p);

//  The connection, borrowed: for the stream consumers, for transactions,
//  and for appending REPORT_READY events to the outbox.
sv_db_t *
    reporting_store_db (reporting_store_t *self);

//  The types of ingest's events reporting keeps, as a FETCH names them:
//  payments, suppliers, contracts, the period ends of delivery returns,
//  Companies House's register and KPIs (valuation's lines and places, and
//  compliance's alerts, are all kept)
#define REPORTING_STORE_INGEST_TYPES "SPEND,SUPPLIER,CONTRACT,DELIVERY,COMPANY,KPI"

//  Applies one event of the stream named stream ("ingest", "valuation" or
//  "compliance") inside the caller's transaction (asserted). Event types
//  reporting does not keep are ignored. Returns 0; -1 on a database error
//  (the caller rolls the batch back and fetches it again); or
//  SV_STREAM_UNREADABLE, writing nothing, for a body that does not decode
//  as its type: the stream stalls there rather than lose it. A payment may
//  be held to be written with others (reporting_payments) when the
//  transaction commits.
int
    reporting_store_apply (reporting_store_t *self, const char *stream,
                           const sv_proto_event_t *event);

//  The same for an event already decoded (decoded: its body as
//  sv_proto_decode gave it, id 0 when it did not decode), borrowed.
int
    reporting_store_apply_decoded (reporting_store_t *self, const char *stream,
                                   const sv_proto_event_t *event, const sv_proto_t *decoded);


//  What to report. Strings are borrowed for the call.
typedef struct {
    const char *kind;               //  "annual" | "partnership" | "rlw-scope" | "alerts"
                                    //  | "contracts" | "kpi" (reporting_kpi.h)
    const char *year;               //  "2024-25" (or "2024/25"); "" or NULL for the
                                    //  default year (see above); ignored by "alerts"
    const char *partner;            //  a partner's name; "", "all" or NULL for all
    const char *created;            //  ISO 8601 UTC, copied into the document; its
                                    //  date also anchors "resolved in the last 90
                                    //  days" and caps the accreditation "today"
    uint64_t ingest_offset;         //  the stream positions the store reflects,
    uint64_t valuation_offset;      //  copied into "offsets"
    uint64_t compliance_offset;
    const char *evidence_counted;   //  comma-separated delivery evidence states
                                    //  counted ("evidenced,validated"); "" or NULL
                                    //  for all three
    int small_number_threshold;     //  breakdown rows with fewer deliveries are
                                    //  suppressed; 0 suppresses nothing
    compliance_rules_rlw_t rlw;     //  what puts a contract in RLW scope
    json_t *partner_config;         //  {partner: {"display_name", "rlw_renewal"}}, each
                                    //  member optional, from the partners/ section of
                                    //  config; NULL for none. A partner with no
                                    //  display_name is shown by its config name.
    const compliance_rules_rates_t *rlw_rates;
                                    //  Real Living Wage rates (compliance/rlw_rates),
                                    //  for the pending uplift's deadline; NULL: none
    const char *contract;           //  contracts report only: one contract id, or
    const char *supplier;           //  one supplier (its key or name, exactly);
                                    //  "" or NULL for all
    int shortfall_tolerance_pct;    //  compliance's delivery.shortfall and
    int return_period_months;       //  delivery.overdue parameters, for the
    int overdue_grace_days;         //  contracts report's status (see above)
    const char *crosswalk_path;     //  partnership only: the crosswalk file
                                    //  configured ("" or NULL: none, and the
                                    //  report has no by_outcome)
    const reporting_crosswalk_t *crosswalk;    //  it, read; NULL when it
    const char *crosswalk_problem;  //  could not be, and this says why
} reporting_store_params_t;

//  Assembles the report params describe. Returns the document (the
//  caller's: json_decref it), or NULL with *reason_p (when not NULL) set:
//  an unknown kind, a malformed year or evidence state, a partner the
//  store has never heard of, a year with no data ("no data for 2019-20;
//  years with data: 2024-25, 2025-26"), no spend or lines at all when the
//  year is left to the store, or a database error. *reason_p is static or held by
//  the store until its next call. Shares and quantities are json reals
//  whose decimals print exactly with JSON_REAL_PRECISION (15).
json_t *
    reporting_store_report (reporting_store_t *self, const reporting_store_params_t *params,
                            const char **reason_p);

//  What a line adds to a figure traced
typedef enum {
    REPORTING_STORE_ADDS_PENCE,     //  its pence (value_pence, amount_pence)
    REPORTING_STORE_ADDS_ONE,       //  one: the figure counts lines
    REPORTING_STORE_ADDS_MILLI      //  its quantity in thousandths (valued lines)
} reporting_store_adds_t;

//  Which lines make one figure of a report, by the conditions the report's
//  own query for it applies (reporting_explain decides them from the
//  figure's path). Strings are borrowed; NULL, -1 and 0 leave a condition
//  out.
typedef struct {
    bool valued;                    //  valuation lines; else payments
    reporting_store_adds_t adds;
    int year_offset;                //  0 the report's year, -1 the previous
    const char *partner;            //  narrows the report's partners to one
    //  Payments
    bool less_previous;             //  the year's lines less the previous
                                    //  year's (additional local spend)
    int locality;                   //  0 local, 1 non-local, 2 unknown; -1 any
    const char *flag;               //  "sme", "vcse" or "employee_owned" only
    int month;                      //  202405; 0 any
    //  Both: a payment's ward code (local payments), a valued line's ward
    //  as stored (its code, else the canonical name)
    const char *ward;
    //  Valued lines
    int kind;                       //  0 committed, 1 delivered; -1 any
    bool flagged;                   //  the lines valuation flagged, else the
                                    //  counted ones (deliveries in a state
                                    //  of params->evidence_counted)
    const char *framework;          //  with measure, that framework's measure
    const char *measure;            //  a code, of any framework unless named
    const char *theme;              //  a measure's theme ("" for none known)
    const char *contract;
    const char *group;              //  beneficiary group
    bool every_state;               //  valued lines of every evidence state,
                                    //  flagged or not (the open-data pack)
    bool with_unvalued;             //  the lines as a contracts report's row
                                    //  takes them: commitments and deliveries in
                                    //  a counted state, flagged or not (a flagged
                                    //  line's quantity counts, its pence are 0),
                                    //  record-only measures too; with flagged,
                                    //  only the flagged of those
    int evidence;                   //  deliveries in this evidence state only
                                    //  (1 claimed, 2 evidenced, 3 validated); 0 any
    bool committed_framework;       //  only lines of a framework whose lines of
                                    //  the same partner, contract and measure
                                    //  commit a quantity in the year (a social
                                    //  value KPI, which names no framework)
} reporting_store_figure_t;

//  The lines that make figure in the report params describe (its year,
//  resolved, in params->year; partner, evidence states counted), largest
//  contribution first then by line key, skipping after and listing at
//  most max (0: all): {"rows_total", "sum", "rows": [...], "evidence":
//  [...]} (EXPLAIN_JSON.md), sum being what all rows_total lines add, read
//  in one snapshot. A payment the partner redacted carries no supplier
//  key, name or postcode. The caller's to json_decref; NULL with *reason_p
//  on a malformed year or evidence state or a database error.
json_t *
    reporting_store_trace (reporting_store_t *self, const reporting_store_params_t *params,
                           const reporting_store_figure_t *figure, uint64_t after,
                           uint64_t max, const char **reason_p);

//  Receives one row (borrowed for the call); returns 0, or -1 to stop
typedef int (reporting_store_row_fn) (json_t *row, void *arg);

//  Every line of figure, as reporting_store_trace lists them, to fn one at
//  a time, so that millions are never held at once. 0, or -1 with
//  *reason_p (a malformed year or evidence state, a database error, or fn
//  stopping).
int
    reporting_store_lines (reporting_store_t *self, const reporting_store_params_t *params,
                           const reporting_store_figure_t *figure, reporting_store_row_fn *fn,
                           void *arg, const char **reason_p);

//  The open-data pack's tables other than lines, of the partner params
//  names (or all) in its year, to fn row by row, each row an object of the
//  table's columns: "contracts" (every contract held), "suppliers" (with
//  their locality as their payments of the year were placed, "mixed" when
//  placed differently, "" when not paid; a redacted supplier named
//  "(redacted)" with no postcode) and "framework" (the measures and
//  proxies the year's lines were valued with). 0, or -1 with *reason_p.
int
    reporting_store_table (reporting_store_t *self, const reporting_store_params_t *params,
                           const char *table, reporting_store_row_fn *fn, void *arg,
                           const char **reason_p);

//  Rows held in table ("suppliers", "contracts", "spend_lines",
//  "value_lines", "alerts", "outbox"), for STATUS; -1 for another name
//  or on a database error. What is committed: while a transaction is held
//  (sv_db_hold), counted through a reader's connection of the store's own.
int64_t
    reporting_store_count (reporting_store_t *self, const char *table);

//  The created time of reports made at offsets (ingest, valuation,
//  compliance), into created (size bytes): the time now (ISO 8601 UTC)
//  the first time a report is made at them, kept, then the same for
//  every report, pack or explanation made at them again, so that the same
//  offsets give the same bytes (their dates, "days left" and statuses
//  included) however long after they are asked. 0, or -1 on a database
//  error, created then being now.
int
    reporting_store_stamp (reporting_store_t *self, const uint64_t offsets [3],
                           const char *now, char *created, size_t size);

//  Scheduled reports: when the schedule called name last fired (a
//  time_t), 0 when never.
int64_t
    reporting_store_schedule_last (reporting_store_t *self, const char *name);

//  Records that the schedule called name fired at fired (a time_t). Runs
//  in the caller's transaction if one is open. 0 or -1.
int
    reporting_store_schedule_set (reporting_store_t *self, const char *name, int64_t fired);

//  A store in a new file made from path (a mkstemp template, changed in
//  place) holding the self-test's fixture (two partners' suppliers,
//  contracts, payments, valued lines and alerts, described in
//  reporting_store.c), for the self-tests of the classes that read it.
//  reporting_store_fixture_end destroys it and removes its files.
reporting_store_t *
    reporting_store_fixture (char *path);
void
    reporting_store_fixture_end (reporting_store_t **self_p, const char *path);

//  Self-test.
void
    reporting_store_test (bool verbose);

#endif
