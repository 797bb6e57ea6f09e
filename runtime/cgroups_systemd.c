/* cgroups_systemd.c - the systemd cgroup driver (--systemd-cgroup), as
 * kubeadm's nodes use it: the container's cgroup is a transient scope that
 * systemd makes in the slice linux.cgroupsPath names ("slice:prefix:name"),
 * with the init in it, delegated to us for the resources systemd does not
 * own. Pure cgroup v2 only (Kubernetes 1.35 refuses v1 hosts). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "cgroups_internal.h"
#include "systemd_bus.h"
#include "util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define F "linux.cgroupsPath"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A slice name as systemd takes it: "-.slice" (the root) or dash-joined
 * parts ending in ".slice", no empty part, no "/". */
static bool valid_slice(const char *slice)
{
	size_t n = strlen(slice);

	if (strcmp(slice, "-.slice") == 0)
		return true;
	if (!ends_with(slice, ".slice") || n == 6 || strchr(slice, '/') || slice[0] == '-' ||
	    strstr(slice, "--") || slice[n - 7] == '-')
		return false;
	return true;
}

/* systemd nests a-b-c.slice in a.slice/a-b.slice/a-b-c.slice. */
static void expand_slice(const char *slice, char *buf, size_t len)
{
	size_t off = 0, stem = strlen(slice) - 6;

	buf[0] = '\0';
	if (strcmp(slice, "-.slice") == 0)
		return;
	for (size_t i = 0; i <= stem && off < len; i++)
		if (i == stem || slice[i] == '-')
			off += (size_t)snprintf(buf + off, len - off, "/%.*s.slice", (int)i, slice);
}

int cg_systemd_scope(const char *cgroups_path, const char *id, char *dir, size_t dir_len,
		     char *unit, size_t unit_len, struct rt_error *err)
{
	char path[PATH_MAX], slice[256], prefix[256], name[256];
	const char *p = cgroups_path && *cgroups_path ? cgroups_path : "";
	const char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	if (!*p) { /* runc's default, with our prefix */
		snprintf(slice, sizeof(slice), "system.slice");
		snprintf(prefix, sizeof(prefix), "mini-runtime");
		snprintf(name, sizeof(name), "%s", id);
	} else if (!c1 || !c2 || strchr(c2 + 1, ':') || (size_t)(c1 - p) >= sizeof(slice) ||
		   (size_t)(c2 - c1 - 1) >= sizeof(prefix) || strlen(c2 + 1) >= sizeof(name)) {
		return rt_fail(err, EINVAL,
			       F ": \"%s\" is not \"slice:prefix:name\", as the systemd cgroup "
				 "driver needs",
			       p);
	} else {
		snprintf(slice, sizeof(slice), "%.*s", (int)(c1 - p), p);
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
		snprintf(name, sizeof(name), "%s", c2 + 1);
	}
	if (!*slice)
		snprintf(slice, sizeof(slice), "system.slice");
	if (!valid_slice(slice))
		return rt_fail(err, EINVAL, F ": \"%s\" is not a systemd slice name", slice);
	if (!*name || strchr(name, '/') || strchr(prefix, '/') || ends_with(name, ".slice"))
		return rt_fail(err, EINVAL,
			       F ": \"%s\": the name must be a scope's (no \"/\", not a slice)", p);
	if (ends_with(name, ".scope"))
		snprintf(unit, unit_len, "%s", name);
	else
		snprintf(unit, unit_len, "%s%s%s.scope", prefix, *prefix ? "-" : "", name);
	expand_slice(slice, path, sizeof(path));
	snprintf(dir, dir_len, "/sys/fs/cgroup%s/%s", path, unit);
	return 0;
}

/* The scope to be, named before anything exists; refuses a host that is
 * not pure cgroup v2. The directory is systemd's to make and remove: no
 * "top". */
static int scope_set(const char *cgroups_path, const char *id, struct cgroups **ret,
		     struct rt_error *err)
{
	char dir[PATH_MAX], unit[512];
	struct statfs fs;
	int r;

	if ((r = cg_systemd_scope(cgroups_path, id, dir, sizeof(dir), unit, sizeof(unit), err)) < 0)
		return r;
	if (statfs("/sys/fs/cgroup", &fs) < 0 || fs.f_type != CGROUP2_SUPER_MAGIC)
		return rt_fail(err, ENOTSUP,
			       "--systemd-cgroup: needs a pure cgroup v2 host (/sys/fs/cgroup is "
			       "not cgroup2 here)");
	*ret = cg_pack(&(struct cgroup_dir){.name = "unified", .dir = dir, .top = "",
					    .unit = unit, .v2 = true},
		       1);
	return *ret ? 0 : rt_fail(err, ENOMEM, "out of memory");
}

/* "0-3,8" as the byte array systemd's AllowedCPUs/AllowedMemoryNodes take:
 * bit n%8 of byte n/8 for each n. */
static int bitmask(const char *list, struct unit_prop *p, const char *field,
		   struct rt_error *err)
{
	const char *s = list;

	p->nbytes = 0;
	memset(p->bytes, 0, sizeof(p->bytes));
	while (*s) {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			goto bad;
		if (*end == '-') {
			s = end + 1;
			hi = strtoul(s, &end, 10);
			if (end == s || hi < lo)
				goto bad;
		}
		if (hi >= sizeof(p->bytes) * 8)
			return rt_fail(err, ERANGE, "%s: \"%s\" goes past %zu", field, list,
				       sizeof(p->bytes) * 8 - 1);
		for (unsigned long n = lo; n <= hi; n++)
			p->bytes[n / 8] |= (uint8_t)(1u << (n % 8));
		if (hi / 8 + 1 > p->nbytes)
			p->nbytes = hi / 8 + 1;
		if (*end != ',' && *end != '\0')
			goto bad;
		s = *end ? end + 1 : end;
	}
	return 0;
bad:
	return rt_fail(err, EINVAL, "%s: \"%s\" is not a list of numbers and ranges", field, list);
}

static int add(struct unit_props *props, const char *name, enum unit_prop_type type,
	       const struct unit_prop *v, struct rt_error *err)
{
	if (!unit_props_add(props, name, type, v))
		return rt_fail(err, E2BIG, "--systemd-cgroup: too many unit properties");
	return 0;
}

static int add_u64(struct unit_props *props, const char *name, uint64_t v, struct rt_error *err)
{
	return add(props, name, PROP_UINT64, &(struct unit_prop){.u64 = v}, err);
}

/* The limits systemd owns on the unit, from linux.resources (runc's set):
 * the same values go to the files afterwards, so both agree. */
static int resource_props(const struct resources *r, struct unit_props *props,
			  struct rt_error *err)
{
	struct unit_prop p = {0};

	if (r->mem_limit.set &&
	    add_u64(props, "MemoryMax", r->mem_limit.v < 0 ? UINT64_MAX : (uint64_t)r->mem_limit.v,
		    err) < 0)
		return -E2BIG;
	if (r->mem_reservation.set &&
	    add_u64(props, "MemoryLow",
		    r->mem_reservation.v < 0 ? UINT64_MAX : (uint64_t)r->mem_reservation.v, err) < 0)
		return -E2BIG;
	if (r->mem_swap.set) {
		int64_t swap = r->mem_swap.v;

		/* v1's swap counts memory too, v2's swap alone */
		if (swap > 0 && r->mem_limit.set && r->mem_limit.v > 0)
			swap -= r->mem_limit.v;
		if (add_u64(props, "MemorySwapMax", swap < 0 ? UINT64_MAX : (uint64_t)swap, err) < 0)
			return -E2BIG;
	}
	if (r->cpu_shares.set && r->cpu_shares.v > 0 &&
	    add_u64(props, "CPUWeight", (uint64_t)cg_shares_to_weight(r->cpu_shares.v), err) < 0)
		return -E2BIG;
	if (r->cpu_period.set && r->cpu_period.v > 0 &&
	    add_u64(props, "CPUQuotaPeriodUSec", (uint64_t)r->cpu_period.v, err) < 0)
		return -E2BIG;
	if (r->cpu_quota.set) {
		uint64_t period = r->cpu_period.set && r->cpu_period.v > 0 ? (uint64_t)r->cpu_period.v
									  : 100000;
		uint64_t per_sec = UINT64_MAX;

		/* systemd takes a quota per second, and keeps it in 10 ms steps:
		 * rounded up, as runc does, so the limit is never tighter */
		if (r->cpu_quota.v > 0) {
			per_sec = (uint64_t)r->cpu_quota.v * 1000000 / period;
			per_sec = (per_sec + 9999) / 10000 * 10000;
		}
		if (add_u64(props, "CPUQuotaPerSecUSec", per_sec, err) < 0)
			return -E2BIG;
	}
	if (r->pids_limit.set &&
	    add_u64(props, "TasksMax", r->pids_limit.v <= 0 ? UINT64_MAX : (uint64_t)r->pids_limit.v,
		    err) < 0)
		return -E2BIG;
	if (r->cpu_cpus && *r->cpu_cpus &&
	    (bitmask(r->cpu_cpus, &p, "linux.resources.cpu.cpus", err) < 0 ||
	     add(props, "AllowedCPUs", PROP_BYTES, &p, err) < 0))
		return -EINVAL;
	if (r->cpu_mems && *r->cpu_mems &&
	    (bitmask(r->cpu_mems, &p, "linux.resources.cpu.mems", err) < 0 ||
	     add(props, "AllowedMemoryNodes", PROP_BYTES, &p, err) < 0))
		return -EINVAL;
	return 0;
}

/* An org.systemd.property.NAME annotation's value, in the GVariant text
 * form runc accepts: "uint64 5", "@t 5", "int32 -1", "true", "'text'",
 * "\"text\"", a bare integer (int32, as GVariant reads it) or a decimal
 * (double). */
static int parse_variant(const char *key, const char *text, struct unit_prop *p,
			 enum unit_prop_type *type, struct rt_error *err)
{
	static const struct {
		const char *word;
		enum unit_prop_type type;
	} typed[] = {{"uint64 ", PROP_UINT64}, {"@t ", PROP_UINT64}, {"int64 ", PROP_INT64},
		     {"@x ", PROP_INT64},      {"uint32 ", PROP_UINT32}, {"@u ", PROP_UINT32},
		     {"int32 ", PROP_INT32},   {"@i ", PROP_INT32},	 {"boolean ", PROP_BOOL},
		     {"@b ", PROP_BOOL},       {"double ", PROP_DOUBLE}, {"@d ", PROP_DOUBLE}};
	size_t n = strlen(text);
	const char *num = text;
	char *end;

	*type = PROP_INT32;
	for (size_t i = 0; i < ARRAY_SIZE(typed); i++)
		if (strncmp(text, typed[i].word, strlen(typed[i].word)) == 0) {
			*type = typed[i].type;
			num = text + strlen(typed[i].word);
			break;
		}
	if (num == text && n >= 2 && (text[0] == '\'' || text[0] == '"') && text[n - 1] == text[0]) {
		if (n - 2 >= sizeof(p->str))
			return rt_fail(err, E2BIG, "annotations[\"%s\"]: the string is too long", key);
		snprintf(p->str, sizeof(p->str), "%.*s", (int)(n - 2), text + 1);
		*type = PROP_STRING;
		return 0;
	}
	if ((num == text || *type == PROP_BOOL) && (!strcmp(num, "true") || !strcmp(num, "false"))) {
		p->u64 = strcmp(num, "true") == 0;
		*type = PROP_BOOL;
		return 0;
	}
	errno = 0;
	if (*type == PROP_DOUBLE || (num == text && strpbrk(num, ".eE"))) {
		p->dbl = strtod(num, &end);
		*type = PROP_DOUBLE;
	} else if (*type == PROP_UINT64 || *type == PROP_UINT32) {
		p->u64 = *num == '-' ? (errno = ERANGE, 0) : strtoull(num, &end, 10);
		if (*type == PROP_UINT32 && p->u64 > UINT32_MAX)
			errno = ERANGE;
	} else {
		p->i64 = strtoll(num, &end, 10);
		if (*type == PROP_INT32 && (p->i64 < INT32_MIN || p->i64 > INT32_MAX))
			errno = ERANGE;
	}
	if (end == num || *end || errno || *type == PROP_BOOL)
		return rt_fail(err, EINVAL,
			       "annotations[\"%s\"]: \"%s\" is not a value this runtime can pass "
			       "to systemd (GVariant text: uint64 N, int32 N, true, 'text', ...)",
			       key, text);
	return 0;
}

#define PROPERTY_PREFIX "org.systemd.property."

static int annotation_props(const struct spec *spec, struct unit_props *props,
			    struct rt_error *err)
{
	for (size_t i = 0; i < spec->nannotations; i++) {
		const char *key = spec->annotations[i].key, *name;
		struct unit_prop p = {0};
		enum unit_prop_type type;

		if (strncmp(key, PROPERTY_PREFIX, strlen(PROPERTY_PREFIX)) != 0)
			continue;
		name = key + strlen(PROPERTY_PREFIX);
		/* a unit property's name: what systemd would reject anyway,
		 * refused here with the annotation named */
		if (!*name || strlen(name) >= sizeof(p.name) || name[0] < 'A' || name[0] > 'Z' ||
		    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
			    strlen(name))
			return rt_fail(err, EINVAL, "annotations[\"%s\"]: not a unit property name",
				       key);
		if (parse_variant(key, spec->annotations[i].value, &p, &type, err) < 0 ||
		    add(props, name, type, &p, err) < 0)
			return -EINVAL;
	}
	return 0;
}

/* The slice a scope's directory is in: its parent's name ("-.slice" when
 * that is the root). */
static void slice_of(const char *dir, char *buf, size_t len)
{
	const char *end = strrchr(dir, '/'), *start = end;

	while (start > dir && start[-1] != '/')
		start--;
	if (end - start == 6 && strncmp(start, "cgroup", 6) == 0)
		snprintf(buf, len, "-.slice");
	else
		snprintf(buf, len, "%.*s", (int)(end - start), start);
}

/* The unit properties the config asks for are ones systemd can be given
 * (before anything is created). */
static int check(const struct spec *spec, const struct resources *res, struct rt_error *err)
{
	struct unit_props *props = calloc(1, sizeof(*props));
	int r = props ? 0 : rt_fail(err, ENOMEM, "out of memory");

	if (r == 0 && res)
		r = resource_props(res, props, err);
	if (r == 0)
		r = annotation_props(spec, props, err);
	free(props);
	return r;
}

static int create(const struct spec *spec, const char *id, const struct resources *res,
		  struct cgroups **ret, struct rt_error *err)
{
	int r = check(spec, res, err);

	return r < 0 ? r : scope_set(spec->cgroups_path, id, ret, err);
}

/* Starts the scope with pid in it and the limits systemd owns. */
static int place(const struct cgroups *cgroups, pid_t pid, const char *id, const struct spec *spec,
		 const struct resources *res, struct rt_error *err)
{
	const struct cgroup_dir *d = &cgroups->d[0];
	struct unit_props *props = calloc(1, sizeof(*props));
	struct unit_prop p = {0};
	int r;

	if (!props)
		return rt_fail(err, ENOMEM, "out of memory");
	snprintf(p.str, sizeof(p.str), "mini-runtime container %s", id);
	r = add(props, "Description", PROP_STRING, &p, err);
	slice_of(d->dir, p.str, sizeof(p.str));
	if (r == 0)
		r = add(props, "Slice", PROP_STRING, &p, err);
	/* the cgroup below the scope is ours to manage (the resources systemd
	 * does not own, a nested container's own cgroups); no ordering on
	 * the shutdown targets (DefaultDependencies=no), as runc */
	static const struct {
		const char *name;
		bool on;
	} flags[] = {{"Delegate", true},	 {"MemoryAccounting", true},
		     {"CPUAccounting", true},	 {"TasksAccounting", true},
		     {"IOAccounting", true},	 {"DefaultDependencies", false}};
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(flags); i++) {
		p.u64 = flags[i].on;
		r = add(props, flags[i].name, PROP_BOOL, &p, err);
	}
	p.u64 = (uint64_t)pid;
	if (r == 0)
		r = add(props, "PIDs", PROP_PIDS, &p, err);
	if (r == 0 && res)
		r = resource_props(res, props, err);
	/* last, so that they win over our defaults (runc's order) */
	if (r == 0)
		r = annotation_props(spec, props, err);
	if (r == 0)
		r = systemd_start_unit(d->unit, props, err);
	free(props);
	return r;
}

static int update(const struct cgroups *cgroups, const struct resources *res, struct rt_error *err)
{
	struct unit_props *props = calloc(1, sizeof(*props));
	int r = props ? resource_props(res, props, err) : rt_fail(err, ENOMEM, "out of memory");

	if (r == 0 && props->n)
		r = systemd_set_unit_properties(cgroups->d[0].unit, props, err);
	free(props);
	return r;
}

/* Stopping the scope removes its directory (and a unit never started, or
 * already gone, is no failure). */
static int destroy(const struct cgroups *cgroups, struct rt_error *err)
{
	int r = 0;

	for (size_t i = 0; i < cgroups->n; i++)
		if (*cgroups->d[i].unit && systemd_stop_unit(cgroups->d[i].unit, err) < 0)
			r = -EIO;
	return r;
}

const struct cg_driver cg_systemd = {
	.name = "systemd",
	.create = create,
	.place = place,
	.update = update,
	.destroy = destroy,
};
