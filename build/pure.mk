# SPDX-License-Identifier: MIT
# Modules that need no hardware: compiled into the ROM and, unchanged, into the
# host unit tests, fuzzers and lint. One line per module.
PURE_SRCS :=
PURE_SRCS += fwcfg/fwcfg-dir.c
PURE_SRCS += fwcfg/table-loader.c
PURE_SRCS += src/e820.c
PURE_SRCS += src/elf.c
PURE_SRCS += src/mtrr-plan.c
PURE_SRCS += src/cbtable.c
PURE_SRCS += src/mptable.c
PURE_SRCS += src/pirtable.c
PURE_SRCS += src/pci-alloc.c
PURE_SRCS += src/smbios.c
PURE_SRCS += src/uefi-fd.c
PURE_SRCS += src/uefi-vars.c
PURE_SRCS += src/bzimage.c
PURE_SRCS += src/pvh.c
PURE_SRCS += acpi/acpi-build.c
PURE_SRCS += src/lz4.c
PURE_SRCS += src/lbimage.c
PURE_SRCS += src/bootcount.c
PURE_SRCS += src/bda-layout.c
PURE_SRCS += src/bus-plan.c
PURE_SRCS += src/resume-save.c
