#!/bin/bash
# gotools.sh TOOL... - builds the Go tools of the containerd suites once, into
# integration/.cache/go/<tool>-<version>/bin (gitignored), and prints that
# directory for each TOOL. A second run finds them there and builds nothing.
#   containerd  containerd, ctr, containerd-shim-runc-v2 v2.4.2 (go install)
#   runc        runc v1.5.3, the critest baseline (cgo + libseccomp-dev)
#   critest     cri-tools' critest v1.37.0, a test binary: `go test -c` in the
#               module integration/go/critest, which pins the version
#   nri-mpol    the NRI plugin of the tests (integration/go/nri-mpol)
#   crane       go-containerregistry's crane v0.22.1: critest's local
#               registry (`crane registry serve`) and its images
#   kubelet     the kubelet v1.37.2, static (CGO_ENABLED=0): `go build` in the
#               module integration/go/kubelet, which pins k8s.io/kubernetes
#               and replaces its 33 staging modules (~17 min on 2 cores)
#   crictl      cri-tools' crictl v1.37.0 (go install)
# Go's module and build caches are Go's own ($GOMODCACHE, $GOCACHE). The
# first build takes minutes (containerd ~2.5 min on 2 cores, critest ~1.5,
# runc ~0.5, the kubelet ~17); the build log is <dir>.log. Exits 77, saying
# why, when there is no Go as new as the newest `go` line of the modules in
# integration/go (everything is installed by name from the module proxy,
# nothing else is fetched); 1 when a build fails.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=$top/integration/.cache/go
CONTAINERD_VERSION=v2.4.2
RUNC_VERSION=v1.5.3
CRITEST_VERSION=v1.37.0
CRANE_VERSION=v0.22.1
KUBELET_VERSION=v1.37.2
CRICTL_VERSION=v1.37.0
export PATH=$PATH:/usr/local/go/bin GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

# go_needed: the newest `go` directive of the modules in integration/go
# (critest's module asks 1.26.6): an older Go fails there, with
# GOTOOLCHAIN=local, only after minutes of building the others.
go_needed() {
	sed -n 's/^go \([0-9.]*\)$/\1/p' "$top"/integration/go/*/go.mod | sort -V | tail -1
}

go_ok() {
	local v
	v=$(go env GOVERSION 2>/dev/null) || return 1
	v=${v#go}
	[ "$(printf '%s\n%s\n' "$1" "$v" | sort -V | head -1)" = "$1" ]
}

# build NAME DIR: runs build_NAME with GOBIN=DIR/bin under a lock of its own
# (suites may start side by side; the kubelet's 17 minutes need not hold up
# the others), unless DIR/.done says it was built.
build() {
	local name=$1 dir=$2 lock
	[ -f "$dir/.done" ] && return 0
	mkdir -p "$cache"
	exec {lock}>"$dir.lock"
	flock "$lock"
	if [ ! -f "$dir/.done" ]; then
		echo "gotools: building $name into $dir (once; log: $dir.log)" >&2
		rm -rf "$dir"
		mkdir -p "$dir/bin"
		if ! (cd "$top/integration/go" && GOBIN=$dir/bin "build_$name" "$dir") \
			>"$dir.log" 2>&1; then
			tail -20 "$dir.log" >&2
			echo "gotools: building $name failed (log: $dir.log)" >&2
			exit 1
		fi
		touch "$dir/.done"
	fi
	exec {lock}>&-
}

build_containerd() {
	local c
	for c in containerd ctr containerd-shim-runc-v2; do
		go install "github.com/containerd/containerd/v2/cmd/$c@$CONTAINERD_VERSION"
	done
}

build_runc() {
	CGO_ENABLED=1 go install -tags seccomp "github.com/opencontainers/runc@$RUNC_VERSION"
}

build_critest() {
	cd critest
	grep -q "sigs.k8s.io/cri-tools $CRITEST_VERSION" go.mod
	go test -c -o "$1/bin/critest" sigs.k8s.io/cri-tools/cmd/critest
}

build_crane() {
	go install "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION"
}

build_kubelet() {
	cd kubelet
	grep -q "k8s.io/kubernetes $KUBELET_VERSION" go.mod
	# The version the kubelet reports (and checks its config against) comes
	# from these variables, which the Makefile of kubernetes sets from git.
	local v=k8s.io/component-base/version minor=${KUBELET_VERSION#v1.}
	minor=${minor%%.*}
	CGO_ENABLED=0 go build -trimpath -o "$1/bin/kubelet" -ldflags "-s -w \
-X $v.gitVersion=$KUBELET_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor \
-X $v.gitTreeState=clean" k8s.io/kubernetes/cmd/kubelet
}

build_crictl() {
	go install "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
}

build_nri-mpol() {
	cd nri-mpol
	go build -o "$1/bin/nri-mpol" .
}

need=$(go_needed)
if ! go_ok "$need"; then
	echo "gotools: no Go $need or later on PATH (nor in /usr/local/go): the modules in integration/go need it" >&2
	exit 77
fi
for t in "$@"; do
	case $t in
	containerd) d=$cache/containerd-$CONTAINERD_VERSION ;;
	runc) d=$cache/runc-$RUNC_VERSION ;;
	critest) d=$cache/critest-$CRITEST_VERSION ;;
	crane) d=$cache/crane-$CRANE_VERSION ;;
	kubelet) d=$cache/kubelet-$KUBELET_VERSION ;;
	crictl) d=$cache/crictl-$CRICTL_VERSION ;;
	nri-mpol) d=$cache/nri-mpol-$(cat "$top/integration/go/nri-mpol/"{go.sum,main.go} |
		sha256sum | cut -c1-12) ;;
	*) echo "gotools: unknown tool $t" >&2; exit 1 ;;
	esac
	build "$t" "$d"
	echo "$d/bin"
done
