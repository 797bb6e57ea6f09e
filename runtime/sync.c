#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync.h"
#include "util.h"

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

int sync_send_fd(int fd, enum sync_type type, int passfd)
{
	struct sync_msg msg = {.type = type};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c = {0};
	struct iovec iov = {.iov_base = &msg, .iov_len = offsetof(struct sync_msg, text) + 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &passfd, sizeof(int));
	while (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* The fd of the first SCM_RIGHTS message, any other closed. */
static int take_fd(struct msghdr *mh)
{
	int got = -1;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (got < 0)
				got = fd;
			else
				close(fd);
		}
	}
	return got;
}

int sync_recv_fd(int fd, struct sync_msg *msg, int *ret_fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * 4)];
	} c;
	struct iovec iov = {.iov_base = msg, .iov_len = sizeof(*msg)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf)};
	ssize_t n;
	int got;

	memset(msg, 0, sizeof(*msg));
	if (ret_fd)
		*ret_fd = -1;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	got = take_fd(&mh);
	if (n == 0 || (size_t)n < offsetof(struct sync_msg, text) || !ret_fd) {
		if (got >= 0)
			close(got);
		if (n == 0 || (size_t)n < offsetof(struct sync_msg, text))
			return n == 0 ? -EPIPE : -EPROTO;
	} else {
		*ret_fd = got;
	}
	msg->text[sizeof(msg->text) - 1] = '\0';
	return 0;
}

int sync_recv(int fd, struct sync_msg *msg)
{
	return sync_recv_fd(fd, msg, NULL);
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
