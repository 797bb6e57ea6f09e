/* check_devices_kernel.c - the device program in the kernel (root, and a
 * cgroup2 tree at /sys/fs/cgroup/unified, as on this hybrid host: the
 * kernel runs the program of the task's cgroup2 cgroup before v1's check).
 * A child joins a fresh directory and tries open(2) and mknod(2) on nodes
 * made in a temporary directory: EPERM is a refusal, anything else (ENXIO
 * from a major no driver has) got past the rules. The cases of
 * devices_cases.h run through the program and through a real v1 devices
 * cgroup, so the table is the kernel's v1 answer, not only ours. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups_internal.h"
#include "util.h"
#include "devices_cases.h"

#define V1_ROOT "/sys/fs/cgroup/devices"

static char tmp[PATH_MAX], dir[PATH_MAX], leaf[PATH_MAX], v1dir[PATH_MAX];

/* The cgroup2 tree: a hybrid host's, or a pure v2 host's whole one. */
static const char *v2_root(void)
{
	if (access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0)
		return "/sys/fs/cgroup/unified";
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
		return "/sys/fs/cgroup";
	return NULL;
}

static void write_to(const char *d, const char *file, const char *s)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", d, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write %s to %s: %s",
		      s, path, strerror(errno));
	close(fd);
}

/* In the child, where ck_assert would report from the wrong process. */
static bool join(const char *d)
{
	char path[PATH_MAX];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), "%s/cgroup.procs", d);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ok = fd >= 0 && write(fd, "0", 1) == 1;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/mini-devtest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(dir, sizeof(dir), "%s/mini-devtest-%d", v2_root(), (int)getpid());
	snprintf(leaf, sizeof(leaf), "%s/leaf", dir);
	snprintf(v1dir, sizeof(v1dir), V1_ROOT "/mini-devtest-%d", (int)getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
}

static void remove_dir(const char *d)
{
	/* a reaped child leaves its cgroup a moment later */
	for (int i = 0; i < 100 && rmdir(d) < 0 && errno == EBUSY; i++)
		usleep(10000);
}

static void teardown(void)
{
	DIR *dd = opendir(tmp);
	struct dirent *de;

	while (dd && (de = readdir(dd)))
		if (de->d_name[0] != '.')
			unlinkat(dirfd(dd), de->d_name, 0);
	if (dd)
		closedir(dd);
	rmdir(tmp);
	remove_dir(leaf);
	remove_dir(dir);
	remove_dir(v1dir);
}

/* What the kernel answers, for a child in the cgroup(s) given: out[k] is
 * whether q[k] got past the device rules. */
static void decide(const char *v1, const char *v2, const struct dev_query *q, size_t n, bool *out)
{
	static int seq;
	char path[PATH_MAX], res[8];
	int p[2], status;
	pid_t pid;

	for (size_t k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "%s/n%d-%zu", tmp, seq, k);
		ck_assert_int_eq(mknod(path, (q[k].type == 'b' ? S_IFBLK : S_IFCHR) | 0600,
				       makedev(q[k].major, q[k].minor)), 0);
	}
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if ((v1 && !join(v1)) || (v2 && !join(v2)))
			_exit(2);
		for (size_t k = 0; k < n; k++) {
			const char *a = q[k].access;
			int r;

			if (strcmp(a, "m") == 0) {
				snprintf(path, sizeof(path), "%s/m%d-%zu", tmp, seq, k);
				r = mknod(path, (q[k].type == 'b' ? S_IFBLK : S_IFCHR) | 0600,
					  makedev(q[k].major, q[k].minor));
			} else {
				snprintf(path, sizeof(path), "%s/n%d-%zu", tmp, seq, k);
				r = open(path, (strcmp(a, "rw") == 0  ? O_RDWR
						: strcmp(a, "w") == 0 ? O_WRONLY
								      : O_RDONLY) |
						       O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
				if (r >= 0)
					close(r);
			}
			res[k] = r < 0 && errno == EPERM ? 'n' : 'y';
		}
		_exit(write(p[1], res, n) == (ssize_t)n ? 0 : 1);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], res, sizeof(res)), (ssize_t)n);
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	for (size_t k = 0; k < n; k++)
		out[k] = res[k] == 'y';
	seq++;
}

static void expect(const char *what, const char *v1, const char *v2, const struct dev_query *q,
		   size_t n)
{
	bool got[8];

	decide(v1, v2, q, n, got);
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(got[k] == q[k].allowed, "%s: %c %d:%d %s was %s, should be %s", what,
			      q[k].type, q[k].major, q[k].minor, q[k].access,
			      got[k] ? "allowed" : "denied", q[k].allowed ? "allowed" : "denied");
}

static void apply(const char *d, const struct res_device_rule *rules, size_t n)
{
	struct dev_rule_list l = {.v = (struct res_device_rule *)rules, .n = n, .nspec = n};
	struct rt_error err = {0};

	ck_assert_msg(dev_bpf_apply(d, &l, &err) == 0, "%s", err.msg);
}

static size_t ours(const char *d)
{
	struct rt_error err = {0};
	size_t n = 99;
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(dev_bpf_count_ours(fd, &n, &err) == 0, "%s", err.msg);
	close(fd);
	return n;
}


static void load_rules(const struct dev_rule_list *l, int *ret_fd)
{
	struct dev_policy pol;
	struct dev_prog prog;
	struct rt_error err = {0};

	ck_assert_int_eq(dev_policy_build(l->v, l->n, &pol, &err), 0);
	ck_assert_int_eq(dev_prog_build(&pol, &prog, &err), 0);
	ck_assert_msg(dev_bpf_load(&prog, ret_fd, &err) == 0, "%s", err.msg);
	dev_prog_free(&prog);
	dev_policy_free(&pol);
}

START_TEST(each_case_in_the_program)
{
	const struct dev_case *c = &dev_cases[_i];
	struct res_device_rule rules[8];
	size_t n = dev_case_rules(c, rules);

	apply(dir, rules, n);
	ck_assert_uint_eq(ours(dir), 1);
	expect(c->name, NULL, dir, c->q, dev_case_nqueries(c));
}
END_TEST

/* The table checked against the kernel's own v1 answer. */
START_TEST(each_case_in_v1)
{
	const struct dev_case *c = &dev_cases[_i];
	char what[128];

	ck_assert_int_eq(mkdir(v1dir, 0755), 0);
	write_to(v1dir, "devices.deny", "a"); /* the replay's start: deny-all */
	for (size_t k = 0; k < 8 && c->rules[k]; k++)
		write_to(v1dir, c->rules[k][0] == '+' ? "devices.allow" : "devices.deny",
			 c->rules[k] + 1);
	snprintf(what, sizeof(what), "v1: %s", c->name);
	expect(what, v1dir, NULL, c->q, dev_case_nqueries(c));
}
END_TEST

START_TEST(update_replaces_the_program_in_place)
{
	static const struct dev_query at_create[] = {
		{'c', 1, 3, "rw", true}, {'c', 4, 0, "r", false}, {'b', 240, 9, "rw", true}};
	static const struct dev_query at_update[] = {
		{'c', 1, 3, "rw", true}, {'c', 4, 0, "r", true}, {'b', 240, 9, "rw", false}};
	struct res_device_rule rules[2];
	struct resources res = {.devices = rules, .ndevices = 1};
	struct spec_device node = {.type = 'b', .major = 240, .minor = 9};
	struct spec spec = {.devices = &node, .ndevices = 1};
	struct dev_rule_list create, update;
	struct rt_error err = {0};
	int fd, prog_fd;

	/* as `create` builds it: deny all, the defaults, linux.devices */
	dev_case_rule("-a", &rules[0]);
	ck_assert_int_eq(dev_rule_list_build(&res, &spec, &create, &err), 0);
	ck_assert_msg(dev_bpf_apply(dir, &create, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(ours(dir), 1);
	expect("create", NULL, dir, at_create, 3);
	/* as `update --resources` builds it: no linux.devices (as v1) */
	dev_case_rule("+c 4:0 r", &rules[1]);
	res.ndevices = 2;
	ck_assert_int_eq(dev_rule_list_build(&res, NULL, &update, &err), 0);
	ck_assert_msg(dev_bpf_apply(dir, &update, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(ours(dir), 1);
	expect("update", NULL, dir, at_update, 3);
	/* kernels before 5.6: the new one attached, then the old one detached */
	load_rules(&create, &prog_fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_msg(dev_bpf_install_no_replace(fd, prog_fd, &err) == 0, "%s", err.msg);
	close(fd);
	close(prog_fd);
	ck_assert_uint_eq(ours(dir), 1);
	expect("update without BPF_F_REPLACE", NULL, dir, at_create, 3);
	dev_rule_list_free(&create);
	dev_rule_list_free(&update);
}
END_TEST

START_TEST(the_program_outlives_the_process_that_attached_it)
{
	static const struct dev_query q[] = {{'c', 240, 0, "r", false}, {'c', 1, 3, "r", false}};
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct res_device_rule deny;
		struct dev_rule_list l = {.v = &deny, .n = 1, .nspec = 1};
		struct rt_error err = {0};

		dev_case_rule("-a", &deny);
		_exit(dev_bpf_apply(dir, &l, &err) == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	ck_assert_uint_eq(ours(dir), 1);
	expect("after the loader exited", NULL, dir, q, 2);
}
END_TEST

START_TEST(a_parent_program_still_applies)
{
	static const struct dev_query q[] = {{'c', 240, 1, "r", false}, {'c', 240, 2, "r", true}};
	struct res_device_rule parent[2], all;

	ck_assert_int_eq(mkdir(leaf, 0755), 0);
	dev_case_rule("+a", &parent[0]);
	dev_case_rule("-c 240:1 rwm", &parent[1]);
	dev_case_rule("+a", &all);
	apply(dir, parent, 2);
	apply(leaf, &all, 1);
	expect("leaf allows all, parent denies 240:1", NULL, leaf, q, 2);
	apply(leaf, &all, 1); /* replacing the leaf's leaves the parent's */
	ck_assert_uint_eq(ours(dir), 1);
	ck_assert_uint_eq(ours(leaf), 1);
	expect("after the leaf's was replaced", NULL, leaf, q, 2);
}
END_TEST

START_TEST(a_refused_program_names_the_verifier_and_its_log)
{
	struct bpf_insn exit_only = {.code = BPF_JMP | BPF_EXIT}; /* R0 never set */
	struct dev_prog p = {.insn = &exit_only, .n = 1};
	struct rt_error err = {0};
	int fd = -1;

	ck_assert_int_lt(dev_bpf_load(&p, &fd, &err), 0);
	ck_assert_msg(strstr(err.msg, "verifier") && strstr(err.msg, "R0"), "%s", err.msg);
}
END_TEST

/* The back end is the host's: on a hybrid one the v1 files or nothing. */
START_TEST(a_hybrid_hosts_v2_directory_gets_no_program)
{
	cleanup_free struct cgroups *set = NULL;
	struct res_device_rule deny;
	struct resources res = {.devices = &deny, .ndevices = 1};
	struct spec spec = {0};
	struct rt_error err = {0};

	if (strcmp(v2_root(), "/sys/fs/cgroup") == 0)
		return; /* pure v2: the program is the point (the cases above) */
	dev_case_rule("-a", &deny);
	set = cg_pack(&(struct cgroup_dir){.name = "unified", .dir = dir, .top = "", .unit = "",
					   .v2 = true},
		      1);
	ck_assert_msg(cg_apply_devices(set, &spec, &res, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(ours(dir), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("devices_kernel");
	const char *why = geteuid() != 0 ? "needs root" : !v2_root() ? "no cgroup2 tree" : NULL;
	SRunner *sr;
	int failed;

	if (why) {
		printf("skip: check_devices_kernel: %s\n", why);
	} else {
		TCase *bpf = tcase_create("bpf"), *v1 = tcase_create("v1");

		tcase_add_checked_fixture(bpf, setup, teardown);
		tcase_add_loop_test(bpf, each_case_in_the_program, 0, (int)DEV_NCASES);
		tcase_add_test(bpf, update_replaces_the_program_in_place);
		tcase_add_test(bpf, the_program_outlives_the_process_that_attached_it);
		tcase_add_test(bpf, a_parent_program_still_applies);
		tcase_add_test(bpf, a_refused_program_names_the_verifier_and_its_log);
		tcase_add_test(bpf, a_hybrid_hosts_v2_directory_gets_no_program);
		suite_add_tcase(s, bpf);
		if (access(V1_ROOT "/devices.allow", F_OK) == 0) {
			tcase_add_checked_fixture(v1, setup, teardown);
			tcase_add_loop_test(v1, each_case_in_v1, 0, (int)DEV_NCASES);
			suite_add_tcase(s, v1);
		} else {
			printf("skip: check_devices_kernel: v1 cases: no v1 devices controller\n");
		}
	}
	fflush(stdout);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
