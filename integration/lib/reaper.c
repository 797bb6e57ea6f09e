/* reaper - runs a command as a child subreaper and reaps every orphan under
 * it. Containers whose `create` has exited are re-parented to the nearest
 * subreaper; on hosts whose PID 1 does not reap (as on these CI machines)
 * they would stay zombies, and a zombie pins its cgroup2 directory.
 *   reaper CMD [ARGS...]   exits with CMD's status */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t child, pid;
	int status, code = 127;

	if (argc < 2) {
		fprintf(stderr, "usage: reaper CMD [ARGS...]\n");
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	child = fork();
	if (child == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	/* after CMD ends, keep reaping until no descendant is left */
	while ((pid = wait(&status)) > 0 || errno == EINTR)
		if (pid == child)
			code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return code;
}
