/* cgroups_internal.h - what the cgroup files share behind cgroups.h.
 *
 * The layers, each calling only those below it (no cycle):
 *   cgroups.c            the interface's create, place, update, extend,
 *                        destroy: picks the back end (a struct cg_driver)
 *   cgroups_cgroupfs.c   the cgroupfs back end (v1, v2, hybrid): the
 *                        hierarchies from mountinfo, mkdir, rmdir
 *   cgroups_systemd.c    the systemd back end: a transient scope
 *   cgroups_resources.c, cgroups_blkio.c, cgroups_extra.c, cgroups_devices.c
 *                        linux.resources written into a set's directories
 *   cgroups_join.c, cgroups_ops.c, cgroups_mount.c
 *                        what a process, a command, the init's mounts do
 *                        with a set
 *   cgroups_files.c      the handle's allocation; one file of one directory:
 *                        read, write, find
 */
#ifndef MINI_CGROUPS_INTERNAL_H
#define MINI_CGROUPS_INTERNAL_H

#include <limits.h>

#include "cgroups.h"

/* At most this many hierarchies (v1 has 13 controllers, plus name=systemd
 * and the v2 tree). */
#define CG_MAX 24

/* ---- handles (cgroups_files.c) ---- */
/* A handle for n directories copied from dirs (whose strings may point
 * anywhere): one allocation, free() frees it. Each top has room for its
 * dir (create fills it in place: top is a prefix of dir). NULL: ENOMEM. */
struct cgroups *cg_pack(const struct cgroup_dir *dirs, size_t n);

/* ---- one file (cgroups_files.c) ---- */
int cg_read(const char *dir, const char *file, char *buf, size_t len);
int cg_write(const struct cgroup_dir *d, const char *file, const char *value, const char *field,
	     struct rt_error *err);
bool cg_exists(const struct cgroup_dir *d, const char *file);
/* Whether hierarchy d has the v1 controller (co-mounted ones included). */
bool cg_has(const struct cgroup_dir *d, const char *controller);
/* The directory holding `file` (v1 hierarchy `v1_name`, else the v2 one if
 * it has the file's controller enabled), or NULL. */
const struct cgroup_dir *cg_find(const struct cgroups *cgroups, const char *v1_name,
				 const char *file);
/* The pids in d's cgroup.procs; *ret_pids is malloc'd. */
int cg_pids(const struct cgroup_dir *d, pid_t **ret_pids, size_t *ret_n, struct rt_error *err);

/* ---- the cgroupfs hierarchies (cgroups_cgroupfs.c) ---- */
/* The cgroup mounts under /sys/fs/cgroup in mountinfo text, each with
 * `path` appended as the container's directory; v1 ones are named after
 * their mount point ("memory", "cpu,cpuacct"), the v2 tree "unified".
 * NULL: out of memory. */
struct cgroups *cg_parse_mountinfo(const char *text, const char *path);
/* Drops the hierarchies the container does not need for res. */
void cg_keep_needed(struct cgroups *cgroups, const struct resources *res);

/* ---- linux.resources (cgroups_resources.c and the files it calls) ---- */
/* Every resource but the device rules. */
int cg_apply_resources(const struct cgroups *cgroups, const struct resources *res,
		       struct rt_error *err);
/* The device rules (cgroups_devices.c): res's (may be NULL), the defaults,
 * and the nodes of spec's linux.devices (spec NULL on `update`). */
int cg_apply_devices(const struct cgroups *cgroups, const struct spec *spec,
		     const struct resources *res, struct rt_error *err);
/* linux.resources.blockIO (cgroups_blkio.c) */
bool cg_blkio_needed(const struct resources *r);
int cg_apply_blkio(const struct cgroups *cgroups, const struct resources *r, struct rt_error *err);
int64_t cg_shares_to_weight(int64_t shares);
/* memory.kernel, kernelTCP, useHierarchy, cpu.burst, network
 * (cgroups_extra.c), after the others; and checkBeforeUpdate's check of
 * the usage against a new memory limit, before them. */
int cg_apply_extra(const struct cgroups *cgroups, const struct resources *r, struct rt_error *err);
int cg_check_memory_usage(const struct cgroups *cgroups, const struct resources *r,
			  struct rt_error *err);

/* ---- the back ends ---- */
/* What differs between cgroupfs and systemd; cgroups.c calls through it
 * and writes the resources systemd does not own itself, the same way for
 * both. A back end's handle is its own: the systemd one is its scope's
 * directory alone, with the unit named. */
struct cg_driver {
	const char *name;
	/* before the clone: the set, made (cgroupfs) or only named
	 * (systemd: nothing exists until place); resources not written */
	int (*create)(const struct spec *spec, const char *id, const struct resources *res,
		      struct cgroups **ret, struct rt_error *err);
	/* once the init exists and waits; NULL: create made it all */
	int (*place)(const struct cgroups *cgroups, pid_t pid, const char *id,
		     const struct spec *spec, const struct resources *res, struct rt_error *err);
	/* `update`, before the files are written; NULL: nothing of its own */
	int (*update)(const struct cgroups *cgroups, const struct resources *res,
		      struct rt_error *err);
	/* `update`: join what the set lacks for res; NULL: nothing to join */
	int (*extend)(const struct cgroups *cgroups, const struct resources *res,
		      struct cgroups **ret, struct rt_error *err);
	int (*destroy)(const struct cgroups *cgroups, struct rt_error *err);
};

extern const struct cg_driver cg_cgroupfs, cg_systemd;

/* The scope's unit name and cgroup directory for a cgroupsPath (pure). */
int cg_systemd_scope(const char *cgroups_path, const char *id, char *dir, size_t dir_len,
		     char *unit, size_t unit_len, struct rt_error *err);

#endif
