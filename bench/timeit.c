/* timeit.c - runs a command and reports what it cost, for bench/run.sh.
 *
 *   timeit [-c COUNT] [-j JOBS] [-t SECONDS] [-u WORD] -- CMD [ARG...]
 *       Runs CMD (COUNT times, at most JOBS at once; a "{}" in an argument
 *       becomes the run's index 0..COUNT-1, for unique container ids) and
 *       prints one line on stdout:
 *           NS STATUS MAXRSS_KB TRIES
 *       NS: wall time from just before the first fork to the last reap
 *       (CLOCK_MONOTONIC). STATUS: the first non-zero exit status (128+N
 *       for signal N), else 0. MAXRSS_KB: the largest ru_maxrss wait4(2)
 *       reported, i.e. the peak RSS of the biggest process in CMD's tree
 *       (the kernel folds reaped descendants into a child's rusage).
 *       With -u, CMD's stdout is read and CMD is run again (up to 2000
 *       tries) until the output contains WORD; TRIES says how many runs
 *       that took. Without -u, CMD's stdout goes to /dev/null; its stderr
 *       is left alone so failures show. After SECONDS (default 60) the
 *       children still running are killed (status 137).
 *
 *   timeit -s [-c COUNT] [-t SECONDS] -- CMD1 [ARG...] ';;' CMD2 [ARG...] ...
 *       The same, but each of the COUNT runs is the commands one after
 *       another (each reaped before the next starts; "{}" as above): a
 *       create then a start, back to back, for the density scenario.
 *
 *   timeit -R -- CMD [ARG...]
 *       Becomes a child subreaper, runs CMD and reaps every orphan that
 *       lands on it (the inits of containers whose runtime exited after
 *       `create`) until CMD exits; exits with CMD's status.
 *
 * A C helper rather than `date +%s%N` in bash: the clock is read right
 * around fork and wait4, so no shell work is counted. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TRIES 2000

static int null_fd = -1; /* /dev/null, opened before the clock starts */
static pid_t kids[64];    /* running children, for the watchdog */

/* -t: a command that hangs is killed, and counts as failed (137) */
static void watchdog(int sig)
{
	(void)sig;
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
}

static void track(pid_t pid, pid_t replace)
{
	for (size_t i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] == replace) {
			kids[i] = pid;
			return;
		}
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* argv with every "{}" replaced by index (one static buffer per argument) */
static char **expand(char **argv, int argc, long index)
{
	static char bufs[64][256];
	static char *out[65];

	for (int i = 0; i < argc && i < 64; i++) {
		char *hole = strstr(argv[i], "{}");

		out[i] = argv[i];
		if (!hole)
			continue;
		snprintf(bufs[i], sizeof(bufs[i]), "%.*s%ld%s", (int)(hole - argv[i]), argv[i],
			 index, hole + 2);
		out[i] = bufs[i];
	}
	out[argc < 64 ? argc : 64] = NULL;
	return out;
}

/* forks CMD with stdin from /dev/null and stdout to out_fd */
static pid_t spawn(char **argv, int out_fd)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("timeit: fork");
		exit(125);
	}
	if (pid == 0) {
		dup2(null_fd, 0);
		dup2(out_fd >= 0 ? out_fd : null_fd, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "timeit: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	track(pid, 0);
	return pid;
}

static int reap(pid_t pid, int *status, long *maxrss)
{
	struct rusage ru;
	pid_t got;

	while ((got = wait4(pid, status, 0, &ru)) < 0)
		if (errno != EINTR) {
			perror("timeit: wait4");
			exit(125);
		}
	track(0, got);
	if (ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	return got;
}

/* one run whose stdout we read; returns 1 if it contains word */
static int run_capture(char **argv, const char *word, int *status, long *maxrss)
{
	char buf[65536];
	size_t len = 0;
	ssize_t n;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		perror("timeit: pipe");
		exit(125);
	}
	pid = spawn(argv, p[1]);
	close(p[1]);
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			len += (size_t)n;
	close(p[0]);
	buf[len] = '\0';
	reap(pid, status, maxrss);
	return strstr(buf, word) != NULL;
}

static int reaper(char **argv)
{
	pid_t main_pid, got;
	int status, code = 125;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("timeit: PR_SET_CHILD_SUBREAPER");
		return 125;
	}
	main_pid = fork();
	if (main_pid < 0) {
		perror("timeit: fork");
		return 125;
	}
	if (main_pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "timeit: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	for (;;) {
		got = wait(&status);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || got == main_pid) {
			if (got == main_pid)
				code = exit_code(status);
			break;
		}
	}
	/* zombies left behind; live orphans go on to our own reaper */
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	return code;
}

/* -s: one run is every ";;"-separated command in turn; the first
 * failure ends the run */
static int run_sequence(char **cmd, int cmd_argc, long index, long *maxrss)
{
	int start = 0, status = 0;

	while (start < cmd_argc) {
		int end = start;

		while (end < cmd_argc && strcmp(cmd[end], ";;") != 0)
			end++;
		if (end > start) {
			char *saved = cmd[end];

			cmd[end] = NULL;
			spawn(expand(cmd + start, end - start, index), -1);
			cmd[end] = saved;
			reap(-1, &status, maxrss);
			if (exit_code(status))
				return exit_code(status);
		}
		start = end + 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long count = 1, jobs = 1, maxrss = 0, started = 0, running = 0, tries = 0, limit = 60;
	struct sigaction sa = {.sa_handler = watchdog}; /* no SA_RESTART: wait4 returns */
	const char *word = NULL;
	int o, status, first_bad = 0, cmd_argc, as_reaper = 0, sequence = 0;
	long long t0, t1;
	char **cmd;

	while ((o = getopt(argc, argv, "+c:j:t:u:Rs")) != -1) {
		switch (o) {
		case 'c':
			count = atol(optarg);
			break;
		case 'j':
			jobs = atol(optarg);
			break;
		case 't':
			limit = atol(optarg);
			break;
		case 'u':
			word = optarg;
			break;
		case 'R':
			as_reaper = 1;
			break;
		case 's':
			sequence = 1;
			break;
		default:
			fprintf(stderr, "usage: timeit [-c COUNT] [-j JOBS] [-t SECONDS] [-u WORD] -- CMD...\n"
					"       timeit -R -- CMD...\n");
			return 2;
		}
	}
	cmd = argv + optind;
	cmd_argc = argc - optind;
	if (as_reaper && cmd_argc > 0)
		return reaper(cmd);
	if (cmd_argc < 1 || count < 1 || jobs < 1 || jobs > 64 || (word && count != 1) ||
	    (sequence && (word || jobs != 1))) {
		fprintf(stderr, "timeit: need a command; -u takes no -c\n");
		return 2;
	}
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0) {
		perror("timeit: /dev/null");
		return 125;
	}
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)limit);
	t0 = now_ns();
	if (sequence) {
		for (tries = 0; tries < count && !first_bad; tries++)
			first_bad = run_sequence(cmd, cmd_argc, tries, &maxrss);
	} else if (word) {
		do
			tries++;
		while (!run_capture(cmd, word, &status, &maxrss) && exit_code(status) == 0 &&
		       tries < MAX_TRIES);
		first_bad = exit_code(status);
		if (!first_bad && tries >= MAX_TRIES)
			first_bad = 124;
	} else {
		while (started < count || running > 0) {
			while (started < count && running < jobs) {
				spawn(expand(cmd, cmd_argc, started), -1);
				started++;
				running++;
			}
			reap(-1, &status, &maxrss);
			running--;
			if (!first_bad)
				first_bad = exit_code(status);
		}
		tries = count;
	}
	t1 = now_ns();
	printf("%lld %d %ld %ld\n", t1 - t0, first_bad, maxrss, tries);
	return 0;
}
