// SPDX-License-Identifier: MIT
/* S3 resume path and the save area it reads (see docs/boot-flow.md, "S3 resume"). */
#include <string.h>

#include "chipset.h"
#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "log.h"
#include "memmap.h"
#include "pci-enum.h"
#include "pci.h"
#include "platform.h"
#include "resume-save.h"
#include "resume.h"
#include "smm.h"
#include "tables.h"

#define CMOS_SHUTDOWN	0x0f
#define CMOS_S3_RESUME	0xfe
#define PM1_STS_WAK	(1u << 15)
#define PM1_CNT_SCI_EN	(1u << 0)
#define SAVE_SCAN_BYTES (256u << 20) /* how far below the top of low RAM to look */
#define SAVE_BYTES	((sizeof(struct resume_save) + 0xfffu) & ~0xfffu)
#define PCI_HEADER_MASK 0x7f

_Static_assert(RESUME_MAX_PCI >= PCI_MAX_FUNCTIONS, "save area holds every PCI function");

/* entry.S: leave protected mode and far-jump to seg:off (cs_ip = seg << 16 | off). */
void __attribute__((noreturn)) resume_wake_real(uint32_t cs_ip);

static struct resume_save *save_area;

/* Read and write a CMOS register. */
static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(0x70, reg);
	outb(0x71, v);
}

bool resume_pending(void)
{
	uint16_t sts;

	if (cmos_read(CMOS_SHUTDOWN) != CMOS_S3_RESUME)
		return false;
	cmos_write(CMOS_SHUTDOWN, 0);
	if (!platform.pm_base) {
		dlog(LOG_ERR,
		     "resume: CMOS says S3 wake but there is no ACPI PM block: cold boot\n");
		return false;
	}
	sts = inw(platform.pm_base);
	if (!(sts & PM1_STS_WAK)) {
		dlog(LOG_ERR,
		     "resume: CMOS says S3 wake but PM1_STS (%04x) has no WAK_STS: cold boot\n",
		     sts);
		return false;
	}
	dlog(LOG_INFO, "resume: S3 wake (CMOS 0x0F = 0xFE, WAK_STS set)\n");
	return true;
}

/* resume_map_fn over the identity-mapped low 4 GiB. */
static const uint8_t *map_phys(uint64_t addr, uint32_t len, void *ctx)
{
	(void)ctx;
	if (addr >= (1ull << 32) || len > (1ull << 32) - addr)
		return NULL;
	return (const uint8_t *)(uintptr_t)addr;
}

void resume_reserve(void)
{
	uint64_t top = e820_ram_top_below(&memmap, 1ull << 32) & ~0xfffull;

	if (zone_mark() || top < (16u << 20)) {
		dlog(LOG_ERR, "resume: no room for the S3 save area: an S3 wake will boot cold\n");
		return;
	}
	memmap_reserve(top - SAVE_BYTES, SAVE_BYTES, E820_RESERVED, "S3 save area");
	save_area = (struct resume_save *)(uintptr_t)(top - SAVE_BYTES);
}

void resume_save(void)
{
	const struct tl_result *acpi = tables_acpi_result();
	struct resume_save *s = save_area;

	if (!s)
		return;
	memset(s, 0, sizeof(*s));
	s->machine = platform.machine;
	s->cpus = (uint32_t)cpus.count;
	s->facs = (uint32_t)resume_find_facs(tables.rsdp, map_phys, NULL);
	s->pci64_start = platform.pci64_start;
	s->pci64_end = platform.pci64_end;
	s->pci32_start = platform.pci32_start;
	s->pci32_end = platform.pci32_end;
	if (acpi) {
		s->nr_write_pointers = acpi->nr_write_pointers;
		memcpy(s->write_pointers, acpi->write_pointers, sizeof(s->write_pointers));
	}
	for (int i = 0; i < pci_function_count; i++) {
		struct resume_pci *p = &s->pci[s->nr_pci++];

		p->bdf = pci_functions[i].bdf;
		for (int d = 0; d < RESUME_PCI_DWORDS; d++)
			p->cfg[d] = pci_read32(p->bdf, (uint16_t)(d * 4));
	}
	resume_save_seal(s);
	dlog(LOG_INFO, "resume: save area at %x (%u bytes): %u PCI functions, FACS at %x\n",
	     (uint32_t)(uintptr_t)s, (uint32_t)SAVE_BYTES, s->nr_pci, s->facs);
}

/* The save area this boot's cold boot wrote: the highest sealed one below the top of low
 * RAM (it sits just below TSEG, whose size is not known yet). */
static const struct resume_save *find_save_area(void)
{
	uint32_t top = (uint32_t)platform.ram_below_4g & ~0xfffu;
	uint32_t bottom = top > SAVE_SCAN_BYTES + (16u << 20) ? top - SAVE_SCAN_BYTES : 16u << 20;
	const char *why = "not found";

	for (uint32_t a = top - (uint32_t)SAVE_BYTES; a >= bottom; a -= 0x1000) {
		const struct resume_save *s = (const struct resume_save *)(uintptr_t)a;

		if (memcmp(s->magic, RESUME_SAVE_MAGIC, sizeof(s->magic)) != 0)
			continue;
		why = resume_save_check(s, platform.machine);
		if (!why) {
			dlog(LOG_INFO, "resume: save area at %x\n", a);
			return s;
		}
		dlog(LOG_ERR, "resume: save area at %x rejected: %s\n", a, why);
	}
	dlog(LOG_ERR, "resume: no valid S3 save area below %x (%s): cold boot\n", top, why);
	return NULL;
}

/* Write one function's header back; bridges' bus numbers were done already. */
static void pci_restore_one(const struct resume_pci *p)
{
	uint16_t bdf = p->bdf;
	bool bridge = ((p->cfg[3] >> 16) & PCI_HEADER_MASK) == 1;

	pci_write16(bdf, 0x0c, (uint16_t)p->cfg[3]); /* cache line, latency; BIST untouched */
	for (uint16_t reg = PCI_BAR0; reg < (bridge ? 0x18 : 0x28); reg += 4)
		pci_write32(bdf, reg, p->cfg[reg / 4]);
	if (bridge) {
		pci_write16(bdf, PCI_IO_BASE, (uint16_t)p->cfg[PCI_IO_BASE / 4]);
		for (uint16_t reg = PCI_MEMORY_BASE; reg <= PCI_IO_BASE_UPPER; reg += 4)
			pci_write32(bdf, reg, p->cfg[reg / 4]);
		pci_write32(bdf, PCI_ROM_ADDRESS1, p->cfg[PCI_ROM_ADDRESS1 / 4]);
		pci_write16(bdf, PCI_BRIDGE_CONTROL, (uint16_t)(p->cfg[0x3c / 4] >> 16));
	} else {
		pci_write32(bdf, PCI_ROM_ADDRESS, p->cfg[PCI_ROM_ADDRESS / 4]);
	}
	pci_write8(bdf, PCI_INTERRUPT_LINE, (uint8_t)p->cfg[0x3c / 4]);
	pci_write16(bdf, PCI_COMMAND, (uint16_t)p->cfg[1]);
}

/* Put every PCI function's header back as the cold boot left it. Bus numbers first, in
 * enumeration order, so that every function behind a bridge is reachable. */
static void pci_restore(const struct resume_save *s)
{
	uint32_t restored = 0;

	for (uint32_t i = 0; i < s->nr_pci; i++) {
		const struct resume_pci *p = &s->pci[i];

		if (((p->cfg[3] >> 16) & PCI_HEADER_MASK) == 1 &&
		    pci_read32(p->bdf, PCI_VENDOR_ID) == p->cfg[0])
			pci_write32(p->bdf, PCI_PRIMARY_BUS, p->cfg[PCI_PRIMARY_BUS / 4]);
	}
	for (uint32_t i = 0; i < s->nr_pci; i++) {
		const struct resume_pci *p = &s->pci[i];
		uint32_t id = pci_read32(p->bdf, PCI_VENDOR_ID);

		if (id != p->cfg[0]) {
			dlog(LOG_ERR, "resume: PCI %02x:%02x.%x is %08x, was %08x: not restored\n",
			     PCI_BUS(p->bdf), PCI_DEV(p->bdf), PCI_FN(p->bdf), id, p->cfg[0]);
			continue;
		}
		pci_restore_one(p);
		restored++;
	}
	dlog(LOG_INFO, "resume: %u of %u PCI functions restored\n", restored, s->nr_pci);
}

/* tl_ops.file_write for the WRITE_POINTER replay. */
static int replay_write(void *ctx, const char *name, uint32_t offset, const void *src, uint32_t len)
{
	(void)ctx;
	return fwcfg_write_file(name, offset, src, len);
}

/* QEMU forgot every address the linker/loader wrote back (vmgenid): write them again. */
static void replay_write_pointers(const struct resume_save *s)
{
	static struct tl_result res;
	static const struct tl_ops ops = {.file_write = replay_write};
	uint32_t failed;

	res.nr_write_pointers = s->nr_write_pointers;
	memcpy(res.write_pointers, s->write_pointers, sizeof(res.write_pointers));
	failed = table_loader_replay(&ops, &res);
	dlog(LOG_INFO, "resume: %u of %u WRITE_POINTERs replayed\n", s->nr_write_pointers - failed,
	     s->nr_write_pointers);
}

/* The OS suspended in ACPI mode; the wake reset cleared SCI_EN. */
static void acpi_mode_restore(void)
{
	uint16_t cnt = (uint16_t)(platform.pm_base + 4);

	outw(cnt, (uint16_t)(inw(cnt) | PM1_CNT_SCI_EN));
}

/* Enter the OS's waking vector in the CPU state ACPI specifies for mode. */
static void __attribute__((noreturn)) wake(enum resume_wake_mode mode, uint64_t vector)
{
	if (mode == WAKE_FLAT32) {
		dlog(LOG_INFO, "resume: jumping to the 32-bit waking vector %x\n",
		     (uint32_t)vector);
		asm volatile("cli; jmp *%0" : : "r"((uint32_t)vector));
		__builtin_unreachable();
	}
	dlog(LOG_INFO, "resume: jumping to the real-mode waking vector %04x:%04x\n",
	     (uint32_t)(vector >> 4), (uint32_t)(vector & 0xf));
	resume_wake_real((uint32_t)(vector >> 4) << 16 | (uint32_t)(vector & 0xf));
}

void resume_main(void)
{
	const struct resume_save *s = find_save_area();
	enum resume_wake_mode mode;
	uint64_t vector = 0;

	if (!s)
		return;
	mode = s->facs ? resume_wake_vector(map_phys(s->facs, 64, NULL), 64, &vector) : WAKE_NONE;
	if (mode == WAKE_NONE || mode == WAKE_LONG64) {
		dlog(LOG_ERR, "resume: FACS at %x %s: cold boot\n", s->facs,
		     mode == WAKE_NONE ? "has no usable waking vector"
				       : "asks for a 64-bit wake, which it does not offer");
		return;
	}
	platform.pci32_start = s->pci32_start;
	platform.pci32_end = s->pci32_end;
	platform.pci64_start = s->pci64_start;
	platform.pci64_end = s->pci64_end;
	pci_restore(s);
	cpus_init();
	if (cpus.count != (int)s->cpus)
		dlog(LOG_ERR, "resume: %d CPUs now, %u at cold boot\n", cpus.count, s->cpus);
	smm_init();
	replay_write_pointers(s);
	acpi_mode_restore();
	cpus_park();
	wake(mode, vector);
}
