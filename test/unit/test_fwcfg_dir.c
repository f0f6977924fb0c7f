// SPDX-License-Identifier: MIT
/* Unit tests for the fw_cfg directory entries and index, and the numeric option parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fwcfg.h"
#include "host_log.h"

static uint8_t dir[4 + 64 * 8];

/* Store v big-endian at p. */
static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
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

/* Decode entry i of dir into f; returns what fwcfg_dir_entry returned. */
static bool entry(int i, struct fwcfg_file *f)
{
	return fwcfg_dir_entry(dir + 4 + 64 * i, (uint32_t)i, f);
}

/* Ordinary entries: sizes and keys are byte-swapped, the whole name field copied. */
static void test_entry_valid(void **state)
{
	struct fwcfg_file f;

	(void)state;
	set_entry(0, 0x12345678, 0x0020, "bootorder");
	set_entry(1, 0x00000024, 0x1234, "etc/acpi/rsdp");
	host_log_clear();
	memset(&f, 0x77, sizeof(f));
	assert_true(entry(0, &f));
	assert_int_equal(f.size, 0x12345678);
	assert_int_equal(f.select, 0x0020);
	assert_string_equal(f.name, "bootorder");
	assert_int_equal(f.name[FWCFG_NAME_LEN - 1], 0);
	assert_true(entry(1, &f));
	assert_int_equal(f.size, 0x24);
	assert_int_equal(f.select, 0x1234);
	assert_string_equal(f.name, "etc/acpi/rsdp");
	assert_string_equal(host_log_text(), "");
}

/* A 55-character name is the longest that fits with its NUL; 56 is refused. */
static void test_entry_names(void **state)
{
	char name[FWCFG_NAME_LEN + 1];
	struct fwcfg_file f;

	(void)state;
	memset(name, 'n', FWCFG_NAME_LEN - 1);
	name[FWCFG_NAME_LEN - 1] = 0;
	set_entry(0, 1, 0x21, name);
	assert_true(entry(0, &f));
	assert_int_equal(strlen(f.name), FWCFG_NAME_LEN - 1);
	memset(name, 'x', FWCFG_NAME_LEN);
	name[FWCFG_NAME_LEN] = 0;
	set_entry(1, 11, 0x21, name);
	host_log_clear();
	assert_false(entry(1, &f));
	assert_true(host_log_has("file 1 has an unterminated name, skipped"));
}

/* Keys below 0x20 are the numbered legacy items, never files. */
static void test_entry_low_key(void **state)
{
	struct fwcfg_file f;

	(void)state;
	set_entry(0, 1, 0x0019, "evil");
	set_entry(1, 3, 0x0020, "ok");
	host_log_clear();
	assert_false(entry(0, &f));
	assert_true(host_log_has("file evil has invalid key 0x19, skipped"));
	assert_true(entry(1, &f));
	assert_int_equal(f.select, 0x20);
}

/* The hash is never 0, differs for QEMU's usual names, and the index walk finds every
 * position with a hash, in order, and ends at count. */
static void test_index(void **state)
{
	static uint16_t index[FWCFG_MAX_FILES];
	static const char *const names[] = {
		"etc/e820",	 "etc/table-loader",	  "etc/acpi/tables",
		"etc/acpi/rsdp", "opt/qvmloader/payload", "bootorder"};
	char name[32];
	uint16_t h;

	(void)state;
	assert_int_not_equal(fwcfg_name_hash(""), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (size_t j = i + 1; j < sizeof(names) / sizeof(names[0]); j++)
			assert_int_not_equal(fwcfg_name_hash(names[i]), fwcfg_name_hash(names[j]));
	for (int i = 0; i < FWCFG_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "aaa/%d", i);
		index[i] = fwcfg_name_hash(name);
		assert_int_not_equal(index[i], 0);
	}
	h = fwcfg_name_hash("etc/e820");
	index[FWCFG_MAX_FILES - 1] = h;
	index[300] = h;
	index[0] = 0;
	assert_true(fwcfg_index_next(index, FWCFG_MAX_FILES, h, 0) <= 300);
	assert_int_equal(fwcfg_index_next(index, FWCFG_MAX_FILES, h, 301), FWCFG_MAX_FILES - 1);
	assert_int_equal(fwcfg_index_next(index, FWCFG_MAX_FILES, h, FWCFG_MAX_FILES),
			 FWCFG_MAX_FILES);
	assert_int_equal(fwcfg_index_next(index, 0, h, 0), 0);
}

/* Parse a C string (without its NUL) as a numeric option. */
static int parse_str(const char *s, uint64_t *v)
{
	return fwcfg_parse_number((const uint8_t *)s, strlen(s), v);
}

/* ASCII decimal, with at most one final newline. */
static void test_num_decimal(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_str("3", &v), FWCFG_NUM_OK);
	assert_int_equal(v, 3);
	assert_int_equal(parse_str("115200", &v), FWCFG_NUM_OK);
	assert_int_equal(v, 115200);
	assert_int_equal(parse_str("42\n", &v), FWCFG_NUM_OK);
	assert_int_equal(v, 42);
	assert_int_equal(parse_str("18446744073709551615", &v), FWCFG_NUM_OK);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(parse_str("000000000000000000000007", &v), FWCFG_NUM_OK);
	assert_int_equal(v, 7);
}

/* 0x-prefixed hex in either case. */
static void test_num_hex(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_str("0x3f8", &v), FWCFG_NUM_OK);
	assert_int_equal(v, 0x3f8);
	assert_int_equal(parse_str("0XABCdef\n", &v), FWCFG_NUM_OK);
	assert_int_equal(v, 0xabcdef);
	assert_int_equal(parse_str("0xffffffffffffffff", &v), FWCFG_NUM_OK);
	assert_int_equal(v, UINT64_MAX);
}

/* Signs, blanks, trailing junk, NULs, a second newline, emptiness: refused, *out untouched. */
static void test_num_refused(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int err;
	} cases[] = {
		{"-1", 2, FWCFG_NUM_SIGN},
		{"+3", 2, FWCFG_NUM_SIGN},
		{"-", 1, FWCFG_NUM_SIGN},
		{"3 ", 2, FWCFG_NUM_JUNK},
		{" 3", 2, FWCFG_NUM_JUNK},
		{"3abc", 4, FWCFG_NUM_JUNK},
		{"12a", 3, FWCFG_NUM_JUNK},
		{"0x12g", 5, FWCFG_NUM_JUNK},
		{"0x", 2, FWCFG_NUM_JUNK},
		{"0x\n", 3, FWCFG_NUM_JUNK},
		{"3\n\n", 3, FWCFG_NUM_JUNK},
		{"3\r\n", 3, FWCFG_NUM_JUNK},
		{"3\0", 2, FWCFG_NUM_JUNK},
		{"\n3", 2, FWCFG_NUM_JUNK},
		{"1 2", 3, FWCFG_NUM_JUNK},
		{"", 0, FWCFG_NUM_EMPTY},
		{"\n", 1, FWCFG_NUM_EMPTY},
		{"\x34\x12", 2, FWCFG_NUM_JUNK},
		{"18446744073709551616", 20, FWCFG_NUM_OVERFLOW},
		{"99999999999999999999", 20, FWCFG_NUM_OVERFLOW},
		{"0x10000000000000000", 19, FWCFG_NUM_OVERFLOW},
	};
	uint64_t v = 0x5555;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = fwcfg_parse_number((const uint8_t *)cases[i].s, cases[i].len, &v);

		if (err != cases[i].err)
			fail_msg("case %zu (\"%s\"): %d, expected %d", i, cases[i].s, err,
				 cases[i].err);
		assert_string_not_equal(fwcfg_number_error(err), fwcfg_number_error(FWCFG_NUM_OK));
	}
	assert_int_equal(v, 0x5555);
}

/* The length limit: 64 bytes pass, 65 do not. */
static void test_num_length(void **state)
{
	char s[FWCFG_NUM_MAX_LEN + 2];
	uint64_t v = 0;

	(void)state;
	memset(s, '0', sizeof(s));
	s[FWCFG_NUM_MAX_LEN - 1] = '9';
	s[FWCFG_NUM_MAX_LEN] = 0;
	assert_int_equal(parse_str(s, &v), FWCFG_NUM_OK);
	assert_int_equal(v, 9);
	s[FWCFG_NUM_MAX_LEN] = '1';
	s[FWCFG_NUM_MAX_LEN + 1] = 0;
	assert_int_equal(parse_str(s, &v), FWCFG_NUM_TOO_LONG);
	assert_int_equal(v, 9);
}

/* Quoting: printable bytes as they are, \n and \xNN otherwise, "..." when cut short. */
static void test_quote(void **state)
{
	char q[16];

	(void)state;
	fwcfg_quote((const uint8_t *)"-1", 2, q, sizeof(q));
	assert_string_equal(q, "-1");
	fwcfg_quote((const uint8_t *)"3\n\0\\", 4, q, sizeof(q));
	assert_string_equal(q, "3\\n\\x00\\x5c");
	fwcfg_quote((const uint8_t *)"0123456789abcdefgh", 18, q, sizeof(q));
	assert_string_equal(q, "0123456789ab...");
	fwcfg_quote((const uint8_t *)"0123456789abcde", 15, q, sizeof(q));
	assert_string_equal(q, "0123456789abcde");
	fwcfg_quote((const uint8_t *)"", 0, q, sizeof(q));
	assert_string_equal(q, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_valid),   cmocka_unit_test(test_entry_names),
		cmocka_unit_test(test_entry_low_key), cmocka_unit_test(test_index),
		cmocka_unit_test(test_num_decimal),   cmocka_unit_test(test_num_hex),
		cmocka_unit_test(test_num_refused),   cmocka_unit_test(test_num_length),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
