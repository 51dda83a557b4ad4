/*  =========================================================================
    sv_postcode - UK postcodes: normalise, validate, district, find in text

    A postcode is stored normalised: upper case, one space before the
    three-character inward code ("S60 2TD", "EC1A 1BB", "GIR 0AA"). Spend
    feeds, supplier files and OCDS streetAddress strings carry postcodes in
    any case and spacing; this class reads them, checks the shape of the
    outward code (A9, A99, AA9, AA99, A9A, AA9A) and the inward code (9AA),
    and gives the district (the outward code, "S60") that locality rules
    are written in.

    Only the shape is checked, not Royal Mail's letter-position rules or
    whether the postcode exists: an unknown postcode is "unknown locality"
    downstream, while refusing a real one would lose a payment.
    =========================================================================
*/

#ifndef SV_POSTCODE_H_INCLUDED
#define SV_POSTCODE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Size of a buffer that holds any normalised postcode ("AA9A 9AA") with
//  its terminating NUL.
#define SV_POSTCODE_BUF 9

//  Reads a postcode written in any case, with or without spaces (spaces
//  and tabs anywhere are dropped, then one space is put before the last
//  three characters): "s602td" -> "S60 2TD", "  m33 7ab " -> "M33 7AB".
//  Accepts the outward forms A9, A99, AA9, AA99, A9A, AA9A followed by an
//  inward 9AA, and GIR 0AA. Returns 0 and writes the normalised postcode
//  into out (size bytes; SV_POSTCODE_BUF is enough). Returns -1 on bad
//  input, or when out is too small, with out set to "" if size > 0 and,
//  if reason_p is not NULL, *reason_p pointing at a static English reason
//  ("empty", "not a UK postcode: the inward code must be a digit and two
//  letters", ...). text must not be NULL.
int
    sv_postcode_normalise (const char *text, char *out, size_t size,
                           const char **reason_p);

//  Writes the postcode district (the outward code) of a normalised
//  postcode into out: "S60 2TD" -> "S60", "EC1A 1BB" -> "EC1A". Returns 0,
//  or -1 when normalised is not a normalised postcode or out (size bytes)
//  is too small, with out set to "" if size > 0.
int
    sv_postcode_district (const char *normalised, char *out, size_t size);

//  Finds a postcode inside free text, such as an address line
//  ("12 High St, Rotherham S60 1AE") or an OCDS streetAddress, and writes
//  it normalised into out (size bytes; SV_POSTCODE_BUF is enough). A
//  postcode must stand as its own word or pair of words ("S60 1AE" or
//  "S601AE", any case); when the text holds several, the last one is
//  taken, since addresses end with the postcode. Writes "" when there is
//  none (or out is too small). text and out must not be NULL.
void
    sv_postcode_find (const char *text, char *out, size_t size);

//  Self test of this class; asserts (aborts) on failure.
void
    sv_postcode_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
