// SPDX-License-Identifier: MIT
/* Fallback boot counter encoding and strict decimal parsing (see bootcount.h). */
#include "bootcount.h"

uint8_t bootcount_check(uint8_t count)
{
	return (uint8_t)(~count ^ 0x5a);
}

bool bootcount_decode(uint8_t count, uint8_t check, uint8_t *out)
{
	if (check != bootcount_check(count))
		return false;
	*out = count;
	return true;
}

bool parse_decimal(const char *s, uint32_t len, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (len && s[len - 1] == '\n')
		len--;
	if (!len || len > 10 || (len > 1 && s[0] == '0'))
		return false;
	for (uint32_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}
