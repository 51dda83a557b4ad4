/*  socval: what the command's verbs share. One file per group of verbs:
    main.c (dispatch, keys, submit, status, framework), socval_alerts.c,
    socval_report.c, socval_explain.c, socval_up.c (up, demo, wait),
    socval_suppliers.c (suppliers resolve).

    Exit codes, for every verb: 0 done, 1 the request was refused, 2 a
    usage or connection problem.
*/
#ifndef SOCVAL_H_INCLUDED
#define SOCVAL_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "sv_config.h"
#include "sv_proto.h"

typedef struct {
    const char *data_dir;
    const char *config_path;
    bool json;
    int timeout_s;              //  how long to wait for an answer
    bool timeout_given;         //  --timeout was on the command line
} socval_options_t;

//  Prints text to stderr; returns 2 (a usage error).
int
    socval_usage (const char *text);

//  For a verb that takes no arguments of its own: -1 when argv is empty,
//  else the verb's exit code, 0 after printing usage for --help, 2 after
//  printing it to stderr for anything else.
int
    socval_no_arguments (int argc, char *argv [], const char *usage);

//  What a report or an explanation is of: --year, --partner, --contract,
//  --supplier ("" when not given)
typedef struct {
    const char *year;
    const char *partner;
    const char *contract;
    const char *supplier;
} socval_scope_t;

//  Takes argv [*arg] into scope when it is one of scope's options with its
//  value after it, moving *arg onto the value; false for anything else.
bool
    socval_scope_arg (socval_scope_t *scope, int argc, char *argv [], int *arg);

//  Loads the stack's config as the options say: --config FILE, else
//  $SOCVAL_CONFIG, else DIR/socval.cfg for --data DIR, else the defaults
//  with data/dir = DIR. NULL (with a message) when a named file cannot be
//  read.
sv_config_t *
    socval_config (socval_options_t *options);

//  Waits up to timeout_ms for one message on socket and decodes it into
//  reply. 0, or -1 on timeout or a reply that does not decode.
int
    socval_recv_reply (zsock_t *socket, int timeout_ms, sv_proto_t *reply);

//  A DEALER connected to service at endpoint, speaking CURVE with the
//  command's certificate when security/curve is on. Caller destroys.
zsock_t *
    socval_connect (const char *service, const char *endpoint);

//  The stack's services, in stream order.
#define SOCVAL_SERVICES 4
extern const char *const socval_services [SOCVAL_SERVICES];

//  Asks every service for its STATUS at once and waits up to timeout_ms
//  for them all: replies [i] (SOCVAL_SERVICES of them, zeroed by the
//  caller) gets socval_services [i]'s STATUS_REPLY, or keeps id 0 when it
//  did not answer. Returns how many answered; reset each reply after.
int
    socval_status_all (sv_config_t *config, int timeout_ms, sv_proto_t *replies);

//  Sends request to service's control endpoint (from config) and waits up
//  to timeout_s for the reply. 0, or 2 (with a message) when it does not
//  answer.
int
    socval_control_request (sv_config_t *config, const char *service,
                            const sv_proto_t *request, int timeout_s, sv_proto_t *reply);

//  The verbs in their own files; each takes the arguments after its name.
int
    socval_alerts (int argc, char *argv [], socval_options_t *options);
int
    socval_report (int argc, char *argv [], socval_options_t *options);
int
    socval_explain (int argc, char *argv [], socval_options_t *options);
int
    socval_up (int argc, char *argv [], socval_options_t *options);
int
    socval_demo (int argc, char *argv [], socval_options_t *options);
int
    socval_wait (int argc, char *argv [], socval_options_t *options);
int
    socval_suppliers (int argc, char *argv [], socval_options_t *options);
//  socval submit's arguments (main.c): sends a file to ingest as one batch
//  and prints the receipt; its exit code.
int
    socval_submit (int argc, char *argv [], socval_options_t *options);

#endif
