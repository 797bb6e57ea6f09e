#!/usr/bin/env bats
# NUMA page placement, proved in emulated multi-node QEMU guests
# (integration/numa/README.md). setup_file boots the guests once - the
# "four" suite (nodes 0-3) and the "sparse" suite (nodes 0, 63, 64) - and
# each test below reports one case the guest driver ran. The whole file is
# skipped, with the reason, only when qemu or a kernel cannot be had.

setup_file() {
	NUMA_RESULTS=$BATS_FILE_TMPDIR/numa
	export NUMA_RESULTS
	mkdir -p "$NUMA_RESULTS"
	local code=0
	NUMA_OUT=$NUMA_RESULTS/logs "$BATS_TEST_DIRNAME/numa/run.sh" \
		"${MINI_RUNTIME:-$BATS_TEST_DIRNAME/../mini-runtime}" >"$NUMA_RESULTS/out" 2>&1 ||
		code=$?
	echo "$code" >"$NUMA_RESULTS/code"
}

# numa_case SUITE/CASE: passes when the guest reported "ok" for the case,
# skips with the guest's reason, fails with what the guest said (and, when
# the case never reported, with run.sh's whole output).
numa_case() {
	local lines
	if [ "$(cat "$NUMA_RESULTS/code")" = 77 ]; then
		skip "$(sed -n 's/^numa: skipped: //p' "$NUMA_RESULTS/out")"
	fi
	lines=$(grep -E "^(ok|not-ok|skip) $1( |\$)" "$NUMA_RESULTS/out")
	if [ -z "$lines" ]; then
		echo "case $1 did not report; run.sh said:"
		cat "$NUMA_RESULTS/out"
		return 1
	fi
	echo "$lines"
	! grep -q '^not-ok' <<<"$lines" || return 1
	if grep -q '^skip' <<<"$lines"; then
		skip "${lines#skip "$1" }"
	fi
}

@test "numa: BIND to one node puts every page there" { numa_case four/bind-one; }
@test "numa: BIND to two nodes keeps every page on them" { numa_case four/bind-two; }
@test "numa: INTERLEAVE over 2 nodes splits evenly" { numa_case four/interleave-2; }
@test "numa: INTERLEAVE over 4 nodes splits evenly" { numa_case four/interleave-4; }
@test "numa: WEIGHTED_INTERLEAVE with weights 1:3 splits 1:3" { numa_case four/weighted-interleave; }
@test "numa: WEIGHTED_INTERLEAVE on a kernel before 6.9 fails with our message" { numa_case four/weighted-interleave-refused; }
@test "numa: PREFERRED puts the pages on the preferred node" { numa_case four/preferred; }
@test "numa: PREFERRED_MANY puts the pages on the preferred nodes" { numa_case four/preferred-many; }
@test "numa: LOCAL allocates on the pinned CPU's node" { numa_case four/local; }
@test "numa: DEFAULT allocates on the pinned CPU's node" { numa_case four/default; }
@test "numa: BIND with MPOL_F_NUMA_BALANCING" { numa_case four/numa-balancing; }
@test "numa: a process forked in the container inherits the policy" { numa_case four/fork-inherit; }
@test "numa: a process started with exec inherits the policy" { numa_case four/exec-inherit; }
@test "numa: under a cpuset, a plain policy is remapped when mems change" { numa_case four/cpuset-plain; }
@test "numa: MPOL_F_STATIC_NODES keeps the named nodes under a cpuset" { numa_case four/cpuset-static; }
@test "numa: MPOL_F_RELATIVE_NODES maps nodes onto the cpuset" { numa_case four/cpuset-relative; }
@test "numa: INTERLEAVE with MPOL_F_RELATIVE_NODES under a cpuset" { numa_case four/cpuset-relative-interleave; }
@test "numa: a node outside linux.resources.cpu.mems fails with our message" { numa_case four/cpuset-refused; }
@test "numa: a node the parent cpuset forbids fails in the init with the kernel's reason" { numa_case four/cpuset-refused-kernel; }
@test "numa: an offline node fails with our message, nothing left" { numa_case four/invalid-offline-node; }
@test "numa: STATIC with RELATIVE fails with our message, nothing left" { numa_case four/invalid-static-relative; }
@test "numa: NUMA_BALANCING without BIND fails with our message, nothing left" { numa_case four/invalid-balancing-interleave; }
@test "numa: LOCAL with nodes fails with our message, nothing left" { numa_case four/invalid-local-nodes; }
@test "numa: a policy from the device-injector's pod annotation (the container's key over the pod's) places the pages" { numa_case four/annotation-interleave; }
@test "numa: sparse guest has exactly nodes 0, 63 and 64 online" { numa_case sparse/sparse-online; }
@test "numa: BIND to node 63 (maxnode off-by-one)" { numa_case sparse/sparse-bind-63; }
@test "numa: BIND to node 64 (second mask word)" { numa_case sparse/sparse-bind-64; }
@test "numa: INTERLEAVE over nodes 0, 63, 64" { numa_case sparse/sparse-interleave; }
@test "numa: a node id in the gap fails with our message" { numa_case sparse/sparse-invalid-gap; }

@test "numa: every case the guests ran has a test here, and the guests gave a verdict" {
	local code name missing=""
	code=$(cat "$NUMA_RESULTS/code")
	[ "$code" != 77 ] || skip "$(sed -n 's/^numa: skipped: //p' "$NUMA_RESULTS/out")"
	for name in $(sed -nE 's/^(ok|not-ok|skip) ([^ ]*).*/\2/p' "$NUMA_RESULTS/out" |
		grep -v '/boot$' | sort -u); do
		grep -q "numa_case $name;" "$BATS_TEST_FILENAME" || missing="$missing $name"
	done
	if [ -n "$missing" ]; then
		echo "cases without a test in numa.bats:$missing"
		return 1
	fi
	if grep -q '/boot ' "$NUMA_RESULTS/out"; then
		grep -A30 '/boot ' "$NUMA_RESULTS/out"
		return 1
	fi
	grep '^numa: ' "$NUMA_RESULTS/out"
}
