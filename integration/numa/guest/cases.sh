# shellcheck shell=dash
# cases.sh - the NUMA placement cases, sourced by the guest's init.
#
# A placement case runs `mini-runtime run` on a real bundle whose process is
# `probe hold 64`: the probe writes every page of a 64 MiB region, prints
# "region ADDR 64" and waits. The driver then reads that region's line in
# /proc/PID/numa_maps of the container's process - from outside the
# container - and asserts the policy the kernel shows and where the pages
# are (N<node>=<pages>):
#   - all 16384 pages of the region are counted, and a node the case does
#     not expect holds none of them;
#   - for a split (interleave), each expected node holds its share within
#     1% of the region (163 pages); for one node, that means all of them.
# The guest boots with numa_balancing=disable and transparent_hugepage=never,
# and the container is pinned to one CPU (linux.resources.cpu.cpus), so the
# node its local allocations come from is fixed.
#
# An invalid case asserts run's exit code, our message and that nothing was
# left behind (state, mounts, processes, cgroups).

MB=64
TOTAL=$((MB * 256))
R=/run/mini-runtime
CG=/sys/fs/cgroup
WEIGHTS=/sys/kernel/mm/mempolicy/weighted_interleave

suite_cases() {
	case $1 in
	four)
		echo bind-one bind-two interleave-2 interleave-4 weighted-interleave \
			weighted-interleave-refused preferred preferred-many local default \
			numa-balancing fork-inherit exec-inherit cpuset-plain cpuset-static \
			cpuset-relative cpuset-relative-interleave cpuset-refused cpuset-refused-kernel \
			invalid-offline-node invalid-static-relative invalid-balancing-interleave \
			invalid-local-nodes annotation-interleave
		;;
	sparse)
		echo sparse-online sparse-bind-63 sparse-bind-64 sparse-interleave sparse-invalid-gap
		;;
	esac
}

# --- helpers ------------------------------------------------------------------

run_case() { "case_$(echo "$1" | tr - _)"; }

rt() { mini-runtime --root "$R" "$@"; }

fail() {
	echo "$*"
	return 1
}

# bundle ID CPU POLICY_JSON [ARGS_JSON [RESOURCES_JSON]]: $B=/tmp/b/ID with
# the template config (run.sh made it from `mini-runtime spec`), this
# linux.memoryPolicy, these process args (default: probe hold 64) and these
# linux.resources (default: cpu.cpus CPU, which pins the container to CPU
# through its cpuset; taskset alone does not last on Linux 6.1, where
# joining a cpuset resets the affinity).
bundle() {
	ID=$1 CPU=$2 B=/tmp/b/$1
	shift 2
	local args=${2:-"[\"probe\",\"hold\",\"$MB\"]"} res=${3:-}
	[ -n "$res" ] || res="{\"cpu\":{\"cpus\":\"$CPU\"}}"
	mkdir -p "$B"
	sed -e "s|\"@POLICY@\"|$(sed_escape "$1")|" -e "s|\\[\"@ARGS@\"\\]|$(sed_escape "$args")|" \
		-e "s|\"@RESOURCES@\"|$(sed_escape "$res")|" "${TEMPLATE:-/numa/config.json}" >"$B/config.json"
}

# bundle_annotated ID CPU VALUE: as bundle, from run.sh's second template,
# whose policy is the device-injector annotation of container "app" (VALUE,
# YAML without double quotes), beside a /pod one that must lose.
bundle_annotated() {
	TEMPLATE=/numa/config-annotated.json
	bundle "$1" "$2" unused
	TEMPLATE=
	sed -i "s|@ANNOTATION@|$(sed_escape "$3")|" "$B/config.json"
}

sed_escape() { echo "$1" | sed 's/[&|\\]/\\&/g'; }

# launch: `mini-runtime run` of $B in the background, started on $CPU.
launch() {
	taskset -c "$CPU" mini-runtime --root "$R" run --bundle "$B" "$ID" \
		</dev/null >"$B/out" 2>"$B/err" &
	RUNPID=$!
}

# wait_regions FILE N: until FILE has N "region" lines (the probe has
# written N regions), at most 120 s.
wait_regions() {
	local i=0
	# (cat: grep -c prints nothing for a file run has not created yet)
	while [ "$(cat "$1" 2>/dev/null | grep -c '^region ')" -lt "$2" ]; do
		kill -0 "$RUNPID" 2>/dev/null || fail "run exited early: $(cat "$B/err" "$1")" || return 1
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "the probe wrote no region $2 in 120 s" || return 1
		sleep 0.1
	done
}

# wait_bounded PID SECONDS: waits for our child PID at most SECONDS; its
# exit status, or 124 after a SIGKILL when it still runs then (a hang must
# fail the case, not stall the guest).
wait_bounded() {
	local i=0 rc=0
	while ! exited "$1"; do
		i=$((i + 1))
		if [ $i -ge $(($2 * 10)) ]; then
			kill -9 "$1"
			wait "$1"
			return 124
		fi
		sleep 0.1
	done
	wait "$1" || rc=$?
	return $rc
}

# exited PID: gone or a zombie (field 3 of /proc/PID/stat; our programs'
# names have no spaces).
exited() {
	local line
	read -r line <"/proc/$1/stat" 2>/dev/null || return 0
	set -- $line
	[ "$3" = Z ]
}

container_pid() {
	rt state "$ID" | sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p' | head -n 1
}

# region_line FILE N PID: the numa_maps line of PID for the Nth region the
# probe reported in FILE.
region_line() {
	local addr
	addr=$(grep '^region ' "$1" | sed -n "$2p" | cut -d' ' -f2)
	[ -n "$addr" ] || fail "no region $2 in the probe's output" || return 1
	grep "^$addr " "/proc/$3/numa_maps" || fail "no numa_maps line at $addr in /proc/$3"
}

# "7f0.. weighted interleave:1-2 anon=16384 ..." -> "weighted interleave:1-2"
policy_of() { echo "$1" | sed 's/^[0-9a-f]* //; s/ anon=.*//'; }

# check KIND LINE SPEC: prints the counts and fails unless the pages are
# where SPEC says. KIND split: SPEC is "NODE:WEIGHT ..." and each node
# holds its weight's share of the region, within 1% of the region. KIND
# within: SPEC is "NODE ..." and those nodes together hold every page.
check() {
	echo "$2" | awk -v kind="$1" -v spec="$3" -v total="$TOTAL" '
	{
		for (i = 1; i <= NF; i++)
			if ($i ~ /^N[0-9]+=[0-9]+$/) {
				split(substr($i, 2), kv, "=")
				n[kv[1]] = kv[2]; sum += kv[2]; got = got " N" kv[1] "=" kv[2]
			}
	}
	END {
		ns = split(spec, parts, " ")
		for (i = 1; i <= ns; i++) {
			m = split(parts[i], kv, ":")
			node[i] = kv[1]; w[i] = (m > 1 ? kv[2] : 1); wsum += w[i]; listed[kv[1]] = 1
		}
		tol = int(total / 100)
		bad = ""
		if (sum != total)
			bad = bad "; " sum " pages counted, want " total
		for (k in n)
			if (!(k in listed) && n[k] > 0)
				bad = bad "; node " k " has " n[k] " pages, want 0"
		if (kind == "split")
			for (i = 1; i <= ns; i++) {
				want = total * w[i] / wsum
				d = n[node[i]] - want
				if (d < 0) d = -d
				if (d > tol)
					bad = bad "; node " node[i] " has " n[node[i]] + 0 " pages, want " \
						int(want + 0.5) " +-" tol
			}
		print substr(got, 2) (bad == "" ? "" : " FAIL" bad)
		exit bad != ""
	}'
}

# observe FILE N PID KIND SPEC POLICY: region N of PID is placed per SPEC
# and numa_maps shows POLICY; prints "policy=... N..=..".
observe() {
	local line pol counts
	line=$(region_line "$1" "$2" "$3") || fail "$line" || return 1
	pol=$(policy_of "$line")
	counts=$(check "$4" "$line" "$5")
	local ok=$?
	echo "policy=$pol $counts"
	[ "$pol" = "$6" ] || fail "numa_maps shows policy \"$pol\", want \"$6\"" || return 1
	return $ok
}

# stop: SIGTERM to the probe through the runtime; run must exit 0 (the
# probe's status) and leave nothing behind.
stop() {
	rt kill "$ID" TERM || fail "kill $ID failed" || return 1
	local rc=0
	wait_bounded "$RUNPID" 30 || rc=$?
	[ $rc != 124 ] || fail "run did not exit within 30 s of its process: killed" || return 1
	[ $rc = 0 ] || fail "run exited $rc: $(cat "$B/err")" || return 1
	nothing_left
}

nothing_left() {
	[ ! -e "$R/$ID" ] || fail "state $R/$ID is left" || return 1
	! grep -q " /tmp/b/$ID\| /rootfs" /proc/mounts || fail "mounts left: $(grep " /tmp/b/$ID\| /rootfs" /proc/mounts)" || return 1
	local left i=0
	# a process in the middle of exiting (no exe, not yet reaped) is not
	# left behind: give it 2 s
	while left=$(ours) && [ -n "$left" ] && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -z "$left" ] || fail "processes left: $left($(procs_status "$left"))" || return 1
	left=$(ls -d "$CG"/mini-runtime/*/ 2>/dev/null)
	[ -z "$left" ] || fail "cgroups left: $left"
}

# procs_status "PID -> EXE ...": their state and parent, for the message.
procs_status() {
	local p
	for p in $(echo "$1" | grep -o '[0-9]* ->' | cut -d' ' -f1); do
		printf '%s: %s %s; ' "$p" "$(grep '^State' "/proc/$p/status" 2>/dev/null)" \
			"$(grep '^PPid' "/proc/$p/status" 2>/dev/null)"
	done
}

# ours: "PID -> EXE" of every process of a container (in a PID namespace
# other than ours) or of the runtime (also when it runs from a memfd copy).
# One ls: a loop of readlinks forks per process, which is slow under TCG.
ours() {
	ls -l /proc/[0-9]*/exe /proc/[0-9]*/ns/pid 2>/dev/null |
		awk -v me="$(readlink /proc/1/ns/pid)" '
		{
			for (i = 1; i <= NF && $i != "->"; i++) ;
			split($(i - 1), a, "/"); pid = a[3]; t = $(i + 1)
			for (j = i + 2; j <= NF; j++) t = t " " $j
		}
		$(i - 1) ~ /\/exe$/ { exe[pid] = t }
		$(i - 1) ~ /\/ns\/pid$/ && t != me { other[pid] = 1 }
		END {
			for (p in exe)
				if (other[p] || exe[p] ~ /mini-runtime|memfd/)
					printf "%s -> %s ", p, exe[p]
		}'
}

# placed KIND SPEC POLICY: run $B, check that its process may run on $CPU
# only, that its region is placed per KIND SPEC (see check) under POLICY;
# then stop it.
placed() {
	local pid res cpus
	launch
	wait_regions "$B/out" 1 || return 1
	pid=$(container_pid)
	[ -n "$pid" ] || fail "no pid in state $ID" || return 1
	cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$pid/status")
	[ "$cpus" = "$CPU" ] || fail "the container may run on CPUs $cpus, want $CPU" || return 1
	res=$(observe "$B/out" 1 "$pid" "$1" "$2" "$3") || fail "$res" || return 1
	stop || return 1
	echo "cpu $CPU: $res"
}

# refused MESSAGE: run $B must exit 1 with MESSAGE on stderr, the probe
# must never have run, and nothing may be left.
refused() {
	local rc=0
	# a policy wrongly accepted leaves the probe holding: SIGTERM after 20 s
	timeout 20 mini-runtime --root "$R" run --bundle "$B" "$ID" \
		</dev/null >"$B/out" 2>"$B/err" || rc=$?
	[ $rc = 1 ] || fail "run exited $rc, want 1: $(cat "$B/err" "$B/out")" || return 1
	grep -qF "$1" "$B/err" || fail "stderr \"$(cat "$B/err")\" lacks \"$1\"" || return 1
	[ ! -s "$B/out" ] || fail "the container ran: $(cat "$B/out")" || return 1
	nothing_left || return 1
	cat "$B/err"
}

kernel_at_least() { # MAJOR MINOR
	uname -r | awk -F. -v a="$1" -v b="$2" '{ exit !($1 > a || ($1 == a && $2 >= b)) }'
}

# Run after every case, in the driver's own shell: nothing of a failed case
# may spill into the next.
cleanup_case() {
	local id p left
	for id in "$R"/*; do
		[ -d "$id" ] || continue
		id=${id##*/}
		echo "numa: cleanup: deleting container $id left by $1"
		timeout 30 mini-runtime --root "$R" delete --force "$id" >/dev/null 2>&1 ||
			echo "numa: cleanup: delete --force $id failed or hung"
	done
	# (processes without an exe are exiting: nothing to kill)
	left=$(ours | sed 's/[0-9]* ->  //g')
	if [ -n "$left" ]; then
		echo "numa: cleanup: killing $left left by $1"
		for p in $(echo "$left" | grep -o '[0-9]* ->' | cut -d' ' -f1); do
			kill -9 "$p"
		done
	fi
	# an empty cpuset.mems takes the parent's (case cpuset-refused-kernel)
	[ ! -e "$CG/mini-runtime/cpuset.mems" ] || echo "" >"$CG/mini-runtime/cpuset.mems"
	for p in "$WEIGHTS"/node*; do
		[ -w "$p" ] && echo 1 >"$p"
	done 2>/dev/null
	rm -rf /tmp/b
}

# --- four nodes (0-3, 256 MiB and CPU N on node N) ----------------------------

case_bind_one() {
	bundle bind-one 0 '{"mode":"MPOL_BIND","nodes":"2"}'
	placed split "2" "bind:2"
}

case_bind_two() {
	bundle bind-two 0 '{"mode":"MPOL_BIND","nodes":"1,3"}'
	placed within "1 3" "bind:1,3"
}

case_interleave_2() {
	bundle interleave-2 0 '{"mode":"MPOL_INTERLEAVE","nodes":"1-2"}'
	placed split "1 2" "interleave:1-2"
}

case_interleave_4() {
	bundle interleave-4 3 '{"mode":"MPOL_INTERLEAVE","nodes":"0-3"}'
	placed split "0 1 2 3" "interleave:0-3"
}

case_weighted_interleave() {
	kernel_at_least 6 9 ||
		{ echo "kernel $(uname -r) has no MPOL_WEIGHTED_INTERLEAVE (Linux 6.9)"; return 77; }
	# host-wide weights: the runtime leaves them alone
	echo 1 >"$WEIGHTS/node1" && echo 3 >"$WEIGHTS/node2" || fail "cannot set weights" || return 1
	bundle weighted-interleave 0 '{"mode":"MPOL_WEIGHTED_INTERLEAVE","nodes":"1-2"}'
	placed split "1:1 2:3" "weighted interleave:1-2"
}

case_weighted_interleave_refused() {
	! kernel_at_least 6 9 ||
		{ echo "kernel $(uname -r) has MPOL_WEIGHTED_INTERLEAVE"; return 77; }
	bundle weighted-interleave-refused 0 '{"mode":"MPOL_WEIGHTED_INTERLEAVE","nodes":"1-2"}'
	refused "linux.memoryPolicy.mode: MPOL_WEIGHTED_INTERLEAVE needs Linux 6.9 or later"
}

case_preferred() {
	bundle preferred 0 '{"mode":"MPOL_PREFERRED","nodes":"3"}'
	placed split "3" "prefer:3"
}

case_preferred_many() {
	bundle preferred-many 0 '{"mode":"MPOL_PREFERRED_MANY","nodes":"1-2"}'
	placed within "1 2" "prefer (many):1-2"
}

case_local() {
	bundle local 2 '{"mode":"MPOL_LOCAL"}'
	placed split "2" "local"
}

case_default() {
	bundle default 3 '{"mode":"MPOL_DEFAULT"}'
	placed split "3" "default"
}

case_numa_balancing() {
	bundle numa-balancing 3 '{"mode":"MPOL_BIND","nodes":"1","flags":["MPOL_F_NUMA_BALANCING"]}'
	placed split "1" "bind=balancing:1"
}

# The container's init is a shell; the probe is a process it forks.
case_fork_inherit() {
	local pid child res
	bundle fork-inherit 0 '{"mode":"MPOL_INTERLEAVE","nodes":"1,3"}' \
		'["sh","-c","probe hold 64 & wait"]'
	launch
	wait_regions "$B/out" 1 || return 1
	pid=$(container_pid)
	child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null | tr -d ' ')
	[ -n "$child" ] && [ "$(cat "/proc/$child/comm")" = probe ] ||
		fail "no probe child of the container's init $pid (children: $child)" || return 1
	res=$(observe "$B/out" 1 "$child" split "1 3" "interleave:1,3") || fail "$res" || return 1
	# the shell, its namespace's init, ignores SIGTERM: end the probe itself
	kill -TERM "$child"
	local rc=0
	wait_bounded "$RUNPID" 30 || rc=$?
	[ $rc != 124 ] || fail "run did not exit within 30 s of its process: killed" || return 1
	[ $rc = 0 ] || fail "run exited $rc: $(cat "$B/err")" || return 1
	nothing_left || return 1
	echo "forked pid $child (init $pid): $res"
}

# A process started with `mini-runtime exec` gets the container's policy.
case_exec_inherit() {
	if rt exec 2>&1 | grep -q 'unknown command'; then
		echo "mini-runtime has no exec command yet (fork-inherit covers inheritance)"
		return 77
	fi
	local pid p epid="" res
	bundle exec-inherit 0 '{"mode":"MPOL_BIND","nodes":"2"}' '["probe","hold","1"]'
	launch
	wait_regions "$B/out" 1 || return 1
	pid=$(container_pid)
	taskset -c 0 mini-runtime --root "$R" exec exec-inherit probe hold "$MB" \
		</dev/null >"$B/exec.out" 2>"$B/exec.err" &
	local execpid=$! runpid=$RUNPID
	RUNPID=$execpid
	wait_regions "$B/exec.out" 1 || return 1
	RUNPID=$runpid
	# the probe in the container's PID namespace that is not its init
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" != "$pid" ] && [ "$(cat "$p/comm" 2>/dev/null)" = probe ] &&
			[ "$(readlink "$p/ns/pid")" = "$(readlink "/proc/$pid/ns/pid")" ] &&
			epid=${p#/proc/}
	done
	[ -n "$epid" ] || fail "no exec'd probe process found" || return 1
	res=$(observe "$B/exec.out" 1 "$epid" split "2" "bind:2") || fail "$res" || return 1
	kill -TERM "$epid"
	local rc=0
	wait_bounded "$execpid" 30 || rc=$?
	[ $rc != 124 ] || fail "exec did not exit within 30 s of its process: killed" || return 1
	[ $rc = 0 ] || fail "exec exited $rc: $(cat "$B/exec.err")" || return 1
	stop || return 1
	echo "exec'd pid $epid: $res"
}

# cpuset_case POLICY MEMS1 SPEC1 POLICY1 MEMS2 SPEC2 POLICY2: the container's
# cgroup (the runtime's, from linux.resources.cpu.mems) has cpuset.mems
# MEMS1, and the policy is applied inside it: the first region must split
# per SPEC1. Then `mini-runtime update --cpuset-mems MEMS2` changes the
# cpuset, the kernel rebinds the task's policy (per its STATIC/RELATIVE
# flag) and the next region the probe writes must split per SPEC2.
cpuset_case() {
	local pid r1 r2 cg
	bundle "$ID" 0 "$1" "" "{\"cpu\":{\"cpus\":\"0\",\"mems\":\"$2\"}}"
	launch
	wait_regions "$B/out" 1 || return 1
	pid=$(container_pid)
	cg=$CG$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
	[ "$(cat "$cg/cpuset.mems.effective")" = "$2" ] ||
		fail "the container's cgroup $cg has mems $(cat "$cg/cpuset.mems.effective"), want $2" ||
		return 1
	r1=$(observe "$B/out" 1 "$pid" split "$3" "$4") || fail "mems $2: $r1" || return 1
	rt update --cpuset-mems "$5" "$ID" || fail "update --cpuset-mems $5 failed" || return 1
	kill -USR1 "$pid"
	wait_regions "$B/out" 2 || return 1
	r2=$(observe "$B/out" 2 "$pid" split "$6" "$7") || fail "mems $2: $r1; mems $5: $r2" || return 1
	stop || return 1
	echo "${cg#"$CG"} mems $2: $r1; mems $5: $r2"
}

# No flag: the nodes are remapped by position (2nd of 0-1 -> 2nd of 2-3).
case_cpuset_plain() {
	ID=cpuset-plain
	cpuset_case '{"mode":"MPOL_BIND","nodes":"1"}' 0-1 "1" "bind:1" 2-3 "3" "bind:3"
}

# STATIC: the nodes stay the ones named, cut to the cpuset (1-2 & 0-1 = 1,
# then 1-2 & 2-3 = 2; without the flag the 1 would be remapped to 3).
case_cpuset_static() {
	ID=cpuset-static
	cpuset_case '{"mode":"MPOL_BIND","nodes":"1-2","flags":["MPOL_F_STATIC_NODES"]}' \
		0-1 "1" "bind=static:1" 2-3 "2" "bind=static:2"
}

# RELATIVE: node N means the Nth node of the cpuset (1 of 2-3 = 3, then 1
# of 0-1 = 1). Node 1 is outside mems 2-3: without the flag the kernel
# refuses it (see cpuset-refused).
case_cpuset_relative() {
	ID=cpuset-relative
	cpuset_case '{"mode":"MPOL_BIND","nodes":"1","flags":["MPOL_F_RELATIVE_NODES"]}' \
		2-3 "3" "bind=relative:3" 0-1 "1" "bind=relative:1"
}

case_cpuset_relative_interleave() {
	ID=cpuset-relative-interleave
	cpuset_case '{"mode":"MPOL_INTERLEAVE","nodes":"0-1","flags":["MPOL_F_RELATIVE_NODES"]}' \
		2-3 "2 3" "interleave=relative:2-3" 1,3 "1 3" "interleave=relative:1,3"
}

# Node 0 is online but not in the config's own cpuset: refused up front.
case_cpuset_refused() {
	bundle cpuset-refused 0 '{"mode":"MPOL_BIND","nodes":"0"}' "" '{"cpu":{"cpus":"0","mems":"2-3"}}'
	refused 'linux.memoryPolicy.nodes: no node of "0" is in linux.resources.cpu.mems ("2-3")'
}

# The same, but the cpuset comes from the parent of the runtime's cgroup,
# which the config does not show: validation passes, the kernel refuses the
# policy in the container's init - which also shows that the policy is
# applied after the init joined its cgroup. That failure must reach the
# user, and nothing may be left.
case_cpuset_refused_kernel() {
	mkdir -p "$CG/mini-runtime" && echo 2-3 >"$CG/mini-runtime/cpuset.mems" ||
		fail "cannot set $CG/mini-runtime/cpuset.mems" || return 1
	bundle cpuset-refused-kernel 0 '{"mode":"MPOL_BIND","nodes":"0"}'
	refused "set_mempolicy(MPOL_BIND, nodes 0): Invalid argument"
}

case_invalid_offline_node() {
	bundle invalid-offline-node 0 '{"mode":"MPOL_BIND","nodes":"5"}'
	refused 'linux.memoryPolicy.nodes: no node of "5" is online (online: 0-3)'
}

case_invalid_static_relative() {
	bundle invalid-static-relative 0 \
		'{"mode":"MPOL_BIND","nodes":"1","flags":["MPOL_F_STATIC_NODES","MPOL_F_RELATIVE_NODES"]}'
	refused "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive"
}

case_invalid_balancing_interleave() {
	bundle invalid-balancing-interleave 0 \
		'{"mode":"MPOL_INTERLEAVE","nodes":"0-1","flags":["MPOL_F_NUMA_BALANCING"]}'
	refused "linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING is only valid with MPOL_BIND (mode is MPOL_INTERLEAVE)"
}

case_invalid_local_nodes() {
	bundle invalid-local-nodes 0 '{"mode":"MPOL_LOCAL","nodes":"1"}'
	refused "linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes"
}

# The NRI device-injector's annotations, read by mini-runtime itself (the
# path for containerd without NRI's memory-policy adjustment): the
# container's key wins over the pod's (bind:3 would put every page on 3).
case_annotation_interleave() {
	bundle_annotated annotation-interleave 0 '{mode: MPOL_INTERLEAVE, nodes: 1-2}'
	placed split "1 2" "interleave:1-2"
}

# --- sparse node ids (0, 63, 64 online; 1-62 declared empty) -----------------
# The kernel reads maxnode - 1 bits of the mask: a runtime that passes the
# bit count instead of one more drops the last node of a word (63).

case_sparse_online() {
	local online
	online=$(cat /sys/devices/system/node/online)
	[ "$online" = "0,63-64" ] || fail "online nodes are $online, want 0,63-64" || return 1
	echo "online $online"
}

case_sparse_bind_63() {
	bundle sparse-bind-63 0 '{"mode":"MPOL_BIND","nodes":"63"}'
	placed split "63" "bind:63"
}

case_sparse_bind_64() {
	bundle sparse-bind-64 0 '{"mode":"MPOL_BIND","nodes":"64"}'
	placed split "64" "bind:64"
}

case_sparse_interleave() {
	bundle sparse-interleave 0 '{"mode":"MPOL_INTERLEAVE","nodes":"0,63-64"}'
	placed split "0 63 64" "interleave:0,63-64"
}

case_sparse_invalid_gap() {
	bundle sparse-invalid-gap 0 '{"mode":"MPOL_BIND","nodes":"1"}'
	refused 'linux.memoryPolicy.nodes: no node of "1" is online (online: 0,63-64)'
}
