#!/bin/sh
#  Nothing is lost across an upgrade, whichever side goes first: a peer of
#  the last released schema reads what today's sends, fields it does not
#  know aside, and today's reads what the released one sends, fields it
#  added read as their defaults. BUILD holds proto_peer and
#  proto_peer_released (tests/proto_peer.c).
set -u
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

#  check NAME FILE TEXT...: each TEXT is a line of FILE
check () {
    name=$1 file=$2
    shift 2
    for text in "$@"; do
        if ! grep -qF -- "$text" "$file"; then
            echo "FAIL: $name: no \"$text\" in:"; cat "$file"; failed=1; return
        fi
    done
    echo "ok: $name"
}

#  The figures a consumer acts on, as sv_proto_print shows them
figures="amount_pence=123456
supplier_key='CH:01234567'
payment_date='2024-05-01'
key='council/T1/1'
offset=41
3 messages"

"$build/proto_peer" encode > "$tmp/today" || { echo "FAIL: proto_peer encode"; exit 1; }
"$build/proto_peer_released" encode > "$tmp/released" \
    || { echo "FAIL: proto_peer_released encode"; exit 1; }

for pair in "today released" "released today" "today today" "released released"; do
    set -- $pair
    sender=$1 reader=$2
    program="$build/proto_peer"
    [ "$reader" = released ] && program="$build/proto_peer_released"
    if ! "$program" decode < "$tmp/$sender" > "$tmp/out"; then
        echo "FAIL: a $reader peer refused what a $sender peer sent:"; cat "$tmp/out"
        failed=1
        continue
    fi
    old_ifs=$IFS
    IFS='
'
    check "a $reader peer reads what a $sender peer sends" "$tmp/out" $figures
    IFS=$old_ifs
done

#  Today's STATUS says why a stream stalled; the released peer, which has
#  no such field, reads the rest of it
"$build/proto_peer" decode < "$tmp/today" > "$tmp/out"
check "today's peer reads today's stalled" "$tmp/out" "stalled='stalled at seq 42"
"$build/proto_peer_released" decode < "$tmp/today" > "$tmp/out"
if grep -q stalled "$tmp/out"; then
    echo "FAIL: the released peer knows stalled"; failed=1
else
    echo "ok: the released peer reads today's STATUS without stalled"
fi
exit $failed
