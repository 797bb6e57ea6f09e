#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "util.h"

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_file(const char *path, char **ret_buf, size_t *ret_len, struct rt_error *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	cleanup_free char *buf = NULL;
	size_t cap = 4096, len = 0;

	if (fd < 0)
		return rt_fail_errno(err, errno, "open %s", path);
	for (;;) {
		char *nbuf = realloc(buf, cap + 1);
		ssize_t n;

		if (!nbuf)
			return rt_fail(err, ENOMEM, "read %s: out of memory", path);
		buf = nbuf;
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return rt_fail_errno(err, errno, "read %s", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap)
			cap *= 2;
	}
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	*ret_buf = steal_ptr(&buf);
	return 0;
}

int write_file(const char *path, const char *data, size_t len, struct rt_error *err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int r;

	if (fd < 0)
		return rt_fail_errno(err, errno, "open %s", path);
	r = write_all(fd, data, len);
	if (r < 0)
		return rt_fail_errno(err, -r, "write %s", path);
	return 0;
}

int write_file_atomic(int dirfd, const char *name, const char *data, size_t len, mode_t mode,
		      struct rt_error *err)
{
	char tmp[NAME_MAX + 1];
	int fd, r;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return rt_fail_errno(err, errno, "create %s", tmp);
	/* no fsync: runtime state does not outlive a reboot, and rename alone
	 * keeps readers from seeing a partial file */
	r = write_all(fd, data, len);
	close(fd);
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return rt_fail_errno(err, -r, "write %s", name);
	}
	return 0;
}

int mkdir_p(const char *path, mode_t mode, struct rt_error *err)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return rt_fail(err, ENAMETOOLONG, "%s: path too long", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return rt_fail_errno(err, errno, "mkdir %s", buf);
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

int proc_stat(pid_t pid, unsigned long long *ret_start, char *ret_state)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields start after the last ')' */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -EIO;
	p += 2;
	if (ret_state)
		*ret_state = *p; /* field 3 */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return -EIO;
	if (ret_start)
		*ret_start = strtoull(p, NULL, 10);
	return 0;
}

int parse_ulong(const char *s, unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int close_fds_except(int first, const int *keep, size_t nkeep)
{
	unsigned lo = (unsigned)first;

	/* ascending walk over the kept fds, closing the gaps between them */
	for (;;) {
		unsigned next = ~0U;

		for (size_t i = 0; i < nkeep; i++)
			if (keep[i] >= 0 && (unsigned)keep[i] >= lo && (unsigned)keep[i] < next)
				next = (unsigned)keep[i];
		if (next > lo && syscall(SYS_close_range, lo, next - 1, 0) < 0)
			return -errno;
		if (next == ~0U)
			return 0;
		lo = next + 1;
	}
}

#ifdef MINI_TEST_HOOKS
#include <sys/prctl.h>

/* Not SIGSTOP: a pid namespace's init cannot stop itself that way. The
 * name tells the test where we are; SIGKILL ends the wait. */
static volatile sig_atomic_t test_resumed;

static void test_resume(int sig)
{
	(void)sig;
	test_resumed = 1;
}

void test_pause(const char *stage)
{
	const char *want = getenv("MINI_RUNTIME_TEST_PAUSE");

	if (!want || strcmp(want, stage) != 0)
		return;
	/* waits for the test's SIGCONT (or SIGKILL); a handler, not SIGSTOP:
	 * a pid namespace's init ignores a SIGSTOP of its own */
	signal(SIGCONT, test_resume);
	prctl(PR_SET_NAME, "test-paused", 0, 0, 0);
	while (!test_resumed)
		pause();
	signal(SIGCONT, SIG_DFL);
}
#endif
