/* kill.c - `kill [--all] ID [SIGNAL]` and `delete [--force] ID`. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups.h"
#include "commands.h"
#include "container.h"
#include "log.h"
#include "signals.h"
#include "state.h"
#include "util.h"

/* Signals the init through a pidfd whose start time matches the state, so
 * a reused pid is never hit. */
static int signal_init(const struct state *st, int sig, struct rt_error *err)
{
	int pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0), r = 0;
	unsigned long long start = 0;

	if (pidfd < 0 || proc_stat(st->pid, &start, NULL) < 0 || start != st->start_time)
		r = rt_fail(err, ESRCH, "kill %s: container not running", st->id);
	else if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		r = rt_fail_errno(err, errno, "kill container %s", st->id);
	if (pidfd >= 0)
		close(pidfd);
	return r;
}

/* --all: every process in the container's cgroup (a container sharing the
 * host's pid namespace outlives its init otherwise). */
static int signal_all(const struct state *st, int sig, struct rt_error *err)
{
	pid_t *pids = NULL;
	size_t n = 0;

	if (cgroups_pids(st->cgroup_json, &pids, &n, err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return 0;
}

int cmd_kill(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
	cleanup_close int dirfd = -1;
	struct state st = {0};
	const char *id;
	int sig = SIGTERM, o, r;
	bool all = false;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "a", opts, NULL)) != -1) {
		if (o != 'a')
			return rt_fail(err, EINVAL, "kill: unknown option \"%s\"", argv[optind - 1]);
		all = true;
	}
	if (optind >= argc)
		return rt_fail(err, EINVAL, "kill: missing container id");
	id = argv[optind];
	if (optind + 2 < argc)
		return rt_fail(err, EINVAL, "kill: unexpected argument \"%s\"", argv[optind + 2]);
	if (optind + 1 < argc && signal_parse(argv[optind + 1], &sig) < 0)
		return rt_fail(err, EINVAL, "kill: unknown signal \"%s\"", argv[optind + 1]);
	if (state_open_dir(g->root, id, &dirfd, err) < 0 || state_read(dirfd, id, &st, err) < 0)
		return -EINVAL;
	switch (state_status(dirfd, &st)) {
	case STATUS_STOPPED:
		/* runc's words: containerd's shim takes an error containing
		 * "container not running" for "already exited", not a failure */
		r = rt_fail(err, ESRCH, "kill %s: container not running", id);
		break;
	default:
		r = all && st.cgroup_json ? signal_all(&st, sig, err) : signal_init(&st, sig, err);
	}
	state_free(&st);
	return r < 0 ? r : 0;
}

int cmd_delete(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	cleanup_close int dirfd = -1;
	struct state st = {0};
	struct spec *spec = NULL;
	enum state_status status;
	bool force = false;
	const char *id;
	int o, r;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (o != 'f')
			return rt_fail(err, EINVAL, "delete: unknown option \"%s\"",
				       argv[optind - 1]);
		force = true;
	}
	if (cli_one_id(argc, argv, optind, &id, err) < 0)
		return -EINVAL;
	if (state_open_dir(g->root, id, &dirfd, err) < 0)
		return (force && err->errnum == ENOENT) ? 0 : -EINVAL;
	if (state_read(dirfd, id, &st, err) < 0) {
		/* a create killed before it wrote state.json: nothing but the directory */
		if (!force)
			return -EINVAL;
		return state_remove_dir(g->root, id, err);
	}
	status = state_status(dirfd, &st);
	if (status != STATUS_STOPPED && !force) {
		r = rt_fail(err, EBUSY, "container %s is %s: stop it first or use --force", id,
			    state_status_name(status));
		state_free(&st);
		return r;
	}
	if (spec_load(st.bundle, &spec, err) < 0) {
		log_warn("delete %s: no poststop hooks: %s", id, err->msg);
		spec = NULL;
	}
	r = container_destroy(g->root, id, spec, status == STATUS_STOPPED ? 0 : st.pid,
			      st.cgroup_json, err);
	spec_free(spec);
	state_free(&st);
	return r;
}
