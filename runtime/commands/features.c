/* features.c - `features`: runtime-spec features.json for this build. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "mempolicy.h"
#include "version.h"

static void print_list(const char *const *items)
{
	for (size_t i = 0; items[i]; i++)
		printf("%s\"%s\"", i ? ", " : "", items[i]);
}

int cmd_features(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const char *const namespaces[] = {"cgroup", "ipc",  "mount", "network",
						 "pid",	   "user", "uts",   "time", NULL};
	static const char *const mount_options[] = {
		"async",      "atime",	 "bind",       "defaults",   "dev",	"diratime",
		"dirsync",    "exec",	 "idmap",      "lazytime",   "mand",	     "noatime", "nodev",
		"nodiratime", "noexec",	 "nolazytime", "nomand",     "norelatime",
		"nostrictatime", "nosuid", "private",  "rbind",	     "relatime", "remount",
		"ridmap",     "ro",	      "rprivate", "rro",       "rshared",   "rslave",     "runbindable", "rw",
		"shared",     "silent",	 "slave",      "strictatime", "suid",	"sync",
		"unbindable", NULL};
	static const char *const hooks[] = {"prestart",	      "createRuntime", "createContainer",
					    "startContainer", "poststart",     "poststop", NULL};
	static const char *const actions[] = {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO",
					      "SCMP_ACT_KILL",	"SCMP_ACT_KILL_PROCESS",
					      "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
					      "SCMP_ACT_TRACE", "SCMP_ACT_TRAP", NULL};
	static const char *const ops[] = {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
					  "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
					  "SCMP_CMP_NE", NULL};
	static const char *const archs[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
					    "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL};
	static const char *const seccomp_flags[] = {"SECCOMP_FILTER_FLAG_TSYNC",
						    "SECCOMP_FILTER_FLAG_LOG",
						    "SECCOMP_FILTER_FLAG_SPEC_ALLOW", NULL};

	(void)g;
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
	if (argc > 1)
		return rt_fail(err, EINVAL, "features: unexpected argument \"%s\"", argv[1]);
	printf("{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"%s\",\n",
	       MINI_SPEC_VERSION);
	printf("  \"hooks\": [");
	print_list(hooks);
	printf("],\n  \"mountOptions\": [");
	print_list(mount_options);
	printf("],\n  \"linux\": {\n    \"namespaces\": [");
	print_list(namespaces);
	printf("],\n    \"capabilities\": null,\n");
	/* what the runtime can drive, "regardless of the host" (runtime-spec's
	 * features.md): a pure v2 node and a hybrid one get the same answer */
	printf("    \"cgroup\": {\"v1\": true, \"v2\": true, \"systemd\": true, "
	       "\"systemdUser\": false, \"rdma\": true},\n");
	printf("    \"seccomp\": {\"enabled\": true, \"actions\": [");
	print_list(actions);
	printf("], \"operators\": [");
	print_list(ops);
	printf("], \"archs\": [");
	print_list(archs);
	printf("], \"supportedFlags\": [");
	print_list(seccomp_flags);
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
