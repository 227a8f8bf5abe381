#!/bin/sh
# fuzz.sh - make fuzz: every fuzz target under libFuzzer (clang, ASan+UBSan) for FUZZ_TIME
# seconds each. The targets are tests/fuzz/fuzz_*.c, except fuzz_adapter.c, which is built once
# per type of FUZZ_ADAPTERS (set by the Makefile) into fuzz_<type> with -DFUZZ_TYPE. Seeds are
# read from tests/fuzz/corpus/<target>/; what libFuzzer finds new goes to
# build-fuzz/corpus/<target>/ (merge it by hand if worth keeping), and every crash it finds is
# written into tests/fuzz/corpus/<target>/, so `make check` replays it from then on. Prints one
# summary line per target: runs, coverage, corpus.
#   FUZZ_ADAPTERS="ashby …" tools/fuzz.sh BUILD_DIR LDLIBS...
set -eu
build=$1
shift
time=${FUZZ_TIME:-60}
status=0
mkdir -p "$build/fuzz"
targets=
for src in tests/fuzz/fuzz_*.c; do
	[ "$src" = tests/fuzz/fuzz_adapter.c ] || targets="$targets $(basename "$src" .c)"
done
for type in ${FUZZ_ADAPTERS:-}; do
	targets="$targets fuzz_$type"
done
for name in $targets; do
	bin=$build/fuzz/$name
	src=tests/fuzz/$name.c
	def=
	if [ ! -f "$src" ]; then
		src=tests/fuzz/fuzz_adapter.c
		def="-DFUZZ_TYPE=\"${name#fuzz_}\""
	fi
	clang -std=c11 -D_DEFAULT_SOURCE -Iinclude $(pkg-config --cflags libcurl libpq libconfig yajl libxml-2.0 libpcre2-8 libsystemd) \
		$def -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o "$bin" "$src" "$build/libjobwatch.a" "$@"
	mkdir -p "$build/corpus/$name"
	log=$build/fuzz/$name.log
	if ! LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp "$bin" -max_total_time="$time" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="tests/fuzz/corpus/$name/crash-" \
		"$build/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
		status=1
		echo "$name: CRASH (kept in tests/fuzz/corpus/$name/; log $log)"
		grep -m5 -E "ERROR|SUMMARY" "$log" || true
		continue
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | sed 's/.*cov: \([0-9]*\).*ft: \([0-9]*\).*corp: \([0-9/a-zA-Z]*\).*/cov \1, features \2, corpus \3/')
	echo "$name: $runs runs in ${time} s, $cov"
done
exit $status
