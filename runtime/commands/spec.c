/* spec.c - `spec`: writes a default config.json (busybox-friendly: sh,
 * the usual mounts, runc's default capabilities and masked paths), or with
 * --rootless runc's rootless variant of it for the calling user. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "json_out.h"
#include "util.h"

int cmd_spec(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
					     {"rootless", no_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *bundle = ".";
	char path[4096];
	cleanup_free char *json = NULL;
	cleanup_close int fd = -1;
	bool rootless = false;
	int o;

	(void)g;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
		if (o == 'r') {
			rootless = true;
			continue;
		}
		if (o != 'b')
			return rt_fail(err, EINVAL, "spec: unknown option \"%s\"", argv[optind - 1]);
		bundle = optarg;
	}
	if (optind < argc)
		return rt_fail(err, EINVAL, "spec: unexpected argument \"%s\"", argv[optind]);
	json = json_out_config(rootless, geteuid(), getegid());
	if (!json)
		return rt_fail(err, ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return rt_fail_errno(err, errno, "spec: create %s", path);
	if (write_all(fd, json, strlen(json)) < 0 || write_all(fd, "\n", 1) < 0)
		return rt_fail_errno(err, errno, "spec: write %s", path);
	return 0;
}
