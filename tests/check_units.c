/* check_units.c - units_ram_in_bytes against go-units' RAMInBytes (v0.5.0,
 * what runc's `update` uses): the expected values were printed by
 * RAMInBytes itself for these inputs. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "units.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char *in;
	enum units_result want;
	int64_t bytes;
} cases[] = {
	{"0", UNITS_OK, 0},
	{"1", UNITS_OK, 1},
	{"32", UNITS_OK, 32},
	{"32b", UNITS_OK, 32},
	{"32B", UNITS_OK, 32},
	{"32k", UNITS_OK, 32768},
	{"32K", UNITS_OK, 32768},
	{"32kb", UNITS_OK, 32768},
	{"32Kb", UNITS_OK, 32768},
	{"32Kib", UNITS_OK, 32768},
	{"32KIB", UNITS_OK, 32768},
	{"32KiB", UNITS_OK, 32768},
	{"32kib", UNITS_OK, 32768},
	{"32Mb", UNITS_OK, 33554432},
	{"128M", UNITS_OK, 134217728},
	{"32Gb", UNITS_OK, 34359738368LL},
	{"32Tb", UNITS_OK, 35184372088832LL},
	{"32Pb", UNITS_OK, 36028797018963968LL},
	{"32PB", UNITS_OK, 36028797018963968LL},
	{"32P", UNITS_OK, 36028797018963968LL},
	{"32 mb", UNITS_OK, 33554432},
	{"12 m", UNITS_OK, 12582912},
	{"1 ", UNITS_OK, 1},
	{"32.3", UNITS_OK, 32},
	{"32.3mb", UNITS_OK, 33869004},
	{"1.5g", UNITS_OK, 1610612736},
	{"0.5k", UNITS_OK, 512},
	{".5k", UNITS_OK, 512},
	{"5.k", UNITS_OK, 5120},
	{"1e3", UNITS_OK, 1000},
	{"1e3k", UNITS_OK, 1024000},
	{"+5k", UNITS_OK, 5120},
	{"8e18", UNITS_OK, 8000000000000000000LL},
	{"9e18", UNITS_OK, 9000000000000000000LL},
	{"8p", UNITS_OK, 9007199254740992LL},
	{"", UNITS_BAD_SIZE, 0},
	{"abc", UNITS_BAD_SIZE, 0},
	{"-1", UNITS_BAD_SIZE, 0},
	{"-5m", UNITS_BAD_SIZE, 0},
	{"m", UNITS_BAD_SIZE, 0},
	{"32m i", UNITS_BAD_SIZE, 0},
	{" 5m", UNITS_BAD_SIZE, 0},
	{"5m ", UNITS_BAD_SIZE, 0},
	{"12  m", UNITS_BAD_SIZE, 0},
	{"0x10", UNITS_BAD_SIZE, 0},
	{"1,5k", UNITS_BAD_SIZE, 0},
	{"inf", UNITS_BAD_SIZE, 0},
	{"NaN", UNITS_BAD_SIZE, 0},
	{"32kk", UNITS_BAD_SUFFIX, 0},
	{"32kbb", UNITS_BAD_SUFFIX, 0},
	{"32ib", UNITS_BAD_SUFFIX, 0},
	{"32bb", UNITS_BAD_SUFFIX, 0},
	{"5KiBs", UNITS_BAD_SUFFIX, 0},
	/* go-units wraps to INT64_MIN here; refused instead */
	{"8192p", UNITS_TOO_LARGE, 0},
};

START_TEST(ram_in_bytes)
{
	int64_t got = -12345;
	enum units_result r = units_ram_in_bytes(cases[_i].in, &got);

	ck_assert_msg(r == cases[_i].want, "\"%s\": result %d, want %d", cases[_i].in, r,
		      cases[_i].want);
	if (r == UNITS_OK)
		ck_assert_msg(got == cases[_i].bytes, "\"%s\": %lld, want %lld", cases[_i].in,
			      (long long)got, (long long)cases[_i].bytes);
	else
		ck_assert_int_eq(got, -12345); /* written only on success */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("units_ram_in_bytes");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, ram_in_bytes, 0, NELEM(cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
