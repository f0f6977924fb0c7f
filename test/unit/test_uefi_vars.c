// SPDX-License-Identifier: MIT
/* Unit tests for the UEFI variable store check and the header the loader formats it with. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_log.h"
#include "uefi-vars.h"

static uint8_t store[UEFI_VARS_SIZE];

/* The first 100 bytes of Debian's OVMF_VARS_4M.fd (edk2 2022.11): an empty store. */
static const uint8_t ovmf_vars_4m[UEFI_VARS_HDR_BYTES] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c, 0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b,
	0x4f, 0x50, 0x00, 0x40, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5f, 0x46, 0x56, 0x48, 0xff,
	0xfe, 0x04, 0x00, 0x48, 0x00, 0xaf, 0xb8, 0x00, 0x00, 0x00, 0x02, 0x84, 0x00, 0x00, 0x00,
	0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78, 0x2c, 0xf3,
	0xaa, 0x7b, 0x94, 0x9a, 0x43, 0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92, 0xb8, 0xff,
	0x03, 0x00, 0x5a, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* A formatted store: erased flash with our header. */
static void formatted(void)
{
	memset(store, 0xff, sizeof(store));
	uefi_vars_header(store);
}

static void test_header_matches_ovmf(void **state)
{
	(void)state;
	formatted();
	assert_memory_equal(store, ovmf_vars_4m, sizeof(ovmf_vars_4m));
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_OK);
}

static void test_base(void **state)
{
	(void)state;
	assert_int_equal(uefi_vars_base(0x5c0000), 0xff9bc000u);
	assert_int_equal(uefi_vars_base(0x20000), 0xfff5c000u);
}

static void test_blank_and_short(void **state)
{
	(void)state;
	memset(store, 0xff, sizeof(store));
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_BLANK);
	formatted();
	assert_int_equal(uefi_vars_check(store, UEFI_VARS_HDR_BYTES - 1), UEFI_VARS_NO_FV);
	memset(store, 0, sizeof(store));
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_NO_FV);
}

/* Each damaged field gives its own state; the non-authenticated format is accepted. */
static void test_damage(void **state)
{
	(void)state;
	formatted();
	store[40] = 'X'; /* signature */
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_NO_FV);
	formatted();
	store[16] ^= 1; /* file system GUID */
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_NO_FV);
	formatted();
	store[45] ^= 0x10; /* attributes: checksum no longer sums to 0 */
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_BAD_CHECKSUM);
	formatted();
	store[34] = 0x02;			 /* FvLength 0x24000 (OVMF 2 MiB-style store) ... */
	store[50] = (uint8_t)(store[50] + 0x06); /* ... checksum kept right */
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_BAD_LAYOUT);
	formatted();
	store[0x48 + 21] = 0xfc; /* store state: not healthy */
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_NO_STORE);
	formatted();
	store[0x48] ^= 0xff; /* store signature */
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_NO_STORE);
	formatted();
	memcpy(store + 0x48,
	       (const uint8_t[]){0x16, 0x36, 0xcf, 0xdd, 0x75, 0x32, 0x64, 0x41, 0x98, 0xb6, 0xfe,
				 0x85, 0x70, 0x7f, 0xfe, 0x7d},
	       16);
	assert_int_equal(uefi_vars_check(store, sizeof(store)), UEFI_VARS_OK);
}

static void test_texts(void **state)
{
	(void)state;
	for (int s = UEFI_VARS_OK; s <= UEFI_VARS_NO_STORE; s++)
		assert_non_null(strstr(uefi_vars_state_text((enum uefi_vars_state)s), "s"));
	assert_string_equal(uefi_vars_state_text(UEFI_VARS_BLANK), "is blank (erased)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_matches_ovmf),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_blank_and_short),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
