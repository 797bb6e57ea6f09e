/* probe - a static program run inside test containers to report what the
 * container sees, in a form the tests can grep.
 *   probe fds        the open fds as "fd N -> target", one a line
 *   probe mempolicy  "mode=M flags=F nodes=LIST" from get_mempolicy(2)
 *   probe touch MB   allocate and touch MB MiB, then print numa_maps of it
 *   probe hold MB    touch MB MiB, print "region ADDR MB", then wait: SIGUSR1
 *                    touches another region, SIGTERM exits 0 (for a driver
 *                    that reads numa_maps from outside, see integration/numa)
 *   probe exe        try to open /proc/self/exe for writing; prints the errno
 *   probe sched      "policy=P nice=N ioprio=CLASS,LEVEL"
 *   probe personality VALUE  calls personality(VALUE): "ok" or the error
 *   probe clock      "monotonic=S boottime=S" (whole seconds)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	char path[64], target[4096];

	if (!d) {
		perror("opendir /proc/self/fd");
		return 1;
	}
	while ((de = readdir(d))) {
		ssize_t n;
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("fd %s -> %s\n", de->d_name, target);
	}
	closedir(d);
	return 0;
}

static int mempolicy(void)
{
	unsigned long mask[16] = {0};
	int mode = 0, first = 1;

	if (syscall(SYS_get_mempolicy, &mode, mask, 16 * 64, NULL, 0) < 0) {
		perror("get_mempolicy");
		return 1;
	}
	printf("mode=%d flags=0x%x nodes=", mode & 0xff, mode & ~0xff);
	for (int n = 0; n < 16 * 64; n++)
		if (mask[n / 64] & (1UL << (n % 64))) {
			printf("%s%d", first ? "" : ",", n);
			first = 0;
		}
	printf("\n");
	return 0;
}

/* An anonymous region of MB MiB with every page written, or NULL. It sits
 * between two PROT_NONE pages so that the kernel never merges it with a
 * neighbouring mapping: its numa_maps line counts its own pages only. */
static char *alloc_touched(size_t mb)
{
	size_t len = mb << 20;
	char *p = mmap(NULL, len + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + 4096, len, PROT_READ | PROT_WRITE) < 0) {
		perror("mmap");
		return NULL;
	}
	p += 4096;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	return p;
}

static int touch(size_t mb)
{
	char *p = alloc_touched(mb);
	char line[4096], want[32];
	FILE *f;

	if (!p)
		return 1;
	snprintf(want, sizeof(want), "%lx ", (unsigned long)p);
	f = fopen("/proc/self/numa_maps", "r");
	if (!f) {
		perror("numa_maps");
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, want, strlen(want)) == 0)
			fputs(line, stdout);
	fclose(f);
	return 0;
}

static volatile sig_atomic_t got_usr1, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

/* The handlers matter beyond the protocol: as a PID namespace's init the
 * probe gets no signal it has not set a handler for. */
static int hold(size_t mb)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		char *p = alloc_touched(mb);

		if (!p)
			return 1;
		printf("region %lx %zu\n", (unsigned long)p, mb);
		fflush(stdout);
		while (!got_usr1 && !got_term)
			sigsuspend(&old);
		if (got_term)
			return 0;
		got_usr1 = 0;
	}
}

static int exe(void)
{
	int fd = open("/proc/self/exe", O_WRONLY);

	printf("open /proc/self/exe for writing: %s\n", fd < 0 ? strerror(errno) : "OPENED");
	return fd < 0 ? 0 : 1;
}

static int sched(void)
{
	long io = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);

	errno = 0;
	int nice = getpriority(PRIO_PROCESS, 0);
	if (errno || io < 0) {
		perror("getpriority/ioprio_get");
		return 1;
	}
	printf("policy=%d nice=%d ioprio=%ld,%ld\n", sched_getscheduler(0), nice, io >> 13,
	       io & 0x1fff);
	return 0;
}

static int persona(const char *value)
{
	int r = personality(strtoul(value, NULL, 0));

	if (r < 0)
		printf("personality(%s): %s\n", value, strerror(errno));
	else
		printf("personality(%s): ok\n", value);
	return r < 0;
}

static int clocks(void)
{
	struct timespec m, b;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	printf("monotonic=%lld boottime=%lld\n", (long long)m.tv_sec, (long long)b.tv_sec);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "fds") == 0)
		return fds();
	if (argc >= 2 && strcmp(argv[1], "mempolicy") == 0)
		return mempolicy();
	if (argc >= 3 && strcmp(argv[1], "touch") == 0)
		return touch(strtoul(argv[2], NULL, 10));
	if (argc >= 3 && strcmp(argv[1], "hold") == 0)
		return hold(strtoul(argv[2], NULL, 10));
	if (argc >= 2 && strcmp(argv[1], "exe") == 0)
		return exe();
	if (argc >= 2 && strcmp(argv[1], "sched") == 0)
		return sched();
	if (argc >= 3 && strcmp(argv[1], "personality") == 0)
		return persona(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "clock") == 0)
		return clocks();
	fprintf(stderr, "usage: probe fds|mempolicy|touch MB|hold MB|exe|sched|personality V|clock\n");
	return 2;
}
