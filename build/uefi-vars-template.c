// SPDX-License-Identifier: MIT
/* Host tool: write an empty, formatted UEFI variable store (the nvram template for pflash
 * unit 1) with the same header bytes the loader writes when it formats a store.
 * Usage: uefi-vars-template OUT.fd */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uefi-vars.h"

int main(int argc, char **argv)
{
	static uint8_t store[UEFI_VARS_SIZE];
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT.fd\n", argv[0]);
		return 2;
	}
	memset(store, 0xff, sizeof(store));
	uefi_vars_header(store);
	if (uefi_vars_check(store, sizeof(store)) != UEFI_VARS_OK) {
		fprintf(stderr, "%s: the header does not pass its own check\n", argv[0]);
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(store, sizeof(store), 1, f) != 1 || fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
