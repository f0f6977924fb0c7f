// SPDX-License-Identifier: MIT
/* QEMU cfi.pflash01 commands. While a command is pending the whole device answers reads with
 * status or query data instead of its contents, so these functions live in RAM (.ramtext,
 * copied with .data), call nothing and return the device to read-array mode. */
#include "pflash.h"

#define CMD_READ_ARRAY	  0xff
#define CMD_QUERY	  0x98
#define CMD_READ_STATUS	  0x70
#define CMD_CLEAR_STATUS  0x50
#define CMD_ERASE	  0x20
#define CMD_ERASE_CONFIRM 0xd0
#define CMD_PROGRAM	  0x40
#define STATUS_READY	  0x80
#define STATUS_ERRORS	  0x3a /* erase, program, voltage and lock errors */
#define STATUS_POLLS	  100000

#define RAMTEXT __attribute__((section(".ramtext"), noinline))

/* Wait for the device to be ready; true if no error bit is set. Leaves read-array mode. */
static RAMTEXT bool finish(volatile uint8_t *p)
{
	uint8_t status = 0;

	for (int i = 0; i < STATUS_POLLS; i++) {
		*p = CMD_READ_STATUS;
		status = *p;
		if (status & STATUS_READY)
			break;
	}
	*p = CMD_CLEAR_STATUS;
	*p = CMD_READ_ARRAY;
	return (status & STATUS_READY) && !(status & STATUS_ERRORS);
}

RAMTEXT bool pflash_probe(uint32_t addr)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;
	uint8_t q, r, y;

	*p = CMD_QUERY;
	q = p[0x10];
	r = p[0x11];
	y = p[0x12];
	*p = CMD_READ_ARRAY;
	return q == 'Q' && r == 'R' && y == 'Y';
}

RAMTEXT bool pflash_erase(uint32_t addr)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;

	*p = CMD_ERASE;
	*p = CMD_ERASE_CONFIRM;
	return finish(p);
}

RAMTEXT bool pflash_program(uint32_t addr, const uint8_t *src, uint32_t len)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;

	for (uint32_t i = 0; i < len; i++) {
		p[i] = CMD_PROGRAM;
		p[i] = src[i];
		if (!finish(p + i))
			return false;
	}
	return true;
}
