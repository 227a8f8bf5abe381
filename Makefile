# jobwatch - see README.md. `make`, `make check`, `make run`, `make install`, `make deps`.
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
PKG_CONFIG ?= pkg-config
PKGS = libcurl libpq libconfig jansson libxml-2.0 libpcre2-8 libsystemd libcrypto

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
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/%,$(FUZZ_SRCS))

SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all tests check check-build run deps install uninstall clean format format-check bench \
	bench-pay bench-adapters bench-scale bench-deps

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

# Fuzz targets built with a standalone driver that replays their corpus (no libFuzzer).
$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) $(BUILD)/libjobwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libjobwatch.a $(LDLIBS)

tests: all $(UNIT_TESTS) $(FUZZ_REPLAY)

# Benchmarks (not tests: they print figures and fail only when a run fails). The pay parser's
# MB/s on the labelled corpora (must stay at 50 MB/s or more), each adapter's MB/s on its
# fixtures, and jobwatchd --once on BENCH_N generated boards served by nginx, against urlwatch
# when it is installed (make bench-deps). `make bench BENCH_N=100` is quick.
BENCH_N ?= 1000

bench: bench-pay bench-adapters bench-scale

bench-pay: $(BUILD)/bench/bench_pay
	$(BUILD)/bench/bench_pay

bench-adapters: $(BUILD)/bench/bench_adapters
	$(BUILD)/bench/bench_adapters

bench-scale: $(BUILD)/jobwatchd
	python3 bench/scale.py --n $(BENCH_N) --jobwatchd $(BUILD)/jobwatchd

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
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run.sh $(BUILD) build-asan

deps-check:
	@$(PKG_CONFIG) --exists $(PKGS) || { echo "missing libraries: run 'make deps' (Debian packages through apt-get)"; \
		$(MAKE) --no-print-directory deps; }

DEB_PACKAGES = build-essential pkg-config libcurl4-openssl-dev libpq-dev libconfig-dev libjansson-dev \
	libxml2-dev libpcre2-dev libsystemd-dev libssl-dev postgresql postgresql-client python3 \
	nginx-light

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PACKAGES)

# Run jobwatch for real: a private PostgreSQL under var/ unless the config names a database.
run: deps-check all
	./tools/run.sh $(BUILD)/jobwatchd config/jobwatch.conf

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(SQLDIR) $(DESTDIR)$(SYSCONFDIR)/jobwatch
	install -m 755 $(BUILD)/jobwatchd $(DESTDIR)$(PREFIX)/sbin/jobwatchd
	install -m 644 sql/*.sql $(DESTDIR)$(SQLDIR)/
	[ -e $(DESTDIR)$(SYSCONFDIR)/jobwatch/jobwatch.conf ] || \
		install -m 640 config/jobwatch.conf $(DESTDIR)$(SYSCONFDIR)/jobwatch/jobwatch.conf
	install -d $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 644 man/jobwatchd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 man/jobwatch.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/

clean:
	rm -rf build build-asan build-fuzz

format:
	clang-format -i src/*.c src/sources/*.c include/*.h tests/unit/*.c bench/*.c

format-check:
	clang-format --dry-run --Werror src/*.c src/sources/*.c include/*.h tests/unit/*.c bench/*.c

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
