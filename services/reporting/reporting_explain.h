/*  reporting_explain: how one figure of a report is made (socval explain).

    A figure is addressed by its path in the report's JSON document
    (REPORT_JSON.md): member names joined by dots, a list's element picked
    by its key in brackets, the key being the value of one of the
    element's string members ("social_value.by_measure[NT10].delivered_pence",
    "spend.by_ward[Boston Castle].local_pence" or, the same ward by its
    code, "spend.by_ward[E05001].local_pence"; a measure also by its
    framework and code, "social_value.by_measure[toms/NT1].delivered_qty",
    as two frameworks may use one code; a contracts row by
    PARTNER/CONTRACT/FRAMEWORK/MEASURE or as much of it as picks one,
    "contracts[C-1/NT1].claimed"; a KPI by PARTNER/CONTRACT/KPI). The path
    is walked over the document itself, so every figure the report has can
    be named, and an unknown one is answered with the nearest paths it does
    have, looked for where the path reached.

    Which lines make a figure follows from the path: the list an element
    was picked from narrows the lines (a month, a ward, a measure, a
    theme, a contract, a group, a partner, a contracts row or KPI, whose
    lines are taken as the contracts report takes them, flagged by
    valuation or not) and the figure's own name says what is summed (local
    pence, delivered pence, a count of deliveries, a quantity).
    Only the figures listed in EXPLAIN_JSON.md are made of lines; any
    other (a share, a count of contracts or alerts, a setting, a status, a
    rating, a KPI's target or actual the KPI feed gave, a text) is answered
    "not traceable" with why, never with a list of lines that only looks
    like an answer. A figure suppressed as a small number is not traced
    either: its lines would show what suppression hides.

    The lines come from reporting_store_trace; this file has no SQL and no
    sockets. The sum of all the lines is compared with the report's figure:
    they are equal by construction, and the explanation says so
    ("sum" == "value"); were they ever not, it says that instead.
*/
#ifndef REPORTING_EXPLAIN_H_INCLUDED
#define REPORTING_EXPLAIN_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "reporting_store.h"

//  Lines listed when the asker names no maximum: the largest contributors
#define REPORTING_EXPLAIN_DEFAULT_MAX 20

//  Explains figure of report, the document reporting_store_report made
//  from params. after and max page through the lines (max 0: the
//  default). local_area, when not NULL, is {partner: {"local_districts",
//  "local_authorities"}, ...} plus "postcode_lookup", copied into a spend
//  figure's explanation as the rules its localities came from (borrowed).
//  Returns the explanation (the caller's), or NULL with *code_p 400 (a
//  malformed path, a key that picks several elements) or 404 (no such
//  figure, the reason naming the nearest paths) or 500 (the store failed),
//  and *reason_p a fresh string the caller frees.
json_t *
    reporting_explain (reporting_store_t *store, const reporting_store_params_t *params,
                       json_t *report, const char *figure, uint64_t after, uint64_t max,
                       json_t *local_area, int *code_p, char **reason_p);

//  The wards and beneficiary groups report (an annual document) withholds
//  as small numbers, as keys "w:WARD" (a ward as valued lines hold it: its
//  code, else its name) and "g:GROUP". A new hash, the caller's.
zhashx_t *
    reporting_explain_withheld (const json_t *report);

//  When a valued line's ward or group is in withheld, blanks its ward,
//  ward_name, beneficiary_group and line key (which spells them out) and
//  sets "suppressed" true; else sets it false. Returns whether it did.
bool
    reporting_explain_withhold (json_t *row, zhashx_t *withheld);

//  Self-test.
void
    reporting_explain_test (bool verbose);

#endif
