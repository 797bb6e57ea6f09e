#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "procfs.h"
#include "sysctl.h"
#include "util.h"

/* Which namespace holds a key (in dot form), or NS_COUNT for none. */
static enum spec_ns_type holder(const char *key)
{
	static const struct {
		const char *name;
		bool prefix; /* any key that starts with name */
		enum spec_ns_type ns;
	} table[] = {
		{"kernel.msg", true, NS_IPC},	  {"kernel.sem", false, NS_IPC},
		{"kernel.shm", true, NS_IPC},	  {"fs.mqueue.", true, NS_IPC},
		{"net.", true, NS_NET},		  {"kernel.hostname", false, NS_UTS},
		{"kernel.domainname", false, NS_UTS},
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].prefix ? strncmp(key, table[i].name, strlen(table[i].name)) == 0
				    : strcmp(key, table[i].name) == 0)
			return table[i].ns;
	return NS_COUNT;
}

/* The container has this namespace of its own: a new one, or a joined
 * one that is not the runtime's ("host" meaning the caller's, as runc). */
static bool own_namespace(const struct spec *spec, enum spec_ns_type t)
{
	char ours[64];
	struct stat a, b;

	if (!spec->ns[t].enabled)
		return false;
	if (!spec->ns[t].path)
		return true;
	snprintf(ours, sizeof(ours), "/proc/self/ns/%s", spec_ns_proc_name(t));
	if (stat(spec->ns[t].path, &a) < 0 || stat(ours, &b) < 0)
		return true; /* the join itself reports a bad path */
	return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

/* Dot form of a key whose separators may be slashes. */
static void dot_form(const char *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s", key);
	for (char *p = buf; *p; p++)
		if (*p == '/')
			*p = '.';
}

static bool well_formed(const char *key)
{
	size_t n = strlen(key);

	/* the key becomes a path below /proc/sys: no way out of it */
	return n && n < NAME_MAX && key[0] != '/' && key[0] != '.' && key[n - 1] != '/' &&
	       key[n - 1] != '.' && !strstr(key, "..") && !strstr(key, "//") &&
	       !strstr(key, "./") && !strstr(key, "/.");
}

static int check_one(const struct spec *spec, const char *key, struct rt_error *err)
{
	char dots[NAME_MAX + 1];
	enum spec_ns_type ns;

	if (!well_formed(key))
		return rt_fail(err, EINVAL, "linux.sysctl[\"%s\"]: invalid key", key);
	dot_form(key, dots, sizeof(dots));
	ns = holder(dots);
	if (ns == NS_COUNT)
		return rt_fail(err, EPERM,
			       "linux.sysctl[\"%s\"]: not held by a namespace of the container's "
			       "own: it would change the host",
			       key);
	if (!own_namespace(spec, ns))
		return rt_fail(err, EPERM,
			       "linux.sysctl[\"%s\"]: needs a %s namespace of the container's own "
			       "(not the host's)",
			       key, spec_ns_proc_name(ns));
	if (!strcmp(dots, "kernel.hostname") && spec->hostname && *spec->hostname)
		return rt_fail(err, EINVAL,
			       "linux.sysctl[\"%s\"]: conflicts with the \"hostname\" field", key);
	if (!strcmp(dots, "kernel.domainname") && spec->domainname && *spec->domainname)
		return rt_fail(err, EINVAL,
			       "linux.sysctl[\"%s\"]: conflicts with the \"domainname\" field", key);
	return 0;
}

int sysctl_check(const struct spec *spec, struct rt_error *err)
{
	int r;

	for (size_t i = 0; i < spec->nsysctl; i++)
		if ((r = check_one(spec, spec->sysctl[i].key, err)) < 0)
			return r;
	return 0;
}

int sysctl_write_all(int procfd, const struct spec *spec, struct rt_error *err)
{
	for (size_t i = 0; i < spec->nsysctl; i++) {
		const struct spec_sysctl *s = &spec->sysctl[i];
		char path[PATH_MAX];

		/* dot form means dots are separators; a key with slashes keeps
		 * its dots (an interface named eth0.1) */
		snprintf(path, sizeof(path), "sys/%s", s->key);
		if (!strchr(s->key, '/'))
			for (char *p = path + 4; *p; p++)
				if (*p == '.')
					*p = '/';
		if (procfs_write(procfd, path, s->value, strlen(s->value), err) < 0)
			return rt_wrap(err, "linux.sysctl[\"%s\"]", s->key);
	}
	return 0;
}
