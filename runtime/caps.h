/* caps.h - process.capabilities with libcap. */
#ifndef MINI_CAPS_H
#define MINI_CAPS_H

#include "error.h"
#include "spec.h"

/* Parent side: capability names -> cap_masks; an unknown name is an error
 * naming it ("process.capabilities.bounding[3]: unknown capability ..."). */
int caps_parse(struct spec_process *process, const char *path, struct rt_error *err);
/* Parent side, when the container gets no user namespace: the init (our
 * clone) can grant only what we hold in our permitted set. Removes every
 * other capability from all five sets and returns them, for a warning:
 * runtime-spec (since 1.1.0) says a capability that "cannot be granted
 * otherwise MUST be logged as a warning" and runtimes "SHOULD NOT fail".
 * Without this, capset failed in the init after `start` had returned. */
uint64_t caps_leave_out_ungrantable(struct spec_process *process);
/* A capability's number from its name ("CAP_KILL", any case): 0, or
 * -EINVAL for a name that is not one. */
int caps_from_name(const char *name, int *ret_bit);
/* "cap_a, cap_b" for a mask, truncated to len. */
void caps_format(uint64_t mask, char *buf, size_t len);
/* Child side, as root: drop the bounding set (needs CAP_SETPCAP, so before
 * the user switch) ... */
int caps_drop_bounding(const struct spec_process *process, struct rt_error *err);
/* ... then, after setuid with PR_SET_KEEPCAPS: effective, permitted,
 * inheritable and ambient. */
int caps_apply(const struct spec_process *process, struct rt_error *err);

#endif
