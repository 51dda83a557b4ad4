/*  ingest_reader: one batch read in a worker thread. See ingest_reader.h.

    Two threads share the reader under one lock:

    - the caller hands chunks over and says when the batch ends, or stops
      it, and takes what the worker put out;
    - the worker pushes each chunk through the feed and appends what comes
      out, rows and rejected rows, to the output, a byte buffer of entries
      (at most about S_OUTPUT_MAX bytes waiting):

          row:    'R', id, digest, natural key NUL, 0 or 1 and contract id
                  NUL, 0 or 1 and a payment's supplier key, postcode and
                  supplier name, each NUL, body size (4 bytes), body
          error:  'E', row number (8 bytes), column NUL, reason NUL
          warning: 'W', the same as an error

    The caller takes the whole output at once, swapping it for an empty
    buffer, and delivers it without the lock, as many entries a call as it
    asks. The worker writes to wake_fd when the caller last found nothing to
    take and there is news; the caller signals the worker when it gave a
    chunk, took the output, ended or stopped.
*/

#include "ingest_reader.h"
#include "ingest_feed.h"
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

#define S_OUTPUT_MAX (1024 * 1024)

struct _ingest_reader_t {
    //  Set up by new, then the worker's alone
    ingest_feed_t *feed;
    ingest_store_counter_t *counter;    //  made on the first number counted on disk
    msgpack_sbuffer encoded;
    pthread_t thread;
    bool started;               //  the thread runs, to be joined
    int wake_fd;
    //  The caller's alone
    ingest_reader_rows_fn *rows_fn;
    ingest_reader_error_fn *error_fn;
    ingest_reader_error_fn *warning_fn; //  or NULL
    void *arg;
    zchunk_t *taking;           //  output taken, being delivered
    size_t taking_at;           //  bytes of it delivered
    bool failed;                //  the caller stopped the batch
    //  Shared, under lock
    pthread_mutex_t lock;
    pthread_cond_t to_worker;
    zlistx_t *chunks;           //  zchunk_t *, handed over and not read yet
    size_t taken;               //  chunks started on, not yet told
    zchunk_t *output;           //  entries made and not taken yet
    bool caller_waiting;        //  found nothing to take: wake it with news
    bool ending;                //  no more chunks: finish the feed
    bool stopping;              //  stop reading
    bool done;                  //  the worker has finished
    int result;                 //  its result, 0 or -1, once done
    char reason [256];
};

//  ==========================================================================
//  The worker

//  Tells the caller there is news, if it is waiting for some. Called with
//  the lock held.
static void
s_wake (ingest_reader_t *self)
{
    if (self->caller_waiting && self->wake_fd >= 0) {
        self->caller_waiting = false;
        uint64_t one = 1;
        if (write (self->wake_fd, &one, sizeof one) != sizeof one)
            zsys_error ("ingest: cannot wake the server: %s", strerror (errno));
    }
}

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
        s_wake (self);
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
    if (sv_proto_encode (event, &self->encoded))
        return -1;
    byte digest [SV_DIGEST_SIZE];
    sv_digest (self->encoded.data, self->encoded.size, digest);
    //  A KPI read from OCDS comes after its contract, in the same batch:
    //  only one from a KPI feed may name a contract not yet held
    const char *contract_id = event->id == SV_PROTO_COMMITMENT? event->commitment.contract_id
                            : event->id == SV_PROTO_DELIVERY? event->delivery.contract_id
                            : event->id == SV_PROTO_KPI && !*event->kpi.ocid
                            ? event->kpi.contract_id: NULL;
    //  A payment names its payee, which the batch sends once (PAYEE)
    const sv_proto_spend_t *spend = event->id == SV_PROTO_SPEND? &event->spend: NULL;
    const char *payee [3] = {
        spend? spend->supplier_key: "", spend? spend->postcode: "",
        spend? spend->supplier_name: ""
    };
    byte head [2] = { 'R', (byte) event->id };
    byte has_contract = contract_id != NULL, has_payee = spend != NULL;
    uint32_t body_size = (uint32_t) self->encoded.size;
    const void *parts [] = {
        head, digest, natural_key, &has_contract, contract_id? contract_id: "",
        &has_payee, payee [0], payee [1], payee [2], &body_size, self->encoded.data
    };
    size_t sizes [] = {
        sizeof head, sizeof digest, strlen (natural_key) + 1, 1,
        contract_id? strlen (contract_id) + 1: 1, 1, strlen (payee [0]) + 1,
        strlen (payee [1]) + 1, strlen (payee [2]) + 1, sizeof body_size, self->encoded.size
    };
    return s_output (self, parts, sizes, 11);
}

//  The feed's rejected row (type "E") or warning ("W"), put out
static void
s_feed_issue (ingest_reader_t *self, const char *type, uint64_t row, const char *column,
              const char *reason)
{
    const void *parts [] = { type, &row, column? column: "", reason };
    size_t sizes [] = { 1, sizeof row, strlen (column? column: "") + 1, strlen (reason) + 1 };
    s_output (self, parts, sizes, 4);
}

static void
s_feed_error (void *arg, uint64_t row, const char *column, const char *reason)
{
    s_feed_issue ((ingest_reader_t *) arg, "E", row, column, reason);
}

static void
s_feed_warning (void *arg, uint64_t row, const char *column, const char *reason)
{
    s_feed_issue ((ingest_reader_t *) arg, "W", row, column, reason);
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
        //  The chunks handed over first; then, if the batch ends, its end
        zchunk_t *chunk = (zchunk_t *) zlistx_first (self->chunks);
        if (chunk) {
            zlistx_detach_cur (self->chunks);
            self->taken++;
            s_wake (self);
        }
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
    s_wake (self);
    pthread_mutex_unlock (&self->lock);
    return NULL;
}

//  ==========================================================================
//  The caller

ingest_reader_t *
ingest_reader_new (const char *partner, const char *batch_id, const char *kind,
                   const char *format, zconfig_t *settings, size_t max_document,
                   size_t in_memory, ingest_reader_rows_fn *rows_fn,
                   ingest_reader_error_fn *error_fn, void *arg, int wake_fd,
                   const char **reason_p)
{
    assert (rows_fn && error_fn);
    ingest_reader_t *self = (ingest_reader_t *) zmalloc (sizeof (ingest_reader_t));
    self->feed = ingest_feed_new (partner, batch_id, kind, format, settings, max_document,
                                  s_feed_row, s_feed_error, self, reason_p);
    if (!self->feed) {
        free (self);
        return NULL;
    }
    ingest_feed_set_counter (self->feed, s_feed_count, self, in_memory);
    ingest_feed_set_warning (self->feed, s_feed_warning);
    msgpack_sbuffer_init (&self->encoded);
    self->wake_fd = wake_fd;
    self->rows_fn = rows_fn;
    self->error_fn = error_fn;
    self->arg = arg;
    self->taking = zchunk_new (NULL, 0);
    pthread_mutex_init (&self->lock, NULL);
    pthread_cond_init (&self->to_worker, NULL);
    self->chunks = zlistx_new ();
    zlistx_set_destructor (self->chunks, (zlistx_destructor_fn *) zchunk_destroy);
    self->output = zchunk_new (NULL, 0);
    self->caller_waiting = true;
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
        pthread_mutex_destroy (&self->lock);
        ingest_store_counter_destroy (&self->counter);
        msgpack_sbuffer_destroy (&self->encoded);
        ingest_feed_destroy (&self->feed);
        free (self);
        *self_p = NULL;
    }
}

void
ingest_reader_set_groups (ingest_reader_t *self, const char *text)
{
    assert (self);
    //  The worker reads the feed only once a chunk is handed over under
    //  the lock, so taking it here orders this before that
    pthread_mutex_lock (&self->lock);
    ingest_feed_set_groups (self->feed, text);
    pthread_mutex_unlock (&self->lock);
}

int
ingest_reader_set_sheet (ingest_reader_t *self, const char *sheet, const char **reason_p)
{
    assert (self);
    //  As for the groups: ordered before the worker's first read
    pthread_mutex_lock (&self->lock);
    int rc = ingest_feed_set_sheet (self->feed, sheet, reason_p);
    pthread_mutex_unlock (&self->lock);
    return rc;
}

void
ingest_reader_set_warning (ingest_reader_t *self, ingest_reader_error_fn *warning_fn)
{
    assert (self);
    self->warning_fn = warning_fn;
}

void
ingest_reader_columns (ingest_reader_t *self, sv_csv_column_fn *fn, void *arg)
{
    assert (self && fn);
    pthread_mutex_lock (&self->lock);
    bool done = self->done;
    pthread_mutex_unlock (&self->lock);
    //  Once the worker is done, the feed is the caller's to read
    if (done)
        ingest_feed_columns (self->feed, fn, arg);
}

void
ingest_reader_push (ingest_reader_t *self, const uint8_t *data, size_t size)
{
    assert (self);
    pthread_mutex_lock (&self->lock);
    zlistx_add_end (self->chunks, zchunk_new (data, size));
    pthread_cond_signal (&self->to_worker);
    pthread_mutex_unlock (&self->lock);
}

void
ingest_reader_end (ingest_reader_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->lock);
    self->ending = true;
    pthread_cond_signal (&self->to_worker);
    pthread_mutex_unlock (&self->lock);
}

//  Reads a NUL-terminated string at *cursor and moves past it
static const char *
s_take_string (const byte **cursor)
{
    const char *text = (const char *) *cursor;
    *cursor += strlen (text) + 1;
    return text;
}

//  Delivers entries of taking, from taking_at, until max are delivered or
//  none is left; adds those delivered to *delivered. Good rows go to
//  rows_fn INGEST_STORE_MANY at a time, and the rest before returning,
//  while taking still holds them. 0, or -1 when rows_fn stopped the batch.
static int
s_deliver_taken (ingest_reader_t *self, size_t max, size_t *delivered)
{
    const byte *cursor = zchunk_data (self->taking) + self->taking_at;
    const byte *limit = zchunk_data (self->taking) + zchunk_size (self->taking);
    ingest_store_row_t rows [INGEST_STORE_MANY];
    size_t count = 0;
    int rc = 0;
    while (cursor < limit && *delivered < max && rc == 0) {
        (*delivered)++;
        byte type = *cursor++;
        if (type == 'R') {
            ingest_store_row_t row = { .id = (sv_proto_id_t) *cursor++ };
            row.digest = cursor;
            cursor += SV_DIGEST_SIZE;
            row.natural_key = s_take_string (&cursor);
            bool has_contract = *cursor++;
            row.contract_id = s_take_string (&cursor);
            if (!has_contract)
                row.contract_id = NULL;
            bool has_payee = *cursor++;
            row.supplier_key = s_take_string (&cursor);
            row.postcode = s_take_string (&cursor);
            row.supplier_name = s_take_string (&cursor);
            if (!has_payee)
                row.supplier_key = row.postcode = row.supplier_name = NULL;
            uint32_t body_size;
            memcpy (&body_size, cursor, sizeof body_size);
            cursor += sizeof body_size;
            row.body = cursor;
            row.body_size = body_size;
            cursor += body_size;
            rows [count++] = row;
            if (count == INGEST_STORE_MANY) {
                rc = self->rows_fn (self->arg, rows, count);
                count = 0;
            }
        }
        else {
            uint64_t number;
            memcpy (&number, cursor, sizeof number);
            cursor += sizeof number;
            const char *column = s_take_string (&cursor);
            const char *reason = s_take_string (&cursor);
            if (type == 'E')
                self->error_fn (self->arg, number, column, reason);
            else
            if (self->warning_fn)
                self->warning_fn (self->arg, number, column, reason);
        }
    }
    if (count && rc == 0)
        rc = self->rows_fn (self->arg, rows, count);
    self->taking_at = (size_t) (cursor - zchunk_data (self->taking));
    return rc;
}

//  The state, as the caller sees it. Called with the lock held.
static ingest_reader_state_t
s_state (ingest_reader_t *self)
{
    if (self->failed)
        return INGEST_READER_FAILED;
    if (self->taking_at < zchunk_size (self->taking) || zchunk_size (self->output) > 0)
        return INGEST_READER_READY;
    if (self->done)
        return self->result? INGEST_READER_FAILED: INGEST_READER_DONE;
    return INGEST_READER_READING;
}

ingest_reader_state_t
ingest_reader_deliver (ingest_reader_t *self, size_t max)
{
    assert (self);
    pthread_mutex_lock (&self->lock);
    size_t delivered = 0;
    while (delivered < max && !self->failed) {
        if (self->taking_at == zchunk_size (self->taking)) {
            if (zchunk_size (self->output) == 0)
                break;
            //  Takes the whole output, leaving the worker an empty buffer
            zchunk_t *taken = self->output;
            self->output = self->taking;
            zchunk_set (self->output, NULL, 0);
            self->taking = taken;
            self->taking_at = 0;
            pthread_cond_signal (&self->to_worker);
        }
        pthread_mutex_unlock (&self->lock);
        int rc = s_deliver_taken (self, max, &delivered);
        pthread_mutex_lock (&self->lock);
        if (rc) {
            self->failed = true;
            self->stopping = true;
            snprintf (self->reason, sizeof self->reason,
                      "the store failed; send the batch again");
            pthread_cond_signal (&self->to_worker);
        }
    }
    ingest_reader_state_t state = s_state (self);
    if (state == INGEST_READER_READING)
        self->caller_waiting = true;
    pthread_mutex_unlock (&self->lock);
    return state;
}

ingest_reader_state_t
ingest_reader_state (ingest_reader_t *self)
{
    return ingest_reader_deliver (self, 0);
}

size_t
ingest_reader_taken (ingest_reader_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->lock);
    size_t taken = self->taken;
    self->taken = 0;
    pthread_mutex_unlock (&self->lock);
    return taken;
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
    int calls;                  //  of rows_fn
    int short_calls;            //  of fewer than INGEST_STORE_MANY rows
    int takes;                  //  of the output, seen by rows_fn
    int turns;                  //  calls of ingest_reader_deliver
    ingest_reader_t *reader;    //  being read
    zchunk_t *taking;           //  the take the last rows came from
    int stop_at;                //  rows_fn fails on this row, if not 0
    char keys [1024];           //  every natural key, comma-separated
    char last_reason [256];
    uint64_t last_error_row;
    bool partner_ok;
    bool digest_ok;
    bool counted_on_disk;
} s_test_t;

static int
s_test_row (s_test_t *test, const ingest_store_row_t *row)
{
    if (++test->rows == test->stop_at)
        return -1;
    sv_proto_t event = { .id = 0 };
    assert (sv_proto_decode (&event, row->body, row->body_size) == 0);
    assert (event.id == row->id && event.id == SV_PROTO_SPEND && !row->contract_id);
    test->pence += event.spend.amount_pence;
    test->partner_ok = streq (event.spend.partner, "council");
    byte digest [SV_DIGEST_SIZE];
    sv_digest (row->body, row->body_size, digest);
    test->digest_ok = memcmp (digest, row->digest, sizeof digest) == 0;
    if (strlen (test->keys) + strlen (row->natural_key) + 2 < sizeof test->keys)
        strcat (strcat (test->keys, row->natural_key), ",");
    sv_proto_reset (&event);
    return 0;
}

static int
s_test_rows (void *arg, const ingest_store_row_t *rows, size_t count)
{
    s_test_t *test = (s_test_t *) arg;
    assert (count >= 1 && count <= INGEST_STORE_MANY);
    test->calls++;
    if (count < INGEST_STORE_MANY)
        test->short_calls++;
    if (test->reader->taking != test->taking) {
        test->taking = test->reader->taking;
        test->takes++;
    }
    for (size_t index = 0; index < count; index++)
        if (s_test_row (test, &rows [index]))
            return -1;
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

//  Takes everything from reader, max entries a turn, waiting on wake_fd
//  when there is nothing to take. Returns the final state.
static ingest_reader_state_t
s_test_drain (ingest_reader_t *reader, int wake_fd, size_t max, s_test_t *test)
{
    while (true) {
        test->turns++;
        ingest_reader_state_t state = ingest_reader_deliver (reader, max);
        if (state == INGEST_READER_DONE || state == INGEST_READER_FAILED)
            return state;
        if (state == INGEST_READER_READING) {
            struct pollfd item = { .fd = wake_fd, .events = POLLIN };
            assert (poll (&item, 1, 5000) == 1);
            uint64_t count;
            assert (read (wake_fd, &count, sizeof count) == sizeof count);
        }
    }
}

//  Reads text through a reader in chunks of step bytes, counting in_memory
//  numbers in memory and taking max entries a turn. Returns 0 when done,
//  -1 when failed.
static int
s_test_read (const char *text, size_t step, size_t in_memory, size_t max, s_test_t *test)
{
    const char *reason = NULL;
    int wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
    assert (wake_fd >= 0);
    ingest_reader_t *reader = ingest_reader_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                                                 in_memory, s_test_rows, s_test_error, test,
                                                 wake_fd, &reason);
    assert (reader);
    test->reader = reader;
    size_t size = strlen (text), chunks = 0;
    for (size_t done = 0; done < size; done += step, chunks++)
        ingest_reader_push (reader, (const uint8_t *) text + done,
                            done + step > size? size - done: step);
    ingest_reader_end (reader);
    ingest_reader_state_t state = s_test_drain (reader, wake_fd, max, test);
    if (state == INGEST_READER_DONE) {
        assert (ingest_reader_taken (reader) == chunks);
        assert (ingest_reader_taken (reader) == 0);
    }
    snprintf (test->last_reason + strlen (test->last_reason),
              sizeof test->last_reason - strlen (test->last_reason), "%s",
              ingest_reader_reason (reader));
    test->counted_on_disk = reader->counter != NULL;
    ingest_reader_destroy (&reader);
    ingest_reader_destroy (&reader);
    close (wake_fd);
    return state == INGEST_READER_DONE? 0: -1;
}

void
ingest_reader_test (bool verbose)
{
    if (verbose)
        printf (" * ingest_reader: ");
    //  Rows and rejected rows come back in the file's order, encoded and
    //  digested, whatever the chunks; numbers past the two counted in
    //  memory (letters only, so not in the bitmaps) are counted on disk and
    //  the lines come out the same
    const char *repeats =
        "Payment Date,Transaction Number,Amount,Supplier Name\n"
        "2024-04-01,TA,1.00,A\n2024-04-01,TB,2.00,A\n2024-04-01,TC,3.00,A\n"
        "2024-04-01,TA,1.00,A\n2024-04-01,TC,three,A\n2024-04-01,TC,3.00,A\n"
        "2024-04-01,TD,4.00,A\n";
    for (size_t step = 1; step < 64; step += 9) {
        s_test_t test = { .rows = 0 };
        assert (s_test_read (repeats, step, 2, step % 3 + 1, &test) == 0);
        assert (test.rows == 6 && test.pence == 1400);
        assert (streq (test.keys, "TA/1,TB/1,TC/1,TA/2,TC/3,TD/1,"));
        assert (test.counted_on_disk);
        assert (test.errors == 1 && test.last_error_row == 6);
        assert (strstr (test.last_reason, "'three'"));
        assert (test.partner_ok && test.digest_ok);
    }

    //  A file of many rows passes the bounded output many times over, and
    //  every row arrives once, INGEST_STORE_MANY at a time but where a
    //  take of the output ends
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
    assert (s_test_read ((const char *) zchunk_data (big), 4096, 1000, 512, &test) == 0);
    assert (test.rows == 40000 && test.pence == expected && test.errors == 0);
    //  How much the worker had put out at each take depends on the
    //  threads' timing; only the end of a take or a turn cuts a run short
    assert (test.calls >= 40000 / INGEST_STORE_MANY);
    assert (test.short_calls <= test.takes + test.turns);

    //  The caller's store failing stops the batch, with the reason
    test = (s_test_t) { .stop_at = 3 };
    assert (s_test_read ((const char *) zchunk_data (big), 4096, 1000, 500, &test) == -1);
    assert (test.rows == 3 && strstr (test.last_reason, "the store failed"));
    zchunk_destroy (&big);

    //  A file refused whole is refused through the reader, with the reason
    test = (s_test_t) { .rows = 0 };
    assert (s_test_read ("Payment Date,Supplier Name\n2011-01-04,NRC SERVICES LTD\n",
                         7, 2, 10, &test) == -1);
    assert (test.rows == 0 && strstr (test.last_reason, "amount"));

    //  A reader dropped half way stops its worker
    const char *reason = NULL;
    ingest_reader_t *reader = ingest_reader_new ("council", "b1", "spend", "csv", NULL, 1 << 20,
                                                 2, s_test_rows, s_test_error, &test, -1,
                                                 &reason);
    assert (reader);
    ingest_reader_push (reader, (const uint8_t *) repeats, 40);
    ingest_reader_destroy (&reader);

    //  Kinds and formats that do not go together are refused at once
    assert (!ingest_reader_new ("council", "b1", "spend", "ocds", NULL, 1 << 20, 2,
                                s_test_rows, s_test_error, &test, -1, &reason));
    assert (strstr (reason, "'ocds'"));
    if (verbose)
        printf ("OK\n");
}
