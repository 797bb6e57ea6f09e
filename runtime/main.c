/* main.c - global options, then one command. Errors are printed here and
 * only here. Exit codes: 0 success, 1 failure, `run`: the container's. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_options.h"
#include "commands/commands.h"
#include "log.h"
#include "rootless.h"
#include "seccomp_profile.h"
#include "selfexe.h"
#include "version.h"

static const struct command {
	const char *name;
	command_fn fn;
} commands[] = {
	{"create", cmd_create},	  {"start", cmd_start},	  {"run", cmd_run},
	{"state", cmd_state},	  {"kill", cmd_kill},	  {"delete", cmd_delete},
	{"list", cmd_list},	  {"features", cmd_features}, {"spec", cmd_spec},
	{"exec", cmd_exec},	  {"ps", cmd_ps},	  {"pause", cmd_pause},
	{"resume", cmd_resume},	  {"update", cmd_update}, {"events", cmd_events},
	{"help", cmd_help},
};

/* starts a process in a container: see selfexe.h */
static bool protects_exe(const char *name)
{
#define REEXEC_NAME(n) n,
	static const char *const reexec[] = {CLI_REEXEC_COMMANDS(REEXEC_NAME)};
#undef REEXEC_NAME

	for (size_t i = 0; i < sizeof(reexec) / sizeof(reexec[0]); i++)
		if (strcmp(name, reexec[i]) == 0)
			return true;
	return false;
}

/* jansson seeds its hash tables from /dev/urandom (open, read, close) on
 * first use. The only JSON we parse is the caller's config and our own
 * state: flooding the hash tables is no threat here (it would take the
 * caller attacking itself), so the clock, read through the vDSO without a
 * syscall, is seed enough, as jansson's own fallback does. */
static void seed_json(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	json_object_seed(((size_t)ts.tv_sec * 1000000007u) ^ (size_t)ts.tv_nsec ^ 1u);
}

int main(int argc, char **argv)
{
#define GETOPT_ENTRY(name, has_arg, val) {name, has_arg, NULL, val},
	static const struct option opts[] = {CLI_GLOBAL_OPTIONS(GETOPT_ENTRY){NULL, 0, NULL, 0}};
#undef GETOPT_ENTRY
	const char *why = NULL;
	struct global_opts g = {.root = rootless_default_root(&why)};
	const char *log_path = NULL, *log_format = "text";
	struct rt_error err = {0};
	bool debug = false;
	int o, r;

	opterr = 0;
	while ((o = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			g.root = optarg;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'f':
			log_format = optarg;
			break;
		case 'd':
			debug = true;
			break;
		case 's':
			g.systemd_cgroup = true;
			break;
		case 'R':
		case 'C':
			break; /* runc's; accepted and ignored */
		case 'h':
			cli_usage(stdout);
			return 0;
		case 'v':
			printf("mini-runtime version %s\nspec: %s\n", MINI_VERSION,
			       MINI_SPEC_VERSION);
			return 0;
		default:
			fprintf(stderr, "mini-runtime: unknown global option \"%s\"\n",
				argv[optind - 1]);
			return 1;
		}
	}
	if (log_setup(log_path, log_format, debug) < 0) {
		fprintf(stderr, "mini-runtime: --log %s / --log-format %s: cannot use them\n",
			log_path ? log_path : "-", log_format);
		return 1;
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return 1;
	}
	/* rootless without XDG_RUNTIME_DIR: runc's /run/runc becomes ours,
	 * which the user can likely not write: state_create_dir says so */
	if (!g.root) {
		log_debug("rootless: %s: the state goes to /run/mini-runtime (give --root)", why);
		g.root = "/run/mini-runtime";
	}
	/* built seccomp filters are kept beside the containers' state */
	seccomp_cache_use(g.root);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0)
			continue;
		if (protects_exe(commands[i].name) && selfexe_protect(argv, &err) < 0) {
			log_error(err.msg);
			return 1;
		}
		seed_json();
		r = commands[i].fn(argc - optind, argv + optind, &g, &err);
		if (r < 0) {
			log_error(err.msg);
			return 1;
		}
		return r;
	}
	snprintf(err.msg, sizeof(err.msg), "unknown command \"%s\"", argv[optind]);
	log_error(err.msg);
	cli_usage(stderr);
	return 1;
}
