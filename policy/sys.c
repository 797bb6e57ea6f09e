/* sys.c - the set_mempolicy(2) / get_mempolicy(2) calls and their exact
 * arguments. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mempolicy.h"


long mpol_sys_set(int mode, const unsigned long *mask, unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

long mpol_sys_get(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
		  unsigned long flags)
{
	return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

void mpol_build_args(const struct mpol_policy *policy, struct mpol_args *ret_args)
{
	size_t words = 0;

	/* Only as many words as it takes to hold the highest node. */
	for (size_t i = MPOL_MASK_WORDS; i-- > 0;) {
		if (policy->nodes.bits[i]) {
			words = i + 1;
			break;
		}
	}
	ret_args->mode = policy->mode | (int)policy->flags;
	if (!policy->has_nodes || words == 0) {
		ret_args->mask = NULL;
		ret_args->maxnode = 0;
		return;
	}
	ret_args->mask = policy->nodes.bits;
	/* get_nodes() in mm/mempolicy.c starts with --maxnode: the kernel
	 * reads maxnode - 1 bits. Without the + 1 the top bit of the last
	 * word (node 63, 127, ...) would be silently dropped. */
	ret_args->maxnode = words * MPOL_BITS_PER_WORD + 1;
}

int mpol_read_back(mpol_get_fn get, struct mpol_policy *ret_policy, char *err, size_t errlen)
{
	struct mpol_policy p = {0};
	int mode = 0, e;

	/* maxnode must be at least the kernel's nr_node_ids (else EINVAL);
	 * the kernel then copies ALIGN(maxnode - 1, 64) bits, which is all of
	 * our MPOL_MAX_NODES-bit mask and no more. */
	errno = 0;
	if (get(&mode, p.nodes.bits, MPOL_MAX_NODES, NULL, 0) != 0) {
		e = errno ? errno : EIO;
		if (e == ENOSYS)
			snprintf(err, errlen,
				 "linux.memoryPolicy: the kernel has no NUMA support "
				 "(get_mempolicy: ENOSYS)");
		else
			snprintf(err, errlen, "linux.memoryPolicy: get_mempolicy: %s", strerror(e));
		return -e;
	}
	/* The kernel ORs the user-visible flags into the mode. */
	p.flags = (unsigned)mode & (unsigned)MPOL_FLAGS_ALL;
	p.mode = (int)((unsigned)mode & ~(unsigned)MPOL_FLAGS_ALL);
	for (size_t i = 0; i < MPOL_MASK_WORDS; i++)
		if (p.nodes.bits[i])
			p.has_nodes = true;
	*ret_policy = p;
	return 0;
}
