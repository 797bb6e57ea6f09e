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
	# on-disk 0 as host 100007/100009: 7 and 9 inside
	bind_mount /data2 "$TEST_TMP/other" '["rbind", "idmap"]' \
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
	check '{"uidMappings": '"$one"', "gidMappings": '"$one"'}' \
		'["rbind"]' "mounts[$n].uidMappings: needs the \"idmap\" or \"ridmap\" option"
	check '{"uidMappings": '"$one"'}' \
		'["rbind", "ridmap"]' "mounts[$n].gidMappings: is required with uidMappings"
	# the old refusal is gone
	echo "$good" >"$BUNDLE/config.json"
	cfg '.mounts += [{"destination": "/p", "type": "proc", "source": "proc", "options": ["idmap"]}]'
	fails_with "mounts[$n].options: a proc mount cannot be idmapped (only bind and tmpfs mounts)"
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
