/*  compliance_rules: the conditions behind every compliance alert, as pure
    functions of the facts and of today. No SQL, no sockets, no clock of
    its own: the caller passes today, so tests move time freely.

    Dates are ISO 8601 strings (2025-06-01) as the streams carry them (any
    form sv_date_parse reads is taken); a date that is empty or unreadable
    counts as unknown, and each function says what unknown means for it.
    A today that is unknown fires no rule. Quantities are thousandths of a
    unit. A rule that does not fire leaves message untouched; message may
    be NULL when only the verdict is wanted. A message longer than
    MESSAGE_MAX - 1 bytes is cut at a UTF-8 character boundary.

    The rules (name, severity, subject), all documented in the README:
      rlw.missing_commitment    high     a contract in RLW scope whose
                                         supplier has neither committed to
                                         the Real Living Wage on it nor holds
                                         a current accreditation
      rlw.accreditation_lapsed  medium   a supplier recorded as accredited
                                         whose accreditation expiry is past
      rlw.renewal_due           medium   a partner's own accreditation
                                         renewal, or the uplift deadline of
                                         the newest rate, within N days
      delivery.shortfall        medium   an active contract delivering a
                                         measure below its commitment pro rata
      delivery.overdue          low      no return for a period that ended
                                         more than the grace period ago
*/
#ifndef COMPLIANCE_RULES_H_INCLUDED
#define COMPLIANCE_RULES_H_INCLUDED

#include <czmq.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Longest message a rule writes, with its terminating nul
#define COMPLIANCE_RULES_MESSAGE_MAX 512

//  What puts a contract in Real Living Wage scope when the feed leaves it
//  to socval (rlw_in_scope "derive" or "").
typedef struct {
    const char *categories;     //  comma-separated eligible categories
                                //  ("cleaning,security,catering,care");
                                //  one matches when its words appear one
                                //  after another among the words of the
                                //  contract's category (words: runs of
                                //  letters and digits; ASCII case and
                                //  punctuation ignored): "care" matches
                                //  "Home care" and "Domiciliary Care -
                                //  adults", not "Healthcare" nor "Carers";
                                //  "facilities management" matches
                                //  "Facilities-Management (FM)", not
                                //  "Facilities"
    int min_weeks;              //  shortest eligible duration, in weeks
} compliance_rules_rlw_t;

//  Whether a contract is in RLW scope. flag is the feed's rlw_in_scope:
//  "yes" and "no" (any case) decide; "derive", "", NULL or anything else
//  derive it from category (an eligible category) and duration (end -
//  start + 1 days >= min_weeks × 7: with 8 weeks, 55 days is short and 56
//  is not; an unknown date counts as long enough, so a council is warned
//  rather than reassured). *reason (may be NULL) is set to a static
//  English phrase: "flagged in scope by the feed", "flagged out of scope
//  by the feed", "eligible category, long enough", "eligible category,
//  dates unknown", "category not eligible" or "shorter than the minimum".
//  Returns true when in scope.
bool
    compliance_rules_rlw_in_scope (const compliance_rules_rlw_t *criteria, const char *flag,
                                   const char *category, const char *start_date,
                                   const char *end_date, const char **reason);

//  Whether a supplier's accreditation holds today: accredited with an
//  expiry that is empty/unknown or on or after today. With today unknown,
//  returns accredited.
bool
    compliance_rules_accredited (bool accredited, const char *expiry, const char *today);

//  The facts rlw.missing_commitment and delivery rules read about one
//  contract. Strings borrowed, never NULL ("" when unknown).
typedef struct {
    const char *partner;
    const char *contract_id;
    const char *title;
    const char *supplier_key;
    const char *supplier_name;
    const char *category;
    const char *start_date;
    const char *end_date;
    const char *rlw_flag;           //  the feed's rlw_in_scope
    bool rlw_commitment;            //  the contract commits the supplier to the RLW
    bool supplier_accredited;       //  as recorded on the supplier
    const char *supplier_expiry;    //  accreditation expiry, "" when none
} compliance_rules_contract_t;

//  rlw.missing_commitment: fires when the contract is in scope, has no RLW
//  commitment and its supplier's accreditation does not hold today. A
//  contract that has ended (end date before today) no longer fires; one
//  not yet started does, so the commitment is asked for before work
//  begins. On firing writes a message for a person into message
//  (MESSAGE_MAX bytes), naming the contract, supplier, why it is in scope
//  and the supplier's state ("Contract C-101 'Office cleaning' is in Real
//  Living Wage scope (eligible category 'Cleaning services', 8 weeks or
//  more) but Sparkle Cleaning Ltd has not committed to pay the Real Living
//  Wage on it and its accreditation expired on 2025-06-30"). Returns true
//  when it fires.
bool
    compliance_rules_missing_commitment (const compliance_rules_rlw_t *criteria,
                                         const compliance_rules_contract_t *contract,
                                         const char *today, char *message);

//  A supplier as people know it, into buf (size bytes), returned: name as
//  the feed gave it; without one, the key made readable ("CH:01234567"
//  reads "the company registered as 01234567", "ID:S1" "supplier S1",
//  "NAME:ACME LTD" "ACME LTD"). Messages never show a bare key.
const char *
    compliance_rules_supplier_label (const char *name, const char *key, char *buf,
                                     size_t size);

//  rlw.accreditation_lapsed: fires when accredited is true and expiry is a
//  date before today (an unknown expiry never lapses). message as above,
//  naming supplier, expiry date and how long ago ("Sparkle Cleaning Ltd's
//  Real Living Wage accreditation expired on 2025-06-30, 1 day ago").
bool
    compliance_rules_accreditation_lapsed (const char *supplier_name, bool accredited,
                                           const char *expiry, const char *today,
                                           char *message);

//  rlw.renewal_due, for one dated obligation (what: "council's Real
//  Living Wage accreditation renewal" or "the 2025-26 rate of £12.60 an
//  hour (London £13.85)"): fires when due is today or within days days
//  from today, and keeps firing after due has passed (the obligation is
//  cleared by a new date in the config or data). A negative days counts
//  as 0; an unknown due never fires. message names what, the date and
//  the days left: "WHAT: due on 2025-09-30, in 60 days", "WHAT: due today,
//  2025-09-30", "WHAT: overdue by 3 days, it was due on 2025-09-30".
bool
    compliance_rules_renewal_due (const char *what, const char *due, int days,
                                  const char *today, char *message);

//  Real Living Wage rates, loaded from CSV with the header
//    year,uk_pence,london_pence,announced,deadline
//  (2025,1260,1385,2024-10-23,2025-05-01): year is when the rate applies
//  from (the year of its deadline). The deadline is the one the Living
//  Wage Foundation announced with the rate (15 May 2022, 14 May 2023,
//  1 May 2025: not one fixed day); an empty deadline cell is six months
//  after the announcement (compliance_rules_six_months_after). Headers are matched as
//  sv_csv matches them ("UK Rate", "Date Announced" also do). Each
//  row is checked: year 1900-2199 and once only; pence whole and above 0
//  (12.60 is refused as pounds); dates in any form sv_date_parse reads,
//  kept as ISO; the deadline within year and not before the
//  announcement. Every bad row is reported through error_fn (may be NULL)
//  with its source line, column header as written, value and reason, and
//  then the load returns NULL: a file is taken whole or not at all. A
//  file-level refusal (no header, no rows, a column missing, a file that
//  cannot be read) is one call with line 0 or the header's line, column
//  and value NULL.
typedef struct _compliance_rules_rates_t compliance_rules_rates_t;

typedef struct {
    int year;
    int64_t uk_pence;
    int64_t london_pence;
    char announced [11];
    char deadline [11];
} compliance_rules_rate_t;

typedef void (compliance_rules_error_fn) (size_t line, const char *column, const char *value,
                                          const char *reason, void *arg);

//  The day six months after day (days since 1970-01-01, as sv_date
//  counts them), clamped to the last day of that month: 31 October gives
//  30 April, 31 August the 28th or 29th of February.
int32_t
    compliance_rules_six_months_after (int32_t day);

compliance_rules_rates_t *
    compliance_rules_rates_load (const char *csv, size_t size,
                                 compliance_rules_error_fn *error_fn, void *arg);
compliance_rules_rates_t *
    compliance_rules_rates_load_file (const char *path,
                                      compliance_rules_error_fn *error_fn, void *arg);
void
    compliance_rules_rates_destroy (compliance_rules_rates_t **self_p);

//  The newest rate (highest year) announced on or before today whose
//  deadline is today or later (the one employers must be paying by its
//  deadline), or NULL when none is pending or today is unknown. Borrowed:
//  valid until the rates are destroyed.
const compliance_rules_rate_t *
    compliance_rules_rates_pending (const compliance_rules_rates_t *self, const char *today);

//  delivery.shortfall, for one measure of one contract: fires when the
//  contract is active today (start <= today <= end, both known, start <
//  end), committed_milli > 0, and delivered_milli < committed_milli ×
//  elapsed × (100 − tolerance_pct) / 100, where elapsed is (today − start)
//  / (end − start), computed in integers (no floating point, no overflow
//  for any int64 commitment; the expected quantity is rounded down).
//  tolerance_pct is taken within 0-100. On a one-year contract (364 days
//  from start to end) at day 182, 52 units committed with 10% tolerance
//  expect 23.4. message names contract, measure, delivered, expected and
//  committed quantities in units (e.g. "12.5"): "Contract C-202 'Grounds
//  maintenance': ILL-JOB-07 delivered 20 by 2025-09-30 against 23.4
//  expected pro rata (52 committed for 2025-04-01 to 2026-03-31, 10%
//  tolerance)".
bool
    compliance_rules_shortfall (const compliance_rules_contract_t *contract, const char *measure,
                                int64_t committed_milli, int64_t delivered_milli,
                                int tolerance_pct, const char *today, char *message);

//  delivery.overdue: a contract with commitments owes a return for every
//  period of period_months months from its start (period n starts n ×
//  period_months months after the start, the 31st clamped in shorter
//  months; the last period ends at the contract's end; with no end date
//  the periods go on). Fires when the latest period that ended more than
//  grace_days before today (and no later than the contract's end) is not
//  covered, i.e. latest_return_end (the latest period_end of any delivery
//  return on the contract, "" or unreadable when none) is before that
//  period's end. Quarterly with 30 days' grace, the quarter ending
//  2025-06-30 is owed from 2025-07-31. Unknown start date, an end before
//  the start, or period_months < 1: never fires. message names the
//  contract, supplier, the period (2025-04-01 to 2025-06-30), how many
//  days ago it ended and what the latest return covers.
bool
    compliance_rules_overdue (const compliance_rules_contract_t *contract,
                              const char *latest_return_end, int period_months, int grace_days,
                              const char *today, char *message);

//  Self-test.
void
    compliance_rules_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
