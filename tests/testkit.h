/*  testkit: what the process tests share. */
#ifndef TESTKIT_H_INCLUDED
#define TESTKIT_H_INCLUDED

#include <czmq.h>
#include "sv_proto.h"

//  Asks the control endpoint for STATUS straight over ZeroMQ (quicker than
//  the socval command when polling, and about one service only). Fills
//  reply (reset it after); 0, or -1 when nothing answers within timeout_ms.
int
    testkit_status (const char *endpoint, int timeout_ms, sv_proto_t *reply);

//  The rows a service's STATUS counts under name, or -1.
int64_t
    testkit_count (const char *endpoint, int timeout_ms, const char *name);

#endif
