// SPDX-License-Identifier: MIT
/* Unit tests for the SMM store's request checks: configuration, argument ranges, decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "host_log.h"
#include "smm-store.h"

/* What smm.c configures on q35 with 512 MiB: the OVMF-layout store below a 6 MiB code flash. */
static const struct smm_store_cfg q35 = {
	.flash_base = 0xff9bc000,
	.num_blocks = 0x84,
	.block_size = 0x1000,
	.com_buffer = 0x1eff0000,
	.com_buffer_size = 0x10000,
	.smram_base = 0x1f000000,
	.smram_size = 0x1000000,
};

static uint32_t eax(uint32_t cmd)
{
	return cmd << 8 | SMM_STORE_APM_CMD;
}

static void test_cfg_valid(void **state)
{
	struct smm_store_cfg c = q35;

	(void)state;
	assert_true(smm_store_cfg_valid(&c));
	c.com_buffer = 0x1f008000; /* buffer inside TSEG */
	assert_false(smm_store_cfg_valid(&c));
	c = q35;
	c.com_buffer = 0xff9bc000; /* buffer over the flash */
	assert_false(smm_store_cfg_valid(&c));
	c = q35;
	c.flash_base = 0xfffff000; /* store runs past 4 GiB */
	assert_false(smm_store_cfg_valid(&c));
	c = q35;
	c.block_size = 0x800;
	assert_false(smm_store_cfg_valid(&c));
	c = q35;
	c.num_blocks = 0;
	assert_false(smm_store_cfg_valid(&c));
	c = q35;
	c.com_buffer = 0xfffff000; /* buffer runs past 4 GiB */
	assert_false(smm_store_cfg_valid(&c));
}

static void test_range_ok(void **state)
{
	(void)state;
	assert_true(smm_store_range_ok(&q35, 0x1000, 12));
	assert_true(smm_store_range_ok(&q35, 0x1f000000 - 12, 12));
	assert_false(smm_store_range_ok(&q35, 0x1f000000 - 11, 12));
	assert_false(smm_store_range_ok(&q35, 0x1f800000, 12));
	assert_false(smm_store_range_ok(&q35, 0x1ffffffc, 12));
	assert_true(smm_store_range_ok(&q35, 0x20000000, 12));
	assert_false(smm_store_range_ok(&q35, 0xfffffff8, 12));
	assert_true(smm_store_range_ok(&q35, 0xfffffff4, 12));
}

static void test_decode_read_write(void **state)
{
	union smm_store_args a = {.raw = {0x100, 0x80, 3}};
	struct smm_store_op op;

	(void)state;
	assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_READ), &a, &op), SMM_STORE_OK);
	assert_int_equal(op.kind, SMM_STORE_OP_READ);
	assert_int_equal(op.flash, 0xff9bc000 + 3 * 0x1000 + 0x80);
	assert_int_equal(op.len, 0x100);
	assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_WRITE), &a, &op), SMM_STORE_OK);
	assert_int_equal(op.kind, SMM_STORE_OP_WRITE);
	a.raw = (typeof(a.raw)){0x1000, 0, 0x83}; /* a whole last block */
	assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_WRITE), &a, &op), SMM_STORE_OK);
	assert_int_equal(op.flash, 0xff9bc000 + 0x83000);
	a.raw = (typeof(a.raw)){0, 0x1000, 0}; /* empty, at the block's end */
	assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_READ), &a, &op), SMM_STORE_OK);
}

static void test_decode_refuses(void **state)
{
	struct smm_store_op op;
	static const union smm_store_args bad[] = {
		{.raw = {0x1001, 0, 0}},	/* longer than a block */
		{.raw = {0x100, 0xf01, 0}},	/* crosses the block's end */
		{.raw = {1, 0x1001, 0}},	/* offset past the block */
		{.raw = {0x10, 0xfffffff8, 0}}, /* offset + size wraps */
		{.raw = {0xfffffff8, 0x10, 0}}, /* size + offset wraps */
		{.raw = {0x10, 0, 0x84}},	/* no such block */
		{.raw = {0x10, 0, 0xffffffff}},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_READ), &bad[i], &op),
				 SMM_STORE_UNSUPPORTED);
		assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_WRITE), &bad[i], &op),
				 SMM_STORE_UNSUPPORTED);
	}
}

static void test_decode_clear_and_unknown(void **state)
{
	union smm_store_args a = {.clear = {0x83}};
	struct smm_store_op op;

	(void)state;
	assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_CLEAR), &a, &op), SMM_STORE_OK);
	assert_int_equal(op.kind, SMM_STORE_OP_CLEAR);
	assert_int_equal(op.flash, 0xff9bc000 + 0x83000);
	assert_int_equal(op.len, 0x1000);
	a.clear.block_id = 0x84;
	assert_int_equal(smm_store_decode(&q35, eax(SMM_STORE_RAW_CLEAR), &a, &op),
			 SMM_STORE_UNSUPPORTED);
	a.clear.block_id = 0;
	for (uint32_t cmd = 0; cmd < 256; cmd++) {
		if (cmd >= SMM_STORE_RAW_READ && cmd <= SMM_STORE_RAW_CLEAR)
			continue;
		assert_int_equal(smm_store_decode(&q35, eax(cmd), &a, &op), SMM_STORE_UNSUPPORTED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_valid),
		cmocka_unit_test(test_range_ok),
		cmocka_unit_test(test_decode_read_write),
		cmocka_unit_test(test_decode_refuses),
		cmocka_unit_test(test_decode_clear_and_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
