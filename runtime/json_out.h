/* json_out.h - the JSON the runtime prints besides the state (state.c's
 * state_to_json): `events --stats`, `ps --format json`, the log lines of
 * --log-format json, `spec`'s config.json. Made with jansson, as everything JSON the runtime
 * writes; each returns a malloc'd string, NULL when out of memory. */
#ifndef MINI_JSON_OUT_H
#define MINI_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroups.h"

/* runc's `events --stats` shape; a figure the host lacks is 0, a limit
 * it lacks -1. */
char *json_out_stats(const char *id, const struct cgroups_stats *s);
/* The host pids as one array. */
char *json_out_pids(const pid_t *pids, size_t n);
/* One log line, {"level", "msg", "time"} as runc writes it (containerd's
 * shim reads it); msg's bytes are passed as they are. */
char *json_out_log(const char *level, const char *msg, const char *time);

/* `spec`'s config.json (indented): the default template, or with rootless
 * runc's rootless variant of it for uid and gid (libcontainer/specconv
 * ToRootless: no network namespace, a user namespace mapping the ids,
 * /sys bound from the host, no gid= mount option, no resources). */
char *json_out_config(bool rootless, uid_t uid, gid_t gid);

#endif
