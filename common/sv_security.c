/*  sv_security: CURVE between the services of one stack. See
    sv_security.h.

    The certificate store ZAP reads is made in memory at start from the
    folders, so a key added to a folder takes effect when the service is
    restarted (as any other change of config does).
*/

#include "sv_security.h"

static struct {
    bool started;
    bool curve;
    zcert_t *certificate;       //  this process's own, with its secret
    char *service_keys;         //  folder of the stack's public certificates
    zhashx_t *allowed;          //  public key (Z85) of every service key
    zactor_t *auth;
} s_self;

//  Calls fn (cert, arg) for each certificate file (a .cert that is not a
//  _secret) in folder; returns how many were read
static int
s_each_cert (const char *folder, void (*fn) (zcert_t *cert, void *arg), void *arg)
{
    zdir_t *dir = zdir_new (folder, NULL);
    if (!dir)
        return 0;
    zlist_t *files = zdir_list (dir);
    int count = 0;
    for (zfile_t *file = (zfile_t *) zlist_first (files); file;
         file = (zfile_t *) zlist_next (files)) {
        const char *name = zfile_filename (file, NULL);
        size_t length = strlen (name);
        if (length < 5 || strcmp (name + length - 5, ".cert") != 0)
            continue;
        zcert_t *cert = zcert_load (name);
        if (cert) {
            fn (cert, arg);
            count++;
        }
    }
    zlist_destroy (&files);
    zdir_destroy (&dir);
    return count;
}

static void
s_insert (zcert_t *cert, void *arg)
{
    zcertstore_insert ((zcertstore_t *) arg, &cert);
}

static void
s_allow (zcert_t *cert, void *arg)
{
    zhashx_update ((zhashx_t *) arg, zcert_public_txt (cert), (void *) 1);
    zcert_destroy (&cert);
}

int
sv_security_start (sv_config_t *config, const char *service, const char *partner_keys)
{
    assert (config && service);
    assert (!s_self.started);
    s_self.started = true;
    s_self.curve = sv_config_int (config, "security/curve") != 0;
    s_self.allowed = zhashx_new ();
    if (s_self.curve) {
        char key [64], name [64];
        snprintf (key, sizeof key, "%s/certificate", service);
        snprintf (name, sizeof name, "keys/%s.cert", service);
        char *path = sv_config_data_path (config, key, name);
        s_self.certificate = zcert_load (path);
        if (!s_self.certificate || !*zcert_secret_txt (s_self.certificate)
        ||  streq (zcert_secret_txt (s_self.certificate), "0000000000000000000000000000000000000000")) {
            zsys_error ("%s: security/curve is on but there is no certificate %s (with %s_secret);"
                        " make one with: socval keys new %s", service, path, path, service);
            zstr_free (&path);
            return -1;
        }
        zstr_free (&path);
        s_self.service_keys = sv_config_data_path (config, "security/service_keys",
                                                   "keys/services");
        if (s_each_cert (s_self.service_keys, s_allow, s_self.allowed) == 0) {
            zsys_error ("%s: security/curve is on but %s holds no service certificates",
                        service, s_self.service_keys);
            return -1;
        }
    }
    if (s_self.curve || partner_keys) {
        //  ZAP before any bind: a CURVE server with no handler accepts anyone
        zcertstore_t *store = zcertstore_new (NULL);
        if (s_self.curve)
            s_each_cert (s_self.service_keys, s_insert, store);
        if (partner_keys)
            s_each_cert (partner_keys, s_insert, store);
        s_self.auth = zactor_new (zauth, store);
        if (!s_self.auth) {
            zcertstore_destroy (&store);
            zsys_error ("%s: cannot start ZAP", service);
            return -1;
        }
    }
    return 0;
}

void
sv_security_stop (void)
{
    zactor_destroy (&s_self.auth);
    zcert_destroy (&s_self.certificate);
    zstr_free (&s_self.service_keys);
    zhashx_destroy (&s_self.allowed);
    s_self.curve = false;
    s_self.started = false;
}

bool
sv_security_curve (void)
{
    return s_self.curve;
}

void
sv_security_server (zsock_t *socket)
{
    assert (socket);
    if (!s_self.curve)
        return;
    zsock_set_zap_domain (socket, "socval");
    zcert_apply (s_self.certificate, socket);
    zsock_set_curve_server (socket, 1);
}

int
sv_security_client (zsock_t *socket, const char *peer)
{
    assert (socket && peer);
    if (!s_self.curve)
        return 0;
    char *path = zsys_sprintf ("%s/%s.cert", s_self.service_keys, peer);
    zcert_t *server = zcert_load (path);
    if (!server) {
        zsys_error ("security/curve is on but there is no certificate %s for %s", path, peer);
        zstr_free (&path);
        return -1;
    }
    zcert_apply (s_self.certificate, socket);
    zsock_set_curve_serverkey (socket, zcert_public_txt (server));
    zcert_destroy (&server);
    zstr_free (&path);
    return 0;
}

bool
sv_security_allowed (zframe_t *frame)
{
    if (!s_self.curve)
        return true;
    const char *user = frame? zframe_meta (frame, "User-Id"): NULL;
    return user && zhashx_lookup (s_self.allowed, user) != NULL;
}

//  ==========================================================================
//  Self-test

void
sv_security_test (bool verbose)
{
    if (verbose)
        printf (" * sv_security: ");
    char *dir = zsys_sprintf ("/tmp/sv_security_test_%d", getpid ());
    zsys_dir_create ("%s/keys/services", dir);
    zsys_dir_create ("%s/keys/partners", dir);
    //  Two services and a partner, each with its own certificate
    const char *names [] = { "ingest", "valuation", "partner" };
    for (int index = 0; index < 3; index++) {
        zcert_t *cert = zcert_new ();
        char *path = zsys_sprintf ("%s/keys/%s.cert", dir, names [index]);
        assert (zcert_save (cert, path) == 0);
        zstr_free (&path);
        path = zsys_sprintf ("%s/keys/%s/%s.cert", dir, index == 2? "partners": "services",
                             names [index]);
        assert (zcert_save_public (cert, path) == 0);
        zstr_free (&path);
        zcert_destroy (&cert);
    }
    sv_config_t *config = sv_config_new ();
    sv_config_set (config, "data/dir", dir);
    sv_config_set (config, "security/curve", "1");

    //  The producer side: ingest, whose ZAP also knows the partner
    char *partners = zsys_sprintf ("%s/keys/partners", dir);
    assert (sv_security_start (config, "ingest", partners) == 0);
    assert (sv_security_curve ());
    zsock_t *server = zsock_new (ZMQ_ROUTER);
    sv_security_server (server);
    int port = zsock_bind (server, "tcp://127.0.0.1:*");
    assert (port > 0);
    zsock_set_rcvtimeo (server, 1000);

    //  A service key is served; the partner's passes ZAP but is not
    //  allowed; an unknown key gets nothing through at all
    const char *clients [] = { "valuation", "partner", NULL };
    bool expected [] = { true, false, false };
    for (int index = 0; index < 3; index++) {
        zsock_t *client = zsock_new (ZMQ_DEALER);
        zcert_t *cert = NULL;
        if (clients [index]) {
            char *path = zsys_sprintf ("%s/keys/%s.cert", dir, clients [index]);
            cert = zcert_load (path);
            zstr_free (&path);
        }
        else
            cert = zcert_new ();
        zcert_apply (cert, client);
        zcert_destroy (&cert);
        char *path = zsys_sprintf ("%s/keys/services/ingest.cert", dir);
        zcert_t *ingest = zcert_load (path);
        zsock_set_curve_serverkey (client, zcert_public_txt (ingest));
        zcert_destroy (&ingest);
        zstr_free (&path);
        zsock_connect (client, "tcp://127.0.0.1:%d", port);
        zstr_send (client, "FETCH");
        zframe_t *identity = zframe_recv (server);
        zframe_t *body = identity? zframe_recv (server): NULL;
        bool allowed = body && sv_security_allowed (body);
        assert (allowed == expected [index]);
        if (!clients [index])
            assert (body == NULL);      //  refused at the handshake
        zframe_destroy (&identity);
        zframe_destroy (&body);
        zsock_destroy (&client);
    }
    zsock_destroy (&server);
    sv_security_stop ();

    //  A service without its certificate does not start
    sv_config_set (config, "security/curve", "1");
    assert (sv_security_start (config, "compliance", NULL) == -1);
    sv_security_stop ();
    //  With curve off nothing is checked
    sv_config_set (config, "security/curve", "0");
    assert (sv_security_start (config, "compliance", NULL) == 0);
    assert (!sv_security_curve () && sv_security_allowed (NULL));
    sv_security_stop ();

    sv_config_destroy (&config);
    zstr_free (&partners);
    char *command = zsys_sprintf ("rm -rf '%s'", dir);
    assert (system (command) == 0);
    zstr_free (&command);
    zstr_free (&dir);
    if (verbose)
        printf ("OK\n");
}
