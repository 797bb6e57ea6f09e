/* spec.c - `spec`: writes a default config.json (busybox-friendly: sh,
 * the usual mounts, runc's default capabilities and masked paths), or with
 * --rootless runc's rootless variant of it for the calling user. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"
#include "version.h"

/* The template in parts: what both share, and what rootless mode changes
 * (as runc's `spec --rootless`, libcontainer/specconv ToRootless). */
static const char head[] =
	"{\n"
	"  \"ociVersion\": \"" MINI_SPEC_VERSION "\",\n"
	"  \"process\": {\n"
	"    \"terminal\": true,\n"
	"    \"user\": {\"uid\": 0, \"gid\": 0},\n"
	"    \"args\": [\"sh\"],\n"
	"    \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", "
	"\"TERM=xterm\"],\n"
	"    \"cwd\": \"/\",\n"
	"    \"capabilities\": {\n"
	"      \"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"      \"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"      \"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]\n"
	"    },\n"
	"    \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],\n"
	"    \"noNewPrivileges\": true\n"
	"  },\n"
	"  \"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
	"  \"hostname\": \"mini\",\n"
	"  \"mounts\": [\n"
	"    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
	"    {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", "
	"\"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n";

static const char devpts[] =
"    {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\", "
	"\"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
	"\"mode=0620\", \"gid=5\"]},\n";

static const char devpts_rootless[] =
"    {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\", "
	"\"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
	"\"mode=0620\"]},\n";

static const char shm_mqueue[] =
"    {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\", "
	"\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},\n"
	"    {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\", "
	"\"options\": [\"nosuid\", \"noexec\", \"nodev\"]},\n";

static const char tail[] =
"    {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", "
	"\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]}\n"
	"  ],\n"
	"  \"linux\": {\n"
	"    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"}, "
	"{\"type\": \"uts\"}, {\"type\": \"mount\"}],\n"
	"    \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\", "
	"\"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", "
	"\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"],\n"
	"    \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", "
	"\"/proc/sysrq-trigger\"],\n"
	/* runc's default: no device but the standard few, whatever nodes the
	 * rootfs brings (a block device in an image is the host's disk) */
	"    \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}\n"
	"  }\n"
	"}\n";

static const char tail_rootless[] =
	/* a sysfs of its own needs a network namespace of its own, which an
	 * unprivileged user has no way to wire up: the host's, read-only */
	"    {\"destination\": \"/sys\", \"type\": \"none\", \"source\": \"/sys\", "
	"\"options\": [\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"]}\n"
	"  ],\n"
	"  \"linux\": {\n"
	/* no network namespace, a user namespace mapping the caller's own
	 * ids (%u, %u), no resources: no cgroup to write them to */
	"    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, "
	"{\"type\": \"mount\"}, {\"type\": \"user\"}],\n"
	"    \"uidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n"
	"    \"gidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n"
	"    \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\", "
	"\"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", "
	"\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"],\n"
	"    \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", "
	"\"/proc/sysrq-trigger\"]\n"
	"  }\n"
	"}\n";

int cmd_spec(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
					     {"rootless", no_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *bundle = ".";
	char path[4096], rootless[sizeof(tail_rootless) + 32];
	const char *dev = devpts, *end = tail;
	cleanup_close int fd = -1;
	int o;

	(void)g;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_help(argv[0]) > 0 ? 0 : -EINVAL;
		if (o == 'r') {
			snprintf(rootless, sizeof(rootless), tail_rootless, (unsigned)geteuid(),
				 (unsigned)getegid());
			dev = devpts_rootless;
			end = rootless;
			continue;
		}
		if (o != 'b')
			return rt_fail(err, EINVAL, "spec: unknown option \"%s\"", argv[optind - 1]);
		bundle = optarg;
	}
	if (optind < argc)
		return rt_fail(err, EINVAL, "spec: unexpected argument \"%s\"", argv[optind]);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return rt_fail_errno(err, errno, "spec: create %s", path);
	if (write_all(fd, head, strlen(head)) < 0 || write_all(fd, dev, strlen(dev)) < 0 ||
	    write_all(fd, shm_mqueue, strlen(shm_mqueue)) < 0 || write_all(fd, end, strlen(end)) < 0)
		return rt_fail_errno(err, errno, "spec: write %s", path);
	return 0;
}
