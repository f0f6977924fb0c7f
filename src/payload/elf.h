/* SPDX-License-Identifier: MIT */
/* ELF32 payload validation: header and PT_LOAD segments checked against the file size,
 * RAM and the ranges the loader must keep (pure; the copying is done by payload code). */
#ifndef QVM_ELF_H
#define QVM_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "e820.h"

#define ELF_MAX_SEGMENTS 16
/* Bytes of the file the parser needs in memory: ELF header and program headers. */
#define ELF_HEADER_BYTES 4096

struct elf_segment {
	uint32_t paddr;
	uint32_t offset;
	uint32_t filesz;
	uint32_t memsz;
};

struct elf_image {
	uint32_t entry;
	int nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* A range [start, end) the payload must not be loaded over, and what owns it. */
struct busy_range {
	uint64_t start;
	uint64_t end;
	const char *what;
};

/* The first of busy[0..nbusy) that overlaps [start, end), or NULL. */
const struct busy_range *busy_overlap(const struct busy_range *busy, int nbusy, uint64_t start,
				      uint64_t end);

/* True if buf starts with the ELF magic. */
int elf_is_elf(const void *buf, size_t len);
/* Validate an ELF32 i386 executable whose first hdr_len bytes are in hdr and whose whole
 * size is file_size. Fills img. Returns 0, or -1 after logging the reason. */
int elf_parse(const void *hdr, size_t hdr_len, uint32_t file_size, struct elf_image *img);
/* Check every segment lies in RAM, overlaps no busy range and no other segment.
 * Returns 0, or -1 after logging which segment and why. */
int elf_check_placement(const struct elf_image *img, const struct e820_map *ram,
			const struct busy_range *busy, int nbusy);

#endif
