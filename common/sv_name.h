/*  =========================================================================
    sv_name - names of places and groups as people write them, one rule for
    every service

    A return's Ward cell may say "Sale Central", "SALE CENTRAL" or
    "sale  central", and its group cell "Care Leavers" or "care-leavers";
    counted as written, each spelling would be its own ward or group in a
    report, and small spellings would then be suppressed as small numbers
    (DESIGN: "Places and groups"). Ingest matches groups to a declared list
    and valuation matches ward names to the postcode directory's; both
    compare by this class's key, and a name that matches nothing is folded
    to this class's canonical spelling, so its spellings still count as one.

    The key of a name: its words, lower-cased, joined by single spaces.
    Letters and digits make words; "&" is the word "and"; apostrophes
    (straight or curly) are dropped, so "St Mary's" is "st marys"; any
    other punctuation or white space only separates words, so
    "care-leavers" is "care leavers" and "Bowdon & Hale" is "bowdon and
    hale". Bytes of other UTF-8 characters are kept as they are (not
    case-folded), except the General Punctuation block (U+2000-U+206F:
    curly quotes, dashes, odd spaces), which is punctuation. Where spaces
    fall still matters: "HaleBarns" is not "Hale Barns" (a rule that
    dropped every space could not give a name back to show).

    The canonical spelling of a name: its key with each word's first
    letter upper-cased, except "and", "of", "the", "on", "upon", "in" and
    "with" after the first word: "SALE central" is "Sale Central",
    "stretford and humphrey park" is "Stretford and Humphrey Park". It
    depends on the key alone, never on which spelling came first.

    ONS ward codes: a ward is its code (E05 England, W05 Wales, S13
    Scotland, N08 Northern Ireland, then six digits), written in any case.
    =========================================================================
*/

#ifndef SV_NAME_H_INCLUDED
#define SV_NAME_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

//  A buffer that holds the key or canonical spelling of any ward or group
//  cell ingest accepts (80 bytes, each of which may become " and ")
#define SV_NAME_BUF 512

//  Size of a buffer that holds a ward code and its NUL
#define SV_NAME_WARD_CODE_BUF 10

//  Writes the key of text (see above) into out, of size bytes. Returns 0,
//  or -1 when it does not fit, out then holding "" (if size > 0). "" (a
//  text of punctuation alone, or empty) is a key like any other: callers
//  treat it as no name. text and out must not be NULL.
int
    sv_name_key (const char *text, char *out, size_t size);

//  Writes the canonical spelling of text (see above) into out, of size
//  bytes. Returns 0, or -1 when it does not fit, out then holding "".
int
    sv_name_canonical (const char *text, char *out, size_t size);

//  Whether text, leading and trailing white space aside, is an ONS ward
//  code (E05, W05, S13 or N08 and six digits, any case). When it is and
//  out is not NULL, writes it upper-cased into out (size bytes, at least
//  SV_NAME_WARD_CODE_BUF; asserted).
bool
    sv_name_ward_code (const char *text, char *out, size_t size);

//  Self test of this class; asserts (aborts) on failure.
void
    sv_name_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
