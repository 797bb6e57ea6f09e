/* cgroups_extra.c - the linux.resources settings older or rarer than the
 * rest: memory.kernel, kernelTCP, useHierarchy and checkBeforeUpdate,
 * cpu.burst, network (net_cls, net_prio). Each is written where the host
 * has a file for it; where it has none the config fails naming the field,
 * as runtime-spec asks of a setting the runtime cannot apply. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups_internal.h"

#define F "linux.resources."

/* The v1 file of hierarchy v1_name, or the v2 file (v2_file NULL: none). */
static int write_one(const struct cgroups *cgroups, const char *v1_name, const char *v1_file,
		     const char *v2_file, const char *value, const char *field,
		     const struct cgroup_dir **ret_dir, struct rt_error *err)
{
	const struct cgroup_dir *d = cg_find(cgroups, v1_name, v2_file ? v2_file : v1_file);

	if (!d || (d->v2 && !v2_file))
		return rt_fail(err, ENOTSUP, "%s: this host has no cgroup %s file for it", field,
			       d && d->v2 ? "v2" : v1_name);
	if (ret_dir)
		*ret_dir = d;
	return cg_write(d, d->v2 ? v2_file : v1_file, value, field, err);
}

/* Linux 6.1 made memory.kmem.limit_in_bytes a file that takes a write and
 * keeps nothing: read back, what did not stick fails. */
static int kernel_memory(const struct cgroups *cgroups, int64_t v, struct rt_error *err)
{
	const struct cgroup_dir *d = NULL;
	long page = sysconf(_SC_PAGESIZE);
	char b[32], back[64];
	long long got;

	snprintf(b, sizeof(b), "%" PRId64, v);
	if (write_one(cgroups, "memory", "memory.kmem.limit_in_bytes", NULL, b, F "memory.kernel", &d,
		      err) < 0)
		return -EINVAL;
	if (v == -1 || cg_read(d->dir, "memory.kmem.limit_in_bytes", back, sizeof(back)) <= 0)
		return 0;
	got = strtoll(back, NULL, 10);
	if (got > v || v - got >= page)
		return rt_fail(err, ENOTSUP,
			       "%s: the kernel ignores kernel memory limits (memory.kmem.limit_in_bytes "
			       "kept %lld)",
			       F "memory.kernel", got);
	return 0;
}

static int memory(const struct cgroups *cgroups, const struct resources *r, struct rt_error *err)
{
	char b[32];

	if (r->mem_kernel.set && kernel_memory(cgroups, r->mem_kernel.v, err) < 0)
		return -EINVAL;
	snprintf(b, sizeof(b), "%" PRId64, r->mem_kernel_tcp.v);
	if (r->mem_kernel_tcp.set && write_one(cgroups, "memory", "memory.kmem.tcp.limit_in_bytes", NULL,
					       b, F "memory.kernelTCP", NULL, err) < 0)
		return -EINVAL;
	/* v2 accounts hierarchically, always: true is what it does already */
	if (r->mem_use_hierarchy.set) {
		const struct cgroup_dir *d = cg_find(cgroups, "memory", "memory.max");

		if (d && d->v2 && r->mem_use_hierarchy.v)
			return 0;
		if (write_one(cgroups, "memory", "memory.use_hierarchy", NULL,
			      r->mem_use_hierarchy.v ? "1" : "0", F "memory.useHierarchy", NULL,
			      err) < 0)
			return -EINVAL;
	}
	return 0;
}

int cg_check_memory_usage(const struct cgroups *cgroups, const struct resources *r,
			  struct rt_error *err)
{
	const struct cgroup_dir *d = cg_find(cgroups, "memory", "memory.max");
	char buf[64];
	long long usage;

	/* v1's kernel refuses a limit below the usage itself (EBUSY) */
	if (!r->mem_check_before_update || !r->mem_limit.set || r->mem_limit.v < 0 || !d ||
	    !d->v2 || cg_read(d->dir, "memory.current", buf, sizeof(buf)) <= 0)
		return 0;
	usage = strtoll(buf, NULL, 10);
	if (usage > r->mem_limit.v)
		return rt_fail(err, EBUSY,
			       "%s: the container uses %lld bytes, above the new limit %" PRId64
			       " (checkBeforeUpdate)",
			       F "memory.limit", usage, r->mem_limit.v);
	return 0;
}

static int network(const struct cgroups *cgroups, const struct resources *r, struct rt_error *err)
{
	char b[300], field[64];

	snprintf(b, sizeof(b), "%" PRId64, r->net_class_id.v);
	if (r->net_class_id.set && write_one(cgroups, "net_cls", "net_cls.classid", NULL, b,
					     F "network.classID", NULL, err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < r->nnet_prios; i++) {
		snprintf(field, sizeof(field), F "network.priorities[%zu]", i);
		snprintf(b, sizeof(b), "%s %" PRIu32, r->net_prios[i].name, r->net_prios[i].priority);
		if (write_one(cgroups, "net_prio", "net_prio.ifpriomap", NULL, b, field, NULL, err) < 0)
			return -EINVAL;
	}
	return 0;
}

int cg_apply_extra(const struct cgroups *cgroups, const struct resources *r, struct rt_error *err)
{
	char b[32];

	if (memory(cgroups, r, err) < 0 || network(cgroups, r, err) < 0)
		return -EINVAL;
	/* after the quota (apply_cpu): the kernel checks burst against it */
	snprintf(b, sizeof(b), "%" PRId64, r->cpu_burst.v);
	if (r->cpu_burst.set && write_one(cgroups, "cpu", "cpu.cfs_burst_us", "cpu.max.burst", b,
					  F "cpu.burst", NULL, err) < 0)
		return -EINVAL;
	return 0;
}
