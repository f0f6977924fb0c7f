// SPDX-License-Identifier: MIT
/* BIOS data area for the direct kernel boots: find the ISA serial and parallel ports, then
 * write the BDA at 0x400 and the EBDA at 0x9F000 (reserved in the map, see boot_map_legacy). */
#include "bda.h"
#include "io.h"
#include "log.h"

static const uint16_t com_bases[BDA_MAX_COM] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
static const uint16_t lpt_bases[BDA_MAX_LPT] = {0x378, 0x278, 0x3bc};

/* A 16550 keeps what is written to its scratch register. */
static int uart_present(uint16_t base)
{
	outb(base + 7, 0x5a);
	if (inb(base + 7) != 0x5a)
		return 0;
	outb(base + 7, 0xa5);
	return inb(base + 7) == 0xa5;
}

/* A parallel port's data latch reads back what was written. */
static int lpt_present(uint16_t base)
{
	outb(base, 0xaa);
	if (inb(base) != 0xaa)
		return 0;
	outb(base, 0x55);
	return inb(base) == 0x55;
}

void bda_setup(void)
{
	struct bda_ports p = {0};

	for (unsigned int i = 0; i < BDA_MAX_COM; i++)
		if (uart_present(com_bases[i]))
			p.com[p.ncom++] = com_bases[i];
	for (unsigned int i = 0; i < BDA_MAX_LPT; i++)
		if (lpt_present(lpt_bases[i]))
			p.lpt[p.nlpt++] = lpt_bases[i];
	bda_build((uint8_t *)BDA_BASE, (uint8_t *)BDA_EBDA_BASE, &p);
	dlog(LOG_INFO, "bda: %u serial, %u parallel ports, EBDA at 0x%x (%u KiB)\n", p.ncom, p.nlpt,
	     BDA_EBDA_BASE, BDA_EBDA_SIZE >> 10);
}
