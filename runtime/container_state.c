/* container_state.c - an existing container's state and status, as the
 * commands load it: state.c's record and saved flags, and the freezer of
 * its cgroup, which alone tells paused from running (state.c calls no
 * cgroup code). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cgroups.h"
#include "container.h"
#include "util.h"

enum state_status container_status(int dirfd, const struct state *st)
{
	enum state_status status = state_status(dirfd, st);

	if (status == STATUS_RUNNING && cgroups_frozen(st->cgroups))
		return STATUS_PAUSED;
	return status;
}

int container_load_state(const char *root, const char *id, unsigned allowed, const char *op,
			 int *ret_dirfd, struct state *ret_state, enum state_status *ret_status,
			 struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct state st = {0};
	enum state_status status = STATUS_CREATING;
	char names[80];
	int r;

	if ((r = state_open_dir(root, id, &dirfd, err)) < 0)
		return r;
	if ((r = state_read(dirfd, id, &st, err)) == 0) {
		status = container_status(dirfd, &st);
	} else if (allowed & STATE_MASK(STATUS_CREATING)) {
		/* we hold the lock: no creator is at work, it died before it
		 * wrote state.json */
		snprintf(st.id, sizeof(st.id), "%s", id);
	} else {
		return r;
	}
	if (!(allowed & STATE_MASK(status))) {
		state_free(&st);
		state_format_statuses(allowed, names, sizeof(names));
		return rt_fail(err, status == STATUS_STOPPED ? ESRCH : EBUSY,
			       "container %s is %s, not %s: cannot %s", id,
			       state_status_name(status), names, op);
	}
	*ret_dirfd = steal_fd(&dirfd);
	*ret_state = st;
	*ret_status = status;
	return 0;
}

/* No lock: state.json is replaced atomically, a reader sees a whole file.
 * A directory without one is a create that has not written it yet or a
 * delete that has removed it already: wait for whichever holds the lock,
 * then look again. */
int container_peek_state(const char *root, const char *id, struct state *ret_state,
			 enum state_status *ret_status, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	struct state st = {0};
	int r;

	if ((r = state_open_unlocked(root, id, &dirfd, err)) < 0)
		return r;
	if ((r = state_read(dirfd, id, &st, err)) < 0) {
		if (err->errnum != ENOENT || (r = state_wait_unlocked(dirfd, id, err)) < 0)
			return r;
		if ((r = state_read(dirfd, id, &st, err)) < 0) {
			if (err->errnum != ENOENT)
				return r;
			/* what a create killed before its first write leaves */
			st = (struct state){0};
			snprintf(st.id, sizeof(st.id), "%s", id);
			*ret_state = st;
			*ret_status = STATUS_CREATING;
			return 0;
		}
	}
	*ret_status = container_status(dirfd, &st);
	*ret_state = st;
	return 0;
}
