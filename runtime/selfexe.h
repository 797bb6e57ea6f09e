/* selfexe.h - keep the runtime binary out of the container's reach.
 *
 * While the init is set up it is a copy of this process, so
 * /proc/<pid>/exe inside the container leads to our binary, and a
 * `#!/proc/self/exe` program makes the kernel run it in there again
 * (CVE-2019-5736). Instead of copying the binary on every start, create,
 * run and exec re-execute once from a detached read-only bind mount of it
 * (open_tree): the container can name the file, but every path to it goes
 * through that read-only mount, which no one can remount, so it cannot be
 * opened for writing. */
#ifndef MINI_SELFEXE_H
#define MINI_SELFEXE_H

#include "error.h"

/* Set across the one re-exec, so that it happens once even where
 * /proc/self/exe never looks read-only (under valgrind, say). */
#define SELFEXE_REEXEC_ENV "_MINI_RUNTIME_REEXEC"

/* Returns 0 when already running from a read-only mount; otherwise
 * re-executes argv from one (returning only on failure). Usually done
 * already, before glibc started: see selfexe_early.c. */
int selfexe_protect(char **argv, struct rt_error *err);

#endif
