// SPDX-License-Identifier: MIT
/* The SMM store's request checks. Also linked into the SMM module, so: no globals, no string
 * literals, no library calls (build/smm-module.lds links it position-independent). */
#include "smm-store.h"

/* True if [a, a + alen) and [b, b + blen) overlap (64-bit sums: no wrap). */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

bool smm_store_range_ok(const struct smm_store_cfg *cfg, uint32_t addr, uint32_t len)
{
	if ((uint64_t)addr + len > 0x100000000ull)
		return false;
	return !overlaps(addr, len, cfg->smram_base, cfg->smram_size);
}

bool smm_store_cfg_valid(const struct smm_store_cfg *cfg)
{
	uint64_t store = (uint64_t)cfg->num_blocks * cfg->block_size;

	if (!cfg->num_blocks || !cfg->block_size || cfg->block_size % 0x1000 ||
	    !cfg->com_buffer_size || !cfg->smram_size)
		return false;
	if ((uint64_t)cfg->flash_base + store > 0x100000000ull)
		return false;
	return smm_store_range_ok(cfg, cfg->com_buffer, cfg->com_buffer_size) &&
	       !overlaps(cfg->com_buffer, cfg->com_buffer_size, cfg->flash_base, store);
}

uint32_t smm_store_decode(const struct smm_store_cfg *cfg, uint32_t eax,
			  const union smm_store_args *args, struct smm_store_op *op)
{
	uint32_t cmd = (eax >> 8) & 0xff;
	uint32_t block = cmd == SMM_STORE_RAW_CLEAR ? args->clear.block_id : args->raw.block_id;

	if (block >= cfg->num_blocks)
		return SMM_STORE_UNSUPPORTED;
	op->flash = cfg->flash_base + block * cfg->block_size;
	switch (cmd) {
	case SMM_STORE_RAW_CLEAR:
		op->kind = SMM_STORE_OP_CLEAR;
		op->len = cfg->block_size;
		return SMM_STORE_OK;
	case SMM_STORE_RAW_READ:
	case SMM_STORE_RAW_WRITE:
		if (args->raw.bufsize > cfg->com_buffer_size ||
		    args->raw.bufoffset > cfg->block_size ||
		    args->raw.bufsize > cfg->block_size - args->raw.bufoffset)
			return SMM_STORE_UNSUPPORTED;
		op->kind = cmd == SMM_STORE_RAW_READ ? SMM_STORE_OP_READ : SMM_STORE_OP_WRITE;
		op->flash += args->raw.bufoffset;
		op->len = args->raw.bufsize;
		return SMM_STORE_OK;
	default:
		return SMM_STORE_UNSUPPORTED;
	}
}
