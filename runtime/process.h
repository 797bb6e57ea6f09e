/* process.h - the attributes of the container's process that the init
 * sets on itself: rlimits, oom score, personality, scheduler, I/O
 * priority, user and groups, cwd, and the program lookup. */
#ifndef MINI_PROCESS_H
#define MINI_PROCESS_H

#include "error.h"
#include "seccomp_profile.h"
#include "spec.h"

/* Needs the host's /proc (before pivot_root). */
/* process.oomScoreAdj, written through procfd (procfs.h); before the
 * process joins anything the container controls. */
int process_set_oom_score(int procfd, const struct spec_process *process, struct rt_error *err);
int process_set_limits(const struct spec *spec, const struct spec_process *process,
		       struct rt_error *err);
/* Resolves args[0] with the process's PATH inside the current root; the
 * result is what execve gets. */
int process_find_program(const struct spec_process *process, char *buf, size_t len,
			 struct rt_error *err);
/* The last steps before execve, for the init and exec alike: seccomp,
 * bounding set, user, capabilities, no_new_privs (filter may be NULL). */
int process_drop_privileges(const struct spec_process *process, struct seccomp_filter *filter,
			    struct rt_error *err);
/* execve with the process env; returns only on failure. */
int process_exec(const struct spec_process *process, const char *program, struct rt_error *err);

#endif
