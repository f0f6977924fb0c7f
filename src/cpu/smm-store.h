/* SPDX-License-Identifier: MIT */
/* The SMM variable-store service (coreboot's SMMSTOREv2 interface): commands, arguments, the
 * handler's configuration, and the pure checks that turn a request into one flash operation. */
#ifndef QVM_SMM_STORE_H
#define QVM_SMM_STORE_H

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#endif

/*
 * A caller sets EAX = (command << 8) | SMM_STORE_APM_CMD and EBX = the physical address of a
 * union smm_store_args, then writes AL to the APM port 0xB2. The SMI handler leaves the
 * status in EAX. Data moves through the communication buffer only (reads fill it from its
 * start, writes program from its start), so the handler never touches memory the caller names
 * except the 12 bytes of arguments, which must lie outside SMRAM.
 */
#define SMM_STORE_APM_CMD   0xed
#define SMM_STORE_RAW_READ  5
#define SMM_STORE_RAW_WRITE 6
#define SMM_STORE_RAW_CLEAR 7

#define SMM_STORE_OK	      0
#define SMM_STORE_FAILURE     1 /* the flash reported an error or did not take the data */
#define SMM_STORE_UNSUPPORTED 2 /* unknown command, arguments out of range, or no flash */

#ifndef __ASSEMBLER__

union smm_store_args {
	struct {
		uint32_t bufsize;   /* bytes, from or to the start of the buffer */
		uint32_t bufoffset; /* offset in the block */
		uint32_t block_id;
	} __attribute__((packed)) raw; /* RAW_READ, RAW_WRITE */
	struct {
		uint32_t block_id;
	} __attribute__((packed)) clear; /* RAW_CLEAR */
};
_Static_assert(sizeof(union smm_store_args) == 12, "SMMSTORE arguments are 12 bytes");

/* What the loader tells the handler (copied into SMRAM, so the OS cannot change it). */
struct smm_store_cfg {
	uint32_t flash_base; /* the store: block 0 starts here, memory-mapped */
	uint32_t num_blocks;
	uint32_t block_size; /* a multiple of the flash sector */
	uint32_t com_buffer; /* physical, reserved RAM */
	uint32_t com_buffer_size;
	uint32_t smram_base; /* no argument or buffer may overlap [smram_base, +smram_size) */
	uint32_t smram_size;
} __attribute__((packed));
_Static_assert(sizeof(struct smm_store_cfg) == 28, "SMM store configuration is 28 bytes");

enum smm_store_kind { SMM_STORE_OP_READ, SMM_STORE_OP_WRITE, SMM_STORE_OP_CLEAR };

/* One flash operation: copy flash -> buffer, program buffer -> flash, or erase. */
struct smm_store_op {
	enum smm_store_kind kind;
	uint32_t flash; /* absolute flash address */
	uint32_t len;	/* bytes (CLEAR: the block size) */
};

/* True if cfg is usable: sizes non-zero, store and buffer inside 4 GiB, buffer outside SMRAM. */
bool smm_store_cfg_valid(const struct smm_store_cfg *cfg);

/* True if [addr, addr + len) lies below 4 GiB and does not overlap SMRAM. */
bool smm_store_range_ok(const struct smm_store_cfg *cfg, uint32_t addr, uint32_t len);

/* Turn command (EAX bits 8-15) and args into *op; returns SMM_STORE_OK or UNSUPPORTED. */
uint32_t smm_store_decode(const struct smm_store_cfg *cfg, uint32_t eax,
			  const union smm_store_args *args, struct smm_store_op *op);

#endif
#endif
