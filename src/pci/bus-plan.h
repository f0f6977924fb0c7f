/* SPDX-License-Identifier: MIT */
/* PCI bus-number plan: how much of each bridge's bus reservation (QEMU's bus-reserve) can be
 * granted within the bus numbers there are, cutting the largest first. Pure. */
#ifndef QVM_BUS_PLAN_H
#define QVM_BUS_PLAN_H

#include <stdint.h>

/* Bridges in depth-first (pre-order) numbering order. */
struct bus_plan {
	int n;			 /* bridges */
	const int16_t *parent;	 /* parent bridge index, -1 on the root bus */
	const uint32_t *request; /* buses asked for behind each (0 or PCI_ALLOC_NO_HINT32: none) */
	uint32_t *grant;	 /* out: what each gets */
	uint32_t max_bus;	 /* highest bus number the hierarchy may use */
};

/* Fill plan->grant: every request if they all fit, else cut down, the largest first, until the
 * hierarchy ends at or below max_bus. Returns how many requests were cut, or -1 when even no
 * reservations at all fit (then every grant is 0). */
int bus_plan_build(struct bus_plan *plan);
/* Highest bus number the hierarchy uses with the current grants (root bus 0). */
uint32_t bus_plan_last(const struct bus_plan *plan);

#endif
