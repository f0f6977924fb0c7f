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

include build/acpi.mk

# ---------------------------------------------------------------- ROM build
ROM_CC      := gcc
ROM_LD      := ld
ROM_OBJCOPY := objcopy
# The ROM's sources by concern (README "Layout"); headers are included by name from any of them.
SRC_DIRS    := src src/cpu src/chipset src/pci src/memory src/tables src/payload src/resume
SRC_INC     := $(addprefix -I,$(SRC_DIRS))
SRC_HDRS     = $(wildcard $(addsuffix /*.h,$(SRC_DIRS)))
ROM_INC     := $(SRC_INC) -Ifwcfg -Iacpi -Isrc/lib/include
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

# The SMM module's own files (linked apart, below); smm-store.c is in both.
SMM_MOD_ONLY := src/cpu/smm-module.S src/cpu/smm-store-flash.c
ROM_C_SRCS := $(filter-out $(SMM_MOD_ONLY),$(wildcard $(addsuffix /*.c,$(SRC_DIRS)) src/lib/*.c \
	fwcfg/*.c acpi/*.c))
ROM_S_SRCS := $(filter-out $(SMM_MOD_ONLY),$(wildcard $(addsuffix /*.S,$(SRC_DIRS))))
ROM_OBJS   := $(patsubst %.c,$(OUT)/rom/%.o,$(ROM_C_SRCS)) \
	$(patsubst %.S,$(OUT)/rom/%.o,$(ROM_S_SRCS)) $(patsubst %.c,$(OUT)/rom/%.o,$(AML_SRCS))

SEABIOS_ELF := $(OUT)/seabios/bios.bin.elf
EDK2_FD     := $(OUT)/edk2/UEFIPAYLOAD.fd
UEFI_ROM    := $(OUT)/qvmloader-uefi.bin
UEFI_CODE   := $(OUT)/qvmloader-uefi-code.fd
UEFI_VARS   := $(OUT)/qvmloader-uefi-vars.fd
# The UEFI ROM (= pflash unit 0) is padded to exactly this size: the FD's flash driver is built
# for a variable store (pflash unit 1, 528 KiB) right below it (build/edk2.sh, src/payload/uefi-vars.h).
UEFI_CODE_SIZE := 0x5c0000

.PHONY: all rom run check check-long setup unit fuzz fuzz-short lint format system bench \
	acpi-dump guest seabios edk2 uefi clean matrix bootpaths soak
.DEFAULT_GOAL := all

all: $(OUT)/qvmloader.bin

rom: $(OUT)/rom/loader.bin

$(OUT)/rom/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/rom/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_ASFLAGS) -MMD -MP -c $< -o $@

# The SMM module runs wherever TSEG lies: linked at two bases it must come out byte-identical
# (no absolute address inside), and smm-handler.S includes that image.
SMM_MOD_OBJS   := $(OUT)/smm/smm-module.o $(OUT)/smm/smm-store.o $(OUT)/smm/smm-store-flash.o
SMM_MOD_CFLAGS := $(ROM_CFLAGS) -fno-jump-tables -fno-tree-loop-distribute-patterns

$(OUT)/smm/%.o: src/cpu/%.c
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(SMM_MOD_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/smm/%.o: src/cpu/%.S
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_ASFLAGS) -MMD -MP -c $< -o $@

$(OUT)/smm/module-%.bin: $(SMM_MOD_OBJS) build/smm-module.lds
	$(Q)$(ROM_LD) -m elf_i386 -nostdlib --no-warn-rwx-segments -T build/smm-module.lds \
		--section-start=.module=$* \
		-o $(OUT)/smm/module-$*.elf $(SMM_MOD_OBJS)
	$(Q)$(ROM_OBJCOPY) -O binary $(OUT)/smm/module-$*.elf $@

$(OUT)/smm/module.bin: $(OUT)/smm/module-0x0.bin $(OUT)/smm/module-0x7ff000.bin
	$(Q)cmp -s $^ || { echo "smm module: not position-independent (it differs when linked" \
		"at another base): an absolute address, a jump table or a global crept in" >&2; \
		exit 1; }
	$(Q)cp $< $@

.SECONDARY: $(SMM_MOD_OBJS) $(OUT)/smm/module-0x0.bin $(OUT)/smm/module-0x7ff000.bin
$(OUT)/rom/src/cpu/smm-handler.o: $(OUT)/smm/module.bin
$(OUT)/rom/src/cpu/smm-handler.o: ROM_ASFLAGS += -DSMM_MODULE_BIN='"$(OUT)/smm/module.bin"'

-include $(SMM_MOD_OBJS:.o=.d)

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
$(OUT)/rom-linux/src/payload/payload.o: src/payload/payload.c
	@mkdir -p $(dir $@)
	$(Q)$(ROM_CC) $(ROM_CFLAGS) -DCONFIG_DIRECT_KERNEL=1 -MMD -MP -c $< -o $@

$(OUT)/rom-linux/qvmloader.elf: $(filter-out $(OUT)/rom/src/payload/payload.o,$(ROM_OBJS)) \
		$(OUT)/rom-linux/src/payload/payload.o build/rom.lds
	$(Q)$(ROM_LD) $(ROM_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC)

$(OUT)/rom-linux/loader.bin: $(OUT)/rom-linux/qvmloader.elf
	$(Q)$(ROM_OBJCOPY) -O binary $< $@

$(LINUX_ROM): $(OUT)/rom-linux/loader.bin build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $<

-include $(OUT)/rom-linux/src/payload/payload.d

# UEFI ROM: the loader plus EDK2's UefiPayloadPkg FD (long build, so not part of `all`).
# The same bytes are the code flash (pflash unit 0); the vars template is pflash unit 1.
$(UEFI_ROM): $(OUT)/rom/loader.bin $(EDK2_FD) build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $< --payload $(EDK2_FD) \
		--rom-size $(UEFI_CODE_SIZE)
$(UEFI_CODE): $(UEFI_ROM)
	$(Q)cp $< $@
$(OUT)/host/uefi-vars-template: build/uefi-vars-template.c src/payload/uefi-vars.c src/payload/uefi-vars.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -Wall -Wextra -Werror $(SRC_INC) -o $@ $< src/payload/uefi-vars.c
$(UEFI_VARS): $(OUT)/host/uefi-vars-template
	$(Q)$< $@

# The Secure Boot template: the empty store with the PK, KEK, db and dbx of Debian's OVMF
# "ms" store (Microsoft's UEFI CA and Windows keys), as OVMF_VARS_4M.ms.fd has them.
UEFI_VARS_SB := $(OUT)/qvmloader-uefi-vars-secure-enrolled.fd
OVMF_MS_VARS := /usr/share/OVMF/OVMF_VARS_4M.ms.fd
$(UEFI_VARS_SB): $(UEFI_VARS) build/uefi-vars-enroll.py
	$(Q)$(PYTHON) build/uefi-vars-enroll.py --template $(UEFI_VARS) --from-store $(OVMF_MS_VARS) \
		--out $@

uefi: $(UEFI_ROM) $(UEFI_CODE) $(UEFI_VARS) $(UEFI_VARS_SB)

# ---------------------------------------------------------------- LinuxBoot and fallback ROMs
# out/qvmloader-linuxboot.bin: the loader plus a LinuxBoot image (build/linuxboot-pack.py) of
# KERNEL, INITRD (default: build/linuxboot.sh's kexec initramfs) and CMDLINE. docs/payloads.md.
LINUXBOOT_ROM := $(OUT)/qvmloader-linuxboot.bin
LB_INITRAMFS  := $(OUT)/linuxboot/initramfs.cpio
KERNEL  ?= $(OUT)/guest/vmlinuz
INITRD  ?= $(LB_INITRAMFS)
CMDLINE ?= console=ttyS0 quiet panic=-1

.PHONY: linuxboot fallback linuxboot-check qvm-force
linuxboot: $(LINUXBOOT_ROM)

$(OUT)/guest/vmlinuz:
	$(Q)OUT=$(OUT) bash build/guest.sh

$(LB_INITRAMFS): build/linuxboot.sh build/linuxboot-init $(OUT)/guest/vmlinuz
	$(Q)OUT=$(OUT) bash build/linuxboot.sh

# Rewritten only when CMDLINE changes, so the image is rebuilt exactly then.
$(OUT)/linuxboot/cmdline.txt: qvm-force
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(CMDLINE)' | cmp -s - $@ || printf '%s\n' '$(CMDLINE)' >$@

$(OUT)/linuxboot/linuxboot.img: build/linuxboot-pack.py $(KERNEL) $(INITRD) \
		$(OUT)/linuxboot/cmdline.txt
	$(Q)$(PYTHON) build/linuxboot-pack.py -o $@ --kernel $(KERNEL) --initrd $(INITRD) \
		--cmdline "$$(cat $(OUT)/linuxboot/cmdline.txt)"

$(LINUXBOOT_ROM): $(OUT)/rom/loader.bin $(OUT)/linuxboot/linuxboot.img build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $< --payload $(OUT)/linuxboot/linuxboot.img

# out/qvmloader-fallback.bin: NORMAL and FALLBACK payloads (any kind: coreboot ELF, UEFI FD,
# LinuxBoot image); the fallback boots after FALLBACK_AFTER failed boots of the normal one.
FALLBACK_ROM := $(OUT)/qvmloader-fallback.bin
NORMAL   ?= $(SEABIOS_ELF)
FALLBACK ?= $(OUT)/linuxboot/linuxboot.img
fallback: $(FALLBACK_ROM)
$(FALLBACK_ROM): $(OUT)/rom/loader.bin $(NORMAL) $(FALLBACK) build/mkrom.py
	$(Q)$(PYTHON) build/mkrom.py -o $@ --loader $< --payload $(NORMAL) --fallback $(FALLBACK)

# The LinuxBoot and fallback system tests, the long ones included.
linuxboot-check: all $(LINUX_ROM) $(LINUXBOOT_ROM) guest
	$(Q)$(PYTHON) -m pytest -q test/system/test_linuxboot.py test/system/test_fallback.py \
		$(PYTEST_ARGS)

qvm-force:
edk2: $(EDK2_FD)
$(EDK2_FD): build/edk2.sh $(wildcard build/edk2/*.patch)
	$(Q)OUT=$(OUT) UEFI_CODE_SIZE=$(UEFI_CODE_SIZE) bash build/edk2.sh

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
	-fno-sanitize-recover=all -fno-omit-frame-pointer $(SRC_INC) -Ifwcfg -Iacpi -Itest/unit -DQVM_HOST=1
HOST_CFLAGS := $(HOST_COMMON) $(HOST_SAN)
HOST_SUPPORT := test/unit/host_log.c
UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(patsubst test/unit/%.c,$(OUT)/host/%,$(UNIT_SRCS))
FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst test/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_TIME ?= 10

# The pure modules are compiled once per flavour (unit: gcc with sanitizers; fuzz: clang with
# fuzzer instrumentation) and linked into every test or fuzzer of that flavour.
HOST_PURE  := $(PURE_SRCS) $(AML_SRCS) $(HOST_SUPPORT)
UNIT_OBJS  := $(patsubst %.c,$(OUT)/host/obj/%.o,$(HOST_PURE))
FUZZ_OBJS  := $(patsubst %.c,$(OUT)/fuzz/obj/%.o,$(HOST_PURE))
TEST_HDRS   = $(SRC_HDRS) $(wildcard fwcfg/*.h acpi/*.h test/unit/*.h)
.SECONDARY: $(UNIT_OBJS) $(FUZZ_OBJS)

$(OUT)/host/obj/%.o: %.c $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(OUT)/fuzz/obj/%.o: %.c $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(HOST_COMMON) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

$(OUT)/host/test_%: test/unit/test_%.c $(UNIT_OBJS) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(UNIT_OBJS) -lcmocka

# Per-target extra flags for a fuzzer (see the target's header comment for why); such a target
# compiles the pure modules itself, with its flags.
FUZZ_FLAGS_fuzz_pci_alloc := -fno-sanitize-coverage=trace-cmp
FUZZ_OWN_BUILD := $(OUT)/fuzz/fuzz_pci_alloc

$(filter-out $(FUZZ_OWN_BUILD),$(FUZZ_BINS)): $(OUT)/fuzz/fuzz_%: test/fuzz/fuzz_%.c \
		test/fuzz/fuzz.h $(FUZZ_OBJS) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(HOST_COMMON) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJS)

$(FUZZ_OWN_BUILD): $(OUT)/fuzz/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/fuzz.h $(HOST_PURE) \
		$(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(HOST_COMMON) -fsanitize=fuzzer,address,undefined \
		$(FUZZ_FLAGS_fuzz_$*) -o $@ $< $(HOST_PURE)

unit: $(UNIT_BINS)
	$(Q)$(PYTHON) test/run-unit.py $(UNIT_BINS)

# ---------------------------------------------------------------- fuzzing
# fuzz-short (in check): FUZZ_TIME seconds per target, two at a time, corpus left as it is.
# fuzz: FUZZ_RUNS executions per target (at most FUZZ_LONG seconds each), then new coverage
# merged back into test/fuzz/corpus/<name> in minimised form. Both print one row per target
# (executions, exec/s, cov, ft, time); test/fuzz/run-fuzz.py does the work.
FUZZ_RUNS ?= 10000000
FUZZ_LONG ?= 7200
fuzz-short: $(FUZZ_BINS)
	$(Q)$(PYTHON) test/fuzz/run-fuzz.py --time $(FUZZ_TIME) --jobs 2 $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)$(PYTHON) test/fuzz/run-fuzz.py --time $(FUZZ_LONG) --runs $(FUZZ_RUNS) --merge \
		$(FUZZ_BINS)

LINT_SRCS := $(PURE_SRCS)
lint:
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem $(SRC_INC) -Ifwcfg -Iacpi \
		-DQVM_HOST=1 $(LINT_SRCS)
	@mkdir -p $(OUT)
	$(Q)clang-tidy --quiet --warnings-as-errors='*' \
		--checks='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,misc-redundant-expression,readability-misleading-indentation' \
		$(LINT_SRCS) -- -std=gnu11 $(SRC_INC) -Ifwcfg -Iacpi -DQVM_HOST=1 >$(OUT)/clang-tidy.log 2>&1 || \
		{ grep -v 'warnings generated' $(OUT)/clang-tidy.log; exit 1; }
	@echo "lint: cppcheck and clang-tidy clean on $(words $(LINT_SRCS)) files"

FORMAT_SRCS := $(wildcard $(addsuffix /*.[ch],$(SRC_DIRS)) src/lib/*.c src/lib/include/*.h fwcfg/*.[ch] acpi/*.[ch] \
	test/unit/*.[ch] test/fuzz/*.c)
format:
	$(Q)clang-format -i $(FORMAT_SRCS)

# ---------------------------------------------------------------- system
system: all $(OUT)/qvmloader-nopayload.bin $(UEFI_ROM) $(UEFI_CODE) $(UEFI_VARS) $(UEFI_VARS_SB) $(LINUX_ROM) guest
	$(Q)$(PYTHON) -m pytest -q test/system $(PYTEST_ARGS)

run: all guest
	$(Q)$(PYTHON) test/run-demo.py

check:
	$(Q)$(MAKE) --no-print-directory all $(OUT)/qvmloader-nopayload.bin $(UEFI_ROM) \
		$(UEFI_CODE) $(UEFI_VARS) $(UEFI_VARS_SB) $(LINUX_ROM) guest $(LINUXBOOT_ROM)
	$(Q)$(MAKE) --no-print-directory lint
	$(Q)$(MAKE) --no-print-directory -j2 $(UNIT_BINS) $(FUZZ_BINS)
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory fuzz-short
	$(Q)$(PYTHON) -m pytest -q test/system -m "not long" --durations=15 $(PYTEST_RERUN) \
		$(PYTEST_ARGS)

# --durations lists the 15 slowest tests (before the count line), the candidates for
# check-long when check nears its 20-minute budget.
# A test whose QEMU run timed out (a guest hung under TCG on a loaded host: seen with stock
# firmware too) is run once more; any other failure, or a second time-out, fails check.
PYTEST_RERUN := --reruns 1 --only-rerun 'timed_out=True'

# The system tests too slow for check (marked `long`: the GRUB-disk LinuxBoot kexec, -kernel
# through UEFI against the SeaBIOS chain, the Debian installer's first screen, ...).
check-long: all $(OUT)/qvmloader-nopayload.bin $(UEFI_ROM) $(UEFI_CODE) $(UEFI_VARS) $(UEFI_VARS_SB) \
		$(LINUX_ROM) guest $(LINUXBOOT_ROM)
	$(Q)$(PYTHON) -m pytest -q test/system -m long $(PYTEST_ARGS)

# ---------------------------------------------------------------- compatibility matrix
# make matrix: every configuration of test/matrix/matrix.py with qvmloader and with stock
# SeaBIOS/OVMF; MATRIX_JOBS configurations at a time, MATRIX_ARGS e.g. "--only pc-ide" or
# "--missing". Table in out/matrix/table.md (docs/compatibility.md). Not part of check.
MATRIX_JOBS ?= 2
matrix: all $(UEFI_ROM) $(LINUX_ROM) guest
	$(Q)$(PYTHON) test/matrix/run-matrix.py -j $(MATRIX_JOBS) $(MATRIX_ARGS)

# Boot media of test/system/test_bootpaths.py (GRUB MBR disk, ISOLINUX ISO), cached.
bootpaths: guest
	$(Q)OUT=$(OUT) bash build/bootpaths.sh

# Not part of check: 100 S3 cycles per machine/payload/CPU count and 1000 resets per machine,
# printing counts, failures and time per cycle (SOAK_S3_CYCLES, SOAK_RESETS scale it down).
SOAK_S3_CYCLES ?= 100
SOAK_RESETS ?= 1000
soak: all $(UEFI_ROM) $(LINUX_ROM) guest
	$(Q)QVM_JOBS=1 QVM_SOAK=1 QVM_S3_CYCLES=$(SOAK_S3_CYCLES) QVM_RESETS=$(SOAK_RESETS) $(PYTHON) -m pytest \
		-q -s test/system/test_resume.py test/system/test_reset.py $(PYTEST_ARGS)


bench: all $(UEFI_ROM) $(UEFI_CODE) $(UEFI_VARS) $(LINUX_ROM) $(LINUXBOOT_ROM) guest
	$(Q)$(PYTHON) test/bench/bench.py

acpi-dump: all guest
	$(Q)$(PYTHON) test/acpi-dump.py $(CONFIG)

# ---------------------------------------------------------------- install, uninstall, deb
# `make install [PREFIX=/usr/local] [DESTDIR=]`: the ROMs into $(QVM_DATADIR) and one firmware
# descriptor per ROM libvirt may pick into $(FIRMWAREDIR) (docs/install.md). They are written
# for the final paths and validated before anything is copied; ROMs go in first and the
# descriptors last, uninstall goes the other way, so no descriptor names a missing file.
PREFIX       ?= /usr/local
QVM_DATADIR  ?= $(PREFIX)/share/qvmloader
FIRMWAREDIR  ?= $(PREFIX)/share/qemu/firmware
INSTALL      ?= install
INSTALL_ROMS := $(OUT)/qvmloader.bin $(UEFI_ROM) $(UEFI_CODE) $(UEFI_VARS) $(UEFI_VARS_SB) \
	$(LINUX_ROM)
FW_SEARCHED  := /usr/share/qemu/firmware /etc/qemu/firmware
DEB          ?= $(OUT)/qvmloader_$(CONFIG_VERSION)_all.deb
DEB_ROOT     ?= $(OUT)/deb/root

.PHONY: install uninstall deb

install: $(INSTALL_ROMS) build/firmware/descriptors.py build/firmware/schema.py
	$(Q)set -e; stage=$$(mktemp -d $(OUT)/firmware.XXXXXX); trap 'rm -rf "$$stage"' EXIT; \
	$(PYTHON) build/firmware/descriptors.py --rom-dir $(QVM_DATADIR) --built $(OUT) \
		--version $(CONFIG_VERSION) -o $$stage; \
	$(INSTALL) -d -m 0755 $(DESTDIR)$(QVM_DATADIR) $(DESTDIR)$(FIRMWAREDIR); \
	$(INSTALL) -m 0644 $(INSTALL_ROMS) $(DESTDIR)$(QVM_DATADIR)/; \
	$(INSTALL) -m 0644 $$stage/*.json $(DESTDIR)$(FIRMWAREDIR)/; \
	echo "install: $(notdir $(INSTALL_ROMS)) in $(DESTDIR)$(QVM_DATADIR)," \
		"$$(cd $$stage && echo *.json) in $(DESTDIR)$(FIRMWAREDIR)"
	$(if $(filter $(FIRMWAREDIR),$(FW_SEARCHED)),,@echo "install: note: QEMU tools and libvirt" \
		"read descriptors only from $(FW_SEARCHED); use PREFIX=/usr or" \
		"FIRMWAREDIR=/etc/qemu/firmware for libvirt to find these")

uninstall:
	$(Q)for f in $$($(PYTHON) build/firmware/descriptors.py --names); do \
		rm -f $(DESTDIR)$(FIRMWAREDIR)/$$f; done
	$(Q)rm -f $(addprefix $(DESTDIR)$(QVM_DATADIR)/,$(notdir $(INSTALL_ROMS)))
	$(Q)rmdir $(DESTDIR)$(QVM_DATADIR) 2>/dev/null || true
	@echo "uninstall: removed qvmloader from $(DESTDIR)$(QVM_DATADIR) and $(DESTDIR)$(FIRMWAREDIR)"

# The .deb holds exactly what `make install PREFIX=/usr` installs, plus copyright and changelog.
deb: $(INSTALL_ROMS) build/firmware/descriptors.py build/firmware/schema.py \
		$(wildcard build/deb/*)
	$(Q)rm -rf $(DEB_ROOT) $(DEB)
	$(Q)$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT)) >/dev/null
	$(Q)bash build/deb/mkdeb.sh $(DEB_ROOT) $(DEB) $(CONFIG_VERSION)

clean:
	rm -rf $(OUT)

-include $(ROM_OBJS:.o=.d)

endif
