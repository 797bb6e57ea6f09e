#!/bin/bash
# bench/run.sh RUNTIME_BINARY - mini-runtime side by side with crun, runc and
# a minimal C launcher (bench/lowerbound.c), on one busybox bundle.
#
# Everything runs inside ONE private mount namespace in which
# /sys/fs/cgroup/unified is unmounted: crun 1.8 refuses hybrid-cgroup hosts
# otherwise ("cgroups in hybrid mode not supported"), and all contenders
# get the same view so the comparison stays fair.
#
# The measurements are interleaved: each iteration runs every contender once,
# in an order that changes each time (see order()), so load that drifts
# (builds, a QEMU guest) hits all contenders alike and the ratios stay fair
# on a noisy machine.
#
# Environment:
#   BENCH_N          iterations of the interleaved loop (default 100)
#   BENCH_TP         runs per throughput measurement (default 40)
#   BENCH_TP_ROUNDS  throughput rounds, each contender once a round (default 5)
#   BENCH_RSS_N      runs per contender for peak RSS (default 10)
#   BENCH_STRACE_N   strace'd runs per contender (default 3)
#   BENCH_RESULTS    output directory (default bench/results)
#   BENCH_TIMEOUT    seconds for the whole measurement stage (default 1500)
#   BENCH_CGROUP_WARM  1: run bench/cgwarm.c alongside, which keeps cgroup
#                    task moves from waiting for an RCU grace period (see
#                    cgwarm.c), so the figures show the runtimes' own work;
#                    0 (default): the machine as it is
#   BENCH_STATE_TMPFS  1 (default): the runtimes' --root directories live on
#                    a tmpfs, as /run does on most hosts; 0: on the temp dir's
#                    file system (fsync and mkdir then cost what that disk costs)
#
#   BENCH_SCENARIOS  which to run, of "plain k8s exec density" (default all):
#                    plain: run/lifecycle/RSS/syscalls/throughput of the
#                    `runc spec` bundle; k8s: `run` of the Kubernetes spec
#                    (bench/k8s.jq) against the number of masked per-CPU
#                    directories; exec: `exec ID /bin/true` into a running
#                    container, plain and k8s spec; density: 100 containers
#                    created and started back to back, then deleted
#   BENCH_QUICK      1: fewer iterations everywhere (a quick look, ~1 min)
#   BENCH_K8S_N      interleaved iterations per point of the k8s curve (20)
#   BENCH_K8S_CPUS   the curve's points, masked CPUs (default "0 16 64 128 256")
#   BENCH_EXEC_N     interleaved exec iterations (default 60)
#   BENCH_DENSITY    containers per density round (default 100)
#   BENCH_DENSITY_ROUNDS  density rounds, each runtime once a round (3)
#   CRUN, RUNC       the crun and runc binaries (default: the ones on PATH;
#                    the report names each version). The speed anchor is crun
#                    1.27.1 built from its source outside the project, e.g.
#                    CRUN=/work/.cache/crun-build/src/crun; without CRUN,
#                    Debian's crun 1.8.1, and the report says so.
#
# Output: $BENCH_RESULTS/results.md, run.png, lifecycle.png, run.dat,
# k8s.png, k8s.dat, exec.png, density.png; the tables are printed as well.
# Exit status 1 when mini-runtime failed.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
	echo "bench: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- set-up --

# command -> Debian package
declare -A NEED_PKG=([gcc]=gcc [runc]=runc [crun]=crun [strace]=strace [gnuplot]=gnuplot-nox
	[jq]=jq [unshare]=util-linux [timeout]=coreutils [ldd]=libc-bin [ctr]=containerd)

ensure_deps() {
	local missing="" c
	for c in "${!NEED_PKG[@]}"; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing ${NEED_PKG[$c]}"
	done
	# the rootfs needs a static busybox (busybox-static installs /bin/busybox)
	if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
		missing="$missing busybox-static"
	fi
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		die "missing Debian packages:$missing (install them: apt-get install$missing)"
	fi
	echo "bench: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	timeout 600 apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	timeout 600 apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		die "apt-get install$missing failed"
}

build_helpers() {
	local cc="gcc -O2 -static -Wall -Wextra"
	$cc -o "$WORK/lowerbound" "$BENCH_DIR/lowerbound.c"
	$cc -o "$WORK/timeit" "$BENCH_DIR/timeit.c"
	$cc -o "$WORK/cgwarm" "$BENCH_DIR/cgwarm.c"
	gcc -O2 -static -nostdlib -o "$WORK/tinytrue" "$BENCH_DIR/tinytrue.c"
}

# make_bundle DIR TRUE_BINARY: busybox rootfs, config.json from `runc spec`
# with no terminal and /bin/true as the process.
make_bundle() {
	local b=$1 tru=$2
	mkdir -p "$b"/rootfs/{bin,proc,sys,dev,tmp,etc,root}
	cp /bin/busybox "$b/rootfs/bin/busybox"
	ln -s busybox "$b/rootfs/bin/sh"
	if [ "$tru" = busybox ]; then
		ln -s busybox "$b/rootfs/bin/true"
	else
		cp "$tru" "$b/rootfs/bin/true"
	fi
	echo 'root:x:0:0:root:/root:/bin/sh' >"$b/rootfs/etc/passwd"
	echo 'root:x:0:' >"$b/rootfs/etc/group"
	ln -s busybox "$b/rootfs/bin/sleep"
	(cd "$b" && runc spec)
	jq '.process.terminal = false | .process.args = ["/bin/true"]' "$b/config.json" \
		>"$b/config.json.new"
	mv "$b/config.json.new" "$b/config.json"
}

outer() {
	[ $# -eq 1 ] || die "usage: bench/run.sh RUNTIME_BINARY"
	[ "$(id -u)" = 0 ] || die "needs root (namespaces, mounts, runc and crun)"
	MINI=$(readlink -f "$1") || die "$1: not found"
	[ -x "$MINI" ] || die "$MINI: not an executable"
	ensure_deps
	WORK=$(mktemp -d /tmp/mini-bench.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
	build_helpers
	make_bundle "$WORK/bundle" busybox
	# same config, but /bin/true is one page: for peak RSS, where
	# busybox's own ~1.2 MB would hide the runtime's figure
	make_bundle "$WORK/bundle-tiny" "$WORK/tinytrue"
	# the same, running sleep: for exec and density
	mkdir -p "$WORK/bundle-sleep"
	jq --arg r "$WORK/bundle/rootfs" '.root.path = $r | .process.args = ["sleep", "1000000"]' \
		"$WORK/bundle/config.json" >"$WORK/bundle-sleep/config.json"
	mkdir -p "$WORK/data"
	export MINI WORK BENCH_DIR
	# timeout signals its whole process group; timeit -R reaps the inits
	# that runtimes leave behind after `create` exits
	timeout -k 10 "${BENCH_TIMEOUT:-1500}" unshare -m --propagation private \
		"$WORK/timeit" -R -- "$BENCH_DIR/run.sh" --inner
}

has_scenario() { [[ " $SCENARIOS " == *" $1 "* ]]; }

# ------------------------------------------------------------ measuring --

# lowerbound-cg: the floor plus one devices cgroup (lowerbound -c), because
# every runtime here makes cgroups for this config (linux.resources.devices)
NAMES=(mini-runtime crun runc lowerbound lowerbound-cg)
RUNTIMES=(mini-runtime crun runc)
declare -A BIN FAILS

rt_cmd() { # rt_cmd NAME ARGS... -> the runtime with its private --root
	local name=$1
	shift
	CMD=("${BIN[$name]}" --root "$WORK/root/$name" "$@")
}

run_cmd() { # run_cmd NAME BUNDLE ID -> CMD: one `run` of /bin/true
	if [ "$1" = lowerbound ]; then
		CMD=("$WORK/lowerbound" "$2/rootfs")
	elif [ "$1" = lowerbound-cg ]; then
		CMD=("$WORK/lowerbound" -c "$2/rootfs")
	else
		rt_cmd "$1" run --bundle "$2" "$3"
	fi
}

# measure METRIC NAME [timeit options] -- CMD...: appends "NS MAXRSS_KB"
# to data/METRIC.NAME; a failure is counted and its first message kept.
measure() {
	local metric=$1 name=$2 out ns status rss
	shift 2
	if ! out=$("$WORK/timeit" "$@" 2>"$WORK/data/stderr"); then
		out="0 125 0 0"
	fi
	read -r ns status rss _ <<<"$out"
	if [ "$status" != 0 ]; then
		FAILS[$name]=$((${FAILS[$name]:-0} + 1))
		if [ ! -s "$WORK/data/error.$name" ]; then
			{
				echo "$metric: exit $status: $(tail -n 3 "$WORK/data/stderr" | tr '\n' ' ')"
			} >"$WORK/data/error.$name"
		fi
		return 1
	fi
	echo "$ns $rss" >>"$WORK/data/$metric.$name"
}

force_delete() {
	[ -n "${BIN[$1]:-}" ] || return 0 # a floor: nothing to delete
	rt_cmd "$1" delete --force "$2"
	"${CMD[@]}" >/dev/null 2>&1 || true
}

gcd() { # gcd A B
	local a=$1 b=$2 t
	while [ "$b" -gt 0 ]; do
		t=$((a % b))
		a=$b
		b=$t
	done
	echo "$a"
}

# order K NAMES... -> ORDER: the K-th of a cycle of orders in which every
# contender comes first, and follows every other one, equally often
# (element j is NAMES[(K + j * STRIDE) mod n], the stride running through
# the numbers coprime to n). Who runs just before matters here: a cgroup
# move less than an RCU grace period after another one is cheap.
order() {
	local k=$1
	shift
	local a=("$@") n=$# j s strides=()
	for ((s = 1; s < n || s == 1; s++)); do
		[ "$(gcd "$s" "$n")" = 1 ] && strides+=("$s")
	done
	s=${strides[$(((k / n) % ${#strides[@]}))]}
	ORDER=()
	for ((j = 0; j < n; j++)); do
		ORDER+=("${a[$(((k + j * s) % n))]}")
	done
}

lifecycle() { # lifecycle NAME ID: create, start, wait for stopped, delete
	local name=$1 id=$2 cs=0 ok=1 phase t
	for phase in create start wait delete; do
		case $phase in
		create) rt_cmd "$name" create --bundle "$WORK/bundle" "$id" ;;
		start) rt_cmd "$name" start "$id" ;;
		wait) rt_cmd "$name" state "$id" ;;
		delete) rt_cmd "$name" delete "$id" ;;
		esac
		if [ $phase = wait ]; then
			measure "$phase" "$name" -u '"stopped"' -- "${CMD[@]}" || ok=0
		else
			measure "$phase" "$name" -- "${CMD[@]}" || ok=0
		fi
		[ $ok = 1 ] || break
		t=$(tail -n 1 "$WORK/data/$phase.$name")
		[ $phase = wait ] || cs=$((cs + ${t%% *}))
	done
	if [ $ok = 1 ]; then
		echo "$cs 0" >>"$WORK/data/cycle.$name"
	else
		force_delete "$name" "$id"
	fi
}

interleaved_loop() {
	local i name n=$1
	echo "bench: $n interleaved iterations (run x${#NAMES[@]}, lifecycle x${#RUNTIMES[@]} each)"
	for ((i = 0; i < n; i++)); do
		order "$i" "${NAMES[@]}"
		for name in "${ORDER[@]}"; do
			run_cmd "$name" "$WORK/bundle" "$IDP-$name-r$i"
			measure run "$name" -- "${CMD[@]}" || force_delete "$name" "$IDP-$name-r$i"
		done
		order "$i" "${RUNTIMES[@]}"
		for name in "${ORDER[@]}"; do
			lifecycle "$name" "$IDP-$name-l$i"
		done
		[ $((i % 20)) = 19 ] && echo "bench:   $((i + 1))/$n"
	done
	return 0
}

rss_loop() {
	local i name
	for ((i = 0; i < ${BENCH_RSS_N:-10}; i++)); do
		order "$i" "${NAMES[@]}"
		for name in "${ORDER[@]}"; do
			run_cmd "$name" "$WORK/bundle-tiny" "$IDP-$name-m$i"
			measure rss "$name" -- "${CMD[@]}" || force_delete "$name" "$IDP-$name-m$i"
		done
	done
}

strace_loop() {
	local i name f calls
	for ((i = 0; i < ${BENCH_STRACE_N:-3}; i++)); do
		for name in "${NAMES[@]}"; do
			f=$WORK/data/strace.out
			run_cmd "$name" "$WORK/bundle" "$IDP-$name-s$i"
			if timeout 120 strace -f -c -o "$f" -- "${CMD[@]}" >/dev/null 2>"$WORK/data/stderr"; then
				calls=$(awk '$NF == "total" { print $4 }' "$f")
				echo "$calls 0" >>"$WORK/data/syscalls.$name"
			else
				force_delete "$name" "$IDP-$name-s$i"
			fi
		done
	done
}

throughput_loop() {
	local r name j tp=${BENCH_TP:-40}
	echo "bench: throughput, $tp runs per measurement, sequential and 2-way parallel"
	for ((r = 0; r < ${BENCH_TP_ROUNDS:-5}; r++)); do
		order "$r" "${NAMES[@]}"
		for name in "${ORDER[@]}"; do
			for j in 1 2; do
				run_cmd "$name" "$WORK/bundle" "$IDP-$name-t$r-j$j-{}"
				measure "tp$j" "$name" -c "$tp" -j $j -t 600 -- "${CMD[@]}" || true
			done
		done
	done
}

cleanup_inner() {
	local name id
	if [ -n "${WARM_PID:-}" ]; then
		kill -TERM "$WARM_PID" 2>/dev/null || true
		wait "$WARM_PID" 2>/dev/null || true
		WARM_PID=
	fi
	for name in "${RUNTIMES[@]}"; do
		cleanup_runtime "$name"
	done
	k8s_teardown
}

cleanup_runtime() { # every container of the runtime deleted
	local id
	for id in $(ls "$WORK/root/$1" 2>/dev/null); do
		force_delete "$1" "$id"
	done
}

# ------------------------------------------------------ the k8s scenarios --

POD=/bench-kubepods/besteffort/pod0c6f1b8e # the pod's cgroup, as the kubelet makes it
K8S_NAMES=(mini-runtime crun runc lowerbound-k8s)
EXEC_NAMES=(mini-runtime crun runc lowerbound-exec)

# The pod: a rootfs with what the CRI's binds land on, the sandbox's files,
# a process holding the sandbox's net/ipc/uts namespaces, the pod's cgroup
# in every hierarchy, the specs for each point of the curve.
k8s_setup() {
	local r=$WORK/k8s-rootfs sb=$WORK/sandbox k h n mine
	mkdir -p "$r"/{bin,proc,sys/devices/system/cpu,dev,tmp,etc,root,run} "$sb/shm"
	cp -a "$WORK/bundle/rootfs/bin/." "$r/bin/"
	cp "$WORK/bundle/rootfs/etc/passwd" "$WORK/bundle/rootfs/etc/group" "$r/etc/"
	: >"$r/etc/hosts"
	: >"$r/etc/resolv.conf"
	: >"$r/etc/hostname"
	printf '127.0.0.1\tlocalhost\n10.244.0.7\tbench-pod\n' >"$sb/hosts"
	printf 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n' >"$sb/resolv.conf"
	echo bench-pod >"$sb/hostname"
	: >"$sb/termination-log"
	for ((k = 0; k < 256; k++)); do
		mkdir -p "$WORK/cpus/cpu$k/thermal_throttle"
	done
	unshare --net --ipc --uts sleep 1000000 &
	PAUSE_PID=$!
	mine=$(readlink /proc/self/ns/net)
	for ((k = 0; k < 100; k++)); do
		[ "$(readlink "/proc/$PAUSE_PID/ns/net" 2>/dev/null)" != "$mine" ] && break
		sleep 0.01
	done
	for h in $(awk '$9 ~ /^cgroup2?$/ && $5 ~ "^/sys/fs/cgroup" { print $5 }' /proc/self/mountinfo); do
		mkdir -p "$h$POD"
		if [ -e "$h/cpuset.cpus" ]; then
			for n in /bench-kubepods /bench-kubepods/besteffort $POD; do
				cat "$h/cpuset.cpus" >"$h$n/cpuset.cpus"
				cat "$h/cpuset.mems" >"$h$n/cpuset.mems"
			done
		elif [ -e "$h/cgroup.subtree_control" ]; then
			for n in "" /bench-kubepods /bench-kubepods/besteffort $POD; do
				for k in $(cat "$h$n/cgroup.controllers"); do
					echo "+$k" >"$h$n/cgroup.subtree_control" 2>/dev/null || true
				done
			done
		fi
	done
	for n in $K8S_CPUS exec; do
		ctr oci spec | jq -f "$BENCH_DIR/k8s.jq" --arg rootfs "$r" --arg sandbox "$sb" \
			--arg cpus "$WORK/cpus" --argjson ncpu "${n/exec/128}" --argjson pause "$PAUSE_PID" \
			--slurpfile seccomp "$BENCH_DIR/seccomp-containerd-1.6.json" >"$WORK/k8s-$n.json"
	done
	jq '.process.args = ["sleep", "1000000"]' "$WORK/k8s-exec.json" >"$WORK/k8s-exec.json.new"
	mv "$WORK/k8s-exec.json.new" "$WORK/k8s-exec.json"
}

k8s_teardown() {
	local h n
	[ -n "${PAUSE_PID:-}" ] || return 0
	kill -KILL "$PAUSE_PID" 2>/dev/null || true
	wait "$PAUSE_PID" 2>/dev/null || true
	PAUSE_PID=
	for h in $(awk '$9 ~ /^cgroup2?$/ && $5 ~ "^/sys/fs/cgroup" { print $5 }' /proc/self/mountinfo); do
		for n in $POD /bench-kubepods/besteffort /bench-kubepods; do
			rmdir "$h$n" 2>/dev/null || true
		done
	done
}

# k8s_bundle SPEC ID -> a bundle whose config.json is SPEC with the
# container's own cgroupsPath (the kubelet's: one per container)
k8s_bundle() {
	mkdir -p "$WORK/bk8s"
	sed "s|@ID@|$2|" "$WORK/k8s-$1.json" >"$WORK/bk8s/config.json"
}

k8s_loop() {
	local i n name id k=${BENCH_K8S_N:-20}
	echo "bench: k8s spec, masked CPUs $K8S_CPUS: $k interleaved iterations"
	for ((i = 0; i < k; i++)); do
		for n in $K8S_CPUS; do
			order "$i" "${K8S_NAMES[@]}"
			for name in "${ORDER[@]}"; do
				id=$IDP-$name-k$n-$i
				if [ "$name" = lowerbound-k8s ]; then
					CMD=("$WORK/lowerbound" -m "$WORK/cpus:$n" "$WORK/k8s-rootfs")
				else
					k8s_bundle "$n" "$id"
					rt_cmd "$name" run --bundle "$WORK/bk8s" "$id"
				fi
				measure "k8s$n" "$name" -- "${CMD[@]}" || force_delete "$name" "$id"
			done
		done
	done
}

# one long-running container per runtime and spec; the floor enters
# mini-runtime's (the namespaces are the same kind for all)
exec_loop() {
	local i name spec id k=${BENCH_EXEC_N:-60} pid
	declare -A EPID
	echo "bench: exec, $k interleaved iterations (plain and k8s spec)"
	for name in "${RUNTIMES[@]}"; do
		for spec in plain k8s; do
			id=$IDP-$name-x$spec
			if [ $spec = k8s ]; then
				mkdir -p "$WORK/bexec-$name"
				sed "s|@ID@|$id|" "$WORK/k8s-exec.json" >"$WORK/bexec-$name/config.json"
				rt_cmd "$name" create --bundle "$WORK/bexec-$name" "$id"
			else
				rt_cmd "$name" create --bundle "$WORK/bundle-sleep" "$id"
			fi
			"${CMD[@]}" >/dev/null 2>"$WORK/data/stderr" || {
				FAILS[$name]=$((${FAILS[$name]:-0} + 1))
				echo "exec: create ($spec): $(tail -n 3 "$WORK/data/stderr" | tr '\n' ' ')" \
					>>"$WORK/data/error.$name"
				continue
			}
			rt_cmd "$name" start "$id"
			"${CMD[@]}" >/dev/null || true
		done
	done
	for spec in plain k8s; do
		rt_cmd mini-runtime state "$IDP-mini-runtime-x$spec"
		pid=$("${CMD[@]}" 2>/dev/null | jq -r .pid) || pid=
		EPID[$spec]=$pid
	done
	for ((i = 0; i < k; i++)); do
		for spec in plain k8s; do
			order "$i" "${EXEC_NAMES[@]}"
			for name in "${ORDER[@]}"; do
				if [ "$name" = lowerbound-exec ]; then
					[ -n "${EPID[$spec]}" ] || continue
					CMD=("$WORK/lowerbound" -e "${EPID[$spec]}")
				else
					rt_cmd "$name" exec "$IDP-$name-x$spec" /bin/true
				fi
				measure "exec-$spec" "$name" -- "${CMD[@]}" || true
			done
		done
	done
	for name in "${RUNTIMES[@]}"; do
		for spec in plain k8s; do
			force_delete "$name" "$IDP-$name-x$spec"
		done
	done
}

# COUNT containers of the sleep bundle created and started back to back
# (timeit -s: each start right after its create), then all deleted; the
# wall time of both, and the largest RSS of any runtime process of it
density_loop() {
	local r name id c=${BENCH_DENSITY:-100} up down
	echo "bench: density, $c containers per round, ${BENCH_DENSITY_ROUNDS:-3} rounds"
	for ((r = 0; r < ${BENCH_DENSITY_ROUNDS:-3}; r++)); do
		order "$r" "${RUNTIMES[@]}"
		for name in "${ORDER[@]}"; do
			id=$IDP-$name-d$r-{}
			rt_cmd "$name" create --bundle "$WORK/bundle-sleep" "$id"
			local create=("${CMD[@]}")
			rt_cmd "$name" start "$id"
			measure dens-up "$name" -s -c "$c" -t 900 -- "${create[@]}" ';;' "${CMD[@]}" || true
			rt_cmd "$name" delete --force "$id"
			measure dens-down "$name" -c "$c" -t 900 -- "${CMD[@]}" || true
			up=$(tail -n 1 "$WORK/data/dens-up.$name" 2>/dev/null) || up=
			down=$(tail -n 1 "$WORK/data/dens-down.$name" 2>/dev/null) || down=
			if [ -n "$up" ] && [ -n "$down" ]; then
				echo "$((${up%% *} + ${down%% *})) $(printf '%s\n%s\n' "${up#* }" "${down#* }" | sort -n | tail -n 1)" \
					>>"$WORK/data/dens.$name"
			fi
			cleanup_runtime "$name"
		done
	done
}

# ------------------------------------------------------------ reporting --

# stats METRIC NAME -> "median min p10 p90 count" of column 1 (empty if no data)
stats() {
	local f=$WORK/data/$1.$2
	[ -s "$f" ] || return 0
	cut -d' ' -f1 "$f" | sort -n | awk '
		{ v[NR] = $1 }
		function q(p,  k) { k = int(p * NR + 0.999999); if (k < 1) k = 1; return v[k] }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.0f %.0f %.0f %.0f %d\n", med, v[1], q(0.10), q(0.90), NR
		}'
}

col2_max() { # the largest value in column 2 of a data file, or -
	if [ -s "$WORK/data/$1.$2" ]; then
		awk 'm < $2 { m = $2 } END { print m }' "$WORK/data/$1.$2"
	else
		echo -
	fi
}

ms() { awk -v n="$1" 'BEGIN { printf "%.2f", n / 1e6 }'; }
ratio() { # ratio A B -> A/B with 2 decimals, or n/a
	awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "n/a" }'
}
median_of() { # median_of METRIC NAME
	local s
	s=$(stats "$1" "$2")
	echo "${s%% *}"
}

binary_size() { # "SIZE_KB (static)" or "SIZE_KB + LIBS_KB in N shared libs"
	local bin=$1 libs total=0 n=0 l
	libs=$(ldd "$bin" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib.*ld-linux/ { print $1 }' || true)
	for l in $libs; do
		total=$((total + $(stat -L -c %s "$l")))
		n=$((n + 1))
	done
	if [ $n = 0 ]; then
		echo "$(($(stat -L -c %s "$bin") / 1024)) KiB (static)"
	else
		echo "$(($(stat -L -c %s "$bin") / 1024)) KiB + $((total / 1024)) KiB in $n shared libs"
	fi
}

verdict() { # verdict VALUE OP LIMIT
	awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
		if (v == "n/a" || v == "") { print "n/a"; exit }
		ok = op == "<=" ? v + 0 <= l + 0 : v + 0 >= l + 0
		print ok ? "**met**" : "**missed**" }'
}

write_report() {
	write_plain_report >"$RESULTS/results.md"
	write_scenarios_report >>"$RESULTS/results.md"
	failures_report >>"$RESULTS/results.md"
}

failures_report() {
	local any=0 name
	for name in "${NAMES[@]}" lowerbound-k8s lowerbound-exec; do
		if [ -s "$WORK/data/error.$name" ]; then
			[ $any = 1 ] || printf '\n## Failures\n\n'
			any=1
			echo "- $name (${FAILS[$name]:-0} failed measurements): first error: \`$(head -n 1 "$WORK/data/error.$name" | tr -d '`')\`"
		fi
	done
}

write_plain_report() {
	local name s med min p10 p90 cnt mini_run
	local cpu
	cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
	mini_run=$(median_of run mini-runtime)
	{
		echo "# mini-runtime benchmark results"
		echo
		echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "- machine: $cpu, $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
			"Linux $(uname -r), Debian $(cat /etc/debian_version 2>/dev/null || echo '?')"
		echo "- load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "- contenders: $("$MINI" --version 2>/dev/null | head -n 1) ($MINI);" \
			"$("${BIN[crun]}" --version | head -n 1) (${BIN[crun]}); $("${BIN[runc]}" --version | head -n 1) (${BIN[runc]});" \
			"lowerbound and lowerbound-cg (bench/lowerbound.c, without and with -c)"
		echo "- bundle: busybox-static rootfs, config.json from \`runc spec\`" \
			"(process.terminal false, args [\"/bin/true\"])"
		echo "- all contenders ran inside one private mount namespace" \
			"(\`unshare -m --propagation private\`) with /sys/fs/cgroup/unified unmounted:" \
			"crun 1.8 refuses hybrid-cgroup hosts otherwise"
		echo "- interleaved: in every scenario each iteration runs every contender once, in an order that" \
			"changes every iteration (each contender first, and after each other one, equally often)," \
			"so drifting load from other work on the machine hits all contenders alike" \
			"(compare ratios, not absolute times)"
		echo "- state (--root) of each runtime: a private directory on $STATE_FS"
		echo "- cgroup moves kept warm: $CG_WARM"
		echo "- reproduce: \`make bench\` (or \`bench/run.sh ./mini-runtime\`; BENCH_N=$N)," \
			"scenarios: $SCENARIOS${BENCH_QUICK:+ (BENCH_QUICK=$BENCH_QUICK)}"
		[ -z "$CRUN_NOTE" ] || echo "- **note**: $CRUN_NOTE"
		echo
		has_scenario plain || return 0
		echo "## \`run\` of /bin/true (wall time, ms)"
		echo
		echo "| contender | median | min | p10 | p90 | spread p90-p10 | median / mini-runtime's | failed runs |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|"
		for name in "${NAMES[@]}"; do
			s=$(stats run "$name")
			if [ -z "$s" ]; then
				echo "| $name | - | - | - | - | - | - | ${FAILS[$name]:-0} |"
				continue
			fi
			read -r med min p10 p90 cnt <<<"$s"
			echo "| $name | $(ms "$med") | $(ms "$min") | $(ms "$p10") | $(ms "$p90")" \
				"| $(ms $((p90 - p10))) | $(ratio "$med" "$mini_run") | ${FAILS[$name]:-0} |"
		done
		echo
		echo "lowerbound: clone with new mnt/pid/uts/ipc/net namespaces, bind + pivot_root," \
			"/proc, execve /bin/true. lowerbound-cg: the same plus one devices cgroup" \
			"(mkdir, deny all, move the child in, rmdir), the least a runtime honouring" \
			"this config's linux.resources.devices does. On cgroup v1, moving a task takes" \
			"cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period when" \
			"no other move happened in the last one: that wait (up to ~20 ms here) is most" \
			"of the spread of crun, runc and lowerbound-cg. mini-runtime's processes join" \
			"their cgroups themselves (\"0\" into tasks, clone3 into v2), which skips it."
		echo
		echo "## Lifecycle, per phase (median wall time, ms)"
		echo
		echo "wait = \`RUNTIME state ID\` repeated until it says \"stopped\" (/bin/true has" \
			"usually exited before the first call, so this is mostly the cost of one \`state\`)."
		echo "create+start+delete is the median of the per-iteration sums."
		echo
		echo "| runtime | create | start | wait | delete | create+start+delete | / mini-runtime's |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		local mini_cycle
		mini_cycle=$(median_of cycle mini-runtime)
		for name in "${RUNTIMES[@]}"; do
			local row="| $name" p v
			for p in create start wait delete cycle; do
				v=$(median_of "$p" "$name")
				row="$row | $([ -n "$v" ] && ms "$v" || echo -)"
			done
			echo "$row | $(ratio "$(median_of cycle "$name")" "$mini_cycle") |"
		done
		echo
		echo "## Resources and throughput"
		echo
		echo "| contender | peak RSS (KiB) | syscalls per run | binary | runs/s sequential | runs/s 2-way parallel |"
		echo "|---|---:|---:|---|---:|---:|"
		for name in "${NAMES[@]}"; do
			local bin=${BIN[$name]:-$WORK/lowerbound} tp1 tp2 sc
			tp1=$(median_of tp1 "$name")
			tp2=$(median_of tp2 "$name")
			sc=$(median_of syscalls "$name")
			echo "| $name | $(col2_max rss "$name") | ${sc:--}" \
				"| $(binary_size "$bin")" \
				"| $([ -n "$tp1" ] && awk -v t="$tp1" -v c="$TP" 'BEGIN { printf "%.0f", c / (t / 1e9) }' || echo -)" \
				"| $([ -n "$tp2" ] && awk -v t="$tp2" -v c="$TP" 'BEGIN { printf "%.0f", c / (t / 1e9) }' || echo -) |"
		done
		echo
		echo "peak RSS: the largest ru_maxrss that wait4(2) reports for the contender's whole" \
			"process tree (re-executions and the container's init included), max of" \
			"${BENCH_RSS_N:-10} runs of the same config with /bin/true replaced by a one-page" \
			"static binary (bench/tinytrue.c), so busybox's own ~1.2 MB does not hide the" \
			"runtime's. syscalls: \`strace -f -c\`, all processes, median of" \
			"${BENCH_STRACE_N:-3} runs (busybox's /bin/true included; see lowerbound for the floor)." \
			"throughput: $TP runs of \`run\`, median of ${BENCH_TP_ROUNDS:-5} rounds."
		echo
		echo "## Targets (issue 9)"
		echo
		local r1 r2 r3 rss sc
		r1=$(ratio "$mini_run" "$(median_of run crun)")
		r2=$(ratio "$mini_run" "$(median_of run lowerbound)")
		r3=$(ratio "$mini_cycle" "$(median_of cycle crun)")
		rss=$(col2_max rss mini-runtime)
		[ "$rss" != - ] || rss=
		sc=$(median_of syscalls mini-runtime)
		echo "| target | measured | |"
		echo "|---|---:|---|"
		echo "| run median <= 0.5 x crun's | $r1 x | $(verdict "$r1" "<=" 0.5) |"
		echo "| run median <= 2 x lowerbound's | $r2 x | $(verdict "$r2" "<=" 2) |"
		echo "| (for reference, not a target) run median / lowerbound-cg's | $(ratio "$mini_run" "$(median_of run lowerbound-cg)") x | |"
		echo "| create+start+delete <= 0.6 x crun's | $r3 x | $(verdict "$r3" "<=" 0.6) |"
		echo "| peak RSS <= 1.5 MB (1536 KiB) | ${rss:-n/a} KiB | $(verdict "${rss:-n/a}" "<=" 1536) |"
		echo "| <= 300 syscalls per run | ${sc:-n/a} | $(verdict "${sc:-n/a}" "<=" 300) |"
	}
}

# slope NAME -> ms per masked path: least squares over the curve's medians
slope() {
	local n m pts=""
	for n in $K8S_CPUS; do
		m=$(median_of "k8s$n" "$1")
		[ -n "$m" ] && pts="$pts $n $m"
	done
	awk -v p="$pts" 'BEGIN {
		k = split(p, a, " ") / 2
		for (i = 0; i < k; i++) { x = a[2 * i + 1]; y = a[2 * i + 2] / 1e6; sx += x; sy += y; sxx += x * x; sxy += x * y }
		d = k * sxx - sx * sx
		if (k < 2 || d == 0) print "n/a"; else printf "%.4f", (k * sxy - sx * sy) / d }'
}

msq() { # msq VALUE_NS -> ms, or - when empty
	if [ -n "$1" ]; then ms "$1"; else echo -; fi
}

write_scenarios_report() {
	local n name row spec m floor mini crun runc
	if has_scenario k8s && [ -n "$(median_of "k8s${K8S_CPUS%% *}" mini-runtime)$(median_of "k8s${K8S_CPUS##* }" mini-runtime)" ]; then
		echo
		echo "## Kubernetes spec: \`run\` against the masked CPUs (median ms)"
		echo
		echo "containerd 1.6's default spec (\`ctr oci spec\`) with the CRI's additions" \
			"(bench/k8s.jq): the pod's cgroupsPath under a parent that exists in every" \
			"hierarchy, containerd's default seccomp profile" \
			"(bench/seccomp-containerd-1.6.json), binds of /etc/hosts, /etc/resolv.conf," \
			"/etc/hostname, /dev/shm, /dev/termination-log, the sandbox's net, ipc and" \
			"uts namespaces joined, and /sys/devices/system/cpu/cpuK/thermal_throttle" \
			"masked for K < N. ${BENCH_K8S_N:-20} interleaved iterations per point." \
			"floor: lowerbound -m, the plain floor plus the N masks (one tmpfs cloned" \
			"onto each), none of the spec's other work."
		echo
		echo "| masked CPUs | mini-runtime | crun | runc | floor | mini / crun | mini / runc | mini / floor |"
		echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
		for n in $K8S_CPUS; do
			mini=$(median_of "k8s$n" mini-runtime)
			crun=$(median_of "k8s$n" crun)
			runc=$(median_of "k8s$n" runc)
			floor=$(median_of "k8s$n" lowerbound-k8s)
			echo "| $n | $(msq "$mini") | $(msq "$crun") | $(msq "$runc") | $(msq "$floor")" \
				"| $(ratio "$mini" "$crun") | $(ratio "$mini" "$runc") | $(ratio "$mini" "$floor") |"
		done
		local sm sc sr sf
		sm=$(slope mini-runtime)
		sc=$(slope crun)
		sr=$(slope runc)
		sf=$(slope lowerbound-k8s)
		echo "| slope, ms per masked path | $sm | $sc | $sr | $sf" \
			"| $(awk -v a="$sm" -v b="$sc" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')" \
			"| $(awk -v a="$sm" -v b="$sr" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')" \
			"| $(awk -v a="$sm" -v b="$sf" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }') |"
	fi
	if has_scenario exec && [ -s "$WORK/data/exec-plain.mini-runtime" ]; then
		echo
		echo "## \`exec ID /bin/true\` into a running container (median ms)"
		echo
		echo "${BENCH_EXEC_N:-60} interleaved iterations. plain: the \`runc spec\` bundle" \
			"running sleep; k8s: the Kubernetes spec above with 128 masked CPUs. floor:" \
			"lowerbound -e, setns into the container's five namespaces, fork, execve."
		echo
		echo "| spec | mini-runtime | crun | runc | floor | mini / crun | mini / runc | mini / floor |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|"
		for spec in plain k8s; do
			mini=$(median_of "exec-$spec" mini-runtime)
			crun=$(median_of "exec-$spec" crun)
			runc=$(median_of "exec-$spec" runc)
			floor=$(median_of "exec-$spec" lowerbound-exec)
			echo "| $spec | $(msq "$mini") | $(msq "$crun") | $(msq "$runc") | $(msq "$floor")" \
				"| $(ratio "$mini" "$crun") | $(ratio "$mini" "$runc") | $(ratio "$mini" "$floor") |"
		done
	fi
	if has_scenario density && [ -s "$WORK/data/dens.mini-runtime" ]; then
		echo
		echo "## Density: ${BENCH_DENSITY:-100} containers created and started back to back, then deleted"
		echo
		echo "Median of ${BENCH_DENSITY_ROUNDS:-3} rounds (the \`runc spec\` bundle running" \
			"sleep; \`delete --force\`). peak RSS: the largest ru_maxrss of any runtime" \
			"process of the rounds (each container is started right after its create," \
			"so one runtime process and one waiting init are alive at a time; the" \
			"running containers are the same busybox sleep for all)."
		echo
		echo "| runtime | create+start (s) | delete (s) | total (s) | total / mini-runtime's | peak RSS per runtime process (KiB) |"
		echo "|---|---:|---:|---:|---:|---:|"
		mini=$(median_of dens mini-runtime)
		for name in "${RUNTIMES[@]}"; do
			m=$(median_of dens "$name")
			echo "| $name | $(awk -v n="$(median_of dens-up "$name")" 'BEGIN { printf "%.2f", n / 1e9 }')" \
				"| $(awk -v n="$(median_of dens-down "$name")" 'BEGIN { printf "%.2f", n / 1e9 }')" \
				"| $(awk -v n="$m" 'BEGIN { printf "%.2f", n / 1e9 }') | $(ratio "$m" "$mini")" \
				"| $(col2_max dens "$name") |"
		done
	fi
	echo
	echo "## Targets (issue 20)"
	echo
	echo "| target | measured | |"
	echo "|---|---:|---|"
	local r
	if has_scenario k8s; then
		r=$(ratio "$(median_of k8s128 mini-runtime)" "$(median_of k8s128 crun)")
		echo "| k8s spec, 128 masked: run <= 0.5 x crun's | $r x | $(verdict "$r" "<=" 0.5) |"
		r=$(awk -v a="$(slope mini-runtime)" -v b="$(slope crun)" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')
		echo "| k8s curve: slope <= 0.5 x crun's | $r x | $(verdict "$r" "<=" 0.5) |"
	fi
	if has_scenario plain; then
		r=$(ratio "$(median_of run mini-runtime)" "$(median_of run lowerbound)")
		echo "| plain bundle: run <= 1.3 x the floor (lowerbound) | $r x | $(verdict "$r" "<=" 1.3) |"
		r=$(ratio "$(median_of run mini-runtime)" "$(median_of run crun)")
		echo "| plain bundle: run <= 0.5 x crun's | $r x | $(verdict "$r" "<=" 0.5) |"
	fi
	if has_scenario exec; then
		for spec in plain k8s; do
			r=$(ratio "$(median_of "exec-$spec" mini-runtime)" "$(median_of "exec-$spec" crun)")
			echo "| exec ($spec): <= 0.5 x crun's | $r x | $(verdict "$r" "<=" 0.5) |"
		done
	fi
	if has_scenario density; then
		r=$(ratio "$(median_of dens mini-runtime)" "$(median_of dens crun)")
		echo "| density: ${BENCH_DENSITY:-100} containers <= 0.5 x crun's wall time | $r x | $(verdict "$r" "<=" 0.5) |"
		r=$(col2_max dens mini-runtime)
		echo "| density: peak RSS <= 1.5 MB per runtime process | $r KiB | $(verdict "$([ "$r" = - ] && echo n/a || echo "$r")" "<=" 1536) |"
	fi
}

# the k8s curve (k8s.png), exec (exec.png) and density (density.png)
write_scenario_charts() {
	local term=$1 n name dat=$RESULTS/k8s.dat
	if has_scenario k8s && [ -s "$WORK/data/k8s${K8S_CPUS%% *}.mini-runtime" ]; then
		{
			echo "# masked_cpus ${K8S_NAMES[*]} (median ms of run)"
			for n in $K8S_CPUS; do
				printf "%s" "$n"
				for name in "${K8S_NAMES[@]}"; do
					m=$(median_of "k8s$n" "$name")
					printf " %s" "$([ -n "$m" ] && ms "$m" || echo '?')"
				done
				echo
			done
		} >"$dat"
		{
			echo "set terminal $term"
			echo "set output '$RESULTS/k8s.png'"
			local last=${K8S_CPUS##* } sr
			sr=$(awk -v a="$(slope mini-runtime)" -v b="$(slope crun)" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')
			echo "set title \"run of the Kubernetes spec against masked CPUs (median of ${BENCH_K8S_N:-20} interleaved)\\nmini-runtime / crun: $(ratio "$(median_of "k8s$last" mini-runtime)" "$(median_of "k8s$last" crun)") at $last, slope $sr\""
			echo "set xlabel 'masked CPUs (thermal\\_throttle directories)'"
			echo "set ylabel 'ms'"
			echo "set datafile missing '?'"
			echo "set key left top"
			echo "set grid"
			echo "set yrange [0:*]"
			printf "plot "
			local c=2
			for name in "${K8S_NAMES[@]}"; do
				[ $c = 2 ] || printf ", "
				printf "'%s' using 1:%d with linespoints lw 2 pt 7 title '%s'" "$dat" $c "$name"
				c=$((c + 1))
			done
			echo
		} | gnuplot || echo "bench: warning: gnuplot failed to draw k8s.png" >&2
	fi
	if has_scenario exec && [ -s "$WORK/data/exec-plain.mini-runtime" ]; then
		dat=$WORK/data/exec.dat
		{
			echo "contender plain k8s"
			for name in "${EXEC_NAMES[@]}"; do
				printf "%s" "$name"
				for spec in plain k8s; do
					m=$(median_of "exec-$spec" "$name")
					printf " %s" "$([ -n "$m" ] && ms "$m" || echo 0)"
				done
				echo
			done
		} >"$dat"
		{
			echo "set terminal $term"
			echo "set output '$RESULTS/exec.png'"
			echo "set title \"exec ID /bin/true, median ms (${BENCH_EXEC_N:-60} interleaved)\\nmini-runtime / crun: plain $(ratio "$(median_of exec-plain mini-runtime)" "$(median_of exec-plain crun)"), k8s $(ratio "$(median_of exec-k8s mini-runtime)" "$(median_of exec-k8s crun)")\""
			echo "set ylabel 'ms'"
			echo "set style data histograms"
			echo "set style histogram clustered gap 1"
			echo "set style fill solid 0.6 border -1"
			echo "set key left top"
			echo "set grid ytics"
			echo "set yrange [0:*]"
			echo "plot '$dat' using 2:xtic(1) title columnheader, '' using 3 title columnheader"
		} | gnuplot || echo "bench: warning: gnuplot failed to draw exec.png" >&2
	fi
	if has_scenario density && [ -s "$WORK/data/dens.mini-runtime" ]; then
		dat=$WORK/data/density.dat
		{
			echo "runtime create+start delete"
			for name in "${RUNTIMES[@]}"; do
				printf "%s %s %s\n" "$name" \
					"$(awk -v n="$(median_of dens-up "$name")" 'BEGIN { printf "%.3f", n / 1e9 }')" \
					"$(awk -v n="$(median_of dens-down "$name")" 'BEGIN { printf "%.3f", n / 1e9 }')"
			done
		} >"$dat"
		{
			echo "set terminal $term"
			echo "set output '$RESULTS/density.png'"
			echo "set title \"${BENCH_DENSITY:-100} containers: create+start back to back, then delete (s, median of ${BENCH_DENSITY_ROUNDS:-3})\\nmini-runtime / crun: $(ratio "$(median_of dens mini-runtime)" "$(median_of dens crun)")\""
			echo "set ylabel 's'"
			echo "set style data histograms"
			echo "set style histogram rowstacked"
			echo "set style fill solid 0.6 border -1"
			echo "set boxwidth 0.5"
			echo "set key left top"
			echo "set grid ytics"
			echo "plot for [c=2:3] '$dat' using c:xtic(1) title columnheader"
		} | gnuplot || echo "bench: warning: gnuplot failed to draw density.png" >&2
	fi
}

write_charts() {
	local term="pngcairo size 900,560 font 'sans,10'"
	gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo || term="png size 900,560"
	write_scenario_charts "$term"
	has_scenario plain || return 0
	local dat=$RESULTS/run.dat name i have=()
	# one column per contender, one row per iteration, ms; ? = no value
	for name in "${NAMES[@]}"; do
		[ -s "$WORK/data/run.$name" ] && have+=("$name")
	done
	[ ${#have[@]} -gt 0 ] || return 0
	echo "# run of /bin/true, ms, one row per interleaved iteration: ${have[*]}" >"$dat"
	for name in "${have[@]}"; do
		echo "$WORK/data/run.$name"
	done | xargs awk '
		FNR == 1 { f++ }
		{ v[f, FNR] = sprintf("%.3f", $1 / 1e6); if (FNR > rows) rows = FNR }
		END {
			for (r = 1; r <= rows; r++) {
				line = ""
				for (c = 1; c <= f; c++)
					line = line (c > 1 ? " " : "") ((c, r) in v ? v[c, r] : "?")
				print line
			}
		}' >>"$dat"
	local term="pngcairo size 900,560 font 'sans,10'"
	gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo || term="png size 900,560"
	{
		echo "set terminal $term"
		echo "set output '$RESULTS/run.png'"
		echo "set title \"run of /bin/true, $N interleaved iterations (box: p25-p75, line: median, whiskers: 1.5 IQR)\""
		echo "set ylabel 'ms'"
		echo "set datafile missing '?'"
		echo "set style data boxplot"
		echo "set style boxplot outliers pointtype 7"
		echo "set pointsize 0.3"
		echo "set style fill solid 0.35 border -1"
		echo "set boxwidth 0.5"
		echo "set yrange [0:*]"
		echo "set xrange [0.5:${#have[@]}.5]"
		echo "set grid ytics"
		echo "unset key"
		printf "set xtics ("
		for i in "${!have[@]}"; do
			printf "%s\"%s\" %d" "$([ "$i" = 0 ] || echo ", ")" "${have[$i]}" $((i + 1))
		done
		echo ")"
		echo "plot for [i=1:${#have[@]}] '$dat' using (i):i lc i"
	} | gnuplot || echo "bench: warning: gnuplot failed to draw run.png" >&2
	# lifecycle: phase medians stacked per runtime
	local ldat=$WORK/data/lifecycle.dat v p
	{
		echo "runtime create start wait delete"
		for name in "${RUNTIMES[@]}"; do
			printf "%s" "$name"
			for p in create start wait delete; do
				v=$(median_of "$p" "$name")
				printf " %s" "$([ -n "$v" ] && ms "$v" || echo 0)"
			done
			echo
		done
	} >"$ldat"
	{
		echo "set terminal $term"
		echo "set output '$RESULTS/lifecycle.png'"
		echo "set title 'lifecycle phases, median ms ($N interleaved iterations)'"
		echo "set ylabel 'ms'"
		echo "set style data histograms"
		echo "set style histogram rowstacked"
		echo "set style fill solid 0.6 border -1"
		echo "set boxwidth 0.5"
		echo "set key outside right top"
		echo "set grid ytics"
		echo "plot for [c=2:5] '$ldat' using c:xtic(1) title columnheader"
	} | gnuplot || echo "bench: warning: gnuplot failed to draw lifecycle.png" >&2
}

inner() {
	local name
	SCENARIOS=${BENCH_SCENARIOS:-plain k8s exec density}
	if [ "${BENCH_QUICK:-0}" = 1 ]; then
		: "${BENCH_N:=30}" "${BENCH_TP_ROUNDS:=2}" "${BENCH_RSS_N:=5}" "${BENCH_STRACE_N:=1}"
		: "${BENCH_K8S_N:=6}" "${BENCH_EXEC_N:=20}" "${BENCH_DENSITY_ROUNDS:=1}"
		export BENCH_TP_ROUNDS BENCH_RSS_N BENCH_STRACE_N BENCH_K8S_N BENCH_EXEC_N BENCH_DENSITY_ROUNDS
	fi
	N=${BENCH_N:-100}
	TP=${BENCH_TP:-40}
	K8S_CPUS=${BENCH_K8S_CPUS:-0 16 64 128 256}
	RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results}
	BIN=([mini-runtime]=$MINI [crun]=${CRUN:-$(command -v crun)} [runc]=${RUNC:-$(command -v runc)})
	CRUN_NOTE=
	if [ -z "${CRUN:-}" ]; then
		CRUN_NOTE="crun is the one on PATH (Debian's 1.8.1 here), not the 1.27.1 anchor: set CRUN=path"
		echo "bench: $CRUN_NOTE" >&2
	fi
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
	IDP=bench$$ # container ids: unique to this run, contender and measurement
	mkdir -p "$RESULTS"
	if mountpoint -q /sys/fs/cgroup/unified; then
		umount /sys/fs/cgroup/unified
	fi
	echo "bench: in a private mount namespace with /sys/fs/cgroup/unified unmounted" \
		"(crun 1.8 refuses hybrid cgroups otherwise); all contenders run in it"
	trap cleanup_inner EXIT
	mkdir -p "$WORK/root"
	STATE_FS="$(stat -f -c %T "$WORK/root") ($WORK)"
	if [ "${BENCH_STATE_TMPFS:-1}" = 1 ]; then
		# only in our namespace: gone when the bench ends
		mount -t tmpfs -o mode=0700 bench-state "$WORK/root"
		STATE_FS="tmpfs, like /run"
	fi
	CG_WARM="no: cgroup task moves may wait for an RCU grace period, as they do on this machine"
	if [ "${BENCH_CGROUP_WARM:-0}" = 1 ]; then
		local h=/sys/fs/cgroup
		[ -d /sys/fs/cgroup/devices ] && h=/sys/fs/cgroup/devices
		"$WORK/cgwarm" "$h" &
		WARM_PID=$!
		CG_WARM="yes (BENCH_CGROUP_WARM=1): bench/cgwarm.c kept cgroup task moves from waiting for an RCU grace period"
		echo "bench: cgwarm running on $h (pid $WARM_PID)"
	fi
	if has_scenario plain; then
		interleaved_loop "$N"
		echo "bench: peak RSS (${BENCH_RSS_N:-10} runs each) and syscalls (strace -f -c)"
		rss_loop
		strace_loop
		throughput_loop
	fi
	if has_scenario k8s || has_scenario exec; then
		k8s_setup
	fi
	has_scenario k8s && k8s_loop
	has_scenario exec && exec_loop
	has_scenario density && density_loop
	cleanup_inner
	write_report
	write_charts
	echo
	cat "$RESULTS/results.md"
	echo
	echo "bench: wrote $RESULTS/results.md and the charts"
	if [ -s "$WORK/data/error.mini-runtime" ]; then
		echo "bench: mini-runtime failed ${FAILS[mini-runtime]} measurements:" \
			"$(cat "$WORK/data/error.mini-runtime")" >&2
		return 1
	fi
}

if [ "${1:-}" = --inner ]; then
	inner
else
	outer "$@"
fi
