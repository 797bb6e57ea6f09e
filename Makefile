# mini-runtime - a small, fast OCI container runtime.
#   make            build ./mini-runtime (static, -O2, warnings are errors)
#   make test       install what is missing, build, run unit + integration tests
#   make asan       the same tests against an ASan+UBSan build
#   make demo       build, make a busybox bundle from config.json.example, run it
#   make install    PREFIX=/usr/local

PREFIX ?= /usr/local
CC ?= cc
PKGS := jansson libcap libseccomp
BUILD ?= build

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
CPPFLAGS += -D_GNU_SOURCE -Ipolicy -Iruntime
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -fno-strict-aliasing
# Static by default: no dynamic loader work on the start path, and one file
# to put in a guest's initramfs. `make asan` builds dynamically.
LDSTATIC ?= -static
LDLIBS += $(shell pkg-config --libs --static $(PKGS) 2>/dev/null || echo -ljansson -lcap -lseccomp)

POLICY_SRC := $(wildcard policy/*.c)
RUNTIME_SRC := $(wildcard runtime/*.c runtime/commands/*.c)
RUNTIME_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(RUNTIME_SRC) $(POLICY_SRC))
UNIT_TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/check_*.c))

.PHONY: all test unit integration asan demo install deps clean format compdb bench

all: mini-runtime

mini-runtime: $(BUILD)/mini-runtime
	cp $< $@

$(BUILD)/mini-runtime: $(RUNTIME_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(LDSTATIC) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard policy/*.h runtime/*.h runtime/commands/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Each unit test links the module objects it tests (everything but main.o).
TEST_OBJ := $(filter-out $(BUILD)/runtime/main.o,$(RUNTIME_OBJ))
$(BUILD)/tests/%: tests/%.c $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs check) $(LDLIBS)

deps:
	@tests/install-deps.sh

unit: $(UNIT_TESTS)

test: deps
	$(MAKE) all unit
	@tests/run-all.sh $(BUILD) ./mini-runtime

asan:
	$(MAKE) BUILD=build-asan LDSTATIC= CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" build-asan/mini-runtime
	$(MAKE) BUILD=build-asan LDSTATIC= CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" unit
	ASAN_OPTIONS=detect_leaks=1 tests/run-all.sh build-asan build-asan/mini-runtime

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
	rm -rf build build-asan mini-runtime
