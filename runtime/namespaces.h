/* namespaces.h - which namespaces a container gets and how it gets them. */
#ifndef MINI_NAMESPACES_H
#define MINI_NAMESPACES_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* The CLONE_NEW* flags for the namespaces to create (not the time
 * namespace: clone(2) has no room for it, see ns_prepare_parent). */
int ns_clone_flags(const struct spec *spec);
/* In the parent, before clone: join a pid namespace given by path and
 * create the time namespace with its offsets. Both only affect children,
 * which is what makes them usable here. */
int ns_prepare_parent(const struct spec *spec, struct rt_error *err);
/* After the clone: give our later children (the hooks the runtime runs)
 * our own pid and time namespaces again, as the spec wants for hooks; a
 * no-op when nothing was changed. Also called by exec after its fork. */
int ns_restore_parent(struct rt_error *err);
/* For a container that joins a user namespace by path (a pod's, made by
 * its sandbox): every namespace it makes must be owned by that one, or its
 * root could not mount in its own mount namespace nor mount a proc of its
 * own pid namespace. So the init is cloned (flags | CLONE_PARENT: the
 * runtime's child, as any init) by a short-lived child that
 *   - is made by s->fork (into the container's cgroup) and runs
 *     s->host_setup while still host root (the v1 cgroups: the init, root
 *     of the user namespace alone, could not write their tasks files),
 *   - joins the user namespace and becomes its root (0:0 there), having
 *     checked linux.uid/gidMappings against the namespace's own,
 *   - does ns_prepare_parent (pid and time namespaces, owned by it too).
 * Returns the init's pid, 0 in the init (like fork), or negative with err
 * filled. */
struct ns_spawner {
	long (*fork)(void *ctx); /* like fork */
	int (*host_setup)(void *ctx, struct rt_error *err);
	void *ctx;
};
long ns_clone_in_user(const struct spec *spec, unsigned long flags, const struct ns_spawner *s,
		      struct rt_error *err);
/* The same for `exec` by a rootless runtime, which may join the pid (and
 * time) namespace of the container's init `pid` only from inside its user
 * namespace: the child made by s->fork joins that user namespace, then
 * those two for its children, and forks the process (which joins the rest
 * itself, ns_join_process). Returns like ns_clone_in_user. */
long ns_fork_in_process_user(pid_t pid, const struct ns_spawner *s, struct rt_error *err);
/* In the init: join the namespaces given by path (but a user namespace:
 * the init is born in it, and the others are joined with its privileges). */
int ns_join_paths(const struct spec *spec, struct rt_error *err);
/* The fds ns_clone_in_user's child opened for the init's ns_join_paths
 * (at most NS_COUNT), which the init keeps when it closes the rest. */
size_t ns_path_fds(int *ret_fds);
/* In the parent: write linux.uidMappings / gidMappings for pid. */
int ns_write_id_maps(pid_t pid, const struct spec *spec, struct rt_error *err);
/* The same for any mappings; `path` names them ("mounts[3]" for
 * mounts[3].uidMappings). */
int ns_write_maps(pid_t pid, const struct spec_idmap *uid, size_t nuid,
		  const struct spec_idmap *gid, size_t ngid, const char *path,
		  struct rt_error *err);
/* For exec: join every namespace of `pid` that differs from ours; the pid
 * and time namespaces apply to the children of the caller. */
int ns_join_process(pid_t pid, bool children_only, struct rt_error *err);

#endif
