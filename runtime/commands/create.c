/* create.c - `create` and the option parsing it shares with `run`. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "commands.h"
#include "container.h"
#include "util.h"

int cli_one_id(int argc, char **argv, int first, const char **ret_id, struct rt_error *err)
{
	if (first >= argc)
		return rt_fail(err, EINVAL, "%s: missing container id", argv[0]);
	if (first + 1 < argc)
		return rt_fail(err, EINVAL, "%s: unexpected argument \"%s\"", argv[0],
			       argv[first + 1]);
	*ret_id = argv[first];
	return 0;
}

int cli_seal_fds(int preserve_fds, struct rt_error *err)
{
	cleanup_close int null_fd = -1;

	/* A gap would be filled by one of our own fds (the locked state
	 * directory, say), handed to the container as "preserved" (runc 1.5
	 * does so). Skipped, as crun: the gap is held by /dev/null marked
	 * close-on-exec, which the container's execve closes; the preserved
	 * fds are the caller's, inherited without that flag. */
	for (int fd = 3; fd < 3 + preserve_fds; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (null_fd < 0 && (null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
			return rt_fail_errno(err, errno, "--preserve-fds: open /dev/null");
		/* null_fd itself is the lowest free fd: the first gap */
		if (null_fd != fd && dup3(null_fd, fd, O_CLOEXEC) < 0)
			return rt_fail_errno(err, errno, "--preserve-fds: hold fd %d", fd);
	}
	/* a gap below it holds it now; one above 3+N-1 it never was */
	if (null_fd >= 3 && null_fd < 3 + preserve_fds)
		null_fd = -1;
	if (syscall(SYS_close_range, 3 + preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return rt_fail_errno(err, errno, "close_range");
	return 0;
}

/* `run DIR`: a directory holding config.json is the bundle; the id is its
 * base name. */
static bool is_bundle_dir(const char *path)
{
	char buf[4096];
	struct stat st;

	snprintf(buf, sizeof(buf), "%s/config.json", path);
	return stat(buf, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *bundle_id(char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

/* --preserve-fds N, for create, run and exec. */
int cli_preserve_fds(const char *text, int *ret, struct rt_error *err)
{
	unsigned long n;

	if (parse_ulong(text, &n) < 0 || n > 1024)
		return rt_fail(err, EINVAL, "--preserve-fds: invalid number \"%s\"", text);
	*ret = (int)n;
	return 0;
}

int cli_create_opts(int argc, char **argv, const struct global_opts *g, bool is_run,
		    struct create_opts *c, struct rt_error *err)
{
	static const struct option opts[] = {
		{"bundle", required_argument, NULL, 'b'},
		{"pid-file", required_argument, NULL, 'p'},
		{"console-socket", required_argument, NULL, 'c'},
		{"no-pivot", no_argument, NULL, 'P'},
		{"no-new-keyring", no_argument, NULL, 'K'},
		{"preserve-fds", required_argument, NULL, 'f'},
		{"detach", no_argument, NULL, 'd'},
		{"keep", no_argument, NULL, 'k'},
		{"no-subreaper", no_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int o;
	int r;

	*c = (struct create_opts){
		.root = g->root, .for_run = is_run, .systemd_cgroup = g->systemd_cgroup};
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "b:dh", opts, NULL)) != -1) {
		switch (o) {
		case 'h':
			return cli_help(argv[0]);
		case 'b':
			c->bundle = optarg;
			break;
		case 'p':
			c->pid_file = optarg;
			break;
		case 'c':
			c->console_socket = optarg;
			break;
		case 'P':
			c->no_pivot = true;
			break;
		case 'f':
			if ((r = cli_preserve_fds(optarg, &c->preserve_fds, err)) < 0)
				return r;
			break;
		case 'd':
			if (!is_run)
				return rt_fail(err, EINVAL, "create: unknown option --detach");
			c->detach = true;
			break;
		case 'k':
			if (!is_run)
				return rt_fail(err, EINVAL, "create: unknown option --keep");
			c->keep = true;
			break;
		case 'K':
		case 'S':
			break; /* accepted for runc compatibility; nothing to do */
		default:
			return rt_fail(err, EINVAL, "%s: unknown or incomplete option \"%s\"",
				       argv[0], argv[optind - 1]);
		}
	}
	if (is_run && !c->bundle && optind == argc - 1 && is_bundle_dir(argv[optind])) {
		c->bundle = argv[optind];
		c->id = bundle_id(argv[optind]);
	} else {
		if (!c->bundle)
			c->bundle = ".";
		if ((r = cli_one_id(argc, argv, optind, &c->id, err)) < 0)
			return r;
	}
	return cli_seal_fds(c->preserve_fds, err);
}

int cmd_create(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct container c;
	struct create_opts opts;
	int r = cli_create_opts(argc, argv, g, false, &opts, err);

	if (r != 0)
		return r == CLI_DONE ? 0 : r;
	if ((r = container_create(&opts, &c, err)) < 0)
		return r;
	container_release(&c);
	return 0;
}
