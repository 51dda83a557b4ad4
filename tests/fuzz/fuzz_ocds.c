/*  fuzz_ocds: ingest_ocds_parse on arbitrary bytes. Whatever it makes of
    them must hold together: a refused document yields nothing and says
    why; a read one accounts for every release exactly once, yields only
    whole records (amounts in GBP pence, never negative; Companies House
    numbers of 8 characters; normalised postcodes; suppliers keyed by
    Companies House number or name, never by party id), every supplier key
    a contract names belongs to a supplier of the same release, and every
    skip and warning is told to the warning callback. The same
    bytes read as they arrive (ingest_ocds_push, cut where the first byte
    says, then ingest_ocds_end) must yield exactly the same, unless the
    document has both a "releases" and a "records" array, which only a
    whole read can choose between. */

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "ingest_ocds.h"
#include "sv_date.h"
#include "sv_postcode.h"

#define S_MAX_SIZE (1024 * 1024)

//  What a reader yielded, summed over its calls: a hash of each kind of
//  record in the order yielded (contracts, suppliers, errors, skips,
//  warnings), and the counts
typedef struct {
    uint64_t hashes [5];        //  FNV-1a over the records' fields
    size_t counts [8];
} s_seen_t;

static void
s_seen_init (s_seen_t *seen)
{
    memset (seen, 0, sizeof *seen);
    for (size_t kind = 0; kind < 5; kind++)
        seen->hashes [kind] = 0xcbf29ce484222325ULL;
}

static void
s_hash (s_seen_t *seen, size_t kind, const char *text)
{
    for (; *text; text++) {
        seen->hashes [kind] ^= (unsigned char) *text;
        seen->hashes [kind] *= 0x100000001b3ULL;
    }
    seen->hashes [kind] ^= 0xFF;
    seen->hashes [kind] *= 0x100000001b3ULL;
}

static void
s_hash_issues (s_seen_t *seen, size_t kind, ingest_ocds_t *ocds, size_t count,
               const ingest_ocds_issue_t *(*issue_fn) (ingest_ocds_t *, size_t))
{
    for (size_t index = 0; index < count; index++) {
        const ingest_ocds_issue_t *issue = issue_fn (ocds, index);
        char row [24];
        snprintf (row, sizeof row, "%zu", issue->row);
        s_hash (seen, kind, row);
        s_hash (seen, kind, issue->column);
        s_hash (seen, kind, issue->value);
        s_hash (seen, kind, issue->reason);
    }
}

//  Adds what the reader's last call yielded
static void
s_take (s_seen_t *seen, ingest_ocds_t *ocds)
{
    size_t counts [8] = {
        ingest_ocds_releases (ocds), ingest_ocds_accepted (ocds), ingest_ocds_rejected (ocds),
        ingest_ocds_contracts (ocds), ingest_ocds_suppliers (ocds), ingest_ocds_errors (ocds),
        ingest_ocds_skips (ocds), ingest_ocds_warnings (ocds)
    };
    for (size_t index = 0; index < 8; index++)
        seen->counts [index] += counts [index];
    for (size_t index = 0; index < counts [3]; index++) {
        const ingest_ocds_contract_t *contract = ingest_ocds_contract (ocds, index);
        char figures [96];
        snprintf (figures, sizeof figures, "%zu %lld %d %d %zu", contract->row,
                  (long long) contract->value_pence, contract->start_date,
                  contract->end_date, contract->supplier_count);
        s_hash (seen, 0, figures);
        s_hash (seen, 0, contract->contract_id);
        s_hash (seen, 0, contract->title);
    }
    for (size_t index = 0; index < counts [4]; index++) {
        const ingest_ocds_supplier_t *supplier = ingest_ocds_supplier (ocds, index);
        s_hash (seen, 1, supplier->key);
        s_hash (seen, 1, supplier->postcode);
    }
    s_hash_issues (seen, 2, ocds, counts [5], ingest_ocds_error);
    s_hash_issues (seen, 3, ocds, counts [6], ingest_ocds_skip);
    s_hash_issues (seen, 4, ocds, counts [7], ingest_ocds_warning);
}

static void
s_check_issue (const ingest_ocds_issue_t *issue, size_t releases)
{
    assert (issue);
    assert (issue->row >= 1 && issue->row <= releases);
    assert (issue->column && issue->value && issue->reason && *issue->reason);
}

static void
s_count_told (const sv_csv_error_t *warning, void *arg)
{
    assert (warning->reason && *warning->reason);
    (*(size_t *) arg)++;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    ingest_ocds_t *ocds = ingest_ocds_new (S_MAX_SIZE);
    assert (ocds);
    //  Read as it arrives first: ingest_ocds_parse then reads it whole
    s_seen_t pushed;
    s_seen_init (&pushed);
    size_t cut = size? data [0] % (size + 1): 0;
    int pushed_rc = ingest_ocds_push (ocds, data, cut);
    s_take (&pushed, ocds);
    if (pushed_rc == 0) {
        pushed_rc = ingest_ocds_push (ocds, data + cut, size - cut);
        s_take (&pushed, ocds);
    }
    int end_rc = ingest_ocds_end (ocds);
    s_take (&pushed, ocds);
    pushed_rc = pushed_rc? pushed_rc: end_rc;
    if (pushed_rc)
        assert (*ingest_ocds_reason (ocds));
    bool both_arrays = pushed_rc && strstr (ingest_ocds_reason (ocds), "a second");

    size_t told = 0;
    ingest_ocds_set_warning (ocds, s_count_told, &told);
    int rc = ingest_ocds_parse (ocds, data, size);
    size_t releases = ingest_ocds_releases (ocds);
    //  Every skip and warning recorded was told as it was found (a document
    //  refused for a withdrawal, after its releases were read, keeps none)
    assert (told == ingest_ocds_skips (ocds) + ingest_ocds_warnings (ocds)
            || (rc == -1 && strstr (ingest_ocds_reason (ocds), " withdraws ")));
    if (rc == -1) {
        assert (*ingest_ocds_reason (ocds));
        assert (strcmp (ingest_ocds_package (ocds), "") == 0);
        assert (releases == 0);
        assert (ingest_ocds_contracts (ocds) == 0 && ingest_ocds_suppliers (ocds) == 0);
        assert (ingest_ocds_errors (ocds) == 0 && ingest_ocds_skips (ocds) == 0);
        assert (ingest_ocds_warnings (ocds) == 0);
        ingest_ocds_destroy (&ocds);
        return 0;
    }
    assert (rc == 0);
    assert (strcmp (ingest_ocds_reason (ocds), "") == 0);
    s_seen_t whole;
    s_seen_init (&whole);
    s_take (&whole, ocds);
    if (!both_arrays) {
        assert (pushed_rc == 0);
        assert (memcmp (&whole, &pushed, sizeof whole) == 0);
    }
    assert (*ingest_ocds_package (ocds));
    assert (ingest_ocds_accepted (ocds) + ingest_ocds_skips (ocds)
            + ingest_ocds_rejected (ocds) == releases);
    assert (ingest_ocds_errors (ocds) >= ingest_ocds_rejected (ocds));
    assert (ingest_ocds_contracts (ocds) >= ingest_ocds_accepted (ocds));

    //  KPI targets: each names its release, contract and metric, a year
    //  sv_date can write, and a unit (maybe "")
    for (size_t index = 0; index < ingest_ocds_metrics (ocds); index++) {
        const ingest_ocds_metric_t *metric = ingest_ocds_metric (ocds, index);
        assert (metric->row >= 1 && metric->row <= releases);
        assert (metric->contract_id && *metric->metric_id && metric->title && metric->unit);
        assert (metric->fy >= SV_DATE_YEAR_MIN - 1 && metric->fy <= SV_DATE_YEAR_MAX);
    }

    size_t suppliers = ingest_ocds_suppliers (ocds);
    for (size_t index = 0; index < suppliers; index++) {
        const ingest_ocds_supplier_t *supplier = ingest_ocds_supplier (ocds, index);
        assert (supplier->row >= 1 && supplier->row <= releases);
        assert (supplier->key && supplier->party_id && supplier->name && supplier->scale);
        size_t number = strlen (supplier->companies_house);
        assert (number == 0 || number == 8);
        //  Keyed by Companies House number, else by name: never by party id
        if (number)
            assert (strncmp (supplier->key, "CH:", 3) == 0
                    && strcmp (supplier->key + 3, supplier->companies_house) == 0);
        else
            assert (strncmp (supplier->key, "NAME:", 5) == 0 && supplier->key [5]);
        if (*supplier->postcode) {
            char again [SV_POSTCODE_BUF];
            assert (sv_postcode_normalise (supplier->postcode, again, sizeof again, NULL) == 0);
            assert (strcmp (again, supplier->postcode) == 0);
        }
        assert (!supplier->sme || supplier->sme_known);
        assert (!supplier->vcse || supplier->vcse_known);
    }
    for (size_t index = 0; index < ingest_ocds_contracts (ocds); index++) {
        const ingest_ocds_contract_t *contract = ingest_ocds_contract (ocds, index);
        assert (contract->row >= 1 && contract->row <= releases);
        assert (*contract->contract_id && *contract->ocid);
        assert (contract->release_id && contract->release_date && contract->title);
        assert (contract->buyer && contract->category && contract->category_code);
        assert (contract->status);
        if (contract->has_value) {
            assert (contract->value_pence >= 0);
            assert (strcmp (contract->currency, "GBP") == 0);
        }
        else
            assert (contract->value_pence == 0 && strcmp (contract->currency, "") == 0);
        if (contract->has_start && contract->has_end)
            assert (contract->end_date >= contract->start_date);
        for (size_t key = 0; key < contract->supplier_count; key++) {
            assert (*contract->supplier_keys [key]);
            bool found = false;
            for (size_t other = 0; other < suppliers && !found; other++) {
                const ingest_ocds_supplier_t *supplier = ingest_ocds_supplier (ocds, other);
                found = supplier->row == contract->row
                     && strcmp (supplier->key, contract->supplier_keys [key]) == 0;
            }
            assert (found);
        }
    }
    for (size_t index = 0; index < ingest_ocds_errors (ocds); index++)
        s_check_issue (ingest_ocds_error (ocds, index), releases);
    for (size_t index = 0; index < ingest_ocds_skips (ocds); index++)
        s_check_issue (ingest_ocds_skip (ocds, index), releases);
    for (size_t index = 0; index < ingest_ocds_warnings (ocds); index++)
        s_check_issue (ingest_ocds_warning (ocds, index), releases);
    assert (ingest_ocds_contract (ocds, ingest_ocds_contracts (ocds)) == NULL);
    assert (ingest_ocds_supplier (ocds, suppliers) == NULL);
    ingest_ocds_destroy (&ocds);
    return 0;
}
