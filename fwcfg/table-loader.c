// SPDX-License-Identifier: MIT
/* QEMU linker/loader interpreter: validate the whole script, then allocate, link, checksum. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "log.h"
#include "table-loader.h"

/* One script entry as QEMU lays it out (little-endian, like the ROM). */
struct tl_entry {
	uint32_t command;
	union {
		struct {
			char file[TL_NAME_LEN];
			uint32_t align;
			uint8_t zone;
			uint8_t pad[63];
		} __attribute__((packed)) alloc;
		struct {
			char dest[TL_NAME_LEN];
			char src[TL_NAME_LEN];
			uint32_t offset;
			uint8_t size;
			uint8_t pad[7];
		} __attribute__((packed)) pointer;
		struct {
			char file[TL_NAME_LEN];
			uint32_t offset;
			uint32_t start;
			uint32_t length;
			uint8_t pad[56];
		} __attribute__((packed)) cksum;
		struct {
			char dest[TL_NAME_LEN];
			char src[TL_NAME_LEN];
			uint32_t dst_offset;
			uint32_t src_offset;
			uint8_t size;
			uint8_t pad[3];
		} __attribute__((packed)) wrptr;
	};
} __attribute__((packed));

_Static_assert(sizeof(struct tl_entry) == TL_ENTRY_SIZE, "linker/loader entry is 128 bytes");
_Static_assert(offsetof(struct tl_entry, alloc.zone) == 64, "ALLOCATE zone at 64");
_Static_assert(offsetof(struct tl_entry, pointer.size) == 120, "ADD_POINTER size at 120");
_Static_assert(offsetof(struct tl_entry, cksum.length) == 68, "ADD_CHECKSUM length at 68");
_Static_assert(offsetof(struct tl_entry, wrptr.size) == 124, "WRITE_POINTER size at 124");

#define tl_err(idx, kind, fmt, ...)                                                                \
	dlog(LOG_ERR, "table-loader: command %u (%s): " fmt "; ACPI tables not installed\n",       \
	     (unsigned int)(idx), kind, ##__VA_ARGS__)

/* Printable name of a command code. */
static const char *cmd_name(uint32_t command)
{
	switch (command) {
	case TL_CMD_ALLOCATE:
		return "ALLOCATE";
	case TL_CMD_ADD_POINTER:
		return "ADD_POINTER";
	case TL_CMD_ADD_CHECKSUM:
		return "ADD_CHECKSUM";
	case TL_CMD_WRITE_POINTER:
		return "WRITE_POINTER";
	default:
		return "unknown";
	}
}

/* Name of a zone for messages. */
static const char *zone_name(int zone)
{
	return zone == TL_ZONE_FSEG ? "FSEG" : "HIGH";
}

/* Copy entry idx out of the script (which may be unaligned). */
static void get_entry(const void *cmds, uint32_t idx, struct tl_entry *e)
{
	memcpy(e, (const uint8_t *)cmds + (size_t)idx * TL_ENTRY_SIZE, sizeof(*e));
}

/* True if a name field has its NUL inside the field. */
static int name_ok(const char *name)
{
	return strnlen(name, TL_NAME_LEN) < TL_NAME_LEN;
}

/* The file ALLOCATEd (so far) under name, or NULL. */
static struct tl_file *find_file(struct tl_result *res, const char *name)
{
	uint32_t i;

	for (i = 0; i < res->nr_files; i++)
		if (strncmp(res->files[i].name, name, TL_NAME_LEN) == 0)
			return &res->files[i];
	return NULL;
}

/* True if [off, off + len) lies inside a size-byte object, without wrapping. */
static int range_ok(uint32_t off, uint32_t len, uint32_t size)
{
	return (uint64_t)off + len <= size;
}

/* True if value is representable in size bytes. */
static int fits(uint64_t value, uint8_t size)
{
	return size == 8 || (value >> (size * 8)) == 0;
}

/* True for the legal pointer sizes 1, 2, 4 and 8. */
static int size_ok(uint8_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Read a size-byte little-endian value. */
static uint64_t get_le(const uint8_t *p, uint8_t size)
{
	uint64_t v = 0;
	uint8_t i;

	for (i = size; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

/* Store the low size bytes of v little-endian. */
static void put_le(uint8_t *p, uint64_t v, uint8_t size)
{
	uint8_t i;

	for (i = 0; i < size; i++) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* Look up a file a command references: it must have been ALLOCATEd earlier and be non-empty. */
static struct tl_file *ref_file(struct tl_result *res, uint32_t idx, const struct tl_entry *e,
				const char *name, const char *role)
{
	struct tl_file *f;

	if (!name_ok(name)) {
		tl_err(idx, cmd_name(e->command),
		       "%s file name is not NUL-terminated within %u bytes", role, TL_NAME_LEN);
		return NULL;
	}
	f = find_file(res, name);
	if (!f) {
		tl_err(idx, cmd_name(e->command),
		       "%s file \"%s\" was not allocated by an earlier command", role, name);
		return NULL;
	}
	if (f->size == 0) {
		tl_err(idx, cmd_name(e->command), "%s file \"%s\" has size 0 and was skipped", role,
		       name);
		return NULL;
	}
	return f;
}

/* Phase 1 for ALLOCATE: check it and record the file. */
static int check_allocate(const struct tl_ops *ops, struct tl_result *res, uint32_t idx,
			  const struct tl_entry *e)
{
	const char *name = e->alloc.file;
	uint32_t align = e->alloc.align;
	struct tl_file *f;
	uint32_t size;

	if (!name_ok(name)) {
		tl_err(idx, "ALLOCATE", "file name is not NUL-terminated within %u bytes",
		       TL_NAME_LEN);
		return -1;
	}
	if (align & (align - 1)) {
		tl_err(idx, "ALLOCATE", "alignment 0x%x of \"%s\" is not a power of two", align,
		       name);
		return -1;
	}
	if (align > TL_MAX_ALIGN) {
		tl_err(idx, "ALLOCATE", "alignment 0x%x of \"%s\" is above 0x%x", align, name,
		       TL_MAX_ALIGN);
		return -1;
	}
	if (e->alloc.zone != TL_ZONE_HIGH && e->alloc.zone != TL_ZONE_FSEG) {
		tl_err(idx, "ALLOCATE", "unknown zone %u for \"%s\"", e->alloc.zone, name);
		return -1;
	}
	if (find_file(res, name)) {
		tl_err(idx, "ALLOCATE", "\"%s\" is allocated twice", name);
		return -1;
	}
	if (ops->file_size(ops->ctx, name, &size) != 0) {
		tl_err(idx, "ALLOCATE", "file \"%s\" is not in fw_cfg", name);
		return -1;
	}
	if (res->nr_files == TL_MAX_FILES) {
		tl_err(idx, "ALLOCATE", "more than %u files (\"%s\")", TL_MAX_FILES, name);
		return -1;
	}
	f = &res->files[res->nr_files++];
	memcpy(f->name, name, TL_NAME_LEN);
	f->size = size;
	f->align = align ? align : 1;
	f->zone = e->alloc.zone;
	f->cmd = idx;
	if (size == 0)
		dlog(LOG_DEBUG, "table-loader: command %u: \"%s\" has size 0, skipped\n", idx,
		     name);
	return 0;
}

/* Phase 1 for ADD_POINTER: both files earlier and non-empty, size legal, pointer in dest. */
static int check_add_pointer(struct tl_result *res, uint32_t idx, const struct tl_entry *e)
{
	struct tl_file *dest, *src;

	dest = ref_file(res, idx, e, e->pointer.dest, "destination");
	if (!dest)
		return -1;
	src = ref_file(res, idx, e, e->pointer.src, "source");
	if (!src)
		return -1;
	if (!size_ok(e->pointer.size)) {
		tl_err(idx, "ADD_POINTER", "pointer size %u is not 1, 2, 4 or 8", e->pointer.size);
		return -1;
	}
	if (!range_ok(e->pointer.offset, e->pointer.size, dest->size)) {
		tl_err(idx, "ADD_POINTER", "%u-byte pointer at 0x%x is outside \"%s\" (size 0x%x)",
		       e->pointer.size, e->pointer.offset, dest->name, dest->size);
		return -1;
	}
	return 0;
}

/* Phase 1 for ADD_CHECKSUM: file earlier and non-empty, checksum byte and range inside it. */
static int check_add_checksum(struct tl_result *res, uint32_t idx, const struct tl_entry *e)
{
	struct tl_file *f = ref_file(res, idx, e, e->cksum.file, "checksummed");

	if (!f)
		return -1;
	if (e->cksum.offset >= f->size) {
		tl_err(idx, "ADD_CHECKSUM", "checksum offset 0x%x is outside \"%s\" (size 0x%x)",
		       e->cksum.offset, f->name, f->size);
		return -1;
	}
	if (!range_ok(e->cksum.start, e->cksum.length, f->size)) {
		tl_err(idx, "ADD_CHECKSUM", "range 0x%x+0x%x is outside \"%s\" (size 0x%x)",
		       e->cksum.start, e->cksum.length, f->name, f->size);
		return -1;
	}
	return 0;
}

/* Phase 1 for WRITE_POINTER: src earlier, dest a fw_cfg file, both offsets in range; record it. */
static int check_write_pointer(const struct tl_ops *ops, struct tl_result *res, uint32_t idx,
			       const struct tl_entry *e)
{
	const char *dest = e->wrptr.dest;
	struct tl_write_pointer *wp;
	struct tl_file *src;
	uint32_t dest_size;

	if (!name_ok(dest)) {
		tl_err(idx, "WRITE_POINTER",
		       "destination file name is not NUL-terminated within %u bytes", TL_NAME_LEN);
		return -1;
	}
	src = ref_file(res, idx, e, e->wrptr.src, "source");
	if (!src)
		return -1;
	if (!size_ok(e->wrptr.size)) {
		tl_err(idx, "WRITE_POINTER", "pointer size %u is not 1, 2, 4 or 8", e->wrptr.size);
		return -1;
	}
	if (e->wrptr.src_offset >= src->size) {
		tl_err(idx, "WRITE_POINTER", "source offset 0x%x is outside \"%s\" (size 0x%x)",
		       e->wrptr.src_offset, src->name, src->size);
		return -1;
	}
	if (!ops->file_write) {
		tl_err(idx, "WRITE_POINTER", "this platform cannot write fw_cfg file \"%s\"", dest);
		return -1;
	}
	if (ops->file_size(ops->ctx, dest, &dest_size) != 0) {
		tl_err(idx, "WRITE_POINTER", "destination file \"%s\" is not in fw_cfg", dest);
		return -1;
	}
	if (!range_ok(e->wrptr.dst_offset, e->wrptr.size, dest_size)) {
		tl_err(idx, "WRITE_POINTER",
		       "%u-byte pointer at 0x%x is outside \"%s\" (size 0x%x)", e->wrptr.size,
		       e->wrptr.dst_offset, dest, dest_size);
		return -1;
	}
	if (res->nr_write_pointers == TL_MAX_WRITE_POINTERS) {
		tl_err(idx, "WRITE_POINTER", "more than %u WRITE_POINTER commands",
		       TL_MAX_WRITE_POINTERS);
		return -1;
	}
	wp = &res->write_pointers[res->nr_write_pointers++];
	memcpy(wp->file, dest, TL_NAME_LEN);
	wp->offset = e->wrptr.dst_offset;
	wp->size = e->wrptr.size;
	return 0;
}

/* Phase 1: check every entry against every rule that does not need file contents. */
static int validate(const struct tl_ops *ops, const void *cmds, uint32_t nr, struct tl_result *res)
{
	struct tl_entry e;
	uint32_t i;
	int rc;

	for (i = 0; i < nr; i++) {
		get_entry(cmds, i, &e);
		switch (e.command) {
		case TL_CMD_ALLOCATE:
			rc = check_allocate(ops, res, i, &e);
			break;
		case TL_CMD_ADD_POINTER:
			rc = check_add_pointer(res, i, &e);
			break;
		case TL_CMD_ADD_CHECKSUM:
			rc = check_add_checksum(res, i, &e);
			break;
		case TL_CMD_WRITE_POINTER:
			rc = check_write_pointer(ops, res, i, &e);
			break;
		case 0:
			rc = 0;
			break;
		default:
			dlog(LOG_DEBUG, "table-loader: command %u: unknown code 0x%x, skipped\n", i,
			     e.command);
			rc = 0;
			break;
		}
		if (rc) {
			res->err_cmd = i;
			return TL_ERR_INVALID;
		}
	}
	return TL_OK;
}

/* Phase 2a: allocate every non-empty file and read it in. */
static int load_files(const struct tl_ops *ops, struct tl_result *res)
{
	uint32_t i;

	for (i = 0; i < res->nr_files; i++) {
		struct tl_file *f = &res->files[i];

		if (f->size == 0)
			continue;
		res->err_cmd = f->cmd;
		f->data = ops->alloc(ops->ctx, f->zone, f->size, f->align, &f->phys);
		if (!f->data) {
			tl_err(f->cmd, "ALLOCATE", "no room for 0x%x bytes of \"%s\" in zone %s",
			       f->size, f->name, zone_name(f->zone));
			return TL_ERR_NOMEM;
		}
		res->nr_allocs++;
		res->allocated[f->zone] += f->size;
		if (f->phys & (f->align - 1)) {
			tl_err(f->cmd, "ALLOCATE",
			       "allocator returned 0x%llx for \"%s\", not aligned to 0x%x",
			       (unsigned long long)f->phys, f->name, f->align);
			return TL_ERR_IO;
		}
		if (ops->file_read(ops->ctx, f->name, f->data, f->size) != 0) {
			tl_err(f->cmd, "ALLOCATE",
			       "reading 0x%x bytes of \"%s\" from fw_cfg failed", f->size, f->name);
			return TL_ERR_IO;
		}
		dlog(LOG_DEBUG, "table-loader: \"%s\" 0x%x bytes at 0x%llx (%s)\n", f->name,
		     f->size, (unsigned long long)f->phys, zone_name(f->zone));
	}
	res->err_cmd = TL_NO_CMD;
	return TL_OK;
}

/* Phase 2b for ADD_POINTER: relocate one pointer, checking its value before and after. */
static int apply_add_pointer(struct tl_result *res, uint32_t idx, const struct tl_entry *e)
{
	struct tl_file *dest = find_file(res, e->pointer.dest);
	struct tl_file *src = find_file(res, e->pointer.src);
	uint8_t *p = (uint8_t *)dest->data + e->pointer.offset;
	uint64_t v = get_le(p, e->pointer.size);
	uint64_t nv = v + src->phys;

	if (v >= src->size) {
		tl_err(idx, "ADD_POINTER",
		       "value 0x%llx at \"%s\"+0x%x is not an offset into \"%s\" (size 0x%x)",
		       (unsigned long long)v, dest->name, e->pointer.offset, src->name, src->size);
		return -1;
	}
	if (nv < v || !fits(nv, e->pointer.size)) {
		tl_err(idx, "ADD_POINTER", "address 0x%llx+0x%llx does not fit in %u bytes",
		       (unsigned long long)src->phys, (unsigned long long)v, e->pointer.size);
		return -1;
	}
	put_le(p, nv, e->pointer.size);
	return 0;
}

/* Phase 2b for ADD_CHECKSUM: make the byte sum of the range zero through the checksum byte. */
static void apply_add_checksum(struct tl_result *res, const struct tl_entry *e)
{
	struct tl_file *f = find_file(res, e->cksum.file);
	const uint8_t *p = (const uint8_t *)f->data + e->cksum.start;
	uint8_t sum = 0;
	uint32_t i;

	for (i = 0; i < e->cksum.length; i++)
		sum += p[i];
	((uint8_t *)f->data)[e->cksum.offset] -= sum;
}

/* Phase 2b for WRITE_POINTER: compute the address to write back and check it fits. */
static int plan_write_pointer(struct tl_result *res, uint32_t idx, const struct tl_entry *e,
			      struct tl_write_pointer *wp)
{
	struct tl_file *src = find_file(res, e->wrptr.src);
	uint64_t v = src->phys + e->wrptr.src_offset;

	if (v < src->phys || !fits(v, e->wrptr.size)) {
		tl_err(idx, "WRITE_POINTER", "address 0x%llx+0x%x does not fit in %u bytes",
		       (unsigned long long)src->phys, e->wrptr.src_offset, e->wrptr.size);
		return -1;
	}
	wp->value = v;
	return 0;
}

/* Phase 2b: apply pointers and checksums in script order and compute WRITE_POINTER values. */
static int link_tables(const void *cmds, uint32_t nr, struct tl_result *res)
{
	uint32_t i, nwp = 0;
	struct tl_entry e;
	int rc;

	for (i = 0; i < nr; i++) {
		get_entry(cmds, i, &e);
		switch (e.command) {
		case TL_CMD_ADD_POINTER:
			rc = apply_add_pointer(res, i, &e);
			break;
		case TL_CMD_ADD_CHECKSUM:
			apply_add_checksum(res, &e);
			rc = 0;
			break;
		case TL_CMD_WRITE_POINTER:
			rc = plan_write_pointer(res, i, &e, &res->write_pointers[nwp++]);
			break;
		default:
			rc = 0;
			break;
		}
		if (rc) {
			res->err_cmd = i;
			return TL_ERR_INVALID;
		}
	}
	return TL_OK;
}

/* Find the RSDP: the first FSEG file whose contents start with its signature. */
static void find_rsdp(struct tl_result *res)
{
	uint32_t i;

	for (i = 0; i < res->nr_files; i++) {
		const struct tl_file *f = &res->files[i];

		if (f->zone == TL_ZONE_FSEG && f->size >= 8 &&
		    memcmp(f->data, "RSD PTR ", 8) == 0) {
			res->rsdp = f->phys;
			return;
		}
	}
}

int table_loader_run(const struct tl_ops *ops, const void *cmds, uint32_t len,
		     struct tl_result *res)
{
	uint32_t nr = len / TL_ENTRY_SIZE;
	int rc;

	memset(res, 0, sizeof(*res));
	res->err_cmd = TL_NO_CMD;
	if (len % TL_ENTRY_SIZE) {
		dlog(LOG_ERR,
		     "table-loader: size %u is not a multiple of %u; ACPI tables not installed\n",
		     len, TL_ENTRY_SIZE);
		return TL_ERR_INVALID;
	}
	rc = validate(ops, cmds, nr, res);
	if (rc == TL_OK)
		rc = load_files(ops, res);
	if (rc == TL_OK)
		rc = link_tables(cmds, nr, res);
	if (rc != TL_OK)
		return rc;
	find_rsdp(res);
	table_loader_replay(ops, res);
	dlog(LOG_INFO,
	     "table-loader: %u files, 0x%x bytes HIGH, 0x%x bytes FSEG, %u write-backs, RSDP at "
	     "0x%llx\n",
	     res->nr_files, res->allocated[TL_ZONE_HIGH], res->allocated[TL_ZONE_FSEG],
	     res->nr_write_pointers, (unsigned long long)res->rsdp);
	return TL_OK;
}

uint64_t table_loader_addr(const struct tl_result *res, const char *name)
{
	uint32_t i;

	for (i = 0; i < res->nr_files; i++)
		if (strncmp(res->files[i].name, name, TL_NAME_LEN) == 0)
			return res->files[i].data ? res->files[i].phys : 0;
	return 0;
}

uint32_t table_loader_replay(const struct tl_ops *ops, const struct tl_result *res)
{
	uint32_t i, failed = 0;
	uint8_t buf[8];

	if (!ops->file_write)
		return res->nr_write_pointers;
	for (i = 0; i < res->nr_write_pointers; i++) {
		const struct tl_write_pointer *wp = &res->write_pointers[i];

		put_le(buf, wp->value, wp->size);
		if (ops->file_write(ops->ctx, wp->file, wp->offset, buf, wp->size) != 0) {
			dlog(LOG_ERR,
			     "table-loader: writing 0x%llx to \"%s\"+0x%x failed; the device will "
			     "not know the address\n",
			     (unsigned long long)wp->value, wp->file, wp->offset);
			failed++;
		}
	}
	return failed;
}
