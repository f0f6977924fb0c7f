// SPDX-License-Identifier: MIT
/* Pure fw_cfg helpers: directory parsing and integer file decoding. */
#include <string.h>

#include "fwcfg.h"
#include "log.h"

/* Convert a big-endian 32-bit value from a byte buffer. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int fwcfg_dir_parse(const uint8_t *buf, size_t len, struct fwcfg_file *out, int max)
{
	uint32_t count;
	int n = 0;

	if (len < 4) {
		dlog(LOG_ERR, "fw_cfg: directory too short (%u bytes)\n", (unsigned int)len);
		return -1;
	}
	count = be32(buf);
	if (count > (len - 4) / sizeof(struct fwcfg_dir_entry)) {
		dlog(LOG_ERR, "fw_cfg: directory claims %u files but holds %u bytes\n", count,
		     (unsigned int)len);
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = buf + 4 + i * sizeof(struct fwcfg_dir_entry);
		uint16_t key = (uint16_t)(e[4] << 8 | e[5]);
		const char *name = (const char *)e + 8;

		if (strnlen(name, FWCFG_NAME_LEN) == FWCFG_NAME_LEN) {
			dlog(LOG_ERR, "fw_cfg: file %u has an unterminated name, skipped\n", i);
			continue;
		}
		if (key < 0x20) {
			dlog(LOG_ERR, "fw_cfg: file %s has invalid key 0x%x, skipped\n", name, key);
			continue;
		}
		if (n == max) {
			dlog(LOG_ERR, "fw_cfg: more than %d files, ignoring the rest\n", max);
			break;
		}
		out[n].size = be32(e);
		out[n].select = key;
		memcpy(out[n].name, name, FWCFG_NAME_LEN);
		n++;
	}
	return n;
}

/* Parse ASCII decimal or 0x-prefixed hex; false if any other character appears. */
static bool parse_ascii(const uint8_t *buf, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10;
	size_t i = 0, digits = 0;

	while (len && (buf[len - 1] == 0 || buf[len - 1] == '\n'))
		len--;
	if (len >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++, digits++) {
		unsigned int d;

		if (buf[i] >= '0' && buf[i] <= '9')
			d = buf[i] - '0';
		else if (base == 16 && buf[i] >= 'a' && buf[i] <= 'f')
			d = buf[i] - 'a' + 10;
		else if (base == 16 && buf[i] >= 'A' && buf[i] <= 'F')
			d = buf[i] - 'A' + 10;
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	if (!digits)
		return false;
	*out = v;
	return true;
}

bool fwcfg_parse_int(const uint8_t *buf, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len && len <= 24 && parse_ascii(buf, len, out))
		return true;
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return false;
	for (size_t i = len; i; i--)
		v = v << 8 | buf[i - 1];
	*out = v;
	return true;
}
