/* spec_mount.c - the "mounts" array of config.json: options as MS_*
 * flags, propagation and filesystem data, and the idmap extension. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "spec_internal.h"
#include "util.h"

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

	if ((r = sj_strv(item, "options", path, &opts, err)) < 0)
		return r;
	for (char **o = opts; o && *o && r == 0; o++) {
		const struct spec_mount_option *opt = spec_mount_option(*o);

		/* not an option: the filesystem's data */
		if (!opt) {
			r = append_data(&m->data, *o, err);
			continue;
		}
		switch (opt->kind) {
		case MOUNT_OPT_RECURSIVE_RO:
			/* the mount itself read-only as with "ro", its submounts too */
			m->recursive_ro = true;
			break;
		case MOUNT_OPT_IDMAP:
		case MOUNT_OPT_RIDMAP:
			m->idmap = true;
			m->idmap_recursive |= opt->kind == MOUNT_OPT_RIDMAP;
			break;
		case MOUNT_OPT_FLAGS:
			break;
		}
		m->flags = (m->flags | opt->set) & ~opt->clear;
		m->clear = (m->clear | opt->clear) & ~opt->set;
		if (opt->propagation)
			m->propagation = opt->propagation;
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
	int r;

	if ((r = spec_parse_idmaps(item, "uidMappings", path, &m->uid_maps, &m->n_uid_maps, err)) <
		0 ||
	    (r = spec_parse_idmaps(item, "gidMappings", path, &m->gid_maps, &m->n_gid_maps, err)) <
		0)
		return r;
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
	int r;

	if ((r = sj_array(root, "mounts", "", &arr, err)) < 0)
		return r;
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
		if ((r = sj_string(item, "destination", path, true, &m->destination, err)) < 0 ||
		    (r = sj_string(item, "type", path, false, &m->type, err)) < 0 ||
		    (r = sj_string(item, "source", path, false, &m->source, err)) < 0 ||
		    (r = parse_mount_options(item, path, m, err)) < 0)
			return r;
		if (m->destination[0] != '/')
			return rt_fail(err, EINVAL, "%s.destination: \"%s\" is not an absolute path",
				       path, m->destination);
		if (m->type && strcmp(m->type, "bind") == 0)
			m->bind = true;
		if (m->bind && !m->source)
			return rt_fail(err, EINVAL, "%s.source: a bind mount needs a source", path);
		if (!m->bind && !m->type)
			return rt_fail(err, EINVAL, "%s.type: is required (or a bind option)", path);
		if ((r = parse_mount_idmaps(item, path, m, err)) < 0)
			return r;
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
