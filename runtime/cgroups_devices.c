/* cgroups_devices.c - the container's device rules: one list, written to
 * v1's devices.allow/deny or enforced on v2 by a device program.
 *
 * Which back end is the hierarchy's: a v1 devices controller the container
 * joined takes the files; a pure v2 host (one tree, no v1 at all) the
 * program on the container's directory. A hybrid host whose devices
 * hierarchy the container did not join (it gave no rules) gets nothing, as
 * before: the host's own device policy applies. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroups_devices.h"
#include "cgroups_internal.h"
#include "rootless.h"
#include "util.h"

/* What every container gets, as runc: null zero full tty random urandom,
 * the pty multiplexer and the ptys (not runc's "mknod anything"). */
static const struct res_device_rule defaults[] = {
	{true, 'c', 1, 3, "rwm"}, {true, 'c', 1, 5, "rwm"}, {true, 'c', 1, 7, "rwm"},
	{true, 'c', 5, 0, "rwm"}, {true, 'c', 1, 8, "rwm"}, {true, 'c', 1, 9, "rwm"},
	{true, 'c', 5, 2, "rwm"}, {true, 'c', 136, -1, "rwm"},
};

int dev_rule_list_build(const struct resources *res, const struct spec *spec,
			struct dev_rule_list *ret, struct rt_error *err)
{
	size_t nres = res ? res->ndevices : 0, nspec = spec ? spec->ndevices : 0;
	struct dev_rule_list l = {.nspec = nres, .ndefault = ARRAY_SIZE(defaults)};

	l.v = calloc(nres + ARRAY_SIZE(defaults) + nspec, sizeof(*l.v));
	if (!l.v)
		return rt_fail(err, ENOMEM, "out of memory");
	if (nres)
		memcpy(l.v, res->devices, nres * sizeof(*l.v));
	memcpy(l.v + nres, defaults, sizeof(defaults));
	l.n = nres + ARRAY_SIZE(defaults);
	/* the nodes the runtime makes, as they are: a deny-all would make
	 * them useless (fifos are no device) */
	for (size_t i = 0; i < nspec; i++) {
		const struct spec_device *d = &spec->devices[i];

		if (d->type != 'p')
			l.v[l.n++] = (struct res_device_rule){
				.allow = true, .type = d->type == 'b' ? 'b' : 'c',
				.major = d->major, .minor = d->minor, .access = "rwm"};
	}
	*ret = l;
	return 0;
}

void dev_rule_list_free(struct dev_rule_list *l)
{
	free(l->v);
	*l = (struct dev_rule_list){0};
}

const char *dev_rule_field(const struct dev_rule_list *l, size_t i, char *buf, size_t len)
{
	if (i < l->nspec)
		snprintf(buf, len, "linux.resources.devices[%zu]", i);
	else if (i < l->nspec + l->ndefault)
		snprintf(buf, len, "linux.resources.devices (default %c %" PRId64 ":%" PRId64 ")",
			 l->v[i].type, l->v[i].major, l->v[i].minor);
	else
		snprintf(buf, len, "linux.devices (%c %" PRId64 ":%" PRId64 ")", l->v[i].type,
			 l->v[i].major, l->v[i].minor);
	return buf;
}

/* v1: one rule per write; devices.allow and devices.deny opened once. */
static int write_rules(const struct cgroup_dir *d, const struct dev_rule_list *l,
		       struct rt_error *err)
{
	int fd[2] = {-1, -1}; /* deny, allow */
	char path[PATH_MAX], rule[64], field[96];
	int r = 0;

	for (size_t i = 0; i < l->n && r == 0; i++) {
		const struct res_device_rule *x = &l->v[i];
		char maj[24] = "*", min[24] = "*";

		if (x->major >= 0)
			snprintf(maj, sizeof(maj), "%" PRId64, x->major);
		if (x->minor >= 0)
			snprintf(min, sizeof(min), "%" PRId64, x->minor);
		if (x->type == 'a')
			snprintf(rule, sizeof(rule), "a");
		else
			snprintf(rule, sizeof(rule), "%c %s:%s %s", x->type, maj, min, x->access);
		snprintf(path, sizeof(path), "%s/%s", d->dir, x->allow ? "devices.allow" : "devices.deny");
		if (fd[x->allow] < 0 && (fd[x->allow] = open(path, O_WRONLY | O_CLOEXEC)) < 0)
			r = rt_fail_errno(err, errno, "%s: open %s",
					  dev_rule_field(l, i, field, sizeof(field)), path);
		else if (write(fd[x->allow], rule, strlen(rule)) < 0)
			r = rt_fail_errno(err, errno, "%s: write \"%s\" to %s",
					  dev_rule_field(l, i, field, sizeof(field)), rule, path);
	}
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return r;
}

int dev_bpf_apply(const char *dir, const struct dev_rule_list *rules, struct rt_error *err)
{
	struct dev_policy policy = {0};
	struct dev_prog prog = {0};
	cleanup_close int prog_fd = -1, dirfd = -1;
	int r;

	r = dev_policy_build(rules->v, rules->n, &policy, err);
	if (r == 0)
		r = dev_prog_build(&policy, &prog, err);
	if (r == 0)
		r = dev_bpf_load(&prog, &prog_fd, err);
	if (r == 0 && (dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = rt_fail_errno(err, errno, "open %s", dir);
	if (r == 0)
		r = dev_bpf_install(dirfd, prog_fd, err);
	dev_prog_free(&prog);
	dev_policy_free(&policy);
	return r;
}

/* In a user namespace bpf(2) is refused, and to a rootless runtime in a
 * delegated subtree; runc goes on without the program there too (the
 * container cannot reach the host's devices by mknod). */
static bool in_user_namespace(void)
{
	char buf[128];

	return cg_read("/proc/self", "uid_map", buf, sizeof(buf)) > 0 &&
	       !strstr(buf, "4294967295");
}

/* The container's only directory on a pure v2 host, else NULL. The host,
 * not the set, decides: a hybrid host without a v1 freezer may leave the
 * container in its v2 tree alone, and there v1's "no rules, no limit"
 * holds. */
static const struct cgroup_dir *pure_v2_dir(const struct cgroups *cgroups)
{
	struct statfs fs;

	if (cgroups->n != 1 || !cgroups->d[0].v2 || statfs("/sys/fs/cgroup", &fs) < 0 ||
	    fs.f_type != CGROUP2_SUPER_MAGIC)
		return NULL;
	return &cgroups->d[0];
}

int cg_apply_devices(const struct cgroups *cgroups, const struct spec *spec,
		     const struct resources *res, struct rt_error *err)
{
	const struct cgroup_dir *v1 = cg_find(cgroups, "devices", "devices.allow");
	const struct cgroup_dir *v2 = pure_v2_dir(cgroups);
	bool on_v1 = v1 && !v1->v2, rules = res && res->ndevices;
	struct dev_rule_list l;
	int r;

	if (on_v1 && !rules)
		return 0; /* nothing written: the parent's list is inherited */
	/* v2 without rules gets the defaults alone at create, as runc (an
	 * allow-list); at `update` the program in place stays */
	if (!on_v1 && (!v2 || (!rules && !spec)))
		return 0;
	if (dev_rule_list_build(res, spec, &l, err) < 0)
		return -ENOMEM;
	if (on_v1) {
		r = write_rules(v1, &l, err);
	} else {
		r = dev_bpf_apply(v2->dir, &l, err);
		if (r < 0 && err->errnum == EPERM && (in_user_namespace() || rootless()))
			r = 0;
		else if (r < 0)
			rt_wrap(err, "linux.resources.devices");
	}
	dev_rule_list_free(&l);
	return r;
}
