// SPDX-License-Identifier: MIT
/* S3 save area seal and check; FACS lookup and the waking-vector decision. */
#include <stddef.h>
#include <string.h>

#include "resume-save.h"

#define FACS_MIN_LEN	  64
#define FACS_OSPM_64BIT_F (1u << 0)
#define FADT_FACS32	  36
#define FADT_FACS64	  132
#define SDT_HEADER_LEN	  36

/* Little-endian load of n (<= 8) bytes. */
static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Continue FNV-1a hash h over len bytes. */
static uint32_t fnv1a(uint32_t h, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

uint32_t resume_save_sum(const struct resume_save *s)
{
	static const uint8_t zero[sizeof(s->checksum)];
	const uint8_t *b = (const uint8_t *)s;
	size_t at = offsetof(struct resume_save, checksum), after = at + sizeof(s->checksum);
	size_t lists = offsetof(struct resume_save, write_pointers);
	uint32_t h = 2166136261u;

	h = fnv1a(h, b, at);
	h = fnv1a(h, zero, sizeof(zero));
	h = fnv1a(h, b + after, lists - after);
	if (s->nr_write_pointers > TL_MAX_WRITE_POINTERS || s->nr_pci > RESUME_MAX_PCI)
		return h;
	h = fnv1a(h, (const uint8_t *)s->write_pointers,
		  s->nr_write_pointers * sizeof(s->write_pointers[0]));
	return fnv1a(h, (const uint8_t *)s->pci, s->nr_pci * sizeof(s->pci[0]));
}

void resume_save_seal(struct resume_save *s)
{
	memcpy(s->magic, RESUME_SAVE_MAGIC, sizeof(s->magic));
	s->version = RESUME_SAVE_VERSION;
	s->size = sizeof(*s);
	s->checksum = resume_save_sum(s);
}

const char *resume_save_check(const struct resume_save *s, uint32_t machine)
{
	if (memcmp(s->magic, RESUME_SAVE_MAGIC, sizeof(s->magic)) != 0)
		return "no signature";
	if (s->version != RESUME_SAVE_VERSION || s->size != sizeof(*s))
		return "written by another qvmloader version";
	if (s->nr_pci > RESUME_MAX_PCI || s->nr_write_pointers > TL_MAX_WRITE_POINTERS)
		return "counts out of range";
	if (resume_save_sum(s) != s->checksum)
		return "checksum mismatch";
	if (s->machine != machine)
		return "written on another machine type";
	return NULL;
}

enum resume_wake_mode resume_wake_vector(const uint8_t *facs, uint32_t len, uint64_t *vector)
{
	uint32_t facs_len;
	uint64_t x;

	*vector = 0;
	if (len < FACS_MIN_LEN || memcmp(facs, "FACS", 4) != 0)
		return WAKE_NONE;
	facs_len = (uint32_t)get_le(facs + 4, 4);
	if (facs_len < FACS_MIN_LEN)
		return WAKE_NONE;
	x = get_le(facs + 24, 8);
	if (x) {
		*vector = x;
		if (facs[32] >= 1 && get_le(facs + 36, 4) & FACS_OSPM_64BIT_F)
			return WAKE_LONG64;
		return x < (1ull << 32) ? WAKE_FLAT32 : WAKE_NONE;
	}
	*vector = get_le(facs + 12, 4);
	return *vector && *vector < (1u << 20) ? WAKE_REAL : WAKE_NONE;
}

/* The table at addr if its signature is sig and its length fits; *len gets the length. */
static const uint8_t *map_table(uint64_t addr, const char *sig, resume_map_fn map, void *ctx,
				uint32_t *len)
{
	const uint8_t *h = addr ? map(addr, SDT_HEADER_LEN, ctx) : NULL;

	if (!h || memcmp(h, sig, 4) != 0)
		return NULL;
	*len = (uint32_t)get_le(h + 4, 4);
	if (*len < SDT_HEADER_LEN || *len > (1u << 20))
		return NULL;
	return map(addr, *len, ctx);
}

uint64_t resume_find_facs(uint64_t rsdp_addr, resume_map_fn map, void *ctx)
{
	const uint8_t *rsdp = rsdp_addr ? map(rsdp_addr, 36, ctx) : NULL;
	const uint8_t *sdt, *fadt = NULL;
	uint32_t len, flen = 0;
	uint64_t root;
	int width;

	if (!rsdp || memcmp(rsdp, "RSD PTR ", 8) != 0)
		return 0;
	width = rsdp[15] >= 2 && get_le(rsdp + 24, 8) ? 8 : 4;
	root = width == 8 ? get_le(rsdp + 24, 8) : get_le(rsdp + 16, 4);
	sdt = map_table(root, width == 8 ? "XSDT" : "RSDT", map, ctx, &len);
	for (uint32_t off = SDT_HEADER_LEN; sdt && !fadt && off + (uint32_t)width <= len;
	     off += (uint32_t)width)
		fadt = map_table(get_le(sdt + off, width), "FACP", map, ctx, &flen);
	if (!fadt || flen < FADT_FACS32 + 4)
		return 0;
	if (flen >= FADT_FACS64 + 8 && get_le(fadt + FADT_FACS64, 8))
		return get_le(fadt + FADT_FACS64, 8);
	return get_le(fadt + FADT_FACS32, 4);
}
