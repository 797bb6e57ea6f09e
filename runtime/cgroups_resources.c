/* cgroups_resources.c - linux.resources written to the v1 or v2 file that
 * holds each, with runtime-spec's v1 -> v2 conversions. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups_internal.h"
#include "util.h"

#define F "linux.resources."

const struct cg_dir *cg_find(const struct cg_set *set, const char *v1_name, const char *file)
{
	char path[PATH_MAX];

	for (size_t i = 0; v1_name && i < set->n; i++)
		if (!set->d[i].v2 && cg_has(&set->d[i], v1_name))
			return &set->d[i];
	for (size_t i = 0; i < set->n; i++) {
		if (!set->d[i].v2)
			continue;
		snprintf(path, sizeof(path), "%s/%s", set->d[i].dir, file);
		if (access(path, F_OK) == 0)
			return &set->d[i];
	}
	return NULL;
}

/* Writes value to the v1 file (in hierarchy v1_name) or the v2 file. */
static int put(const struct cg_set *set, const char *v1_name, const char *v1_file,
	       const char *v2_file, const char *value, const char *field, struct rt_error *err)
{
	const struct cg_dir *d = cg_find(set, v1_name, v2_file ? v2_file : v1_file);

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

static bool memory_is_v2(const struct cg_set *set)
{
	const struct cg_dir *d = cg_find(set, "memory", "memory.max");
	return d && d->v2;
}

static int apply_memory(const struct cg_set *set, const struct resources *r, struct rt_error *err)
{
	bool v2 = memory_is_v2(set);
	char b[32];

	if (r->mem_limit.set && put(set, "memory", "memory.limit_in_bytes", "memory.max",
				    num(r->mem_limit.v, b, sizeof(b), true, v2), F "memory.limit",
				    err) < 0)
		return -EINVAL;
	if (r->mem_reservation.set &&
	    put(set, "memory", "memory.soft_limit_in_bytes", "memory.low",
		num(r->mem_reservation.v, b, sizeof(b), true, v2), F "memory.reservation", err) < 0)
		return -EINVAL;
	if (r->mem_swap.set) {
		int64_t swap = r->mem_swap.v;

		/* v1 limits memory+swap; v2's memory.swap.max is swap alone */
		if (v2 && swap > 0 && r->mem_limit.set && r->mem_limit.v > 0)
			swap -= r->mem_limit.v;
		if (put(set, "memory", "memory.memsw.limit_in_bytes", "memory.swap.max",
			num(swap, b, sizeof(b), true, v2), F "memory.swap", err) < 0)
			return -EINVAL;
	}
	if (r->mem_swappiness.set && !v2 &&
	    put(set, "memory", "memory.swappiness", NULL,
		num(r->mem_swappiness.v, b, sizeof(b), false, v2), F "memory.swappiness", err) < 0)
		return -EINVAL;
	if (r->mem_disable_oom_killer && !v2 &&
	    put(set, "memory", "memory.oom_control", NULL, "1", F "memory.disableOOMKiller",
		err) < 0)
		return -EINVAL;
	return 0;
}

static int apply_cpu(const struct cg_set *set, const struct resources *r, struct rt_error *err)
{
	const struct cg_dir *cpu = cg_find(set, "cpu", "cpu.max");
	char b[64];

	if (r->cpu_shares.set) {
		int64_t s = r->cpu_shares.v;
		/* runtime-spec's conversion of shares [2, 262144] to weight [1, 10000] */
		int64_t w = s < 2 ? 1 : 1 + ((s - 2) * 9999) / 262142;

		if (put(set, "cpu", "cpu.shares", "cpu.weight",
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
		if (r->cpu_period.set && put(set, "cpu", "cpu.cfs_period_us", NULL,
					     num(r->cpu_period.v, b, sizeof(b), false, false),
					     F "cpu.period", err) < 0)
			return -EINVAL;
		if (r->cpu_quota.set && put(set, "cpu", "cpu.cfs_quota_us", NULL,
					    num(r->cpu_quota.v, b, sizeof(b), true, false),
					    F "cpu.quota", err) < 0)
			return -EINVAL;
	}
	if (r->cpu_rt_period.set && put(set, "cpu", "cpu.rt_period_us", NULL,
					num(r->cpu_rt_period.v, b, sizeof(b), false, false),
					F "cpu.realtimePeriod", err) < 0)
		return -EINVAL;
	if (r->cpu_rt_runtime.set && put(set, "cpu", "cpu.rt_runtime_us", NULL,
					 num(r->cpu_rt_runtime.v, b, sizeof(b), true, false),
					 F "cpu.realtimeRuntime", err) < 0)
		return -EINVAL;
	if (r->cpu_idle.set && put(set, "cpu", "cpu.idle", "cpu.idle",
				   num(r->cpu_idle.v, b, sizeof(b), false, false), F "cpu.idle",
				   err) < 0)
		return -EINVAL;
	if (r->cpu_cpus && *r->cpu_cpus &&
	    put(set, "cpuset", "cpuset.cpus", "cpuset.cpus", r->cpu_cpus, F "cpu.cpus", err) < 0)
		return -EINVAL;
	if (r->cpu_mems && *r->cpu_mems &&
	    put(set, "cpuset", "cpuset.mems", "cpuset.mems", r->cpu_mems, F "cpu.mems", err) < 0)
		return -EINVAL;
	return 0;
}

static int apply_other(const struct cg_set *set, const struct resources *r, struct rt_error *err)
{
	char b[64], file[96], field[64];

	if (r->pids_limit.set && put(set, "pids", "pids.max", "pids.max",
				     r->pids_limit.v <= 0 ? "max"
							  : num(r->pids_limit.v, b, sizeof(b), false, false),
				     F "pids.limit", err) < 0)
		return -EINVAL;
	if (r->blkio_weight.set) {
		const struct cg_dir *d = cg_find(set, "blkio", "io.weight");
		int64_t w = r->blkio_weight.v;

		if (!d)
			return rt_fail(err, ENOTSUP, F "blockIO.weight: no io controller here");
		if (d->v2)
			w = 1 + ((w - 10) * 9999) / 990;
		num(w, b, sizeof(b), false, false);
		/* kernels with BFQ name it blkio.bfq.weight */
		if (!d->v2 && cg_write(d, "blkio.weight", b, F "blockIO.weight", err) < 0 &&
		    cg_write(d, "blkio.bfq.weight", b, F "blockIO.weight", err) < 0)
			return -EINVAL;
		if (d->v2 && cg_write(d, "io.weight", b, F "blockIO.weight", err) < 0)
			return -EINVAL;
	}
	for (size_t i = 0; i < r->nhugepages; i++) {
		const struct res_hugepage *h = &r->hugepages[i];
		const struct cg_dir *d;

		snprintf(field, sizeof(field), F "hugepageLimits[%zu]", i);
		snprintf(file, sizeof(file), "hugetlb.%s.max", h->page_size);
		d = cg_find(set, "hugetlb", file);
		if (!d)
			return rt_fail(err, ENOTSUP, "%s: no hugetlb controller for page size \"%s\"",
				       field, h->page_size);
		if (!d->v2)
			snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", h->page_size);
		snprintf(b, sizeof(b), "%" PRIu64, h->limit);
		if (cg_write(d, file, b, field, err) < 0)
			return -EINVAL;
	}
	for (size_t i = 0; i < r->nunified; i++) {
		const struct cg_dir *d = cg_find(set, NULL, r->unified[i].key);

		snprintf(field, sizeof(field), F "unified.%s", r->unified[i].key);
		if (!d)
			return rt_fail(err, ENOENT, "%s: no such cgroup v2 file here", field);
		if (cg_write(d, r->unified[i].key, r->unified[i].value, field, err) < 0)
			return -EINVAL;
	}
	return 0;
}

int cg_apply_resources(const struct cg_set *set, const struct resources *r, struct rt_error *err)
{
	if (apply_memory(set, r, err) < 0 || apply_cpu(set, r, err) < 0 ||
	    apply_other(set, r, err) < 0)
		return -EINVAL;
	return 0;
}

int cgroups_update(const char *record, const struct resources *res, struct rt_error *err)
{
	struct cg_set set;

	if (!record || cg_parse_record(record, &set) < 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	if (cg_apply_resources(&set, res, err) < 0 || cg_apply_devices(&set, NULL, res, err) < 0)
		return -EINVAL;
	return 0;
}

static long long read_num(const struct cg_set *set, const char *v1_name, const char *v1_file,
			  const char *v2_file, const char *v2_key)
{
	const struct cg_dir *d = cg_find(set, v1_name, v2_file);
	char buf[4096], *p;

	if (!d || cg_read(d->dir, d->v2 ? v2_file : v1_file, buf, sizeof(buf)) <= 0)
		return -1;
	if (d->v2 && v2_key) {
		p = strstr(buf, v2_key);
		return p ? strtoll(p + strlen(v2_key), NULL, 10) : -1;
	}
	return strncmp(buf, "max", 3) == 0 ? -1 : strtoll(buf, NULL, 10);
}

int cgroups_stats_json(const char *record, const char *id, char **ret_json, struct rt_error *err)
{
	struct cg_set set;
	const struct cg_dir *acct;
	long long cpu_ns, mem, mem_limit, pids, pids_limit;
	char *out;

	if (!record || cg_parse_record(record, &set) < 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	acct = cg_find(&set, "cpuacct", "cpu.stat");
	if (acct && acct->v2) {
		cpu_ns = read_num(&set, NULL, NULL, "cpu.stat", "usage_usec ");
		cpu_ns = cpu_ns < 0 ? -1 : cpu_ns * 1000;
	} else {
		cpu_ns = read_num(&set, "cpuacct", "cpuacct.usage", "cpu.stat", NULL);
	}
	mem = read_num(&set, "memory", "memory.usage_in_bytes", "memory.current", NULL);
	mem_limit = read_num(&set, "memory", "memory.limit_in_bytes", "memory.max", NULL);
	pids = read_num(&set, "pids", "pids.current", "pids.current", NULL);
	pids_limit = read_num(&set, "pids", "pids.max", "pids.max", NULL);
	if (asprintf(&out,
		     "{\"type\":\"stats\",\"id\":\"%s\",\"data\":{\"cpu\":{\"usage\":{\"total\":%lld}},"
		     "\"memory\":{\"usage\":{\"usage\":%lld,\"limit\":%lld}},"
		     "\"pids\":{\"current\":%lld,\"limit\":%lld}}}",
		     id, cpu_ns < 0 ? 0 : cpu_ns, mem < 0 ? 0 : mem, mem_limit, pids < 0 ? 0 : pids,
		     pids_limit) < 0)
		return rt_fail(err, ENOMEM, "out of memory");
	*ret_json = out;
	return 0;
}
