/*  selftest: runs the self-test of every class in common/ and of every
    service's own classes.

    Usage: selftest [-v] [--no-fork] [NAME...]
    Each test runs in a child process of its own with a time limit, so one
    crash or hang fails that test only; --no-fork runs them in this process
    (for debuggers and valgrind). `selftest --list` names them. The last
    line is "N passed, N failed".
*/

#include <czmq.h>
#include <sys/wait.h>
#include "sv_chouse.h"
#include "sv_company.h"
#include "sv_config.h"
#include "sv_log.h"
#include "sv_lock.h"
#include "sv_date.h"
#include "sv_db.h"
#include "sv_digest.h"
#include "sv_money.h"
#include "sv_msgpack.h"
#include "sv_postcode.h"
#include "sv_name.h"
#include "sv_proto.h"
#include "sv_security.h"
#include "sv_service.h"
#include "sv_stream.h"
#include "sv_csv.h"
#include "ingest_feed.h"
#include "ingest_reader.h"
#include "ingest_ocds.h"
#include "ingest_records.h"
#include "ingest_seen.h"
#include "ingest_spend.h"
#include "ingest_spill.h"
#include "ingest_xlsx.h"
#include "ingest_store.h"
#include "valuation_engine.h"
#include "valuation_framework.h"
#include "sv_reader.h"
#include "valuation_store.h"
#include "compliance_alert.h"
#include "compliance_rules.h"
#include "compliance_store.h"
#include "reporting_schedule.h"
#include "reporting_crosswalk.h"
#include "reporting_render.h"
#include "reporting_store.h"
#include "reporting_explain.h"
#include "reporting_method.h"
#include "reporting_pack.h"
#include "reporting_kpi.h"
#include "reporting_store_kpi.h"
#include "reporting_payments.h"

typedef struct {
    const char *name;
    void (*test) (bool verbose);
    int timeout_s;
} s_test_t;

static const s_test_t s_tests [] = {
    { "sv_money", sv_money_test, 10 },
    { "sv_date", sv_date_test, 10 },
    { "sv_msgpack", sv_msgpack_test, 10 },
    { "sv_proto", sv_proto_test, 10 },
    { "sv_db", sv_db_test, 30 },
    { "sv_config", sv_config_test, 10 },
    { "sv_log", sv_log_test, 10 },
    { "sv_lock", sv_lock_test, 10 },
    { "sv_postcode", sv_postcode_test, 10 },
    { "sv_name", sv_name_test, 10 },
    { "sv_company", sv_company_test, 10 },
    { "sv_chouse", sv_chouse_test, 10 },
    { "sv_security", sv_security_test, 20 },
    { "sv_service", sv_service_test, 10 },
    { "sv_stream", sv_stream_test, 60 },
    { "sv_digest", sv_digest_test, 10 },
    { "ingest_store", ingest_store_test, 30 },
    { "sv_csv", sv_csv_test, 30 },
    { "ingest_spill", ingest_spill_test, 10 },
    { "ingest_xlsx", ingest_xlsx_test, 30 },
    { "ingest_spend", ingest_spend_test, 60 },
    { "ingest_records", ingest_records_test, 30 },
    { "ingest_seen", ingest_seen_test, 30 },
    { "ingest_ocds", ingest_ocds_test, 30 },
    { "ingest_feed", ingest_feed_test, 30 },
    { "ingest_reader", ingest_reader_test, 30 },
    { "valuation_framework", valuation_framework_test, 30 },
    { "valuation_engine", valuation_engine_test, 30 },
    { "valuation_store", valuation_store_test, 30 },
    { "sv_reader", sv_reader_test, 30 },
    { "compliance_alert", compliance_alert_test, 10 },
    { "compliance_rules", compliance_rules_test, 30 },
    { "compliance_store", compliance_store_test, 30 },
    { "reporting_schedule", reporting_schedule_test, 30 },
    { "reporting_crosswalk", reporting_crosswalk_test, 5 },
    { "reporting_store", reporting_store_test, 30 },
    { "reporting_render", reporting_render_test, 30 },
    { "reporting_explain", reporting_explain_test, 30 },
    { "reporting_method", reporting_method_test, 10 },
    { "reporting_pack", reporting_pack_test, 30 },
    { "reporting_kpi", reporting_kpi_test, 10 },
    { "reporting_store_kpi", reporting_store_kpi_test, 10 },
    { "reporting_payments", reporting_payments_test, 10 },
};
#define S_TEST_COUNT (sizeof s_tests / sizeof s_tests [0])

//  Runs one test in a child; returns true when it passed.
static bool
s_run_forked (const s_test_t *test, bool verbose)
{
    fflush (stdout);
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        alarm ((unsigned) test->timeout_s);
        //  Refused messages in the tests log warnings: expected noise
        if (!verbose) {
            zsys_init ();
            zsys_set_logstream (NULL);
        }
        test->test (verbose);
        zsys_shutdown ();
        fflush (stdout);
        _exit (0);
    }
    int status;
    waitpid (pid, &status, 0);
    if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        return true;
    if (WIFSIGNALED (status))
        printf ("FAIL %s: %s\n", test->name,
                WTERMSIG (status) == SIGALRM? "timed out": strsignal (WTERMSIG (status)));
    else
        printf ("FAIL %s: exit %d\n", test->name, WEXITSTATUS (status));
    return false;
}

int
main (int argc, char *argv [])
{
    bool verbose = false, fork_each = true;
    int first_name = argc;
    for (int arg = 1; arg < argc; arg++) {
        if (streq (argv [arg], "-v"))
            verbose = true;
        else
        if (streq (argv [arg], "--no-fork"))
            fork_each = false;
        else
        if (streq (argv [arg], "--list")) {
            for (size_t index = 0; index < S_TEST_COUNT; index++)
                printf ("%s\n", s_tests [index].name);
            return 0;
        }
        else
        if (argv [arg][0] == '-') {
            fprintf (stderr, "usage: selftest [-v] [--no-fork] [--list] [NAME...]\n");
            return 2;
        }
        else {
            first_name = arg;
            break;
        }
    }
    int passed = 0, failed = 0;
    for (size_t index = 0; index < S_TEST_COUNT; index++) {
        const s_test_t *test = &s_tests [index];
        bool wanted = first_name == argc;
        for (int arg = first_name; arg < argc; arg++)
            wanted |= streq (argv [arg], test->name);
        if (!wanted)
            continue;
        int64_t started = zclock_mono ();
        bool ok = true;
        if (fork_each)
            ok = s_run_forked (test, verbose);
        else
            test->test (verbose);
        printf ("%-4s %-20s %6" PRId64 " ms\n", ok? "ok": "FAIL", test->name,
                zclock_mono () - started);
        if (ok)
            passed++;
        else
            failed++;
    }
    for (int arg = first_name; arg < argc; arg++) {
        bool known = false;
        for (size_t index = 0; index < S_TEST_COUNT; index++)
            known |= streq (argv [arg], s_tests [index].name);
        if (!known) {
            printf ("FAIL %s: no such test (selftest --list)\n", argv [arg]);
            failed++;
        }
    }
    printf ("%d passed, %d failed\n", passed, failed);
    return failed? 1: 0;
}
