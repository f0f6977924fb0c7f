// SPDX-License-Identifier: MIT
/* Fuzz the Linux boot protocol module with hostile input.
 *
 * The first byte selects a target:
 *   0: the input is a kernel's real-mode part. An accepted header is checked field by field,
 *      placed in a fixed map and turned into boot_params, which are checked too.
 *   1: the input is a kernel image carrying a setup_data chain (first link in its first
 *      8 bytes); accepted entries must lie in the image, be disjoint and match their headers.
 *   2: the input describes a small memory map, ranges to avoid and an initrd; the result of
 *      initrd_place() is compared with an exhaustive search over every aligned address. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "bzimage.h"

#define PAGE  0x1000u
#define PAGES 1024u /* target 2 searches a 4 MiB address space */

/* Little-endian integer of n bytes at p. */
static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* An accepted header agrees with the raw bytes; placement and boot_params are sane. */
static void check_header(const uint8_t *d, size_t len)
{
	static struct linux_boot_params bp;
	struct busy_range busy[] = {{0x60000, 0x9f000, "loader RAM"},
				    {0x1efdd000, 0x20000000, "zone"}};
	struct bzimage_params_in in = {0};
	struct bzimage_placement p;
	struct bzimage_info info;
	struct e820_map m;
	uint64_t a;

	if (bzimage_parse(d, len, (uint32_t)len, &info))
		return;
	if (memcmp(d + 0x202, "HdrS", 4) || info.protocol < BZ_MIN_PROTOCOL || info.hdr_end > len ||
	    info.hdr_end < 0x264 || info.setup_bytes > len || !(d[0x211] & BZ_LOADED_HIGH) ||
	    info.protocol != rd(d + 0x206, 2) || !info.init_size ||
	    info.init_size != rd(d + 0x260, 4) || info.pref_address != rd(d + 0x258, 8))
		__builtin_trap();
	if (info.relocatable && (info.kernel_alignment & (info.kernel_alignment - 1)))
		__builtin_trap();
	e820_init(&m);
	e820_add(&m, 0, 0xa0000, E820_RAM);
	e820_add(&m, 0x100000, 0x1ff00000, E820_RAM);
	if (!bzimage_place_kernel(&info, (uint32_t)len * 64, &m, busy, 2, &p)) {
		if (p.end > 0x20000000 || p.load < 0x100000 || p.end < p.load + len * 64 ||
		    p.end <= p.load)
			__builtin_trap();
		for (int i = 0; i < 2; i++)
			if (p.load < busy[i].end && busy[i].start < p.end)
				__builtin_trap();
		busy[0] = (struct busy_range){p.load, p.end, "kernel"};
		if (!initrd_place(&m, len * 16, 0x100000, info.initrd_addr_max, PAGE, busy, 2,
				  &a) &&
		    ((a & (PAGE - 1)) || a + len * 16 - 1 > info.initrd_addr_max ||
		     (a < p.end && p.load < a + len * 16) ||
		     !e820_covered(&m, a, len * 16, E820_RAM)))
			__builtin_trap();
	}
	in.kernel_load = 0x1000000;
	in.cmdline = 0x1234560;
	in.map = &m;
	if (bzimage_build_params(&bp, d, len, &info, &in))
		return;
	if (memcmp((uint8_t *)&bp + 0x202, "HdrS", 4) || bp.hdr.type_of_loader != 0xff ||
	    bp.hdr.code32_start != 0x1000000 || bp.hdr.cmd_line_ptr != 0x1234560 || bp.sentinel ||
	    (bp.hdr.loadflags & BZ_KEEP_SEGMENTS) || bp.e820_entries != m.count ||
	    bp.e820_table[1].addr != 0x100000)
		__builtin_trap();
}

/* Accepted setup_data entries lie in the image, are disjoint and chain as the bytes say. */
static void check_setup_data(const uint8_t *d, size_t len)
{
	struct bzimage_sd sd[BZ_SETUP_DATA_MAX];
	uint64_t first;
	int n;

	if (len < 8)
		return;
	first = rd(d, 8);
	n = bzimage_setup_data(d, (uint32_t)len, 0x100000, first, sd, BZ_SETUP_DATA_MAX);
	if (n < 0)
		return;
	if (n > BZ_SETUP_DATA_MAX || (!n && first))
		__builtin_trap();
	for (int i = 0; i < n; i++) {
		uint64_t expect = i ? rd(d + sd[i - 1].offset, 8) : first;

		if ((uint64_t)sd[i].offset + sd[i].len > len || sd[i].len < 16 ||
		    expect != 0x100000ull + sd[i].offset ||
		    sd[i].len != 16 + rd(d + sd[i].offset + 12, 4) ||
		    sd[i].type != rd(d + sd[i].offset + 8, 4))
			__builtin_trap();
		for (int j = 0; j < i; j++)
			if (sd[i].offset < sd[j].offset + sd[j].len &&
			    sd[j].offset < sd[i].offset + sd[i].len)
				__builtin_trap();
	}
	if (n && rd(d + sd[n - 1].offset, 8))
		__builtin_trap();
}

/* True if [a, a+size) is RAM in m and clear of avoid. */
static ORACLE bool fits(const struct e820_map *m, uint64_t a, uint64_t size,
			const struct busy_range *avoid, int n)
{
	if (!e820_covered(m, a, size, E820_RAM))
		return false;
	for (int i = 0; i < n; i++)
		if (a < avoid[i].end && avoid[i].start < a + size)
			return false;
	return true;
}

/* initrd_place() finds exactly the highest aligned fit, or none when there is none. */
static void check_initrd(const uint8_t *d, size_t len)
{
	struct busy_range avoid[4];
	struct e820_map m;
	uint64_t size, min, max, a;
	uint32_t align;
	int navoid = 0;
	bool found;

	if (len < 8 + 6 * 4)
		return;
	size = (uint64_t)(d[0] % 64 + 1) * PAGE - (d[1] & 0x7f);
	align = PAGE << (d[2] % 3);
	min = (uint64_t)(d[3] % 16) * PAGE;
	max = (uint64_t)((d[4] | d[5] << 8) % (PAGES + 64)) * PAGE + (d[6] & 1 ? PAGE - 1 : 0);
	navoid = d[7] % 5;
	d += 8;
	len -= 8;
	e820_init(&m);
	for (int i = 0; i < 6; i++, d += 4, len -= 4) {
		uint64_t s = (uint64_t)(d[0] | d[1] << 8) % PAGES * PAGE + (d[3] & 1 ? 0x800 : 0);
		uint64_t l = (uint64_t)(d[2] % 128 + 1) * PAGE;

		e820_add(&m, s, l, d[3] & 2 ? E820_RESERVED : E820_RAM);
	}
	for (int i = 0; i < navoid; i++) {
		uint64_t s = len >= 4 ? (uint64_t)(d[0] | d[1] << 8) % PAGES * PAGE + d[3] : 0;

		avoid[i] = (struct busy_range){s, s + (len >= 4 ? d[2] : 1) * 0x300ull + 1, "x"};
		if (len >= 4) {
			d += 4;
			len -= 4;
		}
	}
	found = false;
	for (int64_t p = (int64_t)(PAGES + 64) * PAGE; p >= 0; p -= align) {
		if ((uint64_t)p >= min && (uint64_t)p + size - 1 <= max &&
		    fits(&m, (uint64_t)p, size, avoid, navoid)) {
			found = true;
			if (initrd_place(&m, size, min, max, align, avoid, navoid, &a) ||
			    a != (uint64_t)p)
				__builtin_trap();
			break;
		}
	}
	if (!found && !initrd_place(&m, size, min, max, align, avoid, navoid, &a))
		__builtin_trap();
}

/* Dispatch on the first byte. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 0x10000)
		return 0;
	switch (data[0] % 3) {
	case 0:
		check_header(data + 1, size - 1);
		break;
	case 1:
		check_setup_data(data + 1, size - 1);
		break;
	default:
		check_initrd(data + 1, size - 1);
		break;
	}
	return 0;
}
