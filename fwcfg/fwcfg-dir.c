// SPDX-License-Identifier: MIT
/* Pure fw_cfg helpers: directory entries and their index, user-given numbers. */
#include <string.h>

#include "fwcfg.h"
#include "log.h"

/* Convert a big-endian 32-bit value from a byte buffer. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool fwcfg_dir_entry(const uint8_t *e, uint32_t i, struct fwcfg_file *out)
{
	uint16_t key = (uint16_t)(e[4] << 8 | e[5]);
	const char *name = (const char *)e + 8;

	if (strnlen(name, FWCFG_NAME_LEN) == FWCFG_NAME_LEN) {
		dlog(LOG_ERR, "fw_cfg: file %u has an unterminated name, skipped\n", i);
		return false;
	}
	if (key < 0x20) {
		dlog(LOG_ERR, "fw_cfg: file %s has invalid key 0x%x, skipped\n", name, key);
		return false;
	}
	out->size = be32(e);
	out->select = key;
	memcpy(out->name, name, FWCFG_NAME_LEN);
	return true;
}

/* FNV-1a over the name, folded to 16 bits; 0 is reserved for unusable entries. */
uint16_t fwcfg_name_hash(const char *name)
{
	uint32_t h = 2166136261u;
	uint16_t f;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	f = (uint16_t)(h ^ h >> 16);
	return f ? f : 1;
}

uint32_t fwcfg_index_next(const uint16_t *index, uint32_t count, uint16_t h, uint32_t from)
{
	for (; from < count; from++)
		if (index[from] == h)
			return from;
	return count;
}

/* Value of hex or decimal digit c in base, or -1. */
static int digit(uint8_t c, unsigned int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int fwcfg_parse_number(const uint8_t *buf, size_t len, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (len > FWCFG_NUM_MAX_LEN)
		return FWCFG_NUM_TOO_LONG;
	if (len && buf[len - 1] == '\n')
		len--;
	if (len && (buf[0] == '-' || buf[0] == '+'))
		return FWCFG_NUM_SIGN;
	if (len >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return i ? FWCFG_NUM_JUNK : FWCFG_NUM_EMPTY;
	for (; i < len; i++) {
		int d = digit(buf[i], base);

		if (d < 0)
			return FWCFG_NUM_JUNK;
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return FWCFG_NUM_OVERFLOW;
		v = v * base + (unsigned int)d;
	}
	*out = v;
	return FWCFG_NUM_OK;
}

const char *fwcfg_number_error(int err)
{
	switch (err) {
	case FWCFG_NUM_EMPTY:
		return "it is empty";
	case FWCFG_NUM_SIGN:
		return "numbers here have no sign";
	case FWCFG_NUM_JUNK:
		return "it is not a decimal or 0x-hex number (only one final newline is allowed)";
	case FWCFG_NUM_OVERFLOW:
		return "it is larger than 2^64 - 1";
	case FWCFG_NUM_TOO_LONG:
		return "it is longer than 64 bytes";
	default:
		return "it is a number";
	}
}

/* Printable form of byte c in enc; returns its length (1, 2 or 4). */
static size_t quote_byte(uint8_t c, char *enc)
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7f && c != '\\') {
		enc[0] = (char)c;
		return 1;
	}
	enc[0] = '\\';
	if (c == '\n') {
		enc[1] = 'n';
		return 2;
	}
	enc[1] = 'x';
	enc[2] = hex[c >> 4];
	enc[3] = hex[c & 15];
	return 4;
}

void fwcfg_quote(const uint8_t *buf, size_t len, char *out, size_t outlen)
{
	size_t total = 0, room, o = 0, i;
	char enc[4];

	if (!outlen)
		return;
	for (i = 0; i < len; i++)
		total += quote_byte(buf[i], enc);
	room = total < outlen ? outlen - 1 : (outlen > 4 ? outlen - 4 : 0);
	for (i = 0; i < len; i++) {
		size_t n = quote_byte(buf[i], enc);

		if (o + n > room)
			break;
		memcpy(out + o, enc, n);
		o += n;
	}
	if (i < len && o + 4 <= outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
}
