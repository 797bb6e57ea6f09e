# shellcheck shell=bash
# kernel.sh - the guest kernel for integration/numa, sourced by run.sh.
#
# numa_kernel MODE prints the path of a cached bzImage, fetching it on first
# use; on failure it prints the reason and returns 1. MODE is bpo
# (bookworm-backports' linux-image-amd64, 6.12: has MPOL_WEIGHTED_INTERLEAVE;
# falls back to bookworm's 6.1 and says so), stable (bookworm's 6.1) or a
# path. The package is fetched with apt into a private state and cache
# directory, from the Debian mirror the machine's own apt configuration
# names; the system's apt configuration is not touched, nothing is
# installed, and only vmlinuz is kept. Both kernels build in NUMA, cgroups,
# namespaces, devtmpfs and the 8250 console, so the initramfs needs no
# modules. Needs: $cache (the cache directory).
#
# A caller that needs modules (integration/node) sets kernel_modules to
# their paths under lib/modules/VERSION/kernel/ (e.g. fs/9p/9p.ko.xz); they
# are kept, flat, in the directory "$KERNEL.modules" beside the bzImage,
# with the kernel release in "$KERNEL.release". Such a caller uses a cache
# directory of its own: a cached bzImage without its modules is fetched
# again.
: "${cache:?}"

numa_kernel() {
	local mode=$1 k
	case $mode in
	/* | ./*)
		[ -r "$mode" ] || { echo "$mode is not readable"; return 1; }
		echo "$mode"
		;;
	bpo)
		if k=$(kernel_from_suite "$(codename)-backports"); then
			echo "$k"
			return 0
		fi
		echo "numa: the backports kernel cannot be had ($k); using $(codename)'s," \
			"which lacks MPOL_WEIGHTED_INTERLEAVE (Linux 6.9): that case will be skipped" >&2
		kernel_from_suite "$(codename)"
		;;
	stable) kernel_from_suite "$(codename)" ;;
	*) echo "NUMA_KERNEL=$mode: want bpo, stable or a path"; return 1 ;;
	esac
}

codename() {
	(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
}

# The mirror of the machine's main Debian suite, e.g. http://deb.debian.org/debian/
debian_mirror() {
	local m
	# shellcheck disable=SC2016 # an apt format string, not a shell expansion
	m=$(apt-get indextargets --format '$(REPO_URI)' 'Identifier: Packages' \
		"Codename: $(codename)" 'Origin: Debian' 2>/dev/null | head -n 1)
	echo "${m:-http://deb.debian.org/debian/}"
}

kernel_from_suite() { # SUITE
	local suite=$1
	local k=$cache/vmlinuz-$suite
	if kernel_cached "$k"; then
		echo "$k"
		return 0
	fi
	local lock
	exec {lock}>"$cache/.kernel.lock"
	flock "$lock"
	if ! kernel_cached "$k"; then
		fetch_vmlinuz "$suite" "$k" || { exec {lock}>&-; return 1; }
	fi
	exec {lock}>&-
	echo "$k"
}

kernel_cached() { # KERNEL
	local m
	[ -s "$1" ] || return 1
	# every module asked for (a list grown since the kernel was cached
	# fetches the package again)
	for m in ${kernel_modules:-}; do
		[ -f "$1.modules/${m##*/}" ] || return 1
	done
}

fetch_vmlinuz() { # SUITE DEST
	local suite=$1 dest=$2
	local dir=$cache/apt-$suite
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg signed="" log=$dir/log
	rm -rf "$dir"
	mkdir -p "$dir"/{state/lists/partial,cache/archives/partial,etc/sources.list.d} \
		"$dir"/{etc/preferences.d,dl}
	: >"$dir/state/status"
	[ -r "$keyring" ] && signed="[signed-by=$keyring] "
	echo "deb $signed$(debian_mirror) $suite main" >"$dir/etc/sources.list"
	local -a o=(-o "Dir::State=$dir/state" -o "Dir::State::status=$dir/state/status"
		-o "Dir::Cache=$dir/cache" -o "Dir::Etc::SourceList=$dir/etc/sources.list"
		-o "Dir::Etc::SourceParts=$dir/etc/sources.list.d"
		-o "Dir::Etc::Preferences=$dir/etc/preferences"
		-o "Dir::Etc::PreferencesParts=$dir/etc/preferences.d" -o Debug::NoLocking=1
		-o APT::Architecture=amd64)
	# root's apt downloads as _apt, which cannot write into this directory
	[ "$(id -u)" = 0 ] && o+=(-o APT::Sandbox::User=root)
	if ! timeout 300 apt-get "${o[@]}" -q update >"$log" 2>&1; then
		echo "apt-get update of $suite failed: $(tail -n 1 "$log")"
		return 1
	fi
	# linux-image-amd64 is a metapackage: the image is what it depends on
	local pkg
	pkg=$(apt-cache "${o[@]}" depends linux-image-amd64 2>>"$log" |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
	if [ -z "$pkg" ]; then
		echo "no linux-image-amd64 in $suite"
		return 1
	fi
	if ! (cd "$dir/dl" && timeout 600 apt-get "${o[@]}" -q download "$pkg") >>"$log" 2>&1; then
		echo "apt-get download $pkg failed: $(tail -n 1 "$log")"
		return 1
	fi
	if ! dpkg-deb --fsys-tarfile "$dir"/dl/*.deb | tar -x -O --wildcards './boot/vmlinuz-*' \
		>"$dest.tmp" 2>>"$log" || [ ! -s "$dest.tmp" ]; then
		echo "no vmlinuz in $pkg"
		rm -f "$dest.tmp"
		return 1
	fi
	if [ -n "${kernel_modules:-}" ]; then
		keep_modules "$dir"/dl/*.deb "$dest" 2>>"$log" || { rm -f "$dest.tmp"; return 1; }
	fi
	mv "$dest.tmp" "$dest"
	echo "$pkg" >"$dest.package"
	rm -rf "$dir"
}

# keep_modules DEB DEST: the modules named in $kernel_modules into DEST.modules,
# the kernel release (the lib/modules/VERSION directory's name) into DEST.release.
# (The package puts them under /lib or /usr/lib, depending on its usrmerge.)
keep_modules() {
	local deb=$1 dest=$2 m f x=$dest.x
	local -a want=()
	for m in $kernel_modules; do want+=("*/modules/*/kernel/$m"); done
	rm -rf "$x" "$dest.modules"
	mkdir -p "$x" "$dest.modules"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards "${want[@]}"
	for m in $kernel_modules; do
		f=$(find "$x" -path "*/modules/*/kernel/$m" | head -n 1)
		if [ -z "$f" ]; then
			echo "no module $m in $deb"
			rm -rf "$x" "$dest.modules"
			return 1
		fi
		cp "$f" "$dest.modules/"
	done
	f=${f%/kernel/"$m"}
	echo "${f##*/}" >"$dest.release"
	rm -rf "$x"
}
