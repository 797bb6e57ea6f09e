/* apparmor.h - process.apparmorProfile: the profile the container's
 * process is confined by from its execve on. */
#ifndef MINI_APPARMOR_H
#define MINI_APPARMOR_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* Whether the kernel runs AppArmor (the module is enabled and its
 * securityfs is there). */
bool apparmor_enabled(void);

/* Parent, before anything is created: the profile p asks for is loaded.
 * On a host without AppArmor a profile is ignored, as runc does, and the
 * log says so once. Sets *ret_apply when the init must apply it. */
int apparmor_check(const struct spec_process *p, const char *field, bool *ret_apply,
		   struct rt_error *err);

/* The process's "exec" attribute, opened below procfd (procfs.h) before
 * the container's mounts exist, so the container cannot redirect it. */
int apparmor_open_exec_attr(int procfd, int *ret_fd, struct rt_error *err);
/* Confines the next execve by profile (written before no_new_privs, which
 * would restrict the transition). Closes fd. */
int apparmor_apply(int fd, const char *profile, struct rt_error *err);

#endif
