// SPDX-License-Identifier: MIT
/* Fuzz the fw_cfg directory entry decoder, the name index and the numeric option parser.
 *
 * Input: a sequence of raw 64-byte directory entries; the same bytes, when at most 80, are
 * also parsed and quoted as a numeric option. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fwcfg.h"

static uint16_t index_[FWCFG_MAX_FILES];

/* Big-endian u32 at p. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decode every entry, compare with a straightforward reading of the bytes, then check that
 * the index walk finds each usable entry's position. */
static void check_dir(const uint8_t *data, size_t size)
{
	uint32_t count = (uint32_t)(size / 64);
	struct fwcfg_file f;

	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = data + 64 * (size_t)i;
		uint16_t key = (uint16_t)(e[4] << 8 | e[5]);
		bool want = memchr(e + 8, 0, FWCFG_NAME_LEN) && key >= 0x20;

		memset(&f, 0xa5, sizeof(f));
		if (fwcfg_dir_entry(e, i, &f) != want)
			__builtin_trap();
		index_[i] = want ? fwcfg_name_hash(f.name) : 0;
		if (want && (f.size != be32(e) || f.select != key ||
			     memcmp(f.name, e + 8, FWCFG_NAME_LEN) || !index_[i]))
			__builtin_trap();
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t j = fwcfg_index_next(index_, count, index_[i], 0);

		if (index_[i] && (j > i || index_[j] != index_[i]))
			__builtin_trap();
	}
}

/* Parse as a number: an accepted input is digits (after 0x) with at most one newline. */
static void check_number(const uint8_t *data, size_t size)
{
	uint64_t v = 0x1234;
	size_t len = size, i = 0;
	char q[64];
	int err = fwcfg_parse_number(data, size, &v);

	fwcfg_quote(data, size, q, sizeof(q));
	if (strlen(q) >= sizeof(q))
		__builtin_trap();
	if (err != FWCFG_NUM_OK) {
		if (v != 0x1234)
			__builtin_trap();
		return;
	}
	if (len && data[len - 1] == '\n')
		len--;
	if (len >= 2 && data[0] == '0' && (data[1] | 0x20) == 'x')
		i = 2;
	if (i == len)
		__builtin_trap();
	for (bool hex = i == 2; i < len; i++) {
		uint8_t c = data[i], l = (uint8_t)(c | 0x20);

		if (!(c >= '0' && c <= '9') && !(hex && l >= 'a' && l <= 'f'))
			__builtin_trap();
	}
}

/* Decode the input as directory entries and as a numeric option. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 64)
		return 0;
	check_dir(data, size);
	if (size <= 80)
		check_number(data, size);
	return 0;
}
