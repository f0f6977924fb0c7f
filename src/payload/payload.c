// SPDX-License-Identifier: MIT
/* Payload source selection (fw_cfg opt/qvmloader/payload or the embedded image) and dispatch. */
#include <string.h>

#include "fallback.h"
#include "io.h"
#include "layout.h"
#include "log.h"
#include "payload.h"
#include "timing.h"

#define TRAILER_MAGIC  0x504d5651 /* "QVMP" */
#define FALLBACK_MAGIC 0x464d5651 /* "QVMF" */

/* Written by build/mkrom.py right below the loader proper; a fallback ROM has a second record
 * of the same form, for the fallback payload, right below it. */
struct payload_trailer {
	uint32_t magic;
	uint32_t size;
	uint32_t addr;
	uint32_t rom_size;
} __attribute__((packed));
_Static_assert(sizeof(struct payload_trailer) == 16, "payload trailer is 16 bytes");

static const struct payload_ops *const kinds[] = {
	&payload_coreboot_elf,
	&payload_uefi_fd,
	&payload_linuxboot,
};

static struct payload_image image;

/* The record at addr if it has magic and lies in a ROM of rom_size bytes (0: its own). */
static const struct payload_trailer *record(uint32_t addr, uint32_t magic, uint32_t rom_size)
{
	const struct payload_trailer *t = (const void *)(uintptr_t)addr;
	uint32_t rom_base;

	if (t->magic != magic || (rom_size && t->rom_size != rom_size))
		return NULL;
	rom_base = (uint32_t)(0x100000000ull - t->rom_size);
	if (t->rom_size < LOADER_ROM_SIZE || t->rom_size > ROM_MAX_SIZE || t->addr < rom_base ||
	    t->addr > addr || t->size > addr - t->addr)
		return NULL;
	return t;
}

/* The trailer, if the ROM carries a valid one. */
static const struct payload_trailer *trailer(void)
{
	return record(PAYLOAD_TRAILER_ADDR, TRAILER_MAGIC, 0);
}

/* The fallback payload's record, if this is a fallback ROM. */
static const struct payload_trailer *fallback_record(const struct payload_trailer *t)
{
	return record(PAYLOAD_TRAILER_ADDR - 16, FALLBACK_MAGIC, t->rom_size);
}

uint32_t payload_rom_size(void)
{
	const struct payload_trailer *t = trailer();

	return t ? t->rom_size : LOADER_ROM_SIZE;
}

bool payload_read(const struct payload_image *img, uint32_t offset, void *dst, uint32_t len)
{
	if (offset > img->size || len > img->size - offset)
		return false;
	if (img->rom)
		memcpy(dst, img->rom + offset, len);
	else
		return fwcfg_read_file(img->file, offset, dst, len) == len;
	return true;
}

/* Fill image from the ROM record t under the name source. */
static bool use_record(const struct payload_trailer *t, const char *source)
{
	memset(&image, 0, sizeof(image));
	image.source = source;
	image.rom = (const uint8_t *)(uintptr_t)t->addr;
	image.size = t->size;
	image.head_len = image.size < PAYLOAD_HEAD_BYTES ? image.size : PAYLOAD_HEAD_BYTES;
	return payload_read(&image, 0, image.head, image.head_len);
}

/* Fill image from fw_cfg or the ROM; false if there is no payload at all. On a fallback ROM,
 * *fallback gets the fallback record while the normal payload is chosen, else NULL. */
static bool find_payload(const struct payload_trailer **fallback)
{
	const struct fwcfg_file *f = fwcfg_find("opt/qvmloader/payload");
	const struct payload_trailer *t = trailer();

	*fallback = NULL;
	if (f) {
		image.source = "fw_cfg opt/qvmloader/payload";
		image.file = f;
		image.size = f->size;
	} else if (t && fallback_record(t)) {
		if (fallback_due())
			return use_record(fallback_record(t), "fallback payload");
		*fallback = fallback_record(t);
		return use_record(t, "normal payload");
	} else if (t) {
		return use_record(t, "embedded payload");
	} else {
		return false;
	}
	image.head_len = image.size < PAYLOAD_HEAD_BYTES ? image.size : PAYLOAD_HEAD_BYTES;
	return payload_read(&image, 0, image.head, image.head_len);
}

#ifndef CONFIG_DIRECT_KERNEL
#define CONFIG_DIRECT_KERNEL 0 /* 1 in out/qvmloader-linux.bin */
#endif

/* Kinds tried on QEMU's -kernel when booting it directly. */
static const struct payload_ops *const kernel_kinds[] = {
	&payload_linux_bzimage,
	&payload_pvh_elf,
	&payload_multiboot,
};

/* Direct kernel boot wanted: fw_cfg opt/qvmloader/payload-mode, else the build default. */
static bool want_direct_kernel(void)
{
	const struct fwcfg_file *f = fwcfg_find("opt/qvmloader/payload-mode");
	char mode[16] = "";
	uint32_t n;

	if (!f)
		return CONFIG_DIRECT_KERNEL;
	n = fwcfg_read_file(f, 0, mode, sizeof(mode) - 1);
	while (n && (mode[n - 1] == '\n' || !mode[n - 1]))
		mode[--n] = 0;
	if (!strcmp(mode, "linux"))
		return true;
	if (!strcmp(mode, "payload"))
		return false;
	dlog(LOG_ERR,
	     "payload: opt/qvmloader/payload-mode \"%s\" is neither linux nor payload; "
	     "using the default, %s\n",
	     mode, CONFIG_DIRECT_KERNEL ? "linux" : "payload");
	return CONFIG_DIRECT_KERNEL;
}

/* Boot QEMU's -kernel directly; returns after logging why it could not. */
static void boot_kernel(void)
{
	static struct fwcfg_file setup = {.select = FWCFG_SETUP_DATA, .name = "-kernel setup"};

	setup.size = (uint32_t)fwcfg_read_key_int(FWCFG_SETUP_SIZE, 4);
	if (!setup.size && !fwcfg_read_key_int(FWCFG_KERNEL_SIZE, 4)) {
		dlog(LOG_ERR, "payload: direct kernel boot, but QEMU was given no -kernel\n");
		return;
	}
	image.source = "fw_cfg -kernel";
	image.file = &setup;
	image.size = setup.size;
	image.head_len = image.size < PAYLOAD_HEAD_BYTES ? image.size : PAYLOAD_HEAD_BYTES;
	payload_read(&image, 0, image.head, image.head_len);
	dlog(LOG_INFO, "payload: direct kernel boot of %s\n", image.source);
	for (unsigned int i = 0; i < sizeof(kernel_kinds) / sizeof(kernel_kinds[0]); i++) {
		if (!kernel_kinds[i]->probe(&image))
			continue;
		kernel_kinds[i]->boot(&image);
		dlog(LOG_ERR, "payload: %s (%s) cannot be booted\n", image.source,
		     kernel_kinds[i]->name);
		return;
	}
	dlog(LOG_ERR,
	     "payload: %s is not a bzImage, PVH ELF or multiboot kernel "
	     "(%02x %02x %02x %02x)\n",
	     image.source, image.head[0], image.head[1], image.head[2], image.head[3]);
}

/* Boot image with the first kind that recognises it; returns after logging why not and then
 * what happens next. With watchdog, the fallback watchdog is armed right before the kind
 * takes over. */
static void boot_image(bool watchdog, const char *then)
{
	dlog(LOG_INFO, "payload: %s, %u bytes\n", image.source, image.size);
	for (unsigned int i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!kinds[i]->probe(&image))
			continue;
		if (watchdog)
			fallback_arm_watchdog();
		kinds[i]->boot(&image);
		dlog(LOG_ERR, "payload: %s (%s) cannot be booted%s\n", image.source, kinds[i]->name,
		     then);
		return;
	}
	dlog(LOG_ERR, "payload: %s is not a format qvmloader knows (%02x %02x %02x %02x)%s\n",
	     image.source, image.head[0], image.head[1], image.head[2], image.head[3], then);
}

void payload_boot(void)
{
	const struct payload_trailer *fallback;
	bool direct = want_direct_kernel();

	if (direct) {
		boot_kernel();
		memset(&image, 0, sizeof(image));
	}
	if (!find_payload(&fallback)) {
		dlog(LOG_ERR,
		     "payload: none%s: no fw_cfg opt/qvmloader/payload and no payload in "
		     "the ROM; halting\n",
		     direct ? " to fall back to" : "");
		halt_forever();
	}
	if (direct)
		dlog(LOG_ERR, "payload: direct kernel boot failed; falling back to the %s\n",
		     image.source);
	if (!fallback) {
		boot_image(false, "; halting");
		halt_forever();
	}
	boot_image(true, "; booting the fallback payload now");
	fallback_disarm_watchdog();
	if (use_record(fallback, "fallback payload"))
		boot_image(false, "; halting");
	halt_forever();
}

void payload_jump32(uint32_t entry, uint32_t eax, uint32_t ebx)
{
	timing_stage("payload");
	timing_report();
	asm volatile("cli\n\t"
		     "jmp *%0"
		     :
		     : "r"(entry), "a"(eax), "b"(ebx)
		     : "memory");
	__builtin_unreachable();
}
