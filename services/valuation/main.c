/*  socval-valuation: the valuation service.

    Usage: socval-valuation [--config FILE] [--data DIR]
    Runs until SIGINT or SIGTERM. Exit 1 when it cannot start.
*/

#include "valuation_server.h"

int
main (int argc, char *argv [])
{
    const char *config_path = getenv ("SOCVAL_CONFIG");
    const char *data_dir = NULL;
    for (int arg = 1; arg < argc; arg++) {
        if (streq (argv [arg], "--config") && arg + 1 < argc)
            config_path = argv [++arg];
        else
        if (streq (argv [arg], "--data") && arg + 1 < argc)
            data_dir = argv [++arg];
        else {
            fprintf (stderr, "usage: socval-valuation [--config FILE] [--data DIR]\n");
            return 2;
        }
    }
    const char *reason = NULL;
    sv_config_t *config = config_path? sv_config_load (config_path, &reason): sv_config_new ();
    if (!config) {
        fprintf (stderr, "socval-valuation: %s\n", reason);
        return 2;
    }
    if (data_dir)
        sv_config_set (config, "data/dir", data_dir);
    zsys_set_logident ("valuation");
    zactor_t *server = zactor_new (valuation_server, config);
    char *status = zstr_recv (server);
    int rc = status && streq (status, "READY")? 0: 1;
    zstr_free (&status);
    if (rc == 0) {
        zsys_info ("valuation: ready");
        //  Wait for an interrupt (or the actor ending on its own)
        zpoller_t *poller = zpoller_new (server, NULL);
        zpoller_wait (poller, -1);
        zpoller_destroy (&poller);
    }
    zactor_destroy (&server);
    sv_config_destroy (&config);
    return rc;
}
