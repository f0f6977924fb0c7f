// SPDX-License-Identifier: MIT
/* Fuzz the SMBIOS walker, installer, entry-point fixer and legacy builder.
 * Input: one selector byte, then bytes used as the table blob, the anchor and the legacy blob. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "smbios.h"

static uint8_t out[1 << 17];

/* Byte sum of len bytes. */
static ORACLE uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* Walk, then install with a Type 0, checking the result describes itself. */
static void fuzz_install(const uint8_t *b, size_t len, size_t outsize)
{
	static const struct smbios_type0_info t0 = {"fuzz", "01/01/2026", 1, 0, 1 << 17, true};
	struct smbios_table_info src, info, check;
	int n;

	if (smbios_walk(b, len, &src))
		return;
	if (src.length > len || !src.count || src.max_size > src.length || src.max_size < 6)
		__builtin_trap();
	if (b[src.length - 1] || b[src.length - 2])
		__builtin_trap(); /* every structure ends with a double NUL */
	n = smbios_install(b, len, &t0, out, outsize, &info);
	if (n < 0)
		return;
	if ((size_t)n != info.length || (size_t)n > outsize || !info.has_type0)
		__builtin_trap();
	if (info.count != src.count + (src.has_type0 ? 0 : 1))
		__builtin_trap();
	if (memcmp(out + (size_t)n - src.length, b, src.length) != 0)
		__builtin_trap();
	if (smbios_walk(out, (size_t)n, &check) || check.count != info.count)
		__builtin_trap();
}

/* Fix an anchor taken from the input; a success must checksum to zero. */
static void fuzz_anchor(const uint8_t *b, size_t len, uint8_t sel)
{
	struct smbios_table_info info = {.length = (size_t)sel << 4, .count = sel, .max_size = sel};
	size_t alen = (sel & 1) ? SMBIOS_EP21_LEN : SMBIOS_EP30_LEN;
	uint8_t ep[SMBIOS_EP21_LEN], orig[SMBIOS_EP21_LEN];
	int kind;

	if (len < alen)
		return;
	memcpy(ep, b, alen);
	memcpy(orig, b, alen);
	kind = smbios_fix_entry_point(ep, alen, &info, (uint64_t)sel << 24);
	if (kind == SMBIOS_EP_21 && (sum(ep, 31) || sum(ep + 0x10, 0x0f)))
		__builtin_trap();
	if (kind == SMBIOS_EP_30 && sum(ep, 24))
		__builtin_trap();
	if (kind < 0 && memcmp(ep, orig, alen) != 0)
		__builtin_trap();
}

/* Treat the input as fw_cfg key 0x8001 and build the legacy table set. */
static void fuzz_legacy(const uint8_t *b, size_t len, uint8_t sel)
{
	static const struct smbios_type0_info t0 = {"fuzz", "01/01/2026", 1, 0, 1 << 17, false};
	struct smbios_legacy_input in = {
		.blob = b,
		.len = len,
		.cpu_count = sel,
		.ram_below_4g = (uint64_t)sel << 24,
		.ram_above_4g = (uint64_t)(sel & 0x0f) << 34,
		.type0 = &t0,
	};
	struct smbios_legacy_summary s;
	struct smbios_table_info info, check;
	int parsed = smbios_legacy_parse(b, len, &s);
	int n = smbios_build_legacy(&in, out, sizeof(out), &info);

	if (parsed < 0 && n >= 0)
		__builtin_trap();
	if (n < 0)
		return;
	if ((size_t)n != info.length || !info.has_type0 || !info.has_end)
		__builtin_trap();
	if (smbios_walk(out, (size_t)n, &check) || check.count != info.count)
		__builtin_trap();
	if (s.fields + s.tables > 0xffff)
		__builtin_trap();
}

/* Salvage a copy: a result must walk cleanly and be no longer than the input. */
static void fuzz_salvage(const uint8_t *b, size_t len)
{
	static uint8_t copy[1 << 16];
	struct smbios_table_info info;
	int n;

	if (len > sizeof(copy))
		return;
	memcpy(copy, b, len);
	n = smbios_salvage(copy, len);
	if (n == SMBIOS_ERR)
		return;
	if ((size_t)n > len || smbios_walk(copy, (size_t)n, &info))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	fuzz_install(data, size, (sel & 0x80) ? size + 8 : sizeof(out));
	fuzz_anchor(data, size, sel);
	fuzz_legacy(data, size, sel);
	fuzz_salvage(data, size);
	return 0;
}
