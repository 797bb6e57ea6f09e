/* spec_mempolicy.c - the memory policy of a container whose config.json
 * has no linux.memoryPolicy but a pod annotation of the NRI
 * device-injector's (policy/annotation.c): the path for containerd 1.7-2.2
 * and for users without NRI, where the CRI passes the pod's annotations
 * (pod_annotations) into the OCI config. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"
#include "util.h"

/* The CRI's annotations (containerd's and CRI-O's): the container's name in
 * the pod, and whether it is the pod's sandbox. */
#define CRI_CONTAINER_NAME "io.kubernetes.cri.container-name"
#define CRI_CONTAINER_TYPE "io.kubernetes.cri.container-type"

static const char *annotation(const struct spec *spec, const char *key)
{
	for (size_t i = 0; i < spec->nannotations; i++)
		if (!strcmp(spec->annotations[i].key, key))
			return spec->annotations[i].value;
	return NULL;
}

static bool same_policy(const struct mpol_policy *a, const struct mpol_policy *b)
{
	return a->mode == b->mode && a->flags == b->flags && a->has_nodes == b->has_nodes &&
	       !memcmp(&a->nodes, &b->nodes, sizeof(a->nodes));
}

int spec_resolve_memory_policy(struct spec *spec, struct rt_error *err)
{
	cleanup_free const char **keys = NULL;
	const char *type = annotation(spec, CRI_CONTAINER_TYPE);
	struct mpol_policy p;
	char *field = NULL;
	int i, r;

	if (spec->has_memory_policy && !(spec->memory_policy_source = strdup("linux.memoryPolicy")))
		return rt_fail(err, ENOMEM, "out of memory");
	/* like the device-injector (and NRI), the pod's sandbox keeps the
	 * default policy: only its containers get one */
	if (!spec->nannotations || (type && !strcmp(type, "sandbox")))
		return 0;
	keys = calloc(spec->nannotations, sizeof(*keys));
	if (!keys)
		return rt_fail(err, ENOMEM, "out of memory");
	for (size_t k = 0; k < spec->nannotations; k++)
		keys[k] = spec->annotations[k].key;
	i = mpol_annotation_pick(keys, spec->nannotations, annotation(spec, CRI_CONTAINER_NAME));
	if (i < 0)
		return 0;
	if (asprintf(&field, "annotations[\"%s\"]", keys[i]) < 0)
		return rt_fail(err, ENOMEM, "out of memory");
	r = mpol_annotation_parse(spec->annotations[i].value, field, &p, err->msg,
				  sizeof(err->msg));
	if (spec->has_memory_policy) {
		/* an explicit linux.memoryPolicy wins; a different (or bad)
		 * annotation is reported by create */
		if (r == 0 && same_policy(&p, &spec->memory_policy))
			free(field);
		else
			spec->memory_policy_overridden = field;
		err->msg[0] = '\0';
		return 0;
	}
	if (r < 0) {
		free(field);
		err->errnum = -r;
		return r;
	}
	spec->memory_policy = p;
	spec->has_memory_policy = true;
	spec->memory_policy_source = field;
	return 0;
}
