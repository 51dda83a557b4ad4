/*  =========================================================================
    sv_company - Companies House numbers, one rule for every feed

    The text is first compacted (blanks dropped, letters upper-cased) into
    a small buffer; anything longer than that buffer cannot be a number
    and is refused unread. Placeholders are recognised before the number
    is judged, so "N/A" is no number rather than a bad prefix "NA". The
    number is then split into its prefix (0 or 2 characters) and digits,
    and the digits padded back to the width the prefix leaves.

    The prefixes are those Companies House lists for the register (company
    number prefixes: England and Wales, Scotland and Northern Ireland
    companies, LLPs, limited partnerships, overseas companies, EEIGs,
    European companies, assurance and unregistered companies, CIOs,
    industrial and provident and registered societies, ICVCs, royal
    charters, overseas entities, UK establishments).
    =========================================================================
*/

#include "sv_company.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

//  Characters of a compacted text looked at: a number with a spreadsheet's
//  ".000" tail, or the longest placeholder word, fits
#define S_KEPT 24

//  Leading zeros put back, at most
#define S_ZEROS_RESTORED 2

static const char *const s_prefixes [] = {
    "AC", "BR", "CE", "CS", "EN", "ES", "FC", "FE", "GE", "GN", "GS", "IC", "IP", "LP",
    "NA", "NC", "NF", "NI", "NL", "NO", "NP", "NR", "NV", "NZ", "OC", "OE", "R0", "RC",
    "RS", "SA", "SC", "SE", "SF", "SG", "SI", "SL", "SO", "SP", "SR", "SZ", "ZC"
};

//  Words written where there is no number, compared with their spaces and
//  punctuation dropped ("N/A", "n.a.", "Not applicable"; Wakefield's
//  "Not yet available" and "Awaiting")
static const char *const s_placeholders [] = {
    "NA", "NONE", "NIL", "NULL", "UNKNOWN", "NOTKNOWN", "NOTAPPLICABLE", "TBC", "TBA",
    "NOTAVAILABLE", "NOTYETAVAILABLE", "AWAITING"
};

static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

static bool
s_letter (char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool
s_known_prefix (const char *chars)
{
    for (size_t index = 0; index < sizeof s_prefixes / sizeof s_prefixes [0]; index++)
        if (memcmp (chars, s_prefixes [index], 2) == 0)
            return true;
    return false;
}

//  True when chars (length bytes, compacted) is a placeholder word or
//  punctuation alone
static bool
s_placeholder (const char *chars, size_t length)
{
    char word [S_KEPT + 1];
    size_t used = 0;
    for (size_t index = 0; index < length; index++) {
        if (s_digit (chars [index]))
            return false;
        if (s_letter (chars [index]))
            word [used++] = chars [index];
    }
    word [used] = 0;
    if (used == 0)
        return true;
    for (size_t index = 0; index < sizeof s_placeholders / sizeof s_placeholders [0]; index++)
        if (strcmp (word, s_placeholders [index]) == 0)
            return true;
    return false;
}

//  Sets the outcome: out is "" unless the caller wrote a number into it
static int
s_outcome (int rc, const char *reason, char *out, const char **reason_p)
{
    if (reason_p)
        *reason_p = reason;
    if (reason)
        out [0] = 0;
    return rc;
}

//  Compacts text into chars (S_KEPT bytes): blanks dropped, letters upper-
//  cased. Returns the length, or S_KEPT + 1 when text does not fit.
static size_t
s_compact (const char *text, char *chars)
{
    size_t length = 0;
    for (const char *c = text; *c; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n')
            continue;
        if (length == S_KEPT)
            return S_KEPT + 1;
        chars [length++] = (*c >= 'a' && *c <= 'z')? (char) (*c - 'a' + 'A'): *c;
    }
    return length;
}

bool
sv_company_placeholder (const char *text)
{
    assert (text);
    char chars [S_KEPT];
    size_t length = s_compact (text, chars);
    return length <= S_KEPT && s_placeholder (chars, length);
}

int
sv_company_number (const char *text, char *out, size_t size, const char **reason_p)
{
    assert (text);
    assert (out);
    assert (size >= SV_COMPANY_BUF);
    char chars [S_KEPT];
    size_t length = s_compact (text, chars);
    if (length > S_KEPT)
        return s_outcome (-1, "not a Companies House number: more than 8 characters",
                          out, reason_p);
    if (s_placeholder (chars, length))
        return s_outcome (0, "a placeholder, not a company number", out, reason_p);

    const char *point = memchr (chars, '.', length);
    if (point) {
        size_t at = (size_t) (point - chars);
        bool zeros = at + 1 < length;
        for (size_t index = at + 1; index < length; index++)
            zeros &= chars [index] == '0';
        if (zeros)
            length = at;
    }
    for (size_t index = 0; index < length; index++)
        if (!s_digit (chars [index]) && !s_letter (chars [index]))
            return s_outcome (-1, "not a Companies House number: letters and digits only",
                              out, reason_p);
    if (length > 8)
        return s_outcome (-1, "not a Companies House number: more than 8 characters",
                          out, reason_p);

    size_t prefix = 0;
    if (length > 0 && s_letter (chars [0])) {
        if (length < 2 || !s_known_prefix (chars))
            return s_outcome (-1, "not a Companies House number: 8 digits, or a prefix"
                              " Companies House uses (SC, NI, OC, ...) and 6 digits",
                              out, reason_p);
        prefix = 2;
    }
    size_t digits = length - prefix;
    bool all_zeros = true;
    for (size_t index = prefix; index < length; index++) {
        if (!s_digit (chars [index]))
            return s_outcome (-1, "not a Companies House number: a letter among its digits",
                              out, reason_p);
        all_zeros &= chars [index] == '0';
    }
    if (digits == 0)
        return s_outcome (-1, "not a Companies House number: a prefix with no digits",
                          out, reason_p);
    if (all_zeros)
        return s_outcome (0, "a placeholder, not a company number: all zeros", out, reason_p);
    size_t pad = 8 - length;
    if (pad > S_ZEROS_RESTORED)
        return s_outcome (-1, "not a Companies House number: too few digits (8, or a prefix"
                          " and 6; at most two lost leading zeros are put back)",
                          out, reason_p);
    memcpy (out, chars, prefix);
    memset (out + prefix, '0', pad);
    memcpy (out + prefix + pad, chars + prefix, digits);
    out [8] = 0;
    return s_outcome (0, NULL, out, reason_p);
}


//  --------------------------------------------------------------------------
//  Self test

void
sv_company_test (bool verbose)
{
    if (verbose)
        printf (" * sv_company: ");

    //  @selftest
    //  Each text, and the number it reads as ("" for a placeholder), or
    //  NULL and part of the reason it is refused for
    static const struct {
        const char *text;
        const char *number;
        const char *refusal;
    } cases [] = {
        //  As written, and in the forms spend files and OCDS parties use
        { "01234567", "01234567", NULL }, { "OC301540", "OC301540", NULL },
        { "R0123456", "R0123456", NULL }, { " sc 123456 ", "SC123456", NULL },
        { "12 345 678", "12345678", NULL }, { "ni\t012345", "NI012345", NULL },
        //  Lost leading zeros, two at most, with or without a prefix
        { "1234567", "01234567", NULL }, { "4142000", "04142000", NULL },
        { "123456", "00123456", NULL }, { "158718", "00158718", NULL },
        { "SC53003", "SC053003", NULL }, { "sc 53003", "SC053003", NULL },
        { "OC3015", "OC003015", NULL }, { "12345", NULL, "too few digits" },
        { "SC123", NULL, "too few digits" }, { "1111.0", NULL, "too few digits" },
        //  A spreadsheet's float
        { "11111111.0", "11111111", NULL }, { "4142000.00", "04142000", NULL },
        { "4142000.5", NULL, "letters and digits only" },
        //  Placeholders: no number, and no error
        { "", "", NULL }, { "  ", "", NULL }, { "0", "", NULL }, { "000000", "", NULL },
        { "00000000", "", NULL }, { "00000000.0", "", NULL }, { "SC000000", "", NULL },
        { "N/A", "", NULL }, { "n.a.", "", NULL }, { "None", "", NULL },
        { "not applicable", "", NULL }, { "-", "", NULL }, { "--", "", NULL },
        //  Wakefield's "Company Registration" cells
        { "Not yet available", "", NULL }, { "Awaiting", "", NULL },
        //  Not Companies House numbers
        { "458577871", NULL, "more than 8 characters" },
        { "012345678", NULL, "more than 8 characters" },
        { "a very long text that is no number at all", NULL, "more than 8 characters" },
        { "XX123456", NULL, "a prefix Companies House uses" },
        { "ABC12345", NULL, "a prefix Companies House uses" },
        { "SC12345A", NULL, "a letter among its digits" },
        { "SC", NULL, "a prefix with no digits" },
        { "12-345-678", NULL, "letters and digits only" },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++) {
        char out [SV_COMPANY_BUF] = "x";
        const char *reason = "unset";
        int rc = sv_company_number (cases [index].text, out, sizeof out, &reason);
        if (verbose)
            printf ("\n   '%s' -> %d '%s' %s", cases [index].text, rc, out, reason? reason: "");
        if (cases [index].number) {
            assert (rc == 0 && strcmp (out, cases [index].number) == 0);
            //  A placeholder says why there is no number
            assert (*out? reason == NULL: reason && *reason);
        }
        else
            assert (rc == -1 && strcmp (out, "") == 0 && strstr (reason, cases [index].refusal));
    }
    //  Placeholders alone, for any identifier: never a word with a digit,
    //  nor one merely containing a placeholder word
    assert (sv_company_placeholder ("Not yet available"));
    assert (sv_company_placeholder (" n/a "));
    assert (sv_company_placeholder ("-"));
    assert (sv_company_placeholder (""));
    assert (!sv_company_placeholder ("Redacted"));
    assert (!sv_company_placeholder ("NA1"));
    assert (!sv_company_placeholder ("Awaiting Lifts Ltd"));
    assert (!sv_company_placeholder ("265062"));
    //  The reason may be left out
    char out [SV_COMPANY_BUF];
    assert (sv_company_number ("SC53003", out, sizeof out, NULL) == 0);
    assert (strcmp (out, "SC053003") == 0);
    assert (sv_company_number ("XX1", out, sizeof out, NULL) == -1);
    assert (strcmp (out, "") == 0);
    //  @end

    if (verbose)
        printf ("\nOK\n");
}
