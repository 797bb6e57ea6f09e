#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "util.h"

static const char *const set_keys[CAP_SET_COUNT] = {"bounding", "effective", "inheritable",
						    "permitted", "ambient"};

int caps_from_name(const char *name, int *ret_bit)
{
	cap_value_t cap;

	/* libcap also takes bare numbers and names without CAP_ */
	if (strncasecmp(name, "CAP_", 4) != 0 || cap_from_name(name, &cap) < 0 || cap < 0 ||
	    cap > 63)
		return -EINVAL;
	*ret_bit = cap;
	return 0;
}

int caps_parse(struct spec_process *p, const char *path, struct rt_error *err)
{
	for (int s = 0; s < CAP_SET_COUNT; s++) {
		p->cap_masks[s] = 0;
		for (size_t i = 0; p->caps[s] && p->caps[s][i]; i++) {
			int cap;

			if (caps_from_name(p->caps[s][i], &cap) < 0)
				return rt_fail(err, EINVAL,
					       "%s.capabilities.%s[%zu]: unknown capability \"%s\"",
					       path, set_keys[s], i, p->caps[s][i]);
			p->cap_masks[s] |= 1ULL << cap;
		}
	}
	return 0;
}

int caps_drop_bounding(const struct spec_process *p, struct rt_error *err)
{
	int last = (int)cap_max_bits() - 1;

	if (!p->has_caps)
		return 0;
	for (int cap = 0; cap <= last; cap++) {
		if (p->cap_masks[CAP_SET_BOUNDING] & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return rt_fail_errno(err, errno, "process.capabilities.bounding: drop %s",
					     cap_to_name(cap));
	}
	return 0;
}

uint64_t caps_leave_out_ungrantable(struct spec_process *p)
{
	int last = (int)cap_max_bits() - 1;
	uint64_t out = 0;
	cap_t own;

	if (!p->has_caps || !(own = cap_get_proc()))
		return 0;
	for (int s = 0; s < CAP_SET_COUNT; s++) {
		/* capabilities the kernel does not know are ignored (caps_apply) */
		for (int cap = 0; cap <= last; cap++) {
			cap_flag_value_t held = CAP_CLEAR;

			if (!(p->cap_masks[s] & (1ULL << cap)) ||
			    (cap_get_flag(own, cap, CAP_PERMITTED, &held) == 0 && held == CAP_SET))
				continue;
			p->cap_masks[s] &= ~(1ULL << cap);
			out |= 1ULL << cap;
		}
	}
	cap_free(own);
	return out;
}

void caps_format(uint64_t mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int cap = 0; cap < 64 && n < len; cap++) {
		char *name;

		if (!(mask & (1ULL << cap)))
			continue;
		name = cap_to_name(cap);
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name ? name : "?");
		cap_free(name);
	}
}

static int fill_set(cap_t caps, cap_flag_t flag, uint64_t mask, int last)
{
	for (int cap = 0; cap <= last; cap++) {
		cap_value_t v = cap;

		if ((mask & (1ULL << cap)) && cap_set_flag(caps, flag, 1, &v, CAP_SET) < 0)
			return -errno;
	}
	return 0;
}

int caps_apply(const struct spec_process *p, struct rt_error *err)
{
	int last = (int)cap_max_bits() - 1, r;
	uint64_t ambient;
	cap_t caps;

	if (!p->has_caps)
		return 0;
	caps = cap_init();
	if (!caps)
		return rt_fail_errno(err, errno, "process.capabilities");
	/* capabilities the kernel does not know are ignored, as runc does */
	r = fill_set(caps, CAP_EFFECTIVE, p->cap_masks[CAP_SET_EFFECTIVE], last);
	if (r == 0)
		r = fill_set(caps, CAP_PERMITTED, p->cap_masks[CAP_SET_PERMITTED], last);
	if (r == 0)
		r = fill_set(caps, CAP_INHERITABLE, p->cap_masks[CAP_SET_INHERITABLE], last);
	if (r == 0 && cap_set_proc(caps) < 0)
		r = -errno;
	cap_free(caps);
	if (r < 0)
		return rt_fail_errno(err, -r, "process.capabilities: set effective, permitted and "
					      "inheritable");
	/* one prctl, where libcap's reset asks about every capability */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return rt_fail_errno(err, errno, "process.capabilities.ambient: reset");
	/* the kernel allows only what is permitted and inheritable; like runc
	 * and crun, skip the others (runc's default spec asks for them) */
	ambient = p->cap_masks[CAP_SET_AMBIENT] & p->cap_masks[CAP_SET_PERMITTED] &
		  p->cap_masks[CAP_SET_INHERITABLE];
	for (int cap = 0; cap <= last; cap++) {
		if (!(ambient & (1ULL << cap)))
			continue;
		if (cap_set_ambient(cap, CAP_SET) < 0 && errno != EPERM)
			return rt_fail_errno(err, errno, "process.capabilities.ambient: raise %s",
					     cap_to_name(cap));
	}
	return 0;
}
