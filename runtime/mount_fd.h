/* mount_fd.h - mounts made detached, then moved onto an fd.
 *
 * The old mount API takes a path for every step, so a remount (ro, nosuid)
 * or a propagation change after the first mount looks the destination up
 * again, and a process that can rename entries on the path swaps in a
 * symlink between the two (CVE-2025-52881). Here a mount is made detached
 * (open_tree OPEN_TREE_CLONE, or fsopen + fsmount), gets its flags with
 * mount_setattr while nobody else can see it, and is moved with move_mount
 * onto a destination fd resolved once (path.h). The mount fd keeps naming
 * the mount after the move: propagation is set through it too. */
#ifndef MINI_MOUNT_FD_H
#define MINI_MOUNT_FD_H

#include <stdbool.h>
#include <sys/mount.h>

#include "error.h"

/* The per-mount attributes of MS_* flags set and cleared (atime modes
 * included); superblock flags (sync, dirsync, ...) are not per mount. */
struct mount_attr mnt_attr_from_flags(unsigned long set, unsigned long clear);
/* A detached copy of the mount at dirfd/path (path "" for dirfd itself),
 * with its submounts when recursive. */
int mnt_clone(int dirfd, const char *path, bool recursive, int *ret_mntfd,
	      struct rt_error *err);
/* A new detached filesystem of `type` from `source`, configured with the
 * comma-separated `data` options and MS_* superblock flags `sb_flags`, with
 * the per-mount attributes `attr_set` (MOUNT_ATTR_*). */
int mnt_new_fs(const char *type, const char *source, const char *data, unsigned long sb_flags,
	       unsigned int attr_set, int *ret_mntfd, struct rt_error *err);
/* mount_setattr on the mount mntfd (and below it when recursive). */
int mnt_set_attr(int mntfd, struct mount_attr attr, bool recursive, struct rt_error *err);
/* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE (| MS_REC) on the mount mntfd. */
int mnt_set_propagation(int mntfd, unsigned long propagation, struct rt_error *err);
/* Attaches the detached mount mntfd on top of destfd (or on destfd/name
 * when name is not ""). */
int mnt_move(int mntfd, int destfd, const char *name, struct rt_error *err);

#endif
