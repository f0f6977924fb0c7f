// SPDX-License-Identifier: MIT
/* Fuzz the fw_cfg directory parser and the integer file decoder.
 *
 * Input: the raw directory (u32 BE count, 64-byte entries). The same bytes, when 24 or
 * fewer, are also decoded as an integer file. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fwcfg.h"

static struct fwcfg_file out[FWCFG_MAX_FILES + 1];

/* Big-endian u32 at p. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Parse with room for max entries and compare with a straightforward reading of the bytes. */
static void check_dir(const uint8_t *data, size_t size, int max)
{
	uint32_t count;
	int n, k = 0;

	memset(out, 0xa5, sizeof(out));
	n = fwcfg_dir_parse(data, size, out, max);
	if (size < 4 || be32(data) > (size - 4) / 64) {
		if (n != -1)
			__builtin_trap();
		return;
	}
	if (n < 0 || n > max)
		__builtin_trap();
	count = be32(data);
	for (uint32_t i = 0; i < count && k < n; i++) {
		const uint8_t *e = data + 4 + 64 * (size_t)i;
		uint16_t key = (uint16_t)(e[4] << 8 | e[5]);

		if (!memchr(e + 8, 0, FWCFG_NAME_LEN) || key < 0x20)
			continue;
		if (out[k].size != be32(e) || out[k].select != key)
			__builtin_trap();
		if (memcmp(out[k].name, e + 8, FWCFG_NAME_LEN))
			__builtin_trap();
		k++;
	}
	/* Every stored entry matched a valid input entry, and no valid one was dropped
	 * unless the output was full. */
	if (k != n)
		__builtin_trap();
	for (int i = 0; i < n; i++) {
		if (!memchr(out[i].name, 0, FWCFG_NAME_LEN) || out[i].select < 0x20)
			__builtin_trap();
	}
	if (n < max) {
		int valid = 0;

		for (uint32_t i = 0; i < count; i++) {
			const uint8_t *e = data + 4 + 64 * (size_t)i;

			if (memchr(e + 8, 0, FWCFG_NAME_LEN) && (e[4] << 8 | e[5]) >= 0x20)
				valid++;
		}
		if (valid != n)
			__builtin_trap();
	}
	/* Nothing is written past the n stored entries. */
	if (n <= FWCFG_MAX_FILES && out[n].size != 0xa5a5a5a5)
		__builtin_trap();
}

/* Decode as an integer file: anything accepted that is not a binary size must be ASCII. */
static void check_int(const uint8_t *data, size_t size)
{
	uint64_t v = 0x1234;
	bool ok = fwcfg_parse_int(data, size, &v);

	if (!ok && v != 0x1234)
		__builtin_trap();
	if (ok && size != 1 && size != 2 && size != 4 && size != 8 &&
	    (size > 24 || data[0] < '0' || data[0] > '9'))
		__builtin_trap();
	if (!size && ok)
		__builtin_trap();
}

/* Parse the input as a directory (two output sizes) and as an integer file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_dir(data, size, FWCFG_MAX_FILES);
	check_dir(data, size, (int)(size % 5));
	check_int(data, size);
	return 0;
}
