/*  reporting_kpi: the Procurement Act KPI report. See reporting_kpi.h.

    The rows come in partner and contract order; each run of rows of one
    contract becomes one release. Quantities stay integers (thousandths)
    until they are written: a whole number as a JSON integer, else as a
    real whose three decimals print exactly.
*/

#include "reporting_kpi.h"
#include "sv_date.h"

#define S_METRICS_EXTENSION "https://raw.githubusercontent.com/open-contracting-extensions/" \
                            "ocds_metrics_extension/master/extension.json"

//  ==========================================================================
//  The rule

//  value × numerator / denominator, rounded down, without overflow for the
//  day counts and percentages used here
static int64_t
s_scale (int64_t value, int64_t numerator, int64_t denominator)
{
    return (int64_t) ((__int128) value * numerator / denominator);
}

reporting_kpi_rating_t
reporting_kpi_rate (const reporting_kpi_figures_t *kpi, const reporting_kpi_period_t *period)
{
    assert (kpi && period);
    reporting_kpi_rating_t rating = { .rating = "Other", .why = "" };
    rating.period_target_milli = kpi->target_milli;
    int32_t first, last, as_of;
    if (!kpi->rate
    &&  sv_date_parse (period->first, &first, NULL) == 0
    &&  sv_date_parse (period->last, &last, NULL) == 0
    &&  sv_date_parse (period->as_of, &as_of, NULL) == 0
    &&  as_of >= first && as_of < last)
        rating.period_target_milli = s_scale (kpi->target_milli, (int64_t) as_of - first + 1,
                                              (int64_t) last - first + 1);
    int64_t target = rating.period_target_milli, actual = kpi->actual_milli;
    if (!kpi->has_actual) {
        rating.why = "no actual reported for the year";
        return rating;
    }
    if (kpi->target_milli <= 0) {
        rating.why = "no target above zero to measure against";
        return rating;
    }
    rating.has_performance = true;
    if (!kpi->lower_is_better)
        rating.performance_pct = target > 0? s_scale (actual, 100, target)
                                           : actual >= 0? REPORTING_KPI_GOOD_PCT: 0;
    else
        //  At or below the target is met; above it, the target's share of it
        rating.performance_pct = actual <= target? REPORTING_KPI_GOOD_PCT
                                                 : s_scale (target, 100, actual);
    int tolerance = period->shortfall_tolerance_pct < 0? 0
                  : period->shortfall_tolerance_pct > 100? 100: period->shortfall_tolerance_pct;
    int64_t performance = rating.performance_pct;
    rating.rating = performance >= REPORTING_KPI_GOOD_PCT? "Good"
                  : performance >= 100 - tolerance? "Approaching target"
                  : performance >= REPORTING_KPI_IMPROVEMENT_PCT? "Requires improvement"
                  : "Inadequate";
    return rating;
}


//  ==========================================================================
//  Writing it out

static const char *
s_str (const json_t *row, const char *key)
{
    const char *value = json_string_value (json_object_get (row, key));
    return value? value: "";
}

//  A quantity in thousandths as a JSON number of units
static json_t *
s_number (int64_t milli)
{
    if (milli % 1000 == 0)
        return json_integer ((json_int_t) (milli / 1000));
    return json_real ((double) milli / 1000.0);
}

//  An OCDS date-time for day (ISO date) at the start or the end of it;
//  a timestamp that already has its time is kept
static json_t *
s_date_time (const char *day, bool end)
{
    if (strchr (day, 'T'))
        return json_string (day);
    char text [40];
    snprintf (text, sizeof text, "%.10sT%s", day, end? "23:59:59Z": "00:00:00Z");
    return json_string (text);
}

static json_t *
s_period (const char *start, const char *end)
{
    json_t *period = json_object ();
    if (*start)
        json_object_set_new (period, "startDate", s_date_time (start, false));
    if (*end)
        json_object_set_new (period, "endDate", s_date_time (end, true));
    return period;
}

//  Sets key to a string when value is not empty (OCDS strings hold
//  at least one character)
static void
s_set_text (json_t *object, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new (object, key, json_string (value));
}

static void
s_set_unit (json_t *observation, const char *unit)
{
    if (*unit)
        json_object_set_new (observation, "unit", json_pack ("{s:s}", "name", unit));
}

//  An organisation id for a supplier key: a Companies House number as
//  the GB-COH scheme writes it, else the key as socval holds it
static json_t *
s_supplier_id (const char *key)
{
    if (strncmp (key, "CH:", 3) == 0)
        return json_sprintf ("GB-COH-%s", key + 3);
    return json_string (key);
}

//  The figures of one row
static reporting_kpi_figures_t
s_figures (const json_t *row)
{
    json_t *actual = json_object_get (row, "actual_milli");
    return (reporting_kpi_figures_t) {
        .target_milli = json_integer_value (json_object_get (row, "target_milli")),
        .has_actual = json_is_integer (actual),
        .actual_milli = json_integer_value (actual),
        .lower_is_better = json_is_true (json_object_get (row, "lower_is_better")),
        .rate = streq (s_str (row, "unit"), "%"),
    };
}

//  How a row was rated, in a sentence for the observation's notes
static char *
s_note (const json_t *row, const reporting_kpi_figures_t *figures,
        const reporting_kpi_rating_t *rating, const reporting_kpi_period_t *period)
{
    if (!rating->has_performance)
        return zsys_sprintf ("%s: %s.", rating->rating, rating->why);
    return zsys_sprintf ("%s: %" PRId64 "%% of the target for %s to %s (%s), %s is better;"
                         " source: %s.", rating->rating, rating->performance_pct,
                         period->first, period->as_of,
                         rating->period_target_milli == figures->target_milli
                         ? "the year's target": "the year's target pro rata",
                         figures->lower_is_better? "lower": "higher", s_str (row, "source"));
}

//  The flat row of the kpis table
static json_t *
s_flat (const json_t *row, const reporting_kpi_figures_t *figures,
        const reporting_kpi_rating_t *rating, const char *note)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                      " s:o, s:o, s:o, s:o, s:s, s:s}",
        "partner", s_str (row, "partner"),
        "partner_name", s_str (row, "partner_name"),
        "contract", s_str (row, "contract"),
        "title", s_str (row, "title"),
        "supplier", s_str (row, "supplier"),
        "ocid", s_str (row, "ocid"),
        "kpi", s_str (row, "kpi"),
        "name", s_str (row, "name"),
        "source", s_str (row, "source"),
        "measure", s_str (row, "measure"),
        "unit", s_str (row, "unit"),
        "direction", figures->lower_is_better? "lower": "higher",
        "target_qty", json_real ((double) figures->target_milli / 1000.0),
        "period_target_qty", json_real ((double) rating->period_target_milli / 1000.0),
        "actual_qty", figures->has_actual
                      ? json_real ((double) figures->actual_milli / 1000.0): json_null (),
        "performance_pct", rating->has_performance
                           ? json_integer ((json_int_t) rating->performance_pct): json_null (),
        "rating", rating->rating,
        "rating_note", note);
}

//  The agreed metric of a row: its id, title, and the year's target
static json_t *
s_agreed (const json_t *row, const reporting_kpi_figures_t *figures,
          const reporting_kpi_period_t *period)
{
    json_t *metric = json_pack ("{s:s}", "id", s_str (row, "kpi"));
    s_set_text (metric, "title", s_str (row, "name"));
    s_set_text (metric, "description", s_str (row, "description"));
    json_t *observation = json_object ();
    json_object_set_new (observation, "id",
                         json_sprintf ("%s-target-%s", s_str (row, "kpi"), period->year));
    json_object_set_new (observation, "period", s_period (period->first, period->last));
    json_object_set_new (observation, "measure", s_number (figures->target_milli));
    s_set_unit (observation, s_str (row, "unit"));
    json_object_set_new (metric, "observations", json_pack ("[o]", observation));
    return metric;
}

//  The implementation metric of a row: the actual so far and its rating
static json_t *
s_performance (const json_t *row, const reporting_kpi_figures_t *figures,
               const reporting_kpi_rating_t *rating, const char *note,
               const reporting_kpi_period_t *period)
{
    json_t *metric = json_pack ("{s:s}", "id", s_str (row, "kpi"));
    s_set_text (metric, "title", s_str (row, "name"));
    json_t *observation = json_object ();
    json_object_set_new (observation, "id",
                         json_sprintf ("%s-actual-%s", s_str (row, "kpi"), period->year));
    json_object_set_new (observation, "period", s_period (period->first, period->as_of));
    if (figures->has_actual)
        json_object_set_new (observation, "measure", s_number (figures->actual_milli));
    s_set_unit (observation, s_str (row, "unit"));
    json_t *dimensions = json_pack ("{s:s}", "rating", rating->rating);
    if (rating->has_performance) {
        json_object_set_new (dimensions, "performancePercent",
                             json_sprintf ("%" PRId64, rating->performance_pct));
        char target [32];
        int64_t milli = rating->period_target_milli;
        snprintf (target, sizeof target, "%s%" PRId64 ".%03" PRId64, milli < 0? "-": "",
                  (milli < 0? -milli: milli) / 1000, (milli < 0? -milli: milli) % 1000);
        json_object_set_new (dimensions, "targetForPeriod", json_string (target));
    }
    json_object_set_new (observation, "dimensions", dimensions);
    json_object_set_new (observation, "notes", json_string (note));
    json_object_set_new (metric, "observations", json_pack ("[o]", observation));
    return metric;
}

//  A release for the contract of row, without its metrics yet; *agreed_p
//  and *metrics_p are the arrays to fill (borrowed)
static json_t *
s_release (const json_t *row, const reporting_kpi_period_t *period, json_t **agreed_p,
           json_t **metrics_p)
{
    const char *ocid = s_str (row, "ocid"), *contract_id = s_str (row, "contract");
    const char *supplier = s_str (row, "supplier"), *key = s_str (row, "supplier_key");
    json_t *buyer = json_pack ("{s:s, s:s}", "id", s_str (row, "partner"),
                               "name", s_str (row, "partner_name"));
    json_t *parties = json_pack ("[{s:s, s:s, s:[s]}]", "id", s_str (row, "partner"),
                                 "name", s_str (row, "partner_name"), "roles", "buyer");
    json_t *award = json_pack ("{s:o, s:s}", "id", json_sprintf ("%s-award", contract_id),
                               "status", "active");
    if (*key) {
        json_array_append_new (parties, json_pack ("{s:o, s:s, s:[s]}", "id", s_supplier_id (key),
                                                   "name", *supplier? supplier: key,
                                                   "roles", "supplier"));
        json_object_set_new (award, "suppliers", json_pack ("[{s:o, s:s}]",
                             "id", s_supplier_id (key), "name", *supplier? supplier: key));
    }
    json_t *contract = json_pack ("{s:s, s:o}", "id", contract_id,
                                  "awardID", json_sprintf ("%s-award", contract_id));
    s_set_text (contract, "title", s_str (row, "title"));
    const char *start = s_str (row, "start_date"), *end = s_str (row, "end_date");
    if (*start || *end)
        json_object_set_new (contract, "period", s_period (start, end));
    json_t *pence = json_object_get (row, "value_pence");
    if (json_is_integer (pence)) {
        json_int_t value = json_integer_value (pence);
        json_object_set_new (contract, "value", json_pack ("{s:o, s:s}",
            "amount", value % 100? json_real ((double) value / 100.0)
                                 : json_integer (value / 100),
            "currency", "GBP"));
    }
    *agreed_p = json_array ();
    *metrics_p = json_array ();
    json_object_set_new (contract, "agreedMetrics", *agreed_p);
    json_object_set_new (contract, "implementation", json_pack ("{s:o}", "metrics", *metrics_p));
    return json_pack ("{s:s, s:o, s:o, s:[s], s:s, s:o, s:o, s:[o], s:[o]}",
        "ocid", ocid,
        "id", json_sprintf ("%s-performance-%s", ocid, period->year),
        "date", s_date_time (period->created, false),
        "tag", "implementation",
        "initiationType", "tender",
        "buyer", buyer,
        "parties", parties,
        "awards", award,
        "contracts", contract);
}

static json_t *
s_rule (const reporting_kpi_period_t *period)
{
    int tolerance = period->shortfall_tolerance_pct < 0? 0
                  : period->shortfall_tolerance_pct > 100? 100: period->shortfall_tolerance_pct;
    return json_pack ("{s:s, s:i, s:i, s:i, s:s, s:s, s:[{s:s, s:i}, {s:s, s:i}, {s:s, s:i},"
                      " {s:s, s:i}, {s:s, s:s}]}",
        "as_of", period->as_of,
        "good_pct", REPORTING_KPI_GOOD_PCT,
        "approaching_pct", 100 - tolerance,
        "improvement_pct", REPORTING_KPI_IMPROVEMENT_PCT,
        "performance", "actual over the target for the period, in whole percent rounded down;"
                       " target over actual for a KPI met at or below its target",
        "target_for_period", "the year's target once the year has ended; before, the target"
                             " pro rata to the days elapsed by as_of, except a rate (unit %),"
                             " compared as it stands",
        "ratings",
            "rating", "Good", "at_least_pct", REPORTING_KPI_GOOD_PCT,
            "rating", "Approaching target", "at_least_pct", 100 - tolerance,
            "rating", "Requires improvement", "at_least_pct", REPORTING_KPI_IMPROVEMENT_PCT,
            "rating", "Inadequate", "at_least_pct", 0,
            "rating", "Other", "when", "no actual, or no target above zero");
}

int
reporting_kpi_package (json_t *document, const json_t *rows,
                       const reporting_kpi_period_t *period)
{
    assert (document && period);
    json_t *flat = json_array (), *releases = json_array ();
    json_t *agreed = NULL, *metrics = NULL;
    const json_t *previous = NULL;
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row) {
        if (!previous || !streq (s_str (row, "partner"), s_str (previous, "partner"))
        ||  !streq (s_str (row, "contract"), s_str (previous, "contract")))
            json_array_append_new (releases, s_release (row, period, &agreed, &metrics));
        previous = row;
        reporting_kpi_figures_t figures = s_figures (row);
        reporting_kpi_rating_t rating = reporting_kpi_rate (&figures, period);
        char *note = s_note (row, &figures, &rating, period);
        json_array_append_new (flat, s_flat (row, &figures, &rating, note));
        json_array_append_new (agreed, s_agreed (row, &figures, period));
        json_array_append_new (metrics, s_performance (row, &figures, &rating, note, period));
        zstr_free (&note);
    }
    const char *partner = json_string_value (json_object_get (document, "partner"));
    json_object_set_new (document, "rating_rule", s_rule (period));
    json_object_set_new (document, "kpis", flat);
    json_object_set_new (document, "uri", json_sprintf ("urn:socval:kpi:%s:%s",
                                                        partner? partner: "all", period->year));
    json_object_set_new (document, "version", json_string ("1.1"));
    json_object_set_new (document, "extensions", json_pack ("[s]", S_METRICS_EXTENSION));
    json_object_set_new (document, "publishedDate", s_date_time (period->created, false));
    json_object_set_new (document, "publisher", json_pack ("{s:s}", "name", "socval"));
    json_object_set_new (document, "releases", releases);
    return json_array_size (flat) == json_array_size (rows)? 0: -1;
}


//  ==========================================================================
//  Self-test

static reporting_kpi_rating_t
s_test_rate (int64_t target, bool has_actual, int64_t actual, bool lower, const char *unit,
             const char *as_of)
{
    reporting_kpi_figures_t figures = {
        .target_milli = target, .has_actual = has_actual, .actual_milli = actual,
        .lower_is_better = lower, .rate = streq (unit, "%")
    };
    reporting_kpi_period_t period = {
        .year = "2024-25", .first = "2024-04-01", .last = "2025-03-31", .as_of = as_of,
        .created = "2025-06-30T09:00:00Z", .shortfall_tolerance_pct = 10
    };
    return reporting_kpi_rate (&figures, &period);
}

void
reporting_kpi_test (bool verbose)
{
    if (verbose)
        printf (" * reporting_kpi: ");

    //  The thresholds, on a year that has ended: 52 weeks committed
    reporting_kpi_rating_t rating = s_test_rate (52000, true, 52000, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Good") && rating.performance_pct == 100);
    rating = s_test_rate (52000, true, 47000, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Approaching target") && rating.performance_pct == 90);
    rating = s_test_rate (52000, true, 46700, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Requires improvement") && rating.performance_pct == 90 - 1);
    rating = s_test_rate (52000, true, 36400, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Requires improvement") && rating.performance_pct == 70);
    rating = s_test_rate (52000, true, 20000, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Inadequate") && rating.performance_pct == 38);
    rating = s_test_rate (52000, false, 0, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Other") && !rating.has_performance);
    rating = s_test_rate (0, true, 5000, false, "weeks", "2025-03-31");
    assert (streq (rating.rating, "Other") && strstr (rating.why, "no target"));

    //  Half-way through the year (day 183 of 365), 26 weeks are on target;
    //  a rate is compared as it stands
    rating = s_test_rate (52000, true, 26000, false, "weeks", "2024-09-30");
    assert (rating.period_target_milli == 26071 && streq (rating.rating, "Approaching target"));
    rating = s_test_rate (95000, true, 91500, false, "%", "2024-09-30");
    assert (rating.period_target_milli == 95000 && rating.performance_pct == 96);
    assert (streq (rating.rating, "Approaching target"));

    //  Lower is better: at or below the target is Good, 12 against 10 is 83%
    rating = s_test_rate (10000, true, 4000, true, "complaints", "2025-03-31");
    assert (streq (rating.rating, "Good"));
    rating = s_test_rate (10000, true, 12000, true, "complaints", "2025-03-31");
    assert (rating.performance_pct == 83 && streq (rating.rating, "Requires improvement"));

    //  Two KPIs of one contract make one release: the targets agreed, the
    //  performance under implementation with its rating
    json_t *rows = json_pack ("[{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s,"
                              " s:s, s:s, s:s, s:s, s:I, s:I, s:b},"
                              " {s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:s, s:s, s:s,"
                              " s:s, s:s, s:s, s:s, s:I, s:n, s:b}]",
        "partner", "council", "partner_name", "Rotherham Council", "contract", "C-1",
        "title", "Cleaning", "supplier", "Clean Co", "supplier_key", "CH:01234567",
        "start_date", "2024-04-01", "end_date", "2027-03-31", "value_pence", (json_int_t) 12345,
        "ocid", "ocds-x-C-1", "kpi", "SV-NT10", "name", "Apprenticeship weeks",
        "description", "Weeks on an apprenticeship", "source", "social value commitment",
        "measure", "NT10", "unit", "weeks", "target_milli", (json_int_t) 52000,
        "actual_milli", (json_int_t) 20000, "lower_is_better", 0,
        "partner", "council", "partner_name", "Rotherham Council", "contract", "C-1",
        "title", "Cleaning", "supplier", "Clean Co", "supplier_key", "CH:01234567",
        "start_date", "2024-04-01", "end_date", "2027-03-31", "value_pence",
        "ocid", "ocds-x-C-1", "kpi", "K1", "name", "Audits passed",
        "description", "", "source", "kpi feed", "measure", "", "unit", "%",
        "target_milli", (json_int_t) 95000, "actual_milli", "lower_is_better", 0);
    json_t *document = json_pack ("{s:s, s:s}", "report", "kpi", "partner", "council");
    reporting_kpi_period_t period = {
        .year = "2024-25", .first = "2024-04-01", .last = "2025-03-31", .as_of = "2025-03-31",
        .created = "2025-06-30T09:00:00Z", .shortfall_tolerance_pct = 10
    };
    assert (reporting_kpi_package (document, rows, &period) == 0);
    json_t *releases = json_object_get (document, "releases");
    assert (json_array_size (releases) == 1);
    json_t *release = json_array_get (releases, 0);
    assert (streq (s_str (release, "id"), "ocds-x-C-1-performance-2024-25"));
    json_t *contract = json_array_get (json_object_get (release, "contracts"), 0);
    assert (json_array_size (json_object_get (contract, "agreedMetrics")) == 2);
    assert (json_real_value (json_object_get (json_object_get (contract, "value"),
                                              "amount")) == 123.45);
    json_t *metric = json_array_get (json_object_get (json_object_get (contract,
                                     "implementation"), "metrics"), 0);
    json_t *observation = json_array_get (json_object_get (metric, "observations"), 0);
    assert (json_integer_value (json_object_get (observation, "measure")) == 20);
    assert (streq (s_str (json_object_get (observation, "dimensions"), "rating"), "Inadequate"));
    json_t *flat = json_array_get (json_object_get (document, "kpis"), 1);
    assert (streq (s_str (flat, "rating"), "Other") && json_is_null (json_object_get (flat,
                                                                     "actual_qty")));
    json_t *party = json_array_get (json_object_get (release, "parties"), 1);
    assert (streq (s_str (party, "id"), "GB-COH-01234567"));
    json_decref (document);
    json_decref (rows);

    if (verbose)
        printf ("OK\n");
}
