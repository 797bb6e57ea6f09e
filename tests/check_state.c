/* check_state.c - unit tests of the state file's timestamp (state.c):
 * formatted by hand, checked against glibc's gmtime_r and strftime. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "state.h"

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

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("timestamp");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, format_known_times, 0, NELEM(times));
	tcase_add_test(tc, format_agrees_with_glibc);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
