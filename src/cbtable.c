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
	uint32_t hdr[2] = { tag, (uint32_t)size };

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
	p[0] = 0;                /* vendor string at offset 0 of the strings */
	p[1] = (uint8_t)lv;      /* part string follows it */
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
