#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "process.h"
#include "procfs.h"
#include "util.h"

int process_set_oom_score(int procfd, const struct spec_process *p, struct rt_error *err)
{
	char buf[16];
	int n;

	if (!p || !p->has_oom_score_adj)
		return 0;
	n = snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
	if (procfs_write(procfd, "self/oom_score_adj", buf, (size_t)n, err) < 0)
		return rt_wrap(err, "process.oomScoreAdj");
	return 0;
}

struct sched_attr_v1 {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
};

static int set_scheduler(const struct spec_process *p, struct rt_error *err)
{
	struct sched_attr_v1 attr = {
		.size = sizeof(attr),
		.policy = (uint32_t)p->sched_policy,
		.flags = p->sched_flags,
		.nice = p->sched_nice,
		.priority = (uint32_t)p->sched_priority,
		.runtime = p->sched_runtime,
		.deadline = p->sched_deadline,
		.period = p->sched_period,
	};

	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		return rt_fail_errno(err, errno, "process.scheduler: sched_setattr");
	return 0;
}

int process_set_limits(const struct spec *spec, const struct spec_process *p,
		       struct rt_error *err)
{
	int r;

	for (size_t i = 0; i < p->nrlimits; i++)
		if (setrlimit(p->rlimits[i].resource, &p->rlimits[i].limit) < 0)
			return rt_fail_errno(err, errno, "process.rlimits[%zu]: setrlimit", i);
	if (spec->has_personality && personality(spec->personality) < 0)
		return rt_fail_errno(err, errno, "linux.personality: personality");
	if (p->has_scheduler && (r = set_scheduler(p, err)) < 0)
		return r;
	/* IOPRIO_PRIO_VALUE(class, level); IOPRIO_WHO_PROCESS = 1 */
	if (p->has_ioprio &&
	    syscall(SYS_ioprio_set, 1, 0, (p->ioprio_class << 13) | p->ioprio_level) < 0)
		return rt_fail_errno(err, errno, "process.ioPriority: ioprio_set");
	if (p->has_umask)
		umask(p->umask);
	else
		umask(022);
	return 0;
}

/* /proc/self/setgroups says "deny": rootless.c wrote it for a map of the
 * user's own gid, as the kernel requires of an unprivileged writer. */
static bool setgroups_denied(void)
{
	char buf[8] = "";
	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 && strncmp(buf, "deny", 4) == 0;
}

/* setgroups, setresgid, setresuid, keeping capabilities across the switch
 * when the config lists them (caps_apply sets them afterwards). */
static int process_set_user(const struct spec_process *p, struct rt_error *err)
{
	/* the kernel clears the capabilities only when uid 0 is left */
	bool keep = p->has_caps && p->uid != 0;

	if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "process.capabilities: keep across setuid");
	/* setgroups is denied in a user namespace whose setgroups file says so */
	if (setgroups(p->n_additional_gids, p->additional_gids) < 0 &&
	    !(errno == EPERM && p->n_additional_gids == 0))
		return rt_fail_errno(err, errno, "process.user.additionalGids: setgroups%s",
				     setgroups_denied() ? " (denied in this user namespace: a "
							  "rootless map of one's own gid alone)"
							: "");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return rt_fail_errno(err, errno, "process.user.gid: setgid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return rt_fail_errno(err, errno, "process.user.uid: setuid %u", p->uid);
	if (keep && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "process.capabilities: keepcaps");
	return 0;
}

static const char *env_path(const struct spec_process *p)
{
	for (char **e = p->env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			return *e + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static bool is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

int process_find_program(const struct spec_process *p, char *buf, size_t len,
			 struct rt_error *err)
{
	const char *name = p->args[0], *path = env_path(p);

	if (strchr(name, '/')) {
		if (access(name, F_OK) < 0)
			return rt_fail_errno(err, errno, "process.args[0]: %s", name);
		snprintf(buf, len, "%s", name);
		return 0;
	}
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, len, "%.*s/%s", (int)n, n ? path : ".", name);
		if (is_executable(buf))
			return 0;
		path += n + (path[n] == ':');
	}
	return rt_fail(err, ENOENT, "process.args[0]: \"%s\" not found in $PATH (%s)", name,
		       env_path(p));
}

int process_exec(const struct spec_process *p, const char *program, struct rt_error *err)
{
	char *empty[] = {NULL};

	execve(program, p->args, p->env ? p->env : empty);
	return rt_fail_errno(err, errno, "exec %s", program);
}

/* seccomp without no_new_privs needs CAP_SYS_ADMIN, so it goes before the
 * capability drop; with no_new_privs it goes last, so the filter need not
 * allow what the setup after it does. */
int process_drop_privileges(const struct spec_process *p, struct seccomp_filter *filter,
			    struct rt_error *err)
{
	int r;

	if (filter && !p->no_new_privileges && (r = seccomp_filter_load(filter, err)) < 0)
		return r;
	if ((r = caps_drop_bounding(p, err)) < 0 || (r = process_set_user(p, err)) < 0 ||
	    (r = caps_apply(p, err)) < 0)
		return r;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "process.noNewPrivileges");
	if (filter && p->no_new_privileges && (r = seccomp_filter_load(filter, err)) < 0)
		return r;
	return 0;
}
