/* SPDX-License-Identifier: MIT */
/* Leveled debug log used by every module, ROM and host alike.
 * The ROM prints to debugcon 0x402 (and COM1); host tests capture the text. */
#ifndef QVM_LOG_H
#define QVM_LOG_H

enum log_level {
	LOG_ERR = 1,   /* something is wrong: always shown */
	LOG_INFO = 2,  /* one line per boot step: the default */
	LOG_DEBUG = 3, /* per-device / per-table detail */
	LOG_SPEW = 4,  /* per-register detail */
};

/* Print a message if level <= the current log level. */
void dlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
