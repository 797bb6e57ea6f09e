/* check_spec.c - unit tests of spec_parse (spec.c): the bytes create kept
 * parse the same later, against the bundle and rootfs create recorded,
 * whatever became of them on disk. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define CONFIG(root) "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"" root "\"}}"

static const struct {
	const char *text, *bundle, *rootfs;
	const char *want_root; /* NULL: fails with want_msg */
	const char *want_msg;
} cases[] = {
	/* later loads: the recorded rootfs, used as is, need not exist */
	{CONFIG("rootfs"), "/gone/bundle", "/gone/bundle/rootfs", "/gone/bundle/rootfs", NULL},
	{CONFIG("/abs/elsewhere"), "/gone", "/recorded", "/recorded", NULL},
	/* create: resolved against the bundle, which must hold it */
	{CONFIG("rootfs"), "/gone/bundle", NULL, NULL,
	 "root.path: \"rootfs\": No such file or directory"},
	{CONFIG("."), "/", NULL, "/", NULL},
	/* the bytes are still checked: name and line in the message */
	{"{\"ociVersion\": \"1.2.0\",\n \"root\": }", "/", "/", NULL,
	 "saved config.json: line 2: unexpected token"},
	{"[]", "/", "/", NULL, "saved config.json: expected an object"},
	{CONFIG("rootfs") "x", "/", "/", NULL, "saved config.json: line 1: end of file expected"},
};

START_TEST(parse_cases)
{
	struct spec *spec = NULL;
	struct rt_error err = {0};
	int r = spec_parse(cases[_i].text, strlen(cases[_i].text), "saved config.json",
			   cases[_i].bundle, cases[_i].rootfs, &spec, &err);

	if (!cases[_i].want_root) {
		ck_assert_int_lt(r, 0);
		ck_assert_msg(strstr(err.msg, cases[_i].want_msg), "got \"%s\"", err.msg);
		ck_assert_ptr_null(spec);
		return;
	}
	ck_assert_msg(r == 0, "%s", err.msg);
	ck_assert_str_eq(spec->bundle, cases[_i].bundle);
	ck_assert_str_eq(spec->root_path, cases[_i].want_root);
	spec_free(spec);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spec");
	TCase *tc = tcase_create("parse");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, parse_cases, 0, NELEM(cases));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
