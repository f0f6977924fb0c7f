// SPDX-License-Identifier: MIT
/*
 * PCI resource allocation on a description of buses, bridges and BARs.
 *
 * Every bus has up to four pools (PCI_WIN_*). Each live request and each bus window is an
 * entry that belongs to one pool of its parent bus. A layout pass sizes the pools bottom-up
 * (deepest bus first): a pool's entries are sorted by alignment then size, both descending,
 * and laid out back to back, so natural alignment needs little padding. The pools of the main
 * root bus are then placed entry by entry into the caller's ranges. The policy loops (move to
 * 64-bit, give up reservations, drop BARs) change the inputs of the layout and re-run it.
 */
#include <stddef.h>
#include <string.h>

#include "log.h"
#include "pci-alloc.h"

#define NR_POOLS	(PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT)
#define NR_ENTRIES	(PCI_ALLOC_MAX_REQS + NR_POOLS)
#define POOL(bus, win)	((uint16_t)((bus)*PCI_WIN_COUNT + (win)))
#define WIN_ENTRY(pool) ((unsigned int)PCI_ALLOC_MAX_REQS + (pool))
#define NO_IDX		0xFFFF
/* Sizes saturate here; anything this big fits nowhere. */
#define SIZE_SAT (PCI_ALLOC_ADDR_LIMIT << 1)
#define FOUR_GIB 0x100000000ull

_Static_assert(NR_ENTRIES < NO_IDX, "entry indices must fit in uint16_t");
_Static_assert(PCI_ALLOC_MAX_BRIDGES < PCI_ALLOC_NONE, "bridge indices must fit in uint16_t");

/* priv.req_state */
#define RQ_HIGH	  0x01 /* moved to the 64-bit window */
#define RQ_PINNED 0x02 /* tried above 4 GiB, did not fit there */
#define RQ_STAYS  0x04 /* tried back below 4 GiB, did not fit there */

/* priv.bridge_state */
#define BR_INVALID  0x01
#define BR_HIGH	    0x02 /* prefetchable window moved above 4 GiB (top-level bridges) */
#define BR_EFF_HIGH 0x04 /* prefetchable window is above 4 GiB (inherited by nested bridges) */
#define BR_PINNED   0x08 /* tried above 4 GiB, did not fit there */
#define BR_LOW_HINT 0x10 /* pref32 reservation: keep the prefetchable window below 4 GiB */
#define BR_STAYS    0x20 /* tried back below 4 GiB, did not fit there */
#define BR_RES_GONE 0x40 /* shifted left by the window index: reservation given up */

/* priv.bus_state */
#define BUS_REACH   0x01 /* connected to a root through valid bridges */
#define BUS_IO	    0x02 /* I/O is forwarded to this bus */
#define BUS_HIGH_OK 0x04 /* a 64-bit prefetchable BAR here may go above 4 GiB */

static const char *const kind_name[PCI_KIND_COUNT] = {"io", "mem", "pref"};
static const char *const space_name[PCI_SPACE_COUNT] = {"I/O", "32-bit memory", "64-bit memory"};
static const char *const win_name[PCI_WIN_COUNT] = {"io", "mem", "pref", "mem64"};

/* Round x up to a multiple of 2^lg (x and 2^lg are far below 2^63). */
static uint64_t align_up(uint64_t x, unsigned int lg)
{
	uint64_t mask = (1ull << lg) - 1;

	return (x + mask) & ~mask;
}

/* log2 of a power of two. */
static unsigned int log2_pow2(uint64_t v)
{
	unsigned int lg = 0;

	while (v > 1) {
		v >>= 1;
		lg++;
	}
	return lg;
}

/* True for a root bus (main or pxb). */
static bool is_root(const struct pci_alloc *pa, unsigned int bus)
{
	return pa->buses[bus].bridge == PCI_ALLOC_NONE;
}

/* The bridge leading to a non-root bus. */
static const struct pci_alloc_bridge *bus_bridge(const struct pci_alloc *pa, unsigned int bus)
{
	return &pa->bridges[pa->buses[bus].bridge];
}

/* The bus a non-root bus hangs off. */
static unsigned int parent_bus(const struct pci_alloc *pa, unsigned int bus)
{
	return pa->devs[bus_bridge(pa, bus)->dev].bus;
}

/* State bits of the bridge leading to a non-root bus. */
static unsigned int bus_bridge_state(const struct pci_alloc *pa, unsigned int bus)
{
	return pa->priv.bridge_state[pa->buses[bus].bridge];
}

/* The address space a pool is placed in. */
static unsigned int pool_space(const struct pci_alloc *pa, unsigned int pool)
{
	unsigned int bus = pool / PCI_WIN_COUNT;

	switch (pool % PCI_WIN_COUNT) {
	case PCI_WIN_IO:
		return PCI_SPACE_IO;
	case PCI_WIN_MEM:
		return PCI_SPACE_MEM32;
	case PCI_WIN_PREF:
		return (bus_bridge_state(pa, bus) & BR_EFF_HIGH) ? PCI_SPACE_MEM64
								 : PCI_SPACE_MEM32;
	default:
		return PCI_SPACE_MEM64;
	}
}

/* The pool of its bus a live request belongs to. */
static uint16_t req_pool(const struct pci_alloc *pa, unsigned int r)
{
	const struct pci_alloc_req *q = &pa->reqs[r];
	unsigned int bus = pa->devs[q->dev].bus;
	unsigned int bst;

	if (q->kind == PCI_KIND_IO)
		return POOL(bus, PCI_WIN_IO);
	if (is_root(pa, bus))
		return POOL(bus, (pa->priv.req_state[r] & RQ_HIGH) ? PCI_WIN_MEM64 : PCI_WIN_MEM);
	if (q->kind == PCI_KIND_MEM || !(bus_bridge(pa, bus)->flags & PCI_BRIDGE_HAS_PREF))
		return POOL(bus, PCI_WIN_MEM);
	bst = bus_bridge_state(pa, bus);
	if (!(bst & BR_EFF_HIGH))
		return POOL(bus, PCI_WIN_PREF);
	if ((q->flags & PCI_REQ_64BIT) && !(q->flags & PCI_REQ_LOW))
		return POOL(bus, PCI_WIN_PREF);
	return POOL(bus, PCI_WIN_MEM);
}

/* True if a (reachable, non-main) bus has window win. */
static bool has_win(const struct pci_alloc *pa, unsigned int bus, unsigned int win)
{
	const struct pci_alloc_priv *p = &pa->priv;

	if (bus == 0 || !(p->bus_state[bus] & BUS_REACH))
		return false;
	if (is_root(pa, bus))
		return win != PCI_WIN_PREF;
	switch (win) {
	case PCI_WIN_IO:
		return p->bus_state[bus] & BUS_IO;
	case PCI_WIN_MEM:
		return true;
	case PCI_WIN_PREF:
		return bus_bridge(pa, bus)->flags & PCI_BRIDGE_HAS_PREF;
	default:
		return false;
	}
}

/* The parent pool of the window win of bus (which must have it). */
static uint16_t win_pool(const struct pci_alloc *pa, unsigned int bus, unsigned int win)
{
	unsigned int pb;

	if (is_root(pa, bus))
		return POOL(0, win);
	pb = parent_bus(pa, bus);
	if (win != PCI_WIN_PREF)
		return POOL(pb, win);
	if (is_root(pa, pb))
		return POOL(pb, (bus_bridge_state(pa, bus) & BR_EFF_HIGH) ? PCI_WIN_MEM64
									  : PCI_WIN_MEM);
	if (bus_bridge_state(pa, bus) & BR_EFF_HIGH)
		return POOL(pb, PCI_WIN_PREF);
	if ((bus_bridge(pa, pb)->flags & PCI_BRIDGE_HAS_PREF) &&
	    !(bus_bridge_state(pa, pb) & BR_EFF_HIGH))
		return POOL(pb, PCI_WIN_PREF);
	return POOL(pb, PCI_WIN_MEM);
}

/* log2 of the granularity of a window: bridge registers, or none for pxb roots. */
static unsigned int win_gran(const struct pci_alloc *pa, unsigned int bus, unsigned int win)
{
	if (is_root(pa, bus))
		return 0;
	return win == PCI_WIN_IO ? log2_pow2(PCI_ALLOC_BRIDGE_IO_GRAN)
				 : log2_pow2(PCI_ALLOC_BRIDGE_MEM_GRAN);
}

/* Reservation (minimum size) a bridge asks for, from its hint or the hotplug default. */
static uint64_t win_hint(const struct pci_alloc_bridge *br, unsigned int win)
{
	bool hp = br->flags & PCI_BRIDGE_HOTPLUG;

	switch (win) {
	case PCI_WIN_IO:
		if (br->res.io != PCI_ALLOC_NO_HINT64)
			return br->res.io;
		return (hp && !(br->flags & PCI_BRIDGE_PCIE)) ? PCI_ALLOC_HOTPLUG_IO : 0;
	case PCI_WIN_MEM:
		if (br->res.mem != PCI_ALLOC_NO_HINT32)
			return br->res.mem;
		return hp ? PCI_ALLOC_HOTPLUG_MEM : 0;
	default:
		if (br->res.pref64 != PCI_ALLOC_NO_HINT64 &&
		    ((br->flags & PCI_BRIDGE_PREF64) || br->res.pref32 == PCI_ALLOC_NO_HINT32))
			return br->res.pref64;
		if (br->res.pref32 != PCI_ALLOC_NO_HINT32)
			return br->res.pref32;
		return hp ? PCI_ALLOC_HOTPLUG_MEM : 0;
	}
}

/* Reservation of a window still in force, rounded to the window granularity. */
static uint64_t win_min(const struct pci_alloc *pa, unsigned int bus, unsigned int win)
{
	uint64_t v;

	if (is_root(pa, bus) || (bus_bridge_state(pa, bus) & (BR_RES_GONE << win)))
		return 0;
	v = win_hint(bus_bridge(pa, bus), win);
	if (v > SIZE_SAT)
		v = SIZE_SAT;
	return align_up(v, win_gran(pa, bus, win));
}

/* True if entry a sorts before entry b: larger alignment, then larger size, then index. */
static bool entry_before(const struct pci_alloc_priv *p, unsigned int a, unsigned int b)
{
	if (p->align[a] != p->align[b])
		return p->align[a] > p->align[b];
	if (p->size[a] != p->size[b])
		return p->size[a] > p->size[b];
	return a < b;
}

/* Restore the heap property below node i of a heap of n entries (largest "last" on top). */
static void sift_down(const struct pci_alloc_priv *p, uint16_t *v, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		uint16_t t;

		if (c >= n)
			return;
		if (c + 1 < n && entry_before(p, v[c], v[c + 1]))
			c++;
		if (!entry_before(p, v[i], v[c]))
			return;
		t = v[i];
		v[i] = v[c];
		v[c] = t;
		i = c;
	}
}

/* Heap-sort n entry indices into entry_before order (no recursion, no scratch). */
static void sort_entries(const struct pci_alloc_priv *p, uint16_t *v, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down(p, v, i, n);
	for (i = n; i-- > 1;) {
		uint16_t t = v[0];

		v[0] = v[i];
		v[i] = t;
		sift_down(p, v, 0, i);
	}
}

/* Largest range of a space. */
static uint64_t max_range(const struct pci_alloc *pa, unsigned int space)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < pa->priv.nr_ranges[space]; i++) {
		const struct pci_alloc_range *r = &pa->priv.ranges[space][i];

		if (r->end - r->start > m)
			m = r->end - r->start;
	}
	return m;
}

/* Copy the caller's ranges, clipped to each space and without overlaps between them. */
static void prepare_ranges(struct pci_alloc *pa)
{
	static const uint64_t lo[PCI_SPACE_COUNT] = {0, 0, FOUR_GIB};
	static const uint64_t hi[PCI_SPACE_COUNT] = {0x10000, FOUR_GIB, PCI_ALLOC_ADDR_LIMIT};
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int s, i, j;

	for (s = 0; s < PCI_SPACE_COUNT; s++) {
		unsigned int n = pa->nr_ranges[s];

		if (n > PCI_ALLOC_MAX_RANGES) {
			dlog(LOG_ERR, "pci-alloc: %u %s ranges given, using the first %u\n", n,
			     space_name[s], PCI_ALLOC_MAX_RANGES);
			n = PCI_ALLOC_MAX_RANGES;
		}
		for (i = 0; i < n; i++) {
			struct pci_alloc_range r = pa->ranges[s][i];
			bool ok = true;

			if (r.start < lo[s])
				r.start = lo[s];
			if (r.end > hi[s])
				r.end = hi[s];
			if (r.start >= r.end)
				continue;
			for (j = 0; j < p->nr_ranges[s]; j++)
				if (r.start < p->ranges[s][j].end && p->ranges[s][j].start < r.end)
					ok = false;
			if (!ok) {
				dlog(LOG_ERR,
				     "pci-alloc: %s range 0x%llx-0x%llx overlaps an earlier one, "
				     "ignoring it\n",
				     space_name[s], (unsigned long long)r.start,
				     (unsigned long long)r.end);
				continue;
			}
			p->ranges[s][p->nr_ranges[s]++] = r;
		}
	}
}

/* Check bridges and compute reachability, depth and per-bus capabilities. */
static void prepare_topology(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int i, b, d, n = 0, max_depth = 0;

	for (i = 0; i < pa->nr_bridges; i++) {
		const struct pci_alloc_bridge *br = &pa->bridges[i];

		if (br->dev >= pa->nr_devs || br->secondary >= pa->nr_buses || br->secondary == 0 ||
		    pa->buses[br->secondary].bridge != i || pa->devs[br->dev].bus >= pa->nr_buses ||
		    pa->devs[br->dev].bus == br->secondary)
			p->bridge_state[i] |= BR_INVALID;
		else if (br->res.pref32 != PCI_ALLOC_NO_HINT32 &&
			 (br->res.pref64 == PCI_ALLOC_NO_HINT64 ||
			  !(br->flags & PCI_BRIDGE_PREF64)))
			p->bridge_state[i] |= BR_LOW_HINT;
	}
	for (b = 0; b < pa->nr_buses; b++) {
		unsigned int cur = b, steps;

		for (steps = 0; steps <= pa->nr_buses; steps++) {
			unsigned int br = pa->buses[cur].bridge;

			if (br == PCI_ALLOC_NONE) {
				p->bus_state[b] |= BUS_REACH;
				p->bus_depth[b] = (uint16_t)(steps + (cur != 0));
				break;
			}
			if (br >= pa->nr_bridges || (p->bridge_state[br] & BR_INVALID))
				break;
			cur = pa->devs[pa->bridges[br].dev].bus;
		}
		if (p->bus_depth[b] > max_depth)
			max_depth = p->bus_depth[b];
	}
	for (d = 0; d <= max_depth; d++)
		for (b = 0; b < pa->nr_buses; b++)
			if ((p->bus_state[b] & BUS_REACH) && p->bus_depth[b] == d)
				p->bus_order[n++] = (uint16_t)b;
	p->nr_order = (uint16_t)n;
	for (i = 0; i < n; i++) {
		unsigned int pb, f;

		b = p->bus_order[i];
		if (is_root(pa, b)) {
			p->bus_state[b] |= BUS_IO | BUS_HIGH_OK;
			continue;
		}
		pb = parent_bus(pa, b);
		f = bus_bridge(pa, b)->flags;
		if ((f & PCI_BRIDGE_HAS_IO) && (p->bus_state[pb] & BUS_IO))
			p->bus_state[b] |= BUS_IO;
		if ((f & PCI_BRIDGE_HAS_PREF) && (f & PCI_BRIDGE_PREF64) &&
		    !(bus_bridge_state(pa, b) & BR_LOW_HINT) && (p->bus_state[pb] & BUS_HIGH_OK))
			p->bus_state[b] |= BUS_HIGH_OK;
	}
}

/* True if a request may be placed above 4 GiB in some layout. */
static bool req_can_go_high(const struct pci_alloc *pa, const struct pci_alloc_req *q)
{
	unsigned int bus = pa->devs[q->dev].bus;

	if (q->kind == PCI_KIND_IO || !(q->flags & PCI_REQ_64BIT) || (q->flags & PCI_REQ_LOW))
		return false;
	if (is_root(pa, bus))
		return true;
	return q->kind == PCI_KIND_PREF && (pa->priv.bus_state[bus] & BUS_HIGH_OK);
}

/* Why a request cannot be placed at all, or PCI_DROP_NONE. */
static unsigned int check_req(const struct pci_alloc *pa, const struct pci_alloc_req *q,
			      uint64_t size)
{
	bool rom = q->bar == 0x30 || q->bar == 0x38;
	unsigned int bus;
	uint64_t room;

	if (q->dev >= pa->nr_devs || q->kind >= PCI_KIND_COUNT || (q->flags & ~0x03u))
		return PCI_DROP_INVALID;
	if (!rom && (q->bar < 0x10 || q->bar > 0x24 || (q->bar & 3)))
		return PCI_DROP_INVALID;
	if ((q->flags & PCI_REQ_64BIT) && (rom || q->kind == PCI_KIND_IO || q->bar == 0x24))
		return PCI_DROP_INVALID;
	if ((rom && q->kind == PCI_KIND_IO) || q->size == 0 || (q->size & (q->size - 1)))
		return PCI_DROP_INVALID;
	bus = pa->devs[q->dev].bus;
	if (bus >= pa->nr_buses || !(pa->priv.bus_state[bus] & BUS_REACH))
		return PCI_DROP_UNREACHABLE;
	if (q->kind == PCI_KIND_IO) {
		if (!(pa->priv.bus_state[bus] & BUS_IO))
			return PCI_DROP_NO_IO_WIN;
		room = max_range(pa, PCI_SPACE_IO);
	} else {
		room = max_range(pa, PCI_SPACE_MEM32);
		if (req_can_go_high(pa, q) && max_range(pa, PCI_SPACE_MEM64) > room)
			room = max_range(pa, PCI_SPACE_MEM64);
	}
	if (size > room)
		return PCI_DROP_TOO_BIG;
	return PCI_DROP_NONE;
}

/* Validate requests, raise their sizes, and give up reservations that fit nowhere. */
static void prepare_reqs(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int r, i, w;

	for (r = 0; r < pa->nr_reqs; r++) {
		const struct pci_alloc_req *q = &pa->reqs[r];
		uint64_t size = q->size;
		uint64_t min = q->kind == PCI_KIND_IO ? PCI_ALLOC_IO_MIN : PCI_ALLOC_MEM_MIN;

		if (size && !(size & (size - 1)) && size < min)
			size = min;
		pa->out[r].size = size;
		pa->out[r].space = q->kind == PCI_KIND_IO ? PCI_SPACE_IO : PCI_SPACE_MEM32;
		pa->out[r].drop = (uint8_t)check_req(pa, q, size);
		if (pa->out[r].drop == PCI_DROP_NONE) {
			p->size[r] = size;
			p->align[r] = (uint8_t)log2_pow2(size);
		}
	}
	for (i = 0; i < pa->nr_bridges; i++) {
		unsigned int sec = pa->bridges[i].secondary;

		if (p->bridge_state[i] & BR_INVALID || !(p->bus_state[sec] & BUS_REACH))
			continue;
		for (w = PCI_WIN_IO; w <= PCI_WIN_PREF; w++) {
			uint64_t room =
				max_range(pa, w == PCI_WIN_IO ? PCI_SPACE_IO : PCI_SPACE_MEM32);

			if (w == PCI_WIN_PREF && (p->bus_state[sec] & BUS_HIGH_OK) &&
			    max_range(pa, PCI_SPACE_MEM64) > room)
				room = max_range(pa, PCI_SPACE_MEM64);
			if (has_win(pa, sec, w) && win_min(pa, sec, w) > room) {
				p->bridge_state[i] |= (uint16_t)(BR_RES_GONE << w);
				pa->summary.reserves_dropped++;
			}
		}
	}
}

/* Mark which prefetchable windows are above 4 GiB: chosen top-level ones and their heirs. */
static void propagate_high(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int i;

	for (i = 0; i < p->nr_order; i++) {
		unsigned int b = p->bus_order[i], br, pb;
		bool high;

		if (is_root(pa, b))
			continue;
		br = pa->buses[b].bridge;
		pb = parent_bus(pa, b);
		if (is_root(pa, pb))
			high = p->bridge_state[br] & BR_HIGH;
		else
			high = bus_bridge_state(pa, pb) & BR_EFF_HIGH;
		high = high && (p->bus_state[b] & BUS_HIGH_OK);
		p->bridge_state[br] &= (uint16_t)~BR_EFF_HIGH;
		if (high)
			p->bridge_state[br] |= BR_EFF_HIGH;
	}
}

/* Count entry e in its parent pool (fill == false), or file it into order[] (fill == true). */
static void file_entry(struct pci_alloc_priv *p, unsigned int e, bool fill)
{
	unsigned int pool = p->parent[e];

	if (pool == NO_IDX)
		return;
	if (fill)
		p->order[--p->first[pool]] = (uint16_t)e;
	else
		p->first[pool]++;
}

/* Group live entries by parent pool (counting sort into order[] and first[]). */
static void group_entries(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int r, b, w, pass, pool, nr_pools = pa->nr_buses * PCI_WIN_COUNT;

	for (r = 0; r < pa->nr_reqs; r++)
		p->parent[r] = pa->out[r].drop == PCI_DROP_NONE ? req_pool(pa, r) : NO_IDX;
	for (b = 0; b < pa->nr_buses; b++)
		for (w = 0; w < PCI_WIN_COUNT; w++)
			p->parent[WIN_ENTRY(POOL(b, w))] =
				has_win(pa, b, w) ? win_pool(pa, b, w) : NO_IDX;
	memset(p->first, 0, (nr_pools + 1) * sizeof(p->first[0]));
	for (pass = 0; pass < 2; pass++) {
		for (r = 0; r < pa->nr_reqs; r++)
			file_entry(p, r, pass);
		for (pool = 0; pool < nr_pools; pool++)
			file_entry(p, WIN_ENTRY(pool), pass);
		if (pass)
			break;
		/* Inclusive prefix sums: first[pool] is the end of pool, filled downwards. */
		for (pool = 1; pool <= nr_pools; pool++)
			p->first[pool] = (uint16_t)(p->first[pool] + p->first[pool - 1]);
	}
}

/* Sort and lay out the entries of one pool; returns the pool's content size. */
static uint64_t layout_pool(struct pci_alloc *pa, unsigned int pool, unsigned int *max_align)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int i, lo = p->first[pool], hi = p->first[pool + 1];
	uint64_t off = 0;

	*max_align = 0;
	sort_entries(p, &p->order[lo], hi - lo);
	for (i = lo; i < hi; i++) {
		unsigned int e = p->order[i];

		if (!p->size[e])
			continue;
		off = align_up(off, p->align[e]);
		p->off[e] = off;
		off += p->size[e];
		if (off > SIZE_SAT)
			off = SIZE_SAT;
		if (p->align[e] > *max_align)
			*max_align = p->align[e];
	}
	return off;
}

/* Size every pool bottom-up and the windows that hold them. */
static void layout(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int i, w, n = p->nr_order;

	propagate_high(pa);
	group_entries(pa);
	for (i = n; i-- > 0;) {
		unsigned int b = p->bus_order[i];

		for (w = 0; w < PCI_WIN_COUNT; w++) {
			unsigned int pool = POOL(b, w), e = WIN_ENTRY(pool), ma, g;
			uint64_t size;

			p->content[pool] = layout_pool(pa, pool, &ma);
			p->size[e] = 0;
			p->align[e] = 0;
			if (!has_win(pa, b, w))
				continue;
			g = win_gran(pa, b, w);
			size = align_up(p->content[pool], g);
			if (win_min(pa, b, w) > size)
				size = win_min(pa, b, w);
			p->size[e] = size;
			p->align[e] = (uint8_t)(ma > g ? ma : g);
			p->space[e] = (uint8_t)pool_space(pa, pool);
		}
	}
	for (i = 0; i < pa->nr_reqs; i++)
		if (p->parent[i] != NO_IDX)
			p->space[i] = (uint8_t)pool_space(pa, p->parent[i]);
}

/* Place the main root's pool for a space into the caller's ranges; first misfit or NO_IDX. */
static uint16_t place_root(struct pci_alloc *pa, unsigned int space)
{
	static const unsigned int root_win[PCI_SPACE_COUNT] = {PCI_WIN_IO, PCI_WIN_MEM,
							       PCI_WIN_MEM64};
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int pool = POOL(0, root_win[space]), i, k;
	uint64_t cur[PCI_ALLOC_MAX_RANGES];
	uint16_t fail = NO_IDX;

	for (k = 0; k < p->nr_ranges[space]; k++)
		cur[k] = p->ranges[space][k].start;
	for (i = p->first[pool]; i < p->first[pool + 1]; i++) {
		unsigned int e = p->order[i];
		bool placed = false;

		if (!p->size[e])
			continue;
		for (k = 0; k < p->nr_ranges[space] && !placed; k++) {
			uint64_t a = align_up(cur[k], p->align[e]);
			uint64_t end = p->ranges[space][k].end;

			if (a <= end && p->size[e] <= end - a) {
				p->off[e] = a;
				cur[k] = a + p->size[e];
				placed = true;
			}
		}
		if (!placed && fail == NO_IDX)
			fail = (uint16_t)e;
	}
	return fail;
}

/* Lay everything out and try to place it; fills priv.fail. Returns true if all fits. */
static bool attempt(struct pci_alloc *pa)
{
	unsigned int s;
	bool ok = true;

	layout(pa);
	for (s = 0; s < PCI_SPACE_COUNT; s++) {
		pa->priv.fail[s] = place_root(pa, s);
		if (pa->priv.fail[s] != NO_IDX)
			ok = false;
	}
	return ok;
}

/* Biggest BAR or bridge window that may still move above 4 GiB, as an entry, or NO_IDX. */
static unsigned int pick_mover(const struct pci_alloc *pa)
{
	const struct pci_alloc_priv *p = &pa->priv;
	unsigned int r, i, best = NO_IDX;
	uint64_t best_size = 0;

	for (r = 0; r < pa->nr_reqs; r++) {
		const struct pci_alloc_req *q = &pa->reqs[r];

		if (pa->out[r].drop != PCI_DROP_NONE || (p->req_state[r] & (RQ_HIGH | RQ_PINNED)) ||
		    !is_root(pa, pa->devs[q->dev].bus) || !req_can_go_high(pa, q))
			continue;
		if (p->size[r] > best_size) {
			best = r;
			best_size = p->size[r];
		}
	}
	for (i = 0; i < pa->nr_bridges; i++) {
		unsigned int sec = pa->bridges[i].secondary, e;

		if (p->bridge_state[i] & (BR_INVALID | BR_HIGH | BR_PINNED) ||
		    !(p->bus_state[sec] & BUS_HIGH_OK) || !has_win(pa, sec, PCI_WIN_PREF) ||
		    !is_root(pa, parent_bus(pa, sec)))
			continue;
		e = WIN_ENTRY(POOL(sec, PCI_WIN_PREF));
		if (p->size[e] > best_size) {
			best = e;
			best_size = p->size[e];
		}
	}
	return best;
}

/* Move a BAR (entry < MAX_REQS) or a bridge's prefetchable window high, or back low; a
 * failed move is remembered (flag) so it is not tried again. */
static void set_high(struct pci_alloc *pa, unsigned int e, bool high, unsigned int flag)
{
	struct pci_alloc_priv *p = &pa->priv;

	if (e < PCI_ALLOC_MAX_REQS) {
		p->req_state[e] =
			(uint8_t)((p->req_state[e] & ~RQ_HIGH) | (high ? RQ_HIGH : 0) | flag);
		return;
	}
	e = pa->buses[(e - PCI_ALLOC_MAX_REQS) / PCI_WIN_COUNT].bridge;
	p->bridge_state[e] =
		(uint16_t)((p->bridge_state[e] & ~BR_HIGH) | (high ? BR_HIGH : 0) | flag);
}

/* Move 64-bit capable items above 4 GiB, biggest first, until the 32-bit space fits. */
static void move_high(struct pci_alloc *pa)
{
	unsigned int moved = NO_IDX;

	for (;;) {
		attempt(pa);
		if (moved != NO_IDX && pa->priv.fail[PCI_SPACE_MEM64] != NO_IDX) {
			set_high(pa, moved, false,
				 moved < PCI_ALLOC_MAX_REQS ? RQ_PINNED : BR_PINNED);
			pa->summary.moved_high--;
			moved = NO_IDX;
			continue;
		}
		if (pa->priv.fail[PCI_SPACE_MEM32] == NO_IDX)
			return;
		moved = pick_mover(pa);
		if (moved == NO_IDX)
			return;
		set_high(pa, moved, true, 0);
		pa->summary.moved_high++;
	}
}

/* Smallest item moved above 4 GiB not yet tried back below, as an entry, or NO_IDX. */
static unsigned int pick_returner(const struct pci_alloc *pa)
{
	const struct pci_alloc_priv *p = &pa->priv;
	unsigned int r, i, best = NO_IDX;

	for (r = 0; r < pa->nr_reqs; r++)
		if (pa->out[r].drop == PCI_DROP_NONE &&
		    (p->req_state[r] & (RQ_HIGH | RQ_STAYS)) == RQ_HIGH &&
		    (best == NO_IDX || p->size[r] < p->size[best]))
			best = r;
	for (i = 0; i < pa->nr_bridges; i++) {
		unsigned int e = WIN_ENTRY(POOL(pa->bridges[i].secondary, PCI_WIN_PREF));

		if ((p->bridge_state[i] & (BR_HIGH | BR_STAYS)) == BR_HIGH &&
		    (best == NO_IDX || p->size[e] < p->size[best]))
			best = e;
	}
	return best;
}

/* After drops freed 32-bit space, bring moved items back below 4 GiB, smallest first. */
static void move_back_low(struct pci_alloc *pa)
{
	unsigned int e;

	while ((e = pick_returner(pa)) != NO_IDX) {
		set_high(pa, e, false, 0);
		if (attempt(pa)) {
			pa->summary.moved_high--;
			continue;
		}
		set_high(pa, e, true, e < PCI_ALLOC_MAX_REQS ? RQ_STAYS : BR_STAYS);
		attempt(pa);
	}
}

/* Give up the largest hotplug reservation that inflates a window in space; false if none. */
static bool drop_reservation(struct pci_alloc *pa, unsigned int space)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int i, w, best_b = 0, best_w = 0;
	uint64_t best = 0;

	for (i = 0; i < p->nr_order; i++) {
		unsigned int b = p->bus_order[i];

		for (w = PCI_WIN_IO; w <= PCI_WIN_PREF; w++) {
			unsigned int pool = POOL(b, w);
			uint64_t used, min;

			if (is_root(pa, b) || !has_win(pa, b, w) || pool_space(pa, pool) != space)
				continue;
			used = align_up(p->content[pool], win_gran(pa, b, w));
			min = win_min(pa, b, w);
			if (min > used && min - used > best) {
				best = min - used;
				best_b = b;
				best_w = w;
			}
		}
	}
	if (!best)
		return false;
	p->bridge_state[pa->buses[best_b].bridge] |= (uint16_t)(BR_RES_GONE << best_w);
	pa->summary.reserves_dropped++;
	return true;
}

/* Drop the biggest request inside entry e (e itself if it is a request); a window that only
 * its reservation keeps open gives that up instead. */
static void drop_inside(struct pci_alloc *pa, unsigned int e)
{
	struct pci_alloc_priv *p = &pa->priv;

	while (e >= PCI_ALLOC_MAX_REQS) {
		unsigned int pool = e - PCI_ALLOC_MAX_REQS, i, best = NO_IDX;

		for (i = p->first[pool]; i < p->first[pool + 1]; i++) {
			unsigned int c = p->order[i];

			if (p->size[c] && (best == NO_IDX || p->size[c] > p->size[best]))
				best = c;
		}
		if (best == NO_IDX) {
			unsigned int bus = pool / PCI_WIN_COUNT;

			p->bridge_state[pa->buses[bus].bridge] |=
				(uint16_t)(BR_RES_GONE << (pool % PCI_WIN_COUNT));
			pa->summary.reserves_dropped++;
			return;
		}
		e = best;
	}
	pa->out[e].drop = PCI_DROP_NO_SPACE;
	pa->out[e].space = p->space[e];
}

/* Give up reservations, then BARs, until every space fits. */
static void drop_until_fit(struct pci_alloc *pa)
{
	unsigned int s;

	while (!attempt(pa)) {
		for (s = 0; s < PCI_SPACE_COUNT; s++) {
			if (pa->priv.fail[s] == NO_IDX)
				continue;
			if (!drop_reservation(pa, s))
				drop_inside(pa, pa->priv.fail[s]);
		}
	}
}

/* Turn pool-relative offsets into addresses, top-down. */
static void resolve(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	unsigned int i, w, k, n = p->nr_order;

	for (i = 0; i < n; i++) {
		unsigned int b = p->bus_order[i];

		if (b == 0)
			continue;
		for (w = 0; w < PCI_WIN_COUNT; w++) {
			unsigned int pool = POOL(b, w);
			uint64_t base = p->off[WIN_ENTRY(pool)];

			if (!has_win(pa, b, w) || !p->size[WIN_ENTRY(pool)])
				continue;
			for (k = p->first[pool]; k < p->first[pool + 1]; k++)
				p->off[p->order[k]] += base;
		}
	}
}

/* Note an assigned range in the summary. */
static void note_used(struct pci_alloc_summary *sum, unsigned int space, uint64_t a, uint64_t size)
{
	if (a < sum->lowest[space])
		sum->lowest[space] = a;
	if (a + size - 1 > sum->highest[space])
		sum->highest[space] = a + size - 1;
}

/* Fill out[], win[] and the summary from the final layout. */
static void fill_output(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	struct pci_alloc_summary *sum = &pa->summary;
	unsigned int r, b, w;

	for (r = 0; r < pa->nr_reqs; r++) {
		struct pci_alloc_result *o = &pa->out[r];

		if (o->drop != PCI_DROP_NONE) {
			sum->dropped++;
			continue;
		}
		o->addr = p->off[r];
		o->space = p->space[r];
		sum->assigned++;
		sum->bytes[pa->reqs[r].kind] += o->size;
		note_used(sum, o->space, o->addr, o->size);
	}
	for (b = 1; b < pa->nr_buses; b++) {
		for (w = 0; w < PCI_WIN_COUNT; w++) {
			struct pci_alloc_window *win = &pa->win[b][w];
			unsigned int e = WIN_ENTRY(POOL(b, w));

			if (!has_win(pa, b, w) || !p->size[e])
				continue;
			win->base = p->off[e];
			win->limit = p->off[e] + p->size[e] - 1;
			win->enabled = true;
			win->high = p->space[e] == PCI_SPACE_MEM64;
			note_used(sum, p->space[e], win->base, p->size[e]);
		}
	}
}

/* True if the description's counts are within the fixed limits. */
static bool within_limits(const struct pci_alloc *pa)
{
	return pa->nr_buses <= PCI_ALLOC_MAX_BUSES && pa->nr_devs <= PCI_ALLOC_MAX_DEVS &&
	       pa->nr_bridges <= PCI_ALLOC_MAX_BRIDGES && pa->nr_reqs <= PCI_ALLOC_MAX_REQS;
}

/* Zero the private state a run of this description can read: the entries of its requests
 * and of its buses' pools, and the per-bus and per-bridge state. */
static void clear_priv_used(struct pci_alloc *pa)
{
	struct pci_alloc_priv *p = &pa->priv;
	size_t r = pa->nr_reqs, w = (size_t)pa->nr_buses * PCI_WIN_COUNT, e = WIN_ENTRY(0);

	memset(p->size, 0, r * sizeof(p->size[0]));
	memset(p->off, 0, r * sizeof(p->off[0]));
	memset(p->parent, 0, r * sizeof(p->parent[0]));
	memset(p->align, 0, r * sizeof(p->align[0]));
	memset(p->space, 0, r * sizeof(p->space[0]));
	memset(p->size + e, 0, w * sizeof(p->size[0]));
	memset(p->off + e, 0, w * sizeof(p->off[0]));
	memset(p->parent + e, 0, w * sizeof(p->parent[0]));
	memset(p->align + e, 0, w * sizeof(p->align[0]));
	memset(p->space + e, 0, w * sizeof(p->space[0]));
	memset(p->order, 0, (r + w) * sizeof(p->order[0]));
	memset(p->first, 0, (w + 1) * sizeof(p->first[0]));
	memset(p->content, 0, w * sizeof(p->content[0]));
	memset(p->req_state, 0, r * sizeof(p->req_state[0]));
	memset(p->bridge_state, 0, pa->nr_bridges * sizeof(p->bridge_state[0]));
	memset(p->bus_state, 0, pa->nr_buses * sizeof(p->bus_state[0]));
	memset(p->bus_depth, 0, pa->nr_buses * sizeof(p->bus_depth[0]));
	memset(p->bus_order, 0, pa->nr_buses * sizeof(p->bus_order[0]));
	p->nr_order = 0;
	memset(p->fail, 0, sizeof(p->fail));
	memset(p->nr_ranges, 0, sizeof(p->nr_ranges));
	memset(p->ranges, 0, sizeof(p->ranges));
}

/* Disable every window of buses [0, nr): base > limit, ready for the bridge registers. */
static void clear_windows(struct pci_alloc *pa, unsigned int nr)
{
	static const struct pci_alloc_window off[PCI_WIN_COUNT] = {
		[PCI_WIN_IO] = {0xF000, 0x0FFF, false, false},
		[PCI_WIN_MEM] = {0xFFF00000, 0x000FFFFF, false, false},
		[PCI_WIN_PREF] = {0xFFF00000, 0x000FFFFF, false, false},
		[PCI_WIN_MEM64] = {0xFFF00000, 0x000FFFFF, false, false},
	};
	unsigned int b;

	for (b = 0; b < nr; b++)
		memcpy(pa->win[b], off, sizeof(off));
}

/* Reset the outputs: nothing assigned, every window disabled. Within the limits only what
 * this description can reach is cleared (out[] of its requests, win[] of its buses). */
static void clear_output(struct pci_alloc *pa)
{
	unsigned int s;

	if (within_limits(pa)) {
		clear_priv_used(pa);
		memset(pa->out, 0, pa->nr_reqs * sizeof(pa->out[0]));
		clear_windows(pa, pa->nr_buses);
	} else {
		memset(&pa->priv, 0, sizeof(pa->priv));
		memset(pa->out, 0, sizeof(pa->out));
		clear_windows(pa, PCI_ALLOC_MAX_BUSES);
	}
	memset(&pa->summary, 0, sizeof(pa->summary));
	for (s = 0; s < PCI_SPACE_COUNT; s++)
		pa->summary.lowest[s] = ~0ull;
}

/* Validate, move 64-bit items high as needed, drop what does not fit, then assign. */
int pci_alloc_run(struct pci_alloc *pa)
{
	clear_output(pa);
	if (!within_limits(pa)) {
		dlog(LOG_ERR,
		     "pci-alloc: description exceeds the fixed limits (%u buses, %u devs, "
		     "%u bridges, %u BARs), assigning nothing\n",
		     pa->nr_buses, pa->nr_devs, pa->nr_bridges, pa->nr_reqs);
		return -1;
	}
	if (pa->nr_buses == 0 || pa->buses[0].bridge != PCI_ALLOC_NONE) {
		dlog(LOG_ERR, "pci-alloc: bus index 0 is not a root bus, assigning nothing\n");
		return -1;
	}
	prepare_ranges(pa);
	prepare_topology(pa);
	prepare_reqs(pa);
	move_high(pa);
	drop_until_fit(pa);
	move_back_low(pa);
	resolve(pa);
	fill_output(pa);
	return (int)pa->summary.dropped;
}

/* Text for a drop reason, saying what happens instead. */
static const char *drop_text(unsigned int why)
{
	switch (why) {
	case PCI_DROP_INVALID:
		return "invalid description (offset, kind, flags or size)";
	case PCI_DROP_UNREACHABLE:
		return "its bus is not connected to a root bus";
	case PCI_DROP_NO_IO_WIN:
		return "a bridge above it forwards no I/O";
	case PCI_DROP_TOO_BIG:
		return "larger than every usable window";
	default:
		return "no room left";
	}
}

/* "00:1f.2" style fields of a bdf. */
#define BDF_ARGS(bdf)                                                                              \
	(unsigned int)((bdf) >> 8), (unsigned int)(((bdf) >> 3) & 0x1f), (unsigned int)((bdf)&7)

/* A 64-bit BAR that fits neither the 64-bit window nor 32-bit memory: name the window and its
 * bounds (log_reqs then says once what sets them). */
static void log_full_window64(const struct pci_alloc *pa, unsigned int bdf,
			      const struct pci_alloc_req *q, const struct pci_alloc_result *o)
{
	const struct pci_alloc_range *r = pa->ranges[PCI_SPACE_MEM64];
	unsigned int n = pa->nr_ranges[PCI_SPACE_MEM64];

	dlog(LOG_ERR,
	     "pci: %02x:%02x.%x BAR 0x%02x size 0x%llx not assigned: the 64-bit window "
	     "0x%llx-0x%llx has no room for it, nor has 32-bit memory; left disabled\n",
	     BDF_ARGS(bdf), q->bar, (unsigned long long)o->size, (unsigned long long)r[0].start,
	     (unsigned long long)r[n - 1].end - 1);
}

/* Log requests, one line each (dropped ones as errors). */
static void log_reqs(const struct pci_alloc *pa)
{
	unsigned int r;

	bool window_full = false;

	for (r = 0; r < pa->nr_reqs; r++) {
		const struct pci_alloc_req *q = &pa->reqs[r];
		const struct pci_alloc_result *o = &pa->out[r];
		unsigned int bdf = q->dev < pa->nr_devs ? pa->devs[q->dev].bdf : 0xFFFF;
		const char *kind = q->kind < PCI_KIND_COUNT ? kind_name[q->kind] : "?";

		if ((o->drop == PCI_DROP_NO_SPACE || o->drop == PCI_DROP_TOO_BIG) &&
		    (q->flags & PCI_REQ_64BIT) && pa->nr_ranges[PCI_SPACE_MEM64]) {
			log_full_window64(pa, bdf, q, o);
			window_full = true;
		} else if (o->drop != PCI_DROP_NONE)
			dlog(LOG_ERR,
			     "pci: %02x:%02x.%x BAR 0x%02x %s size 0x%llx not assigned: %s in %s; "
			     "left disabled, the device runs without it\n",
			     BDF_ARGS(bdf), q->bar, kind, (unsigned long long)o->size,
			     drop_text(o->drop), space_name[o->space]);
		else
			dlog(LOG_DEBUG, "pci: %02x:%02x.%x BAR 0x%02x %s%s size 0x%llx at 0x%llx\n",
			     BDF_ARGS(bdf), q->bar, kind, (q->flags & PCI_REQ_64BIT) ? "64" : "",
			     (unsigned long long)o->size, (unsigned long long)o->addr);
	}
	if (window_full)
		dlog(LOG_ERR, "pci: the 64-bit window ends at 2^phys-bits or at a reserved range "
			      "below it: give the CPU more physical address bits (-cpu "
			      "...,phys-bits=N or host-phys-bits=on); pci-hole64-size does not "
			      "enlarge it (QEMU sizes its hole from where the BARs are placed)\n");
}

/* Log bridge and pxb windows, invalid bridges and dropped reservations. */
static void log_windows(const struct pci_alloc *pa)
{
	unsigned int i, b, w;

	for (i = 0; i < pa->nr_bridges; i++) {
		const struct pci_alloc_bridge *br = &pa->bridges[i];

		if (pa->priv.bridge_state[i] & BR_INVALID) {
			dlog(LOG_ERR,
			     "pci: bridge #%u (dev %u, secondary bus index %u) is inconsistent; "
			     "its windows stay closed and nothing behind it is assigned\n",
			     i, br->dev, br->secondary);
			continue;
		}
		for (w = PCI_WIN_IO; w <= PCI_WIN_PREF; w++)
			if (pa->priv.bridge_state[i] & (BR_RES_GONE << w))
				dlog(LOG_ERR,
				     "pci: bridge %02x:%02x.%x: hotplug %s reservation 0x%llx "
				     "given "
				     "up for lack of space; later hotplug may get no resources\n",
				     BDF_ARGS(pa->devs[br->dev].bdf), win_name[w],
				     (unsigned long long)win_hint(br, w));
	}
	for (b = 1; b < pa->nr_buses; b++) {
		for (w = 0; w < PCI_WIN_COUNT; w++) {
			const struct pci_alloc_window *win = &pa->win[b][w];

			if (win->enabled)
				dlog(LOG_DEBUG, "pci: bus %02x %s window 0x%llx-0x%llx%s\n",
				     pa->buses[b].busnr, win_name[w], (unsigned long long)win->base,
				     (unsigned long long)win->limit, win->high ? " (64-bit)" : "");
		}
	}
}

/* Log BARs and windows (debug), drops (errors) and the summary (info). */
void pci_alloc_log(const struct pci_alloc *pa)
{
	const struct pci_alloc_summary *s = &pa->summary;
	unsigned int i;

	log_reqs(pa);
	log_windows(pa);
	for (i = 0; i < PCI_SPACE_COUNT; i++)
		if (s->highest[i] >= s->lowest[i])
			dlog(LOG_INFO, "pci: %s used 0x%llx-0x%llx\n", space_name[i],
			     (unsigned long long)s->lowest[i], (unsigned long long)s->highest[i]);
	dlog(LOG_INFO,
	     "pci: %u BARs assigned (io 0x%llx, mem 0x%llx, pref 0x%llx bytes), %u moved above "
	     "4G, %u dropped, %u reservations given up\n",
	     s->assigned, (unsigned long long)s->bytes[PCI_KIND_IO],
	     (unsigned long long)s->bytes[PCI_KIND_MEM],
	     (unsigned long long)s->bytes[PCI_KIND_PREF], s->moved_high, s->dropped,
	     s->reserves_dropped);
}

/* An assigned range for verification: requests, then bus windows. */
struct vrange {
	uint64_t start, end; /* [start, end) */
	unsigned int space, bus, win;
	bool pref_ok; /* may live in a prefetchable window */
};

/* Fetch verification item i; false if it is not assigned. */
static bool vitem(const struct pci_alloc *pa, unsigned int i, struct vrange *v)
{
	if (i < pa->nr_reqs) {
		const struct pci_alloc_result *o = &pa->out[i];

		if (o->drop != PCI_DROP_NONE)
			return false;
		v->start = o->addr;
		v->end = o->addr + o->size;
		v->space = o->space;
		v->bus = pa->devs[pa->reqs[i].dev].bus;
		v->win = PCI_WIN_COUNT;
		v->pref_ok = pa->reqs[i].kind == PCI_KIND_PREF;
		return true;
	}
	i -= pa->nr_reqs;
	if (i / PCI_WIN_COUNT >= pa->nr_buses || i / PCI_WIN_COUNT == 0)
		return false;
	{
		const struct pci_alloc_window *w = &pa->win[i / PCI_WIN_COUNT][i % PCI_WIN_COUNT];
		unsigned int b = i / PCI_WIN_COUNT;

		if (!w->enabled)
			return false;
		v->start = w->base;
		v->end = w->limit + 1;
		v->win = i % PCI_WIN_COUNT;
		v->space = v->win == PCI_WIN_IO ? PCI_SPACE_IO
			   : w->high		? PCI_SPACE_MEM64
						: PCI_SPACE_MEM32;
		v->bus = is_root(pa, b) ? 0 : parent_bus(pa, b);
		v->pref_ok = v->win == PCI_WIN_PREF || is_root(pa, b);
	}
	return true;
}

/* True if v lies inside an allowed window of its parent (or a root range for bus 0). */
static bool vcontained(const struct pci_alloc *pa, const struct vrange *v)
{
	unsigned int k;

	if (v->bus == 0) {
		for (k = 0; k < pa->priv.nr_ranges[v->space]; k++) {
			const struct pci_alloc_range *r = &pa->priv.ranges[v->space][k];

			if (v->start >= r->start && v->end <= r->end)
				return true;
		}
		return false;
	}
	for (k = 0; k < PCI_WIN_COUNT; k++) {
		const struct pci_alloc_window *w = &pa->win[v->bus][k];
		unsigned int sp = k == PCI_WIN_IO ? PCI_SPACE_IO
				  : w->high	  ? PCI_SPACE_MEM64
						  : PCI_SPACE_MEM32;

		if (!w->enabled || sp != v->space || (k == PCI_WIN_PREF && !v->pref_ok))
			continue;
		if (v->start >= w->base && v->end <= w->limit + 1)
			return true;
	}
	return false;
}

/* Check the invariants of one item against the rules of its space and window. */
static const char *vcheck_one(const struct pci_alloc *pa, unsigned int i, const struct vrange *v)
{
	static const uint64_t lo[PCI_SPACE_COUNT] = {0, 0, FOUR_GIB};
	static const uint64_t hi[PCI_SPACE_COUNT] = {0x10000, FOUR_GIB, PCI_ALLOC_ADDR_LIMIT};

	if (v->end <= v->start || v->start < lo[v->space] || v->end > hi[v->space])
		return "outside its address space";
	if (i < pa->nr_reqs) {
		const struct pci_alloc_req *q = &pa->reqs[i];
		uint64_t size = v->end - v->start;

		if ((size & (size - 1)) || (v->start & (size - 1)) || size < q->size)
			return "misaligned or wrong size";
		if (v->space == PCI_SPACE_MEM64 &&
		    (!(q->flags & PCI_REQ_64BIT) || (q->flags & PCI_REQ_LOW)))
			return "32-bit BAR above 4 GiB";
	} else if (!is_root(pa, (i - pa->nr_reqs) / PCI_WIN_COUNT)) {
		uint64_t g =
			v->win == PCI_WIN_IO ? PCI_ALLOC_BRIDGE_IO_GRAN : PCI_ALLOC_BRIDGE_MEM_GRAN;

		if ((v->start | v->end) & (g - 1))
			return "bridge window off its granularity";
		if (v->space == PCI_SPACE_MEM64 && v->win != PCI_WIN_PREF)
			return "non-prefetchable bridge window above 4 GiB";
	}
	if (!vcontained(pa, v))
		return "not inside its parent window";
	return NULL;
}

/* Check every assigned item, and every pair of siblings for overlap (quadratic). */
int pci_alloc_verify(const struct pci_alloc *pa)
{
	unsigned int n = pa->nr_reqs + pa->nr_buses * PCI_WIN_COUNT, i, j;
	struct vrange a, b;

	for (i = 0; i < n; i++) {
		const char *err;

		if (!vitem(pa, i, &a))
			continue;
		err = vcheck_one(pa, i, &a);
		for (j = i + 1; j < n && !err; j++)
			if (vitem(pa, j, &b) && a.bus == b.bus && a.space == b.space &&
			    a.start < b.end && b.start < a.end)
				err = "overlaps a sibling";
		if (err) {
			dlog(LOG_ERR,
			     "pci-alloc: item %u at 0x%llx-0x%llx: %s; do not program it\n", i,
			     (unsigned long long)a.start, (unsigned long long)a.end, err);
			return -1;
		}
	}
	return 0;
}

/* Highest bus found below, raised to secondary + bus_res when hinted, capped at max_bus. */
uint8_t pci_alloc_subordinate(uint8_t secondary, uint8_t highest_below, uint32_t bus_res,
			      uint8_t max_bus)
{
	uint32_t sub = highest_below > secondary ? highest_below : secondary;

	if (bus_res != PCI_ALLOC_NO_HINT32 && (uint64_t)secondary + bus_res > sub) {
		uint64_t want = (uint64_t)secondary + bus_res;

		sub = want > max_bus ? (max_bus > sub ? max_bus : sub) : (uint32_t)want;
	}
	return (uint8_t)sub;
}
