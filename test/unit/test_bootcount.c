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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_cold_and_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
