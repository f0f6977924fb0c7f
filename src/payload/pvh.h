/* SPDX-License-Identifier: MIT */
/* PVH direct boot (the x86/HVM start-of-day ABI QEMU uses for ELF kernels) and multiboot v1:
 * ELF32/ELF64 program headers, the PHYS32_ENTRY note, hvm_start_info and multiboot memory. */
#ifndef QVM_PVH_H
#define QVM_PVH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "e820.h"

#define PVH_NOTE_PHYS32_ENTRY 18	 /* owner "Xen", 32-bit PVH entry point */
#define HVM_START_MAGIC	      0x336ec578 /* "xEn3" with the 0x80 bit of the "E" set */
#define PVH_MAX_LOADS	      16
#define PVH_MAX_NOTES	      4

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version 1 and later */
	uint32_t memmap_entries;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info is 56 bytes");

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry is 32 bytes");

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_memmap_entry) == 24, "hvm_memmap_table_entry is 24 bytes");

/* A PT_LOAD segment: file bytes [offset, offset+filesz) at paddr, memsz in memory. */
struct pvh_segment {
	uint64_t paddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
};

/* A PT_NOTE segment. */
struct pvh_note {
	uint64_t offset;
	uint64_t filesz;
	uint32_t align; /* 4 or 8 */
};

struct pvh_elf {
	bool is64;
	int nload;
	struct pvh_segment load[PVH_MAX_LOADS];
	int nnote;
	struct pvh_note note[PVH_MAX_NOTES];
};

/* Multiboot v1 boot information, as far as the VBE fields. */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info;
	uint32_t vbe_mode_info;
	uint16_t vbe_mode;
	uint16_t vbe_interface_seg;
	uint16_t vbe_interface_off;
	uint16_t vbe_interface_len;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_info) == 88, "multiboot info is 88 bytes");

/* One multiboot memory map entry; size counts the bytes after itself (20). */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "multiboot mmap entry is 24 bytes");

#define MULTIBOOT_LOADER_MAGIC 0x2badb002
#define MULTIBOOT_INFO_MEMORY  (1u << 0)
#define MULTIBOOT_INFO_MMAP    (1u << 6)

/* Parse the ELF32 or ELF64 x86 executable whose first len bytes are hdr: its PT_LOAD and
 * PT_NOTE program headers. Returns 0, or -1 after logging. */
int pvh_parse_elf(const void *hdr, size_t len, struct pvh_elf *out);
/* Physical address where note segment i lies once the loadable segments are in memory
 * (the PT_LOAD whose file bytes contain it). Returns 0, or -1 if no segment carries it. */
int pvh_note_phys(const struct pvh_elf *elf, int i, uint64_t *phys);
/* Look for the Xen PHYS32_ENTRY note in len bytes of notes aligned to align.
 * Returns 0 with *entry set, 1 if the notes are well formed but have none, or -1 after
 * logging when they are malformed or the entry is unusable. */
int pvh_find_entry(const void *notes, size_t len, uint32_t align, uint32_t *entry);
/* Convert a memory map to the hvm_start_info table. Returns the entry count, or -1 if
 * more than max. */
int pvh_build_memmap(const struct e820_map *m, struct hvm_memmap_entry *out, int max);
/* Fill a version-1 start_info with the given physical addresses (0 = absent). */
void pvh_start_info_init(struct hvm_start_info *si, uint64_t cmdline, uint64_t rsdp,
			 uint64_t memmap, uint32_t nmemmap, uint64_t modlist, uint32_t nmod);
/* Set mem_lower/mem_upper and the memory map (written to mmap, max entries, at physical
 * address mmap_phys) of a multiboot info from m. Returns the entry count, or -1 if m has
 * more than max ranges or no RAM at 0 and 1 MiB. */
int multiboot_fill_memory(struct multiboot_info *mbi, const struct e820_map *m,
			  struct multiboot_mmap_entry *mmap, int max, uint32_t mmap_phys);

#endif
