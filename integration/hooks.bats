#!/usr/bin/env bats
# OCI hooks: which run, in which order, with which state on stdin, in which
# namespaces; a failing or hanging hook.

load lib/common

bats_require_minimum_version 1.5.0
IT_CGROUP_PARENT=mini-it4

setup() {
	common_setup
	HOOKS=$TEST_TMP/hooks
	mkdir -p "$HOOKS"
	# hook.sh NAME DIR: logs NAME to DIR/order, its stdin to DIR/NAME.json,
	# and the hostname and net namespace it sees next to it
	cat >"$TEST_TMP/hook.sh" <<-'EOF'
		#!/bin/sh
		echo "$1" >>"$2/order"
		cat >"$2/$1.json"
		hostname >"$2/$1.hostname"
		readlink /proc/self/ns/net >"$2/$1.netns" 2>/dev/null || echo none >"$2/$1.netns"
	EOF
	chmod 755 "$TEST_TMP/hook.sh"
}
teardown() { common_teardown; }

# hook NAME [DIR [PATH]]: a hook object that runs hook.sh.
hook() {
	local path=${3:-$TEST_TMP/hook.sh}
	echo "{\"path\": \"$path\", \"args\": [\"hook.sh\", \"$1\", \"${2:-$HOOKS}\"], \"env\": [\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"]}"
}

# every_hook: all six kinds; startContainer is the copy of hook.sh at
# /bin/it4-hook in the rootfs (no such file on the host), writing to
# /hooks, a bind mount of $HOOKS.
every_hook() {
	[ ! -e /bin/it4-hook ]
	cp "$TEST_TMP/hook.sh" "$BUNDLE/rootfs/bin/it4-hook"
	cfg ".mounts += [{\"destination\": \"/hooks\", \"type\": \"bind\", \"source\": \"$HOOKS\", \"options\": [\"rbind\"]}]
	     | .hooks = {
		\"prestart\": [$(hook prestart)],
		\"createRuntime\": [$(hook createRuntime)],
		\"createContainer\": [$(hook createContainer)],
		\"startContainer\": [$(hook startContainer /hooks /bin/it4-hook)],
		\"poststart\": [$(hook poststart)],
		\"poststop\": [$(hook poststop)]}"
}

@test "all six hooks run, in order, each with the state on stdin" {
	make_bundle true
	every_hook
	rt create --bundle "$BUNDLE" c1
	pid=$(rt state c1 | jq .pid)
	[ "$(cat "$HOOKS/order" | tr '\n' ' ')" = "prestart createRuntime createContainer " ]
	rt start c1
	wait_for_status c1 stopped
	rt delete c1
	[ "$(cat "$HOOKS/order" | tr '\n' ' ')" = "prestart createRuntime createContainer startContainer poststart poststop " ]
	for h in prestart createRuntime createContainer startContainer poststart poststop; do
		echo "$h: $(cat "$HOOKS/$h.json")"
		[ "$(jq -r .id "$HOOKS/$h.json")" = c1 ]
		[ "$(jq -r .bundle "$HOOKS/$h.json")" = "$BUNDLE" ]
		[ "$(jq -r .ociVersion "$HOOKS/$h.json")" != null ]
	done
	for h in prestart createRuntime createContainer startContainer poststart; do
		[ "$(jq .pid "$HOOKS/$h.json")" = "$pid" ]
	done
	# "created: the runtime has finished the create operation (after step 2
	# in the lifecycle)"; the create-time hooks are steps 3 to 5
	for h in prestart createRuntime createContainer startContainer; do
		[ "$(jq -r .status "$HOOKS/$h.json")" = created ]
	done
	[ "$(jq -r .status "$HOOKS/poststart.json")" = running ]
	[ "$(jq -r .status "$HOOKS/poststop.json")" = stopped ]
	# the init's hooks get the parent's record too (it once sent "created": "")
	for h in createRuntime createContainer startContainer; do
		[ "$(jq -r .created "$HOOKS/$h.json")" = "$(jq -r .created "$HOOKS/prestart.json")" ]
	done
	assert_nothing_left c1
}

@test "hooks the init runs leave the process's signal dispositions alone" {
	make_bundle grep SigIgn /proc/self/status
	every_hook
	cfg '.hooks |= {createContainer, startContainer}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	# SIGPIPE (13) is bit 12: a hook's stdin writer once left it ignored
	mask=$(echo "$output" | awk '{print $2}')
	[ $((0x$mask & 0x1000)) -eq 0 ]
	[ "$(cat "$HOOKS/order" | tr '\n' ' ')" = "createContainer startContainer " ]
}

@test "hooks run where the spec says: runtime namespace or container's" {
	make_bundle true
	cfg '.hostname = "box-it4"'
	every_hook
	rt run --bundle "$BUNDLE" c1
	host_net=$(readlink /proc/self/ns/net)
	for h in prestart createRuntime poststart poststop; do
		[ "$(cat "$HOOKS/$h.hostname")" = "$(hostname)" ]
		[ "$(cat "$HOOKS/$h.netns")" = "$host_net" ]
	done
	for h in createContainer startContainer; do
		[ "$(cat "$HOOKS/$h.hostname")" = box-it4 ]
		[ "$(cat "$HOOKS/$h.netns")" != "$host_net" ]
	done
	assert_nothing_left c1
}

@test "run runs the hooks too, in order" {
	make_bundle true
	every_hook
	rt run --bundle "$BUNDLE" c1
	[ "$(cat "$HOOKS/order" | tr '\n' ' ')" = "prestart createRuntime createContainer startContainer poststart poststop " ]
	assert_nothing_left c1
}

@test "hook args and env are passed as given" {
	make_bundle true
	cfg ".hooks.prestart = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo \\\"\$0|\$1|\$IT4\\\" >$HOOKS/args\", \"first\", \"second\"], \"env\": [\"IT4=yes it is\"]}]"
	rt run --bundle "$BUNDLE" c1
	[ "$(cat "$HOOKS/args")" = "first|second|yes it is" ]
}

@test "a failing createRuntime hook fails create naming hooks.createRuntime[0], nothing left" {
	make_bundle true
	cfg ".hooks.createRuntime = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"exit 3\"]}]
	     | .hooks.poststart = [$(hook poststart)]"
	run rt create --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"hooks.createRuntime[0]: /bin/sh exited with status 3"* ]]
	assert_nothing_left c1
	[ ! -e "$HOOKS/order" ]
}

@test "a failing prestart hook stops the later ones, nothing left" {
	make_bundle true
	cfg ".hooks.prestart = [$(hook prestart), {\"path\": \"/bin/false\"}, $(hook never)]
	     | .hooks.createRuntime = [$(hook createRuntime)]"
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"hooks.prestart[1]: /bin/false exited with status 1"* ]]
	[ "$(cat "$HOOKS/order")" = prestart ]
	assert_nothing_left c1
}

@test "a failing createContainer hook fails create, nothing left" {
	make_bundle true
	cfg '.hooks.createContainer = [{"path": "/bin/false"}]'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"hooks.createContainer[0]: /bin/false exited with status 1"* ]]
	assert_nothing_left c1
}

@test "a hook that does not exist fails naming it, nothing left" {
	make_bundle true
	cfg '.hooks.createRuntime = [{"path": "/no/such/hook-it4"}]'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"hooks.createRuntime[0]: /no/such/hook-it4"* ]]
	assert_nothing_left c1
}

@test "a hook timeout is enforced and named, nothing left" {
	make_bundle true
	cfg '.hooks.prestart = [{"path": "/bin/sleep", "args": ["sleep", "29.75"], "timeout": 1}]'
	start=$(date +%s)
	run rt create --bundle "$BUNDLE" c1
	took=$(($(date +%s) - start))
	echo "$output (took $took s)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"hooks.prestart[0]: /bin/sleep timed out after 1 s"* ]]
	[ "$took" -le 4 ]
	assert_nothing_left c1
	[ -z "$(pgrep -fx "sleep 29.75")" ] # killed, not left running
}

@test "a hook timeout of 0 is refused naming the field" {
	make_bundle true
	cfg '.hooks.prestart = [{"path": "/bin/true", "timeout": 0}]'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"hooks.prestart[0].timeout: 0 is out of range"* ]]
	assert_nothing_left c1
}

@test "a relative hook path is refused naming the field" {
	make_bundle true
	cfg '.hooks.poststop = [{"path": "bin/true"}]'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'hooks.poststop[0].path: "bin/true" is not an absolute path'* ]]
	assert_nothing_left c1
}

@test "a failing poststart hook is a warning; the container runs on" {
	make_bundle sh -c 'sleep 0.3; echo ran >/hooks/ran'
	cfg ".mounts += [{\"destination\": \"/hooks\", \"type\": \"bind\", \"source\": \"$HOOKS\", \"options\": [\"rbind\"]}]
	     | .hooks.poststart = [{\"path\": \"/bin/false\"}]"
	rt create --bundle "$BUNDLE" c1
	run rt start c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hooks.poststart[0]"* ]]
	wait_for_status c1 stopped
	[ "$(cat "$HOOKS/ran")" = ran ]
}

@test "a failing poststop hook is a warning; delete still removes everything" {
	make_bundle true
	cfg '.hooks.poststop = [{"path": "/bin/false"}]'
	rt create --bundle "$BUNDLE" c1
	rt start c1
	wait_for_status c1 stopped
	run rt delete c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"hooks.poststop[0]"* ]]
	assert_nothing_left c1
}

@test "a failing startContainer hook keeps the process from running" {
	make_bundle sh -c 'echo ran >/hooks/ran'
	cfg ".mounts += [{\"destination\": \"/hooks\", \"type\": \"bind\", \"source\": \"$HOOKS\", \"options\": [\"rbind\"]}]
	     | .hooks.startContainer = [{\"path\": \"/bin/false\"}]"
	# the init exits 127 instead of exec'ing the process
	run -127 rt run --bundle "$BUNDLE" c1
	echo "$output"
	[[ "$output" == *"hooks.startContainer[0]"* ]]
	[ ! -e "$HOOKS/ran" ]
	assert_nothing_left c1
}
