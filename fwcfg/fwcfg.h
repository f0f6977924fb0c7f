/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg: the driver (port I/O or DMA, file directory, bounded reads, DMA writes)
 * and its pure parsing helpers (directory entries, numbers), which the host tests also build. */
#ifndef QVM_FWCFG_H
#define QVM_FWCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FWCFG_NAME_LEN 56
/* QEMU numbers files from key 0x20 below its write flag 0x4000 (x-file-slots at most
 * 0x3fe0), so no directory can hold more. */
#define FWCFG_MAX_FILES 0x3fe0
/* Distinct files looked up at once (each gets a stable entry; QEMU's tables use ~10). */
#define FWCFG_MAX_OPEN 64
/* Longest numeric option accepted, in bytes (leading zeros allowed). */
#define FWCFG_NUM_MAX_LEN 64

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

/* Decode raw directory entry number i (64 bytes) into out. An unterminated name or a key below
 * 0x20 makes it unusable: false, with a message. */
bool fwcfg_dir_entry(const uint8_t *e, uint32_t i, struct fwcfg_file *out);
/* Short hash of a file name for the directory index; never 0 (0 marks unusable entries). */
uint16_t fwcfg_name_hash(const char *name);
/* First position at or after from whose index hash is h, or count if none. */
uint32_t fwcfg_index_next(const uint16_t *index, uint32_t count, uint16_t h, uint32_t from);

/* Results of fwcfg_parse_number. */
enum fwcfg_num {
	FWCFG_NUM_OK,
	FWCFG_NUM_EMPTY,    /* no digits at all */
	FWCFG_NUM_SIGN,	    /* a leading + or - */
	FWCFG_NUM_JUNK,	    /* anything but digits after an optional 0x, and one final newline */
	FWCFG_NUM_OVERFLOW, /* more than 2^64 - 1 */
	FWCFG_NUM_TOO_LONG, /* more than FWCFG_NUM_MAX_LEN bytes */
};

/* Parse a user's numeric option (-fw_cfg string= or file=): ASCII decimal or 0x-hex, with at
 * most one trailing newline (what `echo N > file` writes). Returns an enum fwcfg_num; *out is
 * written only on FWCFG_NUM_OK. */
int fwcfg_parse_number(const uint8_t *buf, size_t len, uint64_t *out);
/* Why fwcfg_parse_number refused, in words. */
const char *fwcfg_number_error(int err);
/* Write buf[0..len) to out (size outlen, NUL-terminated) as printable text: \n, \xNN for
 * other non-printing bytes, "..." when cut short. */
void fwcfg_quote(const uint8_t *buf, size_t len, char *out, size_t outlen);

/* Detect fw_cfg ("QEMU" signature), DMA support, and load the file directory.
 * Returns false (after logging why) when there is no usable fw_cfg. */
bool fwcfg_init(void);
/* Re-read the directory: QEMU may resize the ACPI files on their first selection. */
void fwcfg_refresh(void);
/* Look a file up by name; NULL if absent. The entry stays valid (and is updated by
 * fwcfg_refresh) for the whole boot. */
const struct fwcfg_file *fwcfg_find(const char *name);
/* Read len bytes at offset of a file into buf, clipped to the file size.
 * Returns the number of bytes read. */
uint32_t fwcfg_read_file(const struct fwcfg_file *f, uint32_t offset, void *buf, uint32_t len);
/* Read one of QEMU's 8-byte little-endian integer files; false (with a message when the
 * size is wrong) if it is absent or not 8 bytes. */
bool fwcfg_read_file_u64(const char *name, uint64_t *out);
/* Read a user's numeric option file (see fwcfg_parse_number); false if absent or refused,
 * with a message quoting what was given. */
bool fwcfg_read_option(const char *name, uint64_t *out);
/* Select a numbered key and read len bytes from its start. */
void fwcfg_read_key(uint16_t key, void *buf, uint32_t len);
/* Read a numbered key as a little-endian integer of size bytes (1..8). */
uint64_t fwcfg_read_key_int(uint16_t key, int size);
/* Write len bytes into a writable file at offset (needs DMA). Returns 0 on success. */
int fwcfg_write_file(const char *name, uint32_t offset, const void *buf, uint32_t len);

#endif
