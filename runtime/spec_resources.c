/* spec_resources.c - linux.resources -> struct resources: config.json's
 * (spec_parse_linux), `update --resources`'s text, and the object update's
 * flags make, all through spec_parse_resources. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"
#include "spec_internal.h"
#include "util.h"

static int opt(json_t *obj, const char *key, const char *path, int64_t min, int64_t max,
	       struct opt_i64 *o, struct rt_error *err)
{
	long long v = 0;
	bool present = false;

	if (sj_int(obj, key, path, min, max, &present, &v, err) < 0)
		return -EINVAL;
	if (present)
		*o = (struct opt_i64){true, v};
	return 0;
}

static int parse_memory(json_t *res, const char *path, struct resources *r, struct rt_error *err)
{
	json_t *m = NULL;
	char sub[96];

	snprintf(sub, sizeof(sub), "%s.memory", path);
	if (sj_object(res, "memory", path, &m, err) < 0)
		return -EINVAL;
	if (!m)
		return 0;
	/* -1 means unlimited; other negative values are errors */
	if (opt(m, "limit", sub, -1, INT64_MAX, &r->mem_limit, err) < 0 ||
	    opt(m, "reservation", sub, -1, INT64_MAX, &r->mem_reservation, err) < 0 ||
	    opt(m, "swap", sub, -1, INT64_MAX, &r->mem_swap, err) < 0 ||
	    opt(m, "swappiness", sub, 0, INT64_MAX, &r->mem_swappiness, err) < 0 ||
	    opt(m, "kernel", sub, -1, INT64_MAX, &r->mem_kernel, err) < 0 ||
	    opt(m, "kernelTCP", sub, -1, INT64_MAX, &r->mem_kernel_tcp, err) < 0 ||
	    sj_bool(m, "disableOOMKiller", sub, &r->mem_disable_oom_killer, err) < 0 ||
	    sj_bool(m, "checkBeforeUpdate", sub, &r->mem_check_before_update, err) < 0)
		return -EINVAL;
	if (json_object_get(m, "useHierarchy")) {
		bool on = false;

		if (sj_bool(m, "useHierarchy", sub, &on, err) < 0)
			return -EINVAL;
		r->mem_use_hierarchy = (struct opt_i64){true, on};
	}
	if (r->mem_swappiness.set && r->mem_swappiness.v > 100)
		return rt_fail(err, EINVAL, "%s.swappiness: %lld is above 100", sub,
			       (long long)r->mem_swappiness.v);
	if (r->mem_swap.set && r->mem_limit.set && r->mem_swap.v >= 0 && r->mem_limit.v >= 0 &&
	    r->mem_swap.v < r->mem_limit.v)
		return rt_fail(err, EINVAL, "%s.swap: must be at least memory.limit (it counts "
					    "memory plus swap)",
			       sub);
	return 0;
}

static int parse_cpu(json_t *res, const char *path, struct resources *r, struct rt_error *err)
{
	json_t *c = NULL;
	char sub[96];

	snprintf(sub, sizeof(sub), "%s.cpu", path);
	if (sj_object(res, "cpu", path, &c, err) < 0)
		return -EINVAL;
	if (!c)
		return 0;
	if (opt(c, "shares", sub, 0, INT64_MAX, &r->cpu_shares, err) < 0 ||
	    opt(c, "quota", sub, -1, INT64_MAX, &r->cpu_quota, err) < 0 ||
	    opt(c, "period", sub, 0, INT64_MAX, &r->cpu_period, err) < 0 ||
	    opt(c, "realtimeRuntime", sub, -1, INT64_MAX, &r->cpu_rt_runtime, err) < 0 ||
	    opt(c, "realtimePeriod", sub, 0, INT64_MAX, &r->cpu_rt_period, err) < 0 ||
	    opt(c, "idle", sub, 0, INT64_MAX, &r->cpu_idle, err) < 0 ||
	    opt(c, "burst", sub, 0, INT64_MAX, &r->cpu_burst, err) < 0 ||
	    sj_string(c, "cpus", sub, false, &r->cpu_cpus, err) < 0 ||
	    sj_string(c, "mems", sub, false, &r->cpu_mems, err) < 0)
		return -EINVAL;
	/* the spec: burst "MUST be no larger than any positive quota" */
	if (r->cpu_burst.set && r->cpu_quota.set && r->cpu_quota.v > 0 &&
	    r->cpu_burst.v > r->cpu_quota.v)
		return rt_fail(err, EINVAL, "%s.burst: %lld is above quota (%lld)", sub,
			       (long long)r->cpu_burst.v, (long long)r->cpu_quota.v);
	return 0;
}

static int parse_devices(json_t *res, const char *path, struct resources *r,
			 struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char sub[96];
	size_t i;

	if (sj_array(res, "devices", path, &arr, err) < 0)
		return -EINVAL;
	if (!arr || !json_array_size(arr))
		return 0;
	r->devices = calloc(json_array_size(arr), sizeof(*r->devices));
	if (!r->devices)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		struct res_device_rule *d = &r->devices[i];
		cleanup_free char *type = NULL, *access = NULL;
		long long major = -1, minor = -1;

		snprintf(sub, sizeof(sub), "%s.devices[%zu]", path, i);
		r->ndevices = i + 1;
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if (sj_bool(item, "allow", sub, &d->allow, err) < 0 ||
		    sj_string(item, "type", sub, false, &type, err) < 0 ||
		    sj_int(item, "major", sub, -1, 0xfff, NULL, &major, err) < 0 ||
		    sj_int(item, "minor", sub, -1, 0xfffff, NULL, &minor, err) < 0 ||
		    sj_string(item, "access", sub, false, &access, err) < 0)
			return -EINVAL;
		d->type = type ? type[0] : 'a';
		if (type && (strlen(type) != 1 || !strchr("acb", type[0])))
			return rt_fail(err, EINVAL, "%s.type: unknown type \"%s\"", sub, type);
		if (access && (strlen(access) > 3 || strspn(access, "rwm") != strlen(access)))
			return rt_fail(err, EINVAL, "%s.access: invalid access \"%s\"", sub, access);
		snprintf(d->access, sizeof(d->access), "%s", access ? access : "rwm");
		d->major = major;
		d->minor = minor;
	}
	return 0;
}

static int parse_hugepages(json_t *res, const char *path, struct resources *r,
			   struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char sub[96];
	size_t i;

	if (sj_array(res, "hugepageLimits", path, &arr, err) < 0)
		return -EINVAL;
	if (!arr || !json_array_size(arr))
		return 0;
	r->hugepages = calloc(json_array_size(arr), sizeof(*r->hugepages));
	if (!r->hugepages)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(sub, sizeof(sub), "%s.hugepageLimits[%zu]", path, i);
		r->nhugepages = i + 1;
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if (sj_string(item, "pageSize", sub, true, &r->hugepages[i].page_size, err) < 0 ||
		    sj_uint64(item, "limit", sub, NULL, &r->hugepages[i].limit, err) < 0)
			return -EINVAL;
	}
	return 0;
}

static int parse_unified(json_t *res, const char *path, struct resources *r,
			 struct rt_error *err)
{
	json_t *obj = NULL, *v;
	const char *key;

	if (sj_object(res, "unified", path, &obj, err) < 0)
		return -EINVAL;
	if (!obj || !json_object_size(obj))
		return 0;
	r->unified = calloc(json_object_size(obj), sizeof(*r->unified));
	if (!r->unified)
		return rt_fail(err, ENOMEM, "out of memory");
	json_object_foreach(obj, key, v)
	{
		if (!json_is_string(v))
			return rt_fail(err, EINVAL, "%s.unified.%s: expected a string", path, key);
		/* a file name in the cgroup directory, nothing else */
		if (!*key || strchr(key, '/') || key[0] == '.')
			return rt_fail(err, EINVAL, "%s.unified: invalid key \"%s\"", path, key);
		r->unified[r->nunified].key = strdup(key);
		r->unified[r->nunified].value = strdup(json_string_value(v));
		r->nunified++;
	}
	return 0;
}

/* One list of blockIO devices: each names its major:minor, and a weight
 * (weightDevice) or a rate (the throttle lists). */
static int parse_blkio_devices(json_t *blkio, const char *key, const char *path, bool weights,
			       struct res_blkio_device **ret, size_t *ret_n, struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char sub[128];
	size_t i;

	if (sj_array(blkio, key, path, &arr, err) < 0)
		return -EINVAL;
	if (!arr || !json_array_size(arr))
		return 0;
	*ret = calloc(json_array_size(arr), sizeof(**ret));
	if (!*ret)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		struct res_blkio_device *d = &(*ret)[i];
		long long major = 0, minor = 0;
		bool has_major = false, has_minor = false, has_rate = false;

		snprintf(sub, sizeof(sub), "%s.%s[%zu]", path, key, i);
		*ret_n = i + 1;
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if (sj_int(item, "major", sub, 0, 0xfff, &has_major, &major, err) < 0 ||
		    sj_int(item, "minor", sub, 0, 0xfffff, &has_minor, &minor, err) < 0)
			return -EINVAL;
		if (!has_major || !has_minor)
			return rt_fail(err, EINVAL, "%s: needs both major and minor", sub);
		d->major = major;
		d->minor = minor;
		if (weights) {
			if (opt(item, "weight", sub, 10, 1000, &d->weight, err) < 0 ||
			    opt(item, "leafWeight", sub, 10, 1000, &d->leaf_weight, err) < 0)
				return -EINVAL;
		} else if (sj_uint64(item, "rate", sub, &has_rate, &d->rate, err) < 0) {
			return -EINVAL;
		} else if (!has_rate) {
			return rt_fail(err, EINVAL, "%s.rate: missing", sub);
		}
	}
	return 0;
}

static int weight_or_unset(struct opt_i64 *w, const char *path, const char *key,
			   struct rt_error *err)
{
	if (w->set && w->v == 0)
		w->set = false;
	else if (w->set && w->v < 10)
		return rt_fail(err, EINVAL, "%s.%s: %lld is outside [10, 1000]", path, key,
			       (long long)w->v);
	return 0;
}

static int parse_blkio(json_t *res, const char *path, struct resources *r, struct rt_error *err)
{
	static const char *const throttle[THROTTLE_N] = {
		[THROTTLE_READ_BPS] = "throttleReadBpsDevice",
		[THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
		[THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
		[THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice"};
	json_t *blkio = NULL;
	char sub[96];

	snprintf(sub, sizeof(sub), "%s.blockIO", path);
	if (sj_object(res, "blockIO", path, &blkio, err) < 0)
		return -EINVAL;
	if (!blkio)
		return 0;
	/* 0 is "not set" to runc (Go's zero value reaches it from engines) */
	if (opt(blkio, "weight", sub, 0, 1000, &r->blkio_weight, err) < 0 ||
	    opt(blkio, "leafWeight", sub, 0, 1000, &r->blkio_leaf_weight, err) < 0 ||
	    parse_blkio_devices(blkio, "weightDevice", sub, true, &r->blkio_weight_devices,
				&r->nblkio_weight_devices, err) < 0)
		return -EINVAL;
	if (weight_or_unset(&r->blkio_weight, sub, "weight", err) < 0 ||
	    weight_or_unset(&r->blkio_leaf_weight, sub, "leafWeight", err) < 0)
		return -EINVAL;
	for (int t = 0; t < THROTTLE_N; t++)
		if (parse_blkio_devices(blkio, throttle[t], sub, false, &r->blkio_throttle[t],
					&r->nblkio_throttle[t], err) < 0)
			return -EINVAL;
	return 0;
}

/* linux.resources.network: {"classID": N, "priorities": [{"name", "priority"}]} */
static int parse_network(json_t *res, const char *path, struct resources *r,
			 struct rt_error *err)
{
	json_t *net = NULL, *arr = NULL, *item;
	char sub[96], at[128];
	size_t i;

	snprintf(sub, sizeof(sub), "%s.network", path);
	if (sj_object(res, "network", path, &net, err) < 0)
		return -EINVAL;
	if (!net)
		return 0;
	if (opt(net, "classID", sub, 0, UINT32_MAX, &r->net_class_id, err) < 0 ||
	    sj_array(net, "priorities", sub, &arr, err) < 0)
		return -EINVAL;
	if (!arr || !json_array_size(arr))
		return 0;
	r->net_prios = calloc(json_array_size(arr), sizeof(*r->net_prios));
	if (!r->net_prios)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		long long prio = 0;
		bool has = false;

		snprintf(at, sizeof(at), "%s.priorities[%zu]", sub, i);
		r->nnet_prios = i + 1;
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", at);
		if (sj_string(item, "name", at, true, &r->net_prios[i].name, err) < 0 ||
		    sj_int(item, "priority", at, 0, UINT32_MAX, &has, &prio, err) < 0)
			return -EINVAL;
		if (!has)
			return rt_fail(err, EINVAL, "%s.priority: is required", at);
		/* one "NAME PRIORITY" line of net_prio.ifpriomap */
		if (!*r->net_prios[i].name || strpbrk(r->net_prios[i].name, " \n/"))
			return rt_fail(err, EINVAL, "%s.name: invalid interface name \"%s\"", at,
				       r->net_prios[i].name);
		r->net_prios[i].priority = (uint32_t)prio;
	}
	return 0;
}

/* linux.resources.rdma: {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}} */
static int parse_rdma(json_t *res, const char *path, struct resources *r, struct rt_error *err)
{
	json_t *obj = NULL, *v;
	const char *key;
	char sub[160];

	if (sj_object(res, "rdma", path, &obj, err) < 0)
		return -EINVAL;
	if (!obj || !json_object_size(obj))
		return 0;
	r->rdma = calloc(json_object_size(obj), sizeof(*r->rdma));
	if (!r->rdma)
		return rt_fail(err, ENOMEM, "out of memory");
	json_object_foreach(obj, key, v)
	{
		struct res_rdma *d = &r->rdma[r->nrdma];

		snprintf(sub, sizeof(sub), "%s.rdma.%s", path, key);
		if (!json_is_object(v))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if (!*key || strpbrk(key, " \n=") || strlen(key) > 64)
			return rt_fail(err, EINVAL, "%s.rdma: invalid device name \"%s\"", path, key);
		d->device = strdup(key);
		r->nrdma++;
		if (!d->device)
			return rt_fail(err, ENOMEM, "out of memory");
		if (opt(v, "hcaHandles", sub, 0, UINT32_MAX, &d->hca_handles, err) < 0 ||
		    opt(v, "hcaObjects", sub, 0, UINT32_MAX, &d->hca_objects, err) < 0)
			return -EINVAL;
	}
	return 0;
}

int spec_parse_resources(json_t *res, const char *path, struct resources **ret,
			 struct rt_error *err)
{
	struct resources *r = NULL;
	json_t *pids = NULL;
	char sub[96];

	if (!json_is_object(res))
		return rt_fail(err, EINVAL, "%s: expected an object", path);
	if (!(r = calloc(1, sizeof(*r))))
		return rt_fail(err, ENOMEM, "out of memory");
	snprintf(sub, sizeof(sub), "%s.pids", path);
	if (parse_memory(res, path, r, err) < 0 || parse_cpu(res, path, r, err) < 0 ||
	    parse_devices(res, path, r, err) < 0 || parse_hugepages(res, path, r, err) < 0 ||
	    parse_unified(res, path, r, err) < 0 || sj_object(res, "pids", path, &pids, err) < 0 ||
	    (pids && opt(pids, "limit", sub, -1, INT64_MAX, &r->pids_limit, err) < 0) ||
	    parse_blkio(res, path, r, err) < 0 || parse_rdma(res, path, r, err) < 0 ||
	    parse_network(res, path, r, err) < 0) {
		resources_free(r);
		return -EINVAL;
	}
	*ret = r;
	return 0;
}

int resources_parse(const char *json, const char *path, struct resources **ret,
		    struct rt_error *err)
{
	json_error_t jerr;
	json_t *res = json_loads(json, 0, &jerr);
	int r;

	if (!res)
		return rt_fail(err, EINVAL, "%s: expected an object: %s", path, jerr.text);
	r = spec_parse_resources(res, path, ret, err);
	json_decref(res);
	return r;
}

/* values[i] into obj[object][key]: a string, or a decimal integer (which
 * update's flag parser has checked is one). */
static int put_value(json_t *obj, const struct resources_value *v, const char *path,
		     struct rt_error *err)
{
	json_t *sub = json_object_get(obj, v->object), *val;
	long long num;
	char *end;

	if (!sub && json_object_set_new(obj, v->object, sub = json_object()) < 0)
		return rt_fail(err, ENOMEM, "out of memory");
	if (v->string) {
		val = json_string(v->text);
	} else {
		errno = 0;
		num = strtoll(v->text, &end, 10);
		if (errno || *end || end == v->text)
			return rt_fail(err, ERANGE, "%s.%s.%s: %s is not an integer the runtime takes",
				       path, v->object, v->key, v->text);
		val = json_integer(num);
	}
	if (!val || json_object_set_new(sub, v->key, val) < 0)
		return rt_fail(err, ENOMEM, "out of memory");
	return 0;
}

int resources_parse_values(const struct resources_value *values, size_t n, const char *path,
			   struct resources **ret, struct rt_error *err)
{
	json_t *obj = json_object();
	int r = obj ? 0 : rt_fail(err, ENOMEM, "out of memory");

	for (size_t i = 0; r == 0 && i < n; i++)
		r = put_value(obj, &values[i], path, err);
	if (r == 0)
		r = spec_parse_resources(obj, path, ret, err);
	json_decref(obj);
	return r;
}

void resources_free(struct resources *r)
{
	if (!r)
		return;
	free(r->cpu_cpus);
	free(r->cpu_mems);
	for (size_t i = 0; i < r->nhugepages; i++)
		free(r->hugepages[i].page_size);
	free(r->hugepages);
	free(r->devices);
	free(r->blkio_weight_devices);
	for (int t = 0; t < THROTTLE_N; t++)
		free(r->blkio_throttle[t]);
	for (size_t i = 0; i < r->nnet_prios; i++)
		free(r->net_prios[i].name);
	free(r->net_prios);
	for (size_t i = 0; i < r->nrdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	for (size_t i = 0; i < r->nunified; i++) {
		free(r->unified[i].key);
		free(r->unified[i].value);
	}
	free(r->unified);
	free(r);
}
