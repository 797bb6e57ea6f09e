/* process_setup.h - the steps the container's init and an `exec`'s child
 * share: the first ones (die with the runtime, join the cgroup, close what
 * the caller left open, hold the host's /proc) and the tail from the
 * terminal to execve, with one way out on failure.
 *
 * In between each does its own: the init builds the container
 * (init.c), the exec child joins it (exec.c). A failure anywhere ends the
 * child with exit code 127 after it has told whoever waits: the parent over
 * the sync socket while it listens, else our stderr. */
#ifndef MINI_PROCESS_SETUP_H
#define MINI_PROCESS_SETUP_H

#include <stdbool.h>

#include "cgroups.h"
#include "error.h"
#include "seccomp_profile.h"
#include "spec.h"

/* The exit code of a child whose setup failed, before or after READY. */
#define PROCESS_SETUP_FAILED 127

struct process_setup {
	const struct spec *spec;	    /* rlimits, the memory policy */
	const struct spec_process *process; /* NULL: an init with nothing to run */
	const struct cg_join *cgroups;	    /* joined first; NULL: joined already */
	int sync_fd;			    /* our end of the sync socket */
	int fifo_fd;	   /* `create`'s init waits on the exec fifo; else -1: SYNC_START */
	int console_fd;	   /* console socket, -1 without a terminal */
	int preserve_fds;  /* --preserve-fds: 3 .. 3+N-1 go to the process */
	bool make_console; /* the init binds the pty on /dev/console */
	bool need_procfs;  /* a step needs the host's /proc (sysctls, oom score, AppArmor) */
	bool apparmor;	   /* apply process->apparmorProfile (loaded, enabled) */
	bool report_late;  /* the parent reads a failure after READY too (exec) */
	struct seccomp_filter *seccomp; /* built by the parent; NULL for none */
	const char *start_state;	/* the startContainer hooks' state; NULL: none */
	/* filled by process_setup_begin */
	int procfd;	 /* the host's /proc, -1 when not needed; the caller closes it */
	int apparmor_fd; /* its attr/exec, -1 without AppArmor */
	bool ready;	 /* READY is sent: `create` may be gone */
};

/* The first steps, before anything the container controls is joined. */
int process_setup_begin(struct process_setup *s, struct rt_error *err);
/* The way out: reports err and exits PROCESS_SETUP_FAILED. */
__attribute__((noreturn)) void process_setup_fail(const struct process_setup *s,
						  const struct rt_error *err);
/* A step's result: returns on success (r >= 0), fails on failure. */
static inline void process_setup_step(const struct process_setup *s, int r,
				      const struct rt_error *err)
{
	if (r < 0)
		process_setup_fail(s, err);
}
/* The tail, in the container's root: terminal, rlimits, cwd, memory
 * policy, program lookup, READY, the wait for start, AppArmor, the
 * privilege drop, startContainer hooks, execve. */
__attribute__((noreturn)) void process_setup_finish(struct process_setup *s);

#endif
