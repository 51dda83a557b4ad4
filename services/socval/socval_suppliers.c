/*  socval suppliers resolve FILE...: suppliers' registered offices, SIC
    codes and status from Companies House's free bulk file.

    What resolving does, so that every place it finds is durable and can
    be traced: it asks valuation which suppliers are known (SUPPLIER_LIST,
    every partner's, from supplier records and payments), streams each
    file through sv_chouse keeping only what concerns them (the full file
    is 2.5 GB; memory stays that of the suppliers wanted), prints how each
    was found (by number, by unique name) or why not (an ambiguous name,
    with its candidates), and sends what was found to ingest as a feed of
    kind "companies" (a supplier id, ID:, names its partner: ingest takes
    it only from that partner's key) (socval submit's path: a receipt, a batch id from the
    content, so resolving again against the same month adds nothing).
    Ingest streams each as a COMPANY event; valuation gives the registered
    office to a partner's supplier whose own feed has no postcode, and
    marks the payments it places so (place_source "registered_office").
*/

#include "socval.h"
#include "sv_chouse.h"

//  Bad rows printed before the rest are only counted
#define S_ERRORS_SHOWN 20

typedef struct {
    FILE *csv;                  //  the feed being written
    const char *source;         //  the register file named on each row
    const sv_proto_supplier_ref_t *refs;    //  the suppliers wanted, in order
    size_t next;                //  the ref the next result is for
    size_t found;
    size_t ambiguous;
    size_t not_found;
    size_t errors_shown;
    json_t *json;               //  --json: the suppliers resolved or refused
} s_resolve_t;

static void
s_error (const char *file, const sv_csv_error_t *error, void *arg)
{
    s_resolve_t *self = (s_resolve_t *) arg;
    if (self->errors_shown++ >= S_ERRORS_SHOWN)
        return;
    char text [400];
    sv_csv_error_format (error, text, sizeof text);
    fprintf (stderr, "socval: %s: %s\n", file, text);
}

//  Writes one CSV cell, quoted
static void
s_cell (FILE *file, const char *text, bool last)
{
    fputc ('"', file);
    for (const char *at = text; *at; at++) {
        if (*at == '"')
            fputc ('"', file);
        fputc (*at, file);
    }
    fputs (last? "\"\n": "\",", file);
}

static void
s_result (const sv_chouse_result_t *result, void *arg)
{
    s_resolve_t *self = (s_resolve_t *) arg;
    //  sv_chouse gives results in the order suppliers were wanted
    const char *partner = self->refs [self->next++].partner;
    bool found = streq (result->outcome, "by number") || streq (result->outcome,
                                                                  "by unique name");
    if (streq (result->outcome, "not found")) {
        self->not_found++;
        return;
    }
    if (found) {
        self->found++;
        s_cell (self->csv, result->supplier_key, false);
        s_cell (self->csv, result->number, false);
        s_cell (self->csv, streq (result->outcome, "by number")? "number": "name", false);
        s_cell (self->csv, result->name, false);
        s_cell (self->csv, result->postcode, false);
        s_cell (self->csv, result->status, false);
        s_cell (self->csv, result->dissolved, false);
        s_cell (self->csv, result->sic_codes, false);
        s_cell (self->csv, self->source, false);
        s_cell (self->csv, partner, true);
    }
    else
        self->ambiguous++;
    if (self->json) {
        json_array_append_new (self->json, json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
            "supplier_key", result->supplier_key, "partner", partner,
            "outcome", result->outcome,
            "company_number", result->number, "company_name", result->name,
            "postcode", result->postcode, "status", result->status,
            "dissolved", result->dissolved, "sic_codes", result->sic_codes,
            "rlw_category", result->rlw_category, "candidates", result->candidates));
        return;
    }
    if (*partner)
        printf ("%s's ", partner);
    if (found) {
        printf ("%s: %s: %s (%s), registered office %s, %s%s%s", result->supplier_key,
                result->outcome, result->name, result->number,
                *result->postcode? result->postcode: "(no UK postcode)", result->status,
                *result->dissolved? ", dissolved ": "", result->dissolved);
        if (*result->sic_codes)
            printf (", SIC %s", result->sic_codes);
        if (*result->rlw_category)
            printf (" (suggests RLW category %s)", result->rlw_category);
        printf ("\n");
    }
    else
        printf ("%s: not resolved: the name '%s' matches more than one company: %s\n",
                result->supplier_key, result->supplier_name, result->candidates);
}

//  The name a supplier is searched by: the one a feed gave, else a NAME:
//  key's text
static const char *
s_name_of (const sv_proto_supplier_ref_t *ref)
{
    if (*ref->name)
        return ref->name;
    return strncmp (ref->supplier_key, "NAME:", 5) == 0? ref->supplier_key + 5: "";
}

static int
s_resolve (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval suppliers resolve [--key CERT] [--dry-run] [--json] FILE...\n"
        "  Reads Companies House's free bulk file, BasicCompanyData (one file or\n"
        "  its parts, as CSV), for the suppliers valuation knows, and sends what\n"
        "  it finds to ingest as a feed of kind companies (--key: the partner\n"
        "  certificate to send it with, as socval submit). A supplier with a\n"
        "  Companies House number is found by it; one known only by name, by its\n"
        "  name (case, punctuation, '&'/'and' and Ltd/Limited/PLC/LLP/CIC aside)\n"
        "  when exactly one company has it: two or more are not resolved, and\n"
        "  are named. Each supplier found gets its registered office postcode,\n"
        "  SIC codes (a suggested RLW category), status and dissolution date.\n"
        "  A partner's own supplier postcode always wins over a registered\n"
        "  office; reports say which placed each payment.\n"
        "  --dry-run prints what would be sent, and sends nothing.\n"
        "  --json: one line {\"found\", \"ambiguous\", \"not_found\", \"rows\",\n"
        "  \"errors\", \"suppliers\": [...]}, then the receipt's JSON line.\n"
        "  Exit 0 when read (and the feed taken), 1 when a file is refused or\n"
        "  the feed is, 2 on a usage or connection problem.\n";
    const char *key_path = NULL;
    bool dry_run = false;
    //  The files, in the order given, options anywhere among them
    char **files = (char **) calloc ((size_t) argc + 1, sizeof (char *));
    int file_count = 0;
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help")) {
            free (files);
            return printf ("%s", usage), 0;
        }
        else
        if (streq (argv [arg], "--key") && arg + 1 < argc)
            key_path = argv [++arg];
        else
        if (streq (argv [arg], "--dry-run"))
            dry_run = true;
        else
        if (argv [arg][0] != '-')
            files [file_count++] = argv [arg];
        else {
            free (files);
            return socval_usage (usage);
        }
    }
    if (file_count == 0) {
        free (files);
        return socval_usage (usage);
    }
    sv_config_t *config = socval_config (options);
    if (!config) {
        free (files);
        return 2;
    }
    sv_proto_t request = { .id = SV_PROTO_SUPPLIER_LIST }, reply = { .id = 0 };
    int rc = socval_control_request (config, "valuation", &request, options->timeout_s, &reply);
    if (rc == 0 && reply.id != SV_PROTO_SUPPLIERS) {
        fprintf (stderr, "socval: valuation did not list its suppliers: %s\n",
                 reply.id == SV_PROTO_ERROR? reply.error.reason: "another message");
        rc = 2;
    }
    //  The first file names the month (BasicCompanyData-2026-11-01-part1_7.csv)
    const char *slash = strrchr (files [0], '/');
    s_resolve_t resolve = {
        .json = options->json? json_array (): NULL,
        .source = slash? slash + 1: files [0],
        .refs = reply.suppliers.suppliers
    };
    sv_chouse_t *chouse = rc? NULL: sv_chouse_new (s_error, &resolve);
    for (size_t index = 0; chouse && index < reply.suppliers.suppliers_count; index++) {
        const sv_proto_supplier_ref_t *ref = &reply.suppliers.suppliers [index];
        const char *number = strncmp (ref->supplier_key, "CH:", 3) == 0? ref->supplier_key + 3: "";
        sv_chouse_want (chouse, ref->supplier_key, number, s_name_of (ref));
    }
    for (int index = 0; chouse && rc == 0 && index < file_count; index++)
        if (sv_chouse_read_file (chouse, files [index])) {
            fprintf (stderr, "socval: %s refused: %s\n", files [index],
                     sv_chouse_refusal (chouse));
            rc = 1;
        }
    //  The feed: what was found, in socval's canonical companies header
    char *path = NULL;
    if (rc == 0) {
        const char *folder = getenv ("TMPDIR");
        path = zsys_sprintf ("%s/socval-companies-XXXXXX", folder && *folder? folder: "/tmp");
        int handle = mkstemp (path);
        resolve.csv = handle >= 0? fdopen (handle, "w"): NULL;
        if (!resolve.csv) {
            fprintf (stderr, "socval: cannot write a temporary file in $TMPDIR: %s\n",
                     strerror (errno));
            rc = 2;
        }
    }
    if (rc == 0) {
        fprintf (resolve.csv, "Supplier Key,Company Number,Matched By,Company Name,Postcode,"
                              "Status,Dissolved,SIC Codes,Source,Partner\n");
        sv_chouse_each (chouse, s_result, &resolve);
        if (fclose (resolve.csv)) {
            fprintf (stderr, "socval: cannot write %s: %s\n", path, strerror (errno));
            rc = 2;
        }
    }
    if (rc == 0 && options->json) {
        json_t *root = json_pack ("{s:I, s:I, s:I, s:I, s:I, s:O}",
            "found", (json_int_t) resolve.found, "ambiguous", (json_int_t) resolve.ambiguous,
            "not_found", (json_int_t) resolve.not_found,
            "rows", (json_int_t) sv_chouse_rows (chouse),
            "errors", (json_int_t) sv_chouse_errors (chouse), "suppliers", resolve.json);
        json_dumpf (root, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT);
        printf ("\n");
        json_decref (root);
    }
    else
    if (rc == 0)
        printf ("%zu suppliers found, %zu names matching more than one company, %zu not"
                " found; %zu rows read, %zu rows rejected\n", resolve.found, resolve.ambiguous,
                resolve.not_found, sv_chouse_rows (chouse), sv_chouse_errors (chouse));
    if (resolve.errors_shown > S_ERRORS_SHOWN)
        fprintf (stderr, "socval: ... and %zu more rows rejected\n",
                 resolve.errors_shown - S_ERRORS_SHOWN);
    fflush (stdout);
    if (rc == 0 && resolve.found && !dry_run) {
        const char *submit_argv [7] = { "--kind", "companies", "--format", "csv" };
        int submit_argc = 4;
        if (key_path) {
            submit_argv [submit_argc++] = "--key";
            submit_argv [submit_argc++] = key_path;
        }
        submit_argv [submit_argc++] = path;
        rc = socval_submit (submit_argc, (char **) submit_argv, options);
    }
    if (path)
        unlink (path);
    zstr_free (&path);
    free (files);
    json_decref (resolve.json);
    sv_chouse_destroy (&chouse);
    sv_proto_reset (&reply);
    sv_config_destroy (&config);
    return rc;
}

int
socval_suppliers (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval suppliers resolve [--key CERT] [--dry-run] [--json] FILE...\n"
        "  (socval suppliers resolve --help says more)\n";
    if (argc == 0 || streq (argv [0], "--help"))
        return argc? (printf ("%s", usage), 0): socval_usage (usage);
    if (streq (argv [0], "resolve"))
        return s_resolve (argc - 1, argv + 1, options);
    return socval_usage (usage);
}
