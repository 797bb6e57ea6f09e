/* cgroups_devices_bpf.c - the device program through bpf(2): loaded, and
 * attached to (or swapped on) a cgroup v2 directory. Raw syscalls, as crun
 * does: four commands do not need libbpf. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups_devices.h"
#include "util.h"

/* BPF_CGROUP_MAX_PROGS: the kernel's limit per cgroup and attach type */
#define PROGS_MAX 64
#define LOG_SIZE (64 * 1024)

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The end of the verifier's log: its last lines say what it refused. */
static const char *log_tail(const char *log)
{
	size_t len = strlen(log);

	while (len && log[len - 1] == '\n')
		len--;
	return len > 400 ? log + len - 400 : log;
}

int dev_bpf_load(const struct dev_prog *p, int *ret_fd, struct rt_error *err)
{
	union bpf_attr attr;
	cleanup_free char *log = NULL;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = ptr(p->insn);
	attr.insn_cnt = (uint32_t)p->n;
	attr.license = ptr("GPL"); /* no helper is called: any string would do */
	memcpy(attr.prog_name, DEV_PROG_NAME, sizeof(DEV_PROG_NAME));
	/* no memlock rlimit to raise: since Linux 5.11 programs are charged to
	 * the memory cgroup (README: 5.12 or later) */
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (errno != EACCES && errno != EINVAL)
		return rt_fail_errno(err, errno, "bpf: load the device program");
	/* the verifier refused it: again, with the log it writes only when asked */
	log = calloc(1, LOG_SIZE);
	if (!log)
		return rt_fail(err, ENOMEM, "out of memory");
	attr.log_level = 1;
	attr.log_buf = ptr(log);
	attr.log_size = LOG_SIZE;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	return rt_fail(err, errno, "bpf: the verifier refused the device program (%s): %s",
		       strerror(errno), *log ? log_tail(log) : "no log");
}

/* The programs attached directly to dirfd (not the parents'). */
static int query(int dirfd, uint32_t *ids, uint32_t *ret_n, struct rt_error *err)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)dirfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = ptr(ids);
	attr.query.prog_cnt = PROGS_MAX;
	if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
		return rt_fail_errno(err, errno, "bpf: query the cgroup's device programs");
	*ret_n = attr.query.prog_cnt;
	return 0;
}

/* An fd of program id if it is one of ours, else -1 (gone meanwhile: -1). */
static int open_if_ours(uint32_t id)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = ptr(&info);
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) == 0 &&
	    strncmp(info.name, DEV_PROG_NAME, sizeof(info.name)) == 0)
		return fd;
	close(fd);
	return -1;
}

/* Fills fds with our programs on dirfd; *ret_n of them. */
static int find_ours(int dirfd, int *fds, size_t *ret_n, struct rt_error *err)
{
	uint32_t ids[PROGS_MAX], n = 0;
	size_t k = 0;

	if (query(dirfd, ids, &n, err) < 0)
		return -EIO;
	for (uint32_t i = 0; i < n && i < PROGS_MAX; i++)
		if ((fds[k] = open_if_ours(ids[i])) >= 0)
			k++;
	*ret_n = k;
	return 0;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

static int attach(int dirfd, int prog_fd, int replace_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dirfd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI | (replace_fd >= 0 ? BPF_F_REPLACE : 0);
	attr.replace_bpf_fd = replace_fd >= 0 ? (uint32_t)replace_fd : 0;
	return sys_bpf(BPF_PROG_ATTACH, &attr);
}

static int detach(int dirfd, int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dirfd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	return sys_bpf(BPF_PROG_DETACH, &attr) < 0 && errno != ENOENT ? -1 : 0;
}

/* Detaches old[from, n) and closes all of old. */
static int detach_old(int dirfd, int *old, size_t n, size_t from, struct rt_error *err)
{
	int r = 0;

	for (size_t i = from; i < n && r == 0; i++)
		if (detach(dirfd, old[i]) < 0)
			r = rt_fail_errno(err, errno, "bpf: detach the old device program");
	close_all(old, n);
	return r;
}

static int install(int dirfd, int prog_fd, bool try_replace, struct rt_error *err)
{
	int old[PROGS_MAX], r;
	size_t nold = 0;

	for (int attempt = 0;; attempt++) {
		if (find_ours(dirfd, old, &nold, err) < 0)
			return -EIO;
		if (!nold || !try_replace)
			break;
		/* old[1..]: left by a fallback cut short between its two steps */
		if (attach(dirfd, prog_fd, old[0]) == 0)
			return detach_old(dirfd, old, nold, 1, err);
		r = errno;
		close_all(old, nold);
		if (r == EINVAL)
			try_replace = false; /* no BPF_F_REPLACE before Linux 5.6 */
		else if (r != ENOENT || attempt == 4) /* ENOENT: an update raced us */
			return rt_fail_errno(err, r, "bpf: replace the device program");
	}
	/* new first, old after: never a moment with neither */
	if (attach(dirfd, prog_fd, -1) < 0) {
		r = rt_fail_errno(err, errno, "bpf: attach the device program");
		close_all(old, nold);
		return r;
	}
	return detach_old(dirfd, old, nold, 0, err);
}

int dev_bpf_install(int dirfd, int prog_fd, struct rt_error *err)
{
	return install(dirfd, prog_fd, true, err);
}

int dev_bpf_install_no_replace(int dirfd, int prog_fd, struct rt_error *err)
{
	return install(dirfd, prog_fd, false, err);
}

int dev_bpf_count_ours(int dirfd, size_t *ret_n, struct rt_error *err)
{
	int fds[PROGS_MAX];
	size_t n;

	if (find_ours(dirfd, fds, &n, err) < 0)
		return -EIO;
	close_all(fds, n);
	*ret_n = n;
	return 0;
}
