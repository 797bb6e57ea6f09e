/* seccomp_cache.h - the BPF program built for a seccomp profile, kept under
 * the state root for the next container with the same profile (and for
 * every `exec` into one). Internal to seccomp_profile.c, which owns struct
 * seccomp_filter; nothing here fails a container: a miss means building. */
#ifndef MINI_SECCOMP_CACHE_H
#define MINI_SECCOMP_CACHE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"

struct seccomp_filter {
	uint32_t flags;		   /* for seccomp(SECCOMP_SET_MODE_FILTER) */
	size_t len;		   /* instructions */
	struct sock_filter *insns; /* owned */
	char *key;		   /* the profile, serialized; owned; NULL: not cacheable */
	size_t key_len;
	bool from_cache;
};

/* Everything the program depends on, every string length-prefixed (so two
 * profiles never serialize alike): the profile, libseccomp's version, the
 * kernel. 0, or -ENOMEM. */
int seccomp_cache_key(const struct spec_seccomp *c, char **ret_key, size_t *ret_len);
/* 0 and f's program and flags filled when the cache holds f->key's exact
 * profile (compared whole, not by hash); -1 otherwise. */
int seccomp_cache_find(struct seccomp_filter *f);
/* Best effort: a failure leaves the cache as it was. */
void seccomp_cache_store(const struct seccomp_filter *f);

#endif
