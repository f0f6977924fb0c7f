// SPDX-License-Identifier: MIT
/* LinuxBoot payload header checks: every part lies inside the image, has a known method and a
 * plausible size, and the setup part is a whole number of sectors holding the bzImage header. */
#include <string.h>

#include "lbimage.h"

/* NULL if part p of an image of len bytes is sound, else why not. */
static const char *check_part(const struct lb_part *p, uint32_t len, int compressible)
{
	if (p->offset > len || p->stored > len - p->offset)
		return "lies outside the image";
	if (p->size > LB_MAX_PART)
		return "decodes to more than 256 MiB";
	if (p->method == LB_STORED)
		return p->stored == p->size ? NULL : "is stored but its two sizes differ";
	if (p->method == LB_LZ4 && compressible)
		return p->stored >= 4 || !p->size ? NULL : "is too short for an LZ4 frame";
	return "has an unknown method";
}

const char *lb_check(const struct lb_header *h, size_t avail, uint32_t len, const char **part)
{
	const char *why;

	*part = "header";

	if (avail < sizeof(*h) || len < sizeof(*h))
		return "shorter than its header";
	if (memcmp(h->magic, LB_MAGIC, 8) != 0)
		return "no QVMLBOOT magic";
	if (h->version != LB_VERSION || h->header_size != sizeof(*h))
		return "unknown header version or size";
	*part = "setup part";
	if ((why = check_part(&h->setup, len, 0)))
		return why;
	if (h->setup.size < 0x400 || h->setup.size % 512)
		return "is not a whole number of sectors of at least 1 KiB";
	*part = "kernel part";
	if ((why = check_part(&h->kernel, len, 1)))
		return why;
	if (!h->kernel.size)
		return "is empty";
	*part = "initrd part";
	if ((why = check_part(&h->initrd, len, 1)))
		return why;
	*part = "command line";
	if (h->cmdline_size > LB_MAX_CMDLINE || h->cmdline_offset > len ||
	    h->cmdline_size > len - h->cmdline_offset)
		return "lies outside the image or is longer than 4 KiB";
	return NULL;
}
