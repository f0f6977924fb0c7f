// SPDX-License-Identifier: MIT
/* ELF32 executable parsing with strict bounds checks. */
#include <string.h>

#include "elf.h"
#include "log.h"

#define PT_LOAD 1

struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint32_t entry;
	uint32_t phoff;
	uint32_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
} __attribute__((packed));
_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header is 52 bytes");

struct elf32_phdr {
	uint32_t type;
	uint32_t offset;
	uint32_t vaddr;
	uint32_t paddr;
	uint32_t filesz;
	uint32_t memsz;
	uint32_t flags;
	uint32_t align;
} __attribute__((packed));
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header is 32 bytes");

int elf_is_elf(const void *buf, size_t len)
{
	return len >= 4 && !memcmp(buf, "\177ELF", 4);
}

int elf_parse(const void *hdr, size_t hdr_len, uint32_t file_size, struct elf_image *img)
{
	const struct elf32_ehdr *eh = hdr;
	bool entry_ok = false;

	memset(img, 0, sizeof(*img));
	if (hdr_len > file_size)
		hdr_len = file_size;
	if (hdr_len < sizeof(*eh) || !elf_is_elf(hdr, hdr_len)) {
		dlog(LOG_ERR, "elf: not an ELF file\n");
		return -1;
	}
	if (eh->ident[4] != 1 || eh->ident[5] != 1) {
		dlog(LOG_ERR, "elf: not a 32-bit little-endian ELF\n");
		return -1;
	}
	if (eh->type != 2 || eh->machine != 3) {
		dlog(LOG_ERR, "elf: not an i386 executable (type %u machine %u)\n", eh->type,
		     eh->machine);
		return -1;
	}
	if (eh->phentsize != sizeof(struct elf32_phdr) || !eh->phnum) {
		dlog(LOG_ERR, "elf: bad program header table (entsize %u, count %u)\n",
		     eh->phentsize, eh->phnum);
		return -1;
	}
	if (eh->phoff > hdr_len || eh->phnum > (hdr_len - eh->phoff) / sizeof(struct elf32_phdr)) {
		dlog(LOG_ERR, "elf: program headers lie outside the first %u bytes\n",
		     (unsigned int)hdr_len);
		return -1;
	}
	for (unsigned int i = 0; i < eh->phnum; i++) {
		struct elf32_phdr ph;
		struct elf_segment *s;

		memcpy(&ph, (const uint8_t *)hdr + eh->phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (img->nseg == ELF_MAX_SEGMENTS) {
			dlog(LOG_ERR, "elf: more than %d loadable segments\n", ELF_MAX_SEGMENTS);
			return -1;
		}
		if (ph.filesz > ph.memsz) {
			dlog(LOG_ERR, "elf: segment %u: file size %x exceeds memory size %x\n", i,
			     ph.filesz, ph.memsz);
			return -1;
		}
		if (ph.offset > file_size || ph.filesz > file_size - ph.offset) {
			dlog(LOG_ERR, "elf: segment %u: bytes %x+%x lie beyond the file end %x\n",
			     i, ph.offset, ph.filesz, file_size);
			return -1;
		}
		if (ph.paddr + (uint64_t)ph.memsz > 0x100000000ull) {
			dlog(LOG_ERR, "elf: segment %u: %x+%x wraps past 4 GiB\n", i, ph.paddr,
			     ph.memsz);
			return -1;
		}
		s = &img->seg[img->nseg++];
		s->paddr = ph.paddr;
		s->offset = ph.offset;
		s->filesz = ph.filesz;
		s->memsz = ph.memsz;
		if (eh->entry >= ph.paddr && eh->entry - ph.paddr < ph.filesz)
			entry_ok = true;
	}
	if (!img->nseg) {
		dlog(LOG_ERR, "elf: no loadable segment\n");
		return -1;
	}
	if (!entry_ok) {
		dlog(LOG_ERR, "elf: entry point %x is not inside loaded file bytes\n", eh->entry);
		return -1;
	}
	img->entry = eh->entry;
	return 0;
}

const struct busy_range *busy_overlap(const struct busy_range *busy, int nbusy, uint64_t start,
				      uint64_t end)
{
	for (int i = 0; i < nbusy; i++)
		if (start < busy[i].end && busy[i].start < end)
			return &busy[i];
	return NULL;
}

int elf_check_placement(const struct elf_image *img, const struct e820_map *ram,
			const struct busy_range *busy, int nbusy)
{
	for (int i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t start = s->paddr, end = start + s->memsz;
		const struct busy_range *b;

		if (!e820_covered(ram, start, s->memsz, E820_RAM)) {
			dlog(LOG_ERR, "elf: segment %d at %llx-%llx is not entirely in RAM\n", i,
			     (unsigned long long)start, (unsigned long long)end);
			return -1;
		}
		b = busy_overlap(busy, nbusy, start, end);
		if (b) {
			dlog(LOG_ERR, "elf: segment %d at %llx-%llx overlaps %s at %llx-%llx\n", i,
			     (unsigned long long)start, (unsigned long long)end, b->what,
			     (unsigned long long)b->start, (unsigned long long)b->end);
			return -1;
		}
		for (int j = 0; j < i; j++) {
			uint64_t os = img->seg[j].paddr, oe = os + img->seg[j].memsz;

			if (start < oe && os < end) {
				dlog(LOG_ERR, "elf: segments %d and %d overlap\n", j, i);
				return -1;
			}
		}
	}
	return 0;
}
