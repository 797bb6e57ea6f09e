/* run.c - `run`: create, start and wait, forwarding signals; exits with the
 * container process's status (128+N when killed by signal N). */
#include <errno.h>
#include <unistd.h>

#include "commands.h"
#include "container.h"
#include "log.h"
#include "signals.h"
#include "terminal.h"
#include "util.h"

static void log_warning(struct rt_error *warn)
{
	if (warn->msg[0])
		log_warn("%s", warn->msg);
	warn->msg[0] = '\0';
}

int cmd_run(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	struct container c;
	struct create_opts opts;
	struct rt_error warn = {0};
	cleanup_close int master = -1;
	sigset_t sigs;
	int code = cli_create_opts(argc, argv, g, true, &opts, err);
	int r;

	if (code != 0)
		return code == CLI_DONE ? 0 : code;
	if ((r = container_create(&opts, &c, err)) < 0)
		return r;
	/* a console without --console-socket is ours (never with --detach) */
	if (c.console_fd >= 0 && (r = terminal_recv_master(c.console_fd, &master, err)) < 0)
		goto fail;
	if (master >= 0)
		signals_forward_by_handlers(c.state.pid);
	else if (!opts.detach)
		signals_block_forwarded(&sigs);
	if ((r = container_start_now(&c, &warn, err)) < 0)
		goto fail;
	log_warning(&warn);
	if (opts.detach) {
		container_release(&c);
		return 0;
	}
	/* others (kill, state, delete) may lock the container while it runs */
	close(steal_fd(&c.dirfd));
	if (master >= 0) {
		terminal_relay(master);
		code = signals_wait(c.state.pid);
	} else {
		code = signals_wait_forwarding(c.state.pid, &sigs);
	}
	/* --keep: stopped, its cgroup and state kept; `delete` ends it (and
	 * runs the poststop hooks) */
	if (!opts.keep)
		container_end_run(&c, g->root, &warn, err);
	else
		log_debug("run: container %s stopped, kept (--keep)", opts.id);
	log_warning(&warn);
	container_release(&c);
	return code;
fail:
	container_destroy(g->root, opts.id, c.spec, c.state.pid, c.state.cgroups, NULL,
			  &(struct rt_error){0});
	container_release(&c);
	return r;
}
