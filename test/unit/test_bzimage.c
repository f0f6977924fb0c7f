// SPDX-License-Identifier: MIT
/* Unit tests for the Linux boot protocol module: header checks, kernel and initrd placement,
 * setup_data walk, the legacy memory map and boot_params. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "bda.h"
#include "bzimage.h"
#include "host_log.h"

#define MIB 0x100000ull

/* Real-mode part of a kernel like Debian's 6.1 (39 setup sectors), written byte by byte. */
static uint8_t setup[40 * 512];
static struct bzimage_info info;

/* Store a little-endian value of n bytes at off. */
static void put(uint32_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		setup[off + i] = (uint8_t)(v >> (8 * i));
}

/* Header values as in Debian's linux-image-6.1.0-amd64 vmlinuz. */
static void make_kernel(void)
{
	memset(setup, 0, sizeof(setup));
	setup[0x1f1] = 39;
	put(0x1fe, 0xaa55, 2);
	setup[0x200] = 0xeb;
	setup[0x201] = 0x6a; /* header ends at 0x26c */
	memcpy(setup + 0x202, "HdrS", 4);
	put(0x206, 0x020f, 2);
	setup[0x211] = BZ_LOADED_HIGH;
	put(0x214, 0x100000, 4);
	put(0x228, 0x20000, 4);
	put(0x22c, 0x7fffffff, 4);
	put(0x230, 0x200000, 4);
	setup[0x234] = 1;
	setup[0x235] = 21;
	put(0x236, 0x7f, 2);
	put(0x238, 2047, 4);
	put(0x258, 0x1000000, 8);
	put(0x260, 0x3f98000, 4);
	host_log_clear();
}

/* pc with 512 MiB: RAM 0-640K and 1M-0x1efdd000, the table zone above reserved. */
static void pc_map(struct e820_map *m)
{
	e820_init(m);
	e820_add(m, 0, 0xa0000, E820_RAM);
	e820_add(m, 0x100000, 0x1efdd000 - 0x100000, E820_RAM);
	e820_add(m, 0x1efdd000, 0x20000000 - 0x1efdd000, E820_RESERVED);
	e820_add(m, 0xfffe0000, 0x20000, E820_RESERVED);
}

static void test_parse_debian_kernel(void **state)
{
	(void)state;
	make_kernel();
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(info.protocol, 0x020f);
	assert_int_equal(info.setup_bytes, 40 * 512);
	assert_int_equal(info.hdr_end, 0x26c);
	assert_true(info.relocatable);
	assert_int_equal(info.kernel_alignment, 0x200000);
	assert_int_equal(info.pref_address, 0x1000000);
	assert_int_equal(info.init_size, 0x3f98000);
	assert_int_equal(info.cmdline_max, 2047);
	/* XLF_CAN_BE_LOADED_ABOVE_4G lifts the 2 GiB initrd limit to the 32-bit field's. */
	assert_int_equal(info.initrd_addr_max, 0xffffffff);
	put(0x236, 0x3, 2);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(info.initrd_addr_max, 0x7fffffff);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	make_kernel();
	memcpy(setup + 0x202, "HdrX", 4);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("not a Linux kernel"));

	make_kernel();
	put(0x206, 0x0209, 2);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("boot protocol 2.09 is older than 2.10"));

	make_kernel();
	setup[0x211] = 0;
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("zImage"));

	make_kernel();
	put(0x230, 0x300000, 4);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("not a power of two"));

	make_kernel();
	assert_int_equal(bzimage_parse(setup, sizeof(setup), 39 * 512, &info), -1);
	assert_true(host_log_has("real-mode part is 19968 bytes, the header says 20480"));

	make_kernel();
	setup[0x201] = 0x50; /* header would end at 0x252, before init_size */
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("setup header ends at 0x252"));

	make_kernel();
	assert_int_equal(bzimage_parse(setup, 0x240, sizeof(setup), &info), -1);
	assert_true(host_log_has("setup header ends at 0x26c"));

	make_kernel();
	put(0x260, 0, 4);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("init_size is 0"));

	make_kernel();
	put(0x1fe, 0, 2);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), -1);
	assert_true(host_log_has("boot_flag"));
}

/* The protected-mode part QEMU holds must be what syssize says, hold the compressed payload,
 * and fit init_size; a file cut to 100 KiB fails with both sizes in the message. */
static void test_check_size(void **state)
{
	(void)state;
	make_kernel();
	put(0x1f4, 0x7c000 / 16, 4); /* syssize: 0x7c000 bytes */
	put(0x248, 0x3a0, 4);	     /* payload_offset */
	put(0x24c, 0x7b000, 4);	     /* payload_length */
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(bzimage_check_size(&info, 0x7c000), 0);
	assert_int_equal(bzimage_check_size(&info, 0x7c000 + 4096), 0);
	/* syssize is rounded up to 16 bytes (memtest86+ 6.10: 142776 bytes, syssize 142784). */
	assert_int_equal(bzimage_check_size(&info, 0x7c000 - 15), 0);
	host_log_clear();
	assert_int_equal(bzimage_check_size(&info, 0x7c000 - 16), -1);
	assert_true(host_log_has("is 507888 bytes, but the header (syssize) says 507904"));
	host_log_clear();
	assert_int_equal(bzimage_check_size(&info, 100 * 1024 - 0x5000), -1);
	assert_true(host_log_has("is 81920 bytes, but the header (syssize) says 507904"));
	/* syssize fits but the payload runs past the end. */
	put(0x1f4, 0x1000 / 16, 4);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	host_log_clear();
	assert_int_equal(bzimage_check_size(&info, 0x2000), -1);
	assert_true(host_log_has("compressed kernel ends at byte 504736 of a 8192-byte"));
	/* init_size smaller than the image. */
	put(0x1f4, 0x4000000 / 16, 4);
	put(0x24c, 0x1000, 4);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	host_log_clear();
	assert_int_equal(bzimage_check_size(&info, 0x4000000), -1);
	assert_true(host_log_has("init_size 0x3f98000 is smaller"));
}

static void test_cmdline_limit(void **state)
{
	(void)state;
	make_kernel();
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(bzimage_check_cmdline(&info, 0), 0);
	assert_int_equal(bzimage_check_cmdline(&info, 1), 0);
	assert_int_equal(bzimage_check_cmdline(&info, 2048), 0);
	assert_int_equal(bzimage_check_cmdline(&info, 2049), -1);
	assert_true(host_log_has("command line of 2048 bytes is longer than the kernel's limit "
				 "of 2047"));
}

static void test_place_kernel(void **state)
{
	struct busy_range busy[] = {
		{0x60000, 0x9f000, "loader RAM"},
		{0x1efdd000, 0x1f000000, "table zone"},
	};
	struct bzimage_placement p;
	struct e820_map m;

	(void)state;
	make_kernel();
	pc_map(&m);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(bzimage_place_kernel(&info, 8226752, &m, busy, 2, &p), 0);
	assert_int_equal(p.load, 0x1000000);
	assert_int_equal(p.end, 0x1000000 + 0x3f98000);

	/* pref_address busy: 1 MiB is tried, but a relocatable kernel still runs at pref. */
	busy[1] = (struct busy_range){0x1000000, 0x1001000, "test"};
	assert_int_equal(bzimage_place_kernel(&info, 8226752, &m, busy, 2, &p), -1);
	assert_true(host_log_has("no room for the kernel"));

	/* Not relocatable: loaded at 1 MiB, decompressed at pref_address. */
	make_kernel();
	setup[0x234] = 0;
	put(0x258, 0x1000000, 8);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	busy[1] = (struct busy_range){0x1efdd000, 0x1f000000, "table zone"};
	assert_int_equal(bzimage_place_kernel(&info, 0x800000, &m, busy, 2, &p), 0);
	assert_int_equal(p.load, 0x100000);
	assert_int_equal(p.end, 0x1000000 + 0x3f98000);

	/* Relocatable with a low pref_address: 1 MiB, running at the next 2 MiB boundary. */
	make_kernel();
	put(0x258, 0x80000, 8);
	put(0x260, 0x1000000, 4);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(bzimage_place_kernel(&info, 0x800000, &m, busy, 2, &p), 0);
	assert_int_equal(p.load, 0x100000);
	assert_int_equal(p.end, 0x200000 + 0x1000000);

	/* 64 MiB of RAM cannot hold init_size 0x3f98000 at 16 MiB. */
	make_kernel();
	e820_init(&m);
	e820_add(&m, 0, 0xa0000, E820_RAM);
	e820_add(&m, 0x100000, 0x3f00000, E820_RAM);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	assert_int_equal(bzimage_place_kernel(&info, 8226752, &m, busy, 1, &p), -1);
}

static void test_initrd_place(void **state)
{
	struct busy_range avoid[] = {
		{0x1000000, 0x4f98000, "kernel"},
		{0x60000, 0x9f000, "loader RAM"},
	};
	struct e820_map m;
	uint64_t a;

	(void)state;
	pc_map(&m);
	/* Highest page below the zone. */
	assert_int_equal(initrd_place(&m, 3095885, MIB, 0x7fffffff, 4096, avoid, 2, &a), 0);
	assert_int_equal(a, (0x1efdd000 - 3095885) & ~0xfffull);
	/* The limit is the last byte it may occupy. */
	assert_int_equal(initrd_place(&m, 0x1000, MIB, 0x8000fff, 4096, avoid, 2, &a), 0);
	assert_int_equal(a, 0x8000000);
	/* Below the kernel when the limit cuts into it. */
	assert_int_equal(initrd_place(&m, 0x200000, MIB, 0x2000000, 4096, avoid, 2, &a), 0);
	assert_int_equal(a, 0xe00000);
	/* Too big to fit above or below the kernel. */
	assert_int_equal(initrd_place(&m, 0x1a046000, MIB, 0xffffffff, 4096, avoid, 2, &a), -1);
	/* Exactly the space between kernel and zone. */
	assert_int_equal(
		initrd_place(&m, 0x1efdd000 - 0x4f98000, MIB, 0xffffffff, 4096, avoid, 2, &a), 0);
	assert_int_equal(a, 0x4f98000);
	/* Nothing below min. */
	assert_int_equal(initrd_place(&m, 0x10000, 0x30000000, 0xffffffff, 4096, avoid, 2, &a), -1);
	assert_int_equal(initrd_place(&m, 0, MIB, 0xffffffff, 4096, avoid, 2, &a), -1);
	assert_int_equal(initrd_place(&m, 0x1000, MIB, 0xffffffff, 3000, avoid, 2, &a), -1);
}

/* Write a setup_data header at off of image. */
static void put_sd(uint8_t *image, uint32_t off, uint64_t next, uint32_t type, uint32_t len)
{
	memcpy(image + off, &next, 8);
	memcpy(image + off + 8, &type, 4);
	memcpy(image + off + 12, &len, 4);
}

static void test_setup_data(void **state)
{
	static uint8_t image[0x2000];
	struct bzimage_sd sd[BZ_SETUP_DATA_MAX];

	(void)state;
	host_log_clear();
	memset(image, 0, sizeof(image));
	put_sd(image, 0x1000, 0x101100, 9, 0x20);
	put_sd(image, 0x1100, 0, 2, 0x100);
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0x101000, sd, 8), 2);
	assert_int_equal(sd[0].offset, 0x1000);
	assert_int_equal(sd[0].len, 0x30);
	assert_int_equal(sd[0].type, 9);
	assert_int_equal(sd[1].offset, 0x1100);
	assert_int_equal(sd[1].len, 0x110);
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0, sd, 8), 0);

	/* A loop back to the first entry. */
	put_sd(image, 0x1100, 0x101000, 2, 0x100);
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0x101000, sd, 8), -1);
	assert_true(host_log_has("overlap or loop"));
	/* Outside the image, and running past its end. */
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0x90000, sd, 8), -1);
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0x101ff8, sd, 8), -1);
	put_sd(image, 0x1100, 0, 2, 0xf00);
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0x101100, sd, 8), -1);
	assert_true(host_log_has("runs past the image"));
	/* More entries than room. */
	put_sd(image, 0x1100, 0, 2, 0x10);
	assert_int_equal(bzimage_setup_data(image, sizeof(image), 0x100000, 0x101000, sd, 1), -1);
}

static void test_boot_map_legacy(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	e820_add(&m, 0, 0xa0000, E820_RAM);
	e820_add(&m, 0xc0000, 0x20000000 - 0xc0000, E820_RAM);
	assert_int_equal(boot_map_legacy(&m), 0);
	assert_int_equal(m.count, 4);
	assert_int_equal(m.e[0].start, 0);
	assert_int_equal(m.e[0].size, 0x9f000);
	assert_int_equal(m.e[1].start, 0x9f000);
	assert_int_equal(m.e[1].size, 0x1000);
	assert_int_equal(m.e[1].type, E820_RESERVED);
	assert_int_equal(m.e[2].start, 0xf0000);
	assert_int_equal(m.e[2].size, 0x10000);
	assert_int_equal(m.e[2].type, E820_RESERVED);
	assert_int_equal(m.e[3].start, 0x100000);
	assert_int_equal(m.e[3].type, E820_RAM);
	/* No RAM under the EBDA (a tiny map): nothing is invented there. */
	e820_init(&m);
	e820_add(&m, 0, 0x80000, E820_RAM);
	assert_int_equal(boot_map_legacy(&m), 0);
	assert_int_equal(m.count, 2);
	assert_int_equal(m.e[0].size, 0x80000);
}

/* The BDA names the ports found, the EBDA segment and base memory; the EBDA its size. */
static void test_bda_build(void **state)
{
	static uint8_t bda[BDA_SIZE], ebda[BDA_EBDA_SIZE];
	struct bda_ports p = {{0x3f8, 0x2f8}, 2, {0x378}, 1};

	(void)state;
	memset(bda, 0xee, sizeof(bda));
	memset(ebda, 0xee, sizeof(ebda));
	bda_build(bda, ebda, &p);
	assert_int_equal(bda[0] | bda[1] << 8, 0x3f8);
	assert_int_equal(bda[2] | bda[3] << 8, 0x2f8);
	assert_int_equal(bda[4] | bda[5] << 8, 0);
	assert_int_equal(bda[8] | bda[9] << 8, 0x378);
	assert_int_equal(bda[10] | bda[11] << 8, 0);
	assert_int_equal(bda[0x0e] | bda[0x0f] << 8, 0x9f00);
	assert_int_equal(bda[0x10] | bda[0x11] << 8, 2 | 2 << 9 | 1 << 14);
	assert_int_equal(bda[0x13] | bda[0x14] << 8, 636);
	assert_int_equal(bda[0x20], 0);
	assert_int_equal(ebda[0], 4);
	assert_int_equal(ebda[1], 0);
	/* Counts beyond the BDA's fields are cut to them. */
	p.ncom = 9;
	p.nlpt = 7;
	bda_build(bda, ebda, &p);
	assert_int_equal((bda[0x10] | bda[0x11] << 8) >> 9 & 7, 4);
	assert_int_equal((bda[0x10] | bda[0x11] << 8) >> 14, 3);
}

static void test_build_params(void **state)
{
	static struct linux_boot_params bp;
	const uint8_t *raw = (const uint8_t *)&bp;
	struct e820_map m;
	struct bzimage_params_in in = {
		.kernel_load = 0x1000000,
		.cmdline = 0x1efdd000,
		.initrd = 0x1ece9000,
		.initrd_size = 3095885,
		.rsdp = 0x1effffe0,
		.setup_data = 0x1efdc000,
		.map = &m,
	};

	(void)state;
	make_kernel();
	setup[0x210] = 0xb0;
	setup[0x211] |= BZ_KEEP_SEGMENTS | BZ_CAN_USE_HEAP;
	memset(setup + 0x26c, 0xee, 0x100); /* past the header: must not be copied */
	memset(setup, 0xdd, BZ_HDR_OFFSET); /* before it: neither */
	pc_map(&m);
	assert_int_equal(bzimage_parse(setup, sizeof(setup), sizeof(setup), &info), 0);
	memset(&bp, 0x55, sizeof(bp));
	assert_int_equal(bzimage_build_params(&bp, setup, sizeof(setup), &info, &in), 0);
	for (int i = 0; i < BZ_HDR_OFFSET; i++)
		if ((i < 0x70 || i >= 0x78) && i != 0x1e8)
			assert_int_equal(raw[i], 0);
	assert_int_equal(raw[0x1ef], 0); /* sentinel */
	assert_int_equal(raw[0x26c], 0);
	assert_memory_equal(raw + 0x202, "HdrS", 4);
	assert_int_equal(bp.hdr.version, 0x020f);
	assert_int_equal(bp.hdr.type_of_loader, 0xff);
	assert_int_equal(bp.hdr.loadflags, BZ_LOADED_HIGH | BZ_CAN_USE_HEAP);
	assert_int_equal(bp.hdr.code32_start, 0x1000000);
	assert_int_equal(bp.hdr.cmd_line_ptr, 0x1efdd000);
	assert_int_equal(bp.hdr.ramdisk_image, 0x1ece9000);
	assert_int_equal(bp.hdr.ramdisk_size, 3095885);
	assert_int_equal(bp.hdr.setup_data, 0x1efdc000);
	assert_int_equal(bp.hdr.init_size, 0x3f98000);
	assert_int_equal(bp.acpi_rsdp_addr, 0x1effffe0);
	assert_int_equal(bp.ext_cmd_line_ptr, 0);
	assert_int_equal(bp.e820_entries, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(bp.e820_table[i].addr, m.e[i].start);
		assert_int_equal(bp.e820_table[i].size, m.e[i].size);
		assert_int_equal(bp.e820_table[i].type, m.e[i].type);
	}
	assert_int_equal(bp.e820_table[4].size, 0);
	/* The raw layout the kernel reads: e820_table at 0x2d0, entries at 0x1e8. */
	assert_int_equal(raw[0x1e8], 4);
	assert_int_equal(raw[0x2d0 + 20 + 2], 0x10);
	assert_int_equal(bzimage_build_params(&bp, setup, 0x260, &info, &in), -1);
	assert_true(host_log_has("setup header cut short"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_debian_kernel), cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_cmdline_limit),	    cmocka_unit_test(test_place_kernel),
		cmocka_unit_test(test_initrd_place),	    cmocka_unit_test(test_setup_data),
		cmocka_unit_test(test_boot_map_legacy),	    cmocka_unit_test(test_check_size),
		cmocka_unit_test(test_bda_build),	    cmocka_unit_test(test_build_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
