/* cgroups_blkio.c - linux.resources.blockIO on v1's blkio files or v2's io
 * files: weights (BFQ's files where the kernel has them, as runc) and the
 * per-device throttles. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgroups_internal.h"

#define F "linux.resources.blockIO."

/* Writes value to the first of files that takes it (kernels name the
 * weight files after the I/O scheduler). */
static int write_first(const struct cgroup_dir *d, const char *const *files, const char *value,
		       const char *field, struct rt_error *err)
{
	int r = -ENOENT;

	for (; *files; files++) {
		r = cg_write(d, *files, value, field, err);
		if (r == 0)
			return 0;
	}
	return r;
}

static int weights_v1(const struct cgroup_dir *d, const struct resources *r, struct rt_error *err)
{
	static const char *const weight[] = {"blkio.weight", "blkio.bfq.weight", NULL};
	static const char *const leaf[] = {"blkio.leaf_weight", NULL};
	static const char *const dev_weight[] = {"blkio.weight_device", "blkio.bfq.weight_device",
						 NULL};
	static const char *const dev_leaf[] = {"blkio.leaf_weight_device", NULL};
	char b[64], field[96];

	if (r->blkio_weight.set) {
		snprintf(b, sizeof(b), "%" PRId64, r->blkio_weight.v);
		if (write_first(d, weight, b, F "weight", err) < 0)
			return -EINVAL;
	}
	if (r->blkio_leaf_weight.set) {
		snprintf(b, sizeof(b), "%" PRId64, r->blkio_leaf_weight.v);
		if (write_first(d, leaf, b, F "leafWeight", err) < 0)
			return -EINVAL;
	}
	for (size_t i = 0; i < r->nblkio_weight_devices; i++) {
		const struct res_blkio_device *x = &r->blkio_weight_devices[i];

		snprintf(field, sizeof(field), F "weightDevice[%zu]", i);
		snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %" PRId64, x->major, x->minor,
			 x->weight.v);
		if (x->weight.set && write_first(d, dev_weight, b, field, err) < 0)
			return -EINVAL;
		snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %" PRId64, x->major, x->minor,
			 x->leaf_weight.v);
		if (x->leaf_weight.set && write_first(d, dev_leaf, b, field, err) < 0)
			return -EINVAL;
	}
	return 0;
}

/* v2: BFQ's io.bfq.weight takes the v1 range as it is; io.weight (the
 * io.cost controller's) takes [1, 10000], converted as runc does. */
static int weights_v2(const struct cgroup_dir *d, const struct resources *r, struct rt_error *err)
{
	char b[64], field[96];
	bool bfq = cg_exists(d, "io.bfq.weight");

	if (r->blkio_leaf_weight.set)
		return rt_fail(err, ENOTSUP, F "leafWeight: cgroup v2 has no leaf weight");
	if (r->blkio_weight.set) {
		int64_t w = r->blkio_weight.v;

		snprintf(b, sizeof(b), "%" PRId64, bfq ? w : 1 + ((w - 10) * 9999) / 990);
		if (cg_write(d, bfq ? "io.bfq.weight" : "io.weight", b, F "weight", err) < 0)
			return -EINVAL;
	}
	for (size_t i = 0; i < r->nblkio_weight_devices; i++) {
		const struct res_blkio_device *x = &r->blkio_weight_devices[i];

		snprintf(field, sizeof(field), F "weightDevice[%zu]", i);
		if (x->leaf_weight.set)
			return rt_fail(err, ENOTSUP, "%s.leafWeight: cgroup v2 has no leaf weight",
				       field);
		if (!x->weight.set)
			continue;
		if (!bfq)
			return rt_fail(err, ENOTSUP,
				       "%s: per-device weights need the BFQ I/O scheduler "
				       "(io.bfq.weight), which this kernel does not have",
				       field);
		snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %" PRId64, x->major, x->minor,
			 x->weight.v);
		if (cg_write(d, "io.bfq.weight", b, field, err) < 0)
			return -EINVAL;
	}
	return 0;
}

static int throttles(const struct cgroup_dir *d, const struct resources *r, struct rt_error *err)
{
	static const char *const v1_file[THROTTLE_N] = {
		"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
	static const char *const v2_key[THROTTLE_N] = {"rbps", "wbps", "riops", "wiops"};
	static const char *const name[THROTTLE_N] = {
		"throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
		"throttleWriteIOPSDevice"};
	char b[96], field[96];

	for (int t = 0; t < THROTTLE_N; t++) {
		for (size_t i = 0; i < r->nblkio_throttle[t]; i++) {
			const struct res_blkio_device *x = &r->blkio_throttle[t][i];

			snprintf(field, sizeof(field), F "%s[%zu]", name[t], i);
			if (d->v2)
				snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, x->major,
					 x->minor, v2_key[t], x->rate);
			else
				snprintf(b, sizeof(b), "%" PRId64 ":%" PRId64 " %" PRIu64, x->major,
					 x->minor, x->rate);
			if (cg_write(d, d->v2 ? "io.max" : v1_file[t], b, field, err) < 0)
				return -EINVAL;
		}
	}
	return 0;
}

bool cg_blkio_needed(const struct resources *r)
{
	size_t n = r->nblkio_weight_devices;

	for (int t = 0; t < THROTTLE_N; t++)
		n += r->nblkio_throttle[t];
	return r->blkio_weight.set || r->blkio_leaf_weight.set || n > 0;
}

int cg_apply_blkio(const struct cgroups *cgroups, const struct resources *r, struct rt_error *err)
{
	const struct cgroup_dir *d;

	if (!cg_blkio_needed(r))
		return 0;
	d = cg_find(cgroups, "blkio", "io.max");
	if (!d)
		return rt_fail(err, ENOTSUP, "linux.resources.blockIO: no io controller here");
	if ((d->v2 ? weights_v2(d, r, err) : weights_v1(d, r, err)) < 0)
		return -EINVAL;
	return throttles(d, r, err);
}
