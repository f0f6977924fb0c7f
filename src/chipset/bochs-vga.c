// SPDX-License-Identifier: MIT
/* Mode set of QEMU's std VGA through the Bochs DISPI index/data ports. */
#include "fb.h"
#include "io.h"
#include "log.h"
#include "pci-enum.h"
#include "pci.h"

#define BOCHS_VENDOR	 0x1234
#define BOCHS_VGA_DEVICE 0x1111
#define CLASS_VGA	 0x0300

#define DISPI_INDEX	       0x1ce
#define DISPI_DATA	       0x1cf
#define DISPI_ID	       0
#define DISPI_XRES	       1
#define DISPI_YRES	       2
#define DISPI_BPP	       3
#define DISPI_ENABLE	       4
#define DISPI_VIRT_WIDTH       6
#define DISPI_VIDEO_MEMORY_64K 10
#define DISPI_ID_MIN	       0xb0c4 /* first version that reports the video memory size */
#define DISPI_ENABLED	       0x01
#define DISPI_LFB_ENABLED      0x40

#define VGA_AR_INDEX	      0x3c0
#define VGA_INPUT_STATUS      0x3da
#define VGA_AR_PALETTE_SOURCE 0x20

/* Read DISPI register idx. */
static uint16_t dispi_read(uint16_t idx)
{
	outw(DISPI_INDEX, idx);
	return inw(DISPI_DATA);
}

/* Write DISPI register idx. */
static void dispi_write(uint16_t idx, uint16_t v)
{
	outw(DISPI_INDEX, idx);
	outw(DISPI_DATA, v);
}

/* The first std VGA PCI function with its memory decode on, or -1. */
static int find_vga(void)
{
	for (int i = 0; i < pci_function_count; i++) {
		uint16_t bdf = pci_functions[i].bdf;

		if (pci_functions[i].class == CLASS_VGA &&
		    pci_read16(bdf, PCI_VENDOR_ID) == BOCHS_VENDOR &&
		    pci_read16(bdf, PCI_DEVICE_ID) == BOCHS_VGA_DEVICE)
			return i;
	}
	return -1;
}

bool fb_init(uint32_t width, uint32_t height, struct fb_info *fb)
{
	int i = find_vga();
	uint32_t bar;
	uint16_t id;

	if (i < 0) {
		dlog(LOG_INFO, "fb: no std VGA (1234:1111): no framebuffer for the payload\n");
		return false;
	}
	fb->bdf = pci_functions[i].bdf;
	bar = pci_read32(fb->bdf, PCI_BAR0);
	fb->base = bar & ~0xfu;
	if ((bar & 0x6) == 0x4)
		fb->base |= (uint64_t)pci_read32(fb->bdf, PCI_BAR0 + 4) << 32;
	if ((bar & 1) || !fb->base || !(pci_read16(fb->bdf, PCI_COMMAND) & PCI_COMMAND_MEMORY)) {
		dlog(LOG_ERR,
		     "fb: std VGA %02x:%02x.%x has no enabled memory BAR0 (%x): no "
		     "framebuffer for the payload\n",
		     PCI_BUS(fb->bdf), PCI_DEV(fb->bdf), PCI_FN(fb->bdf), bar);
		return false;
	}
	id = dispi_read(DISPI_ID);
	if (id < DISPI_ID_MIN || (id & 0xfff0) != 0xb0c0) {
		dlog(LOG_ERR,
		     "fb: Bochs DISPI id %x is not supported (need %x or newer): no "
		     "framebuffer for the payload\n",
		     id, DISPI_ID_MIN);
		return false;
	}
	fb->vram = (uint32_t)dispi_read(DISPI_VIDEO_MEMORY_64K) << 16;
	if ((uint64_t)width * height * 4 > fb->vram) {
		dlog(LOG_ERR,
		     "fb: %ux%u at 32 bpp needs more than the %u KiB of video memory: no "
		     "framebuffer for the payload\n",
		     width, height, fb->vram >> 10);
		return false;
	}
	dispi_write(DISPI_ENABLE, 0);
	dispi_write(DISPI_XRES, (uint16_t)width);
	dispi_write(DISPI_YRES, (uint16_t)height);
	dispi_write(DISPI_BPP, 32);
	dispi_write(DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB_ENABLED);
	fb->width = dispi_read(DISPI_XRES);
	fb->height = dispi_read(DISPI_YRES);
	fb->stride = (uint32_t)dispi_read(DISPI_VIRT_WIDTH) * 4;
	if (fb->width != width || fb->height != height || dispi_read(DISPI_BPP) != 32 ||
	    fb->stride < width * 4 || (uint64_t)fb->stride * height > fb->vram) {
		dlog(LOG_ERR,
		     "fb: the std VGA did not take %ux%ux32 (reads back %ux%u, %u bytes "
		     "per line): no framebuffer for the payload\n",
		     width, height, fb->width, fb->height, fb->stride);
		dispi_write(DISPI_ENABLE, 0);
		return false;
	}
	/* Let the attribute controller scan the picture out (palette address source). */
	inb(VGA_INPUT_STATUS);
	outb(VGA_AR_INDEX, VGA_AR_PALETTE_SOURCE);
	dlog(LOG_INFO, "fb: std VGA %02x:%02x.%x %ux%ux32, %u bytes per line at %llx\n",
	     PCI_BUS(fb->bdf), PCI_DEV(fb->bdf), PCI_FN(fb->bdf), fb->width, fb->height, fb->stride,
	     (unsigned long long)fb->base);
	return true;
}
