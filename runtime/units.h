/* units.h - sizes as people write them ("128m", "1.5GiB"), read as
 * docker's go-units RAMInBytes does, which is what runc's `update` takes:
 * a decimal number (a fraction allowed), an optional space, then an
 * optional unit k, m, g, t, p (any case, x1024 each) with an optional
 * "b" or "ib" after it, or a lone "b". Pure: libc only. */
#ifndef MINI_UNITS_H
#define MINI_UNITS_H

#include <stdint.h>

enum units_result {
	UNITS_OK = 0,
	UNITS_BAD_SIZE = -1,   /* no number, a negative one, or not a number */
	UNITS_BAD_SUFFIX = -2, /* the number is fine, what follows is no unit */
	UNITS_TOO_LARGE = -3,  /* above INT64_MAX bytes */
};

/* *ret is written only on UNITS_OK; the fraction of a byte is dropped. */
enum units_result units_ram_in_bytes(const char *text, int64_t *ret);

#endif
