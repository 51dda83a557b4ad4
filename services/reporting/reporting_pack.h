/*  reporting_pack: the open-data pack (socval report open-data).

    What an independent analyst needs to check a year's annual report
    without socval: the rows behind it, as CSV for people and as one
    SQLite file for analysts, with a data dictionary, the methodology
    (reporting_method, the text the html report's appendix has), the
    stream offsets it was built from and a licence statement.

    - payments.csv: every payment of the year, as reporting placed it
      (locality, ward, why); a payment the partner redacted stays redacted
      (no supplier name, key or postcode).
    - contracts.csv, suppliers.csv (with their payments' locality and the
      SME, VCSE and employee-owned flags).
    - commitments.csv, deliveries.csv: the valued lines of the year, each
      with whether it is counted; a delivery whose ward or beneficiary
      group the report suppresses as a small number, or that has fewer
      returns than the threshold in the pack, has them left blank and
      "suppressed" 1.
    - framework.csv: the measures and proxies the lines were valued with.
    - data_dictionary.csv, methodology.md, offsets.json (the offsets, year,
      partners, evidence states counted, threshold, the partners' local
      areas), LICENCE.txt.
    - open-data.sqlite: the tables above, one table each.

    Deterministic: nothing is read from the clock, and every table has a
    stated order, so the same stream offsets give the same bytes.

    Totals: payments' amount_pence sums to spend.total_pence (and by
    locality to local, non-local and unknown), counted deliveries'
    value_pence to social_value.delivered_pence and unflagged commitments'
    to social_value.committed_pence.
*/
#ifndef REPORTING_PACK_H_INCLUDED
#define REPORTING_PACK_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "reporting_store.h"

//  Builds the pack of report, the annual document reporting_store_report
//  made from params (its year resolved in the document). licence is the
//  statement LICENCE.txt and offsets.json carry; local_area (borrowed, or
//  NULL) the partners' local areas, {partner: {"local_districts",
//  "local_authorities"}, "postcode_lookup"}, which offsets.json states as
//  the rules payments were placed by. Returns a list of
//  reporting_render_file_t * that owns them (zlistx_destroy frees all), or
//  NULL with *reason_p (static or held by the store) on a store failure.
zlistx_t *
    reporting_pack (reporting_store_t *store, const reporting_store_params_t *params,
                    const json_t *report, const char *licence, json_t *local_area,
                    const char **reason_p);

//  Self-test.
void
    reporting_pack_test (bool verbose);

#endif
