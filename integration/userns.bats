#!/usr/bin/env bats
# User namespaces as Kubernetes pods use them: idmapped mounts (the
# "idmap" and "ridmap" options, a mount's own uidMappings/gidMappings),
# asserted from inside the container and on the host.

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() {
	# submounts a test made on the host under its directory
	grep -o " $TEST_TMP[^ ]*" /proc/self/mounts 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	common_teardown
}

MAP='[{"containerID": 0, "hostID": 100000, "size": 65536}]'

# userns_bundle ARGS...: a bundle with a user namespace 0 -> 100000 (65536)
# and the process ARGS. The mapped root must reach the rootfs (mktemp made
# the test directory 0700), and cannot make directories in a rootfs that
# host root owns: the tests' destinations are made here.
userns_bundle() {
	chmod 755 "$TEST_TMP"
	make_bundle "$@"
	cfg ".linux.namespaces += [{\"type\": \"user\"}]
	     | .linux.uidMappings = $MAP | .linux.gidMappings = $MAP"
	mkdir -p "$BUNDLE/rootfs/data" "$BUNDLE/rootfs/data2"
}

# bind_mount DEST SOURCE OPTIONS_JSON [EXTRA_JSON]: appends a bind mount.
bind_mount() {
	cfg ".mounts += [{\"destination\": \"$1\", \"type\": \"bind\", \"source\": \"$2\",
	                  \"options\": $3} + ${4:-{\}}]"
}

# host_dir NAME: a directory owned by host root with a root-owned file.
host_dir() {
	mkdir -p "$TEST_TMP/$1"
	echo "in-$1" >"$TEST_TMP/$1/f"
	chown -R 0:0 "$TEST_TMP/$1"
	chmod 755 "$TEST_TMP/$1"
}

# mountinfo_of DEST: the container's mountinfo line for DEST in $output.
mountinfo_of() {
	echo "$output" | awk -v d="$1" '$5 == d' | tail -1
}

# assert_clean ID: nothing left, the bundle's cgroup included.
assert_clean() {
	local cg d
	assert_nothing_left "$1"
	cg=$(jq -r '.linux.cgroupsPath // empty' "$BUNDLE/config.json")
	[ -n "$cg" ] || return 0
	for d in /sys/fs/cgroup/*/"$cg" /sys/fs/cgroup/"$cg"; do
		if [ -e "$d" ]; then
			echo "cgroup left: $d" >&2
			return 1
		fi
	done
}

# fails_with TEXT: run fails with exit 1 and TEXT, leaving nothing.
fails_with() {
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	assert_clean c1
}

@test "features: idmap and ridmap are mount options, idmap is enabled" {
	run rt features
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '.linux.mountExtensions.idmap.enabled')" = true ]
	[ "$(echo "$output" | jq '[.mountOptions[] | select(. == "idmap" or . == "ridmap")] | length')" = 2 ]
}

@test "idmap: a root-owned host directory shows as 0:0 inside; without idmap as nobody" {
	host_dir vol
	userns_bundle sh -c 'stat -c "%u:%g" /data/f /data2/f; touch /data/made && stat -c "%u:%g" /data/made; touch /data2/denied 2>/dev/null || echo denied; cat /proc/self/mountinfo'
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap"]'
	bind_mount /data2 "$TEST_TMP/vol" '["rbind"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 65534:65534 ] # unmapped host root: the overflow id
	[ "${lines[2]}" = 0:0 ]
	[ "${lines[3]}" = denied ]
	[[ "$(mountinfo_of /data)" == *idmapped* ]]
	[[ "$(mountinfo_of /data2)" != *idmapped* ]]
	# what the container's root made belongs to host root, as mapped back
	[ "$(stat -c %u:%g "$TEST_TMP/vol/made")" = 0:0 ]
	[ ! -e "$TEST_TMP/vol/denied" ]
	assert_clean c1
}

@test "userns binds: sources below a directory only host root may search, with their options" {
	# containerd keeps a pod's /dev/shm, hosts and resolv.conf in a 0700
	# directory: the mapped root could not reach them, the runtime's side
	# clones them (not idmapped), "ro", "rro" and "rw" as the init's would
	mkdir -m 0700 "$TEST_TMP/private"
	host_dir private/vol
	echo hosts >"$TEST_TMP/private/hosts"
	mkdir -p "$TEST_TMP/private/tree/sub"
	mount -t tmpfs it4sub "$TEST_TMP/private/tree/sub"
	userns_bundle sh -c 'stat -c "%u:%g" /data/f; cat /etc/hosts; touch /data/x 2>/dev/null || echo ro; touch /data2/sub/x 2>/dev/null || echo rro; cat /proc/self/mountinfo'
	bind_mount /data "$TEST_TMP/private/vol" '["rbind", "ro"]'
	touch "$BUNDLE/rootfs/etc/hosts"
	bind_mount /etc/hosts "$TEST_TMP/private/hosts" '["bind", "rw"]'
	bind_mount /data2 "$TEST_TMP/private/tree" '["rbind", "rro"]'
	run rt run --bundle "$BUNDLE" c1
	umount "$TEST_TMP/private/tree/sub"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 65534:65534 ]
	[ "${lines[1]}" = hosts ]
	[ "${lines[2]}" = ro ]
	[ "${lines[3]}" = rro ]
	[[ "$(mountinfo_of /data)" != *idmapped* ]]
	[ ! -e "$TEST_TMP/private/vol/x" ]
	assert_clean c1
	# a missing source is named as the init would name it
	bind_mount /missing "$TEST_TMP/private/nope" '["rbind"]'
	n=$(($(jq '.mounts | length' "$BUNDLE/config.json") - 1))
	fails_with "mounts[$n]: mount /missing: source $TEST_TMP/private/nope: No such file or directory"
}

@test "idmap: the options' flags apply, \"rw\" keeps a read-only source read-only" {
	host_dir vol
	host_dir rovol
	mount --bind "$TEST_TMP/rovol" "$TEST_TMP/rovol"
	mount -o remount,bind,ro "$TEST_TMP/rovol"
	userns_bundle sh -c 'touch /data/x 2>&1; touch /data2/y 2>&1; cat /proc/self/mountinfo'
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap", "ro", "nosuid", "nodev", "noexec"]'
	bind_mount /data2 "$TEST_TMP/rovol" '["rbind", "idmap", "rw"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	opts=,$(mountinfo_of /data | cut -d' ' -f6),
	for o in ro nosuid nodev noexec idmapped; do
		[[ "$opts" == *",$o,"* ]]
	done
	[ ! -e "$TEST_TMP/vol/x" ]
	[ ! -e "$TEST_TMP/rovol/y" ]
	umount "$TEST_TMP/rovol"
	assert_clean c1
}

@test "ridmap: every submount of the tree is idmapped; idmap leaves them as they are" {
	host_dir tree
	mkdir -p "$TEST_TMP/tree/sub"
	mount -t tmpfs -o mode=755 it4idsub "$TEST_TMP/tree/sub"
	echo in-sub >"$TEST_TMP/tree/sub/g"
	userns_bundle sh -c 'stat -c "%u:%g" /data/f /data/sub/g /data2/f /data2/sub/g; cat /proc/self/mountinfo'
	bind_mount /data "$TEST_TMP/tree" '["rbind", "ridmap"]'
	bind_mount /data2 "$TEST_TMP/tree" '["rbind", "idmap"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 0:0 ]
	[ "${lines[2]}" = 0:0 ]
	[ "${lines[3]}" = 65534:65534 ]
	[[ "$(mountinfo_of /data/sub)" == *idmapped*" - tmpfs it4idsub "* ]]
	[[ "$(mountinfo_of /data2/sub)" != *idmapped* ]]
	umount "$TEST_TMP/tree/sub"
	assert_clean c1
}

@test "idmap: explicit per-mount mappings, two distinct ones, neither the container's" {
	host_dir vol
	chown -R 1000:1000 "$TEST_TMP/vol"
	host_dir other
	userns_bundle sh -c 'stat -c "%u:%g" /data/f /data2/f'
	# on-disk 1000 is the mount's container id 1000, host 100000: root inside
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap"]' \
		'{"uidMappings": [{"containerID": 1000, "hostID": 100000, "size": 1}],
		  "gidMappings": [{"containerID": 1000, "hostID": 100000, "size": 1}]}'
	# on-disk 0 as host 100007/100009: 7 and 9 inside; the mappings alone
	# idmap it, as runc (containerd 2.4 sends a pod's volumes without
	# "idmap"; the spec's SHOULD)
	bind_mount /data2 "$TEST_TMP/other" '["rbind"]' \
		'{"uidMappings": [{"containerID": 0, "hostID": 100007, "size": 1}],
		  "gidMappings": [{"containerID": 0, "hostID": 100009, "size": 1}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 7:9 ]
	assert_clean c1
}

@test "idmap: explicit mappings without a user namespace (the container is host root)" {
	host_dir vol
	make_bundle sh -c 'stat -c "%u:%g" /data/f; touch /data/made 2>/dev/null || echo refused'
	bind_mount /data "$TEST_TMP/vol" '["bind", "idmap"]' \
		'{"uidMappings": [{"containerID": 0, "hostID": 4242, "size": 1}],
		  "gidMappings": [{"containerID": 0, "hostID": 4343, "size": 1}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 4242:4343 ]
	# host root has no id in the mount's mapping: it cannot create there
	[ "${lines[1]}" = refused ]
	[ ! -e "$TEST_TMP/vol/made" ]
	assert_clean c1
}

@test "idmap: a tmpfs is idmapped, with its options" {
	userns_bundle sh -c 'stat -c "%u:%g %a" /data; touch /data/x && stat -c "%u:%g" /data/x; cat /proc/self/mountinfo'
	cfg '.mounts += [{"destination": "/data", "type": "tmpfs", "source": "it4idtmp", "options": ["idmap", "mode=750", "size=1m", "nosuid"]}]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0:0 750" ]
	[ "${lines[1]}" = 0:0 ]
	line=$(mountinfo_of /data)
	[[ "$line" == *idmapped*" - tmpfs it4idtmp "*"size=1024k"* ]]
	[[ "$line" == *nosuid* ]]
	assert_clean c1
}

@test "idmap: a file bind, a propagation option, and only fds 0-2 reach the process" {
	host_dir vol
	userns_bundle sh -c 'stat -c "%u:%g" /etc/idfile; probe fds; cat /proc/self/mountinfo'
	touch "$BUNDLE/rootfs/etc/idfile"
	bind_mount /etc/idfile "$TEST_TMP/vol/f" '["bind", "idmap"]'
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap", "rshared"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "$(echo "$output" | grep '^fd ' | cut -d' ' -f2 | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	[[ "$(mountinfo_of /data)" == *" shared:"* ]]
	assert_clean c1
}

@test "idmap: a destination through a symlink stays in the rootfs" {
	host_dir vol
	userns_bundle cat /proc/self/mountinfo
	ln -s / "$BUNDLE/rootfs/evil-abs"
	ln -s ../../../../../../.. "$BUNDLE/rootfs/evil-rel"
	bind_mount /evil-abs/data "$TEST_TMP/vol" '["rbind", "idmap"]'
	bind_mount /evil-rel/data2 "$TEST_TMP/vol" '["rbind", "idmap"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mountinfo_of /data)" == *idmapped* ]]
	[[ "$(mountinfo_of /data2)" == *idmapped* ]]
	! grep -q "$TEST_TMP/vol" /proc/1/mountinfo
	assert_clean c1
}

@test "idmap: bad mappings and options are refused naming the field, nothing left" {
	host_dir vol
	userns_bundle true
	good=$(cat "$BUNDLE/config.json")
	n=$(jq '.mounts | length' "$BUNDLE/config.json")
	one='[{"containerID": 0, "hostID": 100000, "size": 1}]'
	check() { # EXTRA_JSON OPTIONS TEXT
		echo "$good" >"$BUNDLE/config.json"
		bind_mount /data "$TEST_TMP/vol" "$2" "$1"
		fails_with "$3"
	}
	check '{"uidMappings": [{"containerID": 0, "hostID": 100000, "size": 0}], "gidMappings": '"$one"'}' \
		'["rbind", "idmap"]' "mounts[$n].uidMappings[0].size: 0 is out of range"
	check '{"uidMappings": [{"containerID": 4294967290, "hostID": 100000, "size": 10}], "gidMappings": '"$one"'}' \
		'["rbind", "idmap"]' "mounts[$n].uidMappings[0].size: containerID + size is past 4294967295"
	check '{"uidMappings": '"$one"', "gidMappings": [{"containerID": 0, "hostID": 1, "size": 10}, {"containerID": 5, "hostID": 100, "size": 1}]}' \
		'["rbind", "idmap"]' "mounts[$n].gidMappings[1].containerID: overlaps gidMappings[0]"
	check '{"uidMappings": [{"containerID": 0, "hostID": 1, "size": 10}, {"containerID": 50, "hostID": 9, "size": 1}], "gidMappings": '"$one"'}' \
		'["rbind", "idmap"]' "mounts[$n].uidMappings[1].hostID: overlaps uidMappings[0]"
	check '{"uidMappings": [{"containerID": "0", "hostID": 1, "size": 1}], "gidMappings": '"$one"'}' \
		'["rbind", "idmap"]' "mounts[$n].uidMappings[0].containerID: expected an integer"
	check '{"uidMappings": '"$one"'}' \
		'["rbind", "ridmap"]' "mounts[$n].gidMappings: is required with uidMappings"
	# the old refusal is gone
	echo "$good" >"$BUNDLE/config.json"
	cfg '.mounts += [{"destination": "/p", "type": "proc", "source": "proc", "options": ["idmap"]}]'
	fails_with "mounts[$n].options: a proc mount cannot be idmapped (only bind and tmpfs mounts)"
	# mappings without "idmap" imply it, so the same refusal names them
	echo "$good" >"$BUNDLE/config.json"
	cfg ".mounts += [{\"destination\": \"/p\", \"type\": \"proc\", \"source\": \"proc\",
	                  \"uidMappings\": $one, \"gidMappings\": $one}]"
	fails_with "mounts[$n].uidMappings: a proc mount cannot be idmapped (only bind and tmpfs mounts)"
	# no user namespace, no mappings of its own: nothing to take
	make_bundle true
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap"]'
	fails_with "mounts[$n].options: \"idmap\" without uidMappings needs a user namespace"
	cfg '.linux.namespaces |= map(select(.type != "mount")) | .mounts = [.mounts[-1]]'
	fails_with 'mounts[0].options: "idmap" needs a mount namespace'
}

@test "idmap: a filesystem that cannot be idmapped is refused clearly, nothing left" {
	userns_bundle true
	n=$(jq '.mounts | length' "$BUNDLE/config.json")
	bind_mount /data /sys/kernel '["rbind", "idmap"]'
	fails_with "mounts[$n]: idmapped mount /data: this filesystem cannot be idmapped: Invalid argument"
	# ridmap: a submount that cannot be is refused too, naming the cause
	userns_bundle true
	host_dir tree
	mkdir -p "$TEST_TMP/tree/proc"
	mount -t proc it4idproc "$TEST_TMP/tree/proc"
	bind_mount /data "$TEST_TMP/tree" '["rbind", "ridmap"]'
	run rt run --bundle "$BUNDLE" c1
	umount "$TEST_TMP/tree/proc"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"mounts[$n]: idmapped mount /data: this filesystem cannot be idmapped (this or a mount below it)"* ]]
	assert_clean c1
}

@test "idmap: a missing source names it; a failing mount later leaves nothing" {
	userns_bundle true
	n=$(jq '.mounts | length' "$BUNDLE/config.json")
	bind_mount /data "$TEST_TMP/nope" '["rbind", "idmap"]'
	fails_with "mounts[$n]: idmapped mount /data: bind $TEST_TMP/nope: open_tree $TEST_TMP/nope: No such file or directory"
	# the idmapped mount made and sent, then the init fails at a later one
	userns_bundle true
	host_dir vol
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap"]'
	cfg '.mounts += [{"destination": "/x", "type": "no-such-fs", "source": "none"}]'
	fails_with "mounts[$((n + 1))]"
}

# sandbox: a running container "pod" with a user namespace (the pod's
# sandbox), $PODPID its init; then a fresh $BUNDLE for the next one.
sandbox() {
	userns_bundle sleep 60
	cfg '.hostname = "pod-it4"'
	rt run --detach --bundle "$BUNDLE" pod
	PODPID=$(rt state pod | jq .pid)
	mv "$BUNDLE" "$TEST_TMP/pod"
}

# join_pod KINDS...: the bundle joins the sandbox's namespaces of KINDS by
# path (the user namespace always), as a pod's containers join theirs.
join_pod() {
	local k
	cfg "del(.hostname) | .linux.namespaces |= map(select(.type != \"user\")) | .linux.namespaces += [{\"type\": \"user\", \"path\": \"/proc/$PODPID/ns/user\"}]"
	for k in "$@"; do
		cfg ".linux.namespaces |= map(if .type == \"$k\" then .path = \"/proc/$PODPID/ns/$([ "$k" = network ] && echo net || echo "$k")\" else . end)"
	done
}

@test "pod: a container joins the sandbox's user, network, ipc and uts namespaces by path" {
	sandbox
	host_dir vol
	userns_bundle sh -c 'for n in user net pid; do readlink /proc/self/ns/$n; done; cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; hostname; echo "pid=$$"; stat -c "%u:%g" /data/f; touch /data/made'
	join_pod network ipc uts
	bind_mount /data "$TEST_TMP/vol" '["rbind", "idmap"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$PODPID/ns/user)" ]
	[ "${lines[1]}" = "$(readlink /proc/$PODPID/ns/net)" ]
	# its own pid namespace, owned by the pod's user namespace: proc mounts
	[ "${lines[2]}" != "$(readlink /proc/$PODPID/ns/pid)" ]
	[ "$(echo "${lines[3]}" | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
	[ "$(echo "${lines[4]}" | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
	[ "${lines[5]}" = 0 ]
	[ "${lines[6]}" = 0 ]
	[ "${lines[7]}" = pod-it4 ]
	[ "${lines[8]}" = pid=1 ]
	# idmapped with the namespace joined
	[ "${lines[9]}" = 0:0 ]
	[ "$(stat -c %u:%g "$TEST_TMP/vol/made")" = 0:0 ]
	assert_clean c1
	[ "$(status_of pod)" = running ]
}

@test "pod: namespaces pinned in a directory only host root may search, as containerd's" {
	sandbox
	# containerd's pinned-namespaces: bind mounts of the sandbox's nsfs
	# files in a 0700 directory, which the mapped root cannot search
	mkdir -m 0700 "$TEST_TMP/pinned"
	for n in user net ipc; do
		touch "$TEST_TMP/pinned/$n"
		mount --bind "/proc/$PODPID/ns/$n" "$TEST_TMP/pinned/$n"
	done
	userns_bundle sh -c 'for n in user net ipc; do readlink /proc/self/ns/$n; done; id -u; ls /proc/self/fd'
	cfg ".process.oomScoreAdj = 0 | .linux.namespaces |= map(select(.type != \"user\"))
	     | .linux.namespaces += [{\"type\": \"user\", \"path\": \"$TEST_TMP/pinned/user\"}]
	     | .linux.namespaces |= map(if .type == \"network\" then .path = \"$TEST_TMP/pinned/net\"
	                                elif .type == \"ipc\" then .path = \"$TEST_TMP/pinned/ipc\" else . end)"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$PODPID/ns/user)" ]
	[ "${lines[1]}" = "$(readlink /proc/$PODPID/ns/net)" ]
	[ "${lines[2]}" = "$(readlink /proc/$PODPID/ns/ipc)" ]
	[ "${lines[3]}" = 0 ]
	# the namespace fds opened for the init reach no process: 0-2 and ls's own
	[ "$(echo "${lines[@]:4}" | tr ' ' '\n' | sort -n | tr '\n' ' ')" = "0 1 2 3 " ]
	umount "$TEST_TMP"/pinned/*
	assert_clean c1
	[ "$(status_of pod)" = running ]
}

@test "pod: the config's mappings are checked against the namespace joined, nothing left" {
	sandbox
	userns_bundle true
	join_pod
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	cfg '.linux.uidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	fails_with 'linux.uidMappings: not the mappings of the user namespace joined (linux.namespaces path), which has "         0     100000      65536"'
	cfg ".linux.uidMappings = $MAP | .linux.gidMappings += [{\"containerID\": 70000, \"hostID\": 300000, \"size\": 1}]"
	fails_with 'linux.gidMappings: not the mappings of the user namespace joined (linux.namespaces path), which has "fewer ranges"'
	# and no mappings at all: the namespace's own are the container's
	cfg 'del(.linux.uidMappings) | del(.linux.gidMappings)'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$(status_of pod)" = running ]
}

@test "pod: exec into a container that joined the pod's user namespace; the memory policy applies" {
	sandbox
	userns_bundle sleep 30
	join_pod network
	# oom_score_adj too (containerd sets it on every container): written
	# before the join, inside it /proc/self is host root's (EACCES)
	cfg '.linux.memoryPolicy = {"mode": "MPOL_LOCAL"} | .process.oomScoreAdj = 123'
	rt run --detach --bundle "$BUNDLE" c1
	pid=$(rt state c1 | jq .pid)
	[ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/$PODPID/ns/user)" ]
	[ "$(cat /proc/$pid/oom_score_adj)" = 123 ]
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 100000 ]
	run rt exec c1 sh -c 'readlink /proc/self/ns/user; id -u; probe mempolicy; echo "ppid=$PPID"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$PODPID/ns/user)" ]
	[ "${lines[1]}" = 0 ]
	rt delete --force c1
	assert_clean c1
	# the init's policy, read back, in state and in the process
	cfg '.process.args = ["probe", "mempolicy"]'
	run rt run --bundle "$BUNDLE" c2
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "mode=4 flags=0x0 nodes=" ]
	assert_clean c2
	[ "$(status_of pod)" = running ]
}

@test "pod: joining a user namespace that does not exist fails naming it, nothing left" {
	userns_bundle true
	cfg '.linux.namespaces |= map(if .type == "user" then .path = "/proc/999999999/ns/user" else . end)'
	fails_with "linux.namespaces: open user namespace /proc/999999999/ns/user: No such file or directory"
	cfg '.linux.namespaces |= map(if .type == "user" then .path = "/proc/self/ns/net" else . end)'
	fails_with "linux.namespaces: join user namespace /proc/self/ns/net: Invalid argument"
}

@test "spec --rootless: runc's rootless template for the calling user" {
	mkdir -p "$TEST_TMP/rl" "$TEST_TMP/def"
	chmod 755 "$TEST_TMP"
	chown 65534:65534 "$TEST_TMP/rl"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$MINI_RUNTIME" spec --rootless --bundle "$TEST_TMP/rl"
	[ "$status" -eq 0 ]
	rt spec --bundle "$TEST_TMP/def"
	c=$TEST_TMP/rl/config.json
	[ "$(jq -c '[.linux.namespaces[].type]' "$c")" = '["pid","ipc","uts","mount","user"]' ]
	[ "$(jq -c '.linux.uidMappings' "$c")" = '[{"containerID":0,"hostID":65534,"size":1}]' ]
	[ "$(jq -c '.linux.gidMappings' "$c")" = '[{"containerID":0,"hostID":65534,"size":1}]' ]
	[ "$(jq -c '.mounts[] | select(.destination == "/sys")' "$c")" = '{"destination":"/sys","type":"none","source":"/sys","options":["rbind","nosuid","noexec","nodev","ro"]}' ]
	[ "$(jq '[.mounts[].options[]? | select(startswith("gid=") or startswith("uid="))] | length' "$c")" = 0 ]
	[ "$(jq '.linux.resources' "$c")" = null ]
	# the rest is the default template's
	[ "$(jq -c 'del(.linux, .mounts)' "$c")" = "$(jq -c 'del(.linux, .mounts)' "$TEST_TMP/def/config.json")" ]
	# and it runs (here as root, the mapping then being root's own)
	BUNDLE=$TEST_TMP/rl
	cp -a "$CACHE_DIR/rootfs" "$BUNDLE/rootfs"
	cfg ".process.terminal = false | .process.args = [\"sh\", \"-c\", \"id -u; cat /proc/self/uid_map\"]
	     | .linux.uidMappings[0].hostID = $(id -u) | .linux.gidMappings[0].hostID = $(id -g)"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "0 0 1" ]
	assert_nothing_left c1
}
