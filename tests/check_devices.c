/* check_devices.c - unit tests of the device rules without root: the rule
 * list (cgroups_devices.c), its v1 replay (cgroups_devices_policy.c) and
 * the program (cgroups_devices_prog.c), run here by an interpreter of the
 * instructions it uses; check_devices_kernel.c runs the same cases in the
 * kernel. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "devices_cases.h"

/* Runs p on one device as the kernel would call it: 1 allow, 0 deny, -1 a
 * program the interpreter cannot run (an instruction it does not know, a
 * jump out of the program, no exit). */
static int run(const struct dev_prog *p, char type, int major, int minor, const char *access)
{
	uint32_t ctx[3] = {(dev_access_bits(access) << 16) |
				   (type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
			   (uint32_t)major, (uint32_t)minor};
	uint64_t reg[11] = {0};

	for (size_t pc = 0, steps = 0; pc < p->n && steps < 4096; pc++, steps++) {
		const struct bpf_insn *i = &p->insn[pc];
		uint64_t *d = &reg[i->dst_reg];
		uint32_t imm = (uint32_t)i->imm;

		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
		case BPF_LDX | BPF_H | BPF_MEM: {
			size_t size = BPF_SIZE(i->code) == BPF_W ? 4 : 2;
			uint32_t w = 0;
			uint16_t h = 0;

			if (i->src_reg != BPF_REG_1 || i->off < 0 || i->off % size ||
			    (size_t)i->off + size > sizeof(ctx))
				return -1;
			memcpy(size == 4 ? (void *)&w : (void *)&h, (char *)ctx + i->off, size);
			*d = size == 4 ? w : h;
			break;
		}
		case BPF_ALU | BPF_AND | BPF_K:
			*d = (uint32_t)*d & imm;
			break;
		case BPF_ALU | BPF_RSH | BPF_K:
			*d = (uint32_t)*d >> imm;
			break;
		case BPF_ALU | BPF_MOV | BPF_X:
			*d = (uint32_t)reg[i->src_reg];
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			*d = (uint64_t)(int64_t)i->imm;
			break;
		case BPF_JMP32 | BPF_JNE | BPF_K:
		case BPF_JMP32 | BPF_JEQ | BPF_K:
			if (((uint32_t)*d == imm) == (BPF_OP(i->code) == BPF_JEQ)) {
				if (i->off < 0 || pc + (size_t)i->off + 1 >= p->n)
					return -1;
				pc += (size_t)i->off;
			}
			break;
		case BPF_JMP | BPF_EXIT:
			return (int)reg[0];
		default:
			return -1;
		}
	}
	return -1;
}

static void build(const struct dev_case *c, struct dev_policy *pol, struct dev_prog *prog)
{
	struct res_device_rule rules[8];
	struct rt_error err = {0};
	size_t n = dev_case_rules(c, rules);

	ck_assert_msg(n > 0 && (n == 8 || !c->rules[n]), "%s: a malformed rule", c->name);
	ck_assert_int_eq(dev_policy_build(rules, n, pol, &err), 0);
	ck_assert_int_eq(dev_prog_build(pol, prog, &err), 0);
}

START_TEST(each_case_decides_as_v1)
{
	const struct dev_case *c = &dev_cases[_i];
	struct dev_policy pol;
	struct dev_prog prog;

	build(c, &pol, &prog);
	for (size_t k = 0; k < dev_case_nqueries(c); k++) {
		const struct dev_query *q = &c->q[k];

		ck_assert_msg(run(&prog, q->type, q->major, q->minor, q->access) == q->allowed,
			      "%s: %c %d:%d %s should be %s", c->name, q->type, q->major, q->minor,
			      q->access, q->allowed ? "allowed" : "denied");
	}
	dev_prog_free(&prog);
	dev_policy_free(&pol);
}
END_TEST

START_TEST(the_policy_keeps_one_exception_per_device)
{
	struct res_device_rule r[4];
	struct dev_policy pol;
	struct rt_error err = {0};

	dev_case_rule("-a", &r[0]);
	dev_case_rule("+c 240:1 r", &r[1]);
	dev_case_rule("+c 240:1 w", &r[2]);
	dev_case_rule("-c 240:1 rw", &r[3]);
	ck_assert_int_eq(dev_policy_build(r, 3, &pol, &err), 0);
	ck_assert(!pol.default_allow);
	ck_assert_uint_eq(pol.n, 1);
	ck_assert_uint_eq(pol.ex[0].access, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE);
	dev_policy_free(&pol);
	/* removing every bit removes the exception: the default is all left */
	ck_assert_int_eq(dev_policy_build(r, 4, &pol, &err), 0);
	ck_assert_uint_eq(pol.n, 0);
	dev_policy_free(&pol);
}
END_TEST

START_TEST(the_program_is_type_groups_of_blocks_and_a_default)
{
	struct res_device_rule r[3];
	struct dev_policy pol;
	struct dev_prog prog;
	struct rt_error err = {0};

	dev_case_rule("-a", &r[0]);
	ck_assert_int_eq(dev_policy_build(r, 1, &pol, &err), 0);
	ck_assert_int_eq(dev_prog_build(&pol, &prog, &err), 0);
	ck_assert_uint_eq(prog.n, 2); /* "return 0" */
	ck_assert_int_eq(prog.insn[0].imm, 0);
	dev_prog_free(&prog);
	dev_policy_free(&pol);
	/* rwm on one device: the type test, major, minor, verdict (no access
	 * test); then a block device's group */
	dev_case_rule("+c 1:3 rwm", &r[1]);
	dev_case_rule("+b 7:0 r", &r[2]);
	ck_assert_int_eq(dev_policy_build(r, 3, &pol, &err), 0);
	ck_assert_int_eq(dev_prog_build(&pol, &prog, &err), 0);
	ck_assert_uint_eq(prog.n, (2 + 6) + (2 + 3 + 6) + 2);
	ck_assert_int_eq(prog.insn[1].off, 6);	 /* not char: past the char group */
	ck_assert_int_eq(prog.insn[9].off, 9);	 /* not block: to the default */
	ck_assert_int_eq(prog.insn[prog.n - 2].imm, 0);
	dev_prog_free(&prog);
	dev_policy_free(&pol);
}
END_TEST

START_TEST(the_list_is_spec_rules_defaults_then_nodes)
{
	struct res_device_rule spec_rules[1];
	struct resources res = {.devices = spec_rules, .ndevices = 1};
	struct spec_device nodes[3] = {{.type = 'u', .major = 10, .minor = 200},
				       {.type = 'p'},
				       {.type = 'b', .major = 7, .minor = 0}};
	struct spec spec = {.devices = nodes, .ndevices = 3};
	struct dev_rule_list l;
	struct rt_error err = {0};
	char field[96];

	dev_case_rule("-a", &spec_rules[0]);
	ck_assert_int_eq(dev_rule_list_build(&res, &spec, &l, &err), 0);
	ck_assert_uint_eq(l.nspec, 1);
	ck_assert_uint_eq(l.ndefault, 8);
	ck_assert_uint_eq(l.n, 1 + 8 + 2); /* no fifo */
	ck_assert(l.v[0].type == 'a' && !l.v[0].allow);
	ck_assert(l.v[1].type == 'c' && l.v[1].major == 1 && l.v[1].minor == 3);
	ck_assert(l.v[8].major == 136 && l.v[8].minor == -1);
	ck_assert(l.v[9].type == 'c' && l.v[9].major == 10 && l.v[9].allow); /* 'u' is char */
	ck_assert(l.v[10].type == 'b' && l.v[10].major == 7);
	ck_assert_str_eq(dev_rule_field(&l, 0, field, sizeof(field)), "linux.resources.devices[0]");
	ck_assert_str_eq(dev_rule_field(&l, 10, field, sizeof(field)), "linux.devices (b 7:0)");
	dev_rule_list_free(&l);
	/* `update`: no spec, no nodes; no resources: the defaults alone */
	ck_assert_int_eq(dev_rule_list_build(NULL, NULL, &l, &err), 0);
	ck_assert_uint_eq(l.n, 8);
	dev_rule_list_free(&l);
}
END_TEST

START_TEST(the_defaults_alone_allow_only_the_standard_nodes)
{
	struct dev_rule_list l;
	struct dev_policy pol;
	struct dev_prog prog;
	struct rt_error err = {0};

	ck_assert_int_eq(dev_rule_list_build(NULL, NULL, &l, &err), 0);
	ck_assert_int_eq(dev_policy_build(l.v, l.n, &pol, &err), 0);
	ck_assert_int_eq(dev_prog_build(&pol, &prog, &err), 0);
	ck_assert_int_eq(run(&prog, 'c', 1, 3, "rw"), 1);
	ck_assert_int_eq(run(&prog, 'c', 136, 42, "rw"), 1);
	ck_assert_int_eq(run(&prog, 'c', 5, 2, "rw"), 1);
	ck_assert_int_eq(run(&prog, 'c', 1, 1, "r"), 0); /* /dev/mem */
	ck_assert_int_eq(run(&prog, 'b', 8, 0, "m"), 0);
	dev_prog_free(&prog);
	dev_policy_free(&pol);
	dev_rule_list_free(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("devices");
	TCase *cases = tcase_create("cases"), *parts = tcase_create("parts");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(cases, each_case_decides_as_v1, 0, (int)DEV_NCASES);
	tcase_add_test(parts, the_policy_keeps_one_exception_per_device);
	tcase_add_test(parts, the_program_is_type_groups_of_blocks_and_a_default);
	tcase_add_test(parts, the_list_is_spec_rules_defaults_then_nodes);
	tcase_add_test(parts, the_defaults_alone_allow_only_the_standard_nodes);
	suite_add_tcase(s, cases);
	suite_add_tcase(s, parts);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
