#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "selfexe.h"

extern char **environ;

int selfexe_protect(char **argv, struct rt_error *err)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	struct statvfs st;
	int fd;

	if (getenv(SELFEXE_REEXEC_ENV)) {
		unsetenv(SELFEXE_REEXEC_ENV);
		return 0;
	}
	/* installed on a read-only mount: nothing to do */
	if (statvfs("/proc/self/exe", &st) == 0 && (st.f_flag & ST_RDONLY))
		return 0;
	/* a bind mount of the binary alone, attached to no mount namespace: it
	 * cannot be remounted or mounted over, and lives as long as a process
	 * runs from it. No namespace to make, no mount table to copy. */
	fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (fd < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: open_tree");
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0) {
		close(fd);
		return rt_fail_errno(err, errno, "protect the runtime binary: make it read-only");
	}
	if (setenv(SELFEXE_REEXEC_ENV, "1", 1) < 0) {
		close(fd);
		return rt_fail_errno(err, errno, "protect the runtime binary: setenv");
	}
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	close(fd);
	return rt_fail_errno(err, errno, "protect the runtime binary: re-exec");
}
