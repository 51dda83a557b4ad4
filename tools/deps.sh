#!/bin/sh
# Installs the Debian packages socval builds and tests with, and does nothing
# when they are all present. Called by `make`; `make check` calls it again
# with "browser" for what its browser test needs besides (Chromium, and
# poppler-utils to read the PDF it prints).
set -e
browser=""
[ "${1:-}" = browser ] && browser="chromium poppler-utils"
packages="$browser gcc make pkg-config python3 sqlite3 valgrind clang libclang-rt-14-dev
          libzmq3-dev libczmq-dev libsodium-dev libmsgpack-dev libsqlite3-dev
          libcsv-dev libjansson-dev libxlsxwriter-dev libzip-dev libexpat1-dev libxxhash-dev libroaring-dev unzip libxml2-utils iproute2
          python3-jsonschema"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "socval: installing Debian packages:$missing" >&2
if [ "$(id -u)" != 0 ]; then
    echo "socval: not root; run: sudo apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends $missing >&2
