#!/usr/bin/env python3
"""Validates the releases of a `socval report kpi --format json` file
against the OCDS 1.1 release schema with the metrics extension merged in
(tests/fixtures/ocds-schema, see its README), with Debian's
python3-jsonschema.

Usage: validate_ocds.py REPORT.json      (run from the repository root)

Exits 0 when the file has at least one release and every release is
valid; otherwise prints each error (release, path, message) and exits 1.
First it checks that the merged schema refuses what the extension forbids
(an agreed metric without an id, a dimension that is not a string), so a
merge that silently did nothing cannot pass.
"""

import copy
import json
import re
import sys

import jsonschema

SCHEMAS = 'tests/fixtures/ocds-schema/'
DATE_TIME = re.compile(r'\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})')


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch, as OCDS applies an extension: objects
    merge member by member, null removes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def schema():
    with open(SCHEMAS + 'release-schema.json', encoding='utf-8') as core, \
         open(SCHEMAS + 'metrics-extension-release-schema.json', encoding='utf-8') as metrics:
        merged = merge_patch(json.load(core), json.load(metrics))
    jsonschema.Draft4Validator.check_schema(merged)
    #  OCDS dates are RFC 3339 date-times; jsonschema checks that format
    #  only with a package Debian does not ship, so it is checked here
    checker = jsonschema.FormatChecker(())
    checker.checks('date-time')(lambda value: not isinstance(value, str)
                                or DATE_TIME.fullmatch(value) is not None)
    return jsonschema.Draft4Validator(merged, format_checker=checker)


def errors(validator, release):
    return sorted(validator.iter_errors(release), key=lambda error: list(error.absolute_path))


def self_check(validator, release):
    """The merged schema must refuse what only the extension forbids, and a
    date that is not a date-time."""
    broken = copy.deepcopy(release)
    contract = broken['contracts'][0]
    contract['agreedMetrics'][0].pop('id')
    observation = contract['implementation']['metrics'][0]['observations'][0]
    observation['dimensions'] = {'rating': 3}
    broken['date'] = '2025-06-30'
    found = {tuple(error.absolute_path) for error in errors(validator, broken)}
    wanted = {('date',), ('contracts', 0, 'agreedMetrics', 0),
              ('contracts', 0, 'implementation', 'metrics', 0, 'observations', 0,
               'dimensions', 'rating')}
    if not wanted <= found:
        print('validate_ocds: the merged schema does not check agreedMetrics, metrics'
              ' and dates (the extension did not apply)')
        return False
    return True


def main(path):
    with open(path, encoding='utf-8') as report:
        document = json.load(report)
    releases = document.get('releases') or []
    if not releases:
        print(f'validate_ocds: {path} has no releases')
        return 1
    validator = schema()
    if not self_check(validator, releases[0]):
        return 1
    failed = 0
    for index, release in enumerate(releases):
        for error in errors(validator, release):
            where = '/'.join(str(step) for step in error.absolute_path)
            print(f'validate_ocds: releases[{index}] ({release.get("id")}) {where}: {error.message}')
            failed += 1
    print(f'validate_ocds: {len(releases)} releases, {failed} errors')
    return 1 if failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
