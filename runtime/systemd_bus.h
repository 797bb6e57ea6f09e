/* systemd_bus.h - the few calls of systemd's Manager (org.freedesktop.
 * systemd1) that the systemd cgroup driver makes, over the system bus
 * with libdbus. Nothing here runs unless --systemd-cgroup is given. */
#ifndef MINI_SYSTEMD_BUS_H
#define MINI_SYSTEMD_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* One unit property, as StartTransientUnit and SetUnitProperties take
 * them: a name and a variant of one of these D-Bus types. */
enum unit_prop_type {
	PROP_STRING,  /* s */
	PROP_BOOL,    /* b */
	PROP_UINT64,  /* t */
	PROP_INT64,   /* x */
	PROP_UINT32,  /* u */
	PROP_INT32,   /* i */
	PROP_DOUBLE,  /* d */
	PROP_PIDS,    /* au, of one pid */
	PROP_BYTES,   /* ay: a CPU or NUMA node bitmask */
};

struct unit_prop {
	char name[64];
	enum unit_prop_type type;
	char str[256];
	uint64_t u64;
	int64_t i64;
	double dbl;
	uint8_t bytes[128];
	size_t nbytes;
};

#define UNIT_PROPS_MAX 48

struct unit_props {
	size_t n;
	struct unit_prop p[UNIT_PROPS_MAX];
};

/* Appends one property; false when the list is full. */
bool unit_props_add(struct unit_props *props, const char *name, enum unit_prop_type type,
		    const struct unit_prop *value);

/* StartTransientUnit(unit, "replace", props) and waits until systemd has
 * finished the job (JobRemoved): "done" is success, anything else fails
 * naming the unit and the result. */
int systemd_start_unit(const char *unit, const struct unit_props *props, struct rt_error *err);
/* StopUnit(unit, "replace"), waiting for the job; a unit that is already
 * gone is no failure. Then ResetFailedUnit, so that a failed unit does not
 * linger in `systemctl --failed`. */
int systemd_stop_unit(const char *unit, struct rt_error *err);
/* SetUnitProperties(unit, runtime = true, props): for `update`. */
int systemd_set_unit_properties(const char *unit, const struct unit_props *props,
				struct rt_error *err);

#endif
