/* cgroups_devices_policy.c - a rule list replayed as v1's device cgroup
 * would (security/device_cgroup.c, devcgroup_update_access), so the v2
 * program decides exactly as the same list does on v1:
 *   - "a" (any access, any numbers) resets: default allow or deny, no
 *     exceptions left;
 *   - a rule whose verdict is the default's removes its access from the
 *     exception with the very same type and numbers (none: nothing; a
 *     wildcard exception is not split, as the kernel does not);
 *   - otherwise it adds its access to that exception, or adds one.
 * The start is deny-all, as runc's emulator: a list that does not begin
 * with "a" is an allow-list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups_devices.h"

unsigned dev_access_bits(const char *access)
{
	unsigned bits = 0;

	for (const char *c = access; *c; c++)
		bits |= *c == 'r' ? BPF_DEVCG_ACC_READ
			: *c == 'w' ? BPF_DEVCG_ACC_WRITE
			: *c == 'm' ? BPF_DEVCG_ACC_MKNOD
				    : 0;
	return bits;
}

static struct dev_exception *find(struct dev_policy *p, const struct res_device_rule *r)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->ex[i].type == r->type && p->ex[i].major == r->major &&
		    p->ex[i].minor == r->minor)
			return &p->ex[i];
	return NULL;
}

static void add(struct dev_policy *p, const struct res_device_rule *r)
{
	struct dev_exception *e = find(p, r);

	if (!e) {
		e = &p->ex[p->n++]; /* room for one per rule: allocated so */
		*e = (struct dev_exception){.type = r->type, .major = r->major, .minor = r->minor};
	}
	e->access |= dev_access_bits(r->access);
}

static void rm(struct dev_policy *p, const struct res_device_rule *r)
{
	struct dev_exception *e = find(p, r);

	if (!e)
		return;
	e->access &= ~dev_access_bits(r->access);
	if (!e->access) {
		/* kept in order: the program's blocks follow it */
		size_t i = (size_t)(e - p->ex);
		memmove(e, e + 1, (p->n - i - 1) * sizeof(*e));
		p->n--;
	}
}

int dev_policy_build(const struct res_device_rule *rules, size_t n, struct dev_policy *ret,
		     struct rt_error *err)
{
	struct dev_policy p = {.default_allow = false};

	p.ex = calloc(n ? n : 1, sizeof(*p.ex));
	if (!p.ex)
		return rt_fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct res_device_rule *r = &rules[i];

		if (r->type == 'a') {
			/* the kernel reads only the 'a' of such a line */
			p.default_allow = r->allow;
			p.n = 0;
		} else if (r->allow == p.default_allow) {
			rm(&p, r);
		} else {
			add(&p, r);
		}
	}
	*ret = p;
	return 0;
}

void dev_policy_free(struct dev_policy *p)
{
	free(p->ex);
	*p = (struct dev_policy){0};
}
