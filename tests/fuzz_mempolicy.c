/* fuzz_mempolicy - libFuzzer target for policy/: the input is split at
 * '\n' into mode, nodes and up to 8 flags (a line "-" means "no nodes"),
 * then parsed and validated as config.json's linux.memoryPolicy would be.
 * Properties checked besides memory safety: a failure always leaves a
 * message, and a node list that parses formats back to a list that parses
 * to the same mask. Seeds in tests/corpus/mempolicy/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mempolicy.h"

#define MAX_FIELDS 10

static void must_say_why(int r, const char *err)
{
	if (r < 0 && !err[0])
		abort();
}

static void check_round_trip(const char *nodes)
{
	struct mpol_nodemask a, b;
	char err[256] = "", text[8192];

	if (mpol_parse_nodes(nodes, "nodes", &a, err, sizeof(err)) < 0) {
		must_say_why(-1, err);
		return;
	}
	if (mpol_format_nodes(&a, text, sizeof(text)) >= sizeof(text))
		abort();
	if (text[0] == '\0')
		return; /* an empty mask has no list form */
	if (mpol_parse_nodes(text, "nodes", &b, err, sizeof(err)) < 0 || memcmp(&a, &b, sizeof(a)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *fields[MAX_FIELDS], *p;
	size_t n = 0;
	struct mpol_policy policy;
	struct mpol_host host = {.kernel_major = 6, .kernel_minor = 1};
	struct mpol_args args;
	char err[256] = "";
	int r;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = buf; n < MAX_FIELDS; n++) {
		fields[n] = p;
		p = strchr(p, '\n');
		if (!p) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	host.online.bits[0] = 0x3; /* nodes 0-1 */
	if (n >= 2 && strcmp(fields[1], "-") != 0)
		check_round_trip(fields[1]);
	r = mpol_policy_parse(fields[0], n >= 2 && strcmp(fields[1], "-") ? fields[1] : NULL,
			      (const char *const *)fields + 2, n > 2 ? n - 2 : 0, &policy, err,
			      sizeof(err));
	must_say_why(r, err);
	if (r == 0) {
		err[0] = '\0';
		r = mpol_validate(&policy, err, sizeof(err));
		must_say_why(r, err);
		err[0] = '\0';
		must_say_why(mpol_validate_host(&policy, &host, err, sizeof(err)), err);
		mpol_build_args(&policy, &args);
		if ((args.mask == NULL) != (args.maxnode == 0))
			abort();
		if (mpol_mode_name(policy.mode) == NULL)
			abort();
	}
	free(buf);
	return 0;
}
