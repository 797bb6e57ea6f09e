/* cgroup_cmds.c - pause, resume, events --stats, and the loading of a
 * container's cgroups (the handle, cgroups.h) that they, ps and update share. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "commands.h"
#include "json_out.h"
#include "resources.h"
#include "state.h"
#include "util.h"

int cli_load_cgroup(const struct global_opts *g, const char *id, unsigned allowed,
		    const char *op, int *ret_dirfd, struct state *st, struct rt_error *err)
{
	enum state_status s;
	int r;

	if ((r = container_load_state(g->root, id, allowed, op, ret_dirfd, st, &s, err)) < 0)
		return r;
	if (!st->cgroups) {
		state_free(st);
		close(*ret_dirfd);
		*ret_dirfd = -1;
		return rt_fail(err, ENOENT, "container %s has no cgroup", id);
	}
	return 0;
}

static int freeze(int argc, char **argv, const struct global_opts *g, bool on,
		  struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct state st;
	const char *id;
	int r = cli_id_only(argc, argv, &id, err);

	if (r != 0)
		return r == CLI_DONE ? 0 : r;
	if ((r = cli_load_cgroup(g, id,
				 on ? STATE_MASK(STATUS_RUNNING) | STATE_MASK(STATUS_CREATED)
				    : STATE_MASK(STATUS_PAUSED),
				 on ? "pause it" : "resume it", &dirfd, &st, err)) < 0)
		return r;
	r = cgroups_freeze(st.cgroups, on, err);
	state_free(&st);
	return r;
}

int cmd_pause(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	return freeze(argc, argv, g, true, err);
}

int cmd_resume(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	return freeze(argc, argv, g, false, err);
}

int cmd_events(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	cleanup_free char *json = NULL;
	struct state st;
	int i = 1;
	int r;

	if (i < argc && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0))
		return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
	if (i < argc && strcmp(argv[i], "--stats") == 0)
		i++;
	else
		return rt_fail(err, ENOTSUP, "events: only --stats is supported");
	if (i >= argc)
		return rt_fail(err, EINVAL, "events: missing container id");
	if ((r = cli_load_cgroup(g, argv[i], CLI_LIVE | STATE_MASK(STATUS_STOPPED),
				 "read its stats", &dirfd, &st, err)) < 0)
		return r;
	struct cgroups_stats stats;

	i = cgroups_stats(st.cgroups, &stats, err);
	if (i == 0 && !(json = json_out_stats(st.id, &stats)))
		i = rt_fail(err, ENOMEM, "out of memory");
	state_free(&st);
	if (i < 0)
		return i;
	printf("%s\n", json);
	return 0;
}
