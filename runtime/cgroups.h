/* cgroups.h - the container's cgroups, one interface over the back ends:
 * cgroupfs (v1, v2 and hybrid hosts: the runtime makes a directory in
 * each hierarchy, cgroups_cgroupfs.c) and systemd (--systemd-cgroup: a
 * transient scope, cgroups_systemd.c). cgroups_internal.h has the layers.
 *
 * The container's set of directories is one handle, struct cgroups: made
 * by cgroups_create, kept in state.json (state.c writes and reads it; its
 * "cgroups" member) and read from there once per command, then passed by
 * pointer to every call below. */
#ifndef MINI_CGROUPS_H
#define MINI_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "resources.h"
#include "spec.h"

/* One hierarchy the container has a directory in. Read-only outside
 * cgroups*.c. */
struct cgroup_dir {
	char *name; /* "memory", "cpu,cpuacct" (v1), "unified" (the v2 tree) */
	char *dir;  /* the container's directory */
	char *top;  /* the topmost directory create made: removed at destroy
		       ("" if none: it existed, or systemd owns it) */
	char *unit; /* the systemd unit that owns dir ("" for cgroupfs) */
	bool v2;
};

/* The handle: one allocation, strings included, sized to what it holds;
 * free() frees it. */
struct cgroups {
	size_t n;
	struct cgroup_dir d[];
};

/* What a new process needs to join the container's cgroups by itself: it
 * writes "0" (itself) into each v1 hierarchy's "tasks" file, and clone3
 * puts it into the v2 directory (CLONE_INTO_CGROUP). Neither takes the
 * lock a move by pid takes for writing, whose writer waits for an RCU
 * grace period (7 ms per start measured here, bench/README.md). */
struct cg_join {
	const struct cgroups *cgroups; /* NULL: no cgroup */
	int v2_dir;	    /* -1 when the container has no v2 directory */
	bool v2_by_write;   /* clone3 was refused: join v2 by cgroup.procs */
	bool placed_by_parent; /* systemd puts the init in its scope: wait */
};

/* Parent, before clone: creates the directories and writes the resources.
 * On failure removes what it created. With the systemd driver (systemd),
 * checks the config and names the scope to be: nothing exists before
 * cgroups_place. *ret is the handle (free()). */
int cgroups_create(const struct spec *spec, const char *id, const struct resources *res,
		   bool systemd, struct cgroups **ret, struct rt_error *err);
/* Parent, once the init exists and waits (systemd driver only; else
 * nothing to do): starts the scope with the init in it, then writes the
 * resources into it. */
int cgroups_place(const struct cgroups *cgroups, pid_t pid, const struct spec *spec,
		  const char *id, const struct resources *res, struct rt_error *err);
/* Parent, before the clone: fills *j for cgroups (NULL: no cgroup),
 * opening the v2 directory; cgroups_close_join closes it. for_init: the
 * container's init (which systemd's driver places itself), not an exec.
 * cgroups must outlive the clone (the child reads its copy). */
int cgroups_open_join(const struct cgroups *cgroups, bool for_init, struct cg_join *j,
		      struct rt_error *err);
/* Child, first thing: joins the v1 hierarchies (the v2 one it joined at
 * clone3). The files it opens, close-on-exec, are left to the child's
 * close_fds_except. */
int cgroups_join_self(const struct cg_join *j, struct rt_error *err);
void cgroups_close_join(struct cg_join *j);
/* clone(2) flags | SIGCHLD as a fork, through clone3 and into j's v2
 * directory when there is one (else, and when clone3 is hidden, clone).
 * Returns like fork. */
long cgroups_clone_into(unsigned long flags, struct cg_join *j);
/* Removes the directories (and the parents it created), waiting briefly
 * for the kernel to let go of exiting tasks; stops a systemd scope. */
int cgroups_destroy(const struct cgroups *cgroups, struct rt_error *err);
/* The host pids in the container's cgroup; *ret_pids is malloc'd. */
int cgroups_pids(const struct cgroups *cgroups, pid_t **ret_pids, size_t *ret_n,
		 struct rt_error *err);
/* Freezes or thaws, returning once the freezer has settled. */
int cgroups_freeze(const struct cgroups *cgroups, bool freeze, struct rt_error *err);
bool cgroups_frozen(const struct cgroups *cgroups);
/* Sends sig to every process in the container's cgroup (cgroups_ops.c). */
int cgroups_signal_all(const struct cgroups *cgroups, int sig, struct rt_error *err);
int cgroups_update(const struct cgroups *cgroups, const struct resources *res,
		   struct rt_error *err);
/* `update` may set a resource whose controller the container has not
 * joined (create joins only what the config used): join it now, with all
 * of the container's processes. *ret_grown is the new handle to record
 * (also on failure, when some were made), NULL when nothing was missing. */
int cgroups_extend(const struct cgroups *cgroups, const struct resources *res,
		   struct cgroups **ret_grown, struct rt_error *err);
/* Init, for a "cgroup"/"cgroup2" mount m: shows the container's own
 * directories (cgroups NULL: none) on destfd, read-only unless m says
 * "rw" (cgroups_mount.c). */
int cgroups_mount(const struct cgroups *cgroups, const struct spec_mount *m, int destfd,
		  struct rt_error *err);
/* Usage figures, -1 where the host has no file for one (runc's `events
 * --stats` reports them; the JSON is made by json_out.c). */
struct cgroups_stats {
	long long cpu_ns, mem, mem_limit, oom_kills, pids, pids_limit;
};
int cgroups_stats(const struct cgroups *cgroups, struct cgroups_stats *ret,
		  struct rt_error *err);

#endif
