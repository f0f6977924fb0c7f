/* SPDX-License-Identifier: MIT */
/* QEMU's CFI flash (cfi.pflash01, Intel command set, 8-bit wide): probe, block erase and byte
 * program. The routines run from RAM so they also work on the flash the loader runs from. */
#ifndef QVM_PFLASH_H
#define QVM_PFLASH_H

#include <stdbool.h>
#include <stdint.h>

/* True if a CFI flash answers a query at addr; leaves it in read-array mode. */
bool pflash_probe(uint32_t addr);

/* Erase the block at addr; false if the device reports an error (e.g. read-only). */
bool pflash_erase(uint32_t addr);

/* Program len bytes from src (which must not be in the flash) at addr; false on an error. */
bool pflash_program(uint32_t addr, const uint8_t *src, uint32_t len);

#endif
