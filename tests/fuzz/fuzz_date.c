/*  fuzz_date: sv_date_parse on arbitrary text. Whatever it accepts must
    format as ISO and parse back to the same day, within the years allowed. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "sv_date.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = (char *) malloc (size + 1);
    memcpy (text, data, size);
    text [size] = 0;

    int32_t day, again;
    if (sv_date_parse (text, &day, NULL) == 0) {
        int year, month, mday;
        sv_date_to_ymd (day, &year, &month, &mday);
        assert (year >= SV_DATE_YEAR_MIN && year <= SV_DATE_YEAR_MAX);
        char buffer [SV_DATE_BUF];
        assert (sv_date_parse (sv_date_format (day, buffer, sizeof buffer), &again, NULL) == 0);
        assert (again == day);
        int fy = sv_date_fy (day);
        assert (sv_date_fy_first (fy) <= day && day <= sv_date_fy_last (fy));
    }
    free (text);
    return 0;
}
