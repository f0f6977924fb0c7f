// SPDX-License-Identifier: MIT
/* ELF kernels from QEMU -kernel: PVH (QEMU has loaded the segments and gives the note's
 * entry) and multiboot v1 (QEMU gives the flat image and the boot information). */
#include <string.h>

#include "fwcfg.h"
#include "lapic.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "payload.h"
#include "pvh.h"
#include "tables.h"

#define MAX_BUSY 8

/* What the loader itself has written since reset: a segment QEMU put there is damaged. */
static int used_ranges(struct busy_range *r, int max)
{
	int n = memmap_busy(r, max - 2);

	r[n++] = (struct busy_range){SCRATCH_BASE, SCRATCH_BASE + SCRATCH_SIZE,
				     "loader scratch RAM"};
	r[n++] = (struct busy_range){0xf0000, 0x100000, "BIOS segment"};
	return n;
}

static bool probe_pvh(const struct payload_image *img)
{
	return img->head_len >= 4 && !memcmp(img->head, "\177ELF", 4);
}

/* The PHYS32_ENTRY note's value from the notes in the header or in loaded memory:
 * 0 if no note can be read, -1 (after logging) if a note is malformed. */
static int64_t note_entry(const struct payload_image *img, const struct pvh_elf *elf)
{
	for (int i = 0; i < elf->nnote; i++) {
		const struct pvh_note *n = &elf->note[i];
		const void *notes;
		uint64_t phys;
		uint32_t entry;
		int rc;

		if (n->offset < img->head_len && n->filesz <= img->head_len - n->offset)
			notes = img->head + n->offset;
		else if (!pvh_note_phys(elf, i, &phys))
			notes = (const void *)(uintptr_t)phys;
		else
			continue;
		rc = pvh_find_entry(notes, (size_t)n->filesz, n->align, &entry);
		if (rc < 0)
			return -1;
		if (!rc)
			return entry;
	}
	return 0;
}

/* Check the segments QEMU loaded and find the entry; 0 after logging on failure. */
static uint32_t check_pvh(const struct payload_image *img, const struct pvh_elf *elf,
			  const struct e820_map *map)
{
	uint32_t qemu_entry = (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_ENTRY, 4);
	struct busy_range used[MAX_BUSY + 2];
	int nused = used_ranges(used, MAX_BUSY + 2);
	int64_t entry;

	for (int i = 0; i < elf->nload; i++) {
		const struct pvh_segment *s = &elf->load[i];

		if (!kernel_range_free(map, s->paddr, s->paddr + s->memsz, used, nused,
				       "PVH segment QEMU loaded")) {
			dlog(LOG_ERR,
			     "pvh: %s: segment %d cannot be used (the loader has overwritten "
			     "it or it is not RAM)\n",
			     img->source, i);
			return 0;
		}
	}
	entry = note_entry(img, elf);
	if (entry < 0)
		return 0;
	if (!qemu_entry) {
		dlog(LOG_ERR, "pvh: %s: QEMU gives no PVH entry (KERNEL_ENTRY is 0)\n",
		     img->source);
		return 0;
	}
	if (!entry) {
		dlog(LOG_INFO, "pvh: PHYS32_ENTRY note not readable here; using QEMU's entry %x\n",
		     qemu_entry);
		return qemu_entry;
	}
	if (entry != qemu_entry) {
		dlog(LOG_ERR, "pvh: the PHYS32_ENTRY note says %x but QEMU says %x\n",
		     (uint32_t)entry, qemu_entry);
		return 0;
	}
	return qemu_entry;
}

static void boot_pvh(const struct payload_image *img)
{
	struct busy_range avoid[MAX_BUSY + 2 + PVH_MAX_LOADS];
	struct hvm_memmap_entry *mm;
	struct hvm_modlist_entry *mod;
	struct hvm_start_info *si;
	uint32_t mark = zone_mark(), csize, entry, initrd, isize;
	struct e820_map map;
	struct pvh_elf elf;
	char *cmdline;
	int navoid, n;

	if (pvh_parse_elf(img->head, img->head_len, &elf))
		return;
	si = zone_alloc(sizeof(*si), 16, "hvm_start_info");
	mod = zone_alloc(sizeof(*mod), 16, "PVH module list");
	mm = zone_alloc(E820_MAX * sizeof(*mm), 16, "PVH memory map");
	cmdline = kernel_cmdline(&csize);
	if (!si || !mod || !mm || !cmdline || !kernel_boot_map(&map))
		goto fail;
	entry = check_pvh(img, &elf, &map);
	if (!entry)
		goto fail;
	navoid = used_ranges(avoid, MAX_BUSY + 2);
	for (int i = 0; i < elf.nload; i++)
		avoid[navoid++] = (struct busy_range){
			elf.load[i].paddr, elf.load[i].paddr + elf.load[i].memsz, "kernel"};
	if (!kernel_load_initrd(&map, UINT32_MAX, avoid, navoid, &initrd, &isize))
		goto fail;
	n = pvh_build_memmap(&map, mm, E820_MAX);
	if (n < 0)
		goto fail;
	*mod = (struct hvm_modlist_entry){initrd, isize, 0, 0};
	pvh_start_info_init(si, (uintptr_t)cmdline, tables.rsdp, (uintptr_t)mm, (uint32_t)n,
			    isize ? (uintptr_t)mod : 0, isize ? 1 : 0);
	e820_log(&map, LOG_DEBUG, "pvh: memory map");
	kernel_legacy_pointers();
	lapic_virtual_wire();
	dlog(LOG_INFO, "pvh: %s-bit ELF, jumping to %x (start_info at %p, command line \"%s\")\n",
	     elf.is64 ? "64" : "32", entry, si, cmdline);
	payload_jump32(entry, 0, (uint32_t)(uintptr_t)si);
fail:
	zone_release(mark);
}

static bool probe_multiboot(const struct payload_image *img)
{
	return !img->size && fwcfg_read_key_int(FWCFG_KERNEL_ENTRY, 4) &&
	       fwcfg_read_key_int(FWCFG_KERNEL_SIZE, 4);
}

static void boot_multiboot(const struct payload_image *img)
{
	uint32_t addr = (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_ADDR, 4);
	uint32_t size = (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_SIZE, 4);
	uint32_t entry = (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_ENTRY, 4);
	uint32_t info_size = (uint32_t)fwcfg_read_key_int(FWCFG_INITRD_SIZE, 4);
	struct busy_range busy[MAX_BUSY];
	struct multiboot_mmap_entry *mmap;
	struct multiboot_info *mbi;
	uint32_t mark = zone_mark();
	struct e820_map map;
	int nbusy;

	if (info_size != sizeof(*mbi)) {
		dlog(LOG_ERR, "multiboot: %s: boot information is %u bytes, expected %u\n",
		     img->source, info_size, (unsigned int)sizeof(*mbi));
		return;
	}
	if (entry - addr >= size) {
		dlog(LOG_ERR, "multiboot: %s: entry %x is outside the image at %x (%u bytes)\n",
		     img->source, entry, addr, size);
		return;
	}
	mbi = zone_alloc(sizeof(*mbi), 16, "multiboot info");
	mmap = zone_alloc(E820_MAX * sizeof(*mmap), 16, "multiboot memory map");
	if (!mbi || !mmap || !kernel_boot_map(&map))
		goto fail;
	nbusy = memmap_busy(busy, MAX_BUSY);
	if (!kernel_range_free(&map, addr, (uint64_t)addr + size, busy, nbusy, "multiboot image"))
		goto fail;
	fwcfg_read_key(FWCFG_INITRD_DATA, mbi, sizeof(*mbi));
	if (multiboot_fill_memory(mbi, &map, mmap, E820_MAX, (uint32_t)(uintptr_t)mmap) < 0) {
		dlog(LOG_ERR,
		     "multiboot: memory map has no RAM at 0 and 1 MiB or too many ranges\n");
		goto fail;
	}
	fwcfg_read_key(FWCFG_KERNEL_DATA, (void *)(uintptr_t)addr, size);
	kernel_legacy_pointers();
	lapic_virtual_wire();
	dlog(LOG_INFO, "multiboot: image at %x (%u bytes), jumping to %x (info at %p)\n", addr,
	     size, entry, mbi);
	payload_jump32(entry, MULTIBOOT_LOADER_MAGIC, (uint32_t)(uintptr_t)mbi);
fail:
	zone_release(mark);
}

const struct payload_ops payload_pvh_elf = {
	.name = "PVH ELF kernel",
	.probe = probe_pvh,
	.boot = boot_pvh,
};

const struct payload_ops payload_multiboot = {
	.name = "multiboot kernel",
	.probe = probe_multiboot,
	.boot = boot_multiboot,
};
