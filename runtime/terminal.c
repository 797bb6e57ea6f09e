#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "terminal.h"
#include "util.h"

int terminal_connect(const char *path, int *ret_fd, struct rt_error *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return rt_fail(err, ENAMETOOLONG, "--console-socket %s: path too long", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return rt_fail_errno(err, errno, "--console-socket: socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		return rt_fail_errno(err, e, "--console-socket: connect %s", path);
	}
	*ret_fd = fd;
	return 0;
}

static int send_fd(int sock, int fd, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int terminal_setup(int console_fd, const struct spec_process *p, struct rt_error *err)
{
	cleanup_close int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	cleanup_close int slave = -1;
	char name[64];
	int unlock = 0, r;

	if (master < 0)
		return rt_fail_errno(err, errno, "process.terminal: open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		return rt_fail_errno(err, errno, "process.terminal: unlock the pty");
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return rt_fail_errno(err, errno, "process.terminal: open %s", name);
	if (p->console_height || p->console_width) {
		struct winsize ws = {.ws_row = (unsigned short)p->console_height,
				     .ws_col = (unsigned short)p->console_width};
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return rt_fail_errno(err, errno, "process.consoleSize");
	}
	r = send_fd(console_fd, master, name);
	if (r < 0)
		return rt_fail_errno(err, -r, "process.terminal: send the pty to the console socket");
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return rt_fail_errno(err, errno, "process.terminal: make %s the controlling terminal",
				     name);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return rt_fail_errno(err, errno, "process.terminal: dup2");
	return 0;
}

int terminal_recv_master(int sock, int *ret_fd, struct rt_error *err)
{
	char buf[256], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return rt_fail(err, EPROTO, "process.terminal: no pty received from the init");
	memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

static bool copy(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	return n > 0 && write_all(to, buf, (size_t)n) == 0;
}

void terminal_relay(int master)
{
	struct termios saved, raw;
	bool tty = tcgetattr(0, &saved) == 0;
	struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = master, .events = POLLIN}};

	if (tty) {
		struct winsize ws;

		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		if (ioctl(0, TIOCGWINSZ, &ws) == 0)
			ioctl(master, TIOCSWINSZ, &ws);
	}
	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents & POLLIN) {
			if (!copy(master, 1))
				break;
		} else if (fds[1].revents & (POLLHUP | POLLERR)) {
			break;
		}
		if (fds[0].revents & POLLIN) {
			if (!copy(0, master))
				fds[0].fd = -1; /* our stdin is done; keep reading output */
		} else if (fds[0].revents & (POLLHUP | POLLERR)) {
			fds[0].fd = -1;
		}
	}
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
}
