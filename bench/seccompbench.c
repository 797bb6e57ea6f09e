/* seccompbench.c - what linux.seccomp costs a container's start, phase by
 * phase, for the profile in BUNDLE/config.json: parsing the config (the
 * whole spec, for scale), building the filter without the cache
 * (libseccomp's rules, then the BPF program exported), building it with
 * the cache holding it (seccomp_cache.c: the key and one file read), and
 * loading it into a fresh child (fork, seccomp(2), exit). Medians over N
 * rounds, in microseconds.
 *   make build/bench/seccompbench && build/bench/seccompbench BUNDLE [N [miss|hit]]
 * With miss or hit only that build runs (for `valgrind --tool=callgrind`,
 * whose instruction counts are repeatable where times are not). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static struct seccomp_filter *build(const struct spec *spec)
{
	struct seccomp_filter *f = NULL;
	struct rt_error err = {0};

	if (seccomp_filter_build(spec->seccomp, &f, &err) < 0) {
		fprintf(stderr, "seccompbench: %s\n", err.msg);
		exit(1);
	}
	return f;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 50;
	const char *only = argc > 3 ? argv[3] : NULL;
	double *v[4];
	char cache[] = "/tmp/seccompbench.XXXXXX";
	struct rt_error err = {0};

	for (int k = 0; k < 4; k++)
		v[k] = calloc((size_t)n, sizeof(double));
	if (argc < 2 || n < 1 || !v[3] || !mkdtemp(cache)) {
		fprintf(stderr, "usage: seccompbench BUNDLE [N [miss|hit]]\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		struct seccomp_filter *f;
		struct spec *spec = NULL;
		char *text = NULL, cmd[64];
		size_t len = 0;
		double t0 = now_us(), t1, t2, t3;
		pid_t pid;
		int status;

		if (spec_load_text(argv[1], &spec, &text, &len, &err) < 0 || !spec->seccomp) {
			fprintf(stderr, "seccompbench: %s\n", *err.msg ? err.msg : "no linux.seccomp");
			return 1;
		}
		t1 = now_us();
		/* a miss: no cache; then one stored, and found */
		seccomp_cache_use("");
		f = only && strcmp(only, "hit") == 0 ? NULL : build(spec);
		t2 = now_us();
		if (only && strcmp(only, "miss") == 0)
			goto next;
		seccomp_cache_use(cache);
		if (!f)
			f = build(spec);
		seccomp_filter_remember(f);
		seccomp_filter_free(f);
		t2 = only ? t1 : t2;
		t3 = now_us();
		f = build(spec);
		v[2][i] = now_us() - t3;
		t3 = now_us();
		pid = fork();
		if (pid == 0) {
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			_exit(seccomp_filter_load(f, &err) < 0 ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		v[3][i] = now_us() - t3;
		snprintf(cmd, sizeof(cmd), "rm -rf %s/.seccomp-cache", cache);
		if (system(cmd) != 0)
			return 1;
	next:
		v[0][i] = t1 - t0;
		v[1][i] = t2 - t1;
		seccomp_filter_free(f);
		spec_free(spec);
		free(text);
	}
	rmdir(cache);
	printf("parse %.0f us, build without the cache %.0f us, with it %.0f us, "
	       "fork+load+exit %.0f us (medians of %d)\n",
	       median(v[0], n), median(v[1], n), median(v[2], n), median(v[3], n), n);
	return 0;
}
