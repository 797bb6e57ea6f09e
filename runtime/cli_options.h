/* cli_options.h - the global options and the commands that re-execute,
 * one list each for main.c's getopt_long and selfexe_early.c, which finds
 * the command before glibc starts (and so before getopt can). */
#ifndef MINI_CLI_OPTIONS_H
#define MINI_CLI_OPTIONS_H

#include <getopt.h>

/* X(long name, has_arg, getopt's return) */
#define CLI_GLOBAL_OPTIONS(X)                                                                      \
	X("root", required_argument, 'r')                                                          \
	X("log", required_argument, 'l')                                                           \
	X("log-format", required_argument, 'f')                                                    \
	X("debug", no_argument, 'd')                                                               \
	X("systemd-cgroup", no_argument, 's')                                                      \
	X("rootless", required_argument, 'R')                                                      \
	X("criu", required_argument, 'C')                                                          \
	X("help", no_argument, 'h')                                                                \
	X("version", no_argument, 'v')

/* The commands that start a process in a container: they run from a
 * read-only mount of the binary (selfexe.h). X(name) */
#define CLI_REEXEC_COMMANDS(X) X("create") X("run") X("exec")

#endif
