/* container_delete.c - the end of a container's life: `kill`, `delete`,
 * and the destroy that create's failure, `run` and `delete` share. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "container.h"
#include "hooks.h"
#include "util.h"

/* Kills pid (if it is still the same process) and reaps or waits it out. */
static void kill_and_wait(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return;
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	/* our child: reap it; someone else's: wait until it is gone */
	if (waitpid(pid, NULL, 0) < 0) {
		struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
		poll(&pfd, 1, 5000);
	}
	close(pidfd);
}

static void kill_cgroup(const struct cgroups *cgroups)
{
	struct rt_error ignored;

	cgroups_signal_all(cgroups, SIGKILL, &ignored);
}

/* The spec: a failing poststop hook is a warning, deletion goes on. */
static void run_poststop(const char *id, const struct spec *spec, pid_t pid,
			 struct rt_error *warn)
{
	struct state st = {.pid = pid};
	cleanup_free char *json = NULL;
	struct rt_error ignored;

	if (!spec || !spec->hooks[HOOK_POSTSTOP].count)
		return;
	snprintf(st.id, sizeof(st.id), "%s", id);
	st.bundle = spec->bundle;
	st.rootfs = spec->root_path;
	st.annotations = spec->annotations;
	st.nannotations = spec->nannotations;
	json = state_to_json(&st, STATUS_STOPPED);
	if (json)
		hooks_run(spec, HOOK_POSTSTOP, json, warn ? warn : &ignored);
}

/* emptied: the init of a pid namespace of its own was reaped, and the
 * kernel killed everything else in that namespace before; nothing of it
 * is left to kill or can be frozen. */
static int destroy(const char *root, const char *id, const struct spec *spec, pid_t pid,
		   const struct cgroups *cgroups, bool emptied, struct rt_error *warn,
		   struct rt_error *err)
{
	struct rt_error ignored;

	/* a paused container: a frozen task takes SIGKILL only once thawed.
	 * Killed first, then thawed, so nothing of it runs again */
	if (cgroups && !emptied && cgroups_frozen(cgroups)) {
		kill_cgroup(cgroups);
		cgroups_freeze(cgroups, false, &ignored);
	}
	if (pid > 0)
		kill_and_wait(pid);
	/* kill what the init left behind in its cgroup (a shared pid namespace) */
	if (cgroups) {
		if (!emptied)
			kill_cgroup(cgroups);
		if (cgroups_destroy(cgroups, err) < 0)
			return -EBUSY;
	}
	run_poststop(id, spec, pid, warn);
	return state_remove_dir(root, id, err);
}

int container_destroy(const char *root, const char *id, const struct spec *spec, pid_t pid,
		      const struct cgroups *cgroups, struct rt_error *warn, struct rt_error *err)
{
	return destroy(root, id, spec, pid, cgroups, false, warn, err);
}

int container_end_run(struct container *c, const char *root, struct rt_error *warn,
		      struct rt_error *err)
{
	bool emptied = c->spec->ns[NS_PID].enabled && !c->spec->ns[NS_PID].path;

	/* others (kill, state, delete) may have locked it while it ran; a
	 * `delete --force` meanwhile leaves nothing to do */
	if (state_open_dir(root, c->state.id, &c->dirfd, err) < 0)
		return err->errnum == ENOENT ? 0 : -EINVAL;
	return destroy(root, c->state.id, c->spec, 0, c->state.cgroups, emptied, warn, err);
}

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

int container_kill(const char *root, const char *id, int sig, bool all, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct state st;
	enum state_status status;
	int r;

	/* --all reaches a stopped container too, as runc's does: its init is
	 * gone, but in the host's pid namespace (or a pod's) what it started
	 * lives on in its cgroup, holding the shim's pipes open */
	unsigned allowed = all ? STATE_ANY : STATE_ANY & ~STATE_MASK(STATUS_STOPPED);

	if ((r = container_load_state(root, id, allowed, "kill it", &dirfd, &st, &status, err)) < 0) {
		/* runc's words: containerd's shim takes an error containing
		 * "container not running" for "already exited", not a failure */
		if (err->errnum == ESRCH)
			return rt_fail(err, ESRCH, "kill %s: container not running", id);
		return r;
	}
	/* --all: every process in the container's cgroup (a container sharing
	 * the host's pid namespace outlives its init otherwise) */
	if (status == STATUS_STOPPED && !st.cgroups) {
		state_free(&st);
		return rt_fail(err, ESRCH, "kill %s: container not running", id);
	}
	r = all && st.cgroups ? cgroups_signal_all(st.cgroups, sig, err)
				  : signal_init(&st, sig, err);
	/* its cgroup gone too (a systemd scope goes once empty): nothing of
	 * it runs, in the words the shim takes for "already exited" */
	if (r < 0 && status == STATUS_STOPPED)
		r = rt_fail(err, ESRCH, "kill %s: container not running", id);
	state_free(&st);
	return r;
}

int container_delete(const char *root, const char *id, bool force, struct rt_error *warn,
		     struct rt_error *err)
{
	struct container c;
	struct rt_error no_config = {0};
	unsigned allowed = force ? STATE_ANY : STATE_MASK(STATUS_STOPPED);
	int r;

	if (container_load(root, id, allowed, force ? "delete it" : "delete it without --force", &c,
			   &no_config, err) < 0)
		return force && err->errnum == ENOENT ? 0 : -EINVAL;
	/* the container goes all the same (a state directory of an older
	 * runtime, say, which kept no config) */
	if (no_config.msg[0]) {
		*warn = no_config;
		rt_wrap(warn, "delete %s: no poststop hooks", id);
	}
	r = container_destroy(root, id, c.spec, c.status == STATUS_STOPPED ? 0 : c.state.pid,
			      c.state.cgroups, warn, err);
	container_release(&c);
	return r;
}
