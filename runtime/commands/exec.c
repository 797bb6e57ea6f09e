/* exec.c - `exec [--process FILE | CMD ARGS...] ID`: another process in a
 * running container. Without --process the container's own process
 * settings (env, user, capabilities ...) are used with the given command. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "commands.h"
#include "exec.h"
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
	unsigned long n;
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
			if (parse_ulong(optarg, &n) < 0 || n > 1024)
				return rt_fail(err, EINVAL, "--preserve-fds: invalid number \"%s\"", optarg);
			c->preserve_fds = (int)n;
			break;
		default:
			return rt_fail(err, EINVAL, "exec: unknown or incomplete option \"%s\"",
				       argv[optind - 1]);
		}
	}
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
		p->cwd = strdup(c->cwd);
	}
	if (c->user) {
		unsigned uid = 0, gid = 0;
		int k = sscanf(c->user, "%u:%u", &uid, &gid);
		if (k < 1) {
			spec_process_free(p);
			return rt_fail(err, EINVAL, "exec --user: expected UID[:GID], got \"%s\"",
				       c->user);
		}
		p->uid = uid;
		p->gid = k == 2 ? gid : p->gid;
	}
	p->terminal = c->tty;
	*ret = p;
	return 0;
oom:
	spec_process_free(p);
	return rt_fail(err, ENOMEM, "out of memory");
}

static int wait_code(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 255;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static volatile pid_t forward_to;

static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
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
	forward_to = pid;
	struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			sigaction(sig, &sa, NULL);
	if (console >= 0) {
		terminal_relay(console);
		close(console);
	}
	return wait_code(pid);
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
