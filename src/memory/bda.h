/* SPDX-License-Identifier: MIT */
/* The BIOS data area (0x400) and a 1 KiB EBDA below 640 KiB for the direct kernel boots, which
 * have no BIOS: the layout (pure, bda-layout.c) and the port probes that fill it (bda.c). */
#ifndef QVM_BDA_H
#define QVM_BDA_H

#include <stdint.h>

#define BDA_BASE      0x400
#define BDA_SIZE      0x100
#define BDA_EBDA_BASE 0x9f000
#define BDA_EBDA_SIZE 0x1000

/* BDA offsets (from 0x400). */
#define BDA_COM_PORTS 0x00 /* four words */
#define BDA_LPT_PORTS 0x08 /* three words */
#define BDA_EBDA_SEG  0x0e
#define BDA_EQUIPMENT 0x10
#define BDA_BASE_KIB  0x13

#define BDA_MAX_COM 4
#define BDA_MAX_LPT 3

/* The serial and parallel ports found, in BIOS order. */
struct bda_ports {
	uint16_t com[BDA_MAX_COM];
	unsigned int ncom;
	uint16_t lpt[BDA_MAX_LPT];
	unsigned int nlpt;
};

/* Fill bda (BDA_SIZE bytes, the copy of 0x400) and ebda (BDA_EBDA_SIZE bytes at
 * BDA_EBDA_BASE): port words, EBDA segment, equipment word (FPU, port counts), base memory
 * up to the EBDA, and the EBDA's size byte. Everything else is zero. */
void bda_build(uint8_t *bda, uint8_t *ebda, const struct bda_ports *ports);

/* Probe the ISA serial and parallel ports, write the BDA and EBDA for a direct kernel boot. */
void bda_setup(void);

#endif
