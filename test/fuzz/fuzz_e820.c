// SPDX-License-Identifier: MIT
/* Fuzz the memory map: the input is loaded as a QEMU etc/e820 file, then interpreted as a
 * list of add/remove operations; the map invariants are checked after every step.
 *
 * Operation (5 bytes): u8 op, u16 start, u16 size (LE). op bits 0-2: 0 remove, 1-6 a type,
 * 7 an arbitrary type from the start field; bits 3-4 scale both values by 1, 4 KiB, 1 GiB or
 * 2^48; bit 5 measures start down from 2^64; bit 6 widens size to the top of the space.
 * At most MAX_OPS operations are applied (run-fuzz.py caps inputs at 5 * MAX_OPS bytes).
 * Every check after an operation is linear in the map size; the quadratic self-coverage
 * check runs once per input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "e820.h"

/* Operations per input: enough to fill the map (an add makes at most two entries) and
 * churn it. */
#define MAX_OPS 96

static const uint32_t types[] = {E820_RAM, E820_RESERVED, E820_ACPI,
				 E820_NVS, E820_UNUSABLE, E820_TABLE};
static const unsigned int shifts[] = {0, 12, 30, 48};

/* Sorted, disjoint, merged, no empty or wrapping entries, count in range. */
static ORACLE void check_map(const struct e820_map *m)
{
	if (m->count < 0 || m->count > E820_MAX)
		__builtin_trap();
	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];

		if (!e->size || !e->type || e->size > UINT64_MAX - e->start)
			__builtin_trap();
		if (i) {
			const struct e820_entry *p = &m->e[i - 1];
			uint64_t p_end = p->start + p->size;

			if (p_end > e->start)
				__builtin_trap();
			if (p_end == e->start && p->type == e->type)
				__builtin_trap();
		}
	}
}

/* True if some entry of m intersects [start, end). */
static ORACLE bool intersects(const struct e820_map *m, uint64_t start, uint64_t end)
{
	for (int i = 0; i < m->count; i++)
		if (m->e[i].start < end && start < m->e[i].start + m->e[i].size)
			return true;
	return false;
}

/* Every entry of m is covered by m itself (quadratic: once per input). */
static void check_self_covered(const struct e820_map *m)
{
	for (int i = 0; i < m->count; i++)
		if (!e820_covered(m, m->e[i].start, m->e[i].size, m->e[i].type))
			__builtin_trap();
}

/* RAM total and top recomputed from the entries. */
static ORACLE void check_ram(const struct e820_map *m)
{
	uint64_t total = 0, top = 0;

	for (int i = 0; i < m->count; i++) {
		if (m->e[i].type != E820_RAM)
			continue;
		total += m->e[i].size;
		top = m->e[i].start + m->e[i].size;
	}
	if (e820_ram_total(m) != total)
		__builtin_trap();
	if (e820_ram_top(m) != top)
		__builtin_trap();
}

/* [a, b) is covered by entries of type t of the sorted map m, looked up from entry *j on
 * (pieces are asked for in ascending order, so *j only moves forward). */
static ORACLE bool piece_covered(const struct e820_map *m, int *j, uint64_t a, uint64_t b,
				 uint32_t t)
{
	while (*j < m->count && m->e[*j].start + m->e[*j].size <= a)
		(*j)++;
	while (a < b) {
		const struct e820_entry *e = &m->e[*j];

		if (*j >= m->count || e->start > a || e->type != t)
			return false;
		a = e->start + e->size;
		if (a < b)
			(*j)++;
	}
	return true;
}

/* Apply one operation and check what it must have done. */
static void apply(struct e820_map *m, const uint8_t *op)
{
	uint8_t kind = op[0] & 7;
	unsigned int shift = shifts[(op[0] >> 3) & 3];
	uint64_t start = (uint64_t)(op[1] | op[2] << 8) << shift;
	uint64_t size = (uint64_t)(op[3] | op[4] << 8) << shift;
	uint32_t type = kind == 7 ? (uint32_t)(op[1] | op[2] << 8) : kind ? types[kind - 1] : 0;
	uint64_t end;
	struct e820_map before = *m;
	int ret;

	if (op[0] & 0x20)
		start = UINT64_MAX - start;
	if (op[0] & 0x40)
		size = UINT64_MAX - size;
	end = size > UINT64_MAX - start ? UINT64_MAX : start + size;
	ret = kind ? e820_add(m, start, size, type) : e820_remove(m, start, size);
	check_map(m);
	if (ret) {
		/* Failure leaves the map alone; only a full map or type 0 may fail. */
		if (ret != -1 || memcmp(m, &before, sizeof(*m)))
			__builtin_trap();
		if (!(kind && !type) && before.count < E820_MAX - 1)
			__builtin_trap();
		return;
	}
	if (kind && !type)
		__builtin_trap();
	if (kind && !e820_covered(m, start, end - start, type))
		__builtin_trap();
	if (!kind && start < end && intersects(m, start, end))
		__builtin_trap();
	/* Outside [start, end) nothing changed: what was covered before still is. */
	for (int i = 0, j = 0; i < before.count; i++) {
		const struct e820_entry *e = &before.e[i];
		uint64_t e_end = e->start + e->size;

		if (e->start < start &&
		    !piece_covered(m, &j, e->start, e_end < start ? e_end : start, e->type))
			__builtin_trap();
		if (e_end > end &&
		    !piece_covered(m, &j, e->start > end ? e->start : end, e_end, e->type))
			__builtin_trap();
	}
}

/* Load the input as etc/e820, then replay it as operations. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct e820_map m, before;
	int used;

	e820_init(&m);
	used = e820_load_qemu(&m, data, size);
	check_map(&m);
	if (size % 20 ? used != -1 : used < -1 || used > (int)(size / 20))
		__builtin_trap();
	if (used == -1 && m.count)
		__builtin_trap();

	/* Loading again on top of the result either works or changes nothing. */
	before = m;
	if (e820_load_qemu(&m, data, size) == -1 && memcmp(&m, &before, sizeof(m)))
		__builtin_trap();
	check_map(&m);
	check_ram(&m);
	check_self_covered(&m);

	e820_init(&m);
	for (size_t off = 0; off + 5 <= size && off < 5 * MAX_OPS; off += 5) {
		apply(&m, data + off);
		check_ram(&m);
	}
	check_self_covered(&m);
	return 0;
}
