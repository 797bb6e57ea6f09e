/* devices.c - /dev inside the container: the default devices every
 * runtime provides, the /dev symlinks, and linux.devices. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mounts.h"
#include "path.h"
#include "util.h"

static const struct spec_device default_devices[] = {
	{.path = "/dev/null", .type = 'c', .major = 1, .minor = 3, .mode = 0666},
	{.path = "/dev/zero", .type = 'c', .major = 1, .minor = 5, .mode = 0666},
	{.path = "/dev/full", .type = 'c', .major = 1, .minor = 7, .mode = 0666},
	{.path = "/dev/random", .type = 'c', .major = 1, .minor = 8, .mode = 0666},
	{.path = "/dev/urandom", .type = 'c', .major = 1, .minor = 9, .mode = 0666},
	{.path = "/dev/tty", .type = 'c', .major = 5, .minor = 0, .mode = 0666},
};

static const struct {
	const char *target, *link;
} default_links[] = {
	{"/proc/self/fd", "/dev/fd"},
	{"/proc/self/fd/0", "/dev/stdin"},
	{"/proc/self/fd/1", "/dev/stdout"},
	{"/proc/self/fd/2", "/dev/stderr"},
	{"pts/ptmx", "/dev/ptmx"},
};

/* Opens the parent directory of `path` inside the root (creating it) and
 * returns the last component in *ret_name. */
static int open_parent(int rootfd, const char *path, int *ret_fd, const char **ret_name,
		       struct rt_error *err)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int r;

	if (!slash || !slash[1] || (size_t)(slash - path) >= sizeof(parent))
		return rt_fail(err, EINVAL, "%s: invalid path", path);
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = '\0';
	if ((r = path_open_in_root(rootfd, parent[0] ? parent : "/", PATH_CREATE_DIR, ret_fd,
				   err)) < 0)
		return r;
	*ret_name = slash + 1;
	return 0;
}

static mode_t type_bits(char type)
{
	switch (type) {
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	default:
		return S_IFCHR;
	}
}

/* A user namespace may not mknod: bind the host's node instead, onto a
 * file made in the container's /dev with O_NOFOLLOW. An image's symlink
 * there is replaced, never followed: binding through it would mount the
 * host's device over whatever it names (CVE-2025-31133's class). */
static int bind_device(int rootfd, const struct spec_device *d, struct rt_error *err)
{
	cleanup_close int dirfd = -1, fd = -1;
	const char *name;
	char target[32];
	struct stat st;
	int r;

	if ((r = open_parent(rootfd, d->path, &dirfd, &name, err)) < 0)
		return r;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
	    unlinkat(dirfd, name, 0) < 0)
		return rt_fail_errno(err, errno, "replace the symlink %s", d->path);
	fd = openat(dirfd, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST)
		fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return rt_fail_errno(err, errno, "create %s", d->path);
	if (mount(d->path, fd_path(fd, target, sizeof(target)), NULL, MS_BIND, NULL) < 0)
		return rt_fail_errno(err, errno, "bind device %s", d->path);
	return 0;
}

/* mknod in dirfd, with the process umask at 0 (devices_create) so that
 * the mode is the config's without a chmod per node. */
static int make_node(int dirfd, const char *name, const struct spec_device *d,
		     struct rt_error *err)
{
	mode_t mode = (d->has_mode || d->mode ? d->mode : 0666) & 07777;
	dev_t dev = makedev((unsigned)d->major, (unsigned)d->minor);

	/* a node left by an earlier mount of the same rootfs is replaced */
	if (mknodat(dirfd, name, mode | type_bits(d->type), dev) < 0) {
		if (errno != EEXIST)
			return rt_fail_errno(err, errno, "mknod %s", d->path);
		if (unlinkat(dirfd, name, 0) < 0 ||
		    mknodat(dirfd, name, mode | type_bits(d->type), dev) < 0)
			return rt_fail_errno(err, errno, "mknod %s", d->path);
	}
	if ((d->has_uid || d->has_gid) &&
	    fchownat(dirfd, name, d->has_uid ? d->uid : (uid_t)-1, d->has_gid ? d->gid : (gid_t)-1,
		     AT_SYMLINK_NOFOLLOW) < 0)
		return rt_fail_errno(err, errno, "chown %s", d->path);
	return 0;
}

static int make_device(int rootfd, const struct spec_device *d, bool in_userns,
		       struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	const char *name;
	int r;

	if (in_userns)
		return bind_device(rootfd, d, err);
	if ((r = open_parent(rootfd, d->path, &dirfd, &name, err)) < 0)
		return r;
	return make_node(dirfd, name, d, err);
}

static bool configured(const struct spec *spec, const char *path)
{
	for (size_t i = 0; i < spec->ndevices; i++)
		if (strcmp(spec->devices[i].path, path) == 0)
			return true;
	return false;
}

/* The default nodes and links, all in /dev, opened once. */
static int create_defaults(const struct spec *spec, int rootfd, bool in_userns,
			   struct rt_error *err)
{
	cleanup_close int dev = -1;
	int r;

	if ((r = path_open_in_root(rootfd, "/dev", PATH_CREATE_DIR, &dev, err)) < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(default_devices); i++) {
		const struct spec_device *d = &default_devices[i];

		if (configured(spec, d->path))
			continue;
		if ((r = in_userns ? bind_device(rootfd, d, err)
				   : make_node(dev, d->path + strlen("/dev/"), d, err)) < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_links); i++)
		if (symlinkat(default_links[i].target, dev,
			      default_links[i].link + strlen("/dev/")) < 0 &&
		    errno != EEXIST)
			return rt_fail_errno(err, errno, "symlink %s", default_links[i].link);
	return 0;
}

int devices_create(const struct spec *spec, int rootfd, bool in_userns, struct rt_error *err)
{
	mode_t umask_was = umask(0);
	int r = 0;

	if (create_defaults(spec, rootfd, in_userns, err) < 0)
		r = rt_wrap(err, "default devices");
	for (size_t i = 0; i < spec->ndevices && r == 0; i++)
		if (make_device(rootfd, &spec->devices[i], in_userns, err) < 0)
			r = rt_wrap(err, "linux.devices[%zu]", i);
	umask(umask_was);
	return r;
}
