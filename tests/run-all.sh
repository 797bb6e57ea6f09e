#!/bin/bash
# Runs every test: the Check unit tests in BUILD/tests, then the integration
# suites (integration/*.bats) against the runtime binary. Ends with one line
# "N passed, N failed, N skipped". Exit 0 only if nothing failed.
#   tests/run-all.sh BUILD RUNTIME [BATS_FILE...]
set -u
build=${1:?build dir}
runtime=$(realpath "${2:?runtime binary}")
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 skipped=0

for t in "$build"/tests/check_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	echo "$out" | grep -E '^[0-9]+%: Checks' | sed "s|^|$(basename "$t"): |"
	echo "$out" | grep -E ':[EF]:' | head -20
	# a unit test that needs what this machine lacks says "skip: WHAT: WHY"
	echo "$out" | grep -E '^skip: '
	skipped=$((skipped + $(echo "$out" | grep -cE '^skip: ')))
	line=$(echo "$out" | grep -E '^[0-9]+%: Checks' | tail -1)
	checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	fails=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	errs=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	if [ -z "$line" ]; then
		echo "$(basename "$t"): crashed"; failed=$((failed + 1)); continue
	fi
	passed=$((passed + checks - fails - errs))
	failed=$((failed + fails + errs))
done

if [ "$(id -u)" != 0 ]; then
	echo "integration: skipped, it needs root"
	skipped=$((skipped + 1))
else
	if [ $# -eq 0 ]; then set -- "$top"/integration/*.bats; fi
	tap=$(mktemp)
	reaper=$build/tests/reaper
	gcc -O2 -Wall -o "$reaper" "$top/integration/lib/reaper.c"
	# a hung test fails (and says so) instead of hanging the run
	MINI_RUNTIME=$runtime BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-600} \
		"$reaper" bats --tap "$@" 2>&1 | tee "$tap"
	p=$(grep -cE '^ok [0-9]+' "$tap" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+ .*# skip' "$tap" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$tap" | tr -d ' ')
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if ! grep -qE '^1\.\.[0-9]+' "$tap"; then
		echo "integration: bats did not run"; failed=$((failed + 1))
	fi
	rm -f "$tap"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
