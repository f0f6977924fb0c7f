// SPDX-License-Identifier: MIT
/* Unit tests for the LZ4 decoder: literals, overlapping matches, length extensions, a frame
 * written by the lz4 tool, and every kind of corrupt or oversized input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lz4.h"

/* `lz4 -l -9` of "qvmloader LinuxBoot: " x 20 followed by the bytes 0..63. */
static const uint8_t frame[] = {
	0x02, 0x21, 0x4c, 0x18, 0x5d, 0x00, 0x00, 0x00, 0xff, 0x06, 0x71, 0x76, 0x6d, 0x6c, 0x6f,
	0x61, 0x64, 0x65, 0x72, 0x20, 0x4c, 0x69, 0x6e, 0x75, 0x78, 0x42, 0x6f, 0x6f, 0x74, 0x3a,
	0x20, 0x15, 0x00, 0xff, 0x7d, 0xf0, 0x31, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
	0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34,
	0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
};

static uint8_t out[2048];

/* The text the frame holds. */
static size_t expected(uint8_t *buf)
{
	size_t n = 0;

	for (int i = 0; i < 20; i++, n += 21)
		memcpy(buf + n, "qvmloader LinuxBoot: ", 21);
	for (int i = 0; i < 64; i++)
		buf[n++] = (uint8_t)i;
	return n;
}

static void test_literals_only(void **state)
{
	const uint8_t blk[] = {0x50, 'h', 'e', 'l', 'l', 'o'};
	size_t n;

	(void)state;
	assert_int_equal(lz4_decode_block(blk, sizeof(blk), out, sizeof(out), &n), LZ4_OK);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "hello", 5);
}

/* "ab" then a match at offset 2 of 4+6 bytes: the match overlaps its own output. */
static void test_overlapping_match(void **state)
{
	const uint8_t blk[] = {0x26, 'a', 'b', 0x02, 0x00, 0x10, 'Z'};
	size_t n;

	(void)state;
	assert_int_equal(lz4_decode_block(blk, sizeof(blk), out, sizeof(out), &n), LZ4_OK);
	assert_int_equal(n, 13);
	assert_memory_equal(out, "ababababababZ", 13);
}

/* Literal length 15 + 255 + 3 = 273 and match length 4 + 15 + 255 + 0 = 274. */
static void test_length_extensions(void **state)
{
	uint8_t blk[600];
	size_t n, k = 0;

	(void)state;
	blk[k++] = 0xff;
	blk[k++] = 255;
	blk[k++] = 3;
	for (int i = 0; i < 273; i++)
		blk[k++] = (uint8_t)i;
	blk[k++] = 1;
	blk[k++] = 0;
	blk[k++] = 255;
	blk[k++] = 0;
	blk[k++] = 0x00; /* final sequence: no literals */
	assert_int_equal(lz4_decode_block(blk, k, out, sizeof(out), &n), LZ4_OK);
	assert_int_equal(n, 273 + 274);
	for (size_t i = 0; i < 273; i++)
		assert_int_equal(out[i], (uint8_t)i);
	for (size_t i = 273; i < n; i++)
		assert_int_equal(out[i], (uint8_t)272);
}

static void test_lz4_tool_frame(void **state)
{
	uint8_t want[1024];
	size_t n, len = expected(want);

	(void)state;
	assert_int_equal(lz4_decode_legacy(frame, sizeof(frame), out, sizeof(out), &n), LZ4_OK);
	assert_int_equal(n, len);
	assert_memory_equal(out, want, len);
}

/* Two frames back to back decode to the text twice. */
static void test_concatenated_frames(void **state)
{
	uint8_t two[2 * sizeof(frame)], want[1024];
	size_t n, len = expected(want);

	(void)state;
	memcpy(two, frame, sizeof(frame));
	memcpy(two + sizeof(frame), frame, sizeof(frame));
	assert_int_equal(lz4_decode_legacy(two, sizeof(two), out, sizeof(out), &n), LZ4_OK);
	assert_int_equal(n, 2 * len);
	assert_memory_equal(out + len, want, len);
}

static void test_bad_offsets(void **state)
{
	const uint8_t zero[] = {0x10, 'a', 0x00, 0x00, 0x00};
	const uint8_t before[] = {0x10, 'a', 0x02, 0x00, 0x00};
	size_t n;

	(void)state;
	assert_int_equal(lz4_decode_block(zero, sizeof(zero), out, sizeof(out), &n),
			 LZ4_BAD_OFFSET);
	assert_int_equal(lz4_decode_block(before, sizeof(before), out, sizeof(out), &n),
			 LZ4_BAD_OFFSET);
	assert_int_equal(n, 0);
}

/* A frame cut anywhere fails, or (cut after a block) yields a prefix of the text. */
static void test_every_truncation(void **state)
{
	uint8_t want[1024];
	size_t n;

	(void)state;
	expected(want);
	for (size_t cut = 0; cut < sizeof(frame); cut++) {
		enum lz4_status s = lz4_decode_legacy(frame, cut, out, sizeof(out), &n);

		if (s == LZ4_OK)
			assert_memory_equal(out, want, n);
		else
			assert_int_equal(n, 0);
		assert_true(s != LZ4_OK || cut == 4);
	}
}

/* Every output buffer smaller than the text is refused, never overrun. */
static void test_no_room(void **state)
{
	uint8_t want[1024];
	size_t n, len = expected(want);

	(void)state;
	for (size_t cap = 0; cap < len; cap++) {
		memset(out, 0xee, sizeof(out));
		assert_int_equal(lz4_decode_legacy(frame, sizeof(frame), out, cap, &n),
				 LZ4_NO_ROOM);
		assert_int_equal(out[cap], 0xee);
	}
}

static void test_bad_frames(void **state)
{
	uint8_t f[sizeof(frame)];
	size_t n;

	(void)state;
	memcpy(f, frame, sizeof(f));
	f[0] ^= 1;
	assert_int_equal(lz4_decode_legacy(f, sizeof(f), out, sizeof(out), &n), LZ4_BAD_MAGIC);
	memcpy(f, frame, sizeof(f));
	memset(f + 4, 0, 4);
	assert_int_equal(lz4_decode_legacy(f, sizeof(f), out, sizeof(out), &n), LZ4_BAD_BLOCK);
	memcpy(f, frame, sizeof(f));
	f[7] = 0x7f;
	assert_int_equal(lz4_decode_legacy(f, sizeof(f), out, sizeof(out), &n), LZ4_BAD_BLOCK);
	f[7] = 0;
	f[4] = 0xff;
	assert_int_equal(lz4_decode_legacy(f, sizeof(f), out, sizeof(out), &n), LZ4_TRUNCATED);
	assert_string_equal(lz4_strerror(LZ4_BAD_MAGIC),
			    "not an LZ4 legacy frame (magic 0x184c2102)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals_only),
		cmocka_unit_test(test_overlapping_match),
		cmocka_unit_test(test_length_extensions),
		cmocka_unit_test(test_lz4_tool_frame),
		cmocka_unit_test(test_concatenated_frames),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_bad_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
