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
//  Self-test: a second process is refused and told who holds the lock;
//  once it is released, or its holder killed, the next one takes it

//  In a child: tries path and exits 0 when taken, 1 when held by expected
static pid_t
s_test_try (const char *path, pid_t expected)
{
    pid_t child = fork ();
    if (child == 0) {
        pid_t holder = 0;
        sv_lock_t *lock = sv_lock_new (path, &holder);
        int code = lock? 0: holder == expected? 1: 2;
        sv_lock_destroy (&lock);
        _exit (code);
    }
    int status;
    waitpid (child, &status, 0);
    return WIFEXITED (status)? WEXITSTATUS (status): -1;
}

void
sv_lock_test (bool verbose)
{
    if (verbose)
        printf (" * sv_lock: ");
    char *path = zsys_sprintf ("/tmp/sv_lock_test_%d.lock", getpid ());
    sv_lock_t *lock = sv_lock_new (path, NULL);
    assert (lock);
    assert (s_test_try (path, getpid ()) == 1);
    sv_lock_destroy (&lock);
    sv_lock_destroy (&lock);
    assert (s_test_try (path, 0) == 0);

    //  A holder killed outright leaves the lock free
    pid_t holder = fork ();
    if (holder == 0) {
        sv_lock_t *held = sv_lock_new (path, NULL);
        assert (held);
        pause ();
    }
    int64_t deadline = zclock_mono () + 5000;
    while (s_test_try (path, holder) != 1 && zclock_mono () < deadline)
        zclock_sleep (10);
    assert (s_test_try (path, holder) == 1);
    kill (holder, SIGKILL);
    waitpid (holder, NULL, 0);
    assert (s_test_try (path, 0) == 0);

    pid_t refused = 0;
    assert (sv_lock_new ("/nonexistent/folder/x.lock", &refused) == NULL && refused == 0);
    unlink (path);
    zstr_free (&path);
    if (verbose)
        printf ("OK\n");
}
