// SPDX-License-Identifier: MIT
/* SMM set-up for QEMU pc (ASEG, cannot be locked) and q35 (TSEG, locked, with the SMM store
 * module at its bottom). */
#include <string.h>

#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "lapic.h"
#include "log.h"
#include "memmap.h"
#include "pci.h"
#include "pflash.h"
#include "platform.h"
#include "smm-module.h"
#include "smm-store.h"
#include "smm.h"
#include "timer.h"
#include "uefi-vars.h"

#define SMM_DEFAULT_ENTRY 0x38000
#define SMM_MAILBOX	  0x38100
#define SMBASE_STRIDE	  0x400 /* per-CPU step: entry stubs and save areas never collide */
#define SMM_ENTRY	  0x8000
#define SMM_STATE_TOP	  0x10000 /* save state lies in SMBASE+0xFE00 .. SMBASE+0xFFFF */
#define ICR_SMI		  0x00000200u
/* Give up on a CPU that does not enter SMM in 2 s: under TCG on a loaded host a vCPU thread
 * can wait for the host CPU far longer than the SMI itself takes (100 ms was seen to miss). */
#define SMI_WAIT_US    2000000
#define SMI_WAIT_SPINS 400000000u /* the same without a PM timer (pc with acpi=off) */

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
#define SMM_STORE_BUFFER 0x10000u /* the communication buffer, right below TSEG */

_Static_assert(sizeof(struct smm_store_cfg) == SMM_STORE_CFG_BYTES, "smm-module.h is stale");

extern const uint8_t smm_reloc_start[], smm_reloc_end[];
extern const uint8_t smm_handler_start[], smm_handler_end[];
extern const uint8_t smm_handler_pm1_cnt[], smm_handler_enable[], smm_handler_disable[];
extern const uint8_t smm_handler_module[], smm_handler_gdtr[];
extern const uint8_t smm_module_image[], smm_module_image_end[];

struct smram {
	uint32_t base;
	uint32_t size;
	int slots; /* CPUs whose entry point and save state lie in [base, base + size) */
};

/* Everything smm_init() decides and records on its way. */
static struct {
	bool ready;	     /* stub and handlers installed, SMRAM open */
	const char *skipped; /* why SMM is not set up, when QEMU's configuration says so */
	uint8_t tseg_sz;     /* q35 ESMRAMC size field */
	struct smram smram;  /* ASEG or TSEG */
	struct smram spill;  /* pc only: reserved RAM for the CPUs ASEG cannot hold */
	uint32_t module;     /* q35: the SMM module's address at TSEG's bottom, else 0 */
	struct smm_store_cfg store;
	bool store_ready;	  /* the store flash is SMM-only and the module serves it */
	bool relocated[MAX_CPUS]; /* by slot */
	uint32_t relocated_apic[MAX_CPUS];
} smm;

/* QEMU presets "APMC SMIs already enabled" when the machine has no SMM. */
static bool smm_available(void)
{
	if (platform.machine == MACHINE_PC)
		return !(pci_read8(platform.pm_bdf, PIIX4_DEVACTB3) & 0x02);
	return !(inl((uint16_t)(platform.pm_base + ICH9_SMI_EN)) & SMI_EN_APMC);
}

/* How many CPUs fit in r: every entry point and save state must lie inside it. */
static int smram_capacity(const struct smram *r)
{
	if (r->size < SMM_STATE_TOP - SMM_ENTRY)
		return 0;
	return (int)((r->size - SMM_STATE_TOP + SMM_ENTRY) / SMBASE_STRIDE) + 1;
}

/* SMBASE of the CPU in slot i: the first one's save state ends at the top of its region. */
static uint32_t smbase_of(int i)
{
	const struct smram *r = i < smm.smram.slots ? &smm.smram : &smm.spill;

	if (r == &smm.spill)
		i -= smm.smram.slots;
	return r->base + r->size - SMM_STATE_TOP - (uint32_t)i * SMBASE_STRIDE;
}

/* Copy the permanent handler to every slot's entry point (SMRAM must be writable), pointing
 * it at the SMM module when there is one. */
static void install_handlers(int n)
{
	uint32_t gdt = smm.module ? smm.module + SMM_MODULE_GDT : 0;
	size_t len = (size_t)(smm_handler_end - smm_handler_start);
	uint8_t enable = platform.machine == MACHINE_PC ? 0xf1 : 0x02;
	uint8_t disable = platform.machine == MACHINE_PC ? 0xf0 : 0x03;
	uint16_t pm1_cnt = (uint16_t)(platform.pm_base + 4);

	for (int i = 0; i < n; i++) {
		uint8_t *entry = (uint8_t *)(uintptr_t)(smbase_of(i) + SMM_ENTRY);

		memcpy(entry, smm_handler_start, len);
		memcpy(entry + (smm_handler_pm1_cnt - smm_handler_start), &pm1_cnt, 2);
		entry[smm_handler_enable - smm_handler_start] = enable;
		entry[smm_handler_disable - smm_handler_start] = disable;
		memcpy(entry + (smm_handler_module - smm_handler_start), &smm.module, 4);
		memcpy(entry + (smm_handler_gdtr - smm_handler_start) + 2, &gdt, 4);
	}
}

/* q35: copy the SMM module to TSEG's bottom and configure it for the UEFI variable store (pflash
 * unit 1 below the code flash) with its communication buffer right below TSEG. */
static void install_module(void)
{
	uint32_t len = (uint32_t)(smm_module_image_end - smm_module_image);
	struct smm_store_cfg *cfg = &smm.store;

	cfg->flash_base = uefi_vars_base(platform.rom_size);
	cfg->num_blocks = UEFI_VARS_SIZE / UEFI_VARS_BLOCK;
	cfg->block_size = UEFI_VARS_BLOCK;
	cfg->com_buffer = smm.smram.base - SMM_STORE_BUFFER;
	cfg->com_buffer_size = SMM_STORE_BUFFER;
	cfg->smram_base = smm.smram.base;
	cfg->smram_size = smm.smram.size;
	if (len > SMM_MODULE_MAX || !smm_store_cfg_valid(cfg)) {
		dlog(LOG_ERR,
		     "smm: SMM module of %u bytes or its store at %x does not fit: no SMM "
		     "store\n",
		     len, cfg->flash_base);
		return;
	}
	smm.module = smm.smram.base;
	memcpy((void *)(uintptr_t)smm.module, smm_module_image, len);
	memset((void *)(uintptr_t)(smm.module + len), 0, SMM_MODULE_AREA - len);
	memcpy((void *)(uintptr_t)(smm.module + SMM_MODULE_CFG), cfg, sizeof(*cfg));
}

/* Let APM writes to port 0xB2 raise SMIs (the OS's ACPI enable/disable requests). */
static void enable_apm_smi(void)
{
	if (platform.machine == MACHINE_PC)
		pci_write8(platform.pm_bdf, PIIX4_DEVACTB3,
			   pci_read8(platform.pm_bdf, PIIX4_DEVACTB3) | 0x02);
	else
		outl((uint16_t)(platform.pm_base + ICH9_SMI_EN),
		     inl((uint16_t)(platform.pm_base + ICH9_SMI_EN)) | SMI_EN_APMC | SMI_EN_GBL);
}

/* pc: ASEG at 0xA0000 holds 97 CPUs; the rest get reserved RAM at the top of low memory. */
static bool prepare_pc(int n)
{
	uint32_t spill_size;

	smm.smram = (struct smram){0xa0000, 0x20000, 0};
	smm.smram.slots = smram_capacity(&smm.smram);
	if (n > smm.smram.slots) {
		spill_size = (uint32_t)(n - smm.smram.slots - 1) * SMBASE_STRIDE + SMM_STATE_TOP -
			     SMM_ENTRY;
		spill_size = (spill_size + 0xfff) & ~0xfffu;
		smm.spill.base = ((uint32_t)platform.ram_below_4g & ~0xfffu) - spill_size;
		smm.spill.size = spill_size;
		smm.spill.slots = n - smm.smram.slots;
		memmap_reserve(smm.spill.base, spill_size, E820_RESERVED, "SMM entries");
		dlog(LOG_INFO,
		     "smm: ASEG holds SMM state for %d CPUs, %d present: the other %d get theirs "
		     "in reserved RAM at %x-%x (outside SMRAM)\n",
		     smm.smram.slots, n, smm.spill.slots, smm.spill.base,
		     smm.spill.base + spill_size - 1);
	}
	pci_write8(0, I440FX_SMRAM, SMRAM_D_OPEN | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	return true;
}

/* q35: TSEG at the top of low RAM, sized by QEMU's extended TSEG register when present. */
static bool prepare_q35(int n)
{
	uint16_t ext_mb;
	struct smram *r = &smm.smram;

	pci_write16(0, MCH_EXT_TSEG, 0xffff);
	ext_mb = pci_read16(0, MCH_EXT_TSEG);
	if (ext_mb && ext_mb != 0xffff) {
		smm.tseg_sz = 3;
		r->size = (uint32_t)ext_mb << 20;
	} else {
		smm.tseg_sz = 2;
		r->size = 8u << 20;
	}
	r->base = (uint32_t)platform.ram_below_4g - r->size;
	r->slots = smram_capacity(
		&(struct smram){r->base + SMM_MODULE_AREA, r->size - SMM_MODULE_AREA, 0});
	if (r->slots < n || r->size >= platform.ram_below_4g / 2) {
		dlog(LOG_ERR,
		     "smm: TSEG of %u MiB cannot serve %d CPUs in %llu MiB RAM; SMM "
		     "not set up\n",
		     r->size >> 20, n, (unsigned long long)(platform.ram_below_4g >> 20));
		return false;
	}
	/* With T_EN still clear TSEG is plain RAM: the handlers go in before it is closed. */
	memmap_reserve(r->base, r->size, E820_RESERVED, "TSEG");
	return true;
}

/* Pick each CPU's SMBASE, open SMRAM, install the handlers and the relocation stub at the
 * default SMBASE. False when SMM is off or cannot be served (smm.skipped or a logged error). */
static bool smm_prepare(void)
{
	int n = cpus.count;

	memset(&smm, 0, sizeof(smm));
	if (platform.machine == MACHINE_PC &&
	    pci_read16(platform.pm_bdf, PCI_VENDOR_ID) != 0x8086) {
		smm.skipped = "no PIIX4 power management at 00:01.3 (QEMU leaves it out with "
			      "-machine acpi=off): no APM SMI source, SMM not set up";
		return false;
	}
	if (!smm_available()) {
		smm.skipped = "QEMU has SMM off (-machine smm=off): skipped";
		return false;
	}
	if (!(platform.machine == MACHINE_PC ? prepare_pc(n) : prepare_q35(n)))
		return false;
	if (platform.machine == MACHINE_Q35)
		install_module();
	install_handlers(n);
	if (!lapic_present())
		enable_apm_smi(); /* no APIC to send an SMI with: the BSP raises one through APM */
	return true;
}

/* Wait, without touching QEMU's global lock on every spin (no PAUSE, the PM timer only every
 * 4096 spins), until the stub has run or SMI_WAIT_US have passed. */
static bool wait_for_stub(volatile uint32_t *done)
{
	uint64_t t0 = timer_us();

	for (unsigned int spin = 1; !*done; spin++) {
		if (spin % 4096)
			continue;
		if (platform.pm_base ? timer_us() - t0 > SMI_WAIT_US : spin > SMI_WAIT_SPINS)
			return false;
	}
	return true;
}

/* Move the SMBASE of the CPU in slot i (APIC ID apic_id) into SMRAM: one SMI at a time,
 * since every CPU still at the default SMBASE saves its state to the same place. The BSP
 * (slot 0) raises its own SMI, through APM when it has no local APIC. */
static bool relocate(int i, uint32_t apic_id)
{
	volatile uint32_t *mailbox = (volatile uint32_t *)SMM_MAILBOX;

	mailbox[0] = smbase_of(i);
	mailbox[1] = 0;
	if (lapic_present())
		lapic_send_ipi(apic_id, ICR_SMI);
	else
		outb(0xb2, 0);
	smm.relocated[i] = wait_for_stub(&mailbox[1]);
	if (!smm.relocated[i])
		dlog(LOG_ERR, "smm: CPU %d (APIC ID %u) did not enter SMM at the default SMBASE\n",
		     i, apic_id);
	return smm.relocated[i];
}

/* Raise one APM SMI on the BSP with a command no handler path takes: the handler must return.
 * (An APM write, not an IPI: it also sets the command port away from any earlier request.) */
static void smm_prove_handler(void)
{
	outb(0xb2, 0);
}

/* Relocate every CPU that checked in, the BSP first; stop at the first that fails. */
static bool relocate_all(void)
{
	bool ok = true;

	memcpy((void *)SMM_DEFAULT_ENTRY, smm_reloc_start,
	       (size_t)(smm_reloc_end - smm_reloc_start));
	for (int i = 0; i < cpus.count && ok; i++)
		ok = relocate(i, cpus.apic_id[i]);
	if (!ok) {
		/* Its SMI may still be pending: the stub and the mailbox stay, so that a late
		 * entry relocates it instead of running cleared memory. */
		dlog(LOG_ERR, "smm: relocation incomplete; SMRAM left open and unlocked\n");
		return false;
	}
	memset((void *)SMM_DEFAULT_ENTRY, 0, 0x200);
	return true;
}

/* q35: settle the SMI features through the fw_cfg etc/smi files, asking for none, and lock the
 * negotiation. Without broadcast an APM SMI enters SMM on the CPU that raised it alone, which is
 * the CPU whose saved registers carry an SMM store request. */
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
	requested = 0;
	if (fwcfg_write_file("etc/smi/requested-features", 0, &requested, 8)) {
		dlog(LOG_ERR, "smm: cannot write etc/smi/requested-features (no DMA?)\n");
		return;
	}
	fwcfg_read_file(ok_file, 0, &ok, 1);
	dlog(LOG_INFO, "smm: SMI features supported %llx, requested %llx: %s\n",
	     (unsigned long long)supported, (unsigned long long)requested,
	     ok ? "accepted" : "refused");
}

/* pc: close ASEG; i440FX in QEMU ignores D_LCK, so SMRAM stays unlockable. */
static void finish_pc(void)
{
	pci_write8(0, I440FX_SMRAM, SMRAM_D_LCK | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	enable_apm_smi();
	platform.smm = true;
	dlog(LOG_INFO,
	     "smm: %d CPUs relocated into ASEG%s; SMRAM closed, but QEMU's i440FX "
	     "cannot lock it (D_LCK unimplemented): use q35 for locked SMRAM\n",
	     cpus.count, smm.spill.slots ? " and reserved RAM" : "");
}

/* q35: close and lock TSEG, settle the SMI features. Every write to the SMRAM or ESMRAMC
 * register makes QEMU rebuild its memory map on every vCPU, so there are two: TSEG on, then
 * SMRAM closed and locked at once; reading the lock back checks it took. */
static void finish_q35(void)
{
	uint8_t smram;

	pci_write8(0, MCH_ESMRAMC, (uint8_t)(smm.tseg_sz << 1 | ESMRAMC_T_EN));
	negotiate_smi_features();
	enable_apm_smi();
	pci_write8(platform.pm_bdf, ICH9_GEN_PMCON_1,
		   pci_read8(platform.pm_bdf, ICH9_GEN_PMCON_1) | 0x10);
	pci_write8(0, MCH_SMRAM, SMRAM_D_LCK | SMRAM_G_SMRAME | SMRAM_C_BASE_SEG);
	smram = pci_read8(0, MCH_SMRAM);
	if (!(smram & SMRAM_D_LCK) || (smram & SMRAM_D_OPEN) ||
	    !(pci_read8(0, MCH_ESMRAMC) & ESMRAMC_T_EN)) {
		dlog(LOG_ERR, "smm: SMRAM lock did not hold (0x9d = %02x)\n", smram);
		return;
	}
	platform.smm = true;
	dlog(LOG_INFO, "smm: %d CPUs relocated into TSEG %uMiB at %x; SMRAM locked\n", cpus.count,
	     smm.smram.size >> 20, smm.smram.base);
}

/* The store is offered when the SMM module reaches a flash at its base that code outside SMM
 * cannot command (QEMU's secure=on pflash): then the OS cannot write it either. */
static void probe_store(void)
{
	union smm_store_args probe = {.raw = {0, 0, 0}};
	uint32_t status;

	if (!smm.module)
		return;
	status = smm_store_request(SMM_STORE_RAW_READ, &probe);
	if (status != SMM_STORE_OK) {
		dlog(LOG_DEBUG, "smm: no flash answers the SMM store at %x (status %x)\n",
		     smm.store.flash_base, status);
		return;
	}
	if (pflash_probe(smm.store.flash_base)) {
		dlog(LOG_DEBUG, "smm: the flash at %x is writable outside SMM: no SMM store\n",
		     smm.store.flash_base);
		return;
	}
	memmap_reserve(smm.store.com_buffer, smm.store.com_buffer_size, E820_RESERVED,
		       "SMM store buffer");
	smm.store_ready = true;
	dlog(LOG_INFO, "smm: SMM store for the SMM-only flash at %x (%u blocks of %u bytes)\n",
	     smm.store.flash_base, smm.store.num_blocks, smm.store.block_size);
}

uint32_t smm_store_request(uint32_t cmd, const union smm_store_args *args)
{
	uint32_t eax = cmd << 8 | SMM_STORE_APM_CMD;

	/* The jump ends QEMU's translation block, so TCG takes the SMI before EAX is read. */
	asm volatile("outb %%al, $0xb2\n\t"
		     "jmp 1f\n"
		     "1:"
		     : "+a"(eax)
		     : "b"(args)
		     : "memory");
	return eax;
}

const struct smm_store_cfg *smm_store(void)
{
	return smm.store_ready ? &smm.store : NULL;
}

void smm_init(void)
{
	if (!smm_prepare()) {
		if (smm.skipped)
			dlog(LOG_INFO, "smm: %s\n", smm.skipped);
		return;
	}
	if (!relocate_all())
		return;
	if (platform.machine == MACHINE_PC)
		finish_pc();
	else
		finish_q35();
	if (!platform.smm)
		return;
	probe_store();
	smm_prove_handler();
}
