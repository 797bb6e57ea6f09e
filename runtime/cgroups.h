/* cgroups.h - the container's cgroup on v1, v2 and hybrid hosts.
 *
 * The hierarchies are found in /proc/self/mountinfo; the container gets one
 * directory in each (v1 controllers, and the v2 tree, which on a hybrid
 * host holds what v1 lacks). The set of directories is recorded in the
 * state as text, one "name<TAB>dir<TAB>topmost-created" line each. */
#ifndef MINI_CGROUPS_H
#define MINI_CGROUPS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "resources.h"
#include "spec.h"
#include "state.h"

/* What a new process needs to join the container's cgroups by itself: it
 * writes "0" (itself) into each v1 hierarchy's "tasks" file, and clone3
 * puts it into the v2 directory (CLONE_INTO_CGROUP). Neither takes the
 * lock a move by pid takes for writing, whose writer waits for an RCU
 * grace period (7 ms per start measured here, bench/README.md). */
struct cg_join {
	const char *record; /* NULL: no cgroup */
	int v2_dir;	    /* -1 when the container has no v2 directory */
	bool v2_by_write;   /* clone3 was refused: join v2 by cgroup.procs */
	bool placed_by_parent; /* systemd puts the init in its scope: wait */
};

/* Parent, before clone: creates the directories and writes the resources.
 * On failure removes what it created. *ret_record is malloc'd. With the
 * systemd driver (systemd), checks the config and records the scope to
 * be: nothing exists before cgroups_place. */
int cgroups_create(const struct spec *spec, const char *id, const struct resources *res,
		   bool systemd, char **ret_record, struct rt_error *err);
/* Parent, once the init exists and waits (systemd driver only; else
 * nothing to do): starts the scope with the init in it, then writes the
 * resources into it. */
int cgroups_place(const char *record, pid_t pid, const struct spec *spec, const char *id,
		  const struct resources *res, struct rt_error *err);
/* Parent, before the clone: fills *j for the record (NULL: no cgroup),
 * opening the v2 directory; cgroups_close_join closes it. for_init: the
 * container's init (which systemd's driver places itself), not an exec. */
int cgroups_open_join(const char *record, bool for_init, struct cg_join *j,
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
 * for the kernel to let go of exiting tasks. */
int cgroups_destroy(const char *record, struct rt_error *err);
/* The host pids in the container's cgroup; *ret_pids is malloc'd. */
int cgroups_pids(const char *record, pid_t **ret_pids, size_t *ret_n, struct rt_error *err);
/* Freezes or thaws, returning once the freezer has settled. */
int cgroups_freeze(const char *record, bool freeze, struct rt_error *err);
bool cgroups_frozen(const char *record);
/* Sends sig to every process in the container's cgroup (cgroups_ops.c). */
int cgroups_signal_all(const char *record, int sig, struct rt_error *err);
int cgroups_update(const char *record, const struct resources *res, struct rt_error *err);
/* `update` may set a resource whose controller the container has not
 * joined (create joins only what the config used): join it now, with all
 * of the container's processes. *ret_record is the new record. */
int cgroups_extend(const char *record, const struct resources *res, char **ret_record,
		   struct rt_error *err);
/* Init, for a "cgroup"/"cgroup2" mount m: shows the container's own
 * directories of record (NULL: none) on destfd, read-only unless m says
 * "rw" (cgroups_mount.c). */
int cgroups_mount(const char *record, const struct spec_mount *m, int destfd,
		  struct rt_error *err);
/* One JSON object of usage figures (runc's `events --stats` shape). */
int cgroups_stats_json(const char *record, const char *id, char **ret_json,
		       struct rt_error *err);

#endif
