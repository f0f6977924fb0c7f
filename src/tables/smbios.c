// SPDX-License-Identifier: MIT
/*
 * SMBIOS tables.
 *
 * Modern path: QEMU's etc/smbios/smbios-tables is walked with bounds checks,
 * copied with a Type 0 in front when QEMU supplied none, and the anchor from
 * etc/smbios/smbios-anchor gets the address, sizes and checksums.
 *
 * Synthesized Type 0 (2.4 layout, 0x18 bytes): vendor "qvmloader", the given
 * version and date, segment 0xE800, ROM size from the image size. The
 * characteristics qword only sets bit 3 ("BIOS characteristics not
 * supported"): INT 13h/INT 10h/boot features belong to the payload (SeaBIOS,
 * UEFI), which qvmloader cannot vouch for. Extension byte 1 bit 0 = ACPI
 * supported when the caller installs ACPI; extension byte 2 sets bit 2
 * (targeted content distribution: QEMU's Type 1 identifies the machine) and
 * bit 4 (the table describes a virtual machine). EC release is 0xFF.0xFF
 * (no embedded controller firmware).
 *
 * Legacy path (fw_cfg key 0x8001, machines pc-i440fx-2.0 and older): the blob
 * is `u16 n` then n entries `{u16 len incl. this 3-byte header; u8 kind; ...}`,
 * kind 0 = field `{u8 type; u16 offset; data}` for Type 0/1, kind 1 = a raw
 * structure. A raw structure of a type replaces the built one(s) of that
 * type; raw structures of other types go before Type 127. Built structures
 * get sequential handles from 0 that no raw structure uses.
 */
#include <string.h>

#include "log.h"
#include "smbios.h"

#define KIND_FIELD	 0
#define KIND_TABLE	 1
#define LEGACY_HDR	 3
#define INT_MAX_BYTES	 0x7fffffffu
#define CHAR_UNSUPPORTED (1u << 3)
#define EXT1_ACPI	 0x01
#define EXT2_TCD	 0x04
#define EXT2_VM		 0x10
#define DIMM_BYTES	 (16ull << 30)
#define MAX_FMT		 0x28

static const char vendor[] = "qvmloader";
static const char qemu[] = "QEMU";

/* Size of the structure at pos (formatted part plus strings), or 0 with *why set. */
static size_t struct_size(const uint8_t *b, size_t len, size_t pos, const char **why)
{
	size_t i;

	if (len - pos < sizeof(struct smbios_header)) {
		*why = "truncated header";
		return 0;
	}
	if (b[pos + 1] < sizeof(struct smbios_header)) {
		*why = "formatted length below 4";
		return 0;
	}
	if (b[pos + 1] > len - pos) {
		*why = "formatted part runs past the end";
		return 0;
	}
	for (i = pos + b[pos + 1]; i + 1 < len; i++) {
		if (!b[i] && !b[i + 1])
			return i + 2 - pos;
	}
	*why = "string set has no double-NUL terminator";
	return 0;
}

/* Walk every structure from pos up to type 127 (or the end), checking bounds, without logging.
 * On failure returns SMBIOS_ERR with the offset of the bad structure in *bad and the reason
 * in *why. *scanned grows by the bytes examined. */
static int walk_from(const uint8_t *b, size_t len, size_t pos, struct smbios_table_info *info,
		     size_t *bad, const char **why, size_t *scanned)
{
	memset(info, 0, sizeof(*info));
	while (pos < len) {
		size_t n = struct_size(b, len, pos, why);
		uint16_t handle;

		*scanned += n ? n : len - pos;
		if (!n) {
			*bad = pos;
			return SMBIOS_ERR;
		}
		handle = (uint16_t)(b[pos + 2] | b[pos + 3] << 8);
		if (!info->count || handle > info->max_handle)
			info->max_handle = handle;
		if (n > info->max_size)
			info->max_size = n;
		info->has_type0 |= b[pos] == SMBIOS_TYPE_BIOS;
		info->count++;
		pos += n;
		if (b[pos - n] == SMBIOS_TYPE_END) {
			info->has_end = true;
			break;
		}
	}
	info->length = pos;
	return 0;
}

int smbios_walk(const void *blob, size_t len, struct smbios_table_info *info)
{
	const char *why = "";
	size_t bad = 0, scanned = 0;

	if (!len || len > INT_MAX_BYTES) {
		memset(info, 0, sizeof(*info));
		dlog(LOG_ERR, "smbios: structure table of %u bytes rejected\n", (unsigned int)len);
		return SMBIOS_ERR;
	}
	if (walk_from(blob, len, 0, info, &bad, &why, &scanned)) {
		dlog(LOG_ERR, "smbios: structure %u at offset %u: %s; table rejected\n",
		     info->count, (unsigned int)bad, why);
		return SMBIOS_ERR;
	}
	if (info->length < len)
		dlog(LOG_DEBUG, "smbios: %u bytes after the end-of-table structure dropped\n",
		     (unsigned int)(len - info->length));
	return 0;
}

/* Bytes the salvage search may examine before it gives up (bounds its time). */
#define SALVAGE_BUDGET (16u << 20)

/* Structures in the valid chain [from, end) of a type SMBIOS 3.x defines (0-46, 126, 127) or
 * an OEM type, numbered the way QEMU numbers its own (handle high byte = type). */
static unsigned int qemu_numbered(const uint8_t *b, size_t from, size_t end)
{
	const char *why;
	unsigned int k = 0;
	size_t n;

	for (; from < end && (n = struct_size(b, end, from, &why)) != 0; from += n)
		k += b[from + 3] == b[from] && (b[from] <= 46 || b[from] >= 126);
	return k;
}

int smbios_salvage(void *blob, size_t len)
{
	struct smbios_table_info info;
	uint8_t *b = blob;
	const char *why = "", *tail_why;
	size_t bad = 0, scanned = 0, tail_bad, q, best = 0, best_end = 0, keep = 0;
	unsigned int best_score = 0, best_count = 0, kept = 0;

	if (!len || len > INT_MAX_BYTES)
		return SMBIOS_ERR;
	if (!walk_from(b, len, 0, &info, &bad, &why, &scanned))
		return (int)len;
	/* QEMU's own structures follow the user's -smbios file= blobs: find the offset from which
	 * whole structures run to the end-of-table structure and look most like QEMU's (then the
	 * fewest others, then the earliest). */
	for (q = 1; q < len && scanned < SALVAGE_BUDGET; q++) {
		unsigned int score;

		if (walk_from(b, len, q, &info, &tail_bad, &tail_why, &scanned) || !info.has_end)
			continue;
		score = qemu_numbered(b, q, info.length);
		if (!best || score > best_score ||
		    (score == best_score && info.count < best_count)) {
			best = q;
			best_end = info.length;
			best_score = score;
			best_count = info.count;
		}
	}
	if (!best || scanned >= SALVAGE_BUDGET) {
		dlog(LOG_ERR,
		     "smbios: structure at offset %u: %s, and no intact structures follow\n",
		     (unsigned int)bad, why);
		return SMBIOS_ERR;
	}
	/* Keep the whole structures before it as well. */
	while (keep < best) {
		size_t n = struct_size(b, len, keep, &tail_why);

		if (!n || keep + n > best)
			break;
		keep += n;
		kept++;
	}
	dlog(LOG_ERR,
	     "smbios: structure at offset %u: %s; dropped bytes %u-%u, kept %u structures "
	     "before and %u after\n",
	     (unsigned int)bad, why, (unsigned int)keep, (unsigned int)(best - 1), kept,
	     best_count);
	memmove(b + keep, b + best, best_end - best);
	return (int)(keep + best_end - best);
}

struct writer {
	uint8_t *buf;
	size_t size;
	size_t pos;
	bool full;
};

/* Append n bytes, or mark the writer full. */
static void w_bytes(struct writer *w, const void *p, size_t n)
{
	if (w->full || n > w->size - w->pos) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->pos, p, n);
	w->pos += n;
}

/* Append a structure: fmt (length in fmt[1]) and the strings whose index goes to fmt[off[i]]. */
static void w_struct(struct writer *w, uint8_t *fmt, const char *const *str, const uint8_t *off,
		     unsigned int nstr)
{
	static const uint8_t nul2[2];
	unsigned int i;
	uint8_t idx = 0;

	for (i = 0; i < nstr; i++)
		fmt[off[i]] = (str[i] && str[i][0]) ? ++idx : 0;
	w_bytes(w, fmt, fmt[1]);
	for (i = 0; i < nstr; i++) {
		if (str[i] && str[i][0])
			w_bytes(w, str[i], strlen(str[i]) + 1);
	}
	w_bytes(w, nul2, idx ? 1 : 2);
}

/* Store v little-endian in n bytes at p. */
static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

/* Start a formatted area: zeroed, with the header filled in. */
static void fmt_init(uint8_t *fmt, uint8_t type, uint8_t len, uint16_t handle)
{
	memset(fmt, 0, MAX_FMT);
	fmt[0] = type;
	fmt[1] = len;
	put_le(fmt + 2, handle, 2);
}

static const uint8_t type0_str_off[] = {0x04, 0x05, 0x08};

/* Formatted part of the synthesized Type 0. */
static void type0_fmt(uint8_t *fmt, const struct smbios_type0_info *t0, uint16_t handle)
{
	uint32_t blocks = t0->rom_bytes >> 16;

	fmt_init(fmt, SMBIOS_TYPE_BIOS, SMBIOS_TYPE0_LEN, handle);
	put_le(fmt + 0x06, SMBIOS_BIOS_SEGMENT, 2);
	fmt[0x09] = (uint8_t)(blocks == 0 ? 0 : (blocks > 0x100 ? 0xff : blocks - 1));
	put_le(fmt + 0x0a, CHAR_UNSUPPORTED, 8);
	fmt[0x12] = t0->acpi ? EXT1_ACPI : 0;
	fmt[0x13] = EXT2_TCD | EXT2_VM;
	fmt[0x14] = t0->major;
	fmt[0x15] = t0->minor;
	fmt[0x16] = 0xff;
	fmt[0x17] = 0xff;
}

/* Write the Type 0 structure for t0. */
int smbios_build_type0(const struct smbios_type0_info *t0, uint16_t handle, void *buf, size_t size)
{
	struct writer w = {buf, size, 0, false};
	const char *str[3] = {vendor, t0->version, t0->date};
	uint8_t fmt[MAX_FMT];

	type0_fmt(fmt, t0, handle);
	w_struct(&w, fmt, str, type0_str_off, 3);
	return w.full ? SMBIOS_ERR : (int)w.pos;
}

/* True if a structure in the (valid) blob has handle h. */
static bool handle_used(const uint8_t *b, size_t len, uint16_t h)
{
	const char *why;
	size_t pos = 0, n;

	while (pos < len && (n = struct_size(b, len, pos, &why)) != 0) {
		if ((b[pos + 2] | b[pos + 3] << 8) == h)
			return true;
		pos += n;
	}
	return false;
}

/* A handle no structure of the blob uses: 0 if free, else above the highest. */
static uint16_t free_handle(const uint8_t *b, const struct smbios_table_info *info)
{
	uint16_t h;

	if (!handle_used(b, info->length, 0))
		return 0;
	if (info->max_handle < 0xfeff)
		return (uint16_t)(info->max_handle + 1);
	for (h = 1; h < 0xfeff && handle_used(b, info->length, h); h++)
		;
	return h;
}

/* Copy the blob after an optional new Type 0 and describe the result. */
int smbios_install(const void *tables, size_t len, const struct smbios_type0_info *t0, void *out,
		   size_t size, struct smbios_table_info *info)
{
	struct smbios_table_info src;
	int n = 0;

	if (smbios_walk(tables, len, &src))
		return SMBIOS_ERR;
	if (!src.has_type0) {
		n = smbios_build_type0(t0, free_handle(tables, &src), out, size);
		if (n < 0) {
			dlog(LOG_ERR,
			     "smbios: %u-byte buffer too small for a Type 0: not installed\n",
			     (unsigned int)size);
			return SMBIOS_ERR;
		}
	}
	if (src.length > size - (size_t)n || src.length + (size_t)n > INT_MAX_BYTES) {
		dlog(LOG_ERR, "smbios: tables need %u bytes, buffer has %u: not installed\n",
		     (unsigned int)(src.length + (size_t)n), (unsigned int)size);
		return SMBIOS_ERR;
	}
	memcpy((uint8_t *)out + n, tables, src.length);
	if (smbios_walk(out, (size_t)n + src.length, info))
		return SMBIOS_ERR;
	dlog(LOG_DEBUG, "smbios: %u structures, %u bytes%s\n", info->count,
	     (unsigned int)info->length, n ? ", Type 0 added" : "");
	return (int)info->length;
}

/* Byte sum of len bytes. */
static uint8_t byte_sum(const uint8_t *b, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s;
}

/* Blank 2.1 entry point with both anchors and the version. */
void smbios_ep21_init(void *ep, uint8_t major, uint8_t minor)
{
	struct smbios_ep21 e;

	memset(&e, 0, sizeof(e));
	memcpy(e.anchor, "_SM_", 4);
	e.length = SMBIOS_EP21_LEN;
	e.major = major;
	e.minor = minor;
	memcpy(e.ianchor, "_DMI_", 5);
	e.bcd_revision = (uint8_t)((major & 0xf) << 4 | (minor & 0xf));
	memcpy(ep, &e, sizeof(e));
}

/* Fill in a 2.1 entry point; 0 or SMBIOS_ERR when the table exceeds its fields. */
static int fix_ep21(uint8_t *b, const struct smbios_table_info *info, uint64_t addr)
{
	struct smbios_ep21 e;

	if (info->length > 0xffff || info->count > 0xffff || info->max_size > 0xffff ||
	    addr + info->length > 0x100000000ull) {
		dlog(LOG_ERR,
		     "smbios: %u bytes, %u structures at %llx do not fit a 2.1 entry point: "
		     "not installed\n",
		     (unsigned int)info->length, info->count, (unsigned long long)addr);
		return SMBIOS_ERR;
	}
	memcpy(&e, b, sizeof(e));
	e.max_struct_size = (uint16_t)info->max_size;
	e.table_length = (uint16_t)info->length;
	e.table_addr = (uint32_t)addr;
	e.struct_count = (uint16_t)info->count;
	e.checksum = 0;
	e.ichecksum = 0;
	memcpy(b, &e, sizeof(e));
	b[offsetof(struct smbios_ep21, ichecksum)] = (uint8_t)-byte_sum(b + 0x10, 0x0f);
	b[offsetof(struct smbios_ep21, checksum)] = (uint8_t)-byte_sum(b, SMBIOS_EP21_LEN);
	return SMBIOS_EP_21;
}

/* Recognize the anchor kind and fill it in. */
int smbios_fix_entry_point(void *ep, size_t len, const struct smbios_table_info *info,
			   uint64_t addr)
{
	uint8_t *b = ep;
	struct smbios_ep30 e;

	if (len == SMBIOS_EP21_LEN && !memcmp(b, "_SM_", 4) && !memcmp(b + 0x10, "_DMI_", 5) &&
	    b[offsetof(struct smbios_ep21, length)] == SMBIOS_EP21_LEN)
		return fix_ep21(b, info, addr);
	if (len != SMBIOS_EP30_LEN || memcmp(b, "_SM3_", 5) != 0 ||
	    b[offsetof(struct smbios_ep30, length)] != SMBIOS_EP30_LEN) {
		dlog(LOG_ERR,
		     "smbios: %u-byte anchor is neither a 2.1 nor a 3.0 entry point: "
		     "SMBIOS not installed\n",
		     (unsigned int)len);
		return SMBIOS_ERR;
	}
	memcpy(&e, b, sizeof(e));
	e.table_max_size = (uint32_t)info->length;
	e.table_addr = addr;
	e.checksum = 0;
	memcpy(b, &e, sizeof(e));
	b[offsetof(struct smbios_ep30, checksum)] = (uint8_t)-byte_sum(b, SMBIOS_EP30_LEN);
	return SMBIOS_EP_30;
}

struct legacy_entry {
	uint8_t kind;
	uint8_t type;
	uint16_t offset; /* fields only */
	const uint8_t *data;
	size_t len;
};

struct legacy_iter {
	const uint8_t *b;
	size_t len;
	size_t pos;
	unsigned int index;
	unsigned int total;
};

/* Start iterating a legacy blob; 0 or SMBIOS_ERR if it has no count. */
static int legacy_start(struct legacy_iter *it, const void *blob, size_t len)
{
	it->b = blob;
	it->len = len;
	it->pos = 2;
	it->index = 0;
	if (!blob || len < 2) {
		dlog(LOG_ERR, "smbios: legacy blob of %u bytes has no entry count\n",
		     (unsigned int)len);
		return SMBIOS_ERR;
	}
	it->total = (unsigned int)(it->b[0] | it->b[1] << 8);
	return 0;
}

/* Read the next entry: 1 if read, 0 at the end, SMBIOS_ERR (logged) if malformed. */
static int legacy_next(struct legacy_iter *it, struct legacy_entry *e)
{
	const char *why = NULL;
	struct smbios_table_info ti;
	size_t elen;

	if (it->index == it->total)
		return 0;
	if (it->len - it->pos < LEGACY_HDR) {
		why = "truncated header";
		goto bad;
	}
	elen = (size_t)(it->b[it->pos] | it->b[it->pos + 1] << 8);
	if (elen < LEGACY_HDR || elen > it->len - it->pos) {
		why = "length out of bounds";
		goto bad;
	}
	e->kind = it->b[it->pos + 2];
	e->data = it->b + it->pos + LEGACY_HDR;
	e->len = elen - LEGACY_HDR;
	if (e->kind == KIND_FIELD) {
		if (e->len < 4) {
			why = "field without data";
			goto bad;
		}
		e->type = e->data[0];
		e->offset = (uint16_t)(e->data[1] | e->data[2] << 8);
		e->data += 3;
		e->len -= 3;
	} else if (e->kind == KIND_TABLE) {
		if (smbios_walk(e->data, e->len, &ti) || ti.count != 1 || ti.length != e->len) {
			why = "not exactly one well-formed structure";
			goto bad;
		}
		e->type = e->data[0];
		e->offset = 0;
	} else {
		why = "unknown kind";
		goto bad;
	}
	it->pos += elen;
	it->index++;
	return 1;
bad:
	dlog(LOG_ERR, "smbios: legacy entry %u of %u at offset %u: %s; legacy tables rejected\n",
	     it->index, it->total, (unsigned int)it->pos, why);
	return SMBIOS_ERR;
}

/* Validate the whole legacy blob and count fields and tables. */
int smbios_legacy_parse(const void *blob, size_t len, struct smbios_legacy_summary *sum)
{
	struct legacy_iter it;
	struct legacy_entry e;
	int r;

	memset(sum, 0, sizeof(*sum));
	if (legacy_start(&it, blob, len))
		return SMBIOS_ERR;
	while ((r = legacy_next(&it, &e)) > 0) {
		if (e.kind == KIND_FIELD)
			sum->fields++;
		else
			sum->tables++;
	}
	return r;
}

/* Append every raw legacy structure of type; return how many, and the first one's handle. */
static unsigned int emit_raw_first(struct writer *w, const struct smbios_legacy_input *in,
				   uint8_t type, uint16_t *first)
{
	struct legacy_iter it;
	struct legacy_entry e;
	unsigned int n = 0;

	legacy_start(&it, in->blob, in->len);
	while (legacy_next(&it, &e) > 0) {
		if (e.kind == KIND_TABLE && e.type == type) {
			if (!n)
				*first = (uint16_t)(e.data[2] | e.data[3] << 8);
			w_bytes(w, e.data, e.len);
			n++;
		}
	}
	return n;
}

/* Append every raw legacy structure of type; return how many. */
static unsigned int emit_raw(struct writer *w, const struct smbios_legacy_input *in, uint8_t type)
{
	uint16_t first;

	return emit_raw_first(w, in, type, &first);
}

/* True if a raw legacy structure uses handle h. */
static bool raw_handle_used(const struct smbios_legacy_input *in, uint16_t h)
{
	struct legacy_iter it;
	struct legacy_entry e;

	legacy_start(&it, in->blob, in->len);
	while (legacy_next(&it, &e) > 0) {
		if (e.kind == KIND_TABLE && (e.data[2] | e.data[3] << 8) == h)
			return true;
	}
	return false;
}

/* Next handle for a built structure that no raw structure uses. */
static uint16_t alloc_handle(const struct smbios_legacy_input *in, uint16_t *next)
{
	while (*next < 0xfeff && raw_handle_used(in, *next))
		(*next)++;
	return (*next)++;
}

/* Apply legacy fields of type to a structure being built. */
static void apply_fields(const struct smbios_legacy_input *in, uint8_t type, uint8_t *fmt,
			 const char **str, const uint8_t *off, unsigned int nstr)
{
	struct legacy_iter it;
	struct legacy_entry e;
	unsigned int i;

	legacy_start(&it, in->blob, in->len);
	while (legacy_next(&it, &e) > 0) {
		bool done = false;

		if (e.kind != KIND_FIELD || e.type != type)
			continue;
		for (i = 0; i < nstr && !done; i++) {
			if (off[i] != e.offset)
				continue;
			done = true;
			if (strnlen((const char *)e.data, e.len) < e.len)
				str[i] = (const char *)e.data;
			else
				dlog(LOG_ERR,
				     "smbios: legacy string field %u/%x lacks a NUL: "
				     "ignored\n",
				     type, e.offset);
		}
		if (done)
			continue;
		if (e.offset >= sizeof(struct smbios_header) && e.len <= fmt[1] &&
		    e.offset <= fmt[1] - e.len)
			memcpy(fmt + e.offset, e.data, e.len);
		else
			dlog(LOG_ERR,
			     "smbios: legacy field %u/%x (%u bytes) is outside the "
			     "structure: ignored\n",
			     type, e.offset, (unsigned int)e.len);
	}
}

/* prefix followed by decimal n, in buf (16 bytes). */
static const char *numbered(char *buf, const char *prefix, unsigned int n)
{
	char digits[12];
	size_t len = strlen(prefix), i = 0;

	do {
		digits[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	memcpy(buf, prefix, len);
	while (i)
		buf[len++] = digits[--i];
	buf[len] = 0;
	return buf;
}

/* Build the Type 0 and Type 1 structures with the legacy fields applied. */
static void build_type0_1(struct writer *w, const struct smbios_legacy_input *in, uint16_t *next)
{
	static const uint8_t t1_off[] = {0x04, 0x05, 0x06, 0x07, 0x19, 0x1a};
	const char *t0_str[3] = {vendor, in->type0->version, in->type0->date};
	const char *t1_str[6] = {qemu, "Standard PC (i440FX + PIIX, 1996)"};
	uint8_t fmt[MAX_FMT];

	if (!emit_raw(w, in, 0)) {
		type0_fmt(fmt, in->type0, alloc_handle(in, next));
		apply_fields(in, 0, fmt, t0_str, type0_str_off, 3);
		w_struct(w, fmt, t0_str, type0_str_off, 3);
	}
	if (!emit_raw(w, in, 1)) {
		fmt_init(fmt, 1, 0x1b, alloc_handle(in, next));
		fmt[0x18] = 0x06; /* wake-up: power switch */
		apply_fields(in, 1, fmt, t1_str, t1_off, 6);
		w_struct(w, fmt, t1_str, t1_off, 6);
	}
}

/* Build Types 3 and 4 (one per CPU). */
static void build_type3_4(struct writer *w, const struct smbios_legacy_input *in, uint16_t *next)
{
	static const uint8_t t3_off[] = {0x04, 0x06, 0x07, 0x08};
	static const uint8_t t4_off[] = {0x04, 0x07, 0x10, 0x20, 0x21, 0x22};
	const char *t3_str[4] = {qemu};
	const char *t4_str[6] = {NULL, qemu};
	uint8_t fmt[MAX_FMT];
	char name[16];
	unsigned int i;

	if (!emit_raw(w, in, 3)) {
		fmt_init(fmt, 3, 0x15, alloc_handle(in, next));
		fmt[0x05] = 0x01; /* other */
		fmt[0x09] = 0x03; /* safe */
		fmt[0x0a] = 0x03;
		fmt[0x0b] = 0x03;
		fmt[0x0c] = 0x02; /* unknown */
		w_struct(w, fmt, t3_str, t3_off, 4);
	}
	if (emit_raw(w, in, 4))
		return;
	for (i = 0; i < in->cpu_count && !w->full; i++) {
		fmt_init(fmt, 4, 0x23, alloc_handle(in, next));
		fmt[0x05] = 0x03; /* central processor */
		fmt[0x06] = 0x01; /* other */
		put_le(fmt + 0x08, in->cpuid_eax | (uint64_t)in->cpuid_edx << 32, 8);
		put_le(fmt + 0x14, 2000, 2);
		put_le(fmt + 0x16, 2000, 2);
		fmt[0x18] = 0x41; /* populated, enabled */
		fmt[0x19] = 0x01;
		put_le(fmt + 0x1a, 0xffffffffffffull, 6);
		t4_str[0] = numbered(name, "CPU ", i);
		w_struct(w, fmt, t4_str, t4_off, 6);
	}
}

/* Build one Type 19 for [start, start + size). */
static void build_type19(struct writer *w, const struct smbios_legacy_input *in, uint16_t *next,
			 uint16_t array, uint64_t start, uint64_t size)
{
	static const char *const none[1];
	static const uint8_t no_off[1] = {0x04};
	uint64_t end = start + size - 1;
	uint8_t fmt[MAX_FMT];

	fmt_init(fmt, 19, 0x0f, alloc_handle(in, next));
	if ((end >> 10) < 0xffffffffull) {
		put_le(fmt + 0x04, start >> 10, 4);
		put_le(fmt + 0x08, end >> 10, 4);
	} else {
		fmt[1] = 0x1f;
		put_le(fmt + 0x04, 0xffffffffull, 4);
		put_le(fmt + 0x08, 0xffffffffull, 4);
		put_le(fmt + 0x0f, start, 8);
		put_le(fmt + 0x17, end, 8);
	}
	put_le(fmt + 0x0c, array, 2);
	fmt[0x0e] = 1;
	w_struct(w, fmt, none, no_off, 0);
}

/* Build Types 16, 17 (one per 16 GiB) and 19. */
static void build_memory(struct writer *w, const struct smbios_legacy_input *in, uint16_t *next)
{
	static const uint8_t t17_off[] = {0x10, 0x11, 0x17, 0x18, 0x19, 0x1a};
	static const char *const none[1];
	static const uint8_t no_off[1] = {0x04};
	uint64_t total = in->ram_below_4g + in->ram_above_4g, left = total;
	unsigned int ndev = (unsigned int)((total + DIMM_BYTES - 1) / DIMM_BYTES), i;
	const char *t17_str[6] = {NULL, NULL, qemu};
	uint16_t array = 0;
	uint8_t fmt[MAX_FMT];
	char name[16];

	if (!emit_raw_first(w, in, 16, &array)) {
		array = alloc_handle(in, next);
		fmt_init(fmt, 16, 0x0f, array);
		fmt[0x04] = 0x01; /* other */
		fmt[0x05] = 0x03; /* system memory */
		fmt[0x06] = 0x06; /* multi-bit ECC */
		put_le(fmt + 0x07, (total >> 10) >= 0x80000000ull ? 0x80000000ull : total >> 10, 4);
		put_le(fmt + 0x0b, 0xfffe, 2);
		put_le(fmt + 0x0d, ndev, 2);
		w_struct(w, fmt, none, no_off, 0);
	}
	if (!emit_raw(w, in, 17)) {
		for (i = 0; i < ndev && !w->full; i++) {
			uint64_t sz = left < DIMM_BYTES ? left : DIMM_BYTES;

			left -= sz;
			fmt_init(fmt, 17, 0x1b, alloc_handle(in, next));
			put_le(fmt + 0x04, array, 2);
			put_le(fmt + 0x06, 0xfffe, 2);
			put_le(fmt + 0x08, 0xffffffffull, 4);
			put_le(fmt + 0x0c, sz >> 20, 2);
			fmt[0x0e] = 0x09; /* DIMM */
			fmt[0x12] = 0x07; /* RAM */
			put_le(fmt + 0x13, 0x0002, 2);
			t17_str[0] = numbered(name, "DIMM ", i);
			w_struct(w, fmt, t17_str, t17_off, 6);
		}
	}
	if (!emit_raw(w, in, 19)) {
		if (in->ram_below_4g)
			build_type19(w, in, next, array, 0, in->ram_below_4g);
		if (in->ram_above_4g)
			build_type19(w, in, next, array, 0x100000000ull, in->ram_above_4g);
	}
}

/* True for the types the legacy builder produces itself. */
static bool built_type(uint8_t type)
{
	static const uint8_t built[] = {0, 1, 3, 4, 16, 17, 19, 32, SMBIOS_TYPE_END};
	unsigned int i;

	for (i = 0; i < sizeof(built); i++) {
		if (built[i] == type)
			return true;
	}
	return false;
}

/* Build the legacy table set, then describe it. */
int smbios_build_legacy(const struct smbios_legacy_input *in, void *out, size_t size,
			struct smbios_table_info *info)
{
	static const char *const none[1];
	static const uint8_t no_off[1] = {0x04};
	struct smbios_legacy_summary sum;
	struct writer w = {out, size, 0, false};
	struct legacy_iter it;
	struct legacy_entry e;
	uint16_t next = 0;
	uint8_t fmt[MAX_FMT];

	memset(info, 0, sizeof(*info));
	if (!in->type0 || smbios_legacy_parse(in->blob, in->len, &sum))
		return SMBIOS_ERR;
	build_type0_1(&w, in, &next);
	build_type3_4(&w, in, &next);
	build_memory(&w, in, &next);
	if (!emit_raw(&w, in, 32)) {
		fmt_init(fmt, 32, 0x0b, alloc_handle(in, &next));
		w_struct(&w, fmt, none, no_off, 0);
	}
	legacy_start(&it, in->blob, in->len);
	while (legacy_next(&it, &e) > 0) {
		if (e.kind == KIND_TABLE && !built_type(e.type))
			w_bytes(&w, e.data, e.len);
		else if (e.kind == KIND_FIELD && e.type > 1)
			dlog(LOG_ERR,
			     "smbios: legacy field for Type %u: only Types 0 and 1 take "
			     "fields; ignored\n",
			     e.type);
	}
	fmt_init(fmt, SMBIOS_TYPE_END, 4, alloc_handle(in, &next));
	w_struct(&w, fmt, none, no_off, 0);
	if (w.full) {
		dlog(LOG_ERR, "smbios: legacy tables do not fit %u bytes: not installed\n",
		     (unsigned int)size);
		return SMBIOS_ERR;
	}
	if (smbios_walk(out, w.pos, info))
		return SMBIOS_ERR;
	dlog(LOG_DEBUG, "smbios: built %u legacy structures (%u fields, %u raw), %u bytes\n",
	     info->count, sum.fields, sum.tables, (unsigned int)info->length);
	return (int)info->length;
}
