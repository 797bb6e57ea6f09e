/* hooks.h - runtime-spec hooks: each is run with the state JSON on its
 * stdin, its own args and env, and killed after its timeout. */
#ifndef MINI_HOOKS_H
#define MINI_HOOKS_H

#include "error.h"
#include "spec.h"

/* Runs the hooks of one kind in order. The first failure stops the rest,
 * except for poststart and poststop, where every hook runs and err holds
 * each failure ("; "-separated) for the caller to log as a warning. */
int hooks_run(const struct spec *spec, enum spec_hook_kind kind, const char *state_json,
	      struct rt_error *err);

#endif
