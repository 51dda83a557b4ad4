/*  sv_lock: one process at a time on a data folder's files. See sv_lock.h. */

#include "sv_lock.h"
#include <czmq.h>

struct _sv_lock_t {
    int fd;
};

//  The pid of the process holding a write lock on fd's file, or 0 when
//  none does (any more)
static pid_t
s_holder (int fd)
{
    struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl (fd, F_GETLK, &probe) == -1 || probe.l_type == F_UNLCK)
        return 0;
    return probe.l_pid;
}

sv_lock_t *
sv_lock_new (const char *path, pid_t *holder_p)
{
    assert (path);
    pid_t ignored;
    if (!holder_p)
        holder_p = &ignored;
    *holder_p = 0;
    int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd == -1)
        return NULL;
    //  A holder that ends between our try and our question leaves nobody
    //  to name: try again, a few times
    for (int attempt = 0; attempt < 3; attempt++) {
        struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        if (fcntl (fd, F_SETLK, &lock) == 0) {
            char text [32];
            int length = snprintf (text, sizeof text, "%d\n", (int) getpid ());
            //  The pid is for people only: the lock holds whether it is written or not
            bool written = ftruncate (fd, 0) == 0
                        && pwrite (fd, text, (size_t) length, 0) == length;
            (void) written;
            sv_lock_t *self = (sv_lock_t *) zmalloc (sizeof (sv_lock_t));
            self->fd = fd;
            return self;
        }
        if (errno != EACCES && errno != EAGAIN)
            break;
        *holder_p = s_holder (fd);
        if (*holder_p)
            break;
    }
    int error = errno;
    close (fd);
    errno = error;
    return NULL;
}

void
sv_lock_destroy (sv_lock_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        close ((*self_p)->fd);         //  which releases the lock
        free (*self_p);
        *self_p = NULL;
    }
}

//  --------------------------------------------------------------------------
//  Self-test: what one process can see. A lock is the process's, so that a
//  second process is refused, told the holder's pid, and served once the
//  holder is killed is shown with real processes by tests/test_config.c
//  (a fork here would be a second valgrind under make memcheck).

void
sv_lock_test (bool verbose)
{
    if (verbose)
        printf (" * sv_lock: ");
    char *path = zsys_sprintf ("/tmp/sv_lock_test_%d.lock", getpid ());
    sv_lock_t *lock = sv_lock_new (path, NULL);
    assert (lock);
    //  It holds this process's pid, for people
    char text [32] = "";
    FILE *file = fopen (path, "r");
    assert (file && fgets (text, sizeof text, file));
    fclose (file);
    assert (atoi (text) == getpid ());
    sv_lock_destroy (&lock);
    sv_lock_destroy (&lock);
    //  Released, it is taken again
    pid_t holder = -1;
    lock = sv_lock_new (path, &holder);
    assert (lock && holder == 0);
    sv_lock_destroy (&lock);

    //  A folder that is not there: no lock, no holder, errno says why
    holder = -1;
    assert (sv_lock_new ("/nonexistent/folder/x.lock", &holder) == NULL);
    assert (holder == 0 && errno == ENOENT);
    unlink (path);
    zstr_free (&path);
    if (verbose)
        printf ("OK\n");
}
