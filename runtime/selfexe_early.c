/* selfexe_early.c - the re-exec of selfexe.h, done at the binary's entry
 * point, before glibc starts.
 *
 * glibc's start-up detects the CPU's features and caches with some forty
 * cpuid instructions, each a VM exit on a virtual machine, then sets up
 * malloc and libcap: about 0.2-0.3 ms here. An image that only re-executes
 * itself does not need any of it, so the linker's entry point is
 * selfexe_entry (Makefile): for create, run and exec it makes the
 * read-only mount and re-executes with raw system calls. Anything else,
 * and any failure, goes on to glibc's _start; main's selfexe_protect then
 * does the same (and reports what failed).
 *
 * Nothing here may need glibc initialised: no libc calls (some are
 * resolved only at start-up), no stack protector, no sanitizer, and no
 * loop the compiler could turn into a memcpy call.
 *
 * x86-64 and aarch64 have an entry point here (the Makefile links it
 * where the compiler targets one of them); elsewhere this file is empty
 * and main's selfexe_protect alone makes the re-exec. */
#include <fcntl.h>
#include <linux/mount.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include "cli_options.h"
#include "selfexe.h"

#define EARLY                                                                                      \
	__attribute__((no_stack_protector, no_sanitize("address", "undefined"), used))

#if defined(__x86_64__) || defined(__aarch64__)
/* At entry the stack holds argc, argv, envp; the loader's fini function
 * (0 when static), which _start passes on, is in rdx (x86-64) or x0
 * (aarch64): kept in a callee-saved register around the call. */
#if defined(__x86_64__)
__asm__(".text\n"
	".globl selfexe_entry\n"
	".type selfexe_entry, @function\n"
	"selfexe_entry:\n"
	"	mov %rsp, %r12\n"
	"	mov %rdx, %r13\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call selfexe_early\n"
	"	mov %r12, %rsp\n"
	"	mov %r13, %rdx\n"
	"	jmp _start\n");

EARLY static long raw(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
/* the kernel starts us with sp 16-byte aligned, as a call needs */
__asm__(".text\n"
	".globl selfexe_entry\n"
	".type selfexe_entry, %function\n"
	"selfexe_entry:\n"
	"	mov x19, x0\n"
	"	mov x0, sp\n"
	"	bl selfexe_early\n"
	"	mov x0, x19\n"
	"	b _start\n");

EARLY static long raw(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#endif

EARLY static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

EARLY static bool has_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* The command, found as main's getopt_long("+...") finds it: the first
 * word that is not an option or the value of one. Spellings getopt also
 * takes (abbreviations) fall back to main's selfexe_protect. */
EARLY static const char *command(int argc, char **argv)
{
	/* main's options (cli_options.h): NULL for one without a value */
#define WITH_VALUE(name, has_arg, val) (has_arg) == required_argument ? "--" name : NULL,
	static const char *const with_value[] = {CLI_GLOBAL_OPTIONS(WITH_VALUE)};
#undef WITH_VALUE

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			return a;
		if (same(a, "--"))
			return i + 1 < argc ? argv[i + 1] : NULL;
		for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			if (with_value[k] && same(a, with_value[k])) {
				i++;
				break;
			}
	}
	return NULL;
}

EARLY void selfexe_early(long *sp);
EARLY void selfexe_early(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;
	const char *cmd = command(argc, argv);
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	struct statfs st;
	size_t n = 0;
	long fd;

#define IS(name) || same(cmd, name)
	if (!cmd || !(false CLI_REEXEC_COMMANDS(IS)))
		return;
#undef IS
	for (; envp[n]; n++)
		if (has_prefix(envp[n], SELFEXE_REEXEC_ENV "="))
			return; /* re-executed already */
	if (raw(SYS_statfs, (long)"/proc/self/exe", (long)&st, 0, 0, 0) == 0 &&
	    (st.f_flags & ST_RDONLY))
		return;
	fd = raw(SYS_open_tree, AT_FDCWD, (long)"/proc/self/exe",
		 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, 0, 0);
	if (fd < 0)
		return;
	if (raw(SYS_mount_setattr, fd, (long)"", AT_EMPTY_PATH, (long)&ro, sizeof(ro)) == 0) {
		char *env[n + 2];

		for (size_t i = 0; i < n; i++) {
			env[i] = envp[i];
			__asm__ volatile("" ::: "memory"); /* stays a loop, not a memcpy */
		}
		env[n] = SELFEXE_REEXEC_ENV "=1";
		env[n + 1] = NULL;
		raw(SYS_execveat, fd, (long)"", (long)argv, (long)env, AT_EMPTY_PATH);
	}
	raw(SYS_close, fd, 0, 0, 0, 0);
}
#endif /* __x86_64__ || __aarch64__ */
