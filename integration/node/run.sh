#!/bin/bash
# run.sh - runs bats suites in a Kubernetes-like node: a QEMU guest booted with
# systemd as PID 1 and every controller on cgroup2, on this host's own Debian
# userspace (its / over virtio-9p, read-only, under a tmpfs overlay).
#
#   integration/node/run.sh MINI_RUNTIME ENTRY...
#
# An ENTRY is a bats file, or FILE:REGEX to run only the tests of FILE whose
# names match REGEX (bats --filter; each such entry is a bats run of its
# own, and one that matches no test fails the run).
#
# Fetches Debian's bookworm-backports kernel and the five modules the root
# needs once (cached under integration/.cache/node, see ../numa/kernel.sh),
# packs an initramfs (busybox, the modules, guest/init), boots the guest
# (TCG, no KVM) and prints the suites' TAP as the guest wrote it, plus
# "node: ..." lines about the node and the run.
#
# Exit: 0 every test passed (skips allowed); 1 a test failed or the guest
# gave no verdict (the console's tail is printed); 77 qemu, a kernel or
# what the guest needs cannot be had (reason printed).
#
# Environment:
#   NODE_KERNEL        bpo (default: bookworm-backports 6.12, falls back to
#                      bookworm's 6.1) or stable
#   NODE_OUT           the share and the console log (default: a temp dir,
#                      removed unless the run failed)
#   NODE_TIMEOUT       seconds the whole guest may take (default 1800: ~600 s on an idle 2-core machine, over 900 s on a loaded one)
#   NODE_TEST_TIMEOUT  BATS_TEST_TIMEOUT in the guest (default 300: TCG makes
#                      a bats suite about 16 times slower than this host)
#   NODE_VERBOSE       1: copy the guest console to stderr as it runs
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=$top/integration/.cache/node

runtime=${1:?usage: run.sh MINI_RUNTIME ENTRY...}
runtime=$(realpath "$runtime") || exit 1
shift
[ $# -gt 0 ] || { echo "usage: run.sh MINI_RUNTIME BATS_FILE[:REGEX]..." >&2; exit 2; }
entries=()
for e in "$@"; do
	f=${e%%:*}
	filter=
	[ "$f" = "$e" ] || filter=${e#*:}
	[ -f "$f" ] || { echo "node: no such bats file: $f (entry $e)" >&2; exit 2; }
	f=$(realpath "$f") || exit 1
	[[ $f != *[[:space:]]* ]] || { echo "node: no blanks in suite paths: $f" >&2; exit 2; }
	# the guest mounts a fresh tmpfs on /tmp
	[[ $f != /tmp/* ]] || { echo "node: the guest cannot see /tmp of the host: $f" >&2; exit 2; }
	entries+=("$f${filter:+:$filter}")
done

skip() {
	echo "node: skipped: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root (the guest reads the host's / as root over 9p)"
command -v qemu-system-x86_64 >/dev/null ||
	skip "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"
for tool in cpio gzip busybox dpkg-deb apt-get bats jq gcc; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -x /lib/systemd/systemd ] || skip "no /lib/systemd/systemd on the host (the guest boots it)"

mkdir -p "$cache"
# the modules the initramfs loads (guest/init): those that mount its root,
# and a bridge and veth pairs for the pods' CNI network (the host's own
# modules, under the guest's root, are another kernel's)
# shellcheck disable=SC2034 # read by kernel.sh
kernel_modules="fs/netfs/netfs.ko.xz net/9p/9pnet.ko.xz net/9p/9pnet_virtio.ko.xz
	fs/9p/9p.ko.xz fs/overlayfs/overlay.ko.xz
	net/llc/llc.ko.xz net/802/stp.ko.xz net/bridge/bridge.ko.xz drivers/net/veth.ko.xz"
# shellcheck source=integration/numa/kernel.sh
. "$top/integration/numa/kernel.sh"
case ${NODE_KERNEL:-bpo} in
bpo) kernel=$(kernel_from_suite "$(codename)-backports") ||
	kernel=$(kernel_from_suite "$(codename)") || skip "no kernel: $kernel" ;;
stable) kernel=$(kernel_from_suite "$(codename)") || skip "no kernel: $kernel" ;;
*) echo "node: NODE_KERNEL=$NODE_KERNEL: want bpo or stable" >&2; exit 2 ;;
esac
echo "node: kernel $(cat "$kernel.package")"

out=${NODE_OUT:-}
keep=1
if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/mini-node.XXXXXX)
	keep=0
fi
mkdir -p "$out"
out=$(realpath "$out")
rm -rf "$out/share" "$out/initramfs"
share=$out/share
mkdir -p "$share"

# The suites build the rootfs template (busybox + probe) on first use; build
# it here, where gcc is 30 times faster, so the guest finds it in place.
# shellcheck source=integration/lib/common.bash
. "$top/integration/lib/common.bash"
build_template || { echo "node: cannot build the rootfs template" >&2; exit 1; }
# The kubelet suite's Go tools and images likewise (a kubelet built under TCG
# would take hours); without Go the suite skips in the guest too.
case " ${entries[*]} " in
*/kubelet.bats[\ :]*)
	"$top/integration/lib/gotools.sh" containerd runc kubelet crictl >/dev/null
	rc=$?
	[ $rc = 0 ] || [ $rc = 77 ] || { echo "node: cannot build the kubelet suite's tools" >&2; exit 1; }
	# shellcheck source=integration/lib/containerd.bash
	. "$top/integration/lib/containerd.bash"
	build_images || { echo "node: cannot build the kubelet suite's images" >&2; exit 1; }
	;;
esac

# --- the share: what the payload needs -----------------------------------
# The payload reads the nonce and removes it before any test runs; the host
# accepts only TAP lines led by it (see guest/payload).
nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
echo "$nonce" >"$share/nonce"
cp "$here/guest/payload" "$share/payload"
{
	printf 'NODE_TOP=%q\nNODE_RUNTIME=%q\nNODE_TEST_TIMEOUT=%q\n' \
		"$top" "$runtime" "${NODE_TEST_TIMEOUT:-300}"
	printf 'NODE_ENTRIES=('
	printf ' %q' "${entries[@]}"
	printf ' )\n'
	# the sanitizer settings of the caller (make asan) hold in the guest too
	for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		[ -z "${!v:-}" ] || printf 'export %s=%q\n' "$v" "${!v}"
	done
} >"$share/env"

# --- the initramfs -------------------------------------------------------
stage=$out/initramfs
mkdir -p "$stage"/{bin,dev,proc,sys,lib/modules,etc/node}
cp /bin/busybox "$stage/bin/busybox"
for m in "$kernel.modules"/*.ko.xz; do
	busybox unxz -c "$m" >"$stage/lib/modules/$(basename "$m" .xz)" || exit 1
done
cp "$here/guest/init" "$stage/init"
chmod 0755 "$stage/init"
cp "$here/guest/node.service" "$here/guest/masked" "$stage/etc/node/"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
	>"$out/initramfs.gz" || exit 1

# --- the guest -----------------------------------------------------------
# 2 vCPUs, 2 GiB, 2 NUMA nodes: one socket per node, or the kernel warns
# about LLC siblings on different nodes.
# thread=multi: one host thread per vCPU (integration/numa uses thread=single
# after a multi-threaded TCG crash once; systemd's boot is parallel enough
# that multi saves a third of it, and it has held here).
console=$out/console
rm -f "$console"
start=$SECONDS
timeout "${NODE_TIMEOUT:-1800}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -machine pc \
	-nodefaults -display none -no-reboot -monitor none \
	-m 2048 -smp 2,sockets=2,cores=1,threads=1 \
	-object memory-backend-ram,id=m0,size=1024M -numa node,nodeid=0,memdev=m0,cpus=0-0 \
	-object memory-backend-ram,id=m1,size=1024M -numa node,nodeid=1,memdev=m1,cpus=1-1 \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$share,mount_tag=share,security_model=none,multidevs=remap" \
	-device virtio-rng-pci \
	-kernel "$kernel" -initrd "$out/initramfs.gz" \
	-append "console=ttyS0 panic=-1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 node_share=$share" \
	-serial "file:$console" </dev/null &
qpid=$! tailpid=
if [ "${NODE_VERBOSE:-0}" = 1 ]; then
	while [ ! -e "$console" ] && kill -0 $qpid 2>/dev/null; do sleep 0.1; done
	tail -f "$console" >&2 &
	tailpid=$!
fi
code=0
wait $qpid || code=$?
[ -z "$tailpid" ] || kill "$tailpid"
echo "node: guest ran $((SECONDS - start)) s, qemu exit $code"

# --- the verdict ---------------------------------------------------------
sed 's/^/node: /' "$share/info" 2>/dev/null
lines=$([ ! -e "$share/tap" ] || tr -d '\r' <"$share/tap" | sed -n "s/^$nonce //p")
[ -z "$lines" ] || echo "$lines" | grep -v '^end '
end=$(echo "$lines" | sed -n 's/^end //p')
status=0
if [ -z "$end" ]; then
	echo "node: the guest gave no verdict (qemu exit $code); console tail:"
	tail -n 40 "$console" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
	status=1
elif [ "$end" != 0 ] || echo "$lines" | grep -q '^not ok '; then
	[ ! -s "$share/bats.err" ] || sed 's/^/# bats: /' "$share/bats.err" | tail -n 20
	status=1
fi
if [ $status = 0 ] && [ $keep = 0 ]; then
	rm -rf "$out"
else
	echo "node: logs in $out"
fi
exit $status
