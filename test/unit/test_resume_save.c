// SPDX-License-Identifier: MIT
/* Unit tests for the S3 save area seal/check, the waking-vector decision and the FACS lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "host_log.h"
#include "resume-save.h"

static struct resume_save save;

/* A sealed area for machine 2 with some content. */
static void make_save(void)
{
	memset(&save, 0, sizeof(save));
	save.machine = 2;
	save.facs = 0x1efcdfc0;
	save.nr_pci = 3;
	save.pci[1].bdf = 0x0008;
	save.pci[1].cfg[4] = 0xfebf0000;
	resume_save_seal(&save);
}

/* Flip bit 6 of bytes [from, to) of the sealed area one at a time; each must give `caught`. */
static void flip_range(size_t from, size_t to, size_t step, bool caught)
{
	uint8_t *b = (uint8_t *)&save;

	for (size_t i = from; i < to; i += step) {
		b[i] ^= 0x40;
		assert_true((resume_save_check(&save, 2) != NULL) == caught);
		b[i] ^= 0x40;
	}
}

/* A sealed area passes; every flipped byte of the fields and of the entries in use is caught,
 * while the unused entries (never read) do not count. */
static void test_seal_check(void **state)
{
	size_t lists = offsetof(struct resume_save, write_pointers);
	size_t pci = offsetof(struct resume_save, pci), in_use = 3 * sizeof(save.pci[0]);

	(void)state;
	make_save();
	assert_null(resume_save_check(&save, 2));
	flip_range(0, lists, 1, true);
	flip_range(pci, pci + in_use, 1, true);
	flip_range(lists, pci, 7, false); /* nr_write_pointers is 0 */
	flip_range(pci + in_use, sizeof(save), 97, false);
	assert_null(resume_save_check(&save, 2));
}

/* Each reason is named. */
static void test_check_reasons(void **state)
{
	(void)state;
	make_save();
	assert_string_equal(resume_save_check(&save, 1), "written on another machine type");
	save.pci[0].cfg[0] = 1;
	assert_string_equal(resume_save_check(&save, 2), "checksum mismatch");
	make_save();
	save.version = 99;
	assert_string_equal(resume_save_check(&save, 2), "written by another qvmloader version");
	make_save();
	save.nr_pci = RESUME_MAX_PCI + 1;
	resume_save_seal(&save);
	assert_string_equal(resume_save_check(&save, 2), "counts out of range");
	memset(&save, 0, sizeof(save));
	assert_string_equal(resume_save_check(&save, 2), "no signature");
}

/* Store v little-endian in n bytes. */
static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A 64-byte FACS with the given vectors, version and OSPM flags. */
static void make_facs(uint8_t *f, uint32_t vec, uint64_t xvec, uint8_t version, uint32_t ospm)
{
	memset(f, 0, 64);
	memcpy(f, "FACS", 4);
	put(f + 4, 64, 4);
	put(f + 12, vec, 4);
	put(f + 24, xvec, 8);
	f[32] = version;
	put(f + 36, ospm, 4);
}

static void test_wake_vector(void **state)
{
	uint8_t f[64];
	uint64_t v;

	(void)state;
	make_facs(f, 0x9a000, 0, 2, 0);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_REAL);
	assert_int_equal(v, 0x9a000);
	make_facs(f, 0x9a000, 0x100000, 2, 0);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_FLAT32);
	assert_int_equal(v, 0x100000);
	make_facs(f, 0x9a000, 0x100000, 2, 1);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_LONG64);
	/* Version 0 has no OSPM flags field. */
	make_facs(f, 0, 0x100000, 0, 1);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_FLAT32);
	make_facs(f, 0x9a000, 0x100000000ull, 2, 0);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_NONE);
	/* No vector, a real-mode vector above 1 MiB, a bad signature or length. */
	make_facs(f, 0, 0, 2, 0);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_NONE);
	make_facs(f, 0x100000, 0, 2, 0);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_NONE);
	make_facs(f, 0x9a000, 0, 2, 0);
	f[0] = 'X';
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_NONE);
	make_facs(f, 0x9a000, 0, 2, 0);
	put(f + 4, 32, 4);
	assert_int_equal(resume_wake_vector(f, 64, &v), WAKE_NONE);
	assert_int_equal(resume_wake_vector(f, 32, &v), WAKE_NONE);
}

/* A fake physical memory: 64 KiB at address 0x10000. */
static uint8_t mem[0x10000];
#define MEM_BASE 0x10000u

static const uint8_t *map_mem(uint64_t addr, uint32_t len, void *ctx)
{
	(void)ctx;
	if (addr < MEM_BASE || addr + len > MEM_BASE + sizeof(mem))
		return NULL;
	return mem + (addr - MEM_BASE);
}

/* An SDT header at offset off of mem. */
static void sdt(uint32_t off, const char *sig, uint32_t len)
{
	memcpy(mem + off, sig, 4);
	put(mem + off + 4, len, 4);
}

/* RSDP rev 2 -> XSDT -> (APIC, FACP) -> FACS; X_FIRMWARE_CTRL wins over FIRMWARE_CTRL. */
static void test_find_facs(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	memcpy(mem, "RSD PTR ", 8);
	mem[15] = 2;
	put(mem + 16, MEM_BASE + 0x100, 4);
	put(mem + 24, MEM_BASE + 0x200, 8);
	sdt(0x100, "RSDT", 40);
	put(mem + 0x100 + 36, MEM_BASE + 0x400, 4);
	sdt(0x200, "XSDT", 52);
	put(mem + 0x200 + 36, MEM_BASE + 0x300, 8);
	put(mem + 0x200 + 44, MEM_BASE + 0x400, 8);
	sdt(0x300, "APIC", 44);
	sdt(0x400, "FACP", 244);
	put(mem + 0x400 + 36, MEM_BASE + 0x800, 4);
	put(mem + 0x400 + 132, MEM_BASE + 0x900, 8);
	assert_int_equal(resume_find_facs(MEM_BASE, map_mem, NULL), MEM_BASE + 0x900);
	put(mem + 0x400 + 132, 0, 8);
	assert_int_equal(resume_find_facs(MEM_BASE, map_mem, NULL), MEM_BASE + 0x800);
	/* Revision 0: the RSDT, 32-bit entries. */
	mem[15] = 0;
	assert_int_equal(resume_find_facs(MEM_BASE, map_mem, NULL), MEM_BASE + 0x800);
	/* A short FADT has no FIRMWARE_CTRL; a missing FADT or RSDP gives 0. */
	sdt(0x400, "FACP", 38);
	assert_int_equal(resume_find_facs(MEM_BASE, map_mem, NULL), 0);
	sdt(0x400, "XXXX", 244);
	assert_int_equal(resume_find_facs(MEM_BASE, map_mem, NULL), 0);
	assert_int_equal(resume_find_facs(0, map_mem, NULL), 0);
	assert_int_equal(resume_find_facs(MEM_BASE + 0x100, map_mem, NULL), 0);
	/* An XSDT length beyond reach stops the walk. */
	mem[15] = 2;
	sdt(0x400, "FACP", 244);
	sdt(0x200, "XSDT", 0xffff0);
	assert_int_equal(resume_find_facs(MEM_BASE, map_mem, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_check),
		cmocka_unit_test(test_check_reasons),
		cmocka_unit_test(test_wake_vector),
		cmocka_unit_test(test_find_facs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
