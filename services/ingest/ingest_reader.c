/*  ingest_reader: one batch read in a worker thread. See ingest_reader.h.

    Two threads share the reader under one lock:

    - the caller hands chunks over (at most S_CHUNKS_IN_HAND waiting), then
      says the batch ends, or stops it;
    - the worker pushes each chunk through the feed and appends what comes
      out, rows and rejected rows, to the output, a byte buffer of entries
      (at most about S_OUTPUT_MAX bytes waiting):

          row:    'R', id, digest, natural key NUL, 0 or 1 and contract id
                  NUL, body size (4 bytes), body
          error:  'E', row number (8 bytes), column NUL, reason NUL

    The caller takes the whole output at once, swapping it for an empty
    buffer, and delivers it without the lock. The worker wakes the caller
    when it took a chunk, when the output is worth taking, and when it is
    done; the caller wakes the worker when it gave a chunk, took the output,
    ended or stopped.
*/

#include "ingest_reader.h"
#include "ingest_feed.h"
#include <pthread.h>
#include <sodium.h>

#define S_CHUNKS_IN_HAND 4
#define S_OUTPUT_MAX (1024 * 1024)
#define S_OUTPUT_WORTH (S_OUTPUT_MAX / 4)

struct _ingest_reader_t {
    //  Set up by new, then the worker's alone
    ingest_feed_t *feed;
    ingest_store_counter_t *counter;    //  made on the first number counted on disk
    msgpack_sbuffer encoded;
    pthread_t thread;
    bool started;               //  the thread runs, to be joined
    //  The caller's alone
    ingest_reader_row_fn *row_fn;
    ingest_reader_error_fn *error_fn;
    void *arg;
    zchunk_t *taking;           //  output taken, being delivered
    bool failed;                //  push or finish returned -1
    //  Shared, under lock
    pthread_mutex_t lock;
    pthread_cond_t to_caller;
    pthread_cond_t to_worker;
    zlistx_t *chunks;           //  zchunk_t *, handed over and not read yet
    zchunk_t *output;           //  entries made and not taken yet
    bool ending;                //  no more chunks: finish the feed
    bool stopping;              //  stop reading
    bool done;                  //  the worker has finished
    int result;                 //  its result, 0 or -1, once done
    char reason [256];
};

//  ==========================================================================
//  The worker

//  Appends an entry of count parts to the output, waiting while the output
//  is full. 0, or -1 when the caller stopped the batch.
static int
s_output (ingest_reader_t *self, const void *const *parts, const size_t *sizes, size_t count)
{
    pthread_mutex_lock (&self->lock);
    while (zchunk_size (self->output) >= S_OUTPUT_MAX && !self->stopping)
        pthread_cond_wait (&self->to_worker, &self->lock);
    bool stopping = self->stopping;
    if (!stopping) {
        for (size_t part = 0; part < count; part++)
            zchunk_extend (self->output, parts [part], sizes [part]);
        if (zchunk_size (self->output) >= S_OUTPUT_WORTH)
            pthread_cond_signal (&self->to_caller);
    }
    pthread_mutex_unlock (&self->lock);
    return stopping? -1: 0;
}

//  The feed's good row: encoded, digested and put out
static int
s_feed_row (void *arg, const char *natural_key, const sv_proto_t *event)
{
    ingest_reader_t *self = (ingest_reader_t *) arg;
    self->encoded.size = 0;
    byte digest [INGEST_STORE_DIGEST];
    if (sv_proto_encode (event, &self->encoded)
    ||  crypto_generichash (digest, sizeof digest, (const byte *) self->encoded.data,
                            self->encoded.size, NULL, 0))
        return -1;
    const char *contract_id = event->id == SV_PROTO_COMMITMENT? event->commitment.contract_id
                            : event->id == SV_PROTO_DELIVERY? event->delivery.contract_id: NULL;
    byte head [2] = { 'R', (byte) event->id };
    byte has_contract = contract_id != NULL;
    uint32_t body_size = (uint32_t) self->encoded.size;
    const void *parts [] = {
        head, digest, natural_key, &has_contract, contract_id? contract_id: "",
        &body_size, self->encoded.data
    };
    size_t sizes [] = {
        sizeof head, sizeof digest, strlen (natural_key) + 1, 1,
        contract_id? strlen (contract_id) + 1: 1, sizeof body_size, self->encoded.size
    };
    return s_output (self, parts, sizes, 7);
}

//  The feed's rejected row, put out
static void
s_feed_error (void *arg, uint64_t row, const char *column, const char *reason)
{
    ingest_reader_t *self = (ingest_reader_t *) arg;
    const void *parts [] = { "E", &row, column? column: "", reason };
    size_t sizes [] = { 1, sizeof row, strlen (column? column: "") + 1, strlen (reason) + 1 };
    s_output (self, parts, sizes, 4);
}

//  The feed's count of a transaction number past those held in memory
static uint32_t
s_feed_count (const char *transaction_no, void *arg)
{
    ingest_reader_t *self = (ingest_reader_t *) arg;
    if (!self->counter) {
        const char *reason = NULL;
        self->counter = ingest_store_counter_new (&reason);
        if (!self->counter) {
            zsys_error ("ingest: cannot count transaction numbers on disk: %s", reason);
            return 0;
        }
    }
    return ingest_store_counter_add (self->counter, transaction_no);
}

static void *
s_worker (void *arg)
{
    ingest_reader_t *self = (ingest_reader_t *) arg;
    int rc = 0;
    pthread_mutex_lock (&self->lock);
    while (true) {
        while (!zlistx_size (self->chunks) && !self->ending && !self->stopping)
            pthread_cond_wait (&self->to_worker, &self->lock);
        if (self->stopping)
            break;
        //  The chunks in hand first; then, if the batch ends, its end
        zchunk_t *chunk = (zchunk_t *) zlistx_first (self->chunks);
        if (chunk)
            zlistx_detach_cur (self->chunks);
        pthread_cond_signal (&self->to_caller);     //  room for another chunk
        pthread_mutex_unlock (&self->lock);
        bool finishing = chunk == NULL;
        if (finishing)
            rc = ingest_feed_finish (self->feed);
        else
            rc = ingest_feed_push (self->feed, zchunk_data (chunk), zchunk_size (chunk));
        zchunk_destroy (&chunk);
        pthread_mutex_lock (&self->lock);
        if (rc || finishing)
            break;
    }
    self->done = true;
    self->result = self->stopping? -1: rc;
    if (rc && !self->stopping)
        snprintf (self->reason, sizeof self->reason, "%s", ingest_feed_reason (self->feed));
    pthread_cond_signal (&self->to_caller);
    pthread_mutex_unlock (&self->lock);
    return NULL;
}

//  ==========================================================================
//  The caller

ingest_reader_t *
ingest_reader_new (const char *partner, const char *batch_id, const char *kind,
                   const char *format, zconfig_t *overrides, size_t max_document,
                   size_t in_memory, ingest_reader_row_fn *row_fn,
                   ingest_reader_error_fn *error_fn, void *arg, const char **reason_p)
{
    assert (row_fn && error_fn);
    ingest_reader_t *self = (ingest_reader_t *) zmalloc (sizeof (ingest_reader_t));
    self->feed = ingest_feed_new (partner, batch_id, kind, format, overrides, max_document,
                                  s_feed_row, s_feed_error, self, reason_p);
    if (!self->feed) {
        free (self);
        return NULL;
    }
    ingest_feed_set_counter (self->feed, s_feed_count, self, in_memory);
    msgpack_sbuffer_init (&self->encoded);
    self->row_fn = row_fn;
    self->error_fn = error_fn;
    self->arg = arg;
    self->taking = zchunk_new (NULL, 0);
    pthread_mutex_init (&self->lock, NULL);
    pthread_cond_init (&self->to_caller, NULL);
    pthread_cond_init (&self->to_worker, NULL);
    self->chunks = zlistx_new ();
    zlistx_set_destructor (self->chunks, (zlistx_destructor_fn *) zchunk_destroy);
    self->output = zchunk_new (NULL, 0);
    self->started = pthread_create (&self->thread, NULL, s_worker, self) == 0;
    if (!self->started) {
        *reason_p = "ingest cannot start a thread to read the batch";
        ingest_reader_destroy (&self);
    }
    return self;
}

void
ingest_reader_destroy (ingest_reader_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        ingest_reader_t *self = *self_p;
        pthread_mutex_lock (&self->lock);
        self->stopping = true;
        pthread_cond_signal (&self->to_worker);
        pthread_mutex_unlock (&self->lock);
        if (self->started)
            pthread_join (self->thread, NULL);
        zlistx_destroy (&self->chunks);
        zchunk_destroy (&self->output);
        zchunk_destroy (&self->taking);
        pthread_cond_destroy (&self->to_worker);
        pthread_cond_destroy (&self->to_caller);
        pthread_mutex_destroy (&self->lock);
        ingest_store_counter_destroy (&self->counter);
        msgpack_sbuffer_destroy (&self->encoded);
        ingest_feed_destroy (&self->feed);
        free (self);
        *self_p = NULL;
    }
}

//  Reads a NUL-terminated string at *cursor and moves past it
static const char *
s_take_string (const byte **cursor)
{
    const char *text = (const char *) *cursor;
    *cursor += strlen (text) + 1;
    return text;
}

//  Delivers the entries in taking, in order. 0, or -1 when row_fn stopped
//  the batch.
static int
s_deliver_taken (ingest_reader_t *self)
{
    const byte *cursor = zchunk_data (self->taking);
    const byte *limit = cursor + zchunk_size (self->taking);
    while (cursor < limit) {
        if (*cursor++ == 'R') {
            ingest_reader_row_t row = { .id = (sv_proto_id_t) *cursor++ };
            row.digest = cursor;
            cursor += INGEST_STORE_DIGEST;
            row.natural_key = s_take_string (&cursor);
            bool has_contract = *cursor++;
            row.contract_id = s_take_string (&cursor);
            if (!has_contract)
                row.contract_id = NULL;
            uint32_t body_size;
            memcpy (&body_size, cursor, sizeof body_size);
            cursor += sizeof body_size;
            row.body = cursor;
            row.body_size = body_size;
            cursor += body_size;
            if (self->row_fn (self->arg, &row))
                return -1;
        }
        else {
            uint64_t number;
            memcpy (&number, cursor, sizeof number);
            cursor += sizeof number;
            const char *column = s_take_string (&cursor);
            const char *reason = s_take_string (&cursor);
            self->error_fn (self->arg, number, column, reason);
        }
    }
    return 0;
}

//  Takes and delivers the output until none is left. Called and returns
//  with the lock held. 0, or -1 when row_fn stopped the batch, which then
//  stops the worker.
static int
s_deliver (ingest_reader_t *self)
{
    while (zchunk_size (self->output) > 0) {
        zchunk_t *taken = self->output;
        self->output = self->taking;
        self->taking = taken;
        pthread_cond_signal (&self->to_worker);     //  room for output
        pthread_mutex_unlock (&self->lock);
        int rc = s_deliver_taken (self);
        zchunk_set (self->taking, NULL, 0);
        pthread_mutex_lock (&self->lock);
        if (rc) {
            self->stopping = true;
            snprintf (self->reason, sizeof self->reason,
                      "the store failed; send the batch again");
            pthread_cond_signal (&self->to_worker);
            return -1;
        }
    }
    return 0;
}

int
ingest_reader_push (ingest_reader_t *self, const uint8_t *data, size_t size)
{
    assert (self);
    if (self->failed)
        return -1;
    zchunk_t *chunk = zchunk_new (data, size);
    pthread_mutex_lock (&self->lock);
    int rc = 0;
    while (chunk) {
        rc = s_deliver (self);
        if (rc == 0 && self->done)
            rc = self->result;  //  the worker refused the batch
        if (rc)
            break;
        if (zlistx_size (self->chunks) < S_CHUNKS_IN_HAND) {
            zlistx_add_end (self->chunks, chunk);
            chunk = NULL;
            pthread_cond_signal (&self->to_worker);
        }
        else
            pthread_cond_wait (&self->to_caller, &self->lock);
    }
    pthread_mutex_unlock (&self->lock);
    zchunk_destroy (&chunk);
    self->failed = rc != 0;
    return rc;
}

int
ingest_reader_finish (ingest_reader_t *self)
{
    assert (self);
    if (self->failed)
        return -1;
    pthread_mutex_lock (&self->lock);
    self->ending = true;
    pthread_cond_signal (&self->to_worker);
    int rc = 0;
    while (true) {
        rc = s_deliver (self);
        if (rc || self->done)
            break;
        pthread_cond_wait (&self->to_caller, &self->lock);
    }
    //  Done: whatever the worker put out before it ended is delivered too
    if (rc == 0)
        rc = s_deliver (self);
    if (rc == 0)
        rc = self->result;
    pthread_mutex_unlock (&self->lock);
    self->failed = rc != 0;
    return rc;
}

const char *
ingest_reader_reason (ingest_reader_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->lock);
    const char *reason = self->reason;
    pthread_mutex_unlock (&self->lock);
    return reason;
}

//  ==========================================================================
//  Self-test

typedef struct {
    int rows;
    int errors;
    int64_t pence;
    int stop_at;                //  row_fn fails on this row, if not 0
    char keys [1024];           //  every natural key, comma-separated
    char last_reason [256];
    uint64_t last_error_row;
    bool partner_ok;
    bool digest_ok;
} s_test_t;

static int
s_test_row (void *arg, const ingest_reader_row_t *row)
{
    s_test_t *test = (s_test_t *) arg;
    if (++test->rows == test->stop_at)
        return -1;
    sv_proto_t event = { .id = 0 };
    assert (sv_proto_decode (&event, row->body, row->body_size) == 0);
    assert (event.id == row->id && event.id == SV_PROTO_SPEND && !row->contract_id);
    test->pence += event.spend.amount_pence;
    test->partner_ok = streq (event.spend.partner, "council");
    byte digest [INGEST_STORE_DIGEST];
    crypto_generichash (digest, sizeof digest, row->body, row->body_size, NULL, 0);
    test->digest_ok = memcmp (digest, row->digest, sizeof digest) == 0;
    if (strlen (test->keys) + strlen (row->natural_key) + 2 < sizeof test->keys)
        strcat (strcat (test->keys, row->natural_key), ",");
    sv_proto_reset (&event);
    return 0;
}

static void
s_test_error (void *arg, uint64_t row, const char *column, const char *reason)
{
    s_test_t *test = (s_test_t *) arg;
    test->errors++;
    test->last_error_row = row;
    snprintf (test->last_reason, sizeof test->last_reason, "%s: %s", column, reason);
}

//  Reads text through a reader in chunks of step bytes, counting in_memory
//  numbers in memory. Returns push/finish's result.
static int
s_test_read (const char *text, size_t step, size_t in_memory, s_test_t *test)
{
    const char *reason = NULL;
    ingest_reader_t *reader = ingest_reader_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                                                 in_memory, s_test_row, s_test_error, test,
                                                 &reason);
    assert (reader);
    int rc = 0;
    size_t size = strlen (text);
    for (size_t done = 0; rc == 0 && done < size; done += step)
        rc = ingest_reader_push (reader, (const uint8_t *) text + done,
                                 done + step > size? size - done: step);
    if (rc == 0)
        rc = ingest_reader_finish (reader);
    snprintf (test->last_reason + strlen (test->last_reason),
              sizeof test->last_reason - strlen (test->last_reason), "%s",
              ingest_reader_reason (reader));
    ingest_reader_destroy (&reader);
    ingest_reader_destroy (&reader);
    return rc;
}

void
ingest_reader_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_reader: ");
    //  Rows and rejected rows come back in the file's order, encoded and
    //  digested, whatever the chunks; numbers past the two counted in
    //  memory are counted on disk and the lines come out the same
    const char *repeats =
        "Payment Date,Transaction Number,Amount,Supplier Name\n"
        "2024-04-01,T1,1.00,A\n2024-04-01,T2,2.00,A\n2024-04-01,T3,3.00,A\n"
        "2024-04-01,T1,1.00,A\n2024-04-01,T3,three,A\n2024-04-01,T3,3.00,A\n"
        "2024-04-01,T4,4.00,A\n";
    for (size_t step = 1; step < 64; step += 9) {
        s_test_t test = { .rows = 0 };
        assert (s_test_read (repeats, step, 2, &test) == 0);
        assert (test.rows == 6 && test.pence == 1400);
        assert (streq (test.keys, "T1/1,T2/1,T3/1,T1/2,T3/3,T4/1,"));
        assert (test.errors == 1 && test.last_error_row == 6);
        assert (strstr (test.last_reason, "'three'"));
        assert (test.partner_ok && test.digest_ok);
    }

    //  A file of many rows passes the bounded output and chunks in hand
    //  many times over, and every row arrives once
    zchunk_t *big = zchunk_new (NULL, 0);
    const char *header = "Payment Date,Transaction Number,Amount,Supplier Name\n";
    zchunk_extend (big, header, strlen (header));
    int64_t expected = 0;
    for (int row = 1; row <= 40000; row++) {
        char line [96];
        snprintf (line, sizeof line, "2024-04-01,%d,%d.%02d,Supplier %d Ltd\n",
                  5000000 + row, row % 1000, row % 100, row % 50);
        zchunk_extend (big, line, strlen (line));
        expected += (row % 1000) * 100 + row % 100;
    }
    zchunk_extend (big, "", 1);
    s_test_t test = { .rows = 0 };
    assert (s_test_read ((const char *) zchunk_data (big), 4096, 1000, &test) == 0);
    assert (test.rows == 40000 && test.pence == expected && test.errors == 0);

    //  The caller's store failing stops the batch, with the reason
    test = (s_test_t) { .stop_at = 3 };
    assert (s_test_read ((const char *) zchunk_data (big), 4096, 1000, &test) == -1);
    assert (test.rows == 3 && strstr (test.last_reason, "the store failed"));
    zchunk_destroy (&big);

    //  A file refused whole is refused through the reader, with the reason
    test = (s_test_t) { .rows = 0 };
    assert (s_test_read ("Payment Date,Supplier Name\n2011-01-04,NRC SERVICES LTD\n",
                         7, 2, &test) == -1);
    assert (test.rows == 0 && strstr (test.last_reason, "amount"));

    //  A reader dropped half way stops its worker
    const char *reason = NULL;
    ingest_reader_t *reader = ingest_reader_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                                                 2, s_test_row, s_test_error, &test, &reason);
    assert (reader);
    assert (ingest_reader_push (reader, (const uint8_t *) repeats, 40) == 0);
    ingest_reader_destroy (&reader);

    //  Kinds and formats that do not go together are refused at once
    assert (!ingest_reader_new ("council", "b1", "spend", "ocds", NULL, 1 << 20, 2,
                                s_test_row, s_test_error, &test, &reason));
    assert (strstr (reason, "'ocds'"));
    if (verbose)
        printf ("OK\n");
}
