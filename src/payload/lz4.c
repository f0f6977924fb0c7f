// SPDX-License-Identifier: MIT
/* LZ4 block and legacy-frame decoder: bounds-checked on every read and write, no allocation,
 * no state beyond the call, so it runs unchanged in the ROM and under the fuzzer. */
#include <string.h>

#include "lz4.h"

#define MIN_MATCH 4

/* Read a length extension (bytes of 255 and a final byte below 255) onto *n. */
static enum lz4_status read_len(const uint8_t **p, const uint8_t *end, size_t *n)
{
	uint8_t b;

	do {
		if (*p >= end)
			return LZ4_TRUNCATED;
		b = *(*p)++;
		if (*n > SIZE_MAX - 255)
			return LZ4_NO_ROOM;
		*n += b;
	} while (b == 255);
	return LZ4_OK;
}

enum lz4_status lz4_decode_block(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
				 size_t *out)
{
	const uint8_t *p = src, *end = src + len;
	size_t pos = 0;
	enum lz4_status s;

	*out = 0;
	while (p < end) {
		uint8_t token = *p++;
		size_t lit = token >> 4, match = token & 15, off;

		if (lit == 15 && (s = read_len(&p, end, &lit)))
			return s;
		if (lit > (size_t)(end - p))
			return LZ4_TRUNCATED;
		if (lit > cap - pos)
			return LZ4_NO_ROOM;
		memcpy(dst + pos, p, lit);
		p += lit;
		pos += lit;
		if (p == end)
			break; /* the last sequence has literals only */
		if (end - p < 2)
			return LZ4_TRUNCATED;
		off = (size_t)p[0] | (size_t)p[1] << 8;
		p += 2;
		if (!off || off > pos)
			return LZ4_BAD_OFFSET;
		if (match == 15 && (s = read_len(&p, end, &match)))
			return s;
		match += MIN_MATCH;
		if (match > cap - pos)
			return LZ4_NO_ROOM;
		/* Byte by byte: a match may overlap the bytes it produces (off < match). */
		for (size_t i = 0; i < match; i++, pos++)
			dst[pos] = dst[pos - off];
	}
	*out = pos;
	return LZ4_OK;
}

/* Little-endian 32-bit value at p. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum lz4_status lz4_decode_legacy(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
				  size_t *out)
{
	size_t at = 4, pos = 0;

	*out = 0;
	if (len < 4 || le32(src) != LZ4_LEGACY_MAGIC)
		return LZ4_BAD_MAGIC;
	while (at < len) {
		uint32_t csize;
		size_t n, room;
		enum lz4_status s;

		if (len - at < 4)
			return LZ4_TRUNCATED;
		csize = le32(src + at);
		at += 4;
		if (csize == LZ4_LEGACY_MAGIC)
			continue; /* a second frame appended to the first */
		if (!csize || csize > LZ4_LEGACY_BLOCK + LZ4_LEGACY_BLOCK / 255 + 16)
			return LZ4_BAD_BLOCK;
		if (csize > len - at)
			return LZ4_TRUNCATED;
		room = cap - pos < LZ4_LEGACY_BLOCK ? cap - pos : LZ4_LEGACY_BLOCK;
		s = lz4_decode_block(src + at, csize, dst + pos, room, &n);
		if (s == LZ4_NO_ROOM && room == LZ4_LEGACY_BLOCK)
			return LZ4_BAD_BLOCK;
		if (s)
			return s;
		at += csize;
		pos += n;
	}
	*out = pos;
	return LZ4_OK;
}

const char *lz4_strerror(enum lz4_status s)
{
	switch (s) {
	case LZ4_OK:
		return "ok";
	case LZ4_TRUNCATED:
		return "input ends inside a sequence or block header";
	case LZ4_BAD_OFFSET:
		return "a match points before the start of its block";
	case LZ4_NO_ROOM:
		return "output larger than the space for it";
	case LZ4_BAD_MAGIC:
		return "not an LZ4 legacy frame (magic 0x184c2102)";
	case LZ4_BAD_BLOCK:
		return "implausible block size or block decodes to more than 8 MiB";
	}
	return "unknown LZ4 status";
}
