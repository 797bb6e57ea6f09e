#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "signals.h"
#include "util.h"

static const struct {
	const char *name;
	int sig;
} names[] = {
	{"HUP", SIGHUP},     {"INT", SIGINT},	  {"QUIT", SIGQUIT},   {"ILL", SIGILL},
	{"TRAP", SIGTRAP},   {"ABRT", SIGABRT},	  {"IOT", SIGIOT},     {"BUS", SIGBUS},
	{"FPE", SIGFPE},     {"KILL", SIGKILL},	  {"USR1", SIGUSR1},   {"SEGV", SIGSEGV},
	{"USR2", SIGUSR2},   {"PIPE", SIGPIPE},	  {"ALRM", SIGALRM},   {"TERM", SIGTERM},
	{"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},   {"STOP", SIGSTOP},
	{"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},	  {"TTOU", SIGTTOU},   {"URG", SIGURG},
	{"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},	  {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
	{"WINCH", SIGWINCH}, {"IO", SIGIO},	  {"POLL", SIGPOLL},   {"PWR", SIGPWR},
	{"SYS", SIGSYS},
};

int signal_parse(const char *text, int *ret_sig)
{
	unsigned long n;

	if (parse_ulong(text, &n) == 0) {
		if (n == 0 || n > (unsigned long)SIGRTMAX)
			return -EINVAL;
		*ret_sig = (int)n;
		return 0;
	}
	if (strncasecmp(text, "SIG", 3) == 0)
		text += 3;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(text, names[i].name) == 0) {
			*ret_sig = names[i].sig;
			return 0;
		}
	/* RTMIN, RTMIN+3, RTMAX-2 */
	if (strncasecmp(text, "RTMIN", 5) == 0 || strncasecmp(text, "RTMAX", 5) == 0) {
		int base = strncasecmp(text, "RTMIN", 5) == 0 ? SIGRTMIN : SIGRTMAX;
		const char *rest = text + 5;

		if (!*rest) {
			*ret_sig = base;
			return 0;
		}
		if ((rest[0] == '+' || rest[0] == '-') && parse_ulong(rest + 1, &n) == 0) {
			long sig = rest[0] == '+' ? base + (long)n : base - (long)n;
			if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
				*ret_sig = (int)sig;
				return 0;
			}
		}
	}
	return -EINVAL;
}
