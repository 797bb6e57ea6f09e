/* state.c - `state ID` (OCI state JSON) and `list`. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "state.h"
#include "util.h"

int cmd_state(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	cleanup_free char *json = NULL;
	struct state st;
	enum state_status status;
	const char *id;
	int r = cli_id_only(argc, argv, &id, err);

	if (r != 0)
		return r == CLI_DONE ? 0 : r;
	if ((r = container_peek_state(g->root, id, &st, &status, err)) < 0)
		return r;
	json = state_to_json(&st, status);
	state_free(&st);
	if (!json)
		return rt_fail(err, ENOMEM, "out of memory");
	printf("%s\n", json);
	return 0;
}

enum list_format { LIST_TABLE, LIST_JSON, LIST_QUIET };

static int list_opts(int argc, char **argv, enum list_format *ret, struct rt_error *err)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *format = "table";
	bool quiet = false;
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "f:qh", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]);
		if (o == 'q')
			quiet = true;
		else if (o == 'f')
			format = optarg;
		else
			return rt_fail(err, EINVAL, "list: unknown or incomplete option \"%s\"",
				       argv[optind - 1]);
	}
	if (optind < argc)
		return rt_fail(err, EINVAL, "list: unexpected argument \"%s\"", argv[optind]);
	if (strcmp(format, "table") && strcmp(format, "json"))
		return rt_fail(err, EINVAL, "list --format: \"%s\" is not table or json", format);
	/* as runc: -q wins over --format */
	*ret = quiet ? LIST_QUIET : strcmp(format, "json") == 0 ? LIST_JSON : LIST_TABLE;
	return 0;
}

static void print_one(const struct state *st, enum state_status status, enum list_format f,
		      size_t n)
{
	char *json;

	switch (f) {
	case LIST_QUIET:
		printf("%s\n", st->id);
		break;
	case LIST_JSON:
		/* an array of the objects `state` prints */
		json = state_to_json(st, status);
		printf("%s%s", n ? ",\n" : "", json ? json : "null");
		free(json);
		break;
	case LIST_TABLE:
		printf("%-20s %-8d %-10s %-40s %s\n", st->id, status == STATUS_STOPPED ? 0 : st->pid,
		       state_status_name(status), st->bundle ? st->bundle : "", st->created);
		break;
	}
}

int cmd_list(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	enum list_format f = LIST_TABLE;
	struct dirent *de;
	size_t n = 0;
	DIR *dir;
	int r = list_opts(argc, argv, &f, err);

	if (r != 0)
		return r == CLI_DONE ? 0 : r;
	dir = opendir(g->root);
	if (!dir && errno != ENOENT)
		return rt_fail_errno(err, errno, "list %s", g->root);
	if (f == LIST_TABLE)
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	else if (f == LIST_JSON)
		printf("[");
	while (dir && (de = readdir(dir))) {
		struct rt_error ignored;
		struct state st;
		enum state_status status;

		/* "~PID": a create's directory before it is renamed into place */
		if (de->d_name[0] == '.' || de->d_name[0] == '~' ||
		    container_peek_state(g->root, de->d_name, &st, &status, &ignored) < 0)
			continue;
		print_one(&st, status, f, n++);
		state_free(&st);
	}
	if (f == LIST_JSON)
		printf("]\n");
	if (dir)
		closedir(dir);
	return 0;
}
