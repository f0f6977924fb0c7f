// SPDX-License-Identifier: MIT
/* Memory map construction and the table zone allocator. */
#include <string.h>

#include "fwcfg.h"
#include "io.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "platform.h"

#define ZONE_MAX (64u << 20) /* the table zone never grows beyond 64 MiB */

struct e820_map memmap;
static uint32_t zone_top, zone_bottom;
static uint8_t e820_raw[E820_MAX * 20];

/* Read a CMOS register. */
static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* Fallback when etc/e820 is absent: RAM sizes from CMOS as QEMU's pc_cmos_init sets them. */
static void memmap_from_cmos(void)
{
	uint64_t low = ((uint64_t)cmos_read(0x34) | (uint64_t)cmos_read(0x35) << 8) << 16;
	uint64_t high = ((uint64_t)cmos_read(0x5b) | (uint64_t)cmos_read(0x5c) << 8 |
			 (uint64_t)cmos_read(0x5d) << 16)
			<< 16;

	if (low)
		low += 16u << 20;
	else
		low = (((uint64_t)cmos_read(0x30) | (uint64_t)cmos_read(0x31) << 8) << 10) +
		      (1u << 20);
	e820_add(&memmap, 0, low, E820_RAM);
	if (high)
		e820_add(&memmap, 1ull << 32, high, E820_RAM);
	dlog(LOG_INFO, "memmap: no etc/e820, CMOS says %llu MiB low, %llu MiB high\n",
	     (unsigned long long)(low >> 20), (unsigned long long)(high >> 20));
}

void memmap_init(void)
{
	const struct fwcfg_file *f = fwcfg_find("etc/e820");
	uint64_t top;
	int n = -1;

	e820_init(&memmap);
	if (f) {
		uint32_t len = f->size < sizeof(e820_raw) ? f->size : sizeof(e820_raw);

		if (f->size > sizeof(e820_raw))
			dlog(LOG_ERR, "memmap: etc/e820 has %u bytes, using the first %u\n",
			     f->size, len);
		len -= len % 20;
		fwcfg_read_file(f, 0, e820_raw, len);
		n = e820_load_qemu(&memmap, e820_raw, len);
		if (n <= 0 || !e820_ram_total(&memmap)) {
			dlog(LOG_ERR, "memmap: etc/e820 unusable, falling back to CMOS\n");
			e820_init(&memmap);
			n = -1;
		}
	}
	if (n < 0)
		memmap_from_cmos();

	platform.ram_below_4g = e820_ram_top_below(&memmap, 1ull << 32);
	top = e820_ram_top(&memmap);
	platform.ram_above_4g_end = top > (1ull << 32) ? top : 0;
	/* The legacy VGA window is never RAM; 0xC0000-0xFFFFF becomes RAM through PAM. */
	e820_remove(&memmap, 0xa0000, 0x20000);
	memmap_reserve((1ull << 32) - platform.rom_size, platform.rom_size, E820_RESERVED, "ROM");
	dlog(LOG_INFO, "memmap: %llu MiB RAM (%llu MiB below 4 GiB), %d ranges\n",
	     (unsigned long long)(e820_ram_total(&memmap) >> 20),
	     (unsigned long long)(platform.ram_below_4g >> 20), memmap.count);
	e820_log(&memmap, LOG_DEBUG, "memmap");
}

void memmap_reserve(uint64_t start, uint64_t size, uint32_t type, const char *what)
{
	dlog(LOG_DEBUG, "memmap: %s at %llx-%llx is %s\n", what, (unsigned long long)start,
	     (unsigned long long)(start + size - 1), e820_type_name(type));
	e820_add(&memmap, start, size, type);
}

void *zone_alloc(uint32_t size, uint32_t align, const char *what)
{
	uint32_t base;

	if (!zone_top) {
		uint64_t top = e820_ram_top_below(&memmap, 1ull << 32);

		zone_top = zone_bottom = (uint32_t)(top & ~0xfffull);
	}
	if (!align || (align & (align - 1)))
		align = 16;
	base = (zone_bottom - size) & ~(align - 1);
	if (size > zone_bottom || base > zone_bottom || zone_top - base > ZONE_MAX ||
	    base < (1u << 20) || !e820_covered(&memmap, base, zone_top - base, E820_RAM)) {
		dlog(LOG_ERR, "zone: no room for %s (%u bytes) below %x\n", what, size,
		     zone_bottom);
		return NULL;
	}
	zone_bottom = base;
	memset((void *)(uintptr_t)base, 0, size);
	dlog(LOG_DEBUG, "zone: %s at %x (%u bytes)\n", what, base, size);
	return (void *)(uintptr_t)base;
}

uint32_t zone_mark(void)
{
	return zone_bottom;
}

void zone_release(uint32_t mark)
{
	if (mark >= zone_bottom && mark <= zone_top)
		zone_bottom = mark;
}

void zone_range(uint64_t *start, uint64_t *end)
{
	*start = zone_bottom & ~0xfffu;
	*end = zone_top;
}

void memmap_handoff(struct e820_map *out, uint32_t zone_type)
{
	uint64_t start, end;

	*out = memmap;
	zone_range(&start, &end);
	if (end > start)
		e820_add(out, start, end - start, zone_type);
	/* An S3 wake runs the loader and the SMBASE relocation here again: keep the OS out. */
	e820_add(out, SMM_DEFAULT_AREA, SMM_DEFAULT_AREA_SIZE, E820_RESERVED);
	e820_add(out, LOADER_RAM_BASE, LOADER_RAM_END - LOADER_RAM_BASE, E820_RESERVED);
}

int memmap_busy(struct busy_range *busy, int max)
{
	uint64_t zs, ze;
	int n = 0;

	zone_range(&zs, &ze);
	if (n < max)
		busy[n++] = (struct busy_range){0, 0x1000, "IVT, BDA and coreboot forwarder"};
	if (n < max)
		busy[n++] = (struct busy_range){LOADER_RAM_BASE, LOADER_RAM_END, "loader RAM"};
	if (n < max && ze > zs)
		busy[n++] = (struct busy_range){zs, ze, "table zone"};
	return n;
}
