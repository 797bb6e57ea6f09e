/* kernel.c - what the running kernel and host offer: probe them, check a
 * policy against them (rules 10 and 11), and apply the policy, turning the
 * kernel's bare errno into the rule it broke. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "mempolicy.h"

#define ONLINE_PATH "/sys/devices/system/node/online"
/* Room for the longest node list of MPOL_MAX_NODES nodes ("0,2,4,...,1022",
 * about 2000 characters) in a message. */
#define LIST_MAX 2048

/* Rule 11: the first kernel with each mode or flag. */
struct requirement {
	int mode;      /* -1: a flag */
	unsigned flag; /* 0: a mode */
	int major, minor;
};

static const struct requirement requirements[] = {
    {MPOL_MODE_PREFERRED_MANY, 0, 5, 15},
    {MPOL_MODE_WEIGHTED_INTERLEAVE, 0, 6, 9},
    {-1, MPOL_FLAG_NUMA_BALANCING, 5, 12},
};

static bool older(int major, int minor, const struct requirement *req)
{
	return major < req->major || (major == req->major && minor < req->minor);
}

/* Rule 11: reports the first mode or flag of the policy that a kernel
 * major.minor lacks. */
static int check_kernel(const struct mpol_policy *policy, int major, int minor, char *err,
			size_t errlen)
{
	for (size_t i = 0; i < sizeof(requirements) / sizeof(requirements[0]); i++) {
		const struct requirement *req = &requirements[i];
		bool used =
		    req->flag ? (policy->flags & req->flag) != 0 : policy->mode == req->mode;

		if (!used || !older(major, minor, req))
			continue;
		snprintf(err, errlen,
			 "linux.memoryPolicy.%s: %s needs Linux %d.%d or later (running %d.%d)",
			 req->flag ? "flags" : "mode",
			 req->flag ? mpol_flag_name(req->flag) : mpol_mode_name(req->mode),
			 req->major, req->minor, major, minor);
		return -EINVAL;
	}
	return 0;
}

static bool mask_empty(const struct mpol_nodemask *mask)
{
	for (size_t i = 0; i < MPOL_MASK_WORDS; i++)
		if (mask->bits[i])
			return false;
	return true;
}

static bool masks_intersect(const struct mpol_nodemask *a, const struct mpol_nodemask *b)
{
	for (size_t i = 0; i < MPOL_MASK_WORDS; i++)
		if (a->bits[i] & b->bits[i])
			return true;
	return false;
}

int mpol_validate_host(const struct mpol_policy *policy, const struct mpol_host *host, char *err,
		       size_t errlen)
{
	/* Rule 10. RELATIVE nodes are positions within the allowed set, not
	 * node ids, so they need not exist. */
	if (policy->has_nodes && !mask_empty(&policy->nodes) &&
	    !(policy->flags & MPOL_FLAG_RELATIVE_NODES) &&
	    !masks_intersect(&policy->nodes, &host->online)) {
		char want[LIST_MAX], online[LIST_MAX];

		mpol_format_nodes(&policy->nodes, want, sizeof(want));
		mpol_format_nodes(&host->online, online, sizeof(online));
		snprintf(err, errlen,
			 "linux.memoryPolicy.nodes: no node of \"%s\" is online (online: %s)", want,
			 online);
		return -EINVAL;
	}
	return check_kernel(policy, host->kernel_major, host->kernel_minor, err, errlen);
}

/* "6.18.44-fc-v669" -> 6, 18. */
static int kernel_version(int *ret_major, int *ret_minor, char *err, size_t errlen)
{
	struct utsname u;
	int major, minor;

	if (uname(&u) < 0) {
		int e = errno;

		snprintf(err, errlen, "uname: %s", strerror(e));
		return -e;
	}
	if (sscanf(u.release, "%d.%d", &major, &minor) != 2) {
		snprintf(err, errlen, "uname: cannot parse kernel release \"%s\"", u.release);
		return -EINVAL;
	}
	*ret_major = major;
	*ret_minor = minor;
	return 0;
}

/* A kernel built without NUMA has no node directory: node 0 only. sysfs
 * hands out a whole attribute (at most a page) in one read. */
static int read_online(struct mpol_nodemask *ret_online, char *err, size_t errlen)
{
	char buf[4096];
	ssize_t n;
	int fd, e;

	fd = open(ONLINE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		memset(ret_online, 0, sizeof(*ret_online));
		ret_online->bits[0] = 1;
		return 0;
	}
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", ONLINE_PATH, strerror(e));
		return -e;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	e = errno;
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", ONLINE_PATH, strerror(e));
		return -e;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return mpol_parse_nodes(buf, ONLINE_PATH, ret_online, err, errlen);
}

int mpol_host_probe(struct mpol_host *ret_host, char *err, size_t errlen)
{
	struct mpol_host h;
	int r;

	r = read_online(&h.online, err, errlen);
	if (r < 0)
		return r;
	r = kernel_version(&h.kernel_major, &h.kernel_minor, err, errlen);
	if (r < 0)
		return r;
	*ret_host = h;
	return 0;
}

/* "MPOL_BIND|MPOL_F_STATIC_NODES", flags in ascending bit order. */
static void describe_mode(const struct mpol_policy *policy, char *buf, size_t len)
{
	const char *name = mpol_mode_name(policy->mode);
	size_t off;

	if (name)
		off = (size_t)snprintf(buf, len, "%s", name);
	else
		off = (size_t)snprintf(buf, len, "%d", policy->mode);
	for (size_t i = 0; mpol_flag_names[i] && off < len; i++)
		if (policy->flags & ((unsigned)MPOL_FLAG_NUMA_BALANCING << i))
			off += (size_t)snprintf(buf + off, len - off, "|%s", mpol_flag_names[i]);
}

/* Why set_mempolicy failed with errno e, in the words of the rule. */
static int explain_failure(const struct mpol_policy *policy, const struct mpol_host *host, int e,
			   char *err, size_t errlen)
{
	char mode[128], nodes[LIST_MAX], ignored[128];
	int major, minor;

	if (e == ENOSYS) {
		snprintf(err, errlen,
			 "linux.memoryPolicy: the kernel has no NUMA support "
			 "(set_mempolicy: ENOSYS)");
		return -e;
	}
	/* A kernel that predates a mode or flag only says EINVAL. */
	if (e == EINVAL) {
		if (host) {
			major = host->kernel_major;
			minor = host->kernel_minor;
		} else if (kernel_version(&major, &minor, ignored, sizeof(ignored)) < 0) {
			major = minor = -1;
		}
		if (major >= 0 && check_kernel(policy, major, minor, err, errlen) < 0)
			return -e;
	}
	describe_mode(policy, mode, sizeof(mode));
	if (policy->has_nodes && !mask_empty(&policy->nodes)) {
		memcpy(nodes, "nodes ", 6);
		mpol_format_nodes(&policy->nodes, nodes + 6, sizeof(nodes) - 6);
	} else {
		snprintf(nodes, sizeof(nodes), "no nodes");
	}
	snprintf(err, errlen, "linux.memoryPolicy: set_mempolicy(%s, %s): %s", mode, nodes,
		 strerror(e));
	return -e;
}

int mpol_apply(const struct mpol_policy *policy, mpol_set_fn set, const struct mpol_host *host,
	       char *err, size_t errlen)
{
	struct mpol_args args;

	mpol_build_args(policy, &args);
	errno = 0;
	if (set(args.mode, args.mask, args.maxnode) == 0)
		return 0;
	return explain_failure(policy, host, errno ? errno : EIO, err, errlen);
}
