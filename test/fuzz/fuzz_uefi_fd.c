// SPDX-License-Identifier: MIT
/* Fuzz the UEFIPAYLOAD.fd parser, the 4 KiB map rounding and the ACPI walk.
 *
 * Byte 0 selects the target. FV: the rest is the volume body behind a valid FFS2 header the
 * harness writes (so the file and section walkers are reached), or the raw volume; an
 * accepted image must have its SEC image and entry inside the volume, linked where it sits.
 * Map: 20-byte records become a map; the rounded map must be page aligned, keep no RAM
 * outside the input's RAM and cover every input non-RAM byte. ACPI: the rest is guest
 * memory at a fixed base holding the RSDP; success implies FACP (and MCFG when found)
 * inside it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "uefi-fd.h"

#define BASE	0x800000u
#define HDR	72
#define MAX_FV	65536
#define ACPI_AT 0x10000u

static uint8_t fv[MAX_FV];
static const uint8_t *acpi_mem;
static size_t acpi_len;

static const uint8_t ffs2[16] = {0x78, 0xe5, 0x8c, 0x8c, 0x3d, 0x8a, 0x1c, 0x4f,
				 0x99, 0x35, 0x89, 0x61, 0x85, 0xc3, 0x2d, 0xd3};

/* Little-endian u32 at p. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Little-endian u64 at p. */
static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Wrap body in a valid FFS2 volume header; returns the volume length. */
static size_t wrap(const uint8_t *body, size_t len)
{
	size_t total = HDR + len;
	uint16_t sum = 0;

	if (total > MAX_FV)
		total = MAX_FV;
	memset(fv, 0, HDR);
	memcpy(fv + 16, ffs2, 16);
	for (int i = 0; i < 8; i++)
		fv[32 + i] = (uint8_t)((uint64_t)total >> (8 * i));
	memcpy(fv + 40, "_FVH", 4);
	fv[45] = 0x08; /* erase polarity 1 */
	fv[48] = HDR;
	fv[55] = 2;
	memcpy(fv + HDR, body, total - HDR);
	for (int i = 0; i < HDR; i += 2)
		sum = (uint16_t)(sum + (fv[i] | fv[i + 1] << 8));
	fv[50] = (uint8_t)-sum;
	fv[51] = (uint8_t)((uint16_t)-sum >> 8);
	return total;
}

/* Parse a volume; check an accepted one. */
static void fuzz_fv(const uint8_t *data, size_t len, bool raw)
{
	struct uefi_fv_info info;
	size_t n;

	if (raw) {
		n = len > MAX_FV ? MAX_FV : len;
		memcpy(fv, data, n);
	} else {
		n = wrap(data, len);
	}
	if (uefi_fv_parse(fv, n, BASE, &info))
		return;
	if (!uefi_fv_probe(fv, n) || info.fv_length > n || info.sec_offset >= info.fv_length)
		__builtin_trap();
	if (info.machine != UEFI_PE_MACHINE_IA32)
		__builtin_trap();
	if (info.entry <= BASE + info.sec_offset || info.entry >= BASE + info.fv_length)
		__builtin_trap();
	if (!info.te && info.image_base != BASE + info.sec_offset)
		__builtin_trap();
}

/* Type of the range of m holding byte a, or 0 in a hole. */
static ORACLE uint32_t type_at(const struct e820_map *m, uint64_t a)
{
	for (int i = 0; i < m->count; i++)
		if (a >= m->e[i].start && a - m->e[i].start < m->e[i].size)
			return m->e[i].type;
	return 0;
}

/* Round a map built from the input and check the rules. */
static void fuzz_map(const uint8_t *data, size_t len)
{
	static const uint32_t types[] = {1, 2, 3, 4, 5, 16};
	static struct e820_map in, out;

	e820_init(&in);
	for (size_t off = 0; off + 20 <= len; off += 20)
		e820_add(&in, rd64(data + off) & 0xffffffffffull,
			 rd64(data + off + 8) & 0xffffffffffull, types[data[off + 16] % 6]);
	if (uefi_align_map(&in, &out))
		return;
	for (int i = 0; i < out.count; i++) {
		const struct e820_entry *e = &out.e[i];

		if ((e->start | e->size) & 0xfff)
			__builtin_trap();
		if (e->type == E820_RAM && !e820_covered(&in, e->start, e->size, E820_RAM))
			__builtin_trap();
	}
	/* Every non-RAM byte stays non-RAM (checked at both ends of each range). */
	for (int i = 0; i < in.count; i++) {
		const struct e820_entry *e = &in.e[i];
		uint64_t last = e->start + e->size - 1;

		if (e->type == E820_RAM)
			continue;
		if (type_at(&out, e->start) == 0 || type_at(&out, e->start) == E820_RAM ||
		    type_at(&out, last) == 0 || type_at(&out, last) == E820_RAM)
			__builtin_trap();
	}
}

/* phys_view over the input placed at ACPI_AT. */
static const void *map_input(void *ctx, uint64_t addr, uint32_t len)
{
	(void)ctx;
	if (addr < ACPI_AT || addr - ACPI_AT > acpi_len || len > acpi_len - (addr - ACPI_AT))
		return NULL;
	return acpi_mem + (addr - ACPI_AT);
}

/* Walk ACPI tables in the input; success must name tables inside it. */
static void fuzz_acpi(const uint8_t *data, size_t len)
{
	struct phys_view v = {map_input, NULL};
	struct uefi_acpi_info info;

	acpi_mem = data;
	acpi_len = len;
	if (uefi_check_acpi(&v, ACPI_AT, &info))
		return;
	if (!map_input(NULL, info.fadt, 116) ||
	    memcmp(map_input(NULL, info.fadt, 4), "FACP", 4) != 0)
		__builtin_trap();
	if (!info.mcfg)
		return;
	if (!map_input(NULL, info.mcfg, 60) || !info.ecam_base ||
	    memcmp(map_input(NULL, info.mcfg, 4), "MCFG", 4) != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_fv(data + 1, size - 1, false);
		break;
	case 1:
		fuzz_fv(data + 1, size - 1, true);
		break;
	case 2:
		fuzz_map(data + 1, size - 1);
		break;
	default:
		fuzz_acpi(data + 1, size - 1);
		break;
	}
	return 0;
}
