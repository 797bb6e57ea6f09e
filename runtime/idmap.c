/* idmap.c - idmapped mounts: made detached on the host's side, attached by
 * the init (the why is in idmap.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "mount_fd.h"
#include "mounts.h"
#include "namespaces.h"
#include "path.h"
#include "sync.h"
#include "util.h"

void idmap_plan(struct spec *spec, bool privileged)
{
	bool binds = privileged && spec->ns[NS_USER].enabled && spec->ns[NS_MNT].enabled;

	for (size_t i = 0; i < spec->nmounts; i++)
		spec->mounts[i].by_parent = spec->mounts[i].idmap || (binds && spec->mounts[i].bind);
}

size_t idmap_count(const struct spec *spec)
{
	size_t n = 0;

	for (size_t i = 0; i < spec->nmounts; i++)
		n += spec->mounts[i].by_parent;
	return n;
}

static bool same_maps(const struct spec_idmap *a, size_t na, const struct spec_idmap *b,
		      size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

/* The user namespaces the mounts use: the container's (opened when first
 * needed) and one per distinct mapping of the mounts' own. */
struct userns_set {
	int container_fd;
	struct {
		const struct spec_mount *m;
		int fd;
	} *made;
	size_t nmade;
};

/* A child in a new user namespace that only waits for the pipe to close:
 * alive just long enough for its maps to be written and the namespace
 * opened (the fd keeps it). If we die meanwhile, the pipe closes and the
 * child exits too. */
static int make_userns(const struct spec_mount *m, const char *path, int *ret_fd,
		       struct rt_error *err)
{
	cleanup_close int rd = -1, wr = -1;
	char ns[64];
	int p[2], r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "%s: pipe", path);
	rd = p[0];
	wr = p[1];
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return rt_fail_errno(err, errno, "%s: create a user namespace for the mapping",
				     path);
	if (pid == 0) {
		char c;

		close(wr);
		while (read(rd, &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	r = ns_write_maps(pid, m->uid_maps, m->n_uid_maps, m->gid_maps, m->n_gid_maps, path, err);
	if (r == 0) {
		snprintf(ns, sizeof(ns), "/proc/%d/ns/user", (int)pid);
		*ret_fd = open(ns, O_RDONLY | O_CLOEXEC);
		if (*ret_fd < 0)
			r = rt_fail_errno(err, errno, "%s: open %s", path, ns);
	}
	close(steal_fd(&wr));
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r;
}

/* The container's own namespace: the one it joins, or the init's new
 * one, whose maps the parent has just written. */
static int container_userns(const struct spec *spec, pid_t pid, struct userns_set *set,
			    struct rt_error *err)
{
	char path[64];
	const char *p = spec->ns[NS_USER].path;

	if (set->container_fd >= 0)
		return set->container_fd;
	if (!p) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		p = path;
	}
	set->container_fd = open(p, O_RDONLY | O_CLOEXEC);
	if (set->container_fd < 0)
		return rt_fail_errno(err, errno, "open the container's user namespace %s", p);
	return set->container_fd;
}

static int userns_for(const struct spec *spec, const struct spec_mount *m, const char *path,
		      pid_t pid, struct userns_set *set, struct rt_error *err)
{
	int r;

	if (!m->n_uid_maps ||
	    (spec->ns[NS_USER].enabled && !spec->ns[NS_USER].path &&
	     same_maps(m->uid_maps, m->n_uid_maps, spec->uid_maps, spec->n_uid_maps) &&
	     same_maps(m->gid_maps, m->n_gid_maps, spec->gid_maps, spec->n_gid_maps)))
		return container_userns(spec, pid, set, err);
	for (size_t i = 0; i < set->nmade; i++) {
		const struct spec_mount *o = set->made[i].m;

		if (same_maps(m->uid_maps, m->n_uid_maps, o->uid_maps, o->n_uid_maps) &&
		    same_maps(m->gid_maps, m->n_gid_maps, o->gid_maps, o->n_gid_maps))
			return set->made[i].fd;
	}
	set->made[set->nmade].m = m;
	if ((r = make_userns(m, path, &set->made[set->nmade].fd, err)) < 0)
		return r;
	return set->made[set->nmade++].fd;
}

/* The detached mount, with the options' flags, a slave of its source. */
static int make_tree(const struct spec *spec, const struct spec_mount *m, int *ret_tree,
		     struct rt_error *err)
{
	cleanup_close int tree = -1;
	int r;

	if (m->bind) {
		if (mnt_clone(AT_FDCWD, m->source, m->flags & MS_REC, &tree, err) < 0 ||
		    mnt_set_attr(tree, mounts_bind_attr(m, spec->ns[NS_USER].enabled), false,
				 err) < 0 ||
		    (m->recursive_ro &&
		     mnt_set_attr(tree, (struct mount_attr){.attr_set = MOUNT_ATTR_RDONLY}, true,
				  err) < 0))
			return rt_wrap(err, "bind %s", m->source);
	} else {
		unsigned long set = m->flags & ~MS_REC;

		if ((r = mnt_new_fs(m->type, m->source ? m->source : m->type, m->data, set,
				    (unsigned int)mnt_attr_from_flags(set, 0).attr_set, &tree,
				    err)) < 0)
			return r;
	}
	/* a clone of a shared mount is its peer: what the container mounts
	 * below it would reach the host (the rootfs is a slave for the same
	 * reason, mounts_prepare_root) */
	if ((r = mnt_set_propagation(tree, MS_SLAVE | MS_REC, err)) < 0)
		return r;
	*ret_tree = steal_fd(&tree);
	return 0;
}

static int set_idmap(const struct spec_mount *m, int tree, int userns_fd, struct rt_error *err)
{
	struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd};
	unsigned int flags = AT_EMPTY_PATH | (m->idmap_recursive ? AT_RECURSIVE : 0);

	if (mount_setattr(tree, "", flags, &a, sizeof(a)) == 0)
		return 0;
	/* can_idmap_mount: the filesystem (or, for ridmap, one below) lacks
	 * FS_ALLOW_IDMAP, or already belongs to that user namespace */
	if (errno == EINVAL)
		return rt_fail_errno(err, errno, "this filesystem cannot be idmapped%s",
				     m->idmap_recursive ? " (this or a mount below it)" : "");
	if (errno == EPERM)
		return rt_fail_errno(err, errno, "idmap (an idmapped mount cannot be idmapped "
						 "again)");
	return rt_fail_errno(err, errno, "idmap");
}

static int send_one(int sync_fd, const struct spec *spec, size_t i, pid_t pid,
		    struct userns_set *set, struct rt_error *err)
{
	const struct spec_mount *m = &spec->mounts[i];
	cleanup_close int tree = -1;
	char path[32];
	int userns, r;

	snprintf(path, sizeof(path), "mounts[%zu]", i);
	if (!m->idmap) {
		/* a plain bind: the words the init's own would fail with */
		struct stat st;

		if (stat(m->source, &st) < 0)
			return rt_fail_errno(err, errno, "%s: mount %s: source %s", path,
					     m->destination, m->source);
		if (make_tree(spec, m, &tree, err) < 0)
			return rt_wrap(err, "%s: mount %s", path, m->destination);
	} else {
		userns = userns_for(spec, m, path, pid, set, err);
		if (userns < 0)
			return userns;
		if (make_tree(spec, m, &tree, err) < 0 || set_idmap(m, tree, userns, err) < 0)
			return rt_wrap(err, "%s: idmapped mount %s", path, m->destination);
	}
	r = sync_send_fd(sync_fd, SYNC_IDMAP, tree);
	if (r < 0)
		return rt_fail_errno(err, -r, "%s: send the mount to the init", path);
	return 0;
}

int idmap_send_mounts(int sync_fd, const struct spec *spec, pid_t pid, struct rt_error *err)
{
	struct userns_set set = {.container_fd = -1};
	size_t n = idmap_count(spec);
	int r = 0;

	if (!n)
		return 0;
	set.made = calloc(n, sizeof(*set.made));
	if (!set.made)
		return rt_fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < spec->nmounts && r == 0; i++)
		if (spec->mounts[i].by_parent)
			r = send_one(sync_fd, spec, i, pid, &set, err);
	for (size_t i = 0; i < set.nmade; i++)
		close(set.made[i].fd);
	free(set.made);
	if (set.container_fd >= 0)
		close(set.container_fd);
	return r;
}

int idmap_receive_mounts(int sync_fd, const struct spec *spec, struct idmap_mounts *ret,
			 struct rt_error *err)
{
	size_t n = idmap_count(spec);

	*ret = (struct idmap_mounts){0};
	if (!n)
		return 0;
	ret->fds = calloc(n, sizeof(*ret->fds));
	if (!ret->fds)
		return rt_fail(err, ENOMEM, "out of memory");
	while (ret->n < n) {
		struct sync_msg msg;
		int fd, r = sync_recv_fd(sync_fd, &msg, &fd);

		if (r < 0)
			return rt_fail_errno(err, -r, "receive the idmapped mounts");
		if (msg.type != SYNC_IDMAP || fd < 0) {
			if (fd >= 0)
				close(fd);
			return rt_fail(err, EPROTO, "sync: expected an idmapped mount, got %u",
				       msg.type);
		}
		ret->fds[ret->n++] = fd;
	}
	return 0;
}

int idmap_attach_next(struct idmap_mounts *set, const struct spec_mount *m, int rootfd,
		      struct rt_error *err)
{
	cleanup_close int mnt = -1, fd = -1;
	struct stat st;

	if (set->next >= set->n)
		return rt_fail(err, EPROTO, "mount %s: no idmapped mount received",
			       m->destination);
	mnt = steal_fd(&set->fds[set->next++]);
	if (fstat(mnt, &st) < 0)
		return rt_fail_errno(err, errno, "mount %s: stat the idmapped mount",
				     m->destination);
	if (path_open_in_root(rootfd, m->destination,
			      S_ISDIR(st.st_mode) ? PATH_CREATE_DIR : PATH_CREATE_FILE, &fd,
			      err) < 0)
		return rt_wrap(err, "mount %s", m->destination);
	if (mnt_move(mnt, fd, "", err) < 0 ||
	    (m->propagation && mnt_set_propagation(mnt, m->propagation, err) < 0))
		return rt_wrap(err, "mount %s: %s %s", m->destination,
			       m->idmap ? "idmapped" : "bind", m->bind ? m->source : m->type);
	return 0;
}

void idmap_mounts_close(struct idmap_mounts *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->fds[i] >= 0)
			close(set->fds[i]);
	free(set->fds);
	*set = (struct idmap_mounts){0};
}
