/* probe - a static program run inside test containers to report what the
 * container sees, in a form the tests can grep.
 *   probe fds        the open fds as "fd N -> target", one a line
 *   probe mempolicy  "mode=M flags=F nodes=LIST" from get_mempolicy(2)
 *   probe touch MB   allocate and touch MB MiB, then print numa_maps of it
 *   probe exe        try to open /proc/self/exe for writing; prints the errno
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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

static int touch(size_t mb)
{
	size_t len = mb << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char line[4096], want[32];
	FILE *f;

	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
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

static int exe(void)
{
	int fd = open("/proc/self/exe", O_WRONLY);

	printf("open /proc/self/exe for writing: %s\n", fd < 0 ? strerror(errno) : "OPENED");
	return fd < 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "fds") == 0)
		return fds();
	if (argc >= 2 && strcmp(argv[1], "mempolicy") == 0)
		return mempolicy();
	if (argc >= 3 && strcmp(argv[1], "touch") == 0)
		return touch(strtoul(argv[2], NULL, 10));
	if (argc >= 2 && strcmp(argv[1], "exe") == 0)
		return exe();
	fprintf(stderr, "usage: probe fds|mempolicy|touch MB|exe\n");
	return 2;
}
