// SPDX-License-Identifier: MIT
/* Unit tests for ELF32 payload validation and placement checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "elf.h"
#include "host_log.h"

/* The ELF32 layouts, written out here so the test does not share the parser's view. */
struct t_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint32_t entry;
	uint32_t phoff;
	uint32_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
} __attribute__((packed));
_Static_assert(sizeof(struct t_ehdr) == 52, "ELF32 header");

struct t_phdr {
	uint32_t type;
	uint32_t offset;
	uint32_t vaddr;
	uint32_t paddr;
	uint32_t filesz;
	uint32_t memsz;
	uint32_t flags;
	uint32_t align;
} __attribute__((packed));
_Static_assert(sizeof(struct t_phdr) == 32, "ELF32 program header");

#define PT_LOAD	  1
#define PT_NOTE	  4
#define FILE_SIZE 0x3000

static uint8_t file[ELF_HEADER_BYTES * 2];
static struct elf_image img;

/* The header of the test file. */
static struct t_ehdr *ehdr(void)
{
	return (struct t_ehdr *)file;
}

/* Program header i of the test file (at the default offset 52). */
static struct t_phdr *phdr(int i)
{
	return (struct t_phdr *)(file + sizeof(struct t_ehdr) + i * sizeof(struct t_phdr));
}

/* Start a valid i386 executable with phnum program headers right after the header. */
static void make_elf(int phnum, uint32_t entry)
{
	struct t_ehdr *h = ehdr();

	memset(file, 0, sizeof(file));
	memcpy(h->ident, "\177ELF", 4);
	h->ident[4] = 1; /* ELFCLASS32 */
	h->ident[5] = 1; /* ELFDATA2LSB */
	h->ident[6] = 1; /* EV_CURRENT */
	h->type = 2;	 /* ET_EXEC */
	h->machine = 3;	 /* EM_386 */
	h->version = 1;
	h->entry = entry;
	h->phoff = sizeof(struct t_ehdr);
	h->ehsize = sizeof(struct t_ehdr);
	h->phentsize = sizeof(struct t_phdr);
	h->phnum = (uint16_t)phnum;
}

/* Fill program header i. */
static void set_ph(int i, uint32_t type, uint32_t paddr, uint32_t offset, uint32_t filesz,
		   uint32_t memsz)
{
	struct t_phdr *p = phdr(i);

	memset(p, 0, sizeof(*p));
	p->type = type;
	p->offset = offset;
	p->vaddr = paddr + 0xc0000000; /* the loader must use paddr */
	p->paddr = paddr;
	p->filesz = filesz;
	p->memsz = memsz;
	p->flags = 7;
	p->align = 0x1000;
}

/* Parse the test file with the whole header buffer available. */
static int parse(void)
{
	return elf_parse(file, ELF_HEADER_BYTES, FILE_SIZE, &img);
}

/* Parse, expect failure and a message containing msg. */
static void expect_fail(const char *msg)
{
	host_log_clear();
	assert_int_equal(parse(), -1);
	assert_true(host_log_has(msg));
}

/* A single PT_LOAD segment with a bss tail. */
static void test_single(void **state)
{
	(void)state;
	make_elf(1, 0x100010);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x200, 0x1000);
	host_log_clear();
	assert_int_equal(parse(), 0);
	assert_int_equal(img.entry, 0x100010);
	assert_int_equal(img.nseg, 1);
	assert_int_equal(img.seg[0].paddr, 0x100000);
	assert_int_equal(img.seg[0].offset, 0x1000);
	assert_int_equal(img.seg[0].filesz, 0x200);
	assert_int_equal(img.seg[0].memsz, 0x1000);
	assert_string_equal(host_log_text(), "");
	assert_true(elf_is_elf(file, 4));
	assert_false(elf_is_elf(file, 3));
	assert_false(elf_is_elf("\177ELG", 4));
}

/* Several segments; non-load and empty ones are skipped; the entry may be in any one. */
static void test_multi(void **state)
{
	(void)state;
	make_elf(5, 0xf0100);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x800, 0x800);
	set_ph(1, PT_NOTE, 0x200000, 0x1800, 0x10, 0x10);
	set_ph(2, PT_LOAD, 0xf0000, 0x1800, 0x800, 0x10000);
	set_ph(3, PT_LOAD, 0x300000, 0x2000, 0, 0);	 /* empty: skipped */
	set_ph(4, PT_LOAD, 0x400000, 0x2000, 0, 0x4000); /* bss only */
	assert_int_equal(parse(), 0);
	assert_int_equal(img.nseg, 3);
	assert_int_equal(img.entry, 0xf0100);
	assert_int_equal(img.seg[0].paddr, 0x100000);
	assert_int_equal(img.seg[1].paddr, 0xf0000);
	assert_int_equal(img.seg[1].offset, 0x1800);
	assert_int_equal(img.seg[1].memsz, 0x10000);
	assert_int_equal(img.seg[2].paddr, 0x400000);
	assert_int_equal(img.seg[2].filesz, 0);
	assert_int_equal(img.seg[2].memsz, 0x4000);

	/* Program headers elsewhere than right after the ELF header. */
	memcpy(file + 0x800, phdr(0), 5 * sizeof(struct t_phdr));
	memset(phdr(0), 0, 5 * sizeof(struct t_phdr));
	ehdr()->phoff = 0x800;
	assert_int_equal(parse(), 0);
	assert_int_equal(img.nseg, 3);
}

/* The entry point must lie in bytes loaded from the file, not in bss or outside. */
static void test_entry(void **state)
{
	(void)state;
	make_elf(1, 0x100200);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x200, 0x1000);
	expect_fail("entry point 100200 is not inside loaded file bytes");
	ehdr()->entry = 0xfffff;
	expect_fail("entry point fffff is not inside loaded file bytes");
	ehdr()->entry = 0x1001ff;
	assert_int_equal(parse(), 0);
	/* A segment with no file bytes cannot hold the entry. */
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0, 0x1000);
	ehdr()->entry = 0x100000;
	expect_fail("entry point 100000 is not inside");
}

/* File bytes must lie inside the file, without 32-bit wrap. */
static void test_beyond_file(void **state)
{
	(void)state;
	make_elf(1, 0x100000);
	set_ph(0, PT_LOAD, 0x100000, 0x2000, 0x1000, 0x1000); /* ends exactly at the end */
	assert_int_equal(parse(), 0);
	set_ph(0, PT_LOAD, 0x100000, 0x2000, 0x1001, 0x2000);
	expect_fail("segment 0: bytes 2000+1001 lie beyond the file end 3000");
	set_ph(0, PT_LOAD, 0x100000, 0x3001, 0, 0x1000);
	ehdr()->entry = 0; /* checked before the entry */
	expect_fail("segment 0: bytes 3001+0 lie beyond the file end");
	set_ph(0, PT_LOAD, 0x100000, 0xffffff00, 0x200, 0x200);
	expect_fail("lie beyond the file end");
	set_ph(0, PT_LOAD, 0x100000, 0x200, 0xffffff00, 0xffffff00);
	expect_fail("lie beyond the file end");
}

/* filesz > memsz is refused. */
static void test_filesz_memsz(void **state)
{
	(void)state;
	make_elf(1, 0x100000);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x201, 0x200);
	expect_fail("segment 0: file size 201 exceeds memory size 200");
}

/* Magic, class, byte order, type and machine are checked. */
static void test_header_ident(void **state)
{
	(void)state;
	make_elf(1, 0x100000);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x100, 0x100);
	assert_int_equal(parse(), 0);
	file[0] = 0x7e;
	expect_fail("not an ELF file");
	file[0] = 0x7f;
	ehdr()->ident[4] = 2;
	expect_fail("not a 32-bit little-endian ELF");
	ehdr()->ident[4] = 1;
	ehdr()->ident[5] = 2;
	expect_fail("not a 32-bit little-endian ELF");
	ehdr()->ident[5] = 1;
	ehdr()->machine = 62;
	expect_fail("not an i386 executable (type 2 machine 62)");
	ehdr()->machine = 3;
	ehdr()->type = 3;
	expect_fail("not an i386 executable (type 3 machine 3)");
	ehdr()->type = 2;
	assert_int_equal(parse(), 0);
	/* Shorter than the ELF header, by buffer or by file size. */
	host_log_clear();
	assert_int_equal(elf_parse(file, 51, FILE_SIZE, &img), -1);
	assert_int_equal(elf_parse(file, ELF_HEADER_BYTES, 51, &img), -1);
	assert_int_equal(elf_parse(file, 0, 0, &img), -1);
	assert_true(host_log_has("not an ELF file"));
}

/* The program header table must lie inside the bytes given (header buffer and file). */
static void test_phdrs_bounds(void **state)
{
	(void)state;
	make_elf(1, 0x100000);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x100, 0x100);
	/* The table ends exactly at hdr_len: fine. */
	assert_int_equal(elf_parse(file, 52 + 32, FILE_SIZE, &img), 0);
	host_log_clear();
	assert_int_equal(elf_parse(file, 52 + 31, FILE_SIZE, &img), -1);
	assert_true(host_log_has("program headers lie outside the first 83 bytes"));
	/* The file is shorter than the buffer: its size limits the table. */
	assert_int_equal(elf_parse(file, ELF_HEADER_BYTES, 52 + 31, &img), -1);

	ehdr()->phoff = ELF_HEADER_BYTES - 16;
	expect_fail("program headers lie outside the first 4096 bytes");
	ehdr()->phoff = 0xffffffe0;
	expect_fail("program headers lie outside");
	ehdr()->phoff = 52;
	ehdr()->phnum = 0xffff;
	expect_fail("program headers lie outside");
	ehdr()->phnum = (ELF_HEADER_BYTES - 52) / 32 + 1;
	expect_fail("program headers lie outside");
}

/* phentsize must be 32 and phnum non-zero. */
static void test_phentsize(void **state)
{
	(void)state;
	make_elf(1, 0x100000);
	set_ph(0, PT_LOAD, 0x100000, 0x1000, 0x100, 0x100);
	ehdr()->phentsize = 56;
	expect_fail("bad program header table (entsize 56, count 1)");
	ehdr()->phentsize = 0;
	expect_fail("bad program header table (entsize 0, count 1)");
	ehdr()->phentsize = 32;
	ehdr()->phnum = 0;
	expect_fail("bad program header table (entsize 32, count 0)");
}

/* Only non-loadable (or empty) segments. */
static void test_no_load(void **state)
{
	(void)state;
	make_elf(2, 0x100000);
	set_ph(0, PT_NOTE, 0x100000, 0x1000, 0x100, 0x100);
	set_ph(1, PT_LOAD, 0x100000, 0x1000, 0, 0);
	expect_fail("no loadable segment");
}

/* At most ELF_MAX_SEGMENTS loadable segments. */
static void test_too_many(void **state)
{
	(void)state;
	make_elf(ELF_MAX_SEGMENTS + 1, 0x100000);
	for (int i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		set_ph(i, PT_LOAD, 0x100000 + (uint32_t)i * 0x1000, 0x1000, 0x10, 0x1000);
	expect_fail("more than 16 loadable segments");
	ehdr()->phnum = ELF_MAX_SEGMENTS;
	assert_int_equal(parse(), 0);
	assert_int_equal(img.nseg, ELF_MAX_SEGMENTS);
	assert_int_equal(img.seg[15].paddr, 0x10f000);
	/* A skipped segment does not count. */
	ehdr()->phnum = ELF_MAX_SEGMENTS + 1;
	phdr(3)->type = PT_NOTE;
	assert_int_equal(parse(), 0);
	assert_int_equal(img.nseg, ELF_MAX_SEGMENTS);
}

/* paddr + memsz past 4 GiB is refused; ending exactly at 4 GiB is fine. */
static void test_wrap(void **state)
{
	(void)state;
	make_elf(1, 0xfffff000);
	set_ph(0, PT_LOAD, 0xfffff000, 0x1000, 0x100, 0x1000);
	assert_int_equal(parse(), 0);
	set_ph(0, PT_LOAD, 0xfffff000, 0x1000, 0x100, 0x1001);
	expect_fail("segment 0: fffff000+1001 wraps past 4 GiB");
	set_ph(0, PT_LOAD, 0xfffff000, 0x1000, 0x100, 0xffffffff);
	expect_fail("wraps past 4 GiB");
}

/* RAM 0-0x9fc00 and 1 MiB-128 MiB, with two busy ranges. */
static void placement_setup(struct e820_map *ram, struct busy_range *busy)
{
	e820_init(ram);
	e820_add(ram, 0, 0x9fc00, E820_RAM);
	e820_add(ram, 0x100000, 0x7f00000, E820_RAM);
	e820_add(ram, 0x7ff0000, 0x10000, E820_RESERVED);
	busy[0] = (struct busy_range){0x7f00000, 0x7f80000, "loader zone"};
	busy[1] = (struct busy_range){0x500, 0x528, "coreboot forwarder"};
}

/* Placement: success, outside RAM, over a busy range, segments over each other. */
static void test_placement(void **state)
{
	struct busy_range busy[2];
	struct e820_map ram;

	(void)state;
	placement_setup(&ram, busy);
	img = (struct elf_image){.entry = 0x100000, .nseg = 2};
	img.seg[0] = (struct elf_segment){0x100000, 0x1000, 0x100, 0x10000};
	img.seg[1] = (struct elf_segment){0x200000, 0x2000, 0x100, 0x20000};
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), 0);
	assert_string_equal(host_log_text(), "");

	/* 0xa0000-0xc0000 is not RAM in this map. */
	img.seg[1].memsz = 0x20000;
	img.seg[1].paddr = 0xa0000;
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("segment 1 at a0000-c0000 is not entirely in RAM"));
	img.seg[1].paddr = 0x7fe0000; /* runs into the reservation at the top */
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	img.seg[1].paddr = 0x9f000; /* runs past the end of low RAM */
	img.seg[1].memsz = 0x1000;
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);

	/* Touching a busy range is fine, overlapping it by one byte is not. */
	img.seg[1] = (struct elf_segment){0x7e00000, 0x2000, 0x100, 0x100000};
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), 0);
	img.seg[1].memsz++;
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("segment 1 at 7e00000-7f00001 overlaps loader zone at "
				 "7f00000-7f80000"));
	img.seg[1] = (struct elf_segment){0x0, 0x2000, 0x100, 0x1000};
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("overlaps coreboot forwarder at 500-528"));
	/* Without busy ranges the same image fits. */
	assert_int_equal(elf_check_placement(&img, &ram, busy, 0), 0);

	/* Two segments over each other. */
	img.seg[1] = (struct elf_segment){0x10f000, 0x2000, 0x100, 0x2000};
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("segments 0 and 1 overlap"));
	img.seg[1].paddr = 0x110000; /* adjacent */
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), 0);
	img.seg[1] = (struct elf_segment){0x1f0000, 0x2000, 0x100, 0x10000}; /* adjacent below */
	img.seg[0].paddr = 0x200000;
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), 0);
	img.seg[1].memsz++; /* its last byte is the first byte of segment 0 */
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("segments 0 and 1 overlap"));
	img.seg[0].paddr = 0x100000;
	img.seg[1] = (struct elf_segment){0x110000, 0x2000, 0x100, 0x2000};
	img.nseg = 3;
	img.seg[2] = (struct elf_segment){0xff000, 0x2000, 0x100, 0x1001};
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("is not entirely in RAM")); /* 0xff000 is below 1 MiB RAM */
	img.seg[2].paddr = 0x100fff;
	img.seg[2].memsz = 0x10;
	host_log_clear();
	assert_int_equal(elf_check_placement(&img, &ram, busy, 2), -1);
	assert_true(host_log_has("segments 0 and 2 overlap"));
}

/* A parsed image at the top of the 32-bit space is checked without wrapping. */
static void test_placement_top(void **state)
{
	struct e820_map ram;

	(void)state;
	e820_init(&ram);
	e820_add(&ram, 0xfff00000, 0x100000, E820_RAM);
	make_elf(1, 0xfffff000);
	set_ph(0, PT_LOAD, 0xfffff000, 0x1000, 0x100, 0x1000);
	assert_int_equal(parse(), 0);
	assert_int_equal(elf_check_placement(&img, &ram, NULL, 0), 0);
	ram.e[0].size--;
	assert_int_equal(elf_check_placement(&img, &ram, NULL, 0), -1);
}

/* busy_overlap: half-open ranges, the first overlapping one wins. */
static void test_busy_overlap(void **state)
{
	static const struct busy_range busy[] = {
		{0x1000, 0x2000, "a"}, {0x3000, 0x4000, "b"}, {0x3800, 0x5000, "c"}};

	(void)state;
	assert_null(busy_overlap(busy, 3, 0, 0x1000));
	assert_null(busy_overlap(busy, 3, 0x2000, 0x3000));
	assert_string_equal(busy_overlap(busy, 3, 0xfff, 0x1001)->what, "a");
	assert_string_equal(busy_overlap(busy, 3, 0x1fff, 0x3001)->what, "a");
	assert_string_equal(busy_overlap(busy, 3, 0x3900, 0x3a00)->what, "b");
	assert_string_equal(busy_overlap(busy, 3, 0x4000, 0x4001)->what, "c");
	assert_null(busy_overlap(busy, 0, 0x1000, 0x2000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single),	      cmocka_unit_test(test_multi),
		cmocka_unit_test(test_entry),	      cmocka_unit_test(test_beyond_file),
		cmocka_unit_test(test_filesz_memsz),  cmocka_unit_test(test_header_ident),
		cmocka_unit_test(test_phdrs_bounds),  cmocka_unit_test(test_phentsize),
		cmocka_unit_test(test_no_load),	      cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_wrap),	      cmocka_unit_test(test_placement),
		cmocka_unit_test(test_placement_top), cmocka_unit_test(test_busy_overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
