// SPDX-License-Identifier: MIT
/* Fallback boot counter encoding (see bootcount.h). */
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
