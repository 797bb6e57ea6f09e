#!/bin/sh
# Installs the Debian packages mini-runtime needs to build and test, calling
# apt-get only for what is missing (so a second run costs nothing).
# The node guest (integration/node) boots this machine's own / over 9p, so
# what runs in it is installed here: systemd (its PID 1; a minbase chroot
# lacks it), dbus (the bus its D-Bus API answers on, for the systemd
# cgroup driver), apparmor (apparmor_parser), bats, jq, busybox-static,
# containerd. containernetworking-plugins and iptables: the pods' bridge
# network of integration/critest.bats and kubelet.bats (in a network
# namespace of their own); curl: the kubelet suite reads its pods' status.
# docker.io: integration/docker.bats (a private dockerd with mini-runtime
# added as a runtime).
# uidmap: newuidmap and newgidmap, the rootless id maps (integration/rootless.bats);
# libpam-systemd, dbus-user-session: the user session of its node-guest test
# (user@UID.service fails without pam_systemd; a minimal Debian lacks both).
# The Go tools (containerd 2.4, runc 1.5, critest, crane, the NRI plugin)
# are built by integration/lib/gotools.sh with the Go on PATH or in
# /usr/local/go, from the Go module proxy.
set -eu
PKGS="gcc make pkg-config libc6-dev libjansson-dev libcap-dev libseccomp-dev libdbus-1-dev check
      busybox-static bats jq strace util-linux iproute2 procps
      qemu-system-x86 cpio systemd dbus apparmor
      containerd python3 python3-grpcio python3-protobuf protobuf-compiler
      containernetworking-plugins iptables docker.io uidmap curl
      libpam-systemd dbus-user-session"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# no daemon of these packages is started (docker.io's init script would start
# a system dockerd on a machine without systemd): policy-rc.d says no, as in
# Debian's container images; one already there is left as it is
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 0755 /usr/sbin/policy-rc.d
	policy=/usr/sbin/policy-rc.d
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null || {
	rc=$?
	[ -z "$policy" ] || rm -f "$policy"
	exit "$rc"
}
[ -z "$policy" ] || rm -f "$policy"
