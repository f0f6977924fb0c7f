// SPDX-License-Identifier: MIT
/* UEFIPAYLOAD.fd parsing and the checks of what the payload assumes about the machine. */
#include <string.h>

#include "log.h"
#include "uefi-fd.h"

#define FV_SIGNATURE	       0x4856465f /* "_FVH" */
#define FV_ATTR_ERASE_POLARITY 0x800
#define FFS_TYPE_SECURITY_CORE 0x03
#define FFS_ATTR_LARGE_FILE    0x01
#define SECTION_PE32	       0x10
#define SECTION_TE	       0x12
#define PE32_MAGIC	       0x10b
#define PE32PLUS_MAGIC	       0x20b
#define TE_HEADER_BYTES	       40
#define ACPI_HEADER_BYTES      36
#define ACPI_TABLE_MAX	       (1u << 20)
#define PAGE_MASK	       0xfffull

static const uint8_t guid_ffs2[16] = {0x78, 0xe5, 0x8c, 0x8c, 0x3d, 0x8a, 0x1c, 0x4f,
				      0x99, 0x35, 0x89, 0x61, 0x85, 0xc3, 0x2d, 0xd3};
static const uint8_t guid_ffs3[16] = {0x7a, 0xc0, 0x73, 0x54, 0xcb, 0x3d, 0xca, 0x4d,
				      0xbd, 0x6f, 0x1e, 0x96, 0x89, 0xe7, 0x34, 0x9a};

/* Little-endian loads from a byte buffer. */
static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* 32-bit little-endian load. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 64-bit little-endian load. */
static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* 24-bit little-endian load (FFS file and section sizes). */
static uint32_t rd24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* 1 for an FFS3 file system, 0 for FFS2, -1 for anything else. */
static int ffs_version(const uint8_t *fv)
{
	if (memcmp(fv + 16, guid_ffs2, 16) == 0)
		return 0;
	if (memcmp(fv + 16, guid_ffs3, 16) == 0)
		return 1;
	return -1;
}

bool uefi_fv_probe(const void *buf, size_t len)
{
	const uint8_t *fv = buf;

	return len >= UEFI_FV_HEADER_MIN && rd32(fv + 40) == FV_SIGNATURE && ffs_version(fv) >= 0;
}

/* Check the PE32/PE32+ image at fv[off, off+len) runs in place at load_base + off. */
static int parse_pe(const uint8_t *img, uint32_t len, uint32_t addr, struct uefi_fv_info *info)
{
	uint32_t pe, opt, optsize, rva, image_size;
	uint64_t base;
	uint16_t magic;

	if (len < 0x40)
		return -1;
	pe = rd32(img + 0x3c);
	if (pe > len - 24 || memcmp(img + pe, "PE\0\0", 4) != 0)
		return -1;
	info->machine = rd16(img + pe + 4);
	optsize = rd16(img + pe + 20);
	opt = pe + 24;
	if (optsize < 60 || optsize > len - opt)
		return -1;
	magic = rd16(img + opt);
	if (magic == PE32_MAGIC)
		base = rd32(img + opt + 28);
	else if (magic == PE32PLUS_MAGIC)
		base = rd64(img + opt + 24);
	else
		return -1;
	rva = rd32(img + opt + 16);
	image_size = rd32(img + opt + 56);
	if (base != addr) {
		dlog(LOG_ERR,
		     "uefi: SEC image linked for %llx but it sits at %x in the FD "
		     "loaded at the fixed base\n",
		     (unsigned long long)base, addr);
		return -2;
	}
	if (!rva || rva >= image_size || rva >= len) {
		dlog(LOG_ERR, "uefi: SEC entry point offset %x lies outside its %u-byte image\n",
		     rva, len);
		return -2;
	}
	info->image_base = (uint32_t)base;
	info->entry = (uint32_t)base + rva;
	info->te = false;
	return 0;
}

/* Check the TE image at img (len bytes, at addr once loaded) runs in place there. */
static int parse_te(const uint8_t *img, uint32_t len, uint32_t addr, struct uefi_fv_info *info)
{
	uint64_t base, header_at;
	uint32_t rva, stripped;

	if (len < TE_HEADER_BYTES)
		return -1;
	info->machine = rd16(img + 2);
	stripped = rd16(img + 6);
	rva = rd32(img + 8);
	base = rd64(img + 16);
	header_at = base + stripped - TE_HEADER_BYTES;
	if (stripped < TE_HEADER_BYTES || header_at != addr) {
		dlog(LOG_ERR,
		     "uefi: SEC TE image linked for %llx but it sits at %x in the FD "
		     "loaded at the fixed base\n",
		     (unsigned long long)header_at, addr);
		return -2;
	}
	if (rva < stripped || rva - stripped + TE_HEADER_BYTES >= len) {
		dlog(LOG_ERR, "uefi: SEC TE entry point offset %x lies outside its image\n", rva);
		return -2;
	}
	info->image_base = (uint32_t)base;
	info->entry = (uint32_t)(base + rva);
	info->te = true;
	return 0;
}

/* Find the PE32/TE section of the SEC file body fv[start, end). */
static int parse_sec_file(const uint8_t *fv, uint32_t start, uint32_t end, uint32_t load_base,
			  struct uefi_fv_info *info)
{
	uint32_t s = start;

	while (end - s >= 4) {
		uint32_t size = rd24(fv + s), hdr = 4;
		uint8_t type = fv[s + 3];
		int rc;

		if (size == 0xffffff) {
			if (end - s < 8)
				break;
			size = rd32(fv + s + 4);
			hdr = 8;
		}
		if (size < hdr || size > end - s) {
			dlog(LOG_ERR,
			     "uefi: SEC file has a section of %u bytes at %x that does "
			     "not fit\n",
			     size, s);
			return -1;
		}
		if (type == SECTION_PE32 || type == SECTION_TE) {
			const uint8_t *img = fv + s + hdr;
			uint32_t addr = load_base + s + hdr;

			rc = type == SECTION_PE32 ? parse_pe(img, size - hdr, addr, info)
						  : parse_te(img, size - hdr, addr, info);
			if (rc == -1)
				dlog(LOG_ERR, "uefi: SEC %s section at %x is malformed\n",
				     type == SECTION_PE32 ? "PE32" : "TE", s);
			if (rc)
				return -1;
			info->sec_offset = s + hdr;
			return 0;
		}
		if ((uint64_t)s + ((size + 3ull) & ~3ull) >= end)
			break;
		s += (size + 3) & ~3u;
	}
	dlog(LOG_ERR, "uefi: SEC file has no PE32 or TE section\n");
	return -1;
}

/* Offset of the first FFS file: after the header and the extended header, 8-aligned. */
static int files_start(const uint8_t *fv, uint32_t fv_len, uint32_t hlen, uint32_t *start)
{
	uint32_t ext = rd16(fv + 52), off = hlen;

	if (ext) {
		uint32_t ext_size;

		if (ext < hlen || ext > fv_len - 20)
			return -1;
		ext_size = rd32(fv + ext + 16);
		if (ext_size < 20 || ext_size > fv_len - ext)
			return -1;
		off = ext + ext_size;
	}
	*start = (off + 7) & ~7u;
	return 0;
}

/* True if all n bytes at p equal v. */
static bool all_bytes(const uint8_t *p, uint32_t n, uint8_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

int uefi_fv_parse(const void *buf, size_t len, uint32_t load_base, struct uefi_fv_info *info)
{
	const uint8_t *fv = buf;
	uint32_t hlen, fv_len, off;
	uint16_t sum = 0;
	uint8_t erased;
	int ffs3;

	memset(info, 0, sizeof(*info));
	if (!uefi_fv_probe(buf, len)) {
		dlog(LOG_ERR, "uefi: no FFS2/FFS3 firmware volume header at the start\n");
		return -1;
	}
	ffs3 = ffs_version(fv);
	hlen = rd16(fv + 48);
	info->fv_length = rd64(fv + 32);
	if (hlen < UEFI_FV_HEADER_MIN || (hlen & 1) || fv[55] != 2 || info->fv_length < hlen ||
	    info->fv_length > len) {
		dlog(LOG_ERR,
		     "uefi: firmware volume header: length %u, revision %u, volume "
		     "%llu bytes in a %u-byte image: invalid\n",
		     hlen, fv[55], (unsigned long long)info->fv_length, (unsigned int)len);
		return -1;
	}
	fv_len = (uint32_t)info->fv_length;
	for (uint32_t i = 0; i < hlen; i += 2)
		sum = (uint16_t)(sum + rd16(fv + i));
	if (sum) {
		dlog(LOG_ERR, "uefi: firmware volume header checksum is wrong\n");
		return -1;
	}
	if (files_start(fv, fv_len, hlen, &off)) {
		dlog(LOG_ERR, "uefi: firmware volume extended header is out of bounds\n");
		return -1;
	}
	erased = (rd32(fv + 44) & FV_ATTR_ERASE_POLARITY) ? 0xff : 0x00;
	while (off < fv_len && fv_len - off >= 24 && !all_bytes(fv + off, 24, erased)) {
		uint32_t size = rd24(fv + off + 20), hdr = 24;
		uint8_t type = fv[off + 18];

		if (ffs3 && (fv[off + 19] & FFS_ATTR_LARGE_FILE)) {
			if (fv_len - off < 32)
				break;
			size = rd32(fv + off + 24);
			hdr = 32;
		}
		if (size < hdr || size > fv_len - off) {
			dlog(LOG_ERR, "uefi: FFS file at %x claims %u bytes: volume corrupt\n", off,
			     size);
			return -1;
		}
		if (type == FFS_TYPE_SECURITY_CORE) {
			if (parse_sec_file(fv, off + hdr, off + size, load_base, info))
				return -1;
			if (info->machine != UEFI_PE_MACHINE_IA32) {
				dlog(LOG_ERR,
				     "uefi: SEC is built for PE machine %x, not IA32: "
				     "qvmloader enters SEC in 32-bit mode (build with "
				     "-a IA32 -a X64)\n",
				     info->machine);
				return -1;
			}
			return 0;
		}
		off += size;
		off = off > fv_len - 7 ? fv_len : (off + 7) & ~7u;
	}
	dlog(LOG_ERR, "uefi: firmware volume has no SEC core file\n");
	return -1;
}

void uefi_fixed_ranges(uint32_t fd_size, struct uefi_fixed *fx)
{
	fx->fd_start = UEFI_FD_BASE;
	fx->fd_end = (uint64_t)UEFI_FD_BASE + fd_size;
	fx->work_start = (fx->fd_end + 0xfffff) & ~0xfffffull;
	fx->work_end = fx->work_start + UEFI_WORK_SIZE;
}

/* Check one fixed range is RAM and clear of busy ranges; what names it in messages. */
static int check_range(uint64_t start, uint64_t end, const char *what, const struct e820_map *map,
		       const struct busy_range *busy, int nbusy)
{
	uint64_t ram_top = e820_ram_top_below(map, 1ull << 32);

	if (ram_top < end) {
		dlog(LOG_ERR,
		     "uefi: the payload uses %llx-%llx (%s) without asking, but RAM below "
		     "4 GiB ends at %llx (%llu MiB): the guest needs more than %llu MiB "
		     "of RAM for UEFI; not booting the payload\n",
		     (unsigned long long)start, (unsigned long long)(end - 1), what,
		     (unsigned long long)ram_top, (unsigned long long)(ram_top >> 20),
		     (unsigned long long)(end >> 20));
		return -1;
	}
	if (!e820_covered(map, start, end - start, E820_RAM)) {
		for (int i = 0; i < map->count; i++) {
			const struct e820_entry *e = &map->e[i];

			if (e->type != E820_RAM && e->start < end && e->start + e->size > start)
				dlog(LOG_ERR,
				     "uefi: the payload uses %llx-%llx (%s) without "
				     "asking, but %llx-%llx in it is %s; not booting the "
				     "payload\n",
				     (unsigned long long)start, (unsigned long long)(end - 1), what,
				     (unsigned long long)e->start,
				     (unsigned long long)(e->start + e->size - 1),
				     e820_type_name(e->type));
		}
		dlog(LOG_ERR, "uefi: %llx-%llx (%s) is not all RAM; not booting the payload\n",
		     (unsigned long long)start, (unsigned long long)(end - 1), what);
		return -1;
	}
	for (int i = 0; i < nbusy; i++) {
		if (busy[i].start < end && busy[i].end > start) {
			dlog(LOG_ERR,
			     "uefi: the payload uses %llx-%llx (%s) without asking, but "
			     "the loader's %s is at %llx-%llx; not booting the payload\n",
			     (unsigned long long)start, (unsigned long long)(end - 1), what,
			     busy[i].what, (unsigned long long)busy[i].start,
			     (unsigned long long)(busy[i].end - 1));
			return -1;
		}
	}
	return 0;
}

int uefi_check_fixed(const struct uefi_fixed *fx, const struct e820_map *map,
		     const struct busy_range *busy, int nbusy)
{
	if (check_range(fx->fd_start, fx->fd_end, "firmware device image", map, busy, nbusy))
		return -1;
	return check_range(fx->work_start, fx->work_end, "HOB and DXE core area", map, busy, nbusy);
}

int uefi_align_map(const struct e820_map *in, struct e820_map *out)
{
	e820_init(out);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < in->count; i++) {
			const struct e820_entry *e = &in->e[i];
			uint64_t s, last;

			if (!e->size || (pass == 0) != (e->type == E820_RAM))
				continue;
			if (e->type == E820_RAM) {
				s = (e->start + PAGE_MASK) & ~PAGE_MASK;
				last = ((e->start + e->size) & ~PAGE_MASK) - 1;
				if (s < e->start || last + 1 <= s)
					continue;
			} else {
				s = e->start & ~PAGE_MASK;
				last = (e->start + e->size - 1) | PAGE_MASK;
			}
			if (e820_add(out, s, last - s + 1, e->type))
				return -1;
		}
	}
	return 0;
}

/* Map an ACPI table at addr: header, sane length and checksum. Returns it or NULL. */
static const uint8_t *map_table(const struct phys_view *mem, uint64_t addr, uint32_t *len)
{
	const uint8_t *t = mem->map(mem->ctx, addr, ACPI_HEADER_BYTES);
	uint8_t sum = 0;

	if (!t)
		return NULL;
	*len = rd32(t + 4);
	if (*len < ACPI_HEADER_BYTES || *len > ACPI_TABLE_MAX)
		return NULL;
	t = mem->map(mem->ctx, addr, *len);
	if (!t)
		return NULL;
	for (uint32_t i = 0; i < *len; i++)
		sum = (uint8_t)(sum + t[i]);
	if (sum) {
		dlog(LOG_ERR, "uefi: ACPI table %.4s at %llx has a bad checksum\n", (const char *)t,
		     (unsigned long long)addr);
		return NULL;
	}
	return t;
}

/* Look through the RSDT (entry 4 bytes) or XSDT (8) at addr for FACP and MCFG. */
static void search_sdt(const struct phys_view *mem, uint64_t addr, uint32_t entry,
		       struct uefi_acpi_info *info)
{
	uint32_t len;
	const uint8_t *sdt = map_table(mem, addr, &len);

	if (!sdt) {
		dlog(LOG_ERR, "uefi: %s at %llx is unreadable or invalid\n",
		     entry == 4 ? "RSDT" : "XSDT", (unsigned long long)addr);
		return;
	}
	for (uint32_t off = ACPI_HEADER_BYTES; len - off >= entry; off += entry) {
		uint64_t p = entry == 4 ? rd32(sdt + off) : rd64(sdt + off);
		const uint8_t *sig = mem->map(mem->ctx, p, 4);

		if (!sig)
			continue;
		if (memcmp(sig, "FACP", 4) == 0 && !info->fadt)
			info->fadt = p;
		if (memcmp(sig, "MCFG", 4) == 0 && !info->mcfg)
			info->mcfg = p;
	}
}

/* Check the FADT fields the payload's timer, reset and power code read (RESET_REG only in a
 * revision 2+ FADT). */
static int check_fadt(const struct phys_view *mem, uint64_t addr)
{
	static const struct {
		uint32_t off;
		const char *name;
	} need[] = {
		{56, "PM1a_EVT_BLK"}, {64, "PM1a_CNT_BLK"}, {76, "PM_TMR_BLK"},
		{80, "GPE0_BLK"},     {120, "RESET_REG"},
	};
	uint32_t len;
	const uint8_t *f = map_table(mem, addr, &len);

	unsigned int n = sizeof(need) / sizeof(need[0]);

	if (!f || len < 116) {
		dlog(LOG_ERR, "uefi: FADT at %llx is invalid or too short (%u bytes)\n",
		     (unsigned long long)addr, f ? len : 0);
		return -1;
	}
	/* Revision 1 (pc) has no RESET_REG: the payload then resets through port 0xcf9. */
	if (len < 129)
		n--;
	for (unsigned int i = 0; i < n; i++) {
		if (!rd32(f + need[i].off)) {
			dlog(LOG_ERR,
			     "uefi: FADT %s is 0: the payload's ACPI timer, power and "
			     "reset code needs it\n",
			     need[i].name);
			return -1;
		}
	}
	return 0;
}

int uefi_check_acpi(const struct phys_view *mem, uint64_t rsdp, struct uefi_acpi_info *info)
{
	const uint8_t *r = rsdp ? mem->map(mem->ctx, rsdp, 20) : NULL;
	const uint8_t *m;
	uint8_t sum = 0;
	uint32_t len;

	memset(info, 0, sizeof(*info));
	if (r)
		for (int i = 0; i < 20; i++)
			sum = (uint8_t)(sum + r[i]);
	if (!r || memcmp(r, "RSD PTR ", 8) != 0 || sum) {
		dlog(LOG_ERR, "uefi: no valid ACPI RSDP at %llx: the payload needs ACPI\n",
		     (unsigned long long)rsdp);
		return -1;
	}
	if (rd32(r + 16))
		search_sdt(mem, rd32(r + 16), 4, info);
	if ((!info->fadt || !info->mcfg) && r[15] >= 2) {
		const uint8_t *r2 = mem->map(mem->ctx, rsdp, 36);

		if (r2 && rd64(r2 + 24))
			search_sdt(mem, rd64(r2 + 24), 8, info);
	}
	if (!info->fadt) {
		dlog(LOG_ERR, "uefi: ACPI has no FADT (FACP): the payload cannot run without it\n");
		return -1;
	}
	if (check_fadt(mem, info->fadt))
		return -1;
	if (!info->mcfg)
		return 0;
	m = map_table(mem, info->mcfg, &len);
	if (!m || len < 44 + 16 || !rd64(m + 44)) {
		dlog(LOG_ERR, "uefi: MCFG at %llx has no usable allocation\n",
		     (unsigned long long)info->mcfg);
		return -1;
	}
	info->ecam_base = rd64(m + 44);
	info->ecam_end_bus = m[55];
	return 0;
}
