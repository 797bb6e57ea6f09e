/* signals.h - signal names as `kill` takes them (9, KILL, SIGKILL), and
 * how `run` and `exec` pass the signals they get on to the container's
 * process while they wait for it. */
#ifndef MINI_SIGNALS_H
#define MINI_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

int signal_parse(const char *text, int *ret_sig);

/* Forwards by handlers, for a waiter that does other work (a terminal
 * relay); then signals_wait(pid) for the exit code. */
void signals_forward_by_handlers(pid_t pid);
int signals_wait(pid_t pid);

/* Forwards without handlers: the signals and SIGCHLD are blocked (one
 * syscall where handlers take one each) and taken one by one until pid
 * exits. Block before the process can exit: an unblocked SIGCHLD is
 * discarded. Hooks unblock them for themselves. */
void signals_block_forwarded(sigset_t *set);
int signals_wait_forwarding(pid_t pid, const sigset_t *set);

#endif
