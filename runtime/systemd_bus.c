/* systemd_bus.c - systemd's Manager over the system bus (libdbus). A
 * private connection per call: the runtime makes a handful of calls per
 * container and exits, so nothing is kept open. */
#include <dbus/dbus.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "systemd_bus.h"
#include "util.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
/* systemd answers in milliseconds; a busy node may take seconds */
#define CALL_TIMEOUT_MS 30000
#define JOB_TIMEOUT_S 30

bool unit_props_add(struct unit_props *props, const char *name, enum unit_prop_type type,
		    const struct unit_prop *value)
{
	struct unit_prop *p;

	if (props->n == UNIT_PROPS_MAX)
		return false;
	p = &props->p[props->n++];
	*p = value ? *value : (struct unit_prop){0};
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->type = type;
	return true;
}

static int bus_fail(struct rt_error *err, DBusError *e, const char *what)
{
	int r = rt_fail(err, EIO, "--systemd-cgroup: %s: %s", what,
			dbus_error_is_set(e) ? e->message : "no reply from systemd");
	dbus_error_free(e);
	return r;
}

static DBusConnection *bus_open(DBusError *e)
{
	DBusConnection *bus = dbus_bus_get_private(DBUS_BUS_SYSTEM, e);

	if (bus)
		dbus_connection_set_exit_on_disconnect(bus, FALSE);
	return bus;
}

static void bus_close(DBusConnection *bus)
{
	dbus_connection_close(bus);
	dbus_connection_unref(bus);
}

static bool append_variant(DBusMessageIter *it, const struct unit_prop *p)
{
	static const char *const sig[] = {[PROP_STRING] = "s", [PROP_BOOL] = "b",
					  [PROP_UINT64] = "t", [PROP_INT64] = "x",
					  [PROP_UINT32] = "u", [PROP_INT32] = "i",
					  [PROP_DOUBLE] = "d", [PROP_PIDS] = "au",
					  [PROP_BYTES] = "ay"};
	DBusMessageIter var, arr;
	const char *s = p->str;
	dbus_bool_t b = p->u64 != 0;
	dbus_uint32_t u32 = (dbus_uint32_t)p->u64;
	dbus_int32_t i32 = (dbus_int32_t)p->i64;
	const uint8_t *bytes = p->bytes;
	bool ok;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, sig[p->type], &var))
		return false;
	switch (p->type) {
	case PROP_STRING: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_STRING, &s); break;
	case PROP_BOOL: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_BOOLEAN, &b); break;
	case PROP_UINT64: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_UINT64, &p->u64); break;
	case PROP_INT64: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_INT64, &p->i64); break;
	case PROP_UINT32: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_UINT32, &u32); break;
	case PROP_INT32: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_INT32, &i32); break;
	case PROP_DOUBLE: ok = dbus_message_iter_append_basic(&var, DBUS_TYPE_DOUBLE, &p->dbl); break;
	case PROP_PIDS:
		ok = dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "u", &arr) &&
		     dbus_message_iter_append_basic(&arr, DBUS_TYPE_UINT32, &u32) &&
		     dbus_message_iter_close_container(&var, &arr);
		break;
	case PROP_BYTES:
		ok = dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "y", &arr) &&
		     dbus_message_iter_append_fixed_array(&arr, DBUS_TYPE_BYTE, &bytes,
							  (int)p->nbytes) &&
		     dbus_message_iter_close_container(&var, &arr);
		break;
	default: ok = false;
	}
	return ok && dbus_message_iter_close_container(it, &var);
}

/* a(sv) */
static bool append_props(DBusMessageIter *it, const struct unit_props *props)
{
	DBusMessageIter arr, st;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "(sv)", &arr))
		return false;
	for (size_t i = 0; i < props->n; i++) {
		const char *name = props->p[i].name;

		if (!dbus_message_iter_open_container(&arr, DBUS_TYPE_STRUCT, NULL, &st) ||
		    !dbus_message_iter_append_basic(&st, DBUS_TYPE_STRING, &name) ||
		    !append_variant(&st, &props->p[i]) ||
		    !dbus_message_iter_close_container(&arr, &st))
			return false;
	}
	return dbus_message_iter_close_container(it, &arr);
}

/* The job's result from a JobRemoved(u id, o job, s unit, s result) signal
 * for job, or NULL when msg is something else. */
static const char *job_result(DBusMessage *msg, const char *job)
{
	dbus_uint32_t id;
	const char *path, *unit, *result;

	if (!dbus_message_is_signal(msg, SD_MANAGER, "JobRemoved") ||
	    !dbus_message_get_args(msg, NULL, DBUS_TYPE_UINT32, &id, DBUS_TYPE_OBJECT_PATH, &path,
				   DBUS_TYPE_STRING, &unit, DBUS_TYPE_STRING, &result,
				   DBUS_TYPE_INVALID) ||
	    strcmp(path, job) != 0)
		return NULL;
	return result;
}

/* Waits for JobRemoved of job (signals queued while the call was answered
 * included); *result is set from systemd's own string. */
static int wait_job(DBusConnection *bus, const char *job, char *result, size_t len)
{
	time_t deadline = time(NULL) + JOB_TIMEOUT_S;

	while (time(NULL) <= deadline) {
		DBusMessage *msg;

		while ((msg = dbus_connection_pop_message(bus))) {
			const char *r = job_result(msg, job);

			if (r)
				snprintf(result, len, "%s", r);
			dbus_message_unref(msg);
			if (r)
				return 0;
		}
		if (!dbus_connection_read_write(bus, 1000))
			return -EPIPE;
	}
	return -ETIMEDOUT;
}

/* Subscribes to the Manager's JobRemoved before a job is queued, so that
 * its end cannot be missed. */
static bool subscribe(DBusConnection *bus, DBusError *e)
{
	DBusMessage *msg, *reply;

	dbus_bus_add_match(bus,
			   "type='signal',sender='" SD_DEST "',path='" SD_PATH "',"
			   "interface='" SD_MANAGER "',member='JobRemoved'",
			   e);
	if (dbus_error_is_set(e))
		return false;
	msg = dbus_message_new_method_call(SD_DEST, SD_PATH, SD_MANAGER, "Subscribe");
	if (!msg)
		return false;
	reply = dbus_connection_send_with_reply_and_block(bus, msg, CALL_TIMEOUT_MS, e);
	dbus_message_unref(msg);
	if (reply)
		dbus_message_unref(reply);
	return reply != NULL;
}

/* Sends a Manager call that queues a job, waits for the job. `name` names
 * the call in messages. A NoSuchUnit error sets *no_unit (when given). */
static int job_call(DBusMessage *msg, const char *unit, const char *name, bool *no_unit,
		    struct rt_error *err)
{
	DBusError e;
	DBusConnection *bus;
	DBusMessage *reply;
	const char *job = NULL;
	char what[320], result[64] = "";
	int r;

	dbus_error_init(&e);
	snprintf(what, sizeof(what), "%s %s", name, unit);
	bus = bus_open(&e);
	if (!bus) {
		dbus_message_unref(msg);
		return bus_fail(err, &e, "connect to the system bus");
	}
	if (!subscribe(bus, &e)) {
		dbus_message_unref(msg);
		bus_close(bus);
		return bus_fail(err, &e, "subscribe to systemd's job signals");
	}
	reply = dbus_connection_send_with_reply_and_block(bus, msg, CALL_TIMEOUT_MS, &e);
	dbus_message_unref(msg);
	if (!reply) {
		if (no_unit && dbus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit")) {
			*no_unit = true;
			dbus_error_free(&e);
			bus_close(bus);
			return 0;
		}
		bus_close(bus);
		return bus_fail(err, &e, what);
	}
	if (!dbus_message_get_args(reply, &e, DBUS_TYPE_OBJECT_PATH, &job, DBUS_TYPE_INVALID)) {
		dbus_message_unref(reply);
		bus_close(bus);
		return bus_fail(err, &e, what);
	}
	r = wait_job(bus, job, result, sizeof(result));
	dbus_message_unref(reply);
	bus_close(bus);
	if (r < 0)
		return rt_fail(err, -r, "--systemd-cgroup: %s: %s", what,
			       r == -ETIMEDOUT ? "systemd did not finish the job in time"
					       : "the bus went away");
	if (strcmp(result, "done") != 0)
		return rt_fail(err, EIO, "--systemd-cgroup: %s: the job ended \"%s\" (see journalctl -u %s)",
			       what, result, unit);
	return 0;
}

int systemd_start_unit(const char *unit, const struct unit_props *props, struct rt_error *err)
{
	DBusMessage *msg = dbus_message_new_method_call(SD_DEST, SD_PATH, SD_MANAGER,
							"StartTransientUnit");
	DBusMessageIter it, aux;
	const char *mode = "replace";

	if (!msg)
		return rt_fail(err, ENOMEM, "out of memory");
	dbus_message_iter_init_append(msg, &it);
	if (!dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &unit) ||
	    !dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &mode) ||
	    !append_props(&it, props) ||
	    /* no auxiliary units */
	    !dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "(sa(sv))", &aux) ||
	    !dbus_message_iter_close_container(&it, &aux)) {
		dbus_message_unref(msg);
		return rt_fail(err, ENOMEM, "out of memory");
	}
	return job_call(msg, unit, "start", NULL, err);
}

static void reset_failed(const char *unit)
{
	DBusError e;
	DBusConnection *bus;
	DBusMessage *msg, *reply;

	dbus_error_init(&e);
	bus = bus_open(&e);
	msg = dbus_message_new_method_call(SD_DEST, SD_PATH, SD_MANAGER, "ResetFailedUnit");
	if (bus && msg && dbus_message_append_args(msg, DBUS_TYPE_STRING, &unit, DBUS_TYPE_INVALID)) {
		reply = dbus_connection_send_with_reply_and_block(bus, msg, CALL_TIMEOUT_MS, &e);
		if (reply)
			dbus_message_unref(reply);
	}
	dbus_error_free(&e); /* a unit that is not failed (or gone) is fine */
	if (msg)
		dbus_message_unref(msg);
	if (bus)
		bus_close(bus);
}

int systemd_stop_unit(const char *unit, struct rt_error *err)
{
	DBusMessage *msg = dbus_message_new_method_call(SD_DEST, SD_PATH, SD_MANAGER, "StopUnit");
	const char *mode = "replace";
	bool gone = false;
	int r;

	if (!msg || !dbus_message_append_args(msg, DBUS_TYPE_STRING, &unit, DBUS_TYPE_STRING, &mode,
					      DBUS_TYPE_INVALID)) {
		if (msg)
			dbus_message_unref(msg);
		return rt_fail(err, ENOMEM, "out of memory");
	}
	r = job_call(msg, unit, "stop", &gone, err);
	reset_failed(unit);
	return r;
}

int systemd_set_unit_properties(const char *unit, const struct unit_props *props,
				struct rt_error *err)
{
	DBusMessage *msg = dbus_message_new_method_call(SD_DEST, SD_PATH, SD_MANAGER,
							"SetUnitProperties");
	DBusMessageIter it;
	dbus_bool_t runtime = TRUE;
	DBusError e;
	DBusConnection *bus;
	DBusMessage *reply;

	if (!msg)
		return rt_fail(err, ENOMEM, "out of memory");
	dbus_message_iter_init_append(msg, &it);
	if (!dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &unit) ||
	    !dbus_message_iter_append_basic(&it, DBUS_TYPE_BOOLEAN, &runtime) ||
	    !append_props(&it, props)) {
		dbus_message_unref(msg);
		return rt_fail(err, ENOMEM, "out of memory");
	}
	dbus_error_init(&e);
	bus = bus_open(&e);
	if (!bus) {
		dbus_message_unref(msg);
		return bus_fail(err, &e, "connect to the system bus");
	}
	reply = dbus_connection_send_with_reply_and_block(bus, msg, CALL_TIMEOUT_MS, &e);
	dbus_message_unref(msg);
	bus_close(bus);
	if (!reply)
		return bus_fail(err, &e, "set the properties of the unit");
	dbus_message_unref(reply);
	return 0;
}
