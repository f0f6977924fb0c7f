/* SPDX-License-Identifier: MIT */
/* Debug console: QEMU debugcon (port 0x402) and an optional COM1 mirror.
 * Implements dlog() for the ROM and owns the run-time log level. */
#ifndef QVM_CONSOLE_H
#define QVM_CONSOLE_H

#include <stdbool.h>

/* Detect debugcon; the log level starts at the build-time default. */
void console_init(void);
/* Apply run-time options from fw_cfg: opt/qvmloader/loglevel and opt/qvmloader/com1. */
void console_configure(void);

#endif
