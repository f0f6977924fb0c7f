// SPDX-License-Identifier: MIT
/* Unit tests for UEFIPAYLOAD.fd parsing, the fixed-RAM check, the 4 KiB map rounding and
 * the ACPI checks, on synthetic volumes, maps and tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_log.h"
#include "uefi-fd.h"

#define FV_BYTES  0x4000
#define HDR_BYTES 72
#define BASE	  0x800000u

static uint8_t fv[FV_BYTES];

static const uint8_t ffs2[16] = {0x78, 0xe5, 0x8c, 0x8c, 0x3d, 0x8a, 0x1c, 0x4f,
				 0x99, 0x35, 0x89, 0x61, 0x85, 0xc3, 0x2d, 0xd3};
static const uint8_t ffs3[16] = {0x7a, 0xc0, 0x73, 0x54, 0xcb, 0x3d, 0xca, 0x4d,
				 0xbd, 0x6f, 0x1e, 0x96, 0x89, 0xe7, 0x34, 0x9a};

/* Little-endian stores. */
static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* 32-bit little-endian store. */
static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}

/* 64-bit little-endian store. */
static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/* 24-bit little-endian store. */
static void wr24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
}

/* Recompute the FV header checksum. */
static void fix_checksum(void)
{
	uint16_t sum = 0;

	wr16(fv + 50, 0);
	for (int i = 0; i < HDR_BYTES; i += 2)
		sum = (uint16_t)(sum + (fv[i] | fv[i + 1] << 8));
	wr16(fv + 50, (uint16_t)-sum);
}

/* An erased (0xff) FFS2 volume header of FV_BYTES with a one-entry block map. */
static void make_fv(void)
{
	memset(fv, 0xff, sizeof(fv));
	memset(fv, 0, HDR_BYTES);
	memcpy(fv + 16, ffs2, 16);
	wr64(fv + 32, FV_BYTES);
	memcpy(fv + 40, "_FVH", 4);
	wr32(fv + 44, 0x800 | 0x4feff);
	wr16(fv + 48, HDR_BYTES);
	fv[55] = 2;
	wr32(fv + 56, FV_BYTES / 0x1000);
	wr32(fv + 60, 0x1000);
	fix_checksum();
}

/* Write an FFS file of type at off holding body (len bytes); returns the next 8-aligned
 * offset. */
static uint32_t add_file(uint32_t off, uint8_t type, const uint8_t *body, uint32_t len)
{
	memset(fv + off, 0, 24);
	fv[off] = type; /* any distinct name */
	fv[off + 18] = type;
	wr24(fv + off + 20, 24 + len);
	fv[off + 23] = 0xf8;
	memcpy(fv + off + 24, body, len);
	return (off + 24 + len + 7) & ~7u;
}

/* A section of type with a PE32 image of machine linked at image_base, entry at rva.
 * Returns the section length. */
static uint32_t pe_section(uint8_t *s, uint16_t machine, uint32_t image_base, uint32_t rva)
{
	uint8_t *img = s + 4;
	uint32_t len = 4 + 0x200;

	memset(s, 0, len);
	wr24(s, len);
	s[3] = 0x10;
	img[0] = 'M';
	img[1] = 'Z';
	wr32(img + 0x3c, 0x40);
	memcpy(img + 0x40, "PE\0\0", 4);
	wr16(img + 0x44, machine);
	wr16(img + 0x54, 224);
	wr16(img + 0x58, 0x10b);
	wr32(img + 0x58 + 16, rva);
	wr32(img + 0x58 + 28, image_base);
	wr32(img + 0x58 + 56, 0x200);
	return len;
}

/* A volume with a pad file, then a SEC file whose PE32 is linked for image_base. */
static uint32_t make_sec_fv(uint16_t machine, int delta, uint32_t rva)
{
	uint8_t body[0x300];
	uint8_t pad[40] = {0};
	uint32_t off = add_file(HDR_BYTES, 0xf0, pad, sizeof(pad));
	uint32_t image_at = BASE + off + 24 + 4;
	uint32_t n = pe_section(body, machine, (uint32_t)((int64_t)image_at + delta), rva);

	add_file(off, 0x03, body, n);
	return image_at;
}

/* The real layout: SEC entry = ImageBase + AddressOfEntryPoint at the place it sits. */
static void test_parse_pe32(void **state)
{
	struct uefi_fv_info info;
	uint32_t at;

	(void)state;
	make_fv();
	at = make_sec_fv(0x14c, 0, 0x139);
	assert_true(uefi_fv_probe(fv, sizeof(fv)));
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), 0);
	assert_int_equal(info.fv_length, FV_BYTES);
	assert_int_equal(info.image_base, at);
	assert_int_equal(info.entry, at + 0x139);
	assert_int_equal(info.sec_offset, at - BASE);
	assert_int_equal(info.machine, 0x14c);
	assert_false(info.te);
}

/* A SEC image linked for another address cannot run in place: refused. */
static void test_parse_wrong_base(void **state)
{
	struct uefi_fv_info info;

	(void)state;
	make_fv();
	make_sec_fv(0x14c, 0x1000, 0x139);
	host_log_clear();
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_true(host_log_has("linked for"));
	/* The same volume parsed for the address it was linked for is fine. */
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE + 0x1000, &info), 0);
}

/* An X64-only SEC needs long mode: refused with the build hint. */
static void test_parse_x64(void **state)
{
	struct uefi_fv_info info;

	(void)state;
	make_fv();
	make_sec_fv(0x8664, 0, 0x139);
	host_log_clear();
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_true(host_log_has("-a IA32 -a X64"));
}

/* Entry outside the image is refused. */
static void test_parse_bad_entry(void **state)
{
	struct uefi_fv_info info;

	(void)state;
	make_fv();
	make_sec_fv(0x14c, 0, 0x5000);
	host_log_clear();
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_true(host_log_has("outside"));
}

/* Header damage: checksum, volume longer than the image, unknown file system. */
static void test_parse_bad_header(void **state)
{
	struct uefi_fv_info info;

	(void)state;
	make_fv();
	make_sec_fv(0x14c, 0, 0x139);
	fv[60] ^= 1;
	host_log_clear();
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_true(host_log_has("checksum"));
	make_fv();
	make_sec_fv(0x14c, 0, 0x139);
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv) - 8, BASE, &info), -1);
	fv[16] ^= 1;
	assert_false(uefi_fv_probe(fv, sizeof(fv)));
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_false(uefi_fv_probe(fv, 40));
}

/* FFS3 volumes are recognised too, and an extended header moves the first file. */
static void test_parse_ffs3_ext_header(void **state)
{
	struct uefi_fv_info info;
	uint8_t body[0x300];
	uint32_t n, image_at;

	(void)state;
	make_fv();
	memcpy(fv + 16, ffs3, 16);
	wr16(fv + 52, HDR_BYTES);
	memset(fv + HDR_BYTES, 0, 20);
	wr32(fv + HDR_BYTES + 16, 20);
	fix_checksum();
	image_at = BASE + HDR_BYTES + 24 + 24 + 4;
	n = pe_section(body, 0x14c, image_at, 0x100);
	add_file(HDR_BYTES + 24, 0x03, body, n);
	assert_true(uefi_fv_probe(fv, sizeof(fv)));
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), 0);
	assert_int_equal(info.entry, image_at + 0x100);
}

/* A TE SEC image: header at ImageBase + StrippedSize - 40. */
static void test_parse_te(void **state)
{
	struct uefi_fv_info info;
	uint8_t body[0x200] = {0};
	uint32_t te_at = BASE + HDR_BYTES + 24 + 4;

	(void)state;
	make_fv();
	wr24(body, sizeof(body));
	body[3] = 0x12;
	body[4] = 'V';
	body[5] = 'Z';
	wr16(body + 6, 0x14c);
	wr16(body + 10, 0x1d8);
	wr32(body + 12, 0x1d8 + 0x80);
	wr64(body + 20, (uint64_t)te_at - 0x1d8 + 40);
	add_file(HDR_BYTES, 0x03, body, sizeof(body));
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), 0);
	assert_true(info.te);
	assert_int_equal(info.entry, te_at - 0x1d8 + 40 + 0x1d8 + 0x80);
}

/* No SEC file, and a file whose size runs past the volume. */
static void test_parse_no_sec(void **state)
{
	struct uefi_fv_info info;
	uint8_t body[64] = {0};

	(void)state;
	make_fv();
	add_file(HDR_BYTES, 0x07, body, sizeof(body));
	host_log_clear();
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_true(host_log_has("no SEC core file"));
	make_fv();
	add_file(HDR_BYTES, 0x07, body, sizeof(body));
	wr24(fv + HDR_BYTES + 20, FV_BYTES);
	host_log_clear();
	assert_int_equal(uefi_fv_parse(fv, sizeof(fv), BASE, &info), -1);
	assert_true(host_log_has("corrupt"));
}

/* The study's numbers: 0x590000-byte FD -> FD 0x800000-0xd8ffff, work 0xe00000-0x4dfffff. */
static void test_fixed_ranges(void **state)
{
	struct uefi_fixed fx;

	(void)state;
	uefi_fixed_ranges(0x590000, &fx);
	assert_int_equal(fx.fd_start, 0x800000);
	assert_int_equal(fx.fd_end, 0xd90000);
	assert_int_equal(fx.work_start, 0xe00000);
	assert_int_equal(fx.work_end, 0x4e00000);
	uefi_fixed_ranges(0x800000, &fx);
	assert_int_equal(fx.work_start, 0x1000000);
}

/* A q35-like map of ram_mib MiB with 16 MiB TSEG reserved at the top of low RAM. */
static void q35_map(struct e820_map *m, uint64_t ram_mib)
{
	e820_init(m);
	e820_add(m, 0, 0xa0000, E820_RAM);
	e820_add(m, 0x100000, (ram_mib << 20) - 0x100000, E820_RAM);
	e820_add(m, (ram_mib - 16) << 20, 16 << 20, E820_RESERVED);
	e820_add(m, 0xb0000000, 0x10000000, E820_RESERVED);
}

/* Enough RAM passes; 64 MiB is refused with the size it needs. */
static void test_check_fixed(void **state)
{
	struct e820_map m;
	struct uefi_fixed fx;
	struct busy_range busy[] = {{0x7f000000, 0x7f100000, "table zone"}};

	(void)state;
	uefi_fixed_ranges(0x590000, &fx);
	q35_map(&m, 2048);
	assert_int_equal(uefi_check_fixed(&fx, &m, busy, 1), 0);
	q35_map(&m, 64);
	host_log_clear();
	assert_int_equal(uefi_check_fixed(&fx, &m, busy, 1), -1);
	assert_true(host_log_has("more than 78 MiB"));
	assert_true(host_log_has("not booting"));
}

/* A reservation or a loader range inside the fixed RAM is refused and named. */
static void test_check_fixed_conflicts(void **state)
{
	struct e820_map m;
	struct uefi_fixed fx;
	struct busy_range busy[] = {{0x3000000, 0x3001000, "coreboot table"}};

	(void)state;
	uefi_fixed_ranges(0x590000, &fx);
	q35_map(&m, 2048);
	e820_add(&m, 0x900000, 0x1000, E820_RESERVED);
	host_log_clear();
	assert_int_equal(uefi_check_fixed(&fx, &m, NULL, 0), -1);
	assert_true(host_log_has("900000-900fff in it is"));
	q35_map(&m, 2048);
	host_log_clear();
	assert_int_equal(uefi_check_fixed(&fx, &m, busy, 1), -1);
	assert_true(host_log_has("coreboot table"));
}

/* RAM rounds inwards, the rest outwards; reservations win over the RAM they round onto. */
static void test_align_map(void **state)
{
	struct e820_map in, out;

	(void)state;
	e820_init(&in);
	e820_add(&in, 0, 0x9fc00, E820_RAM);
	e820_add(&in, 0x9fc00, 0x400, E820_RESERVED);
	e820_add(&in, 0x100000, 0x7ee00800, E820_RAM);
	e820_add(&in, 0x7ef00800, 0x100, E820_TABLE);
	e820_add(&in, 0x7ef00900, 0xff700, E820_RAM);
	e820_add(&in, 0x7f800000, 0x100, E820_RAM);
	e820_add(&in, 0x100000000ull, 0x80000000ull, E820_RAM);
	assert_int_equal(uefi_align_map(&in, &out), 0);
	for (int i = 0; i < out.count; i++) {
		assert_int_equal(out.e[i].start & 0xfff, 0);
		assert_int_equal(out.e[i].size & 0xfff, 0);
	}
	assert_int_equal(out.count, 6);
	assert_int_equal(out.e[0].start, 0);
	assert_int_equal(out.e[0].size, 0x9f000);
	assert_int_equal(out.e[1].type, E820_RESERVED);
	assert_int_equal(out.e[1].start, 0x9f000);
	assert_int_equal(out.e[1].size, 0x1000);
	assert_int_equal(out.e[2].start, 0x100000);
	assert_int_equal(out.e[2].size, 0x7ee00000);
	assert_int_equal(out.e[3].type, E820_TABLE);
	assert_int_equal(out.e[3].start, 0x7ef00000);
	assert_int_equal(out.e[3].size, 0x1000);
	assert_int_equal(out.e[4].start, 0x7ef01000);
	assert_int_equal(out.e[4].size, 0xff000);
	assert_int_equal(out.e[4].type, E820_RAM);
	/* The sub-page RAM range at 0x7f800000 vanished; high RAM is untouched. */
	assert_int_equal(out.e[5].start, 0x100000000ull);
	assert_int_equal(out.e[5].size, 0x80000000ull);
}

/* Guest memory for the ACPI tests: 64 KiB at ACPI_BASE. */
#define ACPI_BASE 0xe0000u
static uint8_t mem[0x10000];

/* phys_view over mem. */
static const void *map_mem(void *ctx, uint64_t addr, uint32_t len)
{
	(void)ctx;
	if (addr < ACPI_BASE || addr - ACPI_BASE > sizeof(mem) ||
	    len > sizeof(mem) - (addr - ACPI_BASE))
		return NULL;
	return mem + (addr - ACPI_BASE);
}

/* Set the byte at off so that len bytes from start sum to zero. */
static void acpi_sum(uint32_t start, uint32_t len, uint32_t off)
{
	uint8_t s = 0;

	mem[off] = 0;
	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + mem[start + i]);
	mem[off] = (uint8_t)-s;
}

/* A table header with sig and len at off, checksummed after body writes by the caller. */
static void acpi_header(uint32_t off, const char *sig, uint32_t len)
{
	memcpy(mem + off, sig, 4);
	wr32(mem + off + 4, len);
	mem[off + 8] = 1;
}

/* RSDP (rev 0) -> RSDT -> FACP (+ MCFG if with_mcfg), offsets within mem. */
static void make_acpi(bool with_mcfg, uint32_t pm_tmr)
{
	uint32_t rsdt = 0x100, facp = 0x200, mcfg = 0x400;

	memset(mem, 0, sizeof(mem));
	memcpy(mem, "RSD PTR ", 8);
	wr32(mem + 16, ACPI_BASE + rsdt);
	acpi_sum(0, 20, 8);
	acpi_header(rsdt, "RSDT", 36 + (with_mcfg ? 8 : 4));
	wr32(mem + rsdt + 36, ACPI_BASE + facp);
	if (with_mcfg)
		wr32(mem + rsdt + 40, ACPI_BASE + mcfg);
	acpi_sum(rsdt, 36 + (with_mcfg ? 8 : 4), rsdt + 9);
	acpi_header(facp, "FACP", 244);
	wr32(mem + facp + 56, 0x600);
	wr32(mem + facp + 64, 0x604);
	wr32(mem + facp + 76, pm_tmr);
	wr32(mem + facp + 80, 0x620);
	wr64(mem + facp + 120, 0xcf9);
	acpi_sum(facp, 244, facp + 9);
	acpi_header(mcfg, "MCFG", 60);
	wr64(mem + mcfg + 44, 0xb0000000);
	mem[mcfg + 55] = 0xff;
	acpi_sum(mcfg, 60, mcfg + 9);
}

/* q35-like tables pass and report the ECAM window. */
static void test_acpi_ok(void **state)
{
	struct phys_view v = {map_mem, NULL};
	struct uefi_acpi_info info;

	(void)state;
	make_acpi(true, 0x608);
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), 0);
	assert_int_equal(info.fadt, ACPI_BASE + 0x200);
	assert_int_equal(info.mcfg, ACPI_BASE + 0x400);
	assert_int_equal(info.ecam_base, 0xb0000000);
	assert_int_equal(info.ecam_end_bus, 0xff);
}

/* pc: no MCFG is fine (the payload uses CF8); the FADT is still found and checked. */
static void test_acpi_no_mcfg(void **state)
{
	struct phys_view v = {map_mem, NULL};
	struct uefi_acpi_info info;

	(void)state;
	make_acpi(false, 0x608);
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), 0);
	assert_int_equal(info.fadt, ACPI_BASE + 0x200);
	assert_int_equal(info.mcfg, 0);
	assert_int_equal(info.ecam_base, 0);
	make_acpi(false, 0);
	host_log_clear();
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), -1);
}

/* FADT without a PM timer, a broken RSDP and a broken table checksum are refused. */
static void test_acpi_bad(void **state)
{
	struct phys_view v = {map_mem, NULL};
	struct uefi_acpi_info info;

	(void)state;
	make_acpi(true, 0);
	host_log_clear();
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), -1);
	assert_true(host_log_has("PM_TMR_BLK is 0"));
	make_acpi(true, 0x608);
	mem[3] ^= 1;
	host_log_clear();
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), -1);
	assert_true(host_log_has("no valid ACPI RSDP"));
	make_acpi(true, 0x608);
	mem[0x200 + 100] ^= 1;
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), -1);
	assert_int_equal(uefi_check_acpi(&v, 0, &info), -1);
}

/* A revision 1 FADT (116 bytes, pc) needs no RESET_REG; a shorter one is refused. */
static void test_acpi_fadt_rev1(void **state)
{
	struct phys_view v = {map_mem, NULL};
	struct uefi_acpi_info info;

	(void)state;
	make_acpi(false, 0x608);
	memset(mem + 0x200 + 116, 0, 244 - 116);
	acpi_header(0x200, "FACP", 116);
	acpi_sum(0x200, 116, 0x200 + 9);
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), 0);
	assert_int_equal(info.fadt, ACPI_BASE + 0x200);
	wr32(mem + 0x200 + 76, 0);
	acpi_sum(0x200, 116, 0x200 + 9);
	host_log_clear();
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), -1);
	assert_true(host_log_has("PM_TMR_BLK"));
	wr32(mem + 0x200 + 76, 0x608);
	acpi_header(0x200, "FACP", 100);
	acpi_sum(0x200, 100, 0x200 + 9);
	host_log_clear();
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), -1);
	assert_true(host_log_has("too short"));
}

/* With an RSDT lacking MCFG, a revision-2 RSDP's XSDT is searched too. */
static void test_acpi_xsdt(void **state)
{
	struct phys_view v = {map_mem, NULL};
	struct uefi_acpi_info info;
	uint32_t xsdt = 0x600;

	(void)state;
	make_acpi(false, 0x608);
	mem[15] = 2;
	wr32(mem + 20, 36);
	wr64(mem + 24, ACPI_BASE + xsdt);
	acpi_sum(0, 20, 8);
	acpi_sum(0, 36, 32);
	acpi_header(xsdt, "XSDT", 36 + 16);
	wr64(mem + xsdt + 36, ACPI_BASE + 0x200);
	wr64(mem + xsdt + 44, ACPI_BASE + 0x400);
	acpi_sum(xsdt, 52, xsdt + 9);
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), 0);
	assert_int_equal(info.mcfg, ACPI_BASE + 0x400);
	/* Revision 0: the XSDT field is not there, so it is not used (no MCFG found). */
	mem[15] = 0;
	acpi_sum(0, 20, 8);
	assert_int_equal(uefi_check_acpi(&v, ACPI_BASE, &info), 0);
	assert_int_equal(info.mcfg, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_pe32),
		cmocka_unit_test(test_parse_wrong_base),
		cmocka_unit_test(test_parse_x64),
		cmocka_unit_test(test_parse_bad_entry),
		cmocka_unit_test(test_parse_bad_header),
		cmocka_unit_test(test_parse_ffs3_ext_header),
		cmocka_unit_test(test_parse_te),
		cmocka_unit_test(test_parse_no_sec),
		cmocka_unit_test(test_fixed_ranges),
		cmocka_unit_test(test_check_fixed),
		cmocka_unit_test(test_check_fixed_conflicts),
		cmocka_unit_test(test_align_map),
		cmocka_unit_test(test_acpi_ok),
		cmocka_unit_test(test_acpi_no_mcfg),
		cmocka_unit_test(test_acpi_fadt_rev1),
		cmocka_unit_test(test_acpi_bad),
		cmocka_unit_test(test_acpi_xsdt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
