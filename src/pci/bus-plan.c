// SPDX-License-Identifier: MIT
/* PCI bus-number plan: simulate depth-first numbering with the grants, cut the largest. */
#include "bus-plan.h"

#define NO_REQUEST 0xFFFFFFFFu
#define BUS_LIMIT  255u

/* Number the children of parent from index *k on, the first after cur; returns the highest
 * bus number they use (cur if none). Same rule as pci_alloc_subordinate. */
static uint32_t number_children(const struct bus_plan *p, int parent, uint32_t cur, int *k)
{
	while (*k < p->n && p->parent[*k] == parent) {
		int me = (*k)++;
		uint32_t sec = cur + 1;
		uint32_t below = number_children(p, me, sec, k);
		uint32_t want = sec + p->grant[me];

		cur = below > want ? below : want;
	}
	return cur;
}

uint32_t bus_plan_last(const struct bus_plan *plan)
{
	int k = 0;
	uint32_t last = 0;

	while (k < plan->n) {
		int before = k;

		last = number_children(plan, plan->parent[k], last, &k);
		if (k == before)
			k++; /* malformed order: a bridge whose parent came later */
	}
	return last;
}

int bus_plan_build(struct bus_plan *p)
{
	int cut = 0;

	for (int i = 0; i < p->n; i++) {
		uint32_t r = p->request[i] == NO_REQUEST ? 0 : p->request[i];

		p->grant[i] = r > BUS_LIMIT ? BUS_LIMIT : r;
	}
	for (uint32_t last = bus_plan_last(p); last > p->max_bus; last = bus_plan_last(p)) {
		int big = -1;
		uint32_t second = 0, step;

		for (int i = 0; i < p->n; i++) {
			if (big < 0 || p->grant[i] > p->grant[big]) {
				if (big >= 0 && p->grant[big] > second)
					second = p->grant[big];
				big = i;
			} else if (p->grant[i] > second) {
				second = p->grant[i];
			}
		}
		if (big < 0 || !p->grant[big]) {
			for (int i = 0; i < p->n; i++)
				p->grant[i] = 0;
			return -1;
		}
		step = p->grant[big] - second;
		if (step > last - p->max_bus)
			step = last - p->max_bus;
		p->grant[big] -= step ? step : 1;
	}
	for (int i = 0; i < p->n; i++) {
		uint32_t r = p->request[i] == NO_REQUEST ? 0 : p->request[i];

		cut += p->grant[i] < r;
	}
	return cut;
}
