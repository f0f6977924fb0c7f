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
static int nfiles;
static struct fwcfg_file files[FWCFG_MAX_FILES];
static uint8_t dir_raw[4 + FWCFG_MAX_FILES * sizeof(struct fwcfg_dir_entry)];
static struct fwcfg_dma dma_desc;

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

/* Load the file directory into files[]. */
static void load_dir(void)
{
	uint32_t count_be = 0, count, len;
	int n;

	fwcfg_read_key(FWCFG_FILE_DIR, &count_be, 4);
	count = bswap32(count_be);
	if (count > FWCFG_MAX_FILES) {
		dlog(LOG_ERR, "fw_cfg: %u files, only the first %d are used\n", count,
		     FWCFG_MAX_FILES);
		count = FWCFG_MAX_FILES;
	}
	len = 4 + count * (uint32_t)sizeof(struct fwcfg_dir_entry);
	fwcfg_read_key(FWCFG_FILE_DIR, dir_raw, len);
	memcpy(dir_raw, &(uint32_t){bswap32(count)}, 4);
	n = fwcfg_dir_parse(dir_raw, len, files, FWCFG_MAX_FILES);
	nfiles = n < 0 ? 0 : n;
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
	dlog(LOG_INFO, "fw_cfg: %s, %d files\n", have_dma ? "DMA" : "port I/O (no DMA)", nfiles);
	return true;
}

void fwcfg_refresh(void)
{
	load_dir();
}

const struct fwcfg_file *fwcfg_find(const char *name)
{
	for (int i = 0; i < nfiles; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
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
	uint8_t buf[24];

	if (!f)
		return false;
	if (f->size > sizeof(buf) || !f->size) {
		dlog(LOG_ERR, "fw_cfg: %s: %u bytes is not an integer, ignored\n", name, f->size);
		return false;
	}
	fwcfg_read_file(f, 0, buf, f->size);
	if (fwcfg_parse_int(buf, f->size, out))
		return true;
	dlog(LOG_ERR, "fw_cfg: %s: not a number, ignored\n", name);
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
