#!/usr/bin/env bats
# The command line as runc's: help for every command, list's formats, ps
# with ps's options, update's flags and sizes with units, run --keep,
# exec's flags, --debug, and the spec version `state` reports.

load lib/common

IT_CGROUP_PARENT=mini-it-cli

setup() { common_setup; }
teardown() {
	common_teardown
	# the suite's parent cgroup, once no container of it is left (the
	# container that made it is not always the last to go)
	for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		rmdir "$m$IT_CGROUP_PARENT" 2>/dev/null || true
	done
}

COMMANDS="create start run state kill delete list features spec exec ps pause resume update events help"

# run_detached ID: the bundle's process, detached, with this test's root.
run_detached() {
	rt run -d --bundle "$BUNDLE" "$1" </dev/null >/dev/null 2>&1
}

# v1 or v2 file FILE of controller CTRL for the container ID.
cg_file() {
	local ctrl=$1 file=$2 path
	path=$(jq -r .linux.cgroupsPath "$BUNDLE/config.json")
	if [ -d "/sys/fs/cgroup/$ctrl" ]; then
		cat "/sys/fs/cgroup/$ctrl/$path/$file"
	else
		cat "/sys/fs/cgroup/$path/$file"
	fi
}

@test "COMMAND --help and -h print the command's usage and options, exit 0" {
	for cmd in $COMMANDS; do
		for flag in --help -h; do
			run rt "$cmd" "$flag"
			echo "$cmd $flag: $output"
			[ "$status" -eq 0 ]
			[[ "${lines[0]}" == "mini-runtime $cmd - "* ]]
			[[ "$output" == *"usage: mini-runtime $cmd"* ]]
			[[ "$output" == *"-h, --help"* ]]
		done
	done
	# the options each command takes are listed
	[[ "$(rt exec --help)" == *"--no-new-privs"*"--preserve-fds N"* ]]
	[[ "$(rt update --help)" == *"--memory SIZE"*"--cpu-rt-runtime N"*"--blkio-weight N"* ]]
	[[ "$(rt run --help)" == *"--keep"* ]]
	[[ "$(rt list --help)" == *"-q, --quiet"* ]]
	# --help after other options too, and nothing is done
	make_bundle true
	run rt create --bundle "$BUNDLE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: mini-runtime create"* ]]
	[ ! -e "$ROOT" ]
}

@test "help, help COMMAND, and help of an unknown command" {
	run rt help
	[ "$status" -eq 0 ]
	for cmd in $COMMANDS; do
		echo "$output" | grep -qE "^  $cmd +[a-z]"
	done
	run rt help exec
	[ "$status" -eq 0 ]
	[ "$output" = "$(rt exec --help)" ]
	run rt help frobnicate
	[ "$status" -eq 1 ]
	[ "$output" = 'mini-runtime: help: unknown command "frobnicate"' ]
	run rt --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--systemd-cgroup"* ]]
}

@test "an unknown option of a command is refused naming it" {
	for cmd in start state pause resume list ps update kill delete spec exec; do
		run rt "$cmd" --frob x
		echo "$cmd: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *'"--frob"'* ]]
	done
}

@test "state's ociVersion is the spec version --version reports; spec writes it" {
	make_bundle sleep 10
	rt create --bundle "$BUNDLE" c1
	want=$("$MINI_RUNTIME" --version | sed -n 's/^spec: //p')
	[ "$want" = 1.3.0 ]
	[ "$(rt state c1 | jq -r .ociVersion)" = "$want" ]
	[ "$(jq -r .ociVersion "$BUNDLE/config.json")" = "$want" ]
}

@test "list: table, --format json (the state objects), -q (ids only)" {
	run rt list --format json
	[ "$status" -eq 0 ]
	[ "$output" = "[]" ]
	make_bundle sleep 10
	rt create --bundle "$BUNDLE" c1
	cfg '.linux.cgroupsPath += "-c2"'
	run_detached c2
	run rt list --format json
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.[].id] | sort | join(" ")')" = "c1 c2" ]
	[ "$(echo "$output" | jq -r '.[] | select(.id == "c1") | .status')" = created ]
	[ "$(echo "$output" | jq -r '.[] | select(.id == "c2") | .status')" = running ]
	[ "$(echo "$output" | jq -r '.[] | select(.id == "c2") | .pid')" = "$(rt state c2 | jq .pid)" ]
	[ "$(echo "$output" | jq -r '.[0].bundle')" = "$BUNDLE" ]
	[ "$(rt list -f json | jq length)" -eq 2 ]
	[ "$(rt list -q | sort | tr '\n' ' ')" = "c1 c2 " ]
	[ "$(rt list --quiet --format json | sort | tr '\n' ' ')" = "c1 c2 " ]
	[ "$(rt list | head -1 | awk '{print $1, $2, $3}')" = "ID PID STATUS" ]
	run rt list --format yaml
	[ "$status" -eq 1 ]
	[ "$output" = 'mini-runtime: list --format: "yaml" is not table or json' ]
}

@test "ps: ps's options, the container's rows only; -- before them; json unchanged" {
	make_bundle sleep 30
	run_detached c1
	pid=$(rt state c1 | jq .pid)
	# default -ef: ps's header, and exactly the container's process
	run rt ps c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "UID"*"PID"*"PPID"*"CMD" ]]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(echo "${lines[1]}" | awk '{print $2}')" = "$pid" ]
	[[ "${lines[1]}" == *"sleep 30" ]]
	run rt ps c1 -o pid,comm
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $1, $2}' | tr '\n' ' ')" = "PID COMMAND $pid sleep " ]
	run rt ps c1 -- -o pid,ppid,comm
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[1]}" | awk '{print $1, $3}')" = "$pid sleep" ]
	run rt ps c1 -ef
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	# a second process, exec'd: both rows
	rt exec -d c1 sleep 29
	[ "$(rt ps c1 -o pid,args | tail -n +2 | awk '{print $2, $3}' | sort | tr '\n' ' ')" = "sleep 29 sleep 30 " ]
	run rt ps --format json c1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq length)" -eq 2 ]
	echo "$output" | jq -e "index($pid)" >/dev/null
	# ps's own failure, and an output without PID, fail naming what
	run rt ps c1 -o comm
	[ "$status" -eq 1 ]
	[[ "$output" == *"ps: no PID column in ps's output"* ]]
	run rt ps c1 --no-such-ps-option
	[ "$status" -eq 1 ]
	[[ "$output" == *"ps: exit status 1"* ]]
	run rt ps --format json c1 -o pid
	[ "$status" -eq 1 ]
	[[ "$output" == *'ps --format json: unexpected ps option "-o"'* ]]
}

@test "update: sizes with units as runc takes them, -1, and every cpu/pids/blkio flag" {
	make_bundle sleep 30
	cfg '.linux.resources.memory = {"limit": 536870912} | .linux.resources.cpu = {"shares": 1024} | .linux.resources.pids = {"limit": 100}'
	run_detached c1
	rt update --memory 128M c1
	[ "$(cg_file memory memory.limit_in_bytes 2>/dev/null || cg_file memory memory.max)" = 134217728 ]
	rt update --memory 1.5g --memory-swap 2GiB --memory-reservation 64m c1
	if [ -d /sys/fs/cgroup/memory ]; then
		[ "$(cg_file memory memory.limit_in_bytes)" = 1610612736 ]
		[ "$(cg_file memory memory.soft_limit_in_bytes)" = 67108864 ]
		if [ -e "/sys/fs/cgroup/memory/$(jq -r .linux.cgroupsPath "$BUNDLE/config.json")/memory.memsw.limit_in_bytes" ]; then
			[ "$(cg_file memory memory.memsw.limit_in_bytes)" = 2147483648 ]
		fi
	fi
	rt update --memory 512KiB --memory-swap -1 c1
	[ "$(cg_file memory memory.limit_in_bytes 2>/dev/null || cg_file memory memory.max)" = 524288 ]
	rt update --cpu-period 100000 --cpu-quota 50000 --cpu-share 512 --pids-limit 50 --cpuset-cpus 0 --cpuset-mems 0 c1
	if [ -d /sys/fs/cgroup/cpu ]; then
		[ "$(cg_file cpu cpu.cfs_period_us)" = 100000 ]
		[ "$(cg_file cpu cpu.cfs_quota_us)" = 50000 ]
		[ "$(cg_file cpu cpu.shares)" = 512 ]
		[ "$(cg_file cpuset cpuset.cpus)" = 0 ]
		[ "$(cg_file cpuset cpuset.mems)" = 0 ]
	fi
	[ "$(cg_file pids pids.max)" = 50 ]
	rt update --cpu-quota -1 c1
	if [ -d /sys/fs/cgroup/cpu ]; then [ "$(cg_file cpu cpu.cfs_quota_us)" = -1 ]; fi
	# the process lives on
	[ "$(status_of c1)" = running ]
}

@test "update: --cpu-rt-period/--cpu-rt-runtime, --blkio-weight where the host has them" {
	make_bundle sleep 30
	run_detached c1
	if [ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
		rt update --cpu-rt-period 1000000 --cpu-rt-runtime 0 c1
		[ "$(cg_file cpu cpu.rt_period_us)" = 1000000 ]
		[ "$(cg_file cpu cpu.rt_runtime_us)" = 0 ]
	fi
	if [ -e /sys/fs/cgroup/blkio/blkio.bfq.weight ] || [ -e /sys/fs/cgroup/blkio/blkio.weight ]; then
		rt update --blkio-weight 300 c1
		[ "$(cg_file blkio blkio.bfq.weight 2>/dev/null || cg_file blkio blkio.weight)" = 300 ]
	fi
	run rt update --blkio-weight 5 c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"blockIO.weight: 5 is outside [10, 1000]"* ]]
}

@test "update: bad values, unknown and unsupported flags fail naming the flag; nothing changes" {
	make_bundle sleep 30
	cfg '.linux.resources.memory = {"limit": 536870912}'
	run_detached c1
	before=$(cg_file memory memory.limit_in_bytes 2>/dev/null || cg_file memory memory.max)
	# flag, value, what the message says
	set -- --memory 12x "has an unknown unit" --memory abc "is not a size" \
		--memory -5m "is not a size" --memory-swap 1e30 "is too large" \
		--cpu-period -5 "is not a non-negative integer" --cpu-quota 1.5 "is not an integer" \
		--pids-limit many "is not an integer" --cpuset-cpus a-b "is not a list" \
		--l3-cache-schema L3:0=f "Intel RDT is not supported" \
		--mem-bw-schema MB:0=70 "Intel RDT is not supported" \
		--cpu-burst -1 "is not a non-negative integer" --frob 1 "unknown or incomplete option"
	while [ $# -gt 0 ]; do
		run rt update "$1" "$2" c1
		echo "$1 $2: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == "mini-runtime: update"* ]]
		[[ "$output" == *"$1"* ]]
		[[ "$output" == *"$3"* ]]
		shift 3
	done
	run rt update c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"update: nothing to update"* ]]
	run bash -c 'echo "{}" | "$1" --root "$2" update -r - --memory 1m c1' _ "$MINI_RUNTIME" "$ROOT"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--resources and the other flags exclude each other"* ]]
	[ "$(cg_file memory memory.limit_in_bytes 2>/dev/null || cg_file memory memory.max)" = "$before" ]
	# --kernel-memory(-tcp) take sizes too (resources.bats: what they do)
	run rt update --kernel-memory-tcp 1q c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"update --kernel-memory-tcp"*"unknown unit"* ]]
}

@test "run --keep leaves the stopped container for delete (poststop runs then)" {
	make_bundle sh -c 'echo kept; exit 4'
	cfg ".hooks.poststop = [{\"path\": \"/bin/touch\", \"args\": [\"touch\", \"$TEST_TMP/poststop\"]}]"
	run rt run --keep --bundle "$BUNDLE" c1
	[ "$status" -eq 4 ]
	[ "$output" = kept ]
	[ "$(status_of c1)" = stopped ]
	[ "$(rt list -q)" = c1 ]
	[ ! -e "$TEST_TMP/poststop" ]
	rt delete c1
	[ -e "$TEST_TMP/poststop" ]
	assert_nothing_left c1
	run rt create --keep --bundle "$BUNDLE" c2
	[ "$status" -eq 1 ]
	[[ "$output" == *"create: unknown option --keep"* ]]
	# without --keep nothing is left
	run rt run --bundle "$BUNDLE" c3
	[ "$status" -eq 4 ]
	assert_nothing_left c3
}

@test "--debug logs each step of create, start and exec (text and json)" {
	make_bundle sleep 30
	# the init inherits create's stdio: a file, not bats' pipe, which it
	# would hold open until it ends
	"$MINI_RUNTIME" --root "$ROOT" --debug create --bundle "$BUNDLE" c1 \
		</dev/null >/dev/null 2>"$TEST_TMP/create.err"
	output=$(cat "$TEST_TMP/create.err")
	echo "$output"
	[[ "$output" == *"debug: create c1: $BUNDLE/config.json parsed and validated"* ]]
	[[ "$output" == *"debug: create c1: init cloned, pid "* ]]
	[[ "$output" == *"debug: create c1: the init is set up"* ]]
	log=$TEST_TMP/debug.json
	"$MINI_RUNTIME" --root "$ROOT" --debug --log "$log" --log-format json start c1
	"$MINI_RUNTIME" --root "$ROOT" --debug --log "$log" --log-format json exec c1 true
	cat "$log"
	[ "$(jq -r .level "$log" | sort -u)" = debug ]
	jq -se 'any(.[]; .msg | test("^start c1: init released"))' "$log"
	jq -se 'any(.[]; .msg == "exec c1: true as 0:0, cwd /")' "$log"
	jq -se 'any(.[]; .msg | test("^exec: process [0-9]+ runs in container c1"))' "$log"
	# without --debug, nothing
	run rt exec c1 true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	rt delete --force c1
	assert_nothing_left c1
}
