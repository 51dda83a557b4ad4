/*  socval-valuation: the valuation service.

    Usage: socval-valuation [--config FILE] [--data DIR]
    Runs until SIGINT or SIGTERM. Exit 1 when it cannot start.
*/

#include "sv_service.h"
#include "valuation_server.h"

int
main (int argc, char *argv [])
{
    sv_service_return_large_blocks ();
    return sv_service_main (argc, argv, "valuation", valuation_server);
}
