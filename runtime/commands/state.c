/* state.c - `state ID` (OCI state JSON) and `list`. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
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

	if (cli_one_id(argc, argv, 1, &id, err) < 0 || state_peek(g->root, id, &st, &status, err) < 0)
		return -EINVAL;
	json = state_to_json(&st, status);
	state_free(&st);
	if (!json)
		return rt_fail(err, ENOMEM, "out of memory");
	printf("%s\n", json);
	return 0;
}

int cmd_list(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	DIR *dir;
	struct dirent *de;
	bool quiet = argc > 1 && (strcmp(argv[1], "-q") == 0 || strcmp(argv[1], "--quiet") == 0);

	dir = opendir(g->root);
	if (!dir && errno != ENOENT)
		return rt_fail_errno(err, errno, "list %s", g->root);
	if (!quiet)
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	while (dir && (de = readdir(dir))) {
		struct rt_error ignored;
		struct state st;
		enum state_status status;

		if (de->d_name[0] == '.' || state_peek(g->root, de->d_name, &st, &status, &ignored) < 0)
			continue;
		if (quiet)
			printf("%s\n", st.id);
		else
			printf("%-20s %-8d %-10s %-40s %s\n", st.id,
			       status == STATUS_STOPPED ? 0 : st.pid, state_status_name(status),
			       st.bundle ? st.bundle : "", st.created);
		state_free(&st);
	}
	if (dir)
		closedir(dir);
	return 0;
}
