# mini-runtime - a small, fast OCI container runtime.
#   make            build ./mini-runtime (static, -O2, warnings are errors)
#   make test       install what is missing, build, run unit + integration tests
#   make asan       the same tests against an ASan+UBSan build
#   make fuzz       libFuzzer on the config and memory-policy parsers (FUZZ_SECONDS=60)
#   make test-numa  memory policy placement in emulated NUMA guests (QEMU)
#   make test-node  the node guest's suites (systemd, cgroup2 only; QEMU)
#   make demo       build, make a busybox bundle from config.json.example, run it
#   make install    PREFIX=/usr/local

PREFIX ?= /usr/local
CC ?= cc
PKGS := jansson libcap libseccomp
BUILD ?= build

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
CPPFLAGS += -D_GNU_SOURCE -Ipolicy -Iruntime
# TEST_HOOKS=1: a test build that honours MINI_RUNTIME_TEST_PAUSE (util.h);
# integration/stress.bats makes one. Never in a release build.
ifeq ($(TEST_HOOKS),1)
CPPFLAGS += -DMINI_TEST_HOOKS
endif
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -fno-strict-aliasing
# Static by default: no dynamic loader work on the start path, and one file
# to put in a guest's initramfs. `make asan` builds dynamically.
LDSTATIC ?= -static
LDLIBS += $(shell pkg-config --libs --static $(PKGS) 2>/dev/null || echo -ljansson -lcap -lseccomp)
LDLIBS += -lm
# libdbus for the systemd cgroup driver (runtime/systemd_bus.c): linked
# statically, its libsystemd needs met by runtime/systemd_bus_static.c
CPPFLAGS += $(shell pkg-config --cflags dbus-1 2>/dev/null || echo -I/usr/include/dbus-1.0 -I/usr/lib/$$(gcc -dumpmachine)/dbus-1.0/include)
LDLIBS += -ldbus-1

POLICY_SRC := $(wildcard policy/*.c)
RUNTIME_SRC := $(wildcard runtime/*.c runtime/commands/*.c)
RUNTIME_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(RUNTIME_SRC) $(POLICY_SRC))
UNIT_TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/check_*.c))

.PHONY: all test unit integration asan demo install deps clean format compdb bench test-numa test-node \
	fuzz fuzz-targets

all: mini-runtime

# rename, not overwrite: a running container's init may be executing it
mini-runtime: $(BUILD)/mini-runtime
	cp $< $@.tmp && mv -f $@.tmp $@

# the entry point re-executes before glibc starts (runtime/selfexe_early.c:
# x86-64 and aarch64; other targets start at glibc's _start)
comma := ,
ENTRY := $(if $(filter x86_64-% aarch64-%,$(shell $(CC) -dumpmachine)),-Wl$(comma)-e$(comma)selfexe_entry)
$(BUILD)/mini-runtime: $(RUNTIME_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(LDSTATIC) $(ENTRY) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard policy/*.h runtime/*.h runtime/commands/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Each unit test links the module objects it tests (everything but main.o).
TEST_OBJ := $(filter-out $(BUILD)/runtime/main.o,$(RUNTIME_OBJ))
$(BUILD)/tests/%: tests/%.c $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs check) $(LDLIBS)

# the device program's start-path cost (bench/README.md)
$(BUILD)/bench/devbpf: bench/devbpf.c $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^ $(LDLIBS)

# linux.seccomp's start-path cost, phase by phase (bench/README.md)
$(BUILD)/bench/seccompbench: bench/seccompbench.c $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@tests/install-deps.sh

unit: $(UNIT_TESTS)

test: deps
	$(MAKE) all unit
	@tests/run-all.sh $(BUILD) ./mini-runtime

# NUMA placement in emulated multi-node QEMU guests (integration/numa/README.md)
test-numa: all
	@integration/numa/run.sh ./mini-runtime

# the suites tests/run-all.sh runs in the node guest (integration/node/README.md)
test-node: all
	@integration/node/run.sh ./mini-runtime $$(sed -n 's/^NODE_SUITES="\(.*\)"$$/\1/p' tests/run-all.sh)

asan:
	$(MAKE) BUILD=build-asan LDSTATIC= CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" build-asan/mini-runtime
	$(MAKE) BUILD=build-asan LDSTATIC= CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" unit
	ASAN_OPTIONS=detect_leaks=1 tests/run-all.sh build-asan build-asan/mini-runtime

# make fuzz: the libFuzzer targets tests/fuzz_*.c (config parser, memory
# policy parser) built with Debian's clang under ASan+UBSan, each run for
# FUZZ_SECONDS from its seed corpus tests/corpus/NAME/ (and NAME.dict); new inputs go to
# $(FUZZ_BUILD)/corpus/NAME, a crash to $(FUZZ_BUILD)/crash-NAME-*.
FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
FUZZ_TARGETS = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/fuzz_*.c))

fuzz:
	@command -v clang >/dev/null && [ -n "$$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a | grep /)" ] || \
		{ echo "fuzz: installing clang and libclang-rt-dev"; apt-get install -y -q clang libclang-rt-dev >/dev/null; }
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang LDSTATIC= WARN="-Wall -Wextra" \
		CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" fuzz-targets
	@for t in $(FUZZ_BUILD)/tests/fuzz_*; do \
		n=$${t##*/fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
			$$([ -f tests/corpus/$$n.dict ] && echo -dict=tests/corpus/$$n.dict) \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$n- -print_final_stats=1 \
			$(FUZZ_BUILD)/corpus/$$n tests/corpus/$$n 2>$(FUZZ_BUILD)/$$n.log || \
			{ tail -60 $(FUZZ_BUILD)/$$n.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_BUILD)/$$n.log; \
	done

fuzz-targets: $(FUZZ_TARGETS)

# libFuzzer supplies main(); the runtime's objects are built with
# -fsanitize=fuzzer-no-link by the fuzz target above
$(BUILD)/tests/fuzz_%: tests/fuzz_%.c $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

demo: deps all
	@integration/lib/demo.sh ./mini-runtime

bench: deps all
	@bench/run.sh ./mini-runtime

install: mini-runtime
	install -D -m 0755 mini-runtime $(DESTDIR)$(PREFIX)/bin/mini-runtime

format:
	clang-format -i policy/*.[ch] runtime/*.[ch] runtime/commands/*.[ch] tests/*.c

compdb:
	$(MAKE) clean && bear -- $(MAKE) all unit

clean:
	rm -rf build build-asan build-fuzz mini-runtime
