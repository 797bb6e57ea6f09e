#!/usr/bin/env bats
# One source of truth: create keeps the config.json it parsed and validated
# in the state directory, and exec, start (poststart hooks) and delete
# (poststop hooks) read only that. The bundle's config.json changed,
# removed or moved after create changes nothing.

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() { common_teardown; }

# mark NAME: a host hook appending NAME to $TEST_TMP/order.
mark() {
	echo "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo $1 >>$TEST_TMP/order\"]}"
}

order() {
	tr '\n' ' ' <"$TEST_TMP/order" 2>/dev/null || true
}

@test "the state directory holds the bytes create parsed, 0600" {
	make_bundle sleep 30
	cp "$BUNDLE/config.json" "$TEST_TMP/created.json"
	rt create --bundle "$BUNDLE" c1
	cfg '.process.env = ["PATH=/bin", "LATER=1"]'
	[ "$(stat -c '%a %U' "$ROOT/c1/config.json")" = "600 root" ]
	cmp "$ROOT/c1/config.json" "$TEST_TMP/created.json"
	rt delete --force c1
	assert_nothing_left c1
}

@test "exec takes env and cwd from the created config, not the bundle's changed one" {
	make_bundle sleep 30
	cfg '.process.env = ["PATH=/bin", "WHICH=created"] | .process.cwd = "/tmp"'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	cfg '.process.env = ["PATH=/bin", "WHICH=changed"] | .process.cwd = "/"'
	run rt exec c1 sh -c 'echo "$WHICH $(pwd)"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "created /tmp" ]
}

@test "exec works with the bundle's config.json removed, or the bundle moved" {
	make_bundle sleep 30
	cfg '.process.env = ["PATH=/bin", "WHICH=created"]'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	rm "$BUNDLE/config.json"
	run rt exec c1 sh -c 'echo "$WHICH"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = created ]
	mv "$BUNDLE" "$TEST_TMP/moved"
	run rt exec c1 sh -c 'echo "$WHICH"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = created ]
	# the state still names the bundle create was given
	[ "$(rt state c1 | jq -r .bundle)" = "$BUNDLE" ]
}

@test "exec ignores a process the bundle's config.json gained after create" {
	make_bundle true
	cfg 'del(.process)'
	rt create --bundle "$BUNDLE" c1
	cfg '.process = {"args": ["true"], "cwd": "/", "env": ["PATH=/bin"]}'
	run rt exec c1 true
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no process to start from"* ]]
}

@test "start runs the created config's poststart hooks, not the changed one's" {
	make_bundle sleep 30
	cfg ".hooks.poststart = [$(mark created)]"
	rt create --bundle "$BUNDLE" c1
	cfg ".hooks.poststart = [$(mark changed)]"
	run rt start c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(order)" = "created " ]
}

@test "start runs the poststart hooks with the bundle's config.json removed" {
	make_bundle sleep 30
	cfg ".hooks.poststart = [$(mark poststart)]"
	rt create --bundle "$BUNDLE" c1
	rm "$BUNDLE/config.json"
	run rt start c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(order)" = "poststart " ]
	[ "$(status_of c1)" = running ]
}

@test "delete runs the created config's poststop hooks, not the changed one's" {
	make_bundle true
	cfg ".hooks.poststop = [$(mark created)]"
	rt create --bundle "$BUNDLE" c1
	cfg ".hooks.poststop = [$(mark changed)]"
	rt start c1
	wait_for_status c1 stopped
	run rt delete c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(order)" = "created " ]
	assert_nothing_left c1
}

@test "delete runs the poststop hooks with the bundle's config.json unreadable or gone" {
	make_bundle true
	cfg ".hooks.poststop = [$(mark poststop)]"
	rt create --bundle "$BUNDLE" c1
	echo '{not json' >"$BUNDLE/config.json"
	run rt create --bundle "$BUNDLE" c2
	[ "$status" -eq 1 ]
	rt start c1
	wait_for_status c1 stopped
	run rt delete c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(order)" = "poststop " ]
	assert_nothing_left c1
	# --force on a created one, its bundle gone altogether
	make_bundle sleep 30
	cfg ".hooks.poststop = [$(mark forced)]"
	rt create --bundle "$BUNDLE" c3
	rm -rf "$BUNDLE"
	run rt delete --force c3
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(order)" = "poststop forced " ]
	assert_nothing_left c3
}
