#!/usr/bin/env bats
# cgroups on whatever layout the host has: this one's hybrid (v1
# controllers, plus cgroup2 for what v1 lacks) and the pure cgroup v2 node
# guest (integration/node/). Each test reads the files of the version it
# finds: placement, resources, the kubelet's contract, ps, pause/resume,
# update, events, cleanup.

load lib/common
IT_CGROUP_PARENT=mini-cg

setup() { common_setup; }
teardown() {
	common_teardown
	# a failed contract test's pod (the kubelet's, which delete leaves)
	remove_pod_parent "mini-it-pod-$$" 2>/dev/null || true
}

pure_v2() { [ -f /sys/fs/cgroup/cgroup.controllers ]; }

# cglines ID: the container's cgroups from its state.json, one
# "name<TAB>dir<TAB>top<TAB>v2 (0/1)" line a hierarchy.
cglines() {
	jq -r '.cgroups[]? | [.name, .dir, .top, (if .v2 then 1 else 0 end)] | @tsv' "$ROOT/$1/state.json"
}

# cgdir CONTROLLER ID: the container's directory holding that controller's
# files: its v1 hierarchy's, else its v2 one.
cgdir() {
	rt state "$2" >/dev/null
	cglines "$2" | awk -F'\t' -v c="$1" '
		{ n = split($1, names, ","); for (i = 1; i <= n; i++) if (names[i] == c) { print $2; found = 1; exit } }
		$4 == 1 { v2 = $2 }
		END { if (!found && v2 != "") print v2 }'
}

# cgfile CONTROLLER ID V1_FILE V2_FILE: the path of the file that holds it.
cgfile() {
	local d
	d=$(cgdir "$1" "$2")
	if [ -f "$d/cgroup.controllers" ]; then echo "$d/$4"; else echo "$d/$3"; fi
}

# cgroot CONTROLLER: the mount point of the hierarchy holding it.
cgroot() {
	if pure_v2; then echo /sys/fs/cgroup; else echo "/sys/fs/cgroup/$1"; fi
}

# shares_weight SHARES: cpu.weight for cpu.shares, the curve runc 1.3.2+ and
# crun 1.23+ use (kubernetes#131216).
shares_weight() {
	awk -v s="$1" 'BEGIN { l = log(s) / log(2); e = (l * l + 125 * l) / 612 - 7 / 34
		w = exp(e * log(10)); c = int(w); if (c < w) c++; print c }'
}

v1() { mountpoint -q "/sys/fs/cgroup/$1" && [ "$(stat -fc %T "/sys/fs/cgroup/$1")" = cgroupfs ]; }
# a controller the container's cgroup can have, on either layout
has_controller() { v1 "$1" || grep -qw "$1" /sys/fs/cgroup/cgroup.controllers 2>/dev/null; }
# hugetlb on the hybrid host's v2 tree: hugepageLimits make the container join it
v2_hugetlb() { grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; }

@test "the init is placed in the container's cgroups, and delete removes them" {
	make_bundle sleep 30
	cfg 'del(.linux.cgroupsPath) | .linux.resources = {"pids": {"limit": 100}, "memory": {"limit": 100000000}}'
	rt create --bundle "$BUNDLE" c1
	pid=$(rt state c1 | jq .pid)
	n=0
	while IFS=$'\t' read -r name dir top v2; do
		[ -n "$name" ] || continue
		[ -d "$dir" ]
		grep -qx "$pid" "$dir/cgroup.procs"
		n=$((n + 1))
	done < <(cglines c1)
	# the freezer, pids and memory hierarchies (v1); the one tree (v2)
	if pure_v2; then [ "$n" -eq 1 ]; else [ "$n" -ge 3 ]; fi
	dirs=$(cglines c1 | cut -f2)
	rt delete --force c1
	for d in $dirs; do [ ! -e "$d" ]; done
	assert_nothing_left c1
}

@test "cgroupsPath absolute and relative" {
	make_bundle sleep 30
	cfg '.linux.cgroupsPath = "/mini-it-abs/c1"'
	rt create --bundle "$BUNDLE" c1
	[ "$(cgdir freezer c1)" = "$(cgroot freezer)/mini-it-abs/c1" ]
	rt delete --force c1
	[ ! -e "$(cgroot freezer)/mini-it-abs" ]
	cfg '.linux.cgroupsPath = "mini-it-rel/c2"'
	rt create --bundle "$BUNDLE" c2
	[ "$(cgdir freezer c2)" = "$(cgroot freezer)/mini-it-rel/c2" ]
}

@test "a cgroup that existed before (made by a manager) is joined and left in place" {
	pre=mini-it-pre-$$
	fz=$(cgroot freezer)
	mkdir -p "$fz/$pre/leaf"
	if v2_hugetlb; then mkdir -p "/sys/fs/cgroup/unified/$pre/leaf"; fi
	make_bundle sleep 30
	cfg ".linux.cgroupsPath = \"/$pre/leaf\""
	if v2_hugetlb; then
		cfg '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	fi
	rt create --bundle "$BUNDLE" c1
	rt start c1
	grep -qx "$(rt state c1 | jq .pid)" "$fz/$pre/leaf/cgroup.procs"
	rt delete --force c1
	# ours to use, not ours to remove (the record once misread "not made
	# by us" and delete removed them, parents and all)
	[ -d "$fz/$pre/leaf" ]
	if v2_hugetlb; then [ -d "/sys/fs/cgroup/unified/$pre/leaf" ]; fi
	rmdir "$fz/$pre/leaf" "$fz/$pre"
	if v2_hugetlb; then rmdir "/sys/fs/cgroup/unified/$pre/leaf" "/sys/fs/cgroup/unified/$pre"; fi
	assert_nothing_left c1
}

# The kubelet's contract: it makes the pod's cgroup with the pod's limits,
# and the container under it comes with a cgroupsPath and (BestEffort) no
# resources. pod_parent NAME MEM PIDS makes that parent in every hierarchy
# (as the kubelet does: a v1 cpuset made so is empty), limits set, swap none.
pod_parent() {
	local name=$1 mem=$2 pids=$3 root
	if pure_v2; then
		echo "+memory +pids" >/sys/fs/cgroup/cgroup.subtree_control
		mkdir -p "/sys/fs/cgroup/$name"
		echo "$mem" >"/sys/fs/cgroup/$name/memory.max"
		echo 0 >"/sys/fs/cgroup/$name/memory.swap.max"
		echo "$pids" >"/sys/fs/cgroup/$name/pids.max"
		return
	fi
	for root in $(cgroup_mounts); do mkdir -p "$root/$name"; done
	echo "$mem" >"/sys/fs/cgroup/memory/$name/memory.limit_in_bytes"
	if [ -e "/sys/fs/cgroup/memory/$name/memory.memsw.limit_in_bytes" ]; then
		echo "$mem" >"/sys/fs/cgroup/memory/$name/memory.memsw.limit_in_bytes"
	fi
	echo "$pids" >"/sys/fs/cgroup/pids/$name/pids.max"
}

# cgroup_mounts: every cgroup hierarchy's mount point under /sys/fs/cgroup.
cgroup_mounts() {
	awk '$5 ~ "^/sys/fs/cgroup" { split($0, a, " - "); split(a[2], f, " ")
		if (f[1] == "cgroup" || f[1] == "cgroup2") print $5 }' /proc/self/mountinfo
}

remove_pod_parent() {
	local m
	for m in $(cgroup_mounts); do
		[ ! -d "$m/$1" ] || rmdir "$m/$1"
	done
}

@test "contract: a container with a cgroupsPath and no resources is held by its pod's memory limit" {
	has_controller memory || skip "no memory controller"
	pod=mini-it-pod-$$
	pod_parent "$pod" $((48 << 20)) 1000
	make_bundle probe touch 96
	cfg ".linux.cgroupsPath = \"/$pod/ctr\" | del(.linux.resources)"
	run rt run --bundle "$BUNDLE" c1
	echo "status $status: $output"
	# the OOM killer stops it at the pod's 48 MiB
	[ "$status" -eq 137 ]
	# its pages were charged to the pod, up to the limit
	peak=$(cat "$(cgroot memory)/$pod/$(if pure_v2; then echo memory.peak; else echo memory.max_usage_in_bytes; fi)")
	echo "the pod's peak: $peak"
	[ "$peak" -ge $((40 << 20)) ] && [ "$peak" -le $((48 << 20)) ]
	if pure_v2; then
		[ "$(awk '$1 == "oom_kill" {print $2}' "/sys/fs/cgroup/$pod/memory.events")" -ge 1 ]
	fi
	# the pod's cgroup is the kubelet's: it outlives the container
	[ -d "$(cgroot memory)/$pod" ]
	[ ! -e "$(cgroot memory)/$pod/ctr" ]
	remove_pod_parent "$pod"
	assert_nothing_left c1
}

@test "contract: a container with a cgroupsPath and no resources is in every hierarchy, held by its pod's pids limit" {
	pod=mini-it-pod-$$
	pod_parent "$pod" $((512 << 20)) 16
	make_bundle sleep 30
	cfg ".linux.cgroupsPath = \"/$pod/ctr\" | del(.linux.resources)"
	rt create --bundle "$BUNDLE" c1
	pid=$(rt state c1 | jq .pid)
	# the init is in the container's cgroup in every hierarchy there is:
	# each v1 controller, the named systemd one, and cgroup2
	for m in $(cgroup_mounts); do
		echo "$m: $(tr '\n' ' ' <"$m/$pod/ctr/cgroup.procs")"
		grep -qx "$pid" "$m/$pod/ctr/cgroup.procs"
	done
	rt delete --force c1
	# delete removes what it made, never the pod's cgroup
	for m in $(cgroup_mounts); do
		[ ! -e "$m/$pod/ctr" ]
	done
	[ -d "$(cgroot pids)/$pod" ]
	# forty forks under the pod's sixteen: the shell gives up at the limit
	make_bundle sh -c 'for i in $(seq 40); do sleep 60 & done; echo forked-all'
	cfg ".linux.cgroupsPath = \"/$pod/ctr\" | del(.linux.resources)"
	run rt run --bundle "$BUNDLE" c2
	echo "status $status: $output"
	[[ "$output" == *"can't fork"* ]]
	[[ "$output" != *forked-all* ]]
	[ -d "$(cgroot pids)/$pod" ]
	remove_pod_parent "$pod"
	assert_nothing_left c2
}

@test "memory limit is written and an allocation over it is killed" {
	has_controller memory || skip "no memory controller"
	make_bundle probe touch 64
	cfg '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 137 ]
	make_bundle sleep 30
	cfg '.linux.resources.memory = {"limit": 33554432, "reservation": 16777216, "swap": 33554432}'
	rt create --bundle "$BUNDLE" c2
	[ "$(cat "$(cgfile memory c2 memory.limit_in_bytes memory.max)")" = 33554432 ]
	[ "$(cat "$(cgfile memory c2 memory.soft_limit_in_bytes memory.low)")" = 16777216 ]
	if pure_v2; then
		# v1's swap limit counts memory + swap; v2's swap alone
		[ "$(cat "$(cgdir memory c2)/memory.swap.max")" = 0 ]
	else
		cfg '.linux.resources.memory.swappiness = 10 | .linux.cgroupsPath += "-3"'
		rt create --bundle "$BUNDLE" c3
		[ "$(cat "$(cgdir memory c3)/memory.swappiness")" = 10 ]
	fi
}

@test "pids.limit stops a fork bomb" {
	# the shell forks until the limit refuses it (then it gives up, status 2)
	make_bundle sh -c 'while true; do sleep 30 & done'
	cfg '.linux.resources.pids.limit = 8'
	rt create --bundle "$BUNDLE" c1
	d=$(cgdir pids c1)
	rt start c1
	wait_for_status c1 stopped
	[ "$(cat "$d/pids.max")" = 8 ]
	[ "$(sed -n 's/^max //p' "$d/pids.events")" -ge 1 ]
	[ "$(cat "$d/pids.peak" 2>/dev/null || echo 8)" -le 8 ]
}

@test "cpu shares, quota, period and cpuset are written" {
	make_bundle sleep 30
	cfg '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"}'
	rt create --bundle "$BUNDLE" c1
	if pure_v2; then
		[ "$(cat "$(cgdir cpu c1)/cpu.weight")" = "$(shares_weight 512)" ]
		[ "$(cat "$(cgdir cpu c1)/cpu.max")" = "50000 100000" ]
	else
		[ "$(cat "$(cgdir cpu c1)/cpu.shares")" = 512 ]
		[ "$(cat "$(cgdir cpu c1)/cpu.cfs_quota_us")" = 50000 ]
		[ "$(cat "$(cgdir cpu c1)/cpu.cfs_period_us")" = 100000 ]
	fi
	[ "$(cat "$(cgdir cpuset c1)/cpuset.cpus")" = 0 ]
	[ "$(cat "$(cgdir cpuset c1)/cpuset.mems")" = 0 ]
}

@test "blockIO: per-device read/write throttles and the weight are written" {
	has_controller blkio || has_controller io || skip "no io controller"
	dev=$(cat /sys/block/vd*/dev /sys/block/sd*/dev /sys/block/loop0/dev 2>/dev/null | head -1)
	[ -n "$dev" ] || skip "no block device here"
	maj=${dev%:*} min=${dev#*:}
	make_bundle sleep 30
	cfg ".linux.resources.blockIO = {\"throttleReadBpsDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 1048576}],
		\"throttleWriteIOPSDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 100}]}"
	rt create --bundle "$BUNDLE" c1
	if pure_v2; then
		grep -x "$dev rbps=1048576 wbps=max riops=max wiops=100" "$(cgdir io c1)/io.max"
	else
		grep -x "$dev 1048576" "$(cgdir blkio c1)/blkio.throttle.read_bps_device"
		grep -x "$dev 100" "$(cgdir blkio c1)/blkio.throttle.write_iops_device"
	fi
	# a weight, where the kernel has a file for it (BFQ's or io.cost's)
	d=$(cgdir blkio c1)
	[ -n "$d" ] || d=$(cgdir io c1)
	if [ -e "$d/blkio.bfq.weight" ] || [ -e "$d/io.bfq.weight" ] || [ -e "$d/io.weight" ]; then
		cfg '.linux.resources.blockIO.weight = 500 | .linux.cgroupsPath += "-w"'
		rt create --bundle "$BUNDLE" c2
		d=$(cgdir blkio c2)
		[ -n "$d" ] || d=$(cgdir io c2)
		# v1 and BFQ take it as it is, io.cost as [1, 10000] (runc's map)
		cat "$d"/blkio.bfq.weight "$d"/io.bfq.weight "$d"/io.weight 2>/dev/null |
			grep -e '^500$' -e '^default 500$' -e '^default 4950$'
	fi
	rt delete --force c1
	rt delete --force c2 2>/dev/null || true
	# entries that name no device fail, naming the field
	make_bundle true
	cfg '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": 8, "rate": 1}]}'
	run rt run --bundle "$BUNDLE" c3
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.blockIO.throttleReadBpsDevice[0]: needs both major and minor"* ]]
	assert_nothing_left c3
}

@test "cpu.mems restricts Mems_allowed_list inside" {
	make_bundle sh -c 'grep Mems_allowed_list /proc/self/status'
	cfg '.linux.resources.cpu.mems = "0"'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "$output" == *"Mems_allowed_list:"*"0" ]]
}

@test "devices: deny all, then the defaults; mknod of another device is refused" {
	v1 devices || skip "no v1 devices controller"
	# CAP_MKNOD is granted: only the devices cgroup can refuse the mknod
	make_bundle sh -c 'echo ok > /dev/null && echo null-ok; mknod /dev/sda b 8 0 2>&1; sleep 5'
	cfg '.linux.resources.devices = [{"allow": false, "access": "rwm"}] | .process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]'
	rt create --bundle "$BUNDLE" c1
	list=$(cat "$(cgdir devices c1)/devices.list")
	[[ "$list" == *"c 1:3 rwm"* ]]
	[[ "$list" != *"a *:* rwm"* ]]
	rt delete --force c1
	run rt run --bundle "$BUNDLE" c2
	[[ "$output" == *null-ok* ]]
	[[ "$output" == *"mknod: /dev/sda: Operation not permitted"* ]]
}

@test "hugepageLimits land in the hugetlb controller (cgroup2 on this host)" {
	v2_hugetlb || has_controller hugetlb || skip "no hugetlb controller"
	make_bundle sleep 30
	cfg '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	rt create --bundle "$BUNDLE" c1
	d=$(cgdir unified c1)
	[ "$(cat "$d/hugetlb.2MB.max")" = 4194304 ]
	# and the reservation limit, where the kernel counts reservations
	[ ! -e "$d/hugetlb.2MB.rsvd.max" ] || [ "$(cat "$d/hugetlb.2MB.rsvd.max")" = 4194304 ]
	# the init entered the v2 cgroup at clone3 (CLONE_INTO_CGROUP)
	grep -qx "$(rt state c1 | jq .pid)" "$d/cgroup.procs"
}

@test "clone3 hidden by seccomp (as in a container engine's default profile): v2 is joined anyway" {
	v2_hugetlb || pure_v2 || skip "no v2 controller to join here"
	gcc -O2 -Wall -o "$TEST_TMP/noclone3" "$INTEGRATION_DIR/lib/noclone3.c"
	make_bundle sleep 30
	cfg '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	# the filter applies to the runtime and everything it starts
	"$TEST_TMP/noclone3" "$MINI_RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" c1
	"$TEST_TMP/noclone3" "$MINI_RUNTIME" --root "$ROOT" exec -d \
		--pid-file "$TEST_TMP/exec.pid" c1 sleep 30
	d=$(cgdir unified c1)
	grep -qx "$(rt state c1 | jq .pid)" "$d/cgroup.procs"
	grep -qx "$(cat "$TEST_TMP/exec.pid")" "$d/cgroup.procs"
	rt delete --force c1
	assert_nothing_left c1
}

@test "the init and an exec'd process join every cgroup themselves, v1 and v2" {
	make_bundle sleep 30
	cfg '.linux.resources = {"pids": {"limit": 50}}'
	if v2_hugetlb; then
		cfg '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	fi
	rt create --bundle "$BUNDLE" c1
	rt start c1
	rt exec -d --pid-file "$TEST_TMP/exec.pid" c1 sleep 30
	init=$(rt state c1 | jq .pid)
	exec_pid=$(cat "$TEST_TMP/exec.pid")
	n=0
	while IFS=$'\t' read -r name dir top v2; do
		[ -n "$name" ] || continue
		echo "$name $dir: $(tr '\n' ' ' <"$dir/cgroup.procs")"
		grep -qx "$init" "$dir/cgroup.procs"
		grep -qx "$exec_pid" "$dir/cgroup.procs"
		n=$((n + 1))
	done < <(cglines c1)
	# freezer and pids at least (v1); the one tree (v2)
	if pure_v2; then [ "$n" -eq 1 ]; else [ "$n" -ge 2 ]; fi
	rt delete --force c1
	assert_nothing_left c1
}

@test "ps lists the container's processes; json is an array of host pids" {
	make_bundle sh -c 'sleep 30 & sleep 30'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	sleep 0.2
	run rt ps --format json c1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq length)" -eq 2 ]
	pid=$(rt state c1 | jq .pid)
	echo "$output" | jq -e "index($pid) != null"
	# ps's own table (-ef), the container's two rows
	run rt ps c1
	[[ "${lines[0]}" == UID*PID* ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "pause freezes, state says paused, resume continues" {
	# the counter is renamed into place: a read between a truncate and the
	# write would see an empty file (seen once in CI)
	make_bundle sh -c 'i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.05; done'
	cfg '.root.readonly = false'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	sleep 0.3
	rt pause c1
	[ "$(status_of c1)" = paused ]
	a=$(cat "$BUNDLE/rootfs/tmp/count")
	sleep 0.4
	b=$(cat "$BUNDLE/rootfs/tmp/count")
	[ "$a" = "$b" ]
	run rt pause c1
	[ "$status" -eq 1 ]
	rt resume c1
	[ "$(status_of c1)" = running ]
	sleep 0.4
	c=$(cat "$BUNDLE/rootfs/tmp/count")
	[ "$c" -gt "$b" ]
}

@test "update changes limits live, from flags and from a resources file" {
	make_bundle sleep 30
	cfg '.linux.resources.pids.limit = 10'
	rt create --bundle "$BUNDLE" c1
	rt update --pids-limit 20 c1
	[ "$(cat "$(cgdir pids c1)/pids.max")" = 20 ]
	echo '{"pids": {"limit": 30}, "cpu": {"shares": 256}}' | rt update --resources - c1
	[ "$(cat "$(cgdir pids c1)/pids.max")" = 30 ]
	if pure_v2; then
		[ "$(cat "$(cgdir cpu c1)/cpu.weight")" = "$(shares_weight 256)" ]
	else
		[ "$(cat "$(cgdir cpu c1)/cpu.shares")" = 256 ]
	fi
	run rt update --memory abc c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"--memory"* ]]
	# malformed and huge values name the flag (a 2 KB value once overran a buffer)
	for v in 1-2 -- "$(printf '9%.0s' $(seq 2100))"; do
		run rt update --memory "$v" c1
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"update --memory: "*"is not a size"* ]]
	done
	run rt update --cpuset-cpus "$(printf '1,%.0s' $(seq 1000))" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"update --cpuset-cpus: "*"is not a list"* ]]
	[ "$(cat "$(cgdir pids c1)/pids.max")" = 30 ]
}

@test "events --stats prints one JSON object with usage" {
	make_bundle sleep 30
	cfg '.linux.resources.pids.limit = 10'
	rt create --bundle "$BUNDLE" c1
	run rt events --stats c1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .type)" = stats ]
	[ "$(echo "$output" | jq .data.pids.current)" -ge 1 ]
	[ "$(echo "$output" | jq .data.pids.limit)" -eq 10 ]
}

@test "events --stats counts the OOM killer's victims (memory.events on v2)" {
	has_controller memory || skip "no memory controller"
	# the init lives on; the probe it starts is killed at the limit
	make_bundle sh -c 'probe touch 64 >/dev/null; echo "probe $?"; sleep 30'
	cfg '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	rt create --bundle "$BUNDLE" c1
	[ "$(rt events --stats c1 | jq .data.memory.oom_kill)" -eq 0 ]
	rt start c1
	for i in $(seq 50); do
		[ "$(rt events --stats c1 | jq .data.memory.oom_kill)" -ge 1 ] && break
		sleep 0.2
	done
	rt events --stats c1
	[ "$(rt events --stats c1 | jq .data.memory.oom_kill)" -eq 1 ]
}

@test "kill --all signals every process of the container" {
	make_bundle sh -c 'sleep 30 & sleep 30'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	sleep 0.2
	pids=$(rt ps --format json c1 | jq -r '.[]')
	rt kill --all c1 KILL
	wait_for_status c1 stopped
	for p in $pids; do ! kill -0 "$p" 2>/dev/null; done
}

@test "bad resources fail cleanly, naming the field" {
	make_bundle true
	cfg '.linux.resources.memory.limit = -5'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.memory.limit"* ]]
	assert_nothing_left c1
	[ ! -e "$(cgroot pids)/mini-runtime/c1" ]
	make_bundle true
	cfg '.linux.resources.unified = {"no.such.file": "1"}'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.unified.no.such.file"* ]]
	assert_nothing_left c1
	[ ! -e "$(cgroot pids)/mini-runtime/c1" ]
	cfg 'del(.linux.resources.unified) | .linux.resources.cpu.mems = "5"'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.cpu.mems"* ]]
	assert_nothing_left c1
	[ ! -e "$(cgroot pids)/mini-runtime/c1" ]
}

@test "a memory policy whose nodes miss cpu.mems fails in the parent, naming both fields" {
	make_bundle true
	cfg '.linux.resources.cpu.mems = "0" | .linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "1", "flags": ["MPOL_F_STATIC_NODES"]}'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	# node 1 is offline here: rule 10 speaks first; check the cpuset rule with
	# a node set that is online but outside mems by faking mems = "" is not
	# possible on one node, so assert the cpuset message via RELATIVE exemption
	[[ "$output" == *"linux.memoryPolicy.nodes"* ]]
	assert_nothing_left c1
	cfg '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_RELATIVE_NODES"]}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
}

@test "a cgroup namespace roots /proc/self/cgroup at the container's cgroup" {
	make_bundle sh -c 'cat /proc/self/cgroup'
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	if pure_v2; then
		[ "$output" = "0::/" ]
	else
		echo "$output" | grep -q ':pids:/$'
	fi
	! echo "$output" | grep -q mini-runtime
}

@test "--systemd-cgroup on a host that is not pure cgroup v2 is refused, naming why" {
	[ ! -f /sys/fs/cgroup/cgroup.controllers ] || skip "pure cgroup v2 here: integration/systemd.bats"
	make_bundle true
	cfg '.linux.cgroupsPath = "mini-it.slice:mini-it:c1"'
	run "$MINI_RUNTIME" --root "$ROOT" --systemd-cgroup run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"--systemd-cgroup: needs a pure cgroup v2 host"* ]]
	assert_nothing_left c1
	# and a path that is not the driver's "slice:prefix:name" is named
	cfg '.linux.cgroupsPath = "/mini-it/c1"'
	run "$MINI_RUNTIME" --root "$ROOT" --systemd-cgroup run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'linux.cgroupsPath: "/mini-it/c1" is not "slice:prefix:name"'* ]]
	assert_nothing_left c1
}

# cgroup v2 has no devices files: the rules are a device program (eBPF) on
# the container's directory. 240 is a major no driver has: an open the
# rules let through fails with ENXIO, one they refuse with EPERM.
@test "devices on cgroup v2: a device the rules deny cannot be opened or made, even with CAP_MKNOD" {
	[ -e /sys/fs/cgroup/cgroup.controllers ] || skip "needs a pure cgroup v2 host"
	make_bundle sh -c 'echo ok > /dev/null && echo null-ok; cat /node; cat /dev/mini0; mknod /dev/sda b 8 0; true'
	mknod "$BUNDLE/rootfs/node" c 240 0
	# CAP_MKNOD is granted: only the device program can refuse the mknod
	cfg '.linux.resources.devices = [{"allow": false, "access": "rwm"}] | .linux.devices = [{"path": "/dev/mini0", "type": "c", "major": 240, "minor": 1}] | .process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *null-ok* ]]
	[[ "$output" == *"can't open '/node': Operation not permitted"* ]]
	# a node linux.devices lists is allowed, the deny-all notwithstanding
	[[ "$output" == *"can't open '/dev/mini0': No such device or address"* ]]
	[[ "$output" == *"mknod: /dev/sda: Operation not permitted"* ]]
	# no rules at all: the defaults alone, as runc (an allow-list)
	cfg 'del(.linux.resources.devices) | del(.linux.devices)'
	run rt run --bundle "$BUNDLE" c2
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *null-ok* ]]
	[[ "$output" == *"can't open '/node': Operation not permitted"* ]]
	[[ "$output" == *"mknod: /dev/sda: Operation not permitted"* ]]
	# allow all: past the program
	cfg '.linux.resources.devices = [{"allow": true, "access": "rwm"}]'
	run rt run --bundle "$BUNDLE" c3
	echo "$output"
	[[ "$output" == *"can't open '/node': No such device or address"* ]]
	assert_nothing_left c3
}

@test "devices on cgroup v2: update replaces the device program, and it applies at once" {
	[ -e /sys/fs/cgroup/cgroup.controllers ] || skip "needs a pure cgroup v2 host"
	make_bundle sleep 30
	mknod "$BUNDLE/rootfs/node" c 240 0
	cfg '.root.readonly = false | .linux.resources.devices = [{"allow": false, "access": "rwm"}]'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	run rt exec c1 cat /node
	echo "$output"
	[[ "$output" == *"can't open '/node': Operation not permitted"* ]]
	echo '{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"}]}' |
		rt update --resources - c1
	run rt exec c1 cat /node
	echo "$output"
	[[ "$output" == *"can't open '/node': No such device or address"* ]]
	run rt exec c1 sh -c ': > /node'
	[[ "$output" == *"can't create /node: Operation not permitted"* ]]
	# replaced, not added: one program of ours on the directory
	if command -v bpftool >/dev/null; then
		[ "$(bpftool cgroup show "$(cgdir unified c1)" | grep -c mini_devices)" -eq 1 ]
	fi
	# an update without device rules leaves the program as it is
	if grep -qw pids /sys/fs/cgroup/cgroup.controllers; then
		rt update --pids-limit 20 c1
	else
		echo '{}' | rt update --resources - c1
	fi
	run rt exec c1 cat /node
	[[ "$output" == *"can't open '/node': No such device or address"* ]]
	rt delete --force c1
	assert_nothing_left c1
}

# Last in the file: every test above removed what it made, in every
# hierarchy: no container's cgroup under the suite's parent, no pod, no
# pre-made cgroup (this suite's own names only: other suites may run on the
# machine at the same time). The parent itself stays when two containers overlapped
# and the one that made it went first (it is not the other's to remove, as
# a kubelet's pod cgroup is not): the suite removes it here.
@test "nothing of this suite is left in any cgroup hierarchy" {
	left=$(for m in $(cgroup_mounts); do
		find "$m" -maxdepth 3 -mindepth 1 -type d \( -name "mini-it-pod-$$" -o \
			-name "mini-it-pre-$$" -o -path "$m/$IT_CGROUP_PARENT/*" \) 2>/dev/null
	done)
	echo "left: $left"
	[ -z "$left" ]
	for m in $(cgroup_mounts); do
		[ ! -d "$m/$IT_CGROUP_PARENT" ] || rmdir "$m/$IT_CGROUP_PARENT"
	done
}
