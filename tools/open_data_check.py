#!/usr/bin/env python3
"""open_data_check.py PACK_DIR [REPORT_JSON]: recompute an annual report's
headline figures from its open-data pack's CSV files alone.

An independent analyst's check that socval's figures follow from the rows
it publishes: reads payments.csv, commitments.csv and deliveries.csv (the
standard library's csv module, nothing of socval), sums them in pence as
methodology.md says, and prints each figure. Given the report's JSON
(socval report annual --format json), compares every figure with it and
exits 1 when any differs, naming it; 0 when all agree.
"""
import csv
import json
import os
import sys


def rows(pack, name):
    with open(os.path.join(pack, name), newline='', encoding='utf-8') as handle:
        yield from csv.DictReader(handle)


def figures(pack):
    spend = {'total_pence': 0, 'local_pence': 0, 'non_local_pence': 0,
             'unknown_locality_pence': 0, 'rows': 0}
    localities = {'local': 'local_pence', 'non_local': 'non_local_pence',
                  'unknown': 'unknown_locality_pence'}
    for row in rows(pack, 'payments.csv'):
        pence = int(row['amount_pence'])
        spend['rows'] += 1
        spend['total_pence'] += pence
        spend[localities[row['locality']]] += pence
    committed = sum(int(row['value_pence']) for row in rows(pack, 'commitments.csv')
                    if row['flagged'] == '0')
    delivered = sum(int(row['value_pence']) for row in rows(pack, 'deliveries.csv')
                    if row['counted'] == '1')
    found = {'spend.' + key: value for key, value in spend.items()}
    found['social_value.committed_pence'] = committed
    found['social_value.delivered_pence'] = delivered
    return found


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    found = figures(sys.argv[1])
    report = None
    if len(sys.argv) == 3:
        with open(sys.argv[2], encoding='utf-8') as handle:
            report = json.load(handle)
    differ = 0
    for path, value in found.items():
        line = f'{path} = {value}'
        if report is not None:
            expected = report
            for key in path.split('.'):
                expected = expected[key]
            if expected != value:
                line += f'  DIFFERS: the report says {expected}'
                differ += 1
            else:
                line += '  (as the report)'
        print(line)
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main())
