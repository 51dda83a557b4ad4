#!/bin/sh
#  proto/generate.py refuses a schema that would break peers speaking the
#  released one, and takes one that only adds what they can ignore. Each
#  case edits a copy of proto/socval.xml and runs the generator's --compat
#  mode against the newest proto/released/socval-N.xml.
set -u
cd "$(dirname "$0")/.." || exit 1
released=$(ls proto/released/socval-*.xml | sort -t- -k2 -n | tail -1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

#  expect ok|fail NAME SED-SCRIPT [REASON]: the schema edited by SED-SCRIPT
#  must be taken (ok) or refused (fail) with REASON in what it says
expect () {
    sed "$3" proto/socval.xml > "$tmp/socval.xml"
    if cmp -s proto/socval.xml "$tmp/socval.xml" && [ -n "$3" ]; then
        echo "FAIL: $2: the edit changed nothing"; failed=1; return
    fi
    python3 proto/generate.py --compat "$tmp/socval.xml" "$released" > "$tmp/out" 2>&1
    rc=$?
    if { [ "$1" = ok ] && [ $rc -eq 0 ]; } \
       || { [ "$1" = fail ] && [ $rc -ne 0 ] && grep -q -- "${4:-}" "$tmp/out"; }; then
        echo "ok: $2"
    else
        echo "FAIL: $2 (expected $1, exit $rc)"; cat "$tmp/out"; failed=1
    fi
}

spend='/Partner that made the payment/a\'
expect ok   "today's schema against the released one" ''
expect ok   "a new optional field, since a later version" \
    "$spend
        <field name=\"vat_pence\" type=\"int\" optional=\"1\" since=\"2\">VAT in pence.</field>"
expect fail "a new required field" \
    "$spend
        <field name=\"vat_pence\" type=\"int\">VAT in pence.</field>" \
    "SPEND.vat_pence is new and required"
expect fail "a new required field that says since" \
    "$spend
        <field name=\"vat_pence\" type=\"int\" since=\"2\">VAT in pence.</field>" \
    "added in version 2 must be optional"
expect fail "a new optional field that does not say since" \
    "$spend
        <field name=\"vat_pence\" type=\"int\" optional=\"1\">VAT in pence.</field>" \
    'say since="N"'
expect fail "a field removed" '/<field name="payment_date" type="string">/d' \
    "SPEND.payment_date was removed"
expect fail "a field retyped" 's/<field name="line" type="uint">/<field name="line" type="int">/' \
    "changed type from uint to int"
expect fail "a required field made optional" \
    's/<field name="amount_pence" type="int">/<field name="amount_pence" type="int" optional="1">/' \
    "became optional"
expect fail "a message removed" '/<message name="ALERT_ACK">/,/<\/message>/d' \
    "message ALERT_ACK was removed"
expect fail "oldest past the released version" 's/version="2" oldest="1"/version="2" oldest="2"/' \
    "decoders would refuse the released"
exit $failed
