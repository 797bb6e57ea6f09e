#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mount_fd.h"
#include "util.h"

struct mount_attr mnt_attr_from_flags(unsigned long set, unsigned long clear)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} table[] = {
		{MS_RDONLY, MOUNT_ATTR_RDONLY}, {MS_NOSUID, MOUNT_ATTR_NOSUID},
		{MS_NODEV, MOUNT_ATTR_NODEV},	{MS_NOEXEC, MOUNT_ATTR_NOEXEC},
		{MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
	};
	struct mount_attr a = {0};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		if (set & table[i].ms)
			a.attr_set |= table[i].attr;
		else if (clear & table[i].ms)
			a.attr_clr |= table[i].attr;
	}
	/* the atime modes are one field: setting one clears the others */
	if (set & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
		a.attr_clr |= MOUNT_ATTR__ATIME;
		a.attr_set |= (set & MS_NOATIME)       ? MOUNT_ATTR_NOATIME
			      : (set & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME
						       : MOUNT_ATTR_RELATIME;
	}
	return a;
}

int mnt_clone(int dirfd, const char *path, bool recursive, int *ret_mntfd,
	      struct rt_error *err)
{
	unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0) |
			     (*path ? 0 : AT_EMPTY_PATH);
	int fd = open_tree(dirfd, path, flags);

	if (fd < 0)
		return rt_fail_errno(err, errno, "open_tree %s", *path ? path : "(fd)");
	*ret_mntfd = fd;
	return 0;
}

/* Superblock flags as fsconfig names them. */
static int config_sb_flags(int fsfd, unsigned long sb_flags)
{
	static const struct {
		unsigned long ms;
		const char *name;
	} table[] = {
		{MS_SYNCHRONOUS, "sync"}, {MS_DIRSYNC, "dirsync"},
		{MS_LAZYTIME, "lazytime"}, {MS_MANDLOCK, "mand"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if ((sb_flags & table[i].ms) &&
		    fsconfig(fsfd, FSCONFIG_SET_FLAG, table[i].name, NULL, 0) < 0)
			return -errno;
	return 0;
}

/* "a=b,c" as fsconfig calls: a string for key=value, a flag for key. */
static int config_data(int fsfd, const char *data, char *bad, size_t badlen)
{
	char opt[PATH_MAX];

	for (const char *p = data; p && *p;) {
		size_t n = strcspn(p, ",");
		char *eq;
		int r;

		snprintf(opt, sizeof(opt), "%.*s", (int)n, p);
		p += n + (p[n] == ',');
		if (!*opt)
			continue;
		eq = strchr(opt, '=');
		if (eq)
			*eq = '\0';
		r = eq ? fsconfig(fsfd, FSCONFIG_SET_STRING, opt, eq + 1, 0)
		       : fsconfig(fsfd, FSCONFIG_SET_FLAG, opt, NULL, 0);
		if (r < 0) {
			snprintf(bad, badlen, "%s", opt);
			return -errno;
		}
	}
	return 0;
}

int mnt_new_fs(const char *type, const char *source, const char *data, unsigned long sb_flags,
	       unsigned int attr_set, int *ret_mntfd, struct rt_error *err)
{
	cleanup_close int fsfd = fsopen(type, FSOPEN_CLOEXEC);
	char bad[64] = "";
	int r, fd;

	if (fsfd < 0)
		return rt_fail_errno(err, errno, "fsopen %s", type);
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return rt_fail_errno(err, errno, "%s: source %s", type, source);
	r = config_sb_flags(fsfd, sb_flags);
	if (r == 0)
		r = config_data(fsfd, data, bad, sizeof(bad));
	if (r < 0)
		return rt_fail_errno(err, -r, "%s: option %s", type, *bad ? bad : "flags");
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return rt_fail_errno(err, errno, "create a %s filesystem", type);
	fd = fsmount(fsfd, FSMOUNT_CLOEXEC, attr_set);
	if (fd < 0)
		return rt_fail_errno(err, errno, "fsmount %s", type);
	*ret_mntfd = fd;
	return 0;
}

int mnt_set_attr(int mntfd, struct mount_attr attr, bool recursive, struct rt_error *err)
{
	if (!attr.attr_set && !attr.attr_clr && !attr.propagation)
		return 0;
	if (mount_setattr(mntfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
			  sizeof(attr)) < 0)
		return rt_fail_errno(err, errno, "set the mount's options");
	return 0;
}

int mnt_set_propagation(int mntfd, unsigned long propagation, struct rt_error *err)
{
	struct mount_attr a = {.propagation = propagation & ~MS_REC};

	if (mnt_set_attr(mntfd, a, propagation & MS_REC, err) < 0)
		return rt_wrap(err, "set propagation");
	return 0;
}

int mnt_move(int mntfd, int destfd, const char *name, struct rt_error *err)
{
	unsigned int flags = MOVE_MOUNT_F_EMPTY_PATH | (*name ? 0 : MOVE_MOUNT_T_EMPTY_PATH);

	if (move_mount(mntfd, "", destfd, name, flags) < 0)
		return rt_fail_errno(err, errno, "attach the mount");
	return 0;
}
