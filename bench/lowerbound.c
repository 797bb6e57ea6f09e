/* lowerbound.c - the physical floor of `RUNTIME run` on a bundle: the fewest
 * steps that still give a container its own mount, pid, uts, ipc and net
 * namespaces, its own root and a /proc, then run /bin/true in it.
 *
 *   lowerbound [-c] [-m CPUS:N] ROOTFS [PROGRAM]   (PROGRAM defaults to /bin/true)
 *   lowerbound -e PID [PROGRAM]
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
 * can wait for an RCU grace period: that cost is shown apart this way.
 *
 * -m CPUS:N is the floor of the k8s scenario's masks: the host directory
 * CPUS bound over the rootfs's /sys/devices/system/cpu (as the scenario's
 * spec does), then /sys/devices/system/cpu/cpuK/thermal_throttle for K < N
 * masked with one read-only tmpfs, made once and cloned onto each (one
 * open_tree, one move_mount per path, nothing looked up twice).
 *
 * -e PID is the floor of `exec`: setns into PID's mount, pid, uts, ipc and
 * net namespaces, fork (the child is in the pid namespace), chdir /,
 * execve PROGRAM, wait. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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
static const char *mask_dir; /* -m: the directory bound over .../cpu */
static int mask_n;           /* -m: how many thermal_throttle masks */

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

/* -m: runs in the new root; mask_dir was cloned before pivot_root */
static int cpus_tree = -1;

static void mask(void)
{
	int fs, tmpfs;
	char path[96];

	if (move_mount(cpus_tree, "", AT_FDCWD, "/sys/devices/system/cpu",
		       MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die("bind the cpus directory");
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "size", "4k", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		die("make the masking tmpfs");
	tmpfs = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
						     MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (tmpfs < 0)
		die("fsmount the masking tmpfs");
	for (int k = 0; k < mask_n; k++) {
		int t = open_tree(tmpfs, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/thermal_throttle", k);
		if (t < 0 || move_mount(t, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			die(path);
		close(t);
	}
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
	/* cloned in our own mount namespace (open_tree clones only mounts of
	 * the caller's), before the old root it lies on is detached */
	if (mask_dir && (cpus_tree = open_tree(AT_FDCWD, mask_dir, OPEN_TREE_CLONE |
							       OPEN_TREE_CLOEXEC | AT_RECURSIVE)) < 0)
		die(mask_dir);
	/* pivot_root(".", ".") stacks the old root on top of the new one,
	 * where a lazy unmount removes it without a directory to put it in */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die("detach the old root");
	if (chdir("/") < 0)
		die("chdir /");
	if (mask_dir)
		mask();
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount /proc");
	execve(program, argv, envp);
	die(program);
}

/* -e: PID's namespaces joined, then fork: a new pid namespace applies to
 * children only */
static int enter(const char *pid, char *program)
{
	static const char *const ns[] = {"ipc", "uts", "net", "pid", "mnt"};
	char *argv[] = {program, NULL};
	char *envp[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	char path[64];
	int status;
	pid_t child;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, ns[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, 0) < 0)
			die(path);
		close(fd);
	}
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		if (chdir("/") < 0)
			die("chdir /");
		execve(program, argv, envp);
		die(program);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	const unsigned long flags =
		CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	int status, code, with_cgroup = 0, o;
	const char *exec_pid = NULL;
	char *colon;
	long pid;

	while ((o = getopt(argc, argv, "+cm:e:")) != -1) {
		switch (o) {
		case 'c':
			with_cgroup = 1;
			break;
		case 'm':
			colon = strrchr(optarg, ':');
			if (!colon)
				return 2;
			*colon = '\0';
			mask_dir = optarg;
			mask_n = atoi(colon + 1);
			break;
		case 'e':
			exec_pid = optarg;
			break;
		default:
			return 2;
		}
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (exec_pid)
		return enter(exec_pid, argc > 1 ? argv[1] : "/bin/true");
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: lowerbound [-c] [-m CPUS:N] ROOTFS [PROGRAM]\n"
				"       lowerbound -e PID [PROGRAM]\n");
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
