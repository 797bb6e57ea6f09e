#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroups.h"
#include "mount_fd.h"
#include "mounts.h"
#include "path.h"
#include "util.h"

/* The mount the rootfs is on (the rootfs itself when it is a mount point,
 * as containerd's overlay is) made private, as runc does under a shared
 * "/": binding the rootfs onto itself, and every mount in it, then stays
 * in the container. */
static int make_root_mount_private(const char *root_path, struct rt_error *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", root_path);
	for (;;) {
		char *slash;

		if (mount(NULL, path, NULL, MS_PRIVATE, NULL) == 0)
			return 0;
		/* EINVAL: not a mount point, try its parent */
		if (errno != EINVAL || !strcmp(path, "/"))
			return rt_fail_errno(err, errno, "root.path: make the mount of %s private",
					     root_path);
		slash = strrchr(path, '/');
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

int mounts_prepare_root(const struct spec *spec, int *ret_rootfd, struct rt_error *err)
{
	unsigned long prop = spec->rootfs_propagation ? spec->rootfs_propagation
						      : MS_SLAVE | MS_REC;
	int fd;
	int r;

	/* an unbindable root cannot be bound onto itself: it is applied to
	 * the rootfs at the end (mounts_finish). A shared one is applied here
	 * too, as runc does, so that the binds of the host's shared mounts stay
	 * peers of the host's (Kubernetes' Bidirectional volumes); the rootfs's
	 * own mount is made private, so nothing else leaks to the host. */
	if (prop & MS_UNBINDABLE)
		prop = MS_SLAVE | MS_REC;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return rt_fail_errno(err, errno, "linux.rootfsPropagation: make / %s",
				     spec_propagation_name(prop));
	if ((prop & MS_SHARED) && (r = make_root_mount_private(spec->root_path, err)) < 0)
		return r;
	if (mount(spec->root_path, spec->root_path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rt_fail_errno(err, errno, "root.path: bind %s", spec->root_path);
	fd = open(spec->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return rt_fail_errno(err, errno, "root.path: open %s", spec->root_path);
	*ret_rootfd = fd;
	return 0;
}

/* The flags a bind's options set and clear. A bind inherits its source's
 * flags and keeps every one the options do not name (a remount would have
 * to repeat them, and in a user namespace could not drop the locked ones).
 * "rw" on a bind of a read-only mount in a user namespace keeps it
 * read-only: that flag is locked there. */
struct mount_attr mounts_bind_attr(const struct spec_mount *m, bool in_userns)
{
	unsigned long set = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

	/* options that only clear, as "rw" alone, leave the source's flags */
	if (!set)
		return (struct mount_attr){0};
	return mnt_attr_from_flags(set, in_userns ? m->clear & ~MS_RDONLY : m->clear);
}

static int mount_bind(const struct spec_mount *m, int rootfd, bool in_userns,
		      struct rt_error *err)
{
	cleanup_close int fd = -1, tree = -1;
	struct stat st;

	if (stat(m->source, &st) < 0)
		return rt_fail_errno(err, errno, "mount %s: source %s", m->destination, m->source);
	if (path_open_in_root(rootfd, m->destination,
			      S_ISDIR(st.st_mode) ? PATH_CREATE_DIR : PATH_CREATE_FILE, &fd,
			      err) < 0)
		return rt_wrap(err, "mount %s", m->destination);
	if (mnt_clone(AT_FDCWD, m->source, m->flags & MS_REC, &tree, err) < 0 ||
	    mnt_set_attr(tree, mounts_bind_attr(m, in_userns), false, err) < 0 ||
	    (m->recursive_ro &&
	     mnt_set_attr(tree, (struct mount_attr){.attr_set = MOUNT_ATTR_RDONLY}, true, err) < 0) ||
	    mnt_move(tree, fd, "", err) < 0 ||
	    (m->propagation && mnt_set_propagation(tree, m->propagation, err) < 0))
		return rt_wrap(err, "mount %s: bind %s", m->destination, m->source);
	return 0;
}

/* procfs and sysfs are where the runtime and the kernel's own checks look
 * for the container's knobs: a destination that is a symlink in the image
 * is refused (youki's CVE-2025-62161 class), not followed. */
static bool needs_real_destination(const struct spec_mount *m)
{
	return strcmp(m->type, "proc") == 0 || strcmp(m->type, "sysfs") == 0;
}

/* The destination opened with no symlink on the way; made first when
 * missing (one lookup in the usual case, where it exists). */
static int open_real_destination(int rootfd, const char *dest, int *ret_fd,
				 struct rt_error *err)
{
	cleanup_close int made = -1;
	struct rt_error missing;

	if (path_open_in_root_nofollow(rootfd, dest, ret_fd, &missing) == 0)
		return 0;
	if (missing.errnum != ENOENT) {
		*err = missing;
		return -ELOOP;
	}
	if (path_open_in_root(rootfd, dest, PATH_CREATE_DIR, &made, err) < 0)
		return -EIO;
	return path_open_in_root_nofollow(rootfd, dest, ret_fd, err);
}

/* sysfs needs a network namespace of our own; as runc does, bind the
 * host's instead, recursively and with the options' flags on every mount
 * of it (a remount of the top alone would leave the rest writable). */
static int bind_host_sysfs(const struct spec_mount *m, int fd, struct rt_error *err)
{
	cleanup_close int tree = -1;
	unsigned long set = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

	if (mnt_clone(AT_FDCWD, "/sys", true, &tree, err) < 0 ||
	    mnt_set_attr(tree, mnt_attr_from_flags(set, 0), true, err) < 0 ||
	    mnt_move(tree, fd, "", err) < 0)
		return rt_wrap(err, "mount %s: bind the host's /sys", m->destination);
	return 0;
}

/* With a propagation to set afterwards, the filesystem is made detached and
 * moved, so that the second step goes through the mount's own fd. */
static int mount_fs_detached(const struct spec_mount *m, int fd, struct rt_error *err)
{
	cleanup_close int mnt = -1;
	unsigned long set = m->flags & ~MS_REC;
	struct mount_attr attr = mnt_attr_from_flags(set, 0);

	if (mnt_new_fs(m->type, m->source ? m->source : m->type, m->data, set,
		       (unsigned int)attr.attr_set, &mnt, err) < 0 ||
	    mnt_move(mnt, fd, "", err) < 0 || mnt_set_propagation(mnt, m->propagation, err) < 0)
		return rt_wrap(err, "mount %s (%s)", m->destination, m->type);
	return 0;
}

static int mount_fs(const struct spec_mount *m, int rootfd, const struct cgroups *cgroups,
		    struct rt_error *err)
{
	cleanup_close int fd = -1;
	char target[32];

	if (needs_real_destination(m)) {
		if (open_real_destination(rootfd, m->destination, &fd, err) < 0)
			return rt_wrap(err, "mount %s (%s)", m->destination, m->type);
	} else if (path_open_in_root(rootfd, m->destination, PATH_CREATE_DIR, &fd, err) < 0) {
		return rt_wrap(err, "mount %s", m->destination);
	}
	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return cgroups_mount(cgroups, m, fd, err);
	if (m->propagation)
		return mount_fs_detached(m, fd, err);
	/* the usual case, one mount(2) onto the fd resolved once: nothing is
	 * looked up again after it */
	if (mount(m->source ? m->source : m->type, fd_path(fd, target, sizeof(target)), m->type,
		  m->flags & ~MS_REC, m->data) < 0) {
		if (errno == EPERM && strcmp(m->type, "sysfs") == 0)
			return bind_host_sysfs(m, fd, err);
		return rt_fail_errno(err, errno, "mount %s (%s)", m->destination, m->type);
	}
	return 0;
}

int mounts_apply(const struct spec *spec, int rootfd, bool in_userns, const struct cgroups *cgroups,
		 struct idmap_mounts *idmapped, struct rt_error *err)
{
	for (size_t i = 0; i < spec->nmounts; i++) {
		const struct spec_mount *m = &spec->mounts[i];
		int r = m->by_parent ? idmap_attach_next(idmapped, m, rootfd, err)
			: m->bind ? mount_bind(m, rootfd, in_userns, err)
				  : mount_fs(m, rootfd, cgroups, err);

		if (r < 0)
			return rt_wrap(err, "mounts[%zu]", i);
	}
	return 0;
}


/* A masked or read-only path the rootfs does not have is skipped; any
 * other failure to resolve it is an error. */
static bool absent(const struct rt_error *e)
{
	return e->errnum == ENOENT || e->errnum == ENOTDIR;
}

/* What masks: the host's null device for a file, opened once and checked
 * to be the char device 1:3 (never the image's /dev/null, which may be a
 * symlink or a regular file: CVE-2025-31133); for a directory one empty
 * read-only tmpfs, made once and bound over each (one tmpfs per directory
 * contends on the kernel's shrinker lock with many CPUs' masks,
 * kubernetes#138512). */
struct masker {
	int null_fd, tmpfs_fd; /* -1 until needed; tmpfs_fd once attached */
};

static int open_null(int *ret_fd, struct rt_error *err)
{
	cleanup_close int fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return rt_fail_errno(err, errno, "open the host's /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return rt_fail(err, ENODEV, "the host's /dev/null is not the null device");
	*ret_fd = steal_fd(&fd);
	return 0;
}

static int mask_one(struct masker *mk, int fd, bool is_dir, struct rt_error *err)
{
	cleanup_close int tree = -1;

	if (!is_dir) {
		if (mk->null_fd < 0 && open_null(&mk->null_fd, err) < 0)
			return -ENODEV;
		return mnt_clone(mk->null_fd, "", false, &tree, err) < 0 ? -EIO
									 : mnt_move(tree, fd, "", err);
	}
	if (mk->tmpfs_fd >= 0)
		return mnt_clone(mk->tmpfs_fd, "", false, &tree, err) < 0
			       ? -EIO
			       : mnt_move(tree, fd, "", err);
	/* the first directory gets the tmpfs itself; the rest, clones of it */
	if (mnt_new_fs("tmpfs", "tmpfs", "size=4k,nr_inodes=2", 0,
		       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			       MOUNT_ATTR_NOEXEC,
		       &tree, err) < 0 ||
	    mnt_move(tree, fd, "", err) < 0)
		return -EIO;
	mk->tmpfs_fd = steal_fd(&tree);
	return 0;
}

/* A masked path opened as a directory first: most are (the per-CPU
 * thermal_throttle ones), and then no fstat is needed. Anything else is
 * opened again as what it is; a directory swapped in meanwhile gets the
 * null device, which the kernel refuses to mount on it (fails closed).
 * 1: nothing there. */
static int open_masked(int rootfd, const char *path, int *ret_fd, bool *ret_dir,
		       struct rt_error *err)
{
	struct rt_error missing;
	int r = path_open_dir_in_root(rootfd, path, ret_fd);

	*ret_dir = r == 0;
	if (r == 0)
		return 0;
	if (r == -ENOENT)
		return 1;
	if (r != -ENOTDIR)
		return rt_fail_errno(err, -r, "open %s in the container root", path);
	if (path_open_in_root(rootfd, path, PATH_NO_CREATE, ret_fd, &missing) < 0) {
		if (absent(&missing))
			return 1;
		*err = missing;
		return -EIO;
	}
	return 0;
}

/* A read-only bind of the path onto itself, made detached from the fd
 * resolved once (its submounts keep their own flags, as runc's remount). */
static int make_readonly(int fd, struct rt_error *err)
{
	cleanup_close int tree = -1;

	if (mnt_clone(fd, "", true, &tree, err) < 0 ||
	    mnt_set_attr(tree, (struct mount_attr){.attr_set = MOUNT_ATTR_RDONLY}, false, err) < 0 ||
	    mnt_move(tree, fd, "", err) < 0)
		return -EIO;
	return 0;
}

/* The read-only mount went onto the directory the path named when it was
 * opened; if a parent was swapped since (a racer on a shared bind), the
 * path now names something else, which must not be left writable. */
static int still_readonly(int rootfd, const char *path, struct rt_error *err)
{
	cleanup_close int fd = -1;
	struct statvfs vfs;

	if (path_open_in_root(rootfd, path, PATH_NO_CREATE, &fd, err) < 0)
		return -EIO;
	if (fstatvfs(fd, &vfs) < 0)
		return rt_fail_errno(err, errno, "%s: statvfs", path);
	if (!(vfs.f_flag & ST_RDONLY))
		return rt_fail(err, EAGAIN,
			       "%s changed while it was made read-only (a parent was replaced)",
			       path);
	return 0;
}

/* Whether list[i] came earlier in the list: containerd's, the kubelet's
 * and an image's lists overlap, and a path mounted over twice costs a
 * mount for nothing. One hash a path, in a table of twice the list's size
 * (linear probing), the strings compared on a hash match. */
struct seen {
	uint64_t *hash;
	size_t *index, size;
};

static uint64_t path_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static bool seen_before(struct seen *t, char **list, size_t i)
{
	uint64_t h = path_hash(list[i]);

	if (!t->size)
		return false; /* no table: nothing is deduplicated */
	for (size_t k = h & (t->size - 1);; k = (k + 1) & (t->size - 1)) {
		if (t->index[k] == 0) {
			t->hash[k] = h;
			t->index[k] = i + 1;
			return false;
		}
		if (t->hash[k] == h && strcmp(list[t->index[k] - 1], list[i]) == 0)
			return true;
	}
}

static void seen_init(struct seen *t, char **list)
{
	size_t n = 0, size = 16;

	while (list && list[n])
		n++;
	while (size < 2 * n)
		size *= 2;
	*t = (struct seen){.hash = calloc(size, sizeof(*t->hash)),
			   .index = calloc(size, sizeof(*t->index)),
			   .size = size};
	if (!t->hash || !t->index) {
		free(t->hash);
		free(t->index);
		*t = (struct seen){0};
	}
}

/* Opens each path of list in the root, skipping those the rootfs lacks and
 * the repeats, and applies a mask (mk) or a read-only bind to it. */
static int protect_each(char **list, int rootfd, const char *field, struct masker *mk,
			struct rt_error *err)
{
	struct seen seen;
	int r = 0;

	seen_init(&seen, list);
	for (size_t i = 0; list && list[i] && r == 0; i++) {
		cleanup_close int fd = -1;
		struct rt_error missing;
		bool is_dir = false;

		if (seen_before(&seen, list, i))
			continue;
		if (mk) {
			r = open_masked(rootfd, list[i], &fd, &is_dir, err);
			if (r == 1) {
				r = 0;
				continue; /* nothing there */
			}
			if (r < 0) {
				r = rt_wrap(err, "%s", field);
				break;
			}
		} else if (path_open_in_root(rootfd, list[i], PATH_NO_CREATE, &fd, &missing) < 0) {
			if (absent(&missing))
				continue; /* nothing there */
			*err = missing;
			r = rt_wrap(err, "%s", field);
			break;
		}
		if (!mk)
			test_pause("readonly");
		r = mk ? mask_one(mk, fd, is_dir, err) : make_readonly(fd, err);
		if (r < 0)
			r = rt_wrap(err, "%s: %s %s", field, mk ? "mask" : "make read-only", list[i]);
		else if (!mk && still_readonly(rootfd, list[i], err) < 0)
			r = rt_wrap(err, "%s", field);
	}
	free(seen.hash);
	free(seen.index);
	return r;
}

int mounts_protect_paths(const struct spec *spec, int rootfd, struct rt_error *err)
{
	struct masker mk = {.null_fd = -1, .tmpfs_fd = -1};
	int r = protect_each(spec->masked_paths, rootfd, "linux.maskedPaths", &mk, err);

	if (mk.null_fd >= 0)
		close(mk.null_fd);
	if (mk.tmpfs_fd >= 0)
		close(mk.tmpfs_fd);
	if (r == 0)
		r = protect_each(spec->readonly_paths, rootfd, "linux.readonlyPaths", NULL, err);
	return r;
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
	/* read-only, every other flag of the root kept (a remount would have
	 * to repeat them, and in a user namespace could not drop the locked
	 * ones); "/" cannot be swapped under us */
	if (spec->root_readonly &&
	    mount_setattr(AT_FDCWD, "/", 0, &(struct mount_attr){.attr_set = MOUNT_ATTR_RDONLY},
			  sizeof(struct mount_attr)) < 0)
		return rt_fail_errno(err, errno, "root.readonly: remount / read-only");
	if ((spec->rootfs_propagation & (MS_SHARED | MS_UNBINDABLE)) &&
	    mount(NULL, "/", NULL, spec->rootfs_propagation, NULL) < 0)
		return rt_fail_errno(err, errno, "linux.rootfsPropagation: make / %s",
				     spec_propagation_name(spec->rootfs_propagation));
	return 0;
}
