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
	const char *source;	       /* for messages */
	const uint8_t *rom;	       /* embedded: bytes in ROM */
	const struct fwcfg_file *file; /* fw_cfg: the file */
	uint32_t size;
	uint32_t head_len; /* bytes valid in head[] */
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

/* Direct kernel boot from QEMU -kernel (payload-linux.c, payload-pvh.c; docs/payloads.md).
 * The image's file is the kernel's setup part (fw_cfg key 0x18, empty for multiboot); the
 * kernel, initrd and command line come from their own keys. */
extern const struct payload_ops payload_linux_bzimage;
extern const struct payload_ops payload_pvh_elf;
extern const struct payload_ops payload_multiboot;

struct busy_range;
struct e820_map;
/* The map a kernel gets: the machine map with the table zone reserved, 0xA0000-0xEFFFF a hole,
 * the EBDA and 0xF0000-0xFFFFF reserved; also writes the BDA and EBDA. False after logging. */
bool kernel_boot_map(struct e820_map *map);
/* The -append string copied into the table zone; *size counts its NUL. NULL after logging. */
char *kernel_cmdline(uint32_t *size);
/* True if [start, end) is all RAM in map and clear of busy; logs the conflict otherwise. */
bool kernel_range_free(const struct e820_map *map, uint64_t start, uint64_t end,
		       const struct busy_range *busy, int nbusy, const char *what);
/* Place the -initrd as high as possible below max, clear of avoid, and read it there.
 * *addr and *size are 0 without an initrd. False after logging if it fits nowhere. */
bool kernel_load_initrd(const struct e820_map *map, uint64_t max, const struct busy_range *avoid,
			int navoid, uint32_t *addr, uint32_t *size);
/* kernel_load_initrd() with the size and the reader given: read(dst) fills the placed copy. */
bool kernel_place_initrd(const struct e820_map *map, uint64_t max, const struct busy_range *avoid,
			 int navoid, uint32_t size, bool (*read)(void *dst), uint32_t *addr);

/* Where a bzImage's parts come from: QEMU's -kernel/-initrd/-append, or a LinuxBoot payload
 * in the ROM (payload-linuxboot.c). The readers return false after logging. */
struct linux_source {
	uint32_t kernel_size;	  /* protected-mode part */
	uint32_t initrd_size;	  /* 0: none */
	uint32_t setup_data_base; /* address the setup_data links assume the kernel at */
	bool (*read_kernel)(void *dst);
	bool (*read_initrd)(void *dst);
	char *(*cmdline)(uint32_t *size); /* as kernel_cmdline() */
};
/* Boot the bzImage whose setup part is img, its other parts from src. Returns after logging
 * why it could not. */
void linux_boot(const struct payload_image *img, const struct linux_source *src);
extern const struct payload_ops payload_linuxboot;

/* Copy the RSDP, SMBIOS entry point and MP floating pointer to 0xF0000 for OSes that scan. */
void kernel_legacy_pointers(void);

#endif
