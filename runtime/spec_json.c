#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_json.h"
#include "util.h"

/* "path.key", or "path" when key is NULL, or "key" when path is empty. */
static const char *join(char *buf, size_t len, const char *path, const char *key)
{
	if (!key)
		return path;
	snprintf(buf, len, "%s%s%s", path, *path ? "." : "", key);
	return buf;
}

static int type_error(const char *path, const char *key, const char *what, struct rt_error *err)
{
	char buf[512];

	return rt_fail(err, EINVAL, "%s: expected %s", join(buf, sizeof(buf), path, key), what);
}

static json_t *member(json_t *parent, const char *key)
{
	json_t *v = key ? json_object_get(parent, key) : parent;
	return json_is_null(v) ? NULL : v;
}

int sj_object(json_t *parent, const char *key, const char *path, json_t **ret, struct rt_error *err)
{
	json_t *v = member(parent, key);

	if (!v)
		return 0;
	if (!json_is_object(v))
		return type_error(path, key, "an object", err);
	*ret = v;
	return 0;
}

int sj_array(json_t *parent, const char *key, const char *path, json_t **ret, struct rt_error *err)
{
	json_t *v = member(parent, key);

	if (!v)
		return 0;
	if (!json_is_array(v))
		return type_error(path, key, "an array", err);
	*ret = v;
	return 0;
}

int sj_string(json_t *parent, const char *key, const char *path, bool required, char **ret,
	      struct rt_error *err)
{
	json_t *v = member(parent, key);
	char buf[512], *s;

	if (!v) {
		if (required)
			return rt_fail(err, EINVAL, "%s: is required",
				       join(buf, sizeof(buf), path, key));
		return 0;
	}
	if (!json_is_string(v))
		return type_error(path, key, "a string", err);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return rt_fail(err, EINVAL, "%s: contains a NUL byte",
			       join(buf, sizeof(buf), path, key));
	s = strdup(json_string_value(v));
	if (!s)
		return rt_fail(err, ENOMEM, "out of memory");
	free(*ret);
	*ret = s;
	return 0;
}

int sj_bool(json_t *parent, const char *key, const char *path, bool *ret, struct rt_error *err)
{
	json_t *v = member(parent, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return type_error(path, key, "a boolean", err);
	*ret = json_is_true(v);
	return 0;
}

int sj_int(json_t *parent, const char *key, const char *path, long long min, long long max,
	   bool *ret_present, long long *ret, struct rt_error *err)
{
	json_t *v = member(parent, key);
	char buf[512];
	long long n;

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return type_error(path, key, "an integer", err);
	n = json_integer_value(v);
	if (n < min || n > max)
		return rt_fail(err, ERANGE, "%s: %lld is out of range [%lld, %lld]",
			       join(buf, sizeof(buf), path, key), n, min, max);
	if (ret_present)
		*ret_present = true;
	*ret = n;
	return 0;
}

int sj_uint64(json_t *parent, const char *key, const char *path, bool *ret_present, uint64_t *ret,
	      struct rt_error *err)
{
	json_t *v = member(parent, key);

	if (!v)
		return 0;
	/* jansson holds integers as long long; larger values arrive as reals */
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*ret = (uint64_t)json_integer_value(v);
	} else if (json_is_real(v) && json_real_value(v) >= 0 &&
		   json_real_value(v) <= 18446744073709551615.0) {
		*ret = (uint64_t)json_real_value(v);
	} else {
		return type_error(path, key, "an unsigned integer", err);
	}
	if (ret_present)
		*ret_present = true;
	return 0;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

int sj_strv(json_t *parent, const char *key, const char *path, char ***ret, struct rt_error *err)
{
	json_t *arr = NULL, *item;
	char **v, sub[256];
	size_t i;
	int r;

	if ((r = sj_array(parent, key, path, &arr, err)) < 0)
		return r;
	if (!arr)
		return 0;
	v = calloc(json_array_size(arr) + 1, sizeof(*v));
	if (!v)
		return rt_fail(err, ENOMEM, "out of memory");
	json_array_foreach(arr, i, item)
	{
		snprintf(sub, sizeof(sub), "%s%s%s[%zu]", path, *path ? "." : "", key ? key : "", i);
		if ((r = sj_string(item, NULL, sub, true, &v[i], err)) < 0) {
			strv_free(v);
			return r;
		}
	}
	strv_free(*ret);
	*ret = v;
	return 0;
}
