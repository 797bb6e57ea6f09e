/* signals.h - signal names as `kill` takes them: 9, KILL, SIGKILL. */
#ifndef MINI_SIGNALS_H
#define MINI_SIGNALS_H

int signal_parse(const char *text, int *ret_sig);

#endif
