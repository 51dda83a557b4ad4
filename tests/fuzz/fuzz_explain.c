/*  fuzz_explain: a figure's path as EXPLAIN_REQUEST brings it, on arbitrary
    bytes, against the annual report of reporting_store's fixture.

    Every path is answered: an explanation, or a refusal with a code (400
    malformed or ambiguous, 404 no such figure) and a reason. An
    explanation of a figure made of lines has lines summing to the
    report's figure; one of any other figure says why it is not traced and
    lists no lines. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "reporting_explain.h"

static char s_path [] = "/tmp/fuzz_explain_XXXXXX";
static reporting_store_t *s_store;
static json_t *s_report;
static reporting_store_params_t s_params = {
    .kind = "annual", .year = "2024-25", .partner = "", .created = "2025-04-30T09:00:00Z",
    .evidence_counted = "evidenced,validated", .small_number_threshold = 2
};

static void
s_end (void)
{
    json_decref (s_report);
    reporting_store_fixture_end (&s_store, s_path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (!s_store) {
        s_store = reporting_store_fixture (s_path);
        s_report = reporting_store_report (s_store, &s_params, NULL);
        assert (s_report);
        atexit (s_end);
    }
    char *figure = (char *) malloc (size + 1);
    assert (figure);
    memcpy (figure, data, size);
    figure [size] = 0;
    int code = 0;
    char *reason = NULL;
    json_t *explanation = reporting_explain (s_store, &s_params, s_report, figure, 0, 5, NULL,
                                             &code, &reason);
    if (explanation) {
        assert (!reason);
        if (json_is_true (json_object_get (explanation, "traceable")))
            assert (json_is_true (json_object_get (explanation, "sum_equals_value")));
        else
            assert (json_string_value (json_object_get (explanation, "why"))
                    && !json_object_get (explanation, "rows"));
        json_decref (explanation);
    }
    else
        assert ((code == 400 || code == 404) && reason && *reason);
    free (reason);
    free (figure);
    return 0;
}
