/* mempolicy.h - the Linux memory policy of a container (runtime-spec 1.3
 * linux.memoryPolicy): parse, validate, build the set_mempolicy arguments,
 * apply, read back.
 *
 * This is the whole public surface of policy/. It depends on libc only and
 * never calls into the runtime. Every fallible function returns 0 on success
 * or a negative errno-style value on failure; on failure it writes one
 * message into the caller's `err` (never printed here) and leaves the output
 * parameters untouched. Messages name the config field, lower-case, no
 * trailing period: "linux.memoryPolicy.nodes: ...".
 */
#ifndef MINI_MEMPOLICY_H
#define MINI_MEMPOLICY_H

#include <stdbool.h>
#include <stddef.h>

/* Kernel values (uapi linux/mempolicy.h); Debian 12's header lacks the
 * newest, so they are defined here under our own names. */
enum mpol_mode {
	MPOL_MODE_DEFAULT = 0,
	MPOL_MODE_PREFERRED = 1,
	MPOL_MODE_BIND = 2,
	MPOL_MODE_INTERLEAVE = 3,
	MPOL_MODE_LOCAL = 4,
	MPOL_MODE_PREFERRED_MANY = 5,	  /* Linux 5.15 */
	MPOL_MODE_WEIGHTED_INTERLEAVE = 6, /* Linux 6.9 */
};

enum mpol_flag {
	MPOL_FLAG_NUMA_BALANCING = 1 << 13, /* Linux 5.12 */
	MPOL_FLAG_RELATIVE_NODES = 1 << 14,
	MPOL_FLAG_STATIC_NODES = 1 << 15,
	/* every flag above, as mpol_flag_names lists them (names.c) */
	MPOL_FLAGS_ALL = MPOL_FLAG_NUMA_BALANCING | MPOL_FLAG_RELATIVE_NODES | MPOL_FLAG_STATIC_NODES,
	/* the two that say how the nodes are read */
	MPOL_FLAGS_NODES = MPOL_FLAG_RELATIVE_NODES | MPOL_FLAG_STATIC_NODES,
};

/* MAX_NUMNODES on distribution kernels (CONFIG_NODES_SHIFT=10). */
#define MPOL_MAX_NODES 1024
#define MPOL_BITS_PER_WORD (8 * sizeof(unsigned long))
#define MPOL_MASK_WORDS (MPOL_MAX_NODES / MPOL_BITS_PER_WORD)

struct mpol_nodemask {
	unsigned long bits[MPOL_MASK_WORDS];
};

/* A parsed policy. `has_nodes` is false when config.json had no "nodes"
 * (or an empty mask was read back from the kernel). */
struct mpol_policy {
	int mode;	    /* enum mpol_mode */
	unsigned flags;	    /* OR of enum mpol_flag */
	bool has_nodes;
	struct mpol_nodemask nodes;
};

/* Exactly what set_mempolicy(2) is called with. `mask` is NULL and
 * `maxnode` 0 when the policy has no nodes. The kernel reads only
 * maxnode - 1 bits, so maxnode = words * bits-per-word + 1. */
struct mpol_args {
	int mode; /* mode | flags */
	const unsigned long *mask;
	unsigned long maxnode;
};

/* What the validation compares against: the host's online nodes and the
 * running kernel's version (major, minor), e.g. from uname. */
struct mpol_host {
	struct mpol_nodemask online;
	int kernel_major, kernel_minor;
};

/* "MPOL_BIND" -> MPOL_MODE_BIND; -EINVAL for an unknown name. */
int mpol_parse_mode(const char *name, int *ret_mode, char *err, size_t errlen);
/* "MPOL_F_STATIC_NODES" -> MPOL_FLAG_STATIC_NODES; `index` is the
 * position in the flags array, used in the message. */
int mpol_parse_flag(const char *name, size_t index, unsigned *ret_flag, char *err,
		    size_t errlen);
/* "0-3, 7" -> mask. Rejects empty elements, signs, non-digits, a > b and
 * numbers above MPOL_MAX_NODES - 1, naming the offending element.
 * `field` prefixes the message ("linux.memoryPolicy.nodes"). */
int mpol_parse_nodes(const char *text, const char *field, struct mpol_nodemask *ret_mask,
		     char *err, size_t errlen);

/* Builds a policy from the config's strings (nodes may be NULL, flags may be
 * empty): rule 2 and 9 of docs/memory-policy, no host checks. */
int mpol_policy_parse(const char *mode, const char *nodes, const char *const *flags,
		      size_t nflags, struct mpol_policy *ret_policy, char *err, size_t errlen);

/* Rules 3-8 (combinations of mode, flags and nodes): host independent. */
int mpol_validate(const struct mpol_policy *policy, char *err, size_t errlen);
/* Rules 10-11: nodes intersect the host's online nodes (unless RELATIVE),
 * and the kernel has the mode and flags. */
int mpol_validate_host(const struct mpol_policy *policy, const struct mpol_host *host,
		       char *err, size_t errlen);

/* Reads /sys/devices/system/node/online and uname(2). A kernel without
 * NUMA has no node directory: online is then node 0 only. */
int mpol_host_probe(struct mpol_host *ret_host, char *err, size_t errlen);

/* Fills `args` (pointing into `policy`, which must outlive it). */
void mpol_build_args(const struct mpol_policy *policy, struct mpol_args *ret_args);

/* The syscalls, injectable so tests can record the arguments. */
typedef long (*mpol_set_fn)(int mode, const unsigned long *mask, unsigned long maxnode);
typedef long (*mpol_get_fn)(int *mode, unsigned long *mask, unsigned long maxnode,
			    void *addr, unsigned long flags);
long mpol_sys_set(int mode, const unsigned long *mask, unsigned long maxnode);
long mpol_sys_get(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
		  unsigned long flags);

/* Calls set(mode|flags, mask, maxnode). EINVAL/ENOSYS for a mode or flag the
 * running kernel lacks becomes a message naming the mode and the kernel it
 * needs; `host` may be NULL (the version is then read with uname). */
int mpol_apply(const struct mpol_policy *policy, mpol_set_fn set, const struct mpol_host *host,
	       char *err, size_t errlen);
/* Reads the calling task's policy back with get(). */
int mpol_read_back(mpol_get_fn get, struct mpol_policy *ret_policy, char *err, size_t errlen);

/* Names, for messages, state.json and features. NULL for an unknown value. */
const char *mpol_mode_name(int mode);
const char *mpol_flag_name(unsigned flag);
/* All known names, NULL-terminated, in kernel order. */
extern const char *const mpol_mode_names[];
extern const char *const mpol_flag_names[];

/* Formats a mask as a node list ("0-3,7"); "" when empty. Returns the length
 * it needed (like snprintf). */
size_t mpol_format_nodes(const struct mpol_nodemask *mask, char *buf, size_t len);

/* The memory policy of a pod annotation, the NRI device-injector's keys and
 * value syntax (policy/annotation.c). Among `keys`, the index of the one that
 * applies to the container named `container` (may be NULL or ""), in the
 * plugin's order: memory-policy.noderesource.dev/container.<name>, then
 * memory-policy.nri.io/container.<name>, the two "/pod" keys, the two bare
 * keys; -1 if none does. */
int mpol_annotation_pick(const char *const *keys, size_t nkeys, const char *container);
/* The value: a YAML mapping of mode, nodes (a string) and flags (a list),
 * block or flow style (JSON too), parsed and checked as mpol_policy_parse
 * and mpol_validate do; every message starts with `field` (the annotation,
 * `annotations["KEY"]`) instead of linux.memoryPolicy. */
int mpol_annotation_parse(const char *text, const char *field, struct mpol_policy *ret_policy,
			  char *err, size_t errlen);
/* Rewrites a message of this library that starts "linux.memoryPolicy" to
 * start with `field`; leaves any other message as it is. */
void mpol_rename_field(char *msg, size_t len, const char *field);

#endif
