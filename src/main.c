// SPDX-License-Identifier: MIT
/* qvmloader's boot flow, top to bottom. */
#include "chipset.h"
#include "console.h"
#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "log.h"
#include "memmap.h"
#include "payload.h"
#include "pci-enum.h"
#include "platform.h"
#include "resume.h"
#include "smm.h"
#include "tables.h"
#include "timing.h"

struct platform platform;

/* Entered from entry.S on the BSP in flat 32-bit mode with a stack. */
void __attribute__((noreturn)) main(void)
{
	console_init();
	dlog(LOG_INFO, "qvmloader: start\n");
	if (!fwcfg_init()) {
		dlog(LOG_ERR, "qvmloader: QEMU fw_cfg is required; halting\n");
		halt_forever();
	}
	console_configure();
	timing_stage("fwcfg");
	platform.rom_size = payload_rom_size();
	memmap_init();
	cpu_probe();
	chipset_init();
	timing_stage("chipset");
	if (resume_pending())
		resume_main();
	pci_init();
	timing_stage("pci");
	cpus_init();
	timing_stage("cpus");
	smm_init();
	timing_stage("smm");
	resume_reserve();
	tables_init();
	timing_stage("tables");
	cpus_park();
	resume_save();
	payload_boot();
}
