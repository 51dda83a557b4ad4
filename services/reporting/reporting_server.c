/*  reporting_server: the reporting actor. See reporting_server.h. No SQL
    here (reporting_store), no layout (reporting_render) and no calendar
    arithmetic (reporting_schedule): this file decides when a report is
    made, writes it where it belongs and moves messages.
*/

#include "reporting_server.h"
#include "sv_reader.h"
#include "reporting_explain.h"
#include "reporting_pack.h"
#include "reporting_render.h"
#include "reporting_replay.h"
#include "reporting_schedule.h"
#include "reporting_store.h"
#include "sv_security.h"
#include "sv_service.h"
#include "sv_stream.h"

#define S_VERSION "0.1.0"

//  One configured schedule
typedef struct {
    char *name;
    reporting_schedule_t *cron;
    char *kind;
    char *year;                 //  rule: previous, current or 2024-25
    char *partner;              //  a name, or all
    char *formats;              //  html,json,...
} s_schedule_t;

typedef struct {
    zsock_t *pipe;
    sv_config_t *config;
    zloop_t *loop;
    reporting_store_t *store;
    sv_stream_producer_t *producer;
    sv_stream_consumer_t *consumers [3];    //  ingest, valuation, compliance
    sv_reader_t *reader;        //  decodes ingest's batch being applied, ahead
    zsock_t *control;
    sv_service_control_t answers;   //  what control answers, for its reader
    zlistx_t *schedules;        //  s_schedule_t *
    char *categories;           //  owns rlw.categories
    compliance_rules_rates_t *rates;    //  RLW rates, NULL when none could be read
    reporting_crosswalk_t *crosswalk;   //  NULL when none is configured or read
    char crosswalk_problem [512];       //  why the configured one was not read
    char *output;               //  folder for scheduled reports
    msgpack_sbuffer buffer;
    int64_t started;
    json_t *packed;             //  the report of the last open-data pack, its
    zlistx_t *pack;             //  files, and what it was (year, partner,
    char *packed_key;           //  offsets): a pack comes a part at a time
    json_t *explained;          //  the report the last explanation was of, and
    char *explained_key;        //  what it was (kind, year, partner, offsets)
    reporting_store_t *scratch; //  the read model at past offsets, while a
    const uint64_t *at;         //  report asked --at is built: those offsets
} s_server_t;

static const char *const s_streams [] = { "ingest", "valuation", "compliance" };

//  Ingest's payments are committed at most this many, and this long, at a
//  time: few enough that a group's pages fit the log comfortably, soon
//  enough that STATUS lags little
#define S_GROUP_EVENTS 200000
#define S_GROUP_MS 500

//  ==========================================================================
//  The clock

//  Now, from reporting/clock_file when set (a time such as
//  2025-05-01T06:00:00Z), else the system clock
static time_t
s_now (s_server_t *self)
{
    const char *path = sv_config_get (self->config, "reporting/clock_file");
    if (*path) {
        char text [64] = "";
        FILE *file = fopen (path, "r");
        bool read = file && fgets (text, sizeof text, file);
        if (file)
            fclose (file);
        time_t when;
        if (read && reporting_schedule_time_parse (text, &when) == 0)
            return when;
        zsys_warning ("reporting: clock file %s holds no time; using the system clock", path);
    }
    return time (NULL);
}

//  ==========================================================================
//  Building reports

//  Builds the report the request describes, as of now. Returns the
//  document, or NULL with *reason_p.
//  What reports show of each partner's config: {name: {"display_name",
//  "rlw_renewal", "ocid_prefix"}}, each member only when set. Read at every report, so
//  a name changed in config shows in the next report.
static json_t *
s_partner_config (s_server_t *self)
{
    json_t *partners = json_object ();
    for (zconfig_t *child = sv_config_children (self->config, "partners"); child;
         child = zconfig_next (child)) {
        json_t *partner = json_object ();
        const char *keys [] = { "display_name", "rlw_renewal", "ocid_prefix" };
        for (int index = 0; index < 3; index++) {
            const char *value = zconfig_get (child, keys [index], "");
            if (*value)
                json_object_set_new (partner, keys [index], json_string (value));
        }
        json_object_set_new (partners, zconfig_name (child), partner);
    }
    return partners;
}

//  The store reports are built from: the scratch store of a report asked
//  at past offsets, else reporting's own
static reporting_store_t *
s_read_model (s_server_t *self)
{
    return self->scratch? self->scratch: self->store;
}

//  What a report is built from, as of created: the time a report was
//  first made at the same stream offsets (reporting_store_stamp), else
//  now, written into created (REPORTING_SCHEDULE_TIME_BUF bytes the
//  caller keeps); params->partner_config is the caller's to json_decref
static void
s_params (s_server_t *self, const char *kind, const char *year, const char *partner,
          const char *contract, const char *supplier, time_t now, char *created,
          reporting_store_params_t *params)
{
    char stamp [REPORTING_SCHEDULE_TIME_BUF];
    reporting_schedule_time_format (now, stamp, sizeof stamp);
    *params = (reporting_store_params_t) {
        .kind = kind, .year = year, .partner = partner, .created = created,
        .ingest_offset = self->at? self->at [0]: sv_stream_consumer_offset (self->consumers [0]),
        .valuation_offset = self->at? self->at [1]
                                    : sv_stream_consumer_offset (self->consumers [1]),
        .compliance_offset = self->at? self->at [2]
                                     : sv_stream_consumer_offset (self->consumers [2]),
        .evidence_counted = sv_config_get (self->config, "reporting/evidence_counted"),
        .small_number_threshold =
            (int) sv_config_int (self->config, "reporting/small_number_threshold"),
        .rlw = {
            .categories = self->categories,
            .min_weeks = (int) sv_config_int (self->config, "compliance/rlw_min_weeks")
        },
        .partner_config = s_partner_config (self),
        .rlw_rates = self->rates,
        .contract = contract,
        .supplier = supplier,
        //  The contracts report's status applies compliance's rules, so it
        //  reads the same keys compliance does
        .shortfall_tolerance_pct =
            (int) sv_config_int (self->config, "compliance/shortfall_tolerance_pct"),
        .return_period_months =
            (int) sv_config_int (self->config, "compliance/return_period_months"),
        .overdue_grace_days =
            (int) sv_config_int (self->config, "compliance/overdue_grace_days"),
        .crosswalk_path = sv_config_get (self->config, "reporting/crosswalk"),
        .crosswalk = self->crosswalk,
        .crosswalk_problem = self->crosswalk_problem
    };
    const uint64_t offsets [3] = {
        params->ingest_offset, params->valuation_offset, params->compliance_offset
    };
    if (reporting_store_stamp (self->store, offsets, stamp, created,
                               REPORTING_SCHEDULE_TIME_BUF))
        zsys_warning ("reporting: could not keep the time of reports at these offsets: %s",
                      sv_db_error (reporting_store_db (self->store)));
}

static json_t *
s_build (s_server_t *self, const char *kind, const char *year, const char *partner,
         const char *contract, const char *supplier, time_t now, const char **reason_p)
{
    char created [REPORTING_SCHEDULE_TIME_BUF];
    reporting_store_params_t params;
    s_params (self, kind, year, partner, contract, supplier, now, created, &params);
    json_t *report = reporting_store_report (s_read_model (self), &params, reason_p);
    json_decref (params.partner_config);
    return report;
}

//  The base of a report's file names: kind-partner-year-time, with only
//  characters safe in a file name
static char *
s_base_name (const json_t *report, time_t now)
{
    char stamp [32];
    struct tm tm;
    gmtime_r (&now, &tm);
    strftime (stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    const char *year = json_string_value (json_object_get (report, "year"));
    char *base = zsys_sprintf ("%s-%s%s%s-%s",
        json_string_value (json_object_get (report, "report")),
        json_string_value (json_object_get (report, "partner")),
        year && *year? "-": "", year? year: "", stamp);
    for (char *c = base; *c; c++)
        if (!isalnum ((unsigned char) *c) && *c != '-' && *c != '_')
            *c = '_';
    return base;
}

//  Writes bytes to path through a temporary file and a rename. 0 or -1.
static int
s_write_atomic (const char *path, zchunk_t *payload)
{
    char *temporary = zsys_sprintf ("%s.tmp", path);
    FILE *file = fopen (temporary, "wb");
    bool ok = file && fwrite (zchunk_data (payload), 1, zchunk_size (payload), file)
                      == zchunk_size (payload);
    ok = file && fflush (file) == 0 && fsync (fileno (file)) == 0 && ok;
    if (file)
        ok = fclose (file) == 0 && ok;
    ok = ok && rename (temporary, path) == 0;
    if (!ok)
        remove (temporary);
    zstr_free (&temporary);
    return ok? 0: -1;
}

//  Writes one format of a report into the output folder and appends its
//  REPORT_READY. Returns 0 or -1 (logged).
static int
s_write_report (s_server_t *self, const json_t *report, const char *format, time_t now)
{
    const char *reason = NULL;
    char *base = s_base_name (report, now);
    zlistx_t *files = reporting_render (report, format, base, &reason);
    char *path = NULL;
    int rc = -1;
    if (!files)
        zsys_error ("reporting: cannot render %s as %s: %s", base, format, reason);
    else
    if (streq (format, "csv")) {
        //  A folder of tables, made under a temporary name then renamed
        path = zsys_sprintf ("%s/%s", self->output, base);
        char *temporary = zsys_sprintf ("%s.tmp", path);
        rc = zsys_dir_create ("%s", temporary);
        for (reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files);
             file && rc == 0; file = (reporting_render_file_t *) zlistx_next (files)) {
            char *file_path = zsys_sprintf ("%s/%s", temporary, file->name);
            rc = s_write_atomic (file_path, file->payload);
            zstr_free (&file_path);
        }
        if (rc == 0)
            rc = rename (temporary, path);
        zstr_free (&temporary);
    }
    else {
        reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files);
        path = zsys_sprintf ("%s/%s", self->output, file->name);
        rc = s_write_atomic (path, file->payload);
    }
    zlistx_destroy (&files);
    if (rc == 0) {
        sv_proto_stream_head_t offsets [3];
        for (int index = 0; index < 3; index++)
            offsets [index] = (sv_proto_stream_head_t) {
                .name = (char *) s_streams [index],
                .head_seq = sv_stream_consumer_offset (self->consumers [index])
            };
        sv_proto_t ready = { .id = SV_PROTO_REPORT_READY };
        ready.report_ready = (sv_proto_report_ready_t) {
            .kind = (char *) json_string_value (json_object_get (report, "report")),
            .year = (char *) json_string_value (json_object_get (report, "year")),
            .partner = (char *) json_string_value (json_object_get (report, "partner")),
            .format = (char *) format, .path = path, .offsets = offsets, .offsets_count = 3,
            .created = (char *) json_string_value (json_object_get (report, "created"))
        };
        self->buffer.size = 0;
        sv_db_t *db = reporting_store_db (self->store);
        rc = sv_proto_encode (&ready, &self->buffer) == 0
          && sv_db_begin (db) == 0
          && sv_stream_append (db, "REPORT_READY", path, (const uint8_t *) self->buffer.data,
                               self->buffer.size) > 0
          && sv_db_commit (db) == 0? 0: -1;
        if (rc == 0) {
            sv_stream_producer_notify (self->producer);
            zsys_info ("reporting: wrote %s", path);
        }
        else {
            zsys_error ("reporting: wrote %s but cannot record it: %s", path, sv_db_error (db));
            sv_db_rollback (db);
        }
    }
    else
    if (path)
        zsys_error ("reporting: cannot write %s", path);
    zstr_free (&path);
    zstr_free (&base);
    return rc;
}

//  Runs one schedule for the fire time due, in every format it names
static void
s_run_schedule (s_server_t *self, s_schedule_t *schedule, time_t due, time_t now)
{
    char year [REPORTING_SCHEDULE_YEAR_BUF];
    reporting_schedule_year (schedule->year, due, year);
    const char *reason = NULL;
    json_t *report = s_build (self, schedule->kind, year, schedule->partner, "", "", now,
                              &reason);
    if (!report)
        zsys_warning ("reporting: schedule %s: no %s report for %s: %s", schedule->name,
                      schedule->kind, year, reason);
    char *formats = strdup (schedule->formats);
    for (char *format = strtok (formats, ", "); report && format; format = strtok (NULL, ", "))
        s_write_report (self, report, format, now);
    free (formats);
    json_decref (report);
    //  Recorded even when there was nothing to report: a schedule fires
    //  once per fire time, and a failing one says so in the log each time
    if (reporting_store_schedule_set (self->store, schedule->name, (int64_t) due))
        zsys_error ("reporting: cannot record schedule %s's run", schedule->name);
}

static int
s_tick (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_server_t *self = (s_server_t *) arg;
    if (zlistx_size (self->schedules) == 0)
        return 0;
    //  Reports are made from what is committed
    sv_db_release (reporting_store_db (self->store));
    time_t now = s_now (self);
    for (s_schedule_t *schedule = (s_schedule_t *) zlistx_first (self->schedules); schedule;
         schedule = (s_schedule_t *) zlistx_next (self->schedules)) {
        int64_t last = reporting_store_schedule_last (self->store, schedule->name);
        if (last == 0) {
            //  New: it counts from now, and does not reach back
            reporting_store_schedule_set (self->store, schedule->name, (int64_t) now);
            continue;
        }
        time_t due = reporting_schedule_prev (schedule->cron, now);
        if (due > (time_t) last) {
            char when [REPORTING_SCHEDULE_TIME_BUF];
            zsys_info ("reporting: schedule %s due at %s", schedule->name,
                       reporting_schedule_time_format (due, when, sizeof when));
            s_run_schedule (self, schedule, due, now);
        }
    }
    return 0;
}

//  ==========================================================================
//  The streams

//  Ingest's batches hold every payment: they are decoded in a thread of
//  their own (sv_reader) while the events before are stored
static int
s_apply_ingest (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) db;
    s_server_t *self = (s_server_t *) arg;
    return reporting_store_apply_decoded (self->store, "ingest", event,
                                          sv_reader_next (self->reader, event));
}


static int
s_apply_valuation (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) db;
    return reporting_store_apply (((s_server_t *) arg)->store, "valuation", event);
}

static int
s_apply_compliance (sv_db_t *db, const sv_proto_event_t *event, void *arg)
{
    (void) db;
    return reporting_store_apply (((s_server_t *) arg)->store, "compliance", event);
}

//  ==========================================================================
//  Control: STATUS, REPORT_REQUEST

//  The rules payments were placed by, as valuation reads them from the
//  same config: {partner: {"local_districts", "local_authorities"},
//  "postcode_lookup"}
static json_t *
s_local_area (s_server_t *self)
{
    json_t *area = json_object ();
    for (zconfig_t *child = sv_config_children (self->config, "partners"); child;
         child = zconfig_next (child))
        json_object_set_new (area, zconfig_name (child), json_pack ("{s:s, s:s}",
            "local_districts", zconfig_get (child, "local_districts", ""),
            "local_authorities", zconfig_get (child, "local_authorities", "")));
    //  The directory by its file's name, as valuation names it on each line
    const char *lookup = sv_config_get (self->config, "valuation/postcode_lookup");
    const char *slash = strrchr (lookup, '/');
    json_object_set_new (area, "postcode_lookup", json_string (slash? slash + 1: lookup));
    return area;
}

//  The open-data pack of the annual report the request names
//  (reporting_pack): its files (borrowed: kept for the next part until
//  another pack is asked for) and *report_p, or NULL with *reason_p
static zlistx_t *
s_open_data (s_server_t *self, const sv_proto_report_request_t *request, time_t now,
             json_t **report_p, const char **reason_p)
{
    char created [REPORTING_SCHEDULE_TIME_BUF];
    reporting_store_params_t params;
    s_params (self, "annual", request->year, request->partner, "", "", now, created, &params);
    char *key = zsys_sprintf ("%s|%s|%" PRIu64 "|%" PRIu64 "|%" PRIu64, request->year,
                              request->partner, params.ingest_offset, params.valuation_offset,
                              params.compliance_offset);
    if (!self->packed_key || !streq (key, self->packed_key)) {
        json_decref (self->packed);
        zlistx_destroy (&self->pack);
        zstr_free (&self->packed_key);
        self->packed = reporting_store_report (s_read_model (self), &params, reason_p);
        json_t *area = s_local_area (self);
        self->pack = self->packed? reporting_pack (s_read_model (self), &params, self->packed,
            sv_config_get (self->config, "reporting/open_data_licence"), area, reason_p): NULL;
        json_decref (area);
        if (self->pack) {
            self->packed_key = key;
            key = NULL;
        }
    }
    zstr_free (&key);
    json_decref (params.partner_config);
    //  A report made without its pack is refused with the pack's reason
    *report_p = self->packed? json_incref (self->packed): NULL;
    return self->pack;
}

//  The part of a pack's files (their bytes one after another) from byte
//  from on, at most budget bytes of payload, into out (count entries);
//  *total_p the pack's size. An empty file is sent in the part that
//  reaches its place.
static size_t
s_pack_part (zlistx_t *files, uint64_t from, uint64_t budget, sv_proto_report_file_t *out,
             uint64_t *total_p)
{
    uint64_t total = 0;
    for (reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files);
         file; file = (reporting_render_file_t *) zlistx_next (files))
        total += zchunk_size (file->payload);
    uint64_t place = 0, end = from + budget;
    size_t count = 0;
    for (reporting_render_file_t *file = (reporting_render_file_t *) zlistx_first (files);
         file; file = (reporting_render_file_t *) zlistx_next (files)) {
        uint64_t size = zchunk_size (file->payload);
        uint64_t first = place > from? place: from;
        uint64_t last = place + size < end? place + size: end;
        bool empty_here = size == 0 && place >= from && (place < end || end >= total);
        if (first < last || empty_here)
            out [count++] = (sv_proto_report_file_t) {
                .name = file->name, .payload = zchunk_data (file->payload) + (first - place),
                .payload_size = first < last? last - first: 0
            };
        place += size;
    }
    *total_p = total;
    return count;
}

//  Reads the streams again to the offsets request->at names into a
//  scratch store (reporting_replay) at *path_p (the caller's to free and
//  remove), for the report to be built from. 0, or the ERROR code with
//  *reason_p (the caller's to free).
static int
s_rebuild (s_server_t *self, const sv_proto_report_request_t *request, uint64_t *at,
           char **path_p, char **reason_p)
{
    bool named [REPORTING_REPLAY_STREAMS] = { false };
    for (size_t index = 0; index < request->at_count; index++) {
        const sv_proto_stream_head_t *head = &request->at [index];
        int stream = -1;
        for (int known = 0; known < REPORTING_REPLAY_STREAMS; known++)
            if (streq (head->name, reporting_replay_streams [known]))
                stream = known;
        if (stream < 0 || named [stream]) {
            *reason_p = zsys_sprintf ("--at names '%s' %s: name ingest, valuation and"
                                      " compliance once each", head->name,
                                      stream < 0? "(no such stream)": "twice");
            return 400;
        }
        named [stream] = true;
        at [stream] = head->head_seq;
    }
    for (int stream = 0; stream < REPORTING_REPLAY_STREAMS; stream++) {
        uint64_t applied = sv_stream_consumer_offset (self->consumers [stream]);
        if (!named [stream]) {
            *reason_p = zsys_sprintf ("--at names no offset of %s: a past report needs all"
                                      " three (ingest, valuation, compliance)",
                                      reporting_replay_streams [stream]);
            return 400;
        }
        if (at [stream] > applied) {
            *reason_p = zsys_sprintf ("%s=%" PRIu64 " is ahead of reporting, which has applied"
                                      " %s up to %" PRIu64, reporting_replay_streams [stream],
                                      at [stream], reporting_replay_streams [stream], applied);
            return 409;
        }
    }
    char *store_path = sv_config_data_path (self->config, "reporting/store", "reporting.db");
    *path_p = zsys_sprintf ("%s.replay-%d", store_path, (int) getpid ());
    zstr_free (&store_path);
    int timeout = (int) sv_config_int (self->config, "stream/timeout_ms");
    self->scratch = reporting_replay (self->config, *path_p, at, timeout, reason_p);
    return self->scratch? 0: 503;
}

//  Removes a scratch store's files
static void
s_rebuilt_remove (const char *path)
{
    const char *suffixes [] = { "", "-wal", "-shm" };
    for (int index = 0; index < 3; index++) {
        char *file = zsys_sprintf ("%s%s", path, suffixes [index]);
        remove (file);
        zstr_free (&file);
    }
}

static void s_handle_now (s_server_t *self, zframe_t *peer,
                          const sv_proto_report_request_t *request);

//  A report now, or, with at, as it stood at past offsets
static void
s_handle_report (s_server_t *self, zframe_t *peer, const sv_proto_report_request_t *request)
{
    if (!request->at_count) {
        s_handle_now (self, peer, request);
        return;
    }
    uint64_t at [REPORTING_REPLAY_STREAMS] = { 0 };
    char *path = NULL, *reason = NULL;
    int code = s_rebuild (self, request, at, &path, &reason);
    if (code)
        sv_service_refuse (self->control, peer, (uint32_t) code, reason);
    else {
        self->at = at;
        s_handle_now (self, peer, request);
        self->at = NULL;
    }
    reporting_store_destroy (&self->scratch);
    if (path)
        s_rebuilt_remove (path);
    zstr_free (&path);
    zstr_free (&reason);
}

//  Builds the report a REPORT_REQUEST asks for, from the read model now
//  in use (s_read_model), and answers with its files in REPORT_READY;
//  "open-data" is the annual report's pack, a part of it at a time
static void
s_handle_now (s_server_t *self, zframe_t *peer, const sv_proto_report_request_t *request)
{
    bool pack = streq (request->kind, "open-data");
    const char *format = pack? "csv": *request->format? request->format: "html";
    if (!reporting_render_format_known (format)) {
        sv_service_refuse (self->control, peer, 400, "format must be html, csv, json or xlsx");
        return;
    }
    time_t now = s_now (self);
    const char *reason = NULL;
    json_t *report = NULL;
    zlistx_t *files = NULL;
    if (pack)
        files = s_open_data (self, request, now, &report, &reason);
    else
        report = s_build (self, request->kind, request->year, request->partner,
                          request->contract, request->supplier, now, &reason);
    if (!report) {
        sv_service_refuse (self->control, peer, 404, reason? reason: "the report cannot be built");
        return;
    }
    char *base = s_base_name (report, now);
    if (!pack)
        files = reporting_render (report, format, base, &reason);
    size_t count = files? zlistx_size (files): 0, index = 0, bytes = 0;
    sv_proto_report_file_t *out = (sv_proto_report_file_t *) zmalloc (
        (count + 1) * sizeof (sv_proto_report_file_t));
    size_t most = (size_t) sv_config_int (self->config, "stream/max_message_bytes");
    uint64_t total = 0;
    if (pack && files)
        //  A part of the pack, with room to spare for names and framing
        count = s_pack_part (files, request->from_byte, most / 2, out, &total);
    else
    for (reporting_render_file_t *file = files? (reporting_render_file_t *) zlistx_first (files)
                                              : NULL;
         file; file = (reporting_render_file_t *) zlistx_next (files)) {
        out [index++] = (sv_proto_report_file_t) {
            .name = file->name, .payload = zchunk_data (file->payload),
            .payload_size = zchunk_size (file->payload)
        };
        bytes += zchunk_size (file->payload) + strlen (file->name) + 16;
    }
    //  A reply the asker's socket would drop is refused, saying so
    char *too_big = bytes + 1024 > most? zsys_sprintf ("the report is %zu bytes, more than"
        " one reply may carry (stream/max_message_bytes, %zu): raise it to send it",
        bytes, most): NULL;
    if (!files)
        sv_service_refuse (self->control, peer, 500, reason);
    else
    if (too_big)
        sv_service_refuse (self->control, peer, 500, too_big);
    else {
        sv_proto_stream_head_t offsets [3];
        for (int stream = 0; stream < 3; stream++)
            offsets [stream] = (sv_proto_stream_head_t) {
                .name = (char *) s_streams [stream],
                .head_seq = self->at? self->at [stream]
                                    : sv_stream_consumer_offset (self->consumers [stream])
            };
        sv_proto_t reply = { .id = SV_PROTO_REPORT_READY };
        reply.report_ready = (sv_proto_report_ready_t) {
            .kind = pack? "open-data": (char *) json_string_value (json_object_get (report,
                                                                                   "report")),
            .year = (char *) json_string_value (json_object_get (report, "year")),
            .partner = (char *) json_string_value (json_object_get (report, "partner")),
            .format = (char *) format, .path = base, .offsets = offsets, .offsets_count = 3,
            .created = (char *) json_string_value (json_object_get (report, "created")),
            .files = out, .files_count = count, .total_bytes = total
        };
        sv_service_reply (self->control, peer, &reply);
    }
    zstr_free (&too_big);
    free (out);
    if (!pack)
        zlistx_destroy (&files);
    json_decref (report);
    zstr_free (&base);
}

//  How one figure is made: the report built as REPORT_REQUEST would, then
//  the figure traced in it (reporting_explain)
static void
s_handle_explain (s_server_t *self, zframe_t *peer, const sv_proto_explain_request_t *request)
{
    char created [REPORTING_SCHEDULE_TIME_BUF];
    reporting_store_params_t params;
    s_params (self, request->kind, request->year, request->partner, "", "", s_now (self),
              created, &params);
    //  The report is kept for the next request at the same offsets: --all
    //  asks a page at a time, and the report is most of the work
    char *key = zsys_sprintf ("%s|%s|%s|%" PRIu64 "|%" PRIu64 "|%" PRIu64, request->kind,
                              request->year, request->partner, params.ingest_offset,
                              params.valuation_offset, params.compliance_offset);
    json_t *report = NULL;
    if (self->explained_key && streq (key, self->explained_key))
        report = json_incref (self->explained);
    else {
        const char *reason = NULL;
        report = reporting_store_report (self->store, &params, &reason);
        if (!report) {
            zstr_free (&key);
            json_decref (params.partner_config);
            sv_service_refuse (self->control, peer, 404,
                               reason? reason: "the report cannot be built");
            return;
        }
        json_decref (self->explained);
        zstr_free (&self->explained_key);
        self->explained = json_incref (report);
        self->explained_key = key;
        key = NULL;
    }
    zstr_free (&key);
    json_t *area = s_local_area (self);
    int code = 0;
    char *why = NULL;
    json_t *explanation = reporting_explain (self->store, &params, report, request->figure,
                                             request->after, request->max, area, &code, &why);
    if (!explanation)
        sv_service_refuse (self->control, peer, (uint64_t) code, why);
    else {
        char *text = json_dumps (explanation, JSON_COMPACT | JSON_REAL_PRECISION (15));
        sv_proto_t reply = { .id = SV_PROTO_EXPLANATION };
        reply.explanation = (sv_proto_explanation_t) {
            .figure = request->figure, .document = (uint8_t *) text,
            .document_size = text? strlen (text): 0
        };
        sv_service_reply (self->control, peer, &reply);
        free (text);
    }
    zstr_free (&why);
    json_decref (explanation);
    json_decref (area);
    json_decref (report);
    json_decref (params.partner_config);
}

static void
s_handle_status (s_server_t *self, zframe_t *peer)
{
    static const char *tables [] = { "suppliers", "contracts", "spend_lines", "value_lines",
                                     "alerts", "outbox" };
    sv_proto_row_count_t counts [6];
    for (int index = 0; index < 6; index++)
        counts [index] = (sv_proto_row_count_t) {
            .name = (char *) (streq (tables [index], "outbox")? "reports": tables [index]),
            .rows = (uint64_t) reporting_store_count (self->store, tables [index])
        };
    sv_proto_consumer_offset_t consumers [3];
    for (int index = 0; index < 3; index++)
        consumers [index] = sv_stream_consumer_status (self->consumers [index]);
    sv_proto_stream_head_t stream = {
        .name = "reporting", .head_seq = sv_stream_producer_head (self->producer)
    };
    sv_service_status_t status = {
        .service = "reporting", .version = S_VERSION, .started = self->started,
        .streams = &stream, .streams_count = 1, .consumers = consumers, .consumers_count = 3,
        .counts = counts, .counts_count = 6
    };
    sv_service_reply_status (self->control, peer, &status);
}

static int
s_control_handle (const sv_proto_t *request, zframe_t *peer, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    //  Reports are made from what is committed, and state the offsets
    //  committed with it; STATUS counts what is committed without ending
    //  a group of ingest's batches held for one commit
    if (request->id != SV_PROTO_STATUS)
        sv_db_release (reporting_store_db (self->store));
    if (request->id == SV_PROTO_STATUS)
        s_handle_status (self, peer);
    else
    if (request->id == SV_PROTO_REPORT_REQUEST)
        s_handle_report (self, peer, &request->report_request);
    else
    if (request->id == SV_PROTO_EXPLAIN_REQUEST)
        s_handle_explain (self, peer, &request->explain_request);
    else
        return -1;
    return 0;
}

//  ==========================================================================
//  Life cycle

static void
s_schedule_destroy (void **item_p)
{
    s_schedule_t *schedule = (s_schedule_t *) *item_p;
    reporting_schedule_destroy (&schedule->cron);
    zstr_free (&schedule->name);
    zstr_free (&schedule->kind);
    zstr_free (&schedule->year);
    zstr_free (&schedule->partner);
    zstr_free (&schedule->formats);
    free (schedule);
    *item_p = NULL;
}

//  Reads the schedules from the config; -1 (logged, naming the schedule
//  and the key) when one is malformed
static int
s_load_schedules (s_server_t *self)
{
    for (zconfig_t *item = sv_config_children (self->config, "schedules"); item;
         item = zconfig_next (item)) {
        const char *name = zconfig_name (item);
        char reason [256] = "";
        s_schedule_t *schedule = (s_schedule_t *) zmalloc (sizeof (s_schedule_t));
        schedule->name = strdup (name);
        schedule->cron = reporting_schedule_new (zconfig_get (item, "cron", ""), reason,
                                                 sizeof reason);
        schedule->kind = strdup (zconfig_get (item, "kind", "annual"));
        schedule->year = strdup (zconfig_get (item, "year", "previous"));
        schedule->partner = strdup (zconfig_get (item, "partner", "all"));
        schedule->formats = strdup (zconfig_get (item, "formats", "html,json"));
        zlistx_add_end (self->schedules, schedule);
        char year [REPORTING_SCHEDULE_YEAR_BUF];
        if (!schedule->cron)
            zsys_error ("reporting: schedules/%s/cron: %s", name, reason);
        else
        if (!(streq (schedule->kind, "annual") || streq (schedule->kind, "partnership")
           || streq (schedule->kind, "rlw-scope") || streq (schedule->kind, "alerts")
           || streq (schedule->kind, "contracts") || streq (schedule->kind, "kpi")))
            zsys_error ("reporting: schedules/%s/kind: '%s' is not annual, partnership,"
                        " rlw-scope, alerts, contracts or kpi", name, schedule->kind);
        else
        if (reporting_schedule_year (schedule->year, 0, year))
            zsys_error ("reporting: schedules/%s/year: '%s' is not previous, current or a"
                        " financial year such as 2024-25", name, schedule->year);
        else {
            char *formats = strdup (schedule->formats);
            bool known = true;
            for (char *format = strtok (formats, ", "); format; format = strtok (NULL, ", "))
                if (!reporting_render_format_known (format)) {
                    zsys_error ("reporting: schedules/%s/formats: '%s' is not html, csv,"
                                " json or xlsx", name, format);
                    known = false;
                }
            free (formats);
            if (known)
                continue;
        }
        return -1;
    }
    return 0;
}

//  Keeps the first error of a crosswalk file that was refused
static void
s_crosswalk_error (const sv_csv_error_t *error, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    if (!*self->crosswalk_problem)
        sv_csv_error_format (error, self->crosswalk_problem, sizeof self->crosswalk_problem);
}

static int
s_server_start (s_server_t *self)
{
    sv_config_t *config = self->config;
    if (sv_security_start (config, "reporting", NULL))
        return -1;
    self->categories = strdup (sv_config_get (config, "compliance/rlw_categories"));
    //  The same rates file compliance watches, read by the same parser,
    //  so the report's uplift deadline is the one compliance alerts on
    const char *rates = sv_config_get (config, "compliance/rlw_rates");
    if (!*rates)
        rates = "deploy/data/rlw-rates.csv";
    self->rates = compliance_rules_rates_load_file (rates, NULL, NULL);
    if (!self->rates)
        zsys_warning ("reporting: no Real Living Wage rates from %s: reports give no"
                      " uplift deadline", rates);
    const char *crosswalk = sv_config_get (config, "reporting/crosswalk");
    if (*crosswalk) {
        self->crosswalk = reporting_crosswalk_load_file (crosswalk, s_crosswalk_error, self);
        if (!self->crosswalk)
            zsys_warning ("reporting: crosswalk %s not read (%s): the partnership report"
                          " says so and shows no outcomes", crosswalk, self->crosswalk_problem);
    }
    self->output = sv_config_data_path (config, "reporting/output", "reports");
    if (s_load_schedules (self))
        return -1;
    if (zsys_dir_create ("%s", self->output)) {
        zsys_error ("reporting: cannot create the output folder %s", self->output);
        return -1;
    }
    char *store_path = sv_config_data_path (config, "reporting/store", "reporting.db");
    const char *reason = NULL;
    int rc = -1;
    self->store = reporting_store_new (store_path, &reason);
    if (!self->store)
        zsys_error ("reporting: %s", reason);
    else {
        sv_stream_apply_fn *applies [3] = { s_apply_ingest, s_apply_valuation,
                                            s_apply_compliance };
        self->producer = sv_stream_producer_new (store_path, "reporting",
            sv_config_get (config, "reporting/stream_endpoint"), config);
        rc = self->producer? 0: -1;
        for (int index = 0; index < 3 && rc == 0; index++) {
            char key [64];
            snprintf (key, sizeof key, "%s/stream_endpoint", s_streams [index]);
            self->consumers [index] = sv_stream_consumer_new (reporting_store_db (self->store),
                s_streams [index], sv_config_get (config, key), config, applies [index], self);
            rc = self->consumers [index]? 0: -1;
        }
        if (rc == 0
        && !(self->control = sv_service_control_new (config,
                sv_config_get (config, "reporting/control_endpoint"))))
            rc = -1;
    }
    zstr_free (&store_path);
    if (rc == 0) {
        sv_stream_consumer_set_types (self->consumers [0], REPORTING_STORE_INGEST_TYPES);
        //  Catching up with a large file, several batches a commit
        sv_stream_consumer_set_group (self->consumers [0], S_GROUP_EVENTS, S_GROUP_MS);
        sv_stream_consumer_set_batch (self->consumers [0], sv_reader_batch, self->reader);
        sv_stream_producer_attach (self->producer, self->loop);
        for (int index = 0; index < 3; index++)
            sv_stream_consumer_attach (self->consumers [index], self->loop);
        self->answers = (sv_service_control_t) {
            s_control_handle, self, "reporting's control endpoint answers STATUS, REPORT_REQUEST and EXPLAIN_REQUEST"
        };
        zloop_reader (self->loop, self->control, sv_service_control_recv, &self->answers);
        zloop_timer (self->loop, (size_t) sv_config_int (config, "reporting/tick_ms"), 0,
                     s_tick, self);
        //  A run missed while the service was down is made up once, now
        s_tick (self->loop, 0, self);
    }
    return rc;
}

void
reporting_server (zsock_t *pipe, void *config)
{
    s_server_t self = {
        .pipe = pipe, .config = (sv_config_t *) config, .started = zclock_mono ()
    };
    self.loop = zloop_new ();
    self.reader = sv_reader_new ();
    self.schedules = zlistx_new ();
    zlistx_set_destructor (self.schedules, s_schedule_destroy);
    msgpack_sbuffer_init (&self.buffer);

    zsock_signal (pipe, 0);
    int rc = s_server_start (&self);
    zstr_send (pipe, rc == 0? "READY": "FAILED");
    if (rc == 0) {
        zloop_reader (self.loop, pipe, sv_service_pipe, &self);
        zloop_start (self.loop);
    }
    for (int index = 0; index < 3; index++)
        sv_stream_consumer_destroy (&self.consumers [index]);
    sv_stream_producer_destroy (&self.producer);
    zloop_destroy (&self.loop);
    sv_security_stop ();
    zsock_destroy (&self.control);
    reporting_store_destroy (&self.store);
    sv_reader_destroy (&self.reader);
    zlistx_destroy (&self.schedules);
    msgpack_sbuffer_destroy (&self.buffer);
    zstr_free (&self.categories);
    compliance_rules_rates_destroy (&self.rates);
    reporting_crosswalk_destroy (&self.crosswalk);
    zstr_free (&self.output);
    json_decref (self.explained);
    zstr_free (&self.explained_key);
    json_decref (self.packed);
    zlistx_destroy (&self.pack);
    zstr_free (&self.packed_key);
}
