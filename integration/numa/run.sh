#!/bin/bash
# run.sh - proves NUMA page placement in an emulated multi-node QEMU guest.
#
#   integration/numa/run.sh MINI_RUNTIME [SUITE...]     (SUITE: four, sparse; default both)
#
# Fetches a Debian kernel once (cached under integration/.cache/numa), packs
# an initramfs with busybox, the given static mini-runtime, the probe and the
# guest driver (guest/init, guest/cases.sh), boots one QEMU guest per suite
# (TCG, no KVM) and prints one line per case: "ok|not-ok|skip SUITE/CASE DETAIL".
#
# Exit: 0 every case passed (skips allowed); 1 a case failed or a guest did
# not deliver a verdict; 77 qemu or a kernel cannot be had (reason printed).
#
# Environment:
#   NUMA_KERNEL   bpo (default: bookworm-backports 6.12, falls back to bookworm
#                 6.1), stable (bookworm 6.1), or a path to a bzImage
#   NUMA_OUT      keep the console logs and results here (default: a temp dir,
#                 removed unless a guest failed)
#   NUMA_TIMEOUT  seconds one boot may take (default 600)
#   NUMA_VERBOSE  1: copy the guest console to stderr as it runs
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=$top/integration/.cache/numa

runtime=${1:?usage: run.sh MINI_RUNTIME [SUITE...]}
runtime=$(realpath "$runtime") || exit 1
shift
[ $# -gt 0 ] || set -- four sparse

skip() {
	echo "numa: skipped: $*"
	exit 77
}

command -v qemu-system-x86_64 >/dev/null ||
	skip "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"
for tool in cpio gzip busybox gcc jq dpkg-deb apt-get; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done

mkdir -p "$cache"
# shellcheck source=integration/numa/kernel.sh
. "$here/kernel.sh"
kernel=$(numa_kernel "${NUMA_KERNEL:-bpo}") || skip "no kernel: $kernel"
echo "numa: kernel $(cat "$kernel.package" 2>/dev/null || basename "$kernel")"

out=${NUMA_OUT:-}
keep=1
if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/mini-numa.XXXXXX)
	keep=0
fi
mkdir -p "$out"

# --- the initramfs -----------------------------------------------------------
# The bundle rootfs is the template every suite uses (busybox + probe).
# shellcheck source=integration/lib/common.bash
. "$top/integration/lib/common.bash"
build_template || { echo "numa: cannot build the rootfs template" >&2; exit 1; }

# A nonce the guest driver reads from a file that no container can see and
# puts at the head of every result line: container output, which also ends
# up on the console, cannot produce a line the host would accept.
nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
stage=$out/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,etc/numa,numa,rootfs}
cp /bin/busybox "$stage/bin/busybox"
cp "$runtime" "$stage/bin/mini-runtime"
# a dynamic build (make asan) brings its libraries along
if readelf -l "$runtime" 2>/dev/null | grep -q 'program interpreter'; then
	for lib in $(ldd "$runtime" | grep -o '/[^ ]*'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
fi
cp "$here/guest/init" "$stage/init"
cp "$here/guest/cases.sh" "$stage/numa/cases.sh"
chmod 0755 "$stage/init"
cp -a "$CACHE_DIR/rootfs/." "$stage/rootfs/"
echo "$nonce" >"$stage/etc/numa/nonce"
# the sanitizer settings of the caller (make asan) hold in the guest too
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	[ -z "${!v:-}" ] || printf "export %s='%s'\n" "$v" "$(sed "s/'/'\\\\''/g" <<<"${!v}")"
done >"$stage/etc/numa/env"
# One config.json template; the driver fills in the policy and the args.
(cd "$out" && rm -f config.json && "$runtime" spec) || exit 1
jq -c '.process.terminal = false | .root.path = "/rootfs" | .process.args = ["@ARGS@"]
	| .linux.memoryPolicy = "@POLICY@" | .linux.resources = "@RESOURCES@"' "$out/config.json" >"$stage/numa/config.json" || exit 1
# The second: the policy from the NRI device-injector's annotations (the
# container "app"'s key, which the driver fills in, beside a /pod key that
# must lose), as containerd passes them, with no linux.memoryPolicy.
jq -c '.process.terminal = false | .root.path = "/rootfs" | .process.args = ["@ARGS@"]
	| .linux.resources = "@RESOURCES@"
	| .annotations = {"io.kubernetes.cri.container-name": "app",
		"memory-policy.noderesource.dev/container.app": "@ANNOTATION@",
		"memory-policy.noderesource.dev/pod": "{mode: MPOL_BIND, nodes: \"3\"}"}' \
	"$out/config.json" >"$stage/numa/config-annotated.json" || exit 1
rm -f "$out/config.json"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
	>"$out/initramfs.gz" || exit 1

# --- the guests --------------------------------------------------------------
# topology "NODES" MAX: sets TOPO (the -m, -smp and -numa arguments) and
# NCPU for a guest with node ids 0..MAX of which NODES have 256 MiB each.
# QEMU refuses gaps in node ids, and Linux numbers nodes in the order it
# meets their proximity domains in the ACPI SRAT, skipping domains it never
# meets. So every id gets a CPU slot (CPU i on node i), which puts it in the
# SRAT in order; only the CPUs of the leading memory nodes (0..NCPU-1) are
# present, and nr_cpus=NCPU keeps the absent ones from being possible,
# which would bring their nodes online. Nodes without memory or a CPU stay
# offline. (Plugging CPUs into node 63 as well hangs Linux 6.1 under TCG.)
topology() {
	local nodes=$1 max=$2 i mem=0
	TOPO=() NCPU=0
	for ((i = 0; i <= max; i++)); do
		if [[ " $nodes " == *" $i "* ]]; then
			TOPO+=(-object "memory-backend-ram,id=m$i,size=256M"
				-numa "node,nodeid=$i,memdev=m$i,cpus=$i")
			mem=$((mem + 256))
			[ "$NCPU" != "$i" ] || NCPU=$((i + 1))
		else
			TOPO+=(-numa "node,nodeid=$i,cpus=$i")
		fi
	done
	TOPO+=(-m "${mem}M" -smp "$NCPU,maxcpus=$((max + 1)),sockets=$((max + 1)),cores=1,threads=1")
}

boot() { # SUITE
	local suite=$1
	case $suite in
	four) topology "0 1 2 3" 3 ;;
	sparse) topology "0 63 64" 64 ;;
	*) echo "numa: unknown suite $suite" >&2; return 2 ;;
	esac
	rm -f "$out/$suite.console" "$out/$suite.results"
	local start=$SECONDS code=0
	# thread=single: one host thread runs the vCPUs in turn. Multi-threaded
	# TCG once crashed the guest in a jump label being patched on one vCPU
	# while another ran it; the cases run one process at a time anyway.
	timeout "${NUMA_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg,thread=single -nodefaults -nographic \
		-no-reboot -monitor none "${TOPO[@]}" \
		-kernel "$kernel" -initrd "$out/initramfs.gz" \
		-append "console=ttyS0 panic=-1 numa_balancing=disable transparent_hugepage=never nr_cpus=$NCPU loglevel=4 numa_suite=$suite" \
		-serial "file:$out/$suite.console" -serial "file:$out/$suite.results" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null &
	local qpid=$! tailpid=
	if [ "${NUMA_VERBOSE:-0}" = 1 ]; then
		while [ ! -e "$out/$suite.console" ] && kill -0 $qpid 2>/dev/null; do sleep 0.1; done
		tail -f "$out/$suite.console" >&2 &
		tailpid=$!
	fi
	wait $qpid || code=$?
	[ -z "$tailpid" ] || kill "$tailpid"
	echo "numa: $suite guest ran $((SECONDS - start)) s, qemu exit $code"
	verdict "$suite" "$code"
}

# verdict SUITE QEMU_EXIT: prints the cases and returns 0 (all passed) or 1.
# isa-debug-exit makes QEMU exit with (value << 1) | 1: 1 when the driver
# wrote 0 (pass), 3 when it wrote 1 (fail); anything else means the guest
# never reached its verdict (panic, timeout 124, a crash).
verdict() {
	local suite=$1 code=$2 lines
	lines=$(tr -d '\r' <"$out/$suite.results" 2>/dev/null | sed -n "s/^$nonce //p")
	echo "$lines" | grep -E '^(ok|not-ok|skip) ' | sed "s|^\([a-z-]*\) |\1 $suite/|"
	local done_line
	done_line=$(echo "$lines" | grep '^end ')
	if [ "$code" != 1 ] && [ "$code" != 3 ] || [ -z "$done_line" ]; then
		echo "not-ok $suite/boot the guest gave no verdict (qemu exit $code); console tail:"
		tail -n 25 "$out/$suite.console" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
		return 1
	fi
	echo "numa: $suite: ${done_line#end }"
	# both channels must agree
	if [ "$code" = 1 ] && echo "$lines" | grep -q '^not-ok '; then
		echo "not-ok $suite/boot exit code says pass but a case failed"
		return 1
	fi
	[ "$code" = 1 ]
}

status=0
for suite in "$@"; do
	boot "$suite" || status=1
done
if [ $status = 0 ] && [ $keep = 0 ]; then
	rm -rf "$out"
else
	echo "numa: logs in $out"
fi
exit $status
