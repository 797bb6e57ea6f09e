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
# Output: $BENCH_RESULTS/results.md, run.png, lifecycle.png, run.dat; the
# tables are printed as well. Exit status 1 when mini-runtime failed.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
	echo "bench: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- set-up --

# command -> Debian package
declare -A NEED_PKG=([gcc]=gcc [runc]=runc [crun]=crun [strace]=strace [gnuplot]=gnuplot-nox
	[jq]=jq [unshare]=util-linux [timeout]=coreutils [ldd]=libc-bin)

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
	mkdir -p "$WORK/data"
	export MINI WORK BENCH_DIR
	# timeout signals its whole process group; timeit -R reaps the inits
	# that runtimes leave behind after `create` exits
	timeout -k 10 "${BENCH_TIMEOUT:-1500}" unshare -m --propagation private \
		"$WORK/timeit" -R -- "$BENCH_DIR/run.sh" --inner
}

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
		for id in $(ls "$WORK/root/$name" 2>/dev/null); do
			force_delete "$name" "$id"
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
			printf "%d %d %d %d %d\n", med, v[1], q(0.10), q(0.90), NR
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
	local md=$RESULTS/results.md name s med min p10 p90 cnt mini_run
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
			"$(crun --version | head -n 1); $(runc --version | head -n 1);" \
			"lowerbound and lowerbound-cg (bench/lowerbound.c, without and with -c)"
		echo "- bundle: busybox-static rootfs, config.json from \`runc spec\`" \
			"(process.terminal false, args [\"/bin/true\"])"
		echo "- all contenders ran inside one private mount namespace" \
			"(\`unshare -m --propagation private\`) with /sys/fs/cgroup/unified unmounted:" \
			"crun 1.8 refuses hybrid-cgroup hosts otherwise"
		echo "- interleaved: $N iterations, each running every contender once, in an order that" \
			"changes every iteration (each contender first, and after each other one, equally often)," \
			"so drifting load from other work on the machine hits all contenders alike" \
			"(compare ratios, not absolute times)"
		echo "- state (--root) of each runtime: a private directory on $STATE_FS"
		echo "- cgroup moves kept warm: $CG_WARM"
		echo "- reproduce: \`make bench\` (or \`bench/run.sh ./mini-runtime\`; BENCH_N=$N)"
		echo
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
		local any=0
		for name in "${NAMES[@]}"; do
			if [ -s "$WORK/data/error.$name" ]; then
				[ $any = 1 ] || printf '\n## Failures\n\n'
				any=1
				echo "- $name (${FAILS[$name]:-0} failed measurements): first error: \`$(tr -d '`' <"$WORK/data/error.$name")\`"
			fi
		done
	} >"$md"
}

write_charts() {
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
	N=${BENCH_N:-100}
	TP=${BENCH_TP:-40}
	RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results}
	BIN=([mini-runtime]=$MINI [crun]=$(command -v crun) [runc]=$(command -v runc))
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
	interleaved_loop "$N"
	echo "bench: peak RSS (${BENCH_RSS_N:-10} runs each) and syscalls (strace -f -c)"
	rss_loop
	strace_loop
	throughput_loop
	cleanup_inner
	write_report
	write_charts
	echo
	cat "$RESULTS/results.md"
	echo
	echo "bench: wrote $RESULTS/results.md, run.png, lifecycle.png, run.dat"
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
