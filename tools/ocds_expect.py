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
    made, signed = set(), {}
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
                # contract, under the award's id when an earlier release of the
                # document made the award a contract (file order: for releases
                # oldest first, as socval's date order then is)
                aid = award.get("id")
                if aid and linked[aid] == 1 and (release.get("ocid"), aid) in made:
                    cid = aid
                    signed[(release.get("ocid"), contract.get("id"))] = aid
                else:
                    cid = signed.get((release.get("ocid"), contract.get("id")), contract.get("id"))
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
            made.add((release.get("ocid"), award.get("id")))
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
