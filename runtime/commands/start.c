/* start.c - `start ID`: releases the created container's init, then its
 * poststart hooks run (container_start). */
#include <errno.h>

#include "commands.h"
#include "container.h"
#include "log.h"

int cmd_start(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct rt_error warn = {0};
	const char *id;
	int r = cli_id_only(argc, argv, &id, err);

	if (r != 0)
		return r == CLI_DONE ? 0 : r;
	log_debug("start: container %s", id);
	if ((r = container_start(g->root, id, &warn, err)) < 0)
		return r;
	log_debug("start: container %s is running", id);
	if (warn.msg[0])
		log_warn("%s", warn.msg);
	return 0;
}
