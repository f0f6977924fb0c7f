// SPDX-License-Identifier: MIT
/* Fuzz the PVH module with hostile input.
 *
 * The input is an ELF file head. An accepted file's segments are checked against the raw
 * program headers; every note segment whose bytes are inside the input is searched for the
 * PHYS32_ENTRY note, whose result is checked against an independent walk. The whole input
 * is also searched as one note area (4- and 8-byte aligned), and a memory map derived from
 * the input is converted for hvm_start_info and multiboot. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "pvh.h"

static struct pvh_elf elf;

/* Little-endian integer of n bytes at p. */
static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Independent walk: 0 and *entry when a well-formed Xen PHYS32_ENTRY note comes before any
 * malformed note, else nonzero. */
static ORACLE int walk(const uint8_t *b, size_t len, uint64_t a, uint64_t *entry)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint64_t namesz = rd(b + off, 4), descsz = rd(b + off + 4, 4);
		uint64_t desc = off + 12 + ((namesz + a - 1) & ~(a - 1));

		if (desc > len || descsz > len - desc)
			return -1;
		if (namesz == 4 && !memcmp(b + off + 12, "Xen", 4) && rd(b + off + 8, 4) == 18) {
			*entry = descsz == 4 || descsz == 8 ? rd(b + desc, (int)descsz) : 0;
			return 0;
		}
		off = desc + ((descsz + a - 1) & ~(a - 1));
	}
	return 1;
}

/* pvh_find_entry() agrees with walk() on [b, b+len). */
static void check_notes(const uint8_t *b, size_t len, uint32_t align)
{
	uint32_t entry = 0;
	uint64_t expect = 0;
	int rc = pvh_find_entry(b, len, align, &entry);
	int w = walk(b, len, align == 8 ? 8 : 4, &expect);

	if (rc == 0 && (w || entry != expect || !entry))
		__builtin_trap();
	if (rc == 1 && w != 1)
		__builtin_trap();
	if (rc < 0 && !(w < 0 || (w == 0 && (!expect || expect >> 32))))
		__builtin_trap();
}

/* Every accepted segment matches a PT_LOAD program header and lies below 4 GiB. */
static void check_elf(const uint8_t *d, size_t len)
{
	bool is64 = d[4] == 2;
	uint64_t phoff = is64 ? rd(d + 32, 8) : rd(d + 28, 4);
	uint32_t ent = is64 ? 56 : 32, phnum = (uint32_t)rd(d + (is64 ? 56 : 44), 2);
	int k = 0;

	if (phoff + (uint64_t)ent * phnum > len || elf.nload < 1 || elf.nload > PVH_MAX_LOADS)
		__builtin_trap();
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *p = d + phoff + (uint64_t)i * ent;
		uint64_t memsz = is64 ? rd(p + 40, 8) : rd(p + 20, 4);

		if (rd(p, 4) != 1 || !memsz)
			continue;
		if (k >= elf.nload || elf.load[k].memsz != memsz ||
		    elf.load[k].paddr != (is64 ? rd(p + 24, 8) : rd(p + 12, 4)))
			__builtin_trap();
		k++;
	}
	if (k != elf.nload)
		__builtin_trap();
	for (int i = 0; i < elf.nload; i++)
		if (elf.load[i].filesz > elf.load[i].memsz ||
		    elf.load[i].paddr + elf.load[i].memsz > 0x100000000ull)
			__builtin_trap();
	for (int i = 0; i < elf.nnote; i++) {
		uint64_t phys;

		if (!pvh_note_phys(&elf, i, &phys) && phys >= 0x100000000ull + elf.note[i].filesz)
			__builtin_trap();
		if (elf.note[i].offset < len && elf.note[i].filesz <= len - elf.note[i].offset)
			check_notes(d + elf.note[i].offset, (size_t)elf.note[i].filesz,
				    elf.note[i].align);
	}
}

/* Map conversions keep every range and multiboot's lower/upper memory are consistent. */
static void check_maps(const uint8_t *d, size_t len)
{
	static struct hvm_memmap_entry mm[E820_MAX];
	static struct multiboot_mmap_entry mb[E820_MAX];
	struct multiboot_info mbi;
	struct e820_map m;
	int n;

	e820_init(&m);
	for (size_t off = 0; off + 6 <= len && off < 6 * 24; off += 6)
		e820_add(&m, rd(d + off, 2) << 12, (rd(d + off + 2, 3) + 1) << 8,
			 d[off + 5] % 5 + 1);
	n = pvh_build_memmap(&m, mm, E820_MAX);
	if (n != m.count)
		__builtin_trap();
	for (int i = 0; i < n; i++)
		if (mm[i].addr != m.e[i].start || mm[i].size != m.e[i].size ||
		    mm[i].type != m.e[i].type || mm[i].reserved)
			__builtin_trap();
	memset(&mbi, 0, sizeof(mbi));
	n = multiboot_fill_memory(&mbi, &m, mb, E820_MAX, 0x9000);
	if (n < 0)
		return;
	if (n != m.count || mbi.mem_lower > 640 || !mbi.mem_lower || !mbi.mem_upper ||
	    mbi.mmap_length != 24u * (uint32_t)n ||
	    !e820_covered(&m, 0, mbi.mem_lower * 1024ull, E820_RAM) ||
	    !e820_covered(&m, 0x100000, mbi.mem_upper * 1024ull, E820_RAM))
		__builtin_trap();
}

/* Parse the input as an ELF head and as raw notes; derive and convert a map from it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0x10000)
		return 0;
	if (!pvh_parse_elf(data, size, &elf))
		check_elf(data, size);
	check_notes(data, size, 4);
	check_notes(data, size, 8);
	check_maps(data, size);
	return 0;
}
