/* spec_process.c - the "process" object of config.json (also the file that
 * `exec --process` reads). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"
#include "util.h"

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{"RLIMIT_AS", RLIMIT_AS},	  {"RLIMIT_CORE", RLIMIT_CORE},
	{"RLIMIT_CPU", RLIMIT_CPU},	  {"RLIMIT_DATA", RLIMIT_DATA},
	{"RLIMIT_FSIZE", RLIMIT_FSIZE},	  {"RLIMIT_LOCKS", RLIMIT_LOCKS},
	{"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
	{"RLIMIT_NICE", RLIMIT_NICE},	  {"RLIMIT_NOFILE", RLIMIT_NOFILE},
	{"RLIMIT_NPROC", RLIMIT_NPROC},	  {"RLIMIT_RSS", RLIMIT_RSS},
	{"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},
	{"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

static const struct {
	const char *name;
	int value;
} sched_policies[] = {
	{"SCHED_OTHER", SCHED_OTHER}, {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
	{"SCHED_BATCH", SCHED_BATCH}, {"SCHED_ISO", 4},		  {"SCHED_IDLE", SCHED_IDLE},
	{"SCHED_DEADLINE", 6},
};

static const char *const ioprio_classes[] = {"IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT",
					     "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"};

static const char *const cap_set_keys[CAP_SET_COUNT] = {"bounding", "effective", "inheritable",
							"permitted", "ambient"};

static int parse_rlimits(json_t *obj, const char *path, struct spec_process *p,
			 struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char sub[128];
	size_t i;
	int r;

	if ((r = sj_array(obj, "rlimits", path, &arr, err)) < 0)
		return r;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	p->rlimits = calloc(json_array_size(arr), sizeof(*p->rlimits));
	if (!p->rlimits)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		cleanup_free char *type = NULL;
		uint64_t soft = 0, hard = 0;
		size_t k;

		snprintf(sub, sizeof(sub), "%s.rlimits[%zu]", path, i);
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if ((r = sj_string(item, "type", sub, true, &type, err)) < 0 ||
		    (r = sj_uint64(item, "soft", sub, NULL, &soft, err)) < 0 ||
		    (r = sj_uint64(item, "hard", sub, NULL, &hard, err)) < 0)
			return r;
		for (k = 0; k < ARRAY_SIZE(rlimit_names); k++)
			if (strcmp(type, rlimit_names[k].name) == 0)
				break;
		if (k == ARRAY_SIZE(rlimit_names))
			return rt_fail(err, EINVAL, "%s.type: unknown rlimit \"%s\"", sub, type);
		for (size_t j = 0; j < p->nrlimits; j++)
			if (p->rlimits[j].resource == rlimit_names[k].resource)
				return rt_fail(err, EINVAL, "%s.type: duplicate rlimit \"%s\"", sub,
					       type);
		/* setrlimit would refuse it in the init, after everything was made */
		if (soft > hard)
			return rt_fail(err, EINVAL, "%s.soft: %llu is above hard (%llu)", sub,
				       (unsigned long long)soft, (unsigned long long)hard);
		p->rlimits[p->nrlimits].resource = rlimit_names[k].resource;
		p->rlimits[p->nrlimits].limit.rlim_cur = soft;
		p->rlimits[p->nrlimits].limit.rlim_max = hard;
		p->nrlimits++;
	}
	return 0;
}

static int parse_user(json_t *obj, const char *path, struct spec_process *p, struct rt_error *err)
{
	json_t *user = NULL, *gids = NULL, *item;
	char sub[128];
	long long v = 0;
	bool present = false;
	size_t i;
	int r;

	snprintf(sub, sizeof(sub), "%s.user", path);
	if ((r = sj_object(obj, "user", path, &user, err)) < 0)
		return r;
	if (!user)
		return 0;
	if ((r = sj_int(user, "uid", sub, 0, UINT32_MAX - 1, NULL, &v, err)) < 0)
		return r;
	p->uid = (uid_t)v;
	v = 0;
	if ((r = sj_int(user, "gid", sub, 0, UINT32_MAX - 1, NULL, &v, err)) < 0)
		return r;
	p->gid = (gid_t)v;
	if ((r = sj_int(user, "umask", sub, 0, 0777, &present, &v, err)) < 0)
		return r;
	p->has_umask = present;
	p->umask = (mode_t)v;
	if ((r = sj_array(user, "additionalGids", sub, &gids, err)) < 0)
		return r;
	if (!gids || json_array_size(gids) == 0)
		return 0;
	p->additional_gids = calloc(json_array_size(gids), sizeof(gid_t));
	if (!p->additional_gids)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(gids, i, item)
	{
		char idx[160];

		snprintf(idx, sizeof(idx), "%s.additionalGids[%zu]", sub, i);
		if ((r = sj_int(item, NULL, idx, 0, UINT32_MAX - 1, NULL, &v, err)) < 0)
			return r;
		p->additional_gids[p->n_additional_gids++] = (gid_t)v;
	}
	return 0;
}

static int parse_caps(json_t *obj, const char *path, struct spec_process *p, struct rt_error *err)
{
	json_t *caps = NULL;
	char sub[128];
	int r;

	if ((r = sj_object(obj, "capabilities", path, &caps, err)) < 0)
		return r;
	if (!caps)
		return 0;
	p->has_caps = true;
	snprintf(sub, sizeof(sub), "%s.capabilities", path);
	for (int s = 0; s < CAP_SET_COUNT; s++)
		if ((r = sj_strv(caps, cap_set_keys[s], sub, &p->caps[s], err)) < 0)
			return r;
	return 0;
}

static int parse_console_size(json_t *obj, const char *path, struct spec_process *p,
			      struct rt_error *err)
{
	json_t *size = NULL;
	char sub[128];
	long long h = 0, w = 0;
	int r;

	if ((r = sj_object(obj, "consoleSize", path, &size, err)) < 0)
		return r;
	if (!size)
		return 0;
	snprintf(sub, sizeof(sub), "%s.consoleSize", path);
	if ((r = sj_int(size, "height", sub, 0, UINT16_MAX, NULL, &h, err)) < 0 ||
	    (r = sj_int(size, "width", sub, 0, UINT16_MAX, NULL, &w, err)) < 0)
		return r;
	p->console_height = (unsigned)h;
	p->console_width = (unsigned)w;
	return 0;
}

static int parse_io_priority(json_t *obj, const char *path, struct spec_process *p,
			     struct rt_error *err)
{
	json_t *io = NULL;
	cleanup_free char *cls = NULL;
	char sub[128];
	long long prio = 0;
	size_t k;
	int r;

	if ((r = sj_object(obj, "ioPriority", path, &io, err)) < 0)
		return r;
	if (!io)
		return 0;
	snprintf(sub, sizeof(sub), "%s.ioPriority", path);
	if ((r = sj_string(io, "class", sub, true, &cls, err)) < 0 ||
	    (r = sj_int(io, "priority", sub, 0, 7, NULL, &prio, err)) < 0)
		return r;
	for (k = 0; k < ARRAY_SIZE(ioprio_classes); k++)
		if (strcmp(cls, ioprio_classes[k]) == 0)
			break;
	if (k == ARRAY_SIZE(ioprio_classes))
		return rt_fail(err, EINVAL, "%s.class: unknown class \"%s\"", sub, cls);
	p->has_ioprio = true;
	p->ioprio_class = (int)k;
	p->ioprio_level = (int)prio;
	return 0;
}

static int parse_scheduler(json_t *obj, const char *path, struct spec_process *p,
			   struct rt_error *err)
{
	json_t *sch = NULL;
	cleanup_free char *policy = NULL;
	char sub[128];
	long long nice = 0, prio = 0;
	size_t k;
	int r;

	if ((r = sj_object(obj, "scheduler", path, &sch, err)) < 0)
		return r;
	if (!sch)
		return 0;
	snprintf(sub, sizeof(sub), "%s.scheduler", path);
	if ((r = sj_string(sch, "policy", sub, true, &policy, err)) < 0 ||
	    (r = sj_int(sch, "nice", sub, -20, 19, NULL, &nice, err)) < 0 ||
	    (r = sj_int(sch, "priority", sub, 0, 99, NULL, &prio, err)) < 0 ||
	    (r = sj_uint64(sch, "runtime", sub, NULL, &p->sched_runtime, err)) < 0 ||
	    (r = sj_uint64(sch, "deadline", sub, NULL, &p->sched_deadline, err)) < 0 ||
	    (r = sj_uint64(sch, "period", sub, NULL, &p->sched_period, err)) < 0)
		return r;
	for (k = 0; k < ARRAY_SIZE(sched_policies); k++)
		if (strcmp(policy, sched_policies[k].name) == 0)
			break;
	if (k == ARRAY_SIZE(sched_policies))
		return rt_fail(err, EINVAL, "%s.policy: unknown policy \"%s\"", sub, policy);
	p->has_scheduler = true;
	p->sched_policy = sched_policies[k].value;
	p->sched_nice = (int)nice;
	p->sched_priority = (int)prio;
	return 0;
}

int spec_parse_process(json_t *obj, const char *path, struct spec_process *p, struct rt_error *err)
{
	long long oom = 0;
	int r;

	if ((r = sj_bool(obj, "terminal", path, &p->terminal, err)) < 0 ||
	    (r = parse_console_size(obj, path, p, err)) < 0 ||
	    (r = parse_user(obj, path, p, err)) < 0 ||
	    (r = sj_strv(obj, "args", path, &p->args, err)) < 0 ||
	    (r = sj_strv(obj, "env", path, &p->env, err)) < 0 ||
	    (r = sj_string(obj, "cwd", path, false, &p->cwd, err)) < 0 ||
	    (r = parse_caps(obj, path, p, err)) < 0 || (r = parse_rlimits(obj, path, p, err)) < 0 ||
	    (r = sj_bool(obj, "noNewPrivileges", path, &p->no_new_privileges, err)) < 0 ||
	    (r = sj_string(obj, "apparmorProfile", path, false, &p->apparmor_profile, err)) < 0 ||
	    (r = sj_int(obj, "oomScoreAdj", path, -1000, 1000, &p->has_oom_score_adj, &oom, err)) <
		0 ||
	    (r = parse_io_priority(obj, path, p, err)) < 0 ||
	    (r = parse_scheduler(obj, path, p, err)) < 0)
		return r;
	p->oom_score_adj = (int)oom;
	if (!p->args || !p->args[0])
		return rt_fail(err, EINVAL, "%s.args: must hold at least the program", path);
	if (!p->cwd) {
		p->cwd = strdup("/");
		if (!p->cwd)
			return rt_fail(err, ENOMEM, "out of memory");
	}
	if (p->cwd[0] != '/')
		return rt_fail(err, EINVAL, "%s.cwd: \"%s\" is not an absolute path", path, p->cwd);
	return 0;
}

void spec_process_free(struct spec_process *p)
{
	if (!p)
		return;
	free(p->additional_gids);
	strv_free(p->args);
	strv_free(p->env);
	free(p->cwd);
	free(p->apparmor_profile);
	for (int s = 0; s < CAP_SET_COUNT; s++)
		strv_free(p->caps[s]);
	free(p->rlimits);
	free(p);
}

int spec_load_process(const char *path, struct spec_process **ret_process, struct rt_error *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	struct spec_process *p;
	int r;

	if (!root)
		return rt_fail(err, EINVAL, "%s: line %d: %s", path, jerr.line, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return rt_fail(err, EINVAL, "%s: expected an object", path);
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		json_decref(root);
		return rt_fail(err, ENOMEM, "out of memory");
	}
	r = spec_parse_process(root, "process", p, err);
	json_decref(root);
	if (r < 0) {
		spec_process_free(p);
		return r;
	}
	*ret_process = p;
	return 0;
}
