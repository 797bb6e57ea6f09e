/* exec.h - start another process in a running container: join its
 * namespaces (and cgroup), then the same process setup as the init --
 * memory policy, rlimits, user, capabilities, no_new_privs, seccomp. */
#ifndef MINI_EXEC_H
#define MINI_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"
#include "state.h"

struct exec_opts {
	const struct state *state;	  /* the container's */
	const struct spec *spec;	  /* its config.json: seccomp, memory policy */
	struct spec_process *process;	  /* what to run; caps parsed by the caller */
	bool apparmor;			  /* apply process->apparmor_profile */
	const char *pid_file;		  /* NULL for none */
	const char *console_socket;	  /* NULL: with a terminal, we relay it */
	int preserve_fds;
};

/* Starts the process and returns once it has exec'd (or failed to, with
 * the reason). *ret_console is the pty master to relay, or -1. */
int exec_start(const struct exec_opts *opts, pid_t *ret_pid, int *ret_console,
	       struct rt_error *err);

#endif
