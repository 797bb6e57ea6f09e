#include <ctype.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_cache.h"
#include "seccomp_profile.h"
#include "util.h"

/* The vocabularies of linux.seccomp, one table each: the filter is built
 * from them and `features` lists them. */
static const struct {
	const char *name;
	uint32_t action; /* ERRNO and TRACE: with errnoRet (EPERM by default) */
	bool takes_errno;
} actions[] = {
	{"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false},
	{"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true},
	{"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false}, /* the old name of KILL_THREAD */
	{"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false},
	{"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false},
	{"SCMP_ACT_LOG", SCMP_ACT_LOG, false},
	{"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true},
	{"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false},
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE},
	{"SCMP_CMP_GT", SCMP_CMP_GT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
	{"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
	{"SCMP_CMP_NE", SCMP_CMP_NE},
};

/* libseccomp's attribute (to build) and the kernel's flag (to load) */
static const struct {
	const char *name;
	enum scmp_filter_attr attr;
	uint32_t flag;
} filter_flags[] = {
	{"SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC, SECCOMP_FILTER_FLAG_TSYNC},
	{"SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG, SECCOMP_FILTER_FLAG_LOG},
	{"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB, SECCOMP_FILTER_FLAG_SPEC_ALLOW},
};

/* The architectures libseccomp may know; `features` lists those a filter
 * built here takes (seccomp_arch_name_at). */
static const char *const archs[] = {
	"SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",    "SCMP_ARCH_X32",	     "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",     "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64",  "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",	     "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",   "SCMP_ARCH_PPC64",	     "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_S390",    "SCMP_ARCH_S390X",	    "SCMP_ARCH_PARISC",	     "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_RISCV64", "SCMP_ARCH_SHEB",	    "SCMP_ARCH_SH",
};

const char *seccomp_action_name_at(size_t i)
{
	return i < ARRAY_SIZE(actions) ? actions[i].name : NULL;
}

const char *seccomp_op_name_at(size_t i)
{
	return i < ARRAY_SIZE(ops) ? ops[i].name : NULL;
}

const char *seccomp_flag_name_at(size_t i)
{
	return i < ARRAY_SIZE(filter_flags) ? filter_flags[i].name : NULL;
}

static int parse_action(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (strcmp(name, actions[i].name) == 0) {
			*ret = actions[i].action;
			if (actions[i].takes_errno)
				*ret |= (has_errno ? errno_ret : EPERM) & 0x0000ffffU;
			return 0;
		}
	return -EINVAL;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64" */
static uint32_t parse_arch(const char *name)
{
	char lower[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name + 10) >= sizeof(lower))
		return 0;
	for (i = 0; name[10 + i]; i++)
		lower[i] = (char)tolower((unsigned char)name[10 + i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

/* One that a filter built here can take: libseccomp knows it and adds it
 * beside the native one (not one of the other byte order: EDOM). */
static bool arch_usable(scmp_filter_ctx ctx, const char *name)
{
	uint32_t arch = parse_arch(name);
	int r;

	if (!arch)
		return false;
	r = seccomp_arch_add(ctx, arch);
	return r == 0 || r == -EEXIST;
}

const char *seccomp_arch_name_at(size_t i)
{
	static bool probed;
	static const char *usable[ARRAY_SIZE(archs) + 1];

	if (!probed) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		size_t n = 0;

		for (size_t k = 0; ctx && k < ARRAY_SIZE(archs); k++)
			if (arch_usable(ctx, archs[k]))
				usable[n++] = archs[k];
		if (ctx)
			seccomp_release(ctx);
		probed = true;
	}
	return i < ARRAY_SIZE(archs) ? usable[i] : NULL;
}

static int add_args(const struct spec_seccomp_rule *rule, const char *path,
		    struct scmp_arg_cmp *cmps, struct rt_error *err)
{
	for (size_t i = 0; i < rule->nargs; i++) {
		const struct spec_seccomp_arg *a = &rule->args[i];
		size_t k;

		for (k = 0; k < ARRAY_SIZE(ops); k++)
			if (strcmp(a->op, ops[k].name) == 0)
				break;
		if (k == ARRAY_SIZE(ops))
			return rt_fail(err, EINVAL, "%s.args[%zu].op: unknown operator \"%s\"", path,
				       i, a->op);
		cmps[i] = (struct scmp_arg_cmp){a->index, ops[k].op, a->value, a->value_two};
	}
	return 0;
}

static bool repeats_an_index(const struct spec_seccomp_rule *rule)
{
	for (size_t i = 0; i < rule->nargs; i++)
		for (size_t j = i + 1; j < rule->nargs; j++)
			if (rule->args[i].index == rule->args[j].index)
				return true;
	return false;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t default_action,
		    const struct spec_seccomp_rule *rule, const char *path, struct rt_error *err)
{
	struct scmp_arg_cmp cmps[6 * 8];
	uint32_t action;
	int r;

	if (parse_action(rule->action, rule->has_errno, rule->errno_ret, &action) < 0)
		return rt_fail(err, EINVAL, "%s.action: unknown action \"%s\"", path, rule->action);
	if (rule->nargs > ARRAY_SIZE(cmps))
		return rt_fail(err, EINVAL, "%s.args: too many conditions", path);
	if ((r = add_args(rule, path, cmps, err)) < 0)
		return r;
	if (action == default_action)
		return 0; /* libseccomp refuses a rule that repeats the default */
	for (char **name = rule->names; *name; name++) {
		int nr = seccomp_syscall_resolve_name(*name);

		if (nr == __NR_SCMP_ERROR)
			continue; /* unknown here: profiles list syscalls of every arch */
		/* conditions on one argument cannot be AND-ed: one rule each (OR) */
		if (repeats_an_index(rule)) {
			r = 0;
			for (size_t i = 0; i < rule->nargs && r == 0; i++)
				r = seccomp_rule_add_array(ctx, action, nr, 1, &cmps[i]);
		} else {
			r = seccomp_rule_add_array(ctx, action, nr, (unsigned)rule->nargs, cmps);
		}
		if (r < 0)
			return rt_fail_errno(err, -r, "%s: add rule for %s", path, *name);
	}
	return 0;
}

static int configure(scmp_filter_ctx ctx, const struct spec_seccomp *c, struct rt_error *err)
{
	static const char path[] = "linux.seccomp";

	/* no_new_privs is process.noNewPrivileges' business, not libseccomp's.
	 * A binary tree of syscall numbers, not a chain: the kernel runs the
	 * filter over every syscall number when it loads it (its action
	 * cache, Linux 5.11) and on each call the container makes; with
	 * containerd's profile the load is ~0.35 ms faster (bench/README.md) */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		return rt_fail(err, EINVAL, "%s: cannot configure libseccomp", path);
	for (size_t i = 0; c->architectures && c->architectures[i]; i++) {
		uint32_t arch = parse_arch(c->architectures[i]);
		int r;

		if (!arch)
			return rt_fail(err, EINVAL, "%s.architectures[%zu]: unknown architecture "
						    "\"%s\"",
				       path, i, c->architectures[i]);
		r = seccomp_arch_add(ctx, arch);
		if (r < 0 && r != -EEXIST)
			return rt_fail_errno(err, -r, "%s.architectures[%zu]", path, i);
	}
	for (size_t i = 0; c->flags && c->flags[i]; i++) {
		size_t k;

		for (k = 0; k < ARRAY_SIZE(filter_flags); k++)
			if (strcmp(c->flags[i], filter_flags[k].name) == 0)
				break;
		if (k == ARRAY_SIZE(filter_flags))
			return rt_fail(err, EINVAL, "%s.flags[%zu]: unsupported flag \"%s\"", path,
				       i, c->flags[i]);
		if (seccomp_attr_set(ctx, filter_flags[k].attr, 1) < 0)
			return rt_fail(err, EINVAL, "%s.flags[%zu]: \"%s\" is not supported here",
				       path, i, c->flags[i]);
	}
	return 0;
}

/* libseccomp's context turned into the program it would load: exported
 * once here, in the parent, so the init loads it with one seccomp(2) and
 * runs no libseccomp code (nor its kernel probes) on copied-on-write pages. */
static int export_program(scmp_filter_ctx ctx, struct seccomp_filter *f, struct rt_error *err)
{
	cleanup_close int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0)
		return rt_fail_errno(err, errno, "linux.seccomp: memfd_create");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return rt_fail_errno(err, -r, "linux.seccomp: generate the filter");
	if (fstat(fd, &st) < 0)
		return rt_fail_errno(err, errno, "linux.seccomp: generate the filter");
	if (st.st_size <= 0 || st.st_size % (off_t)sizeof(struct sock_filter) ||
	    st.st_size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
		return rt_fail(err, E2BIG, "linux.seccomp: the filter has %lld bytes",
			       (long long)st.st_size);
	f->insns = malloc((size_t)st.st_size);
	if (!f->insns)
		return rt_fail(err, ENOMEM, "out of memory");
	if (pread(fd, f->insns, (size_t)st.st_size, 0) != st.st_size)
		return rt_fail_errno(err, errno ? errno : EIO, "linux.seccomp: read the filter");
	f->len = (size_t)st.st_size / sizeof(struct sock_filter);
	return 0;
}

/* The filter flags seccomp(2) takes, as libseccomp would pass them. */
static uint32_t load_flags(const struct spec_seccomp *c)
{
	uint32_t flags = 0;

	for (size_t i = 0; c->flags && c->flags[i]; i++)
		for (size_t k = 0; k < ARRAY_SIZE(filter_flags); k++)
			if (strcmp(c->flags[i], filter_flags[k].name) == 0)
				flags |= filter_flags[k].flag;
	return flags;
}

static int build(const struct spec_seccomp *c, struct seccomp_filter *f, struct rt_error *err)
{
	uint32_t default_action;
	scmp_filter_ctx ctx;
	char path[64];
	int r = 0;

	if (parse_action(c->default_action, c->has_default_errno, c->default_errno,
			 &default_action) < 0)
		return rt_fail(err, EINVAL, "linux.seccomp.defaultAction: unknown action \"%s\"",
			       c->default_action);
	ctx = seccomp_init(default_action);
	if (!ctx)
		return rt_fail(err, EINVAL, "linux.seccomp: cannot initialise libseccomp");
	r = configure(ctx, c, err);
	for (size_t i = 0; i < c->nrules && r == 0; i++) {
		snprintf(path, sizeof(path), "linux.seccomp.syscalls[%zu]", i);
		r = add_rule(ctx, default_action, &c->rules[i], path, err);
	}
	if (r == 0)
		r = export_program(ctx, f, err);
	seccomp_release(ctx);
	f->flags = load_flags(c);
	return r < 0 ? r : 0;
}

int seccomp_filter_build(const struct spec_seccomp *c, struct seccomp_filter **ret_filter,
			 struct rt_error *err)
{
	struct seccomp_filter *f = calloc(1, sizeof(*f));
	int r;

	if (!f)
		return rt_fail(err, ENOMEM, "out of memory");
	/* Kubernetes sends every container the same profile: the program built
	 * for it once is found again by the whole profile (seccomp_cache.c) */
	if (seccomp_cache_key(c, &f->key, &f->key_len) < 0)
		f->key = NULL;
	if (seccomp_cache_find(f) < 0 && (r = build(c, f, err)) < 0) {
		seccomp_filter_free(f);
		return r;
	}
	*ret_filter = f;
	return 0;
}

void seccomp_filter_remember(const struct seccomp_filter *filter)
{
	if (filter)
		seccomp_cache_store(filter);
}

int seccomp_filter_load(struct seccomp_filter *filter, struct rt_error *err)
{
	struct sock_fprog prog = {.len = (unsigned short)filter->len, .filter = filter->insns};
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, filter->flags, &prog);

	/* with TSYNC, a positive result names a thread that could not sync */
	if (r != 0)
		return rt_fail_errno(err, r > 0 ? ESRCH : errno, "linux.seccomp: load the filter");
	return 0;
}

void seccomp_filter_free(struct seccomp_filter *filter)
{
	if (filter) {
		free(filter->insns);
		free(filter->key);
		free(filter);
	}
}
