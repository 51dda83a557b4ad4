/*  reporting_payments: the payments reporting reads from ingest's stream,
    written to its store many rows to a statement.

    A large council sends a million payments a year, and each is one row of
    the payments table (reporting_store's migration 9): what a report needs
    of it (partner, financial year and month, amount, payee: supplier and
    the postcode given) and the event it came from, for socval explain. A
    row written by a statement of its own costs SQLite as much again in
    preparing, binding and finishing the statement as in storing the row,
    so payments are held here, copied, and written REPORTING_PAYMENTS_MANY
    to a statement: when that many are held, when the caller asks (before
    anything else is applied), and when sv_db_commit is about to commit
    (sv_db_set_before_commit; a commit hook asserts that none is left). A
    rollback drops what is held. A later payment with the same key replaces
    the earlier, within one statement too.
*/
#ifndef REPORTING_PAYMENTS_H_INCLUDED
#define REPORTING_PAYMENTS_H_INCLUDED

#include <czmq.h>
#include "sv_db.h"
#include "sv_proto.h"

typedef struct _reporting_payments_t reporting_payments_t;

//  Payments written at once
#define REPORTING_PAYMENTS_MANY 32

//  Payments held for db, whose schema has the payments table. Never NULL.
//  Takes db's before-commit function and SQLite's commit and rollback
//  hooks.
reporting_payments_t *
    reporting_payments_new (sv_db_t *db);

void
    reporting_payments_destroy (reporting_payments_t **self_p);

//  Takes the payment of SPEND event seq, keyed key (ingest's partner and
//  natural key), inside the caller's transaction: copies it, and writes
//  the payments held when there are REPORTING_PAYMENTS_MANY. 0, or -1 on
//  a database error (the caller rolls back: nothing is held any more).
int
    reporting_payments_add (reporting_payments_t *self, const char *key, uint64_t seq,
                            const sv_proto_spend_t *spend);

//  Writes the payments held, inside the caller's transaction. 0, or -1 on
//  a database error (the caller rolls back: nothing is held any more).
int
    reporting_payments_flush (reporting_payments_t *self);

void
    reporting_payments_test (bool verbose);

#endif
