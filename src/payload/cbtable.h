/* SPDX-License-Identifier: MIT */
/* coreboot table writer: header, records, checksums, and the low-memory forwarder.
 * Pure: writes into a caller buffer whose guest-physical address the caller knows. */
#ifndef QVM_CBTABLE_H
#define QVM_CBTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "e820.h"

#define CB_TAG_MEMORY	     0x01
#define CB_TAG_MAINBOARD     0x03
#define CB_TAG_SERIAL	     0x0f
#define CB_TAG_FORWARD	     0x11
#define CB_TAG_CBMEM_CONSOLE 0x17
#define CB_TAG_CBMEM_ENTRY   0x31
#define CB_TAG_SMMSTOREV2    0x39

#define CB_HEADER_BYTES	   24
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

/* CB_TAG_SERIAL payload. */
struct cb_serial {
	uint32_t type; /* CB_SERIAL_IO or CB_SERIAL_MMIO */
	uint32_t baseaddr;
	uint32_t baud;
	uint32_t regwidth;
	uint32_t input_hertz;
	uint32_t uart_pci_addr;
} __attribute__((packed));
_Static_assert(sizeof(struct cb_serial) == 24, "coreboot serial record payload is 24 bytes");

/* CB_TAG_SMMSTOREV2 payload: the SMM store (src/cpu/smm-store.h) a payload's flash driver
 * calls to write an SMM-only variable flash. */
struct cb_smmstorev2 {
	uint32_t num_blocks;
	uint32_t block_size;
	uint32_t mmap_addr; /* the store, memory-mapped for reads */
	uint32_t com_buffer;
	uint32_t com_buffer_size;
	uint8_t apm_cmd; /* written to port 0xB2 */
	uint8_t unused[3];
} __attribute__((packed));
_Static_assert(sizeof(struct cb_smmstorev2) == 24, "SMMSTOREv2 record payload is 24 bytes");

#define CB_SERIAL_IO   1
#define CB_SERIAL_MMIO 2

/* Legacy (pre-IMD) CBMEM root: payloads find it in the top 4 KiB of a CB_MEM_TABLE
 * (type 16) memory range and look entries up by id (EDK2: 'ACPI' = RSDP, 'SMBT' = SMBIOS). */
#define CBMEM_ROOT_BYTES  4096
#define CBMEM_ENTRY_MAGIC 0x3fc76b86u
#define CBMEM_ID_ACPI	  0x41435049u /* "ACPI": start is the RSDP */
#define CBMEM_ID_SMBIOS	  0x534d4254u /* "SMBT": start is the SMBIOS 2.x entry point */

struct cbmem_root {
	uint32_t max_entries;
	uint32_t num_entries;
	uint32_t locked;
	uint32_t size;
} __attribute__((packed));
_Static_assert(sizeof(struct cbmem_root) == 16, "legacy CBMEM root header is 16 bytes");

struct cbmem_entry {
	uint32_t magic;
	uint32_t start; /* absolute address */
	uint32_t size;
	uint32_t id;
} __attribute__((packed));
_Static_assert(sizeof(struct cbmem_entry) == 16, "legacy CBMEM entry is 16 bytes");

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
/* Start an empty legacy CBMEM root in buf (cap bytes, at most CBMEM_ROOT_BYTES are used).
 * Returns false if cap cannot hold the header and one entry. */
bool cbmem_root_init(void *buf, size_t cap);
/* Add an entry for [start, start+size) with id. Returns false if the root is full. */
bool cbmem_root_add(void *buf, uint32_t id, uint32_t start, uint32_t size);
/* Look id up in the root in buf (cap bytes) as a payload does: entries count only if the
 * first has the legacy magic. Returns true and sets *start and *size when found. */
bool cbmem_root_find(const void *buf, size_t cap, uint32_t id, uint32_t *start, uint32_t *size);

#endif
