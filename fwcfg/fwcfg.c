// SPDX-License-Identifier: MIT
/* fw_cfg driver: selector 0x510, data 0x511, DMA address 0x514/0x518 (QEMU docs/specs/fw_cfg). */
#include <string.h>

#include "fwcfg.h"
#include "io.h"
#include "log.h"

#define PORT_SEL    0x510
#define PORT_DATA   0x511
#define PORT_DMA_HI 0x514
#define PORT_DMA_LO 0x518
#define ID_DMA	    (1u << 1)

#define DMA_ERROR  0x01
#define DMA_READ   0x02
#define DMA_SKIP   0x04
#define DMA_SELECT 0x08
#define DMA_WRITE  0x10

/* DMA descriptor; every field is big-endian. */
struct fwcfg_dma {
	uint32_t control;
	uint32_t length;
	uint64_t address;
} __attribute__((packed, aligned(16)));
_Static_assert(sizeof(struct fwcfg_dma) == 16, "fw_cfg DMA descriptor is 16 bytes");

static bool have_dma;
/* The directory QEMU offers: its length, a name hash per entry (0: unusable) and the
 * entries looked up so far, which stay where they are for the whole boot. */
static uint32_t dir_count;
static uint16_t dir_index[FWCFG_MAX_FILES];
static struct fwcfg_file open_files[FWCFG_MAX_OPEN];
static int nopen;
static struct fwcfg_dma dma_desc;

#define DIR_CHUNK 32

/* v with its bytes reversed (fw_cfg's DMA and directory fields are big-endian). */
static uint32_t bswap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

/* Run one DMA descriptor to completion; false if QEMU flagged an error. */
static bool dma_run(uint32_t control, void *buf, uint32_t len)
{
	volatile struct fwcfg_dma *d = &dma_desc;

	d->control = bswap32(control);
	d->length = bswap32(len);
	d->address = __builtin_bswap64((uint64_t)(uintptr_t)buf);
	asm volatile("" ::: "memory");
	outl(PORT_DMA_HI, 0);
	outl(PORT_DMA_LO, bswap32((uint32_t)(uintptr_t)d));
	while (bswap32(d->control) & ~DMA_ERROR)
		cpu_relax();
	return !(bswap32(d->control) & DMA_ERROR);
}

/* Select key and transfer len bytes starting at offset into buf. */
static void read_at(uint16_t key, uint32_t offset, void *buf, uint32_t len)
{
	if (have_dma) {
		if (offset) {
			dma_run(DMA_SELECT | DMA_SKIP | (uint32_t)key << 16, NULL, offset);
			dma_run(DMA_READ, buf, len);
		} else {
			dma_run(DMA_SELECT | DMA_READ | (uint32_t)key << 16, buf, len);
		}
		return;
	}
	outw(PORT_SEL, key);
	for (; offset; offset--)
		inb(PORT_DATA);
	insb(PORT_DATA, buf, len);
}

void fwcfg_read_key(uint16_t key, void *buf, uint32_t len)
{
	read_at(key, 0, buf, len);
}

uint64_t fwcfg_read_key_int(uint16_t key, int size)
{
	uint64_t v = 0;

	if (size > 8)
		size = 8;
	fwcfg_read_key(key, &v, (uint32_t)size);
	return v;
}

/* Read raw directory entry pos into e. */
static void read_dir_entry(uint32_t pos, uint8_t *e)
{
	read_at(FWCFG_FILE_DIR, 4 + pos * (uint32_t)sizeof(struct fwcfg_dir_entry), e,
		sizeof(struct fwcfg_dir_entry));
}

/* Find name among the directory entries; fills *out and returns true if present. */
static bool dir_lookup(const char *name, struct fwcfg_file *out)
{
	uint8_t e[sizeof(struct fwcfg_dir_entry)];
	uint16_t h = fwcfg_name_hash(name);

	for (uint32_t i = fwcfg_index_next(dir_index, dir_count, h, 0); i < dir_count;
	     i = fwcfg_index_next(dir_index, dir_count, h, i + 1)) {
		read_dir_entry(i, e);
		if (fwcfg_dir_entry(e, i, out) && !strcmp(out->name, name))
			return true;
	}
	return false;
}

/* Read the whole directory QEMU offers, in chunks, into the name-hash index; then bring the
 * entries already looked up up to date (QEMU resizes files, e.g. the ACPI tables). */
static void load_dir(void)
{
	static uint8_t chunk[DIR_CHUNK * sizeof(struct fwcfg_dir_entry)];
	struct fwcfg_file f;
	uint32_t count_be = 0;

	fwcfg_read_key(FWCFG_FILE_DIR, &count_be, 4);
	dir_count = bswap32(count_be);
	if (dir_count > FWCFG_MAX_FILES) {
		dlog(LOG_ERR,
		     "fw_cfg: the directory claims %u files, more than QEMU can number (%u); "
		     "the rest are not used\n",
		     dir_count, FWCFG_MAX_FILES);
		dir_count = FWCFG_MAX_FILES;
	}
	for (uint32_t pos = 0; pos < dir_count; pos += DIR_CHUNK) {
		uint32_t n = dir_count - pos < DIR_CHUNK ? dir_count - pos : DIR_CHUNK;

		read_at(FWCFG_FILE_DIR, 4 + pos * (uint32_t)sizeof(struct fwcfg_dir_entry), chunk,
			n * (uint32_t)sizeof(struct fwcfg_dir_entry));
		for (uint32_t k = 0; k < n; k++)
			dir_index[pos + k] =
				fwcfg_dir_entry(chunk + k * sizeof(struct fwcfg_dir_entry), pos + k,
						&f)
					? fwcfg_name_hash(f.name)
					: 0;
	}
	for (int i = 0; i < nopen; i++) {
		if (!dir_lookup(open_files[i].name, &f)) {
			dlog(LOG_ERR, "fw_cfg: %s is gone from the directory\n",
			     open_files[i].name);
			f = (struct fwcfg_file){0};
			memcpy(f.name, open_files[i].name, FWCFG_NAME_LEN);
		}
		open_files[i] = f;
	}
}

bool fwcfg_init(void)
{
	char sig[4];
	uint32_t id;

	outw(PORT_SEL, FWCFG_SIGNATURE);
	insb(PORT_DATA, sig, 4);
	if (memcmp(sig, "QEMU", 4)) {
		dlog(LOG_ERR, "fw_cfg: no QEMU signature at port 0x510\n");
		return false;
	}
	outw(PORT_SEL, FWCFG_ID);
	insb(PORT_DATA, &id, 4);
	have_dma = (id & ID_DMA) && inl(PORT_DMA_HI) == 0x554d4551;
	load_dir();
	dlog(LOG_INFO, "fw_cfg: %s, %u files\n", have_dma ? "DMA" : "port I/O (no DMA)", dir_count);
	return true;
}

void fwcfg_refresh(void)
{
	load_dir();
}

const struct fwcfg_file *fwcfg_find(const char *name)
{
	struct fwcfg_file f;

	for (int i = 0; i < nopen; i++)
		if (!strcmp(open_files[i].name, name))
			return open_files[i].select ? &open_files[i] : NULL;
	if (!dir_lookup(name, &f))
		return NULL;
	if (nopen == FWCFG_MAX_OPEN) {
		dlog(LOG_ERR, "fw_cfg: more than %d files in use; %s cannot be opened\n",
		     FWCFG_MAX_OPEN, name);
		return NULL;
	}
	open_files[nopen] = f;
	return &open_files[nopen++];
}

uint32_t fwcfg_read_file(const struct fwcfg_file *f, uint32_t offset, void *buf, uint32_t len)
{
	if (offset >= f->size)
		return 0;
	if (len > f->size - offset)
		len = f->size - offset;
	read_at(f->select, offset, buf, len);
	return len;
}

bool fwcfg_read_file_u64(const char *name, uint64_t *out)
{
	const struct fwcfg_file *f = fwcfg_find(name);
	uint8_t b[8];

	if (!f)
		return false;
	if (f->size != sizeof(b)) {
		dlog(LOG_ERR, "fw_cfg: %s holds %u bytes, not an 8-byte integer; ignored\n", name,
		     f->size);
		return false;
	}
	fwcfg_read_file(f, 0, b, sizeof(b));
	*out = 0;
	for (int i = 7; i >= 0; i--)
		*out = *out << 8 | b[i];
	return true;
}

bool fwcfg_read_option(const char *name, uint64_t *out)
{
	const struct fwcfg_file *f = fwcfg_find(name);
	uint8_t buf[FWCFG_NUM_MAX_LEN + 1];
	char quoted[100];
	uint32_t n;
	int err;

	if (!f)
		return false;
	n = fwcfg_read_file(f, 0, buf, sizeof(buf));
	err = fwcfg_parse_number(buf, n, out);
	if (err == FWCFG_NUM_OK)
		return true;
	fwcfg_quote(buf, n, quoted, sizeof(quoted));
	dlog(LOG_ERR, "fw_cfg: %s is \"%s\"%s (%u bytes): %s; ignored\n", name, quoted,
	     f->size > n ? "..." : "", f->size, fwcfg_number_error(err));
	return false;
}

int fwcfg_write_file(const char *name, uint32_t offset, const void *buf, uint32_t len)
{
	const struct fwcfg_file *f = fwcfg_find(name);

	if (!f || !have_dma)
		return -1;
	if (offset > f->size || len > f->size - offset)
		return -1;
	if (!dma_run(DMA_SELECT | DMA_SKIP | (uint32_t)f->select << 16, NULL, offset))
		return -1;
	return dma_run(DMA_WRITE, (void *)buf, len) ? 0 : -1;
}
