/*  reporting_method: the methodology of a report, in one place.

    How local is defined, which evidence states count, how years, values
    and rounding work, how small numbers are suppressed and what becomes
    of redacted payments: the same text is the open-data pack's
    methodology.md and the appendix of the annual html report, so the two
    can never say different things. It is made from the report document
    alone (its evidence_counted, small_number_threshold, frameworks and
    offsets), as every rendering is.
*/
#ifndef REPORTING_METHOD_H_INCLUDED
#define REPORTING_METHOD_H_INCLUDED

#include <czmq.h>
#include <jansson.h>

//  The methodology of report (an annual document, borrowed) as
//  [{"heading", "text"}], the caller's to json_decref. Plain text: each
//  text is one paragraph.
json_t *
    reporting_method (const json_t *report);

//  The same as a markdown file's text (a fresh string, the caller's).
char *
    reporting_method_markdown (const json_t *report);

//  Writes the same as the annual html report's last section, numbered
//  number: a <section id="methodology"> using the report's existing
//  markup (h2 with its number, h3, p), XML-escaped.
void
    reporting_method_html (FILE *out, const json_t *report, int number);

//  Self-test.
void
    reporting_method_test (bool verbose);

#endif
