// SPDX-License-Identifier: MIT
/* Fuzz the LinuxBoot header checks. The input is a header followed by any bytes (the image);
 * an accepted header must describe parts that lie inside the image with sizes that agree. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lbimage.h"

/* Part p lies inside an image of len bytes and its sizes agree with its method. */
static void check_part(const struct lb_part *p, size_t len)
{
	if ((uint64_t)p->offset + p->stored > len || p->size > LB_MAX_PART ||
	    (p->method == LB_STORED && p->stored != p->size) ||
	    (p->method != LB_STORED && p->method != LB_LZ4))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lb_header h;
	const char *part;

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
