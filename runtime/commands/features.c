/* features.c - `features`: runtime-spec features.json for this build. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "mempolicy.h"
#include "seccomp_profile.h"
#include "spec.h"
#include "version.h"

static void print_list(const char *const *items)
{
	for (size_t i = 0; items[i]; i++)
		printf("%s\"%s\"", i ? ", " : "", items[i]);
}

/* A vocabulary's table, as its module lists it: what the parser takes. */
static void print_table(const char *(*name_at)(size_t))
{
	const char *name;

	for (size_t i = 0; (name = name_at(i)); i++)
		printf("%s\"%s\"", i ? ", " : "", name);
}

int cmd_features(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	(void)g;
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
	if (argc > 1)
		return rt_fail(err, EINVAL, "features: unexpected argument \"%s\"", argv[1]);
	printf("{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"%s\",\n",
	       MINI_SPEC_VERSION);
	printf("  \"hooks\": [");
	print_table(spec_hook_name_at);
	printf("],\n  \"mountOptions\": [");
	print_table(spec_mount_option_name_at);
	printf("],\n  \"linux\": {\n    \"namespaces\": [");
	print_table(spec_ns_name_at);
	printf("],\n    \"capabilities\": null,\n");
	/* what the runtime can drive, "regardless of the host" (runtime-spec's
	 * features.md): a pure v2 node and a hybrid one get the same answer */
	printf("    \"cgroup\": {\"v1\": true, \"v2\": true, \"systemd\": true, "
	       "\"systemdUser\": false, \"rdma\": true},\n");
	printf("    \"seccomp\": {\"enabled\": true, \"actions\": [");
	print_table(seccomp_action_name_at);
	printf("], \"operators\": [");
	print_table(seccomp_op_name_at);
	printf("], \"archs\": [");
	print_table(seccomp_arch_name_at);
	printf("], \"supportedFlags\": [");
	print_table(seccomp_flag_name_at);
	/* AppArmor is applied where the host runs it, and ignored (with a
	 * warning) where it does not, as runc */
	printf("]},\n    \"apparmor\": {\"enabled\": true},\n    \"selinux\": {\"enabled\": "
	       "false},\n    \"intelRdt\": {\"enabled\": false},\n");
	/* binds and tmpfs (idmap.h); whether the kernel and the filesystem
	 * can is known only when the mount is made */
	printf("    \"mountExtensions\": {\"idmap\": {\"enabled\": true}},\n");
	printf("    \"memoryPolicy\": {\"modes\": [");
	print_list(mpol_mode_names);
	printf("], \"flags\": [");
	print_list(mpol_flag_names);
	printf("]}\n  },\n  \"annotations\": {\"org.opencontainers.runtime-spec.features\": "
	       "\"mini-runtime %s\"}\n}\n",
	       MINI_VERSION);
	return 0;
}
