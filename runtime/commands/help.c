/* help.c - `help [COMMAND]`, `COMMAND --help` and the global usage: one
 * table of every command's summary, operands and options, what each
 * command's parser accepts (runc's flags, less the few refused). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static const struct {
	const char *name, *summary, *operands, *options, *notes;
} help[] = {
	{"create", "create a container from a bundle", "[OPTIONS] <container-id>",
	 "  -b, --bundle DIR        the bundle directory (default: the current one)\n"
	 "  --console-socket PATH   an AF_UNIX socket that receives the pty master\n"
	 "  --pid-file FILE         write the init's host pid to FILE\n"
	 "  --preserve-fds N        pass fds 3 .. 3+N-1 to the container (closed ones stay closed)\n"
	 "  --no-pivot              accepted; the rootfs is always entered with pivot_root\n"
	 "  --no-new-keyring        accepted; no session keyring is made\n", NULL},
	{"start", "start a created container", "<container-id>", NULL, NULL},
	{"run", "create, start and wait for a container",
	 "[OPTIONS] <container-id>  |  run BUNDLE_DIR",
	 "  -b, --bundle DIR        the bundle directory (default: the current one)\n"
	 "  -d, --detach            return once the process runs\n"
	 "  --keep                  keep the stopped container (delete removes it)\n"
	 "  --console-socket PATH   an AF_UNIX socket that receives the pty master\n"
	 "  --pid-file FILE         write the init's host pid to FILE\n"
	 "  --preserve-fds N        pass fds 3 .. 3+N-1 to the container (closed ones stay closed)\n"
	 "  --no-pivot, --no-new-keyring, --no-subreaper   accepted\n", NULL},
	{"state", "print the state of a container", "<container-id>", NULL, NULL},
	{"kill", "send a signal to a container's init", "[OPTIONS] <container-id> [SIGNAL]",
	 "  -a, --all               signal every process in the container's cgroup\n",
	 "SIGNAL is a number, a name or a SIG name (default: SIGTERM).\n"},
	{"delete", "delete a container", "[OPTIONS] <container-id>",
	 "  -f, --force             kill a running container first (SIGKILL)\n", NULL},
	{"list", "list containers", "[OPTIONS]",
	 "  -f, --format table|json the output (default: table)\n"
	 "  -q, --quiet             container ids only\n", NULL},
	{"features", "print the features this runtime supports", "", NULL, NULL},
	{"spec", "write a default config.json", "[OPTIONS]",
	 "  -b, --bundle DIR        where to write it (default: the current directory)\n"
	 "  --rootless              for a rootless container of the calling user (as runc)\n",
	 NULL},
	{"exec", "run another process in a container",
	 "[OPTIONS] <container-id> COMMAND [ARGS...]  |  exec --process FILE <container-id>",
	 "  -p, --process FILE      the process object (JSON) to run\n"
	 "  -d, --detach            return once the process runs\n"
	 "  -t, --tty               allocate a pseudo-terminal\n"
	 "  --console-socket PATH   an AF_UNIX socket that receives the pty master\n"
	 "  --pid-file FILE         write the process's host pid to FILE\n"
	 "  --cwd DIR               the working directory in the container\n"
	 "  -e, --env NAME=VALUE    set an environment variable (repeatable)\n"
	 "  -u, --user UID[:GID]    the user to run as\n"
	 "  -g, --additional-gids GID   an additional group (repeatable)\n"
	 "  -c, --cap CAP           add a capability (repeatable)\n"
	 "  --no-new-privs          set no_new_privs for the process\n"
	 "  --apparmor PROFILE      the AppArmor profile for the process\n"
	 "  --preserve-fds N        pass fds 3 .. 3+N-1 to the process (closed ones stay closed)\n"
	 "  --ignore-paused         exec in a paused container too\n",
	 "The flags apply on top of --process too. --process-label, --cgroup and\n"
	 "--pidfd-socket are refused: not supported.\n"},
	{"ps", "list the processes of a container", "[OPTIONS] <container-id> [ps options]",
	 "  -f, --format table|json the output (default: table: ps's, default -ef, with\n"
	 "                          the container's rows only; json: an array of pids)\n", NULL},
	{"pause", "freeze a container's processes", "<container-id>", NULL, NULL},
	{"resume", "thaw a paused container", "<container-id>", NULL, NULL},
	{"update", "change a container's resource limits", "[OPTIONS] <container-id>",
	 "  -r, --resources FILE    linux.resources as JSON ('-': standard input)\n"
	 "  --memory SIZE           memory limit (-1: unlimited)\n"
	 "  --memory-reservation SIZE   soft limit\n"
	 "  --memory-swap SIZE      memory + swap limit (-1: unlimited)\n"
	 "  --kernel-memory SIZE    kernel memory limit (cgroup v1, where the kernel has it)\n"
	 "  --kernel-memory-tcp SIZE   TCP buffer limit (cgroup v1)\n"
	 "  --cpu-period N          CFS period (us)\n"
	 "  --cpu-quota N           CFS quota (us, -1: unlimited)\n"
	 "  --cpu-burst N           CFS burst (us), at most the quota\n"
	 "  --cpu-share N           CPU shares\n"
	 "  --cpu-rt-period N       realtime period (us)\n"
	 "  --cpu-rt-runtime N      realtime runtime (us)\n"
	 "  --cpu-idle 0|1          SCHED_IDLE for the cgroup\n"
	 "  --cpuset-cpus LIST      CPUs to use (0-3,5)\n"
	 "  --cpuset-mems LIST      memory nodes to use\n"
	 "  --pids-limit N          maximum number of pids\n"
	 "  --blkio-weight N        block I/O weight, 10 to 1000\n",
	 "SIZE: bytes, or with a unit as runc takes it: 512k, 128m, 1.5g, 64KiB, 2MB (x1024)\n"
	 "--resources excludes the other flags. --l3-cache-schema and --mem-bw-schema\n"
	 "are refused: Intel RDT is not supported.\n"},
	{"events", "print resource usage", "--stats <container-id>",
	 "  --stats                 print the container's stats once, then exit\n", NULL},
	{"help", "show the commands, or one command's usage", "[COMMAND]", NULL, NULL},
};

void cli_usage(FILE *out)
{
	fprintf(out, "usage: mini-runtime [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n\n"
		     "global options:\n"
		     "  --root DIR              state directory (default: /run/mini-runtime;\n"
		     "                          not root: $XDG_RUNTIME_DIR/mini-runtime)\n"
		     "  --log FILE              where errors, warnings and debug lines go\n"
		     "  --log-format text|json  the log's format (default: text)\n"
		     "  --debug                 log each step at debug level\n"
		     "  --systemd-cgroup        the systemd cgroup driver\n"
		     "  -h, --help              this text; COMMAND --help for a command's\n"
		     "  -v, --version           the runtime's and the spec's versions\n\n"
		     "commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(help); i++)
		fprintf(out, "  %-10s %s\n", help[i].name, help[i].summary);
}

int cli_help(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(help); i++) {
		if (strcmp(help[i].name, name) != 0)
			continue;
		printf("mini-runtime %s - %s\n\nusage: mini-runtime %s%s%s\n", name,
		       help[i].summary, name, *help[i].operands ? " " : "", help[i].operands);
		printf("\noptions:\n%s  -h, --help              this text\n",
		       help[i].options ? help[i].options : "");
		if (help[i].notes)
			printf("\n%s", help[i].notes);
		return CLI_DONE;
	}
	return -ENOENT;
}

int cmd_help(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	(void)g;
	if (argc < 2) {
		cli_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		argv[1] = argv[0];
	if (argc > 2)
		return rt_fail(err, EINVAL, "help: unexpected argument \"%s\"", argv[2]);
	if (cli_help(argv[1]) < 0)
		return rt_fail(err, EINVAL, "help: unknown command \"%s\"", argv[1]);
	return 0;
}

int cli_id_only(int argc, char **argv, const char **ret_id, struct rt_error *err)
{
	int first = 1;

	if (first < argc && (strcmp(argv[first], "-h") == 0 || strcmp(argv[first], "--help") == 0))
		return cli_help(argv[0]);
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	else if (first < argc && argv[first][0] == '-' && argv[first][1])
		return rt_fail(err, EINVAL, "%s: unknown option \"%s\"", argv[0], argv[first]);
	return cli_one_id(argc, argv, first, ret_id, err);
}
