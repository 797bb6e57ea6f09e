#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "selfexe.h"
#include "util.h"

extern char **environ;

/* The mount namespace we were started in, carried across the re-exec as an
 * fd whose number is in this variable; -1 when we never left it. */
#define CALLER_MNTNS_ENV "_MINI_RUNTIME_CALLER_MNTNS"
static int caller_mntns = -1;

/* After the re-exec: take the fd over, close-on-exec from now on. */
static void adopt_caller_mntns(void)
{
	const char *v = getenv(CALLER_MNTNS_ENV);
	char *end;
	long fd;

	if (!v)
		return;
	fd = strtol(v, &end, 10);
	if (*v && !*end && fd > 2 && fd < INT_MAX && fcntl((int)fd, F_SETFD, FD_CLOEXEC) == 0)
		caller_mntns = (int)fd;
	unsetenv(CALLER_MNTNS_ENV);
}

int selfexe_protect(char **argv, struct rt_error *err)
{
	char exe[PATH_MAX], fdnum[16];
	struct statvfs st;
	ssize_t n;
	int ns, fd;

	/* already re-executed (once, even where /proc/self/exe does not look
	 * read-only, as under valgrind), or installed on a read-only mount */
	if (getenv(CALLER_MNTNS_ENV) ||
	    (statvfs("/proc/self/exe", &st) == 0 && (st.f_flag & ST_RDONLY))) {
		adopt_caller_mntns();
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return rt_fail_errno(err, errno, "read /proc/self/exe");
	exe[n] = '\0';
	/* kept open across execve on purpose (see selfexe_enter_caller_mntns),
	 * above stdio even when the caller closed some of it */
	ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return rt_fail_errno(err, errno,
				     "protect the runtime binary: open /proc/self/ns/mnt");
	fd = fcntl(ns, F_DUPFD, 3);
	close(ns);
	if (fd < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: dup");
	snprintf(fdnum, sizeof(fdnum), "%d", fd);
	if (setenv(CALLER_MNTNS_ENV, fdnum, 1) < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: setenv");
	if (unshare(CLONE_NEWNS) < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: unshare");
	/* our mounts must not propagate to the host */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0 ||
	    mount(exe, exe, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, exe, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: bind %s read-only",
				     exe);
	execve(exe, argv, environ);
	return rt_fail_errno(err, errno, "protect the runtime binary: re-exec %s", exe);
}

int selfexe_enter_caller_mntns(struct rt_error *err)
{
	cleanup_close int cwd = -1, ns = steal_fd(&caller_mntns);

	if (ns < 0)
		return 0;
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: open the working directory");
	if (setns(ns, CLONE_NEWNS) < 0)
		return rt_fail_errno(err, errno,
				     "linux.namespaces: join the caller's mount namespace");
	/* setns moved us to the namespace's root; relative paths (--pid-file)
	 * still mean what the caller meant */
	if (fchdir(cwd) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: back to the working directory");
	return 0;
}
