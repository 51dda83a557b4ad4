/*  =========================================================================
    sv_postcode - UK postcodes: normalise, validate, district, find in text

    A postcode is at most 7 significant characters: an outward code of 2-4
    (letter first) and an inward code of exactly 3 (digit, letter, letter).
    Because the inward code always has 3 characters, spacing carries no
    information: the characters are collected without spaces, checked as a
    shape of letters (A) and digits (9), and the space is put back before
    the last three. Finding a postcode in free text cuts the text into
    words of letters and digits and tries each word, and each pair of
    adjacent words, as a postcode.
    =========================================================================
*/

#include "sv_postcode.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

//  Significant characters in the longest postcode, "AA9A9AA"
#define S_MAX_CHARS 7

//  True for an ASCII letter, either case
static bool
s_letter (char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

//  True for an ASCII digit
static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

//  Returns c in upper case (ASCII letters only)
static char
s_upper (char c)
{
    return (c >= 'a' && c <= 'z')? (char) (c - 'a' + 'A'): c;
}

//  Makes out "" when it has room for anything at all
static void
s_clear (char *out, size_t size)
{
    if (size > 0)
        out [0] = 0;
}


//  --------------------------------------------------------------------------
//  Checks chars (length 5-7, upper case, no spaces) as a postcode. Returns
//  NULL, or a static reason.

static const char *
s_check (const char *chars, size_t length)
{
    if (length == 6 && memcmp (chars, "GIR0AA", 6) == 0)
        return NULL;            //  Girobank's, the one postcode of its shape

    const char *inward = chars + length - 3;
    if (!s_digit (inward [0]) || !s_letter (inward [1]) || !s_letter (inward [2]))
        return "not a UK postcode: the inward code must be a digit and two letters";

    //  The outward code as a shape: A9, A99, AA9, AA99, A9A, AA9A
    char shape [5] = "";
    size_t outward = length - 3;
    for (size_t index = 0; index < outward; index++)
        shape [index] = s_letter (chars [index])? 'A': s_digit (chars [index])? '9': '?';
    shape [outward] = 0;
    static const char *const shapes [] = { "A9", "A99", "AA9", "AA99", "A9A", "AA9A" };
    for (size_t index = 0; index < sizeof shapes / sizeof shapes [0]; index++)
        if (strcmp (shape, shapes [index]) == 0)
            return NULL;
    return "not a UK postcode: the outward code must be A9, A99, AA9, AA99, A9A or AA9A";
}


//  --------------------------------------------------------------------------
//  Collects the significant (non-space) characters of text [0..length)
//  into chars, upper case. Returns their count, or S_MAX_CHARS + 1 when
//  there are too many; *other_p is set when a character is neither a
//  letter nor a digit.

static size_t
s_collect (const char *text, size_t length, char *chars, bool *other_p)
{
    size_t count = 0;
    *other_p = false;
    for (size_t index = 0; index < length; index++) {
        char c = text [index];
        if (c == ' ' || c == '\t')
            continue;
        if (!s_letter (c) && !s_digit (c))
            *other_p = true;
        if (count == S_MAX_CHARS)
            return S_MAX_CHARS + 1;
        chars [count++] = s_upper (c);
    }
    return count;
}

//  Writes chars (a checked postcode) with its space into out; returns 0,
//  or -1 when out is too small.
static int
s_write (const char *chars, size_t length, char *out, size_t size)
{
    if (size < length + 2) {
        s_clear (out, size);
        return -1;
    }
    memcpy (out, chars, length - 3);
    out [length - 3] = ' ';
    memcpy (out + length - 2, chars + length - 3, 3);
    out [length + 1] = 0;
    return 0;
}


//  --------------------------------------------------------------------------
//  Reads a postcode in any case and spacing into its normalised form.

int
sv_postcode_normalise (const char *text, char *out, size_t size, const char **reason_p)
{
    assert (text);
    char chars [S_MAX_CHARS];
    bool other;
    size_t length = s_collect (text, strlen (text), chars, &other);
    const char *reason = NULL;
    if (length == 0 && !other)
        reason = "empty";
    else
    if (other)
        reason = "not a UK postcode: only letters, digits and spaces";
    else
    if (length < 5)
        reason = "too short for a postcode";
    else
    if (length > S_MAX_CHARS)
        reason = "too long for a postcode";
    else
        reason = s_check (chars, length);

    if (!reason && s_write (chars, length, out, size) == 0)
        return 0;
    if (!reason)
        reason = "buffer too small";
    s_clear (out, size);
    if (reason_p)
        *reason_p = reason;
    return -1;
}


//  --------------------------------------------------------------------------
//  Writes the outward code of a normalised postcode.

int
sv_postcode_district (const char *normalised, char *out, size_t size)
{
    assert (normalised);
    char check [SV_POSTCODE_BUF];
    const char *space = strchr (normalised, ' ');
    //  Normalised means: it normalises to itself
    if (!space
    ||  sv_postcode_normalise (normalised, check, sizeof check, NULL)
    ||  strcmp (check, normalised) != 0
    ||  size < (size_t) (space - normalised) + 1) {
        s_clear (out, size);
        return -1;
    }
    size_t length = (size_t) (space - normalised);
    memcpy (out, normalised, length);
    out [length] = 0;
    return 0;
}


//  --------------------------------------------------------------------------
//  Finds the last postcode standing as a word or a pair of words in text.

//  A word is a run of ASCII letters and digits.
typedef struct {
    const char *start;
    size_t length;
} s_word_t;

//  Returns true and writes the normalised postcode if the words
//  [first, first + count) read as exactly one postcode.
static bool
s_try_words (const s_word_t *words, size_t count, char *out, size_t size)
{
    char chars [S_MAX_CHARS];
    size_t length = 0;
    for (size_t index = 0; index < count; index++) {
        if (length + words [index].length > S_MAX_CHARS)
            return false;
        for (size_t at = 0; at < words [index].length; at++)
            chars [length++] = s_upper (words [index].start [at]);
    }
    //  A pair must split as outward + inward, so "S60 1AE" but not "S 601AE"
    if (count == 2 && words [1].length != 3)
        return false;
    if (length < 5 || s_check (chars, length))
        return false;
    return s_write (chars, length, out, size) == 0;
}

void
sv_postcode_find (const char *text, char *out, size_t size)
{
    assert (text);
    assert (out);
    s_clear (out, size);
    char found [SV_POSTCODE_BUF] = "";
    s_word_t previous = { NULL, 0 };
    const char *cursor = text;
    while (*cursor) {
        if (!s_letter (*cursor) && !s_digit (*cursor)) {
            cursor++;
            continue;
        }
        s_word_t word = { cursor, 0 };
        while (s_letter (cursor [word.length]) || s_digit (cursor [word.length]))
            word.length++;
        cursor += word.length;

        //  Only whitespace may separate the two words of a pair
        bool adjacent = previous.start != NULL;
        for (const char *gap = previous.start? previous.start + previous.length: NULL;
             adjacent && gap < word.start; gap++)
            adjacent = *gap == ' ' || *gap == '\t';
        char candidate [SV_POSTCODE_BUF];
        s_word_t pair [2] = { previous, word };
        if ((adjacent && s_try_words (pair, 2, candidate, sizeof candidate))
        ||  s_try_words (&word, 1, candidate, sizeof candidate))
            memcpy (found, candidate, sizeof found);
        previous = word;
    }
    if (*found && strlen (found) < size)
        memcpy (out, found, strlen (found) + 1);
}


//  --------------------------------------------------------------------------
//  Self test of this class.

//  Asserts that text normalises to expected
static void
s_expect_ok (const char *text, const char *expected, bool verbose)
{
    char out [SV_POSTCODE_BUF];
    const char *reason = "unset";
    int rc = sv_postcode_normalise (text, out, sizeof out, &reason);
    if (verbose)
        printf (" '%s' -> %s\n", text, rc? reason: out);
    assert (rc == 0);
    assert (strcmp (out, expected) == 0);
    assert (strcmp (reason, "unset") == 0);
}

//  Asserts that text is refused with expected_reason and out left ""
static void
s_expect_bad (const char *text, const char *expected_reason, bool verbose)
{
    char out [SV_POSTCODE_BUF] = "x";
    const char *reason = NULL;
    int rc = sv_postcode_normalise (text, out, sizeof out, &reason);
    if (verbose)
        printf (" '%s' -> %s\n", text, rc? reason: out);
    assert (rc == -1);
    assert (out [0] == 0);
    assert (reason && strcmp (reason, expected_reason) == 0);
}

//  Asserts that sv_postcode_find finds expected in text
static void
s_expect_find (const char *text, const char *expected, bool verbose)
{
    char out [SV_POSTCODE_BUF];
    sv_postcode_find (text, out, sizeof out);
    if (verbose)
        printf (" find '%s' -> '%s'\n", text, out);
    assert (strcmp (out, expected) == 0);
}

void
sv_postcode_test (bool verbose)
{
    if (verbose)
        printf (" * sv_postcode:\n");

    //  Any case and spacing reads to one form
    s_expect_ok ("s602td", "S60 2TD", verbose);
    s_expect_ok ("  m33 7ab ", "M33 7AB", verbose);
    s_expect_ok ("S60  2TD", "S60 2TD", verbose);
    s_expect_ok ("\tS6 02TD", "S60 2TD", verbose);
    //  Every outward shape
    s_expect_ok ("M1 1AE", "M1 1AE", verbose);           //  A9
    s_expect_ok ("B33 8TH", "B33 8TH", verbose);         //  A99
    s_expect_ok ("CR2 6XH", "CR2 6XH", verbose);         //  AA9
    s_expect_ok ("DN55 1PT", "DN55 1PT", verbose);       //  AA99
    s_expect_ok ("W1A 0AX", "W1A 0AX", verbose);         //  A9A
    s_expect_ok ("ec1a 1bb", "EC1A 1BB", verbose);       //  AA9A
    s_expect_ok ("gir0aa", "GIR 0AA", verbose);

    s_expect_bad ("", "empty", verbose);
    s_expect_bad ("   ", "empty", verbose);
    s_expect_bad ("S60", "too short for a postcode", verbose);
    s_expect_bad ("S60 2TDXY", "too long for a postcode", verbose);
    s_expect_bad ("S60 2TDX", "not a UK postcode: the inward code must be a digit and two letters", verbose);
    s_expect_bad ("SW1A 1AAA", "too long for a postcode", verbose);
    s_expect_bad ("S60-2TD", "not a UK postcode: only letters, digits and spaces", verbose);
    s_expect_bad ("S60 TD2", "not a UK postcode: the inward code must be a digit and two letters", verbose);
    s_expect_bad ("660 2TD",
                  "not a UK postcode: the outward code must be A9, A99, AA9, AA99, A9A or AA9A", verbose);
    s_expect_bad ("SAA 2TD",
                  "not a UK postcode: the outward code must be A9, A99, AA9, AA99, A9A or AA9A", verbose);
    s_expect_bad ("S£0 2TD", "not a UK postcode: only letters, digits and spaces", verbose);

    //  A buffer too small is an error, never a truncated postcode
    char small [8] = "x";
    assert (sv_postcode_normalise ("EC1A1BB", small, sizeof small, NULL) == -1);
    assert (small [0] == 0);
    assert (sv_postcode_normalise ("S602TD", small, sizeof small, NULL) == 0);
    assert (strcmp (small, "S60 2TD") == 0);

    //  Districts are outward codes of normalised postcodes only
    char district [5];
    assert (sv_postcode_district ("S60 2TD", district, sizeof district) == 0);
    assert (strcmp (district, "S60") == 0);
    assert (sv_postcode_district ("EC1A 1BB", district, sizeof district) == 0);
    assert (strcmp (district, "EC1A") == 0);
    assert (sv_postcode_district ("s60 2td", district, sizeof district) == -1);
    assert (sv_postcode_district ("S602TD", district, sizeof district) == -1);
    assert (sv_postcode_district ("S60 2TD", district, 3) == -1);
    assert (district [0] == 0);

    //  Postcodes inside addresses; words that merely contain one are not
    s_expect_find ("12 High St, Rotherham S60 1AE", "S60 1AE", verbose);
    s_expect_find ("Riverside House, Main Street, Rotherham, s601ae", "S60 1AE", verbose);
    s_expect_find ("Unit 4, A1 Trading Estate, Leeds LS11 5QW.", "LS11 5QW", verbose);
    s_expect_find ("1 Old Road, M33 7AB (was M33 7AA)", "M33 7AA", verbose);
    s_expect_find ("Girobank, Bootle GIR 0AA", "GIR 0AA", verbose);
    s_expect_find ("12 High St, Rotherham", "", verbose);
    s_expect_find ("Invoice XS60 1AEX", "", verbose);
    s_expect_find ("Ref S60,1AE", "", verbose);
    s_expect_find ("", "", verbose);
    char tiny [4] = "x";
    sv_postcode_find ("S60 1AE", tiny, sizeof tiny);
    assert (tiny [0] == 0);

    if (verbose)
        printf (" * sv_postcode: OK\n");
}
