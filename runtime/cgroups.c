#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroups_internal.h"
#include "systemd_bus.h"
#include "util.h"

int cg_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

int cg_write(const struct cg_dir *d, const char *file, const char *value, const char *field,
	     struct rt_error *err)
{
	char path[PATH_MAX];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_fail_errno(err, errno, "%s: open %s", field, path);
	if (write(fd, value, strlen(value)) < 0)
		r = rt_fail_errno(err, errno, "%s: write \"%s\" to %s", field, value, path);
	close(fd);
	return r;
}

/* Field n (0-based) of a space-separated mountinfo line, its length in *len. */
static const char *field(const char *line, int n, size_t *len)
{
	for (; n > 0 && line; n--)
		if ((line = strchr(line, ' ')))
			line++;
	if (!line)
		return NULL;
	*len = strcspn(line, " \n");
	return line;
}

/* Parsed by hand: it is on every start, and stdio + sscanf cost more than
 * the kernel's read of mountinfo here. */
void cg_parse_mountinfo(const char *text, const char *path, struct cg_set *set)
{
	set->n = 0;
	for (const char *line = text; *line && set->n < CG_MAX;) {
		const char *next = strchr(line, '\n'), *sep = strstr(line, " - "), *mnt, *fs;
		size_t mnt_len, fs_len;

		next = next ? next + 1 : line + strlen(line);
		mnt = field(line, 4, &mnt_len);
		fs = sep && sep < next ? field(sep + 3, 0, &fs_len) : NULL;
		line = next;
		if (!mnt || !fs || mnt_len >= PATH_MAX || strncmp(mnt, "/sys/fs/cgroup", 14) != 0 ||
		    !((fs_len == 6 && !strncmp(fs, "cgroup", 6)) ||
		      (fs_len == 7 && !strncmp(fs, "cgroup2", 7))))
			continue;
		struct cg_dir *d = &set->d[set->n++];
		const char *base = memrchr(mnt, '/', mnt_len) + 1;

		if (mnt_len == 14)
			snprintf(d->name, sizeof(d->name), "unified");
		else
			snprintf(d->name, sizeof(d->name), "%.*s", (int)(mnt + mnt_len - base), base);
		snprintf(d->dir, sizeof(d->dir), "%.*s%s", (int)mnt_len, mnt, path);
		d->v2 = fs_len == 7;
		d->top[0] = d->unit[0] = '\0';
	}
}

static int find_hierarchies(struct cg_set *set, const char *path, struct rt_error *err)
{
	cleanup_free char *text = NULL;

	if (read_file("/proc/self/mountinfo", &text, NULL, err) < 0)
		return -EIO;
	cg_parse_mountinfo(text, path, set);
	if (set->n == 0)
		return rt_fail(err, ENOENT, "linux.cgroupsPath: no cgroup hierarchy is mounted");
	return 0;
}

bool cg_has(const struct cg_dir *d, const char *controller)
{
	size_t n = strlen(controller);

	for (const char *p = d->name; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, controller, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* A new v1 cpuset has no cpus or mems, and nor has a parent a manager
 * made and left so: no task can join below it (ENOSPC). Each empty level
 * takes its parent's, from the mount (mount_len long) down, as runc. */
static void inherit_cpuset(const char *dir, size_t mount_len)
{
	char parent[PATH_MAX], buf[4096];
	struct cg_dir d;
	struct rt_error ignored;

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	snprintf(d.dir, sizeof(d.dir), "%s", dir);
	for (int i = 0; i < 2; i++) {
		const char *file = i ? "cpuset.mems" : "cpuset.cpus";

		if (cg_read(dir, file, buf, sizeof(buf)) > 1)
			continue;
		if (cg_read(parent, file, buf, sizeof(buf)) <= 1 && strlen(parent) > mount_len) {
			inherit_cpuset(parent, mount_len);
			if (cg_read(parent, file, buf, sizeof(buf)) <= 1)
				continue;
		}
		cg_write(&d, file, buf, "cpuset", &ignored);
	}
}

static bool listed(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* v2: a child sees a controller's files only when every ancestor enables
 * it in cgroup.subtree_control. What the parent has but does not yet
 * enable is enabled in one write (a manager such as the kubelet or
 * systemd has usually done it: then nothing is written); one at a time if
 * that is refused, so one controller the parent cannot give (a threaded
 * subtree, say) does not cost the others. */
static void enable_controllers(const char *dir)
{
	char parent[PATH_MAX], have[1024], on[1024], plus[1024] = "", *tok, *save = NULL;
	struct cg_dir d;
	struct rt_error ignored;
	size_t off = 0;

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	if (cg_read(parent, "cgroup.controllers", have, sizeof(have)) <= 0 ||
	    cg_read(parent, "cgroup.subtree_control", on, sizeof(on)) < 0)
		return;
	for (tok = strtok_r(have, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!listed(on, tok) && off + strlen(tok) + 3 < sizeof(plus))
			off += (size_t)snprintf(plus + off, sizeof(plus) - off, "%s+%s",
						off ? " " : "", tok);
	if (!off)
		return;
	snprintf(d.dir, sizeof(d.dir), "%s", parent);
	if (cg_write(&d, "cgroup.subtree_control", plus, "cgroup", &ignored) == 0)
		return;
	save = NULL;
	for (tok = strtok_r(plus, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		cg_write(&d, "cgroup.subtree_control", tok, "cgroup", &ignored);
}

/* An existing cgroup with processes in it belongs to someone else (another
 * container with the same id under another --root, say): joining it would
 * let `delete` kill them and `update` change their limits. runc refuses it
 * too. An empty existing one (prepared by a manager) is fine. */
static int check_unused(const struct cg_dir *d, struct rt_error *err)
{
	char buf[64];

	if (cg_read(d->dir, "cgroup.procs", buf, sizeof(buf)) > 0)
		return rt_fail(err, EBUSY,
			       "linux.cgroupsPath: cgroup %s already has processes (another "
			       "container's?)",
			       d->dir);
	return 0;
}

static int make_dir(struct cg_dir *d, size_t mount_len, struct rt_error *err)
{
	char buf[PATH_MAX];

	/* v1, where the parents are usually there: the leaf alone first (v2
	 * needs the controllers enabled on the way down) */
	if (!d->v2) {
		if (mkdir(d->dir, 0755) == 0) {
			snprintf(d->top, sizeof(d->top), "%s", d->dir);
			if (cg_has(d, "cpuset"))
				inherit_cpuset(d->dir, mount_len);
			return 0;
		}
		if (errno == EEXIST) {
			if (cg_has(d, "cpuset"))
				inherit_cpuset(d->dir, mount_len);
			return check_unused(d, err);
		}
		if (errno != ENOENT)
			return rt_fail_errno(err, errno, "linux.cgroupsPath: mkdir %s", d->dir);
	}

	snprintf(buf, sizeof(buf), "%s", d->dir);
	for (char *p = buf + mount_len + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (d->v2)
			enable_controllers(buf);
		if (mkdir(buf, 0755) == 0) {
			if (!d->top[0])
				snprintf(d->top, sizeof(d->top), "%s", buf);
			if (cg_has(d, "cpuset"))
				inherit_cpuset(buf, mount_len);
		} else if (errno != EEXIST) {
			return rt_fail_errno(err, errno, "linux.cgroupsPath: mkdir %s", buf);
		} else if (!c) {
			return check_unused(d, err);
		}
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

static int format_record(const struct cg_set *set, char **ret)
{
	size_t len = 1, off = 0;
	char *out;

	for (size_t i = 0; i < set->n; i++)
		len += strlen(set->d[i].name) + strlen(set->d[i].dir) + strlen(set->d[i].top) +
		       strlen(set->d[i].unit) + 6;
	out = malloc(len);
	if (!out)
		return -ENOMEM;
	out[0] = '\0';
	for (size_t i = 0; i < set->n; i++)
		off += (size_t)snprintf(out + off, len - off, "%s\t%s\t%s\t%d%s%s\n",
					set->d[i].name, set->d[i].dir, set->d[i].top, set->d[i].v2,
					*set->d[i].unit ? "\t" : "", set->d[i].unit);
	*ret = out;
	return 0;
}

/* Copies the field that starts at *p and ends at the next tab (or at end)
 * into buf, and moves *p past the tab. -1 if it does not fit or is missing. */
static int next_field(const char **p, const char *end, char *buf, size_t len)
{
	const char *tab;
	size_t n;

	if (!*p)
		return -1;
	tab = memchr(*p, '\t', (size_t)(end - *p));
	n = (size_t)((tab ? tab : end) - *p);
	if (n >= len)
		return -1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p = tab ? tab + 1 : NULL;
	return 0;
}

/* One "name<TAB>dir<TAB>top<TAB>v2[<TAB>unit]" line a hierarchy; "top" may
 * be empty (the directory existed before us, or is systemd's: then the
 * unit that owns it follows). Split by hand: scanf's \t matches any run
 * of blanks, empty fields included. */
int cg_parse_record(const char *record, struct cg_set *set)
{
	const char *p = record;

	set->n = 0;
	while (p && *p && set->n < CG_MAX) {
		struct cg_dir *d = &set->d[set->n];
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p), *f = p;
		char v2[4];

		if (next_field(&f, end, d->name, sizeof(d->name)) < 0 || !f ||
		    next_field(&f, end, d->dir, sizeof(d->dir)) < 0 || !f ||
		    next_field(&f, end, d->top, sizeof(d->top)) < 0 || !f ||
		    next_field(&f, end, v2, sizeof(v2)) < 0 || !*d->name || !*d->dir)
			return -EINVAL;
		d->unit[0] = '\0';
		if (f && next_field(&f, end, d->unit, sizeof(d->unit)) < 0)
			return -EINVAL;
		d->v2 = strcmp(v2, "1") == 0;
		set->n++;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* Whether dir is gone. Exiting tasks leave a cgroup a moment after they
 * are reaped: EBUSY is retried for a second. */
static bool remove_dir(const char *dir)
{
	for (int tries = 0; tries < 100; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return true;
		if (errno != EBUSY)
			break;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	return access(dir, F_OK) < 0;
}

static int remove_set(const struct cg_set *set, struct rt_error *err)
{
	int r = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct cg_dir *d = &set->d[i];
		char buf[PATH_MAX];

		/* systemd's scope: stopping it removes the directory (and a
		 * unit never started, or already gone, is no failure) */
		if (*d->unit) {
			if (systemd_stop_unit(d->unit, err) < 0)
				r = -EIO;
			continue;
		}
		if (!d->top[0])
			continue; /* we created nothing in this hierarchy */
		snprintf(buf, sizeof(buf), "%s", d->dir);
		if (!remove_dir(buf)) {
			r = rt_fail_errno(err, EBUSY, "remove cgroup %s", buf);
			continue;
		}
		/* and the parents we made, up to the topmost one (ENOENT: a
		 * make_dir that failed stopped below them) */
		while (strlen(buf) > strlen(d->top) && strncmp(buf, d->top, strlen(d->top)) == 0) {
			*strrchr(buf, '/') = '\0';
			if (rmdir(buf) < 0 && errno != ENOENT)
				break;
		}
	}
	return r;
}

static const char *cgroup_path(const struct spec *spec, const char *id, char *buf, size_t len)
{
	if (!spec->cgroups_path || !*spec->cgroups_path)
		snprintf(buf, len, "/mini-runtime/%s", id);
	else
		snprintf(buf, len, "%s%s", spec->cgroups_path[0] == '/' ? "" : "/",
			 spec->cgroups_path);
	return buf;
}

/* Whether a v1 controller is needed: the freezer always (pause, and the
 * list of the container's processes), the others only for a resource the
 * config sets. Every hierarchy joined costs a mkdir, a move and an rmdir
 * on the start path. */
static bool controller_needed(const char *c, const struct resources *r)
{
	if (strcmp(c, "freezer") == 0)
		return true;
	if (!r)
		return false;
	if (strcmp(c, "memory") == 0)
		return r->mem_limit.set || r->mem_reservation.set || r->mem_swap.set ||
		       r->mem_swappiness.set || r->mem_disable_oom_killer || r->mem_kernel.set ||
		       r->mem_kernel_tcp.set || r->mem_use_hierarchy.set;
	if (strcmp(c, "cpu") == 0)
		return r->cpu_shares.set || r->cpu_quota.set || r->cpu_period.set ||
		       r->cpu_rt_runtime.set || r->cpu_rt_period.set || r->cpu_idle.set ||
		       r->cpu_burst.set;
	if (strcmp(c, "cpuset") == 0)
		return (r->cpu_cpus && *r->cpu_cpus) || (r->cpu_mems && *r->cpu_mems);
	if (strcmp(c, "pids") == 0)
		return r->pids_limit.set;
	if (strcmp(c, "blkio") == 0)
		return cg_blkio_needed(r);
	if (strcmp(c, "rdma") == 0)
		return r->nrdma > 0;
	if (strcmp(c, "devices") == 0)
		return r->ndevices > 0;
	if (strcmp(c, "hugetlb") == 0)
		return r->nhugepages > 0;
	if (strcmp(c, "net_cls") == 0)
		return r->net_class_id.set;
	if (strcmp(c, "net_prio") == 0)
		return r->nnet_prios > 0;
	return false;
}

/* A hierarchy is needed when one of its controllers is (co-mounted ones,
 * "cpu,cpuacct", count for each). On a hybrid host the v2 tree is joined
 * only for what v1 lacks: it also keeps an unreaped zombie, which would
 * block delete. */
static bool needed(const struct cg_dir *d, const struct resources *r, bool pure_v2)
{
	char names[sizeof(d->name)], *save = NULL;

	if (pure_v2)
		return true;
	if (d->v2)
		return r && (r->nunified || r->nhugepages);
	snprintf(names, sizeof(names), "%s", d->name);
	for (char *c = strtok_r(names, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (controller_needed(c, r))
			return true;
	return false;
}

void cg_keep_needed(struct cg_set *set, const struct resources *res)
{
	bool pure_v2 = true;

	for (size_t i = 0; i < set->n; i++)
		pure_v2 &= set->d[i].v2;
	for (size_t i = 0; i < set->n;) {
		if (needed(&set->d[i], res, pure_v2))
			i++;
		else
			set->d[i] = set->d[--set->n];
	}
}

int cgroups_create(const struct spec *spec, const char *id, const struct resources *res,
		   bool systemd, char **ret_record, struct rt_error *err)
{
	struct cg_set set;
	char path[PATH_MAX];
	struct rt_error ignored;

	/* systemd makes the scope once the init exists (cgroups_place) */
	if (systemd)
		return cg_systemd_check(spec, res, err) < 0 ? -EINVAL
							     : cg_systemd_record(spec->cgroups_path, id,
										 ret_record, err);
	cgroup_path(spec, id, path, sizeof(path));
	if (strstr(path, "/../") || strstr(path, "/./") || strchr(path, ':'))
		return rt_fail(err, EINVAL, "linux.cgroupsPath: invalid path \"%s\"",
			       spec->cgroups_path);
	if (find_hierarchies(&set, path, err) < 0)
		return -EINVAL;
	/* a cgroupsPath is the kubelet's contract: the pod's limits are set on
	 * the parents in every hierarchy, so the container joins it in every
	 * one (as runc), or it escapes the limits it gives no resources for.
	 * Without one only what the resources use (and the freezer) is joined:
	 * nobody else's limits apply, and each hierarchy costs a mkdir and a
	 * join per start */
	if (!spec->cgroups_path)
		cg_keep_needed(&set, res);
	if (set.n == 0)
		return rt_fail(err, ENOENT, "linux.cgroupsPath: no freezer cgroup hierarchy here");
	for (size_t i = 0; i < set.n; i++) {
		if (make_dir(&set.d[i], strlen(set.d[i].dir) - strlen(path), err) < 0) {
			remove_set(&set, &ignored);
			return -EINVAL;
		}
	}
	if ((res && cg_apply_resources(&set, res, err) < 0) ||
	    cg_apply_devices(&set, spec, res, err) < 0 || format_record(&set, ret_record) < 0) {
		if (!*err->msg)
			rt_fail(err, ENOMEM, "out of memory");
		remove_set(&set, &ignored);
		return -EINVAL;
	}
	return 0;
}

int cgroups_place(const char *record, pid_t pid, const struct spec *spec, const char *id,
		  const struct resources *res, struct rt_error *err)
{
	struct cg_set set;

	if (!record || cg_parse_record(record, &set) < 0 || set.n != 1 || !*set.d[0].unit)
		return 0;
	if (cg_systemd_start(&set.d[0], pid, id, spec, res, err) < 0)
		return -EINVAL;
	/* the rest on the delegated cgroup, as the cgroupfs driver writes it */
	if ((res && cg_apply_resources(&set, res, err) < 0) ||
	    cg_apply_devices(&set, spec, res, err) < 0)
		return -EINVAL;
	return 0;
}

int cgroups_open_join(const char *record, bool for_init, struct cg_join *j,
		      struct rt_error *err)
{
	struct cg_set set;

	*j = (struct cg_join){.record = record, .v2_dir = -1};
	if (!record)
		return 0;
	if (cg_parse_record(record, &set) < 0)
		return rt_fail(err, EINVAL, "corrupt cgroup record");
	for (size_t i = 0; i < set.n; i++) {
		/* a scope systemd has yet to make: the init waits to be put in
		 * it; an exec'd process joins the scope's cgroup as any other */
		if (*set.d[i].unit && for_init) {
			j->placed_by_parent = true;
			continue;
		}
		if (!set.d[i].v2)
			continue;
		j->v2_dir = open(set.d[i].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (j->v2_dir < 0)
			return rt_fail_errno(err, errno, "linux.cgroupsPath: open %s",
					     set.d[i].dir);
	}
	return 0;
}

int cgroups_join_self(const struct cg_join *j, struct rt_error *err)
{
	struct cg_set set;
	char path[PATH_MAX];

	if (!j->record || j->placed_by_parent)
		return 0;
	if (cg_parse_record(j->record, &set) < 0)
		return rt_fail(err, EINVAL, "corrupt cgroup record");
	for (size_t i = 0; i < set.n; i++) {
		int fd;

		if (set.d[i].v2 && !j->v2_by_write)
			continue;
		snprintf(path, sizeof(path), "%s/%s", set.d[i].dir,
			 set.d[i].v2 ? "cgroup.procs" : "tasks");
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) < 0)
			return rt_fail_errno(err, errno, "linux.cgroupsPath: join %s",
					     set.d[i].dir);
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

int cgroups_destroy(const char *record, struct rt_error *err)
{
	struct cg_set set;

	if (!record || cg_parse_record(record, &set) < 0)
		return 0;
	return remove_set(&set, err);
}

static bool in_set(const struct cg_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->d[i].name, name) == 0)
			return true;
	return false;
}

/* The container's path inside its hierarchies, from the record. */
static int record_path(const struct cg_set *set, char *buf, size_t len, struct rt_error *err)
{
	struct cg_set mounts;

	if (find_hierarchies(&mounts, "", err) < 0)
		return -EINVAL;
	for (size_t i = 0; i < mounts.n; i++) {
		size_t n = strlen(mounts.d[i].dir);

		if (strcmp(mounts.d[i].name, set->d[0].name) == 0 &&
		    strncmp(set->d[0].dir, mounts.d[i].dir, n) == 0) {
			snprintf(buf, len, "%s", set->d[0].dir + n);
			return 0;
		}
	}
	return rt_fail(err, ENOENT, "cgroup %s is no longer mounted", set->d[0].dir);
}

int cgroups_extend(const char *record, const struct resources *res, char **ret_record,
		   struct rt_error *err)
{
	struct cg_set set, all;
	char path[PATH_MAX], buf[16];
	pid_t *pids = NULL;
	size_t npids = 0;
	int r = 0;

	if (!record || cg_parse_record(record, &set) < 0 || set.n == 0)
		return rt_fail(err, ENOENT, "the container has no cgroup");
	if (record_path(&set, path, sizeof(path), err) < 0 ||
	    find_hierarchies(&all, path, err) < 0)
		return -EINVAL;
	cg_keep_needed(&all, res);
	for (size_t i = 0; i < all.n && r == 0; i++) {
		if (in_set(&set, all.d[i].name) || set.n == CG_MAX)
			continue;
		if (!pids && cgroups_pids(record, &pids, &npids, err) < 0)
			return -EINVAL;
		r = make_dir(&all.d[i], strlen(all.d[i].dir) - strlen(path), err);
		for (size_t k = 0; k < npids && r == 0; k++) {
			snprintf(buf, sizeof(buf), "%d", (int)pids[k]);
			r = cg_write(&all.d[i], "cgroup.procs", buf, "linux.resources", err);
		}
		if (r == 0)
			set.d[set.n++] = all.d[i];
	}
	free(pids);
	if (r == 0 && format_record(&set, ret_record) < 0)
		r = rt_fail(err, ENOMEM, "out of memory");
	return r;
}
