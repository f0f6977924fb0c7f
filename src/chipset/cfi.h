/* SPDX-License-Identifier: MIT */
/* Command sequences of QEMU's CFI flash (cfi.pflash01, Intel command set, 8-bit wide), as
 * inline functions that call nothing: the loader runs them from RAM, the SMM store from SMRAM. */
#ifndef QVM_CFI_H
#define QVM_CFI_H

#include <stdbool.h>
#include <stdint.h>

#define CFI_READ_ARRAY	  0xff
#define CFI_QUERY	  0x98
#define CFI_READ_STATUS	  0x70
#define CFI_CLEAR_STATUS  0x50
#define CFI_ERASE	  0x20
#define CFI_ERASE_CONFIRM 0xd0
#define CFI_PROGRAM	  0x40
#define CFI_STATUS_READY  0x80
#define CFI_STATUS_ERRORS 0x3a /* erase, program, voltage and lock errors */
#define CFI_STATUS_POLLS  100000
#define CFI_SECTOR	  0x1000u /* QEMU's x86 pflash sector */

#define CFI_INLINE static inline __attribute__((always_inline))

/* Wait for the device to be ready; true if no error bit is set. Leaves read-array mode. */
CFI_INLINE bool cfi_finish(volatile uint8_t *p)
{
	uint8_t status = 0;

	for (int i = 0; i < CFI_STATUS_POLLS; i++) {
		*p = CFI_READ_STATUS;
		status = *p;
		if (status & CFI_STATUS_READY)
			break;
	}
	*p = CFI_CLEAR_STATUS;
	*p = CFI_READ_ARRAY;
	return (status & CFI_STATUS_READY) && !(status & CFI_STATUS_ERRORS);
}

/* True if a CFI flash answers a query at p; leaves it in read-array mode. A flash QEMU made
 * SMM-only (secure=on) ignores the query outside SMM and so does not answer there. */
CFI_INLINE bool cfi_probe(volatile uint8_t *p)
{
	uint8_t q, r, y;

	*p = CFI_QUERY;
	q = p[0x10];
	r = p[0x11];
	y = p[0x12];
	*p = CFI_READ_ARRAY;
	return q == 'Q' && r == 'R' && y == 'Y';
}

/* Erase the sector at p. */
CFI_INLINE bool cfi_erase(volatile uint8_t *p)
{
	*p = CFI_ERASE;
	*p = CFI_ERASE_CONFIRM;
	return cfi_finish(p);
}

/* Program one byte at p. */
CFI_INLINE bool cfi_program(volatile uint8_t *p, uint8_t value)
{
	*p = CFI_PROGRAM;
	*p = value;
	return cfi_finish(p);
}

#endif
