/*  valuation_server: the valuation actor. See valuation_server.h. No SQL
    here (valuation_store) and no arithmetic (valuation_engine): this file
    turns events into lines and moves messages.
*/

#include "valuation_server.h"
#include "valuation_engine.h"
#include "valuation_framework.h"
#include "sv_reader.h"
#include "valuation_store.h"
#include "sv_date.h"
#include "sv_security.h"
#include "sv_service.h"
#include "sv_stream.h"

#define S_VERSION "0.1.0"
#define S_DEFAULT_FRAMEWORK "illustrative-rationalised"
#define S_COUNTS_MS 1000        //  STATUS counts rows at most this often

//  What valuation knows of one partner, from the config
typedef struct {
    char *name;
    char *framework_id;
    char *measures;                             //  config text, "all" by default
    valuation_framework_selection_t *selection; //  for the framework held; NULL: all
    valuation_engine_locality_t *locality;
} s_partner_t;

typedef struct {
    zsock_t *pipe;
    sv_config_t *config;
    zloop_t *loop;
    valuation_store_t *store;
    sv_stream_producer_t *producer;
    sv_stream_consumer_t *consumer;
    sv_reader_t *reader;        //  decodes the batch being applied, ahead
    zsock_t *control;
    sv_service_control_t answers;   //  what control answers, for its reader
    zhashx_t *frameworks;       //  id -> valuation_framework_t *, latest import
    zhashx_t *partners;         //  name -> s_partner_t *
    zhashx_t *suppliers;        //  "partner\x1fkey" -> s_supplier_t *, as stored
    valuation_engine_lookup_t *lookup; //  NULL: none configured, or not usable
    char *lookup_problem;       //  why the configured directory is not used, or NULL
    char *directory;            //  the directory as lines name it (s_lookup_setting)
    msgpack_sbuffer buffer;     //  reused to encode lines
    const valuation_store_source_t *arriving;   //  the ingest event being valued, if any
    uint64_t lines_sent;        //  lines appended since start
    uint64_t wards_unmatched;   //  delivery lines valued since start (again
                                //  when valued again) whose Ward cell
                                //  matched no ward
    zhashx_t *unmatched_wards;  //  "partner\x1fname" of those logged
    valuation_store_counts_t held;      //  rows held, as last counted
    int64_t counted_at;         //  zclock_mono of that count, 0 before the first
    int64_t started;
} s_server_t;

//  ==========================================================================
//  Partners and frameworks

static void
s_partner_destroy (void **item_p)
{
    s_partner_t *partner = (s_partner_t *) *item_p;
    valuation_framework_selection_destroy (&partner->selection);
    valuation_engine_locality_destroy (&partner->locality);
    zstr_free (&partner->name);
    zstr_free (&partner->framework_id);
    zstr_free (&partner->measures);
    free (partner);
    *item_p = NULL;
}

static void
s_framework_destroy (void **item_p)
{
    valuation_framework_destroy ((valuation_framework_t **) item_p);
}

//  (Re)selects a partner's active measures against its framework as held
static void
s_partner_select (s_server_t *self, s_partner_t *partner)
{
    valuation_framework_selection_destroy (&partner->selection);
    valuation_framework_t *framework =
        (valuation_framework_t *) zhashx_lookup (self->frameworks, partner->framework_id);
    if (!framework || streq (partner->measures, "all"))
        return;
    char *unknown = NULL;
    partner->selection = valuation_framework_select_text (framework, partner->measures, &unknown);
    if (!partner->selection)
        zsys_error ("valuation: partner %s selects measure '%s', which framework %s does not"
                    " have; every measure counts as active until the config is mended",
                    partner->name, unknown? unknown: "?", partner->framework_id);
    free (unknown);
}

//  The partner named name, made from the config the first time it is seen
static s_partner_t *
s_partner (s_server_t *self, const char *name)
{
    s_partner_t *partner = (s_partner_t *) zhashx_lookup (self->partners, name);
    if (partner)
        return partner;
    partner = (s_partner_t *) zmalloc (sizeof (s_partner_t));
    partner->name = strdup (name);
    char path [256];
    snprintf (path, sizeof path, "partners/%s/framework", name);
    partner->framework_id = strdup (sv_config_lookup (self->config, path, S_DEFAULT_FRAMEWORK));
    snprintf (path, sizeof path, "partners/%s/measures", name);
    partner->measures = strdup (sv_config_lookup (self->config, path, "all"));
    partner->locality = valuation_engine_locality_new ();
    snprintf (path, sizeof path, "partners/%s/local_districts", name);
    const char *reason;
    if (valuation_engine_locality_set_districts (partner->locality,
            sv_config_lookup (self->config, path, ""), &reason))
        zsys_error ("valuation: partner %s: local_districts: %s", name, reason);
    snprintf (path, sizeof path, "partners/%s/local_authorities", name);
    valuation_engine_locality_set_authorities (partner->locality,
        sv_config_lookup (self->config, path, ""));
    valuation_engine_locality_set_lookup (partner->locality, self->lookup);
    s_partner_select (self, partner);
    zhashx_insert (self->partners, name, partner);
    return partner;
}

//  ==========================================================================
//  The postcode directory

//  What loading the postcode directory said: rows left out, the first of
//  them to log, and the last thing said, which is the refusal (naming the
//  file) when the file is refused whole
typedef struct {
    size_t count;
    char first [512];
    char last [512];
} s_lookup_errors_t;

static void
s_lookup_error (const sv_csv_error_t *error, void *arg)
{
    s_lookup_errors_t *errors = (s_lookup_errors_t *) arg;
    if (errors->count++ == 0)
        sv_csv_error_format (error, errors->first, sizeof errors->first);
    snprintf (errors->last, sizeof errors->last, "%s", error->reason);
}

//  Loads the postcode directory the config names, if it names one. A file
//  that cannot be used (an NSPL of a layout not known, a file without
//  wards, a missing file) does not stop the service: only a person can fix
//  it, so exiting would only have the supervisor restart valuation in a
//  loop. Valuation runs without it instead: partners' postcode districts
//  place postcodes, or they stay unknown, never guessed from an authority
//  code. The problem is logged here, once, and told on every STATUS.
static void
s_load_lookup (s_server_t *self)
{
    const char *path = sv_config_get (self->config, "valuation/postcode_lookup");
    if (!*path)
        return;
    s_lookup_errors_t errors = { 0 };
    self->lookup = valuation_engine_lookup_load_file (path, s_lookup_error, &errors);
    if (self->lookup) {
        zsys_info ("valuation: postcode directory %s: %zu postcodes in %zu places", path,
                   valuation_engine_lookup_size (self->lookup),
                   valuation_engine_lookup_places (self->lookup));
        if (errors.count)
            zsys_warning ("valuation: postcode directory %s: %zu rows left out, the first: %s",
                          path, errors.count, errors.first);
        return;
    }
    self->lookup_problem = zsys_sprintf ("%s; valuing without it: localities come from the "
                                         "partners' postcode districts, or stay unknown",
                                         *errors.last? errors.last: path);
    zsys_error ("valuation: postcode directory not used: %s", self->lookup_problem);
}

//  The directory as partners' settings record it: its path, marked when
//  it could not be loaded, so that lines valued without it are valued
//  again once it loads (and the other way round). Returns a fresh string.
static char *
s_lookup_setting (s_server_t *self)
{
    const char *path = sv_config_get (self->config, "valuation/postcode_lookup");
    return zsys_sprintf ("%s%s", path, self->lookup_problem? " (not loaded)": "");
}

//  Collects the errors of a framework file that was refused
typedef struct {
    zlistx_t *errors;           //  sv_proto_row_error_t *
    char first [512];
} s_refusal_t;

static void
s_refusal_error (const sv_csv_error_t *error, void *arg)
{
    s_refusal_t *refusal = (s_refusal_t *) arg;
    char text [512];
    sv_csv_error_format (error, text, sizeof text);
    if (!*refusal->first)
        snprintf (refusal->first, sizeof refusal->first, "%s", text);
    if (refusal->errors && zlistx_size (refusal->errors) < 1000) {
        sv_proto_row_error_t *row = (sv_proto_row_error_t *) zmalloc (sizeof *row);
        row->row = error->line;
        row->column = strdup (error->column? error->column: "");
        char reason [512];
        if (error->value)
            snprintf (reason, sizeof reason, "value '%.200s': %s", error->value, error->reason);
        else
            snprintf (reason, sizeof reason, "%s", error->reason);
        row->reason = strdup (reason);
        zlistx_add_end (refusal->errors, row);
    }
}

static void
s_row_error_destroy (void **item_p)
{
    sv_proto_row_error_t *row = (sv_proto_row_error_t *) *item_p;
    free (row->column);
    free (row->reason);
    free (row);
    *item_p = NULL;
}

//  Holds framework as the latest of its id, reselecting partners' measures
static void
s_hold_framework (s_server_t *self, valuation_framework_t *framework)
{
    const char *id = valuation_framework_id (framework);
    zhashx_update (self->frameworks, id, framework);
    for (s_partner_t *partner = (s_partner_t *) zhashx_first (self->partners); partner;
         partner = (s_partner_t *) zhashx_next (self->partners))
        if (streq (partner->framework_id, id))
            s_partner_select (self, partner);
}

//  ==========================================================================
//  Lines

//  Counts a line the store appended (rc 1); 0, or -1 when it failed
static int
s_sent (s_server_t *self, int rc)
{
    if (rc == 1)
        self->lines_sent++;
    return rc < 0? -1: 0;
}

//  Encodes line and sends it for its source (kind COMMITMENT or DELIVERY),
//  storing the source's event with it when it has just come from ingest
//  (self->arriving). 0 or -1.
static int
s_send_line (s_server_t *self, const char *kind, const char *partner,
             const char *natural_key, const sv_proto_t *line)
{
    self->buffer.size = 0;
    if (sv_proto_encode (line, &self->buffer))
        return -1;
    return s_sent (self, valuation_store_line_put (self->store, sv_proto_name (line->id), kind,
                                                   partner, natural_key, self->arriving,
                                                   self->buffer.data, self->buffer.size));
}

//  Fills the parts of a valuation line that come from its value: year,
//  theme, framework lineage, proxy and the year whose proxy it is, value
//  and flag. years holds the two years' text and must outlive the line.
static void
s_fill_value (sv_proto_valuation_line_t *out, const valuation_engine_value_t *value,
              const valuation_framework_t *framework, const s_partner_t *partner,
              char years [2][SV_DATE_FY_BUF])
{
    const int fys [2] = { value->fy, value->proxy_fy };
    for (size_t index = 0; index < 2; index++) {
        years [index][0] = 0;
        if (fys [index] != VALUATION_ENGINE_NO_YEAR)
            sv_date_fy_format (fys [index], years [index], SV_DATE_FY_BUF);
    }
    out->year = years [0];
    out->proxy_year = years [1];
    out->theme = (char *) value->theme;
    out->framework = (char *) (framework? value->framework: partner->framework_id);
    out->framework_version = (char *) value->version;
    out->proxy_pence = value->proxy_pence;
    out->value_pence = value->value_pence;
    out->unit = (char *) value->unit;
    out->description = (char *) value->description;
    out->flag = (char *) value->flag;
    out->record_only = value->record_only;
    out->outcome = (char *) value->outcome;
}

static int
s_value_commitment (s_server_t *self, const char *natural_key, uint64_t seq,
                    const sv_proto_commitment_t *commitment)
{
    s_partner_t *partner = s_partner (self, commitment->partner);
    char start_date [11] = "", supplier_key [256] = "";
    valuation_store_contract_get (self->store, commitment->partner, commitment->contract_id,
                                  start_date, supplier_key);
    int32_t day;
    int start_fy = sv_date_parse (start_date, &day, NULL) == 0? sv_date_fy (day)
                                                              : VALUATION_ENGINE_NO_YEAR;
    int commitment_fy = VALUATION_ENGINE_NO_YEAR;
    sv_date_fy_parse (commitment->year, &commitment_fy);
    valuation_engine_value_t value = { .flag = "no_framework", .framework = "", .version = "",
                                       .theme = "", .unit = "", .description = "", .outcome = "",
                                       .fy = commitment_fy };
    valuation_framework_t *framework =
        (valuation_framework_t *) zhashx_lookup (self->frameworks, partner->framework_id);
    if (framework)
        valuation_engine_commitment (framework, partner->selection, commitment->measure,
                                     commitment->quantity_milli, start_fy, commitment_fy, &value);
    char years [2][SV_DATE_FY_BUF];
    sv_proto_t line = { .id = SV_PROTO_VALUATION_LINE };
    sv_proto_valuation_line_t *out = &line.valuation_line;
    s_fill_value (out, &value, framework, partner, years);
    out->partner = commitment->partner;
    out->contract_id = commitment->contract_id;
    out->supplier_key = supplier_key;
    out->measure = commitment->measure;
    out->kind = "committed";
    out->ward = "";
    out->beneficiary_group = "";
    out->evidence = "";
    out->quantity_milli = commitment->quantity_milli;
    out->source_seq = seq;
    return s_send_line (self, "COMMITMENT", commitment->partner, natural_key, &line);
}

//  Counts a line whose Ward cell names no ward of the partner's area, and
//  logs each such name once a run (a replay values the same lines again)
static void
s_ward_unmatched (s_server_t *self, const char *partner, const char *text,
                  const valuation_engine_ward_t *ward)
{
    self->wards_unmatched++;
    char key [600];
    snprintf (key, sizeof key, "%s\x1f%s", partner, ward->name);
    if (zhashx_lookup (self->unmatched_wards, key))
        return;
    zhashx_insert (self->unmatched_wards, key, (void *) 1);
    if (*ward->name)
        zsys_warning ("valuation: partner %s: delivery ward '%s': %s; counted as the ward"
                      " '%s' with no ONS code", partner, text, ward->unmatched, ward->name);
    else
        zsys_warning ("valuation: partner %s: delivery ward '%s': %s; counted with no ward",
                      partner, text, ward->unmatched);
}

static int
s_value_delivery (s_server_t *self, const char *natural_key, uint64_t seq,
                  const sv_proto_delivery_t *delivery)
{
    s_partner_t *partner = s_partner (self, delivery->partner);
    char start_date [11] = "", supplier_key [256] = "";
    valuation_store_contract_get (self->store, delivery->partner, delivery->contract_id,
                                  start_date, supplier_key);
    int32_t period_end = 0;
    bool dated = sv_date_parse (delivery->period_end, &period_end, NULL) == 0;
    valuation_engine_value_t value = { .flag = "no_framework", .framework = "", .version = "",
                                       .theme = "", .unit = "", .description = "", .outcome = "",
                                       .fy = dated? sv_date_fy (period_end): VALUATION_ENGINE_NO_YEAR };
    valuation_framework_t *framework =
        (valuation_framework_t *) zhashx_lookup (self->frameworks, partner->framework_id);
    if (framework && dated)
        valuation_engine_delivery (framework, partner->selection, delivery->measure,
                                   delivery->quantity_milli, period_end, &value);
    //  The ward is its ONS code whenever the Ward cell or, without one,
    //  the postcode gives it (valuation_engine.h, "Wards of delivery
    //  returns"); a name matching no ward is kept, in one spelling
    valuation_engine_ward_t ward;
    if (valuation_engine_locality_ward (partner->locality, delivery->ward, &ward))
        s_ward_unmatched (self, delivery->partner, delivery->ward, &ward);
    if (!*delivery->ward && *delivery->postcode) {
        valuation_engine_place_t place;
        valuation_engine_locality_classify (partner->locality, delivery->postcode, &place);
        snprintf (ward.code, sizeof ward.code, "%s", place.ward_code);
        snprintf (ward.name, sizeof ward.name, "%s", place.ward_name);
    }
    char years [2][SV_DATE_FY_BUF];
    sv_proto_t line = { .id = SV_PROTO_VALUATION_LINE };
    sv_proto_valuation_line_t *out = &line.valuation_line;
    s_fill_value (out, &value, framework, partner, years);
    out->partner = delivery->partner;
    out->contract_id = delivery->contract_id;
    out->supplier_key = supplier_key;
    out->measure = delivery->measure;
    out->kind = "delivered";
    out->ward = *ward.code? ward.code: ward.name;
    out->ward_name = *ward.code? ward.name: "";
    out->beneficiary_group = delivery->beneficiary_group;
    out->evidence = delivery->evidence;
    out->quantity_milli = delivery->quantity_milli;
    out->source_seq = seq;
    return s_send_line (self, "DELIVERY", delivery->partner, natural_key, &line);
}

//  What a payee's place needs of its supplier, as stored: kept in memory,
//  since a supplier change places all its payees again, one by one
typedef struct {
    char postcode [16];         //  "" when unknown or no such supplier
    const char *place_source;   //  where postcode came from: "supplier" (the
                                //  partner's feed), "registered_office"
                                //  (Companies House), "" when none
    bool sme;
    bool vcse;
    bool employee_owned;
} s_supplier_t;

static void
s_supplier_destroy (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

static const s_supplier_t *
s_supplier (s_server_t *self, const char *partner, const char *supplier_key)
{
    char key [600];
    snprintf (key, sizeof key, "%s\x1f%s", partner, supplier_key);
    s_supplier_t *supplier = (s_supplier_t *) zhashx_lookup (self->suppliers, key);
    if (!supplier) {
        supplier = (s_supplier_t *) zmalloc (sizeof (s_supplier_t));
        valuation_store_supplier_get (self->store, partner, supplier_key, supplier->postcode,
                                      &supplier->sme, &supplier->vcse,
                                      &supplier->employee_owned);
        //  The partner's own postcode wins: a registered office is not
        //  always where the work is done
        supplier->place_source = *supplier->postcode? "supplier": "";
        if (!*supplier->postcode
        &&  valuation_store_company_get (self->store, partner, supplier_key,
                                         supplier->postcode) == 0
        &&  *supplier->postcode)
            supplier->place_source = "registered_office";
        zhashx_insert (self->suppliers, key, supplier);
    }
    return supplier;
}

//  Places a payee, a supplier and postcode partner's payments name: the
//  postcode given on the payments, when there is one, is where the money
//  went; else the supplier's. Sends a PLACE when it differs from the last
//  sent for the payee. 0 or -1.
static int
s_place_payee (const char *partner_name, const char *supplier_key, const char *postcode,
               void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    s_partner_t *partner = s_partner (self, partner_name);
    static const s_supplier_t nobody = { "", "", false, false, false };
    const s_supplier_t *supplier = *supplier_key?
        s_supplier (self, partner_name, supplier_key): &nobody;
    valuation_engine_place_t place;
    valuation_engine_locality_classify (partner->locality,
                                        *postcode? postcode: supplier->postcode, &place);
    sv_proto_t message = { .id = SV_PROTO_PLACE };
    sv_proto_place_t *out = &message.place;
    out->partner = (char *) partner_name;
    out->supplier_key = (char *) supplier_key;
    out->postcode = (char *) postcode;
    out->locality = (char *) valuation_engine_class_name (place.locality);
    out->ward_code = (char *) place.ward_code;
    out->ward_name = (char *) place.ward_name;
    out->sme = supplier->sme;
    out->vcse = supplier->vcse;
    out->employee_owned = supplier->employee_owned;
    out->place_source = (char *) (*postcode? "payment": supplier->place_source);
    //  Why it is placed where it is, for socval explain and the open-data
    //  pack: the directory by its file's name (which names its release,
    //  trafford-postcodes-onspd-2023-11.csv), not where it sits on this host
    if (!self->directory) {
        char *setting = s_lookup_setting (self);
        const char *slash = strrchr (setting, '/');
        self->directory = strdup (slash? slash + 1: setting);
        zstr_free (&setting);
    }
    out->place_postcode = place.postcode;
    out->locality_reason = (char *) place.reason;
    out->directory = self->directory;
    self->buffer.size = 0;
    if (sv_proto_encode (&message, &self->buffer))
        return -1;
    return s_sent (self, valuation_store_place_put (self->store, partner_name, supplier_key,
                                                    postcode, self->buffer.data,
                                                    self->buffer.size));
}

//  A payee ingest sends with the payments that name it: held, with the
//  supplier's name for socval suppliers resolve (a supplier feed's name
//  wins), and placed the first time. A payee held is placed again by what
//  changes its place (a supplier, a registered office, the settings), so
//  ingest sending it with another batch changes nothing. 0 or -1.
static int
s_apply_payee (s_server_t *self, const sv_proto_payee_t *payee)
{
    int fresh = valuation_store_payee_put (self->store, payee->partner, payee->supplier_key,
                                           payee->postcode);
    if (fresh < 0)
        return -1;
    //  A name not written costs that supplier its match by name only, so
    //  it does not stop the payee being placed
    if (*payee->supplier_key)
        (void) valuation_store_name_put (self->store, payee->partner, payee->supplier_key,
                                         payee->supplier_name, false);
    return fresh? s_place_payee (payee->partner, payee->supplier_key, payee->postcode, self): 0;
}

//  Values again a commitment or delivery from its stored event
static int
s_value_source (const char *natural_key, uint64_t seq, const uint8_t *body, size_t size,
                void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    sv_proto_t event = { .id = 0 };
    int rc = 0;
    if (sv_proto_decode (&event, body, size) == 0) {
        if (event.id == SV_PROTO_COMMITMENT)
            rc = s_value_commitment (self, natural_key, seq, &event.commitment);
        else
        if (event.id == SV_PROTO_DELIVERY)
            rc = s_value_delivery (self, natural_key, seq, &event.delivery);
    }
    sv_proto_reset (&event);
    return rc;
}

//  ==========================================================================
//  The ingest stream

static int
s_apply (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) db;
    s_server_t *self = (s_server_t *) arg;
    valuation_store_t *store = self->store;
    const sv_proto_t *message = sv_reader_next (self->reader, event);
    if (message->id == 0)
        return SV_STREAM_UNREADABLE;        //  the stream stalls here, and says why
    int rc = 0;
    //  The event itself, stored with the line it gives
    valuation_store_source_t arriving = {
        .contract_id = "", .seq = event->seq, .body = event->body, .size = event->body_size
    };
    switch (message->id) {
        case SV_PROTO_SUPPLIER: {
            const sv_proto_supplier_t *supplier = &message->supplier;
            int changed = valuation_store_supplier_put (store, supplier->partner,
                supplier->supplier_key, supplier->postcode, supplier->sme, supplier->vcse,
                supplier->employee_owned);
            if (changed >= 0 && valuation_store_name_put (store, supplier->partner,
                                    supplier->supplier_key, supplier->name, true) < 0)
                changed = -1;
            char key [600];
            snprintf (key, sizeof key, "%s\x1f%s", supplier->partner, supplier->supplier_key);
            zhashx_delete (self->suppliers, key);
            rc = changed < 0? -1
               : changed? valuation_store_payee_each (store, supplier->partner,
                                                     supplier->supplier_key, s_place_payee, self)
               : 0;
            break;
        }
        case SV_PROTO_COMPANY: {
            //  The register is about the company: every configured
            //  partner's payees of that supplier are placed again (a
            //  supplier id, ID:, only the sending partner's)
            const sv_proto_company_t *company = &message->company;
            int changed = valuation_store_company_put (store, company->partner,
                company->supplier_key, company->company_number, company->postcode,
                company->matched_by);
            if (changed)
                zhashx_purge (self->suppliers);
            rc = changed < 0? -1: 0;
            for (zconfig_t *item = sv_config_children (self->config, "partners");
                 changed > 0 && item && rc == 0; item = zconfig_next (item))
                rc = valuation_store_payee_each (store, zconfig_name (item),
                                                 company->supplier_key, s_place_payee, self);
            break;
        }
        case SV_PROTO_CONTRACT: {
            const sv_proto_contract_t *contract = &message->contract;
            int changed = valuation_store_contract_put (store, contract->partner,
                contract->contract_id, contract->supplier_key, contract->start_date);
            if (changed < 0)
                rc = -1;
            else
            if (changed)
                rc = valuation_store_source_each (store, "COMMITMENT", contract->partner,
                                                  contract->contract_id, s_value_source, self)
                  || valuation_store_source_each (store, "DELIVERY", contract->partner,
                                                  contract->contract_id, s_value_source, self);
            break;
        }
        case SV_PROTO_PAYEE:
            rc = s_apply_payee (self, &message->payee);
            break;
        case SV_PROTO_COMMITMENT:
            arriving.contract_id = message->commitment.contract_id;
            self->arriving = &arriving;
            rc = s_value_commitment (self, event->key, event->seq, &message->commitment);
            break;
        case SV_PROTO_DELIVERY:
            arriving.contract_id = message->delivery.contract_id;
            self->arriving = &arriving;
            rc = s_value_delivery (self, event->key, event->seq, &message->delivery);
            break;
        default:
            break;
    }
    self->arriving = NULL;
    return rc? -1: 0;
}

static void
s_committed (void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    sv_stream_producer_notify (self->producer);
}

//  ==========================================================================
//  Control: STATUS, FRAMEWORK_IMPORT, FRAMEWORK_LIST, SUPPLIER_LIST

//  Collects the frameworks held, for FRAMEWORKS
typedef struct {
    s_server_t *server;
    sv_proto_framework_info_t infos [64];
    size_t count;
    char text [64][3][72];
} s_list_t;

static void
s_list_one (const char *id, const char *version, const char *imported_at, void *arg)
{
    s_list_t *list = (s_list_t *) arg;
    if (list->count == 64)
        return;
    size_t index = list->count++;
    snprintf (list->text [index][0], 72, "%s", id);
    snprintf (list->text [index][1], 72, "%s", version);
    snprintf (list->text [index][2], 72, "%s", imported_at);
    zchunk_t *csv = valuation_store_framework_get (list->server->store, id, version);
    valuation_framework_t *framework = csv? valuation_framework_load (zchunk_data (csv),
                                                                      zchunk_size (csv), NULL, NULL)
                                          : NULL;
    list->infos [index] = (sv_proto_framework_info_t) {
        .framework = list->text [index][0], .version = list->text [index][1],
        .imported_at = list->text [index][2],
        .measures = framework? valuation_framework_measures (framework): 0
    };
    valuation_framework_destroy (&framework);
    zchunk_destroy (&csv);
}

static void
s_reply_frameworks (s_server_t *self, zframe_t *peer, bool ok, const char *reason,
                    zlistx_t *errors, uint64_t recomputed)
{
    s_list_t *list = (s_list_t *) zmalloc (sizeof (s_list_t));
    list->server = self;
    valuation_store_framework_each (self->store, s_list_one, list);
    size_t error_count = errors? zlistx_size (errors): 0;
    sv_proto_row_error_t *rows = (sv_proto_row_error_t *)
        zmalloc ((error_count + 1) * sizeof (sv_proto_row_error_t));
    size_t index = 0;
    for (sv_proto_row_error_t *row = errors? (sv_proto_row_error_t *) zlistx_first (errors): NULL;
         row; row = (sv_proto_row_error_t *) zlistx_next (errors))
        rows [index++] = *row;
    sv_proto_t reply = { .id = SV_PROTO_FRAMEWORKS };
    reply.frameworks.ok = ok;
    reply.frameworks.reason = (char *) (reason? reason: "");
    reply.frameworks.errors = rows;
    reply.frameworks.errors_count = error_count;
    reply.frameworks.frameworks = list->infos;
    reply.frameworks.frameworks_count = list->count;
    reply.frameworks.recomputed = recomputed;
    sv_service_reply (self->control, peer, &reply);
    free (rows);
    free (list);
}

static void
s_handle_import (s_server_t *self, zframe_t *peer, const sv_proto_framework_import_t *import)
{
    s_refusal_t refusal = { .errors = zlistx_new () };
    zlistx_set_destructor (refusal.errors, s_row_error_destroy);
    valuation_framework_t *framework = valuation_framework_load (
        import->payload, import->payload_size, s_refusal_error, &refusal);
    if (!framework) {
        char reason [640];
        snprintf (reason, sizeof reason, "%s refused, nothing changed: %s",
                  *import->name? import->name: "the framework", refusal.first);
        s_reply_frameworks (self, peer, false, reason, refusal.errors, 0);
        zlistx_destroy (&refusal.errors);
        return;
    }
    zlistx_destroy (&refusal.errors);
    //  Store it, hold it, and value again what it prices, in one transaction
    sv_db_t *db = valuation_store_db (self->store);
    uint64_t sent_before = self->lines_sent;
    bool ok = sv_db_begin (db) == 0
           && valuation_store_framework_put (self->store, valuation_framework_id (framework),
                  valuation_framework_version (framework), import->payload,
                  import->payload_size) == 0;
    if (ok) {
        s_hold_framework (self, framework);
        framework = NULL;
        ok = valuation_store_source_each (self->store, "COMMITMENT", NULL, NULL,
                                          s_value_source, self) == 0
          && valuation_store_source_each (self->store, "DELIVERY", NULL, NULL,
                                          s_value_source, self) == 0
          && sv_db_commit (db) == 0;
    }
    valuation_framework_destroy (&framework);
    if (!ok) {
        zsys_error ("valuation: cannot store framework %s: %s",
                    *import->name? import->name: "(unnamed)", sv_db_error (db));
        sv_db_rollback (db);
        self->lines_sent = sent_before;
        s_reply_frameworks (self, peer, false, "the store failed; import it again", NULL, 0);
        return;
    }
    sv_stream_producer_notify (self->producer);
    s_reply_frameworks (self, peer, true, NULL, NULL, self->lines_sent - sent_before);
}

static void
s_handle_status (s_server_t *self, zframe_t *peer)
{
    //  Counting a large council's commitments and returns reads every page
    //  of their table: a monitor asking often gets counts up to
    //  S_COUNTS_MS old (offsets and heads are always the latest)
    int64_t now = zclock_mono ();
    if (!self->counted_at || now - self->counted_at >= S_COUNTS_MS) {
        self->held = (valuation_store_counts_t) { -1, -1, -1, -1, -1 };
        valuation_store_counts (self->store, &self->held);
        self->counted_at = now;
    }
    valuation_store_counts_t held = self->held;
    sv_proto_row_count_t counts [6] = {
        { .name = "frameworks", .rows = (uint64_t) held.frameworks },
        { .name = "contracts", .rows = (uint64_t) held.contracts },
        { .name = "suppliers", .rows = (uint64_t) held.suppliers },
        { .name = "sources", .rows = (uint64_t) held.sources },
        { .name = "lines", .rows = (uint64_t) held.lines },
        //  Since start, not held: a person looks at the log for the names
        { .name = "unmatched_ward_lines", .rows = self->wards_unmatched }
    };
    sv_proto_consumer_offset_t consumer = sv_stream_consumer_status (self->consumer);
    sv_proto_stream_head_t stream = {
        .name = "valuation", .head_seq = sv_stream_producer_head (self->producer)
    };
    sv_proto_problem_t problem = {
        .subject = "valuation/postcode_lookup", .reason = self->lookup_problem
    };
    sv_service_status_t status = {
        .service = "valuation", .version = S_VERSION, .started = self->started,
        .streams = &stream, .streams_count = 1, .consumers = &consumer, .consumers_count = 1,
        .counts = counts, .counts_count = 6,
        .problems = &problem, .problems_count = self->lookup_problem? 1: 0
    };
    sv_service_reply_status (self->control, peer, &status);
}

//  Collects the supplier keys held, for SUPPLIERS
static int
s_supplier_ref (const char *supplier_key, const char *name, const char *partner, void *arg)
{
    zlistx_t *refs = (zlistx_t *) arg;
    sv_proto_supplier_ref_t *ref = (sv_proto_supplier_ref_t *) zmalloc (sizeof *ref);
    ref->supplier_key = strdup (supplier_key);
    ref->name = strdup (name);
    ref->partner = strdup (partner);
    zlistx_add_end (refs, ref);
    return 0;
}

//  Answers SUPPLIER_LIST: every supplier key held, once. A list too long
//  for one message (stream/max_message_bytes) is refused with ERROR
//  rather than cut short.
static void
s_handle_supplier_list (s_server_t *self, zframe_t *peer)
{
    zlistx_t *refs = zlistx_new ();
    int rc = valuation_store_supplier_each (self->store, s_supplier_ref, refs);
    size_t count = zlistx_size (refs);
    sv_proto_supplier_ref_t *items = (sv_proto_supplier_ref_t *)
        zmalloc ((count? count: 1) * sizeof (sv_proto_supplier_ref_t));
    size_t index = 0;
    for (sv_proto_supplier_ref_t *ref = (sv_proto_supplier_ref_t *) zlistx_first (refs); ref;
         ref = (sv_proto_supplier_ref_t *) zlistx_next (refs))
        items [index++] = *ref;
    sv_proto_t reply = { .id = SV_PROTO_SUPPLIERS };
    reply.suppliers.suppliers = items;
    reply.suppliers.suppliers_count = count;
    msgpack_sbuffer encoded;
    msgpack_sbuffer_init (&encoded);
    int64_t most = sv_config_int (self->config, "stream/max_message_bytes");
    if (rc)
        sv_service_refuse (self->control, peer, 500, "valuation cannot read its suppliers");
    else
    if (sv_proto_encode (&reply, &encoded) || (int64_t) encoded.size > most) {
        char reason [160];
        snprintf (reason, sizeof reason, "%zu suppliers are more than one message holds"
                  " (stream/max_message_bytes, %" PRId64 ")", count, most);
        sv_service_refuse (self->control, peer, 413, reason);
    }
    else
        sv_service_reply (self->control, peer, &reply);
    msgpack_sbuffer_destroy (&encoded);
    for (sv_proto_supplier_ref_t *ref = (sv_proto_supplier_ref_t *) zlistx_first (refs); ref;
         ref = (sv_proto_supplier_ref_t *) zlistx_next (refs)) {
        free (ref->supplier_key);
        free (ref->name);
        free (ref->partner);
        free (ref);
    }
    zlistx_destroy (&refs);
    free (items);
}

static int
s_control_handle (const sv_proto_t *request, zframe_t *peer, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    if (request->id == SV_PROTO_STATUS)
        s_handle_status (self, peer);
    else
    if (request->id == SV_PROTO_SUPPLIER_LIST)
        s_handle_supplier_list (self, peer);
    else
    if (request->id == SV_PROTO_FRAMEWORK_IMPORT)
        s_handle_import (self, peer, &request->framework_import);
    else
    if (request->id == SV_PROTO_FRAMEWORK_LIST)
        s_reply_frameworks (self, peer, true, NULL, NULL, 0);
    else
        return -1;
    return 0;
}

//  ==========================================================================
//  Life cycle

static void
s_collect_id (const char *id, const char *version, const char *at, void *arg)
{
    (void) version;
    (void) at;
    zlistx_t *ids = (zlistx_t *) arg;
    if (!zlistx_find (ids, (void *) id))
        zlistx_add_end (ids, (void *) id);
}

//  Loads the frameworks held, importing the configured files not yet held
static int
s_load_frameworks (s_server_t *self)
{
    char *files = strdup (sv_config_get (self->config, "valuation/frameworks"));
    int rc = 0;
    for (char *path = strtok (files, ", "); path && rc == 0; path = strtok (NULL, ", ")) {
        s_refusal_t refusal = { .errors = NULL };
        valuation_framework_t *framework = valuation_framework_load_file (path, s_refusal_error,
                                                                          &refusal);
        if (!framework) {
            zsys_error ("valuation: framework %s refused: %s", path, refusal.first);
            rc = -1;
            break;
        }
        zchunk_t *held = valuation_store_framework_get (self->store, valuation_framework_id (framework),
                                                        valuation_framework_version (framework));
        if (!held) {
            zchunk_t *csv = zchunk_slurp (path, 0);
            sv_db_t *db = valuation_store_db (self->store);
            rc = csv && sv_db_begin (db) == 0
              && valuation_store_framework_put (self->store, valuation_framework_id (framework),
                     valuation_framework_version (framework), zchunk_data (csv),
                     zchunk_size (csv)) == 0
              && sv_db_commit (db) == 0? 0: -1;
            zchunk_destroy (&csv);
            if (rc == 0)
                zsys_info ("valuation: imported framework %s %s from %s",
                           valuation_framework_id (framework),
                           valuation_framework_version (framework), path);
        }
        zchunk_destroy (&held);
        valuation_framework_destroy (&framework);
    }
    free (files);
    //  Hold the latest import of every id
    zlistx_t *ids = zlistx_new ();
    zlistx_set_destructor (ids, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_duplicator (ids, (zlistx_duplicator_fn *) strdup);
    zlistx_set_comparator (ids, (zlistx_comparator_fn *) strcmp);
    valuation_store_framework_each (self->store, s_collect_id, ids);
    for (const char *id = (const char *) zlistx_first (ids); id && rc == 0;
         id = (const char *) zlistx_next (ids)) {
        zchunk_t *csv = valuation_store_framework_get (self->store, id, NULL);
        valuation_framework_t *framework = csv? valuation_framework_load (zchunk_data (csv),
                                                   zchunk_size (csv), NULL, NULL): NULL;
        if (framework)
            s_hold_framework (self, framework);
        zchunk_destroy (&csv);
    }
    zlistx_destroy (&ids);
    return rc;
}

//  Values again the lines of every configured partner whose framework,
//  measures or locality changed since its lines were valued (a changed
//  config takes effect on restart), in one transaction. 0 or -1.
static int
s_revalue_changed_partners (s_server_t *self)
{
    sv_db_t *db = valuation_store_db (self->store);
    if (sv_db_begin (db))
        return -1;
    int rc = 0;
    for (zconfig_t *item = sv_config_children (self->config, "partners"); item && rc == 0;
         item = zconfig_next (item)) {
        const char *name = zconfig_name (item);
        s_partner_t *partner = s_partner (self, name);
        valuation_framework_t *framework =
            (valuation_framework_t *) zhashx_lookup (self->frameworks, partner->framework_id);
        char *lookup = s_lookup_setting (self);
        char *settings = zsys_sprintf ("%s|%s|%s|%s|%s|%s", partner->framework_id,
            framework? valuation_framework_version (framework): "-", partner->measures,
            zconfig_get (item, "local_districts", ""), zconfig_get (item, "local_authorities", ""),
            lookup);
        zstr_free (&lookup);
        int changed = valuation_store_settings_put (self->store, name, settings);
        zstr_free (&settings);
        if (changed == 1) {
            zsys_info ("valuation: partner %s's settings changed; valuing its lines again", name);
            rc = valuation_store_source_each (self->store, "COMMITMENT", name, NULL,
                                              s_value_source, self)
              || valuation_store_source_each (self->store, "DELIVERY", name, NULL,
                                              s_value_source, self)
              || valuation_store_payee_each (self->store, name, NULL, s_place_payee, self);
        }
        else
        if (changed < 0)
            rc = -1;
    }
    if (rc == 0 && sv_db_commit (db) == 0)
        return 0;
    zsys_error ("valuation: cannot value changed partners' lines again: %s", sv_db_error (db));
    sv_db_rollback (db);
    return -1;
}

static int
s_server_start (s_server_t *self)
{
    sv_config_t *config = self->config;
    if (sv_security_start (config, "valuation", NULL))
        return -1;
    char *store_path = sv_config_data_path (config, "valuation/store", "valuation.db");
    const char *reason = NULL;
    int rc = -1;
    self->store = valuation_store_new (store_path, &reason);
    if (!self->store)
        zsys_error ("valuation: %s", reason);
    else
        s_load_lookup (self);
    if (self->store && s_load_frameworks (self) == 0 && s_revalue_changed_partners (self) == 0) {
        self->producer = sv_stream_producer_new (store_path, "valuation",
            sv_config_get (config, "valuation/stream_endpoint"), config);
        self->consumer = sv_stream_consumer_new (valuation_store_db (self->store), "ingest",
            sv_config_get (config, "ingest/stream_endpoint"), config, s_apply, self);
        if (!self->producer || !self->consumer)
            ;                   //  logged where it failed
        else
        if ((self->control = sv_service_control_new (config,
                sv_config_get (config, "valuation/control_endpoint"))))
            rc = 0;
    }
    zstr_free (&store_path);
    if (rc == 0) {
        //  Payments are reporting's: valuation places their payees
        sv_stream_consumer_set_types (self->consumer,
                                      "SUPPLIER,COMPANY,CONTRACT,COMMITMENT,DELIVERY,PAYEE");
        sv_stream_consumer_set_committed (self->consumer, s_committed, self);
        //  A batch arriving from ingest is decoded ahead while it is applied
        sv_stream_consumer_set_batch (self->consumer, sv_reader_batch, self->reader);
        sv_stream_producer_attach (self->producer, self->loop);
        sv_stream_consumer_attach (self->consumer, self->loop);
        self->answers = (sv_service_control_t) {
            s_control_handle, self,
            "valuation's control endpoint answers STATUS, FRAMEWORK_IMPORT, FRAMEWORK_LIST"
            " and SUPPLIER_LIST"
        };
        zloop_reader (self->loop, self->control, sv_service_control_recv, &self->answers);
    }
    return rc;
}

void
valuation_server (zsock_t *pipe, void *config)
{
    s_server_t self = {
        .pipe = pipe, .config = (sv_config_t *) config, .started = zclock_mono ()
    };
    self.loop = zloop_new ();
    self.frameworks = zhashx_new ();
    zhashx_set_destructor (self.frameworks, s_framework_destroy);
    self.partners = zhashx_new ();
    zhashx_set_destructor (self.partners, s_partner_destroy);
    self.suppliers = zhashx_new ();
    zhashx_set_destructor (self.suppliers, s_supplier_destroy);
    self.unmatched_wards = zhashx_new ();
    msgpack_sbuffer_init (&self.buffer);
    self.reader = sv_reader_new ();

    zsock_signal (pipe, 0);
    int rc = s_server_start (&self);
    zstr_send (pipe, rc == 0? "READY": "FAILED");
    if (rc == 0) {
        zloop_reader (self.loop, pipe, sv_service_pipe, &self);
        zloop_start (self.loop);
    }
    sv_stream_consumer_destroy (&self.consumer);
    sv_reader_destroy (&self.reader);
    sv_stream_producer_destroy (&self.producer);
    zloop_destroy (&self.loop);
    sv_security_stop ();
    zsock_destroy (&self.control);
    zhashx_destroy (&self.partners);
    zhashx_destroy (&self.suppliers);
    zhashx_destroy (&self.frameworks);
    zhashx_destroy (&self.unmatched_wards);
    valuation_engine_lookup_destroy (&self.lookup);
    zstr_free (&self.lookup_problem);
    zstr_free (&self.directory);
    valuation_store_destroy (&self.store);
    msgpack_sbuffer_destroy (&self.buffer);
}
