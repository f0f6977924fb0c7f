// SPDX-License-Identifier: MIT
/* coreboot-style ELF payloads (SeaBIOS in coreboot mode, GRUB's coreboot image): load the
 * PT_LOAD segments, publish a coreboot table, hand over in 32-bit flat mode. */
#include <string.h>

#include "cbtable.h"
#include "chipset.h"
#include "elf.h"
#include "fwcfg.h"
#include "io.h"
#include "lapic.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "payload.h"
#include "pvh.h"

#define CB_TABLE_BYTES 4096
#define MB_INFO_MODS   (1u << 3)
#define MAX_ROMFILES   4

struct mb_module {
	uint32_t start;
	uint32_t end;
	uint32_t cmdline;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mb_module) == 16, "multiboot module entry is 16 bytes");

/* A romfile handed to SeaBIOS as a multiboot module "name=<file>". */
struct romfile {
	const char *name;
	uint64_t value;
	uint32_t size;
};

static bool probe(const struct payload_image *img)
{
	return elf_is_elf(img->head, img->head_len);
}

/* Romfiles coreboot-mode SeaBIOS does not derive from fw_cfg itself. */
static int collect_romfiles(struct romfile *rf)
{
	int n = 0;

	/* -boot menu=on|off: legacy key BOOT_MENU; without it SeaBIOS always waits 2.5 s. */
	if (!fwcfg_find("etc/show-boot-menu"))
		rf[n++] = (struct romfile){"etc/show-boot-menu",
					   fwcfg_read_key_int(FWCFG_BOOT_MENU, 2) & 1, 2};
	return n;
}

/* Build the multiboot info and module data in the table zone; returns its address or 0. */
static uint32_t build_multiboot(void)
{
	struct romfile rf[MAX_ROMFILES];
	int n = collect_romfiles(rf);
	struct multiboot_info *mbi;
	struct mb_module *mods;

	if (!n)
		return 0;
	mbi = zone_alloc(sizeof(*mbi) + n * (sizeof(*mods) + 64 + 8), 16, "multiboot info");
	if (!mbi)
		return 0;
	mods = (struct mb_module *)(mbi + 1);
	for (int i = 0; i < n; i++) {
		char *cmd = (char *)(mods + n) + i * (64 + 8);
		uint8_t *data = (uint8_t *)cmd + 64;

		memcpy(cmd, "name=", 5);
		memcpy(cmd + 5, rf[i].name, strnlen(rf[i].name, 58));
		memcpy(data, &rf[i].value, rf[i].size);
		mods[i].start = (uint32_t)(uintptr_t)data;
		mods[i].end = (uint32_t)(uintptr_t)data + rf[i].size;
		mods[i].cmdline = (uint32_t)(uintptr_t)cmd;
		dlog(LOG_DEBUG, "coreboot: romfile %s = %llu\n", rf[i].name,
		     (unsigned long long)rf[i].value);
	}
	mbi->flags = MB_INFO_MODS;
	mbi->mods_count = (uint32_t)n;
	mbi->mods_addr = (uint32_t)(uintptr_t)mods;
	return (uint32_t)(uintptr_t)mbi;
}

/* Write the full coreboot table into the zone and the forwarder at 0x500. */
static bool write_cbtable(void *table)
{
	struct e820_map map;
	struct cb_builder b;

	memmap_handoff(&map, E820_TABLE);
	cb_begin(&b, table, CB_TABLE_BYTES);
	cb_add_memory(&b, &map);
	cb_add_mainboard(&b, "QEMU", "qvmloader");
	if (!cb_finish(&b))
		return false;
	e820_log(&map, LOG_DEBUG, "coreboot: memory map");
	return cb_write_forwarder((void *)CB_FORWARD_ADDR, CB_FORWARDER_BYTES,
				  (uint32_t)(uintptr_t)table) != 0;
}

static void boot(const struct payload_image *img)
{
	struct busy_range busy[8];
	struct elf_image elf;
	uint32_t mbi;
	void *table;
	int nbusy;

	if (elf_parse(img->head, img->head_len, img->size, &elf)) {
		dlog(LOG_ERR, "coreboot: %s is not a valid ELF payload\n", img->source);
		return;
	}
	table = zone_alloc(CB_TABLE_BYTES, 16, "coreboot table");
	mbi = build_multiboot();
	if (!table)
		return;
	nbusy = memmap_busy(busy, 8);
	if (elf_check_placement(&elf, &memmap, busy, nbusy)) {
		dlog(LOG_ERR, "coreboot: %s cannot be loaded where it asks\n", img->source);
		return;
	}
	chipset_shadow_rw();
	for (int i = 0; i < elf.nseg; i++) {
		const struct elf_segment *s = &elf.seg[i];
		uint8_t *dst = (uint8_t *)(uintptr_t)s->paddr;

		if (!payload_read(img, s->offset, dst, s->filesz)) {
			dlog(LOG_ERR, "coreboot: %s: reading segment %d failed\n", img->source, i);
			return;
		}
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
		dlog(LOG_DEBUG, "coreboot: segment %d at %x, %u bytes\n", i, s->paddr, s->memsz);
	}
	if (!write_cbtable(table))
		return;
	lapic_virtual_wire();
	dlog(LOG_INFO, "coreboot: jumping to %x (coreboot table at %p)\n", elf.entry, table);
	payload_jump32(elf.entry, mbi ? MULTIBOOT_LOADER_MAGIC : 0, mbi);
}

const struct payload_ops payload_coreboot_elf = {
	.name = "coreboot ELF",
	.probe = probe,
	.boot = boot,
};
