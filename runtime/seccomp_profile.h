/* seccomp.h - linux.seccomp with libseccomp. The filter is built in the
 * parent (so a bad profile fails before anything is created), as the BPF
 * program itself, and loaded by the init with one seccomp(2) as late as
 * the capability rules allow. */
#ifndef MINI_SECCOMP_PROFILE_H
#define MINI_SECCOMP_PROFILE_H

#include <stddef.h>

#include "error.h"
#include "spec.h"

struct seccomp_filter; /* opaque: a libseccomp context */

int seccomp_filter_build(const struct spec_seccomp *config, struct seccomp_filter **ret_filter,
			 struct rt_error *err);
int seccomp_filter_load(struct seccomp_filter *filter, struct rt_error *err);
void seccomp_filter_free(struct seccomp_filter *filter);

/* What linux.seccomp takes, one table each (for `features`): the i-th
 * action, operator, flag and architecture, NULL past the end. */
const char *seccomp_action_name_at(size_t i);
const char *seccomp_op_name_at(size_t i);
const char *seccomp_flag_name_at(size_t i);
const char *seccomp_arch_name_at(size_t i);

/* The filters built are kept under ROOT (seccomp_cache.c) and found there
 * by seccomp_filter_build; without this call (or with NULL or "") nothing
 * is cached. */
void seccomp_cache_use(const char *root);
/* Called once the filter has started a container: kept for the next one
 * (a create that fails leaves nothing under the root). Best effort. */
void seccomp_filter_remember(const struct seccomp_filter *filter);

#endif
