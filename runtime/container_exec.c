/* container_exec.c - `exec`: another process in a created or running
 * container, from the config create kept: without --process the
 * container's own process settings (env, cwd, user, capabilities ...)
 * with the request's command and overrides. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor.h"
#include "caps.h"
#include "container.h"
#include "exec.h"
#include "log.h"
#include "spec_json.h"
#include "util.h"

static int strv_replace(char ***v, char **src, size_t n)
{
	char **copy = calloc(n + 1, sizeof(char *));

	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(copy[i] = strdup(src[i]))) {
			strv_free(copy);
			return -ENOMEM;
		}
	strv_free(*v);
	*v = copy;
	return 0;
}

/* NAME=VALUE pairs added to the process's env: one that names a variable
 * already there replaces it (the last one wins, as runc's init dedups) */
static int append_env(struct spec_process *p, char **env, size_t nenv)
{
	size_t old = 0;
	char **v;

	while (p->env && p->env[old])
		old++;
	v = realloc(p->env, (old + nenv + 1) * sizeof(char *));
	if (!v)
		return -ENOMEM;
	p->env = v;
	v[old] = NULL;
	for (size_t i = 0; i < nenv; i++) {
		size_t name = strcspn(env[i], "=") + 1, j;
		char *copy = strdup(env[i]);

		if (!copy)
			return -ENOMEM;
		for (j = 0; j < old && strncmp(v[j], env[i], name) != 0; j++)
			;
		if (j < old)
			free(v[j]);
		else
			v[old++] = NULL;
		v[j] = copy;
		v[old] = NULL;
	}
	return 0;
}

static int set_string(char **field, const char *value)
{
	char *copy;

	if (!value)
		return 0;
	if (!(copy = strdup(value)))
		return -ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

static int append_gids(struct spec_process *p, const gid_t *gids, size_t n)
{
	gid_t *v;

	if (!n)
		return 0;
	v = realloc(p->additional_gids, (p->n_additional_gids + n) * sizeof(gid_t));
	if (!v)
		return -ENOMEM;
	memcpy(v + p->n_additional_gids, gids, n * sizeof(gid_t));
	p->additional_gids = v;
	p->n_additional_gids += n;
	return 0;
}

/* The flags that apply on top of either process: env, cwd, user, groups,
 * AppArmor profile, no_new_privs. */
static int apply_flags(const struct exec_request *q, struct spec_process *p)
{
	if ((q->nenv && append_env(p, q->env, q->nenv) < 0) || set_string(&p->cwd, q->cwd) < 0 ||
	    set_string(&p->apparmor_profile, q->apparmor) < 0 ||
	    append_gids(p, q->gids, q->ngids) < 0)
		return -ENOMEM;
	if (q->has_uid)
		p->uid = q->uid;
	if (q->has_gid)
		p->gid = q->gid;
	if (q->no_new_privs)
		p->no_new_privileges = true;
	return 0;
}

/* --cap, after caps_parse: into bounding, effective and permitted, as
 * runc; into ambient too where the inheritable set has it (the kernel
 * raises an ambient capability only then). A process without a
 * capabilities object keeps the runtime's: it has them all already. */
static void add_caps(const struct exec_request *q, struct spec_process *p)
{
	for (size_t i = 0; p->has_caps && i < q->ncaps; i++) {
		int bit;

		if (caps_from_name(q->caps[i], &bit) < 0)
			continue; /* refused by the command already */
		p->cap_masks[CAP_SET_BOUNDING] |= 1ULL << bit;
		p->cap_masks[CAP_SET_EFFECTIVE] |= 1ULL << bit;
		p->cap_masks[CAP_SET_PERMITTED] |= 1ULL << bit;
		if (p->cap_masks[CAP_SET_INHERITABLE] & (1ULL << bit))
			p->cap_masks[CAP_SET_AMBIENT] |= 1ULL << bit;
	}
}

/* The container's process with the request's overrides. */
static int build_process(const struct exec_request *q, struct spec *spec,
			 struct spec_process **ret, struct rt_error *err)
{
	struct spec_process *p;
	int r;

	if (q->process_file) {
		if ((r = spec_load_process(q->process_file, &p, err)) < 0)
			return r;
	} else if (!spec->process) {
		return rt_fail(err, EINVAL, "exec: config.json has no process to start from");
	} else {
		p = steal_ptr(&spec->process);
		if (strv_replace(&p->args, q->args, q->nargs) < 0)
			goto oom;
		p->terminal = q->tty;
	}
	if (apply_flags(q, p) < 0)
		goto oom;
	*ret = p;
	return 0;
oom:
	spec_process_free(p);
	return rt_fail(err, ENOMEM, "out of memory");
}

int container_exec(const char *root, const char *id, const struct exec_request *q,
		   pid_t *ret_pid, int *ret_console, struct rt_error *err)
{
	struct container c;
	struct spec_process *p = NULL;
	bool apparmor = false;
	int r;

	if ((r = container_load(root, id,
				STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING) |
				    STATE_MASK(STATUS_PAUSED),
				"exec in it", &c, NULL, err)) < 0)
		return r;
	/* as runc: the new process would sit frozen until `resume` */
	if (c.status == STATUS_PAUSED && !q->ignore_paused) {
		container_release(&c);
		return rt_fail(err, EBUSY, "container %s is paused: cannot exec in it "
					   "(--ignore-paused to exec all the same)", id);
	}
	r = build_process(q, c.spec, &p, err);
	if (r == 0 && p->has_caps && (r = caps_parse(p, "process", err)) == 0)
		add_caps(q, p);
	if (r == 0)
		r = apparmor_check(p, q->apparmor ? "exec --apparmor" : "process.apparmorProfile",
				   &apparmor, err);
	if (r == 0 && p->terminal && q->detach && !q->console_socket)
		r = rt_fail(err, EINVAL, "exec: --detach with a terminal needs --console-socket");
	if (r == 0) {
		struct exec_opts o = {.state = &c.state,
				      .spec = c.spec,
				      .process = p,
				      .apparmor = apparmor,
				      .pid_file = q->pid_file,
				      .console_socket = q->console_socket,
				      .preserve_fds = q->preserve_fds};

		log_debug("exec %s: %s as %u:%u, cwd %s", id, p->args[0], (unsigned)p->uid,
			  (unsigned)p->gid, p->cwd ? p->cwd : "/");
		close(steal_fd(&c.dirfd)); /* unlock: others may act on the container now */
		r = exec_start(&o, ret_pid, ret_console, err);
	}
	spec_process_free(p);
	container_release(&c);
	return r;
}
