// SPDX-License-Identifier: MIT
/* Fuzz the LZ4 decoder. The first byte selects block (even) or legacy frame (odd) input and,
 * from its upper bits, the output capacity. A successful decode must stay within the buffer,
 * be reproducible with a larger buffer, and be refused with a buffer one byte short. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lz4.h"

#define CAP 0x10000u

static uint8_t a[CAP], b[CAP];

/* Run the chosen decoder. */
static enum lz4_status decode(int legacy, const uint8_t *d, size_t len, uint8_t *dst, size_t cap,
			      size_t *n)
{
	return legacy ? lz4_decode_legacy(d, len, dst, cap, n)
		      : lz4_decode_block(d, len, dst, cap, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, n, m;
	int legacy;

	if (size < 1 || size > 0x8000)
		return 0;
	legacy = data[0] & 1;
	cap = (data[0] >> 1) ? (size_t)(data[0] >> 1) * 512 : CAP;
	if (decode(legacy, data + 1, size - 1, a, cap, &n) != LZ4_OK)
		return 0;
	if (n > cap)
		__builtin_trap();
	if (decode(legacy, data + 1, size - 1, b, CAP, &m) != LZ4_OK || m != n || memcmp(a, b, n))
		__builtin_trap();
	if (n && decode(legacy, data + 1, size - 1, b, n - 1, &m) != LZ4_NO_ROOM)
		__builtin_trap();
	return 0;
}
