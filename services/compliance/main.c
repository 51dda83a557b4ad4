/*  socval-compliance: the compliance service.

    Usage: socval-compliance [--config FILE] [--data DIR]
    Runs until SIGINT or SIGTERM. Exit 1 when it cannot start.
*/

#include "sv_service.h"
#include "compliance_server.h"

int
main (int argc, char *argv [])
{
    return sv_service_main (argc, argv, "compliance", compliance_server);
}
