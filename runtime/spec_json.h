/* spec_json.h - typed getters over jansson for the spec parser (spec*.c
 * only). Each takes the JSON path of the value for its error message:
 * "process.args[2]: expected a string". A missing optional member leaves
 * the output untouched and returns 0. */
#ifndef MINI_SPEC_JSON_H
#define MINI_SPEC_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

int sj_object(json_t *parent, const char *key, const char *path, json_t **ret, struct rt_error *err);
int sj_array(json_t *parent, const char *key, const char *path, json_t **ret, struct rt_error *err);
int sj_string(json_t *parent, const char *key, const char *path, bool required, char **ret,
	      struct rt_error *err);
int sj_bool(json_t *parent, const char *key, const char *path, bool *ret, struct rt_error *err);
int sj_int(json_t *parent, const char *key, const char *path, long long min, long long max,
	   bool *ret_present, long long *ret, struct rt_error *err);
int sj_uint64(json_t *parent, const char *key, const char *path, bool *ret_present, uint64_t *ret,
	      struct rt_error *err);
/* An array of strings into a NULL-terminated malloc'd vector (NULL when absent). */
int sj_strv(json_t *parent, const char *key, const char *path, char ***ret, struct rt_error *err);
void strv_free(char **v);

#endif
