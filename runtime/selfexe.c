#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "selfexe.h"

extern char **environ;

int selfexe_protect(char **argv, struct rt_error *err)
{
	char exe[PATH_MAX];
	struct statvfs st;
	ssize_t n;

	/* already re-executed, or installed on a read-only filesystem */
	if (statvfs("/proc/self/exe", &st) == 0 && (st.f_flag & ST_RDONLY))
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return rt_fail_errno(err, errno, "read /proc/self/exe");
	exe[n] = '\0';
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
