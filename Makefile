# SPDX-License-Identifier: BSD-2-Clause
# vnet-xdp: build the XDP object, its skeleton, libvnet and vnetctl.
# `make V=1` shows full commands.

CC        ?= gcc
CLANG     ?= clang
BPFTOOL   ?= bpftool
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     := build
VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
CFLAGS    ?= -O2 -g
CFLAGS    += -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-format-truncation \
             -I$(BUILD) -Iloader -D_GNU_SOURCE \
             -DVNET_VERSION='"$(VERSION)"'
BPF_CFLAGS := -O2 -g -Wall -Werror -target bpf -I/usr/include/$(MULTIARCH)
# Every BPF object: compiled with its dependency list, which must name no C
# library header (tests/bpf_headers.sh says why).
bpf_cc = $(CLANG) $(BPF_CFLAGS) -MD -MP -MF $@.d -c $< -o $@ && tests/bpf_headers.sh $@.d
# Debian's static archives: vnetctl starts ~0.45 ms faster than with the
# shared libraries (measured), and `vnetctl create` is mostly start-up.
LDLIBS    := -Wl,-Bstatic -lxdp -lbpf -lelf -lz -Wl,-Bdynamic
# libvnet whole: its subsystems register hooks in a linker set
# (loader/core/sysinit.c), which a file nothing refers to would not join.
LIBVNET   = -Wl,--whole-archive $(BUILD)/libvnet.a -Wl,--no-whole-archive

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all clean install test demo deps bench bench-build tests fuzz stress

BPF_SRC  := bpf/vnet.bpf.c
BPF_HDRS := bpf/vnet_abi.h $(wildcard bpf/lib/*.h)
LIB_SRC  := $(wildcard loader/*.c loader/*/*.c)
LIB_HDRS := $(wildcard loader/*.h loader/*/*.h)
LIB_OBJ  := $(patsubst loader/%.c,$(BUILD)/loader/%.o,$(LIB_SRC))
CTL_SRC  := $(wildcard ctl/*.c)
CTL_OBJ  := $(patsubst ctl/%.c,$(BUILD)/ctl/%.o,$(CTL_SRC))
TEST_BIN := $(BUILD)/test_datapath $(BUILD)/test_filter $(BUILD)/test_ipv6 $(BUILD)/test_dxr \
            $(BUILD)/test_hostile $(BUILD)/test_drops $(BUILD)/test_dxr_model $(BUILD)/fuzz $(BUILD)/fib_check \
            $(BUILD)/dxr_diff.bpf.o

all: $(BUILD)/vnetctl $(BUILD)/vnet.bpf.o

$(BUILD)/xdp_pass.bpf.o: tests/xdp_pass.bpf.c
	@mkdir -p $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(bpf_cc)

$(BUILD)/dxr_diff.bpf.o: tests/unit/dxr_diff.bpf.c tests/unit/dxr_diff.h $(BPF_HDRS)
	@mkdir -p $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(bpf_cc)

$(BUILD)/vnet.bpf.o: $(BPF_SRC) $(BPF_HDRS)
	@mkdir -p $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(bpf_cc)

$(BUILD)/vnet.skel.h: $(BUILD)/vnet.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name vnet_bpf > $@ 2>$(BUILD)/skel.log || \
		{ cat $(BUILD)/skel.log; false; }

$(BUILD)/loader/%.o: loader/%.c $(LIB_HDRS) bpf/vnet_abi.h $(BUILD)/vnet.skel.h
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libvnet.a: $(LIB_OBJ)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(BUILD)/ctl/%.o: ctl/%.c ctl/*.h loader/libvnet.h bpf/vnet_abi.h
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/vnetctl: $(CTL_OBJ) $(BUILD)/libvnet.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(CTL_OBJ) $(LIBVNET) -o $@ $(LDLIBS)

# The filter tests write their rules as vnetctl does: with its parser.
$(BUILD)/test_filter $(BUILD)/test_ipv6 $(BUILD)/test_hostile $(BUILD)/test_drops: $(BUILD)/ctl/fw_parse.o $(BUILD)/ctl/args.o \
	$(BUILD)/fw_text.o

$(BUILD)/fw_text.o: tests/unit/fw_text.c tests/unit/*.h $(BUILD)/vnet.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Ictl -c $< -o $@

UT_SRC := tests/unit/ut.c tests/unit/ut_main.c

$(BUILD)/test_%: tests/unit/test_%.c tests/unit/fixture.c $(UT_SRC) tests/unit/*.h $(BUILD)/libvnet.a $(BUILD)/vnet.skel.h
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Ictl $< tests/unit/fixture.c $(UT_SRC) $(filter %.o,$^) $(LIBVNET) -o $@ $(LDLIBS)

# The DXR model alone: no BPF, no root.
$(BUILD)/test_dxr_model: tests/unit/test_dxr_model.c loader/net/dxr_model.c loader/net/dxr_model.h $(UT_SRC) tests/unit/ut.h
	@mkdir -p $(BUILD)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Iloader/net $< loader/net/dxr_model.c $(UT_SRC) -o $@

$(BUILD)/fib_check: tests/tools/fib_check.c tests/unit/dxr_diff.h bpf/vnet_abi.h
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(LDLIBS)

# The fuzzer: the unit tests' fixture, vnetctl's rule parser, its own files.
FUZZ_SRC := $(wildcard tests/fuzz/*.c)

$(BUILD)/fuzz: $(FUZZ_SRC) tests/fuzz/fuzz.h tests/unit/fixture.c tests/unit/ut.c tests/unit/*.h \
	$(BUILD)/ctl/fw_parse.o $(BUILD)/ctl/args.o $(BUILD)/fw_text.o $(BUILD)/libvnet.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Itests/fuzz -Ictl $(FUZZ_SRC) tests/unit/fixture.c tests/unit/ut.c \
		$(filter %.o,$^) $(LIBVNET) -o $@ $(LDLIBS)

# FRAMES=N: how many (10,000,000 by default; the test suite runs 200,000).
fuzz: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/fuzz
	$(Q)$(BUILD)/fuzz $(or $(FRAMES),10000000)

# Churn, concurrent writers, reloads under load, kill -9: full runs, figures printed.
stress: deps
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)tests/stress/run.sh

BENCH_BPF := $(patsubst bench/%.bpf.c,$(BUILD)/bench_%.bpf.o,$(wildcard bench/*.bpf.c))

$(BUILD)/bench_%.bpf.o: bench/%.bpf.c bench/*.h $(BPF_HDRS)
	@mkdir -p $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(bpf_cc)

$(BUILD)/bench: bench/bench.c bench/bench_common.h $(BUILD)/libvnet.a $(BUILD)/vnet.skel.h
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Ibench $< $(LIBVNET) -o $@ $(LDLIBS)

bench-build: all $(BENCH_BPF) $(BUILD)/bench $(BUILD)/xdp_pass.bpf.o

# QUICK=1: a small, fast run that proves the benchmark still works.
bench: deps
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)bench/bench.sh $(if $(QUICK),--quick)

$(BUILD)/vnet_snapshot: tests/unit/snapshot.c
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(LDLIBS)

tests: all $(TEST_BIN) $(BUILD)/xdp_pass.bpf.o $(BUILD)/vnet_snapshot bench-build

# Packages first (a fresh machine has no clang), then build, then run.
deps:
	$(Q)tests/deps.sh

test: deps
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)T='$(T)' tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/xdp_pass.bpf.o
	$(Q)tests/demo.sh

install: all
	install -D -m 0755 $(BUILD)/vnetctl $(DESTDIR)$(PREFIX)/sbin/vnetctl
	install -D -m 0644 $(BUILD)/vnet.bpf.o $(DESTDIR)$(PREFIX)/lib/bpf/vnet.bpf.o

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.bpf.o.d)
