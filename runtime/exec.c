/* exec.c - a process in a running container: the parent joins the pid and
 * time namespaces and forks; the child joins the rest and the container's
 * root between process_setup_begin and process_setup_finish, the steps it
 * shares with the init (process_setup.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "container.h"
#include "exec.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "procfs.h"
#include "process_setup.h"
#include "rootless.h"
#include "seccomp_profile.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

struct exec_child {
	const struct exec_opts *o;
	int sync_fd, console_fd;
	struct seccomp_filter *filter;
	struct cg_join cgroups;
};

/* A container without a mount namespace of its own is a chroot in the
 * caller's mount namespace, and joining a mount namespace puts us at its
 * root, not in a chroot: hold the init's root before joining, and enter it
 * afterwards if we are not there already. */
static int open_init_root(pid_t pid, int *ret_fd, struct rt_error *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	*ret_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*ret_fd < 0)
		return rt_fail_errno(err, errno, "exec: open the container's root");
	return 0;
}

static int enter_init_root(int rootfd, struct rt_error *err)
{
	struct stat want, have;
	int r = 0;

	if (fstat(rootfd, &want) < 0 || stat("/", &have) < 0)
		r = rt_fail_errno(err, errno, "exec: stat the container's root");
	else if ((want.st_dev != have.st_dev || want.st_ino != have.st_ino) &&
		 (fchdir(rootfd) < 0 || chroot(".") < 0))
		r = rt_fail_errno(err, errno, "exec: enter the container's root");
	/* at "/" as the init is, where process.cwd "/" leaves us (without a
	 * mount namespace joined we were in the caller's cwd) */
	else if (chdir("/") < 0)
		r = rt_fail_errno(err, errno, "exec: enter the container's root");
	close(rootfd);
	return r;
}

/* oom_score_adj before joining: after it, /proc would be the container's,
 * which it can have overmounted to redirect the write */
static int set_oom_score(struct process_setup *s, struct rt_error *err)
{
	int r = process_set_oom_score(s->procfd, s->process, err);

	if (s->procfd >= 0)
		close(steal_fd(&s->procfd));
	return r;
}

/* The container's namespaces (the pid and time ones were joined before the
 * fork: they apply to children) and its root. */
static int join_container(pid_t pid, struct rt_error *err)
{
	int rootfd = -1, r;

	if ((r = open_init_root(pid, &rootfd, err)) < 0)
		return r;
	if ((r = ns_join_process(pid, false, err)) < 0) {
		close(rootfd);
		return r;
	}
	return enter_init_root(rootfd, err);
}

__attribute__((noreturn)) static void child_main(const struct exec_child *c)
{
	const struct exec_opts *o = c->o;
	struct process_setup s = {
		.spec = o->spec,
		.process = o->process,
		.cgroups = &c->cgroups,
		.sync_fd = c->sync_fd,
		.fifo_fd = -1,
		.console_fd = c->console_fd,
		.preserve_fds = o->preserve_fds,
		.need_procfs = o->process->has_oom_score_adj,
		.apparmor = o->apparmor,
		/* exec_start waits for execve (EOF) or the error */
		.report_late = true,
		.seccomp = c->filter,
	};
	struct rt_error err = {0};

	/* PDEATHSIG, the container's cgroups, no inherited fds, the host's /proc */
	process_setup_step(&s, process_setup_begin(&s, &err), &err);
	process_setup_step(&s, set_oom_score(&s, &err), &err);
	process_setup_step(&s, join_container(o->state->pid, &err), &err);
	/* terminal, rlimits, cwd, memory policy, program, READY, START,
	 * AppArmor, privileges, execve */
	process_setup_finish(&s);
}

static int open_console(const struct exec_opts *o, int *ret_ours, int *ret_child,
			struct rt_error *err)
{
	int sv[2];

	if (!o->process->terminal)
		return 0;
	if (o->console_socket)
		return terminal_connect(o->console_socket, ret_child, err);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail_errno(err, errno, "socketpair");
	*ret_ours = sv[0];
	*ret_child = sv[1];
	return 0;
}

/* Parent side once the child is forked: release it, confirm exec. */
static int serve_child(int sync_fd, struct rt_error *err)
{
	struct sync_msg msg;
	int r;

	if ((r = sync_expect(sync_fd, SYNC_READY, "setting up the process", NULL, err)) < 0)
		return r;
	if (sync_send_type(sync_fd, SYNC_START) < 0)
		return rt_fail(err, EPIPE, "the process exited before it could start");
	r = sync_recv(sync_fd, &msg);
	if (r == 0 && msg.type == SYNC_ERROR)
		return rt_fail(err, msg.errnum, "%s", msg.text);
	return 0;
}

static long fork_into(void *cgroups)
{
	return cgroups_clone_into(0, cgroups);
}

static int nothing_more(void *ctx, struct rt_error *err)
{
	(void)ctx, (void)err;
	return 0;
}

int exec_start(const struct exec_opts *o, pid_t *ret_pid, int *ret_console, struct rt_error *err)
{
	/* rootless: the pid namespace is joined by a child inside the user
	 * namespace that owns it (namespaces.h) */
	struct ns_spawner inside = {fork_into, nothing_more, NULL};
	bool via_user = rootless();
	struct exec_child c = {.o = o, .sync_fd = -1, .console_fd = -1, .cgroups = {.v2_dir = -1}};
	cleanup_close int ours = -1, console_ours = -1;
	int sv[2], r, clone_errno;
	long pid;

	if (o->spec->seccomp && (r = seccomp_filter_build(o->spec->seccomp, &c.filter, err)) < 0)
		return r;
	r = open_console(o, &console_ours, &c.console_fd, err);
	if (r == 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		r = rt_fail_errno(err, errno, "socketpair");
	if (r == 0) {
		ours = sv[0];
		c.sync_fd = sv[1];
	}
	if (r == 0)
		r = cgroups_open_join(o->state->cgroups, false, &c.cgroups, err);
	/* the pid and time namespaces apply to children: join them here, and
	 * take our own back after the fork (nothing else we fork, such as a
	 * sanitizer's helper thread, belongs in the container) */
	if (r == 0 && !via_user && ns_join_process(o->state->pid, true, err) < 0)
		r = -EINVAL;
	if (r < 0) {
		seccomp_filter_free(c.filter);
		cgroups_close_join(&c.cgroups);
		if (c.console_fd >= 0)
			close(c.console_fd);
		if (c.sync_fd >= 0)
			close(c.sync_fd);
		return r;
	}
	inside.ctx = &c.cgroups;
	pid = via_user ? ns_fork_in_process_user(o->state->pid, &inside, err)
		       : cgroups_clone_into(0, &c.cgroups);
	clone_errno = errno;
	if (pid == 0) {
		close(ours);
		if (console_ours >= 0)
			close(console_ours);
		child_main(&c);
	}
	close(c.sync_fd);
	if (c.console_fd >= 0)
		close(c.console_fd);
	seccomp_filter_free(c.filter);
	cgroups_close_join(&c.cgroups);
	if (pid < 0)
		return via_user ? -EINVAL : rt_fail_errno(err, clone_errno, "fork");
	if ((r = ns_restore_parent(err)) < 0) {
		kill((pid_t)pid, SIGKILL);
		waitpid((pid_t)pid, NULL, 0);
		return r;
	}
	log_debug("exec %s: process %d forked, joining the container", o->state->id, (int)pid);
	r = serve_child(ours, err);
	if (r == 0)
		log_debug("exec %s: the process is set up and runs", o->state->id);
	if (r == 0 && console_ours >= 0)
		r = terminal_recv_master(console_ours, ret_console, err);
	/* last: a failure after it would leave the file behind */
	if (r == 0 && o->pid_file)
		r = container_write_pid_file(o->pid_file, (pid_t)pid, err);
	if (r < 0) {
		kill((pid_t)pid, SIGKILL);
		waitpid((pid_t)pid, NULL, 0);
		return r;
	}
	*ret_pid = (pid_t)pid;
	return 0;
}
