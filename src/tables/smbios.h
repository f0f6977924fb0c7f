/* SPDX-License-Identifier: MIT */
/* SMBIOS: checks QEMU's structure blob, adds a Type 0, fixes the entry point, and builds
 * tables from the legacy fw_cfg key 0x8001. Pure: works on caller buffers only. */
#ifndef QVM_SMBIOS_H
#define QVM_SMBIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMBIOS_EP21_LEN	    31
#define SMBIOS_EP30_LEN	    24
#define SMBIOS_TYPE_BIOS    0
#define SMBIOS_TYPE_END	    127
#define SMBIOS_TYPE0_LEN    0x18 /* 2.4 layout */
#define SMBIOS_BIOS_SEGMENT 0xe800
#define SMBIOS_ERR	    (-1)
/* Type 0 release date: the one stock QEMU SeaBIOS reports. OSes key quirks on the BIOS year
 * (Linux: the RTC alarm through the ACPI fixed event from 2015 on Intel and 2021 on AMD, which
 * QEMU never raises; _CRS use from 2008), so a newer date changes what the guest does. */
#define SMBIOS_BIOS_DATE "04/01/2014"

enum smbios_ep_kind {
	SMBIOS_EP_21 = 21,
	SMBIOS_EP_30 = 30,
};

/* Header common to every structure. */
struct smbios_header {
	uint8_t type;
	uint8_t length; /* formatted part, including this header */
	uint16_t handle;
} __attribute__((packed));
_Static_assert(sizeof(struct smbios_header) == 4, "SMBIOS header is 4 bytes");

/* 2.1 (32-bit) entry point, "_SM_". */
struct smbios_ep21 {
	char anchor[4];
	uint8_t checksum;
	uint8_t length;
	uint8_t major;
	uint8_t minor;
	uint16_t max_struct_size;
	uint8_t ep_revision;
	uint8_t formatted[5];
	char ianchor[5];
	uint8_t ichecksum;
	uint16_t table_length;
	uint32_t table_addr;
	uint16_t struct_count;
	uint8_t bcd_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct smbios_ep21) == SMBIOS_EP21_LEN, "SMBIOS 2.1 EP is 31 bytes");

/* 3.0 (64-bit) entry point, "_SM3_". */
struct smbios_ep30 {
	char anchor[5];
	uint8_t checksum;
	uint8_t length;
	uint8_t major;
	uint8_t minor;
	uint8_t docrev;
	uint8_t ep_revision;
	uint8_t reserved;
	uint32_t table_max_size;
	uint64_t table_addr;
} __attribute__((packed));
_Static_assert(sizeof(struct smbios_ep30) == SMBIOS_EP30_LEN, "SMBIOS 3.0 EP is 24 bytes");

/* What a walk over a structure blob found. */
struct smbios_table_info {
	size_t length;	    /* bytes up to and including the end-of-table structure */
	unsigned int count; /* structures */
	size_t max_size;    /* largest structure, strings included */
	uint16_t max_handle;
	bool has_type0;
	bool has_end; /* a type 127 ends the table */
};

/* Contents of a synthesized Type 0 (vendor is always "qvmloader"). */
struct smbios_type0_info {
	const char *version; /* BIOS version string */
	const char *date;    /* release date, "MM/DD/YYYY" */
	uint8_t major;	     /* system BIOS major release */
	uint8_t minor;
	uint32_t rom_bytes; /* size of the BIOS ROM */
	bool acpi;	    /* ACPI tables are installed */
};

/* Facts the legacy (key 0x8001) path builds its tables from. */
struct smbios_legacy_input {
	const void *blob; /* fw_cfg key 0x8001 contents */
	size_t len;
	unsigned int cpu_count;
	uint32_t cpuid_eax; /* CPUID.1 EAX and EDX: the Type 4 processor ID */
	uint32_t cpuid_edx;
	uint64_t ram_below_4g;
	uint64_t ram_above_4g;
	const struct smbios_type0_info *type0;
};

/* Counts from a parse of the legacy blob. */
struct smbios_legacy_summary {
	unsigned int fields; /* kind 0 entries */
	unsigned int tables; /* kind 1 entries */
};

/* Walk a structure blob with bounds checks; 0 and info filled, or SMBIOS_ERR (logged). */
int smbios_walk(const void *blob, size_t len, struct smbios_table_info *info);
/* Write a Type 0 with the given handle; return its size or SMBIOS_ERR if size is short. */
int smbios_build_type0(const struct smbios_type0_info *t0, uint16_t handle, void *buf, size_t size);
/* Repair a structure blob in place when it does not walk: drop the bytes from the first bad
 * structure up to the earliest offset from which whole structures run to the end-of-table
 * structure (a garbage -smbios file= comes before QEMU's own structures), keeping the whole
 * structures before it. Returns the new length (len when nothing was wrong), or SMBIOS_ERR
 * when nothing intact follows. Logs what was dropped. */
int smbios_salvage(void *blob, size_t len);
/* Copy QEMU's blob to out, with a Type 0 first if it has none; return bytes or SMBIOS_ERR. */
int smbios_install(const void *tables, size_t len, const struct smbios_type0_info *t0, void *out,
		   size_t size, struct smbios_table_info *info);
/* Fill a blank 2.1 entry point (anchors, version) for the legacy path. */
void smbios_ep21_init(void *ep, uint8_t major, uint8_t minor);
/* Set the table address, length, count and max size in an anchor and fix its checksums;
 * return SMBIOS_EP_21, SMBIOS_EP_30 or SMBIOS_ERR (bad size, signature or limits). */
int smbios_fix_entry_point(void *ep, size_t len, const struct smbios_table_info *info,
			   uint64_t addr);
/* Validate the legacy key 0x8001 blob and count its entries; 0 or SMBIOS_ERR. */
int smbios_legacy_parse(const void *blob, size_t len, struct smbios_legacy_summary *sum);
/* Build types 0, 1, 3, 4 (per CPU), 16, 17, 19, 32, 127 from the legacy blob into out;
 * return bytes or SMBIOS_ERR. info describes the result for smbios_fix_entry_point(). */
int smbios_build_legacy(const struct smbios_legacy_input *in, void *out, size_t size,
			struct smbios_table_info *info);

#endif
