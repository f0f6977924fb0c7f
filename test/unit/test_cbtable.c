// SPDX-License-Identifier: MIT
/* Unit tests for the coreboot table writer: layout, checksums, forwarder, overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cbtable.h"
#include "host_log.h"

#define FILL 0xcc

static uint8_t buf[8192];
static uint8_t big[0x30000];

/* Little-endian u32 at p. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Little-endian u64 at p. */
static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Reference Internet checksum: LE words, odd byte as-is, full end-around carry. */
static uint16_t ref_chksum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint64_t)p[i] | (uint64_t)p[i + 1] << 8;
	if (len & 1)
		sum += p[len - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Check header and table checksums and walk the records; returns the record count. */
static uint32_t check_table(const uint8_t *t, size_t total)
{
	uint32_t table_bytes = rd32(t + 12), off = 0, n = 0;

	assert_memory_equal(t, "LBIO", 4);
	assert_int_equal(rd32(t + 4), CB_HEADER_BYTES);
	assert_int_equal(cb_ipchksum(t, CB_HEADER_BYTES), 0);
	assert_int_equal(ref_chksum(t, CB_HEADER_BYTES), 0);
	assert_int_equal(rd32(t + 8) >> 16, 0);
	assert_int_equal(table_bytes, total - CB_HEADER_BYTES);
	assert_int_equal(rd32(t + 16), ref_chksum(t + CB_HEADER_BYTES, table_bytes));
	while (off < table_bytes) {
		uint32_t size = rd32(t + CB_HEADER_BYTES + off + 4);

		assert_true(size >= 8);
		assert_int_equal(size % 4, 0);
		off += size;
		n++;
	}
	assert_int_equal(off, table_bytes);
	assert_int_equal(rd32(t + 20), n);
	return n;
}

/* Known checksum vectors, including odd lengths and carries. */
static void test_ipchksum(void **state)
{
	static const uint8_t rfc[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	static const uint8_t ones[4] = {0xff, 0xff, 0x01, 0x00};

	(void)state;
	assert_int_equal(cb_ipchksum("", 0), 0xffff);
	assert_int_equal(cb_ipchksum("\x01", 1), 0xfffe);
	assert_int_equal(cb_ipchksum("\x01\x02", 2), 0xfdfe);
	assert_int_equal(cb_ipchksum("\x01\x02\x03", 3), 0xfdfb);
	assert_int_equal(cb_ipchksum("\xff\xff", 2), 0x0000);
	assert_int_equal(cb_ipchksum(ones, 4), 0xfffe); /* 0xffff + 1 carries around */
	assert_int_equal(cb_ipchksum(rfc, 8), 0x0d22);	/* RFC 1071 example, LE words */
	assert_int_equal(cb_ipchksum(rfc, 7), ref_chksum(rfc, 7));
	/* Long buffers: the 32-bit sum of 0xffff words overflows after 64 Ki words. */
	memset(big, 0xff, sizeof(big));
	assert_int_equal(cb_ipchksum(big, sizeof(big)), 0);
	assert_int_equal(cb_ipchksum(big, sizeof(big) - 1), ref_chksum(big, sizeof(big) - 1));
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8));
	assert_int_equal(cb_ipchksum(big, sizeof(big)), ref_chksum(big, sizeof(big)));
}

/* A full table: memory, mainboard, cbmem console and an odd-sized record. */
static void test_table(void **state)
{
	static const uint8_t serial[5] = {1, 2, 3, 4, 5};
	struct cb_builder b;
	struct e820_map map;
	const uint8_t *r;
	size_t size;

	(void)state;
	e820_init(&map);
	e820_add(&map, 0, 0x9fc00, E820_RAM);
	e820_add(&map, 0x7ffe0000, 0x20000, E820_TABLE);
	e820_add(&map, 0x100000000ull, 0x180000000ull, E820_RAM);
	memset(buf, FILL, sizeof(buf));
	cb_begin(&b, buf, 4096);
	cb_add_memory(&b, &map);
	cb_add_mainboard(&b, "QEMU", "qvmloader");
	cb_add_u64(&b, CB_TAG_CBMEM_CONSOLE, 0x7ffe1000);
	cb_add(&b, CB_TAG_SERIAL, serial, sizeof(serial));
	size = cb_finish(&b);
	/* 24 header + (8 + 3 * 20) + (8 + 2 + 5 + 10 -> 28) + 16 + (8 + 5 -> 16) */
	assert_int_equal(size, 24 + 68 + 28 + 16 + 16);
	assert_int_equal(check_table(buf, size), 4);
	assert_int_equal(buf[size], FILL); /* nothing written past the table */

	/* Memory record: 20-byte ranges with 64-bit values split into halves. */
	r = buf + 24;
	assert_int_equal(rd32(r), CB_TAG_MEMORY);
	assert_int_equal(rd32(r + 4), 8 + 3 * 20);
	assert_int_equal(rd64(r + 8), 0);
	assert_int_equal(rd64(r + 16), 0x9fc00);
	assert_int_equal(rd32(r + 24), E820_RAM);
	assert_int_equal(rd32(r + 28), 0x7ffe0000);
	assert_int_equal(rd32(r + 32), 0);
	assert_int_equal(rd32(r + 36), 0x20000);
	assert_int_equal(rd32(r + 40), 0);
	assert_int_equal(rd32(r + 44), E820_TABLE);
	assert_int_equal(rd32(r + 48), 0);
	assert_int_equal(rd32(r + 52), 1);
	assert_int_equal(rd32(r + 56), 0x80000000);
	assert_int_equal(rd32(r + 60), 1);
	assert_int_equal(rd32(r + 64), E820_RAM);

	/* Mainboard: indexes are offsets into the strings that follow them. */
	r += 68;
	assert_int_equal(rd32(r), CB_TAG_MAINBOARD);
	assert_int_equal(rd32(r + 4), 28);
	assert_int_equal(r[8], 0);
	assert_int_equal(r[9], 5);
	assert_string_equal((const char *)r + 10 + r[8], "QEMU");
	assert_string_equal((const char *)r + 10 + r[9], "qvmloader");
	assert_int_equal(r[25], 0);
	assert_int_equal(r[26], 0);
	assert_int_equal(r[27], 0);

	r += 28;
	assert_int_equal(rd32(r), CB_TAG_CBMEM_CONSOLE);
	assert_int_equal(rd32(r + 4), 16);
	assert_int_equal(rd64(r + 8), 0x7ffe1000);

	/* A 5-byte payload is padded with zeros, not left as buffer garbage. */
	r += 16;
	assert_int_equal(rd32(r), CB_TAG_SERIAL);
	assert_int_equal(rd32(r + 4), 16);
	assert_memory_equal(r + 8, serial, 5);
	assert_int_equal(r[13], 0);
	assert_int_equal(r[14], 0);
	assert_int_equal(r[15], 0);
}

/* A table with no records and one with an empty memory map. */
static void test_empty(void **state)
{
	struct cb_builder b;
	struct e820_map map;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	cb_begin(&b, buf, CB_HEADER_BYTES);
	assert_int_equal(cb_finish(&b), CB_HEADER_BYTES);
	assert_int_equal(check_table(buf, CB_HEADER_BYTES), 0);
	assert_int_equal(rd32(buf + 16), 0xffff);

	e820_init(&map);
	cb_begin(&b, buf, 64);
	cb_add_memory(&b, &map);
	assert_int_equal(cb_finish(&b), CB_HEADER_BYTES + 8);
	assert_int_equal(check_table(buf, CB_HEADER_BYTES + 8), 1);
	assert_int_equal(rd32(buf + 28), 8);
}

/* The forwarder: header plus one CB_TAG_FORWARD holding the target. */
static void test_forwarder(void **state)
{
	(void)state;
	memset(buf, FILL, sizeof(buf));
	assert_int_equal(cb_write_forwarder(buf, CB_FORWARDER_BYTES, 0x7ffe0000),
			 CB_FORWARDER_BYTES);
	assert_int_equal(check_table(buf, CB_FORWARDER_BYTES), 1);
	assert_int_equal(rd32(buf + 24), CB_TAG_FORWARD);
	assert_int_equal(rd32(buf + 28), 16);
	assert_int_equal(rd64(buf + 32), 0x7ffe0000);
	assert_int_equal(buf[CB_FORWARDER_BYTES], FILL);
	/* A target above 4 GiB is stored whole. */
	assert_int_equal(cb_write_forwarder(buf, 4096, 0x123456789abcull), CB_FORWARDER_BYTES);
	assert_int_equal(rd64(buf + 32), 0x123456789abcull);
	check_table(buf, CB_FORWARDER_BYTES);

	host_log_clear();
	assert_int_equal(cb_write_forwarder(buf, CB_FORWARDER_BYTES - 1, 0x1000), 0);
	assert_true(host_log_has("cbtable: 39-byte buffer too small for the coreboot table"));
}

/* Records that do not fit: cb_finish returns 0 and logs; nothing is written past cap. */
static void test_overflow(void **state)
{
	struct cb_builder b;
	struct e820_map map;

	(void)state;
	e820_init(&map);
	for (int i = 0; i < 10; i++)
		e820_add(&map, (uint64_t)i << 20, 0x1000, E820_RAM);
	/* The memory record needs 8 + 200 bytes. */
	memset(buf, FILL, sizeof(buf));
	cb_begin(&b, buf, CB_HEADER_BYTES + 207);
	cb_add_memory(&b, &map);
	cb_add_u64(&b, CB_TAG_FORWARD, 1); /* would fit, but the table is already broken */
	host_log_clear();
	assert_int_equal(cb_finish(&b), 0);
	assert_true(host_log_has("cbtable: 231-byte buffer too small"));
	for (size_t i = CB_HEADER_BYTES; i < sizeof(buf); i++)
		assert_int_equal(buf[i], FILL);

	cb_begin(&b, buf, CB_HEADER_BYTES + 208);
	cb_add_memory(&b, &map);
	assert_int_equal(cb_finish(&b), CB_HEADER_BYTES + 208);
	check_table(buf, CB_HEADER_BYTES + 208);
	assert_int_equal(buf[CB_HEADER_BYTES + 208], FILL);

	/* A buffer smaller than the header is never written. */
	memset(buf, FILL, sizeof(buf));
	cb_begin(&b, buf, CB_HEADER_BYTES - 1);
	cb_add_u64(&b, CB_TAG_FORWARD, 1);
	host_log_clear();
	assert_int_equal(cb_finish(&b), 0);
	assert_true(host_log_has("23-byte buffer too small"));
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(buf[i], FILL);

	/* Mainboard strings that do not fit. */
	cb_begin(&b, buf, CB_HEADER_BYTES + 27);
	cb_add_mainboard(&b, "QEMU", "qvmloader");
	assert_int_equal(cb_finish(&b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipchksum), cmocka_unit_test(test_table),
		cmocka_unit_test(test_empty),	 cmocka_unit_test(test_forwarder),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
