/* SPDX-License-Identifier: MIT */
/* Interpreter of QEMU's BIOS linker/loader script (fw_cfg file "etc/table-loader"): it validates
 * the whole command stream, then allocates, links and checksums the blobs and writes pointers back.
 */
#ifndef QVM_TABLE_LOADER_H
#define QVM_TABLE_LOADER_H

#include <stdint.h>

#define TL_LOADER_FILE	      "etc/table-loader"
#define TL_ENTRY_SIZE	      128  /* every command is one 128-byte entry */
#define TL_NAME_LEN	      56   /* name fields, NUL-terminated within the field */
#define TL_MAX_FILES	      32   /* distinct ALLOCATEd files (size-0 ones included) */
#define TL_MAX_WRITE_POINTERS 8	   /* QEMU 7.2 emits at most 2 (vmgenid, GHES) */
#define TL_MAX_ALIGN	      4096 /* larger ALLOCATE alignments are rejected, as OVMF does */
#define TL_NO_CMD	      0xffffffffu /* tl_result.err_cmd when no single command is at fault */

/* Command codes at entry offset 0; 0 is padding, other unknown codes are skipped. */
enum tl_command {
	TL_CMD_ALLOCATE = 1,
	TL_CMD_ADD_POINTER = 2,
	TL_CMD_ADD_CHECKSUM = 3,
	TL_CMD_WRITE_POINTER = 4,
};

/* ALLOCATE zones. */
enum tl_zone {
	TL_ZONE_HIGH = 1, /* anywhere below 4 GiB, reserved in the memory map */
	TL_ZONE_FSEG = 2, /* where the RSDP goes: the F segment or an equivalent low table area */
};

/* Return values of table_loader_run(). */
enum tl_status {
	TL_OK = 0,
	TL_ERR_INVALID = -1, /* the script breaks a validity rule */
	TL_ERR_NOMEM = -2,   /* ops->alloc had no room */
	TL_ERR_IO = -3,	     /* ops->file_read failed or ops->alloc broke its contract */
};

/* Platform hooks; the ROM implements them over the fw_cfg driver, host tests over a fake. */
struct tl_ops {
	void *ctx;
	/* Size of the named fw_cfg file (as the directory reports it after the file has been
	 * selected once: QEMU may shrink ACPI blobs on first select): 0 and *size if present,
	 * -1 if absent. */
	int (*file_size)(void *ctx, const char *name, uint32_t *size);
	/* Read the first len bytes of the named file into dst: 0 on success. */
	int (*file_read)(void *ctx, const char *name, void *dst, uint32_t len);
	/* Allocate len (> 0) bytes aligned to align (a power of two, 1..TL_MAX_ALIGN) in zone;
	 * return a pointer the loader may write and the guest-physical address in *phys,
	 * or NULL if the zone has no room. */
	void *(*alloc)(void *ctx, int zone, uint32_t len, uint32_t align, uint64_t *phys);
	/* Write len bytes to fw_cfg file name at offset (DMA write): 0 on success. NULL if the
	 * platform cannot write fw_cfg; a script with a WRITE_POINTER is then rejected. */
	int (*file_write)(void *ctx, const char *name, uint32_t offset, const void *src,
			  uint32_t len);
};

/* One ALLOCATEd file. A size-0 file is recorded but not allocated (data NULL, phys 0). */
struct tl_file {
	char name[TL_NAME_LEN];
	uint32_t size;
	uint32_t align; /* as requested, 0 raised to 1 */
	uint8_t zone;
	uint32_t cmd; /* index of its ALLOCATE entry */
	void *data;
	uint64_t phys;
};

/* One WRITE_POINTER, kept so the ROM can replay it after S3 resume or reset. */
struct tl_write_pointer {
	char file[TL_NAME_LEN]; /* fw_cfg file written to */
	uint32_t offset;
	uint8_t size;	/* 1, 2, 4 or 8 bytes, little-endian */
	uint64_t value; /* guest-physical address written */
};

/* Everything a run produced; about 3 KiB, so callers keep it static. */
struct tl_result {
	struct tl_file files[TL_MAX_FILES];
	uint32_t nr_files;
	struct tl_write_pointer write_pointers[TL_MAX_WRITE_POINTERS];
	uint32_t nr_write_pointers;
	uint64_t rsdp;	       /* address of the FSEG file starting "RSD PTR ", 0 if none */
	uint32_t allocated[3]; /* bytes obtained from ops->alloc, indexed by zone */
	uint32_t nr_allocs;    /* successful ops->alloc calls */
	uint32_t err_cmd;      /* failing entry index, TL_NO_CMD if none or not command-specific */
};

/*
 * Validate and execute the loader script cmds (len bytes, the contents of etc/table-loader).
 *
 * Phase 1 checks every rule over the whole script without side effects; phase 2 allocates and
 * reads all files, then applies ADD_POINTER and ADD_CHECKSUM in script order (checking pointer
 * values, which depend on file contents and addresses); phase 3, only if all of that succeeded,
 * performs the WRITE_POINTERs, the only effect outside the allocated memory. A failed write in
 * phase 3 is logged and the run still returns TL_OK (the tables themselves are correct).
 *
 * Decisions: entry indexes in messages count from 0; align 0 means 1; align > TL_MAX_ALIGN is
 * invalid; ALLOCATE of a file missing from fw_cfg is invalid; a size-0 file is skipped like
 * SeaBIOS does, and any later command that references it is invalid (every range in it is
 * empty); the same name may be ALLOCATEd only once, size-0 files included.
 *
 * On error the message "table-loader: command N (<kind>): <reason>" is logged at LOG_ERR and
 * nothing was written to fw_cfg. The caller must then treat all memory ops->alloc handed out
 * during this run (res->nr_allocs calls, res->allocated[] bytes per zone) as garbage: release
 * or ignore it and boot without ACPI. res is then only good for diagnostics.
 */
int table_loader_run(const struct tl_ops *ops, const void *cmds, uint32_t len,
		     struct tl_result *res);

/* Guest-physical address of the allocated file name after a successful run, 0 if none. */
uint64_t table_loader_addr(const struct tl_result *res, const char *name);

/* Perform the recorded WRITE_POINTERs again (S3 resume, reset); returns the number that failed. */
uint32_t table_loader_replay(const struct tl_ops *ops, const struct tl_result *res);

#endif
