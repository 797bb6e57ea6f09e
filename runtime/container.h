/* container.h - the host side of a container's life, what the commands
 * call: create (clone the init, user-ns maps, hooks, state, pid file),
 * start, exec, kill, delete, and what `run` needs on top.
 *
 * One source of truth: create keeps the config.json it parsed and
 * validated in the state directory (state.h); everything after create
 * reads that one, never the bundle's, which may have moved or changed.
 *
 * `warn`: the spec makes a failing poststart or poststop hook a warning,
 * not a failure; the functions that run them fill warn (message non-empty)
 * for the caller to log, and leave it alone otherwise. */
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
	bool keep;    /* run --keep: the stopped container stays, for delete */
	bool systemd_cgroup; /* --systemd-cgroup: the cgroup is a systemd scope */
	int preserve_fds;
};

struct container {
	struct spec *spec; /* from create, or the state directory's config.json */
	struct state state;
	enum state_status status; /* container_load: the status it was loaded in */
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
int container_start_now(struct container *c, struct rt_error *warn, struct rt_error *err);
/* `run` once it has reaped the init: locks the state directory again and
 * destroys the container (poststop hooks and all). */
int container_end_run(struct container *c, const char *root, struct rt_error *warn,
		      struct rt_error *err);

/* The status now: state_status, and paused when the cgroup's freezer says
 * so (container_state.c). */
enum state_status container_status(int dirfd, const struct state *st);
/* Opens and locks the container's directory (state_open_dir), reads its
 * state and fails unless its status now is in `allowed` (STATE_MASK bits):
 * "container ID is STATUS, not ALLOWED: cannot OP", ESRCH when stopped,
 * EBUSY otherwise. With STATUS_CREATING allowed, a directory with no
 * readable state.json (a create killed before its first write) is loaded
 * as creating with nothing recorded but the id. You own *ret_dirfd (the
 * lock) and *ret_state. */
int container_load_state(const char *root, const char *id, unsigned allowed, const char *op,
			 int *ret_dirfd, struct state *ret_state, enum state_status *ret_status,
			 struct rt_error *err);
/* For readers that take no lock (`state`, `list`): the state and status
 * of <root>/<id>; see cmd_state. */
int container_peek_state(const char *root, const char *id, struct state *ret_state,
			 enum state_status *ret_status, struct rt_error *err);

/* Locks and loads an existing container whose status is in `allowed`
 * (container_load_state; `op` words the refusal), with the config create kept
 * (ret->spec) unless no config was recorded (a create killed before it
 * wrote state.json): then ret->spec is NULL. With warn not NULL, a config
 * that cannot be read is no failure: warn says why, ret->spec is NULL. */
int container_load(const char *root, const char *id, unsigned allowed, const char *op,
		   struct container *ret, struct rt_error *warn, struct rt_error *err);

/* `start`: releases the created init, returns once its program runs,
 * then runs the poststart hooks. */
int container_start(const char *root, const char *id, struct rt_error *warn,
		    struct rt_error *err);
/* `kill`: signals the init (all: every process in its cgroup). ESRCH with
 * "container not running" (runc's words, which containerd looks for) when
 * it has stopped. */
int container_kill(const char *root, const char *id, int sig, bool all, struct rt_error *err);
/* `delete`: a stopped container, or (force) any, killed first. A missing
 * container is no error with force. */
int container_delete(const char *root, const char *id, bool force, struct rt_error *warn,
		     struct rt_error *err);

/* `exec`: what to run, on top of the container's own process settings. */
struct exec_request {
	const char *process_file; /* --process: the whole process object */
	char **args;		  /* otherwise: the command (nargs of them) */
	size_t nargs;
	char **env; /* -e K=V, appended to process.env */
	size_t nenv;
	const char *cwd; /* NULL: process.cwd */
	const char *apparmor; /* --apparmor: NULL for process.apparmorProfile */
	char **caps;	      /* --cap: added to bounding, effective, permitted */
	size_t ncaps;
	gid_t *gids; /* --additional-gids: added to process.user.additionalGids */
	size_t ngids;
	bool no_new_privs;  /* --no-new-privs */
	bool ignore_paused; /* --ignore-paused: a paused container too */
	bool has_uid, has_gid;
	uid_t uid;
	gid_t gid;
	bool tty, detach;
	const char *pid_file;	    /* NULL for none */
	const char *console_socket; /* NULL: with a terminal, *ret_console to relay */
	int preserve_fds;
};
/* Starts the process in a created or running container and returns once
 * it has exec'd; *ret_console is the pty master to relay, or -1. */
int container_exec(const char *root, const char *id, const struct exec_request *req,
		   pid_t *ret_pid, int *ret_console, struct rt_error *err);

/* Kills what is left, removes the cgroups (the state's, may be NULL),
 * runs poststop hooks (spec may be NULL: none), removes the state
 * directory. warn may be NULL. */
int container_destroy(const char *root, const char *id, const struct spec *spec, pid_t pid,
		      const struct cgroups *cgroups, struct rt_error *warn, struct rt_error *err);
void container_release(struct container *c);

/* Writes the pid file atomically: bare digits, no newline. */
int container_write_pid_file(const char *path, pid_t pid, struct rt_error *err);

#endif
