/* SPDX-License-Identifier: MIT */
/* The LinuxBoot payload image build/linuxboot-pack.py writes: a header naming the kernel's
 * setup part, its protected-mode part, the initramfs and the command line, each stored or LZ4. */
#ifndef QVM_LBIMAGE_H
#define QVM_LBIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define LB_MAGIC       "QVMLBOOT"
#define LB_VERSION     1
#define LB_STORED      0 /* part kept as is */
#define LB_LZ4	       1 /* part is an LZ4 legacy frame (lz4.h) */
#define LB_MAX_PART    (256u << 20)
#define LB_MAX_CMDLINE 4096

/* One part: where it is in the image, its bytes there, its bytes once decoded, the method. */
struct lb_part {
	uint32_t offset;
	uint32_t stored;
	uint32_t size;
	uint32_t method;
} __attribute__((packed));
_Static_assert(sizeof(struct lb_part) == 16, "LinuxBoot part record is 16 bytes");

struct lb_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	struct lb_part setup;  /* real-mode part of the bzImage, always stored */
	struct lb_part kernel; /* protected-mode part */
	struct lb_part initrd; /* size 0: none */
	uint32_t cmdline_offset;
	uint32_t cmdline_size; /* bytes, without a NUL */
} __attribute__((packed));
_Static_assert(sizeof(struct lb_header) == 72, "LinuxBoot header is 72 bytes");

/* Validate the header at the start of an image of len bytes (avail of them readable at h).
 * Returns NULL when valid, else the reason, with *part naming what it is about. */
const char *lb_check(const struct lb_header *h, size_t avail, uint32_t len, const char **part);

#endif
