#!/usr/bin/env bats
# The process object, asserted from inside: args, env, cwd, user, rlimits,
# no_new_privs, capabilities, OOM score, terminal, personality, scheduler,
# I/O priority, sysctl, and which file descriptors reach the container.

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() {
	[ -z "${RECV_PID:-}" ] || kill "$RECV_PID" 2>/dev/null || true
	common_teardown
}

# status_field NAME: "NAME:\t<value>" of /proc/self/status, from $output.
status_field() {
	echo "$output" | awk -v k="$1:" '$1 == k {print $2}'
}

@test "args reach the program as given, spaces and all" {
	make_bundle sh -c 'echo "$#|$0|$1|$2"' zero "one two" ""
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = "2|zero|one two|" ]
}

@test "env is exactly process.env" {
	make_bundle env
	cfg '.process.env = ["PATH=/bin", "A=1", "B=two words", "EMPTY="]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sort | tr '\n' ';')" = "A=1;B=two words;EMPTY=;PATH=/bin;" ]
}

@test "args[0] is looked up in the PATH of process.env" {
	make_bundle it4prog
	mkdir -p "$BUNDLE/rootfs/opt/it4"
	printf '#!/bin/sh\necho found me\n' >"$BUNDLE/rootfs/opt/it4/it4prog"
	chmod 755 "$BUNDLE/rootfs/opt/it4/it4prog"
	cfg '.process.env = ["PATH=/nowhere:/opt/it4"]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = "found me" ]
}

@test "a program that does not exist fails create naming process.args[0], nothing left" {
	make_bundle no-such-program-it4
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'process.args[0]: "no-such-program-it4" not found'* ]]
	assert_nothing_left c1
}

@test "cwd is the working directory" {
	make_bundle pwd
	cfg '.process.cwd = "/etc"'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = /etc ]
}

@test "a cwd that does not exist fails naming process.cwd, nothing left" {
	make_bundle pwd
	cfg '.process.cwd = "/no/such/dir"'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.cwd"*"/no/such/dir"* ]]
	assert_nothing_left c1
}

@test "user: uid, gid, additionalGids and umask" {
	make_bundle sh -c 'id -u; id -g; id -G; umask; touch /tmp/f && stat -c %a /tmp/f'
	cfg '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 6, 1001], "umask": 63}
	     | .mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["mode=1777"]}]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "$(echo "${lines[2]}" | tr ' ' '\n' | sort -n | tr '\n' ' ')" = "5 6 1001 " ]
	[ "${lines[3]}" = 0077 ]
	[ "${lines[4]}" = 600 ]
}

@test "user: the default umask is 0022" {
	make_bundle sh -c umask
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = 0022 ]
}

@test "rlimits: soft and hard limits are set" {
	make_bundle sh -c 'ulimit -n; ulimit -Hn; ulimit -c; ulimit -Hc; ulimit -Hu'
	cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654},
	                          {"type": "RLIMIT_CORE", "soft": 0, "hard": 1024},
	                          {"type": "RLIMIT_NPROC", "soft": 100, "hard": 200}]'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 321 ]
	[ "${lines[1]}" = 654 ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 2 ] # ulimit -c counts 512-byte blocks
	[ "${lines[4]}" = 200 ]
}

@test "rlimits: soft above hard fails naming process.rlimits[N], nothing left" {
	make_bundle true
	cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 100},
	                          {"type": "RLIMIT_CORE", "soft": 10, "hard": 5}]'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.rlimits[1]"* ]]
	assert_nothing_left c1
}

@test "noNewPrivileges: NoNewPrivs is 1 with true and 0 with false" {
	make_bundle cat /proc/self/status
	cfg '.process.noNewPrivileges = true'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$(status_field NoNewPrivs)" = 1 ]
	cfg '.process.noNewPrivileges = false'
	run rt run --bundle "$BUNDLE" c2
	[ "$status" -eq 0 ]
	[ "$(status_field NoNewPrivs)" = 0 ]
}

# CAP_CHOWN 0, CAP_KILL 5, CAP_NET_BIND_SERVICE 10, CAP_SYS_ADMIN 21
five_sets='.process.capabilities = {
	"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"],
	"effective": ["CAP_KILL"],
	"permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
	"inheritable": ["CAP_NET_BIND_SERVICE"],
	"ambient": ["CAP_NET_BIND_SERVICE"]}'

@test "capabilities: all five sets, exact, for a non-root user" {
	make_bundle cat /proc/self/status
	cfg "$five_sets | .process.user = {\"uid\": 1000, \"gid\": 1000}"
	run rt run --bundle "$BUNDLE" c1
	echo "$output" | grep ^Cap
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 0000000000200421 ]
	[ "$(status_field CapInh)" = 0000000000000400 ]
	# execve as non-root keeps only the ambient set in permitted and effective
	[ "$(status_field CapPrm)" = 0000000000000400 ]
	[ "$(status_field CapEff)" = 0000000000000400 ]
	[ "$(status_field CapAmb)" = 0000000000000400 ]
}

@test "capabilities: all five sets, exact, for root" {
	make_bundle cat /proc/self/status
	cfg "$five_sets | .process.noNewPrivileges = false"
	run rt run --bundle "$BUNDLE" c1
	echo "$output" | grep ^Cap
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 0000000000200421 ]
	[ "$(status_field CapInh)" = 0000000000000400 ]
	# execve as root: permitted = bounding | inheritable, all effective
	[ "$(status_field CapPrm)" = 0000000000200421 ]
	[ "$(status_field CapEff)" = 0000000000200421 ]
	[ "$(status_field CapAmb)" = 0000000000000400 ]
	# no_new_privs: execve may not add to the permitted set
	cfg '.process.noNewPrivileges = true'
	run rt run --bundle "$BUNDLE" c2
	echo "$output" | grep ^Cap
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 0000000000200421 ]
	[ "$(status_field CapInh)" = 0000000000000400 ]
	[ "$(status_field CapPrm)" = 0000000000000420 ]
	[ "$(status_field CapEff)" = 0000000000000420 ]
	[ "$(status_field CapAmb)" = 0000000000000400 ]
}

@test "capabilities: with no capabilities object the process keeps the runtime's" {
	make_bundle cat /proc/self/status
	cfg 'del(.process.capabilities)'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = "$(awk '$1 == "CapBnd:" {print $2}' /proc/self/status)" ]
}

@test "capabilities: an empty bounding set leaves root without any" {
	make_bundle cat /proc/self/status
	cfg '.process.capabilities = {"bounding": []}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 0000000000000000 ]
	[ "$(status_field CapEff)" = 0000000000000000 ]
}

@test "oomScoreAdj: a positive value is applied" {
	make_bundle cat /proc/self/oom_score_adj
	cfg '.process.oomScoreAdj = 500'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = 500 ]
}

@test "oomScoreAdj: a negative value fails here (no CAP_SYS_RESOURCE), nothing left" {
	if (echo -1 >/proc/self/oom_score_adj) 2>/dev/null; then
		skip "this machine allows negative oom_score_adj"
	fi
	make_bundle true
	cfg '.process.oomScoreAdj = -500'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.oomScoreAdj"* ]]
	assert_nothing_left c1
}

@test "oomScoreAdj: out of range is refused naming the field, nothing left" {
	make_bundle true
	cfg '.process.oomScoreAdj = 1001'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.oomScoreAdj: 1001 is out of range"* ]]
	assert_nothing_left c1
}

@test "terminal: --console-socket gets the pty; tty and consoleSize inside" {
	make_bundle sh -c 'tty; stty size; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-ttys'
	cfg '.process.terminal = true | .process.consoleSize = {"height": 30, "width": 100}'
	start_recvtty
	rt create --bundle "$BUNDLE" --console-socket "$TEST_TMP/tty.sock" c1
	rt start c1
	wait "$RECV_PID"
	RECV_PID=
	cat "$TEST_TMP/tty.out"
	out=$(tr -d '\r' <"$TEST_TMP/tty.out")
	[ "$(echo "$out" | sed -n 1p)" = /dev/pts/0 ]
	[ "$(echo "$out" | sed -n 2p)" = "30 100" ]
	[ "$(echo "$out" | sed -n 3p)" = all-ttys ]
	[ "$(cat "$TEST_TMP/tty.out.name")" = /dev/pts/0 ]
	wait_for_status c1 stopped
	rt delete c1
	assert_nothing_left c1
}

@test "terminal: run --console-socket waits and returns the exit code" {
	make_bundle sh -c 'tty; exit 7'
	cfg '.process.terminal = true'
	start_recvtty
	run rt run --bundle "$BUNDLE" --console-socket "$TEST_TMP/tty.sock" c1
	[ "$status" -eq 7 ]
	wait "$RECV_PID"
	RECV_PID=
	[ "$(tr -d '\r' <"$TEST_TMP/tty.out")" = /dev/pts/0 ]
	assert_nothing_left c1
}

@test "terminal: create without --console-socket fails naming process.terminal" {
	make_bundle true
	cfg '.process.terminal = true'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.terminal"*"--console-socket"* ]]
	assert_nothing_left c1
	# run --detach cannot hold the terminal either: refused before anything
	# is made (no prestart hook runs)
	cfg ".hooks.prestart = [{\"path\": \"/bin/touch\", \"args\": [\"touch\", \"$TEST_TMP/hook-ran\"]}]"
	run rt run --detach --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"process.terminal: run --detach needs --console-socket"* ]]
	[ ! -e "$TEST_TMP/hook-ran" ]
	assert_nothing_left c1
}

@test "terminal: a console socket nobody listens on fails, nothing left" {
	make_bundle true
	cfg '.process.terminal = true'
	run rt create --bundle "$BUNDLE" --console-socket "$TEST_TMP/nobody.sock" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"--console-socket"* ]]
	assert_nothing_left c1
}

@test "personality: LINUX32 makes uname -m say i686" {
	[ "$(uname -m)" = x86_64 ] || skip "LINUX32 is tested on x86_64 only"
	make_bundle uname -m
	cfg '.linux.personality = {"domain": "LINUX32"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = i686 ]
	cfg '.linux.personality = {"domain": "LINUX"}'
	run rt run --bundle "$BUNDLE" c2
	[ "$status" -eq 0 ]
	[ "$output" = x86_64 ]
}

@test "personality: an unknown domain is refused naming the field, nothing left" {
	make_bundle true
	cfg '.linux.personality = {"domain": "BSD"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'linux.personality.domain: unknown domain "BSD"'* ]]
	assert_nothing_left c1
}

@test "scheduler: SCHED_BATCH with nice 5, SCHED_IDLE" {
	make_bundle probe sched
	cfg '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "$output" == "policy=3 nice=5 "* ]]
	cfg '.process.scheduler = {"policy": "SCHED_IDLE"}'
	run rt run --bundle "$BUNDLE" c2
	[ "$status" -eq 0 ]
	[[ "$output" == "policy=5 "* ]]
}

@test "scheduler: an unknown policy is refused naming the field, nothing left" {
	make_bundle true
	cfg '.process.scheduler = {"policy": "SCHED_FAST"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'process.scheduler.policy: unknown policy "SCHED_FAST"'* ]]
	assert_nothing_left c1
}

@test "ioPriority: class and level, seen by probe and ionice" {
	make_bundle sh -c 'probe sched; ionice'
	cfg '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" ioprio=2,6" ]]
	[ "${lines[1]}" = "best-effort: prio 6" ]
}

@test "ioPriority: an unknown class is refused naming the field, nothing left" {
	make_bundle true
	cfg '.process.ioPriority = {"class": "IOPRIO_CLASS_FAST", "priority": 1}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'process.ioPriority.class: unknown class "IOPRIO_CLASS_FAST"'* ]]
	assert_nothing_left c1
}

@test "sysctl: net.ipv4.ip_forward in the container's netns, kernel.shmmax in its ipc ns" {
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_shmmax=$(cat /proc/sys/kernel/shmmax)
	make_bundle cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "123456789"}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = 123456789 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host_shmmax" ]
}

@test "sysctl: an unknown key fails naming linux.sysctl[\"KEY\"], nothing left" {
	make_bundle true
	cfg '.linux.sysctl = {"net.ipv4.no_such_knob_it4": "1"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'linux.sysctl["net.ipv4.no_such_knob_it4"]: open /proc/sys/net/ipv4/no_such_knob_it4'* ]]
	assert_nothing_left c1
}

@test "sysctl: a key that climbs out of /proc/sys is refused" {
	make_bundle true
	cfg '.linux.sysctl = {"../../etc/passwd": "x"}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'linux.sysctl["../../etc/passwd"]: invalid key'* ]]
	assert_nothing_left c1
}

@test "fds: only 0, 1 and 2 reach the container, whatever the caller has open" {
	make_bundle probe fds
	run bash -c 'exec 3</etc 4>"$1/x" 7</dev/null; exec "$2" --root "$3" run --bundle "$4" c1' \
		_ "$TEST_TMP" "$MINI_RUNTIME" "$ROOT" "$BUNDLE"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d' ' -f2 | sort -n | tr '\n' ' ')" = "0 1 2 " ]
}

@test "fds: --preserve-fds 1 passes fd 3 and nothing else" {
	make_bundle probe fds
	echo marker >"$TEST_TMP/three"
	run bash -c 'exec 3<"$1/three" 4>"$1/x"; exec "$2" --root "$3" run --preserve-fds 1 --bundle "$4" c1' \
		_ "$TEST_TMP" "$MINI_RUNTIME" "$ROOT" "$BUNDLE"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d' ' -f2 | sort -n | tr '\n' ' ')" = "0 1 2 3 " ]
	[[ "$output" == *"fd 3 -> $TEST_TMP/three"* ]]
}

@test "fds: --preserve-fds over an fd that is not open skips it (none of ours takes its place)" {
	make_bundle sleep 30
	# fd 4 is closed: the runtime's own state directory fd once took its
	# place in the container, and `start` then waited on its lock for ever
	# (runc 1.5 hands the container one of its cgroup files there)
	touch "$TEST_TMP/five"
	bash -c 'exec 3</dev/null 4<&- 5<"$1/five"; exec "$2" --root "$3" create --preserve-fds 3 --bundle "$4" c1' \
		_ "$TEST_TMP" "$MINI_RUNTIME" "$ROOT" "$BUNDLE" </dev/null >/dev/null 2>&1
	rt start c1
	pid=$(rt state c1 | jq .pid)
	ls -l "/proc/$pid/fd"
	[ "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')" = "0 1 2 3 5 " ]
	[ "$(readlink "/proc/$pid/fd/3")" = /dev/null ]
	[ "$(readlink "/proc/$pid/fd/5")" = "$TEST_TMP/five" ]
	# and exec the same
	run bash -c 'exec 3</dev/null 4<&-; exec "$2" --root "$3" exec --preserve-fds 2 c1 probe fds' \
		_ "$TEST_TMP" "$MINI_RUNTIME" "$ROOT"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d' ' -f2 | sort -n | tr '\n' ' ')" = "0 1 2 3 " ]
	rt delete --force c1
	assert_nothing_left c1
}

@test "fds: create/start also passes only 0-2" {
	make_bundle sh -c 'probe fds >/out.txt'
	cfg '.root.readonly = false'
	bash -c 'exec 3</etc 5</etc; exec "$2" --root "$3" create --bundle "$4" c1' \
		_ "$TEST_TMP" "$MINI_RUNTIME" "$ROOT" "$BUNDLE" </dev/null >/dev/null 2>&1
	rt start c1
	wait_for_status c1 stopped
	cat "$BUNDLE/rootfs/out.txt"
	[ "$(cut -d' ' -f2 "$BUNDLE/rootfs/out.txt" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
}

@test "exec --user and --cwd apply; a bad --user or a relative --cwd fails naming the flag" {
	make_bundle sleep 30
	rt run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	run rt exec --user 1000:1001 --cwd /tmp c1 sh -c 'id -u; id -g; pwd'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1000\n1001\n/tmp')" ]
	# -1 would be setresuid's "unchanged", i.e. root
	for u in -1 4294967295 1:2junk abc ""; do
		run rt exec --user "$u" c1 id -u
		echo "$u: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"exec --user: expected UID[:GID]"* ]]
	done
	run rt exec --cwd tmp c1 pwd
	[ "$status" -eq 1 ]
	[[ "$output" == *'exec --cwd: "tmp" is not an absolute path'* ]]
	[ "$(rt ps --format json c1 | jq length)" -eq 1 ] # nothing of the failed ones runs
	rt delete --force c1
	assert_nothing_left c1
}
