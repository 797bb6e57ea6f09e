# critest.bash - critest (cri-tools v1.37.0, the CRI validation suite of
# Kubernetes) against this test's containerd 2.4, for integration/critest.bats.
# Load after containerd.bash. No registry is reachable: critest's images are
# stand-ins built here from the busybox rootfs template (integration/critest/
# has the two programs they need) and pushed to a registry of our own
# (`crane registry serve`), which containerd's hosts.toml makes the only
# host of every registry critest names (a mirror drops the host name:
# registry.k8s.io/e2e-test-images/busybox:1.29-2 is
# localhost:PORT/e2e-test-images/busybox:1.29-2; critest's -registry-prefix
# would do it too, but 1.37 drops the tag there). containerd, the registry
# and critest run in a network namespace of the test's own (a bridge CNI
# network for the pods, with lo up), so no address or iptables rule of the
# host's is touched.

CRITEST_PORT=5000
CRITEST_REGISTRY=localhost:$CRITEST_PORT

# critest_netns: $CTRD_NETNS, a new network namespace held by a sleep
# ($CRITEST_NS_PID), with lo up.
critest_netns() {
	unshare --net sleep infinity 3>&- &
	CRITEST_NS_PID=$!
	for i in $(seq 50); do
		[ "$(readlink /proc/$CRITEST_NS_PID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.1
	done
	CTRD_NETNS=/proc/$CRITEST_NS_PID/ns/net
	nsenter --net="$CTRD_NETNS" ip link set lo up
}

# in_netns CMD...: CMD in the test's network namespace.
in_netns() {
	nsenter --net="$CTRD_NETNS" "$@"
}

# critest_cni: a bridge network for the pods (host-local IPAM, portmap for
# hostPort), its state under $CTRD, Debian's plugins.
critest_cni() {
	CTRD_CNI=/usr/lib/cni
	mkdir -p "$CTRD/cni/conf"
	jq -n --arg ipam "$CTRD/cni/ipam" '{cniVersion: "1.0.0", name: "critest", plugins: [
		{type: "bridge", bridge: "cni-critest", isGateway: true, ipMasq: false,
		 ipam: {type: "host-local", dataDir: $ipam,
			ranges: [[{subnet: "10.88.0.0/16"}]], routes: [{dst: "0.0.0.0/0"}]}},
		{type: "portmap", capabilities: {portMappings: true}},
		{type: "loopback"}]}' >"$CTRD/cni/conf/10-critest.conflist"
}

# critest_registry CRANE: the registry (in memory) on localhost:$CRITEST_PORT
# in the namespace, and a hosts.toml for each registry host critest names
# whose server and only host is it, over plain HTTP: no fallback.
critest_registry() {
	local crane=$1
	# not through in_netns: $! must be nsenter, which becomes crane
	nsenter --net="$CTRD_NETNS" "$crane" registry serve --address "127.0.0.1:$CRITEST_PORT" \
		>"$CTRD/registry.log" 2>&1 3>&- &
	CRITEST_REGISTRY_PID=$!
	for h in registry.k8s.io k8s.gcr.io gcr.io docker.io quay.io; do
		mkdir -p "$CTRD/certs.d/$h"
		cat >"$CTRD/certs.d/$h/hosts.toml" <<-EOF
			server = "http://$CRITEST_REGISTRY"
			[host."http://$CRITEST_REGISTRY"]
			  capabilities = ["pull", "resolve"]
		EOF
	done
	for i in $(seq 50); do
		in_netns "$crane" catalog --insecure "$CRITEST_REGISTRY" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$CTRD/registry.log"
	return 1
}

# push CRANE DIR REF [MUTATE-ARGS...]: DIR as a one-layer image REF (a path
# under the registry), its config set by crane mutate's ARGS and a label
# naming REF: images pushed from the same DIR differ, as critest's real ones
# do (an image's tags are listed by digest).
push() {
	local crane=$1 dir=$2 ref=$CRITEST_REGISTRY/$3 tar
	shift 3
	tar=$CTRD/img.tar
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$dir" -cf "$tar" .
	in_netns "$crane" append --insecure --oci-empty-base -f "$tar" -t "$ref" >>"$CTRD/crane.log" 2>&1 &&
		in_netns "$crane" mutate --insecure "$ref" -t "$ref" \
			--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			-l "org.mini-runtime.test.image=${ref#*/}" \
			"$@" >>"$CTRD/crane.log" 2>&1
}

# critest_busybox ROOTFS: Debian's dynamic busybox (and the libraries it
# needs, from this host) in ROOTFS/bin: its shell runs other applets by
# exec, as the real image's does, so critest's MaskedPaths spec (which
# masks /bin/ls and runs `sh -c ls`) can see the mask; busybox-static runs
# them in-process. The .deb comes once with `apt-get download` (no
# install: busybox-static conflicts); without it, busybox-static, and that
# spec fails for every runtime.
critest_busybox() {
	local d=$CACHE_DIR/busybox-deb lock
	if [ ! -x "$d/bin/busybox" ]; then
		exec {lock}>"$CACHE_DIR/.busybox.lock"
		flock "$lock"
		if [ ! -x "$d/bin/busybox" ]; then
			rm -rf "$d.new" && mkdir -p "$d.new"
			(cd "$d.new" && apt-get download -q busybox >/dev/null 2>&1 &&
				dpkg-deb -x busybox_*.deb .) && mv "$d.new" "$d"
			rm -rf "$d.new"
		fi
		exec {lock}>&-
	fi
	if [ -x "$d/bin/busybox" ]; then
		cp "$d/bin/busybox" "$1/bin/busybox"
		cp -L /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libresolv.so.2 \
			"$1/lib/x86_64-linux-gnu/"
		cp -L /lib64/ld-linux-x86-64.so.2 "$1/lib64/"
	else
		echo "critest: no dynamic busybox (apt-get download busybox failed): busybox-static" >&2
		cp /bin/busybox "$1/bin/busybox"
	fi
}

# critest_images CRANE: the stand-ins of every image critest 1.37 pulls, but
# the digest-pinned one (its digest is the real image's).
critest_images() {
	local crane=$1 w=$CTRD/images src=$INTEGRATION_DIR/critest b i
	rm -rf "$w"
	mkdir -p "$w"
	b=$w/busybox
	mkdir -p "$b"/{bin,proc,sys,dev,tmp,root,var/run,home,usr/share/nginx/html,usr/local/bin}
	mkdir -p "$b"/{usr/sbin,etc,lib/x86_64-linux-gnu,lib64}
	critest_busybox "$b"
	# hard links, not symlinks: critest masks /bin/ls, which must not be
	# the shell too
	for i in $("$b/bin/busybox" --list); do
		[ -e "$b/bin/$i" ] || ln "$b/bin/busybox" "$b/bin/$i"
	done
	cat >"$b/etc/passwd" <<-EOF
		root:x:0:0:root:/root:/bin/sh
		daemon:x:1:1:daemon:/usr/sbin:/bin/false
		bin:x:2:2:bin:/bin:/bin/false
		sys:x:3:3:sys:/dev:/bin/false
		sync:x:4:100:sync:/bin:/bin/sync
		mail:x:8:8:mail:/var/spool/mail:/bin/false
		www-data:x:33:33:www-data:/var/www:/bin/false
		operator:x:37:37:Operator:/var:/bin/false
		nobody:x:65534:65534:nobody:/home:/bin/false
	EOF
	cat >"$b/etc/group" <<-EOF
		root:x:0:
		daemon:x:1:
		bin:x:2:
		sys:x:3:
		adm:x:4:
		tty:x:5:
		disk:x:6:
		wheel:x:10:root
		mail:x:12:
		www-data:x:33:
		operator:x:37:
		users:x:100:
		nogroup:x:65534:
	EOF
	# busybox-static has neither pgrep nor ipcs
	cat >"$b/bin/pgrep" <<-'EOF'
		#!/bin/sh
		# pgrep NAME: the pids whose command name is NAME
		found=1
		for d in /proc/[0-9]*; do
			[ "$(cat "$d/comm" 2>/dev/null)" = "$1" ] && echo "${d#/proc/}" && found=0
		done
		exit $found
	EOF
	cat >"$b/bin/ipcs" <<-'EOF'
		#!/bin/sh
		# ipcs -m: the System V shared memory segments of this IPC namespace
		echo "------ Shared Memory Segments --------"
		echo "key        shmid      owner      perms      bytes      nattch     status"
		awk 'NR > 1 { printf "0x%08x %-10s %-10s %-10s %-10s %-10s\n", $1, $2, $8, $3, $4, $7 }' \
			/proc/sysvipc/shm
	EOF
	chmod 0755 "$b/bin/pgrep" "$b/bin/ipcs"
	echo "Welcome to nginx!" >"$b/usr/share/nginx/html/index.html"
	gcc -O2 -static -Wall -Wextra -Werror -o "$b/usr/sbin/nginx" "$src/nginx.c"
	gcc -O2 -static -Wall -Wextra -Werror -o "$b/usr/local/bin/nnp" "$src/nnp.c"
	chmod 4755 "$b/usr/local/bin/nnp"
	cat >"$b/usr/local/bin/httpd-foreground" <<-'EOF'
		#!/bin/sh
		echo "httpd: serving /usr/share/nginx/html on :80"
		exec /bin/busybox httpd -f -p 80 -h /usr/share/nginx/html
	EOF
	chmod 0755 "$b/usr/local/bin/httpd-foreground"

	local e2e=e2e-test-images cri=k8s-staging-cri-tools
	push "$crane" "$b" $e2e/busybox:1.29-2 --cmd sh &&
		push "$crane" "$b" $e2e/nginx:1.14-2 --entrypoint /usr/sbin/nginx --exposed-ports 80 &&
		push "$crane" "$b" $e2e/httpd:2.4.39-4 --entrypoint /usr/local/bin/httpd-foreground &&
		push "$crane" "$b" $e2e/nonewprivs:1.3 --entrypoint /usr/local/bin/nnp &&
		push "$crane" "$b" $cri/hostnet-nginx-amd64:latest --entrypoint /usr/sbin/nginx \
			--cmd 12003 &&
		push "$crane" "$b" pause:3.9 --entrypoint /bin/sleep --cmd infinity &&
		push "$crane" "$b" $cri/test-image-user-uid:latest --cmd sh --user 1002 &&
		push "$crane" "$b" $cri/test-image-user-username:latest --cmd sh --user www-data &&
		push "$crane" "$b" $cri/test-image-user-uid-group:latest --cmd sh --user 1003:users &&
		push "$crane" "$b" $cri/test-image-user-username-group:latest --cmd sh \
			--user www-data:users &&
		push "$crane" "$b" $cri/test-image-latest:latest --cmd sh &&
		push "$crane" "$b" $cri/test-image-tag:test --cmd sh &&
		push "$crane" "$b" $cri/test-image-tag:all --cmd sh || return 1
	for i in 1 2 3; do
		cp -a "$b" "$w/t$i" && echo "$i" >"$w/t$i/test-$i"
		push "$crane" "$w/t$i" "$cri/test-image-$i:latest" --cmd sh || return 1
		rm -rf "$w/t$i"
	done
	push "$crane" "$b" $cri/test-image-tags:1 --cmd sh || return 1
	for i in 2 3; do
		in_netns "$crane" tag --insecure "$CRITEST_REGISTRY/$cri/test-image-tags:1" "$i" \
			>>"$CTRD/crane.log" 2>&1 || return 1
	done
	cp -a "$b" "$w/pg"
	echo "default-user:x:1000:1000:Linux User,,,:/home/default-user:/bin/sh" >>"$w/pg/etc/passwd"
	echo "default-user:x:1000:" >>"$w/pg/etc/group"
	echo "group-defined-in-image:x:50000:default-user" >>"$w/pg/etc/group"
	push "$crane" "$w/pg" $cri/test-image-predefined-group:latest --cmd sh --user 1000
}

# critest_run HANDLER REPORT_DIR: critest with HANDLER as the runtime
# handler, its JSON report in REPORT_DIR/critest.json; the spec summary
# "passed failed skipped" on stdout (critest's own output in REPORT_DIR/log).
# A failed spec is tried once more (ginkgo's flake-attempts), for both
# handlers alike: the NRI synchronization specs race a plugin's start on a
# loaded 2-core machine (seen failing for either runtime now and then).
critest_run() {
	local handler=$1 out=$2 bin=$3
	mkdir -p "$out"
	in_netns timeout 1500 "$bin" -runtime-endpoint "unix://$CTRD_SOCK" \
		-image-endpoint "unix://$CTRD_SOCK" -runtime-handler "$handler" \
		-runtime-service-timeout 90s -nri-socket "$CTRD/nri.sock" \
		-ginkgo.json-report "$out/critest.json" -ginkgo.no-color \
		-ginkgo.flake-attempts 2 ${CRITEST_ARGS:-} \
		>"$out/log" 2>&1 3>&- || true
	jq -r '[.[0].SpecReports[] | select(.LeafNodeType == "It")] |
		"\(map(select(.State == "passed")) | length) \(map(select(.State == "failed" or .State == "timedout" or .State == "panicked")) | length) \(map(select(.State == "skipped" or .State == "pending")) | length)"' \
		"$out/critest.json"
}

# critest_specs REPORT_DIR STATE: the names of the specs in STATE, sorted.
critest_specs() {
	jq -r --arg s "$2" '.[0].SpecReports[] | select(.LeafNodeType == "It")
		| select(.State == $s or ($s == "failed" and (.State == "timedout" or .State == "panicked")))
		| ((.ContainerHierarchyTexts // []) + [.LeafNodeText] | join(" "))' \
		"$1/critest.json" | sort
}

# critest_table RUNC_DIR MINI_DIR: the docs' table, every spec that is not
# passed by both, with each handler's state and critest's first line of why.
critest_table() {
	jq -rn --slurpfile r "$1/critest.json" --slurpfile m "$2/critest.json" '
		def specs(f): [f[0][0].SpecReports[] | select(.LeafNodeType == "It")
			| {key: ((.ContainerHierarchyTexts // []) + [.LeafNodeText] | join(" ")),
			   value: {state: .State, why: (.Failure.Message // "" | split("\n")[0])}}]
			| from_entries;
		specs($r) as $R | specs($m) as $M
		| "| spec | runc 1.5.3 | mini-runtime | why |", "|---|---|---|---|",
		  ([$R, $M | keys[]] | unique[] | select($R[.].state != "passed" or $M[.].state != "passed")
		   | "| \(.) | \($R[.].state // "-") | \($M[.].state // "-") | \(([$R[.].why, $M[.].why] | map(select(. != null and . != "")) | unique | join("; ") | .[0:160]) as $w
		     | if $w == "" and test("benchmark") then "a benchmark: critest runs them with -benchmark" else $w end) |")'
}
