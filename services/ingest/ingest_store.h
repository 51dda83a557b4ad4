/*  ingest_store: ingest's SQLite store, and the only file of ingest with SQL.

    What ingest keeps is what it needs to make submissions exact:

    - batches: one row per finished (partner, batch_id) with a digest of
      its content and the encoded RECEIPT, so a resent batch gets the same
      receipt and adds nothing, and a batch id reused for other content is
      refused.
    - records: the latest content of every row ever accepted, by kind,
      partner and natural key (spend: transaction number and line; contract:
      contract id; ...). A row sent again unchanged is a duplicate; a row
      whose content changed replaces the earlier one and is streamed again.
    - outbox: the normalised events for valuation, compliance and reporting.

    Each accepted row and its event are written in the caller's transaction,
    and a large batch commits in many, but a batch adds nothing unless it
    finishes: until then its attempt is named in `attempts`, its events are
    held from the stream (sv_stream_hold: not served, nor anything after
    them), and every record it changed is kept as it was in `undo`. A
    finished batch is published in the transaction that stores its
    receipt; a refused or abandoned one is retracted (records deleted or
    put back, events deleted), and so is any attempt a crash left, when the
    store opens. A batch is therefore all or nothing, in the store, the
    stream and every report.

    While one attempt's records are unfinished, another attempt that may
    store the same records must not store rows (it could count one of them
    as held, or change it under the first): the server runs a partner's
    spend batches one at a time, and its other batches one at a time.
    Records are kept per partner, so partners never meet.
*/
#ifndef INGEST_STORE_H_INCLUDED
#define INGEST_STORE_H_INCLUDED

#include <czmq.h>
#include "sv_db.h"
#include "sv_digest.h"
#include "sv_proto.h"
#include "sv_stream.h"

typedef struct _ingest_store_t ingest_store_t;

//  Opens or creates the store at path and brings its schema up to date.
//  NULL on failure, with *reason_p saying why.
ingest_store_t *
    ingest_store_new (const char *path, const char **reason_p);

void
    ingest_store_destroy (ingest_store_t **self_p);

//  The store's connection, for transactions (sv_db_begin / sv_db_commit).
sv_db_t *
    ingest_store_db (ingest_store_t *self);

//  --------------------------------------------------------------------------
//  Batches

typedef enum {
    INGEST_BATCH_NEW,           //  never finished: process it
    INGEST_BATCH_DONE,          //  finished with the same content: resend the receipt
    INGEST_BATCH_CONFLICT       //  finished with other content: refuse
} ingest_batch_state_t;

//  Looks up partner's batch_id. digest is the hex digest of the batch's
//  whole content. For INGEST_BATCH_DONE, *receipt_p receives a copy of the
//  encoded RECEIPT (caller destroys). Returns the state, or -1 on a
//  database error.
int
    ingest_store_batch_lookup (ingest_store_t *self, const char *partner,
                               const char *batch_id, const char *digest,
                               zchunk_t **receipt_p);

//  Records a finished batch and its receipt, inside the caller's
//  transaction (the one that commits its last rows). 0 or -1.
int
    ingest_store_batch_finish (ingest_store_t *self, const char *partner,
                               const char *batch_id, const char *kind,
                               const char *digest, const sv_proto_t *receipt);

//  --------------------------------------------------------------------------
//  Rows

typedef enum {
    INGEST_PUT_FAILED = -1,     //  database error: roll back
    INGEST_PUT_DUPLICATE = 0,   //  held already: from another batch, or sent
                                //  twice in this attempt
    INGEST_PUT_ACCEPTED = 1,    //  new or changed (streamed), or this batch's own
    INGEST_PUT_REPLACED = 2     //  changed (streamed), replacing what this same
                                //  attempt stored under the key: accepted, and
                                //  worth saying
} ingest_put_t;


//  A row to store: the event encoded as it goes to the outbox, and the
//  digest of exactly those bytes
typedef struct {
    sv_proto_id_t id;           //  SUPPLIER, CONTRACT, SPEND, COMMITMENT or DELIVERY
    const char *natural_key;
    const char *contract_id;    //  the contract a commitment or delivery is on, else
                                //  NULL (for the caller: the store does not read it)
    const byte *body;
    size_t body_size;
    const byte *digest;         //  SV_DIGEST_SIZE bytes, sv_digest of body
    //  For a SPEND, the payee it names (ingest_store_put_payee): its
    //  supplier key, postcode as given and supplier name; NULL otherwise
    const char *supplier_key;
    const char *postcode;
    const char *supplier_name;
} ingest_store_row_t;

//  Rows ingest_store_put_many stores with one statement of each kind
#define INGEST_STORE_MANY SV_STREAM_MANY

//  Stores event (a SUPPLIER, CONTRACT, SPEND, COMMITMENT or DELIVERY) under
//  its partner and natural_key, in batch_id, appending it to the outbox
//  when it is new or changed. attempt names this attempt at the batch (a
//  number of its own, not 0): a row this batch stored in an earlier,
//  interrupted attempt counts as accepted again, once, while a row sent
//  twice in one attempt is a duplicate the second time. Must run inside a
//  transaction.
ingest_put_t
    ingest_store_put (ingest_store_t *self, const char *partner,
                      const char *natural_key, const char *batch_id, uint64_t attempt,
                      const sv_proto_t *event);

//  The same for an event already encoded: body (body_size bytes) is what
//  goes to the outbox, digest its sv_digest (records stored with the
//  BLAKE2b-128 digest of before are still recognised).
ingest_put_t
    ingest_store_put_encoded (ingest_store_t *self, const char *partner,
                              const char *natural_key, const char *batch_id, uint64_t attempt,
                              sv_proto_id_t id, const byte *body, size_t body_size,
                              const byte *digest);

//  Stores count rows of partner's batch_id as count calls of put_encoded
//  would, in order, writing each row's outcome to puts [index]: the same
//  outcomes and the same events in the same order, in fewer statements.
//  INGEST_STORE_MANY rows of one kind, with distinct keys, that are all new
//  or all held unchanged take three statements, where row by row they
//  would take one or two each; other rows go row by row. Must run inside
//  a transaction. 0, or -1 on a database error (roll back).
int
    ingest_store_put_many (ingest_store_t *self, const char *partner, const char *batch_id,
                           uint64_t attempt, const ingest_store_row_t *rows, size_t count,
                           ingest_put_t *puts);

//  Appends a PAYEE event for partner's payments to supplier_key at postcode
//  (either may be ""), named supplier_name on a payment, in the caller's
//  transaction: the batch that stores such a payment sends it with them.
//  0 or -1.
int
    ingest_store_put_payee (ingest_store_t *self, const char *partner,
                            const char *supplier_key, const char *postcode,
                            const char *supplier_name);

//  --------------------------------------------------------------------------
//  Attempts: a batch's rows stay its own until it finishes

//  Holds the events attempt appended in the caller's transaction, from
//  first_seq (the outbox's last seq when the transaction began, plus one),
//  and names the attempt as partner's batch_id's: call it before committing
//  any transaction of a batch but the one that finishes it. 0 or -1.
int
    ingest_store_hold (ingest_store_t *self, uint64_t attempt, const char *partner,
                       const char *batch_id, int64_t first_seq);

//  Makes attempt's rows everyone's, in the caller's transaction (the one
//  that records its receipt): its events are served once it commits. 0 or -1.
int
    ingest_store_publish (ingest_store_t *self, uint64_t attempt);

//  Takes back what partner's attempt committed, in the caller's
//  transaction: records it made are deleted, records it changed put back,
//  its events deleted. Roll back its open transaction first. 0 or -1.
int
    ingest_store_retract (ingest_store_t *self, uint64_t attempt, const char *partner);

//  Retracts every attempt a crash left unfinished, each in a transaction
//  of its own. Returns how many, or -1 on a database error.
int
    ingest_store_recover (ingest_store_t *self);

//  --------------------------------------------------------------------------
//  Contracts' releases: a contract read from an OCDS release keeps its
//  process (ocid) and the span of instants the release's date may name
//  (ingest_ocds_date_span), so that a release of the process older than
//  the latest held is known as older, whichever contract or award it names
//  (Contracts Finder republishes a corrected award under a new id)

typedef struct {
    char date [64];             //  as published, cut to fit
    int64_t first;              //  microseconds since 1970 UTC
    int64_t last;
} ingest_store_release_t;

//  Reads the latest release partner holds a contract of process ocid from.
//  1 with *release filled, 0 when none is held, -1 on a database error.
int
    ingest_store_release (ingest_store_t *self, const char *partner, const char *ocid,
                          ingest_store_release_t *release);

//  Records that partner's contract contract_id, just stored or found
//  unchanged by attempt, is of process ocid as of release, in the caller's
//  transaction; the record as it was is kept for a retraction. 0 or -1.
int
    ingest_store_set_release (ingest_store_t *self, const char *partner,
                              const char *contract_id, uint64_t attempt, const char *ocid,
                              const ingest_store_release_t *release);

//  True when partner holds a record of kind ("CONTRACT") under natural_key.
bool
    ingest_store_has (ingest_store_t *self, const char *kind,
                      const char *partner, const char *natural_key);

//  Rows held of kind, for one partner or all (partner NULL).
int64_t
    ingest_store_count (ingest_store_t *self, const char *kind, const char *partner);

//  --------------------------------------------------------------------------
//  Counters of a spend file's transaction numbers, past those counted in
//  memory: each in a scratch database of its own, on disk, so memory stays
//  bounded whatever the file. A counter belongs to one thread at a time.

typedef struct _ingest_store_counter_t ingest_store_counter_t;

//  NULL on failure, with *reason_p saying why.
ingest_store_counter_t *
    ingest_store_counter_new (const char **reason_p);

void
    ingest_store_counter_destroy (ingest_store_counter_t **self_p);

//  Counts one more occurrence of transaction_no and returns the count, 1
//  the first time; 0 on a database error.
uint32_t
    ingest_store_counter_add (ingest_store_counter_t *self, const char *transaction_no);

void
    ingest_store_test (bool verbose);

#endif
