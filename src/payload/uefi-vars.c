// SPDX-License-Identifier: MIT
/* The UEFI variable store layout EDK2's QEMU flash FVB and variable driver expect: a firmware
 * volume (EFI_SYSTEM_NV_DATA_FV_GUID, 0x84 blocks of 4 KiB) whose first 256 KiB hold an
 * authenticated-format variable store; event log, FTW working block and spare follow. */
#include <string.h>

#include "uefi-vars.h"

#define FVH_SIGNATURE	0x4856465fu /* "_FVH" */
#define FV_REVISION	2
#define STORE_FORMATTED 0x5a
#define STORE_HEALTHY	0xfe
/* FVB2 attributes as in OVMF_VARS*.fd: every capability and status bit, 16-byte alignment. */
#define FV_ATTRIBUTES	  0x0004feffu
#define OFF_GUID	  16
#define OFF_LENGTH	  32
#define OFF_SIGNATURE	  40
#define OFF_ATTRIBUTES	  44
#define OFF_HEADER_LENGTH 48
#define OFF_CHECKSUM	  50
#define OFF_REVISION	  55
#define OFF_BLOCKMAP	  56
#define OFF_STORE_SIZE	  16
#define OFF_STORE_FORMAT  20
#define OFF_STORE_STATE	  21

/* EFI_SYSTEM_NV_DATA_FV_GUID fff12b8d-7696-4c8b-a985-2747075b4f50, in memory order. */
static const uint8_t nv_data_fv_guid[16] = {0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c,
					    0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50};
/* gEfiAuthenticatedVariableGuid aaf32c78-947b-439a-a180-2e144ec37792. */
static const uint8_t auth_var_guid[16] = {0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
					  0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92};
/* gEfiVariableGuid ddcf3616-3275-4164-98b6-fe85707ffe7d (the non-authenticated format). */
static const uint8_t var_guid[16] = {0x16, 0x36, 0xcf, 0xdd, 0x75, 0x32, 0x64, 0x41,
				     0x98, 0xb6, 0xfe, 0x85, 0x70, 0x7f, 0xfe, 0x7d};

uint32_t uefi_vars_base(uint32_t rom_size)
{
	return (uint32_t)(0x100000000ull - rom_size - UEFI_VARS_SIZE);
}

/* Little-endian reads and writes. */
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Sum of the 16-bit words of the FV header (0 when its checksum is right). */
static uint16_t fv_sum(const uint8_t *h)
{
	uint16_t sum = 0;

	for (uint32_t i = 0; i < UEFI_VARS_FV_HDR; i += 2)
		sum = (uint16_t)(sum + (h[i] | h[i + 1] << 8));
	return sum;
}

enum uefi_vars_state uefi_vars_check(const uint8_t *s, uint32_t len)
{
	const uint8_t *store = s + UEFI_VARS_FV_HDR;
	uint32_t i;

	if (len < UEFI_VARS_HDR_BYTES)
		return UEFI_VARS_NO_FV;
	for (i = 0; i < UEFI_VARS_HDR_BYTES && s[i] == 0xff; i++)
		;
	if (i == UEFI_VARS_HDR_BYTES)
		return UEFI_VARS_BLANK;
	if (get32(s + OFF_SIGNATURE) != FVH_SIGNATURE ||
	    memcmp(s + OFF_GUID, nv_data_fv_guid, 16) != 0)
		return UEFI_VARS_NO_FV;
	if (fv_sum(s))
		return UEFI_VARS_BAD_CHECKSUM;
	if (get32(s + OFF_LENGTH) != UEFI_VARS_SIZE || get32(s + OFF_LENGTH + 4) != 0 ||
	    (s[OFF_HEADER_LENGTH] | s[OFF_HEADER_LENGTH + 1] << 8) != UEFI_VARS_FV_HDR ||
	    s[OFF_REVISION] != FV_REVISION ||
	    get32(s + OFF_BLOCKMAP) != UEFI_VARS_SIZE / UEFI_VARS_BLOCK ||
	    get32(s + OFF_BLOCKMAP + 4) != UEFI_VARS_BLOCK)
		return UEFI_VARS_BAD_LAYOUT;
	if ((memcmp(store, auth_var_guid, 16) != 0 && memcmp(store, var_guid, 16) != 0) ||
	    get32(store + OFF_STORE_SIZE) != UEFI_VARS_LIVE - UEFI_VARS_FV_HDR ||
	    store[OFF_STORE_FORMAT] != STORE_FORMATTED || store[OFF_STORE_STATE] != STORE_HEALTHY)
		return UEFI_VARS_NO_STORE;
	return UEFI_VARS_OK;
}

const char *uefi_vars_state_text(enum uefi_vars_state state)
{
	switch (state) {
	case UEFI_VARS_OK:
		return "is formatted";
	case UEFI_VARS_BLANK:
		return "is blank (erased)";
	case UEFI_VARS_NO_FV:
		return "has no firmware volume header (corrupt, or not a variable store)";
	case UEFI_VARS_BAD_CHECKSUM:
		return "has a firmware volume header with a bad checksum";
	case UEFI_VARS_BAD_LAYOUT:
		return "is a firmware volume, but not the 528 KiB layout with 4 KiB blocks";
	case UEFI_VARS_NO_STORE:
		return "has no healthy variable store header";
	}
	return "is in an unknown state";
}

void uefi_vars_header(uint8_t out[UEFI_VARS_HDR_BYTES])
{
	uint8_t *store = out + UEFI_VARS_FV_HDR;
	uint16_t sum;

	memset(out, 0, UEFI_VARS_HDR_BYTES);
	memcpy(out + OFF_GUID, nv_data_fv_guid, 16);
	put32(out + OFF_LENGTH, UEFI_VARS_SIZE);
	put32(out + OFF_SIGNATURE, FVH_SIGNATURE);
	put32(out + OFF_ATTRIBUTES, FV_ATTRIBUTES);
	out[OFF_HEADER_LENGTH] = UEFI_VARS_FV_HDR;
	out[OFF_REVISION] = FV_REVISION;
	put32(out + OFF_BLOCKMAP, UEFI_VARS_SIZE / UEFI_VARS_BLOCK);
	put32(out + OFF_BLOCKMAP + 4, UEFI_VARS_BLOCK);
	sum = fv_sum(out);
	out[OFF_CHECKSUM] = (uint8_t)(0x10000 - sum);
	out[OFF_CHECKSUM + 1] = (uint8_t)((0x10000 - sum) >> 8);
	memcpy(store, auth_var_guid, 16);
	put32(store + OFF_STORE_SIZE, UEFI_VARS_LIVE - UEFI_VARS_FV_HDR);
	store[OFF_STORE_FORMAT] = STORE_FORMATTED;
	store[OFF_STORE_STATE] = STORE_HEALTHY;
}
