/*  =========================================================================
    reporting_kpi - the Procurement Act KPI report: contract performance in
    the shape of UK OCDS data

    The Procurement Act 2023 has a contracting authority publish the KPIs
    of its contracts (at least three for a contract over £5m) and, at least
    once a year, how each contract performed against them, rated Good,
    Approaching target, Requires improvement, Inadequate or Other. This
    class turns a year's KPI rows (reporting_store makes them: the KPIs of
    the kpis feed and of OCDS agreedMetrics, and one social value KPI per
    measure a contract committed to in the year) into that information:

    - a flat table, "kpis", one row per contract and KPI, with its target,
      the target for the period, the actual, how far it is met and its
      rating (the csv and xlsx of the report);
    - an OCDS release package: one release per contract, whose contract
      carries the KPIs as agreedMetrics (the year's target as the agreed
      observation) and whose implementation.metrics carry the performance
      (the actual as an observation over the year so far, its rating in
      dimensions.rating, and a note saying how it was rated), per the OCDS
      metrics extension.

    The rating rule (also stated in the document, "rating_rule")
    ------------------------------------------------------------
    Performance is the actual over the target for the period, in whole
    percent rounded down (the target over the actual for a KPI that is met
    by staying at or below it: complaints, days late). The target for the
    period is the year's target once the year has ended (as_of on or after
    its last day); before that it is the target pro rata to the days of
    the year elapsed by as_of, as compliance's delivery.shortfall expects
    delivery pro rata, except for a rate (unit "%"), which is compared as
    it stands. Then:

        Good                   performance 100% or more (the target met)
        Approaching target     at least 100 - shortfall tolerance (90%
                               with compliance's default 10%): the band
                               compliance still tolerates
        Requires improvement   at least 70%: short, but by less than a
                               third
        Inadequate             below 70%
        Other                  no actual (a KPI whose actual is neither
                               given nor read from delivery returns), or
                               no target above zero to measure against

    A social value KPI's target is the contract's commitment on a measure
    for the year and its actual what the counted delivery returns say (the
    contracts report's quantities), so a contract delivering short of its
    commitment is rated below Good, and one short by more than the
    tolerance below Approaching target. Quantities are thousandths.

    Pure: no SQL, no sockets, no clock.
    =========================================================================
*/

#ifndef REPORTING_KPI_H_INCLUDED
#define REPORTING_KPI_H_INCLUDED

#include <czmq.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Performance at or above which a KPI is Good, and Requires improvement
#define REPORTING_KPI_GOOD_PCT 100
#define REPORTING_KPI_IMPROVEMENT_PCT 70

//  One KPI's figures for the rule, in thousandths of its unit
typedef struct {
    int64_t target_milli;       //  the year's target
    bool has_actual;
    int64_t actual_milli;       //  when has_actual
    bool lower_is_better;       //  met at or below the target
    bool rate;                  //  a rate ("%"): never pro rata
} reporting_kpi_figures_t;

//  What one KPI comes to under the rule
typedef struct {
    const char *rating;         //  static: "Good", ..., "Other"
    int64_t period_target_milli;    //  the target for the period
    bool has_performance;
    int64_t performance_pct;    //  when has_performance
    const char *why;            //  static: for "Other", why; else ""
} reporting_kpi_rating_t;

//  The year being reported and the rule's parameter
typedef struct {
    const char *year;           //  "2024-25"
    const char *first;          //  its first and last days, ISO
    const char *last;
    const char *as_of;          //  the day performance is judged on, ISO,
                                //  within the year
    const char *created;        //  the report's timestamp, ISO 8601 UTC
    int shortfall_tolerance_pct;    //  compliance's, 0-100
} reporting_kpi_period_t;

//  Rates kpi for period (the rule above). Never fails: a period whose
//  dates cannot be read judges the whole year.
reporting_kpi_rating_t
    reporting_kpi_rate (const reporting_kpi_figures_t *kpi, const reporting_kpi_period_t *period);

//  Adds the KPI report to document from rows (borrowed; a JSON array, one
//  object a KPI, in partner and contract order, as reporting_store makes
//  them: partner, partner_name, contract, title, supplier, supplier_key,
//  start_date, end_date, value_pence (integer or null), ocid, kpi, name,
//  description, source, measure, unit, target_milli, actual_milli
//  (integer, or null when there is none), lower_is_better): "rating_rule",
//  "kpis", then the package's "version", "extensions", "publishedDate",
//  "publisher" and "releases". 0, or -1 when memory ran out.
int
    reporting_kpi_package (json_t *document, const json_t *rows,
                           const reporting_kpi_period_t *period);

//  Self-test.
void
    reporting_kpi_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
