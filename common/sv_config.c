/*  sv_config: the stack's configuration. See sv_config.h for the contract. */

#include "sv_config.h"

typedef enum { S_TEXT, S_INT, S_OPEN } s_type_t;

typedef struct {
    const char *path;
    s_type_t type;
    const char *fallback;       //  the default; NULL for open sections
    const char *doc;
} s_key_t;

//  Every key socval reads. Keep this table the only place a default lives.
static const s_key_t s_keys [] = {
    { "data/dir", S_TEXT, "./var",
      "Folder holding each service's SQLite store, keys and reports." },
    { "log/level", S_TEXT, "info", "error, warning, info or debug." },

    { "stream/heartbeat_ms", S_INT, "1000",
      "A producer answers a caught-up FETCH with an empty batch after this long." },
    { "stream/timeout_ms", S_INT, "4000",
      "A consumer that hears nothing for this long reconnects (lazy pirate)." },
    { "stream/batch_max", S_INT, "20000",
      "Most events one EVENTS reply carries." },
    { "stream/batch_bytes", S_INT, "4194304",
      "Most body bytes one EVENTS reply carries." },
    { "stream/max_message_bytes", S_INT, "16777216",
      "ZMQ_MAXMSGSIZE on every socket that faces a peer." },
    { "stream/hwm", S_INT, "1000", "Send and receive high-water marks." },

    { "security/curve", S_INT, "0",
      "1: every stream and control endpoint runs CURVE, only the stack's service keys are"
      " served (needed when services are on different hosts); 0: in the clear, for a stack"
      " whose endpoints are all local (loopback or ipc)." },
    { "security/service_keys", S_TEXT, "",
      "Folder of the public certificates of the stack's services (ingest.cert,"
      " valuation.cert, compliance.cert, reporting.cert, socval.cert);"
      " empty: <data/dir>/keys/services." },
    { "socval/certificate", S_TEXT, "",
      "The socval command's own CURVE certificate, when security/curve is on;"
      " empty: <data/dir>/keys/socval.cert." },
    { "ingest/feed_endpoint", S_TEXT, "tcp://127.0.0.1:7710",
      "Where partners submit feeds (CURVE with ZAP, always)." },
    { "ingest/store", S_TEXT, "", "Ingest's SQLite store; empty: <data/dir>/ingest.db." },
    { "ingest/certificate", S_TEXT, "",
      "Ingest's CURVE certificate (secret file <name>_secret beside it);"
      " empty: <data/dir>/keys/ingest.cert." },
    { "ingest/partner_keys", S_TEXT, "",
      "Folder of partners' public certificates ZAP accepts; empty: <data/dir>/keys/partners." },
    { "ingest/credit", S_INT, "4", "Chunks a partner may have in flight per batch." },
    { "ingest/max_document_bytes", S_INT, "1048576",
      "Largest release or record in an OCDS package, and largest lone release document"
      " (each is read whole, at several times this in memory; a package is read one"
      " release or record at a time, whatever its size)." },
    { "ingest/max_errors", S_INT, "1000",
      "Rejected rows listed in one receipt (all are counted)." },
    { "ingest/beneficiary_groups", S_TEXT,
      "Age,Disability,Gender reassignment,Marriage and civil partnership,"
      "Pregnancy and maternity,Race,Religion or belief,Sex,Sexual orientation,"
      "Care leavers,Carers,Disabled people,Ex-offenders,Homeless people,Long-term unemployed,"
      "Older people,Over 50s,Refugees,Veterans,Young people,Young people NEET",
      "Beneficiary groups a delivery return may name, comma-separated (the Equality Act"
      " 2010 protected characteristics, then groups TOMs measures and councils' returns"
      " name, as deploy/examples writes them): a group"
      " written another way (case, spacing, punctuation, & for and) takes the listed"
      " spelling; one not listed is taken as written, with a receipt warning. A partner's"
      " own partners/<name>/beneficiary_groups replaces it; empty: no list, no warning." },
    { "ingest/stream_endpoint", S_TEXT, "tcp://127.0.0.1:7711",
      "Where ingest's durable stream answers FETCH." },
    { "ingest/control_endpoint", S_TEXT, "tcp://127.0.0.1:7712",
      "Where ingest answers STATUS." },
    { "valuation/certificate", S_TEXT, "",
      "Valuation's CURVE certificate when security/curve is on; empty: <data/dir>/keys/valuation.cert." },
    { "valuation/store", S_TEXT, "", "Valuation's SQLite store; empty: <data/dir>/valuation.db." },
    { "valuation/frameworks", S_TEXT, "",
      "Framework CSV files imported on start when not yet held, comma-separated." },
    { "valuation/postcode_lookup", S_TEXT, "",
      "ONS postcode directory CSV (postcode -> authority, ward); empty: none." },
    { "valuation/stream_endpoint", S_TEXT, "tcp://127.0.0.1:7721",
      "Where valuation's durable stream answers FETCH." },
    { "valuation/control_endpoint", S_TEXT, "tcp://127.0.0.1:7722",
      "Where valuation answers STATUS." },
    { "compliance/certificate", S_TEXT, "",
      "Compliance's CURVE certificate when security/curve is on; empty: <data/dir>/keys/compliance.cert." },
    { "compliance/store", S_TEXT, "",
      "Compliance's SQLite store; empty: <data/dir>/compliance.db." },
    { "compliance/clock_file", S_TEXT, "",
      "For tests and drills: a file holding today's date (2025-06-01), read at every"
      " evaluation; empty: the system clock." },
    { "compliance/tick_ms", S_INT, "60000",
      "How often compliance looks whether the day has changed (then every rule runs)." },
    { "compliance/rlw_categories", S_TEXT,
      "cleaning,security,catering,care,facilities management,facilities,grounds maintenance,"
      "porterage,waste collection",
      "Contract categories whose workers work on the buyer's premises: with rlw_min_weeks,"
      " what puts a contract in RLW scope when the feed does not say." },
    { "compliance/rlw_min_weeks", S_INT, "8",
      "Shortest contract, in weeks, that falls in RLW scope by category." },
    { "compliance/rlw_rates", S_TEXT, "",
      "Real Living Wage rates by year (CSV: year, uk_pence, london_pence, announced,"
      " deadline); empty: the bundled deploy/data/rlw-rates.csv." },
    { "compliance/renewal_days", S_INT, "60",
      "rlw.renewal_due fires this many days before a renewal or rate deadline." },
    { "compliance/shortfall_tolerance_pct", S_INT, "10",
      "delivery.shortfall allows delivery this far (percent) below the pro-rata commitment." },
    { "compliance/return_period_months", S_INT, "3",
      "Delivery returns are due for each period of this many months from a contract's start." },
    { "compliance/overdue_grace_days", S_INT, "30",
      "delivery.overdue fires when a period ended this many days ago with no return." },
    { "compliance/alert_hook", S_TEXT, "",
      "Command run (by /bin/sh) for each newly opened alert, the alert as JSON on stdin;"
      " empty: none." },
    { "compliance/hook_timeout_ms", S_INT, "10000",
      "An alert hook still running after this long is killed." },
    { "compliance/stream_endpoint", S_TEXT, "tcp://127.0.0.1:7731",
      "Where compliance's durable stream answers FETCH." },
    { "compliance/control_endpoint", S_TEXT, "tcp://127.0.0.1:7732",
      "Where compliance answers STATUS and ALERT_ACK." },
    { "reporting/certificate", S_TEXT, "",
      "Reporting's CURVE certificate when security/curve is on; empty: <data/dir>/keys/reporting.cert." },
    { "reporting/store", S_TEXT, "",
      "Reporting's SQLite store; empty: <data/dir>/reporting.db." },
    { "reporting/output", S_TEXT, "",
      "Folder scheduled reports are written to; empty: <data/dir>/reports." },
    { "reporting/clock_file", S_TEXT, "",
      "For tests and drills: a file holding the time now (2025-05-01T06:00:00Z), read at"
      " every tick; empty: the system clock." },
    { "reporting/tick_ms", S_INT, "30000",
      "How often reporting looks for schedules that are due." },
    { "reporting/evidence_counted", S_TEXT, "claimed,evidenced,validated",
      "Evidence states of delivery returns that reports count as delivered." },
    { "reporting/small_number_threshold", S_INT, "5",
      "Breakdowns by ward or beneficiary group suppress counts below this." },
    { "reporting/stream_endpoint", S_TEXT, "tcp://127.0.0.1:7741",
      "Where reporting's durable stream answers FETCH." },
    { "reporting/control_endpoint", S_TEXT, "tcp://127.0.0.1:7742",
      "Where reporting answers STATUS and REPORT_REQUEST." },

    { "partners", S_OPEN, NULL,
      "One child per partner: public_key (Z85, from its certificate),"
      " headers/<Source header> = canonical field, date_order (dmy|mdy: how its spend files"
      " write numeric dates; unset, each file's dates settle it), framework (id), measures"
      " (codes or all),"
      " local_districts (S60-S66, S25), local_authorities (E08000018),"
      " rlw_renewal (the partner's own RLW accreditation renewal date, 2025-09-30)" },
    { "schedules", S_OPEN, NULL,
      "One child per scheduled report: cron (minute hour day month weekday, UTC),"
      " kind (annual|partnership|rlw-scope|alerts), year (previous|current|2024-25),"
      " partner (a name, or all), formats (html,json,csv,xlsx)" },
};

#define S_KEY_COUNT (sizeof s_keys / sizeof s_keys [0])

struct _sv_config_t {
    zconfig_t *root;
};

static const s_key_t *
s_declared (const char *path)
{
    for (size_t i = 0; i < S_KEY_COUNT; i++) {
        size_t length = strlen (s_keys [i].path);
        if (strncmp (path, s_keys [i].path, length) == 0) {
            if (path [length] == 0)
                return &s_keys [i];
            if (path [length] == '/' && s_keys [i].type == S_OPEN)
                return &s_keys [i];
        }
    }
    return NULL;
}

static bool
s_is_integer (const char *text)
{
    char *end;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    (void) value;
    return *text && *end == 0 && errno == 0;
}

//  Walks a loaded tree, refusing leaves (items without children) that are not
//  declared or whose value does not fit the declared type.
static int
s_check (zconfig_t *item, char *path, size_t size, const char **reason_p)
{
    static _Thread_local char reason [512];
    for (; item; item = zconfig_next (item)) {
        size_t length = strlen (path);
        snprintf (path + length, size - length, "%s%s", length? "/": "", zconfig_name (item));
        const s_key_t *key = s_declared (path);
        const char *value = zconfig_value (item);
        if (!key && !zconfig_child (item)) {
            //  A section on the way to a declared key is checked below
            snprintf (reason, sizeof reason, "unknown key '%s'", path);
            *reason_p = reason;
            return -1;
        }
        if (key && key->type == S_INT && value && zconfig_child (item) == NULL
        &&  !s_is_integer (value)) {
            snprintf (reason, sizeof reason, "'%s' must be an integer, not '%s'", path, value);
            *reason_p = reason;
            return -1;
        }
        if (!key || key->type != S_OPEN)
            if (s_check (zconfig_child (item), path, size, reason_p))
                return -1;
        path [length] = 0;
    }
    return 0;
}

sv_config_t *
sv_config_new (void)
{
    sv_config_t *self = (sv_config_t *) zmalloc (sizeof (sv_config_t));
    self->root = zconfig_new ("root", NULL);
    return self;
}

sv_config_t *
sv_config_load (const char *path, const char **reason_p)
{
    static _Thread_local char reason [512];
    const char *ignored;
    if (!reason_p)
        reason_p = &ignored;
    zconfig_t *root = zconfig_load (path);
    if (!root) {
        snprintf (reason, sizeof reason, "%s: cannot read it as a ZPL config file", path);
        *reason_p = reason;
        return NULL;
    }
    char key_path [512] = "";
    const char *why;
    if (s_check (zconfig_child (root), key_path, sizeof key_path, &why)) {
        snprintf (reason, sizeof reason, "%s: %s", path, why);
        *reason_p = reason;
        zconfig_destroy (&root);
        return NULL;
    }
    sv_config_t *self = (sv_config_t *) zmalloc (sizeof (sv_config_t));
    self->root = root;
    return self;
}

void
sv_config_destroy (sv_config_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        zconfig_destroy (&(*self_p)->root);
        free (*self_p);
        *self_p = NULL;
    }
}

const char *
sv_config_get (sv_config_t *self, const char *path)
{
    assert (self);
    const s_key_t *key = s_declared (path);
    assert (key && key->type != S_OPEN);
    return zconfig_get (self->root, path, key->fallback);
}

int64_t
sv_config_int (sv_config_t *self, const char *path)
{
    assert (s_declared (path) && s_declared (path)->type == S_INT);
    const char *value = sv_config_get (self, path);
    if (!s_is_integer (value))          //  set at run time to nonsense
        value = s_declared (path)->fallback;
    return strtoll (value, NULL, 10);
}

const char *
sv_config_lookup (sv_config_t *self, const char *path, const char *fallback)
{
    assert (self);
    return zconfig_get (self->root, path, fallback);
}

int
sv_config_set (sv_config_t *self, const char *path, const char *value)
{
    assert (self);
    if (!s_declared (path))
        return -1;
    zconfig_put (self->root, path, value);
    return 0;
}

char *
sv_config_data_path (sv_config_t *self, const char *path, const char *name)
{
    const char *value = sv_config_get (self, path);
    if (*value)
        return strdup (value);
    return zsys_sprintf ("%s/%s", sv_config_get (self, "data/dir"), name);
}

zconfig_t *
sv_config_children (sv_config_t *self, const char *section)
{
    assert (self);
    zconfig_t *item = zconfig_locate (self->root, section);
    return item? zconfig_child (item): NULL;
}

int
sv_config_save (sv_config_t *self, const char *path)
{
    assert (self);
    //  Write every declared default out, so the file documents itself
    char *text = zconfig_str_save (self->root);
    zconfig_t *copy = zconfig_str_load (text);
    zstr_free (&text);
    for (size_t i = 0; i < S_KEY_COUNT; i++)
        if (s_keys [i].type != S_OPEN && !zconfig_locate (copy, s_keys [i].path))
            zconfig_put (copy, s_keys [i].path, s_keys [i].fallback);
    char *temporary = zsys_sprintf ("%s.tmp", path);
    int rc = zconfig_save (copy, temporary);
    if (rc == 0)
        rc = rename (temporary, path);
    if (rc)
        unlink (temporary);
    zstr_free (&temporary);
    zconfig_destroy (&copy);
    return rc? -1: 0;
}

void
sv_config_print_keys (FILE *out)
{
    for (size_t i = 0; i < S_KEY_COUNT; i++)
        fprintf (out, "%-28s %-22s %s\n", s_keys [i].path,
                 s_keys [i].fallback? s_keys [i].fallback: "(section)", s_keys [i].doc);
}

//  --------------------------------------------------------------------------
//  Self-test

void
sv_config_test (bool verbose)
{
    if (verbose)
        printf (" * sv_config: ");
    //  Defaults with no file
    sv_config_t *config = sv_config_new ();
    assert (streq (sv_config_get (config, "data/dir"), "./var"));
    assert (sv_config_int (config, "stream/heartbeat_ms") == 1000);
    assert (sv_config_set (config, "stream/heartbeat_ms", "250") == 0);
    assert (sv_config_int (config, "stream/heartbeat_ms") == 250);
    assert (sv_config_set (config, "stream/heartbeet_ms", "1") == -1);
    assert (sv_config_set (config, "partners/police/public_key", "abc") == 0);
    char *store = sv_config_data_path (config, "ingest/store", "ingest.db");
    assert (streq (store, "./var/ingest.db"));
    zstr_free (&store);
    assert (sv_config_set (config, "ingest/store", "/srv/ingest.db") == 0);
    store = sv_config_data_path (config, "ingest/store", "ingest.db");
    assert (streq (store, "/srv/ingest.db"));
    zstr_free (&store);

    //  Save writes defaults too, and loads back
    char path [] = "/tmp/sv_config_test_XXXXXX";
    int fd = mkstemp (path);
    assert (fd >= 0);
    close (fd);
    assert (sv_config_save (config, path) == 0);
    sv_config_destroy (&config);
    const char *reason = NULL;
    config = sv_config_load (path, &reason);
    assert (config);
    assert (sv_config_int (config, "stream/heartbeat_ms") == 250);
    assert (streq (sv_config_get (config, "ingest/feed_endpoint"), "tcp://127.0.0.1:7710"));
    zconfig_t *partner = sv_config_children (config, "partners");
    assert (partner && streq (zconfig_name (partner), "police"));
    assert (streq (sv_config_lookup (config, "partners/police/public_key", ""), "abc"));
    assert (streq (sv_config_lookup (config, "partners/police/nothing", "-"), "-"));
    sv_config_destroy (&config);

    //  A misspelt key is refused, naming it
    FILE *file = fopen (path, "w");
    assert (file);
    fprintf (file, "stream\n    heartbeet_ms = 5\n");
    fclose (file);
    config = sv_config_load (path, &reason);
    assert (config == NULL);
    assert (strstr (reason, "unknown key 'stream/heartbeet_ms'"));

    //  So is a non-integer where an integer is declared
    file = fopen (path, "w");
    assert (file);
    fprintf (file, "stream\n    hwm = lots\n");
    fclose (file);
    config = sv_config_load (path, &reason);
    assert (config == NULL);
    assert (strstr (reason, "'stream/hwm' must be an integer"));

    config = sv_config_load ("/nonexistent/socval.cfg", &reason);
    assert (config == NULL && strstr (reason, "/nonexistent/socval.cfg"));
    unlink (path);
    if (verbose)
        printf ("OK\n");
}
