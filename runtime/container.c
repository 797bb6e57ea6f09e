/* container.c - create: validate, state directory (with the config.json
 * create parsed), cgroups, clone and serve the init; and loading an
 * existing container from its state directory (container_load). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "apparmor.h"
#include "cgroups.h"
#include "container.h"
#include "exec_fifo.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "procfs.h"
#include "rootless.h"
#include "seccomp_profile.h"
#include "sysctl.h"
#include "log.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

/* Everything that can be checked before anything exists is checked here. */
/* Rule 10 of the memory policy meets the cpuset: the kernel would say only
 * EINVAL when the nodes miss linux.resources.cpu.mems. */
static int check_mems(const struct spec *spec, const struct resources *res, struct rt_error *err)
{
	struct mpol_nodemask mems;
	const struct mpol_policy *p = &spec->memory_policy;
	char nodes[256];
	int r;

	if (!spec->has_memory_policy || !p->has_nodes || !res || !res->cpu_mems ||
	    !*res->cpu_mems || (p->flags & MPOL_FLAG_RELATIVE_NODES))
		return 0;
	if ((r = mpol_parse_nodes(res->cpu_mems, "linux.resources.cpu.mems", &mems, err->msg,
				  sizeof(err->msg))) < 0)
		return r;
	for (size_t i = 0; i < MPOL_MASK_WORDS; i++)
		if (p->nodes.bits[i] & mems.bits[i])
			return 0;
	mpol_format_nodes(&p->nodes, nodes, sizeof(nodes));
	return rt_fail(err, EINVAL,
		       "linux.memoryPolicy.nodes: no node of \"%s\" is in linux.resources.cpu.mems "
		       "(\"%s\")",
		       nodes, res->cpu_mems);
}

static int validate(struct spec *spec, const struct create_opts *o,
		    struct seccomp_filter **ret_filter, bool *ret_apparmor, struct rt_error *err)
{
	int r;

	if (!spec->process && o->for_run)
		return rt_fail(err, EINVAL, "process: run needs a process to start");
	if ((r = rootless_validate(spec, err)) < 0)
		return r;
	if ((r = apparmor_check(spec->process, "process.apparmorProfile", ret_apparmor, err)) < 0)
		return r;
	if (!spec->ns[NS_UTS].enabled) {
		if (spec->hostname && *spec->hostname)
			return rt_fail(err, EINVAL, "hostname: needs a private UTS namespace");
		if (spec->domainname && *spec->domainname)
			return rt_fail(err, EINVAL, "domainname: needs a private UTS namespace");
	}
	if ((r = sysctl_check(spec, err)) < 0)
		return r;
	if (spec->process && spec->process->has_caps &&
	    (r = caps_parse(spec->process, "process", err)) < 0)
		return r;
	/* in a user namespace of its own or joined, the init holds every
	 * capability there */
	if (spec->process && !spec->ns[NS_USER].enabled) {
		uint64_t out = caps_leave_out_ungrantable(spec->process);
		char names[512];

		caps_format(out, names, sizeof(names));
		/* through the log: with --log-format json the shim reads it */
		if (out)
			log_warn("process.capabilities: %s cannot be granted (the runtime does not "
				 "hold them): left out",
				 names);
	}
	/* only a `run` that stays can hold the terminal itself */
	if (spec->process && spec->process->terminal && !o->console_socket &&
	    (!o->for_run || o->detach))
		return rt_fail(err, EINVAL, "process.terminal: %s needs --console-socket",
			       o->for_run ? "run --detach" : "create");
	if (spec->has_memory_policy) {
		struct mpol_host host;

		r = mpol_host_probe(&host, err->msg, sizeof(err->msg));
		if (r == 0)
			r = mpol_validate_host(&spec->memory_policy, &host, err->msg,
					       sizeof(err->msg));
		if (r < 0) {
			/* a policy from an annotation: the message names it */
			mpol_rename_field(err->msg, sizeof(err->msg), spec->memory_policy_source);
			err->errnum = -r;
			return r;
		}
		if (spec->memory_policy_overridden)
			log_warn("%s: ignored, linux.memoryPolicy is set and wins",
				 spec->memory_policy_overridden);
	}
	if ((r = check_mems(spec, spec->resources, err)) < 0) {
		mpol_rename_field(err->msg, sizeof(err->msg), spec->memory_policy_source);
		return r;
	}
	if (spec->seccomp && (r = seccomp_filter_build(spec->seccomp, ret_filter, err)) < 0)
		return r;
	return 0;
}

static long fork_into(void *args)
{
	return cgroups_clone_into(0, &((struct init_args *)args)->cgroups);
}

/* In the child that joins a user namespace by path, while it is still in
 * ours: the cgroups, and oom_score_adj, which the init could not write
 * from inside (its /proc/self files stay owned by host root, unmapped
 * there: EACCES; runc writes it before any namespace too). The init
 * inherits both. */
static int join_host_side(void *ctx, struct rt_error *err)
{
	const struct init_args *args = ctx;
	cleanup_close int procfd = -1;

	if (cgroups_join_self(&args->cgroups, err) < 0)
		return -EINVAL;
	if (!args->spec->process || !args->spec->process->has_oom_score_adj)
		return 0;
	if (procfs_open(&procfd, err) < 0)
		return -EINVAL;
	return process_set_oom_score(procfd, args->spec->process, err);
}

static int clone_init(struct init_args *args, pid_t *ret_pid, struct rt_error *err)
{
	/* a raw clone is fork() with namespaces: the child runs on a copy of
	 * our stack and never returns from init_main */
	/* a new cgroup namespace is made by the init once it is in its cgroup */
	unsigned long flags = (unsigned long)ns_clone_flags(args->spec) & ~(unsigned long)CLONE_NEWCGROUP;
	/* a user namespace joined by path: by a child inside it, which joins
	 * the cgroups for the init (namespaces.h, init_main) */
	struct ns_spawner joiner = {fork_into, join_host_side, args};
	long pid = args->spec->ns[NS_USER].path
			   ? ns_clone_in_user(args->spec, flags, &joiner, err)
			   : cgroups_clone_into(flags, &args->cgroups);

	if (pid < 0)
		return args->spec->ns[NS_USER].path
			       ? -EINVAL
			       : rt_fail_errno(err, errno, "linux.namespaces: clone");
	/* the child closes our fds first thing (init_main): the locked state
	 * directory must not outlive us, `start` takes the lock while it waits */
	if (pid == 0)
		init_main(args);
	*ret_pid = (pid_t)pid;
	return 0;
}

/* What prestart and createRuntime hooks read. The spec's lifecycle runs
 * them after step 2, and "created" is "after step 2 in the lifecycle"
 * (runtime.md, state); runtime-tools' hooks_stdin expects it too. */
static char *hook_state_json(const struct container *c)
{
	return state_to_json(&c->state, STATUS_CREATED);
}

/* Serves the init until it is ready: maps and the systemd scope, hooks,
 * then SYNC_READY. */
static int serve_init(struct container *c, const struct init_args *args,
		      const struct resources *res, struct rt_error *err)
{
	struct sync_msg msg;
	bool tell = args->new_userns || args->cgroups.placed_by_parent || idmap_count(c->spec);
	int r;

	if (args->new_userns && (r = ns_write_id_maps(c->state.pid, c->spec, err)) < 0)
		return r;
	/* after the maps: a mount without mappings of its own takes them */
	if ((r = idmap_send_mounts(c->sync_fd, c->spec, c->state.pid, err)) < 0)
		return r;
	if (args->cgroups.placed_by_parent &&
	    (r = cgroups_place(c->state.cgroups, c->state.pid, c->spec, c->state.id, res, err)) < 0)
		return r;
	if (tell && sync_send_type(c->sync_fd, SYNC_PLACED) < 0)
		return rt_fail(err, EPIPE, "the container's init exited during set-up");
	for (;;) {
		if (sync_recv(c->sync_fd, &msg) < 0)
			return rt_fail(err, EPIPE, "the container's init exited during set-up");
		if (msg.type == SYNC_ERROR)
			return rt_fail(err, msg.errnum, "%s", msg.text);
		if (msg.type == SYNC_READY)
			break;
		if (msg.type != SYNC_HOOKS)
			return rt_fail(err, EPROTO, "sync: unexpected message %u", msg.type);
		cleanup_free char *json = hook_state_json(c);
		log_debug("create %s: prestart and createRuntime hooks", c->state.id);
		if (!json || hooks_run(c->spec, HOOK_PRESTART, json, err) < 0 ||
		    hooks_run(c->spec, HOOK_CREATE_RUNTIME, json, err) < 0)
			return json ? -ECANCELED : rt_fail(err, ENOMEM, "out of memory");
		msg = (struct sync_msg){.type = SYNC_CONTINUE, .pid = c->state.pid};
		if (sync_send(c->sync_fd, &msg) < 0)
			return rt_fail(err, EPIPE, "the container's init exited during set-up");
	}
	log_debug("create %s: the init is set up (namespaces, rootfs, process)", c->state.id);
	c->state.has_memory_policy = msg.has_policy;
	c->state.memory_policy = msg.policy;
	if (c->spec->memory_policy_source &&
	    !(c->state.memory_policy_source = strdup(c->spec->memory_policy_source)))
		return rt_fail(err, ENOMEM, "out of memory");
	return 0;
}

int container_write_pid_file(const char *path, pid_t pid, struct rt_error *err)
{
	char buf[PATH_MAX], dir[PATH_MAX], digits[16];
	cleanup_close int dirfd = -1;
	const char *slash = strrchr(path, '/');
	int n = snprintf(digits, sizeof(digits), "%d", (int)pid);

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	snprintf(buf, sizeof(buf), "%s", slash ? slash + 1 : path);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return rt_fail_errno(err, errno, "--pid-file %s", path);
	if (write_file_atomic(dirfd, buf, digits, (size_t)n, 0644, err) < 0)
		return rt_wrap(err, "--pid-file %s", path);
	return 0;
}

/* The state's annotations are the config's (runtime.md, state): `state`
 * and every hook show them. */
static int copy_annotations(struct state *st, const struct spec *spec)
{
	st->annotations = calloc(spec->nannotations + 1, sizeof(*st->annotations));
	if (!st->annotations)
		return -ENOMEM;
	for (; st->nannotations < spec->nannotations; st->nannotations++) {
		struct spec_annotation *a = &st->annotations[st->nannotations];

		a->key = strdup(spec->annotations[st->nannotations].key);
		a->value = strdup(spec->annotations[st->nannotations].value);
		if (!a->key || !a->value) {
			st->nannotations++; /* state_free frees this one too */
			return -ENOMEM;
		}
	}
	return 0;
}

static int fill_state(struct container *c, const struct create_opts *o, struct rt_error *err)
{
	snprintf(c->state.id, sizeof(c->state.id), "%s", o->id);
	c->state.bundle = strdup(c->spec->bundle);
	c->state.rootfs = strdup(c->spec->root_path);
	c->state.has_process = c->spec->process != NULL;
	state_now(c->state.created, sizeof(c->state.created));
	c->state.creating = true;
	if (!c->state.bundle || !c->state.rootfs || copy_annotations(&c->state, c->spec) < 0)
		return rt_fail(err, ENOMEM, "out of memory");
	return state_write(c->dirfd, &c->state, err);
}

/* Each resource is recorded in state.json (still "creating") as soon as it
 * exists, so that `delete --force` after a create killed at any point finds
 * it; test builds can stop here (see test_pause). */
static int record(struct container *c, const char *stage, struct rt_error *err)
{
	if (state_write(c->dirfd, &c->state, err) < 0)
		return -EIO;
	log_debug("create %s: %s made, recorded in state.json", c->state.id, stage);
	test_pause(stage);
	return 0;
}

/* After the init exists: clone, serve it, record the state. */
static int spawn(struct container *c, const struct create_opts *o, struct init_args *args,
		 const struct resources *res, struct rt_error *err)
{
	int sv[2];
	int r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail_errno(err, errno, "socketpair");
	c->sync_fd = sv[0];
	args->sync_fd = sv[1];
	/* with a user namespace joined, the child that clones does it */
	if ((!c->spec->ns[NS_USER].path && (r = ns_prepare_parent(c->spec, err)) < 0) ||
	    (r = clone_init(args, &c->state.pid, err)) < 0 || (r = ns_restore_parent(err)) < 0) {
		close(sv[1]);
		return r;
	}
	close(sv[1]);
	if (proc_stat(c->state.pid, &c->state.start_time, NULL) < 0)
		return rt_fail(err, ESRCH, "the container's init exited during set-up");
	log_debug("create %s: init cloned, pid %d", c->state.id, (int)c->state.pid);
	/* the pid is not recorded yet: until READY the init dies with us
	 * (PR_SET_PDEATHSIG), and one that got past READY before we were
	 * killed is found by `delete --force` in the cgroup recorded before */
	test_pause("clone");
	if ((r = serve_init(c, args, res, err)) < 0)
		return r;
	test_pause("ready");
	c->state.creating = false;
	/* `run` writes it right after START (container_start_now): it holds
	 * the lock meanwhile, so nobody sees the difference */
	if (!o->for_run && (r = state_write(c->dirfd, &c->state, err)) < 0)
		return r;
	if (o->pid_file && (r = container_write_pid_file(o->pid_file, c->state.pid, err)) < 0)
		return r;
	return 0;
}

static int open_console(struct container *c, const struct create_opts *o, int *ret_init_end,
			struct rt_error *err)
{
	int sv[2];

	if (!c->spec->process || !c->spec->process->terminal)
		return 0;
	if (o->console_socket)
		return terminal_connect(o->console_socket, ret_init_end, err);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail_errno(err, errno, "socketpair");
	c->console_fd = sv[0];
	*ret_init_end = sv[1];
	return 0;
}

int container_create(const struct create_opts *o, struct container *c, struct rt_error *err)
{
	struct seccomp_filter *filter = NULL;
	const struct resources *res = NULL;
	cleanup_free char *config = NULL;
	size_t config_len = 0;
	bool use_cgroup = true;
	struct init_args args = {.state = &c->state,
				 .fifo_fd = -1,
				 .console_fd = -1,
				 .cgroups = {.v2_dir = -1},
				 .no_pivot = o->no_pivot,
				 .preserve_fds = o->preserve_fds};
	int r;

	*c = (struct container){.dirfd = -1, .sync_fd = -1, .console_fd = -1};
	if ((r = state_validate_id(o->id, err)) < 0 ||
	    (r = spec_load_text(o->bundle, &c->spec, &config, &config_len, err)) < 0)
		return r;
	/* which mounts we make for the init (idmap.h) */
	idmap_plan(c->spec, !rootless());
	args.spec = c->spec;
	args.new_userns = c->spec->ns[NS_USER].enabled && !c->spec->ns[NS_USER].path;
	args.new_cgroupns = c->spec->ns[NS_CGROUP].enabled && !c->spec->ns[NS_CGROUP].path;
	res = c->spec->resources;
	if ((r = validate(c->spec, o, &filter, &args.apparmor, err)) < 0) {
		seccomp_filter_free(filter);
		container_release(c);
		return r;
	}
	args.seccomp = filter;
	log_debug("create %s: %s/config.json parsed and validated", o->id, c->spec->bundle);
	r = state_create_dir(o->root, o->id, &c->dirfd, err);
	/* the bytes validated above, before state.json: whoever finds a
	 * state.json finds the config too */
	if (r == 0)
		r = state_write_config(c->dirfd, config, config_len, err);
	if (r == 0 && !o->for_run)
		r = exec_fifo_create(c->dirfd, &args.fifo_fd, err);
	if (r == 0)
		r = fill_state(c, o, err);
	test_pause("dir");
	/* rootless: none unless delegated (rootless.h) */
	if (r == 0)
		r = rootless_cgroups(c->spec, o->id, res, o->systemd_cgroup, &use_cgroup, err);
	if (r == 0 && use_cgroup)
		r = cgroups_create(c->spec, o->id, res, o->systemd_cgroup, &c->state.cgroups,
				   err);
	if (r == 0)
		r = record(c, "cgroup", err);
	if (r == 0)
		r = open_console(c, o, &args.console_fd, err);
	/* the init joins its cgroups first: its memory policy (and its memory)
	 * must not be set up under another cpuset, which the kernel would check
	 * the nodes against and remap them from when the init moves
	 * (integration/numa: cpuset-refused-kernel, numa-balancing on 6.1) */
	if (r == 0)
		r = cgroups_open_join(c->state.cgroups, true, &args.cgroups, err);
	if (r == 0)
		r = spawn(c, o, &args, res, err);
	/* the filter started a container: the next with its profile loads it */
	if (r == 0)
		seccomp_filter_remember(filter);
	cgroups_close_join(&args.cgroups);
	if (args.console_fd >= 0)
		close(args.console_fd);
	if (args.fifo_fd >= 0)
		close(args.fifo_fd);
	seccomp_filter_free(filter);
	if (r < 0) {
		struct rt_error ignored;

		if (c->dirfd >= 0)
			container_destroy(o->root, o->id, NULL, c->state.pid, c->state.cgroups,
					  NULL, &ignored);
		container_release(c);
		return r;
	}
	return 0;
}

int container_load(const char *root, const char *id, unsigned allowed, const char *op,
		   struct container *ret, struct rt_error *warn, struct rt_error *err)
{
	struct container c = {.dirfd = -1, .sync_fd = -1, .console_fd = -1};
	cleanup_free char *text = NULL;
	char name[STATE_ID_MAX + 32];
	size_t len = 0;
	int r;

	if ((r = container_load_state(root, id, allowed, op, &c.dirfd, &c.state, &c.status, err)) < 0)
		return r;
	/* no bundle: no state.json, a create that died before it wrote one */
	if (c.state.bundle) {
		snprintf(name, sizeof(name), "container %s: %s", id, STATE_CONFIG);
		struct rt_error *e = warn ? warn : err;

		if ((r = state_read_config(c.dirfd, id, &text, &len, e)) < 0 ||
		    (r = spec_parse(text, len, name, c.state.bundle, c.state.rootfs, &c.spec, e)) <
			    0) {
			if (!warn) {
				container_release(&c);
				return r;
			}
			c.spec = NULL;
		}
	}
	*ret = c;
	return 0;
}

void container_release(struct container *c)
{
	if (c->sync_fd >= 0)
		close(c->sync_fd);
	if (c->console_fd >= 0)
		close(c->console_fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	state_free(&c->state);
	spec_free(c->spec);
	*c = (struct container){.dirfd = -1, .sync_fd = -1, .console_fd = -1};
}
