/* SPDX-License-Identifier: MIT */
/* The AML qvmloader carries: tables compiled by iasl at build time (out/acpi/NAME.c, made
 * from acpi/NAME.asl by build/aml2c.py) and where their patchable named integers sit. */
#ifndef QVM_AML_H
#define QVM_AML_H

#include <stdint.h>

/* One named integer ("Q..." at the root) whose value bytes are patched at boot. */
struct aml_patch {
	char name[5];
	uint32_t offset; /* of the value bytes in the table */
	uint8_t width;	 /* 4 (DWordConst) or 8 (QWordConst) */
};

/* A compiled table and its patch points. */
struct aml_blob {
	const uint8_t *code;
	uint32_t len;
	const struct aml_patch *patches;
	unsigned int nr_patches;
};

extern const struct aml_blob aml_dsdt_pc;
extern const struct aml_blob aml_dsdt_q35;
extern const struct aml_blob aml_ssdt_s3;
extern const struct aml_blob aml_ssdt_s4;

#endif
