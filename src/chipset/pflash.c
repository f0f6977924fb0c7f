// SPDX-License-Identifier: MIT
/* QEMU cfi.pflash01 commands for the loader. While a command is pending the whole device
 * answers reads with status or query data instead of its contents, so these functions live in
 * RAM (.ramtext, copied with .data), call nothing (cfi.h is inline) and return the device to
 * read-array mode. */
#include "cfi.h"
#include "pflash.h"

#define RAMTEXT __attribute__((section(".ramtext"), noinline))

RAMTEXT bool pflash_probe(uint32_t addr)
{
	return cfi_probe((volatile uint8_t *)(uintptr_t)addr);
}

RAMTEXT bool pflash_erase(uint32_t addr)
{
	return cfi_erase((volatile uint8_t *)(uintptr_t)addr);
}

RAMTEXT bool pflash_program(uint32_t addr, const uint8_t *src, uint32_t len)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;

	for (uint32_t i = 0; i < len; i++)
		if (!cfi_program(p + i, src[i]))
			return false;
	return true;
}
