/*  fuzz_chouse: sv_chouse on arbitrary bytes, split into two parts of one
    download at a point the input chooses, looking for suppliers by number
    and by name. Whatever is read, each supplier wanted gets one outcome;
    a match has an 8-character number and a SIC list of whole codes; an
    ambiguity names its candidates; every error has a reason. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <czmq.h>
#include "sv_chouse.h"

static void
s_error (const char *file, const sv_csv_error_t *error, void *arg)
{
    assert (file && error->reason && *error->reason);
    char buffer [300];
    sv_csv_error_format (error, buffer, sizeof buffer);
    (*(size_t *) arg)++;
}

static void
s_result (const sv_chouse_result_t *result, void *arg)
{
    (*(size_t *) arg)++;
    if (streq (result->outcome, "by number") || streq (result->outcome, "by unique name")) {
        assert (strlen (result->number) == 8);
        assert (strlen (result->sic_codes) % 6 == 5 || !*result->sic_codes);
    }
    else
    if (streq (result->outcome, "ambiguous"))
        assert (*result->candidates);
    else
        assert (streq (result->outcome, "not found") && !*result->number);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    size_t errors = 0, results = 0;
    sv_chouse_t *chouse = sv_chouse_new (s_error, &errors);
    sv_chouse_want (chouse, "CH:05857258", "05857258", "");
    sv_chouse_want (chouse, "NAME:A", "", "a ltd");
    sv_chouse_want (chouse, "NAME:UNBEATEN EVENTS", "", "Unbeaten Events");
    size_t split = size? data [0] % (size + 1): 0;
    sv_chouse_begin (chouse, "part1");
    if (sv_chouse_feed (chouse, data, split) == 0)
        sv_chouse_end (chouse);
    sv_chouse_begin (chouse, "part2");
    if (sv_chouse_feed (chouse, data + split, size - split) == 0
    &&  sv_chouse_end (chouse) == 0)
        assert (sv_chouse_refusal (chouse) == NULL);
    else
        assert (sv_chouse_refusal (chouse) && *sv_chouse_refusal (chouse));
    assert (sv_chouse_errors (chouse) == errors);
    sv_chouse_each (chouse, s_result, &results);
    assert (results == 3);
    sv_chouse_destroy (&chouse);
    return 0;
}
