/* check_state.c - unit tests of the state directory (state.c): the
 * timestamp, formatted by hand, checked against glibc's gmtime_r and
 * strftime; the config.json kept there; the cgroups kept in state.json;
 * container_load_state's status check. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "state.h"
#include "util.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	time_t sec;
	long nsec;
	const char *want;
} times[] = {
	{0, 0, "1970-01-01T00:00:00.000000000Z"},
	{-1, 999999999, "1969-12-31T23:59:59.999999999Z"},
	{951782400, 5, "2000-02-29T00:00:00.000000005Z"},	 /* leap day, 400-year rule */
	{4107542399, 0, "2100-02-28T23:59:59.000000000Z"},	 /* no leap day in 2100 */
	{1795564800, 123456789, "2026-11-25T00:00:00.123456789Z"},
	{253402300799, 0, "9999-12-31T23:59:59.000000000Z"},
	{-62135596800, 0, "0001-01-01T00:00:00.000000000Z"},
};

START_TEST(format_known_times)
{
	struct timespec ts = {.tv_sec = times[_i].sec, .tv_nsec = times[_i].nsec};
	char buf[64];

	state_format_time(&ts, buf, sizeof(buf));
	ck_assert_str_eq(buf, times[_i].want);
}
END_TEST

/* Every day over 1900..2200 (and an odd second of it) agrees with glibc. */
START_TEST(format_agrees_with_glibc)
{
	for (time_t t = -2208988800LL; t < 7258118400LL; t += 86400 + 3607) {
		struct timespec ts = {.tv_sec = t};
		struct tm tm;
		char got[64], want[64];

		gmtime_r(&t, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S.000000000Z", &tm);
		state_format_time(&ts, got, sizeof(got));
		ck_assert_msg(strcmp(got, want) == 0, "t=%lld: %s, glibc %s", (long long)t, got,
			      want);
	}
}
END_TEST

/* A fresh state root per test, removed by the fixture. */
static char root[64];

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/check_state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static void remove_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(config_round_trip)
{
	static const char text[] = "{\"ociVersion\": \"1.2.0\"}\n";
	struct rt_error err = {0};
	cleanup_free char *got = NULL;
	size_t len = 0;
	struct stat sb;
	int dirfd = -1;

	ck_assert_int_eq(state_create_dir(root, "c1", &dirfd, &err), 0);
	ck_assert_int_eq(state_write_config(dirfd, text, sizeof(text) - 1, &err), 0);
	ck_assert_int_eq(fstatat(dirfd, STATE_CONFIG, &sb, 0), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	ck_assert_int_eq(state_read_config(dirfd, "c1", &got, &len, &err), 0);
	ck_assert_uint_eq(len, sizeof(text) - 1);
	ck_assert_str_eq(got, text);
	/* state_remove_dir takes it too */
	ck_assert_int_eq(state_remove_dir(root, "c1", &err), 0);
	ck_assert_int_eq(fstat(dirfd, &sb), 0);
	ck_assert_int_eq(sb.st_nlink, 0);
	close(dirfd);
}
END_TEST

START_TEST(config_missing)
{
	struct rt_error err = {0};
	char *got = NULL;
	size_t len = 0;
	int dirfd = -1;

	ck_assert_int_eq(state_create_dir(root, "c1", &dirfd, &err), 0);
	ck_assert_int_lt(state_read_config(dirfd, "c1", &got, &len, &err), 0);
	ck_assert_int_eq(err.errnum, ENOENT);
	ck_assert_str_eq(err.msg, "container c1: read config.json: No such file or directory");
	ck_assert_ptr_null(got);
	close(dirfd);
}
END_TEST

/* The container's cgroups in state.json read back as the handle they were
 * (an empty top: the directory existed; the unit: systemd's), and a
 * hierarchy without its directory makes the file corrupt. */
START_TEST(cgroups_round_trip)
{
	static const char broken[] = "{\"id\":\"c1\",\"bundle\":\"/b\",\"rootfs\":\"/r\",\"pid\":0,"
				     "\"pidStartTime\":0,\"created\":\"x\",\"creating\":true,"
				     "\"hasProcess\":true,\"cgroups\":[{\"name\":\"freezer\"}]}";
	struct rt_error err = {0};
	struct state st = {.bundle = "/b", .rootfs = "/r", .creating = true}, got = {0};
	int dirfd = -1;
	char text[] = "freezer\0/a/b\0\0\0unified\0/u/b\0/u/b\0u.scope";
	struct cgroups *cg = calloc(1, sizeof(*cg) + 2 * sizeof(cg->d[0]));

	snprintf(st.id, sizeof(st.id), "c1");
	cg->n = 2;
	cg->d[0] = (struct cgroup_dir){text, text + 8, text + 13, text + 14, false};
	cg->d[1] = (struct cgroup_dir){text + 15, text + 23, text + 28, text + 33, true};
	st.cgroups = cg;
	ck_assert_int_eq(state_create_dir(root, "c1", &dirfd, &err), 0);
	ck_assert_int_eq(state_write(dirfd, &st, &err), 0);
	free(cg);
	ck_assert_int_eq(state_read(dirfd, "c1", &got, &err), 0);
	ck_assert_ptr_nonnull(got.cgroups);
	ck_assert_uint_eq(got.cgroups->n, 2);
	ck_assert_str_eq(got.cgroups->d[0].dir, "/a/b");
	ck_assert_str_eq(got.cgroups->d[0].top, "");
	ck_assert(!got.cgroups->d[0].v2);
	ck_assert_str_eq(got.cgroups->d[1].top, "/u/b");
	ck_assert_str_eq(got.cgroups->d[1].unit, "u.scope");
	ck_assert(got.cgroups->d[1].v2);
	state_free(&got);
	ck_assert_int_eq(write_file_atomic(dirfd, STATE_FILE, broken, sizeof(broken) - 1, 0600, &err),
			 0);
	ck_assert_int_ne(state_read(dirfd, "c1", &got, &err), 0);
	ck_assert_str_eq(err.msg, "container c1: state.json is corrupt");
	close(dirfd);
}
END_TEST

enum setup { NO_STATE, CREATING, CREATED, RUNNING, STOPPED };

/* Which status container_load_state finds, which it allows, and what it says. */
static const struct {
	enum setup setup;
	unsigned allowed;
	int want_errnum; /* 0: loads */
	enum state_status want_status;
	const char *want_msg;
} loads[] = {
	{CREATED, STATE_MASK(STATUS_CREATED), 0, STATUS_CREATED, NULL},
	{RUNNING, STATE_MASK(STATUS_CREATED), EBUSY, 0,
	 "container c1 is running, not created: cannot start it"},
	{STOPPED, STATE_MASK(STATUS_CREATED), ESRCH, 0,
	 "container c1 is stopped, not created: cannot start it"},
	{RUNNING, STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING), 0, STATUS_RUNNING, NULL},
	{STOPPED, STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING), ESRCH, 0,
	 "container c1 is stopped, not created or running: cannot start it"},
	{CREATING, STATE_ANY & ~STATE_MASK(STATUS_STOPPED), 0, STATUS_CREATING, NULL},
	{STOPPED, STATE_ANY & ~STATE_MASK(STATUS_STOPPED), ESRCH, 0,
	 "container c1 is stopped, not creating, created, running or paused: cannot start it"},
	/* a create killed before state.json: creating, if that is allowed */
	{NO_STATE, STATE_ANY, 0, STATUS_CREATING, NULL},
	{NO_STATE, STATE_MASK(STATUS_STOPPED), ENOENT, 0,
	 "container c1: read state: No such file or directory"},
};

static void set_up(int dirfd, enum setup setup)
{
	struct state st = {.id = "c1", .bundle = "/b", .rootfs = "/b/rootfs"};
	struct rt_error err = {0};

	if (setup == NO_STATE)
		return;
	st.creating = setup == CREATING;
	if (setup == CREATED || setup == RUNNING) {
		st.pid = getpid();
		ck_assert_int_eq(proc_stat(st.pid, &st.start_time, NULL), 0);
	}
	if (setup == CREATED)
		ck_assert_int_eq(mkfifoat(dirfd, STATE_FIFO, 0600), 0);
	ck_assert_int_eq(state_write(dirfd, &st, &err), 0);
}

START_TEST(load_checks_status)
{
	struct rt_error err = {0};
	struct state st = {0};
	enum state_status status = STATUS_STOPPED;
	int dirfd = -1, loaded = -1, other, r;
	char path[128];

	ck_assert_int_eq(state_create_dir(root, "c1", &dirfd, &err), 0);
	set_up(dirfd, loads[_i].setup);
	close(dirfd); /* the lock: container_load_state takes it */
	r = container_load_state(root, "c1", loads[_i].allowed, "start it", &loaded, &st, &status, &err);
	if (loads[_i].want_errnum) {
		ck_assert_int_lt(r, 0);
		ck_assert_int_eq(err.errnum, loads[_i].want_errnum);
		ck_assert_str_eq(err.msg, loads[_i].want_msg);
		ck_assert_int_eq(loaded, -1);
		return;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(status, loads[_i].want_status);
	ck_assert_str_eq(st.id, "c1");
	ck_assert_int_ge(loaded, 0);
	/* it holds the lock */
	snprintf(path, sizeof(path), "%s/c1", root);
	other = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(other, 0);
	ck_assert_int_lt(flock(other, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	close(other);
	state_free(&st);
	close(loaded);
}
END_TEST

START_TEST(load_missing)
{
	struct rt_error err = {0};
	struct state st;
	enum state_status status;
	int fd = -1;

	ck_assert_int_lt(container_load_state(root, "nosuch", STATE_ANY, "start it", &fd, &st, &status, &err),
			 0);
	ck_assert_int_eq(err.errnum, ENOENT);
	ck_assert_str_eq(err.msg, "container nosuch does not exist");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("timestamp");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, format_known_times, 0, NELEM(times));
	tcase_add_test(tc, format_agrees_with_glibc);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_checked_fixture(tc, make_root, remove_root);
	tcase_add_test(tc, config_round_trip);
	tcase_add_test(tc, config_missing);
	tcase_add_test(tc, cgroups_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, make_root, remove_root);
	tcase_add_loop_test(tc, load_checks_status, 0, NELEM(loads));
	tcase_add_test(tc, load_missing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
