#!/usr/bin/env bats
# mini-runtime behind containerd's io.containerd.runc.v2 shim: through ctr
# (`--runc-binary`) and through the CRI API with a runtime class named
# "mini", the way Kubernetes picks it by a RuntimeClass handler. Each test
# starts a private containerd (integration/lib/containerd.bash) and stops
# it in teardown. CTRD_VERSION=1.6 (Debian's, the default) or 2.4 (built
# by integration/lib/gotools.sh): tests/run-all.sh runs the suite with
# both, the 2.4 run's names led by "containerd 2.4: ".

bats_require_minimum_version 1.5.0

load lib/common
load lib/containerd
load lib/critest

setup() {
	common_setup
	build_images
	ID=c1
	ROOTFS=$TEST_TMP/rootfs
	cp -a "$CACHE_DIR/rootfs" "$ROOTFS"
}

teardown() {
	[ -z "${NRI_PID:-}" ] || kill "$NRI_PID" 2>/dev/null || true
	ctrd_stop
	[ -z "${CRITEST_NS_PID:-}" ] || kill "$CRITEST_NS_PID" 2>/dev/null || true
	common_teardown
}

# task_status ID: the STATUS column of `ctr task ls` for ID.
task_status() {
	ctr_ task ls | awk -v id="$1" '$1 == id { print $3 }'
}

# wait_task ID STATUS: polls `ctr task ls` for up to 5 s.
wait_task() {
	local i
	for i in $(seq 50); do
		[ "$(task_status "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	echo "task $1 did not reach $2 (now: $(task_status "$1"))" >&2
	return 1
}

# assert_ctr_clean NAMESPACE ID...: containerd, mini-runtime and the shim
# keep nothing of these containers: no container or task in containerd, no
# state directory under mini-runtime's root, no shim socket in
# /run/containerd/s, no cgroup under /<$CTRD_NS>, no shim process.
assert_ctr_clean() {
	local ns=$1 id
	shift
	for id in "$@"; do
		if ctr_ -n "$ns" containers ls -q | grep -qx "$id"; then
			echo "containerd still has container $id" >&2
			return 1
		fi
		if [ -e "$MINI_ROOT/$ns/$id" ]; then
			echo "mini-runtime state $MINI_ROOT/$ns/$id is left" >&2
			return 1
		fi
		if [ -e "$(shim_socket "$ns" "$id")" ]; then
			echo "shim socket $(shim_socket "$ns" "$id") is left" >&2
			return 1
		fi
		if [ -e "/sys/fs/cgroup/memory/$CTRD_NS/$id" ]; then
			echo "cgroup /$CTRD_NS/$id is left" >&2
			return 1
		fi
	done
	if [ -n "$(shim_pids)" ]; then
		echo "shims left: $(shim_pids)" >&2
		return 1
	fi
}

@test "ctr run --rm: mini-runtime behind the runc v2 shim runs the container" {
	ctrd_start
	run ctr_run --rm --rootfs "$ROOTFS" "$ID" sh -c 'echo "hello from $(cat /proc/1/comm)"'
	[ "$status" -eq 0 ]
	[ "$output" = "hello from sh" ]
	# the shim used our binary and root: the namespace's state root exists
	[ -d "$MINI_ROOT/$CTRD_NS" ]
	[ ! -e "$CTRD/runc" ]
	# the process's exit status reaches ctr
	run ctr_run --rm --rootfs "$ROOTFS" "$ID" sh -c 'exit 3'
	[ "$status" -eq 3 ]
	assert_ctr_clean "$CTRD_NS" "$ID"
}

@test "ctr: the container sees only fds 0-2, not the shim's socket" {
	ctrd_start
	run ctr_run --rm --rootfs "$ROOTFS" "$ID" /bin/probe fds
	[ "$status" -eq 0 ]
	echo "$output"
	[ "$(echo "$output" | cut -d' ' -f2 | tr '\n' ' ')" = "0 1 2 " ]
	assert_ctr_clean "$CTRD_NS" "$ID"
}

@test "ctr: a detached container: exec, ps, pause, resume, kill, delete" {
	ctrd_start
	ctr_run -d --rootfs "$ROOTFS" "$ID" sh -c 'trap "exit 0" TERM; sleep 300 & wait'
	wait_task "$ID" RUNNING
	pid=$(ctr_ task ls | awk -v id="$ID" '$1 == id { print $2 }')
	[ "$("$MINI_RUNTIME" --root "$MINI_ROOT/$CTRD_NS" state "$ID" | jq .pid)" = "$pid" ]
	cgroup=$(jq -r .linux.cgroupsPath \
		"$CTRD/state/io.containerd.runtime.v2.task/$CTRD_NS/$ID/config.json")
	[ -d "/sys/fs/cgroup/freezer$cgroup" ]

	# exec joins the init's pid namespace and returns the exit status
	run ctr_exec --exec-id e1 "$ID" sh -c 'echo "init is $(cat /proc/1/comm)"'
	[ "$status" -eq 0 ]
	[ "$output" = "init is sh" ]
	run ctr_exec --exec-id e2 "$ID" sh -c 'exit 5'
	[ "$status" -eq 5 ]
	run ctr_exec --exec-id e3 "$ID" /bin/probe fds
	[ "$(echo "$output" | cut -d' ' -f2 | tr '\n' ' ')" = "0 1 2 " ]

	# ps: the init and its sleep, by host pid
	for i in $(seq 50); do
		run ctr_ task ps "$ID"
		[ "$status" -eq 0 ]
		[ "$(echo "$output" | awk 'NR > 1' | wc -l)" -eq 2 ] && break
		sleep 0.1
	done
	echo "$output"
	echo "$output" | awk 'NR > 1 { print $1 }' | grep -qx "$pid"
	[ "$(echo "$output" | awk 'NR > 1' | wc -l)" -eq 2 ]

	ctr_ task pause "$ID"
	[ "$(task_status "$ID")" = PAUSED ]
	[ "$(cat "/sys/fs/cgroup/freezer$cgroup/freezer.state")" = FROZEN ]
	ctr_ task resume "$ID"
	[ "$(task_status "$ID")" = RUNNING ]

	# SIGTERM (ctr's default) reaches the init's trap
	ctr_ task kill "$ID"
	wait_task "$ID" STOPPED
	run ctr_ task delete "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" != *"non-zero exit"* ]]
	ctr_ containers delete "$ID"
	[ ! -e "/sys/fs/cgroup/freezer$cgroup" ]
	assert_ctr_clean "$CTRD_NS" "$ID"
}

@test "ctr: kill -s KILL, then task delete of the stopped task" {
	ctrd_start
	ctr_run -d --rootfs "$ROOTFS" "$ID" sleep 300
	wait_task "$ID" RUNNING
	# a PID namespace's init ignores SIGTERM it has no handler for: KILL it
	ctr_ task kill -s SIGKILL "$ID"
	wait_task "$ID" STOPPED
	run ctr_ task delete "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exit code 137"* ]]
	ctr_ containers delete "$ID"
	assert_ctr_clean "$CTRD_NS" "$ID"
}

@test "ctr: delete --force (the shim's cleanup) kills a paused container" {
	ctrd_start
	ctr_run -d --rootfs "$ROOTFS" "$ID" sleep 300
	wait_task "$ID" RUNNING
	pid=$(ctr_ task ls | awk -v id="$ID" '$1 == id { print $2 }')
	ctr_ task pause "$ID"
	[ "$(task_status "$ID")" = PAUSED ]
	# what the shim runs when it cleans up after a lost task; a frozen
	# process dies of SIGKILL only once thawed
	timeout 10 "$MINI_RUNTIME" --root "$MINI_ROOT/$CTRD_NS" delete --force "$ID"
	[ ! -e "$MINI_ROOT/$CTRD_NS/$ID" ]
	wait_task "$ID" STOPPED
	[ ! -d "/proc/$pid" ]
	ctr_ task delete "$ID" || true
	ctr_ containers delete "$ID"
	assert_ctr_clean "$CTRD_NS" "$ID"
}

@test "ctr run -t and task exec -t: a terminal through the console socket" {
	ctrd_start
	# script gives ctr the terminal that -t needs
	run timeout 30 script -qec "${CTRD_BIN:+$CTRD_BIN/}ctr --address $CTRD_SOCK -n $CTRD_NS run -t --rm --fifo-dir $CTRD/fifo \
		--runc-binary $MINI_RUNTIME --runc-root $MINI_ROOT --rootfs $ROOTFS $ID \
		sh -c '[ -t 0 ] && [ -t 1 ] && echo \"tty \$(tty)\"'" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"tty /dev/pts/0"* ]]
	assert_ctr_clean "$CTRD_NS" "$ID"

	ctr_run -d --rootfs "$ROOTFS" "$ID" sleep 300
	wait_task "$ID" RUNNING
	run timeout 30 script -qec "${CTRD_BIN:+$CTRD_BIN/}ctr --address $CTRD_SOCK -n $CTRD_NS task exec -t --fifo-dir $CTRD/fifo \
		--exec-id t1 $ID sh -c '[ -t 0 ] && echo \"tty \$(tty)\"'" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"tty /dev/pts/"* ]]
	ctr_ task kill -s SIGKILL "$ID"
	wait_task "$ID" STOPPED
	ctr_ task delete "$ID"
	ctr_ containers delete "$ID"
	assert_ctr_clean "$CTRD_NS" "$ID"
}

MPOL_KEY=memory-policy.noderesource.dev

@test "ctr: a memory policy from the device-injector's annotation; a bad one fails naming it" {
	ctrd_start
	# no CRI here: no container name, so the bare key (or /pod) applies
	run ctr_run --rm --annotation "$MPOL_KEY=mode: MPOL_BIND
nodes: \"0\"" --rootfs "$ROOTFS" "$ID" /bin/probe mempolicy
	[ "$status" -eq 0 ]
	[ "$output" = "mode=2 flags=0x0 nodes=0" ]

	run ctr_run --rm --annotation "$MPOL_KEY/pod={mode: MPOL_BIND, nodes: \"9\"}" \
		--rootfs "$ROOTFS" "$ID" true
	echo "$output"
	[ "$status" -ne 0 ]
	# the message came through the shim's json log: it follows the
	# shim's "OCI runtime create failed: "
	[[ "$output" == *"OCI runtime create failed: annotations[\"$MPOL_KEY/pod\"].nodes: "*'"9"'*online* ]]
	run ctr_run --rm --annotation "$MPOL_KEY=mode: MPOL_BIND
nodez: \"0\"" --rootfs "$ROOTFS" "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"annotations[\"$MPOL_KEY\"]: unknown key \"nodez\""* ]]
	assert_ctr_clean "$CTRD_NS" "$ID"
}

@test "ctr run --config: linux.memoryPolicy is dropped by containerd 1.6, kept by 2.4" {
	ctrd_start
	mkdir "$TEST_TMP/spec" && (cd "$TEST_TMP/spec" && "$MINI_RUNTIME" spec)
	spec() {
		jq --arg r "$ROOTFS" --arg cg "/$CTRD_NS/$ID" --arg n "$1" '.root = {path: $r}
			| .process.terminal = false | .process.args = ["/bin/probe", "mempolicy"]
			| .linux.cgroupsPath = $cg
			| .linux.memoryPolicy = {mode: "MPOL_BIND", nodes: $n}' \
			"$TEST_TMP/spec/config.json" >"$TEST_TMP/spec.json"
	}
	spec 0
	run ctr_run --rm --config "$TEST_TMP/spec.json" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	spec 9
	if [ "$CTRD_VERSION" = 1.6 ]; then
		# its runtime-spec v1.0 Go types have no such field
		[ "$output" = "mode=0 flags=0x0 nodes=" ]
		run ctr_run --rm --config "$TEST_TMP/spec.json" "$ID"
		[ "$status" -eq 0 ]
	else
		# runtime-spec 1.3.0: the field reaches mini-runtime
		[ "$output" = "mode=2 flags=0x0 nodes=0" ]
		run ctr_run --rm --config "$TEST_TMP/spec.json" "$ID"
		echo "$output"
		[ "$status" -ne 0 ]
		[[ "$output" == *'OCI runtime create failed: linux.memoryPolicy.nodes: '*'"9"'*online* ]]
	fi
	assert_ctr_clean "$CTRD_NS" "$ID"
}

# write_pod [ANNOTATIONS]: pod.json for cri.py, in the CRI's JSON mapping;
# ANNOTATIONS is a JSON object (the pod's annotations).
write_pod() {
	jq -n --arg logs "$CTRD/logs" --arg cg "/$CTRD_NS" --argjson a "${1:-{\}}" '{
		metadata: {name: "p1", uid: "uid-p1", namespace: "mini-it"},
		log_directory: $logs, annotations: $a,
		linux: {cgroup_parent: $cg,
			security_context: {namespace_options: {network: "NODE"}}}}' \
		>"$CTRD/pod.json"
	mkdir -p "$CTRD/logs"
}

# write_container [NAME]: $CTRD/NAME.json (default c1, also ctr.json).
write_container() {
	local name=${1:-c1}
	jq -n --arg img "$CTRD_BUSYBOX_IMAGE" --arg n "$name" '{
		metadata: {name: $n}, image: {image: $img},
		command: ["sh", "-c", "echo hello from \($n); echo to stderr >&2; exec sleep 300"],
		log_path: "\($n).log"}' >"$CTRD/$name.json"
	[ "$name" != c1 ] || cp "$CTRD/c1.json" "$CTRD/ctr.json"
}

# mini_state ID: the status mini-runtime reports for a CRI container.
mini_state() {
	"$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$1" | jq -r .status
}

@test "CRI: runtime_handler mini runs the sandbox and the container with mini-runtime" {
	ctrd_start
	ctrd_import_images
	ctrd_cri_ready
	write_pod
	write_container

	sid=$(cri RunPodSandbox "$CTRD/pod.json" mini)
	[ -n "$sid" ]
	cri PodSandboxStatus "$sid" >"$CTRD/ps.json"
	[ "$(jq -r .status.runtime_handler "$CTRD/ps.json")" = mini ]
	[ "$(jq -r .status.state "$CTRD/ps.json")" = SANDBOX_READY ]
	# the pause container is mini-runtime's, under the class's Root
	[ "$(mini_state "$sid")" = running ]
	[ ! -e "$CTRD/runc/k8s.io/$sid" ]

	# CRI's CreateContainer only records it: the shim's `create` and
	# `start` both come with StartContainer
	cid=$(cri CreateContainer "$sid" "$CTRD/ctr.json" "$CTRD/pod.json")
	[ ! -e "$MINI_ROOT/k8s.io/$cid" ]
	cri StartContainer "$cid"
	[ "$(mini_state "$cid")" = running ]
	[ "$(cri ContainerStatus "$cid" | jq -r .status.state)" = CONTAINER_RUNNING ]

	# its output in the CRI log file under the pod's log directory
	for i in $(seq 50); do
		grep -q 'stderr F to stderr' "$CTRD/logs/c1.log" 2>/dev/null && break
		sleep 0.1
	done
	cat "$CTRD/logs/c1.log"
	grep -Eq '^[0-9T:.-]+Z stdout F hello from c1$' "$CTRD/logs/c1.log"
	grep -Eq '^[0-9T:.-]+Z stderr F to stderr$' "$CTRD/logs/c1.log"

	# ExecSync: joins the pod's pid namespace (pause is its PID 1), keeps
	# stdout, stderr and the exit code apart, and gets fds 0-2 only
	run cri ExecSync "$cid" 10 cat /proc/1/comm
	[ "$status" -eq 0 ]
	[ "$output" = pause ]
	run --separate-stderr cri ExecSync "$cid" 10 sh -c 'echo out; echo err >&2; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = out ]
	[ "$stderr" = err ]
	run cri ExecSync "$cid" 10 /bin/probe fds
	[ "$(echo "$output" | cut -d' ' -f2 | tr '\n' ' ')" = "0 1 2 " ]
	# CRI mounts /sys/fs/cgroup "ro": no way out of the pod's cgroup
	run cri ExecSync "$cid" 10 sh -c 'echo $$ >/sys/fs/cgroup/pids/cgroup.procs'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]

	cri StopContainer "$cid" 10
	cri ContainerStatus "$cid" >"$CTRD/cs.json"
	[ "$(jq -r .status.state "$CTRD/cs.json")" = CONTAINER_EXITED ]
	[ "$(jq -r .status.exit_code "$CTRD/cs.json")" = 143 ]
	cri RemoveContainer "$cid"
	[ ! -e "$MINI_ROOT/k8s.io/$cid" ]

	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	[ -z "$(ls "$MINI_ROOT/k8s.io")" ]
	[ ! -e "/sys/fs/cgroup/memory/$CTRD_NS" ]
	assert_ctr_clean k8s.io "$sid" "$cid"
}

# mpol_of ID: the memory policy mini-runtime's state reports, and where it
# came from: "MODE NODES SOURCE".
mpol_of() {
	"$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$1" |
		jq -r '"\(.memoryPolicy.mode) \(.memoryPolicy.nodes) \(.memoryPolicySource)"'
}

# run_pod HANDLER ANNOTATIONS: a pod p1 with containers app and side;
# sets sid, app, side (ids).
run_pod() {
	write_pod "$2"
	write_container app
	write_container side
	sid=$(cri RunPodSandbox "$CTRD/pod.json" "$1")
	app=$(cri CreateContainer "$sid" "$CTRD/app.json" "$CTRD/pod.json")
	side=$(cri CreateContainer "$sid" "$CTRD/side.json" "$CTRD/pod.json")
}

# The two containers' policies, seen from inside (numa_maps: the policy of
# the probe's own mappings) and in mini-runtime's state.
check_pod_policies() {
	local src=$1
	run cri ExecSync "$app" 10 /bin/probe mempolicy
	[ "$output" = "mode=2 flags=0x0 nodes=0" ]
	run cri ExecSync "$app" 10 grep -m1 heap /proc/self/numa_maps
	[[ "$output" == *" bind:0 "* ]]
	run cri ExecSync "$side" 10 /bin/probe mempolicy
	[ "$output" = "mode=3 flags=0x8000 nodes=0" ]
	run cri ExecSync "$side" 10 grep -m1 heap /proc/self/numa_maps
	[[ "$output" == *" interleave=static:0 "* ]]
	if [ "$src" = annotations ]; then
		[ "$(mpol_of "$app")" = "MPOL_BIND 0 annotations[\"$MPOL_KEY/container.app\"]" ]
		[ "$(mpol_of "$side")" = "MPOL_INTERLEAVE 0 annotations[\"$MPOL_KEY/pod\"]" ]
	else
		[ "$(mpol_of "$app")" = "MPOL_BIND 0 linux.memoryPolicy" ]
		[ "$(mpol_of "$side")" = "MPOL_INTERLEAVE 0 linux.memoryPolicy" ]
	fi
	# the pod's sandbox keeps the default policy
	[ "$(mpol_of "$sid")" = "null null null" ]
}

POD_POLICIES='{"memory-policy.noderesource.dev/container.app": "mode: MPOL_BIND\nnodes: \"0\"",
	"memory-policy.noderesource.dev/pod":
	  "mode: MPOL_INTERLEAVE\nnodes: \"0\"\nflags: [MPOL_F_STATIC_NODES]"}'

@test "CRI: the pod's memory-policy annotations, natively: a policy per container name; a bad one fails naming it" {
	ctrd_start
	ctrd_import_images
	ctrd_cri_ready
	run_pod mini "$POD_POLICIES"
	cri StartContainer "$app"
	cri StartContainer "$side"
	check_pod_policies annotations
	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	assert_ctr_clean k8s.io "$sid" "$app" "$side"

	# a bad policy: the sandbox runs, the container fails to start with
	# mini-runtime's message naming the annotation, and leaves nothing
	run_pod mini '{"memory-policy.nri.io/container.app": "mode: MPOL_BIND\nnodes: \"9\""}'
	run cri StartContainer "$app"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'OCI runtime create failed: annotations["memory-policy.nri.io/container.app"].nodes: '*'"9"'*online* ]]
	[ ! -e "$MINI_ROOT/k8s.io/$app" ]
	cri StartContainer "$side"
	[ "$(mpol_of "$side")" = "null null null" ]
	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	assert_ctr_clean k8s.io "$sid" "$app" "$side"
}

@test "CRI + NRI: a plugin's memory-policy adjustment per container name; a bad one fails with our message" {
	[ "$CTRD_VERSION" != 1.6 ] ||
		skip "containerd 1.6 has no NRI adjustment of the memory policy (2.3 and later)"
	ctrd_start
	ctrd_import_images
	ctrd_cri_ready
	plugin=$("$INTEGRATION_DIR/lib/gotools.sh" nri-mpol)/nri-mpol
	"$plugin" -socket "$CTRD/nri.sock" >"$CTRD/nri-mpol.log" 2>&1 3>&- &
	NRI_PID=$!
	for i in $(seq 50); do
		grep -q 'level=info msg="Started plugin' "$CTRD/nri-mpol.log" && break
		sleep 0.1
	done
	cat "$CTRD/nri-mpol.log"
	# mini-nri passes no pod annotations: the policy can only be NRI's
	run_pod mini-nri "$POD_POLICIES"
	cri StartContainer "$app"
	cri StartContainer "$side"
	grep -q 'nri-mpol: p1/app: MPOL_BIND from memory-policy.noderesource.dev/container.app' \
		"$CTRD/nri-mpol.log"
	check_pod_policies nri
	[ "$(jq -r '.annotations | keys[]' "$CTRD/state/io.containerd.runtime.v2.task/k8s.io/$app/config.json" |
		grep -c memory-policy)" = 0 ]
	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	assert_ctr_clean k8s.io "$sid" "$app" "$side"

	run_pod mini-nri '{"memory-policy.noderesource.dev/pod": "mode: MPOL_BIND\nnodes: \"9\""}'
	run cri StartContainer "$app"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'OCI runtime create failed: linux.memoryPolicy.nodes: '*'"9"'*online* ]]
	[ ! -e "$MINI_ROOT/k8s.io/$app" ]
	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	assert_ctr_clean k8s.io "$sid" "$app" "$side"
	kill "$NRI_PID"
	wait "$NRI_PID" || true
	NRI_PID=
}

# userns_pod_json MAP: pod.json for a pod with a user namespace of its own
# (mode POD, MAP for uids and gids: what the kubelet sends for
# hostUsers: false) on the pod network (a user namespace owns the pod's
# network namespace: the kubelet never pairs it with the host's).
userns_pod_json() {
	jq -n --arg logs "$CTRD/logs" --arg cg "/$CTRD_NS" --argjson m "$1" '{
		metadata: {name: "p1", uid: "uid-p1", namespace: "mini-it"},
		log_directory: $logs,
		linux: {cgroup_parent: $cg, security_context: {namespace_options:
			{userns_options: {mode: "POD", uids: $m, gids: $m}}}}}' >"$CTRD/pod.json"
	mkdir -p "$CTRD/logs"
}

@test "CRI: a pod with a user namespace (hostUsers: false) and hostPath volumes, idmapped and not" {
	[ "$CTRD_VERSION" != 1.6 ] || skip "containerd 1.6 has no CRI user namespaces (2.0 and later)"
	# the mapped root must reach the image's rootfs below the test directory
	chmod 0755 "$TEST_TMP"
	critest_netns
	CTRD=$TEST_TMP/ctrd
	CTRD_CNI=/usr/lib/cni
	critest_cni
	ctrd_start
	ctrd_import_images
	ctrd_cri_ready
	map='[{"container_id": 0, "host_id": 100000, "length": 65536}]'
	# two volumes owned by host root: one with the kubelet's mappings (an
	# idmapped mount), one without (a plain bind, world-writable)
	for v in idm plain; do
		mkdir -p "$TEST_TMP/$v"
		echo "host's" >"$TEST_TMP/$v/f"
		chown -R 0:0 "$TEST_TMP/$v"
	done
	chmod 1777 "$TEST_TMP/plain"
	userns_pod_json "$map"
	jq -n --arg img "$CTRD_BUSYBOX_IMAGE" --argjson m "$map" --arg idm "$TEST_TMP/idm" \
		--arg plain "$TEST_TMP/plain" '{
		metadata: {name: "c1"}, image: {image: $img}, command: ["sleep", "300"],
		log_path: "c1.log",
		mounts: [{container_path: "/idm", host_path: $idm, uidMappings: $m, gidMappings: $m},
			 {container_path: "/plain", host_path: $plain}],
		linux: {security_context: {namespace_options:
			{userns_options: {mode: "POD", uids: $m, gids: $m}}}}}' >"$CTRD/ctr.json"

	sid=$(cri RunPodSandbox "$CTRD/pod.json" mini)
	[ "$(mini_state "$sid")" = running ]
	cid=$(cri CreateContainer "$sid" "$CTRD/ctr.json" "$CTRD/pod.json")
	cri StartContainer "$cid"
	[ "$(mini_state "$cid")" = running ]
	pid=$("$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$cid" | jq .pid)
	spid=$("$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$sid" | jq .pid)
	# the pod's user namespace, pinned by containerd, joined by both
	[ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/$spid/ns/user)" ]
	[ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/self/ns/user)" ]
	[ "$(awk '/^Uid:/ {print $2}' /proc/$pid/status)" = 100000 ]
	run cri ExecSync "$cid" 10 sh -c 'id -u; cat /proc/self/uid_map'
	echo "$output"
	[ "${lines[0]}" = 0 ]
	[ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
	# host root's files read as root through the idmapped volume, as
	# nobody (unmapped) through the plain one
	run cri ExecSync "$cid" 10 stat -c %u:%g /idm/f /plain/f
	echo "$output"
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 65534:65534 ]
	# what its root makes: the mapped host ids through the plain volume and
	# in its rootfs, host root again through the idmapped one (its mapping
	# is the pod's)
	run cri ExecSync "$cid" 10 sh -c 'touch /idm/made /plain/made /made && stat -c %u:%g /idm/made /plain/made /made'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 0:0 ]
	[ "$(stat -c %u:%g "$TEST_TMP/plain/made")" = 100000:100000 ]
	[ "$(stat -c %u:%g "$TEST_TMP/idm/made")" = 0:0 ]
	[ "$(stat -c %u:%g "/proc/$pid/root/made")" = 100000:100000 ]

	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	assert_ctr_clean k8s.io "$sid" "$cid"
}
