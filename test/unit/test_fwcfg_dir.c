// SPDX-License-Identifier: MIT
/* Unit tests for the fw_cfg directory parser and the integer file decoder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fwcfg.h"
#include "host_log.h"

#define MAX_ENTRIES 8

static uint8_t dir[4 + 64 * 300];
static struct fwcfg_file files[FWCFG_MAX_FILES + 1];

/* Store v big-endian at p. */
static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Set the directory count field. */
static void set_count(uint32_t count)
{
	put_be32(dir, count);
}

/* Fill entry i of the raw directory. name is copied with its NUL unless it is 56 bytes. */
static void set_entry(int i, uint32_t size, uint16_t key, const char *name)
{
	uint8_t *e = dir + 4 + 64 * i;
	size_t n = strlen(name);

	memset(e, 0, 64);
	put_be32(e, size);
	e[4] = (uint8_t)(key >> 8);
	e[5] = (uint8_t)key;
	e[6] = 0xa5; /* reserved: must be ignored */
	e[7] = 0x5a;
	memcpy(e + 8, name, n < FWCFG_NAME_LEN ? n : FWCFG_NAME_LEN);
}

/* Length in bytes of a directory of count entries. */
static size_t dir_len(int count)
{
	return 4 + 64 * (size_t)count;
}

/* Three ordinary files: sizes and keys are byte-swapped, names copied. */
static void test_dir_valid(void **state)
{
	(void)state;
	memset(files, 0x77, sizeof(files));
	set_count(3);
	set_entry(0, 0x12345678, 0x0020, "bootorder");
	set_entry(1, 0x00000024, 0x1234, "etc/acpi/rsdp");
	set_entry(2, 0x00020000, 0xabcd, "etc/acpi/tables");
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3), files, MAX_ENTRIES), 3);
	assert_int_equal(files[0].size, 0x12345678);
	assert_int_equal(files[0].select, 0x0020);
	assert_string_equal(files[0].name, "bootorder");
	assert_int_equal(files[1].size, 0x24);
	assert_int_equal(files[1].select, 0x1234);
	assert_string_equal(files[1].name, "etc/acpi/rsdp");
	assert_int_equal(files[2].size, 0x20000);
	assert_int_equal(files[2].select, 0xabcd);
	assert_string_equal(files[2].name, "etc/acpi/tables");
	/* The whole name field is copied, so the tail is zero, not the 0x77 fill. */
	assert_int_equal(files[1].name[FWCFG_NAME_LEN - 1], 0);
	/* Entry 3 was not written. */
	assert_int_equal((uint8_t)files[3].name[0], 0x77);
	assert_string_equal(host_log_text(), "");
}

/* A 55-character name is the longest that fits with its NUL. */
static void test_dir_longest_name(void **state)
{
	char name[FWCFG_NAME_LEN];

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	set_count(1);
	set_entry(0, 1, 0x21, name);
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(1), files, MAX_ENTRIES), 1);
	assert_int_equal(strlen(files[0].name), FWCFG_NAME_LEN - 1);
	assert_memory_equal(files[0].name, name, FWCFG_NAME_LEN);
}

/* A count the buffer cannot hold is an error; trailing bytes after the entries are fine. */
static void test_dir_count_too_large(void **state)
{
	(void)state;
	set_count(3);
	set_entry(0, 1, 0x20, "a");
	set_entry(1, 2, 0x21, "b");
	set_entry(2, 3, 0x22, "c");
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3) - 1, files, MAX_ENTRIES), -1);
	assert_true(host_log_has("directory claims 3 files but holds 195 bytes"));
	set_count(0xffffffff);
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3), files, MAX_ENTRIES), -1);
	set_count(0x04000001); /* count * 64 wraps a 32-bit multiplication to 64 */
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3), files, MAX_ENTRIES), -1);
	set_count(2);
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3) - 1, files, MAX_ENTRIES), 2);
	assert_string_equal(files[1].name, "b");
}

/* An entry whose name fills all 56 bytes is skipped with a message; the others stay. */
static void test_dir_unterminated_name(void **state)
{
	char name[FWCFG_NAME_LEN + 1];

	(void)state;
	memset(name, 'x', FWCFG_NAME_LEN);
	name[FWCFG_NAME_LEN] = 0;
	set_count(3);
	set_entry(0, 10, 0x20, "first");
	set_entry(1, 11, 0x21, name);
	set_entry(2, 12, 0x22, "third");
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3), files, MAX_ENTRIES), 2);
	assert_true(host_log_has("file 1 has an unterminated name, skipped"));
	assert_string_equal(files[0].name, "first");
	assert_string_equal(files[1].name, "third");
	assert_int_equal(files[1].size, 12);
	assert_int_equal(files[1].select, 0x22);
}

/* Keys below 0x20 are the numbered legacy items, never files: skipped. */
static void test_dir_low_key(void **state)
{
	(void)state;
	set_count(3);
	set_entry(0, 1, 0x0019, "evil");
	set_entry(1, 2, 0x001f, "evil2");
	set_entry(2, 3, 0x0020, "ok");
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(3), files, MAX_ENTRIES), 1);
	assert_true(host_log_has("file evil has invalid key 0x19, skipped"));
	assert_true(host_log_has("file evil2 has invalid key 0x1f, skipped"));
	assert_string_equal(files[0].name, "ok");
	assert_int_equal(files[0].select, 0x20);
}

/* More files than max: the first max are kept and out[max] is untouched. */
static void test_dir_too_many(void **state)
{
	char name[16];

	(void)state;
	set_count(MAX_ENTRIES + 3);
	for (int i = 0; i < MAX_ENTRIES + 3; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		set_entry(i, (uint32_t)i, (uint16_t)(0x20 + i), name);
	}
	memset(files, 0x77, sizeof(files));
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(MAX_ENTRIES + 3), files, MAX_ENTRIES),
			 MAX_ENTRIES);
	assert_true(host_log_has("more than 8 files, ignoring the rest"));
	assert_string_equal(files[MAX_ENTRIES - 1].name, "f7");
	assert_int_equal(files[MAX_ENTRIES - 1].select, 0x27);
	assert_int_equal(files[MAX_ENTRIES].size, 0x77777777);

	/* Exactly max valid files plus skipped ones after them: no overflow message. */
	set_count(MAX_ENTRIES + 1);
	set_entry(MAX_ENTRIES, 1, 0x01, "legacy");
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(MAX_ENTRIES + 1), files, MAX_ENTRIES),
			 MAX_ENTRIES);
	assert_false(host_log_has("more than"));

	/* The real limit: FWCFG_MAX_FILES + 1 entries into FWCFG_MAX_FILES slots. */
	set_count(FWCFG_MAX_FILES + 1);
	for (int i = 0; i < FWCFG_MAX_FILES + 1; i++) {
		snprintf(name, sizeof(name), "file%d", i);
		set_entry(i, (uint32_t)i, (uint16_t)(0x20 + i), name);
	}
	memset(files, 0x77, sizeof(files));
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(FWCFG_MAX_FILES + 1), files, FWCFG_MAX_FILES),
			 FWCFG_MAX_FILES);
	assert_string_equal(files[FWCFG_MAX_FILES - 1].name, "file255");
	assert_int_equal(files[FWCFG_MAX_FILES].size, 0x77777777);
}

/* Zero files is a valid, empty directory. */
static void test_dir_empty(void **state)
{
	(void)state;
	set_count(0);
	host_log_clear();
	assert_int_equal(fwcfg_dir_parse(dir, 4, files, MAX_ENTRIES), 0);
	assert_int_equal(fwcfg_dir_parse(dir, dir_len(2), files, MAX_ENTRIES), 0);
	assert_string_equal(host_log_text(), "");
}

/* Fewer than 4 bytes cannot even hold the count. */
static void test_dir_short(void **state)
{
	(void)state;
	set_count(0);
	for (size_t len = 0; len < 4; len++) {
		host_log_clear();
		assert_int_equal(fwcfg_dir_parse(dir, len, files, MAX_ENTRIES), -1);
		assert_true(host_log_has("directory too short"));
	}
}

/* Parse a C string (without its NUL) as an integer file. */
static bool parse_str(const char *s, uint64_t *v)
{
	return fwcfg_parse_int((const uint8_t *)s, strlen(s), v);
}

/* ASCII decimal, bare or terminated by NUL and/or newline. */
static void test_int_decimal(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_true(parse_str("3", &v));
	assert_int_equal(v, 3);
	assert_true(parse_str("115200", &v));
	assert_int_equal(v, 115200);
	assert_true(parse_str("42\n", &v));
	assert_int_equal(v, 42);
	assert_true(fwcfg_parse_int((const uint8_t *)"1000\0", 5, &v));
	assert_int_equal(v, 1000);
	assert_true(fwcfg_parse_int((const uint8_t *)"77\n\0\0", 5, &v));
	assert_int_equal(v, 77);
	assert_true(parse_str("18446744073709551615", &v));
	assert_int_equal(v, UINT64_MAX);
	assert_true(parse_str("000000000000000000000007", &v)); /* 24 characters */
	assert_int_equal(v, 7);
}

/* 0x-prefixed hex in either case. */
static void test_int_hex(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_true(parse_str("0x3f8", &v));
	assert_int_equal(v, 0x3f8);
	assert_true(parse_str("0XABCdef\n", &v));
	assert_int_equal(v, 0xabcdef);
	assert_true(fwcfg_parse_int((const uint8_t *)"0x10\0", 5, &v));
	assert_int_equal(v, 0x10);
	assert_true(parse_str("0xffffffffffffffff", &v));
	assert_int_equal(v, UINT64_MAX);
}

/* Sizes 1, 2, 4 and 8 that are not ASCII numbers are little-endian binary. */
static void test_int_binary(void **state)
{
	const uint8_t b1[1] = {0x05};
	const uint8_t b2[2] = {0x34, 0x12};
	const uint8_t b4[4] = {0xe8, 0x03, 0x00, 0x00};
	const uint8_t b8[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88};
	const uint8_t zero4[4] = {0};
	uint64_t v = 0;

	(void)state;
	assert_true(fwcfg_parse_int(b1, 1, &v));
	assert_int_equal(v, 5);
	assert_true(fwcfg_parse_int(b2, 2, &v));
	assert_int_equal(v, 0x1234);
	assert_true(fwcfg_parse_int(b4, 4, &v));
	assert_int_equal(v, 1000);
	assert_true(fwcfg_parse_int(b8, 8, &v));
	assert_int_equal(v, 0x8807060504030201ull);
	assert_true(fwcfg_parse_int(zero4, 4, &v));
	assert_int_equal(v, 0);
}

/* Neither ASCII nor a binary size: rejected and *out left alone. */
static void test_int_invalid(void **state)
{
	const uint8_t b3[3] = {0x01, 0x02, 0x03};
	const uint8_t b16[16] = {0xff};
	uint64_t v = 0x5555;

	(void)state;
	assert_false(fwcfg_parse_int(b3, 3, &v));
	assert_false(fwcfg_parse_int(b16, 16, &v));
	assert_false(fwcfg_parse_int(b3, 0, &v));
	assert_false(parse_str("12a", &v));
	assert_false(parse_str("0x12g", &v));
	assert_false(parse_str("-5\n", &v));
	assert_false(parse_str("\n\n\n", &v));
	assert_false(parse_str("1 2", &v));
	assert_false(parse_str("0000000000000000000000007", &v)); /* 25 characters */
	assert_int_equal(v, 0x5555);
}

/* Values past 2^64 - 1 are rejected, not wrapped. */
static void test_int_overflow(void **state)
{
	uint64_t v = 0x5555;

	(void)state;
	assert_false(parse_str("18446744073709551616", &v));
	assert_false(parse_str("99999999999999999999", &v));
	assert_false(parse_str("0x10000000000000000", &v));
	assert_int_equal(v, 0x5555);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_valid),
		cmocka_unit_test(test_dir_longest_name),
		cmocka_unit_test(test_dir_count_too_large),
		cmocka_unit_test(test_dir_unterminated_name),
		cmocka_unit_test(test_dir_low_key),
		cmocka_unit_test(test_dir_too_many),
		cmocka_unit_test(test_dir_empty),
		cmocka_unit_test(test_dir_short),
		cmocka_unit_test(test_int_decimal),
		cmocka_unit_test(test_int_hex),
		cmocka_unit_test(test_int_binary),
		cmocka_unit_test(test_int_invalid),
		cmocka_unit_test(test_int_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
