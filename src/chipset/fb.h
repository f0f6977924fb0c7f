/* SPDX-License-Identifier: MIT */
/* Linear framebuffer for payloads that have no video driver of their own (EDK2's GOP takes
 * the mode it is given): mode set through the Bochs DISPI registers of QEMU's std VGA. */
#ifndef QVM_FB_H
#define QVM_FB_H

#include <stdbool.h>
#include <stdint.h>

/* A mode that is set and scanned out: 32 bpp, pixels as little-endian 0x00RRGGBB. */
struct fb_info {
	uint16_t bdf;	 /* the display function */
	uint64_t base;	 /* framebuffer (BAR0) address */
	uint32_t width;	 /* pixels */
	uint32_t height; /* lines */
	uint32_t stride; /* bytes per line */
	uint32_t vram;	 /* bytes of video memory */
};

/* Find a std VGA (1234:1111), set width x height at 32 bpp with the linear framebuffer on,
 * and describe it in fb. Returns false, after logging why, when there is none or the mode
 * cannot be set (the payload then runs without graphics). */
bool fb_init(uint32_t width, uint32_t height, struct fb_info *fb);

#endif
