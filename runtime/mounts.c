#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mounts.h"
#include "path.h"
#include "util.h"

#define PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

int mounts_prepare_root(const struct spec *spec, int *ret_rootfd, struct rt_error *err)
{
	unsigned long prop = spec->rootfs_propagation ? spec->rootfs_propagation
						      : MS_SLAVE | MS_REC;
	int fd;

	/* shared mounts would leak ours to the host, and an unbindable root
	 * cannot be bound onto itself: both are applied to the rootfs at the
	 * end (mounts_finish) instead */
	if (prop & (MS_SHARED | MS_UNBINDABLE))
		prop = MS_SLAVE | MS_REC;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return rt_fail_errno(err, errno, "linux.rootfsPropagation: make / %s",
				     (prop & MS_PRIVATE) ? "private" : "slave");
	if (mount(spec->root_path, spec->root_path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rt_fail_errno(err, errno, "root.path: bind %s", spec->root_path);
	fd = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return rt_fail_errno(err, errno, "root.path: open %s", spec->root_path);
	*ret_rootfd = fd;
	return 0;
}

/* In a user namespace the kernel refuses a remount that drops a flag the
 * source mount has locked (nodev, nosuid, noexec, ...): keep them. */
static unsigned long locked_flags(const char *target)
{
	struct statvfs st;
	unsigned long flags = 0;

	if (statvfs(target, &st) < 0)
		return 0;
	if (st.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (st.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (st.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	if (st.f_flag & ST_RDONLY)
		flags |= MS_RDONLY;
	return flags;
}

/* After a mount onto an fd's path the fd still names the directory under
 * the new mount: remounts and propagation changes need the top, opened
 * again. */
static int open_top(int rootfd, const struct spec_mount *m, int *ret_fd, struct rt_error *err)
{
	if (path_open_in_root(rootfd, m->destination, PATH_NO_CREATE, ret_fd, err) < 0)
		return rt_wrap(err, "mount %s", m->destination);
	return 0;
}

static int mount_bind(const struct spec_mount *m, int rootfd, bool in_userns,
		      struct rt_error *err)
{
	cleanup_close int fd = -1, top = -1;
	struct stat st;
	char target[32];
	unsigned long extra = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

	if (stat(m->source, &st) < 0)
		return rt_fail_errno(err, errno, "mount %s: source %s", m->destination, m->source);
	if (path_open_in_root(rootfd, m->destination,
			      S_ISDIR(st.st_mode) ? PATH_CREATE_DIR : PATH_CREATE_FILE, &fd,
			      err) < 0)
		return rt_wrap(err, "mount %s", m->destination);
	if (mount(m->source, fd_path(fd, target, sizeof(target)), NULL,
		  MS_BIND | (m->flags & MS_REC), NULL) < 0)
		return rt_fail_errno(err, errno, "mount %s: bind %s", m->destination, m->source);
	if (!extra && !m->propagation)
		return 0;
	if (open_top(rootfd, m, &top, err) < 0)
		return -EINVAL;
	fd_path(top, target, sizeof(target));
	if (extra) {
		if (in_userns)
			extra |= locked_flags(target) & ~(m->clear & ~MS_RDONLY);
		if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | extra, NULL) < 0)
			return rt_fail_errno(err, errno, "mount %s: remount with its options",
					     m->destination);
	}
	if (m->propagation && mount(NULL, target, NULL, m->propagation, NULL) < 0)
		return rt_fail_errno(err, errno, "mount %s: set propagation", m->destination);
	return 0;
}

/* The container sees the host's hierarchies, read-only when the config
 * says "ro" (runc's default), with or without a cgroup namespace of its
 * own: a fresh cgroup mount inside one is not made. */
static int mount_cgroup(const struct spec_mount *m, int rootfd, const char *target,
			struct rt_error *err)
{
	unsigned long flags = MS_BIND | MS_REC;
	cleanup_close int top = -1;
	char top_path[32];

	if (mount("/sys/fs/cgroup", target, NULL, flags, NULL) < 0)
		return rt_fail_errno(err, errno, "mount %s: bind the cgroup hierarchy",
				     m->destination);
	flags = MS_REMOUNT | MS_BIND | (m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
	if (!(flags & ~(MS_REMOUNT | MS_BIND)))
		return 0;
	if (open_top(rootfd, m, &top, err) < 0)
		return -EINVAL;
	if (mount(NULL, fd_path(top, top_path, sizeof(top_path)), NULL, flags, NULL) < 0)
		return rt_fail_errno(err, errno, "mount %s: remount", m->destination);
	/* the remount reaches the top only: "ro" must hold for the hierarchies
	 * under it too, or the container's root writes the host's cgroup.procs
	 * and leaves its limits (every CRI container asks for "ro") */
	if ((m->flags & MS_RDONLY) &&
	    mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE,
			  &(struct mount_attr){.attr_set = MOUNT_ATTR_RDONLY},
			  sizeof(struct mount_attr)) < 0)
		return rt_fail_errno(err, errno, "mount %s: make the hierarchies read-only",
				     m->destination);
	return 0;
}

static int mount_fs(const struct spec_mount *m, int rootfd, struct rt_error *err)
{
	cleanup_close int fd = -1;
	char target[32];
	unsigned long flags = m->flags & ~MS_REC;

	if (path_open_in_root(rootfd, m->destination, PATH_CREATE_DIR, &fd, err) < 0)
		return rt_wrap(err, "mount %s", m->destination);
	fd_path(fd, target, sizeof(target));
	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return mount_cgroup(m, rootfd, target, err);
	if (mount(m->source ? m->source : m->type, target, m->type, flags, m->data) < 0) {
		/* sysfs needs a network namespace of our own; runc binds the host's */
		if (errno == EPERM && strcmp(m->type, "sysfs") == 0 &&
		    mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) == 0)
			return 0;
		return rt_fail_errno(err, errno, "mount %s (%s)", m->destination, m->type);
	}
	if (!m->propagation)
		return 0;
	close(steal_fd(&fd));
	if (open_top(rootfd, m, &fd, err) < 0)
		return -EINVAL;
	if (mount(NULL, fd_path(fd, target, sizeof(target)), NULL, m->propagation, NULL) < 0)
		return rt_fail_errno(err, errno, "mount %s: set propagation", m->destination);
	return 0;
}

int mounts_apply(const struct spec *spec, int rootfd, bool in_userns, struct rt_error *err)
{
	for (size_t i = 0; i < spec->nmounts; i++) {
		const struct spec_mount *m = &spec->mounts[i];
		int r = m->bind ? mount_bind(m, rootfd, in_userns, err) : mount_fs(m, rootfd, err);

		if (r < 0)
			return rt_wrap(err, "mounts[%zu]", i);
	}
	return 0;
}

/* Read-only, every other flag of the mount kept (a remount would have to
 * repeat them, and in a user namespace could not drop the locked ones). */
static int set_readonly(int dirfd, const char *path)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	return mount_setattr(dirfd, path, *path ? 0 : AT_EMPTY_PATH, &ro, sizeof(ro));
}

/* A masked or read-only path the rootfs does not have is skipped; any
 * other failure to resolve it is an error. */
static bool absent(const struct rt_error *e)
{
	return e->errnum == ENOENT || e->errnum == ENOTDIR;
}

int mounts_protect_paths(const struct spec *spec, int rootfd, struct rt_error *err)
{
	char target[32];

	for (char **p = spec->masked_paths; p && *p; p++) {
		cleanup_close int fd = -1;
		struct rt_error missing;

		if (path_open_in_root(rootfd, *p, PATH_NO_CREATE, &fd, &missing) < 0) {
			if (absent(&missing))
				continue; /* nothing there to mask */
			*err = missing;
			return rt_wrap(err, "linux.maskedPaths");
		}
		fd_path(fd, target, sizeof(target));
		/* a file, mostly: /dev/null over it; a directory refuses that
		 * (ENOTDIR) and gets an empty read-only tmpfs */
		if (mount("/dev/null", target, NULL, MS_BIND, NULL) < 0 &&
		    (errno != ENOTDIR || mount("tmpfs", target, "tmpfs", MS_RDONLY, "size=0k") < 0))
			return rt_fail_errno(err, errno, "linux.maskedPaths: mask %s", *p);
	}
	for (char **p = spec->readonly_paths; p && *p; p++) {
		cleanup_close int fd = -1, top = -1;
		struct rt_error missing;

		if (path_open_in_root(rootfd, *p, PATH_NO_CREATE, &fd, &missing) < 0) {
			if (absent(&missing))
				continue;
			*err = missing;
			return rt_wrap(err, "linux.readonlyPaths");
		}
		if (mount(fd_path(fd, target, sizeof(target)), target, NULL, MS_BIND | MS_REC,
			  NULL) < 0)
			return rt_fail_errno(err, errno, "linux.readonlyPaths: bind %s", *p);
		if (path_open_in_root(rootfd, *p, PATH_NO_CREATE, &top, err) < 0)
			return rt_wrap(err, "linux.readonlyPaths");
		if (set_readonly(top, "") < 0)
			return rt_fail_errno(err, errno, "linux.readonlyPaths: remount %s", *p);
	}
	return 0;
}

int mounts_enter_root(int rootfd, bool no_pivot, struct rt_error *err)
{
	cleanup_close int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (oldroot < 0)
		return rt_fail_errno(err, errno, "open the old root");
	if (fchdir(rootfd) < 0)
		return rt_fail_errno(err, errno, "chdir to the rootfs");
	if (no_pivot) {
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return rt_fail_errno(err, errno, "move the rootfs to /");
		if (chroot(".") < 0)
			return rt_fail_errno(err, errno, "chroot");
		return chdir("/") < 0 ? rt_fail_errno(err, errno, "chdir /") : 0;
	}
	/* pivot_root(".", ".") stacks the old root on top of the new one; make
	 * it a slave so detaching it does not propagate, then detach it. Our
	 * cwd is still the new root, where "." would name the new root for
	 * mount(2) (umount2 alone follows to the top): stand in the old one,
	 * or every container mount loses its shared propagation */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return rt_fail_errno(err, errno, "pivot_root");
	if (fchdir(oldroot) < 0)
		return rt_fail_errno(err, errno, "chdir to the old root");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return rt_fail_errno(err, errno, "make the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		return rt_fail_errno(err, errno, "detach the old root");
	return chdir("/") < 0 ? rt_fail_errno(err, errno, "chdir /") : 0;
}

int mounts_finish(const struct spec *spec, struct rt_error *err)
{
	if (spec->root_readonly && set_readonly(AT_FDCWD, "/") < 0)
		return rt_fail_errno(err, errno, "root.readonly: remount / read-only");
	if ((spec->rootfs_propagation & (MS_SHARED | MS_UNBINDABLE)) &&
	    mount(NULL, "/", NULL, spec->rootfs_propagation, NULL) < 0)
		return rt_fail_errno(err, errno, "linux.rootfsPropagation: make / %s",
				     (spec->rootfs_propagation & MS_SHARED) ? "shared"
									    : "unbindable");
	return 0;
}
