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
    json_object_set_new (object, "measure", json_string (alert->measure? alert->measure: ""));
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

static int
s_severity_rank (const char *severity)
{
    static const char *const severities [] = { "high", "medium", "low" };
    int rank = 0;
    while (rank < 3 && !(severity && streq (severity, severities [rank])))
        rank++;
    return rank;
}

int
compliance_alert_compare (const sv_proto_alert_t *one, const sv_proto_alert_t *two)
{
    assert (one && two);
    int rank1 = s_severity_rank (one->severity), rank2 = s_severity_rank (two->severity);
    if (rank1 != rank2)
        return rank1 - rank2;
    return strcmp (one->alert_id? one->alert_id: "", two->alert_id? two->alert_id: "");
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
                         "\"at\":\"2025-05-01T00:00:00Z\",\"measure\":\"\"}"));
    free (text);
    text = compliance_alert_json_text (&alert, 0);
    assert (strncmp (text, "{\"alert_id\"", 11) == 0);
    free (text);

    //  Most severe first; an unknown or empty severity last, never first
    sv_proto_alert_t low = { .alert_id = "a", .severity = "low" };
    sv_proto_alert_t medium = { .alert_id = "z", .severity = "medium" };
    sv_proto_alert_t unknown = { .alert_id = "b", .severity = "" };
    sv_proto_alert_t misspelt = { .alert_id = "c", .severity = "hi" };
    assert (compliance_alert_compare (&alert, &medium) < 0);
    assert (compliance_alert_compare (&medium, &low) < 0);
    assert (compliance_alert_compare (&low, &unknown) < 0);
    assert (compliance_alert_compare (&low, &misspelt) < 0);
    assert (compliance_alert_compare (&unknown, &misspelt) < 0);
    assert (compliance_alert_compare (&alert, &alert) == 0);
    if (verbose)
        printf ("OK\n");
}
