/* SPDX-License-Identifier: MIT */
/* MTRR planning: turns RAM/MMIO layout facts into the MSR values every CPU gets.
 * Pure: no MSR access here; the hardware layer writes the plan on each CPU. */
#ifndef QVM_MTRR_PLAN_H
#define QVM_MTRR_PLAN_H

#include <stdbool.h>
#include <stdint.h>

enum mtrr_type {
	MTRR_TYPE_UC = 0,
	MTRR_TYPE_WC = 1,
	MTRR_TYPE_WT = 4,
	MTRR_TYPE_WP = 5,
	MTRR_TYPE_WB = 6,
};

#define MSR_MTRR_CAP	       0xfe
#define MSR_MTRR_DEF_TYPE      0x2ff
#define MSR_MTRR_FIX_64K_00000 0x250
#define MSR_MTRR_FIX_16K_80000 0x258
#define MSR_MTRR_FIX_16K_A0000 0x259
#define MSR_MTRR_FIX_4K_C0000  0x268
#define MSR_MTRR_PHYS_BASE(n)  (0x200u + 2u * (n))
#define MSR_MTRR_PHYS_MASK(n)  (0x201u + 2u * (n))

#define MTRR_CAP_VCNT_MASK   0xffu
#define MTRR_CAP_FIX	     (1u << 8)
#define MTRR_DEF_TYPE_FE     (1u << 10)
#define MTRR_DEF_TYPE_E	     (1u << 11)
#define MTRR_PHYS_MASK_VALID (1u << 11)

#define MTRR_FIXED_COUNT     11
#define MTRR_PLAN_MAX_VAR    32 /* variable pairs the plan can hold */
#define MTRR_PLAN_MAX_RANGES 16 /* UC ranges accepted per plan */
#define MTRR_PHYS_BITS_MIN   32
#define MTRR_PHYS_BITS_MAX   52

/* A half-open physical address range [start, end). */
struct mtrr_range {
	uint64_t start;
	uint64_t end;
};

/* One MSR write. */
struct mtrr_msr {
	uint32_t msr;
	uint64_t value;
};

/* What the plan is built from. */
struct mtrr_plan_input {
	const struct mtrr_range *uc; /* MMIO to make UC, e.g. [pci_start, 4G), 64-bit window */
	unsigned int uc_count;
	const struct mtrr_range *wb; /* must stay WB: all RAM, hotplug memory (may be NULL) */
	unsigned int wb_count;
	uint64_t low_ram_end;	/* end of the RAM that starts at 0 (fixed ranges) */
	unsigned int phys_bits; /* CPUID 0x80000008 EAX[7:0], 32..52 */
	unsigned int vcnt;	/* MTRRcap[7:0] */
};

/* The MSR values; write fixed[], then var[], then def_type last (it enables). */
struct mtrr_plan {
	struct mtrr_msr fixed[MTRR_FIXED_COUNT];
	struct mtrr_msr var[2 * MTRR_PLAN_MAX_VAR]; /* base/mask pairs, unused ones zero */
	unsigned int var_msr_count;		    /* valid entries in var[] */
	unsigned int var_used;			    /* pairs with the valid bit set */
	struct mtrr_msr def_type;
	unsigned int phys_bits;
	bool degraded;		  /* some UC range was widened or left partly WB */
	bool ram_wb;		  /* default UC, the variable pairs make RAM WB */
	uint64_t uncovered_bytes; /* MMIO left write-back because MTRRs ran out */
	uint64_t extra_uc_bytes;  /* non-RAM bytes made UC beyond the requested ranges */
};

/* Build the plan; 0 on success (check plan->degraded), -1 on invalid input. */
int mtrr_plan_build(const struct mtrr_plan_input *in, struct mtrr_plan *plan);
/* Memory type the plan gives addr (addr < 2^phys_bits), as the CPU would resolve it. */
uint8_t mtrr_plan_type_at(const struct mtrr_plan *plan, uint64_t addr);
/* Fewest aligned power-of-two blocks whose union is [start, end); both page aligned. */
unsigned int mtrr_block_count(uint64_t start, uint64_t end);

#endif
