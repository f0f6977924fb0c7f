// SPDX-License-Identifier: MIT
/*
 * $PIR builder. One slot entry per device the caller lists; each wired INTx
 * carries the link value (for PIIX3 the PIRQRC register offset 0x60-0x63) and
 * the caller's IRQ bitmap. The checksum byte makes the whole table sum to 0.
 */
#include <string.h>

#include "log.h"
#include "pirtable.h"

#define PIR_MAX_SIZE 0xffff

/* PIIX3 PIRQ register of INTx on bus 0: (pin + device - 1) mod 4 from 0x60. */
uint8_t pir_piix_link(uint8_t dev, uint8_t pin)
{
	return (uint8_t)(PIR_PIIX_LINK_A + ((pin + dev - 1) & 3));
}

uint8_t pir_ich9_link(uint8_t dev, uint8_t pin)
{
	if (dev <= 24)
		return (uint8_t)(PIR_ICH9_LINK_E + ((dev + pin) & 3));
	return (uint8_t)(PIR_ICH9_LINK_A + (pin & 3));
}

/* Header plus one 16-byte slot entry per device. */
size_t pir_size(const struct pir_input *in)
{
	return sizeof(struct pir_header) + (size_t)in->device_count * sizeof(struct pir_slot);
}

/* Byte sum of len bytes. */
static uint8_t byte_sum(const uint8_t *b, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* Write slot entries, then the header, then the checksum byte. */
int pir_build(const struct pir_input *in, void *out, size_t size)
{
	struct pir_header h;
	uint8_t *buf = out;
	size_t need = pir_size(in);
	unsigned int i, pin;

	if (need > PIR_MAX_SIZE) {
		dlog(LOG_ERR, "$PIR not built: %u devices exceed the 64 KiB table\n",
		     in->device_count);
		return PIR_ERR_INPUT;
	}
	if (need > size) {
		dlog(LOG_ERR, "$PIR not built: needs %u bytes, buffer has %u\n", (unsigned int)need,
		     (unsigned int)size);
		return PIR_ERR_SPACE;
	}
	for (i = 0; i < in->device_count; i++) {
		const struct pir_device *d = &in->devices[i];
		struct pir_slot s;

		if (d->dev > 31) {
			dlog(LOG_ERR, "$PIR not built: device %02x:%02x is out of range\n", d->bus,
			     d->dev);
			return PIR_ERR_INPUT;
		}
		memset(&s, 0, sizeof(s));
		s.bus = d->bus;
		s.devfn = (uint8_t)(d->dev << 3);
		s.slot = d->slot;
		for (pin = 0; pin < 4; pin++) {
			s.links[pin].link = d->link[pin];
			s.links[pin].bitmap = d->link[pin] == PIR_LINK_NONE ? 0 : in->irq_mask;
		}
		memcpy(buf + sizeof(h) + (size_t)i * sizeof(s), &s, sizeof(s));
	}
	memset(&h, 0, sizeof(h));
	h.signature = PIR_SIGNATURE;
	h.version = PIR_VERSION;
	h.size = (uint16_t)need;
	h.router_bus = in->router_bus;
	h.router_devfn = in->router_devfn;
	h.exclusive_irqs = in->exclusive_irqs;
	h.router_vendor = in->router_vendor;
	h.router_device = in->router_device;
	memcpy(buf, &h, sizeof(h));
	buf[offsetof(struct pir_header, checksum)] = (uint8_t)-byte_sum(buf, need);
	dlog(LOG_DEBUG, "$PIR: %u devices, %u bytes\n", in->device_count, (unsigned int)need);
	return (int)need;
}
