# kubelet.bash - a real kubelet (v1.37.2, standalone: no API server, no
# kubeconfig) driving this test's containerd 2.4, for integration/kubelet.bats.
# Load after containerd.bash and critest.bash (its network namespace and
# CNI bridge). The kubelet reads static pods from $K/manifests; its root
# dir, logs, certificates and volume plugins live under $K; it runs, with
# containerd, in the test's network namespace, where its read-only port
# (127.0.0.1:10255, no authentication) serves the pods' status: a
# standalone kubelet keeps it nowhere else.
#
# KUBELET_RUNTIME: mini (the default) or runc (runc 1.5.3, the baseline),
# containerd's default runtime class. KUBELET_CGROUP_DRIVER: cgroupfs (the
# default) or systemd (a node with systemd as PID 1: containerd's
# SystemdCgroup = true, as kubeadm sets it up).

KUBELET_NODE=mini-it-node
# the sysctls the kubelet sets whatever its configuration (its
# setupKernelTunables), restored by kubelet_restore_host
KUBELET_SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
	kernel.keys.root_maxkeys kernel.keys.root_maxbytes"
# the host paths it writes whatever its root dir: the device plugins'
# socket directory, the containers' log links
KUBELET_HOST_DIRS="/var/lib/kubelet /var/log/containers"

# kubelet_save_host: records the sysctls and which of the host paths exist,
# in $K; refuses to go on if a kubelet of the host's own has its socket.
kubelet_save_host() {
	local s d
	if [ -e /var/lib/kubelet/device-plugins/kubelet.sock ]; then
		echo "kubelet: /var/lib/kubelet/device-plugins/kubelet.sock exists: a kubelet of this host's?" >&2
		return 1
	fi
	for s in $KUBELET_SYSCTLS; do
		echo "$s=$(sysctl -n "$s")"
	done >"$K/sysctl.saved"
	for d in $KUBELET_HOST_DIRS; do
		[ -e "$d" ] || echo "$d"
	done >"$K/dirs.created"
}

# kubelet_restore_host: the sysctls as they were; the host paths the kubelet
# made removed, its log links in those that were there.
kubelet_restore_host() {
	local kv d l
	[ -f "$K/sysctl.saved" ] || return 0
	while read -r kv; do
		sysctl -qw "$kv" || true
	done <"$K/sysctl.saved"
	for l in /var/log/containers/*; do
		case $(readlink "$l") in "$K"/*) rm -f "$l" ;; esac
	done
	while read -r d; do
		rm -rf "$d"
	done <"$K/dirs.created"
	rm -f "$K/sysctl.saved"
}

# kubelet_tools: $KUBELET_BIN, $CRICTL_BIN (and containerd's, ctrd_tools),
# built once by gotools.sh; 77 when there is no Go to build them with.
kubelet_tools() {
	local out rc
	out=$("$INTEGRATION_DIR/lib/gotools.sh" kubelet crictl) && rc=0 || rc=$?
	[ "$rc" = 0 ] || return "$rc"
	KUBELET_BIN=$(echo "$out" | sed -n 1p)/kubelet
	CRICTL_BIN=$(echo "$out" | sed -n 2p)/crictl
}

# kubelet_cgroup_root: the cgroupfs driver's root ($KUBELET_CGROUP_ROOT),
# made in every hierarchy (the kubelet expects it), cpuset's cpus and mems
# copied from above (a new v1 cpuset is empty). The systemd driver keeps
# kubeadm's default, the root: kubepods.slice.
kubelet_cgroup_root() {
	local m
	KUBELET_CGROUP_ROOT=
	[ "$KUBELET_CGROUP_DRIVER" = cgroupfs ] || return 0
	KUBELET_CGROUP_ROOT=/mini-kubelet-${TEST_TMP##*.}
	for m in $(cgroup_mounts); do
		mkdir -p "$m$KUBELET_CGROUP_ROOT"
		if [ -f "$m/cpuset.cpus" ] && [ ! -f "$m/cgroup.controllers" ]; then
			cat "$m/cpuset.cpus" >"$m$KUBELET_CGROUP_ROOT/cpuset.cpus"
			cat "$m/cpuset.mems" >"$m$KUBELET_CGROUP_ROOT/cpuset.mems"
		fi
	done
}

# cgroup_mounts: the mount point of every cgroup hierarchy (v1 and v2).
cgroup_mounts() {
	awk '{ split($0, a, " - "); split(a[2], f, " ")
		if (f[1] == "cgroup" || f[1] == "cgroup2") print $5 }' /proc/self/mountinfo
}

# kubelet_config: the KubeletConfiguration. Its server listens in the test's
# network namespace only (the read-only port gives the pods' status);
# oomScoreAdj 0: root here cannot lower its own score; eviction and image
# GC thresholds out of reach (the images are imported, never pulled).
kubelet_config() {
	cat <<-EOF
		apiVersion: kubelet.config.k8s.io/v1beta1
		kind: KubeletConfiguration
		staticPodPath: $K/manifests
		fileCheckFrequency: 1s
		syncFrequency: 10s
		containerRuntimeEndpoint: unix://$CTRD_SOCK
		imageServiceEndpoint: unix://$CTRD_SOCK
		cgroupDriver: $KUBELET_CGROUP_DRIVER
		cgroupRoot: "${KUBELET_CGROUP_ROOT:-/}"
		failCgroupV1: false
		failSwapOn: false
		enableServer: true
		address: 127.0.0.1
		port: 10250
		readOnlyPort: 10255
		healthzBindAddress: 127.0.0.1
		healthzPort: 10248
		authentication:
		  anonymous: {enabled: false}
		  webhook: {enabled: false}
		authorization: {mode: AlwaysAllow}
		oomScoreAdj: 0
		podPidsLimit: 64
		resolvConf: $K/resolv.conf
		podLogsDir: $K/logs
		volumePluginDir: $K/volume-plugins
		makeIPTablesUtilChains: false
		imageGCHighThresholdPercent: 100
		imageGCLowThresholdPercent: 99
		evictionHard: {memory.available: 1Mi, nodefs.available: 1%, imagefs.available: 1%,
		  nodefs.inodesFree: 1%}
	EOF
}

# kubelet_start: containerd 2.4 (default runtime: $KUBELET_RUNTIME with the
# cgroup driver's SystemdCgroup) and the kubelet, both in the test's network
# namespace; waits for the kubelet's healthz.
kubelet_start() {
	local i class
	K=$TEST_TMP/k
	mkdir -p "$K"/{manifests,logs,root,certs,volume-plugins}
	kubelet_save_host
	critest_netns
	# the pods' network: a CNI bridge, or where the kernel has no bridge
	# the node's, which is the test's namespace
	KUBELET_POD_NET=cni
	if in_netns ip link add kube-probe type bridge 2>/dev/null; then
		in_netns ip link del kube-probe
	else
		KUBELET_POD_NET=host
	fi
	CTRD=$TEST_TMP/ctrd
	critest_cni
	# no pod here publishes a port: no portmap (and so no iptables, which
	# the node guest's kernel cannot give)
	jq '.plugins |= map(select(.type != "portmap"))' "$CTRD/cni/conf/10-critest.conflist" \
		>"$CTRD/cni/conf/.k" && mv "$CTRD/cni/conf/.k" "$CTRD/cni/conf/10-critest.conflist"
	class=$([ "$KUBELET_RUNTIME" = runc ] && echo runc15 || echo mini)
	[ "$KUBELET_CGROUP_DRIVER" = cgroupfs ] || class=$class-systemd
	CTRD_DEFAULT_RUNTIME=$class ctrd_start
	ctrd_import_images
	# the runtime's state root: containerd's namespace of CRI under the class's Root
	KUBELET_STATE=$([ "$KUBELET_RUNTIME" = runc ] && echo "$CTRD/runc15" || echo "$MINI_ROOT")/k8s.io
	KUBELET_STATE_CMD=$([ "$KUBELET_RUNTIME" = runc ] && echo "$CTRD_RUNC15" || echo "$MINI_RUNTIME")
	kubelet_cgroup_root
	echo "nameserver 127.0.0.1" >"$K/resolv.conf"
	kubelet_config >"$K/config.yaml"
	printf '%s\n' "runtime-endpoint: unix://$CTRD_SOCK" "image-endpoint: unix://$CTRD_SOCK" \
		"timeout: 60" >"$K/crictl.yaml"
	nsenter --net="$CTRD_NETNS" "$KUBELET_BIN" --config "$K/config.yaml" \
		--root-dir "$K/root" --cert-dir "$K/certs" \
		--hostname-override "$KUBELET_NODE" -v 2 \
		>"$K/kubelet.log" 2>&1 3>&- &
	KUBELET_PID=$!
	for i in $(seq "$((KUBELET_WAIT * 10))"); do
		[ "$(in_netns curl -s http://127.0.0.1:10248/healthz 2>/dev/null)" = ok ] && return 0
		kill -0 "$KUBELET_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "kubelet did not become healthy:" >&2
	grep -E '^[EF][0-9]{4}|run.go|failed' "$K/kubelet.log" | tail -20 >&2
	return 1
}

# kubelet_stop: the kubelet, then containerd and what runs under it, the
# cgroups of the pods, the kubelet's mounts; the host as it was.
kubelet_stop() {
	local m
	if [ -n "${KUBELET_PID:-}" ]; then
		stop_process "$KUBELET_PID"
		KUBELET_PID=
	fi
	ctrd_stop
	if [ "${KUBELET_CGROUP_DRIVER:-}" = systemd ]; then
		systemctl stop kubepods.slice 2>/dev/null || true
	elif [ -n "${KUBELET_CGROUP_ROOT:-}" ]; then
		for m in $(cgroup_mounts); do
			[ ! -d "$m$KUBELET_CGROUP_ROOT" ] ||
				find "$m$KUBELET_CGROUP_ROOT" -depth -type d -exec rmdir {} + 2>/dev/null || true
		done
	fi
	[ -z "${CRITEST_NS_PID:-}" ] || kill "$CRITEST_NS_PID" 2>/dev/null || true
	[ -z "${K:-}" ] || kubelet_restore_host
}

# crictl_ ARGS...: crictl against this test's containerd, in its network
# namespace (exec and logs stream from containerd's server there); its
# config file is the test's (else it warns on stderr of every call that
# /etc/crictl.yaml is missing).
crictl_() {
	in_netns timeout 120 "$CRICTL_BIN" --config "$K/crictl.yaml" "$@"
}

# pod_manifest NAME YAML: a static pod; YAML is everything after metadata's
# name (annotations) and spec. Every container is busybox, never pulled.
pod_manifest() {
	# written aside, then renamed: the kubelet reads every file there but
	# dot-files, and a pod read half-written would come back with another uid
	printf '%s\n' "apiVersion: v1" "kind: Pod" "metadata:" "  name: $1" "  namespace: default" \
		"$2" >"$K/manifests/.$1.yaml"
	mv "$K/manifests/.$1.yaml" "$K/manifests/$1.yaml"
}

# pods_status: the kubelet's pods (/pods on its read-only port), as JSON.
pods_status() {
	in_netns curl -sf http://127.0.0.1:10255/pods
}

# pod_json POD: the kubelet's pod POD (its name without the node's suffix).
pod_json() {
	pods_status | jq -e --arg n "$1-$KUBELET_NODE" '.items[] | select(.metadata.name == $n)'
}

# cstatus POD CONTAINER: that container's status in the kubelet's pod
# (init containers too).
cstatus() {
	pod_json "$1" | jq -e --arg c "$2" \
		'(.status.containerStatuses // []) + (.status.initContainerStatuses // [])
		 | .[] | select(.name == $c)'
}

# cid POD CONTAINER: the id of the running container CONTAINER of POD.
cid() {
	crictl_ ps -q --state running --label "io.kubernetes.pod.name=$1-$KUBELET_NODE" \
		--label "io.kubernetes.container.name=$2" | head -1
}

# cpid CID: the pid of the container's first process.
cpid() {
	crictl_ inspect "$1" | jq -e .info.pid
}

# wait_until DESCRIPTION CMD...: polls CMD every half second until it
# succeeds, for up to $KUBELET_WAIT seconds; says what it waited for and the
# kubelet's last errors if it never does.
wait_until() {
	local what=$1 i
	shift
	for i in $(seq "$((KUBELET_WAIT * 2))"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	echo "waited ${KUBELET_WAIT} s for $what" >&2
	grep -E '^E[0-9]{4}' "$K/kubelet.log" | tail -10 >&2
	return 1
}

# running POD CONTAINER: the kubelet says the container is running, and
# containerd lists it so (the kubelet's status is a cache of containerd's
# list: in a fresh CI chroot the two once disagreed for a moment at start).
running() {
	cstatus "$1" "$2" | jq -e '.state.running' >/dev/null && [ -n "$(cid "$1" "$2")" ]
}

# state_of CID: the runtime's own state of the container.
state_of() {
	"$KUBELET_STATE_CMD" --root "$KUBELET_STATE" state "$1"
}
