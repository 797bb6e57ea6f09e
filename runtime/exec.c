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

#include "apparmor.h"
#include "cgroups.h"
#include "container.h"
#include "exec.h"
#include "init.h"
#include "namespaces.h"
#include "process.h"
#include "procfs.h"
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

__attribute__((noreturn)) static void child_fail(int sync_fd, const struct rt_error *err)
{
	struct sync_msg msg = {.type = SYNC_ERROR, .errnum = err->errnum};

	snprintf(msg.text, sizeof(msg.text), "%s", err->msg);
	sync_send(sync_fd, &msg);
	_exit(127);
}

static int apply_policy(const struct spec *spec, struct rt_error *err)
{
	int r;

	if (!spec->has_memory_policy)
		return 0;
	r = mpol_apply(&spec->memory_policy, mpol_sys_set, NULL, err->msg, sizeof(err->msg));
	if (r < 0)
		err->errnum = -r;
	return r;
}

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
		 (fchdir(rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0))
		r = rt_fail_errno(err, errno, "exec: enter the container's root");
	close(rootfd);
	return r;
}

__attribute__((noreturn)) static void child_main(const struct exec_child *c)
{
	const struct spec_process *p = c->o->process;
	struct rt_error err = {0};
	char program[PATH_MAX];
	int rootfd, procfd = -1, apparmor_fd = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (cgroups_join_self(&c->cgroups, &err) < 0)
		child_fail(c->sync_fd, &err);
	/* what the caller left open must not reach the container: see init.c */
	if (close_fds_except(3 + c->o->preserve_fds, (const int[]){c->sync_fd, c->console_fd},
			     2) < 0) {
		rt_fail_errno(&err, errno, "close inherited fds");
		child_fail(c->sync_fd, &err);
	}
	/* oom_score_adj before joining: after it, /proc would be the
	 * container's, which it can have overmounted to redirect the write */
	if ((p->has_oom_score_adj || c->o->apparmor) &&
	    (procfs_open(&procfd, &err) < 0 || process_set_oom_score(procfd, p, &err) < 0 ||
	     (c->o->apparmor && apparmor_open_exec_attr(procfd, &apparmor_fd, &err) < 0)))
		child_fail(c->sync_fd, &err);
	if (procfd >= 0)
		close(procfd);
	if (open_init_root(c->o->state->pid, &rootfd, &err) < 0 ||
	    ns_join_process(c->o->state->pid, false, &err) < 0 ||
	    enter_init_root(rootfd, &err) < 0)
		child_fail(c->sync_fd, &err);
	if (p->terminal && c->console_fd >= 0 && terminal_setup(c->console_fd, p, false, &err) < 0)
		child_fail(c->sync_fd, &err);
	if (process_set_limits(c->o->spec, p, &err) < 0)
		child_fail(c->sync_fd, &err);
	if (init_enter_cwd(p->cwd, &err) < 0)
		child_fail(c->sync_fd, &err);
	if (apply_policy(c->o->spec, &err) < 0 ||
	    process_find_program(p, program, sizeof(program), &err) < 0)
		child_fail(c->sync_fd, &err);
	if (sync_send_type(c->sync_fd, SYNC_READY) < 0 ||
	    sync_expect(c->sync_fd, SYNC_START, "waiting for start", NULL, &err) < 0)
		_exit(127);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	/* before no_new_privs, as the init does */
	if (apparmor_fd >= 0 && apparmor_apply(apparmor_fd, p->apparmor_profile, &err) < 0)
		child_fail(c->sync_fd, &err);
	if (process_drop_privileges(p, c->filter, &err) < 0)
		child_fail(c->sync_fd, &err);
	/* success closes the close-on-exec sync socket: the parent sees EOF */
	process_exec(p, program, &err);
	child_fail(c->sync_fd, &err);
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

	if (sync_expect(sync_fd, SYNC_READY, "setting up the process", NULL, err) < 0)
		return -EINVAL;
	if (sync_send_type(sync_fd, SYNC_START) < 0)
		return rt_fail(err, EPIPE, "the process exited before it could start");
	r = sync_recv(sync_fd, &msg);
	if (r == 0 && msg.type == SYNC_ERROR)
		return rt_fail(err, msg.errnum, "%s", msg.text);
	return 0;
}

int exec_start(const struct exec_opts *o, pid_t *ret_pid, int *ret_console, struct rt_error *err)
{
	struct exec_child c = {.o = o, .sync_fd = -1, .console_fd = -1, .cgroups = {.v2_dir = -1}};
	cleanup_close int ours = -1, console_ours = -1;
	int sv[2], r, clone_errno;
	long pid;

	if (o->spec->seccomp && seccomp_filter_build(o->spec->seccomp, &c.filter, err) < 0)
		return -EINVAL;
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
	if (r == 0 && ns_join_process(o->state->pid, true, err) < 0)
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
	pid = cgroups_clone_into(0, &c.cgroups);
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
		return rt_fail_errno(err, clone_errno, "fork");
	if (ns_restore_parent(err) < 0) {
		kill((pid_t)pid, SIGKILL);
		waitpid((pid_t)pid, NULL, 0);
		return -EINVAL;
	}
	r = serve_child(ours, err);
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
