/* cgroups_devices.h - the container's device rules, on either back end.
 *
 * One rule list (linux.resources.devices in order, the nodes every
 * container gets, the nodes of linux.devices) is written as it is to v1's
 * devices.allow/deny (cgroups_devices.c), or on cgroup v2 turned into the
 * state v1 would reach with it (cgroups_devices_policy.c), that state into
 * a BPF_PROG_TYPE_CGROUP_DEVICE program (cgroups_devices_prog.c), and the
 * program loaded and attached to the container's directory
 * (cgroups_devices_bpf.c). The policy and the program are pure: the unit
 * tests run them without root. */
#ifndef MINI_CGROUPS_DEVICES_H
#define MINI_CGROUPS_DEVICES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "resources.h"
#include "spec.h"

/* The rules in the order v1 would get them: v[0, nspec) are
 * linux.resources.devices, then ndefault defaults, then linux.devices. */
struct dev_rule_list {
	struct res_device_rule *v;
	size_t n, nspec, ndefault;
};

/* Builds the list from res (may be NULL) and spec (NULL: no linux.devices,
 * as on `update`). *ret owns v; dev_rule_list_free frees it. */
int dev_rule_list_build(const struct resources *res, const struct spec *spec,
			struct dev_rule_list *ret, struct rt_error *err);
void dev_rule_list_free(struct dev_rule_list *l);
/* The JSON path rule i came from, for messages. */
const char *dev_rule_field(const struct dev_rule_list *l, size_t i, char *buf, size_t len);

/* BPF_DEVCG_ACC_* bits of an access string of "rwm". */
unsigned dev_access_bits(const char *access);

/* One entry of v1's exception list: a device (-1 = any major or minor) and
 * the access it is excepted for. */
struct dev_exception {
	char type; /* 'c' or 'b' */
	int64_t major, minor;
	unsigned access; /* BPF_DEVCG_ACC_* */
};

/* What v1's device cgroup holds after a rule list (the kernel's
 * security/device_cgroup.c): a default and the exceptions to it. */
struct dev_policy {
	bool default_allow;
	size_t n;
	struct dev_exception *ex;
};

/* Replays rules as v1 would, starting from deny-all (runc's emulator: a
 * fresh list is an allow-list). */
int dev_policy_build(const struct res_device_rule *rules, size_t n, struct dev_policy *ret,
		     struct rt_error *err);
void dev_policy_free(struct dev_policy *p);

/* The program deciding as p would, one block per exception. */
struct dev_prog {
	struct bpf_insn *insn;
	size_t n;
};

int dev_prog_build(const struct dev_policy *p, struct dev_prog *ret, struct rt_error *err);
void dev_prog_free(struct dev_prog *p);

/* The name the program is loaded under: how `update` tells ours from
 * programs others attached to the same directory. */
#define DEV_PROG_NAME "mini_devices"

/* BPF_PROG_LOAD; on a verifier rejection err carries the log's end. */
int dev_bpf_load(const struct dev_prog *p, int *ret_fd, struct rt_error *err);
/* Attaches prog_fd to the cgroup directory dirfd with BPF_F_ALLOW_MULTI
 * (the programs of the parents still run; any deny wins), replacing ours
 * if one is attached there already: atomically with BPF_F_REPLACE, else
 * (before Linux 5.6) the new one first, then the old one detached. The
 * attachment outlives every fd: it holds the program until the cgroup goes. */
int dev_bpf_install(int dirfd, int prog_fd, struct rt_error *err);
/* The same, never trying BPF_F_REPLACE: the old kernels' path, for tests. */
int dev_bpf_install_no_replace(int dirfd, int prog_fd, struct rt_error *err);
/* How many programs named DEV_PROG_NAME are attached directly to dirfd. */
int dev_bpf_count_ours(int dirfd, size_t *ret_n, struct rt_error *err);

/* The whole v2 path: rules -> policy -> program -> loaded -> installed on
 * the directory `dir`. */
int dev_bpf_apply(const char *dir, const struct dev_rule_list *rules, struct rt_error *err);

#endif
