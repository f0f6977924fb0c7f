/* SPDX-License-Identifier: MIT */
/* Linux x86 boot protocol (Documentation/arch/x86/boot.rst): setup header validation, kernel
 * and initrd placement, setup_data chain walk and the boot_params ("zero page") builder. */
#ifndef QVM_BZIMAGE_H
#define QVM_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "e820.h"
#include "elf.h"

#define BZ_HDR_OFFSET		      0x1f1
#define BZ_HDR_MAGIC		      0x53726448 /* "HdrS" at 0x202 */
#define BZ_MIN_PROTOCOL		      0x020a	 /* init_size and pref_address: Linux 2.6.31 */
#define BZ_LOADED_HIGH		      0x01	 /* loadflags: protected-mode code at 1 MiB */
#define BZ_KEEP_SEGMENTS	      0x40
#define BZ_CAN_USE_HEAP		      0x80
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x08
#define BZ_LOADER_UNDEFINED	      0xff
#define BZ_E820_MAX		      128
#define BZ_SETUP_DATA_MAX	      8 /* setup_data entries followed before giving up */

/* The setup header as it sits at offset 0x1f1 of the image and of boot_params. */
struct linux_setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;
	uint16_t jump;
	uint32_t header;
	uint16_t version;
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
	uint32_t kernel_info_offset;
} __attribute__((packed));
_Static_assert(sizeof(struct linux_setup_header) == 0x26c - BZ_HDR_OFFSET,
	       "setup header spans 0x1f1-0x26b");

struct linux_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct linux_e820_entry) == 20, "boot_params e820 entry is 20 bytes");

/* struct boot_params: only the fields a 32-bit-entry loader fills are named. */
struct linux_boot_params {
	uint8_t screen_info[0x40];
	uint8_t apm_bios_info[0x14];
	uint8_t pad1[4];
	uint64_t tboot_addr;
	uint8_t ist_info[0x10];
	uint64_t acpi_rsdp_addr;
	uint8_t pad2[0x0c0 - 0x078];
	uint32_t ext_ramdisk_image;
	uint32_t ext_ramdisk_size;
	uint32_t ext_cmd_line_ptr;
	uint8_t pad3[0x1e8 - 0x0cc];
	uint8_t e820_entries;
	uint8_t eddbuf_entries;
	uint8_t edd_mbr_sig_buf_entries;
	uint8_t kbd_status;
	uint8_t secure_boot;
	uint8_t pad4[2];
	uint8_t sentinel;
	uint8_t pad5;
	struct linux_setup_header hdr;
	uint8_t pad6[0x290 - 0x26c];
	uint32_t edd_mbr_sig_buffer[16];
	struct linux_e820_entry e820_table[BZ_E820_MAX];
	uint8_t pad7[0x1000 - 0xcd0];
} __attribute__((packed));
_Static_assert(sizeof(struct linux_boot_params) == 4096, "boot_params is one page");
_Static_assert(offsetof(struct linux_boot_params, acpi_rsdp_addr) == 0x070, "acpi_rsdp_addr");
_Static_assert(offsetof(struct linux_boot_params, ext_ramdisk_image) == 0x0c0, "ext_ramdisk");
_Static_assert(offsetof(struct linux_boot_params, e820_entries) == 0x1e8, "e820_entries");
_Static_assert(offsetof(struct linux_boot_params, sentinel) == 0x1ef, "sentinel");
_Static_assert(offsetof(struct linux_boot_params, hdr) == BZ_HDR_OFFSET, "hdr");
_Static_assert(offsetof(struct linux_boot_params, e820_table) == 0x2d0, "e820_table");

/* What the loader uses from a validated setup header. */
struct bzimage_info {
	uint16_t protocol;
	uint32_t setup_bytes; /* (setup_sects + 1) * 512: the real-mode part */
	uint32_t hdr_end;     /* offset just past the header: 0x202 + byte at 0x201 */
	bool relocatable;
	uint32_t kernel_alignment; /* power of two; 0 when not relocatable */
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t initrd_addr_max; /* highest byte an initrd may occupy */
	uint32_t cmdline_max;	  /* longest command line, NUL excluded */
	uint16_t xloadflags;
	uint64_t setup_data;
	uint64_t syssize_bytes; /* syssize * 16: the protected-mode part the header describes */
	uint32_t payload_end;	/* payload_offset + payload_length (protocol 2.08+) */
};

/* Where the protected-mode kernel goes: loaded at load, and [load, end) must stay free
 * until the kernel has read the memory map (its image plus init_size at its run address). */
struct bzimage_placement {
	uint32_t load;
	uint64_t end;
};

/* One setup_data entry found inside the loaded kernel image. */
struct bzimage_sd {
	uint32_t offset; /* from the start of the image */
	uint32_t len;	 /* bytes, the 16-byte header included */
	uint32_t type;
};

/* Where boot_params points. */
struct bzimage_params_in {
	uint32_t kernel_load;
	uint32_t cmdline;
	uint32_t initrd;
	uint32_t initrd_size;
	uint64_t rsdp;
	uint64_t setup_data;
	const struct e820_map *map;
};

/* Validate the first len bytes of the real-mode part (setup_len bytes in all, as fw_cfg
 * gives it). Fills info. Returns 0, or -1 after logging why this is not a kernel the 32-bit
 * boot protocol can start. */
int bzimage_parse(const void *setup, size_t len, uint32_t setup_len, struct bzimage_info *info);
/* Check a command line of size bytes (its NUL included) fits the kernel's limit.
 * Returns 0, or -1 after logging. */
int bzimage_check_cmdline(const struct bzimage_info *info, uint32_t size);
/* The protected-mode part QEMU holds (kernel_size bytes) against the header: at least syssize
 * paragraphs, the compressed payload inside it, init_size no smaller than it. 0, or -1 after
 * logging the sizes (a truncated or damaged kernel file). */
int bzimage_check_size(const struct bzimage_info *info, uint32_t kernel_size);
/* Choose the kernel's load address: pref_address when relocatable and free, else 1 MiB.
 * Both need the whole range in RAM and clear of busy. Returns 0, or -1 after logging. */
int bzimage_place_kernel(const struct bzimage_info *info, uint32_t kernel_size,
			 const struct e820_map *ram, const struct busy_range *busy, int nbusy,
			 struct bzimage_placement *out);
/* Highest align-aligned addr with [addr, addr+size) all RAM in ram, addr >= min,
 * addr+size-1 <= max and clear of every avoid range. Returns 0, or -1 if none. */
int initrd_place(const struct e820_map *ram, uint64_t size, uint64_t min, uint64_t max,
		 uint32_t align, const struct busy_range *avoid, int navoid, uint64_t *addr);
/* Follow the setup_data chain starting at first, a physical address assuming the image
 * (size bytes) sits at base. Entries outside the image, overlapping or looping are refused.
 * Fills out[0..max) and returns the count, or -1 after logging. */
int bzimage_setup_data(const uint8_t *image, uint32_t size, uint32_t base, uint64_t first,
		       struct bzimage_sd *out, int max);
/* Turn the machine map into what a legacy-free OS loader hands over: the VGA and option ROM
 * hole 0xA0000-0xEFFFF removed, the EBDA (0x9F000-0x9FFFF, see bda.h) and the BIOS segment
 * 0xF0000-0xFFFFF reserved.
 * Returns 0, or -1 if the map is full. */
int boot_map_legacy(struct e820_map *m);
/* Fill bp: the header copied from setup (setup_len bytes), then loader fields, e820 and
 * RSDP. Returns 0, or -1 after logging (e.g. more ranges than boot_params holds). */
int bzimage_build_params(struct linux_boot_params *bp, const void *setup, size_t setup_len,
			 const struct bzimage_info *info, const struct bzimage_params_in *in);

#endif
