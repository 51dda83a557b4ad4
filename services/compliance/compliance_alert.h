/*  compliance_alert: an alert as people and scripts read it, the same for
    the alert hook, `socval alerts` and its --follow.
*/
#ifndef COMPLIANCE_ALERT_H_INCLUDED
#define COMPLIANCE_ALERT_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "sv_proto.h"

//  The alert as a JSON object {"alert_id", "rule", "severity", "state",
//  "partner", "supplier", "contract", "message", "at"}, with "seq" first
//  when seq is not 0 (its position in compliance's stream, to resume
//  from). Caller owns it.
json_t *
    compliance_alert_json (const sv_proto_alert_t *alert, uint64_t seq);

//  The same as one line of compact JSON. Caller frees.
char *
    compliance_alert_json_text (const sv_proto_alert_t *alert, uint64_t seq);

//  One alert as a line for a person: state, severity, id, then the message
//  indented on the next line.
void
    compliance_alert_print (const sv_proto_alert_t *alert, FILE *out);

//  The order every list of alerts is shown in, by socval alerts and in
//  reports: most severe first (high, medium, low, then any severity not
//  known, so a misspelt one never jumps the queue), then by alert_id.
//  Returns less than, equal to or more than 0, as strcmp does.
int
    compliance_alert_compare (const sv_proto_alert_t *one, const sv_proto_alert_t *two);

void
    compliance_alert_test (bool verbose);

#endif
