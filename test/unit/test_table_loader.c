// SPDX-License-Identifier: MIT
/* Unit tests of the linker/loader interpreter against an in-memory fake fw_cfg. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_log.h"
#include "table-loader.h"

#define MAX_FAKE_FILES 48
#define MAX_WRITES     16
#define SCRIPT_MAX     96

struct fake_file {
	char name[64];
	uint8_t *data;
	uint8_t *orig;
	uint32_t size;
};

struct fake_zone {
	uint64_t base;
	uint32_t cap;
	uint32_t used;
	uint8_t *mem;
};

struct fake_write {
	char name[64];
	uint32_t offset;
	uint32_t len;
	uint8_t data[8];
	uint32_t seq;
};

struct fake {
	struct fake_file files[MAX_FAKE_FILES];
	int nr_files;
	struct fake_zone zone[3];
	struct fake_write writes[MAX_WRITES];
	int nr_writes;
	int alloc_calls;
	uint32_t seq;
	uint32_t last_load_seq;
	int fail_read;
	int fail_write;
	int misalign;
};

struct script {
	uint8_t buf[SCRIPT_MAX * 128];
	uint32_t n;
};

static struct fake fk;
static struct script sc;
static struct tl_result res;

/* Fake fw_cfg: find a file by name. */
static struct fake_file *fake_find(const char *name)
{
	int i;

	for (i = 0; i < fk.nr_files; i++)
		if (strcmp(fk.files[i].name, name) == 0)
			return &fk.files[i];
	return NULL;
}

/* Fake fw_cfg: add a file with the given contents (NULL: zeroes). */
static uint8_t *fake_add(const char *name, uint32_t size, const void *data)
{
	struct fake_file *f = &fk.files[fk.nr_files++];

	assert_true(fk.nr_files <= MAX_FAKE_FILES);
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->size = size;
	f->data = calloc(1, size + 1);
	f->orig = calloc(1, size + 1);
	if (data)
		memcpy(f->data, data, size);
	return f->data;
}

/* Remember the current file contents, to check later that nothing changed. */
static void fake_snapshot(void)
{
	int i;

	for (i = 0; i < fk.nr_files; i++)
		memcpy(fk.files[i].orig, fk.files[i].data, fk.files[i].size);
}

/* True if no fake file differs from its snapshot. */
static int fake_unchanged(void)
{
	int i;

	for (i = 0; i < fk.nr_files; i++)
		if (memcmp(fk.files[i].orig, fk.files[i].data, fk.files[i].size))
			return 0;
	return 1;
}

/* Fake tl_ops.file_size over the in-memory files. */
static int op_file_size(void *ctx, const char *name, uint32_t *size)
{
	struct fake_file *f = fake_find(name);

	(void)ctx;
	if (!f)
		return -1;
	*size = f->size;
	return 0;
}

/* Fake tl_ops.file_read; records when the last load happened. */
static int op_file_read(void *ctx, const char *name, void *dst, uint32_t len)
{
	struct fake_file *f = fake_find(name);

	(void)ctx;
	fk.last_load_seq = ++fk.seq;
	if (fk.fail_read || !f || len > f->size)
		return -1;
	memcpy(dst, f->data, len);
	return 0;
}

/* Fake tl_ops.alloc: bump allocator in a per-zone arena at a configurable base. */
static void *op_alloc(void *ctx, int zone, uint32_t len, uint32_t align, uint64_t *phys)
{
	struct fake_zone *z;
	uint64_t addr;

	(void)ctx;
	fk.alloc_calls++;
	fk.last_load_seq = ++fk.seq;
	assert_true(zone == TL_ZONE_HIGH || zone == TL_ZONE_FSEG);
	assert_true(len > 0);
	assert_true(align >= 1 && align <= TL_MAX_ALIGN && (align & (align - 1)) == 0);
	z = &fk.zone[zone];
	addr = (z->base + z->used + align - 1) & ~(uint64_t)(align - 1);
	if (addr - z->base + len > z->cap)
		return NULL;
	z->used = (uint32_t)(addr - z->base + len);
	*phys = addr + (fk.misalign ? 1 : 0);
	return z->mem + (addr - z->base);
}

/* Fake tl_ops.file_write: logs the write and applies it unless told to fail. */
static int op_file_write(void *ctx, const char *name, uint32_t offset, const void *src,
			 uint32_t len)
{
	struct fake_file *f = fake_find(name);
	struct fake_write *w = &fk.writes[fk.nr_writes++];

	(void)ctx;
	assert_true(fk.nr_writes <= MAX_WRITES);
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->offset = offset;
	w->len = len;
	w->seq = ++fk.seq;
	assert_true(len <= 8);
	memcpy(w->data, src, len);
	if (fk.fail_write)
		return -1;
	assert_non_null(f);
	assert_true((uint64_t)offset + len <= f->size);
	memcpy(f->data + offset, src, len);
	return 0;
}

static const struct tl_ops fake_ops = {
	.ctx = &fk,
	.file_size = op_file_size,
	.file_read = op_file_read,
	.alloc = op_alloc,
	.file_write = op_file_write,
};

/* Reset the fake, the script and the log before each test. */
static int setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	memset(&sc, 0, sizeof(sc));
	fk.zone[TL_ZONE_HIGH] = (struct fake_zone){.base = 0x7fe00000, .cap = 0x40000};
	fk.zone[TL_ZONE_FSEG] = (struct fake_zone){.base = 0xf0000, .cap = 0x10000};
	fk.zone[TL_ZONE_HIGH].mem = calloc(1, 0x40000);
	fk.zone[TL_ZONE_FSEG].mem = calloc(1, 0x10000);
	host_log_clear();
	return 0;
}

/* Free what setup() and fake_add() allocated. */
static int teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < fk.nr_files; i++) {
		free(fk.files[i].data);
		free(fk.files[i].orig);
	}
	free(fk.zone[TL_ZONE_HIGH].mem);
	free(fk.zone[TL_ZONE_FSEG].mem);
	return 0;
}

/* Start over inside a test that checks several scripts. */
static void reset(void)
{
	teardown(NULL);
	setup(NULL);
}

/* Next 128-byte script entry with its command code set. */
static uint8_t *s_entry(uint32_t command)
{
	uint8_t *e;

	assert_true(sc.n < SCRIPT_MAX);
	e = sc.buf + sc.n++ * 128;
	memcpy(e, &command, 4);
	return e;
}

/* Store a name field (at most 56 bytes, no NUL added when 56 long). */
static void s_name(uint8_t *field, const char *name)
{
	size_t n = strlen(name);

	memcpy(field, name, n < 56 ? n : 56);
}

/* Store a little-endian u32 field. */
static void s_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Append an ALLOCATE entry. */
static void s_alloc(const char *file, uint32_t align, uint8_t zone)
{
	uint8_t *e = s_entry(TL_CMD_ALLOCATE);

	s_name(e + 4, file);
	s_u32(e + 60, align);
	e[64] = zone;
}

/* Append an ADD_POINTER entry. */
static void s_ptr(const char *dest, const char *src, uint32_t offset, uint8_t size)
{
	uint8_t *e = s_entry(TL_CMD_ADD_POINTER);

	s_name(e + 4, dest);
	s_name(e + 60, src);
	s_u32(e + 116, offset);
	e[120] = size;
}

/* Append an ADD_CHECKSUM entry. */
static void s_cksum(const char *file, uint32_t offset, uint32_t start, uint32_t length)
{
	uint8_t *e = s_entry(TL_CMD_ADD_CHECKSUM);

	s_name(e + 4, file);
	s_u32(e + 60, offset);
	s_u32(e + 64, start);
	s_u32(e + 68, length);
}

/* Append a WRITE_POINTER entry. */
static void s_wptr(const char *dest, const char *src, uint32_t dst_off, uint32_t src_off,
		   uint8_t size)
{
	uint8_t *e = s_entry(TL_CMD_WRITE_POINTER);

	s_name(e + 4, dest);
	s_name(e + 60, src);
	s_u32(e + 116, dst_off);
	s_u32(e + 120, src_off);
	e[124] = size;
}

/* Run the script built so far. */
static int run(void)
{
	fake_snapshot();
	return table_loader_run(&fake_ops, sc.buf, sc.n * 128, &res);
}

/* Read a size-byte little-endian value. */
static uint64_t le(const uint8_t *p, int size)
{
	uint64_t v = 0;

	while (size--)
		v = (v << 8) | p[size];
	return v;
}

/* 8-bit sum of len bytes. */
static uint8_t sum8(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* Host pointer of an allocated file in the result. */
static uint8_t *data_of(const char *name)
{
	uint32_t i;

	for (i = 0; i < res.nr_files; i++)
		if (strcmp(res.files[i].name, name) == 0)
			return res.files[i].data;
	fail_msg("%s not in result", name);
	return NULL;
}

/* Assert a failed run: status, failing index, the log line, and no visible side effects. */
static void expect_error(int rc, int status, uint32_t idx, const char *kind, const char *reason)
{
	char head[96];

	assert_int_equal(rc, status);
	assert_int_equal(res.err_cmd, idx);
	snprintf(head, sizeof(head), "table-loader: command %u (%s): ", idx, kind);
	if (!host_log_has(head) || !host_log_has(reason))
		fail_msg("log lacks \"%s\" / \"%s\": %s", head, reason, host_log_text());
	assert_true(host_log_has("ACPI tables not installed"));
	assert_int_equal(fk.nr_writes, 0);
	assert_true(fake_unchanged());
}

/* Like expect_error, for rules found before anything was allocated. */
static void expect_invalid(int rc, uint32_t idx, const char *kind, const char *reason)
{
	expect_error(rc, TL_ERR_INVALID, idx, kind, reason);
	assert_int_equal(fk.alloc_calls, 0);
	assert_int_equal(res.nr_allocs, 0);
}

/* --------------------------------------------------------------- each command */

/* ALLOCATE in HIGH: aligned address, contents read, byte count reported. */
static void test_allocate_high(void **state)
{
	uint8_t blob[300];
	int i;

	(void)state;
	for (i = 0; i < 300; i++)
		blob[i] = (uint8_t)(i * 7 + 1);
	fake_add("etc/acpi/tables", 300, blob);
	fk.zone[TL_ZONE_HIGH].used = 3; /* force the allocator to align */
	s_alloc("etc/acpi/tables", 64, TL_ZONE_HIGH);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(res.nr_files, 1);
	assert_int_equal(res.files[0].phys, 0x7fe00040);
	assert_int_equal(table_loader_addr(&res, "etc/acpi/tables"), 0x7fe00040);
	assert_memory_equal(data_of("etc/acpi/tables"), blob, 300);
	assert_int_equal(res.allocated[TL_ZONE_HIGH], 300);
	assert_int_equal(res.allocated[TL_ZONE_FSEG], 0);
	assert_int_equal(res.nr_allocs, 1);
	assert_int_equal(res.rsdp, 0);
	assert_int_equal(res.err_cmd, TL_NO_CMD);
}

/* ALLOCATE in FSEG: the RSDP is found by its signature. */
static void test_allocate_fseg_rsdp(void **state)
{
	uint8_t rsdp[20] = "RSD PTR ";

	(void)state;
	fake_add("etc/acpi/rsdp", 20, rsdp);
	s_alloc("etc/acpi/rsdp", 16, TL_ZONE_FSEG);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(res.files[0].phys, 0xf0000);
	assert_int_equal(res.rsdp, 0xf0000);
	assert_int_equal(res.allocated[TL_ZONE_FSEG], 20);
}

/* Alignment 0 is treated as 1. */
static void test_allocate_align_zero_is_one(void **state)
{
	(void)state;
	fake_add("a", 3, "abc");
	fake_add("b", 5, "defgh");
	s_alloc("a", 0, TL_ZONE_HIGH);
	s_alloc("b", 0, TL_ZONE_HIGH);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(res.files[1].align, 1);
	assert_int_equal(table_loader_addr(&res, "b"), 0x7fe00003);
}

/* A size-0 file is recorded but not allocated. */
static void test_allocate_zero_size_skipped(void **state)
{
	(void)state;
	fake_add("etc/tpm/log", 0, NULL);
	fake_add("t", 4, "abcd");
	s_alloc("etc/tpm/log", 4096, TL_ZONE_HIGH);
	s_alloc("t", 4, TL_ZONE_HIGH);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(fk.alloc_calls, 1);
	assert_int_equal(res.nr_files, 2);
	assert_int_equal(table_loader_addr(&res, "etc/tpm/log"), 0);
	assert_int_equal(table_loader_addr(&res, "t"), 0x7fe00000);
	assert_int_equal(table_loader_addr(&res, "absent"), 0);
}

/* An ADD_POINTER of the given size with src allocated at base + 0x20. */
static void check_pointer_size(uint8_t size, uint64_t base, uint64_t preset)
{
	uint8_t dest[16];
	uint64_t want = base + 0x20 + preset;

	reset();
	memset(dest, 0xa5, sizeof(dest));
	memcpy(dest + 4, &preset, size);
	fk.zone[TL_ZONE_HIGH].base = base;
	fake_add("src", 0x100, NULL);
	fake_add("dest", 16, dest);
	s_alloc("src", 32, TL_ZONE_HIGH);
	s_alloc("dest", 1, TL_ZONE_HIGH);
	s_ptr("dest", "src", 4, size);
	fk.zone[TL_ZONE_HIGH].used = 1;
	assert_int_equal(run(), TL_OK);
	assert_int_equal(table_loader_addr(&res, "src"), base + 0x20);
	assert_int_equal(le(data_of("dest") + 4, size), want);
	/* bytes around the pointer untouched */
	assert_int_equal(data_of("dest")[3], 0xa5);
	assert_int_equal(data_of("dest")[4 + size], 0xa5);
}

/* ADD_POINTER with 1, 2, 4 and 8-byte pointers. */
static void test_add_pointer_sizes(void **state)
{
	(void)state;
	check_pointer_size(1, 0x40, 0x10);
	check_pointer_size(2, 0x1000, 0xff);
	check_pointer_size(4, 0x7fe00000, 0x44);
	check_pointer_size(8, 0x123400000000ull, 0x80);
}

/* ADD_POINTER whose source is its own file. */
static void test_add_pointer_same_file(void **state)
{
	uint8_t t[64] = {0};

	(void)state;
	t[40] = 8; /* points at offset 8 of itself */
	fake_add("etc/acpi/tables", 64, t);
	s_alloc("etc/acpi/tables", 64, TL_ZONE_HIGH);
	s_ptr("etc/acpi/tables", "etc/acpi/tables", 40, 4);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(le(data_of("etc/acpi/tables") + 40, 4), 0x7fe00008);
}

/* ADD_CHECKSUM with the checksum byte inside and outside the range. */
static void test_add_checksum(void **state)
{
	uint8_t t[64];
	int i;

	(void)state;
	for (i = 0; i < 64; i++)
		t[i] = (uint8_t)(i * 13 + 5);
	t[9] = 0x77; /* checksum byte not zeroed: the range still sums to 0 */
	fake_add("t", 64, t);
	s_alloc("t", 16, TL_ZONE_HIGH);
	s_cksum("t", 9, 0, 36);
	s_cksum("t", 63, 40, 10); /* checksum byte outside the range */
	assert_int_equal(run(), TL_OK);
	assert_int_equal(sum8(data_of("t"), 36), 0);
	assert_int_equal(data_of("t")[63], (uint8_t)(t[63] - sum8(t + 40, 10)));
	assert_memory_equal(data_of("t") + 10, t + 10, 53);
}

/* vmgenid-style WRITE_POINTER: 8 bytes, after every load. */
static void test_write_pointer(void **state)
{
	uint64_t addr;

	(void)state;
	fake_add("etc/vmgenid_guid", 4096, NULL);
	fake_add("etc/vmgenid_addr", 8, NULL);
	fk.zone[TL_ZONE_HIGH].base = 0x1ffff000; /* a value with all four low bytes distinct */
	fk.zone[TL_ZONE_HIGH].used = 0x1000 - 0x0ff0;
	s_alloc("etc/vmgenid_guid", 4096, TL_ZONE_HIGH);
	s_wptr("etc/vmgenid_addr", "etc/vmgenid_guid", 0, 0x28, 8);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(table_loader_addr(&res, "etc/vmgenid_guid"), 0x20000000);
	assert_int_equal(fk.nr_writes, 1);
	assert_string_equal(fk.writes[0].name, "etc/vmgenid_addr");
	assert_int_equal(fk.writes[0].offset, 0);
	assert_int_equal(fk.writes[0].len, 8);
	assert_true(fk.writes[0].seq > fk.last_load_seq);
	memcpy(&addr, fake_find("etc/vmgenid_addr")->data, 8);
	assert_int_equal(addr, 0x20000028);
	assert_int_equal(res.nr_write_pointers, 1);
	assert_string_equal(res.write_pointers[0].file, "etc/vmgenid_addr");
	assert_int_equal(res.write_pointers[0].value, 0x20000028);
	assert_int_equal(res.write_pointers[0].size, 8);
}

/* WRITE_POINTER of 2 bytes at an offset leaves the neighbours alone. */
static void test_write_pointer_small_and_offset(void **state)
{
	uint8_t *dst;

	(void)state;
	fake_add("g", 0x100, NULL);
	dst = fake_add("w", 16, "ZZZZZZZZZZZZZZZZ");
	fk.zone[TL_ZONE_HIGH].base = 0x1200;
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 6, 0x34, 2);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(le(dst + 6, 2), 0x1234);
	assert_int_equal(dst[5], 'Z');
	assert_int_equal(dst[8], 'Z');
}

/* table_loader_replay() repeats the recorded writes and counts failures. */
static void test_replay(void **state)
{
	struct tl_ops ops = fake_ops;
	uint8_t *dst;

	(void)state;
	fake_add("g", 64, NULL);
	dst = fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 0, 8, 4);
	s_wptr("w", "g", 4, 16, 4);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(fk.nr_writes, 2);
	memset(dst, 0, 8); /* what QEMU does on reset */
	assert_int_equal(table_loader_replay(&fake_ops, &res), 0);
	assert_int_equal(fk.nr_writes, 4);
	assert_int_equal(le(dst, 4), 0x7fe00008);
	assert_int_equal(le(dst + 4, 4), 0x7fe00010);
	fk.fail_write = 1;
	assert_int_equal(table_loader_replay(&fake_ops, &res), 2);
	ops.file_write = NULL;
	assert_int_equal(table_loader_replay(&ops, &res), 2);
}

/* A failed fw_cfg write is logged but the tables stay installed. */
static void test_write_failure_is_logged_not_fatal(void **state)
{
	(void)state;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 0, 0, 8);
	fk.fail_write = 1;
	assert_int_equal(run(), TL_OK);
	assert_int_equal(fk.nr_writes, 1);
	assert_true(host_log_has("writing 0x7fe00000 to \"w\"+0x0 failed"));
}

/* Zero padding and unknown command codes are skipped. */
static void test_padding_and_unknown_skipped(void **state)
{
	uint8_t *e;

	(void)state;
	fake_add("t", 8, "12345678");
	s_entry(0);
	e = s_entry(0x7f); /* garbage in an unknown command is not looked at */
	memset(e + 4, 0xff, 124);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_entry(0xffffffff);
	s_entry(5);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(res.nr_files, 1);
	assert_true(host_log_has("command 1: unknown code 0x7f, skipped"));
}

/* An empty script succeeds and installs nothing. */
static void test_empty_script(void **state)
{
	(void)state;
	assert_int_equal(table_loader_run(&fake_ops, sc.buf, 0, &res), TL_OK);
	assert_int_equal(res.nr_files, 0);
	assert_int_equal(res.rsdp, 0);
	assert_int_equal(fk.alloc_calls, 0);
}

/* --------------------------------------------------------------- each validity rule */

/* Rule: the script size is a multiple of 128. */
static void test_rule_loader_size(void **state)
{
	int rc;

	(void)state;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	fake_snapshot();
	rc = table_loader_run(&fake_ops, sc.buf, 127, &res);
	assert_int_equal(rc, TL_ERR_INVALID);
	assert_int_equal(res.err_cmd, TL_NO_CMD);
	assert_true(host_log_has("table-loader: size 127 is not a multiple of 128"));
	assert_int_equal(fk.alloc_calls, 0);
	rc = table_loader_run(&fake_ops, sc.buf, 129, &res);
	assert_int_equal(rc, TL_ERR_INVALID);
	assert_int_equal(fk.alloc_calls, 0);
}

/* Rule: an ALLOCATE name must end within 56 bytes. */
static void test_rule_name_alloc(void **state)
{
	char name[57];

	(void)state;
	memset(name, 'n', 56);
	name[56] = 0;
	fake_add(name, 8, NULL);
	s_alloc(name, 8, TL_ZONE_HIGH);
	expect_invalid(run(), 0, "ALLOCATE", "file name is not NUL-terminated within 56 bytes");
}

/* A 55-character name (NUL in the last byte) is accepted. */
static void test_rule_name_55_ok(void **state)
{
	char name[56];

	(void)state;
	memset(name, 'n', 55);
	name[55] = 0;
	fake_add(name, 8, NULL);
	s_alloc(name, 8, TL_ZONE_HIGH);
	s_cksum(name, 0, 0, 8);
	assert_int_equal(run(), TL_OK);
}

/* Rule: ADD_POINTER destination name terminated. */
static void test_rule_name_pointer(void **state)
{
	char name[57];

	(void)state;
	memset(name, 'x', 56);
	name[56] = 0;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("t", "t", 0, 4);
	s_ptr(name, "t", 0, 4);
	expect_invalid(run(), 2, "ADD_POINTER", "destination file name is not NUL-terminated");
}

/* Rule: ADD_POINTER source name terminated. */
static void test_rule_name_pointer_src(void **state)
{
	char name[57];

	(void)state;
	memset(name, 'x', 56);
	name[56] = 0;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("t", name, 0, 4);
	expect_invalid(run(), 1, "ADD_POINTER", "source file name is not NUL-terminated");
}

/* Rule: ADD_CHECKSUM name terminated. */
static void test_rule_name_checksum(void **state)
{
	char name[57];

	(void)state;
	memset(name, 'x', 56);
	name[56] = 0;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_cksum(name, 0, 0, 1);
	expect_invalid(run(), 1, "ADD_CHECKSUM", "checksummed file name is not NUL-terminated");
}

/* Rule: WRITE_POINTER destination and source names terminated. */
static void test_rule_name_write_pointer(void **state)
{
	char name[57];

	(void)state;
	memset(name, 'x', 56);
	name[56] = 0;
	fake_add("t", 8, NULL);
	fake_add(name, 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_wptr(name, "t", 0, 0, 4);
	expect_invalid(run(), 1, "WRITE_POINTER", "destination file name is not NUL-terminated");
	reset();
	fake_add("t", 8, NULL);
	fake_add("w", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_wptr("w", name, 0, 0, 4);
	expect_invalid(run(), 1, "WRITE_POINTER", "source file name is not NUL-terminated");
}

/* Rule: an ALLOCATEd file must exist in fw_cfg. */
static void test_rule_alloc_missing_file(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_alloc("etc/nope", 8, TL_ZONE_HIGH);
	expect_invalid(run(), 1, "ALLOCATE", "file \"etc/nope\" is not in fw_cfg");
}

/* Rule: an empty name is a missing file. */
static void test_rule_alloc_empty_name(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	s_alloc("", 8, TL_ZONE_HIGH);
	expect_invalid(run(), 0, "ALLOCATE", "file \"\" is not in fw_cfg");
}

/* Rule: alignment is a power of two. */
static void test_rule_alloc_align_power_of_two(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	s_alloc("t", 48, TL_ZONE_HIGH);
	expect_invalid(run(), 0, "ALLOCATE", "alignment 0x30 of \"t\" is not a power of two");
}

/* Rule: alignment is at most 4096. */
static void test_rule_alloc_align_max(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	fake_add("u", 8, NULL);
	s_alloc("t", 4096, TL_ZONE_HIGH);
	s_alloc("u", 8192, TL_ZONE_HIGH);
	expect_invalid(run(), 1, "ALLOCATE", "alignment 0x2000 of \"u\" is above 0x1000");
	reset();
	fake_add("t", 8, NULL);
	s_alloc("t", 0x80000000, TL_ZONE_HIGH);
	expect_invalid(run(), 0, "ALLOCATE", "alignment 0x80000000 of \"t\" is above 0x1000");
}

/* Rule: zone is HIGH or FSEG. */
static void test_rule_alloc_zone(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, 0);
	expect_invalid(run(), 0, "ALLOCATE", "unknown zone 0 for \"t\"");
	reset();
	fake_add("t", 8, NULL);
	s_alloc("t", 8, 3);
	expect_invalid(run(), 0, "ALLOCATE", "unknown zone 3 for \"t\"");
}

/* Rule: a file is allocated at most once. */
static void test_rule_alloc_duplicate(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_alloc("t", 8, TL_ZONE_FSEG);
	expect_invalid(run(), 1, "ALLOCATE", "\"t\" is allocated twice");
}

/* Rule: at most once applies to size-0 files too. */
static void test_rule_alloc_duplicate_zero_size(void **state)
{
	(void)state;
	fake_add("z", 0, NULL);
	s_alloc("z", 8, TL_ZONE_HIGH);
	s_alloc("z", 8, TL_ZONE_HIGH);
	expect_invalid(run(), 1, "ALLOCATE", "\"z\" is allocated twice");
}

/* Rule: at most TL_MAX_FILES files. */
static void test_rule_too_many_files(void **state)
{
	char name[16];
	int i;

	(void)state;
	for (i = 0; i <= TL_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		fake_add(name, 4, NULL);
		s_alloc(name, 4, TL_ZONE_HIGH);
	}
	expect_invalid(run(), TL_MAX_FILES, "ALLOCATE", "more than 32 files (\"f32\")");
}

/* Exactly TL_MAX_FILES files are accepted. */
static void test_max_files_ok(void **state)
{
	char name[16];
	int i;

	(void)state;
	for (i = 0; i < TL_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		fake_add(name, 4, NULL);
		s_alloc(name, 4, TL_ZONE_HIGH);
	}
	assert_int_equal(run(), TL_OK);
	assert_int_equal(res.nr_allocs, TL_MAX_FILES);
}

/* Rule: ADD_POINTER source allocated. */
static void test_rule_pointer_src_not_allocated(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	fake_add("u", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("t", "u", 0, 4);
	expect_invalid(run(), 1, "ADD_POINTER",
		       "source file \"u\" was not allocated by an earlier command");
}

/* Rule: ADD_POINTER destination allocated. */
static void test_rule_pointer_dest_not_allocated(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	fake_add("u", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("u", "t", 0, 4);
	expect_invalid(run(), 1, "ADD_POINTER",
		       "destination file \"u\" was not allocated by an earlier command");
}

/* Rule: a file must be allocated by an earlier command. */
static void test_rule_reference_before_allocate(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	fake_add("u", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("t", "u", 0, 4);
	s_alloc("u", 8, TL_ZONE_HIGH);
	expect_invalid(run(), 1, "ADD_POINTER",
		       "source file \"u\" was not allocated by an earlier command");
}

/* Rule: ADD_POINTER size is 1, 2, 4 or 8. */
static void test_rule_pointer_size(void **state)
{
	static const uint8_t bad[] = {0, 3, 5, 7, 16, 255};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad); i++) {
		char msg[64];

		reset();
		fake_add("t", 64, NULL);
		s_alloc("t", 8, TL_ZONE_HIGH);
		s_ptr("t", "t", 0, bad[i]);
		snprintf(msg, sizeof(msg), "pointer size %u is not 1, 2, 4 or 8", bad[i]);
		expect_invalid(run(), 1, "ADD_POINTER", msg);
	}
}

/* Rule: the pointer lies inside the destination. */
static void test_rule_pointer_offset(void **state)
{
	(void)state;
	fake_add("t", 16, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("t", "t", 13, 4);
	expect_invalid(run(), 1, "ADD_POINTER",
		       "4-byte pointer at 0xd is outside \"t\" (size 0x10)");
}

/* Rule: offset + size must not wrap 32 bits. */
static void test_rule_pointer_offset_wrap(void **state)
{
	(void)state;
	fake_add("t", 16, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_ptr("t", "t", 0xfffffffe, 4);
	expect_invalid(run(), 1, "ADD_POINTER", "4-byte pointer at 0xfffffffe is outside");
}

/* Rule: the preset pointer value is an offset inside the source. */
static void test_rule_pointer_value_in_src(void **state)
{
	uint8_t d[8] = {0x10, 0, 0, 0};

	(void)state;
	fake_add("s", 16, NULL);
	fake_add("d", 8, d);
	s_alloc("s", 16, TL_ZONE_HIGH);
	s_alloc("d", 8, TL_ZONE_HIGH);
	s_ptr("d", "s", 0, 4);
	expect_error(run(), TL_ERR_INVALID, 2, "ADD_POINTER",
		     "value 0x10 at \"d\"+0x0 is not an offset into \"s\" (size 0x10)");
	assert_int_equal(res.nr_allocs, 2);
}

/* Rule: the relocated 1-byte pointer must fit. */
static void test_rule_pointer_1byte_overflow(void **state)
{
	uint8_t d[4] = {0xf0};

	(void)state;
	fk.zone[TL_ZONE_HIGH].base = 0x20;
	fake_add("s", 0x100, NULL);
	fake_add("d", 4, d);
	s_alloc("s", 16, TL_ZONE_HIGH);
	s_alloc("d", 1, TL_ZONE_HIGH);
	s_ptr("d", "s", 0, 1);
	expect_error(run(), TL_ERR_INVALID, 2, "ADD_POINTER",
		     "address 0x20+0xf0 does not fit in 1 bytes");
}

/* Rule: a 4-byte pointer cannot reach above 4 GiB. */
static void test_rule_pointer_4byte_above_4g(void **state)
{
	(void)state;
	fk.zone[TL_ZONE_HIGH].base = 0x100000000ull;
	fake_add("s", 16, NULL);
	s_alloc("s", 16, TL_ZONE_HIGH);
	s_ptr("s", "s", 0, 4);
	expect_error(run(), TL_ERR_INVALID, 1, "ADD_POINTER",
		     "address 0x100000000+0x0 does not fit in 4 bytes");
}

/* Rule: an 8-byte pointer must not wrap 64 bits. */
static void test_rule_pointer_8byte_wrap(void **state)
{
	uint8_t d[0x40] = {0x30};

	(void)state;
	fk.zone[TL_ZONE_HIGH].base = 0xfffffffffffffff0ull;
	fake_add("s", 0x40, d);
	s_alloc("s", 16, TL_ZONE_HIGH);
	s_ptr("s", "s", 8, 8); /* value 0: the address itself fits */
	s_ptr("s", "s", 0, 8);
	expect_error(run(), TL_ERR_INVALID, 2, "ADD_POINTER",
		     "address 0xfffffffffffffff0+0x30 does not fit in 8 bytes");
}

/* Rule: ADD_CHECKSUM file allocated. */
static void test_rule_checksum_not_allocated(void **state)
{
	(void)state;
	fake_add("t", 8, NULL);
	s_cksum("t", 0, 0, 8);
	expect_invalid(run(), 0, "ADD_CHECKSUM",
		       "checksummed file \"t\" was not allocated by an earlier command");
}

/* Rule: the checksum byte lies inside the file. */
static void test_rule_checksum_offset(void **state)
{
	(void)state;
	fake_add("t", 36, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_cksum("t", 36, 0, 36);
	expect_invalid(run(), 1, "ADD_CHECKSUM",
		       "checksum offset 0x24 is outside \"t\" (size 0x24)");
}

/* Rule: the summed range lies inside the file. */
static void test_rule_checksum_range(void **state)
{
	(void)state;
	fake_add("t", 36, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_cksum("t", 9, 1, 36);
	expect_invalid(run(), 1, "ADD_CHECKSUM", "range 0x1+0x24 is outside \"t\" (size 0x24)");
}

/* Rule: start + length must not wrap 32 bits. */
static void test_rule_checksum_range_wrap(void **state)
{
	(void)state;
	fake_add("t", 36, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	s_cksum("t", 9, 0xffffffff, 2);
	expect_invalid(run(), 1, "ADD_CHECKSUM", "range 0xffffffff+0x2 is outside");
}

/* Rule: the WRITE_POINTER destination exists in fw_cfg. */
static void test_rule_write_pointer_dest_missing(void **state)
{
	(void)state;
	fake_add("g", 64, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("etc/vmgenid_addr", "g", 0, 0, 8);
	expect_invalid(run(), 1, "WRITE_POINTER",
		       "destination file \"etc/vmgenid_addr\" is not in fw_cfg");
}

/* Rule: the written bytes lie inside the destination. */
static void test_rule_write_pointer_dest_offset(void **state)
{
	(void)state;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 1, 0, 8);
	expect_invalid(run(), 1, "WRITE_POINTER",
		       "8-byte pointer at 0x1 is outside \"w\" (size 0x8)");
}

/* Rule: the source offset lies inside the source. */
static void test_rule_write_pointer_src_offset(void **state)
{
	(void)state;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 0, 64, 8);
	expect_invalid(run(), 1, "WRITE_POINTER",
		       "source offset 0x40 is outside \"g\" (size 0x40)");
}

/* Rule: WRITE_POINTER size is 1, 2, 4 or 8. */
static void test_rule_write_pointer_size(void **state)
{
	(void)state;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 0, 0, 6);
	expect_invalid(run(), 1, "WRITE_POINTER", "pointer size 6 is not 1, 2, 4 or 8");
}

/* Rule: WRITE_POINTER source allocated earlier. */
static void test_rule_write_pointer_src_not_allocated(void **state)
{
	(void)state;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_wptr("w", "g", 0, 0, 8);
	s_alloc("g", 16, TL_ZONE_HIGH);
	expect_invalid(run(), 0, "WRITE_POINTER",
		       "source file \"g\" was not allocated by an earlier command");
}

/* Rule: WRITE_POINTER needs a platform that can write fw_cfg. */
static void test_rule_write_pointer_no_dma(void **state)
{
	struct tl_ops ops = fake_ops;

	(void)state;
	ops.file_write = NULL;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 0, 0, 8);
	fake_snapshot();
	expect_invalid(table_loader_run(&ops, sc.buf, sc.n * 128, &res), 1, "WRITE_POINTER",
		       "this platform cannot write fw_cfg file \"w\"");
}

/* Rule: the written address must fit in its size. */
static void test_rule_write_pointer_value_fits(void **state)
{
	(void)state;
	fk.zone[TL_ZONE_HIGH].base = 0xff00;
	fake_add("g", 0x200, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	s_wptr("w", "g", 0, 0xff, 2);
	s_wptr("w", "g", 0, 0x100, 2);
	expect_error(run(), TL_ERR_INVALID, 2, "WRITE_POINTER",
		     "address 0xff00+0x100 does not fit in 2 bytes");
}

/* Rule: at most TL_MAX_WRITE_POINTERS write-backs. */
static void test_rule_too_many_write_pointers(void **state)
{
	int i;

	(void)state;
	fake_add("g", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("g", 16, TL_ZONE_HIGH);
	for (i = 0; i <= TL_MAX_WRITE_POINTERS; i++)
		s_wptr("w", "g", 0, 0, 8);
	expect_invalid(run(), TL_MAX_WRITE_POINTERS + 1, "WRITE_POINTER",
		       "more than 8 WRITE_POINTER commands");
}

/* Rule: commands may not reference a skipped size-0 file. */
static void test_rule_reference_zero_size_file(void **state)
{
	(void)state;
	fake_add("etc/tpm/log", 0, NULL);
	fake_add("t", 64, NULL);
	fake_add("w", 8, NULL);
	s_alloc("etc/tpm/log", 1, TL_ZONE_HIGH);
	s_alloc("t", 64, TL_ZONE_HIGH);
	s_ptr("t", "etc/tpm/log", 0, 4);
	expect_invalid(run(), 2, "ADD_POINTER",
		       "source file \"etc/tpm/log\" has size 0 and was skipped");
	reset();
	fake_add("z", 0, NULL);
	s_alloc("z", 1, TL_ZONE_HIGH);
	s_cksum("z", 0, 0, 0);
	expect_invalid(run(), 1, "ADD_CHECKSUM",
		       "checksummed file \"z\" has size 0 and was skipped");
	reset();
	fake_add("z", 0, NULL);
	fake_add("w", 8, NULL);
	s_alloc("z", 1, TL_ZONE_HIGH);
	s_wptr("w", "z", 0, 0, 8);
	expect_invalid(run(), 1, "WRITE_POINTER", "source file \"z\" has size 0 and was skipped");
}

/* A full zone stops the run and reports what was handed out. */
static void test_alloc_no_room(void **state)
{
	(void)state;
	fake_add("etc/acpi/rsdp", 20, NULL);
	fake_add("etc/acpi/tables", 0x1000, NULL);
	fake_add("big", 0x40000, NULL);
	fake_add("w", 8, NULL);
	s_alloc("etc/acpi/rsdp", 16, TL_ZONE_FSEG);
	s_alloc("etc/acpi/tables", 64, TL_ZONE_HIGH);
	s_alloc("big", 64, TL_ZONE_HIGH);
	s_wptr("w", "etc/acpi/tables", 0, 0, 8);
	expect_error(run(), TL_ERR_NOMEM, 2, "ALLOCATE",
		     "no room for 0x40000 bytes of \"big\" in zone HIGH");
	assert_int_equal(res.nr_allocs, 2);
	assert_int_equal(res.allocated[TL_ZONE_HIGH], 0x1000);
	assert_int_equal(res.allocated[TL_ZONE_FSEG], 20);
	assert_int_equal(res.rsdp, 0);
}

/* A full FSEG zone is reported by name. */
static void test_alloc_no_room_fseg(void **state)
{
	(void)state;
	fk.zone[TL_ZONE_FSEG].cap = 16;
	fake_add("etc/acpi/rsdp", 20, NULL);
	s_alloc("etc/acpi/rsdp", 16, TL_ZONE_FSEG);
	expect_error(run(), TL_ERR_NOMEM, 0, "ALLOCATE", "in zone FSEG");
	assert_int_equal(res.nr_allocs, 0);
}

/* A failed fw_cfg read stops the run. */
static void test_read_failure(void **state)
{
	(void)state;
	fk.fail_read = 1;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	expect_error(run(), TL_ERR_IO, 0, "ALLOCATE",
		     "reading 0x8 bytes of \"t\" from fw_cfg failed");
	assert_int_equal(res.nr_allocs, 1);
}

/* An allocator that ignores the alignment is caught. */
static void test_misaligned_allocator(void **state)
{
	(void)state;
	fk.misalign = 1;
	fake_add("t", 8, NULL);
	s_alloc("t", 8, TL_ZONE_HIGH);
	expect_error(run(), TL_ERR_IO, 0, "ALLOCATE", "not aligned to 0x8");
}

/* --------------------------------------------------------------- realistic QEMU stream */

/* Fill an ACPI header: signature, length, revision; checksum left 0 as QEMU does. */
static void acpi_hdr(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	memcpy(t + 4, &len, 4);
	t[8] = rev;
	memcpy(t + 10, "BOCHS BXPC    ", 14);
}

#define FACS   0
#define DSDT   64
#define FACP   128
#define SSDT   384
#define RSDT   448
#define RSDT_N 2

/* A QEMU 7.2-like script: RSDP in FSEG, tables and vmgenid in HIGH. */
static void test_qemu_like_stream(void **state)
{
	uint8_t tables[4096] = {0};
	uint8_t rsdp[20] = {0};
	const uint8_t *t, *r;
	uint64_t tb, gb, v;
	uint32_t x;
	int i;

	(void)state;
	memcpy(tables + FACS, "FACS", 4);
	x = 64;
	memcpy(tables + FACS + 4, &x, 4);
	acpi_hdr(tables + DSDT, "DSDT", 40, 1);
	acpi_hdr(tables + FACP, "FACP", 244, 3);
	x = FACS;
	memcpy(tables + FACP + 36, &x, 4);
	x = DSDT;
	memcpy(tables + FACP + 40, &x, 4);
	memcpy(tables + FACP + 140, &x, 4);
	acpi_hdr(tables + SSDT, "SSDT", 44, 1);
	acpi_hdr(tables + RSDT, "RSDT", 36 + 4 * RSDT_N, 1);
	x = FACP;
	memcpy(tables + RSDT + 36, &x, 4);
	x = SSDT;
	memcpy(tables + RSDT + 40, &x, 4);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "BOCHS ", 6);
	x = RSDT;
	memcpy(rsdp + 16, &x, 4);

	fake_add("etc/acpi/rsdp", 20, rsdp);
	fake_add("etc/acpi/tables", sizeof(tables), tables);
	fake_add("etc/vmgenid_guid", 4096, NULL);
	fake_add("etc/vmgenid_addr", 8, NULL);
	fake_add("etc/table-loader", 4096, NULL);
	fake_add("etc/tpm/log", 0, NULL);

	s_alloc("etc/acpi/rsdp", 16, TL_ZONE_FSEG);
	s_alloc("etc/vmgenid_guid", 4096, TL_ZONE_HIGH);
	s_alloc("etc/acpi/tables", 64, TL_ZONE_HIGH);
	s_cksum("etc/acpi/tables", DSDT + 9, DSDT, 40);
	s_ptr("etc/acpi/tables", "etc/acpi/tables", FACP + 36, 4);
	s_ptr("etc/acpi/tables", "etc/acpi/tables", FACP + 40, 4);
	s_ptr("etc/acpi/tables", "etc/acpi/tables", FACP + 140, 8);
	s_cksum("etc/acpi/tables", FACP + 9, FACP, 244);
	s_ptr("etc/acpi/tables", "etc/vmgenid_guid", SSDT + 40, 4);
	s_cksum("etc/acpi/tables", SSDT + 9, SSDT, 44);
	s_wptr("etc/vmgenid_addr", "etc/vmgenid_guid", 0, 0x28, 8);
	for (i = 0; i < RSDT_N; i++)
		s_ptr("etc/acpi/tables", "etc/acpi/tables", RSDT + 36 + 4 * i, 4);
	s_cksum("etc/acpi/tables", RSDT + 9, RSDT, 36 + 4 * RSDT_N);
	s_ptr("etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
	s_cksum("etc/acpi/rsdp", 8, 0, 20);
	sc.n = 32; /* zero padding to 4 KiB, as QEMU sends it */

	assert_int_equal(run(), TL_OK);
	tb = table_loader_addr(&res, "etc/acpi/tables");
	gb = table_loader_addr(&res, "etc/vmgenid_guid");
	assert_int_equal(tb & 63, 0);
	assert_int_equal(gb & 4095, 0);
	assert_int_equal(res.rsdp, table_loader_addr(&res, "etc/acpi/rsdp"));
	assert_true(res.rsdp >= 0xf0000 && res.rsdp < 0x100000 && (res.rsdp & 15) == 0);
	t = data_of("etc/acpi/tables");
	r = data_of("etc/acpi/rsdp");
	assert_int_equal(sum8(r, 20), 0);
	assert_int_equal(le(r + 16, 4), tb + RSDT);
	assert_int_equal(sum8(t + DSDT, 40), 0);
	assert_int_equal(sum8(t + FACP, 244), 0);
	assert_int_equal(sum8(t + SSDT, 44), 0);
	assert_int_equal(sum8(t + RSDT, 36 + 4 * RSDT_N), 0);
	assert_int_equal(le(t + FACP + 36, 4), tb + FACS);
	assert_int_equal(le(t + FACP + 40, 4), tb + DSDT);
	assert_int_equal(le(t + FACP + 140, 8), tb + DSDT);
	assert_int_equal(le(t + SSDT + 40, 4), gb);
	assert_int_equal(le(t + RSDT + 36, 4), tb + FACP);
	assert_int_equal(le(t + RSDT + 40, 4), tb + SSDT);
	assert_int_equal(fk.nr_writes, 1);
	assert_true(fk.writes[0].seq > fk.last_load_seq);
	memcpy(&v, fake_find("etc/vmgenid_addr")->data, 8);
	assert_int_equal(v, gb + 0x28);
	assert_int_equal(res.nr_files, 3);
	assert_int_equal(res.allocated[TL_ZONE_FSEG], 20);
	assert_int_equal(res.allocated[TL_ZONE_HIGH], 8192);
	assert_true(host_log_has(
		"table-loader: 3 files, 0x2000 bytes HIGH, 0x14 bytes FSEG, 1 write-backs"));
}

/* --------------------------------------------------------------- hostile streams */

/* Pointers in a cycle between two files and into themselves. */
static void test_pointer_cycle(void **state)
{
	uint8_t a[16] = {0}, b[16] = {0};

	(void)state;
	a[0] = 8;  /* a -> b+8 */
	b[0] = 4;  /* b -> a+4 */
	a[8] = 12; /* a -> a+12 */
	fake_add("a", 16, a);
	fake_add("b", 16, b);
	s_alloc("a", 16, TL_ZONE_HIGH);
	s_alloc("b", 16, TL_ZONE_HIGH);
	s_ptr("a", "b", 0, 4);
	s_ptr("b", "a", 0, 4);
	s_ptr("a", "a", 8, 4);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(le(data_of("a"), 4), table_loader_addr(&res, "b") + 8);
	assert_int_equal(le(data_of("b"), 4), table_loader_addr(&res, "a") + 4);
	assert_int_equal(le(data_of("a") + 8, 4), table_loader_addr(&res, "a") + 12);
}

/* Relocating the same slot twice is caught by the value rule. */
static void test_double_relocation(void **state)
{
	(void)state;
	fake_add("a", 16, NULL);
	s_alloc("a", 16, TL_ZONE_HIGH);
	s_ptr("a", "a", 0, 4);
	s_ptr("a", "a", 0, 4);
	expect_error(run(), TL_ERR_INVALID, 2, "ADD_POINTER",
		     "value 0x7fe00000 at \"a\"+0x0 is not an offset into \"a\"");
}

/* Pointers and checksum ranges exactly at and just past the end. */
static void test_edges(void **state)
{
	uint8_t a[16] = {0};

	(void)state;
	a[8] = 15; /* last byte of the file is a legal target */
	fake_add("a", 16, a);
	s_alloc("a", 16, TL_ZONE_HIGH);
	s_ptr("a", "a", 8, 8);	/* pointer in the last 8 bytes */
	s_cksum("a", 0, 16, 0); /* empty range at the very end */
	s_cksum("a", 0, 0, 16); /* whole file */
	assert_int_equal(run(), TL_OK);
	assert_int_equal(le(data_of("a") + 8, 8), 0x7fe0000f);
	assert_int_equal(sum8(data_of("a"), 16), 0);
	reset();
	fake_add("a", 16, a);
	s_alloc("a", 16, TL_ZONE_HIGH);
	s_ptr("a", "a", 9, 8);
	expect_invalid(run(), 1, "ADD_POINTER", "8-byte pointer at 0x9 is outside");
	reset();
	fake_add("a", 16, a);
	s_alloc("a", 16, TL_ZONE_HIGH);
	s_cksum("a", 0, 17, 0);
	expect_invalid(run(), 1, "ADD_CHECKSUM", "range 0x11+0x0 is outside");
}

/* 1-byte pointers that just fit and that overflow by one. */
static void test_one_byte_pointers(void **state)
{
	uint8_t d[4] = {0x0f, 0x10, 0, 0};

	(void)state;
	fk.zone[TL_ZONE_HIGH].base = 0xe0;
	fake_add("s", 0x20, NULL);
	fake_add("d", 4, d);
	s_alloc("s", 16, TL_ZONE_HIGH);
	s_alloc("d", 1, TL_ZONE_HIGH);
	s_ptr("d", "s", 0, 1); /* 0xe0 + 0x0f = 0xef fits */
	s_ptr("d", "s", 1, 1); /* 0xe0 + 0x10 = 0xf0 fits */
	assert_int_equal(run(), TL_OK);
	assert_int_equal(data_of("d")[0], 0xef);
	assert_int_equal(data_of("d")[1], 0xf0);
	assert_int_equal(data_of("d")[2], 0);
	reset();
	fk.zone[TL_ZONE_HIGH].base = 0xf0;
	fake_add("s", 0x20, NULL);
	fake_add("d", 4, d);
	s_alloc("s", 16, TL_ZONE_HIGH);
	s_alloc("d", 1, TL_ZONE_HIGH);
	s_ptr("d", "s", 0, 1); /* 0xf0 + 0x0f = 0xff fits */
	s_ptr("d", "s", 1, 1); /* 0xf0 + 0x10 = 0x100 overflows */
	expect_error(run(), TL_ERR_INVALID, 3, "ADD_POINTER",
		     "address 0xf0+0x10 does not fit in 1");
}

/* A checksum recomputed after a pointer inside its range changed. */
static void test_checksum_over_pointer(void **state)
{
	uint8_t a[32] = {0};

	(void)state;
	a[4] = 0x10;
	fake_add("a", 32, a);
	s_alloc("a", 32, TL_ZONE_HIGH);
	s_cksum("a", 0, 0, 32); /* checksum before the pointer is patched... */
	s_ptr("a", "a", 4, 4);
	s_cksum("a", 1, 0, 32); /* ...and after: the final sum is zero again */
	assert_int_equal(run(), TL_OK);
	assert_int_equal(sum8(data_of("a"), 32), 0);
	assert_int_equal(le(data_of("a") + 4, 4), 0x7fe00010);
}

/* A long script of checksums on one file. */
static void test_many_commands_are_linear(void **state)
{
	int i;

	(void)state;
	fake_add("a", 64, NULL);
	s_alloc("a", 64, TL_ZONE_HIGH);
	for (i = 1; i < SCRIPT_MAX; i++)
		s_cksum("a", (uint32_t)i % 64, 0, 64);
	assert_int_equal(run(), TL_OK);
	assert_int_equal(sum8(data_of("a"), 64), 0);
}

/* Run every table-loader test. */
int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_allocate_high),
		T(test_allocate_fseg_rsdp),
		T(test_allocate_align_zero_is_one),
		T(test_allocate_zero_size_skipped),
		T(test_add_pointer_sizes),
		T(test_add_pointer_same_file),
		T(test_add_checksum),
		T(test_write_pointer),
		T(test_write_pointer_small_and_offset),
		T(test_replay),
		T(test_write_failure_is_logged_not_fatal),
		T(test_padding_and_unknown_skipped),
		T(test_empty_script),
		T(test_rule_loader_size),
		T(test_rule_name_alloc),
		T(test_rule_name_55_ok),
		T(test_rule_name_pointer),
		T(test_rule_name_pointer_src),
		T(test_rule_name_checksum),
		T(test_rule_name_write_pointer),
		T(test_rule_alloc_missing_file),
		T(test_rule_alloc_empty_name),
		T(test_rule_alloc_align_power_of_two),
		T(test_rule_alloc_align_max),
		T(test_rule_alloc_zone),
		T(test_rule_alloc_duplicate),
		T(test_rule_alloc_duplicate_zero_size),
		T(test_rule_too_many_files),
		T(test_max_files_ok),
		T(test_rule_pointer_src_not_allocated),
		T(test_rule_pointer_dest_not_allocated),
		T(test_rule_reference_before_allocate),
		T(test_rule_pointer_size),
		T(test_rule_pointer_offset),
		T(test_rule_pointer_offset_wrap),
		T(test_rule_pointer_value_in_src),
		T(test_rule_pointer_1byte_overflow),
		T(test_rule_pointer_4byte_above_4g),
		T(test_rule_pointer_8byte_wrap),
		T(test_rule_checksum_not_allocated),
		T(test_rule_checksum_offset),
		T(test_rule_checksum_range),
		T(test_rule_checksum_range_wrap),
		T(test_rule_write_pointer_dest_missing),
		T(test_rule_write_pointer_dest_offset),
		T(test_rule_write_pointer_src_offset),
		T(test_rule_write_pointer_size),
		T(test_rule_write_pointer_src_not_allocated),
		T(test_rule_write_pointer_no_dma),
		T(test_rule_write_pointer_value_fits),
		T(test_rule_too_many_write_pointers),
		T(test_rule_reference_zero_size_file),
		T(test_alloc_no_room),
		T(test_alloc_no_room_fseg),
		T(test_read_failure),
		T(test_misaligned_allocator),
		T(test_qemu_like_stream),
		T(test_pointer_cycle),
		T(test_double_relocation),
		T(test_edges),
		T(test_one_byte_pointers),
		T(test_checksum_over_pointer),
		T(test_many_commands_are_linear),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
