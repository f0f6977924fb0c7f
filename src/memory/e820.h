/* SPDX-License-Identifier: MIT */
/* A sorted, non-overlapping memory map that can add, carve and query ranges.
 * One instance describes the machine; every hand-off format is written from it. */
#ifndef QVM_E820_H
#define QVM_E820_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define E820_MAX 64

enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
	E820_TABLE = 16, /* coreboot CB_MEM_TABLE: reserved, holds firmware tables */
};

struct e820_entry {
	uint64_t start;
	uint64_t size;
	uint32_t type;
};

struct e820_map {
	int count;
	struct e820_entry e[E820_MAX];
};

/* Empty the map. */
void e820_init(struct e820_map *m);
/* Set [start, start+size) to type, replacing whatever overlapped it; adjacent ranges of one
 * type merge. A size that wraps past 2^64 is clipped. Returns 0, or -1 if the map is full
 * (then the map is unchanged). */
int e820_add(struct e820_map *m, uint64_t start, uint64_t size, uint32_t type);
/* Remove [start, start+size) from the map (it becomes a hole). Returns 0 or -1 if full. */
int e820_remove(struct e820_map *m, uint64_t start, uint64_t size);
/* True if all of [start, start+size) is covered by ranges of the given type. */
bool e820_covered(const struct e820_map *m, uint64_t start, uint64_t size, uint32_t type);
/* End of the highest RAM range that starts below limit, clipped to limit; 0 if none. */
uint64_t e820_ram_top_below(const struct e820_map *m, uint64_t limit);
/* End of the highest RAM range overall; 0 if none. */
uint64_t e820_ram_top(const struct e820_map *m);
/* Total bytes of RAM. */
uint64_t e820_ram_total(const struct e820_map *m);
/* Add the entries of QEMU's etc/e820 file (20-byte {u64 addr, u64 len, u32 type} records)
 * to m. Returns the number of entries used, or -1 if the file is malformed (m is then
 * unchanged). Zero-length entries and types other than RAM and reserved are ignored. */
int e820_load_qemu(struct e820_map *m, const uint8_t *buf, size_t len);
/* Short name of a type for logs. */
const char *e820_type_name(uint32_t type);
/* Log every range at the given level. */
void e820_log(const struct e820_map *m, int level, const char *title);

#endif
