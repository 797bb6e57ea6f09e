/* check_vocab.c - one table per vocabulary: what `features` lists is what
 * the parser takes, name by name (namespaces, hooks, mount options,
 * rootfsPropagation, seccomp actions, operators, flags and architectures,
 * memory policy modes and flags), and a name outside a table is refused. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands/commands.h"
#include "mempolicy.h"
#include "seccomp_profile.h"
#include "spec.h"

#define HEAD "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}"

static json_t *features;

/* `features` itself, its stdout caught in a file */
static void load_features(void)
{
	FILE *tmp = tmpfile();
	int saved = dup(1);
	struct global_opts g = {0};
	struct rt_error err = {0};
	char *argv[] = {"features", NULL};
	json_error_t jerr;

	int r;

	if (!tmp) {
		perror("tmpfile");
		exit(EXIT_FAILURE);
	}
	fflush(stdout);
	dup2(fileno(tmp), 1);
	r = cmd_features(1, argv, &g, &err);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	features = r == 0 ? json_loadf(tmp, 0, &jerr) : NULL;
	fclose(tmp);
	if (!features) {
		fprintf(stderr, "features: %s\n", r == 0 ? jerr.text : err.msg);
		exit(EXIT_FAILURE);
	}
}

static json_t *features_list(const char *path)
{
	json_t *v = features;
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save))
		v = json_object_get(v, key);
	ck_assert_msg(json_is_array(v), "features: %s is not a list", path);
	return v;
}

/* features' list at path, name by name, is the table */
static void assert_lists(const char *path, const char *(*name_at)(size_t))
{
	json_t *list = features_list(path);
	size_t i;

	for (i = 0; name_at(i); i++) {
		ck_assert_msg(i < json_array_size(list), "%s: \"%s\" is not listed", path,
			      name_at(i));
		ck_assert_str_eq(json_string_value(json_array_get(list, i)), name_at(i));
	}
	ck_assert_uint_eq(i, json_array_size(list));
}

static int parse(const char *text, struct spec **ret, struct rt_error *err)
{
	return spec_parse(text, strlen(text), "config.json", "/b", "/b/rootfs", ret, err);
}

static const char *name_of(const char *const *names, size_t i)
{
	for (size_t k = 0; names[k]; k++)
		if (k == i)
			return names[k];
	return NULL;
}

static const char *mpol_mode_at(size_t i)
{
	return name_of(mpol_mode_names, i);
}

static const char *mpol_flag_at(size_t i)
{
	return name_of(mpol_flag_names, i);
}

START_TEST(features_lists_the_tables)
{
	assert_lists("hooks", spec_hook_name_at);
	assert_lists("mountOptions", spec_mount_option_name_at);
	assert_lists("linux.namespaces", spec_ns_name_at);
	assert_lists("linux.seccomp.actions", seccomp_action_name_at);
	assert_lists("linux.seccomp.operators", seccomp_op_name_at);
	assert_lists("linux.seccomp.supportedFlags", seccomp_flag_name_at);
	assert_lists("linux.seccomp.archs", seccomp_arch_name_at);
	assert_lists("linux.memoryPolicy.modes", mpol_mode_at);
	assert_lists("linux.memoryPolicy.flags", mpol_flag_at);
}
END_TEST

START_TEST(parser_takes_every_namespace)
{
	const char *name = spec_ns_name_at((size_t)_i);
	struct spec *spec = NULL;
	struct rt_error err = {0};
	enum spec_ns_type t;
	char text[512];

	ck_assert_ptr_nonnull(name);
	/* joined: a new user namespace would need mappings */
	snprintf(text, sizeof(text),
		 HEAD ", \"linux\": {\"namespaces\": [{\"type\": \"%s\", \"path\": \"/ns\"}]}}",
		 name);
	ck_assert_msg(parse(text, &spec, &err) == 0, "%s: %s", name, err.msg);
	ck_assert_int_eq(spec_ns_parse(name, &t), 0);
	ck_assert(spec->ns[t].enabled);
	ck_assert_str_eq(spec_ns_name(t), name);
	ck_assert_int_ne(spec_ns_clone_flag(t), 0);
	spec_free(spec);
}
END_TEST

START_TEST(parser_takes_every_hook)
{
	const char *name = spec_hook_name_at((size_t)_i);
	struct spec *spec = NULL;
	struct rt_error err = {0};
	char text[512];

	ck_assert_ptr_nonnull(name);
	snprintf(text, sizeof(text), HEAD ", \"hooks\": {\"%s\": [{\"path\": \"/bin/true\"}]}}",
		 name);
	ck_assert_msg(parse(text, &spec, &err) == 0, "%s: %s", name, err.msg);
	ck_assert_uint_eq(spec->hooks[_i].count, 1);
	spec_free(spec);
}
END_TEST

/* an option is not filesystem data: the parser knew it */
START_TEST(parser_takes_every_mount_option)
{
	const char *name = spec_mount_option_name_at((size_t)_i);
	struct spec *spec = NULL;
	struct rt_error err = {0};
	char text[512];

	ck_assert_ptr_nonnull(name);
	snprintf(text, sizeof(text),
		 HEAD ", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\", "
		      "\"path\": \"/ns\"}]}, \"mounts\": "
		      "[{\"destination\": \"/m\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", "
		      "\"options\": [\"%s\"]}]}",
		 name);
	ck_assert_msg(parse(text, &spec, &err) == 0, "%s: %s", name, err.msg);
	ck_assert_uint_eq(spec->nmounts, 1);
	ck_assert_msg(!spec->mounts[0].data, "%s taken for data", name);
	spec_free(spec);
}
END_TEST

START_TEST(rootfs_propagation_is_the_options)
{
	const char *name = spec_mount_option_name_at((size_t)_i);
	const struct spec_mount_option *opt = spec_mount_option(name);
	struct spec *spec = NULL;
	struct rt_error err = {0};
	char text[512];
	int r;

	snprintf(text, sizeof(text), HEAD ", \"linux\": {\"rootfsPropagation\": \"%s\"}}", name);
	r = parse(text, &spec, &err);
	if (!opt->propagation) {
		ck_assert_int_lt(r, 0);
		ck_assert_msg(strstr(err.msg, "linux.rootfsPropagation: unknown propagation"), "%s",
			      err.msg);
		return;
	}
	ck_assert_msg(r == 0, "%s: %s", name, err.msg);
	ck_assert_uint_eq(spec->rootfs_propagation, opt->propagation);
	ck_assert_str_eq(spec_propagation_name(opt->propagation), name);
	spec_free(spec);
}
END_TEST

/* the filter builds (no root needed) with the name where it goes */
static void assert_builds(const char *seccomp, const char *name)
{
	struct spec *spec = NULL;
	struct rt_error err = {0};
	struct seccomp_filter *filter = NULL;
	char text[1024];

	snprintf(text, sizeof(text), HEAD ", \"linux\": {\"seccomp\": %s}}", seccomp);
	ck_assert_msg(parse(text, &spec, &err) == 0, "%s: %s", name, err.msg);
	ck_assert_msg(seccomp_filter_build(spec->seccomp, &filter, &err) == 0, "%s: %s", name,
		      err.msg);
	seccomp_filter_free(filter);
	spec_free(spec);
}

START_TEST(seccomp_takes_every_name)
{
	const char *name;
	char s[512];

	for (size_t i = 0; (name = seccomp_action_name_at(i)); i++) {
		snprintf(s, sizeof(s),
			 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
			 "[\"getcwd\"], \"action\": \"%s\"}]}",
			 name);
		assert_builds(s, name);
	}
	for (size_t i = 0; (name = seccomp_op_name_at(i)); i++) {
		snprintf(s, sizeof(s),
			 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
			 "[\"getcwd\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 1, "
			 "\"value\": 1, \"valueTwo\": 1, \"op\": \"%s\"}]}]}",
			 name);
		assert_builds(s, name);
	}
	for (size_t i = 0; (name = seccomp_flag_name_at(i)); i++) {
		snprintf(s, sizeof(s), "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"%s\"]}",
			 name);
		assert_builds(s, name);
	}
	for (size_t i = 0; (name = seccomp_arch_name_at(i)); i++) {
		snprintf(s, sizeof(s),
			 "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"%s\"]}",
			 name);
		assert_builds(s, name);
	}
}
END_TEST

/* and a name outside the tables is refused, named */
START_TEST(unknown_names_are_refused)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{HEAD ", \"linux\": {\"namespaces\": [{\"type\": \"net\"}]}}",
		 "linux.namespaces[0].type: unknown namespace \"net\""},
		{HEAD ", \"linux\": {\"rootfsPropagation\": \"rro\"}}",
		 "linux.rootfsPropagation: unknown propagation \"rro\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spec *spec = NULL;
		struct rt_error err = {0};

		ck_assert_int_lt(parse(cases[i].text, &spec, &err), 0);
		ck_assert_msg(strstr(err.msg, cases[i].msg), "got \"%s\"", err.msg);
	}
	ck_assert_int_lt(spec_ns_parse("mnt", &(enum spec_ns_type){0}), 0);
	ck_assert_ptr_null(spec_mount_option("size=1m"));
}
END_TEST

static size_t count(const char *(*name_at)(size_t))
{
	size_t n = 0;

	while (name_at(n))
		n++;
	return n;
}

int main(void)
{
	Suite *s = suite_create("vocab");
	TCase *tc = tcase_create("tables");
	SRunner *sr;
	int failed;

	load_features();
	tcase_add_test(tc, features_lists_the_tables);
	tcase_add_loop_test(tc, parser_takes_every_namespace, 0, (int)count(spec_ns_name_at));
	tcase_add_loop_test(tc, parser_takes_every_hook, 0, (int)count(spec_hook_name_at));
	tcase_add_loop_test(tc, parser_takes_every_mount_option, 0,
			    (int)count(spec_mount_option_name_at));
	tcase_add_loop_test(tc, rootfs_propagation_is_the_options, 0,
			    (int)count(spec_mount_option_name_at));
	tcase_add_test(tc, unknown_names_are_refused);
	suite_add_tcase(s, tc);
	/* libseccomp asks the kernel which actions it has: qemu-user (the
	 * aarch64 cross check) does not answer, so KILL_PROCESS fails there */
	tc = tcase_create("filters");
	tcase_set_tags(tc, "host-kernel");
	tcase_add_test(tc, seccomp_takes_every_name);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	json_decref(features);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
