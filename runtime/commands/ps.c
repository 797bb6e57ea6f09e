/* ps.c - `ps [--format table|json] ID [ps options]`: json, the host pids
 * in the container's cgroup; table, ps(1)'s own output (default -ef) with
 * the header and the container's rows only, as runc. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "commands.h"
#include "json_out.h"
#include "state.h"
#include "util.h"

#define LIVE_OR_STOPPED                                                                       \
	(STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING) | STATE_MASK(STATUS_PAUSED) |  \
	 STATE_MASK(STATUS_STOPPED))

/* Runs ps with args (stdout and stderr both into *ret_out, as runc's
 * CombinedOutput); fails with its status and what it said. */
static int run_ps(char **args, size_t nargs, char **ret_out, struct rt_error *err)
{
	cleanup_free char **argv = calloc(nargs + 2, sizeof(char *));
	cleanup_free char *out = NULL;
	size_t len = 0, cap = 0;
	int pipefd[2], status;
	pid_t pid;

	if (!argv)
		return rt_fail(err, ENOMEM, "out of memory");
	argv[0] = "ps";
	memcpy(argv + 1, args, nargs * sizeof(char *));
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "ps: pipe");
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return rt_fail_errno(err, errno, "ps: fork");
	}
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		execvp("ps", argv);
		dprintf(2, "exec ps: %s", strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t n;

		if (len + 4096 + 1 > cap) {
			char *bigger = realloc(out, cap = cap ? cap * 2 : 16384);

			if (!bigger) {
				close(pipefd[0]);
				waitpid(pid, NULL, 0);
				return rt_fail(err, ENOMEM, "out of memory");
			}
			out = bigger;
		}
		n = read(pipefd[0], out + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(pipefd[0]);
	out[len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return rt_fail(err, EIO, "ps: exit status %d: %.*s",
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			       (int)strcspn(out, "\n"), out);
	*ret_out = steal_ptr(&out);
	return 0;
}

/* Which whitespace-separated column of the header is "PID". */
static int pid_column(const char *header)
{
	int col = 0;

	for (const char *p = header; *p;) {
		size_t skip = strspn(p, " \t"), word;

		p += skip;
		word = strcspn(p, " \t");
		if (!word)
			break;
		if (word == 3 && strncmp(p, "PID", 3) == 0)
			return col;
		col++;
		p += word;
	}
	return -1;
}

/* The column'th field of line as a pid, or -1. */
static long field_pid(const char *line, int column)
{
	const char *p = line;
	char *end;
	long v;

	for (int i = 0; i <= column; i++) {
		p += strspn(p, " \t");
		if (i < column)
			p += strcspn(p, " \t");
	}
	v = strtol(p, &end, 10);
	return end == p ? -1 : v;
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

static int print_table(char **args, size_t nargs, const pid_t *pids, size_t n,
		       struct rt_error *err)
{
	static char *default_args[] = {"-ef"};
	cleanup_free char *out = NULL;
	char *line, *next;
	int column;

	if (run_ps(nargs ? args : default_args, nargs ? nargs : 1, &out, err) < 0)
		return -EIO;
	next = strchr(out, '\n');
	if (next)
		*next++ = '\0';
	column = pid_column(out);
	if (column < 0)
		return rt_fail(err, EINVAL, "ps: no PID column in ps's output (\"%.80s\")", out);
	printf("%s\n", out);
	for (line = next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (has_pid(pids, n, field_pid(line, column)))
			printf("%s\n", line);
	}
	return 0;
}

int cmd_ps(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	cleanup_close int dirfd = -1;
	const char *format = "table";
	struct state st;
	pid_t *pids = NULL;
	size_t n = 0;
	int o, r = 0, first;

	optind = 1;
	opterr = 0;
	/* '+': what follows the id is ps's */
	while ((o = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
		if (o != 'f')
			return rt_fail(err, EINVAL, "ps: unknown or incomplete option \"%s\"",
				       argv[optind - 1]);
		format = optarg;
	}
	if (strcmp(format, "json") && strcmp(format, "table"))
		return rt_fail(err, EINVAL, "ps --format: \"%s\" is not table or json", format);
	if (optind >= argc)
		return rt_fail(err, EINVAL, "ps: missing container id");
	first = optind + 1;
	/* `ps ID -- -o pid`: the `--` is ours, not ps's (which refuses it) */
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	if (strcmp(format, "json") == 0 && first < argc)
		return rt_fail(err, EINVAL, "ps --format json: unexpected ps option \"%s\"",
			       argv[first]);
	if ((r = cli_load_cgroup(g, argv[optind], LIVE_OR_STOPPED, "list its processes", &dirfd,
				 &st, err)) < 0)
		return r;
	r = cgroups_pids(st.cgroups, &pids, &n, err);
	state_free(&st);
	if (r < 0)
		return r;
	if (strcmp(format, "json") == 0) {
		cleanup_free char *json = json_out_pids(pids, n);

		if (json)
			printf("%s\n", json);
		else
			r = rt_fail(err, ENOMEM, "out of memory");
	} else {
		r = print_table(argv + first, (size_t)(argc - first), pids, n, err);
	}
	free(pids);
	return r;
}
