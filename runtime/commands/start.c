/* start.c - `start ID`: opens the exec fifo, which releases the init
 * blocked in create, then runs the poststart hooks. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "commands.h"
#include "hooks.h"
#include "log.h"
#include "state.h"
#include "util.h"

/* The init holds the fifo open read-write and blocks reading it (see
 * container.c): one byte releases it. No reader (ENXIO) means it is gone. */
static int release_init(int dirfd, struct rt_error *err)
{
	cleanup_close int fd =
		openat(dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENXIO)
		return rt_fail(err, ESRCH, "the container's init exited before it could start");
	if (fd < 0)
		return rt_fail_errno(err, errno, "open the exec fifo");
	if (write(fd, "0", 1) != 1)
		return rt_fail_errno(err, errno, "write the exec fifo");
	unlinkat(dirfd, STATE_FIFO, 0);
	/* the init's lock on the fifo goes with its execve (or exit): then the
	 * program runs, and a signal sent after we return reaches it, not an
	 * init that would drop it (pid 1 ignores signals it has no handler for) */
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return rt_fail_errno(err, errno, "wait for the container's program");
	return 0;
}

static void run_poststart(const struct state *st)
{
	struct spec *spec = NULL;
	struct rt_error err;
	cleanup_free char *json = NULL;

	if (spec_load(st->bundle, &spec, &err) < 0) {
		log_warn("poststart hooks: %s", err.msg);
		return;
	}
	if (spec->hooks[HOOK_POSTSTART].count) {
		json = state_to_json(st, STATUS_RUNNING);
		/* the spec: a failing poststart hook is logged, the container runs on */
		if (json && hooks_run(spec, HOOK_POSTSTART, json, &err) < 0)
			log_warn("%s", err.msg);
	}
	spec_free(spec);
}

int cmd_start(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct state st = {0};
	enum state_status status;
	const char *id;
	int r;

	if (cli_one_id(argc, argv, 1, &id, err) < 0 || state_open_dir(g->root, id, &dirfd, err) < 0)
		return -EINVAL;
	if (state_read(dirfd, id, &st, err) < 0)
		return -EINVAL;
	status = state_status(dirfd, &st);
	if (status != STATUS_CREATED) {
		r = rt_fail(err, EINVAL, "container %s is %s, not created: cannot start it", id,
			    state_status_name(status));
	} else if (!st.has_process) {
		r = rt_fail(err, EINVAL, "container %s has no process to start (config.json "
					 "has no \"process\")",
			    id);
	} else {
		r = release_init(dirfd, err);
		if (r == 0)
			run_poststart(&st);
	}
	state_free(&st);
	return r < 0 ? r : 0;
}
