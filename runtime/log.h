/* log.h - where messages go: stderr, or --log FILE; text or, with
 * --log-format json, one {"level","msg","time"} object a line, which is
 * what containerd's shim reads back; errors also go to stderr then. Errors
 * are printed from main and the commands' top level only; debug lines
 * (--debug) also come from the lifecycle's steps (container*.c), always
 * in the runtime's own process, never in a container's. */
#ifndef MINI_LOG_H
#define MINI_LOG_H

#include <stdbool.h>

int log_setup(const char *path, const char *format, bool debug);
void log_error(const char *msg);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
