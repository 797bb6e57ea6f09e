/* cgroups_devices_prog.c - a dev_policy as eBPF instructions, assembled by
 * hand (crun does the same; libbpf would be 300 KB for ~40 instructions).
 *
 * The kernel passes struct bpf_cgroup_dev_ctx: access_type = (access << 16)
 * | type, major, minor. The program loads them into R2..R5, then has one
 * block per exception, which jumps to the next block when the device is not
 * the exception's and otherwise returns the exception's verdict; the end
 * returns the default. The exceptions' keys are distinct (the policy merges
 * equal ones), so their order does not matter, as in the kernel's list:
 *   allow-list (default deny): allowed when one exception has every bit
 *     asked for (match_exception);
 *   deny-list (default allow): denied when one exception shares a bit with
 *     the access asked for (match_exception_partial). */
#include <errno.h>
#include <stdlib.h>

#include "cgroups_devices.h"

#define ACC_ALL (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)
#define NEXT_BLOCK INT16_MIN /* a jump's offset, fixed when the block is done */
#define BLOCK_MAX 8

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off,
				 .imm = imm};
}

/* 32-bit compares: the context's fields are u32 */
static struct bpf_insn jump_unless_eq(uint8_t reg, uint32_t v)
{
	return insn(BPF_JMP32 | BPF_JNE | BPF_K, reg, 0, NEXT_BLOCK, (int32_t)v);
}

static size_t prologue(struct bpf_insn *out)
{
	size_t n = 0;

	out[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
	out[n++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff); /* type */
	out[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_3, BPF_REG_1, 0, 0);
	out[n++] = insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16); /* access */
	out[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0); /* major */
	out[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0); /* minor */
	return n;
}

static size_t verdict(struct bpf_insn *out, bool allow)
{
	out[0] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, allow ? 1 : 0);
	out[1] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return 2;
}

static size_t block(struct bpf_insn *out, const struct dev_exception *e, bool allow_list)
{
	size_t n = 0;

	out[n++] = jump_unless_eq(BPF_REG_2,
				  e->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	if (allow_list && e->access != ACC_ALL) {
		/* no bit asked for beyond the exception's */
		out[n++] = insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
		out[n++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, ~e->access & ACC_ALL);
		out[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, BPF_REG_1, 0, NEXT_BLOCK, 0);
	} else if (!allow_list) {
		/* some bit asked for is the exception's (an empty ask is never) */
		out[n++] = insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
		out[n++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (int32_t)e->access);
		out[n++] = insn(BPF_JMP32 | BPF_JEQ | BPF_K, BPF_REG_1, 0, NEXT_BLOCK, 0);
	}
	if (e->major >= 0)
		out[n++] = jump_unless_eq(BPF_REG_4, (uint32_t)e->major);
	if (e->minor >= 0)
		out[n++] = jump_unless_eq(BPF_REG_5, (uint32_t)e->minor);
	n += verdict(out + n, allow_list);
	for (size_t i = 0; i < n; i++)
		if (out[i].off == NEXT_BLOCK)
			out[i].off = (int16_t)(n - i - 1);
	return n;
}

int dev_prog_build(const struct dev_policy *p, struct dev_prog *ret, struct rt_error *err)
{
	struct dev_prog prog = {0};

	for (size_t i = 0; i < p->n; i++)
		if ((p->ex[i].type != 'c' && p->ex[i].type != 'b') || p->ex[i].major > UINT32_MAX ||
		    p->ex[i].minor > UINT32_MAX)
			return rt_fail(err, EINVAL, "device rule %c %lld:%lld cannot be expressed",
				       p->ex[i].type, (long long)p->ex[i].major,
				       (long long)p->ex[i].minor);
	prog.insn = calloc(6 + BLOCK_MAX * p->n + 2, sizeof(*prog.insn));
	if (!prog.insn)
		return rt_fail(err, ENOMEM, "out of memory");
	prog.n = prologue(prog.insn);
	for (size_t i = 0; i < p->n; i++)
		prog.n += block(prog.insn + prog.n, &p->ex[i], !p->default_allow);
	prog.n += verdict(prog.insn + prog.n, p->default_allow);
	*ret = prog;
	return 0;
}

void dev_prog_free(struct dev_prog *p)
{
	free(p->insn);
	*p = (struct dev_prog){0};
}
