/* kill.c - `kill [--all] ID [SIGNAL]` and `delete [--force] ID`. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>

#include "commands.h"
#include "container.h"
#include "log.h"
#include "signals.h"

int cmd_kill(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *id;
	int sig = SIGTERM, o, r;
	bool all = false;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
		if (o != 'a')
			return rt_fail(err, EINVAL, "kill: unknown option \"%s\"", argv[optind - 1]);
		all = true;
	}
	if (optind >= argc)
		return rt_fail(err, EINVAL, "kill: missing container id");
	id = argv[optind];
	if (optind + 2 < argc)
		return rt_fail(err, EINVAL, "kill: unexpected argument \"%s\"", argv[optind + 2]);
	if (optind + 1 < argc && signal_parse(argv[optind + 1], &sig) < 0)
		return rt_fail(err, EINVAL, "kill: unknown signal \"%s\"", argv[optind + 1]);
	r = container_kill(g->root, id, sig, all, err);
	return r < 0 ? r : 0;
}

int cmd_delete(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct rt_error warn = {0};
	bool force = false;
	const char *id;
	int o, r;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
		if (o != 'f')
			return rt_fail(err, EINVAL, "delete: unknown option \"%s\"",
				       argv[optind - 1]);
		force = true;
	}
	if ((r = cli_one_id(argc, argv, optind, &id, err)) < 0)
		return r;
	r = container_delete(g->root, id, force, &warn, err);
	if (warn.msg[0])
		log_warn("%s", warn.msg);
	return r < 0 ? r : 0;
}
