/* exec_fifo.h - how `create` holds the init until `start`. Three ends:
 *   create: exec_fifo_create makes <statedir>/exec.fifo and opens it
 *           read-write for the init, locked (flock);
 *   init:   blocks reading one byte from that fd (init.c, wait_for_start),
 *           then execs: the fd is close-on-exec, so its lock goes too;
 *   start:  exec_fifo_release writes the byte, removes the fifo and waits
 *           for the lock, that is, for the program to run.
 * The fifo exists exactly while the container is "created" (state.c). */
#ifndef MINI_EXEC_FIFO_H
#define MINI_EXEC_FIFO_H

#include "error.h"

/* Makes the fifo in the state directory; *ret_fd is the init's end. */
int exec_fifo_create(int dirfd, int *ret_fd, struct rt_error *err);
/* Releases the init and returns once its program runs (or it exited). */
int exec_fifo_release(int dirfd, struct rt_error *err);

#endif
