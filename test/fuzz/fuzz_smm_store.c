// SPDX-License-Identifier: MIT
/* Fuzz the SMM store's request checks: 28 bytes of configuration, EAX, then 12 bytes of
 * arguments. Whatever comes in, an accepted request on a valid configuration must touch only
 * the store (one block of it) and move no more than the communication buffer holds, and the
 * configuration check must never pass a buffer that overlaps SMRAM or the store. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "smm-store.h"

/* abort() unless [a, a + alen) lies inside [b, b + blen) (64-bit sums: no wrap). */
static ORACLE void inside(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	if (a < b || a + alen > b + blen)
		__builtin_trap();
}

/* abort() if the two ranges overlap. */
static ORACLE void apart(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	if (a < b + blen && b < a + alen)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smm_store_cfg cfg;
	union smm_store_args args;
	struct smm_store_op op;
	uint32_t eax;
	uint64_t store;

	if (size < sizeof(cfg) + 4 + sizeof(args))
		return 0;
	memcpy(&cfg, data, sizeof(cfg));
	memcpy(&eax, data + sizeof(cfg), 4);
	memcpy(&args, data + sizeof(cfg) + 4, sizeof(args));
	if (!smm_store_cfg_valid(&cfg))
		return 0;
	store = (uint64_t)cfg.num_blocks * cfg.block_size;
	inside(cfg.flash_base, store, 0, 1ull << 32);
	inside(cfg.com_buffer, cfg.com_buffer_size, 0, 1ull << 32);
	apart(cfg.com_buffer, cfg.com_buffer_size, cfg.smram_base, cfg.smram_size);
	apart(cfg.com_buffer, cfg.com_buffer_size, cfg.flash_base, store);
	if (smm_store_decode(&cfg, eax, &args, &op) != SMM_STORE_OK)
		return 0;
	inside(op.flash, op.len, cfg.flash_base, store);
	if (op.kind == SMM_STORE_OP_CLEAR) {
		if (op.len != cfg.block_size || (op.flash - cfg.flash_base) % cfg.block_size)
			__builtin_trap();
	} else {
		uint64_t block = cfg.flash_base + (op.flash - cfg.flash_base) / cfg.block_size *
							  (uint64_t)cfg.block_size;

		inside(op.flash, op.len, block, cfg.block_size);
		if (op.len > cfg.com_buffer_size)
			__builtin_trap();
	}
	return 0;
}
