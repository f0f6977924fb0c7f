// SPDX-License-Identifier: MIT
/* Host implementation of dlog(): capture to a buffer for test assertions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "host_log.h"

static char captured[1 << 16];
static size_t used;

void dlog(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	(void)level;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (getenv("QVM_TEST_VERBOSE"))
		fputs(line, stderr);
	n = (int)strlen(line);
	if (used + (size_t)n + 1 > sizeof(captured))
		used = 0; /* keep the newest text */
	memcpy(captured + used, line, (size_t)n + 1);
	used += (size_t)n;
}

const char *host_log_text(void)
{
	return captured;
}

void host_log_clear(void)
{
	used = 0;
	captured[0] = 0;
}

int host_log_has(const char *needle)
{
	return strstr(captured, needle) != NULL;
}
