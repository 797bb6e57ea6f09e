/* cgroups_resources.c - linux.resources written to the v1 or v2 file that
 * holds each, with runtime-spec's v1 -> v2 conversions. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups_internal.h"
#include "util.h"

#define F "linux.resources."

/* Writes value to the v1 file (in hierarchy v1_name) or the v2 file. */
static int put(const struct cgroups *cgroups, const char *v1_name, const char *v1_file,
	       const char *v2_file, const char *value, const char *field, struct rt_error *err)
{
	const struct cgroup_dir *d = cg_find(cgroups, v1_name, v2_file ? v2_file : v1_file);

	if (!d || (d->v2 && !v2_file))
		return rt_fail(err, ENOTSUP, "%s: this host has no cgroup controller for it", field);
	return cg_write(d, d->v2 ? v2_file : v1_file, value, field, err);
}

static const char *num(int64_t v, char *buf, size_t len, bool minus_one_is_max, bool v2)
{
	if (v == -1 && minus_one_is_max)
		snprintf(buf, len, "%s", v2 ? "max" : "-1");
	else
		snprintf(buf, len, "%" PRId64, v);
	return buf;
}

static bool memory_is_v2(const struct cgroups *cgroups)
{
	const struct cgroup_dir *d = cg_find(cgroups, "memory", "memory.max");
	return d && d->v2;
}

static int apply_memory(const struct cgroups *cgroups, const struct resources *r,
			struct rt_error *err)
{
	bool v2 = memory_is_v2(cgroups);
	char b[32];

	if (r->mem_limit.set && put(cgroups, "memory", "memory.limit_in_bytes", "memory.max",
				    num(r->mem_limit.v, b, sizeof(b), true, v2), F "memory.limit",
				    err) < 0)
		return -EINVAL;
	if (r->mem_reservation.set &&
	    put(cgroups, "memory", "memory.soft_limit_in_bytes", "memory.low",
		num(r->mem_reservation.v, b, sizeof(b), true, v2), F "memory.reservation", err) < 0)
		return -EINVAL;
	if (r->mem_swap.set) {
		int64_t swap = r->mem_swap.v;

		/* v1 limits memory+swap; v2's memory.swap.max is swap alone */
		if (v2 && swap > 0 && r->mem_limit.set && r->mem_limit.v > 0)
			swap -= r->mem_limit.v;
		if (put(cgroups, "memory", "memory.memsw.limit_in_bytes", "memory.swap.max",
			num(swap, b, sizeof(b), true, v2), F "memory.swap", err) < 0)
			return -EINVAL;
	}
	if (r->mem_swappiness.set && !v2 &&
	    put(cgroups, "memory", "memory.swappiness", NULL,
		num(r->mem_swappiness.v, b, sizeof(b), false, v2), F "memory.swappiness", err) < 0)
		return -EINVAL;
	if (r->mem_disable_oom_killer && !v2 &&
	    put(cgroups, "memory", "memory.oom_control", NULL, "1", F "memory.disableOOMKiller",
		err) < 0)
		return -EINVAL;
	return 0;
}

/* shares [2, 262144] to weight [1, 10000] by the curve runc 1.3.2+ and
 * crun 1.23+ use (kubernetes#131216: 1024, v1's default, becomes ~100,
 * v2's default; the old linear map gave 39): with l = log2(shares),
 * weight = ceil(10^((l^2 + 125 l) / 612 - 7/34)). */
int64_t cg_shares_to_weight(int64_t shares)
{
	double l, w;

	if (shares <= 2)
		return 1;
	if (shares >= 262144)
		return 10000;
	l = log2((double)shares);
	w = ceil(pow(10.0, (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0));
	return w < 1 ? 1 : w > 10000 ? 10000 : (int64_t)w;
}

static int apply_cpu(const struct cgroups *cgroups, const struct resources *r,
			struct rt_error *err)
{
	const struct cgroup_dir *cpu = cg_find(cgroups, "cpu", "cpu.max");
	char b[64];

	if (r->cpu_shares.set) {
		int64_t s = r->cpu_shares.v, w = cg_shares_to_weight(s);

		if (put(cgroups, "cpu", "cpu.shares", "cpu.weight",
			num(cpu && cpu->v2 ? w : s, b, sizeof(b), false, false), F "cpu.shares",
			err) < 0)
			return -EINVAL;
	}
	if (cpu && cpu->v2 && (r->cpu_quota.set || r->cpu_period.set)) {
		char q[32];
		num(r->cpu_quota.set ? r->cpu_quota.v : -1, q, sizeof(q), true, true);
		snprintf(b, sizeof(b), "%s %" PRId64, q, r->cpu_period.set ? r->cpu_period.v : 100000);
		if (cg_write(cpu, "cpu.max", b, F "cpu.quota", err) < 0)
			return -EINVAL;
	} else {
		if (r->cpu_period.set && put(cgroups, "cpu", "cpu.cfs_period_us", NULL,
					     num(r->cpu_period.v, b, sizeof(b), false, false),
					     F "cpu.period", err) < 0)
			return -EINVAL;
		if (r->cpu_quota.set && put(cgroups, "cpu", "cpu.cfs_quota_us", NULL,
					    num(r->cpu_quota.v, b, sizeof(b), true, false),
					    F "cpu.quota", err) < 0)
			return -EINVAL;
	}
	if (r->cpu_rt_period.set && put(cgroups, "cpu", "cpu.rt_period_us", NULL,
					num(r->cpu_rt_period.v, b, sizeof(b), false, false),
					F "cpu.realtimePeriod", err) < 0)
		return -EINVAL;
	if (r->cpu_rt_runtime.set && put(cgroups, "cpu", "cpu.rt_runtime_us", NULL,
					 num(r->cpu_rt_runtime.v, b, sizeof(b), true, false),
					 F "cpu.realtimeRuntime", err) < 0)
		return -EINVAL;
	if (r->cpu_idle.set && put(cgroups, "cpu", "cpu.idle", "cpu.idle",
				   num(r->cpu_idle.v, b, sizeof(b), false, false), F "cpu.idle",
				   err) < 0)
		return -EINVAL;
	if (r->cpu_cpus && *r->cpu_cpus &&
	    put(cgroups, "cpuset", "cpuset.cpus", "cpuset.cpus", r->cpu_cpus, F "cpu.cpus", err) < 0)
		return -EINVAL;
	if (r->cpu_mems && *r->cpu_mems &&
	    put(cgroups, "cpuset", "cpuset.mems", "cpuset.mems", r->cpu_mems, F "cpu.mems", err) < 0)
		return -EINVAL;
	return 0;
}

static int apply_other(const struct cgroups *cgroups, const struct resources *r,
			struct rt_error *err)
{
	char b[64], file[96], field[64];

	if (r->pids_limit.set && put(cgroups, "pids", "pids.max", "pids.max",
				     r->pids_limit.v <= 0 ? "max"
							  : num(r->pids_limit.v, b, sizeof(b), false, false),
				     F "pids.limit", err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < r->nhugepages; i++) {
		const struct res_hugepage *h = &r->hugepages[i];
		const struct cgroup_dir *d;

		snprintf(field, sizeof(field), F "hugepageLimits[%zu]", i);
		snprintf(file, sizeof(file), "hugetlb.%s.max", h->page_size);
		d = cg_find(cgroups, "hugetlb", file);
		if (!d)
			return rt_fail(err, ENOTSUP, "%s: no hugetlb controller for page size \"%s\"",
				       field, h->page_size);
		if (!d->v2)
			snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", h->page_size);
		snprintf(b, sizeof(b), "%" PRIu64, h->limit);
		if (cg_write(d, file, b, field, err) < 0)
			return -EINVAL;
		/* the reservation limit too where the kernel counts reservations
		 * (5.7+), as runc: else a mmap reserves beyond the limit and the
		 * fault that exceeds it kills with SIGBUS instead of failing */
		snprintf(file, sizeof(file), d->v2 ? "hugetlb.%s.rsvd.max" : "hugetlb.%s.rsvd.limit_in_bytes",
			 h->page_size);
		if (cg_exists(d, file) && cg_write(d, file, b, field, err) < 0)
			return -EINVAL;
	}
	for (size_t i = 0; i < r->nrdma; i++) {
		const struct res_rdma *x = &r->rdma[i];
		const struct cgroup_dir *d = cg_find(cgroups, "rdma", "rdma.max");
		char handles[24] = "max", objects[24] = "max";

		snprintf(field, sizeof(field), F "rdma.%s", x->device);
		if (!d)
			return rt_fail(err, ENOTSUP, "%s: no rdma controller here", field);
		if (x->hca_handles.set)
			snprintf(handles, sizeof(handles), "%" PRId64, x->hca_handles.v);
		if (x->hca_objects.set)
			snprintf(objects, sizeof(objects), "%" PRId64, x->hca_objects.v);
		snprintf(file, sizeof(file), "%s hca_handle=%s hca_object=%s", x->device, handles,
			 objects);
		if (cg_write(d, "rdma.max", file, field, err) < 0)
			return -EINVAL;
	}
	for (size_t i = 0; i < r->nunified; i++) {
		const struct cgroup_dir *d = cg_find(cgroups, NULL, r->unified[i].key);

		snprintf(field, sizeof(field), F "unified.%s", r->unified[i].key);
		if (!d)
			return rt_fail(err, ENOENT, "%s: no such cgroup v2 file here", field);
		if (cg_write(d, r->unified[i].key, r->unified[i].value, field, err) < 0)
			return -EINVAL;
	}
	return 0;
}

int cg_apply_resources(const struct cgroups *cgroups, const struct resources *r,
		       struct rt_error *err)
{
	int rc;

	if ((rc = cg_check_memory_usage(cgroups, r, err)) < 0 ||
	    (rc = apply_memory(cgroups, r, err)) < 0 || (rc = apply_cpu(cgroups, r, err)) < 0 ||
	    (rc = cg_apply_blkio(cgroups, r, err)) < 0 || (rc = apply_other(cgroups, r, err)) < 0 ||
	    (rc = cg_apply_extra(cgroups, r, err)) < 0)
		return rc;
	return 0;
}
