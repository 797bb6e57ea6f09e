#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "namespaces.h"
#include "rootless.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int ns_clone_flags(const struct spec *spec)
{
	int flags = 0;

	for (int t = 0; t < NS_COUNT; t++)
		if (t != NS_TIME && spec->ns[t].enabled && !spec->ns[t].path)
			flags |= spec_ns_clone_flag(t);
	return flags;
}

static int open_path(const char *path, const char *name, int *ret_fd, struct rt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: open %s namespace %s", name,
				     path);
	*ret_fd = fd;
	return 0;
}

static int join_path(const char *path, int flag, const char *name, struct rt_error *err)
{
	cleanup_close int fd = -1;

	if (open_path(path, name, &fd, err) < 0)
		return -EINVAL;
	if (setns(fd, flag) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: join %s namespace %s", name,
				     path);
	return 0;
}

/* The namespaces given by path, opened by ns_clone_in_user's child while
 * it is still host root: from inside the user namespace it joins, a path
 * below a directory only host root may search is EACCES (containerd pins
 * a pod's namespaces in a 0700 directory), as runc's nsexec opens them all
 * before its first setns. The init, a clone of that child, joins by them
 * (ns_path_fds keeps them through its close). -1: none, opened when used. */
static int path_fds[NS_COUNT] = {[0 ... NS_COUNT - 1] = -1};

static int open_spec_paths(const struct spec *spec, struct rt_error *err)
{
	for (int t = 0; t < NS_COUNT; t++)
		if (spec->ns[t].path && path_fds[t] < 0 &&
		    open_path(spec->ns[t].path, spec_ns_name(t), &path_fds[t], err) < 0)
			return -EINVAL;
	return 0;
}

/* Joins the namespace spec gives for t by path, by its fd when opened. */
static int join_spec_path(const struct spec *spec, enum spec_ns_type t, struct rt_error *err)
{
	cleanup_close int fd = steal_fd(&path_fds[t]);

	if (fd < 0 && open_path(spec->ns[t].path, spec_ns_name(t), &fd, err) < 0)
		return -EINVAL;
	if (setns(fd, spec_ns_clone_flag(t)) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: join %s namespace %s",
				     spec_ns_name(t), spec->ns[t].path);
	return 0;
}

size_t ns_path_fds(int *ret_fds)
{
	size_t n = 0;

	for (int t = 0; t < NS_COUNT; t++)
		if (path_fds[t] >= 0)
			ret_fds[n++] = path_fds[t];
	return n;
}

static int write_time_offsets(const struct spec *spec, struct rt_error *err)
{
	char buf[128];
	size_t len = 0;

	for (size_t i = 0; i < spec->ntime_offsets; i++) {
		const struct spec_time_offset *o = &spec->time_offsets[i];

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %lld %u\n",
					o->clock == CLOCK_MONOTONIC ? "monotonic" : "boottime",
					(long long)o->secs, o->nanosecs);
	}
	if (len && write_file("/proc/self/timens_offsets", buf, len, err) < 0)
		return rt_wrap(err, "linux.timeOffsets");
	return 0;
}

/* Our own pid and time namespaces for children, saved before we change
 * them, for ns_restore_parent. */
static int saved_pid_ns = -1, saved_time_ns = -1;

static int save_ns(const char *kind, int *fd, struct rt_error *err)
{
	char path[64];

	if (*fd >= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/ns/%s_for_children", kind);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: open %s", path);
	return 0;
}

int ns_restore_parent(struct rt_error *err)
{
	cleanup_close int pid_ns = steal_fd(&saved_pid_ns), time_ns = steal_fd(&saved_time_ns);

	if (pid_ns >= 0 && setns(pid_ns, CLONE_NEWPID) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: back to our pid namespace");
	if (time_ns >= 0 && setns(time_ns, CLONE_NEWTIME) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: back to our time namespace");
	return 0;
}

int ns_prepare_parent(const struct spec *spec, struct rt_error *err)
{
	int r;

	if (spec->ns[NS_PID].path &&
	    ((r = save_ns("pid", &saved_pid_ns, err)) < 0 ||
	     (r = join_spec_path(spec, NS_PID, err)) < 0))
		return r;
	if (!spec->ns[NS_TIME].enabled)
		return 0;
	if ((r = save_ns("time", &saved_time_ns, err)) < 0)
		return r;
	if (spec->ns[NS_TIME].path)
		return join_spec_path(spec, NS_TIME, err);
	if (unshare(CLONE_NEWTIME) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: create a time namespace");
	return write_time_offsets(spec, err);
}

/* A user namespace given by path is not among them: the init was cloned
 * inside it (ns_clone_in_user). */
int ns_join_paths(const struct spec *spec, struct rt_error *err)
{
	static const enum spec_ns_type order[] = {NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_MNT};
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (spec->ns[order[i]].path && (r = join_spec_path(spec, order[i], err)) < 0)
			return r;
	return 0;
}

/* The maps config.json gives for a user namespace it joins must be the
 * namespace's own (/proc/self/uid_map once in it): they cannot be written
 * again, and a container whose ids are not what its config says would
 * chown, check and idmap by the wrong ones. */
static int check_map(const char *file, const struct spec_idmap *maps, size_t n,
		     const char *field, struct rt_error *err)
{
	cleanup_free char *text = NULL;
	size_t len = 0, i = 0;
	char *line, *save = NULL;

	if (!n)
		return 0;
	if (read_file(file, &text, &len, err) < 0)
		return rt_wrap(err, "%s", field);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		unsigned c, h, sz;

		if (sscanf(line, "%u %u %u", &c, &h, &sz) != 3 || i >= n ||
		    maps[i].container_id != c || maps[i].host_id != h || maps[i].size != sz)
			break;
	}
	if (line || i != n)
		return rt_fail(err, EINVAL,
			       "%s: not the mappings of the user namespace joined (linux.namespaces "
			       "path), which has \"%s\"",
			       field, line ? line : "fewer ranges");
	return 0;
}

/* In the child that joins: into the namespace, root there (uid 0 and gid
 * 0 of it, whatever host ids they are), the config's maps checked. */
static int join_user(const struct spec *spec, struct rt_error *err)
{
	int r;

	if ((r = open_spec_paths(spec, err)) < 0 || (r = join_spec_path(spec, NS_USER, err)) < 0)
		return r;
	if ((r = check_map("/proc/self/uid_map", spec->uid_maps, spec->n_uid_maps,
			   "linux.uidMappings", err)) < 0 ||
	    (r = check_map("/proc/self/gid_map", spec->gid_maps, spec->n_gid_maps,
			   "linux.gidMappings", err)) < 0)
		return r;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return rt_fail_errno(err, errno,
				     "linux.namespaces: become root in the user namespace %s (is 0 "
				     "mapped?)",
				     spec->ns[NS_USER].path);
	return 0;
}

struct join_report {
	pid_t pid;
	struct rt_error err;
};

/* A child made by s->fork runs s->host_setup, then join(jctx), then
 * clones (flags | CLONE_PARENT) the process that returns 0, and reports
 * its pid or why it failed. */
static long clone_via_child(unsigned long flags, const struct ns_spawner *s,
			    int (*join)(const void *jctx, struct rt_error *err), const void *jctx,
			    const char *what, struct rt_error *err)
{
	struct join_report rep = {0};
	cleanup_close int rd = -1, wr = -1;
	int p[2];
	pid_t mid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: pipe");
	rd = p[0];
	wr = p[1];
	mid = (pid_t)s->fork(s->ctx);
	if (mid < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: fork");
	if (mid == 0) {
		long pid = -1;

		close(steal_fd(&rd));
		if (s->host_setup(s->ctx, &rep.err) == 0 && join(jctx, &rep.err) == 0) {
			/* our parent's child, not ours: `run` waits for it, and
			 * its death signal is tied to the runtime. clone3 takes
			 * CLONE_PARENT only without an exit signal: plain clone,
			 * in the cgroup s->fork put us in */
			pid = syscall(SYS_clone, flags | CLONE_PARENT | SIGCHLD, NULL, NULL, NULL,
				      NULL);
			if (pid == 0) {
				close(steal_fd(&wr));
				return 0;
			}
			if (pid < 0)
				rt_fail_errno(&rep.err, errno, "linux.namespaces: clone");
		}
		rep.pid = (pid_t)pid;
		_exit(write_all(wr, &rep, sizeof(rep)) < 0);
	}
	close(steal_fd(&wr));
	while ((n = read(rd, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rep))
		return rt_fail(err, EPIPE, "linux.namespaces: the child joining %s died", what);
	if (rep.pid <= 0) {
		*err = rep.err;
		return rep.err.errnum > 0 ? -rep.err.errnum : -EINVAL;
	}
	return rep.pid;
}

/* the pid and time namespaces too: owned by the joined one */
static int join_user_and_parent(const void *spec, struct rt_error *err)
{
	return join_user(spec, err) < 0 || ns_prepare_parent(spec, err) < 0 ? -EINVAL : 0;
}

long ns_clone_in_user(const struct spec *spec, unsigned long flags, const struct ns_spawner *s,
		      struct rt_error *err)
{
	return clone_via_child(flags, s, join_user_and_parent, spec, spec->ns[NS_USER].path, err);
}

/* An unprivileged caller may join a pid namespace only from inside the
 * user namespace that owns it. */
static int join_process_user(const void *pidp, struct rt_error *err)
{
	pid_t pid = *(const pid_t *)pidp;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (join_path(path, CLONE_NEWUSER, "user", err) < 0)
		return -EINVAL;
	return ns_join_process(pid, true, err);
}

long ns_fork_in_process_user(pid_t pid, const struct ns_spawner *s, struct rt_error *err)
{
	char what[64];

	snprintf(what, sizeof(what), "/proc/%d/ns/user", (int)pid);
	return clone_via_child(0, s, join_process_user, &pid, what, err);
}

static int write_map(pid_t pid, const char *file, const struct spec_idmap *maps, size_t n,
		     const char *field, struct rt_error *err)
{
	char path[64], buf[4096];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", maps[i].container_id,
				 maps[i].host_id, maps[i].size);
		if (w < 0 || (size_t)w >= sizeof(buf) - len)
			return rt_fail(err, E2BIG, "%s: too many mappings", field);
		len += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (write_file(path, buf, len, err) < 0)
		return rt_wrap(err, "%s", field);
	return 0;
}

int ns_write_maps(pid_t pid, const struct spec_idmap *uid, size_t nuid,
		  const struct spec_idmap *gid, size_t ngid, const char *path,
		  struct rt_error *err)
{
	char field[96];
	int r;

	snprintf(field, sizeof(field), "%s.uidMappings", path);
	if ((r = write_map(pid, "uid_map", uid, nuid, field, err)) < 0)
		return r;
	snprintf(field, sizeof(field), "%s.gidMappings", path);
	r = write_map(pid, "gid_map", gid, ngid, field, err);
	return r < 0 ? r : 0;
}

int ns_write_id_maps(pid_t pid, const struct spec *spec, struct rt_error *err)
{
	if (rootless())
		return rootless_write_id_maps(pid, spec, err);
	return ns_write_maps(pid, spec->uid_maps, spec->n_uid_maps, spec->gid_maps,
			     spec->n_gid_maps, "linux", err);
}

int ns_join_process(pid_t pid, bool children_only, struct rt_error *err)
{
	/* the user namespace first (it owns the others: joined, we may join
	 * them), the mount namespace last (after it, /proc is the container's) */
	static const enum spec_ns_type order[] = {NS_USER, NS_PID, NS_TIME,   NS_NET,
						  NS_IPC,  NS_UTS, NS_CGROUP, NS_MNT};

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		enum spec_ns_type t = order[i];
		/* the pid and time namespaces apply to our children */
		bool for_children = t == NS_PID || t == NS_TIME;
		const char *name = spec_ns_proc_name(t);
		char theirs[64], ours[64];
		struct stat a, b;
		int r;

		if (for_children != children_only)
			continue;
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, name);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s%s", name,
			 for_children ? "_for_children" : "");
		if (stat(theirs, &a) < 0)
			continue; /* the kernel lacks this kind */
		if (stat(ours, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			continue; /* setns into our own user ns fails with EINVAL */
		/* ns_restore_parent takes these back after the fork */
		if (for_children &&
		    (r = save_ns(name, t == NS_PID ? &saved_pid_ns : &saved_time_ns, err)) < 0)
			return r;
		if ((r = join_path(theirs, spec_ns_clone_flag(t), name, err)) < 0)
			return r;
	}
	return 0;
}
