/* SPDX-License-Identifier: MIT */
/* The ROM's freestanding <string.h>: the few libc string functions pure modules may use.
 * Host builds use the real libc header instead (this directory is not on their path). */
#ifndef QVM_STRING_H
#define QVM_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

#endif
