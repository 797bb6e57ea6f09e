/* devbpf.c - what the cgroup v2 device program costs a container's start:
 * the rule list of containerd's and Docker's default (deny all, mknod of
 * any node, the standard nodes, console, ptmx, ptys, tun) plus the
 * runtime's defaults and the six linux.devices nodes they make, turned
 * into a program (pure), loaded (the verifier), and attached to a fresh
 * cgroup2 directory (the query for ours, the attach); and the `update`
 * path, a replace. Medians over N rounds, in microseconds.
 *   make build/bench/devbpf && build/bench/devbpf [N]   (root; cgroup2 at
 *   /sys/fs/cgroup/unified on a hybrid host, else /sys/fs/cgroup) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroups_devices.h"

static const struct res_device_rule engine[] = {
	{false, 'a', -1, -1, "rwm"}, {true, 'c', -1, -1, "m"},	 {true, 'b', -1, -1, "m"},
	{true, 'c', 1, 3, "rwm"},    {true, 'c', 1, 5, "rwm"},	 {true, 'c', 1, 7, "rwm"},
	{true, 'c', 1, 8, "rwm"},    {true, 'c', 1, 9, "rwm"},	 {true, 'c', 5, 0, "rwm"},
	{true, 'c', 5, 1, "rwm"},    {true, 'c', 5, 2, "rwm"},	 {true, 'c', 136, -1, "rwm"},
	{true, 'c', 10, 200, "rwm"},
};
static struct spec_device nodes[] = {
	{.type = 'c', .major = 1, .minor = 3}, {.type = 'c', .major = 1, .minor = 5},
	{.type = 'c', .major = 1, .minor = 7}, {.type = 'c', .major = 1, .minor = 8},
	{.type = 'c', .major = 1, .minor = 9}, {.type = 'c', .major = 5, .minor = 0},
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

static void die(const char *what, const struct rt_error *err)
{
	fprintf(stderr, "devbpf: %s: %s\n", what, err->msg);
	exit(1);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	const char *root = access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0
				   ? "/sys/fs/cgroup/unified"
				   : "/sys/fs/cgroup";
	struct resources res = {.devices = (struct res_device_rule *)engine,
				.ndevices = sizeof(engine) / sizeof(engine[0])};
	struct spec spec = {.devices = nodes, .ndevices = sizeof(nodes) / sizeof(nodes[0])};
	double *t[5];
	size_t insns = 0, rules = 0;
	char dir[256];

	for (int k = 0; k < 5; k++)
		t[k] = calloc((size_t)n, sizeof(double));
	for (int i = 0; i < n; i++) {
		struct rt_error err = {0};
		struct dev_rule_list l;
		struct dev_policy pol;
		struct dev_prog prog;
		int prog_fd, prog2_fd, dirfd;
		double a, b, c, d, e;

		snprintf(dir, sizeof(dir), "%s/mini-devbpf-%d-%d", root, (int)getpid(), i);
		if (mkdir(dir, 0755) < 0 || (dirfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0) {
			perror(dir);
			return 1;
		}
		a = now_us();
		if (dev_rule_list_build(&res, &spec, &l, &err) < 0 ||
		    dev_policy_build(l.v, l.n, &pol, &err) < 0 || dev_prog_build(&pol, &prog, &err) < 0)
			die("build", &err);
		b = now_us();
		if (dev_bpf_load(&prog, &prog_fd, &err) < 0)
			die("load", &err);
		c = now_us();
		if (dev_bpf_install(dirfd, prog_fd, &err) < 0)
			die("attach", &err);
		d = now_us();
		if (dev_bpf_load(&prog, &prog2_fd, &err) < 0 || dev_bpf_install(dirfd, prog2_fd, &err) < 0)
			die("replace", &err);
		e = now_us();
		t[0][i] = b - a, t[1][i] = c - b, t[2][i] = d - c, t[3][i] = d - a, t[4][i] = e - d;
		insns = prog.n, rules = l.n;
		dev_prog_free(&prog);
		dev_policy_free(&pol);
		dev_rule_list_free(&l);
		close(prog_fd);
		close(prog2_fd);
		close(dirfd);
		rmdir(dir);
	}
	printf("%zu rules -> %zu instructions, %d rounds, medians in us:\n", rules, insns, n);
	printf("build %.1f  load %.1f  attach %.1f  start path total %.1f  update (load+replace) %.1f\n",
	       median(t[0], n), median(t[1], n), median(t[2], n), median(t[3], n), median(t[4], n));
	return 0;
}
