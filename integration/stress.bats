#!/usr/bin/env bats
# Faults and load: many containers at once, commands racing on one id, the
# runtime killed at each stage of `create`, the init dying early. After
# each: no state directory, cgroup, mount, process or zombie is left, and
# every state.json read was whole.
#
# The kill-at-a-stage test needs a test build (make TEST_HOOKS=1): when
# $MINI_RUNTIME is not one, setup_file builds one from this tree.

load lib/common

IT_CGROUP_PARENT=mini-sec

setup_file() {
	local top
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	: "${MINI_RUNTIME:=$top/mini-runtime}"
	if grep -q MINI_RUNTIME_TEST_PAUSE "$MINI_RUNTIME"; then
		export HOOKS_RUNTIME=$MINI_RUNTIME
	else
		make -s -C "$top" BUILD="$BATS_FILE_TMPDIR/hooks" TEST_HOOKS=1 -j2 \
			"$BATS_FILE_TMPDIR/hooks/mini-runtime" >/dev/null
		export HOOKS_RUNTIME=$BATS_FILE_TMPDIR/hooks/mini-runtime
	fi
}

setup() { common_setup; }
teardown() { common_teardown; }

# refute_grep PATTERN FILE...: fails, showing them, if any line matches.
# (bats does not fail a test on a `! cmd` that is not its last line.)
refute_grep() {
	if grep -- "$@" >&2; then
		return 1
	fi
}

# assert_clean PREFIX: nothing of the containers whose ids start with
# PREFIX (and whose cgroups are under mini-sec/PREFIX) is left.
assert_clean() {
	local left
	left=$(ls "$ROOT" 2>/dev/null | grep "^$1" || true)
	[ -z "$left" ] || { echo "state dirs left: $left" >&2; return 1; }
	left=$(ls -d /sys/fs/cgroup/*/mini-sec/"$1"* /sys/fs/cgroup/mini-sec/"$1"* 2>/dev/null || true)
	[ -z "$left" ] || { echo "cgroups left: $left" >&2; return 1; }
	if grep -q " $TEST_TMP" /proc/self/mountinfo; then
		echo "mounts left: $(grep " $TEST_TMP" /proc/self/mountinfo)" >&2
		return 1
	fi
	left=$(pgrep -f "$TEST_TMP" || true)
	[ -z "$left" ] || { echo "processes left: $(pgrep -af "$TEST_TMP")" >&2; return 1; }
	# a zombie whose parent is still one of ours was never reaped
	left=$(ps -eo pid=,ppid=,stat= | awk '$3 ~ /^Z/ {print $2}' | sort -u | while read -r p; do
		[ "$p" != 1 ] && grep -qs "$TEST_TMP" "/proc/$p/cmdline" && echo "$p"; done || true)
	[ -z "$left" ] || { echo "unreaped zombies under: $left" >&2; return 1; }
}

# One bundle directory per container, all sharing one rootfs read-only;
# each its own cgroup: mini-sec/PREFIX<n>.
make_bundles() {
	local prefix=$1 n=$2 i
	make_bundle "${@:3}"
	cfg ".root.path = \"$BUNDLE/rootfs\" | .root.readonly = true"
	for i in $(seq "$n"); do
		mkdir -p "$TEST_TMP/b/$i"
		jq ".linux.cgroupsPath = \"mini-sec/$prefix$i\"" "$BUNDLE/config.json" \
			>"$TEST_TMP/b/$i/config.json"
	done
}

@test "200 containers created, started and deleted, 8 at a time: nothing left" {
	prefix=st$$x
	make_bundles "$prefix" 200 sh -c 'sleep 0.2'
	export MINI_RUNTIME ROOT TEST_TMP prefix
	# each: create, state, start, state, delete --force (half while running)
	seq 200 | xargs -P8 -I{} bash -c '
		rt() { "$MINI_RUNTIME" --root "$ROOT" "$@"; }
		id=${prefix}{}
		rt create --bundle "$TEST_TMP/b/{}" "$id" </dev/null >/dev/null 2>"$TEST_TMP/err.{}" || exit 1
		[ "$(rt state "$id" | jq -r .status)" = created ] || { echo "$id not created" >&2; exit 1; }
		rt start "$id" || exit 1
		if [ $(({} % 2)) = 0 ]; then
			while [ "$(rt state "$id" | jq -r .status)" != stopped ]; do sleep 0.05; done
			rt delete "$id" || exit 1
		else
			rt delete --force "$id" || exit 1
		fi' 2>&1 | tee "$TEST_TMP/xargs.out"
	status=${PIPESTATUS[1]}
	cat "$TEST_TMP"/err.* 2>/dev/null | sort | uniq -c
	[ "$status" -eq 0 ]
	assert_clean "$prefix"
}

@test "state, kill and delete racing on one id: every state read is whole, nothing left" {
	prefix=race$$x
	make_bundles "$prefix" 1 sleep 60
	export MINI_RUNTIME ROOT TEST_TMP prefix
	id=${prefix}1
	end=$((SECONDS + 8))
	# the owner: create, start, then delete (with or without --force), over and over
	(
		while [ $SECONDS -lt $end ]; do
			"$MINI_RUNTIME" --root "$ROOT" create --bundle "$TEST_TMP/b/1" "$id" \
				</dev/null >/dev/null 2>&1 || true
			"$MINI_RUNTIME" --root "$ROOT" start "$id" 2>/dev/null || true
			"$MINI_RUNTIME" --root "$ROOT" delete --force "$id" 2>/dev/null || true
		done
	) &
	owner=$!
	jobs_started=()
	# the others: state (must be valid JSON or "does not exist"), kill, delete
	for r in 1 2 3; do
		(
			while [ $SECONDS -lt $end ]; do
				out=$("$MINI_RUNTIME" --root "$ROOT" state "$id" 2>&1) && {
					echo "$out" | jq -r '.status | select(test("^(creating|created|running|stopped)$"))
						| "state " + .' 2>/dev/null | grep . || echo "BAD STATE: $out"
					continue
				}
				if [[ "$out" == *"container $id does not exist"* ]]; then
					echo "state: does not exist"
				else
					echo "BAD ERROR: $out"
				fi
			done
		) >"$TEST_TMP/reader.$r" &
		jobs_started+=($!)
	done
	(
		while [ $SECONDS -lt $end ]; do
			out=$("$MINI_RUNTIME" --root "$ROOT" kill "$id" USR1 2>&1) ||
				[[ "$out" == *"does not exist"* || "$out" == *"not running"* ]] ||
				echo "BAD KILL: $out"
			out=$("$MINI_RUNTIME" --root "$ROOT" delete "$id" 2>&1) ||
				[[ "$out" == *"does not exist"* || "$out" == *"is running"* ||
					"$out" == *"is created"* || "$out" == *"is creating"* ]] ||
				echo "BAD DELETE: $out"
		done
	) >"$TEST_TMP/killer" &
	jobs_started+=($!)
	# only ours: bats' own timeout watchdog is a child of this shell too
	wait "$owner" "${jobs_started[@]}"
	cat "$TEST_TMP"/reader.* "$TEST_TMP/killer" | sort | uniq -c | sort -rn | head -20
	refute_grep BAD "$TEST_TMP"/reader.* "$TEST_TMP/killer"
	# the race was real: the readers saw the container come and go
	grep -q "^state running" "$TEST_TMP"/reader.*
	grep -q "^state: does not exist" "$TEST_TMP"/reader.*
	# the owner made progress: some containers existed
	"$MINI_RUNTIME" --root "$ROOT" delete --force "$id"
	assert_clean "$prefix"
}

# pause_create STAGE ID BUNDLE: runs create in the background until the
# test build waits at STAGE (it names itself "test-paused"); sets
# CREATE_PID and PAUSED_PID (the create or, for stage "init", its child).
pause_create() {
	local i
	MINI_RUNTIME_TEST_PAUSE=$1 "$HOOKS_RUNTIME" --root "$ROOT" create --bundle "$3" "$2" \
		</dev/null >/dev/null 2>&1 &
	CREATE_PID=$!
	for i in $(seq 100); do
		PAUSED_PID=$CREATE_PID
		[ "$1" = init ] && PAUSED_PID=$(pgrep -P "$CREATE_PID" | head -1)
		[ "$(cat "/proc/${PAUSED_PID:-0}/comm" 2>/dev/null)" = test-paused ] && return 0
		sleep 0.05
	done
	echo "create did not pause at $1" >&2
	return 1
}

@test "create killed with SIGKILL at each stage: delete --force removes everything" {
	prefix=kill$$x
	stages="dir cgroup clone init ready"
	make_bundles "$prefix" 5 sleep 60
	n=0
	for stage in $stages; do
		n=$((n + 1))
		id=$prefix$n
		pause_create "$stage" "$id" "$TEST_TMP/b/$n"
		kill -KILL "$CREATE_PID"
		wait "$CREATE_PID" || true
		# what is left is a container in "creating" (or stopped, when its
		# init died with the runtime), never a corrupt one
		run "$HOOKS_RUNTIME" --root "$ROOT" state "$id"
		echo "[$stage] $output"
		[ "$status" -eq 0 ]
		[[ "$(echo "$output" | jq -r .status)" =~ ^(creating|stopped)$ ]]
		run "$HOOKS_RUNTIME" --root "$ROOT" delete --force "$id"
		echo "[$stage] delete: $output"
		[ "$status" -eq 0 ]
		assert_clean "$id"
	done
	assert_clean "$prefix"
}

@test "the init dying before start: state stopped, start refused, delete without --force works" {
	make_bundle sleep 60
	rt create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	pid=$(rt state c1 | jq .pid)
	kill -KILL "$pid"
	wait_for_status c1 stopped
	[ "$(rt state c1 | jq .pid)" = null ]
	run rt start c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"stopped"* ]]
	run rt kill c1 KILL
	[ "$status" -eq 1 ]
	[[ "$output" == *"not running"* ]]
	rt delete c1
	assert_nothing_left c1
}

@test "runc's answers: start twice, delete running, kill stopped; state unchanged by each refusal" {
	make_bundle sleep 60
	rt create --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
	rt start c1
	before=$(rt state c1)
	run rt start c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"running"* ]]
	run rt delete c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"running"* ]]
	[ "$(rt state c1)" = "$before" ]
	rt kill c1 KILL
	wait_for_status c1 stopped
	run rt kill c1 KILL
	[ "$status" -eq 1 ]
	[[ "$output" == *"not running"* ]]
	run rt start c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"stopped"* ]]
	rt delete c1
	run rt delete c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
	assert_nothing_left c1
}

@test "a readonlyPath whose parent is replaced between its open and its read-only mount: create fails naming it" {
	share=$TEST_TMP/share
	mkdir -p "$share/a/b"
	make_bundle true
	cfg ".mounts += [{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$share\", \"options\": [\"rbind\", \"rw\"]}]
		| .linux.readonlyPaths = [\"/data/a/b\"]"
	# the init stops with /data/a/b opened, before the read-only mount
	MINI_RUNTIME_TEST_PAUSE=readonly "$HOOKS_RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" c1 \
		</dev/null >"$TEST_TMP/out" 2>&1 &
	create=$!
	for i in $(seq 100); do
		paused=$(pgrep -P "$create" | head -1)
		[ "$(cat "/proc/${paused:-0}/comm" 2>/dev/null)" = test-paused ] && break
		sleep 0.05
	done
	[ "$(cat "/proc/${paused:-0}/comm")" = test-paused ]
	# a racer on the shared source swaps the parent for a fresh one
	mv "$share/a" "$share/a.old"
	mkdir -p "$share/a/b"
	kill -CONT "$paused"
	code=0
	wait "$create" || code=$?
	cat "$TEST_TMP/out"
	[ "$code" -eq 1 ]
	grep -q "linux.readonlyPaths: /data/a/b changed while it was made read-only" "$TEST_TMP/out"
	assert_nothing_left c1
	# unraced, the same config makes it read-only
	cfg '.process.args = ["sh", "-c", "touch /data/a/b/x 2>&1; true"]'
	run rt run --bundle "$BUNDLE" c2
	[[ "$output" == *"Read-only file system"* ]]
}
