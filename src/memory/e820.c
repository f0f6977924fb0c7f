// SPDX-License-Identifier: MIT
/* Memory map arithmetic: add/carve/query over a sorted list of typed ranges. */
#include <string.h>

#include "e820.h"
#include "log.h"

void e820_init(struct e820_map *m)
{
	m->count = 0;
}

/* End of a range, saturating at 2^64 - 1 for ranges that reach the top. */
static uint64_t range_end(uint64_t start, uint64_t size)
{
	return size > UINT64_MAX - start ? UINT64_MAX : start + size;
}

/* Append [start,end) to out, merging with the previous entry when adjacent and alike. */
static bool push(struct e820_entry *out, int *n, uint64_t start, uint64_t end, uint32_t type)
{
	if (end <= start)
		return true;
	if (*n && out[*n - 1].type == type &&
	    range_end(out[*n - 1].start, out[*n - 1].size) == start) {
		out[*n - 1].size += end - start;
		return true;
	}
	if (*n == E820_MAX)
		return false;
	out[*n].start = start;
	out[*n].size = end - start;
	out[*n].type = type;
	(*n)++;
	return true;
}

/* Rebuild the map with [start,end) replaced by type (0 = hole). */
static int e820_set(struct e820_map *m, uint64_t start, uint64_t end, uint32_t type)
{
	struct e820_entry out[E820_MAX];
	bool placed = false;
	int n = 0;

	if (end <= start)
		return 0;
	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t e_end = range_end(e->start, e->size);

		if (!placed && e->start >= start) {
			if (type && !push(out, &n, start, end, type))
				return -1;
			placed = true;
		}
		/* Keep the parts of e outside [start,end). */
		if (e->start < start &&
		    !push(out, &n, e->start, e_end < start ? e_end : start, e->type))
			return -1;
		if (!placed && e_end > start) {
			if (type && !push(out, &n, start, end, type))
				return -1;
			placed = true;
		}
		if (e_end > end && !push(out, &n, e->start > end ? e->start : end, e_end, e->type))
			return -1;
	}
	if (!placed && type && !push(out, &n, start, end, type))
		return -1;
	memcpy(m->e, out, (size_t)n * sizeof(out[0]));
	m->count = n;
	return 0;
}

int e820_add(struct e820_map *m, uint64_t start, uint64_t size, uint32_t type)
{
	if (!type)
		return -1;
	if (e820_set(m, start, range_end(start, size), type)) {
		dlog(LOG_ERR, "e820: map full (%d entries), %llx+%llx type %u not added\n",
		     E820_MAX, (unsigned long long)start, (unsigned long long)size, type);
		return -1;
	}
	return 0;
}

int e820_remove(struct e820_map *m, uint64_t start, uint64_t size)
{
	return e820_set(m, start, range_end(start, size), 0);
}

bool e820_covered(const struct e820_map *m, uint64_t start, uint64_t size, uint32_t type)
{
	uint64_t end = range_end(start, size);

	for (int i = 0; i < m->count && start < end; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t e_end = range_end(e->start, e->size);

		if (e_end <= start)
			continue;
		if (e->start > start || e->type != type)
			return false;
		start = e_end;
	}
	return start >= end;
}

uint64_t e820_ram_top_below(const struct e820_map *m, uint64_t limit)
{
	uint64_t top = 0;

	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t end = range_end(e->start, e->size);

		if (e->type != E820_RAM || e->start >= limit)
			continue;
		top = end < limit ? end : limit;
	}
	return top;
}

uint64_t e820_ram_top(const struct e820_map *m)
{
	return e820_ram_top_below(m, UINT64_MAX);
}

uint64_t e820_ram_total(const struct e820_map *m)
{
	uint64_t total = 0;

	for (int i = 0; i < m->count; i++)
		if (m->e[i].type == E820_RAM)
			total += m->e[i].size;
	return total;
}

int e820_load_qemu(struct e820_map *m, const uint8_t *buf, size_t len)
{
	struct e820_map tmp = *m;
	int used = 0;

	if (len % 20) {
		dlog(LOG_ERR, "e820: etc/e820 size %u is not a multiple of 20\n",
		     (unsigned int)len);
		return -1;
	}
	/* RAM first, then reservations, so a reservation inside RAM always wins. */
	for (uint32_t pass = E820_RAM; pass <= E820_RESERVED; pass++) {
		for (size_t off = 0; off < len; off += 20) {
			uint64_t start, size;
			uint32_t type;

			memcpy(&start, buf + off, 8);
			memcpy(&size, buf + off + 8, 8);
			memcpy(&type, buf + off + 16, 4);
			if (type != pass || !size)
				continue;
			if (e820_add(&tmp, start, size, type))
				return -1;
			used++;
		}
	}
	*m = tmp;
	return used;
}

const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return "RAM";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI";
	case E820_NVS:
		return "NVS";
	case E820_UNUSABLE:
		return "unusable";
	case E820_TABLE:
		return "tables";
	default:
		return "other";
	}
}

void e820_log(const struct e820_map *m, int level, const char *title)
{
	dlog(level, "%s (%d ranges):\n", title, m->count);
	for (int i = 0; i < m->count; i++)
		dlog(level, "  %016llx-%016llx %s\n", (unsigned long long)m->e[i].start,
		     (unsigned long long)(m->e[i].start + m->e[i].size - 1),
		     e820_type_name(m->e[i].type));
}
