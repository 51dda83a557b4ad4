/*  compliance_store: compliance's SQLite store, the only file with SQL for
    the compliance service.

    It keeps what the rules read from ingest's stream (contracts, suppliers'
    names and RLW accreditation, commitments and delivery returns, each row
    keyed as ingest keys it so a re-sent row replaces itself) and the alerts
    with their lifecycle. Alert events go to the outbox in the transaction
    that changes the alert, so the stream and the table never disagree.

    Every _put must run inside a transaction (the stream consumer's, or the
    server's own for timer evaluations); every function returns 0 or -1 on
    a database error unless it says otherwise.
*/
#ifndef COMPLIANCE_STORE_H_INCLUDED
#define COMPLIANCE_STORE_H_INCLUDED

#include <czmq.h>
#include "sv_db.h"
#include "sv_proto.h"
#include "compliance_rules.h"

typedef struct _compliance_store_t compliance_store_t;

//  Opens (creating or migrating) the store at path. NULL with *reason_p.
compliance_store_t *
    compliance_store_new (const char *path, const char **reason_p);

void
    compliance_store_destroy (compliance_store_t **self_p);

//  The store's database, borrowed (for transactions and the stream).
sv_db_t *
    compliance_store_db (compliance_store_t *self);

//  --------------------------------------------------------------------------
//  Facts from ingest

int
    compliance_store_contract_put (compliance_store_t *self, const sv_proto_contract_t *contract);
int
    compliance_store_supplier_put (compliance_store_t *self, const sv_proto_supplier_t *supplier);
//  key is the ingest event's key: a row sent again replaces itself.
int
    compliance_store_commitment_put (compliance_store_t *self, const char *key,
                                     const sv_proto_commitment_t *commitment);
int
    compliance_store_delivery_put (compliance_store_t *self, const char *key,
                                   const sv_proto_delivery_t *delivery);

//  Called with one contract's facts (borrowed, valid during the call). The
//  supplier's name is its record from the contract's partner, else from
//  any partner; it counts as accredited when any partner records it so,
//  with the latest expiry any partner gives. Return 0 to go on, -1 to stop
//  with an error.
typedef int (compliance_store_contract_fn) (const compliance_rules_contract_t *contract,
                                            void *arg);

//  Calls fn for contracts, in (partner, contract_id) order: one when
//  contract_id is given (with partner), those of one supplier when
//  supplier_key is given, else all. 0, or -1 when fn or the store failed.
int
    compliance_store_contracts_each (compliance_store_t *self, const char *partner,
                                     const char *contract_id, const char *supplier_key,
                                     compliance_store_contract_fn *fn, void *arg);

//  Calls fn for each measure committed on a contract, in measure order,
//  with its committed total over all years and its delivered total to
//  date (thousandths). 0 or -1.
typedef int (compliance_store_measure_fn) (const char *measure, int64_t committed_milli,
                                           int64_t delivered_milli, void *arg);
int
    compliance_store_measures_each (compliance_store_t *self, const char *partner,
                                    const char *contract_id,
                                    compliance_store_measure_fn *fn, void *arg);

//  The latest period end of any delivery return on a contract, into
//  latest (11 bytes; "" when there is none). Returns 1 when the contract
//  has commitments, 0 when it has none, -1 on error.
int
    compliance_store_returns (compliance_store_t *self, const char *partner,
                              const char *contract_id, char *latest);

//  Calls fn for every supplier recorded as accredited (by any partner)
//  once per partner it concerns: each partner holding a contract with it,
//  or, when none does, each partner recording it as accredited. So every
//  call has a partner, and an alert per call adds up per partner. In
//  (supplier key, partner) order, with the name that partner's supplier
//  feed gave (else any partner's, else "") and the latest expiry any
//  partner gives ("" when none). All of them, or one supplier's when
//  supplier_key is given.
typedef int (compliance_store_supplier_fn) (const char *supplier_key, const char *partner,
                                            const char *name, const char *expiry, void *arg);
int
    compliance_store_accredited_each (compliance_store_t *self, const char *supplier_key,
                                      compliance_store_supplier_fn *fn, void *arg);

//  --------------------------------------------------------------------------
//  Alerts

//  Reads alert alert_id into alert (strings strdup'ed: release with
//  sv_proto_reset on a message holding it, or compliance_store_alert_free).
//  Returns 1 when found, 0 when not, -1 on error.
int
    compliance_store_alert_get (compliance_store_t *self, const char *alert_id,
                                sv_proto_alert_t *alert);

//  Frees the strings of an alert read by compliance_store_alert_get.
void
    compliance_store_alert_free (sv_proto_alert_t *alert);

//  Writes alert (its latest state) and, when event is true, appends it to
//  the outbox as an ALERT event keyed by its id. 0 or -1.
int
    compliance_store_alert_put (compliance_store_t *self, const sv_proto_alert_t *alert,
                                bool event);

//  Calls fn with the id of every alert of rule that is not resolved, in id
//  order (ids copied before the call, so fn may change alerts). 0 or -1.
int
    compliance_store_alerts_unresolved (compliance_store_t *self, const char *rule,
                                        int (*fn) (const char *alert_id, void *arg), void *arg);

//  Rows in table ("contracts", "suppliers", "commitments", "deliveries",
//  "alerts", "outbox"), or -1 for an unknown table.
int64_t
    compliance_store_count (compliance_store_t *self, const char *table);

//  Alerts in state ("open", "acknowledged", "resolved").
int64_t
    compliance_store_alert_count (compliance_store_t *self, const char *state);

void
    compliance_store_test (bool verbose);

#endif
