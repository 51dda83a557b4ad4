/*  ingest_server: the ingest service as a CZMQ actor.

    Sockets:
    - feed (ROUTER, CURVE server with ZAP over the partners' certificate
      folder, zauth started before the bind): SUBMIT in, CREDIT and RECEIPT
      out. The partner of a batch is the one whose public key authenticated
      the connection (the frame's User-Id mapped through partners/<name>/
      public_key), never anything in the message.
    - stream (sv_stream producer "ingest"): FETCH in, EVENTS out.
    - control (ROUTER): STATUS in, STATUS_REPLY out.

    Flow of a batch: the partner sends chunk 0 and waits; as the batch's
    reader (a thread of its own) starts on each chunk, ingest answers CREDIT
    (the first time for ingest/credit chunks, then one per chunk), so at
    most that many chunks of any batch are ever queued; a batch sending
    more is refused. The rows read are stored in turns, a few hundred of
    one batch at a time, so a small batch is not held behind a large one.
    After the last rows commit, ingest sends RECEIPT.
    (partner, batch_id) is idempotent: a finished batch sent again gets its
    first receipt back and adds nothing; the same id with other content is
    refused.

    Commands on the actor pipe: $TERM. Once started the actor sends the
    string "READY", or "FAILED" when it cannot start (the reason is logged)
    and then ends.
*/
#ifndef INGEST_SERVER_H_INCLUDED
#define INGEST_SERVER_H_INCLUDED

#include <czmq.h>
#include "sv_config.h"

//  zactor_new (ingest_server, config): config is borrowed and must outlive
//  the actor.
void
    ingest_server (zsock_t *pipe, void *config);

#endif
