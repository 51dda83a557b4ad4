/*  reporting_server: the reporting service as a CZMQ actor.

    Sockets:
    - consumers of three streams (sv_stream): ingest (suppliers and
      contracts), valuation (valuation and local-spend lines) and
      compliance (alerts), each applied to the read model in reporting_store
      in the transaction that stores that stream's offset.
    - stream (sv_stream producer "reporting"): REPORT_READY for every
      scheduled report written, naming its path and the offsets it was
      built at.
    - control (ROUTER): STATUS, and REPORT_REQUEST answered by REPORT_READY
      carrying the report's files (nothing is written for it), or ERROR.

    Reports are built from the read model as it stands between batches, so
    the offsets a report states are exactly the events it reflects, and two
    reports built at the same offsets differ only in their created time.

    Schedules (config "schedules/<name>": cron, kind, year, partner,
    formats) are checked every reporting/tick_ms against the system clock,
    or reporting/clock_file when set. A schedule runs when its latest fire
    time is later than its last recorded run, so a run missed while the
    service was down is made up once on start, never several times. A
    schedule seen for the first time starts counting from then. Files go
    to reporting/output, named kind-partner-year-time.ext (a folder of CSV
    files for csv), written under a temporary name and renamed into place.

    Commands on the pipe: $TERM. Once started the actor sends "READY", or
    "FAILED" (the reason logged, e.g. a schedule that does not parse) and
    ends.
*/
#ifndef REPORTING_SERVER_H_INCLUDED
#define REPORTING_SERVER_H_INCLUDED

#include <czmq.h>
#include "sv_config.h"

//  zactor_new (reporting_server, config): config is borrowed and must
//  outlive the actor.
void
    reporting_server (zsock_t *pipe, void *config);

#endif
