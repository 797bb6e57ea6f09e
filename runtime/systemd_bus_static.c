/* systemd_bus_static.c - the two libsystemd functions that Debian's static
 * libdbus-1.a calls (for a bus server's socket activation) and Debian
 * ships no static libsystemd for. The runtime only ever connects to the
 * system bus; these answer as libsystemd does for such a process. */
#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>

int sd_listen_fds(int unset_environment);
int sd_is_socket(int fd, int family, int type, int listening);

/* No fds were passed: the runtime is never socket-activated. */
int sd_listen_fds(int unset_environment)
{
	(void)unset_environment;
	return 0;
}

/* 1 when fd is a socket of that family, type and listening state (0 or
 * -1 for "any"), 0 when not, -errno on error: sd_is_socket(3). */
int sd_is_socket(int fd, int family, int type, int listening)
{
	struct stat st;
	struct sockaddr_storage addr;
	socklen_t len = sizeof(int), alen = sizeof(addr);
	int v;

	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return 0;
	if (type > 0 && (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) < 0 || v != type))
		return 0;
	len = sizeof(int);
	if (listening >= 0 &&
	    (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) < 0 || !v != !listening))
		return 0;
	if (family > 0 &&
	    (getsockname(fd, (struct sockaddr *)&addr, &alen) < 0 || addr.ss_family != family))
		return 0;
	return 1;
}
