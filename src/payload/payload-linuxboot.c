// SPDX-License-Identifier: MIT
/* LinuxBoot payload: a kernel, initramfs and command line embedded in the ROM (lbimage.h),
 * decoded straight to where the boot protocol places them and started like -kernel. */
#include <string.h>

#include "lbimage.h"
#include "log.h"
#include "lz4.h"
#include "memmap.h"
#include "payload.h"
#include "timing.h"

static const struct lb_header *hdr;
static const uint8_t *base;

static bool probe(const struct payload_image *img)
{
	return img->head_len >= 8 && !memcmp(img->head, LB_MAGIC, 8);
}

/* Decode part p of the image to dst; false after logging. */
static bool read_part(const struct lb_part *p, const char *what, void *dst)
{
	size_t n;
	enum lz4_status s;

	if (p->method == LB_STORED) {
		memcpy(dst, base + p->offset, p->size);
		return true;
	}
	s = lz4_decode_legacy(base + p->offset, p->stored, dst, p->size, &n);
	if (s || n != p->size) {
		dlog(LOG_ERR, "linuxboot: %s (LZ4, %u bytes) does not decode to its %u bytes: %s\n",
		     what, p->stored, p->size, s ? lz4_strerror(s) : "it is shorter");
		return false;
	}
	timing_stage(what);
	return true;
}

/* The protected-mode kernel into dst. */
static bool read_kernel(void *dst)
{
	return read_part(&hdr->kernel, "kernel", dst);
}

/* The initramfs into dst. */
static bool read_initrd(void *dst)
{
	return read_part(&hdr->initrd, "initramfs", dst);
}

/* The embedded command line, copied into the table zone. */
static char *cmdline(uint32_t *size)
{
	char *s = zone_alloc(hdr->cmdline_size + 1, 16, "kernel command line");

	if (!s)
		return NULL;
	memcpy(s, base + hdr->cmdline_offset, hdr->cmdline_size);
	s[hdr->cmdline_size] = 0;
	*size = (uint32_t)strlen(s) + 1;
	return s;
}

static void boot(const struct payload_image *img)
{
	static struct payload_image setup;
	struct linux_source src = {
		.read_kernel = read_kernel,
		.read_initrd = read_initrd,
		.cmdline = cmdline,
	};
	const char *part, *why;

	if (!img->rom) {
		dlog(LOG_ERR, "linuxboot: %s: a LinuxBoot image must be embedded in the ROM\n",
		     img->source);
		return;
	}
	hdr = (const struct lb_header *)img->rom;
	why = lb_check(hdr, img->size, img->size, &part);
	if (why) {
		dlog(LOG_ERR, "linuxboot: %s: %s %s\n", img->source, part, why);
		return;
	}
	base = img->rom;
	src.kernel_size = hdr->kernel.size;
	src.initrd_size = hdr->initrd.size;
	dlog(LOG_INFO, "linuxboot: kernel %u bytes (%s %u), initramfs %u bytes (%s %u)\n",
	     hdr->kernel.size, hdr->kernel.method ? "LZ4" : "stored", hdr->kernel.stored,
	     hdr->initrd.size, hdr->initrd.method ? "LZ4" : "stored", hdr->initrd.stored);
	setup.source = "LinuxBoot kernel";
	setup.rom = base + hdr->setup.offset;
	setup.size = hdr->setup.size;
	setup.head_len = setup.size < PAYLOAD_HEAD_BYTES ? setup.size : PAYLOAD_HEAD_BYTES;
	memcpy(setup.head, setup.rom, setup.head_len);
	linux_boot(&setup, &src);
}

const struct payload_ops payload_linuxboot = {
	.name = "LinuxBoot image",
	.probe = probe,
	.boot = boot,
};
