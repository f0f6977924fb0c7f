// SPDX-License-Identifier: MIT
/* Unit and property tests of the PCI resource allocator (src/pci/pci-alloc.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_log.h"
#include "pci-alloc.h"

#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

static struct pci_alloc the_pa;
static struct pci_alloc *pa = &the_pa;

/* Empty description: main root bus 0 and pc-like ranges. */
static void setup_pc(void)
{
	memset(pa, 0, sizeof(*pa));
	pa->nr_buses = 1;
	pa->buses[0].bridge = PCI_ALLOC_NONE;
	pa->nr_ranges[PCI_SPACE_IO] = 2;
	pa->ranges[PCI_SPACE_IO][0] = (struct pci_alloc_range){0xC000, 0x10000};
	pa->ranges[PCI_SPACE_IO][1] = (struct pci_alloc_range){0x1000, 0xA000};
	pa->nr_ranges[PCI_SPACE_MEM32] = 1;
	pa->ranges[PCI_SPACE_MEM32][0] = (struct pci_alloc_range){0xC0000000, 0xFEC00000};
	pa->nr_ranges[PCI_SPACE_MEM64] = 1;
	pa->ranges[PCI_SPACE_MEM64][0] = (struct pci_alloc_range){0x800000000, 0x10000000000};
	host_log_clear();
}

/* Set the single range of a space. */
static void set_range(unsigned int space, uint64_t start, uint64_t end)
{
	pa->nr_ranges[space] = 1;
	pa->ranges[space][0] = (struct pci_alloc_range){start, end};
}

/* Add a function on bus index bus; returns its index. */
static unsigned int add_dev(unsigned int bus)
{
	unsigned int d = pa->nr_devs++;

	pa->devs[d].bus = (uint16_t)bus;
	pa->devs[d].bdf = (uint16_t)(pa->buses[bus].busnr << 8 | (d & 31) << 3);
	return d;
}

/* Add a bridge on bus parent; returns the index of its secondary bus. */
static unsigned int add_bridge(unsigned int parent, uint8_t flags)
{
	unsigned int d = add_dev(parent), b = pa->nr_buses++, i = pa->nr_bridges++;

	pa->buses[b].bridge = (uint16_t)i;
	pa->buses[b].busnr = (uint8_t)b;
	pa->bridges[i] = (struct pci_alloc_bridge){
		.dev = (uint16_t)d,
		.secondary = (uint16_t)b,
		.flags = flags,
		.res = {PCI_ALLOC_NO_HINT32, PCI_ALLOC_NO_HINT64, PCI_ALLOC_NO_HINT32,
			PCI_ALLOC_NO_HINT32, PCI_ALLOC_NO_HINT64},
	};
	return b;
}

/* Add an extra root bus (pxb) with bus number nr; returns its index. */
static unsigned int add_pxb(uint8_t nr)
{
	unsigned int b = pa->nr_buses++;

	pa->buses[b].bridge = PCI_ALLOC_NONE;
	pa->buses[b].busnr = nr;
	return b;
}

/* Add a request; returns its index. */
static unsigned int add_req(unsigned int dev, uint8_t bar, uint8_t kind, uint64_t size,
			    uint8_t flags)
{
	unsigned int r = pa->nr_reqs++;

	pa->reqs[r] = (struct pci_alloc_req){
		.size = size, .dev = (uint16_t)dev, .bar = bar, .kind = kind, .flags = flags};
	return r;
}

/* The bridge leading to bus index b. */
static struct pci_alloc_bridge *bridge_of(unsigned int b)
{
	return &pa->bridges[pa->buses[b].bridge];
}

/* Window of bus b. */
static const struct pci_alloc_window *win(unsigned int b, unsigned int w)
{
	return &pa->win[b][w];
}

/* True if [a, a+size) lies inside window w. */
static bool inside(const struct pci_alloc_window *w, uint64_t a, uint64_t size)
{
	return w->enabled && a >= w->base && a + size - 1 <= w->limit;
}

/* True if [a, a+size) lies inside one of the ranges of a space. */
static bool in_ranges(unsigned int space, uint64_t a, uint64_t size)
{
	unsigned int k;

	for (k = 0; k < pa->nr_ranges[space]; k++)
		if (a >= pa->ranges[space][k].start && a + size <= pa->ranges[space][k].end)
			return true;
	return false;
}

/* Space a window lives in. */
static unsigned int win_space(unsigned int w, const struct pci_alloc_window *x)
{
	if (w == PCI_WIN_IO)
		return PCI_SPACE_IO;
	return x->high ? PCI_SPACE_MEM64 : PCI_SPACE_MEM32;
}

struct span {
	uint64_t a, end;
	unsigned int space, parent;
};

/* qsort order of spans. */
static int span_cmp(const void *x, const void *y)
{
	const struct span *p = x, *q = y;

	if (p->space != q->space)
		return p->space < q->space ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return 0;
}

static struct span spans[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];

/* Returns NULL if the assignment obeys every rule, else a description of the first breach. */
static const char *invariants(void)
{
	unsigned int r, b, w, n = 0, i, j, leaves;

	if (pa->summary.assigned + pa->summary.dropped != pa->nr_reqs)
		return "summary counts";
	for (r = 0; r < pa->nr_reqs; r++) {
		const struct pci_alloc_req *q = &pa->reqs[r];
		const struct pci_alloc_result *o = &pa->out[r];
		unsigned int bus;

		if (o->drop != PCI_DROP_NONE) {
			if (o->addr)
				return "dropped request with an address";
			continue;
		}
		bus = pa->devs[q->dev].bus;
		if (o->size < q->size || (o->size & (o->size - 1)) || (o->addr & (o->size - 1)))
			return "request size or alignment";
		if (q->kind != PCI_KIND_IO && o->size < 4 * KIB)
			return "memory request below 4 KiB";
		if (q->kind == PCI_KIND_IO &&
		    (o->space != PCI_SPACE_IO || o->addr + o->size > 0x10000))
			return "I/O request outside I/O space";
		if (o->space == PCI_SPACE_MEM32 && o->addr + o->size > 4 * GIB)
			return "low request above 4 GiB";
		if (o->space == PCI_SPACE_MEM64 &&
		    (o->addr < 4 * GIB || !(q->flags & PCI_REQ_64BIT) || (q->flags & PCI_REQ_LOW)))
			return "high request that may not be high";
		if (bus == 0) {
			if (!in_ranges(o->space, o->addr, o->size))
				return "root request outside the ranges";
		} else if (pa->buses[bus].bridge == PCI_ALLOC_NONE) {
			w = o->space == PCI_SPACE_IO	  ? PCI_WIN_IO
			    : o->space == PCI_SPACE_MEM64 ? PCI_WIN_MEM64
							  : PCI_WIN_MEM;
			if (!inside(win(bus, w), o->addr, o->size))
				return "pxb request outside its window";
		} else if (q->kind == PCI_KIND_IO) {
			if (!inside(win(bus, PCI_WIN_IO), o->addr, o->size))
				return "I/O request outside the bridge window";
		} else if (q->kind == PCI_KIND_MEM) {
			if (!inside(win(bus, PCI_WIN_MEM), o->addr, o->size))
				return "mem request outside the bridge mem window";
		} else if (!inside(win(bus, PCI_WIN_MEM), o->addr, o->size) &&
			   !inside(win(bus, PCI_WIN_PREF), o->addr, o->size)) {
			return "pref request outside the bridge windows";
		}
		spans[n++] = (struct span){o->addr, o->addr + o->size, o->space, bus};
	}
	leaves = n;
	for (b = 1; b < pa->nr_buses; b++) {
		bool root = pa->buses[b].bridge == PCI_ALLOC_NONE;
		unsigned int parent = root ? 0 : pa->devs[bridge_of(b)->dev].bus;

		for (w = 0; w < PCI_WIN_COUNT; w++) {
			const struct pci_alloc_window *x = win(b, w);
			uint64_t size = x->limit - x->base + 1;
			unsigned int sp = win_space(w, x);

			if (!x->enabled) {
				if (x->base <= x->limit)
					return "disabled window not base > limit";
				continue;
			}
			if (!root) {
				uint64_t g = w == PCI_WIN_IO ? 4 * KIB : MIB;

				if (w == PCI_WIN_MEM64 || (x->base & (g - 1)) || (size & (g - 1)))
					return "bridge window granularity";
				if (x->high && (w != PCI_WIN_PREF ||
						!(bridge_of(b)->flags & PCI_BRIDGE_PREF64)))
					return "bridge window high without 64-bit pref";
			} else if (w == PCI_WIN_PREF) {
				return "pxb root with a pref window";
			}
			if ((sp == PCI_SPACE_MEM64) != (x->base >= 4 * GIB))
				return "window high flag";
			if (parent == 0) {
				if (!in_ranges(sp, x->base, size))
					return "root-level window outside the ranges";
			} else if (pa->buses[parent].bridge == PCI_ALLOC_NONE) {
				unsigned int pw = w == PCI_WIN_IO ? PCI_WIN_IO
						  : x->high	  ? PCI_WIN_MEM64
								  : PCI_WIN_MEM;

				if (!inside(win(parent, pw), x->base, size))
					return "window outside its pxb window";
			} else if (w == PCI_WIN_PREF) {
				if (!inside(win(parent, PCI_WIN_PREF), x->base, size) &&
				    !(inside(win(parent, PCI_WIN_MEM), x->base, size) && !x->high))
					return "pref window outside its parent";
			} else if (!inside(win(parent, w), x->base, size)) {
				return "window outside its parent window";
			}
			spans[n++] = (struct span){x->base, x->limit + 1, sp, parent};
		}
	}
	/* Siblings (same parent bus, same space) never overlap. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (spans[i].parent == spans[j].parent &&
			    spans[i].space == spans[j].space && spans[i].a < spans[j].end &&
			    spans[j].a < spans[i].end)
				return "siblings overlap";
	/* Leaves (BARs) never overlap anywhere. */
	qsort(spans, leaves, sizeof(spans[0]), span_cmp);
	for (i = 1; i < leaves; i++)
		if (spans[i].space == spans[i - 1].space && spans[i].a < spans[i - 1].end)
			return "BARs overlap";
	if (pci_alloc_verify(pa) != 0)
		return "pci_alloc_verify disagrees";
	return NULL;
}

/* Run the allocator and check every invariant. */
static int run_checked(void)
{
	int ret = pci_alloc_run(pa);
	const char *err = invariants();

	if (err)
		fail_msg("invariant broken: %s", err);
	return ret;
}

/* Every BAR lands aligned to its size; small sizes are raised to the minimum. */
static void test_alignment(void **state)
{
	static const uint64_t sizes[] = {16, 4 * KIB, 64 * KIB, 1 * MIB, 32 * MIB, 256 * MIB};
	unsigned int i, d, r[8], io;

	(void)state;
	setup_pc();
	d = add_dev(0);
	for (i = 0; i < 6; i++)
		r[i] = add_req(add_dev(0), (uint8_t)(0x10 + 4 * (i % 6)),
			       i & 1 ? PCI_KIND_PREF : PCI_KIND_MEM, sizes[i], 0);
	io = add_req(d, 0x10, PCI_KIND_IO, 2, 0);
	r[6] = add_req(d, 0x30, PCI_KIND_MEM, 128 * KIB, 0);
	assert_int_equal(run_checked(), 0);
	for (i = 0; i < 7; i++) {
		const struct pci_alloc_result *o = &pa->out[r[i]];

		assert_int_equal(o->drop, PCI_DROP_NONE);
		assert_int_equal(o->addr & (o->size - 1), 0);
		assert_true(o->addr >= 0xC0000000 && o->addr + o->size <= 0xFEC00000);
	}
	assert_int_equal(pa->out[r[0]].size, 4 * KIB);
	assert_int_equal(pa->out[io].size, 4);
	assert_int_equal(pa->out[io].addr & 3, 0);
	assert_true(pa->out[io].addr >= 0xC000);
	/* Sorted by alignment from the bottom: the biggest BAR comes first. */
	assert_int_equal(pa->out[r[5]].addr, 0xC0000000);
	assert_int_equal(pa->summary.lowest[PCI_SPACE_MEM32], 0xC0000000);
}

/* 64-bit BARs stay below 4 GiB when they fit there. */
static void test_low_when_room(void **state)
{
	unsigned int a, b;

	(void)state;
	setup_pc();
	a = add_req(add_dev(0), 0x10, PCI_KIND_PREF, 256 * MIB, PCI_REQ_64BIT);
	b = add_req(add_dev(0), 0x18, PCI_KIND_MEM, 16 * KIB, PCI_REQ_64BIT);
	assert_int_equal(run_checked(), 0);
	assert_int_equal(pa->out[a].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->out[b].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->summary.moved_high, 0);
	assert_true(pa->summary.lowest[PCI_SPACE_MEM64] > pa->summary.highest[PCI_SPACE_MEM64]);
}

/* On 32-bit overflow the biggest 64-bit BARs move high, the small ones stay low. */
static void test_high_on_overflow(void **state)
{
	unsigned int big[3], small, low32, i;

	(void)state;
	setup_pc();
	set_range(PCI_SPACE_MEM32, 0xE0000000, 0xF0000000); /* 256 MiB */
	for (i = 0; i < 3; i++)
		big[i] = add_req(add_dev(0), 0x18, PCI_KIND_PREF, 128 * MIB, PCI_REQ_64BIT);
	small = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 1 * MIB, PCI_REQ_64BIT);
	low32 = add_req(add_dev(0), 0x14, PCI_KIND_MEM, 64 * MIB, 0);
	assert_int_equal(run_checked(), 0);
	/* 3 x 128 MiB + 65 MiB does not fit in 256 MiB: two big ones must go. */
	assert_int_equal(pa->summary.moved_high, 2);
	assert_int_equal(pa->out[small].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->out[low32].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->out[big[0]].space + pa->out[big[1]].space + pa->out[big[2]].space,
			 PCI_SPACE_MEM32 + 2 * PCI_SPACE_MEM64);
	for (i = 0; i < 3; i++)
		if (pa->out[big[i]].space == PCI_SPACE_MEM64)
			assert_true(pa->out[big[i]].addr >= 0x800000000);
	assert_int_equal(pa->summary.lowest[PCI_SPACE_MEM64], 0x800000000);
}

/* A 64 GiB BAR goes high, naturally aligned, on the root and behind a 64-bit bridge. */
static void test_huge_bar(void **state)
{
	unsigned int root_bar, sec, br_bar, small;

	(void)state;
	setup_pc();
	root_bar = add_req(add_dev(0), 0x18, PCI_KIND_PREF, 64 * GIB, PCI_REQ_64BIT);
	sec = add_bridge(0, PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_PREF64);
	br_bar = add_req(add_dev(sec), 0x10, PCI_KIND_PREF, 64 * GIB, PCI_REQ_64BIT);
	small = add_req(add_dev(sec), 0x10, PCI_KIND_PREF, 1 * MIB, 0);
	assert_int_equal(run_checked(), 0);
	assert_int_equal(pa->out[root_bar].space, PCI_SPACE_MEM64);
	assert_int_equal(pa->out[root_bar].addr % (64 * GIB), 0);
	assert_int_equal(pa->out[br_bar].space, PCI_SPACE_MEM64);
	assert_int_equal(pa->out[br_bar].addr % (64 * GIB), 0);
	assert_true(win(sec, PCI_WIN_PREF)->high);
	assert_true(inside(win(sec, PCI_WIN_PREF), pa->out[br_bar].addr, 64 * GIB));
	/* The 32-bit prefetchable BAR moves to the bridge's non-prefetchable window. */
	assert_int_equal(pa->out[small].space, PCI_SPACE_MEM32);
	assert_true(inside(win(sec, PCI_WIN_MEM), pa->out[small].addr, 1 * MIB));
}

/* A 64 GiB BAR with no 64-bit window is dropped as too big; the rest is assigned. */
static void test_huge_bar_no_high_window(void **state)
{
	unsigned int huge, other;

	(void)state;
	setup_pc();
	pa->nr_ranges[PCI_SPACE_MEM64] = 0;
	huge = add_req(add_dev(0), 0x18, PCI_KIND_PREF, 64 * GIB, PCI_REQ_64BIT);
	other = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 1 * MIB, 0);
	assert_int_equal(run_checked(), 1);
	assert_int_equal(pa->out[huge].drop, PCI_DROP_TOO_BIG);
	assert_int_equal(pa->out[huge].addr, 0);
	assert_int_equal(pa->out[other].drop, PCI_DROP_NONE);
	pci_alloc_log(pa);
	assert_true(host_log_has("BAR 0x18 pref size 0x1000000000 not assigned: larger than"));
}

/* Bridge windows hold their children, at register granularity and child alignment. */
static void test_bridge_windows(void **state)
{
	unsigned int sec, d, io, mem, pref, rom;

	(void)state;
	setup_pc();
	add_req(add_dev(0), 0x10, PCI_KIND_MEM, 4 * KIB, 0);
	sec = add_bridge(0, PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF);
	d = add_dev(sec);
	io = add_req(d, 0x10, PCI_KIND_IO, 32, 0);
	mem = add_req(d, 0x14, PCI_KIND_MEM, 8 * MIB, 0);
	pref = add_req(d, 0x18, PCI_KIND_PREF, 4 * MIB, 0);
	rom = add_req(d, 0x30, PCI_KIND_MEM, 256 * KIB, 0);
	add_req(bridge_of(sec)->dev, 0x10, PCI_KIND_MEM, 4 * KIB, 0);
	assert_int_equal(run_checked(), 0);
	assert_true(inside(win(sec, PCI_WIN_IO), pa->out[io].addr, 32));
	assert_true(inside(win(sec, PCI_WIN_MEM), pa->out[mem].addr, 8 * MIB));
	assert_true(inside(win(sec, PCI_WIN_MEM), pa->out[rom].addr, 256 * KIB));
	assert_true(inside(win(sec, PCI_WIN_PREF), pa->out[pref].addr, 4 * MIB));
	assert_int_equal(win(sec, PCI_WIN_IO)->limit - win(sec, PCI_WIN_IO)->base + 1, 4 * KIB);
	assert_int_equal(win(sec, PCI_WIN_MEM)->limit - win(sec, PCI_WIN_MEM)->base + 1, 9 * MIB);
	assert_int_equal(win(sec, PCI_WIN_MEM)->base % (8 * MIB), 0);
	assert_int_equal(win(sec, PCI_WIN_PREF)->limit - win(sec, PCI_WIN_PREF)->base + 1, 4 * MIB);
	assert_false(win(sec, PCI_WIN_PREF)->high);
	/* The main root has no windows; they stay programmable as closed. */
	assert_false(win(0, PCI_WIN_MEM)->enabled);
}

/* A bridge without I/O or prefetchable windows: I/O behind it is dropped, pref uses mem. */
static void test_bridge_without_io_or_pref(void **state)
{
	unsigned int sec, sub, d, io, pref, deep_io;

	(void)state;
	setup_pc();
	sec = add_bridge(0, 0);
	d = add_dev(sec);
	io = add_req(d, 0x10, PCI_KIND_IO, 64, 0);
	pref = add_req(d, 0x14, PCI_KIND_PREF, 2 * MIB, PCI_REQ_64BIT);
	sub = add_bridge(sec, PCI_BRIDGE_HAS_IO);
	deep_io = add_req(add_dev(sub), 0x10, PCI_KIND_IO, 16, 0);
	assert_int_equal(run_checked(), 2);
	assert_int_equal(pa->out[io].drop, PCI_DROP_NO_IO_WIN);
	assert_int_equal(pa->out[deep_io].drop, PCI_DROP_NO_IO_WIN);
	assert_true(inside(win(sec, PCI_WIN_MEM), pa->out[pref].addr, 2 * MIB));
	assert_false(win(sec, PCI_WIN_IO)->enabled);
	assert_false(win(sec, PCI_WIN_PREF)->enabled);
	assert_int_equal(win(sec, PCI_WIN_PREF)->base, 0xFFF00000);
	assert_int_equal(win(sec, PCI_WIN_PREF)->limit, 0x000FFFFF);
	assert_int_equal(win(sec, PCI_WIN_IO)->base, 0xF000);
	assert_int_equal(win(sec, PCI_WIN_IO)->limit, 0x0FFF);
}

/* Three levels of bridges: each window contains the next, all aligned. */
static void test_nested_bridges(void **state)
{
	const uint8_t f = PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_PREF64;
	unsigned int b1, b2, b3, r3, r2, w;

	(void)state;
	setup_pc();
	b1 = add_bridge(0, f);
	b2 = add_bridge(b1, f);
	b3 = add_bridge(b2, f);
	r3 = add_req(add_dev(b3), 0x10, PCI_KIND_MEM, 16 * MIB, 0);
	add_req(add_dev(b3), 0x10, PCI_KIND_IO, 256, 0);
	add_req(add_dev(b3), 0x10, PCI_KIND_PREF, 32 * MIB, PCI_REQ_64BIT);
	r2 = add_req(add_dev(b2), 0x10, PCI_KIND_MEM, 64 * KIB, 0);
	add_req(add_dev(b1), 0x14, PCI_KIND_PREF, 1 * MIB, 0);
	assert_int_equal(run_checked(), 0);
	for (w = PCI_WIN_IO; w <= PCI_WIN_PREF; w++) {
		const struct pci_alloc_window *x2 = win(b2, w), *x3 = win(b3, w);

		assert_true(inside(win(b1, w), x2->base, x2->limit - x2->base + 1));
		assert_true(inside(x2, x3->base, x3->limit - x3->base + 1));
	}
	assert_true(inside(win(b3, PCI_WIN_MEM), pa->out[r3].addr, 16 * MIB));
	assert_true(inside(win(b2, PCI_WIN_MEM), pa->out[r2].addr, 64 * KIB));
	assert_int_equal(win(b1, PCI_WIN_MEM)->limit - win(b1, PCI_WIN_MEM)->base + 1, 17 * MIB);
}

/* Reservation hints and hotplug defaults size the windows of empty ports. */
static void test_reserve_hints(void **state)
{
	const uint8_t pcie_hp = PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_PREF64 |
				PCI_BRIDGE_HOTPLUG | PCI_BRIDGE_PCIE;
	unsigned int hinted, plain, shpc, zero, nohp, r;

	(void)state;
	setup_pc();
	hinted = add_bridge(0, pcie_hp);
	bridge_of(hinted)->res.io = 8 * KIB;
	bridge_of(hinted)->res.mem = 64 * MIB;
	bridge_of(hinted)->res.pref64 = 1 * GIB;
	r = add_req(add_dev(hinted), 0x10, PCI_KIND_MEM, 1 * MIB, 0);
	plain = add_bridge(0, pcie_hp);
	shpc = add_bridge(0, PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_HOTPLUG);
	zero = add_bridge(0, pcie_hp);
	bridge_of(zero)->res.mem = 0;
	bridge_of(zero)->res.pref32 = 0;
	nohp = add_bridge(0, PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF);
	assert_int_equal(run_checked(), 0);
	assert_int_equal(win(hinted, PCI_WIN_IO)->limit - win(hinted, PCI_WIN_IO)->base + 1,
			 8 * KIB);
	assert_int_equal(win(hinted, PCI_WIN_MEM)->limit - win(hinted, PCI_WIN_MEM)->base + 1,
			 64 * MIB);
	assert_int_equal(win(hinted, PCI_WIN_PREF)->limit - win(hinted, PCI_WIN_PREF)->base + 1,
			 1 * GIB);
	assert_true(inside(win(hinted, PCI_WIN_MEM), pa->out[r].addr, 1 * MIB));
	/* Empty PCIe hotplug port, no hints: 2 MiB mem and pref, no I/O. */
	assert_false(win(plain, PCI_WIN_IO)->enabled);
	assert_int_equal(win(plain, PCI_WIN_MEM)->limit - win(plain, PCI_WIN_MEM)->base + 1,
			 2 * MIB);
	assert_int_equal(win(plain, PCI_WIN_PREF)->limit - win(plain, PCI_WIN_PREF)->base + 1,
			 2 * MIB);
	/* Conventional hotplug bridge: also 4 KiB of I/O. */
	assert_int_equal(win(shpc, PCI_WIN_IO)->limit - win(shpc, PCI_WIN_IO)->base + 1, 4 * KIB);
	/* A hint of 0 means no reservation. */
	assert_false(win(zero, PCI_WIN_MEM)->enabled);
	assert_false(win(zero, PCI_WIN_PREF)->enabled);
	/* Not hotplug capable and empty: nothing. */
	assert_false(win(nohp, PCI_WIN_MEM)->enabled);
	assert_int_equal(pa->summary.reserves_dropped, 0);
}

/* A pref64 reservation too big for the 32-bit window puts the bridge window high. */
static void test_reserve_pref64_high(void **state)
{
	unsigned int sec, low;

	(void)state;
	setup_pc();
	sec = add_bridge(0, PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_PREF64 | PCI_BRIDGE_HOTPLUG |
				    PCI_BRIDGE_PCIE);
	bridge_of(sec)->res.pref64 = 8 * GIB;
	low = add_req(add_dev(sec), 0x10, PCI_KIND_PREF, 1 * MIB, PCI_REQ_64BIT | PCI_REQ_LOW);
	assert_int_equal(run_checked(), 0);
	assert_true(win(sec, PCI_WIN_PREF)->high);
	assert_int_equal(win(sec, PCI_WIN_PREF)->limit - win(sec, PCI_WIN_PREF)->base + 1, 8 * GIB);
	/* The must-stay-low BAR is in the bridge's low memory window. */
	assert_int_equal(pa->out[low].space, PCI_SPACE_MEM32);
	assert_true(inside(win(sec, PCI_WIN_MEM), pa->out[low].addr, 1 * MIB));
	assert_int_equal(pa->summary.moved_high, 1);
}

/* A pref32 hint keeps the prefetchable window below 4 GiB even when things move high. */
static void test_reserve_pref32_low(void **state)
{
	const uint8_t f = PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_PREF64;
	unsigned int pinned, other, r;

	(void)state;
	setup_pc();
	set_range(PCI_SPACE_MEM32, 0xE0000000, 0xF0000000);
	pinned = add_bridge(0, f);
	bridge_of(pinned)->res.pref32 = 32 * MIB;
	add_req(add_dev(pinned), 0x10, PCI_KIND_PREF, 16 * MIB, PCI_REQ_64BIT);
	other = add_bridge(0, f);
	r = add_req(add_dev(other), 0x10, PCI_KIND_PREF, 256 * MIB, PCI_REQ_64BIT);
	assert_int_equal(run_checked(), 0);
	assert_false(win(pinned, PCI_WIN_PREF)->high);
	assert_int_equal(win(pinned, PCI_WIN_PREF)->limit - win(pinned, PCI_WIN_PREF)->base + 1,
			 32 * MIB);
	assert_true(win(other, PCI_WIN_PREF)->high);
	assert_int_equal(pa->out[r].space, PCI_SPACE_MEM64);
}

/* I/O exhaustion: reservations go first, then I/O BARs; memory BARs are untouched. */
static void test_io_exhaustion(void **state)
{
	unsigned int i, sec[8], io[8], mem[8], shpc, dropped = 0;

	(void)state;
	setup_pc();
	set_range(PCI_SPACE_IO, 0xC000, 0x10000); /* 16 KiB: four bridge windows */
	shpc = add_bridge(0, PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HOTPLUG);
	for (i = 0; i < 6; i++) {
		unsigned int d;

		sec[i] = add_bridge(0, PCI_BRIDGE_HAS_IO | PCI_BRIDGE_HAS_PREF);
		d = add_dev(sec[i]);
		io[i] = add_req(d, 0x10, PCI_KIND_IO, 32, 0);
		mem[i] = add_req(d, 0x14, PCI_KIND_MEM, 16 * KIB, 0);
	}
	assert_int_equal(run_checked(), 2);
	assert_int_equal(pa->summary.reserves_dropped, 1);
	assert_false(win(shpc, PCI_WIN_IO)->enabled);
	assert_true(win(shpc, PCI_WIN_MEM)->enabled);
	for (i = 0; i < 6; i++) {
		assert_int_equal(pa->out[mem[i]].drop, PCI_DROP_NONE);
		if (pa->out[io[i]].drop == PCI_DROP_NO_SPACE) {
			dropped++;
			assert_false(win(sec[i], PCI_WIN_IO)->enabled);
		} else {
			assert_int_equal(pa->out[io[i]].drop, PCI_DROP_NONE);
		}
	}
	assert_int_equal(dropped, 2);
	pci_alloc_log(pa);
	assert_true(host_log_has("io size 0x20 not assigned: no room left in I/O"));
	assert_true(host_log_has("hotplug io reservation 0x1000 given up"));
	assert_true(host_log_has("2 dropped, 1 reservations given up"));
}

/* The I/O fallback range is used when the preferred one is full. */
static void test_io_second_range(void **state)
{
	unsigned int i, n_low = 0;

	(void)state;
	setup_pc();
	for (i = 0; i < 6; i++)
		add_req(add_dev(add_bridge(0, PCI_BRIDGE_HAS_IO)), 0x10, PCI_KIND_IO, 16, 0);
	assert_int_equal(run_checked(), 0);
	for (i = 1; i <= 6; i++)
		if (win(i, PCI_WIN_IO)->base < 0xA000)
			n_low++;
	assert_int_equal(n_low, 2);
}

/* 32-bit exhaustion with 32-bit BARs: some dropped with a message, the rest assigned. */
static void test_mem32_exhaustion(void **state)
{
	unsigned int i, r[6], ok = 0, nospace = 0, io;

	(void)state;
	setup_pc();
	set_range(PCI_SPACE_MEM32, 0xC0000000, 0xF0000000); /* 768 MiB */
	for (i = 0; i < 6; i++)
		r[i] = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 256 * MIB, 0);
	io = add_req(add_dev(0), 0x14, PCI_KIND_IO, 256, 0);
	assert_int_equal(run_checked(), 3);
	for (i = 0; i < 6; i++) {
		if (pa->out[r[i]].drop == PCI_DROP_NONE)
			ok++;
		else if (pa->out[r[i]].drop == PCI_DROP_NO_SPACE)
			nospace++;
	}
	assert_int_equal(ok, 3);
	assert_int_equal(nospace, 3);
	assert_int_equal(pa->out[io].drop, PCI_DROP_NONE);
	pci_alloc_log(pa);
	assert_true(
		host_log_has("mem size 0x10000000 not assigned: no room left in 32-bit memory"));
}

/* Must-stay-low BARs are never moved; if they cannot fit low they are dropped. */
static void test_must_stay_low(void **state)
{
	unsigned int low, movable, big_low;

	(void)state;
	setup_pc();
	set_range(PCI_SPACE_MEM32, 0xE0000000, 0xF0000000); /* 256 MiB */
	low = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 128 * MIB, PCI_REQ_64BIT | PCI_REQ_LOW);
	movable = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 64 * MIB, PCI_REQ_64BIT);
	big_low = add_req(add_dev(0), 0x10, PCI_KIND_PREF, 128 * MIB, PCI_REQ_64BIT | PCI_REQ_LOW);
	add_req(add_dev(0), 0x10, PCI_KIND_PREF, 128 * MIB, PCI_REQ_64BIT | PCI_REQ_LOW);
	assert_int_equal(run_checked(), 1);
	assert_int_equal(pa->out[low].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->out[movable].space, PCI_SPACE_MEM64);
	assert_int_equal(pa->out[big_low].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->summary.bytes[PCI_KIND_MEM], 192 * MIB);
}

/* Items moved high while the 32-bit space was over-full come back once drops make room. */
static void test_move_back_after_drop(void **state)
{
	unsigned int i, small, dropped = 0;

	(void)state;
	setup_pc();
	set_range(PCI_SPACE_MEM32, 0xE0000000, 0xF4000000); /* 320 MiB */
	for (i = 0; i < 3; i++)
		add_req(add_dev(0), 0x10, PCI_KIND_MEM, 128 * MIB, 0);
	small = add_req(add_dev(0), 0x18, PCI_KIND_PREF, 1 * MIB, PCI_REQ_64BIT);
	assert_int_equal(run_checked(), 1);
	for (i = 0; i < 3; i++)
		dropped += pa->out[i].drop == PCI_DROP_NO_SPACE;
	assert_int_equal(dropped, 1);
	assert_int_equal(pa->out[small].space, PCI_SPACE_MEM32);
	assert_int_equal(pa->summary.moved_high, 0);
}

/* A pxb root's resources are packed into one window per space, apart from bus 0's. */
static void test_pxb_grouped(void **state)
{
	unsigned int pxb, d, r[4], main_bar, sec, i;
	const struct pci_alloc_window *m;

	(void)state;
	setup_pc();
	main_bar = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 1 * MIB, 0);
	pxb = add_pxb(0x80);
	d = add_dev(pxb);
	r[0] = add_req(d, 0x10, PCI_KIND_MEM, 64 * KIB, 0);
	r[1] = add_req(d, 0x14, PCI_KIND_PREF, 4 * MIB, 0);
	r[2] = add_req(d, 0x18, PCI_KIND_IO, 64, 0);
	sec = add_bridge(pxb, PCI_BRIDGE_HAS_PREF | PCI_BRIDGE_PREF64);
	r[3] = add_req(add_dev(sec), 0x10, PCI_KIND_MEM, 2 * MIB, 0);
	add_req(add_dev(0), 0x10, PCI_KIND_PREF, 8 * MIB, 0);
	assert_int_equal(run_checked(), 0);
	m = win(pxb, PCI_WIN_MEM);
	assert_true(m->enabled);
	for (i = 0; i < 2; i++)
		assert_true(inside(m, pa->out[r[i]].addr, pa->out[r[i]].size));
	assert_true(inside(m, win(sec, PCI_WIN_MEM)->base, 2 * MIB));
	assert_true(inside(win(pxb, PCI_WIN_IO), pa->out[r[2]].addr, 64));
	assert_false(inside(m, pa->out[main_bar].addr, 1 * MIB));
	/* Packed: exactly the sum of its content (2 MiB window + 4 MiB + 64 KiB). */
	assert_true(m->limit - m->base + 1 <= 7 * MIB);
	assert_false(win(pxb, PCI_WIN_MEM64)->enabled);
}

/* Broken descriptions: bad requests and an inconsistent bridge are dropped and reported. */
static void test_invalid_input(void **state)
{
	unsigned int sec, bad_bar, bad_size, bad_dev, rom64, orphan, good, loop;

	(void)state;
	setup_pc();
	good = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 4 * KIB, 0);
	bad_bar = add_req(add_dev(0), 0x12, PCI_KIND_MEM, 4 * KIB, 0);
	bad_size = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 3 * KIB, 0);
	bad_dev = add_req(999, 0x10, PCI_KIND_MEM, 4 * KIB, 0);
	rom64 = add_req(add_dev(0), 0x30, PCI_KIND_MEM, 4 * KIB, PCI_REQ_64BIT);
	sec = add_bridge(0, PCI_BRIDGE_HAS_IO);
	bridge_of(sec)->secondary = 0; /* does not point back */
	orphan = add_req(add_dev(sec), 0x10, PCI_KIND_IO, 8, 0);
	/* Two bridges that sit behind each other: never reach a root. */
	loop = add_bridge(0, 0);
	pa->devs[bridge_of(loop)->dev].bus = (uint16_t)loop;
	add_req(add_dev(loop), 0x10, PCI_KIND_MEM, 4 * KIB, 0);
	assert_int_equal(run_checked(), 6);
	assert_int_equal(pa->out[good].drop, PCI_DROP_NONE);
	assert_int_equal(pa->out[bad_bar].drop, PCI_DROP_INVALID);
	assert_int_equal(pa->out[bad_size].drop, PCI_DROP_INVALID);
	assert_int_equal(pa->out[bad_dev].drop, PCI_DROP_INVALID);
	assert_int_equal(pa->out[rom64].drop, PCI_DROP_INVALID);
	assert_int_equal(pa->out[orphan].drop, PCI_DROP_UNREACHABLE);
	pci_alloc_log(pa);
	assert_true(host_log_has("is inconsistent; its windows stay closed"));
	assert_true(host_log_has("its bus is not connected to a root bus"));

	setup_pc();
	pa->buses[0].bridge = 0;
	assert_int_equal(pci_alloc_run(pa), -1);
	assert_true(host_log_has("bus index 0 is not a root bus"));
}

/* The log has one line per BAR, window lines and the summary. */
static void test_log(void **state)
{
	unsigned int sec;

	(void)state;
	setup_pc();
	add_req(add_dev(0), 0x10, PCI_KIND_MEM, 16 * MIB, 0);
	sec = add_bridge(0, PCI_BRIDGE_HAS_IO);
	add_req(add_dev(sec), 0x14, PCI_KIND_PREF, 1 * MIB, PCI_REQ_64BIT);
	add_req(add_dev(sec), 0x10, PCI_KIND_IO, 0x100, 0);
	assert_int_equal(run_checked(), 0);
	host_log_clear();
	pci_alloc_log(pa);
	assert_true(host_log_has("pci: 00:00.0 BAR 0x10 mem size 0x1000000 at 0xc0000000\n"));
	assert_true(host_log_has("BAR 0x14 pref64 size 0x100000 at 0xc1"));
	assert_true(host_log_has("pci: bus 01 io window 0xc000-0xcfff\n"));
	assert_true(host_log_has("pci: bus 01 mem window 0xc1"));
	assert_true(host_log_has("pci: 3 BARs assigned (io 0x100, mem 0x1000000, pref 0x100000 "
				 "bytes), 0 moved above 4G, 0 dropped"));
	assert_true(host_log_has("pci: 32-bit memory used 0xc0000000-0xc10fffff\n"));
}

/* The verifier rejects a corrupted assignment. */
static void test_verify_catches(void **state)
{
	unsigned int a, b, sec, c;

	(void)state;
	setup_pc();
	a = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 1 * MIB, 0);
	b = add_req(add_dev(0), 0x10, PCI_KIND_MEM, 1 * MIB, 0);
	sec = add_bridge(0, 0);
	c = add_req(add_dev(sec), 0x10, PCI_KIND_MEM, 1 * MIB, 0);
	assert_int_equal(run_checked(), 0);
	pa->out[b].addr = 0xF0000800;
	assert_int_equal(pci_alloc_verify(pa), -1);
	assert_true(host_log_has("misaligned"));
	pa->out[b].addr = pa->out[a].addr;
	assert_int_equal(pci_alloc_verify(pa), -1);
	assert_true(host_log_has("overlaps a sibling"));
	run_checked();
	pa->out[c].addr = win(sec, PCI_WIN_MEM)->limit + 1;
	assert_int_equal(pci_alloc_verify(pa), -1);
	assert_true(host_log_has("not inside its parent window"));
}

/* Subordinate bus numbers honour the bus reservation hint and the limit. */
static void test_subordinate(void **state)
{
	(void)state;
	assert_int_equal(pci_alloc_subordinate(3, 3, PCI_ALLOC_NO_HINT32, 255), 3);
	assert_int_equal(pci_alloc_subordinate(3, 5, PCI_ALLOC_NO_HINT32, 255), 5);
	assert_int_equal(pci_alloc_subordinate(3, 3, 4, 255), 7);
	assert_int_equal(pci_alloc_subordinate(3, 9, 4, 255), 9);
	assert_int_equal(pci_alloc_subordinate(250, 250, 100, 255), 255);
	assert_int_equal(pci_alloc_subordinate(3, 3, 100, 0x7f), 103);
	assert_int_equal(pci_alloc_subordinate(3, 3, 200, 0x7f), 0x7f);
	assert_int_equal(pci_alloc_subordinate(3, 3, 0, 255), 3);
}

/* xorshift64* PRNG for the property test. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* Random value in [0, n). */
static unsigned int rnd_below(uint64_t *s, unsigned int n)
{
	return (unsigned int)((rnd(s) >> 33) % n);
}

/* Random power of two 2^lo .. 2^hi. */
static uint64_t rnd_pow2(uint64_t *s, unsigned int lo, unsigned int hi)
{
	return 1ull << (lo + rnd_below(s, hi - lo + 1));
}

/* Random hint: mostly absent, sometimes 0, sometimes a size. */
static uint64_t rnd_hint(uint64_t *s, uint64_t none, unsigned int lo, unsigned int hi)
{
	unsigned int k = rnd_below(s, 6);

	if (k < 3)
		return none;
	if (k == 3)
		return 0;
	return rnd_pow2(s, lo, hi) * (1 + rnd_below(s, 3));
}

/* Build a random description from a seed. */
static void random_tree(uint64_t seed)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
	unsigned int i, nb, nd, npxb = rnd_below(&s, 3);
	unsigned int depth[PCI_ALLOC_MAX_BUSES] = {0};

	setup_pc();
	if (rnd_below(&s, 2))
		set_range(PCI_SPACE_IO, 0xC000, 0x10000);
	if (rnd_below(&s, 2)) {
		pa->nr_ranges[PCI_SPACE_MEM32] = 2;
		pa->ranges[PCI_SPACE_MEM32][0] = (struct pci_alloc_range){0x80000000, 0xB0000000};
		pa->ranges[PCI_SPACE_MEM32][1] = (struct pci_alloc_range){0xC0000000, 0xFEC00000};
	} else {
		set_range(PCI_SPACE_MEM32, 0xF0000000 - rnd_pow2(&s, 24, 30), 0xF0000000);
	}
	switch (rnd_below(&s, 3)) {
	case 0:
		pa->nr_ranges[PCI_SPACE_MEM64] = 0;
		break;
	case 1:
		set_range(PCI_SPACE_MEM64, 0x180000000, 0x180000000 + rnd_pow2(&s, 30, 38));
		break;
	default:
		break;
	}
	for (i = 0; i < npxb; i++)
		add_pxb((uint8_t)(0x40 * (i + 1)));
	nb = rnd_below(&s, 24);
	for (i = 0; i < nb; i++) {
		unsigned int parent = rnd_below(&s, pa->nr_buses), b;
		struct pci_alloc_bridge *br;

		if (depth[parent] >= 6)
			parent = 0;
		b = add_bridge(parent, (uint8_t)rnd_below(&s, 32));
		depth[b] = depth[parent] + 1;
		br = bridge_of(b);
		br->res.io = rnd_hint(&s, PCI_ALLOC_NO_HINT64, 10, 14);
		br->res.mem = (uint32_t)rnd_hint(&s, PCI_ALLOC_NO_HINT32, 18, 27);
		if (rnd_below(&s, 2))
			br->res.pref64 = rnd_hint(&s, PCI_ALLOC_NO_HINT64, 20, 34);
		else
			br->res.pref32 = (uint32_t)rnd_hint(&s, PCI_ALLOC_NO_HINT32, 18, 27);
		if (rnd_below(&s, 4) == 0)
			add_req(br->dev, 0x10, PCI_KIND_MEM, rnd_pow2(&s, 8, 16), 0);
	}
	nd = rnd_below(&s, 60);
	for (i = 0; i < nd; i++) {
		unsigned int d = add_dev(rnd_below(&s, pa->nr_buses)), k, nr = 1 + rnd_below(&s, 4);

		for (k = 0; k < nr; k++) {
			uint8_t bar = (uint8_t)(0x10 + 4 * rnd_below(&s, 5));
			unsigned int kind = rnd_below(&s, 3);
			uint8_t flags = 0;
			uint64_t size;

			if (kind == PCI_KIND_IO) {
				size = rnd_pow2(&s, 2, 8);
			} else {
				if (rnd_below(&s, 2))
					flags |= PCI_REQ_64BIT;
				if (rnd_below(&s, 8) == 0)
					flags |= PCI_REQ_LOW;
				size = rnd_below(&s, 10) == 0 ? rnd_pow2(&s, 28, 36)
							      : rnd_pow2(&s, 4, 24);
			}
			if (rnd_below(&s, 10) == 0) {
				bar = 0x30;
				kind = PCI_KIND_MEM;
				flags = 0;
				size = rnd_pow2(&s, 11, 18);
			}
			add_req(d, bar, (uint8_t)kind, size, flags);
		}
	}
}

/* Property: random trees always give a valid, non-overlapping, contained assignment. */
static void test_random_trees(void **state)
{
	unsigned int seed, total_dropped = 0, total_high = 0, total = 0;

	(void)state;
	for (seed = 0; seed < 600; seed++) {
		const char *err;
		int ret;

		random_tree(seed);
		ret = pci_alloc_run(pa);
		err = invariants();
		if (err)
			fail_msg("seed %u: %s", seed, err);
		assert_true(ret >= 0);
		assert_int_equal((unsigned int)ret, pa->summary.dropped);
		total_dropped += pa->summary.dropped;
		total_high += pa->summary.moved_high;
		total += pa->summary.assigned;
		pci_alloc_log(pa);
	}
	/* The generator must actually exercise placement, moving and dropping. */
	assert_true(total > 5000);
	assert_true(total_high > 50);
	assert_true(total_dropped > 20);
}

/* Property: a rerun over another run's leftovers (garbage in every output and private
 * array) gives exactly the result of a run on a zeroed struct. */
static void test_rerun_on_dirty_state(void **state)
{
	static struct pci_alloc_result out[PCI_ALLOC_MAX_REQS];
	static struct pci_alloc_window win[PCI_ALLOC_MAX_BUSES][PCI_WIN_COUNT];
	struct pci_alloc_summary sum;
	unsigned int seed;

	(void)state;
	for (seed = 0; seed < 300; seed++) {
		int ret;

		random_tree(seed);
		ret = pci_alloc_run(pa);
		memcpy(out, pa->out, pa->nr_reqs * sizeof(out[0]));
		memcpy(win, pa->win, pa->nr_buses * sizeof(win[0]));
		sum = pa->summary;
		memset(&pa->priv, (int)(0xA5 + seed), sizeof(pa->priv));
		memset(pa->out, 0x5A, sizeof(pa->out));
		memset(pa->win, 0x3C, sizeof(pa->win));
		memset(&pa->summary, 0xC3, sizeof(pa->summary));
		assert_int_equal(pci_alloc_run(pa), ret);
		if (memcmp(out, pa->out, pa->nr_reqs * sizeof(out[0])) ||
		    memcmp(win, pa->win, pa->nr_buses * sizeof(win[0])) ||
		    memcmp(&sum, &pa->summary, sizeof(sum)))
			fail_msg("seed %u: rerun over leftovers differs", seed);
	}
}

/* Run every test. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_low_when_room),
		cmocka_unit_test(test_high_on_overflow),
		cmocka_unit_test(test_huge_bar),
		cmocka_unit_test(test_huge_bar_no_high_window),
		cmocka_unit_test(test_bridge_windows),
		cmocka_unit_test(test_bridge_without_io_or_pref),
		cmocka_unit_test(test_nested_bridges),
		cmocka_unit_test(test_reserve_hints),
		cmocka_unit_test(test_reserve_pref64_high),
		cmocka_unit_test(test_reserve_pref32_low),
		cmocka_unit_test(test_io_exhaustion),
		cmocka_unit_test(test_io_second_range),
		cmocka_unit_test(test_mem32_exhaustion),
		cmocka_unit_test(test_must_stay_low),
		cmocka_unit_test(test_move_back_after_drop),
		cmocka_unit_test(test_pxb_grouped),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_verify_catches),
		cmocka_unit_test(test_subordinate),
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_rerun_on_dirty_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
