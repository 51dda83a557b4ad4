/*  sv_lock: one process at a time on a data folder's files.

    `socval up` and each service take a lock before they touch a folder
    (DATA/socval.lock for up, <store's folder>/<service>.lock for a
    service), so that a second start beside a running one stops at once,
    naming the process that holds it, instead of fighting it for ports and
    overwriting its files.

    The lock is an fcntl write lock on the whole file. It belongs to the
    process, so it goes when the process ends however it ends (SIGKILL
    included): a lock left by a crash never needs clearing by hand, and the
    file itself is left in place (removing it would let two processes lock
    two different files of one name). The file also holds the holder's pid
    as text, for people. fcntl locks are not inherited by children, and a
    process that opened the same file a second time and closed it would
    drop its lock: only this class opens a lock file.
*/
#ifndef SV_LOCK_H_INCLUDED
#define SV_LOCK_H_INCLUDED

#include <stdbool.h>
#include <sys/types.h>

typedef struct _sv_lock_t sv_lock_t;

//  Takes the lock on path, making the file if needed. Returns NULL when it
//  cannot: *holder_p (when holder_p is not NULL) is then the pid of the
//  process that holds it, or 0 when the file could not be opened or
//  locked at all (errno says why).
sv_lock_t *
    sv_lock_new (const char *path, pid_t *holder_p);

//  Releases the lock. Safe twice.
void
    sv_lock_destroy (sv_lock_t **self_p);

void
    sv_lock_test (bool verbose);

#endif
