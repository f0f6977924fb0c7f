/* SPDX-License-Identifier: MIT */
/* The S3 save area's layout, its seal (checksum) and check, and the FACS waking-vector
 * decision: everything about resume that needs no hardware, so host tests can cover it. */
#ifndef QVM_RESUME_SAVE_H
#define QVM_RESUME_SAVE_H

#include <stdint.h>

#include "table-loader.h"

#define RESUME_SAVE_MAGIC   "QVMS3SAV"
#define RESUME_SAVE_VERSION 1
#define RESUME_MAX_PCI	    1024 /* PCI_MAX_FUNCTIONS */
#define RESUME_PCI_DWORDS   16	 /* the standard header, 0x00-0x3F */

/* One PCI function's header as qvmloader left it at the hand-off. */
struct resume_pci {
	uint16_t bdf;
	uint16_t pad;
	uint32_t cfg[RESUME_PCI_DWORDS];
};
_Static_assert(sizeof(struct resume_pci) == 68, "resume_pci layout");

/* The save area: written once at cold boot, read at every S3 wake. */
struct resume_save {
	char magic[8];
	uint32_t version;
	uint32_t size;	   /* sizeof(struct resume_save) */
	uint32_t checksum; /* resume_save_sum() of the area with this field 0 */
	uint32_t machine;  /* enum machine of the boot that wrote it */
	uint32_t cpus;	   /* CPUs that checked in at cold boot */
	uint32_t facs;	   /* FACS address, 0 if the tables have none */
	uint64_t pci64_start, pci64_end;
	uint32_t pci32_start, pci32_end;
	uint32_t nr_write_pointers;
	uint32_t nr_pci;
	struct tl_write_pointer write_pointers[TL_MAX_WRITE_POINTERS];
	struct resume_pci pci[RESUME_MAX_PCI];
};

/* 32-bit FNV-1a over what the area holds: the fields before the lists (the checksum taken as
 * 0), then the first nr_write_pointers and nr_pci entries; the unused entries are not read
 * (the cold boot then hashes 2 KiB, not 72). Out-of-range counts hash the fields alone. */
uint32_t resume_save_sum(const struct resume_save *s);
/* Fill in magic, version, size and checksum after the payload fields are written. */
void resume_save_seal(struct resume_save *s);
/* NULL if s is a sealed save area written for machine, else what is wrong with it. */
const char *resume_save_check(const struct resume_save *s, uint32_t machine);

/* How to enter the OS's waking vector. */
enum resume_wake_mode {
	WAKE_NONE,   /* no usable vector: cold boot */
	WAKE_REAL,   /* Firmware_Waking_Vector: real mode, CS:IP = vector>>4 : vector&0xF */
	WAKE_FLAT32, /* X_Firmware_Waking_Vector: 32-bit flat protected mode, paging off */
	WAKE_LONG64, /* X_Firmware_Waking_Vector with OSPM's 64BIT_WAKE_F: 64-bit long mode */
};

/* Decide from the len bytes of a FACS (ACPI 6.x layout) how to wake; *vector gets the
 * address. A bad signature or length gives WAKE_NONE. */
enum resume_wake_mode resume_wake_vector(const uint8_t *facs, uint32_t len, uint64_t *vector);

/* Reads len bytes of guest-physical memory at addr; NULL if out of reach. */
typedef const uint8_t *(*resume_map_fn)(uint64_t addr, uint32_t len, void *ctx);

/* Follow RSDP -> XSDT/RSDT -> FADT -> FACS through map; the FACS address, or 0. */
uint64_t resume_find_facs(uint64_t rsdp, resume_map_fn map, void *ctx);

#endif
