/* pause.c - the process of a pod's sandbox container, for the CRI tests:
 * it holds the pod's namespaces open and does nothing else. As a PID
 * namespace's init it reaps orphans and leaves on SIGTERM or SIGINT (an init
 * gets no signal it has no handler for). Built static into a one-file image
 * by integration/lib/containerd.bash. */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_child(int sig)
{
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int main(void)
{
	struct sigaction quit = {.sa_handler = on_stop}, child = {.sa_handler = on_child};
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGTERM, &quit, NULL);
	sigaction(SIGINT, &quit, NULL);
	sigaction(SIGCHLD, &child, NULL);
	while (!stop)
		sigsuspend(&old);
	return 0;
}
