/*  =========================================================================
    sv_company - Companies House numbers, one rule for every feed

    A supplier is keyed by its Companies House number when it has one, so
    the number must come out the same whichever feed carries it: a spend
    CSV, a suppliers or contracts CSV, or an OCDS party's GB-COH id. This
    class is that one rule.

    A number is 8 characters: 8 digits (England and Wales), or a two-letter
    prefix Companies House gives (SC Scotland, NI Northern Ireland, OC an
    LLP, ...; R0 is a prefix too) and 6 digits. People and spreadsheets
    write it otherwise, so, read from text:

    - spaces and tabs anywhere are dropped and letters upper-cased:
      "sc 053003" is SC053003;
    - a decimal point followed only by zeros is dropped, as a spreadsheet
      that took the number for a float writes it: "4142000.0";
    - leading zeros lost on the way are put back, two at most: 6 or 7
      digits are padded to 8 ("123456" is 00123456), and a prefix with 4
      or 5 digits to 6 ("SC53003" is SC053003). Fewer digits are refused:
      a number with three or more zeros lost is more often something else
      (a supplier reference in the wrong column) than a company, and a
      wrong number would merge two suppliers;
    - placeholders name no company and give no number, which is not an
      error: an empty text, dashes and other punctuation alone, N/A, none,
      nil, null, unknown, TBC, and any number whose digits are all zeros
      ("0", "00000000", "SC000000"), which would otherwise make every
      supplier written that way one supplier.

    Anything else (9 characters or more, a prefix Companies House does not
    use, letters among the digits) is refused with a reason: the caller
    decides whether that rejects its row or only sets the number aside.
    =========================================================================
*/

#ifndef SV_COMPANY_H_INCLUDED
#define SV_COMPANY_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Size of a buffer that holds a number ("SC053003") and its NUL
#define SV_COMPANY_BUF 9

//  Reads a Companies House number written any usual way (see above) into
//  out, which must hold SV_COMPANY_BUF bytes (size; asserted). Returns 0
//  with out set to the 8-character number, or to "" when text is a
//  placeholder; then, if reason_p is not NULL, *reason_p is NULL for a
//  number and a static note saying why there is none for a placeholder.
//  Returns -1 when text is not a Companies House number, with out set to
//  "" and, if reason_p is not NULL, *reason_p pointing at a static
//  English reason. text must not be NULL.
int
    sv_company_number (const char *text, char *out, size_t size, const char **reason_p);

//  True when text is written where there is no identifier at all: empty,
//  punctuation alone, or a placeholder word ("N/A", "Not yet available",
//  "Awaiting", "TBC") in any case and spacing. The words are those
//  sv_company_number reads as no number. text must not be NULL.
bool
    sv_company_placeholder (const char *text);

//  Self test of this class; asserts (aborts) on failure.
void
    sv_company_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
