/* SPDX-License-Identifier: MIT */
/* The ROM's freestanding <stdio.h>: formatting into buffers only.
 * Supports %d %i %u %x %X %c %s %p with l/ll, width and zero padding. */
#ifndef QVM_STDIO_H
#define QVM_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
