/* mounts.h - the container's filesystem, built in its own mount namespace.
 * Called by init.c in this order: mounts_prepare_root, mounts_apply,
 * devices_create, mounts_protect_paths, (createContainer hooks),
 * mounts_enter_root, mounts_finish. Every target is resolved inside the
 * rootfs (path.h) once and mounted through its fd; every later change to a
 * mount (flags, propagation) goes through the mount's own fd (mount_fd.h). */
#ifndef MINI_MOUNTS_H
#define MINI_MOUNTS_H

#include <stdbool.h>
#include <sys/mount.h>

#include "cgroups.h"
#include "error.h"
#include "idmap.h"
#include "spec.h"

/* Sets the propagation of "/" and bind-mounts the rootfs onto itself (so it
 * is a mount point pivot_root accepts). Returns an O_PATH fd of the root. */
int mounts_prepare_root(const struct spec *spec, int *ret_rootfd, struct rt_error *err);
/* config.json "mounts", in order. A cgroup mount shows the directories of
 * cgroups (the container's own, cgroups.h); one the parent made
 * (by_parent: idmapped, or a bind in a user namespace) is the next of
 * `idmapped` (idmap.h). */
int mounts_apply(const struct spec *spec, int rootfd, bool in_userns, const struct cgroups *cgroups,
		 struct idmap_mounts *idmapped, struct rt_error *err);
/* The mount_setattr a bind's options ask for (see mounts.c). */
struct mount_attr mounts_bind_attr(const struct spec_mount *m, bool in_userns);
/* The default devices, /dev symlinks and linux.devices. */
int devices_create(const struct spec *spec, int rootfd, bool in_userns, struct rt_error *err);
/* linux.maskedPaths and linux.readonlyPaths. */
int mounts_protect_paths(const struct spec *spec, int rootfd, struct rt_error *err);
/* pivot_root into the rootfs and detach the old root (or, with no_pivot,
 * MS_MOVE + chroot). */
int mounts_enter_root(int rootfd, bool no_pivot, struct rt_error *err);
/* root.readonly, and the rootfs propagation the config asked for. */
int mounts_finish(const struct spec *spec, struct rt_error *err);

#endif
