/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg: the driver (port I/O or DMA, file directory, bounded reads, DMA writes)
 * and its pure parsing helpers (directory, integer files), which the host tests also build. */
#ifndef QVM_FWCFG_H
#define QVM_FWCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FWCFG_NAME_LEN	56
#define FWCFG_MAX_FILES 256

/* Legacy (numbered) keys. */
#define FWCFG_SIGNATURE	     0x0000
#define FWCFG_ID	     0x0001
#define FWCFG_UUID	     0x0002
#define FWCFG_RAM_SIZE	     0x0003
#define FWCFG_NOGRAPHIC	     0x0004
#define FWCFG_NB_CPUS	     0x0005
#define FWCFG_KERNEL_ADDR    0x0007
#define FWCFG_KERNEL_SIZE    0x0008
#define FWCFG_INITRD_ADDR    0x000a
#define FWCFG_INITRD_SIZE    0x000b
#define FWCFG_NUMA	     0x000d
#define FWCFG_BOOT_MENU	     0x000e
#define FWCFG_MAX_CPUS	     0x000f
#define FWCFG_KERNEL_ENTRY   0x0010
#define FWCFG_KERNEL_DATA    0x0011
#define FWCFG_INITRD_DATA    0x0012
#define FWCFG_CMDLINE_ADDR   0x0013
#define FWCFG_CMDLINE_SIZE   0x0014
#define FWCFG_CMDLINE_DATA   0x0015
#define FWCFG_SETUP_ADDR     0x0016
#define FWCFG_SETUP_SIZE     0x0017
#define FWCFG_SETUP_DATA     0x0018
#define FWCFG_FILE_DIR	     0x0019
#define FWCFG_SMBIOS_ENTRIES 0x8001
#define FWCFG_IRQ0_OVERRIDE  0x8002

/* One entry of the file directory, converted to host byte order. */
struct fwcfg_file {
	uint32_t size;
	uint16_t select;
	char name[FWCFG_NAME_LEN];
};

/* Raw directory entry as fw_cfg sends it (big-endian size and key). */
struct fwcfg_dir_entry {
	uint32_t size_be;
	uint16_t select_be;
	uint16_t reserved;
	char name[FWCFG_NAME_LEN];
} __attribute__((packed));
_Static_assert(sizeof(struct fwcfg_dir_entry) == 64, "fw_cfg directory entry is 64 bytes");

/* Parse a raw directory (u32 BE count, then entries) of len bytes into out[0..max).
 * Entries with an unterminated name or a key below 0x20 are skipped with a message.
 * Returns the number of entries stored, or -1 if the buffer is malformed. */
int fwcfg_dir_parse(const uint8_t *buf, size_t len, struct fwcfg_file *out, int max);

/* Interpret a small fw_cfg file as an integer: ASCII decimal or 0x-hex (optionally
 * NUL/newline terminated), or else a 1/2/4/8-byte little-endian value. */
bool fwcfg_parse_int(const uint8_t *buf, size_t len, uint64_t *out);

/* Detect fw_cfg ("QEMU" signature), DMA support, and load the file directory.
 * Returns false (after logging why) when there is no usable fw_cfg. */
bool fwcfg_init(void);
/* Re-read the directory: QEMU may resize the ACPI files on their first selection. */
void fwcfg_refresh(void);
/* Look a file up by name; NULL if absent. */
const struct fwcfg_file *fwcfg_find(const char *name);
/* Read len bytes at offset of a file into buf, clipped to the file size.
 * Returns the number of bytes read. */
uint32_t fwcfg_read_file(const struct fwcfg_file *f, uint32_t offset, void *buf, uint32_t len);
/* Read a whole small file by name as an integer (see fwcfg_parse_int). */
bool fwcfg_read_file_u64(const char *name, uint64_t *out);
/* Select a numbered key and read len bytes from its start. */
void fwcfg_read_key(uint16_t key, void *buf, uint32_t len);
/* Read a numbered key as a little-endian integer of size bytes (1..8). */
uint64_t fwcfg_read_key_int(uint16_t key, int size);
/* Write len bytes into a writable file at offset (needs DMA). Returns 0 on success. */
int fwcfg_write_file(const char *name, uint32_t offset, const void *buf, uint32_t len);

#endif
