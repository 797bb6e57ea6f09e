/* selfexe.h - keep the runtime binary out of the container's reach.
 *
 * While the init is set up it is a copy of this process, so
 * /proc/<pid>/exe inside the container leads to our binary, and a
 * `#!/proc/self/exe` program makes the kernel run it in there again
 * (CVE-2019-5736). Instead of copying the binary on every start, create,
 * run and exec run from a read-only bind mount of it made in a private
 * mount namespace: the container can name the file, but every path to it
 * goes through a read-only mount it cannot remount, so it cannot be
 * opened for writing. */
#ifndef MINI_SELFEXE_H
#define MINI_SELFEXE_H

#include "error.h"

/* Returns 0 when already running from a read-only mount; otherwise sets
 * one up and re-executes argv (returning only on failure). */
int selfexe_protect(char **argv, struct rt_error *err);

/* A container with no mount namespace in its config shares the runtime's,
 * which the spec means as the caller's, not the private one made above:
 * joins the caller's mount namespace again (a no-op when we never left
 * it). Called in the parent right before the init is cloned; our binary
 * stays mapped through the read-only mount whatever namespace we are in. */
int selfexe_enter_caller_mntns(struct rt_error *err);

#endif
