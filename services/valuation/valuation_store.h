/*  valuation_store: valuation's SQLite store, and the only file of
    valuation with SQL.

    Valuation keeps what it needs to value again when something changes:

    - frameworks: every imported framework's CSV, by id and version, so the
      service rebuilds them on start and a new version can be compared.
    - contracts and suppliers: the few facts a value depends on (a
      contract's start, a supplier's postcode and flags), from ingest.
    - sources: the latest ingest event of every commitment and delivery,
      by natural key, indexed by contract, so a change to a contract or a
      framework finds the rows it touches.
    - payees: each supplier and postcode a partner's payments name (ingest's
      PAYEE), never the payments themselves: a council makes a million
      payments to a few thousand payees, and reporting joins each payment
      with its payee's place. A changed supplier, registered office,
      directory or local area places the payees again, not the payments.
    - with each source, the digest of the last valuation line sent for it,
      and with each payee, of the last PLACE. A line or place computed
      again is appended to the outbox only when it differs, so a recompute
      supersedes exactly what changed. A line made from an event as it
      arrives always goes out: it names the event's seq, which no line
      sent before can have.

    Everything is written in the caller's transaction: the stream consumer's,
    which also stores the ingest offset, so each ingest event is applied
    exactly once whatever is killed when.
*/
#ifndef VALUATION_STORE_H_INCLUDED
#define VALUATION_STORE_H_INCLUDED

#include <czmq.h>
#include "sv_db.h"
#include "sv_proto.h"

typedef struct _valuation_store_t valuation_store_t;

//  Opens or creates the store at path. NULL on failure, *reason_p saying why.
valuation_store_t *
    valuation_store_new (const char *path, const char **reason_p);

void
    valuation_store_destroy (valuation_store_t **self_p);

//  The connection, for transactions and for the stream consumer.
sv_db_t *
    valuation_store_db (valuation_store_t *self);

//  --------------------------------------------------------------------------
//  Frameworks

//  Stores a framework's CSV (size bytes, copied) under id and version,
//  replacing the same id and version. Inside a transaction. 0 or -1.
int
    valuation_store_framework_put (valuation_store_t *self, const char *id,
                                   const char *version, const void *csv, size_t size);

//  The CSV of framework id: the given version, or the latest imported when
//  version is NULL. A new chunk (caller destroys), or NULL when none.
zchunk_t *
    valuation_store_framework_get (valuation_store_t *self, const char *id,
                                   const char *version);

//  Calls fn for every stored framework, by id then version.
int
    valuation_store_framework_each (valuation_store_t *self,
                                    void (*fn) (const char *id, const char *version,
                                                const char *imported_at, void *arg),
                                    void *arg);

//  --------------------------------------------------------------------------
//  Contracts and suppliers

//  Records what valuation needs of a contract. Returns 1 when it is new or
//  changed (its commitments need valuing again), 0 when unchanged, -1 on
//  a database error.
int
    valuation_store_contract_put (valuation_store_t *self, const char *partner,
                                  const char *contract_id, const char *supplier_key,
                                  const char *start_date);

//  A contract's start date (ISO) and supplier key into the buffers (at
//  least 11 and 256 bytes); 0, or -1 when the contract is not known.
int
    valuation_store_contract_get (valuation_store_t *self, const char *partner,
                                  const char *contract_id, char *start_date,
                                  char *supplier_key);

//  Records a supplier's postcode and flags. 1 new or changed, 0 same, -1.
int
    valuation_store_supplier_put (valuation_store_t *self, const char *partner,
                                  const char *supplier_key, const char *postcode,
                                  bool sme, bool vcse, bool employee_owned);

//  Records a supplier's name (what socval suppliers resolve searches the
//  register by): replace true for a supplier feed's name, which wins;
//  false for a payment's, kept only when none is held. A supplier id
//  (ID:) is the partner's own; CH: and NAME: keys are everyone's. 1
//  changed, 0 not ("" is no name), -1.
int
    valuation_store_name_put (valuation_store_t *self, const char *partner,
                              const char *supplier_key, const char *name, bool replace);

//  Records what Companies House's register says of a supplier key (a
//  COMPANY event partner sent): its number, registered office postcode
//  ("" when none) and how it was found ("number" or "name"); for an ID:
//  key, for partner's supplier only. 1 new or changed, 0, -1.
int
    valuation_store_company_put (valuation_store_t *self, const char *partner,
                                 const char *supplier_key, const char *company_number,
                                 const char *postcode, const char *matched_by);

//  The registered office postcode of partner's supplier key (buffer of 16
//  bytes); 0, or -1 when the register said nothing of it.
int
    valuation_store_company_get (valuation_store_t *self, const char *partner,
                                 const char *supplier_key, char *postcode);

//  Called for each supplier key held: the key, a name a feed gave it (""
//  when none did) and, for a supplier id (ID:), the partner whose it is
//  ("" for CH: and NAME: keys), borrowed. Returns 0 to go on or -1 to stop.
typedef int (valuation_store_supplier_fn) (const char *supplier_key, const char *name,
                                           const char *partner, void *arg);

//  Calls fn once for each supplier key held (a supplier id once for each
//  partner holding it), from supplier records and payments alike, in key
//  order. 0, or -1 when fn stopped it or the
//  database failed.
int
    valuation_store_supplier_each (valuation_store_t *self, valuation_store_supplier_fn *fn,
                                   void *arg);

//  A supplier's postcode (buffer of 16 bytes) and flags; 0, or -1 unknown.
int
    valuation_store_supplier_get (valuation_store_t *self, const char *partner,
                                  const char *supplier_key, char *postcode,
                                  bool *sme_p, bool *vcse_p, bool *employee_owned_p);

//  --------------------------------------------------------------------------
//  Sources and lines

//  A commitment's or delivery's latest ingest event, as
//  valuation_store_line_put stores it with the first line made from it.
//  Strings and body are borrowed.
typedef struct {
    const char *contract_id;
    uint64_t seq;                   //  the ingest stream seq it came as
    const void *body;               //  the event itself, size bytes
    size_t size;
} valuation_store_source_t;

//  Called for each source: its natural key, ingest seq and event body,
//  borrowed for the call. Returns 0 to go on or -1 to stop.
typedef int (valuation_store_source_fn) (const char *natural_key, uint64_t seq,
                                         const uint8_t *body, size_t size, void *arg);

//  Calls fn with every source of kind ("COMMITMENT" or "DELIVERY") for
//  partner (NULL: all partners), narrowed to one contract when contract_id
//  is not NULL (a partner is then required).
//  Returns 0, or -1 when fn stopped it or the database failed.
int
    valuation_store_source_each (valuation_store_t *self, const char *kind,
                                 const char *partner, const char *contract_id,
                                 valuation_store_source_fn *fn, void *arg);

//  Sends a line (an encoded VALUATION_LINE, body of size bytes) for the
//  source kind/partner/natural_key (kind is "COMMITMENT" or "DELIVERY").
//  With source (an event ingest sent, for the first time or again) the
//  source row is stored in the same write and the line is appended to the
//  outbox; without it (valuing again what is held; the source row must
//  exist) the line is appended only when it differs from the last line
//  sent for that source. Returns 1 when appended, 0 when unchanged, -1 on
//  a database error.
int
    valuation_store_line_put (valuation_store_t *self, const char *type,
                              const char *kind, const char *partner,
                              const char *natural_key, const valuation_store_source_t *source,
                              const void *body, size_t size);

//  Holds partner's payee: supplier_key and postcode as its payments give
//  them (either may be ""). 1 when new, 0 when held, -1 on a database
//  error.
int
    valuation_store_payee_put (valuation_store_t *self, const char *partner,
                               const char *supplier_key, const char *postcode);

//  Called for each payee held, borrowed for the call. 0 to go on, -1 to stop.
typedef int (valuation_store_payee_fn) (const char *partner, const char *supplier_key,
                                        const char *postcode, void *arg);

//  Calls fn with every payee held for partner (NULL: all partners),
//  narrowed to one supplier when supplier_key is not NULL (a partner is
//  then required). 0, or -1 when fn stopped it or the database failed.
int
    valuation_store_payee_each (valuation_store_t *self, const char *partner,
                                const char *supplier_key, valuation_store_payee_fn *fn,
                                void *arg);

//  Sends a payee's place (an encoded PLACE, body of size bytes) when it
//  differs from the last sent for that payee, which must be held. 1 when
//  appended, 0 when unchanged, -1 on a database error.
int
    valuation_store_place_put (valuation_store_t *self, const char *partner,
                               const char *supplier_key, const char *postcode,
                               const void *body, size_t size);

//  Records the configuration a partner's lines are valued under (any text
//  that changes when the result would). Returns 1 when it is new or
//  differs from the last recorded (the lines must be valued again), 0 when
//  the same, -1 on a database error.
int
    valuation_store_settings_put (valuation_store_t *self, const char *partner,
                                  const char *settings);

//  Rows held, as STATUS reports them
typedef struct {
    int64_t frameworks;
    int64_t contracts;
    int64_t suppliers;
    int64_t sources;            //  commitments, deliveries and payments held
    int64_t lines;              //  sources a line was sent for
} valuation_store_counts_t;

//  Counts the rows held into counts, reading each table once (a million
//  payments take milliseconds to count, and STATUS may be asked for every
//  few). 0, or -1 on a database error.
int
    valuation_store_counts (valuation_store_t *self, valuation_store_counts_t *counts);

void
    valuation_store_test (bool verbose);

#endif
