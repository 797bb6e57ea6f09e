#!/usr/bin/env bats
# Namespaces, asserted from inside the container: each one is new (its
# inode differs from the host's) and behaves as its kind should; joining an
# existing one by path lands in it.

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() {
	[ -z "${NETNS:-}" ] || ip netns del "$NETNS" 2>/dev/null || true
	common_teardown
}

# ns_of KIND: "kind:[inode]" of this shell's namespace on the host.
ns_of() {
	readlink "/proc/self/ns/$1"
}

# only_ns KINDS...: linux.namespaces set to exactly these types.
only_ns() {
	local list
	list=$(printf '%s\n' "$@" | jq -R '{type: .}' | jq -s .)
	cfg ".linux.namespaces = $list"
}

@test "pid: the process is pid 1 and sees only its own processes" {
	make_bundle sh -c 'echo "pid=$$"; ls /proc | grep -c "^[0-9]"; readlink /proc/self/ns/pid'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "pid=1" ]
	# sh and ls (grep and readlink come later or in the pipeline): a handful
	[ "${lines[1]}" -le 4 ]
	[ "${lines[2]}" != "$(ns_of pid)" ]
	assert_nothing_left c1
}

@test "pid: without a pid namespace the process sees the host's pids" {
	make_bundle sh -c 'echo "pid=$$"'
	cfg '.linux.namespaces |= map(select(.type != "pid")) | .mounts |= map(select(.type != "proc"))'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^pid=[0-9]+$ ]]
	[ "$output" != "pid=1" ]
}

@test "network: a new namespace holds only lo, down" {
	make_bundle sh -c 'ip -o link | cut -d: -f2 | tr -d " "; readlink /proc/self/ns/net'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "lo" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" != "$(ns_of net)" ]
	assert_nothing_left c1
}

@test "ipc: a new namespace, with no System V objects of the host's" {
	make_bundle sh -c 'readlink /proc/self/ns/ipc; cat /proc/sysvipc/shm | wc -l'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(ns_of ipc)" ]
	[ "${lines[1]}" -eq 1 ] # the header only
}

@test "uts: hostname and domainname are set inside, not on the host" {
	make_bundle sh -c 'hostname; cat /proc/sys/kernel/domainname; readlink /proc/self/ns/uts'
	cfg '.hostname = "box-it4" | .domainname = "dom.example"'
	host_before=$(hostname)
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "box-it4" ]
	[ "${lines[1]}" = "dom.example" ]
	[ "${lines[2]}" != "$(ns_of uts)" ]
	[ "$(hostname)" = "$host_before" ]
}

@test "uts: a hostname without a uts namespace is refused, nothing left" {
	make_bundle true
	cfg '.linux.namespaces |= map(select(.type != "uts"))'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"hostname: needs a private UTS namespace"* ]]
	assert_nothing_left c1
	cfg 'del(.hostname) | .domainname = "example.org"'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"domainname: needs a private UTS namespace"* ]]
	assert_nothing_left c1
}

@test "mount: a mount made inside does not reach the host" {
	make_bundle sh -c 'mount -t tmpfs none /tmp && touch /tmp/inside && readlink /proc/self/ns/mnt && cut -d" " -f5 /proc/self/mountinfo | grep -cx /tmp'
	cfg '.root.readonly = false | .process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(ns_of mnt)" ]
	[ "${lines[1]}" -eq 1 ] # the tmpfs, inside
	[ ! -e "$BUNDLE/rootfs/tmp/inside" ]
	assert_nothing_left c1
}

# The mapped root (host uid 100000) must be able to reach the rootfs, as
# with any runtime: the test directory is mktemp's 0700.
userns_bundle() {
	chmod 755 "$TEST_TMP"
	make_bundle "$@"
	cfg '.linux.namespaces += [{"type": "user"}]
	     | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
	     | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

@test "user: uidMappings/gidMappings map container root to host 100000" {
	userns_bundle sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id; readlink /proc/self/ns/user'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
	[ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
	[[ "${lines[2]}" == "uid=0(root) gid=0(root)"* ]]
	[ "${lines[3]}" != "$(ns_of user)" ]
	assert_nothing_left c1
}

@test "user: the host sees the container's init as uid 100000" {
	userns_bundle sleep 5
	rt create --bundle "$BUNDLE" c1
	pid=$(rt state c1 | jq .pid)
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 100000 ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = 100000 ]
	# the init, root only in its namespace, can still open the exec fifo
	rt start c1
	[ "$(status_of c1)" = running ]
	rt delete --force c1
	assert_nothing_left c1
}

@test "user: a new user namespace without mappings is refused, nothing left" {
	make_bundle true
	cfg '.linux.namespaces += [{"type": "user"}]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.uidMappings"* ]]
	assert_nothing_left c1
}

@test "cgroup: a new namespace roots every hierarchy at the container's cgroup" {
	make_bundle sh -c 'readlink /proc/self/ns/cgroup; grep -vc ":/$" /proc/self/cgroup; true'
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != "$(ns_of cgroup)" ]
	[ "${lines[1]}" -eq 0 ]
}

@test "time: timeOffsets shift the monotonic and boottime clocks" {
	[ -e /proc/self/ns/time ] || skip "the kernel has no time namespaces"
	make_bundle sh -c 'cat /proc/self/timens_offsets; probe clock; cut -d. -f1 /proc/uptime'
	cfg '.linux.namespaces += [{"type": "time"}]
	     | .linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0},
	                             "boottime": {"secs": 172800, "nanosecs": 5}}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -s ' ')" = "monotonic 86400 0" ]
	[ "$(echo "${lines[1]}" | tr -s ' ')" = "boottime 172800 5" ]
	# the host's uptime is its boottime; its monotonic clock is the same
	# here (no suspend), so both are host uptime + offset, give or take
	host_up=$(cut -d. -f1 /proc/uptime)
	mono=$(echo "$output" | sed -n 's/^monotonic=\([0-9]*\) .*/\1/p')
	boot=$(echo "$output" | sed -n 's/.* boottime=\([0-9]*\)$/\1/p')
	[ "$mono" -ge $((86400 + host_up - 5)) ]
	[ "$mono" -le $((86400 + host_up + 5)) ]
	[ "$boot" -ge $((172800 + host_up - 5)) ]
	[ "$boot" -le $((172800 + host_up + 5)) ]
	[ "${lines[-1]}" -ge $((172800 + host_up - 5)) ] # /proc/uptime follows boottime
	assert_nothing_left c1
}

@test "time: timeOffsets without a time namespace are refused, nothing left" {
	make_bundle true
	cfg '.linux.timeOffsets = {"monotonic": {"secs": 10}}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.timeOffsets: needs a time namespace"* ]]
	assert_nothing_left c1
}

@test "join: a network namespace made with ip netns add, by path" {
	NETNS=mini-it4-$$-$RANDOM
	ip netns add "$NETNS"
	# a mark the container can see: lo is down in a new namespace
	ip netns exec "$NETNS" ip link set lo up
	make_bundle sh -c 'ip -o link show lo; readlink /proc/self/ns/net'
	cfg ".linux.namespaces |= map(if .type == \"network\" then .path = \"/run/netns/$NETNS\" else . end)"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"<LOOPBACK,UP,LOWER_UP>"* ]]
	[ "${lines[-1]}" = "net:[$(stat -L -c %i "/run/netns/$NETNS")]" ]
	assert_nothing_left c1
}

@test "join: the uts and pid namespaces of another running container" {
	make_bundle sleep 10
	cfg '.hostname = "first-it4"'
	rt create --bundle "$BUNDLE" first
	rt start first
	pid=$(rt state first | jq .pid)
	mv "$BUNDLE" "$TEST_TMP/first"
	make_bundle sh -c 'hostname; cat /proc/1/comm'
	cfg "del(.hostname) | .linux.namespaces |= map(if .type == \"uts\" then .path = \"/proc/$pid/ns/uts\" elif .type == \"pid\" then .path = \"/proc/$pid/ns/pid\" else . end)"
	run rt run --bundle "$BUNDLE" second
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "first-it4" ]
	[ "${lines[1]}" = "sleep" ]
	assert_nothing_left second
	[ "$(status_of first)" = running ]
}

@test "join: a namespace path that does not exist fails naming it, nothing left" {
	make_bundle true
	cfg '.linux.namespaces |= map(if .type == "network" then .path = "/run/netns/no-such-it4" else . end)'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.namespaces"*"/run/netns/no-such-it4"* ]]
	assert_nothing_left c1
}

@test "join: a path of the wrong kind of namespace fails, nothing left" {
	make_bundle true
	cfg '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.namespaces: join network namespace"* ]]
	assert_nothing_left c1
}
