/* SPDX-License-Identifier: MIT */
/* Host stand-in for the ROM console: dlog() text is captured for assertions.
 * Set QVM_TEST_VERBOSE=1 to also echo it to stderr. */
#ifndef QVM_HOST_LOG_H
#define QVM_HOST_LOG_H

/* Everything logged since the last host_log_clear(), NUL-terminated. */
const char *host_log_text(void);
/* Forget captured text. */
void host_log_clear(void);
/* True if the captured text contains needle. */
int host_log_has(const char *needle);

#endif
