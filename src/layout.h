/* SPDX-License-Identifier: MIT */
/* Fixed addresses of the ROM image and of the loader's own RAM (see docs/memory-map.md).
 * Shared by C, assembly and the linker script; keep it to plain #defines. */
#ifndef QVM_LAYOUT_H
#define QVM_LAYOUT_H

/* The loader proper: the top 128 KiB of the 4 GiB address space. */
#define LOADER_ROM_BASE 0xFFFE0000
#define LOADER_ROM_SIZE 0x20000

/* Largest ROM QEMU 7.2 maps wholly readable: 0xFEF00000-0xFFFFFFFF, above the local APIC. */
#define ROM_MAX_SIZE 0x1100000

/* Trailer written by build/mkrom.py just below the loader when a payload is embedded. */
#define PAYLOAD_TRAILER_ADDR (LOADER_ROM_BASE - 16)

/* Loader working RAM: AP trampoline page, then .data, .bss, heap; stack at the top. */
#define LOADER_RAM_BASE	 0x60000
#define TRAMPOLINE_ADDR	 0x60000
#define LOADER_DATA_BASE 0x61000
#define LOADER_RAM_END	 0x9F000

/* Scratch RAM for large temporary data (the PCI allocator's state); free again before any
 * payload is loaded, so no payload placement check needs it. */
#define SCRATCH_BASE 0x100000
#define SCRATCH_SIZE 0x100000

/* Default SMBASE area: where CPUs enter SMM until relocated (stub at +0x8000, save state at
 * +0xFE00); rewritten at every S3 wake, so reserved in every hand-off map. */
#define SMM_DEFAULT_AREA      0x30000
#define SMM_DEFAULT_AREA_SIZE 0x10000

/* coreboot table forwarder: payloads scan 0x0-0xFFF for "LBIO". */
#define CB_FORWARD_ADDR 0x500

/* Segment selectors of the ROM's GDT. */
#define SEL_CODE32     0x08
#define SEL_DATA32     0x10
#define SEL_CODE16     0x18
#define SEL_DATA16     0x20
#define SEL_CODE16_TOP 0x28

#endif
