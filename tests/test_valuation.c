/*  test_valuation: the valuation service through the real processes.

    Starts socval-ingest and socval-valuation, submits a small hand-checked
    set of feeds through the socval command, waits for valuation to catch
    up, and reads the valuation stream as reporting will: the latest line
    of each source and place of each payee, each payment of ingest's stream
    placed by its payee's. The figures are computed by hand in the
    comments. Then a new framework version is imported and the lines it
    changes are checked; then valuation is SIGKILLed while a large spend
    feed streams through ingest, restarted, and every payment must be
    placed once, by a place per payee (never one per payment). Last, valuation is given a postcode directory it cannot use
    and must keep running, say why on STATUS, and go on valuing. The last
    line is "N passed, N failed".

    Usage: test_valuation [--short]     (run from the repository root)
*/

#include <czmq.h>
#include <jansson.h>
#include <sys/wait.h>
#include "sv_proto.h"
#include "testkit.h"

static char *s_dir;
static int s_timeout = 5;
static pid_t s_ingest, s_valuation;

#define s_socval(output, ...) testkit_socval (s_dir, s_timeout, output, __VA_ARGS__)

static void
s_write (const char *name, const char *text)
{
    testkit_write (s_dir, name, text);
}

static pid_t
s_start (const char *program)
{
    char *config = zsys_sprintf ("%s/socval.cfg", s_dir);
    pid_t pid = testkit_start (program, config);
    zstr_free (&config);
    return pid;
}

//  Ingest's stream head and valuation's offset in it (-1 when unknown)
static void
s_progress (int64_t *head_p, int64_t *offset_p)
{
    sv_proto_t reply = { .id = 0 };
    *head_p = *offset_p = -1;
    if (testkit_status ("tcp://127.0.0.1:17812", s_timeout * 1000, &reply) == 0 && reply.status_reply.streams_count)
        *head_p = (int64_t) reply.status_reply.streams [0].head_seq;
    sv_proto_reset (&reply);
    if (testkit_status ("tcp://127.0.0.1:17822", s_timeout * 1000, &reply) == 0 && reply.status_reply.consumers_count)
        *offset_p = (int64_t) reply.status_reply.consumers [0].offset;
    sv_proto_reset (&reply);
}

//  Waits until valuation has applied everything ingest holds. true if so.
static bool
s_settle (void)
{
    int64_t deadline = zclock_mono () + 60000;
    while (zclock_mono () < deadline) {
        int64_t head, offset;
        s_progress (&head, &offset);
        if (head > 0 && offset == head)
            return true;
        zclock_sleep (100);
    }
    return false;
}

//  The valuation stream as reporting reads it: the latest line per source
//  and place per payee; payments are ingest's, each placed by its payee's
typedef struct {
    int64_t committed;
    int64_t delivered;
    int64_t local;
    int64_t non_local;
    int64_t unknown;
    int flagged;
    int lines;                  //  latest lines and places
    int places;                 //  of those, places
    int events;                 //  every event, superseded ones too
    int64_t job01_committed;
    int with_ward;              //  latest valuation lines that name a ward
} s_figures_t;

//  Keeps the latest body of each key: a line sent again supersedes
static void
s_keep_latest (const sv_proto_event_t *event, void *arg)
{
    zhashx_update ((zhashx_t *) arg, event->key, zchunk_new (event->body, event->body_size));
}

//  The latest event of each key in a stream, as encoded bodies (zchunk)
static zhashx_t *
s_latest (const char *endpoint, const char *stream, int *events_p)
{
    zhashx_t *latest = zhashx_new ();
    zhashx_set_destructor (latest, (zhashx_destructor_fn *) zchunk_destroy);
    int events = (int) testkit_read_stream (endpoint, stream, s_timeout * 1000, s_keep_latest,
                                            latest);
    if (events_p)
        *events_p = events;
    return latest;
}

//  Calls fn with each payment ingest holds and its payee's place, as
//  reporting joins them (NULL: not placed yet)
typedef void (s_payment_fn) (const sv_proto_spend_t *spend, const sv_proto_place_t *place,
                             void *arg);

static void
s_payments (s_payment_fn *fn, void *arg)
{
    zhashx_t *places = s_latest ("tcp://127.0.0.1:17821", "valuation", NULL);
    zhashx_t *payments = s_latest ("tcp://127.0.0.1:17811", "ingest", NULL);
    for (zchunk_t *body = (zchunk_t *) zhashx_first (payments); body;
         body = (zchunk_t *) zhashx_next (payments)) {
        sv_proto_t spend = { .id = 0 };
        assert (sv_proto_decode (&spend, zchunk_data (body), zchunk_size (body)) == 0);
        if (spend.id == SV_PROTO_SPEND) {
            char *key = zsys_sprintf ("%s/%s/%s", spend.spend.partner, spend.spend.supplier_key,
                                      spend.spend.postcode);
            zchunk_t *placed = (zchunk_t *) zhashx_lookup (places, key);
            sv_proto_t place = { .id = 0 };
            assert (!placed
                 || sv_proto_decode (&place, zchunk_data (placed), zchunk_size (placed)) == 0);
            fn (&spend.spend, placed? &place.place: NULL, arg);
            sv_proto_reset (&place);
            zstr_free (&key);
        }
        sv_proto_reset (&spend);
    }
    zhashx_destroy (&payments);
    zhashx_destroy (&places);
}

static void
s_add_payment (const sv_proto_spend_t *spend, const sv_proto_place_t *place, void *arg)
{
    s_figures_t *figures = (s_figures_t *) arg;
    const char *locality = place? place->locality: "unknown";
    int64_t *bucket = streq (locality, "local")? &figures->local
                    : streq (locality, "non_local")? &figures->non_local
                    : &figures->unknown;
    *bucket += spend->amount_pence;
}

static s_figures_t
s_read_stream (void)
{
    s_figures_t figures = { 0 };
    zhashx_t *latest = s_latest ("tcp://127.0.0.1:17821", "valuation", &figures.events);
    for (zchunk_t *body = (zchunk_t *) zhashx_first (latest); body;
         body = (zchunk_t *) zhashx_next (latest)) {
        sv_proto_t line = { .id = 0 };
        assert (sv_proto_decode (&line, zchunk_data (body), zchunk_size (body)) == 0);
        figures.lines++;
        if (line.id == SV_PROTO_VALUATION_LINE) {
            const sv_proto_valuation_line_t *value = &line.valuation_line;
            if (*value->flag)
                figures.flagged++;
            if (streq (value->kind, "committed"))
                figures.committed += value->value_pence;
            else
                figures.delivered += value->value_pence;
            if (streq (value->kind, "committed") && streq (value->measure, "JOB-01"))
                figures.job01_committed += value->value_pence;
            if (*value->ward)
                figures.with_ward++;
        }
        else
        if (line.id == SV_PROTO_PLACE)
            figures.places++;
        sv_proto_reset (&line);
    }
    zhashx_destroy (&latest);
    s_payments (s_add_payment, &figures);
    return figures;
}

//  One supplier's payments as placed: their pence, and the locality and
//  place source they share ("mixed" if not)
typedef struct {
    const char *supplier_key;
    int64_t pence;
    char locality [16];
    char source [24];
} s_place_t;

static void
s_add_place (const sv_proto_spend_t *spend, const sv_proto_place_t *placed, void *arg)
{
    s_place_t *place = (s_place_t *) arg;
    if (strneq (spend->supplier_key, place->supplier_key))
        return;
    const char *locality = placed? placed->locality: "unknown";
    const char *source = placed? placed->place_source: "";
    if (place->pence == 0) {
        snprintf (place->locality, sizeof place->locality, "%s", locality);
        snprintf (place->source, sizeof place->source, "%s", source);
    }
    else
    if (!streq (place->locality, locality) || !streq (place->source, source))
        snprintf (place->locality, sizeof place->locality, "mixed");
    place->pence += spend->amount_pence;
}

static s_place_t
s_place_of (const char *supplier_key)
{
    s_place_t place = { .supplier_key = supplier_key };
    s_payments (s_add_place, &place);
    return place;
}

static bool
s_placed (const char *supplier_key, int64_t pence, const char *locality, const char *source)
{
    s_place_t place = s_place_of (supplier_key);
    bool ok = place.pence == pence && streq (place.locality, locality)
           && streq (place.source, source);
    if (!ok)
        printf ("     %s: %" PRId64 "p %s '%s', expected %" PRId64 "p %s '%s'\n", supplier_key,
                place.pence, place.locality, place.source, pence, locality, source);
    return ok;
}

static int
s_submit (const char *kind, const char *file)
{
    return s_socval (NULL, "submit --kind %s --key %s/keys/council.cert %s/%s >/dev/null",
                     kind, s_dir, s_dir, file);
}

//  A framework of our own, so the figures can be worked by hand
static const char *s_framework_1 =
    "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
    "test-fw,1,JOB-01,Jobs,Local employment,Local people employed (FTE),FTE,2024-25,\"£25,750.00\"\n"
    "test-fw,1,JOB-01,Jobs,Local employment,Local people employed (FTE),FTE,2025-26,\"£26,500.00\"\n"
    "test-fw,1,JOB-03,Jobs,Skills,Apprenticeship weeks,weeks,2024-25,£245.00\n"
    "test-fw,1,JOB-03,Jobs,Skills,Apprenticeship weeks,weeks,2025-26,£250.00\n";

int
main (int argc, char *argv [])
{
    bool short_run = argc > 1 && streq (argv [1], "--short");
    if (short_run)
        s_timeout = 60;
    s_dir = zsys_sprintf ("/tmp/sv_test_valuation_%d", getpid ());
    zsys_dir_create ("%s/keys/partners", s_dir);
    assert (s_socval (NULL, "keys new ingest >/dev/null") == 0);
    assert (s_socval (NULL, "keys new council >/dev/null") == 0);
    char *cert_path = zsys_sprintf ("%s/keys/council.cert", s_dir);
    char *public_path = zsys_sprintf ("%s/keys/partners/council.cert", s_dir);
    zcert_t *cert = zcert_load (cert_path);
    assert (cert && zcert_save_public (cert, public_path) == 0);
    s_write ("test-fw-1.csv", s_framework_1);
    char *config = zsys_sprintf (
        "data\n    dir = \"%s\"\n"
        "stream\n    batch_max = 1000\n"          //  many batches: a kill lands mid-stream
        "partners\n    council\n        public_key = \"%s\"\n        framework = \"test-fw\"\n"
        "        local_districts = \"S60-S66\"\n"
        "ingest\n    feed_endpoint = \"tcp://127.0.0.1:17810\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17811\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:17812\"\n"
        "valuation\n    frameworks = \"%s/test-fw-1.csv\"\n"
        "    stream_endpoint = \"tcp://127.0.0.1:17821\"\n"
        "    control_endpoint = \"tcp://127.0.0.1:17822\"\n",
        s_dir, zcert_public_txt (cert), s_dir);
    s_write ("socval.cfg", config);
    zcert_destroy (&cert);
    s_ingest = s_start ("build/socval-ingest");
    s_valuation = s_start ("build/socval-valuation");

    //  One contract starting 1 June 2024 (financial year 2024-25), whose
    //  commitments are priced at 2024-25 proxies whatever year they name
    s_write ("contracts.csv",
        "Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date\n"
        "C-001,Office cleaning,S1,Cleaning,250000.00,01/06/2024,31/03/2027\n");
    s_write ("commitments.csv",
        "Contract ID,Measure,Financial Year,Quantity\n"
        "C-001,JOB-01,2024-25,2.5\n"           //  2.5 x 2,575,000p = 6,437,500p
        "C-001,JOB-03,2025-26,104\n"           //  104 x 24,500p (2024-25) = 2,548,000p
        "C-001,XXX-99,2024-25,3\n");           //  unknown measure: flagged, 0p
    s_write ("deliveries.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence\n"
        "C-001,JOB-01,01/04/2024,31/03/2025,2,evidenced\n"     //  2 x 2,575,000p = 5,150,000p
        "C-001,JOB-03,01/04/2025,30/06/2025,12.5,claimed\n");  //  12.5 x 25,000p = 312,500p
    s_write ("suppliers.csv",
        "Supplier Name,Supplier ID,Postcode,SME\n"
        "Rotherham Cleaning Co-operative,S1,s602td,yes\n"
        "Far Away Ltd,S2,M1 1AA,no\n");
    s_write ("spend.csv",
        "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID\n"
        "15/05/2024,T1,\"£1,000.00\",Rotherham Cleaning Co-operative,S1\n"   //  local
        "16/05/2024,T2,500.00,Far Away Ltd,S2\n"                            //  non-local
        "17/05/2024,T3,250.00,Nobody Known,S3\n");                          //  unknown
    int rc = s_submit ("suppliers", "suppliers.csv") + s_submit ("contracts", "contracts.csv")
           + s_submit ("commitments", "commitments.csv")
           + s_submit ("deliveries", "deliveries.csv") + s_submit ("spend", "spend.csv");
    testkit_check (rc == 0 && s_settle (), "the feeds are taken and valuation catches up");

    s_figures_t figures = s_read_stream ();
    testkit_check (figures.committed == 6437500 + 2548000 && figures.flagged == 1,
             "committed value 8,985,500p, priced at the contract's start year; one unknown"
             " measure flagged");
    testkit_check (figures.delivered == 5150000 + 312500,
             "delivered value 5,462,500p, priced at each period's end year");
    testkit_check (figures.local == 100000 && figures.non_local == 50000 && figures.unknown == 25000,
             "local spend £1,000.00, non-local £500.00, unknown £250.00 (no postcode)");
    testkit_check (figures.lines == 8 && figures.places == 3,
             "one line per commitment and delivery, one place per payee (three suppliers)");

    //  A second version of the framework raises JOB-01's 2024-25 proxy to
    //  £30,000: the JOB-01 lines are valued again, the others left alone
    char *framework_2 = strdup (s_framework_1);
    for (char *at = strstr (framework_2, "test-fw,1,"); at; at = strstr (at + 1, "test-fw,1,"))
        at [8] = '2';
    s_write ("test-fw-2.csv", framework_2);
    free (framework_2);
    char *output = NULL;
    char *path = zsys_sprintf ("%s/test-fw-2.csv", s_dir);
    //  Same proxies: each line is restated under the new version (its
    //  lineage changed), with the same figures
    rc = s_socval (&output, "--json framework import %s", path);
    json_t *reply = json_loads (output, 0, NULL);
    free (output);
    s_figures_t restated = s_read_stream ();
    testkit_check (rc == 0 && json_integer_value (json_object_get (reply, "recomputed")) == 5
             && restated.committed == figures.committed && restated.delivered == figures.delivered,
             "a new version with the same proxies restates its 5 lines, same figures");
    json_decref (reply);
    char *raised = zsys_sprintf ("%s", s_framework_1);
    for (char *at = strstr (raised, "test-fw,1,"); at; at = strstr (at + 1, "test-fw,1,"))
        at [8] = '3';
    char *old_proxy = strstr (raised, "\"£25,750.00\"");
    memcpy (old_proxy, "\"£30,000.00\"", strlen ("\"£30,000.00\""));
    s_write ("test-fw-3.csv", raised);
    free (raised);
    zstr_free (&path);
    path = zsys_sprintf ("%s/test-fw-3.csv", s_dir);
    rc = s_socval (&output, "--json framework import %s", path);
    reply = json_loads (output, 0, NULL);
    free (output);
    figures = s_read_stream ();
    //  JOB-01 committed 2.5 x 3,000,000p = 7,500,000p; delivered 2 x 3,000,000p
    testkit_check (rc == 0 && json_integer_value (json_object_get (reply, "recomputed")) == 5
             && figures.job01_committed == 7500000
             && figures.committed == 7500000 + 2548000
             && figures.delivered == 6000000 + 312500,
             "a raised proxy values its lines again: committed 10,048,000p, delivered 6,312,500p");
    json_decref (reply);

    //  A framework file with a bad row is refused whole, naming the row
    s_write ("bad-fw.csv",
        "framework,version,measure,theme,outcome,description,unit,year,proxy\n"
        "test-fw,4,JOB-01,Jobs,x,y,FTE,2024-25,lots\n");
    zstr_free (&path);
    path = zsys_sprintf ("%s/bad-fw.csv", s_dir);
    rc = s_socval (&output, "--json framework import %s", path);
    reply = json_loads (output, 0, NULL);
    free (output);
    json_t *error = json_array_get (json_object_get (reply, "errors"), 0);
    testkit_check (rc == 1 && json_integer_value (json_object_get (error, "row")) == 2
             && s_read_stream ().committed == figures.committed,
             "a framework with a bad proxy is refused naming row 2; nothing changes");
    json_decref (reply);
    zstr_free (&path);

    //  SIGKILL valuation while a larger spend feed streams through ingest:
    //  after a restart every payment is placed once, by its payee, and
    //  valuation's stream holds a place per payee, never one per payment
    int rows = short_run? 5000: 50000;
    zchunk_t *csv = zchunk_new (NULL, 0);
    const char *header = "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID\n";
    zchunk_extend (csv, header, strlen (header));
    for (int row = 0; row < rows; row++) {
        char line [128];
        int size = snprintf (line, sizeof line, "01/07/2024,K%d,100.00,%s,%s\n", row,
                             row % 2? "Far Away Ltd": "Rotherham Cleaning Co-operative",
                             row % 2? "S2": "S1");
        zchunk_extend (csv, line, (size_t) size);
    }
    path = zsys_sprintf ("%s/large.csv", s_dir);
    FILE *file = fopen (path, "w");
    assert (fwrite (zchunk_data (csv), 1, zchunk_size (csv), file) == zchunk_size (csv));
    fclose (file);
    zchunk_destroy (&csv);
    zstr_free (&path);
    int64_t head, start;
    s_progress (&head, &start);
    rc = s_submit ("spend", "large.csv");
    //  Kill it once it is part way through
    int64_t offset = start, deadline = zclock_mono () + 30000;
    while (offset <= start && zclock_mono () < deadline)
        s_progress (&head, &offset);
    bool mid_stream = offset > start && offset < head;
    kill (s_valuation, SIGKILL);
    waitpid (s_valuation, NULL, 0);
    s_valuation = s_start ("build/socval-valuation");
    bool settled = s_settle ();
    figures = s_read_stream ();
    //  Every payment once: £100.00 each, alternately local and non-local
    printf ("     (killed at offset %" PRId64 " of %" PRId64 ")\n", offset, head);
    testkit_check (rc == 0 && settled && mid_stream && figures.lines == 8
             && figures.places == 3
             && figures.local == 100000 + (int64_t) (rows / 2) * 10000
             && figures.non_local == 50000 + (int64_t) (rows / 2) * 10000,
             "valuation killed mid-stream and restarted: every payment placed once, by its"
             " payee's one place");

    //  A partner whose local districts change has its spend classified
    //  again when valuation restarts: now M1 is local and S60 is not
    kill (s_valuation, SIGTERM);
    waitpid (s_valuation, NULL, 0);
    char *moved = strstr (config, "S60-S66");
    assert (moved);
    memcpy (moved, "M1     ", 7);
    s_write ("socval.cfg", config);
    s_valuation = s_start ("build/socval-valuation");
    int64_t ready_deadline = zclock_mono () + 10000, ready_offset = -1;
    while (ready_offset < 0 && zclock_mono () < ready_deadline)
        s_progress (&head, &ready_offset);
    figures = s_read_stream ();
    testkit_check (figures.local == 50000 + (int64_t) (rows / 2) * 10000
             && figures.non_local == 100000 + (int64_t) (rows / 2) * 10000
             && figures.lines == 8 && figures.events < 30,
             "changed local districts place the partner's payees again on restart, and no"
             " payment is sent again");

    //  A postcode directory valuation cannot use (the ONS best-fit lookup,
    //  which has no ward column) does not stop it: it stays up, names the
    //  file and the missing column on STATUS, and still values a delivery
    //  (placed by no directory: no ward is guessed for its postcode)
    kill (s_valuation, SIGTERM);
    waitpid (s_valuation, NULL, 0);
    const char *unusable = "tests/fixtures/postcodes/pcd_oa_lsoa_msoa_lad_excerpt.csv";
    char *with_lookup = zsys_sprintf ("%s    postcode_lookup = \"%s\"\n", config, unusable);
    s_write ("socval.cfg", with_lookup);
    zstr_free (&with_lookup);
    s_valuation = s_start ("build/socval-valuation");
    sv_proto_t status = { .id = 0 };
    int64_t status_deadline = zclock_mono () + 10000;
    while (testkit_status ("tcp://127.0.0.1:17822", 1000, &status) != 0
           && zclock_mono () < status_deadline)
        zclock_sleep (100);
    const sv_proto_status_reply_t *told = &status.status_reply;
    char *expected = zsys_sprintf ("%s: no ward column (looked for ward_code, osward, ward, "
                                   "wd##cd, wdcd)", unusable);
    bool problem_told = status.id == SV_PROTO_STATUS_REPLY && told->problems_count == 1
                     && streq (told->problems [0].subject, "valuation/postcode_lookup")
                     && strstr (told->problems [0].reason, expected) == told->problems [0].reason;
    sv_proto_reset (&status);
    testkit_socval (s_dir, 1, &output, "status");
    bool printed = output && strstr (output, expected);
    free (output);
    zstr_free (&expected);
    s_write ("more-deliveries.csv",
        "Contract ID,Measure,Period Start,Period End,Quantity,Evidence,Postcode\n"
        "C-001,JOB-03,01/07/2025,30/09/2025,4,claimed,BR8 7QP\n");     //  4 x 25,000p
    int submitted = s_submit ("deliveries", "more-deliveries.csv");
    settled = s_settle ();
    figures = s_read_stream ();
    bool still_up = waitpid (s_valuation, NULL, WNOHANG) == 0;
    testkit_check (problem_told && printed && submitted == 0 && settled && still_up
             && figures.delivered == 6000000 + 312500 + 100000 && figures.with_ward == 0,
             "an unusable postcode directory is named on STATUS; valuation stays up and"
             " values a delivery");

    //  Companies House: a real spend excerpt (Oxford City Council,
    //  January-March 2017) carries no postcode, so its payments are of
    //  unknown locality; the partner's supplier feed places one supplier
    //  (Mott MacDonald, OX1: not local, the local districts now being M1).
    //  A register excerpt made for the test then places two more by their
    //  unique names: Penna (M1 1AE, local), Atkins (KT18, not local); Mott
    //  MacDonald's registered office (M1) does not move it, since the
    //  partner's postcode wins; R P Cherry's name matches two companies and
    //  stays unknown, both named; Oxford Digital Media is not in it.
    s_write ("oxford-suppliers.csv", "Supplier Name,Supplier ID,Postcode\n"
                                     "MOTT MACDONALD LTD,20018311,OX1 1BX\n");
    char *copy = zsys_sprintf ("cp tests/fixtures/spend/oxford_jan-mar-2017.csv %s/oxford.csv",
                               s_dir);
    assert (system (copy) == 0);
    zstr_free (&copy);
    rc = s_submit ("suppliers", "oxford-suppliers.csv") + s_submit ("spend", "oxford.csv");
    settled = s_settle ();
    testkit_check (rc == 0 && settled
             && s_placed ("ID:20016203", 2414000, "unknown", "")
             && s_placed ("ID:20013684", 20000, "unknown", "")
             && s_placed ("ID:20018311", 338500, "non_local", "supplier")
             && s_placed ("ID:36701182", 54600, "unknown", ""),
             "a real spend excerpt without postcodes: Penna 2,414,000p, Atkins 20,000p and"
             " R P Cherry 54,600p unknown; Mott MacDonald 338,500p placed by the partner");
    rc = s_socval (&output, "suppliers resolve --key %s "
                   "tests/fixtures/companies_house/register-for-oxford-2017.csv", cert_path);
    if (output)
        printf ("%s", output);
    bool resolved = output
        && strstr (output, "ID:20016203: by unique name: PENNA PLC (90000001), registered"
                           " office M1 1AE, Active, SIC 78109")
        && strstr (output, "ID:20013684: by unique name: ATKINS LIMITED (90000002)")
        && strstr (output, "ID:36701182: not resolved: the name 'R P CHERRY & SON LTD' matches"
                           " more than one company: R.P. CHERRY AND SON LIMITED (90000004),"
                           " R P CHERRY & SON PLC (90000005)")
        && strstr (output, ": 3 accepted, 0 rejected");
    free (output);
    settled = s_settle ();
    testkit_check (rc == 0 && resolved && settled
             && s_placed ("ID:20016203", 2414000, "local", "registered_office")
             && s_placed ("ID:20013684", 20000, "non_local", "registered_office")
             && s_placed ("ID:20018311", 338500, "non_local", "supplier")
             && s_placed ("ID:36701182", 54600, "unknown", "")
             && s_placed ("ID:20015995", 270000, "unknown", ""),
             "resolved from the register: Penna 2,414,000p local and Atkins 20,000p non-local"
             " by their registered offices; the partner's postcode wins for Mott MacDonald;"
             " an ambiguous name is refused and stays unknown");
    //  The same month resolved again is the same batch: nothing changes
    int64_t head_before, head_after, ignored;
    s_progress (&head_before, &ignored);
    rc = s_socval (&output, "--json suppliers resolve --key %s "
                   "tests/fixtures/companies_house/register-for-oxford-2017.csv", cert_path);
    bool again = output && strstr (output, "\"found\":3,\"ambiguous\":1,\"not_found\":22")
              && strstr (output, "\"batch_id\": \"companies-");
    free (output);
    s_progress (&head_after, &ignored);
    testkit_check (rc == 0 && again && head_after == head_before,
                   "resolving the same file again adds nothing to ingest's stream");
    //  A register file without its number column is refused, naming it
    s_write ("broken-register.csv", "CompanyName,RegAddress.PostCode,CompanyStatus\n"
                                    "\"PENNA PLC\",\"M1 1AE\",\"Active\"\n");
    char *broken = zsys_sprintf ("%s/broken-register.csv", s_dir);
    rc = testkit_run (&output, "build/socval --data %s suppliers resolve --key %s %s 2>&1",
                      s_dir, cert_path, broken);
    testkit_check (rc == 1 && output && strstr (output, "broken-register.csv refused: ")
             && strstr (output, "company_number"),
             "a register file without CompanyNumber is refused whole, naming the column");
    free (output);
    zstr_free (&broken);

    kill (s_ingest, SIGTERM);
    kill (s_valuation, SIGTERM);
    waitpid (s_ingest, NULL, 0);
    waitpid (s_valuation, NULL, 0);
    char *remove = zsys_sprintf ("rm -rf '%s'", s_dir);
    assert (system (remove) == 0);
    zstr_free (&remove);
    zstr_free (&config);
    zstr_free (&cert_path);
    zstr_free (&public_path);
    zstr_free (&s_dir);
    return testkit_summary ();
}
