/* check_mempolicy.c - unit tests of policy/ (linux.memoryPolicy): one
 * TCase per function, table-driven; each table row is one loop test.
 * Rule numbers are those of docs/memory-policy (the design table). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mempolicy.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define F_NB MPOL_FLAG_NUMA_BALANCING
#define F_REL MPOL_FLAG_RELATIVE_NODES
#define F_STA MPOL_FLAG_STATIC_NODES

#define P "linux.memoryPolicy"
#define PN "linux.memoryPolicy.nodes: "

/* A mask from a node list the test trusts; NULL is the empty mask. */
static struct mpol_nodemask mask_of(const char *text)
{
	struct mpol_nodemask mask = {{0}};
	char err[256] = "";

	if (text)
		ck_assert_msg(mpol_parse_nodes(text, "test", &mask, err, sizeof(err)) == 0,
			      "bad test node list: %s", err);
	return mask;
}

/* nodes NULL: no "nodes" in config. */
static struct mpol_policy policy_of(int mode, unsigned flags, const char *nodes)
{
	struct mpol_policy p = {0};

	p.mode = mode;
	p.flags = flags;
	p.has_nodes = nodes != NULL;
	p.nodes = mask_of(nodes);
	return p;
}

/* Success must leave err alone; failure must give exactly `want`. */
static void check_result(int r, int want_r, const char *err, const char *want_msg)
{
	ck_assert_int_eq(r, want_r);
	ck_assert_str_eq(err, want_msg ? want_msg : "");
}

/* ---- mpol_parse_mode / mpol_parse_flag (rule 2) ---- */

static const struct {
	const char *name;
	int ret, mode;
	const char *msg;
} mode_cases[] = {
    {"MPOL_DEFAULT", 0, MPOL_MODE_DEFAULT, NULL},
    {"MPOL_PREFERRED", 0, MPOL_MODE_PREFERRED, NULL},
    {"MPOL_BIND", 0, MPOL_MODE_BIND, NULL},
    {"MPOL_INTERLEAVE", 0, MPOL_MODE_INTERLEAVE, NULL},
    {"MPOL_LOCAL", 0, MPOL_MODE_LOCAL, NULL},
    {"MPOL_PREFERRED_MANY", 0, MPOL_MODE_PREFERRED_MANY, NULL},
    {"MPOL_WEIGHTED_INTERLEAVE", 0, MPOL_MODE_WEIGHTED_INTERLEAVE, NULL},
    {"MPOL_FOO", -EINVAL, -1, P ".mode: unknown mode \"MPOL_FOO\""},
    {"mpol_bind", -EINVAL, -1, P ".mode: unknown mode \"mpol_bind\""},
    {"MPOL_BIND ", -EINVAL, -1, P ".mode: unknown mode \"MPOL_BIND \""},
    {"", -EINVAL, -1, P ".mode: unknown mode \"\""},
    {NULL, -EINVAL, -1, P ".mode: missing mode"},
};

START_TEST(test_parse_mode)
{
	char err[256] = "";
	int mode = -1;
	int r = mpol_parse_mode(mode_cases[_i].name, &mode, err, sizeof(err));

	check_result(r, mode_cases[_i].ret, err, mode_cases[_i].msg);
	ck_assert_int_eq(mode, mode_cases[_i].mode);
}
END_TEST

static const struct {
	const char *name;
	size_t index;
	int ret;
	unsigned flag;
	const char *msg;
} flag_cases[] = {
    {"MPOL_F_NUMA_BALANCING", 0, 0, F_NB, NULL},
    {"MPOL_F_RELATIVE_NODES", 1, 0, F_REL, NULL},
    {"MPOL_F_STATIC_NODES", 2, 0, F_STA, NULL},
    {"MPOL_F_FOO", 1, -EINVAL, 0xdead, P ".flags[1]: unknown flag \"MPOL_F_FOO\""},
    {"MPOL_F_MOF", 0, -EINVAL, 0xdead, P ".flags[0]: unknown flag \"MPOL_F_MOF\""},
    {"MPOL_BIND", 3, -EINVAL, 0xdead, P ".flags[3]: unknown flag \"MPOL_BIND\""},
    {NULL, 2, -EINVAL, 0xdead, P ".flags[2]: missing flag"},
};

START_TEST(test_parse_flag)
{
	char err[256] = "";
	unsigned flag = 0xdead;
	int r = mpol_parse_flag(flag_cases[_i].name, flag_cases[_i].index, &flag, err, sizeof(err));

	check_result(r, flag_cases[_i].ret, err, flag_cases[_i].msg);
	ck_assert_uint_eq(flag, flag_cases[_i].flag);
}
END_TEST

/* ---- mpol_parse_nodes (rule 9) ---- */

struct range {
	int lo, hi; /* lo < 0 ends the list */
};

static const struct {
	const char *text;
	int ret;
	struct range want[4];
	const char *msg;
} nodes_cases[] = {
    {"0", 0, {{0, 0}, {-1, 0}}, NULL},
    {"0-3,7", 0, {{0, 3}, {7, 7}, {-1, 0}}, NULL},
    {" 1 , 2 ", 0, {{1, 2}, {-1, 0}}, NULL},
    {"\t5\t", 0, {{5, 5}, {-1, 0}}, NULL},
    {"007", 0, {{7, 7}, {-1, 0}}, NULL},
    {"2-2", 0, {{2, 2}, {-1, 0}}, NULL},
    {"3,1,3", 0, {{1, 1}, {3, 3}, {-1, 0}}, NULL},
    {"63,64,127", 0, {{63, 64}, {127, 127}, {-1, 0}}, NULL},
    {"1023", 0, {{1023, 1023}, {-1, 0}}, NULL},
    {"0-1023", 0, {{0, 1023}, {-1, 0}}, NULL},
    {"3-1", -EINVAL, {{-1, 0}}, PN "\"3-1\": range start is greater than its end"},
    {"0,,1", -EINVAL, {{-1, 0}}, PN "empty element at position 2 in \"0,,1\""},
    {",0", -EINVAL, {{-1, 0}}, PN "empty element at position 1 in \",0\""},
    {"0,", -EINVAL, {{-1, 0}}, PN "empty element at position 2 in \"0,\""},
    {"0, ,1", -EINVAL, {{-1, 0}}, PN "empty element at position 2 in \"0, ,1\""},
    {"-1", -EINVAL, {{-1, 0}}, PN "\"-1\": signs are not allowed"},
    {"+1", -EINVAL, {{-1, 0}}, PN "\"+1\": signs are not allowed"},
    {"1--2", -EINVAL, {{-1, 0}}, PN "\"1--2\": signs are not allowed"},
    {"1024", -EINVAL, {{-1, 0}}, PN "\"1024\": node is above the maximum 1023"},
    {"0-1024", -EINVAL, {{-1, 0}}, PN "\"0-1024\": node is above the maximum 1023"},
    {"99999999999999999999",
     -EINVAL,
     {{-1, 0}},
     PN "\"99999999999999999999\": node is above the maximum 1023"},
    {"a", -EINVAL, {{-1, 0}}, PN "\"a\": not a number"},
    {"1-a", -EINVAL, {{-1, 0}}, PN "\"1-a\": not a number"},
    {"1-", -EINVAL, {{-1, 0}}, PN "\"1-\": not a number"},
    {"1 2", -EINVAL, {{-1, 0}}, PN "\"1 2\": not a number"},
    {"0x1", -EINVAL, {{-1, 0}}, PN "\"0x1\": not a number"},
    {"1, 2 ,x ", -EINVAL, {{-1, 0}}, PN "\"x\": not a number"},
    {"", -EINVAL, {{-1, 0}}, PN "empty node list"},
    {"  ", -EINVAL, {{-1, 0}}, PN "empty node list"},
    {NULL, -EINVAL, {{-1, 0}}, PN "empty node list"},
};

START_TEST(test_parse_nodes)
{
	struct mpol_nodemask got, want = {{0}}, sentinel;
	char err[256] = "";
	int r;

	memset(&got, 0xa5, sizeof(got));
	sentinel = got;
	r = mpol_parse_nodes(nodes_cases[_i].text, "linux.memoryPolicy.nodes", &got, err,
			     sizeof(err));
	check_result(r, nodes_cases[_i].ret, err, nodes_cases[_i].msg);
	if (r < 0) {
		ck_assert_msg(memcmp(&got, &sentinel, sizeof(got)) == 0, "output written on error");
		return;
	}
	for (const struct range *g = nodes_cases[_i].want; g->lo >= 0; g++)
		for (int n = g->lo; n <= g->hi; n++)
			want.bits[n / MPOL_BITS_PER_WORD] |= 1UL << (n % MPOL_BITS_PER_WORD);
	ck_assert_msg(memcmp(&got, &want, sizeof(got)) == 0, "wrong mask for \"%s\"",
		      nodes_cases[_i].text);
}
END_TEST

START_TEST(test_parse_nodes_field)
{
	struct mpol_nodemask m;
	char err[256] = "";

	ck_assert_int_eq(
	    mpol_parse_nodes("0-", "/sys/devices/system/node/online", &m, err, sizeof(err)),
	    -EINVAL);
	ck_assert_str_eq(err, "/sys/devices/system/node/online: \"0-\": not a number");
}
END_TEST

/* ---- mpol_policy_parse (rules 2 and 9 together) ---- */

/* clang-format off */
static const struct {
	const char *mode, *nodes, *flags[3];
	size_t nflags;
	int ret, want_mode;
	unsigned want_flags;
	bool want_has_nodes;
	const char *msg;
} policy_cases[] = {
	{"MPOL_BIND", "0-1", {"MPOL_F_STATIC_NODES"}, 1, 0, MPOL_MODE_BIND, F_STA, true, NULL},
	/* duplicate flags are harmless: OR-ed */
	{"MPOL_BIND", "0", {"MPOL_F_STATIC_NODES", "MPOL_F_STATIC_NODES"}, 2,
	 0, MPOL_MODE_BIND, F_STA, true, NULL},
	{"MPOL_BIND", "0",
	 {"MPOL_F_NUMA_BALANCING", "MPOL_F_STATIC_NODES", "MPOL_F_NUMA_BALANCING"}, 3,
	 0, MPOL_MODE_BIND, F_NB | F_STA, true, NULL},
	{"MPOL_LOCAL", NULL, {NULL}, 0, 0, MPOL_MODE_LOCAL, 0, false, NULL},
	/* no combination checks here: that is mpol_validate */
	{"MPOL_DEFAULT", "0", {NULL}, 0, 0, MPOL_MODE_DEFAULT, 0, true, NULL},
	/* the mode is checked first, then the flags, then the nodes */
	{"MPOL_FOO", "0,,1", {"MPOL_F_BAR"}, 1,
	 -EINVAL, 0, 0, false, P ".mode: unknown mode \"MPOL_FOO\""},
	{"MPOL_BIND", "0,,1", {"MPOL_F_STATIC_NODES", "MPOL_F_FOO"}, 2,
	 -EINVAL, 0, 0, false, P ".flags[1]: unknown flag \"MPOL_F_FOO\""},
	{"MPOL_BIND", "0,,1", {NULL}, 0,
	 -EINVAL, 0, 0, false, PN "empty element at position 2 in \"0,,1\""},
	{"MPOL_BIND", "", {NULL}, 0, -EINVAL, 0, 0, false, PN "empty node list"},
};
/* clang-format on */

START_TEST(test_policy_parse)
{
	struct mpol_policy got, sentinel;
	char err[256] = "";
	int r;

	memset(&got, 0xa5, sizeof(got));
	sentinel = got;
	r = mpol_policy_parse(policy_cases[_i].mode, policy_cases[_i].nodes, policy_cases[_i].flags,
			      policy_cases[_i].nflags, &got, err, sizeof(err));
	check_result(r, policy_cases[_i].ret, err, policy_cases[_i].msg);
	if (r < 0) {
		ck_assert_msg(memcmp(&got, &sentinel, sizeof(got)) == 0, "output written on error");
		return;
	}
	ck_assert_int_eq(got.mode, policy_cases[_i].want_mode);
	ck_assert_uint_eq(got.flags, policy_cases[_i].want_flags);
	ck_assert(got.has_nodes == policy_cases[_i].want_has_nodes);
	if (policy_cases[_i].nodes) {
		struct mpol_nodemask want = mask_of(policy_cases[_i].nodes);

		ck_assert(memcmp(&got.nodes, &want, sizeof(want)) == 0);
	}
}
END_TEST

/* ---- mpol_validate (rules 3-8) ---- */

#define PF "linux.memoryPolicy.flags: "

static const struct {
	int mode;
	unsigned flags;
	const char *nodes;
	int ret;
	const char *msg;
} validate_cases[] = {
    /* rule 3 */
    {MPOL_MODE_BIND, F_NB, "0", 0, NULL},
    {MPOL_MODE_BIND, F_NB | F_STA, "0", 0, NULL},
    {MPOL_MODE_INTERLEAVE, F_NB, "0", -EINVAL,
     PF "MPOL_F_NUMA_BALANCING is only valid with MPOL_BIND (mode is MPOL_INTERLEAVE)"},
    {MPOL_MODE_PREFERRED_MANY, F_NB, "0", -EINVAL,
     PF "MPOL_F_NUMA_BALANCING is only valid with MPOL_BIND (mode is MPOL_PREFERRED_MANY)"},
    {MPOL_MODE_DEFAULT, F_NB, NULL, -EINVAL,
     PF "MPOL_F_NUMA_BALANCING is only valid with MPOL_BIND (mode is MPOL_DEFAULT)"},
    /* rule 4 */
    {MPOL_MODE_BIND, F_STA, "0", 0, NULL},
    {MPOL_MODE_BIND, F_REL, "0", 0, NULL},
    {MPOL_MODE_BIND, F_STA | F_REL, "0", -EINVAL,
     PF "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive"},
    {MPOL_MODE_INTERLEAVE, F_STA | F_REL, "0", -EINVAL,
     PF "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive"},
    /* rule 5 */
    {MPOL_MODE_DEFAULT, 0, NULL, 0, NULL},
    {MPOL_MODE_DEFAULT, 0, "0", -EINVAL, PN "MPOL_DEFAULT takes no nodes"},
    {MPOL_MODE_DEFAULT, F_STA, NULL, -EINVAL, PF "MPOL_DEFAULT takes no flags"},
    /* rule 6 */
    {MPOL_MODE_LOCAL, 0, NULL, 0, NULL},
    {MPOL_MODE_LOCAL, 0, "0-1", -EINVAL, PN "MPOL_LOCAL takes no nodes"},
    {MPOL_MODE_LOCAL, F_REL, NULL, -EINVAL, PF "MPOL_LOCAL takes no flags"},
    /* rule 7 */
    {MPOL_MODE_PREFERRED, 0, NULL, 0, NULL},
    {MPOL_MODE_PREFERRED, F_STA, "0", 0, NULL},
    {MPOL_MODE_PREFERRED, F_REL, "0", 0, NULL},
    {MPOL_MODE_PREFERRED, F_STA, NULL, -EINVAL,
     PF "MPOL_PREFERRED without nodes takes no MPOL_F_STATIC_NODES"},
    {MPOL_MODE_PREFERRED, F_REL, NULL, -EINVAL,
     PF "MPOL_PREFERRED without nodes takes no MPOL_F_RELATIVE_NODES"},
    /* rule 8 */
    {MPOL_MODE_BIND, 0, "0", 0, NULL},
    {MPOL_MODE_INTERLEAVE, 0, "0-3,7", 0, NULL},
    {MPOL_MODE_PREFERRED_MANY, 0, "0", 0, NULL},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, F_STA, "0", 0, NULL},
    {MPOL_MODE_BIND, 0, NULL, -EINVAL, PN "MPOL_BIND needs at least one node"},
    {MPOL_MODE_INTERLEAVE, 0, NULL, -EINVAL, PN "MPOL_INTERLEAVE needs at least one node"},
    {MPOL_MODE_PREFERRED_MANY, 0, NULL, -EINVAL, PN "MPOL_PREFERRED_MANY needs at least one node"},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, NULL, -EINVAL,
     PN "MPOL_WEIGHTED_INTERLEAVE needs at least one node"},
    /* values that did not come from mpol_policy_parse */
    {7, 0, "0", -EINVAL, P ".mode: unknown mode 7"},
    {-1, 0, "0", -EINVAL, P ".mode: unknown mode -1"},
    {MPOL_MODE_BIND, 1, "0", -EINVAL, PF "unknown flag bits 0x1"},
};

START_TEST(test_validate)
{
	struct mpol_policy p =
	    policy_of(validate_cases[_i].mode, validate_cases[_i].flags, validate_cases[_i].nodes);
	char err[256] = "";

	check_result(mpol_validate(&p, err, sizeof(err)), validate_cases[_i].ret, err,
		     validate_cases[_i].msg);
}
END_TEST

/* has_nodes with an empty mask is no nodes (rule 8), as for the kernel. */
START_TEST(test_validate_empty_mask)
{
	struct mpol_policy p = policy_of(MPOL_MODE_BIND, 0, NULL);
	char err[256] = "";

	p.has_nodes = true;
	check_result(mpol_validate(&p, err, sizeof(err)), -EINVAL, err,
		     PN "MPOL_BIND needs at least one node");
}
END_TEST

/* ---- mpol_validate_host (rules 10-11) ---- */

static struct mpol_host host_of(const char *online, int major, int minor)
{
	struct mpol_host h;

	h.online = mask_of(online);
	h.kernel_major = major;
	h.kernel_minor = minor;
	return h;
}

static const struct {
	int mode;
	unsigned flags;
	const char *nodes, *online;
	int major, minor, ret;
	const char *msg;
} host_cases[] = {
    /* rule 10 */
    {MPOL_MODE_BIND, 0, "0", "0-1", 6, 18, 0, NULL},
    {MPOL_MODE_BIND, 0, "1-2", "0-1", 6, 18, 0, NULL},
    {MPOL_MODE_LOCAL, 0, NULL, "0", 6, 18, 0, NULL},
    {MPOL_MODE_BIND, 0, "2-3", "0", 6, 18, -EINVAL, PN "no node of \"2-3\" is online (online: 0)"},
    {MPOL_MODE_INTERLEAVE, F_STA, "2-3,7", "0-1", 6, 18, -EINVAL,
     PN "no node of \"2-3,7\" is online (online: 0-1)"},
    {MPOL_MODE_BIND, F_REL, "2-3", "0", 6, 18, 0, NULL},
    /* rule 11 */
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "0-1", "0-1", 6, 18, 0, NULL},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "0-1", "0-1", 6, 9, 0, NULL},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "0-1", "0-1", 6, 1, -EINVAL,
     P ".mode: MPOL_WEIGHTED_INTERLEAVE needs Linux 6.9 or later (running 6.1)"},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "0", "0-1", 5, 19, -EINVAL,
     P ".mode: MPOL_WEIGHTED_INTERLEAVE needs Linux 6.9 or later (running 5.19)"},
    {MPOL_MODE_PREFERRED_MANY, 0, "0", "0-1", 6, 1, 0, NULL},
    {MPOL_MODE_PREFERRED_MANY, 0, "0", "0-1", 5, 15, 0, NULL},
    {MPOL_MODE_PREFERRED_MANY, 0, "0", "0-1", 5, 14, -EINVAL,
     P ".mode: MPOL_PREFERRED_MANY needs Linux 5.15 or later (running 5.14)"},
    {MPOL_MODE_PREFERRED_MANY, 0, "0", "0-1", 4, 19, -EINVAL,
     P ".mode: MPOL_PREFERRED_MANY needs Linux 5.15 or later (running 4.19)"},
    {MPOL_MODE_BIND, F_NB, "0", "0-1", 5, 12, 0, NULL},
    {MPOL_MODE_BIND, F_NB, "0", "0-1", 5, 11, -EINVAL,
     P ".flags: MPOL_F_NUMA_BALANCING needs Linux 5.12 or later (running 5.11)"},
    {MPOL_MODE_INTERLEAVE, F_STA, "0", "0", 3, 10, 0, NULL},
    /* both broken: the first rule of the table wins */
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "5", "0-1", 6, 1, -EINVAL,
     PN "no node of \"5\" is online (online: 0-1)"},
};

START_TEST(test_validate_host)
{
	struct mpol_policy p =
	    policy_of(host_cases[_i].mode, host_cases[_i].flags, host_cases[_i].nodes);
	struct mpol_host h =
	    host_of(host_cases[_i].online, host_cases[_i].major, host_cases[_i].minor);
	char err[256] = "";

	check_result(mpol_validate_host(&p, &h, err, sizeof(err)), host_cases[_i].ret, err,
		     host_cases[_i].msg);
}
END_TEST

/* ---- mpol_host_probe, on this machine ---- */

START_TEST(test_host_probe)
{
	struct mpol_host h;
	struct utsname u;
	char err[256] = "";
	int major = -1, minor = -1;

	check_result(mpol_host_probe(&h, err, sizeof(err)), 0, err, NULL);
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_int_eq(sscanf(u.release, "%d.%d", &major, &minor), 2);
	ck_assert_int_eq(h.kernel_major, major);
	ck_assert_int_eq(h.kernel_minor, minor);
	/* Every Linux machine has node 0 online (or no NUMA: node 0 only). */
	ck_assert(h.online.bits[0] & 1);
}
END_TEST

/* ---- mpol_build_args: exact mask and maxnode ---- */

static const struct {
	int mode;
	unsigned flags;
	const char *nodes;
	int want_mode;
	unsigned long want_maxnode;
	int word;		 /* -1: mask must be NULL */
	unsigned long want_word; /* mask[word] */
} args_cases[] = {
    {MPOL_MODE_BIND, 0, "0", MPOL_MODE_BIND, 65, 0, 1UL},
    {MPOL_MODE_BIND, 0, "63", MPOL_MODE_BIND, 65, 0, 1UL << 63},
    {MPOL_MODE_BIND, 0, "64", MPOL_MODE_BIND, 129, 1, 1UL},
    {MPOL_MODE_BIND, 0, "127", MPOL_MODE_BIND, 129, 1, 1UL << 63},
    {MPOL_MODE_BIND, 0, "0,64", MPOL_MODE_BIND, 129, 0, 1UL},
    {MPOL_MODE_INTERLEAVE, 0, "1023", MPOL_MODE_INTERLEAVE, 1025, 15, 1UL << 63},
    {MPOL_MODE_INTERLEAVE, 0, "0-3,7", MPOL_MODE_INTERLEAVE, 65, 0, 0x8fUL},
    {MPOL_MODE_BIND, F_STA, "0-1", MPOL_MODE_BIND | F_STA, 65, 0, 3UL},
    {MPOL_MODE_BIND, F_NB | F_REL, "1", MPOL_MODE_BIND | F_NB | F_REL, 65, 0, 2UL},
    {MPOL_MODE_LOCAL, 0, NULL, MPOL_MODE_LOCAL, 0, -1, 0},
    {MPOL_MODE_DEFAULT, 0, NULL, MPOL_MODE_DEFAULT, 0, -1, 0},
    {MPOL_MODE_PREFERRED, 0, NULL, MPOL_MODE_PREFERRED, 0, -1, 0},
    {MPOL_MODE_PREFERRED, 0, "0", MPOL_MODE_PREFERRED, 65, 0, 1UL},
};

START_TEST(test_build_args)
{
	struct mpol_policy p =
	    policy_of(args_cases[_i].mode, args_cases[_i].flags, args_cases[_i].nodes);
	struct mpol_args a;

	ck_assert_msg(sizeof(unsigned long) == 8, "the expected maxnode values assume 64-bit");
	mpol_build_args(&p, &a);
	ck_assert_int_eq(a.mode, args_cases[_i].want_mode);
	ck_assert_uint_eq(a.maxnode, args_cases[_i].want_maxnode);
	if (args_cases[_i].word < 0) {
		ck_assert_ptr_null(a.mask);
		return;
	}
	ck_assert_ptr_eq(a.mask, p.nodes.bits);
	ck_assert_uint_eq(a.mask[args_cases[_i].word], args_cases[_i].want_word);
}
END_TEST

START_TEST(test_build_args_empty_mask)
{
	struct mpol_policy p = policy_of(MPOL_MODE_PREFERRED, 0, NULL);
	struct mpol_args a;

	p.has_nodes = true;
	mpol_build_args(&p, &a);
	ck_assert_ptr_null(a.mask);
	ck_assert_uint_eq(a.maxnode, 0);
}
END_TEST

/* ---- mpol_apply through a recording fake set_mempolicy ---- */

static struct {
	int calls, mode, fail_errno;
	bool mask_null;
	unsigned long maxnode;
	struct mpol_nodemask seen; /* the bits the kernel would read */
} rec;

/* Reads the mask as get_nodes() in mm/mempolicy.c does: maxnode - 1 bits. */
static long fake_set(int mode, const unsigned long *mask, unsigned long maxnode)
{
	rec.calls++;
	rec.mode = mode;
	rec.mask_null = mask == NULL;
	rec.maxnode = maxnode;
	memset(&rec.seen, 0, sizeof(rec.seen));
	for (unsigned long n = 0; mask && maxnode && n < maxnode - 1 && n < MPOL_MAX_NODES; n++)
		if ((mask[n / MPOL_BITS_PER_WORD] >> (n % MPOL_BITS_PER_WORD)) & 1)
			rec.seen.bits[n / MPOL_BITS_PER_WORD] |= 1UL << (n % MPOL_BITS_PER_WORD);
	if (rec.fail_errno >= 0) {
		errno = rec.fail_errno;
		return -1;
	}
	return 0;
}

static const struct {
	int mode;
	unsigned flags;
	const char *nodes;
	int want_mode;
	unsigned long want_maxnode;
} apply_cases[] = {
    {MPOL_MODE_BIND, F_STA, "0-1", MPOL_MODE_BIND | F_STA, 65},
    {MPOL_MODE_INTERLEAVE, 0, "0,63", MPOL_MODE_INTERLEAVE, 65},
    {MPOL_MODE_INTERLEAVE, F_REL, "63-64", MPOL_MODE_INTERLEAVE | F_REL, 129},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "127", MPOL_MODE_WEIGHTED_INTERLEAVE, 129},
    {MPOL_MODE_PREFERRED_MANY, 0, "1,1023", MPOL_MODE_PREFERRED_MANY, 1025},
    {MPOL_MODE_BIND, F_NB, "0", MPOL_MODE_BIND | F_NB, 65},
    {MPOL_MODE_PREFERRED, 0, NULL, MPOL_MODE_PREFERRED, 0},
    {MPOL_MODE_LOCAL, 0, NULL, MPOL_MODE_LOCAL, 0},
    {MPOL_MODE_DEFAULT, 0, NULL, MPOL_MODE_DEFAULT, 0},
};

START_TEST(test_apply)
{
	struct mpol_policy p =
	    policy_of(apply_cases[_i].mode, apply_cases[_i].flags, apply_cases[_i].nodes);
	struct mpol_host h = host_of("0", 6, 18);
	char err[256] = "";

	memset(&rec, 0, sizeof(rec));
	rec.fail_errno = -1;
	check_result(mpol_apply(&p, fake_set, &h, err, sizeof(err)), 0, err, NULL);
	ck_assert_int_eq(rec.calls, 1);
	ck_assert_int_eq(rec.mode, apply_cases[_i].want_mode);
	ck_assert_uint_eq(rec.maxnode, apply_cases[_i].want_maxnode);
	ck_assert(rec.mask_null == (apply_cases[_i].nodes == NULL));
	/* Every node of the policy, the highest included, reached the kernel. */
	ck_assert_msg(memcmp(&rec.seen, &p.nodes, sizeof(p.nodes)) == 0,
		      "the kernel would not see all of \"%s\"", apply_cases[_i].nodes);
}
END_TEST

#define PS "linux.memoryPolicy: set_mempolicy("

static const struct {
	int mode;
	unsigned flags;
	const char *nodes;
	int fail_errno;
	bool no_host; /* read the kernel version with uname */
	int major, minor, ret;
	const char *msg;
} apply_fail_cases[] = {
    {MPOL_MODE_BIND, 0, "0", ENOSYS, false, 6, 18, -ENOSYS,
     P ": the kernel has no NUMA support (set_mempolicy: ENOSYS)"},
    /* rule 11: EINVAL from a kernel older than the mode or flag */
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "0-1", EINVAL, false, 6, 1, -EINVAL,
     P ".mode: MPOL_WEIGHTED_INTERLEAVE needs Linux 6.9 or later (running 6.1)"},
    {MPOL_MODE_PREFERRED_MANY, 0, "0", EINVAL, false, 5, 10, -EINVAL,
     P ".mode: MPOL_PREFERRED_MANY needs Linux 5.15 or later (running 5.10)"},
    {MPOL_MODE_BIND, F_NB, "0", EINVAL, false, 5, 4, -EINVAL,
     P ".flags: MPOL_F_NUMA_BALANCING needs Linux 5.12 or later (running 5.4)"},
    /* EINVAL from a kernel new enough: the plain errno, with the arguments */
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, "0-1", EINVAL, false, 6, 18, -EINVAL,
     PS "MPOL_WEIGHTED_INTERLEAVE, nodes 0-1): Invalid argument"},
    {MPOL_MODE_BIND, F_STA, "0-1", EINVAL, false, 6, 18, -EINVAL,
     PS "MPOL_BIND|MPOL_F_STATIC_NODES, nodes 0-1): Invalid argument"},
    {MPOL_MODE_BIND, F_NB | F_STA, "0-3,7", EFAULT, false, 6, 18, -EFAULT,
     PS "MPOL_BIND|MPOL_F_NUMA_BALANCING|MPOL_F_STATIC_NODES, nodes 0-3,7): Bad address"},
    {MPOL_MODE_LOCAL, 0, NULL, EPERM, false, 6, 18, -EPERM,
     PS "MPOL_LOCAL, no nodes): Operation not permitted"},
    {MPOL_MODE_BIND, 0, "1", EINVAL, true, 0, 0, -EINVAL,
     PS "MPOL_BIND, nodes 1): Invalid argument"},
    /* -1 without errno */
    {MPOL_MODE_BIND, 0, "1", 0, false, 6, 18, -EIO, PS "MPOL_BIND, nodes 1): Input/output error"},
};

START_TEST(test_apply_fail)
{
	struct mpol_policy p = policy_of(apply_fail_cases[_i].mode, apply_fail_cases[_i].flags,
					 apply_fail_cases[_i].nodes);
	struct mpol_host h = host_of("0", apply_fail_cases[_i].major, apply_fail_cases[_i].minor);
	char err[256] = "";
	int r;

	memset(&rec, 0, sizeof(rec));
	rec.fail_errno = apply_fail_cases[_i].fail_errno;
	r = mpol_apply(&p, fake_set, apply_fail_cases[_i].no_host ? NULL : &h, err, sizeof(err));
	check_result(r, apply_fail_cases[_i].ret, err, apply_fail_cases[_i].msg);
	ck_assert_int_eq(rec.calls, 1);
}
END_TEST

/* ---- mpol_read_back through a fake get_mempolicy ---- */

static struct {
	int mode, fail_errno;
	unsigned long maxnode, flags;
	void *addr;
	struct mpol_nodemask nodes;
} get_rec;

/* Copies ALIGN(maxnode - 1, 64) bits, as copy_nodes_to_user() does. */
static long fake_get(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
		     unsigned long flags)
{
	get_rec.maxnode = maxnode;
	get_rec.addr = addr;
	get_rec.flags = flags;
	if (get_rec.fail_errno) {
		errno = get_rec.fail_errno;
		return -1;
	}
	*mode = get_rec.mode;
	memcpy(mask, get_rec.nodes.bits, (maxnode - 1 + 63) / 64 * 8);
	return 0;
}

static const struct {
	int kernel_mode;
	const char *nodes;
	int want_mode;
	unsigned want_flags;
} read_cases[] = {
    {MPOL_MODE_BIND | F_STA, "0-1", MPOL_MODE_BIND, F_STA},
    {MPOL_MODE_INTERLEAVE | F_REL, "0,1023", MPOL_MODE_INTERLEAVE, F_REL},
    {MPOL_MODE_BIND | F_NB | F_STA, "63", MPOL_MODE_BIND, F_NB | F_STA},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, "0", MPOL_MODE_WEIGHTED_INTERLEAVE, 0},
    {MPOL_MODE_LOCAL, NULL, MPOL_MODE_LOCAL, 0},
    {MPOL_MODE_PREFERRED, NULL, MPOL_MODE_PREFERRED, 0},
    {MPOL_MODE_DEFAULT, NULL, MPOL_MODE_DEFAULT, 0},
};

START_TEST(test_read_back)
{
	struct mpol_policy got;
	char err[256] = "";

	memset(&get_rec, 0, sizeof(get_rec));
	get_rec.mode = read_cases[_i].kernel_mode;
	get_rec.nodes = mask_of(read_cases[_i].nodes);
	get_rec.addr = &get_rec;
	memset(&got, 0xa5, sizeof(got));
	check_result(mpol_read_back(fake_get, &got, err, sizeof(err)), 0, err, NULL);
	/* maxnode covers MAX_NUMNODES on distribution kernels (nr_node_ids) */
	ck_assert_uint_eq(get_rec.maxnode, MPOL_MAX_NODES);
	ck_assert_ptr_null(get_rec.addr);
	ck_assert_uint_eq(get_rec.flags, 0);
	ck_assert_int_eq(got.mode, read_cases[_i].want_mode);
	ck_assert_uint_eq(got.flags, read_cases[_i].want_flags);
	ck_assert(got.has_nodes == (read_cases[_i].nodes != NULL));
	ck_assert(memcmp(&got.nodes, &get_rec.nodes, sizeof(got.nodes)) == 0);
}
END_TEST

static const struct {
	int fail_errno, ret;
	const char *msg;
} read_fail_cases[] = {
    {ENOSYS, -ENOSYS, P ": the kernel has no NUMA support (get_mempolicy: ENOSYS)"},
    {EINVAL, -EINVAL, P ": get_mempolicy: Invalid argument"},
};

START_TEST(test_read_back_fail)
{
	struct mpol_policy got, sentinel;
	char err[256] = "";

	memset(&get_rec, 0, sizeof(get_rec));
	get_rec.fail_errno = read_fail_cases[_i].fail_errno;
	memset(&got, 0xa5, sizeof(got));
	sentinel = got;
	check_result(mpol_read_back(fake_get, &got, err, sizeof(err)), read_fail_cases[_i].ret, err,
		     read_fail_cases[_i].msg);
	ck_assert(memcmp(&got, &sentinel, sizeof(got)) == 0);
}
END_TEST

/* ---- mpol_format_nodes ---- */

static const struct {
	const char *nodes, *want;
} format_cases[] = {
    {NULL, ""},		{"0", "0"},
    {"0-3,7", "0-3,7"}, {"0,2", "0,2"},
    {"0-1", "0-1"},	{"5,3,1-2", "1-3,5"},
    {"63-64", "63-64"}, {"0,63,64,127,1023", "0,63-64,127,1023"},
    {"1023", "1023"},	{"0-1023", "0-1023"},
};

START_TEST(test_format_nodes)
{
	struct mpol_nodemask m = mask_of(format_cases[_i].nodes), back;
	char buf[64], err[256] = "";
	size_t n = mpol_format_nodes(&m, buf, sizeof(buf));

	ck_assert_str_eq(buf, format_cases[_i].want);
	ck_assert_uint_eq(n, strlen(format_cases[_i].want));
	ck_assert_uint_eq(mpol_format_nodes(&m, NULL, 0), n);
	if (n == 0)
		return;
	/* what it writes parses back to the same mask */
	ck_assert_int_eq(mpol_parse_nodes(buf, "test", &back, err, sizeof(err)), 0);
	ck_assert(memcmp(&back, &m, sizeof(m)) == 0);
}
END_TEST

START_TEST(test_format_nodes_truncated)
{
	struct mpol_nodemask m = mask_of("0-3,7");
	char buf[4];

	ck_assert_uint_eq(mpol_format_nodes(&m, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "0-3");
	ck_assert_uint_eq(mpol_format_nodes(&m, buf, 1), 5);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* ---- names ---- */

START_TEST(test_names)
{
	static const char *const modes[] = {
	    "MPOL_DEFAULT",
	    "MPOL_PREFERRED",
	    "MPOL_BIND",
	    "MPOL_INTERLEAVE",
	    "MPOL_LOCAL",
	    "MPOL_PREFERRED_MANY",
	    "MPOL_WEIGHTED_INTERLEAVE",
	};
	static const char *const flags[] = {
	    "MPOL_F_NUMA_BALANCING",
	    "MPOL_F_RELATIVE_NODES",
	    "MPOL_F_STATIC_NODES",
	};

	for (int i = 0; i < NELEM(modes); i++) {
		ck_assert_str_eq(mpol_mode_names[i], modes[i]);
		ck_assert_str_eq(mpol_mode_name(i), modes[i]);
	}
	ck_assert_ptr_null(mpol_mode_names[NELEM(modes)]);
	ck_assert_ptr_null(mpol_mode_name(-1));
	ck_assert_ptr_null(mpol_mode_name(NELEM(modes)));
	for (int i = 0; i < NELEM(flags); i++)
		ck_assert_str_eq(mpol_flag_names[i], flags[i]);
	ck_assert_ptr_null(mpol_flag_names[NELEM(flags)]);
	ck_assert_str_eq(mpol_flag_name(F_NB), "MPOL_F_NUMA_BALANCING");
	ck_assert_str_eq(mpol_flag_name(F_REL), "MPOL_F_RELATIVE_NODES");
	ck_assert_str_eq(mpol_flag_name(F_STA), "MPOL_F_STATIC_NODES");
	ck_assert_ptr_null(mpol_flag_name(0));
	ck_assert_ptr_null(mpol_flag_name(1u << 12));
	ck_assert_ptr_null(mpol_flag_name(F_STA | F_REL));
}
END_TEST

/* ---- mpol_sys_set / mpol_sys_get: real round trips on this machine ----
 * The whole caller sequence runs in a forked child, so that the test
 * process keeps its own policy; the child reports a failure as a message
 * on a pipe and a non-zero exit status. Node 0 exists on every machine. */

static const struct {
	const char *mode, *nodes, *flags[2];
	size_t nflags;
	int want_mode;
	unsigned want_flags;
	bool want_node0;
} sys_cases[] = {
    {"MPOL_INTERLEAVE", "0", {NULL}, 0, MPOL_MODE_INTERLEAVE, 0, true},
    {"MPOL_BIND", "0", {"MPOL_F_STATIC_NODES"}, 1, MPOL_MODE_BIND, F_STA, true},
    {"MPOL_PREFERRED", "0", {NULL}, 0, MPOL_MODE_PREFERRED, 0, true},
    {"MPOL_BIND", "0", {"MPOL_F_NUMA_BALANCING"}, 1, MPOL_MODE_BIND, F_NB, true},
    {"MPOL_PREFERRED_MANY", "0", {NULL}, 0, MPOL_MODE_PREFERRED_MANY, 0, true},
    {"MPOL_WEIGHTED_INTERLEAVE", "0", {NULL}, 0, MPOL_MODE_WEIGHTED_INTERLEAVE, 0, true},
    /* Linux >= 5.14 reports MPOL_LOCAL itself (no longer PREFERRED) */
    {"MPOL_LOCAL", NULL, {NULL}, 0, MPOL_MODE_LOCAL, 0, false},
    {"MPOL_DEFAULT", NULL, {NULL}, 0, MPOL_MODE_DEFAULT, 0, false},
};

#define SKIP_EXIT 77

/* The child: 0 on success, SKIP_EXIT when the running kernel predates the
 * mode or flag (and rule 11 said so), else 1; the message goes into err. */
static int sys_round_trip(int i, char *err, size_t errlen)
{
	struct mpol_policy p, got;
	struct mpol_host host;

	if (mpol_policy_parse(sys_cases[i].mode, sys_cases[i].nodes, sys_cases[i].flags,
			      sys_cases[i].nflags, &p, err, errlen) < 0 ||
	    mpol_validate(&p, err, errlen) < 0 || mpol_host_probe(&host, err, errlen) < 0)
		return 1;
	if (mpol_validate_host(&p, &host, err, errlen) < 0)
		return strstr(err, " or later (running ") ? SKIP_EXIT : 1;
	if (mpol_apply(&p, mpol_sys_set, NULL, err, errlen) < 0 ||
	    mpol_read_back(mpol_sys_get, &got, err, errlen) < 0)
		return 1;
	if (got.mode != sys_cases[i].want_mode || got.flags != sys_cases[i].want_flags ||
	    got.has_nodes != sys_cases[i].want_node0 ||
	    (got.nodes.bits[0] & 1) != sys_cases[i].want_node0) {
		snprintf(err, errlen, "read back mode %d flags 0x%x has_nodes %d bits[0] 0x%lx",
			 got.mode, got.flags, got.has_nodes, got.nodes.bits[0]);
		return 1;
	}
	return 0;
}

START_TEST(test_sys_round_trip)
{
	char msg[512] = "";
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char err[512] = "";
		int code = sys_round_trip(_i, err, sizeof(err));

		close(fds[0]);
		if (write(fds[1], err, strlen(err)) < 0)
			_exit(2);
		_exit(code);
	}
	close(fds[1]);
	n = read(fds[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "%s: child died", sys_cases[_i].mode);
	if (WEXITSTATUS(status) == SKIP_EXIT) {
		fprintf(stderr, "skipped real %s: %s\n", sys_cases[_i].mode, msg);
		return;
	}
	ck_assert_msg(WEXITSTATUS(status) == 0, "%s: %s", sys_cases[_i].mode, msg);
}
END_TEST

/* ---- mpol_annotation_pick, mpol_annotation_parse (policy/annotation.c) ---- */

#define NRD "memory-policy.noderesource.dev"
#define NRI "memory-policy.nri.io"

static const struct {
	const char *keys[6];
	const char *container;
	int want; /* index, -1 for none */
} pick_cases[] = {
	{{NRD "/container.app", NRI "/container.app", NRD "/pod", NRI "/pod", NRD, NRI}, "app", 0},
	{{NRI, NRD, NRI "/pod", NRD "/pod", NRI "/container.app", NRD "/container.app"}, "app", 5},
	{{NRI "/container.app", NRD "/pod"}, "app", 0},
	{{NRD "/container.app", NRD "/pod"}, "side", 1},
	{{NRI "/pod", NRD "/pod", NRD}, "app", 1},
	{{NRI, NRD}, "app", 1},
	{{NRI}, NULL, 0},
	{{NRD "/container.app"}, NULL, -1},
	{{NRD "/container.app"}, "", -1},
	{{NRD "/container.ap"}, "app", -1},
	{{NRD "/container.app2"}, "app", -1},
	{{NRD "x", "memory-policy.noderesource.dev/", NRD "/pods"}, "app", -1},
	{{"org.example/pod", "io.kubernetes.cri.container-name"}, "app", -1},
};

START_TEST(test_annotation_pick)
{
	size_t n = 0;

	while (n < 6 && pick_cases[_i].keys[n])
		n++;
	ck_assert_int_eq(mpol_annotation_pick(pick_cases[_i].keys, n, pick_cases[_i].container),
			 pick_cases[_i].want);
}
END_TEST

#define A "annotations[\"k\"]"

static const struct {
	const char *text;
	int ret, mode;
	unsigned flags;
	const char *nodes; /* NULL: no nodes */
	const char *err;   /* the whole message when ret < 0 */
} annotation_cases[] = {
	{"mode: MPOL_BIND\nnodes: \"0-3\"\n", 0, MPOL_MODE_BIND, 0, "0-3", NULL},
	{"mode: MPOL_BIND\nnodes: 0-3\nflags: [MPOL_F_STATIC_NODES]", 0, MPOL_MODE_BIND, F_STA,
	 "0-3", NULL},
	{"mode: MPOL_INTERLEAVE\nnodes: '1,3'\nflags:\n  - MPOL_F_RELATIVE_NODES\n", 0,
	 MPOL_MODE_INTERLEAVE, F_REL, "1,3", NULL},
	{"# a comment\n---\nmode: MPOL_BIND # bind\nnodes: \"0\" # node 0\n", 0, MPOL_MODE_BIND, 0,
	 "0", NULL},
	{"{\"mode\":\"MPOL_BIND\",\"nodes\":\"2\",\"flags\":[\"MPOL_F_STATIC_NODES\"]}", 0,
	 MPOL_MODE_BIND, F_STA, "2", NULL},
	{"{mode: MPOL_PREFERRED, nodes: \"0\", flags: []}", 0, MPOL_MODE_PREFERRED, 0, "0", NULL},
	{"{ mode: MPOL_LOCAL }\n", 0, MPOL_MODE_LOCAL, 0, NULL, NULL},
	{"mode: MPOL_DEFAULT\r\n", 0, MPOL_MODE_DEFAULT, 0, NULL, NULL},
	{"mode: MPOL_PREFERRED\nnodes: \"\"", 0, MPOL_MODE_PREFERRED, 0, NULL, NULL},
	{"mode: MPOL_BIND\nflags: [MPOL_F_NUMA_BALANCING]\nnodes: \"0\"", 0, MPOL_MODE_BIND, F_NB,
	 "0", NULL},
	/* what the runtime reports, each naming the annotation */
	{"", -EINVAL, 0, 0, NULL, A ": mode: missing mode"},
	{"nodes: \"0\"", -EINVAL, 0, 0, NULL, A ": mode: missing mode"},
	{"mode: MPOL_BOND", -EINVAL, 0, 0, NULL, A ".mode: unknown mode \"MPOL_BOND\""},
	{"mode: MPOL_BIND", -EINVAL, 0, 0, NULL, A ".nodes: MPOL_BIND needs at least one node"},
	{"mode: MPOL_BIND\nnodes: \"0-\"", -EINVAL, 0, 0, NULL, NULL},
	{"mode: MPOL_BIND\nnodes: \"0\"\nflags: [MPOL_F_STATIC_NODES, MPOL_F_FOO]", -EINVAL, 0, 0,
	 NULL, A ".flags[1]: unknown flag \"MPOL_F_FOO\""},
	{"mode: MPOL_BIND\nnodez: \"0\"", -EINVAL, 0, 0, NULL, A ": unknown key \"nodez\""},
	{"mode: MPOL_BIND\nmode: MPOL_BIND", -EINVAL, 0, 0, NULL, A ": mode: given twice"},
	{"mode MPOL_BIND", -EINVAL, 0, 0, NULL, A ": expected \"key: value\""},
	{"mode: MPOL_BIND\nflags: MPOL_F_STATIC_NODES", -EINVAL, 0, 0, NULL,
	 A ": flags: expected a list"},
	{"mode: MPOL_BIND\nflags: [MPOL_F_STATIC_NODES", -EINVAL, 0, 0, NULL,
	 A ": flags: expected \",\" or \"]\""},
	{"mode: \"MPOL_BIND", -EINVAL, 0, 0, NULL, A ": unterminated quoted string"},
	{"mode: \"MPOL\\nBIND\"", -EINVAL, 0, 0, NULL,
	 A ": unsupported escape in a quoted string"},
	{"{mode: MPOL_BIND nodes: \"0\"}", -EINVAL, 0, 0, NULL, NULL},
	{"{mode: MPOL_LOCAL} x", -EINVAL, 0, 0, NULL, A ": text after the closing \"}\""},
	{"- mode: MPOL_BIND", -EINVAL, 0, 0, NULL, A ": expected a key: mode, nodes or flags"},
	{"mode: MPOL_BIND extra: 1", -EINVAL, 0, 0, NULL, A ".mode: unknown mode \"MPOL_BIND extra: 1\""},
};

START_TEST(test_annotation_parse)
{
	struct mpol_policy p = {.mode = -1};
	char err[512] = "";
	int r = mpol_annotation_parse(annotation_cases[_i].text, A, &p, err, sizeof(err));

	ck_assert_msg(r == annotation_cases[_i].ret, "%s: got %d (%s)", annotation_cases[_i].text, r,
		      err);
	if (r < 0) {
		ck_assert_int_eq(p.mode, -1);
		ck_assert_msg(!strncmp(err, A, strlen(A)), "%s", err);
		if (annotation_cases[_i].err)
			ck_assert_str_eq(err, annotation_cases[_i].err);
		return;
	}
	ck_assert_int_eq(p.mode, annotation_cases[_i].mode);
	ck_assert_uint_eq(p.flags, annotation_cases[_i].flags);
	ck_assert(p.has_nodes == (annotation_cases[_i].nodes != NULL));
	if (annotation_cases[_i].nodes) {
		struct mpol_nodemask want = mask_of(annotation_cases[_i].nodes);

		ck_assert(!memcmp(&p.nodes, &want, sizeof(want)));
	}
}
END_TEST

START_TEST(test_rename_field)
{
	char msg[128] = P ".nodes: x";

	mpol_rename_field(msg, sizeof(msg), A);
	ck_assert_str_eq(msg, A ".nodes: x");
	snprintf(msg, sizeof(msg), "linux.resources: y");
	mpol_rename_field(msg, sizeof(msg), A);
	ck_assert_str_eq(msg, "linux.resources: y");
	snprintf(msg, sizeof(msg), P ": z");
	mpol_rename_field(msg, sizeof(msg), P);
	ck_assert_str_eq(msg, P ": z");
}
END_TEST

/* ---- suite ---- */

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

#define ADD_LOOP(name, fn, table)                                                                  \
	do {                                                                                       \
		tc = tcase_create(name);                                                           \
		tcase_add_loop_test(tc, fn, 0, NELEM(table));                                      \
		suite_add_tcase(s, tc);                                                            \
	} while (0)

	ADD_LOOP("mpol_parse_mode", test_parse_mode, mode_cases);
	ADD_LOOP("mpol_parse_flag", test_parse_flag, flag_cases);
	ADD_LOOP("mpol_parse_nodes", test_parse_nodes, nodes_cases);
	tcase_add_test(tc, test_parse_nodes_field);
	ADD_LOOP("mpol_policy_parse", test_policy_parse, policy_cases);
	ADD_LOOP("mpol_validate", test_validate, validate_cases);
	tcase_add_test(tc, test_validate_empty_mask);
	ADD_LOOP("mpol_validate_host", test_validate_host, host_cases);
	tc = tcase_create("mpol_host_probe");
	tcase_add_test(tc, test_host_probe);
	suite_add_tcase(s, tc);
	ADD_LOOP("mpol_build_args", test_build_args, args_cases);
	tcase_add_test(tc, test_build_args_empty_mask);
	ADD_LOOP("mpol_apply", test_apply, apply_cases);
	tcase_add_loop_test(tc, test_apply_fail, 0, NELEM(apply_fail_cases));
	ADD_LOOP("mpol_read_back", test_read_back, read_cases);
	tcase_add_loop_test(tc, test_read_back_fail, 0, NELEM(read_fail_cases));
	ADD_LOOP("mpol_format_nodes", test_format_nodes, format_cases);
	tcase_add_test(tc, test_format_nodes_truncated);
	tc = tcase_create("mpol_mode_name/mpol_flag_name");
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	ADD_LOOP("mpol_sys_set/mpol_sys_get", test_sys_round_trip, sys_cases);
	/* the real system calls, in a forked child: tests/cross-aarch64.sh
	 * leaves them out under qemu-user, which hangs in that fork */
	tcase_set_tags(tc, "host-kernel");
	ADD_LOOP("mpol_annotation_pick", test_annotation_pick, pick_cases);
	ADD_LOOP("mpol_annotation_parse", test_annotation_parse, annotation_cases);
	tcase_add_test(tc, test_rename_field);
#undef ADD_LOOP
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
