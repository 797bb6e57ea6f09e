/* state.c - state.json and the state directory. jansson is used here only
 * to write and read this one file of our own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "state.h"
#include "util.h"
#include "version.h"

static const char *const status_names[] = {"creating", "created", "running", "stopped",
					   "paused"};

const char *state_status_name(enum state_status status)
{
	return status_names[status];
}

/* "created, running or paused" */
void state_format_statuses(unsigned set, char *buf, size_t len)
{
	size_t n = 0, off = 0, total = 0;

	for (unsigned s = 0; s < ARRAY_SIZE(status_names); s++)
		total += (set & STATE_MASK(s)) != 0;
	buf[0] = '\0';
	for (unsigned s = 0; s < ARRAY_SIZE(status_names) && off < len; s++) {
		if (!(set & STATE_MASK(s)))
			continue;
		n++;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					n == 1 ? "" : n == total ? " or " : ", ", status_names[s]);
	}
}

int state_validate_id(const char *id, struct rt_error *err)
{
	size_t len = strlen(id);

	if (len == 0)
		return rt_fail(err, EINVAL, "container id: must not be empty");
	if (len > STATE_ID_MAX)
		return rt_fail(err, EINVAL, "container id: longer than %d characters", STATE_ID_MAX);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return rt_fail(err, EINVAL, "container id: \"%s\" is not allowed", id);
	for (const char *p = id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("_+.-", *p))
			continue;
		return rt_fail(err, EINVAL,
			       "container id: \"%s\" has an invalid character (allowed: "
			       "letters, digits, _ + . -)",
			       id);
	}
	return 0;
}

static int lock_dir(int dirfd, const char *id, struct rt_error *err)
{
	while (flock(dirfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return rt_fail_errno(err, errno, "lock container %s", id);
	return 0;
}

/* A `delete` that held the lock before us has removed the directory by the
 * time we get it: the fd then names an unlinked directory. */
static int check_not_deleted(int dirfd, const char *id, struct rt_error *err)
{
	struct stat st;

	if (fstat(dirfd, &st) < 0)
		return rt_fail_errno(err, errno, "container %s", id);
	if (st.st_nlink == 0)
		return rt_fail(err, ENOENT, "container %s does not exist", id);
	return 0;
}

int state_wait_unlocked(int dirfd, const char *id, struct rt_error *err)
{
	while (flock(dirfd, LOCK_SH) < 0)
		if (errno != EINTR)
			return rt_fail_errno(err, errno, "lock container %s", id);
	flock(dirfd, LOCK_UN);
	return check_not_deleted(dirfd, id, err);
}

int state_create_dir(const char *root, const char *id, int *ret_dirfd, struct rt_error *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, r;

	/* made under a name no id can have, locked, and only then renamed into
	 * place: nobody can take the lock of a container before its creator */
	snprintf(tmp, sizeof(tmp), "%s/~%d", root, (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", root, id);
	if (mkdir(tmp, 0700) < 0) {
		/* the root is made only when missing (the first container) */
		if (errno != ENOENT)
			return rt_fail_errno(err, errno, "mkdir %s", tmp);
		if (mkdir_p(root, 0700, err) < 0)
			return -EIO;
		if (mkdir(tmp, 0700) < 0)
			return rt_fail_errno(err, errno, "mkdir %s", tmp);
	}
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || lock_dir(fd, id, err) < 0) {
		r = fd < 0 ? rt_fail_errno(err, errno, "open %s", tmp) : -EIO;
		goto fail;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) < 0) {
		r = errno == EEXIST ? rt_fail(err, EEXIST, "container %s already exists", id)
				    : rt_fail_errno(err, errno, "rename %s to %s", tmp, path);
		goto fail;
	}
	*ret_dirfd = fd;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	rmdir(tmp);
	return r;
}

int state_open_unlocked(const char *root, const char *id, int *ret_fd, struct rt_error *err)
{
	char path[PATH_MAX];
	int fd;

	if (state_validate_id(id, err) < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? rt_fail(err, ENOENT, "container %s does not exist", id)
				       : rt_fail_errno(err, errno, "open %s", path);
	*ret_fd = fd;
	return 0;
}

int state_open_dir(const char *root, const char *id, int *ret_dirfd, struct rt_error *err)
{
	int fd;

	if (state_open_unlocked(root, id, &fd, err) < 0)
		return -EINVAL;
	if (lock_dir(fd, id, err) < 0 || check_not_deleted(fd, id, err) < 0) {
		close(fd);
		return -EIO;
	}
	*ret_dirfd = fd;
	return 0;
}

int state_remove_dir(const char *root, const char *id, struct rt_error *err)
{
	char path[PATH_MAX];
	char file[PATH_MAX];
	DIR *dir;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	/* usually state.json and config.json alone (start removes the fifo);
	 * anything else is found by reading the directory */
	snprintf(file, sizeof(file), "%s/%s", path, STATE_FILE);
	unlink(file);
	snprintf(file, sizeof(file), "%s/%s", path, STATE_CONFIG);
	unlink(file);
	if (rmdir(path) == 0 || errno == ENOENT)
		return 0;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : rt_fail_errno(err, errno, "open %s", path);
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(dir), de->d_name, 0);
	closedir(dir);
	if (rmdir(path) < 0 && errno != ENOENT)
		return rt_fail_errno(err, errno, "remove %s", path);
	return 0;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (the "civil from
 * days" algorithm over 400-year eras). */
static void civil_date(long long days, long long *y, unsigned *m, unsigned *d)
{
	long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

void state_format_time(const struct timespec *ts, char *buf, size_t len)
{
	long long y, days = ts->tv_sec / 86400 - (ts->tv_sec % 86400 < 0);
	long long secs = ts->tv_sec - days * 86400;
	unsigned m, d;

	civil_date(days, &y, &m, &d);
	snprintf(buf, len, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09ldZ", y, m, d, secs / 3600,
		 secs / 60 % 60, secs % 60, ts->tv_nsec);
}

void state_now(char *buf, size_t len)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	state_format_time(&ts, buf, len);
}

static json_t *policy_to_json(const struct mpol_policy *p)
{
	json_t *flags = json_array();
	char nodes[4096];

	for (unsigned bit = 1u << 13; bit <= 1u << 15; bit <<= 1)
		if ((p->flags & bit) && mpol_flag_name(bit))
			json_array_append_new(flags, json_string(mpol_flag_name(bit)));
	mpol_format_nodes(&p->nodes, nodes, sizeof(nodes));
	return json_pack("{s:s, s:s, s:o}", "mode",
			 mpol_mode_name(p->mode) ? mpol_mode_name(p->mode) : "unknown", "nodes",
			 nodes, "flags", flags);
}

static json_t *annotations_to_json(const struct state *st)
{
	json_t *obj = json_object();

	for (size_t i = 0; i < st->nannotations; i++)
		json_object_set_new(obj, st->annotations[i].key,
				    json_string(st->annotations[i].value));
	return obj;
}

char *state_to_json(const struct state *st, enum state_status status)
{
	json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "ociVersion", MINI_SPEC_VERSION, "id",
				st->id, "status", state_status_name(status), "bundle",
				st->bundle ? st->bundle : "", "rootfs", st->rootfs ? st->rootfs : "",
				"created", st->created, "annotations", annotations_to_json(st));
	char *out;

	if (!obj)
		return NULL;
	/* the spec: pid is present while the process exists (created/running) */
	if (status != STATUS_STOPPED && st->pid > 0)
		json_object_set_new(obj, "pid", json_integer(st->pid));
	json_object_set_new(obj, "owner", json_string(""));
	if (st->has_memory_policy)
		json_object_set_new(obj, "memoryPolicy", policy_to_json(&st->memory_policy));
	if (st->has_memory_policy && st->memory_policy_source)
		json_object_set_new(obj, "memoryPolicySource", json_string(st->memory_policy_source));
	out = json_dumps(obj, JSON_INDENT(2));
	json_decref(obj);
	return out;
}

/* The container's cgroups (cgroups.h's handle), one object a hierarchy. */
static json_t *cgroups_to_json(const struct cgroups *cg)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < cg->n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name",
						     cg->d[i].name, "dir", cg->d[i].dir, "top",
						     cg->d[i].top, "unit", cg->d[i].unit, "v2",
						     cg->d[i].v2));
	return arr;
}

/* "cgroups" back into the handle: one allocation, the strings after the
 * array (free() frees it, as cgroups.h says). NULL member: none; -EINVAL
 * when it is not what state_write wrote. */
static int cgroups_from_json(json_t *arr, struct cgroups **ret)
{
	static const char *const keys[] = {"name", "dir", "top", "unit"};
	size_t n = json_array_size(arr), bytes = sizeof(struct cgroups) + n * sizeof(struct cgroup_dir);
	struct cgroups *cg;
	json_t *item;
	char *s;
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return -EINVAL;
	json_array_foreach(arr, i, item)
	{
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			const char *v = json_string_value(json_object_get(item, keys[k]));

			if (!v || (k < 2 && !*v))
				return -EINVAL;
			bytes += strlen(v) + 1;
		}
		if (!json_is_boolean(json_object_get(item, "v2")))
			return -EINVAL;
	}
	if (!(cg = calloc(1, bytes)))
		return -ENOMEM;
	s = (char *)&cg->d[n];
	json_array_foreach(arr, i, item)
	{
		char **field[] = {&cg->d[i].name, &cg->d[i].dir, &cg->d[i].top, &cg->d[i].unit};

		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			*field[k] = strcpy(s, json_string_value(json_object_get(item, keys[k])));
			s += strlen(s) + 1;
		}
		cg->d[i].v2 = json_is_true(json_object_get(item, "v2"));
	}
	cg->n = n;
	*ret = cg;
	return 0;
}

int state_write(int dirfd, const struct state *st, struct rt_error *err)
{
	json_t *obj = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:b, s:o}", "id", st->id,
				"bundle", st->bundle, "rootfs", st->rootfs ? st->rootfs : "", "pid",
				(json_int_t)st->pid, "pidStartTime", (json_int_t)st->start_time,
				"created", st->created, "creating", st->creating, "hasProcess",
				st->has_process, "annotations", annotations_to_json(st));
	char *text;
	int r;

	if (!obj)
		return rt_fail(err, ENOMEM, "state.json: out of memory");
	if (st->has_memory_policy) {
		json_t *mp = json_pack("{s:i, s:I}", "mode", st->memory_policy.mode, "flags",
				       (json_int_t)st->memory_policy.flags);
		json_t *words = json_array();

		for (size_t i = 0; i < MPOL_MASK_WORDS; i++)
			json_array_append_new(words,
					      json_integer((json_int_t)st->memory_policy.nodes.bits[i]));
		json_object_set_new(mp, "mask", words);
		json_object_set_new(obj, "memoryPolicy", mp);
	}
	if (st->memory_policy_source)
		json_object_set_new(obj, "memoryPolicySource", json_string(st->memory_policy_source));
	if (st->cgroups)
		json_object_set_new(obj, "cgroups", cgroups_to_json(st->cgroups));
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!text)
		return rt_fail(err, ENOMEM, "state.json: out of memory");
	r = write_file_atomic(dirfd, STATE_FILE, text, strlen(text), 0600, err);
	free(text);
	return r;
}

static int read_annotations(json_t *obj, struct state *st)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj) || json_object_size(obj) == 0)
		return 0;
	st->annotations = calloc(json_object_size(obj), sizeof(*st->annotations));
	if (!st->annotations)
		return -ENOMEM;
	json_object_foreach(obj, key, v)
	{
		st->annotations[st->nannotations].key = strdup(key);
		st->annotations[st->nannotations].value = strdup(json_string_value(v) ?: "");
		st->nannotations++;
	}
	return 0;
}

static void read_policy(json_t *mp, struct state *st)
{
	json_t *words = json_object_get(mp, "mask");

	if (!json_is_object(mp))
		return;
	st->has_memory_policy = true;
	st->memory_policy.mode = (int)json_integer_value(json_object_get(mp, "mode"));
	st->memory_policy.flags = (unsigned)json_integer_value(json_object_get(mp, "flags"));
	for (size_t i = 0; i < MPOL_MASK_WORDS && i < json_array_size(words); i++) {
		st->memory_policy.nodes.bits[i] =
			(unsigned long)json_integer_value(json_array_get(words, i));
		if (st->memory_policy.nodes.bits[i])
			st->memory_policy.has_nodes = true;
	}
}

/* A file of ours, written whole and atomically: its size is what there
 * is. One read, where jansson's fd reader goes a byte at a time (1.9k
 * read(2)s for the state of a container in every hierarchy). */
static int read_whole(int fd, char **ret_text, size_t *ret_len)
{
	cleanup_free char *text = NULL;
	size_t len = 0;
	struct stat sb;
	ssize_t n = 0;

	if (fstat(fd, &sb) < 0)
		return -errno;
	text = malloc((size_t)sb.st_size + 1);
	if (!text)
		return -ENOMEM;
	while (len < (size_t)sb.st_size) {
		n = read(fd, text + len, (size_t)sb.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (len < (size_t)sb.st_size)
		return n < 0 ? -errno : -EIO;
	text[len] = '\0';
	*ret_text = steal_ptr(&text);
	*ret_len = len;
	return 0;
}

int state_read(int dirfd, const char *id, struct state *ret_state, struct rt_error *err)
{
	cleanup_close int fd = openat(dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	cleanup_free char *text = NULL;
	struct state st = {0};
	json_error_t jerr;
	json_t *obj;
	const char *bundle = NULL, *rootfs = NULL, *created = NULL;
	json_int_t pid = 0, start = 0;
	int creating = 0, has_process = 0, r;
	size_t len = 0;

	r = fd < 0 ? -errno : read_whole(fd, &text, &len);
	if (r < 0)
		return rt_fail_errno(err, -r, "container %s: read state", id);
	obj = json_loadb(text, len, 0, &jerr);
	if (!obj ||
	    json_unpack(obj, "{s:s, s:s, s:I, s:I, s:s, s:b, s:b}", "bundle", &bundle, "rootfs",
			&rootfs, "pid", &pid, "pidStartTime", &start, "created", &created, "creating",
			&creating, "hasProcess", &has_process) < 0 ||
	    (r = cgroups_from_json(json_object_get(obj, "cgroups"), &st.cgroups)) == -EINVAL) {
		json_decref(obj);
		return rt_fail(err, EINVAL, "container %s: state.json is corrupt", id);
	}
	snprintf(st.id, sizeof(st.id), "%s", id);
	st.bundle = strdup(bundle);
	st.rootfs = strdup(rootfs);
	st.pid = (pid_t)pid;
	st.start_time = (unsigned long long)start;
	snprintf(st.created, sizeof(st.created), "%s", created);
	st.creating = creating;
	st.has_process = has_process;
	read_policy(json_object_get(obj, "memoryPolicy"), &st);
	if (json_is_string(json_object_get(obj, "memoryPolicySource")))
		st.memory_policy_source =
			strdup(json_string_value(json_object_get(obj, "memoryPolicySource")));
	if (r < 0 || read_annotations(json_object_get(obj, "annotations"), &st) < 0 ||
	    !st.bundle || !st.rootfs) {
		json_decref(obj);
		state_free(&st);
		return rt_fail(err, ENOMEM, "out of memory");
	}
	json_decref(obj);
	*ret_state = st;
	return 0;
}

void state_free(struct state *st)
{
	free(st->bundle);
	free(st->rootfs);
	for (size_t i = 0; i < st->nannotations; i++) {
		free(st->annotations[i].key);
		free(st->annotations[i].value);
	}
	free(st->annotations);
	free(st->cgroups);
	free(st->memory_policy_source);
	memset(st, 0, sizeof(*st));
}

enum state_status state_status(int dirfd, const struct state *st)
{
	unsigned long long start = 0;
	struct stat sb;
	char pstate = 0;

	/* a create that has not cloned its init yet (or was killed before) */
	if (st->creating && st->pid <= 0)
		return STATUS_CREATING;
	if (st->pid <= 0 || proc_stat(st->pid, &start, &pstate) < 0)
		return STATUS_STOPPED;
	if (start != st->start_time || pstate == 'Z' || pstate == 'X')
		return STATUS_STOPPED;
	if (st->creating)
		return STATUS_CREATING;
	if (fstatat(dirfd, STATE_FIFO, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	return STATUS_RUNNING;
}

int state_write_config(int dirfd, const char *text, size_t len, struct rt_error *err)
{
	return write_file_atomic(dirfd, STATE_CONFIG, text, len, 0600, err);
}

int state_read_config(int dirfd, const char *id, char **ret_text, size_t *ret_len,
		      struct rt_error *err)
{
	cleanup_close int fd = openat(dirfd, STATE_CONFIG, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int r = fd < 0 ? -errno : read_whole(fd, ret_text, ret_len);

	if (r == -ENOMEM)
		return rt_fail(err, ENOMEM, "out of memory");
	if (r < 0)
		return rt_fail_errno(err, -r, "container %s: read %s", id, STATE_CONFIG);
	return 0;
}
