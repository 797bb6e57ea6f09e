/* run.c - `run`: create, start and wait, forwarding signals; exits with the
 * container process's status (128+N when killed by signal N). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "container.h"
#include "terminal.h"
#include "util.h"

static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};
static volatile pid_t forward_to;

static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* With a terminal the relay loop runs: handlers forward the signals. */
static void forward_by_handlers(pid_t pid)
{
	struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};

	forward_to = pid;
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &sa, NULL);
}

/* Without one, the signals and SIGCHLD are blocked and taken one by one
 * (one syscall, where handlers take one each). Blocked before the process
 * starts: a SIGCHLD that is not blocked is discarded. Hooks unblock them. */
static void block_forwarded(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
	sigprocmask(SIG_BLOCK, set, NULL);
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int wait_exit_code(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 255;
	return exit_code(status);
}

static int wait_forwarding(pid_t pid, const sigset_t *set)
{
	int status = 0;
	siginfo_t si;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return exit_code(status);
		if (r < 0 && errno != EINTR)
			return 255;
		if (sigwaitinfo(set, &si) > 0 && si.si_signo != SIGCHLD)
			kill(pid, si.si_signo);
	}
}

int cmd_run(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct create_cli cli;
	struct container c;
	struct create_opts opts;
	cleanup_close int master = -1;
	sigset_t sigs;
	int code;

	if (cli_create_opts(argc, argv, g, true, &cli, &opts, err) < 0 ||
	    container_create(&opts, &c, err) < 0)
		return -EINVAL;
	if (c.console_fd >= 0 && (cli.detach || terminal_recv_master(c.console_fd, &master, err) < 0)) {
		if (cli.detach)
			rt_fail(err, EINVAL, "process.terminal: run --detach needs --console-socket");
		goto fail;
	}
	if (master >= 0)
		forward_by_handlers(c.state.pid);
	else if (!cli.detach)
		block_forwarded(&sigs);
	if (container_start_now(&c, err) < 0)
		goto fail;
	if (cli.detach) {
		container_release(&c);
		return 0;
	}
	/* others (kill, state, delete) may lock the container while it runs */
	close(steal_fd(&c.dirfd));
	if (master >= 0) {
		terminal_relay(master);
		code = wait_exit_code(c.state.pid);
		forward_to = 0;
	} else {
		code = wait_forwarding(c.state.pid, &sigs);
	}
	if (state_open_dir(g->root, cli.id, &c.dirfd, err) == 0)
		container_destroy_reaped(g->root, cli.id, c.spec, c.state.cgroup_json, err);
	container_release(&c);
	return code;
fail:
	container_destroy(g->root, cli.id, NULL, c.state.pid, c.state.cgroup_json,
			  &(struct rt_error){0});
	container_release(&c);
	return -EINVAL;
}
