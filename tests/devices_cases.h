/* devices_cases.h - device rule lists and what v1 decides for them, shared
 * by check_devices.c (the program, run by a small interpreter) and
 * check_devices_kernel.c (the program in the kernel, and the same list
 * written to a real v1 devices cgroup). Rules are "+" (allow) or "-"
 * (deny), then as devices.allow takes them; every list starts from
 * deny-all (runc's emulator; the kernel test writes "a" to devices.deny
 * first). Queries: type, major, minor, access ("r", "w", "rw" as open(2)
 * asks, "m" as mknod(2)). 240-254 are the local/experimental majors: no
 * driver answers them, so an open the rules allow fails with ENXIO, and
 * only a refusal is EPERM. */
#ifndef DEVICES_CASES_H
#define DEVICES_CASES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups_devices.h"

struct dev_query {
	char type;
	int major, minor;
	const char *access;
	bool allowed;
};

struct dev_case {
	const char *name;
	const char *rules[8];
	struct dev_query q[6];
};

static const struct dev_case dev_cases[] = {
	{"deny all, then one allowed",
	 {"-a", "+c 1:3 rwm"},
	 {{'c', 1, 3, "rw", true}, {'c', 1, 5, "r", false}, {'c', 240, 0, "m", false},
	  {'b', 240, 0, "r", false}}},
	{"allow all, then one denied",
	 {"+a", "-c 240:1 rwm"},
	 {{'c', 240, 1, "r", false}, {'c', 240, 2, "rw", true}, {'b', 240, 1, "r", true},
	  {'c', 240, 1, "m", false}}},
	{"a later rule overrides an earlier one",
	 {"-a", "+c 240:1 rwm", "-c 240:1 w"},
	 {{'c', 240, 1, "r", true}, {'c', 240, 1, "w", false}, {'c', 240, 1, "rw", false},
	  {'c', 240, 1, "m", true}}},
	{"access given in two rules for one device adds up",
	 {"-a", "+c 240:1 r", "+c 240:1 w"},
	 {{'c', 240, 1, "rw", true}, {'c', 240, 1, "m", false}}},
	{"a wildcard minor",
	 {"-a", "+c 240:* rw"},
	 {{'c', 240, 7, "rw", true}, {'c', 241, 0, "r", false}, {'c', 240, 7, "m", false},
	  {'b', 240, 7, "r", false}}},
	{"a wildcard major",
	 {"-a", "+c *:5 r"},
	 {{'c', 240, 5, "r", true}, {'c', 241, 5, "r", true}, {'c', 241, 6, "r", false},
	  {'c', 1, 5, "w", false}}},
	{"a narrower deny does not split a wildcard allow (v1 ignores it)",
	 {"-a", "+c 240:* rwm", "-c 240:1 rwm"},
	 {{'c', 240, 1, "r", true}, {'c', 240, 2, "rw", true}}},
	{"deny-list: a deny sharing one bit with the access asked refuses it",
	 {"+a", "-c 240:1 w"},
	 {{'c', 240, 1, "rw", false}, {'c', 240, 1, "r", true}, {'c', 240, 1, "w", false},
	  {'c', 240, 1, "m", true}}},
	{"a later \"a\" resets the list",
	 {"-a", "+c 240:1 rwm", "+a", "-c 240:2 r"},
	 {{'c', 240, 1, "rw", true}, {'c', 240, 2, "r", false}, {'c', 240, 2, "w", true},
	  {'c', 240, 3, "m", true}}},
	{"without a leading \"a\" the list is an allow-list",
	 {"+c 240:1 r"},
	 {{'c', 240, 1, "r", true}, {'c', 240, 2, "r", false}, {'c', 240, 1, "w", false}}},
	{"block devices are not char devices",
	 {"-a", "+b 240:0 r"},
	 {{'b', 240, 0, "r", true}, {'b', 240, 0, "w", false}, {'c', 240, 0, "r", false}}},
	{"a deny of access never allowed is a no-op",
	 {"-a", "-c 240:1 r", "+c 240:1 w"},
	 {{'c', 240, 1, "w", true}, {'c', 240, 1, "r", false}}},
	{"mknod of anything, open of nothing",
	 {"-a", "+c *:* m"},
	 {{'c', 240, 3, "m", true}, {'c', 240, 3, "r", false}, {'b', 240, 3, "m", false}}},
};

#define DEV_NCASES (sizeof(dev_cases) / sizeof(dev_cases[0]))

/* "+c 1:3 rwm" -> a rule; false if malformed. */
static inline bool dev_case_rule(const char *s, struct res_device_rule *r)
{
	char maj[16], min[16], acc[8] = "rwm";

	*r = (struct res_device_rule){.allow = s[0] == '+', .type = s[1], .major = -1,
				      .minor = -1};
	snprintf(r->access, sizeof(r->access), "rwm");
	if (r->type == 'a')
		return true;
	if (sscanf(s + 2, " %15[^:]:%15s %7s", maj, min, acc) != 3)
		return false;
	if (strcmp(maj, "*") != 0)
		r->major = atoi(maj);
	if (strcmp(min, "*") != 0)
		r->minor = atoi(min);
	snprintf(r->access, sizeof(r->access), "%s", acc);
	return true;
}

/* The case's rules into rules[]; their number. */
static inline size_t dev_case_rules(const struct dev_case *c, struct res_device_rule *rules)
{
	size_t n = 0;

	while (n < 8 && c->rules[n] && dev_case_rule(c->rules[n], &rules[n]))
		n++;
	return n;
}

static inline size_t dev_case_nqueries(const struct dev_case *c)
{
	size_t n = 0;

	while (n < 6 && c->q[n].type)
		n++;
	return n;
}

#endif
