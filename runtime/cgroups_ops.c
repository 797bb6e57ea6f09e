/* cgroups_ops.c - what the commands do to a live container's cgroup: list
 * its processes, freeze and thaw it, signal all of it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroups_internal.h"
#include "util.h"

int cgroups_pids(const char *record, pid_t **ret_pids, size_t *ret_n, struct rt_error *err)
{
	struct cg_set set;
	cleanup_free char *text = NULL;
	char path[PATH_MAX];
	size_t n = 0;
	pid_t *pids;

	if (!record || cg_parse_record(record, &set) < 0 || set.n == 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	snprintf(path, sizeof(path), "%s/cgroup.procs", set.d[0].dir);
	if (read_file(path, &text, NULL, err) < 0)
		return -EINVAL;
	pids = calloc(strlen(text) / 2 + 1, sizeof(*pids));
	if (!pids)
		return rt_fail(err, ENOMEM, "out of memory");
	for (char *p = text, *end; *p; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		pids[n++] = (pid_t)v;
	}
	*ret_pids = pids;
	*ret_n = n;
	return 0;
}

/* Whether the freezer of d has settled in the state asked for: v1's
 * freezer.state passes through FREEZING, v2's cgroup.events says
 * "frozen 1" once every task has stopped. */
static bool settled(const struct cg_dir *d, bool freeze)
{
	char buf[512];
	const char *line;

	if (!d->v2)
		return cg_read(d->dir, "freezer.state", buf, sizeof(buf)) > 0 &&
		       strncmp(buf, freeze ? "FROZEN" : "THAWED", 6) == 0;
	if (cg_read(d->dir, "cgroup.events", buf, sizeof(buf)) <= 0)
		return false;
	line = strstr(buf, "frozen ");
	return line && line[7] == (freeze ? '1' : '0');
}

int cgroups_freeze(const char *record, bool freeze, struct rt_error *err)
{
	struct cg_set set;
	const struct cg_dir *d;

	if (!record || cg_parse_record(record, &set) < 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	d = cg_find(&set, "freezer", "cgroup.freeze");
	if (!d)
		return rt_fail(err, ENOTSUP, "no freezer cgroup for this container");
	if (cg_write(d, d->v2 ? "cgroup.freeze" : "freezer.state",
		     d->v2 ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED"), "freeze",
		     err) < 0)
		return -EINVAL;
	/* both freezers finish asynchronously: `pause` returns once it holds */
	for (int i = 0; i < 1000; i++) {
		if (settled(d, freeze))
			return 0;
		nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
	}
	return rt_fail(err, ETIMEDOUT, "the container did not %s", freeze ? "freeze" : "thaw");
}

bool cgroups_frozen(const char *record)
{
	struct cg_set set;
	const struct cg_dir *d;
	char buf[64];

	if (!record || cg_parse_record(record, &set) < 0)
		return false;
	d = cg_find(&set, "freezer", "cgroup.freeze");
	if (!d)
		return false;
	if (d->v2)
		return cg_read(d->dir, "cgroup.freeze", buf, sizeof(buf)) > 0 && buf[0] == '1';
	return cg_read(d->dir, "freezer.state", buf, sizeof(buf)) > 0 &&
	       strncmp(buf, "FROZEN", 6) == 0;
}

int cgroups_signal_all(const char *record, int sig, struct rt_error *err)
{
	struct cg_set set;
	pid_t *pids = NULL;
	size_t n = 0;

	/* v2 (5.14+) kills the whole cgroup in one write, forks in flight
	 * included, which a walk of cgroup.procs can miss */
	if (sig == SIGKILL && record && cg_parse_record(record, &set) == 0) {
		const struct cg_dir *d = cg_find(&set, NULL, "cgroup.kill");
		struct rt_error ignored;

		if (d && cg_write(d, "cgroup.kill", "1", "kill", &ignored) == 0)
			return 0;
	}
	if (cgroups_pids(record, &pids, &n, err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return 0;
}
