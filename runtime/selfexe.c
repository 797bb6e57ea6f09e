#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "selfexe.h"

extern char **environ;

/* Kernels before 6.14 name a process started by execveat(fd, "") after the
 * fd's number ("3"): take our name back, for ps and for the init we clone. */
static void name_self(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	prctl(PR_SET_NAME, slash ? slash + 1 : argv0 ? argv0 : "mini-runtime", 0, 0, 0);
}

int selfexe_protect(char **argv, struct rt_error *err)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	struct statvfs st;
	int fd;

	if (getenv(SELFEXE_REEXEC_ENV)) {
		unsetenv(SELFEXE_REEXEC_ENV);
		name_self(argv[0]);
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
