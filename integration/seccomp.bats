#!/usr/bin/env bats
# linux.seccomp, asserted from inside: rules with errno returns, argument
# conditions, an allow-list under a denying default, kill actions, the
# filter with and without no_new_privs, and bad profiles refused up front.

load lib/common

IT_CGROUP_PARENT=mini-it4

setup() { common_setup; }
teardown() { common_teardown; }

# seccomp JSON: sets linux.seccomp.
seccomp() {
	cfg ".linux.seccomp = $1"
}

@test "defaultAction ALLOW with an ERRNO rule: the errnoRet shows, the rest works" {
	make_bundle sh -c 'mkdir /tmp/d 2>&1; echo "rc=$?"; grep Seccomp: /proc/self/status; echo still-running'
	cfg '.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}]'
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
	          "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Disk quota exceeded"* ]] # EDQUOT = 122
	[ "${lines[1]}" = "rc=1" ]
	[ "$(echo "${lines[2]}" | tr -d '\t ')" = "Seccomp:2" ]
	[ "${lines[3]}" = still-running ]
	assert_nothing_left c1
}

@test "an ERRNO rule without errnoRet returns EPERM" {
	make_bundle sh -c 'chmod 600 /tmp/f 2>&1; true'
	cfg '.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}] | .process.args = ["sh", "-c", "touch /tmp/f; chmod 600 /tmp/f 2>&1; stat -c %a /tmp/f"]'
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["chmod", "fchmod", "fchmodat", "fchmodat2"], "action": "SCMP_ACT_ERRNO"}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Operation not permitted"* ]]
	[ "${lines[1]}" = 644 ]
}

@test "args: EQ and MASKED_EQ conditions on personality(2) arg 0" {
	make_bundle sh -c 'probe personality 0x8; probe personality 0x800008; probe personality 0x0; probe personality 0xffffffff'
	# deny PER_LINUX32 exactly (EQ) with EDQUOT, and any persona whose low
	# byte is 8 (MASKED_EQ: arg & 0xff == 8) with ENOSPC
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122,
		 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28,
		 "args": [{"index": 0, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "${lines[0]}" = "personality(0x8): Disk quota exceeded" ]
	[ "${lines[1]}" = "personality(0x800008): No space left on device" ]
	[ "${lines[2]}" = "personality(0x0): ok" ]
	[ "${lines[3]}" = "personality(0xffffffff): ok" ]
}

@test "args: GT and LE conditions" {
	make_bundle sh -c 'probe personality 0x10000; probe personality 0x8; probe personality 0x0'
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122,
		 "args": [{"index": 0, "value": 65535, "op": "SCMP_CMP_GT"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28,
		 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_LE"}, {"index": 0, "value": 1, "op": "SCMP_CMP_GE"}]}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "${lines[0]}" = "personality(0x10000): Disk quota exceeded" ]
	[ "${lines[1]}" = "personality(0x8): No space left on device" ]
}

# What busybox sh running echo and cat needs, and the init after the filter.
ALLOW='["read", "write", "writev", "readv", "open", "openat", "close", "fstat", "newfstatat",
	"stat", "lstat", "statx", "mmap", "munmap", "mprotect", "brk", "rt_sigaction",
	"rt_sigprocmask", "rt_sigreturn", "execve", "exit", "exit_group", "getpid", "getppid",
	"getuid", "geteuid", "getgid", "getegid", "arch_prctl", "set_tid_address", "set_robust_list",
	"rseq", "prlimit64", "ioctl", "fcntl", "dup2", "dup3", "wait4", "clone", "clone3", "vfork",
	"fork", "uname", "access", "faccessat", "faccessat2", "lseek", "getrandom", "readlink",
	"setgroups", "setresuid", "setresgid", "setuid", "setgid", "capget", "capset", "prctl",
	"sigaltstack", "futex", "pread64", "getdents64", "chdir", "getcwd", "pipe", "pipe2"]'

@test "defaultAction ERRNO with an allow-list: listed calls work, others fail" {
	make_bundle sh -c 'echo allowed; cat /etc/passwd | head -1; mkdir /d 2>&1; hostname x 2>&1; true'
	cfg '.root.readonly = false'
	seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 95,
	          \"syscalls\": [{\"names\": $ALLOW, \"action\": \"SCMP_ACT_ALLOW\"}]}"
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = allowed ]
	[ "${lines[1]}" = "root:x:0:0:root:/root:/bin/sh" ]
	[[ "${lines[2]}" == *"mkdir"*"Operation not supported"* ]] # EOPNOTSUPP = 95
	[[ "${lines[3]}" == *"Operation not supported"* ]]
	[ ! -e "$BUNDLE/rootfs/d" ]
}

@test "SCMP_ACT_KILL_PROCESS kills the process with SIGSYS" {
	make_bundle probe personality 8
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq $((128 + 31)) ]
	[ "$output" = "" ]
	assert_nothing_left c1
}

@test "the filter works with noNewPrivileges false and true" {
	make_bundle sh -c 'mkdir /x 2>&1; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status | tr -d "\t "'
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]}'
	for nnp in false true; do
		cfg ".process.noNewPrivileges = $nnp"
		run rt run --bundle "$BUNDLE" "c-$nnp"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == *"Disk quota exceeded"* ]]
		[ "${lines[1]}" = "NoNewPrivs:$([ $nnp = true ] && echo 1 || echo 0)" ]
		[ "${lines[2]}" = "Seccomp:2" ]
		assert_nothing_left "c-$nnp"
	done
}

@test "without no_new_privs the user and capability changes still happen under the filter" {
	# the filter is loaded before them then (it needs CAP_SYS_ADMIN)
	make_bundle sh -c 'id -u; grep CapEff /proc/self/status | tr -d "\t"'
	cfg '.process.noNewPrivileges = false | .process.user = {"uid": 1000, "gid": 1000}
	     | .process.capabilities = {"bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"], "effective": ["CAP_KILL"]}'
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = "CapEff:0000000000000020" ]
}

@test "a syscall name unknown on this architecture is skipped" {
	make_bundle echo ok
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["no_such_syscall_it4", "mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

@test "flags: SECCOMP_FILTER_FLAG_LOG is accepted" {
	make_bundle echo ok
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
	          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	run rt run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

# The program built for a profile is kept under the root (one slot file)
# and loaded by the next container with that profile and by exec; a slot
# whose program was altered, or that holds another profile, is not used.
@test "the filter built once is reused, by run and exec; an altered cache entry is rebuilt" {
	make_bundle sh -c 'mkdir /tmp/d 2>&1; echo "rc=$?"'
	cfg '.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}]'
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]}'
	run rt run --bundle "$BUNDLE" c1
	echo "$output"
	[[ "${lines[0]}" == *"Disk quota exceeded"* ]]
	slots=("$ROOT"/.seccomp-cache/slot-*)
	[ "${#slots[@]}" -eq 1 ] && [ -f "${slots[0]}" ]
	[ "$(stat -c '%a %u' "${slots[0]}")" = "600 0" ]
	[ "$(stat -c %a "$ROOT/.seccomp-cache")" = 700 ]
	run rt run --bundle "$BUNDLE" c2
	[[ "${lines[0]}" == *"Disk quota exceeded"* ]]
	# exec into a running container loads it too
	cfg '.process.args = ["sleep", "100"]'
	rt run --detach --bundle "$BUNDLE" c3
	run rt exec c3 mkdir /tmp/e
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Disk quota exceeded"* ]]
	rt delete --force c3
	# the program's last byte altered: the checksum refuses the entry, the
	# profile is built again (and stored again: the byte is back)
	size=$(stat -c %s "${slots[0]}")
	good=$(tail -c 1 "${slots[0]}" | od -An -tx1)
	printf '\125' | dd of="${slots[0]}" bs=1 seek=$((size - 1)) conv=notrunc status=none
	[ "$(tail -c 1 "${slots[0]}" | od -An -tx1)" != "$good" ]
	cfg '.process.args = ["sh", "-c", "mkdir /tmp/d 2>&1; echo rc=$?"]'
	run rt run --bundle "$BUNDLE" c4
	echo "$output"
	[[ "${lines[0]}" == *"Disk quota exceeded"* ]]
	[ "$(tail -c 1 "${slots[0]}" | od -An -tx1)" = "$good" ]
	# another profile's entry in our slot is never taken for ours
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
	          "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28}]}'
	run rt run --bundle "$BUNDLE" c5
	[[ "${lines[0]}" == *"No space left on device"* ]]
	# (unless both profiles hash to one slot: then c5 just did that)
	other=$(ls "$ROOT"/.seccomp-cache/slot-* | grep -v "^${slots[0]}\$" || true)
	if [ -n "$other" ]; then
		cp "${slots[0]}" "$other"
		run rt run --bundle "$BUNDLE" c6
		echo "$output"
		[[ "${lines[0]}" == *"No space left on device"* ]]
		! cmp -s "${slots[0]}" "$other"
	fi
}

@test "a create that fails leaves no cached filter behind" {
	make_bundle true
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	cfg '.process.args = ["/no/such/program"]'
	run rt create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	assert_nothing_left c1
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

# refused NAME PROFILE MESSAGE: create fails with exit 1 and MESSAGE,
# nothing is left.
refused() {
	make_bundle true
	seccomp "$2"
	run rt create --bundle "$BUNDLE" "$1"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$3"* ]]
	assert_nothing_left "$1"
}

@test "a bad defaultAction is refused naming linux.seccomp.defaultAction" {
	refused c1 '{"defaultAction": "SCMP_ACT_MAYBE"}' \
		'linux.seccomp.defaultAction: unknown action "SCMP_ACT_MAYBE"'
}

@test "a bad rule action is refused naming linux.seccomp.syscalls[N].action" {
	refused c1 '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["chmod"], "action": "SCMP_ACT_EXPLODE"}]}' \
		'linux.seccomp.syscalls[1].action: unknown action "SCMP_ACT_EXPLODE"'
}

@test "an unknown architecture is refused naming linux.seccomp.architectures[N]" {
	refused c1 '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]}' \
		'linux.seccomp.architectures[1]: unknown architecture "SCMP_ARCH_VAX"'
}

@test "an unknown operator is refused naming linux.seccomp.syscalls[N].args[M].op" {
	refused c1 '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO",
		 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 8, "op": "SCMP_CMP_ABOUT"}]}]}' \
		'linux.seccomp.syscalls[0].args[1].op: unknown operator "SCMP_CMP_ABOUT"'
}

@test "an unknown flag is refused naming linux.seccomp.flags[N]" {
	refused c1 '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_MAGIC"]}' \
		'linux.seccomp.flags[0]: unsupported flag "SECCOMP_FILTER_FLAG_MAGIC"'
}

@test "an argument index above 5 is refused naming the field" {
	refused c1 '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 8, "op": "SCMP_CMP_EQ"}]}]}' \
		'linux.seccomp.syscalls[0].args[0].index: 6 is out of range'
}

@test "a rule without names is refused naming linux.seccomp.syscalls[N].names" {
	refused c1 '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}' \
		'linux.seccomp.syscalls[0].names'
}

@test "a missing defaultAction is refused" {
	refused c1 '{"syscalls": []}' 'linux.seccomp.defaultAction: is required'
}
