/* exec.c - `exec [--process FILE | CMD ARGS...] ID`: another process in a
 * running container (container_exec), waited for unless --detach. Without
 * --process the container's own process settings (env, user,
 * capabilities ...) are used with the given command; the flags (--env,
 * --user, --cap, ...) apply on top of either. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "commands.h"
#include "container.h"
#include "log.h"
#include "signals.h"
#include "terminal.h"
#include "util.h"

struct exec_cli {
	const char *process_file, *pid_file, *console_socket, *cwd, *user, *apparmor;
	bool detach, tty, no_new_privs, ignore_paused;
	int preserve_fds;
	char **env, **caps; /* -e K=V, -c CAP: NULL-terminated */
	size_t nenv, ncaps;
	gid_t *gids;
	size_t ngids;
	int first; /* argv index of the id */
};

static int push(char ***v, size_t *n, char *item)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(char *));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = item;
	nv[*n] = NULL;
	return 0;
}

/* -g GID: a decimal below (gid_t)-1, as --user's GID */
static int push_gid(struct exec_cli *c, const char *text, struct rt_error *err)
{
	unsigned long g;
	gid_t *v;

	if (parse_ulong(text, &g) < 0 || g >= UINT32_MAX)
		return rt_fail(err, EINVAL, "exec --additional-gids: \"%s\" is not a gid", text);
	v = realloc(c->gids, (c->ngids + 1) * sizeof(gid_t));
	if (!v)
		return rt_fail(err, ENOMEM, "out of memory");
	c->gids = v;
	v[c->ngids++] = (gid_t)g;
	return 0;
}

/* NAME=VALUE, as runc's init insists (and execve's callers assume) */
static int check_env(const char *kv, struct rt_error *err)
{
	const char *eq = strchr(kv, '=');

	if (!eq)
		return rt_fail(err, EINVAL, "exec --env: \"%s\" is not NAME=VALUE (no '=')", kv);
	if (eq == kv)
		return rt_fail(err, EINVAL, "exec --env: \"%s\": the name is empty", kv);
	return 0;
}

static int check_cap(const char *name, struct rt_error *err)
{
	int bit;

	if (caps_from_name(name, &bit) < 0)
		return rt_fail(err, EINVAL, "exec --cap: unknown capability \"%s\"", name);
	return 0;
}

/* runc's flags that select what this runtime does not have */
static int unsupported(int o, struct rt_error *err)
{
	static const struct {
		int o;
		const char *flag, *why;
	} refused[] = {
		{'L', "--process-label", "SELinux labels are not supported"},
		{'G', "--cgroup", "a sub-cgroup for the process is not supported"},
		{'F', "--pidfd-socket", "not supported"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
		if (refused[i].o == o)
			return rt_fail(err, ENOTSUP, "exec %s: %s", refused[i].flag, refused[i].why);
	return 0;
}

static int parse_one(int o, char **argv, struct exec_cli *c, struct rt_error *err)
{
	int r;

	switch (o) {
	case 'p': c->process_file = optarg; return 0;
	case 'd': c->detach = true; return 0;
	case 'P': c->pid_file = optarg; return 0;
	case 's': c->console_socket = optarg; return 0;
	case 't': c->tty = true; return 0;
	case 'w': c->cwd = optarg; return 0;
	case 'u': c->user = optarg; return 0;
	case 'a': c->apparmor = optarg; return 0;
	case 'n': c->no_new_privs = true; return 0;
	case 'i': c->ignore_paused = true; return 0;
	case 'g': return push_gid(c, optarg, err);
	case 'e':
		if ((r = check_env(optarg, err)) < 0)
			return r;
		return push(&c->env, &c->nenv, optarg) < 0 ? rt_fail(err, ENOMEM, "out of memory")
							   : 0;
	case 'c':
		if ((r = check_cap(optarg, err)) < 0)
			return r;
		return push(&c->caps, &c->ncaps, optarg) < 0
			       ? rt_fail(err, ENOMEM, "out of memory")
			       : 0;
	case 'f': return cli_preserve_fds(optarg, &c->preserve_fds, err);
	case 'L':
	case 'G':
	case 'F': return unsupported(o, err);
	default:
		return rt_fail(err, EINVAL, "exec: unknown or incomplete option \"%s\"",
			       argv[optind - 1]);
	}
}

static int parse(int argc, char **argv, struct exec_cli *c, struct rt_error *err)
{
	static const struct option opts[] = {
		{"process", required_argument, NULL, 'p'},
		{"detach", no_argument, NULL, 'd'},
		{"pid-file", required_argument, NULL, 'P'},
		{"console-socket", required_argument, NULL, 's'},
		{"tty", no_argument, NULL, 't'},
		{"cwd", required_argument, NULL, 'w'},
		{"env", required_argument, NULL, 'e'},
		{"user", required_argument, NULL, 'u'},
		{"additional-gids", required_argument, NULL, 'g'},
		{"cap", required_argument, NULL, 'c'},
		{"no-new-privs", no_argument, NULL, 'n'},
		{"ignore-paused", no_argument, NULL, 'i'},
		{"preserve-fds", required_argument, NULL, 'f'},
		{"apparmor", required_argument, NULL, 'a'},
		{"process-label", required_argument, NULL, 'L'},
		{"cgroup", required_argument, NULL, 'G'},
		{"pidfd-socket", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int o;
	int r;

	optind = 1;
	opterr = 0;
	/* '+': the command's own options are not ours */
	while ((o = getopt_long(argc, argv, "+p:dtw:e:u:g:c:h", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]);
		if ((r = parse_one(o, argv, c, err)) < 0)
			return r;
	}
	if (c->cwd && c->cwd[0] != '/')
		return rt_fail(err, EINVAL, "exec --cwd: \"%s\" is not an absolute path", c->cwd);
	if (optind >= argc)
		return rt_fail(err, EINVAL, "exec: missing container id");
	if (!c->process_file && optind + 1 >= argc)
		return rt_fail(err, EINVAL, "exec: give a command or --process FILE");
	if (c->process_file && optind + 1 < argc)
		return rt_fail(err, EINVAL, "exec: a command and --process FILE: give one of them");
	c->first = optind;
	return 0;
}

/* UID[:GID], decimal, each below (uid_t)-1, which setresuid takes as
 * "unchanged" (the bound config.json's user has too). */
static int parse_user(const char *text, struct exec_request *q)
{
	char buf[32], *colon;
	unsigned long u, g;

	if (strlen(text) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, text);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (parse_ulong(buf, &u) < 0 || u >= UINT32_MAX ||
	    (colon && (parse_ulong(colon + 1, &g) < 0 || g >= UINT32_MAX)))
		return -EINVAL;
	q->has_uid = true;
	q->uid = (uid_t)u;
	if (colon) {
		q->has_gid = true;
		q->gid = (gid_t)g;
	}
	return 0;
}

/* Waits for the process (relaying its terminal, if we hold it) and
 * returns its exit code, as `run` does. */
static int wait_for(pid_t pid, int console)
{
	sigset_t sigs;

	if (console < 0) {
		signals_block_forwarded(&sigs);
		return signals_wait_forwarding(pid, &sigs);
	}
	signals_forward_by_handlers(pid);
	terminal_relay(console);
	close(console);
	return signals_wait(pid);
}

static int to_request(const struct exec_cli *c, char **cmd, size_t ncmd,
		      struct exec_request *q, struct rt_error *err)
{
	*q = (struct exec_request){.process_file = c->process_file,
				   .args = cmd,
				   .nargs = ncmd,
				   .env = c->env,
				   .nenv = c->nenv,
				   .cwd = c->cwd,
				   .apparmor = c->apparmor,
				   .caps = c->caps,
				   .ncaps = c->ncaps,
				   .gids = c->gids,
				   .ngids = c->ngids,
				   .no_new_privs = c->no_new_privs,
				   .ignore_paused = c->ignore_paused,
				   .tty = c->tty,
				   .detach = c->detach,
				   .pid_file = c->pid_file,
				   .console_socket = c->console_socket,
				   .preserve_fds = c->preserve_fds};
	if (c->user && parse_user(c->user, q) < 0)
		return rt_fail(err, EINVAL, "exec --user: expected UID[:GID], got \"%s\"", c->user);
	return 0;
}

static void cli_free(struct exec_cli *c)
{
	free(c->env);
	free(c->caps);
	free(c->gids);
}

int cmd_exec(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct exec_cli cli = {0};
	struct exec_request req;
	int r = parse(argc, argv, &cli, err), console = -1;
	pid_t pid = 0;

	if (r != 0 || cli_seal_fds(cli.preserve_fds, err) < 0 ||
	    to_request(&cli, argv + cli.first + 1, (size_t)(argc - cli.first - 1), &req, err) < 0) {
		cli_free(&cli);
		return r == CLI_DONE ? 0 : -EINVAL;
	}
	log_debug("exec: container %s, %s", argv[cli.first],
		  cli.process_file ? cli.process_file : argv[cli.first + 1]);
	r = container_exec(g->root, argv[cli.first], &req, &pid, &console, err);
	cli_free(&cli);
	if (r < 0)
		return r;
	log_debug("exec: process %d runs in container %s%s", (int)pid, argv[cli.first],
		  cli.detach ? " (detached)" : "");
	return cli.detach ? 0 : wait_for(pid, console);
}
