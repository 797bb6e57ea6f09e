/* json_out.c - see json_out.h. */
#include <jansson.h>
#include <string.h>

#include "json_out.h"
#include "version.h"

static char *dump(json_t *v)
{
	char *out = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	json_decref(v);
	return out;
}

static long long figure(long long v)
{
	return v < 0 ? 0 : v;
}

char *json_out_stats(const char *id, const struct cgroups_stats *s)
{
	return dump(json_pack("{s:s, s:s, s:{s:{s:{s:I}}, s:{s:{s:I, s:I}, s:I}, s:{s:I, s:I}}}",
			      "type", "stats", "id", id, "data", "cpu", "usage", "total",
			      (json_int_t)figure(s->cpu_ns), "memory", "usage", "usage",
			      (json_int_t)figure(s->mem), "limit", (json_int_t)s->mem_limit,
			      "oom_kill", (json_int_t)figure(s->oom_kills), "pids", "current",
			      (json_int_t)figure(s->pids), "limit", (json_int_t)s->pids_limit));
}

char *json_out_pids(const pid_t *pids, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_integer(pids[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	return dump(arr);
}

char *json_out_log(const char *level, const char *msg, const char *time)
{
	/* nocheck: a message may carry any bytes (a path, a config value) */
	return dump(json_pack("{s:s, s:o, s:s}", "level", level, "msg", json_string_nocheck(msg),
			      "time", time));
}

/* The default template (busybox-friendly: sh, the usual mounts, runc's
 * default capabilities and masked paths): data, loaded as it is. */
static const char config_template[] =
    "{"
    "\"ociVersion\": \"" MINI_SPEC_VERSION "\","
    "\"process\": {\"terminal\": true, \"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [\"sh\"],"
    " \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", "
    "\"TERM=xterm\"],"
    " \"cwd\": \"/\","
    " \"capabilities\": {"
    "  \"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
    "  \"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
    "  \"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]},"
    " \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],"
    " \"noNewPrivileges\": true},"
    "\"root\": {\"path\": \"rootfs\", \"readonly\": true},"
    "\"hostname\": \"mini\","
    "\"mounts\": ["
    " {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
    " {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
    "  \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},"
    " {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\","
    "  \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\", "
    "\"gid=5\"]},"
    " {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\","
    "  \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},"
    " {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\","
    "  \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
    " {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
    "  \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]}],"
    "\"linux\": {"
    " \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"},"
    "  {\"type\": \"uts\"}, {\"type\": \"mount\"}],"
    " \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\","
    "  \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\","
    "  \"/sys/firmware\", \"/proc/scsi\"],"
    " \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\","
    "  \"/proc/sysrq-trigger\"],"
    /* runc's default: no device but the standard few, whatever nodes the
     * rootfs brings (a block device in an image is the host's disk) */
    " \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}}"
    "}";

/* One id mapped onto itself: [{containerID 0, hostID id, size 1}]. */
static json_t *one_mapping(unsigned id)
{
	return json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID", (json_int_t)id, "size",
			 1);
}

static void make_rootless(json_t *config, uid_t uid, gid_t gid)
{
	json_t *lx = json_object_get(config, "linux"), *ns = json_array(), *m;
	json_t *mounts = json_object_get(config, "mounts");
	static const char *const keep[] = {"pid", "ipc", "uts", "mount", "user"};
	size_t i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		json_array_append_new(ns, json_pack("{s:s}", "type", keep[i]));
	json_object_set_new(lx, "namespaces", ns);
	json_object_set_new(lx, "uidMappings", one_mapping(uid));
	json_object_set_new(lx, "gidMappings", one_mapping(gid));
	json_object_del(lx, "resources"); /* no cgroup to write them to */
	json_array_foreach(mounts, i, m)
	{
		const char *dest = json_string_value(json_object_get(m, "destination"));
		json_t *opts = json_object_get(m, "options");

		/* gid=5 needs that group mapped; a sysfs of its own a network
		 * namespace of its own: the host's, read-only */
		for (size_t k = json_array_size(opts); dest && !strcmp(dest, "/dev/pts") && k > 0;
		     k--)
			if (!strcmp(json_string_value(json_array_get(opts, k - 1)) ?: "", "gid=5"))
				json_array_remove(opts, k - 1);
		if (dest && !strcmp(dest, "/sys"))
			json_array_set_new(mounts, i,
					   json_pack("{s:s, s:s, s:s, s:[s, s, s, s, s]}",
						     "destination", "/sys", "type", "none",
						     "source", "/sys", "options", "rbind", "nosuid",
						     "noexec", "nodev", "ro"));
	}
}

char *json_out_config(bool rootless, uid_t uid, gid_t gid)
{
	json_t *config = json_loads(config_template, 0, NULL);
	char *out;

	if (config && rootless)
		make_rootless(config, uid, gid);
	out = config ? json_dumps(config, JSON_INDENT(2)) : NULL;
	json_decref(config);
	return out;
}
