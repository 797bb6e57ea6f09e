/* spec_internal.h - shared between the spec parser's files (spec*.c). */
#ifndef MINI_SPEC_INTERNAL_H
#define MINI_SPEC_INTERNAL_H

#include "spec.h"
#include "spec_json.h"

int spec_parse_process(json_t *obj, const char *path, struct spec_process *p, struct rt_error *err);
int spec_parse_linux(json_t *lx, struct spec *spec, struct rt_error *err);
int spec_parse_mounts(json_t *root, struct spec *spec, struct rt_error *err);
void spec_linux_free(struct spec *spec);
/* linux.resources (config.json's, `update --resources`'s, the object
 * update's flags make): the one path from JSON to struct resources. */
int spec_parse_resources(json_t *res, const char *path, struct resources **ret,
			 struct rt_error *err);
int spec_parse_seccomp(json_t *lx, struct spec *spec, struct rt_error *err);
void spec_seccomp_free(struct spec_seccomp *seccomp);
void spec_mounts_free(struct spec *spec);
/* After linux: an idmapped mount needs a mount namespace, and a user
 * namespace unless it brings its own mappings. */
int spec_check_idmapped_mounts(const struct spec *spec, struct rt_error *err);
/* obj[key], an array of {containerID, hostID, size}, as `path`.key[i] in
 * messages; checked as the kernel would (no overflow, no overlap, at most
 * 340 ranges) so that the error names the entry. */
int spec_parse_idmaps(json_t *obj, const char *key, const char *path, struct spec_idmap **ret,
		      size_t *ret_n, struct rt_error *err);
/* After the annotations and linux are parsed: the memory policy from a pod
 * annotation when linux.memoryPolicy has none (spec_mempolicy.c). */
int spec_resolve_memory_policy(struct spec *spec, struct rt_error *err);

#endif
