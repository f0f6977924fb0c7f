// SPDX-License-Identifier: MIT
/* BIOS data area layout: what a kernel without a BIOS still looks for at 0x400 and in the EBDA. */
#include <string.h>

#include "bda.h"

#define EQUIP_FPU	(1u << 1)
#define EQUIP_COM_SHIFT 9
#define EQUIP_LPT_SHIFT 14

/* Store v little-endian at p. */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void bda_build(uint8_t *bda, uint8_t *ebda, const struct bda_ports *ports)
{
	unsigned int ncom = ports->ncom < BDA_MAX_COM ? ports->ncom : BDA_MAX_COM;
	unsigned int nlpt = ports->nlpt < BDA_MAX_LPT ? ports->nlpt : BDA_MAX_LPT;

	memset(bda, 0, BDA_SIZE);
	memset(ebda, 0, BDA_EBDA_SIZE);
	for (unsigned int i = 0; i < ncom; i++)
		put16(bda + BDA_COM_PORTS + (size_t)2 * i, ports->com[i]);
	for (unsigned int i = 0; i < nlpt; i++)
		put16(bda + BDA_LPT_PORTS + (size_t)2 * i, ports->lpt[i]);
	put16(bda + BDA_EBDA_SEG, BDA_EBDA_BASE >> 4);
	put16(bda + BDA_EQUIPMENT,
	      (uint16_t)(EQUIP_FPU | ncom << EQUIP_COM_SHIFT | nlpt << EQUIP_LPT_SHIFT));
	put16(bda + BDA_BASE_KIB, BDA_EBDA_BASE >> 10);
	ebda[0] = BDA_EBDA_SIZE >> 10;
}
