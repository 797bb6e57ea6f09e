#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
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

/* The container's pty multiplexer: /dev/pts/ptmx (or a /dev/ptmx node
 * when the config mounts no devpts), opened with no symlink on the way and
 * checked to be the char device 5:2. A symlink the image (or, for `exec
 * -t`, the container) planted there would have us open and hand out any
 * file (CVE-2025-52565). */
static int open_ptmx(int *ret_fd, struct rt_error *err)
{
	static const char *const paths[] = {"/dev/pts/ptmx", "/dev/ptmx"};
	struct open_how how = {
		.flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	int fd = -1;

	for (size_t i = 0; i < 2 && fd < 0; i++)
		fd = (int)syscall(SYS_openat2, AT_FDCWD, paths[i], &how, sizeof(how));
	if (fd < 0)
		return rt_fail_errno(err, errno, "process.terminal: open /dev/pts/ptmx");
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2)) {
		close(fd);
		return rt_fail(err, ENOTTY, "process.terminal: /dev/pts/ptmx is not the pty "
					    "multiplexer");
	}
	*ret_fd = fd;
	return 0;
}

/* runtime-spec "default devices": with a terminal, the pty is bind-mounted
 * on /dev/console. Made with O_EXCL|O_NOFOLLOW in the container's /dev
 * (opened without symlinks) and mounted by fd: an image's /dev/console
 * symlink is refused, never followed to a host file. */
static int bind_console(int slave, struct rt_error *err)
{
	struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
			       .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	cleanup_close int dev = (int)syscall(SYS_openat2, AT_FDCWD, "/dev", &how, sizeof(how));
	cleanup_close int console = -1, tree = -1;
	struct stat st;

	if (dev < 0)
		return rt_fail_errno(err, errno, "process.terminal: open /dev");
	/* an image's /dev/console symlink is replaced, never followed */
	if (fstatat(dev, "console", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		unlinkat(dev, "console", 0);
	console = openat(dev, "console", O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0);
	if (console < 0 && errno == EEXIST)
		console = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (console < 0 && errno == EROFS)
		return 0; /* a read-only /dev with no console: nowhere to bind it */
	if (console < 0)
		return rt_fail_errno(err, errno, "process.terminal: create /dev/console");
	if (fstat(console, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
		return rt_fail(err, ELOOP, "process.terminal: /dev/console in the rootfs is a "
					   "symlink or a directory");
	tree = open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0 ||
	    move_mount(tree, "", console, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return rt_fail_errno(err, errno, "process.terminal: bind the pty on /dev/console");
	return 0;
}

int terminal_setup(int console_fd, const struct spec_process *p, bool make_console,
		   struct rt_error *err)
{
	cleanup_close int master = -1, slave = -1;
	char name[64];
	int unlock = 0, r;

	if (open_ptmx(&master, err) < 0)
		return -ENOTTY;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		return rt_fail_errno(err, errno, "process.terminal: unlock the pty");
	/* the peer from the master itself, not by its name in /dev/pts */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return rt_fail_errno(err, errno, "process.terminal: open the pty's peer");
	if (p->console_height || p->console_width) {
		struct winsize ws = {.ws_row = (unsigned short)p->console_height,
				     .ws_col = (unsigned short)p->console_width};
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return rt_fail_errno(err, errno, "process.consoleSize");
	}
	if (make_console && bind_console(slave, err) < 0)
		return -EIO;
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
