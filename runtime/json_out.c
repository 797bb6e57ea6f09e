/* json_out.c - see json_out.h. */
#include <jansson.h>

#include "json_out.h"

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
