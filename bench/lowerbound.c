/* lowerbound.c - the physical floor of `RUNTIME run` on a bundle: the fewest
 * steps that still give a container its own mount, pid, uts, ipc and net
 * namespaces, its own root and a /proc, then run /bin/true in it.
 *
 *   lowerbound [-c] ROOTFS [PROGRAM]      (PROGRAM defaults to /bin/true)
 *
 * Exits with the program's status (128+N when killed by signal N). No
 * config parsing, no state, no capabilities, no seccomp, and without -c no
 * cgroups: a runtime can approach this figure but never beat it. Built
 * static by bench/run.sh (gcc -O2 -static), so no dynamic loader work
 * either.
 *
 * -c adds the least a runtime that honours linux.resources.devices does:
 * one devices cgroup (v1; on a cgroup2-only host a plain cgroup), "a" written
 * to devices.deny, the child moved in before it execs, the cgroup removed
 * after. On v1 the move takes cgroup_threadgroup_rwsem for writing, which
 * can wait for an RCU grace period: that cost is shown apart this way. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	_exit(127);
}

static char cgroup[64]; /* the -c cgroup's directory, or "" */

static int write_str(const char *dir, const char *file, const char *text)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

static void child(const char *rootfs, char *program)
{
	char *argv[] = {program, NULL};
	char *envp[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};

	/* "0": the writer itself; /sys is still the host's until pivot_root */
	if (cgroup[0] && write_str(cgroup, "cgroup.procs", "0") < 0)
		die("join the cgroup");

	/* our mounts must not propagate back to the host's namespace */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		die("make / rslave");
	/* pivot_root needs the new root to be a mount point */
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind the rootfs");
	if (chdir(rootfs) < 0)
		die("chdir to the rootfs");
	/* pivot_root(".", ".") stacks the old root on top of the new one,
	 * where a lazy unmount removes it without a directory to put it in */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die("detach the old root");
	if (chdir("/") < 0)
		die("chdir /");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount /proc");
	execve(program, argv, envp);
	die(program);
}

int main(int argc, char **argv)
{
	const unsigned long flags =
		CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	int status, code, with_cgroup = argc > 1 && strcmp(argv[1], "-c") == 0;
	long pid;

	argv += with_cgroup;
	argc -= with_cgroup;
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: lowerbound [-c] ROOTFS [PROGRAM]\n");
		return 2;
	}
	if (with_cgroup) {
		bool v1 = access("/sys/fs/cgroup/devices", F_OK) == 0;

		snprintf(cgroup, sizeof(cgroup), "/sys/fs/cgroup/%slowerbound-%d",
			 v1 ? "devices/" : "", (int)getpid());
		if (mkdir(cgroup, 0755) < 0 || (v1 && write_str(cgroup, "devices.deny", "a") < 0)) {
			perror(cgroup);
			rmdir(cgroup);
			return 127;
		}
	}
	/* a raw clone is fork() with namespaces: the child runs on a copy of
	 * our stack, so no separate stack is needed */
	pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		perror("clone");
		if (cgroup[0])
			rmdir(cgroup);
		return 127;
	}
	if (pid == 0)
		child(argv[1], argc > 2 ? argv[2] : "/bin/true");
	while (waitpid((pid_t)pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	/* an exited task can pin its cgroup a moment after it is reaped */
	for (int i = 0; cgroup[0] && rmdir(cgroup) < 0 && errno == EBUSY && i < 1000; i++)
		usleep(100);
	return code;
}
