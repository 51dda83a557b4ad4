#!/bin/sh
#   test_runtime_packages: every shared library each program links comes
#   from a package on tools/runtime-packages.txt, so that a host or image
#   set up from that list runs the programs just built. A library is mapped
#   to its package with ldd (where the loader finds it) and dpkg -S (which
#   package installed that file); only the libraries a program names itself
#   (NEEDED) count, since apt brings what those need. Also checks that
#   deploy/README.md's apt-get line is the list, and that the Containerfile
#   installs from it. Skips (exit 0) where there is no dpkg.
#   Usage: tests/test_runtime_packages.sh (from the repository root, after make)

set -u
LIST=tools/runtime-packages.txt
BUILD=${BUILD:-build}
PASSED=0
FAILED=0

check () {
    if [ "$1" = 0 ]; then echo "ok   $2"; PASSED=$((PASSED + 1))
    else echo "FAIL $2"; FAILED=$((FAILED + 1)); fi
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v objdump >/dev/null 2>&1; then
    echo "skip: no dpkg or objdump here; the runtime packages were not checked"
    echo "0 passed, 0 failed"
    exit 0
fi
packages=$(grep -v '^ *#' "$LIST" | grep -v '^ *$')

#   The package that installed the file at path, or nothing; with usrmerge
#   the loader's /lib/... is dpkg's /usr/lib/...
package_of () {
    for candidate in "$1" "/usr$1" "${1#/usr}"; do
        owner=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1)
        [ -n "$owner" ] && { echo "$owner"; return; }
    done
}

for program in "$BUILD"/socval "$BUILD"/socval-ingest "$BUILD"/socval-valuation \
               "$BUILD"/socval-compliance "$BUILD"/socval-reporting; do
    [ -x "$program" ] || { check 1 "$program is built (run make first)"; continue; }
    missing=""
    for library in $(objdump -p "$program" | awk '$1 == "NEEDED" { print $2 }'); do
        path=$(ldd "$program" | awk -v name="$library" '$1 == name && $2 == "=>" { print $3 }')
        owner=$([ -n "$path" ] && package_of "$path")
        if [ -z "$owner" ]; then
            missing="$missing $library (not found by ldd or dpkg)"
        elif ! echo "$packages" | grep -qx "$owner"; then
            missing="$missing $library (package $owner)"
        fi
    done
    check $([ -z "$missing" ] && echo 0 || echo 1) \
        "every library $(basename "$program") links is from a package on $LIST${missing:+; not:$missing}"
done

#   The README's line (continued with backslashes) names exactly the list
line=$(awk '/^apt-get install /{ on = 1 }
            on { more = ($0 ~ /\\$/); sub(/\\$/, ""); printf "%s ", $0; if (!more) exit }' \
       deploy/README.md | sed 's/^apt-get install //')
readme=$(echo "$line" | tr ' ' '\n' | grep -v '^$' | sort)
check $([ "$readme" = "$(echo "$packages" | sort)" ] && echo 0 || echo 1) \
    "deploy/README.md's apt-get line is $LIST"
check $(grep -q "$LIST" deploy/kubernetes/Containerfile && echo 0 || echo 1) \
    "the Containerfile installs from $LIST"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
