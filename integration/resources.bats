#!/usr/bin/env bats
# The linux.resources settings that were once dropped without a word:
# memory.kernel, kernelTCP, useHierarchy, checkBeforeUpdate, cpu.burst,
# network. Each is applied where the host has its cgroup file, read back
# from there; where it has none, create fails naming the field and leaves
# nothing behind (runtime-spec: a setting the runtime cannot apply is an
# error).

load lib/common

IT_CGROUP_PARENT=mini-it-res

setup() {
	common_setup
	make_bundle sleep 30
}
teardown() {
	common_teardown
	# the suite's parent cgroup, once no container of it is left (the
	# container that made it is not always the last to go)
	for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		rmdir "$m$IT_CGROUP_PARENT" 2>/dev/null || true
	done
}

# cgpath CTRL FILE: the container's FILE in v1 hierarchy CTRL, else in the
# v2 tree (empty when neither has it).
cgpath() {
	local p
	p=$(jq -r .linux.cgroupsPath "$BUNDLE/config.json")
	for d in "/sys/fs/cgroup/$1/$p" "/sys/fs/cgroup/$p"; do
		[ -e "$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 0
}

# host_has CTRL FILE: the host's top cgroup of CTRL (v1) has FILE.
host_has() {
	[ -e "/sys/fs/cgroup/$1/$2" ]
}

fails_naming() {
	run rt run -d --bundle "$BUNDLE" c1 </dev/null
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	assert_nothing_left c1
}

@test "memory.kernelTCP: memory.kmem.tcp.limit_in_bytes on v1, update too; refused without it" {
	cfg '.linux.resources.memory = {"kernelTCP": 50000000}'
	if ! host_has memory memory.kmem.tcp.limit_in_bytes; then
		fails_naming "linux.resources.memory.kernelTCP: this host has no cgroup"
		return
	fi
	rt run -d --bundle "$BUNDLE" c1 </dev/null
	# the kernel keeps whole pages
	[ "$(cat "$(cgpath memory memory.kmem.tcp.limit_in_bytes)")" = $((50000000 / 4096 * 4096)) ]
	rt update --kernel-memory-tcp 10m c1
	[ "$(cat "$(cgpath memory memory.kmem.tcp.limit_in_bytes)")" = 10485760 ]
}

@test "memory.kernel: applied where the kernel keeps it, else refused naming the field" {
	cfg '.linux.resources.memory = {"kernel": 104857600}'
	run rt run -d --bundle "$BUNDLE" c1 </dev/null
	echo "$output"
	if [ "$status" -eq 0 ]; then
		[ "$(cat "$(cgpath memory memory.kmem.limit_in_bytes)")" = 104857600 ]
	else
		# Linux 6.1+ takes the write and keeps nothing; v2 has no such file
		[[ "$output" == *"linux.resources.memory.kernel: "* ]]
		assert_nothing_left c1
	fi
	# -1 (unlimited) is what there is anyway
	cfg '.linux.resources.memory = {"kernel": -1}'
	host_has memory memory.kmem.limit_in_bytes || return 0
	rt run -d --bundle "$BUNDLE" c2 </dev/null
	[ "$(status_of c2)" = running ]
}

@test "cpu.burst: cpu.cfs_burst_us (v1) or cpu.max.burst (v2); above quota refused" {
	cfg '.linux.resources.cpu = {"quota": 50000, "period": 100000, "burst": 20000}'
	if ! host_has cpu cpu.cfs_burst_us && ! grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		fails_naming "linux.resources.cpu.burst"
		return
	fi
	rt run -d --bundle "$BUNDLE" c1 </dev/null
	f=$(cgpath cpu cpu.cfs_burst_us)
	[ -n "$f" ] || f=$(cgpath cpu cpu.max.burst)
	[ "$(cat "$f")" = 20000 ]
	rt update --cpu-burst 30000 c1
	[ "$(cat "$f")" = 30000 ]
	# above the quota: the kernel's EINVAL, named
	run rt update --cpu-burst 60000 c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.cpu.burst: write \"60000\""* ]]
	rt delete --force c1
	cfg '.linux.resources.cpu.burst = 60000'
	fails_naming "linux.resources.cpu.burst: 60000 is above quota (50000)"
}

@test "network.classID and priorities: net_cls and net_prio where mounted, else refused" {
	cfg '.linux.resources.network = {"classID": 1048577}'
	if [ -e /sys/fs/cgroup/net_cls/net_cls.classid ] || [ -e /sys/fs/cgroup/net_cls,net_prio/net_cls.classid ]; then
		rt run -d --bundle "$BUNDLE" c1 </dev/null
		f=$(cgpath net_cls net_cls.classid)
		[ -n "$f" ] || f=$(cgpath net_cls,net_prio net_cls.classid)
		[ "$(cat "$f")" = 1048577 ]
		rt delete --force c1
	else
		fails_naming "linux.resources.network.classID: this host has no cgroup"
	fi
	cfg '.linux.resources.network = {"priorities": [{"name": "lo", "priority": 5}]}'
	if [ -e /sys/fs/cgroup/net_prio/net_prio.ifpriomap ] || [ -e /sys/fs/cgroup/net_cls,net_prio/net_prio.ifpriomap ]; then
		rt run -d --bundle "$BUNDLE" c1 </dev/null
		f=$(cgpath net_prio net_prio.ifpriomap)
		[ -n "$f" ] || f=$(cgpath net_cls,net_prio net_prio.ifpriomap)
		grep -qx "lo 5" "$f"
	else
		fails_naming "linux.resources.network.priorities[0]: this host has no cgroup"
	fi
}

@test "network: bad values name their field" {
	cfg '.linux.resources.network = {"classID": -1}'
	fails_naming "linux.resources.network.classID: -1 is out of range"
	cfg '.linux.resources.network = {"priorities": [{"name": "eth0"}]}'
	fails_naming "linux.resources.network.priorities[0].priority: is required"
	cfg '.linux.resources.network = {"priorities": [{"name": "a b", "priority": 1}]}'
	fails_naming 'linux.resources.network.priorities[0].name: invalid interface name "a b"'
}

@test "memory.useHierarchy: true is applied (always so on v2); false only where the kernel takes it" {
	cfg '.linux.resources.memory = {"useHierarchy": true}'
	rt run -d --bundle "$BUNDLE" c1 </dev/null
	f=$(cgpath memory memory.use_hierarchy)
	[ -z "$f" ] || [ "$(cat "$f")" = 1 ]
	cfg '.linux.resources.memory = {"useHierarchy": false} | .linux.cgroupsPath += "-2"'
	run rt run -d --bundle "$BUNDLE" c2 </dev/null
	echo "$output"
	if [ "$status" -eq 0 ]; then
		[ "$(cat "$(cgpath memory memory.use_hierarchy)")" = 0 ]
	else
		[[ "$output" == *"linux.resources.memory.useHierarchy"* ]]
		assert_nothing_left c2
	fi
}

@test "memory.checkBeforeUpdate: a limit below the usage is refused, the old one kept" {
	cfg '.linux.resources.memory = {"limit": 268435456}'
	rt run -d --bundle "$BUNDLE" c1 </dev/null
	f=$(cgpath memory memory.limit_in_bytes)
	[ -n "$f" ] || f=$(cgpath memory memory.max)
	run bash -c 'echo "{\"memory\": {\"limit\": 4096, \"checkBeforeUpdate\": true}}" |
		"$1" --root "$2" update -r - c1' _ "$MINI_RUNTIME" "$ROOT"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.memory.limit: "* ]]
	[ "$(cat "$f")" = 268435456 ]
	[ "$(status_of c1)" = running ]
}
