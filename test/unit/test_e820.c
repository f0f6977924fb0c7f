// SPDX-License-Identifier: MIT
/* Unit tests for the memory map: fixed cases and a random test against a byte-level model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "e820.h"
#include "host_log.h"

#define GIB (1ull << 30)

/* Assert entry i of m is [start, start+size) of type. */
static void check_entry(const struct e820_map *m, int i, uint64_t start, uint64_t size,
			uint32_t type)
{
	assert_true(i < m->count);
	assert_int_equal(m->e[i].start, start);
	assert_int_equal(m->e[i].size, size);
	assert_int_equal(m->e[i].type, type);
}

/* The first add into an empty map is stored as given. */
static void test_add_empty(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	assert_int_equal(m.count, 0);
	assert_int_equal(e820_add(&m, 0x100000, 0x7ff00000, E820_RAM), 0);
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0x100000, 0x7ff00000, E820_RAM);
	/* Zero size is a no-op, type 0 is refused. */
	assert_int_equal(e820_add(&m, 0x1000, 0, E820_RESERVED), 0);
	assert_int_equal(e820_add(&m, 0x1000, 0x1000, 0), -1);
	assert_int_equal(m.count, 1);
}

/* A reservation inside RAM splits it into three. */
static void test_add_split(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	assert_int_equal(e820_add(&m, 0, 0x80000000, E820_RAM), 0);
	assert_int_equal(e820_add(&m, 0x9fc00, 0x400, E820_RESERVED), 0);
	assert_int_equal(m.count, 3);
	check_entry(&m, 0, 0, 0x9fc00, E820_RAM);
	check_entry(&m, 1, 0x9fc00, 0x400, E820_RESERVED);
	check_entry(&m, 2, 0xa0000, 0x80000000 - 0xa0000, E820_RAM);
	assert_int_equal(e820_ram_total(&m), 0x80000000 - 0x400);
}

/* An add overlapping the ends of two ranges replaces only the overlapped parts. */
static void test_add_overlap(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	e820_add(&m, 0x1000, 0x3000, E820_RAM);	     /* 0x1000-0x4000 */
	e820_add(&m, 0x6000, 0x2000, E820_RESERVED); /* 0x6000-0x8000 */
	assert_int_equal(e820_add(&m, 0x3000, 0x4000, E820_ACPI), 0);
	assert_int_equal(m.count, 3);
	check_entry(&m, 0, 0x1000, 0x2000, E820_RAM);
	check_entry(&m, 1, 0x3000, 0x4000, E820_ACPI);
	check_entry(&m, 2, 0x7000, 0x1000, E820_RESERVED);

	/* Covering everything leaves one range. */
	assert_int_equal(e820_add(&m, 0, 0x10000, E820_NVS), 0);
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0, 0x10000, E820_NVS);

	/* Same type over itself changes nothing. */
	assert_int_equal(e820_add(&m, 0x2000, 0x1000, E820_NVS), 0);
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0, 0x10000, E820_NVS);
}

/* Adjacent ranges of one type merge, also when a new range bridges two; others do not. */
static void test_add_merge(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	e820_add(&m, 0x2000, 0x1000, E820_RAM);
	e820_add(&m, 0x1000, 0x1000, E820_RAM); /* below, touching */
	e820_add(&m, 0x3000, 0x1000, E820_RAM); /* above, touching */
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0x1000, 0x3000, E820_RAM);

	e820_add(&m, 0x6000, 0x1000, E820_RAM);
	assert_int_equal(m.count, 2);
	e820_add(&m, 0x4000, 0x2000, E820_RAM); /* fills the gap exactly */
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0x1000, 0x6000, E820_RAM);

	e820_add(&m, 0x7000, 0x1000, E820_RESERVED);
	assert_int_equal(m.count, 2);
	check_entry(&m, 1, 0x7000, 0x1000, E820_RESERVED);

	/* Turning the reservation into RAM merges it. */
	e820_add(&m, 0x7000, 0x1000, E820_RAM);
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0x1000, 0x7000, E820_RAM);
}

/* Removing carves holes: middle, edge, across ranges, nothing. */
static void test_remove(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	assert_int_equal(e820_remove(&m, 0, 0x1000), 0);
	assert_int_equal(m.count, 0);
	e820_add(&m, 0, 0x10000, E820_RAM);
	assert_int_equal(e820_remove(&m, 0x4000, 0x1000), 0);
	assert_int_equal(m.count, 2);
	check_entry(&m, 0, 0, 0x4000, E820_RAM);
	check_entry(&m, 1, 0x5000, 0xb000, E820_RAM);
	assert_false(e820_covered(&m, 0x3000, 0x2000, E820_RAM));

	assert_int_equal(e820_remove(&m, 0, 0x1000), 0);
	check_entry(&m, 0, 0x1000, 0x3000, E820_RAM);

	assert_int_equal(e820_remove(&m, 0x3000, 0x3000), 0); /* spans the hole */
	assert_int_equal(m.count, 2);
	check_entry(&m, 0, 0x1000, 0x2000, E820_RAM);
	check_entry(&m, 1, 0x6000, 0xa000, E820_RAM);

	assert_int_equal(e820_remove(&m, 0x20000, 0x1000), 0); /* nothing there */
	assert_int_equal(m.count, 2);
	assert_int_equal(e820_remove(&m, 0, UINT64_MAX), 0);
	assert_int_equal(m.count, 0);
}

/* covered(): across a chain of adjacent ranges, across a gap, wrong type, empty query. */
static void test_covered(void **state)
{
	struct e820_map m;

	(void)state;
	/* Adjacent ranges of one type are never produced by add; build them by hand. */
	m.count = 3;
	m.e[0] = (struct e820_entry){0x1000, 0x1000, E820_RAM};
	m.e[1] = (struct e820_entry){0x2000, 0x1000, E820_RAM};
	m.e[2] = (struct e820_entry){0x3000, 0x1000, E820_RESERVED};
	assert_true(e820_covered(&m, 0x1800, 0x1000, E820_RAM));
	assert_true(e820_covered(&m, 0x1000, 0x2000, E820_RAM));
	assert_false(e820_covered(&m, 0x1000, 0x2001, E820_RAM));
	assert_false(e820_covered(&m, 0xfff, 0x10, E820_RAM));
	assert_true(e820_covered(&m, 0x3000, 0x1000, E820_RESERVED));
	assert_false(e820_covered(&m, 0x2fff, 2, E820_RESERVED));
	assert_true(e820_covered(&m, 0x9000, 0, E820_RAM)); /* empty range */

	e820_init(&m);
	e820_add(&m, 0, 0x1000, E820_RAM);
	e820_add(&m, 0x1000, 0x1000, E820_RAM);
	e820_add(&m, 0x3000, 0x1000, E820_RAM);
	assert_true(e820_covered(&m, 0x800, 0x1000, E820_RAM));
	assert_false(e820_covered(&m, 0x1800, 0x1000, E820_RAM)); /* into the gap */
	assert_false(e820_covered(&m, 0x1000, 0x3000, E820_RAM)); /* across the gap */
	assert_false(e820_covered(&m, 0x2000, 0x100, E820_RAM));
	assert_true(e820_covered(&m, 0x3000, 0x1000, E820_RAM));
	assert_false(e820_covered(&m, 0x3000, 0x1001, E820_RAM)); /* past the end */
	assert_false(e820_covered(&m, 0x800, 0x100, E820_RESERVED));
}

/* ram_top_below(): limit inside a range, in a gap, below all RAM; reservations ignored. */
static void test_ram_top(void **state)
{
	struct e820_map m;

	(void)state;
	e820_init(&m);
	assert_int_equal(e820_ram_top(&m), 0);
	e820_add(&m, 0, 0x9fc00, E820_RAM);
	e820_add(&m, 0x100000, 0x7ff00000, E820_RAM);
	e820_add(&m, 0xfeffc000, 0x4000, E820_RESERVED);
	e820_add(&m, 4 * GIB, 2 * GIB, E820_RAM);
	e820_add(&m, 0xfd00000000ull, 0x300000000ull, E820_RESERVED);
	assert_int_equal(e820_ram_top_below(&m, 4 * GIB), 0x80000000);
	assert_int_equal(e820_ram_top_below(&m, 0x40000000), 0x40000000);
	assert_int_equal(e820_ram_top_below(&m, 0xc0000), 0x9fc00);
	assert_int_equal(e820_ram_top_below(&m, 0x100000), 0x9fc00);
	assert_int_equal(e820_ram_top_below(&m, 0x100001), 0x100001);
	assert_int_equal(e820_ram_top_below(&m, 5 * GIB), 5 * GIB);
	assert_int_equal(e820_ram_top_below(&m, 0), 0);
	assert_int_equal(e820_ram_top(&m), 6 * GIB);
	assert_int_equal(e820_ram_total(&m), 0x9fc00 + 0x7ff00000 + 2 * GIB);

	e820_init(&m);
	e820_add(&m, 0x10000, 0x1000, E820_RAM);
	assert_int_equal(e820_ram_top_below(&m, 0x10000), 0);
}

/* Fill a map with E820_MAX separate ranges. */
static void fill(struct e820_map *m)
{
	e820_init(m);
	for (int i = 0; i < E820_MAX; i++)
		assert_int_equal(e820_add(m, (uint64_t)i * 0x2000, 0x1000, E820_RAM), 0);
	assert_int_equal(m->count, E820_MAX);
}

/* A full map refuses changes that need another entry and is left exactly as it was. */
static void test_full(void **state)
{
	struct e820_map m, copy;

	(void)state;
	fill(&m);
	copy = m;
	host_log_clear();
	assert_int_equal(e820_add(&m, 0x100000, 0x1000, E820_RAM), -1);
	assert_true(host_log_has("map full (64 entries), 100000+1000 type 1 not added"));
	assert_memory_equal(&m, &copy, sizeof(m));
	/* Splitting a range needs two more. */
	assert_int_equal(e820_add(&m, 0x400, 0x100, E820_RESERVED), -1);
	assert_memory_equal(&m, &copy, sizeof(m));
	assert_int_equal(e820_remove(&m, 0x400, 0x100), -1);
	assert_memory_equal(&m, &copy, sizeof(m));
	/* A new range below every other one. */
	e820_remove(&copy, 0, 0x1000);
	m = copy;
	assert_int_equal(m.count, E820_MAX - 1);
	e820_add(&m, (uint64_t)E820_MAX * 0x2000, 0x1000, E820_RAM);
	copy = m;
	assert_int_equal(e820_add(&m, 0, 0x1000, E820_RESERVED), -1);
	assert_memory_equal(&m, &copy, sizeof(m));

	/* Changes that do not add entries still work on a full map. */
	fill(&m);
	assert_int_equal(e820_add(&m, 0x1000, 0x1000, E820_RAM), 0); /* merges 0 and 1 */
	assert_int_equal(m.count, E820_MAX - 1);
	check_entry(&m, 0, 0, 0x3000, E820_RAM);
	fill(&m);
	assert_int_equal(e820_add(&m, 0, 0x1000, E820_RESERVED), 0); /* retype in place */
	assert_int_equal(m.count, E820_MAX);
	assert_int_equal(e820_remove(&m, 0x2000, 0x1000), 0);
	assert_int_equal(m.count, E820_MAX - 1);
}

/* Ranges at the top of the address space: the end saturates at 2^64 - 1, nothing wraps. */
static void test_top_of_space(void **state)
{
	const uint64_t start = 0xffffffff00000000ull;
	struct e820_map m;

	(void)state;
	e820_init(&m);
	/* [start, 2^64): the last byte cannot be represented, so the size is one less. */
	assert_int_equal(e820_add(&m, start, 0x100000000ull, E820_RESERVED), 0);
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, start, UINT64_MAX - start, E820_RESERVED);
	assert_true(e820_covered(&m, start, 0x100000000ull, E820_RESERVED));
	assert_true(e820_covered(&m, UINT64_MAX - 0x1000, 0x1000, E820_RESERVED));

	/* A size that would wrap is clipped the same way. */
	assert_int_equal(e820_add(&m, start + 0x1000, UINT64_MAX, E820_RAM), 0);
	assert_int_equal(m.count, 2);
	check_entry(&m, 0, start, 0x1000, E820_RESERVED);
	check_entry(&m, 1, start + 0x1000, UINT64_MAX - start - 0x1000, E820_RAM);
	assert_int_equal(e820_ram_top(&m), UINT64_MAX);
	assert_int_equal(e820_ram_top_below(&m, 1ull << 63), 0);

	/* Something below merges with a top range; removal at the top works. */
	assert_int_equal(e820_add(&m, 0, start + 0x1000, E820_RAM), 0);
	assert_int_equal(m.count, 1);
	check_entry(&m, 0, 0, UINT64_MAX, E820_RAM);
	assert_int_equal(e820_ram_total(&m), UINT64_MAX);
	assert_int_equal(e820_remove(&m, UINT64_MAX - 0xfff, 0x1000), 0);
	check_entry(&m, 0, 0, UINT64_MAX - 0xfff, E820_RAM);
	assert_int_equal(e820_remove(&m, 0x1000, UINT64_MAX), 0);
	check_entry(&m, 0, 0, 0x1000, E820_RAM);
}

/* Append one etc/e820 record to buf at *len. */
static void record(uint8_t *buf, size_t *len, uint64_t addr, uint64_t size, uint32_t type)
{
	memcpy(buf + *len, &addr, 8);
	memcpy(buf + *len + 8, &size, 8);
	memcpy(buf + *len + 16, &type, 4);
	*len += 20;
}

/* A QEMU-like file, unsorted: RAM below and above 4G and a reservation in no RAM. */
static void test_load_qemu(void **state)
{
	uint8_t buf[200];
	struct e820_map m;
	size_t len = 0;

	(void)state;
	record(buf, &len, 0xfd00000000ull, 0x300000000ull, E820_RESERVED);
	record(buf, &len, 4 * GIB, 2 * GIB, E820_RAM);
	record(buf, &len, 0x5000, 0, E820_RAM);		  /* empty: ignored */
	record(buf, &len, 0x10000000, 0x1000, E820_ACPI); /* other type: ignored */
	record(buf, &len, 0, 0x80000000, E820_RAM);
	e820_init(&m);
	assert_int_equal(e820_load_qemu(&m, buf, len), 3);
	assert_int_equal(m.count, 3);
	check_entry(&m, 0, 0, 0x80000000, E820_RAM);
	check_entry(&m, 1, 4 * GIB, 2 * GIB, E820_RAM);
	check_entry(&m, 2, 0xfd00000000ull, 0x300000000ull, E820_RESERVED);
	assert_int_equal(e820_ram_total(&m), 4 * GIB);

	/* Loading adds to what is there. */
	e820_init(&m);
	e820_add(&m, 0xfeffc000, 0x4000, E820_RESERVED);
	assert_int_equal(e820_load_qemu(&m, buf, len), 3);
	assert_int_equal(m.count, 4);
	check_entry(&m, 1, 0xfeffc000, 0x4000, E820_RESERVED);

	/* An empty file uses nothing. */
	assert_int_equal(e820_load_qemu(&m, buf, 0), 0);
	assert_int_equal(m.count, 4);
}

/* A reservation inside RAM wins whichever comes first in the file. */
static void test_load_qemu_order(void **state)
{
	uint8_t buf[60];
	struct e820_map m;
	size_t len;

	(void)state;
	for (int order = 0; order < 2; order++) {
		len = 0;
		if (order)
			record(buf, &len, 0x9f000, 0x1000, E820_RESERVED);
		record(buf, &len, 0, 0x100000, E820_RAM);
		if (!order)
			record(buf, &len, 0x9f000, 0x1000, E820_RESERVED);
		e820_init(&m);
		assert_int_equal(e820_load_qemu(&m, buf, len), 2);
		assert_int_equal(m.count, 3);
		check_entry(&m, 0, 0, 0x9f000, E820_RAM);
		check_entry(&m, 1, 0x9f000, 0x1000, E820_RESERVED);
		check_entry(&m, 2, 0xa0000, 0x60000, E820_RAM);
	}
}

/* A length that is not a multiple of 20, or a file that overflows the map: map unchanged. */
static void test_load_qemu_bad(void **state)
{
	uint8_t buf[20 * (E820_MAX + 1)];
	struct e820_map m, copy;
	size_t len = 0;

	(void)state;
	record(buf, &len, 0, 0x1000, E820_RAM);
	record(buf, &len, 0x2000, 0x1000, E820_RAM);
	e820_init(&m);
	e820_add(&m, 0x100000, 0x1000, E820_RESERVED);
	copy = m;
	for (size_t bad = 1; bad < 40; bad++) {
		if (bad == 20)
			continue;
		host_log_clear();
		assert_int_equal(e820_load_qemu(&m, buf, bad), -1);
		assert_memory_equal(&m, &copy, sizeof(m));
	}
	assert_true(host_log_has("etc/e820 size 39 is not a multiple of 20"));

	len = 0;
	for (int i = 0; i < E820_MAX; i++)
		record(buf, &len, (uint64_t)i * 0x2000, 0x1000, E820_RAM);
	assert_int_equal(e820_load_qemu(&m, buf, len), -1);
	assert_memory_equal(&m, &copy, sizeof(m));
	e820_init(&m);
	assert_int_equal(e820_load_qemu(&m, buf, len), E820_MAX);
	assert_int_equal(m.count, E820_MAX);
}

/* Type names and the log listing. */
static void test_names_log(void **state)
{
	struct e820_map m;

	(void)state;
	assert_string_equal(e820_type_name(E820_RAM), "RAM");
	assert_string_equal(e820_type_name(E820_RESERVED), "reserved");
	assert_string_equal(e820_type_name(E820_ACPI), "ACPI");
	assert_string_equal(e820_type_name(E820_NVS), "NVS");
	assert_string_equal(e820_type_name(E820_UNUSABLE), "unusable");
	assert_string_equal(e820_type_name(E820_TABLE), "tables");
	assert_string_equal(e820_type_name(99), "other");
	e820_init(&m);
	e820_add(&m, 0, 0xa0000, E820_RAM);
	e820_add(&m, 0xf0000, 0x10000, E820_RESERVED);
	host_log_clear();
	e820_log(&m, 2, "test map");
	assert_string_equal(host_log_text(), "test map (2 ranges):\n"
					     "  0000000000000000-000000000009ffff RAM\n"
					     "  00000000000f0000-00000000000fffff reserved\n");
}

#define SPACE 4096

static const uint32_t types[] = {E820_RAM, E820_RESERVED, E820_ACPI,
				 E820_NVS, E820_UNUSABLE, E820_TABLE};

/* xorshift64: a small deterministic generator. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Number of maximal same-type runs in the model (the entries a merged map needs). */
static int model_runs(const uint8_t *model)
{
	int runs = 0;

	for (int i = 0; i < SPACE; i++)
		if (model[i] && (i == 0 || model[i - 1] != model[i]))
			runs++;
	return runs;
}

/* The map is sorted, disjoint, merged, has no empty entries and equals the model. */
static void check_model(const struct e820_map *m, const uint8_t *model)
{
	uint8_t seen[SPACE];

	memset(seen, 0, sizeof(seen));
	assert_true(m->count >= 0 && m->count <= E820_MAX);
	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];

		assert_true(e->size > 0);
		assert_true(e->start + e->size <= SPACE);
		assert_true(e->type != 0);
		if (i) {
			const struct e820_entry *p = &m->e[i - 1];

			assert_true(p->start + p->size <= e->start);
			assert_false(p->start + p->size == e->start && p->type == e->type);
		}
		memset(seen + e->start, (int)e->type, e->size);
	}
	assert_memory_equal(seen, model, SPACE);
	assert_int_equal(m->count, model_runs(model));
}

/* Random add/remove sequences match a byte-granular model after every step. */
static void test_random_model(void **state)
{
	static uint8_t model[SPACE], next_model[SPACE];
	struct e820_map m, before;
	int full_seen = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		uint64_t s = seed * 0x9e3779b97f4a7c15ull;

		e820_init(&m);
		memset(model, 0, sizeof(model));
		for (int step = 0; step < 300; step++) {
			uint64_t r = next(&s);
			uint64_t start = r % SPACE;
			/* Mostly short ranges so the map fragments, sometimes long ones. */
			uint64_t size = (r >> 16) % ((r >> 40) & 7 ? 48 : SPACE);
			uint32_t type = (r >> 32) % 4 ? types[(r >> 36) % 6] : 0;
			uint64_t query = next(&s);
			uint64_t qs = query % SPACE, ql = (query >> 16) % 256;
			bool expect_cov = true;
			uint64_t expect_top = 0;
			int ret;

			if (start + size > SPACE)
				size = SPACE - start;
			memcpy(next_model, model, SPACE);
			memset(next_model + start, (int)type, size);
			before = m;
			ret = type ? e820_add(&m, start, size, type) : e820_remove(&m, start, size);
			if (model_runs(next_model) > E820_MAX) {
				assert_int_equal(ret, -1);
				assert_memory_equal(&m, &before, sizeof(m));
				full_seen++;
			} else {
				assert_int_equal(ret, 0);
				memcpy(model, next_model, SPACE);
			}
			check_model(&m, model);

			/* Queries against the model. */
			if (qs + ql > SPACE)
				ql = SPACE - qs;
			for (uint64_t a = qs; a < qs + ql; a++)
				expect_cov &= model[a] == E820_RAM;
			assert_int_equal(e820_covered(&m, qs, ql, E820_RAM), expect_cov);
			for (uint64_t a = 0; a < qs; a++)
				if (model[a] == E820_RAM)
					expect_top = a + 1;
			/* Inside a RAM run the clip gives the limit itself. */
			assert_int_equal(e820_ram_top_below(&m, qs), expect_top);
		}
	}
	/* The sequences are long enough to hit the full map, so that path is tested too. */
	assert_true(full_seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_empty),	cmocka_unit_test(test_add_split),
		cmocka_unit_test(test_add_overlap),	cmocka_unit_test(test_add_merge),
		cmocka_unit_test(test_remove),		cmocka_unit_test(test_covered),
		cmocka_unit_test(test_ram_top),		cmocka_unit_test(test_full),
		cmocka_unit_test(test_top_of_space),	cmocka_unit_test(test_load_qemu),
		cmocka_unit_test(test_load_qemu_order), cmocka_unit_test(test_load_qemu_bad),
		cmocka_unit_test(test_names_log),	cmocka_unit_test(test_random_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
