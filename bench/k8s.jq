# bench/k8s.jq - `ctr oci spec` (containerd 1.6's default spec) turned into
# what containerd's CRI plugin hands the runtime for a container of a
# BestEffort pod, with the kubelet's per-CPU masks. Used by bench/run.sh:
#
#   ctr oci spec | jq -f bench/k8s.jq --arg rootfs DIR --arg sandbox DIR \
#       --arg cpus DIR --argjson ncpu N --argjson pause PID \
#       --slurpfile seccomp bench/seccomp-containerd-1.6.json
#
# sandbox: the pod's files (hosts, resolv.conf, hostname, shm/,
# termination-log) as the kubelet and the sandbox make them. pause: a
# process whose net, ipc and uts namespaces stand for the pod sandbox's.
# cpus: a host directory with cpuK/thermal_throttle for K < 256, bound over
# the container's /sys/devices/system/cpu so that the N masked directories
# exist as they do on an N-CPU node (this VM has 2 CPUs and no
# thermal_throttle at all: masking a missing path costs only its lookup).
# The cgroupsPath ends in @ID@, which run.sh makes unique per container.
def bind($src; $dst; $opt): {destination: $dst, type: "bind", source: $src,
	options: ["rbind", "rprivate", $opt]};

.root = {path: $rootfs}
| .process.args = ["/bin/true"]
| .process.terminal = false
| .process.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOSTNAME=bench-pod", "KUBERNETES_SERVICE_HOST=10.96.0.1",
	"KUBERNETES_SERVICE_PORT=443", "KUBERNETES_PORT=tcp://10.96.0.1:443"]
| .process.oomScoreAdj = 1000
| .mounts |= map(select(.destination != "/dev/shm"))
| .mounts += [
	{destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
	 options: ["nosuid", "noexec", "nodev", "relatime", "ro"]},
	bind($cpus; "/sys/devices/system/cpu"; "ro"),
	bind($sandbox + "/hosts"; "/etc/hosts"; "rw"),
	bind($sandbox + "/termination-log"; "/dev/termination-log"; "rw"),
	bind($sandbox + "/hostname"; "/etc/hostname"; "rw"),
	bind($sandbox + "/resolv.conf"; "/etc/resolv.conf"; "rw"),
	bind($sandbox + "/shm"; "/dev/shm"; "rw")]
| .annotations = {
	"io.kubernetes.cri.container-type": "container",
	"io.kubernetes.cri.container-name": "bench",
	"io.kubernetes.cri.image-name": "docker.io/library/busybox:latest",
	"io.kubernetes.cri.sandbox-id": "6f1e5c8a0b7d4e2f9a3c1b5d7e9f0a2c4b6d8e0f1a3c5e7b9d0f2a4c6e8b0d1f",
	"io.kubernetes.cri.sandbox-name": "bench-pod",
	"io.kubernetes.cri.sandbox-namespace": "default",
	"io.kubernetes.cri.sandbox-uid": "0c6f1b8e-3d2a-4f5c-9e7b-1a2c3d4e5f60"}
| .linux.cgroupsPath = "/bench-kubepods/besteffort/pod0c6f1b8e/@ID@"
| .linux.namespaces = [{type: "pid"},
	{type: "ipc", path: "/proc/\($pause)/ns/ipc"},
	{type: "uts", path: "/proc/\($pause)/ns/uts"},
	{type: "mount"},
	{type: "network", path: "/proc/\($pause)/ns/net"}]
| .linux.resources.cpu = {shares: 2}
| .linux.resources.memory = {}
| .linux.maskedPaths += [range(0; $ncpu) | "/sys/devices/system/cpu/cpu\(.)/thermal_throttle"]
| .linux.seccomp = $seccomp[0]
