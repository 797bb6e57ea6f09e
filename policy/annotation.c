/* annotation.c - a memory policy from a pod annotation, as the NRI
 * device-injector plugin reads it: which annotation applies to a container
 * (mpol_annotation_pick), its value (mpol_annotation_parse: the small YAML
 * the plugin unmarshals, `mode: MPOL_BIND`, `nodes: "0-3"`,
 * `flags: [MPOL_F_STATIC_NODES]`, in block or flow style, JSON included),
 * and the messages of the other checks renamed to the annotation
 * (mpol_rename_field). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mempolicy.h"

static const char *const prefixes[] = {"memory-policy.noderesource.dev", "memory-policy.nri.io"};
#define NPREFIXES (sizeof(prefixes) / sizeof(prefixes[0]))

static int find(const char *const *keys, size_t nkeys, const char *a, const char *b,
		const char *c)
{
	size_t la = strlen(a), lb = strlen(b);

	for (size_t i = 0; i < nkeys; i++)
		if (!strncmp(keys[i], a, la) && !strncmp(keys[i] + la, b, lb) &&
		    !strcmp(keys[i] + la + lb, c))
			return (int)i;
	return -1;
}

int mpol_annotation_pick(const char *const *keys, size_t nkeys, const char *container)
{
	int i;

	/* the device-injector's order: the container's key of each prefix,
	 * then /pod, then the bare key */
	for (size_t p = 0; container && *container && p < NPREFIXES; p++)
		if ((i = find(keys, nkeys, prefixes[p], "/container.", container)) >= 0)
			return i;
	for (size_t p = 0; p < NPREFIXES; p++)
		if ((i = find(keys, nkeys, prefixes[p], "/pod", "")) >= 0)
			return i;
	for (size_t p = 0; p < NPREFIXES; p++)
		if ((i = find(keys, nkeys, prefixes[p], "", "")) >= 0)
			return i;
	return -1;
}

/* The parser: a cursor over the value, the field for messages. */
struct cur {
	const char *p;
	const char *field;
	char *err;
	size_t errlen;
};

static int fail(struct cur *c, const char *what)
{
	snprintf(c->err, c->errlen, "%s: %s", c->field, what);
	return -EINVAL;
}

/* Spaces and tabs; with `lines`, also newlines and comments. */
static void skip(struct cur *c, bool lines)
{
	for (;;) {
		while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || (lines && *c->p == '\n'))
			c->p++;
		if (*c->p != '#')
			return;
		while (*c->p && *c->p != '\n')
			c->p++;
		if (!lines)
			return;
	}
}

static bool at_line_end(struct cur *c)
{
	skip(c, false);
	return *c->p == '\0' || *c->p == '\n';
}

/* A scalar into out: "double" (\" \\ \/ escapes), 'single' ('' is a quote)
 * or plain, which ends at a newline or " #", and in flow style also at
 * , ] }. */
static int scalar(struct cur *c, bool flow, char *out, size_t len)
{
	size_t n = 0;
	char q = *c->p;

	if (q == '"' || q == '\'') {
		for (c->p++;; c->p++) {
			char ch = *c->p;

			if (ch == '\0' || ch == '\n')
				return fail(c, "unterminated quoted string");
			if (ch == q && !(q == '\'' && c->p[1] == '\''))
				break;
			if (q == '\'' && ch == '\'')
				c->p++;
			else if (q == '"' && ch == '\\') {
				ch = *++c->p;
				if (ch != '"' && ch != '\\' && ch != '/')
					return fail(c, "unsupported escape in a quoted string");
			}
			if (n + 1 >= len)
				return fail(c, "value too long");
			out[n++] = ch;
		}
		c->p++;
	} else {
		const char *s = c->p, *e;

		while (*c->p && *c->p != '\n' && !(flow && strchr(",]}", *c->p)) &&
		       !(*c->p == '#' && c->p > s && (c->p[-1] == ' ' || c->p[-1] == '\t')))
			c->p++;
		for (e = c->p; e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
			;
		if ((size_t)(e - s) >= len)
			return fail(c, "value too long");
		n = (size_t)(e - s);
		memcpy(out, s, n);
	}
	out[n] = '\0';
	return 0;
}

struct fields {
	char mode[64], nodes[1024];
	bool has_mode, has_nodes, has_flags;
	char flags[8][64];
	size_t nflags;
};

static int add_flag(struct cur *c, struct fields *f, bool flow)
{
	int r;

	if (f->nflags == sizeof(f->flags) / sizeof(f->flags[0]))
		return fail(c, "flags: too many flags");
	if ((r = scalar(c, flow, f->flags[f->nflags], sizeof(f->flags[0]))) < 0)
		return r;
	f->nflags++;
	return 0;
}

/* [A, B] */
static int flow_seq(struct cur *c, struct fields *f)
{
	int r;

	c->p++;
	skip(c, true);
	if (*c->p == ']') {
		c->p++;
		return 0;
	}
	for (;;) {
		skip(c, true);
		if ((r = add_flag(c, f, true)) < 0)
			return r;
		skip(c, true);
		if (*c->p == ']') {
			c->p++;
			return 0;
		}
		if (*c->p != ',')
			return fail(c, "flags: expected \",\" or \"]\"");
		c->p++;
	}
}

/* Lines "- A" after "flags:"; ends before the first line that is not one. */
static int block_seq(struct cur *c, struct fields *f)
{
	int r;

	for (;;) {
		const char *line = c->p;

		skip(c, true);
		if (*c->p != '-' || (c->p[1] != ' ' && c->p[1] != '\t' && c->p[1] != '\n' &&
				     c->p[1] != '\0')) {
			c->p = line;
			return 0;
		}
		c->p++;
		skip(c, false);
		if ((r = add_flag(c, f, false)) < 0)
			return r;
		if (!at_line_end(c))
			return fail(c, "flags: expected one flag a line");
	}
}

static int key(struct cur *c, struct fields *f, bool flow, bool **ret_seen)
{
	char k[16];
	size_t n = 0;
	int r;

	if (*c->p == '"' || *c->p == '\'') {
		if ((r = scalar(c, true, k, sizeof(k))) < 0)
			return r;
	} else {
		while (((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z') ||
			*c->p == '_') && n + 1 < sizeof(k))
			k[n++] = *c->p++;
		k[n] = '\0';
		if (!n)
			return fail(c, "expected a key: mode, nodes or flags");
	}
	skip(c, false);
	if (*c->p != ':')
		return fail(c, "expected \"key: value\"");
	c->p++;
	skip(c, flow);
	if (!strcmp(k, "mode"))
		*ret_seen = &f->has_mode;
	else if (!strcmp(k, "nodes"))
		*ret_seen = &f->has_nodes;
	else if (!strcmp(k, "flags"))
		*ret_seen = &f->has_flags;
	else {
		char msg[64];

		snprintf(msg, sizeof(msg), "unknown key \"%s\"", k);
		return fail(c, msg);
	}
	if (**ret_seen) {
		char msg[64];

		snprintf(msg, sizeof(msg), "%s: given twice", k);
		return fail(c, msg);
	}
	**ret_seen = true;
	return 0;
}

static int value(struct cur *c, struct fields *f, bool *seen, bool flow)
{
	if (seen == &f->has_flags) {
		if (*c->p == '[')
			return flow_seq(c, f);
		if (!flow && at_line_end(c))
			return block_seq(c, f);
		return fail(c, "flags: expected a list");
	}
	if (seen == &f->has_mode)
		return scalar(c, flow, f->mode, sizeof(f->mode));
	return scalar(c, flow, f->nodes, sizeof(f->nodes));
}

static int mapping(struct cur *c, struct fields *f)
{
	bool *seen, flow;
	int r;

	skip(c, true);
	if (!strncmp(c->p, "---", 3)) {
		c->p += 3;
		skip(c, true);
	}
	flow = *c->p == '{';
	if (flow)
		c->p++;
	for (;;) {
		skip(c, true);
		if (!*c->p && !flow)
			return 0;
		if (flow && *c->p == '}') {
			c->p++;
			break;
		}
		if ((r = key(c, f, flow, &seen)) < 0 || (r = value(c, f, seen, flow)) < 0)
			return r;
		if (flow) {
			skip(c, true);
			if (*c->p == ',')
				c->p++;
			else if (*c->p != '}')
				return fail(c, "expected \",\" or \"}\"");
		} else if (!at_line_end(c)) {
			return fail(c, "expected one \"key: value\" a line");
		}
	}
	skip(c, true);
	return *c->p ? fail(c, "text after the closing \"}\"") : 0;
}

int mpol_annotation_parse(const char *text, const char *field, struct mpol_policy *ret_policy,
			  char *err, size_t errlen)
{
	struct cur c = {text, field, err, errlen};
	struct fields f = {0};
	const char *flags[8];
	struct mpol_policy p;
	int r;

	if ((r = mapping(&c, &f)) < 0)
		return r;
	if (!f.has_mode || !*f.mode)
		return fail(&c, "mode: missing mode");
	for (size_t i = 0; i < f.nflags; i++)
		flags[i] = f.flags[i];
	r = mpol_policy_parse(f.mode, f.has_nodes && *f.nodes ? f.nodes : NULL, flags, f.nflags,
			      &p, err, errlen);
	if (r == 0)
		r = mpol_validate(&p, err, errlen);
	if (r < 0) {
		mpol_rename_field(err, errlen, field);
		return r;
	}
	*ret_policy = p;
	return 0;
}

void mpol_rename_field(char *msg, size_t len, const char *field)
{
	static const char old[] = "linux.memoryPolicy";
	char buf[512];

	if (strncmp(msg, old, sizeof(old) - 1) != 0)
		return;
	snprintf(buf, sizeof(buf), "%s%s", field, msg + sizeof(old) - 1);
	snprintf(msg, len, "%s", buf);
}
