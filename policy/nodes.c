/* nodes.c - node lists ("0-3,7") to masks and back (rule 9). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mempolicy.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool node_isset(const struct mpol_nodemask *mask, unsigned node)
{
	return (mask->bits[node / MPOL_BITS_PER_WORD] >> (node % MPOL_BITS_PER_WORD)) & 1;
}

static void node_set(struct mpol_nodemask *mask, unsigned node)
{
	mask->bits[node / MPOL_BITS_PER_WORD] |= 1UL << (node % MPOL_BITS_PER_WORD);
}

/* Reads one unsigned decimal at *p and advances *p past it. The value
 * saturates at MPOL_MAX_NODES, so any longer run of digits is "too big" and
 * never overflows. Returns the reason it is not a number, or NULL. */
static const char *parse_number(const char **p, const char *end, unsigned *ret)
{
	const char *s = *p;
	unsigned v = 0;

	if (s < end && (*s == '-' || *s == '+'))
		return "signs are not allowed";
	if (s == end || !is_digit(*s))
		return "not a number";
	for (; s < end && is_digit(*s); s++) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v > MPOL_MAX_NODES)
			v = MPOL_MAX_NODES;
	}
	*p = s;
	*ret = v;
	return NULL;
}

/* One element, already trimmed and non-empty: "7" or "0-3". Returns the
 * reason it is wrong, or NULL with the inclusive range in lo, hi. */
static const char *parse_element(const char *s, const char *end, unsigned *lo, unsigned *hi)
{
	const char *why = parse_number(&s, end, lo);

	if (why)
		return why;
	*hi = *lo;
	if (s < end && *s == '-') {
		s++;
		why = parse_number(&s, end, hi);
		if (why)
			return why;
	}
	if (s != end)
		return "not a number";
	if (*lo >= MPOL_MAX_NODES || *hi >= MPOL_MAX_NODES)
		return "node is above the maximum 1023";
	if (*lo > *hi)
		return "range start is greater than its end";
	return NULL;
}

int mpol_parse_nodes(const char *text, const char *field, struct mpol_nodemask *ret_mask, char *err,
		     size_t errlen)
{
	struct mpol_nodemask mask = {{0}};
	const char *p = text;
	size_t pos = 1;

	if (!text || text[strspn(text, " \t")] == '\0') {
		snprintf(err, errlen, "%s: empty node list", field);
		return -EINVAL;
	}
	for (;; pos++) {
		const char *end = strchrnul(p, ',');
		const char *s = p, *e = end, *why;
		unsigned lo, hi;

		while (s < e && is_space(*s))
			s++;
		while (e > s && is_space(e[-1]))
			e--;
		if (s == e) {
			snprintf(err, errlen, "%s: empty element at position %zu in \"%s\"", field,
				 pos, text);
			return -EINVAL;
		}
		why = parse_element(s, e, &lo, &hi);
		if (why) {
			snprintf(err, errlen, "%s: \"%.*s\": %s", field, (int)(e - s), s, why);
			return -EINVAL;
		}
		for (unsigned n = lo; n <= hi; n++)
			node_set(&mask, n);
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*ret_mask = mask;
	return 0;
}

/* snprintf at buf + off that keeps counting once the buffer is full. */
static size_t append_run(char *buf, size_t len, size_t off, unsigned first, unsigned last)
{
	char *at = off < len ? buf + off : NULL;
	size_t room = off < len ? len - off : 0;
	const char *sep = off ? "," : "";
	int n;

	if (first == last)
		n = snprintf(at, room, "%s%u", sep, first);
	else
		n = snprintf(at, room, "%s%u-%u", sep, first, last);
	return n > 0 ? (size_t)n : 0;
}

size_t mpol_format_nodes(const struct mpol_nodemask *mask, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned n = 0; n < MPOL_MAX_NODES; n++) {
		unsigned last = n;

		if (!node_isset(mask, n))
			continue;
		while (last + 1 < MPOL_MAX_NODES && node_isset(mask, last + 1))
			last++;
		off += append_run(buf, len, off, n, last);
		n = last;
	}
	return off;
}
