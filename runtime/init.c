/* init.c - the container's init, from clone to execve.
 *
 * Before SYNC_READY a failure is sent to the parent, which removes
 * everything and reports it; after it (the container is "created") there
 * is nobody to tell but stderr. The order of the steps matters, and each
 * constraint is noted where it bites. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "apparmor.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "mounts.h"
#include "namespaces.h"
#include "process.h"
#include "procfs.h"
#include "state.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "util.h"

__attribute__((noreturn)) static void fail(const struct init_args *a, const struct rt_error *err)
{
	struct sync_msg msg = {.type = SYNC_ERROR, .errnum = err->errnum};

	snprintf(msg.text, sizeof(msg.text), "%s", err->msg);
	if (sync_send(a->sync_fd, &msg) < 0)
		fprintf(stderr, "mini-runtime init: %s\n", err->msg);
	_exit(1);
}

/* After SYNC_READY the parent is gone (create) or only waits (run). */
__attribute__((noreturn)) static void fail_late(const struct rt_error *err)
{
	fprintf(stderr, "mini-runtime init: %s\n", err->msg);
	_exit(127);
}

/* The parent has written our id maps, made our idmapped mounts and had
 * systemd put us in our scope, where those are its jobs. */
static int wait_for_parent(const struct init_args *a, struct idmap_mounts *idmapped,
			   struct rt_error *err)
{
	if (!a->new_userns && !a->cgroups.placed_by_parent && !idmap_count(a->spec))
		return 0;
	if (idmap_receive_mounts(a->sync_fd, a->spec, idmapped, err) < 0)
		return -EIO;
	if (sync_expect(a->sync_fd, SYNC_PLACED,
			a->new_userns		      ? "writing the id maps"
			: a->cgroups.placed_by_parent ? "placing us in the systemd scope"
						      : "making the idmapped mounts",
			NULL, err) < 0)
		return -EIO;
	return 0;
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

static bool has_hooks(const struct spec *spec, enum spec_hook_kind a, enum spec_hook_kind b)
{
	return spec->hooks[a].count || spec->hooks[b].count;
}

/* The parent runs prestart and createRuntime (in the runtime's
 * namespaces); createContainer runs here, in the container's namespaces but
 * before pivot_root, so its path resolves in the runtime's root. Returns
 * the state JSON the hooks got, for startContainer. */
static int run_create_hooks(const struct init_args *a, char **ret_state, struct rt_error *err)
{
	const struct spec *spec = a->spec;
	struct sync_msg msg;
	struct state st;

	if (!has_hooks(spec, HOOK_PRESTART, HOOK_CREATE_RUNTIME) &&
	    !has_hooks(spec, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER))
		return 0;
	if (sync_send_type(a->sync_fd, SYNC_HOOKS) < 0 ||
	    sync_expect(a->sync_fd, SYNC_CONTINUE, "running the createRuntime hooks", &msg, err) < 0)
		return rt_fail(err, EPIPE, "%s", *err->msg ? err->msg : "sync with the parent");
	/* the parent's record, as prestart got it, with the pid it now knows;
	 * "created": after step 2 of the lifecycle, as for prestart */
	st = *a->state;
	st.pid = msg.pid;
	*ret_state = state_to_json(&st, STATUS_CREATED);
	if (!*ret_state)
		return rt_fail(err, ENOMEM, "out of memory");
	return hooks_run(spec, HOOK_CREATE_CONTAINER, *ret_state, err);
}

static int setup_rootfs(const struct init_args *a, struct idmap_mounts *idmapped,
			char **ret_state, struct rt_error *err)
{
	const struct spec *spec = a->spec;
	cleanup_close int rootfd = -1;

	if (!spec->ns[NS_MNT].enabled) {
		/* no mount namespace: anything mounted would land on the host */
		if (run_create_hooks(a, ret_state, err) < 0)
			return -EINVAL;
		if (chroot(spec->root_path) < 0 || chdir("/") < 0)
			return rt_fail_errno(err, errno, "root.path: chroot %s", spec->root_path);
		return 0;
	}
	if (mounts_prepare_root(spec, &rootfd, err) < 0 ||
	    mounts_apply(spec, rootfd, spec->ns[NS_USER].enabled, a->cgroups.cgroups, idmapped,
			 err) < 0 ||
	    devices_create(spec, rootfd, spec->ns[NS_USER].enabled, err) < 0 ||
	    mounts_protect_paths(spec, rootfd, err) < 0 || run_create_hooks(a, ret_state, err) < 0 ||
	    mounts_enter_root(rootfd, a->no_pivot, err) < 0 || mounts_finish(spec, err) < 0)
		return -EINVAL;
	return 0;
}

/* Applied in the init, after the process setup and before any seccomp
 * filter (a profile may deny set_mempolicy); execve keeps it. Read back so
 * `state` shows what the kernel installed, not what was asked. */
static int apply_memory_policy(const struct spec *spec, struct sync_msg *ready,
			       struct rt_error *err)
{
	int r;

	if (!spec->has_memory_policy)
		return 0;
	r = mpol_apply(&spec->memory_policy, mpol_sys_set, NULL, err->msg, sizeof(err->msg));
	if (r == 0)
		r = mpol_read_back(mpol_sys_get, &ready->policy, err->msg, sizeof(err->msg));
	if (r < 0) {
		err->errnum = -r;
		return r;
	}
	ready->has_policy = 1;
	return 0;
}

/* Blocks until `start` writes a byte into the exec fifo or, for `run`,
 * SYNC_START. The parent opened the fifo read-write for us: holding the
 * state directory instead would hand a host directory to anything that can
 * reach our /proc/<pid>/fd while we wait (an `exec` with CAP_SYS_PTRACE). */
static int wait_for_start(const struct init_args *a, struct rt_error *err)
{
	char byte;
	ssize_t n;

	if (a->fifo_fd < 0)
		return sync_expect(a->sync_fd, SYNC_START, "waiting for start", NULL, err);
	while ((n = read(a->fifo_fd, &byte, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return rt_fail_errno(err, n < 0 ? errno : EIO, "read the exec fifo");
	/* left open: execve closes it, which tells `start` the program runs */
	return 0;
}

/* chdir(process.cwd), which the config controls: a path through
 * /proc/self/fd/N of an fd to a host directory would put the process
 * outside its root. getcwd fails (ENOENT, "(unreachable)" from the kernel)
 * for a directory not under our root. */
int init_enter_cwd(const char *cwd, struct rt_error *err)
{
	char buf[PATH_MAX];

	if (chdir(cwd) < 0)
		return rt_fail_errno(err, errno, "process.cwd: chdir %s", cwd);
	if (!getcwd(buf, sizeof(buf)))
		return rt_fail_errno(err, errno, "process.cwd: %s is not inside the container",
				     cwd);
	return 0;
}

static bool needs_procfs(const struct init_args *a)
{
	const struct spec *spec = a->spec;

	return spec->nsysctl || a->apparmor || (spec->process && spec->process->has_oom_score_adj);
}

void init_main(const struct init_args *a)
{
	const struct spec *spec = a->spec;
	const struct spec_process *p = spec->process;
	struct sync_msg ready = {.type = SYNC_READY};
	struct rt_error err = {0};
	struct idmap_mounts idmapped = {0};
	cleanup_free char *state_json = NULL;
	cleanup_close int procfd = -1, apparmor_fd = -1;
	char program[PATH_MAX] = "";

	/* die with the runtime while it sets us up; cleared before READY */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* into our cgroups before anything is set up (and charged); with a
	 * user namespace joined by path, the child that cloned us did, as
	 * host root (ns_clone_in_user) */
	if (!spec->ns[NS_USER].path && cgroups_join_self(&a->cgroups, &err) < 0)
		fail(a, &err);
	/* first, before any path the config controls is resolved: nothing the
	 * caller left open (close-on-exec is not enough before execve), nor
	 * the runtime's own fds and the cgroup handles */
	if (close_fds_except(3 + a->preserve_fds,
			     (const int[]){a->sync_fd, a->fifo_fd, a->console_fd}, 3) < 0) {
		rt_fail_errno(&err, errno, "close inherited fds");
		fail(a, &err);
	}
	/* the procfs handle, while our mount namespace is still a copy of the
	 * runtime's: nothing the container controls is joined or mounted yet */
	if (needs_procfs(a) && (procfs_open(&procfd, &err) < 0 ||
				(a->apparmor && apparmor_open_exec_attr(procfd, &apparmor_fd, &err) < 0)))
		fail(a, &err);
	if (wait_for_parent(a, &idmapped, &err) < 0 || enter_namespaces(a, &err) < 0)
		fail(a, &err);
	/* sysctls before the rootfs: a namespaced knob is the opener's
	 * namespace's, so they follow the joins */
	if (process_set_oom_score(procfd, p, &err) < 0 || ns_join_paths(spec, &err) < 0 ||
	    set_names(spec, &err) < 0 || sysctl_write_all(procfd, spec, &err) < 0 ||
	    setup_rootfs(a, &idmapped, &state_json, &err) < 0)
		fail(a, &err);
	idmap_mounts_close(&idmapped);
	if (procfd >= 0)
		close(steal_fd(&procfd));
	if (p && p->terminal && a->console_fd >= 0 &&
	    terminal_setup(a->console_fd, p, spec->ns[NS_MNT].enabled, &err) < 0)
		fail(a, &err);
	/* setup_rootfs left us at "/", the usual process.cwd */
	if (p && (process_set_limits(spec, p, &err) < 0 ||
		  (strcmp(p->cwd, "/") != 0 && init_enter_cwd(p->cwd, &err) < 0)))
		fail(a, &err);
	if (apply_memory_policy(spec, &ready, &err) < 0)
		fail(a, &err);
	/* a missing program fails `create`, not the later `start` */
	if (p && process_find_program(p, program, sizeof(program), &err) < 0)
		fail(a, &err);
	test_pause("init");
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (sync_send(a->sync_fd, &ready) < 0)
		_exit(1);
	if (wait_for_start(a, &err) < 0)
		fail_late(&err);
	/* the profile for our execve (and a startContainer hook's), before
	 * no_new_privs, which would restrict the transition */
	if (apparmor_fd >= 0 && apparmor_apply(steal_fd(&apparmor_fd), p->apparmor_profile, &err) < 0)
		fail_late(&err);
	if (!p || process_drop_privileges(p, a->seccomp, &err) < 0)
		fail_late(&err);
	/* the hook's binary comes from the image: it runs as the process
	 * would, after the capability drop, the user switch, no_new_privs and
	 * seccomp (as runc), never with the runtime's privileges */
	if (state_json && hooks_run(spec, HOOK_START_CONTAINER, state_json, &err) < 0)
		fail_late(&err);
	process_exec(p, program, &err);
	fail_late(&err);
}
