// SPDX-License-Identifier: MIT
/* Unit tests for the legacy CBMEM root builder and the serial record layout
 * EDK2's coreboot parser reads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cbtable.h"
#include "host_log.h"

static uint8_t page[CBMEM_ROOT_BYTES + 64];

/* Little-endian u32 at p. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Byte layout: 16-byte header {max, num, locked, size}, then {magic, start, size, id}. */
static void test_root_layout(void **state)
{
	(void)state;
	memset(page, 0xcc, sizeof(page));
	assert_true(cbmem_root_init(page, CBMEM_ROOT_BYTES));
	assert_int_equal(rd32(page), (CBMEM_ROOT_BYTES - 16) / 16);
	assert_int_equal(rd32(page + 4), 0);
	assert_int_equal(rd32(page + 12), CBMEM_ROOT_BYTES);
	assert_true(cbmem_root_add(page, CBMEM_ID_ACPI, 0x7ffe0000, 36));
	assert_true(cbmem_root_add(page, CBMEM_ID_SMBIOS, 0x7ffd0000, 31));
	assert_int_equal(rd32(page + 4), 2);
	assert_int_equal(rd32(page + 16), 0x3fc76b86);
	assert_int_equal(rd32(page + 16), (uint32_t)~0xC0389479u);
	assert_int_equal(rd32(page + 20), 0x7ffe0000);
	assert_int_equal(rd32(page + 24), 36);
	assert_memory_equal(page + 28, "IPCA", 4); /* 0x41435049 little-endian */
	assert_int_equal(rd32(page + 32), 0x3fc76b86);
	assert_int_equal(rd32(page + 36), 0x7ffd0000);
	assert_int_equal(rd32(page + 40), 31);
	assert_int_equal(rd32(page + 44), 0x534d4254);
	/* Unused entries are zero and nothing past the cap was touched. */
	assert_int_equal(rd32(page + 48), 0);
	assert_int_equal(page[CBMEM_ROOT_BYTES], 0xcc);
}

/* Lookups find what was added, nothing else. */
static void test_root_find(void **state)
{
	uint32_t start = 0, size = 0;

	(void)state;
	assert_true(cbmem_root_init(page, CBMEM_ROOT_BYTES));
	assert_false(cbmem_root_find(page, CBMEM_ROOT_BYTES, CBMEM_ID_ACPI, &start, &size));
	assert_true(cbmem_root_add(page, CBMEM_ID_SMBIOS, 0x1234560, 0x1f));
	assert_true(cbmem_root_add(page, CBMEM_ID_ACPI, 0xf5a10, 20));
	assert_true(cbmem_root_find(page, CBMEM_ROOT_BYTES, CBMEM_ID_ACPI, &start, &size));
	assert_int_equal(start, 0xf5a10);
	assert_int_equal(size, 20);
	assert_true(cbmem_root_find(page, CBMEM_ROOT_BYTES, CBMEM_ID_SMBIOS, &start, &size));
	assert_int_equal(start, 0x1234560);
	assert_int_equal(size, 0x1f);
	assert_false(cbmem_root_find(page, CBMEM_ROOT_BYTES, 0x434f4e53, &start, &size));
}

/* A payload ignores the root unless the first entry has the legacy magic. */
static void test_root_find_rejects(void **state)
{
	uint32_t start, size;

	(void)state;
	assert_true(cbmem_root_init(page, CBMEM_ROOT_BYTES));
	assert_true(cbmem_root_add(page, CBMEM_ID_ACPI, 0x1000, 20));
	page[16] ^= 1;
	assert_false(cbmem_root_find(page, CBMEM_ROOT_BYTES, CBMEM_ID_ACPI, &start, &size));
	page[16] ^= 1;
	/* A count beyond the buffer is not trusted. */
	page[4] = 0xff;
	page[5] = 0xff;
	assert_false(cbmem_root_find(page, CBMEM_ROOT_BYTES, CBMEM_ID_ACPI, &start, &size));
	assert_false(cbmem_root_find(page, 20, CBMEM_ID_ACPI, &start, &size));
}

/* A small root fills up and says so; a too-small buffer is refused. */
static void test_root_capacity(void **state)
{
	(void)state;
	assert_false(cbmem_root_init(page, 31));
	assert_true(cbmem_root_init(page, 48));
	assert_int_equal(rd32(page), 2);
	assert_true(cbmem_root_add(page, 1, 1, 1));
	assert_true(cbmem_root_add(page, 2, 2, 2));
	assert_false(cbmem_root_add(page, 3, 3, 3));
	assert_int_equal(rd32(page + 4), 2);
	/* Caps above 4 KiB are clamped: EDK2 expects the root in one page. */
	assert_true(cbmem_root_init(page, sizeof(page)));
	assert_int_equal(rd32(page + 12), CBMEM_ROOT_BYTES);
}

/* The CB_TAG_SERIAL record at the offsets EDK2's Coreboot.h uses. */
static void test_device_records(void **state)
{
	static uint8_t t[512];
	struct cb_builder b;
	struct cb_serial s = {CB_SERIAL_IO, 0x3f8, 115200, 1, 1843200, 0};
	uint8_t *r;

	(void)state;
	cb_begin(&b, t, sizeof(t));
	cb_add(&b, CB_TAG_SERIAL, &s, sizeof(s));
	assert_int_equal(cb_finish(&b), CB_HEADER_BYTES + 32);
	r = t + CB_HEADER_BYTES;
	assert_int_equal(rd32(r), 0x0f);
	assert_int_equal(rd32(r + 4), 32);
	assert_int_equal(rd32(r + 8), 1);
	assert_int_equal(rd32(r + 12), 0x3f8);
	assert_int_equal(rd32(r + 16), 115200);
	assert_int_equal(rd32(r + 20), 1);
	assert_int_equal(rd32(r + 24), 1843200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_layout),	  cmocka_unit_test(test_root_find),
		cmocka_unit_test(test_root_find_rejects), cmocka_unit_test(test_root_capacity),
		cmocka_unit_test(test_device_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
