/* fuzz_spec - libFuzzer target for everything `create` parses before it
 * makes anything: config.json (spec_load), then the checks the subsystems
 * run on it (capability names, linux.resources, the seccomp filter), and the
 * same bytes as an `exec --process` file. The input is written to a bundle
 * in a private tmpfs-backed directory because spec_load reads a path.
 * Built and run by `make fuzz`; seeds in tests/corpus/spec/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "resources.h"
#include "seccomp_profile.h"
#include "spec.h"

static char bundle[64], config[96], process[96];

static void setup(void)
{
	char rootfs[96];

	snprintf(bundle, sizeof(bundle), "/dev/shm/fuzz-spec.%d", (int)getpid());
	snprintf(config, sizeof(config), "%s/config.json", bundle);
	snprintf(process, sizeof(process), "%s/process.json", bundle);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	if ((mkdir(bundle, 0700) < 0 && access(bundle, W_OK) < 0) ||
	    (mkdir(rootfs, 0700) < 0 && access(rootfs, W_OK) < 0)) {
		perror(bundle);
		abort();
	}
}

static void write_input(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "we");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* A message must be one printable-ish line: it ends up in a json log. */
static void check_message(const struct rt_error *err)
{
	if (!err->msg[0] || strlen(err->msg) >= sizeof(err->msg))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_error err = {0};
	struct spec *spec = NULL;
	struct spec_process *p = NULL;

	if (!bundle[0])
		setup();
	write_input(config, data, size);
	if (spec_load(bundle, &spec, &err) < 0) {
		check_message(&err);
	} else {
		struct seccomp_filter *filter = NULL;

		if (spec->process && spec->process->has_caps)
			caps_parse(spec->process, "process", &err);
		if (spec->seccomp && seccomp_filter_build(spec->seccomp, &filter, &err) == 0)
			seccomp_filter_free(filter);
		spec_free(spec);
	}
	write_input(process, data, size);
	if (spec_load_process(process, &p, &err) == 0) {
		if (p->has_caps)
			caps_parse(p, "process", &err);
		spec_process_free(p);
	}
	return 0;
}
