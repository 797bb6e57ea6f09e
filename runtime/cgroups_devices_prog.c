/* cgroups_devices_prog.c - a dev_policy as eBPF instructions, assembled by
 * hand, as crun does: libbpf (and its libelf) for ~100 fixed instructions
 * would outweigh this whole back end.
 *
 * The kernel passes struct bpf_cgroup_dev_ctx: access_type = (access << 16)
 * | type, major, minor. The exceptions come in two groups, char then
 * block; a group begins by jumping past itself when the device is of the
 * other type. In it, one block per exception jumps to the next block when
 * the device is not the exception's, and otherwise returns the exception's
 * verdict; the end returns the default. The exceptions' keys are distinct
 * (the policy merges equal ones), so their order does not matter, as in the
 * kernel's list:
 *   allow-list (default deny): allowed when one exception has every bit
 *     asked for (match_exception);
 *   deny-list (default allow): denied when one exception shares a bit with
 *     the access asked for (match_exception_partial).
 *
 * The verifier is the cost of a start (~1.5 us per instruction it walks
 * here, bench/README.md), so each test loads its field afresh from the
 * context (R1, never written): no register lives from one block into the
 * next, every path reaches a block in the same state, and the verifier
 * walks each block once. Fields loaded once for all (crun's and runc's
 * shape) carry what each comparison taught it into the next block: 1.7
 * times the instructions walked for containerd's default list. */
#include <errno.h>
#include <stdlib.h>

#include "cgroups_devices.h"

#define ACC_ALL (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)
#define NEXT INT16_MIN /* a jump's offset, fixed when its block is done */
#define BLOCK_MAX 9
#define GROUP_HEAD 2

/* The halves of access_type, by 16-bit loads (the kernel allows narrow
 * loads of that field): type is the low half, access the high one. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TYPE_OFF 0
#define ACCESS_OFF 2
#else
#define TYPE_OFF 2
#define ACCESS_OFF 0
#endif

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off,
				 .imm = imm};
}

static struct bpf_insn load(uint8_t size, uint8_t reg, int16_t off)
{
	return insn(BPF_LDX | size | BPF_MEM, reg, BPF_REG_1, off, 0);
}

/* 32-bit compares: the context's fields are u32 */
static struct bpf_insn jump_unless_eq(uint8_t reg, uint32_t v)
{
	return insn(BPF_JMP32 | BPF_JNE | BPF_K, reg, 0, NEXT, (int32_t)v);
}

static size_t verdict(struct bpf_insn *out, bool allow)
{
	out[0] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, allow ? 1 : 0);
	out[1] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return 2;
}

/* The NEXT jumps of out[0, n) go to out[n]. */
static void resolve(struct bpf_insn *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].off == NEXT)
			out[i].off = (int16_t)(n - i - 1);
}

static size_t block(struct bpf_insn *out, const struct dev_exception *e, bool allow_list)
{
	size_t n = 0;

	if (!allow_list || e->access != ACC_ALL) {
		/* allow-list: no bit asked for beyond the exception's; deny-list:
		 * some bit asked for is the exception's (an empty ask is never) */
		out[n++] = load(BPF_H, BPF_REG_3, ACCESS_OFF);
		out[n++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_3, 0, 0,
				allow_list ? (int32_t)(~e->access & ACC_ALL) : (int32_t)e->access);
		out[n++] = insn(BPF_JMP32 | (allow_list ? BPF_JNE : BPF_JEQ) | BPF_K, BPF_REG_3, 0,
				NEXT, 0);
	}
	if (e->major >= 0) {
		out[n++] = load(BPF_W, BPF_REG_4, 4);
		out[n++] = jump_unless_eq(BPF_REG_4, (uint32_t)e->major);
	}
	if (e->minor >= 0) {
		out[n++] = load(BPF_W, BPF_REG_5, 8);
		out[n++] = jump_unless_eq(BPF_REG_5, (uint32_t)e->minor);
	}
	n += verdict(out + n, allow_list);
	resolve(out, n);
	return n;
}

/* The exceptions of one type, behind a test of the type. */
static size_t group(struct bpf_insn *out, const struct dev_policy *p, char type)
{
	size_t n = GROUP_HEAD;

	for (size_t i = 0; i < p->n; i++)
		if (p->ex[i].type == type)
			n += block(out + n, &p->ex[i], !p->default_allow);
	if (n == GROUP_HEAD)
		return 0;
	out[0] = load(BPF_H, BPF_REG_2, TYPE_OFF);
	out[1] = jump_unless_eq(BPF_REG_2, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	resolve(out, n);
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
	prog.insn = calloc(2 * GROUP_HEAD + BLOCK_MAX * p->n + 2, sizeof(*prog.insn));
	if (!prog.insn)
		return rt_fail(err, ENOMEM, "out of memory");
	prog.n = group(prog.insn, p, 'c');
	prog.n += group(prog.insn + prog.n, p, 'b');
	prog.n += verdict(prog.insn + prog.n, p->default_allow);
	*ret = prog;
	return 0;
}

void dev_prog_free(struct dev_prog *p)
{
	free(p->insn);
	*p = (struct dev_prog){0};
}
