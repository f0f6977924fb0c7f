/* SPDX-License-Identifier: MIT */
/* Binary layouts of the ACPI tables qvmloader builds (ACPI 6.x field names, revisions as
 * noted) and of QEMU's fw_cfg HPET record. Shared by acpi-build.c and its tests. */
#ifndef QVM_ACPI_TABLES_H
#define QVM_ACPI_TABLES_H

#include <stdint.h>

#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO	1

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI header is 36 bytes");

/* RSDP revision 2: the 20-byte 1.0 part, then length, XSDT and the extended checksum. */
struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP 2.0 is 36 bytes");

/* Generic address structure. */
struct acpi_gas {
	uint8_t space;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");

/* FADT revision 3. */
struct acpi_fadt {
	struct acpi_header h;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t int_model; /* reserved since ACPI 2.0 */
	uint8_t pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint8_t reserved2[3];
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == 244, "FADT rev 3 is 244 bytes");

struct acpi_facs {
	char signature[4];
	uint32_t length;
	uint32_t hardware_signature;
	uint32_t waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_waking_vector;
	uint8_t version;
	uint8_t reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS is 64 bytes");

/* MADT header; entries follow. */
struct acpi_madt {
	struct acpi_header h;
	uint32_t lapic_addr;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT header is 44 bytes");

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_ISO = 2,
	MADT_LAPIC_NMI = 4,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

struct madt_lapic {
	uint8_t type, length, uid, apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT LAPIC is 8 bytes");

struct madt_ioapic {
	uint8_t type, length, id, reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_ioapic) == 12, "MADT IOAPIC is 12 bytes");

struct madt_iso {
	uint8_t type, length, bus, source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_iso) == 10, "MADT ISO is 10 bytes");

struct madt_lapic_nmi {
	uint8_t type, length, uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic_nmi) == 6, "MADT LAPIC NMI is 6 bytes");

struct madt_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t uid;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_x2apic) == 16, "MADT x2APIC is 16 bytes");

struct madt_x2apic_nmi {
	uint8_t type, length;
	uint16_t flags;
	uint32_t uid;
	uint8_t lint;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct madt_x2apic_nmi) == 12, "MADT x2APIC NMI is 12 bytes");

/* HPET description table. */
struct acpi_hpet {
	struct acpi_header h;
	uint32_t event_timer_block_id;
	struct acpi_gas address;
	uint8_t number;
	uint16_t min_tick;
	uint8_t page_protection;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET table is 56 bytes");

/* MCFG with its one allocation. */
struct acpi_mcfg {
	struct acpi_header h;
	uint8_t reserved[8];
	uint64_t base;
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
	uint32_t reserved2;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_mcfg) == 60, "MCFG with one entry is 60 bytes");

/* SRAT header; entries follow. */
struct acpi_srat {
	struct acpi_header h;
	uint32_t reserved1; /* 1 for compatibility */
	uint64_t reserved2;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_srat) == 48, "SRAT header is 48 bytes");

enum srat_type {
	SRAT_CPU = 0,
	SRAT_MEMORY = 1,
	SRAT_X2APIC = 2,
};

struct srat_cpu {
	uint8_t type, length, proximity_lo, apic_id;
	uint32_t flags;
	uint8_t sapic_eid;
	uint8_t proximity_hi[3];
	uint32_t clock_domain;
} __attribute__((packed));
_Static_assert(sizeof(struct srat_cpu) == 16, "SRAT CPU affinity is 16 bytes");

struct srat_mem {
	uint8_t type, length;
	uint32_t proximity;
	uint16_t reserved1;
	uint32_t base_lo, base_hi, len_lo, len_hi;
	uint32_t reserved2;
	uint32_t flags;
	uint64_t reserved3;
} __attribute__((packed));
_Static_assert(sizeof(struct srat_mem) == 40, "SRAT memory affinity is 40 bytes");

struct srat_x2apic {
	uint8_t type, length;
	uint16_t reserved1;
	uint32_t proximity;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t clock_domain;
	uint32_t reserved2;
} __attribute__((packed));
_Static_assert(sizeof(struct srat_x2apic) == 24, "SRAT x2APIC affinity is 24 bytes");

/* One timer block of fw_cfg key 0x8004 (after its u8 count). */
struct hpet_fw_entry {
	uint32_t event_timer_block_id;
	uint64_t address;
	uint16_t min_tick;
	uint8_t page_prot;
} __attribute__((packed));
_Static_assert(sizeof(struct hpet_fw_entry) == 15, "fw_cfg HPET entry is 15 bytes");

#endif
