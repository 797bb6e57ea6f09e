/* caps.h - process.capabilities with libcap. */
#ifndef MINI_CAPS_H
#define MINI_CAPS_H

#include "error.h"
#include "spec.h"

/* Parent side: capability names -> cap_masks; an unknown name is an error
 * naming it ("process.capabilities.bounding[3]: unknown capability ..."). */
int caps_parse(struct spec_process *process, const char *path, struct rt_error *err);
/* Child side, before the container is "created": every capability asked
 * for in the effective, permitted, inheritable or ambient set must be one
 * the init holds, or capset would fail only after `start` has returned. */
int caps_check(const struct spec_process *process, struct rt_error *err);
/* Child side, as root: drop the bounding set (needs CAP_SETPCAP, so before
 * the user switch) ... */
int caps_drop_bounding(const struct spec_process *process, struct rt_error *err);
/* ... then, after setuid with PR_SET_KEEPCAPS: effective, permitted,
 * inheritable and ambient. */
int caps_apply(const struct spec_process *process, struct rt_error *err);

#endif
