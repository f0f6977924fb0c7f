// SPDX-License-Identifier: MIT
/* Fuzz the LinuxBoot header checks and the fallback settings parser. The input is a header
 * followed by any bytes (the image); an accepted header must describe parts that lie inside
 * the image with sizes that agree, and whatever parse_decimal accepts must be the number the
 * bytes spell, within bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bootcount.h"
#include "lbimage.h"

/* Part p lies inside an image of len bytes and its sizes agree with its method. */
static void check_part(const struct lb_part *p, size_t len)
{
	if ((uint64_t)p->offset + p->stored > len || p->size > LB_MAX_PART ||
	    (p->method == LB_STORED && p->stored != p->size) ||
	    (p->method != LB_STORED && p->method != LB_LZ4))
		__builtin_trap();
}

/* parse_decimal accepts exactly the canonical decimals within [1, 100]. */
static void check_parse(const uint8_t *d, size_t len)
{
	uint32_t v = 0, n = len > 12 ? 12 : (uint32_t)len, want = 0, digits = n;
	bool got = parse_decimal((const char *)d, n, 1, FALLBACK_AFTER_MAX, &v), ok;

	if (digits && d[digits - 1] == '\n')
		digits--;
	ok = digits > 0 && digits <= 3 && !(digits > 1 && d[0] == '0');
	for (uint32_t i = 0; ok && i < digits; i++) {
		ok = d[i] >= '0' && d[i] <= '9';
		want = want * 10 + (uint32_t)(d[i] - '0');
	}
	ok = ok && want >= 1 && want <= FALLBACK_AFTER_MAX;
	if (got != ok || (ok && v != want))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lb_header h;
	const char *part;

	check_parse(data, size);
	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	if (lb_check(&h, size, (uint32_t)size, &part))
		return 0;
	check_part(&h.setup, size);
	check_part(&h.kernel, size);
	check_part(&h.initrd, size);
	if (h.setup.method != LB_STORED || h.setup.size % 512 || !h.kernel.size ||
	    (uint64_t)h.cmdline_offset + h.cmdline_size > size || h.cmdline_size > LB_MAX_CMDLINE)
		__builtin_trap();
	return 0;
}
