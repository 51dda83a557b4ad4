/*  reporting_replay: reporting's read model as it stood at past stream
    offsets (socval report --at), for rebuilding a past report.

    Reporting's own store holds only the latest of everything, so a past
    report is rebuilt by reading the three upstream streams again, from
    their start to the offsets asked for, into a scratch store, exactly
    as reporting's consumers applied them: the same events in the same
    order through reporting_store_apply give the same rows. Producers keep
    every event they streamed, so every offset a report ever stated can be
    reached, unless a producer's stream now ends before it (a store
    restored from an older backup) or does not answer: then the offsets
    it can no longer reach are named.

    The streams are read synchronously, a batch at a time: the caller
    (reporting's actor) answers nothing else meanwhile, for as long as
    reading that many events takes.
*/
#ifndef REPORTING_REPLAY_H_INCLUDED
#define REPORTING_REPLAY_H_INCLUDED

#include <czmq.h>
#include "reporting_store.h"
#include "sv_config.h"

//  The upstream streams, in the order at [] gives their offsets
#define REPORTING_REPLAY_STREAMS 3
extern const char *const reporting_replay_streams [REPORTING_REPLAY_STREAMS];

//  Reads ingest, valuation and compliance (endpoints <stream>/stream_endpoint
//  of config) up to at [0], at [1] and at [2] into a new store at path,
//  waiting up to timeout_ms for each batch. Returns the store (the
//  caller's; it removes path after), or NULL with *reason_p, a fresh
//  string naming each offset that cannot be reached and why.
reporting_store_t *
    reporting_replay (sv_config_t *config, const char *path, const uint64_t *at,
                      int timeout_ms, char **reason_p);

#endif
