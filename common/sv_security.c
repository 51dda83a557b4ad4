/*  sv_security: CURVE between the services of one stack. See
    sv_security.h.

    The certificate store ZAP reads is made in memory at start from the
    folders, so a key added to a folder takes effect when the service is
    restarted (as any other change of config does).
*/

#include "sv_security.h"
#include <arpa/inet.h>

static struct {
    bool started;
    bool curve;
    bool plain_remote;          //  security/allow_plain_remote
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
    s_self.plain_remote = sv_config_int (config, "security/allow_plain_remote") != 0;
    s_self.allowed = zhashx_new ();
    if (s_self.curve) {
        char key [64], name [64];
        snprintf (key, sizeof key, "%s/certificate", service);
        snprintf (name, sizeof name, "keys/%s.cert", service);
        char *path = sv_config_data_path (config, key, name);
        s_self.certificate = sv_security_certificate (path, service);
        zstr_free (&path);
        if (!s_self.certificate)
            return -1;
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
    s_self.plain_remote = false;
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

zcert_t *
sv_security_certificate (const char *path, const char *service)
{
    assert (path && service);
    char *secret = zsys_sprintf ("%s_secret", path);
    zcert_t *cert = NULL;
    if (!zsys_file_exists (path))
        zsys_error ("%s: there is no certificate %s (nor %s); make one with: socval keys new %s",
                    service, path, secret, service);
    else
    if (!zsys_file_exists (secret))
        zsys_error ("%s: the certificate %s has no secret half: %s is missing (copy it beside"
                    " the certificate, readable by this service only)", service, path, secret);
    else {
        cert = zcert_load (path);
        //  zcert_load fills a secret key it could not read with zeros
        if (!cert || streq (zcert_secret_txt (cert), "0000000000000000000000000000000000000000")) {
            zsys_error ("%s: %s holds no CURVE secret-key for the certificate %s",
                        service, secret, path);
            zcert_destroy (&cert);
        }
    }
    zstr_free (&secret);
    return cert;
}

bool
sv_security_endpoint_local (const char *endpoint)
{
    assert (endpoint);
    if (strncmp (endpoint, "ipc://", 6) == 0 || strncmp (endpoint, "inproc://", 9) == 0)
        return true;
    if (strncmp (endpoint, "tcp://", 6) != 0)
        return false;
    //  tcp://[source;]host:port, the host maybe in brackets (IPv6)
    const char *host = endpoint + 6;
    if (strchr (host, ';'))
        host = strrchr (host, ';') + 1;
    const char *colon = strrchr (host, ':');
    if (!colon)
        return false;
    char name [128];
    size_t length = (size_t) (colon - host);
    if (length >= sizeof name)
        return false;
    memcpy (name, host, length);
    name [length] = 0;
    if (length >= 2 && name [0] == '[' && name [length - 1] == ']') {
        memmove (name, name + 1, length - 2);
        name [length - 2] = 0;
    }
    struct in_addr ipv4;
    struct in6_addr ipv6;
    if (inet_pton (AF_INET, name, &ipv4) == 1)
        return (ntohl (ipv4.s_addr) >> 24) == 127;
    if (inet_pton (AF_INET6, name, &ipv6) == 1)
        return IN6_IS_ADDR_LOOPBACK (&ipv6)
            || (IN6_IS_ADDR_V4MAPPED (&ipv6) && ipv6.s6_addr [12] == 127);
    return streq (name, "localhost") || streq (name, "lo");
}

int
sv_security_bind (zsock_t *socket, const char *endpoint)
{
    assert (socket && endpoint);
    sv_security_server (socket);
    if (!s_self.curve && !sv_security_endpoint_local (endpoint)) {
        if (!s_self.plain_remote) {
            zsys_error ("refusing to bind %s in the clear: with security/curve = 0 anyone who"
                        " reaches it reads every partner's data and uses the control verbs."
                        " Bind loopback (127.0.0.1) or ipc, or set security/curve = 1 (or"
                        " security/allow_plain_remote = 1 to accept the risk)", endpoint);
            return -1;
        }
        zsys_warning ("%s is bound in the clear off this host (security/allow_plain_remote = 1):"
                      " anyone who reaches it reads every partner's data and uses the control"
                      " verbs", endpoint);
    }
    int rc = zsock_bind (socket, "%s", endpoint);
    if (rc == -1)
        zsys_error ("cannot bind %s: %s", endpoint, zmq_strerror (zmq_errno ()));
    return rc;
}

int
sv_security_verify (sv_config_t *config, sv_config_problem_fn *fn, void *arg)
{
    assert (config);
    if (sv_config_int (config, "security/curve")
    ||  sv_config_int (config, "security/allow_plain_remote"))
        return 0;
    //  The feed is CURVE always, so it is not among them
    const char *keys [] = {
        "ingest/stream_endpoint", "ingest/control_endpoint",
        "valuation/stream_endpoint", "valuation/control_endpoint",
        "compliance/stream_endpoint", "compliance/control_endpoint",
        "reporting/stream_endpoint", "reporting/control_endpoint"
    };
    int count = 0;
    for (size_t index = 0; index < sizeof keys / sizeof keys [0]; index++) {
        const char *endpoint = sv_config_get (config, keys [index]);
        if (sv_security_endpoint_local (endpoint))
            continue;
        char problem [512];
        snprintf (problem, sizeof problem, "'%s' is '%s': with security/curve = 0, expected"
                  " an endpoint on this host (127.0.0.0/8, ::1, localhost, ipc or inproc);"
                  " set security/curve = 1 (or security/allow_plain_remote = 1 to accept the"
                  " risk)", keys [index], endpoint);
        if (fn)
            fn (problem, arg);
        count++;
    }
    return count;
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
    //  Nor one whose certificate lacks its secret half: the public half
    //  alone would start and fail every handshake
    char *public_only = zsys_sprintf ("%s/keys/compliance.cert", dir);
    char *copy = zsys_sprintf ("cp '%s/keys/services/ingest.cert' '%s'", dir, public_only);
    assert (system (copy) == 0);
    assert (sv_security_certificate (public_only, "compliance") == NULL);
    assert (sv_security_start (config, "compliance", NULL) == -1);
    sv_security_stop ();
    char *ingest_path = zsys_sprintf ("%s/keys/ingest.cert", dir);
    zcert_t *whole = sv_security_certificate (ingest_path, "ingest");
    assert (whole);
    zcert_destroy (&whole);
    zstr_free (&ingest_path);
    zstr_free (&copy);
    zstr_free (&public_only);

    //  With curve off nothing is checked
    sv_config_set (config, "security/curve", "0");
    assert (sv_security_start (config, "compliance", NULL) == 0);
    assert (!sv_security_curve () && sv_security_allowed (NULL));

    //  ... but a plain endpoint stays on this host, unless the config
    //  says otherwise
    const char *local [] = { "tcp://127.0.0.1:7711", "tcp://127.9.8.7:1", "tcp://[::1]:7711",
                             "tcp://localhost:7711", "tcp://lo:7711", "ipc:///tmp/x.ipc",
                             "inproc://x", "tcp://[::ffff:127.0.0.1]:5" };
    for (size_t index = 0; index < sizeof local / sizeof local [0]; index++)
        assert (sv_security_endpoint_local (local [index]));
    const char *remote [] = { "tcp://0.0.0.0:7711", "tcp://*:7711", "tcp://10.0.0.1:7711",
                              "tcp://[::]:7711", "tcp://ingest.socval.internal:7711",
                              "tcp://128.0.0.1:7711", "tcp://eth0:7711", "udp://127.0.0.1:1",
                              "tcp://nonsense" };
    for (size_t index = 0; index < sizeof remote / sizeof remote [0]; index++)
        assert (!sv_security_endpoint_local (remote [index]));
    zsock_t *plain = zsock_new (ZMQ_ROUTER);
    assert (sv_security_bind (plain, "tcp://0.0.0.0:*") == -1);
    assert (sv_security_bind (plain, "tcp://127.0.0.1:*") > 0);
    zsock_destroy (&plain);
    sv_security_stop ();
    assert (sv_security_verify (config, NULL, NULL) == 0);
    sv_config_set (config, "valuation/stream_endpoint", "tcp://0.0.0.0:7721");
    assert (sv_security_verify (config, NULL, NULL) == 1);
    sv_config_set (config, "security/allow_plain_remote", "1");
    assert (sv_security_verify (config, NULL, NULL) == 0);
    assert (sv_security_start (config, "compliance", NULL) == 0);
    plain = zsock_new (ZMQ_ROUTER);
    assert (sv_security_bind (plain, "tcp://0.0.0.0:*") > 0);
    zsock_destroy (&plain);
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
