#!/bin/sh
#   test_multihost: the four services on four hosts, as far as one machine
#   can make them: each in its own Linux network namespace with its own
#   address, joined by a bridge, speaking CURVE with per-service keys. A
#   feed goes through while valuation's link is cut for a while (ip link
#   down) and restored; the annual report must equal the one a single-host
#   run (loopback, no CURVE) makes of the same feeds.
#
#   Needs root and ip netns; where the machine does not allow them it says
#   so and skips (exit 0). Makes and removes its namespaces, veths and
#   files. Usage: tests/test_multihost.sh (from the repository root)

set -u
SOCVAL=$(pwd)/build/socval
DIR=/tmp/sv_test_multihost_$$
NS="sv$$"
PASSED=0
FAILED=0
ROWS=${SOCVAL_TEST_ROWS:-20000}

check () {
    if [ "$1" = 0 ]; then echo "ok   $2"; PASSED=$((PASSED + 1))
    else echo "FAIL $2"; FAILED=$((FAILED + 1)); fi
}

cleanup () {
    for pid in $PIDS; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    for host in hub ingest valuation compliance reporting; do
        ip netns del "$NS-$host" 2>/dev/null
    done
    rm -rf "$DIR"
}
PIDS=""
trap cleanup EXIT
[ -n "${SOCVAL_TEST_KEEP:-}" ] && trap - EXIT

if [ "$(id -u)" != 0 ] || ! ip netns add "$NS-hub" 2>/dev/null; then
    echo "skip: this machine does not allow network namespaces (needs root and ip netns);"
    echo "      the multi-host test did not run"
    echo "0 passed, 0 failed"
    exit 0
fi

#   ------------------------------------------------------------------------
#   The network: a bridge in the hub namespace, one veth to each host

ip -n "$NS-hub" link add br0 type bridge
ip -n "$NS-hub" addr add 10.77.0.254/24 dev br0
ip -n "$NS-hub" link set br0 up
ip -n "$NS-hub" link set lo up
number=1
for host in ingest valuation compliance reporting; do
    ip netns add "$NS-$host"
    ip link add "v$$$number" type veth peer name "b$$$number"
    ip link set "v$$$number" netns "$NS-$host"
    ip link set "b$$$number" netns "$NS-hub"
    ip -n "$NS-$host" link set "v$$$number" name eth0
    ip -n "$NS-$host" addr add "10.77.0.$number/24" dev eth0
    ip -n "$NS-$host" link set eth0 up
    ip -n "$NS-$host" link set lo up
    ip -n "$NS-hub" link set "b$$$number" master br0
    ip -n "$NS-hub" link set "b$$$number" up
    number=$((number + 1))
done

#   ------------------------------------------------------------------------
#   Keys: one certificate per service and for the command; their public
#   halves in the stack's service keys; a partner's for the feed

mkdir -p "$DIR/multi/keys/services" "$DIR/multi/keys/partners" "$DIR/single/keys/partners"
for name in ingest valuation compliance reporting socval; do
    $SOCVAL keys new "$name" --dir "$DIR/multi/keys" >/dev/null
    grep -v '^ *secret' "$DIR/multi/keys/$name.cert" > "$DIR/multi/keys/services/$name.cert"
done
$SOCVAL keys new council --dir "$DIR/multi/keys" > "$DIR/council.txt"
cp "$DIR/multi/keys/council.cert" "$DIR/multi/keys/partners/"
cp "$DIR/multi/keys/ingest.cert" "$DIR/multi/keys/ingest.cert_secret" "$DIR/single/keys/" 2>/dev/null
cp "$DIR/multi/keys/ingest.cert_secret" "$DIR/single/keys/"
cp "$DIR/multi/keys/council.cert" "$DIR/single/keys/partners/"
KEY=$(sed -n 's/^ *public-key = "\(.*\)"$/\1/p' "$DIR/multi/keys/council.cert")

#   ------------------------------------------------------------------------
#   One config per layout; every endpoint an address of its host

config () {     # config FILE DATA CURVE HOST-OF-SERVICE... (ingest valuation compliance reporting)
    cat > "$1" <<EOF
data
    dir = "$2"
security
    curve = $3
stream
    timeout_ms = 2000
partners
    council
        public_key = "$KEY"
        framework = "illustrative-rationalised"
        local_districts = "M17, M31-M33, M41, WA14, WA15"
ingest
    feed_endpoint = "tcp://$4:7710"
    stream_endpoint = "tcp://$4:7711"
    control_endpoint = "tcp://$4:7712"
valuation
    frameworks = "$(pwd)/deploy/frameworks/illustrative-rationalised-2024.csv"
    stream_endpoint = "tcp://$5:7721"
    control_endpoint = "tcp://$5:7722"
compliance
    clock_file = "$DIR/today"
    rlw_rates = "$(pwd)/deploy/data/rlw-rates.csv"
    stream_endpoint = "tcp://$6:7731"
    control_endpoint = "tcp://$6:7732"
reporting
    clock_file = "$DIR/now"
    stream_endpoint = "tcp://$7:7741"
    control_endpoint = "tcp://$7:7742"
EOF
}
echo "2026-06-01" > "$DIR/today"
echo "2026-06-01T09:00:00Z" > "$DIR/now"
config "$DIR/multi.cfg" "$DIR/multi" 1 10.77.0.1 10.77.0.2 10.77.0.3 10.77.0.4
config "$DIR/single.cfg" "$DIR/single" 0 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1
sed -i 's/:77\([0-9][0-9]\)"/:181\1"/' "$DIR/single.cfg"

#   ------------------------------------------------------------------------
#   The feeds: suppliers, contracts, commitments, returns and a spend file

cat > "$DIR/suppliers.csv" <<EOF
Supplier Name,Supplier ID,Postcode,SME
Altrincham Cleaning Co-operative,S1,WA14 1AA,yes
Far Away Ltd,S2,LS1 1AA,no
EOF
cat > "$DIR/contracts.csv" <<EOF
Contract ID,Title,Supplier ID,Category,Contract Value,Start Date,End Date,RLW Commitment
C-001,Office cleaning,S1,Cleaning,250000.00,01/04/2025,31/03/2028,no
EOF
cat > "$DIR/commitments.csv" <<EOF
Contract ID,Measure,Financial Year,Quantity
C-001,ILR-JOB-01,2025-26,2
EOF
cat > "$DIR/deliveries.csv" <<EOF
Contract ID,Measure,Period Start,Period End,Quantity,Evidence
C-001,ILR-JOB-01,01/04/2025,31/03/2026,1.5,evidenced
EOF
awk -v rows="$ROWS" 'BEGIN {
    print "Payment Date,Transaction Number,Amount,Supplier Name,Supplier ID"
    for (i = 0; i < rows; i++)
        printf "%02d/%02d/2025,T%d,%d.%02d,%s,%s\n", 1 + i % 28, 4 + i % 9, i,
               500 + i % 9000, i % 100, i % 3? "Far Away Ltd": "Altrincham Cleaning Co-operative",
               i % 3? "S2": "S1"
}' > "$DIR/spend.csv"

submit () {     # submit WRAPPER CONFIG KIND FILE
    $1 $SOCVAL --config "$2" --timeout 120 submit --kind "$3" \
        --key "$DIR/multi/keys/council.cert" "$DIR/$4" >/dev/null
}

run () {        # run LAYOUT CONFIG: starts the services, each on its host
    for service in ingest valuation compliance reporting; do
        if [ "$1" = multi ]; then
            ip netns exec "$NS-$service" build/socval-$service --config "$2" \
                >"$DIR/$service-$1.log" 2>&1 &
        else
            build/socval-$service --config "$2" >"$DIR/$service-$1.log" 2>&1 &
        fi
        PIDS="$PIDS $!"
    done
}

#   The single-host run
run single "$DIR/single.cfg"
sleep 1
status=0
for kind in suppliers contracts commitments deliveries spend; do
    submit "" "$DIR/single.cfg" $kind $kind.csv || status=1
done
$SOCVAL --config "$DIR/single.cfg" wait --timeout 120 >/dev/null || status=1
$SOCVAL --config "$DIR/single.cfg" report annual --year 2025-26 --format json \
    > "$DIR/single.json" || status=1
check $status "the single-host run takes the feeds and reports"
for pid in $PIDS; do kill "$pid"; done
wait 2>/dev/null
PIDS=""

#   The four-host run, CURVE on, valuation's link cut during the spend
run multi "$DIR/multi.cfg"
HUB="ip netns exec $NS-hub"
sleep 1
status=0
for kind in suppliers contracts commitments deliveries; do
    submit "$HUB" "$DIR/multi.cfg" $kind $kind.csv || status=1
done
ip -n "$NS-hub" link set "b$$2" down
submit "$HUB" "$DIR/multi.cfg" spend spend.csv || status=1
sleep 2
#   Cut off: valuation neither answers nor has the spend
$HUB $SOCVAL --config "$DIR/multi.cfg" --timeout 1 status >/dev/null 2>&1
[ $? = 2 ] || status=1
ip -n "$NS-hub" link set "b$$2" up
check $status "across four hosts with CURVE, the feeds are taken while valuation is cut off"
$HUB $SOCVAL --config "$DIR/multi.cfg" wait --timeout 120 >/dev/null
check $? "with its link back, valuation catches up and every service settles"
$HUB $SOCVAL --config "$DIR/multi.cfg" report annual --year 2025-26 --format json \
    > "$DIR/multi.json"
rows=$(sed -n 's/^ *"rows": \([0-9]*\),*$/\1/p' "$DIR/multi.json" | head -1)
[ "$rows" = "$ROWS" ] && cmp -s "$DIR/single.json" "$DIR/multi.json"
check $? "the four-host annual report equals the single-host one ($rows payments)"

#   A key that is not the stack's gets nothing from a stream or control
$SOCVAL keys new stranger --dir "$DIR/multi/keys" >/dev/null
sed "s|^data|socval\n    certificate = \"$DIR/multi/keys/stranger.cert\"\ndata|" \
    "$DIR/multi.cfg" > "$DIR/stranger.cfg"
$HUB $SOCVAL --config "$DIR/stranger.cfg" --timeout 2 status >/dev/null 2>&1
[ $? = 2 ]
check $? "a certificate outside the stack's service keys gets no answer"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
