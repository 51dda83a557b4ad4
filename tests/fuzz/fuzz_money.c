/*  fuzz_money: sv_money_parse and sv_money_parse_quantity on arbitrary text.
    Whatever they accept must format and parse back to the same value. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "sv_money.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = (char *) malloc (size + 1);
    memcpy (text, data, size);
    text [size] = 0;

    int64_t pence, again;
    if (sv_money_parse (text, &pence, NULL) == 0) {
        char buffer [SV_MONEY_BUF];
        assert (sv_money_parse (sv_money_format (pence, buffer, sizeof buffer), &again, NULL) == 0);
        assert (again == pence);
        assert (sv_money_parse (sv_money_format_plain (pence, buffer, sizeof buffer), &again, NULL) == 0);
        assert (again == pence);
    }
    int64_t milli;
    (void) sv_money_parse_quantity (text, &milli, NULL);
    free (text);
    return 0;
}
