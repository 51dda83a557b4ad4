/*  fuzz_schedule: what an operator may type into the config, on arbitrary
    bytes: a cron expression (reporting_schedule_new), a year rule
    (reporting_schedule_year) and a clock file's time
    (reporting_schedule_time_parse); and a Real Living Wage rates file
    (compliance_rules_rates_load).

    A cron expression is refused with a reason, or accepted; then next and
    prev keep their promises: next is a fire time after its argument,
    prev one at or before it, each a whole minute that matches. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "compliance_rules.h"
#include "reporting_schedule.h"

static void
s_check_cron (const char *text)
{
    char reason [REPORTING_SCHEDULE_REASON_MAX];
    reporting_schedule_t *schedule = reporting_schedule_new (text, reason, sizeof reason);
    if (!schedule) {
        assert (*reason);
        return;
    }
    const time_t moments [] = { 1746079200, 1740787199, 4102444800 };
    for (size_t index = 0; index < 3; index++) {
        time_t next = reporting_schedule_next (schedule, moments [index]);
        if (next != -1) {
            assert (next > moments [index] && next % 60 == 0);
            assert (reporting_schedule_matches (schedule, next));
        }
        time_t prev = reporting_schedule_prev (schedule, moments [index]);
        if (prev != -1) {
            assert (prev <= moments [index] && prev % 60 == 0);
            assert (reporting_schedule_matches (schedule, prev));
        }
    }
    reporting_schedule_destroy (&schedule);
}

static void
s_rates_error (size_t line, const char *column, const char *value, const char *reason,
               void *arg)
{
    (void) line;
    (void) column;
    (void) value;
    assert (reason && *reason);
    (*(size_t *) arg)++;
}

static void
s_check_rates (const uint8_t *data, size_t size)
{
    size_t errors = 0;
    compliance_rules_rates_t *rates = compliance_rules_rates_load ((const char *) data, size,
                                                                   s_rates_error, &errors);
    if (!rates)
        return;
    assert (errors == 0);
    const compliance_rules_rate_t *rate = compliance_rules_rates_pending (rates, "2025-04-01");
    if (rate)
        assert (strcmp (rate->announced, "2025-04-01") <= 0
                && strcmp (rate->deadline, "2025-04-01") >= 0);
    compliance_rules_rates_destroy (&rates);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = (char *) malloc (size + 1);
    assert (text);
    memcpy (text, data, size);
    text [size] = 0;
    s_check_cron (text);
    char year [REPORTING_SCHEDULE_YEAR_BUF];
    if (reporting_schedule_year (text, 1746079200, year) == 0)
        assert (strlen (year) == 7 && year [4] == '-');
    else
        assert (*year == 0);
    time_t when;
    if (reporting_schedule_time_parse (text, &when) == 0) {
        char buffer [REPORTING_SCHEDULE_TIME_BUF];
        reporting_schedule_time_format (when, buffer, sizeof buffer);
        time_t again;
        assert (reporting_schedule_time_parse (buffer, &again) == 0 && again == when);
    }
    s_check_rates (data, size);
    free (text);
    return 0;
}
