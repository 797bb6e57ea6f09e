/* seccomp_cache.c - built once, loaded by every container with the profile.
 *
 * Turning containerd's default profile (360 syscall names, three
 * architectures) into BPF is ~7 ms of libseccomp per container here; the
 * kubelet sends every container the same one. The program is kept in
 * ROOT/.seccomp-cache/slot-NN, one of 64 slots chosen by a hash of the key
 * (so the cache never grows past 64 files, and a collision only evicts).
 * The hash only picks the slot: an entry is used only when the whole key
 * stored in it equals ours byte for byte, and its program's checksum
 * holds. The directory is the runtime's own (mode 0700, our uid), like the
 * state directories beside it; a file that is anything else is ignored. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "seccomp_cache.h"
#include "seccomp_profile.h"
#include "util.h"

#define CACHE_DIR ".seccomp-cache"
#define SLOTS 64

static const char magic[8] = "mrsecbp1";

struct header {
	char magic[8];
	uint32_t flags, pad;
	uint64_t key_len, ninsns, checksum;
};

static char cache_dir[PATH_MAX]; /* "" until seccomp_cache_use */

void seccomp_cache_use(const char *root)
{
	cache_dir[0] = '\0';
	if (root && *root && strlen(root) + sizeof(CACHE_DIR) + 1 < sizeof(cache_dir))
		snprintf(cache_dir, sizeof(cache_dir), "%s/%s", root, CACHE_DIR);
}

static uint64_t fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void put_str(FILE *f, const char *tag, const char *s)
{
	fprintf(f, "%s %zu:%s\n", tag, s ? strlen(s) : (size_t)0, s ? s : "");
}

static void put_strv(FILE *f, const char *tag, char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	fprintf(f, "%s %zu\n", tag, n);
	for (size_t i = 0; i < n; i++)
		put_str(f, " ", v[i]);
}

int seccomp_cache_key(const struct spec_seccomp *c, char **ret_key, size_t *ret_len)
{
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (uname(&u) < 0)
		return -errno;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "mini-runtime seccomp tree %u.%u.%u\n", v->major, v->minor, v->micro);
	put_str(f, "kernel", u.release);
	put_str(f, "machine", u.machine);
	put_str(f, "default", c->default_action);
	fprintf(f, "errno %d %u\n", c->has_default_errno, c->default_errno);
	put_strv(f, "architectures", c->architectures);
	put_strv(f, "flags", c->flags);
	fprintf(f, "rules %zu\n", c->nrules);
	for (size_t i = 0; i < c->nrules; i++) {
		const struct spec_seccomp_rule *r = &c->rules[i];

		put_str(f, "action", r->action);
		fprintf(f, "errno %d %u\n", r->has_errno, r->errno_ret);
		put_strv(f, "names", r->names);
		fprintf(f, "args %zu\n", r->nargs);
		for (size_t k = 0; k < r->nargs; k++) {
			fprintf(f, " %u %llu %llu", r->args[k].index,
				(unsigned long long)r->args[k].value,
				(unsigned long long)r->args[k].value_two);
			put_str(f, "", r->args[k].op);
		}
	}
	if (fclose(f) != 0 || !buf) {
		free(buf);
		return -ENOMEM;
	}
	*ret_key = buf;
	*ret_len = len;
	return 0;
}

static void slot_name(const struct seccomp_filter *f, char *buf, size_t len)
{
	snprintf(buf, len, "slot-%02u", (unsigned)(fnv1a(f->key, f->key_len) % SLOTS));
}

/* The cache directory, if it is ours and nobody else's to write. */
static int open_dir(bool create)
{
	struct stat st;
	int fd;

	if (!cache_dir[0])
		return -1;
	if (create && mkdir(cache_dir, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = open(cache_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return -1;
	}
	return fd;
}

int seccomp_cache_find(struct seccomp_filter *f)
{
	cleanup_close int dirfd = -1, fd = -1;
	cleanup_free char *data = NULL;
	struct header h;
	struct stat st;
	char name[16];
	size_t size;

	if (!f->key || (dirfd = open_dir(false)) < 0)
		return -1;
	slot_name(f, name, sizeof(name));
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) || st.st_size < (off_t)sizeof(h) || st.st_size > (16 << 20))
		return -1;
	size = (size_t)st.st_size;
	data = malloc(size);
	if (!data || read(fd, data, size) != (ssize_t)size)
		return -1;
	memcpy(&h, data, sizeof(h));
	if (memcmp(h.magic, magic, sizeof(magic)) != 0 || h.key_len != f->key_len ||
	    h.ninsns == 0 || h.ninsns > BPF_MAXINSNS ||
	    size != sizeof(h) + h.key_len + h.ninsns * sizeof(struct sock_filter) ||
	    memcmp(data + sizeof(h), f->key, f->key_len) != 0)
		return -1;
	size -= sizeof(h) + h.key_len;
	if (fnv1a(data + sizeof(h) + h.key_len, size) != h.checksum)
		return -1;
	f->insns = malloc(size);
	if (!f->insns)
		return -1;
	memcpy(f->insns, data + sizeof(h) + h.key_len, size);
	f->len = (size_t)h.ninsns;
	f->flags = h.flags;
	f->from_cache = true;
	return 0;
}

void seccomp_cache_store(const struct seccomp_filter *f)
{
	cleanup_close int dirfd = -1;
	size_t prog = f->len * sizeof(struct sock_filter);
	struct header h = {.flags = f->flags,
			   .key_len = f->key_len,
			   .ninsns = f->len,
			   .checksum = fnv1a(f->insns, prog)};
	char name[16], tmp[32];
	int fd, r;

	if (!f->key || f->from_cache || !f->len || (dirfd = open_dir(true)) < 0)
		return;
	memcpy(h.magic, magic, sizeof(magic));
	slot_name(f, name, sizeof(name));
	/* a name of our own: two creates may store the same slot at once */
	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	r = write_all(fd, &h, sizeof(h));
	if (r == 0)
		r = write_all(fd, f->key, f->key_len);
	if (r == 0)
		r = write_all(fd, f->insns, prog);
	close(fd);
	if (r < 0 || renameat(dirfd, tmp, dirfd, name) < 0)
		unlinkat(dirfd, tmp, 0);
}
