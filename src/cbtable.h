/* SPDX-License-Identifier: MIT */
/* coreboot table writer: header, records, checksums, and the low-memory forwarder.
 * Pure: writes into a caller buffer whose guest-physical address the caller knows. */
#ifndef QVM_CBTABLE_H
#define QVM_CBTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "e820.h"

#define CB_TAG_MEMORY        0x01
#define CB_TAG_MAINBOARD     0x03
#define CB_TAG_SERIAL        0x0f
#define CB_TAG_FORWARD       0x11
#define CB_TAG_FRAMEBUFFER   0x12
#define CB_TAG_CBMEM_CONSOLE 0x17
#define CB_TAG_CBMEM_ENTRY   0x31

#define CB_HEADER_BYTES 24
#define CB_FORWARDER_BYTES (CB_HEADER_BYTES + 16)

struct cb_header {
	uint32_t signature; /* "LBIO" */
	uint32_t header_bytes;
	uint32_t header_checksum;
	uint32_t table_bytes;
	uint32_t table_checksum;
	uint32_t table_entries;
} __attribute__((packed));
_Static_assert(sizeof(struct cb_header) == CB_HEADER_BYTES, "coreboot header is 24 bytes");

struct cb_memory_range {
	uint32_t start_lo, start_hi;
	uint32_t size_lo, size_hi;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct cb_memory_range) == 20, "coreboot memory range is 20 bytes");

/* A table under construction. */
struct cb_builder {
	uint8_t *buf;
	size_t cap;
	size_t used;
	uint32_t entries;
	bool overflow;
};

/* The Internet checksum coreboot uses (16-bit one's complement of the LE word sum). */
uint16_t cb_ipchksum(const void *buf, size_t len);
/* Start a table in buf (cap bytes). */
void cb_begin(struct cb_builder *b, void *buf, size_t cap);
/* Append a record with tag and payload (len bytes), padded to 4 bytes. */
void cb_add(struct cb_builder *b, uint32_t tag, const void *payload, size_t len);
/* Append CB_TAG_MEMORY listing every range of map. */
void cb_add_memory(struct cb_builder *b, const struct e820_map *map);
/* Append CB_TAG_MAINBOARD with vendor and part strings. */
void cb_add_mainboard(struct cb_builder *b, const char *vendor, const char *part);
/* Append a record whose payload is one u64 (forward, cbmem console). */
void cb_add_u64(struct cb_builder *b, uint32_t tag, uint64_t value);
/* Finish: fill the header and both checksums. Returns the table size, or 0 on overflow. */
size_t cb_finish(struct cb_builder *b);
/* Write a forwarder table (header + CB_TAG_FORWARD to target) into buf. */
size_t cb_write_forwarder(void *buf, size_t cap, uint64_t target);

#endif
