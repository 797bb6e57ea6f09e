/* idmap.h - idmapped mounts (runtime-spec 1.2: the "idmap" and "ridmap"
 * options, a mount's own uidMappings and gidMappings).
 *
 * The kernel idmaps a mount only for a caller privileged over the
 * filesystem's own user namespace (fs/namespace.c, can_idmap_mount:
 * CAP_SYS_ADMIN in the superblock's, the host's for a host path), and only
 * while the mount is detached. The init, root in the container's user
 * namespace alone, cannot; so the runtime makes each idmapped mount on the
 * host's side, after it wrote the container's id maps and before
 * SYNC_PLACED:
 *
 *   the source cloned (open_tree OPEN_TREE_CLONE [| AT_RECURSIVE]) or a
 *   tmpfs made (fsopen, fsmount), both detached; the options' flags set
 *   with mount_setattr ("rw" in a user namespace keeps a read-only source
 *   read-only, as a bind made inside would); made a slave, so nothing the
 *   container mounts below it reaches the host; MOUNT_ATTR_IDMAP with a user
 *   namespace that carries the mapping (AT_RECURSIVE for "ridmap").
 *
 * The user namespace is the container's own (/proc/PID/ns/user, its maps
 * just written) or the one it joins (linux.namespaces path) when the mount
 * brings no mappings or the container's; any other mapping gets a user
 * namespace of its own, made once per distinct mapping by a short-lived
 * child, kept by fd only while the mounts are made. Each mount's fd goes
 * to the init over the sync socket (SYNC_IDMAP, in config order); the init
 * moves it onto the destination resolved once in the rootfs (path.h) and
 * closes it.
 *
 * The same path carries every bind mount of a container with a user
 * namespace when the runtime is root (idmap_plan): the init, root of that
 * namespace alone, cannot reach a source below a directory only host root
 * may search (containerd's sandbox directory, 0700, holds a pod's
 * /dev/shm, hosts and resolv.conf), nor may a host-root-owned file be
 * opened through host-root-only paths; runc opens those sources on its
 * host side too. They are cloned exactly as the init would have (the
 * options' flags, "rro", "rw" keeping a read-only source read-only), only
 * not idmapped. The functions below keep their idmap_ names: "idmapped"
 * there reads "made by the parent". */
#ifndef MINI_IDMAP_H
#define MINI_IDMAP_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* The init's idmapped mounts, received in config order. */
struct idmap_mounts {
	int *fds; /* -1 once attached */
	size_t n, next;
};

/* Marks the mounts the runtime's side makes (spec_mount.by_parent): the
 * idmapped ones, and with a user namespace and a mount namespace every
 * bind when `privileged` (the runtime is root: an unprivileged one cannot
 * clone a mount of its mount namespace, and reaches its own sources). */
void idmap_plan(struct spec *spec, bool privileged);
/* How many of spec->mounts the parent makes (by_parent). */
size_t idmap_count(const struct spec *spec);
/* Host side: makes every idmapped mount of spec and sends each to the init
 * `pid` over sync_fd; closes them all, and every user namespace it made,
 * before returning. Errors name the mount (mounts[N]). */
int idmap_send_mounts(int sync_fd, const struct spec *spec, pid_t pid, struct rt_error *err);
/* Init side: receives the idmap_count(spec) mounts. */
int idmap_receive_mounts(int sync_fd, const struct spec *spec, struct idmap_mounts *ret,
			 struct rt_error *err);
/* Init side: attaches the next received mount on m's destination in the
 * root (created as a directory or a file, as the mount's root is) and
 * applies m's propagation through the mount's fd. */
int idmap_attach_next(struct idmap_mounts *set, const struct spec_mount *m, int rootfd,
		      struct rt_error *err);
/* Closes what is left: nothing of it may reach the container's process. */
void idmap_mounts_close(struct idmap_mounts *set);

#endif
