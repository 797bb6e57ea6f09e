/* cgroups_cgroupfs.c - the cgroupfs back end: the container's directory
 * in each hierarchy mounted (v1 controllers, and the v2 tree, which on a
 * hybrid host holds what v1 lacks), made with mkdir and removed with rmdir
 * by the runtime itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroups_internal.h"
#include "util.h"

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
struct cgroups *cg_parse_mountinfo(const char *text, const char *path)
{
	struct cgroup_dir found[CG_MAX] = {0};
	char names[CG_MAX][64];
	struct cgroups *cgroups = NULL;
	size_t n = 0;

	for (const char *line = text; *line && n < CG_MAX;) {
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
		const char *base = memrchr(mnt, '/', mnt_len) + 1;

		if (mnt_len == 14)
			snprintf(names[n], sizeof(names[n]), "unified");
		else
			snprintf(names[n], sizeof(names[n]), "%.*s", (int)(mnt + mnt_len - base),
				 base);
		found[n] =
		    (struct cgroup_dir){.name = names[n], .top = "", .unit = "", .v2 = fs_len == 7};
		if (asprintf(&found[n].dir, "%.*s%s", (int)mnt_len, mnt, path) < 0)
			goto out;
		n++;
	}
	cgroups = cg_pack(found, n);
out:
	while (n > 0)
		free(found[--n].dir);
	return cgroups;
}

static int find_hierarchies(const char *path, struct cgroups **ret, struct rt_error *err)
{
	cleanup_free char *text = NULL;
	struct cgroups *cgroups;

	if (read_file("/proc/self/mountinfo", &text, NULL, err) < 0)
		return -EIO;
	cgroups = cg_parse_mountinfo(text, path);
	if (!cgroups)
		return rt_fail(err, ENOMEM, "out of memory");
	if (cgroups->n == 0) {
		free(cgroups);
		return rt_fail(err, ENOENT, "linux.cgroupsPath: no cgroup hierarchy is mounted");
	}
	*ret = cgroups;
	return 0;
}

/* A new v1 cpuset has no cpus or mems, and nor has a parent a manager
 * made and left so: no task can join below it (ENOSPC). Each empty level
 * takes its parent's, from the mount (mount_len long) down, as runc. */
static void inherit_cpuset(const char *dir, size_t mount_len)
{
	char parent[PATH_MAX], buf[4096];
	const struct cgroup_dir d = {.dir = (char *)dir};
	struct rt_error ignored;

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
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
	const struct cgroup_dir d = {.dir = parent};
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
static int check_unused(const struct cgroup_dir *d, struct rt_error *err)
{
	char buf[64];

	if (cg_read(d->dir, "cgroup.procs", buf, sizeof(buf)) > 0)
		return rt_fail(err, EBUSY,
			       "linux.cgroupsPath: cgroup %s already has processes (another "
			       "container's?)",
			       d->dir);
	return 0;
}

/* Makes d's directory and the parents missing; d->top (room for d->dir,
 * cg_pack) becomes the topmost one made. */
static int make_dir(struct cgroup_dir *d, size_t mount_len, struct rt_error *err)
{
	char buf[PATH_MAX];

	/* v1, where the parents are usually there: the leaf alone first (v2
	 * needs the controllers enabled on the way down) */
	if (!d->v2) {
		if (mkdir(d->dir, 0755) == 0) {
			strcpy(d->top, d->dir);
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
	for (char *p = buf + mount_len + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (d->v2)
			enable_controllers(buf);
		if (mkdir(buf, 0755) == 0) {
			if (!d->top[0])
				strcpy(d->top, buf);
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

static int fs_destroy(const struct cgroups *cgroups, struct rt_error *err)
{
	int r = 0;

	for (size_t i = 0; i < cgroups->n; i++) {
		const struct cgroup_dir *d = &cgroups->d[i];
		char buf[PATH_MAX];

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
static bool needed(const struct cgroup_dir *d, const struct resources *r, bool pure_v2)
{
	char names[256], *save = NULL;

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

void cg_keep_needed(struct cgroups *cgroups, const struct resources *res)
{
	bool pure_v2 = true;

	for (size_t i = 0; i < cgroups->n; i++)
		pure_v2 &= cgroups->d[i].v2;
	for (size_t i = 0; i < cgroups->n;) {
		if (needed(&cgroups->d[i], res, pure_v2))
			i++;
		else
			cgroups->d[i] = cgroups->d[--cgroups->n];
	}
}

static int fs_create(const struct spec *spec, const char *id, const struct resources *res,
		     struct cgroups **ret, struct rt_error *err)
{
	cleanup_free struct cgroups *cgroups = NULL;
	char path[PATH_MAX];
	struct rt_error ignored;
	int r;

	cgroup_path(spec, id, path, sizeof(path));
	if (strstr(path, "/../") || strstr(path, "/./") || strchr(path, ':'))
		return rt_fail(err, EINVAL, "linux.cgroupsPath: invalid path \"%s\"",
			       spec->cgroups_path);
	if ((r = find_hierarchies(path, &cgroups, err)) < 0)
		return r;
	/* a cgroupsPath is the kubelet's contract: the pod's limits are set on
	 * the parents in every hierarchy, so the container joins it in every
	 * one (as runc), or it escapes the limits it gives no resources for.
	 * Without one only what the resources use (and the freezer) is joined:
	 * nobody else's limits apply, and each hierarchy costs a mkdir and a
	 * join per start */
	if (!spec->cgroups_path)
		cg_keep_needed(cgroups, res);
	if (cgroups->n == 0)
		return rt_fail(err, ENOENT, "linux.cgroupsPath: no freezer cgroup hierarchy here");
	for (size_t i = 0; i < cgroups->n; i++) {
		if ((r = make_dir(&cgroups->d[i], strlen(cgroups->d[i].dir) - strlen(path), err)) <
		    0) {
			fs_destroy(cgroups, &ignored);
			return r;
		}
	}
	*ret = steal_ptr(&cgroups);
	return 0;
}

static bool in_set(const struct cgroups *cgroups, const char *name)
{
	for (size_t i = 0; i < cgroups->n; i++)
		if (strcmp(cgroups->d[i].name, name) == 0)
			return true;
	return false;
}

/* The container's path inside its hierarchies, from its handle. */
static int set_path(const struct cgroups *cgroups, char *buf, size_t len, struct rt_error *err)
{
	cleanup_free struct cgroups *mounts = NULL;
	int r;

	if ((r = find_hierarchies("", &mounts, err)) < 0)
		return r;
	for (size_t i = 0; i < mounts->n; i++) {
		size_t n = strlen(mounts->d[i].dir);

		if (strcmp(mounts->d[i].name, cgroups->d[0].name) == 0 &&
		    strncmp(cgroups->d[0].dir, mounts->d[i].dir, n) == 0) {
			snprintf(buf, len, "%s", cgroups->d[0].dir + n);
			return 0;
		}
	}
	return rt_fail(err, ENOENT, "cgroup %s is no longer mounted", cgroups->d[0].dir);
}

/* Makes d and moves the container's processes into it. */
static int join_new(struct cgroup_dir *d, size_t mount_len, const struct cgroups *cgroups,
		    struct rt_error *err)
{
	cleanup_free pid_t *pids = NULL;
	size_t npids = 0;
	char buf[16];
	int r;

	if ((r = cg_pids(&cgroups->d[0], &pids, &npids, err)) < 0 ||
	    (r = make_dir(d, mount_len, err)) < 0)
		return r;
	for (size_t k = 0; k < npids && r == 0; k++) {
		snprintf(buf, sizeof(buf), "%d", (int)pids[k]);
		r = cg_write(d, "cgroup.procs", buf, "linux.resources", err);
	}
	return r;
}

/* What the handle lacks for res is made and joined; *ret is the one grown
 * (also when a later one failed: what was made is recorded, for delete to
 * remove), NULL when nothing was missing. */
static int fs_extend(const struct cgroups *cgroups, const struct resources *res,
		     struct cgroups **ret, struct rt_error *err)
{
	cleanup_free struct cgroups *all = NULL;
	struct cgroup_dir grown[CG_MAX];
	char path[PATH_MAX];
	size_t n = cgroups->n;
	int r;

	*ret = NULL;
	if ((r = set_path(cgroups, path, sizeof(path), err)) < 0 ||
	    (r = find_hierarchies(path, &all, err)) < 0)
		return r;
	cg_keep_needed(all, res);
	memcpy(grown, cgroups->d, n * sizeof(*grown));
	for (size_t i = 0; i < all->n && r == 0 && n < CG_MAX; i++) {
		if (in_set(cgroups, all->d[i].name))
			continue;
		r = join_new(&all->d[i], strlen(all->d[i].dir) - strlen(path), cgroups, err);
		if (r == 0 || all->d[i].top[0])
			grown[n++] = all->d[i];
	}
	if (n > cgroups->n && !(*ret = cg_pack(grown, n)))
		return rt_fail(err, ENOMEM, "out of memory");
	return r;
}

const struct cg_driver cg_cgroupfs = {
    .name = "cgroupfs",
    .create = fs_create,
    .extend = fs_extend,
    .destroy = fs_destroy,
};
