/*  compliance_alert: an alert as people and scripts read it. See
    compliance_alert.h.
*/

#include "compliance_alert.h"

json_t *
compliance_alert_json (const sv_proto_alert_t *alert, uint64_t seq)
{
    assert (alert);
    json_t *object = json_object ();
    if (seq)
        json_object_set_new (object, "seq", json_integer ((json_int_t) seq));
    json_object_set_new (object, "alert_id", json_string (alert->alert_id));
    json_object_set_new (object, "rule", json_string (alert->rule));
    json_object_set_new (object, "severity", json_string (alert->severity));
    json_object_set_new (object, "state", json_string (alert->state));
    json_object_set_new (object, "partner", json_string (alert->partner));
    json_object_set_new (object, "supplier", json_string (alert->supplier_key));
    json_object_set_new (object, "contract", json_string (alert->contract_id));
    json_object_set_new (object, "message", json_string (alert->message));
    json_object_set_new (object, "at", json_string (alert->at));
    return object;
}

char *
compliance_alert_json_text (const sv_proto_alert_t *alert, uint64_t seq)
{
    json_t *object = compliance_alert_json (alert, seq);
    char *text = json_dumps (object, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref (object);
    return text;
}

void
compliance_alert_print (const sv_proto_alert_t *alert, FILE *out)
{
    assert (alert && out);
    fprintf (out, "%-12s %-6s %s  (%s)\n    %s\n", alert->state, alert->severity,
             alert->alert_id, alert->at, alert->message);
}

void
compliance_alert_test (bool verbose)
{
    if (verbose)
        printf (" * compliance_alert: ");
    sv_proto_alert_t alert = {
        .alert_id = "rlw.missing_commitment/council/C-1", .rule = "rlw.missing_commitment",
        .severity = "high", .state = "open", .partner = "council", .supplier_key = "CH:1",
        .contract_id = "C-1", .message = "Office \"cleaning\"", .at = "2025-05-01T00:00:00Z"
    };
    char *text = compliance_alert_json_text (&alert, 7);
    assert (streq (text, "{\"seq\":7,\"alert_id\":\"rlw.missing_commitment/council/C-1\","
                         "\"rule\":\"rlw.missing_commitment\",\"severity\":\"high\","
                         "\"state\":\"open\",\"partner\":\"council\",\"supplier\":\"CH:1\","
                         "\"contract\":\"C-1\",\"message\":\"Office \\\"cleaning\\\"\","
                         "\"at\":\"2025-05-01T00:00:00Z\"}"));
    free (text);
    text = compliance_alert_json_text (&alert, 0);
    assert (strncmp (text, "{\"alert_id\"", 11) == 0);
    free (text);
    if (verbose)
        printf ("OK\n");
}
