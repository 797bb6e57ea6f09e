#!/usr/bin/env bats
# mini-runtime as a Docker runtime: Debian's docker.io (dockerd 20.10, with
# the containerd 1.6 it starts itself) told `--add-runtime mini=<binary>`,
# driven by Debian's docker client, `docker run --runtime mini`. One private
# dockerd for the file (setup_file): its own data-root, exec-root, socket,
# pidfile and cgroup parent, in a mount namespace of its own whose /run and
# /etc/docker are tmpfs (dockerd writes /etc/docker/key.json, /run/docker
# and its containerd's shim sockets under /run/containerd/s whatever its
# roots), so the host keeps nothing of it. No network: every container runs
# with --network none (the daemon has no bridge).

bats_require_minimum_version 1.5.0

load lib/common

DOCKER=/usr/bin/docker

setup_file() {
	# bats 1.8 (Debian 12's) fails a setup_file that skips: each test skips
	if ! command -v dockerd >/dev/null || [ ! -x "$DOCKER" ]; then
		export DOCKER_SKIP="Debian's docker.io is not installed (tests/install-deps.sh installs it)"
		return 0
	fi
	build_template
	export DK DOCKER_HOST
	DK=$(mktemp -d /tmp/mini-docker.XXXXXX)
	DOCKER_HOST=unix://$DK/sock
	export DK_CGROUP=mini-it-docker-$$
	echo '{}' >"$DK/daemon.json"
	# dockerd's own log, kept for a failing test to show
	unshare -m --propagation private sh -c '
		mount -t tmpfs -o mode=0755 tmpfs /run &&
		mount -t tmpfs -o mode=0755 tmpfs /etc/docker &&
		exec dockerd --data-root "$1/data" --exec-root "$1/exec" \
			--pidfile "$1/dockerd.pid" -H "unix://$1/sock" \
			--config-file "$1/daemon.json" --storage-driver vfs \
			--bridge none --iptables=false --ip-masq=false --ip-forward=false \
			--exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$2" \
			--add-runtime "mini=$3"' sh "$DK" "$DK_CGROUP" "$MINI_RUNTIME" \
		>"$DK/dockerd.log" 2>&1 &
	echo $! >"$DK/unshare.pid"
	local i
	for i in $(seq 100); do
		"$DOCKER" version >/dev/null 2>&1 && break
		sleep 0.2
	done
	if ! "$DOCKER" version >/dev/null 2>&1; then
		tail -20 "$DK/dockerd.log" >&2
		return 1
	fi
	# the image: the suites' busybox rootfs template, by `docker import`
	tar -C "$CACHE_DIR/rootfs" -c . | "$DOCKER" import - mini-it/busybox:1 >/dev/null
}

teardown_file() {
	[ -n "${DK:-}" ] || return 0
	local pid i
	"$DOCKER" rm -f $("$DOCKER" ps -aq) >/dev/null 2>&1 || true
	pid=$(cat "$DK/dockerd.pid" 2>/dev/null) && kill "$pid" 2>/dev/null
	for i in $(seq 100); do
		pgrep -f "$DK" >/dev/null || break
		sleep 0.1
	done
	pkill -KILL -f "$DK" 2>/dev/null || true
	kill "$(cat "$DK/unshare.pid")" 2>/dev/null || true
	for m in /sys/fs/cgroup/*/"$DK_CGROUP" /sys/fs/cgroup/unified/"$DK_CGROUP"; do
		[ -d "$m" ] && find "$m" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$DK"
}

setup() {
	[ -z "${DOCKER_SKIP:-}" ] || skip "$DOCKER_SKIP"
	common_setup
}

teardown() {
	if [ -n "${DK:-}" ] && [ "${BATS_TEST_COMPLETED:-}" != 1 ]; then
		echo "# dockerd's log, last lines:" >&2
		grep -v 'level=info' "$DK/dockerd.log" | tail -10 >&2
	fi
	# a failed test's containers go with it, not into the next test
	[ -z "${DK:-}" ] || "$DOCKER" rm -f $("$DOCKER" ps -aq) >/dev/null 2>&1 || true
	common_teardown
}

# drun ARGS...: docker run with mini-runtime, no network, the imported image
# unless ARGS name another after the options.
drun() {
	"$DOCKER" run --runtime mini --network none "$@"
}

# mini_list: the ids mini-runtime holds under the root dockerd gives every
# runtime (EXEC_ROOT/runtime-runc/moby, as the shim's options.json says).
mini_list() {
	"$MINI_RUNTIME" --root "$DK/exec/runtime-runc/moby" list -q
}

# assert_docker_clean ID: docker, mini-runtime, the cgroups and the mounts
# keep nothing of the container ID (a full id).
assert_docker_clean() {
	local id=$1
	if "$DOCKER" ps -aq --no-trunc | grep -qx "$id"; then
		echo "docker still has $id" >&2
		return 1
	fi
	if mini_list | grep -qx "$id"; then
		echo "mini-runtime still has $id" >&2
		return 1
	fi
	if [ -e "/sys/fs/cgroup/memory/$DK_CGROUP/$id" ] || [ -e "/sys/fs/cgroup/pids/$DK_CGROUP/$id" ]; then
		echo "cgroup /$DK_CGROUP/$id is left" >&2
		return 1
	fi
	if pgrep -f "containerd-shim.*-id $id" >/dev/null; then
		echo "its shim is left" >&2
		return 1
	fi
}

@test "docker run --runtime mini: the container runs under mini-runtime, its exit code comes back" {
	run drun --rm mini-it/busybox:1 sh -c 'echo "hello from $(cat /proc/1/comm)"'
	[ "$status" -eq 0 ]
	[ "$output" = "hello from sh" ]
	run drun --rm mini-it/busybox:1 sh -c 'exit 3'
	[ "$status" -eq 3 ]
	# the shim was handed mini-runtime: a detached container is in its list
	id=$(drun -d mini-it/busybox:1 sleep 300)
	mini_list | grep -qx "$id"
	[ "$("$MINI_RUNTIME" --root "$DK/exec/runtime-runc/moby" state "$id" | jq -r .status)" = running ]
	"$DOCKER" rm -f "$id" >/dev/null
	assert_docker_clean "$id"
}

@test "docker run -t and docker exec -t: a terminal through the shim's console socket" {
	run drun --rm -t mini-it/busybox:1 sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-ttys'
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *both-ttys* ]]
	id=$(drun -d mini-it/busybox:1 sleep 300)
	run "$DOCKER" exec -t "$id" tty
	[ "$status" -eq 0 ]
	[[ "$output" == /dev/pts/* ]]
	run "$DOCKER" exec "$id" sh -c '[ -t 1 ] || echo no-tty'
	[ "$output" = no-tty ]
	"$DOCKER" rm -f "$id" >/dev/null
}

@test "docker: a detached container: exec, top, pause, unpause, stop (TERM, then KILL), rm" {
	id=$(drun -d mini-it/busybox:1 sleep 300)
	[ "$("$DOCKER" exec "$id" cat /proc/1/cmdline | tr '\0' ' ')" = "sleep 300 " ]
	run "$DOCKER" exec "$id" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run "$DOCKER" top "$id"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 300"* ]]
	"$DOCKER" pause "$id"
	[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$id")" = paused ]
	[ "$("$MINI_RUNTIME" --root "$DK/exec/runtime-runc/moby" state "$id" | jq -r .status)" = paused ]
	"$DOCKER" unpause "$id"
	[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$id")" = running ]
	# sleep as PID 1 ignores TERM: stop's grace ends in KILL (exit 137)
	"$DOCKER" stop -t 1 "$id" >/dev/null
	[ "$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$id")" = 137 ]
	# a PID 1 that takes TERM exits with its own code
	id2=$(drun -d mini-it/busybox:1 sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done')
	"$DOCKER" stop -t 10 "$id2" >/dev/null
	[ "$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$id2")" = 42 ]
	"$DOCKER" rm "$id" "$id2" >/dev/null
	assert_docker_clean "$id"
	assert_docker_clean "$id2"
}

@test "docker: limits and Docker's default seccomp profile reach the container" {
	id=$(drun -d --memory 64m --pids-limit 20 --cpuset-cpus 0 mini-it/busybox:1 sleep 300)
	[ "$(cat "/sys/fs/cgroup/memory/$DK_CGROUP/$id/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/pids/$DK_CGROUP/$id/pids.max")" = 20 ]
	run "$DOCKER" exec "$id" grep -E '^(Seccomp|Cpus_allowed_list):' /proc/1/status
	[[ "$output" == *"Seccomp:"*2* ]]
	[[ "$output" == *"Cpus_allowed_list:"*0* ]]
	# Docker's profile refuses what it lists (unshare of a user namespace
	# needs CAP_SYS_ADMIN, which the default set lacks)
	run "$DOCKER" exec "$id" unshare -U true
	[ "$status" -ne 0 ]
	"$DOCKER" rm -f "$id" >/dev/null
	assert_docker_clean "$id"
}

@test "docker: a config mini-runtime refuses fails the run with mini-runtime's message; nothing left" {
	# Docker checks a sysctl's name against the namespaced prefixes, not
	# that it exists: mini-runtime does, before anything is created
	before=$("$DOCKER" ps -aq | wc -l)
	run drun --rm --sysctl net.ipv4.no_such_key=1 mini-it/busybox:1 true
	[ "$status" -eq 125 ]
	[[ "$output" == *'OCI runtime create failed: linux.sysctl["net.ipv4.no_such_key"]: '*'No such file or directory'* ]]
	[ "$("$DOCKER" ps -aq | wc -l)" = "$before" ]
	[ -z "$(mini_list)" ]
	[ -z "$(ls "/sys/fs/cgroup/memory/$DK_CGROUP" 2>/dev/null | grep -E '^[0-9a-f]{64}$')" ]
}
