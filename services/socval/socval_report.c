/*  socval report: asks reporting for a report now and writes it out.

    Reporting answers with the report's files; html, json and xlsx are one
    file, csv one file per table. Files are written under a temporary name
    and renamed into place, so a reader never sees half a report.
*/

#include "socval.h"

//  Writes size bytes to path through a temporary file. 0 or -1.
static int
s_write_file (const char *path, const uint8_t *data, size_t size)
{
    char *temporary = zsys_sprintf ("%s.tmp", path);
    FILE *file = fopen (temporary, "wb");
    bool ok = file && fwrite (data, 1, size, file) == size;
    if (file)
        ok = fclose (file) == 0 && ok;
    ok = ok && rename (temporary, path) == 0;
    if (!ok) {
        fprintf (stderr, "socval: cannot write %s: %s\n", path, strerror (errno));
        remove (temporary);
    }
    zstr_free (&temporary);
    return ok? 0: -1;
}

//  An open-data pack, a part at a time (REPORT_READY.total_bytes), into the
//  folder path: each file written under a temporary name and renamed once
//  whole. first is the first part; every part must be of the same offsets.
//  0, 1 (refused, or the offsets moved) or 2.
static int
s_write_pack (sv_config_t *config, socval_options_t *options, sv_proto_t *request,
              const sv_proto_t *first, const char *path)
{
    if (zsys_dir_create ("%s", path)) {
        fprintf (stderr, "socval: cannot create the folder %s\n", path);
        return 2;
    }
    zlistx_t *names = zlistx_new ();
    zlistx_set_duplicator (names, (czmq_duplicator *) strdup);
    zlistx_set_destructor (names, (czmq_destructor *) zstr_free);
    zlistx_set_comparator (names, (czmq_comparator *) strcmp);
    //  The first part is the caller's; the others are fetched into next
    const sv_proto_t *part = first;
    sv_proto_t next = { .id = 0 };
    uint64_t offsets [3] = { 0 }, received = 0;
    for (size_t index = 0; index < 3 && index < first->report_ready.offsets_count; index++)
        offsets [index] = first->report_ready.offsets [index].head_seq;
    int rc = 0;
    while (rc == 0) {
        const sv_proto_report_ready_t *ready = &part->report_ready;
        uint64_t before = received;
        for (size_t index = 0; index < ready->files_count && rc == 0; index++) {
            const sv_proto_report_file_t *file = &ready->files [index];
            bool seen = zlistx_find (names, file->name) != NULL;
            if (!seen)
                zlistx_add_end (names, file->name);
            char *temporary = zsys_sprintf ("%s/%s.tmp", path, file->name);
            FILE *out = fopen (temporary, seen? "ab": "wb");
            if (!out || fwrite (file->payload, 1, file->payload_size, out) != file->payload_size)
                rc = 2;
            if (out && fclose (out))
                rc = 2;
            if (rc)
                fprintf (stderr, "socval: cannot write %s: %s\n", temporary, strerror (errno));
            zstr_free (&temporary);
            received += file->payload_size;
        }
        for (size_t index = 0; index < 3 && index < ready->offsets_count && rc == 0; index++)
            if (ready->offsets [index].head_seq != offsets [index]) {
                fprintf (stderr, "socval: reporting took in more data while the pack came;"
                         " ask again for one pack\n");
                rc = 1;
            }
        if (rc || received >= ready->total_bytes)
            break;
        if (received == before) {
            fprintf (stderr, "socval: reporting sent no more of the pack (%" PRIu64 " of %"
                     PRIu64 " bytes)\n", received, ready->total_bytes);
            rc = 1;
            break;
        }
        request->report_request.from_byte = received;
        sv_proto_reset (&next);
        rc = socval_control_request (config, "reporting", request, options->timeout_s, &next);
        if (rc == 0 && next.id == SV_PROTO_ERROR) {
            fprintf (stderr, "socval: %s\n", next.error.reason);
            rc = 1;
        }
        else
        if (rc == 0 && next.id != SV_PROTO_REPORT_READY) {
            fprintf (stderr, "socval: reporting sent no pack\n");
            rc = 1;
        }
        part = &next;
    }
    sv_proto_reset (&next);
    //  Whole: each file takes its name
    for (const char *name = (const char *) zlistx_first (names); name;
         name = (const char *) zlistx_next (names)) {
        char *temporary = zsys_sprintf ("%s/%s.tmp", path, name);
        char *final = zsys_sprintf ("%s/%s", path, name);
        if (rc == 0 && rename (temporary, final)) {
            fprintf (stderr, "socval: cannot write %s: %s\n", final, strerror (errno));
            rc = 2;
        }
        remove (temporary);
        zstr_free (&temporary);
        zstr_free (&final);
    }
    zlistx_destroy (&names);
    return rc;
}

int
socval_report (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval report KIND [--year 2024-25] [--partner NAME]\n"
        "                     [--contract ID] [--supplier KEY-OR-NAME]\n"
        "                     [--format html|csv|json|xlsx] [-o PATH]\n"
        "                     [--at ingest=N,valuation=N,compliance=N]\n"
        "  KIND: annual | partnership | rlw-scope | alerts | contracts | kpi | open-data\n"
        "  Assembles the report now from what reporting holds. --year defaults to\n"
        "  the latest financial year with spend (with no spend at all, the latest\n"
        "  with any data), --partner to all, --format to html. --contract and\n"
        "  --supplier narrow the contracts report to one contract or supplier.\n"
        "  -o PATH writes it there (for csv, PATH is a folder, one file per table);\n"
        "  without -o it goes to standard output (csv and xlsx need -o).\n"
        "  open-data writes the annual report's rows to the folder -o names: CSV\n"
        "  tables, the same as one SQLite file, a data dictionary, the methodology,\n"
        "  the stream offsets and the licence (reporting/open_data_licence).\n"
        "  --at rebuilds the report as it stood at the stream offsets a report\n"
        "  states (its \"offsets\"), reading the streams again; exit 1 naming any\n"
        "  offset that is ahead of reporting or can no longer be reached.\n"
        "  Exit 1, writing nothing, when the report cannot be made: a year with no\n"
        "  data is refused, naming the years that have some.\n";
    const char *kind = NULL, *format = "html", *path = NULL, *at = NULL;
    socval_scope_t scope = { "", "", "", "" };
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (socval_scope_arg (&scope, argc, argv, &arg))
            ;
        else
        if (streq (argv [arg], "--format") && arg + 1 < argc)
            format = argv [++arg];
        else
        if (streq (argv [arg], "-o") && arg + 1 < argc)
            path = argv [++arg];
        else
        if (streq (argv [arg], "--at") && arg + 1 < argc)
            at = argv [++arg];
        else
        if (!kind && argv [arg][0] != '-')
            kind = argv [arg];
        else
            return socval_usage (usage);
    }
    if (!kind || !(streq (kind, "annual") || streq (kind, "partnership")
                || streq (kind, "rlw-scope") || streq (kind, "alerts")
                || streq (kind, "contracts") || streq (kind, "open-data")
                || streq (kind, "kpi")))
        return socval_usage (usage);
    //  The pack is a folder of files, as a csv report is
    if (streq (kind, "open-data"))
        format = "csv";
    if (!(streq (format, "html") || streq (format, "json") || streq (format, "csv")
       || streq (format, "xlsx")))
        return socval_usage (usage);
    if (!path && (streq (format, "csv") || streq (format, "xlsx")))
        return socval_usage ("socval: csv, xlsx and open-data reports need -o PATH\n");
    //  --at ingest=12,valuation=40,compliance=3: each stream once
    sv_proto_stream_head_t heads [3];
    char names [3][16];
    size_t head_count = 0;
    for (const char *cursor = at; cursor && *cursor; ) {
        size_t length = strcspn (cursor, ",");
        char *end = NULL;
        const char *equals = memchr (cursor, '=', length);
        size_t name_length = equals? (size_t) (equals - cursor): 0;
        unsigned long long offset = equals? strtoull (equals + 1, &end, 10): 0;
        if (head_count == 3 || !equals || name_length == 0 || name_length >= sizeof names [0]
        ||  end != cursor + length || end == equals + 1)
            return socval_usage ("socval: --at takes ingest=N,valuation=N,compliance=N, as a"
                                 " report's \"offsets\" states them\n");
        memcpy (names [head_count], cursor, name_length);
        names [head_count][name_length] = 0;
        heads [head_count] = (sv_proto_stream_head_t) {
            .name = names [head_count], .head_seq = (uint64_t) offset
        };
        head_count++;
        cursor += length + (cursor [length] == ',');
    }
    if (at && head_count == 0)
        return socval_usage ("socval: --at takes ingest=N,valuation=N,compliance=N\n");
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    sv_proto_t request = { .id = SV_PROTO_REPORT_REQUEST };
    request.report_request = (sv_proto_report_request_t) {
        .kind = (char *) kind, .year = (char *) scope.year,
        .partner = (char *) (streq (scope.partner, "all")? "": scope.partner),
        .format = (char *) format,
        .contract = (char *) scope.contract, .supplier = (char *) scope.supplier,
        .at = heads, .at_count = head_count
    };
    sv_proto_t reply = { .id = 0 };
    int rc = socval_control_request (config, "reporting", &request, options->timeout_s, &reply);
    if (rc == 0 && reply.id == SV_PROTO_ERROR) {
        fprintf (stderr, "socval: %s\n", reply.error.reason);
        rc = 1;
    }
    else
    if (rc == 0 && (reply.id != SV_PROTO_REPORT_READY || !reply.report_ready.files_count)) {
        fprintf (stderr, "socval: reporting sent no report\n");
        rc = 1;
    }
    else
    if (rc == 0) {
        const sv_proto_report_ready_t *ready = &reply.report_ready;
        if (streq (kind, "open-data"))
            rc = s_write_pack (config, options, &request, &reply, path);
        else
        if (!path)
            rc = fwrite (ready->files [0].payload, 1, ready->files [0].payload_size, stdout)
                 == ready->files [0].payload_size? 0: 2;
        else
        if (streq (format, "csv")) {
            if (zsys_dir_create ("%s", path)) {
                fprintf (stderr, "socval: cannot create the folder %s\n", path);
                rc = 2;
            }
            for (size_t index = 0; index < ready->files_count && rc == 0; index++) {
                char *file = zsys_sprintf ("%s/%s", path, ready->files [index].name);
                rc = s_write_file (file, ready->files [index].payload,
                                   ready->files [index].payload_size)? 2: 0;
                zstr_free (&file);
            }
        }
        else
            rc = s_write_file (path, ready->files [0].payload, ready->files [0].payload_size)?
                 2: 0;
        if (rc == 0 && path)
            fprintf (stderr, "socval: %s report %s %s written to %s (stream offsets ingest"
                     " %" PRIu64 ", valuation %" PRIu64 ", compliance %" PRIu64 ")\n",
                     ready->kind, ready->partner, ready->year, path,
                     ready->offsets_count > 0? ready->offsets [0].head_seq: 0,
                     ready->offsets_count > 1? ready->offsets [1].head_seq: 0,
                     ready->offsets_count > 2? ready->offsets [2].head_seq: 0);
    }
    sv_proto_reset (&reply);
    sv_config_destroy (&config);
    return rc;
}
