# SPDX-License-Identifier: Apache-2.0
# rl: plain GNU make. `make` builds build/rl; `make check` runs every test
# (as root on a fresh Debian machine: it installs what it needs).

PREFIX   ?= /usr/local
CC       ?= cc
PKGS     := libseccomp libcap json-c libcurl libarchive libzstd libisal zlib libcrypto
VERSION  := 0.1.0

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Libraries only some commands need are opened on first use
# (pkg/util/dl.h): only their headers are needed at build time, and
# `rl run` starts with libc, libcap and json-c alone. libsubid (opened the
# same way, rootless/subid.c) ships no .pc file.
DL_PKGS    := libcurl libarchive libcrypto libseccomp libzstd libisal zlib
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(DL_PKGS),$(PKGS)) 2>/dev/null)
LIBS       := $(PKG_LIBS) -ldl

WARN     := -Wall -Wextra -Werror -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
RLFLAGS  := -std=gnu11 -D_GNU_SOURCE $(WARN) -I. $(PKG_CFLAGS) -DRL_VERSION='"$(VERSION)"' -D_FORTIFY_SOURCE=2 -fstack-protector-strong

LIB_SRC  := $(wildcard pkg/*/*.c rootless/*.c storage/*.c)
CMD_SRC  := $(wildcard cmd/rl/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

BUILD    ?= build
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
# What a detached monitor runs once at rest, linked first so that its code
# and constants share a few pages. The monitor drops its other file pages
# (pkg/monitor/trim.c), but the kernel maps file pages back 64 kB around each
# fault: scattered through the binary, this code would bring all of it back.
HOT_SRC  := $(wildcard pkg/monitor/*.c) storage/ctr_state.c $(wildcard pkg/network/portfwd*.c) \
            $(addprefix pkg/network/,outbound.c slirp.c dnsproxy.c dnsmsg.c synpkt.c) \
            $(addprefix pkg/util/,strbuf.c xalloc.c error.c log.c evloop.c)
HOT_OBJ  := $(HOT_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%)

.PHONY: cli-doc all clean check check-asan unit unit-bins helpers demo bench install format format-check fuzz deps

all: $(BUILD)/rl $(BUILD)/rl-oci

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(RLFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/librl.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# -z now: every symbol bound at start (full RELRO), so that no lazy lookup
# later walks the libraries' symbol tables back into a monitor at rest.
$(BUILD)/rl: $(HOT_OBJ) $(CMD_OBJ) $(BUILD)/librl.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,-z,relro,-z,now -o $@ $^ $(LIBS)

# rl-oci: the OCI runtime alone (runc's command line), its own binary, so that
# a copy or a link under any name stays the runtime, as runc's and crun's do
# (podman's --runtime /any/path/NAME). The same objects; main() is oci's.
OCI_CMD_OBJ := $(filter-out $(BUILD)/cmd/rl/main.o,$(CMD_OBJ)) $(BUILD)/cmd/rl/main_oci.o
$(BUILD)/cmd/rl/main_oci.o: cmd/rl/main.c
	@mkdir -p $(dir $@)
	$(CC) $(RLFLAGS) $(CFLAGS) -DRL_OCI_ONLY -MMD -MP -c $< -o $@
$(BUILD)/rl-oci: $(HOT_OBJ) $(OCI_CMD_OBJ) $(BUILD)/librl.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,-z,relro,-z,now -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librl.a
	@mkdir -p $(dir $@)
	$(CC) $(RLFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/librl.a $(LIBS) -lcmocka -lz -lzstd

# The exec trampoline (pkg/runtime/trampoline/main.c): freestanding, no libc,
# a few hundred bytes, embedded in rl as a byte array.
TRAMPOLINE_FLAGS := -Os -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie \
                    -fno-asynchronous-unwind-tables -s -Wl,--build-id=none -Wl,-z,norelro \
                    -Wl,-z,max-page-size=4096 -Wl,-z,noseparate-code $(WARN)
$(BUILD)/gen/trampoline: pkg/runtime/trampoline/main.c
	@mkdir -p $(dir $@)
	$(CC) $(TRAMPOLINE_FLAGS) -o $@ $<
$(BUILD)/gen/trampoline_bin.h: $(BUILD)/gen/trampoline
	od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' > $@.tmp && mv $@.tmp $@
$(BUILD)/pkg/runtime/trampoline.o: $(BUILD)/gen/trampoline_bin.h
$(BUILD)/pkg/runtime/trampoline.o: RLFLAGS += -I$(BUILD)/gen
build-fuzz/pkg/runtime/trampoline.o: $(BUILD)/gen/trampoline_bin.h
build-fuzz/pkg/runtime/trampoline.o: FUZZ_CFLAGS += -I$(BUILD)/gen

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -static -o $@ $<

helpers: $(HELPER_BIN)
unit-bins: $(UNIT_BIN)

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do $$t >/dev/null 2>$@.log || { cat $@.log; echo "FAIL $$t"; fail=1; }; done; \
	rm -f $@.log; exit $$fail

# Everything, as CI runs it: dependencies, test user, registry, unit and
# system tests; the last line says "N passed, N failed".
check:
	tests/check.sh

check-asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" all $(UNIT_BIN:build/%=build-asan/%)
	@for t in $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%); do echo "== $$t"; $$t || exit 1; done
	RL_BIN=$(CURDIR)/build-asan/rl RL_SYSTEM_FILTER=0[1-4]0 tests/check.sh --no-deps

deps:
	tests/deps.sh

demo:
	tests/deps.sh
	$(MAKE) all
	contrib/demo.sh

bench: all
	tests/bench/bench.sh

# docs/cli.md from the option tables (make check fails when it is stale)
cli-doc: all
	tests/cli_doc.sh $(BUILD)/rl > docs/cli.md

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/rl $(DESTDIR)$(PREFIX)/bin/rl
	install -m 755 $(BUILD)/rl-oci $(DESTDIR)$(PREFIX)/bin/rl-oci

FORMAT_FILES = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

FUZZ_TIME ?= 20
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -I. $(PKG_CFLAGS) -fsanitize=address,undefined
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build-fuzz/%.o)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)

build-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build-fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# Each harness runs FUZZ_TIME seconds from its seed corpus; a crash fails.
fuzz: $(FUZZ_BIN)
	@for n in $(notdir $(FUZZ_BIN)); do \
	  mkdir -p build-fuzz/corpus-$$n; cp tests/fuzz/corpus/$$n/* build-fuzz/corpus-$$n/ 2>/dev/null; \
	  echo "== $$n ($(FUZZ_TIME)s)"; \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp build-fuzz/$$n -artifact_prefix=build-fuzz/ -max_total_time=$(FUZZ_TIME) -max_len=65536 build-fuzz/corpus-$$n >build-fuzz/$$n.log 2>&1 || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	  grep -E '^#[0-9]+.*DONE' build-fuzz/$$n.log | tail -1; done

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
