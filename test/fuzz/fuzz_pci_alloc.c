// SPDX-License-Identifier: MIT
/* Fuzz the PCI resource allocator: build a description (sometimes inconsistent) from the
 * input bytes, allocate, and trap on any overlap, misalignment or escape from a window.
 *
 * The description is kept small (12 buses, 24 functions, 40 BARs: a few bytes each, so
 * inputs up to 512 bytes) because the policy loops re-run the whole layout once per move or
 * drop (quadratic in the BARs); larger trees are the unit tests' random_trees. The target is
 * built without comparison tracing (Makefile FUZZ_FLAGS_fuzz_pci_alloc): the layout's sorts
 * made it three quarters of the time, and sizes come from shifts, not magic values. Only the part
 * of the input arrays the previous input used is cleared, and the allocator clears only what the
 * counts reach. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "pci-alloc.h"

#define MAX_FUZZ_BUSES 12
#define MAX_FUZZ_DEVS  24
#define MAX_FUZZ_REQS  40

static struct pci_alloc pa;

struct cursor {
	const uint8_t *p;
	size_t n;
};

/* Next input byte, 0 once the input is used up. */
static uint8_t next(struct cursor *c)
{
	if (!c->n)
		return 0;
	c->n--;
	return *c->p++;
}

/* A hint: absent, zero, or a size from one byte. */
static uint64_t hint(struct cursor *c, uint64_t none)
{
	uint8_t v = next(c);

	if (v < 128)
		return none;
	if (v < 144)
		return 0;
	return (1ull << (v & 63)) + (v & 0x40 ? 0x123 : 0);
}

/* Clear the input part of pa that build() can have filled. */
static void clear_input(void)
{
	pa.nr_buses = pa.nr_devs = pa.nr_bridges = pa.nr_reqs = 0;
	memset(pa.buses, 0, MAX_FUZZ_BUSES * sizeof(pa.buses[0]));
	memset(pa.devs, 0, MAX_FUZZ_DEVS * sizeof(pa.devs[0]));
	memset(pa.bridges, 0, MAX_FUZZ_BUSES * sizeof(pa.bridges[0]));
	memset(pa.reqs, 0, MAX_FUZZ_REQS * sizeof(pa.reqs[0]));
	memset(pa.nr_ranges, 0, sizeof(pa.nr_ranges));
	memset(pa.ranges, 0, sizeof(pa.ranges));
}

/* Fill pa from the input. */
static void build(struct cursor *c)
{
	static const uint64_t io_start[4] = {0xC000, 0x1000, 0xF000, 0xFFFC};
	uint8_t cfg = next(c);

	clear_input();
	pa.nr_buses = 1;
	pa.buses[0].bridge = PCI_ALLOC_NONE;
	pa.nr_ranges[PCI_SPACE_IO] = 1 + (cfg & 1);
	pa.ranges[PCI_SPACE_IO][0] = (struct pci_alloc_range){io_start[(cfg >> 1) & 3], 0x10000};
	pa.ranges[PCI_SPACE_IO][1] = (struct pci_alloc_range){0x1000, 0xA000 + next(c)};
	pa.nr_ranges[PCI_SPACE_MEM32] = 1 + ((cfg >> 3) & 1);
	pa.ranges[PCI_SPACE_MEM32][0] =
		(struct pci_alloc_range){0xFEC00000 - ((uint64_t)next(c) << 22), 0xFEC00000};
	pa.ranges[PCI_SPACE_MEM32][1] =
		(struct pci_alloc_range){0x80000000, 0x80000000 + ((uint64_t)next(c) << 22)};
	pa.nr_ranges[PCI_SPACE_MEM64] = (cfg >> 4) & 3;
	pa.ranges[PCI_SPACE_MEM64][0] = (struct pci_alloc_range){
		(uint64_t)next(c) << 30, ((uint64_t)next(c) << 34) + ((uint64_t)next(c) << 20)};
	pa.ranges[PCI_SPACE_MEM64][1] =
		(struct pci_alloc_range){1ull << 40, (1ull << 40) + ((uint64_t)next(c) << 36)};
	pa.ranges[PCI_SPACE_MEM64][2] = (struct pci_alloc_range){1ull << 50, ~0ull};

	while (c->n) {
		uint8_t op = next(c), a = next(c);

		switch (op & 7) {
		case 0: /* bridge */
			if (pa.nr_buses < MAX_FUZZ_BUSES && pa.nr_devs < MAX_FUZZ_DEVS) {
				unsigned int b = pa.nr_buses++, d = pa.nr_devs++,
					     i = pa.nr_bridges++;
				struct pci_alloc_bridge *br = &pa.bridges[i];

				pa.devs[d].bus = (uint16_t)(a % b);
				pa.devs[d].bdf = (uint16_t)(b << 8 | d);
				pa.buses[b].bridge = (uint16_t)i;
				pa.buses[b].busnr = (uint8_t)b;
				br->dev = (uint16_t)d;
				br->secondary = (uint16_t)b;
				br->flags = next(c);
				br->res.bus = next(c);
				br->res.io = hint(c, PCI_ALLOC_NO_HINT64);
				br->res.mem = (uint32_t)hint(c, PCI_ALLOC_NO_HINT32);
				br->res.pref32 = (uint32_t)hint(c, PCI_ALLOC_NO_HINT32);
				br->res.pref64 = hint(c, PCI_ALLOC_NO_HINT64);
			}
			break;
		case 1: /* extra root bus */
			if (pa.nr_buses < MAX_FUZZ_BUSES) {
				pa.buses[pa.nr_buses].bridge = PCI_ALLOC_NONE;
				pa.buses[pa.nr_buses].busnr = a;
				pa.nr_buses++;
			}
			break;
		case 2: /* hostile edit of the topology */
			if (pa.nr_bridges && (op & 0x80))
				pa.bridges[a % pa.nr_bridges].secondary = next(c);
			else if (pa.nr_devs)
				pa.devs[a % pa.nr_devs].bus = next(c) % (pa.nr_buses + 1);
			break;
		default: /* a device with a request, or another request on the last device */
			if ((op & 8) || !pa.nr_devs) {
				if (pa.nr_devs >= MAX_FUZZ_DEVS)
					break;
				pa.devs[pa.nr_devs].bus = (uint16_t)(a % pa.nr_buses);
				pa.devs[pa.nr_devs].bdf = (uint16_t)pa.nr_devs;
				pa.nr_devs++;
			}
			if (pa.nr_reqs < MAX_FUZZ_REQS) {
				struct pci_alloc_req *q = &pa.reqs[pa.nr_reqs++];
				uint8_t sz = next(c), fl = next(c);

				q->dev = (uint16_t)(pa.nr_devs - 1);
				q->bar = (op & 0x80) ? fl : (uint8_t)(0x10 + 4 * (a % 6));
				if ((fl & 0xE0) == 0xE0)
					q->bar = (fl & 0x10) ? 0x30 : 0x38;
				q->kind = (op >> 4) & 3;
				q->flags = (fl >> 2) & ((op & 0x80) ? 7 : 3);
				q->size = (1ull << (sz & 63)) + ((sz & 0x40) && (fl & 1) ? 1 : 0);
			}
			break;
		}
	}
}

/* True if window w of bus b is enabled and holds [a, end). */
static ORACLE int in_win(unsigned int b, unsigned int w, uint64_t a, uint64_t end)
{
	const struct pci_alloc_window *x = &pa.win[b][w];

	return x->enabled && x->base <= x->limit && a >= x->base && end - 1 <= x->limit;
}

/* True if [a, end) lies in one of the caller's ranges of space s (clipped to the space). */
static ORACLE int in_ranges(unsigned int s, uint64_t a, uint64_t end)
{
	static const uint64_t hi[PCI_SPACE_COUNT] = {0x10000, 1ull << 32, PCI_ALLOC_ADDR_LIMIT};
	unsigned int k;

	if (end > hi[s] || (s == PCI_SPACE_MEM64 && a < (1ull << 32)))
		return 0;
	for (k = 0; k < pa.nr_ranges[s]; k++)
		if (a >= pa.ranges[s][k].start && end <= pa.ranges[s][k].end)
			return 1;
	return 0;
}

/* Independent checks of the assigned requests: alignment, placement, no overlap. */
static ORACLE void check(void)
{
	unsigned int i, j;

	if (pa.summary.assigned + pa.summary.dropped != pa.nr_reqs)
		__builtin_trap();
	for (i = 0; i < pa.nr_reqs; i++) {
		const struct pci_alloc_result *o = &pa.out[i];
		const struct pci_alloc_req *q = &pa.reqs[i];
		uint64_t end = o->addr + o->size;
		unsigned int bus;

		if (o->drop != PCI_DROP_NONE) {
			if (o->addr)
				__builtin_trap();
			continue;
		}
		if (!o->size || (o->size & (o->size - 1)) || (o->addr & (o->size - 1)) ||
		    o->size < q->size || end <= o->addr)
			__builtin_trap();
		if (o->space == PCI_SPACE_MEM64 &&
		    (!(q->flags & PCI_REQ_64BIT) || (q->flags & PCI_REQ_LOW)))
			__builtin_trap();
		if ((q->kind == PCI_KIND_IO) != (o->space == PCI_SPACE_IO))
			__builtin_trap();
		bus = pa.devs[q->dev].bus;
		if (bus == 0) {
			if (!in_ranges(o->space, o->addr, end))
				__builtin_trap();
		} else if (pa.buses[bus].bridge == PCI_ALLOC_NONE) {
			if (!in_win(bus, PCI_WIN_IO, o->addr, end) &&
			    !in_win(bus, PCI_WIN_MEM, o->addr, end) &&
			    !in_win(bus, PCI_WIN_MEM64, o->addr, end))
				__builtin_trap();
		} else if (q->kind == PCI_KIND_PREF) {
			if (!in_win(bus, PCI_WIN_MEM, o->addr, end) &&
			    !in_win(bus, PCI_WIN_PREF, o->addr, end))
				__builtin_trap();
		} else if (!in_win(bus, q->kind == PCI_KIND_IO ? PCI_WIN_IO : PCI_WIN_MEM, o->addr,
				   end)) {
			__builtin_trap();
		}
		for (j = 0; j < i; j++) {
			const struct pci_alloc_result *p = &pa.out[j];

			if (p->drop == PCI_DROP_NONE && p->space == o->space && p->addr < end &&
			    o->addr < p->addr + p->size)
				__builtin_trap();
		}
	}
	for (i = 1; i < pa.nr_buses; i++)
		for (j = 0; j < PCI_WIN_COUNT; j++)
			if (!pa.win[i][j].enabled && pa.win[i][j].base <= pa.win[i][j].limit)
				__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = {data, size};
	int ret;

	build(&c);
	ret = pci_alloc_run(&pa);
	if (ret < 0) {
		if (pa.summary.assigned)
			__builtin_trap();
		return 0;
	}
	if ((unsigned int)ret != pa.summary.dropped || pci_alloc_verify(&pa) != 0)
		__builtin_trap();
	check();
	pci_alloc_log(&pa);
	return 0;
}
