#!/usr/bin/env bats
# The OCI lifecycle through the real binary: create, state, start, kill,
# delete, and run's exit codes.

load lib/common

setup() { common_setup; }
teardown() { common_teardown; }

@test "run prints the container's output and exits with its status" {
	make_bundle sh -c 'echo hello; exit 3'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 3 ]
	[ "$output" = "hello" ]
	assert_nothing_left c1
}

@test "run BUNDLE_DIR derives the id from the directory" {
	make_bundle sh -c 'echo "in $(hostname)"'
	run rt run "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "in mini" ]
	assert_nothing_left bundle
}

@test "run exits 128+N when the process is killed by signal N" {
	make_bundle sleep 10
	rt run --bundle "$BUNDLE" c1 &
	wait_for_status c1 running
	rt kill c1 KILL
	code=0
	wait $! || code=$?
	[ "$code" -eq 137 ]
	assert_nothing_left c1
}

@test "create, state, start, state, stopped, delete" {
	make_bundle sh -c 'read x < /dev/zero & sleep 0.3'
	rt create --bundle "$BUNDLE" c1
	[ "$(status_of c1)" = created ]
	pid=$(rt state c1 | jq .pid)
	[ "$pid" -gt 1 ]
	[ "$(rt state c1 | jq -r .bundle)" = "$BUNDLE" ]
	[ "$(rt state c1 | jq -r .ociVersion)" != null ]
	rt start c1
	[ "$(status_of c1)" = running ]
	wait_for_status c1 stopped
	[ "$(rt state c1 | jq .pid)" = null ]
	rt delete c1
	assert_nothing_left c1
}

@test "start twice fails the second time" {
	make_bundle sleep 5
	rt create --bundle "$BUNDLE" c1
	rt start c1
	run rt start c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"not created"* ]]
}

@test "delete without --force refuses a created or running container" {
	make_bundle sleep 5
	rt create --bundle "$BUNDLE" c1
	run rt delete c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"created"* ]]
	[ "$(status_of c1)" = created ]
	rt start c1
	run rt delete c1
	[ "$status" -eq 1 ]
	[ "$(status_of c1)" = running ]
	rt delete --force c1
	assert_nothing_left c1
}

@test "kill takes a number, a name and a SIG name" {
	for sig in 9 KILL SIGKILL; do
		make_bundle sleep 10
		rt create --bundle "$BUNDLE" "c-$sig"
		rt start "c-$sig"
		rt kill "c-$sig" "$sig"
		wait_for_status "c-$sig" stopped
		rt delete "c-$sig"
		rm -rf "$BUNDLE"
	done
}

@test "kill of a stopped container fails" {
	make_bundle true
	rt create --bundle "$BUNDLE" c1
	rt start c1
	wait_for_status c1 stopped
	run rt kill c1 KILL
	[ "$status" -eq 1 ]
	[[ "$output" == *"not running"* ]]
}

@test "delete --force of an unknown id succeeds; without --force it fails" {
	run rt delete --force nosuch
	[ "$status" -eq 0 ]
	run rt delete nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "create with no process succeeds and start then fails" {
	make_bundle true
	cfg 'del(.process)'
	rt create --bundle "$BUNDLE" c1
	[ "$(status_of c1)" = created ]
	run rt start c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"no process"* ]]
	rt delete --force c1
	# run has nothing to start: refused before anything is made
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"process: run needs a process to start"* ]]
	assert_nothing_left c1
}

@test "the pid file holds the init's host pid, digits only" {
	make_bundle sleep 5
	rt create --bundle "$BUNDLE" --pid-file "$TEST_TMP/pid" c1
	[[ "$(cat "$TEST_TMP/pid")" =~ ^[0-9]+$ ]]
	[ "$(cat "$TEST_TMP/pid")" = "$(rt state c1 | jq .pid)" ]
}

@test "a reused id is refused while the container exists" {
	make_bundle sleep 5
	rt create --bundle "$BUNDLE" c1
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"already exists"* ]]
	[ "$(status_of c1)" = created ]
}

@test "list shows containers and their status" {
	make_bundle sleep 5
	rt create --bundle "$BUNDLE" c1
	run rt list
	[ "$status" -eq 0 ]
	[[ "$output" == *"c1"*"created"* ]]
}
