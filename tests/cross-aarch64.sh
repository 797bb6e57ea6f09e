#!/bin/bash
# Cross-builds mini-runtime and its unit tests for aarch64 with Debian's
# gcc-aarch64-linux-gnu and the :arm64 -dev packages, and runs the unit
# tests under qemu-user (CI's check that the tree builds and works there;
# the runtime itself needs a real aarch64 kernel: qemu-user lacks
# open_tree). Installs what is missing when run as root (it adds the arm64
# architecture to dpkg: meant for CI machines). Ends with one line
# "aarch64: N passed, N failed, N skipped".
#   tests/cross-aarch64.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-aarch64}
triplet=aarch64-linux-gnu
pkgs="make pkg-config gcc-$triplet libc6-dev-arm64-cross qemu-user-static libjansson-dev:arm64 libcap-dev:arm64
      libseccomp-dev:arm64 libdbus-1-dev:arm64 check:arm64 libsubunit-dev:arm64"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "aarch64: missing$missing (run as root to install them)"
		echo "aarch64: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
	echo "aarch64: installing$missing"
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null || exit 1
fi

cd "$top" || exit 1
export PKG_CONFIG_LIBDIR=/usr/lib/$triplet/pkgconfig:/usr/share/pkgconfig
make -s BUILD="$build" CC="$triplet-gcc" "$build/mini-runtime" unit || {
	echo "aarch64: the cross build failed"
	echo "aarch64: 0 passed, 1 failed, 0 skipped"
	exit 1
}
readelf -h "$build/mini-runtime" | grep -q "Machine:.*AArch64" || {
	echo "aarch64: $build/mini-runtime is not an aarch64 binary"
	exit 1
}

passed=0 failed=0 skipped=0
run_arm() { timeout 300 qemu-aarch64-static -L "/usr/$triplet" "$@"; }
for t in "$build"/tests/check_*; do
	[ -x "$t" ] || continue
	# the kernel's own features (BPF device programs, set_mempolicy in a
	# forked child) are proven natively; under qemu-user 7.2 those forked
	# children hang, so they are left out here, and said so
	case $(basename "$t") in check_devices_kernel)
		echo "aarch64: $(basename "$t"): skipped (the host kernel's BPF, not the build's)"
		skipped=$((skipped + 1))
		continue ;;
	esac
	out=$(CK_FORK=no CK_EXCLUDE_TAGS=host-kernel run_arm "$t" 2>&1)
	line=$(echo "$out" | grep -E '^[0-9]+%: Checks' | tail -1)
	echo "aarch64: $(basename "$t"): ${line:-crashed}"
	echo "$out" | grep -E ':[EF]:' | head -10
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		continue
	fi
	checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	fails=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	errs=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	passed=$((passed + checks - fails - errs))
	failed=$((failed + fails + errs))
done
# the binary itself, as far as qemu-user can run it: features and spec;
# create goes through the aarch64 entry point, which tries the read-only
# re-exec and, as qemu-user has no open_tree, falls through to glibc's
# _start, whose main reports it
if run_arm "$build/mini-runtime" features | grep -q '"ociVersionMax"' &&
	run_arm "$build/mini-runtime" --root /nonexistent create --bundle /nonexistent x 2>&1 |
	grep -q "protect the runtime binary: open_tree" &&
	(d=$(mktemp -d) && cd "$d" && run_arm "$top/$build/mini-runtime" spec && [ -s config.json ]; r=$?; rm -rf "$d"; exit $r); then
	passed=$((passed + 1))
else
	echo "aarch64: mini-runtime features/spec failed under qemu-user"
	failed=$((failed + 1))
fi
echo "aarch64: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
