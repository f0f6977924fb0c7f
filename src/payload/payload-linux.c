// SPDX-License-Identifier: MIT
/* Linux bzImage from QEMU -kernel, started through the 32-bit boot protocol, and what every
 * direct kernel boot shares: the memory map, command line, initrd and legacy table pointers. */
#include <string.h>

#include "bda.h"
#include "bzimage.h"
#include "chipset.h"
#include "fwcfg.h"
#include "io.h"
#include "lapic.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "payload.h"
#include "tables.h"
#include "timing.h"

#define BOOT_CS	  0x10 /* __BOOT_CS of the boot protocol */
#define BOOT_DS	  0x18 /* __BOOT_DS */
#define MAX_BUSY  8
#define FSEG_BASE 0xf0000
#define MIB	  0x100000u

struct gdt_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct gdt_ptr) == 6, "GDTR image is 6 bytes");

/* Null, unused, flat 32-bit code at 0x10 and flat data at 0x18. */
static const uint64_t boot_gdt[4] = {0, 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull};

bool kernel_boot_map(struct e820_map *map)
{
	memmap_handoff(map, E820_RESERVED);
	if (boot_map_legacy(map)) {
		dlog(LOG_ERR, "kernel: memory map full, cannot describe the BIOS area\n");
		return false;
	}
	bda_setup();
	return true;
}

char *kernel_cmdline(uint32_t *size)
{
	uint32_t n = (uint32_t)fwcfg_read_key_int(FWCFG_CMDLINE_SIZE, 4);
	char *s;

	if (n > MIB) {
		dlog(LOG_ERR, "kernel: command line of %u bytes is implausible\n", n);
		return NULL;
	}
	s = zone_alloc(n + 1, 16, "kernel command line");
	if (!s)
		return NULL;
	if (n)
		fwcfg_read_key(FWCFG_CMDLINE_DATA, s, n);
	s[n] = 0;
	*size = (uint32_t)strlen(s) + 1;
	return s;
}

bool kernel_range_free(const struct e820_map *map, uint64_t start, uint64_t end,
		       const struct busy_range *busy, int nbusy, const char *what)
{
	const struct busy_range *b;

	if (end <= start || !e820_covered(map, start, end - start, E820_RAM)) {
		dlog(LOG_ERR, "kernel: %s at %llx-%llx is not all RAM\n", what,
		     (unsigned long long)start, (unsigned long long)end);
		return false;
	}
	b = busy_overlap(busy, nbusy, start, end);
	if (b)
		dlog(LOG_ERR, "kernel: %s at %llx-%llx overlaps %s at %llx-%llx\n", what,
		     (unsigned long long)start, (unsigned long long)end, b->what,
		     (unsigned long long)b->start, (unsigned long long)b->end);
	return !b;
}

bool kernel_place_initrd(const struct e820_map *map, uint64_t max, const struct busy_range *avoid,
			 int navoid, uint32_t size, bool (*read)(void *dst), uint32_t *addr)
{
	uint64_t a;

	*addr = 0;
	if (!size)
		return true;
	if (initrd_place(map, size, MIB, max, 4096, avoid, navoid, &a)) {
		dlog(LOG_ERR,
		     "kernel: the initrd (%u bytes) fits nowhere in RAM between 1 MiB and %llx "
		     "clear of the kernel and the firmware tables\n",
		     size, (unsigned long long)max);
		return false;
	}
	if (!read((void *)(uintptr_t)a))
		return false;
	*addr = (uint32_t)a;
	dlog(LOG_INFO, "kernel: initrd at %x-%x (%u bytes)\n", *addr, *addr + size - 1, size);
	return true;
}

/* QEMU's -initrd into dst. */
static bool fwcfg_initrd(void *dst)
{
	fwcfg_read_key(FWCFG_INITRD_DATA, dst, (uint32_t)fwcfg_read_key_int(FWCFG_INITRD_SIZE, 4));
	return true;
}

bool kernel_load_initrd(const struct e820_map *map, uint64_t max, const struct busy_range *avoid,
			int navoid, uint32_t *addr, uint32_t *size)
{
	*size = (uint32_t)fwcfg_read_key_int(FWCFG_INITRD_SIZE, 4);
	return kernel_place_initrd(map, max, avoid, navoid, *size, fwcfg_initrd, addr);
}

/* Bytes of an ACPI RSDP, SMBIOS entry point or MP floating pointer at p (0 if unknown). */
static uint32_t pointer_len(const uint8_t *p)
{
	uint32_t len;

	if (!memcmp(p, "RSD PTR ", 8)) {
		memcpy(&len, p + 20, 4);
		return p[15] >= 2 && len >= 36 && len <= 48 ? len : 20;
	}
	if (!memcmp(p, "_SM3_", 5))
		return p[6] <= 32 ? p[6] : 0;
	if (!memcmp(p, "_SM_", 4))
		return p[5] <= 32 ? p[5] : 0;
	if (!memcmp(p, "_MP_", 4))
		return 16;
	return 0;
}

void kernel_legacy_pointers(void)
{
	const uint32_t src[] = {tables.rsdp, tables.smbios30, tables.smbios21, tables.mptable};
	uint8_t *dst = (uint8_t *)FSEG_BASE;

	chipset_shadow_rw();
	memset(dst, 0, 0x100);
	for (unsigned int i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)src[i];
		uint32_t len = p ? pointer_len(p) : 0;

		if (!len)
			continue;
		memcpy(dst, p, len);
		dlog(LOG_DEBUG, "kernel: %.4s copy at %p for OSes that scan the BIOS segment\n", p,
		     dst);
		dst += (len + 15) & ~15u;
	}
}

/* Hand over at a 32-bit Linux entry: a GDT with __BOOT_CS/__BOOT_DS, those selectors
 * loaded, %esi = boot_params, %ebp = %edi = %ebx = 0, interrupts off. */
static void __attribute__((noreturn))
linux_jump(uint32_t entry, uint32_t params, const struct gdt_ptr *gdtr)
{
	timing_stage("payload");
	timing_report();
	asm volatile("cli\n\t"
		     "lgdtl (%%eax)\n\t"
		     "ljmpl %[cs], $1f\n"
		     "1:\n\t"
		     "movl %[ds], %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     "movl %%eax, %%fs\n\t"
		     "movl %%eax, %%gs\n\t"
		     "xorl %%ebp, %%ebp\n\t"
		     "xorl %%edi, %%edi\n\t"
		     "xorl %%ebx, %%ebx\n\t"
		     "jmp *%%ecx"
		     :
		     : "a"(gdtr), "c"(entry), "S"(params), [cs] "i"(BOOT_CS), [ds] "i"(BOOT_DS)
		     : "memory");
	__builtin_unreachable();
}

static bool probe(const struct payload_image *img)
{
	return img->head_len >= 0x206 && !memcmp(img->head + 0x202, "HdrS", 4);
}

/* Copy the setup_data chain QEMU appended to the kernel into the table zone, where the
 * decompressor cannot overwrite it, and link the copies; *first gets the new head. */
static bool move_setup_data(const struct bzimage_info *bz, uint32_t load, uint32_t ksize,
			    uint32_t base, uint64_t *first)
{
	struct bzimage_sd sd[BZ_SETUP_DATA_MAX];
	const uint8_t *image = (const uint8_t *)(uintptr_t)load;
	uint8_t *prev = NULL;
	int n;

	*first = 0;
	if (!bz->setup_data)
		return true;
	n = bzimage_setup_data(image, ksize, base, bz->setup_data, sd, BZ_SETUP_DATA_MAX);
	if (n < 0)
		return false;
	for (int i = 0; i < n; i++) {
		uint8_t *copy = zone_alloc(sd[i].len, 16, "setup_data");
		uint64_t addr = (uintptr_t)copy;

		if (!copy)
			return false;
		memcpy(copy, image + sd[i].offset, sd[i].len);
		memset(copy, 0, 8);
		if (prev)
			memcpy(prev, &addr, 8);
		else
			*first = addr;
		prev = copy;
		dlog(LOG_DEBUG, "linux: setup_data type %u (%u bytes) moved to %p\n", sd[i].type,
		     sd[i].len, copy);
	}
	return true;
}

/* Load the kernel, initrd and command line and build boot_params; false after logging. */
static bool prepare(const struct payload_image *img, const struct linux_source *src,
		    struct linux_boot_params **bpp, struct gdt_ptr *gdtr, uint32_t *entry)
{
	struct busy_range busy[MAX_BUSY + 1];
	struct bzimage_params_in in = {0};
	struct bzimage_placement place;
	struct bzimage_info bz;
	struct e820_map map;
	uint32_t ksize, csize;
	uint64_t *gdt;
	char *cmdline;
	int nbusy;

	if (bzimage_parse(img->head, img->head_len, img->size, &bz))
		return false;
	ksize = src->kernel_size;
	if (!ksize) {
		dlog(LOG_ERR, "linux: %s has no protected-mode kernel\n", img->source);
		return false;
	}
	if (bzimage_check_size(&bz, ksize))
		return false;
	dlog(LOG_INFO, "linux: bzImage, boot protocol %u.%02u, %u + %u bytes, init_size %x%s\n",
	     bz.protocol >> 8, bz.protocol & 0xff, img->size, ksize, bz.init_size,
	     bz.relocatable ? ", relocatable" : "");
	*bpp = zone_alloc(sizeof(**bpp), 4096, "boot_params");
	gdt = zone_alloc(sizeof(boot_gdt), 16, "boot GDT");
	cmdline = src->cmdline(&csize);
	if (!*bpp || !gdt || !cmdline || bzimage_check_cmdline(&bz, csize) ||
	    !kernel_boot_map(&map))
		return false;
	nbusy = memmap_busy(busy, MAX_BUSY);
	if (bzimage_place_kernel(&bz, ksize, &map, busy, nbusy, &place))
		return false;
	if (!src->read_kernel((void *)(uintptr_t)place.load))
		return false;
	dlog(LOG_INFO, "linux: kernel at %x, needs %x-%llx until it reads the memory map\n",
	     place.load, place.load, (unsigned long long)place.end - 1);
	if (!move_setup_data(&bz, place.load, ksize, src->setup_data_base, &in.setup_data) ||
	    !kernel_boot_map(&map))
		return false;
	nbusy = memmap_busy(busy, MAX_BUSY);
	if (!kernel_range_free(&map, place.load, place.end, busy, nbusy, "kernel"))
		return false;
	busy[nbusy++] = (struct busy_range){place.load, place.end, "kernel"};
	in.initrd_size = src->initrd_size;
	if (!kernel_place_initrd(&map, bz.initrd_addr_max, busy, nbusy, in.initrd_size,
				 src->read_initrd, &in.initrd))
		return false;
	in.kernel_load = place.load;
	in.cmdline = (uint32_t)(uintptr_t)cmdline;
	in.rsdp = tables.rsdp;
	in.map = &map;
	if (bzimage_build_params(*bpp, img->head, img->head_len, &bz, &in))
		return false;
	memcpy(gdt, boot_gdt, sizeof(boot_gdt));
	gdtr->limit = sizeof(boot_gdt) - 1;
	gdtr->base = (uint32_t)(uintptr_t)gdt;
	*entry = place.load;
	e820_log(&map, LOG_DEBUG, "linux: e820");
	return true;
}

void linux_boot(const struct payload_image *img, const struct linux_source *src)
{
	struct linux_boot_params *bp = NULL;
	uint32_t mark = zone_mark(), entry;
	struct gdt_ptr gdtr;

	if (!prepare(img, src, &bp, &gdtr, &entry)) {
		zone_release(mark);
		return;
	}
	kernel_legacy_pointers();
	lapic_virtual_wire();
	dlog(LOG_INFO, "linux: jumping to %x (boot_params at %p, command line \"%s\")\n", entry, bp,
	     (const char *)(uintptr_t)bp->hdr.cmd_line_ptr);
	linux_jump(entry, (uint32_t)(uintptr_t)bp, &gdtr);
}

/* QEMU's -kernel protected-mode part into dst. */
static bool fwcfg_kernel(void *dst)
{
	fwcfg_read_key(FWCFG_KERNEL_DATA, dst, (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_SIZE, 4));
	return true;
}

/* Boot QEMU's -kernel, -initrd and -append. */
static void boot(const struct payload_image *img)
{
	const struct linux_source src = {
		.kernel_size = (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_SIZE, 4),
		.initrd_size = (uint32_t)fwcfg_read_key_int(FWCFG_INITRD_SIZE, 4),
		.setup_data_base = (uint32_t)fwcfg_read_key_int(FWCFG_KERNEL_ADDR, 4),
		.read_kernel = fwcfg_kernel,
		.read_initrd = fwcfg_initrd,
		.cmdline = kernel_cmdline,
	};

	linux_boot(img, &src);
}

const struct payload_ops payload_linux_bzimage = {
	.name = "Linux bzImage",
	.probe = probe,
	.boot = boot,
};
