#!/usr/bin/env python3
"""Independent reading of an OCDS release package for the ocds fixtures' tests.

Prints, per award (or contract) of each release, what socval should store:
ocid, release date, contract id, value in pence (from the amount's text,
with Decimal: never a float), the contract period's dates as written, and the
supplier ids the award names. Not used by socval; noted in
tests/fixtures/ocds/PROVENANCE.md. Usage: tools/ocds_expect.py FILE
"""
import json
import sys
from decimal import Decimal


def pence(value):
    amount = value.get("amount") if isinstance(value, dict) else None
    if amount is None:
        return None
    return int(Decimal(str(amount)) * 100)


def main(path):
    with open(path, encoding="utf-8") as handle:
        package = json.load(handle, parse_float=Decimal, parse_int=Decimal)
    releases = package.get("releases") or [r.get("compiledRelease")
                                            for r in package.get("records", [])]
    if not releases and package.get("ocid"):
        releases = [package]
    for release in releases:
        awards = release.get("awards") or []
        if not awards and not release.get("contracts"):
            print(release.get("ocid"), release.get("date"), "no award:", release.get("tag"))
            continue
        if release.get("contracts"):
            # A contract's own suppliers and buyer (the contract suppliers and
            # multiple buyers extensions) stand before its award's
            by_id = {a.get("id"): a for a in awards}
            linked = {}
            for contract in release["contracts"]:
                award = by_id.get(contract.get("awardID")) or (
                    awards[0] if len(awards) == 1 and not contract.get("awardID") else {})
                linked[award.get("id")] = linked.get(award.get("id"), 0) + 1
            for contract in release["contracts"]:
                award = by_id.get(contract.get("awardID")) or (
                    awards[0] if len(awards) == 1 and not contract.get("awardID") else {})
                # The only contract of an award in its release is that award's
                # contract: one id from award notice to signed contract
                cid = award.get("id") if award.get("id") and linked[award.get("id")] == 1 \
                    else contract.get("id")
                period = contract.get("period") or award.get("contractPeriod") or {}
                value = contract.get("value") or award.get("value")
                suppliers = [s.get("id") or s.get("name")
                             for s in contract.get("suppliers") or award.get("suppliers") or []]
                buyer = (contract.get("buyer") or release.get("buyer") or {}).get("name")
                print(release.get("ocid"), release.get("date"), cid,
                      "pence=%s" % pence(value),
                      "start=%s" % str(period.get("startDate", ""))[:10],
                      "end=%s" % str(period.get("endDate", ""))[:10],
                      "suppliers=%d" % len(suppliers), suppliers[:3], "buyer=%s" % buyer)
            continue
        for award in awards:
            if {award.get("status"), award.get("finalStatus")} & {"cancelled", "unsuccessful"}:
                print(release.get("ocid"), release.get("date"), award.get("id"), "withdrawn")
                continue
            period = award.get("contractPeriod") or {}
            suppliers = [s.get("id") for s in award.get("suppliers") or []]
            print(release.get("ocid"), release.get("date"), award.get("id"),
                  "pence=%s" % pence(award.get("value")),
                  "start=%s" % str(period.get("startDate", ""))[:10],
                  "end=%s" % str(period.get("endDate", ""))[:10],
                  "suppliers=%d" % len(suppliers), suppliers[:3])


if __name__ == "__main__":
    main(sys.argv[1])
