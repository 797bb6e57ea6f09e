/* cgroup_cmds.c - the commands that act on the container's cgroup: ps,
 * pause, resume, update, events --stats. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "commands.h"
#include "resources.h"
#include "state.h"
#include "util.h"

/* Locks and reads the container (state_load), which must have a cgroup. */
static int load(const struct global_opts *g, const char *id, unsigned allowed, const char *op,
		int *ret_dirfd, struct state *st, struct rt_error *err)
{
	enum state_status s;

	if (state_load(g->root, id, allowed, op, ret_dirfd, st, &s, err) < 0)
		return -EINVAL;
	if (!st->cgroup_json) {
		state_free(st);
		return rt_fail(err, ENOENT, "container %s has no cgroup", id);
	}
	return 0;
}

#define LIVE (STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING) | STATE_MASK(STATUS_PAUSED))

int cmd_ps(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {NULL, 0, NULL, 0}};
	cleanup_close int dirfd = -1;
	const char *format = "table";
	struct state st;
	pid_t *pids = NULL;
	size_t n = 0;
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (o != 'f')
			return rt_fail(err, EINVAL, "ps: unknown option \"%s\"", argv[optind - 1]);
		format = optarg;
	}
	if (strcmp(format, "json") && strcmp(format, "table"))
		return rt_fail(err, EINVAL, "ps --format: \"%s\" is not table or json", format);
	if (optind >= argc)
		return rt_fail(err, EINVAL, "ps: missing container id");
	if (load(g, argv[optind], LIVE | STATE_MASK(STATUS_STOPPED), "list its processes", &dirfd,
		 &st, err) < 0 ||
	    cgroups_pids(st.cgroup_json, &pids, &n, err) < 0) {
		return -EINVAL;
	}
	state_free(&st);
	if (strcmp(format, "json") == 0) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
	} else {
		printf("PID\n");
		for (size_t i = 0; i < n; i++)
			printf("%d\n", (int)pids[i]);
	}
	free(pids);
	return 0;
}

static int freeze(int argc, char **argv, const struct global_opts *g, bool on,
		  struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct state st;
	const char *id;
	int r;

	if (cli_one_id(argc, argv, 1, &id, err) < 0 ||
	    load(g, id,
		 on ? STATE_MASK(STATUS_RUNNING) | STATE_MASK(STATUS_CREATED)
		    : STATE_MASK(STATUS_PAUSED),
		 on ? "pause it" : "resume it", &dirfd, &st, err) < 0)
		return -EINVAL;
	r = cgroups_freeze(st.cgroup_json, on, err);
	state_free(&st);
	return r;
}

int cmd_pause(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	return freeze(argc, argv, g, true, err);
}

int cmd_resume(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	return freeze(argc, argv, g, false, err);
}

/* The flags runc's update takes: which object of linux.resources and which
 * key each sets. */
static const struct {
	const char *flag, *object, *key;
	bool quoted;
} update_flags[] = {
	{"memory", "memory", "limit", false},
	{"memory-reservation", "memory", "reservation", false},
	{"memory-swap", "memory", "swap", false},
	{"pids-limit", "pids", "limit", false},
	{"cpu-quota", "cpu", "quota", false},
	{"cpu-period", "cpu", "period", false},
	{"cpu-share", "cpu", "shares", false},
	{"cpuset-cpus", "cpu", "cpus", true},
	{"cpuset-mems", "cpu", "mems", true},
	{"blkio-weight", "blockIO", "weight", false},
};

/* Appends to buf while it fits; *off past len tells the caller it did not. */
static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	*off += n > 0 ? (size_t)n : 0;
}

/* Builds {"memory":{...},"cpu":{...},...} from the flags given. */
static int flags_to_json(const char *values[], char **ret_json)
{
	static const char *const objects[] = {"memory", "pids", "cpu", "blockIO"};
	char buf[4096];
	size_t off = 0;

	append(buf, sizeof(buf), &off, "{");
	for (size_t o = 0; o < ARRAY_SIZE(objects); o++) {
		bool first = true;

		for (size_t k = 0; k < ARRAY_SIZE(update_flags); k++) {
			if (!values[k] || strcmp(update_flags[k].object, objects[o]))
				continue;
			if (first)
				append(buf, sizeof(buf), &off, "%s\"%s\":{", off > 1 ? "," : "",
				       objects[o]);
			else
				append(buf, sizeof(buf), &off, ",");
			append(buf, sizeof(buf), &off, "\"%s\":%s%s%s", update_flags[k].key,
			       update_flags[k].quoted ? "\"" : "", values[k],
			       update_flags[k].quoted ? "\"" : "");
			first = false;
		}
		if (!first)
			append(buf, sizeof(buf), &off, "}");
	}
	append(buf, sizeof(buf), &off, "}");
	if (off >= sizeof(buf))
		return -E2BIG;
	*ret_json = strdup(buf);
	return *ret_json ? 0 : -ENOMEM;
}

/* A whole decimal integer (-1 is "unlimited" for some), or a cpu/node list. */
static bool valid_value(const char *value, bool list)
{
	char *end;

	if (list)
		return *value && strlen(value) < 1024 &&
		       strspn(value, "0123456789,-") == strlen(value);
	errno = 0;
	(void)strtoll(value, &end, 10);
	return *value && !*end && errno == 0;
}

static int update_json(int argc, char **argv, char **ret_json, const char **ret_id,
		       struct rt_error *err)
{
	const char *values[ARRAY_SIZE(update_flags)] = {0}, *file = NULL;
	bool any = false;
	int i;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *name = argv[i] + 2, *value = i + 1 < argc ? argv[i + 1] : NULL;
		size_t k;

		if (!value)
			return rt_fail(err, EINVAL, "update: %s needs a value", argv[i]);
		if (strcmp(name, "resources") == 0) {
			file = value;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(update_flags); k++)
			if (strcmp(name, update_flags[k].flag) == 0)
				break;
		if (k == ARRAY_SIZE(update_flags))
			return rt_fail(err, EINVAL, "update: unknown option --%s", name);
		if (!valid_value(value, update_flags[k].quoted))
			return rt_fail(err, EINVAL, "update --%s: \"%.64s\" is not a %s", name, value,
				       update_flags[k].quoted ? "list" : "number");
		values[k] = value;
		any = true;
	}
	if (i >= argc)
		return rt_fail(err, EINVAL, "update: missing container id");
	*ret_id = argv[i];
	if (file)
		return read_file(strcmp(file, "-") == 0 ? "/dev/stdin" : file, ret_json, NULL, err);
	if (!any)
		return rt_fail(err, EINVAL, "update: nothing to update");
	if (flags_to_json(values, ret_json) < 0)
		return rt_fail(err, E2BIG, "update: the values given are too long");
	return 0;
}

int cmd_update(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	cleanup_free char *json = NULL;
	struct resources *res = NULL;
	struct state st;
	const char *id = NULL;
	int r;

	if (update_json(argc, argv, &json, &id, err) < 0 ||
	    resources_parse(json, "linux.resources", &res, err) < 0)
		return -EINVAL;
	r = load(g, id, LIVE, "update it", &dirfd, &st, err);
	if (r == 0) {
		char *record = NULL;

		r = cgroups_extend(st.cgroup_json, res, &record, err);
		if (r == 0 && strcmp(record, st.cgroup_json) != 0) {
			free(st.cgroup_json);
			st.cgroup_json = steal_ptr(&record);
			r = state_write(dirfd, &st, err);
		}
		free(record);
		if (r == 0)
			r = cgroups_update(st.cgroup_json, res, err);
		state_free(&st);
	}
	resources_free(res);
	return r;
}

int cmd_events(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	cleanup_free char *json = NULL;
	struct state st;
	int i = 1;

	if (i < argc && strcmp(argv[i], "--stats") == 0)
		i++;
	else
		return rt_fail(err, ENOTSUP, "events: only --stats is supported");
	if (i >= argc)
		return rt_fail(err, EINVAL, "events: missing container id");
	if (load(g, argv[i], LIVE | STATE_MASK(STATUS_STOPPED), "read its stats", &dirfd, &st,
		 err) < 0)
		return -EINVAL;
	i = cgroups_stats_json(st.cgroup_json, st.id, &json, err);
	state_free(&st);
	if (i < 0)
		return i;
	printf("%s\n", json);
	return 0;
}
