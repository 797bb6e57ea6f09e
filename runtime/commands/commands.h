/* commands.h - one function per CLI command. Each parses its own options
 * (argv[0] is the command name), makes its library calls and returns the
 * exit code, or a negative value with err filled; main prints err. */
#ifndef MINI_COMMANDS_H
#define MINI_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "container.h"
#include "error.h"

struct global_opts {
	const char *root;
	bool systemd_cgroup;
};

typedef int (*command_fn)(int argc, char **argv, const struct global_opts *g,
			  struct rt_error *err);

int cmd_create(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_run(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_start(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_state(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_list(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_kill(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_delete(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_features(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_spec(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_exec(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_ps(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_pause(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_resume(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_update(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_events(int argc, char **argv, const struct global_opts *g, struct rt_error *err);
int cmd_help(int argc, char **argv, const struct global_opts *g, struct rt_error *err);

/* Locks and reads the container (container_load_state), which must have a cgroup;
 * *ret_dirfd is the locked state directory, for the caller to close. */
struct state;
int cli_load_cgroup(const struct global_opts *g, const char *id, unsigned allowed,
		    const char *op, int *ret_dirfd, struct state *st, struct rt_error *err);
#define CLI_LIVE                                                                              \
	(STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING) | STATE_MASK(STATUS_PAUSED))

/* A helper that has done the command's whole job (printed its --help)
 * returns CLI_DONE; the command then returns 0. */
#define CLI_DONE 1
/* The global usage: options and the list of commands. */
void cli_usage(FILE *out);
/* Prints `name`'s usage and options to stdout: CLI_DONE, or -ENOENT for
 * no such command. */
int cli_help(const char *name);
/* A command whose only operand is the id (start, state, pause, resume):
 * -h/--help (CLI_DONE), an optional `--`, then exactly the id. */
int cli_id_only(int argc, char **argv, const char **ret_id, struct rt_error *err);

/* Parses create/run options (`run` also takes `run BUNDLE_DIR`), seals
 * the inherited fds (cli_seal_fds) and fills *ret for container_create. */
int cli_create_opts(int argc, char **argv, const struct global_opts *g, bool is_run,
		    struct create_opts *ret, struct rt_error *err);
/* --preserve-fds N (create, run, exec). */
int cli_preserve_fds(const char *text, int *ret, struct rt_error *err);
/* Marks every inherited fd above 2 (+ preserve) close-on-exec, so nothing
 * the caller left open reaches the container. */
int cli_seal_fds(int preserve_fds, struct rt_error *err);
/* Exactly one operand, the container id. */
int cli_one_id(int argc, char **argv, int first, const char **ret_id, struct rt_error *err);

#endif
