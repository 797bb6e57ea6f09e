/* cgroups_ops.c - what the commands do to a live container's cgroup: list
 * its processes, freeze and thaw it, signal all of it, read its usage. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroups_internal.h"
#include "util.h"

int cgroups_pids(const struct cgroups *cgroups, pid_t **ret_pids, size_t *ret_n,
		 struct rt_error *err)
{
	if (!cgroups || cgroups->n == 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	return cg_pids(&cgroups->d[0], ret_pids, ret_n, err);
}

/* Whether the freezer of d has settled in the state asked for: v1's
 * freezer.state passes through FREEZING, v2's cgroup.events says
 * "frozen 1" once every task has stopped. */
static bool settled(const struct cgroup_dir *d, bool freeze)
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

int cgroups_freeze(const struct cgroups *cgroups, bool freeze, struct rt_error *err)
{
	const struct cgroup_dir *d;
	int r;

	if (!cgroups)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	d = cg_find(cgroups, "freezer", "cgroup.freeze");
	if (!d)
		return rt_fail(err, ENOTSUP, "no freezer cgroup for this container");
	if ((r = cg_write(d, d->v2 ? "cgroup.freeze" : "freezer.state",
			  d->v2 ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED"), "freeze",
			  err)) < 0)
		return r;
	/* both freezers finish asynchronously: `pause` returns once it holds */
	for (int i = 0; i < 1000; i++) {
		if (settled(d, freeze))
			return 0;
		nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
	}
	return rt_fail(err, ETIMEDOUT, "the container did not %s", freeze ? "freeze" : "thaw");
}

bool cgroups_frozen(const struct cgroups *cgroups)
{
	const struct cgroup_dir *d;
	char buf[64];

	if (!cgroups)
		return false;
	d = cg_find(cgroups, "freezer", "cgroup.freeze");
	if (!d)
		return false;
	if (d->v2)
		return cg_read(d->dir, "cgroup.freeze", buf, sizeof(buf)) > 0 && buf[0] == '1';
	return cg_read(d->dir, "freezer.state", buf, sizeof(buf)) > 0 &&
	       strncmp(buf, "FROZEN", 6) == 0;
}

int cgroups_signal_all(const struct cgroups *cgroups, int sig, struct rt_error *err)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int r;

	/* v2 (5.14+) kills the whole cgroup in one write, forks in flight
	 * included, which a walk of cgroup.procs can miss */
	if (sig == SIGKILL && cgroups) {
		const struct cgroup_dir *d = cg_find(cgroups, NULL, "cgroup.kill");
		struct rt_error ignored;

		if (d && cg_write(d, "cgroup.kill", "1", "kill", &ignored) == 0)
			return 0;
	}
	if ((r = cgroups_pids(cgroups, &pids, &n, err)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return 0;
}

static long long read_num(const struct cgroups *cgroups, const char *v1_name, const char *v1_file,
			  const char *v2_file, const char *key)
{
	const struct cgroup_dir *d = cg_find(cgroups, v1_name, v2_file);
	char buf[4096], *p;

	if (!d || cg_read(d->dir, d->v2 ? v2_file : v1_file, buf, sizeof(buf)) <= 0)
		return -1;
	if (key) { /* a "key value" line of a flat-keyed file */
		p = strstr(buf, key);
		return p ? strtoll(p + strlen(key), NULL, 10) : -1;
	}
	return strncmp(buf, "max", 3) == 0 ? -1 : strtoll(buf, NULL, 10);
}

int cgroups_stats(const struct cgroups *cgroups, struct cgroups_stats *ret, struct rt_error *err)
{
	const struct cgroup_dir *acct;
	struct cgroups_stats s;

	if (!cgroups)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	acct = cg_find(cgroups, "cpuacct", "cpu.stat");
	if (acct && acct->v2) {
		s.cpu_ns = read_num(cgroups, NULL, NULL, "cpu.stat", "usage_usec ");
		s.cpu_ns = s.cpu_ns < 0 ? -1 : s.cpu_ns * 1000;
	} else {
		s.cpu_ns = read_num(cgroups, "cpuacct", "cpuacct.usage", "cpu.stat", NULL);
	}
	s.mem = read_num(cgroups, "memory", "memory.usage_in_bytes", "memory.current", NULL);
	s.mem_limit = read_num(cgroups, "memory", "memory.limit_in_bytes", "memory.max", NULL);
	/* the OOM killer's victims: v2 counts them in memory.events, v1 in
	 * memory.oom_control (4.13+) */
	s.oom_kills =
	    read_num(cgroups, "memory", "memory.oom_control", "memory.events", "oom_kill ");
	s.pids = read_num(cgroups, "pids", "pids.current", "pids.current", NULL);
	s.pids_limit = read_num(cgroups, "pids", "pids.max", "pids.max", NULL);
	*ret = s;
	return 0;
}
