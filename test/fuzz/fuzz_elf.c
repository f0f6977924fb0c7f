// SPDX-License-Identifier: MIT
/* Fuzz the ELF32 payload parser and placement check with the input as the whole file.
 *
 * The parser gets the first ELF_HEADER_BYTES (or fewer) bytes and the input size as the
 * file size. An accepted image is checked against the raw program headers and then placed
 * in a fixed RAM map with busy ranges; the verdict is recomputed independently. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "elf.h"

static struct elf_image img;

static const struct busy_range busy[] = {
	{0x500, 0x528, "forwarder"},
	{0x7f00000, 0x7f80000, "loader zone"},
	{0xfffc0000, 0x100000000ull, "ROM"},
};

/* Little-endian u16 at p. */
static uint32_t rd16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

/* Little-endian u32 at p. */
static uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | rd16(p + 2) << 16;
}

/* Every accepted segment is sane and is exactly the next non-empty PT_LOAD header. */
static void check_image(const uint8_t *data, size_t hdr_len, size_t file_size)
{
	uint32_t phoff = rd32(data + 28), phnum = rd16(data + 44);
	bool entry_ok = false;
	int k = 0;

	if (img.nseg < 1 || img.nseg > ELF_MAX_SEGMENTS)
		__builtin_trap();
	if (rd16(data + 42) != 32 || (uint64_t)phoff + 32ull * phnum > hdr_len)
		__builtin_trap();
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *ph = data + phoff + 32 * i;

		if (rd32(ph) != 1 || !rd32(ph + 20))
			continue;
		if (k >= img.nseg || img.seg[k].paddr != rd32(ph + 12) ||
		    img.seg[k].offset != rd32(ph + 4) || img.seg[k].filesz != rd32(ph + 16) ||
		    img.seg[k].memsz != rd32(ph + 20))
			__builtin_trap();
		k++;
	}
	if (k != img.nseg || img.entry != rd32(data + 24))
		__builtin_trap();
	for (int i = 0; i < img.nseg; i++) {
		const struct elf_segment *s = &img.seg[i];

		if (s->filesz > s->memsz || !s->memsz)
			__builtin_trap();
		if ((uint64_t)s->offset + s->filesz > file_size)
			__builtin_trap();
		if ((uint64_t)s->paddr + s->memsz > 0x100000000ull)
			__builtin_trap();
		if (img.entry >= s->paddr && img.entry - s->paddr < s->filesz)
			entry_ok = true;
	}
	if (!entry_ok)
		__builtin_trap();
}

/* True if [start, end) lies inside RAM ranges of m (which are merged, so inside one). */
static ORACLE bool in_ram(const struct e820_map *m, uint64_t start, uint64_t end)
{
	for (int i = 0; i < m->count; i++)
		if (m->e[i].type == E820_RAM && m->e[i].start <= start &&
		    end <= m->e[i].start + m->e[i].size)
			return true;
	return false;
}

/* The placement verdict must match an independent check. */
static void check_placement(void)
{
	struct e820_map ram;
	bool ok = true;
	int ret;

	e820_init(&ram);
	e820_add(&ram, 0, 0x9fc00, E820_RAM);
	e820_add(&ram, 0x100000, 0x7f00000, E820_RAM);
	e820_add(&ram, 0xfff00000, 0x100000, E820_RAM);
	ret = elf_check_placement(&img, &ram, busy, 3);
	for (int i = 0; i < img.nseg; i++) {
		uint64_t s = img.seg[i].paddr, e = s + img.seg[i].memsz;

		if (!in_ram(&ram, s, e))
			ok = false;
		for (int j = 0; j < 3; j++)
			if (s < busy[j].end && busy[j].start < e)
				ok = false;
		for (int j = 0; j < img.nseg; j++) {
			uint64_t os = img.seg[j].paddr, oe = os + img.seg[j].memsz;

			if (j != i && s < oe && os < e)
				ok = false;
		}
	}
	if (ret != (ok ? 0 : -1))
		__builtin_trap();
}

/* Parse the input as an ELF file; check any accepted image and its placement. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t hdr_len = size < ELF_HEADER_BYTES ? size : ELF_HEADER_BYTES;

	if (size > UINT32_MAX)
		return 0;
	if (elf_parse(data, hdr_len, (uint32_t)size, &img))
		return 0;
	check_image(data, hdr_len, size);
	check_placement();
	/* A shorter file view (the tail cut off) must never accept bytes past its end. */
	if (size > 64 && !elf_parse(data, hdr_len, (uint32_t)size - 64, &img))
		check_image(data, hdr_len < size - 64 ? hdr_len : size - 64, size - 64);
	return 0;
}
