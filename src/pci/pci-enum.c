// SPDX-License-Identifier: MIT
/* PCI enumeration and programming: bus numbers, BAR sizing, resource assignment through the
 * pure allocator (pci-alloc.c), bridge windows, IRQ lines, VGA routing and decode enables. */
#include <string.h>

#include "bus-plan.h"
#include "chipset.h"
#include "fwcfg.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "pci-alloc.h"
#include "pci.h"
#include "pci-enum.h"
#include "platform.h"

#define CLASS_BRIDGE_PCI    0x0604
#define CLASS_VGA	    0x0300
#define CAP_ID_VENDOR	    0x09
#define CAP_ID_SHPC	    0x0c
#define CAP_ID_EXP	    0x10
#define QEMU_CAP_RESERVE    1
#define PCI_STATUS_CAP_LIST 0x10
#define GIB		    (1ull << 30)

/* What enumeration learns about each function, parallel to pa.devs[]. */
struct pci_fn {
	uint16_t vendor;
	uint16_t device;
	uint16_t class;
	int16_t bridge;	   /* index in pa.bridges[], or -1 */
	int16_t parent;	   /* index of the bridge function above, or -1 on a root bus */
	uint8_t irq_index; /* PIRQ index (0-3) for INTx, by the platform's swizzle */
};

struct pci_function pci_functions[PCI_MAX_FUNCTIONS];
int pci_function_count;
uint8_t pci_last_bus;

struct pci_scan {
	struct pci_alloc pa;
	struct pci_fn fn[PCI_ALLOC_MAX_DEVS];
	bool count_only;       /* first pass: number buses only, no probes */
	const uint32_t *grant; /* bus reservations granted to bridges [0, nplanned) */
	int nplanned;
	unsigned int bus_cuts; /* bus reservations cut down by the plan */
};
_Static_assert(sizeof(struct pci_scan) <= SCRATCH_SIZE, "PCI scan state must fit in scratch");

/* Find capability id in the standard list starting after offset from (0 = list head). */
static uint8_t find_cap(uint16_t bdf, uint8_t id, uint8_t from)
{
	uint8_t pos;

	if (!(pci_read16(bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = from ? pci_read8(bdf, (uint16_t)(from + 1)) : pci_read8(bdf, PCI_CAP_PTR);
	for (int guard = 0; pos >= 0x40 && guard < 48; guard++) {
		pos &= 0xfc;
		if (pci_read8(bdf, pos) == id)
			return pos;
		pos = pci_read8(bdf, (uint16_t)(pos + 1));
	}
	return 0;
}

/* QEMU's resource-reserve capability of its bridges and PCIe ports, if present. */
static void read_reserve(uint16_t bdf, struct pci_alloc_reserve *res)
{
	res->bus = PCI_ALLOC_NO_HINT32;
	res->io = PCI_ALLOC_NO_HINT64;
	res->mem = PCI_ALLOC_NO_HINT32;
	res->pref32 = PCI_ALLOC_NO_HINT32;
	res->pref64 = PCI_ALLOC_NO_HINT64;
	for (uint8_t cap = find_cap(bdf, CAP_ID_VENDOR, 0); cap;
	     cap = find_cap(bdf, CAP_ID_VENDOR, cap)) {
		if (pci_read8(bdf, cap + 3) != QEMU_CAP_RESERVE || pci_read8(bdf, cap + 2) < 32)
			continue;
		res->bus = pci_read32(bdf, cap + 4);
		res->io = pci_read32(bdf, cap + 8) | (uint64_t)pci_read32(bdf, cap + 12) << 32;
		res->mem = pci_read32(bdf, cap + 16);
		res->pref32 = pci_read32(bdf, cap + 20);
		res->pref64 = pci_read32(bdf, cap + 24) | (uint64_t)pci_read32(bdf, cap + 28) << 32;
		return;
	}
}

/* Which windows a bridge implements, and whether it takes hotplug. A probe leaves its window
 * closed (base above limit); program_bridge() writes the final values. Every write to a window
 * register makes QEMU rebuild its memory map, so there is one write per probe, and none where
 * read-only bits already answer. */
static uint8_t bridge_flags(uint16_t bdf)
{
	uint8_t flags = 0, exp = find_cap(bdf, CAP_ID_EXP, 0);
	uint16_t pref;

	pci_write32(bdf, PCI_IO_BASE, 0xf0); /* I/O base 0xF000, limit 0, status untouched */
	if (pci_read8(bdf, PCI_IO_BASE))
		flags |= PCI_BRIDGE_HAS_IO;
	/* A 64-bit prefetchable window says so in read-only bits: no probe write needed. */
	pref = pci_read16(bdf, PCI_PREF_BASE);
	if ((pref & 0xf) != 1) {
		pci_write32(bdf, PCI_PREF_BASE, 0xfff0); /* base 0xFFF00000, limit 0 */
		pref = pci_read16(bdf, PCI_PREF_BASE);
	}
	if (pref) {
		flags |= PCI_BRIDGE_HAS_PREF;
		if ((pref & 0xf) == 1)
			flags |= PCI_BRIDGE_PREF64;
	}
	/* Hotplug ports get I/O windows too (as OVMF gives them): Linux sizes one for every
	 * hotplug bridge and cannot find it behind a pxb root whose _CRS lacks I/O. */
	if (exp && (pci_read16(bdf, exp + 2) & 0x100)) /* slot implemented */
		flags |= PCI_BRIDGE_HOTPLUG;
	if (find_cap(bdf, CAP_ID_SHPC, 0))
		flags |= PCI_BRIDGE_HOTPLUG;
	return flags;
}

/* True for devices whose payload (SeaBIOS) drivers cannot reach BARs above 4 GiB. */
static bool needs_low_bars(uint16_t class)
{
	return (class >> 8) == 0x01 || (class >> 8) == 0x03 || class == 0x0c03 || class == 0x0805;
}

/* Add a request, or say why it cannot be tracked. */
static void add_req(struct pci_scan *s, uint16_t dev, uint8_t bar, uint64_t size, uint8_t kind,
		    uint8_t flags)
{
	struct pci_alloc *pa = &s->pa;

	if (pa->nr_reqs == PCI_ALLOC_MAX_REQS) {
		dlog(LOG_ERR, "pci: more than %d BARs, %04x BAR %02x left unassigned\n",
		     PCI_ALLOC_MAX_REQS, pa->devs[dev].bdf, bar);
		return;
	}
	pa->reqs[pa->nr_reqs++] = (struct pci_alloc_req){size, dev, bar, kind, flags};
}

/* Size the BARs (nbars of them) and the ROM BAR at rom of function dev. */
static void size_bars(struct pci_scan *s, uint16_t dev, int nbars, uint16_t rom)
{
	uint16_t bdf = s->pa.devs[dev].bdf;
	uint8_t low = needs_low_bars(s->fn[dev].class) ? PCI_REQ_LOW : 0;
	uint32_t old, val;

	uint16_t cmd = pci_read16(bdf, PCI_COMMAND);

	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY))
		pci_write16(bdf, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < nbars; i++) {
		uint16_t reg = (uint16_t)(PCI_BAR0 + 4 * i);
		uint64_t mask;

		old = pci_read32(bdf, reg);
		pci_write32(bdf, reg, 0xffffffff);
		val = pci_read32(bdf, reg);
		pci_write32(bdf, reg, old);
		if (!val)
			continue;
		if (old & 1) {
			mask = val & 0xfffffffc;
			if (!(mask & 0xffff0000))
				mask |= 0xffff0000;
			add_req(s, dev, (uint8_t)reg, (uint32_t)(~mask + 1), PCI_KIND_IO, 0);
			continue;
		}
		mask = (val & 0xfffffff0) | 0xffffffff00000000ull;
		if (((old >> 1) & 3) == 2 && i + 1 < nbars) {
			uint32_t hi_old = pci_read32(bdf, reg + 4);

			pci_write32(bdf, reg + 4, 0xffffffff);
			mask = (mask & 0xffffffff) | (uint64_t)pci_read32(bdf, reg + 4) << 32;
			pci_write32(bdf, reg + 4, hi_old);
			add_req(s, dev, (uint8_t)reg, ~mask + 1,
				old & 8 ? PCI_KIND_PREF : PCI_KIND_MEM, PCI_REQ_64BIT | low);
			i++;
			continue;
		}
		add_req(s, dev, (uint8_t)reg, (uint32_t)(~mask + 1),
			old & 8 ? PCI_KIND_PREF : PCI_KIND_MEM, low);
	}
	old = pci_read32(bdf, rom);
	pci_write32(bdf, rom, 0xfffff800);
	val = pci_read32(bdf, rom) & 0xfffff800;
	pci_write32(bdf, rom, old);
	if (val)
		add_req(s, dev, (uint8_t)rom, (uint32_t)(~val + 1), PCI_KIND_MEM, PCI_REQ_LOW);
}

/* Record function bdf on bus index bus; returns its index or -1 when the table is full. */
static int add_fn(struct pci_scan *s, uint16_t bus, uint16_t bdf, int parent, uint8_t root_slot,
		  uint8_t addend)
{
	struct pci_alloc *pa = &s->pa;
	struct pci_fn *f;
	uint8_t pin = pci_read8(bdf, PCI_INTERRUPT_PIN);

	if (pa->nr_devs == PCI_ALLOC_MAX_DEVS) {
		dlog(LOG_ERR, "pci: more than %d functions, %04x ignored\n", PCI_ALLOC_MAX_DEVS,
		     bdf);
		return -1;
	}
	pa->devs[pa->nr_devs] = (struct pci_alloc_dev){bus, bdf};
	f = &s->fn[pa->nr_devs];
	f->vendor = pci_read16(bdf, PCI_VENDOR_ID);
	f->device = pci_read16(bdf, PCI_DEVICE_ID);
	f->class = pci_read16(bdf, PCI_CLASS_DEVICE);
	f->bridge = -1;
	f->parent = (int16_t)parent;
	/* Swizzle as QEMU wires INTx: pc adds (slot - 1); q35 slots 0-24 use PIRQ E-H. */
	if (platform.machine == MACHINE_PC)
		f->irq_index = (uint8_t)((pin - 1 + addend + root_slot - 1) & 3);
	else if (root_slot <= 24)
		f->irq_index = (uint8_t)(4 + ((pin - 1 + addend + root_slot) & 3));
	else
		f->irq_index = (uint8_t)((pin - 1 + addend) & 3);
	return pa->nr_devs++;
}

static void scan_bus(struct pci_scan *s, uint16_t bus, int parent, uint8_t root_slot,
		     uint8_t addend, uint8_t *last);

/* Number a bridge's secondary bus, scan below it, and set its subordinate bus. */
static void scan_bridge(struct pci_scan *s, int dev, uint8_t root_slot, uint8_t addend,
			uint8_t *last)
{
	struct pci_alloc *pa = &s->pa;
	uint16_t bdf = pa->devs[dev].bdf;
	struct pci_alloc_bridge *br;
	uint8_t sec;

	if (*last == 0xff || pa->nr_bridges == PCI_ALLOC_MAX_BRIDGES ||
	    pa->nr_buses == PCI_ALLOC_MAX_BUSES) {
		dlog(LOG_ERR, "pci: out of bus numbers, nothing behind bridge %04x is used\n", bdf);
		return;
	}
	sec = ++*last;
	br = &pa->bridges[pa->nr_bridges];
	br->dev = (uint16_t)dev;
	br->secondary = pa->nr_buses;
	br->flags = s->count_only ? 0 : bridge_flags(bdf);
	read_reserve(bdf, &br->res);
	if (pa->nr_bridges < s->nplanned) {
		if (s->grant[pa->nr_bridges] < br->res.bus && br->res.bus != PCI_ALLOC_NO_HINT32) {
			dlog(LOG_ERR,
			     "pci: bridge %04x: bus reservation of %u cut to %u so that every "
			     "bridge "
			     "gets a bus and bus 255 stays free for the MP table's ISA bus\n",
			     bdf, br->res.bus, s->grant[pa->nr_bridges]);
			s->bus_cuts++;
		}
		br->res.bus = s->grant[pa->nr_bridges];
	}
	pa->buses[pa->nr_buses++] = (struct pci_alloc_bus){pa->nr_bridges, sec};
	s->fn[dev].bridge = (int16_t)pa->nr_bridges++;
	pci_write8(bdf, PCI_PRIMARY_BUS, (uint8_t)PCI_BUS(bdf));
	pci_write8(bdf, PCI_SECONDARY_BUS, sec);
	pci_write8(bdf, PCI_SUBORDINATE_BUS, 0xff);
	scan_bus(s, br->secondary, dev, root_slot, addend, last);
	*last = pci_alloc_subordinate(sec, *last, s->count_only ? PCI_ALLOC_NO_HINT32 : br->res.bus,
				      0xff);
	pci_write8(bdf, PCI_SUBORDINATE_BUS, *last);
}

/* Scan every function of bus (an index into pa.buses), depth first. */
static void scan_bus(struct pci_scan *s, uint16_t bus, int parent, uint8_t root_slot,
		     uint8_t addend, uint8_t *last)
{
	uint8_t busnr = s->pa.buses[bus].busnr;

	for (uint8_t dev = 0; dev < 32; dev++) {
		for (uint8_t fn = 0; fn < 8; fn++) {
			uint16_t bdf = PCI_BDF(busnr, dev, fn);
			uint16_t vendor = pci_read16(bdf, PCI_VENDOR_ID);
			uint8_t hdr, slot = parent < 0 ? dev : root_slot;
			uint8_t add = parent < 0 ? 0 : (uint8_t)(addend + dev);
			int idx;

			if (vendor == 0xffff || vendor == 0) {
				if (!fn)
					break;
				continue;
			}
			hdr = pci_read8(bdf, PCI_HEADER_TYPE);
			idx = add_fn(s, bus, bdf, parent, slot, add);
			if (idx >= 0 && (hdr & 0x7f) == 1 && s->fn[idx].class == CLASS_BRIDGE_PCI) {
				if (!s->count_only)
					size_bars(s, (uint16_t)idx, 2, PCI_ROM_ADDRESS1);
				scan_bridge(s, idx, slot, add, last);
			} else if (idx >= 0 && (hdr & 0x7f) == 0 && !s->count_only) {
				size_bars(s, (uint16_t)idx, 6, PCI_ROM_ADDRESS);
			}
			if (!fn && !(hdr & 0x80))
				break;
		}
	}
}

/* Extra root buses (pxb): probe the bus numbers above the main hierarchy. */
static void scan_extra_roots(struct pci_scan *s, uint8_t *last)
{
	uint64_t want = 0;
	int found = 0;

	if (!fwcfg_read_file_u64("etc/extra-pci-roots", &want) || !want)
		return;
	for (unsigned int nr = *last + 1u; nr <= 0xff && found < (int)want; nr++) {
		uint16_t bus = s->pa.nr_buses;
		bool present = false;

		for (uint8_t dev = 0; dev < 32 && !present; dev++)
			present = pci_read16(PCI_BDF(nr, dev, 0), PCI_VENDOR_ID) != 0xffff;
		if (!present || bus == PCI_ALLOC_MAX_BUSES)
			continue;
		s->pa.buses[s->pa.nr_buses++] = (struct pci_alloc_bus){PCI_ALLOC_NONE, (uint8_t)nr};
		*last = (uint8_t)nr;
		scan_bus(s, bus, -1, 0, 0, last);
		nr = *last;
		found++;
	}
	if (found != (int)want)
		dlog(LOG_ERR, "pci: fw_cfg announces %llu extra root buses, %d found\n",
		     (unsigned long long)want, found);
}

/* Give the allocator the I/O, 32-bit and 64-bit windows of this machine. */
static void set_ranges(struct pci_alloc *pa)
{
	uint64_t low = (platform.ram_below_4g + 0xfffff) & ~0xfffffull;
	uint64_t start64, end64, reserved_end = 0;
	uint8_t n = 0;

	pa->ranges[PCI_SPACE_IO][n++] = (struct pci_alloc_range){0xc000, 0x10000};
	pa->ranges[PCI_SPACE_IO][n++] =
		(struct pci_alloc_range){0x1000, platform.machine == MACHINE_PC ? 0xae00 : 0xc000};
	pa->nr_ranges[PCI_SPACE_IO] = n;

	n = 0;
	if (platform.machine == MACHINE_Q35) {
		pa->ranges[PCI_SPACE_MEM32][n++] = (struct pci_alloc_range){0xc0000000, 0xfec00000};
		if (low < Q35_MMCONFIG)
			pa->ranges[PCI_SPACE_MEM32][n++] =
				(struct pci_alloc_range){low, Q35_MMCONFIG};
	} else if (low < 0xc0000000) {
		pa->ranges[PCI_SPACE_MEM32][n++] = (struct pci_alloc_range){0xc0000000, 0xfec00000};
		pa->ranges[PCI_SPACE_MEM32][n++] = (struct pci_alloc_range){low, 0xc0000000};
	} else {
		pa->ranges[PCI_SPACE_MEM32][n++] = (struct pci_alloc_range){low, 0xfec00000};
	}
	pa->nr_ranges[PCI_SPACE_MEM32] = n;
	platform.pci32_start = (uint32_t)low; /* the whole hole; q35's MMCONFIG lies inside */
	platform.pci32_end = 0xfec00000u;

	/* 64-bit: above RAM and the memory-hotplug area, below the CPU's reach. */
	start64 = platform.ram_above_4g_end > (1ull << 32) ? platform.ram_above_4g_end : 1ull << 32;
	if (fwcfg_read_file_u64("etc/reserved-memory-end", &reserved_end) && reserved_end > start64)
		start64 = reserved_end;
	start64 = (start64 + GIB - 1) & ~(GIB - 1);
	end64 = 1ull << platform.pci_phys_bits;
	for (int i = 0; i < memmap.count; i++)
		if (memmap.e[i].start >= start64 && memmap.e[i].start < end64)
			end64 = memmap.e[i].start;
	if (end64 > start64) {
		pa->ranges[PCI_SPACE_MEM64][0] = (struct pci_alloc_range){start64, end64};
		pa->nr_ranges[PCI_SPACE_MEM64] = 1;
	}
}

/* Write a BAR (and its upper half for 64-bit BARs). */
static void program_bar(const struct pci_alloc *pa, int i)
{
	const struct pci_alloc_req *r = &pa->reqs[i];
	const struct pci_alloc_result *o = &pa->out[i];
	uint16_t bdf = pa->devs[r->dev].bdf;
	uint32_t old = pci_read32(bdf, r->bar);

	if (r->bar == PCI_ROM_ADDRESS || r->bar == PCI_ROM_ADDRESS1) {
		pci_write32(bdf, r->bar, (uint32_t)o->addr); /* assigned, left disabled */
		return;
	}
	pci_write32(bdf, r->bar, (uint32_t)o->addr | (old & (r->kind == PCI_KIND_IO ? 3 : 0xf)));
	if (r->flags & PCI_REQ_64BIT)
		pci_write32(bdf, r->bar + 4, (uint32_t)(o->addr >> 32));
}

/* Write a config dword unless it already holds v (bridge window writes are expensive). */
static void write_if_changed(uint16_t bdf, uint16_t reg, uint32_t v)
{
	if (pci_read32(bdf, reg) != v)
		pci_write32(bdf, reg, v);
}

/* Program a bridge's I/O, memory and prefetchable windows (disabled ones as base > limit),
 * each base/limit pair in one dword write. */
static void program_bridge(const struct pci_alloc *pa, int b)
{
	const struct pci_alloc_bridge *br = &pa->bridges[b];
	const struct pci_alloc_window *w = pa->win[br->secondary];
	uint16_t bdf = pa->devs[br->dev].bdf;
	uint64_t base, limit;

	base = w[PCI_WIN_IO].enabled ? w[PCI_WIN_IO].base : 0xf000;
	limit = w[PCI_WIN_IO].enabled ? w[PCI_WIN_IO].limit : 0;
	write_if_changed(bdf, PCI_IO_BASE_UPPER, 0);
	/* Dword at 0x1C also covers the secondary status, whose bits are write-1-to-clear. */
	write_if_changed(bdf, PCI_IO_BASE,
			 (uint32_t)((base >> 8) & 0xf0) | (uint32_t)(limit & 0xf000));

	base = w[PCI_WIN_MEM].enabled ? w[PCI_WIN_MEM].base : 0xfff00000;
	limit = w[PCI_WIN_MEM].enabled ? w[PCI_WIN_MEM].limit : 0;
	write_if_changed(bdf, PCI_MEMORY_BASE,
			 (uint32_t)((base >> 16) & 0xfff0) | (uint32_t)(limit & 0xfff00000));

	base = w[PCI_WIN_PREF].enabled ? w[PCI_WIN_PREF].base : 0xfff00000;
	limit = w[PCI_WIN_PREF].enabled ? w[PCI_WIN_PREF].limit : 0;
	if (br->flags & PCI_BRIDGE_PREF64) {
		write_if_changed(bdf, PCI_PREF_BASE_UPPER, (uint32_t)(base >> 32));
		write_if_changed(bdf, PCI_PREF_LIMIT_UPPER, (uint32_t)(limit >> 32));
	}
	write_if_changed(bdf, PCI_PREF_BASE,
			 (uint32_t)((base >> 16) & 0xfff0) | (uint32_t)(limit & 0xfff00000));
	pci_write16(bdf, PCI_BRIDGE_CONTROL,
		    pci_read16(bdf, PCI_BRIDGE_CONTROL) | PCI_BRIDGE_CTL_SERR);
}

/* Enable decoding for what got resources, set IRQ lines, route VGA. Endpoints go first and
 * bridges (decode and bus mastering) last: QEMU renders one more view at every later commit
 * for each function with bus mastering on, so bridges enabled early make each endpoint's
 * command write cost more (64 devices behind 34 bridges: see docs/performance.md). */
static void enable_devices(struct pci_scan *s)
{
	struct pci_alloc *pa = &s->pa;
	static uint8_t want[PCI_ALLOC_MAX_DEVS], deny[PCI_ALLOC_MAX_DEVS];
	int vga = -1;

	memset(want, 0, sizeof(want));
	memset(deny, 0, sizeof(deny));
	for (int i = 0; i < pa->nr_reqs; i++) {
		uint8_t bit = pa->reqs[i].kind == PCI_KIND_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;

		if (pa->out[i].drop == PCI_DROP_NONE)
			want[pa->reqs[i].dev] |= bit;
		else
			deny[pa->reqs[i].dev] |= bit;
	}
	for (int i = 0; i < 2 * pa->nr_devs; i++) {
		int d = i % pa->nr_devs;
		uint16_t bdf = pa->devs[d].bdf;
		uint16_t cmd;
		uint8_t pin;

		if ((s->fn[d].bridge >= 0) != (i >= pa->nr_devs))
			continue;
		cmd = pci_read16(bdf, PCI_COMMAND);
		pin = pci_read8(bdf, PCI_INTERRUPT_PIN);
		if (s->fn[d].bridge >= 0)
			cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
		else
			cmd |= want[d] & ~deny[d];
		pci_write16(bdf, PCI_COMMAND, cmd | PCI_COMMAND_SERR);
		if (pin)
			pci_write8(bdf, PCI_INTERRUPT_LINE, chipset_pirq_irq(s->fn[d].irq_index));
		if (vga < 0 && s->fn[d].class == CLASS_VGA)
			vga = d;
	}
	if (vga < 0)
		return;
	pci_write16(pa->devs[vga].bdf, PCI_COMMAND,
		    pci_read16(pa->devs[vga].bdf, PCI_COMMAND) | PCI_COMMAND_IO |
			    PCI_COMMAND_MEMORY);
	for (int p = s->fn[vga].parent; p >= 0; p = s->fn[p].parent)
		pci_write16(pa->devs[p].bdf, PCI_BRIDGE_CONTROL,
			    pci_read16(pa->devs[p].bdf, PCI_BRIDGE_CONTROL) | PCI_BRIDGE_CTL_VGA);
	dlog(LOG_DEBUG, "pci: primary VGA %04x\n", pa->devs[vga].bdf);
}

/* Bus reservations of the root hierarchy's bridges that fit in bus numbers 1-254: a first pass
 * numbers the buses without reservations and probes nothing; the plan then cuts the largest
 * requests until every bridge gets a bus. Returns how many bridges the grants are for. */
static int plan_bus_reservations(struct pci_scan *s, uint32_t *grant)
{
	static int16_t parent[PCI_ALLOC_MAX_BRIDGES];
	static uint32_t request[PCI_ALLOC_MAX_BRIDGES];
	struct pci_alloc *pa = &s->pa;
	struct bus_plan plan = {0, parent, request, grant, 0xfe};
	uint8_t last = 0;
	int cut;

	memset(s, 0, sizeof(*s));
	s->count_only = true;
	pa->buses[pa->nr_buses++] = (struct pci_alloc_bus){PCI_ALLOC_NONE, 0};
	scan_bus(s, 0, -1, 0, 0, &last);
	plan.n = pa->nr_bridges;
	for (int k = 0; k < plan.n; k++) {
		int up = s->fn[pa->bridges[k].dev].parent;

		parent[k] = up >= 0 ? s->fn[up].bridge : -1;
		request[k] = pa->bridges[k].res.bus;
	}
	cut = bus_plan_build(&plan);
	if (cut < 0)
		dlog(LOG_ERR,
		     "pci: %u bridges need more than 254 bus numbers even without "
		     "reservations\n",
		     plan.n);
	else if (cut)
		dlog(LOG_ERR, "pci: bus reservations ask for more than 254 bus numbers: %d cut\n",
		     cut);
	return plan.n;
}

void pci_init(void)
{
	static uint32_t grant[PCI_ALLOC_MAX_BRIDGES];
	struct pci_scan *s = (struct pci_scan *)SCRATCH_BASE;
	struct pci_alloc *pa = &s->pa;
	int nplanned = plan_bus_reservations(s, grant);
	uint8_t last = 0;
	int dropped;

	memset(s, 0, sizeof(*s));
	s->grant = grant;
	s->nplanned = nplanned;
	pa->buses[pa->nr_buses++] = (struct pci_alloc_bus){PCI_ALLOC_NONE, 0};
	scan_bus(s, 0, -1, 0, 0, &last);
	s->nplanned = 0;
	scan_extra_roots(s, &last);
	set_ranges(pa);
	dropped = pci_alloc_run(pa);
	if (dropped < 0 || pci_alloc_verify(pa)) {
		dlog(LOG_ERR, "pci: resource assignment failed its own checks; devices left "
			      "unassigned and disabled\n");
		return;
	}
	pa->summary.reserves_dropped += s->bus_cuts;
	for (int i = 0; i < pa->nr_reqs; i++)
		if (pa->out[i].drop == PCI_DROP_NONE)
			program_bar(pa, i);
	for (int b = 0; b < pa->nr_bridges; b++)
		program_bridge(pa, b);
	enable_devices(s);
	pci_alloc_log(pa);
	for (int d = 0; d < pa->nr_devs && d < PCI_MAX_FUNCTIONS; d++)
		pci_functions[d] = (struct pci_function){
			pa->devs[d].bdf, s->fn[d].class,
			pci_read8(pa->devs[d].bdf, PCI_INTERRUPT_PIN), s->fn[d].irq_index};
	pci_function_count = pa->nr_devs < PCI_MAX_FUNCTIONS ? pa->nr_devs : PCI_MAX_FUNCTIONS;
	pci_last_bus = last;
	platform.pci64_start = 0;
	platform.pci64_end = 0;
	if (pa->summary.highest[PCI_SPACE_MEM64] >= pa->summary.lowest[PCI_SPACE_MEM64]) {
		platform.pci64_start = pa->summary.lowest[PCI_SPACE_MEM64] & ~(GIB - 1);
		platform.pci64_end = (pa->summary.highest[PCI_SPACE_MEM64] + GIB) & ~(GIB - 1);
	}
	dlog(LOG_INFO,
	     "pci: %d functions on %d buses (last bus %u), %d bridges, %u BARs "
	     "assigned, %u dropped\n",
	     pa->nr_devs, pa->nr_buses, last, pa->nr_bridges, pa->summary.assigned,
	     pa->summary.dropped);
}
