/* rootless.c - the steps a runtime that is not root takes differently
 * (rootless.h says which and why). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "rootless.h"
#include "util.h"

bool rootless(void)
{
	return geteuid() != 0;
}

const char *rootless_default_root(const char **ret_why)
{
	static char buf[PATH_MAX];
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	*ret_why = NULL;
	if (!rootless())
		return "/run/mini-runtime";
	if (!xdg || !*xdg) {
		*ret_why = "XDG_RUNTIME_DIR is not set";
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s/mini-runtime", xdg);
	return buf;
}

/* The whole map is the caller's own id, once: what the kernel lets an
 * unprivileged owner of the namespace write. */
static bool own_id_only(const struct spec_idmap *m, size_t n, unsigned id)
{
	return n == 1 && m[0].host_id == id && m[0].size == 1;
}

int rootless_validate(const struct spec *spec, struct rt_error *err)
{
	if (!rootless())
		return 0;
	if (!spec->ns[NS_USER].enabled)
		return rt_fail(err, EPERM,
			       "linux.namespaces: rootless (uid %u), the container needs a user "
			       "namespace (spec --rootless makes one)",
			       (unsigned)geteuid());
	/* the gid map rootless_write_id_maps writes after denying setgroups */
	if (spec->process && spec->process->n_additional_gids && !spec->ns[NS_USER].path &&
	    own_id_only(spec->gid_maps, spec->n_gid_maps, (unsigned)getegid()))
		return rt_fail(err, EPERM,
			       "process.user.additionalGids: rootless (uid %u), linux.gidMappings "
			       "maps the user's own gid alone, which needs setgroups denied: map "
			       "an /etc/subgid range too (newgidmap)",
			       (unsigned)geteuid());
	for (size_t i = 0; i < spec->nmounts; i++)
		if (spec->mounts[i].idmap)
			return rt_fail(err, EPERM,
				       "mounts[%zu]: rootless (uid %u), a mount cannot be idmapped "
				       "(it needs root over the filesystem's user namespace)",
				       i, (unsigned)geteuid());
	return 0;
}

/* Whether dir, or the deepest of its parents that exists, is a directory
 * the user may make entries in: where the container's cgroup would go. */
static bool writable_below(const char *dir)
{
	char p[PATH_MAX];
	char *slash;

	snprintf(p, sizeof(p), "%s", dir);
	for (;;) {
		if (faccessat(AT_FDCWD, p, W_OK | X_OK, AT_EACCESS) == 0)
			return true;
		if (errno != ENOENT || !(slash = strrchr(p, '/')) || slash == p)
			return false;
		*slash = '\0';
	}
}

int rootless_cgroups(const struct spec *spec, const char *id, const struct resources *res,
		     bool systemd, bool *ret_use, struct rt_error *err)
{
	const char *cg = spec->cgroups_path;
	struct statfs sfs;
	char dir[PATH_MAX];

	*ret_use = true;
	/* the systemd driver asks systemd, which says itself what it refuses */
	if (!rootless() || systemd)
		return 0;
	if (cg && *cg)
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup%s%s", *cg == '/' ? "" : "/", cg);
	else
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/mini-runtime/%s", id);
	/* on a v1 or hybrid host the controllers are v1's, never delegated */
	if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC &&
	    writable_below(dir))
		return 0;
	if (res)
		return rt_fail(err, EPERM,
			       "linux.resources: rootless (uid %u), the container gets no cgroup: "
			       "%s is in no cgroup v2 subtree delegated to the user",
			       (unsigned)geteuid(), dir);
	log_debug("rootless: no cgroup for %s (%s is in no cgroup v2 subtree delegated to uid "
		  "%u)",
		  id, dir, (unsigned)geteuid());
	*ret_use = false;
	return 0;
}

/* "C H S" lines, or the same words as arguments for the helpers. */
static int format_maps(const struct spec_idmap *m, size_t n, char sep, char *buf, size_t len)
{
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + used, len - used, "%u %u %u%c", m[i].container_id,
				 m[i].host_id, m[i].size, sep);
		if (w < 0 || (size_t)w >= len - used)
			return -E2BIG;
		used += (size_t)w;
	}
	return (int)used;
}

/* newuidmap/newgidmap PID C H S...: the setuid helper checks the ranges
 * against /etc/subuid (subgid) and writes the map; its stderr line is
 * the reason of a refusal. */
static int run_helper(const char *helper, pid_t pid, const struct spec_idmap *m, size_t n,
		      const char *field, struct rt_error *err)
{
	char words[4096], pidbuf[16], out[512] = "";
	char *argv[3 + 3 * 340 + 1], *save = NULL;
	int p[2], status = 0, argc = 0;
	ssize_t got = 0, r;
	pid_t child;

	if (format_maps(m, n, ' ', words, sizeof(words)) < 0)
		return rt_fail(err, E2BIG, "%s: too many mappings", field);
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);
	argv[argc++] = (char *)helper;
	argv[argc++] = pidbuf;
	for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "%s: pipe", field);
	child = fork();
	if (child == 0) {
		dup2(p[1], 2);
		execvp(helper, argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(p[1]);
	while (child > 0 && (size_t)got < sizeof(out) - 1 &&
	       ((r = read(p[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0 ||
		(r < 0 && errno == EINTR)))
		got += r > 0 ? r : 0;
	close(p[0]);
	if (child < 0)
		return rt_fail_errno(err, errno, "%s: fork %s", field, helper);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	out[got] = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return rt_fail(err, ENOENT,
			       "%s: rootless (uid %u), ids other than one's own need %s (Debian's "
			       "uidmap package), which is not installed",
			       field, (unsigned)geteuid(), helper);
	return rt_fail(err, EPERM, "%s: rootless (uid %u), %s refused the mapping: %s", field,
		       (unsigned)geteuid(), helper, *out ? out : "(no reason given)");
}

static int write_own(pid_t pid, const char *file, const struct spec_idmap *m,
		     const char *field, struct rt_error *err)
{
	char path[64], line[64];
	int n = format_maps(m, 1, '\n', line, sizeof(line));

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (write_file(path, line, (size_t)n, err) < 0)
		return rt_wrap(err, "%s", field);
	return 0;
}

int rootless_write_id_maps(pid_t pid, const struct spec *spec, struct rt_error *err)
{
	char path[64];

	if (own_id_only(spec->uid_maps, spec->n_uid_maps, (unsigned)geteuid())
		    ? write_own(pid, "uid_map", spec->uid_maps, "linux.uidMappings", err) < 0
		    : run_helper("newuidmap", pid, spec->uid_maps, spec->n_uid_maps,
				 "linux.uidMappings", err) < 0)
		return -EINVAL;
	if (!own_id_only(spec->gid_maps, spec->n_gid_maps, (unsigned)getegid()))
		return run_helper("newgidmap", pid, spec->gid_maps, spec->n_gid_maps,
				  "linux.gidMappings", err);
	/* the kernel lets an unprivileged writer map its gid only once
	 * setgroups is denied for good in the namespace (user_namespaces(7)):
	 * the container cannot take supplementary groups then */
	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	if (write_file(path, "deny", 4, err) < 0)
		return rt_wrap(err, "linux.gidMappings: deny setgroups, as an unprivileged map needs");
	return write_own(pid, "gid_map", spec->gid_maps, "linux.gidMappings", err);
}
