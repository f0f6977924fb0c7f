// SPDX-License-Identifier: MIT
/* Fuzz the linker/loader interpreter: fuzzer bytes give fake fw_cfg files and the script.
 *
 * Input: u8 flags, u8 nfiles, then per file u8 name index, u16 size (LE) and its contents
 * (zero-filled if the input runs out), then the loader script (all remaining bytes).
 *
 * The zone arenas are poisoned for AddressSanitizer outside the live allocations, so any
 * access outside them traps; the bytes between allocations (alignment padding) and just past
 * the last one must keep the fill pattern. Per input only the span the previous input used
 * is refilled and checked, never the whole arena. */
#include <sanitizer/asan_interface.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "table-loader.h"

#define NR_NAMES  6
#define MAX_FILES 6
#define HIGH_CAP  0x10000
#define FSEG_CAP  0x1000
#define MAX_ALLOC 64
#define FILL	  0xcc
#define SLACK	  16 /* bytes past the last allocation checked for stray writes */

static const char *const names[NR_NAMES] = {
	"etc/acpi/rsdp",    "etc/acpi/tables", "etc/vmgenid_guid",
	"etc/vmgenid_addr", "etc/tpm/log",     "etc/hardware_errors_addr",
};

static const uint64_t high_bases[8] = {
	0x7fe00000, 0x40, 0xff00, 0xfffff000, 0x100000000ull, 0xfffffffffff00000ull, 0x1000, 0xf0,
};

struct ffile {
	const char *name;
	uint32_t size;
	uint8_t data[HIGH_CAP];
	uint8_t orig[HIGH_CAP];
};

struct region {
	uint8_t *p;
	uint32_t len;
	uint64_t phys;
	uint32_t align;
	int zone;
};

static struct {
	struct ffile files[MAX_FILES];
	int nr_files;
	uint8_t high[HIGH_CAP];
	uint8_t fseg[FSEG_CAP];
	uint32_t used[3];
	uint64_t base[3];
	struct region allocs[MAX_ALLOC];
	int nr_allocs;
	int writes;
	int fail_read;
	int fail_write;
	uint32_t dirty[3]; /* arena bytes the previous input may have changed */
	bool filled;
} fk;

static struct tl_result res;

/* The fake file called name, or NULL. */
static ORACLE struct ffile *find(const char *name)
{
	int i;

	for (i = 0; i < fk.nr_files; i++)
		if (strcmp(fk.files[i].name, name) == 0)
			return &fk.files[i];
	return NULL;
}

/* Fake tl_ops.file_size. */
static int op_file_size(void *ctx, const char *name, uint32_t *size)
{
	struct ffile *f = find(name);

	(void)ctx;
	if (!f)
		return -1;
	*size = f->size;
	return 0;
}

/* Fake tl_ops.file_read: only into a live allocation, never after a write. */
static int op_file_read(void *ctx, const char *name, void *dst, uint32_t len)
{
	struct ffile *f = find(name);
	int i, inside = 0;

	(void)ctx;
	if (fk.writes || !f || len != f->size)
		__builtin_trap();
	for (i = 0; i < fk.nr_allocs; i++)
		if (fk.allocs[i].p == dst && fk.allocs[i].len == len)
			inside = 1;
	if (!inside)
		__builtin_trap();
	if (fk.fail_read)
		return -1;
	memcpy(dst, f->data, len);
	return 0;
}

/* Fake tl_ops.alloc: checks its arguments, bump-allocates in a filled arena. */
static void *op_alloc(void *ctx, int zone, uint32_t len, uint32_t align, uint64_t *phys)
{
	uint32_t cap = zone == TL_ZONE_FSEG ? FSEG_CAP : HIGH_CAP;
	uint8_t *mem = zone == TL_ZONE_FSEG ? fk.fseg : fk.high;
	struct region *r;
	uint64_t off;

	(void)ctx;
	if (fk.writes || (zone != TL_ZONE_HIGH && zone != TL_ZONE_FSEG) || len == 0 || align == 0 ||
	    align > TL_MAX_ALIGN || (align & (align - 1)) || fk.nr_allocs == MAX_ALLOC)
		__builtin_trap();
	off = ((fk.base[zone] + fk.used[zone] + align - 1) & ~(uint64_t)(align - 1)) -
	      fk.base[zone];
	if (off + len > cap)
		return NULL;
	fk.used[zone] = (uint32_t)(off + len);
	ASAN_UNPOISON_MEMORY_REGION(mem + off, len);
	r = &fk.allocs[fk.nr_allocs++];
	r->p = mem + off;
	r->len = len;
	r->phys = fk.base[zone] + off;
	r->align = align;
	r->zone = zone;
	*phys = r->phys;
	return r->p;
}

/* Fake tl_ops.file_write: only inside the destination file, with a legal size. */
static int op_file_write(void *ctx, const char *name, uint32_t offset, const void *src,
			 uint32_t len)
{
	struct ffile *f = find(name);

	(void)ctx;
	if (!f || (len != 1 && len != 2 && len != 4 && len != 8) ||
	    (uint64_t)offset + len > f->size)
		__builtin_trap();
	fk.writes++;
	if (fk.fail_write)
		return -1;
	memcpy(f->data + offset, src, len);
	return 0;
}

static const struct tl_ops ops = {
	.file_size = op_file_size,
	.file_read = op_file_read,
	.alloc = op_alloc,
	.file_write = op_file_write,
};

/* Bytes [from, to) of an arena must still hold the fill pattern. */
static ORACLE void check_fill(const uint8_t *mem, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		if (mem[i] != FILL)
			__builtin_trap();
}

/* Outside the allocations (which the bump allocator hands out in address order) the used
 * part of a zone arena and SLACK bytes past it still hold the fill pattern. */
static void check_arena(int zone, const uint8_t *mem, uint32_t cap)
{
	uint64_t at = 0, end = fk.used[zone] + SLACK < cap ? fk.used[zone] + SLACK : cap;

	ASAN_UNPOISON_MEMORY_REGION(mem, end);
	for (int k = 0; k < fk.nr_allocs; k++) {
		const struct region *r = &fk.allocs[k];

		if (r->zone != zone)
			continue;
		if ((uint64_t)(r->p - mem) < at)
			__builtin_trap();
		check_fill(mem, at, (uint64_t)(r->p - mem));
		at = (uint64_t)(r->p - mem) + r->len;
	}
	check_fill(mem, at, end);
	fk.dirty[zone] = (uint32_t)end;
}

/* Refill what the previous input used and poison the whole arena again. */
static void reset_arena(int zone, uint8_t *mem, uint32_t cap)
{
	ASAN_UNPOISON_MEMORY_REGION(mem, cap);
	memset(mem, FILL, fk.filled ? fk.dirty[zone] : cap);
	ASAN_POISON_MEMORY_REGION(mem, cap);
}

/* Invariants of a successful run. */
static void check_success(void)
{
	uint32_t i;
	int k;

	for (i = 0; i < res.nr_files; i++) {
		const struct tl_file *f = &res.files[i];
		int found = 0;

		if (f->size == 0) {
			if (f->data || table_loader_addr(&res, f->name) != 0)
				__builtin_trap();
			continue;
		}
		for (k = 0; k < fk.nr_allocs; k++)
			if (fk.allocs[k].p == f->data && fk.allocs[k].phys == f->phys &&
			    fk.allocs[k].len == f->size && fk.allocs[k].zone == f->zone)
				found = 1;
		if (!found || (f->phys & (f->align - 1)) ||
		    table_loader_addr(&res, f->name) != f->phys)
			__builtin_trap();
		if (res.rsdp == f->phys &&
		    (f->zone != TL_ZONE_FSEG || memcmp(f->data, "RSD PTR ", 8)))
			__builtin_trap();
	}
	for (i = 0; i < res.nr_write_pointers; i++) {
		const struct tl_write_pointer *wp = &res.write_pointers[i];

		if (wp->size < 8 && (wp->value >> (wp->size * 8)))
			__builtin_trap();
	}
	if (!fk.fail_write && res.nr_write_pointers) {
		/* the last write to each place wins: check the final one of each */
		const struct tl_write_pointer *wp = &res.write_pointers[res.nr_write_pointers - 1];
		struct ffile *f = find(wp->file);
		uint64_t v = 0;

		memcpy(&v, f->data + wp->offset, wp->size);
		if (v != wp->value)
			__builtin_trap();
	}
	if ((int)res.nr_allocs != fk.nr_allocs || fk.writes != (int)res.nr_write_pointers)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Build the fake fw_cfg from the input, run the script, check the invariants. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 2;
	uint8_t flags, n;
	struct tl_ops o = ops;
	int i, rc;

	if (size < 2)
		return 0;
	reset_arena(TL_ZONE_HIGH, fk.high, HIGH_CAP);
	reset_arena(TL_ZONE_FSEG, fk.fseg, FSEG_CAP);
	fk.filled = true;
	fk.nr_files = 0;
	fk.nr_allocs = 0;
	fk.writes = 0;
	fk.used[TL_ZONE_HIGH] = fk.used[TL_ZONE_FSEG] = 0;
	flags = data[0];
	n = data[1] % (MAX_FILES + 1);
	fk.base[TL_ZONE_HIGH] = high_bases[flags & 7];
	fk.base[TL_ZONE_FSEG] = 0xf0000;
	fk.fail_read = (flags & 0x18) == 0x18;
	fk.fail_write = (flags & 0x60) == 0x60;
	if (flags & 0x80)
		o.file_write = NULL;
	for (i = 0; i < n && pos + 3 <= size; i++) {
		const char *name = names[data[pos] % NR_NAMES];
		uint32_t fsize = (uint32_t)(data[pos + 1] | data[pos + 2] << 8) % (HIGH_CAP / 2);
		uint32_t avail;
		struct ffile *f;

		pos += 3;
		if (find(name))
			continue;
		f = &fk.files[fk.nr_files++];
		f->name = name;
		f->size = fsize;
		avail = size - pos < fsize ? (uint32_t)(size - pos) : fsize;
		memset(f->data, 0, fsize);
		memcpy(f->data, data + pos, avail);
		memcpy(f->orig, f->data, fsize);
		pos += avail;
	}
	rc = table_loader_run(&o, data + pos, (uint32_t)(size - pos), &res);
	if (rc != TL_OK) {
		if (fk.writes)
			__builtin_trap();
		for (i = 0; i < fk.nr_files; i++)
			if (memcmp(fk.files[i].orig, fk.files[i].data, fk.files[i].size))
				__builtin_trap();
		if (res.err_cmd != TL_NO_CMD && res.err_cmd >= (size - pos) / TL_ENTRY_SIZE)
			__builtin_trap();
		if ((int)res.nr_allocs != fk.nr_allocs)
			__builtin_trap();
	} else {
		check_success();
	}
	check_arena(TL_ZONE_HIGH, fk.high, HIGH_CAP);
	check_arena(TL_ZONE_FSEG, fk.fseg, FSEG_CAP);
	return 0;
}
