/* terminal.h - process.terminal: the init makes a pty in the container's
 * devpts, takes the slave as its controlling terminal and stdio, and sends
 * the master over the console socket (SCM_RIGHTS), as runc does. */
#ifndef MINI_TERMINAL_H
#define MINI_TERMINAL_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* Parent: connects to --console-socket PATH. */
int terminal_connect(const char *path, int *ret_fd, struct rt_error *err);
/* Init (and exec), in the container's root: make the pty, send the master
 * on console_fd; the init also binds it on /dev/console (make_console). */
int terminal_setup(int console_fd, const struct spec_process *process, bool make_console,
		   struct rt_error *err);
/* Receives a master fd sent with SCM_RIGHTS. */
int terminal_recv_master(int sock, int *ret_fd, struct rt_error *err);
/* `run` without a console socket: copy between our stdio and the master
 * until the master hangs up (the container's process exited). */
void terminal_relay(int master);

#endif
