/* path.h - resolve paths inside a container's root without ever leaving it.
 *
 * Every component is resolved by the kernel with RESOLVE_IN_ROOT, so a
 * symlink to "/" or ".." in the rootfs stays inside it (the 2021 mount
 * symlink-exchange class). The returned fd is O_PATH; callers mount onto
 * it through fd_path(). */
#ifndef MINI_PATH_H
#define MINI_PATH_H

#include <sys/types.h>

#include "error.h"

enum path_create { PATH_NO_CREATE, PATH_CREATE_DIR, PATH_CREATE_FILE };

/* Opens `path` (absolute or relative, taken inside rootfd) as O_PATH.
 * With PATH_CREATE_*, missing directories are made (0755) and the last
 * component is made a directory or an empty file. */
int path_open_in_root(int rootfd, const char *path, enum path_create create, int *ret_fd,
		      struct rt_error *err);
/* Opens `path` inside rootfd as O_PATH, refusing (ELOOP, "is a symlink")
 * a path with a symlink anywhere on it. */
int path_open_in_root_nofollow(int rootfd, const char *path, int *ret_fd, struct rt_error *err);
/* Opens `path` inside rootfd as an O_PATH directory: 0, or -ENOTDIR when
 * it (or a component on the way) is not a directory, or -errno. What a
 * directory is then needs no fstat. */
int path_open_dir_in_root(int rootfd, const char *path, int *ret_fd);
/* "/proc/self/fd/N" for fd, in buf (at least 32 bytes). */
const char *fd_path(int fd, char *buf, size_t len);

#endif
