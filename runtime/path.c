#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "path.h"
#include "util.h"

static int openat2_in_root(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

int path_open_in_root_nofollow(int rootfd, const char *path, int *ret_fd, struct rt_error *err)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0 && errno == ELOOP)
		return rt_fail(err, ELOOP, "%s is a symlink in the rootfs (or passes through one)",
			       path);
	if (fd < 0)
		return rt_fail_errno(err, errno, "open %s in the container root", path);
	*ret_fd = fd;
	return 0;
}

int path_open_dir_in_root(int rootfd, const char *path, int *ret_fd)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

const char *fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

/* Creates the one missing component `name` in the directory `dirfd`. */
static int create_component(int dirfd, const char *name, bool as_file)
{
	if (as_file) {
		int fd = openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
				0644);
		if (fd < 0)
			return errno == EEXIST ? 0 : -errno;
		close(fd);
		return 0;
	}
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Creates the last component of path if its parent exists, and opens it
 * (resolved from the root again). -ENOENT: the parent is missing too. */
static int create_in_parent(int rootfd, const char *path, bool as_file, int *ret_fd)
{
	char parent[PATH_MAX], name[NAME_MAX + 1];
	size_t end = strlen(path), start;
	int dirfd, r;

	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (start == end || end - start > NAME_MAX || start >= sizeof(parent))
		return -ENOENT; /* the walk reports it */
	memcpy(parent, path, start);
	parent[start] = '\0';
	dirfd = openat2_in_root(rootfd, start ? parent : "/");
	if (dirfd < 0)
		return -errno;
	memcpy(name, path + start, end - start);
	name[end - start] = '\0';
	r = create_component(dirfd, name, as_file);
	close(dirfd);
	if (r < 0)
		return r;
	*ret_fd = openat2_in_root(rootfd, path);
	return *ret_fd < 0 ? -errno : 0;
}

int path_open_in_root(int rootfd, const char *path, enum path_create create, int *ret_fd,
		      struct rt_error *err)
{
	char prefix[PATH_MAX];
	size_t len = strlen(path);
	int fd = openat2_in_root(rootfd, path), dirfd = -1, r;

	if (fd >= 0 || errno != ENOENT || create == PATH_NO_CREATE) {
		if (fd < 0)
			return rt_fail_errno(err, errno, "open %s in the container root", path);
		*ret_fd = fd;
		return 0;
	}
	if (len >= sizeof(prefix))
		return rt_fail(err, ENAMETOOLONG, "%s: path too long", path);
	/* Usually only the last component is missing (/dev/pts in a new /dev) */
	r = create_in_parent(rootfd, path, create == PATH_CREATE_FILE, &fd);
	if (r == 0) {
		*ret_fd = fd;
		return 0;
	}
	if (r != -ENOENT)
		return rt_fail_errno(err, -r, "create %s in the container root", path);
	/* Walk from the root, creating what is missing; each step is resolved
	 * again from the root so a component swapped for a symlink is caught. */
	dirfd = openat2_in_root(rootfd, "/");
	if (dirfd < 0)
		return rt_fail_errno(err, errno, "open the container root");
	for (size_t i = 0; i < len;) {
		size_t start, end;

		while (path[i] == '/')
			i++;
		if (!path[i])
			break;
		start = i;
		while (path[i] && path[i] != '/')
			i++;
		end = i;
		memcpy(prefix, path, end);
		prefix[end] = '\0';
		fd = openat2_in_root(rootfd, prefix);
		if (fd < 0 && errno == ENOENT) {
			char name[NAME_MAX + 1];
			bool last = path[strspn(path + end, "/") + end] == '\0';

			if (end - start > NAME_MAX) {
				close(dirfd);
				return rt_fail(err, ENAMETOOLONG, "%s: name too long", path);
			}
			memcpy(name, path + start, end - start);
			name[end - start] = '\0';
			r = create_component(dirfd, name, last && create == PATH_CREATE_FILE);
			if (r < 0) {
				close(dirfd);
				return rt_fail_errno(err, -r, "create %s in the container root",
						     prefix);
			}
			fd = openat2_in_root(rootfd, prefix);
		}
		if (fd < 0) {
			r = errno;
			close(dirfd);
			return rt_fail_errno(err, r, "open %s in the container root", prefix);
		}
		close(dirfd);
		dirfd = fd;
	}
	*ret_fd = dirfd;
	return 0;
}
