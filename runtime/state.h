/* state.h - the state directory of one container: <root>/<id>/ holding
 * state.json (written atomically), config.json (the bytes create parsed and
 * validated: after create, the only config there is), exec.fifo while it is
 * created but not started, and the lock (flock on the directory itself). */
#ifndef MINI_STATE_H
#define MINI_STATE_H

#include <stdbool.h>
#include <time.h>
#include <sys/types.h>

#include "cgroups.h"
#include "error.h"
#include "mempolicy.h"
#include "spec.h"

#define STATE_ID_MAX 250
#define STATE_FIFO "exec.fifo"
#define STATE_FILE "state.json"
#define STATE_CONFIG "config.json"

enum state_status {
	STATUS_CREATING,
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_STOPPED,
	STATUS_PAUSED,
};
/* A set of statuses, for container_load_state. */
#define STATE_MASK(status) (1u << (status))
#define STATE_ANY 0x1fu

struct state {
	char id[STATE_ID_MAX + 1];
	char *bundle, *rootfs;
	pid_t pid;
	unsigned long long start_time; /* of pid, to tell a reused pid apart */
	char created[40];	       /* RFC 3339, UTC */
	bool creating;		       /* saved before the init is ready */
	bool has_process;	       /* config.json had a process */
	struct spec_annotation *annotations;
	size_t nannotations;
	bool has_memory_policy; /* what the kernel installed, read back by the init */
	struct mpol_policy memory_policy;
	/* the spec's memory_policy_source: "linux.memoryPolicy" or
	 * `annotations["KEY"]`; NULL if the config had no policy */
	char *memory_policy_source;
	struct cgroups *cgroups; /* the container's cgroups (cgroups.h); NULL if none */
};

/* Rejects "", ".", "..", "/", NUL and anything but [A-Za-z0-9_+.-]. */
int state_validate_id(const char *id, struct rt_error *err);

/* Creates <root>/<id> (mode 0700; <root> too) and locks it. Fails with
 * EEXIST when the container exists. Returns the directory fd. */
int state_create_dir(const char *root, const char *id, int *ret_dirfd, struct rt_error *err);
/* Opens and locks (LOCK_EX) an existing container's directory. */
int state_open_dir(const char *root, const char *id, int *ret_dirfd, struct rt_error *err);
/* For readers that take no lock: waits until nobody holds the directory's
 * lock (a create or delete in progress), then fails with ENOENT if it was
 * deleted meanwhile. */
int state_wait_unlocked(int dirfd, const char *id, struct rt_error *err);
/* Removes <root>/<id> and what is in it. */
int state_remove_dir(const char *root, const char *id, struct rt_error *err);

/* Opens the directory without the lock (the readers that take none). */
int state_open_unlocked(const char *root, const char *id, int *ret_dirfd, struct rt_error *err);

int state_write(int dirfd, const struct state *st, struct rt_error *err);
/* config.json in the state directory, 0600, written atomically. */
int state_write_config(int dirfd, const char *text, size_t len, struct rt_error *err);
int state_read_config(int dirfd, const char *id, char **ret_text, size_t *ret_len,
		      struct rt_error *err);
int state_read(int dirfd, const char *id, struct state *ret_state, struct rt_error *err);
void state_free(struct state *st);

/* The status now: from the saved flags, whether pid is alive with the same
 * start time, and whether the exec fifo is still there. A paused one is
 * running here: its cgroup's freezer tells (container_status). */
enum state_status state_status(int dirfd, const struct state *st);
const char *state_status_name(enum state_status status);
/* The statuses of a STATE_MASK set in words: "created, running or paused". */
void state_format_statuses(unsigned set, char *buf, size_t len);
/* OCI state JSON (plus runc's rootfs/created/owner and our memoryPolicy),
 * malloc'd; this is what `state` prints and hooks read on stdin. */
char *state_to_json(const struct state *st, enum state_status status);
/* Fills created with the current time (RFC 3339 in UTC, nanoseconds),
 * formatted by hand: glibc's gmtime_r and strftime load the time zone
 * files (/etc/localtime, 7 syscalls) even for UTC. */
void state_now(char *buf, size_t len);
void state_format_time(const struct timespec *ts, char *buf, size_t len);

#endif
