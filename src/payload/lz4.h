/* SPDX-License-Identifier: MIT */
/* LZ4 decoder for the parts of an embedded LinuxBoot payload: the block format and the
 * "legacy" frame `lz4 -l` writes (magic, then blocks of at most 8 MiB each). */
#ifndef QVM_LZ4_H
#define QVM_LZ4_H

#include <stddef.h>
#include <stdint.h>

#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20) /* bytes a legacy block decodes to at most */

enum lz4_status {
	LZ4_OK = 0,
	LZ4_TRUNCATED = -1,  /* the input ends inside a sequence or a block header */
	LZ4_BAD_OFFSET = -2, /* a match reaches before the start of its block, or offset 0 */
	LZ4_NO_ROOM = -3,    /* the output would not fit in the buffer */
	LZ4_BAD_MAGIC = -4,  /* not a legacy frame */
	LZ4_BAD_BLOCK = -5,  /* a block header is implausible or its data exceeds 8 MiB */
};

/* Decode one LZ4 block of len bytes into dst (cap bytes); *out gets the bytes written. */
enum lz4_status lz4_decode_block(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
				 size_t *out);
/* Decode a whole legacy frame, exactly len bytes of it; *out gets the bytes written. */
enum lz4_status lz4_decode_legacy(const uint8_t *src, size_t len, uint8_t *dst, size_t cap,
				  size_t *out);
/* A short English reason for a status. */
const char *lz4_strerror(enum lz4_status s);

#endif
