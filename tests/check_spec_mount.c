/* check_spec_mount.c - unit tests of the mounts array (spec_mount.c) and
 * id mappings (spec_linux.c): the idmap extension of runtime-spec 1.2, each
 * refusal naming its field. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define M1 "[{\"containerID\": 0, \"hostID\": 100000, \"size\": 1}]"
#define USERNS                                                                              \
	"\"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}], "            \
	"\"uidMappings\": " M1 ", \"gidMappings\": " M1 "}"
#define CONFIG(mount, linux)                                                                \
	"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"/\"}, \"mounts\": [" mount "], " \
	linux "}"
#define BIND(opts, extra)                                                                   \
	"{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"/s\", \"options\": " opts \
	extra "}"

static const struct {
	const char *text;
	const char *want_msg; /* NULL: parses */
	bool idmap, recursive;
	size_t n_uid;
} cases[] = {
	{CONFIG(BIND("[\"rbind\", \"idmap\"]", ""), USERNS), NULL, true, false, 0},
	{CONFIG(BIND("[\"rbind\", \"ridmap\"]", ""), USERNS), NULL, true, true, 0},
	{CONFIG(BIND("[\"rbind\"]", ""), USERNS), NULL, false, false, 0},
	{CONFIG(BIND("[\"idmap\", \"bind\"]",
		     ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 5, \"size\": 2}, "
		     "{\"containerID\": 2, \"hostID\": 7, \"size\": 1}], \"gidMappings\": " M1),
		"\"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}"),
	 NULL, true, false, 2},
	{CONFIG("{\"destination\": \"/t\", \"type\": \"tmpfs\", \"options\": [\"idmap\"]}", USERNS),
	 NULL, true, false, 0},
	/* mappings without "idmap": implied, not recursive (runc) */
	{CONFIG(BIND("[\"rbind\"]", ", \"uidMappings\": " M1 ", \"gidMappings\": " M1), USERNS),
	 NULL, true, false, 1},
	/* refusals */
	{CONFIG("{\"destination\": \"/p\", \"type\": \"proc\", \"uidMappings\": " M1
		", \"gidMappings\": " M1 "}", USERNS),
	 "mounts[0].uidMappings: a proc mount cannot be idmapped (only bind and tmpfs mounts)",
	 false, false, 0},
	{CONFIG(BIND("[\"idmap\"]", ", \"gidMappings\": " M1), USERNS),
	 "mounts[0].uidMappings: is required with gidMappings", false, false, 0},
	{CONFIG(BIND("[\"idmap\"]",
		     ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 0}], "
		     "\"gidMappings\": " M1),
		USERNS),
	 "mounts[0].uidMappings[0].size: 0 is out of range", false, false, 0},
	{CONFIG(BIND("[\"idmap\"]",
		     ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 4294967295, \"size\": 2}], "
		     "\"gidMappings\": " M1),
		USERNS),
	 "mounts[0].uidMappings[0].size: hostID + size is past 4294967295", false, false, 0},
	{CONFIG(BIND("[\"idmap\"]",
		     ", \"uidMappings\": " M1 ", \"gidMappings\": [{\"containerID\": 0, "
		     "\"hostID\": 1, \"size\": 5}, {\"containerID\": 9, \"hostID\": 3, \"size\": 1}]"),
		USERNS),
	 "mounts[0].gidMappings[1].hostID: overlaps gidMappings[0]", false, false, 0},
	{CONFIG(BIND("[\"idmap\"]", ", \"uidMappings\": {}"), USERNS),
	 "mounts[0].uidMappings: expected an array", false, false, 0},
	{CONFIG("{\"destination\": \"/p\", \"type\": \"proc\", \"options\": [\"ridmap\"]}", USERNS),
	 "mounts[0].options: a proc mount cannot be idmapped (only bind and tmpfs mounts)", false, false, 0},
	{CONFIG(BIND("[\"idmap\"]", ""), "\"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}"),
	 "mounts[0].options: \"idmap\" without uidMappings needs a user namespace", false, false, 0},
	{CONFIG(BIND("[\"ridmap\"]", ", \"uidMappings\": " M1 ", \"gidMappings\": " M1),
		"\"linux\": {}"),
	 "mounts[0].options: \"ridmap\" needs a mount namespace", false, false, 0},
	/* the container's own, checked the same way */
	{CONFIG(BIND("[\"bind\"]", ""),
		"\"linux\": {\"namespaces\": [{\"type\": \"user\"}], \"uidMappings\": "
		"[{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}, {\"containerID\": 5, "
		"\"hostID\": 5000, \"size\": 1}], \"gidMappings\": " M1 "}"),
	 "linux.uidMappings[1].containerID: overlaps uidMappings[0]", false, false, 0},
};

START_TEST(parse_cases)
{
	struct spec *spec = NULL;
	struct rt_error err = {0};
	int r = spec_parse(cases[_i].text, strlen(cases[_i].text), "config.json", "/", "/", &spec,
			   &err);

	if (cases[_i].want_msg) {
		ck_assert_int_lt(r, 0);
		ck_assert_msg(strstr(err.msg, cases[_i].want_msg), "got \"%s\"", err.msg);
		ck_assert_ptr_null(spec);
		return;
	}
	ck_assert_msg(r == 0, "%s", err.msg);
	ck_assert_int_eq(spec->nmounts, 1);
	ck_assert_int_eq(spec->mounts[0].idmap, cases[_i].idmap);
	ck_assert_int_eq(spec->mounts[0].idmap_recursive, cases[_i].recursive);
	ck_assert_int_eq(spec->mounts[0].n_uid_maps, cases[_i].n_uid);
	/* the option is no filesystem data */
	ck_assert_ptr_null(spec->mounts[0].data);
	spec_free(spec);
}
END_TEST

START_TEST(too_many_ranges)
{
	char *text = malloc(64 * 1024), *p;
	struct spec *spec = NULL;
	struct rt_error err = {0};

	p = text + sprintf(text, "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"/\"}, "
				 "\"linux\": {\"uidMappings\": [");
	for (int i = 0; i < 341; i++)
		p += sprintf(p, "%s{\"containerID\": %d, \"hostID\": %d, \"size\": 1}", i ? "," : "",
			     i, 100000 + i);
	strcpy(p, "]}}");
	ck_assert_int_lt(spec_parse(text, strlen(text), "config.json", "/", "/", &spec, &err), 0);
	ck_assert_msg(strstr(err.msg, "linux.uidMappings: 341 ranges, the kernel takes at most 340"),
		      "got \"%s\"", err.msg);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spec_mount");
	TCase *tc = tcase_create("idmap");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, parse_cases, 0, NELEM(cases));
	tcase_add_test(tc, too_many_ranges);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
