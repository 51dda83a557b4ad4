/*  sv_config: the stack's configuration. See sv_config.h for the contract.

    Each key's declaration says what a value must be (an integer within a
    range, one of a few words, a date), so that a mistake stops the start
    of whatever reads the file, naming the key, the value and what was
    expected, instead of passing silently or failing later (a huge
    return_period_months once asserted at every evaluation).
*/

#include "sv_config.h"
#include "sv_date.h"

typedef enum { S_TEXT, S_INT, S_CHOICE, S_DATE, S_OPEN } s_type_t;

typedef struct {
    const char *path;           //  a "*" segment is any name the operator gives
    s_type_t type;
    const char *fallback;       //  the default; NULL for open sections
    int64_t min, max;           //  S_INT: the values allowed, inclusive
    const char *choices;        //  S_CHOICE: the words allowed, "a|b|c"
    const char *doc;
} s_key_t;

#define S_TEXT_(path, fallback, doc)   { path, S_TEXT, fallback, 0, 0, NULL, doc }
#define S_INT_(path, fallback, min, max, doc) \
                                        { path, S_INT, fallback, min, max, NULL, doc }
#define S_CHOICE_(path, fallback, choices, doc) \
                                        { path, S_CHOICE, fallback, 0, 0, choices, doc }
#define S_DATE_(path, doc)              { path, S_DATE, "", 0, 0, NULL, doc }
#define S_OPEN_(path, doc)              { path, S_OPEN, NULL, 0, 0, NULL, doc }

//  Every key socval reads. Keep this table the only place a default lives.
static const s_key_t s_keys [] = {
    S_TEXT_ ("data/dir", "./var",
      "Folder holding each service's SQLite store, keys and reports."),
    S_CHOICE_ ("log/level", "info", "error|warning|info|debug",
      "How much a service logs: errors only, also warnings, also what it does (start,"
      " batches, reports), or everything."),

    S_INT_ ("stream/heartbeat_ms", "1000", 10, 600000,
      "A producer answers a caught-up FETCH with an empty batch after this long."),
    S_INT_ ("stream/timeout_ms", "4000", 100, 3600000,
      "A consumer that hears nothing for this long reconnects (lazy pirate)."),
    S_INT_ ("stream/batch_max", "20000", 1, 1000000,
      "Most events one EVENTS reply carries."),
    S_INT_ ("stream/batch_bytes", "4194304", 1024, 1073741824,
      "Most body bytes one EVENTS reply carries."),
    S_INT_ ("stream/max_message_bytes", "16777216", 65536, 2147483647,
      "ZMQ_MAXMSGSIZE on every socket that faces a peer."),
    S_INT_ ("stream/hwm", "1000", 1, 10000000, "Send and receive high-water marks."),

    S_INT_ ("security/curve", "0", 0, 1,
      "1: every stream and control endpoint runs CURVE, only the stack's service keys are"
      " served (needed when services are on different hosts); 0: in the clear, for a stack"
      " whose endpoints are all local (loopback or ipc)."),
    S_INT_ ("security/allow_plain_remote", "0", 0, 1,
      "1: with security/curve = 0, a service may still bind a stream or control endpoint"
      " off loopback (anyone who reaches it reads every partner's data and uses the"
      " control verbs; it warns at every start); 0: it refuses to start instead."),
    S_TEXT_ ("security/service_keys", "",
      "Folder of the public certificates of the stack's services (ingest.cert,"
      " valuation.cert, compliance.cert, reporting.cert, socval.cert);"
      " empty: <data/dir>/keys/services."),
    S_INT_ ("socval/restart_max_ms", "30000", 100, 600000,
      "socval up starts a service that died again after 0.5 s, doubling at each death up"
      " to this (a service that ran a minute starts at 0.5 s again)."),
    S_TEXT_ ("socval/certificate", "",
      "The socval command's own CURVE certificate, when security/curve is on;"
      " empty: <data/dir>/keys/socval.cert."),
    S_TEXT_ ("ingest/feed_endpoint", "tcp://127.0.0.1:7710",
      "Where partners submit feeds (CURVE with ZAP, always)."),
    S_TEXT_ ("ingest/store", "", "Ingest's SQLite store; empty: <data/dir>/ingest.db."),
    S_TEXT_ ("ingest/certificate", "",
      "Ingest's CURVE certificate (secret file <name>_secret beside it);"
      " empty: <data/dir>/keys/ingest.cert."),
    S_TEXT_ ("ingest/partner_keys", "",
      "Folder of partners' public certificates ZAP accepts; empty: <data/dir>/keys/partners."),
    S_INT_ ("ingest/credit", "4", 1, 1024, "Chunks a partner may have in flight per batch."),
    S_INT_ ("ingest/max_document_bytes", "1048576", 1024, 1073741824,
      "Largest release or record in an OCDS package, and largest lone release document"
      " (each is read whole, at several times this in memory; a package is read one"
      " release or record at a time, whatever its size)."),
    S_INT_ ("ingest/max_errors", "1000", 0, 1000000,
      "Rejected rows listed in one receipt (all are counted)."),
    S_TEXT_ ("ingest/beneficiary_groups",
      "Age,Disability,Gender reassignment,Marriage and civil partnership,"
      "Pregnancy and maternity,Race,Religion or belief,Sex,Sexual orientation,"
      "Care leavers,Carers,Disabled people,Ex-offenders,Homeless people,Long-term unemployed,"
      "Older people,Over 50s,Refugees,Veterans,Young people,Young people NEET",
      "Beneficiary groups a delivery return may name, comma-separated (the Equality Act"
      " 2010 protected characteristics, then groups TOMs measures and councils' returns"
      " name, as deploy/examples writes them): a group"
      " written another way (case, spacing, punctuation, & for and) takes the listed"
      " spelling; one not listed is taken as written, with a receipt warning. A partner's"
      " own partners/<name>/beneficiary_groups replaces it; empty: no list, no warning."),
    S_TEXT_ ("ingest/stream_endpoint", "tcp://127.0.0.1:7711",
      "Where ingest's durable stream answers FETCH."),
    S_TEXT_ ("ingest/control_endpoint", "tcp://127.0.0.1:7712",
      "Where ingest answers STATUS."),
    S_TEXT_ ("valuation/certificate", "",
      "Valuation's CURVE certificate when security/curve is on; empty: <data/dir>/keys/valuation.cert."),
    S_TEXT_ ("valuation/store", "", "Valuation's SQLite store; empty: <data/dir>/valuation.db."),
    S_TEXT_ ("valuation/frameworks", "",
      "Framework CSV files imported on start when not yet held, comma-separated."),
    S_TEXT_ ("valuation/postcode_lookup", "",
      "ONS postcode directory CSV (postcode -> authority, ward); empty: none."),
    S_TEXT_ ("valuation/stream_endpoint", "tcp://127.0.0.1:7721",
      "Where valuation's durable stream answers FETCH."),
    S_TEXT_ ("valuation/control_endpoint", "tcp://127.0.0.1:7722",
      "Where valuation answers STATUS."),
    S_TEXT_ ("compliance/certificate", "",
      "Compliance's CURVE certificate when security/curve is on; empty: <data/dir>/keys/compliance.cert."),
    S_TEXT_ ("compliance/store", "",
      "Compliance's SQLite store; empty: <data/dir>/compliance.db."),
    S_TEXT_ ("compliance/clock_file", "",
      "For tests and drills: a file holding today's date (2025-06-01), read at every"
      " evaluation; empty: the system clock."),
    S_INT_ ("compliance/tick_ms", "60000", 10, 86400000,
      "How often compliance looks whether the day has changed (then every rule runs)."),
    S_INT_ ("compliance/quiet_ms", "1000", 10, 3600000,
      "How long ingest's stream must bring nothing new before compliance evaluates what"
      " it brought: a network's feeds loaded back to back are judged once, whole."),
    S_TEXT_ ("compliance/rlw_categories",
      "cleaning,security,catering,care,facilities management,facilities,grounds maintenance,"
      "porterage,waste collection",
      "Contract categories whose workers work on the buyer's premises: with rlw_min_weeks,"
      " what puts a contract in RLW scope when the feed does not say."),
    S_INT_ ("compliance/rlw_min_weeks", "8", 1, 520,
      "Shortest contract, in weeks, that falls in RLW scope by category."),
    S_TEXT_ ("compliance/rlw_rates", "",
      "Real Living Wage rates by year (CSV: year, uk_pence, london_pence, announced,"
      " deadline); empty: the bundled deploy/data/rlw-rates.csv."),
    S_INT_ ("compliance/renewal_days", "60", 0, 3650,
      "rlw.renewal_due fires this many days before a renewal or rate deadline."),
    S_INT_ ("compliance/shortfall_tolerance_pct", "10", 0, 100,
      "delivery.shortfall allows delivery this far (percent) below the pro-rata commitment."),
    S_INT_ ("compliance/return_period_months", "3", 1, 120,
      "Delivery returns are due for each period of this many months from a contract's start."),
    S_INT_ ("compliance/overdue_grace_days", "30", 0, 3650,
      "delivery.overdue fires when a period ended this many days ago with no return."),
    S_TEXT_ ("compliance/alert_hook", "",
      "Command run (by /bin/sh) for each newly opened alert, the alert as JSON on stdin;"
      " empty: none."),
    S_INT_ ("compliance/hook_timeout_ms", "10000", 100, 3600000,
      "An alert hook still running after this long is killed."),
    S_TEXT_ ("compliance/stream_endpoint", "tcp://127.0.0.1:7731",
      "Where compliance's durable stream answers FETCH."),
    S_TEXT_ ("compliance/control_endpoint", "tcp://127.0.0.1:7732",
      "Where compliance answers STATUS and ALERT_ACK."),
    S_TEXT_ ("reporting/certificate", "",
      "Reporting's CURVE certificate when security/curve is on; empty: <data/dir>/keys/reporting.cert."),
    S_TEXT_ ("reporting/store", "",
      "Reporting's SQLite store; empty: <data/dir>/reporting.db."),
    S_TEXT_ ("reporting/output", "",
      "Folder scheduled reports are written to; empty: <data/dir>/reports."),
    S_TEXT_ ("reporting/clock_file", "",
      "For tests and drills: a file holding the time now (2025-05-01T06:00:00Z), read at"
      " every tick; empty: the system clock."),
    S_INT_ ("reporting/tick_ms", "30000", 10, 86400000,
      "How often reporting looks for schedules that are due."),
    S_TEXT_ ("reporting/evidence_counted", "claimed,evidenced,validated",
      "Evidence states of delivery returns that reports count as delivered."),
    S_INT_ ("reporting/small_number_threshold", "5", 0, 1000,
      "Breakdowns by ward or beneficiary group suppress counts below this."),
    S_TEXT_ ("reporting/crosswalk", "",
      "Crosswalk CSV (framework, measure, outcome) mapping every partner's framework measures"
      " to common outcomes, so the partnership report shows partners on different frameworks"
      " side by side; empty: none."),
    S_TEXT_ ("reporting/open_data_licence", "Open Government Licence v3.0",
      "The licence the open-data pack is published under, stated in its LICENCE.txt."),
    S_TEXT_ ("reporting/stream_endpoint", "tcp://127.0.0.1:7741",
      "Where reporting's durable stream answers FETCH."),
    S_TEXT_ ("reporting/control_endpoint", "tcp://127.0.0.1:7742",
      "Where reporting answers STATUS and REPORT_REQUEST."),

    S_OPEN_ ("partners",
      "One child per partner: public_key (Z85, from its certificate),"
      " headers/<Source header> = canonical field, date_order (dmy|mdy: how its spend files"
      " write numeric dates; unset, each file's dates settle it), framework (id), measures"
      " (codes or all),"
      " local_districts (S60-S66, S25), local_authorities (E08000018),"
      " rlw_renewal (the partner's own RLW accreditation renewal date, 2025-09-30),"
      " display_name (its name in reports)"),
    S_DATE_ ("partners/*/rlw_renewal",
      "The partner's own Real Living Wage accreditation renewal date (yyyy-mm-dd):"
      " compliance's rlw.renewal_due watches it; unset, nothing is watched."),
    S_TEXT_ ("partners/*/display_name", "",
      "The partner's name as a councillor knows it (Greater Manchester Police), shown in"
      " every report's text and tables; reports' JSON keeps the config name beside it."
      " Unset: the config name."),
    S_TEXT_ ("partners/*/ocid_prefix", "",
      "The partner's registered OCDS ocid prefix (ocds-abc123): the kpi report's ocid of a"
      " contract not read from OCDS is <prefix>-<contract id>. Unset: unregistered-<partner>-"
      "<contract id>, to be replaced before publishing."),
    S_CHOICE_ ("partners/*/date_order", "", "dmy|mdy",
      "How the partner's spend files write numeric dates: dmy (31/08/2020) or mdy"
      " (08/31/2020); unset, each file's dates settle it."),
    S_OPEN_ ("schedules",
      "One child per scheduled report: cron (minute hour day month weekday, UTC),"
      " kind (annual|partnership|rlw-scope|alerts|contracts|kpi), year (previous|current|2024-25),"
      " partner (a name, or all), formats (html,json,csv,xlsx)"),
};

#define S_KEY_COUNT (sizeof s_keys / sizeof s_keys [0])

struct _sv_config_t {
    zconfig_t *root;
};

//  True when path is pattern, a "*" segment of pattern matching any one
//  segment of path
static bool
s_matches (const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (*pattern == '*') {
            pattern++;
            while (*path && *path != '/')
                path++;
        }
        else
        if (*pattern++ != *path++)
            return false;
    }
    return *pattern == 0 && *path == 0;
}

static const s_key_t *
s_declared (const char *path)
{
    //  A declared key first, so that partners/x/rlw_renewal is a date and
    //  not merely something inside the open section partners
    for (size_t i = 0; i < S_KEY_COUNT; i++)
        if (s_keys [i].type != S_OPEN && s_matches (s_keys [i].path, path))
            return &s_keys [i];
    for (size_t i = 0; i < S_KEY_COUNT; i++) {
        size_t length = strlen (s_keys [i].path);
        if (s_keys [i].type == S_OPEN && strncmp (path, s_keys [i].path, length) == 0
        &&  (path [length] == 0 || path [length] == '/'))
            return &s_keys [i];
    }
    return NULL;
}

//  The integer text holds, if all of it is one
static bool
s_integer (const char *text, int64_t *value_p)
{
    char *end;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    if (!*text || *end || errno)
        return false;
    *value_p = (int64_t) value;
    return true;
}

//  True when text is one of the words of choices ("a|b|c")
static bool
s_chosen (const char *choices, const char *text)
{
    size_t length = strlen (text);
    for (const char *word = choices; word; word = strchr (word, '|'), word = word? word + 1: NULL)
        if (strncmp (word, text, length) == 0 && (word [length] == '|' || word [length] == 0))
            return length > 0;
    return false;
}

//  What the key expects, for a person: "an integer from 1 to 120"
static void
s_expected (const s_key_t *key, char *text, size_t size)
{
    if (key->type == S_INT)
        snprintf (text, size, "an integer from %" PRId64 " to %" PRId64, key->min, key->max);
    else
    if (key->type == S_CHOICE)
        snprintf (text, size, "one of %s%s", key->choices, *key->fallback? "": " (or empty)");
    else
    if (key->type == S_DATE)
        snprintf (text, size, "a date written yyyy-mm-dd, such as 2025-09-30 (or empty)");
    else
        snprintf (text, size, "text");
}

//  0 when value fits key, else -1 with a problem naming path, value and
//  what was expected
static int
s_value_check (const s_key_t *key, const char *path, const char *value,
               char *problem, size_t size)
{
    bool fits = true;
    int64_t number;
    if (key->type == S_INT)
        fits = s_integer (value, &number) && number >= key->min && number <= key->max;
    else
    if (key->type == S_CHOICE)
        fits = (*value == 0 && *key->fallback == 0) || s_chosen (key->choices, value);
    else
    if (key->type == S_DATE) {
        //  ISO only: a config is no place for 01/02/2025's two readings
        int32_t day;
        fits = *value == 0
            || (strlen (value) == 10 && value [4] == '-' && value [7] == '-'
                && sv_date_parse (value, &day, NULL) == 0);
    }
    if (fits)
        return 0;
    char expected [160];
    s_expected (key, expected, sizeof expected);
    snprintf (problem, size, "'%s' is '%s': expected %s", path, value, expected);
    return -1;
}

typedef struct {
    sv_config_problem_fn *fn;
    void *arg;
    int count;
} s_problems_t;

static void
s_problem (s_problems_t *problems, const char *format, ...)
{
    char text [640];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    problems->count++;
    if (problems->fn)
        problems->fn (text, problems->arg);
}

//  Walks a loaded tree: every leaf (an item without children) must be
//  declared and its value must fit its declaration
static void
s_check_tree (zconfig_t *item, char *path, size_t size, s_problems_t *problems)
{
    for (; item; item = zconfig_next (item)) {
        size_t length = strlen (path);
        snprintf (path + length, size - length, "%s%s", length? "/": "", zconfig_name (item));
        const s_key_t *key = s_declared (path);
        const char *value = zconfig_value (item);
        bool leaf = zconfig_child (item) == NULL;
        if (!key && leaf)
            //  A section on the way to a declared key is checked below
            s_problem (problems, "unknown key '%s'", path);
        else
        if (key && key->type != S_OPEN && !leaf)
            s_problem (problems, "'%s' is a value, not a section", path);
        else
        if (key && key->type != S_OPEN) {
            char problem [640];
            if (s_value_check (key, path, value? value: "", problem, sizeof problem))
                s_problem (problems, "%s", problem);
        }
        else
        if (key && key->type == S_OPEN && !leaf)
            //  Its children may still hold declared keys (partners/*/...)
            s_check_tree (zconfig_child (item), path, size, problems);
        if (!key)
            s_check_tree (zconfig_child (item), path, size, problems);
        path [length] = 0;
    }
}

//  The integer at path in a loaded tree, else its default; 0 when the
//  file's value is not an integer (already a problem of its own)
static int64_t
s_int_at (zconfig_t *root, const char *path)
{
    int64_t value = 0;
    s_integer (zconfig_get (root, path, s_declared (path)->fallback), &value);
    return value;
}

//  What one key's value means only beside another's
static void
s_check_together (zconfig_t *root, s_problems_t *problems)
{
    int64_t heartbeat = s_int_at (root, "stream/heartbeat_ms");
    int64_t timeout = s_int_at (root, "stream/timeout_ms");
    int64_t batch = s_int_at (root, "stream/batch_bytes");
    int64_t message = s_int_at (root, "stream/max_message_bytes");
    //  A consumer waiting less than a heartbeat reconnects while its
    //  producer rightly holds the request
    if (timeout <= heartbeat)
        s_problem (problems, "'stream/timeout_ms' is '%" PRId64 "': expected more than"
                   " stream/heartbeat_ms (%" PRId64 ")", timeout, heartbeat);
    //  A batch the size of the limit would be dropped by its receiver
    if (batch >= message)
        s_problem (problems, "'stream/batch_bytes' is '%" PRId64 "': expected less than"
                   " stream/max_message_bytes (%" PRId64 ")", batch, message);
}

//  Every problem of a loaded tree; returns how many
static int
s_check (zconfig_t *root, s_problems_t *problems)
{
    char key_path [512] = "";
    s_check_tree (zconfig_child (root), key_path, sizeof key_path, problems);
    s_check_together (root, problems);
    return problems->count;
}

sv_config_t *
sv_config_new (void)
{
    sv_config_t *self = (sv_config_t *) zmalloc (sizeof (sv_config_t));
    self->root = zconfig_new ("root", NULL);
    return self;
}

//  Keeps the first problem as the reason a load fails, counts the rest
typedef struct {
    char first [640];
    int count;
} s_first_t;

static void
s_keep_first (const char *problem, void *arg)
{
    s_first_t *first = (s_first_t *) arg;
    if (first->count++ == 0)
        snprintf (first->first, sizeof first->first, "%s", problem);
}

int
sv_config_verify (const char *path, sv_config_problem_fn *fn, void *arg)
{
    assert (path);
    s_problems_t problems = { fn, arg, 0 };
    zconfig_t *root = zconfig_load (path);
    if (!root)
        s_problem (&problems, "cannot be read as a ZPL config file (is it there?)");
    else
        s_check (root, &problems);
    zconfig_destroy (&root);
    return problems.count;
}

sv_config_t *
sv_config_load (const char *path, const char **reason_p)
{
    static _Thread_local char reason [768];
    const char *ignored;
    if (!reason_p)
        reason_p = &ignored;
    zconfig_t *root = zconfig_load (path);
    if (!root) {
        snprintf (reason, sizeof reason, "%s: cannot read it as a ZPL config file", path);
        *reason_p = reason;
        return NULL;
    }
    s_first_t first = { .count = 0 };
    s_problems_t problems = { s_keep_first, &first, 0 };
    if (s_check (root, &problems)) {
        if (first.count > 1)
            snprintf (reason, sizeof reason, "%s: %s (and %d more: socval config check"
                      " lists them)", path, first.first, first.count - 1);
        else
            snprintf (reason, sizeof reason, "%s: %s", path, first.first);
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
    const s_key_t *key = s_declared (path);
    assert (key && key->type == S_INT);
    int64_t value;
    //  Loading and sv_config_set refuse what does not fit, so this is the
    //  value checked; the default is only for a tree edited behind our back
    if (!s_integer (sv_config_get (self, path), &value) || value < key->min || value > key->max)
        s_integer (key->fallback, &value);
    return value;
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
    assert (self && value);
    const s_key_t *key = s_declared (path);
    char problem [640];
    if (!key || (key->type != S_OPEN && s_value_check (key, path, value, problem, sizeof problem)))
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
        if (s_keys [i].type != S_OPEN && !strchr (s_keys [i].path, '*')
        &&  !zconfig_locate (copy, s_keys [i].path))
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
    for (size_t i = 0; i < S_KEY_COUNT; i++) {
        const s_key_t *key = &s_keys [i];
        char expected [160];
        s_expected (key, expected, sizeof expected);
        if (key->type == S_OPEN)
            fprintf (out, "%s/...  (a section: one child per name you give)\n", key->path);
        else
        if (key->type == S_TEXT)
            fprintf (out, "%s = \"%s\"\n", key->path, key->fallback);
        else
            fprintf (out, "%s = \"%s\"  (%s)\n", key->path, key->fallback, expected);
        //  The meaning, folded at words to fit a terminal
        const char *text = key->doc;
        while (*text) {
            size_t length = strlen (text);
            if (length > 74) {
                length = 74;
                while (length > 0 && text [length] != ' ')
                    length--;
                if (length == 0)
                    length = strcspn (text, " ");
            }
            fprintf (out, "    %.*s\n", (int) length, text);
            text += length;
            while (*text == ' ')
                text++;
        }
    }
}

//  --------------------------------------------------------------------------
//  Self-test

static void
s_test_collect (const char *problem, void *arg)
{
    zlistx_add_end ((zlistx_t *) arg, (void *) problem);
}

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
    assert (strstr (reason, "'stream/hwm' is 'lots': expected an integer from 1 to"));

    //  A value out of its range, a word not among the choices and a date
    //  that is not one are each refused with the key, the value and what
    //  was expected; verify finds them all, load names the first
    file = fopen (path, "w");
    assert (file);
    fprintf (file, "log\n    level = loud\ncompliance\n    return_period_months = 100000\n"
                   "partners\n    police\n        rlw_renewal = 31/09/2025\n"
                   "        date_order = ymd\n        public_key = anything\n");
    fclose (file);
    config = sv_config_load (path, &reason);
    assert (config == NULL);
    assert (strstr (reason, "'log/level' is 'loud': expected one of error|warning|info|debug"));
    assert (strstr (reason, "and 3 more: socval config check lists them"));
    zlistx_t *problems = zlistx_new ();
    zlistx_set_destructor (problems, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_duplicator (problems, (zlistx_duplicator_fn *) strdup);
    assert (sv_config_verify (path, s_test_collect, problems) == 4);
    assert (streq ((char *) zlistx_first (problems),
                   "'log/level' is 'loud': expected one of error|warning|info|debug"));
    assert (streq ((char *) zlistx_next (problems), "'compliance/return_period_months' is"
                   " '100000': expected an integer from 1 to 120"));
    assert (strstr ((char *) zlistx_next (problems), "'partners/police/rlw_renewal' is"
                    " '31/09/2025': expected a date written yyyy-mm-dd"));
    assert (strstr ((char *) zlistx_next (problems), "'partners/police/date_order' is 'ymd'"));
    zlistx_destroy (&problems);

    //  Values that fit load, wildcard keys included; set checks them too
    file = fopen (path, "w");
    assert (file);
    fprintf (file, "compliance\n    return_period_months = 120\npartners\n    police\n"
                   "        rlw_renewal = 2025-09-30\n        date_order = mdy\n");
    fclose (file);
    config = sv_config_load (path, &reason);
    assert (config);
    assert (sv_config_int (config, "compliance/return_period_months") == 120);
    assert (streq (sv_config_get (config, "partners/police/rlw_renewal"), "2025-09-30"));
    assert (sv_config_set (config, "compliance/return_period_months", "0") == -1);
    assert (sv_config_set (config, "partners/police/rlw_renewal", "2025-02-30") == -1);
    assert (sv_config_set (config, "log/level", "debug") == 0);
    assert (sv_config_int (config, "compliance/return_period_months") == 120);
    sv_config_destroy (&config);

    //  Keys whose values only make sense together
    file = fopen (path, "w");
    assert (file);
    fprintf (file, "stream\n    heartbeat_ms = 5000\n    timeout_ms = 4000\n");
    fclose (file);
    assert (sv_config_verify (path, NULL, NULL) == 1);
    assert (sv_config_verify ("/nonexistent/socval.cfg", NULL, NULL) == 1);

    config = sv_config_load ("/nonexistent/socval.cfg", &reason);
    assert (config == NULL && strstr (reason, "/nonexistent/socval.cfg"));
    unlink (path);
    if (verbose)
        printf ("OK\n");
}
