/*  =========================================================================
    sv_money - money as int64 pence and quantities as int64 thousandths

    Amounts arrive as text in whatever form a council's finance system
    exported: "£1,234.56", "-£23,484.00", "(123.45)", "123.45-", "1500".
    One parser reads them all into a scaled integer, digit by digit, with
    overflow checked before every step, so no input can cause undefined
    behaviour or a silent wrap. The same parser, keeping 3 decimals instead
    of 2, reads quantities.
    =========================================================================
*/

#include "sv_money.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

//  A 128-bit integer, so that a product of two int64 values cannot overflow
__extension__ typedef __int128 s_int128_t;

static bool
s_blank (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

static bool
s_pound (const char *p, const char *end)
{
    return end - p >= 2 && (unsigned char) p [0] == 0xC2 && (unsigned char) p [1] == 0xA3;
}


//  --------------------------------------------------------------------------
//  Reads body to end as a binary double printed in full, of a value that
//  was a whole number of pence (thousandths for places 3), into that
//  number (unsigned magnitude, scaled by 10^places). Spreadsheets and
//  pandas export amounts so: 2720.70 is computed as 2720.7000000000003,
//  998.00 as 997.9999999999999 (Devon County Council's spend files). The
//  form is exact: no separators, at most 17 significant digits (a double
//  prints in 15 to 17), and the digits past places are noise that only a
//  double's precision explains: the written value lies within 2^-50 of
//  itself (four units in a double's last place) of the whole number, and
//  at least three decimal digits below it, so no other whole number of
//  pence is within reach. 1.005, 12.3401 and 12345678901234.565 are not
//  of that form. Returns true and sets *value_p, or false.

static bool
s_read_float_print (const char *body, const char *end, int places, uint64_t *value_p)
{
    uint64_t digits = 0;
    int significant = 0, decimals = 0;
    bool fraction = false;
    for (const char *q = body; q < end; q++) {
        if (*q == '.') {
            fraction = true;
            continue;
        }
        if (!s_digit (*q))
            return false;       //  a thousands separator: not a printed double
        decimals += fraction;
        if (significant == 0 && *q == '0')
            continue;
        if (++significant > 17)
            return false;
        digits = digits * 10 + (uint64_t) (*q - '0');
    }
    //  The noise is at least three digits below the last kept decimal, and
    //  10^18 still fits
    if (decimals - places < 3 || decimals - places > 18)
        return false;
    uint64_t scale = 1;
    for (int index = places; index < decimals; index++)
        scale *= 10;
    uint64_t whole = digits / scale, noise = digits % scale;
    if (noise * 2 >= scale) {
        whole++;
        noise = scale - noise;
    }
    if (noise > digits >> 50 || noise * 1000 > scale)
        return false;
    *value_p = whole;
    return true;
}


//  --------------------------------------------------------------------------
//  Reads the digits of a number, body to end (only digits, ',' and '.'),
//  into value scaled by 10^places. Returns NULL, or a static reason.

static const char *
s_read_digits (const char *body, const char *end, int places, bool negative,
               bool money, int64_t *value_p)
{
    const char *dot = memchr (body, '.', (size_t) (end - body));
    const char *int_end = dot? dot: end;
    const char *q;

    bool any_digit = false;
    for (q = body; q < end; q++)
        any_digit |= s_digit (*q);
    if (!any_digit)
        return "no digits";
    if (dot && memchr (dot + 1, '.', (size_t) (end - dot - 1)))
        return "more than one decimal point";
    if (dot && memchr (dot + 1, ',', (size_t) (end - dot - 1)))
        return "thousands separator in the wrong place";
    if (dot && dot + 1 == end)
        return "no digits after the decimal point";

    //  Separators must cut the whole part into a head of 1-3 digits (not
    //  a lone 0) and groups of exactly 3: "12,34" might be a decimal comma
    if (memchr (body, ',', (size_t) (int_end - body))) {
        int run = 0;
        bool head = true;
        for (q = body; q <= int_end; q++) {
            if (q < int_end && *q != ',') {
                run++;
                continue;
            }
            if (head? (run < 1 || run > 3 || *body == '0'): run != 3)
                return "thousands separator in the wrong place";
            head = false;
            run = 0;
        }
    }
    //  Accumulate as unsigned so that INT64_MIN's magnitude fits
    uint64_t limit = negative? (uint64_t) INT64_MAX + 1: (uint64_t) INT64_MAX;
    const char *too_large = money? "amount too large": "quantity too large";
    uint64_t value = 0;
    int kept = 0;
    for (q = body; q < end; q++) {
        if (!s_digit (*q))
            continue;
        unsigned digit = (unsigned) (*q - '0');
        if (dot && q > dot) {
            if (kept == places) {
                if (digit) {    //  Never round input, but read a printed double
                    uint64_t whole;
                    if (!s_read_float_print (body, end, places, &whole))
                        return places == 2? "more than two decimal places"
                                          : "more than three decimal places";
                    if (whole > limit)
                        return too_large;
                    *value_p = negative && whole? -(int64_t) (whole - 1) - 1: (int64_t) whole;
                    return NULL;
                }
                continue;
            }
            kept++;
        }
        if (value > (limit - digit) / 10)
            return too_large;
        value = value * 10 + digit;
    }
    for (; kept < places; kept++) {
        if (value > limit / 10)
            return too_large;
        value *= 10;
    }
    *value_p = negative && value? -(int64_t) (value - 1) - 1: (int64_t) value;
    return NULL;
}


//  --------------------------------------------------------------------------
//  Reads a signed decimal into a value scaled by 10^places. A "£" is
//  allowed only when money is true. Returns 0 or -1 as sv_money_parse.

static int
s_parse (const char *text, int places, bool money, int64_t *value_p,
         const char **reason_p)
{
    assert (text);
    assert (value_p);
    const char *p = text;
    const char *end = text + strlen (text);
    while (p < end && s_blank (*p))
        p++;
    while (end > p && s_blank (end [-1]))
        end--;
    bool empty = p == end;

    int signs = 0, opens = 0, closes = 0, pounds = 0;
    bool negative = false;
    //  Before the digits: signs, "£" and "(" in any order; the
    //  combinations that make sense are picked out below
    while (p < end) {
        if (*p == '+' || *p == '-') {
            signs++;
            negative |= *p == '-';
            p++;
        }
        else
        if (*p == '(') {
            opens++;
            p++;
        }
        else
        if (s_pound (p, end)) {
            pounds++;
            p += 2;
        }
        else
            break;
    }
    const char *body = p;
    while (p < end && (s_digit (*p) || *p == ',' || *p == '.'))
        p++;
    const char *body_end = p;
    //  After the digits: a trailing minus (SAP) and ")"
    while (p < end && (*p == '-' || *p == ')')) {
        if (*p == '-') {
            signs++;
            negative = true;
        }
        else
            closes++;
        p++;
    }
    const char *reason = NULL;
    if (empty)
        reason = "empty";
    else
    if (p < end)
        reason = s_blank (*p)? "space inside the number":
                 (*p == 'e' || *p == 'E') && body_end > body? "exponent notation not allowed":
                 "not a number";
    else
    if (signs > 1)
        reason = "more than one sign";
    else
    if (opens != closes)
        reason = "unbalanced parentheses";
    else
    if (opens > 1)
        reason = "not a number";
    else
    if (opens && signs)
        reason = "sign and parentheses together";
    else
    if (pounds && !money)
        reason = "currency sign in a quantity";
    else
    if (pounds > 1)
        reason = "more than one currency sign";
    else
        reason = s_read_digits (body, body_end, places, negative || opens,
                                money, value_p);
    if (reason && reason_p)
        *reason_p = reason;
    return reason? -1: 0;
}


//  --------------------------------------------------------------------------
//  Reads an amount of money into pence; see the header for the forms.

int
sv_money_parse (const char *text, int64_t *pence_p, const char **reason_p)
{
    return s_parse (text, 2, true, pence_p, reason_p);
}


//  --------------------------------------------------------------------------
//  Reads a decimal quantity into thousandths of a unit.

int
sv_money_parse_quantity (const char *text, int64_t *milli_p, const char **reason_p)
{
    return s_parse (text, 3, false, milli_p, reason_p);
}


//  --------------------------------------------------------------------------
//  Writes pence as [-][£]digits.dd, with or without thousands separators.

static const char *
s_format (int64_t pence, char *buf, size_t size, bool human)
{
    assert (buf);
    assert (size >= SV_MONEY_BUF);
    uint64_t magnitude = pence < 0? 0 - (uint64_t) pence: (uint64_t) pence;
    char digits [SV_MONEY_BUF];
    char *p = digits + sizeof digits;

    //  Written backwards from the end of digits
    *--p = 0;
    *--p = (char) ('0' + magnitude % 10);
    magnitude /= 10;
    *--p = (char) ('0' + magnitude % 10);
    magnitude /= 10;
    *--p = '.';
    int group = 0;
    do {
        if (human && group == 3) {
            *--p = ',';
            group = 0;
        }
        *--p = (char) ('0' + magnitude % 10);
        magnitude /= 10;
        group++;
    } while (magnitude);
    if (human) {
        *--p = (char) 0xA3;         //  "£" in UTF-8
        *--p = (char) 0xC2;
    }
    if (pence < 0)
        *--p = '-';
    memcpy (buf, p, (size_t) (digits + sizeof digits - p));
    return buf;
}


//  --------------------------------------------------------------------------
//  Writes pence for a person: "£1,234.56", "-£23,484.00".

const char *
sv_money_format (int64_t pence, char *buf, size_t size)
{
    return s_format (pence, buf, size, true);
}


//  --------------------------------------------------------------------------
//  Writes pence for CSV: "1234.56", "-23484.00".

const char *
sv_money_format_plain (int64_t pence, char *buf, size_t size)
{
    return s_format (pence, buf, size, false);
}


//  --------------------------------------------------------------------------
//  quantity_milli × pence / 1000, rounded once, half to even.

int
sv_money_mul_milli (int64_t quantity_milli, int64_t pence, int64_t *result_p)
{
    assert (result_p);
    s_int128_t product = (s_int128_t) quantity_milli * pence;
    s_int128_t quotient = product / 1000;       //  Truncated toward zero
    s_int128_t remainder = product % 1000;      //  Same sign as product
    s_int128_t twice = remainder < 0? -2 * remainder: 2 * remainder;
    if (twice > 1000 || (twice == 1000 && (quotient & 1)))
        quotient += product < 0? -1: 1;
    if (quotient < INT64_MIN || quotient > INT64_MAX)
        return -1;
    *result_p = (int64_t) quotient;
    return 0;
}


//  --------------------------------------------------------------------------
//  Self test of this class

//  Asserts that text reads as expected
static void
s_accepts (const char *text, int64_t expected, bool quantity, bool verbose)
{
    int64_t value = 12345;
    const char *reason = "unset";
    int rc = quantity? sv_money_parse_quantity (text, &value, &reason)
                     : sv_money_parse (text, &value, &reason);
    if (verbose)
        printf (" '%s' -> %s%lld\n", text, rc? reason: "", rc? 0LL: (long long) value);
    assert (rc == 0);
    assert (value == expected);
    assert (strcmp (reason, "unset") == 0);
}

//  Asserts that text is refused for the expected reason and value untouched
static void
s_rejects (const char *text, const char *expected, bool quantity, bool verbose)
{
    int64_t value = 12345;
    const char *reason = NULL;
    int rc = quantity? sv_money_parse_quantity (text, &value, &reason)
                     : sv_money_parse (text, &value, &reason);
    if (verbose)
        printf (" '%s' -> %s\n", text, rc? reason: "accepted");
    assert (rc == -1);
    assert (value == 12345);
    assert (reason && strcmp (reason, expected) == 0);
    //  A NULL reason_p is allowed
    assert ((quantity? sv_money_parse_quantity (text, &value, NULL)
                     : sv_money_parse (text, &value, NULL)) == -1);
}

static void
s_formats (int64_t pence, const char *human, const char *plain)
{
    char buf [SV_MONEY_BUF];
    assert (sv_money_format (pence, buf, sizeof buf) == buf);
    assert (strcmp (buf, human) == 0);
    assert (sv_money_format_plain (pence, buf, sizeof buf) == buf);
    assert (strcmp (buf, plain) == 0);
    //  Both forms read back to the same pence
    int64_t back;
    assert (sv_money_parse (human, &back, NULL) == 0 && back == pence);
    assert (sv_money_parse (plain, &back, NULL) == 0 && back == pence);
}

static void
s_multiplies (int64_t milli, int64_t pence, int64_t expected)
{
    int64_t result = 0;
    assert (sv_money_mul_milli (milli, pence, &result) == 0);
    assert (result == expected);
}

static void
s_overflows (int64_t milli, int64_t pence)
{
    int64_t result = 12345;
    assert (sv_money_mul_milli (milli, pence, &result) == -1);
    assert (result == 12345);
}

void
sv_money_test (bool verbose)
{
    if (verbose)
        printf (" * sv_money: ");

    //  @selftest
    //  Amounts as council spend files write them
    s_accepts ("0", 0, false, verbose);
    s_accepts ("1500", 150000, false, verbose);
    s_accepts ("1234.5", 123450, false, verbose);
    s_accepts ("1234.56", 123456, false, verbose);
    s_accepts (".5", 50, false, verbose);
    s_accepts ("0.01", 1, false, verbose);
    s_accepts ("-0.04", -4, false, verbose);
    s_accepts ("007.50", 750, false, verbose);
    s_accepts ("£1,234.56", 123456, false, verbose);
    s_accepts ("-£23,484.00", -2348400, false, verbose);
    s_accepts ("£-23.00", -2300, false, verbose);
    s_accepts ("+12.00", 1200, false, verbose);
    s_accepts ("+£12", 1200, false, verbose);
    s_accepts ("(123.45)", -12345, false, verbose);
    s_accepts ("(£1,234.56)", -123456, false, verbose);
    s_accepts ("(1,000.00)", -100000, false, verbose);
    s_accepts ("123.45-", -12345, false, verbose);
    s_accepts ("£123.45-", -12345, false, verbose);
    s_accepts ("1,234,567.8", 123456780, false, verbose);
    s_accepts ("999,999", 99999900, false, verbose);
    s_accepts ("12.3400", 1234, false, verbose);
    s_accepts ("12.000000", 1200, false, verbose);
    s_accepts ("  42.10\t\r\n", 4210, false, verbose);
    s_accepts (" -£5 ", -500, false, verbose);
    s_accepts ("558918743.19", 55891874319, false, verbose);

    //  Negative zero is zero
    s_accepts ("-0.00", 0, false, verbose);
    s_accepts ("(0.00)", 0, false, verbose);
    s_accepts ("0.00-", 0, false, verbose);
    s_accepts ("-£0", 0, false, verbose);

    //  The whole int64 range, and not a penny more either way
    s_accepts ("92233720368547758.07", INT64_MAX, false, verbose);
    s_accepts ("£92,233,720,368,547,758.07", INT64_MAX, false, verbose);
    s_accepts ("-92233720368547758.08", INT64_MIN, false, verbose);
    s_accepts ("(£92,233,720,368,547,758.08)", INT64_MIN, false, verbose);
    s_accepts ("92233720368547758.08-", INT64_MIN, false, verbose);
    s_accepts ("0000000000000000000000000001", 100, false, verbose);
    s_rejects ("92233720368547758.08", "amount too large", false, verbose);
    s_rejects ("-92233720368547758.09", "amount too large", false, verbose);
    s_rejects ("92233720368547759", "amount too large", false, verbose);
    s_rejects ("(92233720368547759)", "amount too large", false, verbose);
    s_rejects ("99999999999999999999999", "amount too large", false, verbose);
    s_rejects ("18446744073709551616", "amount too large", false, verbose);

    //  Nothing to read
    s_rejects ("", "empty", false, verbose);
    s_rejects (" \t ", "empty", false, verbose);
    s_rejects ("-", "no digits", false, verbose);
    s_rejects ("+", "no digits", false, verbose);
    s_rejects ("£", "no digits", false, verbose);
    s_rejects ("-£", "no digits", false, verbose);
    s_rejects ("()", "no digits", false, verbose);
    s_rejects (".", "no digits", false, verbose);
    s_rejects (",", "no digits", false, verbose);
    s_rejects ("5.", "no digits after the decimal point", false, verbose);

    //  Signs, parentheses and currency signs that do not add up
    s_rejects ("--5", "more than one sign", false, verbose);
    s_rejects ("+-5", "more than one sign", false, verbose);
    s_rejects ("-£-5", "more than one sign", false, verbose);
    s_rejects ("-5-", "more than one sign", false, verbose);
    s_rejects ("-(5)", "sign and parentheses together", false, verbose);
    s_rejects ("(-5)", "sign and parentheses together", false, verbose);
    s_rejects ("(5)-", "sign and parentheses together", false, verbose);
    s_rejects ("(5", "unbalanced parentheses", false, verbose);
    s_rejects ("5)", "unbalanced parentheses", false, verbose);
    s_rejects ("((5))", "not a number", false, verbose);
    s_rejects ("££5", "more than one currency sign", false, verbose);
    s_rejects ("5+", "not a number", false, verbose);
    s_rejects ("5£", "not a number", false, verbose);
    s_rejects ("\xA3" "5", "not a number", false, verbose);  //  cp1252 "£"

    //  Spaces, exponents, letters and text run into the amount
    s_rejects ("1 234", "space inside the number", false, verbose);
    s_rejects ("- 5", "space inside the number", false, verbose);
    s_rejects ("£ 5", "space inside the number", false, verbose);
    s_rejects ("1500 01/04/2014", "space inside the number", false, verbose);
    s_rejects ("1.2E+05", "exponent notation not allowed", false, verbose);
    s_rejects ("1e5", "exponent notation not allowed", false, verbose);
    s_rejects ("abc", "not a number", false, verbose);
    s_rejects ("Nil", "not a number", false, verbose);
    s_rejects ("E5", "not a number", false, verbose);
    s_rejects ("12a", "not a number", false, verbose);
    s_rejects ("0x10", "not a number", false, verbose);
    s_rejects ("01/04/2014", "not a number", false, verbose);
    s_rejects ("123.4501/04/2014", "not a number", false, verbose);
    s_rejects ("12.5%", "not a number", false, verbose);
    s_rejects ("1.2.3", "more than one decimal point", false, verbose);

    //  Separators that could be read two ways, and rounding we refuse to do
    s_rejects ("1,23.4", "thousands separator in the wrong place", false, verbose);
    s_rejects ("12,34", "thousands separator in the wrong place", false, verbose);
    s_rejects ("1234,567", "thousands separator in the wrong place", false, verbose);
    s_rejects ("1,2345", "thousands separator in the wrong place", false, verbose);
    s_rejects (",123", "thousands separator in the wrong place", false, verbose);
    s_rejects ("123,", "thousands separator in the wrong place", false, verbose);
    s_rejects ("1,,234", "thousands separator in the wrong place", false, verbose);
    s_rejects ("0,123", "thousands separator in the wrong place", false, verbose);
    s_rejects ("1,234.5,6", "thousands separator in the wrong place", false, verbose);
    s_rejects ("12.345", "more than two decimal places", false, verbose);
    s_rejects ("12.3401", "more than two decimal places", false, verbose);
    s_rejects ("0.005", "more than two decimal places", false, verbose);
    //  A binary double printed in full, of a whole number of pence, is
    //  read as that number (Devon County Council, January 2021); fewer
    //  digits, or noise a double does not explain, are refused still
    s_accepts ("2720.7000000000003", 272070, false, verbose);
    s_accepts ("997.9999999999999", 99800, false, verbose);
    s_accepts ("-700.4399999999999", -70044, false, verbose);
    s_accepts ("486.59999999999997", 48660, false, verbose);
    s_accepts ("63396.219999999994", 6339622, false, verbose);
    s_accepts ("(500.58000000000004)", -50058, false, verbose);
    s_accepts ("0.30000000000000004", 30, false, verbose);
    s_rejects ("2720.70003", "more than two decimal places", false, verbose);
    s_rejects ("2720.7000000000103", "more than two decimal places", false, verbose);
    s_rejects ("2,720.7000000000003", "more than two decimal places", false, verbose);
    s_rejects ("12345678901234.565", "more than two decimal places", false, verbose);
    s_rejects ("1234567.12345678", "more than two decimal places", false, verbose);
    s_rejects ("27207.000000000000000003", "more than two decimal places", false, verbose);
    s_accepts ("2.5000000000000004", 2500, true, verbose);
    s_rejects ("2.5004", "more than three decimal places", true, verbose);

    //  Quantities, in thousandths of a unit
    s_accepts ("12", 12000, true, verbose);
    s_accepts ("12.5", 12500, true, verbose);
    s_accepts ("0.125", 125, true, verbose);
    s_accepts ("1,200", 1200000, true, verbose);
    s_accepts ("-3.5", -3500, true, verbose);
    s_accepts ("(2)", -2000, true, verbose);
    s_accepts ("1.2500", 1250, true, verbose);
    s_accepts ("-0", 0, true, verbose);
    s_accepts ("9223372036854775.807", INT64_MAX, true, verbose);
    s_accepts ("-9223372036854775.808", INT64_MIN, true, verbose);
    s_rejects ("9223372036854775.808", "quantity too large", true, verbose);
    s_rejects ("1.2345", "more than three decimal places", true, verbose);
    s_rejects ("£5", "currency sign in a quantity", true, verbose);
    s_rejects ("1,20", "thousands separator in the wrong place", true, verbose);
    s_rejects ("", "empty", true, verbose);
    s_rejects ("--1", "more than one sign", true, verbose);
    s_rejects ("1 5", "space inside the number", true, verbose);
    s_rejects ("1.5e3", "exponent notation not allowed", true, verbose);
    s_rejects ("12 weeks", "space inside the number", true, verbose);

    //  Formatting, for people and for CSV; each reads back exactly
    s_formats (0, "£0.00", "0.00");
    s_formats (5, "£0.05", "0.05");
    s_formats (-5, "-£0.05", "-0.05");
    s_formats (99999, "£999.99", "999.99");
    s_formats (100000, "£1,000.00", "1000.00");
    s_formats (123456, "£1,234.56", "1234.56");
    s_formats (-2348400, "-£23,484.00", "-23484.00");
    s_formats (123456789, "£1,234,567.89", "1234567.89");
    s_formats (INT64_MAX, "£92,233,720,368,547,758.07", "92233720368547758.07");
    s_formats (INT64_MIN, "-£92,233,720,368,547,758.08", "-92233720368547758.08");
    s_formats (INT64_MIN + 1, "-£92,233,720,368,547,758.07", "-92233720368547758.07");
    //  Every width of whole part, both signs
    int64_t pence = 7;
    for (int digits = 0; digits < 18; digits++, pence = pence * 10 + 3) {
        char buf [SV_MONEY_BUF];
        int64_t back;
        assert (sv_money_parse (sv_money_format (pence, buf, sizeof buf), &back, NULL) == 0);
        assert (back == pence);
        assert (sv_money_parse (sv_money_format (-pence, buf, sizeof buf), &back, NULL) == 0);
        assert (back == -pence);
        assert (sv_money_parse (sv_money_format_plain (-pence, buf, sizeof buf), &back, NULL) == 0);
        assert (back == -pence);
    }

    //  Quantity × price, rounded once, half to even
    s_multiplies (2500, 3, 8);              //  7.5 -> 8
    s_multiplies (500, 5, 2);               //  2.5 -> 2
    s_multiplies (-2500, 3, -8);            //  -7.5 -> -8
    s_multiplies (-500, 5, -2);             //  -2.5 -> -2
    s_multiplies (2500, -3, -8);
    s_multiplies (1500, 1, 2);              //  1.5 -> 2
    s_multiplies (3500, 1, 4);              //  3.5 -> 4
    s_multiplies (-1500, 1, -2);
    s_multiplies (-3500, 1, -4);
    s_multiplies (1, 499, 0);
    s_multiplies (1, 500, 0);               //  0.5 -> 0
    s_multiplies (1, 501, 1);
    s_multiplies (-1, 501, -1);
    s_multiplies (-1, 499, 0);
    s_multiplies (12500, 12345, 154312);    //  154312.5 -> 154312
    s_multiplies (12500, 12347, 154338);    //  154337.5 -> 154338
    s_multiplies (52000, 45217, 2351284);   //  52 apprenticeship weeks at £452.17
    s_multiplies (0, INT64_MIN, 0);
    s_multiplies (1000, INT64_MAX, INT64_MAX);
    s_multiplies (1000, INT64_MIN, INT64_MIN);
    s_multiplies (-1000, INT64_MAX, -INT64_MAX);
    s_multiplies (INT64_MAX, 1000, INT64_MAX);
    s_multiplies (INT64_MAX, 1, INT64_MAX / 1000 + 1);  //  ...775.807 -> 776
    s_overflows (-1000, INT64_MIN);
    s_overflows (1001, INT64_MAX);
    s_overflows (-1001, INT64_MAX);
    s_overflows (2000, INT64_MIN);
    s_overflows (INT64_MAX, INT64_MAX);
    s_overflows (INT64_MIN, INT64_MIN);
    s_overflows (INT64_MIN, INT64_MAX);
    //  @end

    if (verbose)
        printf ("OK\n");
}
