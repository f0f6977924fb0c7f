// SPDX-License-Identifier: MIT
/* The SMM store's flash side, run in SMM from the SMM module (smm-module.S): copy the
 * arguments in, check them (smm-store.c), then read, program or erase the store's flash.
 * Linked position-independent like smm-store.c: no globals, strings or library calls. */
#include "cfi.h"
#include "smm-store.h"

uint32_t smm_store_service(const struct smm_store_cfg *cfg, uint32_t eax, uint32_t ebx);

/* A physical address as a pointer (SMM runs flat, paging off). */
static volatile uint8_t *phys(uint32_t addr)
{
	return (volatile uint8_t *)(uintptr_t)addr;
}

/* Carry out a checked operation between the flash and the communication buffer. */
static uint32_t run(const struct smm_store_cfg *cfg, const struct smm_store_op *op)
{
	volatile uint8_t *flash = phys(op->flash);
	volatile uint8_t *buf = phys(cfg->com_buffer);

	switch (op->kind) {
	case SMM_STORE_OP_READ:
		for (uint32_t i = 0; i < op->len; i++)
			buf[i] = flash[i];
		return SMM_STORE_OK;
	case SMM_STORE_OP_WRITE:
		for (uint32_t i = 0; i < op->len; i++) {
			uint8_t v = buf[i];

			if (!cfi_program(flash + i, v) || flash[i] != v)
				return SMM_STORE_FAILURE;
		}
		return SMM_STORE_OK;
	case SMM_STORE_OP_CLEAR:
		for (uint32_t off = 0; off < op->len; off += CFI_SECTOR)
			if (!cfi_erase(flash + off))
				return SMM_STORE_FAILURE;
		return SMM_STORE_OK;
	}
	return SMM_STORE_UNSUPPORTED;
}

/* One request from the CPU whose saved EAX and EBX are eax and ebx (called by smm-module.S
 * with the store lock held). The arguments are copied into SMRAM before they are checked. */
uint32_t smm_store_service(const struct smm_store_cfg *cfg, uint32_t eax, uint32_t ebx)
{
	union smm_store_args args;
	uint8_t *dst = (uint8_t *)&args;
	volatile uint8_t *src = phys(ebx);
	struct smm_store_op op;
	uint32_t status;

	if (!smm_store_cfg_valid(cfg) || !smm_store_range_ok(cfg, ebx, sizeof(args)))
		return SMM_STORE_UNSUPPORTED;
	for (uint32_t i = 0; i < sizeof(args); i++)
		dst[i] = src[i];
	status = smm_store_decode(cfg, eax, &args, &op);
	if (status != SMM_STORE_OK)
		return status;
	if (!cfi_probe(phys(cfg->flash_base)))
		return SMM_STORE_UNSUPPORTED;
	return run(cfg, &op);
}
