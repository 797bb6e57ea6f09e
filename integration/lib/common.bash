# common.bash - helpers for the integration suites (bats). Each test gets a
# private state root and a fresh bundle whose rootfs is busybox-static plus
# the probe; nothing is shared between tests but the read-only template.

INTEGRATION_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=$INTEGRATION_DIR/.cache
: "${MINI_RUNTIME:=$INTEGRATION_DIR/../mini-runtime}"

# The rootfs template, built once: busybox-static with its applet links,
# and the static probe (integration/lib/probe.c).
build_template() {
	local t=$CACHE_DIR/rootfs
	local probe_src=$INTEGRATION_DIR/lib/probe.c
	if [ -x "$t/bin/busybox" ] && [ "$t/bin/probe" -nt "$probe_src" ]; then
		return 0
	fi
	mkdir -p "$CACHE_DIR"
	# suites may run side by side: one builds, the others wait
	exec {lock}>"$CACHE_DIR/.lock"
	flock "$lock"
	if [ -x "$t/bin/busybox" ] && [ "$t/bin/probe" -nt "$probe_src" ]; then
		exec {lock}>&-
		return 0
	fi
	rm -rf "$t.new"
	mkdir -p "$t.new"/{bin,proc,sys,dev,tmp,etc,root}
	cp /bin/busybox "$t.new/bin/busybox"
	for applet in $("$t.new/bin/busybox" --list); do
		[ -e "$t.new/bin/$applet" ] || ln -s busybox "$t.new/bin/$applet"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$t.new/etc/passwd"
	echo 'root:x:0:' >"$t.new/etc/group"
	gcc -O2 -static -Wall -o "$t.new/bin/probe" "$probe_src"
	rm -rf "$t"
	mv "$t.new" "$t"
	exec {lock}>&-
}

# make_bundle [ARGS...]: $BUNDLE with config.json from `mini-runtime spec`,
# no terminal, and ARGS as the process (default: true).
make_bundle() {
	BUNDLE=$TEST_TMP/bundle
	rm -rf "$BUNDLE"
	mkdir -p "$BUNDLE"
	cp -a "$CACHE_DIR/rootfs" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$MINI_RUNTIME" spec)
	[ $# -gt 0 ] || set -- true
	local args a
	# one jq per argument: keeps newlines and leading dashes as they are
	args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -s .)
	cfg ".process.terminal = false | .process.args = $args"
	# suites run side by side and reuse ids (c1): with IT_CGROUP_PARENT set,
	# each bundle gets a cgroup of its own under it instead of /mini-runtime/ID
	if [ -n "${IT_CGROUP_PARENT:-}" ]; then
		cfg ".linux.cgroupsPath = \"$IT_CGROUP_PARENT/${TEST_TMP##*/}-$RANDOM\""
	fi
}

# cfg JQ_FILTER: edits $BUNDLE/config.json in place.
cfg() {
	local tmp=$BUNDLE/config.json.tmp
	jq "$1" "$BUNDLE/config.json" >"$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# rt ARGS...: the runtime with this test's state root.
rt() {
	"$MINI_RUNTIME" --root "$ROOT" "$@"
}

common_setup() {
	TEST_TMP=$(mktemp -d /tmp/mini-it.XXXXXX)
	ROOT=$TEST_TMP/state
	build_template
}

common_teardown() {
	local id
	# a test skipped before common_setup has no directory: with an empty
	# TEST_TMP the mount cleanup below would match every mount
	[ -n "${TEST_TMP:-}" ] || return 0
	if [ -d "$ROOT" ]; then
		for id in $(ls "$ROOT" 2>/dev/null); do
			rt delete --force -- "$id" >/dev/null 2>&1 || true
		done
	fi
	# mounts a failed test may have left under the bundle
	grep -o " $TEST_TMP[^ ]*" /proc/self/mounts 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$TEST_TMP"
}

# status_of ID: the "status" field of `state ID`.
status_of() {
	rt state "$1" | jq -r .status
}

# assert_nothing_left ID: no state directory, no mount under the test's
# directory, no process running from this bundle.
assert_nothing_left() {
	if [ -e "$ROOT/$1" ]; then
		echo "state directory $ROOT/$1 is left" >&2
		return 1
	fi
	if grep -q " $TEST_TMP" /proc/self/mounts; then
		echo "mounts left:" >&2
		grep " $TEST_TMP" /proc/self/mounts >&2
		return 1
	fi
	if pgrep -f "$TEST_TMP" >/dev/null; then
		echo "processes left: $(pgrep -af "$TEST_TMP")" >&2
		return 1
	fi
}

# stop_process PID: TERM, up to 5 s to go, then KILL; reaped if it is ours.
stop_process() {
	local i
	kill "$1" 2>/dev/null || true
	for i in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# wait_for_status ID STATUS: polls `state` for up to 5 s.
wait_for_status() {
	local i
	for i in $(seq 50); do
		[ "$(status_of "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "container $1 did not reach $2 (now: $(status_of "$1"))" >&2
	return 1
}

# start_recvtty: a console socket receiver at $TEST_TMP/tty.sock writing
# the terminal's output to $TEST_TMP/tty.out.
start_recvtty() {
	python3 "$INTEGRATION_DIR/lib/recvtty.py" "$TEST_TMP/tty.sock" "$TEST_TMP/tty.out" &
	RECV_PID=$!
	for _ in $(seq 50); do
		[ -S "$TEST_TMP/tty.sock" ] && return 0
		sleep 0.05
	done
	echo "recvtty did not start" >&2
	return 1
}
