/* SPDX-License-Identifier: MIT */
/* Payload selection and the small interface every payload kind implements (as hvmloader's
 * bios_config): recognise an image, then load it and hand the machine over. */
#ifndef QVM_PAYLOAD_H
#define QVM_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "fwcfg.h"

#define PAYLOAD_HEAD_BYTES 4096

/* Where the payload bytes come from: the ROM itself or a fw_cfg file. */
struct payload_image {
	const char *source;           /* for messages */
	const uint8_t *rom;           /* embedded: bytes in ROM */
	const struct fwcfg_file *file; /* fw_cfg: the file */
	uint32_t size;
	uint32_t head_len;            /* bytes valid in head[] */
	uint8_t head[PAYLOAD_HEAD_BYTES];
};

struct payload_ops {
	const char *name;
	/* True if this kind recognises the image (from img->head). */
	bool (*probe)(const struct payload_image *img);
	/* Validate, load and jump. Returns only on failure, after logging the reason. */
	void (*boot)(const struct payload_image *img);
};

/* Size of the whole ROM mapped below 4 GiB (loader plus embedded payload). */
uint32_t payload_rom_size(void);
/* Copy len bytes at offset of the payload to dst; false if out of bounds. */
bool payload_read(const struct payload_image *img, uint32_t offset, void *dst, uint32_t len);
/* Choose the payload (fw_cfg override, else embedded) and boot it. Never returns. */
void __attribute__((noreturn)) payload_boot(void);

/* Payload kinds. */
extern const struct payload_ops payload_coreboot_elf;
extern const struct payload_ops payload_uefi_fd;

/* Jump to a 32-bit entry point in flat protected mode with eax and ebx set. */
void __attribute__((noreturn)) payload_jump32(uint32_t entry, uint32_t eax, uint32_t ebx);

#endif
