#!/bin/sh
#  isolated.sh COMMAND [ARG...]: runs COMMAND in a network namespace of its
#  own, with only a loopback interface, when this system allows it (root,
#  with unshare and ip), so that the process tests' and benches' fixed
#  loopback ports never meet another run's: two `make check` at once, or a
#  bench beside a test. Where it is not allowed, runs COMMAND as it is.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 \
&& command -v ip >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
    exec unshare -n sh -c 'ip link set lo up && exec "$@"' isolated "$@"
fi
exec "$@"
