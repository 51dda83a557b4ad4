/*  valuation_server: the valuation service as a CZMQ actor.

    Sockets:
    - a consumer of ingest's stream (sv_stream): every SUPPLIER, COMPANY,
      CONTRACT, COMMITMENT, DELIVERY and PAYEE event (never a payment) is
      applied in the transaction that stores the ingest offset, together
      with the lines and places it produces.
    - stream (sv_stream producer "valuation"): VALUATION_LINE events, keyed
      by their source row, and PLACE events, keyed by their payee; one sent
      again for the same source or payee supersedes the earlier.
    - control (ROUTER): STATUS, FRAMEWORK_IMPORT and FRAMEWORK_LIST.

    What is valued again, and when: a contract whose start or supplier
    changes values its commitments again; a supplier whose postcode, flags
    or registered office change places its payees again, as does a
    partner whose local area or directory changed (on start); a framework
    imported values
    again every commitment and delivery of the partners that use its id.
    Only lines that changed go out.

    Each partner's framework (partners/<name>/framework, default
    "illustrative-rationalised"), active measures (partners/<name>/measures,
    default all) and locality (local_districts, local_authorities, and the
    directory in valuation/postcode_lookup) come from the config.

    Commands on the pipe: $TERM. Once started the actor sends "READY", or
    "FAILED" (the reason logged) and ends.
*/
#ifndef VALUATION_SERVER_H_INCLUDED
#define VALUATION_SERVER_H_INCLUDED

#include <czmq.h>
#include "sv_config.h"

//  zactor_new (valuation_server, config): config is borrowed and must
//  outlive the actor.
void
    valuation_server (zsock_t *pipe, void *config);

#endif
