// SPDX-License-Identifier: MIT
/* Unit tests for the MTRR plan: fixed ranges, exact decomposition, fallback. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_log.h"
#include "mtrr-plan.h"

#define GIB 0x40000000ull
#define WB8 0x0606060606060606ull

/* Deterministic pseudo-random numbers for the sweeps. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Expected type for addr >= 1 MiB: UC inside any (page-rounded) range, else WB. */
static uint8_t expected_type(const struct mtrr_range *uc, unsigned int n, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t s = uc[i].start & ~0xfffull;
		uint64_t e = (uc[i].end + 0xfff) & ~0xfffull;

		if (addr >= s && addr < e)
			return MTRR_TYPE_UC;
	}
	return MTRR_TYPE_WB;
}

/* Check the plan against expected_type() at every range boundary and random points. */
static void check_exact(const struct mtrr_plan *p, const struct mtrr_range *uc, unsigned int n)
{
	static const int64_t deltas[] = {-0x1001, -0x1000, -1, 0, 1, 0xfff, 0x1000};
	uint64_t limit = 1ull << p->phys_bits;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		uint64_t pts[2] = {uc[i].start, uc[i].end};
		unsigned int k;

		for (k = 0; k < 2; k++) {
			for (j = 0; j < sizeof(deltas) / sizeof(deltas[0]); j++) {
				uint64_t a = pts[k] + (uint64_t)deltas[j];

				if (a < 0x100000 || a >= limit)
					continue;
				assert_int_equal(mtrr_plan_type_at(p, a), expected_type(uc, n, a));
			}
		}
		for (j = 0; j < 64; j++) {
			uint64_t end = uc[i].end > limit ? limit : uc[i].end;
			uint64_t span = end - uc[i].start;
			uint64_t a = uc[i].start + rng() % span;

			assert_int_equal(mtrr_plan_type_at(p, a), MTRR_TYPE_UC);
		}
	}
	for (j = 0; j < 256; j++) {
		uint64_t a = 0x100000 + rng() % (limit - 0x100000);

		assert_int_equal(mtrr_plan_type_at(p, a), expected_type(uc, n, a));
	}
}

/* Every used pair: UC (WB when the plan was turned round), page-aligned base, contiguous
 * mask inside phys_bits, valid bit. */
static void check_pairs(const struct mtrr_plan *p)
{
	uint64_t phys = (1ull << p->phys_bits) - 1;
	unsigned int i;

	for (i = 0; i < p->var_used; i++) {
		uint64_t base = p->var[2 * i].value;
		uint64_t mask = p->var[2 * i + 1].value;
		uint64_t m = mask & ~0xfffull;
		uint64_t size = (~m & phys) + 1;

		assert_int_equal(p->var[2 * i].msr, 0x200 + 2 * i);
		assert_int_equal(p->var[2 * i + 1].msr, 0x201 + 2 * i);
		assert_int_equal(base & 0xff, p->ram_wb ? MTRR_TYPE_WB : MTRR_TYPE_UC);
		assert_int_equal(base & 0xf00, 0);
		assert_int_equal(mask & 0xfff, 0x800);
		assert_int_equal(m & ~phys, 0);
		assert_int_equal(size & (size - 1), 0);
		assert_int_equal(base & (size - 1) & ~0xfffull, 0);
		assert_true(size >= 0x1000);
	}
	for (; i < p->var_msr_count / 2; i++) {
		assert_int_equal(p->var[2 * i].value, 0);
		assert_int_equal(p->var[2 * i + 1].value, 0);
	}
}

/* pc with 6 GiB: 32-bit hole from 3G and the default 64-bit window. */
static void test_pc_typical(void **state)
{
	const struct mtrr_range uc[] = {{3 * GIB, 4 * GIB}, {0x1c0000000ull, 0x240000000ull}};
	const struct mtrr_range ram[] = {{0, 3 * GIB}, {4 * GIB, 7 * GIB}};
	struct mtrr_plan_input in = {uc, 2, ram, 2, 3 * GIB, 40, 8};
	struct mtrr_plan p;
	unsigned int i;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_false(p.degraded);
	assert_int_equal(p.var_used, 3);
	assert_int_equal(p.var_msr_count, 16);
	assert_int_equal(p.def_type.msr, 0x2ff);
	assert_int_equal(p.def_type.value, 0xc06);
	assert_int_equal(p.var[0].value, 0xc0000000ull);
	assert_int_equal(p.var[1].value, 0xffc0000800ull);
	assert_int_equal(p.var[2].value, 0x1c0000000ull);
	assert_int_equal(p.var[3].value, 0xffc0000800ull);
	assert_int_equal(p.var[4].value, 0x200000000ull);
	assert_int_equal(p.var[5].value, 0xffc0000800ull);
	assert_int_equal(p.fixed[0].msr, 0x250);
	assert_int_equal(p.fixed[0].value, WB8);
	assert_int_equal(p.fixed[1].msr, 0x258);
	assert_int_equal(p.fixed[1].value, WB8);
	assert_int_equal(p.fixed[2].msr, 0x259);
	assert_int_equal(p.fixed[2].value, 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(p.fixed[3 + i].msr, 0x268 + i);
		assert_int_equal(p.fixed[3 + i].value, WB8);
	}
	assert_int_equal(mtrr_plan_type_at(&p, 0x9ffff), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0xa0000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0xbffff), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0xc0000), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0xfffff), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 3 * GIB - 1), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0xfee00000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0x23fffffffull), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0x240000000ull), MTRR_TYPE_WB);
	check_pairs(&p);
	check_exact(&p, uc, 2);
}

/* q35 2.5 GiB hole start: two blocks for the 32-bit hole. */
static void test_q35_hole(void **state)
{
	const struct mtrr_range uc[] = {{0xb0000000, 4 * GIB}, {0x200000000ull, 0xa00000000ull}};
	struct mtrr_plan_input in = {uc, 2, NULL, 0, 0xb0000000, 40, 8};
	struct mtrr_plan p;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_false(p.degraded);
	assert_int_equal(p.var_used, 2 + 3);
	check_pairs(&p);
	check_exact(&p, uc, 2);
}

/* Known minimal block counts. */
static void test_block_count(void **state)
{
	(void)state;
	assert_int_equal(mtrr_block_count(0x1000, 0x2000), 1);
	assert_int_equal(mtrr_block_count(0xb0000000, 4 * GIB), 2);
	assert_int_equal(mtrr_block_count(0x1000, 0x4000), 2);
	assert_int_equal(mtrr_block_count(0x1000, 0x10000000), 16);
	assert_int_equal(mtrr_block_count(0x7ffe0000, 4 * GIB), 2);
	assert_int_equal(mtrr_block_count(0x3000, 0x5000), 2);
	assert_int_equal(mtrr_block_count(0x5000, 0x5000), 0);
}

/* Random page-aligned holes for every phys_bits 36..52, checked exactly when they fit. */
static void test_sweep_phys_bits(void **state)
{
	unsigned int bits, iter, exact = 0;

	(void)state;
	for (bits = 36; bits <= 52; bits++) {
		uint64_t limit = 1ull << bits;

		for (iter = 0; iter < 60; iter++) {
			struct mtrr_range uc[3];
			struct mtrr_plan_input in = {uc, 3, NULL, 0, 0xa0000, bits, 8};
			struct mtrr_plan p;
			unsigned int i, need = 0;

			uc[0].start = 0x100000 + (rng() % (4 * GIB - 0x100000) & ~0xfffull);
			uc[0].end = 4 * GIB;
			uc[1].start = 4 * GIB + (rng() % (limit / 2 - 4 * GIB) & ~0xfffull);
			uc[1].end = uc[1].start + 0x1000 + (rng() % (limit / 4) & ~0xfffull);
			uc[2].start = limit - (1ull << (12 + rng() % (bits - 13)));
			uc[2].end = (iter & 1) ? limit : limit + 0x1000;
			if (iter % 4 == 0) {
				uc[0].start = 0xc0000000;
				uc[1].start = 0x400000000ull;
				uc[1].end = 0x800000000ull;
			}
			assert_int_equal(mtrr_plan_build(&in, &p), 0);
			check_pairs(&p);
			for (i = 0; i < 3; i++)
				need += mtrr_block_count(uc[i].start,
							 uc[i].end > limit ? limit : uc[i].end);
			if (uc[1].end >= uc[2].start)
				continue; /* merged ranges: counts differ, still checked below */
			if (need <= 8) {
				assert_false(p.degraded);
				assert_int_equal(p.var_used, need);
				check_exact(&p, uc, 3);
				exact++;
			} else if (p.ram_wb) {
				/* Turned round: every UC range is UC, no MMIO is cacheable. */
				assert_false(p.degraded);
				for (i = 0; i < 3; i++)
					assert_int_equal(mtrr_plan_type_at(&p, uc[i].start),
							 MTRR_TYPE_UC);
				assert_int_equal(mtrr_plan_type_at(&p, 0x1000), MTRR_TYPE_WB);
				assert_int_equal(p.def_type.value & 0xff, MTRR_TYPE_UC);
			} else {
				assert_true(p.degraded);
			}
		}
	}
	assert_true(exact > 100);
}

/* The 64-bit window may end exactly at 2^phys_bits. */
static void test_window_to_limit(void **state)
{
	const struct mtrr_range uc[] = {{2 * GIB, 4 * GIB}, {1ull << 45, 1ull << 46}};
	struct mtrr_plan_input in = {uc, 2, NULL, 0, 2 * GIB, 46, 8};
	struct mtrr_plan p;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_int_equal(p.var_used, 2);
	assert_int_equal(p.var[3].value, 0x200000000800ull);
	assert_int_equal(mtrr_plan_type_at(&p, (1ull << 46) - 1), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, (1ull << 45) - 1), MTRR_TYPE_WB);
	check_pairs(&p);
	check_exact(&p, uc, 2);
}

/* Too few MTRRs: a RAM-free superset is used for the 64-bit window. */
static void test_fallback_superset(void **state)
{
	const struct mtrr_range uc[] = {{3 * GIB, 4 * GIB}, {0x160001000ull, 0x180000000ull}};
	const struct mtrr_range ram[] = {{0, 2 * GIB}, {4 * GIB, 5 * GIB}};
	struct mtrr_plan_input in = {uc, 2, ram, 2, 2 * GIB, 40, 2};
	struct mtrr_plan p;

	(void)state;
	host_log_clear();
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_true(p.degraded);
	assert_int_equal(p.var_used, 2);
	assert_int_equal(p.uncovered_bytes, 0);
	assert_int_equal(p.extra_uc_bytes, 0x1000);
	assert_int_equal(p.var[2].value, 0x160000000ull);
	assert_int_equal(mtrr_plan_type_at(&p, 0x160000000ull), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0x15fffffffull), MTRR_TYPE_WB);
	assert_true(host_log_has("RAM-free superset [160000000,180000000) UC instead"));
	check_pairs(&p);
}

/* Too few MTRRs and RAM next to the hole: largest blocks first, rest reported. */
static void test_fallback_partial(void **state)
{
	const struct mtrr_range uc[] = {{0xb0000000, 4 * GIB}, {8 * GIB, 16 * GIB}};
	const struct mtrr_range ram[] = {{0, 0xb0000000}, {4 * GIB, 6 * GIB}};
	struct mtrr_plan_input in = {uc, 2, ram, 2, 0xb0000000, 40, 1};
	struct mtrr_plan p;
	uint64_t a;

	(void)state;
	host_log_clear();
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_true(p.degraded);
	assert_int_equal(p.var_used, 1);
	assert_int_equal(p.var[0].value, 0xc0000000ull);
	assert_int_equal(p.uncovered_bytes, 0x10000000ull + 8 * GIB);
	assert_int_equal(p.extra_uc_bytes, 0);
	assert_true(host_log_has("[b0000000,100000000) needs 2 variable MTRRs, 1 left"));
	assert_true(host_log_has("10000000 bytes of MMIO stay write-back"));
	assert_true(host_log_has("[200000000,400000000) needs 1 variable MTRRs, 0 left"));
	assert_int_equal(mtrr_plan_type_at(&p, 0xfec00000), MTRR_TYPE_UC);
	for (a = 0x100000; a < 0xb0000000; a += 0x1fff000)
		assert_int_equal(mtrr_plan_type_at(&p, a), MTRR_TYPE_WB);
	for (a = 4 * GIB; a < 6 * GIB; a += 0x1fff000)
		assert_int_equal(mtrr_plan_type_at(&p, a), MTRR_TYPE_WB);
	check_pairs(&p);
}

/* Many odd ranges with no RAM nearby: never any UC on RAM, whatever the fallback. */
static void test_fallback_never_uc_ram(void **state)
{
	unsigned int iter;

	(void)state;
	for (iter = 0; iter < 200; iter++) {
		struct mtrr_range uc[6], ram[2];
		struct mtrr_plan_input in = {uc, 6, ram, 2, 0, 40, 1 + iter % 8};
		struct mtrr_plan p;
		unsigned int i, j;

		ram[0].start = 0;
		ram[0].end = 0x10000000 + (rng() % (2 * GIB) & ~0xfffull);
		ram[1].start = 4 * GIB;
		ram[1].end = 4 * GIB + (rng() % (8 * GIB) & ~0xfffull);
		in.low_ram_end = ram[0].end;
		for (i = 0; i < 6; i++) {
			do {
				uc[i].start = rng() % (1ull << 40) & ~0xfffull;
				uc[i].end = uc[i].start + 0x1000 +
					    (rng() % (1ull << (14 + rng() % 24)) & ~0xfffull);
			} while ((uc[i].start < ram[0].end) ||
				 (uc[i].start < ram[1].end && ram[1].start < uc[i].end) ||
				 uc[i].end > (1ull << 40));
		}
		assert_int_equal(mtrr_plan_build(&in, &p), 0);
		check_pairs(&p);
		assert_true(p.var_used <= in.vcnt);
		for (i = 0; i < 2; i++) {
			for (j = 0; j < 64; j++) {
				uint64_t a = ram[i].start + rng() % (ram[i].end - ram[i].start);

				if (a >= 0x100000)
					assert_int_equal(mtrr_plan_type_at(&p, a), MTRR_TYPE_WB);
			}
			assert_int_equal(mtrr_plan_type_at(&p, ram[i].end - 1), MTRR_TYPE_WB);
		}
		if (!p.degraded)
			check_exact(&p, uc, 6);
	}
}

/* Low RAM below 640 KiB: the rest of the conventional area is UC. */
static void test_small_low_ram(void **state)
{
	struct mtrr_plan_input in = {NULL, 0, NULL, 0, 0x60000, 36, 8};
	struct mtrr_plan p;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_int_equal(p.fixed[0].value, 0x0000060606060606ull);
	assert_int_equal(p.fixed[1].value, 0);
	assert_int_equal(p.fixed[2].value, 0);
	assert_int_equal(p.fixed[3].value, WB8);
	assert_int_equal(p.var_used, 0);
	assert_int_equal(mtrr_plan_type_at(&p, 0x5ffff), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0x60000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0x9c000), MTRR_TYPE_UC);
}

/* Overlapping and adjacent ranges merge; unaligned ends round outwards; below 1 MiB clipped. */
static void test_normalize(void **state)
{
	const struct mtrr_range uc[] = {{0xe0000000, 0xf0000000},
					{0xc0000000, 0xe0000800},
					{0xf0000000, 4 * GIB},
					{0x80000, 0x200000}};
	struct mtrr_plan_input in = {uc, 4, NULL, 0, 0x80000, 36, 8};
	struct mtrr_plan p;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_int_equal(p.var_used, 2);
	assert_int_equal(p.var[0].value, 0x100000);
	assert_int_equal(p.var[2].value, 0xc0000000);
	assert_int_equal(mtrr_plan_type_at(&p, 0x90000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0xc0000), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0x200000), MTRR_TYPE_WB);
}

/* 16 x 64 GiB BARs in a 40-bit space: the window needs more pairs than there are and has no
 * RAM-free superset, so the plan turns round (default UC, RAM WB) and no MMIO stays WB. */
static void test_many_large_bars_turn_round(void **state)
{
	const struct mtrr_range uc[] = {{0x80000000ull, 4 * GIB},
					{0x140000000ull, 0xfd00000000ull}};
	const struct mtrr_range ram[] = {{0, 2 * GIB}, {4 * GIB, 5 * GIB}};
	struct mtrr_plan_input in = {uc, 2, ram, 2, 0xa0000, 40, 8};
	struct mtrr_plan p;

	(void)state;
	host_log_clear();
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_true(p.ram_wb);
	assert_false(p.degraded);
	assert_int_equal(p.uncovered_bytes, 0);
	assert_int_equal(p.var_used, 2);
	assert_true(host_log_has("default UC with 2 WB ranges for RAM"));
	check_pairs(&p);
	assert_int_equal(mtrr_plan_type_at(&p, 0x7fffffff), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0x80000000), MTRR_TYPE_UC);
	assert_int_equal(mtrr_plan_type_at(&p, 0x13fffffffull), MTRR_TYPE_WB);
	for (uint64_t a = 0x140000000ull; a < 0xfd00000000ull; a += 0x1000000000ull)
		assert_int_equal(mtrr_plan_type_at(&p, a), MTRR_TYPE_UC);
	/* RAM that needs more pairs than there are: the partial UC plan stays, reported. */
	in.vcnt = 1;
	host_log_clear();
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_false(p.ram_wb);
	assert_true(p.degraded && p.uncovered_bytes);
	assert_true(host_log_has("neither the MMIO nor the RAM fits"));
}

/* phys-bits=32: the 32-bit hole up to 4 GiB is the only UC range. */
static void test_phys_bits_32(void **state)
{
	const struct mtrr_range uc[] = {{0xc0000000ull, 4 * GIB}, {4 * GIB, 8 * GIB}};
	struct mtrr_plan_input in = {uc, 2, NULL, 0, 0xa0000, 32, 8};
	struct mtrr_plan p;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_int_equal(p.var_used, 1);
	assert_int_equal(p.var[0].value, 0xc0000000ull | MTRR_TYPE_UC);
	assert_int_equal(p.var[1].value, 0xc0000800ull);
	check_pairs(&p);
	assert_int_equal(mtrr_plan_type_at(&p, 0xbfffffff), MTRR_TYPE_WB);
	assert_int_equal(mtrr_plan_type_at(&p, 0xfee00000), MTRR_TYPE_UC);
}

/* Invalid inputs are refused with a message. */
static void test_invalid(void **state)
{
	const struct mtrr_range uc[MTRR_PLAN_MAX_RANGES + 1] = {{0}};
	struct mtrr_plan_input in = {uc, 1, NULL, 0, 0xa0000, 31, 8};
	struct mtrr_plan p;

	(void)state;
	host_log_clear();
	assert_int_equal(mtrr_plan_build(&in, &p), -1);
	assert_true(host_log_has("phys_bits 31 outside 32..52"));
	in.phys_bits = 53;
	assert_int_equal(mtrr_plan_build(&in, &p), -1);
	in.phys_bits = 40;
	in.uc_count = MTRR_PLAN_MAX_RANGES + 1;
	assert_int_equal(mtrr_plan_build(&in, &p), -1);
	assert_true(host_log_has("bad range list"));
	in.uc_count = 1;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
}

/* VCNT above the plan's capacity is clamped; type_at resolves WT+WB overlaps to WT. */
static void test_vcnt_clamp_and_overlap_rules(void **state)
{
	const struct mtrr_range uc[] = {{0xc0000000, 4 * GIB}};
	struct mtrr_plan_input in = {uc, 1, NULL, 0, 0xa0000, 36, 200};
	struct mtrr_plan p;

	(void)state;
	assert_int_equal(mtrr_plan_build(&in, &p), 0);
	assert_int_equal(p.var_msr_count, 2 * MTRR_PLAN_MAX_VAR);
	p.var[2].value = 0x10000000 | MTRR_TYPE_WT;
	p.var[3].value = 0xfff000800ull;
	p.var[4].value = 0x10000000 | MTRR_TYPE_WB;
	p.var[5].value = 0xfe0000800ull;
	assert_int_equal(mtrr_plan_type_at(&p, 0x10000000), MTRR_TYPE_WT);
	assert_int_equal(mtrr_plan_type_at(&p, 0x11000000), MTRR_TYPE_WB);
	p.var[4].value = 0x10000000 | MTRR_TYPE_WP;
	assert_int_equal(mtrr_plan_type_at(&p, 0x10000000), MTRR_TYPE_UC);
	p.def_type.value = 0;
	assert_int_equal(mtrr_plan_type_at(&p, 0x0), MTRR_TYPE_UC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pc_typical),
		cmocka_unit_test(test_q35_hole),
		cmocka_unit_test(test_block_count),
		cmocka_unit_test(test_sweep_phys_bits),
		cmocka_unit_test(test_window_to_limit),
		cmocka_unit_test(test_fallback_superset),
		cmocka_unit_test(test_fallback_partial),
		cmocka_unit_test(test_fallback_never_uc_ram),
		cmocka_unit_test(test_small_low_ram),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_many_large_bars_turn_round),
		cmocka_unit_test(test_phys_bits_32),
		cmocka_unit_test(test_vcnt_clamp_and_overlap_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
