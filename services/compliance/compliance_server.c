/*  compliance_server: the compliance actor. See compliance_server.h. No SQL
    here (compliance_store) and no rule logic (compliance_rules): this file
    decides which subjects to evaluate when, runs alerts through their
    lifecycle, and moves messages.

    When: every rule runs over every subject in one evaluation, and only at
    three moments: at start, when the date changes (the daily tick), and
    once ingest's stream has brought nothing new for compliance/quiet_ms
    after it brought facts. Never row by row nor batch by batch: a
    network's commitments arrive in batches before its deliveries, and a
    rule judged between them would open alerts that the next batch
    resolves. So the alerts a load opens are those that hold at its end,
    whatever the batch boundaries, and the same feeds give the same alert
    stream. An evaluation works out which alerts should be open, then
    opens and resolves only the difference, in one transaction: no alert
    is resolved and reopened within one, and the hook runs once per alert
    that was genuinely opened, after the commit.
*/

#include "compliance_server.h"
#include "compliance_alert.h"
#include "compliance_rules.h"
#include "compliance_store.h"
#include "sv_date.h"
#include "sv_money.h"
#include "sv_security.h"
#include "sv_service.h"
#include "sv_stream.h"
#include <sys/wait.h>

#define S_VERSION "0.1.0"
#define S_RATES_BUNDLED "deploy/data/rlw-rates.csv"
#define S_QUIET_MAX_MS 60000        //  longest a quiet period is put back

typedef struct {
    zsock_t *pipe;
    sv_config_t *config;
    zloop_t *loop;
    compliance_store_t *store;
    sv_stream_producer_t *producer;
    sv_stream_consumer_t *consumer;
    zsock_t *control;
    sv_service_control_t answers;   //  what control answers, for its reader
    zactor_t *hook;                 //  runs compliance/alert_hook; NULL when none
    compliance_rules_rlw_t criteria;
    char *categories;               //  owns criteria.categories
    compliance_rules_rates_t *rates;    //  NULL when no rates file could be read
    int renewal_days;
    int tolerance_pct;
    int period_months;
    int grace_days;
    int quiet_ms;
    int quiet_timer;                //  armed while facts await evaluation; else -1
    int64_t pending_since;          //  when the first of those facts was applied
    bool touched;                   //  the batch being applied brought facts
    zhashx_t *fired;                //  ids fired in a sweep (full evaluation)
    zlistx_t *opened;               //  JSON of alerts opened, for the hook after commit
    char today [11];                //  the date rules run at
    char evaluated [11];            //  the date of the last full evaluation
    int64_t started;
} s_server_t;

//  ==========================================================================
//  The clock

//  Sets self->today from the clock file, else the system clock. A clock
//  file that cannot be read keeps the date it had, and says so.
static void
s_read_today (s_server_t *self)
{
    const char *path = sv_config_get (self->config, "compliance/clock_file");
    if (*path) {
        char text [32] = "";
        FILE *file = fopen (path, "r");
        bool read = file && fgets (text, sizeof text, file);
        if (file)
            fclose (file);
        text [strcspn (text, " \r\n")] = 0;
        int32_t day;
        if (read && sv_date_parse (text, &day, NULL) == 0)
            sv_date_format (day, self->today, sizeof self->today);
        else
            zsys_warning ("compliance: clock file %s holds no date; still %s", path,
                          *self->today? self->today: "no date");
        if (*self->today)
            return;
    }
    sv_date_format (sv_date_today (), self->today, sizeof self->today);
}

//  When an alert changed state: the time now, or the clock file's day at
//  midnight (so a drill's alerts read as of the day it plays)
static void
s_now_iso (s_server_t *self, char *buf, size_t size)
{
    if (*sv_config_get (self->config, "compliance/clock_file"))
        snprintf (buf, size, "%sT00:00:00Z", self->today);
    else {
        time_t now = time (NULL);
        struct tm tm;
        gmtime_r (&now, &tm);
        strftime (buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
}

//  ==========================================================================
//  Alerts and their lifecycle

//  What one evaluation of one subject found
typedef struct {
    const char *rule;
    const char *severity;
    const char *partner;
    const char *supplier_key;
    const char *contract_id;
    const char *measure;        //  "" or NULL unless the rule is about one measure
    const char *subject;        //  what the id ends with after rule/partner/
    bool firing;
    const char *message;        //  when firing
} s_finding_t;

//  Moves the finding's alert through its lifecycle: a firing condition
//  opens it (or opens it again once resolved), a cleared one resolves it.
//  An open or acknowledged alert that still fires only refreshes its
//  message, with no event: the stream carries changes of state. 0 or -1.
static int
s_alert_set (s_server_t *self, const s_finding_t *finding)
{
    char id [768];
    snprintf (id, sizeof id, "%s/%s/%s", finding->rule, finding->partner, finding->subject);
    if (self->fired && finding->firing)
        zhashx_update (self->fired, id, (void *) 1);
    sv_proto_alert_t alert = { 0 };
    int found = compliance_store_alert_get (self->store, id, &alert);
    if (found < 0)
        return -1;
    bool open = found && !streq (alert.state, "resolved");
    const char *state = NULL;           //  the new state, when it changes
    if (finding->firing && !open)
        state = "open";
    else
    if (!finding->firing && open)
        state = "resolved";
    int rc = 0;
    if (state || (finding->firing && !streq (alert.message, finding->message))) {
        char at [32];
        s_now_iso (self, at, sizeof at);
        sv_proto_alert_t changed = {
            .alert_id = id, .rule = (char *) finding->rule,
            .severity = (char *) finding->severity,
            .state = (char *) (state? state: alert.state),
            .partner = (char *) finding->partner,
            .supplier_key = (char *) finding->supplier_key,
            .contract_id = (char *) finding->contract_id,
            .measure = (char *) (finding->measure? finding->measure: ""),
            .message = (char *) (finding->firing? finding->message: alert.message),
            .at = state? at: alert.at
        };
        rc = compliance_store_alert_put (self->store, &changed, state != NULL);
        if (rc == 0 && state && streq (state, "open") && self->hook)
            zlistx_add_end (self->opened, compliance_alert_json_text (&changed, 0));
        if (rc == 0 && state)
            zsys_info ("compliance: %s %s", state, id);
    }
    if (found)
        compliance_store_alert_free (&alert);
    return rc;
}

//  ==========================================================================
//  Evaluating subjects

typedef struct {
    s_server_t *server;
    const compliance_rules_contract_t *contract;
} s_measure_arg_t;

static int
s_evaluate_measure (const char *measure, int64_t committed, int64_t delivered, void *arg)
{
    s_measure_arg_t *context = (s_measure_arg_t *) arg;
    s_server_t *self = context->server;
    const compliance_rules_contract_t *contract = context->contract;
    char message [COMPLIANCE_RULES_MESSAGE_MAX] = "";
    char subject [512];
    snprintf (subject, sizeof subject, "%s/%s", contract->contract_id, measure);
    s_finding_t finding = {
        .rule = "delivery.shortfall", .severity = "medium", .partner = contract->partner,
        .supplier_key = contract->supplier_key, .contract_id = contract->contract_id,
        .measure = measure, .subject = subject, .message = message,
        .firing = compliance_rules_shortfall (contract, measure, committed, delivered,
                                              self->tolerance_pct, self->today, message)
    };
    return s_alert_set (self, &finding);
}

//  Every rule about one contract
static int
s_evaluate_contract (const compliance_rules_contract_t *contract, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    char message [COMPLIANCE_RULES_MESSAGE_MAX] = "";
    s_finding_t finding = {
        .rule = "rlw.missing_commitment", .severity = "high", .partner = contract->partner,
        .supplier_key = contract->supplier_key, .contract_id = contract->contract_id,
        .subject = contract->contract_id, .message = message,
        .firing = compliance_rules_missing_commitment (&self->criteria, contract,
                                                       self->today, message)
    };
    if (s_alert_set (self, &finding))
        return -1;
    s_measure_arg_t context = { self, contract };
    if (compliance_store_measures_each (self->store, contract->partner, contract->contract_id,
                                        s_evaluate_measure, &context))
        return -1;
    char latest [11];
    int committed = compliance_store_returns (self->store, contract->partner,
                                              contract->contract_id, latest);
    if (committed < 0)
        return -1;
    *message = 0;
    finding.rule = "delivery.overdue";
    finding.severity = "low";
    finding.firing = committed
                  && compliance_rules_overdue (contract, latest, self->period_months,
                                               self->grace_days, self->today, message);
    return s_alert_set (self, &finding);
}

//  rlw.accreditation_lapsed, once per partner the supplier concerns (see
//  compliance_store_accredited_each), so a partner's own report shows its
//  suppliers' lapses and the partners' counts add up to the network's
static int
s_evaluate_accredited (const char *supplier_key, const char *partner, const char *name,
                       const char *expiry, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    char message [COMPLIANCE_RULES_MESSAGE_MAX] = "", label [256];
    compliance_rules_supplier_label (name, supplier_key, label, sizeof label);
    s_finding_t finding = {
        .rule = "rlw.accreditation_lapsed", .severity = "medium", .partner = partner,
        .supplier_key = supplier_key, .contract_id = "", .subject = supplier_key,
        .message = message,
        .firing = compliance_rules_accreditation_lapsed (label, true, expiry, self->today,
                                                         message)
    };
    return s_alert_set (self, &finding);
}

//  rlw.renewal_due for each partner's own renewal date and for the
//  deadline of the pending rate
static int
s_evaluate_renewals (s_server_t *self)
{
    char message [COMPLIANCE_RULES_MESSAGE_MAX];
    for (zconfig_t *item = sv_config_children (self->config, "partners"); item;
         item = zconfig_next (item)) {
        const char *due = zconfig_get (item, "rlw_renewal", "");
        if (!*due)
            continue;
        char what [256];
        snprintf (what, sizeof what, "%s's Real Living Wage accreditation renewal",
                  zconfig_name (item));
        *message = 0;
        s_finding_t finding = {
            .rule = "rlw.renewal_due", .severity = "medium", .partner = zconfig_name (item),
            .supplier_key = "", .contract_id = "", .subject = "accreditation",
            .message = message,
            .firing = compliance_rules_renewal_due (what, due, self->renewal_days,
                                                    self->today, message)
        };
        if (s_alert_set (self, &finding))
            return -1;
    }
    const compliance_rules_rate_t *rate = self->rates?
        compliance_rules_rates_pending (self->rates, self->today): NULL;
    if (rate) {
        char uk [32], london [32], what [256], subject [32];
        sv_money_format (rate->uk_pence, uk, sizeof uk);
        sv_money_format (rate->london_pence, london, sizeof london);
        snprintf (what, sizeof what, "paying the %d Real Living Wage rate of %s an hour"
                  " (London %s) to every worker it covers", rate->year, uk, london);
        snprintf (subject, sizeof subject, "rate-%d", rate->year);
        *message = 0;
        s_finding_t finding = {
            .rule = "rlw.renewal_due", .severity = "medium", .partner = "",
            .supplier_key = "", .contract_id = "", .subject = subject, .message = message,
            .firing = compliance_rules_renewal_due (what, rate->deadline, self->renewal_days,
                                                    self->today, message)
        };
        if (s_alert_set (self, &finding))
            return -1;
    }
    return 0;
}

//  Resolves an alert the sweep did not find firing
static int
s_resolve_unfired (const char *alert_id, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    if (zhashx_lookup (self->fired, alert_id))
        return 0;
    sv_proto_alert_t alert = { 0 };
    if (compliance_store_alert_get (self->store, alert_id, &alert) != 1)
        return -1;
    //  The subject is what follows rule/partner/
    const char *subject = alert_id + strlen (alert.rule) + 1 + strlen (alert.partner) + 1;
    s_finding_t cleared = {
        .rule = alert.rule, .severity = alert.severity, .partner = alert.partner,
        .supplier_key = alert.supplier_key, .contract_id = alert.contract_id,
        .subject = subject, .firing = false, .message = ""
    };
    int rc = s_alert_set (self, &cleared);
    compliance_store_alert_free (&alert);
    return rc;
}

//  Runs the alert hook for the alerts opened by what was just committed
static void
s_flush_opened (s_server_t *self)
{
    for (char *json = (char *) zlistx_first (self->opened); json;
         json = (char *) zlistx_next (self->opened))
        if (zstr_send (self->hook, json))
            zsys_warning ("compliance: alert hook queue full; an alert's hook was skipped");
    zlistx_purge (self->opened);
}

//  Every rule for every subject, in one transaction. 0 or -1.
static int
s_evaluate_all (s_server_t *self)
{
    sv_db_t *db = compliance_store_db (self->store);
    if (sv_db_begin (db))
        return -1;
    zlistx_purge (self->opened);
    self->fired = zhashx_new ();
    int rc = compliance_store_contracts_each (self->store, NULL, NULL, NULL,
                                              s_evaluate_contract, self)
          || compliance_store_accredited_each (self->store, NULL, s_evaluate_accredited, self)
          || s_evaluate_renewals (self)
          || compliance_store_alerts_unresolved (self->store, "rlw.accreditation_lapsed",
                                                 s_resolve_unfired, self)
          || compliance_store_alerts_unresolved (self->store, "rlw.renewal_due",
                                                 s_resolve_unfired, self)? -1: 0;
    zhashx_destroy (&self->fired);
    if (rc == 0 && sv_db_commit (db) == 0) {
        snprintf (self->evaluated, sizeof self->evaluated, "%s", self->today);
        sv_stream_producer_notify (self->producer);
        s_flush_opened (self);
        return 0;
    }
    sv_db_rollback (db);
    zlistx_purge (self->opened);
    return -1;
}

//  ==========================================================================
//  The ingest stream

static int
s_apply (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) db;
    s_server_t *self = (s_server_t *) arg;
    sv_proto_t message = { .id = 0 };
    if (sv_proto_decode (&message, event->body, event->body_size))
        return SV_STREAM_UNREADABLE;        //  the stream stalls here, and says why
    int rc = 0;
    switch (message.id) {
        case SV_PROTO_CONTRACT:
            rc = compliance_store_contract_put (self->store, &message.contract);
            break;
        case SV_PROTO_SUPPLIER:
            rc = compliance_store_supplier_put (self->store, &message.supplier);
            break;
        case SV_PROTO_COMMITMENT:
            rc = compliance_store_commitment_put (self->store, event->key, &message.commitment);
            break;
        case SV_PROTO_DELIVERY:
            rc = compliance_store_delivery_put (self->store, event->key, &message.delivery);
            break;
        default:
            break;
    }
    self->touched = self->touched || message.id == SV_PROTO_CONTRACT
                 || message.id == SV_PROTO_SUPPLIER || message.id == SV_PROTO_COMMITMENT
                 || message.id == SV_PROTO_DELIVERY;
    sv_proto_reset (&message);
    return rc;
}

static int s_quiet (zloop_t *loop, int timer_id, void *arg);

//  Once per batch, inside its transaction. Nothing is judged here (see the
//  top of this file); a batch rolled back only delays the evaluation.
static int
s_applied (sv_db_t *db, void *arg)
{
    (void) db;
    s_server_t *self = (s_server_t *) arg;
    //  Each batch of facts puts the evaluation back by quiet_ms, until a
    //  minute has passed since the first: a stream that never pauses is
    //  still judged
    int64_t now = zclock_mono ();
    if (self->touched && self->quiet_timer < 0)
        self->pending_since = now;
    if (self->touched
    &&  (self->quiet_timer < 0 || now - self->pending_since < S_QUIET_MAX_MS)) {
        if (self->quiet_timer >= 0)
            zloop_timer_end (self->loop, self->quiet_timer);
        self->quiet_timer = zloop_timer (self->loop, (size_t) self->quiet_ms, 1,
                                         s_quiet, self);
    }
    self->touched = false;
    return 0;
}

//  The stream has been quiet for quiet_ms since facts arrived: every rule,
//  over what they now say. A failure arms the timer again.
static int
s_quiet (zloop_t *loop, int timer_id, void *arg)
{
    (void) timer_id;
    s_server_t *self = (s_server_t *) arg;
    self->quiet_timer = -1;
    s_read_today (self);
    if (s_evaluate_all (self)) {
        zsys_error ("compliance: the evaluation of new facts failed: %s; will retry",
                    sv_db_error (compliance_store_db (self->store)));
        self->quiet_timer = zloop_timer (loop, (size_t) self->quiet_ms, 1, s_quiet, self);
    }
    return 0;
}

//  The daily evaluation, when the date has moved
static int
s_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_server_t *self = (s_server_t *) arg;
    s_read_today (self);
    if (!streq (self->today, self->evaluated)) {
        zsys_info ("compliance: the date is %s; evaluating every rule", self->today);
        if (s_evaluate_all (self))
            zsys_error ("compliance: the evaluation for %s failed: %s; will retry",
                        self->today, sv_db_error (compliance_store_db (self->store)));
    }
    return 0;
}

//  ==========================================================================
//  Hook

//  Runs command with json on stdin, killing it after timeout_ms
static void
s_hook_run (const char *command, const char *json, int timeout_ms)
{
    int input [2];
    if (pipe (input))
        return;
    pid_t pid = fork ();
    if (pid == 0) {
        dup2 (input [0], STDIN_FILENO);
        close (input [0]);
        close (input [1]);
        execl ("/bin/sh", "sh", "-c", command, (char *) NULL);
        _exit (127);
    }
    close (input [0]);
    if (pid < 0) {
        close (input [1]);
        return;
    }
    ssize_t written = write (input [1], json, strlen (json));
    (void) written;
    close (input [1]);
    int status = 0;
    int64_t deadline = zclock_mono () + timeout_ms;
    while (waitpid (pid, &status, WNOHANG) == 0) {
        if (zclock_mono () > deadline) {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            zsys_warning ("compliance: alert hook killed after %d ms", timeout_ms);
            return;
        }
        zclock_sleep (10);
    }
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        zsys_warning ("compliance: alert hook failed (status %d)", status);
}

//  The hook's thread: runs the hook once per alert it is sent, in order
static void
s_hook_actor (zsock_t *pipe, void *arg)
{
    sv_config_t *config = (sv_config_t *) arg;
    const char *command = sv_config_get (config, "compliance/alert_hook");
    int timeout_ms = (int) sv_config_int (config, "compliance/hook_timeout_ms");
    //  A hook that exits without reading its input must not kill us
    signal (SIGPIPE, SIG_IGN);
    zsock_signal (pipe, 0);
    while (true) {
        char *json = zstr_recv (pipe);
        if (!json || streq (json, "$TERM")) {
            zstr_free (&json);
            break;
        }
        s_hook_run (command, json, timeout_ms);
        zstr_free (&json);
    }
}

//  ==========================================================================
//  Control: STATUS, ALERT_ACK

static void
s_handle_status (s_server_t *self, zframe_t *peer)
{
    static const char *tables [] = { "contracts", "suppliers", "commitments", "deliveries",
                                     "alerts" };
    sv_proto_row_count_t counts [7];
    for (int index = 0; index < 5; index++)
        counts [index] = (sv_proto_row_count_t) {
            .name = (char *) tables [index],
            .rows = (uint64_t) compliance_store_count (self->store, tables [index])
        };
    counts [5] = (sv_proto_row_count_t) {
        .name = "open alerts",
        .rows = (uint64_t) compliance_store_alert_count (self->store, "open")
    };
    //  Facts applied but not yet judged: socval wait waits for this to be 0
    counts [6] = (sv_proto_row_count_t) {
        .name = "pending evaluation", .rows = self->quiet_timer >= 0? 1: 0
    };
    sv_proto_consumer_offset_t consumer = sv_stream_consumer_status (self->consumer);
    sv_proto_stream_head_t stream = {
        .name = "compliance", .head_seq = sv_stream_producer_head (self->producer)
    };
    sv_service_status_t status = {
        .service = "compliance", .version = S_VERSION, .started = self->started,
        .streams = &stream, .streams_count = 1, .consumers = &consumer, .consumers_count = 1,
        .counts = counts, .counts_count = 7
    };
    sv_service_reply_status (self->control, peer, &status);
}

static void
s_handle_ack (s_server_t *self, zframe_t *peer, const sv_proto_alert_ack_t *ack)
{
    sv_proto_alert_t alert = { 0 };
    int found = compliance_store_alert_get (self->store, ack->alert_id, &alert);
    char reason [800];
    if (found != 1) {
        snprintf (reason, sizeof reason, found? "the store failed; try again"
                  : "no alert has the id '%.700s' (socval alerts --state all lists them)",
                  ack->alert_id);
        sv_service_refuse (self->control, peer, found? 500: 404, reason);
        return;
    }
    if (streq (alert.state, "resolved")) {
        snprintf (reason, sizeof reason, "alert '%.700s' is already resolved", ack->alert_id);
        sv_service_refuse (self->control, peer, 409, reason);
        compliance_store_alert_free (&alert);
        return;
    }
    sv_db_t *db = compliance_store_db (self->store);
    bool change = streq (alert.state, "open");
    if (change) {
        char at [32];
        s_now_iso (self, at, sizeof at);
        zstr_free (&alert.state);
        zstr_free (&alert.at);
        alert.state = strdup ("acknowledged");
        alert.at = strdup (at);
        if (sv_db_begin (db) || compliance_store_alert_put (self->store, &alert, true)
        ||  sv_db_commit (db)) {
            //  Said before the rollback, which would take the reason with it
            char *reason = zsys_sprintf ("the store failed: %s; try again", sv_db_error (db));
            sv_db_rollback (db);
            zsys_error ("compliance: cannot acknowledge %s: %s", alert.alert_id, reason);
            sv_service_refuse (self->control, peer, 500, reason);
            zstr_free (&reason);
            compliance_store_alert_free (&alert);
            return;
        }
        zsys_info ("compliance: acknowledged %s%s%s", alert.alert_id,
                   *ack->by? " by ": "", ack->by);
        sv_stream_producer_notify (self->producer);
    }
    sv_proto_t reply = { .id = SV_PROTO_ALERT, .alert = alert };
    sv_service_reply (self->control, peer, &reply);
    compliance_store_alert_free (&alert);
}

static int
s_control_handle (const sv_proto_t *request, zframe_t *peer, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    if (request->id == SV_PROTO_STATUS)
        s_handle_status (self, peer);
    else
    if (request->id == SV_PROTO_ALERT_ACK)
        s_handle_ack (self, peer, &request->alert_ack);
    else
        return -1;
    return 0;
}

//  ==========================================================================
//  Life cycle

static void
s_rates_error (size_t line, const char *column, const char *value, const char *reason,
               void *arg)
{
    zsys_error ("compliance: %s line %zu, column '%s': value '%s': %s", (const char *) arg,
                line, column? column: "", value? value: "", reason);
}

static int
s_server_start (s_server_t *self)
{
    sv_config_t *config = self->config;
    if (sv_security_start (config, "compliance", NULL))
        return -1;
    self->categories = strdup (sv_config_get (config, "compliance/rlw_categories"));
    self->criteria = (compliance_rules_rlw_t) {
        .categories = self->categories,
        .min_weeks = (int) sv_config_int (config, "compliance/rlw_min_weeks")
    };
    self->renewal_days = (int) sv_config_int (config, "compliance/renewal_days");
    self->tolerance_pct = (int) sv_config_int (config, "compliance/shortfall_tolerance_pct");
    self->period_months = (int) sv_config_int (config, "compliance/return_period_months");
    self->grace_days = (int) sv_config_int (config, "compliance/overdue_grace_days");
    self->quiet_ms = (int) sv_config_int (config, "compliance/quiet_ms");
    const char *rates = sv_config_get (config, "compliance/rlw_rates");
    if (!*rates)
        rates = S_RATES_BUNDLED;
    self->rates = compliance_rules_rates_load_file (rates, s_rates_error, (void *) rates);
    if (!self->rates)
        zsys_warning ("compliance: no Real Living Wage rates from %s: the rate deadline"
                      " is not watched", rates);
    if (*sv_config_get (config, "compliance/alert_hook")) {
        self->hook = zactor_new (s_hook_actor, config);
        zsock_set_sndtimeo (zactor_sock (self->hook), 0);
    }
    char *store_path = sv_config_data_path (config, "compliance/store", "compliance.db");
    const char *reason = NULL;
    int rc = -1;
    self->store = compliance_store_new (store_path, &reason);
    if (!self->store)
        zsys_error ("compliance: %s", reason);
    else {
        self->producer = sv_stream_producer_new (store_path, "compliance",
            sv_config_get (config, "compliance/stream_endpoint"), config);
        self->consumer = sv_stream_consumer_new (compliance_store_db (self->store), "ingest",
            sv_config_get (config, "ingest/stream_endpoint"), config, s_apply, self);
        if (!self->producer || !self->consumer)
            ;                   //  logged where it failed
        else
        if ((self->control = sv_service_control_new (config,
                sv_config_get (config, "compliance/control_endpoint"))))
            rc = 0;
    }
    zstr_free (&store_path);
    if (rc == 0) {
        s_read_today (self);
        if (s_evaluate_all (self))
            zsys_error ("compliance: the first evaluation failed; the daily timer retries");
        //  Payments are most of ingest's stream and no rule reads them
        sv_stream_consumer_set_types (self->consumer, "SUPPLIER,CONTRACT,COMMITMENT,DELIVERY");
        sv_stream_consumer_set_applied (self->consumer, s_applied, self);
        sv_stream_producer_attach (self->producer, self->loop);
        sv_stream_consumer_attach (self->consumer, self->loop);
        self->answers = (sv_service_control_t) {
            s_control_handle, self, "compliance's control endpoint answers STATUS and ALERT_ACK"
        };
        zloop_reader (self->loop, self->control, sv_service_control_recv, &self->answers);
        zloop_timer (self->loop, (size_t) sv_config_int (config, "compliance/tick_ms"), 0,
                     s_tick, self);
    }
    return rc;
}

void
compliance_server (zsock_t *pipe, void *config)
{
    s_server_t self = {
        .pipe = pipe, .config = (sv_config_t *) config, .started = zclock_mono ()
    };
    self.loop = zloop_new ();
    self.quiet_timer = -1;
    self.opened = zlistx_new ();
    zlistx_set_destructor (self.opened, (zlistx_destructor_fn *) zstr_free);

    zsock_signal (pipe, 0);
    int rc = s_server_start (&self);
    zstr_send (pipe, rc == 0? "READY": "FAILED");
    if (rc == 0) {
        zloop_reader (self.loop, pipe, sv_service_pipe, &self);
        zloop_start (self.loop);
    }
    sv_stream_consumer_destroy (&self.consumer);
    sv_stream_producer_destroy (&self.producer);
    zloop_destroy (&self.loop);
    sv_security_stop ();
    zsock_destroy (&self.control);
    zactor_destroy (&self.hook);
    compliance_store_destroy (&self.store);
    compliance_rules_rates_destroy (&self.rates);
    zlistx_destroy (&self.opened);
    free (self.categories);
}
