/* cgroups.c - the interface of cgroups.h over the back ends (struct
 * cg_driver): which one a set belongs to, and the resources written into
 * it the same way for both; the handle's one allocation (cg_pack). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups_internal.h"
#include "util.h"

struct cgroups *cg_pack(const struct cgroup_dir *dirs, size_t n)
{
	size_t bytes = sizeof(struct cgroups) + n * sizeof(struct cgroup_dir);
	struct cgroups *set;
	char *s;

	for (size_t i = 0; i < n; i++) {
		size_t dir = strlen(dirs[i].dir), top = strlen(dirs[i].top);

		bytes += strlen(dirs[i].name) + dir + (top > dir ? top : dir) +
			 strlen(dirs[i].unit) + 4;
	}
	set = calloc(1, bytes);
	if (!set)
		return NULL;
	s = (char *)&set->d[n];
	for (size_t i = 0; i < n; i++) {
		struct cgroup_dir *d = &set->d[i];
		size_t dir = strlen(dirs[i].dir), top = strlen(dirs[i].top);

		d->v2 = dirs[i].v2;
		d->name = strcpy(s, dirs[i].name);
		s += strlen(s) + 1;
		d->dir = strcpy(s, dirs[i].dir);
		s += dir + 1;
		d->top = strcpy(s, dirs[i].top);
		s += (top > dir ? top : dir) + 1;
		d->unit = strcpy(s, dirs[i].unit);
		s += strlen(s) + 1;
	}
	set->n = n;
	return set;
}

/* A systemd set is its scope's directory alone, the unit named. */
static const struct cg_driver *driver_of(const struct cgroups *set)
{
	return set->n == 1 && *set->d[0].unit ? &cg_systemd : &cg_cgroupfs;
}

static int apply(const struct cgroups *set, const struct spec *spec, const struct resources *res,
		 struct rt_error *err)
{
	int r;

	if (res && (r = cg_apply_resources(set, res, err)) < 0)
		return r;
	return cg_apply_devices(set, spec, res, err);
}

int cgroups_create(const struct spec *spec, const char *id, const struct resources *res,
		   bool systemd, struct cgroups **ret, struct rt_error *err)
{
	const struct cg_driver *drv = systemd ? &cg_systemd : &cg_cgroupfs;
	struct cgroups *set = NULL;
	struct rt_error ignored;
	int r = drv->create(spec, id, res, &set, err);

	/* a driver that places the init later writes the resources then */
	if (r == 0 && !drv->place && (r = apply(set, spec, res, err)) < 0) {
		drv->destroy(set, &ignored);
		free(set);
	}
	if (r == 0)
		*ret = set;
	return r;
}

int cgroups_place(const struct cgroups *set, pid_t pid, const struct spec *spec, const char *id,
		  const struct resources *res, struct rt_error *err)
{
	const struct cg_driver *drv;
	int r;

	if (!set || !(drv = driver_of(set))->place)
		return 0;
	if ((r = drv->place(set, pid, id, spec, res, err)) < 0)
		return r;
	/* the rest on the delegated cgroup, as the cgroupfs driver writes it */
	return apply(set, spec, res, err);
}

int cgroups_update(const struct cgroups *set, const struct resources *res, struct rt_error *err)
{
	const struct cg_driver *drv;
	int r;

	if (!set)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	/* systemd's copy of the limits it owns first, or it would put its
	 * own back the next time it touches the unit */
	drv = driver_of(set);
	if (drv->update && (r = drv->update(set, res, err)) < 0)
		return r;
	if ((r = cg_apply_resources(set, res, err)) < 0)
		return r;
	return cg_apply_devices(set, NULL, res, err);
}

int cgroups_extend(const struct cgroups *set, const struct resources *res,
		   struct cgroups **ret_grown, struct rt_error *err)
{
	const struct cg_driver *drv;

	*ret_grown = NULL;
	if (!set || set->n == 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	drv = driver_of(set);
	return drv->extend ? drv->extend(set, res, ret_grown, err) : 0;
}

int cgroups_destroy(const struct cgroups *set, struct rt_error *err)
{
	return set ? driver_of(set)->destroy(set, err) : 0;
}
