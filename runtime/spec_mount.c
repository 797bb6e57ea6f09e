/* spec_mount.c - the "mounts" array of config.json: options as MS_*
 * flags, propagation and filesystem data, and the idmap extension. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "spec_internal.h"
#include "util.h"

static const struct {
	const char *name;
	unsigned long set, clear, propagation;
} mount_options[] = {
	{"defaults", 0, 0, 0},
	{"ro", MS_RDONLY, 0, 0},
	{"rw", 0, MS_RDONLY, 0},
	{"nosuid", MS_NOSUID, 0, 0},
	{"suid", 0, MS_NOSUID, 0},
	{"nodev", MS_NODEV, 0, 0},
	{"dev", 0, MS_NODEV, 0},
	{"noexec", MS_NOEXEC, 0, 0},
	{"exec", 0, MS_NOEXEC, 0},
	{"sync", MS_SYNCHRONOUS, 0, 0},
	{"async", 0, MS_SYNCHRONOUS, 0},
	{"dirsync", MS_DIRSYNC, 0, 0},
	{"remount", MS_REMOUNT, 0, 0},
	{"mand", MS_MANDLOCK, 0, 0},
	{"nomand", 0, MS_MANDLOCK, 0},
	{"noatime", MS_NOATIME, 0, 0},
	{"atime", 0, MS_NOATIME, 0},
	{"nodiratime", MS_NODIRATIME, 0, 0},
	{"diratime", 0, MS_NODIRATIME, 0},
	{"relatime", MS_RELATIME, 0, 0},
	{"norelatime", 0, MS_RELATIME, 0},
	{"strictatime", MS_STRICTATIME, 0, 0},
	{"nostrictatime", 0, MS_STRICTATIME, 0},
	{"lazytime", MS_LAZYTIME, 0, 0},
	{"nolazytime", 0, MS_LAZYTIME, 0},
	{"silent", MS_SILENT, 0, 0},
	{"loud", 0, MS_SILENT, 0},
	{"bind", MS_BIND, 0, 0},
	{"rbind", MS_BIND | MS_REC, 0, 0},
	{"private", 0, 0, MS_PRIVATE},
	{"rprivate", 0, 0, MS_PRIVATE | MS_REC},
	{"shared", 0, 0, MS_SHARED},
	{"rshared", 0, 0, MS_SHARED | MS_REC},
	{"slave", 0, 0, MS_SLAVE},
	{"rslave", 0, 0, MS_SLAVE | MS_REC},
	{"unbindable", 0, 0, MS_UNBINDABLE},
	{"runbindable", 0, 0, MS_UNBINDABLE | MS_REC},
};

static int append_data(char **data, const char *opt, struct rt_error *err)
{
	size_t old = *data ? strlen(*data) : 0;
	char *n = realloc(*data, old + strlen(opt) + 2);

	if (!n)
		return rt_fail(err, ENOMEM, "out of memory");
	if (old)
		n[old++] = ',';
	strcpy(n + old, opt);
	*data = n;
	return 0;
}

static int parse_mount_options(json_t *item, const char *path, struct spec_mount *m,
			       struct rt_error *err)
{
	char **opts = NULL;
	int r = 0;

	if (sj_strv(item, "options", path, &opts, err) < 0)
		return -EINVAL;
	for (char **o = opts; o && *o && r == 0; o++) {
		size_t k;

		/* runc's recursive "rro" (mount_setattr, AT_RECURSIVE): the
		 * mount itself is read-only as with "ro", its submounts too */
		if (strcmp(*o, "rro") == 0) {
			m->recursive_ro = true;
			m->flags |= MS_RDONLY;
			m->clear &= ~(unsigned long)MS_RDONLY;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(mount_options); k++)
			if (strcmp(*o, mount_options[k].name) == 0)
				break;
		if (k == ARRAY_SIZE(mount_options)) {
			/* runtime-spec 1.2: either one idmaps the mount */
			if (strcmp(*o, "idmap") == 0 || strcmp(*o, "ridmap") == 0) {
				m->idmap = true;
				m->idmap_recursive |= **o == 'r';
			} else {
				r = append_data(&m->data, *o, err);
			}
			continue;
		}
		m->flags = (m->flags | mount_options[k].set) & ~mount_options[k].clear;
		m->clear = (m->clear | mount_options[k].clear) & ~mount_options[k].set;
		if (mount_options[k].propagation)
			m->propagation = mount_options[k].propagation;
	}
	strv_free(opts);
	if (m->flags & MS_BIND)
		m->bind = true;
	return r;
}

/* The mount's own uidMappings and gidMappings (runtime-spec 1.2). Only
 * binds and tmpfs are idmapped: the runtime makes the mount on the host's
 * side (idmap.h), where a proc, sysfs, mqueue or cgroup filesystem would
 * be the host's own. */
static int parse_mount_idmaps(json_t *item, const char *path, struct spec_mount *m,
			      struct rt_error *err)
{
	bool implied;

	if (spec_parse_idmaps(item, "uidMappings", path, &m->uid_maps, &m->n_uid_maps, err) < 0 ||
	    spec_parse_idmaps(item, "gidMappings", path, &m->gid_maps, &m->n_gid_maps, err) < 0)
		return -EINVAL;
	if (!m->n_uid_maps != !m->n_gid_maps)
		return rt_fail(err, EINVAL, "%s.%s: is required with %s", path,
			       m->n_uid_maps ? "gidMappings" : "uidMappings",
			       m->n_uid_maps ? "uidMappings" : "gidMappings");
	/* the options SHOULD name "idmap" or "ridmap" with mappings
	 * (runtime-spec 1.2); without, the mappings alone idmap the mount,
	 * not recursively, as runc does (containerd 2.4 sends a pod's volumes
	 * so) */
	implied = m->n_uid_maps && !m->idmap;
	m->idmap |= implied;
	if (m->idmap && !m->bind && strcmp(m->type, "tmpfs") != 0)
		return rt_fail(err, EINVAL,
			       "%s.%s: a %s mount cannot be idmapped (only bind and tmpfs "
			       "mounts)",
			       path, implied ? "uidMappings" : "options", m->type);
	return 0;
}

int spec_check_idmapped_mounts(const struct spec *spec, struct rt_error *err)
{
	for (size_t i = 0; i < spec->nmounts; i++) {
		const struct spec_mount *m = &spec->mounts[i];
		const char *opt = m->idmap_recursive ? "ridmap" : "idmap";

		if (!m->idmap)
			continue;
		if (!spec->ns[NS_MNT].enabled)
			return rt_fail(err, EINVAL,
				       "mounts[%zu].options: \"%s\" needs a mount namespace", i, opt);
		if (!m->n_uid_maps && !spec->ns[NS_USER].enabled)
			return rt_fail(err, EINVAL,
				       "mounts[%zu].options: \"%s\" without uidMappings needs a user "
				       "namespace, whose mappings it takes",
				       i, opt);
	}
	return 0;
}

int spec_parse_mounts(json_t *root, struct spec *spec, struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char path[64];
	size_t i;

	if (sj_array(root, "mounts", "", &arr, err) < 0)
		return -EINVAL;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	spec->mounts = calloc(json_array_size(arr), sizeof(*spec->mounts));
	if (!spec->mounts)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		struct spec_mount *m = &spec->mounts[spec->nmounts++];

		snprintf(path, sizeof(path), "mounts[%zu]", i);
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", path);
		if (sj_string(item, "destination", path, true, &m->destination, err) < 0 ||
		    sj_string(item, "type", path, false, &m->type, err) < 0 ||
		    sj_string(item, "source", path, false, &m->source, err) < 0 ||
		    parse_mount_options(item, path, m, err) < 0)
			return -EINVAL;
		if (m->destination[0] != '/')
			return rt_fail(err, EINVAL, "%s.destination: \"%s\" is not an absolute path",
				       path, m->destination);
		if (m->type && strcmp(m->type, "bind") == 0)
			m->bind = true;
		if (m->bind && !m->source)
			return rt_fail(err, EINVAL, "%s.source: a bind mount needs a source", path);
		if (!m->bind && !m->type)
			return rt_fail(err, EINVAL, "%s.type: is required (or a bind option)", path);
		if (parse_mount_idmaps(item, path, m, err) < 0)
			return -EINVAL;
	}
	return 0;
}

void spec_mounts_free(struct spec *spec)
{
	for (size_t i = 0; i < spec->nmounts; i++) {
		free(spec->mounts[i].destination);
		free(spec->mounts[i].type);
		free(spec->mounts[i].source);
		free(spec->mounts[i].data);
		free(spec->mounts[i].uid_maps);
		free(spec->mounts[i].gid_maps);
	}
	free(spec->mounts);
}
