/* procfs.h - the runtime's own handle on procfs.
 *
 * Every write the runtime makes to procfs (oom_score_adj, sysctls) and
 * every read of it on the container's behalf (its cgroups) goes through an
 * fd of the host's procfs opened before the process joins or builds
 * anything the container controls. Below that fd, paths are resolved with
 * RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV: no symlink out,
 * no bind mount over a knob, no other filesystem mounted on /proc
 * (CVE-2019-19921, CVE-2025-52881). */
#ifndef MINI_PROCFS_H
#define MINI_PROCFS_H

#include <stddef.h>

#include "error.h"

/* Opens "/proc" of the current mount namespace as O_PATH and checks that
 * it is the root of a procfs, not something mounted over it. */
int procfs_open(int *ret_procfd, struct rt_error *err);
/* Opens `path` (relative, e.g. "sys/kernel/shmmax", "self/cgroup") below
 * procfd with `flags` (O_CLOEXEC is added). */
int procfs_open_at(int procfd, const char *path, int flags, int *ret_fd, struct rt_error *err);
/* Writes data to the knob `path` below procfd. */
int procfs_write(int procfd, const char *path, const char *data, size_t len,
		 struct rt_error *err);
/* Reads the whole file `path` below procfd; *ret_text is malloc'd. */
int procfs_read(int procfd, const char *path, char **ret_text, struct rt_error *err);

#endif
