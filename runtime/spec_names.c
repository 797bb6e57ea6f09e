/* spec_names.c - the vocabularies of config.json, one table each: the
 * namespaces, the hooks, the mount options (propagation among them). The
 * parser reads them, the code that applies them names what it does with
 * them, and `features` lists them: what one accepts the others know. */
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/mount.h>

#include "spec.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80 /* Linux 5.6 */
#endif

static const struct {
	const char *name; /* linux.namespaces[].type */
	const char *proc; /* /proc/PID/ns/NAME */
	int clone_flag;
} namespaces[NS_COUNT] = {
	[NS_PID] = {"pid", "pid", CLONE_NEWPID},
	[NS_NET] = {"network", "net", CLONE_NEWNET},
	[NS_MNT] = {"mount", "mnt", CLONE_NEWNS},
	[NS_IPC] = {"ipc", "ipc", CLONE_NEWIPC},
	[NS_UTS] = {"uts", "uts", CLONE_NEWUTS},
	[NS_USER] = {"user", "user", CLONE_NEWUSER},
	[NS_CGROUP] = {"cgroup", "cgroup", CLONE_NEWCGROUP},
	[NS_TIME] = {"time", "time", CLONE_NEWTIME},
};

/* hooks.NAME, in the order the lifecycle runs them */
static const char *const hooks[HOOK_KIND_COUNT] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

/* mounts[].options: flags set and cleared, propagation; the last three are
 * not flags (spec_mount.c). rootfsPropagation takes the propagation ones. */
static const struct spec_mount_option mount_options[] = {
	{"defaults", 0, 0, 0, MOUNT_OPT_FLAGS},
	{"ro", MS_RDONLY, 0, 0, MOUNT_OPT_FLAGS},
	{"rw", 0, MS_RDONLY, 0, MOUNT_OPT_FLAGS},
	{"nosuid", MS_NOSUID, 0, 0, MOUNT_OPT_FLAGS},
	{"suid", 0, MS_NOSUID, 0, MOUNT_OPT_FLAGS},
	{"nodev", MS_NODEV, 0, 0, MOUNT_OPT_FLAGS},
	{"dev", 0, MS_NODEV, 0, MOUNT_OPT_FLAGS},
	{"noexec", MS_NOEXEC, 0, 0, MOUNT_OPT_FLAGS},
	{"exec", 0, MS_NOEXEC, 0, MOUNT_OPT_FLAGS},
	{"sync", MS_SYNCHRONOUS, 0, 0, MOUNT_OPT_FLAGS},
	{"async", 0, MS_SYNCHRONOUS, 0, MOUNT_OPT_FLAGS},
	{"dirsync", MS_DIRSYNC, 0, 0, MOUNT_OPT_FLAGS},
	{"remount", MS_REMOUNT, 0, 0, MOUNT_OPT_FLAGS},
	{"mand", MS_MANDLOCK, 0, 0, MOUNT_OPT_FLAGS},
	{"nomand", 0, MS_MANDLOCK, 0, MOUNT_OPT_FLAGS},
	{"noatime", MS_NOATIME, 0, 0, MOUNT_OPT_FLAGS},
	{"atime", 0, MS_NOATIME, 0, MOUNT_OPT_FLAGS},
	{"nodiratime", MS_NODIRATIME, 0, 0, MOUNT_OPT_FLAGS},
	{"diratime", 0, MS_NODIRATIME, 0, MOUNT_OPT_FLAGS},
	{"relatime", MS_RELATIME, 0, 0, MOUNT_OPT_FLAGS},
	{"norelatime", 0, MS_RELATIME, 0, MOUNT_OPT_FLAGS},
	{"strictatime", MS_STRICTATIME, 0, 0, MOUNT_OPT_FLAGS},
	{"nostrictatime", 0, MS_STRICTATIME, 0, MOUNT_OPT_FLAGS},
	{"lazytime", MS_LAZYTIME, 0, 0, MOUNT_OPT_FLAGS},
	{"nolazytime", 0, MS_LAZYTIME, 0, MOUNT_OPT_FLAGS},
	{"silent", MS_SILENT, 0, 0, MOUNT_OPT_FLAGS},
	{"loud", 0, MS_SILENT, 0, MOUNT_OPT_FLAGS},
	{"bind", MS_BIND, 0, 0, MOUNT_OPT_FLAGS},
	{"rbind", MS_BIND | MS_REC, 0, 0, MOUNT_OPT_FLAGS},
	{"private", 0, 0, MS_PRIVATE, MOUNT_OPT_FLAGS},
	{"rprivate", 0, 0, MS_PRIVATE | MS_REC, MOUNT_OPT_FLAGS},
	{"shared", 0, 0, MS_SHARED, MOUNT_OPT_FLAGS},
	{"rshared", 0, 0, MS_SHARED | MS_REC, MOUNT_OPT_FLAGS},
	{"slave", 0, 0, MS_SLAVE, MOUNT_OPT_FLAGS},
	{"rslave", 0, 0, MS_SLAVE | MS_REC, MOUNT_OPT_FLAGS},
	{"unbindable", 0, 0, MS_UNBINDABLE, MOUNT_OPT_FLAGS},
	{"runbindable", 0, 0, MS_UNBINDABLE | MS_REC, MOUNT_OPT_FLAGS},
	/* runc's recursive read-only (mount_setattr, AT_RECURSIVE) */
	{"rro", MS_RDONLY, 0, 0, MOUNT_OPT_RECURSIVE_RO},
	/* runtime-spec 1.2: either one idmaps the mount */
	{"idmap", 0, 0, 0, MOUNT_OPT_IDMAP},
	{"ridmap", 0, 0, 0, MOUNT_OPT_RIDMAP},
};

const char *spec_ns_name(enum spec_ns_type type)
{
	return namespaces[type].name;
}

const char *spec_ns_proc_name(enum spec_ns_type type)
{
	return namespaces[type].proc;
}

int spec_ns_clone_flag(enum spec_ns_type type)
{
	return namespaces[type].clone_flag;
}

int spec_ns_parse(const char *name, enum spec_ns_type *ret_type)
{
	for (int t = 0; t < NS_COUNT; t++)
		if (strcmp(name, namespaces[t].name) == 0) {
			*ret_type = (enum spec_ns_type)t;
			return 0;
		}
	return -1;
}

const char *spec_hook_name(enum spec_hook_kind kind)
{
	return hooks[kind];
}

const char *spec_ns_name_at(size_t i)
{
	return i < NS_COUNT ? namespaces[i].name : NULL;
}

const char *spec_hook_name_at(size_t i)
{
	return i < HOOK_KIND_COUNT ? hooks[i] : NULL;
}

const struct spec_mount_option *spec_mount_option(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_options); i++)
		if (strcmp(name, mount_options[i].name) == 0)
			return &mount_options[i];
	return NULL;
}

const char *spec_mount_option_name_at(size_t i)
{
	return i < ARRAY_SIZE(mount_options) ? mount_options[i].name : NULL;
}

int spec_propagation_parse(const char *name, unsigned long *ret_flags)
{
	const struct spec_mount_option *o = spec_mount_option(name);

	if (!o || !o->propagation)
		return -1;
	*ret_flags = o->propagation;
	return 0;
}

const char *spec_propagation_name(unsigned long flags)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_options); i++)
		if (mount_options[i].propagation && mount_options[i].propagation == flags)
			return mount_options[i].name;
	return "?";
}
