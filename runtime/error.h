/* error.h - how failures travel.
 *
 * A fallible function returns 0 on success or a negative value on failure
 * and takes `struct rt_error *err` last. On failure it fills `err` (errno
 * and one message); on success it leaves `err` alone. Nothing below main()
 * prints: the message is printed once, at the top (log.c). */
#ifndef MINI_ERROR_H
#define MINI_ERROR_H

#define RT_ERROR_MAX 1024

struct rt_error {
	int errnum;		 /* errno of the cause, 0 if none */
	char msg[RT_ERROR_MAX];	 /* lower-case, no trailing period */
};

/* Sets err from a printf format; returns -errnum (or -1 when errnum is 0),
 * so callers can write `return rt_fail(err, ENOENT, "...")`. */
int rt_fail(struct rt_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As rt_fail, with ": strerror(errnum)" appended. */
int rt_fail_errno(struct rt_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes an existing message: "context: <old message>". */
int rt_wrap(struct rt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
