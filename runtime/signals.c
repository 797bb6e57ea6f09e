#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

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

/* Every standard signal but those nobody can catch, SIGCHLD (ours) and the
 * faults a handler must not return from. */
static bool forwarded(int sig)
{
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGCHLD:
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
	case SIGSYS:
		return false;
	default:
		return true;
	}
}

static volatile pid_t forward_to;

static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

void signals_forward_by_handlers(pid_t pid)
{
	struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};

	forward_to = pid;
	for (int sig = 1; sig < 32; sig++)
		if (forwarded(sig))
			sigaction(sig, &sa, NULL);
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int signals_wait(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 255;
	forward_to = 0;
	return exit_code(status);
}

void signals_block_forwarded(sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig < 32; sig++)
		if (forwarded(sig))
			sigaddset(set, sig);
	sigaddset(set, SIGCHLD);
	sigprocmask(SIG_BLOCK, set, NULL);
}

int signals_wait_forwarding(pid_t pid, const sigset_t *set)
{
	int status = 0;
	siginfo_t si;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return exit_code(status);
		if (r < 0 && errno != EINTR)
			return 255;
		if (sigwaitinfo(set, &si) > 0 && si.si_signo != SIGCHLD)
			kill(pid, si.si_signo);
	}
}
