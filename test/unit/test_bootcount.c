// SPDX-License-Identifier: MIT
/* Unit tests for the fallback boot counter encoding and the strict decimal parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "bootcount.h"

static void test_round_trip(void **state)
{
	uint8_t n;

	(void)state;
	for (int c = 0; c < 256; c++) {
		assert_true(bootcount_decode((uint8_t)c, bootcount_check((uint8_t)c), &n));
		assert_int_equal(n, c);
	}
}

/* Zeroed CMOS (a cold power-on) and all-ones never decode; a flipped bit never does. */
static void test_cold_and_corrupt(void **state)
{
	uint8_t n = 77;

	(void)state;
	assert_false(bootcount_decode(0, 0, &n));
	assert_false(bootcount_decode(0xff, 0xff, &n));
	for (int bit = 0; bit < 8; bit++) {
		assert_false(bootcount_decode((uint8_t)(2 ^ (1 << bit)), bootcount_check(2), &n));
		assert_false(bootcount_decode(2, (uint8_t)(bootcount_check(2) ^ (1 << bit)), &n));
	}
	assert_int_equal(n, 77);
	assert_int_equal(bootcount_check(0), 0xa5);
}

/* Parse s with the fallback-after bounds. */
static bool fa(const char *s, uint32_t *v)
{
	return parse_decimal(s, (uint32_t)strlen(s), 1, FALLBACK_AFTER_MAX, v);
}

static void test_parse_accepts(void **state)
{
	uint32_t v;

	(void)state;
	assert_true(fa("3", &v));
	assert_int_equal(v, 3);
	assert_true(fa("100\n", &v));
	assert_int_equal(v, 100);
	assert_true(parse_decimal("0", 1, 0, 5, &v));
	assert_int_equal(v, 0);
	assert_true(parse_decimal("4294967295", 10, 0, UINT32_MAX, &v));
	assert_int_equal(v, UINT32_MAX);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {"",	 "\n", "0",	      "101",	   "-1",
					  "+3",	 " 3", "3 ",	      "03",	   "3\n\n",
					  "0x3", "3a", "99999999999", "4294967296"};
	uint32_t v = 42;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(fa(bad[i], &v));
	assert_false(parse_decimal("4294967296", 10, 0, UINT32_MAX, &v));
	assert_false(parse_decimal("3\0", 2, 0, 9, &v));
	assert_int_equal(v, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_cold_and_corrupt),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
