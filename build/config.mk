# SPDX-License-Identifier: MIT
# Build-time configuration of the ROM. Override on the command line, e.g.
# `make CONFIG_LOGLEVEL=3`.

# Default debug-console level (1 errors, 2 one line per step, 3 detail, 4 spew).
# fw_cfg file opt/qvmloader/loglevel overrides it at run time.
CONFIG_LOGLEVEL ?= 2

# Version and release date reported in SMBIOS Type 0 and the banner.
CONFIG_VERSION ?= 0.1
CONFIG_DATE ?= 11/21/2026
