#!/usr/bin/env bats
# Bad input fails cleanly: exit 1, one message naming the config field (or
# the id, or the file), and nothing left behind. Also what the runtime
# prints about itself: features, spec, json logs.

bats_require_minimum_version 1.5.0

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() { common_teardown; }

# fails_with MESSAGE: `create c1` fails with exit 1 and MESSAGE, and
# nothing is left.
fails_with() {
	run rt create --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	[ "${#lines[@]}" -eq 1 ] # one line, printed once
	assert_nothing_left c1
}

@test "malformed config.json names the file and line" {
	make_bundle true
	printf '{\n  "ociVersion": "1.2.0",\n  "process": {\n' >"$BUNDLE/config.json"
	fails_with "$BUNDLE/config.json: line"
}

@test "config.json that is not an object" {
	make_bundle true
	echo '[1, 2]' >"$BUNDLE/config.json"
	fails_with "config.json: expected an object"
}

@test "a duplicate key in config.json is refused" {
	make_bundle true
	sed -i '0,/"hostname"/s/"hostname": "mini"/"hostname": "a", "hostname": "b"/' "$BUNDLE/config.json"
	fails_with "duplicate"
}

@test "missing config.json" {
	make_bundle true
	rm "$BUNDLE/config.json"
	fails_with "$BUNDLE/config.json"
	[[ "$output" == *"No such file or directory"* || "$output" == *"unable to open"* ]]
}

@test "a bundle directory that does not exist" {
	BUNDLE=$TEST_TMP/no-such-bundle
	fails_with "bundle $BUNDLE: No such file or directory"
}

@test "missing root, missing root.path, root.path that does not exist" {
	make_bundle true
	cfg 'del(.root)'
	fails_with "root: is required"
	cfg '.root = {"readonly": true}'
	fails_with "root.path: is required"
	cfg '.root.path = "no-such-rootfs"'
	fails_with 'root.path: "no-such-rootfs": No such file or directory'
}

@test "ociVersion missing or not 1.x" {
	make_bundle true
	cfg '.ociVersion = "2.0.0"'
	fails_with 'ociVersion: unsupported version "2.0.0"'
	cfg 'del(.ociVersion)'
	fails_with "ociVersion: is required"
}

@test "process.args a string, or empty" {
	make_bundle true
	cfg '.process.args = "sh -c true"'
	fails_with "process.args: expected an array"
	cfg '.process.args = []'
	fails_with "process.args: must hold at least the program"
	cfg '.process.args = ["sh", 5]'
	fails_with "process.args[1]: expected a string"
}

@test "wrong JSON types name their field" {
	make_bundle true
	cfg '.process.terminal = "yes"'
	fails_with "process.terminal: expected a boolean"
	cfg '.process.terminal = false | .process.user.uid = "root"'
	fails_with "process.user.uid: expected an integer"
	cfg '.process.user.uid = -1'
	fails_with "process.user.uid: -1 is out of range"
	cfg '.process.user.uid = 0 | .mounts = {}'
	fails_with "mounts: expected an array"
	cfg '.mounts = [] | .linux.namespaces = [{"type": 5}]'
	fails_with "linux.namespaces[0].type: expected a string"
	cfg '.linux.namespaces = [] | .hostname = 7'
	fails_with "hostname: expected a string"
}

@test "mounts[0].destination relative, type missing, bind without source" {
	make_bundle true
	cfg '.mounts = [{"destination": "tmp", "type": "tmpfs", "source": "tmpfs"}]'
	fails_with 'mounts[0].destination: "tmp" is not an absolute path'
	cfg '.mounts = [{"destination": "/tmp", "source": "tmpfs"}]'
	fails_with "mounts[0].type: is required"
	cfg '.mounts = [{"destination": "/tmp", "type": "bind", "options": ["rbind"]}]'
	fails_with "mounts[0].source: a bind mount needs a source"
}

@test "process.cwd relative" {
	make_bundle true
	cfg '.process.cwd = "etc"'
	fails_with 'process.cwd: "etc" is not an absolute path'
}

@test "an unknown namespace type, and a duplicate one" {
	make_bundle true
	cfg '.linux.namespaces += [{"type": "mine"}]'
	fails_with "linux.namespaces[5].type: unknown namespace \"mine\""
	cfg '.linux.namespaces = [{"type": "pid"}, {"type": "pid"}]'
	fails_with 'linux.namespaces[1].type: duplicate namespace "pid"'
	cfg '.linux.namespaces = [{"type": "network", "path": "run/netns/x"}]'
	fails_with 'linux.namespaces[0].path: "run/netns/x" is not an absolute path'
}

@test "an unknown rlimit, and a duplicate one" {
	make_bundle true
	cfg '.process.rlimits += [{"type": "RLIMIT_FOO", "soft": 1, "hard": 1}]'
	fails_with 'process.rlimits[1].type: unknown rlimit "RLIMIT_FOO"'
	cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}, {"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2}]'
	fails_with 'process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE"'
	cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]'
	fails_with 'process.rlimits[0].soft: 2048 is above hard (1024)'
}

@test "an unknown capability names its set and index" {
	make_bundle true
	cfg '.process.capabilities.bounding = ["CAP_KILL", "CAP_CHOWN", "CAP_FOO"]'
	fails_with 'process.capabilities.bounding[2]: unknown capability "CAP_FOO"'
	cfg '.process.capabilities.bounding = ["CAP_KILL"] | .process.capabilities.ambient = ["KILL"]'
	fails_with 'process.capabilities.ambient[0]: unknown capability "KILL"'
	cfg '.process.capabilities.ambient = ["CAP_KILL", 3]'
	fails_with 'process.capabilities.ambient[1]: expected a string'
}

@test "a user namespace joined by path needs no mappings; a new one does" {
	make_bundle true
	cfg '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 1000, "size": 1}]'
	fails_with "linux.uidMappings: a new user namespace needs uid and gid mappings"
	cfg '.linux.gidMappings = [{"containerID": 0, "hostID": 1000, "size": 0}]'
	fails_with "linux.gidMappings[0].size: 0 is out of range"
}

@test "invalid container ids: empty, .., a/b, 300 characters" {
	make_bundle true
	long=$(printf 'a%.0s' $(seq 300))
	for id in "" ".." "a/b" "$long" "a b" "x:y"; do
		run rt create --bundle "$BUNDLE" -- "$id"
		echo "[$id] $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"container id"* ]]
		if [ -n "$id" ]; then [ ! -e "$ROOT/$id" ]; fi
	done
	# nothing at all was created under the state root
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "every command that takes an id refuses a bad one" {
	for cmd in state start kill delete; do
		run rt "$cmd" "../etc"
		echo "$cmd: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"container id"* ]]
	done
}

@test "unknown command, unknown global option, missing id" {
	run rt frobnicate
	[ "$status" -eq 1 ]
	[[ "$output" == *"unknown command"* ]]
	[[ "$output" == *'unknown command "frobnicate"'* ]]
	run "$MINI_RUNTIME" --frob state x
	[ "$status" -eq 1 ]
	[[ "$output" == *'unknown global option "--frob"'* ]]
	run rt state
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing container id"* ]]
	run rt create --bogus x
	[ "$status" -eq 1 ]
	[[ "$output" == *'"--bogus"'* ]]
}

@test "features is valid JSON listing the memoryPolicy modes (7) and flags (3)" {
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq . >/dev/null
	[ "$(echo "$output" | jq '.linux.memoryPolicy.modes | length')" -eq 7 ]
	[ "$(echo "$output" | jq '.linux.memoryPolicy.flags | length')" -eq 3 ]
	[ "$(echo "$output" | jq -c '.linux.memoryPolicy.modes | sort')" = \
		'["MPOL_BIND","MPOL_DEFAULT","MPOL_INTERLEAVE","MPOL_LOCAL","MPOL_PREFERRED","MPOL_PREFERRED_MANY","MPOL_WEIGHTED_INTERLEAVE"]' ]
	[ "$(echo "$output" | jq -c '.linux.memoryPolicy.flags | sort')" = \
		'["MPOL_F_NUMA_BALANCING","MPOL_F_RELATIVE_NODES","MPOL_F_STATIC_NODES"]' ]
	[ "$(echo "$output" | jq -r .ociVersionMin)" = 1.0.0 ]
	echo "$output" | jq -e '.linux.namespaces | index("time")' >/dev/null
	echo "$output" | jq -e '.hooks | length == 6' >/dev/null
}

@test "spec writes a config that run accepts (terminal and all)" {
	mkdir -p "$TEST_TMP/b"
	cp -a "$CACHE_DIR/rootfs" "$TEST_TMP/b/rootfs"
	(cd "$TEST_TMP/b" && rt spec)
	jq . "$TEST_TMP/b/config.json" >/dev/null
	[ "$(jq -r .process.terminal "$TEST_TMP/b/config.json")" = true ]
	# the default is an interactive sh; give it something to say instead
	jq '.process.args = ["sh", "-c", "echo spec-ok; tty"]' "$TEST_TMP/b/config.json" >"$TEST_TMP/c.json"
	mv "$TEST_TMP/c.json" "$TEST_TMP/b/config.json"
	run rt run --bundle "$TEST_TMP/b" s1 </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -d '\r')" = spec-ok ]
	[ "$(echo "${lines[1]}" | tr -d '\r')" = /dev/pts/0 ]
	assert_nothing_left s1
}

@test "spec refuses to overwrite an existing config.json" {
	mkdir -p "$TEST_TMP/b"
	echo keep >"$TEST_TMP/b/config.json"
	run rt spec --bundle "$TEST_TMP/b"
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json: File exists"* ]]
	[ "$(cat "$TEST_TMP/b/config.json")" = keep ]
}

@test "--log FILE --log-format json writes {level, msg, time} error lines" {
	make_bundle true
	cfg '.process.capabilities.bounding = ["CAP_FOO"]'
	run "$MINI_RUNTIME" --root "$ROOT" --log "$TEST_TMP/log.json" --log-format json create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	cat "$TEST_TMP/log.json"
	[ "$(wc -l <"$TEST_TMP/log.json")" -eq 1 ]
	[ "$(jq -r .level "$TEST_TMP/log.json")" = error ]
	[ "$(jq -r .msg "$TEST_TMP/log.json")" = 'process.capabilities.bounding[0]: unknown capability "CAP_FOO"' ]
	[[ "$(jq -r .time "$TEST_TMP/log.json")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T ]]
	assert_nothing_left c1
	# a second failure appends a line
	run "$MINI_RUNTIME" --root "$ROOT" --log "$TEST_TMP/log.json" --log-format json state nosuch
	[ "$status" -eq 1 ]
	[ "$(wc -l <"$TEST_TMP/log.json")" -eq 2 ]
	[ "$(tail -1 "$TEST_TMP/log.json" | jq -r .msg)" = "container nosuch does not exist" ]
}

# the warnings of create go through the log too: with --log FILE
# --log-format json (what containerd's shim passes) a capability the runtime
# does not hold is a JSON warning line there, and nothing on stderr
@test "--log-format json: create's warnings are JSON lines in the log, not stderr" {
	make_bundle true
	cfg '.process.capabilities.bounding += ["CAP_NET_ADMIN"]'
	run --separate-stderr setpriv --bounding-set -net_admin -- "$MINI_RUNTIME" --root "$ROOT" \
		--log "$TEST_TMP/log.json" --log-format json run --bundle "$BUNDLE" c1
	cat "$TEST_TMP/log.json"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -e . "$TEST_TMP/log.json" >/dev/null
	[ "$(jq -r 'select(.level == "warning") | .msg' "$TEST_TMP/log.json")" = \
		"process.capabilities: cap_net_admin cannot be granted (the runtime does not hold them): left out" ]
	assert_nothing_left c1
}

# --debug: each step of create, start and exec is a debug line in the log
@test "--debug logs the steps of create, start and exec" {
	make_bundle sleep 100
	# not `run`: the init would hold its output pipe open
	rt --debug --log "$TEST_TMP/log.json" --log-format json create --bundle "$BUNDLE" c1
	rt --debug --log "$TEST_TMP/log.json" --log-format json start c1
	rt --debug --log "$TEST_TMP/log.json" --log-format json exec c1 true
	cat "$TEST_TMP/log.json"
	msgs=$(jq -r 'select(.level == "debug") | .msg' "$TEST_TMP/log.json")
	for step in "create c1: $BUNDLE/config.json parsed and validated" "create c1: cgroup made" \
		"create c1: init cloned" "create c1: the init is set up" \
		"start c1: init released (exec fifo)" "exec c1: true as 0:0" \
		"exec c1: the process is set up and runs" "exec: process [0-9]* runs in container c1"; do
		echo "$msgs" | grep -q -- "$step" || { echo "missing: $step"; false; }
	done
	rt delete --force c1
	assert_nothing_left c1
}

@test "--log-format json escapes quotes and control characters" {
	make_bundle true
	cfg '.process.capabilities.bounding = ["CAP_\"x\"\n\ty"]'
	run "$MINI_RUNTIME" --root "$ROOT" --log "$TEST_TMP/log.json" --log-format json create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	jq -e . "$TEST_TMP/log.json"
	[[ "$(jq -r .msg "$TEST_TMP/log.json")" == *'"CAP_"x"'* ]]
}

@test "--log-format text and an unknown format" {
	run rt --log-format text state nosuch
	[ "$status" -eq 1 ]
	[ "$output" = "mini-runtime: container nosuch does not exist" ]
	run "$MINI_RUNTIME" --root "$ROOT" --log-format yaml state nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"--log-format yaml"* ]]
}
