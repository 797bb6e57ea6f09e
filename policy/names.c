/* names.c - the mode and flag names of linux.memoryPolicy (rule 2). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mempolicy.h"

/* Indexed by the kernel's mode value: mpol_mode_names[MPOL_MODE_BIND] is
 * "MPOL_BIND". */
const char *const mpol_mode_names[] = {
    [MPOL_MODE_DEFAULT] = "MPOL_DEFAULT",
    [MPOL_MODE_PREFERRED] = "MPOL_PREFERRED",
    [MPOL_MODE_BIND] = "MPOL_BIND",
    [MPOL_MODE_INTERLEAVE] = "MPOL_INTERLEAVE",
    [MPOL_MODE_LOCAL] = "MPOL_LOCAL",
    [MPOL_MODE_PREFERRED_MANY] = "MPOL_PREFERRED_MANY",
    [MPOL_MODE_WEIGHTED_INTERLEAVE] = "MPOL_WEIGHTED_INTERLEAVE",
    NULL,
};

/* Ascending bit order: entry i is the flag MPOL_FLAG_NUMA_BALANCING << i. */
const char *const mpol_flag_names[] = {
    "MPOL_F_NUMA_BALANCING",
    "MPOL_F_RELATIVE_NODES",
    "MPOL_F_STATIC_NODES",
    NULL,
};

#define NMODES (sizeof(mpol_mode_names) / sizeof(mpol_mode_names[0]) - 1)
#define NFLAGS (sizeof(mpol_flag_names) / sizeof(mpol_flag_names[0]) - 1)

/* the names and the mask are one vocabulary: a flag added to one is in both */
_Static_assert((unsigned)MPOL_FLAGS_ALL ==
		       ((unsigned)MPOL_FLAG_NUMA_BALANCING << NFLAGS) - MPOL_FLAG_NUMA_BALANCING,
	       "mpol_flag_names and MPOL_FLAGS_ALL differ");

const char *mpol_mode_name(int mode)
{
	if (mode < 0 || (size_t)mode >= NMODES)
		return NULL;
	return mpol_mode_names[mode];
}

const char *mpol_flag_name(unsigned flag)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (flag == (unsigned)MPOL_FLAG_NUMA_BALANCING << i)
			return mpol_flag_names[i];
	return NULL;
}

int mpol_parse_mode(const char *name, int *ret_mode, char *err, size_t errlen)
{
	if (!name) {
		snprintf(err, errlen, "linux.memoryPolicy.mode: missing mode");
		return -EINVAL;
	}
	for (size_t i = 0; i < NMODES; i++) {
		if (strcmp(name, mpol_mode_names[i]) == 0) {
			*ret_mode = (int)i;
			return 0;
		}
	}
	snprintf(err, errlen, "linux.memoryPolicy.mode: unknown mode \"%s\"", name);
	return -EINVAL;
}

int mpol_parse_flag(const char *name, size_t index, unsigned *ret_flag, char *err, size_t errlen)
{
	if (!name) {
		snprintf(err, errlen, "linux.memoryPolicy.flags[%zu]: missing flag", index);
		return -EINVAL;
	}
	for (size_t i = 0; i < NFLAGS; i++) {
		if (strcmp(name, mpol_flag_names[i]) == 0) {
			*ret_flag = (unsigned)MPOL_FLAG_NUMA_BALANCING << i;
			return 0;
		}
	}
	snprintf(err, errlen, "linux.memoryPolicy.flags[%zu]: unknown flag \"%s\"", index, name);
	return -EINVAL;
}
