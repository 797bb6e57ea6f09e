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

	if (cli_one_id(argc, argv, 1, &id, err) < 0 || container_start(g->root, id, &warn, err) < 0)
		return -EINVAL;
	if (warn.msg[0])
		log_warn("%s", warn.msg);
	return 0;
}
