#!/bin/bash
# Runs every test: the Check unit tests in BUILD/tests, then the integration
# suites (integration/*.bats) against the runtime binary (containerd.bats
# twice: Debian's containerd 1.6, then 2.4, whose TAP names are led by
# "containerd 2.4: "; kubelet.bats twice: mini-runtime, then runc 1.5.3, led
# by "kubelet runc 1.5.3: "), then the suites of
# NODE_SUITES once more in the node guest (integration/node: systemd as PID 1,
# cgroup2 only), their TAP names led by "node: ". Ends with one line
# "N passed, N failed, N skipped". Exit 0 only if nothing failed.
#   tests/run-all.sh BUILD RUNTIME [BATS_FILE...]
# NODE_GUEST=0 leaves the guest out (about 2 min of a run on 2 cores);
# NODE_GUEST=1 runs it even when BATS_FILEs are given (by default it runs
# only with the full list). It needs root and qemu (else one skip).
set -u
# What the node guest runs, relative to the top: whole bats files, and
# FILE:REGEX for only the tests of FILE whose names match REGEX (bats
# --filter). TCG makes a suite about 16 times slower than on this host:
# keep the guest within ~15 min, plus the kubelet suite's reduced set (its
# full run took 29 min of TCG, all 12 passed, systemd cgroup driver).
NODE_SUITES=(
	integration/cgroups.bats integration/systemd.bats integration/resources.bats
	# rootless under a systemd user session, and in a delegated v2 subtree
	"integration/rootless.bats:systemd user session|delegated cgroup v2 subtree"
	# idmapped bind and tmpfs mounts on the node's kernel
	"integration/userns.bats:root-owned host directory shows as 0:0|a tmpfs is idmapped"
	integration/kubelet.bats
)
build=${1:?build dir}
runtime=$(realpath "${2:?runtime binary}")
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 skipped=0

for t in "$build"/tests/check_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	echo "$out" | grep -E '^[0-9]+%: Checks' | sed "s|^|$(basename "$t"): |"
	echo "$out" | grep -E ':[EF]:' | head -20
	# a unit test that needs what this machine lacks says "skip: WHAT: WHY"
	echo "$out" | grep -E '^skip: '
	skipped=$((skipped + $(echo "$out" | grep -cE '^skip: ')))
	line=$(echo "$out" | grep -E '^[0-9]+%: Checks' | tail -1)
	checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	fails=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	errs=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	if [ -z "$line" ]; then
		echo "$(basename "$t"): crashed"; failed=$((failed + 1)); continue
	fi
	passed=$((passed + checks - fails - errs))
	failed=$((failed + fails + errs))
done

# run_bats FILE...: the suites through the subreaper, counted into the totals.
run_bats() {
	local tap p s f
	tap=$(mktemp)
	# a hung test fails (and says so) instead of hanging the run
	MINI_RUNTIME=$runtime BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-600} \
		"$reaper" bats --tap "$@" 2>&1 | tee "$tap"
	p=$(grep -cE '^ok [0-9]+' "$tap" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+ .*# skip' "$tap" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$tap" | tr -d ' ')
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if ! grep -qE '^1\.\.[0-9]+' "$tap"; then
		echo "integration: bats did not run"; failed=$((failed + 1))
	fi
	rm -f "$tap"
}

node_guest=${NODE_GUEST:-auto}
if [ "$(id -u)" != 0 ]; then
	echo "integration: skipped, it needs root"
	skipped=$((skipped + 1))
	node_guest=0
else
	if [ $# -eq 0 ]; then
		set -- "$top"/integration/*.bats
		# The Go tools build (from nothing ~25 min, the kubelet 17 of them)
		# while the first suites run: each suite that needs one waits on
		# that tool's lock in gotools.sh, then finds it built. In the order
		# the suites want them; a build that fails here is tried again,
		# and reported, by its suite.
		"$top/integration/lib/gotools.sh" containerd runc critest crane nri-mpol crictl kubelet \
			>"$build/gotools.log" 2>&1 &
		prebuild=$!
	elif [ "$node_guest" = auto ]; then
		node_guest=0
	fi
	reaper=$build/tests/reaper
	gcc -O2 -Wall -o "$reaper" "$top/integration/lib/reaper.c"
	run_bats "$@"
	# containerd.bats once more against containerd 2.4 (built once into
	# integration/.cache/go), its names led by "containerd 2.4: "
	# and kubelet.bats once more on runc 1.5.3, its baseline, the names led
	# by "kubelet runc 1.5.3: "
	for f in "$@"; do
		case $f in
		*/containerd.bats)
			CTRD_VERSION=2.4 BATS_TEST_NAME_PREFIX="containerd 2.4: " run_bats "$f" ;;
		*/kubelet.bats)
			KUBELET_RUNTIME=runc BATS_TEST_NAME_PREFIX="kubelet runc 1.5.3: " run_bats "$f" ;;
		esac
	done
	[ -z "${prebuild:-}" ] || wait "$prebuild"
	# the suites' shared parent cgroups (IT_CGROUP_PARENT): each container
	# removes only what it made, so a parent made by one of two that
	# overlapped stays; empty now, they are the harness's to remove
	for parent in $(sed -n 's/^IT_CGROUP_PARENT=\([A-Za-z0-9_-]*\)$/\1/p' "$top"/integration/*.bats | sort -u); do
		for m in $(awk '$5 ~ "^/sys/fs/cgroup" { split($0, a, " - "); split(a[2], f, " ")
			if (f[1] == "cgroup" || f[1] == "cgroup2") print $5 }' /proc/self/mountinfo); do
			[ ! -d "$m/$parent" ] || rmdir "$m/$parent" 2>/dev/null || true
		done
	done
fi

if [ "$node_guest" != 0 ]; then
	tap=$(mktemp)
	# the kubelet suite's waits (its kubelet starting, a restart) take
	# minutes under TCG: the guest's and each test's time limits allow them
	(cd "$top" && NODE_TIMEOUT=${NODE_TIMEOUT:-2700} NODE_TEST_TIMEOUT=${NODE_TEST_TIMEOUT:-900} \
		integration/node/run.sh "$runtime" "${NODE_SUITES[@]}") 2>&1 |
		sed -u -E 's/^(ok|not ok) ([0-9]+) /\1 \2 node: /' | tee "$tap"
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^ok [0-9]+ node: ' "$tap" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+ node: .*# skip' "$tap" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+ node: ' "$tap" | tr -d ' ')
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if [ "$rc" = 77 ]; then
		skipped=$((skipped + 1))
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "node: the guest failed without a failed test"; failed=$((failed + 1))
	fi
	rm -f "$tap"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
