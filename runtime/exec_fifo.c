/* exec_fifo.c - the exec fifo's host ends (see exec_fifo.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec_fifo.h"
#include "state.h"
#include "util.h"

/* Opened read-write here so the init never needs the state directory (nor,
 * in a user namespace, any right to it). O_RDWR never blocks on a fifo. */
int exec_fifo_create(int dirfd, int *ret_fd, struct rt_error *err)
{
	int fd;

	if (mkfifoat(dirfd, STATE_FIFO, 0600) < 0)
		return rt_fail_errno(err, errno, "create the exec fifo");
	fd = openat(dirfd, STATE_FIFO, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return rt_fail_errno(err, errno, "open the exec fifo");
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return rt_fail_errno(err, errno, "lock the exec fifo");
	}
	*ret_fd = fd;
	return 0;
}

/* One byte releases the init. No reader (ENXIO) means it is gone. */
int exec_fifo_release(int dirfd, struct rt_error *err)
{
	cleanup_close int fd =
		openat(dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENXIO)
		return rt_fail(err, ESRCH, "the container's init exited before it could start");
	if (fd < 0)
		return rt_fail_errno(err, errno, "open the exec fifo");
	if (write(fd, "0", 1) != 1)
		return rt_fail_errno(err, errno, "write the exec fifo");
	unlinkat(dirfd, STATE_FIFO, 0);
	/* the init's lock on the fifo goes with its execve (or exit): then the
	 * program runs, and a signal sent after we return reaches it, not an
	 * init that would drop it (pid 1 ignores signals it has no handler for) */
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return rt_fail_errno(err, errno, "wait for the container's program");
	return 0;
}
