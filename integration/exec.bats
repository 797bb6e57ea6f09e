#!/usr/bin/env bats
# exec's flags as runc's: --env (and its forms), --user, --additional-gids,
# --cap, --no-new-privs, --ignore-paused, the refused ones; each seen from
# inside the process, each bad value refused naming the flag with nothing
# started.

load lib/common

IT_CGROUP_PARENT=mini-it-exec

setup() {
	common_setup
	make_bundle sleep 60
}
teardown() {
	common_teardown
	# the suite's parent cgroup, once no container of it is left (the
	# container that made it is not always the last to go)
	for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		rmdir "$m$IT_CGROUP_PARENT" 2>/dev/null || true
	done
}

start_c1() {
	rt run -d --bundle "$BUNDLE" c1 </dev/null >/dev/null 2>&1
}

# status_field NAME: "NAME:\t<value>" of /proc/self/status, from $output.
status_field() {
	echo "$output" | awk -v k="$1:" '$1 == k {print $2}'
}

# nothing_more_runs: only the container's init is in its cgroup.
nothing_more_runs() {
	[ "$(rt ps --format json c1 | jq length)" -eq 1 ]
}

@test "exec --env, -e, --env=, -eK=V: added; one naming a variable already set replaces it" {
	cfg '.process.env = ["PATH=/bin", "A=config", "B=config"]'
	start_c1
	run rt exec --env A=one -e C=two --env=D=three -eE=four --env "F=with spaces" c1 env
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sort | tr '\n' ';')" = "A=one;B=config;C=two;D=three;E=four;F=with spaces;PATH=/bin;" ]
	# the last one wins, as runc; PATH too, which finds the program
	run rt exec -e A=1 -e A=2 -e PATH=/nowhere:/bin c1 sh -c 'echo "$A $PATH"; env | grep -c ^A='
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '2 /nowhere:/bin\n1')" ]
}

@test "exec --env without NAME= is refused naming the flag" {
	start_c1
	run rt exec --env FOO c1 env
	[ "$status" -eq 1 ]
	[ "$output" = "mini-runtime: exec --env: \"FOO\" is not NAME=VALUE (no '=')" ]
	run rt exec -e =x c1 env
	[ "$status" -eq 1 ]
	[ "$output" = 'mini-runtime: exec --env: "=x": the name is empty' ]
	nothing_more_runs
}

@test "exec --user forms (-u, --user=, UID alone keeps the gid) and --additional-gids" {
	cfg '.process.user = {"uid": 0, "gid": 7}'
	start_c1
	run rt exec -u 1000 c1 sh -c 'id -u; id -g'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1000\n7')" ]
	run rt exec --user=1000:1001 -g 5 --additional-gids 6 --additional-gids=1001 c1 sh -c 'id -u; id -g; id -G'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "$(echo "${lines[2]}" | tr ' ' '\n' | sort -n | tr '\n' ' ')" = "5 6 1001 " ]
	# runc takes numbers only: a name is refused, as a bad gid
	for u in nobody 1000: :5; do
		run rt exec --user "$u" c1 id
		[ "$status" -eq 1 ]
		[[ "$output" == *"exec --user: expected UID[:GID], got \"$u\""* ]]
	done
	for g in -1 x 4294967295; do
		run rt exec -g "$g" c1 id
		[ "$status" -eq 1 ]
		[[ "$output" == *"exec --additional-gids: \"$g\" is not a gid"* ]]
	done
	nothing_more_runs
}

@test "exec --cap adds to bounding, effective, permitted (and ambient with inheritable)" {
	start_c1
	# the default config: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE
	run rt exec c1 cat /proc/self/status
	[ "$(status_field CapEff)" = 0000000020000420 ]
	run rt exec --cap CAP_SYS_ADMIN -c cap_chown c1 cat /proc/self/status
	echo "$output" | grep ^Cap
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = 0000000020200421 ]
	[ "$(status_field CapEff)" = 0000000020200421 ]
	[ "$(status_field CapPrm)" = 0000000020200421 ]
	[ "$(status_field CapAmb)" = 0000000000000000 ]
	run rt exec --cap SYS_ADMIN c1 true
	[ "$status" -eq 1 ]
	[ "$output" = 'mini-runtime: exec --cap: unknown capability "SYS_ADMIN"' ]
	nothing_more_runs
	rt delete --force c1
	# with CAP_SYS_ADMIN inheritable, --cap raises it as ambient too
	cfg '.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.inheritable = ["CAP_SYS_ADMIN"] | .process.user.uid = 1000'
	start_c1
	run rt exec --cap CAP_SYS_ADMIN c1 cat /proc/self/status
	echo "$output" | grep ^Cap
	[ "$status" -eq 0 ]
	[ "$(status_field CapAmb)" = 0000000000200000 ]
	[ "$(status_field CapEff)" = 0000000000200000 ]
}

@test "exec --no-new-privs sets no_new_privs where the config does not" {
	cfg '.process.noNewPrivileges = false'
	start_c1
	run rt exec c1 cat /proc/self/status
	[ "$(status_field NoNewPrivs)" = 0 ]
	run rt exec --no-new-privs c1 cat /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(status_field NoNewPrivs)" = 1 ]
}

@test "exec in a paused container: refused, or with --ignore-paused run once resumed" {
	start_c1
	rt pause c1
	run rt exec c1 true
	[ "$status" -eq 1 ]
	[ "$output" = "mini-runtime: container c1 is paused: cannot exec in it (--ignore-paused to exec all the same)" ]
	rt exec --ignore-paused -d c1 sleep 30 &
	exec_pid=$!
	sleep 0.5
	[ "$(status_of c1)" = paused ]
	rt resume c1
	wait "$exec_pid"
	[ "$(rt ps --format json c1 | jq length)" -eq 2 ]
}

@test "exec's refused flags name themselves; --process with a command is refused" {
	start_c1
	run rt exec --process-label system_u:system_r:container_t:s0 c1 true
	[ "$status" -eq 1 ]
	[ "$output" = "mini-runtime: exec --process-label: SELinux labels are not supported" ]
	run rt exec --cgroup sub c1 true
	[ "$status" -eq 1 ]
	[[ "$output" == *"exec --cgroup: "*"not supported"* ]]
	run rt exec --pidfd-socket "$TEST_TMP/s" c1 true
	[ "$status" -eq 1 ]
	[[ "$output" == *"exec --pidfd-socket: not supported"* ]]
	echo '{"args": ["true"], "cwd": "/", "user": {"uid": 0, "gid": 0}}' >"$TEST_TMP/p.json"
	run rt exec --process "$TEST_TMP/p.json" c1 echo hi
	[ "$status" -eq 1 ]
	[[ "$output" == *"exec: a command and --process FILE: give one of them"* ]]
	nothing_more_runs
	# the flags apply on top of --process
	echo '{"args": ["sh", "-c", "echo $X; id -u"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}' >"$TEST_TMP/p.json"
	run rt exec --process "$TEST_TMP/p.json" -e X=flag -u 1000 c1
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'flag\n1000')" ]
}
