#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hooks.h"
#include "util.h"

static void exec_hook(const struct spec_hook *hook, int stdin_fd)
{
	char *default_args[] = {hook->path, NULL};
	char *empty_env[] = {NULL};

	dup2(stdin_fd, 0);
	/* a hook must not inherit the runtime's signal handling */
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	execve(hook->path, hook->args ? hook->args : default_args,
	       hook->env ? hook->env : empty_env);
	fprintf(stderr, "exec hook %s: %s\n", hook->path, strerror(errno));
	_exit(127);
}

/* Waits for pid, at most timeout seconds (0: forever); kills it on expiry. */
static int wait_hook(pid_t pid, int timeout, int *ret_status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
	int r = 1;

	if (pidfd >= 0 && timeout > 0) {
		do
			r = poll(&pfd, 1, timeout * 1000);
		while (r < 0 && errno == EINTR);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (r == 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, ret_status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int run_one(const struct spec_hook *hook, const char *where, const char *state_json,
		   struct rt_error *err)
{
	struct sigaction pipe_was;
	int pipefd[2], status = 0, r;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "%s: pipe", where);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return rt_fail_errno(err, errno, "%s: fork", where);
	}
	if (pid == 0)
		exec_hook(hook, pipefd[0]);
	close(pipefd[0]);
	/* a hook that does not read its stdin must not kill us: EPIPE is fine.
	 * Only for the write: the init runs hooks too, and an ignored signal
	 * would stay ignored in the container's process across execve */
	sigaction(SIGPIPE, &(struct sigaction){.sa_handler = SIG_IGN}, &pipe_was);
	write_all(pipefd[1], state_json, strlen(state_json));
	sigaction(SIGPIPE, &pipe_was, NULL);
	close(pipefd[1]);
	r = wait_hook(pid, hook->timeout, &status);
	if (r == -ETIMEDOUT)
		return rt_fail(err, ETIMEDOUT, "%s: %s timed out after %d s", where, hook->path,
			       hook->timeout);
	if (r < 0)
		return rt_fail_errno(err, -r, "%s: wait for %s", where, hook->path);
	if (WIFSIGNALED(status))
		return rt_fail(err, ECANCELED, "%s: %s was killed by signal %d", where, hook->path,
			       WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return rt_fail(err, ECANCELED, "%s: %s exited with status %d", where, hook->path,
			       WEXITSTATUS(status));
	return 0;
}

/* runtime.md, lifecycle step 13: a failing poststop hook is a warning, and
 * "the remaining hooks and lifecycle continue as if the hook had
 * succeeded". Up to runtime-spec 1.2 step 9 said the same of poststart, and
 * runtime-tools' poststart_fail still expects it; 1.3.0 made it an error
 * that stops the container (see docs/conformance.md). Any other failing
 * hook stops the lifecycle. */
static bool stops_at_failure(enum spec_hook_kind kind)
{
	return kind != HOOK_POSTSTART && kind != HOOK_POSTSTOP;
}

int hooks_run(const struct spec *spec, enum spec_hook_kind kind, const char *state_json,
	      struct rt_error *err)
{
	const struct spec_hook_list *list = &spec->hooks[kind];
	struct rt_error one;
	char where[64];
	int r = 0;

	for (size_t i = 0; i < list->count; i++) {
		snprintf(where, sizeof(where), "hooks.%s[%zu]", spec_hook_name(kind), i);
		if (run_one(&list->items[i], where, state_json, &one) == 0)
			continue;
		if (r == 0) {
			*err = one;
		} else {
			size_t n = strlen(err->msg);

			snprintf(err->msg + n, sizeof(err->msg) - n, "; %s", one.msg);
		}
		r = -ECANCELED;
		if (stops_at_failure(kind))
			break;
	}
	return r;
}
