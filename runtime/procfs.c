#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs.h"
#include "util.h"

/* the root directory of every procfs instance */
#define PROC_ROOT_INO 1

int procfs_open(int *ret_procfd, struct rt_error *err)
{
	cleanup_close int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct statfs sfs;
	struct stat st;

	if (fd < 0)
		return rt_fail_errno(err, errno, "open /proc");
	if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
		return rt_fail_errno(err, errno, "stat /proc");
	if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
		return rt_fail(err, EXDEV, "/proc is not the root of a procfs");
	*ret_procfd = steal_fd(&fd);
	return 0;
}

int procfs_open_at(int procfd, const char *path, int flags, int *ret_fd, struct rt_error *err)
{
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, procfd, path, &how, sizeof(how));

	if (fd < 0)
		return rt_fail_errno(err, errno, "open /proc/%s", path);
	*ret_fd = fd;
	return 0;
}

int procfs_write(int procfd, const char *path, const char *data, size_t len,
		 struct rt_error *err)
{
	cleanup_close int fd = -1;
	int r;

	if (procfs_open_at(procfd, path, O_WRONLY | O_TRUNC, &fd, err) < 0)
		return -EIO;
	r = write_all(fd, data, len);
	if (r < 0)
		return rt_fail_errno(err, -r, "write /proc/%s", path);
	return 0;
}

int procfs_read(int procfd, const char *path, char **ret_text, struct rt_error *err)
{
	cleanup_close int fd = -1;
	cleanup_free char *buf = NULL;
	size_t len = 0, cap = 0;

	if (procfs_open_at(procfd, path, O_RDONLY, &fd, err) < 0)
		return -EIO;
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *more = realloc(buf, cap += 16384);

			if (!more)
				return rt_fail(err, ENOMEM, "out of memory");
			buf = more;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rt_fail_errno(err, errno, "read /proc/%s", path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret_text = steal_ptr(&buf);
	return 0;
}
