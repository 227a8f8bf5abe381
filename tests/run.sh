#!/bin/sh
# run.sh - run every test of one or more builds and end with the line CI reads:
# "N passed, N failed" (", N skipped" when some were skipped).
#   tests/run.sh build [build-asan …]
# Unit tests are build/tests/test_* (tests/unit: pure), system tests build/tests/system/test_*
# (tests/system: they start PostgreSQL or an HTTP server), fuzz replays build/tests/fuzz_*;
# integration tests are tests/integration/*.py, run against that build's jobwatchd. Each prints "ok - …", "not ok - …" or "ok - … # skip …" lines.
# TESTS_DIR names another directory of *.py tests (tests/faults); TESTS_UNIT=0 skips the unit
# and system tests and fuzz replays.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for build in "$@"; do
	for t in "$build"/tests/test_* "$build"/tests/system/test_* "$build"/tests/fuzz_*; do
		[ "${TESTS_UNIT:-1}" = 1 ] || continue
		[ -x "$t" ] || continue
		echo "== $t"
		out=$(mktemp)
		"$t" >"$out" 2>&1
		rc=$?
		sed "s|^ok - |ok - $(basename "$build")/$(basename "$t")/|; s|^not ok - |not ok - $(basename "$build")/$(basename "$t")/|" "$out" | tee -a "$log"
		rm -f "$out"
		# a crash or sanitizer abort without a "not ok" line still fails
		[ "$rc" = 0 ] || echo "not ok - $(basename "$build")/$(basename "$t") exited $rc" | tee -a "$log"
	done
	for t in "${TESTS_DIR:-tests/integration}"/test_*.py; do
		[ -f "$t" ] || continue
		echo "== $t ($build)"
		out=$(mktemp)
		JOBWATCHD="$top/$build/jobwatchd" python3 "$t" >"$out" 2>&1
		rc=$?
		sed "s|^ok - |ok - $(basename "$build")/$(basename "$t" .py)/|; s|^not ok - |not ok - $(basename "$build")/$(basename "$t" .py)/|" "$out" | tee -a "$log"
		rm -f "$out"
		# a test that dies before its verdict (set-up failed, an exception) still fails
		[ "$rc" = 0 ] || echo "not ok - $(basename "$build")/$(basename "$t" .py) exited $rc" | tee -a "$log"
	done
done
skipped=$(grep -c '^ok - .*# skip' "$log")
passed=$(($(grep -c '^ok - ' "$log") - skipped))
failed=$(grep -c '^not ok - ' "$log")
[ "$failed" = 0 ] || status=1
[ "$((passed + failed))" -gt 0 ] || status=1
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
exit $status
