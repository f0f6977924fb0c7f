// SPDX-License-Identifier: MIT
/* EDK2 UefiPayloadPkg (BOOTLOADER=COREBOOT) payloads: check what the FD assumes about the
 * machine, copy it to its fixed address, publish a coreboot table with a CBMEM root, and call
 * its 32-bit SEC entry with the table's address. */
#include <string.h>

#include "cbtable.h"
#include "io.h"
#include "lapic.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "pflash.h"
#include "payload.h"
#include "platform.h"
#include "smm.h"
#include "tables.h"
#include "timing.h"
#include "uefi-fd.h"
#include "uefi-vars.h"

#define CB_TABLE_BYTES 4096
#define COM1	       0x3f8
#define UART_SCRATCH   7
#define UART_CLOCK     1843200
#define UART_BAUD      115200

/* Identity view of guest-physical memory below 4 GiB. */
static const void *phys_map(void *ctx, uint64_t addr, uint32_t len)
{
	(void)ctx;
	if (!addr || addr >= (1ull << 32) || len > (1ull << 32) - addr)
		return NULL;
	return (const void *)(uintptr_t)addr;
}

static bool probe(const struct payload_image *img)
{
	return uefi_fv_probe(img->head, img->head_len);
}

/* True if a 16550 answers at port base (its scratch register holds a value). */
static bool uart_present(uint16_t base)
{
	uint8_t old = inb(base + UART_SCRATCH);
	bool ok;

	outb(base + UART_SCRATCH, 0x5a);
	ok = inb(base + UART_SCRATCH) == 0x5a;
	outb(base + UART_SCRATCH, 0xa5);
	ok = ok && inb(base + UART_SCRATCH) == 0xa5;
	outb(base + UART_SCRATCH, old);
	return ok;
}

/* Size in bytes of the RSDP at addr (20 for revision 0, its length field otherwise). */
static uint32_t rsdp_size(uint32_t addr)
{
	const uint8_t *r = (const uint8_t *)(uintptr_t)addr;
	uint32_t len;

	if (r[15] < 2)
		return 20;
	memcpy(&len, r + 20, 4);
	return len;
}

/* Fill the CBMEM root page with the RSDP and SMBIOS 2.x entry point the payload looks up. */
static bool fill_cbmem(void *page)
{
	if (!cbmem_root_init(page, CBMEM_ROOT_BYTES) ||
	    !cbmem_root_add(page, CBMEM_ID_ACPI, tables.rsdp, rsdp_size(tables.rsdp)))
		return false;
	if (!tables.smbios21) {
		dlog(LOG_ERR, "uefi: no SMBIOS 2.x entry point (the payload ignores 3.0-only "
			      "SMBIOS): the OS will see no SMBIOS\n");
		return true;
	}
	return cbmem_root_add(page, CBMEM_ID_SMBIOS, tables.smbios21,
			      ((const uint8_t *)(uintptr_t)tables.smbios21)[5]);
}

/* The serial record for the payload's console. Displays are the payload's own: its video
 * drivers (OvmfPkg's) set the modes and produce GOP, so no framebuffer is reported. */
static void add_devices(struct cb_builder *b)
{
	struct cb_serial s = {
		.type = CB_SERIAL_IO,
		.baseaddr = COM1,
		.baud = UART_BAUD,
		.regwidth = 1,
		.input_hertz = UART_CLOCK,
	};

	if (!uart_present(COM1)) {
		dlog(LOG_INFO, "uefi: no UART at %x: the payload gets no serial console\n", COM1);
		return;
	}
	cb_add(b, CB_TAG_SERIAL, &s, sizeof(s));
}

/* The payload's memory map: table zone reserved, the CBMEM page alone as type 16, 4 KiB
 * aligned. Returns false after logging if a map is full. */
static bool handoff_map(uint32_t cbmem, struct e820_map *out)
{
	static struct e820_map raw;

	memmap_handoff(&raw, E820_RESERVED);
	if (e820_add(&raw, cbmem, CBMEM_ROOT_BYTES, E820_TABLE) || uefi_align_map(&raw, out)) {
		dlog(LOG_ERR, "uefi: memory map has too many ranges for the hand-off\n");
		return false;
	}
	e820_log(out, LOG_DEBUG, "uefi: memory map");
	return true;
}

/* Check the ACPI tables the payload parses; false after logging. */
static bool check_acpi(void)
{
	const struct phys_view mem = {phys_map, NULL};
	struct uefi_acpi_info acpi;

	if (uefi_check_acpi(&mem, tables.rsdp, &acpi))
		return false;
	if (!acpi.mcfg && platform.mmconfig) {
		dlog(LOG_ERR,
		     "uefi: the chipset has MMCONFIG at %x but ACPI has no MCFG; not booting "
		     "the payload\n",
		     platform.mmconfig);
		return false;
	}
	if (!acpi.mcfg) {
		dlog(LOG_DEBUG, "uefi: FADT at %llx, no MCFG: the payload uses CF8 for PCI\n",
		     (unsigned long long)acpi.fadt);
		return true;
	}
	if (acpi.ecam_base != platform.mmconfig) {
		dlog(LOG_ERR,
		     "uefi: MCFG says ECAM at %llx but the chipset has it at %x; not "
		     "booting the payload\n",
		     (unsigned long long)acpi.ecam_base, platform.mmconfig);
		return false;
	}
	dlog(LOG_DEBUG, "uefi: FADT at %llx, MCFG at %llx (ECAM %llx, buses 0-%u)\n",
	     (unsigned long long)acpi.fadt, (unsigned long long)acpi.mcfg,
	     (unsigned long long)acpi.ecam_base, acpi.ecam_end_bus);
	return true;
}

/* How the loader writes the variable store: straight to the flash, or through the SMM store
 * when only SMM can command the flash. Addresses are absolute, within one store block. */
struct vars_writer {
	bool (*erase)(uint32_t addr);
	bool (*program)(uint32_t addr, const uint8_t *src, uint32_t len);
};

static const struct vars_writer direct_writer = {pflash_erase, pflash_program};

/* The SMM store's block and offset for addr, in the arguments of a raw request. */
static union smm_store_args store_args(uint32_t addr, uint32_t len)
{
	const struct smm_store_cfg *st = smm_store();
	uint32_t off = addr - st->flash_base;

	return (union smm_store_args){.raw = {len, off % st->block_size, off / st->block_size}};
}

/* Erase the store block at addr through the SMM store. */
static bool store_erase(uint32_t addr)
{
	union smm_store_args args = {.clear = {store_args(addr, 0).raw.block_id}};

	return smm_store_request(SMM_STORE_RAW_CLEAR, &args) == SMM_STORE_OK;
}

/* Program len bytes (at most the buffer, within one block) at addr through the SMM store. */
static bool store_program(uint32_t addr, const uint8_t *src, uint32_t len)
{
	union smm_store_args args = store_args(addr, len);

	memcpy((void *)(uintptr_t)smm_store()->com_buffer, src, len);
	return smm_store_request(SMM_STORE_RAW_WRITE, &args) == SMM_STORE_OK;
}

static const struct vars_writer store_writer = {store_erase, store_program};

/* Erase the store and write the headers of an empty one; false after logging. */
static bool format_vars(uint32_t base, const struct vars_writer *w)
{
	static uint8_t header[UEFI_VARS_HDR_BYTES];

	for (uint32_t off = 0; off < UEFI_VARS_SIZE; off += UEFI_VARS_BLOCK) {
		if (!w->erase(base + off)) {
			dlog(LOG_ERR,
			     "uefi: erasing the variable store block at %x failed (read-only "
			     "pflash?): UEFI variables will not be saved\n",
			     base + off);
			return false;
		}
	}
	uefi_vars_header(header);
	if (!w->program(base, header, sizeof(header)) ||
	    uefi_vars_check((const uint8_t *)(uintptr_t)base, UEFI_VARS_SIZE) != UEFI_VARS_OK) {
		dlog(LOG_ERR,
		     "uefi: writing the variable store header at %x failed: UEFI "
		     "variables will not be saved\n",
		     base);
		return false;
	}
	return true;
}

/* Say why there is no variable store flash the loader can command at base. */
static void report_no_vars_flash(uint32_t base)
{
	uint32_t below_code = (uint32_t)(0x100000000ull - platform.rom_size - UEFI_VARS_BLOCK);

	if (uefi_vars_check((const uint8_t *)(uintptr_t)base, UEFI_VARS_SIZE) != UEFI_VARS_NO_FV)
		dlog(LOG_ERR,
		     "uefi: the flash at %x holds a variable store but ignores commands outside "
		     "SMM (secure=on), and no SMM store serves it (that needs q35 with SMM): UEFI "
		     "variables are kept in RAM and lost at power-off\n",
		     base);
	else if (pflash_probe(below_code))
		dlog(LOG_ERR,
		     "uefi: the variable store flash below the code flash is smaller "
		     "than %u KiB (truncated VARS file?); not using it: UEFI "
		     "variables are kept in RAM and lost at power-off\n",
		     UEFI_VARS_SIZE >> 10);
	else
		dlog(LOG_INFO,
		     "uefi: no variable store flash at %x (no pflash unit 1, e.g. "
		     "plain -bios): UEFI variables are kept in RAM and lost at "
		     "power-off\n",
		     base);
}

/* The variable store the payload's flash driver uses: QEMU pflash unit 1 right below the code
 * flash. Formatted here when blank or damaged; without one the payload keeps variables in RAM.
 * Returns the SMM store when the payload must write the store through it, else NULL. */
static const struct smm_store_cfg *prepare_vars(void)
{
	uint32_t base = uefi_vars_base(platform.rom_size);
	const struct smm_store_cfg *store = smm_store();
	const struct vars_writer *w = store ? &store_writer : &direct_writer;
	const char *how = store ? "SMM-only pflash, written through the SMM store" : "pflash";
	enum uefi_vars_state state;

	if (!store && !pflash_probe(base)) {
		report_no_vars_flash(base);
		return NULL;
	}
	state = uefi_vars_check((const uint8_t *)(uintptr_t)base, UEFI_VARS_SIZE);
	if (state == UEFI_VARS_OK) {
		dlog(LOG_INFO, "uefi: variable store at %x (%u KiB %s)\n", base,
		     UEFI_VARS_SIZE >> 10, how);
		return store;
	}
	dlog(LOG_INFO, "uefi: variable store at %x %s: formatting it\n", base,
	     uefi_vars_state_text(state));
	if (!format_vars(base, w))
		return NULL;
	dlog(LOG_INFO, "uefi: variable store at %x formatted (%u KiB %s)\n", base,
	     UEFI_VARS_SIZE >> 10, how);
	return store;
}

/* Append the SMM store record the payload's flash driver looks for. */
static void add_smm_store(struct cb_builder *b, const struct smm_store_cfg *st)
{
	struct cb_smmstorev2 rec = {
		.num_blocks = st->num_blocks,
		.block_size = st->block_size,
		.mmap_addr = st->flash_base,
		.com_buffer = st->com_buffer,
		.com_buffer_size = st->com_buffer_size,
		.apm_cmd = SMM_STORE_APM_CMD,
	};

	cb_add(b, CB_TAG_SMMSTOREV2, &rec, sizeof(rec));
}

/* Call the SEC entry (cdecl, one argument) in 32-bit flat mode; returns its status. */
static uint32_t call_sec(uint32_t entry, uint32_t table)
{
	uint32_t status;

	timing_stage("payload");
	timing_report();
	asm volatile("cli\n\t"
		     "pushl %2\n\t"
		     "calll *%1\n\t"
		     "addl $4, %%esp"
		     : "=a"(status)
		     : "r"(entry), "r"(table)
		     : "ecx", "edx", "memory", "cc");
	return status;
}

static void boot(const struct payload_image *img)
{
	struct busy_range busy[8];
	struct uefi_fixed fx;
	struct uefi_fv_info fv;
	static struct e820_map map;
	const struct smm_store_cfg *store;
	struct cb_builder b;
	void *cbmem, *table;
	uint32_t status;
	int nbusy;

	if (!tables.rsdp || !check_acpi())
		return;
	cbmem = zone_alloc(CBMEM_ROOT_BYTES, CBMEM_ROOT_BYTES, "CBMEM root");
	table = zone_alloc(CB_TABLE_BYTES, 16, "coreboot table");
	if (!cbmem || !table || !fill_cbmem(cbmem))
		return;
	uefi_fixed_ranges(img->size, &fx);
	nbusy = memmap_busy(busy, 8);
	if (uefi_check_fixed(&fx, &memmap, busy, nbusy))
		return;
	if (!payload_read(img, 0, (void *)UEFI_FD_BASE, img->size)) {
		dlog(LOG_ERR, "uefi: %s: reading %u bytes failed\n", img->source, img->size);
		return;
	}
	if (uefi_fv_parse((const void *)UEFI_FD_BASE, img->size, UEFI_FD_BASE, &fv))
		return;
	dlog(LOG_INFO, "uefi: FD of %u bytes at %x, SEC %s at %x, entry %x\n", img->size,
	     UEFI_FD_BASE, fv.te ? "TE" : "PE32", fv.image_base, fv.entry);
	if (!handoff_map((uint32_t)(uintptr_t)cbmem, &map))
		return;
	store = prepare_vars();
	cb_begin(&b, table, CB_TABLE_BYTES);
	cb_add_memory(&b, &map);
	cb_add_mainboard(&b, "QEMU", "qvmloader");
	add_devices(&b);
	if (store)
		add_smm_store(&b, store);
	if (!cb_finish(&b) || !cb_write_forwarder((void *)CB_FORWARD_ADDR, CB_FORWARDER_BYTES,
						  (uint32_t)(uintptr_t)table))
		return;
	lapic_virtual_wire();
	dlog(LOG_INFO, "uefi: calling SEC at %x (coreboot table at %p, CBMEM root at %p)\n",
	     fv.entry, table, cbmem);
	status = call_sec(fv.entry, (uint32_t)(uintptr_t)table);
	dlog(LOG_ERR, "uefi: SEC returned status %x\n", status);
}

const struct payload_ops payload_uefi_fd = {
	.name = "EDK2 UEFI payload FD",
	.probe = probe,
	.boot = boot,
};
