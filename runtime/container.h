/* container.h - the host side of a container's life: create (clone the
 * init, user-ns maps, hooks, state, pid file), and what `run` needs on top. */
#ifndef MINI_CONTAINER_H
#define MINI_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"
#include "state.h"

struct create_opts {
	const char *root;
	const char *id;
	const char *bundle;
	const char *pid_file;	    /* NULL for none */
	const char *console_socket; /* NULL for none */
	bool no_pivot;
	bool for_run; /* started over the sync socket, no exec fifo */
	bool detach;  /* run --detach */
	int preserve_fds;
};

struct container {
	struct spec *spec;
	struct state state;
	int dirfd;	/* locked state directory */
	int sync_fd;	/* our end of the sync socket, open until started */
	int console_fd; /* `run` with a terminal and no console socket: receives the pty */
};

/* Validates everything, clones the init and waits until it is set up.
 * On failure nothing is left: no process, no state directory. */
int container_create(const struct create_opts *opts, struct container *ret,
		     struct rt_error *err);
/* `run`: lets the init exec (SYNC_START), writes the state (created) and
 * runs the poststart hooks. */
int container_start_now(struct container *c, struct rt_error *err);
/* Kills what is left, removes the cgroups (`cgroups` is the state's
 * record, may be NULL), runs poststop hooks, removes the state directory. */
int container_destroy(const char *root, const char *id, const struct spec *spec, pid_t pid,
		      const char *cgroups, struct rt_error *err);
/* The same once `run` has reaped the init (spec not NULL). */
int container_destroy_reaped(const char *root, const char *id, const struct spec *spec,
			     const char *cgroups, struct rt_error *err);
void container_release(struct container *c);

/* Writes the pid file atomically: bare digits, no newline. */
int container_write_pid_file(const char *path, pid_t pid, struct rt_error *err);

#endif
