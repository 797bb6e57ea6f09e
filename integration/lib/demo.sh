#!/bin/sh
# make demo: a busybox-static bundle from config.json.example, run once.
# The container prints its memory policy as the kernel shows it in
# /proc/self/numa_maps, then mini-runtime's state of a created copy shows
# what the kernel installed, read back with get_mempolicy.
set -eu
runtime=$(realpath "${1:-./mini-runtime}")
top=$(cd "$(dirname "$0")/../.." && pwd)
bundle=${DEMO_BUNDLE:-$top/demo-bundle}
root=$(mktemp -d /tmp/mini-demo.XXXXXX)
trap 'rm -rf "$root"' EXIT

rm -rf "$bundle"
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in $("$bundle/rootfs/bin/busybox" --list); do
	[ -e "$bundle/rootfs/bin/$applet" ] || ln -s busybox "$bundle/rootfs/bin/$applet"
done
cp "$top/config.json.example" "$bundle/config.json"

echo "== mini-runtime run $bundle"
"$runtime" --root "$root" run "$bundle"
echo
echo "== mini-runtime state (memoryPolicy as read back by the container's init)"
"$runtime" --root "$root" create --bundle "$bundle" demo
"$runtime" --root "$root" state demo
"$runtime" --root "$root" delete --force demo
