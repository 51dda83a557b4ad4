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

int
socval_report (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval report KIND [--year 2024-25] [--partner NAME]\n"
        "                     [--contract ID] [--supplier KEY-OR-NAME]\n"
        "                     [--format html|csv|json|xlsx] [-o PATH]\n"
        "  KIND: annual | partnership | rlw-scope | alerts | contracts | kpi\n"
        "  Assembles the report now from what reporting holds. --year defaults to\n"
        "  the latest financial year with spend (with no spend at all, the latest\n"
        "  with any data), --partner to all, --format to html. --contract and\n"
        "  --supplier narrow the contracts report to one contract or supplier.\n"
        "  -o PATH writes it there (for csv, PATH is a folder, one file per table);\n"
        "  without -o it goes to standard output (csv and xlsx need -o).\n"
        "  Exit 1, writing nothing, when the report cannot be made: a year with no\n"
        "  data is refused, naming the years that have some.\n";
    const char *kind = NULL, *year = "", *partner = "", *format = "html", *path = NULL;
    const char *contract = "", *supplier = "";
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (streq (argv [arg], "--year") && arg + 1 < argc)
            year = argv [++arg];
        else
        if (streq (argv [arg], "--partner") && arg + 1 < argc)
            partner = argv [++arg];
        else
        if (streq (argv [arg], "--contract") && arg + 1 < argc)
            contract = argv [++arg];
        else
        if (streq (argv [arg], "--supplier") && arg + 1 < argc)
            supplier = argv [++arg];
        else
        if (streq (argv [arg], "--format") && arg + 1 < argc)
            format = argv [++arg];
        else
        if (streq (argv [arg], "-o") && arg + 1 < argc)
            path = argv [++arg];
        else
        if (!kind && argv [arg][0] != '-')
            kind = argv [arg];
        else
            return socval_usage (usage);
    }
    if (!kind || !(streq (kind, "annual") || streq (kind, "partnership")
                || streq (kind, "rlw-scope") || streq (kind, "alerts")
                || streq (kind, "contracts") || streq (kind, "kpi")))
        return socval_usage (usage);
    if (!(streq (format, "html") || streq (format, "json") || streq (format, "csv")
       || streq (format, "xlsx")))
        return socval_usage (usage);
    if (!path && (streq (format, "csv") || streq (format, "xlsx")))
        return socval_usage ("socval: csv and xlsx reports need -o PATH\n");
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    sv_proto_t request = { .id = SV_PROTO_REPORT_REQUEST };
    request.report_request = (sv_proto_report_request_t) {
        .kind = (char *) kind, .year = (char *) year,
        .partner = (char *) (streq (partner, "all")? "": partner), .format = (char *) format,
        .contract = (char *) contract, .supplier = (char *) supplier
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
