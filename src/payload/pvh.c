// SPDX-License-Identifier: MIT
/* PVH ELF parsing, PVH note lookup, and the start-of-day structures for PVH and multiboot. */
#include <string.h>

#include "log.h"
#include "pvh.h"

#define PT_LOAD	  1
#define PT_NOTE	  4
#define ET_EXEC	  2
#define EM_386	  3
#define EM_X86_64 62
#define FOUR_GIB  0x100000000ull
#define NOTE_HDR  12 /* namesz, descsz, type */

/* Little-endian integer of n bytes (n <= 8) at p. */
static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Round v up to a multiple of a (a power of two). */
static uint64_t align_up(uint64_t v, uint32_t a)
{
	return (v + a - 1) & ~(uint64_t)(a - 1);
}

/* Record one program header; returns -1 after logging if it is unusable. */
static int add_phdr(struct pvh_elf *out, unsigned int i, uint32_t type, uint64_t offset,
		    uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	if (type == PT_NOTE && filesz) {
		if (out->nnote == PVH_MAX_NOTES)
			return 0;
		out->note[out->nnote++] = (struct pvh_note){offset, filesz, align == 8 ? 8 : 4};
		return 0;
	}
	if (type != PT_LOAD || !memsz)
		return 0;
	if (out->nload == PVH_MAX_LOADS) {
		dlog(LOG_ERR, "pvh: more than %d loadable segments\n", PVH_MAX_LOADS);
		return -1;
	}
	if (filesz > memsz || paddr >= FOUR_GIB || memsz > FOUR_GIB - paddr ||
	    offset > UINT64_MAX - filesz) {
		dlog(LOG_ERR,
		     "pvh: segment %u (%llx+%llx, file %llx) is not loadable below 4 GiB\n", i,
		     (unsigned long long)paddr, (unsigned long long)memsz,
		     (unsigned long long)filesz);
		return -1;
	}
	out->load[out->nload++] = (struct pvh_segment){paddr, memsz, offset, filesz};
	return 0;
}

int pvh_parse_elf(const void *hdr, size_t len, struct pvh_elf *out)
{
	const uint8_t *b = hdr;
	uint64_t phoff;
	uint32_t phentsize, phnum, machine;

	memset(out, 0, sizeof(*out));
	if (len < 52 || memcmp(b, "\177ELF", 4) != 0) {
		dlog(LOG_ERR, "pvh: not an ELF file\n");
		return -1;
	}
	if ((b[4] != 1 && b[4] != 2) || b[5] != 1) {
		dlog(LOG_ERR, "pvh: ELF class %u data %u is not 32/64-bit little-endian\n", b[4],
		     b[5]);
		return -1;
	}
	out->is64 = b[4] == 2;
	if (out->is64 && len < 64) {
		dlog(LOG_ERR, "pvh: ELF64 header cut short\n");
		return -1;
	}
	machine = (uint32_t)rd(b + 18, 2);
	if (rd(b + 16, 2) != ET_EXEC || (machine != EM_386 && machine != EM_X86_64)) {
		dlog(LOG_ERR, "pvh: not an x86 executable (type %u machine %u)\n",
		     (unsigned int)rd(b + 16, 2), machine);
		return -1;
	}
	phoff = out->is64 ? rd(b + 32, 8) : rd(b + 28, 4);
	phentsize = (uint32_t)rd(b + (out->is64 ? 54 : 42), 2);
	phnum = (uint32_t)rd(b + (out->is64 ? 56 : 44), 2);
	if (phentsize != (out->is64 ? 56u : 32u) || !phnum || phoff > len ||
	    phnum > (len - phoff) / phentsize) {
		dlog(LOG_ERR,
		     "pvh: program headers (%u of %u bytes at %llx) not in the first %u "
		     "bytes\n",
		     phnum, phentsize, (unsigned long long)phoff, (unsigned int)len);
		return -1;
	}
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *p = b + phoff + (uint64_t)i * phentsize;
		int rc;

		if (out->is64)
			rc = add_phdr(out, i, (uint32_t)rd(p, 4), rd(p + 8, 8), rd(p + 24, 8),
				      rd(p + 32, 8), rd(p + 40, 8), rd(p + 48, 8));
		else
			rc = add_phdr(out, i, (uint32_t)rd(p, 4), rd(p + 4, 4), rd(p + 12, 4),
				      rd(p + 16, 4), rd(p + 20, 4), rd(p + 28, 4));
		if (rc)
			return -1;
	}
	if (!out->nload) {
		dlog(LOG_ERR, "pvh: no loadable segment\n");
		return -1;
	}
	return 0;
}

int pvh_note_phys(const struct pvh_elf *elf, int i, uint64_t *phys)
{
	const struct pvh_note *n = &elf->note[i];

	for (int j = 0; j < elf->nload; j++) {
		const struct pvh_segment *s = &elf->load[j];

		if (n->offset >= s->offset && n->offset - s->offset <= s->filesz &&
		    n->filesz <= s->filesz - (n->offset - s->offset)) {
			*phys = s->paddr + (n->offset - s->offset);
			return 0;
		}
	}
	return -1;
}

int pvh_find_entry(const void *notes, size_t len, uint32_t align, uint32_t *entry)
{
	const uint8_t *b = notes;
	uint64_t off = 0;

	if (align != 8)
		align = 4;
	while (len - off >= NOTE_HDR) {
		uint32_t namesz = (uint32_t)rd(b + off, 4), descsz = (uint32_t)rd(b + off + 4, 4);
		uint32_t type = (uint32_t)rd(b + off + 8, 4);
		uint64_t name = off + NOTE_HDR, desc = name + align_up(namesz, align);
		uint64_t next = desc + align_up(descsz, align);

		if (desc > len || descsz > len - desc) {
			dlog(LOG_ERR, "pvh: ELF note at offset %llx runs past the notes\n",
			     (unsigned long long)off);
			return -1;
		}
		if (namesz == 4 && !memcmp(b + name, "Xen", 4) && type == PVH_NOTE_PHYS32_ENTRY) {
			uint64_t e = descsz == 4 || descsz == 8 ? rd(b + desc, (int)descsz) : 0;

			if (!e || e >= FOUR_GIB) {
				dlog(LOG_ERR,
				     "pvh: PHYS32_ENTRY note (%u bytes) holds no 32-bit "
				     "entry\n",
				     descsz);
				return -1;
			}
			*entry = (uint32_t)e;
			return 0;
		}
		if (next >= len)
			break;
		off = next;
	}
	return 1;
}

int pvh_build_memmap(const struct e820_map *m, struct hvm_memmap_entry *out, int max)
{
	if (m->count > max)
		return -1;
	for (int i = 0; i < m->count; i++)
		out[i] = (struct hvm_memmap_entry){m->e[i].start, m->e[i].size, m->e[i].type, 0};
	return m->count;
}

void pvh_start_info_init(struct hvm_start_info *si, uint64_t cmdline, uint64_t rsdp,
			 uint64_t memmap, uint32_t nmemmap, uint64_t modlist, uint32_t nmod)
{
	memset(si, 0, sizeof(*si));
	si->magic = HVM_START_MAGIC;
	si->version = 1;
	si->cmdline_paddr = cmdline;
	si->rsdp_paddr = rsdp;
	si->memmap_paddr = memmap;
	si->memmap_entries = nmemmap;
	si->modlist_paddr = modlist;
	si->nr_modules = nmod;
}

int multiboot_fill_memory(struct multiboot_info *mbi, const struct e820_map *m,
			  struct multiboot_mmap_entry *mmap, int max, uint32_t mmap_phys)
{
	uint64_t lower = 0, upper = 0;

	if (m->count > max)
		return -1;
	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t end = e->start + e->size;

		mmap[i] = (struct multiboot_mmap_entry){20, e->start, e->size, e->type};
		if (e->type != E820_RAM)
			continue;
		if (e->start == 0)
			lower = end < 0xa0000 ? end : 0xa0000;
		if (e->start <= 0x100000 && end > 0x100000)
			upper = (end < FOUR_GIB ? end : FOUR_GIB) - 0x100000;
	}
	if (lower < 1024 || upper < 1024)
		return -1;
	mbi->mem_lower = (uint32_t)(lower >> 10);
	mbi->mem_upper = (uint32_t)(upper >> 10);
	mbi->mmap_addr = mmap_phys;
	mbi->mmap_length = (uint32_t)(m->count * sizeof(*mmap));
	mbi->flags |= MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_MMAP;
	return m->count;
}
