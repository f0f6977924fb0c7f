// SPDX-License-Identifier: MIT
/* Unit tests for the LinuxBoot image header checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lbimage.h"

#define LEN 0x10000u

static struct lb_header h;

/* A sound header: setup 8 sectors, kernel stored, initramfs LZ4, a command line. */
static void make(void)
{
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, LB_MAGIC, 8);
	h.version = LB_VERSION;
	h.header_size = sizeof(h);
	h.setup = (struct lb_part){0x50, 0x1000, 0x1000, LB_STORED};
	h.kernel = (struct lb_part){0x1050, 0x8000, 0x8000, LB_STORED};
	h.initrd = (struct lb_part){0x9050, 0x2000, 0x9000, LB_LZ4};
	h.cmdline_offset = 0xb050;
	h.cmdline_size = 20;
}

/* The reason lb_check gives, and the part it names in *part. */
static const char *check(const char **part)
{
	return lb_check(&h, sizeof(h), LEN, part);
}

static void test_sound_header(void **state)
{
	const char *part;

	(void)state;
	make();
	assert_null(check(&part));
	h.initrd = (struct lb_part){0, 0, 0, LB_STORED}; /* no initramfs */
	assert_null(check(&part));
}

static void test_each_defect_named(void **state)
{
	const char *part, *why;

	(void)state;
	make();
	h.magic[0] = 'X';
	assert_string_equal(check(&part), "no QVMLBOOT magic");
	assert_string_equal(part, "header");
	make();
	h.version = 2;
	assert_non_null(check(&part));
	make();
	h.setup.size = h.setup.stored = 0x1100;
	assert_non_null(check(&part));
	assert_string_equal(part, "setup part");
	make();
	h.setup.method = LB_LZ4;
	assert_string_equal(check(&part), "has an unknown method");
	make();
	h.kernel.offset = LEN - 0x100;
	why = check(&part);
	assert_string_equal(why, "lies outside the image");
	assert_string_equal(part, "kernel part");
	make();
	h.kernel.stored = 0x7fff;
	assert_string_equal(check(&part), "is stored but its two sizes differ");
	make();
	h.kernel = (struct lb_part){0x1050, 0, 0, LB_STORED};
	assert_string_equal(check(&part), "is empty");
	make();
	h.initrd.method = 7;
	assert_string_equal(check(&part), "has an unknown method");
	assert_string_equal(part, "initrd part");
	make();
	h.initrd.size = LB_MAX_PART + 1;
	assert_string_equal(check(&part), "decodes to more than 256 MiB");
	make();
	h.initrd.stored = 3;
	assert_string_equal(check(&part), "is too short for an LZ4 frame");
	make();
	h.cmdline_size = LB_MAX_CMDLINE + 1;
	assert_non_null(check(&part));
	assert_string_equal(part, "command line");
	make();
	h.cmdline_offset = LEN - 10;
	assert_non_null(check(&part));
	make();
	assert_string_equal(lb_check(&h, sizeof(h) - 1, LEN, &part), "shorter than its header");
	/* Offsets near 2^32 must not wrap around the bounds check. */
	make();
	h.initrd = (struct lb_part){0xffffff00u, 0x200, 0x200, LB_STORED};
	assert_string_equal(check(&part), "lies outside the image");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_header),
		cmocka_unit_test(test_each_defect_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
