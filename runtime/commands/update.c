/* update.c - `update [--resources FILE | runc's flags] ID`: new limits for
 * a live container's cgroup. The flags are handed over as the members of
 * a linux.resources object (resources_parse_values), so that they and
 * --resources meet the same parser and its checks. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups.h"
#include "commands.h"
#include "log.h"
#include "resources.h"
#include "state.h"
#include "units.h"
#include "util.h"

enum kind {
	SIZE,	 /* bytes with a unit as runc takes them, or -1 */
	UINT,	 /* a decimal unsigned integer */
	INT,	 /* a decimal integer, -1 for unlimited where the cgroup takes it */
	LIST,	 /* a cpu or node list: 0-3,5 */
	REFUSED, /* what this runtime does not have */
};

/* runc's update flags: which key of which linux.resources object each
 * sets (REFUSED: key is why). runc 1.5 parses --kernel-memory and
 * --kernel-memory-tcp and ignores them with a warning; here they are
 * applied as memory.kernel and kernelTCP are (cgroups_extra.c), or fail. */
static const struct flag {
	const char *name;
	enum kind kind;
	const char *object, *key;
} flags[] = {
	{"memory", SIZE, "memory", "limit"},
	{"memory-reservation", SIZE, "memory", "reservation"},
	{"memory-swap", SIZE, "memory", "swap"},
	{"kernel-memory", SIZE, "memory", "kernel"},
	{"kernel-memory-tcp", SIZE, "memory", "kernelTCP"},
	{"cpu-period", UINT, "cpu", "period"},
	{"cpu-quota", INT, "cpu", "quota"},
	{"cpu-burst", UINT, "cpu", "burst"},
	{"cpu-share", UINT, "cpu", "shares"},
	{"cpu-rt-period", UINT, "cpu", "realtimePeriod"},
	{"cpu-rt-runtime", INT, "cpu", "realtimeRuntime"},
	{"cpu-idle", INT, "cpu", "idle"},
	{"cpuset-cpus", LIST, "cpu", "cpus"},
	{"cpuset-mems", LIST, "cpu", "mems"},
	{"pids-limit", INT, "pids", "limit"},
	{"blkio-weight", UINT, "blockIO", "weight"},
	{"l3-cache-schema", REFUSED, NULL, "Intel RDT is not supported"},
	{"mem-bw-schema", REFUSED, NULL, "Intel RDT is not supported"},
};

#define NFLAGS ARRAY_SIZE(flags)

static int integer(const char *name, const char *text, bool is_signed, char **ret,
		   struct rt_error *err)
{
	char *end = (char *)text;

	errno = 0;
	if (is_signed)
		(void)strtoll(text, &end, 10);
	else if (text[0] != '-')
		(void)strtoull(text, &end, 10);
	if (!*text || (!is_signed && text[0] == '-') || *end || errno)
		return rt_fail(err, EINVAL, "update --%s: \"%.64s\" is not %s", name, text,
			       is_signed ? "an integer" : "a non-negative integer");
	return (*ret = strdup(text)) ? 0 : rt_fail(err, ENOMEM, "out of memory");
}

/* -1 (unlimited), or a size with a unit */
static int size(const char *name, const char *text, char **ret, struct rt_error *err)
{
	static const char *const why[] = {[-UNITS_BAD_SIZE] = "is not a size",
					  [-UNITS_BAD_SUFFIX] = "has an unknown unit",
					  [-UNITS_TOO_LARGE] = "is too large"};
	int64_t bytes = -1;
	enum units_result r = strcmp(text, "-1") == 0 ? UNITS_OK : units_ram_in_bytes(text, &bytes);
	char buf[32];

	if (r != UNITS_OK)
		return rt_fail(err, EINVAL,
			       "update --%s: \"%.64s\" %s (bytes, or with a unit: k, m, g, t, p, "
			       "as 128m or 1.5GiB)",
			       name, text, why[-r]);
	snprintf(buf, sizeof(buf), "%lld", (long long)bytes);
	return (*ret = strdup(buf)) ? 0 : rt_fail(err, ENOMEM, "out of memory");
}

static int value(const struct flag *f, const char *text, char **ret, struct rt_error *err)
{
	switch (f->kind) {
	case SIZE:
		return size(f->name, text, ret, err);
	case UINT:
		return integer(f->name, text, false, ret, err);
	case INT:
		return integer(f->name, text, true, ret, err);
	case LIST:
		if (!*text || strlen(text) >= 1024 || strspn(text, "0123456789,-") != strlen(text))
			return rt_fail(err, EINVAL, "update --%s: \"%.64s\" is not a list (0-3,5)",
				       f->name, text);
		return (*ret = strdup(text)) ? 0 : rt_fail(err, ENOMEM, "out of memory");
	case REFUSED:
		break;
	}
	return rt_fail(err, ENOTSUP, "update --%s: %s", f->name, f->key);
}

struct update_cli {
	const char *file, *id;
	char *values[NFLAGS];
	bool any;
};

static int parse(int argc, char **argv, struct update_cli *c, struct rt_error *err)
{
	struct option opts[NFLAGS + 3] = {{"resources", required_argument, NULL, 'r'},
					  {"help", no_argument, NULL, 'h'}};
	int o;

	for (size_t k = 0; k < NFLAGS; k++)
		opts[k + 2] = (struct option){flags[k].name, required_argument, NULL, 256 + (int)k};
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]);
		if (o == 'r') {
			c->file = optarg;
		} else if (o >= 256 && o < 256 + (int)NFLAGS) {
			free(c->values[o - 256]);
			c->values[o - 256] = NULL;
			if (value(&flags[o - 256], optarg, &c->values[o - 256], err) < 0)
				return -EINVAL;
			c->any = true;
		} else {
			return rt_fail(err, EINVAL, "update: unknown or incomplete option \"%s\"",
				       argv[optind - 1]);
		}
	}
	if (cli_one_id(argc, argv, optind, &c->id, err) < 0)
		return -EINVAL;
	/* runc ignores the flags then; refused here rather than dropped */
	if (c->file && c->any)
		return rt_fail(err, EINVAL, "update: --resources and the other flags exclude "
					    "each other: give the limits in one of the two");
	if (!c->file && !c->any)
		return rt_fail(err, EINVAL, "update: nothing to update");
	return 0;
}

/* The new limits: the file's linux.resources object, or the flags' values
 * as its members. */
static int update_resources(const struct update_cli *c, struct resources **ret,
			    struct rt_error *err)
{
	struct resources_value v[NFLAGS];
	cleanup_free char *json = NULL;
	size_t n = 0;
	int r;

	if (c->file) {
		r = read_file(strcmp(c->file, "-") == 0 ? "/dev/stdin" : c->file, &json, NULL, err);
		if (r == 0)
			log_debug("update: container %s: %s", c->id, json);
		return r < 0 ? r : resources_parse(json, "linux.resources", ret, err);
	}
	for (size_t k = 0; k < NFLAGS; k++) {
		if (!c->values[k])
			continue;
		v[n++] = (struct resources_value){flags[k].object, flags[k].key, c->values[k],
						  flags[k].kind == LIST};
		log_debug("update: container %s: linux.resources.%s.%s = %s", c->id,
			  flags[k].object, flags[k].key, c->values[k]);
	}
	return resources_parse_values(v, n, "linux.resources", ret, err);
}

static int apply(const struct global_opts *g, const char *id, const struct resources *res,
		 struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct cgroups *grown = NULL;
	struct state st;
	int r = cli_load_cgroup(g, id, CLI_LIVE, "update it", &dirfd, &st, err), w;
	struct rt_error werr;

	if (r < 0)
		return r;
	/* what was joined is recorded, even when a later join failed: delete
	 * removes it */
	r = cgroups_extend(st.cgroups, res, &grown, err);
	if (grown) {
		free(st.cgroups);
		st.cgroups = grown;
		if ((w = state_write(dirfd, &st, r < 0 ? &werr : err)) < 0 && r == 0)
			r = w;
	}
	if (r == 0)
		r = cgroups_update(st.cgroups, res, err);
	state_free(&st);
	return r;
}

int cmd_update(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct update_cli c = {0};
	struct resources *res = NULL;
	int r = parse(argc, argv, &c, err);

	if (r == 0 && (r = update_resources(&c, &res, err)) == 0)
		r = apply(g, c.id, res, err);
	resources_free(res);
	for (size_t k = 0; k < NFLAGS; k++)
		free(c.values[k]);
	return r == CLI_DONE ? 0 : r;
}
