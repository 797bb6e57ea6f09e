/* cgroups_mount.c - a "cgroup" or "cgroup2" mount in the container shows
 * its own cgroups and nothing above them.
 *
 * Binding the host's /sys/fs/cgroup would show every other container's
 * cgroups and, mounted rw, let the container's root move itself out of its
 * limits or (v1, with CAP_SYS_ADMIN) set a hierarchy's release_agent
 * (CVE-2022-0492). As runc does without a cgroup namespace, each of the
 * container's directories is bound where the hierarchy would be, so the
 * view is the same with a cgroup namespace or without. Read-only unless
 * the options say "rw". */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "cgroups_internal.h"
#include "mount_fd.h"
#include "util.h"

static int bind_dir(const char *dir, int destfd, const char *name, struct mount_attr attr,
		    struct rt_error *err)
{
	cleanup_close int tree = -1;

	if (mnt_clone(AT_FDCWD, dir, false, &tree, err) < 0 ||
	    mnt_set_attr(tree, attr, false, err) < 0 || mnt_move(tree, destfd, name, err) < 0)
		return rt_wrap(err, "bind %s", dir);
	return 0;
}

/* A v1 hierarchy of co-mounted controllers ("cpu,cpuacct") is reached by
 * each controller's name too, as on the host. */
static int link_controllers(int dirfd, const struct cgroup_dir *d, struct rt_error *err)
{
	char name[256];

	if (!strchr(d->name, ','))
		return 0;
	for (const char *p = d->name; *p;) {
		size_t n = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		p += n + (p[n] == ',');
		if (symlinkat(d->name, dirfd, name) < 0 && errno != EEXIST)
			return rt_fail_errno(err, errno, "symlink %s", name);
	}
	return 0;
}

/* v1 or hybrid: a tmpfs with a directory per hierarchy. */
static int mount_hierarchies(const struct cgroups *cgroups, size_t n, int destfd,
			     struct mount_attr attr, struct rt_error *err)
{
	cleanup_close int tmpfs = -1;

	if (mnt_new_fs("tmpfs", "tmpfs", "mode=755", 0, 0, &tmpfs, err) < 0 ||
	    mnt_move(tmpfs, destfd, "", err) < 0)
		return -EIO;
	for (size_t i = 0; i < n; i++) {
		const struct cgroup_dir *d = &cgroups->d[i];
		const char *name = d->v2 ? "unified" : d->name;

		if (mkdirat(tmpfs, name, 0755) < 0)
			return rt_fail_errno(err, errno, "mkdir %s", name);
		if (bind_dir(d->dir, tmpfs, name, attr, err) < 0 ||
		    (!d->v2 && link_controllers(tmpfs, d, err) < 0))
			return -EIO;
	}
	/* the tmpfs itself: made read-only (and nosuid ...) once filled */
	return mnt_set_attr(tmpfs, attr, false, err);
}

int cgroups_mount(const struct cgroups *cgroups, const struct spec_mount *m, int destfd,
		  struct rt_error *err)
{
	unsigned long flags = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	size_t n = cgroups ? cgroups->n : 0;
	struct mount_attr attr;
	struct statfs host;
	int r;

	if (!(m->clear & MS_RDONLY))
		flags |= MS_RDONLY;
	attr = mnt_attr_from_flags(flags, 0);
	/* on a pure v2 host, "cgroup" means the v2 tree, as with runc */
	if (strcmp(m->type, "cgroup2") == 0 ||
	    (statfs("/sys/fs/cgroup", &host) == 0 && host.f_type == CGROUP2_SUPER_MAGIC)) {
		for (size_t i = 0; i < n; i++)
			if (cgroups->d[i].v2) {
				r = bind_dir(cgroups->d[i].dir, destfd, "", attr, err);
				return r < 0 ? rt_wrap(err, "mount %s", m->destination) : 0;
			}
		n = 0; /* no v2 directory: an empty read-only view */
	}
	r = mount_hierarchies(cgroups, n, destfd, attr, err);
	return r < 0 ? rt_wrap(err, "mount %s", m->destination) : 0;
}
