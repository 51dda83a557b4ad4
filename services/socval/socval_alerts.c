/*  socval alerts: lists, follows and acknowledges compliance's alerts.

    Every view reads compliance's durable stream, the record of every
    change of every alert: a list folds it to each alert's latest state; a
    follower starting afresh prints the alerts not yet resolved, then each
    change (raised, acknowledged, resolved) as it is committed and, given
    an offset file, resumes after the last change it printed, so nothing
    is missed or repeated while it was away. An acknowledgement goes to
    compliance's control endpoint, which appends the change to the stream.
*/

#include "socval.h"
#include "compliance_alert.h"

//  Reads compliance's stream after *after_p, calling fn for each ALERT
//  event, until the head the producer reported (when follow is false) or
//  until interrupted (when true, long polling). Returns 0, fn's code when
//  it fails, or 2 (with a message) when the stream could not be read: no
//  answer from compliance within timeout_ms, or an interrupt before the
//  head was reached. A half-read stream is no answer, since a list of it
//  would read as "no alerts". A follower that has had an answer waits out
//  an outage, reconnecting, and an interrupt is how it stops (0).
typedef int (s_alert_fn) (const sv_proto_alert_t *alert, uint64_t seq, void *arg);

static int
s_read_alerts (sv_config_t *config, uint64_t *after_p, bool follow, int timeout_ms,
               s_alert_fn *fn, void *arg)
{
    const char *endpoint = sv_config_get (config, "compliance/stream_endpoint");
    zsock_t *dealer = socval_connect ("compliance", endpoint);
    int rc = 0;
    bool answered = false, complete = false;
    while (!zsys_interrupted) {
        sv_proto_t fetch = { .id = SV_PROTO_FETCH };
        fetch.fetch.stream = "compliance";
        fetch.fetch.after_seq = *after_p;
        fetch.fetch.max = 1000;
        zframe_t *frame = sv_proto_encode_frame (&fetch);
        zframe_send (&frame, dealer, 0);
        sv_proto_t reply = { .id = 0 };
        //  The producer holds a caught-up FETCH for a heartbeat: wait longer
        if (socval_recv_reply (dealer, timeout_ms, &reply) || reply.id != SV_PROTO_EVENTS) {
            sv_proto_reset (&reply);
            if (zsys_interrupted)
                break;
            if (!follow || !answered) {
                fprintf (stderr, "socval: no answer from compliance at %s within %d s"
                         " (is it running?)\n", endpoint, timeout_ms / 1000);
                rc = 2;
                break;
            }
            //  A follower outlives an outage: reconnect and ask again
            zsock_destroy (&dealer);
            dealer = socval_connect ("compliance", endpoint);
            continue;
        }
        answered = true;
        const sv_proto_events_t *events = &reply.events;
        for (size_t index = 0; index < events->events_count && rc == 0; index++) {
            const sv_proto_event_t *event = &events->events [index];
            sv_proto_t alert = { .id = 0 };
            if (sv_proto_decode (&alert, event->body, event->body_size) == 0
            &&  alert.id == SV_PROTO_ALERT)
                rc = fn (&alert.alert, event->seq, arg);
            sv_proto_reset (&alert);
            *after_p = event->seq;
        }
        complete = !follow && *after_p >= events->head_seq;
        sv_proto_reset (&reply);
        if (rc || complete)
            break;
    }
    if (rc == 0 && !complete && !(follow && answered)) {
        fprintf (stderr, "socval: interrupted before compliance's alerts were read\n");
        rc = 2;
    }
    zsock_destroy (&dealer);
    return rc;
}

//  ==========================================================================
//  Listing

static bool
s_state_matches (const char *wanted, const char *state)
{
    if (streq (wanted, "all"))
        return true;
    if (streq (wanted, "open"))     //  open means not yet resolved
        return !streq (state, "resolved");
    return streq (wanted, state);
}

static void
s_alert_destroy (void **item_p)
{
    sv_proto_t *message = (sv_proto_t *) *item_p;
    sv_proto_reset (message);
    free (message);
    *item_p = NULL;
}

//  Keeps each alert's latest state, in the order alerts first appeared
static int
s_fold (const sv_proto_alert_t *alert, uint64_t seq, void *arg)
{
    (void) seq;
    zhashx_t *latest = (zhashx_t *) arg;
    //  Copy through the codec: the message owns its strings
    sv_proto_t copy = { .id = SV_PROTO_ALERT, .alert = *alert };
    zframe_t *frame = sv_proto_encode_frame (&copy);
    sv_proto_t *kept = (sv_proto_t *) zmalloc (sizeof (sv_proto_t));
    sv_proto_decode (kept, zframe_data (frame), zframe_size (frame));
    zframe_destroy (&frame);
    zhashx_update (latest, alert->alert_id, kept);
    return 0;
}

static int
s_compare_alerts (const void *item1, const void *item2)
{
    return compliance_alert_compare (&(*(sv_proto_t *const *) item1)->alert,
                                     &(*(sv_proto_t *const *) item2)->alert);
}

//  Reads the stream to its head and returns the latest state of each
//  alert whose state matches, most severe first, NULL-terminated, or NULL
//  with *rc_p set when the stream could not be read. The array is the
//  caller's to free; its messages belong to *latest_p, the caller's to
//  destroy after. *after_p ends at the head read.
static sv_proto_t **
s_current (sv_config_t *config, const char *state, int timeout_ms, uint64_t *after_p,
           zhashx_t **latest_p, size_t *count_p, int *rc_p)
{
    zhashx_t *latest = zhashx_new ();
    zhashx_set_destructor (latest, s_alert_destroy);
    *latest_p = latest;
    *rc_p = s_read_alerts (config, after_p, false, timeout_ms, s_fold, latest);
    if (*rc_p)
        return NULL;
    size_t count = 0;
    sv_proto_t **alerts = (sv_proto_t **) calloc (zhashx_size (latest) + 1,
                                                  sizeof (sv_proto_t *));
    for (sv_proto_t *alert = (sv_proto_t *) zhashx_first (latest); alert;
         alert = (sv_proto_t *) zhashx_next (latest))
        if (s_state_matches (state, alert->alert.state))
            alerts [count++] = alert;
    qsort (alerts, count, sizeof (sv_proto_t *), s_compare_alerts);
    *count_p = count;
    return alerts;
}

static int
s_list (sv_config_t *config, const char *state, socval_options_t *options)
{
    zhashx_t *latest;
    uint64_t after = 0;
    size_t count = 0;
    int rc;
    sv_proto_t **alerts = s_current (config, state, options->timeout_s * 1000, &after,
                                     &latest, &count, &rc);
    if (alerts) {
        if (options->json) {
            json_t *list = json_array ();
            for (size_t index = 0; index < count; index++)
                json_array_append_new (list, compliance_alert_json (&alerts [index]->alert, 0));
            json_t *root = json_pack ("{s:o, s:I}", "alerts", list, "offset", (json_int_t) after);
            json_dumpf (root, stdout, JSON_PRESERVE_ORDER);
            printf ("\n");
            json_decref (root);
        }
        else {
            for (size_t index = 0; index < count; index++)
                compliance_alert_print (&alerts [index]->alert, stdout);
            printf ("%zu %s alert%s\n", count, state, count == 1? "": "s");
        }
        free (alerts);
    }
    zhashx_destroy (&latest);
    return rc;
}

//  ==========================================================================
//  Following

typedef struct {
    const char *state;
    bool json;
    const char *offset_file;
} s_follow_t;

//  Stores seq in the offset file, replacing it whole (write, then rename),
//  so a reader never sees half a number. Returns 0, or 2 with a message.
static int
s_store_offset (const char *offset_file, uint64_t seq)
{
    char *temporary = zsys_sprintf ("%s.tmp", offset_file);
    FILE *file = fopen (temporary, "w");
    bool ok = file && fprintf (file, "%" PRIu64 "\n", seq) > 0;
    if (file)
        ok = fclose (file) == 0 && ok;
    if (!ok || rename (temporary, offset_file)) {
        fprintf (stderr, "socval: cannot write the offset file %s\n", offset_file);
        zstr_free (&temporary);
        return 2;
    }
    zstr_free (&temporary);
    return 0;
}

//  Prints one change, when its state is one the follower keeps
static void
s_print_change (const sv_proto_alert_t *alert, uint64_t seq, s_follow_t *follow)
{
    if (s_state_matches (follow->state, alert->state)) {
        if (follow->json) {
            char *text = compliance_alert_json_text (alert, seq);
            printf ("%s\n", text);
            free (text);
        }
        else
            compliance_alert_print (alert, stdout);
        fflush (stdout);
    }
}

static int
s_follow_one (const sv_proto_alert_t *alert, uint64_t seq, void *arg)
{
    s_follow_t *follow = (s_follow_t *) arg;
    s_print_change (alert, seq, follow);
    //  Written after the line is out: a follower killed between the two
    //  prints that change again, never misses it
    return follow->offset_file? s_store_offset (follow->offset_file, seq): 0;
}

//  A follower starting afresh (no --after, no offset file yet) first prints
//  the alerts not yet resolved as they stand, each line carrying the head's
//  seq, then stores the head as its offset: what happened before it started
//  is there once, and every change after follows.
static int
s_follow_start (sv_config_t *config, uint64_t *after_p, int timeout_ms, s_follow_t *follow)
{
    zhashx_t *latest;
    size_t count = 0;
    int rc;
    sv_proto_t **alerts = s_current (config, "open", timeout_ms, after_p, &latest, &count, &rc);
    for (size_t index = 0; alerts && index < count; index++)
        s_print_change (&alerts [index]->alert, *after_p, follow);
    if (rc == 0 && follow->offset_file)
        rc = s_store_offset (follow->offset_file, *after_p);
    free (alerts);
    zhashx_destroy (&latest);
    return rc;
}

//  ==========================================================================
//  socval alerts [--state open|acknowledged|resolved|all] [--follow]
//                [--after SEQ] [--offset-file FILE] [--json]
//  socval alerts ack ID [--by NAME]

static int
s_ack (sv_config_t *config, const char *alert_id, const char *by, socval_options_t *options)
{
    sv_proto_t request = { .id = SV_PROTO_ALERT_ACK };
    request.alert_ack.alert_id = (char *) alert_id;
    request.alert_ack.by = (char *) (by? by: "");
    sv_proto_t reply = { .id = 0 };
    int rc = socval_control_request (config, "compliance", &request, options->timeout_s, &reply);
    if (rc == 0 && reply.id == SV_PROTO_ALERT) {
        if (options->json) {
            char *text = compliance_alert_json_text (&reply.alert, 0);
            printf ("%s\n", text);
            free (text);
        }
        else
            compliance_alert_print (&reply.alert, stdout);
    }
    else
    if (rc == 0) {
        fprintf (stderr, "socval: %s\n", reply.id == SV_PROTO_ERROR? reply.error.reason
                                                                   : "unexpected reply");
        rc = 1;
    }
    sv_proto_reset (&reply);
    return rc;
}

int
socval_alerts (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval alerts [--state open|acknowledged|resolved|all] [--json]\n"
        "       socval alerts --follow [--state S] [--after SEQ | --offset-file FILE] [--json]\n"
        "       socval alerts ack ID [--by NAME]\n"
        "  Lists alerts as compliance holds them (default: open, meaning not yet\n"
        "  resolved, most severe first). --follow prints every change as it\n"
        "  happens (raised, acknowledged, resolved; --state S keeps only changes\n"
        "  to S) until interrupted: from after SEQ, or after the seq stored in\n"
        "  FILE (updated after each change printed, so a follower that comes back\n"
        "  misses nothing and repeats nothing). Without --after, or when FILE does\n"
        "  not exist yet, it starts from now: first the alerts not yet resolved as\n"
        "  they stand, then each change. With --json each change is one line:\n"
        "  {\"seq\", \"alert_id\", \"rule\", \"severity\", \"state\", \"partner\", \"supplier\",\n"
        "  \"contract\", \"message\", \"at\"}. ack marks an alert acknowledged.\n";
    const char *state = NULL, *after_text = NULL, *offset_file = NULL, *by = NULL;
    const char *ack_id = NULL;
    bool follow = false, ack = false;
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (streq (argv [arg], "--state") && arg + 1 < argc)
            state = argv [++arg];
        else
        if (streq (argv [arg], "--follow"))
            follow = true;
        else
        if (streq (argv [arg], "--after") && arg + 1 < argc)
            after_text = argv [++arg];
        else
        if (streq (argv [arg], "--offset-file") && arg + 1 < argc)
            offset_file = argv [++arg];
        else
        if (streq (argv [arg], "--by") && arg + 1 < argc)
            by = argv [++arg];
        else
        if (arg == 0 && streq (argv [arg], "ack"))
            ack = true;
        else
        if (ack && !ack_id && argv [arg][0] != '-')
            ack_id = argv [arg];
        else
            return socval_usage (usage);
    }
    //  A list shows what is still to be dealt with; a follower, every change
    if (!state)
        state = follow? "all": "open";
    if (!(streq (state, "open") || streq (state, "acknowledged") || streq (state, "resolved")
       || streq (state, "all")))
        return socval_usage (usage);
    if ((ack && (!ack_id || follow)) || (after_text && offset_file)
    ||  ((after_text || offset_file) && !follow))
        return socval_usage (usage);
    uint64_t after = 0;
    if (after_text) {
        char *end;
        after = strtoull (after_text, &end, 10);
        if (*end || !*after_text)
            return socval_usage ("socval: --after takes a stream seq, e.g. --after 42\n");
    }
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    int rc;
    if (ack)
        rc = s_ack (config, ack_id, by, options);
    else
    if (!follow)
        rc = s_list (config, state, options);
    else {
        bool resumed = offset_file && zsys_file_exists (offset_file);
        if (resumed) {
            FILE *file = fopen (offset_file, "r");
            if (!file || fscanf (file, "%" SCNu64, &after) != 1) {
                fprintf (stderr, "socval: %s holds no stream seq\n", offset_file);
                if (file)
                    fclose (file);
                sv_config_destroy (&config);
                return 2;
            }
            fclose (file);
        }
        s_follow_t context = { state, options->json, offset_file };
        rc = after_text || resumed? 0
           : s_follow_start (config, &after, options->timeout_s * 1000, &context);
        if (rc == 0)
            rc = s_read_alerts (config, &after, true, options->timeout_s * 1000,
                                s_follow_one, &context);
    }
    sv_config_destroy (&config);
    return rc;
}
