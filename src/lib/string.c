// SPDX-License-Identifier: MIT
/* Freestanding implementations of the <string.h> subset the ROM provides. */
#include <stdint.h>
#include <string.h>

/* Copy n bytes; regions must not overlap. Dword moves first: TCG runs each iteration of a
 * rep string instruction separately, so fewer, wider iterations are much faster. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n / 4, bytes = n % 4;

	asm volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(bytes) : : "memory");
	return ret;
}

/* Copy n bytes; regions may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/* Fill n bytes with c, a dword at a time where possible. */
void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t words = n / 4, bytes = n % 4;
	uint32_t v = (uint8_t)c * 0x01010101u;

	asm volatile("rep stosl" : "+D"(dst), "+c"(words) : "a"(v) : "memory");
	asm volatile("rep stosb" : "+D"(dst), "+c"(bytes) : "a"(v) : "memory");
	return ret;
}

/* Compare n bytes. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* Length of a NUL-terminated string. */
size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Length of s, at most max. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Compare two strings. */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/* Compare at most n characters of two strings. */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

/* First occurrence of c in s, or NULL. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* First occurrence of needle in haystack, or NULL. */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}
