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

/* Parent, before clone: creates the directories and writes the resources.
 * On failure removes what it created. *ret_record is malloc'd. */
int cgroups_create(const struct spec *spec, const char *id, const struct resources *res,
		   char **ret_record, struct rt_error *err);
/* Moves pid into every directory of the record. */
int cgroups_attach(const char *record, pid_t pid, struct rt_error *err);
/* exec: the container's record from its state. */
int cgroups_join(const struct state *st, pid_t pid, struct rt_error *err);
/* Removes the directories (and the parents it created), waiting briefly
 * for the kernel to let go of exiting tasks. */
int cgroups_destroy(const char *record, struct rt_error *err);
/* The host pids in the container's cgroup; *ret_pids is malloc'd. */
int cgroups_pids(const char *record, pid_t **ret_pids, size_t *ret_n, struct rt_error *err);
int cgroups_freeze(const char *record, bool freeze, struct rt_error *err);
bool cgroups_frozen(const char *record);
int cgroups_update(const char *record, const struct resources *res, struct rt_error *err);
/* `update` may set a resource whose controller the container has not
 * joined (create joins only what the config used): join it now, with all
 * of the container's processes. *ret_record is the new record. */
int cgroups_extend(const char *record, const struct resources *res, char **ret_record,
		   struct rt_error *err);
/* One JSON object of usage figures (runc's `events --stats` shape). */
int cgroups_stats_json(const char *record, const char *id, char **ret_json,
		       struct rt_error *err);
/* The directory of hierarchy `name` ("memory", "unified", ...) or NULL. */
const char *cgroups_dir(const char *record, const char *name, char *buf, size_t len);

#endif
