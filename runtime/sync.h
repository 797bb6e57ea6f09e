/* sync.h - the runtime <-> init protocol over a SOCK_SEQPACKET pair (one
 * message per packet, close-on-exec on both ends).
 *
 *   parent -> init   SYNC_IDMAP       one mount the parent made (idmapped,
 *                                     or a bind in a user ns), config order,
 *                                     its fd attached (SCM_RIGHTS); before
 *                                     SYNC_PLACED
 *   parent -> init   SYNC_PLACED      uid/gid maps written (user ns only) and
 *                                     the init put in its systemd scope
 *                                     (--systemd-cgroup only)
 *   init -> parent   SYNC_HOOKS       mounts done, before pivot_root: run
 *                                     prestart/createRuntime hooks
 *   parent -> init   SYNC_CONTINUE    hooks done; carries the host pid
 *   init -> parent   SYNC_READY       set up, memory policy read back
 *   parent -> init   SYNC_START       `run`: exec now (create uses the fifo)
 *   init -> parent   SYNC_ERROR       a step failed: errno and message
 */
#ifndef MINI_SYNC_H
#define MINI_SYNC_H

#include <stdint.h>

#include "error.h"
#include "mempolicy.h"

enum sync_type {
	SYNC_PLACED = 1,
	SYNC_HOOKS,
	SYNC_CONTINUE,
	SYNC_READY,
	SYNC_START,
	SYNC_ERROR,
	SYNC_IDMAP,
};

struct sync_msg {
	uint32_t type;
	int32_t errnum;
	int32_t pid;
	uint32_t has_policy;
	struct mpol_policy policy;
	char text[RT_ERROR_MAX];
};

int sync_send(int fd, const struct sync_msg *msg);
/* Returns -EPIPE when the peer is gone. An fd that came along is closed. */
int sync_recv(int fd, struct sync_msg *msg);
/* A bare message of one type with `passfd` attached. */
int sync_send_fd(int fd, enum sync_type type, int passfd);
/* As sync_recv; *ret_fd is the fd that came along (close-on-exec, yours
 * now) or -1. */
int sync_recv_fd(int fd, struct sync_msg *msg, int *ret_fd);
/* Sends a bare message of one type. */
int sync_send_type(int fd, enum sync_type type);
/* Receives and checks the type; an SYNC_ERROR from the peer is copied into
 * err. `what` names the step waited for. */
int sync_expect(int fd, enum sync_type type, const char *what, struct sync_msg *ret_msg,
		struct rt_error *err);

#endif
