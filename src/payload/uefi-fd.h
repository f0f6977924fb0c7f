/* SPDX-License-Identifier: MIT */
/* What qvmloader must know and check about EDK2's UefiPayloadPkg image (UEFIPAYLOAD.fd):
 * firmware-volume and SEC parsing, its fixed RAM, its memory-map and ACPI expectations. Pure. */
#ifndef QVM_UEFI_FD_H
#define QVM_UEFI_FD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "e820.h"
#include "elf.h"

/* PcdPayloadFdMemBase: the FD runs in place there (its SEC is linked for it). */
#define UEFI_FD_BASE 0x00800000u
/* PcdSystemMemoryUefiRegionSize: RAM used from ALIGN_UP(FD end, 1 MiB) without asking. */
#define UEFI_WORK_SIZE	     (64u << 20)
#define UEFI_FV_HEADER_MIN   56
#define UEFI_PE_MACHINE_IA32 0x014c
#define UEFI_PE_MACHINE_X64  0x8664

/* The SEC entry found in a firmware volume. */
struct uefi_fv_info {
	uint64_t fv_length;  /* FvLength of the volume at offset 0 */
	uint32_t sec_offset; /* offset of the SEC PE32/TE image in the volume */
	uint32_t image_base; /* address the SEC image was linked (rebased) for */
	uint32_t entry;	     /* absolute SEC entry point */
	uint16_t machine;    /* PE machine of the SEC image */
	bool te;	     /* the SEC image is TE rather than PE32 */
};

/* Fixed ranges the payload uses when loaded at UEFI_FD_BASE. */
struct uefi_fixed {
	uint64_t fd_start, fd_end;     /* the FD itself */
	uint64_t work_start, work_end; /* HOBs, DXE core, stack, page tables */
};

/* Read-only view of guest-physical memory (identity in the ROM, a buffer in tests). */
struct phys_view {
	/* Pointer to len readable bytes at addr, or NULL when they are not all available. */
	const void *(*map)(void *ctx, uint64_t addr, uint32_t len);
	void *ctx;
};

/* What the payload reads from ACPI, found the way it looks for it. */
struct uefi_acpi_info {
	uint64_t fadt;
	uint64_t mcfg;
	uint64_t ecam_base; /* first MCFG allocation */
	uint8_t ecam_end_bus;
};

/* True if buf (len bytes, the start of an image) begins with a firmware-volume header
 * whose file system is FFS2 or FFS3. */
bool uefi_fv_probe(const void *buf, size_t len);
/* Parse the firmware volume in fv (len bytes) that will run at load_base: validate the
 * header and checksum, walk the FFS files, find the SEC core's PE32 or TE image and check it
 * was rebased to run in place at load_base. Returns 0, or -1 after logging why. */
int uefi_fv_parse(const void *fv, size_t len, uint32_t load_base, struct uefi_fv_info *info);
/* The fixed ranges for an FD of fd_size bytes at UEFI_FD_BASE. */
void uefi_fixed_ranges(uint32_t fd_size, struct uefi_fixed *fx);
/* Check both fixed ranges are RAM in map and overlap none of busy[0..nbusy).
 * Returns 0, or -1 after logging what is wrong (too little RAM, a reservation, a busy range). */
int uefi_check_fixed(const struct uefi_fixed *fx, const struct e820_map *map,
		     const struct busy_range *busy, int nbusy);
/* out = in with RAM ranges rounded inwards and every other range outwards to 4 KiB (other
 * ranges win where the rounding makes them meet RAM). Returns 0, or -1 if out is full. */
int uefi_align_map(const struct e820_map *in, struct e820_map *out);
/* Find FACP and MCFG from the RSDP at rsdp (RSDT first, then XSDT if needed, as the payload
 * does) and check the FADT fields the payload relies on and the MCFG if there is one (without,
 * info->mcfg is 0: the payload then uses CF8). Returns 0, or -1 after logging. */
int uefi_check_acpi(const struct phys_view *mem, uint64_t rsdp, struct uefi_acpi_info *info);

#endif
