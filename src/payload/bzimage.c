// SPDX-License-Identifier: MIT
/* Linux boot protocol: header checks, placement arithmetic and boot_params construction. */
#include <string.h>

#include "bda.h"
#include "bzimage.h"
#include "log.h"

#define MIB	       0x100000ull
#define SD_HEADER      16    /* setup_data: u64 next, u32 type, u32 len */
#define HDR_END_MIN    0x264 /* init_size ends here: protocol 2.10 */
#define HDR_COPY_LIMIT 0x290 /* boot_params holds header bytes up to here */
#define FOUR_GIB       0x100000000ull

/* End of [start, start+size), saturating at 2^64 - 1. */
static uint64_t span_end(uint64_t start, uint64_t size)
{
	return size > UINT64_MAX - start ? UINT64_MAX : start + size;
}

int bzimage_parse(const void *setup, size_t len, uint32_t setup_len, struct bzimage_info *info)
{
	const uint8_t *b = setup;
	struct linux_setup_header h;
	uint32_t sects;
	size_t avail;

	memset(info, 0, sizeof(*info));
	memset(&h, 0, sizeof(h));
	if (len > setup_len)
		len = setup_len;
	if (len < 0x206 || memcmp(b + 0x202, "HdrS", 4) != 0) {
		dlog(LOG_ERR, "bzimage: not a Linux kernel (no \"HdrS\" at 0x202)\n");
		return -1;
	}
	info->hdr_end = 0x202u + b[0x201];
	avail = (info->hdr_end < len ? info->hdr_end : len) - BZ_HDR_OFFSET;
	memcpy(&h, b + BZ_HDR_OFFSET, avail < sizeof(h) ? avail : sizeof(h));
	info->protocol = h.version;
	if (h.version < BZ_MIN_PROTOCOL) {
		dlog(LOG_ERR,
		     "bzimage: boot protocol %u.%02u is older than 2.10, the oldest the 32-bit "
		     "entry can be used with (no init_size)\n",
		     h.version >> 8, h.version & 0xff);
		return -1;
	}
	if (info->hdr_end < HDR_END_MIN || info->hdr_end > len) {
		dlog(LOG_ERR, "bzimage: setup header ends at 0x%x, outside 0x%x-0x%x\n",
		     info->hdr_end, HDR_END_MIN, (unsigned int)len);
		return -1;
	}
	if (h.boot_flag != 0xaa55) {
		dlog(LOG_ERR, "bzimage: boot_flag is 0x%04x, not 0xaa55\n", h.boot_flag);
		return -1;
	}
	if (!(h.loadflags & BZ_LOADED_HIGH)) {
		dlog(LOG_ERR, "bzimage: a zImage (not loaded high) has no 32-bit entry\n");
		return -1;
	}
	sects = h.setup_sects ? h.setup_sects : 4;
	info->setup_bytes = (sects + 1) * 512;
	if (setup_len < info->setup_bytes) {
		dlog(LOG_ERR, "bzimage: real-mode part is %u bytes, the header says %u\n",
		     setup_len, info->setup_bytes);
		return -1;
	}
	info->relocatable = h.relocatable_kernel != 0;
	if (info->relocatable) {
		info->kernel_alignment = h.kernel_alignment;
		if (!h.kernel_alignment || (h.kernel_alignment & (h.kernel_alignment - 1))) {
			dlog(LOG_ERR, "bzimage: kernel_alignment 0x%x is not a power of two\n",
			     h.kernel_alignment);
			return -1;
		}
	}
	if (!h.init_size) {
		dlog(LOG_ERR, "bzimage: init_size is 0\n");
		return -1;
	}
	info->pref_address = h.pref_address;
	info->init_size = h.init_size;
	info->xloadflags = h.xloadflags;
	info->initrd_addr_max = h.initrd_addr_max;
	if (h.version >= 0x020c && (h.xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G))
		info->initrd_addr_max = UINT32_MAX;
	info->cmdline_max = h.cmdline_size;
	info->setup_data = h.setup_data;
	info->syssize_bytes = (uint64_t)h.syssize * 16;
	info->payload_end = (uint32_t)((uint64_t)h.payload_offset + h.payload_length > UINT32_MAX
					       ? UINT32_MAX
					       : h.payload_offset + h.payload_length);
	return 0;
}

int bzimage_check_size(const struct bzimage_info *info, uint32_t kernel_size)
{
	/* syssize counts 16-byte paragraphs rounded up: the file may end up to 15 bytes short. */
	if ((uint64_t)kernel_size + 15 < info->syssize_bytes) {
		dlog(LOG_ERR,
		     "bzimage: the protected-mode part is %u bytes, but the header (syssize) says "
		     "%llu: the kernel file is truncated\n",
		     kernel_size, (unsigned long long)info->syssize_bytes);
		return -1;
	}
	if (info->payload_end > kernel_size) {
		dlog(LOG_ERR,
		     "bzimage: the compressed kernel ends at byte %u of a %u-byte protected-mode "
		     "part: the kernel file is truncated\n",
		     info->payload_end, kernel_size);
		return -1;
	}
	if (info->init_size < info->syssize_bytes) {
		dlog(LOG_ERR,
		     "bzimage: init_size 0x%x is smaller than the kernel image (%llu bytes)\n",
		     info->init_size, (unsigned long long)info->syssize_bytes);
		return -1;
	}
	return 0;
}

int bzimage_check_cmdline(const struct bzimage_info *info, uint32_t size)
{
	if (size > 1 && size - 1 > info->cmdline_max) {
		dlog(LOG_ERR,
		     "bzimage: command line of %u bytes is longer than the kernel's limit of %u\n",
		     size - 1, info->cmdline_max);
		return -1;
	}
	return 0;
}

/* True if [start, end) is all RAM and touches no busy range; logs the first conflict. */
static bool range_free(const struct e820_map *ram, uint64_t start, uint64_t end,
		       const struct busy_range *busy, int nbusy, const char *what)
{
	const struct busy_range *b;

	if (!e820_covered(ram, start, end - start, E820_RAM)) {
		dlog(LOG_DEBUG, "bzimage: %s %llx-%llx is not all RAM\n", what,
		     (unsigned long long)start, (unsigned long long)end);
		return false;
	}
	b = busy_overlap(busy, nbusy, start, end);
	if (b)
		dlog(LOG_DEBUG, "bzimage: %s %llx-%llx overlaps %s\n", what,
		     (unsigned long long)start, (unsigned long long)end, b->what);
	return !b;
}

/* The range a kernel loaded at load needs: its image, then init_size at its run address. */
static bool kernel_span(const struct bzimage_info *info, uint64_t load, uint32_t size,
			uint64_t *start, uint64_t *end)
{
	uint64_t run = info->pref_address ? info->pref_address : load;

	if (info->relocatable) {
		uint64_t mask = (uint64_t)info->kernel_alignment - 1;

		run = (load + mask) & ~mask;
		if (run < info->pref_address)
			run = info->pref_address;
	}
	*start = load < run ? load : run;
	*end = load + size > run + info->init_size ? load + size : run + info->init_size;
	return *end <= FOUR_GIB;
}

int bzimage_place_kernel(const struct bzimage_info *info, uint32_t kernel_size,
			 const struct e820_map *ram, const struct busy_range *busy, int nbusy,
			 struct bzimage_placement *out)
{
	uint64_t cand[2] = {0, MIB};
	uint64_t start, end;

	if (info->relocatable && info->pref_address >= MIB && info->pref_address < FOUR_GIB)
		cand[0] = info->pref_address;
	for (int i = 0; i < 2; i++) {
		if (!cand[i] || !kernel_span(info, cand[i], kernel_size, &start, &end))
			continue;
		if (!range_free(ram, start, end, busy, nbusy, "kernel"))
			continue;
		out->load = (uint32_t)cand[i];
		out->end = end;
		return 0;
	}
	dlog(LOG_ERR,
	     "bzimage: no room for the kernel (%u bytes, init_size 0x%x) at 0x%llx or 1 MiB\n",
	     kernel_size, info->init_size, (unsigned long long)info->pref_address);
	return -1;
}

int initrd_place(const struct e820_map *ram, uint64_t size, uint64_t min, uint64_t max,
		 uint32_t align, const struct busy_range *avoid, int navoid, uint64_t *addr)
{
	uint64_t mask = align ? (uint64_t)align - 1 : 0;
	uint64_t top = span_end(max, 1);

	if (!size || (align & mask))
		return -1;
	for (int i = ram->count - 1; i >= 0; i--) {
		const struct e820_entry *e = &ram->e[i];
		uint64_t lo = e->start > min ? e->start : min;
		uint64_t hi = span_end(e->start, e->size);

		if (e->type != E820_RAM)
			continue;
		if (hi > top)
			hi = top;
		while (hi > lo && hi - lo >= size) {
			uint64_t a = (hi - size) & ~mask, next = hi;

			if (a < lo)
				break;
			for (int j = 0; j < navoid; j++)
				if (a < avoid[j].end && avoid[j].start < a + size &&
				    avoid[j].start < next)
					next = avoid[j].start;
			if (next == hi) {
				*addr = a;
				return 0;
			}
			hi = next;
		}
	}
	return -1;
}

int bzimage_setup_data(const uint8_t *image, uint32_t size, uint32_t base, uint64_t first,
		       struct bzimage_sd *out, int max)
{
	uint64_t addr = first;
	int n = 0;

	while (addr) {
		uint64_t next;
		uint32_t off, len, type;

		if (n == max) {
			dlog(LOG_ERR, "bzimage: more than %d setup_data entries\n", max);
			return -1;
		}
		if (addr < base || addr - base > size || size - (addr - base) < SD_HEADER) {
			dlog(LOG_ERR, "bzimage: setup_data at %llx lies outside the kernel image\n",
			     (unsigned long long)addr);
			return -1;
		}
		off = (uint32_t)(addr - base);
		memcpy(&next, image + off, 8);
		memcpy(&type, image + off + 8, 4);
		memcpy(&len, image + off + 12, 4);
		if (len > size - off - SD_HEADER) {
			dlog(LOG_ERR,
			     "bzimage: setup_data at %llx (%u bytes) runs past the image\n",
			     (unsigned long long)addr, len);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (off < out[i].offset + out[i].len &&
			    out[i].offset < off + SD_HEADER + len) {
				dlog(LOG_ERR,
				     "bzimage: setup_data entries overlap or loop at %llx\n",
				     (unsigned long long)addr);
				return -1;
			}
		}
		out[n++] = (struct bzimage_sd){off, SD_HEADER + len, type};
		addr = next;
	}
	return n;
}

int boot_map_legacy(struct e820_map *m)
{
	if (e820_remove(m, 0xa0000, 0x50000))
		return -1;
	if (e820_covered(m, BDA_EBDA_BASE, BDA_EBDA_SIZE, E820_RAM) &&
	    e820_add(m, BDA_EBDA_BASE, BDA_EBDA_SIZE, E820_RESERVED))
		return -1;
	return e820_add(m, 0xf0000, 0x10000, E820_RESERVED);
}

int bzimage_build_params(struct linux_boot_params *bp, const void *setup, size_t setup_len,
			 const struct bzimage_info *info, const struct bzimage_params_in *in)
{
	uint32_t end = info->hdr_end < HDR_COPY_LIMIT ? info->hdr_end : HDR_COPY_LIMIT;

	if (in->map->count > BZ_E820_MAX) {
		dlog(LOG_ERR, "bzimage: %d memory ranges, boot_params holds %d\n", in->map->count,
		     BZ_E820_MAX);
		return -1;
	}
	if (end < HDR_END_MIN || setup_len < end) {
		dlog(LOG_ERR, "bzimage: setup header cut short (%u of %u bytes)\n",
		     (unsigned int)setup_len, end);
		return -1;
	}
	memset(bp, 0, sizeof(*bp));
	memcpy((uint8_t *)bp + BZ_HDR_OFFSET, (const uint8_t *)setup + BZ_HDR_OFFSET,
	       end - BZ_HDR_OFFSET);
	bp->hdr.type_of_loader = BZ_LOADER_UNDEFINED;
	bp->hdr.loadflags &= (uint8_t)~BZ_KEEP_SEGMENTS;
	bp->hdr.code32_start = in->kernel_load;
	bp->hdr.cmd_line_ptr = in->cmdline;
	bp->hdr.ramdisk_image = in->initrd;
	bp->hdr.ramdisk_size = in->initrd_size;
	bp->hdr.setup_data = in->setup_data;
	bp->acpi_rsdp_addr = in->rsdp;
	for (int i = 0; i < in->map->count; i++) {
		const struct e820_entry *e = &in->map->e[i];

		bp->e820_table[i] = (struct linux_e820_entry){e->start, e->size, e->type};
	}
	bp->e820_entries = (uint8_t)in->map->count;
	return 0;
}
