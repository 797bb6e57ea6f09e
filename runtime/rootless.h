/* rootless.h - what changes when the runtime is not root (rootless mode,
 * as runc and crun do it).
 *
 * An unprivileged user may own a user namespace and be root in it, so
 * everything the init does inside works; what needs the host's root is
 * done differently or not at all, each step here, and each refusal says
 * which field asked for what the user cannot have:
 *   - the id maps: a map of the caller's own uid (gid) alone, size 1, is
 *     written directly (for gid_map after "deny" to setgroups, which the
 *     kernel requires of an unprivileged writer: the container can then
 *     not set supplementary groups); any other map goes through the setuid
 *     helpers newuidmap/newgidmap (Debian's uidmap package), which grant
 *     the ranges /etc/subuid and /etc/subgid give the user;
 *   - cgroups: only a delegated cgroup v2 subtree the user may write (a
 *     systemd user session's); otherwise none, with a debug line (runc's
 *     rootless does the same), and linux.resources refused;
 *   - the runtime binary: a sealed memfd copy instead of a read-only
 *     mount (selfexe.c);
 *   - binds: made by the init, inside (idmap_plan), which reaches what the
 *     user reaches;
 *   - the state directory: $XDG_RUNTIME_DIR/mini-runtime unless --root. */
#ifndef MINI_ROOTLESS_H
#define MINI_ROOTLESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "resources.h"
#include "spec.h"

/* Whether the runtime runs rootless: its effective uid is not 0. */
bool rootless(void);
/* The default --root: "/run/mini-runtime" for root, else
 * $XDG_RUNTIME_DIR/mini-runtime (runc's rule); NULL when XDG_RUNTIME_DIR
 * is unset for a rootless caller (*ret_why says so). Static storage. */
const char *rootless_default_root(const char **ret_why);
/* Rootless: refuses, before anything exists, what the user cannot have
 * whatever the host: a container without a user namespace of its own
 * (the init could set up nothing as the user alone), an idmapped mount
 * (mount_setattr needs root over the filesystem's user namespace). */
int rootless_validate(const struct spec *spec, struct rt_error *err);
/* Rootless: whether the container gets a cgroup at all (*ret_use), that is
 * whether the cgroup v2 directory it would get lies in a subtree the user
 * may write on a pure cgroup v2 host; refuses linux.resources without
 * one. Root: always *ret_use. */
int rootless_cgroups(const struct spec *spec, const char *id, const struct resources *res,
		     bool systemd, bool *ret_use, struct rt_error *err);
/* Rootless: writes pid's uid_map and gid_map for the spec's mappings as
 * the header says. */
int rootless_write_id_maps(pid_t pid, const struct spec *spec, struct rt_error *err);

#endif
