// SPDX-License-Identifier: MIT
/* Debug console output on debugcon 0x402, optionally mirrored to COM1 at 115200 8N1. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "fwcfg.h"
#include "io.h"
#include "log.h"

#define DEBUGCON_PORT 0x402
#define COM1_PORT     0x3f8

static int log_level = CONFIG_LOGLEVEL;
static bool have_debugcon;
static bool have_com1;

/* Program COM1 for 115200 baud, 8N1, no interrupts. */
static void com1_init(void)
{
	outb(COM1_PORT + 1, 0x00); /* IER: no interrupts */
	outb(COM1_PORT + 3, 0x80); /* LCR: DLAB */
	outb(COM1_PORT + 0, 0x01); /* divisor 1: 115200 */
	outb(COM1_PORT + 1, 0x00);
	outb(COM1_PORT + 3, 0x03); /* 8N1 */
	outb(COM1_PORT + 2, 0x07); /* FIFO on, cleared */
	outb(COM1_PORT + 4, 0x03); /* DTR, RTS */
	have_com1 = inb(COM1_PORT + 5) != 0xff;
}

/* Write one character to COM1, waiting a bounded time for the transmitter. */
static void com1_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1_PORT + 5) & 0x20); i++)
		cpu_relax();
	outb(COM1_PORT, (uint8_t)c);
}

/* Write a string to every active console. */
static void console_write(const char *s)
{
	for (; *s; s++) {
		if (have_debugcon)
			outb(DEBUGCON_PORT, (uint8_t)*s);
		if (have_com1) {
			if (*s == '\n')
				com1_putc('\r');
			com1_putc(*s);
		}
	}
}

void console_init(void)
{
	/* QEMU's debugcon reads back 0xe9 when present. */
	have_debugcon = inb(DEBUGCON_PORT) == 0xe9;
}

void console_configure(void)
{
	uint64_t v;

	if (fwcfg_read_option("opt/qvmloader/loglevel", &v)) {
		if (v >= LOG_ERR && v <= LOG_SPEW)
			log_level = (int)v;
		else
			dlog(LOG_ERR,
			     "console: opt/qvmloader/loglevel=%llu out of range 1-4, kept %d\n",
			     (unsigned long long)v, log_level);
	}
	if (fwcfg_read_option("opt/qvmloader/com1", &v) && v)
		com1_init();
	dlog(LOG_INFO, "console: log level %d%s\n", log_level, have_com1 ? ", COM1 mirror" : "");
}

void dlog(int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line);
}
