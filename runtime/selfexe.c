#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "selfexe.h"
#include "util.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern char **environ;

/* Kernels before 6.14 name a process started by execveat(fd, "") after the
 * fd's number ("3"): take our name back, for ps and for the init we clone. */
static void name_self(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	prctl(PR_SET_NAME, slash ? slash + 1 : argv0 ? argv0 : "mini-runtime", 0, 0, 0);
}

/* A copy of the binary in a memfd sealed against any change (the kernel
 * refuses a writable mapping or a write of it for good), for a runtime
 * that may not clone a mount: an unprivileged user's (rootless), as crun
 * and runc do it. It costs a copy of the binary per start (docs/security.md
 * section 2 has the figure). */
static int sealed_copy(int *ret_fd, struct rt_error *err)
{
	cleanup_close int fd = -1, src = -1;
	struct stat st;
	off_t off = 0;

	/* MFD_EXEC (6.3): vm.memfd_noexec may make memfds non-executable by
	 * default; older kernels refuse the flag and exec any memfd */
	fd = memfd_create("mini-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("mini-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: memfd_create");
	src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0 || fstat(src, &st) < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: open /proc/self/exe");
	while (off < st.st_size) {
		ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));

		if (n <= 0)
			return rt_fail_errno(err, n < 0 ? errno : EIO,
					     "protect the runtime binary: copy it into a memfd");
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: seal the memfd");
	*ret_fd = steal_fd(&fd);
	return 0;
}

int selfexe_protect(char **argv, struct rt_error *err)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	struct statvfs st;
	bool sealed = false;
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
	 * runs from it. No namespace to make, no mount table to copy. Only
	 * CAP_SYS_ADMIN over our mount namespace may clone a mount: without
	 * (EPERM), the sealed copy. */
	fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (fd < 0 && errno == EPERM) {
		if (sealed_copy(&fd, err) < 0)
			return -EPERM;
		sealed = true;
	}
	if (fd < 0)
		return rt_fail_errno(err, errno, "protect the runtime binary: open_tree");
	if (!sealed && syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0) {
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
