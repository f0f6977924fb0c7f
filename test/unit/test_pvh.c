// SPDX-License-Identifier: MIT
/* Unit tests for PVH ELF parsing, the PHYS32_ENTRY note, hvm_start_info and multiboot memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_log.h"
#include "pvh.h"

static uint8_t file[8192];
static struct pvh_elf elf;

/* Store a little-endian value of n bytes at off. */
static void put(uint32_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		file[off + i] = (uint8_t)(v >> (8 * i));
}

/* ELF64 program header i at 64 + 56 * i. */
static void phdr64(int i, uint32_t type, uint64_t off, uint64_t paddr, uint64_t filesz,
		   uint64_t memsz, uint64_t align)
{
	uint32_t p = 64 + 56 * (uint32_t)i;

	put(p, type, 4);
	put(p + 8, off, 8);
	put(p + 16, paddr | 0xffffffff80000000ull, 8); /* vaddr: must not be used */
	put(p + 24, paddr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, align, 8);
}

/* An ELF64 x86-64 executable shaped like Linux's vmlinux: text, data and a note segment. */
static void make_elf64(void)
{
	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF\2\1\1", 7);
	put(16, 2, 2);
	put(18, 62, 2);
	put(24, 0x1000000, 8);
	put(32, 64, 8);
	put(54, 56, 2);
	put(56, 3, 2);
	phdr64(0, 1, 0x200000, 0x1000000, 0x18ea9f0, 0x18ea9f0, 0x200000);
	phdr64(1, 1, 0x1c00000, 0x2a00000, 0x644000, 0x1000000, 0x200000);
	phdr64(2, 4, 0x16c1990, 0x24c1990, 0x1f8, 0x1f8, 4);
	host_log_clear();
}

/* ELF32 i386 executable with one segment at 1 MiB and notes inside the first page. */
static void make_elf32(void)
{
	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF\1\1\1", 7);
	put(16, 2, 2);
	put(18, 3, 2);
	put(24, 0x100000, 4);
	put(28, 52, 4);
	put(42, 32, 2);
	put(44, 2, 2);
	put(52, 1, 4);
	put(56, 0, 4);
	put(64, 0x100000, 4);
	put(68, 0x2000, 4);
	put(72, 0x3000, 4);
	put(84, 4, 4);
	put(88, 0x400, 4);
	put(100, 0x40, 4);
	host_log_clear();
}

/* Append a note at off; returns the offset after it (4-byte alignment). */
static uint32_t note(uint32_t off, const char *name, uint32_t type, const void *desc,
		     uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;

	put(off, namesz, 4);
	put(off + 4, descsz, 4);
	put(off + 8, type, 4);
	memcpy(file + off + 12, name, namesz);
	off += 12 + ((namesz + 3) & ~3u);
	memcpy(file + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

static void test_parse_vmlinux(void **state)
{
	uint64_t phys;

	(void)state;
	make_elf64();
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), 0);
	assert_true(elf.is64);
	assert_int_equal(elf.nload, 2);
	assert_int_equal(elf.load[0].paddr, 0x1000000);
	assert_int_equal(elf.load[0].memsz, 0x18ea9f0);
	assert_int_equal(elf.load[1].paddr, 0x2a00000);
	assert_int_equal(elf.load[1].filesz, 0x644000);
	assert_int_equal(elf.load[1].memsz, 0x1000000);
	assert_int_equal(elf.nnote, 1);
	assert_int_equal(elf.note[0].offset, 0x16c1990);
	assert_int_equal(elf.note[0].align, 4);
	assert_int_equal(pvh_note_phys(&elf, 0, &phys), 0);
	assert_int_equal(phys, 0x24c1990);
	/* A note outside every segment's file bytes has no address. */
	phdr64(2, 4, 0x1b00000, 0, 0x10, 0x10, 4);
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), 0);
	assert_int_equal(pvh_note_phys(&elf, 0, &phys), -1);
}

static void test_parse_elf32(void **state)
{
	(void)state;
	make_elf32();
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), 0);
	assert_false(elf.is64);
	assert_int_equal(elf.nload, 1);
	assert_int_equal(elf.load[0].paddr, 0x100000);
	assert_int_equal(elf.load[0].filesz, 0x2000);
	assert_int_equal(elf.load[0].memsz, 0x3000);
	assert_int_equal(elf.nnote, 1);
	assert_int_equal(elf.note[0].offset, 0x400);
	assert_int_equal(elf.note[0].filesz, 0x40);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	make_elf64();
	file[1] = 'X';
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), -1);
	assert_true(host_log_has("not an ELF file"));

	make_elf64();
	put(18, 40, 2);
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), -1);
	assert_true(host_log_has("not an x86 executable (type 2 machine 40)"));

	make_elf64();
	assert_int_equal(pvh_parse_elf(file, 200, &elf), -1);
	assert_true(host_log_has("program headers"));

	make_elf64();
	phdr64(1, 1, 0x1c00000, 0xfffff000, 0x1000, 0x2000, 0x1000);
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), -1);
	assert_true(host_log_has("not loadable below 4 GiB"));

	make_elf64();
	phdr64(1, 1, 0x1c00000, 0x2a00000, 0x2000, 0x1000, 0x1000);
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), -1);

	make_elf64();
	phdr64(0, 4, 0x200000, 0x1000000, 0x10, 0x10, 4);
	phdr64(1, 6, 0, 0, 0, 0, 0);
	assert_int_equal(pvh_parse_elf(file, sizeof(file), &elf), -1);
	assert_true(host_log_has("no loadable segment"));
}

static void test_find_entry(void **state)
{
	const uint64_t entry64 = 0x1000850;
	const uint32_t entry32 = 0x100040;
	uint32_t end, entry = 0;

	(void)state;
	make_elf32();
	/* Linux's notes: other Xen notes, a GNU build ID, then PHYS32_ENTRY as 8 bytes. */
	end = note(0x400, "Xen", 6, "linux", 6);
	end = note(end, "GNU", 3, "0123456789abcdefghij", 20);
	end = note(end, "Xen", PVH_NOTE_PHYS32_ENTRY, &entry64, 8);
	assert_int_equal(pvh_find_entry(file + 0x400, end - 0x400, 4, &entry), 0);
	assert_int_equal(entry, 0x1000850);

	end = note(0x400, "Xen", PVH_NOTE_PHYS32_ENTRY, &entry32, 4);
	assert_int_equal(pvh_find_entry(file + 0x400, end - 0x400, 4, &entry), 0);
	assert_int_equal(entry, 0x100040);

	/* The same note type under another owner does not count. */
	end = note(0x400, "Xem", PVH_NOTE_PHYS32_ENTRY, &entry32, 4);
	assert_int_equal(pvh_find_entry(file + 0x400, end - 0x400, 4, &entry), 1);

	/* descsz running past the notes. */
	note(0x400, "Xen", PVH_NOTE_PHYS32_ENTRY, &entry32, 4);
	put(0x404, 0x1000, 4);
	assert_int_equal(pvh_find_entry(file + 0x400, 0x40, 4, &entry), -1);
	assert_true(host_log_has("runs past the notes"));

	/* An entry point above 4 GiB or of an odd size is unusable. */
	host_log_clear();
	end = note(0x400, "Xen", PVH_NOTE_PHYS32_ENTRY, &(uint64_t){0x100001000ull}, 8);
	assert_int_equal(pvh_find_entry(file + 0x400, end - 0x400, 4, &entry), -1);
	end = note(0x400, "Xen", PVH_NOTE_PHYS32_ENTRY, "abc", 3);
	assert_int_equal(pvh_find_entry(file + 0x400, end - 0x400, 4, &entry), -1);
	assert_true(host_log_has("holds no 32-bit entry"));

	/* 8-byte aligned notes: name "Xen\0" padded to 8. */
	memset(file + 0x400, 0, 0x40);
	put(0x400, 4, 4);
	put(0x404, 4, 4);
	put(0x408, PVH_NOTE_PHYS32_ENTRY, 4);
	memcpy(file + 0x40c, "Xen", 4);
	put(0x414, 0x200000, 4);
	assert_int_equal(pvh_find_entry(file + 0x400, 0x18, 8, &entry), 0);
	assert_int_equal(entry, 0x200000);
	/* Empty and header-only inputs hold no note. */
	assert_int_equal(pvh_find_entry(file + 0x400, 0, 4, &entry), 1);
	assert_int_equal(pvh_find_entry(file + 0x400, 11, 4, &entry), 1);
}

/* The 512 MiB pc map a kernel gets. */
static void boot_map(struct e820_map *m)
{
	e820_init(m);
	e820_add(m, 0, 0xa0000, E820_RAM);
	e820_add(m, 0xf0000, 0x10000, E820_RESERVED);
	e820_add(m, 0x100000, 0x1efdd000 - 0x100000, E820_RAM);
	e820_add(m, 0x1efdd000, 0x20000000 - 0x1efdd000, E820_RESERVED);
	e820_add(m, 0x100000000ull, 0x40000000, E820_RAM);
}

static void test_start_info(void **state)
{
	struct hvm_memmap_entry mm[8];
	struct hvm_start_info si;
	struct e820_map m;

	(void)state;
	boot_map(&m);
	assert_int_equal(pvh_build_memmap(&m, mm, 8), 5);
	assert_int_equal(mm[1].addr, 0xf0000);
	assert_int_equal(mm[1].size, 0x10000);
	assert_int_equal(mm[1].type, E820_RESERVED);
	assert_int_equal(mm[4].addr, 0x100000000ull);
	assert_int_equal(mm[4].reserved, 0);
	assert_int_equal(pvh_build_memmap(&m, mm, 4), -1);

	memset(&si, 0xaa, sizeof(si));
	pvh_start_info_init(&si, 0x1efde000, 0x1effffe0, 0x1efdd000, 5, 0x1efdc000, 1);
	assert_int_equal(si.magic, 0x336ec578);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.nr_modules, 1);
	assert_int_equal(si.modlist_paddr, 0x1efdc000);
	assert_int_equal(si.cmdline_paddr, 0x1efde000);
	assert_int_equal(si.rsdp_paddr, 0x1effffe0);
	assert_int_equal(si.memmap_paddr, 0x1efdd000);
	assert_int_equal(si.memmap_entries, 5);
	assert_int_equal(si.reserved, 0);
	/* The ABI's offsets. */
	assert_int_equal(offsetof(struct hvm_start_info, modlist_paddr), 16);
	assert_int_equal(offsetof(struct hvm_start_info, rsdp_paddr), 32);
	assert_int_equal(offsetof(struct hvm_start_info, memmap_entries), 48);
}

static void test_multiboot_memory(void **state)
{
	struct multiboot_mmap_entry mmap[8];
	struct multiboot_info mbi;
	struct e820_map m;

	(void)state;
	boot_map(&m);
	memset(&mbi, 0, sizeof(mbi));
	mbi.flags = 1u << 2;
	assert_int_equal(multiboot_fill_memory(&mbi, &m, mmap, 8, 0x9000), 5);
	assert_int_equal(mbi.mem_lower, 640);
	assert_int_equal(mbi.mem_upper, (0x1efdd000 - 0x100000) / 1024);
	assert_int_equal(mbi.flags, (1u << 2) | MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_MMAP);
	assert_int_equal(mbi.mmap_addr, 0x9000);
	assert_int_equal(mbi.mmap_length, 5 * 24);
	assert_int_equal(mmap[0].size, 20);
	assert_int_equal(mmap[2].addr, 0x100000);
	assert_int_equal(mmap[2].type, E820_RAM);
	assert_int_equal(mmap[4].len, 0x40000000);
	assert_int_equal(offsetof(struct multiboot_info, mmap_length), 44);
	assert_int_equal(offsetof(struct multiboot_info, boot_loader_name), 64);

	assert_int_equal(multiboot_fill_memory(&mbi, &m, mmap, 4, 0x9000), -1);
	e820_remove(&m, 0, 0x1000);
	assert_int_equal(multiboot_fill_memory(&mbi, &m, mmap, 8, 0x9000), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_vmlinux), cmocka_unit_test(test_parse_elf32),
		cmocka_unit_test(test_parse_rejects), cmocka_unit_test(test_find_entry),
		cmocka_unit_test(test_start_info),    cmocka_unit_test(test_multiboot_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
