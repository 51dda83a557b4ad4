/*  =========================================================================
    sv_money - money as int64 pence and quantities as int64 thousandths

    Every amount in socval is an int64_t count of pence and every quantity
    an int64_t count of thousandths of a unit; floating point never touches
    either. This class reads the amounts found in council spend files,
    writes them back for people (£1,234.56) and for CSV (1234.56), and does
    the one multiplication that rounds: quantity × price, half to even.

    Parsing never guesses. Anything that could be read two ways (12,34),
    that would need rounding (1.005), or that has text run into it is
    refused with a short, static English reason for the row's error. A
    binary double printed in full (2720.7000000000003, as spreadsheets and
    pandas export 2720.70) is read as the whole number of pence it stands
    for, since no other is within a double's precision of it.
    =========================================================================
*/

#ifndef SV_MONEY_H_INCLUDED
#define SV_MONEY_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

//  Size of a buffer that holds any formatted amount, INT64_MIN included,
//  with its terminating NUL.
#define SV_MONEY_BUF 32

//  Reads an amount of money into pence. Accepts surrounding whitespace; a
//  "£" (UTF-8); one sign, either before or after the "£" ("-£5", "£-5",
//  "+5") or trailing ("5-", SAP style); or parentheses for a negative
//  ("(5)", "(£1,234.56)"); thousands separators "," in exact groups of
//  three; 0, 1 or 2 decimals (".5" is 50); further decimals only if they
//  are zeros ("12.3400"), or if the text is a binary double printed in
//  full of a whole number of pence: at most 17 significant digits, no
//  separators, and within four units of a double's last place of that
//  number, three or more decimal digits below the penny
//  ("2720.7000000000003" is 272070, "997.9999999999999" is 99800; not
//  "1.005" or "2720.70003"). "-0.00" and "(0)" read as 0.
//  Returns 0 and sets *pence_p on success. Returns -1 on bad input, leaving
//  *pence_p untouched and, if reason_p is not NULL, pointing *reason_p at
//  a static English reason ("not a number", "more than two decimal
//  places", "amount too large", ...). text and pence_p must not be NULL.
int
    sv_money_parse (const char *text, int64_t *pence_p, const char **reason_p);

//  Reads a decimal quantity into thousandths of a unit: "12" is 12000,
//  "0.125" is 125, "1,200" is 1200000. Same rules and reasons as
//  sv_money_parse, except that up to 3 decimals are kept (more only if they
//  are zeros) and a "£" is refused. Returns 0 or -1 as sv_money_parse.
int
    sv_money_parse_quantity (const char *text, int64_t *milli_p,
                             const char **reason_p);

//  Writes pence for a person: "£1,234.56", "-£23,484.00", "£0.00". buf
//  must hold at least SV_MONEY_BUF bytes (size says how many). Any int64
//  value, INT64_MIN included, is written exactly. Returns buf.
const char *
    sv_money_format (int64_t pence, char *buf, size_t size);

//  Writes pence for a machine (CSV): "1234.56", "-23484.00", "0.00"; no
//  "£", no separators. Same buffer rules as sv_money_format. Returns buf.
const char *
    sv_money_format_plain (int64_t pence, char *buf, size_t size);

//  Values a quantity at a price: quantity_milli (thousandths of a unit) ×
//  pence (per unit) / 1000, rounded once, half to even: 2.5 units at 3p is
//  8p, 0.5 units at 5p is 2p, -2.5 units at 3p is -8p. Returns 0 and sets
//  *result_p, or -1 if the result does not fit in int64 (*result_p is then
//  untouched). result_p must not be NULL.
int
    sv_money_mul_milli (int64_t quantity_milli, int64_t pence,
                        int64_t *result_p);

//  Self test of this class; asserts (aborts) on failure.
void
    sv_money_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
