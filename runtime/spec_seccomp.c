/* spec_seccomp.c - linux.seccomp as strings and numbers; seccomp.c turns
 * the names into a filter (and rejects unknown ones) in the parent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "spec_internal.h"
#include "util.h"

static int parse_args(json_t *rule, const char *path, struct spec_seccomp_rule *sr,
		      struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char sub[128];
	size_t i;
	int r;

	if ((r = sj_array(rule, "args", path, &arr, err)) < 0)
		return r;
	if (!arr || json_array_size(arr) == 0)
		return 0;
	sr->args = calloc(json_array_size(arr), sizeof(*sr->args));
	if (!sr->args)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		struct spec_seccomp_arg *a = &sr->args[i];
		long long index = 0;

		snprintf(sub, sizeof(sub), "%s.args[%zu]", path, i);
		sr->nargs = i + 1;
		if (!json_is_object(item))
			return rt_fail(err, EINVAL, "%s: expected an object", sub);
		if ((r = sj_int(item, "index", sub, 0, 5, NULL, &index, err)) < 0 ||
		    (r = sj_uint64(item, "value", sub, NULL, &a->value, err)) < 0 ||
		    (r = sj_uint64(item, "valueTwo", sub, NULL, &a->value_two, err)) < 0 ||
		    (r = sj_string(item, "op", sub, true, &a->op, err)) < 0)
			return r;
		a->index = (unsigned)index;
	}
	return 0;
}

static int parse_rule(json_t *item, const char *path, struct spec_seccomp_rule *sr,
		      struct rt_error *err)
{
	long long e = 0;
	int r;

	if (!json_is_object(item))
		return rt_fail(err, EINVAL, "%s: expected an object", path);
	if ((r = sj_strv(item, "names", path, &sr->names, err)) < 0 ||
	    (r = sj_string(item, "action", path, true, &sr->action, err)) < 0 ||
	    (r = sj_int(item, "errnoRet", path, 0, UINT16_MAX, &sr->has_errno, &e, err)) < 0 ||
	    (r = parse_args(item, path, sr, err)) < 0)
		return r;
	if (!sr->names || !sr->names[0])
		return rt_fail(err, EINVAL, "%s.names: must name at least one syscall", path);
	sr->errno_ret = (uint32_t)e;
	return 0;
}

int spec_parse_seccomp(json_t *lx, struct spec *spec, struct rt_error *err)
{
	static const char path[] = "linux.seccomp";
	json_t *obj = NULL, *rules = NULL, *item;
	struct spec_seccomp *s;
	long long e = 0;
	char sub[64];
	size_t i;
	int r;

	if ((r = sj_object(lx, "seccomp", "linux", &obj, err)) < 0)
		return r;
	if (!obj)
		return 0;
	s = spec->seccomp = calloc(1, sizeof(*s));
	if (!s)
		return rt_fail(err, ENOMEM, "out of memory");
	if ((r = sj_string(obj, "defaultAction", path, true, &s->default_action, err)) < 0 ||
	    (r = sj_int(obj, "defaultErrnoRet", path, 0, UINT16_MAX, &s->has_default_errno, &e,
			err)) < 0 ||
	    (r = sj_strv(obj, "architectures", path, &s->architectures, err)) < 0 ||
	    (r = sj_strv(obj, "flags", path, &s->flags, err)) < 0 ||
	    (r = sj_array(obj, "syscalls", path, &rules, err)) < 0)
		return r;
	s->default_errno = (uint32_t)e;
	if (!rules || json_array_size(rules) == 0)
		return 0;
	s->rules = calloc(json_array_size(rules), sizeof(*s->rules));
	if (!s->rules)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(rules, i, item)
	{
		snprintf(sub, sizeof(sub), "%s.syscalls[%zu]", path, i);
		s->nrules = i + 1;
		if ((r = parse_rule(item, sub, &s->rules[i], err)) < 0)
			return r;
	}
	return 0;
}

void spec_seccomp_free(struct spec_seccomp *s)
{
	if (!s)
		return;
	free(s->default_action);
	strv_free(s->architectures);
	strv_free(s->flags);
	for (size_t i = 0; i < s->nrules; i++) {
		strv_free(s->rules[i].names);
		free(s->rules[i].action);
		for (size_t j = 0; j < s->rules[i].nargs; j++)
			free(s->rules[i].args[j].op);
		free(s->rules[i].args);
	}
	free(s->rules);
	free(s);
}
