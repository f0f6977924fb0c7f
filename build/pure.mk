# SPDX-License-Identifier: MIT
# Modules that need no hardware: compiled into the ROM and, unchanged, into the
# host unit tests, fuzzers and lint. One line per module.
PURE_SRCS :=
PURE_SRCS += src/mtrr-plan.c
