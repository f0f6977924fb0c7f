// SPDX-License-Identifier: MIT
/* Unit tests for SMBIOS: structure walk, Type 0, entry points, legacy fw_cfg tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_log.h"
#include "smbios.h"

_Static_assert(offsetof(struct smbios_ep21, max_struct_size) == 0x08, "2.1 max size");
_Static_assert(offsetof(struct smbios_ep21, ianchor) == 0x10, "2.1 _DMI_");
_Static_assert(offsetof(struct smbios_ep21, ichecksum) == 0x15, "2.1 intermediate checksum");
_Static_assert(offsetof(struct smbios_ep21, table_length) == 0x16, "2.1 table length");
_Static_assert(offsetof(struct smbios_ep21, table_addr) == 0x18, "2.1 table address");
_Static_assert(offsetof(struct smbios_ep21, struct_count) == 0x1c, "2.1 count");
_Static_assert(offsetof(struct smbios_ep21, bcd_revision) == 0x1e, "2.1 BCD revision");
_Static_assert(offsetof(struct smbios_ep30, checksum) == 0x05, "3.0 checksum");
_Static_assert(offsetof(struct smbios_ep30, table_max_size) == 0x0c, "3.0 max size");
_Static_assert(offsetof(struct smbios_ep30, table_addr) == 0x10, "3.0 table address");

/* Type 1 as QEMU writes it: manufacturer, product, UUID; then Type 3 and Type 127. */
static const uint8_t qemu_t1[] = {
	1,    0x1b, 0x00, 0x01, 1,    2,    0,	  0,	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x06, 0,	  0,	'Q',  'E',  'M',
	'U',  0,    'S',  't',	'a',  'n',  'd',  'a',	'r',  'd',  ' ',  'P',	'C',  0,    0,
};
static const uint8_t qemu_t3[] = {
	3, 0x15, 0x00, 0x03, 1, 1, 0, 0,   0,	3,   3,	  3, 2, 0,
	0, 0,	 0,    0,    0, 0, 0, 'Q', 'E', 'M', 'U', 0, 0,
};
static const uint8_t qemu_t127[] = {127, 4, 0x00, 0x7f, 0, 0};
static const uint8_t bios_t0[] = {
	0, 0x18, 0x00, 0x00, 1, 2, 0x00, 0xe8, 3,   0, 8,   0, 0,   0, 0, 0,
	0, 0,	 0,    0x10, 0, 0, 0xff, 0xff, 'X', 0, 'Y', 0, 'Z', 0, 0,
};

static const struct smbios_type0_info t0 = {
	.version = "1.2.3",
	.date = "11/21/2026",
	.major = 1,
	.minor = 2,
	.rom_bytes = 256 << 10,
	.acpi = true,
};

static uint8_t blob[4096];
static uint8_t out[8192];

/* Concatenate a, b and c into blob; return the length. */
static size_t make_blob(const uint8_t *a, size_t la, const uint8_t *b, size_t lb, const uint8_t *c,
			size_t lc)
{
	memcpy(blob, a, la);
	memcpy(blob + la, b, lb);
	if (c)
		memcpy(blob + la + lb, c, lc);
	return la + lb + lc;
}

/* Byte sum of len bytes. */
static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* Offset of structure idx in a valid table. */
static size_t nth(const uint8_t *t, unsigned int idx)
{
	size_t pos = 0;

	while (idx--) {
		size_t i = pos + t[pos + 1];

		while (t[i] || t[i + 1])
			i++;
		pos = i + 2;
	}
	return pos;
}

/* String number n (1-based) of the structure at s. */
static const char *str_of(const uint8_t *s, unsigned int n)
{
	const char *p = (const char *)s + s[1];

	assert_true(n > 0);
	while (--n)
		p += strlen(p) + 1;
	return p;
}

/* A QEMU-style blob: count, length, max size, no Type 0, end marker. */
static void test_walk_valid(void **state)
{
	struct smbios_table_info info;
	size_t len = make_blob(qemu_t1, sizeof(qemu_t1), qemu_t3, sizeof(qemu_t3), qemu_t127,
			       sizeof(qemu_t127));

	(void)state;
	assert_int_equal(smbios_walk(blob, len, &info), 0);
	assert_int_equal(info.count, 3);
	assert_int_equal(info.length, len);
	assert_int_equal(info.max_size, sizeof(qemu_t1));
	assert_int_equal(info.max_handle, 0x7f00);
	assert_false(info.has_type0);
	assert_true(info.has_end);
	/* Bytes after Type 127 are not part of the table. */
	blob[len] = 0x55;
	assert_int_equal(smbios_walk(blob, len + 1, &info), 0);
	assert_int_equal(info.length, len);
}

/* Missing double NUL, short formatted length, truncation and empty input are rejected. */
static void test_walk_malformed(void **state)
{
	struct smbios_table_info info;
	size_t len = make_blob(qemu_t1, sizeof(qemu_t1), qemu_t3, sizeof(qemu_t3), NULL, 0);

	(void)state;
	host_log_clear();
	assert_int_equal(smbios_walk(blob, len - 1, &info), SMBIOS_ERR);
	assert_true(host_log_has("structure 1 at offset 45: string set has no double-NUL"));
	blob[1] = 3;
	assert_int_equal(smbios_walk(blob, len, &info), SMBIOS_ERR);
	assert_true(host_log_has("structure 0 at offset 0: formatted length below 4"));
	blob[1] = 0x1b;
	assert_int_equal(smbios_walk(blob, sizeof(qemu_t1) + 3, &info), SMBIOS_ERR);
	assert_true(host_log_has("truncated header"));
	assert_int_equal(smbios_walk(blob, 20, &info), SMBIOS_ERR);
	assert_true(host_log_has("formatted part runs past the end"));
	assert_int_equal(smbios_walk(blob, 0, &info), SMBIOS_ERR);
	/* Formatted part fills the blob exactly: strings are missing. */
	assert_int_equal(smbios_walk(blob, 0x1b, &info), SMBIOS_ERR);
	assert_int_equal(smbios_walk(blob, len, &info), 0);
}

/* Type 0 builder: layout and strings. */
static void test_type0(void **state)
{
	int n;

	(void)state;
	n = smbios_build_type0(&t0, 0x1234, out, sizeof(out));
	assert_int_equal(n,
			 0x18 + sizeof("qvmloader") + sizeof("1.2.3") + sizeof("11/21/2026") + 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0x18);
	assert_int_equal(out[2] | out[3] << 8, 0x1234);
	assert_string_equal(str_of(out, out[4]), "qvmloader");
	assert_string_equal(str_of(out, out[5]), "1.2.3");
	assert_string_equal(str_of(out, out[8]), "11/21/2026");
	assert_int_equal(out[6] | out[7] << 8, 0xe800);
	assert_int_equal(out[9], 3); /* 64K * (3 + 1) = 256 KiB */
	assert_int_equal(out[0x0a], 0x08);
	assert_int_equal(out[0x12], 0x01);
	assert_int_equal(out[0x13], 0x14);
	assert_int_equal(out[0x14], 1);
	assert_int_equal(out[0x15], 2);
	assert_int_equal(out[0x16], 0xff);
	assert_int_equal(out[0x17], 0xff);
	assert_int_equal(out[n - 1], 0);
	assert_int_equal(out[n - 2], 0);
	assert_int_equal(smbios_build_type0(&t0, 0, out, (size_t)n - 1), SMBIOS_ERR);
}

/* No Type 0 in QEMU's blob: one is inserted first with a free handle. */
static void test_install_inserts_type0(void **state)
{
	struct smbios_table_info info;
	size_t len = make_blob(qemu_t1, sizeof(qemu_t1), qemu_t3, sizeof(qemu_t3), qemu_t127,
			       sizeof(qemu_t127));
	int n, t0len;

	(void)state;
	n = smbios_install(blob, len + 7, &t0, out, sizeof(out), &info);
	t0len = n - (int)len;
	assert_true(t0len > 0x18);
	assert_int_equal(info.length, n);
	assert_int_equal(info.count, 4);
	assert_true(info.has_type0);
	assert_int_equal(info.max_size, t0len); /* the new Type 0 is the largest */
	assert_int_equal(out[0], 0);
	assert_int_equal(out[2] | out[3] << 8, 0); /* handle 0 was free */
	assert_string_equal(str_of(out, out[4]), "qvmloader");
	assert_memory_equal(out + t0len, blob, len);
	/* Handle 0 taken: the new Type 0 gets the highest handle + 1. */
	blob[2] = 0;
	blob[3] = 0;
	n = smbios_install(blob, len, &t0, out, sizeof(out), &info);
	assert_int_equal(out[2] | out[3] << 8, 0x7f01);
	/* Too small a buffer. */
	host_log_clear();
	assert_int_equal(smbios_install(blob, len, &t0, out, (size_t)n - 1, &info), SMBIOS_ERR);
	assert_true(host_log_has("buffer has"));
	assert_int_equal(smbios_install(blob, len, &t0, out, 10, &info), SMBIOS_ERR);
	assert_true(host_log_has("too small for a Type 0"));
}

/* A Type 0 supplied by QEMU is kept and nothing is added. */
static void test_install_keeps_type0(void **state)
{
	struct smbios_table_info info;
	size_t len = make_blob(bios_t0, sizeof(bios_t0), qemu_t1, sizeof(qemu_t1), qemu_t127,
			       sizeof(qemu_t127));

	(void)state;
	assert_int_equal(smbios_install(blob, len, &t0, out, sizeof(out), &info), (int)len);
	assert_memory_equal(out, blob, len);
	assert_int_equal(info.count, 3);
	assert_true(info.has_type0);
	blob[len - 1] = 1;
	assert_int_equal(smbios_install(blob, len, &t0, out, sizeof(out), &info), SMBIOS_ERR);
}

/* QEMU's 2.8 anchor: address, sizes and both checksums. */
static void test_ep21(void **state)
{
	static const uint8_t anchor[31] = {
		'_', 'S', 'M', '_', 0,	 0x1f, 2,    8, 0x44, 0, 0, 0, 0, 0, 0,	   0,
		'_', 'D', 'M', 'I', '_', 0,    0x11, 0, 0,    0, 0, 0, 3, 0, 0x28,
	};
	struct smbios_table_info info = {.length = 0x1a2, .count = 9, .max_size = 0x61};
	uint8_t ep[31];

	(void)state;
	memcpy(ep, anchor, sizeof(ep));
	assert_int_equal(smbios_fix_entry_point(ep, sizeof(ep), &info, 0xbfffd000), SMBIOS_EP_21);
	assert_int_equal(sum(ep, 31), 0);
	assert_int_equal(sum(ep + 0x10, 0x0f), 0);
	assert_int_equal(ep[0x08] | ep[0x09] << 8, 0x61);
	assert_int_equal(ep[0x16] | ep[0x17] << 8, 0x1a2);
	assert_int_equal(ep[0x18] | ep[0x19] << 8 | ep[0x1a] << 16 | (uint32_t)ep[0x1b] << 24,
			 0xbfffd000);
	assert_int_equal(ep[0x1c] | ep[0x1d] << 8, 9);
	assert_int_equal(ep[6], 2);
	assert_int_equal(ep[7], 8);
	assert_int_equal(ep[0x1e], 0x28);
	/* Limits of the 32-bit entry point. */
	host_log_clear();
	assert_int_equal(smbios_fix_entry_point(ep, sizeof(ep), &info, 0xffffff00), SMBIOS_ERR);
	assert_true(host_log_has("do not fit a 2.1 entry point"));
	info.length = 0x10000;
	assert_int_equal(smbios_fix_entry_point(ep, sizeof(ep), &info, 0x1000), SMBIOS_ERR);
	/* A fresh one from smbios_ep21_init. */
	info.length = 0x200;
	smbios_ep21_init(ep, 2, 4);
	assert_int_equal(smbios_fix_entry_point(ep, sizeof(ep), &info, 0xf0000), SMBIOS_EP_21);
	assert_int_equal(sum(ep, 31), 0);
	assert_int_equal(sum(ep + 0x10, 0x0f), 0);
	assert_int_equal(ep[0x1e], 0x24);
	assert_memory_equal(ep + 0x10, "_DMI_", 5);
}

/* The 3.0 anchor: 64-bit address, max size, checksum over 24 bytes. */
static void test_ep30(void **state)
{
	static const uint8_t anchor[24] = {'_', 'S', 'M', '3', '_', 0, 0x18, 3, 0, 0, 1, 0};
	struct smbios_table_info info = {.length = 0x12345, .count = 700, .max_size = 0x61};
	uint8_t ep[24];
	uint64_t addr = 0;
	uint32_t max;

	(void)state;
	memcpy(ep, anchor, sizeof(ep));
	assert_int_equal(smbios_fix_entry_point(ep, sizeof(ep), &info, 0x123456789000ull),
			 SMBIOS_EP_30);
	assert_int_equal(sum(ep, 24), 0);
	memcpy(&addr, ep + 0x10, 8);
	memcpy(&max, ep + 0x0c, 4);
	assert_int_equal(addr, 0x123456789000ull);
	assert_int_equal(max, 0x12345);
	assert_int_equal(ep[7], 3);
	assert_int_equal(ep[10], 1);
}

/* Anchors of the wrong size or signature are refused. */
static void test_ep_bad(void **state)
{
	struct smbios_table_info info = {.length = 0x100, .count = 3, .max_size = 0x40};
	uint8_t ep[32];

	(void)state;
	host_log_clear();
	smbios_ep21_init(ep, 2, 8);
	assert_int_equal(smbios_fix_entry_point(ep, 30, &info, 0x1000), SMBIOS_ERR);
	assert_int_equal(smbios_fix_entry_point(ep, 32, &info, 0x1000), SMBIOS_ERR);
	assert_int_equal(smbios_fix_entry_point(ep, 24, &info, 0x1000), SMBIOS_ERR);
	assert_true(host_log_has("24-byte anchor is neither"));
	ep[0x12] = 'X';
	assert_int_equal(smbios_fix_entry_point(ep, 31, &info, 0x1000), SMBIOS_ERR);
	memcpy(ep, "_SM3_\0\x18", 7);
	assert_int_equal(smbios_fix_entry_point(ep, 24, &info, 0x1000), SMBIOS_EP_30);
	ep[6] = 0x1f;
	assert_int_equal(smbios_fix_entry_point(ep, 24, &info, 0x1000), SMBIOS_ERR);
	memcpy(ep, "_SM4_", 5);
	ep[6] = 0x18;
	assert_int_equal(smbios_fix_entry_point(ep, 24, &info, 0x1000), SMBIOS_ERR);
}

static uint8_t legacy[1024];

/* Append a legacy field entry; return the new length. */
static size_t add_field(size_t pos, uint8_t type, uint16_t off, const void *data, size_t len)
{
	size_t elen = 6 + len;

	legacy[pos] = (uint8_t)elen;
	legacy[pos + 1] = (uint8_t)(elen >> 8);
	legacy[pos + 2] = 0;
	legacy[pos + 3] = type;
	legacy[pos + 4] = (uint8_t)off;
	legacy[pos + 5] = (uint8_t)(off >> 8);
	memcpy(legacy + pos + 6, data, len);
	return pos + elen;
}

/* Append a legacy raw-table entry; return the new length. */
static size_t add_table(size_t pos, const void *data, size_t len)
{
	size_t elen = 3 + len;

	legacy[pos] = (uint8_t)elen;
	legacy[pos + 1] = (uint8_t)(elen >> 8);
	legacy[pos + 2] = 1;
	memcpy(legacy + pos + 3, data, len);
	return pos + elen;
}

static const uint8_t uuid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t oem_t11[] = {11, 5, 0x34, 0x12, 1, 'h', 'i', 0, 0};
static const uint8_t raw_t3[] = {3, 0x0d, 0x00, 0x30, 0, 0x17, 0, 0, 0, 3, 3, 3, 2, 0, 0};

/* The legacy blob used by the legacy tests: 4 fields and 2 raw tables. */
static size_t make_legacy(void)
{
	uint8_t major = 9;
	size_t pos = 2;

	pos = add_field(pos, 1, 0x04, "ACME", 5);
	pos = add_field(pos, 1, 0x08, uuid, 16);
	pos = add_field(pos, 0, 0x04, "Vendor X", 9);
	pos = add_field(pos, 0, 0x14, &major, 1);
	pos = add_table(pos, oem_t11, sizeof(oem_t11));
	pos = add_table(pos, raw_t3, sizeof(raw_t3));
	legacy[0] = 6;
	legacy[1] = 0;
	return pos;
}

/* Legacy blob: fields applied, raw tables placed, per-CPU and per-16-GiB structures. */
static void test_legacy_build(void **state)
{
	static const uint8_t types[] = {0, 1, 3, 4, 4, 4, 16, 17, 17, 19, 19, 32, 11, 127};
	struct smbios_legacy_input in = {
		.cpu_count = 3,
		.cpuid_eax = 0x663,
		.cpuid_edx = 0x0781abfd,
		.ram_below_4g = 3ull << 30,
		.ram_above_4g = 20ull << 30,
		.type0 = &t0,
	};
	struct smbios_legacy_summary s;
	struct smbios_table_info info, check;
	const uint8_t *p;
	uint8_t ep[31];
	unsigned int i, j;
	int n;

	(void)state;
	in.blob = legacy;
	in.len = make_legacy();
	assert_int_equal(smbios_legacy_parse(legacy, in.len, &s), 0);
	assert_int_equal(s.fields, 4);
	assert_int_equal(s.tables, 2);
	n = smbios_build_legacy(&in, out, sizeof(out), &info);
	assert_true(n > 0);
	assert_int_equal(smbios_walk(out, (size_t)n, &check), 0);
	assert_int_equal(check.length, n);
	assert_int_equal(info.count, sizeof(types));
	assert_true(info.has_type0);
	assert_true(info.has_end);
	for (i = 0; i < sizeof(types); i++) {
		assert_int_equal(out[nth(out, i)], types[i]);
		for (j = 0; j < i; j++)
			assert_int_not_equal(out[nth(out, i) + 2] | out[nth(out, i) + 3] << 8,
					     out[nth(out, j) + 2] | out[nth(out, j) + 3] << 8);
	}
	p = out;
	assert_string_equal(str_of(p, p[4]), "Vendor X");
	assert_string_equal(str_of(p, p[5]), "1.2.3");
	assert_int_equal(p[0x14], 9);
	p = out + nth(out, 1);
	assert_string_equal(str_of(p, p[4]), "ACME");
	assert_memory_equal(p + 8, uuid, 16);
	assert_memory_equal(out + nth(out, 2), raw_t3, sizeof(raw_t3));
	p = out + nth(out, 5);
	assert_string_equal(str_of(p, p[4]), "CPU 2");
	assert_int_equal(p[8] | p[9] << 8, 0x663);
	p = out + nth(out, 6);
	assert_int_equal(p[7] | p[8] << 8 | p[9] << 16 | (uint32_t)p[10] << 24, 23u << 20);
	assert_int_equal(p[0x0d], 2);
	j = p[2] | p[3] << 8;
	p = out + nth(out, 7);
	assert_int_equal(p[0x0c] | p[0x0d] << 8, 16384);
	assert_int_equal(p[4] | p[5] << 8, j);
	assert_string_equal(str_of(p, p[0x10]), "DIMM 0");
	p = out + nth(out, 8);
	assert_int_equal(p[0x0c] | p[0x0d] << 8, 7168);
	p = out + nth(out, 10);
	assert_int_equal(p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24, 4u << 20);
	assert_int_equal(p[8] | p[9] << 8 | p[10] << 16 | (uint32_t)p[11] << 24, (24u << 20) - 1);
	assert_memory_equal(out + nth(out, 12), oem_t11, sizeof(oem_t11));
	/* The 2.1 entry point for it. */
	smbios_ep21_init(ep, 2, 4);
	assert_int_equal(smbios_fix_entry_point(ep, sizeof(ep), &info, 0xf1000), SMBIOS_EP_21);
	assert_int_equal(sum(ep, 31), 0);
	assert_int_equal(ep[0x1c], sizeof(types));
	/* Output too small. */
	assert_int_equal(smbios_build_legacy(&in, out, (size_t)n - 1, &info), SMBIOS_ERR);
}

/* Built handles skip the ones raw tables use. */
static void test_legacy_handles(void **state)
{
	static const uint8_t raw0[] = {11, 5, 0x00, 0x00, 0, 0, 0};
	struct smbios_legacy_input in = {
		.blob = legacy,
		.cpu_count = 1,
		.ram_below_4g = 1 << 30,
		.type0 = &t0,
	};
	struct smbios_table_info info;

	(void)state;
	in.len = add_table(2, raw0, sizeof(raw0));
	legacy[0] = 1;
	legacy[1] = 0;
	assert_true(smbios_build_legacy(&in, out, sizeof(out), &info) > 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[2] | out[3] << 8, 1);
	/* 0, 1, 3, 4, 16, 17, 19, 32, 11, 127 */
	assert_int_equal(info.count, 10);
}

/* Malformed legacy blobs are rejected. */
static void test_legacy_malformed(void **state)
{
	static const uint8_t bad_t[] = {11, 5, 0x00, 0x00, 1, 'x', 0};
	struct smbios_legacy_summary s;
	size_t len;

	(void)state;
	host_log_clear();
	assert_int_equal(smbios_legacy_parse(legacy, 1, &s), SMBIOS_ERR);
	len = make_legacy();
	legacy[0] = 7; /* one more entry than present */
	assert_int_equal(smbios_legacy_parse(legacy, len, &s), SMBIOS_ERR);
	assert_true(host_log_has("legacy entry 6 of 7"));
	legacy[0] = 6;
	assert_int_equal(smbios_legacy_parse(legacy, len - 1, &s), SMBIOS_ERR);
	assert_true(host_log_has("length out of bounds"));
	legacy[4] = 2; /* first entry: unknown kind */
	assert_int_equal(smbios_legacy_parse(legacy, len, &s), SMBIOS_ERR);
	assert_true(host_log_has("unknown kind"));
	len = add_field(2, 1, 4, "", 0);
	legacy[0] = 1;
	assert_int_equal(smbios_legacy_parse(legacy, len, &s), SMBIOS_ERR);
	assert_true(host_log_has("field without data"));
	len = add_table(2, bad_t, sizeof(bad_t));
	assert_int_equal(smbios_legacy_parse(legacy, len, &s), SMBIOS_ERR);
	assert_true(host_log_has("not exactly one well-formed structure"));
	len = add_table(2, bad_t, sizeof(bad_t) - 1);
	assert_int_equal(smbios_legacy_parse(legacy, len, &s), SMBIOS_ERR);
	legacy[0] = 0;
	assert_int_equal(smbios_legacy_parse(legacy, 2, &s), 0);
}

/* Bad legacy fields are ignored with a message; the tables are still built. */
static void test_legacy_bad_fields(void **state)
{
	struct smbios_legacy_input in = {.blob = legacy, .cpu_count = 1, .type0 = &t0};
	struct smbios_table_info info;
	size_t pos = 2;

	(void)state;
	host_log_clear();
	pos = add_field(pos, 1, 0x04, "NONUL", 5);
	pos = add_field(pos, 1, 0x18, "toolong", 7);
	pos = add_field(pos, 4, 0x10, "x", 2);
	legacy[0] = 3;
	legacy[1] = 0;
	in.len = pos;
	assert_true(smbios_build_legacy(&in, out, sizeof(out), &info) > 0);
	assert_true(host_log_has("string field 1/4 lacks a NUL"));
	assert_true(host_log_has("field 1/18 (7 bytes) is outside"));
	assert_true(host_log_has("Type 4: only Types 0 and 1"));
	/* No RAM: no Type 17 or 19. 0, 1, 3, 4, 16, 32, 127 */
	assert_int_equal(info.count, 7);
	assert_string_equal(str_of(out + nth(out, 1), out[nth(out, 1) + 4]), "QEMU");
}

/* A garbage -smbios file= in front of QEMU's structures: only the garbage is dropped. */
static void test_salvage_garbage_first(void **state)
{
	static const uint8_t junk_hdr[] = {0x0b, 0x40, 0x00, 0x10};
	uint8_t tail[sizeof(qemu_t1) + sizeof(qemu_t3) + sizeof(qemu_t127)];
	struct smbios_table_info info;
	size_t len;
	int n;

	(void)state;
	memcpy(tail, qemu_t1, sizeof(qemu_t1));
	memcpy(tail + sizeof(qemu_t1), qemu_t3, sizeof(qemu_t3));
	memcpy(tail + sizeof(qemu_t1) + sizeof(qemu_t3), qemu_t127, sizeof(qemu_t127));
	/* A header claiming 64 bytes, then 200 'A's with no NUL: its string set ends inside
	 * QEMU's Type 1 and the walk fails there. */
	memcpy(blob, junk_hdr, sizeof(junk_hdr));
	memset(blob + 4, 'A', 200);
	memcpy(blob + 204, tail, sizeof(tail));
	len = 204 + sizeof(tail);
	host_log_clear();
	assert_int_equal(smbios_walk(blob, len, &info), SMBIOS_ERR);
	n = smbios_salvage(blob, len);
	assert_int_equal(n, (int)sizeof(tail));
	assert_memory_equal(blob, tail, sizeof(tail));
	assert_true(host_log_has("dropped bytes 0-203, kept 0 structures before and 3 after"));
	/* A valid blob is left alone. */
	assert_int_equal(smbios_salvage(blob, (size_t)n), n);
	assert_memory_equal(blob, tail, sizeof(tail));
}

/* Good structures before the garbage are kept too; nothing intact after it: refused. */
static void test_salvage_keeps_prefix(void **state)
{
	size_t len = make_blob(bios_t0, sizeof(bios_t0), qemu_t1, sizeof(qemu_t1), qemu_t127,
			       sizeof(qemu_t127));
	size_t t0len = sizeof(bios_t0);
	int n;

	(void)state;
	/* bios_t0, then 5 junk bytes with a bad length, then Type 1 and Type 127. */
	memmove(blob + t0len + 5, blob + t0len, len - t0len);
	memcpy(blob + t0len, "\x99\x02\x01\x02\x03", 5);
	host_log_clear();
	n = smbios_salvage(blob, len + 5);
	assert_int_equal(n, (int)len);
	assert_memory_equal(blob, bios_t0, sizeof(bios_t0));
	assert_memory_equal(blob + t0len, qemu_t1, sizeof(qemu_t1));
	assert_true(host_log_has("kept 1 structures before and 2 after"));
	/* Garbage only. */
	memset(blob, 0xff, 64);
	blob[1] = 2;
	host_log_clear();
	assert_int_equal(smbios_salvage(blob, 64), SMBIOS_ERR);
	assert_true(host_log_has("no intact structures follow"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_valid),
		cmocka_unit_test(test_walk_malformed),
		cmocka_unit_test(test_type0),
		cmocka_unit_test(test_install_inserts_type0),
		cmocka_unit_test(test_install_keeps_type0),
		cmocka_unit_test(test_ep21),
		cmocka_unit_test(test_ep30),
		cmocka_unit_test(test_ep_bad),
		cmocka_unit_test(test_legacy_build),
		cmocka_unit_test(test_legacy_handles),
		cmocka_unit_test(test_legacy_malformed),
		cmocka_unit_test(test_legacy_bad_fields),
		cmocka_unit_test(test_salvage_garbage_first),
		cmocka_unit_test(test_salvage_keeps_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
