#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sync.h"

int sync_send(int fd, const struct sync_msg *msg)
{
	size_t len = offsetof(struct sync_msg, text) + strnlen(msg->text, sizeof(msg->text)) + 1;

	if (len > sizeof(*msg))
		len = sizeof(*msg);
	while (send(fd, msg, len, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

int sync_send_type(int fd, enum sync_type type)
{
	struct sync_msg msg = {.type = type};

	return sync_send(fd, &msg);
}

int sync_recv(int fd, struct sync_msg *msg)
{
	ssize_t n;

	memset(msg, 0, sizeof(*msg));
	do
		n = recv(fd, msg, sizeof(*msg), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	if ((size_t)n < offsetof(struct sync_msg, text))
		return -EPROTO;
	msg->text[sizeof(msg->text) - 1] = '\0';
	return 0;
}

int sync_expect(int fd, enum sync_type type, const char *what, struct sync_msg *ret_msg,
		struct rt_error *err)
{
	struct sync_msg local, *msg = ret_msg ? ret_msg : &local;
	int r = sync_recv(fd, msg);

	if (r == -EPIPE)
		return rt_fail(err, EPIPE, "the container's init exited while %s", what);
	if (r < 0)
		return rt_fail_errno(err, -r, "sync while %s", what);
	if (msg->type == SYNC_ERROR) {
		err->errnum = msg->errnum;
		snprintf(err->msg, sizeof(err->msg), "%s", msg->text);
		return msg->errnum > 0 ? -msg->errnum : -EIO;
	}
	if (msg->type != type)
		return rt_fail(err, EPROTO, "sync while %s: unexpected message %u", what, msg->type);
	return 0;
}
