/* validate.c - a policy from the config's strings (rules 2 and 9) and the
 * host-independent checks of its combination of mode, flags and nodes
 * (rules 3-8 of docs/memory-policy). */
#include <errno.h>
#include <stdio.h>

#include "mempolicy.h"


int mpol_policy_parse(const char *mode, const char *nodes, const char *const *flags, size_t nflags,
		      struct mpol_policy *ret_policy, char *err, size_t errlen)
{
	struct mpol_policy p = {0};
	int r;

	r = mpol_parse_mode(mode, &p.mode, err, errlen);
	if (r < 0)
		return r;
	/* Duplicates are harmless: the kernel sees the OR. */
	for (size_t i = 0; i < nflags; i++) {
		unsigned flag;

		r = mpol_parse_flag(flags[i], i, &flag, err, errlen);
		if (r < 0)
			return r;
		p.flags |= flag;
	}
	if (nodes) {
		r = mpol_parse_nodes(nodes, "linux.memoryPolicy.nodes", &p.nodes, err, errlen);
		if (r < 0)
			return r;
		p.has_nodes = true;
	}
	*ret_policy = p;
	return 0;
}

/* A policy built by hand may say has_nodes with an empty mask: that is no
 * nodes, as it is for the kernel. */
static bool policy_has_nodes(const struct mpol_policy *policy)
{
	if (!policy->has_nodes)
		return false;
	for (size_t i = 0; i < MPOL_MASK_WORDS; i++)
		if (policy->nodes.bits[i])
			return true;
	return false;
}

static bool needs_nodes(int mode)
{
	return mode == MPOL_MODE_BIND || mode == MPOL_MODE_INTERLEAVE ||
	       mode == MPOL_MODE_PREFERRED_MANY || mode == MPOL_MODE_WEIGHTED_INTERLEAVE;
}

/* Values that did not come from mpol_policy_parse. */
static int check_known(const struct mpol_policy *policy, char *err, size_t errlen)
{
	if (!mpol_mode_name(policy->mode)) {
		snprintf(err, errlen, "linux.memoryPolicy.mode: unknown mode %d", policy->mode);
		return -EINVAL;
	}
	if (policy->flags & ~(unsigned)MPOL_FLAGS_ALL) {
		snprintf(err, errlen, "linux.memoryPolicy.flags: unknown flag bits 0x%x",
			 policy->flags & ~(unsigned)MPOL_FLAGS_ALL);
		return -EINVAL;
	}
	return 0;
}

/* Rules 5 and 6: the modes that take neither nodes nor flags. */
static int check_bare_mode(const struct mpol_policy *policy, char *err, size_t errlen)
{
	const char *name = mpol_mode_name(policy->mode);

	if (policy->mode != MPOL_MODE_DEFAULT && policy->mode != MPOL_MODE_LOCAL)
		return 0;
	if (policy_has_nodes(policy)) {
		snprintf(err, errlen, "linux.memoryPolicy.nodes: %s takes no nodes", name);
		return -EINVAL;
	}
	if (policy->flags) {
		snprintf(err, errlen, "linux.memoryPolicy.flags: %s takes no flags", name);
		return -EINVAL;
	}
	return 0;
}

/* The rules are checked in the order of the design table, and the first
 * one broken is reported. */
int mpol_validate(const struct mpol_policy *policy, char *err, size_t errlen)
{
	const char *name = mpol_mode_name(policy->mode);
	bool has_nodes = policy_has_nodes(policy);
	int r;

	r = check_known(policy, err, errlen);
	if (r < 0)
		return r;
	if ((policy->flags & MPOL_FLAG_NUMA_BALANCING) && policy->mode != MPOL_MODE_BIND) {
		snprintf(err, errlen,
			 "linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING is only valid with "
			 "MPOL_BIND (mode is %s)",
			 name);
		return -EINVAL;
	}
	if ((policy->flags & (unsigned)MPOL_FLAGS_NODES) == (unsigned)MPOL_FLAGS_NODES) {
		snprintf(err, errlen,
			 "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and "
			 "MPOL_F_RELATIVE_NODES are mutually exclusive");
		return -EINVAL;
	}
	r = check_bare_mode(policy, err, errlen);
	if (r < 0)
		return r;
	/* Rule 7: MPOL_PREFERRED without nodes means "local"; there is no node
	 * set for STATIC or RELATIVE to apply to, and the kernel says EINVAL. */
	if (policy->mode == MPOL_MODE_PREFERRED && !has_nodes &&
	    (policy->flags & (unsigned)MPOL_FLAGS_NODES)) {
		snprintf(err, errlen,
			 "linux.memoryPolicy.flags: MPOL_PREFERRED without nodes takes no %s",
			 mpol_flag_name(policy->flags & MPOL_FLAG_STATIC_NODES
					    ? MPOL_FLAG_STATIC_NODES
					    : MPOL_FLAG_RELATIVE_NODES));
		return -EINVAL;
	}
	if (needs_nodes(policy->mode) && !has_nodes) {
		snprintf(err, errlen, "linux.memoryPolicy.nodes: %s needs at least one node", name);
		return -EINVAL;
	}
	return 0;
}
