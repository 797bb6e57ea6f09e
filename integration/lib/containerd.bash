# containerd.bash - a private containerd for integration/containerd.bats.
# Load after common.bash. Everything containerd and its shims keep lives
# under $TEST_TMP/ctrd: config, root, state, sockets, fifos, and the state
# roots of runc and mini-runtime.
#
# CTRD_VERSION picks the containerd: 1.6 (the default) is Debian's, on PATH;
# 2.4 is v2.4.2, built once by integration/lib/gotools.sh into the cache
# (its config is `version = 3`, its plugin ids are 2.x's). The one place
# containerd 1.6 does not let us move is the shims' socket directory,
# /run/containerd/s (its path is compiled in): ctrd_stop removes the sockets
# of this test's shims and the directories if they end up empty. 2.4's is
# the shim manager's socket_dir, under $CTRD.
: "${CTRD_VERSION:=1.6}"
CTRD_PAUSE_IMAGE=localhost/mini-it/pause:1
CTRD_BUSYBOX_IMAGE=localhost/mini-it/busybox:1

# ctr_ ARGS...: ctr against this test's containerd, in the namespace
# $CTRD_NS unless ARGS say `-n NS`. The namespace is unique on the host
# because ctr puts a container in the cgroup /<namespace>/<id>.
# containerd 2.4's ctr warns on stderr of every call on a cgroup v1 host:
# that line is dropped, the rest of stderr is kept apart from stdout.
ctr_() {
	local rc
	{ CONTAINERD_NAMESPACE=$CTRD_NS timeout 30 "${CTRD_BIN:+$CTRD_BIN/}ctr" \
		--address "$CTRD_SOCK" "$@" 2>&1 1>&5 5>&- |
		{ grep -v 'DEPRECATION: The support for cgroup v1' >&2 || true; }
	  rc=${PIPESTATUS[0]}; } 5>&1
	return "$rc"
}

# ctr_run ARGS...: `ctr run` with mini-runtime (or $RUNC_BINARY) behind the
# runc v2 shim and this test's fifo directory and runtime root.
ctr_run() {
	ctr_ run --fifo-dir "$CTRD/fifo" --runtime io.containerd.runc.v2 \
		--runc-binary "${RUNC_BINARY:-$MINI_RUNTIME}" --runc-root "$MINI_ROOT" "$@"
}

# ctr_exec ARGS...: `ctr task exec` with this test's fifo directory.
ctr_exec() {
	ctr_ task exec --fifo-dir "$CTRD/fifo" "$@"
}

# cri METHOD ARGS...: integration/cri/cri.py against this test's containerd.
cri() {
	PYTHONPATH=$CTRD/pb timeout $((${CRI_TIMEOUT:-60} + 30)) /usr/bin/python3 "$INTEGRATION_DIR/cri/cri.py" \
		"$CTRD_SOCK" "$@"
}

# The memory-policy annotations mini-runtime reads (docs/containerd.md): the
# device-injector's keys. containerd matches pod_annotations with path.Match,
# whose `*` stops at a `/`.
CTRD_MPOL_ANNOTATIONS='"memory-policy.noderesource.dev", "memory-policy.noderesource.dev/*",
  "memory-policy.nri.io", "memory-policy.nri.io/*"'

# ctrd_config: the config.toml of $CTRD_VERSION, every path under $CTRD, no
# CNI (the tests' pods use the host network) unless $CTRD_CNI names a
# plugin directory, and the CRI runtime classes of ctrd_runtimes. 1.6 takes
# `version = 2` and the 1.x plugin ids, 2.4 `version = 3` and 2.x's; on 2.4
# every global default is overridden, so that nothing of the host's is
# touched: sockets (grpc, ttrpc, the shims', NRI's), imports, CDI, opt and
# image-verifier directories, network namespaces.
# restrict_oom_score_adj: root here lacks CAP_SYS_RESOURCE, so CRI must not
# ask for a score below its own.
ctrd_config() {
	local v2 rt cri images
	v2=$([ "$CTRD_VERSION" = 1.6 ] && echo 1 || echo 0)
	if [ "$v2" = 1 ]; then
		rt='plugins."io.containerd.grpc.v1.cri"' cri=$rt images=$rt
	else
		rt="plugins.'io.containerd.cri.v1.runtime'" cri="plugins.'io.containerd.grpc.v1.cri'"
		images="plugins.'io.containerd.cri.v1.images'"
	fi
	cat <<-EOF
		version = $((v2 ? 2 : 3))
		root = "$CTRD/root"
		state = "$CTRD/state"
		temp = "$CTRD/tmp"
		$([ "$v2" = 1 ] || echo 'imports = []')
		disabled_plugins = ["io.containerd.snapshotter.v1.btrfs",
		  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
		  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing",
		  $(if [ "$v2" = 1 ]; then echo '"io.containerd.snapshotter.v1.aufs"'; else
			echo '"io.containerd.snapshotter.v1.blockfile", "io.containerd.snapshotter.v1.erofs"'; fi)]

		[grpc]
		  address = "$CTRD_SOCK"
		[ttrpc]
		  address = "$CTRD_SOCK.ttrpc"
		[plugins.$([ "$v2" = 1 ] && echo '"io.containerd.internal.v1.opt"' || echo "'io.containerd.internal.v1.opt'")]
		  path = "$CTRD/opt"
		[$cri]
		  disable_tcp_service = true
		  stream_server_address = "127.0.0.1"
		  stream_server_port = "0"
	EOF
	if [ "$v2" = 1 ]; then
		cat <<-EOF
			  sandbox_image = "$CTRD_PAUSE_IMAGE"
		EOF
	else
		cat <<-EOF
			[debug]
			  address = ""
			[plugins.'io.containerd.image-verifier.v1.bindir']
			  bin_dir = "$CTRD/verifier"
			[plugins.'io.containerd.shim.v1.manager']
			  socket_dir = "$CTRD_SHIM_SOCKETS"
			[plugins.'io.containerd.nri.v1.nri']
			  disable = false
			  socket_path = "$CTRD/nri.sock"
			  plugin_path = "$CTRD/nri/plugins"
			  plugin_config_path = "$CTRD/nri/conf.d"
			[$images]
			  snapshotter = "overlayfs"
			  [$images.pinned_images]
			    sandbox = "$CTRD_PAUSE_IMAGE"
			  [$images.registry]
			    config_path = "$CTRD/certs.d"
			[$rt]
			  netns_mounts_under_state_dir = true
			  cdi_spec_dirs = ["$CTRD/cdi"]
		EOF
	fi
	cat <<-EOF
		  restrict_oom_score_adj = true
		  disable_apparmor = true
		  tolerate_missing_hugetlb_controller = true
		  disable_hugetlb_controller = true
		  [$rt.cni]
		    $([ "$v2" = 1 ] && echo "bin_dir = \"$CTRD/cni/bin\"" ||
			echo "bin_dirs = [\"${CTRD_CNI:-$CTRD/cni/bin}\"]")
		    conf_dir = "$CTRD/cni/conf"
		  [$rt.containerd]
		    default_runtime_name = "${CTRD_DEFAULT_RUNTIME:-runc}"
		    $([ "$v2" = 1 ] && echo 'snapshotter = "overlayfs"')
	EOF
	ctrd_runtimes "$rt.containerd.runtimes"
}

# ctrd_runtimes PREFIX: the CRI runtime classes, each behind the runc v2
# shim with a state root of its own: runc (the default unless
# $CTRD_DEFAULT_RUNTIME says otherwise), mini (mini-runtime, passing the
# memory-policy pod annotations), mini-systemd (the same with the systemd
# cgroup driver, kubeadm's default: SystemdCgroup = true); on 2.4 also
# mini-nri (no pod annotations passed: a memory policy can only come from
# NRI) and runc15, runc15-systemd (runc v1.5.3, the baseline of critest
# and the kubelet suite).
ctrd_runtimes() {
	ctrd_runtime "$1" runc "" "$CTRD/runc"
	ctrd_runtime "$1" mini "$MINI_RUNTIME" "$MINI_ROOT" annotations
	ctrd_runtime "$1" mini-systemd "$MINI_RUNTIME" "$MINI_ROOT" annotations systemd
	[ "$CTRD_VERSION" != 1.6 ] || return 0
	ctrd_runtime "$1" mini-nri "$MINI_RUNTIME" "$MINI_ROOT"
	ctrd_runtime "$1" runc15 "$CTRD_RUNC15" "$CTRD/runc15"
	ctrd_runtime "$1" runc15-systemd "$CTRD_RUNC15" "$CTRD/runc15" systemd
}

# ctrd_runtime PREFIX NAME BINARY ROOT [annotations] [systemd]: one class
# (BINARY empty: the shim's runc from PATH).
ctrd_runtime() {
	local t=$1.$2 bin=$3 root=$4 annotations=0 systemd=0 o
	shift 4
	for o in "$@"; do
		case $o in annotations) annotations=1 ;; systemd) systemd=1 ;; esac
	done
	echo "    [$t]"
	echo '      runtime_type = "io.containerd.runc.v2"'
	[ "$annotations" = 0 ] || echo "      pod_annotations = [$CTRD_MPOL_ANNOTATIONS]"
	echo "      [$t.options]"
	[ -z "$bin" ] || echo "        BinaryName = \"$bin\""
	echo "        Root = \"$root\""
	[ "$systemd" = 0 ] || echo "        SystemdCgroup = true"
}

# ctrd_tools: on 2.4, $CTRD_BIN (containerd, ctr, the shim) and $CTRD_RUNC15,
# built once (gotools.sh); skips the test, saying why, only when there is no
# Go toolchain to build them with.
ctrd_tools() {
	local out rc
	CTRD_BIN= CTRD_RUNC15=runc
	[ "$CTRD_VERSION" = 1.6 ] && return 0
	out=$("$INTEGRATION_DIR/lib/gotools.sh" containerd runc) && rc=0 || rc=$?
	[ "$rc" = 77 ] && skip "containerd $CTRD_VERSION: no Go toolchain to build it"
	[ "$rc" = 0 ] || return 1
	CTRD_BIN=$(echo "$out" | sed -n 1p)
	CTRD_RUNC15=$(echo "$out" | sed -n 2p)/runc
}

# ctrd_start: starts this test's containerd ($CTRD_VERSION) in the
# background and waits until it answers. Skips the test, with containerd's
# last words, only if containerd is not there or cannot start at all.
ctrd_start() {
	local i
	ctrd_tools
	command -v "${CTRD_BIN:+$CTRD_BIN/}containerd" >/dev/null || skip "containerd is not installed"
	# unix socket paths are limited to 107 bytes: keep this one short
	CTRD=$TEST_TMP/ctrd
	CTRD_SOCK=$CTRD/c.sock
	CTRD_NS=mini-it-${TEST_TMP##*.}
	CTRD_SHIM_SOCKETS=/run/containerd/s
	[ "$CTRD_VERSION" = 1.6 ] || CTRD_SHIM_SOCKETS=$CTRD/s
	MINI_ROOT=$CTRD/mini
	mkdir -p "$CTRD"/{fifo,cni/bin,cni/conf,pb,nri/plugins,nri/conf.d}
	ctrd_config >"$CTRD/config.toml"
	# fd 3 is bats' own: a background process that holds it stalls bats;
	# the 2.4 shim is found on PATH
	# $CTRD_NETNS: a network namespace to run in (critest's pods' network)
	PATH=${CTRD_BIN:+$CTRD_BIN:}$PATH ${CTRD_NETNS:+nsenter --net="$CTRD_NETNS"} \
		"${CTRD_BIN:+$CTRD_BIN/}containerd" \
		--config "$CTRD/config.toml" >"$CTRD/containerd.log" 2>&1 3>&- &
	CTRD_PID=$!
	for i in $(seq 100); do
		if ctr_ version >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$CTRD_PID" 2>/dev/null || break
		sleep 0.1
	done
	skip "containerd $CTRD_VERSION cannot start: $(grep -E 'level=(error|fatal)|^containerd:' \
		"$CTRD/containerd.log" | tail -2)"
}

# ctrd_cri_ready: generates the CRI messages for cri.py (into $CTRD/pb, so
# no generated code lives in the tree) and waits for the CRI service.
ctrd_cri_ready() {
	local i
	protoc -I "$INTEGRATION_DIR/cri" --python_out="$CTRD/pb" \
		"$INTEGRATION_DIR/cri/runtime_v1.proto"
	for i in $(seq 50); do
		cri Version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cri Version
}

# shim_socket NAMESPACE GROUP: where containerd puts the socket of the
# shim that runs GROUP (the container id, or for CRI the sandbox id):
# $CTRD_SHIM_SOCKETS/ + sha256 of "<containerd address>/<namespace>/<group>".
shim_socket() {
	local h
	h=$(printf '%s' "$CTRD_SOCK/$1/$2" | sha256sum)
	echo "$CTRD_SHIM_SOCKETS/${h%% *}"
}

# shim_pids: the shims this test's containerd started (they outlive it).
shim_pids() {
	local p
	for p in /proc/[0-9]*; do
		tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q -- "-address $CTRD_SOCK " &&
			echo "${p#/proc/}"
	done
}

# ctrd_stop: removes what is left in every namespace, stops containerd by
# its pid, kills shims that outlived it, deletes what mini-runtime still
# holds, and removes this test's shim sockets from /run/containerd/s.
ctrd_stop() {
	local ns id p sockets=()
	[ -n "${CTRD_PID:-}" ] || return 0
	for ns in $(ctr_ namespaces ls -q 2>/dev/null); do
		for id in $(ctr_ -n "$ns" containers ls -q 2>/dev/null); do
			sockets+=("$(shim_socket "$ns" "$id")")
			# containerd neither kills nor deletes a paused task
			ctr_ -n "$ns" task resume "$id" >/dev/null 2>&1 || true
			ctr_ -n "$ns" task kill -s KILL "$id" >/dev/null 2>&1 || true
			ctr_ -n "$ns" task delete -f "$id" >/dev/null 2>&1 || true
			ctr_ -n "$ns" containers delete "$id" >/dev/null 2>&1 || true
		done
	done
	for p in "$CTRD"/state/io.containerd.runtime.v2.task/*/*/address; do
		[ -f "$p" ] && sockets+=("$(sed 's|^unix://||' "$p")")
	done
	stop_process "$CTRD_PID"
	for p in $(shim_pids); do
		kill -KILL "$p" 2>/dev/null || true
	done
	for ns in "$MINI_ROOT"/*; do
		[ -d "$ns" ] || continue
		for id in $(ls "$ns"); do
			"$MINI_RUNTIME" --root "$ns" delete --force "$id" >/dev/null 2>&1 || true
		done
	done
	for p in "${sockets[@]}"; do
		case $p in "$CTRD_SHIM_SOCKETS"/*) rm -f "$p" ;; esac
	done
	[ "$CTRD_VERSION" = 1.6 ] && { rmdir "$CTRD_SHIM_SOCKETS" /run/containerd 2>/dev/null || true; }
	# cgroups a failed test left: ctr's /<namespace>/<id>, and the pods'
	# parent, which the tests name the same
	for p in /sys/fs/cgroup/*/"$CTRD_NS"; do
		[ -d "$p" ] && find "$p" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	CTRD_PID=
}

# make_oci_image NAME DIR OUT CMD...: OUT is an OCI image layout tar
# (oci-layout, index.json, blobs) of one uncompressed layer holding DIR,
# whose config runs CMD; index.json names it NAME for `ctr images import`.
make_oci_image() {
	local name=$1 dir=$2 out=$3 w=$3.d layer config manifest
	shift 3
	rm -rf "$w"
	mkdir -p "$w/blobs/sha256"
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$dir" -cf "$w/layer.tar" .
	layer=$(sha256sum <"$w/layer.tar" | cut -d' ' -f1)
	mv "$w/layer.tar" "$w/blobs/sha256/$layer"
	jq -nc --arg l "sha256:$layer" '{architecture: "amd64", os: "linux",
		config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
			 Cmd: $ARGS.positional},
		rootfs: {type: "layers", diff_ids: [$l]}}' --args "$@" >"$w/config"
	config=$(sha256sum <"$w/config" | cut -d' ' -f1)
	mv "$w/config" "$w/blobs/sha256/$config"
	jq -nc --arg c "sha256:$config" --argjson cs "$(stat -c %s "$w/blobs/sha256/$config")" \
		--arg l "sha256:$layer" --argjson ls "$(stat -c %s "$w/blobs/sha256/$layer")" \
		'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		  config: {mediaType: "application/vnd.oci.image.config.v1+json",
			   digest: $c, size: $cs},
		  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar",
			    digest: $l, size: $ls}]}' >"$w/manifest"
	manifest=$(sha256sum <"$w/manifest" | cut -d' ' -f1)
	mv "$w/manifest" "$w/blobs/sha256/$manifest"
	jq -nc --arg m "sha256:$manifest" --argjson ms "$(stat -c %s "$w/blobs/sha256/$manifest")" \
		--arg n "$name" \
		'{schemaVersion: 2, manifests: [{
		    mediaType: "application/vnd.oci.image.manifest.v1+json",
		    digest: $m, size: $ms,
		    annotations: {"io.containerd.image.name": $n,
				  "org.opencontainers.image.ref.name": ($n | sub(".*:"; ""))}}]}' \
		>"$w/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$w/oci-layout"
	tar -C "$w" -cf "$out" oci-layout index.json blobs
	rm -rf "$w"
}

# images_fresh: both image tars exist and are newer than what they hold.
images_fresh() {
	[ "$CACHE_DIR/pause.tar" -nt "$INTEGRATION_DIR/cri/pause.c" ] &&
		[ "$CACHE_DIR/busybox.tar" -nt "$CACHE_DIR/rootfs/bin/probe" ]
}

# build_images: the pause image (integration/cri/pause.c, static) and the
# busybox image (the rootfs template), built once into the cache.
build_images() {
	local src=$INTEGRATION_DIR/cri/pause.c d
	build_template
	images_fresh && return 0
	# suites may run side by side: one builds, the others wait
	exec {lock}>"$CACHE_DIR/.images.lock"
	flock "$lock"
	if images_fresh; then
		exec {lock}>&-
		return 0
	fi
	d=$(mktemp -d "$CACHE_DIR/pause.XXXXXX")
	gcc -O2 -static -Wall -Wextra -Werror -o "$d/pause" "$src"
	make_oci_image "$CTRD_PAUSE_IMAGE" "$d" "$CACHE_DIR/pause.tar.new" /pause
	make_oci_image "$CTRD_BUSYBOX_IMAGE" "$CACHE_DIR/rootfs" "$CACHE_DIR/busybox.tar.new" sh
	mv "$CACHE_DIR/pause.tar.new" "$CACHE_DIR/pause.tar"
	mv "$CACHE_DIR/busybox.tar.new" "$CACHE_DIR/busybox.tar"
	rm -rf "$d"
	exec {lock}>&-
}

# ctrd_import_images: both images into the k8s.io namespace (CRI's).
ctrd_import_images() {
	ctr_ -n k8s.io images import "$CACHE_DIR/pause.tar" >/dev/null &&
		ctr_ -n k8s.io images import "$CACHE_DIR/busybox.tar" >/dev/null
}
