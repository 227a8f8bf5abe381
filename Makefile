# jobwatch - see README.md. `make`, `make check`, `make run`, `make install`, `make deps`.
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
PKG_CONFIG ?= pkg-config
PKGS = libcurl libpq libconfig yajl libxml-2.0 libpcre2-8 libsystemd libcrypto libxxhash

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-unused-parameter -Wvla -Wpointer-arith
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude $(WARNINGS) $(WERROR) \
	$(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP \
	-DJOBWATCH_VERSION='"$(VERSION)"' -DJOBWATCH_SQLDIR='"$(SQLDIR)"'
LDLIBS = $(PKG_LIBS) -lm
VERSION = 0.1.0
SQLDIR ?= $(PREFIX)/share/jobwatch/sql

SRCS := $(wildcard src/*.c src/sources/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
# tests/unit: pure tests; tests/system: tests that start PostgreSQL or an HTTP server. Both are
# built into $(BUILD)/tests/ and $(BUILD)/tests/system/ and run by tests/run.sh.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
SYSTEM_TESTS := $(patsubst tests/system/%.c,$(BUILD)/tests/system/%,$(wildcard tests/system/test_*.c))
# One fuzz source, tests/fuzz/fuzz_adapter.c, built once per adapter type into fuzz_<type>.
FUZZ_ADAPTERS = ashby bamboohr eightfold greenhouse jsonld lever personio recruitee \
	smartrecruiters teamtailor workable workday
FUZZ_SRCS := $(filter-out tests/fuzz/fuzz_adapter.c,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/%,$(FUZZ_SRCS)) \
	$(FUZZ_ADAPTERS:%=$(BUILD)/tests/fuzz_%)

SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all tests check check-faults fuzz check-build run deps install uninstall clean format \
	format-check bench bench-pay bench-adapters bench-scale bench-details bench-deps

all: $(BUILD)/jobwatchd

$(BUILD)/jobwatchd: $(BUILD)/src/main.o $(BUILD)/libjobwatch.a
	$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libjobwatch.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libjobwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $< $(BUILD)/libjobwatch.a $(LDLIBS)

$(BUILD)/tests/system/test_%: tests/system/test_%.c $(BUILD)/libjobwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $< $(BUILD)/libjobwatch.a $(LDLIBS)

# Fuzz targets built with a standalone driver that replays their corpus (no libFuzzer).
$(FUZZ_ADAPTERS:%=$(BUILD)/tests/fuzz_%): $(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_adapter.c tests/fuzz/replay.c $(BUILD)/libjobwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_TYPE='"$*"' $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libjobwatch.a $(LDLIBS)

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libjobwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libjobwatch.a $(LDLIBS)

# The benchmarks are built with the tests (not run: make bench does), so that a change to the
# library they call cannot leave them unbuildable until someone measures.
BENCH_BINS = $(BUILD)/bench/bench_pay $(BUILD)/bench/bench_adapters

tests: all $(UNIT_TESTS) $(SYSTEM_TESTS) $(FUZZ_REPLAY) $(BENCH_BINS)

# Benchmarks (not tests: they print figures and fail only when a run fails). The pay parser's
# MB/s on the labelled corpora (must stay at 50 MB/s or more), each adapter's MB/s on its
# fixtures, and jobwatchd --once on BENCH_N generated boards served by nginx, against urlwatch
# when it is installed (make bench-deps). `make bench BENCH_N=100` is quick.
BENCH_N ?= 1000
BENCH_ROUNDS ?= 3

bench: bench-pay bench-adapters bench-scale bench-details

bench-pay: $(BUILD)/bench/bench_pay
	$(BUILD)/bench/bench_pay

bench-adapters: $(BUILD)/bench/bench_adapters
	$(BUILD)/bench/bench_adapters

bench-scale: $(BUILD)/jobwatchd
	python3 bench/scale.py --n $(BENCH_N) --rounds $(BENCH_ROUNDS) --jobwatchd $(BUILD)/jobwatchd

# Detail reads: 200 Workday/Eightfold tenants of 50 postings whose lists lack the pay.
bench-details: $(BUILD)/jobwatchd
	python3 bench/details.py --jobwatchd $(BUILD)/jobwatchd

# urlwatch, only for the comparison in bench-scale.
bench-deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq urlwatch

$(BUILD)/bench/bench_%: bench/bench_%.c $(BUILD)/libjobwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $< $(BUILD)/libjobwatch.a $(LDLIBS)

# The whole suite, on a normal build and on an ASan+UBSan build, ending with "N passed, N failed".
check: deps-check
	$(MAKE) tests
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run.sh $(BUILD) build-asan

# The slow fault matrix (PostgreSQL restarted and stopped for a minute, misbehaving servers) on
# both builds; FAULT_PG_DOWN=SECONDS shortens the outage.
check-faults: deps-check
	$(MAKE) tests
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g" EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TESTS_UNIT=0 TESTS_DIR=tests/faults tests/run.sh $(BUILD) build-asan

# libFuzzer on every fuzz target for FUZZ_TIME seconds (60) each; crashes are kept in the
# target's corpus, which make check replays.
FUZZ_TIME ?= 60
fuzz: deps-check
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g" WERROR= \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" build-fuzz/libjobwatch.a
	FUZZ_TIME=$(FUZZ_TIME) FUZZ_ADAPTERS="$(FUZZ_ADAPTERS)" tools/fuzz.sh build-fuzz $(LDLIBS)

deps-check:
	@$(PKG_CONFIG) --exists $(PKGS) || { echo "missing libraries: run 'make deps' (Debian packages through apt-get)"; \
		$(MAKE) --no-print-directory deps; }
	@for t in $(TEST_TOOLS); do command -v $$t >/dev/null || { echo "missing $$t: make deps"; \
		$(MAKE) --no-print-directory deps; break; }; done

DEB_PACKAGES = build-essential pkg-config libcurl4-openssl-dev libpq-dev libconfig-dev libyajl-dev \
	libxml2-dev libpcre2-dev libsystemd-dev libssl-dev libxxhash-dev postgresql postgresql-client python3 \
	nginx-light valgrind clang $(TEST_PACKAGES)
# tests/integration/test_service.py: the unit (systemd-analyze), man pages, a traced run
TEST_PACKAGES = systemd man-db groff-base strace
TEST_TOOLS = systemd-analyze man groff strace

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PACKAGES)

# Run jobwatch for real: a private PostgreSQL under var/ unless the config names a database.
run: deps-check all
	./tools/run.sh $(BUILD)/jobwatchd config/jobwatch.conf

# Install paths. SBINDIR, SYSCONFDIR and SQLDIR are also written into the unit (ExecStart=,
# -c) and compiled into the binary (the default --sql-dir), so set them at `make install` too.
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMD_PC = $(shell $(PKG_CONFIG) --variable=$(1) systemd 2>/dev/null)
SYSTEMDUNITDIR ?= $(or $(call SYSTEMD_PC,systemdsystemunitdir),/lib/systemd/system)
SYSUSERSDIR ?= $(or $(call SYSTEMD_PC,sysusersdir),/usr/lib/sysusers.d)
TMPFILESDIR ?= $(or $(call SYSTEMD_PC,tmpfilesdir),/usr/lib/tmpfiles.d)
CONFDIR = $(SYSCONFDIR)/jobwatch

# main.o carries SQLDIR: rebuild it when SQLDIR changes (make install PREFIX=/usr after make).
$(BUILD)/src/main.o: $(BUILD)/sqldir.txt
$(BUILD)/sqldir.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SQLDIR)' | cmp -s - $@ || echo '$(SQLDIR)' >$@
FORCE:

# The config is installed only when there is none (an edited one is never overwritten); the
# unit gets the installed paths. The SQL files replace those of an earlier install: left
# there, the files folded into sql/020_schema.sql would run again on an empty database (and
# two files numbered 020 are refused). As root and without DESTDIR, the user and its files
# are made.
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SQLDIR) $(DESTDIR)$(CONFDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 755 $(BUILD)/jobwatchd $(DESTDIR)$(SBINDIR)/jobwatchd
	rm -f $(DESTDIR)$(SQLDIR)/*.sql
	install -m 644 sql/*.sql $(DESTDIR)$(SQLDIR)/
	[ -e $(DESTDIR)$(CONFDIR)/jobwatch.conf ] || \
		install -m 640 config/jobwatch.conf $(DESTDIR)$(CONFDIR)/jobwatch.conf
	install -m 644 man/jobwatchd.8 $(DESTDIR)$(MANDIR)/man8/jobwatchd.8
	install -m 644 man/jobwatch.conf.5 $(DESTDIR)$(MANDIR)/man5/jobwatch.conf.5
	install -m 644 man/jobwatch.7 $(DESTDIR)$(MANDIR)/man7/jobwatch.7
	sed -e 's|/usr/local/sbin/jobwatchd|$(SBINDIR)/jobwatchd|g' \
		-e 's|/etc/jobwatch/|$(CONFDIR)/|g' systemd/jobwatchd.service >$(BUILD)/jobwatchd.service
	install -m 644 $(BUILD)/jobwatchd.service $(DESTDIR)$(SYSTEMDUNITDIR)/jobwatchd.service
	install -m 644 systemd/jobwatch.sysusers $(DESTDIR)$(SYSUSERSDIR)/jobwatch.conf
	sed -e 's|/etc/jobwatch|$(CONFDIR)|g' systemd/jobwatch.tmpfiles >$(BUILD)/jobwatch.tmpfiles
	install -m 644 $(BUILD)/jobwatch.tmpfiles $(DESTDIR)$(TMPFILESDIR)/jobwatch.conf
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v systemd-sysusers >/dev/null; then \
		systemd-sysusers $(SYSUSERSDIR)/jobwatch.conf && \
		systemd-tmpfiles --create $(TMPFILESDIR)/jobwatch.conf; \
	else \
		echo "then, as root: systemd-sysusers jobwatch.conf && systemd-tmpfiles --create jobwatch.conf"; \
	fi

# Removes what install put there except the config (and the jobwatch user), like a package.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/jobwatchd $(DESTDIR)$(SQLDIR)/*.sql \
		$(DESTDIR)$(MANDIR)/man8/jobwatchd.8 $(DESTDIR)$(MANDIR)/man5/jobwatch.conf.5 \
		$(DESTDIR)$(MANDIR)/man7/jobwatch.7 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/jobwatchd.service $(DESTDIR)$(SYSUSERSDIR)/jobwatch.conf \
		$(DESTDIR)$(TMPFILESDIR)/jobwatch.conf
	-rmdir $(DESTDIR)$(SQLDIR) $(DESTDIR)$(dir $(SQLDIR)) 2>/dev/null

clean:
	rm -rf build build-asan build-fuzz

format:
	clang-format -i src/*.c src/sources/*.c include/*.h tests/unit/*.c tests/system/*.c bench/*.c

format-check:
	clang-format --dry-run --Werror src/*.c src/sources/*.c include/*.h tests/unit/*.c tests/system/*.c bench/*.c

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
