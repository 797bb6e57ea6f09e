/* check_cgroups.c - unit tests of the cgroup hierarchy discovery and
 * selection (cgroups.c): co-mounted v1 controllers, as systemd mounts
 * them, cannot be set up on this test host, whose controllers are
 * mounted one per hierarchy. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups_internal.h"

/* A systemd host on cgroup v1 (the hybrid layout), one line per mount. */
static const char systemd_v1[] =
	"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
	"25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
	"26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw\n"
	"27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,name=systemd\n"
	"30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:14 - cgroup cgroup rw,cpu,cpuacct\n"
	"31 25 0:28 / /sys/fs/cgroup/freezer rw,nosuid shared:15 - cgroup cgroup rw,freezer\n"
	"32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw shared:16 - cgroup cgroup rw,net_cls,net_prio\n"
	"33 25 0:30 / /sys/fs/cgroup/memory rw,nosuid shared:17 - cgroup cgroup rw,memory\n";

static const struct cgroup_dir *named(const struct cgroups *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->d[i].name, name) == 0)
			return &set->d[i];
	return NULL;
}

START_TEST(mountinfo_lists_the_cgroup_mounts)
{
	struct cgroups *set = cg_parse_mountinfo(systemd_v1, "/x/c1");

	ck_assert_uint_eq(set->n, 6); /* not /proc, not the tmpfs */
	ck_assert_ptr_nonnull(named(set, "unified"));
	ck_assert(named(set, "unified")->v2);
	ck_assert_str_eq(named(set, "cpu,cpuacct")->dir, "/sys/fs/cgroup/cpu,cpuacct/x/c1");
	ck_assert(!named(set, "cpu,cpuacct")->v2);
	ck_assert_str_eq(named(set, "cpu,cpuacct")->top, "");
	free(set);
}
END_TEST

START_TEST(a_co_mounted_controller_is_found)
{
	struct cgroups *set = cg_parse_mountinfo(systemd_v1, "/x/c1");
	const struct cgroup_dir *cpu;

	cpu = named(set, "cpu,cpuacct");
	ck_assert(cg_has(cpu, "cpu"));
	ck_assert(cg_has(cpu, "cpuacct"));
	ck_assert(!cg_has(cpu, "cpus"));
	ck_assert(!cg_has(cpu, "acct"));
	ck_assert(cg_has(named(set, "net_cls,net_prio"), "net_prio"));
	ck_assert_ptr_eq(cg_find(set, "cpu", "cpu.shares"), cpu);
	ck_assert_ptr_eq(cg_find(set, "cpuacct", "cpu.stat"), cpu);
	free(set);
}
END_TEST

START_TEST(only_the_needed_hierarchies_are_kept)
{
	struct cgroups *set = cg_parse_mountinfo(systemd_v1, "/x/c1");
	struct resources res = {0};

	cg_keep_needed(set, NULL);
	ck_assert_uint_eq(set->n, 1);
	ck_assert_str_eq(set->d[0].name, "freezer");
	free(set);

	set = cg_parse_mountinfo(systemd_v1, "/x/c1");
	res.cpu_shares.set = true;
	cg_keep_needed(set, &res);
	ck_assert_uint_eq(set->n, 2);
	ck_assert_ptr_nonnull(named(set, "freezer"));
	ck_assert_ptr_nonnull(named(set, "cpu,cpuacct"));
	free(set);
}
END_TEST

START_TEST(pure_v2_is_one_tree_kept_whole)
{
	struct cgroups *set =
		cg_parse_mountinfo("29 24 0:25 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n", "/x/c1");

	ck_assert_uint_eq(set->n, 1);
	ck_assert_str_eq(set->d[0].name, "unified");
	ck_assert_str_eq(set->d[0].dir, "/sys/fs/cgroup/x/c1");
	cg_keep_needed(set, NULL);
	ck_assert_uint_eq(set->n, 1);
	free(set);
}
END_TEST

/* The handle's one allocation keeps an empty top (the directory existed),
 * and a top has room for its dir (create fills it in place). How the
 * state file keeps it, and refuses a broken one: check_state.c. */
START_TEST(a_handle_with_an_empty_top_packs)
{
	const struct cgroup_dir dirs[] = {
		{.name = "freezer", .dir = "/a/b", .top = "", .unit = "", .v2 = false},
		{.name = "unified", .dir = "/u/b", .top = "/u/b", .unit = "", .v2 = true}};
	struct cgroups *set = cg_pack(dirs, 2);

	ck_assert_uint_eq(set->n, 2);
	ck_assert_str_eq(set->d[0].dir, "/a/b");
	ck_assert_str_eq(set->d[0].top, "");
	ck_assert(!set->d[0].v2);
	ck_assert_str_eq(set->d[1].top, "/u/b");
	ck_assert(set->d[1].v2);
	strcpy(set->d[0].top, set->d[0].dir);
	ck_assert_str_eq(set->d[0].top, "/a/b");
	ck_assert_str_eq(set->d[0].unit, "");
	ck_assert_str_eq(set->d[1].name, "unified");
	free(set);
}
END_TEST

/* The values runc 1.3.2+ and crun 1.23+ write (kubernetes#131216's table):
 * v1's default 1024 is v2's default ~100, the ends map to the ends. */
START_TEST(shares_map_to_weight_on_the_kubernetes_curve)
{
	ck_assert_int_eq(cg_shares_to_weight(2), 1);
	ck_assert_int_eq(cg_shares_to_weight(102), 17);
	ck_assert_int_eq(cg_shares_to_weight(512), 59);
	ck_assert_int_eq(cg_shares_to_weight(1024), 100);
	ck_assert_int_eq(cg_shares_to_weight(2000), 170); /* runc#4896 */
	ck_assert_int_eq(cg_shares_to_weight(262144), 10000);
	for (int64_t s = 3; s < 262144; s += 97)
		ck_assert_int_le(cg_shares_to_weight(s - 1), cg_shares_to_weight(s));
}
END_TEST

START_TEST(blockio_devices_parse_and_bad_ones_name_the_field)
{
	struct resources *r = NULL;
	struct rt_error err = {0};

	ck_assert_int_eq(resources_parse("{\"blockIO\": {\"weight\": 0, \"weightDevice\": [{\"major\": 8, "
					 "\"minor\": 0, \"weight\": 300}], \"throttleWriteBpsDevice\": "
					 "[{\"major\": 8, \"minor\": 16, \"rate\": 4096}]}}",
					 "linux.resources", &r, &err),
			 0);
	ck_assert(!r->blkio_weight.set); /* 0 is "not set", as runc */
	ck_assert_int_eq(r->nblkio_weight_devices, 1);
	ck_assert_int_eq(r->blkio_weight_devices[0].weight.v, 300);
	ck_assert_int_eq(r->nblkio_throttle[THROTTLE_WRITE_BPS], 1);
	ck_assert_int_eq(r->blkio_throttle[THROTTLE_WRITE_BPS][0].minor, 16);
	ck_assert(cg_blkio_needed(r));
	resources_free(r);
	ck_assert_int_lt(resources_parse("{\"blockIO\": {\"weight\": 5}}", "linux.resources", &r, &err), 0);
	ck_assert_str_eq(err.msg, "linux.resources.blockIO.weight: 5 is outside [10, 1000]");
	ck_assert_int_lt(resources_parse("{\"blockIO\": {\"throttleReadIOPSDevice\": [{\"major\": 8, "
					 "\"minor\": 0}]}}",
					 "linux.resources", &r, &err),
			 0);
	ck_assert_str_eq(err.msg, "linux.resources.blockIO.throttleReadIOPSDevice[0].rate: missing");
	ck_assert_int_lt(resources_parse("{\"rdma\": {\"mlx5_1\": {\"hcaHandles\": -1}}}",
					 "linux.resources", &r, &err),
			 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "linux.resources.rdma.mlx5_1.hcaHandles"));
}
END_TEST

static const char *scope_dir(const char *path, char *unit, struct rt_error *err)
{
	static char dir[PATH_MAX];

	return cg_systemd_scope(path, "ctr1", dir, sizeof(dir), unit, 512, err) == 0 ? dir : NULL;
}

/* systemd's names: a-b-c.slice nests in a.slice/a-b.slice, "-.slice" is
 * the root, the unit is prefix-name.scope; runc's default when empty. */
START_TEST(systemd_paths_expand_as_systemd_names_slices)
{
	struct rt_error err = {0};
	char unit[512];

	ck_assert_str_eq(scope_dir("kubepods-burstable-pod12.slice:cri-containerd:abc", unit, &err),
			 "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
			 "kubepods-burstable-pod12.slice/cri-containerd-abc.scope");
	ck_assert_str_eq(unit, "cri-containerd-abc.scope");
	ck_assert_str_eq(scope_dir("-.slice::x", unit, &err), "/sys/fs/cgroup/x.scope");
	ck_assert_str_eq(scope_dir("", unit, &err),
			 "/sys/fs/cgroup/system.slice/mini-runtime-ctr1.scope");
	ck_assert_str_eq(scope_dir(":p:n", unit, &err), "/sys/fs/cgroup/system.slice/p-n.scope");
	ck_assert_ptr_null(scope_dir("a.slice:b", unit, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "is not \"slice:prefix:name\""));
	ck_assert_ptr_null(scope_dir("a--b.slice:p:n", unit, &err));
	ck_assert_ptr_null(scope_dir("-a.slice:p:n", unit, &err));
	ck_assert_ptr_null(scope_dir("a-.slice:p:n", unit, &err));
	ck_assert_ptr_null(scope_dir("a:p:n", unit, &err));
	ck_assert_str_eq(err.msg, "linux.cgroupsPath: \"a\" is not a systemd slice name");
	ck_assert_ptr_null(scope_dir("a.slice:p:n/x", unit, &err));
	ck_assert_ptr_null(scope_dir("a.slice:p:n.slice", unit, &err));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroups");
	TCase *tc = tcase_create("hierarchies");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, mountinfo_lists_the_cgroup_mounts);
	tcase_add_test(tc, a_co_mounted_controller_is_found);
	tcase_add_test(tc, only_the_needed_hierarchies_are_kept);
	tcase_add_test(tc, pure_v2_is_one_tree_kept_whole);
	tcase_add_test(tc, a_handle_with_an_empty_top_packs);
	tcase_add_test(tc, shares_map_to_weight_on_the_kubernetes_curve);
	tcase_add_test(tc, blockio_devices_parse_and_bad_ones_name_the_field);
	tcase_add_test(tc, systemd_paths_expand_as_systemd_names_slices);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
