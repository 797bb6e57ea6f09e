/* seccompbench.c - what linux.seccomp costs a container's start, phase by
 * phase, for the profile in BUNDLE/config.json: parsing the config (the
 * whole spec, for scale), building libseccomp's rules
 * (seccomp_filter_build), generating the BPF program (the work
 * seccomp_load does before its syscall; measured as seccomp_export_bpf to
 * /dev/null), and loading it into a fresh child (the kernel's part).
 * Medians over N rounds, in microseconds.
 *   make build/bench/seccompbench && build/bench/seccompbench BUNDLE [N] */
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "seccomp_profile.h"
#include "spec.h"

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
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 50, null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	double *parse = calloc((size_t)n, sizeof(double)), *build = calloc((size_t)n, sizeof(double));
	double *gen = calloc((size_t)n, sizeof(double)), *load = calloc((size_t)n, sizeof(double));
	struct rt_error err = {0};

	if (argc < 2 || n < 1 || null_fd < 0 || !parse || !build || !gen || !load) {
		fprintf(stderr, "usage: seccompbench BUNDLE [N]\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		struct seccomp_filter *f = NULL;
		struct spec *spec = NULL;
		char *text = NULL;
		size_t len = 0;
		double t0 = now_us(), t1, t2, t3;
		pid_t pid;
		int status;

		if (spec_load_text(argv[1], &spec, &text, &len, &err) < 0 || !spec->seccomp) {
			fprintf(stderr, "seccompbench: %s\n", *err.msg ? err.msg : "no linux.seccomp");
			return 1;
		}
		t1 = now_us();
		if (seccomp_filter_build(spec->seccomp, &f, &err) < 0) {
			fprintf(stderr, "seccompbench: %s\n", err.msg);
			return 1;
		}
		t2 = now_us();
		seccomp_export_bpf((scmp_filter_ctx)f, null_fd);
		t3 = now_us();
		pid = fork();
		if (pid == 0) {
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			_exit(seccomp_filter_load(f, &err) < 0 ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		/* the child's load includes a second generation: subtract ours */
		load[i] = now_us() - t3 - (t3 - t2);
		parse[i] = t1 - t0;
		build[i] = t2 - t1;
		gen[i] = t3 - t2;
		seccomp_filter_free(f);
		spec_free(spec);
		free(text);
	}
	printf("parse %.0f us, build %.0f us, generate %.0f us, fork+load-generate %.0f us "
	       "(medians of %d)\n",
	       median(parse, n), median(build, n), median(gen, n), median(load, n), n);
	return 0;
}
