// SPDX-License-Identifier: MIT
/* Watchdogs: an i6300ESB PCI watchdog when the machine has one (any machine), else the ICH9
 * TCO timer of q35. Each counts down twice; the second expiry resets the machine. */
#include "io.h"
#include "log.h"
#include "pci-enum.h"
#include "pci.h"
#include "platform.h"
#include "watchdog.h"

#define TCO_RLD	      (TCO_BASE + 0x00)
#define TCO1_STS      (TCO_BASE + 0x04)
#define TCO2_STS      (TCO_BASE + 0x06)
#define TCO1_CNT      (TCO_BASE + 0x08)
#define TCO_TMR	      (TCO_BASE + 0x12)
#define TCO_TMR_HLT   (1u << 11)
#define TCO_TICKS_MAX 0x3ff
#define GCS	      (Q35_RCBA + 0x3410)
#define GCS_NO_REBOOT (1u << 5)

/* i6300ESB (8086:25ab): config registers, and the MMIO registers behind BAR 0. */
#define ESB_ID		     0x25ab8086u
#define ESB_CONFIG	     0x60 /* bit 5 set: no reboot; bit 2: 1 MHz; bits 0-1: stage-1 IRQ */
#define ESB_CONFIG_NO_IRQ    0x3
#define ESB_LOCK	     0x68 /* bit 1: enabled (the timer starts on 0 -> 1) */
#define ESB_LOCK_ENABLE	     (1u << 1)
#define ESB_TIMER1	     0x00
#define ESB_TIMER2	     0x04
#define ESB_RELOAD	     0x0c /* 0x80 then 0x86 unlocks the next register write */
#define ESB_PRELOAD_MAX	     0xfffff
#define ESB_TICKS_PER_SECOND 1007 /* 33 MHz / 2^15: one tick is 0.993 ms at the 1 kHz scale */

/* The BDF of the first i6300ESB, or -1. */
static int esb_find(void)
{
	for (int i = 0; i < pci_function_count; i++)
		if (pci_read32(pci_functions[i].bdf, 0) == ESB_ID)
			return pci_functions[i].bdf;
	return -1;
}

/* Write v to the i6300ESB register at bar + reg, after the unlock sequence it needs. */
static void esb_write(uint32_t bar, uint32_t reg, uint32_t v)
{
	writel(bar + ESB_RELOAD, 0x80);
	writel(bar + ESB_RELOAD, 0x86);
	writel(bar + reg, v);
}

/* Arm the i6300ESB at bdf: each stage lasts half of seconds, then the machine resets. */
static bool esb_arm(uint16_t bdf, uint32_t seconds)
{
	uint32_t bar = pci_read32(bdf, PCI_BAR0) & ~0xfu;
	uint32_t preload = seconds * ESB_TICKS_PER_SECOND / 2, tenths;

	if (!bar || !(pci_read16(bdf, PCI_COMMAND) & PCI_COMMAND_MEMORY)) {
		dlog(LOG_ERR,
		     "watchdog: i6300ESB at %02x:%02x.%x has no memory BAR decoded; not "
		     "armed\n",
		     bdf >> 8, (bdf >> 3) & 31, bdf & 7);
		return false;
	}
	if (preload < 1)
		preload = 1;
	if (preload > ESB_PRELOAD_MAX)
		preload = ESB_PRELOAD_MAX;
	pci_write8(bdf, ESB_LOCK, 0);
	esb_write(bar, ESB_TIMER1, preload);
	esb_write(bar, ESB_TIMER2, preload);
	pci_write16(bdf, ESB_CONFIG, ESB_CONFIG_NO_IRQ);
	pci_write8(bdf, ESB_LOCK, ESB_LOCK_ENABLE);
	tenths = preload * 20 / ESB_TICKS_PER_SECOND;
	dlog(LOG_INFO,
	     "watchdog: i6300ESB at %02x:%02x.%x armed, reset in %u.%u s unless disabled "
	     "(config byte 0x%x = 0)\n",
	     bdf >> 8, (bdf >> 3) & 31, bdf & 7, tenths / 10, tenths % 10, ESB_LOCK);
	return true;
}

void watchdog_disarm(void)
{
	int esb = esb_find();

	if (esb >= 0)
		pci_write8((uint16_t)esb, ESB_LOCK, 0);
	if (platform.machine != MACHINE_Q35)
		return;
	outw(TCO1_CNT, (uint16_t)(inw(TCO1_CNT) | TCO_TMR_HLT));
}

bool watchdog_arm(uint32_t seconds)
{
	uint32_t ticks = seconds * 10 / 12; /* two rounds of 0.6 s ticks */
	int esb = esb_find();

	if (esb >= 0)
		return esb_arm((uint16_t)esb, seconds);
	if (platform.machine != MACHINE_Q35) {
		dlog(LOG_INFO,
		     "watchdog: %s has no watchdog of its own and no i6300ESB was added "
		     "(-device i6300esb); a hung normal payload is not reset (docs/payloads.md)\n",
		     platform.name);
		return false;
	}
	writel(GCS, readl(GCS) & ~GCS_NO_REBOOT);
	if (readl(GCS) & GCS_NO_REBOOT) {
		dlog(LOG_ERR, "watchdog: the ICH9 NO_REBOOT strap is set, so the TCO watchdog "
			      "cannot reset (QEMU: -global ICH9-LPC.noreboot=false); not armed\n");
		return false;
	}
	if (ticks < 2)
		ticks = 2;
	if (ticks > TCO_TICKS_MAX)
		ticks = TCO_TICKS_MAX;
	outw(TCO1_STS, 0);
	outw(TCO2_STS, 0);
	outw(TCO_TMR, (uint16_t)ticks);
	outw(TCO1_CNT, (uint16_t)(inw(TCO1_CNT) & ~TCO_TMR_HLT));
	outw(TCO_RLD, 1);
	dlog(LOG_INFO,
	     "watchdog: ICH9 TCO armed, reset in %u.%u s unless halted or reloaded (QEMU 7.2 "
	     "resets only with -global ICH9-LPC.noreboot=false)\n",
	     ticks * 12 / 10, ticks * 12 % 10);
	return true;
}
