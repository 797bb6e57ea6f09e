/* process_setup.c - the child's first and last steps, for the init and
 * `exec` alike (process_setup.h). Each step is one line of
 * process_setup_begin or process_setup_finish; the why of its place is
 * noted there. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "apparmor.h"
#include "hooks.h"
#include "namespaces.h"
#include "process.h"
#include "process_setup.h"
#include "procfs.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

void process_setup_fail(const struct process_setup *s, const struct rt_error *err)
{
	struct sync_msg msg = {.type = SYNC_ERROR, .errnum = err->errnum};
	char line[RT_ERROR_MAX + 32];
	int n;

	/* after READY `create` has exited and `run` only waits for our exit
	 * status: the message goes to our stderr, the container's */
	snprintf(msg.text, sizeof(msg.text), "%s", err->msg);
	if ((!s->ready || s->report_late) && sync_send(s->sync_fd, &msg) == 0)
		_exit(PROCESS_SETUP_FAILED);
	n = snprintf(line, sizeof(line), "mini-runtime: %s\n", *err->msg ? err->msg : "failed");
	write_all(2, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	_exit(PROCESS_SETUP_FAILED);
}

static int close_inherited(const struct process_setup *s, struct rt_error *err)
{
	int keep[3 + NS_COUNT] = {s->sync_fd, s->fifo_fd, s->console_fd};

	/* the namespaces opened for us by path stay (ns_path_fds): their
	 * paths may be where only host root can reach (containerd's pinned
	 * namespaces) */
	if (close_fds_except(3 + s->preserve_fds, keep, 3 + ns_path_fds(keep + 3)) < 0)
		return rt_fail_errno(err, errno, "close inherited fds");
	return 0;
}

static int open_host_proc(struct process_setup *s, struct rt_error *err)
{
	if (!s->need_procfs && !s->apparmor)
		return 0;
	if (procfs_open(&s->procfd, err) < 0)
		return -EIO;
	if (s->apparmor)
		return apparmor_open_exec_attr(s->procfd, &s->apparmor_fd, err);
	return 0;
}

int process_setup_begin(struct process_setup *s, struct rt_error *err)
{
	int r;

	s->procfd = s->apparmor_fd = -1;
	/* die with the runtime while it sets us up; cleared before READY */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* into our cgroups before anything is set up (and charged): the memory
	 * policy must not be checked against another cpuset (container.c) */
	if (s->cgroups && (r = cgroups_join_self(s->cgroups, err)) < 0)
		return r;
	/* before any path the config controls is resolved: nothing the caller
	 * left open (close-on-exec is not enough before execve), nor the
	 * runtime's own fds and the cgroup handles */
	if ((r = close_inherited(s, err)) < 0)
		return r;
	/* while our mount namespace is still a copy of the runtime's: nothing
	 * the container controls is joined or mounted yet */
	return open_host_proc(s, err);
}

static int setup_terminal(const struct process_setup *s, struct rt_error *err)
{
	const struct spec_process *p = s->process;

	if (!p || !p->terminal || s->console_fd < 0)
		return 0;
	return terminal_setup(s->console_fd, p, s->make_console, err);
}

static int set_limits(const struct process_setup *s, struct rt_error *err)
{
	return s->process ? process_set_limits(s->spec, s->process, err) : 0;
}

/* chdir(process.cwd), which the config controls: a path through
 * /proc/self/fd/N of an fd to a host directory would put the process
 * outside its root. getcwd fails (ENOENT, "(unreachable)" from the kernel)
 * for a directory not under our root. Both callers are at "/" already,
 * the usual process.cwd. */
static int enter_cwd(const struct process_setup *s, struct rt_error *err)
{
	const char *cwd = s->process ? s->process->cwd : NULL;
	char buf[PATH_MAX];

	if (!cwd || strcmp(cwd, "/") == 0)
		return 0;
	if (chdir(cwd) < 0)
		return rt_fail_errno(err, errno, "process.cwd: chdir %s", cwd);
	if (!getcwd(buf, sizeof(buf)))
		return rt_fail_errno(err, errno, "process.cwd: %s is not inside the container",
				     cwd);
	return 0;
}

/* Read back so `state` shows what the kernel installed, not what was asked
 * (an exec's parent has no use for it). */
static int apply_memory_policy(const struct process_setup *s, struct sync_msg *ready,
			       struct rt_error *err)
{
	const struct spec *spec = s->spec;
	int r;

	if (!spec->has_memory_policy)
		return 0;
	r = mpol_apply(&spec->memory_policy, mpol_sys_set, NULL, err->msg, sizeof(err->msg));
	if (r == 0)
		r = mpol_read_back(mpol_sys_get, &ready->policy, err->msg, sizeof(err->msg));
	if (r < 0) {
		err->errnum = -r;
		return r;
	}
	ready->has_policy = 1;
	return 0;
}

static int find_program(const struct process_setup *s, char *buf, size_t len,
			struct rt_error *err)
{
	return s->process ? process_find_program(s->process, buf, len, err) : 0;
}

/* `create` exits after READY: from here we outlive it. */
static int report_ready(struct process_setup *s, const struct sync_msg *ready,
			struct rt_error *err)
{
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (sync_send(s->sync_fd, ready) < 0)
		return rt_fail(err, EPIPE, "the runtime exited before the process was ready");
	s->ready = true;
	return 0;
}

/* Blocks until `start` writes a byte into the exec fifo or, for `run` and
 * exec, SYNC_START. The parent opened the fifo read-write for us: holding
 * the state directory instead would hand a host directory to anything that
 * can reach our /proc/<pid>/fd while we wait (an `exec` with
 * CAP_SYS_PTRACE). */
static int wait_for_start(const struct process_setup *s, struct rt_error *err)
{
	char byte;
	ssize_t n;

	if (s->fifo_fd < 0)
		return sync_expect(s->sync_fd, SYNC_START, "waiting for start", NULL, err);
	while ((n = read(s->fifo_fd, &byte, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return rt_fail_errno(err, n < 0 ? errno : EIO, "read the exec fifo");
	/* left open: execve closes it, which tells `start` the program runs */
	return 0;
}

static int apply_apparmor(struct process_setup *s, struct rt_error *err)
{
	if (s->apparmor_fd < 0)
		return 0;
	return apparmor_apply(steal_fd(&s->apparmor_fd), s->process->apparmor_profile, err);
}

static int drop_privileges(const struct process_setup *s, struct rt_error *err)
{
	if (!s->process)
		return rt_fail(err, EINVAL, "process: the container has nothing to run");
	return process_drop_privileges(s->process, s->seccomp, err);
}

static int run_start_hooks(const struct process_setup *s, struct rt_error *err)
{
	if (!s->start_state)
		return 0;
	return hooks_run(s->spec, HOOK_START_CONTAINER, s->start_state, err);
}

void process_setup_finish(struct process_setup *s)
{
	struct sync_msg ready = {.type = SYNC_READY};
	struct rt_error err = {0};
	char program[PATH_MAX] = "";

	/* in the container's root, its /dev: the pty's slave is found there */
	process_setup_step(s, setup_terminal(s, &err), &err);
	process_setup_step(s, set_limits(s, &err), &err);
	process_setup_step(s, enter_cwd(s, &err), &err);
	/* after the process setup, before any seccomp filter (a profile may
	 * deny set_mempolicy); execve keeps it */
	process_setup_step(s, apply_memory_policy(s, &ready, &err), &err);
	/* a missing program fails `create` (or exec), not the later `start` */
	process_setup_step(s, find_program(s, program, sizeof(program), &err), &err);
	test_pause("init");
	process_setup_step(s, report_ready(s, &ready, &err), &err);
	process_setup_step(s, wait_for_start(s, &err), &err);
	/* the profile for our execve (and a startContainer hook's), before
	 * no_new_privs, which would restrict the transition */
	process_setup_step(s, apply_apparmor(s, &err), &err);
	/* seccomp, bounding set, user, capabilities, no_new_privs: process.c */
	process_setup_step(s, drop_privileges(s, &err), &err);
	/* the hook's binary comes from the image: it runs as the process
	 * would, after the capability drop, the user switch, no_new_privs and
	 * seccomp (as runc), never with the runtime's privileges */
	process_setup_step(s, run_start_hooks(s, &err), &err);
	/* success closes the close-on-exec sync socket: the parent sees EOF */
	process_exec(s->process, program, &err);
	process_setup_fail(s, &err);
}
