# SPDX-License-Identifier: MIT
# Modules that need no hardware: compiled into the ROM and, unchanged, into the
# host unit tests, fuzzers and lint. One line per module.
PURE_SRCS :=
PURE_SRCS += fwcfg/fwcfg-dir.c
PURE_SRCS += fwcfg/table-loader.c
PURE_SRCS += src/memory/e820.c
PURE_SRCS += src/payload/elf.c
PURE_SRCS += src/cpu/mtrr-plan.c
PURE_SRCS += src/payload/cbtable.c
PURE_SRCS += src/tables/mptable.c
PURE_SRCS += src/tables/pirtable.c
PURE_SRCS += src/pci/pci-alloc.c
PURE_SRCS += src/tables/smbios.c
PURE_SRCS += src/payload/uefi-fd.c
PURE_SRCS += src/payload/uefi-vars.c
PURE_SRCS += src/payload/bzimage.c
PURE_SRCS += src/payload/pvh.c
PURE_SRCS += acpi/acpi-build.c
PURE_SRCS += src/payload/lz4.c
PURE_SRCS += src/payload/lbimage.c
PURE_SRCS += src/payload/bootcount.c
PURE_SRCS += src/memory/bda-layout.c
PURE_SRCS += src/pci/bus-plan.c
PURE_SRCS += src/resume/resume-save.c
PURE_SRCS += src/cpu/smm-store.c
