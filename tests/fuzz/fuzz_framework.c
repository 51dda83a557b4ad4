/*  fuzz_framework: valuation_framework_load (and so sv_csv) on
    arbitrary bytes; the same bytes also as a postcode directory
    (valuation_engine_lookup_load) and as a partner's district list.

    A file is either refused with at least one error, or loaded whole, and
    then every promise of the header must hold: measures in ascending code
    order, each found by its code, years ascending with no repeat, proxies
    not negative, each year's proxy returned for that year, the latest
    earlier year's for a year in between, nothing before the first. Every
    measure is valued once, through the engine, to reach its arithmetic. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "valuation_engine.h"
#include "valuation_framework.h"
#include "sv_date.h"

static void
s_error (const sv_csv_error_t *error, void *arg)
{
    assert (error->reason && *error->reason);
    char buffer [300];
    sv_csv_error_format (error, buffer, sizeof buffer);
    (*(size_t *) arg)++;
}

static void
s_check_framework (const uint8_t *data, size_t size)
{
    size_t errors = 0;
    valuation_framework_t *framework = valuation_framework_load (data, size, s_error, &errors);
    assert ((framework == NULL) == (errors > 0));
    if (!framework)
        return;
    assert (valuation_framework_id (framework) && *valuation_framework_id (framework));
    assert (valuation_framework_version (framework) && *valuation_framework_version (framework));
    size_t count = valuation_framework_measures (framework);
    assert (count > 0);
    const char *previous = NULL;
    for (size_t index = 0; index < count; index++) {
        const valuation_framework_measure_t *measure =
            valuation_framework_measure_at (framework, index);
        assert (measure && *measure->code && *measure->theme && *measure->unit);
        assert (measure->outcome && measure->description);
        assert (!previous || strcmp (previous, measure->code) < 0);
        previous = measure->code;
        assert (valuation_framework_measure (framework, measure->code) == measure);
        assert (measure->years > 0);
        for (size_t year = 0; year < measure->years; year++) {
            int fy = measure->proxy_fy [year];
            assert (year == 0 || measure->proxy_fy [year - 1] < fy);
            assert (measure->proxy_pence [year] >= 0);
            int64_t pence;
            int used;
            assert (valuation_framework_proxy (framework, measure->code, fy, &pence, &used) == 0);
            assert (pence == measure->proxy_pence [year] && used == fy);
            if (year + 1 == measure->years || measure->proxy_fy [year + 1] > fy + 1) {
                assert (valuation_framework_proxy (framework, measure->code, fy + 1,
                                                   &pence, &used) == 0);
                assert (pence == measure->proxy_pence [year] && used == fy);
            }
        }
        int64_t pence;
        assert (valuation_framework_proxy (framework, measure->code,
                                           measure->proxy_fy [0] - 1, &pence, NULL) == -1);
        valuation_engine_value_t value;
        int32_t end = sv_date_fy_last (measure->proxy_fy [0]);
        int rc = valuation_engine_delivery (framework, NULL, measure->code, 1500, end, &value);
        assert (rc == 0 || strcmp (value.flag, VALUATION_ENGINE_TOO_LARGE) == 0);
    }
    char *unknown = NULL;
    valuation_framework_selection_t *selection =
        valuation_framework_select_text (framework, "all", &unknown);
    assert (selection && !unknown);
    assert (valuation_framework_selection_size (selection) == count);
    valuation_framework_selection_destroy (&selection);
    valuation_framework_destroy (&framework);
}

static void
s_check_lookup (const uint8_t *data, size_t size)
{
    size_t errors = 0;
    valuation_engine_lookup_t *lookup = valuation_engine_lookup_load (data, size, s_error,
                                                                      &errors);
    if (!lookup) {
        assert (errors > 0);
        return;
    }
    assert (valuation_engine_lookup_size (lookup) > 0);
    assert (valuation_engine_lookup_places (lookup) > 0);
    valuation_engine_lookup_destroy (&lookup);
}

static void
s_check_districts (const uint8_t *data, size_t size)
{
    char *text = (char *) malloc (size + 1);
    assert (text);
    memcpy (text, data, size);
    text [size] = 0;
    valuation_engine_locality_t *locality = valuation_engine_locality_new ();
    assert (locality);
    const char *reason = NULL;
    if (valuation_engine_locality_set_districts (locality, text, &reason))
        assert (reason && *reason);
    valuation_engine_place_t place;
    const char *postcodes [] = { "S60 2TD", "EC1A 1BB", "", text };
    for (size_t index = 0; index < 4; index++) {
        valuation_engine_class_t locality_class =
            valuation_engine_locality_classify (locality, postcodes [index], &place);
        assert (locality_class == place.locality && place.reason);
        if (!*place.postcode)
            assert (locality_class == VALUATION_ENGINE_UNKNOWN);
    }
    valuation_engine_locality_destroy (&locality);
    free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    s_check_framework (data, size);
    s_check_lookup (data, size);
    s_check_districts (data, size);
    return 0;
}
