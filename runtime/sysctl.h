/* sysctl.h - linux.sysctl: only the knobs the container's own namespaces
 * hold, written through the runtime's procfs handle.
 *
 * A sysctl that no namespace of the container's holds is the host's: with
 * `kernel.core_pattern` the container picks the program the host runs as
 * root for every crash. As runc does, a key is accepted only when the
 * namespace that holds it is the container's own (created, or joined and
 * not the runtime's): ipc for kernel.msg*, kernel.sem, kernel.shm* and
 * fs.mqueue.*, network for net.*, uts for kernel.hostname and
 * kernel.domainname (and then not beside the `hostname`/`domainname`
 * field). Keys may use dots or slashes (`net/ipv4/conf/eth0.1/forwarding`
 * keeps its dot). */
#ifndef MINI_SYSCTL_H
#define MINI_SYSCTL_H

#include "error.h"
#include "spec.h"

/* Parent, before anything is created: refuses any key not held by a
 * namespace of the container's own, naming it (linux.sysctl["key"]). */
int sysctl_check(const struct spec *spec, struct rt_error *err);
/* Init, in the container's namespaces: writes every key below procfd (an
 * fd of the host's /proc, procfs.h). */
int sysctl_write_all(int procfd, const struct spec *spec, struct rt_error *err);

#endif
