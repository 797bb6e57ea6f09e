/* init.c - the container's init, from clone to execve: a list of steps in
 * init_main, each on its line, the why of its place noted beside it.
 *
 * Before SYNC_READY a failure is sent to the parent, which removes
 * everything and reports it; after it (the container is "created") there
 * is nobody to tell but stderr (process_setup.h). */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "process_setup.h"
#include "state.h"
#include "sync.h"
#include "sysctl.h"
#include "util.h"

/* The parent has written our id maps, made our idmapped mounts and had
 * systemd put us in our scope, where those are its jobs. */
static int wait_for_parent(const struct init_args *a, struct idmap_mounts *idmapped,
			   struct rt_error *err)
{
	int r;

	if (!a->new_userns && !a->cgroups.placed_by_parent && !idmap_count(a->spec))
		return 0;
	if ((r = idmap_receive_mounts(a->sync_fd, a->spec, idmapped, err)) < 0)
		return r;
	return sync_expect(a->sync_fd, SYNC_PLACED,
			   a->new_userns		 ? "writing the id maps"
			   : a->cgroups.placed_by_parent ? "placing us in the systemd scope"
							 : "making the mounts",
			   NULL, err);
}

/* A new cgroup namespace has the cgroup we are in as its root: we joined
 * ours first thing. Then, in a new user namespace, become its root. */
static int enter_namespaces(const struct init_args *a, struct rt_error *err)
{
	if (a->new_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return rt_fail_errno(err, errno, "linux.namespaces: create a cgroup namespace");
	if (!a->new_userns)
		return 0;
	/* uid/gid 0 of the new namespace, whatever host ids they map to */
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "linux.uidMappings: become root in the user "
						 "namespace (is 0 mapped?)");
	return 0;
}

/* Set only with a UTS namespace of the container's (container.c checks). */
static int set_names(const struct spec *spec, struct rt_error *err)
{
	if (spec->hostname && *spec->hostname &&
	    sethostname(spec->hostname, strlen(spec->hostname)) < 0)
		return rt_fail_errno(err, errno, "hostname: sethostname");
	if (spec->domainname && *spec->domainname &&
	    setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
		return rt_fail_errno(err, errno, "domainname: setdomainname");
	return 0;
}

/* The container's mounts, devices and masked paths, below the new root:
 * nothing without a mount namespace (it would land on the host). */
static int build_rootfs(const struct init_args *a, struct idmap_mounts *idmapped, int *ret_rootfd,
			struct rt_error *err)
{
	const struct spec *spec = a->spec;
	bool userns = spec->ns[NS_USER].enabled;
	int r;

	if (!spec->ns[NS_MNT].enabled)
		return 0;
	if ((r = mounts_prepare_root(spec, ret_rootfd, err)) < 0 ||
	    (r = mounts_apply(spec, *ret_rootfd, userns, a->cgroups.cgroups, idmapped, err)) < 0 ||
	    (r = devices_create(spec, *ret_rootfd, userns, err)) < 0)
		return r;
	return mounts_protect_paths(spec, *ret_rootfd, err);
}

static bool has_hooks(const struct spec *spec, enum spec_hook_kind a, enum spec_hook_kind b)
{
	return spec->hooks[a].count || spec->hooks[b].count;
}

/* The hook round trip: SYNC_HOOKS, the parent runs prestart and
 * createRuntime (in the runtime's namespaces), SYNC_CONTINUE with our host
 * pid; createContainer runs here, in the container's namespaces but before
 * pivot_root, so its path resolves in the runtime's root. Returns the state
 * JSON the hooks got, for startContainer. */
static int run_create_hooks(const struct init_args *a, char **ret_state, struct rt_error *err)
{
	const struct spec *spec = a->spec;
	struct sync_msg msg;
	struct state st;
	int r;

	if (!has_hooks(spec, HOOK_PRESTART, HOOK_CREATE_RUNTIME) &&
	    !has_hooks(spec, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER))
		return 0;
	if (sync_send_type(a->sync_fd, SYNC_HOOKS) < 0)
		return rt_fail(err, EPIPE, "sync with the parent");
	if ((r = sync_expect(a->sync_fd, SYNC_CONTINUE, "running the createRuntime hooks", &msg,
			     err)) < 0)
		return r;
	/* the parent's record, as prestart got it, with the pid it now knows;
	 * "created": after step 2 of the lifecycle, as for prestart */
	st = *a->state;
	st.pid = msg.pid;
	*ret_state = state_to_json(&st, STATUS_CREATED);
	if (!*ret_state)
		return rt_fail(err, ENOMEM, "out of memory");
	return hooks_run(spec, HOOK_CREATE_CONTAINER, *ret_state, err);
}

/* pivot_root into the built root, or a chroot without a mount namespace;
 * leaves us at "/". */
static int enter_rootfs(const struct init_args *a, int rootfd, struct rt_error *err)
{
	const struct spec *spec = a->spec;
	int r;

	if (!spec->ns[NS_MNT].enabled) {
		if (chroot(spec->root_path) < 0 || chdir("/") < 0)
			return rt_fail_errno(err, errno, "root.path: chroot %s", spec->root_path);
		return 0;
	}
	if ((r = mounts_enter_root(rootfd, a->no_pivot, err)) < 0)
		return r;
	return mounts_finish(spec, err);
}

static bool needs_procfs(const struct init_args *a)
{
	const struct spec *spec = a->spec;

	/* oom_score_adj: written by the joining child (container.c) when the
	 * user namespace is joined by path */
	return spec->nsysctl ||
	       (spec->process && spec->process->has_oom_score_adj && !spec->ns[NS_USER].path);
}

void init_main(const struct init_args *a)
{
	const struct spec *spec = a->spec;
	struct process_setup s = {
		.spec = spec,
		.process = spec->process,
		/* with a user namespace joined by path, the child that cloned
		 * us joined them, as host root (ns_clone_in_user) */
		.cgroups = spec->ns[NS_USER].path ? NULL : &a->cgroups,
		.sync_fd = a->sync_fd,
		.fifo_fd = a->fifo_fd,
		.console_fd = a->console_fd,
		.preserve_fds = a->preserve_fds,
		.make_console = spec->ns[NS_MNT].enabled,
		.need_procfs = needs_procfs(a),
		.apparmor = a->apparmor,
		.seccomp = a->seccomp,
	};
	struct rt_error err = {0};
	struct idmap_mounts idmapped = {0};
	cleanup_free char *state_json = NULL;
	cleanup_close int rootfd = -1;

	/* PDEATHSIG, our cgroups, no inherited fds (but the namespaces opened
	 * for us by path), the host's /proc */
	process_setup_step(&s, process_setup_begin(&s, &err), &err);
	process_setup_step(&s, wait_for_parent(a, &idmapped, &err), &err);
	process_setup_step(&s, enter_namespaces(a, &err), &err);
	/* through the host's /proc, before joining anything by path (with a
	 * user namespace joined by path, the joining child wrote it) */
	if (!spec->ns[NS_USER].path)
		process_setup_step(&s, process_set_oom_score(s.procfd, spec->process, &err), &err);
	process_setup_step(&s, ns_join_paths(spec, &err), &err);
	process_setup_step(&s, set_names(spec, &err), &err);
	/* a namespaced knob is the opener's namespace's: after the joins, and
	 * before the rootfs hides the host's /proc */
	process_setup_step(&s, sysctl_write_all(s.procfd, spec, &err), &err);
	process_setup_step(&s, build_rootfs(a, &idmapped, &rootfd, &err), &err);
	/* after the mounts (createContainer sees them), before pivot_root */
	process_setup_step(&s, run_create_hooks(a, &state_json, &err), &err);
	process_setup_step(&s, enter_rootfs(a, rootfd, &err), &err);
	/* nothing of the host's is held into the process's setup */
	if (rootfd >= 0)
		close(steal_fd(&rootfd));
	idmap_mounts_close(&idmapped);
	if (s.procfd >= 0)
		close(steal_fd(&s.procfd));
	s.start_state = state_json;
	/* terminal, rlimits, cwd, memory policy, program, READY, start,
	 * AppArmor, privileges, startContainer hooks, execve */
	process_setup_finish(&s);
}
