#!/usr/bin/env bats
# The container's filesystem, asserted from inside: config mounts of every
# kind, their flags in /proc/self/mountinfo, order, the read-only root,
# propagation, --no-pivot, /dev, masked and read-only paths, and mount
# destinations that try to climb out of the rootfs through symlinks.

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() { common_teardown; }

# add_mount JSON: appends one mount to config.json.
add_mount() {
	cfg ".mounts += [$1]"
}

# mountinfo_of DEST: the container's mountinfo line for mount point DEST,
# from the output of `cat /proc/self/mountinfo` in $output.
mountinfo_of() {
	echo "$output" | awk -v d="$1" '$5 == d' | tail -1
}

@test "bind: a directory and a file, destinations created as needed" {
	mkdir -p "$TEST_TMP/hostdir"
	echo dir-content >"$TEST_TMP/hostdir/f"
	echo file-content >"$TEST_TMP/hostfile"
	make_bundle sh -c 'cat /deep/er/dir/f /etc/it4-file; [ -d /deep/er/dir ] && [ -f /etc/it4-file ] && echo types-ok'
	add_mount "{\"destination\": \"/deep/er/dir\", \"type\": \"bind\", \"source\": \"$TEST_TMP/hostdir\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/etc/it4-file\", \"type\": \"bind\", \"source\": \"$TEST_TMP/hostfile\", \"options\": [\"rbind\"]}"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = dir-content ]
	[ "${lines[1]}" = file-content ]
	[ "${lines[2]}" = types-ok ]
	assert_nothing_left c1
}

@test "rbind takes the submounts along, bind does not" {
	mkdir -p "$TEST_TMP/tree/sub"
	mount -t tmpfs it4sub "$TEST_TMP/tree/sub"
	echo in-submount >"$TEST_TMP/tree/sub/f"
	make_bundle sh -c 'cat /r/sub/f; ls /b/sub | wc -l'
	add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$TEST_TMP/tree\", \"options\": [\"rbind\"]}"
	add_mount "{\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"$TEST_TMP/tree\", \"options\": [\"bind\"]}"
	run rt run --bundle "$BUNDLE" c1
	umount "$TEST_TMP/tree/sub"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = in-submount ]
	[ "${lines[1]}" -eq 0 ]
	assert_nothing_left c1
}

@test "rro: the bind and its submounts are read-only; ro leaves the submounts writable" {
	mkdir -p "$TEST_TMP/tree/sub"
	mount -t tmpfs it4rro "$TEST_TMP/tree/sub"
	make_bundle sh -c 'for f in /rro/a /rro/sub/b /ro/c /ro/sub/d; do touch $f && echo "$f rw" || echo "$f ro"; done 2>/dev/null'
	add_mount "{\"destination\": \"/rro\", \"type\": \"bind\", \"source\": \"$TEST_TMP/tree\", \"options\": [\"rbind\", \"rro\"]}"
	add_mount "{\"destination\": \"/ro\", \"type\": \"bind\", \"source\": \"$TEST_TMP/tree\", \"options\": [\"rbind\", \"ro\"]}"
	run rt run --bundle "$BUNDLE" c1
	ls "$TEST_TMP/tree/sub"
	umount "$TEST_TMP/tree/sub"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "/rro/a ro
/rro/sub/b ro
/ro/c ro
/ro/sub/d rw" ]
	# containerd reads it from features to offer recursive read-only mounts
	"$MINI_RUNTIME" features | jq -e '.mountOptions | index("rro")'
	assert_nothing_left c1
}

@test "bind ro: writing fails with EROFS; the host directory is untouched" {
	mkdir -p "$TEST_TMP/hostdir"
	make_bundle sh -c 'touch /data/x 2>&1; cat /proc/self/mountinfo'
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TEST_TMP/hostdir\", \"options\": [\"rbind\", \"ro\", \"nosuid\", \"nodev\", \"noexec\"]}"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	opts=,$(mountinfo_of /data | cut -d' ' -f6),
	for o in ro nosuid nodev noexec; do
		[[ "$opts" == *",$o,"* ]]
	done
	[ ! -e "$TEST_TMP/hostdir/x" ]
}

@test "tmpfs: size= and mode= reach the filesystem" {
	make_bundle sh -c 'stat -c %a /scratch; cat /proc/self/mountinfo'
	add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m", "mode=710", "nosuid", "nodev", "noexec"]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 710 ]
	line=$(mountinfo_of /scratch)
	[[ "$line" == *" - tmpfs tmpfs "*"size=2048k"* ]]
	[[ "$line" == *"mode=710"* ]]
	[[ "$(echo "$line" | cut -d' ' -f6)" == rw,nosuid,nodev,noexec* ]]
}

@test "nosuid/nodev/noexec are visible, and noexec is enforced" {
	make_bundle sh -c 'cp /bin/busybox /x/bb; /x/bb true 2>&1; echo "exec=$?"; cat /proc/self/mountinfo'
	add_mount '{"destination": "/x", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "nosuid", "nodev"]}'
	add_mount '{"destination": "/y", "type": "tmpfs", "source": "tmpfs", "options": ["exec", "suid", "dev"]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Permission denied"* ]]
	[ "$(echo "$output" | grep '^exec=')" = "exec=126" ]
	[[ "$(mountinfo_of /x | cut -d' ' -f6)" == *nosuid,nodev,noexec* ]]
	opts_y=$(mountinfo_of /y | cut -d' ' -f6)
	[[ "$opts_y" != *nosuid* && "$opts_y" != *nodev* && "$opts_y" != *noexec* ]]
}

@test "proc, sysfs, devpts, mqueue and cgroup mounts have their types" {
	make_bundle sh -c 'cat /proc/self/mountinfo; echo $$ >/sys/fs/cgroup/pids/cgroup.procs; ls /sys/fs/cgroup | wc -l; ls /sys/class/net'
	add_mount '{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mountinfo_of /proc)" == *" - proc "* ]]
	[[ "$(mountinfo_of /sys)" == *" - sysfs "* ]]
	[[ "$(mountinfo_of /dev/pts)" == *" - devpts "*"ptmxmode=666"* ]]
	[[ "$(mountinfo_of /dev/mqueue)" == *" - mqueue "* ]]
	[[ "$(mountinfo_of /dev/shm)" == *" - tmpfs shm "* ]]
	cg=$(echo "$output" | awk '$5 ~ "^/sys/fs/cgroup"')
	[ -n "$cg" ]
	[[ "$(mountinfo_of /sys/fs/cgroup | cut -d' ' -f6)" == ro,* ]]
	# read-only all the way down: no way into the host's cgroups
	[[ "$output" == *"cgroup.procs: Read-only file system"* ]]
	[ "$(echo "$output" | grep -E '^[0-9]+$')" -gt 0 ]
	# the network namespace's own sysfs: only lo
	[ "${lines[-1]}" = lo ]
}

@test "mounts are made in config order" {
	mkdir -p "$TEST_TMP/hostdir"
	echo bound >"$TEST_TMP/hostdir/f"
	make_bundle sh -c 'cat /a/b/f 2>&1; ls /c | wc -l'
	# /a/b on top of the tmpfs /a: visible
	add_mount '{"destination": "/a", "type": "tmpfs", "source": "tmpfs"}'
	add_mount "{\"destination\": \"/a/b\", \"type\": \"bind\", \"source\": \"$TEST_TMP/hostdir\", \"options\": [\"bind\"]}"
	# /c/d first, then a tmpfs over /c hides it
	add_mount "{\"destination\": \"/c/d\", \"type\": \"bind\", \"source\": \"$TEST_TMP/hostdir\", \"options\": [\"bind\"]}"
	add_mount '{"destination": "/c", "type": "tmpfs", "source": "tmpfs"}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = bound ]
	[ "${lines[1]}" -eq 0 ]
	assert_nothing_left c1
}

@test "root.readonly: the root is read-only; false lets the process write" {
	make_bundle sh -c 'touch /it4-file 2>&1; echo "rc=$?"'
	cfg '.root.readonly = true'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	[ ! -e "$BUNDLE/rootfs/it4-file" ]
	cfg '.root.readonly = false'
	run rt run --bundle "$BUNDLE" c2
	[ "$status" -eq 0 ]
	[ "$output" = "rc=0" ]
	[ -e "$BUNDLE/rootfs/it4-file" ]
}

@test "rootfsPropagation: rshared, runbindable and the rslave default" {
	make_bundle cat /proc/self/mountinfo
	cfg '.linux.rootfsPropagation = "rshared"'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mountinfo_of /)" == *" shared:"* ]]
	cfg '.linux.rootfsPropagation = "runbindable"'
	run rt run --bundle "$BUNDLE" c2
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mountinfo_of /)" == *" unbindable "* ]]
	cfg 'del(.linux.rootfsPropagation)'
	run rt run --bundle "$BUNDLE" c3
	[ "$status" -eq 0 ]
	[[ "$(mountinfo_of /)" != *" shared:"* ]]
	assert_nothing_left c3
}

@test "a propagation option on a mount applies to that mount" {
	mkdir -p "$TEST_TMP/hostdir"
	make_bundle cat /proc/self/mountinfo
	add_mount '{"destination": "/p", "type": "tmpfs", "source": "tmpfs", "options": ["rshared"]}'
	add_mount "{\"destination\": \"/q\", \"type\": \"bind\", \"source\": \"$TEST_TMP/hostdir\", \"options\": [\"rbind\", \"shared\"]}"
	add_mount '{"destination": "/u", "type": "tmpfs", "source": "tmpfs", "options": ["unbindable"]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mountinfo_of /p)" == *" shared:"* ]]
	[[ "$(mountinfo_of /q)" == *" shared:"* ]]
	[[ "$(mountinfo_of /u)" == *" unbindable "* ]]
	[[ "$(mountinfo_of /dev)" != *" shared:"* ]]
	assert_nothing_left c1
}

@test "rootfsPropagation: an unknown value is refused, nothing left" {
	make_bundle true
	cfg '.linux.rootfsPropagation = "sideways"'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'linux.rootfsPropagation: unknown propagation "sideways"'* ]]
	assert_nothing_left c1
}

@test "--no-pivot: the process runs in the rootfs, old root unreachable" {
	make_bundle sh -c 'cat /etc/passwd; ls / | wc -l; [ -e /bin/probe ] && echo probe-here'
	run rt run --no-pivot --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "root:x:0:0:root:/root:/bin/sh" ]
	[ "${lines[1]}" -eq "$(ls "$BUNDLE/rootfs" | wc -l)" ]
	[ "${lines[2]}" = probe-here ]
	assert_nothing_left c1
}

@test "default devices: nodes, modes and the /dev links" {
	make_bundle sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done
		for l in ptmx fd stdin stdout stderr; do echo "$l -> $(readlink /dev/$l)"; done
		echo ok >/dev/null && head -c 4 /dev/zero | wc -c'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/null character special file 1:3 666" ]
	[ "${lines[1]}" = "/dev/zero character special file 1:5 666" ]
	[ "${lines[2]}" = "/dev/full character special file 1:7 666" ]
	[ "${lines[3]}" = "/dev/random character special file 1:8 666" ]
	[ "${lines[4]}" = "/dev/urandom character special file 1:9 666" ]
	[ "${lines[5]}" = "/dev/tty character special file 5:0 666" ]
	[ "${lines[6]}" = "ptmx -> pts/ptmx" ]
	[ "${lines[7]}" = "fd -> /proc/self/fd" ]
	[ "${lines[8]}" = "stdin -> /proc/self/fd/0" ]
	[ "${lines[9]}" = "stdout -> /proc/self/fd/1" ]
	[ "${lines[10]}" = "stderr -> /proc/self/fd/2" ]
	[ "${lines[11]}" = 4 ]
}

@test "linux.devices: c, b and p with fileMode, uid and gid" {
	make_bundle sh -c 'stat -c "%n %F %t:%T %a %u:%g" /dev/it4null /dev/sub/it4loop /dev/it4fifo'
	cfg '.linux.devices = [
		{"path": "/dev/it4null", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 1000, "gid": 1001},
		{"path": "/dev/sub/it4loop", "type": "b", "major": 7, "minor": 0, "fileMode": 384},
		{"path": "/dev/it4fifo", "type": "p", "fileMode": 420, "uid": 5, "gid": 6}]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/it4null character special file 1:3 660 1000:1001" ]
	[ "${lines[1]}" = "/dev/sub/it4loop block special file 7:0 600 0:0" ]
	[ "${lines[2]}" = "/dev/it4fifo fifo 0:0 644 5:6" ]
}

@test "linux.devices: an unknown type is refused naming the field, nothing left" {
	make_bundle true
	cfg '.linux.devices = [{"path": "/dev/x", "type": "z", "major": 1, "minor": 3}]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'linux.devices[0].type: unknown device type "z"'* ]]
	assert_nothing_left c1
}

@test "maskedPaths: a masked file reads empty, a masked directory is empty" {
	make_bundle sh -c 'echo "file=[$(cat /etc/it4-secret)]"; echo "dir=$(ls /opt/it4-dir | wc -l)"; echo "keys=$(wc -c </proc/keys)"; echo x >/etc/it4-secret 2>&1; touch /opt/it4-dir/new 2>&1 || true'
	echo secret >"$BUNDLE/rootfs/etc/it4-secret"
	mkdir -p "$BUNDLE/rootfs/opt/it4-dir"
	touch "$BUNDLE/rootfs/opt/it4-dir/a" "$BUNDLE/rootfs/opt/it4-dir/b"
	cfg '.root.readonly = false | .linux.maskedPaths += ["/etc/it4-secret", "/opt/it4-dir", "/no/such/path"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "file=[]" ]
	[ "${lines[1]}" = "dir=0" ]
	[ "${lines[2]}" = "keys=0" ]
	[[ "${lines[3]}" == *"Read-only file system"* ]]
	[ "$(cat "$BUNDLE/rootfs/etc/it4-secret")" = secret ]
	assert_nothing_left c1
	# a path that exists (or may) but cannot be resolved is not skipped
	# silently: that would leave it unmasked
	ln -s it4-loop "$BUNDLE/rootfs/it4-loop"
	cfg '.linux.maskedPaths += ["/it4-loop/x"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.maskedPaths: "*"it4-loop"*"symbolic links"* ]]
	assert_nothing_left c1
}

@test "maskedPaths and readonlyPaths: a path listed twice is mounted over once; a path under a file is skipped" {
	make_bundle sh -c 'for p in /opt/it4-dir /etc/it4-secret /data; do echo "$p=$(grep -c " $p " /proc/self/mountinfo)"; done; echo "dir=$(ls /opt/it4-dir | wc -l)"; echo "file=[$(cat /etc/it4-secret)]"'
	echo secret >"$BUNDLE/rootfs/etc/it4-secret"
	mkdir -p "$BUNDLE/rootfs/opt/it4-dir" "$BUNDLE/rootfs/data"
	touch "$BUNDLE/rootfs/opt/it4-dir/a"
	cfg '.root.readonly = false
	     | .linux.maskedPaths += ["/opt/it4-dir", "/etc/it4-secret", "/opt/it4-dir", "/etc/it4-secret/x", "/etc/it4-secret"]
	     | .linux.readonlyPaths += ["/data", "/data"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/opt/it4-dir=1" ]
	[ "${lines[1]}" = "/etc/it4-secret=1" ]
	[ "${lines[2]}" = "/data=1" ]
	[ "${lines[3]}" = "dir=0" ]
	[ "${lines[4]}" = "file=[]" ]
	assert_nothing_left c1
}

@test "readonlyPaths: writes fail with EROFS, the rest stays writable" {
	make_bundle sh -c 'touch /data/x 2>&1; echo 1 >/proc/sys/kernel/ns_last_pid 2>&1; touch /other/y && echo other-ok'
	mkdir -p "$BUNDLE/rootfs/data" "$BUNDLE/rootfs/other"
	cfg '.root.readonly = false | .linux.readonlyPaths += ["/data"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"/data/x"*"Read-only file system"* ]]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	[ "${lines[2]}" = other-ok ]
	[ ! -e "$BUNDLE/rootfs/data/x" ]
}

@test "symlink attack: a destination through a link to / stays in the rootfs" {
	make_bundle sh -c 'cat /proc/self/mountinfo; ls -d /it4-made-here'
	ln -s / "$BUNDLE/rootfs/evil-abs"
	ln -s ../../../../../../.. "$BUNDLE/rootfs/evil-rel"
	made=it4-escape-$$-$RANDOM
	add_mount "{\"destination\": \"/evil-abs/$made/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}"
	add_mount '{"destination": "/evil-rel/tmp", "type": "tmpfs", "source": "it4tmp"}'
	add_mount '{"destination": "/evil-rel/it4-made-here", "type": "tmpfs", "source": "tmpfs"}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	# landed inside: the mounts are where the rootfs puts them
	[[ "$(mountinfo_of "/$made/x")" == *" - tmpfs "* ]]
	[[ "$(mountinfo_of /tmp)" == *" - tmpfs it4tmp "* ]]
	[ "${lines[-1]}" = /it4-made-here ]
	# and nothing was made on the host
	[ ! -e "/$made" ]
	[ ! -e /it4-made-here ]
	[ -d "$BUNDLE/rootfs/$made/x" ]
	assert_nothing_left c1
}

@test "symlink attack: a bind destination that is a symlink to a host file" {
	echo harmless >"$TEST_TMP/src"
	target=$TEST_TMP/host-victim
	echo original >"$target"
	make_bundle cat /etc/it4-link
	ln -s "$target" "$BUNDLE/rootfs/etc/it4-link"
	add_mount "{\"destination\": \"/etc/it4-link\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\"]}"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	# either it is refused or it lands inside the rootfs; the host file is intact
	[ "$(cat "$target")" = original ]
	if [ "$status" -eq 0 ]; then
		[ "$output" = harmless ]
	fi
	assert_nothing_left c1
}

@test "a mount that fails names mounts[N], nothing left" {
	make_bundle true
	add_mount '{"destination": "/x", "type": "no-such-fs", "source": "none"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"mounts[$(($(jq '.mounts | length' "$BUNDLE/config.json") - 1))]"*"/x"* ]]
	assert_nothing_left c1
}

@test "a bind mount with a missing source names it, nothing left" {
	make_bundle true
	add_mount "{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$TEST_TMP/nope\", \"options\": [\"bind\"]}"
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"mounts["*"source $TEST_TMP/nope: No such file or directory"* ]]
	assert_nothing_left c1
}
