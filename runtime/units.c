/* units.c - see units.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* The number part: digits with at most one '.', possibly an exponent, as
 * Go's ParseFloat takes them; strtod alone would also take hex, "inf",
 * "nan" and leading blanks. */
static int parse_number(const char *s, size_t len, double *ret)
{
	char buf[64], *end;
	double v;

	if (len == 0 || len >= sizeof(buf) || !(isdigit((unsigned char)s[0]) || s[0] == '.' ||
						 s[0] == '-' || s[0] == '+'))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strpbrk(buf, "xXnNiI"))
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (*end || end == buf || errno == ERANGE)
		return -1;
	*ret = v;
	return 0;
}

static int multiplier(const char *sfx, double *ret)
{
	static const char units[] = "kmgtp";
	char lower[4] = "";
	size_t len = strlen(sfx);
	const char *u;

	*ret = 1;
	if (len == 0)
		return 0;
	if (len > 3)
		return -1;
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)sfx[i]);
	if (lower[0] == 'b')
		return len == 1 ? 0 : -1;
	u = strchr(units, lower[0]);
	if (!u || !*u)
		return -1;
	if ((len == 2 && lower[1] != 'b') || (len == 3 && strcmp(lower + 1, "ib") != 0))
		return -1;
	for (long i = 0; i <= u - units; i++)
		*ret *= 1024;
	return 0;
}

enum units_result units_ram_in_bytes(const char *text, int64_t *ret)
{
	const char *sep = NULL, *sfx;
	size_t numlen;
	double size, mul;

	/* the last digit, '.' or blank ends the number */
	for (const char *p = text; *p; p++)
		if (strchr("0123456789. ", *p))
			sep = p;
	if (!sep)
		return UNITS_BAD_SIZE;
	numlen = (size_t)(sep - text) + (*sep != ' ');
	sfx = sep + 1;
	if (parse_number(text, numlen, &size) < 0 || size < 0)
		return UNITS_BAD_SIZE;
	if (multiplier(sfx, &mul) < 0)
		return UNITS_BAD_SUFFIX;
	size *= mul;
	/* 2^63 is the first double above INT64_MAX */
	if (size >= 9223372036854775808.0)
		return UNITS_TOO_LARGE;
	*ret = (int64_t)size;
	return UNITS_OK;
}
