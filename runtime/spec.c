/* spec.c - config.json -> struct spec: the top level, root, hooks,
 * annotations (mounts are in spec_mount.c, the process object in
 * spec_process.c, linux in spec_linux.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "spec_internal.h"
#include "util.h"

static int parse_hook_list(json_t *arr, const char *path, struct spec_hook_list *list,
			   struct rt_error *err)
{
	json_t *item;
	char sub[96];
	size_t i;
	int r;

	list->items = calloc(json_array_size(arr) + 1, sizeof(*list->items));
	if (!list->items)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		struct spec_hook *h = &list->items[list->count++];
		long long timeout = 0;

		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if ((r = sj_string(item, "path", sub, true, &h->path, err)) < 0 ||
		    (r = sj_strv(item, "args", sub, &h->args, err)) < 0 ||
		    (r = sj_strv(item, "env", sub, &h->env, err)) < 0 ||
		    (r = sj_int(item, "timeout", sub, 1, INT_MAX, NULL, &timeout, err)) < 0)
			return r;
		if (h->path[0] != '/')
			return rt_fail(err, EINVAL, "%s.path: \"%s\" is not an absolute path", sub,
				       h->path);
		h->timeout = (int)timeout;
	}
	return 0;
}

static int parse_hooks(json_t *root, struct spec *spec, struct rt_error *err)
{
	json_t *hooks = NULL;
	int r;

	if ((r = sj_object(root, "hooks", "", &hooks, err)) < 0)
		return r;
	for (int k = 0; hooks && k < HOOK_KIND_COUNT; k++) {
		json_t *arr = NULL;
		char path[64];

		snprintf(path, sizeof(path), "hooks.%s", spec_hook_name(k));
		if ((r = sj_array(hooks, spec_hook_name(k), "hooks", &arr, err)) < 0)
			return r;
		if (arr && (r = parse_hook_list(arr, path, &spec->hooks[k], err)) < 0)
			return r;
	}
	return 0;
}

static int parse_annotations(json_t *root, struct spec *spec, struct rt_error *err)
{
	json_t *obj = NULL, *v;
	const char *key;
	int r;

	if ((r = sj_object(root, "annotations", "", &obj, err)) < 0)
		return r;
	if (!obj || json_object_size(obj) == 0)
		return 0;
	spec->annotations = calloc(json_object_size(obj), sizeof(*spec->annotations));
	if (!spec->annotations)
		return rt_fail(err, ENOMEM, "out of memory");
	json_object_foreach(obj, key, v)
	{
		struct spec_annotation *a = &spec->annotations[spec->nannotations];

		if (!json_is_string(v))
			return rt_fail(err, EINVAL, "annotations.%s: expected a string", key);
		a->key = strdup(key);
		a->value = strdup(json_string_value(v));
		spec->nannotations++;
		if (!a->key || !a->value)
			return rt_fail(err, ENOMEM, "out of memory");
	}
	return 0;
}

/* realpath(path), for the usual root.path ("rootfs", one plain name in
 * the already canonical bundle) with one readlink instead of one per
 * component: it exists and is no symlink when readlink says EINVAL. */
static char *canonical_in_bundle(const char *path, const char *name)
{
	char target[1];

	if (*name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	    readlink(path, target, sizeof(target)) < 0 && errno == EINVAL)
		return strdup(path);
	return realpath(path, NULL);
}

static int parse_root(json_t *root, struct spec *spec, struct rt_error *err)
{
	json_t *obj = NULL;
	cleanup_free char *path = NULL;
	char buf[PATH_MAX];
	int r;

	if ((r = sj_object(root, "root", "", &obj, err)) < 0)
		return r;
	if (!obj)
		return rt_fail(err, EINVAL, "root: is required");
	if ((r = sj_string(obj, "path", "root", true, &path, err)) < 0 ||
	    (r = sj_bool(obj, "readonly", "root", &spec->root_readonly, err)) < 0)
		return r;
	if (spec->root_path) /* given by spec_parse's caller */
		return 0;
	if (path[0] == '/')
		snprintf(buf, sizeof(buf), "%s", path);
	else
		snprintf(buf, sizeof(buf), "%s/%s", spec->bundle, path);
	spec->root_path = canonical_in_bundle(buf, path);
	if (!spec->root_path)
		return rt_fail_errno(err, errno, "root.path: \"%s\"", path);
	return 0;
}

static int parse_top(json_t *root, struct spec *spec, struct rt_error *err)
{
	json_t *process = NULL, *lx = NULL;
	int r;

	if ((r = sj_string(root, "ociVersion", "", true, &spec->oci_version, err)) < 0 ||
	    (r = sj_string(root, "hostname", "", false, &spec->hostname, err)) < 0 ||
	    (r = sj_string(root, "domainname", "", false, &spec->domainname, err)) < 0 ||
	    (r = parse_root(root, spec, err)) < 0 || (r = spec_parse_mounts(root, spec, err)) < 0 ||
	    (r = parse_hooks(root, spec, err)) < 0 ||
	    (r = parse_annotations(root, spec, err)) < 0 ||
	    (r = sj_object(root, "process", "", &process, err)) < 0 ||
	    (r = sj_object(root, "linux", "", &lx, err)) < 0)
		return r;
	if (strncmp(spec->oci_version, "1.", 2) != 0)
		return rt_fail(err, EINVAL, "ociVersion: unsupported version \"%s\"",
			       spec->oci_version);
	if (process) {
		spec->process = calloc(1, sizeof(*spec->process));
		if (!spec->process)
			return rt_fail(err, ENOMEM, "out of memory");
		if ((r = spec_parse_process(process, "process", spec->process, err)) < 0)
			return r;
	}
	if (lx && (r = spec_parse_linux(lx, spec, err)) < 0)
		return r;
	if ((r = spec_check_idmapped_mounts(spec, err)) < 0)
		return r;
	return spec_resolve_memory_policy(spec, err);
}

int spec_parse(const char *text, size_t len, const char *name, const char *bundle,
	       const char *rootfs, struct spec **ret_spec, struct rt_error *err)
{
	json_error_t jerr;
	struct spec *spec;
	json_t *root;
	int r;

	spec = calloc(1, sizeof(*spec));
	if (!spec)
		return rt_fail(err, ENOMEM, "out of memory");
	spec->bundle = strdup(bundle);
	spec->root_path = rootfs ? strdup(rootfs) : NULL;
	if (!spec->bundle || (rootfs && !spec->root_path)) {
		spec_free(spec);
		return rt_fail(err, ENOMEM, "out of memory");
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		r = rt_fail(err, EINVAL, "%s: line %d: %s", name, jerr.line, jerr.text);
	} else if (!json_is_object(root)) {
		r = rt_fail(err, EINVAL, "%s: expected an object", name);
	} else {
		r = parse_top(root, spec, err);
	}
	json_decref(root);
	if (r < 0) {
		spec_free(spec);
		return r;
	}
	*ret_spec = spec;
	return 0;
}

int spec_load_text(const char *bundle, struct spec **ret_spec, char **ret_text, size_t *ret_len,
		   struct rt_error *err)
{
	char path[PATH_MAX];
	cleanup_free char *abs = realpath(bundle, NULL);
	cleanup_free char *text = NULL;
	size_t len = 0;
	int r;

	if (!abs)
		return rt_fail_errno(err, errno, "bundle %s", bundle);
	snprintf(path, sizeof(path), "%s/config.json", abs);
	/* one read, then parse from memory: jansson's file reader goes by
	 * character through stdio */
	if (read_file(path, &text, &len, err) < 0)
		return -ENOENT;
	if ((r = spec_parse(text, len, path, abs, NULL, ret_spec, err)) < 0)
		return r;
	if (ret_text) {
		*ret_text = steal_ptr(&text);
		*ret_len = len;
	}
	return 0;
}

int spec_load(const char *bundle, struct spec **ret_spec, struct rt_error *err)
{
	return spec_load_text(bundle, ret_spec, NULL, NULL, err);
}

void spec_free(struct spec *spec)
{
	if (!spec)
		return;
	free(spec->oci_version);
	free(spec->bundle);
	free(spec->root_path);
	free(spec->hostname);
	free(spec->domainname);
	spec_process_free(spec->process);
	spec_mounts_free(spec);
	for (int k = 0; k < HOOK_KIND_COUNT; k++) {
		for (size_t i = 0; i < spec->hooks[k].count; i++) {
			free(spec->hooks[k].items[i].path);
			strv_free(spec->hooks[k].items[i].args);
			strv_free(spec->hooks[k].items[i].env);
		}
		free(spec->hooks[k].items);
	}
	for (size_t i = 0; i < spec->nannotations; i++) {
		free(spec->annotations[i].key);
		free(spec->annotations[i].value);
	}
	free(spec->annotations);
	free(spec->memory_policy_source);
	free(spec->memory_policy_overridden);
	spec_linux_free(spec);
	free(spec);
}
