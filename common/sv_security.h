/*  sv_security: CURVE between the services of one stack.

    On one machine the services talk over loopback or ipc in the clear
    (DESIGN.md allows it when every endpoint is local). Across hosts the
    config sets security/curve = 1, and then every stream and control
    endpoint is a CURVE server with the service's own certificate, every
    consumer and the socval command are CURVE clients with theirs, and a
    peer is served only when its key is one of the stack's service keys:
    the public certificates in security/service_keys (ingest.cert,
    valuation.cert, compliance.cert, reporting.cert, socval.cert). A
    consumer finds its producer's server key there by the producer's name.

    ZAP is CZMQ's zauth, started before any socket binds, over a
    certificate store that holds the service keys and, for ingest, the
    partners' keys as well (one ZAP handler serves a whole process). So
    ZAP alone would let a partner's key reach ingest's stream: every
    stream and control endpoint also checks the peer's User-Id against the
    service keys (sv_security_allowed).

    Plain endpoints stay on the host: with security/curve = 0 a service
    refuses to bind a stream or control endpoint that is not loopback
    (127.0.0.0/8, ::1, localhost), ipc or inproc, since anyone who reached
    it would read every partner's data and use the control verbs, unless
    security/allow_plain_remote = 1 says so, and then it warns at every
    start. The partners' feed is CURVE whatever the config says.

    A certificate is taken only with its secret half (<path>_secret): a
    server without its secret key would start and then fail every
    handshake, so the start stops instead, naming the file.

    The security of a process is set once, by its service actor (or the
    socval command) before it makes sockets; tests and benches that never
    call sv_security_start run in the clear.
*/
#ifndef SV_SECURITY_H_INCLUDED
#define SV_SECURITY_H_INCLUDED

#include <czmq.h>
#include "sv_config.h"

//  Starts the process's security for service (its certificate is
//  <service>/certificate, default <data/dir>/keys/<service>.cert).
//  partner_keys, when not NULL, is a folder of partners' certificates that
//  ZAP also accepts (ingest's feed); ZAP then runs even when
//  security/curve is 0, because the feed is always CURVE. Returns 0, or -1
//  (logged, naming the file) when a certificate or folder is missing.
int
    sv_security_start (sv_config_t *config, const char *service, const char *partner_keys);

//  Stops ZAP and forgets the keys. Safe when never started.
void
    sv_security_stop (void);

//  True when security/curve is on for this process.
bool
    sv_security_curve (void);

//  Makes socket a CURVE server with the service's certificate, when
//  security/curve is on. Call before binding.
void
    sv_security_server (zsock_t *socket);

//  Makes socket a server as sv_security_server does and binds it to
//  endpoint. Refuses (-1, logged with the endpoint and the keys that would
//  allow it) an endpoint off this host while security/curve is 0, unless
//  security/allow_plain_remote is 1, when it warns and binds. Returns
//  zsock_bind's result: the port for a tcp endpoint, 0 for others, -1
//  when it cannot bind (logged).
int
    sv_security_bind (zsock_t *socket, const char *endpoint);

//  True when endpoint stays on this host: ipc://, inproc://, or tcp:// to
//  127.0.0.0/8, ::1, localhost or the interface lo.
bool
    sv_security_endpoint_local (const char *endpoint);

//  Loads the certificate at path with its secret half, for service (named
//  in the log). NULL (logged, naming the file that is missing) when there
//  is no certificate or no secret key beside it. Caller destroys.
zcert_t *
    sv_security_certificate (const char *path, const char *service);

//  Calls fn with each stream or control endpoint of config that a service
//  would refuse to bind (sv_security_bind); returns how many.
int
    sv_security_verify (sv_config_t *config, sv_config_problem_fn *fn, void *arg);

//  Makes socket a CURVE client of service peer (its server key from the
//  service keys folder), when security/curve is on. Call before
//  connecting. 0, or -1 (logged) when the peer's certificate is missing.
int
    sv_security_client (zsock_t *socket, const char *peer);

//  True when the peer that sent frame may use a stream or control
//  endpoint: always with security/curve off; else when its User-Id (its
//  public key, as ZAP authenticated it) is one of the service keys.
bool
    sv_security_allowed (zframe_t *frame);

void
    sv_security_test (bool verbose);

#endif
