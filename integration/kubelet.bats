#!/usr/bin/env bats
# A real kubelet (v1.37.2, standalone: static pods, no API server) drives
# containerd 2.4, whose default runtime is mini-runtime behind the runc v2
# shim (BinaryName), as a node runs it (integration/lib/kubelet.bash;
# docs/kubernetes.md has the set-up and the results). KUBELET_RUNTIME=runc
# runs the same checks on runc 1.5.3, the baseline: tests/run-all.sh runs the
# suite with both, the runc run's names led by "kubelet runc 1.5.3: ".
# Where systemd is PID 1 (the node guest: cgroup2 only) the suite sets the
# node up as kubeadm does: the kubelet's systemd cgroup driver, containerd's
# SystemdCgroup = true (KUBELET_CGROUP_DRIVER=cgroupfs|systemd says which).
#
# Economy: the kubelet, containerd and every pod start once, together, in
# setup_file; the tests look at them in turn and the last removes every
# manifest at once. The tools are built once (integration/lib/gotools.sh,
# the kubelet ~17 min on 2 cores).

bats_require_minimum_version 1.5.0

load lib/common
load lib/containerd
load lib/critest
load lib/kubelet

BUSYBOX=localhost/mini-it/busybox:1

setup_file() {
	local rc
	export KUBELET_RUNTIME=${KUBELET_RUNTIME:-mini}
	# kubeadm's choice: systemd's driver where systemd is PID 1
	if [ -z "${KUBELET_CGROUP_DRIVER:-}" ]; then
		KUBELET_CGROUP_DRIVER=cgroupfs
		[ "$(cat /proc/1/comm)" != systemd ] || KUBELET_CGROUP_DRIVER=systemd
	fi
	export KUBELET_CGROUP_DRIVER
	# how long a wait for the kubelet may take: generous; where systemd is
	# PID 1 it is the node guest, whose TCG makes everything ~20x slower
	export KUBELET_WAIT=${KUBELET_WAIT:-$([ "$KUBELET_CGROUP_DRIVER" = systemd ] && echo 900 || echo 120)}

	# the node guest runs a reduced set (KUBELET_FULL=1: all): under TCG the
	# whole suite takes ~25 min there
	export KUBELET_FULL=${KUBELET_FULL:-$([ "$KUBELET_CGROUP_DRIVER" = systemd ] && echo 0 || echo 1)}
	kubelet_tools && rc=0 || rc=$?
	# bats 1.8 (Debian 12's) fails a setup_file that skips: each test skips
	if [ "$rc" = 77 ]; then
		export KUBELET_SKIP="no Go toolchain to build the kubelet with"
		return 0
	fi
	[ "$rc" = 0 ]
	common_setup
	CTRD_VERSION=2.4
	build_images
	# the user-namespaced pod's mapped root must reach its rootfs below the
	# test directory (as a node's /run/containerd lets it)
	chmod 0755 "$TEST_TMP"
	kubelet_start
	export TEST_TMP ROOT K CTRD CTRD_SOCK CTRD_NS CTRD_NETNS CTRD_PID CTRD_BIN CTRD_RUNC15
	export CTRD_VERSION CTRD_SHIM_SOCKETS MINI_ROOT KUBELET_PID KUBELET_BIN CRICTL_BIN
	export KUBELET_STATE KUBELET_STATE_CMD KUBELET_CGROUP_ROOT CRITEST_NS_PID KUBELET_POD_NET
	all_pods
}

teardown_file() {
	[ -z "${KUBELET_SKIP:-}" ] || return 0
	kubelet_stop
	common_teardown
}

setup() {
	[ -z "${KUBELET_SKIP:-}" ] || skip "$KUBELET_SKIP"
}

# mini_only: skips a check of what only mini-runtime does.
mini_only() {
	[ "$KUBELET_RUNTIME" = mini ] || skip "$*"
}

# full_only: skips a check the reduced set leaves out.
full_only() {
	[ "$KUBELET_FULL" = 1 ] ||
		skip "left out of the node guest's reduced set (TCG): KUBELET_FULL=1 runs it"
}

# The pods, written at once: the kubelet starts them side by side; the
# reduced set only web and userns.
all_pods() {
	local g="  terminationGracePeriodSeconds: 1
  dnsPolicy: Default
  hostNetwork: $([ "$KUBELET_POD_NET" = host ] && echo true || echo false)" c="    image: $BUSYBOX
    imagePullPolicy: Never"
	# a Guaranteed pod: its cgroup is kubepods/pod<uid>, with the limits
	pod_manifest web "spec:
$g
  containers:
  - name: web
$c
    command: [sh, -c, 'echo hello from web; exec tail -f /dev/null']
    resources: {limits: {memory: 64Mi, cpu: 500m}}"
	# podPidsLimit's pod: guaranteed too (so its cgroup is kubepods/pod<uid>)
	[ "$KUBELET_FULL" = 0 ] ||
		pod_manifest forks "spec:
$g
  containers:
  - name: forks
$c
    command: [tail, -f, /dev/null]
    resources: {limits: {memory: 64Mi, cpu: 100m}}"
	# liveness fails once /tmp/dead exists (a new container has none),
	# readiness holds once /tmp/ready does; exec probes, through the runtime
	[ "$KUBELET_FULL" = 0 ] ||
		pod_manifest probes "spec:
$g
  containers:
  - name: probed
$c
    command: [tail, -f, /dev/null]
    livenessProbe:
      exec: {command: [sh, -c, '! test -e /tmp/dead']}
      periodSeconds: 1
      failureThreshold: 1
      timeoutSeconds: 60
    readinessProbe:
      exec: {command: [test, -e, /tmp/ready]}
      periodSeconds: 1
      failureThreshold: 1
      timeoutSeconds: 60"
	# an init container, then two containers with a memory policy each
	[ "$KUBELET_FULL" = 0 ] ||
		pod_manifest multi "  annotations:
    memory-policy.noderesource.dev/container.app: |
      mode: MPOL_BIND
      nodes: \"0\"
    memory-policy.noderesource.dev/container.side: |
      mode: MPOL_INTERLEAVE
      nodes: \"0\"
      flags: [MPOL_F_STATIC_NODES]
spec:
$g
  initContainers:
  - name: init
$c
    command: [sh, -c, 'echo init ran >/shared/init']
    volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
  - name: app
$c
    command: [sh, -c, 'cat /shared/init; exec tail -f /dev/null']
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: side
$c
    command: [tail, -f, /dev/null]
  volumes: [{name: shared, emptyDir: {}}]"
	# hostUsers: false, the kubelet's user-namespaced pod: a user namespace
	# of its own ranges, its emptyDir volume idmapped to them. Needs a pod
	# network of its own (a user-namespaced pod may not use the node's).
	[ "$KUBELET_POD_NET" = host ] ||
		pod_manifest userns "spec:
$g
  hostUsers: false
  containers:
  - name: app
$c
    command: [sh, -c, 'touch /data/mine; exec tail -f /dev/null']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, emptyDir: {}}]"
	# a memory policy the node cannot give: the container fails to create
	[ "$KUBELET_FULL" = 0 ] ||
		pod_manifest badpol "  annotations:
    memory-policy.noderesource.dev/container.app: |
      mode: MPOL_BIND
      nodes: \"9\"
spec:
$g
  containers:
  - name: app
$c
    command: [tail, -f, /dev/null]"
	# one container exits 3 (with a termination message), one cannot start
	[ "$KUBELET_FULL" = 0 ] ||
		pod_manifest crash "spec:
$g
  containers:
  - name: exit3
$c
    command: [sh, -c, 'echo bye from exit3 >/dev/termination-log; exit 3']
  - name: noexec
$c
    command: [/nosuch]"
}

# is_ready POD CONTAINER, restarted POD CONTAINER N (running again, more
# than N restarts), waiting POD CONTAINER REASON: the kubelet's status says so.
is_ready() {
	cstatus "$1" "$2" | jq -e .ready
}

restarted() {
	cstatus "$1" "$2" | jq -e --argjson n "$3" '.restartCount > $n and .state.running != null'
}

waiting() {
	cstatus "$1" "$2" | jq -e --arg r "$3" '.state.waiting.reason == $r'
}

# no_kubelet_pods, no_cri_pods: the kubelet has no pod; containerd neither
# pod nor container.
no_kubelet_pods() {
	[ "$(pods_status | jq '.items | length')" = 0 ]
}

no_cri_pods() {
	[ -z "$(crictl_ pods -q)" ] && [ -z "$(crictl_ ps -aq)" ]
}

# pod_cgroup POD: the pod's cgroup, relative to a hierarchy's root, as the
# kubelet's driver names it (Guaranteed pods sit right under kubepods).
pod_cgroup() {
	local uid
	uid=$(pod_json "$1" | jq -er .metadata.uid)
	if [ "$KUBELET_CGROUP_DRIVER" = systemd ]; then
		echo "/kubepods.slice/kubepods-pod${uid//-/_}.slice"
	else
		echo "$KUBELET_CGROUP_ROOT/kubepods/pod$uid"
	fi
}

# cg_file REL V1_CONTROLLER FILE_V1 FILE_V2: the file of cgroup REL in the
# controller's v1 hierarchy, or in the v2 tree on a cgroup2-only node.
cg_file() {
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		echo "/sys/fs/cgroup$1/$4"
	else
		echo "/sys/fs/cgroup/$2$1/$3"
	fi
}

@test "kubelet: a static pod runs; its logs; crictl exec in it" {
	wait_until "web running" running web web
	wait_until "web ready" is_ready web web
	id=$(cid web web)
	[ -n "$id" ]
	run crictl_ logs "$id"
	[ "$output" = "hello from web" ]
	run crictl_ exec "$id" cat /proc/1/comm
	[ "$status" -eq 0 ]
	[ "$output" = tail ]
	# a command's non-zero exit comes back as crictl's words
	run crictl_ exec "$id" sh -c 'exit 7'
	[ "$status" -eq 1 ]
	[[ "$output" == *"command terminated with exit code 7"* ]]
	# the runtime holds the container
	[ "$(state_of "$id" | jq -r .status)" = running ]
}

@test "kubelet: the container is in every cgroup hierarchy of its pod" {
	wait_until "web running" running web web
	pod=$(pod_cgroup web)
	pid=$(cpid "$(cid web web)")
	n=0
	while IFS=: read -r _ ctrls path; do
		m=/sys/fs/cgroup/${ctrls#name=}
		[ -n "$ctrls" ] || m=$([ -f /sys/fs/cgroup/cgroup.controllers ] && echo /sys/fs/cgroup ||
			echo /sys/fs/cgroup/unified)
		# a hierarchy the pod has a cgroup in
		[ -d "$m$pod" ] || continue
		echo "$ctrls: $path"
		[[ "$path" == "$pod"/* ]]
		n=$((n + 1))
	done <"/proc/$pid/cgroup"
	# the hierarchies the kubelet manages, at least
	[ "$n" -ge "$([ -f /sys/fs/cgroup/cgroup.controllers ] && echo 1 || echo 6)" ]
}

@test "kubelet: the pod's memory limit holds" {
	wait_until "web running" running web web
	pod=$(pod_cgroup web)
	[ "$(cat "$(cg_file "$pod" memory memory.limit_in_bytes memory.max)")" = 67108864 ]
	# 100 MiB under 64: killed by the kernel's OOM killer
	run crictl_ exec "$(cid web web)" /bin/probe touch 100
	echo "$output"
	[[ "$output" == *"command terminated with exit code 137"* ]]
}

@test "kubelet: podPidsLimit holds" {
	full_only
	wait_until "forks running" running forks forks
	pod=$(pod_cgroup forks)
	[ "$(cat "$(cg_file "$pod" pids pids.max pids.max)")" = 64 ]
	# 80 forks under a limit of 64: the shell cannot fork them all. (They
	# stay, zombies of the container's first process once killed: a pod
	# of their own.) Their output elsewhere, or exec waits for them.
	run crictl_ exec "$(cid forks forks)" sh -c \
		'i=0; while [ $i -lt 80 ]; do sleep 3600 >/dev/null 2>&1 & i=$((i + 1)); done; echo forked $i'
	echo "$output"
	[[ "$output" != *"forked 80"* ]]
	[[ "$output" == *"can't fork"* ]]
	[ "$(cat "$(cg_file "$pod" pids pids.current pids.current)")" -le 64 ]
}

@test "kubelet: crictl stats are the container's own cgroup's" {
	wait_until "web running" running web web
	id=$(cid web web)
	pid=$(cpid "$id")
	cg=$(grep -E '^[0-9]+:(cpu,cpuacct|cpuacct|cpuacct,cpu|):' "/proc/$pid/cgroup" | head -1 | cut -d: -f3)
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		read_cpu() { awk '$1 == "usage_usec" { print $2 * 1000 }' "/sys/fs/cgroup$cg/cpu.stat"; }
		read_mem() { cat "/sys/fs/cgroup$cg/memory.current"; }
	else
		read_cpu() { cat "/sys/fs/cgroup/cpuacct$cg/cpuacct.usage"; }
		read_mem() { cat "/sys/fs/cgroup/memory$(grep -E '^[0-9]+:memory:' "/proc/$pid/cgroup" | cut -d: -f3)/memory.usage_in_bytes"; }
	fi
	before=$(read_cpu)
	stats=$(crictl_ stats -o json "$id")
	after=$(read_cpu)
	mem=$(read_mem)
	echo "$stats"
	cpu=$(echo "$stats" | jq -er '.stats[0].cpu.usageCoreNanoSeconds.value | tonumber')
	ws=$(echo "$stats" | jq -er '.stats[0].memory.workingSetBytes.value | tonumber')
	echo "cgroup cpu $before..$after, stats $cpu; memory usage $mem, working set $ws"
	# v2 counts in microseconds: stats are as fine as the file
	[ "$cpu" -ge "$before" ] && [ "$cpu" -le "$after" ]
	[ "$ws" -gt 0 ] && [ "$ws" -le "$mem" ]
}

@test "kubelet: exec probes: readiness follows its file, a failed liveness probe restarts the container" {
	full_only
	wait_until "probes running" running probes probed
	[ "$(cstatus probes probed | jq -r .ready)" = false ]
	id=$(cid probes probed)
	crictl_ exec "$id" touch /tmp/ready
	wait_until "probed ready" is_ready probes probed
	restarts=$(cstatus probes probed | jq .restartCount)
	crictl_ exec "$id" touch /tmp/dead
	wait_until "probed restarted" restarted probes probed "$restarts"
	# a new container, not ready until its own file exists
	[ "$(cid probes probed)" != "$id" ]
	[ "$(cstatus probes probed | jq -r .ready)" = false ]
}

@test "kubelet: a pod with an init container and two containers" {
	full_only
	wait_until "multi's app running" running multi app
	wait_until "multi's side running" running multi side
	init=$(cstatus multi init)
	echo "$init"
	[ "$(echo "$init" | jq -r .state.terminated.reason)" = Completed ]
	[ "$(echo "$init" | jq -r .state.terminated.exitCode)" = 0 ]
	[ "$(crictl_ logs "$(cid multi app)")" = "init ran" ]
	[ "$(pod_json multi | jq -r .status.phase)" = Running ]
}

@test "kubelet: each container's memory policy from the pod's annotations, inside and in state" {
	full_only
	mini_only "runc 1.5.3 does not read the memory-policy annotations"
	wait_until "multi's app running" running multi app
	wait_until "multi's side running" running multi side
	app=$(cid multi app) side=$(cid multi side)
	run crictl_ exec "$app" /bin/probe mempolicy
	[ "$output" = "mode=2 flags=0x0 nodes=0" ]
	run crictl_ exec "$app" grep -m1 heap /proc/self/numa_maps
	[[ "$output" == *" bind:0 "* ]]
	run crictl_ exec "$side" /bin/probe mempolicy
	[ "$output" = "mode=3 flags=0x8000 nodes=0" ]
	run crictl_ exec "$side" grep -m1 heap /proc/self/numa_maps
	[[ "$output" == *" interleave=static:0 "* ]]
	key=memory-policy.noderesource.dev
	[ "$(state_of "$app" | jq -r '"\(.memoryPolicy.mode) \(.memoryPolicySource)"')" = \
		"MPOL_BIND annotations[\"$key/container.app\"]" ]
	[ "$(state_of "$side" | jq -r '"\(.memoryPolicy.mode) \(.memoryPolicySource)"')" = \
		"MPOL_INTERLEAVE annotations[\"$key/container.side\"]" ]
	# the init container and the pod's sandbox keep the default policy
	sandbox=$(crictl_ pods -q --label "io.kubernetes.pod.name=multi-$KUBELET_NODE" --state ready)
	[ "$(state_of "$sandbox" | jq -r .memoryPolicy)" = null ]
}

@test "kubelet: a pod with hostUsers: false runs in a user namespace of its own, its volume idmapped" {
	[ "$KUBELET_POD_NET" != host ] ||
		skip "no pod network here (no bridge in this kernel): a user-namespaced pod may not share the node's"
	wait_until "userns's app running" running userns app
	id=$(cid userns app)
	pid=$(cpid "$id")
	# root inside, an unprivileged id of the kubelet's ranges outside
	run crictl_ exec "$id" cat /proc/self/uid_map
	echo "$output"
	read -r inside host len <<<"$output"
	[ "$inside" = 0 ] && [ "$host" -ge 65536 ] && [ "$len" -ge 65536 ]
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = "$host" ]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	[ "$(crictl_ exec "$id" id -u)" = 0 ]
	# the file its root made in the volume is root's inside
	[ "$(crictl_ exec "$id" stat -c %u:%g /data/mine)" = 0:0 ]
	# and the runtime says the container has a user namespace
	state_of "$id" >/dev/null
	crictl_ inspect "$id" | jq -e '.info.runtimeSpec.linux.namespaces[] | select(.type == "user")'
	crictl_ inspect "$id" | jq -e '.info.runtimeSpec.linux.uidMappings[0].hostID > 0'
}

@test "kubelet: a bad memory policy: the container's status has mini-runtime's message" {
	full_only
	mini_only "runc 1.5.3 does not read the memory-policy annotations"
	# containerd creates the task (so the runtime's create) at the CRI's
	# StartContainer: a start error, then the kubelet backs off
	wait_until "badpol's app in CrashLoopBackOff" waiting badpol app CrashLoopBackOff
	st=$(cstatus badpol app)
	echo "$st"
	[ "$(echo "$st" | jq -r .lastState.terminated.reason)" = StartError ]
	msg=$(echo "$st" | jq -r .lastState.terminated.message)
	[[ "$msg" == *'OCI runtime create failed: annotations["memory-policy.noderesource.dev/container.app"].nodes: no node of "9" is online'* ]]
}

@test "kubelet: a container exiting non-zero, one that cannot start: CrashLoopBackOff, the runtime's message" {
	full_only
	wait_until "exit3 in CrashLoopBackOff" waiting crash exit3 CrashLoopBackOff
	st=$(cstatus crash exit3)
	echo "$st"
	[ "$(echo "$st" | jq -r .lastState.terminated.exitCode)" = 3 ]
	[ "$(echo "$st" | jq -r .lastState.terminated.reason)" = Error ]
	[ "$(echo "$st" | jq -r .lastState.terminated.message)" = "bye from exit3" ]
	wait_until "noexec in CrashLoopBackOff" waiting crash noexec CrashLoopBackOff
	st=$(cstatus crash noexec)
	echo "$st"
	[ "$(echo "$st" | jq -r .lastState.terminated.reason)" = StartError ]
	msg=$(echo "$st" | jq -r .lastState.terminated.message)
	[[ "$msg" == *"OCI runtime"*'/nosuch'* ]]
}

@test "kubelet: a container killed is restarted" {
	wait_until "web running" running web web
	id=$(cid web web)
	restarts=$(cstatus web web | jq .restartCount)
	kill -KILL "$(cpid "$id")"
	wait_until "web restarted" restarted web web "$restarts"
	new=$(cid web web)
	[ -n "$new" ] && [ "$new" != "$id" ]
	[ "$(cstatus web web | jq -r .lastState.terminated.exitCode)" = 137 ]
	[ "$(crictl_ logs "$new")" = "hello from web" ]
}

@test "kubelet: the manifests removed, nothing is left: processes, mounts, cgroups, runtime state, netns" {
	pods=$(crictl_ pods -q)
	[ -n "$pods" ]
	ids=$(crictl_ ps -aq)
	rm -f "$K"/manifests/*.yaml
	# the pods stop at once, and the kubelet removes their containers
	wait_until "no pod in the kubelet" no_kubelet_pods
	wait_until "no pod nor container in containerd" no_cri_pods
	# the runtime holds no container (mini-runtime keeps a seccomp cache there)
	[ -z "$(ls "$KUBELET_STATE")" ]
	# no shim, no process in a pod's cgroup
	[ -z "$(shim_pids)" ]
	for m in $(cgroup_mounts); do
		if [ "$KUBELET_CGROUP_DRIVER" = systemd ]; then
			left=$(find "$m/kubepods.slice" -name 'kubepods-*pod*' 2>/dev/null)
		else
			left=$(find "$m$KUBELET_CGROUP_ROOT" -name 'pod*' 2>/dev/null)
		fi
		[ -z "$left" ] || { echo "cgroups left: $left"; false; }
	done
	for id in $pods $ids; do
		! grep -q "$id" /proc/self/mountinfo || { grep "$id" /proc/self/mountinfo; false; }
		! ps -eo args | grep -v grep | grep -q "$id"
	done
	# no volume of a pod mounted, no network namespace of containerd's
	netns=$CTRD/state/io.containerd.grpc.v1.cri/netns
	! grep -E " ($K/root/pods|$netns)/" /proc/self/mountinfo
	[ ! -d "$netns" ] || [ -z "$(ls -A "$netns")" ]
}
