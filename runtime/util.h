/* util.h - cleanup attributes and small helpers shared by the runtime. */
#ifndef MINI_UTIL_H
#define MINI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"

static inline void free_ptr(void *p)
{
	free(*(void **)p);
}
static inline void close_ptr(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define cleanup_free __attribute__((cleanup(free_ptr)))
#define cleanup_close __attribute__((cleanup(close_ptr)))

/* Ownership leaves a cleanup variable only through these. */
static inline void *steal_ptr(void *pp)
{
	void **p = pp, *v = *p;
	*p = NULL;
	return v;
}
static inline int steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Writes all of buf, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);
/* Reads a whole small file into a NUL-terminated malloc'd buffer. */
int read_file(const char *path, char **ret_buf, size_t *ret_len, struct rt_error *err);
/* Writes `data` to path (O_WRONLY|O_TRUNC), e.g. a /proc or sysfs knob. */
int write_file(const char *path, const char *data, size_t len, struct rt_error *err);
/* Atomically replaces `name` in directory `dirfd`: temp file, then
 * write, rename. Readers see the old or the new content, never a mix. */
int write_file_atomic(int dirfd, const char *name, const char *data, size_t len, mode_t mode,
		      struct rt_error *err);
/* mkdir -p with mode for each created component. */
int mkdir_p(const char *path, mode_t mode, struct rt_error *err);
/* From /proc/<pid>/stat: the start time (field 22, clock ticks) and the
 * state letter (field 3); either may be NULL. -ENOENT when pid is gone. */
int proc_stat(pid_t pid, unsigned long long *ret_start, char *ret_state);
/* Strict decimal parse of a whole string. */
int parse_ulong(const char *s, unsigned long *ret);
/* Closes every fd >= first except the `nkeep` in keep (-1 entries are
 * ignored). A process that has not exec'd still holds what its caller left
 * open, close-on-exec or not; a directory among them is a way out of the
 * container through /proc/self/fd (CVE-2024-21626). */
int close_fds_except(int first, const int *keep, size_t nkeep);

/* Test builds only (make TEST_HOOKS=1): when MINI_RUNTIME_TEST_PAUSE names
 * `stage`, the process renames itself "test-paused" and waits there, so a
 * test can kill it at that exact point, or change the world and let it go
 * on (SIGCONT). Normal builds compile it to nothing. */
#ifdef MINI_TEST_HOOKS
void test_pause(const char *stage);
#else
static inline void test_pause(const char *stage)
{
	(void)stage;
}
#endif

#endif
