/*  socval: the command people and scripts use.

    Verbs: up, demo, wait (socval_up.c), keys new, submit, status, framework,
    config (here), alerts (socval_alerts.c), report (socval_report.c). Every verb
    has --help. Errors go to stderr; exit 1 means the request was refused,
    2 a usage or connection problem. --json output goes alone to stdout; progress goes to stderr,
    and only on a terminal.

    Finding the stack: --config FILE, else $SOCVAL_CONFIG, else
    DIR/socval.cfg for --data DIR (default ./var), else built-in defaults
    with data/dir = DIR.
*/

#include "socval.h"
#include <sodium.h>
#include <xxhash.h>
#include "sv_log.h"
#include "sv_security.h"

#define S_CHUNK_BYTES (256 * 1024)

int
socval_usage (const char *text)
{
    fprintf (stderr, "%s", text);
    return 2;
}

bool
socval_scope_arg (socval_scope_t *scope, int argc, char *argv [], int *arg)
{
    static const char *const names [] = { "--year", "--partner", "--contract", "--supplier" };
    const char **values [] = { &scope->year, &scope->partner, &scope->contract,
                               &scope->supplier };
    for (size_t index = 0; index < sizeof names / sizeof names [0]; index++)
        if (streq (argv [*arg], names [index]) && *arg + 1 < argc) {
            *values [index] = argv [++*arg];
            return true;
        }
    return false;
}

int
socval_no_arguments (int argc, char *argv [], const char *usage)
{
    if (argc == 0)
        return -1;
    if (streq (argv [0], "--help"))
        return printf ("%s", usage), 0;
    return socval_usage (usage);
}

sv_config_t *
socval_config (socval_options_t *options)
{
    const char *path = options->config_path? options->config_path: getenv ("SOCVAL_CONFIG");
    char *default_path = NULL;
    if (!path) {
        default_path = zsys_sprintf ("%s/socval.cfg", options->data_dir);
        if (zsys_file_exists (default_path))
            path = default_path;
    }
    const char *reason = NULL;
    sv_config_t *config = path? sv_config_load (path, &reason): sv_config_new ();
    if (!config)
        fprintf (stderr, "socval: %s\n", reason);
    else
    if (!path)
        sv_config_set (config, "data/dir", options->data_dir);
    //  The command's own log lines (stderr) follow log/level too
    if (config)
        sv_log_start (sv_config_get (config, "log/level"), stderr);
    //  Once per process: with security/curve on, the command speaks CURVE
    //  to the services with its own certificate
    static bool secured = false;
    if (config && !secured) {
        secured = true;
        if (sv_security_start (config, "socval", NULL)) {
            sv_security_stop ();
            sv_config_destroy (&config);
        }
    }
    zstr_free (&default_path);
    return config;
}

int
socval_recv_reply (zsock_t *socket, int timeout_ms, sv_proto_t *reply)
{
    zpoller_t *poller = zpoller_new (socket, NULL);
    void *which = zpoller_wait (poller, timeout_ms);
    zpoller_destroy (&poller);
    if (which != socket)
        return -1;
    zframe_t *frame = zframe_recv (socket);
    int rc = frame? sv_proto_decode (reply, zframe_data (frame), zframe_size (frame)): -1;
    zframe_destroy (&frame);
    return rc;
}

//  ==========================================================================
//  socval keys new NAME [--dir DIR]

static int
s_keys (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval keys new NAME [--dir DIR]\n"
        "  Writes a CURVE certificate pair DIR/NAME.cert (public) and\n"
        "  DIR/NAME.cert_secret (keep it private). DIR defaults to <data>/keys.\n"
        "  For a partner, copy NAME.cert into ingest's partner_keys folder and\n"
        "  add partners/NAME/public_key to the config (printed below).\n";
    const char *name = NULL, *dir = NULL;
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (streq (argv [arg], "--dir") && arg + 1 < argc)
            dir = argv [++arg];
        else
        if (arg == 0 && streq (argv [arg], "new"))
            ;
        else
        if (arg == 1 && argv [arg][0] != '-')
            name = argv [arg];
        else
            return socval_usage (usage);
    }
    if (argc < 2 || !streq (argv [0], "new") || !name)
        return socval_usage (usage);
    for (const char *c = name; *c; c++)
        if (!isalnum ((unsigned char) *c) && *c != '-' && *c != '_')
            return socval_usage ("socval: a key name is letters, digits, '-' and '_' only\n");
    char *folder = dir? strdup (dir): zsys_sprintf ("%s/keys", options->data_dir);
    char *path = zsys_sprintf ("%s/%s.cert", folder, name);
    int rc = 0;
    if (zsys_file_exists (path)) {
        fprintf (stderr, "socval: %s exists; not overwriting a key\n", path);
        rc = 1;
    }
    else
    if (zsys_dir_create ("%s", folder)) {
        fprintf (stderr, "socval: cannot create %s\n", folder);
        rc = 2;
    }
    else {
        zcert_t *cert = zcert_new ();
        zcert_set_meta (cert, "name", "%s", name);
        zcert_set_meta (cert, "created", "%s", "socval keys new");
        umask (077);
        if (zcert_save (cert, path)) {
            fprintf (stderr, "socval: cannot write %s\n", path);
            rc = 2;
        }
        else
        if (options->json)
            printf ("{\"name\": \"%s\", \"certificate\": \"%s\", \"public_key\": \"%s\"}\n",
                    name, path, zcert_public_txt (cert));
        else
            printf ("wrote %s and %s_secret\n"
                    "public key: %s\n"
                    "config:     partners/%s/public_key = \"%s\"\n",
                    path, path, zcert_public_txt (cert), name, zcert_public_txt (cert));
        zcert_destroy (&cert);
    }
    zstr_free (&path);
    zstr_free (&folder);
    return rc;
}

//  ==========================================================================
//  socval submit --kind KIND [--format F] [--sheet NAME] [--batch ID] [--key CERT]
//                [--json] FILE

//  A receipt's errors or warnings as a JSON array of {row, column, reason}
static json_t *
s_row_errors_json (const sv_proto_row_error_t *items, size_t count)
{
    json_t *array = json_array ();
    for (size_t index = 0; index < count; index++)
        json_array_append_new (array, json_pack ("{s:I, s:s, s:s}",
            "row", (json_int_t) items [index].row,
            "column", items [index].column,
            "reason", items [index].reason));
    return array;
}

static void
s_print_row_errors (const char *label, const sv_proto_row_error_t *items, size_t count)
{
    for (size_t index = 0; index < count; index++) {
        const sv_proto_row_error_t *item = &items [index];
        if (item->row)
            printf ("  %srow %" PRIu64 ", column '%s': %s\n", label, item->row, item->column,
                    item->reason);
        else
        if (*item->column)
            printf ("  %scolumn '%s': %s\n", label, item->column, item->reason);
        else
            printf ("  %s%s\n", label, item->reason);
    }
}

static void
s_print_receipt (const sv_proto_receipt_t *receipt, bool as_json)
{
    if (as_json) {
        json_t *columns = json_array ();
        for (size_t index = 0; index < receipt->columns_count; index++) {
            const sv_proto_column_map_t *column = &receipt->columns [index];
            json_array_append_new (columns, json_pack ("{s:s, s:o}", "source", column->source,
                "field", *column->field? json_string (column->field): json_null ()));
        }
        json_t *root = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:I, s:o}",
            "batch_id", receipt->batch_id, "state", receipt->state,
            "accepted", (json_int_t) receipt->accepted,
            "rejected", (json_int_t) receipt->rejected,
            "duplicates", (json_int_t) receipt->duplicates,
            "errors", s_row_errors_json (receipt->errors, receipt->errors_count),
            "warnings", s_row_errors_json (receipt->warnings, receipt->warnings_count),
            "warned", (json_int_t) receipt->warned, "columns", columns);
        json_dumpf (root, stdout, JSON_PRESERVE_ORDER);
        printf ("\n");
        json_decref (root);
        return;
    }
    printf ("batch %s: %s: %" PRIu64 " accepted, %" PRIu64 " rejected, %" PRIu64 " duplicates\n",
            receipt->batch_id, receipt->state, receipt->accepted, receipt->rejected,
            receipt->duplicates);
    if (receipt->columns_count) {
        printf ("  columns read:");
        const char *separator = " ";
        for (size_t index = 0; index < receipt->columns_count; index++)
            if (*receipt->columns [index].field) {
                printf ("%s'%s' as %s", separator, receipt->columns [index].source,
                        receipt->columns [index].field);
                separator = ", ";
            }
        printf ("\n");
        separator = "  columns ignored: ";
        for (size_t index = 0; index < receipt->columns_count; index++)
            if (!*receipt->columns [index].field) {
                printf ("%s'%s'", separator, receipt->columns [index].source);
                separator = ", ";
            }
        if (!streq (separator, "  columns ignored: "))
            printf ("\n");
    }
    s_print_row_errors ("", receipt->errors, receipt->errors_count);
    if (receipt->rejected > receipt->errors_count)
        printf ("  ... and %" PRIu64 " more rejected rows\n",
                receipt->rejected - receipt->errors_count);
    s_print_row_errors ("warning: ", receipt->warnings, receipt->warnings_count);
    if (receipt->warned > receipt->warnings_count)
        printf ("  ... and %" PRIu64 " more warnings\n",
                receipt->warned - receipt->warnings_count);
}

//  Says on stderr that no --key was given and the default cannot be
//  loaded, naming the certificates of this stack's partners that can be
//  (socval up writes one for each example partner, none called partner)
static void
s_no_default_key (sv_config_t *config, const char *default_key)
{
    zchunk_t *names = zchunk_new (NULL, 0);
    for (zconfig_t *item = sv_config_children (config, "partners"); item;
         item = zconfig_next (item)) {
        char *path = zsys_sprintf ("%s/keys/%s.cert", sv_config_get (config, "data/dir"),
                                   zconfig_name (item));
        zcert_t *cert = zcert_load (path);
        if (cert) {
            zchunk_extend (names, zchunk_size (names)? ", ": "", zchunk_size (names)? 2: 0);
            zchunk_extend (names, path, strlen (path));
        }
        zcert_destroy (&cert);
        zstr_free (&path);
    }
    if (zchunk_size (names))
        fprintf (stderr, "socval: no --key given and %s cannot be loaded; this stack's"
                         " partners' keys are %.*s: name one with --key\n", default_key,
                 (int) zchunk_size (names), (const char *) zchunk_data (names));
    else
        fprintf (stderr, "socval: no --key given and %s cannot be loaded (nor its _secret"
                         " file): make one with socval keys new, or name one with --key\n",
                 default_key);
    zchunk_destroy (&names);
}

//  Reads file from where it stands to its end into digest, copying what it
//  reads to copy when not NULL. 0, or -1 with errno on a read or write error.
static int
s_digest_stream (FILE *file, XXH3_state_t *digest, FILE *copy)
{
    byte buffer [65536];
    size_t size;
    while ((size = fread (buffer, 1, sizeof buffer, file)) > 0) {
        XXH3_64bits_update (digest, buffer, size);
        if (copy && fwrite (buffer, 1, size, copy) != size)
            return -1;
    }
    return ferror (file)? -1: 0;
}

//  Opens what submit sends, path or standard input for "-", and works out
//  the default batch id: the kind and a digest of the content, so sending
//  the same content twice is recognised as the same batch. The digest is
//  XXH3-64: it names a batch, it guards nothing (ingest digests the
//  content again). A regular file is read twice, once here for the digest,
//  then to send it. Anything else (a pipe, a FIFO, a terminal) can be read
//  only once, and its digest is known only at its end, before the first
//  chunk must name the batch: so it is spooled to an unlinked temporary
//  file in $TMPDIR (default /tmp) as it is digested, and sent from there;
//  it costs disk the size of the input, never memory. Returns the file to
//  send from, positioned at the start of the content, with *batch_id_p
//  (caller frees); NULL with errno on failure, *spooling_p true when it
//  was the spool that failed.
static FILE *
s_open_input (const char *path, const char *kind, char **batch_id_p, bool *spooling_p)
{
    *spooling_p = false;
    FILE *input = streq (path, "-")? stdin: fopen (path, "rb");
    struct stat status;
    if (!input || fstat (fileno (input), &status))
        return NULL;
    FILE *file = input;
    off_t start = 0;
    if (S_ISREG (status.st_mode))
        start = ftello (file);
    else {
        const char *folder = getenv ("TMPDIR");
        char *spool = zsys_sprintf ("%s/socval-submit-XXXXXX", folder && *folder? folder: "/tmp");
        int handle = mkstemp (spool);
        if (handle >= 0)
            unlink (spool);
        zstr_free (&spool);
        file = handle >= 0? fdopen (handle, "w+b"): NULL;
        *spooling_p = true;
        if (!file) {
            if (handle >= 0)
                close (handle);
            if (input != stdin)
                fclose (input);
            return NULL;
        }
    }
    XXH3_state_t *digest = XXH3_createState ();
    assert (digest);
    XXH3_64bits_reset (digest);
    int rc = s_digest_stream (input, digest, file == input? NULL: file);
    if (rc && ferror (input))
        *spooling_p = false;
    if (file != input && input != stdin)
        fclose (input);
    if (rc == 0)
        rc = fflush (file) || fseeko (file, start, SEEK_SET)? -1: 0;
    XXH64_canonical_t hash;
    XXH64_canonicalFromHash (&hash, XXH3_64bits_digest (digest));
    XXH3_freeState (digest);
    if (rc) {
        int error = errno;
        if (file != stdin)
            fclose (file);
        errno = error;
        return NULL;
    }
    char hex [sizeof hash.digest * 2 + 1];
    *batch_id_p = zsys_sprintf ("%s-%s", kind, sodium_bin2hex (hex, sizeof hex, hash.digest,
                                                               sizeof hash.digest));
    return file;
}

static const char *
s_format_of (const char *path)
{
    const char *dot = strrchr (path, '.');
    if (dot && strcasecmp (dot, ".json") == 0)
        return "ocds";
    if (dot && (strcasecmp (dot, ".msgpack") == 0 || strcasecmp (dot, ".mpk") == 0))
        return "msgpack";
    if (dot && strcasecmp (dot, ".xlsx") == 0)
        return "xlsx";
    return "csv";
}

int
socval_submit (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval submit --kind KIND [--format csv|ocds|msgpack|xlsx] [--sheet NAME]\n"
        "                     [--batch ID] [--key CERT] [--timeout S] [--json] FILE|-\n"
        "  KIND: suppliers | contracts | spend | commitments | deliveries | kpis | companies\n"
        "  (companies: what socval suppliers resolve sends)\n"
        "  The format defaults from FILE's name: .json ocds, .msgpack msgpack, .xlsx\n"
        "  xlsx (an Excel workbook: its first worksheet, or --sheet NAME), else csv.\n"
        "  Sends FILE (- for standard input) to ingest as one batch, to its end, and\n"
        "  prints the receipt. The batch id defaults to the kind and a digest of the\n"
        "  content, so a resend adds nothing. Input that is not a regular file (a\n"
        "  pipe, a FIFO, standard input) is first copied to a temporary file in\n"
        "  $TMPDIR (default /tmp) to digest it: that needs disk for its size.\n"
        "  --key is the partner's certificate (default <data>/keys/partner.cert).\n"
        "  Exit 0 when the batch was taken (even with rows rejected), 1 when it was\n"
        "  refused whole, 2 on a usage or connection problem.\n";
    const char *kind = NULL, *format = NULL, *batch_arg = NULL, *key_path = NULL, *path = NULL;
    const char *sheet = NULL;
    for (int arg = 0; arg < argc; arg++) {
        if (streq (argv [arg], "--help"))
            return printf ("%s", usage), 0;
        else
        if (streq (argv [arg], "--kind") && arg + 1 < argc)
            kind = argv [++arg];
        else
        if (streq (argv [arg], "--format") && arg + 1 < argc)
            format = argv [++arg];
        else
        if (streq (argv [arg], "--batch") && arg + 1 < argc)
            batch_arg = argv [++arg];
        else
        if (streq (argv [arg], "--sheet") && arg + 1 < argc)
            sheet = argv [++arg];
        else
        if (streq (argv [arg], "--key") && arg + 1 < argc)
            key_path = argv [++arg];
        else
        if ((argv [arg][0] != '-' || streq (argv [arg], "-")) && !path)
            path = argv [arg];
        else
            return socval_usage (usage);
    }
    if (!kind || !path)
        return socval_usage (usage);
    if (!format)
        format = s_format_of (path);
    if (sheet && !streq (format, "xlsx")) {
        fprintf (stderr, "socval: --sheet names a sheet of a workbook, and %s is read as %s\n",
                 path, format);
        return socval_usage (usage);
    }

    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    char *default_key = zsys_sprintf ("%s/keys/partner.cert", sv_config_get (config, "data/dir"));
    char *server_path = sv_config_data_path (config, "ingest/certificate", "keys/ingest.cert");
    zcert_t *client = zcert_load (key_path? key_path: default_key);
    zcert_t *server = zcert_load (server_path);
    char *batch_id = NULL;
    bool spooling = false;
    FILE *file = s_open_input (path, kind, &batch_id, &spooling);
    if (file && batch_arg) {
        zstr_free (&batch_id);
        batch_id = strdup (batch_arg);
    }
    else
    if (file && sheet && *sheet) {
        //  Each sheet of one workbook is a batch of its own
        byte digest [8];
        char hex [sizeof digest * 2 + 1];
        crypto_generichash (digest, sizeof digest, (const byte *) sheet, strlen (sheet), NULL, 0);
        char *named = zsys_sprintf ("%s-%s", batch_id,
                                    sodium_bin2hex (hex, sizeof hex, digest, sizeof digest));
        zstr_free (&batch_id);
        batch_id = named;
    }
    int rc = 2;
    if (!file)
        fprintf (stderr, "socval: cannot %s %s%s: %s\n", spooling? "spool": "read", path,
                 spooling? " to a temporary file in $TMPDIR": "", strerror (errno));
    else
    if (!client && !key_path)
        s_no_default_key (config, default_key);
    else
    if (!client)
        fprintf (stderr, "socval: cannot load the key %s (and its _secret file)\n", key_path);
    else
    if (!server)
        fprintf (stderr, "socval: cannot load ingest's public certificate %s\n", server_path);
    else {
        const char *endpoint = sv_config_get (config, "ingest/feed_endpoint");
        zsock_t *feed = zsock_new (ZMQ_DEALER);
        zcert_apply (client, feed);
        zsock_set_curve_serverkey (feed, zcert_public_txt (server));
        zsock_set_linger (feed, 0);
        //  A send waits for ingest no longer than a reply would: with no
        //  connection (ingest down, or this key refused in the CURVE
        //  handshake) a DEALER's send blocks, and submit must not hang
        zsock_set_sndtimeo (feed, options->timeout_s * 1000);
        zsock_connect (feed, "%s", endpoint);
        //  What is left of the file from here is what is sent
        struct stat status;
        off_t here = ftello (file);
        long total = fstat (fileno (file), &status) == 0 && here >= 0
                   ? (long) (status.st_size - here): 0;
        bool progress = isatty (STDERR_FILENO) && total > 4 * S_CHUNK_BYTES;

        byte *chunk = (byte *) malloc (S_CHUNK_BYTES);
        uint64_t chunk_no = 0, credit = 1;
        long sent = 0;
        bool done_sending = false, unsent = false;
        while (!unsent) {
            //  Send while we hold credit
            while (credit > 0 && !done_sending) {
                //  The last chunk is the one after which nothing is left to
                //  read, whatever the size said: a file may grow
                size_t size = fread (chunk, 1, S_CHUNK_BYTES, file);
                int next = getc (file);
                if (next != EOF)
                    ungetc (next, file);
                if (ferror (file))
                    break;      //  never a batch cut short and called whole
                sent += (long) size;
                sv_proto_t submit = { .id = SV_PROTO_SUBMIT };
                submit.submit.batch_id = batch_id;
                submit.submit.kind = (char *) kind;
                submit.submit.format = (char *) format;
                submit.submit.sheet = (char *) (sheet? sheet: "");
                submit.submit.chunk_no = chunk_no++;
                submit.submit.last = done_sending = next == EOF;
                submit.submit.payload = chunk;
                submit.submit.payload_size = size;
                zframe_t *frame = sv_proto_encode_frame (&submit);
                if (zframe_send (&frame, feed, 0)) {
                    zframe_destroy (&frame);
                    fprintf (stderr, "%ssocval: ingest at %s took nothing within %d s"
                             " (is it running, and is this key accepted?)\n",
                             progress? "\n": "", endpoint, options->timeout_s);
                    unsent = true;
                    break;
                }
                credit--;
                if (progress)
                    fprintf (stderr, "\rsubmitting %s: %3ld%% (%ld of %ld KB)", path,
                             total > sent? sent * 100 / total: 100, sent / 1024, total / 1024);
            }
            if (ferror (file)) {
                fprintf (stderr, "%ssocval: cannot read %s: %s\n", progress? "\n": "", path,
                         strerror (errno));
                break;
            }
            if (unsent)
                break;
            sv_proto_t reply = { .id = 0 };
            if (socval_recv_reply (feed, options->timeout_s * 1000, &reply)) {
                fprintf (stderr, "%ssocval: no answer from ingest at %s within %d s"
                         " (is it running, and is this key accepted?)\n",
                         progress? "\n": "", endpoint, options->timeout_s);
                sv_proto_reset (&reply);
                break;
            }
            if (reply.id == SV_PROTO_CREDIT)
                credit += reply.credit.credit;
            else
            if (reply.id == SV_PROTO_RECEIPT) {
                if (progress)
                    fprintf (stderr, "\n");
                s_print_receipt (&reply.receipt, options->json);
                rc = streq (reply.receipt.state, "refused")? 1: 0;
                sv_proto_reset (&reply);
                break;
            }
            sv_proto_reset (&reply);
        }
        free (chunk);
        zsock_destroy (&feed);
    }
    if (file && file != stdin)
        fclose (file);
    zstr_free (&batch_id);
    zcert_destroy (&client);
    zcert_destroy (&server);
    zstr_free (&server_path);
    zstr_free (&default_key);
    sv_config_destroy (&config);
    return rc;
}

//  ==========================================================================
//  socval framework import FILE | socval framework list

zsock_t *
socval_connect (const char *service, const char *endpoint)
{
    zsock_t *socket = zsock_new (ZMQ_DEALER);
    zsock_set_linger (socket, 0);
    sv_security_client (socket, service);
    zsock_connect (socket, "%s", endpoint);
    return socket;
}

const char *const socval_services [SOCVAL_SERVICES] = {
    "ingest", "valuation", "compliance", "reporting"
};

int
socval_status_all (sv_config_t *config, int timeout_ms, sv_proto_t *replies)
{
    //  Ask every service first, then collect: one silent service costs the
    //  timeout once, not once per service
    zsock_t *controls [SOCVAL_SERVICES];
    for (size_t index = 0; index < SOCVAL_SERVICES; index++) {
        char key [64];
        snprintf (key, sizeof key, "%s/control_endpoint", socval_services [index]);
        controls [index] = socval_connect (socval_services [index], sv_config_get (config, key));
        sv_proto_t request = { .id = SV_PROTO_STATUS };
        zframe_t *frame = sv_proto_encode_frame (&request);
        zframe_send (&frame, controls [index], 0);
    }
    int64_t deadline = zclock_mono () + timeout_ms;
    int answered = 0;
    for (size_t index = 0; index < SOCVAL_SERVICES; index++) {
        int64_t remaining = deadline - zclock_mono ();
        if (socval_recv_reply (controls [index], remaining > 0? (int) remaining: 0,
                               &replies [index]) == 0
        &&  replies [index].id == SV_PROTO_STATUS_REPLY)
            answered++;
        else {
            sv_proto_reset (&replies [index]);
            replies [index].id = 0;
        }
        zsock_destroy (&controls [index]);
    }
    return answered;
}

int
socval_control_request (sv_config_t *config, const char *service, const sv_proto_t *request,
                   int timeout_s, sv_proto_t *reply)
{
    char *key = zsys_sprintf ("%s/control_endpoint", service);
    const char *endpoint = sv_config_get (config, key);
    zsock_t *control = socval_connect (service, endpoint);
    zframe_t *frame = sv_proto_encode_frame (request);
    zframe_send (&frame, control, 0);
    int rc = 0;
    if (socval_recv_reply (control, timeout_s * 1000, reply)) {
        fprintf (stderr, "socval: no answer from %s at %s within %d s (is it running?)\n",
                 service, endpoint, timeout_s);
        rc = 2;
    }
    zsock_destroy (&control);
    zstr_free (&key);
    return rc;
}

static void
s_print_frameworks (const sv_proto_frameworks_t *frameworks, bool as_json)
{
    if (as_json) {
        json_t *list = json_array (), *errors = json_array ();
        for (size_t i = 0; i < frameworks->frameworks_count; i++)
            json_array_append_new (list, json_pack ("{s:s, s:s, s:I, s:s}",
                "framework", frameworks->frameworks [i].framework,
                "version", frameworks->frameworks [i].version,
                "measures", (json_int_t) frameworks->frameworks [i].measures,
                "imported_at", frameworks->frameworks [i].imported_at));
        for (size_t i = 0; i < frameworks->errors_count; i++)
            json_array_append_new (errors, json_pack ("{s:I, s:s, s:s}",
                "row", (json_int_t) frameworks->errors [i].row,
                "column", frameworks->errors [i].column,
                "reason", frameworks->errors [i].reason));
        json_t *root = json_pack ("{s:b, s:s, s:o, s:o, s:I}", "ok", frameworks->ok,
            "reason", frameworks->reason, "errors", errors, "frameworks", list,
            "recomputed", (json_int_t) frameworks->recomputed);
        json_dumpf (root, stdout, JSON_PRESERVE_ORDER);
        printf ("\n");
        json_decref (root);
        return;
    }
    if (!frameworks->ok) {
        fprintf (stderr, "socval: %s\n", frameworks->reason);
        for (size_t i = 0; i < frameworks->errors_count; i++)
            fprintf (stderr, "  row %" PRIu64 ", column '%s': %s\n", frameworks->errors [i].row,
                     frameworks->errors [i].column, frameworks->errors [i].reason);
        return;
    }
    for (size_t i = 0; i < frameworks->frameworks_count; i++)
        printf ("%-32s %-10s %4" PRIu64 " measures  imported %s\n",
                frameworks->frameworks [i].framework, frameworks->frameworks [i].version,
                frameworks->frameworks [i].measures, frameworks->frameworks [i].imported_at);
    if (frameworks->recomputed)
        printf ("%" PRIu64 " valuation lines valued again\n", frameworks->recomputed);
}

static int
s_framework (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval framework import FILE | socval framework list\n"
        "  import: loads a TOMs framework CSV (framework, version, measure, theme,\n"
        "  outcome, description, unit, year, proxy) into valuation, which values\n"
        "  again every line it prices; a file with a bad row is refused whole,\n"
        "  naming each row, and nothing changes (exit 1).\n"
        "  list: the frameworks held.\n";
    if (argc >= 1 && streq (argv [0], "--help"))
        return printf ("%s", usage), 0;
    bool import = argc == 2 && streq (argv [0], "import");
    if (!import && !(argc == 1 && streq (argv [0], "list")))
        return socval_usage (usage);
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    sv_proto_t request = { .id = SV_PROTO_FRAMEWORK_LIST };
    zchunk_t *csv = NULL;
    int rc = 0;
    if (import) {
        csv = zchunk_slurp (argv [1], 0);
        if (!csv) {
            fprintf (stderr, "socval: cannot read %s: %s\n", argv [1], strerror (errno));
            sv_config_destroy (&config);
            return 2;
        }
        request.id = SV_PROTO_FRAMEWORK_IMPORT;
        request.framework_import.name = argv [1];
        request.framework_import.payload = zchunk_data (csv);
        request.framework_import.payload_size = zchunk_size (csv);
    }
    sv_proto_t reply = { .id = 0 };
    rc = socval_control_request (config, "valuation", &request, options->timeout_s, &reply);
    if (rc == 0) {
        if (reply.id == SV_PROTO_FRAMEWORKS) {
            s_print_frameworks (&reply.frameworks, options->json);
            rc = reply.frameworks.ok? 0: 1;
        }
        else {
            fprintf (stderr, "socval: valuation refused the request: %s\n",
                     reply.id == SV_PROTO_ERROR? reply.error.reason: "unexpected reply");
            rc = 1;
        }
    }
    sv_proto_reset (&reply);
    zchunk_destroy (&csv);
    sv_config_destroy (&config);
    return rc;
}

//  ==========================================================================
//  socval config check | socval config keys

static void
s_print_problem (const char *problem, void *arg)
{
    printf ("%s: %s\n", (const char *) arg, problem);
}

static int
s_config (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval config check | socval config keys\n"
        "  check: reads the stack's config (--config FILE, $SOCVAL_CONFIG, or\n"
        "  DIR/socval.cfg) as the services do and prints each problem on a line:\n"
        "  an unknown key, a value outside its range or not among its choices, a\n"
        "  date that is not yyyy-mm-dd, a plain endpoint off this host. Exit 0\n"
        "  when there is none (or no file: the defaults), 1 when there is.\n"
        "  keys: every key with its default, what a value must be, and its meaning.\n";
    if (argc >= 1 && streq (argv [0], "--help"))
        return printf ("%s", usage), 0;
    if (argc == 1 && streq (argv [0], "keys")) {
        sv_config_print_keys (stdout);
        return 0;
    }
    if (argc != 1 || !streq (argv [0], "check"))
        return socval_usage (usage);
    const char *path = options->config_path? options->config_path: getenv ("SOCVAL_CONFIG");
    char *default_path = zsys_sprintf ("%s/socval.cfg", options->data_dir);
    if (!path && zsys_file_exists (default_path))
        path = default_path;
    int problems = 0;
    if (!path)
        printf ("no config file (%s does not exist): the defaults, which have no problem\n",
                default_path);
    else {
        problems = sv_config_verify (path, s_print_problem, (void *) path);
        //  What the services check once the keys themselves are right
        sv_config_t *config = problems? NULL: sv_config_load (path, NULL);
        if (config)
            problems += sv_security_verify (config, s_print_problem, (void *) path);
        sv_config_destroy (&config);
        if (problems == 0)
            printf ("%s: no problems\n", path);
    }
    zstr_free (&default_path);
    return problems? 1: 0;
}

//  ==========================================================================
//  socval status [--json]

static int
s_status (int argc, char *argv [], socval_options_t *options)
{
    const char *usage =
        "usage: socval status [--json] [--timeout S]\n"
        "  Each service's version, uptime, stream heads, consumer offsets and lag,\n"
        "  row counts, and problems (a data file it refused and runs without).\n"
        "  A service silent for S seconds (default 3) is shown as not answering,\n"
        "  and the exit is then 2.\n";
    int answered = socval_no_arguments (argc, argv, usage);
    if (answered >= 0)
        return answered;
    sv_config_t *config = socval_config (options);
    if (!config)
        return 2;
    //  A service that is down should not keep a person waiting long
    if (!options->timeout_given)
        options->timeout_s = 3;
    sv_proto_t replies [SOCVAL_SERVICES];
    memset (replies, 0, sizeof replies);
    socval_status_all (config, options->timeout_s * 1000, replies);
    json_t *all = json_array ();
    int rc = 0;
    for (size_t index = 0; index < SOCVAL_SERVICES; index++) {
        char key [64];
        snprintf (key, sizeof key, "%s/control_endpoint", socval_services [index]);
        const char *endpoint = sv_config_get (config, key);
        sv_proto_t reply = replies [index];
        if (reply.id != SV_PROTO_STATUS_REPLY) {
            rc = 2;
            json_array_append_new (all, json_pack ("{s:s, s:s, s:b}",
                "service", socval_services [index], "endpoint", endpoint, "answering", 0));
            if (!options->json)
                printf ("%-12s not answering at %s\n", socval_services [index], endpoint);
        }
        else {
            const sv_proto_status_reply_t *status = &reply.status_reply;
            json_t *streams = json_array (), *counts = json_object (), *consumers = json_array ();
            for (size_t i = 0; i < status->consumers_count; i++)
                json_array_append_new (consumers, json_pack ("{s:s, s:s, s:I, s:I, s:I, s:s}",
                    "stream", status->consumers [i].stream,
                    "endpoint", status->consumers [i].endpoint,
                    "offset", (json_int_t) status->consumers [i].offset,
                    "head_seq", (json_int_t) status->consumers [i].head_seq,
                    "lag", (json_int_t) status->consumers [i].lag,
                    "stalled", status->consumers [i].stalled));
            for (size_t i = 0; i < status->streams_count; i++)
                json_array_append_new (streams, json_pack ("{s:s, s:I}",
                    "name", status->streams [i].name,
                    "head_seq", (json_int_t) status->streams [i].head_seq));
            for (size_t i = 0; i < status->counts_count; i++)
                json_object_set_new (counts, status->counts [i].name,
                                     json_integer ((json_int_t) status->counts [i].rows));
            json_t *problems = json_array ();
            for (size_t i = 0; i < status->problems_count; i++)
                json_array_append_new (problems, json_pack ("{s:s, s:s}",
                    "subject", status->problems [i].subject,
                    "reason", status->problems [i].reason));
            json_array_append_new (all, json_pack ("{s:s, s:s, s:b, s:s, s:I, s:o, s:o, s:o, s:o}",
                "service", status->service, "endpoint", endpoint, "answering", 1,
                "version", status->version, "uptime_ms", (json_int_t) status->uptime_ms,
                "streams", streams, "consumers", consumers, "counts", counts,
                "problems", problems));
            if (!options->json) {
                printf ("%-12s %s, up %" PRIu64 " s\n", status->service, status->version,
                        status->uptime_ms / 1000);
                for (size_t i = 0; i < status->streams_count; i++)
                    printf ("  stream  %-10s head %" PRIu64 "\n", status->streams [i].name,
                            status->streams [i].head_seq);
                for (size_t i = 0; i < status->consumers_count; i++)
                    printf ("  follows %-10s offset %" PRIu64 ", head %" PRIu64 ", lag %" PRIu64 "\n",
                            status->consumers [i].stream, status->consumers [i].offset,
                            status->consumers [i].head_seq, status->consumers [i].lag);
                for (size_t i = 0; i < status->counts_count; i++)
                    printf ("  %-12s %" PRIu64 " rows\n", status->counts [i].name,
                            status->counts [i].rows);
                for (size_t i = 0; i < status->problems_count; i++)
                    printf ("  problem %s: %s\n", status->problems [i].subject,
                            status->problems [i].reason);
            }
        }
        sv_proto_reset (&replies [index]);
    }
    if (options->json) {
        json_t *root = json_pack ("{s:o}", "services", all);
        json_dumpf (root, stdout, JSON_PRESERVE_ORDER);
        printf ("\n");
        json_decref (root);
    }
    else
        json_decref (all);
    sv_config_destroy (&config);
    return rc;
}

//  ==========================================================================

static const char *s_usage_text =
    "usage: socval [--data DIR] [--config FILE] [--json] VERB ...\n"
    "  up [--no-examples]             start the stack in the foreground\n"
    "  demo                           the whole stack once, in a new folder\n"
    "  wait [--timeout S]             until every service has caught up\n"
    "  keys new NAME [--dir DIR]      a partner or service certificate\n"
    "  submit --kind KIND FILE        send a feed to ingest, print the receipt\n"
    "  status [--json]                services, stream heads, offsets, row counts\n"
    "  alerts [--follow] | alerts ack ID  compliance's alerts\n"
    "  report KIND [-o PATH]          annual, partnership, rlw-scope, alerts, contracts\n"
    "  explain KIND FIGURE            how one figure of a report is made, line by line\n"
    "  framework import FILE | list   TOMs frameworks held by valuation\n"
    "  suppliers resolve FILE...      suppliers' registered offices, SIC codes and\n"
    "                                 status from Companies House's bulk file\n"
    "  config check | config keys     the config's problems; every key and its default\n"
    "  Each verb has --help. The stack is found by --config, $SOCVAL_CONFIG,\n"
    "  or DIR/socval.cfg (--data DIR, default ./var).\n";

int
main (int argc, char *argv [])
{
    socval_options_t options = { .data_dir = "./var", .timeout_s = 30 };
    //  Global options may come before or after the verb
    char **rest = (char **) calloc ((size_t) argc + 1, sizeof (char *));
    int count = 0;
    for (int arg = 1; arg < argc; arg++) {
        if (streq (argv [arg], "--data") && arg + 1 < argc)
            options.data_dir = argv [++arg];
        else
        if (streq (argv [arg], "--config") && arg + 1 < argc)
            options.config_path = argv [++arg];
        else
        if (streq (argv [arg], "--json"))
            options.json = true;
        else
        if (streq (argv [arg], "--timeout") && arg + 1 < argc) {
            options.timeout_s = atoi (argv [++arg]);
            options.timeout_given = true;
        }
        else
            rest [count++] = argv [arg];
    }
    zsys_set_logident ("socval");
    //  --json output owns stdout: log lines (CZMQ's default is stdout) go
    //  to stderr
    zsys_set_logstream (stderr);
    int rc;
    if (count == 0 || streq (rest [0], "--help") || streq (rest [0], "help")) {
        printf ("%s", s_usage_text);
        rc = count == 0? 2: 0;
    }
    else
    if (streq (rest [0], "keys"))
        rc = s_keys (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "submit"))
        rc = socval_submit (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "status"))
        rc = s_status (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "up"))
        rc = socval_up (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "demo"))
        rc = socval_demo (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "wait"))
        rc = socval_wait (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "report"))
        rc = socval_report (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "explain"))
        rc = socval_explain (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "alerts"))
        rc = socval_alerts (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "framework"))
        rc = s_framework (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "suppliers"))
        rc = socval_suppliers (count - 1, rest + 1, &options);
    else
    if (streq (rest [0], "config"))
        rc = s_config (count - 1, rest + 1, &options);
    else {
        fprintf (stderr, "socval: no verb '%s'\n%s", rest [0], s_usage_text);
        rc = 2;
    }
    free (rest);
    //  zauth, when CURVE is on, must stop before CZMQ shuts down
    sv_security_stop ();
    sv_log_stop ();
    return rc;
}
