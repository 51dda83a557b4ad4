/*  socval-ingest: the ingest service.

    Usage: socval-ingest [--config FILE] [--data DIR]
           socval-ingest --headers    the canonical CSV header of each kind
    Runs until SIGINT or SIGTERM. Exit 1 when it cannot start.
*/

#include "sv_service.h"
#include "ingest_records.h"
#include "ingest_server.h"

int
main (int argc, char *argv [])
{
    if (argc == 2 && streq (argv [1], "--headers")) {
        ingest_records_print_headers (stdout);
        return 0;
    }
    return sv_service_main (argc, argv, "ingest", ingest_server);
}
