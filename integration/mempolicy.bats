#!/usr/bin/env bats
# linux.memoryPolicy on this one-node machine: every mode and flag that can
# work here, seen from inside (get_mempolicy through the probe, and
# /proc/self/numa_maps), in `state`, and every invalid policy refused
# before anything exists, naming the field. Placement across several nodes
# is tested in a QEMU guest (integration/numa).

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() {
	common_setup
	[ -d /sys/devices/system/node/node0 ] || skip "the kernel has no NUMA support"
}
teardown() { common_teardown; }

# policy JSON: sets linux.memoryPolicy.
policy() {
	cfg ".linux.memoryPolicy = $1"
}

# run_policy JSON: runs `probe mempolicy` then `probe touch 1` (numa_maps of
# a fresh 1 MiB region) under the policy; output in $output.
run_policy() {
	make_bundle sh -c 'probe mempolicy && probe touch 1'
	policy "$1"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	assert_nothing_left c1
}

# kernel's mode numbers and flag bits
MPOL_DEFAULT=0 MPOL_PREFERRED=1 MPOL_BIND=2 MPOL_INTERLEAVE=3 MPOL_LOCAL=4
MPOL_PREFERRED_MANY=5 MPOL_WEIGHTED_INTERLEAVE=6

kernel_at_least() {
	local v
	v=$(uname -r | cut -d. -f1-2)
	[ "$(printf '%s\n%s\n' "$1" "$v" | sort -V | head -1)" = "$1" ]
}

@test "MPOL_DEFAULT: mode 0, numa_maps says default" {
	run_policy '{"mode": "MPOL_DEFAULT"}'
	[ "${lines[0]}" = "mode=$MPOL_DEFAULT flags=0x0 nodes=" ]
	[[ "${lines[1]}" == *" default "* ]]
}

@test "MPOL_LOCAL: mode 4, numa_maps says local" {
	run_policy '{"mode": "MPOL_LOCAL"}'
	[ "${lines[0]}" = "mode=$MPOL_LOCAL flags=0x0 nodes=" ]
	[[ "${lines[1]}" == *" local "* ]]
}

@test "MPOL_PREFERRED with node 0: prefer:0" {
	run_policy '{"mode": "MPOL_PREFERRED", "nodes": "0"}'
	[ "${lines[0]}" = "mode=$MPOL_PREFERRED flags=0x0 nodes=0" ]
	[[ "${lines[1]}" == *" prefer:0 "* ]]
	[[ "${lines[1]}" == *" N0=256 "* ]]
}

@test "MPOL_PREFERRED without nodes is the kernel's local" {
	run_policy '{"mode": "MPOL_PREFERRED"}'
	[ "${lines[0]}" = "mode=$MPOL_LOCAL flags=0x0 nodes=" ]
	[[ "${lines[1]}" == *" local "* ]]
}

@test "MPOL_BIND 0: bind:0, every page on node 0" {
	run_policy '{"mode": "MPOL_BIND", "nodes": "0"}'
	[ "${lines[0]}" = "mode=$MPOL_BIND flags=0x0 nodes=0" ]
	[[ "${lines[1]}" == *" bind:0 "* ]]
	[[ "${lines[1]}" == *" N0=256 "* ]]
}

@test "MPOL_INTERLEAVE 0: interleave:0" {
	run_policy '{"mode": "MPOL_INTERLEAVE", "nodes": "0"}'
	[ "${lines[0]}" = "mode=$MPOL_INTERLEAVE flags=0x0 nodes=0" ]
	[[ "${lines[1]}" == *" interleave:0 "* ]]
}

@test "MPOL_PREFERRED_MANY 0: prefer (many):0" {
	kernel_at_least 5.15 || skip "MPOL_PREFERRED_MANY needs Linux 5.15"
	run_policy '{"mode": "MPOL_PREFERRED_MANY", "nodes": "0"}'
	[ "${lines[0]}" = "mode=$MPOL_PREFERRED_MANY flags=0x0 nodes=0" ]
	[[ "${lines[1]}" == *" prefer (many):0 "* ]]
}

@test "MPOL_WEIGHTED_INTERLEAVE 0: weighted interleave:0" {
	kernel_at_least 6.9 || skip "MPOL_WEIGHTED_INTERLEAVE needs Linux 6.9"
	run_policy '{"mode": "MPOL_WEIGHTED_INTERLEAVE", "nodes": "0"}'
	[ "${lines[0]}" = "mode=$MPOL_WEIGHTED_INTERLEAVE flags=0x0 nodes=0" ]
	[[ "${lines[1]}" == *" weighted interleave:0 "* ]]
}

@test "MPOL_BIND with MPOL_F_STATIC_NODES: =static" {
	run_policy '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	[ "${lines[0]}" = "mode=$MPOL_BIND flags=0x8000 nodes=0" ]
	[[ "${lines[1]}" == *" bind=static:0 "* ]]
}

@test "MPOL_BIND with MPOL_F_RELATIVE_NODES: =relative" {
	run_policy '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_RELATIVE_NODES"]}'
	[ "${lines[0]}" = "mode=$MPOL_BIND flags=0x4000 nodes=0" ]
	[[ "${lines[1]}" == *" bind=relative:0 "* ]]
}

@test "MPOL_BIND with MPOL_F_NUMA_BALANCING: balancing" {
	kernel_at_least 5.12 || skip "MPOL_F_NUMA_BALANCING needs Linux 5.12"
	run_policy '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_NUMA_BALANCING"]}'
	[ "${lines[0]}" = "mode=$MPOL_BIND flags=0x2000 nodes=0" ]
	[[ "${lines[1]}" == *" bind=balancing:0 "* ]]
}

@test "MPOL_INTERLEAVE with MPOL_F_RELATIVE_NODES on a node beyond the host's" {
	# relative node numbers wrap onto the allowed nodes: 5 -> node 0 here;
	# get_mempolicy gives back the nodes asked for, numa_maps the ones used
	run_policy '{"mode": "MPOL_INTERLEAVE", "nodes": "5", "flags": ["MPOL_F_RELATIVE_NODES"]}'
	[ "${lines[0]}" = "mode=$MPOL_INTERLEAVE flags=0x4000 nodes=5" ]
	[[ "${lines[1]}" == *" interleave=relative:0 "* ]]
}

@test "duplicate flags are harmless" {
	run_policy '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_STATIC_NODES"]}'
	[ "${lines[0]}" = "mode=$MPOL_BIND flags=0x8000 nodes=0" ]
}

@test "the policy is inherited by the process's children" {
	make_bundle sh -c 'sh -c "probe mempolicy"'
	policy '{"mode": "MPOL_INTERLEAVE", "nodes": "0"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = "mode=$MPOL_INTERLEAVE flags=0x0 nodes=0" ]
}

@test "state reports the memoryPolicy read back from the kernel" {
	make_bundle sleep 5
	policy '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	rt create --bundle "$BUNDLE" c1
	rt state c1 | jq .memoryPolicy
	[ "$(rt state c1 | jq -c .memoryPolicy)" = '{"mode":"MPOL_BIND","nodes":"0","flags":["MPOL_F_STATIC_NODES"]}' ]
	rt start c1
	[ "$(rt state c1 | jq -r .memoryPolicy.mode)" = MPOL_BIND ]
	rt delete --force c1
	assert_nothing_left c1
}

@test "state reports MPOL_PREFERRED without nodes as the kernel has it" {
	make_bundle sleep 5
	policy '{"mode": "MPOL_PREFERRED"}'
	rt create --bundle "$BUNDLE" c1
	[ "$(rt state c1 | jq -c .memoryPolicy)" = '{"mode":"MPOL_LOCAL","nodes":"","flags":[]}' ]
}

@test "state has no memoryPolicy when the config has none" {
	make_bundle sleep 5
	rt create --bundle "$BUNDLE" c1
	[ "$(rt state c1 | jq .memoryPolicy)" = null ]
}

@test "config.json.example runs with a busybox rootfs and interleaves on node 0" {
	mkdir -p "$TEST_TMP/example"
	cp "$INTEGRATION_DIR/../config.json.example" "$TEST_TMP/example/config.json"
	cp -a "$CACHE_DIR/rootfs" "$TEST_TMP/example/rootfs"
	rm "$TEST_TMP/example/rootfs/bin/probe" # busybox is all it needs
	run rt run --bundle "$TEST_TMP/example" example
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "memory policy of this container"* ]]
	[ "${#lines[@]}" -eq 5 ]
	for i in 1 2 3 4; do
		[[ "${lines[$i]}" == *" interleave:0 "* ]]
	done
	assert_nothing_left example
}

# refused POLICY MESSAGE: create fails with exit 1 and MESSAGE on stderr,
# and nothing is left.
refused() {
	make_bundle true
	cfg ".linux.memoryPolicy = $1"
	run rt create --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$2"* ]]
	assert_nothing_left c1
}

@test "invalid: unknown mode" {
	refused '{"mode": "MPOL_SOMETIMES"}' 'linux.memoryPolicy.mode: unknown mode "MPOL_SOMETIMES"'
}

@test "invalid: unknown flag, named with its index" {
	refused '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_FOO"]}' \
		'linux.memoryPolicy.flags[1]: unknown flag "MPOL_F_FOO"'
}

@test "invalid: MPOL_F_STATIC_NODES with MPOL_F_RELATIVE_NODES" {
	refused '{"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}' \
		'linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive'
}

@test "invalid: MPOL_F_NUMA_BALANCING without MPOL_BIND" {
	refused '{"mode": "MPOL_INTERLEAVE", "nodes": "0", "flags": ["MPOL_F_NUMA_BALANCING"]}' \
		'linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING is only valid with MPOL_BIND'
}

@test "invalid: MPOL_DEFAULT with nodes" {
	refused '{"mode": "MPOL_DEFAULT", "nodes": "0"}' 'linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes'
}

@test "invalid: MPOL_DEFAULT with flags" {
	refused '{"mode": "MPOL_DEFAULT", "flags": ["MPOL_F_STATIC_NODES"]}' \
		'linux.memoryPolicy.flags: MPOL_DEFAULT takes no flags'
}

@test "invalid: MPOL_LOCAL with nodes" {
	refused '{"mode": "MPOL_LOCAL", "nodes": "0"}' 'linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes'
}

@test "invalid: MPOL_PREFERRED without nodes but with MPOL_F_STATIC_NODES" {
	refused '{"mode": "MPOL_PREFERRED", "flags": ["MPOL_F_STATIC_NODES"]}' \
		'linux.memoryPolicy.flags: MPOL_PREFERRED without nodes takes no MPOL_F_STATIC_NODES'
}

@test "invalid: every mode that needs nodes, without them" {
	for mode in MPOL_BIND MPOL_INTERLEAVE MPOL_PREFERRED_MANY MPOL_WEIGHTED_INTERLEAVE; do
		refused "{\"mode\": \"$mode\"}" "linux.memoryPolicy.nodes: $mode needs at least one node"
		rm -rf "$BUNDLE"
	done
}

@test "invalid: an empty element in the node list, 0,,1" {
	refused '{"mode": "MPOL_BIND", "nodes": "0,,1"}' \
		'linux.memoryPolicy.nodes: empty element at position 2 in "0,,1"'
}

@test "invalid: a leading or trailing comma" {
	refused '{"mode": "MPOL_BIND", "nodes": ",0"}' 'linux.memoryPolicy.nodes: empty element at position 1'
	rm -rf "$BUNDLE"
	refused '{"mode": "MPOL_BIND", "nodes": "0,"}' 'linux.memoryPolicy.nodes: empty element at position 2'
}

@test "invalid: a backwards range, 3-1" {
	refused '{"mode": "MPOL_BIND", "nodes": "3-1"}' \
		'linux.memoryPolicy.nodes: "3-1": range start is greater than its end'
}

@test "invalid: node 1024, above the kernel's maximum" {
	refused '{"mode": "MPOL_BIND", "nodes": "1024"}' \
		'linux.memoryPolicy.nodes: "1024": node is above the maximum 1023'
}

@test "invalid: a sign or a letter in the node list" {
	refused '{"mode": "MPOL_BIND", "nodes": "-1"}' 'linux.memoryPolicy.nodes: "-1"'
	rm -rf "$BUNDLE"
	refused '{"mode": "MPOL_BIND", "nodes": "0,x"}' 'linux.memoryPolicy.nodes: "x"'
}

@test "invalid: node 1 is not online on this host (only node 0)" {
	[ "$(cat /sys/devices/system/node/online)" = 0 ] || skip "this host has more than node 0"
	refused '{"mode": "MPOL_BIND", "nodes": "1"}' 'linux.memoryPolicy.nodes'
	[[ "$output" == *"online: 0"* ]]
	[[ "$output" == *"1"* ]]
}

@test "invalid: nodes is a number" {
	refused '{"mode": "MPOL_BIND", "nodes": 5}' 'linux.memoryPolicy.nodes: expected a string'
}

@test "invalid: flags is a string" {
	refused '{"mode": "MPOL_BIND", "nodes": "0", "flags": "x"}' 'linux.memoryPolicy.flags: expected an array'
}

@test "invalid: a flag that is not a string" {
	refused '{"mode": "MPOL_BIND", "nodes": "0", "flags": [5]}' 'linux.memoryPolicy.flags[0]: expected a string'
}

@test "invalid: mode missing, or not a string" {
	refused '{"nodes": "0"}' 'linux.memoryPolicy.mode: is required'
	rm -rf "$BUNDLE"
	refused '{"mode": 2, "nodes": "0"}' 'linux.memoryPolicy.mode: expected a string'
}

@test "invalid: memoryPolicy is not an object" {
	refused '"MPOL_BIND"' 'linux.memoryPolicy: expected an object'
}

@test "invalid: an empty node list" {
	refused '{"mode": "MPOL_BIND", "nodes": ""}' 'linux.memoryPolicy.nodes: empty node list'
}
