/* cgwarm.c - keeps cgroup v1 task moves cheap while the bench runs
 * (BENCH_CGROUP_WARM=1).
 *
 *   cgwarm HIERARCHY_DIR     e.g. /sys/fs/cgroup/devices
 *
 * Moving a task between cgroups takes cgroup_threadgroup_rwsem for writing.
 * That percpu rwsem (rcu_sync) waits for an RCU grace period when no writer
 * came in the last one, and is cheap while writers keep coming. Every
 * runtime pays that wait on `create`/`run`, at random depending on what ran
 * just before: it is the largest and noisiest single cost on a cgroup v1
 * host. cgwarm moves one sleeping child between two cgroups every
 * millisecond, so the wait never happens and the figures show the runtimes'
 * own work. It runs until SIGTERM/SIGINT, then removes its cgroups. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int move(const char *dir, const char *pid)
{
	char path[512];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, pid, strlen(pid)) == (ssize_t)strlen(pid);
	close(fd);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	char dirs[2][400], pid[16];
	pid_t child;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: cgwarm HIERARCHY_DIR\n");
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "%s/cgwarm-%d-%d", argv[1], (int)getpid(), i);
		if (mkdir(dirs[i], 0755) < 0) {
			perror(dirs[i]);
			if (i)
				rmdir(dirs[0]);
			return 1;
		}
	}
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	snprintf(pid, sizeof(pid), "%d", (int)child);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (unsigned long n = 0; !stop; n++) {
		if (move(dirs[n & 1], pid) < 0) {
			perror("cgwarm: move");
			rc = 1;
			break;
		}
		nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* a reaped task can pin its cgroup a moment longer */
	for (int i = 0; i < 2; i++)
		for (int t = 0; rmdir(dirs[i]) < 0 && t < 1000; t++)
			usleep(1000);
	return rc;
}
