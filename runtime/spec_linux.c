/* spec_linux.c - the "linux" object of config.json. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <time.h>

#include "spec_internal.h"
#include "util.h"

static int parse_namespaces(json_t *lx, struct spec *spec, struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char path[64];
	size_t i;
	int r;

	if ((r = sj_array(lx, "namespaces", "linux", &arr, err)) < 0)
		return r;
	json_array_foreach(arr, i, item)
	{
		cleanup_free char *type = NULL;
		enum spec_ns_type t;

		snprintf(path, sizeof(path), "linux.namespaces[%zu]", i);
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", path);
		if ((r = sj_string(item, "type", path, true, &type, err)) < 0)
			return r;
		if (spec_ns_parse(type, &t) < 0)
			return rt_fail(err, EINVAL, "%s.type: unknown namespace \"%s\"", path, type);
		if (spec->ns[t].enabled)
			return rt_fail(err, EINVAL, "%s.type: duplicate namespace \"%s\"", path,
				       type);
		spec->ns[t].enabled = true;
		if ((r = sj_string(item, "path", path, false, &spec->ns[t].path, err)) < 0)
			return r;
		if (spec->ns[t].path && spec->ns[t].path[0] != '/')
			return rt_fail(err, EINVAL, "%s.path: \"%s\" is not an absolute path", path,
				       spec->ns[t].path);
	}
	return 0;
}

/* The kernel's rules for a uid_map (user_namespaces(7)), checked here so
 * that the message names the entry instead of "write uid_map: Invalid
 * argument": at most 340 ranges, none past 2^32 - 1, none overlapping
 * another on either side. */
#define IDMAP_MAX_RANGES 340

static bool overlap(uint32_t a, uint32_t b, uint32_t size_a, uint32_t size_b)
{
	return (uint64_t)a < (uint64_t)b + size_b && (uint64_t)b < (uint64_t)a + size_a;
}

static int check_idmap(const struct spec_idmap *maps, size_t i, const char *path,
		       const char *key, struct rt_error *err)
{
	const struct spec_idmap *m = &maps[i];

	if ((uint64_t)m->container_id + m->size > (uint64_t)UINT32_MAX + 1)
		return rt_fail(err, ERANGE, "%s.%s[%zu].size: containerID + size is past 4294967295",
			       path, key, i);
	if ((uint64_t)m->host_id + m->size > (uint64_t)UINT32_MAX + 1)
		return rt_fail(err, ERANGE, "%s.%s[%zu].size: hostID + size is past 4294967295",
			       path, key, i);
	for (size_t j = 0; j < i; j++) {
		if (overlap(m->container_id, maps[j].container_id, m->size, maps[j].size))
			return rt_fail(err, EINVAL, "%s.%s[%zu].containerID: overlaps %s[%zu]",
				       path, key, i, key, j);
		if (overlap(m->host_id, maps[j].host_id, m->size, maps[j].size))
			return rt_fail(err, EINVAL, "%s.%s[%zu].hostID: overlaps %s[%zu]", path,
				       key, i, key, j);
	}
	return 0;
}

int spec_parse_idmaps(json_t *obj, const char *key, const char *path, struct spec_idmap **ret,
		      size_t *ret_n, struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char sub[96];
	size_t i;
	int r;

	if ((r = sj_array(obj, key, path, &arr, err)) < 0)
		return r;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	if (json_array_size(arr) > IDMAP_MAX_RANGES)
		return rt_fail(err, E2BIG, "%s.%s: %zu ranges, the kernel takes at most %d", path,
			       key, json_array_size(arr), IDMAP_MAX_RANGES);
	*ret = calloc(json_array_size(arr), sizeof(**ret));
	if (!*ret)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		long long c = 0, h = 0, s = 0;

		snprintf(sub, sizeof(sub), "%s.%s[%zu]", path, key, i);
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if ((r = sj_int(item, "containerID", sub, 0, UINT32_MAX, NULL, &c, err)) < 0 ||
		    (r = sj_int(item, "hostID", sub, 0, UINT32_MAX, NULL, &h, err)) < 0 ||
		    (r = sj_int(item, "size", sub, 1, UINT32_MAX, NULL, &s, err)) < 0)
			return r;
		(*ret)[i] = (struct spec_idmap){(uint32_t)c, (uint32_t)h, (uint32_t)s};
		*ret_n = i + 1;
		if ((r = check_idmap(*ret, i, path, key, err)) < 0)
			return r;
	}
	return 0;
}

static int parse_sysctl(json_t *lx, struct spec *spec, struct rt_error *err)
{
	json_t *obj = NULL, *v;
	const char *key;
	int r;

	if ((r = sj_object(lx, "sysctl", "linux", &obj, err)) < 0)
		return r;
	if (!obj || json_object_size(obj) == 0)
		return 0;
	spec->sysctl = calloc(json_object_size(obj), sizeof(*spec->sysctl));
	if (!spec->sysctl)
		return rt_fail(err, ENOMEM, "out of memory");
	json_object_foreach(obj, key, v)
	{
		struct spec_sysctl *s = &spec->sysctl[spec->nsysctl];

		if (!json_is_string(v))
			return rt_fail(err, EINVAL, "linux.sysctl[\"%s\"]: expected a string", key);
		/* the key itself is checked with the namespaces (sysctl.c) */
		s->key = strdup(key);
		s->value = strdup(json_string_value(v));
		spec->nsysctl++;
		if (!s->key || !s->value)
			return rt_fail(err, ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_device(json_t *item, const char *path, struct spec_device *d,
			struct rt_error *err)
{
	cleanup_free char *type = NULL;
	long long mode = 0, uid = 0, gid = 0;
	bool has_major = false, has_minor = false;
	int r;

	if (!json_is_object(item))
		return rt_fail(err, EINVAL, "%s: expected an object", path);
	if ((r = sj_string(item, "path", path, true, &d->path, err)) < 0 ||
	    (r = sj_string(item, "type", path, true, &type, err)) < 0 ||
	    (r = sj_int(item, "major", path, 0, 0xfff, &has_major, &d->major, err)) < 0 ||
	    (r = sj_int(item, "minor", path, 0, 0xfffff, &has_minor, &d->minor, err)) < 0 ||
	    (r = sj_int(item, "fileMode", path, 0, 07777, &d->has_mode, &mode, err)) < 0 ||
	    (r = sj_int(item, "uid", path, 0, UINT32_MAX - 1, &d->has_uid, &uid, err)) < 0 ||
	    (r = sj_int(item, "gid", path, 0, UINT32_MAX - 1, &d->has_gid, &gid, err)) < 0)
		return r;
	if (d->path[0] != '/')
		return rt_fail(err, EINVAL, "%s.path: \"%s\" is not an absolute path", path, d->path);
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return rt_fail(err, EINVAL, "%s.type: unknown device type \"%s\"", path, type);
	d->type = type[0];
	if (d->type != 'p' && (!has_major || !has_minor))
		return rt_fail(err, EINVAL, "%s: a '%c' device needs major and minor", path,
			       d->type);
	d->mode = (mode_t)mode;
	d->uid = (uid_t)uid;
	d->gid = (gid_t)gid;
	return 0;
}

static int parse_devices(json_t *lx, struct spec *spec, struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char path[64];
	size_t i;
	int r;

	if ((r = sj_array(lx, "devices", "linux", &arr, err)) < 0)
		return r;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	spec->devices = calloc(json_array_size(arr), sizeof(*spec->devices));
	if (!spec->devices)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(path, sizeof(path), "linux.devices[%zu]", i);
		spec->ndevices = i + 1;
		if ((r = parse_device(item, path, &spec->devices[i], err)) < 0)
			return r;
	}
	return 0;
}

static int parse_propagation(json_t *lx, struct spec *spec, struct rt_error *err)
{
	cleanup_free char *name = NULL;
	int r;

	if ((r = sj_string(lx, "rootfsPropagation", "linux", false, &name, err)) < 0)
		return r;
	if (name && spec_propagation_parse(name, &spec->rootfs_propagation) < 0)
		return rt_fail(err, EINVAL, "linux.rootfsPropagation: unknown propagation \"%s\"",
			       name);
	return 0;
}

static int parse_personality(json_t *lx, struct spec *spec, struct rt_error *err)
{
	json_t *obj = NULL;
	cleanup_free char *domain = NULL;
	char **flags = NULL;
	int r;

	if ((r = sj_object(lx, "personality", "linux", &obj, err)) < 0)
		return r;
	if (!obj)
		return 0;
	if ((r = sj_string(obj, "domain", "linux.personality", true, &domain, err)) < 0 ||
	    (r = sj_strv(obj, "flags", "linux.personality", &flags, err)) < 0)
		return r;
	/* runtime-spec defines no flags yet; runc rejects any */
	if (flags && flags[0]) {
		strv_free(flags);
		return rt_fail(err, EINVAL, "linux.personality.flags: no flag is supported");
	}
	strv_free(flags);
	if (strcmp(domain, "LINUX") == 0)
		spec->personality = PER_LINUX;
	else if (strcmp(domain, "LINUX32") == 0)
		spec->personality = PER_LINUX32;
	else
		return rt_fail(err, EINVAL, "linux.personality.domain: unknown domain \"%s\"",
			       domain);
	spec->has_personality = true;
	return 0;
}

static int parse_time_offsets(json_t *lx, struct spec *spec, struct rt_error *err)
{
	static const struct {
		const char *key;
		int clock;
	} clocks[] = {{"monotonic", CLOCK_MONOTONIC}, {"boottime", CLOCK_BOOTTIME}};
	json_t *obj = NULL;
	int r;

	if ((r = sj_object(lx, "timeOffsets", "linux", &obj, err)) < 0)
		return r;
	for (size_t k = 0; obj && k < ARRAY_SIZE(clocks); k++) {
		json_t *c = NULL;
		char path[64];
		long long secs = 0, nsecs = 0;

		snprintf(path, sizeof(path), "linux.timeOffsets.%s", clocks[k].key);
		if ((r = sj_object(obj, clocks[k].key, "linux.timeOffsets", &c, err)) < 0)
			return r;
		if (!c)
			continue;
		if ((r = sj_int(c, "secs", path, INT64_MIN, INT64_MAX, NULL, &secs, err)) < 0 ||
		    (r = sj_int(c, "nanosecs", path, 0, 999999999, NULL, &nsecs, err)) < 0)
			return r;
		spec->time_offsets[spec->ntime_offsets++] =
			(struct spec_time_offset){clocks[k].clock, secs, (uint32_t)nsecs};
	}
	return 0;
}

/* Rule 1 of the memory-policy rules (JSON types) lives here; the names,
 * node syntax and combinations are policy/'s. */
static int parse_memory_policy(json_t *lx, struct spec *spec, struct rt_error *err)
{
	static const char path[] = "linux.memoryPolicy";
	json_t *obj = NULL;
	cleanup_free char *mode = NULL, *nodes = NULL;
	char **flags = NULL;
	size_t nflags = 0;
	int r;

	if ((r = sj_object(lx, "memoryPolicy", "linux", &obj, err)) < 0)
		return r;
	if (!obj)
		return 0;
	if ((r = sj_string(obj, "mode", path, true, &mode, err)) < 0 ||
	    (r = sj_string(obj, "nodes", path, false, &nodes, err)) < 0 ||
	    (r = sj_strv(obj, "flags", path, &flags, err)) < 0)
		return r;
	while (flags && flags[nflags])
		nflags++;
	r = mpol_policy_parse(mode, nodes, (const char *const *)flags, nflags,
			      &spec->memory_policy, err->msg, sizeof(err->msg));
	if (r == 0)
		r = mpol_validate(&spec->memory_policy, err->msg, sizeof(err->msg));
	strv_free(flags);
	if (r < 0) {
		err->errnum = -r;
		return r;
	}
	spec->has_memory_policy = true;
	return 0;
}

int spec_parse_linux(json_t *lx, struct spec *spec, struct rt_error *err)
{
	json_t *resources = NULL;
	int r;

	if ((r = parse_namespaces(lx, spec, err)) < 0 ||
	    (r = spec_parse_idmaps(lx, "uidMappings", "linux", &spec->uid_maps, &spec->n_uid_maps,
				   err)) < 0 ||
	    (r = spec_parse_idmaps(lx, "gidMappings", "linux", &spec->gid_maps, &spec->n_gid_maps,
				   err)) < 0 ||
	    (r = parse_sysctl(lx, spec, err)) < 0 || (r = parse_devices(lx, spec, err)) < 0 ||
	    (r = sj_strv(lx, "maskedPaths", "linux", &spec->masked_paths, err)) < 0 ||
	    (r = sj_strv(lx, "readonlyPaths", "linux", &spec->readonly_paths, err)) < 0 ||
	    (r = parse_propagation(lx, spec, err)) < 0 ||
	    (r = sj_string(lx, "cgroupsPath", "linux", false, &spec->cgroups_path, err)) < 0 ||
	    (r = parse_personality(lx, spec, err)) < 0 ||
	    (r = parse_time_offsets(lx, spec, err)) < 0 ||
	    (r = parse_memory_policy(lx, spec, err)) < 0 ||
	    (r = spec_parse_seccomp(lx, spec, err)) < 0 ||
	    (r = sj_object(lx, "resources", "linux", &resources, err)) < 0 ||
	    (resources &&
	     (r = spec_parse_resources(resources, "linux.resources", &spec->resources, err)) < 0))
		return r;
	if (spec->ns[NS_USER].enabled && !spec->ns[NS_USER].path &&
	    (!spec->n_uid_maps || !spec->n_gid_maps))
		return rt_fail(err, EINVAL,
			       "linux.uidMappings: a new user namespace needs uid and gid mappings");
	if (spec->ntime_offsets && !spec->ns[NS_TIME].enabled)
		return rt_fail(err, EINVAL, "linux.timeOffsets: needs a time namespace");
	return 0;
}

void spec_linux_free(struct spec *spec)
{
	for (int t = 0; t < NS_COUNT; t++)
		free(spec->ns[t].path);
	free(spec->uid_maps);
	free(spec->gid_maps);
	for (size_t i = 0; i < spec->nsysctl; i++) {
		free(spec->sysctl[i].key);
		free(spec->sysctl[i].value);
	}
	free(spec->sysctl);
	for (size_t i = 0; i < spec->ndevices; i++)
		free(spec->devices[i].path);
	free(spec->devices);
	strv_free(spec->masked_paths);
	strv_free(spec->readonly_paths);
	free(spec->cgroups_path);
	spec_seccomp_free(spec->seccomp);
	resources_free(spec->resources);
}
