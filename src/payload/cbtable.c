// SPDX-License-Identifier: MIT
/* coreboot table construction (the format payloads such as SeaBIOS and EDK2 read). */
#include <string.h>

#include "cbtable.h"
#include "log.h"

#define CB_SIGNATURE 0x4f49424c /* "LBIO" */

uint16_t cb_ipchksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t sum = 0;

	for (; len >= 2; len -= 2, p += 2)
		sum += (uint32_t)p[0] | (uint32_t)p[1] << 8;
	if (len)
		sum += p[0];
	/* A 64-bit sum cannot overflow; fold until the end-around carries are all in. */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void cb_begin(struct cb_builder *b, void *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->used = CB_HEADER_BYTES;
	b->entries = 0;
	b->overflow = cap < CB_HEADER_BYTES;
	if (!b->overflow)
		memset(buf, 0, CB_HEADER_BYTES);
}

/* Reserve room for a record of payload len; returns its payload pointer or NULL. */
static uint8_t *record(struct cb_builder *b, uint32_t tag, size_t len)
{
	size_t size = (8 + len + 3) & ~(size_t)3;
	uint8_t *r;
	uint32_t hdr[2] = {tag, (uint32_t)size};

	if (b->overflow || size > b->cap - b->used) {
		b->overflow = true;
		return NULL;
	}
	r = b->buf + b->used;
	memset(r, 0, size);
	memcpy(r, hdr, sizeof(hdr));
	b->used += size;
	b->entries++;
	return r + 8;
}

void cb_add(struct cb_builder *b, uint32_t tag, const void *payload, size_t len)
{
	uint8_t *p = record(b, tag, len);

	if (p)
		memcpy(p, payload, len);
}

void cb_add_memory(struct cb_builder *b, const struct e820_map *map)
{
	uint8_t *p = record(b, CB_TAG_MEMORY, (size_t)map->count * sizeof(struct cb_memory_range));

	for (int i = 0; p && i < map->count; i++) {
		struct cb_memory_range r = {
			.start_lo = (uint32_t)map->e[i].start,
			.start_hi = (uint32_t)(map->e[i].start >> 32),
			.size_lo = (uint32_t)map->e[i].size,
			.size_hi = (uint32_t)(map->e[i].size >> 32),
			.type = map->e[i].type,
		};
		memcpy(p + i * sizeof(r), &r, sizeof(r));
	}
}

void cb_add_mainboard(struct cb_builder *b, const char *vendor, const char *part)
{
	size_t lv = strlen(vendor) + 1, lp = strlen(part) + 1;
	uint8_t *p = record(b, CB_TAG_MAINBOARD, 2 + lv + lp);

	if (!p)
		return;
	p[0] = 0;	    /* vendor string at offset 0 of the strings */
	p[1] = (uint8_t)lv; /* part string follows it */
	memcpy(p + 2, vendor, lv);
	memcpy(p + 2 + lv, part, lp);
}

void cb_add_u64(struct cb_builder *b, uint32_t tag, uint64_t value)
{
	cb_add(b, tag, &value, sizeof(value));
}

size_t cb_finish(struct cb_builder *b)
{
	struct cb_header h;

	if (b->overflow) {
		dlog(LOG_ERR, "cbtable: %u-byte buffer too small for the coreboot table\n",
		     (unsigned int)b->cap);
		return 0;
	}
	h.signature = CB_SIGNATURE;
	h.header_bytes = CB_HEADER_BYTES;
	h.header_checksum = 0;
	h.table_bytes = (uint32_t)(b->used - CB_HEADER_BYTES);
	h.table_checksum = cb_ipchksum(b->buf + CB_HEADER_BYTES, h.table_bytes);
	h.table_entries = b->entries;
	h.header_checksum = cb_ipchksum(&h, sizeof(h));
	memcpy(b->buf, &h, sizeof(h));
	return b->used;
}

size_t cb_write_forwarder(void *buf, size_t cap, uint64_t target)
{
	struct cb_builder b;

	cb_begin(&b, buf, cap);
	cb_add_u64(&b, CB_TAG_FORWARD, target);
	return cb_finish(&b);
}

bool cbmem_root_init(void *buf, size_t cap)
{
	struct cbmem_root root = {0};

	if (cap > CBMEM_ROOT_BYTES)
		cap = CBMEM_ROOT_BYTES;
	if (cap < sizeof(root) + sizeof(struct cbmem_entry))
		return false;
	memset(buf, 0, cap);
	root.max_entries = (uint32_t)((cap - sizeof(root)) / sizeof(struct cbmem_entry));
	root.size = (uint32_t)cap;
	memcpy(buf, &root, sizeof(root));
	return true;
}

bool cbmem_root_add(void *buf, uint32_t id, uint32_t start, uint32_t size)
{
	struct cbmem_root root;
	struct cbmem_entry e = {CBMEM_ENTRY_MAGIC, start, size, id};

	memcpy(&root, buf, sizeof(root));
	if (root.num_entries >= root.max_entries)
		return false;
	memcpy((uint8_t *)buf + sizeof(root) + root.num_entries * sizeof(e), &e, sizeof(e));
	root.num_entries++;
	memcpy(buf, &root, sizeof(root));
	return true;
}

bool cbmem_root_find(const void *buf, size_t cap, uint32_t id, uint32_t *start, uint32_t *size)
{
	const uint8_t *entries = (const uint8_t *)buf + sizeof(struct cbmem_root);
	struct cbmem_root root;
	struct cbmem_entry e;

	if (cap < sizeof(root) + sizeof(e))
		return false;
	memcpy(&root, buf, sizeof(root));
	memcpy(&e, entries, sizeof(e));
	if (e.magic != CBMEM_ENTRY_MAGIC || root.num_entries > (cap - sizeof(root)) / sizeof(e))
		return false;
	for (uint32_t i = 0; i < root.num_entries; i++) {
		memcpy(&e, entries + i * sizeof(e), sizeof(e));
		if (e.id == id) {
			*start = e.start;
			*size = e.size;
			return true;
		}
	}
	return false;
}
