/*  ingest_server: the ingest actor. See ingest_server.h for its sockets
    and the flow of a batch. No SQL here (ingest_store) and no parsing
    (ingest_reader, in a thread of each batch's own): this file moves
    messages and keeps batches in order.
*/

#include "ingest_server.h"
#include "ingest_ocds.h"
#include "ingest_reader.h"
#include "ingest_store.h"
#include "sv_security.h"
#include "sv_service.h"
#include "sv_stream.h"
#include <sodium.h>
#include <sys/eventfd.h>
#include <xxhash.h>

#define S_VERSION "0.1.0"
#define S_IDLE_BATCH_MS (10 * 60 * 1000)   //  forget a batch silent this long
#define S_DIGEST_PREFIX "xxh3-128:"         //  a batch's digest as recorded
#define S_DIGEST_TEXT (sizeof S_DIGEST_PREFIX + 32)
#define S_LEGACY_SIZE 32                    //  BLAKE2b-256, the digest until XXH3
#define S_GROUP_MS 250                      //  commit an open transaction this often
#define S_TURN_ROWS 512                     //  rows taken of one batch before the next's turn
#define S_COUNTED_IN_MEMORY 262144          //  transaction numbers per spend file
                                            //  in the reader's table (then on disk)
#define S_RETRY_MS 1000                     //  how often a full store tries again

typedef struct _s_server_t s_server_t;

//  A batch whose chunks are arriving
typedef struct {
    s_server_t *server;
    char *key;                  //  "partner\nbatch_id": its entry in batches
    char *partner;
    char *batch_id;
    uint64_t attempt;           //  this attempt at the batch: see ingest_store_put
    char *kind;
    char *format;
    zframe_t *peer;             //  ROUTER identity of the connection sending it
    uint64_t next_chunk;
    XXH3_state_t *digest;       //  XXH3-128 over kind, format and every payload byte
    crypto_generichash_state *legacy;   //  the same in BLAKE2b-256, for a replay
    bool replay;                //  finished before: only compare the digest
    ingest_reader_t *reader;    //  reads the batch in a thread of its own
    void *turn;                 //  its place in the server's turns
    size_t in_hand;             //  chunks handed to the reader, not started on
    bool credited;              //  the first credit, the window, went out
    bool ended;                 //  the last chunk arrived
    uint64_t accepted;
    uint64_t rejected;
    uint64_t duplicates;
    zlistx_t *errors;           //  sv_proto_row_error_t *, at most max_errors
    zlistx_t *warnings;         //  sv_proto_row_error_t *, at most max_errors
    uint64_t warned;            //  warnings, listed or not
    bool failed;                //  the store failed under a row
    bool failed_full;           //  ... for want of disk space
    bool held;                  //  committed rows, held until it finishes
    uint64_t order;             //  when it started: a partner's go in this order
    int64_t touched;            //  zclock_mono of the last chunk
    zhashx_t *payees;           //  "supplier key\x1fpostcode" of the PAYEE events
                                //  this attempt sent (ingest_store_put_payee)
} s_batch_t;

struct _s_server_t {
    zsock_t *pipe;
    sv_config_t *config;
    zloop_t *loop;
    ingest_store_t *store;
    sv_stream_producer_t *producer;
    zcert_t *certificate;
    zsock_t *feed;
    zsock_t *control;
    sv_service_control_t answers;   //  what control answers, for its reader
    zhashx_t *partners;         //  Z85 public key -> partner name
    zhashx_t *batches;          //  "partner\nbatch_id" -> s_batch_t
    zlistx_t *turns;            //  s_batch_t * with readers, next turn first
    int wake_fd;                //  eventfd: a reader has news, or another turn is due
    s_batch_t *open_batch;      //  the batch whose rows the open transaction holds
    int64_t opened_at;          //  zclock_mono when that transaction began
    int64_t open_first;         //  the first seq that transaction can append
    uint64_t started_batches;   //  batches started, for s_batch_t.order
    char *full;                 //  while the disk is full: sv_db_full_reason when a
                                //  write last failed; NULL once rows are stored again
    bool truncate_due;          //  a rollback on a full disk left the log long
    zlistx_t *retractions;      //  s_retraction_t *: refused batches not yet taken back
    size_t max_errors;
    size_t max_document;
    int64_t credit;
    int64_t started;
};

//  ==========================================================================
//  A full disk
//
//  A store write that finds no room refuses its batch saying "disk full"
//  and where, and STATUS lists it as a problem (logged once) until a commit
//  stores rows again. The refused batch's committed rows are taken back,
//  which is a write too: when that finds no room either, they stay held
//  (never served: ingest_store.h) and are taken back on a timer once there
//  is room, while the partner's batches that may store the same records
//  wait (s_batch_waits). The log a rolled-back transaction grew keeps its
//  length until it is truncated, then or on the same timer.

//  A refused batch whose committed rows wait to be taken back
typedef struct {
    uint64_t attempt;
    char *partner;
    char *batch_id;
    bool spend;                 //  of kind spend: see s_batch_waits
} s_retraction_t;

static void
s_retraction_destroy (void **item_p)
{
    s_retraction_t *self = (s_retraction_t *) *item_p;
    if (self) {
        zstr_free (&self->partner);
        zstr_free (&self->batch_id);
        free (self);
        *item_p = NULL;
    }
}

//  Notes that a store write failed: call it before any other statement
//  runs (sv_db_full). Returns true when the write found the disk full;
//  the log is then truncated once the caller has rolled back.
static bool
s_store_failed (s_server_t *self)
{
    sv_db_t *db = ingest_store_db (self->store);
    if (!sv_db_full (db))
        return false;
    if (!self->full)
        zsys_error ("ingest: %s; the store cannot write, and batches that do not fit are"
                    " refused", sv_db_error (db));
    zstr_free (&self->full);
    self->full = sv_db_full_reason (db);
    self->truncate_due = true;
    return true;
}

//  Notes that a commit stored rows: the disk has room again
static void
s_store_wrote (s_server_t *self)
{
    if (self->full) {
        zsys_info ("ingest: the store writes again (it stopped at %s)", self->full);
        zstr_free (&self->full);
    }
}

//  Gives back the space of the log, when a rollback on a full disk left it
//  long and nothing holds it
static void
s_truncate_log (s_server_t *self)
{
    sv_db_t *db = ingest_store_db (self->store);
    if (self->truncate_due && !sv_db_in_transaction (db) && sv_db_truncate_log (db) == 0)
        self->truncate_due = false;
}

//  Takes back what attempt at partner's batch_id committed, in a
//  transaction of its own. 0, or -1 when the store failed (then nothing
//  changed).
static int
s_retract (s_server_t *self, uint64_t attempt, const char *partner, const char *batch_id)
{
    sv_db_t *db = ingest_store_db (self->store);
    if (sv_db_begin (db) == 0
    &&  ingest_store_retract (self->store, attempt, partner) == 0
    &&  sv_db_commit (db) == 0) {
        sv_stream_producer_notify (self->producer);
        return 0;
    }
    if (!s_store_failed (self))     //  a full disk is logged once
        zsys_error ("ingest: cannot take back %s batch %s yet: %s", partner, batch_id,
                    sv_db_error (db));
    if (sv_db_in_transaction (db))
        sv_db_rollback (db);
    return -1;
}

static int s_commit_open (s_server_t *self);
static void s_turn_soon (s_server_t *self);

//  Takes back the refused batches still held, oldest first, and truncates
//  the log when due
static int
s_retry (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_server_t *self = (s_server_t *) arg;
    if (zlistx_size (self->retractions) == 0 && !self->truncate_due)
        return 0;
    s_commit_open (self);           //  each needs the store to itself
    s_retraction_t *retraction;
    while ((retraction = (s_retraction_t *) zlistx_first (self->retractions))
       &&  s_retract (self, retraction->attempt, retraction->partner,
                      retraction->batch_id) == 0) {
        zsys_info ("ingest: took back %s batch %s, refused earlier", retraction->partner,
                   retraction->batch_id);
        zlistx_delete (self->retractions, zlistx_cursor (self->retractions));
        s_turn_soon (self);         //  batches waiting for it may go
    }
    s_truncate_log (self);
    return 0;
}

//  ==========================================================================
//  Batches

static void
s_row_error_destroy (void **item_p)
{
    sv_proto_row_error_t *error = (sv_proto_row_error_t *) *item_p;
    free (error->column);
    free (error->reason);
    free (error);
    *item_p = NULL;
}

static void
s_batch_destroy (void **item_p)
{
    s_batch_t *self = (s_batch_t *) *item_p;
    if (!self)
        return;
    ingest_reader_destroy (&self->reader);
    XXH3_freeState (self->digest);
    free (self->legacy);
    zlistx_destroy (&self->errors);
    zlistx_destroy (&self->warnings);
    zframe_destroy (&self->peer);
    zstr_free (&self->key);
    zstr_free (&self->partner);
    zstr_free (&self->batch_id);
    zstr_free (&self->kind);
    zstr_free (&self->format);
    zhashx_destroy (&self->payees);
    free (self);
    *item_p = NULL;
}

//  Marks batch failed by the store, under its rows or their commit.
//  Returns -1.
static int
s_batch_failed (s_batch_t *self)
{
    self->failed = true;
    self->failed_full = s_store_failed (self->server);
    return -1;
}

//  A commitment or delivery on a contract ingest has never seen creates
//  the contract as a stub flagged incomplete, so every later stage can
//  name it; the contract's own feed replaces the stub when it comes.
static void s_batch_warning (void *arg, uint64_t row, const char *column, const char *reason);

static int
s_ensure_contract (s_batch_t *self, const char *contract_id)
{
    ingest_store_t *store = self->server->store;
    if (ingest_store_has (store, "CONTRACT", self->partner, contract_id))
        return 0;
    char *reason = zsys_sprintf ("contract '%.200s' is not known: created as an incomplete"
                                 " stub until the contract itself is sent", contract_id);
    s_batch_warning (self, 0, "contract_id", reason);
    zstr_free (&reason);
    sv_proto_t stub = { .id = SV_PROTO_CONTRACT };
    stub.contract.partner = self->partner;
    stub.contract.contract_id = (char *) contract_id;
    stub.contract.rlw_in_scope = "derive";
    stub.contract.incomplete = true;
    return ingest_store_put (store, self->partner, contract_id, self->batch_id,
                             self->attempt, &stub)
           == INGEST_PUT_FAILED? -1: 0;
}

//  An OCDS contract or KPI row's process and release, read from its body
typedef struct {
    char ocid [256];
    ingest_store_release_t release;
} s_release_t;

//  Reads the process and release an OCDS contract or KPI row was read from
//  into *release and compares it with the latest release of that process
//  held.
//  Returns 1 when the row has a release and may be stored, 2 when its
//  release is certainly older than the one held (it is then not stored,
//  and a warning says so), 0 when it has no release, -1 on a database
//  error.
static int
s_contract_release (s_batch_t *self, const ingest_store_row_t *row, s_release_t *release)
{
    sv_proto_t message = { .id = 0 };
    int rc = 0;
    const char *ocid = "", *date = "";
    if (sv_proto_decode (&message, row->body, row->body_size) == 0) {
        if (message.id == SV_PROTO_CONTRACT)
            ocid = message.contract.ocid, date = message.contract.release_date;
        else
        if (message.id == SV_PROTO_KPI)
            ocid = message.kpi.ocid, date = message.kpi.release_date;
    }
    if (*ocid && strlen (ocid) < sizeof release->ocid
    &&  ingest_ocds_date_span (date, &release->release.first, &release->release.last) == 0) {
        snprintf (release->ocid, sizeof release->ocid, "%s", ocid);
        snprintf (release->release.date, sizeof release->release.date, "%s", date);
        ingest_store_release_t held;
        int found = ingest_store_release (self->server->store, self->partner, release->ocid,
                                          &held);
        rc = found < 0? -1: found && release->release.last < held.first? 2: 1;
        if (rc == 2) {
            char *reason = zsys_sprintf ("%s '%.200s': its release of %s is older than"
                                         " the release of %s its process %s is held from;"
                                         " not applied", message.id == SV_PROTO_KPI
                                         ? "KPI": "contract", row->natural_key,
                                         release->release.date, held.date, release->ocid);
            s_batch_warning (self, 0, "date", reason);
            zstr_free (&reason);
        }
    }
    sv_proto_reset (&message);
    return rc;
}

//  Sends the payee a payment stored names, once an attempt: valuation
//  places payees, not payments (PAYEE). The events go with the batch's
//  rows, held and taken back with them, so a refused batch leaves no payee
//  behind. 0 or -1.
static int
s_batch_payee (s_batch_t *self, const ingest_store_row_t *row)
{
    if (!row->supplier_key)
        return 0;               //  not a payment
    if (!self->payees)
        self->payees = zhashx_new ();
    //  A payee too long to remember is sent with each of its payments
    char payee [1024];
    bool fits = (size_t) snprintf (payee, sizeof payee, "%s\x1f%s", row->supplier_key,
                                   row->postcode) < sizeof payee;
    if (fits && zhashx_lookup (self->payees, payee))
        return 0;
    int rc = ingest_store_put_payee (self->server->store, self->partner, row->supplier_key,
                                     row->postcode, row->supplier_name);
    if (rc == 0 && fits)
        zhashx_insert (self->payees, payee, self);
    return rc;
}

static int
s_batch_rows (void *arg, const ingest_store_row_t *rows, size_t count)
{
    s_batch_t *self = (s_batch_t *) arg;
    assert (count <= INGEST_STORE_MANY);
    for (size_t index = 0; index < count; index++)
        if (rows [index].contract_id && s_ensure_contract (self, rows [index].contract_id))
            return s_batch_failed (self);
    //  Contracts and KPIs from releases older than held are left out; any
    //  other rows, a spend file's, go as they came, without a copy
    const ingest_store_row_t *stored = rows;
    ingest_store_row_t kept [INGEST_STORE_MANY];
    s_release_t releases [INGEST_STORE_MANY];
    bool released [INGEST_STORE_MANY] = { false };
    size_t stored_count = count;
    bool contracts = false;
    for (size_t index = 0; index < count && !contracts; index++)
        contracts = rows [index].id == SV_PROTO_CONTRACT || rows [index].id == SV_PROTO_KPI;
    if (contracts) {
        stored_count = 0;
        for (size_t index = 0; index < count; index++) {
            int rc = rows [index].id == SV_PROTO_CONTRACT || rows [index].id == SV_PROTO_KPI
                   ? s_contract_release (self, &rows [index], &releases [stored_count]): 0;
            if (rc < 0)
                return s_batch_failed (self);
            if (rc == 2)
                self->duplicates++;
            else {
                //  Only a contract row records its process's release
                released [stored_count] = rc == 1 && rows [index].id == SV_PROTO_CONTRACT;
                kept [stored_count++] = rows [index];
            }
        }
        stored = kept;
    }
    ingest_put_t puts [INGEST_STORE_MANY];
    if (ingest_store_put_many (self->server->store, self->partner, self->batch_id,
                               self->attempt, stored, stored_count, puts))
        return s_batch_failed (self);
    for (size_t index = 0; index < stored_count; index++) {
        if (puts [index] == INGEST_PUT_REPLACED) {
            char *reason = zsys_sprintf ("'%.200s' was already taken from this batch with"
                                         " other content: the later row replaced it",
                                         stored [index].natural_key);
            s_batch_warning (self, 0, "", reason);
            zstr_free (&reason);
        }
        if (puts [index] == INGEST_PUT_ACCEPTED || puts [index] == INGEST_PUT_REPLACED) {
            self->accepted++;
            if (s_batch_payee (self, &stored [index]))
                return s_batch_failed (self);
        }
        else
            self->duplicates++;
        //  Held unchanged too: it is now known as of this release
        if (released [index]
        &&  ingest_store_set_release (self->server->store, self->partner,
                                      stored [index].natural_key, self->attempt,
                                      releases [index].ocid, &releases [index].release))
            return s_batch_failed (self);
    }
    return 0;
}

//  Lists an error or warning, while the list has fewer than max_errors
static void
s_batch_list (s_batch_t *self, zlistx_t *list, uint64_t row, const char *column,
              const char *reason)
{
    if (zlistx_size (list) < self->server->max_errors) {
        sv_proto_row_error_t *error = (sv_proto_row_error_t *) zmalloc (sizeof *error);
        error->row = row;
        error->column = strdup (column? column: "");
        error->reason = strdup (reason);
        zlistx_add_end (list, error);
    }
}

static void
s_batch_error (void *arg, uint64_t row, const char *column, const char *reason)
{
    s_batch_t *self = (s_batch_t *) arg;
    self->rejected++;
    s_batch_list (self, self->errors, row, column, reason);
}

static void
s_batch_warning (void *arg, uint64_t row, const char *column, const char *reason)
{
    s_batch_t *self = (s_batch_t *) arg;
    self->warned++;
    s_batch_list (self, self->warnings, row, column, reason);
}

//  ==========================================================================
//  Replies

static void
s_send_credit (s_server_t *self, zframe_t *peer, const char *batch_id, uint64_t credit)
{
    sv_proto_t message = { .id = SV_PROTO_CREDIT };
    message.credit.batch_id = (char *) batch_id;
    message.credit.credit = credit;
    sv_service_reply (self->feed, peer, &message);
}

static void
s_send_refusal (s_server_t *self, zframe_t *peer, const char *batch_id, const char *reason)
{
    sv_proto_row_error_t error = { .row = 0, .column = "", .reason = (char *) reason };
    sv_proto_t message = { .id = SV_PROTO_RECEIPT };
    message.receipt.batch_id = (char *) batch_id;
    message.receipt.state = "refused";
    message.receipt.errors = &error;
    message.receipt.errors_count = 1;
    sv_service_reply (self->feed, peer, &message);
}

//  ==========================================================================
//  Group commits
//
//  Rows are committed in groups rather than per chunk (DESIGN: N rows or T
//  ms): an open transaction holds one batch's rows only, and is committed
//  before another batch's chunk, before a STATUS answer, before a receipt,
//  and at least every S_GROUP_MS. Credit is flow control, not an
//  acknowledgement, so it may go out before the commit; only the receipt
//  says rows are stored. Until then the rows committed stay the batch's
//  own (ingest_store_hold): a batch that does not finish well is taken
//  back whole (s_batch_forget), and adds nothing.

static int s_batch_forget (s_server_t *self, s_batch_t *batch);
static void s_batch_refuse (s_server_t *self, s_batch_t *batch, const char *reason);

//  Commits the open transaction, if any. When the commit fails, the batch
//  it belonged to is refused (the partner sends it again). 0 or -1.
static int
s_commit_open (s_server_t *self)
{
    s_batch_t *batch = self->open_batch;
    if (!batch)
        return 0;
    self->open_batch = NULL;
    sv_db_t *db = ingest_store_db (self->store);
    if (ingest_store_hold (self->store, batch->attempt, batch->partner, batch->batch_id,
                           self->open_first) == 0
    &&  sv_db_commit (db) == 0) {
        batch->held = true;
        s_store_wrote (self);
        return 0;
    }
    s_batch_failed (batch);
    if (!batch->failed_full)        //  a full disk is logged once
        zsys_error ("ingest: commit failed: %s", sv_db_error (db));
    sv_db_rollback (db);
    s_batch_refuse (self, batch, NULL);
    return -1;
}

//  Opens a transaction for batch, committing another batch's first. 0, or
//  -1 with the batch marked failed.
static int
s_open_for (s_server_t *self, s_batch_t *batch)
{
    if (self->open_batch == batch)
        return 0;
    s_commit_open (self);
    sv_db_t *db = ingest_store_db (self->store);
    if (sv_db_begin (db) == 0 && (self->open_first = sv_stream_last (db) + 1) > 0) {
        self->open_batch = batch;
        self->opened_at = zclock_mono ();
        return 0;
    }
    s_batch_failed (batch);
    if (sv_db_in_transaction (db))
        sv_db_rollback (db);
    return -1;
}

static int
s_group_timer (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_server_t *self = (s_server_t *) arg;
    if (self->open_batch && zclock_mono () - self->opened_at >= S_GROUP_MS)
        s_commit_open (self);
    return 0;
}

//  ==========================================================================
//  SUBMIT

//  Adds bytes to the batch's digests
static void
s_batch_digest (s_batch_t *batch, const void *data, size_t size)
{
    XXH3_128bits_update (batch->digest, data, size);
    if (batch->legacy)
        crypto_generichash_update (batch->legacy, (const byte *) data, size);
}

static s_batch_t *
s_batch_start (s_server_t *self, const char *partner, zframe_t *peer,
               const sv_proto_submit_t *submit, const char **reason_p)
{
    s_batch_t *batch = (s_batch_t *) zmalloc (sizeof (s_batch_t));
    batch->server = self;
    batch->key = zsys_sprintf ("%s\n%s", partner, submit->batch_id);
    batch->partner = strdup (partner);
    batch->batch_id = strdup (submit->batch_id);
    //  A number of this attempt's own, never 0 (the records of before)
    do
        randombytes_buf (&batch->attempt, sizeof batch->attempt);
    while (batch->attempt == 0);
    batch->kind = strdup (submit->kind);
    batch->format = strdup (submit->format);
    batch->order = ++self->started_batches;
    batch->peer = zframe_dup (peer);
    batch->errors = zlistx_new ();
    zlistx_set_destructor (batch->errors, s_row_error_destroy);
    batch->warnings = zlistx_new ();
    zlistx_set_destructor (batch->warnings, s_row_error_destroy);

    //  Whether it was finished before is only known for sure at the end,
    //  when the digest is complete; until then a finished id is replayed
    //  without touching the store. It may have been recorded with the
    //  digest of before, so a replay works that one out as well.
    int state = ingest_store_batch_lookup (self->store, partner, submit->batch_id, "", NULL);
    batch->replay = state == INGEST_BATCH_CONFLICT || state == INGEST_BATCH_DONE;
    batch->digest = XXH3_createState ();
    assert (batch->digest);
    XXH3_128bits_reset (batch->digest);
    if (batch->replay) {
        //  The hash state asks for 64-byte alignment, more than malloc gives
        batch->legacy = (crypto_generichash_state *)
            aligned_alloc (64, (sizeof (crypto_generichash_state) + 63) / 64 * 64);
        assert (batch->legacy);
        crypto_generichash_init (batch->legacy, NULL, 0, S_LEGACY_SIZE);
    }
    s_batch_digest (batch, submit->kind, strlen (submit->kind) + 1);
    s_batch_digest (batch, submit->format, strlen (submit->format) + 1);
    //  A workbook's sheet is part of what was sent (none: the digest of before)
    if (submit->sheet && *submit->sheet)
        s_batch_digest (batch, submit->sheet, strlen (submit->sheet) + 1);
    if (!batch->replay) {
        zconfig_t *settings = NULL;
        for (zconfig_t *item = sv_config_children (self->config, "partners"); item;
             item = zconfig_next (item))
            if (streq (zconfig_name (item), partner))
                settings = item;
        batch->reader = ingest_reader_new (partner, submit->batch_id, submit->kind,
                                           submit->format, settings, self->max_document,
                                           S_COUNTED_IN_MEMORY, s_batch_rows, s_batch_error,
                                           batch, self->wake_fd, reason_p);
        if (!batch->reader
        ||  ingest_reader_set_sheet (batch->reader, submit->sheet, reason_p)) {
            void *item = batch;
            s_batch_destroy (&item);
            return NULL;
        }
        ingest_reader_set_warning (batch->reader, s_batch_warning);
        //  The partner's own list, else the stack's (DESIGN: beneficiary
        //  groups come from a declared list)
        const char *groups = settings? zconfig_get (settings, "beneficiary_groups", NULL): NULL;
        ingest_reader_set_groups (batch->reader, groups? groups
                                  : sv_config_get (self->config, "ingest/beneficiary_groups"));
        batch->turn = zlistx_add_end (self->turns, batch);
    }
    return batch;
}

//  A list's errors or warnings as one array for a receipt; the strings
//  stay the list's. Caller frees the array.
static sv_proto_row_error_t *
s_row_errors (zlistx_t *list)
{
    sv_proto_row_error_t *array = (sv_proto_row_error_t *)
        zmalloc ((zlistx_size (list) + 1) * sizeof (sv_proto_row_error_t));
    size_t index = 0;
    for (sv_proto_row_error_t *item = (sv_proto_row_error_t *) zlistx_first (list); item;
         item = (sv_proto_row_error_t *) zlistx_next (list))
        array [index++] = *item;
    return array;
}

//  A CSV file's columns, as a receipt lists them
typedef struct {
    sv_proto_column_map_t *items;
    size_t count;
} s_columns_t;

static void
s_add_column (const char *source, const char *field, void *arg)
{
    s_columns_t *columns = (s_columns_t *) arg;
    columns->items = (sv_proto_column_map_t *)
        realloc (columns->items, (columns->count + 1) * sizeof (sv_proto_column_map_t));
    assert (columns->items);
    columns->items [columns->count++] = (sv_proto_column_map_t) {
        .source = strdup (source), .field = strdup (field? field: "")
    };
}

static void
s_columns_free (s_columns_t *columns)
{
    for (size_t index = 0; index < columns->count; index++) {
        free (columns->items [index].source);
        free (columns->items [index].field);
    }
    free (columns->items);
}

//  Ends a batch: commits what finish emits with the receipt, then answers,
//  and forgets it
static void
s_batch_finish (s_server_t *self, s_batch_t *batch)
{
    XXH128_canonical_t hash;
    XXH128_canonicalFromHash (&hash, XXH3_128bits_digest (batch->digest));
    char digest [S_DIGEST_TEXT] = S_DIGEST_PREFIX;
    sodium_bin2hex (digest + strlen (digest), sizeof digest - strlen (digest),
                    hash.digest, sizeof hash.digest);
    if (batch->replay) {
        zchunk_t *stored = NULL;
        int state = ingest_store_batch_lookup (self->store, batch->partner, batch->batch_id,
                                               digest, &stored);
        if (state == INGEST_BATCH_CONFLICT) {
            byte legacy [S_LEGACY_SIZE];
            char text [S_LEGACY_SIZE * 2 + 1];
            crypto_generichash_final (batch->legacy, legacy, sizeof legacy);
            sodium_bin2hex (text, sizeof text, legacy, sizeof legacy);
            state = ingest_store_batch_lookup (self->store, batch->partner, batch->batch_id,
                                               text, &stored);
        }
        if (state == INGEST_BATCH_DONE) {
            zmsg_t *msg = zmsg_new ();
            zmsg_addmem (msg, zframe_data (batch->peer), zframe_size (batch->peer));
            zmsg_addmem (msg, zchunk_data (stored), zchunk_size (stored));
            if (zmsg_send (&msg, self->feed))
                zmsg_destroy (&msg);
        }
        else {
            char *reason = zsys_sprintf ("batch id '%s' was already used for a batch with"
                                         " other content; give this one a new id",
                                         batch->batch_id);
            s_send_refusal (self, batch->peer, batch->batch_id, reason);
            zstr_free (&reason);
        }
        zchunk_destroy (&stored);
        s_batch_forget (self, batch);
        return;
    }
    sv_db_t *db = ingest_store_db (self->store);
    bool ok = s_open_for (self, batch) == 0;
    sv_proto_t receipt = { .id = SV_PROTO_RECEIPT };
    if (ok) {
        //  Said when the errors listed are not all there were
        if (batch->rejected > zlistx_size (batch->errors)) {
            char *reason = zsys_sprintf ("%" PRIu64 " rows were rejected; the first %zu are"
                                         " listed (ingest/max_errors)", batch->rejected,
                                         zlistx_size (batch->errors));
            s_batch_warning (batch, 0, "", reason);
            zstr_free (&reason);
        }
        sv_proto_row_error_t *errors = s_row_errors (batch->errors);
        sv_proto_row_error_t *warnings = s_row_errors (batch->warnings);
        s_columns_t columns = { 0 };
        ingest_reader_columns (batch->reader, s_add_column, &columns);
        receipt.receipt.batch_id = batch->batch_id;
        receipt.receipt.state = batch->rejected? "partial": "accepted";
        receipt.receipt.accepted = batch->accepted;
        receipt.receipt.rejected = batch->rejected;
        receipt.receipt.duplicates = batch->duplicates;
        receipt.receipt.errors = errors;
        receipt.receipt.errors_count = zlistx_size (batch->errors);
        receipt.receipt.warnings = warnings;
        receipt.receipt.warnings_count = zlistx_size (batch->warnings);
        receipt.receipt.warned = batch->warned;
        receipt.receipt.columns = columns.items;
        receipt.receipt.columns_count = columns.count;
        ok = ingest_store_batch_finish (self->store, batch->partner, batch->batch_id,
                                        batch->kind, digest, &receipt) == 0
          && ingest_store_publish (self->store, batch->attempt) == 0
          && sv_db_commit (db) == 0;
        //  The receipt goes out only after the rows it counts are committed
        if (ok) {
            self->open_batch = NULL;
            batch->held = false;
            s_store_wrote (self);
            sv_stream_producer_notify (self->producer);
            sv_service_reply (self->feed, batch->peer, &receipt);
            zsys_info ("ingest: %s batch %s (%s %s): %" PRIu64 " accepted, %" PRIu64
                       " rejected, %" PRIu64 " duplicates", batch->partner, batch->batch_id,
                       batch->kind, batch->format, batch->accepted, batch->rejected,
                       batch->duplicates);
        }
        else
            s_batch_failed (batch);
        free (errors);
        free (warnings);
        s_columns_free (&columns);
    }
    if (ok)
        s_batch_forget (self, batch);
    else {
        if (sv_db_in_transaction (db))
            sv_db_rollback (db);
        self->open_batch = NULL;
        const char *reason = ingest_reader_reason (batch->reader);
        s_batch_refuse (self, batch, batch->failed || !*reason? NULL: reason);
    }
}

//  Drops a batch's state. A batch that did not finish well adds nothing:
//  rows of its in the open transaction are rolled back, and those it
//  committed are taken back (ingest_store_retract). Should that fail (a
//  full disk), they stay held, never served, and are taken back on the
//  retry timer, or when the store next opens. 0, or -1 when its rows wait
//  to be taken back.
static int
s_batch_forget (s_server_t *self, s_batch_t *batch)
{
    if (batch->turn)
        zlistx_delete (self->turns, batch->turn);
    sv_db_t *db = ingest_store_db (self->store);
    if (self->open_batch == batch) {
        sv_db_rollback (db);
        self->open_batch = NULL;
    }
    int rc = 0;
    if (batch->held) {
        s_commit_open (self);
        if (s_retract (self, batch->attempt, batch->partner, batch->batch_id)) {
            s_retraction_t *retraction = (s_retraction_t *) zmalloc (sizeof *retraction);
            *retraction = (s_retraction_t) {
                batch->attempt, strdup (batch->partner), strdup (batch->batch_id),
                streq (batch->kind, "spend")
            };
            zlistx_add_end (self->retractions, retraction);
            rc = -1;
        }
    }
    s_truncate_log (self);
    zhashx_delete (self->batches, batch->key);
    return rc;
}

//  Refuses a batch: takes it back whole first (s_batch_forget), so that a
//  refusal, like a receipt, tells what the store holds. reason NULL: the
//  store failed under it (s_batch_failed), which the refusal explains.
static void
s_batch_refuse (s_server_t *self, s_batch_t *batch, const char *reason)
{
    zframe_t *peer = zframe_dup (batch->peer);
    char *batch_id = strdup (batch->batch_id);
    //  Copied now: the reader's reason goes with the batch, and the disk's
    //  may go with a commit while it is taken back
    char *given = reason? strdup (reason): NULL;
    char *full = batch->failed_full && self->full? strdup (self->full): NULL;
    bool kept = s_batch_forget (self, batch) != 0;
    const char *held = kept? " (the rows it had stored are held back, never served, and taken"
                             " back once the store can write)": "";
    char *text;
    if (given)
        text = kept? zsys_sprintf ("%s; the batch was not stored%s", given, held): strdup (given);
    else
    if (full)
        text = zsys_sprintf ("ingest could not store the batch: %s; the batch was not stored%s:"
                             " send it again once there is room", full, held);
    else
        text = zsys_sprintf ("ingest could not store the batch%s; send it again", held);
    s_send_refusal (self, peer, batch_id, text);
    zframe_destroy (&peer);
    zstr_free (&batch_id);
    zstr_free (&given);
    zstr_free (&full);
    zstr_free (&text);
}

static void
s_handle_submit (s_server_t *self, zframe_t *peer, const char *partner,
                 const sv_proto_submit_t *submit)
{
    char *key = zsys_sprintf ("%s\n%s", partner, submit->batch_id);
    s_batch_t *batch = (s_batch_t *) zhashx_lookup (self->batches, key);
    if (submit->chunk_no == 0) {
        //  A batch starting again (the partner lost our answers) starts over
        if (batch)
            s_batch_forget (self, batch);
        const char *reason = NULL;
        batch = s_batch_start (self, partner, peer, submit, &reason);
        if (!batch) {
            s_send_refusal (self, peer, submit->batch_id, reason);
            zstr_free (&key);
            return;
        }
        zhashx_insert (self->batches, key, batch);
    }
    else
    if (!batch || submit->chunk_no != batch->next_chunk) {
        char *reason = zsys_sprintf ("chunk %" PRIu64 " arrived, expected %" PRIu64
                                     "; send the batch again from chunk 0",
                                     submit->chunk_no, batch? batch->next_chunk: 0);
        if (batch)
            s_batch_forget (self, batch);
        s_send_refusal (self, peer, submit->batch_id, reason);
        zstr_free (&reason);
        zstr_free (&key);
        return;
    }
    else
    if (batch->in_hand >= (size_t) self->credit) {
        s_batch_forget (self, batch);
        s_send_refusal (self, peer, submit->batch_id, "more chunks were sent than the credit"
                        " given; send the batch again from chunk 0");
        zstr_free (&key);
        return;
    }
    s_batch_digest (batch, submit->payload, submit->payload_size);
    batch->touched = zclock_mono ();
    batch->next_chunk++;
    if (batch->replay) {
        //  Only the digest counts: the receipt at the end, credit meanwhile
        if (submit->last)
            s_batch_finish (self, batch);
        else
            s_send_credit (self, peer, submit->batch_id,
                           submit->chunk_no == 0? (uint64_t) self->credit: 1);
    }
    else {
        //  The reader takes it in its own time; its rows come in turns
        ingest_reader_push (batch->reader, submit->payload, submit->payload_size);
        batch->in_hand++;
        if (submit->last) {
            ingest_reader_end (batch->reader);
            batch->ended = true;
        }
    }
    zstr_free (&key);
}

//  ==========================================================================
//  Turns
//
//  Each batch's reader parses it in a thread of its own, and the server
//  takes the rows they made in turns of at most S_TURN_ROWS rows, one batch
//  at a time in round robin, polling every socket between turns. So a
//  contract file sent while a spend file streams in waits for one turn of
//  it (a millisecond or two), and STATUS and the stream's FETCHes are
//  answered in between as well. A chunk's credit goes back once the reader
//  has started on it, so no batch has more than ingest/credit chunks here.

//  Makes sure another turn comes once the loop has polled its sockets
static void
s_turn_soon (s_server_t *self)
{
    uint64_t one = 1;
    if (write (self->wake_fd, &one, sizeof one) != sizeof one)
        zsys_error ("ingest: cannot schedule a turn: %s", strerror (errno));
}

//  Gives credit back for the chunks batch's reader has started on
static void
s_batch_credit (s_server_t *self, s_batch_t *batch)
{
    for (size_t taken = ingest_reader_taken (batch->reader); taken > 0; taken--) {
        batch->in_hand--;
        if (!batch->ended)
            s_send_credit (self, batch->peer, batch->batch_id,
                           batch->credited? 1: (uint64_t) self->credit);
        batch->credited = true;
    }
}

//  True when batch must wait for another batch of its partner, started
//  before it and not yet finished, that may store rows of the same record
//  (see ingest_store.h): spend batches store payments only, the other kinds
//  suppliers, contracts (a commitment or return may make a contract stub),
//  commitments and returns, so a partner's spend waits for its spend and
//  the rest for the rest. A waiting batch's reader reads on meanwhile,
//  until its rows fill what a reader may keep; then its credit stops.
static bool
s_batch_waits (s_server_t *self, s_batch_t *batch)
{
    bool spend = streq (batch->kind, "spend");
    //  Over the hash, not the turns: callers walk the turns' cursor
    for (s_batch_t *other = (s_batch_t *) zhashx_first (self->batches); other;
         other = (s_batch_t *) zhashx_next (self->batches))
        if (other->reader && other->order < batch->order
        &&  streq (other->partner, batch->partner) && streq (other->kind, "spend") == spend)
            return true;
    //  A refused one's rows not yet taken back are as unfinished
    for (s_retraction_t *retraction = (s_retraction_t *) zlistx_first (self->retractions);
         retraction; retraction = (s_retraction_t *) zlistx_next (self->retractions))
        if (streq (retraction->partner, batch->partner) && retraction->spend == spend)
            return true;
    return false;
}

//  One turn: the first batch in turn with news goes to the back, and has
//  S_TURN_ROWS of its rows stored, is finished when its reader is done, or
//  refused when it failed
static int
s_turn (zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    (void) loop;
    (void) item;
    s_server_t *self = (s_server_t *) arg;
    uint64_t count;
    if (read (self->wake_fd, &count, sizeof count) < 0 && errno != EAGAIN)
        zsys_error ("ingest: cannot read the turn signal: %s", strerror (errno));
    s_batch_t *batch = (s_batch_t *) zlistx_first (self->turns);
    ingest_reader_state_t state = INGEST_READER_READING;
    for (; batch; batch = (s_batch_t *) zlistx_next (self->turns)) {
        s_batch_credit (self, batch);
        state = ingest_reader_state (batch->reader);
        if (state != INGEST_READER_READING && !s_batch_waits (self, batch))
            break;
    }
    if (batch) {
        zlistx_move_end (self->turns, batch->turn);
        if (state == INGEST_READER_READY)
            state = s_open_for (self, batch) == 0
                  ? ingest_reader_deliver (batch->reader, S_TURN_ROWS): INGEST_READER_FAILED;
        if (state == INGEST_READER_DONE)
            s_batch_finish (self, batch);
        else
        if (state == INGEST_READER_FAILED) {
            const char *reason = ingest_reader_reason (batch->reader);
            s_batch_refuse (self, batch, batch->failed || !*reason? NULL: reason);
        }
    }
    //  Another turn while any batch has news; a reader with none wakes us
    for (batch = (s_batch_t *) zlistx_first (self->turns); batch;
         batch = (s_batch_t *) zlistx_next (self->turns))
        if (ingest_reader_state (batch->reader) != INGEST_READER_READING
        &&  !s_batch_waits (self, batch)) {
            s_turn_soon (self);
            break;
        }
    return 0;
}

//  ==========================================================================
//  The feed socket

//  A message on the feed socket: [identity][body], body carrying User-Id
static int
s_feed_recv (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    (void) reader;
    s_server_t *self = (s_server_t *) arg;
    zframe_t *peer = zframe_recv (self->feed);
    if (!peer)
        return 0;
    zframe_t *body = zframe_more (peer)? zframe_recv (self->feed): NULL;
    if (!body || zframe_more (body)) {
        zsys_warning ("ingest: dropped a feed message that was not [identity][body]");
        while (zsock_rcvmore (self->feed)) {
            zframe_t *rest = zframe_recv (self->feed);
            zframe_destroy (&rest);
        }
    }
    else {
        const char *key = zframe_meta (body, "User-Id");
        const char *partner = key? (const char *) zhashx_lookup (self->partners, key): NULL;
        sv_proto_t request = { .id = 0 };
        if (!partner)
            s_send_refusal (self, peer, "", "this key is allowed to connect but is not mapped"
                            " to a partner (partners/<name>/public_key in the config)");
        else
        if (sv_proto_decode (&request, zframe_data (body), zframe_size (body)))
            s_send_refusal (self, peer, "", request.reason);
        else
        if (request.id != SV_PROTO_SUBMIT)
            s_send_refusal (self, peer, "", "the feed endpoint takes SUBMIT only");
        else
            s_handle_submit (self, peer, partner, &request.submit);
        sv_proto_reset (&request);
    }
    zframe_destroy (&body);
    zframe_destroy (&peer);
    return 0;
}

//  ==========================================================================
//  STATUS

static int
s_control_handle (const sv_proto_t *request, zframe_t *peer, void *arg)
{
    s_server_t *self = (s_server_t *) arg;
    if (request->id != SV_PROTO_STATUS)
        return -1;
    s_commit_open (self);           //  report what is stored, nothing less
    static const char *kinds [] = {
        "SUPPLIER", "CONTRACT", "SPEND", "COMMITMENT", "DELIVERY", "COMPANY", "KPI"
    };
    enum { S_COUNTED_KINDS = sizeof kinds / sizeof kinds [0] };
    sv_proto_row_count_t counts [S_COUNTED_KINDS];
    for (int index = 0; index < S_COUNTED_KINDS; index++)
        counts [index] = (sv_proto_row_count_t) {
            .name = (char *) kinds [index],
            .rows = (uint64_t) ingest_store_count (self->store, kinds [index], NULL)
        };
    sv_proto_stream_head_t head = {
        .name = "ingest", .head_seq = sv_stream_producer_head (self->producer)
    };
    //  What an operator must free room for
    sv_proto_problem_t problems [2];
    size_t problems_count = 0;
    if (self->full)
        problems [problems_count++] = (sv_proto_problem_t) { "store", self->full };
    char *held = NULL;
    size_t retractions = zlistx_size (self->retractions);
    if (retractions) {
        held = zsys_sprintf ("%zu refused batch%s not taken back yet: %s rows are held, never"
                             " served, and the stream waits behind them until the store can"
                             " write", retractions, retractions == 1? " is": "es are",
                             retractions == 1? "its": "their");
        problems [problems_count++] = (sv_proto_problem_t) { "store", held };
    }
    sv_service_status_t status = {
        .service = "ingest", .version = S_VERSION, .started = self->started,
        .streams = &head, .streams_count = 1, .counts = counts, .counts_count = S_COUNTED_KINDS,
        .problems = problems, .problems_count = problems_count
    };
    sv_service_reply_status (self->control, peer, &status);
    zstr_free (&held);
    return 0;
}

//  ==========================================================================
//  Life cycle

static int
s_forget_idle_batches (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    s_server_t *self = (s_server_t *) arg;
    int64_t now = zclock_mono ();
    zlistx_t *keys = zhashx_keys (self->batches);
    for (const char *key = (const char *) zlistx_first (keys); key;
         key = (const char *) zlistx_next (keys)) {
        s_batch_t *batch = (s_batch_t *) zhashx_lookup (self->batches, key);
        if (batch->reader && s_batch_waits (self, batch))
            batch->touched = now;       //  waiting its turn is not idle
        else
        if (now - batch->touched > S_IDLE_BATCH_MS)
            s_batch_forget (self, batch);
    }
    zlistx_destroy (&keys);
    return 0;
}

//  Reads partners/<name>/public_key into the key -> name map
static void
s_load_partners (s_server_t *self)
{
    for (zconfig_t *item = sv_config_children (self->config, "partners"); item;
         item = zconfig_next (item)) {
        const char *key = zconfig_get (item, "public_key", "");
        if (strlen (key) == 40)
            zhashx_update (self->partners, key, strdup (zconfig_name (item)));
        else
            zsys_warning ("ingest: partner '%s' has no 40-character public_key; it cannot submit",
                          zconfig_name (item));
    }
}

static int
s_server_start (s_server_t *self)
{
    sv_config_t *config = self->config;
    self->max_errors = (size_t) sv_config_int (config, "ingest/max_errors");
    self->max_document = (size_t) sv_config_int (config, "ingest/max_document_bytes");
    self->credit = sv_config_int (config, "ingest/credit");
    if (self->credit < 1)
        self->credit = 1;

    char *store_path = sv_config_data_path (config, "ingest/store", "ingest.db");
    char *cert_path = sv_config_data_path (config, "ingest/certificate", "keys/ingest.cert");
    char *keys_path = sv_config_data_path (config, "ingest/partner_keys", "keys/partners");
    const char *reason = NULL;
    int rc = -1;
    self->store = ingest_store_new (store_path, &reason);
    //  The feed is CURVE always: its certificate, secret half and all, is
    //  needed whatever security/curve says
    self->certificate = sv_security_certificate (cert_path, "ingest");
    self->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!self->store)
        zsys_error ("ingest: %s", reason);
    else
    if (self->wake_fd < 0)
        zsys_error ("ingest: cannot make an eventfd: %s", strerror (errno));
    else
    if (!self->certificate)
        ;                       //  logged, naming the file missing
    else
    if (!zsys_file_exists (keys_path))
        zsys_error ("ingest: no partner certificate folder %s", keys_path);
    else
    if (sv_security_start (config, "ingest", keys_path) == 0) {
        //  ZAP is up (sv_security): a CURVE server with no handler would
        //  accept anyone
        self->producer = sv_stream_producer_new (store_path, "ingest",
            sv_config_get (config, "ingest/stream_endpoint"), config);
        self->feed = zsock_new (ZMQ_ROUTER);
        zsock_set_zap_domain (self->feed, "socval");
        zcert_apply (self->certificate, self->feed);
        zsock_set_curve_server (self->feed, 1);
        zsock_set_router_mandatory (self->feed, 1);
        zsock_set_maxmsgsize (self->feed, (int) sv_config_int (config, "stream/max_message_bytes"));
        zsock_set_handshake_ivl (self->feed, (int) sv_config_int (config, "stream/timeout_ms"));
        zsock_set_heartbeat_ivl (self->feed, (int) sv_config_int (config, "stream/heartbeat_ms"));
        zsock_set_heartbeat_timeout (self->feed, 4 * (int) sv_config_int (config, "stream/heartbeat_ms"));
        zsock_set_sndtimeo (self->feed, 0);
        zsock_set_linger (self->feed, 0);
        const char *feed_endpoint = sv_config_get (config, "ingest/feed_endpoint");
        if (!self->producer)
            ;                   //  logged by the producer
        else
        if (zsock_bind (self->feed, "%s", feed_endpoint) == -1)
            zsys_error ("ingest: cannot bind %s", feed_endpoint);
        else
        if ((self->control = sv_service_control_new (config,
                sv_config_get (config, "ingest/control_endpoint"))))
            rc = 0;
    }
    zstr_free (&store_path);
    zstr_free (&cert_path);
    zstr_free (&keys_path);
    if (rc == 0) {
        s_load_partners (self);
        sv_stream_producer_attach (self->producer, self->loop);
        zloop_reader (self->loop, self->feed, s_feed_recv, self);
        zmq_pollitem_t turns = { NULL, self->wake_fd, ZMQ_POLLIN, 0 };
        zloop_poller (self->loop, &turns, s_turn, self);
        self->answers = (sv_service_control_t) {
            s_control_handle, self, "ingest's control endpoint answers STATUS only"
        };
        zloop_reader (self->loop, self->control, sv_service_control_recv, &self->answers);
        zloop_timer (self->loop, 60 * 1000, 0, s_forget_idle_batches, self);
        zloop_timer (self->loop, S_GROUP_MS / 2, 0, s_group_timer, self);
        zloop_timer (self->loop, S_RETRY_MS, 0, s_retry, self);
    }
    return rc;
}

void
ingest_server (zsock_t *pipe, void *config)
{
    s_server_t self = {
        .pipe = pipe, .config = (sv_config_t *) config, .started = zclock_mono ()
    };
    self.loop = zloop_new ();
    self.partners = zhashx_new ();
    zhashx_set_destructor (self.partners, (zhashx_destructor_fn *) zstr_free);
    self.batches = zhashx_new ();
    zhashx_set_destructor (self.batches, s_batch_destroy);
    self.turns = zlistx_new ();
    self.retractions = zlistx_new ();
    zlistx_set_destructor (self.retractions, s_retraction_destroy);
    self.wake_fd = -1;

    zsock_signal (pipe, 0);
    int rc = s_server_start (&self);
    zstr_send (pipe, rc == 0? "READY": "FAILED");
    if (rc == 0) {
        zloop_reader (self.loop, pipe, sv_service_pipe, &self);
        zloop_start (self.loop);
        s_commit_open (&self);
    }
    zhashx_destroy (&self.batches);        //  their readers' threads end
    zlistx_destroy (&self.turns);
    zlistx_destroy (&self.retractions);     //  the store takes them back when it opens
    zstr_free (&self.full);
    if (self.wake_fd >= 0)
        close (self.wake_fd);
    zhashx_destroy (&self.partners);
    sv_stream_producer_destroy (&self.producer);
    zloop_destroy (&self.loop);
    zsock_destroy (&self.feed);
    zsock_destroy (&self.control);
    sv_security_stop ();
    zcert_destroy (&self.certificate);
    ingest_store_destroy (&self.store);
}
