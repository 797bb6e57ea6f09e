/* exec.c - `exec [--process FILE | CMD ARGS...] ID`: another process in a
 * running container. Without --process the container's own process
 * settings (env, user, capabilities ...) are used with the given command. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "commands.h"
#include "exec.h"
#include "signals.h"
#include "spec_json.h"
#include "terminal.h"
#include "util.h"

struct exec_cli {
	const char *process_file, *pid_file, *console_socket, *cwd, *user;
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

static int strv_replace(char ***v, char **src, size_t n)
{
	char **copy = calloc(n + 1, sizeof(char *));

	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(copy[i] = strdup(src[i])))
			return -ENOMEM;
	strv_free(*v);
	*v = copy;
	return 0;
}

/* UID[:GID], decimal, each below (uid_t)-1, which setresuid takes as
 * "unchanged" (the bound config.json's user has too). */
static int parse_user(const char *text, uid_t *uid, gid_t *gid)
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
	*uid = (uid_t)u;
	if (colon)
		*gid = (gid_t)g;
	return 0;
}

/* The container's process with the command line's overrides. */
static int build_process(const struct exec_cli *c, char **cmd, size_t ncmd, struct spec *spec,
			 struct spec_process **ret, struct rt_error *err)
{
	struct spec_process *p;

	if (c->process_file)
		return spec_load_process(c->process_file, ret, err);
	if (!spec->process)
		return rt_fail(err, EINVAL, "exec: config.json has no process to start from");
	p = steal_ptr(&spec->process);
	if (strv_replace(&p->args, cmd, ncmd) < 0)
		goto oom;
	if (c->nenv) {
		size_t old = 0;
		while (p->env && p->env[old])
			old++;
		char **env = realloc(p->env, (old + c->nenv + 1) * sizeof(char *));
		if (!env)
			goto oom;
		for (size_t i = 0; i < c->nenv; i++)
			env[old + i] = strdup(c->env[i]);
		env[old + c->nenv] = NULL;
		p->env = env;
	}
	if (c->cwd) {
		free(p->cwd);
		if (!(p->cwd = strdup(c->cwd)))
			goto oom;
	}
	if (c->user && parse_user(c->user, &p->uid, &p->gid) < 0) {
		spec_process_free(p);
		return rt_fail(err, EINVAL, "exec --user: expected UID[:GID], got \"%s\"", c->user);
	}
	p->terminal = c->tty;
	*ret = p;
	return 0;
oom:
	spec_process_free(p);
	return rt_fail(err, ENOMEM, "out of memory");
}

static int run_exec(struct exec_cli *cli, const char *id, char **cmd, size_t ncmd,
		    const struct global_opts *g, struct rt_error *err)
{
	struct state st = {0};
	struct spec *spec = NULL;
	struct spec_process *p = NULL;
	cleanup_close int dirfd = -1;
	int console = -1, r;
	pid_t pid = 0;

	r = state_open_dir(g->root, id, &dirfd, err);
	if (r == 0)
		r = state_read(dirfd, id, &st, err);
	if (r == 0) {
		enum state_status s = state_status(dirfd, &st);
		if (s != STATUS_RUNNING && s != STATUS_CREATED)
			r = rt_fail(err, EINVAL, "container %s is %s: cannot exec in it", id,
				    state_status_name(s));
	}
	if (r == 0)
		r = spec_load(st.bundle, &spec, err);
	if (r == 0)
		r = build_process(cli, cmd, ncmd, spec, &p, err);
	if (r == 0 && p->has_caps)
		r = caps_parse(p, "process", err);
	if (r == 0 && p->terminal && cli->detach && !cli->console_socket)
		r = rt_fail(err, EINVAL, "exec: --detach with a terminal needs --console-socket");
	if (r == 0) {
		struct exec_opts o = {.state = &st, .spec = spec, .process = p,
				      .pid_file = cli->pid_file, .console_socket = cli->console_socket,
				      .preserve_fds = cli->preserve_fds};
		close(steal_fd(&dirfd)); /* unlock: others may act on the container now */
		r = exec_start(&o, &pid, &console, err);
	}
	spec_process_free(p);
	spec_free(spec);
	state_free(&st);
	if (r < 0)
		return r;
	if (cli->detach)
		return 0;
	if (console < 0) {
		sigset_t sigs;

		signals_block_forwarded(&sigs);
		return signals_wait_forwarding(pid, &sigs);
	}
	signals_forward_by_handlers(pid);
	terminal_relay(console);
	close(console);
	return signals_wait(pid);
}

int cmd_exec(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct exec_cli cli = {0};
	int first = parse(argc, argv, &cli, err), r;

	if (first < 0 || cli_seal_fds(cli.preserve_fds, err) < 0) {
		free(cli.env);
		return -EINVAL;
	}
	r = run_exec(&cli, argv[first], argv + first + 1, (size_t)(argc - first - 1), g, err);
	free(cli.env);
	return r;
}
