// SPDX-License-Identifier: MIT
/* Unit tests for the PCI bus-number plan (bus reservations cut to fit). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "bus-plan.h"

#define NONE 0xFFFFFFFFu

/* Four root ports asking 100 each (the case): cut evenly, every port gets a bus, the
 * hierarchy ends at 254 so bus 255 stays for the MP table's ISA bus. */
static void test_four_root_ports(void **state)
{
	const int16_t parent[] = {-1, -1, -1, -1};
	const uint32_t request[] = {100, 100, 100, 100};
	uint32_t grant[4];
	struct bus_plan p = {4, parent, request, grant, 254};

	(void)state;
	assert_int_equal(bus_plan_build(&p), 4);
	assert_true(bus_plan_last(&p) <= 254);
	assert_true(bus_plan_last(&p) >= 253);
	for (int i = 0; i < 4; i++)
		assert_true(grant[i] >= 61 && grant[i] <= 63);
}

/* Requests that fit are granted as asked; "none" and 0 grant nothing. */
static void test_fits(void **state)
{
	const int16_t parent[] = {-1, 0, -1};
	const uint32_t request[] = {10, NONE, 0};
	uint32_t grant[3];
	struct bus_plan p = {3, parent, request, grant, 254};

	(void)state;
	assert_int_equal(bus_plan_build(&p), 0);
	assert_int_equal(grant[0], 10);
	assert_int_equal(grant[1], 0);
	assert_int_equal(grant[2], 0);
	/* Bridge 0 at bus 1 reserves 1..11 (its child at 2 inside); bridge 2 gets bus 12. */
	assert_int_equal(bus_plan_last(&p), 12);
}

/* The largest request is cut first; smaller ones stay whole while that suffices. */
static void test_largest_first(void **state)
{
	const int16_t parent[] = {-1, -1, -1};
	const uint32_t request[] = {20, 240, 5};
	uint32_t grant[3];
	struct bus_plan p = {3, parent, request, grant, 254};

	(void)state;
	assert_int_equal(bus_plan_build(&p), 1);
	assert_int_equal(grant[0], 20);
	assert_int_equal(grant[2], 5);
	assert_int_equal(grant[1], 254 - 3 - 20 - 5);
	assert_int_equal(bus_plan_last(&p), 254);
}

/* Nested bridges: a child's reservation inside its parent's counts once; huge requests are
 * clipped before planning. */
static void test_nested_and_huge(void **state)
{
	const int16_t parent[] = {-1, 0, 1, -1};
	const uint32_t request[] = {0xfffffff0u, 50, 3, 7};
	uint32_t grant[4];
	struct bus_plan p = {4, parent, request, grant, 254};

	(void)state;
	assert_true(bus_plan_build(&p) >= 1);
	assert_true(bus_plan_last(&p) <= 254);
	assert_int_equal(grant[3], 7);
}

/* More bridges than bus numbers even without reservations: -1 and nothing granted. */
static void test_too_many_bridges(void **state)
{
	static int16_t parent[300];
	static uint32_t request[300], grant[300];
	struct bus_plan p = {300, parent, request, grant, 254};

	(void)state;
	for (int i = 0; i < 300; i++) {
		parent[i] = -1;
		request[i] = 2;
	}
	assert_int_equal(bus_plan_build(&p), -1);
	for (int i = 0; i < 300; i++)
		assert_int_equal(grant[i], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_root_ports),	 cmocka_unit_test(test_fits),
		cmocka_unit_test(test_largest_first),	 cmocka_unit_test(test_nested_and_huge),
		cmocka_unit_test(test_too_many_bridges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
