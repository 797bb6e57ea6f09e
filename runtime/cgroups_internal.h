/* cgroups_internal.h - shared by cgroups.c, cgroups_resources.c and
 * cgroups_devices.c. */
#ifndef MINI_CGROUPS_INTERNAL_H
#define MINI_CGROUPS_INTERNAL_H

#include <limits.h>

#include "cgroups.h"

#define CG_MAX 24

struct cg_dir {
	char name[64];	     /* "memory", "cpu", "unified", "systemd" ... */
	char dir[PATH_MAX];  /* the container's directory */
	char top[PATH_MAX];  /* the topmost directory we created ("" if none) */
	char unit[256];	     /* the systemd unit that owns dir ("" for cgroupfs) */
	bool v2;
};

struct cg_set {
	size_t n;
	struct cg_dir d[CG_MAX];
};

int cg_parse_record(const char *record, struct cg_set *set);
/* The cgroup mounts under /sys/fs/cgroup in mountinfo text, each with
 * `path` appended as the container's directory; v1 ones are named after
 * their mount point ("memory", "cpu,cpuacct"), the v2 tree "unified". */
void cg_parse_mountinfo(const char *text, const char *path, struct cg_set *set);
/* Whether hierarchy d has the v1 controller (co-mounted ones included). */
bool cg_has(const struct cg_dir *d, const char *controller);
/* Drops the hierarchies the container does not need for res. */
void cg_keep_needed(struct cg_set *set, const struct resources *res);
/* The directory holding `file` (v1 hierarchy `v1_name`, else the v2 one if
 * it has the file's controller enabled), or NULL. */
const struct cg_dir *cg_find(const struct cg_set *set, const char *v1_name, const char *file);
int cg_write(const struct cg_dir *d, const char *file, const char *value, const char *field,
	     struct rt_error *err);
bool cg_exists(const struct cg_dir *d, const char *file);
int cg_read(const char *dir, const char *file, char *buf, size_t len);
/* linux.resources.blockIO (cgroups_blkio.c) */
bool cg_blkio_needed(const struct resources *r);
int cg_apply_blkio(const struct cg_set *set, const struct resources *r, struct rt_error *err);
int64_t cg_shares_to_weight(int64_t shares);
/* memory.kernel, kernelTCP, useHierarchy, cpu.burst, network
 * (cgroups_extra.c), after the others; and checkBeforeUpdate's check of
 * the usage against a new memory limit, before them. */
int cg_apply_extra(const struct cg_set *set, const struct resources *r, struct rt_error *err);
int cg_check_memory_usage(const struct cg_set *set, const struct resources *r,
			  struct rt_error *err);
/* Every resource but the device rules. */
int cg_apply_resources(const struct cg_set *set, const struct resources *res,
		       struct rt_error *err);
/* The device rules (cgroups_devices.c): res's (may be NULL), the defaults,
 * and the nodes of spec's linux.devices (spec NULL on `update`). */
int cg_apply_devices(const struct cg_set *set, const struct spec *spec,
		     const struct resources *res, struct rt_error *err);

/* The systemd driver (cgroups_systemd.c). The record of the scope that
 * linux.cgroupsPath ("slice:prefix:name") names, made before anything
 * exists; refuses a host that is not pure cgroup v2. */
int cg_systemd_record(const char *cgroups_path, const char *id, char **ret_record,
		      struct rt_error *err);
/* The scope's unit name and cgroup directory for a cgroupsPath (pure). */
int cg_systemd_scope(const char *cgroups_path, const char *id, char *dir, size_t dir_len,
		     char *unit, size_t unit_len, struct rt_error *err);
/* The unit properties the config asks for are ones systemd can be given
 * (before anything is created). */
int cg_systemd_check(const struct spec *spec, const struct resources *res,
		     struct rt_error *err);
/* Starts d's scope with pid in it and the limits systemd owns. */
int cg_systemd_start(const struct cg_dir *d, pid_t pid, const char *id,
		     const struct spec *spec, const struct resources *res, struct rt_error *err);
int cg_systemd_update(const struct cg_dir *d, const struct resources *res, struct rt_error *err);

#endif
