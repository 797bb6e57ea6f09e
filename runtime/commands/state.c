/* state.c - `state ID` (OCI state JSON) and `list`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "state.h"
#include "util.h"

/* No lock: state.json is replaced atomically, a reader sees a whole file.
 * A directory without one is a create that has not written it yet or a
 * delete that has removed it already: wait for whichever holds the lock,
 * then look again. */
static int load(int dirfd, const char *id, struct state *st, enum state_status *status,
		struct rt_error *err)
{
	if (state_read(dirfd, id, st, err) < 0) {
		if (err->errnum != ENOENT || state_wait_unlocked(dirfd, id, err) < 0)
			return -EINVAL;
		if (state_read(dirfd, id, st, err) < 0) {
			if (err->errnum != ENOENT)
				return -EINVAL;
			/* what a create killed before its first write leaves */
			*st = (struct state){0};
			snprintf(st->id, sizeof(st->id), "%s", id);
			*status = STATUS_CREATING;
			return 0;
		}
	}
	*status = state_status(dirfd, st);
	return 0;
}

static int open_unlocked(const char *root, const char *id, int *ret_fd, struct rt_error *err)
{
	char path[4096];
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

int cmd_state(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	cleanup_close int dirfd = -1;
	cleanup_free char *json = NULL;
	struct state st;
	enum state_status status;
	const char *id;

	if (cli_one_id(argc, argv, 1, &id, err) < 0 || open_unlocked(g->root, id, &dirfd, err) < 0 ||
	    load(dirfd, id, &st, &status, err) < 0)
		return -EINVAL;
	json = state_to_json(&st, status);
	state_free(&st);
	if (!json)
		return rt_fail(err, ENOMEM, "out of memory");
	printf("%s\n", json);
	return 0;
}

int cmd_list(int argc, char **argv, const struct global_opts *g, struct rt_error *err)
{
	DIR *dir;
	struct dirent *de;
	bool quiet = argc > 1 && (strcmp(argv[1], "-q") == 0 || strcmp(argv[1], "--quiet") == 0);

	dir = opendir(g->root);
	if (!dir && errno != ENOENT)
		return rt_fail_errno(err, errno, "list %s", g->root);
	if (!quiet)
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	while (dir && (de = readdir(dir))) {
		cleanup_close int dirfd = -1;
		struct rt_error ignored;
		struct state st;
		enum state_status status;

		if (de->d_name[0] == '.' || open_unlocked(g->root, de->d_name, &dirfd, &ignored) < 0 ||
		    load(dirfd, de->d_name, &st, &status, &ignored) < 0)
			continue;
		if (quiet)
			printf("%s\n", st.id);
		else
			printf("%-20s %-8d %-10s %-40s %s\n", st.id,
			       status == STATUS_STOPPED ? 0 : st.pid, state_status_name(status),
			       st.bundle ? st.bundle : "", st.created);
		state_free(&st);
	}
	if (dir)
		closedir(dir);
	return 0;
}
