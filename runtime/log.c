#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json_out.h"
#include "log.h"
#include "state.h"
#include "util.h"

static int log_fd = 2;
static bool log_json, log_debug_on;

int log_setup(const char *path, const char *format, bool debug)
{
	log_debug_on = debug;
	if (format && strcmp(format, "json") == 0)
		log_json = true;
	else if (format && strcmp(format, "text") != 0)
		return -EINVAL;
	if (path && *path) {
		int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		log_fd = fd;
	}
	return 0;
}

static void emit(const char *level, const char *msg)
{
	char line[8192], now[40];
	int n;

	if (log_json) {
		cleanup_free char *json = NULL;

		state_now(now, sizeof(now));
		json = json_out_log(level, msg, now);
		/* out of memory: the line as text, better than none */
		n = json ? snprintf(line, sizeof(line), "%s\n", json)
			 : snprintf(line, sizeof(line), "mini-runtime: %s: %s\n", level, msg);
	} else if (strcmp(level, "error") == 0) {
		n = snprintf(line, sizeof(line), "mini-runtime: %s\n", msg);
	} else {
		n = snprintf(line, sizeof(line), "mini-runtime: %s: %s\n", level, msg);
	}
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	write_all(log_fd, line, (size_t)n);
}

/* With --log FILE an error goes to stderr as well, as runc does: the shim
 * reads create's and exec's error from the log, but for kill, delete, ps,
 * pause and the others it only has what the command printed, and it tells
 * "container not running" from a real failure by that text. */
void log_error(const char *msg)
{
	char line[4096];
	int n;

	emit("error", msg);
	if (log_fd == 2)
		return;
	n = snprintf(line, sizeof(line), "mini-runtime: %s\n", msg);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	write_all(2, line, (size_t)n);
}

void log_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit("warning", msg);
}

void log_debug(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit("debug", msg);
}
