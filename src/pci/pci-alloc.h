/* SPDX-License-Identifier: MIT */
/* PCI resource allocator: sizes bridge windows and places BARs, ROM BARs and windows in the
 * I/O, 32-bit and 64-bit MMIO windows. Pure: it works on a description filled by the caller. */
#ifndef QVM_PCI_ALLOC_H
#define QVM_PCI_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Usage: zero a struct pci_alloc (it is large, about 310 KiB: keep it out of the stack), fill
 * the input part (buses, devs, bridges, reqs and the address ranges), call pci_alloc_run(),
 * then program out[] into the BARs and win[bridge->secondary][PCI_WIN_IO..PCI_WIN_PREF] into
 * each bridge, and call pci_alloc_log(). A struct may be reused for another description:
 * only the input part must be filled again; each run sets out[] of its nr_reqs requests and
 * win[] of its nr_buses buses (entries past the counts keep what they had), the summary, and
 * clears only the private state those counts reach, so a small description is cheap to rerun.
 *
 * Sizes: requests give the size decoded from the BAR (a power of two). The allocator raises
 * memory requests to PCI_ALLOC_MEM_MIN (4 KiB, so no two BARs share a page) and I/O requests
 * to PCI_ALLOC_IO_MIN; out[].addr is aligned to the raised size.
 *
 * Policy: everything goes below 4 GiB if it fits. Otherwise 64-bit BARs on root buses and the
 * prefetchable windows of 64-bit capable bridges on root buses move to the 64-bit window,
 * biggest first, until the rest fits. Requests flagged PCI_REQ_LOW never go above 4 GiB.
 * When a space is still too small, hotplug reservations are given up first (largest first),
 * then devices' BARs; each drop is recorded with its reason.
 */

#define PCI_ALLOC_MAX_BUSES   256
#define PCI_ALLOC_MAX_DEVS    1024
#define PCI_ALLOC_MAX_BRIDGES 256
#define PCI_ALLOC_MAX_REQS    4096
#define PCI_ALLOC_MAX_RANGES  8

#define PCI_ALLOC_NONE	    0xFFFF /* "no bridge" in struct pci_alloc_bus */
#define PCI_ALLOC_NO_HINT32 0xFFFFFFFFu
#define PCI_ALLOC_NO_HINT64 0xFFFFFFFFFFFFFFFFull
#define PCI_ALLOC_MEM_MIN   0x1000
#define PCI_ALLOC_IO_MIN    4
/* Highest address the allocator uses: 52 physical-address bits. */
#define PCI_ALLOC_ADDR_LIMIT (1ull << 52)

/* Granularity of bridge windows (the base/limit registers' units). */
#define PCI_ALLOC_BRIDGE_IO_GRAN  0x1000
#define PCI_ALLOC_BRIDGE_MEM_GRAN 0x100000
/* Window given to a hotplug-capable bridge that has no reservation hint. */
#define PCI_ALLOC_HOTPLUG_IO  0x1000
#define PCI_ALLOC_HOTPLUG_MEM 0x200000

enum pci_alloc_kind {
	PCI_KIND_IO,
	PCI_KIND_MEM,  /* non-prefetchable memory, also ROM BARs */
	PCI_KIND_PREF, /* prefetchable memory */
	PCI_KIND_COUNT,
};

enum pci_alloc_space {
	PCI_SPACE_IO,
	PCI_SPACE_MEM32, /* below 4 GiB */
	PCI_SPACE_MEM64, /* above 4 GiB */
	PCI_SPACE_COUNT,
};

/* Windows of a bus: bridges use IO, MEM and PREF; extra root buses (pxb) IO, MEM and MEM64. */
enum pci_alloc_win {
	PCI_WIN_IO,
	PCI_WIN_MEM,
	PCI_WIN_PREF,
	PCI_WIN_MEM64,
	PCI_WIN_COUNT,
};

enum pci_alloc_drop {
	PCI_DROP_NONE,
	PCI_DROP_INVALID,     /* bad device index, BAR offset, kind, flags or size */
	PCI_DROP_UNREACHABLE, /* its bus hangs off no root through valid bridges */
	PCI_DROP_NO_IO_WIN,   /* I/O BAR behind a bridge that forwards no I/O */
	PCI_DROP_TOO_BIG,     /* larger than every range it may be placed in */
	PCI_DROP_NO_SPACE,    /* its address space is full */
};

/* Bridge capabilities (struct pci_alloc_bridge.flags). */
#define PCI_BRIDGE_HAS_IO   0x01 /* implements the I/O base/limit registers */
#define PCI_BRIDGE_HAS_PREF 0x02 /* implements the prefetchable base/limit registers */
#define PCI_BRIDGE_PREF64   0x04 /* prefetchable window is 64-bit capable */
#define PCI_BRIDGE_HOTPLUG  0x08 /* PCIe slot implemented with hotplug, or SHPC */
#define PCI_BRIDGE_PCIE	    0x10 /* PCIe port: no I/O window unless a hint asks for one */

/* Request flags (struct pci_alloc_req.flags). */
#define PCI_REQ_64BIT 0x01 /* 64-bit memory BAR */
#define PCI_REQ_LOW   0x02 /* must stay below 4 GiB (payload drivers cannot use high BARs) */

/* Address range [start, end). */
struct pci_alloc_range {
	uint64_t start;
	uint64_t end;
};

/* QEMU resource-reserve capability; all-ones fields mean "no hint", 0 means "none". */
struct pci_alloc_reserve {
	uint32_t bus;	 /* buses to reserve after the secondary bus */
	uint64_t io;	 /* minimum I/O window */
	uint32_t mem;	 /* minimum non-prefetchable window */
	uint32_t pref32; /* minimum prefetchable window, kept below 4 GiB */
	uint64_t pref64; /* minimum prefetchable window, may go above 4 GiB */
};

/* A bus. Index 0 must be the main root bus; other roots are pxb buses. */
struct pci_alloc_bus {
	uint16_t bridge; /* index in bridges[] of the bridge leading here, or PCI_ALLOC_NONE */
	uint8_t busnr;	 /* bus number, for messages */
};

/* A PCI function that owns requests or is a bridge. */
struct pci_alloc_dev {
	uint16_t bus; /* index in buses[] of the bus it sits on */
	uint16_t bdf; /* bus << 8 | device << 3 | function, for messages */
};

/* A PCI-PCI bridge (or PCIe port). */
struct pci_alloc_bridge {
	uint16_t dev;	    /* the bridge's own function, index in devs[] */
	uint16_t secondary; /* index in buses[]; buses[secondary].bridge must point back here */
	uint8_t flags;	    /* PCI_BRIDGE_* */
	struct pci_alloc_reserve res;
};

/* One BAR or ROM BAR to place. */
struct pci_alloc_req {
	uint64_t size; /* decoded size, a power of two */
	uint16_t dev;  /* owner, index in devs[] */
	uint8_t bar;   /* config offset: 0x10..0x24, 0x30 (ROM) or 0x38 (bridge ROM) */
	uint8_t kind;  /* enum pci_alloc_kind; ROM BARs are PCI_KIND_MEM */
	uint8_t flags; /* PCI_REQ_* */
};

/* Result for one request. */
struct pci_alloc_result {
	uint64_t addr; /* assigned address, 0 when dropped */
	uint64_t size; /* size as placed (raised to the minimum) */
	uint8_t space; /* enum pci_alloc_space */
	uint8_t drop;  /* enum pci_alloc_drop; PCI_DROP_NONE when assigned */
};

/* A bus window. Disabled windows have base > limit, ready for the bridge registers. */
struct pci_alloc_window {
	uint64_t base;
	uint64_t limit; /* inclusive */
	bool enabled;
	bool high; /* placed above 4 GiB */
};

/* Totals of an assignment. */
struct pci_alloc_summary {
	uint64_t bytes[PCI_KIND_COUNT];	   /* bytes of assigned requests, per kind */
	uint64_t lowest[PCI_SPACE_COUNT];  /* lowest address used in each space */
	uint64_t highest[PCI_SPACE_COUNT]; /* highest used, inclusive; < lowest: unused */
	uint32_t assigned;		   /* requests placed */
	uint32_t dropped;		   /* requests not placed */
	uint32_t moved_high;		   /* BARs and bridge windows moved above 4 GiB */
	uint32_t reserves_dropped;	   /* hotplug reservations given up for lack of space */
};

/* Allocator state, private to pci-alloc.c. */
struct pci_alloc_priv {
	uint64_t size[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint64_t off[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint16_t parent[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint16_t order[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint8_t align[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint8_t space[PCI_ALLOC_MAX_REQS + PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint16_t first[PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT + 1];
	uint64_t content[PCI_ALLOC_MAX_BUSES * PCI_WIN_COUNT];
	uint8_t req_state[PCI_ALLOC_MAX_REQS];
	uint16_t bridge_state[PCI_ALLOC_MAX_BRIDGES];
	uint8_t bus_state[PCI_ALLOC_MAX_BUSES];
	uint16_t bus_depth[PCI_ALLOC_MAX_BUSES];
	uint16_t bus_order[PCI_ALLOC_MAX_BUSES]; /* reachable buses, by depth */
	uint16_t nr_order;
	uint16_t fail[PCI_SPACE_COUNT];
	uint8_t nr_ranges[PCI_SPACE_COUNT];
	struct pci_alloc_range ranges[PCI_SPACE_COUNT][PCI_ALLOC_MAX_RANGES];
};

/* Input (filled by the caller) and output (filled by pci_alloc_run) of one allocation. */
struct pci_alloc {
	uint16_t nr_buses;
	uint16_t nr_devs;
	uint16_t nr_bridges;
	uint16_t nr_reqs;
	struct pci_alloc_bus buses[PCI_ALLOC_MAX_BUSES];
	struct pci_alloc_dev devs[PCI_ALLOC_MAX_DEVS];
	struct pci_alloc_bridge bridges[PCI_ALLOC_MAX_BRIDGES];
	struct pci_alloc_req reqs[PCI_ALLOC_MAX_REQS];
	/* Allowed ranges per space, in order of preference (e.g. I/O 0xC000-0x10000 first). */
	uint8_t nr_ranges[PCI_SPACE_COUNT];
	struct pci_alloc_range ranges[PCI_SPACE_COUNT][PCI_ALLOC_MAX_RANGES];

	struct pci_alloc_result out[PCI_ALLOC_MAX_REQS];
	/* Windows per bus index; bus 0 (the main root) has none. */
	struct pci_alloc_window win[PCI_ALLOC_MAX_BUSES][PCI_WIN_COUNT];
	struct pci_alloc_summary summary;

	struct pci_alloc_priv priv;
};

/* Place every request and size every window; returns the number of dropped requests, or -1
 * (nothing assigned) when the description has no main root bus at index 0. */
int pci_alloc_run(struct pci_alloc *pa);

/* Log the assignment: one line per BAR and window (LOG_DEBUG), the summary (LOG_INFO) and
 * every dropped request or reservation (LOG_ERR). */
void pci_alloc_log(const struct pci_alloc *pa);

/* Check an assignment (alignment, containment, no overlap); returns 0, or -1 after logging
 * the first violation. Callers should not program hardware from a failed assignment. */
int pci_alloc_verify(const struct pci_alloc *pa);

/* Subordinate bus number for a bridge: the highest bus found below it, raised by the
 * reservation hint (bus_res buses after the secondary bus) but never beyond max_bus. */
uint8_t pci_alloc_subordinate(uint8_t secondary, uint8_t highest_below, uint32_t bus_res,
			      uint8_t max_bus);

#endif
