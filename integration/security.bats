#!/usr/bin/env bats
# Attacks. Each test performs a known container escape (runc's CVEs are the
# catalogue) or feeds hostile input, and asserts that it fails: the host is
# untouched and nothing is left behind. docs/security.md maps each class to
# its defence. The attacker inside is integration/lib/attack.c.

load lib/common
bats_require_minimum_version 1.5.0

IT_CGROUP_PARENT=mini-sec

# Every capability this machine's root holds (not CAP_SYS_RESOURCE here), for
# the "privileged" attacker: the defence under test must hold even when
# ptrace and CAP_SYS_ADMIN checks do not stop it.
ALL_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_FSETID",
"CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_LINUX_IMMUTABLE",
"CAP_NET_BIND_SERVICE","CAP_NET_BROADCAST","CAP_NET_ADMIN","CAP_NET_RAW","CAP_IPC_LOCK",
"CAP_IPC_OWNER","CAP_SYS_MODULE","CAP_SYS_RAWIO","CAP_SYS_CHROOT","CAP_SYS_PTRACE",
"CAP_SYS_PACCT","CAP_SYS_ADMIN","CAP_SYS_BOOT","CAP_SYS_NICE",
"CAP_SYS_TIME","CAP_SYS_TTY_CONFIG","CAP_MKNOD","CAP_LEASE","CAP_AUDIT_WRITE",
"CAP_AUDIT_CONTROL","CAP_SETFCAP","CAP_MAC_OVERRIDE","CAP_MAC_ADMIN","CAP_SYSLOG",
"CAP_WAKE_ALARM","CAP_BLOCK_SUSPEND","CAP_AUDIT_READ","CAP_PERFMON","CAP_BPF",
"CAP_CHECKPOINT_RESTORE"]'

setup() {
	common_setup
	build_attack
}
teardown() { common_teardown; }

# The attacker binary, built once next to the rootfs template.
build_attack() {
	local src=$INTEGRATION_DIR/lib/attack.c bin=$CACHE_DIR/attack
	[ "$bin" -nt "$src" ] && return 0
	exec {lock}>"$CACHE_DIR/.lock-attack"
	flock "$lock"
	if [ ! "$bin" -nt "$src" ]; then
		gcc -O2 -static -Wall -o "$bin.new" "$src"
		mv "$bin.new" "$bin"
	fi
	exec {lock}>&-
}

# attack_bundle ARGS...: make_bundle with /bin/attack in the rootfs.
attack_bundle() {
	sec_bundle "$@"
	cp "$CACHE_DIR/attack" "$BUNDLE/rootfs/bin/attack"
}

caps() {
	cfg ".process.capabilities = {\"bounding\": $1, \"effective\": $1, \"permitted\": $1}"
}

# with_fd N DIR CMD...: runs CMD with fd N open on DIR (what a careless
# caller leaves behind: containerd's shim, a `docker exec` wrapper ...).
with_fd() {
	bash -c 'exec {fd}<"$2"; [ "$fd" = "$1" ] || eval "exec $1<&$fd"; shift 2; exec "$@"' _ "$@"
}

# sec_bundle ARGS...: make_bundle, remembering the cgroup for
# assert_no_cgroup (the tests below mangle config.json).
sec_bundle() {
	make_bundle "$@"
	CGROUP=$(jq -r '.linux.cgroupsPath // empty' "$BUNDLE/config.json")
}

# assert_no_cgroup: the bundle's cgroup is gone from every hierarchy.
assert_no_cgroup() {
	local d
	[ -n "$CGROUP" ] || return 0
	for d in /sys/fs/cgroup/*/"$CGROUP" /sys/fs/cgroup/"$CGROUP"; do
		if [ -e "$d" ]; then
			echo "cgroup left: $d" >&2
			return 1
		fi
	done
}

# assert_host_unmounted MARKER: no mount on the host (this namespace or
# PID 1's) has MARKER in its line: race-free against whatever else mounts.
assert_host_unmounted() {
	if grep -h -- "$1" /proc/self/mountinfo /proc/1/mountinfo; then
		echo "mount with $1 reached the host" >&2
		return 1
	fi
}

# refute_grep PATTERN FILE...: fails, showing them, if any line matches.
# (bats does not fail a test on a `! cmd` that is not its last line.)
refute_grep() {
	if grep -- "$@" >&2; then
		return 1
	fi
}

# wait_for_line FILE PATTERN [TENTHS]: polls FILE for a line matching PATTERN.
wait_for_line() {
	local i
	for i in $(seq "${3:-100}"); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no \"$2\" in $1:" >&2
	cat "$1" >&2
	return 1
}

# --- leaked file descriptors (CVE-2024-21626, "Leaky Vessels") -----------

host_secret_dir() {
	mkdir -p "$TEST_TMP/host"
	echo "host-secret-$$" >"$TEST_TMP/host/secret"
	cp /bin/busybox "$TEST_TMP/host/hostprog"
}

@test "leaky vessels: process.cwd through a host directory the caller left open" {
	host_secret_dir
	sec_bundle cat secret
	cfg '.process.cwd = "/proc/self/fd/7"'
	run with_fd 7 "$TEST_TMP/host" "$MINI_RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.cwd"* ]]
	[[ "$output" != *"host-secret"* ]]
	assert_nothing_left c1
	assert_no_cgroup
}

@test "leaky vessels: process.args[0] through the leaked fd runs no host program" {
	host_secret_dir
	sec_bundle /proc/self/fd/7/hostprog echo ESCAPED
	run with_fd 7 "$TEST_TMP/host" "$MINI_RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.args[0]"* ]]
	[[ "$output" != *ESCAPED* ]]
	assert_nothing_left c1
}

@test "leaky vessels: a preserved fd to a host directory still cannot be the cwd" {
	host_secret_dir
	sec_bundle cat secret
	cfg '.process.cwd = "/proc/self/fd/3"'
	run with_fd 3 "$TEST_TMP/host" "$MINI_RUNTIME" --root "$ROOT" run --preserve-fds 1 \
		--bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.cwd: /proc/self/fd/3 is not inside the container"* ]]
	[[ "$output" != *"host-secret"* ]]
	assert_nothing_left c1
}

@test "leaky vessels: exec --cwd and exec args through a leaked fd; exec sees fds 0-2 only" {
	host_secret_dir
	sec_bundle sleep 60
	rt run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	run with_fd 7 "$TEST_TMP/host" "$MINI_RUNTIME" --root "$ROOT" exec --cwd /proc/self/fd/7 \
		c1 cat secret
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.cwd"* ]]
	[[ "$output" != *"host-secret"* ]]
	run with_fd 7 "$TEST_TMP/host" "$MINI_RUNTIME" --root "$ROOT" exec c1 \
		/proc/self/fd/7/hostprog echo ESCAPED
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" != *ESCAPED* ]]
	run with_fd 7 "$TEST_TMP/host" "$MINI_RUNTIME" --root "$ROOT" exec c1 probe fds
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d' ' -f2 | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	[ "$(status_of c1)" = running ]
}

@test "leaky vessels: the init waiting in created holds no host directory (exec with CAP_SYS_PTRACE)" {
	sec_bundle sleep 60
	caps '["CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH"]'
	rt create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	# pid 1 is the runtime's init, blocked on the exec fifo; look at what
	# it holds, through the links an escape would walk
	run rt exec c1 sh -c 'for f in /proc/1/fd/*; do readlink "$f"; done | wc -l
		for f in /proc/1/fd/* /proc/1/cwd /proc/1/root; do
		[ -d "$f/" ] && ls "$f/" | grep -qx state.json && echo "HOST DIR $f"; done; echo end'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -ge 3 ] # we could follow its fds: the ptrace check let us in
	[ "${lines[-1]}" = end ]
	[[ "$output" != *"HOST DIR"* ]]
	[ "$(status_of c1)" = created ]
}

# --- overwriting the runtime through /proc/<pid>/exe (CVE-2019-5736) -----

# A copy of the runtime, so that a failed defence damages only the copy.
runtime_copy() {
	RT=$TEST_TMP/rt-copy
	cp "$MINI_RUNTIME" "$RT"
	RT_SUM=$(sha256sum <"$RT")
}

evil_script() {
	printf '#!/proc/self/exe\n' >"$BUNDLE/rootfs/evil"
	chmod 755 "$BUNDLE/rootfs/evil"
}

@test "CVE-2019-5736: #!/proc/self/exe started from create; the held exe cannot be written" {
	runtime_copy
	attack_bundle /evil
	evil_script
	caps "$ALL_CAPS"
	# no pid namespace: the attacker must outlive the init it watches
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	"$RT" --root "$ROOT" create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	pid=$("$RT" --root "$ROOT" state c1 | jq .pid)
	# the init is the runtime binary until start: hold its exe
	"$RT" --root "$ROOT" exec -d c1 /bin/attack exe-hold "$pid" \
		</dev/null >"$TEST_TMP/attack.out" 2>&1
	wait_for_line "$TEST_TMP/attack.out" "^reopen running"
	# start: the init execs /evil, so the kernel runs the runtime binary
	# again, inside the container, as the script's interpreter
	"$RT" --root "$ROOT" start c1
	wait_for_line "$TEST_TMP/attack.out" "^reopen after" 150
	cat "$TEST_TMP/attack.out"
	grep -q "^hold: ok" "$TEST_TMP/attack.out"
	refute_grep "OPENED\|WRITTEN" "$TEST_TMP/attack.out"
	grep -q "^reopen after: EROFS" "$TEST_TMP/attack.out"
	[ "$(sha256sum <"$RT")" = "$RT_SUM" ]
}

@test "CVE-2019-5736: exec of a #!/proc/self/exe script, caught by a scanner, cannot be written" {
	runtime_copy
	attack_bundle /bin/attack exe-scan "$(stat -c %d "$RT")" "$(stat -c %i "$RT")" 5
	evil_script
	caps "$ALL_CAPS"
	"$RT" --root "$ROOT" run -d --bundle "$BUNDLE" c1 </dev/null >"$TEST_TMP/scan.out" 2>&1
	wait_for_line "$TEST_TMP/scan.out" "^scan: started"
	# every exec runs the runtime in the container twice over: the exec
	# child that joins it, then the binary as /evil's interpreter
	for i in $(seq 15); do
		"$RT" --root "$ROOT" exec c1 /evil </dev/null >/dev/null 2>&1 || true
	done
	wait_for_line "$TEST_TMP/scan.out" "^caught:" 100
	cat "$TEST_TMP/scan.out"
	caught=$(sed -n 's/^caught: //p' "$TEST_TMP/scan.out")
	[ "$caught" -ge 1 ]
	[ "$(grep -c '^reopen caught: EROFS' "$TEST_TMP/scan.out")" -eq "$caught" ]
	refute_grep "OPENED\|WRITTEN" "$TEST_TMP/scan.out"
	[ "$(sha256sum <"$RT")" = "$RT_SUM" ]
}

@test "CVE-2019-5736: the init a container can see runs the runtime from a read-only mount" {
	attack_bundle sleep 60
	rt create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	pid=$(rt state c1 | jq .pid)
	# it is our binary (same inode), but reached through a read-only mount
	[ "$(stat -L -c %i "/proc/$pid/exe")" = "$(stat -c %i "$(realpath "$MINI_RUNTIME")")" ]
	run python3 -c 'import os, sys; print(bool(os.statvfs(sys.argv[1]).f_flag & os.ST_RDONLY))' \
		"/proc/$pid/exe"
	echo "$output"
	[ "$output" = True ]
	# while the host's own path to it stays writable: a mount, not a copy
	[ -w "$(realpath "$MINI_RUNTIME")" ]
	run python3 -c 'import os, sys; print(bool(os.statvfs(sys.argv[1]).f_flag & os.ST_RDONLY))' \
		"$(realpath "$MINI_RUNTIME")"
	[ "$output" = False ]
}

@test "CVE-2019-5736 defence: the re-exec happens at the entry point, before glibc starts" {
	ldd "$MINI_RUNTIME" >/dev/null 2>&1 && skip "a dynamic build (make asan): its loader runs first"
	sec_bundle true
	# the first image only makes the read-only mount and re-executes (glibc's
	# start-up would brk first), with global options before the command too
	strace -o "$TEST_TMP/trace" -e trace=brk,statfs,open_tree,execve,execveat \
		"$MINI_RUNTIME" --root "$ROOT" --log "$TEST_TMP/log" --log-format json \
		run --bundle "$BUNDLE" c1 </dev/null
	cut -d'(' -f1 "$TEST_TMP/trace" | head -5 | tee "$TEST_TMP/first"
	[ "$(head -4 "$TEST_TMP/first" | tr '\n' ' ')" = "execve statfs open_tree execveat " ]
	[ "$(sed -n 5p "$TEST_TMP/first")" = brk ]
	[ "$(grep -c '^execveat' "$TEST_TMP/trace")" -eq 1 ]
	# a command that starts nothing in a container does not re-execute
	strace -o "$TEST_TMP/trace2" -e trace=open_tree,execveat "$MINI_RUNTIME" --root "$ROOT" list \
		>/dev/null
	refute_grep "open_tree\|execveat" "$TEST_TMP/trace2"
	assert_nothing_left c1
}

# --- mount destinations through symlinks (CVE-2021-30465 and kin) -------

@test "mount symlinks: parents to ../../.. and to a host path resolve in the rootfs, shared or not" {
	mark=sec-mnt-$$-$RANDOM
	mkdir -p "$TEST_TMP/hostdir"
	sec_bundle sh -c 'grep sec-mnt /proc/self/mountinfo | cut -d" " -f5,10 | sort'
	ln -s ../../../../../../.. "$BUNDLE/rootfs/up"
	# an absolute link resolves in the rootfs: give it a place there (a
	# dangling one is refused, see the /proc test below)
	ln -s "$TEST_TMP/hostdir" "$BUNDLE/rootfs/hostlink"
	mkdir -p "$BUNDLE/rootfs$TEST_TMP/hostdir"
	ln -s / "$BUNDLE/rootfs/rootlink"
	cfg ".linux.rootfsPropagation = \"rshared\" | .mounts += [
		{\"destination\": \"/up/$mark-a\", \"type\": \"tmpfs\", \"source\": \"$mark-a\"},
		{\"destination\": \"/hostlink/$mark-b\", \"type\": \"tmpfs\", \"source\": \"$mark-b\"},
		{\"destination\": \"/rootlink/up/hostlink/$mark-c\", \"type\": \"bind\",
		 \"source\": \"$TEST_TMP/hostdir\", \"options\": [\"rbind\", \"rshared\"]}]"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	# each landed where the rootfs, not the host, puts it
	[[ "$output" == *"/$mark-a $mark-a"* ]]
	[[ "$output" == *"$TEST_TMP/hostdir/$mark-b $mark-b"* ]]
	[ -d "$BUNDLE/rootfs/$mark-a" ]
	[ -d "$BUNDLE/rootfs$TEST_TMP/hostdir/$mark-b" ]
	[ -d "$BUNDLE/rootfs$TEST_TMP/hostdir/$mark-c" ]
	# and the host has neither the directories nor the mounts
	[ ! -e "/$mark-a" ]
	[ -z "$(ls -A "$TEST_TMP/hostdir")" ]
	assert_host_unmounted "$mark"
	assert_nothing_left c1
}

@test "mount symlinks: /proc as a symlink (to a host path, to ../..) is refused naming the mount, nothing left" {
	# youki CVE-2025-62161 and kin: a procfs mount, whose masks and
	# read-only paths protect the host, is never made through a symlink
	# (this used to follow the link inside the root)
	mark=sec-proc-$$-$RANDOM
	sec_bundle true
	rmdir "$BUNDLE/rootfs/proc"
	mkdir -p "$TEST_TMP/host-proc" "$BUNDLE/rootfs$TEST_TMP/host-proc" "$BUNDLE/rootfs/elsewhere"
	cfg ".mounts |= map(if .destination == \"/proc\" then .source = \"$mark\" else . end)"
	[ "$(jq -r '.mounts[0].destination' "$BUNDLE/config.json")" = /proc ]
	for target in "$TEST_TMP/host-proc" ../../elsewhere; do
		rm -f "$BUNDLE/rootfs/proc"
		ln -s "$target" "$BUNDLE/rootfs/proc"
		run rt run --bundle "$BUNDLE" c1
		echo "[$target] status $status: $output"
		[ "$status" -eq 1 ]
		[[ "$output" =~ mounts\[0\]:.*/proc.*symlink ]]
		[ -z "$(ls -A "$TEST_TMP/host-proc")" ]
		[ -z "$(ls -A "$BUNDLE/rootfs$TEST_TMP/host-proc")" ]
		[ -z "$(ls -A "$BUNDLE/rootfs/elsewhere")" ]
		assert_host_unmounted "$mark"
		assert_nothing_left c1
		assert_no_cgroup
	done
}

@test "mount symlinks: /proc as a dangling symlink is refused naming the mount, nothing left" {
	sec_bundle true
	rmdir "$BUNDLE/rootfs/proc"
	ln -s "$TEST_TMP/host-proc" "$BUNDLE/rootfs/proc"
	mkdir -p "$TEST_TMP/host-proc"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"mounts[0]"*"/proc"* ]]
	[ -z "$(ls -A "$TEST_TMP/host-proc")" ]
	assert_nothing_left c1
	assert_no_cgroup
}

# --- maskedPaths, readonlyPaths, devices ----------------------------------

@test "masked and read-only /proc paths cannot be unmasked or remounted with default caps" {
	attack_bundle sh -c '
		echo "keys=$(wc -c </proc/keys) timer_list=$(wc -c </proc/timer_list)"
		echo "firmware=$(ls /sys/firmware | wc -l)"
		umount /proc/keys 2>/dev/null && echo UNMASKED
		umount -l /sys/firmware 2>/dev/null && echo UNMASKED
		umount -l /proc/sys 2>/dev/null && echo UNMOUNTED
		attack remount /proc/sys
		mount -o remount,rw /proc/sys 2>/dev/null && echo REMOUNTED
		mkdir -p /tmp/p && mount -t proc proc /tmp/p 2>/dev/null && echo NEWPROC
		mkdir -p /tmp/s && mount -t sysfs sysfs /tmp/s 2>/dev/null && echo NEWSYSFS
		{ echo x >/proc/sys/kernel/hostname; } 2>/dev/null && echo WROTE
		echo end'
	cfg '.root.readonly = false'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "keys=0 timer_list=0" ]
	[ "${lines[1]}" = firmware=0 ]
	[ "${lines[2]}" = "remount /proc/sys: EPERM" ]
	[ "${lines[3]}" = end ]
}

@test "devices: a node the rootfs brings is unusable; mknod fails with or without CAP_MKNOD" {
	[ -e /sys/fs/cgroup/devices/devices.allow ] || skip "no v1 devices controller"
	# a loop device: a block device the host can open (its disks are kept
	# from root here), standing for any device an image might ship
	attack_bundle sh -c "attack mknod /tmp/disk; attack open /disk-node; attack open /dev/null"
	mknod "$BUNDLE/rootfs/disk-node" b 7 0
	cfg '.root.readonly = false'
	# the default config (mini-runtime spec) denies every device but the
	# standard ones, as runc's does
	[ "$(jq -c .linux.resources.devices "$BUNDLE/config.json")" = '[{"allow":false,"access":"rwm"}]' ]
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "mknod /tmp/disk: EPERM" ]
	[ "${lines[2]}" = "open /disk-node: EPERM" ]
	[ "${lines[3]}" = "open /dev/null: OPENED" ]
	rm -f "$BUNDLE/rootfs/tmp/disk"
	caps '["CAP_MKNOD", "CAP_DAC_OVERRIDE", "CAP_SYS_RAWIO", "CAP_SYS_ADMIN"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "mknod /tmp/disk: EPERM" ]
	[ "${lines[2]}" = "open /disk-node: EPERM" ]
	[ "${lines[3]}" = "open /dev/null: OPENED" ]
	# a device the config lists is made and allowed, the rule notwithstanding
	cfg '.linux.devices = [{"path": "/dev/loop0", "type": "b", "major": 7, "minor": 0}]
		| .process.args = ["/bin/attack", "open", "/dev/loop0"]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$output" = "open /dev/loop0: OPENED" ]
	assert_nothing_left c1
}

# --- ids, the state directory ---------------------------------------------

@test "hostile ids: ../x, /abs, control characters, newline, 300 characters: nothing created" {
	sec_bundle true
	long=$(printf 'b%.0s' $(seq 300))
	for id in "../x" "/abs" "../../../../tmp/sec-$$" $'a\x01b' $'a\nb' "a/../../b" "$long" "."; do
		for cmd in create run; do
			run rt "$cmd" --bundle "$BUNDLE" "$id"
			echo "[$id] $output"
			[ "$status" -eq 1 ]
			[[ "$output" == *"container id"* ]]
		done
		run rt delete --force "$id"
		[ "$status" -eq 1 ]
	done
	[ ! -e "$ROOT" ]
	[ ! -e "$TEST_TMP/x" ]
	[ ! -e "/tmp/sec-$$" ]
	[ ! -e /abs ]
	assert_no_cgroup
}

@test "--root and state files: directories 0700, state.json 0600, also with a user namespace" {
	chmod 755 "$TEST_TMP" # the rootfs must be reachable by the mapped root
	sec_bundle sleep 60
	ROOT=$TEST_TMP/a/b/state
	rt create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	[ "$(stat -c %a "$ROOT")" = 700 ]
	[ "$(stat -c %a "$TEST_TMP/a/b")" = 700 ]
	[ "$(stat -c %a "$ROOT/c1")" = 700 ]
	[ "$(stat -c '%a %U' "$ROOT/c1/state.json")" = "600 root" ]
	[ "$(stat -c %a "$ROOT/c1/exec.fifo")" = 600 ]
	rt delete --force c1
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	rt create --bundle "$BUNDLE" c2 </dev/null >/dev/null 2>&1
	# the init in the user namespace needs no way into the state directory
	[ "$(stat -c %a "$ROOT/c2")" = 700 ]
	[ "$(stat -c '%a %u' "$ROOT/c2/exec.fifo")" = "600 0" ]
	rt start c2
	[ "$(status_of c2)" = running ]
	# no file under the root is writable by group or others
	[ -z "$(find "$ROOT" -perm /022 ! -type l)" ]
}

@test "a symlink planted as a state directory is never followed" {
	sec_bundle true
	mkdir -p "$ROOT" "$TEST_TMP/victim"
	echo precious >"$TEST_TMP/victim/data"
	echo '{}' >"$TEST_TMP/victim/state.json"
	ln -s "$TEST_TMP/victim" "$ROOT/evil"
	for cmd in "state evil" "kill evil KILL" "start evil" "delete evil" "delete --force evil" \
		"exec evil true"; do
		run rt $cmd
		echo "[$cmd] $output"
		[ "$status" -eq 1 ]
	done
	run rt create --bundle "$BUNDLE" evil
	[ "$status" -eq 1 ]
	[[ "$output" == *"already exists"* ]]
	[ "$(cat "$TEST_TMP/victim/data")" = precious ]
	[ "$(cat "$TEST_TMP/victim/state.json")" = '{}' ]
	[ -L "$ROOT/evil" ]
}

# --- hostile config.json ----------------------------------------------------

# fails_cleanly PATTERN: run fails with PATTERN in its message, leaves nothing.
fails_cleanly() {
	run timeout 60 "$MINI_RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1
	echo "${output:0:2000}"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	[ "${#output}" -lt 4096 ] # one line, not an echo of the input
	[[ "$output" != *"AddressSanitizer"* && "$output" != *"runtime error"* ]]
	assert_nothing_left c1
	assert_no_cgroup
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "hostile config: malformed JSON, truncated, empty, binary" {
	sec_bundle true
	good=$(cat "$BUNDLE/config.json")
	head -c 300 <<<"$good" >"$BUNDLE/config.json"
	fails_cleanly "config.json: line"
	: >"$BUNDLE/config.json"
	fails_cleanly "config.json: line"
	head -c 4096 /dev/urandom >"$BUNDLE/config.json"
	fails_cleanly "config.json: line"
	printf '%s' "$good" | sed 's/}$/}}/' >"$BUNDLE/config.json"
	fails_cleanly "config.json: line"
	echo '[1, 2]' >"$BUNDLE/config.json"
	fails_cleanly "expected an object"
}

@test "hostile config: wrong types deep in the tree name their path" {
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	while IFS='|' read -r filter want; do
		jq "$filter" <<<"$base" >"$BUNDLE/config.json"
		fails_cleanly "$want"
	done <<'EOF'
.mounts[1].options = {"a": 1}|mounts[1].options: expected an array
.mounts[1].options = [1]|mounts[1].options[0]: expected a string
.linux.resources = {"memory": {"limit": "lots"}}|linux.resources.memory.limit
.linux.resources = {"devices": [{"allow": "yes"}]}|linux.resources.devices[0].allow
.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "open", "action": "SCMP_ACT_ERRNO"}]}|linux.seccomp.syscalls[0].names
.hooks = {"prestart": [{"path": "/bin/true", "args": 7}]}|hooks.prestart[0].args
.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": 0}|linux.memoryPolicy.nodes
.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": -1, "hard": 1}]|process.rlimits[0].soft
.linux.uidMappings = [{"containerID": 0, "hostID": 1e30, "size": 1}]|linux.uidMappings[0].hostID
.process.env = [1]|process.env[0]: expected a string
.annotations = {"a": {"b": 1}}|annotations.a: expected a string
EOF
}

@test "hostile config: 10000 levels of nesting, in a known and an unknown field" {
	sec_bundle true
	deep=$(printf '[%.0s' $(seq 10000); printf ']%.0s' $(seq 10000))
	jq '.process.args = "DEEP"' "$BUNDLE/config.json" | sed "s/\"DEEP\"/$deep/" >"$TEST_TMP/c"
	mv "$TEST_TMP/c" "$BUNDLE/config.json"
	fails_cleanly "maximum parsing depth"
	deep=$(printf '{"a":%.0s' $(seq 10000); printf 1; printf '}%.0s' $(seq 10000))
	printf '{"ociVersion": "1.0.0", "x": %s}' "$deep" >"$BUNDLE/config.json"
	fails_cleanly "maximum parsing depth"
}

@test "hostile config: huge arrays" {
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	# 200000 mappings: refused by the kernel's limit, named
	jq '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [range(200000) | {"containerID": ., "hostID": (. + 100000), "size": 1}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 1}]' <<<"$base" >"$BUNDLE/config.json"
	fails_cleanly "linux.uidMappings"
	# 100000 mounts that cannot be made: the first failure is named
	jq '.mounts += [range(100000) | {"destination": "/m", "type": "no-such-fs"}]' <<<"$base" \
		>"$BUNDLE/config.json"
	fails_cleanly "mounts[6]"
	# 300000 arguments: more than execve takes; create finds the program,
	# the exec fails with E2BIG and run reports it
	jq '.process.args = ["true"] + [range(300000) | "x"]' <<<"$base" >"$BUNDLE/config.json"
	run -127 timeout 60 "$MINI_RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1
	echo "${output:0:2000}"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Argument list too long"* ]]
	assert_nothing_left c1
	assert_no_cgroup
}

@test "hostile config: 1 MB strings" {
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	head -c 1048576 /dev/zero | tr '\0' a >"$TEST_TMP/big"
	while IFS='|' read -r filter want; do
		jq --rawfile big "$TEST_TMP/big" "$filter" <<<"$base" >"$BUNDLE/config.json"
		fails_cleanly "$want"
	done <<'EOF'
.hostname = $big|hostname
.root.path = $big|root.path
.mounts += [{"destination": ("/" + $big), "type": "tmpfs"}]|mounts[6]
.process.cwd = ("/" + $big)|process.cwd
.process.args = [$big]|process.args[0]
.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": $big}|linux.memoryPolicy.nodes
.linux.sysctl = {($big): "1"}|linux.sysctl
.linux.seccomp = {"defaultAction": $big}|linux.seccomp.defaultAction
EOF
	# a 1 MB annotation is fine: it is data, kept and shown by state
	jq --rawfile big "$TEST_TMP/big" '.annotations = {"big": $big} | .process.args = ["sleep", "60"]' <<<"$base" \
		>"$BUNDLE/config.json"
	rt create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	[ "$(rt state c1 | jq -r '.annotations.big | length')" = 1048576 ]
	rt delete --force c1
	assert_nothing_left c1
}

@test "hostile config: invalid UTF-8 and NUL bytes in strings" {
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	printf '%s' "$base" | sed 's/"hostname": "[^"]*"/"hostname": "a\xff\xfeb"/' >"$BUNDLE/config.json"
	grep -q $'\xff' "$BUNDLE/config.json"
	fails_cleanly "config.json: line"
	printf '%s' "$base" | sed 's/"hostname": "[^"]*"/"hostname": "\xc0\xaf"/' >"$BUNDLE/config.json"
	fails_cleanly "config.json: line"
	# \u0000 would cut a C string short: the parser refuses it outright
	jq '.hostname = "a\u0000b"' <<<"$base" >"$BUNDLE/config.json"
	fails_cleanly 'config.json: line'
	jq '.process.args = ["a\u0000b"]' <<<"$base" >"$BUNDLE/config.json"
	fails_cleanly 'is not allowed'
	# a lone surrogate is not UTF-8 either
	printf '%s' "$base" | sed 's/"hostname": "[^"]*"/"hostname": "\\ud800"/' >"$BUNDLE/config.json"
	fails_cleanly "config.json: line"
}

# --- the runtime's own children --------------------------------------------

@test "hooks stay in the runtime's pid and time namespaces when the config joins others" {
	# a hook is host root with every capability and the host's mounts: in
	# the container's pid namespace the container could see and trace it
	sec_bundle sleep 60
	rt run -d --bundle "$BUNDLE" first </dev/null >/dev/null 2>&1
	pid=$(rt state first | jq .pid)
	mv "$BUNDLE" "$TEST_TMP/first"
	sec_bundle true
	printf '#!/bin/sh\necho "$1 $(readlink /proc/self/ns/pid) $(readlink /proc/self/ns/time)" >>"%s"\n' \
		"$TEST_TMP/hooks.out" >"$TEST_TMP/hook.sh"
	chmod 755 "$TEST_TMP/hook.sh"
	hook() { echo "[{\"path\": \"$TEST_TMP/hook.sh\", \"args\": [\"hook\", \"$1\"]}]"; }
	cfg ".linux.namespaces |= map(if .type == \"pid\" then .path = \"/proc/$pid/ns/pid\" else . end)
		| .linux.namespaces += [{\"type\": \"time\"}]
		| .linux.timeOffsets = {\"monotonic\": {\"secs\": 86400}}
		| .hooks = {\"prestart\": $(hook prestart), \"poststart\": $(hook poststart),
			\"poststop\": $(hook poststop)}"
	run rt run --bundle "$BUNDLE" second
	echo "$output"
	[ "$status" -eq 0 ]
	cat "$TEST_TMP/hooks.out"
	want="$(readlink /proc/self/ns/pid) $(readlink /proc/self/ns/time)"
	[ "$(grep -c . "$TEST_TMP/hooks.out")" -eq 3 ]
	[ "$(cut -d' ' -f2- "$TEST_TMP/hooks.out" | sort -u)" = "$want" ]
}

@test "exec into a container without a mount namespace runs in its root, not the host's" {
	# such a container is a chroot: joining namespaces does not enter it
	sec_bundle sleep 60
	cfg '.linux.namespaces |= map(select(.type != "mount")) | .mounts = []
		| .linux.maskedPaths = [] | .linux.readonlyPaths = []'
	echo in-the-rootfs >"$BUNDLE/rootfs/marker"
	rt run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	run rt exec c1 /bin/cat /marker
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = in-the-rootfs ]
	run rt exec --cwd /tmp c1 /bin/sh -c 'cd ..; cd ..; cat marker'
	[ "$output" = in-the-rootfs ]
	rt delete --force c1
	assert_nothing_left c1
}

# --- startContainer hooks: the process's privileges, not the init's -------

@test "startContainer hook runs with the process's capabilities and no_new_privs: it cannot mount" {
	sec_bundle sh -c 'grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs):" /proc/self/status'
	cat >"$BUNDLE/rootfs/bin/start-hook" <<'HOOK'
#!/bin/sh
grep -E "^(CapEff|CapPrm|CapBnd|NoNewPrivs):" /proc/self/status >/hook.out
mkdir -p /mnt
mount -t tmpfs none /mnt 2>/dev/null && echo MOUNTED >>/hook.out
mount -o remount,rw /proc/sys 2>/dev/null && echo REMOUNTED >>/hook.out
echo end >>/hook.out
HOOK
	chmod 755 "$BUNDLE/rootfs/bin/start-hook"
	cfg '.root.readonly = false | .hooks.startContainer = [{"path": "/bin/start-hook"}]'
	# the default set (mini-runtime spec): no CAP_SYS_ADMIN
	[ "$(jq -c .process.capabilities.effective "$BUNDLE/config.json")" = \
		'["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	cat "$BUNDLE/rootfs/hook.out"
	[ "$status" -eq 0 ]
	# the process: CAP_KILL | CAP_NET_BIND_SERVICE | CAP_AUDIT_WRITE
	[[ "$output" == *"CapEff:	0000000020000420"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	# the hook saw exactly what the process sees, and mounted nothing
	[ "$(cat "$BUNDLE/rootfs/hook.out")" = "$output"$'\nend' ]
	assert_nothing_left c1
}

# --- linux.sysctl: only the container's own namespaces ------------------------

# with_sentinels "KNOB..." CMD...: runs CMD in a private mount namespace of
# the test's own where each /proc/sys KNOB is a bind of the file
# $TEST_TMP/sentinel/<knob, / as _> holding "SENTINEL". A runtime that
# writes a host knob writes the sentinel instead: the host is never touched.
with_sentinels() {
	local knobs=$1 k
	shift
	mkdir -p "$TEST_TMP/sentinel"
	for k in $knobs; do
		echo SENTINEL >"$TEST_TMP/sentinel/${k//\//_}"
	done
	unshare -m --propagation private bash -c '
		for k in $1; do
			mount --bind "$2/${k//\//_}" "$k" || exit 99
		done
		shift 2
		exec "$@"' _ "$knobs" "$TEST_TMP/sentinel" "$@"
}

# assert_sentinels_unchanged: no sentinel of with_sentinels was written.
assert_sentinels_unchanged() {
	local f
	for f in "$TEST_TMP"/sentinel/*; do
		[ -e "$f" ] || continue
		if [ "$(cat "$f")" != SENTINEL ]; then
			echo "${f##*/} was written: $(cat "$f")" >&2
			return 1
		fi
	done
}

# refused_cleanly REGEX: the run failed with status 1, REGEX in its message,
# no sentinel written and nothing made (state, cgroup, mount, process).
refused_cleanly() {
	echo "status $status: $output"
	assert_sentinels_unchanged
	[ "$status" -eq 1 ]
	[[ "$output" =~ $1 ]]
	assert_nothing_left c1
	assert_no_cgroup
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "linux.sysctl: a knob no namespace holds is refused before anything is made" {
	knobs="/proc/sys/kernel/core_pattern /proc/sys/vm/swappiness"
	sec_bundle true
	while IFS='|' read -r key value want; do
		cfg ".linux.sysctl = {\"$key\": \"$value\"}"
		run with_sentinels "$knobs" "$MINI_RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1
		refused_cleanly "$want"
	done <<'EOF'
kernel.core_pattern|/tmp/pwned-core|linux\.sysctl\["kernel\.core_pattern"\]: 
kernel/core_pattern|/tmp/pwned-core|linux\.sysctl\["kernel[./]core_pattern"\]: 
vm.swappiness|7|linux\.sysctl\["vm\.swappiness"\]: 
EOF
}

@test "linux.sysctl: a namespaced knob without the container's own namespace is refused, naming the key" {
	knobs="/proc/sys/net/ipv4/ping_group_range /proc/sys/fs/mqueue/queues_max
		/proc/sys/kernel/shmmax /proc/sys/kernel/msgmax /proc/sys/kernel/hostname
		/proc/sys/kernel/domainname"
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	while IFS='@' read -r filter key value; do
		jq "$filter | .linux.sysctl = {\"$key\": \"$value\"}" <<<"$base" >"$BUNDLE/config.json"
		run with_sentinels "$knobs" "$MINI_RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1
		refused_cleanly "linux\.sysctl\[\"${key//./\\.}\"\]: "
	done <<EOF
.linux.namespaces |= map(select(.type != "network"))@net.ipv4.ping_group_range@0 0
.linux.namespaces |= map(select(.type != "ipc"))@fs.mqueue.queues_max@300
.linux.namespaces |= map(select(.type != "ipc"))@kernel.shmmax@4096
.linux.namespaces |= map(if .type == "ipc" then .path = "/proc/$$/ns/ipc" else . end)@kernel.msgmax@4096
.linux.namespaces |= map(select(.type != "uts")) | del(.hostname)@kernel.hostname@pwned
.linux.namespaces |= map(select(.type != "uts")) | del(.hostname)@kernel.domainname@pwned
EOF
}

@test "linux.sysctl: kernel.hostname against hostname, kernel.domainname against domainname, refused" {
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	jq '.hostname = "box" | .linux.sysctl = {"kernel.hostname": "other"}' <<<"$base" \
		>"$BUNDLE/config.json"
	run rt run --bundle "$BUNDLE" c1
	refused_cleanly 'linux\.sysctl\["kernel\.hostname"\]: .*hostname'
	jq '.domainname = "example.org" | .linux.sysctl = {"kernel.domainname": "other.org"}' \
		<<<"$base" >"$BUNDLE/config.json"
	run rt run --bundle "$BUNDLE" c1
	refused_cleanly 'linux\.sysctl\["kernel\.domainname"\]: .*domainname'
}

@test "linux.sysctl: with its own ipc, network and uts namespaces the knobs are set inside, the host's kept" {
	# passes on the flawed runtime as well: it keeps the fix from refusing
	# what runc allows (and checks '/' keys are normalised)
	host_shm=$(cat /proc/sys/kernel/shmmax)
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_ping=$(cat /proc/sys/net/ipv4/ping_group_range)
	sec_bundle sh -c 'cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward
		cat /proc/sys/net/ipv4/ping_group_range /proc/sys/fs/mqueue/msg_max; hostname'
	cfg 'del(.hostname) | .linux.sysctl = {"kernel.shmmax": "123456789",
		"net.ipv4.ip_forward": "1", "net/ipv4/ping_group_range": "0 2147483647",
		"fs.mqueue.msg_max": "17", "kernel.hostname": "from-sysctl"}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 123456789 ]
	[ "${lines[1]}" = 1 ]
	[ "$(echo "${lines[2]}" | tr -s ' \t' ' ')" = "0 2147483647" ]
	[ "${lines[3]}" = 17 ]
	[ "${lines[4]}" = from-sysctl ]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host_shm" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
	[ "$(cat /proc/sys/net/ipv4/ping_group_range)" = "$host_ping" ]
	assert_nothing_left c1
}

# --- exec: oomScoreAdj through a procfs the container cannot shape -------

# --- cgroup mounts: the container's own cgroup only ------------------------

# cgroup_v1_view: prints what a container sees under a v1 "cgroup" mount:
# the limits at the top of two hierarchies, whether the host's root (its
# release_agent), the parent or the sibling $1 (a cgroupsPath) is visible,
# and whether the mount takes writes.
cgroup_v1_script() {
	cat <<SCRIPT
m=/sys/fs/cgroup/memory
echo "limit=\$(cat \$m/memory.limit_in_bytes)"
echo "pids=\$(cat /sys/fs/cgroup/pids/pids.max)"
[ -e \$m/release_agent ] && echo HOST-ROOT
[ -e /sys/fs/cgroup/pids/release_agent ] && echo HOST-ROOT
[ -e \$m/$1 ] && echo SIBLING
find /sys/fs/cgroup/ -maxdepth 4 -name '${1##*/}' | grep -q . && echo SIBLING-FOUND
ls \$m | grep -q '^${1%%/*}\$' && echo PARENT
mkdir \$m/new 2>&1 | grep -q 'Read-only' && echo read-only
echo end
SCRIPT
}

@test "cgroup v1 mount: each hierarchy is the container's own cgroup, with and without a cgroup namespace" {
	[ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ] && [ -e /sys/fs/cgroup/pids/cgroup.procs ] ||
		skip "no v1 memory and pids hierarchies"
	# a sibling under the same parent, with memory and pids cgroups too
	sec_bundle sleep 60
	sibling=$CGROUP
	cfg '.linux.resources.memory = {"limit": 33554432} | .linux.resources.pids = {"limit": 55}'
	rt run -d --bundle "$BUNDLE" sib </dev/null >/dev/null 2>&1
	[ -d "/sys/fs/cgroup/memory/$sibling" ]
	mv "$BUNDLE" "$TEST_TMP/sib-bundle"
	sec_bundle sh -c "$(cgroup_v1_script "$sibling")"
	cfg '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 77}
		| .mounts += [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
			"options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}]'
	for cgns in no yes; do
		[ "$cgns" = yes ] && cfg '.linux.namespaces += [{"type": "cgroup"}]'
		run rt run --bundle "$BUNDLE" c1
		echo "[cgroupns $cgns] $output"
		[ "$status" -eq 0 ]
		[ "$output" = $'limit=67108864\npids=77\nread-only\nend' ]
		assert_nothing_left c1
	done
	rt delete --force sib
}

# --- sysfs in a user namespace without a network namespace ---------------

@test "user namespace without a network namespace: the sysfs fallback keeps ro, nosuid, nodev, noexec all the way down" {
	chmod 755 "$TEST_TMP" # the rootfs must be reachable by the mapped root
	sec_bundle sh -c 'awk "\$5 == \"/sys\" || \$5 ~ \"^/sys/\" {print \$5, \$6}" /proc/self/mountinfo
		# O_TRUNC: the mount is checked before the mode of the file
		echo x 2>&1 >/sys/kernel/uevent_seqnum | grep -o "Read-only file system"; echo end'
	cfg '.linux.namespaces |= map(select(.type != "network")) + [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	[ "$(jq -c '.mounts[] | select(.destination == "/sys") | .options' "$BUNDLE/config.json")" = \
		'["nosuid","noexec","nodev","ro"]' ]
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]%% *}" = /sys ]
	[ "${lines[-2]}" = "Read-only file system" ]
	[ "${lines[-1]}" = end ]
	# /sys and every mount under it (the host's, bound recursively)
	for l in "${lines[@]:0:${#lines[@]}-2}"; do
		opts=",${l#* },"
		[[ "$opts" == *,ro,* && "$opts" == *,nosuid,* && "$opts" == *,nodev,* &&
			"$opts" == *,noexec,* ]] || { echo "not protected: $l" >&2; false; }
	done
	assert_nothing_left c1
}

# --- the rootfs's /dev: masks, consoles, stdio (CVE-2025-31133, -52565) ---

# dev_from_rootfs: the config takes /dev from the rootfs (no tmpfs over it),
# as an image that ships its /dev does; devpts, shm and mqueue stay.
dev_from_rootfs() {
	cfg '.mounts |= map(select(.destination != "/dev"))'
}

masked_script='for f in /etc/masked-file /proc/keys; do
		echo "$f $(stat -c %F:%t:%T "$f") $(wc -c <"$f")"; done
	echo "null $(stat -c %F:%t:%T /dev/null)"
	cat /etc/secretfile; grep -c " /etc/secretfile " /proc/self/mountinfo
	[ -e /absent ] && echo ABSENT-MADE; echo end'

# masked_ok: the output of $masked_script when each mask is a real null
# device and the prize is neither shown nor covered.
masked_ok() {
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/etc/masked-file character special file:1:3 0" ]
	[ "${lines[1]}" = "/proc/keys character special file:1:3 0" ]
	[ "${lines[2]}" = "null character special file:1:3" ]
	[ "${lines[3]}" = secret-data ]
	[ "${lines[4]}" = 0 ]
	[ "${lines[5]}" = end ]
	[ "$(cat "$BUNDLE/rootfs/etc/secretfile")" = secret-data ]
	[ ! -e "$BUNDLE/rootfs/absent" ]
	assert_nothing_left c1
}

@test "CVE-2025-31133: the rootfs's /dev/null a symlink, a file or missing: masks are a real null device" {
	sec_bundle sh -c "$masked_script"
	dev_from_rootfs
	echo secret-data >"$BUNDLE/rootfs/etc/secretfile"
	echo must-not-show >"$BUNDLE/rootfs/etc/masked-file"
	cfg '.linux.maskedPaths += ["/etc/masked-file", "/absent/thing", "/absent"]'
	for kind in symlink file missing; do
		rm -f "$BUNDLE/rootfs/dev/null"
		case $kind in
		symlink) ln -s /etc/secretfile "$BUNDLE/rootfs/dev/null" ;;
		file) echo not-a-device >"$BUNDLE/rootfs/dev/null" ;;
		esac
		run rt run --bundle "$BUNDLE" c1
		echo "[$kind]"
		masked_ok
	done
}

@test "CVE-2025-31133: in a user namespace, the rootfs's /dev/null symlink is not followed to bind over its target" {
	chmod 755 "$TEST_TMP"
	sec_bundle sh -c "$masked_script"
	dev_from_rootfs
	echo secret-data >"$BUNDLE/rootfs/etc/secretfile"
	echo must-not-show >"$BUNDLE/rootfs/etc/masked-file"
	ln -s /etc/secretfile "$BUNDLE/rootfs/dev/null"
	chown -R 100000:100000 "$BUNDLE/rootfs"
	cfg '.linux.maskedPaths += ["/etc/masked-file", "/absent"]
		| .linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	run rt run --bundle "$BUNDLE" c1
	masked_ok
}

@test "CVE-2025-52565: /dev/ptmx and /dev/console symlinks to a prize: the prize untouched, the console a real pty" {
	sec_bundle sh -c 'tty; grep -c " /prize " /proc/self/mountinfo; echo end'
	dev_from_rootfs
	cfg '.process.terminal = true | .root.readonly = false'
	echo precious >"$BUNDLE/rootfs/prize"
	ln -s /prize "$BUNDLE/rootfs/dev/ptmx"
	ln -s /prize "$BUNDLE/rootfs/dev/console"
	start_recvtty
	run rt run --bundle "$BUNDLE" --console-socket "$TEST_TMP/tty.sock" c1
	echo "status $status: $output"
	wait "$RECV_PID" || true
	cat "$TEST_TMP/tty.out" || true
	[ "$(cat "$BUNDLE/rootfs/prize")" = precious ]
	[ -f "$BUNDLE/rootfs/prize" ]
	[ "$status" -eq 0 ]
	[[ "$(tr -d '\r' <"$TEST_TMP/tty.out")" =~ ^/dev/pts/[0-9]+$'\n'0$'\n'end ]]
	assert_nothing_left c1
}

@test "CVE-2025-52565: exec -t after the container made /dev/ptmx a symlink to a prize" {
	sec_bundle sh -c 'rm /dev/ptmx && ln -s /prize /dev/ptmx && touch /ready; exec sleep 60'
	cfg '.root.readonly = false'
	echo precious >"$BUNDLE/rootfs/prize"
	rt run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	for _ in $(seq 50); do [ -e "$BUNDLE/rootfs/ready" ] && break; sleep 0.1; done
	[ "$(rt exec c1 readlink /dev/ptmx)" = /prize ]
	run rt exec -t c1 tty </dev/null
	echo "status $status: $output"
	[ "$(cat "$BUNDLE/rootfs/prize")" = precious ]
	[ "$status" -eq 0 ]
	[[ "$(echo "$output" | tr -d '\r')" =~ ^/dev/pts/[0-9]+$ ]]
	[ "$(status_of c1)" = running ]
}

@test "CVE-2026-88264: the rootfs's /dev/null a symlink to a prize: stdio is not reopened through it, nothing chowned" {
	sec_bundle sh -c 'for fd in 0 1 2; do readlink /proc/self/fd/$fd; done | grep -c prize; echo end'
	dev_from_rootfs
	echo precious >"$BUNDLE/rootfs/etc/prize"
	chmod 600 "$BUNDLE/rootfs/etc/prize"
	ln -s /etc/prize "$BUNDLE/rootfs/dev/null"
	for user in 0 1000; do
		cfg ".process.user = {\"uid\": $user, \"gid\": $user}"
		run rt run --bundle "$BUNDLE" c1 </dev/null
		echo "[uid $user] $output"
		[ "$status" -eq 0 ]
		[ "$output" = $'0\nend' ]
		[ "$(stat -c '%u:%g %a' "$BUNDLE/rootfs/etc/prize")" = "0:0 600" ]
		[ "$(cat "$BUNDLE/rootfs/etc/prize")" = precious ]
		assert_nothing_left c1
	done
}

@test "CVE-2026-41579: a rootfs whose /dev is a symlink (host path, ../..): nothing lands outside the rootfs" {
	mkdir -p "$TEST_TMP/hostdev"
	sec_bundle true
	base=$(cat "$BUNDLE/config.json")
	rm -rf "$BUNDLE/rootfs/dev"
	mkdir -p "$BUNDLE/rootfs$TEST_TMP/hostdev" "$BUNDLE/rootfs/devtarget"
	for target in "$TEST_TMP/hostdev" ../../../../../../..$TEST_TMP/hostdev; do
		for filter in . '.mounts |= map(select(.destination != "/dev"))'; do
			jq "$filter" <<<"$base" >"$BUNDLE/config.json"
			rm -f "$BUNDLE/rootfs/dev"
			ln -s "$target" "$BUNDLE/rootfs/dev"
			run rt run --bundle "$BUNDLE" c1
			echo "[$target $filter] status $status: $output"
			if [ "$status" -ne 0 ]; then
				[ "$status" -eq 1 ]
				[[ "$output" =~ /dev.*symlink ]]
				assert_no_cgroup
			fi
			[ -z "$(ls -A "$TEST_TMP/hostdev")" ]
			assert_nothing_left c1
		done
	done
}

# --- mount flags on the mount that was made, not on a path resolved again ---

# race_bundle: a rootfs where /a is swapped, by `attack swap` on the host,
# with a symlink to /b; /b/dst is a separate writable bind mount (of
# $TEST_TMP/bsrc), and the config's mount of $TEST_TMP/src goes to /a/dst.
# The process prints, for each bind of src or bsrc, its source's name and
# whether it is ro or rw (mountinfo fields 4 and 6), in mount order.
race_bundle() {
	mkdir -p "$TEST_TMP/src" "$TEST_TMP/bsrc"
	sec_bundle awk '$4 ~ /\/b?src$/ { n = split($4, p, "/"); split($6, o, ","); print p[n], o[1] }' \
		/proc/self/mountinfo
	cp "$CACHE_DIR/attack" "$TEST_TMP/attack"
	mkdir -p "$BUNDLE/rootfs/a/dst" "$BUNDLE/rootfs/b/dst"
	ln -s b "$BUNDLE/rootfs/a.link"
	cfg ".mounts += [{\"destination\": \"/b/dst\", \"type\": \"bind\", \"source\": \"$TEST_TMP/bsrc\",
		\"options\": [\"rbind\"]}]"
}

# race_runs N CHECK: N runs while /a and /a.link are exchanged; CHECK
# judges each run's output ($output). Stops at the first run CHECK refuses.
race_runs() {
	local i
	rm -f "$TEST_TMP/stop"
	"$TEST_TMP/attack" swap "$BUNDLE/rootfs/a" "$BUNDLE/rootfs/a.link" "$TEST_TMP/stop" \
		>"$TEST_TMP/swap.out" &
	SWAP_PID=$!
	RUNS=0
	for i in $(seq "$1"); do
		run rt run --bundle "$BUNDLE" c1
		RUNS=$i
		if [ "$status" -ne 0 ] || ! "$2"; then
			echo "run $i: status $status: $output" >&2
			break
		fi
	done
	touch "$TEST_TMP/stop"
	wait "$SWAP_PID"
	cat "$TEST_TMP/swap.out"
	# the race really ran: the swapper exchanged the two throughout
	[ "$(sed -n 's/^swaps: //p' "$TEST_TMP/swap.out")" -gt 100 ]
	# put /a back as the directory
	if [ -L "$BUNDLE/rootfs/a" ]; then
		mv "$BUNDLE/rootfs/a" "$BUNDLE/rootfs/a.tmp"
		mv "$BUNDLE/rootfs/a.link" "$BUNDLE/rootfs/a"
		mv "$BUNDLE/rootfs/a.tmp" "$BUNDLE/rootfs/a.link"
	fi
}

# "ro" bind: src is read-only wherever it landed, bsrc stays writable
ro_went_with_src() {
	[ "$(echo "$output" | sort | tr '\n' ' ')" = "bsrc rw src ro " ]
}

@test "mount flags: an \"ro\" bind under a parent swapped for a symlink: only the new mount is read-only" {
	race_bundle
	cfg ".mounts += [{\"destination\": \"/a/dst\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\",
		\"options\": [\"bind\", \"ro\"]}]"
	# without the race: src read-only, bsrc writable
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = $'bsrc rw\nsrc ro' ]
	race_runs 60 ro_went_with_src
	echo "$RUNS runs"
	ro_went_with_src
	assert_nothing_left c1
}

@test "CVE-2025-52881 class: exec's oomScoreAdj is not written through the container's /proc (a tmpfs with a symlink)" {
	make_bundle sh -c 'mount -t tmpfs none /proc && mkdir -p /proc/self && echo 0 >/decoy &&
		ln -s /decoy /proc/self/oom_score_adj && echo ready && sleep 60'
	cfg '.root.readonly = false'
	caps "$ALL_CAPS"
	rt create --bundle "$BUNDLE" c1
	rt start c1
	# the container's /proc is a mount of its own: look through the init
	pid=$(rt state c1 | jq .pid)
	for i in $(seq 50); do
		[ -L "/proc/$pid/root/proc/self/oom_score_adj" ] && break
		sleep 0.1
	done
	[ -L "/proc/$pid/root/proc/self/oom_score_adj" ]
	jq -n '{args: ["sleep", "60"], cwd: "/", oomScoreAdj: 500,
		capabilities: {bounding: [], effective: [], permitted: []}}' >"$TEST_TMP/p.json"
	rt exec -d --pid-file "$TEST_TMP/exec.pid" --process "$TEST_TMP/p.json" c1
	exec_pid=$(cat "$TEST_TMP/exec.pid")
	# the kernel's knob got it; the container's decoy did not
	[ "$(cat "/proc/$exec_pid/oom_score_adj")" = 500 ]
	[ "$(cat "/proc/$pid/root/decoy")" = 0 ]
	rt delete --force c1
	assert_nothing_left c1
}
