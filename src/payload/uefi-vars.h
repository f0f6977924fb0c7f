/* SPDX-License-Identifier: MIT */
/* The UEFI variable store on QEMU's second pflash device, in OVMF's 528 KiB layout: where it
 * sits, whether it is formatted, and the header bytes that format it. Pure. */
#ifndef QVM_UEFI_VARS_H
#define QVM_UEFI_VARS_H

#include <stdint.h>

#define UEFI_VARS_SIZE	    0x84000u /* the whole store: pflash unit 1 (OVMF_VARS_4M.fd size) */
#define UEFI_VARS_BLOCK	    0x1000u  /* QEMU's x86 pflash sector */
#define UEFI_VARS_LIVE	    0x40000u /* firmware volume with the variable store */
#define UEFI_VARS_FV_HDR    0x48u    /* FV header with a one-entry block map */
#define UEFI_VARS_STORE_HDR 28u	     /* VARIABLE_STORE_HEADER */
#define UEFI_VARS_HDR_BYTES (UEFI_VARS_FV_HDR + UEFI_VARS_STORE_HDR)

/* What uefi_vars_check found. */
enum uefi_vars_state {
	UEFI_VARS_OK,
	UEFI_VARS_BLANK,	/* erased: every header byte 0xff */
	UEFI_VARS_NO_FV,	/* no firmware volume header (signature or GUID) */
	UEFI_VARS_BAD_CHECKSUM, /* FV header checksum does not sum to 0 */
	UEFI_VARS_BAD_LAYOUT,	/* a volume, but not the 528 KiB / 4 KiB-block layout */
	UEFI_VARS_NO_STORE,	/* no formatted, healthy variable store header */
};

/* Base of the store: right below a code flash of rom_size bytes that ends at 4 GiB. */
uint32_t uefi_vars_base(uint32_t rom_size);

/* Check the first len bytes of a store (len >= UEFI_VARS_HDR_BYTES, else NO_FV). */
enum uefi_vars_state uefi_vars_check(const uint8_t *store, uint32_t len);

/* Words for a state, to follow "variable store at X ..." in a log line. */
const char *uefi_vars_state_text(enum uefi_vars_state state);

/* The header bytes of an empty, formatted store (the rest of the store is erased, 0xff). */
void uefi_vars_header(uint8_t out[UEFI_VARS_HDR_BYTES]);

#endif
