#!/usr/bin/env bats
# Rootless mode (issue 22, point 4): an unprivileged user runs mini-runtime
# on a `spec --rootless` bundle, as with runc and crun. Each test makes a
# real user of its own (useradd) with /etc/subuid and /etc/subgid ranges;
# the two files are saved first and put back, and the user removed, in
# teardown. On this kind of host (hybrid cgroups) nothing is delegated: the
# containers get no cgroup.

load lib/common

RL_USER=mini-rl-it
SUB_START=300000

setup() {
	common_setup
	chmod 0755 "$TEST_TMP"
	# the user must reach the binary: a clone under /root (0700, as CI's
	# may be) is out of its reach, so the tests run a copy of their own
	cp "$MINI_RUNTIME" "$TEST_TMP/mini-runtime"
	MINI_RUNTIME=$TEST_TMP/mini-runtime
	local f
	for f in subuid subgid; do
		if [ -e "/etc/$f" ]; then cp -a "/etc/$f" "$TEST_TMP/$f.saved"; fi
	done
	! id "$RL_USER" >/dev/null 2>&1 || userdel "$RL_USER"
	# no ranges of useradd's choosing: ours, below
	useradd -M -U -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$RL_USER"
	RUID=$(id -u "$RL_USER")
	RGID=$(id -g "$RL_USER")
	echo "$RL_USER:$SUB_START:65536" >>/etc/subuid
	echo "$RL_USER:$SUB_START:65536" >>/etc/subgid
	XDG=$TEST_TMP/xdg
	mkdir -m 0700 "$XDG"
	chown "$RUID:$RGID" "$XDG"
}

# end_session: linger off and the user's manager stopped (a no-op unless a
# test started it).
end_session() {
	[ -n "${SD_LINGER:-}" ] || return 0
	loginctl disable-linger "$RL_USER" || true
	systemctl stop "user@$RUID.service" "user-runtime-dir@$RUID.service" || true
	SD_LINGER=
}

teardown() {
	local p f
	end_session
	# the user's processes, if a test failed midway: each by its pid
	if [ -n "${RUID:-}" ]; then
		for p in $(pgrep -u "$RUID"); do kill -KILL "$p" 2>/dev/null || true; done
	fi
	# a delegated subtree a test made: its children, then itself
	if [ -n "${DELEG:-}" ] && [ -d "$DELEG" ]; then
		for i in $(seq 50); do
			for f in "$DELEG"/*/; do [ ! -d "$f" ] || rmdir "$f" 2>/dev/null || true; done
			rmdir "$DELEG" 2>/dev/null && break
			sleep 0.1
		done
	fi
	! id "$RL_USER" >/dev/null 2>&1 || userdel "$RL_USER"
	for f in subuid subgid; do
		if [ -e "$TEST_TMP/$f.saved" ]; then
			cp -a "$TEST_TMP/$f.saved" "/etc/$f"
		else
			rm -f "/etc/$f"
		fi
	done
	common_teardown
}

# as_user CMD...: CMD as the test's user, its runtime directory $XDG.
as_user() {
	setpriv --reuid="$RUID" --regid="$RGID" --clear-groups \
		env XDG_RUNTIME_DIR="$XDG" HOME="$XDG" "$@"
}

# rt_user ARGS...: the runtime as the user, with the default --root.
rt_user() {
	as_user "$MINI_RUNTIME" "$@"
}

# rl_bundle ARGS...: $BUNDLE, the user's, from `spec --rootless` run by the
# user; ARGS the process, no terminal, a writable rootfs.
rl_bundle() {
	local args a
	BUNDLE=$TEST_TMP/bundle
	rm -rf "$BUNDLE"
	mkdir -p "$BUNDLE"
	cp -a "$CACHE_DIR/rootfs" "$BUNDLE/rootfs"
	chown -R "$RUID:$RGID" "$BUNDLE"
	rt_user spec --rootless --bundle "$BUNDLE"
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -s .)
	cfg ".root.readonly = false | .process.terminal = false | .process.args = $args"
}

# subids: the bundle maps 1..65536 to the user's /etc/subuid and subgid range too.
subids() {
	cfg ".linux.uidMappings += [{\"containerID\": 1, \"hostID\": $SUB_START, \"size\": 65536}]
	     | .linux.gidMappings += [{\"containerID\": 1, \"hostID\": $SUB_START, \"size\": 65536}]"
}

# user_left: what of the user's is left: processes, state directories.
assert_user_clean() {
	local st=${1:-$XDG/mini-runtime}
	# a zombie is its reaper's (tests/run-all.sh runs the suites under one)
	if [ -n "$(ps -o pid=,stat= -u "$RUID" | awk '$2 !~ /^Z/')" ]; then
		echo "processes of $RL_USER left: $(ps -o pid=,stat=,args= -u "$RUID")" >&2
		return 1
	fi
	if [ -n "$(ls -A "$st" 2>/dev/null)" ]; then
		echo "state left in $st: $(ls -A "$st")" >&2
		return 1
	fi
}

# fails_as_user TEXT: run fails with exit 1 and TEXT, leaving nothing.
fails_as_user() {
	run rt_user run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	assert_user_clean
}

@test "rootless: the spec --rootless bundle runs: root inside, the user's files on the host, state in \$XDG_RUNTIME_DIR" {
	rl_bundle sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; cat /proc/self/setgroups; touch /made; stat -c %u:%g /made; ls /sys/fs/cgroup | wc -l'
	run rt_user --debug run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rootless: no cgroup for c1 (/sys/fs/cgroup/mini-runtime/c1 is in no cgroup v2 subtree delegated to uid $RUID)"* ]]
	out=$(echo "$output" | grep -v '^mini-runtime: debug: ')
	echo "$out" | sed -n 1p | grep -qx 0
	echo "$out" | sed -n 2p | grep -qx 0
	[ "$(echo "$out" | sed -n 3p | tr -s ' ' | sed 's/^ //')" = "0 $RUID 1" ]
	[ "$(echo "$out" | sed -n 4p | tr -s ' ' | sed 's/^ //')" = "0 $RGID 1" ]
	# a map of one's own gid needs setgroups denied (user_namespaces(7))
	echo "$out" | sed -n 5p | grep -qx deny
	echo "$out" | sed -n 6p | grep -qx 0:0
	# what root made inside is the user's on the host
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/made")" = "$RUID:$RGID" ]
	assert_user_clean
	[ -d "$XDG/mini-runtime" ]
	[ "$(stat -c %u "$XDG/mini-runtime")" = "$RUID" ]
}

@test "rootless: create, the binary a sealed copy, start, exec, kill, delete with --root; nothing left" {
	rl_bundle sleep 300
	st=$TEST_TMP/xdg/st
	sum=$(sha256sum "$MINI_RUNTIME" | cut -d' ' -f1)
	rt_user --root "$st" create --bundle "$BUNDLE" c1
	pid=$(rt_user --root "$st" state c1 | jq .pid)
	[ "$(rt_user --root "$st" state c1 | jq -r .status)" = created ]
	[ "$(stat -c %u "$st/c1")" = "$RUID" ]
	# until start the init runs the runtime's binary: a sealed memfd copy,
	# which even host root cannot write (open_tree needs privileges)
	[[ "$(readlink "/proc/$pid/exe")" == "/memfd:mini-runtime (deleted)" ]]
	# sealed: F_GET_SEALS is SEAL | SHRINK | GROW | WRITE (15)
	[ "$(python3 -c 'import fcntl, os, sys; print(fcntl.fcntl(os.open(sys.argv[1], os.O_RDONLY), 1034))' "/proc/$pid/exe")" = 15 ]
	run sh -c "echo x >>/proc/$pid/exe"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "$(sha256sum "$MINI_RUNTIME" | cut -d' ' -f1)" = "$sum" ]
	rt_user --root "$st" start c1
	[ "$(rt_user --root "$st" state c1 | jq -r .status)" = running ]
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$RUID" ]
	run rt_user --root "$st" exec c1 sh -c 'id -u; readlink /proc/self/ns/user; readlink /proc/self/ns/pid; echo "ppid=$PPID"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid/ns/user")" ]
	[ "${lines[2]}" = "$(readlink "/proc/$pid/ns/pid")" ]
	# the container's pid namespace: its parent is outside, pid 0 there
	[ "${lines[3]}" = ppid=0 ]
	run rt_user --root "$st" exec c1 sh -c 'exit 7'
	[ "$status" -eq 7 ]
	rt_user --root "$st" kill c1 KILL
	for i in $(seq 50); do
		[ "$(rt_user --root "$st" state c1 | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	[ "$(rt_user --root "$st" state c1 | jq -r .status)" = stopped ]
	rt_user --root "$st" delete c1
	assert_user_clean "$st"
	[ ! -e "$XDG/mini-runtime" ]
}

@test "rootless: more ids through /etc/subuid and /etc/subgid (newuidmap, newgidmap)" {
	rl_bundle sh -c 'cat /proc/self/uid_map; cat /proc/self/setgroups; touch /a /b; chown 1000:1000 /b; stat -c %u:%g /a /b; id -G'
	subids
	cfg '.process.capabilities.bounding += ["CAP_CHOWN"] | .process.capabilities.effective += ["CAP_CHOWN"]
	     | .process.capabilities.permitted += ["CAP_CHOWN"] | .process.user.additionalGids = [5, 100]'
	run rt_user run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -s ' ' | sed 's/^ //')" = "0 $RUID 1" ]
	[ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "1 $SUB_START 65536" ]
	# newgidmap leaves setgroups allowed: supplementary groups work
	[ "${lines[2]}" = allow ]
	[ "${lines[3]}" = 0:0 ]
	[ "${lines[4]}" = 1000:1000 ]
	[ "${lines[5]}" = "0 5 100" ]
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/a")" = "$RUID:$RGID" ]
	# container id 1000 is the range's 1000th
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/b")" = "$((SUB_START + 999)):$((SUB_START + 999))" ]
	assert_user_clean
}

@test "rootless: what the user cannot have fails naming the field, nothing left" {
	rl_bundle true
	good=$(cat "$BUNDLE/config.json")
	# ids the user does not own: refused by newuidmap / newgidmap
	cfg ".linux.uidMappings += [{\"containerID\": 1, \"hostID\": 400000, \"size\": 10}]"
	fails_as_user "linux.uidMappings: rootless (uid $RUID), newuidmap refused the mapping: newuidmap: uid range [1-11) -> [400000-400010) not allowed"
	echo "$good" >"$BUNDLE/config.json"
	cfg ".linux.gidMappings[0].size = 2"
	fails_as_user "linux.gidMappings: rootless (uid $RUID), newgidmap refused the mapping: newgidmap: gid range [0-2) -> [$RGID-$((RGID + 2))) not allowed"
	# resources without a delegated cgroup
	echo "$good" >"$BUNDLE/config.json"
	cfg '.linux.resources = {"pids": {"limit": 10}}'
	fails_as_user "linux.resources: rootless (uid $RUID), the container gets no cgroup: /sys/fs/cgroup/mini-runtime/c1 is in no cgroup v2 subtree delegated to the user"
	# supplementary groups with the user's own gid alone: setgroups denied
	echo "$good" >"$BUNDLE/config.json"
	cfg '.process.user.additionalGids = [5]'
	fails_as_user "process.user.additionalGids: rootless (uid $RUID), linux.gidMappings maps the user's own gid alone, which needs setgroups denied: map an /etc/subgid range too (newgidmap)"
	# no user namespace, an idmapped mount
	echo "$good" >"$BUNDLE/config.json"
	cfg '.linux.namespaces |= map(select(.type != "user"))'
	fails_as_user "linux.namespaces: rootless (uid $RUID), the container needs a user namespace"
	echo "$good" >"$BUNDLE/config.json"
	n=$(jq '.mounts | length' "$BUNDLE/config.json")
	cfg '.mounts += [{"destination": "/mnt", "type": "bind", "source": "/tmp", "options": ["rbind", "idmap"]}]'
	fails_as_user "mounts[$n]: rootless (uid $RUID), a mount cannot be idmapped"
	# and without newuidmap on PATH, the map that needs it says so
	echo "$good" >"$BUNDLE/config.json"
	subids
	run as_user env PATH=/nonexistent "$MINI_RUNTIME" run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.uidMappings: rootless (uid $RUID), ids other than one's own need newuidmap (Debian's uidmap package), which is not installed"* ]]
	assert_user_clean
	# the good one still runs
	echo "$good" >"$BUNDLE/config.json"
	rt_user run --bundle "$BUNDLE" c1
	assert_user_clean
}

# in_deleg ARGS...: the runtime as the user, from a process in the delegated
# subtree $DELEG/runner (as a systemd user session's shell is in its own),
# with --root $XDG/st.
in_deleg() {
	sh -c 'echo $$ >"$0/runner/cgroup.procs" && exec "$@"' "$DELEG" \
		setpriv --reuid="$RUID" --regid="$RGID" --clear-groups \
		env XDG_RUNTIME_DIR="$XDG" "$MINI_RUNTIME" --root "$XDG/st" "$@"
}

@test "rootless: a delegated cgroup v2 subtree (chowned, as systemd's Delegate=): its cgroup, limit, exec, pause, ps, delete" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
		skip "not a pure cgroup v2 host: nothing to delegate (the tests above cover no cgroup)"
	DELEG=/sys/fs/cgroup/mini-rl-it-${TEST_TMP##*.}
	mkdir "$DELEG" "$DELEG/runner"
	# what systemd does for Delegate=yes: the directory and its three
	# delegation files to the user, the controllers enabled below it
	echo +pids >"$DELEG/cgroup.subtree_control"
	chown "$RUID:$RGID" "$DELEG" "$DELEG/cgroup.procs" "$DELEG/cgroup.threads" \
		"$DELEG/cgroup.subtree_control"
	chown -R "$RUID:$RGID" "$DELEG/runner"
	rl_bundle sleep 300
	cfg ".linux.cgroupsPath = \"${DELEG#/sys/fs/cgroup}/c1\" | .linux.resources = {\"pids\": {\"limit\": 20}}"
	# not under `run`: the container would hold its output pipe open
	in_deleg --debug run --detach --bundle "$BUNDLE" c1 >"$TEST_TMP/out" 2>&1 </dev/null
	cat "$TEST_TMP/out"
	! grep -q "no cgroup" "$TEST_TMP/out"
	pid=$(in_deleg state c1 | jq .pid)
	[ "$(cat "$DELEG/c1/pids.max")" = 20 ]
	grep -qx "$pid" "$DELEG/c1/cgroup.procs"
	[ "$(stat -c %u "$DELEG/c1")" = "$RUID" ]
	run in_deleg exec c1 sh -c 'cat /proc/self/cgroup'
	echo "$output"
	[ "$status" -eq 0 ]
	# the template has no cgroup namespace: the host's path
	[ "$output" = "0::${DELEG#/sys/fs/cgroup}/c1" ]
	[ "$(in_deleg ps c1 -o pid | tail -n +2 | tr -d ' ')" = "$pid" ]
	in_deleg pause c1
	[ "$(in_deleg state c1 | jq -r .status)" = paused ]
	[ "$(cat "$DELEG/c1/cgroup.freeze")" = 1 ]
	in_deleg resume c1
	[ "$(in_deleg state c1 | jq -r .status)" = running ]
	in_deleg delete --force c1
	[ ! -e "$DELEG/c1" ]
	assert_user_clean "$XDG/st"
}

# sd_user ARGS...: ARGS as the user inside their systemd user session: the
# session's runtime directory, its manager reached by its private socket.
sd_user() {
	setpriv --reuid="$RUID" --regid="$RGID" --init-groups \
		env XDG_RUNTIME_DIR="/run/user/$RUID" HOME=/ "$@"
}

# in_scope UNIT ARGS...: the runtime (default --root, in /run/user/UID) as
# the user, in a transient scope UNIT of their session with Delegate=yes,
# from a leaf "runner" of it (a cgroup with children holds no process).
in_scope() {
	local unit=$1
	shift
	sd_user systemd-run --user --quiet --scope --slice=app.slice --unit="$unit" \
		-p Delegate=yes sh -c 'cg=/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)
			mkdir "$cg/runner" && echo $$ >"$cg/runner/cgroup.procs" && exec "$@"' \
		sh "$MINI_RUNTIME" "$@"
}

@test "rootless: a systemd user session (linger): a Delegate=yes scope, its pids limit enforced, exec, ps, delete; linger off" {
	[ "$(cat /proc/1/comm)" = systemd ] || skip "systemd is not PID 1: no user session"
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
		skip "not a pure cgroup v2 host: a user session delegates nothing usable"
	SD_LINGER=1
	loginctl enable-linger "$RL_USER"
	# logind starts user@UID.service for a lingering user; wait for it (a
	# user manager starting under the node guest's TCG, on a loaded host,
	# took more than a minute)
	for i in $(seq 600); do
		[ "$(systemctl is-active "user@$RUID.service")" = active ] && break
		sleep 0.5
	done
	systemctl is-active "user@$RUID.service"
	[ -d "/run/user/$RUID" ]
	[ "$(stat -c %u "/run/user/$RUID")" = "$RUID" ]
	# user@.service is delegated: its cgroup is the user's
	ucg=/sys/fs/cgroup/user.slice/user-$RUID.slice/user@$RUID.service
	[ "$(stat -c %u "$ucg")" = "$RUID" ]
	scope=$ucg/app.slice/mini-rl-sd.scope
	rl_bundle sleep 300
	cfg ".linux.cgroupsPath = \"${scope#/sys/fs/cgroup}/c1\" | .linux.resources = {\"pids\": {\"limit\": 8}}"
	# detached: the scope lives on with the container's init in it
	in_scope mini-rl-sd --debug run --detach --bundle "$BUNDLE" c1 >"$TEST_TMP/out" 2>&1 </dev/null
	cat "$TEST_TMP/out"
	! grep -q "no cgroup" "$TEST_TMP/out"
	[ "$(sd_user systemctl --user is-active mini-rl-sd.scope)" = active ]
	pid=$(sd_user "$MINI_RUNTIME" state c1 | jq .pid)
	[ "$(stat -c %u "/run/user/$RUID/mini-runtime/c1")" = "$RUID" ]
	grep -qx "$pid" "$scope/c1/cgroup.procs"
	[ "$(cat "$scope/c1/pids.max")" = 8 ]
	run in_scope mini-rl-sd-exec exec c1 cat /proc/self/cgroup
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0::${scope#/sys/fs/cgroup}/c1" ]
	[ "$(sd_user "$MINI_RUNTIME" ps c1 -o pid | tail -n +2 | tr -d ' ')" = "$pid" ]
	# the limit holds: an exec'd fork bomb gives up (status 2) at 8 (its
	# sleeps off the output pipe, which `run` reads to the end)
	run in_scope mini-rl-sd-bomb exec c1 sh -c 'while true; do sleep 300 >/dev/null 2>&1 & done'
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"can't fork"* ]]
	[ "$(sed -n 's/^max //p' "$scope/c1/pids.events")" -ge 1 ]
	[ "$(cat "$scope/c1/pids.current")" -le 8 ]
	[ "$(cat "$scope/c1/pids.peak" 2>/dev/null || echo 8)" -le 8 ]
	sd_user "$MINI_RUNTIME" delete --force c1
	[ ! -e "$scope/c1" ]
	# the scope's processes are gone: systemd ends it
	for i in $(seq 60); do
		[ "$(sd_user systemctl --user is-active mini-rl-sd.scope)" != active ] && break
		sleep 0.5
	done
	[ "$(sd_user systemctl --user is-active mini-rl-sd.scope)" != active ]
	[ -z "$(ls -A "/run/user/$RUID/mini-runtime" 2>/dev/null)" ]
	end_session
	! systemctl is-active --quiet "user@$RUID.service"
	[ ! -e "/var/lib/systemd/linger/$RL_USER" ]
	assert_user_clean "/run/user/$RUID/mini-runtime"
}
