// SPDX-License-Identifier: MIT
/*
 * MTRR planning.
 *
 * Fixed ranges (below 1 MiB): WB for RAM below 640 KiB (UC for any part of it
 * above low_ram_end), UC for the VGA/SMRAM hole 0xA0000-0xBFFFF, and WB for
 * 0xC0000-0xFFFFF. The latter is the shadow area: in coreboot mode SeaBIOS
 * keeps it as ordinary read-write RAM (its own code and data, option ROMs)
 * and writes to it at run time, so it is treated as conventional memory.
 *
 * Variable ranges: default type WB, and each requested UC range is split into
 * the fewest aligned power-of-two blocks (one base/mask pair each). Ranges are
 * clipped to [1 MiB, 2^phys_bits) (below 1 MiB the fixed ranges rule), rounded
 * outwards to pages, sorted and merged.
 *
 * Fallback when there are more blocks than variable MTRRs: ranges are served
 * in ascending address order, so the 32-bit hole (LAPIC, IOAPIC, ROM, 32-bit
 * BARs) comes first. A range that does not fit exactly in the pairs left is
 * replaced by the smallest aligned superset that needs no more pairs, provided
 * that superset touches no RAM ([0, low_ram_end) and the wb list) and stays
 * below 2^phys_bits: extra UC on unused address space is harmless. Failing
 * that, the largest blocks of its exact decomposition are used and the rest
 * would stay WB (cacheable MMIO, the unsafe outcome). Then the plan is turned
 * round instead: default UC, and WB blocks for RAM ([0, low_ram_end) and the wb
 * list, rounded inwards to pages), which usually needs far fewer pairs than
 * many large BARs. Only if RAM does not fit either is the partial UC plan kept,
 * reported with LOG_ERR. Apart from that case (and page rounding of unaligned
 * UC ranges) RAM is never UC and MMIO never WB.
 */
#include <stddef.h>
#include <string.h>

#include "log.h"
#include "mtrr-plan.h"

#define PAGE_SIZE    0x1000ull
#define ONE_MIB	     0x100000ull
#define VGA_START    0xa0000ull
#define SHADOW_START 0xc0000ull

struct plan_state {
	struct mtrr_plan *plan;
	const struct mtrr_plan_input *in;
	uint64_t limit; /* 2^phys_bits */
	unsigned int slots;
};

/* Largest aligned power-of-two block starting at pos that ends at or before end. */
static uint64_t block_at(uint64_t pos, uint64_t end)
{
	uint64_t align = pos ? (pos & -pos) : (1ull << 63);
	uint64_t fit = 1ull << (63 - __builtin_clzll(end - pos));

	return align < fit ? align : fit;
}

/* Count the greedy (minimal) aligned power-of-two blocks of [start, end). */
unsigned int mtrr_block_count(uint64_t start, uint64_t end)
{
	unsigned int n = 0;

	while (start < end) {
		start += block_at(start, end);
		n++;
	}
	return n;
}

/* Fill one fixed-range MSR: 8 sub-ranges of size bytes from base. */
static struct mtrr_msr fixed_msr(uint32_t msr, uint64_t base, uint64_t size, uint64_t low_ram_end)
{
	struct mtrr_msr m = {.msr = msr, .value = 0};
	unsigned int i;

	for (i = 0; i < 8; i++) {
		uint64_t s = base + i * size;
		bool ram = s + size <= VGA_START && s + size <= low_ram_end;
		uint64_t type = (s >= SHADOW_START || ram) ? MTRR_TYPE_WB : MTRR_TYPE_UC;

		m.value |= type << (8 * i);
	}
	return m;
}

/* True if [s, e) overlaps RAM that must stay cacheable. */
static bool touches_wb(const struct plan_state *st, uint64_t s, uint64_t e)
{
	unsigned int i;

	if (s < st->in->low_ram_end)
		return true;
	for (i = 0; i < st->in->wb_count; i++) {
		const struct mtrr_range *r = &st->in->wb[i];

		if (r->start < e && s < r->end)
			return true;
	}
	return false;
}

/* Append one base/mask pair of the given type for the block [base, base + size). */
static void emit_typed(struct plan_state *st, uint64_t base, uint64_t size, uint64_t type)
{
	struct mtrr_plan *p = st->plan;
	uint64_t phys_mask = (st->limit - 1) & ~(PAGE_SIZE - 1);
	size_t n = p->var_used++;

	p->var[2 * n].value = base | type;
	p->var[2 * n + 1].value = (~(size - 1) & phys_mask) | MTRR_PHYS_MASK_VALID;
	st->slots--;
}

/* Append one UC pair for the block [base, base + size). */
static void emit_block(struct plan_state *st, uint64_t base, uint64_t size)
{
	emit_typed(st, base, size, MTRR_TYPE_UC);
}

/* Emit the exact decomposition of [s, e). */
static void emit_exact(struct plan_state *st, uint64_t s, uint64_t e)
{
	while (s < e) {
		uint64_t size = block_at(s, e);

		emit_block(st, s, size);
		s += size;
	}
}

/* Emit the largest blocks of [s, e)'s decomposition while pairs last; return bytes covered. */
static uint64_t emit_largest(struct plan_state *st, uint64_t s, uint64_t e)
{
	uint64_t covered = 0;
	int bit;

	for (bit = 63; bit >= 12 && st->slots; bit--) {
		uint64_t pos = s;

		while (pos < e && st->slots) {
			uint64_t size = block_at(pos, e);

			if (size == 1ull << bit) {
				emit_block(st, pos, size);
				covered += size;
			}
			pos += size;
		}
	}
	return covered;
}

/* Find the smallest aligned superset of [s, e) needing at most slots pairs and touching no RAM. */
static bool find_superset(const struct plan_state *st, uint64_t s, uint64_t e, uint64_t *ws,
			  uint64_t *we)
{
	unsigned int k;

	for (k = 12; k <= st->in->phys_bits; k++) {
		uint64_t a = 1ull << k;
		uint64_t lo = s & ~(a - 1);
		uint64_t hi = (e + a - 1) & ~(a - 1);

		if (hi > st->limit)
			return false;
		if (mtrr_block_count(lo, hi) > st->slots)
			continue;
		if (touches_wb(st, lo, hi))
			return false;
		*ws = lo;
		*we = hi;
		return true;
	}
	return false;
}

/* Cover one merged UC range with the pairs left, falling back as described above. */
static void cover_range(struct plan_state *st, uint64_t s, uint64_t e)
{
	struct mtrr_plan *p = st->plan;
	unsigned int need = mtrr_block_count(s, e);
	unsigned int left = st->slots;
	uint64_t ws, we, covered;

	if (need <= st->slots) {
		emit_exact(st, s, e);
		return;
	}
	p->degraded = true;
	if (st->slots && find_superset(st, s, e, &ws, &we)) {
		dlog(LOG_ERR,
		     "mtrr: UC [%llx,%llx) needs %u variable MTRRs, %u left: making the RAM-free "
		     "superset [%llx,%llx) UC instead\n",
		     (unsigned long long)s, (unsigned long long)e, need, st->slots,
		     (unsigned long long)ws, (unsigned long long)we);
		p->extra_uc_bytes += (we - ws) - (e - s);
		emit_exact(st, ws, we);
		return;
	}
	covered = emit_largest(st, s, e);
	p->uncovered_bytes += (e - s) - covered;
	dlog(LOG_DEBUG,
	     "mtrr: UC [%llx,%llx) needs %u variable MTRRs, %u left and no RAM-free superset "
	     "fits: %llx bytes of MMIO would stay write-back\n",
	     (unsigned long long)s, (unsigned long long)e, need, left,
	     (unsigned long long)((e - s) - covered));
}

/* Put r into the sorted out[0..n) (room for one more), keeping it sorted by start. */
static void insert_sorted(struct mtrr_range *out, unsigned int n, struct mtrr_range r)
{
	unsigned int j;

	for (j = n; j > 0 && out[j - 1].start > r.start; j--)
		out[j] = out[j - 1];
	out[j] = r;
}

/* Merge the overlapping or touching ranges of the sorted out[0..n); returns how many remain. */
static unsigned int merge_sorted(struct mtrr_range *out, unsigned int n)
{
	unsigned int i, j;

	for (i = 0, j = 0; i < n; i++) {
		if (j && out[i].start <= out[j - 1].end) {
			if (out[i].end > out[j - 1].end)
				out[j - 1].end = out[i].end;
		} else {
			out[j++] = out[i];
		}
	}
	return j;
}

/* RAM as page-aligned, sorted, merged ranges below limit into out ([0, low_ram_end) and the
 * wb list, rounded inwards); returns how many, or -1 if there are too many. */
static int ram_ranges(const struct mtrr_plan_input *in, uint64_t limit, struct mtrr_range *out)
{
	unsigned int n = 0, i;

	for (i = 0; i <= in->wb_count; i++) {
		struct mtrr_range r = i ? in->wb[i - 1] : (struct mtrr_range){0, in->low_ram_end};

		r.start = (r.start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		r.end = (r.end > limit ? limit : r.end) & ~(PAGE_SIZE - 1);
		if (r.start >= r.end)
			continue;
		if (n == MTRR_PLAN_MAX_RANGES)
			return -1;
		insert_sorted(out, n++, r);
	}
	return (int)merge_sorted(out, n);
}

/* Turn the plan round: default UC and WB blocks for RAM. False (plan untouched) if RAM needs
 * more pairs than there are. */
static bool plan_ram_wb(struct plan_state *st, unsigned int pairs)
{
	struct mtrr_range ram[MTRR_PLAN_MAX_RANGES];
	struct mtrr_plan *p = st->plan;
	unsigned int need = 0;
	int n = ram_ranges(st->in, st->limit, ram);

	if (n < 0)
		return false;
	for (int i = 0; i < n; i++)
		need += mtrr_block_count(ram[i].start, ram[i].end);
	if (need > pairs)
		return false;
	for (unsigned int i = 0; i < 2 * pairs; i++)
		p->var[i].value = 0;
	p->var_used = 0;
	st->slots = pairs;
	for (int i = 0; i < n; i++)
		for (uint64_t s = ram[i].start; s < ram[i].end;) {
			uint64_t size = block_at(s, ram[i].end);

			emit_typed(st, s, size, MTRR_TYPE_WB);
			s += size;
		}
	dlog(LOG_ERR,
	     "mtrr: the MMIO ranges need more than %u variable MTRRs; default UC with %u WB "
	     "ranges for RAM instead (no MMIO cacheable)\n",
	     pairs, need);
	p->def_type.value = MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_UC;
	p->uncovered_bytes = 0;
	p->extra_uc_bytes = 0;
	p->degraded = false;
	p->ram_wb = true;
	return true;
}

/* Clip, page-round, sort and merge the UC ranges into out; return how many remain. */
static unsigned int normalize(const struct mtrr_plan_input *in, uint64_t limit,
			      struct mtrr_range *out)
{
	unsigned int n = 0, i;

	for (i = 0; i < in->uc_count; i++) {
		uint64_t s = in->uc[i].start & ~(PAGE_SIZE - 1);
		uint64_t e = in->uc[i].end;

		if (e > limit) {
			dlog(LOG_DEBUG, "mtrr: UC range end %llx clipped to 2^%u\n",
			     (unsigned long long)e, in->phys_bits);
			e = limit;
		}
		e = (e + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (s < ONE_MIB)
			s = ONE_MIB;
		if (s >= e)
			continue;
		insert_sorted(out, n++, (struct mtrr_range){s, e});
	}
	return merge_sorted(out, n);
}

/* Build the fixed, variable and default-type MSR values for in. */
int mtrr_plan_build(const struct mtrr_plan_input *in, struct mtrr_plan *plan)
{
	struct mtrr_range ranges[MTRR_PLAN_MAX_RANGES];
	struct plan_state st;
	unsigned int i, n, pairs;

	memset(plan, 0, sizeof(*plan));
	if (in->phys_bits < MTRR_PHYS_BITS_MIN || in->phys_bits > MTRR_PHYS_BITS_MAX) {
		dlog(LOG_ERR, "mtrr: phys_bits %u outside %u..%u: no MTRR plan, MTRRs stay off\n",
		     in->phys_bits, MTRR_PHYS_BITS_MIN, MTRR_PHYS_BITS_MAX);
		return -1;
	}
	if (in->uc_count > MTRR_PLAN_MAX_RANGES || (in->uc_count && !in->uc) ||
	    (in->wb_count && !in->wb)) {
		dlog(LOG_ERR,
		     "mtrr: bad range list (%u UC ranges, max %u): no MTRR plan, "
		     "MTRRs stay off\n",
		     in->uc_count, MTRR_PLAN_MAX_RANGES);
		return -1;
	}
	pairs = in->vcnt;
	if (pairs > MTRR_PLAN_MAX_VAR) {
		dlog(LOG_DEBUG, "mtrr: VCNT %u, planning only the first %u pairs\n", pairs,
		     MTRR_PLAN_MAX_VAR);
		pairs = MTRR_PLAN_MAX_VAR;
	}
	plan->phys_bits = in->phys_bits;
	plan->fixed[0] = fixed_msr(MSR_MTRR_FIX_64K_00000, 0, 0x10000, in->low_ram_end);
	plan->fixed[1] = fixed_msr(MSR_MTRR_FIX_16K_80000, 0x80000, 0x4000, in->low_ram_end);
	plan->fixed[2] = fixed_msr(MSR_MTRR_FIX_16K_A0000, VGA_START, 0x4000, in->low_ram_end);
	for (i = 0; i < 8; i++)
		plan->fixed[3 + i] =
			fixed_msr(MSR_MTRR_FIX_4K_C0000 + i, SHADOW_START + i * 0x8000ull, 0x1000,
				  in->low_ram_end);
	for (i = 0; i < pairs; i++) {
		plan->var[(size_t)2 * i].msr = MSR_MTRR_PHYS_BASE(i);
		plan->var[(size_t)2 * i + 1].msr = MSR_MTRR_PHYS_MASK(i);
	}
	plan->var_msr_count = 2 * pairs;
	plan->def_type.msr = MSR_MTRR_DEF_TYPE;
	plan->def_type.value = MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_WB;

	st.plan = plan;
	st.in = in;
	st.limit = 1ull << in->phys_bits;
	st.slots = pairs;
	n = normalize(in, st.limit, ranges);
	for (i = 0; i < n; i++)
		cover_range(&st, ranges[i].start, ranges[i].end);
	if (plan->uncovered_bytes && !plan_ram_wb(&st, pairs))
		dlog(LOG_ERR,
		     "mtrr: neither the MMIO nor the RAM fits %u variable MTRRs: %llx bytes of "
		     "MMIO "
		     "stay write-back (cacheable)\n",
		     pairs, (unsigned long long)plan->uncovered_bytes);
	dlog(LOG_DEBUG, "mtrr: %u of %u variable MTRRs used for %u UC ranges%s\n", plan->var_used,
	     pairs, n, plan->degraded ? " (degraded)" : "");
	return 0;
}

/* Type of addr below 1 MiB from the fixed-range MSRs. */
static uint8_t fixed_type(const struct mtrr_plan *plan, uint64_t addr)
{
	unsigned int idx, sub;

	if (addr < 0x80000) {
		idx = 0;
		sub = addr >> 16;
	} else if (addr < SHADOW_START) {
		idx = 1 + (addr >= VGA_START);
		sub = (addr >> 14) & 7;
	} else {
		idx = 3 + ((addr - SHADOW_START) >> 15);
		sub = (addr >> 12) & 7;
	}
	return (uint8_t)(plan->fixed[idx].value >> (8 * sub));
}

/* Resolve addr's type from the plan: fixed below 1 MiB, else variable overlap rules. */
uint8_t mtrr_plan_type_at(const struct mtrr_plan *plan, uint64_t addr)
{
	uint64_t phys_mask = ((1ull << plan->phys_bits) - 1) & ~(PAGE_SIZE - 1);
	unsigned int i, seen = 0;

	if (!(plan->def_type.value & MTRR_DEF_TYPE_E))
		return MTRR_TYPE_UC;
	if (addr < ONE_MIB && (plan->def_type.value & MTRR_DEF_TYPE_FE))
		return fixed_type(plan, addr);
	for (i = 0; i + 1 < plan->var_msr_count; i += 2) {
		uint64_t base = plan->var[i].value;
		uint64_t mask = plan->var[i + 1].value;

		if (!(mask & MTRR_PHYS_MASK_VALID))
			continue;
		mask &= phys_mask;
		if ((addr & mask) == (base & mask))
			seen |= 1u << (base & 7);
	}
	if (!seen)
		return plan->def_type.value & 0xff;
	if (seen & (1u << MTRR_TYPE_UC))
		return MTRR_TYPE_UC;
	if (seen == ((1u << MTRR_TYPE_WT) | (1u << MTRR_TYPE_WB)))
		return MTRR_TYPE_WT;
	if (seen & (seen - 1))
		return MTRR_TYPE_UC; /* other overlaps are undefined: assume the worst */
	return (uint8_t)__builtin_ctz(seen);
}
