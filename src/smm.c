// SPDX-License-Identifier: MIT
/* SMM set-up for QEMU pc (ASEG, cannot be locked) and q35 (TSEG, locked). */
#include <string.h>

#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "log.h"
#include "memmap.h"
#include "pci.h"
#include "platform.h"
#include "smm.h"
#include "timer.h"

#define SMM_DEFAULT_ENTRY 0x38000
#define SMM_MAILBOX	  0x38100
#define SMBASE_STRIDE	  0x400 /* per-CPU step: entry stubs and save areas never collide */
#define SMM_ENTRY	  0x8000
#define SMM_STATE_TOP	  0x10000 /* save state lies in SMBASE+0xFE00 .. SMBASE+0xFFFF */

#define I440FX_SMRAM	 0x72
#define PIIX4_DEVACTB3	 0x5b /* byte 3 of DEVACTB; bit 1 = APMC_EN */
#define MCH_EXT_TSEG	 0x50
#define MCH_SMRAM	 0x9d
#define MCH_ESMRAMC	 0x9e
#define ICH9_GEN_PMCON_1 0xa0
#define SMRAM_D_OPEN	 0x40
#define SMRAM_D_LCK	 0x10
#define SMRAM_G_SMRAME	 0x08
#define SMRAM_C_BASE_SEG 0x02
#define ESMRAMC_T_EN	 0x01
#define ICH9_SMI_EN	 0x30
#define SMI_EN_GBL	 (1u << 0)
#define SMI_EN_APMC	 (1u << 5)
#define SMI_F_BROADCAST	 (1ull << 0)

extern const uint8_t smm_reloc_start[], smm_reloc_end[];
extern const uint8_t smm_handler_start[], smm_handler_end[];
extern const uint8_t smm_handler_pm1_cnt[], smm_handler_enable[], smm_handler_disable[];

struct smram {
	uint32_t base;
	uint32_t size;
};

/* QEMU presets "APMC SMIs already enabled" when the machine has no SMM. */
static bool smm_available(void)
{
	if (platform.machine == MACHINE_PC)
		return !(pci_read8(platform.pm_bdf, PIIX4_DEVACTB3) & 0x02);
	return !(inl((uint16_t)(platform.pm_base + ICH9_SMI_EN)) & SMI_EN_APMC);
}

/* SMBASE of the i-th CPU: the first one's save state ends at the top of SMRAM. */
static uint32_t smbase_of(const struct smram *r, int i)
{
	return r->base + r->size - SMM_STATE_TOP - (uint32_t)i * SMBASE_STRIDE;
}

/* How many CPUs fit: every entry point must still lie inside SMRAM. */
static int smram_capacity(const struct smram *r)
{
	return (int)((r->size - SMM_STATE_TOP + SMM_ENTRY) / SMBASE_STRIDE) + 1;
}

/* Copy the permanent handler to each CPU's entry point (SMRAM must be writable). */
static void install_handlers(const struct smram *r, int n)
{
	size_t len = (size_t)(smm_handler_end - smm_handler_start);
	uint8_t enable = platform.machine == MACHINE_PC ? 0xf1 : 0x02;
	uint8_t disable = platform.machine == MACHINE_PC ? 0xf0 : 0x03;
	uint16_t pm1_cnt = (uint16_t)(platform.pm_base + 4);

	for (int i = 0; i < n; i++) {
		uint8_t *entry = (uint8_t *)(uintptr_t)(smbase_of(r, i) + SMM_ENTRY);

		memcpy(entry, smm_handler_start, len);
		memcpy(entry + (smm_handler_pm1_cnt - smm_handler_start), &pm1_cnt, 2);
		entry[smm_handler_enable - smm_handler_start] = enable;
		entry[smm_handler_disable - smm_handler_start] = disable;
	}
}

/* Move every CPU's SMBASE from the default 0x30000 into SMRAM, one CPU at a time. */
static bool relocate(const struct smram *r, int n)
{
	volatile uint32_t *mailbox = (volatile uint32_t *)SMM_MAILBOX;
	bool ok = true;

	memcpy((void *)SMM_DEFAULT_ENTRY, smm_reloc_start,
	       (size_t)(smm_reloc_end - smm_reloc_start));
	for (int i = 0; i < n && ok; i++) {
		uint64_t t0 = timer_us();

		mailbox[0] = smbase_of(r, i);
		mailbox[1] = 0;
		cpus_send_smi(cpus.apic_id[i]);
		while (!mailbox[1] && timer_us() - t0 < 100000)
			cpu_relax();
		if (!mailbox[1]) {
			dlog(LOG_ERR, "smm: CPU with APIC ID %u did not enter SMM\n",
			     cpus.apic_id[i]);
			ok = false;
		}
	}
	memset((void *)SMM_DEFAULT_ENTRY, 0, 0x200);
	return ok;
}

/* q35: ask for broadcast SMIs through the fw_cfg etc/smi files, then lock the negotiation. */
static void negotiate_smi_features(void)
{
	const struct fwcfg_file *ok_file = fwcfg_find("etc/smi/features-ok");
	uint64_t supported = 0, requested;
	uint8_t ok = 0;

	if (!ok_file || !fwcfg_find("etc/smi/supported-features") ||
	    !fwcfg_find("etc/smi/requested-features")) {
		dlog(LOG_INFO, "smm: QEMU offers no SMI feature negotiation\n");
		return;
	}
	fwcfg_read_file(fwcfg_find("etc/smi/supported-features"), 0, &supported, 8);
	requested = supported & SMI_F_BROADCAST;
	if (fwcfg_write_file("etc/smi/requested-features", 0, &requested, 8)) {
		dlog(LOG_ERR, "smm: cannot write etc/smi/requested-features (no DMA?)\n");
		return;
	}
	fwcfg_read_file(ok_file, 0, &ok, 1);
	dlog(LOG_INFO, "smm: SMI features supported %llx, requested %llx: %s\n",
	     (unsigned long long)supported, (unsigned long long)requested,
	     ok ? "accepted" : "refused");
}

/* pc: ASEG at 0xA0000; i440FX in QEMU ignores D_LCK, so SMRAM stays unlockable. */
static void smm_init_pc(void)
{
	struct smram r = {0xa0000, 0x20000};
	int n = cpus.count;

	if (n > smram_capacity(&r)) {
		dlog(LOG_ERR,
		     "smm: ASEG holds SMM state for %d CPUs, %d present: CPUs beyond "
		     "%d keep the default SMBASE\n",
		     smram_capacity(&r), n, smram_capacity(&r));
		n = smram_capacity(&r);
	}
	pci_write8(0, I440FX_SMRAM, SMRAM_D_OPEN | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	install_handlers(&r, n);
	if (!relocate(&r, n))
		dlog(LOG_ERR, "smm: relocation incomplete\n");
	pci_write8(0, I440FX_SMRAM, SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	pci_write8(0, I440FX_SMRAM, SMRAM_D_LCK | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	pci_write8(platform.pm_bdf, PIIX4_DEVACTB3,
		   pci_read8(platform.pm_bdf, PIIX4_DEVACTB3) | 0x02);
	platform.smm = true;
	dlog(LOG_INFO,
	     "smm: %d CPUs relocated into ASEG; SMRAM closed, but QEMU's i440FX "
	     "cannot lock it (D_LCK unimplemented): use q35 for locked SMRAM\n",
	     n);
}

/* q35: TSEG at the top of low RAM, sized by QEMU's extended TSEG register when present. */
static void smm_init_q35(void)
{
	uint16_t ext_mb;
	uint8_t tseg_sz;
	struct smram r;
	uint8_t smram;

	pci_write16(0, MCH_EXT_TSEG, 0xffff);
	ext_mb = pci_read16(0, MCH_EXT_TSEG);
	if (ext_mb && ext_mb != 0xffff) {
		tseg_sz = 3;
		r.size = (uint32_t)ext_mb << 20;
	} else {
		tseg_sz = 2;
		r.size = 8u << 20;
	}
	r.base = (uint32_t)platform.ram_below_4g - r.size;
	if (smram_capacity(&r) < cpus.count || r.size >= platform.ram_below_4g / 2) {
		dlog(LOG_ERR,
		     "smm: TSEG of %u MiB cannot serve %d CPUs in %llu MiB RAM; SMM "
		     "not set up\n",
		     r.size >> 20, cpus.count, (unsigned long long)(platform.ram_below_4g >> 20));
		return;
	}
	memmap_reserve(r.base, r.size, E820_RESERVED, "TSEG");
	pci_write8(0, MCH_ESMRAMC, (uint8_t)(tseg_sz << 1));
	install_handlers(&r, cpus.count);
	if (!relocate(&r, cpus.count)) {
		dlog(LOG_ERR, "smm: relocation failed; SMRAM left unlocked\n");
		return;
	}
	pci_write8(0, MCH_SMRAM, SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	pci_write8(0, MCH_ESMRAMC, (uint8_t)(tseg_sz << 1 | ESMRAMC_T_EN));
	negotiate_smi_features();
	outl((uint16_t)(platform.pm_base + ICH9_SMI_EN),
	     inl((uint16_t)(platform.pm_base + ICH9_SMI_EN)) | SMI_EN_APMC | SMI_EN_GBL);
	pci_write8(platform.pm_bdf, ICH9_GEN_PMCON_1,
		   pci_read8(platform.pm_bdf, ICH9_GEN_PMCON_1) | 0x10);
	pci_write8(0, MCH_SMRAM, SMRAM_D_LCK | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	/* The lock must hold: try to reopen and check nothing changed. */
	pci_write8(0, MCH_SMRAM, SMRAM_D_OPEN | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	smram = pci_read8(0, MCH_SMRAM);
	if (!(smram & SMRAM_D_LCK) || (smram & SMRAM_D_OPEN)) {
		dlog(LOG_ERR, "smm: SMRAM lock did not hold (0x9d = %02x)\n", smram);
		return;
	}
	platform.smm = true;
	dlog(LOG_INFO, "smm: %d CPUs relocated into TSEG %uMiB at %x; SMRAM locked\n", cpus.count,
	     r.size >> 20, r.base);
}

void smm_init(void)
{
	if (!smm_available()) {
		dlog(LOG_INFO, "smm: QEMU has SMM off (-machine smm=off): skipped\n");
		return;
	}
	if (platform.machine == MACHINE_PC)
		smm_init_pc();
	else
		smm_init_q35();
	if (platform.smm)
		cpus_send_smi(cpus.apic_id[0]); /* the handler must return: prove it once */
}
