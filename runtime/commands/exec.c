/* exec.c - `exec [--process FILE | CMD ARGS...] ID`: another process in a
 * running container (container_exec), waited for unless --detach. Without
 * --process the container's own process settings (env, user,
 * capabilities ...) are used with the given command. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "container.h"
#include "signals.h"
#include "terminal.h"
#include "util.h"

struct exec_cli {
	const char *process_file, *pid_file, *console_socket, *cwd, *user, *apparmor;
	bool detach, tty;
	int preserve_fds;
	char **env; /* -e K=V, NULL-terminated */
	size_t nenv;
};

static int parse(int argc, char **argv, struct exec_cli *c, struct rt_error *err)
{
	static const struct option opts[] = {
		{"process", required_argument, NULL, 'p'},
		{"detach", no_argument, NULL, 'd'},
		{"pid-file", required_argument, NULL, 'P'},
		{"console-socket", required_argument, NULL, 'c'},
		{"tty", no_argument, NULL, 't'},
		{"cwd", required_argument, NULL, 'w'},
		{"env", required_argument, NULL, 'e'},
		{"user", required_argument, NULL, 'u'},
		{"preserve-fds", required_argument, NULL, 'f'},
		{"apparmor", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	int o;

	optind = 1;
	opterr = 0;
	/* '+': the command's own options are not ours */
	while ((o = getopt_long(argc, argv, "+p:dtw:e:u:", opts, NULL)) != -1) {
		switch (o) {
		case 'p': c->process_file = optarg; break;
		case 'd': c->detach = true; break;
		case 'P': c->pid_file = optarg; break;
		case 'c': c->console_socket = optarg; break;
		case 't': c->tty = true; break;
		case 'w': c->cwd = optarg; break;
		case 'u': c->user = optarg; break;
		case 'a': c->apparmor = optarg; break;
		case 'e':
			c->env = realloc(c->env, (c->nenv + 2) * sizeof(char *));
			if (!c->env)
				return rt_fail(err, ENOMEM, "out of memory");
			c->env[c->nenv++] = optarg;
			c->env[c->nenv] = NULL;
			break;
		case 'f':
			if (cli_preserve_fds(optarg, &c->preserve_fds, err) < 0)
				return -EINVAL;
			break;
		default:
			return rt_fail(err, EINVAL, "exec: unknown or incomplete option \"%s\"",
				       argv[optind - 1]);
		}
	}
	if (c->cwd && c->cwd[0] != '/')
		return rt_fail(err, EINVAL, "exec --cwd: \"%s\" is not an absolute path", c->cwd);
	if (optind >= argc)
		return rt_fail(err, EINVAL, "exec: missing container id");
	if (!c->process_file && optind + 1 >= argc)
		return rt_fail(err, EINVAL, "exec: give a command or --process FILE");
	return optind;
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
				   .tty = c->tty,
				   .detach = c->detach,
				   .pid_file = c->pid_file,
				   .console_socket = c->console_socket,
				   .preserve_fds = c->preserve_fds};
	if (c->user && parse_user(c->user, q) < 0)
		return rt_fail(err, EINVAL, "exec --user: expected UID[:GID], got \"%s\"", c->user);
	return 0;
}

int cmd_exec(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct exec_cli cli = {0};
	struct exec_request req;
	int first = parse(argc, argv, &cli, err), console = -1, r;
	pid_t pid = 0;

	if (first < 0 || cli_seal_fds(cli.preserve_fds, err) < 0 ||
	    to_request(&cli, argv + first + 1, (size_t)(argc - first - 1), &req, err) < 0) {
		free(cli.env);
		return -EINVAL;
	}
	r = container_exec(g->root, argv[first], &req, &pid, &console, err);
	free(cli.env);
	if (r < 0)
		return r;
	return cli.detach ? 0 : wait_for(pid, console);
}
