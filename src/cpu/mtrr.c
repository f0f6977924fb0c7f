// SPDX-License-Identifier: MIT
/* MTRR and IA32_FEATURE_CONTROL programming, identical on every CPU. */
#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "log.h"
#include "mtrr-plan.h"
#include "platform.h"

#define MSR_FEATURE_CONTROL 0x3a
#define CR0_CD		    (1u << 30)
#define CR0_NW		    (1u << 29)

static struct mtrr_plan plan;
static bool have_plan;
static uint64_t feature_control;
static bool have_feature_control;

/* Mix the value of one MSR, read once, into a running checksum. */
static uint32_t fold_msr(uint32_t sum, uint32_t msr)
{
	uint64_t v = rdmsr(msr);

	return sum * 31 + (uint32_t)(v ^ v >> 32);
}

void mtrr_prepare(void)
{
	struct mtrr_range uc[2], wb[2];
	struct mtrr_plan_input in = {0};
	uint32_t a, b, c, d;
	uint64_t cap;

	if (fwcfg_read_file_u64("etc/msr_feature_control", &feature_control) && feature_control)
		have_feature_control = true;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1u << 12))) {
		dlog(LOG_ERR, "mtrr: CPU has no MTRRs, caching left as reset\n");
		return;
	}
	cap = rdmsr(MSR_MTRR_CAP);
	in.phys_bits = (unsigned int)platform.phys_bits;
	in.vcnt = (unsigned int)(cap & MTRR_CAP_VCNT_MASK);
	in.low_ram_end = 0xa0000;
	wb[0] = (struct mtrr_range){0, platform.ram_below_4g};
	uc[0] = (struct mtrr_range){platform.ram_below_4g, 1ull << 32};
	in.uc = uc;
	in.uc_count = 1;
	in.wb = wb;
	in.wb_count = 1;
	if (platform.ram_above_4g_end) {
		wb[1] = (struct mtrr_range){1ull << 32, platform.ram_above_4g_end};
		in.wb_count = 2;
	}
	if (platform.pci64_end > platform.pci64_start) {
		uc[1] = (struct mtrr_range){platform.pci64_start, platform.pci64_end};
		in.uc_count = 2;
	}
	if (!(cap & MTRR_CAP_FIX) || mtrr_plan_build(&in, &plan)) {
		dlog(LOG_ERR, "mtrr: cannot plan (MTRRcap %llx), caching left as reset\n",
		     (unsigned long long)cap);
		return;
	}
	have_plan = true;
	if (plan.degraded)
		dlog(LOG_ERR,
		     "mtrr: only %u variable MTRRs: %llu bytes of MMIO left WB, %llu extra "
		     "bytes UC\n",
		     in.vcnt, (unsigned long long)plan.uncovered_bytes,
		     (unsigned long long)plan.extra_uc_bytes);
	dlog(LOG_INFO, "mtrr: default %s, %u variable %s ranges, phys-bits %d%s\n",
	     plan.ram_wb ? "UC" : "WB", plan.var_used, plan.ram_wb ? "WB" : "UC",
	     platform.phys_bits, have_feature_control ? ", FEATURE_CONTROL set" : "");
}

uint32_t mtrr_apply(void)
{
	uint32_t cr0 = read_cr0(), sum = 0;

	if (have_feature_control)
		wrmsr(MSR_FEATURE_CONTROL, feature_control);
	if (!have_plan)
		return 0;
	write_cr0((cr0 | CR0_CD) & ~CR0_NW);
	wbinvd();
	wrmsr(MSR_MTRR_DEF_TYPE, 0);
	for (int i = 0; i < MTRR_FIXED_COUNT; i++)
		wrmsr(plan.fixed[i].msr, plan.fixed[i].value);
	for (unsigned int i = 0; i < plan.var_msr_count; i++)
		wrmsr(plan.var[i].msr, plan.var[i].value);
	wrmsr(MSR_MTRR_DEF_TYPE, plan.def_type.value);
	wbinvd();
	write_cr0(cr0 & ~(CR0_CD | CR0_NW));

	/* Fold what the CPU now holds, so the BSP can tell whether CPUs agree. */
	for (int i = 0; i < MTRR_FIXED_COUNT; i++)
		sum = fold_msr(sum, plan.fixed[i].msr);
	for (unsigned int i = 0; i < plan.var_msr_count; i++)
		sum = fold_msr(sum, plan.var[i].msr);
	return fold_msr(sum, MSR_MTRR_DEF_TYPE);
}
