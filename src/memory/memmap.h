/* SPDX-License-Identifier: MIT */
/* The machine's memory map (from fw_cfg etc/e820 or CMOS) plus the loader's own claims,
 * and the "table zone" at the top of low RAM where everything that outlives the loader goes. */
#ifndef QVM_MEMMAP_H
#define QVM_MEMMAP_H

#include <stdint.h>

#include "e820.h"
#include "elf.h"

/* The machine map: RAM, QEMU's and the chipset's reservations. */
extern struct e820_map memmap;

/* Build memmap from etc/e820 (fallback: CMOS) and reserve the ROM. */
void memmap_init(void);
/* Reserve [start, start+size) in memmap as type, logging what it is. */
void memmap_reserve(uint64_t start, uint64_t size, uint32_t type, const char *what);
/* Allocate zeroed, aligned memory in the table zone (below the top of low RAM).
 * Returns NULL after logging when the zone cannot grow. */
void *zone_alloc(uint32_t size, uint32_t align, const char *what);
/* Current lowest address of the table zone, to hand back to zone_release(). */
uint32_t zone_mark(void);
/* Give back everything allocated since mark (after a failed table installation). */
void zone_release(uint32_t mark);
/* [*start, *end) currently used by the table zone (4 KiB aligned); empty if unused. */
void zone_range(uint64_t *start, uint64_t *end);
/* memmap with the table zone marked as zone_type, and the low RAM an S3 wake reuses
 * (default SMBASE area, loader RAM) reserved, for a hand-off. */
void memmap_handoff(struct e820_map *out, uint32_t zone_type);
/* Ranges a payload must not be loaded over while the loader still needs them.
 * Fills busy[0..max) and returns the count. */
int memmap_busy(struct busy_range *busy, int max);

#endif
