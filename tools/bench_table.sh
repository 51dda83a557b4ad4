#!/bin/sh
#  bench_table.sh: the one table of `make bench`, from the benches' output.
#
#  Usage: tools/bench_table.sh LOG [OUT]
#
#  LOG is every bench's output, one after another (make bench writes
#  build/bench.log). The lines read, each bench printing them beside its
#  human output:
#
#    == PROGRAM                    the bench that follows (make bench's own)
#    BENCH|name|measured|unit|reference|unit|ratio|target|met
#                                  one figure against its reference measured in
#                                  the same run; target like "<= 2" (ratio
#                                  against the reference), met yes or no, both
#                                  empty when the row has no target
#    PEAK|service|MB[|target]      a service's peak resident memory (VmHWM)
#    STATUS|PROGRAM|code           the bench's exit code (make bench's own)
#
#  Prints, as markdown, the benchmarks with their ratios, then each
#  service's peak memory: the highest any bench saw, naming that bench. The
#  same text goes to OUT when given. Exits 1 when a bench exited non-zero
#  or printed no BENCH line (its figures are then not to be trusted), 2 on
#  a usage error.

if [ $# -lt 1 ] || [ ! -r "$1" ]; then
    echo "usage: tools/bench_table.sh LOG [OUT]" >&2
    exit 2
fi

table=$(awk '
#  1234567.8 -> 1,234,568 for figures of five digits or more; smaller ones
#  keep their decimals
function figure (value,    whole, out) {
    if (value !~ /^-?[0-9]+(\.[0-9]+)?$/ || value + 0 < 10000 && value + 0 > -10000)
        return value
    whole = sprintf ("%.0f", value)
    out = ""
    while (length (whole) > 3) {
        out = "," substr (whole, length (whole) - 2) out
        whole = substr (whole, 1, length (whole) - 3)
    }
    return whole out
}
#  The counts in a benchmark name (200000 events) written 200,000
function name_figures (text,    out) {
    out = ""
    while (match (text, /[0-9][0-9][0-9][0-9][0-9]+/)) {
        out = out substr (text, 1, RSTART - 1) figure (substr (text, RSTART, RLENGTH))
        text = substr (text, RSTART + RLENGTH)
    }
    return out text
}
function target (text) {
    if (text == "")
        return "-"
    sub (/^<=/, "≤", text)
    sub (/^>=/, "≥", text)
    return text
}
/^== / {
    bench = $2
    sub (/.*\//, "", bench)
    order [++benches] = bench
    rows_of [bench] = 0
    next
}
/^BENCH\|/ {
    split ($0, field, "|")
    rows++
    rows_of [bench]++
    met = field [9] == ""? "-": field [9]
    line [rows] = sprintf ("| %s | %s %s | %s %s | %s× | %s | %s |", name_figures (field [2]),
                           figure (field [3]), field [4], figure (field [5]), field [6],
                           field [7], target (field [8]) (field [8] == ""? "": "×"), met)
    next
}
/^PEAK\|/ {
    split ($0, field, "|")
    service = field [2]
    if (!(service in peak)) {
        services [++count] = service
        peak [service] = -1
    }
    if (field [3] + 0 > peak [service]) {
        peak [service] = field [3] + 0
        where [service] = bench
    }
    if (field [4] != "")
        limit [service] = field [4]
    next
}
/^STATUS\|/ {
    split ($0, field, "|")
    name = field [2]
    sub (/.*\//, "", name)
    if (field [3] != 0)
        failed [++failures] = name " exited with status " field [3]
    next
}
END {
    print "| benchmark | measured | reference (same run) | ratio | target | met? |"
    print "|---|---|---|---|---|---|"
    for (row = 1; row <= rows; row++)
        print line [row]
    print ""
    print "| service | peak resident memory | highest in | target |"
    print "|---|---|---|---|"
    for (index_ = 1; index_ <= count; index_++) {
        service = services [index_]
        print "| " service " | " sprintf ("%.1f MB", peak [service]) " | " where [service] \
              " | " (service in limit? target (limit [service]) " MB": "-") " |"
    }
    for (index_ = 1; index_ <= benches; index_++)
        if (rows_of [order [index_]] == 0)
            failed [++failures] = order [index_] " printed no BENCH line"
    if (failures) {
        print ""
        for (index_ = 1; index_ <= failures; index_++)
            print "- NOT VALID: " failed [index_]
    }
    exit failures? 1: 0
}' "$1")
status=$?
printf '%s\n' "$table"
if [ $# -ge 2 ]; then
    printf '%s\n' "$table" > "$2"
fi
exit $status
