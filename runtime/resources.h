/* resources.h - linux.resources as plain C (parsed by spec_resources.c,
 * applied by cgroups*.c). An optional number is a struct opt_i64 whose
 * `set` says whether config.json had it. */
#ifndef MINI_RESOURCES_H
#define MINI_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct opt_i64 {
	bool set;
	int64_t v;
};

struct res_device_rule {
	bool allow;
	char type; /* 'a', 'c', 'b' */
	int64_t major, minor; /* -1 = any */
	char access[4];	      /* of "rwm" */
};

struct res_hugepage {
	char *page_size; /* "2MB" */
	uint64_t limit;
};

struct res_kv {
	char *key, *value;
};

/* One linux.resources.blockIO device entry: a weight (weightDevice) or a
 * rate (the throttle lists). */
struct res_blkio_device {
	int64_t major, minor;
	struct opt_i64 weight, leaf_weight;
	uint64_t rate;
};

enum blkio_throttle { THROTTLE_READ_BPS, THROTTLE_WRITE_BPS, THROTTLE_READ_IOPS,
		      THROTTLE_WRITE_IOPS, THROTTLE_N };

struct res_rdma {
	char *device;
	struct opt_i64 hca_handles, hca_objects;
};

/* One linux.resources.network.priorities entry. */
struct res_net_prio {
	char *name;
	uint32_t priority;
};

struct resources {
	struct opt_i64 mem_limit, mem_reservation, mem_swap, mem_swappiness;
	struct opt_i64 mem_kernel, mem_kernel_tcp;
	struct opt_i64 mem_use_hierarchy; /* 0 or 1 */
	bool mem_disable_oom_killer, mem_check_before_update;
	struct opt_i64 cpu_shares, cpu_quota, cpu_period, cpu_rt_runtime, cpu_rt_period, cpu_idle;
	struct opt_i64 cpu_burst;
	struct opt_i64 net_class_id;
	struct res_net_prio *net_prios;
	size_t nnet_prios;
	char *cpu_cpus, *cpu_mems;
	struct opt_i64 pids_limit;
	struct opt_i64 blkio_weight, blkio_leaf_weight;
	struct res_blkio_device *blkio_weight_devices;
	size_t nblkio_weight_devices;
	struct res_blkio_device *blkio_throttle[THROTTLE_N];
	size_t nblkio_throttle[THROTTLE_N];
	struct res_rdma *rdma;
	size_t nrdma;
	struct res_hugepage *hugepages;
	size_t nhugepages;
	struct res_device_rule *devices;
	size_t ndevices;
	struct res_kv *unified;
	size_t nunified;
};

/* Parses a linux.resources object given as JSON text (`update
 * --resources`); `path` prefixes messages ("linux.resources"). config.json's
 * is parsed with the rest of it (spec.h: spec->resources), by the same
 * code. */
int resources_parse(const char *json, const char *path, struct resources **ret,
		    struct rt_error *err);
/* One member linux.resources.OBJECT.KEY given as text, as `update`'s
 * flags give it: a decimal integer, or (string) a string. */
struct resources_value {
	const char *object, *key, *text;
	bool string;
};
/* The object the values make, through the same parser and checks as
 * config.json's linux.resources. */
int resources_parse_values(const struct resources_value *values, size_t n, const char *path,
			   struct resources **ret, struct rt_error *err);
void resources_free(struct resources *r);

#endif
