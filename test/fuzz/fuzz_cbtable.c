// SPDX-License-Identifier: MIT
/* Fuzz the coreboot table writer: a random memory map and strings go into a table of random
 * capacity, which is then validated the way a payload reads it.
 *
 * Input: u16 cap (LE), u8 vendor length, u8 part length, u8 extra-record length, u8 map
 * count, u64 forward target, then the vendor, part and extra bytes, then 17-byte ranges
 * {u64 start, u64 size, u8 type} (zero-filled if the input runs out).
 *
 * The buffer past the capacity is poisoned for AddressSanitizer while the writer runs, so a
 * write beyond it traps at once; inside it, a table too small for the header must leave the
 * guard bytes alone. */
#include <sanitizer/asan_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "cbtable.h"

#define BUF_BYTES 8192
#define GUARD	  0x5c

static uint8_t buf[BUF_BYTES + 64];

/* Little-endian u32 at p. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Little-endian u64 at p. */
static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Reference Internet checksum over LE words. */
static ORACLE uint16_t ref_chksum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint64_t)p[i] | (uint64_t)p[i + 1] << 8;
	if (len & 1)
		sum += p[len - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Copy n input bytes from *pos into dst, zero-filling past the end of the input. */
static void take(const uint8_t *data, size_t size, size_t *pos, void *dst, size_t n)
{
	size_t have = *pos < size ? size - *pos : 0;

	if (have > n)
		have = n;
	memcpy(dst, data + *pos, have);
	memset((uint8_t *)dst + have, 0, n - have);
	*pos += n;
}

/* Validate header, checksums and the record walk; returns the offset of record idx. */
static ORACLE size_t validate(size_t total, uint32_t idx)
{
	uint32_t table_bytes = rd32(buf + 12), entries = rd32(buf + 20);
	size_t off = CB_HEADER_BYTES, found = 0;

	if (memcmp(buf, "LBIO", 4) || rd32(buf + 4) != CB_HEADER_BYTES)
		__builtin_trap();
	if (cb_ipchksum(buf, CB_HEADER_BYTES) || ref_chksum(buf, CB_HEADER_BYTES))
		__builtin_trap();
	if (table_bytes != total - CB_HEADER_BYTES)
		__builtin_trap();
	if (rd32(buf + 16) != ref_chksum(buf + CB_HEADER_BYTES, table_bytes))
		__builtin_trap();
	for (uint32_t i = 0; i < entries; i++) {
		uint32_t rsize = rd32(buf + off + 4);

		if (rsize < 8 || rsize % 4 || rsize > total - off)
			__builtin_trap();
		if (i == idx)
			found = off;
		off += rsize;
	}
	if (off != total)
		__builtin_trap();
	return found;
}

/* Build a table from the input, then read it back as a payload would. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[14], vendor[64], part[64], extra[256];
	size_t pos = 0, cap, lv, lp, lx, need, total, r;
	struct e820_map map;
	struct cb_builder b;
	uint64_t target;

	take(data, size, &pos, hdr, sizeof(hdr));
	cap = (size_t)(hdr[0] | hdr[1] << 8) % (BUF_BYTES + 1);
	lv = hdr[2] % sizeof(vendor);
	lp = hdr[3] % sizeof(part);
	lx = hdr[4];
	map.count = hdr[5] % (E820_MAX + 1);
	memcpy(&target, hdr + 6, 8);
	take(data, size, &pos, vendor, lv);
	take(data, size, &pos, part, lp);
	take(data, size, &pos, extra, lx);
	/* Strings stop at their first NUL, like C strings do. */
	vendor[lv] = 0;
	part[lp] = 0;
	lv = strlen((char *)vendor);
	lp = strlen((char *)part);
	for (int i = 0; i < map.count; i++) {
		uint8_t t;

		take(data, size, &pos, &map.e[i].start, 8);
		take(data, size, &pos, &map.e[i].size, 8);
		take(data, size, &pos, &t, 1);
		map.e[i].type = t;
	}

	memset(buf, GUARD, cap);
	ASAN_POISON_MEMORY_REGION(buf + cap, sizeof(buf) - cap);
	cb_begin(&b, buf, cap);
	cb_add_memory(&b, &map);
	cb_add_mainboard(&b, (char *)vendor, (char *)part);
	cb_add_u64(&b, CB_TAG_CBMEM_CONSOLE, target);
	cb_add(&b, CB_TAG_SERIAL, extra, lx);
	total = cb_finish(&b);
	ASAN_UNPOISON_MEMORY_REGION(buf + cap, sizeof(buf) - cap);

	need = CB_HEADER_BYTES + 8 + 20 * (size_t)map.count +
	       ((8 + 2 + lv + 1 + lp + 1 + 3) & ~3u) + 16 + ((8 + lx + 3) & ~3u);
	for (size_t i = 0; cap < CB_HEADER_BYTES && i < cap; i++)
		if (buf[i] != GUARD)
			__builtin_trap();
	if (need > cap) {
		if (total)
			__builtin_trap();
		return 0;
	}
	if (total != need)
		__builtin_trap();
	validate(total, 0);

	/* Memory record: one 20-byte range per map entry, in order. */
	r = CB_HEADER_BYTES;
	if (rd32(buf + r) != CB_TAG_MEMORY || rd32(buf + r + 4) != 8 + 20u * (uint32_t)map.count)
		__builtin_trap();
	for (int i = 0; i < map.count; i++) {
		const uint8_t *e = buf + r + 8 + 20 * i;

		if (rd64(e) != map.e[i].start || rd64(e + 8) != map.e[i].size ||
		    rd32(e + 16) != map.e[i].type)
			__builtin_trap();
	}
	/* Mainboard: the indexes lead to the two strings. */
	r = validate(total, 1);
	if (rd32(buf + r) != CB_TAG_MAINBOARD || buf[r + 8] != 0 || buf[r + 9] != lv + 1)
		__builtin_trap();
	if (strcmp((char *)buf + r + 10, (char *)vendor) ||
	    strcmp((char *)buf + r + 10 + buf[r + 9], (char *)part))
		__builtin_trap();
	r = validate(total, 2);
	if (rd32(buf + r) != CB_TAG_CBMEM_CONSOLE || rd64(buf + r + 8) != target)
		__builtin_trap();
	r = validate(total, 3);
	if (rd32(buf + r) != CB_TAG_SERIAL || memcmp(buf + r + 8, extra, lx))
		__builtin_trap();

	/* The forwarder, into whatever room the fuzzer chose. */
	memset(buf, GUARD, cap);
	ASAN_POISON_MEMORY_REGION(buf + cap, sizeof(buf) - cap);
	total = cb_write_forwarder(buf, cap, target);
	ASAN_UNPOISON_MEMORY_REGION(buf + cap, sizeof(buf) - cap);
	if (total != (cap < CB_FORWARDER_BYTES ? 0 : CB_FORWARDER_BYTES))
		__builtin_trap();
	if (total) {
		validate(total, 0);
		if (rd32(buf + 20) != 1 || rd32(buf + 24) != CB_TAG_FORWARD ||
		    rd64(buf + 32) != target)
			__builtin_trap();
	}
	return 0;
}
