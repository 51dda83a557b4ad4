/*  fuzz_ocds: ingest_ocds_parse on arbitrary bytes. Whatever it makes of
    them must hold together: a refused document yields nothing and says
    why; a read one accounts for every release exactly once, yields only
    whole records (amounts in GBP pence, never negative; Companies House
    numbers of 8 characters; normalised postcodes), and every supplier key
    a contract names belongs to a supplier of the same release. */

#include <assert.h>
#include <stdint.h>
#include <string.h>
#include "ingest_ocds.h"
#include "sv_postcode.h"

#define S_MAX_SIZE (1024 * 1024)

static void
s_check_issue (const ingest_ocds_issue_t *issue, size_t releases)
{
    assert (issue);
    assert (issue->row >= 1 && issue->row <= releases);
    assert (issue->column && issue->value && issue->reason && *issue->reason);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    ingest_ocds_t *ocds = ingest_ocds_new (S_MAX_SIZE);
    assert (ocds);
    int rc = ingest_ocds_parse (ocds, data, size);
    size_t releases = ingest_ocds_releases (ocds);
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
    assert (*ingest_ocds_package (ocds));
    assert (ingest_ocds_accepted (ocds) + ingest_ocds_skips (ocds)
            + ingest_ocds_rejected (ocds) == releases);
    assert (ingest_ocds_errors (ocds) >= ingest_ocds_rejected (ocds));
    assert (ingest_ocds_contracts (ocds) >= ingest_ocds_accepted (ocds));

    size_t suppliers = ingest_ocds_suppliers (ocds);
    for (size_t index = 0; index < suppliers; index++) {
        const ingest_ocds_supplier_t *supplier = ingest_ocds_supplier (ocds, index);
        assert (supplier->row >= 1 && supplier->row <= releases);
        assert (supplier->key && supplier->party_id && supplier->name && supplier->scale);
        assert (*supplier->key || (!*supplier->party_id && *supplier->name));
        size_t number = strlen (supplier->companies_house);
        assert (number == 0 || number == 8);
        if (number)
            assert (strcmp (supplier->key, supplier->companies_house) == 0);
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
