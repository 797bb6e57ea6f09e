/* tinytrue.c - `true` in one page: exit(0) with no libc, so the payload
 * of the peak-RSS bundle adds (almost) nothing to the runtime's figure.
 * Built by bench/run.sh: gcc -O2 -static -nostdlib. */
void _start(void)
{
#if defined(__x86_64__)
	__asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
#elif defined(__aarch64__)
	__asm__ volatile("mov x8, #93\n\tmov x0, #0\n\tsvc #0");
#else
#error "tinytrue: add this architecture's exit(0)"
#endif
	for (;;)
		;
}
