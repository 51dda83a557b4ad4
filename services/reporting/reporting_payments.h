/*  reporting_payments: the payments reporting reads from ingest's stream,
    written to its store many rows to a statement, and summed as they go.

    A large council sends a million payments a year. Each is one row of the
    payments table (reporting_store's migration 9: what socval explain and
    the open-data pack show of it, and the event it came from), and counts
    in one row of spend_sums: the payments and pence of a partner, year,
    month and payee (supplier and the postcode given), which is all the
    reports read of spend, a few thousand rows where payments are a
    million.

    A row written by a statement of its own costs SQLite as much again in
    preparing, binding and finishing the statement as in storing the row,
    so payments are held here, copied, and written REPORTING_PAYMENTS_MANY
    to a statement, as new rows. Almost every payment is new; one whose key
    is held already (a payment sent again changed, or twice in a batch)
    replaces it, and moves its sums from the old row's to the new. The
    sums are kept in memory for the transaction and written when it is
    about to commit (sv_db_set_before_commit), with the payments still held;
    a commit hook asserts that nothing is left, and a rollback drops it all.
*/
#ifndef REPORTING_PAYMENTS_H_INCLUDED
#define REPORTING_PAYMENTS_H_INCLUDED

#include <czmq.h>
#include "sv_db.h"
#include "sv_proto.h"

typedef struct _reporting_payments_t reporting_payments_t;

//  Payments written at once
#define REPORTING_PAYMENTS_MANY 32

//  Payments held for db, whose schema has the payments and spend_sums
//  tables. Never NULL.
//  Takes db's before-commit function and SQLite's commit and rollback
//  hooks.
reporting_payments_t *
    reporting_payments_new (sv_db_t *db);

void
    reporting_payments_destroy (reporting_payments_t **self_p);

//  Takes the payment of SPEND event seq, keyed key (ingest's partner and
//  natural key), inside the caller's transaction: copies it, and writes
//  the payments held when there are REPORTING_PAYMENTS_MANY. 0, or -1 on
//  a database error (the caller rolls back).
int
    reporting_payments_add (reporting_payments_t *self, const char *key, uint64_t seq,
                            const sv_proto_spend_t *spend);

//  Writes the payments held, inside the caller's transaction (their sums
//  wait for the commit). 0, or -1 on a database error (the caller rolls
//  back).
int
    reporting_payments_flush (reporting_payments_t *self);

//  The id of partner's payee of supplier_key at postcode, as payments,
//  spend_sums and places give it: the XXH3 64-bit hash of the three. A
//  payee is always checked against its key where it is found by its id.
int64_t
    reporting_payments_payee (const char *partner, const char *supplier_key,
                              const char *postcode);

void
    reporting_payments_test (bool verbose);

#endif
