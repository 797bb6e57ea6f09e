/* cgroups.c - the interface of cgroups.h over the back ends (struct
 * cg_driver): which one a handle belongs to, and the resources written into
 * it the same way for both. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups_internal.h"
#include "util.h"

/* A systemd handle is its scope's directory alone, the unit named. */
static const struct cg_driver *driver_of(const struct cgroups *cgroups)
{
	return cgroups->n == 1 && *cgroups->d[0].unit ? &cg_systemd : &cg_cgroupfs;
}

static int apply(const struct cgroups *cgroups, const struct spec *spec,
		 const struct resources *res, struct rt_error *err)
{
	int r;

	if (res && (r = cg_apply_resources(cgroups, res, err)) < 0)
		return r;
	return cg_apply_devices(cgroups, spec, res, err);
}

int cgroups_create(const struct spec *spec, const char *id, const struct resources *res,
		   bool systemd, struct cgroups **ret, struct rt_error *err)
{
	const struct cg_driver *drv = systemd ? &cg_systemd : &cg_cgroupfs;
	struct cgroups *cgroups = NULL;
	struct rt_error ignored;
	int r = drv->create(spec, id, res, &cgroups, err);

	/* a driver that places the init later writes the resources then */
	if (r == 0 && !drv->place && (r = apply(cgroups, spec, res, err)) < 0) {
		drv->destroy(cgroups, &ignored);
		free(cgroups);
	}
	if (r == 0)
		*ret = cgroups;
	return r;
}

int cgroups_place(const struct cgroups *cgroups, pid_t pid, const struct spec *spec, const char *id,
		  const struct resources *res, struct rt_error *err)
{
	const struct cg_driver *drv;
	int r;

	if (!cgroups || !(drv = driver_of(cgroups))->place)
		return 0;
	if ((r = drv->place(cgroups, pid, id, spec, res, err)) < 0)
		return r;
	/* the rest on the delegated cgroup, as the cgroupfs driver writes it */
	return apply(cgroups, spec, res, err);
}

int cgroups_update(const struct cgroups *cgroups, const struct resources *res, struct rt_error *err)
{
	const struct cg_driver *drv;
	int r;

	if (!cgroups)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	/* systemd's copy of the limits it owns first, or it would put its
	 * own back the next time it touches the unit */
	drv = driver_of(cgroups);
	if (drv->update && (r = drv->update(cgroups, res, err)) < 0)
		return r;
	if ((r = cg_apply_resources(cgroups, res, err)) < 0)
		return r;
	return cg_apply_devices(cgroups, NULL, res, err);
}

int cgroups_extend(const struct cgroups *cgroups, const struct resources *res,
		   struct cgroups **ret_grown, struct rt_error *err)
{
	const struct cg_driver *drv;

	*ret_grown = NULL;
	if (!cgroups || cgroups->n == 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	drv = driver_of(cgroups);
	return drv->extend ? drv->extend(cgroups, res, ret_grown, err) : 0;
}

int cgroups_destroy(const struct cgroups *cgroups, struct rt_error *err)
{
	return cgroups ? driver_of(cgroups)->destroy(cgroups, err) : 0;
}
