/* container_start.c - from created to running: `start` through the exec
 * fifo, `run` over the sync socket; then the poststart hooks, one way for
 * both. */
#include <errno.h>
#include <unistd.h>

#include "container.h"
#include "exec_fifo.h"
#include "hooks.h"
#include "log.h"
#include "sync.h"
#include "util.h"

/* After the program runs, as the spec orders. A failing poststart hook is
 * a warning, the container runs on (see hooks.c for the spec's versions). */
static int run_poststart(const struct container *c, struct rt_error *warn, struct rt_error *err)
{
	cleanup_free char *json = NULL;

	if (!c->spec || !c->spec->hooks[HOOK_POSTSTART].count)
		return 0;
	json = state_to_json(&c->state, STATUS_RUNNING);
	if (!json)
		return rt_fail(err, ENOMEM, "out of memory");
	log_debug("start %s: poststart hooks", c->state.id);
	hooks_run(c->spec, HOOK_POSTSTART, json, warn);
	return 0;
}

int container_start_now(struct container *c, struct rt_error *warn, struct rt_error *err)
{
	struct sync_msg none;
	int r;

	if (sync_send_type(c->sync_fd, SYNC_START) < 0)
		return rt_fail(err, EPIPE, "the container's init exited before start");
	log_debug("start %s: init released (sync socket)", c->state.id);
	if ((r = state_write(c->dirfd, &c->state, err)) < 0)
		return r;
	/* the init's end closes at its execve (close-on-exec) or exit */
	sync_recv(c->sync_fd, &none);
	close(c->sync_fd);
	c->sync_fd = -1;
	return run_poststart(c, warn, err);
}

int container_start(const char *root, const char *id, struct rt_error *warn,
		    struct rt_error *err)
{
	struct container c;
	int r;

	if ((r = container_load(root, id, STATE_MASK(STATUS_CREATED), "start it", &c, NULL, err)) <
	    0)
		return r;
	if (!c.state.has_process)
		r = rt_fail(err, EINVAL,
			    "container %s has no process to start (config.json has no \"process\")",
			    id);
	else
		r = exec_fifo_release(c.dirfd, err);
	if (r == 0)
		log_debug("start %s: init released (exec fifo), its program runs", id);
	if (r == 0)
		r = run_poststart(&c, warn, err);
	container_release(&c);
	return r;
}
