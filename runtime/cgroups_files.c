/* cgroups_files.c - the bottom layer of cgroups*.c, calling nothing of
 * theirs: the handle's one allocation (cg_pack), and one file of one of the
 * container's cgroup directories: read, written, found in the hierarchy
 * that holds it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups_internal.h"
#include "util.h"

struct cgroups *cg_pack(const struct cgroup_dir *dirs, size_t n)
{
	size_t bytes = sizeof(struct cgroups) + n * sizeof(struct cgroup_dir);
	struct cgroups *cgroups;
	char *s;

	for (size_t i = 0; i < n; i++) {
		size_t dir = strlen(dirs[i].dir), top = strlen(dirs[i].top);

		bytes +=
		    strlen(dirs[i].name) + dir + (top > dir ? top : dir) + strlen(dirs[i].unit) + 4;
	}
	cgroups = calloc(1, bytes);
	if (!cgroups)
		return NULL;
	s = (char *)&cgroups->d[n];
	for (size_t i = 0; i < n; i++) {
		struct cgroup_dir *d = &cgroups->d[i];
		size_t dir = strlen(dirs[i].dir), top = strlen(dirs[i].top);

		d->v2 = dirs[i].v2;
		d->name = strcpy(s, dirs[i].name);
		s += strlen(s) + 1;
		d->dir = strcpy(s, dirs[i].dir);
		s += dir + 1;
		d->top = strcpy(s, dirs[i].top);
		s += (top > dir ? top : dir) + 1;
		d->unit = strcpy(s, dirs[i].unit);
		s += strlen(s) + 1;
	}
	cgroups->n = n;
	return cgroups;
}

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

int cg_write(const struct cgroup_dir *d, const char *file, const char *value, const char *field,
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

bool cg_exists(const struct cgroup_dir *d, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	return access(path, F_OK) == 0;
}

bool cg_has(const struct cgroup_dir *d, const char *controller)
{
	size_t n = strlen(controller);

	for (const char *p = d->name; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, controller, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

const struct cgroup_dir *cg_find(const struct cgroups *cgroups, const char *v1_name,
				 const char *file)
{
	for (size_t i = 0; v1_name && i < cgroups->n; i++)
		if (!cgroups->d[i].v2 && cg_has(&cgroups->d[i], v1_name))
			return &cgroups->d[i];
	for (size_t i = 0; i < cgroups->n; i++)
		if (cgroups->d[i].v2 && cg_exists(&cgroups->d[i], file))
			return &cgroups->d[i];
	return NULL;
}

int cg_pids(const struct cgroup_dir *d, pid_t **ret_pids, size_t *ret_n, struct rt_error *err)
{
	cleanup_free char *text = NULL;
	char path[PATH_MAX];
	size_t n = 0;
	pid_t *pids;

	snprintf(path, sizeof(path), "%s/cgroup.procs", d->dir);
	if (read_file(path, &text, NULL, err) < 0)
		return -EIO;
	pids = calloc(strlen(text) / 2 + 1, sizeof(*pids));
	if (!pids)
		return rt_fail(err, ENOMEM, "out of memory");
	for (char *p = text, *end; *p; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		pids[n++] = (pid_t)v;
	}
	*ret_pids = pids;
	*ret_n = n;
	return 0;
}
