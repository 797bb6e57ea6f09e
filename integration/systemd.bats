#!/usr/bin/env bats
# The systemd cgroup driver (--systemd-cgroup) and AppArmor, where they
# exist: a node with systemd as PID 1 on pure cgroup v2, AppArmor on (the
# node guest, integration/node/). On this host (no systemd, no AppArmor)
# each test skips, saying so; `make test` runs them in the guest.

load lib/common
load lib/containerd

setup() { common_setup; }
teardown() {
	ctrd_stop
	common_teardown
	# a failed test's scopes and profiles
	systemctl stop 'mini-it-*.scope' >/dev/null 2>&1 || true
	systemctl reset-failed 'mini-it-*.scope' >/dev/null 2>&1 || true
}

need_systemd() {
	[ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] || skip "systemd is not PID 1 here"
	[ -f /sys/fs/cgroup/cgroup.controllers ] || skip "not a pure cgroup v2 host"
}

need_apparmor() {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] ||
		skip "AppArmor is not enabled here"
	command -v apparmor_parser >/dev/null || skip "apparmor_parser is not installed"
}

# rts ARGS...: the runtime with the systemd driver.
rts() {
	"$MINI_RUNTIME" --root "$ROOT" --systemd-cgroup "$@"
}

# prop UNIT NAME: one property, as systemctl shows it.
prop() {
	systemctl show -p "$2" --value "$1"
}

@test "systemd: the container is a transient scope in its slice, with the limits systemd owns" {
	need_systemd
	make_bundle sleep 60
	unit=mini-it-c1-$$.scope
	cfg ".linux.cgroupsPath = \"mini-it.slice:mini-it:c1-$$\"
		| .linux.resources = {\"memory\": {\"limit\": 67108864}, \"pids\": {\"limit\": 50},
			\"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000}}
		| .annotations = {\"org.systemd.property.TimeoutStopUSec\": \"uint64 123000000\"}"
	rts create --bundle "$BUNDLE" c1
	pid=$(rts state c1 | jq .pid)
	[ "$(systemctl is-active "$unit")" = active ]
	[ "$(prop "$unit" Slice)" = mini-it.slice ]
	[ "$(prop "$unit" MemoryMax)" = 67108864 ]
	[ "$(prop "$unit" TasksMax)" = 50 ]
	[ "$(prop "$unit" CPUWeight)" = 100 ]
	[ "$(prop "$unit" CPUQuotaPerSecUSec)" = 500ms ]
	[ "$(prop "$unit" Delegate)" = yes ]
	[ "$(prop "$unit" TimeoutStopUSec)" = "2min 3s" ]
	# slices nest as systemd names them: mini-it.slice is in mini.slice
	dir=/sys/fs/cgroup/mini.slice/mini-it.slice/$unit
	[ "$(prop "$unit" ControlGroup)" = "/mini.slice/mini-it.slice/$unit" ]
	grep -qx "$pid" "$dir/cgroup.procs"
	[ "$(cat "$dir/memory.max")" = 67108864 ]
	[ "$(cat "$dir/pids.max")" = 50 ]
	systemctl status "$unit" | grep -q "$pid"
	# update goes to systemd and to the files
	rts update --memory 104857600 --pids-limit 60 c1
	[ "$(prop "$unit" MemoryMax)" = 104857600 ]
	[ "$(cat "$dir/memory.max")" = 104857600 ]
	[ "$(prop "$unit" TasksMax)" = 60 ]
	rts start c1
	# an exec'd process joins the scope
	rts exec -d --pid-file "$TEST_TMP/exec.pid" c1 sleep 60
	grep -qx "$(cat "$TEST_TMP/exec.pid")" "$dir/cgroup.procs"
	rts pause c1
	[ "$(status_of c1)" = paused ]
	rts resume c1
	[ "$(rts ps --format json c1 | jq length)" -eq 2 ]
	rts delete --force c1
	! systemctl is-active -q "$unit"
	[ ! -e "$dir" ]
	assert_nothing_left c1
}

@test "systemd: default path, a run that exits, and bad paths refused naming the field" {
	need_systemd
	make_bundle sh -c 'cat /proc/self/cgroup'
	cfg "del(.linux.cgroupsPath)"
	run rts run --bundle "$BUNDLE" mini-it-d$$
	[ "$status" -eq 0 ]
	# runc's default slice, our prefix
	[[ "$output" == "0::/system.slice/mini-runtime-mini-it-d$$.scope" ]]
	! systemctl is-active -q "mini-runtime-mini-it-d$$.scope"
	for bad in "no-colons" "a.slice:b" "notaslice:p:n" "a--b.slice:p:n" "a.slice:p:n/x"; do
		cfg ".linux.cgroupsPath = \"$bad\""
		run rts create --bundle "$BUNDLE" c2
		echo "$bad: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"linux.cgroupsPath"* ]]
		assert_nothing_left c2
	done
	cfg '.linux.cgroupsPath = "mini-it.slice:mini-it:c3" | .annotations = {"org.systemd.property.TimeoutStopUSec": "[1, 2]"}'
	run rts create --bundle "$BUNDLE" c3
	[ "$status" -eq 1 ]
	[[ "$output" == *'annotations["org.systemd.property.TimeoutStopUSec"]'* ]]
	! systemctl is-active -q mini-it-c3.scope
	assert_nothing_left c3
}

@test "systemd: a create that fails or is killed half-way leaves no scope behind" {
	need_systemd
	make_bundle sleep 60
	# a createRuntime hook that fails: the scope exists by then
	cfg ".linux.cgroupsPath = \"mini-it.slice:mini-it:h$$\"
		| .hooks.createRuntime = [{\"path\": \"/bin/false\"}]"
	run rts create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	! systemctl is-active -q "mini-it-h$$.scope"
	[ ! -e "/sys/fs/cgroup/mini.slice/mini-it.slice/mini-it-h$$.scope" ]
	assert_nothing_left c1
	# killed while a prestart hook runs: delete --force cleans up
	cfg ".linux.cgroupsPath = \"mini-it.slice:mini-it:k$$\"
		| .hooks = {\"prestart\": [{\"path\": \"/bin/sleep\", \"args\": [\"sleep\", \"31\"]}]}"
	rts create --bundle "$BUNDLE" c2 &
	create=$!
	for i in $(seq 100); do
		systemctl is-active -q "mini-it-k$$.scope" && break
		sleep 0.1
	done
	kill -9 "$create"
	wait "$create" || true
	rts delete --force c2
	for i in $(seq 50); do
		systemctl is-active -q "mini-it-k$$.scope" || break
		sleep 0.1
	done
	! systemctl is-active -q "mini-it-k$$.scope"
	# the hook (bats' own timer is a "sleep 300": match exactly)
	pkill -xf "sleep 31" || true
	assert_nothing_left c2
}

@test "systemd: containerd with SystemdCgroup = true runs a pod through the CRI (kubeadm's default)" {
	need_systemd
	# CRI calls under TCG on a busy host can take over a minute
	export CRI_TIMEOUT=180
	build_images
	ctrd_start
	ctrd_import_images
	ctrd_cri_ready
	mkdir -p "$CTRD/logs"
	# the kubelet's systemd driver names the pod's cgroup as a slice
	# the guest has two NUMA nodes: c1's memory policy, from the NRI
	# device-injector's pod annotation (the runtime class passes them),
	# binds its pages to node 1, which the probe's region shows
	jq -n --arg logs "$CTRD/logs" '{metadata: {name: "p1", uid: "uid-sd", namespace: "mini-it"},
		log_directory: $logs, linux: {cgroup_parent: "mini-it-pod.slice",
		security_context: {namespace_options: {network: "NODE"}}},
		annotations: {"memory-policy.noderesource.dev/container.c1":
			"mode: MPOL_BIND\nnodes: \"1\""}}' >"$CTRD/pod.json"
	jq -n --arg img "$CTRD_BUSYBOX_IMAGE" '{metadata: {name: "c1"}, image: {image: $img},
		command: ["probe", "hold", "16"], log_path: "c1.log",
		linux: {resources: {memory_limit_in_bytes: 67108864}}}' >"$CTRD/ctr.json"
	sid=$(cri RunPodSandbox "$CTRD/pod.json" mini-systemd)
	cid=$(cri CreateContainer "$sid" "$CTRD/ctr.json" "$CTRD/pod.json")
	cri StartContainer "$cid"
	[ "$(cri ContainerStatus "$cid" | jq -r .status.state)" = CONTAINER_RUNNING ]
	# containerd's "slice:cri-containerd:id": one scope each, in the pod's slice
	for id in "$sid" "$cid"; do
		unit=cri-containerd-$id.scope
		[ "$(systemctl is-active "$unit")" = active ]
		[ "$(prop "$unit" Slice)" = mini-it-pod.slice ]
		pid=$("$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$id" | jq .pid)
		grep -qx "$pid" "/sys/fs/cgroup/mini.slice/mini-it.slice/mini-it-pod.slice/$unit/cgroup.procs"
	done
	[ "$(prop "cri-containerd-$cid.scope" MemoryMax)" = 67108864 ]
	# the pages: every one of the 16 MiB region on node 1 (4096 pages)
	[ "$(cat /sys/devices/system/node/online)" = 0-1 ]
	pid=$("$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$cid" | jq .pid)
	for i in $(seq 300); do
		addr=$(sed -n 's/.* stdout F region \([0-9a-f]*\) .*/\1/p' "$CTRD/logs/c1.log" 2>/dev/null | head -1)
		[ -z "$addr" ] || break
		sleep 0.2
	done
	line=$(grep "^$addr " "/proc/$pid/numa_maps")
	echo "$line"
	[[ "$line" == *" bind:1 "* ]]
	[[ "$line" == *" N1=4096"* ]]
	[[ "$line" != *" N0="* ]]
	[ "$("$MINI_RUNTIME" --root "$MINI_ROOT/k8s.io" state "$cid" | jq -c .memoryPolicy)" = '{"mode":"MPOL_BIND","nodes":"1","flags":[]}' ]
	# no grace period (sleep as PID 1 ignores TERM): the guest is slow enough
	cri StopContainer "$cid" 0
	cri RemoveContainer "$cid"
	cri StopPodSandbox "$sid"
	cri RemovePodSandbox "$sid"
	! systemctl is-active -q "cri-containerd-$cid.scope"
	! systemctl is-active -q "cri-containerd-$sid.scope"
	[ -z "$(ls "$MINI_ROOT/k8s.io")" ]
}

@test "apparmor: a loaded profile is in force inside the container; exec too" {
	need_apparmor
	profile=mini-it-deny-$$
	apparmor_parser -r <<EOF
profile $profile flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  signal,
  deny /etc/hostname r,
}
EOF
	make_bundle sh -c 'cat /proc/self/attr/current; cat /etc/hostname 2>&1; sleep 30'
	echo hello >"$BUNDLE/rootfs/etc/hostname"
	cfg ".process.apparmorProfile = \"$profile\""
	rt create --bundle "$BUNDLE" c1
	rt start c1
	sleep 1
	pid=$(rt state c1 | jq .pid)
	[[ "$(cat "/proc/$pid/attr/current")" == "$profile (enforce)" ]]
	run rt exec c1 cat /etc/hostname
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Permission denied"* ]]
	run rt exec --apparmor unconfined c1 cat /etc/hostname
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	rt delete --force c1
	apparmor_parser -R <<EOF
profile $profile {
}
EOF
}

@test "apparmor: a profile that is not loaded fails create, naming it; nothing left" {
	need_apparmor
	make_bundle true
	cfg '.process.apparmorProfile = "mini-it-no-such-profile"'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'process.apparmorProfile: AppArmor profile "mini-it-no-such-profile" is not loaded'* ]]
	assert_nothing_left c1
}

@test "apparmor: on a host without AppArmor a profile is ignored with a warning, as runc" {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] ||
		skip "AppArmor is enabled here"
	make_bundle true
	cfg '.process.apparmorProfile = "cri-containerd.apparmor.d"'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "$output" == *'process.apparmorProfile "cri-containerd.apparmor.d" is ignored: AppArmor is not enabled'* ]]
}
