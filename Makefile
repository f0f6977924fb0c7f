# SPDX-License-Identifier: MIT
# qvmloader: QEMU platform-init ROM. `make` builds out/qvmloader.bin; see README.md.

# Front door: whatever the goal, build/setup.sh runs first (it installs the Debian packages that
# are missing) and the real rules below are read only afterwards, in a sub-make. So nothing that
# asks a tool (gcc's paths, libgcc) is evaluated before the tool is installed, and every target
# works as the first command on a fresh machine.
ifeq ($(QVM_SETUP_DONE),)
QVM_SETUP ?= bash build/setup.sh
QVM_GOALS := $(or $(MAKECMDGOALS),all)
.PHONY: $(QVM_GOALS) qvm-front-door
$(QVM_GOALS): qvm-front-door
	@:
qvm-front-door:
	+@$(QVM_SETUP)
	@$(MAKE) --no-print-directory QVM_SETUP_DONE=1 $(QVM_GOALS)
else

include build/config.mk
include build/pure.mk

OUT      ?= out
PYTHON   ?= /usr/bin/python3
HOSTCC   ?= gcc
FUZZCC   ?= clang
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

# ---------------------------------------------------------------- ROM build
ROM_CC      := gcc
ROM_LD      := ld
ROM_OBJCOPY := objcopy
ROM_INC     := -Isrc -Ifwcfg -Iacpi -Isrc/lib/include
ROM_CFLAGS  := -m32 -march=i686 -std=gnu11 -Os -g -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-ffunction-sections -fdata-sections -mgeneral-regs-only -mno-red-zone \
	-nostdinc -isystem $(shell $(ROM_CC) -print-file-name=include) \
	-Wall -Wextra -Werror -Wno-address-of-packed-member \
	-DCONFIG_LOGLEVEL=$(CONFIG_LOGLEVEL) -DCONFIG_VERSION='"$(CONFIG_VERSION)"' \
	-DCONFIG_DATE='"$(CONFIG_DATE)"' $(ROM_INC)
ROM_ASFLAGS := -m32 -ffreestanding -fno-pic $(ROM_INC) -Wa,--noexecstack
ROM_LDFLAGS := -m elf_i386 -nostdlib --gc-sections -T build/rom.lds --no-warn-rwx-segments
LIBGCC      := $(shell $(ROM_CC) -m32 -print-libgcc-file-name)

ROM_C_SRCS := $(wildcard src/*.c src/lib/*.c fwcfg/*.c acpi/*.c)
ROM_S_SRCS := $(wildcard src/*.S)
ROM_OBJS   := $(patsubst %.c,$(OUT)/rom/%.o,$(ROM_C_SRCS)) \
	$(patsubst %.S,$(OUT)/rom/%.o,$(ROM_S_SRCS))

SEABIOS_ELF := $(OUT)/seabios/bios.bin.elf
EDK2_FD     := $(OUT)/edk2/UEFIPAYLOAD.fd
UEFI_ROM    := $(OUT)/qvmloader-uefi.bin

.PHONY: all rom run check setup unit fuzz fuzz-short lint format system bench \
	acpi-dump guest seabios edk2 uefi clean soak
.DEFAULT_GOAL := all

all: $(OUT)/qvmloader.bin

rom: $(OUT)/rom/loader.bin

$(OUT)/rom/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/rom/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_ASFLAGS) -MMD -MP -c $< -o $@

$(OUT)/rom/qvmloader.elf: $(ROM_OBJS) build/rom.lds
	$(Q)$(ROM_LD) $(ROM_LDFLAGS) -o $@ $(ROM_OBJS) $(LIBGCC)

# The loader proper: the top 128 KiB of every ROM image.
$(OUT)/rom/loader.bin: $(OUT)/rom/qvmloader.elf build/mkrom.py
	$(Q)$(ROM_OBJCOPY) -O binary $< $@
	$(Q)$(PYTHON) build/mkrom.py --size-report $<

# Default ROM: the loader plus SeaBIOS (coreboot payload) embedded below it.
$(OUT)/qvmloader.bin: $(OUT)/rom/loader.bin $(SEABIOS_ELF) build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $< --payload $(SEABIOS_ELF)

# The loader alone: the payload must come from fw_cfg opt/qvmloader/payload.
$(OUT)/qvmloader-nopayload.bin: $(OUT)/rom/loader.bin build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $<

# Direct-kernel ROM: the loader alone, built with CONFIG_DIRECT_KERNEL=1 so that it boots
# QEMU's -kernel itself (docs/payloads.md). Only payload.o differs from the default loader.
LINUX_ROM := $(OUT)/qvmloader-linux.bin
$(OUT)/rom-linux/src/payload.o: src/payload.c
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -DCONFIG_DIRECT_KERNEL=1 -MMD -MP -c $< -o $@

$(OUT)/rom-linux/qvmloader.elf: $(filter-out $(OUT)/rom/src/payload.o,$(ROM_OBJS)) \
		$(OUT)/rom-linux/src/payload.o build/rom.lds
	$(Q)$(ROM_LD) $(ROM_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC)

$(OUT)/rom-linux/loader.bin: $(OUT)/rom-linux/qvmloader.elf
	$(Q)$(ROM_OBJCOPY) -O binary $< $@

$(LINUX_ROM): $(OUT)/rom-linux/loader.bin build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $<

-include $(OUT)/rom-linux/src/payload.d

# UEFI ROM: the loader plus EDK2's UefiPayloadPkg FD (long build, so not part of `all`).
$(UEFI_ROM): $(OUT)/rom/loader.bin $(EDK2_FD) build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $< --payload $(EDK2_FD)

uefi: $(UEFI_ROM)
edk2: $(EDK2_FD)
$(EDK2_FD): build/edk2.sh $(wildcard build/edk2/*.patch)
	$(Q)OUT=$(OUT) bash build/edk2.sh

seabios: $(SEABIOS_ELF)
$(SEABIOS_ELF): build/seabios.sh build/seabios.config
	$(Q)OUT=$(OUT) bash build/seabios.sh

guest:
	$(Q)OUT=$(OUT) bash build/guest.sh

setup:
	@echo "setup: every package qvmloader needs is installed"

# ---------------------------------------------------------------- host tests
HOST_SAN    := -fsanitize=address,undefined
HOST_COMMON := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-address-of-packed-member \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Isrc -Ifwcfg -Iacpi -Itest/unit -DQVM_HOST=1
HOST_CFLAGS := $(HOST_COMMON) $(HOST_SAN)
HOST_SUPPORT := test/unit/host_log.c
UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(patsubst test/unit/%.c,$(OUT)/host/%,$(UNIT_SRCS))
FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst test/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_TIME ?= 10

$(OUT)/host/test_%: test/unit/test_%.c $(PURE_SRCS) $(HOST_SUPPORT) $(wildcard src/*.h fwcfg/*.h acpi/*.h test/unit/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(PURE_SRCS) $(HOST_SUPPORT) -lcmocka

$(OUT)/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(PURE_SRCS) $(HOST_SUPPORT) $(wildcard src/*.h fwcfg/*.h acpi/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(HOST_COMMON) \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(PURE_SRCS) $(HOST_SUPPORT)

unit: $(UNIT_BINS)
	$(Q)$(PYTHON) test/run-unit.py $(UNIT_BINS)

fuzz-short: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p $(OUT)/fuzz/corpus-$$n; \
		seeds=test/fuzz/corpus/$${n#fuzz_}; [ -d $$seeds ] || seeds=; \
		echo "fuzz: $$n for $(FUZZ_TIME)s"; \
		$$f -max_total_time=$(FUZZ_TIME) -print_final_stats=0 \
			-artifact_prefix=$(OUT)/fuzz/$$n- \
			$(OUT)/fuzz/corpus-$$n $$seeds >$(OUT)/fuzz/$$n.log 2>&1 || \
			{ tail -40 $(OUT)/fuzz/$$n.log; exit 1; }; \
	done

fuzz:
	$(Q)$(MAKE) --no-print-directory fuzz-short FUZZ_TIME=$(or $(FUZZ_LONG),300)

LINT_SRCS := $(PURE_SRCS)
lint:
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem -Isrc -Ifwcfg -Iacpi \
		-DQVM_HOST=1 $(LINT_SRCS)
	@mkdir -p $(OUT)
	$(Q)clang-tidy --quiet --warnings-as-errors='*' \
		--checks='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,misc-redundant-expression,readability-misleading-indentation' \
		$(LINT_SRCS) -- -std=gnu11 -Isrc -Ifwcfg -Iacpi -DQVM_HOST=1 >$(OUT)/clang-tidy.log 2>&1 || \
		{ grep -v 'warnings generated' $(OUT)/clang-tidy.log; exit 1; }
	@echo "lint: cppcheck and clang-tidy clean on $(words $(LINT_SRCS)) files"

FORMAT_SRCS := $(wildcard src/*.[ch] src/lib/*.c src/lib/include/*.h fwcfg/*.[ch] acpi/*.[ch] \
	test/unit/*.[ch] test/fuzz/*.c)
format:
	$(Q)clang-format -i $(FORMAT_SRCS)

# ---------------------------------------------------------------- system
system: all $(OUT)/qvmloader-nopayload.bin $(UEFI_ROM) $(LINUX_ROM) guest
	$(Q)$(PYTHON) -m pytest -q test/system $(PYTEST_ARGS)

run: all guest
	$(Q)$(PYTHON) test/run-demo.py

check:
	$(Q)$(MAKE) --no-print-directory all $(OUT)/qvmloader-nopayload.bin $(UEFI_ROM) $(LINUX_ROM) \
		guest
	$(Q)$(MAKE) --no-print-directory lint
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory fuzz-short
	$(Q)$(PYTHON) -m pytest -q test/system $(PYTEST_ARGS)

# Not part of check: 100 S3 cycles per machine/payload/CPU count and 1000 resets per machine,
# printing counts, failures and time per cycle (SOAK_S3_CYCLES, SOAK_RESETS scale it down).
SOAK_S3_CYCLES ?= 100
SOAK_RESETS ?= 1000
soak: all $(UEFI_ROM) $(LINUX_ROM) guest
	$(Q)QVM_JOBS=1 QVM_SOAK=1 QVM_S3_CYCLES=$(SOAK_S3_CYCLES) QVM_RESETS=$(SOAK_RESETS) $(PYTHON) -m pytest \
		-q -s test/system/test_resume.py test/system/test_reset.py $(PYTEST_ARGS)

bench: all $(UEFI_ROM) $(LINUX_ROM) guest
	$(Q)$(PYTHON) test/bench/bench.py

acpi-dump: all guest
	$(Q)$(PYTHON) test/acpi-dump.py $(CONFIG)

clean:
	rm -rf $(OUT)

-include $(ROM_OBJS:.o=.d)

endif
