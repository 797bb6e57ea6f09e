/* cgroups_join.c - a new process (the init, an exec'd one) into the
 * container's cgroups: clone3 into the v2 directory, a write of "0" into
 * each v1 hierarchy's tasks. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups_internal.h"

int cgroups_open_join(const struct cgroups *cgroups, bool for_init, struct cg_join *j,
		      struct rt_error *err)
{
	*j = (struct cg_join){.cgroups = cgroups, .v2_dir = -1};
	for (size_t i = 0; cgroups && i < cgroups->n; i++) {
		/* a scope systemd has yet to make: the init waits to be put in
		 * it; an exec'd process joins the scope's cgroup as any other */
		if (*cgroups->d[i].unit && for_init) {
			j->placed_by_parent = true;
			continue;
		}
		if (!cgroups->d[i].v2)
			continue;
		j->v2_dir = open(cgroups->d[i].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (j->v2_dir < 0)
			return rt_fail_errno(err, errno, "linux.cgroupsPath: open %s",
					     cgroups->d[i].dir);
	}
	return 0;
}

int cgroups_join_self(const struct cg_join *j, struct rt_error *err)
{
	const struct cgroups *cgroups = j->cgroups;
	char path[PATH_MAX];

	if (!cgroups || j->placed_by_parent)
		return 0;
	for (size_t i = 0; i < cgroups->n; i++) {
		int fd;

		if (cgroups->d[i].v2 && !j->v2_by_write)
			continue;
		snprintf(path, sizeof(path), "%s/%s", cgroups->d[i].dir,
			 cgroups->d[i].v2 ? "cgroup.procs" : "tasks");
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) < 0)
			return rt_fail_errno(err, errno, "linux.cgroupsPath: join %s",
					     cgroups->d[i].dir);
	}
	return 0;
}

void cgroups_close_join(struct cg_join *j)
{
	if (j->v2_dir >= 0)
		close(j->v2_dir);
	*j = (struct cg_join){.v2_dir = -1};
}

long cgroups_clone_into(unsigned long flags, struct cg_join *j)
{
	if (j->v2_dir >= 0) {
		struct clone_args args = {.flags = flags | CLONE_INTO_CGROUP,
					  .exit_signal = SIGCHLD,
					  .cgroup = (uint64_t)j->v2_dir};
		long pid = syscall(SYS_clone3, &args, sizeof(args));

		if (pid >= 0 || errno != ENOSYS)
			return pid;
		/* a seccomp profile hides clone3 (container engines' defaults
		 * answer ENOSYS): the child writes itself into cgroup.procs,
		 * which works, at the price of the lock */
		j->v2_by_write = true;
	}
	return syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}
