/* spec.h - config.json as plain C structs.
 *
 * spec.c is the only file that sees jansson. spec_load() checks every field
 * it reads (type, range) and names the JSON path in its errors; semantic
 * checks that belong to a subsystem (capability names, seccomp actions,
 * memory policy rules) are done by that subsystem before anything is
 * created. A struct spec owns all its strings; spec_free() releases them. */
#ifndef MINI_SPEC_H
#define MINI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "error.h"
#include "mempolicy.h"
#include "resources.h"

struct spec_idmap {
	uint32_t container_id, host_id, size;
};

struct spec_mount {
	char *destination, *type, *source;
	unsigned long flags;	   /* MS_* set by options */
	unsigned long clear;	   /* MS_* cleared by options (rw, dev, ...) */
	unsigned long propagation; /* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE (|MS_REC) */
	bool bind;		   /* bind or rbind; recursive is MS_REC in flags */
	char *data;		   /* the other options, comma-joined, for mount(2) */
	/* "idmap" or "ridmap" (recursive: every submount of an rbind too),
	 * with the mount's own mappings, or none: the container's (idmap.h) */
	bool idmap, idmap_recursive;
	struct spec_idmap *uid_maps, *gid_maps;
	size_t n_uid_maps, n_gid_maps;
	bool recursive_ro;	   /* "rro": read-only with every submount of a bind */
	/* not from config.json: made detached by the runtime's side and sent
	 * to the init (idmap_plan in idmap.h) */
	bool by_parent;
};

enum spec_ns_type { NS_PID, NS_NET, NS_MNT, NS_IPC, NS_UTS, NS_USER, NS_CGROUP, NS_TIME, NS_COUNT };

struct spec_ns {
	bool enabled;	/* listed in linux.namespaces */
	char *path;	/* join this one instead of creating */
};

struct spec_rlimit {
	int resource;
	struct rlimit limit;
};

struct spec_device {
	char *path;
	char type; /* 'c', 'b', 'u', 'p' */
	long long major, minor;
	mode_t mode;
	bool has_mode, has_uid, has_gid;
	uid_t uid;
	gid_t gid;
};

struct spec_hook {
	char *path;
	char **args; /* NULL-terminated; may be NULL */
	char **env;  /* NULL-terminated; may be NULL */
	int timeout; /* seconds, 0 = none */
};

enum spec_hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_KIND_COUNT
};

struct spec_hook_list {
	struct spec_hook *items;
	size_t count;
};

struct spec_seccomp_arg {
	unsigned index;
	uint64_t value, value_two;
	char *op;
};

struct spec_seccomp_rule {
	char **names; /* NULL-terminated */
	char *action;
	bool has_errno;
	uint32_t errno_ret;
	struct spec_seccomp_arg *args;
	size_t nargs;
};

struct spec_seccomp {
	char *default_action;
	bool has_default_errno;
	uint32_t default_errno;
	char **architectures; /* NULL-terminated; may be NULL */
	char **flags;	      /* NULL-terminated; may be NULL */
	struct spec_seccomp_rule *rules;
	size_t nrules;
};

/* Capability sets as names (validated by caps.c in the parent). */
enum spec_cap_set { CAP_SET_BOUNDING, CAP_SET_EFFECTIVE, CAP_SET_INHERITABLE,
		    CAP_SET_PERMITTED, CAP_SET_AMBIENT, CAP_SET_COUNT };

struct spec_process {
	bool terminal;
	unsigned console_height, console_width;
	uid_t uid;
	gid_t gid;
	gid_t *additional_gids;
	size_t n_additional_gids;
	bool has_umask;
	mode_t umask;
	char **args; /* NULL-terminated */
	char **env;  /* NULL-terminated; may be NULL */
	char *cwd;
	bool has_caps;
	char **caps[CAP_SET_COUNT]; /* NULL-terminated, NULL when absent */
	uint64_t cap_masks[CAP_SET_COUNT]; /* filled by caps_parse() */
	struct spec_rlimit *rlimits;
	size_t nrlimits;
	bool no_new_privileges;
	char *apparmor_profile; /* NULL when absent */
	bool has_oom_score_adj;
	int oom_score_adj;
	bool has_ioprio;
	int ioprio_class, ioprio_level;
	bool has_scheduler;
	int sched_policy, sched_priority;
	int sched_nice;
	uint64_t sched_flags;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

struct spec_time_offset {
	int clock; /* CLOCK_MONOTONIC or CLOCK_BOOTTIME */
	int64_t secs;
	uint32_t nanosecs;
};

struct spec_sysctl {
	char *key, *value;
};

struct spec_annotation {
	char *key, *value;
};

struct spec {
	char *oci_version;
	char *bundle;	 /* absolute path of the bundle directory */
	char *root_path; /* absolute path of the rootfs */
	bool root_readonly;
	char *hostname, *domainname;
	struct spec_process *process; /* NULL when config.json has none */
	struct spec_mount *mounts;
	size_t nmounts;
	struct spec_hook_list hooks[HOOK_KIND_COUNT];
	struct spec_annotation *annotations;
	size_t nannotations;

	/* linux */
	struct spec_ns ns[NS_COUNT];
	struct spec_idmap *uid_maps, *gid_maps;
	size_t n_uid_maps, n_gid_maps;
	struct spec_sysctl *sysctl;
	size_t nsysctl;
	struct spec_device *devices;
	size_t ndevices;
	char **masked_paths;   /* NULL-terminated; may be NULL */
	char **readonly_paths; /* NULL-terminated; may be NULL */
	unsigned long rootfs_propagation; /* 0 = default (rslave) */
	char *cgroups_path;
	struct spec_seccomp *seccomp;
	bool has_personality;
	unsigned long personality;
	struct spec_time_offset time_offsets[2];
	size_t ntime_offsets;
	bool has_memory_policy;
	struct mpol_policy memory_policy;
	/* where it came from: "linux.memoryPolicy" or `annotations["KEY"]`
	 * (spec_mempolicy.c); NULL without a policy */
	char *memory_policy_source;
	/* `annotations["KEY"]` whose different (or bad) policy lost to
	 * linux.memoryPolicy, for create's log; NULL if none */
	char *memory_policy_overridden;
	struct resources *resources; /* linux.resources, parsed; NULL if absent */
};

/* Reads <bundle>/config.json. `bundle` may be relative. */
int spec_load(const char *bundle, struct spec **ret_spec, struct rt_error *err);
/* The same, and hands over the bytes it parsed (malloc'd, you now own
 * them; ret_text may be NULL): create keeps them in the state directory. */
int spec_load_text(const char *bundle, struct spec **ret_spec, char **ret_text, size_t *ret_len,
		   struct rt_error *err);
/* Parses config.json's bytes; `name` names them in messages. `bundle` is
 * taken as is (absolute). `rootfs` NULL resolves root.path against the
 * bundle; otherwise it is the rootfs create resolved, used as is: after
 * create the bundle may have moved or changed. */
int spec_parse(const char *text, size_t len, const char *name, const char *bundle,
	       const char *rootfs, struct spec **ret_spec, struct rt_error *err);
/* Parses a runtime-spec process object (exec --process). */
int spec_load_process(const char *path, struct spec_process **ret_process, struct rt_error *err);
void spec_free(struct spec *spec);
void spec_process_free(struct spec_process *process);


/* The vocabularies (spec_names.c), one table each, read by the parser,
 * the code that applies them and `features`. The *_name_at functions list
 * a table: NULL past its end. */
const char *spec_ns_name(enum spec_ns_type type);      /* linux.namespaces: "network" */
const char *spec_ns_proc_name(enum spec_ns_type type); /* /proc/PID/ns: "net" */
int spec_ns_clone_flag(enum spec_ns_type type);
int spec_ns_parse(const char *name, enum spec_ns_type *ret_type); /* -1: unknown */
const char *spec_ns_name_at(size_t i);
const char *spec_hook_name(enum spec_hook_kind kind);
const char *spec_hook_name_at(size_t i);

enum spec_mount_opt_kind {
	MOUNT_OPT_FLAGS,	/* set, clear, propagation */
	MOUNT_OPT_RECURSIVE_RO, /* "rro" */
	MOUNT_OPT_IDMAP,	/* "idmap" */
	MOUNT_OPT_RIDMAP,	/* "ridmap" */
};
struct spec_mount_option {
	const char *name;
	unsigned long set, clear, propagation;
	enum spec_mount_opt_kind kind;
};
/* NULL for a name that is no option (filesystem data, for the parser). */
const struct spec_mount_option *spec_mount_option(const char *name);
const char *spec_mount_option_name_at(size_t i);
/* linux.rootfsPropagation and the propagation options: "rslave" <-> MS_SLAVE | MS_REC */
int spec_propagation_parse(const char *name, unsigned long *ret_flags); /* -1: unknown */
const char *spec_propagation_name(unsigned long flags);

#endif
