/*  compliance_server: the compliance service as a CZMQ actor.

    Sockets:
    - a consumer of ingest's stream (sv_stream): CONTRACT, SUPPLIER,
      COMMITMENT and DELIVERY events are stored in the transaction that
      stores the ingest offset, and judged later (see Time). SPEND events
      are skipped unread.
    - stream (sv_stream producer "compliance"): ALERT events, one for every
      change of an alert's state (open, acknowledged, resolved), keyed by
      the alert's id.
    - control (ROUTER): STATUS, and ALERT_ACK answered with the ALERT as
      acknowledged, or ERROR (404 unknown id, 409 already resolved).

    Time: every rule is evaluated for every subject, in one transaction,
    on start, whenever the date changes (checked every compliance/tick_ms),
    and once ingest's stream has brought no facts for compliance/quiet_ms
    after it brought some (at most a minute after the first of them, so a
    stream that never pauses is still judged). So the alerts a load opens
    are those that hold at its end, whatever its batches: identical feeds
    give identical alert streams. STATUS counts "pending evaluation" 1
    while facts await it. The date comes from the system clock, or from
    compliance/clock_file when set, so tests and drills can move time.

    Alert ids are stable, rule/partner/subject, e.g.
    "rlw.missing_commitment/council/TMBC-2024-0001", so evaluating again
    never duplicates: an alert whose condition clears is resolved, and one
    whose condition returns is opened again under the same id.

    Hook: compliance/alert_hook, when set, runs once per alert opened (new
    or reopened), after the change is committed, with the alert as JSON on
    stdin, in a thread of its own with compliance/hook_timeout_ms, so a slow
    or hung hook never holds the service. A hook pending when the service
    dies is not run again (the stream keeps the alert; followers see it).

    Commands on the pipe: $TERM. Once started the actor sends "READY", or
    "FAILED" (the reason logged) and ends.
*/
#ifndef COMPLIANCE_SERVER_H_INCLUDED
#define COMPLIANCE_SERVER_H_INCLUDED

#include <czmq.h>
#include "sv_config.h"

//  zactor_new (compliance_server, config): config is borrowed and must
//  outlive the actor.
void
    compliance_server (zsock_t *pipe, void *config);

#endif
