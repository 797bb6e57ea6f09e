/* init.h - the container side: what the cloned init process does, in
 * order, until it execs the user's program (its first and last steps are
 * process_setup.h's, shared with exec). */
#ifndef MINI_INIT_H
#define MINI_INIT_H

#include <stdbool.h>

#include "cgroups.h"
#include "seccomp_profile.h"
#include "spec.h"
#include "state.h"

struct init_args {
	const struct spec *spec;
	const struct state *state; /* the parent's record, filled before the clone */
	int sync_fd;	    /* our end of the sync socket */
	int fifo_fd;	    /* the exec fifo, opened read-write by the parent; -1 for `run` */
	int console_fd;	    /* console socket, -1 without a terminal */
	int preserve_fds;   /* --preserve-fds: 3 .. 3+N-1 go to the process */
	bool no_pivot;
	bool new_userns;    /* wait for the parent to write the id maps */
	bool new_cgroupns;  /* unshare it once in the cgroup */
	bool apparmor;	    /* apply process.apparmorProfile (loaded, enabled) */
	struct cg_join cgroups; /* joined first: see container_create */
	struct seccomp_filter *seccomp; /* built by the parent; NULL for none */
};

/* Never returns: execs the process or exits PROCESS_SETUP_FAILED after
 * reporting the failed step (process_setup.h). */
__attribute__((noreturn)) void init_main(const struct init_args *args);

#endif
