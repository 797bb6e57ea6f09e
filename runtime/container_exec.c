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
	for (size_t i = 0; i < nenv; i++)
		v[old + i] = strdup(env[i]);
	v[old + nenv] = NULL;
	for (size_t i = 0; i < nenv; i++)
		if (!v[old + i])
			return -ENOMEM;
	return 0;
}

/* The container's process with the request's overrides. */
static int build_process(const struct exec_request *q, struct spec *spec,
			 struct spec_process **ret, struct rt_error *err)
{
	struct spec_process *p;

	if (q->process_file) {
		if (spec_load_process(q->process_file, ret, err) < 0)
			return -EINVAL;
		p = *ret;
		if (q->apparmor) {
			free(p->apparmor_profile);
			if (!(p->apparmor_profile = strdup(q->apparmor))) {
				*ret = NULL;
				goto oom;
			}
		}
		return 0;
	}
	if (!spec->process)
		return rt_fail(err, EINVAL, "exec: config.json has no process to start from");
	p = steal_ptr(&spec->process);
	if (strv_replace(&p->args, q->args, q->nargs) < 0 ||
	    (q->nenv && append_env(p, q->env, q->nenv) < 0))
		goto oom;
	if (q->cwd) {
		free(p->cwd);
		if (!(p->cwd = strdup(q->cwd)))
			goto oom;
	}
	if (q->apparmor) {
		free(p->apparmor_profile);
		if (!(p->apparmor_profile = strdup(q->apparmor)))
			goto oom;
	}
	if (q->has_uid)
		p->uid = q->uid;
	if (q->has_gid)
		p->gid = q->gid;
	p->terminal = q->tty;
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

	if (container_load(root, id, STATE_MASK(STATUS_CREATED) | STATE_MASK(STATUS_RUNNING),
			   "exec in it", &c, NULL, err) < 0)
		return -EINVAL;
	r = build_process(q, c.spec, &p, err);
	if (r == 0 && p->has_caps)
		r = caps_parse(p, "process", err);
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

		close(steal_fd(&c.dirfd)); /* unlock: others may act on the container now */
		r = exec_start(&o, ret_pid, ret_console, err);
	}
	spec_process_free(p);
	container_release(&c);
	return r;
}
